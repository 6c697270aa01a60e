//! busybox's `printf`: the format's escapes and `%` conversions (`s b c d i
//! o u x X`, flags `-+ 0#`, width, precision), reused while arguments
//! remain, with busybox's errors (checked against Debian's busybox on
//! dockerd).

use super::{Applet, Args};
use crate::programs::{Ctx, Flow};
use crate::state::State;

/// What one `printf` printed: its output, its error lines (without the
/// `sh: ` prefix) and its exit status.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Printed {
    /// Standard output.
    pub out: String,
    /// Error messages, one per line.
    pub errors: Vec<String>,
    /// 0, or 1 after an invalid number or format.
    pub status: i32,
}

/// Runs `printf format args...`.
pub fn printf(format: &str, args: &[String]) -> Printed {
    let mut p = Printed::default();
    let mut next = 0;
    loop {
        let before = next;
        if !pass(format, args, &mut next, &mut p) {
            p.status = 1;
            return p;
        }
        if next >= args.len() || next == before {
            return p;
        }
    }
}

/// One pass over the format; `false` when the format is invalid.
fn pass(format: &str, args: &[String], next: &mut usize, p: &mut Printed) -> bool {
    let mut chars = format.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => escape(&mut chars, &mut p.out),
            '%' if chars.peek().map(|&(_, c)| c) == Some('%') => {
                chars.next();
                p.out.push('%');
            }
            '%' => {
                let mut spec = Spec::default();
                while let Some(&(_, f)) = chars.peek().filter(|(_, f)| "-+ #0".contains(*f)) {
                    spec.flags.push(f);
                    chars.next();
                }
                spec.width = digits(&mut chars);
                if chars.peek().map(|&(_, c)| c) == Some('.') {
                    chars.next();
                    spec.precision = Some(digits(&mut chars).unwrap_or(0));
                }
                let Some((_, conv)) = chars.next().filter(|(_, c)| "sbcdiouxX".contains(*c)) else {
                    p.errors.push(format!("{}: invalid format", &format[at..]));
                    return false;
                };
                let arg = args.get(*next).map_or("", String::as_str);
                *next += 1;
                let text = match conv {
                    's' => arg.chars().take(spec.precision.unwrap_or(usize::MAX)).collect(),
                    'b' => {
                        let mut out = String::new();
                        let mut it = arg.char_indices().peekable();
                        while let Some((_, c)) = it.next() {
                            if c == '\\' { escape(&mut it, &mut out) } else { out.push(c) }
                        }
                        out
                    }
                    'c' => arg.chars().take(1).collect(),
                    _ => {
                        let n = number(arg, p);
                        spec.integer(conv, n)
                    }
                };
                p.out.push_str(&spec.pad(text, conv));
            }
            c => p.out.push(c),
        }
    }
    true
}

/// A conversion's flags, width and precision.
#[derive(Default)]
struct Spec {
    flags: String,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Spec {
    /// An integer conversion's digits, with its sign and precision.
    fn integer(&self, conv: char, n: i64) -> String {
        let digits = match conv {
            'o' => format!("{:o}", n as u64),
            'u' => (n as u64).to_string(),
            'x' => format!("{:x}", n as u64),
            'X' => format!("{:X}", n as u64),
            _ => n.unsigned_abs().to_string(),
        };
        let zeros = self.precision.unwrap_or(0).saturating_sub(digits.len());
        let sign = match (conv, n < 0) {
            ('d' | 'i', true) => "-",
            ('d' | 'i', false) if self.flags.contains('+') => "+",
            ('d' | 'i', false) if self.flags.contains(' ') => " ",
            _ => "",
        };
        format!("{sign}{}{digits}", "0".repeat(zeros))
    }

    /// `text` padded to the width: left-justified with `-`, zero-filled
    /// after the sign with `0` for numbers.
    fn pad(&self, text: String, conv: char) -> String {
        let len = text.chars().count();
        let fill = self.width.unwrap_or(0).saturating_sub(len);
        if fill == 0 {
            return text;
        }
        if self.flags.contains('-') {
            return text + &" ".repeat(fill);
        }
        if self.flags.contains('0') && self.precision.is_none() && "diouxX".contains(conv) {
            let sign = usize::from(text.starts_with(['-', '+', ' ']));
            return format!("{}{}{}", &text[..sign], "0".repeat(fill), &text[sign..]);
        }
        " ".repeat(fill) + &text
    }
}

/// Up to four decimal digits of a width or precision (more would only
/// make hostile formats allocate).
fn digits(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(&(_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
        n = Some((n.unwrap_or(0) * 10 + d as usize - '0' as usize).min(9999));
        chars.next();
    }
    n
}

/// An integer argument as `strtoll` reads it (leading blanks, a sign,
/// `0x` hex, `0` octal); what does not read whole is busybox's "invalid
/// number" and counts as what was read of it.
fn number(arg: &str, p: &mut Printed) -> i64 {
    let s = arg.trim_start();
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, body) = match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        Some(hex) => (16, hex),
        None if body.len() > 1 && body.starts_with('0') => (8, &body[1..]),
        None => (10, body),
    };
    let end = body.find(|c: char| !c.is_digit(radix)).unwrap_or(body.len());
    let value = u64::from_str_radix(&body[..end], radix).ok();
    if end == 0 || end < body.len() || value.is_none() {
        p.errors.push(format!("invalid number '{arg}'"));
        p.status = 1;
    }
    let value = value.unwrap_or(0) as i64;
    if negative { value.wrapping_neg() } else { value }
}

/// The escape after a `\`: `\n`, `\t`, `\\`, octal `\NNN`, hex `\xHH`, ...;
/// an unknown one stays as written.
fn escape<I: Iterator<Item = (usize, char)>>(chars: &mut std::iter::Peekable<I>, out: &mut String) {
    let Some((_, c)) = chars.next() else {
        out.push('\\');
        return;
    };
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'v' => Some('\x0b'),
        '\\' | '"' | '\'' => Some(c),
        _ => None,
    };
    if let Some(s) = simple {
        out.push(s);
        return;
    }
    let (radix, max) = match c {
        '0'..='7' => (8, 3),
        'x' => (16, 2),
        _ => {
            out.push('\\');
            out.push(c);
            return;
        }
    };
    let mut value = if radix == 8 { c as u32 - '0' as u32 } else { 0 };
    let mut read = usize::from(radix == 8);
    while read < max {
        match chars.peek().and_then(|&(_, d)| d.to_digit(radix)) {
            Some(d) => {
                value = value * radix + d;
                read += 1;
                chars.next();
            }
            None => break,
        }
    }
    if radix == 16 && read == 0 {
        out.push_str("\\x");
        return;
    }
    out.extend(char::from_u32(value & 0xff));
}

/// The applets of this area.
pub(super) const APPLETS: &[Applet] = &[Applet::new("printf", printf_applet).usage("printf FORMAT [ARGUMENT...]")];

/// `printf`.
fn printf_applet(_state: &mut State, _cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let args = a.args;
    let Some(format) = args.first() else {
        ctx.eprint(format!("sh: usage: {}\n", a.usage));
        return Flow::Exit(2);
    };
    let printed = printf(format, &args[1..]);
    ctx.print(printed.out);
    for e in printed.errors {
        ctx.eprint(format!("sh: {e}\n"));
    }
    Flow::Exit(printed.status)
}

#[cfg(test)]
mod tests {
    use crate::programs::testing::exec;

    #[test]
    fn the_applet_prints_or_shows_its_usage() {
        assert_eq!(exec(&["sh", "-c", "printf '%s-%03d\\n' a 7"]), ("a-007\n".into(), String::new(), 0));
        assert_eq!(
            exec(&["sh", "-c", "printf"]),
            (String::new(), "sh: usage: printf FORMAT [ARGUMENT...]\n".into(), 2)
        );
        assert_eq!(exec(&["sh", "-c", "printf '%d\\n' x"]), ("0\n".into(), "sh: invalid number 'x'\n".into(), 1));
        // Linked into /bin as in busybox's image: a container's command or an
        // exec can be `printf` (docker-py's exec and attach tests run it).
        assert_eq!(exec(&["printf", "%s-%s", "a", "b"]), ("a-b".into(), String::new(), 0));
    }

    use super::*;

    fn run(format: &str, args: &[&str]) -> Printed {
        printf(format, &args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    fn out(format: &str, args: &[&str]) -> String {
        let p = run(format, args);
        assert_eq!((p.status, &p.errors), (0, &vec![]), "{format}");
        p.out
    }

    // The expected texts are Debian busybox's, run under dockerd.
    #[test]
    fn conversions_flags_and_widths_print_as_busybox_prints_them() {
        assert_eq!(out("%s-%d\n", &["x", "5"]), "x-5\n");
        assert_eq!(
            out("%5s|%-5s|%05d|%x|%o|%c\n", &["ab", "cd", "42", "255", "8", "hello"]),
            "   ab|cd   |00042|ff|10|h\n"
        );
        assert_eq!(out("%s\n", &["a", "b", "c"]), "a\nb\nc\n", "the format is reused");
        assert_eq!(out("%s %s\n", &["a"]), "a \n");
        assert_eq!(out("100%%\n", &[]), "100%\n");
        assert_eq!(out("%.2s\n", &["abcdef"]), "ab\n");
        assert_eq!(out("a\\tb\\\\c\n", &[]), "a\tb\\c\n");
        assert_eq!(out("%b\n", &["x\\ty"]), "x\ty\n");
        assert_eq!(out("%+d % d\n", &["5", "5"]), "+5  5\n");
        assert_eq!(out("%i\n", &["0x10"]), "16\n");
        assert_eq!(out("%u\n", &["-1"]), "18446744073709551615\n");
        assert_eq!(out("%x\n", &["-1"]), "ffffffffffffffff\n");
        assert_eq!(out("%d\n", &[" 7"]), "7\n");
        assert_eq!(out("%5.1s|%-3d|\n", &["xyz", "7"]), "    x|7  |\n");
        assert_eq!(out("\\101\\x41\\q\n", &[]), "AA\\q\n");
        assert_eq!(out("%s\n", &[]), "\n");
        assert_eq!(out("%05d|%-05d|\n", &["-42", "3"]), "-0042|3    |\n");
    }

    #[test]
    fn bad_numbers_and_formats_are_busybox_errors() {
        let p = run("%d\n", &["abc"]);
        assert_eq!(
            (p.out.as_str(), p.errors.as_slice(), p.status),
            ("0\n", &["invalid number 'abc'".to_string()][..], 1)
        );
        let p = run("%d %d\n", &["3"]);
        assert_eq!((p.out.as_str(), p.errors.as_slice()), ("3 0\n", &["invalid number ''".to_string()][..]));
        let p = run("%5%|\n", &[]);
        assert_eq!(
            (p.out.as_str(), p.errors.as_slice(), p.status),
            ("", &["%5%|\n: invalid format".to_string()][..], 1)
        );
        assert_eq!(run("%q\n", &["a"]).status, 1);
        assert_eq!(run("%d\n", &["99999999999999999999"]).status, 1);
        // Hostile widths do not allocate gigabytes.
        assert_eq!(run("%999999999999s", &["a"]).out.len(), 9999);
    }
}
