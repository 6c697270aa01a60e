//! `test` and `[`: one evaluator for the applet and the shell's builtin.

use super::{Applet, Args};
use crate::fs::normalize;
use crate::programs::{Ctx, Flow};
use crate::state::{Node, State};

/// The applets of this area.
pub(super) const APPLETS: &[Applet] = &[Applet::new("test", test_applet)];

/// `test`'s expression.
pub(crate) fn test(state: &State, cid: &str, cwd: &str, a: &[&str]) -> Result<bool, String> {
    let node = |p: &str| state.read_node(cid, &state.resolve_link(cid, &normalize(cwd, p)));
    let num = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("{s}: bad number"));
    Ok(match a {
        [] => false,
        ["!", rest @ ..] => !test(state, cid, cwd, rest)?,
        [s] => !s.is_empty(),
        [l, "-a", r @ ..] => test(state, cid, cwd, &[l])? && test(state, cid, cwd, r)?,
        [l, "-o", r @ ..] => test(state, cid, cwd, &[l])? || test(state, cid, cwd, r)?,
        ["-n", s] => !s.is_empty(),
        ["-z", s] => s.is_empty(),
        ["-e", p] => node(p).is_some(),
        ["-f", p] => matches!(node(p), Some(Node::File { .. })),
        ["-d", p] => matches!(node(p), Some(Node::Dir)),
        ["-s", p] => matches!(node(p), Some(Node::File { data }) if !data.is_empty()),
        ["-r" | "-w" | "-x", p] => node(p).is_some(),
        ["-L" | "-h", p] => matches!(state.read_node(cid, &normalize(cwd, p)), Some(Node::Link { .. })),
        [l, "=" | "==", r] => l == r,
        [l, "!=", r] => l != r,
        [l, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), r] => {
            let (l, r) = (num(l)?, num(r)?);
            match *op {
                "-eq" => l == r,
                "-ne" => l != r,
                "-lt" => l < r,
                "-le" => l <= r,
                "-gt" => l > r,
                _ => l >= r,
            }
        }
        [op, _] if op.starts_with('-') => return Err(format!("{op}: unknown operand")),
        _ => return Err("syntax error".into()),
    })
}

/// `test`.
fn test_applet(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let operands = a.operands.clone();
    Flow::Exit(match operands.as_slice() {
        [f, p] if f.as_str() == "-f" || f.as_str() == "-e" || f.as_str() == "-d" => {
            i32::from(state.read_node(cid, &normalize(&ctx.cwd, p)).is_none())
        }
        _ => 1,
    })
}
