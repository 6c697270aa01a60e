//! The python stand-in: `print(...)`, `http.server`, a failing `raise`.

use std::collections::BTreeMap;

use super::sh::arith;
use super::{Ctx, Flow};
use crate::fs::normalize;
use crate::state::{Node, Program, State};

pub(crate) fn python(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    let code = match args.first().map(String::as_str) {
        None => {
            if ctx.interactive {
                ctx.print(if ctx.tty { "Python 3.13.5 (simulated)\n>>> " } else { "" });
                return Flow::Serve(Program::Interactive);
            }
            return Flow::Exit(0);
        }
        Some("--version" | "-V") => {
            ctx.print("Python 3.13.5\n");
            return Flow::Exit(0);
        }
        Some("-c") => args.get(1).cloned().unwrap_or_default(),
        Some("-m") if args.get(1).map(String::as_str) == Some("http.server") => {
            let port = args.get(2).cloned().unwrap_or_else(|| "8000".into());
            ctx.print(format!("Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...\n"));
            return Flow::Serve(Program::Forever);
        }
        Some(file) => {
            let path = normalize(&ctx.cwd, file);
            match state.read_node(cid, &path) {
                Some(Node::File { data }) => data,
                _ => {
                    ctx.eprint(format!("python3: can't open file '{path}': [Errno 2] No such file or directory\n"));
                    return Flow::Exit(2);
                }
            }
        }
    };
    let mut serve = false;
    for line in code.split(['\n', ';']) {
        let line = line.trim();
        if let Some(inner) = line.strip_prefix("print(").and_then(|l| l.strip_suffix(')')) {
            let inner = inner.trim();
            let text = if (inner.starts_with('"') && inner.ends_with('"')
                || inner.starts_with('\'') && inner.ends_with('\''))
                && inner.len() >= 2
            {
                inner[1..inner.len() - 1].to_string()
            } else if let Some(var) = inner.strip_prefix("os.environ[").and_then(|v| v.strip_suffix(']')) {
                ctx.env.get(var.trim_matches(['"', '\''])).cloned().unwrap_or_default()
            } else {
                // Sums and products of integers, as the shell computes them.
                let arithmetic = !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit() || " +-*".contains(c));
                arithmetic
                    .then(|| arith::eval(&mut BTreeMap::new(), inner).ok())
                    .flatten()
                    .map_or_else(|| inner.to_string(), |v| v.to_string())
            };
            ctx.print(format!("{text}\n"));
        } else if line.starts_with("raise") || line.starts_with("sys.exit(1)") {
            ctx.eprint("Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nException\n");
            return Flow::Exit(1);
        } else if line.contains("serve_forever") || line.contains("app.run") || line.contains("http.server") {
            serve = true;
        }
    }
    if serve {
        ctx.print(" * Serving on http://0.0.0.0:8000\n");
        return Flow::Serve(Program::Forever);
    }
    Flow::Exit(0)
}
