//! The shell's syntax tree, its parser (one complete top-level line at a
//! time) and the printer that turns a tree back into shell text (a
//! suspended script is kept as text).

use super::lexer::{Lexer, Tok};
use super::{MAX_DEPTH, is_name};

pub(crate) type List = Vec<AndOr>;

#[derive(Debug, Clone)]
pub(crate) struct AndOr {
    pub(crate) first: Pipe,
    pub(crate) rest: Vec<(bool, Pipe)>,
    pub(crate) bg: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    pub(crate) bang: bool,
    pub(crate) cmds: Vec<Cmd>,
}

#[derive(Debug, Clone)]
pub(crate) struct Redir {
    pub(crate) fd: u8,
    pub(crate) op: &'static str,
    pub(crate) target: String,
}

#[derive(Debug, Clone)]
pub(crate) struct LoopCmd {
    pub(crate) until: bool,
    /// `for NAME in ITEMS` (`None`: a while/until loop).
    pub(crate) each: Option<(String, Vec<String>)>,
    pub(crate) cond: List,
    pub(crate) body: List,
    /// A suspended iteration to finish first: (in the condition, its rest).
    pub(crate) resume: Option<(bool, String)>,
}

#[derive(Debug, Clone)]
pub(crate) enum Cmd {
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

pub(crate) struct Parser {
    lx: Lexer,
    peeked: Option<(usize, Tok)>,
    depth: u32,
}

pub(crate) fn show_tok(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("unexpected \"{w}\""),
        Tok::Op(o) => format!("unexpected \"{o}\""),
        Tok::Redir(_, o) => format!("unexpected \"{o}\""),
        Tok::Nl => "unexpected newline".into(),
        Tok::Eof => "unexpected end of file".into(),
    }
}

pub(crate) const RESERVED: &[&str] = &["then", "else", "elif", "fi", "do", "done", "}", "esac"];

impl Parser {
    pub(crate) fn new(src: &str) -> Parser {
        Parser { lx: Lexer::new(src), peeked: None, depth: 0 }
    }

    pub(crate) fn peek(&mut self) -> Result<&Tok, String> {
        if self.peeked.is_none() {
            let start = self.lx.pos;
            let t = self.lx.next()?;
            self.peeked = Some((start, t));
        }
        Ok(self.peeked.as_ref().map(|p| &p.1).unwrap_or(&Tok::Eof))
    }

    pub(crate) fn next(&mut self) -> Result<Tok, String> {
        self.peek()?;
        Ok(self.peeked.take().map(|p| p.1).unwrap_or(Tok::Eof))
    }

    /// The source not yet parsed.
    pub(crate) fn remainder(&self) -> String {
        // A here-document peeked already: its body was taken out of the
        // source, so the redirection is written back in its internal form.
        if let (Some((_, Tok::Redir(fd, op))), Some(body)) = (&self.peeked, &self.lx.pending) {
            let rest: String = self.lx.s[self.lx.pos.min(self.lx.s.len())..].iter().collect();
            return format!("{fd}{op} {body}{rest}");
        }
        let from = self.peeked.as_ref().map(|p| p.0).unwrap_or(self.lx.pos);
        self.lx.s[from.min(self.lx.s.len())..].iter().collect()
    }

    pub(crate) fn is_word(&mut self, w: &str) -> Result<bool, String> {
        Ok(matches!(self.peek()?, Tok::Word(x) if x == w))
    }

    pub(crate) fn expect(&mut self, w: &str) -> Result<(), String> {
        match self.next()? {
            Tok::Word(x) if x == w => Ok(()),
            Tok::Op(o) if o == w => Ok(()),
            Tok::Eof => Err(format!("unexpected end of file (expecting \"{w}\")")),
            t => Err(show_tok(&t)),
        }
    }

    pub(crate) fn skip_nl(&mut self) -> Result<(), String> {
        while self.peek()? == &Tok::Nl {
            self.next()?;
        }
        Ok(())
    }

    /// The next top-level line (`None` at the end).
    pub(crate) fn complete(&mut self) -> Result<Option<List>, String> {
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
    pub(crate) fn list(&mut self, ends: &[&str]) -> Result<List, String> {
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

    pub(crate) fn and_or(&mut self) -> Result<AndOr, String> {
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

    pub(crate) fn pipe(&mut self) -> Result<Pipe, String> {
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

    pub(crate) fn redirs(&mut self, out: &mut Vec<Redir>) -> Result<(), String> {
        while let Tok::Redir(fd, op) = self.peek()?.clone() {
            self.next()?;
            match self.next()? {
                Tok::Word(target) => out.push(Redir { fd, op, target }),
                t => return Err(show_tok(&t)),
            }
        }
        Ok(())
    }

    pub(crate) fn cmd(&mut self) -> Result<Cmd, String> {
        let head = self.peek()?.clone();
        match &head {
            Tok::Op("(") => {
                self.next()?;
                let l = self.list(&[])?;
                self.expect(")")?;
                Ok(Cmd::Sub(l, self.trailing_redirs()?))
            }
            Tok::Word(w) if w == "{" => {
                self.next()?;
                let l = self.list(&["}"])?;
                self.expect("}")?;
                Ok(Cmd::Group(l, self.trailing_redirs()?))
            }
            Tok::Word(w) if w == "if" => self.if_cmd(),
            Tok::Word(w) if w == "while" || w == "until" || w == "for" => self.loop_cmd(w),
            Tok::Word(w) if w == "case" => self.case_cmd(),
            Tok::Word(w) if w == "__call" => self.call_cmd(),
            Tok::Word(w) if w == "__resume" || w == "__resume_cond" => self.resume_cmd(w == "__resume_cond"),
            Tok::Word(w) if RESERVED.contains(&w.as_str()) => Err(show_tok(&head)),
            Tok::Word(_) | Tok::Redir(..) => self.simple_cmd(),
            t => Err(show_tok(t)),
        }
    }

    /// The redirections after a compound command.
    fn trailing_redirs(&mut self) -> Result<Vec<Redir>, String> {
        let mut redirs = Vec::new();
        self.redirs(&mut redirs)?;
        Ok(redirs)
    }

    /// `if LIST then LIST [elif LIST then LIST]... [else LIST] fi`.
    fn if_cmd(&mut self) -> Result<Cmd, String> {
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
        Ok(Cmd::If(arms, els, self.trailing_redirs()?))
    }

    /// `while LIST do LIST done`, `until ...`, `for NAME [in WORDS] do LIST done`.
    fn loop_cmd(&mut self, kind: &str) -> Result<Cmd, String> {
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
        Ok(Cmd::Loop(Box::new(lp), self.trailing_redirs()?))
    }

    /// `case WORD in [(]PATTERN[|PATTERN]...) LIST ;; ... esac`.
    fn case_cmd(&mut self) -> Result<Cmd, String> {
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
            let pats = self.case_patterns()?;
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
        Ok(Cmd::Case(word, arms, self.trailing_redirs()?))
    }

    /// A `case` arm's `PATTERN|PATTERN)`.
    fn case_patterns(&mut self) -> Result<Vec<String>, String> {
        let mut pats = Vec::new();
        loop {
            match self.next()? {
                Tok::Word(p) => pats.push(p),
                Tok::Eof => return Err("unexpected end of file (expecting \"esac\")".into()),
                t => return Err(show_tok(&t)),
            }
            match self.next()? {
                Tok::Op("|") => continue,
                Tok::Op(")") => return Ok(pats),
                t => return Err(show_tok(&t)),
            }
        }
    }

    /// `__call ARGS { REST }`: a suspended function call.
    fn call_cmd(&mut self) -> Result<Cmd, String> {
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
        Ok(Cmd::Call(args, show_cmd(&body)))
    }

    /// `__resume { REST } LOOP`: a suspended loop iteration to finish first.
    fn resume_cmd(&mut self, in_cond: bool) -> Result<Cmd, String> {
        self.next()?;
        let Cmd::Group(l, _) = self.cmd()? else { return Err("bad resume".into()) };
        match self.cmd()? {
            Cmd::Loop(mut lp, r) => {
                lp.resume = Some((in_cond, show_list(&l)));
                Ok(Cmd::Loop(lp, r))
            }
            _ => Err("bad resume".into()),
        }
    }

    /// Words and redirections; `NAME() BODY` defines a function.
    fn simple_cmd(&mut self) -> Result<Cmd, String> {
        let mut redirs = Vec::new();
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
        Ok(Cmd::Simple(words, redirs))
    }
}

pub(crate) fn show_list(l: &List) -> String {
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

pub(crate) fn show_pipe(p: &Pipe) -> String {
    let cmds: Vec<String> = p.cmds.iter().map(show_cmd).collect();
    format!("{}{}", if p.bang { "! " } else { "" }, cmds.join(" | "))
}

pub(crate) fn show_redirs(r: &[Redir]) -> String {
    r.iter().map(|r| format!(" {}{} {}", r.fd, r.op, r.target)).collect()
}

pub(crate) fn show_cmd(c: &Cmd) -> String {
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
pub(crate) fn group_text(rest: &[String]) -> String {
    let body = rest.join("\n");
    if body.trim().is_empty() { "{\n:\n}".into() } else { format!("{{\n{body}\n}}") }
}
