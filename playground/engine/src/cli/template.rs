//! Go's `text/template` as the docker CLI runs it on `--format`: actions
//! with pipelines (`{{.Name | printf "%s!"}}`), variables (`{{$n :=
//! .Name}}`, `{{range $k, $v := .Labels}}`, `$`), `if`/`else if`/`else`,
//! `with` and `range` (each with `else`), parenthesised arguments
//! (`{{(index $conf 0).HostPort}}`), `{{-`/`-}}` trimming, docker's
//! functions (`json`, `join`, `split`, `title`, `upper`, `lower`, `pad`,
//! `truncate`) and Go's (`len`, `index`, `print`, `printf`, `println`,
//! `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `and`, `or`, `not`). Checked against
//! the docker CLI 28 on dockerd.

use serde_json::Value;

/// What the data is to Go, which decides what a missing field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// A struct of the CLI's, by its Go type (`docker ps --format` runs on
    /// `*formatter.ContainerContext`): a field it lacks at the top is an
    /// error naming the type, below it `<no value>`.
    Struct(&'static str),
    /// A map (`docker inspect -f` decodes the daemon's JSON into one): a
    /// missing key is an error.
    Map,
}

/// How deep blocks and parentheses may nest: hostile templates must not
/// exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Functions a template may call.
const FUNCS: &[&str] = &[
    "json", "join", "split", "title", "upper", "lower", "pad", "truncate", "len", "index", "print", "printf",
    "println", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not",
];

/// Renders `tpl` (with `\t` and `\n` as the CLI reads them) on `data`;
/// `Err` with the CLI's message: `template parsing error: ` and Go's,
/// except for `docker ps`, whose words are `failed to parse template: ` and
/// `failed to execute template: `.
pub fn render(tpl: &str, data: &Value, kind: Data) -> Result<String, String> {
    let nodes = parse(tpl, kind)?;
    let mut run = Run { kind, root: data, scope: vec![("$".to_string(), data.clone())], out: String::new() };
    match run.list(&nodes, data) {
        Ok(()) => Ok(run.out),
        Err(e) => Err(format!("{}{e}", prefixes(kind).1)),
    }
}

/// The CLI's words before a parse error and before an execution error.
fn prefixes(kind: Data) -> (&'static str, &'static str) {
    if kind == Data::Struct("*formatter.ContainerContext") {
        ("failed to parse template: ", "failed to execute template: ")
    } else {
        ("template parsing error: ", "template parsing error: ")
    }
}

/// Checks that `tpl` parses, as the CLI does before it has data to run it
/// on (a list with no rows still reports a template that does not parse).
pub fn check(tpl: &str, kind: Data) -> Result<(), String> {
    parse(tpl, kind).map(drop)
}

fn parse(tpl: &str, kind: Data) -> Result<Vec<Node>, String> {
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
enum Item<'a> {
    Text(String),
    Action(&'a str, usize),
}

fn split(tpl: &str) -> Result<Vec<Item<'_>>, String> {
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
enum Node {
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
enum Kind {
    /// `{{if}}`.
    If,
    /// `{{with}}`.
    With,
    /// `{{range}}`.
    Range,
}

/// Commands joined by `|`, with the variables the pipeline declares.
struct Pipe {
    decl: Vec<String>,
    cmds: Vec<Cmd>,
}

/// One command of a pipeline: its arguments, its text and offset (for
/// errors).
struct Cmd {
    args: Vec<Arg>,
    src: String,
    pos: usize,
}

enum Arg {
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
enum Stop {
    Eof,
    End,
    Else(String),
}

fn parse_list(
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

fn parse_block(
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
fn chain(src: &[u8], i: &mut usize) -> Vec<String> {
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

fn parse_pipe(text: &str, base: usize, vars: &mut Vec<String>, depth: usize) -> Result<Pipe, String> {
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
                // The matching parenthesis, outside strings.
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
                if j >= src.len() {
                    return Err("unclosed left paren".into());
                }
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
                cmd.push(Arg::Lit(Value::String(s)));
                i = j + 1;
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
                let word = &text[start..i];
                let value = match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "nil" => Value::Null,
                    w if w.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') => {
                        let n = w.trim_start_matches('+');
                        match n.parse::<i64>() {
                            Ok(i) => Value::from(i),
                            Err(_) => n
                                .parse::<f64>()
                                .ok()
                                .map(Value::from)
                                .ok_or_else(|| format!("bad number syntax: \"{w}\""))?,
                        }
                    }
                    w if FUNCS.contains(&w) => {
                        cmd.push(Arg::Func(w.to_string()));
                        continue;
                    }
                    w => return Err(format!("function \"{w}\" not defined")),
                };
                cmd.push(Arg::Lit(value));
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

struct Run<'a> {
    kind: Data,
    root: &'a Value,
    scope: Vec<(String, Value)>,
    out: String,
}

/// Go's truth: false, 0, nil and empty strings, lists and maps are false.
fn truth(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A value as Go's `fmt` prints it (`%v`).
fn go_print(v: &Value) -> String {
    match v {
        Value::Null => "<no value>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        Value::Object(o) => {
            format!("map[{}]", o.iter().map(|(k, v)| format!("{k}:{}", go_print(v))).collect::<Vec<_>>().join(" "))
        }
    }
}

impl Run<'_> {
    fn list(&mut self, nodes: &[Node], dot: &Value) -> Result<(), String> {
        for node in nodes {
            match node {
                Node::Text(t) => self.out.push_str(t),
                Node::Print(pipe) => {
                    let v = self.pipe(pipe, dot)?;
                    if pipe.decl.is_empty() {
                        self.out.push_str(&go_print(&v));
                    }
                }
                Node::Block { kind, pipe, body, alt } => {
                    let scope = self.scope.len();
                    let v = self.pipe(pipe, dot)?;
                    match kind {
                        Kind::If if truth(&v) => self.list(body, dot)?,
                        Kind::With if truth(&v) => self.list(body, &v)?,
                        Kind::Range => {
                            let entries: Vec<(Value, Value)> = match &v {
                                Value::Array(a) => {
                                    a.iter().enumerate().map(|(i, e)| (Value::from(i), e.clone())).collect()
                                }
                                Value::Object(o) => {
                                    o.iter().map(|(k, e)| (Value::String(k.clone()), e.clone())).collect()
                                }
                                _ => Vec::new(),
                            };
                            if entries.is_empty() {
                                self.list(alt, dot)?;
                            }
                            for (key, elem) in entries {
                                self.scope.truncate(scope);
                                match pipe.decl.as_slice() {
                                    [one] => self.scope.push((one.clone(), elem.clone())),
                                    [k, e] => {
                                        self.scope.push((k.clone(), key));
                                        self.scope.push((e.clone(), elem.clone()));
                                    }
                                    _ => {}
                                }
                                self.list(body, &elem)?;
                            }
                        }
                        _ => self.list(alt, dot)?,
                    }
                    self.scope.truncate(scope);
                }
            }
        }
        Ok(())
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &Value) -> Result<Value, String> {
        let mut last: Option<Value> = None;
        for cmd in &pipe.cmds {
            last = Some(self.command(cmd, dot, last)?);
        }
        let v = last.unwrap_or(Value::Null);
        if let [name] = pipe.decl.as_slice() {
            self.scope.push((name.clone(), v.clone()));
        }
        Ok(v)
    }

    fn command(&mut self, cmd: &Cmd, dot: &Value, piped: Option<Value>) -> Result<Value, String> {
        let Some(Arg::Func(name)) = cmd.args.first() else {
            if piped.is_some() || cmd.args.len() > 1 {
                return Err(format!(
                    "template: :1:{}: executing \"\" at <{}>: can't give argument to non-function {}",
                    cmd.pos, cmd.src, cmd.src
                ));
            }
            return self.arg(&cmd.args[0], dot);
        };
        let mut args = Vec::new();
        for a in &cmd.args[1..] {
            args.push(self.arg(a, dot)?);
        }
        args.extend(piped);
        call(name, &args).map_err(|e| {
            format!("template: :1:{}: executing \"\" at <{}>: error calling {name}: {e}", cmd.pos, cmd.src)
        })
    }

    fn arg(&mut self, arg: &Arg, dot: &Value) -> Result<Value, String> {
        match arg {
            Arg::Lit(v) => Ok(v.clone()),
            Arg::Func(name) => call(name, &[]),
            Arg::Field(names, pos) => self.fields(dot.clone(), names, *pos, true),
            Arg::Var(name, names, pos) => {
                let v = if name == "$" {
                    self.root.clone()
                } else {
                    self.scope.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or(Value::Null)
                };
                self.fields(v, names, *pos, false)
            }
            Arg::Sub(pipe, names, pos) => {
                let v = self.pipe(pipe, dot)?;
                self.fields(v, names, *pos, false)
            }
        }
    }

    /// `.A.B` on `v`; a missing name is an error on a map, and on a struct
    /// at its top (`top`: the chain starts at the data itself).
    fn fields(&self, mut v: Value, names: &[String], pos: usize, top: bool) -> Result<Value, String> {
        let chain: String = names.iter().map(|n| format!(".{n}")).collect();
        for (i, name) in names.iter().enumerate() {
            v = match v {
                Value::Object(mut o) => match o.remove(name) {
                    Some(inner) => inner,
                    None if self.kind == Data::Map => {
                        let at = pos + names[..i].iter().map(|n| n.len() + 1).sum::<usize>();
                        let at = if i + 1 == names.len() { at } else { pos };
                        return Err(format!(
                            "template: :1:{at}: executing \"\" at <{chain}>: map has no entry for key \"{name}\""
                        ));
                    }
                    None if top && i == 0 => {
                        let Data::Struct(go_type) = self.kind else { unreachable!("maps are handled above") };
                        return Err(format!(
                            "template: :1:{pos}: executing \"\" at <{chain}>: can't evaluate field {name} in type {go_type}"
                        ));
                    }
                    None => Value::Null,
                },
                _ => Value::Null,
            };
        }
        Ok(v)
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

fn compare(a: &Value, b: &Value) -> Result<std::cmp::Ordering, String> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).ok_or_else(|| "incomparable values".to_string()),
            _ => Err("incompatible types for comparison".into()),
        },
    }
}

/// Go's `fmt.Sprint`: a space between two operands when neither is a
/// string.
fn sprint(args: &[Value]) -> String {
    let mut s = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !a.is_string() && !args[i - 1].is_string() {
            s.push(' ');
        }
        s.push_str(&go_print(a));
    }
    s
}

/// Go's `fmt.Sprintf` for `%v %s %d %q %t %%`.
fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb) => match next.next() {
                Some(a) if verb == 'q' => out.push_str(&serde_json::to_string(&go_print(a)).unwrap_or_default()),
                Some(a) => out.push_str(&go_print(a)),
                None => out.push_str(&format!("%!{verb}(MISSING)")),
            },
            None => out.push_str("%!(NOVERB)"),
        }
    }
    out
}

fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    let want = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("wrong number of args for {name}: want {n} got {}", args.len()))
        }
    };
    let text = |i: usize| args.get(i).map(go_print).unwrap_or_default();
    Ok(match name {
        "json" => {
            want(1)?;
            Value::String(serde_json::to_string(&args[0]).unwrap_or_default())
        }
        "upper" => Value::String(text(0).to_ascii_uppercase()),
        "lower" => Value::String(text(0).to_ascii_lowercase()),
        "title" => Value::String(
            text(0)
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "split" => {
            want(2)?;
            Value::from(text(0).split(text(1).as_str()).map(String::from).collect::<Vec<_>>())
        }
        "join" => {
            want(2)?;
            let items = args[0].as_array().map(|a| a.iter().map(go_print).collect::<Vec<_>>()).unwrap_or_default();
            Value::String(items.join(&text(1)))
        }
        "pad" => {
            want(3)?;
            let n = |i: usize| number(&args[i]).unwrap_or(0.0).clamp(0.0, 1000.0) as usize;
            Value::String(format!("{}{}{}", " ".repeat(n(1)), text(0), " ".repeat(n(2))))
        }
        "truncate" => {
            want(2)?;
            let n = number(&args[1]).unwrap_or(0.0).max(0.0) as usize;
            Value::String(text(0).chars().take(n).collect())
        }
        "len" => {
            want(1)?;
            Value::from(match &args[0] {
                Value::Array(a) => a.len(),
                Value::Object(o) => o.len(),
                Value::String(s) => s.len(),
                Value::Number(n) => n.to_string().len(),
                _ => return Err("len of nil pointer".into()),
            })
        }
        "index" => {
            let mut v = args.first().cloned().unwrap_or(Value::Null);
            for key in args.iter().skip(1) {
                v = match (&v, key) {
                    (Value::Array(a), k) => {
                        let i = number(k).ok_or("cannot index slice/array with type string")?;
                        a.get(i as usize)
                            .cloned()
                            .filter(|_| i >= 0.0)
                            .ok_or_else(|| format!("index out of range: {i}"))?
                    }
                    (Value::Object(o), k) => o.get(&go_print(k)).cloned().unwrap_or(Value::Null),
                    (Value::Null, _) => Value::Null,
                    _ => return Err(format!("can't index item of type {}", kind_name(&v))),
                };
            }
            v
        }
        "print" => Value::String(sprint(args)),
        "println" => Value::String(args.iter().map(go_print).collect::<Vec<_>>().join(" ") + "\n"),
        "printf" => Value::String(sprintf(&text(0), args.get(1..).unwrap_or(&[]))),
        "not" => {
            want(1)?;
            Value::Bool(!truth(&args[0]))
        }
        "and" => args.iter().find(|a| !truth(a)).or(args.last()).cloned().unwrap_or(Value::Null),
        "or" => args.iter().find(|a| truth(a)).or(args.last()).cloned().unwrap_or(Value::Null),
        "eq" => Value::Bool(args.len() > 1 && args[1..].iter().any(|b| compare(&args[0], b).is_ok_and(|o| o.is_eq()))),
        "ne" => {
            want(2)?;
            Value::Bool(!compare(&args[0], &args[1]).is_ok_and(|o| o.is_eq()))
        }
        _ => {
            want(2)?;
            let o = compare(&args[0], &args[1])?;
            Value::Bool(match name {
                "lt" => o.is_lt(),
                "le" => o.is_le(),
                "gt" => o.is_gt(),
                _ => o.is_ge(),
            })
        }
    })
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        _ => "interface {}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn inspect(tpl: &str) -> Result<String, String> {
        let data = json!({
            "Name": "/tp",
            "State": {"Status": "running", "Running": true, "Paused": false, "Pid": 5668},
            "Config": {"Env": ["A=1", "PATH=/bin"], "Cmd": ["sleep", "300"], "Labels": {"team": "x"}},
            "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8082"}]}},
            "Mounts": [],
        });
        render(tpl, &data, Data::Map)
    }

    // The expected texts are the docker CLI 28's on dockerd 20.10.
    #[test]
    fn templates_as_the_docker_cli_runs_them() {
        let cases = [
            (
                r#"{{range $p, $conf := .NetworkSettings.Ports}} {{$p}} -> {{(index $conf 0).HostPort}} {{end}}"#,
                " 80/tcp -> 8082 ",
            ),
            ("{{if .State.Running}}up{{else}}down{{end}}", "up"),
            ("{{if .State.Paused}}p{{else if .State.Running}}r{{else}}s{{end}}", "r"),
            ("{{with .Config.Labels}}{{.team}}{{end}}", "x"),
            ("{{range $i, $e := .Config.Env}}{{$i}}={{$e}};{{end}}", "0=A=1;1=PATH=/bin;"),
            ("{{len .Config.Env}} {{index .Config.Env 1}} {{index .Config.Labels \"team\"}}", "2 PATH=/bin x"),
            ("{{join .Config.Cmd \",\"}}", "sleep,300"),
            ("{{.Name | printf \"%s!\"}}", "/tp!"),
            ("{{printf \"%q %d %v\" .Name 3 .State.Pid}}", "\"/tp\" 3 5668"),
            ("{{$n := .Name}}{{$n}}", "/tp"),
            ("{{if eq .State.Status \"running\"}}yes{{end}}", "yes"),
            ("{{if not .State.Paused}}np{{end}}", "np"),
            ("{{range .Config.Env -}} X {{- end}}", "XX"),
            ("{{title \"hello world\"}} {{split \"a,b\" \",\"}}", "Hello World [a b]"),
            ("{{range .Mounts}}m{{else}}none{{end}}", "none"),
            ("{{.State.Pid | len}} {{upper .Name}}", "4 /TP"),
            ("{{and 1 0}} {{or 0 \"x\"}} {{lt 1 2}} {{ge 2 3}}", "0 x true false"),
            ("{{print \"a\" 1 2 \"b\"}}", "a1 2b"),
            ("{{json .Config.Labels}} {{\"lit\"}} {{true}} {{5}}", "{\"team\":\"x\"} lit true 5"),
            ("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{end}} {{$.Name}}", "team=x /tp"),
            ("{{with $x := .State}}{{$x.Status}}{{end}}", "running"),
            ("{{pad .Name 1 2}}|{{truncate .Name 2}}", " /tp  |/t"),
            (
                "{{/* a comment */}}{{.Config.Cmd}} {{.State}}",
                "[sleep 300] map[Paused:false Pid:5668 Running:true Status:running]",
            ),
        ];
        for (tpl, want) in cases {
            assert_eq!(inspect(tpl).as_deref(), Ok(want), "{tpl}");
        }
    }

    #[test]
    fn errors_are_the_clis() {
        let err = |tpl: &str| inspect(tpl).unwrap_err();
        assert_eq!(err("{{$x}}"), "template parsing error: template: :1: undefined variable \"$x\"");
        assert_eq!(err("{{end}}"), "template parsing error: template: :1: unexpected {{end}}");
        assert_eq!(err("{{if .State.Running}}"), "template parsing error: template: :1: unexpected EOF");
        assert_eq!(err("{{bogus .Name}}"), "template parsing error: template: :1: function \"bogus\" not defined");
        assert_eq!(err("{{.Name"), "template parsing error: template: :1: unclosed action");
        assert_eq!(
            err("{{index .Config.Env 5}}"),
            "template parsing error: template: :1:2: executing \"\" at <index .Config.Env 5>: error calling index: index out of range: 5"
        );
        assert_eq!(
            err("{{.NoSuch}}"),
            "template parsing error: template: :1:2: executing \"\" at <.NoSuch>: map has no entry for key \"NoSuch\""
        );
        assert_eq!(
            err("{{.Config.NoSuch}}"),
            "template parsing error: template: :1:9: executing \"\" at <.Config.NoSuch>: map has no entry for key \"NoSuch\""
        );
        // A struct of the CLI's: a missing field at the top is an error.
        let row = json!({"Names": "web"});
        let ps = Data::Struct("*formatter.ContainerContext");
        assert_eq!(
            render("{{.Name}}", &row, ps).unwrap_err(),
            "failed to execute template: template: :1:2: executing \"\" at <.Name>: can't evaluate field Name in type *formatter.ContainerContext"
        );
        assert_eq!(
            render("{{bogus}}", &row, ps).unwrap_err(),
            "failed to parse template: template: :1: function \"bogus\" not defined"
        );
        let images = Data::Struct("*formatter.imageContext");
        assert!(render("{{.Nope}}", &row, images).unwrap_err().starts_with("template parsing error: template: :1:2:"));
        assert_eq!(render("{{.Names}}", &row, ps).as_deref(), Ok("web"));
        // Hostile nesting is refused, not followed.
        assert!(render(&"{{if 1}}".repeat(500), &row, ps).is_err());
        assert!(render(&format!("{{{{{}1{}}}}}", "(".repeat(500), ")".repeat(500)), &row, ps).is_err());
    }
}
