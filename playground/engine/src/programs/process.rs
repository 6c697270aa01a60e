//! A process's context ([`Ctx`]: environment, directory, output, the
//! shell's variables) and what a program did ([`Flow`]).

use std::collections::BTreeMap;

use crate::state::{Program, State};

/// Break or continue, and how many loops it leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ctrl {
    Break(u32),
    Continue(u32),
    Return,
}

/// What a program did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    /// It ended with this code.
    Exit(i32),
    /// `exit N`: the shell itself ends.
    Quit(i32),
    /// It sleeps until `until_ms`, then runs `rest`.
    Sleep {
        /// When to resume.
        until_ms: u64,
        /// The commands left.
        rest: Vec<String>,
    },
    /// It keeps running as this program.
    Serve(Program),
}

/// The context a process runs in.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Environment.
    pub env: BTreeMap<String, String>,
    /// Working directory.
    pub cwd: String,
    /// Output so far: `(stream, text)`.
    pub out: Vec<(u8, String)>,
    /// The last exit code (`$?`).
    pub last: i32,
    /// Its PID in the container.
    pub pid: u32,
    /// Whether stdin is attached (an interactive shell stays up).
    pub interactive: bool,
    /// Whether a TTY is attached (shells print a prompt).
    pub tty: bool,
    /// Standard input for the current command (pipes).
    pub stdin: Option<String>,
    /// `trap` handlers by signal (`TERM`, `EXIT`).
    pub(crate) traps: BTreeMap<String, String>,
    /// The positional parameters (`$1`...).
    pub(crate) args: Vec<String>,
    /// `$0`.
    pub(crate) arg0: String,
    /// Loop iterations since the process last yielded.
    pub(crate) steps: u32,
    /// How deeply nested the running code is.
    pub(crate) depth: u32,
    /// How many loops enclose the running code.
    pub(crate) loops: u32,
    /// A pending `break`/`continue`.
    pub(crate) ctrl: Option<Ctrl>,
    /// The status of the last command substitution.
    pub(crate) subst_status: Option<i32>,
    /// Whether a busy loop may yield (not inside `$( )`).
    pub(crate) can_yield: bool,
    /// Functions: name to body.
    pub(crate) funcs: BTreeMap<String, String>,
    /// How many function calls enclose the running code.
    pub(crate) in_func: u32,
}

impl Ctx {
    /// The main process's context in container `cid`.
    pub fn for_container(state: &State, cid: &str) -> Ctx {
        let mut env = BTreeMap::new();
        let mut cwd = "/".to_string();
        let mut interactive = false;
        let mut tty = false;
        if let Some(c) = state.containers.get(cid) {
            env.insert("HOSTNAME".to_string(), c.hostname.clone());
            env.insert("HOME".to_string(), "/root".to_string());
            if c.tty {
                env.insert("TERM".to_string(), "xterm".to_string());
            }
            // Its links' variables, which its own environment overrides.
            for kv in c.link_env.iter().chain(&c.env) {
                if let Some((k, v)) = kv.split_once('=') {
                    env.insert(k.to_string(), v.to_string());
                }
            }
            if !c.workdir.is_empty() {
                cwd = c.workdir.clone();
            }
            interactive = c.open_stdin;
            tty = c.tty;
        }
        Ctx { env, cwd, interactive, tty, ..Ctx::blank() }
    }

    pub(crate) fn blank() -> Ctx {
        Ctx {
            env: BTreeMap::new(),
            cwd: "/".into(),
            out: Vec::new(),
            last: 0,
            pid: 1,
            interactive: false,
            tty: false,
            stdin: None,
            traps: BTreeMap::new(),
            args: Vec::new(),
            arg0: "sh".into(),
            steps: 0,
            depth: 0,
            loops: 0,
            ctrl: None,
            subst_status: None,
            can_yield: true,
            funcs: BTreeMap::new(),
            in_func: 0,
        }
    }

    pub(crate) fn print(&mut self, text: impl Into<String>) {
        self.out.push((1, text.into()));
    }

    pub(crate) fn eprint(&mut self, text: impl Into<String>) {
        self.out.push((2, text.into()));
    }

    /// Takes the output, merging adjacent chunks of the same stream.
    pub fn take_output(&mut self) -> Vec<(u8, String)> {
        let mut merged: Vec<(u8, String)> = Vec::new();
        for (s, t) in self.out.drain(..) {
            match merged.last_mut() {
                Some((ls, lt)) if *ls == s => lt.push_str(&t),
                _ => merged.push((s, t)),
            }
        }
        merged
    }
}
