//! The simulated programs a container runs, and the table that says which
//! one an executable is: the ash-like shell (`sh/`), busybox's applets
//! (`busybox/`), and the stand-ins for nginx, redis, python and
//! hello-world.
//!
//! An executable in a simulated image is a file `#!sim:NAME`; [`run_argv`]
//! looks `argv[0]` up on `PATH`, reads NAME and runs the entry of
//! [`PROGRAMS`] of that name (a busybox link runs the applet of its own
//! name). To add a program: one entry in [`PROGRAMS`] (and the file that
//! installs `#!sim:NAME` in its image).
//!
//! May use `fs`, `state` and `util` (below it), including the `State`
//! methods those define (`lookup_exe` in fs, `host_pid` and `append_logs`
//! in state); nothing above (daemon, image, http, cli). The image layer
//! reads [`busybox::applet_names`] to link the busybox image's `/bin`.

pub(crate) mod busybox;
mod hello;
mod http;
mod identity;
mod nginx;
mod process;
mod python;
mod redis;
pub(crate) mod sh;

pub(crate) use busybox::{HOST_FILTERS, host_filter};
pub(crate) use http::{http_get, parse_url};
pub(crate) use identity::identity;
pub(crate) use process::{Ctx, Flow};
pub(crate) use sh::{prompt, prompt_of, quote, remember, run_script, signal_name, trap_handler};

use crate::fs::normalize;
use crate::state::{Node, State};

/// How a program runs: in container `cid`, with its process's context and
/// its arguments (`argv[1..]`).
type Main = fn(&mut State, &str, &mut Ctx, &[String]) -> Flow;

/// The programs by the `NAME` of their `#!sim:NAME` executable; any other
/// name is a busybox applet (see [`busybox::APPLETS`]).
const PROGRAMS: &[(&str, Main)] = &[
    ("hello", hello::hello),
    ("entrypoint", nginx::entrypoint),
    ("nginx", nginx::nginx),
    ("redis-server", redis::redis_server),
    ("redis-cli", redis::redis_cli),
    ("python", python::python),
    ("apk", apk),
    ("pip", pip),
    ("busybox", busybox::busybox),
];

/// `apk`: no packages in the simulation.
fn apk(_state: &mut State, _cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    not_downloaded(ctx, "apk", args)
}

/// `pip`: no packages in the simulation.
fn pip(_state: &mut State, _cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    not_downloaded(ctx, "pip", args)
}

fn not_downloaded(ctx: &mut Ctx, program: &str, args: &[String]) -> Flow {
    ctx.print(format!("(simulated) {program} {}: packages are not downloaded in the simulation\n", args.join(" ")));
    Flow::Exit(0)
}

/// Runs one command (`argv[0]` found on PATH, or a shell builtin).
pub fn run_argv(state: &mut State, cid: &str, ctx: &mut Ctx, argv: &[String]) -> Flow {
    let Some(name) = argv.first() else { return Flow::Exit(0) };
    let args = &argv[1..];
    // Builtins first.
    match name.as_str() {
        "exit" => return Flow::Quit(sh::exit_status(ctx, args)),
        "cd" => {
            let target = normalize(&ctx.cwd, args.first().map(String::as_str).unwrap_or("/root"));
            return match state.read_node(cid, &state.resolve_link(cid, &target)) {
                Some(Node::Dir) => {
                    ctx.cwd = target;
                    Flow::Exit(0)
                }
                _ => {
                    ctx.eprint(format!(
                        "sh: cd: can't cd to {}: No such file or directory\n",
                        args.first().cloned().unwrap_or_default()
                    ));
                    Flow::Exit(2)
                }
            };
        }
        "export" => {
            for a in args {
                if let Some((k, v)) = a.split_once('=') {
                    ctx.env.insert(k.into(), v.into());
                }
            }
            return Flow::Exit(0);
        }
        "set" | ":" => return Flow::Exit(0),
        _ => {}
    }
    let Some(path) = state.lookup_exe(cid, name) else {
        ctx.eprint(format!("sh: {name}: not found\n"));
        return Flow::Exit(127);
    };
    let program = match state.read_node(cid, &path) {
        Some(Node::File { data }) => data,
        _ => String::new(),
    };
    if let Some(sim) = program.strip_prefix("#!sim:") {
        let sim = sim.lines().next().unwrap_or("").trim().to_string();
        let applet = if sim == "busybox" { name.rsplit('/').next().unwrap_or(name).to_string() } else { sim.clone() };
        return match PROGRAMS.iter().find(|(n, _)| *n == applet) {
            Some((_, main)) => main(state, cid, ctx, args),
            None => busybox::run(state, cid, ctx, &applet, args),
        };
    }
    // A text script: run it with the shell.
    if program.starts_with("#!") || !program.is_empty() {
        let body: String = program.lines().skip(usize::from(program.starts_with("#!"))).collect::<Vec<_>>().join("\n");
        ctx.arg0 = name.clone();
        ctx.args = args.to_vec();
        return run_script(state, cid, ctx, &body);
    }
    Flow::Exit(0)
}

/// The text of file `name` (relative to `cwd`) in container `cid`, as a
/// program reading it sees it (an executable reads as a binary).
pub(crate) fn file_text(state: &State, cid: &str, cwd: &str, name: &str) -> Result<String, String> {
    let path = state.resolve_link(cid, &normalize(cwd, name));
    match state.read_node(cid, &path) {
        Some(Node::File { data }) => {
            Ok(if data.starts_with("#!sim:") { "\u{7f}ELF (simulated binary)\n".to_string() } else { data })
        }
        Some(Node::Dir) => Err(format!("{name}: Is a directory")),
        _ => Err(format!("can't open '{name}': No such file or directory")),
    }
}

/// What the programs' unit tests run against: a running busybox
/// container in a fresh engine.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Ctx, Flow, run_argv, run_script};
    use crate::state::State;

    /// Runs `f` on the state of an engine with a running busybox container
    /// (`box`), given its id.
    pub(crate) fn with_box<R>(f: impl FnOnce(&mut State, &str) -> R) -> R {
        let mut session = crate::Session::new();
        let out = session.run("docker run -d --name box busybox sleep 86400");
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        session.current_engine().with_state_mut(|st| {
            let cid = st.find_container("box").expect("the container exists");
            let status = st.containers.get(&cid).map(|c| c.status);
            assert_eq!(status, Some(crate::state::Status::Running));
            f(st, &cid)
        })
    }

    /// What a program did: its standard output, standard error and exit
    /// code (`-1` when it went on running or sleeping).
    pub(crate) fn outcome(ctx: &mut Ctx, flow: Flow) -> (String, String, i32) {
        let code = match flow {
            Flow::Exit(c) | Flow::Quit(c) => c,
            _ => -1,
        };
        let (mut stdout, mut stderr) = (String::new(), String::new());
        for (stream, text) in ctx.take_output() {
            if stream == 2 { stderr.push_str(&text) } else { stdout.push_str(&text) }
        }
        (stdout, stderr, code)
    }

    /// Runs `argv` in `box` as `docker exec box ARGV...` does.
    pub(crate) fn exec_in(st: &mut State, cid: &str, argv: &[&str]) -> (String, String, i32) {
        let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        let mut ctx = Ctx::for_container(st, cid);
        let flow = run_argv(st, cid, &mut ctx, &argv);
        outcome(&mut ctx, flow)
    }

    /// Runs `argv` in a fresh `box`.
    pub(crate) fn exec(argv: &[&str]) -> (String, String, i32) {
        with_box(|st, cid| exec_in(st, cid, argv))
    }

    /// Runs `script` with `sh -c` in a fresh `box`.
    pub(crate) fn sh(script: &str) -> (String, String, i32) {
        with_box(|st, cid| {
            let mut ctx = Ctx::for_container(st, cid);
            let flow = run_script(st, cid, &mut ctx, script);
            outcome(&mut ctx, flow)
        })
    }
}
