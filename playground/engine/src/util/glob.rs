//! Shell patterns (`*`, `?`, bracket expressions), matched against text: the
//! one matcher of the engine, used by the shell's pathname expansion and
//! `case`, and (per path component, as Go's `path.Match`) by the image
//! reference filter, `.dockerignore` and `COPY` sources.

/// Whether `s` matches the shell pattern `pat`: `*`, `?`, and bracket
/// expressions (`[abc]`, `[a-z]`, `[!0-9]` or `[^0-9]`; a `[` without its
/// `]` is itself).
pub(crate) fn glob_match(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        // How much of the pattern one character of `s` consumes, if it matches.
        let step = match (pi < p.len() && p[pi] == '[').then(|| bracket(&p[pi..], t[ti])).flatten() {
            Some((hit, len)) => hit.then_some(len),
            None => (pi < p.len() && (p[pi] == '?' || p[pi] == t[ti])).then_some(1),
        };
        if let Some(len) = step {
            pi += len;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(sp) = star {
            pi = sp + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Whether `s` matches `pat` as Go's `path.Match` does (docker's image
/// reference filter, `.dockerignore`, `COPY` sources): [`glob_match`] on each
/// `/`-separated component, so `*`, `?` and brackets never match a `/`.
pub(crate) fn path_match(pat: &str, s: &str) -> bool {
    let (pat, s): (Vec<&str>, Vec<&str>) = (pat.split('/').collect(), s.split('/').collect());
    pat.len() == s.len() && pat.iter().zip(&s).all(|(p, c)| glob_match(p, c))
}

/// The bracket expression at the start of `p` (which starts with `[`)
/// against `c`: whether it matches, and the expression's length; `None`
/// when the `[` has no closing `]`.
pub(crate) fn bracket(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let &x = p.get(i)?;
        if x == ']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&y| y != ']') {
            hit |= (x..=p[i + 2]).contains(&c);
            i += 3;
        } else {
            hit |= x == c;
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_matches_across_slashes_in_text_but_not_in_paths() {
        assert!(glob_match("*/*", "myorg/app"));
        assert!(glob_match("*", "a/b"));
        assert!(path_match("*/*", "myorg/app"));
        assert!(!path_match("*/*", "solo"));
        assert!(!path_match("*", "myorg/app"));
        assert!(path_match("*", "solo:1"));
        assert!(path_match("my*/a?p", "myorg/app"));
        assert!(path_match("*/*:[0-9]", "myorg/app:1"));
        assert!(!path_match("*.txt", "dir/a.txt"));
        assert!(path_match("*/*.txt", "dir/a.txt"));
        assert!(path_match("", ""));
    }
}
