//! `test` and `[`: one evaluator for the applet and the shell's builtin.

use super::{Applet, Args};
use crate::fs::normalize;
use crate::programs::{Ctx, Flow};
use crate::state::{Node, State};

/// The applets of this area.
pub(super) const APPLETS: &[Applet] = &[Applet::new("test", test_applet)];

/// `test`'s expression.
fn test(state: &State, cid: &str, cwd: &str, a: &[&str]) -> Result<bool, String> {
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
    Flow::Exit(run_test(state, cid, ctx, a.applet, a.args, ""))
}

/// Runs `test ARGS` or `[ ARGS ]` (`name`): its status (0 true, 1 false,
/// 2 an error, printed after `prefix`: `sh: ` for the shell's builtin).
pub(crate) fn run_test(state: &State, cid: &str, ctx: &mut Ctx, name: &str, args: &[String], prefix: &str) -> i32 {
    let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
    if name == "[" {
        if a.last() != Some(&"]") {
            ctx.eprint(format!("{prefix}[: missing ]\n"));
            return 2;
        }
        a.pop();
    }
    match test(state, cid, &ctx.cwd, &a) {
        Ok(b) => i32::from(!b),
        Err(e) => {
            ctx.eprint(format!("{prefix}{name}: {e}\n"));
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::programs::testing::{exec, sh};

    #[test]
    fn the_applet_tests_files_as_the_builtin_does() {
        assert_eq!(exec(&["test", "-f", "/etc/passwd"]).2, 0, "a file is a file");
        assert_eq!(exec(&["test", "-f", "/nope"]).2, 1);
        assert_eq!(exec(&["test", "-f", "/etc"]).2, 1, "a directory is not a file");
        assert_eq!(exec(&["test", "-d", "/etc"]).2, 0);
        assert_eq!(exec(&["test", "-e", "/nope"]).2, 1);
        assert_eq!(exec(&["test", "-n", "x"]).2, 0, "not only files");
        assert_eq!(exec(&["test", "1", "-lt", "2"]).2, 0);
        assert_eq!(exec(&["test", "a", "=", "b"]).2, 1);
        assert_eq!(exec(&["test", "1", "-lt", "x"]), (String::new(), "test: x: bad number\n".into(), 2));
    }

    #[test]
    fn the_builtin_and_brackets() {
        assert_eq!(sh("[ -d / ]").2, 0);
        assert_eq!(sh("[ -f / ]").2, 1);
        assert_eq!(sh("test -f /etc/passwd && [ ! -e /nope ]").2, 0);
        assert_eq!(sh("[ -d /"), (String::new(), "sh: [: missing ]\n".into(), 2));
        assert_eq!(sh("test -q x"), (String::new(), "sh: test: -q: unknown operand\n".into(), 2));
    }
}
