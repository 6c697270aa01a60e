//! The functions a template may call: docker's (`json`, `join`, `upper`,
//! ...) and Go's (`len`, `index`, `printf`, `eq`, ...).

use serde_json::Value;

use super::value::{go_print, truth};

pub(super) fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

pub(super) fn compare(a: &Value, b: &Value) -> Result<std::cmp::Ordering, String> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).ok_or_else(|| "incomparable values".to_string()),
            _ => Err("incompatible types for comparison".into()),
        },
    }
}

/// Go's `fmt.Sprint`: a space between two operands when neither is a
/// string.
pub(super) fn sprint(args: &[Value]) -> String {
    let mut s = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !a.is_string() && !args[i - 1].is_string() {
            s.push(' ');
        }
        s.push_str(&go_print(a));
    }
    s
}

/// Go's `fmt.Sprintf` for `%v %s %d %q %t %%`.
pub(super) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb) => match next.next() {
                Some(a) if verb == 'q' => out.push_str(&serde_json::to_string(&go_print(a)).unwrap_or_default()),
                Some(a) => out.push_str(&go_print(a)),
                None => out.push_str(&format!("%!{verb}(MISSING)")),
            },
            None => out.push_str("%!(NOVERB)"),
        }
    }
    out
}

pub(super) fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    let want = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("wrong number of args for {name}: want {n} got {}", args.len()))
        }
    };
    let text = |i: usize| args.get(i).map(go_print).unwrap_or_default();
    Ok(match name {
        "json" => {
            want(1)?;
            Value::String(serde_json::to_string(&args[0]).unwrap_or_default())
        }
        "upper" => Value::String(text(0).to_ascii_uppercase()),
        "lower" => Value::String(text(0).to_ascii_lowercase()),
        "title" => Value::String(
            text(0)
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "split" => {
            want(2)?;
            Value::from(text(0).split(text(1).as_str()).map(String::from).collect::<Vec<_>>())
        }
        "join" => {
            want(2)?;
            let items = args[0].as_array().map(|a| a.iter().map(go_print).collect::<Vec<_>>()).unwrap_or_default();
            Value::String(items.join(&text(1)))
        }
        "pad" => {
            want(3)?;
            let n = |i: usize| number(&args[i]).unwrap_or(0.0).clamp(0.0, 1000.0) as usize;
            Value::String(format!("{}{}{}", " ".repeat(n(1)), text(0), " ".repeat(n(2))))
        }
        "truncate" => {
            want(2)?;
            let n = number(&args[1]).unwrap_or(0.0).max(0.0) as usize;
            Value::String(text(0).chars().take(n).collect())
        }
        "len" => {
            want(1)?;
            Value::from(match &args[0] {
                Value::Array(a) => a.len(),
                Value::Object(o) => o.len(),
                Value::String(s) => s.len(),
                Value::Number(n) => n.to_string().len(),
                _ => return Err("len of nil pointer".into()),
            })
        }
        "index" => {
            let mut v = args.first().cloned().unwrap_or(Value::Null);
            for key in args.iter().skip(1) {
                v = match (&v, key) {
                    (Value::Array(a), k) => {
                        let i = number(k).ok_or("cannot index slice/array with type string")?;
                        a.get(i as usize)
                            .cloned()
                            .filter(|_| i >= 0.0)
                            .ok_or_else(|| format!("index out of range: {i}"))?
                    }
                    (Value::Object(o), k) => o.get(&go_print(k)).cloned().unwrap_or(Value::Null),
                    (Value::Null, _) => Value::Null,
                    _ => return Err(format!("can't index item of type {}", kind_name(&v))),
                };
            }
            v
        }
        "print" => Value::String(sprint(args)),
        "println" => Value::String(args.iter().map(go_print).collect::<Vec<_>>().join(" ") + "\n"),
        "printf" => Value::String(sprintf(&text(0), args.get(1..).unwrap_or(&[]))),
        "not" => {
            want(1)?;
            Value::Bool(!truth(&args[0]))
        }
        "and" => args.iter().find(|a| !truth(a)).or(args.last()).cloned().unwrap_or(Value::Null),
        "or" => args.iter().find(|a| truth(a)).or(args.last()).cloned().unwrap_or(Value::Null),
        "eq" => Value::Bool(args.len() > 1 && args[1..].iter().any(|b| compare(&args[0], b).is_ok_and(|o| o.is_eq()))),
        "ne" => {
            want(2)?;
            Value::Bool(!compare(&args[0], &args[1]).is_ok_and(|o| o.is_eq()))
        }
        _ => {
            want(2)?;
            let o = compare(&args[0], &args[1])?;
            Value::Bool(match name {
                "lt" => o.is_lt(),
                "le" => o.is_le(),
                "gt" => o.is_gt(),
                _ => o.is_ge(),
            })
        }
    })
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        _ => "interface {}",
    }
}
