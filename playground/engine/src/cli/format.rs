//! Output formatting like the docker CLI: tabwriter tables and a subset of
//! Go templates (`{{.Field}}`, `{{.A.B}}`, `{{json .X}}`, `{{range .X}}..{{end}}`,
//! `{{index .X "k"}}`, `table` prefix, `\t`).

use serde_json::Value;

/// Renders rows like Go's `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`:
/// columns padded to the widest cell plus 3, at least 10; the last column
/// is not padded.
pub fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max(cell.chars().count() + 3).max(10);
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
    out
}

fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        cur = cur.get(part)?;
    }
    Some(cur)
}

/// A value as Go's template prints it.
pub fn go_print(v: &Value) -> String {
    match v {
        Value::Null => "<no value>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        Value::Object(o) => {
            format!("map[{}]", o.iter().map(|(k, v)| format!("{k}:{}", go_print(v))).collect::<Vec<_>>().join(" "))
        }
    }
}

/// Applies a Go template to `data`; `Err` with the CLI's message for a
/// template it cannot parse.
pub fn template(tpl: &str, data: &Value) -> Result<String, String> {
    let tpl = tpl.replace("\\t", "\t").replace("\\n", "\n");
    render(&tpl, data)
}

fn render(tpl: &str, data: &Value) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = tpl;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err("template parsing error: template: :1: unclosed action".to_string());
        };
        let action = after[..end].trim().trim_start_matches('-').trim_end_matches('-').trim();
        rest = &after[end + 2..];
        if let Some(target) = action.strip_prefix("range ") {
            // Find the matching {{end}}.
            let mut depth = 1;
            let mut scan = rest;
            let mut consumed = 0;
            let body_end;
            loop {
                let Some(i) = scan.find("{{") else {
                    return Err("template parsing error: template: :1: unexpected EOF".into());
                };
                let inner = &scan[i + 2..];
                let Some(j) = inner.find("}}") else {
                    return Err("template parsing error: template: :1: unclosed action".into());
                };
                let a = inner[..j].trim();
                if a.starts_with("range ") || a.starts_with("if ") || a.starts_with("with ") {
                    depth += 1;
                } else if a == "end" {
                    depth -= 1;
                    if depth == 0 {
                        body_end = consumed + i;
                        consumed += i + 2 + j + 2;
                        break;
                    }
                }
                consumed += i + 2 + j + 2;
                scan = &rest[consumed..];
            }
            let body = &rest[..body_end];
            rest = &rest[consumed..];
            let (vars, expr) = match target.split_once(":=") {
                Some((v, e)) => (Some(v.trim().to_string()), e.trim()),
                None => (None, target.trim()),
            };
            let _ = vars;
            let value = eval(expr, data)?;
            match value {
                Value::Array(items) => {
                    for item in items {
                        out.push_str(&render(body, &item)?);
                    }
                }
                Value::Object(map) => {
                    for (_, item) in map {
                        out.push_str(&render(body, &item)?);
                    }
                }
                _ => {}
            }
            continue;
        }
        if action == "end" {
            continue;
        }
        let v = eval(action, data)?;
        out.push_str(&match v {
            Value::String(s) => s,
            other => go_print(&other),
        });
    }
    out.push_str(rest);
    Ok(out)
}

fn eval(expr: &str, data: &Value) -> Result<Value, String> {
    let words: Vec<&str> = expr.split_whitespace().collect();
    match words.as_slice() {
        ["json", arg] => Ok(Value::String(serde_json::to_string(&eval(arg, data)?).unwrap_or_default())),
        ["upper", arg] => Ok(Value::String(go_print(&eval(arg, data)?).to_ascii_uppercase())),
        ["lower", arg] => Ok(Value::String(go_print(&eval(arg, data)?).to_ascii_lowercase())),
        ["println", rest @ ..] => Ok(Value::String(format!(
            "{}\n",
            rest.iter().map(|a| eval(a, data).map(|v| go_print(&v))).collect::<Result<Vec<_>, _>>()?.join(" ")
        ))),
        ["index", target, key] => {
            let t = eval(target, data)?;
            let k = key.trim_matches('"');
            Ok(t.get(k).cloned().unwrap_or(Value::Null))
        }
        ["."] => Ok(data.clone()),
        [path] if path.starts_with('.') => {
            let v = lookup(data, path);
            match v {
                Some(v) => Ok(v.clone()),
                None => {
                    let field = path.rsplit('.').next().unwrap_or(path);
                    if data.is_object()
                        && lookup(data, path.rsplit_once('.').map(|(a, _)| a).unwrap_or(""))
                            .is_some_and(|p| p.is_object() && p.get(field).is_none())
                        && !path[1..].contains('.')
                    {
                        Err(format!(
                            "template: :1:{}: executing \"\" at <{path}>: can't evaluate field {field} in type *formatter.Context",
                            2 + 1
                        ))
                    } else {
                        Ok(Value::Null)
                    }
                }
            }
        }
        [s] if s.starts_with('"') && s.ends_with('"') && s.len() >= 2 => {
            Ok(Value::String(s[1..s.len() - 1].to_string()))
        }
        _ => Err(format!(
            "template parsing error: template: :1: function \"{}\" not defined",
            words.first().unwrap_or(&"")
        )),
    }
}

/// Formats rows with a `--format` value: `table ...`, `json`, or a template.
pub fn format_rows(format: &str, header: &[(&str, &str)], rows: &[Value]) -> Result<String, String> {
    if format == "json" {
        return Ok(rows.iter().map(|r| format!("{}\n", serde_json::to_string(r).unwrap_or_default())).collect());
    }
    if let Some(tpl) = format.strip_prefix("table") {
        let tpl = tpl.trim_start();
        let tpl = if tpl.is_empty() {
            header.iter().map(|(k, _)| format!("{{{{.{k}}}}}")).collect::<Vec<_>>().join("\t")
        } else {
            tpl.to_string()
        };
        let mut header_data = serde_json::Map::new();
        for (k, title) in header {
            header_data.insert(k.to_string(), Value::String(title.to_string()));
        }
        let mut lines = vec![template(&tpl, &Value::Object(header_data))?];
        for r in rows {
            lines.push(template(&tpl, r)?);
        }
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.split('\t').map(String::from).collect()).collect();
        return Ok(table(&cells));
    }
    let mut out = String::new();
    for r in rows {
        out.push_str(&template(format, r)?);
        out.push('\n');
    }
    Ok(out)
}

/// Levenshtein distance, for "did you mean".
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1]));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables_like_tabwriter() {
        let t = table(&[
            vec!["CONTAINER ID".into(), "IMAGE".into(), "NAMES".into()],
            vec!["abc".into(), "nginx".into(), "web".into()],
        ]);
        assert_eq!(t, "CONTAINER ID   IMAGE     NAMES\nabc            nginx     web\n");
    }

    #[test]
    fn templates() {
        let d = json!({"State": {"Status": "running"}, "Name": "/web", "Nets": {"a": {"IP": "1"}, "b": {"IP": "2"}}});
        assert_eq!(template("{{.State.Status}} {{.Name}}", &d).unwrap(), "running /web");
        assert_eq!(template("{{range .Nets}}{{.IP}},{{end}}", &d).unwrap(), "1,2,");
        assert_eq!(template("{{json .State}}", &d).unwrap(), "{\"Status\":\"running\"}");
        assert!(template("{{.Name", &d).is_err());
        assert!(template("{{bogus .Name}}", &d).is_err());
    }
}
