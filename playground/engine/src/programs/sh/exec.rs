//! Running the syntax tree: lists, and-or chains, pipelines, redirections,
//! compound commands and functions (loops are in `loops`), suspending as
//! text when a command sleeps.

use super::builtins::builtin;
use super::expand::{expand_one, expand_word};
use super::lexer::{HEREDOC_EXPAND, HEREDOC_LITERAL};
use super::loops::exec_loop;
use super::parser::{AndOr, Cmd, List, Parser, Pipe, Redir, group_text, show_list, show_pipe};
use super::{MAX_DEPTH, MAX_TEXT, STATE_MARK, is_name, quote};
use crate::fs::normalize;
use crate::programs::process::Ctrl;
use crate::programs::{Ctx, Flow, file_text, run_argv};
use crate::state::{Node, Program, State};
use crate::util::glob::glob_match;

/// What running a piece of script did.
pub(crate) enum Run {
    /// It finished with this status.
    St(i32),
    /// `exit N`.
    Quit(i32),
    /// It sleeps until the time, then the script chunks run.
    Sleep(u64, Vec<String>),
    /// It became a long-running program.
    Serve(Program),
}

/// Where a descriptor's output goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Dest {
    Fd(u8),
    File(String),
    Null,
}

impl Ctx {
    /// A copy for a child process or subshell: same variables, no traps.
    pub(crate) fn child(&self) -> Ctx {
        Ctx {
            env: self.env.clone(),
            cwd: self.cwd.clone(),
            args: self.args.clone(),
            arg0: self.arg0.clone(),
            depth: self.depth + 1,
            last: self.last,
            pid: self.pid,
            steps: self.steps,
            can_yield: self.can_yield,
            interactive: self.interactive,
            tty: self.tty,
            funcs: self.funcs.clone(),
            ..Ctx::blank()
        }
    }

    /// The chunk that restores this shell's state over `base`.
    pub(crate) fn state_text(&self, base: &Ctx) -> String {
        let mut s = format!("{STATE_MARK}\n");
        for (k, v) in &self.env {
            if base.env.get(k) != Some(v) && is_name(k) {
                s.push_str(&format!("{k}={}\n", quote(v)));
            }
        }
        for k in base.env.keys().filter(|k| !self.env.contains_key(*k) && is_name(k)) {
            s.push_str(&format!("unset {k}\n"));
        }
        if !self.args.is_empty() {
            let a: Vec<String> = self.args.iter().map(|a| quote(a)).collect();
            s.push_str(&format!("set -- {}\n", a.join(" ")));
        }
        for (sig, h) in &self.traps {
            s.push_str(&format!("trap {} {sig}\n", quote(h)));
        }
        for (name, body) in &self.funcs {
            s.push_str(&format!("{name}() {body}\n"));
        }
        if self.cwd != base.cwd {
            s.push_str(&format!("cd {}\n", quote(&self.cwd)));
        }
        s
    }
}

/// Runs the EXIT trap; `Some(code)` when it called `exit`.
pub(crate) fn exit_trap(state: &mut State, cid: &str, ctx: &mut Ctx, code: i32) -> Option<i32> {
    let handler = ctx.traps.remove("EXIT").filter(|h| !h.is_empty())?;
    ctx.last = code;
    let r = run_source(state, cid, ctx, &handler);
    match run_to_end(state, cid, ctx, r) {
        Run::Quit(c) => Some(c),
        _ => None,
    }
}

/// Runs suspended work to its end, moving the clock (command
/// substitutions, pipeline stages and traps cannot suspend).
pub(crate) fn run_to_end(state: &mut State, cid: &str, ctx: &mut Ctx, mut r: Run) -> Run {
    for _ in 0..100 {
        match r {
            Run::Sleep(until, rest) => {
                state.clock_ms = state.clock_ms.max(until.min(state.clock_ms.saturating_add(3_600_000)));
                r = run_source(state, cid, ctx, &rest.join("\n"));
            }
            Run::Serve(_) => return Run::St(0),
            other => return other,
        }
    }
    Run::St(0)
}

/// Parses and runs `src` line by line in `ctx`.
pub(crate) fn run_source(state: &mut State, cid: &str, ctx: &mut Ctx, src: &str) -> Run {
    let mut p = Parser::new(src);
    loop {
        match p.complete() {
            Ok(None) => return Run::St(ctx.last),
            Err(e) => {
                ctx.eprint(format!("sh: syntax error: {e}\n"));
                return Run::St(2);
            }
            Ok(Some(list)) => match exec_list(state, cid, ctx, &list) {
                Run::St(s) => {
                    ctx.last = s;
                    if ctx.ctrl.is_some() {
                        return Run::St(s);
                    }
                }
                Run::Sleep(t, mut rest) => {
                    let more = p.remainder();
                    if !more.trim().is_empty() {
                        rest.push(more);
                    }
                    return Run::Sleep(t, rest);
                }
                other => return other,
            },
        }
    }
}

pub(crate) fn exec_list(state: &mut State, cid: &str, ctx: &mut Ctx, list: &[AndOr]) -> Run {
    for (i, item) in list.iter().enumerate() {
        if ctx.ctrl.is_some() {
            break;
        }
        match exec_and_or(state, cid, ctx, item) {
            Run::St(s) => ctx.last = s,
            Run::Sleep(_, _) | Run::Serve(_) if item.bg => ctx.last = 0,
            Run::Sleep(t, mut rest) => {
                rest.extend(list[i + 1..].iter().map(|a| show_list(&vec![a.clone()])));
                return Run::Sleep(t, rest);
            }
            other => return other,
        }
    }
    Run::St(ctx.last)
}

pub(crate) fn exec_and_or(state: &mut State, cid: &str, ctx: &mut Ctx, a: &AndOr) -> Run {
    let mut r = exec_pipe(state, cid, ctx, &a.first);
    let mut bang = a.first.bang;
    for (k, (and, p)) in a.rest.iter().enumerate() {
        match r {
            Run::St(s) => {
                ctx.last = s;
                if ctx.ctrl.is_some() {
                    return Run::St(s);
                }
                if *and == (s == 0) {
                    r = exec_pipe(state, cid, ctx, p);
                    bang = p.bang;
                }
            }
            Run::Sleep(t, rest) => {
                let mut s = format!("{}{}", if bang { "! " } else { "" }, group_text(&rest));
                for (and, p) in &a.rest[k..] {
                    s.push_str(if *and { " && " } else { " || " });
                    s.push_str(&show_pipe(p));
                }
                return Run::Sleep(t, vec![s]);
            }
            other => return other,
        }
    }
    match r {
        Run::Sleep(t, rest) if bang => Run::Sleep(t, vec![format!("! {}", group_text(&rest))]),
        other => other,
    }
}

pub(crate) fn exec_pipe(state: &mut State, cid: &str, ctx: &mut Ctx, p: &Pipe) -> Run {
    let n = p.cmds.len();
    let mut r = Run::St(0);
    if n == 1 {
        r = exec_cmd(state, cid, ctx, &p.cmds[0]);
    } else {
        let mut input = ctx.stdin.take();
        for (i, cmd) in p.cmds.iter().enumerate() {
            ctx.stdin = input.take();
            if i + 1 < n {
                let saved = std::mem::take(&mut ctx.out);
                let stage = exec_cmd(state, cid, ctx, cmd);
                let _ = run_to_end(state, cid, ctx, stage);
                let produced = std::mem::replace(&mut ctx.out, saved);
                let mut text = String::new();
                for (s, t) in produced {
                    if s == 1 {
                        text.push_str(&t);
                    } else {
                        ctx.out.push((s, t));
                    }
                }
                input = Some(text);
            } else {
                r = exec_cmd(state, cid, ctx, cmd);
            }
        }
        ctx.stdin = None;
    }
    match r {
        Run::St(s) if p.bang => Run::St(i32::from(s == 0)),
        other => other,
    }
}

/// Applies redirections around `f`.
pub(crate) fn with_redirs(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    redirs: &[Redir],
    f: impl FnOnce(&mut State, &mut Ctx) -> Run,
) -> Run {
    if redirs.is_empty() {
        return f(state, ctx);
    }
    let (dest, stdin) = match open_redirs(state, cid, ctx, redirs) {
        Ok(opened) => opened,
        Err(r) => return r,
    };
    let saved = std::mem::take(&mut ctx.out);
    let saved_in = stdin.is_some().then(|| ctx.stdin.take());
    if stdin.is_some() {
        ctx.stdin = stdin;
    }
    let r = f(state, ctx);
    if let Some(s) = saved_in {
        ctx.stdin = s;
    }
    let produced = std::mem::replace(&mut ctx.out, saved);
    for (stream, text) in produced {
        match &dest[usize::from(stream.min(2))] {
            Dest::Fd(n) => ctx.out.push(((*n).max(1), text)),
            Dest::Null => {}
            Dest::File(path) => {
                let mut data = match state.read_node(cid, path) {
                    Some(Node::File { data }) => data,
                    _ => String::new(),
                };
                if data.len() < MAX_TEXT {
                    data.push_str(&text);
                }
                let _ = state.write_node(cid, path, Node::File { data });
            }
        }
    }
    r
}

/// Where descriptors 0, 1 and 2 go after `redirs`, and the text on stdin
/// if they give one; or how the command ends (a file that cannot be
/// opened, an expansion error).
fn open_redirs(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    redirs: &[Redir],
) -> Result<([Dest; 3], Option<String>), Run> {
    let mut dest = [Dest::Fd(0), Dest::Fd(1), Dest::Fd(2)];
    let mut stdin = None;
    for r in redirs {
        let target = expand_one(state, cid, ctx, &r.target).map_err(|e| {
            ctx.eprint(format!("sh: {e}\n"));
            Run::Quit(2)
        })?;
        let fd = usize::from(r.fd);
        match r.op {
            ">" | ">>" if fd <= 2 => {
                if target == "/dev/null" {
                    dest[fd] = Dest::Null;
                    continue;
                }
                let path = normalize(&ctx.cwd, &target);
                if (r.op == ">" || state.read_node(cid, &path).is_none())
                    && let Err(e) = state.write_node(cid, &path, Node::File { data: String::new() })
                {
                    ctx.eprint(format!("sh: can't create {target}: {e}\n"));
                    return Err(Run::St(1));
                }
                dest[fd] = Dest::File(path);
            }
            ">&" | "<&" if fd <= 2 => {
                dest[fd] = match target.as_str() {
                    "1" => dest[1].clone(),
                    "2" => dest[2].clone(),
                    "0" => dest[0].clone(),
                    "-" => Dest::Null,
                    _ => {
                        ctx.eprint(format!("sh: {target}: bad file descriptor\n"));
                        return Err(Run::St(1));
                    }
                }
            }
            // Here-strings and here-documents: the text is stdin.
            "<<<" if fd == 0 => stdin = Some(format!("{target}\n")),
            HEREDOC_LITERAL if fd == 0 => stdin = Some(target),
            HEREDOC_EXPAND if fd == 0 => {
                // Expanded like a double-quoted string whose `"` are plain.
                let quoted = format!("\"{}\"", target.replace('"', "\u{e005}"));
                let text = expand_one(state, cid, ctx, &quoted).map_err(|e| {
                    ctx.eprint(format!("sh: {e}\n"));
                    Run::Quit(2)
                })?;
                stdin = Some(text.replace('\u{e005}', "\""));
            }
            "<" if fd == 0 => match file_text(state, cid, &ctx.cwd.clone(), &target) {
                Ok(t) => stdin = Some(t),
                Err(_) => {
                    ctx.eprint(format!("sh: can't open {target}: no such file\n"));
                    return Err(Run::St(1));
                }
            },
            _ => {}
        }
    }
    Ok((dest, stdin))
}

pub(crate) fn exec_cmd(state: &mut State, cid: &str, ctx: &mut Ctx, cmd: &Cmd) -> Run {
    if ctx.depth > MAX_DEPTH {
        ctx.eprint("sh: too deeply nested\n");
        return Run::St(2);
    }
    match cmd {
        Cmd::Simple(words, redirs) => exec_simple(state, cid, ctx, words, redirs),
        Cmd::Group(l, r) => with_redirs(state, cid, ctx, r, |st, ctx| {
            ctx.depth += 1;
            let r = exec_list(st, cid, ctx, l);
            ctx.depth -= 1;
            r
        }),
        Cmd::Sub(l, r) => with_redirs(state, cid, ctx, r, |st, ctx| {
            let mut sub = ctx.child();
            let r = exec_list(st, cid, &mut sub, l);
            ctx.out.append(&mut sub.out);
            ctx.steps = sub.steps;
            match r {
                Run::St(s) | Run::Quit(s) => Run::St(exit_trap(st, cid, &mut sub, s).unwrap_or(s)),
                Run::Sleep(t, rest) => {
                    let inner = format!("{}{}", sub.state_text(ctx), rest.join("\n"));
                    Run::Sleep(t, vec![format!("(\n{inner}\n)")])
                }
                other => other,
            }
        }),
        Cmd::If(arms, els, r) => with_redirs(state, cid, ctx, r, |st, ctx| {
            for (k, (c, b)) in arms.iter().enumerate() {
                match exec_list(st, cid, ctx, c) {
                    Run::St(0) if ctx.ctrl.is_none() => return exec_list(st, cid, ctx, b),
                    Run::St(_) if ctx.ctrl.is_some() => return Run::St(ctx.last),
                    Run::St(_) => {}
                    Run::Sleep(t, rest) => {
                        let mut arms2: Vec<(List, List)> = arms[k..].to_vec();
                        let mut s = format!("if {}\nthen\n{}", group_text(&rest), show_list(&arms2.remove(0).1));
                        for (c, b) in arms2 {
                            s.push_str(&format!("elif {}then\n{}", show_list(&c), show_list(&b)));
                        }
                        if let Some(e) = els {
                            s.push_str(&format!("else\n{}", show_list(e)));
                        }
                        s.push_str("fi");
                        return Run::Sleep(t, vec![s]);
                    }
                    other => return other,
                }
            }
            match els {
                Some(e) => exec_list(st, cid, ctx, e),
                None => Run::St(0),
            }
        }),
        Cmd::Loop(lp, r) => with_redirs(state, cid, ctx, r, |st, ctx| exec_loop(st, cid, ctx, lp)),
        Cmd::Func(name, body) => {
            ctx.funcs.insert(name.clone(), body.clone());
            Run::St(0)
        }
        Cmd::Call(args, body) => {
            let mut vals = Vec::new();
            for a in args {
                match expand_word(state, cid, ctx, a) {
                    Ok(f) => vals.extend(f),
                    Err(_) => return Run::St(2),
                }
            }
            call_func(state, cid, ctx, body, vals)
        }
        Cmd::Case(w, arms, r) => with_redirs(state, cid, ctx, r, |st, ctx| {
            let word = match expand_one(st, cid, ctx, w) {
                Ok(w) => w,
                Err(e) => {
                    ctx.eprint(format!("sh: {e}\n"));
                    return Run::Quit(2);
                }
            };
            for (pats, body) in arms {
                for p in pats {
                    let pat = match expand_one(st, cid, ctx, p) {
                        Ok(p) => p,
                        Err(e) => {
                            ctx.eprint(format!("sh: {e}\n"));
                            return Run::Quit(2);
                        }
                    };
                    if glob_match(&pat, &word) {
                        return if body.is_empty() { Run::St(0) } else { exec_list(st, cid, ctx, body) };
                    }
                }
            }
            Run::St(0)
        }),
    }
}

/// Runs a function's body with `args` as `$1`...; a suspended call comes
/// back as `__call ARGS { REST }`.
pub(crate) fn call_func(state: &mut State, cid: &str, ctx: &mut Ctx, body: &str, args: Vec<String>) -> Run {
    if ctx.depth > MAX_DEPTH {
        ctx.eprint("sh: too deeply nested\n");
        return Run::Quit(2);
    }
    let saved = std::mem::replace(&mut ctx.args, args);
    ctx.in_func += 1;
    ctx.depth += 1;
    let r = run_source(state, cid, ctx, body);
    ctx.in_func -= 1;
    ctx.depth -= 1;
    let args = std::mem::replace(&mut ctx.args, saved);
    if ctx.ctrl == Some(Ctrl::Return) {
        ctx.ctrl = None;
    }
    match r {
        Run::Sleep(t, rest) => {
            let a: Vec<String> = args.iter().map(|a| quote(a)).collect();
            Run::Sleep(t, vec![format!("__call {} {}", a.join(" "), group_text(&rest))])
        }
        other => other,
    }
}

pub(crate) fn exec_simple(state: &mut State, cid: &str, ctx: &mut Ctx, words: &[String], redirs: &[Redir]) -> Run {
    ctx.subst_status = None;
    let mut assigns = Vec::new();
    let mut fields = Vec::new();
    for w in words {
        let assign = fields.is_empty() && w.split_once('=').is_some_and(|(k, _)| is_name(k));
        let r = if assign {
            let (k, v) = w.split_once('=').unwrap_or_default();
            expand_one(state, cid, ctx, v).map(|v| assigns.push((k.to_string(), v)))
        } else {
            expand_word(state, cid, ctx, w).map(|f| fields.extend(f))
        };
        if let Err(e) = r {
            // An expansion error ends a non-interactive shell.
            ctx.eprint(format!("sh: {e}\n"));
            return Run::Quit(2);
        }
    }
    if fields.is_empty() {
        for (k, v) in assigns {
            ctx.env.insert(k, v);
        }
        let st = ctx.subst_status.unwrap_or(0);
        return with_redirs(state, cid, ctx, redirs, |_, _| Run::St(st));
    }
    with_redirs(state, cid, ctx, redirs, |st, ctx| {
        if let Some(body) = ctx.funcs.get(&fields[0]).cloned() {
            for (k, v) in &assigns {
                ctx.env.insert(k.clone(), v.clone());
            }
            return call_func(st, cid, ctx, &body, fields[1..].to_vec());
        }
        if let Some(r) = builtin(st, cid, ctx, &fields, &assigns) {
            return r;
        }
        let mut child = ctx.child();
        child.stdin = ctx.stdin.take();
        for (k, v) in assigns {
            child.env.insert(k, v);
        }
        let flow = run_argv(st, cid, &mut child, &fields);
        ctx.out.append(&mut child.out);
        ctx.steps = ctx.steps.max(child.steps);
        match flow {
            Flow::Exit(c) | Flow::Quit(c) => Run::St(c),
            Flow::Sleep { until_ms, rest } if rest.is_empty() => Run::Sleep(until_ms, Vec::new()),
            Flow::Sleep { until_ms, rest } => Run::Sleep(until_ms, vec![format!("(\n{}\n)", rest.join("\n"))]),
            Flow::Serve(p) => Run::Serve(p),
        }
    })
}
