//! File applets: ls, cat, mkdir, chmod, chown, touch, rm, cp, mv,
//! basename, dirname, pwd.

use super::{Applet, Args};
use crate::fs::normalize;
use crate::programs::{Ctx, Flow, file_text};
use crate::state::{Node, Program, State};

/// The applets of this area.
pub(super) const APPLETS: &[Applet] = &[
    Applet::new("pwd", pwd),
    Applet::new("ls", ls),
    Applet::new("cat", cat),
    Applet::new("basename", base_dir_name),
    Applet::new("dirname", base_dir_name),
    Applet::new("mkdir", mkdir),
    Applet::new("chmod", chmod_chown).usage("chmod [-Rcvf] MODE[,MODE]... FILE..."),
    Applet::new("chown", chmod_chown).usage("chown [-Rcvf] USER[:[GRP]] FILE..."),
    Applet::new("touch", touch),
    Applet::new("rm", rm),
    Applet::new("cp", cp_mv),
    Applet::new("mv", cp_mv),
];

pub(crate) fn long_line(state: &State, cid: &str, path: &str, name: &str) -> String {
    let node = state.read_node(cid, path);
    let (mode, size, suffix) = match &node {
        // Anyone may write in /tmp; the sticky bit keeps others' files.
        Some(Node::Dir) if path == "/tmp" => ("drwxrwxrwt", 4096, String::new()),
        Some(Node::Dir) => ("drwxr-xr-x", 4096, String::new()),
        Some(Node::Link { target }) => ("lrwxrwxrwx", target.len(), format!(" -> {target}")),
        Some(Node::File { data }) if data.starts_with("#!sim:") => ("-rwxr-xr-x", 1_187_000, String::new()),
        Some(Node::File { data }) => ("-rw-r--r--", data.len(), String::new()),
        _ => ("----------", 0, String::new()),
    };
    format!("{mode}    1 root     root     {size:>9} Jan  1 00:00 {name}{suffix}\n")
}

/// `pwd`.
fn pwd(_state: &mut State, _cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    ctx.print(format!("{}\n", ctx.cwd));
    Flow::Exit(0)
}

/// `ls`.
fn ls(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let flags = &a.flags;
    let operands = a.operands.clone();
    let targets: Vec<String> =
        if operands.is_empty() { vec![".".into()] } else { operands.iter().map(|s| s.to_string()).collect() };
    let mut code = 0;
    let many = targets.len() > 1;
    for t in &targets {
        let path = normalize(&ctx.cwd, t);
        let real = state.resolve_link(cid, &path);
        match state.read_node(cid, &real) {
            Some(Node::Dir) if !flags.contains('d') => {
                if many {
                    ctx.print(format!("{t}:\n"));
                }
                let mut names = state.list_dir(cid, &real);
                if flags.contains('a') {
                    names.splice(0..0, [".".to_string(), "..".to_string()]);
                } else {
                    names.retain(|n| !n.starts_with('.'));
                }
                let child = |n: &str| normalize(&real, n);
                let mut text = String::new();
                if flags.contains('l') {
                    // In 1 KiB blocks of 4 KiB each, as on ext4.
                    let blocks: usize = names
                        .iter()
                        .map(|n| match state.read_node(cid, &child(n)) {
                            Some(Node::Dir) => 4,
                            Some(Node::File { data }) if data.starts_with("#!sim:") => 1160,
                            Some(Node::File { data }) => data.len().div_ceil(4096) * 4,
                            _ => 0,
                        })
                        .sum();
                    text.push_str(&format!("total {blocks}\n"));
                }
                for n in names {
                    // `-p`: a slash after each directory's name.
                    let slash = flags.contains('p') && matches!(state.read_node(cid, &child(&n)), Some(Node::Dir));
                    let shown = if slash { format!("{n}/") } else { n.clone() };
                    if flags.contains('l') {
                        text.push_str(&long_line(state, cid, &child(&n), &shown));
                    } else {
                        text.push_str(&shown);
                        text.push('\n');
                    }
                }
                ctx.print(text);
            }
            Some(_) => {
                if flags.contains('l') {
                    ctx.print(long_line(state, cid, &path, t));
                } else {
                    ctx.print(format!("{t}\n"));
                }
            }
            None => {
                ctx.eprint(format!("ls: {t}: No such file or directory\n"));
                code = 1;
            }
        }
    }
    Flow::Exit(code)
}

/// `cat`.
fn cat(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let operands = a.operands.clone();
    if operands.is_empty() || operands.iter().all(|o| *o == "-") {
        // An open stdin nobody has written to yet: read it as it comes.
        let Some(input) = ctx.stdin.take() else {
            return if ctx.interactive { Flow::Serve(Program::Cat) } else { Flow::Exit(0) };
        };
        ctx.print(input);
        return Flow::Exit(0);
    }
    let mut code = 0;
    for f in operands {
        match file_text(state, cid, &ctx.cwd.clone(), f) {
            Ok(t) => ctx.print(t),
            Err(e) => {
                ctx.eprint(format!("cat: {e}\n"));
                code = 1;
            }
        }
    }
    Flow::Exit(code)
}

/// `basename`, `dirname`.
fn base_dir_name(_state: &mut State, _cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let applet = a.applet;
    let operands = a.operands.clone();
    let p = operands.first().map(|s| s.as_str()).unwrap_or("");
    let out = if applet == "basename" {
        p.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string()
    } else {
        match p.trim_end_matches('/').rsplit_once('/') {
            Some(("", _)) => "/".into(),
            Some((d, _)) => d.to_string(),
            None => ".".into(),
        }
    };
    ctx.print(format!("{out}\n"));
    Flow::Exit(0)
}

/// `mkdir`.
fn mkdir(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let flags = &a.flags;
    let operands = a.operands.clone();
    let mut code = 0;
    for d in operands {
        let path = normalize(&ctx.cwd, d);
        if state.read_node(cid, &path).is_some() && !flags.contains('p') {
            ctx.eprint(format!("mkdir: can't create directory '{d}': File exists\n"));
            code = 1;
            continue;
        }
        let parent = path.rsplit_once('/').map(|(p, _)| if p.is_empty() { "/" } else { p }).unwrap_or("/").to_string();
        if !flags.contains('p') && state.read_node(cid, &parent).is_none() {
            ctx.eprint(format!("mkdir: can't create directory '{d}': No such file or directory\n"));
            code = 1;
            continue;
        }
        if state.read_node(cid, &path).is_none()
            && let Err(e) = state.write_node(cid, &path, Node::Dir)
        {
            ctx.eprint(format!("mkdir: can't create directory '{d}': {e}\n"));
            code = 1;
        }
    }
    Flow::Exit(code)
}

/// The simulated files keep no modes or owners: chmod and chown check
/// their arguments as busybox does and change nothing.
fn chmod_chown(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let applet = a.applet;
    let operands = a.operands.clone();
    let Some((spec, files)) = operands.split_first().filter(|(_, f)| !f.is_empty()) else {
        ctx.eprint(a.multi_call_usage());
        return Flow::Exit(1);
    };
    let symbolic = |m: &str| {
        let m = m.trim_start_matches(['u', 'g', 'o', 'a']);
        m.starts_with(['+', '-', '=']) && m[1..].chars().all(|c| "rwxXst".contains(c))
    };
    let octal = spec.len() <= 4 && spec.chars().all(|c| ('0'..='7').contains(&c));
    if applet == "chmod" && !(octal || spec.split(',').all(symbolic)) {
        ctx.eprint(format!("chmod: invalid mode '{spec}'\n"));
        return Flow::Exit(1);
    }
    let mut code = 0;
    for f in files {
        if state.read_node(cid, &normalize(&ctx.cwd, f)).is_none() {
            ctx.eprint(format!("{applet}: {f}: No such file or directory\n"));
            code = 1;
        }
    }
    Flow::Exit(code)
}

/// `touch`.
fn touch(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let operands = a.operands.clone();
    for f in operands {
        let path = normalize(&ctx.cwd, f);
        let data = match state.read_node(cid, &path) {
            Some(Node::File { data }) => data,
            _ => String::new(),
        };
        if let Err(e) = state.write_node(cid, &path, Node::File { data }) {
            ctx.eprint(format!("touch: {f}: {e}\n"));
            return Flow::Exit(1);
        }
    }
    Flow::Exit(0)
}

/// `rm`.
fn rm(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let flags = &a.flags;
    let operands = a.operands.clone();
    let mut code = 0;
    for f in operands {
        let path = normalize(&ctx.cwd, f);
        match state.read_node(cid, &path) {
            None if flags.contains('f') => {}
            None => {
                ctx.eprint(format!("rm: can't remove '{f}': No such file or directory\n"));
                code = 1;
            }
            Some(Node::Dir) if !flags.contains('r') => {
                ctx.eprint(format!("rm: '{f}' is a directory\n"));
                code = 1;
            }
            Some(_) => {
                if let Err(e) = state.write_node(cid, &path, Node::Whiteout) {
                    ctx.eprint(format!("rm: can't remove '{f}': {e}\n"));
                    code = 1;
                }
            }
        }
    }
    Flow::Exit(code)
}

/// `cp`, `mv`.
fn cp_mv(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let applet = a.applet;
    let operands = a.operands.clone();
    if operands.len() != 2 {
        ctx.eprint(format!("{applet}: missing file operand\n"));
        return Flow::Exit(1);
    }
    let src = normalize(&ctx.cwd, operands[0]);
    let mut dst = normalize(&ctx.cwd, operands[1]);
    let Some(node) = state.read_node(cid, &src) else {
        ctx.eprint(format!("{applet}: can't stat '{}': No such file or directory\n", operands[0]));
        return Flow::Exit(1);
    };
    if state.read_node(cid, &dst) == Some(Node::Dir) {
        dst = format!("{}/{}", dst.trim_end_matches('/'), src.rsplit('/').next().unwrap_or(""));
    }
    let _ = state.write_node(cid, &dst, node);
    if applet == "mv" {
        let _ = state.write_node(cid, &src, Node::Whiteout);
    }
    Flow::Exit(0)
}

#[cfg(test)]
mod tests {
    use crate::programs::testing::{exec_in, with_box};

    #[test]
    fn files_are_made_listed_copied_and_removed() {
        with_box(|st, cid| {
            let mut run = |argv: &[&str]| exec_in(st, cid, argv);
            assert_eq!(run(&["mkdir", "/work"]).2, 0);
            assert_eq!(
                run(&["mkdir", "/work"]),
                (String::new(), "mkdir: can't create directory '/work': File exists\n".into(), 1)
            );
            assert_eq!(run(&["mkdir", "-p", "/work/a/b"]).2, 0);
            assert_eq!(run(&["touch", "/work/f"]).2, 0);
            assert_eq!(run(&["ls", "/work"]).0, "a\nf\n");
            assert_eq!(run(&["cp", "/etc/hostname", "/work/f"]).2, 0);
            assert_eq!(run(&["cat", "/work/f"]), run(&["cat", "/etc/hostname"]));
            assert_eq!(run(&["mv", "/work/f", "/work/a"]).2, 0);
            assert_eq!(run(&["ls", "/work/a"]).0, "b\nf\n");
            assert_eq!(run(&["rm", "/work/a"]), (String::new(), "rm: '/work/a' is a directory\n".into(), 1));
            assert_eq!(run(&["rm", "-r", "/work/a"]).2, 0);
            assert_eq!(run(&["ls", "/work/a"]), (String::new(), "ls: /work/a: No such file or directory\n".into(), 1));
            assert_eq!(
                run(&["cat", "/nope"]),
                (String::new(), "cat: can't open '/nope': No such file or directory\n".into(), 1)
            );
        });
    }

    #[test]
    fn names_modes_and_long_listings() {
        with_box(|st, cid| {
            let mut run = |argv: &[&str]| exec_in(st, cid, argv);
            assert_eq!(run(&["basename", "/usr/bin/env"]).0, "env\n");
            assert_eq!(run(&["dirname", "/usr/bin/env"]).0, "/usr/bin\n");
            assert_eq!(run(&["dirname", "env"]).0, ".\n");
            assert_eq!(run(&["chmod", "u+x", "/etc/passwd"]).2, 0);
            assert_eq!(run(&["chmod", "9", "/etc/passwd"]), (String::new(), "chmod: invalid mode '9'\n".into(), 1));
            assert!(run(&["chown", "root"]).1.ends_with("Usage: chown [-Rcvf] USER[:[GRP]] FILE...\n"));
            assert!(run(&["ls", "-ld", "/tmp"]).0.starts_with("drwxrwxrwt "));
            assert_eq!(run(&["pwd"]).0, "/\n");
        });
    }

    /// As busybox's `ls -p` (docker-py's copy test lists with it).
    #[test]
    fn ls_p_marks_directories() {
        with_box(|st, cid| {
            let mut run = |argv: &[&str]| exec_in(st, cid, argv);
            assert_eq!(run(&["mkdir", "-p", "/work/a"]).2, 0);
            assert_eq!(run(&["touch", "/work/f"]).2, 0);
            assert_eq!(run(&["ls", "-p", "/work"]).0, "a/\nf\n");
            let long = run(&["ls", "-lp", "/work"]).0;
            assert!(long.contains(" a/\n") && long.ends_with(" f\n"), "{long}");
            assert_eq!(run(&["ls", "/work"]).0, "a\nf\n");
        });
    }
}
