//! grep's regular expressions (basic and `-E`), matched in linear time.

use crate::util::glob::bracket;

/// Whether `line` holds a match of `re`, a regular expression as busybox
/// grep reads one: `^` and `$` anchors, `.`, bracket expressions, `*`,
/// `\\` quoting the next character; extended (`-E`) adds `+`, `?` and `|`.
/// Groups and intervals are not read: their characters stand for themselves.
///
/// The pattern runs as a set of positions over the line (Thompson's
/// construction), so any pattern takes time in proportion to its length
/// times the line's, and memory in proportion to its length: `a*a*a*…b`
/// cannot hang the page.
pub(crate) fn regex_find(re: &str, line: &str, extended: bool) -> bool {
    if extended && re.contains('|') {
        return re.split('|').any(|alternative| regex_find(alternative, line, true));
    }
    let mut p: Vec<char> = re.chars().collect();
    let anchored_start = p.first() == Some(&'^');
    if anchored_start {
        p.remove(0);
    }
    let anchored_end = p.last() == Some(&'$') && !(p.len() >= 2 && p[p.len() - 2] == '\\');
    if anchored_end {
        p.pop();
    }
    let atoms = regex_atoms(&p, extended);
    let accept = atoms.len();
    // Positions in the pattern the match may be at; `accept` is past the end.
    let closure = |set: &mut Vec<bool>, mut at: usize| {
        while at <= accept && !set[at] {
            set[at] = true;
            if at < accept && atoms[at].1 {
                at += 1;
            } else {
                break;
            }
        }
    };
    let mut now = vec![false; accept + 1];
    closure(&mut now, 0);
    for c in line.chars() {
        if now[accept] && !anchored_end {
            return true;
        }
        let mut next = vec![false; accept + 1];
        for at in (0..accept).filter(|&at| now[at] && atoms[at].0.matches(c)) {
            if atoms[at].2 {
                closure(&mut next, at);
            }
            closure(&mut next, at + 1);
        }
        if !anchored_start {
            closure(&mut next, 0);
        }
        now = next;
    }
    now[accept]
}

/// What one character of a pattern must be.
#[derive(Clone)]
pub(crate) enum Atom {
    Any,
    Char(char),
    /// A bracket expression, as written (`[a-z]`).
    Class(Vec<char>),
}

impl Atom {
    fn matches(&self, c: char) -> bool {
        match self {
            Atom::Any => true,
            Atom::Char(x) => *x == c,
            Atom::Class(class) => bracket(class, c).is_some_and(|(hit, _)| hit),
        }
    }
}

/// The pattern as atoms with whether each may be skipped and may repeat
/// (`*`: both; `?`: skipped; `x+` becomes `x` then `x*`).
pub(crate) fn regex_atoms(p: &[char], extended: bool) -> Vec<(Atom, bool, bool)> {
    let mut atoms = Vec::new();
    let mut i = 0;
    while i < p.len() {
        let (atom, len) = match p[i] {
            '[' => match bracket(&p[i..], ' ') {
                Some((_, len)) => (Atom::Class(p[i..i + len].to_vec()), len),
                None => (Atom::Char('['), 1),
            },
            '\\' if i + 1 < p.len() => (Atom::Char(p[i + 1]), 2),
            '.' => (Atom::Any, 1),
            c => (Atom::Char(c), 1),
        };
        i += len;
        match p.get(i) {
            Some('*') => {
                atoms.push((atom, true, true));
                i += 1;
            }
            Some('?') if extended => {
                atoms.push((atom, true, false));
                i += 1;
            }
            Some('+') if extended => {
                let again = atom.clone();
                atoms.push((atom, false, false));
                atoms.push((again, true, true));
                i += 1;
            }
            _ => atoms.push((atom, false, false)),
        }
    }
    atoms
}

#[cfg(test)]
mod tests {
    use super::regex_find;
    use proptest::prelude::*;

    /// Patterns of the supported grammar, built twice: as grep reads them
    /// (`extended`) and in the `regex` crate's syntax.
    fn pattern() -> impl Strategy<Value = (String, String)> {
        let atom = prop_oneof![
            Just(("a", "a")),
            Just(("b", "b")),
            Just((".", ".")),
            Just(("[ab]", "[ab]")),
            Just(("[^a]", "[^a]")),
            Just(("\\.", "\\.")),
            Just(("x", "x")),
        ];
        let rep = prop_oneof![Just(""), Just("*"), Just("+"), Just("?")];
        (any::<bool>(), prop::collection::vec((atom, rep), 0..7), any::<bool>()).prop_map(|(start, parts, end)| {
            let mut ours = String::from(if start { "^" } else { "" });
            let mut theirs = ours.clone();
            for ((a, b), r) in parts {
                ours.push_str(a);
                ours.push_str(r);
                theirs.push_str(b);
                theirs.push_str(r);
            }
            if end {
                ours.push('$');
                theirs.push('$');
            }
            (ours, theirs)
        })
    }

    proptest! {
        #[test]
        fn extended_patterns_match_as_the_regex_crate_does((ours, theirs) in pattern(), line in "[abx.]{0,12}") {
            let reference = regex::Regex::new(&theirs).unwrap();
            prop_assert_eq!(regex_find(&ours, &line, true), reference.is_match(&line), "{} on {:?}", ours, line);
        }
    }

    #[test]
    fn basic_patterns_take_plus_and_question_marks_literally() {
        assert!(regex_find("a+b", "xa+b", false));
        assert!(!regex_find("a+b", "aab", false));
        assert!(regex_find("a?", "a?", false) && !regex_find("a?", "b", false));
        assert!(regex_find("x$y", "ax$y", false), "a $ inside the pattern is a character");
        assert!(regex_find("a^b", "a^b", false), "so is a ^ after the start");
        assert!(regex_find("price \\$", "the price $", false), "a quoted $ at the end too");
        assert!(regex_find("*a", "x*a", false), "a leading * is a character in a basic pattern");
    }
}
