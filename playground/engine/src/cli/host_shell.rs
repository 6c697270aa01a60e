//! The little shell of the terminal itself (the learner's host, not a
//! container): `$(docker ...)` in a command line, pipes from a docker
//! command into busybox's text filters (`docker ps -a | grep web`) and into
//! `xargs` (`docker ps -q | xargs docker stop`), redirections into the
//! project's files (`echo "FROM busybox" > Dockerfile`, `>>`, `< file`) and
//! here-documents (`cat > Dockerfile <<EOF`, the lines after it, `EOF`).
//! Quotes are respected, so a pipe, `$(...)` or `>` meant for a container's
//! shell (`sh -c 'ps | grep x > f'`) is left to it.

use crate::programs::quote;

/// How deep `$(docker ... $(docker ...))` may nest: hostile lines must
/// not exhaust the stack.
pub const MAX_NESTING: usize = 8;

/// Whether a word is a shell variable assignment (`DOCKER_BUILDKIT=0`),
/// which before a command sets the variable for that command only.
pub fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Words joined back into a command line, each quoted when it needs it.
pub fn join_words(words: &[String]) -> String {
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

/// Splits `line` at its unquoted `|` (not `||`), trimmed.
pub fn split_pipeline(line: &str) -> Vec<String> {
    let mut stages = vec![String::new()];
    let mut quote = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let stage = stages.last_mut().expect("one stage at least");
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (q, '\\') if q != Some('\'') => {
                stage.push(c);
                if let Some(next) = chars.next() {
                    stage.push(next);
                }
                continue;
            }
            (None, '|') if chars.peek() == Some(&'|') => {
                stage.push(c);
                stage.extend(chars.next());
                continue;
            }
            (None, '|') => {
                stages.push(String::new());
                continue;
            }
            _ => {}
        }
        stage.push(c);
    }
    stages.iter().map(|s| s.trim().to_string()).collect()
}

/// The `$(docker ...)` substitutions of `line` outside single quotes, as
/// byte ranges of the whole `$(...)` with the command inside, in order.
/// Other `$(...)` are left alone: the line usually hands them to a
/// container's shell.
pub fn docker_substitutions(line: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let (mut i, mut single) = (0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => single = !single,
            b'$' if !single && bytes.get(i + 1) == Some(&b'(') => {
                let mut depth = 0;
                let end = (i + 1..bytes.len()).find(|&j| {
                    match bytes[j] {
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                });
                if let Some(end) = end {
                    let inner = line[i + 2..end].trim();
                    if inner == "docker" || inner.starts_with("docker ") {
                        found.push((i..end + 1, inner.to_string()));
                    }
                    i = end;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The byte positions of `line`'s characters that the host's shell reads
/// as operators: outside quotes, not escaped, not inside `$(...)`.
fn unquoted(line: &str) -> Vec<(usize, char)> {
    let mut found = Vec::new();
    let (mut quote, mut depth, mut escaped) = (None, 0usize, false);
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (q, '\\') if q != Some('\'') => escaped = true,
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (q, '$') if q != Some('\'') && chars.peek().map(|p| p.1) == Some('(') => {
                chars.next();
                depth += 1;
            }
            (q, ')') if q != Some('\'') && depth > 0 => depth -= 1,
            (None, _) if depth == 0 => found.push((i, c)),
            _ => {}
        }
    }
    found
}

/// The first word of `text` (quotes removed) and the text after it, as
/// typed. The word ends at an unquoted space, `<`, `>` or `|`.
fn first_word(text: &str) -> Result<(String, String), String> {
    let text = text.trim_start();
    let end = unquoted(text)
        .into_iter()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '|'))
        .map_or(text.len(), |(i, _)| i);
    let words = crate::util::shell_words(&text[..end]).map_err(|e| format!("bash: syntax error: {e}"))?;
    let first = words.into_iter().next().ok_or("bash: syntax error near unexpected token `newline'")?;
    Ok((first, text[end..].to_string()))
}

/// A line typed with a here-document (`cat > Dockerfile <<EOF`, then the
/// document's lines, then `EOF`): the command line without `<<EOF`, and the
/// document. `Ok(None)` for a line without one.
pub fn here_document(input: &str) -> Result<Option<(String, String)>, String> {
    let (first, rest) = input.split_once('\n').unwrap_or((input, ""));
    let ops = unquoted(first);
    let Some(at) = ops.windows(2).find_map(|w| {
        let ((i, a), (j, b)) = (w[0], w[1]);
        (a == '<' && b == '<' && j == i + 1 && !first[j + 1..].starts_with('<')).then_some(i)
    }) else {
        return Ok(None);
    };
    let after = &first[at + 2..];
    let (strip_tabs, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let (delimiter, tail) = first_word(after)?;
    let line = format!("{} {}", first[..at].trim_end(), tail.trim()).trim().to_string();
    let mut body = String::new();
    let mut lines = rest.split('\n');
    for l in lines.by_ref() {
        let l = if strip_tabs { l.trim_start_matches('\t') } else { l };
        if l == delimiter {
            let after: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
            if !after.is_empty() {
                return Err(format!(
                    "bash: `{}`: this terminal runs one command per line; type it after this one",
                    after[0]
                ));
            }
            return Ok(Some((line, body)));
        }
        body.push_str(l);
        body.push('\n');
    }
    Err(format!(
        "bash: warning: here-document delimited by end-of-file (wanted `{delimiter}'): end it with a line that is just {delimiter}"
    ))
}

/// Where a command line sends its output, or takes its input from.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Redirects {
    /// `> FILE` (false) or `>> FILE` (true).
    pub output: Option<(String, bool)>,
    /// `< FILE`.
    pub input: Option<String>,
}

/// Splits `line` into the command and its redirections (`> f`, `>> f`,
/// `< f`), which may stand anywhere after the command (`echo a > f b`).
/// What the terminal does not do (`2>`, `>&`, `&>`, two outputs) is an
/// error that says so.
pub fn redirects(line: &str) -> Result<(String, Redirects), String> {
    let ops: Vec<(usize, char)> = unquoted(line).into_iter().filter(|(_, c)| matches!(c, '>' | '<')).collect();
    let Some(&(at, op)) = ops.first() else { return Ok((line.to_string(), Redirects::default())) };
    let unsupported = |what: &str| {
        format!(
            "bash: {what}: this terminal redirects only stdout into a project file (> FILE, >> FILE) and reads < FILE"
        )
    };
    let before = &line[..at];
    if op == '>' && (before.ends_with(|c: char| c.is_ascii_digit()) || before.ends_with('&')) {
        let n = before.chars().last().unwrap_or('2');
        return Err(unsupported(&format!("{n}>")));
    }
    let append = op == '>' && line[at + 1..].starts_with('>');
    let after = &line[at + if append { 2 } else { 1 }..];
    if after.starts_with('&') {
        return Err(unsupported(&format!("{op}&")));
    }
    let (target, tail) = first_word(after)?;
    let rest = format!("{} {}", before.trim_end(), tail.trim()).trim().to_string();
    let (command, mut more) = redirects(&rest)?;
    match op {
        '>' if more.output.is_some() => return Err(unsupported("two outputs")),
        '>' => more.output = Some((target, append)),
        _ if more.input.is_some() => return Err(unsupported("two inputs")),
        _ => more.input = Some(target),
    }
    Ok((command, more))
}

/// `w` as a word of a command line: bare when the shell reads it back as
/// it is, quoted otherwise.
fn word(w: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c);
    if !w.is_empty() && w.chars().all(plain) { w.to_string() } else { quote(w) }
}

/// `xargs` as the terminal reads it (GNU's options that matter here).
#[derive(Debug, PartialEq, Eq)]
pub struct Xargs {
    /// `-r`: run nothing when the input has no items.
    pub no_run_if_empty: bool,
    /// `-n N`: at most N items per command line.
    pub max_args: Option<usize>,
    /// `-I R`: one command line per input line, with R replaced by it.
    pub replace: Option<String>,
    /// The command and its first arguments (`echo` when none is given).
    pub command: Vec<String>,
}

impl Xargs {
    /// Reads xargs's arguments (after `xargs`); the error is the message GNU
    /// xargs prints before it exits with 1.
    pub fn parse(args: &[String]) -> Result<Xargs, String> {
        let mut x = Xargs { no_run_if_empty: false, max_args: None, replace: None, command: Vec::new() };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let (flag, attached) = match arg.as_str() {
                "-r" | "--no-run-if-empty" => {
                    x.no_run_if_empty = true;
                    continue;
                }
                a if a.starts_with("-n") || a.starts_with("-I") => (&a[..2], &a[2..]),
                a if a.starts_with('-') && a.len() > 1 => {
                    return Err(format!("xargs: invalid option -- '{}'", &a[1..]));
                }
                _ => {
                    x.command = std::iter::once(arg).chain(rest).cloned().collect();
                    break;
                }
            };
            let value = match attached {
                "" => rest.next().ok_or_else(|| format!("xargs: option requires an argument -- '{}'", &flag[1..]))?,
                v => v,
            };
            if flag == "-n" {
                match value.parse::<usize>() {
                    Ok(n) if n >= 1 => x.max_args = Some(n),
                    _ => return Err(format!("xargs: value {value} for -n option should be >= 1")),
                }
            } else {
                x.replace = Some(value.to_string());
            }
        }
        if x.command.is_empty() {
            x.command.push("echo".into());
        }
        Ok(x)
    }

    /// The command lines xargs runs for `input`, quoted for the terminal.
    pub fn lines(&self, input: &str) -> Vec<String> {
        let join = |words: &mut dyn Iterator<Item = String>| words.collect::<Vec<_>>().join(" ");
        let mut lines = Vec::new();
        if let Some(r) = &self.replace {
            for item in input.lines().map(str::trim_start).filter(|l| !l.is_empty()) {
                lines.push(join(&mut self.command.iter().map(|w| word(&w.replace(r.as_str(), item)))));
            }
            return lines;
        }
        let command = join(&mut self.command.iter().map(|w| word(w)));
        let items: Vec<&str> = input.split_whitespace().collect();
        if items.is_empty() && !self.no_run_if_empty {
            lines.push(command.clone());
        }
        for chunk in items.chunks(self.max_args.unwrap_or(usize::MAX)) {
            let mut line = command.clone();
            for item in chunk {
                line.push(' ');
                line.push_str(&word(item));
            }
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_outside_quotes_split_the_line() {
        assert_eq!(split_pipeline("docker ps -a | grep web | wc -l"), ["docker ps -a", "grep web", "wc -l"]);
        assert_eq!(
            split_pipeline("docker run busybox sh -c 'ps | grep x'"),
            ["docker run busybox sh -c 'ps | grep x'"]
        );
        assert_eq!(split_pipeline(r#"docker exec w sh -c "a | b" | wc"#), [r#"docker exec w sh -c "a | b""#, "wc"]);
        assert_eq!(split_pipeline("docker stop a || docker kill a"), ["docker stop a || docker kill a"]);
        assert_eq!(split_pipeline(r"docker run busybox echo a\|b"), [r"docker run busybox echo a\|b"]);
    }

    #[test]
    fn docker_substitutions_are_found_outside_single_quotes() {
        let line = "docker rm -f $(docker ps -aq)";
        assert_eq!(docker_substitutions(line), [(13..line.len(), "docker ps -aq".to_string())]);
        assert!(docker_substitutions("docker run busybox sh -c 'echo $(docker ps)'").is_empty());
        assert!(docker_substitutions("docker run busybox sh -c \"echo $(hostname)\"").is_empty());
        let nested = "docker stop $(docker ps -q --filter \"name=$(docker ps -lq)\")";
        assert_eq!(docker_substitutions(nested).len(), 1);
        assert!(docker_substitutions("docker rm $(docker ps -q").is_empty(), "unclosed: left as it is");
    }

    #[test]
    fn here_documents_are_cut_from_the_line() {
        let typed = "cat > Dockerfile <<EOF\nFROM busybox\nCMD [\"echo\", \"hi\"]\nEOF";
        assert_eq!(
            here_document(typed).unwrap(),
            Some(("cat > Dockerfile".to_string(), "FROM busybox\nCMD [\"echo\", \"hi\"]\n".to_string()))
        );
        assert_eq!(
            here_document("cat <<'END' > f\na\n\tb\nEND\n").unwrap(),
            Some(("cat > f".into(), "a\n\tb\n".into()))
        );
        assert_eq!(here_document("cat <<-END\n\ta\n\tEND").unwrap(), Some(("cat".into(), "a\n".into())));
        assert_eq!(here_document("docker ps").unwrap(), None);
        assert_eq!(here_document("docker run busybox sh -c 'cat <<EOF'").unwrap(), None);
        assert!(here_document("cat <<EOF\nno end").unwrap_err().contains("wanted `EOF'"));
        assert!(here_document("cat <<EOF\na\nEOF\nls").unwrap_err().contains("one command per line"));
    }

    #[test]
    fn redirections_are_split_off_outside_quotes() {
        let out = |f: &str, append| Redirects { output: Some((f.into(), append)), input: None };
        assert_eq!(
            redirects("echo \"FROM busybox\" > Dockerfile").unwrap(),
            ("echo \"FROM busybox\"".into(), out("Dockerfile", false))
        );
        assert_eq!(redirects("echo x>>notes").unwrap(), ("echo x".into(), out("notes", true)));
        assert_eq!(redirects("echo a > f b").unwrap(), ("echo a b".into(), out("f", false)));
        assert_eq!(
            redirects("cat < in > out").unwrap().1,
            Redirects { output: Some(("out".into(), false)), input: Some("in".into()) }
        );
        let quoted = "docker exec w sh -c 'echo hi > /tmp/x'";
        assert_eq!(redirects(quoted).unwrap(), (quoted.to_string(), Redirects::default()));
        assert_eq!(redirects("echo $(docker ps -q)").unwrap().1, Redirects::default());
        assert!(redirects("docker ps 2> err").unwrap_err().contains("2>"));
        assert!(redirects("docker ps > a > b").unwrap_err().contains("two outputs"));
        assert!(redirects("echo >").unwrap_err().contains("newline"));
    }

    fn words(line: &str) -> Vec<String> {
        line.split(' ').map(String::from).collect()
    }

    #[test]
    fn xargs_reads_gnu_options() {
        let x = Xargs::parse(&words("-r -n 2 docker rm -f")).unwrap();
        assert!(x.no_run_if_empty);
        assert_eq!(x.max_args, Some(2));
        assert_eq!(x.command, ["docker", "rm", "-f"]);
        assert_eq!(Xargs::parse(&words("-n1 docker stop")).unwrap().max_args, Some(1));
        assert_eq!(Xargs::parse(&[]).unwrap().command, ["echo"]);
        assert_eq!(Xargs::parse(&words("-I {} docker logs {}")).unwrap().replace.as_deref(), Some("{}"));
        assert_eq!(Xargs::parse(&words("-n 0 echo")).unwrap_err(), "xargs: value 0 for -n option should be >= 1");
        assert_eq!(Xargs::parse(&words("-z echo")).unwrap_err(), "xargs: invalid option -- 'z'");
        assert!(Xargs::parse(&words("-n")).unwrap_err().contains("requires an argument"));
    }

    #[test]
    fn xargs_builds_quoted_command_lines() {
        let x = Xargs::parse(&words("docker stop")).unwrap();
        assert_eq!(x.lines("a1\nb2\n"), ["docker stop a1 b2"]);
        assert_eq!(x.lines(""), ["docker stop"], "GNU xargs runs the command once without -r");
        assert!(Xargs::parse(&words("-r docker stop")).unwrap().lines(" \n").is_empty());
        let by_two = Xargs::parse(&words("-n 2 echo")).unwrap();
        assert_eq!(by_two.lines("a b c"), ["echo a b", "echo c"]);
        let each = Xargs::parse(&words("-I {} echo <{}>")).unwrap();
        assert_eq!(each.lines("x y\n\nit's\n"), ["echo '<x y>'", "echo '<it'\\''s>'"]);
        assert_eq!(Xargs::parse(&words("docker rm")).unwrap().lines("a|b $(x)"), ["docker rm 'a|b' '$(x)'"]);
    }
}
