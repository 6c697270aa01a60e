//! Output formatting like the docker CLI: tabwriter tables, and `--format`
//! values (`table ...`, `json`, or a Go template, see [`super::template`](mod@super::template)).

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

/// Applies a Go template (see [`super::template`](mod@super::template)) to
/// one of the CLI's own documents, a struct of Go type `go_type`; `Err`
/// with the CLI's message.
pub fn template(tpl: &str, data: &Value, go_type: &'static str) -> Result<String, String> {
    super::template::render(tpl, data, super::template::Data::Struct(go_type))
}

/// Formats rows with a `--format` value: `table ...`, `json`, or a template
/// over each row, a struct of Go type `go_type` to the CLI.
pub fn format_rows(
    format: &str,
    header: &[(&str, &str)],
    rows: &[Value],
    go_type: &'static str,
) -> Result<String, String> {
    if format == "json" {
        return Ok(rows.iter().map(|r| format!("{}\n", serde_json::to_string(r).unwrap_or_default())).collect());
    }
    super::template::check(format.strip_prefix("table").unwrap_or(format), super::template::Data::Struct(go_type))?;
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
        let mut lines = vec![template(&tpl, &Value::Object(header_data), go_type)?];
        for r in rows {
            lines.push(template(&tpl, r, go_type)?);
        }
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.split('\t').map(String::from).collect()).collect();
        return Ok(table(&cells));
    }
    let mut out = String::new();
    for r in rows {
        out.push_str(&template(format, r, go_type)?);
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

    #[test]
    fn tables_like_tabwriter() {
        let t = table(&[
            vec!["CONTAINER ID".into(), "IMAGE".into(), "NAMES".into()],
            vec!["abc".into(), "nginx".into(), "web".into()],
        ]);
        assert_eq!(t, "CONTAINER ID   IMAGE     NAMES\nabc            nginx     web\n");
    }
}
