//! The JSON path of a decode error, found after the fact.
//!
//! serde_json reports where a body stopped matching its model as a line and
//! column: the byte just past the value it could not take (a number out of
//! range, a string where an object belongs), the opening bracket of a
//! container of the wrong kind, or the closing brace of an object that
//! lacks a field. [`path_at`] walks the body up to that byte with a small,
//! non-generic scanner and names the value it lies in, `Images[1].Size`
//! style (`.` for the whole document).
//!
//! This replaces tracking the path while decoding (serde_path_to_error),
//! which wrapped every model's deserialisation and so doubled its compiled
//! code; the scan runs only when decoding has already failed.

/// One open container on the way to the failing byte.
enum Frame {
    /// An object, with the key of the member being read (if any yet).
    Object(Option<String>),
    /// An array, with the index of the element being read.
    Array(usize),
}

/// The byte offset of serde_json's (1-based line, column) position in
/// `body`: the column counts bytes on that line, and points just past the
/// byte that failed (0: the line's start).
pub(crate) fn offset_of(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match body[start..].iter().position(|&b| b == b'\n') {
            Some(nl) => start += nl + 1,
            None => return body.len(),
        }
    }
    (start + column).min(body.len())
}

/// The path of the value holding byte `end - 1` of `body` (`end` as from
/// [`offset_of`]); `.` for the document itself or when the body is not
/// JSON that far.
pub(crate) fn path_at(body: &[u8], end: usize) -> String {
    let target = end.saturating_sub(1);
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        match b {
            b'{' | b'[' => {
                if i >= target {
                    // The opening bracket of a value of the wrong kind.
                    return render(&stack, true);
                }
                // An array's first element is index 0 (an object's member
                // has no name until its key is read).
                stack.push(if b == b'{' { Frame::Object(None) } else { Frame::Array(0) });
                i += 1;
            }
            b'}' | b']' => {
                if i >= target {
                    // The end of a container that lacks something.
                    return render(&stack, false);
                }
                stack.pop();
                i += 1;
            }
            b',' => {
                if let Some(Frame::Array(index)) = stack.last_mut() {
                    *index += 1;
                }
                if i >= target {
                    return render(&stack, true);
                }
                i += 1;
            }
            b'"' => {
                let close = string_end(body, i);
                let is_key = matches!(stack.last(), Some(Frame::Object(_))) && {
                    let after = skip_ws(body, close);
                    body.get(after) == Some(&b':')
                };
                if is_key {
                    let key = unescape(&body[i + 1..close.saturating_sub(1).max(i + 1)]);
                    if let Some(Frame::Object(slot)) = stack.last_mut() {
                        *slot = Some(key);
                    }
                }
                if close > target {
                    return render(&stack, true);
                }
                i = close;
            }
            b' ' | b'\t' | b'\r' | b'\n' | b':' => {
                if i >= target {
                    return render(&stack, true);
                }
                i += 1;
            }
            _ => {
                // A number or a literal: runs to the next delimiter.
                let mut close = i + 1;
                while close < body.len() && !matches!(body[close], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                    close += 1;
                }
                if close > target {
                    return render(&stack, true);
                }
                i = close;
            }
        }
    }
    render(&stack, true)
}

/// Past the closing quote of the string whose opening quote is at `open`
/// (the body's end if it is not closed).
fn string_end(body: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    body.len()
}

fn skip_ws(body: &[u8], mut i: usize) -> usize {
    while i < body.len() && matches!(body[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// A key's text with JSON's escapes undone (an invalid escape is kept as
/// written).
fn unescape(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    if !text.contains('\\') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let decoded =
                    if hex.len() == 4 { u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) } else { None };
                match decoded {
                    Some(decoded) => out.push(decoded),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// `a.b[2].c`; with `member` false the innermost container's current
/// member is left out (the path of the container itself).
fn render(stack: &[Frame], member: bool) -> String {
    let mut path = String::new();
    let last = stack.len().saturating_sub(1);
    for (depth, frame) in stack.iter().enumerate() {
        if depth == last && !member {
            break;
        }
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            Frame::Object(None) => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde::de::DeserializeOwned;

    /// The path serde_json's own error position leads to.
    fn path_of<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
        let err = serde_json::from_str::<T>(body).unwrap_err();
        path_at(body.as_bytes(), offset_of(body.as_bytes(), err.line(), err.column()))
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
    }
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    #[serde(rename_all = "PascalCase")]
    struct Swarm {
        nodes: u32,
        name: String,
    }
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    #[serde(rename_all = "PascalCase")]
    struct Info {
        swarm: Option<Swarm>,
        labels: Vec<String>,
    }

    #[test]
    fn names_the_failing_value() {
        assert_eq!(path_of::<Outer>(r#"{"items":[{"n":1},{"n":300}]}"#), "items[1].n");
        assert_eq!(path_of::<Outer>("{\n  \"items\": [\n    {\"n\": 1},\n    {\"n\": \"x\"}\n  ]\n}"), "items[1].n");
        assert_eq!(path_of::<Info>(r#"{"Swarm":{"Nodes":"many","Name":"s"},"Labels":[]}"#), "Swarm.Nodes");
        // A container of the wrong kind: its opening bracket.
        assert_eq!(path_of::<Info>(r#"{"Swarm":{"Nodes":1,"Name":{"a":1}},"Labels":[]}"#), "Swarm.Name");
        assert_eq!(path_of::<Info>(r#"{"Swarm":null,"Labels":["a",["b"]]}"#), "Labels[1]");
        assert_eq!(path_of::<Info>(r#"{"Swarm":null,"Labels":{"a":"b"}}"#), "Labels");
        // A missing field: the object that lacks it.
        assert_eq!(path_of::<Info>(r#"{"Swarm":{"Nodes":1},"Labels":[]}"#), "Swarm");
        assert_eq!(path_of::<Outer>(r#"{"items":[{"n":1},{}]}"#), "items[1]");
        assert_eq!(path_of::<Outer>(r#"{}"#), ".");
        // Escaped keys and strings with brackets and quotes inside.
        assert_eq!(path_of::<Info>(r#"{"Lab\u0065ls":["a]\"}"],"Swarm":{"Nodes":-1,"Name":"x"}}"#), "Swarm.Nodes");
        assert_eq!(path_of::<Vec<Vec<u8>>>("[[1,2],[3,[4]]]"), "[1][1]");
        assert_eq!(path_of::<Vec<u8>>("[1, 2, 256]"), "[2]");
    }

    #[test]
    fn hostile_input_never_panics() {
        for body in ["", "{", "[", "\"", "\"\\", "{\"a\":", "]]]}}}", "[,,,", "{\"a\"", "\\u", "{\"\\u12\":1}"] {
            for end in 0..=body.len() + 2 {
                let _ = path_at(body.as_bytes(), end);
            }
            let _ = offset_of(body.as_bytes(), 7, 99);
        }
        assert_eq!(unescape(br"a\u12"), "a\\u12");
    }

    proptest::proptest! {
        /// Any bytes, any position: a path, never a panic.
        #[test]
        fn any_bytes_any_position(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200), line in 0usize..8, column in 0usize..300) {
            let end = offset_of(&body, line, column);
            proptest::prop_assert!(end <= body.len());
            proptest::prop_assert!(!path_at(&body, end).is_empty());
        }

        /// A wrong-typed number deep inside a document: its own path.
        #[test]
        fn a_wrong_leaf_is_named(outer in "[A-Za-z]{1,8}", index in 0usize..4, inner in "[A-Za-z]{1,8}") {
            let items: Vec<String> = (0..=index).map(|i| if i == index { format!(r#"{{"{inner}":"x"}}"#) } else { format!(r#"{{"{inner}":{i}}}"#) }).collect();
            let body = format!(r#"{{"{outer}": [{}]}}"#, items.join(", "));
            let err = serde_json::from_str::<std::collections::HashMap<String, Vec<std::collections::HashMap<String, u32>>>>(&body).unwrap_err();
            let path = path_at(body.as_bytes(), offset_of(body.as_bytes(), err.line(), err.column()));
            proptest::prop_assert_eq!(path, format!("{outer}[{index}].{inner}"));
        }
    }
}
