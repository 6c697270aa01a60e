//! The simulated programs: a busybox-like shell and its applets,
//! hello-world, an nginx-like web server, a redis-like store, a tiny python.

use std::collections::BTreeMap;

pub(crate) mod arith;

use crate::catalog::HELLO;
use crate::fs::normalize;
use crate::state::{Node, Program, State, Status};
use crate::util::glob::{bracket, glob_match};

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
    traps: BTreeMap<String, String>,
    /// The positional parameters (`$1`...).
    args: Vec<String>,
    /// `$0`.
    arg0: String,
    /// Loop iterations since the process last yielded.
    steps: u32,
    /// How deeply nested the running code is.
    depth: u32,
    /// How many loops enclose the running code.
    loops: u32,
    /// A pending `break`/`continue`.
    ctrl: Option<Ctrl>,
    /// The status of the last command substitution.
    subst_status: Option<i32>,
    /// Whether a busy loop may yield (not inside `$( )`).
    can_yield: bool,
    /// Functions: name to body.
    funcs: BTreeMap<String, String>,
    /// How many function calls enclose the running code.
    in_func: u32,
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
            for kv in &c.env {
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

    fn blank() -> Ctx {
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

    fn print(&mut self, text: impl Into<String>) {
        self.out.push((1, text.into()));
    }

    fn eprint(&mut self, text: impl Into<String>) {
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
// ---------------------------------------------------------------------------
// The shell language: a small POSIX-sh parser and interpreter.
//
// A script is parsed one top-level line at a time (like ash) into a tree of
// lists, and-or chains, pipelines and commands; words stay raw text and are
// expanded when they run. A process that sleeps is suspended as text: the
// interpreter returns the rest of the script (what each enclosing command
// still has to do, printed back as shell) and a first chunk that restores the
// shell's variables, traps and directory, so the process resumes exactly
// where it stopped.
// ---------------------------------------------------------------------------

/// The first line of a suspended script's state chunk.
const STATE_MARK: &str = "# sim:state";
/// How deeply commands, substitutions and scripts may nest.
const MAX_DEPTH: u32 = 48;
/// Loop iterations a process runs before yielding one simulated second.
const STEP_BUDGET: u32 = 1000;
/// The longest word or variable value the simulation keeps.
const MAX_TEXT: usize = 1 << 20;

type List = Vec<AndOr>;

#[derive(Debug, Clone)]
struct AndOr {
    first: Pipe,
    rest: Vec<(bool, Pipe)>,
    bg: bool,
}

#[derive(Debug, Clone)]
struct Pipe {
    bang: bool,
    cmds: Vec<Cmd>,
}

#[derive(Debug, Clone)]
struct Redir {
    fd: u8,
    op: &'static str,
    target: String,
}

#[derive(Debug, Clone)]
enum Cmd {
    Simple(Vec<String>, Vec<Redir>),
    Group(List, Vec<Redir>),
    Sub(List, Vec<Redir>),
    If(Vec<(List, List)>, Option<List>, Vec<Redir>),
    Loop(Box<LoopCmd>, Vec<Redir>),
    /// `name() BODY`: defines a function (its body as text).
    Func(String, String),
    /// A suspended function call: its arguments, the rest of its body.
    Call(Vec<String>, String),
    /// `case WORD in PATTERN|PATTERN) LIST ;; ... esac`.
    Case(String, Vec<(Vec<String>, List)>, Vec<Redir>),
}

#[derive(Debug, Clone)]
struct LoopCmd {
    until: bool,
    /// `for NAME in ITEMS` (`None`: a while/until loop).
    each: Option<(String, Vec<String>)>,
    cond: List,
    body: List,
    /// A suspended iteration to finish first: (in the condition, its rest).
    resume: Option<(bool, String)>,
}

/// Break or continue, and how many loops it leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctrl {
    Break(u32),
    Continue(u32),
    Return,
}

/// What running a piece of script did.
enum Run {
    /// It finished with this status.
    St(i32),
    /// `exit N`.
    Quit(i32),
    /// It sleeps until the time, then the script chunks run.
    Sleep(u64, Vec<String>),
    /// It became a long-running program.
    Serve(Program),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Op(&'static str),
    Redir(u8, &'static str),
    Nl,
    Eof,
}

struct Lexer {
    s: Vec<char>,
    pos: usize,
    /// The body of a here-document just read, as the word the next token
    /// is (single-quoted, so that it expands to itself).
    pending: Option<String>,
}

/// A here-document with a quoted delimiter (`<<'EOF'`): its body as written.
/// Internal spellings, which the lexer also reads back when a suspended
/// script is printed as text; no shell syntax uses these characters.
const HEREDOC_LITERAL: &str = "<<\u{e003}";
/// A here-document with a plain delimiter (`<<EOF`): its body expanded like
/// a double-quoted string whose quotes are ordinary characters.
const HEREDOC_EXPAND: &str = "<<\u{e004}";

fn is_meta(c: char) -> bool {
    matches!(c, ';' | '&' | '|' | '(' | ')' | '<' | '>' | ' ' | '\t' | '\n')
}

/// The index just past the `close` matching the `open` at `i` (quotes and
/// nesting respected).
fn skip_balanced(s: &[char], mut i: usize, open: char, close: char) -> Result<usize, String> {
    let mut depth = 0usize;
    while i < s.len() {
        match s[i] {
            '\\' => i += 1,
            '\'' => match skip_squote(s, i + 1) {
                Some(end) => i = end,
                None => break,
            },
            '"' => i = skip_dquote(s, i + 1)?,
            '`' => i = skip_backtick(s, i + 1)?,
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Err(format!("unexpected end of file (expecting \"{close}\")"))
}

/// From just inside a `'`, the index of the closing quote; `None` when
/// the text ends first.
fn skip_squote(s: &[char], i: usize) -> Option<usize> {
    s.get(i..)?.iter().position(|&c| c == '\'').map(|n| i + n)
}

/// From just inside a `"`, the index of the closing quote.
fn skip_dquote(s: &[char], mut i: usize) -> Result<usize, String> {
    while i < s.len() {
        match s[i] {
            '"' => return Ok(i),
            '\\' => i += 1,
            '`' => i = skip_backtick(s, i + 1)?,
            '$' if s.get(i + 1) == Some(&'(') => i = skip_balanced(s, i + 1, '(', ')')? - 1,
            '$' if s.get(i + 1) == Some(&'{') => i = skip_balanced(s, i + 1, '{', '}')? - 1,
            _ => {}
        }
        i += 1;
    }
    Err("unterminated quoted string".into())
}

/// From just inside a backtick, the index of the closing one.
fn skip_backtick(s: &[char], mut i: usize) -> Result<usize, String> {
    while i < s.len() {
        match s[i] {
            '`' => return Ok(i),
            '\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    Err("unterminated quoted string".into())
}

impl Lexer {
    fn new(src: &str) -> Lexer {
        Lexer { s: src.chars().collect(), pos: 0, pending: None }
    }

    /// After `<<` or `<<-`: reads the delimiter word, then takes the lines
    /// after the current one up to the delimiter's line out of the source,
    /// and returns the operator (quoted delimiter: literal body; otherwise
    /// expanded). A body without its delimiter line ends at the end of the
    /// text, as in ash.
    fn here_document(&mut self, strip_tabs: bool) -> Result<&'static str, String> {
        while matches!(self.s.get(self.pos), Some(' ' | '\t')) {
            self.pos += 1;
        }
        let start = self.pos;
        while self.pos < self.s.len() && !is_meta(self.s[self.pos]) {
            self.pos += 1;
        }
        let raw: String = self.s[start..self.pos].iter().collect();
        if raw.is_empty() {
            return Err("unexpected newline".into());
        }
        let quoted = raw.contains(['\'', '"', '\\']);
        let delimiter: String = raw.chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
        let mut body = String::new();
        if let Some(nl) = self.s[self.pos..].iter().position(|&c| c == '\n').map(|n| self.pos + n) {
            let mut at = nl + 1;
            while at < self.s.len() {
                let end = self.s[at..].iter().position(|&c| c == '\n').map_or(self.s.len(), |n| at + n);
                let mut line: String = self.s[at..end].iter().collect();
                if strip_tabs {
                    line = line.trim_start_matches('\t').to_string();
                }
                at = (end + 1).min(self.s.len());
                if line == delimiter {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            self.s.drain(nl + 1..at);
        }
        self.pending = Some(quote(&body));
        Ok(if quoted { HEREDOC_LITERAL } else { HEREDOC_EXPAND })
    }

    fn next(&mut self) -> Result<Tok, String> {
        if let Some(word) = self.pending.take() {
            return Ok(Tok::Word(word));
        }
        let s = &self.s;
        loop {
            match s.get(self.pos) {
                Some(' ' | '\t' | '\r') => self.pos += 1,
                Some('\\') if s.get(self.pos + 1) == Some(&'\n') => self.pos += 2,
                Some('#') => {
                    while self.pos < s.len() && s[self.pos] != '\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(&c) = s.get(self.pos) else { return Ok(Tok::Eof) };
        let at = |k: usize| s.get(self.pos + k).copied();
        if c == '\n' {
            self.pos += 1;
            return Ok(Tok::Nl);
        }
        for op in ["&&", "||", ";;", ";", "&", "|", "(", ")"] {
            if op.chars().enumerate().all(|(k, oc)| at(k) == Some(oc)) {
                self.pos += op.len();
                return Ok(Tok::Op(op));
            }
        }
        // A redirection, with an optional single-digit descriptor.
        let (fd, off) = match c {
            d @ '0'..='9' if matches!(at(1), Some('<' | '>')) => (Some(d as u8 - b'0'), 1),
            _ => (None, 0),
        };
        if let Some(r @ ('<' | '>')) = at(off) {
            let (op, len) = match (r, at(off + 1)) {
                ('>', Some('>')) => (">>", 2),
                ('>', Some('&')) => (">&", 2),
                ('>', Some('|')) => (">", 2),
                ('<', Some('&')) => ("<&", 2),
                ('<', Some('<')) => {
                    let fd = fd.unwrap_or(0);
                    let op = match at(off + 2) {
                        Some('<') => Some(("<<<", 3)),
                        Some('\u{e003}') => Some((HEREDOC_LITERAL, 3)),
                        Some('\u{e004}') => Some((HEREDOC_EXPAND, 3)),
                        _ => None,
                    };
                    if let Some((op, len)) = op {
                        self.pos += off + len;
                        return Ok(Tok::Redir(fd, op));
                    }
                    let strip_tabs = at(off + 2) == Some('-');
                    self.pos += off + 2 + usize::from(strip_tabs);
                    return Ok(Tok::Redir(fd, self.here_document(strip_tabs)?));
                }
                ('>', _) => (">", 1),
                _ => ("<", 1),
            };
            self.pos += off + len;
            let fd = fd.unwrap_or(if r == '>' { 1 } else { 0 });
            return Ok(Tok::Redir(fd, op));
        }
        let start = self.pos;
        let mut i = self.pos;
        while i < s.len() && !is_meta(s[i]) {
            match s[i] {
                '\\' => i += 1,
                '\'' => i = skip_squote(s, i + 1).ok_or("unterminated quoted string")?,
                '"' => i = skip_dquote(s, i + 1)?,
                '`' => i = skip_backtick(s, i + 1)?,
                '$' if s.get(i + 1) == Some(&'(') => i = skip_balanced(s, i + 1, '(', ')')? - 1,
                '$' if s.get(i + 1) == Some(&'{') => i = skip_balanced(s, i + 1, '{', '}')? - 1,
                _ => {}
            }
            i += 1;
        }
        let i = i.min(s.len());
        self.pos = i;
        Ok(Tok::Word(s[start..i].iter().collect()))
    }
}

struct Parser {
    lx: Lexer,
    peeked: Option<(usize, Tok)>,
    depth: u32,
}

fn show_tok(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("unexpected \"{w}\""),
        Tok::Op(o) => format!("unexpected \"{o}\""),
        Tok::Redir(_, o) => format!("unexpected \"{o}\""),
        Tok::Nl => "unexpected newline".into(),
        Tok::Eof => "unexpected end of file".into(),
    }
}

const RESERVED: &[&str] = &["then", "else", "elif", "fi", "do", "done", "}", "esac"];

impl Parser {
    fn new(src: &str) -> Parser {
        Parser { lx: Lexer::new(src), peeked: None, depth: 0 }
    }

    fn peek(&mut self) -> Result<&Tok, String> {
        if self.peeked.is_none() {
            let start = self.lx.pos;
            let t = self.lx.next()?;
            self.peeked = Some((start, t));
        }
        Ok(self.peeked.as_ref().map(|p| &p.1).unwrap_or(&Tok::Eof))
    }

    fn next(&mut self) -> Result<Tok, String> {
        self.peek()?;
        Ok(self.peeked.take().map(|p| p.1).unwrap_or(Tok::Eof))
    }

    /// The source not yet parsed.
    fn remainder(&self) -> String {
        // A here-document peeked already: its body was taken out of the
        // source, so the redirection is written back in its internal form.
        if let (Some((_, Tok::Redir(fd, op))), Some(body)) = (&self.peeked, &self.lx.pending) {
            let rest: String = self.lx.s[self.lx.pos.min(self.lx.s.len())..].iter().collect();
            return format!("{fd}{op} {body}{rest}");
        }
        let from = self.peeked.as_ref().map(|p| p.0).unwrap_or(self.lx.pos);
        self.lx.s[from.min(self.lx.s.len())..].iter().collect()
    }

    fn is_word(&mut self, w: &str) -> Result<bool, String> {
        Ok(matches!(self.peek()?, Tok::Word(x) if x == w))
    }

    fn expect(&mut self, w: &str) -> Result<(), String> {
        match self.next()? {
            Tok::Word(x) if x == w => Ok(()),
            Tok::Op(o) if o == w => Ok(()),
            Tok::Eof => Err(format!("unexpected end of file (expecting \"{w}\")")),
            t => Err(show_tok(&t)),
        }
    }

    fn skip_nl(&mut self) -> Result<(), String> {
        while self.peek()? == &Tok::Nl {
            self.next()?;
        }
        Ok(())
    }

    /// The next top-level line (`None` at the end).
    fn complete(&mut self) -> Result<Option<List>, String> {
        self.skip_nl()?;
        if self.peek()? == &Tok::Eof {
            return Ok(None);
        }
        let mut list = Vec::new();
        loop {
            let mut item = self.and_or()?;
            match self.peek()? {
                Tok::Op(";") => {
                    self.next()?;
                }
                Tok::Op("&") => {
                    self.next()?;
                    item.bg = true;
                }
                Tok::Nl | Tok::Eof => {
                    list.push(item);
                    return Ok(Some(list));
                }
                t => return Err(show_tok(t)),
            }
            list.push(item);
            if matches!(self.peek()?, Tok::Nl | Tok::Eof) {
                return Ok(Some(list));
            }
        }
    }

    /// A list up to one of `ends` (a reserved word) or `)`.
    fn list(&mut self, ends: &[&str]) -> Result<List, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("too deeply nested".into());
        }
        let mut list = Vec::new();
        loop {
            self.skip_nl()?;
            let stop = match self.peek()? {
                Tok::Eof | Tok::Op(")") | Tok::Op(";;") => true,
                Tok::Word(w) => ends.contains(&w.as_str()),
                _ => false,
            };
            if stop {
                break;
            }
            let mut item = self.and_or()?;
            match self.peek()? {
                Tok::Op(";") | Tok::Nl => {
                    self.next()?;
                }
                Tok::Op("&") => {
                    self.next()?;
                    item.bg = true;
                }
                _ => {
                    list.push(item);
                    break;
                }
            }
            list.push(item);
        }
        self.depth -= 1;
        if list.is_empty() {
            let t = self.peek()?.clone();
            return Err(show_tok(&t));
        }
        Ok(list)
    }

    fn and_or(&mut self) -> Result<AndOr, String> {
        let first = self.pipe()?;
        let mut rest = Vec::new();
        while let Tok::Op(op @ ("&&" | "||")) = self.peek()? {
            let and = *op == "&&";
            self.next()?;
            self.skip_nl()?;
            rest.push((and, self.pipe()?));
        }
        Ok(AndOr { first, rest, bg: false })
    }

    fn pipe(&mut self) -> Result<Pipe, String> {
        let bang = self.is_word("!")?;
        if bang {
            self.next()?;
        }
        let mut cmds = vec![self.cmd()?];
        while self.peek()? == &Tok::Op("|") {
            self.next()?;
            self.skip_nl()?;
            cmds.push(self.cmd()?);
        }
        Ok(Pipe { bang, cmds })
    }

    fn redirs(&mut self, out: &mut Vec<Redir>) -> Result<(), String> {
        while let Tok::Redir(fd, op) = self.peek()?.clone() {
            self.next()?;
            match self.next()? {
                Tok::Word(target) => out.push(Redir { fd, op, target }),
                t => return Err(show_tok(&t)),
            }
        }
        Ok(())
    }

    fn cmd(&mut self) -> Result<Cmd, String> {
        let head = self.peek()?.clone();
        let mut redirs = Vec::new();
        let cmd = match &head {
            Tok::Op("(") => {
                self.next()?;
                let l = self.list(&[])?;
                self.expect(")")?;
                self.redirs(&mut redirs)?;
                Cmd::Sub(l, redirs)
            }
            Tok::Word(w) if w == "{" => {
                self.next()?;
                let l = self.list(&["}"])?;
                self.expect("}")?;
                self.redirs(&mut redirs)?;
                Cmd::Group(l, redirs)
            }
            Tok::Word(w) if w == "if" => {
                self.next()?;
                let mut arms = Vec::new();
                let mut els = None;
                loop {
                    let c = self.list(&["then"])?;
                    self.expect("then")?;
                    let b = self.list(&["elif", "else", "fi"])?;
                    arms.push((c, b));
                    match self.next()? {
                        Tok::Word(w) if w == "elif" => continue,
                        Tok::Word(w) if w == "else" => {
                            els = Some(self.list(&["fi"])?);
                            self.expect("fi")?;
                            break;
                        }
                        Tok::Word(w) if w == "fi" => break,
                        Tok::Eof => return Err("unexpected end of file (expecting \"fi\")".into()),
                        t => return Err(show_tok(&t)),
                    }
                }
                self.redirs(&mut redirs)?;
                Cmd::If(arms, els, redirs)
            }
            Tok::Word(w) if w == "while" || w == "until" || w == "for" => {
                let kind = w.clone();
                self.next()?;
                let mut lp = LoopCmd { until: kind == "until", each: None, cond: vec![], body: vec![], resume: None };
                if kind == "for" {
                    let Tok::Word(name) = self.next()? else { return Err("bad for loop variable".into()) };
                    if !is_name(&name) {
                        return Err("bad for loop variable".into());
                    }
                    self.skip_nl()?;
                    let mut items = vec!["\"$@\"".to_string()];
                    if self.is_word("in")? {
                        self.next()?;
                        items.clear();
                        while let Tok::Word(x) = self.peek()?.clone() {
                            self.next()?;
                            items.push(x);
                        }
                    }
                    if self.peek()? == &Tok::Op(";") {
                        self.next()?;
                    }
                    self.skip_nl()?;
                    lp.each = Some((name, items));
                } else {
                    lp.cond = self.list(&["do"])?;
                }
                self.expect("do")?;
                lp.body = self.list(&["done"])?;
                self.expect("done")?;
                self.redirs(&mut redirs)?;
                Cmd::Loop(Box::new(lp), redirs)
            }
            Tok::Word(w) if w == "case" => {
                self.next()?;
                let Tok::Word(word) = self.next()? else { return Err("unexpected newline".into()) };
                self.skip_nl()?;
                self.expect("in")?;
                let mut arms = Vec::new();
                loop {
                    self.skip_nl()?;
                    if self.is_word("esac")? {
                        self.next()?;
                        break;
                    }
                    if self.peek()? == &Tok::Op("(") {
                        self.next()?;
                    }
                    let mut pats = Vec::new();
                    loop {
                        match self.next()? {
                            Tok::Word(p) => pats.push(p),
                            Tok::Eof => return Err("unexpected end of file (expecting \"esac\")".into()),
                            t => return Err(show_tok(&t)),
                        }
                        match self.next()? {
                            Tok::Op("|") => continue,
                            Tok::Op(")") => break,
                            t => return Err(show_tok(&t)),
                        }
                    }
                    self.skip_nl()?;
                    let body = if self.peek()? == &Tok::Op(";;") || self.is_word("esac")? {
                        Vec::new()
                    } else {
                        self.list(&["esac"])?
                    };
                    arms.push((pats, body));
                    if self.peek()? == &Tok::Op(";;") {
                        self.next()?;
                    }
                }
                self.redirs(&mut redirs)?;
                Cmd::Case(word, arms, redirs)
            }
            Tok::Word(w) if w == "__call" => {
                self.next()?;
                let mut args = Vec::new();
                while let Tok::Word(a) = self.peek()?.clone() {
                    if a == "{" {
                        break;
                    }
                    self.next()?;
                    args.push(a);
                }
                let body = self.cmd()?;
                Cmd::Call(args, show_cmd(&body))
            }
            Tok::Word(w) if w == "__resume" || w == "__resume_cond" => {
                let in_cond = w == "__resume_cond";
                self.next()?;
                let Cmd::Group(l, _) = self.cmd()? else { return Err("bad resume".into()) };
                match self.cmd()? {
                    Cmd::Loop(mut lp, r) => {
                        lp.resume = Some((in_cond, show_list(&l)));
                        Cmd::Loop(lp, r)
                    }
                    _ => return Err("bad resume".into()),
                }
            }
            Tok::Word(w) if RESERVED.contains(&w.as_str()) => return Err(show_tok(&head)),
            Tok::Word(_) | Tok::Redir(..) => {
                let mut words = Vec::new();
                loop {
                    match self.peek()?.clone() {
                        Tok::Word(x) => {
                            self.next()?;
                            words.push(x);
                        }
                        Tok::Redir(..) => self.redirs(&mut redirs)?,
                        _ => break,
                    }
                }
                if self.peek()? == &Tok::Op("(") {
                    if words.len() != 1 || !redirs.is_empty() || !is_name(&words[0]) {
                        return Err("unexpected \"(\"".into());
                    }
                    self.next()?;
                    self.expect(")")?;
                    self.skip_nl()?;
                    let body = self.cmd()?;
                    if matches!(body, Cmd::Simple(..)) {
                        return Err("unexpected word (expecting \"{\")".into());
                    }
                    return Ok(Cmd::Func(words.remove(0), show_cmd(&body)));
                }
                Cmd::Simple(words, redirs)
            }
            t => return Err(show_tok(t)),
        };
        Ok(cmd)
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `'text'`, safe to read back.
pub(crate) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn show_list(l: &List) -> String {
    l.iter()
        .map(|a| {
            let mut s = show_pipe(&a.first);
            for (and, p) in &a.rest {
                s.push_str(if *and { " && " } else { " || " });
                s.push_str(&show_pipe(p));
            }
            s.push_str(if a.bg { " &\n" } else { "\n" });
            s
        })
        .collect()
}

fn show_pipe(p: &Pipe) -> String {
    let cmds: Vec<String> = p.cmds.iter().map(show_cmd).collect();
    format!("{}{}", if p.bang { "! " } else { "" }, cmds.join(" | "))
}

fn show_redirs(r: &[Redir]) -> String {
    r.iter().map(|r| format!(" {}{} {}", r.fd, r.op, r.target)).collect()
}

fn show_cmd(c: &Cmd) -> String {
    match c {
        Cmd::Simple(w, r) => format!("{}{}", w.join(" "), show_redirs(r)),
        Cmd::Group(l, r) => format!("{{\n{}}}{}", show_list(l), show_redirs(r)),
        Cmd::Sub(l, r) => format!("(\n{}){}", show_list(l), show_redirs(r)),
        Cmd::If(arms, els, r) => {
            let mut s = String::new();
            for (i, (c, b)) in arms.iter().enumerate() {
                s.push_str(if i == 0 { "if " } else { "elif " });
                s.push_str(&format!("{}then\n{}", show_list(c), show_list(b)));
            }
            if let Some(e) = els {
                s.push_str(&format!("else\n{}", show_list(e)));
            }
            format!("{s}fi{}", show_redirs(r))
        }
        Cmd::Func(name, body) => format!("{name}() {body}"),
        Cmd::Call(args, body) => format!("__call {} {body}", args.join(" ")),
        Cmd::Case(w, arms, r) => {
            let mut s = format!("case {w} in\n");
            for (pats, body) in arms {
                s.push_str(&format!("{})\n{};;\n", pats.join("|"), show_list(body)));
            }
            format!("{s}esac{}", show_redirs(r))
        }
        Cmd::Loop(lp, r) => {
            let mut s = String::new();
            if let Some((in_cond, rest)) = &lp.resume {
                let rest = if rest.trim().is_empty() { ":\n" } else { rest };
                s.push_str(&format!("{} {{\n{rest}}} ", if *in_cond { "__resume_cond" } else { "__resume" }));
            }
            match &lp.each {
                Some((name, items)) => s.push_str(&format!("for {name} in {}\n", items.join(" "))),
                None => s.push_str(&format!("{} {}", if lp.until { "until" } else { "while" }, show_list(&lp.cond))),
            }
            format!("{s}do\n{}done{}", show_list(&lp.body), show_redirs(r))
        }
    }
}

/// Wraps suspended chunks as one command (`{ ...; }`).
fn group_text(rest: &[String]) -> String {
    let body = rest.join("\n");
    if body.trim().is_empty() { "{\n:\n}".into() } else { format!("{{\n{body}\n}}") }
}

/// Where a descriptor's output goes.
#[derive(Debug, Clone, PartialEq)]
enum Dest {
    Fd(u8),
    File(String),
    Null,
}

impl Ctx {
    /// A copy for a child process or subshell: same variables, no traps.
    fn child(&self) -> Ctx {
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
    fn state_text(&self, base: &Ctx) -> String {
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

/// The prompt of an interactive shell in `cwd`: busybox's `\w # ` for root.
pub fn prompt(cwd: &str) -> String {
    format!("{cwd} # ")
}

/// Keeps an interactive shell's state (variables, functions, traps, the
/// directory) in its process, for the next line typed into it (see
/// `State::stdin_line`).
pub fn remember(state: &mut State, cid: &str, ctx: &Ctx) {
    let text = ctx.state_text(&Ctx::for_container(state, cid));
    let process = state.containers.get_mut(cid).and_then(|c| c.processes.iter_mut().find(|p| p.pid == ctx.pid));
    if let Some(p) = process {
        p.shell = text;
    }
}

/// Runs a shell script as a shell process: its EXIT trap runs when it ends.
pub fn run_script(state: &mut State, cid: &str, ctx: &mut Ctx, script: &str) -> Flow {
    let base = Ctx::for_container(state, cid);
    if ctx.depth > MAX_DEPTH {
        ctx.eprint("sh: too deeply nested\n");
        return Flow::Exit(2);
    }
    match run_source(state, cid, ctx, script) {
        Run::St(code) => Flow::Exit(exit_trap(state, cid, ctx, code).unwrap_or(code)),
        Run::Quit(code) => Flow::Quit(exit_trap(state, cid, ctx, code).unwrap_or(code)),
        Run::Sleep(until_ms, rest) => {
            let mut all = vec![ctx.state_text(&base)];
            all.extend(rest);
            Flow::Sleep { until_ms, rest: all }
        }
        Run::Serve(p) => Flow::Serve(p),
    }
}

/// Runs the EXIT trap; `Some(code)` when it called `exit`.
fn exit_trap(state: &mut State, cid: &str, ctx: &mut Ctx, code: i32) -> Option<i32> {
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
fn run_to_end(state: &mut State, cid: &str, ctx: &mut Ctx, mut r: Run) -> Run {
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
fn run_source(state: &mut State, cid: &str, ctx: &mut Ctx, src: &str) -> Run {
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

fn exec_list(state: &mut State, cid: &str, ctx: &mut Ctx, list: &[AndOr]) -> Run {
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

fn exec_and_or(state: &mut State, cid: &str, ctx: &mut Ctx, a: &AndOr) -> Run {
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

fn exec_pipe(state: &mut State, cid: &str, ctx: &mut Ctx, p: &Pipe) -> Run {
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
fn with_redirs(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    redirs: &[Redir],
    f: impl FnOnce(&mut State, &mut Ctx) -> Run,
) -> Run {
    if redirs.is_empty() {
        return f(state, ctx);
    }
    let mut dest = [Dest::Fd(0), Dest::Fd(1), Dest::Fd(2)];
    let mut stdin = None;
    for r in redirs {
        let target = match expand_one(state, cid, ctx, &r.target) {
            Ok(t) => t,
            Err(e) => {
                ctx.eprint(format!("sh: {e}\n"));
                return Run::Quit(2);
            }
        };
        let fd = usize::from(r.fd);
        match r.op {
            ">" | ">>" if fd <= 2 => {
                if target == "/dev/null" {
                    dest[fd] = Dest::Null;
                    continue;
                }
                let path = normalize(&ctx.cwd, &target);
                if r.op == ">" || state.read_node(cid, &path).is_none() {
                    if let Err(e) = state.write_node(cid, &path, Node::File { data: String::new() }) {
                        ctx.eprint(format!("sh: can't create {target}: {e}\n"));
                        return Run::St(1);
                    }
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
                        return Run::St(1);
                    }
                }
            }
            // Here-strings and here-documents: the text is stdin.
            "<<<" if fd == 0 => stdin = Some(format!("{target}\n")),
            HEREDOC_LITERAL if fd == 0 => stdin = Some(target),
            HEREDOC_EXPAND if fd == 0 => {
                // Expanded like a double-quoted string whose `"` are plain.
                let quoted = format!("\"{}\"", target.replace('"', "\u{e005}"));
                match expand_one(state, cid, ctx, &quoted) {
                    Ok(text) => stdin = Some(text.replace('\u{e005}', "\"")),
                    Err(e) => {
                        ctx.eprint(format!("sh: {e}\n"));
                        return Run::Quit(2);
                    }
                }
            }
            "<" if fd == 0 => match file_text(state, cid, &ctx.cwd.clone(), &target) {
                Ok(t) => stdin = Some(t),
                Err(_) => {
                    ctx.eprint(format!("sh: can't open {target}: no such file\n"));
                    return Run::St(1);
                }
            },
            _ => {}
        }
    }
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

fn exec_cmd(state: &mut State, cid: &str, ctx: &mut Ctx, cmd: &Cmd) -> Run {
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

fn exec_loop(state: &mut State, cid: &str, ctx: &mut Ctx, lp: &LoopCmd) -> Run {
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

fn loop_run(state: &mut State, cid: &str, ctx: &mut Ctx, lp: &LoopCmd, mut vals: Vec<String>) -> Run {
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

/// Runs a function's body with `args` as `$1`...; a suspended call comes
/// back as `__call ARGS { REST }`.
fn call_func(state: &mut State, cid: &str, ctx: &mut Ctx, body: &str, args: Vec<String>) -> Run {
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

/// Takes a break/continue meant for this loop (one level), leaving outer
/// levels pending; a `return` ends the loop and stays pending.
fn take_ctrl(ctx: &mut Ctx) -> Option<Ctrl> {
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

fn exec_simple(state: &mut State, cid: &str, ctx: &mut Ctx, words: &[String], redirs: &[Redir]) -> Run {
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

/// Runs a builtin; `None` when `argv[0]` is not one.
fn builtin(state: &mut State, cid: &str, ctx: &mut Ctx, argv: &[String], assigns: &[(String, String)]) -> Option<Run> {
    let name = argv[0].as_str();
    let args = &argv[1..];
    let apply = |ctx: &mut Ctx| {
        for (k, v) in assigns {
            ctx.env.insert(k.clone(), v.clone());
        }
    };
    let r = match name {
        "exit" => {
            let code = match args.first() {
                None => ctx.last,
                Some(a) => match a.parse::<i64>() {
                    Ok(n) => (n & 0xff) as i32,
                    Err(_) => {
                        ctx.eprint(format!("sh: exit: Illegal number: {a}\n"));
                        2
                    }
                },
            };
            Run::Quit(code)
        }
        "break" | "continue" => {
            let n = args.first().and_then(|a| a.parse::<u32>().ok()).unwrap_or(1).clamp(1, ctx.loops.max(1));
            if ctx.loops == 0 {
                return Some(Run::St(0));
            }
            ctx.ctrl = Some(if name == "break" { Ctrl::Break(n) } else { Ctrl::Continue(n) });
            Run::St(0)
        }
        "trap" => Run::St(trap(ctx, args)),
        // An interactive shell's line that slept is done: back to the prompt.
        "__interactive" => {
            remember(state, cid, ctx);
            if args.first().map(String::as_str) == Some("1") {
                ctx.print(prompt(&ctx.cwd));
            }
            Run::Serve(Program::Interactive)
        }
        "eval" => {
            apply(ctx);
            ctx.depth += 1;
            let r = run_source(state, cid, ctx, &args.join(" "));
            ctx.depth -= 1;
            r
        }
        "." | "source" => {
            apply(ctx);
            let Some(f) = args.first() else { return Some(Run::St(0)) };
            match file_text(state, cid, &ctx.cwd.clone(), f) {
                Ok(text) if ctx.depth < MAX_DEPTH => {
                    ctx.depth += 1;
                    let r = run_source(state, cid, ctx, &text);
                    ctx.depth -= 1;
                    r
                }
                Ok(_) => Run::St(2),
                Err(_) => {
                    ctx.eprint(format!("sh: .: can't open '{f}'\n"));
                    Run::St(2)
                }
            }
        }
        "exec" => {
            apply(ctx);
            if args.is_empty() {
                return Some(Run::St(0));
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
        "set" => {
            if let Some(i) = args.iter().position(|a| a == "--") {
                ctx.args = args[i + 1..].to_vec();
            } else if args.is_empty() {
                let text: String = ctx.env.iter().map(|(k, v)| format!("{k}={}\n", quote(v))).collect();
                ctx.print(text);
            }
            Run::St(0)
        }
        "let" => {
            apply(ctx);
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
        "shift" => {
            let n = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
            if n > ctx.args.len() {
                Run::St(1)
            } else {
                ctx.args.drain(..n);
                Run::St(0)
            }
        }
        "unset" => {
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                ctx.env.remove(a);
            }
            Run::St(0)
        }
        "read" => {
            let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            let Some(input) = ctx.stdin.as_mut().filter(|i| !i.is_empty()) else {
                for n in &names {
                    ctx.env.insert((*n).clone(), String::new());
                }
                return Some(Run::St(1));
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
        "test" | "[" => {
            let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
            if name == "[" {
                if a.last() != Some(&"]") {
                    ctx.eprint("sh: [: missing ]\n");
                    return Some(Run::St(2));
                }
                a.pop();
            }
            match test(state, cid, &ctx.cwd, &a) {
                Ok(b) => Run::St(i32::from(!b)),
                Err(e) => {
                    ctx.eprint(format!("sh: {name}: {e}\n"));
                    Run::St(2)
                }
            }
        }
        "wait" | "umask" | "ulimit" | "local" | "readonly" => {
            apply(ctx);
            Run::St(0)
        }
        "return" => {
            let code = args.first().and_then(|a| a.parse().ok()).unwrap_or(ctx.last);
            if ctx.in_func == 0 {
                return Some(Run::Quit(code));
            }
            ctx.ctrl = Some(Ctrl::Return);
            Run::St(code)
        }
        "cd" | "export" | ":" => {
            apply(ctx);
            match run_argv(state, cid, ctx, argv) {
                Flow::Exit(c) | Flow::Quit(c) => Run::St(c),
                _ => Run::St(0),
            }
        }
        "true" | "false" | "echo" | "printf" | "pwd" => {
            apply(ctx);
            match busybox(state, cid, ctx, name, args) {
                Flow::Exit(c) | Flow::Quit(c) => Run::St(c),
                _ => Run::St(0),
            }
        }
        _ => return None,
    };
    Some(r)
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

fn trap(ctx: &mut Ctx, args: &[String]) -> i32 {
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

/// Expands a word without field splitting (assignments, redirections).
fn expand_one(state: &mut State, cid: &str, ctx: &mut Ctx, raw: &str) -> Result<String, String> {
    Ok(expand(state, cid, ctx, raw, false)?.join(" "))
}

/// Expands a word into fields.
fn expand_word(state: &mut State, cid: &str, ctx: &mut Ctx, raw: &str) -> Result<Vec<String>, String> {
    expand(state, cid, ctx, raw, true)
}

fn expand(state: &mut State, cid: &str, ctx: &mut Ctx, raw: &str, split: bool) -> Result<Vec<String>, String> {
    if ctx.depth > MAX_DEPTH * 2 {
        return Err("too deeply nested".into());
    }
    ctx.depth += 1;
    let r = expand_inner(state, cid, ctx, raw, split);
    ctx.depth -= 1;
    r
}

fn expand_inner(state: &mut State, cid: &str, ctx: &mut Ctx, raw: &str, split: bool) -> Result<Vec<String>, String> {
    let s: Vec<char> = raw.chars().collect();
    let mut fields: Vec<String> = Vec::new();
    let mut cur = String::new();
    // Whether the current field exists even if empty (quotes were seen).
    let mut have = false;
    let mut dq = false;
    let mut i = 0;
    // Unquoted expansion text is split on blanks, and its `*`, `?` and `[`
    // are patterns (`x='/etc/host*'; echo $x`).
    let push_split = |text: &str, cur: &mut String, have: &mut bool, fields: &mut Vec<String>, dq: bool| {
        if dq || !split {
            cur.push_str(text);
            *have = true;
            return;
        }
        let mut first = true;
        let ends_blank = text.ends_with([' ', '\t', '\n']);
        let starts_blank = text.starts_with([' ', '\t', '\n']);
        if starts_blank && (*have || !cur.is_empty()) {
            fields.push(std::mem::take(cur));
            *have = false;
        }
        for part in text.split([' ', '\t', '\n']).filter(|p| !p.is_empty()) {
            if !first {
                fields.push(std::mem::take(cur));
            }
            cur.extend(part.chars().map(|c| match c {
                '*' => GLOB_STAR,
                '?' => GLOB_ONE,
                '[' => GLOB_OPEN,
                c => c,
            }));
            *have = true;
            first = false;
        }
        if ends_blank && *have {
            fields.push(std::mem::take(cur));
            *have = false;
        }
    };
    if s.first() == Some(&'~') && split && (s.len() == 1 || s[1] == '/') {
        cur.push_str(ctx.env.get("HOME").map(String::as_str).unwrap_or("/root"));
        have = true;
        i = 1;
    }
    while i < s.len() {
        if cur.len() > MAX_TEXT {
            return Err("out of memory".into());
        }
        let c = s[i];
        match c {
            '\'' if !dq => {
                have = true;
                i += 1;
                while i < s.len() && s[i] != '\'' {
                    cur.push(s[i]);
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                have = true;
                dq = !dq;
                i += 1;
            }
            '\\' => {
                have = true;
                match s.get(i + 1) {
                    Some(&n) if !dq || matches!(n, '$' | '`' | '"' | '\\' | '\n') => {
                        if n != '\n' {
                            cur.push(n);
                        }
                        i += 2;
                    }
                    _ => {
                        cur.push('\\');
                        i += 1;
                    }
                }
            }
            '`' => {
                let end = skip_backtick(&s, i + 1)?;
                let inner: String = s[i + 1..end].iter().collect::<String>().replace("\\`", "`").replace("\\\\", "\\");
                let text = substitute(state, cid, ctx, &inner);
                push_split(&text, &mut cur, &mut have, &mut fields, dq);
                have = have || dq;
                i = end + 1;
            }
            '$' => {
                let (text, len, quoted_at) = dollar(state, cid, ctx, &s[i..], dq)?;
                match text {
                    Some(_) if quoted_at => {
                        // "$@": one field per argument.
                        let args = ctx.args.clone();
                        for (k, a) in args.iter().enumerate() {
                            if k > 0 {
                                fields.push(std::mem::take(&mut cur));
                            }
                            cur.push_str(a);
                            have = true;
                        }
                    }
                    Some(t) => {
                        push_split(&t, &mut cur, &mut have, &mut fields, dq);
                        have = have || dq;
                    }
                    None => cur.push('$'),
                }
                i += len;
            }
            _ => {
                // Unquoted `*`, `?` and `[` are patterns (marked until the
                // fields are known).
                cur.push(match c {
                    '*' if !dq && split => GLOB_STAR,
                    '?' if !dq && split => GLOB_ONE,
                    '[' if !dq && split => GLOB_OPEN,
                    c => c,
                });
                have = true;
                i += 1;
            }
        }
    }
    if have || !cur.is_empty() {
        fields.push(cur);
    }
    if !split {
        return Ok(vec![fields.join(" ")]);
    }
    // Pathname expansion: a pattern matching nothing stays as written.
    let mut out = Vec::new();
    for f in fields {
        let pat = unmark(&f);
        if !is_pattern(&f) {
            out.push(pat);
            continue;
        }
        let hits = glob_paths(state, cid, &ctx.cwd, &f);
        if hits.is_empty() { out.push(pat) } else { out.extend(hits) }
    }
    Ok(out)
}

const GLOB_STAR: char = '\u{e000}';
const GLOB_ONE: char = '\u{e001}';
const GLOB_OPEN: char = '\u{e002}';

/// Whether a field (its unquoted `*`, `?` and `[` marked) is a pattern: it
/// has a `*` or `?`, or a `[` closed by a later `]` (a lone `[`, like the
/// test command, is a word).
fn is_pattern(field: &str) -> bool {
    field.contains([GLOB_STAR, GLOB_ONE]) || field.find(GLOB_OPEN).is_some_and(|i| field[i..].contains(']'))
}

/// A field with its pattern marks turned back into the characters typed.
fn unmark(field: &str) -> String {
    field
        .chars()
        .map(|c| match c {
            GLOB_STAR => '*',
            GLOB_ONE => '?',
            GLOB_OPEN => '[',
            c => c,
        })
        .collect()
}

/// The paths matching `pattern` (its unquoted `*`, `?` and `[` marked),
/// sorted.
fn glob_paths(state: &State, cid: &str, cwd: &str, pattern: &str) -> Vec<String> {
    let wild = is_pattern;
    let plain = unmark;
    let mut found: Vec<String> = vec![if pattern.starts_with('/') { "/".into() } else { String::new() }];
    for part in pattern.split('/').filter(|p| !p.is_empty()) {
        let mut next = Vec::new();
        for prefix in &found {
            let join = |name: &str| {
                if prefix.is_empty() {
                    name.to_string()
                } else if prefix.ends_with('/') {
                    format!("{prefix}{name}")
                } else {
                    format!("{prefix}/{name}")
                }
            };
            if wild(part) {
                // A literal `*`, `?` or `[` in the pattern is matched as itself.
                let literal = |s: &str| s.replace('*', "\u{1}").replace('?', "\u{2}").replace('[', "\u{3}");
                let p = unmark(&literal(part));
                let dir = normalize(cwd, if prefix.is_empty() { "." } else { prefix });
                for name in state.list_dir(cid, &dir) {
                    let n = literal(&name);
                    if (!name.starts_with('.') || part.starts_with('.')) && glob_match(&p, &n) {
                        next.push(join(&name));
                    }
                }
            } else {
                next.push(join(&plain(part)));
            }
            if next.len() > 10_000 {
                break;
            }
        }
        found = next;
    }
    found.retain(|p| state.read_node(cid, &normalize(cwd, p)).is_some());
    found.sort();
    found
}

/// Expands the `$...` at the start of `s`: (text or `None` for a lone `$`,
/// characters used, whether it was a quoted `"$@"`).
fn dollar(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    s: &[char],
    dq: bool,
) -> Result<(Option<String>, usize, bool), String> {
    let Some(&n) = s.get(1) else { return Ok((None, 1, false)) };
    if n == '(' && s.get(2) == Some(&'(') {
        let end = skip_balanced(s, 1, '(', ')')?;
        let inner: String = s[3..end.saturating_sub(2).max(3)].iter().collect();
        let text = expand_one(state, cid, ctx, &inner)?;
        let v = arith::eval(&mut ctx.env, &text)?;
        return Ok((Some(v.to_string()), end, false));
    }
    if n == '(' {
        let end = skip_balanced(s, 1, '(', ')')?;
        let inner: String = s[2..end - 1].iter().collect();
        return Ok((Some(substitute(state, cid, ctx, &inner)), end, false));
    }
    if n == '{' {
        let end = skip_balanced(s, 1, '{', '}')?;
        let inner: String = s[2..end - 1].iter().collect();
        return Ok((Some(param(state, cid, ctx, &inner)?), end, false));
    }
    let special = |c: char| matches!(c, '?' | '$' | '#' | '@' | '*' | '!' | '-' | '0'..='9');
    if special(n) {
        if n == '@' && dq {
            return Ok((Some(String::new()), 2, true));
        }
        return Ok((Some(var(ctx, &n.to_string())), 2, false));
    }
    let name: String = s[1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok((None, 1, false));
    }
    Ok((Some(var(ctx, &name)), name.len() + 1, false))
}

fn var(ctx: &Ctx, name: &str) -> String {
    match name {
        "?" => ctx.last.to_string(),
        "$" => ctx.pid.to_string(),
        "#" => ctx.args.len().to_string(),
        "@" | "*" => ctx.args.join(" "),
        "!" | "-" => String::new(),
        "0" => ctx.arg0.clone(),
        n if n.chars().all(|c| c.is_ascii_digit()) => {
            n.parse::<usize>().ok().and_then(|i| ctx.args.get(i.wrapping_sub(1))).cloned().unwrap_or_default()
        }
        n => ctx.env.get(n).cloned().unwrap_or_default(),
    }
}

/// `${name}`, `${#name}`, `${name:-word}` and friends.
fn param(state: &mut State, cid: &str, ctx: &mut Ctx, inner: &str) -> Result<String, String> {
    if let Some(n) = inner.strip_prefix('#').filter(|n| !n.is_empty()) {
        return Ok(var(ctx, n).chars().count().to_string());
    }
    let split = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
    let first = inner.chars().next().map(char::len_utf8).unwrap_or(0);
    let (name, op) = if split == 0 { inner.split_at(first) } else { inner.split_at(split) };
    let set = match name {
        "?" | "$" | "#" | "@" | "*" | "0" => true,
        n if n.chars().all(|c| c.is_ascii_digit()) => n.parse::<usize>().is_ok_and(|i| i >= 1 && i <= ctx.args.len()),
        n => ctx.env.contains_key(n),
    };
    if name.is_empty() || (!is_name(name) && !name.chars().all(|c| c.is_ascii_digit()) && !"?$#@*".contains(name)) {
        return Err("syntax error: bad substitution".into());
    }
    let value = var(ctx, name);
    let (colon, op) = match op.strip_prefix(':') {
        Some(o) => (true, o),
        None => (false, op),
    };
    let unset = !set || (colon && value.is_empty());
    let Some(kind) = op.chars().next() else { return Ok(value) };
    let word = &op[kind.len_utf8()..];
    Ok(match kind {
        '-' if unset => expand_one(state, cid, ctx, word)?,
        '=' if unset => {
            let w = expand_one(state, cid, ctx, word)?;
            ctx.env.insert(name.to_string(), w.clone());
            w
        }
        '+' if !unset => expand_one(state, cid, ctx, word)?,
        '+' => String::new(),
        '?' if unset => {
            let w = expand_one(state, cid, ctx, word)?;
            return Err(format!("{name}: {}", if w.is_empty() { "parameter not set" } else { &w }));
        }
        '-' | '=' | '?' => value,
        '#' | '%' => {
            let pat = expand_one(state, cid, ctx, word.trim_start_matches(['#', '%']))?;
            let long = word.starts_with(kind);
            strip_pattern(&value, &pat, kind == '#', long)
        }
        _ => return Err("syntax error: bad substitution".into()),
    })
}

/// `${v#pat}` and friends, for patterns with `*` and `?`.
fn strip_pattern(v: &str, pat: &str, prefix: bool, long: bool) -> String {
    let idx: Vec<usize> = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect();
    let cands: Vec<usize> = if long == prefix { idx.iter().rev().copied().collect() } else { idx.clone() };
    for k in cands {
        let (part, keep) = if prefix { (&v[..k], &v[k..]) } else { (&v[k..], &v[..k]) };
        if glob_match(pat, part) {
            return keep.to_string();
        }
    }
    v.to_string()
}

/// A filter's input: file `name` in the container, else its stdin. A file
/// that cannot be read is reported as busybox does (`sort: can't open
/// 'x': No such file or directory`) and ends the filter with 1.
fn filter_input(state: &State, cid: &str, ctx: &mut Ctx, applet: &str, name: Option<&String>) -> Result<String, Flow> {
    let Some(name) = name else { return Ok(ctx.stdin.take().unwrap_or_default()) };
    file_text(state, cid, &ctx.cwd.clone(), name).map_err(|e| {
        ctx.eprint(format!("{applet}: {e}\n"));
        Flow::Exit(1)
    })
}

/// The characters of a `tr` set: ranges (`a-z`), classes (`[:upper:]`,
/// `[:lower:]`, `[:digit:]`, `[:space:]`, `[:alpha:]`, `[:alnum:]`) and
/// escapes (`\\n`, `\\t`, `\\0`, `\\\\`).
fn tr_set(spec: &str) -> Vec<char> {
    let classes: [(&str, &dyn Fn(char) -> bool); 6] = [
        ("[:upper:]", &|c: char| c.is_ascii_uppercase()),
        ("[:lower:]", &|c: char| c.is_ascii_lowercase()),
        ("[:digit:]", &|c: char| c.is_ascii_digit()),
        ("[:space:]", &|c: char| c.is_ascii_whitespace()),
        ("[:alpha:]", &|c: char| c.is_ascii_alphabetic()),
        ("[:alnum:]", &|c: char| c.is_ascii_alphanumeric()),
    ];
    let mut out = Vec::new();
    let mut rest = spec;
    while !rest.is_empty() {
        if let Some((name, class)) = classes.iter().find(|(name, _)| rest.starts_with(name)) {
            out.extend((0u8..128).map(char::from).filter(|&c| class(c)));
            rest = &rest[name.len()..];
            continue;
        }
        let mut chars = rest.chars();
        let mut c = chars.next().unwrap_or_default();
        if c == '\\' {
            c = match chars.next() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some('0') => '\0',
                Some(other) => other,
                None => '\\',
            };
        }
        let after = chars.as_str();
        match after.strip_prefix('-').and_then(|r| r.chars().next().map(|end| (end, &r[end.len_utf8()..]))) {
            Some((end, next)) if end >= c => {
                out.extend(c..=end);
                rest = next;
            }
            _ => {
                out.push(c);
                rest = after;
            }
        }
    }
    out
}

/// `cut`'s list: `2`, `1,3`, `2-4`, `3-` or `-2`, as 1-based inclusive ranges.
fn ranges(list: &str) -> Vec<(usize, usize)> {
    list.split(',')
        .filter_map(|part| match part.split_once('-') {
            Some((a, b)) => Some((a.parse().unwrap_or(1), b.parse().unwrap_or(usize::MAX))),
            None => part.parse().ok().map(|n| (n, n)),
        })
        .collect()
}

/// Whether `line` holds a match of `re`, a regular expression as busybox
/// grep reads one: `^` and `$` anchors, `.`, bracket expressions, `*`,
/// `\\` quoting the next character; extended (`-E`) adds `+`, `?` and `|`.
/// Groups and intervals are not read: their characters stand for themselves.
///
/// The pattern runs as a set of positions over the line (Thompson's
/// construction), so any pattern takes time in proportion to its length
/// times the line's, and memory in proportion to its length: `a*a*a*…b`
/// cannot hang the page.
fn regex_find(re: &str, line: &str, extended: bool) -> bool {
    if extended && re.contains('|') {
        return re.split('|').any(|alternative| regex_find(alternative, line, true));
    }
    let mut p: Vec<char> = re.chars().collect();
    let anchored_start = p.first() == Some(&'^');
    if anchored_start {
        p.remove(0);
    }
    let anchored_end = p.last() == Some(&'$') && !(p.len() >= 2 && p[p.len() - 2] == '\\');
    if anchored_end {
        p.pop();
    }
    let atoms = regex_atoms(&p, extended);
    let accept = atoms.len();
    // Positions in the pattern the match may be at; `accept` is past the end.
    let closure = |set: &mut Vec<bool>, mut at: usize| {
        while at <= accept && !set[at] {
            set[at] = true;
            if at < accept && atoms[at].1 {
                at += 1;
            } else {
                break;
            }
        }
    };
    let mut now = vec![false; accept + 1];
    closure(&mut now, 0);
    for c in line.chars() {
        if now[accept] && !anchored_end {
            return true;
        }
        let mut next = vec![false; accept + 1];
        for at in (0..accept).filter(|&at| now[at] && atoms[at].0.matches(c)) {
            if atoms[at].2 {
                closure(&mut next, at);
            }
            closure(&mut next, at + 1);
        }
        if !anchored_start {
            closure(&mut next, 0);
        }
        now = next;
    }
    now[accept]
}

/// What one character of a pattern must be.
#[derive(Clone)]
enum Atom {
    Any,
    Char(char),
    /// A bracket expression, as written (`[a-z]`).
    Class(Vec<char>),
}

impl Atom {
    fn matches(&self, c: char) -> bool {
        match self {
            Atom::Any => true,
            Atom::Char(x) => *x == c,
            Atom::Class(class) => bracket(class, c).is_some_and(|(hit, _)| hit),
        }
    }
}

/// The pattern as atoms with whether each may be skipped and may repeat
/// (`*`: both; `?`: skipped; `x+` becomes `x` then `x*`).
fn regex_atoms(p: &[char], extended: bool) -> Vec<(Atom, bool, bool)> {
    let mut atoms = Vec::new();
    let mut i = 0;
    while i < p.len() {
        let (atom, len) = match p[i] {
            '[' => match bracket(&p[i..], ' ') {
                Some((_, len)) => (Atom::Class(p[i..i + len].to_vec()), len),
                None => (Atom::Char('['), 1),
            },
            '\\' if i + 1 < p.len() => (Atom::Char(p[i + 1]), 2),
            '.' => (Atom::Any, 1),
            c => (Atom::Char(c), 1),
        };
        i += len;
        match p.get(i) {
            Some('*') => {
                atoms.push((atom, true, true));
                i += 1;
            }
            Some('?') if extended => {
                atoms.push((atom, true, false));
                i += 1;
            }
            Some('+') if extended => {
                let again = atom.clone();
                atoms.push((atom, false, false));
                atoms.push((again, true, true));
                i += 1;
            }
            _ => atoms.push((atom, false, false)),
        }
    }
    atoms
}

/// `$(...)`: runs `src` in a subshell and returns its output, trailing
/// newlines removed.
fn substitute(state: &mut State, cid: &str, ctx: &mut Ctx, src: &str) -> String {
    let mut sub = ctx.child();
    sub.can_yield = false;
    sub.stdin = None;
    let r = if sub.depth > MAX_DEPTH {
        sub.eprint("sh: too deeply nested\n");
        Run::St(2)
    } else {
        let r = run_source(state, cid, &mut sub, src);
        run_to_end(state, cid, &mut sub, r)
    };
    let code = match r {
        Run::St(s) | Run::Quit(s) => exit_trap(state, cid, &mut sub, s).unwrap_or(s),
        _ => 0,
    };
    ctx.subst_status = Some(code);
    ctx.steps = sub.steps;
    ctx.last = code;
    let mut text = String::new();
    for (s, t) in sub.out {
        if s == 1 {
            if text.len() < MAX_TEXT {
                text.push_str(&t);
            }
        } else {
            ctx.out.push((s, t));
        }
    }
    text.truncate(text.trim_end_matches('\n').len());
    text
}

/// The handler a suspended shell (its `rest`) has for `signal`: `None`
/// when it has none (the default action), `Some("")` when it ignores it.
pub fn trap_handler(state: &mut State, cid: &str, rest: &[String], signal: &str) -> Option<String> {
    let first = rest.first().filter(|r| r.starts_with(STATE_MARK))?;
    let sig = signal_name(signal)?;
    let mut ctx = Ctx::blank();
    let _ = run_source(state, cid, &mut ctx, first);
    ctx.traps.get(sig).cloned()
}

fn user_of(state: &State, cid: &str) -> String {
    state
        .containers
        .get(cid)
        .map(|c| if c.user.is_empty() { "root".to_string() } else { c.user.clone() })
        .unwrap_or_else(|| "root".into())
}

/// A name `--user` gives that the container's files do not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownId {
    /// Not in `/etc/passwd`, and not a number.
    User(String),
    /// Not in `/etc/group`, and not a number.
    Group(String),
}

impl UnknownId {
    /// As dockerd refuses to start the container.
    pub fn daemon_message(&self) -> String {
        match self {
            UnknownId::User(u) => format!("unable to find user {u}: no matching entries in passwd file"),
            UnknownId::Group(g) => format!("unable to find group {g}: no matching entries in group file"),
        }
    }
}

/// Who a container's processes run as: `(id, name)` of the user, of the
/// group, and of every group it is in (its own first), from `--user` and
/// the container's `/etc/passwd` and `/etc/group`.
pub struct Identity {
    /// The user.
    pub user: (String, Option<String>),
    /// The primary group.
    pub group: (String, Option<String>),
    /// Every group, the primary one first.
    pub groups: Vec<(String, Option<String>)>,
}

/// The container's [`Identity`]; a name its files do not know is an error.
pub fn identity(state: &State, cid: &str) -> Result<Identity, UnknownId> {
    let table = |path: &str| -> Vec<Vec<String>> {
        let text = file_text(state, cid, "/", path).unwrap_or_default();
        text.lines().map(|l| l.split(':').map(str::to_string).collect::<Vec<_>>()).filter(|f| f.len() >= 4).collect()
    };
    let (passwd, groups) = (table("/etc/passwd"), table("/etc/group"));
    let spec = user_of(state, cid);
    let (user, group) = spec.split_once(':').map_or((spec.as_str(), None), |(u, g)| (u, Some(g)));
    let numeric = |s: &str| s.parse::<u32>().is_ok();
    let entry = passwd.iter().find(|f| f[0] == user || (numeric(user) && f[2] == user));
    let uid = match entry {
        Some(f) => f[2].clone(),
        None if numeric(user) => user.to_string(),
        None => return Err(UnknownId::User(user.to_string())),
    };
    let gid = match group {
        Some(g) => match groups.iter().find(|f| f[0] == g) {
            Some(f) => f[2].clone(),
            None if numeric(g) => g.to_string(),
            None => return Err(UnknownId::Group(g.to_string())),
        },
        None => entry.map_or_else(|| "0".to_string(), |f| f[3].clone()),
    };
    let group_name = |gid: &str| groups.iter().find(|f| f[2] == gid).map(|f| f[0].clone());
    let user_name = entry.map(|f| f[0].clone());
    let mut member_of = vec![(gid.clone(), group_name(&gid))];
    if let Some(name) = &user_name {
        for f in groups.iter().filter(|f| f[2] != gid && f[3].split(',').any(|m| m == name)) {
            member_of.push((f[2].clone(), Some(f[0].clone())));
        }
    }
    Ok(Identity { user: (uid, user_name), group: (gid.clone(), group_name(&gid)), groups: member_of })
}

/// busybox's `id` with `flags` (`-u`, `-g`, `-G`, `-n`): its output, or its
/// usage error.
fn id_text(who: &Identity, flags: &str) -> Option<String> {
    let pick = |(id, name): &(String, Option<String>)| match name {
        Some(n) if flags.contains('n') => n.clone(),
        _ => id.clone(),
    };
    Some(if flags.contains('u') {
        pick(&who.user)
    } else if flags.contains('G') {
        who.groups.iter().map(pick).collect::<Vec<_>>().join(" ")
    } else if flags.contains('g') {
        pick(&who.group)
    } else if flags.contains('n') {
        return None;
    } else {
        let named =
            |(id, name): &(String, Option<String>)| name.as_ref().map_or_else(|| id.clone(), |n| format!("{id}({n})"));
        format!(
            "uid={} gid={} groups={}",
            named(&who.user),
            named(&who.group),
            who.groups.iter().map(named).collect::<Vec<_>>().join(",")
        )
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
    let code = match busybox(state, "", &mut ctx, &argv[0], &argv[1..]) {
        Flow::Exit(c) | Flow::Quit(c) => c,
        _ => 0,
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    for (stream, text) in ctx.take_output() {
        if stream == 2 { stderr.push_str(&text) } else { stdout.push_str(&text) }
    }
    (stdout, stderr, code)
}

/// Runs one command (`argv[0]` found on PATH, or a shell builtin).
pub fn run_argv(state: &mut State, cid: &str, ctx: &mut Ctx, argv: &[String]) -> Flow {
    let Some(name) = argv.first() else { return Flow::Exit(0) };
    let args = &argv[1..];
    // Builtins first.
    match name.as_str() {
        "exit" => return Flow::Quit(args.first().and_then(|a| a.parse().ok()).unwrap_or(ctx.last)),
        "cd" => {
            let target = normalize(&ctx.cwd, args.first().map(String::as_str).unwrap_or("/root"));
            return match state.read_node(cid, &state.resolve_link(cid, &target)) {
                Some(Node::Dir) => {
                    ctx.cwd = target;
                    Flow::Exit(0)
                }
                _ => {
                    ctx.eprint(format!(
                        "sh: cd: can't cd to {}: No such file or directory\n",
                        args.first().cloned().unwrap_or_default()
                    ));
                    Flow::Exit(2)
                }
            };
        }
        "export" => {
            for a in args {
                if let Some((k, v)) = a.split_once('=') {
                    ctx.env.insert(k.into(), v.into());
                }
            }
            return Flow::Exit(0);
        }
        "set" | ":" => return Flow::Exit(0),
        _ => {}
    }
    let Some(path) = state.lookup_exe(cid, name) else {
        ctx.eprint(format!("sh: {name}: not found\n"));
        return Flow::Exit(127);
    };
    let program = match state.read_node(cid, &path) {
        Some(Node::File { data }) => data,
        _ => String::new(),
    };
    if let Some(sim) = program.strip_prefix("#!sim:") {
        let sim = sim.lines().next().unwrap_or("").trim().to_string();
        let applet = if sim == "busybox" { name.rsplit('/').next().unwrap_or(name).to_string() } else { sim.clone() };
        return match applet.as_str() {
            "hello" => {
                ctx.print(HELLO);
                Flow::Exit(0)
            }
            "entrypoint" => entrypoint(state, cid, ctx, args),
            "nginx" => nginx(state, cid, ctx, args),
            "redis-server" => redis_server(state, cid, ctx),
            "redis-cli" => redis_cli(state, cid, ctx, args),
            "python" => python(state, cid, ctx, args),
            "apk" | "pip" => {
                ctx.print(format!(
                    "(simulated) {applet} {}: packages are not downloaded in the simulation\n",
                    args.join(" ")
                ));
                Flow::Exit(0)
            }
            "busybox" => {
                if args.is_empty() {
                    ctx.print("BusyBox v1.37.0 (simulated) multi-call binary.\n");
                    Flow::Exit(0)
                } else {
                    run_argv(state, cid, ctx, args)
                }
            }
            applet => busybox(state, cid, ctx, applet, args),
        };
    }
    // A text script: run it with the shell.
    if program.starts_with("#!") || !program.is_empty() {
        let body: String = program.lines().skip(usize::from(program.starts_with("#!"))).collect::<Vec<_>>().join("\n");
        ctx.arg0 = name.clone();
        ctx.args = args.to_vec();
        return run_script(state, cid, ctx, &body);
    }
    Flow::Exit(0)
}

fn entrypoint(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    if args.first().map(String::as_str) == Some("nginx") {
        ctx.print("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n10-listen-on-ipv6-by-default.sh: info: Enabled listening on IPv6 in /etc/nginx/conf.d/default.conf\n/docker-entrypoint.sh: Configuration complete; ready for start up\n");
    }
    if args.is_empty() {
        return Flow::Exit(0);
    }
    run_argv(state, cid, ctx, args)
}

fn go_time(ms: u64) -> (String, String) {
    let t = time::OffsetDateTime::from_unix_timestamp((ms / 1000) as i64).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let m = months[(t.month() as usize).saturating_sub(1).min(11)];
    (
        format!(
            "{:04}/{:02}/{:02} {:02}:{:02}:{:02}",
            t.year(),
            t.month() as u8,
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        format!("{:02}/{m}/{:04}:{:02}:{:02}:{:02} +0000", t.day(), t.year(), t.hour(), t.minute(), t.second()),
    )
}

fn nginx(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    if args.first().map(String::as_str) == Some("-v") {
        ctx.eprint("nginx version: nginx/1.29.0\n");
        return Flow::Exit(0);
    }
    if ctx.pid != 1 {
        ctx.eprint("nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n");
        return Flow::Exit(1);
    }
    let (t, _) = go_time(state.clock_ms);
    ctx.eprint(format!("{t} [notice] 1#1: using the \"epoll\" event method\n{t} [notice] 1#1: nginx/1.29.0\n{t} [notice] 1#1: OS: Linux (simulated)\n{t} [notice] 1#1: start worker processes\n{t} [notice] 1#1: start worker process 29\n"));
    let host_pid = state.host_pid();
    let now = state.clock_ms;
    if let Some(c) = state.containers.get_mut(cid) {
        c.processes.push(crate::state::Process {
            pid: 29,
            host_pid,
            argv: vec!["nginx: worker process".into()],
            program: Program::Forever,
            user: "nginx".into(),
            started_ms: now,
            shell: String::new(),
        });
        if let Some(p) = c.processes.first_mut() {
            p.argv = vec!["nginx: master process nginx -g daemon off;".into()];
        }
    }
    Flow::Serve(Program::Nginx)
}

fn redis_server(state: &mut State, cid: &str, ctx: &mut Ctx) -> Flow {
    if ctx.pid != 1 {
        ctx.eprint("Could not create server TCP listening socket *:6379: bind: Address already in use\n");
        return Flow::Exit(1);
    }
    let mut loaded = 0;
    if let Some(Node::File { data }) = state.read_node(cid, "/data/dump.rdb")
        && let Ok(kv) = serde_json::from_str::<BTreeMap<String, String>>(&data)
    {
        loaded = kv.len();
        if let Some(c) = state.containers.get_mut(cid) {
            c.kv = kv;
        }
    }
    ctx.print("1:C * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:C * Redis version=8.0.2, bits=64, pid=1, just started\n1:M * Server initialized\n");
    if loaded > 0 {
        ctx.print(format!("1:M * DB loaded from disk: {loaded} keys\n"));
    }
    ctx.print("1:M * Ready to accept connections tcp\n");
    Flow::Serve(Program::Redis)
}

fn redis_cli(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    let mut host = "127.0.0.1".to_string();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" => host = it.next().cloned().unwrap_or_default(),
            "-p" => {
                it.next();
            }
            _ => rest.push(a.clone()),
        }
    }
    let Some(target) = resolve_host(state, cid, &host) else {
        ctx.eprint(format!("Could not connect to Redis at {host}:6379: Name or service not known\n"));
        return Flow::Exit(1);
    };
    let serving = state.containers.get(&target).is_some_and(|c| {
        c.status == Status::Running && c.processes.first().is_some_and(|p| p.program == Program::Redis)
    });
    if !serving {
        ctx.eprint(format!("Could not connect to Redis at {host}:6379: Connection refused\n"));
        return Flow::Exit(1);
    }
    if rest.is_empty() {
        ctx.eprint(
            "(simulation) interactive redis-cli is not simulated; give a command: redis-cli set greeting hello\n",
        );
        return Flow::Exit(1);
    }
    let cmd = rest[0].to_ascii_uppercase();
    let Some(c) = state.containers.get_mut(&target) else { return Flow::Exit(1) };
    let reply = match (cmd.as_str(), rest.len()) {
        ("PING", _) => "PONG".to_string(),
        ("SET", 3) => {
            c.kv.insert(rest[1].clone(), rest[2].clone());
            "OK".into()
        }
        ("GET", 2) => c.kv.get(&rest[1]).map(|v| format!("\"{v}\"")).unwrap_or_else(|| "(nil)".into()),
        ("DEL", n) if n >= 2 => {
            let removed = rest[1..].iter().filter(|k| c.kv.remove(*k).is_some()).count();
            format!("(integer) {removed}")
        }
        ("INCR", 2) => {
            let v = c.kv.get(&rest[1]).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0) + 1;
            c.kv.insert(rest[1].clone(), v.to_string());
            format!("(integer) {v}")
        }
        ("KEYS", 2) => {
            let keys: Vec<String> = c.kv.keys().enumerate().map(|(i, k)| format!("{}) \"{k}\"", i + 1)).collect();
            if keys.is_empty() { "(empty array)".into() } else { keys.join("\n") }
        }
        ("DBSIZE", 1) => format!("(integer) {}", c.kv.len()),
        ("FLUSHALL", 1) => {
            c.kv.clear();
            "OK".into()
        }
        (other, _) if ["SET", "GET", "DEL", "INCR", "KEYS"].contains(&other) => {
            format!("(error) ERR wrong number of arguments for '{}' command", other.to_ascii_lowercase())
        }
        (other, _) => {
            format!("(error) ERR unknown command '{}', with args beginning with: ", other.to_ascii_lowercase())
        }
    };
    let dump = serde_json::to_string(&c.kv).unwrap_or_default();
    if matches!(cmd.as_str(), "SET" | "DEL" | "INCR" | "FLUSHALL") {
        let _ = state.write_node(&target, "/data/dump.rdb", Node::File { data: dump });
    }
    ctx.print(format!("{reply}\n"));
    Flow::Exit(0)
}

fn python(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
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

/// Finds the container `host` names, seen from container `cid`: itself for
/// `localhost`, others by name or alias on a shared user network (the
/// embedded DNS), or by IP on a shared network.
pub fn resolve_host(state: &State, cid: &str, host: &str) -> Option<String> {
    if host == "localhost" || host == "127.0.0.1" {
        return Some(cid.to_string());
    }
    let me = state.containers.get(cid)?;
    for other in state.containers.values() {
        for (net, ep) in &other.networks {
            let Some(mine) = me.networks.get(net) else { continue };
            let _ = mine;
            let user_net = !matches!(net.as_str(), "bridge" | "host" | "none");
            if !ep.ip.is_empty() && ep.ip == host {
                return Some(other.id.clone());
            }
            if user_net
                && (other.name == host
                    || ep.aliases.iter().any(|a| a == host)
                    || other.id.starts_with(host) && host.len() >= 12)
            {
                return Some(other.id.clone());
            }
        }
    }
    None
}

/// The IP of container `cid` as seen from `from` (its first shared
/// network's address).
fn ip_of(state: &State, cid: &str, from: &str) -> String {
    let Some(c) = state.containers.get(cid) else { return String::new() };
    if cid == from {
        return "127.0.0.1".into();
    }
    let mine = state.containers.get(from);
    c.networks
        .iter()
        .find(|(n, _)| mine.is_some_and(|m| m.networks.contains_key(*n)))
        .or_else(|| c.networks.iter().next())
        .map(|(_, e)| e.ip.clone())
        .unwrap_or_default()
}

/// An HTTP GET to `port` of container `target`: `(status, body)`, or the
/// connection error.
pub fn http_get(
    state: &mut State,
    target: &str,
    port: u16,
    path: &str,
    client_ip: &str,
    agent: &str,
) -> Result<(u16, String), String> {
    let Some(c) = state.containers.get(target) else { return Err("Connection refused".into()) };
    if c.status == Status::Paused {
        return Err("Connection timed out".into());
    }
    if c.status != Status::Running {
        return Err("Connection refused".into());
    }
    let program = c.processes.first().map(|p| p.program.clone());
    let is_python_server =
        c.processes.first().is_some_and(|p| p.argv.iter().any(|a| a.contains("http.server") || a.ends_with(".py")));
    match program {
        Some(Program::Nginx) if port == 80 => {
            let file = if path.ends_with('/') {
                format!("/usr/share/nginx/html{path}index.html")
            } else {
                format!("/usr/share/nginx/html{path}")
            };
            let file = normalize("/", &file);
            let (status, body) = match state.read_node(target, &state.resolve_link(target, &file)) {
                Some(Node::File { data }) => (200, data),
                _ => (404, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.29.0</center>\r\n</body>\r\n</html>\r\n".to_string()),
            };
            let (_, clf) = go_time(state.clock_ms);
            let line = format!(
                "{client_ip} - - [{clf}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"{agent}\" \"-\"\n",
                body.len()
            );
            state.append_logs(target, vec![(1, line)]);
            if let Some(c) = state.containers.get_mut(target) {
                c.requests += 1;
            }
            Ok((status, body))
        }
        Some(Program::Httpd { port: listening, home }) if port == listening => {
            let mut file = normalize(&home, &format!(".{path}"));
            if path.ends_with('/') || matches!(state.read_node(target, &file), Some(Node::Dir)) {
                file = format!("{}/index.html", file.trim_end_matches('/'));
            }
            match state.read_node(target, &state.resolve_link(target, &file)) {
                Some(Node::File { data }) => Ok((200, data)),
                _ => Ok((404, "<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n".into())),
            }
        }
        Some(Program::Forever) if is_python_server && (port == 8000 || port == 5000) => {
            let cwd = state
                .containers
                .get(target)
                .map(|c| if c.workdir.is_empty() { "/".to_string() } else { c.workdir.clone() })
                .unwrap_or_default();
            let names = state.list_dir(target, &cwd);
            let items: String = names.iter().map(|n| format!("<li><a href=\"{n}\">{n}</a></li>\n")).collect();
            let (_, clf) = go_time(state.clock_ms);
            state.append_logs(target, vec![(2, format!("{client_ip} - - [{clf}] \"GET {path} HTTP/1.1\" 200 -\n"))]);
            Ok((
                200,
                format!(
                    "<!DOCTYPE HTML>\n<html>\n<title>Directory listing for {path}</title>\n<body>\n<h1>Directory listing for {path}</h1>\n<ul>\n{items}</ul>\n</body>\n</html>\n"
                ),
            ))
        }
        _ => Err("Connection refused".into()),
    }
}

/// Parses `http://host[:port]/path`.
pub fn parse_url(url: &str) -> Option<(String, u16, String)> {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    if rest.starts_with("https://") {
        return None;
    }
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (hostport.to_string(), 80),
    };
    if host.is_empty() {
        return None;
    }
    Some((host, port, path))
}

fn file_text(state: &State, cid: &str, cwd: &str, name: &str) -> Result<String, String> {
    let path = state.resolve_link(cid, &normalize(cwd, name));
    match state.read_node(cid, &path) {
        Some(Node::File { data }) => {
            Ok(if data.starts_with("#!sim:") { "\u{7f}ELF (simulated binary)\n".to_string() } else { data })
        }
        Some(Node::Dir) => Err(format!("{name}: Is a directory")),
        _ => Err(format!("can't open '{name}': No such file or directory")),
    }
}

/// The order of a container's environment as dockerd makes it: `PATH`,
/// `HOSTNAME`, `TERM` (with a TTY), then the config's variables as given
/// (which replace those in place); runc appends `HOME` last.
fn environ_order(config_env: &[String]) -> Vec<&str> {
    let mut order = vec!["PATH", "HOSTNAME", "TERM"];
    for key in config_env.iter().map(|kv| kv.split_once('=').map_or(kv.as_str(), |(k, _)| k)) {
        if !order.contains(&key) {
            order.push(key);
        }
    }
    order
}

fn busybox(state: &mut State, cid: &str, ctx: &mut Ctx, applet: &str, args: &[String]) -> Flow {
    let flags: String =
        args.iter().filter(|a| a.starts_with('-') && a.len() > 1).flat_map(|a| a[1..].chars()).collect();
    let operands: Vec<&String> = args.iter().filter(|a| !(a.starts_with('-') && a.len() > 1)).collect();
    match applet {
        "sh" | "ash" => {
            if let Some(i) = args.iter().position(|a| a == "-c") {
                let script = args.get(i + 1).cloned().unwrap_or_default();
                if let Some(a0) = args.get(i + 2) {
                    ctx.arg0 = a0.clone();
                    ctx.args = args[i + 3..].to_vec();
                }
                return run_script(state, cid, ctx, &script);
            }
            if let Some(file) = operands.first() {
                return match file_text(state, cid, &ctx.cwd.clone(), file) {
                    Ok(text) => run_script(state, cid, ctx, &text),
                    Err(e) => {
                        ctx.eprint(format!("sh: {e}\n"));
                        Flow::Exit(2)
                    }
                };
            }
            if let Some(input) = ctx.stdin.take() {
                return run_script(state, cid, ctx, &input);
            }
            if ctx.interactive {
                if ctx.tty {
                    ctx.print(prompt(&ctx.cwd));
                }
                return Flow::Serve(Program::Interactive);
            }
            Flow::Exit(0)
        }
        "echo" => {
            let text: Vec<&str> = args.iter().map(String::as_str).filter(|a| *a != "-n" && *a != "-e").collect();
            let mut s = text.join(" ");
            if args.iter().any(|a| a == "-e") {
                s = s.replace("\\n", "\n").replace("\\t", "\t");
            }
            if !args.iter().any(|a| a == "-n") {
                s.push('\n');
            }
            ctx.print(s);
            Flow::Exit(0)
        }
        "printf" => {
            let Some(format) = args.first() else {
                ctx.eprint("sh: usage: printf FORMAT [ARGUMENT...]\n");
                return Flow::Exit(2);
            };
            let printed = crate::programs::busybox::printf::printf(format, &args[1..]);
            ctx.print(printed.out);
            for e in printed.errors {
                ctx.eprint(format!("sh: {e}\n"));
            }
            Flow::Exit(printed.status)
        }
        "true" | ":" => Flow::Exit(0),
        "false" => Flow::Exit(1),
        "pwd" => {
            ctx.print(format!("{}\n", ctx.cwd));
            Flow::Exit(0)
        }
        "hostname" => {
            let h = state.containers.get(cid).map(|c| c.hostname.clone()).unwrap_or_default();
            ctx.print(format!("{h}\n"));
            Flow::Exit(0)
        }
        "whoami" => {
            ctx.print(format!("{}\n", user_of(state, cid)));
            Flow::Exit(0)
        }
        "id" => match identity(state, cid) {
            Ok(who) => match id_text(&who, &flags) {
                Some(line) => {
                    ctx.print(format!("{line}\n"));
                    Flow::Exit(0)
                }
                None => {
                    ctx.eprint("BusyBox v1.37.0 (simulated) multi-call binary.\n\nUsage: id [-ugGnr] [USER]\n\nPrint information about USER or the current user\n\n\t-u\tUser ID\n\t-g\tGroup ID\n\t-G\tSupplementary group IDs\n\t-n\tPrint names instead of numbers\n\t-r\tPrint real ID instead of effective ID\n");
                    Flow::Exit(1)
                }
            },
            Err(unknown) => {
                ctx.eprint(match unknown {
                    UnknownId::User(name) => format!("id: unknown user {name}\n"),
                    UnknownId::Group(name) => format!("id: unknown group {name}\n"),
                });
                Flow::Exit(1)
            }
        },
        "uname" => {
            let h = state.containers.get(cid).map(|c| c.hostname.clone()).unwrap_or_default();
            if flags.contains('a') {
                ctx.print(format!("Linux {h} 6.1.0-sim #1 SMP PREEMPT_DYNAMIC Debian 6.1.0 x86_64 GNU/Linux\n"));
            } else if flags.contains('r') {
                ctx.print("6.1.0-sim\n");
            } else {
                ctx.print("Linux\n");
            }
            Flow::Exit(0)
        }
        "date" => {
            let t = time::OffsetDateTime::from_unix_timestamp((state.clock_ms / 1000) as i64)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
            let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            ctx.print(format!(
                "{} {} {:>2} {:02}:{:02}:{:02} UTC {}\n",
                days[t.weekday().number_days_from_monday() as usize],
                months[(t.month() as usize - 1).min(11)],
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.year()
            ));
            Flow::Exit(0)
        }
        "env" | "printenv" => {
            if applet == "printenv"
                && let Some(k) = operands.first()
            {
                return match ctx.env.get(k.as_str()).cloned() {
                    Some(v) => {
                        ctx.print(format!("{v}\n"));
                        Flow::Exit(0)
                    }
                    None => Flow::Exit(1),
                };
            }
            let order = environ_order(state.containers.get(cid).map_or(&[][..], |c| &c.env));
            let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
            let mut vars: Vec<(&String, &String)> = ctx.env.iter().collect();
            // Stable: the rest keep their (sorted) order, before HOME.
            vars.sort_by_key(|(k, _)| if *k == "HOME" { usize::MAX } else { rank(k) });
            let text: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            ctx.print(text);
            Flow::Exit(0)
        }
        "sleep" => {
            let secs: f64 = operands.first().and_then(|s| s.trim_end_matches('s').parse().ok()).unwrap_or(-1.0);
            if operands.first().map(|s| s.as_str()) == Some("infinity") {
                return Flow::Serve(Program::Forever);
            }
            if !(0.0..=1e9).contains(&secs) {
                ctx.eprint(format!("sleep: invalid number '{}'\n", operands.first().map(|s| s.as_str()).unwrap_or("")));
                return Flow::Exit(1);
            }
            let ms = (secs * 1000.0) as u64;
            if ms == 0 {
                return Flow::Exit(0);
            }
            Flow::Sleep { until_ms: state.clock_ms + ms, rest: Vec::new() }
        }
        "ls" => {
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
                            if flags.contains('l') {
                                text.push_str(&long_line(state, cid, &child(&n), &n));
                            } else {
                                text.push_str(&n);
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
        "cat" => {
            if operands.is_empty() {
                let input = ctx.stdin.take().unwrap_or_default();
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
        "head" | "tail" => {
            // `-n 3`, `-n3` or the old `-3`.
            let n: usize = args
                .iter()
                .enumerate()
                .find_map(|(i, a)| match a.strip_prefix("-n") {
                    Some("") => args.get(i + 1).and_then(|v| v.parse().ok()),
                    Some(v) => v.parse().ok(),
                    None => a.strip_prefix('-').and_then(|v| v.parse().ok()),
                })
                .unwrap_or(10);
            let files: Vec<&String> = operands.iter().copied().filter(|o| o.parse::<usize>().is_err()).collect();
            let text = match filter_input(state, cid, ctx, applet, files.first().copied()) {
                Ok(text) => text,
                Err(flow) => return flow,
            };
            let lines: Vec<&str> = text.lines().collect();
            let pick: Vec<&str> = if applet == "head" {
                lines.iter().take(n).copied().collect()
            } else {
                lines[lines.len().saturating_sub(n)..].to_vec()
            };
            ctx.print(pick.iter().map(|l| format!("{l}\n")).collect::<String>());
            Flow::Exit(0)
        }
        "grep" => {
            // `-e PATTERN` (repeatable), else the first operand; then files.
            let (mut patterns, mut rest, mut words) = (Vec::new(), Vec::new(), args.iter());
            while let Some(a) = words.next() {
                if a == "-e" {
                    patterns.extend(words.next().cloned());
                } else if !(a.starts_with('-') && a.len() > 1) {
                    rest.push(a.clone());
                }
            }
            if patterns.is_empty() && !rest.is_empty() {
                patterns.push(rest.remove(0));
            }
            if patterns.is_empty() {
                ctx.eprint(
                    "BusyBox v1.37.0 (simulated)\n\nUsage: grep [-civnqEF] [-e PATTERN]... [PATTERN] [FILE]...\n",
                );
                return Flow::Exit(2);
            }
            let sources: Vec<(String, String)> = if rest.is_empty() {
                vec![(String::new(), ctx.stdin.take().unwrap_or_default())]
            } else {
                let mut found = Vec::new();
                for f in &rest {
                    match file_text(state, cid, &ctx.cwd.clone(), f) {
                        Ok(text) => found.push((f.clone(), text)),
                        Err(e) => ctx.eprint(format!("grep: {e}\n")),
                    }
                }
                found
            };
            let icase = flags.contains('i');
            let fold = |t: &str| if icase { t.to_ascii_lowercase() } else { t.to_string() };
            let patterns: Vec<String> = patterns.iter().map(|p| fold(p)).collect();
            let (fixed, extended, invert) = (flags.contains('F'), flags.contains('E'), flags.contains('v'));
            let hit = |line: &str| {
                let line = fold(line);
                let any = patterns
                    .iter()
                    .any(|p| if fixed { line.contains(p.as_str()) } else { regex_find(p, &line, extended) });
                any != invert
            };
            let mut hits = String::new();
            let mut count = 0;
            for (name, text) in &sources {
                for (n, line) in text.lines().enumerate().filter(|(_, l)| hit(l)) {
                    count += 1;
                    if sources.len() > 1 {
                        hits.push_str(&format!("{name}:"));
                    }
                    if flags.contains('n') {
                        hits.push_str(&format!("{}:", n + 1));
                    }
                    hits.push_str(line);
                    hits.push('\n');
                }
            }
            let code = if count == 0 { 1 } else { 0 };
            if flags.contains('c') {
                ctx.print(format!("{count}\n"));
            } else if !flags.contains('q') {
                ctx.print(hits);
            }
            Flow::Exit(code)
        }
        "wc" => {
            let text = match operands.first() {
                Some(f) => file_text(state, cid, &ctx.cwd.clone(), f).unwrap_or_default(),
                None => ctx.stdin.take().unwrap_or_default(),
            };
            if flags.contains('l') {
                ctx.print(format!("{}\n", text.lines().count()));
            } else if flags.contains('w') {
                ctx.print(format!("{}\n", text.split_whitespace().count()));
            } else if flags.contains('c') {
                ctx.print(format!("{}\n", text.len()));
            } else {
                ctx.print(format!(
                    "{:>9} {:>9} {:>9}\n",
                    text.lines().count(),
                    text.split_whitespace().count(),
                    text.len()
                ));
            }
            Flow::Exit(0)
        }
        "httpd" => {
            // -f: stay in the foreground; -p [IP:]PORT (80); -h HOME (the
            // current directory). Without -f it goes to the background and
            // its parent returns at once: as a container's main process,
            // the container ends there, as on dockerd.
            let (mut port, mut home, mut words) = (80, ctx.cwd.clone(), args.iter());
            while let Some(a) = words.next() {
                match a.as_str() {
                    "-p" => port = words.next().and_then(|p| p.rsplit(':').next()?.parse().ok()).unwrap_or(0),
                    "-h" => home = words.next().map(|h| normalize(&ctx.cwd, h)).unwrap_or(home),
                    _ => {}
                }
            }
            if port == 0 {
                ctx.eprint("httpd: invalid port\n");
                return Flow::Exit(1);
            }
            if !flags.contains('f') {
                return Flow::Exit(0);
            }
            if let Some(p) = state.containers.get_mut(cid).and_then(|c| c.processes.first_mut()) {
                p.argv = std::iter::once("httpd".to_string()).chain(args.iter().cloned()).collect();
            }
            Flow::Serve(Program::Httpd { port, home })
        }
        "tty" => {
            if ctx.tty {
                ctx.print("/dev/pts/0\n");
                Flow::Exit(0)
            } else {
                ctx.print("not a tty\n");
                Flow::Exit(1)
            }
        }
        "tr" => {
            let input = ctx.stdin.take().unwrap_or_default();
            let sets: Vec<Vec<char>> = operands.iter().map(|o| tr_set(o)).collect();
            let Some(from) = sets.first() else {
                ctx.eprint("BusyBox v1.37.0 (simulated)\n\nUsage: tr [-ds] STRING1 [STRING2]\n");
                return Flow::Exit(1);
            };
            let (delete, squeeze) = (flags.contains('d'), flags.contains('s'));
            let to = sets.get(1);
            let mut text = String::new();
            for c in input.chars() {
                let at = from.iter().position(|&f| f == c);
                let c = match (at, to) {
                    (Some(_), _) if delete => continue,
                    (Some(i), Some(to)) if !to.is_empty() => to[i.min(to.len() - 1)],
                    _ => c,
                };
                // -s squeezes runs of the characters of the last set.
                let squeezed = to.filter(|_| !delete).unwrap_or(from);
                if squeeze && text.ends_with(c) && squeezed.contains(&c) {
                    continue;
                }
                text.push(c);
            }
            ctx.print(text);
            Flow::Exit(0)
        }
        "cut" => {
            let mut delim = '\t';
            let (mut fields, mut chars, mut files) = (None, None, Vec::new());
            let mut words = args.iter();
            while let Some(a) = words.next() {
                if !(a.starts_with('-') && a.len() > 1) {
                    files.push(a.clone());
                    continue;
                }
                let mut value = |flag: &str| {
                    a.strip_prefix(flag)
                        .filter(|v| !v.is_empty())
                        .map(str::to_string)
                        .or_else(|| if a == flag { words.next().cloned() } else { None })
                };
                if let Some(d) = value("-d") {
                    delim = d.chars().next().unwrap_or('\t');
                } else if let Some(f) = value("-f") {
                    fields = Some(f);
                } else if let Some(c) = value("-c") {
                    chars = Some(c);
                }
            }
            let Some(list) = fields.as_deref().or(chars.as_deref()).map(ranges) else {
                ctx.eprint("cut: expected a list of bytes, characters, or fields\n");
                return Flow::Exit(1);
            };
            let input = if files.is_empty() {
                ctx.stdin.take().unwrap_or_default()
            } else {
                let mut text = String::new();
                for f in &files {
                    match file_text(state, cid, &ctx.cwd.clone(), f) {
                        Ok(t) => text.push_str(&t),
                        Err(e) => ctx.eprint(format!("cut: {e}\n")),
                    }
                }
                text
            };
            let wanted = |i: usize| list.iter().any(|&(a, b)| (a..=b).contains(&(i + 1)));
            let mut text = String::new();
            for line in input.lines() {
                if fields.is_some() {
                    if !line.contains(delim) {
                        text.push_str(line);
                    } else {
                        let picked: Vec<&str> =
                            line.split(delim).enumerate().filter(|(i, _)| wanted(*i)).map(|(_, f)| f).collect();
                        text.push_str(&picked.join(&delim.to_string()));
                    }
                } else {
                    text.extend(line.chars().enumerate().filter(|(i, _)| wanted(*i)).map(|(_, c)| c));
                }
                text.push('\n');
            }
            ctx.print(text);
            Flow::Exit(0)
        }
        "sort" | "uniq" => {
            let text = match filter_input(state, cid, ctx, applet, operands.first().copied()) {
                Ok(text) => text,
                Err(flow) => return flow,
            };
            let mut lines: Vec<&str> = text.lines().collect();
            if applet == "sort" {
                if flags.contains('n') {
                    let key = |l: &str| {
                        l.trim_start()
                            .split(|c: char| !c.is_ascii_digit() && c != '-')
                            .next()
                            .and_then(|n| n.parse::<i64>().ok())
                            .unwrap_or(0)
                    };
                    crate::util::sort_with(&mut lines, &|a, b| key(a).cmp(&key(b)).then(a.cmp(b)));
                } else {
                    crate::util::sort_with(&mut lines, &|a, b| a.cmp(b));
                }
                if flags.contains('r') {
                    lines.reverse();
                }
            }
            let mut runs: Vec<(usize, &str)> = Vec::new();
            for line in lines {
                match runs.last_mut() {
                    Some((n, last)) if *last == line && (applet == "uniq" || flags.contains('u')) => *n += 1,
                    _ => runs.push((1, line)),
                }
            }
            let counted = applet == "uniq" && flags.contains('c');
            let text: String =
                runs.iter().map(|(n, l)| if counted { format!("{n:>7} {l}\n") } else { format!("{l}\n") }).collect();
            ctx.print(text);
            Flow::Exit(0)
        }
        "tee" => {
            let input = ctx.stdin.take().unwrap_or_default();
            let mut code = 0;
            for f in &operands {
                let path = normalize(&ctx.cwd, f);
                let before = if flags.contains('a') {
                    file_text(state, cid, "/", &path).unwrap_or_default()
                } else {
                    String::new()
                };
                if let Err(e) = state.write_node(cid, &path, Node::File { data: before + &input }) {
                    ctx.eprint(format!("tee: {f}: {e}\n"));
                    code = 1;
                }
            }
            ctx.print(input);
            Flow::Exit(code)
        }
        "seq" => {
            let nums: Vec<i64> = operands.iter().filter_map(|o| o.parse().ok()).collect();
            let (a, b) = match nums.as_slice() {
                [b] => (1, *b),
                [a, b, ..] => (*a, *b),
                _ => (1, 0),
            };
            let b = b.min(a.saturating_add(10_000));
            ctx.print((a..=b).map(|n| format!("{n}\n")).collect::<String>());
            Flow::Exit(0)
        }
        "basename" | "dirname" => {
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
        "mkdir" => {
            let mut code = 0;
            for d in operands {
                let path = normalize(&ctx.cwd, d);
                if state.read_node(cid, &path).is_some() && !flags.contains('p') {
                    ctx.eprint(format!("mkdir: can't create directory '{d}': File exists\n"));
                    code = 1;
                    continue;
                }
                let parent =
                    path.rsplit_once('/').map(|(p, _)| if p.is_empty() { "/" } else { p }).unwrap_or("/").to_string();
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
        // The simulated files keep no modes or owners: chmod and chown check
        // their arguments as busybox does and change nothing.
        "chmod" | "chown" => {
            let Some((spec, files)) = operands.split_first().filter(|(_, f)| !f.is_empty()) else {
                ctx.eprint(format!(
                    "BusyBox v1.37.0 (simulated) multi-call binary.\n\nUsage: {applet} [-Rcvf] {} FILE...\n",
                    if applet == "chmod" { "MODE[,MODE]..." } else { "USER[:[GRP]]" }
                ));
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
        "touch" => {
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
        "rm" => {
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
        "cp" | "mv" => {
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
        "ps" | "top" => {
            let Some(c) = state.containers.get(cid) else { return Flow::Exit(1) };
            let mut text = String::from("PID   USER     TIME  COMMAND\n");
            for p in &c.processes {
                text.push_str(&format!("{:>5} {:<8}  0:00 {}\n", p.pid, p.user, p.argv.join(" ")));
            }
            ctx.print(text);
            Flow::Exit(0)
        }
        "kill" => {
            let pid: u32 = operands.first().and_then(|p| p.parse().ok()).unwrap_or(0);
            if pid == 1 {
                // PID 1 ignores signals it has no handler for.
                return Flow::Exit(0);
            }
            let exists = state.containers.get(cid).is_some_and(|c| c.processes.iter().any(|p| p.pid == pid));
            if !exists {
                ctx.eprint(format!("sh: can't kill pid {pid}: No such process\n"));
                return Flow::Exit(1);
            }
            if let Some(c) = state.containers.get_mut(cid) {
                c.processes.retain(|p| p.pid != pid);
            }
            let dead: Vec<String> = state
                .execs
                .values()
                .filter(|e| e.container_id == cid && e.pid == pid && e.running)
                .map(|e| e.id.clone())
                .collect();
            for eid in dead {
                if let Some(e) = state.execs.get_mut(&eid) {
                    e.running = false;
                    e.exit_code = Some(143);
                }
            }
            Flow::Exit(0)
        }
        "wget" => {
            let url = operands
                .iter()
                .find(|o| o.contains('.') || o.contains("://") || o.contains(':') || !o.is_empty())
                .map(|s| s.to_string());
            let stdout = args.iter().any(|a| a == "-O-" || a == "-qO-" || a == "-qO" || a == "-O")
                && args.iter().any(|a| a.ends_with('-'));
            let stdout = stdout || args.windows(2).any(|w| w[0].ends_with('O') && w[1] == "-");
            let quiet = flags.contains('q');
            let Some(url) = url.filter(|u| u != "-") else {
                ctx.eprint("BusyBox v1.37.0 (simulated)\n\nUsage: wget [-q] [-O FILE] URL\n");
                return Flow::Exit(1);
            };
            fetch_into(state, cid, ctx, &url, stdout, quiet, "Wget")
        }
        "ping" => {
            let count: usize = args
                .iter()
                .position(|a| a == "-c")
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(4)
                .min(20);
            let Some(host) = operands.iter().find(|o| o.parse::<usize>().is_err()).map(|s| s.to_string()) else {
                ctx.eprint("BusyBox v1.37.0 (simulated)\n\nUsage: ping [OPTIONS] HOST\n");
                return Flow::Exit(1);
            };
            let Some(target) = resolve_host(state, cid, &host) else {
                ctx.eprint(format!("ping: bad address '{host}'\n"));
                return Flow::Exit(1);
            };
            let ip = ip_of(state, &target, cid);
            let up = state.containers.get(&target).is_some_and(|c| c.status == Status::Running);
            let mut text = format!("PING {host} ({ip}): 56 data bytes\n");
            if up {
                for i in 0..count {
                    text.push_str(&format!("64 bytes from {ip}: seq={i} ttl=64 time=0.0{}1 ms\n", 5 + i % 4));
                }
            }
            text.push_str(&format!(
                "\n--- {host} ping statistics ---\n{count} packets transmitted, {} packets received, {}% packet loss\n",
                if up { count } else { 0 },
                if up { 0 } else { 100 }
            ));
            if up {
                text.push_str("round-trip min/avg/max = 0.051/0.066/0.081 ms\n");
            }
            ctx.print(text);
            state.clock_ms += count as u64 * 1000;
            Flow::Exit(if up { 0 } else { 1 })
        }
        "nslookup" => {
            let Some(host) = operands.first().map(|s| s.to_string()) else { return Flow::Exit(1) };
            let user_net = state
                .containers
                .get(cid)
                .is_some_and(|c| c.networks.keys().any(|n| !matches!(n.as_str(), "bridge" | "host" | "none")));
            let server = if user_net { "127.0.0.11" } else { "8.8.8.8" };
            match resolve_host(state, cid, &host).map(|t| ip_of(state, &t, cid)) {
                Some(ip) => ctx.print(format!("Server:\t\t{server}\nAddress:\t{server}:53\n\nNon-authoritative answer:\nName:\t{host}\nAddress: {ip}\n\n")),
                None => {
                    ctx.print(format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n** server can't find {host}: NXDOMAIN\n\n"));
                    return Flow::Exit(1);
                }
            }
            Flow::Exit(0)
        }
        "ip" | "ifconfig" => {
            let Some(c) = state.containers.get(cid) else { return Flow::Exit(1) };
            let mut text = String::from(
                "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n",
            );
            for (i, (net, ep)) in c.networks.iter().enumerate() {
                if ep.ip.is_empty() {
                    continue;
                }
                let n = i + 2;
                let _ = net;
                text.push_str(&format!(
                    "{n}: eth{}@if{}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue\n    link/ether {} brd ff:ff:ff:ff:ff:ff\n    inet {}/16 brd {} scope global eth{}\n",
                    i,
                    n + 10,
                    ep.mac,
                    ep.ip,
                    ep.gateway.rsplit_once('.').map(|(a, _)| format!("{a}.255")).unwrap_or_default().replace(".0.255", ".255.255"),
                    i
                ));
            }
            ctx.print(text);
            Flow::Exit(0)
        }
        "df" => {
            ctx.print("Filesystem           1K-blocks      Used Available Use% Mounted on\noverlay               61202244  21443544  36617344  37% /\ntmpfs                    65536         0     65536   0% /dev\n");
            Flow::Exit(0)
        }
        "free" => {
            ctx.print("              total        used        free      shared  buff/cache   available\nMem:        8039156     1843564     4371000       12345     1824592     5911172\nSwap:             0           0           0\n");
            Flow::Exit(0)
        }
        "uptime" => {
            let started = state.containers.get(cid).and_then(|c| c.started_ms).unwrap_or(state.clock_ms);
            let mins = (state.clock_ms.saturating_sub(started)) / 60_000;
            ctx.print(format!(" up {mins} min,  load average: 0.00, 0.01, 0.05\n"));
            Flow::Exit(0)
        }
        "which" => {
            let mut code = 0;
            for o in operands {
                match state.lookup_exe(cid, o) {
                    Some(_) => {
                        let dir = if crate::catalog::APPLETS.contains(&o.as_str()) {
                            "/bin".to_string()
                        } else {
                            state
                                .lookup_exe(cid, o)
                                .unwrap_or_default()
                                .rsplit_once('/')
                                .map(|(d, _)| d.to_string())
                                .unwrap_or_default()
                        };
                        ctx.print(format!("{dir}/{o}\n"));
                    }
                    None => code = 1,
                }
            }
            Flow::Exit(code)
        }
        "test" => Flow::Exit(match operands.as_slice() {
            [f, p] if f.as_str() == "-f" || f.as_str() == "-e" || f.as_str() == "-d" => {
                i32::from(state.read_node(cid, &normalize(&ctx.cwd, p)).is_none())
            }
            _ => 1,
        }),
        "vi" | "yes" => {
            ctx.eprint(format!("(simulation) {applet} is not available in the playground\n"));
            Flow::Exit(1)
        }
        other => {
            ctx.eprint(format!("{other}: applet not found\n"));
            Flow::Exit(127)
        }
    }
}

fn long_line(state: &State, cid: &str, path: &str, name: &str) -> String {
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

/// `wget`/`curl`: fetches `url` from container `cid`.
pub fn fetch_into(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    url: &str,
    to_stdout: bool,
    quiet: bool,
    agent: &str,
) -> Flow {
    let Some((host, port, path)) = parse_url(url) else {
        ctx.eprint(format!("wget: not an http or ftp url: {url}\n"));
        return Flow::Exit(1);
    };
    let Some(target) = resolve_host(state, cid, &host) else {
        ctx.eprint(format!("wget: bad address '{host}'\n"));
        return Flow::Exit(1);
    };
    let ip = ip_of(state, &target, cid);
    let client_ip = ip_of(state, cid, &target);
    if !quiet {
        ctx.eprint(format!(
            "Connecting to {host}{} ({ip}:{port})\n",
            if port == 80 { String::new() } else { format!(":{port}") }
        ));
    }
    match http_get(state, &target, port, &path, &client_ip, agent) {
        Ok((200, body)) => {
            if to_stdout {
                ctx.print(body);
            } else {
                let file = path.rsplit('/').next().filter(|f| !f.is_empty()).unwrap_or("index.html").to_string();
                let dest = normalize(&ctx.cwd, &file);
                let len = body.len();
                let _ = state.write_node(cid, &dest, Node::File { data: body });
                if !quiet {
                    ctx.eprint(format!("saving to '{file}'\n{file:<20} 100% |********************************|   {len}  0:00:00 ETA\n'{file}' saved\n"));
                }
            }
            Flow::Exit(0)
        }
        Ok((status, _)) => {
            ctx.eprint(format!("wget: server returned error: HTTP/1.1 {status} Not Found\n"));
            Flow::Exit(1)
        }
        Err(e) => {
            ctx.eprint(format!("wget: can't connect to remote host ({ip}): {e}\n"));
            Flow::Exit(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::regex_find;
    use proptest::prelude::*;

    /// Patterns of the supported grammar, built twice: as grep reads them
    /// (`extended`) and in the `regex` crate's syntax.
    fn pattern() -> impl Strategy<Value = (String, String)> {
        let atom = prop_oneof![
            Just(("a", "a")),
            Just(("b", "b")),
            Just((".", ".")),
            Just(("[ab]", "[ab]")),
            Just(("[^a]", "[^a]")),
            Just(("\\.", "\\.")),
            Just(("x", "x")),
        ];
        let rep = prop_oneof![Just(""), Just("*"), Just("+"), Just("?")];
        (any::<bool>(), prop::collection::vec((atom, rep), 0..7), any::<bool>()).prop_map(|(start, parts, end)| {
            let mut ours = String::from(if start { "^" } else { "" });
            let mut theirs = ours.clone();
            for ((a, b), r) in parts {
                ours.push_str(a);
                ours.push_str(r);
                theirs.push_str(b);
                theirs.push_str(r);
            }
            if end {
                ours.push('$');
                theirs.push('$');
            }
            (ours, theirs)
        })
    }

    proptest! {
        #[test]
        fn extended_patterns_match_as_the_regex_crate_does((ours, theirs) in pattern(), line in "[abx.]{0,12}") {
            let reference = regex::Regex::new(&theirs).unwrap();
            prop_assert_eq!(regex_find(&ours, &line, true), reference.is_match(&line), "{} on {:?}", ours, line);
        }
    }

    #[test]
    fn basic_patterns_take_plus_and_question_marks_literally() {
        assert!(regex_find("a+b", "xa+b", false));
        assert!(!regex_find("a+b", "aab", false));
        assert!(regex_find("a?", "a?", false) && !regex_find("a?", "b", false));
        assert!(regex_find("x$y", "ax$y", false), "a $ inside the pattern is a character");
        assert!(regex_find("a^b", "a^b", false), "so is a ^ after the start");
        assert!(regex_find("price \\$", "the price $", false), "a quoted $ at the end too");
        assert!(regex_find("*a", "x*a", false), "a leading * is a character in a basic pattern");
    }
}
