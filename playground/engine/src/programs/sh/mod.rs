//! The ash-like shell: [`run_script`] runs a script as a shell process.
//!
//! A script is parsed one top-level line at a time (like ash) into a tree
//! of lists, and-or chains, pipelines and commands (`lexer`, `parser`);
//! words stay raw text and are expanded when they run (`expand`). A
//! process that sleeps is suspended as text (`exec`): the interpreter
//! returns the rest of the script (what each enclosing command still has
//! to do, printed back as shell) and a first chunk that restores the
//! shell's variables, traps and directory, so the process resumes exactly
//! where it stopped. `builtins` holds the commands the shell runs itself;
//! `arith` its `$(( ))`.
//!
//! May use `programs` (busybox's applets, `run_argv`), `fs`, `state` and
//! `util`.

pub(crate) mod arith;
mod builtins;
pub(crate) mod exec;
mod expand;
mod lexer;
mod loops;
mod parser;

pub(crate) use builtins::{exit_status, signal_name};

use exec::{Run, exit_trap, run_source};

use crate::programs::{Ctx, Flow};
use crate::state::State;

/// The first line of a suspended script's state chunk.
pub(crate) const STATE_MARK: &str = "# sim:state";

/// How deeply commands, substitutions and scripts may nest.
pub(crate) const MAX_DEPTH: u32 = 48;

/// Loop iterations a process runs before yielding one simulated second.
pub(crate) const STEP_BUDGET: u32 = 1000;

/// The longest word or variable value the simulation keeps.
pub(crate) const MAX_TEXT: usize = 1 << 20;

/// Whether `s` is a variable or function name.
pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `'text'`, safe to read back.
pub(crate) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The prompt of an interactive shell in `cwd`: busybox's `\w # ` for root.
pub fn prompt(cwd: &str) -> String {
    format!("{cwd} # ")
}

/// The prompt of the interactive shell `pid` of container `cid` in `cwd`:
/// bash's `root@HOSTNAME:/# ` (`~` for /root) when it runs as bash (the
/// ubuntu image's), else ash's.
pub fn prompt_of(state: &State, cid: &str, pid: u32, cwd: &str) -> String {
    let bash_host = state.containers.get(cid).and_then(|c| {
        let p = c.processes.iter().find(|p| p.pid == pid)?;
        (p.argv.first()?.rsplit('/').next()? == "bash").then(|| c.hostname.clone())
    });
    match bash_host {
        Some(host) => format!("root@{host}:{}# ", if cwd == "/root" { "~" } else { cwd }),
        None => prompt(cwd),
    }
}

/// Keeps an interactive shell's state (variables, functions, traps, the
/// directory) in its process, for the next line typed into it (see
/// `State::stdin_line`).
pub fn remember(state: &mut State, cid: &str, ctx: &Ctx) {
    let text = ctx.state_text(&Ctx::for_container(state, cid));
    let process = state.containers.get_mut(cid).and_then(|c| c.processes.iter_mut().find(|p| p.pid == ctx.pid));
    if let Some(p) = process {
        p.shell = text;
    }
}

/// Runs a shell script as a shell process: its EXIT trap runs when it ends.
pub fn run_script(state: &mut State, cid: &str, ctx: &mut Ctx, script: &str) -> Flow {
    let base = Ctx::for_container(state, cid);
    if ctx.depth > MAX_DEPTH {
        ctx.eprint("sh: too deeply nested\n");
        return Flow::Exit(2);
    }
    match run_source(state, cid, ctx, script) {
        Run::St(code) => Flow::Exit(exit_trap(state, cid, ctx, code).unwrap_or(code)),
        Run::Quit(code) => Flow::Quit(exit_trap(state, cid, ctx, code).unwrap_or(code)),
        Run::Sleep(until_ms, rest) => {
            let mut all = vec![ctx.state_text(&base)];
            all.extend(rest);
            Flow::Sleep { until_ms, rest: all }
        }
        Run::Serve(p) => Flow::Serve(p),
    }
}

/// The handler a suspended shell (its `rest`) has for `signal`: `None`
/// when it has none (the default action), `Some("")` when it ignores it.
pub fn trap_handler(state: &mut State, cid: &str, rest: &[String], signal: &str) -> Option<String> {
    let first = rest.first().filter(|r| r.starts_with(STATE_MARK))?;
    let sig = signal_name(signal)?;
    let mut ctx = Ctx::blank();
    let _ = run_source(state, cid, &mut ctx, first);
    ctx.traps.get(sig).cloned()
}
