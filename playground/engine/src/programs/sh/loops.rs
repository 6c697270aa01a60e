//! Loops: `while`, `until` and `for`, with `break`/`continue`, a busy
//! loop yielding simulated time, and an iteration suspended by a sleep
//! kept as text (`__resume { REST } LOOP`).

use super::exec::{Run, exec_list, run_source};
use super::expand::expand_word;
use super::parser::{Cmd, LoopCmd, show_cmd};
use super::{STEP_BUDGET, quote};
use crate::programs::Ctx;
use crate::programs::process::Ctrl;
use crate::state::State;

pub(crate) fn exec_loop(state: &mut State, cid: &str, ctx: &mut Ctx, lp: &LoopCmd) -> Run {
    // `for`: the items are expanded once.
    let mut vals: Vec<String> = Vec::new();
    if let Some((_, items)) = &lp.each {
        for w in items {
            match expand_word(state, cid, ctx, w) {
                Ok(f) => vals.extend(f),
                Err(e) => {
                    ctx.eprint(format!("sh: {e}\n"));
                    return Run::Quit(2);
                }
            }
        }
        vals.reverse();
    }
    ctx.loops += 1;
    let r = loop_run(state, cid, ctx, lp, vals);
    ctx.loops -= 1;
    r
}

pub(crate) fn loop_run(state: &mut State, cid: &str, ctx: &mut Ctx, lp: &LoopCmd, mut vals: Vec<String>) -> Run {
    // The loop, as text, with what remains of it.
    let suspend = |vals: &[String], resume: Option<(bool, Vec<String>)>| -> Vec<String> {
        let mut l = lp.clone();
        if let Some((name, _)) = &lp.each {
            l.each = Some((name.clone(), vals.iter().rev().map(|v| quote(v)).collect()));
        }
        l.resume = resume.map(|(c, rest)| (c, rest.join("\n") + "\n"));
        vec![show_cmd(&Cmd::Loop(Box::new(l), Vec::new()))]
    };
    let mut status = 0;
    let mut pending = lp.resume.clone();
    loop {
        let mut run_body = true;
        match pending.take() {
            Some((in_cond, rest)) => match run_source(state, cid, ctx, &rest) {
                Run::St(s) => {
                    if !in_cond {
                        status = s;
                        run_body = false;
                    } else if ctx.ctrl.is_none() && (s == 0) == lp.until {
                        return Run::St(status);
                    }
                }
                Run::Sleep(t, rest) => return Run::Sleep(t, suspend(&vals, Some((in_cond, rest)))),
                other => return other,
            },
            None => {
                ctx.steps += 1;
                if ctx.steps > STEP_BUDGET {
                    if !ctx.can_yield {
                        ctx.eprint("sh: (simulation) the loop ran too long and was stopped\n");
                        return Run::St(1);
                    }
                    // A busy loop: let simulated time pass.
                    ctx.steps = 0;
                    return Run::Sleep(state.clock_ms.saturating_add(1000), suspend(&vals, None));
                }
                if let Some((name, _)) = &lp.each {
                    let Some(v) = vals.pop() else { return Run::St(status) };
                    ctx.env.insert(name.clone(), v);
                } else {
                    match exec_list(state, cid, ctx, &lp.cond) {
                        Run::St(s) => {
                            if ctx.ctrl.is_none() && (s == 0) == lp.until {
                                return Run::St(status);
                            }
                        }
                        Run::Sleep(t, rest) => return Run::Sleep(t, suspend(&vals, Some((true, rest)))),
                        other => return other,
                    }
                }
            }
        }
        if let Some(c) = take_ctrl(ctx) {
            match c {
                Ctrl::Break(_) | Ctrl::Return => return Run::St(status),
                Ctrl::Continue(_) => continue,
            }
        }
        if run_body {
            match exec_list(state, cid, ctx, &lp.body) {
                Run::St(s) => status = s,
                Run::Sleep(t, rest) => return Run::Sleep(t, suspend(&vals, Some((false, rest)))),
                other => return other,
            }
            if let Some(Ctrl::Break(_)) = take_ctrl(ctx) {
                return Run::St(status);
            }
        }
    }
}

/// Takes a break/continue meant for this loop (one level), leaving outer
/// levels pending; a `return` ends the loop and stays pending.
pub(crate) fn take_ctrl(ctx: &mut Ctx) -> Option<Ctrl> {
    if ctx.ctrl == Some(Ctrl::Return) {
        return Some(Ctrl::Break(1));
    }
    let c = ctx.ctrl.take()?;
    match c {
        Ctrl::Break(n) if n > 1 => ctx.ctrl = Some(Ctrl::Break(n - 1)),
        Ctrl::Continue(n) if n > 1 => ctx.ctrl = Some(Ctrl::Continue(n - 1)),
        _ => return Some(c),
    }
    Some(Ctrl::Break(1))
}
