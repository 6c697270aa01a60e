//! The images Docker Hub holds in the simulation: hello-world, busybox,
//! alpine, nginx, redis, python. Their files are small stand-ins; their
//! reported sizes are the real images'.

use std::collections::BTreeMap;

use crate::state::{Fs, History, Image, ImageConfig, Layer, Node, State};
use crate::util::sha256_hex;

/// When the catalog's images were "created" (2025-06-01).
const CATALOG_MS: u64 = 1_748_736_000_000;

/// The busybox applets the simulated shell knows.
pub const APPLETS: &[&str] = &[
    "sh", "ash", "echo", "ls", "cat", "ps", "hostname", "env", "sleep", "wget", "pwd", "mkdir", "touch", "rm",
    "whoami", "id", "uname", "date", "true", "false", "ping", "nslookup", "head", "tail", "grep", "wc", "printenv",
    "top", "cp", "mv", "ip", "ifconfig", "df", "free", "uptime", "which", "kill", "seq", "basename", "dirname", "test",
    "yes", "vi", "tty", "tr", "cut", "sort", "uniq", "tee", "httpd",
];

fn file(fs: &mut Fs, path: &str, data: &str) {
    dirs_for(fs, path);
    fs.insert(path.to_string(), Node::File { data: data.to_string() });
}

fn link(fs: &mut Fs, path: &str, target: &str) {
    dirs_for(fs, path);
    fs.insert(path.to_string(), Node::Link { target: target.to_string() });
}

/// Adds the parent directories of `path`.
pub fn dirs_for(fs: &mut Fs, path: &str) {
    let mut cur = String::new();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        cur.push('/');
        cur.push_str(part);
        fs.entry(cur.clone()).or_insert(Node::Dir);
    }
}

fn dir(fs: &mut Fs, path: &str) {
    dirs_for(fs, path);
    fs.insert(path.to_string(), Node::Dir);
}

fn base_dirs(fs: &mut Fs) {
    for d in
        ["/bin", "/dev", "/etc", "/home", "/proc", "/root", "/sys", "/tmp", "/usr", "/var", "/usr/bin", "/usr/sbin"]
    {
        dir(fs, d);
    }
    file(
        fs,
        "/etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n",
    );
    file(fs, "/etc/group", "root:x:0:\ndaemon:x:1:\nwheel:x:10:root\nnogroup:x:65534:\n");
}

fn busybox_files(fs: &mut Fs) {
    base_dirs(fs);
    file(fs, "/bin/busybox", "#!sim:busybox");
    for applet in APPLETS {
        link(fs, &format!("/bin/{applet}"), "/bin/busybox");
    }
}

fn layer(files: Fs, size: u64, salt: &str) -> Layer {
    let text = serde_json::to_string(&files).unwrap_or_default();
    Layer { digest: format!("sha256:{}", sha256_hex(format!("{salt}\n{text}").as_bytes())), files, size }
}

/// Computes an image's id from its content.
pub fn image_id(layers: &[String], config: &ImageConfig, parent: &str, created_ms: u64) -> String {
    let text = serde_json::to_string(&(layers, config, parent, created_ms)).unwrap_or_default();
    format!("sha256:{}", sha256_hex(text.as_bytes()))
}

fn env(path: &str, extra: &[&str]) -> Vec<String> {
    let mut v = vec![format!("PATH={path}")];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The real `hello-world` greeting.
pub const HELLO: &str = "\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n\nTo generate this message, Docker took the following steps:\n 1. The Docker client contacted the Docker daemon.\n 2. The Docker daemon pulled the \"hello-world\" image from the Docker Hub.\n    (amd64)\n 3. The Docker daemon created a new container from that image which runs the\n    executable that produces the output you are currently reading.\n 4. The Docker daemon streamed that output to the Docker client, which sent it\n    to your terminal.\n\nTo try something more ambitious, you can run an Ubuntu container with:\n $ docker run -it ubuntu bash\n\nShare images, automate workflows, and more with a free Docker ID:\n https://hub.docker.com/\n\nFor more examples and ideas, visit:\n https://docs.docker.com/get-started/\n\n";

/// The nginx welcome page.
pub const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>\n";

struct Def {
    repo: &'static str,
    tags: &'static [&'static str],
    layers: Vec<(Fs, u64)>,
    config: ImageConfig,
    history: Vec<&'static str>,
}

fn defs() -> Vec<Def> {
    let mut out = Vec::new();

    let mut hello = Fs::new();
    file(&mut hello, "/hello", "#!sim:hello");
    out.push(Def {
        repo: "hello-world",
        tags: &["latest"],
        layers: vec![(hello, 13_256)],
        config: ImageConfig { cmd: vec!["/hello".into()], env: env(PATH, &[]), ..Default::default() },
        history: vec!["COPY hello / # buildkit", "CMD [\"/hello\"]"],
    });

    let mut bb = Fs::new();
    busybox_files(&mut bb);
    out.push(Def {
        repo: "busybox",
        tags: &["latest", "1.36", "1.37"],
        layers: vec![(bb, 4_277_910)],
        config: ImageConfig {
            cmd: vec!["sh".into()],
            env: env("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", &[]),
            ..Default::default()
        },
        history: vec!["ADD busybox.tar.xz / # buildkit", "CMD [\"sh\"]"],
    });

    let mut alp = Fs::new();
    busybox_files(&mut alp);
    file(&mut alp, "/etc/alpine-release", "3.22.0\n");
    file(
        &mut alp,
        "/etc/os-release",
        "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.22.0\nPRETTY_NAME=\"Alpine Linux v3.22\"\n",
    );
    file(&mut alp, "/sbin/apk", "#!sim:apk");
    for d in ["/lib", "/media", "/mnt", "/opt", "/run", "/sbin", "/srv"] {
        dir(&mut alp, d);
    }
    out.push(Def {
        repo: "alpine",
        tags: &["latest", "3.22", "3"],
        layers: vec![(alp, 8_310_000)],
        config: ImageConfig { cmd: vec!["/bin/sh".into()], env: env(PATH, &[]), ..Default::default() },
        history: vec!["ADD alpine-minirootfs-3.22.0-x86_64.tar.gz / # buildkit", "CMD [\"/bin/sh\"]"],
    });

    let mut deb = Fs::new();
    busybox_files(&mut deb);
    file(
        &mut deb,
        "/etc/os-release",
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nID=debian\n",
    );
    for d in ["/lib", "/media", "/mnt", "/opt", "/run", "/sbin", "/srv", "/boot"] {
        dir(&mut deb, d);
    }
    let mut ngx = Fs::new();
    file(&mut ngx, "/usr/sbin/nginx", "#!sim:nginx");
    file(&mut ngx, "/docker-entrypoint.sh", "#!sim:entrypoint");
    dir(&mut ngx, "/docker-entrypoint.d");
    file(&mut ngx, "/usr/share/nginx/html/index.html", NGINX_INDEX);
    file(&mut ngx, "/usr/share/nginx/html/50x.html", "<h1>An error occurred.</h1>\n");
    file(
        &mut ngx,
        "/etc/nginx/nginx.conf",
        "user  nginx;\nworker_processes  auto;\nevents {\n    worker_connections  1024;\n}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n",
    );
    file(
        &mut ngx,
        "/etc/nginx/conf.d/default.conf",
        "server {\n    listen       80;\n    server_name  localhost;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n",
    );
    dir(&mut ngx, "/var/log/nginx");
    dir(&mut ngx, "/var/cache/nginx");
    let mut ngx2 = Fs::new();
    file(&mut ngx2, "/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh", "#!/bin/sh\n");
    out.push(Def {
        repo: "nginx",
        tags: &["latest", "1.29", "stable"],
        layers: vec![(deb.clone(), 74_800_000), (ngx, 112_000_000), (ngx2, 3_000)],
        config: ImageConfig {
            cmd: vec!["nginx".into(), "-g".into(), "daemon off;".into()],
            entrypoint: vec!["/docker-entrypoint.sh".into()],
            env: env(PATH, &["NGINX_VERSION=1.29.0"]),
            exposed_ports: ["80/tcp".to_string()].into(),
            labels: BTreeMap::from([("maintainer".into(), "NGINX Docker Maintainers <docker-maint@nginx.com>".into())]),
            ..Default::default()
        },
        history: vec![
            "# debian.sh --arch 'amd64' out/ 'bookworm' '@1748736000'",
            "RUN /bin/sh -c set -x && apt-get install nginx # buildkit",
            "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit",
            "ENTRYPOINT [\"/docker-entrypoint.sh\"]",
            "EXPOSE map[80/tcp:{}]",
            "CMD [\"nginx\" \"-g\" \"daemon off;\"]",
        ],
    });

    let mut rds = Fs::new();
    file(&mut rds, "/usr/local/bin/redis-server", "#!sim:redis-server");
    file(&mut rds, "/usr/local/bin/redis-cli", "#!sim:redis-cli");
    file(&mut rds, "/usr/local/bin/docker-entrypoint.sh", "#!sim:entrypoint");
    dir(&mut rds, "/data");
    out.push(Def {
        repo: "redis",
        tags: &["latest", "8", "7"],
        layers: vec![(deb.clone(), 74_800_000), (rds, 42_300_000)],
        config: ImageConfig {
            cmd: vec!["redis-server".into()],
            entrypoint: vec!["docker-entrypoint.sh".into()],
            env: env(PATH, &["REDIS_VERSION=8.0.2"]),
            workdir: "/data".into(),
            exposed_ports: ["6379/tcp".to_string()].into(),
            volumes: ["/data".to_string()].into(),
            ..Default::default()
        },
        history: vec![
            "# debian.sh --arch 'amd64' out/ 'bookworm' '@1748736000'",
            "RUN /bin/sh -c set -eux; install redis # buildkit",
            "VOLUME [/data]",
            "WORKDIR /data",
            "ENTRYPOINT [\"docker-entrypoint.sh\"]",
            "EXPOSE map[6379/tcp:{}]",
            "CMD [\"redis-server\"]",
        ],
    });

    let mut py = Fs::new();
    file(&mut py, "/usr/local/bin/python3", "#!sim:python");
    link(&mut py, "/usr/local/bin/python", "/usr/local/bin/python3");
    file(&mut py, "/usr/local/bin/pip", "#!sim:pip");
    link(&mut py, "/usr/local/bin/pip3", "/usr/local/bin/pip");
    out.push(Def {
        repo: "python",
        tags: &["latest", "3.13", "3"],
        layers: vec![(deb, 74_800_000), (py, 945_000_000)],
        config: ImageConfig {
            cmd: vec!["python3".into()],
            env: env(PATH, &["LANG=C.UTF-8", "PYTHON_VERSION=3.13.5"]),
            ..Default::default()
        },
        history: vec![
            "# debian.sh --arch 'amd64' out/ 'bookworm' '@1748736000'",
            "RUN /bin/sh -c set -eux; install python # buildkit",
            "CMD [\"python3\"]",
        ],
    });
    out
}

/// Fills the registry of a fresh state with the catalog.
pub fn seed_registry(state: &mut State) {
    for def in defs() {
        let mut digests = Vec::new();
        let mut size = 0;
        for (i, (files, sz)) in def.layers.into_iter().enumerate() {
            let l = layer(files, sz, &format!("{}#{i}", if i == 0 { "base" } else { def.repo }));
            digests.push(l.digest.clone());
            size += l.size;
            state.registry.blobs.insert(l.digest.clone());
            state.layers.entry(l.digest.clone()).or_insert(l);
        }
        let id = image_id(&digests, &def.config, "", CATALOG_MS);
        let manifest = sha256_hex(format!("manifest {id}").as_bytes());
        let history = def
            .history
            .iter()
            .map(|h| History {
                created_ms: CATALOG_MS,
                created_by: h.to_string(),
                empty_layer: !(h.starts_with("ADD")
                    || h.starts_with("COPY")
                    || h.starts_with("RUN")
                    || h.starts_with('#')),
                size: 0,
            })
            .collect();
        let image = Image {
            id,
            parent: String::new(),
            layers: digests,
            config: def.config,
            created_ms: CATALOG_MS,
            size,
            history,
            repo_digests: vec![format!("{}@sha256:{manifest}", def.repo)],
            comment: String::new(),
        };
        let repo = state.registry.repos.entry(def.repo.to_string()).or_default();
        for tag in def.tags {
            repo.insert(tag.to_string(), image.clone());
        }
    }
}

// ---------------------------------------------------------------------------
// docker save / load / import: images as docker-save archives
// (manifest.json, repositories, <config>.json, <layer>/layer.tar) and root
// filesystem tars.
// ---------------------------------------------------------------------------

use serde_json::{Value, json};

use crate::sim::{ApiErr, Reference, err};
use crate::util::{TarEntry, rfc3339, tar, tar_nodes, untar, untar_nodes};

/// A layer's tar, as saved.
fn layer_tar(st: &State, digest: &str) -> Vec<u8> {
    match st.layers.get(digest) {
        Some(l) => tar_nodes(&l.files),
        None => tar_nodes(std::iter::empty()),
    }
}

/// The image config document docker writes for `img` with these diff ids.
fn config_doc(img: &Image, diff_ids: &[String]) -> Vec<u8> {
    let non_empty = img.history.iter().filter(|h| !h.empty_layer).count();
    let history: Vec<Value> = if non_empty == diff_ids.len() && !img.history.is_empty() {
        img.history
            .iter()
            .map(|h| {
                let mut v = json!({"created": rfc3339(h.created_ms), "created_by": h.created_by});
                if h.empty_layer {
                    v["empty_layer"] = json!(true);
                }
                v
            })
            .collect()
    } else {
        diff_ids.iter().map(|_| json!({"created": rfc3339(img.created_ms), "created_by": ""})).collect()
    };
    let cfg = crate::api::image_config_json(&img.config);
    let mut doc = json!({
        "architecture": "amd64",
        "config": cfg,
        "container_config": cfg,
        "created": rfc3339(img.created_ms),
        "docker_version": "20.10.24",
        "history": history,
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    });
    if !img.comment.is_empty() {
        doc["comment"] = json!(img.comment);
    }
    doc.to_string().into_bytes()
}

/// `GET /images/{name}/get` and `GET /images/get?names=`: a docker-save
/// archive of the images.
pub fn save(st: &State, names: &[String]) -> Result<Vec<u8>, ApiErr> {
    let mut files: crate::state::Map<String, TarEntry> = crate::state::Map::new();
    let mut manifest = Vec::new();
    // `{"repo": {"tag": "<layer id>"}}`, built as the JSON it is written as.
    let mut repositories = serde_json::Map::new();
    for name in names {
        let id = st.find_image(name).ok_or_else(|| err(404, format!("No such image: {name}")))?;
        let img = &st.images[&id];
        let by_id = id.trim_start_matches("sha256:").starts_with(name.trim_start_matches("sha256:"));
        let tags: Vec<String> =
            if by_id { Vec::new() } else { Reference::parse(name).map(|r| vec![r.key()]).unwrap_or_default() };
        let mut diff_ids = Vec::new();
        let mut layer_paths = Vec::new();
        let mut v1 = String::new();
        for digest in &img.layers {
            let data = layer_tar(st, digest);
            let diff = format!("sha256:{}", sha256_hex(&data));
            v1 = sha256_hex(format!("{v1}\n{diff}").as_bytes());
            layer_paths.push(format!("{v1}/layer.tar"));
            files.entry(v1.clone()).or_insert(TarEntry { path: v1.clone(), dir: true, data: vec![] });
            files.insert(
                format!("{v1}/VERSION"),
                TarEntry { path: format!("{v1}/VERSION"), dir: false, data: b"1.0".to_vec() },
            );
            let json = json!({"id": v1, "created": rfc3339(img.created_ms), "os": "linux"}).to_string();
            files.insert(
                format!("{v1}/json"),
                TarEntry { path: format!("{v1}/json"), dir: false, data: json.into_bytes() },
            );
            files.insert(format!("{v1}/layer.tar"), TarEntry { path: format!("{v1}/layer.tar"), dir: false, data });
            diff_ids.push(diff);
        }
        let config = config_doc(img, &diff_ids);
        let config_name = format!("{}.json", sha256_hex(&config));
        files.insert(config_name.clone(), TarEntry { path: config_name.clone(), dir: false, data: config });
        for t in &tags {
            if let Some((repo, tag)) = t.rsplit_once(':') {
                let tags = repositories.entry(repo.to_string()).or_insert_with(|| json!({}));
                if let Some(tags) = tags.as_object_mut() {
                    tags.insert(tag.to_string(), json!(v1));
                }
            }
        }
        manifest.push(json!({"Config": config_name, "RepoTags": if tags.is_empty() { Value::Null } else { json!(tags) }, "Layers": layer_paths}));
    }
    let mut entries: Vec<TarEntry> = files.into_iter().map(|(_, entry)| entry).collect();
    entries.push(TarEntry { path: "manifest.json".into(), dir: false, data: json!(manifest).to_string().into_bytes() });
    if !repositories.is_empty() {
        entries.push(TarEntry {
            path: "repositories".into(),
            dir: false,
            data: json!(repositories).to_string().into_bytes(),
        });
    }
    Ok(tar(&entries))
}

/// An image config's runtime part, from its JSON (`config` of a saved
/// image).
fn config_from_json(v: &Value) -> ImageConfig {
    let strings = |k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    let keys = |k: &str| {
        v.get(k).and_then(Value::as_object).map(|o| crate::util::set_of(o.keys().cloned())).unwrap_or_default()
    };
    ImageConfig {
        cmd: strings("Cmd"),
        entrypoint: strings("Entrypoint"),
        env: strings("Env"),
        workdir: v.get("WorkingDir").and_then(Value::as_str).unwrap_or("").to_string(),
        user: v.get("User").and_then(Value::as_str).unwrap_or("").to_string(),
        exposed_ports: keys("ExposedPorts"),
        labels: v
            .get("Labels")
            .and_then(Value::as_object)
            .map(|o| crate::util::map_of(o.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))))
            .unwrap_or_default(),
        volumes: keys("Volumes"),
    }
}

fn parse_ms(s: Option<&str>) -> Option<u64> {
    let t = time::OffsetDateTime::parse(s?, &time::format_description::well_known::Rfc3339).ok()?;
    u64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// The engine layer for a loaded layer tar: an existing layer with the same
/// content, or a new one.
fn adopt_layer(st: &mut State, data: &[u8], known: &mut Option<BTreeMap<String, String>>) -> Result<String, String> {
    let diff = format!("sha256:{}", sha256_hex(data));
    let known = known.get_or_insert_with(|| {
        crate::util::map_of(st.layers.keys().map(|d| (format!("sha256:{}", sha256_hex(&layer_tar(st, d))), d.clone())))
    });
    if let Some(d) = known.get(&diff) {
        return Ok(d.clone());
    }
    let files: Fs = crate::util::map_of(untar_nodes(data)?);
    st.layers.insert(diff.clone(), Layer { digest: diff.clone(), files, size: data.len() as u64 });
    known.insert(diff.clone(), diff.clone());
    Ok(diff)
}

/// `POST /images/load`: the JSON-stream lines (`Loaded image: ..`), or the
/// error the daemon streams.
pub fn load(st: &mut State, body: &[u8], quiet: bool) -> Result<Vec<Value>, String> {
    let entries = untar(body).map_err(|_| "Error processing tar file(exit status 1): unexpected EOF".to_string())?;
    let file = |p: &str| entries.iter().find(|e| e.path == p && !e.dir).map(|e| e.data.clone());
    let tmp = format!("/var/lib/docker/tmp/docker-import-{}", st.clock_ms % 1_000_000_000);
    let Some(manifest) = file("manifest.json") else {
        return Err(format!("open {tmp}/repositories: no such file or directory"));
    };
    let manifest: Vec<Value> = serde_json::from_slice(&manifest).map_err(|e| format!("invalid manifest.json: {e}"))?;
    let mut out = Vec::new();
    let mut known = None;
    for m in &manifest {
        let config_path = m.get("Config").and_then(Value::as_str).unwrap_or("");
        let config_bytes =
            file(config_path).ok_or_else(|| format!("open {tmp}/{config_path}: no such file or directory"))?;
        let config: Value = serde_json::from_slice(&config_bytes).map_err(|e| format!("invalid image config: {e}"))?;
        let diff_ids: Vec<&str> = config
            .pointer("/rootfs/diff_ids")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let layer_paths: Vec<&str> = m
            .get("Layers")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if diff_ids.len() != layer_paths.len() {
            return Err(format!(
                "invalid manifest, layers length mismatch: expected {}, got {}",
                diff_ids.len(),
                layer_paths.len()
            ));
        }
        let mut layers = Vec::new();
        for (i, (path, want)) in layer_paths.iter().zip(&diff_ids).enumerate() {
            let data = file(path).ok_or_else(|| format!("open {tmp}/{path}: no such file or directory"))?;
            let got = format!("sha256:{}", sha256_hex(&data));
            if got != *want {
                return Err(format!("invalid diffID for layer {i}: expected \"{want}\", got \"{got}\""));
            }
            if !quiet {
                let n = data.len();
                out.push(json!({"status": "Loading layer", "progressDetail": {"current": n, "total": n}, "progress": format!("[==================================================>]  {}/{}", crate::util::human_size(n as u64), crate::util::human_size(n as u64)), "id": &got[7..19]}));
            }
            layers.push(adopt_layer(st, &data, &mut known)?);
        }
        let cfg = config_from_json(config.get("config").unwrap_or(&Value::Null));
        let created_ms = parse_ms(config.get("created").and_then(Value::as_str)).unwrap_or(st.clock_ms);
        let history: Vec<History> = config
            .get("history")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|h| History {
                        created_ms: parse_ms(h.get("created").and_then(Value::as_str)).unwrap_or(created_ms),
                        created_by: h.get("created_by").and_then(Value::as_str).unwrap_or("").to_string(),
                        empty_layer: h.get("empty_layer").and_then(Value::as_bool).unwrap_or(false),
                        size: 0,
                    })
                    .collect()
            })
            .unwrap_or_default();
        // The same image again keeps its id, as content addressing would.
        let id = st
            .images
            .values()
            .find(|i| i.layers == layers && i.config == cfg)
            .map(|i| i.id.clone())
            .unwrap_or_else(|| format!("sha256:{}", sha256_hex(&config_bytes)));
        let size = layers.iter().filter_map(|d| st.layers.get(d)).map(|l| l.size).sum();
        let comment = config.get("comment").and_then(Value::as_str).unwrap_or("").to_string();
        st.images.entry(id.clone()).or_insert(Image {
            id: id.clone(),
            parent: String::new(),
            layers,
            config: cfg,
            created_ms,
            size,
            history,
            repo_digests: vec![],
            comment,
        });
        let tags: Vec<String> = m
            .get("RepoTags")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|t| t.as_str().map(String::from)).collect())
            .unwrap_or_default();
        for t in &tags {
            let Some(r) = Reference::parse(t) else { continue };
            if let Some(old) = st.tags.get(&r.key()).filter(|o| **o != id) {
                out.push(json!({"stream": format!("The image {} already exists, renaming the old one with ID {old} to empty string\n", r.key())}));
            }
            st.tags.insert(r.key(), id.clone());
            out.push(json!({"stream": format!("Loaded image: {}\n", r.key())}));
            st.event("image", "load", &id, &[("name", r.key())]);
        }
        if tags.is_empty() {
            out.push(json!({"stream": format!("Loaded image ID: {id}\n")}));
            st.event("image", "load", &id, &[("name", id.clone())]);
        }
    }
    Ok(out)
}

/// `POST /images/create?fromSrc=-`: a root filesystem tar becomes a
/// one-layer image, with `changes` (Dockerfile instructions) applied.
pub fn import(st: &mut State, q: &crate::api::Query, body: &[u8]) -> Result<Value, ApiErr> {
    let mut cfg = ImageConfig::default();
    for change in q.all("changes") {
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
            "EXPOSE" => cfg.exposed_ports.extend(
                args.split_whitespace().map(|p| if p.contains('/') { p.to_string() } else { format!("{p}/tcp") }),
            ),
            "LABEL" => {
                if let Some((k, v)) = args.split_once('=') {
                    cfg.labels.insert(k.to_string(), v.trim_matches('"').to_string());
                }
            }
            "VOLUME" => {
                cfg.volumes.extend(array().unwrap_or_else(|| args.split_whitespace().map(String::from).collect()))
            }
            other => return Err(err(400, format!("{} is not a valid change command", other.to_ascii_lowercase()))),
        }
    }
    let repo = q.get("repo").unwrap_or("");
    let reference = if repo.is_empty() {
        None
    } else {
        let tag = q.get("tag").filter(|t| !t.is_empty()).unwrap_or("latest");
        Some(Reference::parse(&format!("{repo}:{tag}")).ok_or_else(|| err(400, "invalid reference format"))?)
    };
    // A body that is not a tar imports as an empty layer, as dockerd does.
    let files: Fs = crate::util::map_of(untar_nodes(body).unwrap_or_default());
    let data = tar_nodes(&files);
    let digest = format!("sha256:{}", sha256_hex(&data));
    let size = files.values().map(|n| if let Node::File { data } = n { data.len() as u64 } else { 0 }).sum();
    st.layers.entry(digest.clone()).or_insert(Layer { digest: digest.clone(), files, size });
    let message = q.get("message").unwrap_or("").to_string();
    let now = st.clock_ms;
    let layers = vec![digest];
    let id = crate::catalog::image_id(&layers, &cfg, "", now);
    let history = vec![History { created_ms: now, created_by: String::new(), empty_layer: false, size }];
    let comment = if message.is_empty() { "Imported from -".to_string() } else { message };
    st.images.insert(
        id.clone(),
        Image {
            id: id.clone(),
            parent: String::new(),
            layers,
            config: cfg,
            created_ms: now,
            size,
            history,
            repo_digests: vec![],
            comment,
        },
    );
    if let Some(r) = &reference {
        st.tags.insert(r.key(), id.clone());
    }
    st.event("image", "import", &id, &[("name", reference.map(|r| r.key()).unwrap_or_else(|| id.clone()))]);
    Ok(json!({"status": id}))
}
