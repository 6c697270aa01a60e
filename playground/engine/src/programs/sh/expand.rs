//! Word expansion: parameters (`$x`, `${x:-y}`, `${x#pat}`), command
//! substitution, arithmetic, quote removal, field splitting and globbing.

use super::arith;
use super::exec::{Run, exit_trap, run_source, run_to_end};
use super::lexer::{skip_backtick, skip_balanced};
use super::{MAX_DEPTH, MAX_TEXT, is_name};
use crate::fs::normalize;
use crate::programs::Ctx;
use crate::state::State;
use crate::util::glob::glob_match;

/// Expands a word without field splitting (assignments, redirections).
pub(crate) fn expand_one(state: &mut State, cid: &str, ctx: &mut Ctx, raw: &str) -> Result<String, String> {
    Ok(expand(state, cid, ctx, raw, false)?.join(" "))
}

/// Expands a word into fields.
pub(crate) fn expand_word(state: &mut State, cid: &str, ctx: &mut Ctx, raw: &str) -> Result<Vec<String>, String> {
    expand(state, cid, ctx, raw, true)
}

pub(crate) fn expand(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    raw: &str,
    split: bool,
) -> Result<Vec<String>, String> {
    if ctx.depth > MAX_DEPTH * 2 {
        return Err("too deeply nested".into());
    }
    ctx.depth += 1;
    let r = expand_inner(state, cid, ctx, raw, split);
    ctx.depth -= 1;
    r
}

pub(crate) fn expand_inner(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    raw: &str,
    split: bool,
) -> Result<Vec<String>, String> {
    let s: Vec<char> = raw.chars().collect();
    let mut f = Fields { done: Vec::new(), cur: String::new(), have: false, split };
    let mut dq = false;
    let mut i = 0;
    if s.first() == Some(&'~') && split && (s.len() == 1 || s[1] == '/') {
        f.cur.push_str(ctx.env.get("HOME").map(String::as_str).unwrap_or("/root"));
        f.have = true;
        i = 1;
    }
    while i < s.len() {
        if f.cur.len() > MAX_TEXT {
            return Err("out of memory".into());
        }
        i = match s[i] {
            '\'' if !dq => f.single_quoted(&s, i),
            '"' => {
                f.have = true;
                dq = !dq;
                i + 1
            }
            '\\' => f.backslash(&s, i, dq),
            '`' => {
                let end = skip_backtick(&s, i + 1)?;
                let inner: String = s[i + 1..end].iter().collect::<String>().replace("\\`", "`").replace("\\\\", "\\");
                let text = substitute(state, cid, ctx, &inner);
                f.push_split(&text, dq);
                f.have = f.have || dq;
                end + 1
            }
            '$' => {
                let (text, len, quoted_at) = dollar(state, cid, ctx, &s[i..], dq)?;
                match text {
                    // "$@": one field per argument.
                    Some(_) if quoted_at => f.push_args(&ctx.args),
                    Some(t) => {
                        f.push_split(&t, dq);
                        f.have = f.have || dq;
                    }
                    None => f.cur.push('$'),
                }
                i + len
            }
            c => {
                // Unquoted `*`, `?` and `[` are patterns (marked until the
                // fields are known).
                f.cur.push(if !dq && split { mark(c) } else { c });
                f.have = true;
                i + 1
            }
        };
    }
    if f.have || !f.cur.is_empty() {
        f.done.push(f.cur);
    }
    if !split {
        return Ok(vec![f.done.join(" ")]);
    }
    Ok(pathnames(state, cid, &ctx.cwd, f.done))
}

/// The fields a word expands to, as they are built.
struct Fields {
    /// The fields complete so far.
    done: Vec<String>,
    /// The current field.
    cur: String,
    /// Whether the current field exists even if empty (quotes were seen).
    have: bool,
    /// Whether unquoted expansions are split into fields and globbed.
    split: bool,
}

impl Fields {
    /// Ends the current field.
    fn end_field(&mut self) {
        self.done.push(std::mem::take(&mut self.cur));
    }

    /// Adds an expansion's text. Unquoted, it is split on blanks, and its
    /// `*`, `?` and `[` are patterns (`x='/etc/host*'; echo $x`).
    fn push_split(&mut self, text: &str, dq: bool) {
        if dq || !self.split {
            self.cur.push_str(text);
            self.have = true;
            return;
        }
        let mut first = true;
        let ends_blank = text.ends_with([' ', '\t', '\n']);
        let starts_blank = text.starts_with([' ', '\t', '\n']);
        if starts_blank && (self.have || !self.cur.is_empty()) {
            self.end_field();
            self.have = false;
        }
        for part in text.split([' ', '\t', '\n']).filter(|p| !p.is_empty()) {
            if !first {
                self.end_field();
            }
            self.cur.extend(part.chars().map(mark));
            self.have = true;
            first = false;
        }
        if ends_blank && self.have {
            self.end_field();
            self.have = false;
        }
    }

    /// `"$@"`: one field per argument.
    fn push_args(&mut self, args: &[String]) {
        for (k, a) in args.iter().enumerate() {
            if k > 0 {
                self.end_field();
            }
            self.cur.push_str(a);
            self.have = true;
        }
    }

    /// `'...'` at `s[i]`: its text as written; returns where it ends.
    fn single_quoted(&mut self, s: &[char], mut i: usize) -> usize {
        self.have = true;
        i += 1;
        while i < s.len() && s[i] != '\'' {
            self.cur.push(s[i]);
            i += 1;
        }
        i + 1
    }

    /// A backslash at `s[i]`: quotes the next character (in double quotes,
    /// only `$`, `` ` ``, `"`, `\` and a newline); returns where it ends.
    fn backslash(&mut self, s: &[char], i: usize, dq: bool) -> usize {
        self.have = true;
        match s.get(i + 1) {
            Some(&n) if !dq || matches!(n, '$' | '`' | '"' | '\\' | '\n') => {
                if n != '\n' {
                    self.cur.push(n);
                }
                i + 2
            }
            _ => {
                self.cur.push('\\');
                i + 1
            }
        }
    }
}

/// An unquoted `*`, `?` or `[` marked as a pattern character.
fn mark(c: char) -> char {
    match c {
        '*' => GLOB_STAR,
        '?' => GLOB_ONE,
        '[' => GLOB_OPEN,
        c => c,
    }
}

/// Pathname expansion of `fields`: a pattern matching nothing stays as
/// written.
fn pathnames(state: &State, cid: &str, cwd: &str, fields: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for f in fields {
        let pat = unmark(&f);
        if !is_pattern(&f) {
            out.push(pat);
            continue;
        }
        let hits = glob_paths(state, cid, cwd, &f);
        if hits.is_empty() { out.push(pat) } else { out.extend(hits) }
    }
    out
}

pub(crate) const GLOB_STAR: char = '\u{e000}';

pub(crate) const GLOB_ONE: char = '\u{e001}';

pub(crate) const GLOB_OPEN: char = '\u{e002}';

/// Whether a field (its unquoted `*`, `?` and `[` marked) is a pattern: it
/// has a `*` or `?`, or a `[` closed by a later `]` (a lone `[`, like the
/// test command, is a word).
pub(crate) fn is_pattern(field: &str) -> bool {
    field.contains([GLOB_STAR, GLOB_ONE]) || field.find(GLOB_OPEN).is_some_and(|i| field[i..].contains(']'))
}

/// A field with its pattern marks turned back into the characters typed.
pub(crate) fn unmark(field: &str) -> String {
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
pub(crate) fn glob_paths(state: &State, cid: &str, cwd: &str, pattern: &str) -> Vec<String> {
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
pub(crate) fn dollar(
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

pub(crate) fn var(ctx: &Ctx, name: &str) -> String {
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
pub(crate) fn param(state: &mut State, cid: &str, ctx: &mut Ctx, inner: &str) -> Result<String, String> {
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
pub(crate) fn strip_pattern(v: &str, pat: &str, prefix: bool, long: bool) -> String {
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

/// `$(...)`: runs `src` in a subshell and returns its output, trailing
/// newlines removed.
pub(crate) fn substitute(state: &mut State, cid: &str, ctx: &mut Ctx, src: &str) -> String {
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
