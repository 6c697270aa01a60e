//! `.dockerignore` with Docker's semantics (docker/cli's `ReadAll` and
//! moby's `patternmatcher`), pure and usable on every target.
//!
//! - One pattern a line; a line starting with `#` is a comment (checked
//!   before trimming, as docker/cli does); surrounding spaces are trimmed;
//!   empty lines are skipped.
//! - `!pattern` re-includes what earlier patterns excluded; the last
//!   matching pattern wins.
//! - Patterns are cleaned like Go's `filepath.Clean` (`./a/` is `a`,
//!   `a/../b` is `b`) and a leading `/` is dropped: patterns are always
//!   relative to the context's root.
//! - `*` matches any run of characters but `/`, `?` one character but `/`,
//!   `[a-z]` / `[^a-z]` a class, `\` escapes; `**` matches any number of
//!   directories, including none (`**/*.go`, `a/**/b`), and a trailing `**`
//!   everything below.
//! - A path is excluded when it or one of its parent directories matches:
//!   `docs` excludes `docs/a/b.md`.
//!
//! ```
//! use dockhand::build_context::DockerIgnore;
//! let ignore = DockerIgnore::parse("# build output\ntarget\n*.log\n!keep.log\n**/secret*\n")?;
//! assert!(ignore.is_excluded("target/debug/app"));
//! assert!(ignore.is_excluded("a.log") && !ignore.is_excluded("keep.log"));
//! assert!(ignore.is_excluded("deep/down/secret.txt"));
//! assert!(!ignore.is_excluded("src/main.rs"));
//! # Ok::<(), dockhand::Error>(())
//! ```

use crate::{Error, Result};

/// One compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    text: String,
    exclusion: bool,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters without `/`.
    Star,
    /// `**/` or `**` inside: zero or more whole directories (`(.*/)?`).
    Dirs,
    /// `**` at the end: anything.
    Rest,
    /// `[...]`: ranges, negated with `^`.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// Parsed `.dockerignore` patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
}

impl DockerIgnore {
    /// No patterns: nothing is excluded.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses the contents of a `.dockerignore` file.
    pub fn parse(text: &str) -> Result<Self> {
        let mut ignore = DockerIgnore::new();
        for line in text.lines() {
            // As in docker/cli: a comment is a line starting with '#' before
            // trimming ("  # x" is a pattern).
            if line.starts_with('#') {
                continue;
            }
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            ignore.push(line)?;
        }
        Ok(ignore)
    }

    /// Adds one pattern (as a line of the file would).
    pub fn push(&mut self, pattern: &str) -> Result<()> {
        let mut text = pattern.trim();
        let exclusion = text.starts_with('!');
        if exclusion {
            text = text[1..].trim();
            if text.is_empty() {
                return Err(Error::invalid(".dockerignore pattern", "\"!\" alone is not a pattern"));
            }
        }
        let mut cleaned = clean(text);
        if cleaned.len() > 1 && cleaned.starts_with('/') {
            cleaned.remove(0);
        }
        let tokens = compile(&cleaned)?;
        self.patterns.push(Pattern { text: cleaned, exclusion, tokens });
        Ok(())
    }

    /// Whether some pattern is an exception (`!`): then an excluded
    /// directory may still hold included files and must be walked.
    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Whether `path` (relative to the context root, `/`-separated) is
    /// excluded: the last pattern that matches it or one of its parents
    /// decides.
    pub fn is_excluded(&self, path: &str) -> bool {
        let path = clean(path);
        let parents: Vec<&str> = {
            let mut v = Vec::new();
            let mut end = 0;
            while let Some(i) = path[end..].find('/') {
                end += i;
                v.push(&path[..end]);
                end += 1;
            }
            v
        };
        let mut matched = false;
        for pattern in &self.patterns {
            // An inclusion cannot change an already excluded path, an
            // exception cannot change an included one.
            if pattern.exclusion != matched {
                continue;
            }
            let hit = matches(&pattern.tokens, &path) || parents.iter().any(|p| matches(&pattern.tokens, p));
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }

    /// The patterns, as cleaned (exceptions with their `!`).
    pub fn patterns(&self) -> impl Iterator<Item = String> + '_ {
        self.patterns.iter().map(|p| if p.exclusion { format!("!{}", p.text) } else { p.text.clone() })
    }
}

/// Go's `path.Clean` for `/`-separated paths.
pub(crate) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn compile(pattern: &str) -> Result<Vec<Token>> {
    let bad = |why: &str| Error::invalid(".dockerignore pattern", format!("{pattern:?}: {why}"));
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                tokens.push(if i >= chars.len() { Token::Rest } else { Token::Dirs });
                continue;
            }
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::One),
            '\\' => {
                i += 1;
                match chars.get(i) {
                    Some(&c) => tokens.push(Token::Literal(c)),
                    None => return Err(bad("ends with an escape")),
                }
            }
            '[' => {
                i += 1;
                let negated = chars.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                loop {
                    let Some(&c) = chars.get(i) else { return Err(bad("has an unclosed '['")) };
                    if c == ']' && !first {
                        break;
                    }
                    first = false;
                    let lo = if c == '\\' {
                        i += 1;
                        *chars.get(i).ok_or_else(|| bad("ends with an escape"))?
                    } else {
                        c
                    };
                    i += 1;
                    let hi = if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&c| c != ']') {
                        i += 1;
                        let c = chars[i];
                        let hi = if c == '\\' {
                            i += 1;
                            *chars.get(i).ok_or_else(|| bad("ends with an escape"))?
                        } else {
                            c
                        };
                        i += 1;
                        hi
                    } else {
                        lo
                    };
                    if hi < lo {
                        return Err(bad("has a range whose end comes before its start"));
                    }
                    ranges.push((lo, hi));
                }
                tokens.push(Token::Class { negated, ranges });
            }
            c => tokens.push(Token::Literal(c)),
        }
        i += 1;
    }
    Ok(tokens)
}

/// Whether `tokens` match all of `path`. Dynamic programming over (token,
/// position): linear in pattern times path, whatever the pattern.
fn matches(tokens: &[Token], path: &str) -> bool {
    let chars: Vec<char> = path.chars().collect();
    let n = chars.len();
    // reach[j]: the tokens so far can consume exactly chars[..j].
    let mut reach = vec![false; n + 1];
    reach[0] = true;
    for token in tokens {
        let mut next = vec![false; n + 1];
        match token {
            Token::Literal(c) => {
                for j in 0..n {
                    if reach[j] && chars[j] == *c {
                        next[j + 1] = true;
                    }
                }
            }
            Token::One => {
                for j in 0..n {
                    if reach[j] && chars[j] != '/' {
                        next[j + 1] = true;
                    }
                }
            }
            Token::Class { negated, ranges } => {
                for j in 0..n {
                    let c = chars[j];
                    if reach[j] && c != '/' && ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated {
                        next[j + 1] = true;
                    }
                }
            }
            Token::Star => {
                let mut on = false;
                for j in 0..=n {
                    on = reach[j] || (on && j > 0 && chars[j - 1] != '/');
                    next[j] = on;
                }
            }
            Token::Rest => {
                let mut on = false;
                for j in 0..=n {
                    on = on || reach[j];
                    next[j] = on;
                }
            }
            Token::Dirs => {
                // Zero directories, or anything ending with '/'.
                let mut seen = false;
                for j in 0..=n {
                    if reach[j] {
                        next[j] = true;
                    }
                    if j > 0 && chars[j - 1] == '/' && seen {
                        next[j] = true;
                    }
                    seen = seen || reach[j];
                }
            }
        }
        reach = next;
    }
    reach[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ig(text: &str) -> DockerIgnore {
        DockerIgnore::parse(text).unwrap()
    }

    #[test]
    fn go_clean() {
        for (i, o) in [("./a/", "a"), ("a/../b", "b"), ("/a//b/", "/a/b"), ("..", ".."), ("", "."), ("a/..", ".")] {
            assert_eq!(clean(i), o, "{i}");
        }
    }

    #[test]
    fn globs() {
        let t = |p: &str, s: &str| matches(&compile(p).unwrap(), s);
        assert!(t("*.go", "a.go") && !t("*.go", "d/a.go"));
        assert!(t("a?c", "abc") && !t("a?c", "a/c"));
        assert!(t("[a-c]x", "bx") && !t("[a-c]x", "dx") && t("[^a-c]x", "dx"));
        assert!(t("**/*.go", "a.go") && t("**/*.go", "x/y/a.go"));
        assert!(t("a/**/b", "a/b") && t("a/**/b", "a/x/y/b") && !t("a/**/b", "a/xb"));
        assert!(t("a/**", "a/x/y") && t("**", "anything/at/all"));
        assert!(t("\\*", "*") && !t("\\*", "x"));
        assert!(compile("[a").is_err() && compile("a\\").is_err() && compile("[z-a]").is_err());
        // Hostile patterns stay polynomial.
        let long = "a".repeat(5000);
        assert!(!t("*a*a*a*a*a*a*a*a*a*a*a*a*b", &long));
    }

    #[test]
    fn docker_semantics() {
        let i = ig("# comment\n  target  \n/abs\n*.md\n!README.md\nsub/**/tmp\n\n");
        assert!(i.is_excluded("target") && i.is_excluded("target/x/y"));
        assert!(i.is_excluded("abs") && i.is_excluded("abs/f"));
        assert!(i.is_excluded("CHANGES.md") && !i.is_excluded("README.md"));
        assert!(!i.is_excluded("docs/CHANGES.md"), "*.md is only the top level");
        assert!(i.is_excluded("sub/tmp/x") && i.is_excluded("sub/a/b/tmp"));
        assert!(!i.is_excluded("src/main.rs") && !i.is_excluded("# comment"));
        // The last matching pattern wins.
        let i = ig("*\n!keep\nkeep/secret");
        assert!(i.is_excluded("other") && !i.is_excluded("keep") && !i.is_excluded("keep/a"));
        assert!(i.is_excluded("keep/secret"));
        assert!(i.has_exceptions());
        assert!(DockerIgnore::parse("!").is_err());
        assert_eq!(ig("./a/\n!/b").patterns().collect::<Vec<_>>(), ["a", "!b"]);
        assert_eq!(ig("#c\n  #x\n! c ").patterns().collect::<Vec<_>>(), ["#x", "!c"]);
    }
}
