//! The template's parser: actions split from text, pipelines, blocks
//! (`if`, `with`, `range`, `else`, `end`), variables.

use serde_json::Value;

use super::{Data, FUNCS, MAX_DEPTH, prefixes};

pub(super) fn parse(tpl: &str, kind: Data) -> Result<Vec<Node>, String> {
    let tpl = tpl.replace("\\t", "\t").replace("\\n", "\n");
    let parse = |e: String| format!("{}template: :1: {e}", prefixes(kind).0);
    let items = split(&tpl).map_err(parse)?;
    let mut at = 0;
    let mut vars = vec!["$".to_string()];
    let (nodes, end) = parse_list(&items, &mut at, &mut vars, 0).map_err(parse)?;
    match end {
        Stop::Eof => Ok(nodes),
        Stop::End => Err(parse("unexpected {{end}}".into())),
        Stop::Else(_) => Err(parse("unexpected {{else}}".into())),
    }
}

/// A template's pieces: text, and actions with their offset.
pub(super) enum Item<'a> {
    Text(String),
    Action(&'a str, usize),
}

pub(super) fn split(tpl: &str) -> Result<Vec<Item<'_>>, String> {
    let mut items = Vec::new();
    let mut rest = 0;
    let mut trim_next = false;
    while let Some(open) = tpl[rest..].find("{{").map(|i| rest + i) {
        let mut text = &tpl[rest..open];
        if trim_next {
            text = text.trim_start();
        }
        let inner_start = open + 2;
        let close = tpl[inner_start..].find("}}").map(|i| inner_start + i).ok_or("unclosed action")?;
        let mut action = &tpl[inner_start..close];
        if action.starts_with("- ") || action == "-" {
            text = text.trim_end();
            action = &action[1..];
        }
        trim_next = action.ends_with(" -");
        if trim_next {
            action = &action[..action.len() - 1];
        }
        items.push(Item::Text(text.to_string()));
        let lead = action.len() - action.trim_start().len();
        items.push(Item::Action(action.trim(), inner_start + lead));
        rest = close + 2;
    }
    let mut text = &tpl[rest..];
    if trim_next {
        text = text.trim_start();
    }
    items.push(Item::Text(text.to_string()));
    Ok(items)
}

/// A parsed template's piece.
pub(super) enum Node {
    /// Text printed as it is.
    Text(String),
    /// `{{pipeline}}`.
    Print(Pipe),
    /// `{{if}}`, `{{with}}` or `{{range}}`, its body and its `{{else}}`.
    Block {
        /// Which.
        kind: Kind,
        /// Its pipeline.
        pipe: Pipe,
        /// Its body.
        body: Vec<Node>,
        /// Its `{{else}}` part.
        alt: Vec<Node>,
    },
}

/// A block's keyword.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    /// `{{if}}`.
    If,
    /// `{{with}}`.
    With,
    /// `{{range}}`.
    Range,
}

/// Commands joined by `|`, with the variables the pipeline declares.
pub(super) struct Pipe {
    pub(super) decl: Vec<String>,
    pub(super) cmds: Vec<Cmd>,
}

/// One command of a pipeline: its arguments, its text and offset (for
/// errors).
pub(super) struct Cmd {
    pub(super) args: Vec<Arg>,
    pub(super) src: String,
    pub(super) pos: usize,
}

pub(super) enum Arg {
    /// `.A.B` (no names: `.`), at an offset.
    Field(Vec<String>, usize),
    /// `$x.A.B`.
    Var(String, Vec<String>, usize),
    /// `(pipeline).A.B`.
    Sub(Pipe, Vec<String>, usize),
    Lit(Value),
    Func(String),
}

/// What ended a list of nodes.
pub(super) enum Stop {
    Eof,
    End,
    Else(String),
}

pub(super) fn parse_list(
    items: &[Item<'_>],
    at: &mut usize,
    vars: &mut Vec<String>,
    depth: usize,
) -> Result<(Vec<Node>, Stop), String> {
    if depth > MAX_DEPTH {
        return Err("nesting too deep".into());
    }
    let mut nodes = Vec::new();
    while let Some(item) = items.get(*at) {
        *at += 1;
        let (action, pos) = match item {
            Item::Text(t) => {
                if !t.is_empty() {
                    nodes.push(Node::Text(t.clone()));
                }
                continue;
            }
            Item::Action(a, pos) => (*a, *pos),
        };
        if action.starts_with("/*") {
            continue;
        }
        let (word, rest) = action.split_once(char::is_whitespace).unwrap_or((action, ""));
        let kind = match word {
            "end" => return Ok((nodes, Stop::End)),
            "else" => return Ok((nodes, Stop::Else(rest.trim().to_string()))),
            "if" => Kind::If,
            "with" => Kind::With,
            "range" => Kind::Range,
            _ => {
                nodes.push(Node::Print(parse_pipe(action, pos, vars, depth)?));
                continue;
            }
        };
        nodes.push(parse_block(kind, rest, pos + word.len() + 1, items, at, vars, depth)?);
    }
    Ok((nodes, Stop::Eof))
}

pub(super) fn parse_block(
    kind: Kind,
    src: &str,
    pos: usize,
    items: &[Item<'_>],
    at: &mut usize,
    vars: &mut Vec<String>,
    depth: usize,
) -> Result<Node, String> {
    let scope = vars.len();
    let pipe = parse_pipe(src, pos, vars, depth)?;
    if pipe.decl.len() > 1 && kind != Kind::Range {
        return Err("too many declarations".into());
    }
    let (body, end) = parse_list(items, at, vars, depth + 1)?;
    vars.truncate(scope);
    let alt = match end {
        Stop::Eof => return Err("unexpected EOF".into()),
        Stop::End => Vec::new(),
        Stop::Else(rest) if rest.is_empty() => {
            let (alt, end) = parse_list(items, at, vars, depth + 1)?;
            vars.truncate(scope);
            match end {
                Stop::End => alt,
                Stop::Eof => return Err("unexpected EOF".into()),
                Stop::Else(_) => return Err("expected end; found {{else}}".into()),
            }
        }
        // `{{else if X}}` / `{{else with X}}`: a block in the else branch
        // that ends with this one's `{{end}}`.
        Stop::Else(rest) => {
            let (word, inner) = rest.split_once(char::is_whitespace).unwrap_or((rest.as_str(), ""));
            let inner_kind = match word {
                "if" => Kind::If,
                "with" => Kind::With,
                _ => return Err(format!("unexpected \"{word}\" in else")),
            };
            vec![parse_block(inner_kind, inner, pos, items, at, vars, depth + 1)?]
        }
    };
    Ok(Node::Block { kind, pipe, body, alt })
}

/// Reads `.A.B` after a field, variable or parenthesis.
pub(super) fn chain(src: &[u8], i: &mut usize) -> Vec<String> {
    let mut names = Vec::new();
    while src.get(*i) == Some(&b'.') && src.get(*i + 1).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
        let start = *i + 1;
        *i = start;
        while src.get(*i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            *i += 1;
        }
        names.push(String::from_utf8_lossy(&src[start..*i]).into_owned());
    }
    names
}

pub(super) fn parse_pipe(text: &str, base: usize, vars: &mut Vec<String>, depth: usize) -> Result<Pipe, String> {
    if depth > MAX_DEPTH {
        return Err("nesting too deep".into());
    }
    let src = text.as_bytes();
    let mut i = 0;
    let mut pipe = Pipe { decl: Vec::new(), cmds: Vec::new() };
    let mut cmd: Vec<Arg> = Vec::new();
    let mut cmd_start = 0;
    // `$x :=` or `$k, $v :=` first.
    if let Some((lhs, _)) = text.split_once(":=").filter(|(lhs, _)| lhs.trim_start().starts_with('$')) {
        let names: Vec<String> = lhs.split(',').map(|v| v.trim().to_string()).collect();
        if names.iter().any(|n| !n.starts_with('$') || n.len() < 2) {
            return Err(format!("unexpected \"{}\" in command", lhs.trim()));
        }
        i = lhs.len() + 2;
        cmd_start = i;
        pipe.decl = names;
    }
    let mut sub_depth = 0;
    while i < src.len() {
        let c = src[i];
        let pos = base + i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'|' => {
                if cmd.is_empty() {
                    return Err("missing value for command".into());
                }
                let src = text[cmd_start..i].trim();
                let at = base + cmd_start + (text[cmd_start..i].len() - text[cmd_start..i].trim_start().len());
                pipe.cmds.push(Cmd { args: std::mem::take(&mut cmd), src: src.to_string(), pos: at });
                i += 1;
                cmd_start = i;
            }
            b'(' => {
                let j = matching_paren(src, i).ok_or("unclosed left paren")?;
                sub_depth += 1;
                let inner = parse_pipe(&text[i + 1..j], base + i + 1, vars, depth + sub_depth)?;
                i = j + 1;
                let names = chain(src, &mut i);
                cmd.push(Arg::Sub(inner, names, pos));
            }
            b')' => return Err("unexpected right paren".into()),
            b'.' => {
                let names = chain(src, &mut i);
                if names.is_empty() {
                    i += 1;
                }
                cmd.push(Arg::Field(names, pos));
            }
            b'$' => {
                let start = i;
                i += 1;
                while src.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                    i += 1;
                }
                let name = &text[start..i];
                if !vars.iter().any(|v| v == name) {
                    return Err(format!("undefined variable \"{name}\""));
                }
                let names = chain(src, &mut i);
                cmd.push(Arg::Var(name.to_string(), names, pos));
            }
            b'"' => {
                let (value, end) = quoted(text, i)?;
                cmd.push(Arg::Lit(Value::String(value)));
                i = end;
            }
            b'`' => {
                let end = text[i + 1..].find('`').ok_or("unterminated raw quoted string")?;
                cmd.push(Arg::Lit(Value::String(text[i + 1..i + 1 + end].to_string())));
                i += end + 2;
            }
            _ => {
                let start = i;
                while src.get(i).is_some_and(|c| !b" \t\n\r|()".contains(c)) {
                    i += 1;
                }
                cmd.push(word(&text[start..i])?);
            }
        }
    }
    if cmd.is_empty() {
        return Err("missing value for command".into());
    }
    let at = base + cmd_start + (text[cmd_start..].len() - text[cmd_start..].trim_start().len());
    pipe.cmds.push(Cmd { args: cmd, src: text[cmd_start..].trim().to_string(), pos: at });
    vars.extend(pipe.decl.iter().cloned());
    Ok(pipe)
}

/// Where the parenthesis opened at `i` closes, outside strings.
fn matching_paren(src: &[u8], i: usize) -> Option<usize> {
    let (mut level, mut j, mut quote) = (0, i, None);
    while j < src.len() {
        match (quote, src[j]) {
            (Some(b'"'), b'\\') => j += 1,
            (Some(q), ch) if ch == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'`') => quote = Some(src[j]),
            (None, b'(') => level += 1,
            (None, b')') => {
                level -= 1;
                if level == 0 {
                    break;
                }
            }
            _ => {}
        }
        j += 1;
    }
    (j < src.len()).then_some(j)
}

/// The `"..."` string starting at `i`, Go's escapes read, and where it ends.
fn quoted(text: &str, i: usize) -> Result<(String, usize), String> {
    let src = text.as_bytes();
    let mut s = String::new();
    let mut j = i + 1;
    loop {
        match src.get(j) {
            None => return Err("unterminated quoted string".into()),
            Some(b'"') => break,
            Some(b'\\') => {
                let esc = src.get(j + 1).copied().unwrap_or(b'\\');
                s.push(match esc {
                    b'n' => '\n',
                    b't' => '\t',
                    other => other as char,
                });
                j += 2;
            }
            Some(_) => {
                let ch = text[j..].chars().next().unwrap_or(' ');
                s.push(ch);
                j += ch.len_utf8();
            }
        }
    }
    Ok((s, j + 1))
}

/// A bare word of a command: a constant (`true`, `false`, `nil`, a number)
/// or a function's name.
fn word(word: &str) -> Result<Arg, String> {
    let value = match word {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "nil" => Value::Null,
        w if w.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') => {
            let n = w.trim_start_matches('+');
            match n.parse::<i64>() {
                Ok(i) => Value::from(i),
                Err(_) => {
                    n.parse::<f64>().ok().map(Value::from).ok_or_else(|| format!("bad number syntax: \"{w}\""))?
                }
            }
        }
        w if FUNCS.contains(&w) => return Ok(Arg::Func(w.to_string())),
        w => return Err(format!("function \"{w}\" not defined")),
    };
    Ok(Arg::Lit(value))
}
