//! Text applets: echo, head, tail, grep, wc, tr, cut, sort, uniq, tee, seq.

use super::regex::regex_find;
use super::{Applet, Args, filter_input};
use crate::fs::normalize;
use crate::programs::{Ctx, Flow, file_text};
use crate::state::{Node, State};

/// The applets of this area.
pub(super) const APPLETS: &[Applet] = &[
    Applet::new("echo", echo),
    Applet::new("head", head_tail),
    Applet::new("tail", head_tail),
    Applet::new("grep", grep).usage("grep [-civnqEF] [-e PATTERN]... [PATTERN] [FILE]..."),
    Applet::new("wc", wc),
    Applet::new("tr", tr).usage("tr [-ds] STRING1 [STRING2]"),
    Applet::new("cut", cut),
    Applet::new("sort", sort_uniq),
    Applet::new("uniq", sort_uniq),
    Applet::new("tee", tee),
    Applet::new("seq", seq),
];

/// The characters of a `tr` set: ranges (`a-z`), classes (`[:upper:]`,
/// `[:lower:]`, `[:digit:]`, `[:space:]`, `[:alpha:]`, `[:alnum:]`) and
/// escapes (`\\n`, `\\t`, `\\0`, `\\\\`).
pub(crate) fn tr_set(spec: &str) -> Vec<char> {
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
pub(crate) fn ranges(list: &str) -> Vec<(usize, usize)> {
    list.split(',')
        .filter_map(|part| match part.split_once('-') {
            Some((a, b)) => Some((a.parse().unwrap_or(1), b.parse().unwrap_or(usize::MAX))),
            None => part.parse().ok().map(|n| (n, n)),
        })
        .collect()
}

/// `echo`.
fn echo(_state: &mut State, _cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let args = a.args;
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

/// `head`, `tail`.
fn head_tail(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let applet = a.applet;
    let args = a.args;
    let operands = a.operands.clone();
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

/// `grep`.
fn grep(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let args = a.args;
    let flags = &a.flags;
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
        ctx.eprint(a.usage_text());
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
        let any =
            patterns.iter().any(|p| if fixed { line.contains(p.as_str()) } else { regex_find(p, &line, extended) });
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

/// `wc`.
fn wc(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let flags = &a.flags;
    let operands = a.operands.clone();
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
        ctx.print(format!("{:>9} {:>9} {:>9}\n", text.lines().count(), text.split_whitespace().count(), text.len()));
    }
    Flow::Exit(0)
}

/// `tr`.
fn tr(_state: &mut State, _cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let flags = &a.flags;
    let operands = a.operands.clone();
    let input = ctx.stdin.take().unwrap_or_default();
    let sets: Vec<Vec<char>> = operands.iter().map(|o| tr_set(o)).collect();
    let Some(from) = sets.first() else {
        ctx.eprint(a.usage_text());
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

/// `cut`.
fn cut(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let args = a.args;
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

/// `sort`, `uniq`.
fn sort_uniq(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let applet = a.applet;
    let flags = &a.flags;
    let operands = a.operands.clone();
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

/// `tee`.
fn tee(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let flags = &a.flags;
    let operands = a.operands.clone();
    let input = ctx.stdin.take().unwrap_or_default();
    let mut code = 0;
    for f in &operands {
        let path = normalize(&ctx.cwd, f);
        let before =
            if flags.contains('a') { file_text(state, cid, "/", &path).unwrap_or_default() } else { String::new() };
        if let Err(e) = state.write_node(cid, &path, Node::File { data: before + &input }) {
            ctx.eprint(format!("tee: {f}: {e}\n"));
            code = 1;
        }
    }
    ctx.print(input);
    Flow::Exit(code)
}

/// `seq`.
fn seq(_state: &mut State, _cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let operands = a.operands.clone();
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

#[cfg(test)]
mod tests {
    use crate::programs::host_filter;
    use crate::programs::testing::exec;
    use crate::state::State;

    /// Runs filter `argv` on `input` (as the terminal's pipes do).
    fn filter(argv: &[&str], input: &str) -> (String, String, i32) {
        let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        host_filter(&mut State::new("t", 1), &argv, input.to_string())
    }

    fn out(argv: &[&str], input: &str) -> String {
        filter(argv, input).0
    }

    #[test]
    fn filters_as_busybox_runs_them() {
        let text = "web 3\ndb 10\nweb 3\ncache 2\n";
        assert_eq!(out(&["grep", "web"], text), "web 3\nweb 3\n");
        assert_eq!(out(&["grep", "-c", "-v", "web"], text), "2\n");
        assert_eq!(out(&["grep", "-E", "^(d|c)"], text), "");
        assert_eq!(out(&["grep", "-E", "^d|^c"], text), "db 10\ncache 2\n");
        assert_eq!(filter(&["grep", "nope"], text).2, 1);
        assert_eq!(
            filter(&["grep"], text).1,
            "BusyBox v1.37.0 (simulated)\n\nUsage: grep [-civnqEF] [-e PATTERN]... [PATTERN] [FILE]...\n"
        );
        assert_eq!(out(&["head", "-n", "1"], text), "web 3\n");
        assert_eq!(out(&["tail", "-1"], text), "cache 2\n");
        assert_eq!(out(&["wc", "-l"], text), "4\n");
        assert_eq!(out(&["sort"], text), "cache 2\ndb 10\nweb 3\nweb 3\n");
        assert_eq!(out(&["sort", "-u"], text), "cache 2\ndb 10\nweb 3\n");
        assert_eq!(out(&["uniq", "-c"], "a\na\nb\n"), "      2 a\n      1 b\n");
        assert_eq!(out(&["cut", "-d", " ", "-f2"], text), "3\n10\n3\n2\n");
        assert_eq!(out(&["cut", "-c1-2"], text), "we\ndb\nwe\nca\n");
        assert_eq!(out(&["tr", "a-z", "A-Z"], "web\n"), "WEB\n");
        assert_eq!(out(&["tr", "-d", "[:digit:]"], "a1b2\n"), "ab\n");
        assert_eq!(out(&["tr", "-s", " "], "a   b\n"), "a b\n");
    }

    #[test]
    fn echo_seq_and_tee() {
        assert_eq!(exec(&["echo", "-n", "a", "b"]).0, "a b");
        assert_eq!(exec(&["echo", "-e", "a\\tb"]).0, "a\tb\n");
        assert_eq!(exec(&["seq", "3"]).0, "1\n2\n3\n");
        assert_eq!(exec(&["seq", "2", "4"]).0, "2\n3\n4\n");
        assert_eq!(crate::programs::testing::sh("echo hi | tee /tmp/t >/dev/null; cat /tmp/t").0, "hi\n");
    }
}
