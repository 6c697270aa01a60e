//! The shell's builtins: `exit`, `break`, `trap`, `eval`, `.`, `exec`,
//! `set`, `let`, `shift`, `unset`, `read`, `test`, `return`, ...

use super::exec::{Run, run_source};
use super::{MAX_DEPTH, arith, prompt_of, quote, remember};
use crate::programs::busybox;
use crate::programs::busybox::test::run_test;
use crate::programs::process::Ctrl;
use crate::programs::{Ctx, Flow, file_text, run_argv};
use crate::state::{Program, State};

/// The builtins that keep the assignments before them (`X=1 eval ...`).
const KEEP_ASSIGNMENTS: &[&str] = &[
    "eval", ".", "source", "exec", "let", "wait", "umask", "ulimit", "local", "readonly", "cd", "export", ":", "true",
    "false", "echo", "printf", "pwd",
];

/// Runs a builtin; `None` when `argv[0]` is not one.
pub(crate) fn builtin(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    argv: &[String],
    assigns: &[(String, String)],
) -> Option<Run> {
    let name = argv[0].as_str();
    let args = &argv[1..];
    if KEEP_ASSIGNMENTS.contains(&name) {
        for (k, v) in assigns {
            ctx.env.insert(k.clone(), v.clone());
        }
    }
    Some(match name {
        "exit" => Run::Quit(exit_status(ctx, args)),
        "break" | "continue" => loop_control(ctx, name, args),
        "trap" => Run::St(trap(ctx, args)),
        "__interactive" => back_to_prompt(state, cid, ctx, args),
        "eval" => nested(state, cid, ctx, &args.join(" ")),
        "." | "source" => source(state, cid, ctx, args),
        "exec" => exec(state, cid, ctx, args),
        "set" => set(ctx, args),
        "let" => let_(ctx, args),
        "shift" => shift(ctx, args),
        "unset" => {
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                ctx.env.remove(a);
            }
            Run::St(0)
        }
        "read" => read(ctx, args),
        "test" | "[" => Run::St(run_test(state, cid, ctx, name, args, "sh: ")),
        "wait" | "umask" | "ulimit" | "local" | "readonly" => Run::St(0),
        "return" => return_(ctx, args),
        "cd" | "export" | ":" => status(run_argv(state, cid, ctx, argv)),
        "true" | "false" | "echo" | "printf" | "pwd" => status(busybox::run(state, cid, ctx, name, args)),
        _ => return None,
    })
}

/// A program's exit status as a builtin's.
fn status(flow: Flow) -> Run {
    match flow {
        Flow::Exit(c) | Flow::Quit(c) => Run::St(c),
        _ => Run::St(0),
    }
}

/// `break N` and `continue N`: how many loops they leave, at most all.
fn loop_control(ctx: &mut Ctx, name: &str, args: &[String]) -> Run {
    let n = args.first().and_then(|a| a.parse::<u32>().ok()).unwrap_or(1).clamp(1, ctx.loops.max(1));
    if ctx.loops == 0 {
        return Run::St(0);
    }
    ctx.ctrl = Some(if name == "break" { Ctrl::Break(n) } else { Ctrl::Continue(n) });
    Run::St(0)
}

/// An interactive shell's line that slept is done: back to the prompt.
fn back_to_prompt(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Run {
    remember(state, cid, ctx);
    if args.first().map(String::as_str) == Some("1") {
        ctx.print(prompt_of(state, cid, ctx.pid, &ctx.cwd));
    }
    Run::Serve(Program::Interactive)
}

/// Runs `src` one level deeper (`eval`, `.`).
fn nested(state: &mut State, cid: &str, ctx: &mut Ctx, src: &str) -> Run {
    ctx.depth += 1;
    let r = run_source(state, cid, ctx, src);
    ctx.depth -= 1;
    r
}

/// `. FILE`: runs the file in this shell.
fn source(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Run {
    let Some(f) = args.first() else { return Run::St(0) };
    match file_text(state, cid, &ctx.cwd.clone(), f) {
        Ok(text) if ctx.depth < MAX_DEPTH => nested(state, cid, ctx, &text),
        Ok(_) => Run::St(2),
        Err(_) => {
            ctx.eprint(format!("sh: .: can't open '{f}'\n"));
            Run::St(2)
        }
    }
}

/// `exec ARGV`: the command replaces the shell.
fn exec(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Run {
    if args.is_empty() {
        return Run::St(0);
    }
    match run_argv(state, cid, ctx, args) {
        Flow::Exit(c) | Flow::Quit(c) => Run::Quit(c),
        Flow::Sleep { until_ms, rest } => {
            let mut rest = rest;
            rest.push("exit".into());
            Run::Sleep(until_ms, rest)
        }
        Flow::Serve(p) => Run::Serve(p),
    }
}

/// `set -- ARGS` sets the positional parameters; `set` lists the variables.
fn set(ctx: &mut Ctx, args: &[String]) -> Run {
    if let Some(i) = args.iter().position(|a| a == "--") {
        ctx.args = args[i + 1..].to_vec();
    } else if args.is_empty() {
        let text: String = ctx.env.iter().map(|(k, v)| format!("{k}={}\n", quote(v))).collect();
        ctx.print(text);
    }
    Run::St(0)
}

/// `let EXPR...`: 0 when the last is not zero.
fn let_(ctx: &mut Ctx, args: &[String]) -> Run {
    // busybox's words, "line 0" included.
    let mut last = Err("expression expected".to_string());
    for a in args {
        last = arith::eval(&mut ctx.env, a);
        if last.is_err() {
            break;
        }
    }
    match last {
        Ok(v) => Run::St(i32::from(v == 0)),
        Err(e) => {
            ctx.eprint(format!("sh: let: line 0: {e}\n"));
            Run::St(2)
        }
    }
}

/// `shift N`.
fn shift(ctx: &mut Ctx, args: &[String]) -> Run {
    let n = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
    if n > ctx.args.len() {
        Run::St(1)
    } else {
        ctx.args.drain(..n);
        Run::St(0)
    }
}

/// `read NAME...`: a line of stdin, split into the names (the last takes
/// the rest); `REPLY` without names.
fn read(ctx: &mut Ctx, args: &[String]) -> Run {
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(input) = ctx.stdin.as_mut().filter(|i| !i.is_empty()) else {
        for n in &names {
            ctx.env.insert((*n).clone(), String::new());
        }
        return Run::St(1);
    };
    let (line, more) = match input.find('\n') {
        Some(i) => (input[..i].to_string(), input[i + 1..].to_string()),
        None => (std::mem::take(input), String::new()),
    };
    *input = more;
    let mut parts: Vec<&str> = line.split_whitespace().collect();
    for (i, n) in names.iter().enumerate() {
        let v = if i + 1 == names.len() {
            parts.join(" ")
        } else if parts.is_empty() {
            String::new()
        } else {
            parts.remove(0).to_string()
        };
        ctx.env.insert((*n).clone(), v);
    }
    if names.is_empty() {
        ctx.env.insert("REPLY".into(), line);
    }
    Run::St(0)
}

/// `return N`: leaves the function (outside one, the shell).
fn return_(ctx: &mut Ctx, args: &[String]) -> Run {
    let code = args.first().and_then(|a| a.parse().ok()).unwrap_or(ctx.last);
    if ctx.in_func == 0 {
        return Run::Quit(code);
    }
    ctx.ctrl = Some(Ctrl::Return);
    Run::St(code)
}

/// `exit ARGS`'s status: the number as a byte, else the last status.
pub(crate) fn exit_status(ctx: &mut Ctx, args: &[String]) -> i32 {
    match args.first() {
        None => ctx.last,
        Some(a) => match a.parse::<i64>() {
            Ok(n) => (n & 0xff) as i32,
            Err(_) => {
                ctx.eprint(format!("sh: exit: Illegal number: {a}\n"));
                2
            }
        },
    }
}

/// The signal name `trap` and `kill` use (`TERM`, `EXIT`).
pub fn signal_name(s: &str) -> Option<&'static str> {
    let s = s.trim_start_matches("SIG").to_ascii_uppercase();
    Some(match s.as_str() {
        "0" | "EXIT" => "EXIT",
        "1" | "HUP" => "HUP",
        "2" | "INT" => "INT",
        "3" | "QUIT" => "QUIT",
        "9" | "KILL" => "KILL",
        "10" | "USR1" => "USR1",
        "12" | "USR2" => "USR2",
        "15" | "TERM" => "TERM",
        _ => return None,
    })
}

pub(crate) fn trap(ctx: &mut Ctx, args: &[String]) -> i32 {
    if args.is_empty() {
        let text: String = ctx.traps.iter().map(|(s, h)| format!("trap -- {} {s}\n", quote(h))).collect();
        ctx.print(text);
        return 0;
    }
    // `trap SIG...` and `trap - SIG...` reset; else the first is the action.
    let (action, sigs) =
        if args.len() == 1 || args[0] == "-" || signal_name(&args[0]).is_some() && args[0].parse::<u32>().is_ok() {
            (None, if args[0] == "-" { &args[1..] } else { args })
        } else {
            (Some(args[0].clone()), &args[1..])
        };
    let mut code = 0;
    for s in sigs {
        match signal_name(s) {
            Some(sig) => match &action {
                Some(a) => {
                    ctx.traps.insert(sig.into(), a.clone());
                }
                None => {
                    ctx.traps.remove(sig);
                }
            },
            None => {
                ctx.eprint(format!("sh: trap: {s}: invalid signal specification\n"));
                code = 1;
            }
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use crate::programs::testing::{exec, sh};

    /// `exit` is the builtin's whether the shell runs it or `docker exec`
    /// does.
    #[test]
    fn exit_is_one_builtin() {
        assert_eq!(sh("exit 3").2, 3);
        assert_eq!(exec(&["exit", "3"]).2, 3);
        assert_eq!(sh("exit 256").2, 0, "the status is a byte");
        assert_eq!(exec(&["exit", "256"]).2, 0);
        let illegal = (String::new(), "sh: exit: Illegal number: x\n".to_string(), 2);
        assert_eq!(sh("exit x"), illegal);
        assert_eq!(exec(&["exit", "x"]), illegal);
        assert_eq!(sh("false; exit").2, 1, "no number: the last status");
    }
}
