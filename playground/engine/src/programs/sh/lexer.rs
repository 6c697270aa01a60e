//! The shell's tokens: words (quotes kept, expanded later), operators,
//! redirections and here-documents.

use super::quote;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Word(String),
    Op(&'static str),
    Redir(u8, &'static str),
    Nl,
    Eof,
}

pub(crate) struct Lexer {
    pub(crate) s: Vec<char>,
    pub(crate) pos: usize,
    /// The body of a here-document just read, as the word the next token
    /// is (single-quoted, so that it expands to itself).
    pub(crate) pending: Option<String>,
}

/// A here-document with a quoted delimiter (`<<'EOF'`): its body as written.
/// Internal spellings, which the lexer also reads back when a suspended
/// script is printed as text; no shell syntax uses these characters.
pub(crate) const HEREDOC_LITERAL: &str = "<<\u{e003}";

/// A here-document with a plain delimiter (`<<EOF`): its body expanded like
/// a double-quoted string whose quotes are ordinary characters.
pub(crate) const HEREDOC_EXPAND: &str = "<<\u{e004}";

pub(crate) fn is_meta(c: char) -> bool {
    matches!(c, ';' | '&' | '|' | '(' | ')' | '<' | '>' | ' ' | '\t' | '\n')
}

/// The index just past the `close` matching the `open` at `i` (quotes and
/// nesting respected).
pub(crate) fn skip_balanced(s: &[char], mut i: usize, open: char, close: char) -> Result<usize, String> {
    let mut depth = 0usize;
    while i < s.len() {
        match s[i] {
            '\\' => i += 1,
            '\'' => match skip_squote(s, i + 1) {
                Some(end) => i = end,
                None => break,
            },
            '"' => i = skip_dquote(s, i + 1)?,
            '`' => i = skip_backtick(s, i + 1)?,
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Err(format!("unexpected end of file (expecting \"{close}\")"))
}

/// From just inside a `'`, the index of the closing quote; `None` when
/// the text ends first.
pub(crate) fn skip_squote(s: &[char], i: usize) -> Option<usize> {
    s.get(i..)?.iter().position(|&c| c == '\'').map(|n| i + n)
}

/// From just inside a `"`, the index of the closing quote.
pub(crate) fn skip_dquote(s: &[char], mut i: usize) -> Result<usize, String> {
    while i < s.len() {
        match s[i] {
            '"' => return Ok(i),
            '\\' => i += 1,
            '`' => i = skip_backtick(s, i + 1)?,
            '$' if s.get(i + 1) == Some(&'(') => i = skip_balanced(s, i + 1, '(', ')')? - 1,
            '$' if s.get(i + 1) == Some(&'{') => i = skip_balanced(s, i + 1, '{', '}')? - 1,
            _ => {}
        }
        i += 1;
    }
    Err("unterminated quoted string".into())
}

/// From just inside a backtick, the index of the closing one.
pub(crate) fn skip_backtick(s: &[char], mut i: usize) -> Result<usize, String> {
    while i < s.len() {
        match s[i] {
            '`' => return Ok(i),
            '\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    Err("unterminated quoted string".into())
}

impl Lexer {
    pub(crate) fn new(src: &str) -> Lexer {
        Lexer { s: src.chars().collect(), pos: 0, pending: None }
    }

    /// After `<<` or `<<-`: reads the delimiter word, then takes the lines
    /// after the current one up to the delimiter's line out of the source,
    /// and returns the operator (quoted delimiter: literal body; otherwise
    /// expanded). A body without its delimiter line ends at the end of the
    /// text, as in ash.
    pub(crate) fn here_document(&mut self, strip_tabs: bool) -> Result<&'static str, String> {
        while matches!(self.s.get(self.pos), Some(' ' | '\t')) {
            self.pos += 1;
        }
        let start = self.pos;
        while self.pos < self.s.len() && !is_meta(self.s[self.pos]) {
            self.pos += 1;
        }
        let raw: String = self.s[start..self.pos].iter().collect();
        if raw.is_empty() {
            return Err("unexpected newline".into());
        }
        let quoted = raw.contains(['\'', '"', '\\']);
        let delimiter: String = raw.chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
        let mut body = String::new();
        if let Some(nl) = self.s[self.pos..].iter().position(|&c| c == '\n').map(|n| self.pos + n) {
            let mut at = nl + 1;
            while at < self.s.len() {
                let end = self.s[at..].iter().position(|&c| c == '\n').map_or(self.s.len(), |n| at + n);
                let mut line: String = self.s[at..end].iter().collect();
                if strip_tabs {
                    line = line.trim_start_matches('\t').to_string();
                }
                at = (end + 1).min(self.s.len());
                if line == delimiter {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            self.s.drain(nl + 1..at);
        }
        self.pending = Some(quote(&body));
        Ok(if quoted { HEREDOC_LITERAL } else { HEREDOC_EXPAND })
    }

    pub(crate) fn next(&mut self) -> Result<Tok, String> {
        if let Some(word) = self.pending.take() {
            return Ok(Tok::Word(word));
        }
        let s = &self.s;
        loop {
            match s.get(self.pos) {
                Some(' ' | '\t' | '\r') => self.pos += 1,
                Some('\\') if s.get(self.pos + 1) == Some(&'\n') => self.pos += 2,
                Some('#') => {
                    while self.pos < s.len() && s[self.pos] != '\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(&c) = s.get(self.pos) else { return Ok(Tok::Eof) };
        let at = |k: usize| s.get(self.pos + k).copied();
        if c == '\n' {
            self.pos += 1;
            return Ok(Tok::Nl);
        }
        for op in ["&&", "||", ";;", ";", "&", "|", "(", ")"] {
            if op.chars().enumerate().all(|(k, oc)| at(k) == Some(oc)) {
                self.pos += op.len();
                return Ok(Tok::Op(op));
            }
        }
        // A redirection, with an optional single-digit descriptor.
        let (fd, off) = match c {
            d @ '0'..='9' if matches!(at(1), Some('<' | '>')) => (Some(d as u8 - b'0'), 1),
            _ => (None, 0),
        };
        if let Some(r @ ('<' | '>')) = at(off) {
            let (op, len) = match (r, at(off + 1)) {
                ('>', Some('>')) => (">>", 2),
                ('>', Some('&')) => (">&", 2),
                ('>', Some('|')) => (">", 2),
                ('<', Some('&')) => ("<&", 2),
                ('<', Some('<')) => {
                    let fd = fd.unwrap_or(0);
                    let op = match at(off + 2) {
                        Some('<') => Some(("<<<", 3)),
                        Some('\u{e003}') => Some((HEREDOC_LITERAL, 3)),
                        Some('\u{e004}') => Some((HEREDOC_EXPAND, 3)),
                        _ => None,
                    };
                    if let Some((op, len)) = op {
                        self.pos += off + len;
                        return Ok(Tok::Redir(fd, op));
                    }
                    let strip_tabs = at(off + 2) == Some('-');
                    self.pos += off + 2 + usize::from(strip_tabs);
                    return Ok(Tok::Redir(fd, self.here_document(strip_tabs)?));
                }
                ('>', _) => (">", 1),
                _ => ("<", 1),
            };
            self.pos += off + len;
            let fd = fd.unwrap_or(if r == '>' { 1 } else { 0 });
            return Ok(Tok::Redir(fd, op));
        }
        let start = self.pos;
        let mut i = self.pos;
        while i < s.len() && !is_meta(s[i]) {
            match s[i] {
                '\\' => i += 1,
                '\'' => i = skip_squote(s, i + 1).ok_or("unterminated quoted string")?,
                '"' => i = skip_dquote(s, i + 1)?,
                '`' => i = skip_backtick(s, i + 1)?,
                '$' if s.get(i + 1) == Some(&'(') => i = skip_balanced(s, i + 1, '(', ')')? - 1,
                '$' if s.get(i + 1) == Some(&'{') => i = skip_balanced(s, i + 1, '{', '}')? - 1,
                _ => {}
            }
            i += 1;
        }
        let i = i.min(s.len());
        self.pos = i;
        Ok(Tok::Word(s[start..i].iter().collect()))
    }
}
