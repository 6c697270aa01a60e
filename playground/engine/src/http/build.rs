//! Build endpoints: `POST /build`, `POST /commit`, `POST /build/prune`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::http::Req;
use crate::http::query::*;
use crate::image::build::{BuildOptions, build as run_build, cache};
use crate::image::commit::{CommitOptions, commit as run_commit};
use crate::state::*;

/// `POST /build`: the body is the context's tar.
pub(crate) fn build(st: &mut State, r: &Req) -> R {
    let q = r.q;
    let json_map = |key: &str| -> BTreeMap<String, String> {
        q.get(key).and_then(|b| serde_json::from_str(b).ok()).unwrap_or_default()
    };
    let opts = BuildOptions {
        dockerfile: q.get("dockerfile").filter(|d| !d.is_empty()).unwrap_or("Dockerfile").to_string(),
        nocache: q.flag("nocache"),
        build_args: json_map("buildargs"),
        tags: q.all("t"),
        target: q.get("target").map(String::from),
        labels: json_map("labels"),
        // docker-py repeats `extrahosts`; the CLI sends one, comma-separated.
        extra_hosts: q.all("extrahosts").iter().flat_map(|h| h.split(',')).map(String::from).collect(),
        cache_from: q.get("cachefrom").map(|c| serde_json::from_str(c).unwrap_or_default()),
        network_mode: q.get("networkmode").unwrap_or("").to_string(),
    };
    let out = run_build(st, r.body, &opts)?;
    Ok(json_messages(out))
}

/// `POST /commit?container=&repo=&tag=&comment=&changes=`: the body is the
/// image config.
pub(crate) fn commit(st: &mut State, r: &Req) -> R {
    let q = r.q;
    let user = serde_json::from_slice::<Value>(r.body).unwrap_or(Value::Null);
    let opts = CommitOptions {
        container: q.get("container").unwrap_or("").to_string(),
        repo: q.get("repo").map(String::from),
        tag: q.get("tag").map(String::from),
        comment: q.get("comment").unwrap_or("").to_string(),
        config: ImageConfig::from_json(&user),
        changes: q.all("changes"),
    };
    let id = run_commit(st, opts)?;
    Ok(Reply::Json(201, json!({"Id": id})))
}

/// `POST /build/prune`.
pub(crate) fn prune(st: &mut State, _: &Req) -> R {
    let n = cache::prune(st);
    Ok(Reply::Json(200, json!({"CachesDeleted": null, "SpaceReclaimed": n as u64 * 1000})))
}
