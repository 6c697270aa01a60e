//! busybox: the multi-call binary and its applets. [`APPLETS`] is the one
//! table of applets (name, function, usage); the functions are grouped by
//! area in `fs`, `find`, `text`, `proc`, `net`, `sys`, `printf` and `test`, each
//! with its part of the table at its top. To add an applet: one entry in
//! its area's table, next to its function. The busybox image links every
//! applet of [`applet_names`] into `/bin`.
//!
//! May use `programs` (the shell, for `sh`), `fs`, `state` and `util`.

mod find;
mod fs;
mod net;
pub(crate) mod printf;
mod proc;
mod regex;
mod sys;
pub(crate) mod test;
mod text;

use super::{Ctx, Flow, file_text, run_argv};
use crate::state::State;

/// What an applet is called with.
pub(crate) struct Args<'a> {
    /// The name it was called by (`head` or `tail`).
    pub(crate) applet: &'a str,
    /// Its arguments (`argv[1..]`).
    pub(crate) args: &'a [String],
    /// The letters of every `-x` option, run together.
    pub(crate) flags: String,
    /// The arguments that are not options.
    pub(crate) operands: Vec<&'a String>,
    /// Its usage line (`grep [-civnqEF] ...`), or empty.
    pub(crate) usage: &'static str,
}

impl Args<'_> {
    /// busybox's short usage message.
    pub(crate) fn usage_text(&self) -> String {
        format!("BusyBox v1.37.0 (simulated)\n\nUsage: {}\n", self.usage)
    }

    /// busybox's usage message with its "multi-call binary" line.
    pub(crate) fn multi_call_usage(&self) -> String {
        format!("BusyBox v1.37.0 (simulated) multi-call binary.\n\nUsage: {}\n", self.usage)
    }
}

/// How an applet runs.
type Run = fn(&mut State, &str, &mut Ctx, &Args) -> Flow;

/// One applet: its name, its function, its usage line.
pub(crate) struct Applet {
    /// The name it is called by.
    pub(crate) name: &'static str,
    /// The function that runs it.
    run: Run,
    /// Its usage line, or empty.
    usage: &'static str,
    /// Whether the busybox image links it into `/bin` (`printf` and `:`
    /// are reached as shell builtins only).
    linked: bool,
}

impl Applet {
    /// An applet linked into `/bin`.
    const fn new(name: &'static str, run: Run) -> Applet {
        Applet { name, run, usage: "", linked: true }
    }

    /// With this usage line.
    const fn usage(self, usage: &'static str) -> Applet {
        Applet { usage, ..self }
    }

    /// Not linked into `/bin`.
    const fn unlinked(self) -> Applet {
        Applet { linked: false, ..self }
    }
}

/// Every applet, area by area.
pub(crate) const APPLETS: [&[Applet]; 8] = [
    fs::APPLETS,
    find::APPLETS,
    text::APPLETS,
    proc::APPLETS,
    net::APPLETS,
    sys::APPLETS,
    printf::APPLETS,
    test::APPLETS,
];

fn find(name: &str) -> Option<&'static Applet> {
    APPLETS.iter().flat_map(|area| area.iter()).find(|a| a.name == name)
}

/// The applets the busybox image links into `/bin`.
pub(crate) fn applet_names() -> impl Iterator<Item = &'static str> {
    APPLETS.iter().flat_map(|area| area.iter()).filter(|a| a.linked).map(|a| a.name)
}

/// Runs applet `applet` with `args`.
pub(crate) fn run(state: &mut State, cid: &str, ctx: &mut Ctx, applet: &str, args: &[String]) -> Flow {
    let Some(entry) = find(applet) else {
        ctx.eprint(format!("{applet}: applet not found\n"));
        return Flow::Exit(127);
    };
    let flags: String =
        args.iter().filter(|a| a.starts_with('-') && a.len() > 1).flat_map(|a| a[1..].chars()).collect();
    let operands: Vec<&String> = args.iter().filter(|a| !(a.starts_with('-') && a.len() > 1)).collect();
    (entry.run)(state, cid, ctx, &Args { applet, args, flags, operands, usage: entry.usage })
}

/// `busybox` itself: `busybox APPLET ARGS...` runs the applet.
pub(crate) fn busybox(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    if args.is_empty() {
        ctx.print("BusyBox v1.37.0 (simulated) multi-call binary.\n");
        Flow::Exit(0)
    } else {
        run_argv(state, cid, ctx, args)
    }
}

/// A filter's input: file `name` in the container, else its stdin. A file
/// that cannot be read is reported as busybox does (`sort: can't open
/// 'x': No such file or directory`) and ends the filter with 1.
pub(crate) fn filter_input(
    state: &State,
    cid: &str,
    ctx: &mut Ctx,
    applet: &str,
    name: Option<&String>,
) -> Result<String, Flow> {
    let Some(name) = name else { return Ok(ctx.stdin.take().unwrap_or_default()) };
    file_text(state, cid, &ctx.cwd.clone(), name).map_err(|e| {
        ctx.eprint(format!("{applet}: {e}\n"));
        Flow::Exit(1)
    })
}

/// The text filters the terminal pipes docker's output into (`docker ps |
/// grep web`).
pub const HOST_FILTERS: [&str; 8] = ["grep", "wc", "head", "tail", "sort", "uniq", "cut", "tr"];

/// Runs filter `argv` (one of [`HOST_FILTERS`]) on `input`, outside any
/// container: its standard output, standard error and exit code.
pub fn host_filter(state: &mut State, argv: &[String], input: String) -> (String, String, i32) {
    let mut ctx = Ctx::blank();
    ctx.stdin = Some(input);
    let code = match run(state, "", &mut ctx, &argv[0], &argv[1..]) {
        Flow::Exit(c) | Flow::Quit(c) => c,
        _ => 0,
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    for (stream, text) in ctx.take_output() {
        if stream == 2 { stderr.push_str(&text) } else { stdout.push_str(&text) }
    }
    (stdout, stderr, code)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{APPLETS, applet_names};
    use crate::programs::testing::exec;

    /// The table names each applet once, and the busybox image links
    /// what the table links.
    #[test]
    fn the_table_names_each_applet_once() {
        let ours: BTreeSet<&str> = applet_names().collect();
        assert!(ours.contains("sh") && ours.contains("printf") && !ours.contains("bash"), "{ours:?}");
        let all: Vec<&str> = APPLETS.iter().flat_map(|area| area.iter()).map(|a| a.name).collect();
        assert_eq!(all.len(), all.iter().collect::<BTreeSet<_>>().len(), "a name twice in {all:?}");
    }

    #[test]
    fn busybox_runs_its_applets() {
        assert_eq!(exec(&["busybox", "echo", "hi"]), ("hi\n".into(), String::new(), 0));
        assert_eq!(exec(&["busybox"]).0, "BusyBox v1.37.0 (simulated) multi-call binary.\n");
    }
}
