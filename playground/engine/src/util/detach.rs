//! Detach keys: the sequence (`detachKeys`, default ctrl-p ctrl-q) that
//! ends a hijacked attach or exec with a TTY without stopping the process,
//! read from the client's input as dockerd's escape proxy reads it.

/// The keys dockerd detaches on when a client names none.
pub const DEFAULT_DETACH_KEYS: &str = "ctrl-p,ctrl-q";

/// A detach sequence and how much of it the client has typed so far.
///
/// ```
/// use dockhand_engine::DetachKeys;
/// let mut keys = DetachKeys::parse("ctrl-p,ctrl-q").unwrap();
/// assert_eq!(keys.feed(b"ls\x10"), (b"ls".to_vec(), false));
/// // A key that breaks the sequence releases what was held back.
/// assert_eq!(keys.feed(b"x"), (b"\x10x".to_vec(), false));
/// assert_eq!(keys.feed(b"\x10\x11more"), (Vec::new(), true));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetachKeys {
    keys: Vec<u8>,
    matched: usize,
}

impl DetachKeys {
    /// Parses dockerd's notation: comma-separated keys, each one
    /// character, `ctrl-@`, `ctrl-a` .. `ctrl-z`, `ctrl-[`, `ctrl-\`,
    /// `ctrl-]`, `ctrl-^`, `ctrl-_` or `DEL`; the empty string is the
    /// default (ctrl-p,ctrl-q). `Err` holds dockerd's message.
    pub fn parse(keys: &str) -> Result<DetachKeys, String> {
        let text = if keys.is_empty() { DEFAULT_DETACH_KEYS } else { keys };
        let mut codes = Vec::new();
        for key in text.split(',') {
            let code = match key.as_bytes() {
                [one] => *one,
                _ if key == "DEL" => 127,
                _ => key
                    .strip_prefix("ctrl-")
                    .and_then(|k| match k.as_bytes() {
                        [c @ b'a'..=b'z'] => Some(c - b'a' + 1),
                        [b'@'] => Some(0),
                        [c @ (b'[' | b'\\' | b']' | b'^' | b'_')] => Some(c - b'@'),
                        _ => None,
                    })
                    .ok_or_else(|| format!("Invalid detach keys ({keys}) provided"))?,
            };
            codes.push(code);
        }
        Ok(DetachKeys { keys: codes, matched: 0 })
    }

    /// Reads a piece of the client's input: the bytes that go on to stdin
    /// (a partial sequence is held back until the next key shows whether
    /// it completes), and whether the sequence is now complete (detach:
    /// the rest of the input is dropped).
    pub fn feed(&mut self, data: &[u8]) -> (Vec<u8>, bool) {
        let mut out = Vec::with_capacity(data.len());
        for &b in data {
            if self.keys.is_empty() {
                out.push(b);
                continue;
            }
            if b == self.keys[self.matched] {
                self.matched += 1;
                if self.matched == self.keys.len() {
                    self.matched = 0;
                    return (out, true);
                }
                continue;
            }
            // Not the sequence after all: release what was held.
            out.extend_from_slice(&self.keys[..self.matched]);
            self.matched = 0;
            if b == self.keys[0] {
                self.matched = 1;
            } else {
                out.push(b);
            }
        }
        (out, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dockerd_notation_and_refuses_the_rest() {
        assert_eq!(DetachKeys::parse("").unwrap().keys, [16, 17]);
        assert_eq!(DetachKeys::parse("ctrl-a,x,ctrl-@,ctrl-_,DEL").unwrap().keys, [1, b'x', 0, 31, 127]);
        assert_eq!(DetachKeys::parse("ctrl-\\").unwrap().keys, [28]);
        for bad in ["ctrl-", "ctrl-1", "ab", "x,,y", "ctrl-A"] {
            assert_eq!(DetachKeys::parse(bad), Err(format!("Invalid detach keys ({bad}) provided")), "{bad}");
        }
    }

    #[test]
    fn a_sequence_split_over_writes_detaches_and_a_broken_one_is_passed_on() {
        let mut k = DetachKeys::parse("ctrl-p,ctrl-q").unwrap();
        assert_eq!(k.feed(b"a\x10"), (b"a".to_vec(), false));
        assert_eq!(k.feed(b"\x11"), (Vec::new(), true));
        let mut k = DetachKeys::parse("ctrl-p,ctrl-q").unwrap();
        assert_eq!(k.feed(b"\x10\x10\x11"), (b"\x10".to_vec(), true));
        let mut k = DetachKeys::parse("ctrl-x").unwrap();
        assert_eq!(k.feed(b"ab\x18cd"), (b"ab".to_vec(), true));
    }
}
