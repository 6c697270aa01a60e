//! The classic Dockerfile builder (with its layer cache), `commit` (a
//! container's writable layer as an image layer) and `push`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::api::Reply;
use crate::catalog::image_id;
use crate::sim::{ApiErr, Reference, err};
use crate::state::*;
use crate::util::{TarEntry, sha256_hex, untar};

struct Out(Vec<u8>);

impl Out {
    fn stream(&mut self, text: impl Into<String>) {
        self.json(json!({"stream": text.into()}));
    }
    fn json(&mut self, v: Value) {
        self.0.extend_from_slice(v.to_string().as_bytes());
        self.0.extend_from_slice(b"\r\n");
    }
    fn error(mut self, message: String) -> Result<Reply, ApiErr> {
        self.json(json!({"errorDetail": {"message": message}, "error": message}));
        Ok(Reply::Stream(200, "application/json", dockhand::Body::full(self.0)))
    }
}

/// A Dockerfile instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Its line number (1-based).
    pub line: usize,
    /// `RUN`, upper case.
    pub keyword: String,
    /// The rest of the line.
    pub args: String,
}

/// Parses a Dockerfile: comments, line continuations, keywords.
pub fn parse_dockerfile(text: &str) -> Result<Vec<Instruction>, String> {
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

fn json_array(args: &str) -> Option<Vec<String>> {
    if !args.trim_start().starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(args).ok()
}

fn sub_vars(s: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = s.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("${{{k}}}"), v).replace(&format!("${k}"), v);
    }
    out
}

fn kv_pairs(args: &str) -> Vec<(String, String)> {
    let words = crate::util::shell_words(args).unwrap_or_default();
    if words.len() >= 2 && !words[0].contains('=') {
        return vec![(words[0].clone(), words[1..].join(" "))];
    }
    words.iter().filter_map(|w| w.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))).collect()
}

struct Stage {
    image: Image,
    vars: BTreeMap<String, String>,
}

fn short(id: &str) -> &str {
    &id[7.min(id.len())..19.min(id.len())]
}

fn pull_for_build(st: &mut State, reference: &str, out: &mut Out) -> Result<String, String> {
    if let Some(id) = st.find_image(reference) {
        return Ok(id);
    }
    let r = Reference::parse(reference).ok_or_else(|| format!("invalid reference format: {reference}"))?;
    let q = crate::api::Query::from_pairs(&[("fromImage", r.repo.as_str()), ("tag", r.tag.as_str())]);
    match crate::api::pull_for(st, &q) {
        Ok(Reply::Stream(_, _, _)) => {
            out.stream(format!(
                "{}: Pulling from {}\n",
                r.tag,
                if r.repo.contains('/') { r.repo.clone() } else { format!("library/{}", r.repo) }
            ));
            out.stream(format!("Status: Downloaded newer image for {}\n", r.key()));
            st.find_image(reference).ok_or_else(|| "pull failed".to_string())
        }
        Ok(_) => Err("pull failed".into()),
        Err(e) => Err(e.message),
    }
}

/// `POST /build`: runs a Dockerfile over the tar context in `body`.
pub fn build(st: &mut State, q: &crate::api::Query, body: &[u8]) -> Result<Reply, ApiErr> {
    let context = untar(body).map_err(|e| err(400, format!("failed to read build context: {e}")))?;
    let dockerfile_name =
        q.get("dockerfile").filter(|d| !d.is_empty()).unwrap_or("Dockerfile").trim_start_matches("./").to_string();
    let Some(df) = context.iter().find(|e| e.path == dockerfile_name && !e.dir) else {
        return Err(err(500, format!("Cannot locate specified Dockerfile: {dockerfile_name}")));
    };
    let text = String::from_utf8_lossy(&df.data).into_owned();
    let mut out = Out(Vec::new());
    let instructions = match parse_dockerfile(&text) {
        Ok(i) => i,
        Err(e) => return Err(err(400, e)),
    };
    let ignore: Vec<String> = context
        .iter()
        .find(|e| e.path == ".dockerignore")
        .map(|e| {
            String::from_utf8_lossy(&e.data)
                .lines()
                .map(|l| l.trim().trim_start_matches("./").to_string())
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        })
        .unwrap_or_default();
    let context: Vec<TarEntry> =
        context.into_iter().filter(|e| !ignore.iter().any(|p| glob_path(p, &e.path))).collect();
    let nocache = q.flag_pub("nocache");
    let build_args: BTreeMap<String, String> =
        q.get("buildargs").and_then(|b| serde_json::from_str(b).ok()).unwrap_or_default();
    let tags: Vec<String> = q.all("t");
    for t in &tags {
        if Reference::parse(t).is_none() {
            return Err(err(400, format!("invalid reference format: repository name ({t}) must be lowercase")));
        }
    }
    // `--target`: the build stops at the end of that stage.
    let mut instructions = instructions;
    if let Some(target) = q.get("target").filter(|t| !t.is_empty()) {
        let start = instructions
            .iter()
            .position(|i| i.keyword == "FROM" && stage_name(&i.args).as_deref() == Some(&target.to_ascii_lowercase()))
            .ok_or_else(|| err(400, format!("failed to reach build target {target} in Dockerfile")))?;
        let end = instructions[start + 1..]
            .iter()
            .position(|i| i.keyword == "FROM")
            .map_or(instructions.len(), |e| start + 1 + e);
        instructions.truncate(end);
    }
    // `--label k=v`: one LABEL step each, sorted, at the end (as the
    // classic builder adds them to the last stage).
    let label_from = instructions.len();
    let labels: BTreeMap<String, String> =
        q.get("labels").and_then(|l| serde_json::from_str(l).ok()).unwrap_or_default();
    for (k, v) in labels {
        instructions.push(Instruction { line: 0, keyword: "LABEL".into(), args: format!("{k}={v}") });
    }
    let total = instructions.len();
    let mut stage: Option<Stage> = None;
    // Finished stages: their name (`AS name`) and image.
    let mut done: Vec<(Option<String>, Image)> = Vec::new();
    let mut stage_label: Option<String> = None;
    let mut global_args: BTreeMap<String, String> = BTreeMap::new();
    let mut hits = 0;
    let mut misses = 0;
    for (n, ins) in instructions.iter().enumerate() {
        out.stream(format!("Step {}/{} : {} {}", n + 1, total, ins.keyword, ins.args));
        out.stream("\n");
        let vars = stage.as_ref().map(|s| s.vars.clone()).unwrap_or_else(|| global_args.clone());
        let args = if matches!(ins.keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT") {
            ins.args.clone()
        } else {
            sub_vars(&ins.args, &vars)
        };
        if ins.keyword == "FROM" {
            if let Some(prev) = stage.take() {
                done.push((stage_label.take(), prev.image));
            }
            stage_label = stage_name(&args);
            let words: Vec<&str> = args.split_whitespace().filter(|w| !w.starts_with("--")).collect();
            let reference = words.first().copied().unwrap_or("");
            // An earlier stage by name.
            if let Some((_, image)) =
                done.iter().rev().find(|(n, _)| n.as_deref() == Some(&reference.to_ascii_lowercase()))
            {
                let image = image.clone();
                out.stream(format!(" ---> {}\n", short(&image.parent)));
                let mut vars = global_args.clone();
                for kv in &image.config.env {
                    if let Some((k, v)) = kv.split_once('=') {
                        vars.insert(k.into(), v.into());
                    }
                }
                stage = Some(Stage { image, vars });
                continue;
            }
            if reference == "scratch" {
                let image = Image {
                    id: String::new(),
                    parent: String::new(),
                    layers: vec![],
                    config: ImageConfig::default(),
                    created_ms: st.clock_ms,
                    size: 0,
                    history: vec![],
                    repo_digests: vec![],
                    comment: String::new(),
                };
                stage = Some(Stage { image, vars: global_args.clone() });
                out.stream(" ---> \n");
                continue;
            }
            let id = match pull_for_build(st, reference, &mut out) {
                Ok(id) => id,
                Err(e) => return out.error(e),
            };
            let mut image = st.images[&id].clone();
            image.parent = String::new();
            let mut vars = global_args.clone();
            for kv in &image.config.env {
                if let Some((k, v)) = kv.split_once('=') {
                    vars.insert(k.into(), v.into());
                }
            }
            image.parent = id.clone();
            stage = Some(Stage { image, vars });
            out.stream(format!(" ---> {}\n", short(&id)));
            continue;
        }
        if ins.keyword == "ARG" && stage.is_none() {
            for (k, v) in kv_pairs(&args)
                .into_iter()
                .chain(args.split_whitespace().filter(|w| !w.contains('=')).map(|w| (w.to_string(), String::new())))
            {
                let v = build_args.get(&k).cloned().unwrap_or(v);
                global_args.insert(k, v);
            }
            continue;
        }
        let Some(cur) = stage.as_mut() else { return out.error("no build stage in current context".into()) };
        // The cache key: parent, instruction, and the content it copies.
        let from = args.split_whitespace().find_map(|w| w.strip_prefix("--from=")).map(str::to_string);
        let copied = if let Some(from) = from.filter(|_| matches!(ins.keyword.as_str(), "COPY" | "ADD")) {
            // `COPY --from=`: a finished stage (by name or index) or an image.
            let layers = match done.iter().find(|(n, _)| n.as_deref() == Some(&from.to_ascii_lowercase())) {
                Some((_, image)) => Some(image.layers.clone()),
                None => match from.parse::<usize>() {
                    Ok(i) if i < done.len() => Some(done[i].1.layers.clone()),
                    Ok(i) => return out.error(format!("invalid from flag value {i}: refers to current build stage")),
                    Err(_) => match pull_for_build(st, &from, &mut out) {
                        Ok(id) => st.images.get(&id).map(|i| i.layers.clone()),
                        Err(e) => return out.error(e),
                    },
                },
            };
            let entries = image_entries(&st.layers_fs(&layers.unwrap_or_default()));
            collect_copy(&entries, &args, &cur.image.config.workdir)
        } else if matches!(ins.keyword.as_str(), "COPY" | "ADD") {
            collect_copy(&context, &args, &cur.image.config.workdir)
        } else {
            Ok(Vec::new())
        };
        let copied = match copied {
            Ok(c) => c,
            Err(e) => return out.error(e),
        };
        let content_hash = sha256_hex(
            serde_json::to_string(&copied.iter().map(|(p, d)| (p, d)).collect::<Vec<_>>())
                .unwrap_or_default()
                .as_bytes(),
        );
        let key = sha256_hex(
            format!("{}\n{} {}\n{}\n{:?}", cur.image.parent, ins.keyword, args, content_hash, build_args).as_bytes(),
        );
        if !nocache && let Some(id) = st.build_cache.get(&key).cloned().filter(|id| st.images.contains_key(id)) {
            hits += 1;
            out.stream(" ---> Using cache\n");
            out.stream(format!(" ---> {}\n", short(&id)));
            let mut image = st.images[&id].clone();
            image.parent = id.clone();
            cur.image = image;
            if ins.keyword == "ENV" || ins.keyword == "ARG" {
                for (k, v) in kv_pairs(&args) {
                    cur.vars.insert(k, v);
                }
            }
            continue;
        }
        misses += 1;
        let mut config = cur.image.config.clone();
        let mut new_layer: Option<Fs> = None;
        match ins.keyword.as_str() {
            "RUN" => {
                let argv = json_array(&args).unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into(), args.clone()]);
                let shown = if json_array(&args).is_some() { argv.join(" ") } else { format!("/bin/sh -c {args}") };
                let tmp = st.new_id();
                out.stream(format!(" ---> Running in {}\n", &tmp[..12]));
                let (code, text, rw) = run_in_temp(st, &tmp, &cur.image, &config, &cur.vars, &argv);
                for (_, t) in text {
                    out.stream(t);
                }
                if code != 0 {
                    let message = format!("The command '{shown}' returned a non-zero code: {code}");
                    out.json(json!({"errorDetail": {"code": code, "message": message}, "error": message}));
                    return Ok(Reply::Stream(200, "application/json", dockhand::Body::full(out.0)));
                }
                out.stream(format!("Removing intermediate container {}\n", &tmp[..12]));
                new_layer = Some(rw);
            }
            "COPY" | "ADD" => {
                let mut fs = Fs::new();
                for (path, node) in copied {
                    crate::catalog::dirs_for(&mut fs, &path);
                    fs.insert(path, node);
                }
                new_layer = Some(fs);
            }
            "WORKDIR" => {
                config.workdir =
                    crate::fs::normalize(if config.workdir.is_empty() { "/" } else { &config.workdir }, &args);
                let mut fs = Fs::new();
                crate::catalog::dirs_for(&mut fs, &format!("{}/x", config.workdir));
                new_layer = Some(fs).filter(|_| false);
            }
            "ENV" => {
                for (k, v) in kv_pairs(&args) {
                    config.env.retain(|e| e.split('=').next() != Some(k.as_str()));
                    config.env.push(format!("{k}={v}"));
                    cur.vars.insert(k, v);
                }
            }
            "ARG" => {
                for w in crate::util::shell_words(&args).unwrap_or_default() {
                    let (k, v) = w
                        .split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .unwrap_or((w.clone(), String::new()));
                    let v = build_args.get(&k).cloned().unwrap_or(v);
                    cur.vars.insert(k, v);
                }
            }
            "EXPOSE" => {
                for p in args.split_whitespace() {
                    config.exposed_ports.insert(if p.contains('/') { p.to_string() } else { format!("{p}/tcp") });
                }
            }
            "CMD" => {
                config.cmd = json_array(&args).unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into(), args.clone()])
            }
            "ENTRYPOINT" => {
                config.entrypoint =
                    json_array(&args).unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into(), args.clone()]);
                config.cmd.clear();
            }
            "LABEL" | "MAINTAINER" => {
                let pairs = if n >= label_from {
                    ins.args.split_once('=').map(|(k, v)| vec![(k.to_string(), v.to_string())]).unwrap_or_default()
                } else if ins.keyword == "MAINTAINER" {
                    vec![("maintainer".to_string(), args.clone())]
                } else {
                    kv_pairs(&args)
                };
                config.labels.extend(pairs);
            }
            "USER" => config.user = args.clone(),
            "VOLUME" => {
                let vols = json_array(&args).unwrap_or_else(|| args.split_whitespace().map(String::from).collect());
                config.volumes.extend(vols);
            }
            _ => {}
        }
        let mut layers = cur.image.layers.clone();
        let mut size = cur.image.size;
        let mut added = 0;
        if let Some(files) = new_layer.filter(|f| !f.is_empty()) {
            added = files_size(&files) + 512;
            let digest = format!(
                "sha256:{}",
                sha256_hex(format!("{}{}", key, serde_json::to_string(&files).unwrap_or_default()).as_bytes())
            );
            st.layers.insert(digest.clone(), Layer { digest: digest.clone(), files, size: added });
            layers.push(digest);
            size += added;
        }
        let created_by = match ins.keyword.as_str() {
            "RUN" => format!("/bin/sh -c {args}"),
            k => format!("/bin/sh -c #(nop) {k} {args}"),
        };
        let mut history = cur.image.history.clone();
        history.push(History {
            created_ms: st.clock_ms,
            created_by,
            empty_layer: added == 0,
            size: added,
            comment: String::new(),
        });
        let id = image_id(&layers, &config, &cur.image.parent, st.clock_ms.wrapping_add(n as u64));
        let image = Image {
            id: id.clone(),
            parent: cur.image.parent.clone(),
            layers,
            config,
            created_ms: st.clock_ms,
            size,
            history,
            repo_digests: vec![],
            comment: String::new(),
        };
        st.images.insert(id.clone(), image.clone());
        st.build_cache.insert(key, id.clone());
        // The classic builder commits a setting (ENV, LABEL, CMD, ...) from a
        // container it creates and removes at once, as dockerd 20.10 prints.
        if !matches!(ins.keyword.as_str(), "RUN" | "COPY" | "ADD") {
            let tmp = st.new_id();
            out.stream(format!(" ---> Running in {}\nRemoving intermediate container {}\n", &tmp[..12], &tmp[..12]));
        }
        out.stream(format!(" ---> {}\n", short(&id)));
        let mut next = image;
        next.parent = id;
        cur.image = next;
    }
    let Some(stage) = stage else { return out.error("no build stage in current context".into()) };
    let final_id = stage.image.parent.clone();
    if final_id.is_empty() {
        return out.error("No image was generated. Is your Dockerfile empty?".into());
    }
    out.json(json!({"aux": {"ID": final_id}}));
    out.stream(format!("Successfully built {}\n", short(&final_id)));
    for t in &tags {
        if let Some(r) = Reference::parse(t) {
            st.tags.insert(r.key(), final_id.clone());
            out.stream(format!("Successfully tagged {}\n", r.key()));
        }
    }
    let _ = (hits, misses);
    st.event("image", "build", &final_id, &[]);
    Ok(Reply::Stream(200, "application/json", dockhand::Body::full(out.0)))
}

/// The stage name of a `FROM image AS name` (lower case, as docker keeps it).
fn stage_name(from_args: &str) -> Option<String> {
    let words: Vec<&str> = from_args.split_whitespace().collect();
    match words.as_slice() {
        [.., kw, name] if kw.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
        _ => None,
    }
}

/// An image's files as build-context entries (links followed), for
/// `COPY --from`.
fn image_entries(fs: &Fs) -> Vec<TarEntry> {
    let mut out = Vec::new();
    for (path, node) in fs {
        let rel = path.trim_start_matches('/').to_string();
        if rel.is_empty() {
            continue;
        }
        let mut node = node;
        let mut hops = 0;
        while let Node::Link { target } = node {
            let parent = path.rsplit_once('/').map(|(p, _)| p).unwrap_or("/");
            match fs.get(&crate::fs::normalize(if parent.is_empty() { "/" } else { parent }, target)) {
                Some(n) if hops < 8 => node = n,
                _ => break,
            }
            hops += 1;
        }
        match node {
            Node::Dir => out.push(TarEntry { path: rel, dir: true, data: Vec::new() }),
            Node::File { data } => out.push(TarEntry { path: rel, dir: false, data: data.as_bytes().to_vec() }),
            _ => {}
        }
    }
    out
}

fn glob_path(pattern: &str, path: &str) -> bool {
    if pattern == path || path.starts_with(&format!("{}/", pattern.trim_end_matches('/'))) {
        return true;
    }
    if let Some((a, b)) = pattern.split_once('*') {
        return path.starts_with(a) && path.ends_with(b) && path.len() >= a.len() + b.len();
    }
    false
}

/// The files a COPY/ADD brings: `(absolute destination, node)`.
fn collect_copy(context: &[TarEntry], args: &str, workdir: &str) -> Result<Vec<(String, Node)>, String> {
    let mut words: Vec<String> = json_array(args).unwrap_or_else(|| crate::util::shell_words(args).unwrap_or_default());
    words.retain(|w| !w.starts_with("--"));
    if words.len() < 2 {
        return Err("COPY requires at least two arguments".into());
    }
    let dest_raw = words.pop().unwrap_or_default();
    let wd = if workdir.is_empty() { "/" } else { workdir };
    let dest = crate::fs::normalize(wd, &dest_raw);
    let dest_is_dir = dest_raw.ends_with('/') || words.len() > 1 || dest_raw == ".";
    let mut out = Vec::new();
    for src in &words {
        let src = src.trim_start_matches("./").trim_start_matches('/').trim_end_matches('/');
        let src = if src == "." { "" } else { src };
        let mut found = false;
        for e in context {
            let rel = if src.is_empty() {
                Some(e.path.clone())
            } else if e.path == src {
                Some(String::new())
            } else if let Some(r) = e.path.strip_prefix(&format!("{src}/")) {
                Some(r.to_string())
            } else if src.contains('*') && glob_path(src, &e.path) && !e.path.contains('/') {
                Some(e.path.clone())
            } else {
                None
            };
            let Some(rel) = rel else { continue };
            found = true;
            let node =
                if e.dir { Node::Dir } else { Node::File { data: String::from_utf8_lossy(&e.data).into_owned() } };
            let target = if rel.is_empty() {
                if dest_is_dir || e.dir {
                    format!("{}/{}", dest.trim_end_matches('/'), e.path.rsplit('/').next().unwrap_or(""))
                } else {
                    dest.clone()
                }
            } else {
                format!("{}/{}", dest.trim_end_matches('/'), rel)
            };
            let target = if e.dir && rel.is_empty() && !src.is_empty() { dest.clone() } else { target };
            out.push((crate::fs::normalize("/", &target), node));
        }
        if !found {
            return Err(format!(
                "COPY failed: file not found in build context or excluded by .dockerignore: stat {src}: file does not exist"
            ));
        }
    }
    Ok(out)
}

fn run_in_temp(
    st: &mut State,
    tmp: &str,
    image: &Image,
    config: &ImageConfig,
    vars: &BTreeMap<String, String>,
    argv: &[String],
) -> (i32, Vec<(u8, String)>, Fs) {
    let mut img = image.clone();
    img.id = format!("sha256:{}", sha256_hex(tmp.as_bytes()));
    img.config = config.clone();
    st.images.insert(img.id.clone(), img.clone());
    let mut env = config.env.clone();
    for (k, v) in vars {
        if !env.iter().any(|e| e.split('=').next() == Some(k.as_str())) {
            env.push(format!("{k}={v}"));
        }
    }
    let c = Container {
        id: tmp.to_string(),
        name: format!("build_{}", &tmp[..12]),
        image_ref: String::new(),
        image_id: img.id.clone(),
        entrypoint: vec![],
        cmd: argv.to_vec(),
        env,
        workdir: config.workdir.clone(),
        user: config.user.clone(),
        hostname: tmp[..12].to_string(),
        labels: BTreeMap::new(),
        tty: false,
        open_stdin: false,
        exposed_ports: Default::default(),
        ports: vec![],
        mounts: vec![],
        auto_remove: false,
        restart_policy: "no".into(),
        restart_max: 0,
        memory: 0,
        nano_cpus: 0,
        network_mode: "bridge".into(),
        status: Status::Running,
        pid: 1,
        exit_code: 0,
        error: String::new(),
        created_ms: st.clock_ms,
        started_ms: Some(st.clock_ms),
        finished_ms: None,
        restart_count: 0,
        stopped_by_user: false,
        starts: 1,
        exits: 0,
        networks: Map::new(),
        rw: Fs::new(),
        provided: Map::new(),
        read_only: false,
        extra_hosts: vec![],
        tmpfs: Map::new(),
        processes: vec![Process {
            pid: 1,
            host_pid: 1,
            argv: argv.to_vec(),
            program: Program::Forever,
            user: "root".into(),
            started_ms: st.clock_ms,
            shell: String::new(),
        }],
        logs: vec![],
        next_pid: 2,
        kv: BTreeMap::new(),
        requests: 0,
    };
    st.containers.insert(tmp.to_string(), c);
    let mut ctx = crate::shell::Ctx::for_container(st, tmp);
    let mut flow = crate::shell::run_argv(st, tmp, &mut ctx, argv);
    // A RUN that sleeps finishes its sleep at build time.
    for _ in 0..100 {
        match flow {
            crate::shell::Flow::Sleep { until_ms, rest } => {
                st.clock_ms = st.clock_ms.max(until_ms);
                flow = crate::shell::run_script(st, tmp, &mut ctx, &rest.join("\n"));
            }
            _ => break,
        }
    }
    let code = match flow {
        crate::shell::Flow::Exit(c) | crate::shell::Flow::Quit(c) => c,
        _ => 0,
    };
    let out = ctx.take_output();
    let rw = st.containers.remove(tmp).map(|c| c.rw).unwrap_or_default();
    st.images.remove(&img.id);
    (code, out, rw)
}

/// Applies one `--change` instruction (`CMD ["sh"]`, `ENV A=1`,
/// `EXPOSE 80`, ...) to `cfg`, as `docker commit -c` and `docker import -c`
/// do; other instructions are the daemon's 400.
pub fn apply_change(cfg: &mut ImageConfig, change: &str) -> Result<(), ApiErr> {
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

/// `POST /commit`: the container's writable layer becomes a layer on top
/// of its image's; the config is the body's with `changes` applied, what
/// they leave unset taken from the container's (dockerd's `merge`).
pub fn commit(st: &mut State, q: &crate::api::Query, body: &[u8]) -> Result<Reply, ApiErr> {
    let name = q.get("container").unwrap_or("");
    let cid = st.find_container(name)?;
    let reference = match q.get("repo").filter(|r| !r.is_empty()) {
        Some(repo) => {
            let tag = q.get("tag").filter(|t| !t.is_empty()).unwrap_or("latest");
            let shown = format!("{repo}:{tag}");
            Some(Reference::parse(&shown).ok_or_else(|| err(400, format!("invalid reference format: {shown}")))?)
        }
        None => None,
    };
    let user = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
    let mut cfg = ImageConfig::from_json(&user);
    for change in q.all("changes") {
        apply_change(&mut cfg, &change)?;
    }
    let c = &st.containers[&cid];
    let base = st.images.get(&c.image_id).cloned().ok_or_else(|| err(404, format!("No such image: {}", c.image_id)))?;
    // dockerd's merge: what the user config leaves empty, the container's.
    if cfg.user.is_empty() {
        cfg.user = c.user.clone();
    }
    cfg.exposed_ports.extend(c.exposed_ports.iter().cloned());
    for kv in &c.env {
        let key = kv.split('=').next().unwrap_or("");
        if !cfg.env.iter().any(|e| e.split('=').next() == Some(key)) {
            cfg.env.push(kv.clone());
        }
    }
    for (k, v) in &c.labels {
        cfg.labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    if cfg.entrypoint.is_empty() {
        if cfg.cmd.is_empty() {
            cfg.cmd = c.cmd.clone();
        }
        cfg.entrypoint = c.entrypoint.clone();
    }
    if cfg.workdir.is_empty() {
        cfg.workdir = c.workdir.clone();
    }
    cfg.volumes.extend(base.config.volumes.iter().cloned());
    let files = c.rw.clone();
    let created_by = c.entrypoint.iter().chain(&c.cmd).cloned().collect::<Vec<_>>().join(" ");
    let comment = q.get("comment").unwrap_or("").to_string();
    let (digest, added) = st.add_layer(files);
    let mut layers = base.layers.clone();
    layers.push(digest);
    let now = st.clock_ms;
    let mut history = base.history.clone();
    history.push(History { created_ms: now, created_by, empty_layer: false, size: added, comment: comment.clone() });
    let id = image_id(&layers, &cfg, &base.id, now);
    let image = Image {
        id: id.clone(),
        parent: base.id.clone(),
        layers,
        config: cfg,
        created_ms: now,
        size: base.size + added,
        history,
        repo_digests: vec![],
        comment: comment.clone(),
    };
    st.images.insert(id.clone(), image);
    let image_ref = reference.as_ref().map(|r| r.key()).unwrap_or_default();
    if let Some(r) = &reference {
        st.tags.insert(r.key(), id.clone());
        st.event("image", "tag", &id, &[("name", r.key())]);
    }
    let container_name = st.containers[&cid].name.trim_start_matches('/').to_string();
    st.event(
        "container",
        "commit",
        &cid,
        &[("comment", comment), ("imageID", id.clone()), ("imageRef", image_ref), ("name", container_name)],
    );
    Ok(Reply::Json(201, json!({"Id": id})))
}

/// `POST /images/{name}/push`.
pub fn push(st: &mut State, name: &str, q: &crate::api::Query, headers: &http::HeaderMap) -> Result<Reply, ApiErr> {
    let tag = q.get("tag").filter(|t| !t.is_empty()).unwrap_or("latest");
    let r = Reference::parse(&format!("{name}:{tag}")).ok_or_else(|| err(400, "invalid reference format"))?;
    let Some(id) = st.tags.get(&r.key()).cloned() else {
        return Err(err(404, format!("An image does not exist locally with the tag: {}", r.repo)));
    };
    let user = headers
        .get(dockhand::headers::X_REGISTRY_AUTH)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::URL_SAFE
                .decode(h.trim())
                .or_else(|_| base64::engine::general_purpose::STANDARD.decode(h.trim()))
                .ok()?;
            let v: Value = serde_json::from_slice(&bytes).ok()?;
            v.get("username").and_then(Value::as_str).map(String::from)
        })
        .filter(|u| !u.is_empty());
    let namespace = r.repo.split('/').next().unwrap_or("").to_string();
    let mut out = Out(Vec::new());
    let shown =
        if r.repo.contains('/') { format!("docker.io/{}", r.repo) } else { format!("docker.io/library/{}", r.repo) };
    out.json(json!({"status": format!("The push refers to repository [{shown}]")}));
    let allowed = r.repo.contains('/')
        && (user.as_deref() == Some(namespace.as_str()) || st.registry.logins.contains(&namespace))
        || namespace.contains('.')
        || namespace.contains(':');
    let image = st.images[&id].clone();
    for d in image.layers.iter().rev() {
        out.json(json!({"status": "Preparing", "progressDetail": {}, "id": &d[7..19]}));
    }
    if !allowed {
        return out.error("denied: requested access to the resource is denied".into());
    }
    let mut size = 0;
    for d in image.layers.iter().rev() {
        let s = &d[7..19];
        if st.registry.blobs.contains(d) {
            out.json(json!({"status": "Layer already exists", "progressDetail": {}, "id": s}));
        } else {
            let total = st.layers.get(d).map(|l| l.size).unwrap_or(0);
            out.json(json!({"status": "Pushing", "progressDetail": {"current": total, "total": total}, "id": s}));
            out.json(json!({"status": "Pushed", "progressDetail": {}, "id": s}));
            st.registry.blobs.insert(d.clone());
        }
        size += 1;
    }
    let digest = format!("sha256:{}", sha256_hex(format!("manifest {id}").as_bytes()));
    let msize = 500 + 100 * size;
    out.json(json!({"status": format!("{tag}: digest: {digest} size: {msize}")}));
    out.json(json!({"progressDetail": {}, "aux": {"Tag": tag, "Digest": digest, "Size": msize}}));
    let mut pushed = image.clone();
    let rd = format!("{}@{digest}", r.repo);
    if !pushed.repo_digests.contains(&rd) {
        pushed.repo_digests.push(rd.clone());
    }
    if let Some(local) = st.images.get_mut(&id)
        && !local.repo_digests.contains(&rd)
    {
        local.repo_digests.push(rd);
    }
    st.registry.repos.entry(r.repo.clone()).or_default().insert(tag.to_string(), pushed);
    st.event("image", "push", &id, &[("name", r.key())]);
    Ok(Reply::Stream(200, "application/json", dockhand::Body::full(out.0)))
}
