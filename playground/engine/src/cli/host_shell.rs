//! The little shell of the terminal itself (the learner's host, not a
//! container): `$(docker ...)` in a command line, and pipes from a docker
//! command into busybox's text filters (`docker ps -a | grep web`). Quotes
//! are respected, so a pipe or `$(...)` meant for a container's shell
//! (`sh -c 'ps | grep x'`) is left to it.

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
}
