//! `docker save`, `load` and `import`: images as docker-save archives
//! (`manifest.json`, `repositories`, `<config>.json`, `<layer>/layer.tar`)
//! and root filesystem tars.
//!
//! Behind the `image-archives` feature (on by default): the native server
//! answers the real docker CLI's `save`, `load` and `import` with it; the
//! browser build leaves it out, as its terminal has no binary files to
//! write an archive to or read one from (11.8 KB of the gzipped module).

use std::collections::BTreeMap;

use crate::image::Reference;
use crate::image::build::dockerfile::apply_change;
use crate::image::catalog::image_id;
use crate::state::{Fs, History, Image, ImageConfig, Layer, State};
use crate::util::sha256_hex;
use serde_json::{Value, json};

use crate::error::{ApiErr, err};
use crate::fs::{tar_nodes, untar_nodes};
use crate::util::{TarEntry, rfc3339, tar, untar};

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
    let cfg = crate::image::config::image_config_json(&img.config);
    let mut doc = json!({
        "architecture": "amd64",
        "config": cfg,
        "container_config": cfg,
        "created": rfc3339(img.created_ms),
        "docker_version": crate::util::ENGINE_VERSION,
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
pub(crate) fn save(st: &State, names: &[String]) -> Result<Vec<u8>, ApiErr> {
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

/// An RFC 3339 time (a saved image's `created`) in milliseconds.
fn parse_ms(s: Option<&str>) -> Option<u64> {
    let t: dockhand::Timestamp = s?.parse().ok()?;
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
pub(crate) fn load(st: &mut State, body: &[u8], quiet: bool) -> Result<Vec<Value>, String> {
    // dockerd 28.5's words (20.10 said "Error processing tar file(exit
    // status 1): unexpected EOF").
    let entries = untar(body).map_err(|_| "unexpected EOF".to_string())?;
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
        let cfg = ImageConfig::from_json(config.get("config").unwrap_or(&Value::Null));
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
                        comment: h.get("comment").and_then(Value::as_str).unwrap_or("").to_string(),
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
            committed_from: None,
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
pub(crate) fn import(
    st: &mut State,
    changes: &[String],
    repo: &str,
    tag: &str,
    message: &str,
    body: &[u8],
) -> Result<Value, ApiErr> {
    let mut cfg = ImageConfig::default();
    for change in changes {
        apply_change(&mut cfg, change)?;
    }
    let reference = if repo.is_empty() {
        None
    } else {
        let tag = if tag.is_empty() { "latest" } else { tag };
        Some(Reference::parse(&format!("{repo}:{tag}")).ok_or_else(|| err(400, "invalid reference format"))?)
    };
    // A body that is not a tar imports as an empty layer, as dockerd does.
    let (digest, size) = st.add_layer(crate::util::map_of(untar_nodes(body).unwrap_or_default()));
    let message = message.to_string();
    let now = st.clock_ms;
    let layers = vec![digest];
    let id = image_id(&layers, &cfg, "", now);
    let comment = if message.is_empty() { "Imported from -".to_string() } else { message };
    let history = vec![History {
        created_ms: now,
        created_by: String::new(),
        empty_layer: false,
        size,
        comment: comment.clone(),
    }];
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
            committed_from: None,
        },
    );
    if let Some(r) = &reference {
        st.tags.insert(r.key(), id.clone());
    }
    st.event("image", "import", &id, &[("name", reference.map(|r| r.key()).unwrap_or_else(|| id.clone()))]);
    Ok(json!({"status": id}))
}
