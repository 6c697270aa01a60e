//! Dockerfiles: the parser (comments, continuations, keywords), the
//! argument forms (JSON arrays, `k=v` pairs, variables), stage names, and
//! the one-instruction `--change` of `docker commit` and `import`.

use std::collections::BTreeMap;

use crate::error::{ApiErr, err};
use crate::state::ImageConfig;

/// A Dockerfile instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Instruction {
    /// Its line number (1-based).
    pub line: usize,
    /// `RUN`, upper case.
    pub keyword: String,
    /// The rest of the line.
    pub args: String,
}

/// Parses a Dockerfile: comments, line continuations, keywords.
pub(crate) fn parse_dockerfile(text: &str) -> Result<Vec<Instruction>, String> {
    const KNOWN: &[&str] = &[
        "FROM",
        "RUN",
        "COPY",
        "ADD",
        "WORKDIR",
        "ENV",
        "ARG",
        "EXPOSE",
        "CMD",
        "ENTRYPOINT",
        "LABEL",
        "USER",
        "VOLUME",
        "MAINTAINER",
        "STOPSIGNAL",
        "HEALTHCHECK",
        "SHELL",
        "ONBUILD",
    ];
    let mut out = Vec::new();
    let mut pending = String::new();
    let mut start_line = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if pending.is_empty() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        if !pending.is_empty() && line.starts_with('#') {
            continue;
        }
        if pending.is_empty() {
            start_line = i + 1;
        }
        if let Some(cont) = line.strip_suffix('\\') {
            pending.push_str(cont);
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        let full = std::mem::take(&mut pending);
        let (kw, args) = full.split_once(char::is_whitespace).unwrap_or((&full, ""));
        let kw = kw.to_ascii_uppercase();
        if !KNOWN.contains(&kw.as_str()) {
            return Err(format!("dockerfile parse error line {start_line}: unknown instruction: {}", kw));
        }
        out.push(Instruction { line: start_line, keyword: kw, args: args.trim().to_string() });
    }
    if !pending.trim().is_empty() {
        let full = pending.trim().to_string();
        let (kw, args) = full.split_once(char::is_whitespace).unwrap_or((&full, ""));
        out.push(Instruction { line: start_line, keyword: kw.to_ascii_uppercase(), args: args.to_string() });
    }
    if out.first().is_some_and(|i| i.keyword != "FROM" && i.keyword != "ARG") {
        return Err("failed to process \"FROM\": no build stage in current context".into());
    }
    if out.is_empty() {
        return Err("the Dockerfile (Dockerfile) cannot be empty".into());
    }
    Ok(out)
}

pub(crate) fn json_array(args: &str) -> Option<Vec<String>> {
    if !args.trim_start().starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(args).ok()
}

pub(crate) fn sub_vars(s: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = s.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("${{{k}}}"), v).replace(&format!("${k}"), v);
    }
    out
}

pub(crate) fn kv_pairs(args: &str) -> Vec<(String, String)> {
    let words = crate::util::shell_words(args).unwrap_or_default();
    if words.len() >= 2 && !words[0].contains('=') {
        return vec![(words[0].clone(), words[1..].join(" "))];
    }
    words.iter().filter_map(|w| w.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))).collect()
}

/// The stage name of a `FROM image AS name` (lower case, as docker keeps it).
pub(crate) fn stage_name(from_args: &str) -> Option<String> {
    let words: Vec<&str> = from_args.split_whitespace().collect();
    match words.as_slice() {
        [.., kw, name] if kw.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
        _ => None,
    }
}

/// Applies one `--change` instruction (`CMD ["sh"]`, `ENV A=1`,
/// `EXPOSE 80`, ...) to `cfg`, as `docker commit -c` and `docker import -c`
/// do; other instructions are the daemon's 400.
pub(crate) fn apply_change(cfg: &mut ImageConfig, change: &str) -> Result<(), ApiErr> {
    let (kw, args) = change.trim().split_once(char::is_whitespace).unwrap_or((change.trim(), ""));
    let args = args.trim();
    let array = || serde_json::from_str::<Vec<String>>(args).ok();
    let shell = || vec!["/bin/sh".to_string(), "-c".to_string(), args.to_string()];
    match kw.to_ascii_uppercase().as_str() {
        "CMD" => cfg.cmd = array().unwrap_or_else(shell),
        "ENTRYPOINT" => cfg.entrypoint = array().unwrap_or_else(shell),
        "ENV" => {
            let kv = if args.contains('=') { args.to_string() } else { args.replacen(' ', "=", 1) };
            cfg.env.push(kv);
        }
        "WORKDIR" => cfg.workdir = args.to_string(),
        "USER" => cfg.user = args.to_string(),
        "EXPOSE" => cfg
            .exposed_ports
            .extend(args.split_whitespace().map(|p| if p.contains('/') { p.to_string() } else { format!("{p}/tcp") })),
        "LABEL" => {
            if let Some((k, v)) = args.split_once('=') {
                cfg.labels.insert(k.to_string(), v.trim_matches('"').to_string());
            }
        }
        "VOLUME" => cfg.volumes.extend(array().unwrap_or_else(|| args.split_whitespace().map(String::from).collect())),
        other => return Err(err(400, format!("{} is not a valid change command", other.to_ascii_lowercase()))),
    }
    Ok(())
}
