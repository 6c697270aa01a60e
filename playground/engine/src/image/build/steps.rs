//! What the builder's steps do: a `RUN` in a temporary container, the files
//! a `COPY`/`ADD` brings (from the context or another stage), and the
//! settings instructions change in the image config.

use std::collections::BTreeMap;

use crate::image::build::dockerfile::{Instruction, json_array, kv_pairs};
use crate::state::*;
use crate::util::glob::path_match;
use crate::util::{TarEntry, sha256_hex};

pub(crate) fn run_in_temp(
    st: &mut State,
    tmp: &str,
    image: &Image,
    config: &ImageConfig,
    vars: &BTreeMap<String, String>,
    argv: &[String],
    opts: &super::BuildOptions,
) -> (i32, Vec<(u8, String)>, Fs) {
    let extra_hosts = &opts.extra_hosts;
    // `--network NAME`: the step's container is on that network (`none`,
    // `host`, `bridge` and `default`: on none the simulation resolves in).
    let mode = opts.network_mode.as_str();
    let network = st
        .networks
        .values()
        .filter(|_| !matches!(mode, "" | "default" | "bridge" | "host" | "none"))
        .find(|n| n.name == mode || n.id == mode || (mode.len() >= 12 && n.id.starts_with(mode)))
        .map(|n| {
            let ep = Endpoint {
                network_id: n.id.clone(),
                endpoint_id: String::new(),
                ip: String::new(),
                gateway: n.gateway.clone(),
                mac: String::new(),
                aliases: Vec::new(),
                kept: BTreeMap::new(),
            };
            (n.name.clone(), ep)
        });
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
        cmd: argv.to_vec(),
        env,
        workdir: config.workdir.clone(),
        user: config.user.clone(),
        status: Status::Running,
        pid: 1,
        started_ms: Some(st.clock_ms),
        starts: 1,
        // `host:ip` given; /etc/hosts has `ip\thost`.
        extra_hosts: extra_hosts
            .iter()
            .filter_map(|h| h.split_once(':').map(|(host, ip)| format!("{ip}\t{host}")))
            .collect(),
        networks: network.into_iter().collect(),
        processes: vec![Process {
            pid: 1,
            host_pid: 1,
            argv: argv.to_vec(),
            program: Program::Forever,
            user: "root".into(),
            started_ms: st.clock_ms,
            shell: String::new(),
        }],
        ..Container::new(tmp, &format!("build_{}", &tmp[..12]), &img.id, st.clock_ms)
    };
    st.containers.insert(tmp.to_string(), c);
    let mut ctx = crate::programs::Ctx::for_container(st, tmp);
    let mut flow = crate::programs::run_argv(st, tmp, &mut ctx, argv);
    // A RUN that sleeps finishes its sleep at build time.
    for _ in 0..100 {
        match flow {
            crate::programs::Flow::Sleep { until_ms, rest } => {
                st.clock_ms = st.clock_ms.max(until_ms);
                flow = crate::programs::run_script(st, tmp, &mut ctx, &rest.join("\n"));
            }
            _ => break,
        }
    }
    let code = match flow {
        crate::programs::Flow::Exit(c) | crate::programs::Flow::Quit(c) => c,
        _ => 0,
    };
    let out = ctx.take_output();
    let rw = st.containers.remove(tmp).map(|c| c.rw).unwrap_or_default();
    st.images.remove(&img.id);
    (code, out, rw)
}

/// An image's files as build-context entries (links followed), for
/// `COPY --from`.
pub(crate) fn image_entries(fs: &Fs) -> Vec<TarEntry> {
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

/// Whether context path `path` is what `pattern` (a `.dockerignore` line,
/// a `COPY` source with wildcards) names: the path or one of its parent
/// directories matches it as Go's `path.Match` (docker's rule: `*.log` is
/// the `.log` files at the top, `*/*.log` one level down).
pub(crate) fn glob_path(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_end_matches('/');
    let mut prefix = path;
    loop {
        if path_match(pattern, prefix) {
            return true;
        }
        match prefix.rsplit_once('/') {
            Some((parent, _)) => prefix = parent,
            None => return false,
        }
    }
}

/// The files a COPY/ADD brings: `(absolute destination, node)`.
pub(crate) fn collect_copy(context: &[TarEntry], args: &str, workdir: &str) -> Result<Vec<(String, Node)>, String> {
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

/// What a setting instruction (`WORKDIR`, `ENV`, `ARG`, `EXPOSE`, `CMD`,
/// `ENTRYPOINT`, `LABEL`, `MAINTAINER`, `USER`, `VOLUME`) changes in the
/// config and the stage's variables. `args` has the variables substituted;
/// `cli_label` is a `--label` of the command line (taken as written).
pub(crate) fn configure(
    config: &mut ImageConfig,
    vars: &mut BTreeMap<String, String>,
    ins: &Instruction,
    args: &str,
    cli_label: bool,
    build_args: &BTreeMap<String, String>,
) {
    let shell_form = || vec!["/bin/sh".to_string(), "-c".to_string(), args.to_string()];
    match ins.keyword.as_str() {
        "WORKDIR" => {
            config.workdir = crate::fs::normalize(if config.workdir.is_empty() { "/" } else { &config.workdir }, args);
        }
        "ENV" => {
            for (k, v) in kv_pairs(args) {
                config.env.retain(|e| e.split('=').next() != Some(k.as_str()));
                config.env.push(format!("{k}={v}"));
                vars.insert(k, v);
            }
        }
        "ARG" => {
            for w in crate::util::shell_words(args).unwrap_or_default() {
                let (k, v) = w
                    .split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .unwrap_or((w.clone(), String::new()));
                let v = build_args.get(&k).cloned().unwrap_or(v);
                vars.insert(k, v);
            }
        }
        "EXPOSE" => {
            for p in args.split_whitespace() {
                config.exposed_ports.insert(if p.contains('/') { p.to_string() } else { format!("{p}/tcp") });
            }
        }
        "CMD" => config.cmd = json_array(args).unwrap_or_else(shell_form),
        "ENTRYPOINT" => {
            config.entrypoint = json_array(args).unwrap_or_else(shell_form);
            config.cmd.clear();
        }
        "LABEL" | "MAINTAINER" => {
            let pairs = if cli_label {
                ins.args.split_once('=').map(|(k, v)| vec![(k.to_string(), v.to_string())]).unwrap_or_default()
            } else if ins.keyword == "MAINTAINER" {
                vec![("maintainer".to_string(), args.to_string())]
            } else {
                kv_pairs(args)
            };
            config.labels.extend(pairs);
        }
        "USER" => config.user = args.to_string(),
        "VOLUME" => {
            let vols = json_array(args).unwrap_or_else(|| args.split_whitespace().map(String::from).collect());
            config.volumes.extend(vols);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_and_copy_patterns_match_per_path_component() {
        assert!(glob_path("a.txt", "a.txt"));
        assert!(glob_path("dir", "dir/sub/x"));
        assert!(glob_path("dir/", "dir/x"));
        assert!(glob_path("*.txt", "a.txt"));
        assert!(glob_path("*.md", "README.md"));
        // Several stars (the old matcher split at the first one only).
        assert!(glob_path("*-*.txt", "notes-2024.txt"));
        assert!(!glob_path("*-*.txt", "notes.txt"));
        // A star stays within a component, as docker's .dockerignore.
        assert!(!glob_path("*.log", "logs/app.log"));
        assert!(glob_path("*/*.log", "logs/app.log"));
        assert!(glob_path("build*", "build-out/x.o"));
        assert!(!glob_path("dir", "dirt"));
    }
}
