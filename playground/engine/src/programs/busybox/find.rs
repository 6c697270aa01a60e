//! `find`: walks the container's file tree from each path and prints what
//! matches, as busybox's find does for the tests it is given here: `-name`,
//! `-iname`, `-path`, `-type` (f, d, l), `-maxdepth`, `-mindepth` and
//! `-print`, all of which must hold (busybox's implicit `-a`). Symbolic links
//! are not followed. A directory comes before what it holds, its entries in
//! name order (busybox's order is the directory's, which the simulation does
//! not keep).

use super::{Applet, Args};
use crate::fs::normalize;
use crate::programs::{Ctx, Flow};
use crate::state::{Node, State};
use crate::util::glob::glob_match;

/// The applets of this area.
pub(super) const APPLETS: &[Applet] = &[Applet::new("find", find).usage("find [-HL] [PATH]... [OPTIONS] [ACTIONS]")];

/// busybox's tests and actions that the simulation does not have: named as
/// not simulated rather than as unknown.
const NOT_SIMULATED: &[&str] = &[
    "-H",
    "-L",
    "-follow",
    "-xdev",
    "-depth",
    "(",
    ")",
    "!",
    "-not",
    "-o",
    "-or",
    "-regex",
    "-ipath",
    "-executable",
    "-perm",
    "-mtime",
    "-atime",
    "-ctime",
    "-mmin",
    "-amin",
    "-cmin",
    "-newer",
    "-inum",
    "-samefile",
    "-user",
    "-group",
    "-size",
    "-links",
    "-empty",
    "-prune",
    "-print0",
    "-exec",
    "-quit",
    "-delete",
];

/// One test of the expression.
enum Test {
    Name(String),
    IName(String),
    Path(String),
    Type(char),
}

/// The parsed command line.
struct Query {
    paths: Vec<String>,
    tests: Vec<Test>,
    min_depth: usize,
    max_depth: usize,
}

/// `find`.
fn find(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let q = match parse(a.args) {
        Ok(q) => q,
        Err(Bad { message, unknown }) => {
            ctx.eprint(message);
            if unknown {
                ctx.eprint(a.multi_call_usage());
            }
            return Flow::Exit(1);
        }
    };
    let mut code = 0;
    let mut walk = Walk { state: &*state, cid, q: &q, out: String::new() };
    for start in &q.paths {
        let full = normalize(&ctx.cwd, start);
        match walk.state.read_node(cid, &full) {
            Some(node) => walk.visit(start, &full, &node, 0),
            None => {
                ctx.eprint(format!("find: {start}: No such file or directory\n"));
                code = 1;
            }
        }
    }
    ctx.print(walk.out);
    Flow::Exit(code)
}

/// A command line find refuses: its message, and whether it is an unknown
/// word (busybox adds its usage then).
struct Bad {
    message: String,
    unknown: bool,
}

impl From<String> for Bad {
    fn from(message: String) -> Bad {
        Bad { message, unknown: false }
    }
}

fn parse(args: &[String]) -> Result<Query, Bad> {
    let split = args.iter().position(|w| w.starts_with('-') || ["(", ")", "!"].contains(&w.as_str()));
    let (paths, rest) = args.split_at(split.unwrap_or(args.len()));
    let mut q = Query {
        paths: if paths.is_empty() { vec![".".into()] } else { paths.to_vec() },
        tests: Vec::new(),
        min_depth: 0,
        max_depth: usize::MAX,
    };
    let mut words = rest.iter();
    while let Some(w) = words.next() {
        let mut value = || words.next().cloned().ok_or_else(|| format!("find: {w} requires an argument\n"));
        match w.as_str() {
            "-print" | "-a" | "-and" => {}
            "-name" => q.tests.push(Test::Name(value()?)),
            "-iname" => q.tests.push(Test::IName(value()?.to_lowercase())),
            "-path" => q.tests.push(Test::Path(value()?)),
            "-type" => {
                let v = value()?;
                match v.as_str() {
                    "f" | "d" | "l" => q.tests.push(Test::Type(v.chars().next().unwrap_or('f'))),
                    _ => return Err(format!("find: invalid argument '{v}' to '-type'\n").into()),
                }
            }
            "-maxdepth" | "-mindepth" => {
                let v = value()?;
                let n: usize = v.parse().map_err(|_| format!("find: invalid number '{v}'\n"))?;
                if w == "-maxdepth" { q.max_depth = n } else { q.min_depth = n }
            }
            other if NOT_SIMULATED.contains(&other) => {
                return Err(format!(
                    "find: {other} is not simulated (this find takes -name, -iname, -path, -type f|d|l, -maxdepth, -mindepth, -print)\n"
                )
                .into());
            }
            other => return Err(Bad { message: format!("find: unrecognized: {other}\n"), unknown: true }),
        }
    }
    Ok(q)
}

/// One walk: what it reads, what it looks for, what it prints.
struct Walk<'a> {
    state: &'a State,
    cid: &'a str,
    q: &'a Query,
    out: String,
}

impl Walk<'_> {
    /// Visits `shown` (the path as printed; `full` in the container) and, if
    /// it is a directory within the depth, what it holds.
    fn visit(&mut self, shown: &str, full: &str, node: &Node, depth: usize) {
        if depth >= self.q.min_depth && self.q.tests.iter().all(|t| holds(t, shown, node)) {
            self.out.push_str(shown);
            self.out.push('\n');
        }
        if !matches!(node, Node::Dir) || depth >= self.q.max_depth {
            return;
        }
        for name in self.state.list_dir(self.cid, full) {
            let child_full = normalize(full, &name);
            let Some(child) = self.state.read_node(self.cid, &child_full) else { continue };
            let child_shown = if shown.ends_with('/') { format!("{shown}{name}") } else { format!("{shown}/{name}") };
            self.visit(&child_shown, &child_full, &child, depth + 1);
        }
    }
}

fn holds(test: &Test, shown: &str, node: &Node) -> bool {
    let base = shown.trim_end_matches('/').rsplit('/').next().filter(|b| !b.is_empty()).unwrap_or(shown);
    match test {
        Test::Name(p) => glob_match(p, base),
        Test::IName(p) => glob_match(p, &base.to_lowercase()),
        Test::Path(p) => glob_match(p, shown),
        Test::Type(t) => matches!((t, node), ('d', Node::Dir) | ('l', Node::Link { .. }) | ('f', Node::File { .. })),
    }
}

#[cfg(test)]
mod tests {
    use crate::programs::testing::{exec_in, with_box};
    use crate::state::Node;

    fn tree(script_then: &[&str]) -> (String, String, i32) {
        with_box(|st, cid| {
            let setup = "mkdir -p /t/a/b && touch /t/x /t/a/y /t/a/b/z";
            assert_eq!(exec_in(st, cid, &["sh", "-c", setup]).2, 0);
            st.write_node(cid, "/t/l", Node::Link { target: "/t/a".into() }).expect("a link");
            exec_in(st, cid, script_then)
        })
    }

    /// Compared with busybox 1.35's find in a busybox container on dockerd
    /// (which lists a directory in creation order, not name order).
    #[test]
    fn find_walks_the_tree_and_filters_as_busybox_does() {
        let out = |argv: &[&str]| tree(argv).0;
        assert_eq!(out(&["sh", "-c", "cd /t && find"]), ".\n./a\n./a/b\n./a/b/z\n./a/y\n./l\n./x\n");
        assert_eq!(out(&["find", "/t", "-type", "f"]), "/t/a/b/z\n/t/a/y\n/t/x\n");
        assert_eq!(out(&["find", "/t/", "-maxdepth", "1", "-name", "[xl]"]), "/t/l\n/t/x\n");
        assert_eq!(out(&["find", "/t", "-mindepth", "2", "-type", "d"]), "/t/a/b\n");
        assert_eq!(out(&["find", "/t/x", "/t/a", "-name", "*"]), "/t/x\n/t/a\n/t/a/b\n/t/a/b/z\n/t/a/y\n");
        assert_eq!(out(&["find", "/t", "-iname", "X"]), "/t/x\n");
        assert_eq!(out(&["find", "/t", "-type", "l"]), "/t/l\n", "a link is not followed");
        assert_eq!(out(&["find", "/t", "-path", "/t/a/*", "-type", "f", "-print"]), "/t/a/b/z\n/t/a/y\n");
    }

    #[test]
    fn find_reports_bad_paths_and_arguments() {
        assert_eq!(tree(&["find", "/nope"]), (String::new(), "find: /nope: No such file or directory\n".into(), 1));
        assert_eq!(tree(&["find", "/t", "-type"]), (String::new(), "find: -type requires an argument\n".into(), 1));
        assert_eq!(tree(&["find", "/t", "-type", "q"]).1, "find: invalid argument 'q' to '-type'\n");
        assert_eq!(tree(&["find", "/t", "-maxdepth", "x"]).1, "find: invalid number 'x'\n");
        let (out, err, code) = tree(&["find", "/t", "-foo"]);
        assert!(out.is_empty() && code == 1 && err.starts_with("find: unrecognized: -foo\nBusyBox"), "{err}");
        assert!(err.contains("Usage: find [-HL] [PATH]... [OPTIONS] [ACTIONS]"), "{err}");
        let (_, err, code) = tree(&["find", "/t", "-exec", "ls", "{}", ";"]);
        assert_eq!((err.starts_with("find: -exec is not simulated"), code), (true, 1), "{err}");
    }
}
