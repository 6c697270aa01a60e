//! The simulated registry: pull, push, search, login.

use serde_json::{Value, json};

use crate::error::{ApiErr, err};
use crate::image::{Out, Reference};
use crate::state::*;
use crate::util::sorted_set;

pub(crate) fn progress_bar(current: u64, total: u64) -> String {
    let width: usize = 50;
    let filled = if total == 0 { width } else { (u128::from(current) * width as u128 / u128::from(total)) as usize };
    let bar = if filled >= width {
        "=".repeat(width)
    } else {
        format!("{}>{}", "=".repeat(filled.saturating_sub(1).min(width)), " ".repeat(width - filled.max(1)))
    };
    format!("[{bar}]  {}/{}", crate::util::human_size(current), crate::util::human_size(total))
}

/// The registry host a repository names (`registry.example.com` of
/// `registry.example.com/site`): a first component with a dot or a colon,
/// or `localhost` (distribution/reference's rule). `None`: Docker Hub.
pub(crate) fn host_of(repo: &str) -> Option<&str> {
    let (first, _) = repo.split_once('/')?;
    (first.contains(['.', ':']) || first == "localhost").then_some(first)
}

/// What dockerd says when a registry host does not answer: the simulated
/// Docker Hub is the only registry here, so another host is unreachable
/// (no name server knows it; localhost has nothing listening).
pub(crate) fn unreachable(host: &str) -> String {
    let (name, port) = host.split_once(':').map_or((host, None), |(n, p)| (n, Some(p)));
    if name == "localhost" || name.starts_with("127.") {
        let port = port.unwrap_or("443");
        format!("Get \"https://{host}/v2/\": dial tcp 127.0.0.1:{port}: connect: connection refused")
    } else {
        format!("Get \"https://{host}/v2/\": dial tcp: lookup {name} on 127.0.0.53:53: no such host")
    }
}

/// `POST /images/create?fromImage=&tag=`: the image from the registry, and
/// the progress lines dockerd streams (each a JSON document and `\r\n`).
pub(crate) fn pull(st: &mut State, from: &str, tag: &str) -> Result<Vec<u8>, ApiErr> {
    let full = if tag.is_empty() || from.contains('@') || from.rsplit('/').next().is_some_and(|l| l.contains(':')) {
        from.to_string()
    } else if tag.starts_with("sha256:") {
        format!("{from}@{tag}")
    } else {
        format!("{from}:{tag}")
    };
    let r = Reference::parse(&full).ok_or_else(|| err(400, "invalid reference format"))?;
    if let Some(host) = host_of(&r.repo) {
        return Err(err(500, unreachable(host)));
    }
    let Some(repo) = st.registry.repos.get(&r.repo) else {
        return Err(err(
            404,
            format!(
                "pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
                r.repo
            ),
        ));
    };
    let image = match &r.digest {
        Some(d) => repo.values().find(|i| i.repo_digests.iter().any(|rd| rd.ends_with(d.as_str()))).cloned(),
        None => repo.get(&r.tag).cloned(),
    };
    let Some(image) = image else {
        return Err(err(404, format!("manifest for {} not found: manifest unknown: manifest unknown", r.key())));
    };
    let mut out = Out(Vec::new());
    let mut push = |v: Value| out.json(v);
    let shown_repo = if r.repo.contains('/') { r.repo.clone() } else { format!("library/{}", r.repo) };
    push(json!({"status": format!("Pulling from {shown_repo}"), "id": r.digest.clone().unwrap_or(r.tag.clone())}));
    let have = sorted_set(st.images.values().flat_map(|i| i.layers.iter()));
    let up_to_date = st.images.contains_key(&image.id) && st.tags.get(&r.key()) == Some(&image.id);
    let mut fresh = Vec::new();
    for d in &image.layers {
        let short = &d[7..19];
        if have.contains(&d) {
            push(json!({"status": "Already exists", "progressDetail": {}, "id": short}));
        } else {
            push(json!({"status": "Pulling fs layer", "progressDetail": {}, "id": short}));
            fresh.push(d.clone());
        }
    }
    for d in &fresh {
        let short = &d[7..19];
        let total = st.layers.get(d).map(|l| l.size).unwrap_or(0);
        for step in [1u64, 3, 4] {
            let cur = total * step / 4;
            push(
                json!({"status": "Downloading", "progressDetail": {"current": cur, "total": total}, "progress": progress_bar(cur, total), "id": short}),
            );
        }
        push(json!({"status": "Verifying Checksum", "progressDetail": {}, "id": short}));
        push(json!({"status": "Download complete", "progressDetail": {}, "id": short}));
    }
    for d in &fresh {
        let short = &d[7..19];
        let total = st.layers.get(d).map(|l| l.size).unwrap_or(0);
        push(
            json!({"status": "Extracting", "progressDetail": {"current": total, "total": total}, "progress": progress_bar(total, total), "id": short}),
        );
        push(json!({"status": "Pull complete", "progressDetail": {}, "id": short}));
    }
    let digest =
        image.repo_digests.first().and_then(|d| d.split_once('@')).map(|(_, d)| d.to_string()).unwrap_or_default();
    push(json!({"status": format!("Digest: {digest}")}));
    let shown = match &r.digest {
        Some(d) => format!("{}@{d}", r.repo),
        None => r.key(),
    };
    push(
        json!({"status": if up_to_date { format!("Status: Image is up to date for {shown}") } else { format!("Status: Downloaded newer image for {shown}") }}),
    );
    let id = image.id.clone();
    st.images.insert(id.clone(), image);
    if r.digest.is_none() {
        st.tags.insert(r.key(), id.clone());
    }
    st.event("image", "pull", &id, &[("name", shown)]);
    Ok(out.0)
}

/// `docker login`: any user with a password is let in.
pub(crate) fn login(st: &mut State, user: &str, pass: &str) -> Result<(), ApiErr> {
    if user.is_empty() || pass.is_empty() {
        return Err(err(401, "Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password"));
    }
    st.registry.logins.insert(user.to_string());
    Ok(())
}

/// `POST /images/{name}/push`.
/// `user` is the one `X-Registry-Auth` names, if any; the progress stream
/// (a refusal ends it with an error line).
pub(crate) fn push(st: &mut State, name: &str, tag: &str, user: Option<String>) -> Result<Vec<u8>, ApiErr> {
    let tag = if tag.is_empty() { "latest" } else { tag };
    let r = Reference::parse(&format!("{name}:{tag}")).ok_or_else(|| err(400, "invalid reference format"))?;
    let Some(id) = st.tags.get(&r.key()).cloned() else {
        return Err(err(404, format!("An image does not exist locally with the tag: {}", r.repo)));
    };
    let namespace = r.repo.split('/').next().unwrap_or("").to_string();
    let mut out = Out(Vec::new());
    let host = host_of(&r.repo);
    let shown = match host {
        Some(_) => r.repo.clone(),
        None if r.repo.contains('/') => format!("docker.io/{}", r.repo),
        None => format!("docker.io/library/{}", r.repo),
    };
    out.json(json!({"status": format!("The push refers to repository [{shown}]")}));
    if let Some(host) = host {
        return Ok(out.error(unreachable(host)));
    }
    let allowed = r.repo.contains('/')
        && (user.as_deref() == Some(namespace.as_str()) || st.registry.logins.contains(&namespace));
    let image = st.images[&id].clone();
    for d in image.layers.iter().rev() {
        out.json(json!({"status": "Preparing", "progressDetail": {}, "id": &d[7..19]}));
    }
    if !allowed {
        return Ok(out.error("denied: requested access to the resource is denied".into()));
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
    let digest = format!("sha256:{}", crate::util::sha256_hex(format!("manifest {id}").as_bytes()));
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
    Ok(out.0)
}

/// The registry's repositories whose name holds `term`: name, whether it is
/// official (no namespace) and its stars.
pub(crate) fn search<'a>(st: &'a State, term: &'a str) -> impl Iterator<Item = (&'a String, bool, i64)> + 'a {
    st.registry
        .repos
        .keys()
        .filter(move |r| r.contains(term))
        .map(|r| (r, !r.contains('/'), if r.contains('/') { 3 } else { 1000 }))
}
