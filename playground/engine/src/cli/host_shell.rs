//! The little shell of the terminal itself (the learner's host, not a
//! container): `$(docker ...)` in a command line, pipes from a docker
//! command into busybox's text filters (`docker ps -a | grep web`) and into
//! `xargs` (`docker ps -q | xargs docker stop`). Quotes are respected, so a
//! pipe or `$(...)` meant for a container's shell (`sh -c 'ps | grep x'`) is
//! left to it.

use crate::programs::quote;

/// How deep `$(docker ... $(docker ...))` may nest: hostile lines must
/// not exhaust the stack.
pub const MAX_NESTING: usize = 8;

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
