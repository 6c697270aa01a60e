//! Process applets: sh, ash, true, false, env, printenv, sleep, tty, ps,
//! top, kill, and the ones the playground does not offer (vi, yes).

use super::{Applet, Args};
use crate::programs::sh::{prompt_of, run_script};
use crate::programs::{Ctx, Flow, file_text};
use crate::state::{Program, State};

/// The applets of this area.
pub(super) const APPLETS: &[Applet] = &[
    Applet::new("sh", sh),
    Applet::new("ash", sh),
    // The ubuntu stand-in's /bin/bash: this shell under bash's name (the
    // busybox image has no bash).
    Applet::new("bash", sh).unlinked(),
    Applet::new("true", true_),
    Applet::new(":", true_).unlinked(),
    Applet::new("false", false_),
    Applet::new("env", env),
    Applet::new("printenv", env),
    Applet::new("sleep", sleep).usage("sleep [N]..."),
    Applet::new("tty", tty),
    Applet::new("ps", ps),
    Applet::new("top", top),
    Applet::new("kill", kill),
    Applet::new("vi", unavailable),
    Applet::new("yes", unavailable),
];

/// The order of a container's environment as dockerd makes it: `PATH`,
/// `HOSTNAME`, `TERM` (with a TTY), then the config's variables as given
/// (which replace those in place); runc appends `HOME` last.
pub(crate) fn environ_order(config_env: &[String]) -> Vec<&str> {
    let mut order = vec!["PATH", "HOSTNAME", "TERM"];
    for key in config_env.iter().map(|kv| kv.split_once('=').map_or(kv.as_str(), |(k, _)| k)) {
        if !order.contains(&key) {
            order.push(key);
        }
    }
    order
}

/// `sh`, `ash`.
fn sh(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let args = a.args;
    let operands = a.operands.clone();
    if let Some(i) = args.iter().position(|a| a == "-c") {
        let script = args.get(i + 1).cloned().unwrap_or_default();
        if let Some(a0) = args.get(i + 2) {
            ctx.arg0 = a0.clone();
            ctx.args = args[i + 3..].to_vec();
        }
        return run_script(state, cid, ctx, &script);
    }
    if let Some(file) = operands.first() {
        return match file_text(state, cid, &ctx.cwd.clone(), file) {
            Ok(text) => run_script(state, cid, ctx, &text),
            Err(e) => {
                ctx.eprint(format!("sh: {e}\n"));
                Flow::Exit(2)
            }
        };
    }
    if let Some(input) = ctx.stdin.take() {
        return run_script(state, cid, ctx, &input);
    }
    if ctx.interactive {
        if ctx.tty {
            ctx.print(prompt_of(state, cid, ctx.pid, &ctx.cwd));
        }
        return Flow::Serve(Program::Interactive);
    }
    Flow::Exit(0)
}

/// `true`, `:`.
fn true_(_state: &mut State, _cid: &str, _ctx: &mut Ctx, _a: &Args) -> Flow {
    Flow::Exit(0)
}

/// `false`.
fn false_(_state: &mut State, _cid: &str, _ctx: &mut Ctx, _a: &Args) -> Flow {
    Flow::Exit(1)
}

/// `env`, `printenv`.
fn env(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let applet = a.applet;
    let operands = a.operands.clone();
    if applet == "printenv"
        && let Some(k) = operands.first()
    {
        return match ctx.env.get(k.as_str()).cloned() {
            Some(v) => {
                ctx.print(format!("{v}\n"));
                Flow::Exit(0)
            }
            None => Flow::Exit(1),
        };
    }
    let order = environ_order(state.containers.get(cid).map_or(&[][..], |c| &c.env));
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    let mut vars: Vec<(&String, &String)> = ctx.env.iter().collect();
    // Stable: the rest keep their (sorted) order, before HOME.
    vars.sort_by_key(|(k, _)| if *k == "HOME" { usize::MAX } else { rank(k) });
    let text: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    ctx.print(text);
    Flow::Exit(0)
}

/// One operand of `sleep` in seconds, as busybox reads it: a number with
/// an optional suffix `s`, `m`, `h` or `d` (`1h`, `1.5m`).
fn sleep_seconds(operand: &str) -> Option<f64> {
    let (number, unit) = match operand.char_indices().last()? {
        (i, 's') => (&operand[..i], 1.0),
        (i, 'm') => (&operand[..i], 60.0),
        (i, 'h') => (&operand[..i], 3600.0),
        (i, 'd') => (&operand[..i], 86_400.0),
        _ => (operand, 1.0),
    };
    let n: f64 = number.parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    Some(n * unit)
}

/// `sleep N[smhd]...`: the operands add up, as busybox adds them.
fn sleep(state: &mut State, _cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let operands = a.operands.clone();
    if operands.first().map(|s| s.as_str()) == Some("infinity") {
        return Flow::Serve(Program::Forever);
    }
    if operands.is_empty() {
        ctx.eprint(a.usage_text());
        return Flow::Exit(1);
    }
    let mut secs = 0.0;
    for operand in &operands {
        match sleep_seconds(operand).filter(|s| *s <= 1e9) {
            Some(s) => secs += s,
            None => {
                ctx.eprint(format!("sleep: invalid number '{operand}'\n"));
                return Flow::Exit(1);
            }
        }
    }
    let ms = (secs.min(1e9) * 1000.0) as u64;
    if ms == 0 {
        return Flow::Exit(0);
    }
    Flow::Sleep { until_ms: state.clock_ms + ms, rest: Vec::new() }
}

/// `tty`.
fn tty(_state: &mut State, _cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    if ctx.tty {
        ctx.print("/dev/pts/0\n");
        Flow::Exit(0)
    } else {
        ctx.print("not a tty\n");
        Flow::Exit(1)
    }
}

/// `ps`, `top`.
fn ps(state: &mut State, cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    let Some(c) = state.containers.get(cid) else { return Flow::Exit(1) };
    let mut text = String::from("PID   USER     TIME  COMMAND\n");
    for p in &c.processes {
        text.push_str(&format!("{:>5} {:<8}  0:00 {}\n", p.pid, p.user, p.argv.join(" ")));
    }
    ctx.print(text);
    Flow::Exit(0)
}

/// `top`: the processes, then it runs until stopped (as busybox's does,
/// which docker-py's tests and many examples keep containers up with).
fn top(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    match ps(state, cid, ctx, a) {
        Flow::Exit(0) => Flow::Serve(Program::Forever),
        other => other,
    }
}

/// `kill`.
fn kill(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let operands = a.operands.clone();
    let pid: u32 = operands.first().and_then(|p| p.parse().ok()).unwrap_or(0);
    if pid == 1 {
        // PID 1 ignores signals it has no handler for.
        return Flow::Exit(0);
    }
    let exists = state.containers.get(cid).is_some_and(|c| c.processes.iter().any(|p| p.pid == pid));
    if !exists {
        ctx.eprint(format!("sh: can't kill pid {pid}: No such process\n"));
        return Flow::Exit(1);
    }
    if let Some(c) = state.containers.get_mut(cid) {
        c.processes.retain(|p| p.pid != pid);
    }
    let dead: Vec<String> = state
        .execs
        .values()
        .filter(|e| e.container_id == cid && e.pid == pid && e.running)
        .map(|e| e.id.clone())
        .collect();
    for eid in dead {
        if let Some(e) = state.execs.get_mut(&eid) {
            e.running = false;
            e.exit_code = Some(143);
        }
    }
    Flow::Exit(0)
}

/// `vi`, `yes`.
fn unavailable(_state: &mut State, _cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let applet = a.applet;
    ctx.eprint(format!("(simulation) {applet} is not available in the playground\n"));
    Flow::Exit(1)
}

#[cfg(test)]
mod tests {
    use crate::programs::Flow;
    use crate::programs::testing::{exec, exec_in, outcome, with_box};
    use crate::programs::{Ctx, run_argv};

    #[test]
    fn sh_runs_scripts_with_their_arguments() {
        assert_eq!(exec(&["sh", "-c", "echo $0 $1 $#", "me", "one"]).0, "me one 1\n");
        assert_eq!(
            exec(&["sh", "/nope"]),
            (String::new(), "sh: can't open '/nope': No such file or directory\n".into(), 2)
        );
        assert_eq!(exec(&["true"]).2, 0);
        assert_eq!(exec(&["false"]).2, 1);
        assert_eq!(exec(&["yes"]), (String::new(), "(simulation) yes is not available in the playground\n".into(), 1));
        assert_eq!(exec(&["tty"]), ("not a tty\n".into(), String::new(), 1));
    }

    #[test]
    fn env_sleep_ps_and_kill() {
        with_box(|st, cid| {
            let env = exec_in(st, cid, &["env"]).0;
            assert!(env.starts_with("PATH=") && env.ends_with("HOME=/root\n"), "{env}");
            assert_eq!(exec_in(st, cid, &["printenv", "HOME"]).0, "/root\n");
            assert_eq!(exec_in(st, cid, &["printenv", "NOPE"]).2, 1);
            let mut ctx = Ctx::for_container(st, cid);
            let flow = run_argv(st, cid, &mut ctx, &["sleep".to_string(), "2".to_string()]);
            assert_eq!(flow, Flow::Sleep { until_ms: st.clock_ms + 2000, rest: Vec::new() });
            assert_eq!(exec_in(st, cid, &["sleep", "x"]), (String::new(), "sleep: invalid number 'x'\n".into(), 1));
            // busybox's suffixes, and operands that add up.
            for (args, secs) in [(&["1h"][..], 3600), (&["2m", "30s"][..], 150), (&["1d"][..], 86_400)] {
                let argv: Vec<String> =
                    std::iter::once("sleep").chain(args.iter().copied()).map(String::from).collect();
                let mut ctx = Ctx::for_container(st, cid);
                let flow = run_argv(st, cid, &mut ctx, &argv);
                assert_eq!(flow, Flow::Sleep { until_ms: st.clock_ms + secs * 1000, rest: Vec::new() }, "{args:?}");
            }
            assert_eq!(exec_in(st, cid, &["sleep", "1x"]).2, 1);
            let ps = exec_in(st, cid, &["ps"]).0;
            assert!(ps.starts_with("PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 86400\n"), "{ps}");
            assert_eq!(exec_in(st, cid, &["kill", "1"]).2, 0, "PID 1 ignores it");
            assert_eq!(
                exec_in(st, cid, &["kill", "77"]),
                (String::new(), "sh: can't kill pid 77: No such process\n".into(), 1)
            );
            let mut ctx = Ctx::for_container(st, cid);
            let flow = run_argv(st, cid, &mut ctx, &["nope".to_string()]);
            assert_eq!(outcome(&mut ctx, flow), (String::new(), "sh: nope: not found\n".into(), 127));
        });
    }
}
