//! The shell's arithmetic, `$(( ))`, as busybox ash evaluates it (checked
//! against Debian's busybox on dockerd): 64-bit wrapping integers, C's
//! operators with assignment (`n+=5`), `++`/`--`, `?:`, `**` and `,`;
//! numbers in decimal, `0x` hex, `0` octal and `base#digits`. A variable
//! holding an expression is evaluated as one (`x="2*3"; $((x*2))` is 12).
//! Like ash, both sides of `&&`, `||` and `?:` are evaluated, assignments
//! included.

use std::collections::BTreeMap;

/// How deep parentheses, unary operators and variables holding
/// expressions may nest: hostile input must not exhaust the stack.
const MAX_DEPTH: u32 = 64;

/// The error ash prints for a malformed expression.
const SYNTAX: &str = "arithmetic syntax error";

/// Evaluates `src` with (and into) the shell's variables; the error is
/// ash's message.
pub fn eval(vars: &mut BTreeMap<String, String>, src: &str) -> Result<i64, String> {
    if src.trim().is_empty() {
        return Ok(0);
    }
    Eval { tokens: tokens(src)?, at: 0, vars, depth: 0 }.whole()
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

/// Operators, longest first so that `<<=` is not read as `<` `<=`.
const OPS: &[&str] = &[
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=",
    "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "^", "|", "?", ":", ",", "(", ")",
];

fn tokens(src: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut rest = src.trim_start();
    while !rest.is_empty() {
        let word_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '#')).unwrap_or(rest.len());
        if word_len > 0 {
            let word = &rest[..word_len];
            out.push(if word.starts_with(|c: char| c.is_ascii_digit()) {
                Tok::Num(number(word).ok_or(SYNTAX)?)
            } else if word.contains('#') {
                return Err(SYNTAX.into());
            } else {
                Tok::Name(word.to_string())
            });
            rest = &rest[word_len..];
        } else {
            let op = OPS.iter().find(|op| rest.starts_with(**op)).ok_or(SYNTAX)?;
            out.push(Tok::Op(op));
            rest = &rest[op.len()..];
        }
        rest = rest.trim_start();
    }
    Ok(out)
}

/// `10`, `0x1f`, `010` (octal), `2#101`: what ash reads as a number.
fn number(word: &str) -> Option<i64> {
    let (radix, digits) = if let Some((base, digits)) = word.split_once('#') {
        (base.parse::<u32>().ok().filter(|b| (2..=36).contains(b))?, digits)
    } else if let Some(hex) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
        (16, hex)
    } else if word.len() > 1 && word.starts_with('0') {
        (8, &word[1..])
    } else {
        (10, word)
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for c in digits.chars() {
        value = value.wrapping_mul(radix.into()).wrapping_add(c.to_digit(radix)?.into());
    }
    Some(value)
}

/// A value and, when it is a variable, its name (for assignments).
struct Val {
    n: i64,
    name: Option<String>,
}

impl Val {
    fn num(n: i64) -> Val {
        Val { n, name: None }
    }
}

struct Eval<'a> {
    tokens: Vec<Tok>,
    at: usize,
    vars: &'a mut BTreeMap<String, String>,
    depth: u32,
}

impl Eval<'_> {
    fn whole(&mut self) -> Result<i64, String> {
        let v = self.comma()?;
        if self.at != self.tokens.len() {
            return Err(SYNTAX.into());
        }
        Ok(v.n)
    }

    fn peek(&self) -> Option<&'static str> {
        match self.tokens.get(self.at) {
            Some(Tok::Op(op)) => Some(op),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        let yes = self.peek() == Some(op);
        self.at += usize::from(yes);
        yes
    }

    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err("expression recursion loop detected".into()) } else { Ok(()) }
    }

    fn comma(&mut self) -> Result<Val, String> {
        let mut v = self.assign()?;
        while self.eat(",") {
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> Result<Val, String> {
        let left = self.ternary()?;
        const ASSIGN: &[&str] = &["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="];
        let Some(op) = self.peek().filter(|op| ASSIGN.contains(op)) else { return Ok(left) };
        let Some(name) = left.name else { return Err(SYNTAX.into()) };
        self.at += 1;
        self.deeper()?;
        let right = self.assign()?;
        self.depth -= 1;
        let n = if op == "=" { right.n } else { binary(&op[..op.len() - 1], left.n, right.n)? };
        self.vars.insert(name, n.to_string());
        Ok(Val::num(n))
    }

    fn ternary(&mut self) -> Result<Val, String> {
        let cond = self.binary(0)?;
        if !self.eat("?") {
            return Ok(cond);
        }
        self.deeper()?;
        let yes = self.comma()?;
        if !self.eat(":") {
            return Err("malformed ?: operator".into());
        }
        let no = self.assign()?;
        self.depth -= 1;
        Ok(if cond.n != 0 { yes } else { no })
    }

    /// The binary operators from `||` (level 0) to `* / %`.
    fn binary(&mut self, level: usize) -> Result<Val, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", "<=", ">", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(ops) = LEVELS.get(level) else { return self.power() };
        let mut left = self.binary(level + 1)?;
        while let Some(op) = self.peek().filter(|op| ops.contains(op)) {
            self.at += 1;
            let right = self.binary(level + 1)?;
            left = Val::num(binary(op, left.n, right.n)?);
        }
        Ok(left)
    }

    /// `**`, right-associative, over unary operands (`-2**2` is 4).
    fn power(&mut self) -> Result<Val, String> {
        let base = self.unary()?;
        if !self.eat("**") {
            return Ok(base);
        }
        self.deeper()?;
        let exponent = self.power()?;
        self.depth -= 1;
        Ok(Val::num(binary("**", base.n, exponent.n)?))
    }

    fn unary(&mut self) -> Result<Val, String> {
        self.deeper()?;
        let v = match self.peek() {
            Some(op @ ("-" | "+" | "!" | "~")) => {
                self.at += 1;
                let n = self.unary()?.n;
                Val::num(match op {
                    "-" => n.wrapping_neg(),
                    "+" => n,
                    "!" => i64::from(n == 0),
                    _ => !n,
                })
            }
            Some(op @ ("++" | "--")) => {
                self.at += 1;
                let v = self.unary()?;
                let name = v.name.ok_or(SYNTAX)?;
                let n = if op == "++" { v.n.wrapping_add(1) } else { v.n.wrapping_sub(1) };
                self.vars.insert(name, n.to_string());
                Val::num(n)
            }
            _ => self.postfix()?,
        };
        self.depth -= 1;
        Ok(v)
    }

    fn postfix(&mut self) -> Result<Val, String> {
        let v = self.primary()?;
        if let (Some(name), Some(op @ ("++" | "--"))) = (&v.name, self.peek()) {
            self.at += 1;
            let n = if op == "++" { v.n.wrapping_add(1) } else { v.n.wrapping_sub(1) };
            self.vars.insert(name.clone(), n.to_string());
            return Ok(Val::num(v.n));
        }
        Ok(v)
    }

    fn primary(&mut self) -> Result<Val, String> {
        let tok = self.tokens.get(self.at).cloned().ok_or(SYNTAX)?;
        self.at += 1;
        match tok {
            Tok::Num(n) => Ok(Val::num(n)),
            Tok::Name(name) => Ok(Val { n: self.variable(&name)?, name: Some(name) }),
            Tok::Op("(") => {
                let v = self.comma()?;
                if !self.eat(")") {
                    return Err(SYNTAX.into());
                }
                Ok(Val::num(v.n))
            }
            Tok::Op(_) => Err(SYNTAX.into()),
        }
    }

    /// A variable's value: 0 when unset or empty, its number, or the value
    /// of the expression it holds.
    fn variable(&mut self, name: &str) -> Result<i64, String> {
        let text = self.vars.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
        if text.is_empty() {
            return Ok(0);
        }
        if let Some(n) = number(&text) {
            return Ok(n);
        }
        self.deeper()?;
        let mut inner = Eval { tokens: tokens(&text)?, at: 0, vars: &mut *self.vars, depth: self.depth };
        let n = inner.whole()?;
        self.depth -= 1;
        Ok(n)
    }
}

fn binary(op: &str, l: i64, r: i64) -> Result<i64, String> {
    Ok(match op {
        "||" => i64::from(l != 0 || r != 0),
        "&&" => i64::from(l != 0 && r != 0),
        "|" => l | r,
        "^" => l ^ r,
        "&" => l & r,
        "==" => i64::from(l == r),
        "!=" => i64::from(l != r),
        "<" => i64::from(l < r),
        "<=" => i64::from(l <= r),
        ">" => i64::from(l > r),
        ">=" => i64::from(l >= r),
        "<<" => l.wrapping_shl(r as u32),
        ">>" => l.wrapping_shr(r as u32),
        "+" => l.wrapping_add(r),
        "-" => l.wrapping_sub(r),
        "*" => l.wrapping_mul(r),
        "**" if r < 0 => return Err("exponent less than 0".into()),
        "**" => {
            let (mut base, mut exp, mut acc) = (l, r as u64, 1i64);
            while exp > 0 {
                if exp & 1 == 1 {
                    acc = acc.wrapping_mul(base);
                }
                base = base.wrapping_mul(base);
                exp >>= 1;
            }
            acc
        }
        _ if r == 0 => return Err("divide by zero".into()),
        "/" => l.wrapping_div(r),
        _ => l.wrapping_rem(r),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)], src: &str) -> (Result<i64, String>, BTreeMap<String, String>) {
        let mut map: BTreeMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        (eval(&mut map, src), map)
    }

    fn value(src: &str) -> i64 {
        with(&[], src).0.unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    // The expected values are Debian busybox ash's, run under dockerd.
    #[test]
    fn operators_as_ash_evaluates_them() {
        assert_eq!(value("2**10"), 1024);
        assert_eq!(value("-2**2"), 4);
        assert_eq!(value("2**3**2"), 512);
        assert_eq!([value("1<<4"), value("256>>2"), value("5^3"), value("~0")], [16, 64, 6, -1]);
        assert_eq!(value("1 ? 2 : 3 ? 4 : 5"), 2);
        assert_eq!(value("1,2"), 2);
        assert_eq!([value("010"), value("0x1f"), value("2#101")], [8, 31, 5]);
        assert_eq!(value("9223372036854775807+1"), i64::MIN);
        assert_eq!(value(" (1+2)*3 "), 9);
        assert_eq!([value("3>2"), value("7%3"), value("!5"), value("")], [1, 1, 0, 0]);
    }

    #[test]
    fn assignments_and_increments_write_the_variables() {
        let (v, vars) = with(&[("i", "1")], "i++");
        assert_eq!((v, vars["i"].as_str()), (Ok(1), "2"));
        let (v, vars) = with(&[("i", "2")], "++i");
        assert_eq!((v, vars["i"].as_str()), (Ok(3), "3"));
        let (v, vars) = with(&[], "a=b=4");
        assert_eq!((v, vars["a"].as_str(), vars["b"].as_str()), (Ok(4), "4", "4"));
        let (v, vars) = with(&[("n", "5")], "n*=3");
        assert_eq!((v, vars["n"].as_str()), (Ok(15), "15"));
        let (v, vars) = with(&[("x", "3")], "x<<=1");
        assert_eq!((v, vars["x"].as_str()), (Ok(6), "6"));
        // ash evaluates both sides: the assignment happens.
        let (v, vars) = with(&[], "1 || (x=5)");
        assert_eq!((v, vars["x"].as_str()), (Ok(1), "5"));
    }

    #[test]
    fn variables_hold_numbers_or_expressions() {
        assert_eq!(with(&[("x", "1+2")], "x").0, Ok(3));
        assert_eq!(with(&[("x", "2*3")], "x*2").0, Ok(12), "the value is a subexpression");
        assert_eq!(with(&[("x", "1"), ("y", "x")], "y+1").0, Ok(2));
        assert_eq!(with(&[("v", " 5 ")], "v+1").0, Ok(6));
        assert_eq!(with(&[("y", "abc")], "y").0, Ok(0), "an unset name is 0");
        assert_eq!(with(&[], "z+1").0, Ok(1));
    }

    #[test]
    fn errors_are_ashs() {
        let err = |src: &str, vars: &[(&str, &str)]| with(vars, src).0.unwrap_err();
        assert_eq!(err("2**-1", &[]), "exponent less than 0");
        assert_eq!(err("5/0", &[]), "divide by zero");
        assert_eq!(err("5%0", &[]), "divide by zero");
        assert_eq!(err("3 = 4", &[]), SYNTAX);
        assert_eq!(err("1?2", &[]), "malformed ?: operator");
        assert_eq!(err("v+1", &[("v", "5x")]), SYNTAX);
        assert_eq!(err("(1", &[]), SYNTAX);
        assert_eq!(err("1 2", &[]), SYNTAX);
        assert_eq!(err("x", &[("x", "x+1")]), "expression recursion loop detected");
        assert_eq!(err(&"(".repeat(10_000), &[]), "expression recursion loop detected");
        assert_eq!(err(&"-".repeat(10_000), &[]), "expression recursion loop detected");
    }
}
