//! Images: references, the catalog of the simulated Docker Hub, the
//! registry (pull, push, search), archives (save, load, import), the
//! builder and commit. Uses `programs` (the shell runs `RUN` steps; the
//! busybox image links the applet table's names), `fs`, `state`, `util`
//! and `crate::error`; never `http` nor `daemon`.

#[cfg(feature = "image-archives")]
pub(crate) mod archive;
pub(crate) mod build;
pub(crate) mod catalog;
pub(crate) mod commit;
pub(crate) mod config;
pub(crate) mod reference;
pub(crate) mod registry;

pub(crate) use reference::Reference;

use serde_json::{Value, json};

use crate::error::{ApiErr, err};
use crate::state::*;

impl State {
    /// Keeps `files` as a layer named by the digest of their tar, as a diff
    /// id is (the same files make the same layer), sized by their bytes;
    /// its digest and size.
    pub(crate) fn add_layer(&mut self, files: Fs) -> (String, u64) {
        let digest = format!("sha256:{}", crate::util::sha256_hex(&crate::fs::tar_nodes(&files)));
        let size = files_size(&files);
        self.layers.entry(digest.clone()).or_insert(Layer { digest: digest.clone(), files, size });
        (digest, size)
    }

    /// The id of the local image `key` (name, `name:tag`, id or id prefix).
    pub(crate) fn find_image(&self, key: &str) -> Option<String> {
        let hex = key.strip_prefix("sha256:").unwrap_or(key);
        if hex.len() >= 4 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let matches: Vec<&String> = self.images.keys().filter(|id| id[7..].starts_with(hex)).collect();
            if matches.len() == 1 {
                return Some(matches[0].clone());
            }
        }
        let r = Reference::parse(key)?;
        if let Some(d) = &r.digest {
            return self
                .images
                .values()
                .find(|i| i.repo_digests.iter().any(|rd| rd.ends_with(d.as_str())))
                .map(|i| i.id.clone());
        }
        self.tags.get(&r.key()).cloned()
    }

    /// The repo:tags of an image.
    pub fn tags_of(&self, id: &str) -> Vec<String> {
        self.tags.iter().filter(|(_, v)| *v == id).map(|(k, _)| k.clone()).collect()
    }
}

/// The JSON lines (each ended by `\r\n`) a pull, a push or a build streams.
pub(crate) struct Out(pub(crate) Vec<u8>);

impl Out {
    pub(crate) fn stream(&mut self, text: impl Into<String>) {
        self.json(json!({"stream": text.into()}));
    }
    pub(crate) fn json(&mut self, v: Value) {
        self.0.extend_from_slice(v.to_string().as_bytes());
        self.0.extend_from_slice(b"\r\n");
    }
    /// The error line that ends a build (or a push).
    pub(crate) fn error(mut self, message: String) -> Vec<u8> {
        self.json(json!({"errorDetail": {"message": message}, "error": message}));
        self.0
    }
}

/// What removing or pruning images did, in order.
pub(crate) enum Removed {
    /// A tag went.
    Untagged(String),
    /// An image went.
    Deleted(String),
}

/// The 404 for an image asked for by `name` (a reference as docker shows
/// it, an id as given).
pub(crate) fn not_found(name: &str) -> ApiErr {
    let shown = match Reference::parse(name) {
        Some(r) if r.digest.is_none() && !name.starts_with("sha256:") => r.key(),
        _ => name.to_string(),
    };
    err(404, format!("No such image: {shown}"))
}

/// `docker tag`: `repo:tag` (`latest` when empty) names the image `name`.
pub(crate) fn tag(st: &mut State, name: &str, repo: &str, tag: &str) -> Result<(), ApiErr> {
    let id = st.find_image(name).ok_or_else(|| not_found(name))?;
    let tag = if tag.is_empty() { "latest" } else { tag };
    let r = Reference::parse(&format!("{repo}:{tag}"))
        .ok_or_else(|| err(400, format!("invalid reference format: repository name ({repo}) must be lowercase")))?;
    st.tags.insert(r.key(), id.clone());
    st.event("image", "tag", &id, &[("name", r.key())]);
    Ok(())
}

/// `docker rmi`: untags `name` (when the image has other tags) or removes
/// the image and its untagged parents no one else uses; what it did.
pub(crate) fn remove(st: &mut State, name: &str, force: bool) -> Result<Vec<Removed>, ApiErr> {
    let id = st.find_image(name).ok_or_else(|| {
        let shown = match Reference::parse(name) {
            Some(r)
                if r.digest.is_none()
                    && !name.starts_with("sha256:")
                    && !name.chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                r.key()
            }
            _ => name.to_string(),
        };
        err(404, format!("No such image: {shown}"))
    })?;
    let by_tag = Reference::parse(name).map(|r| r.key()).filter(|k| st.tags.get(k) == Some(&id));
    let tags = st.tags_of(&id);
    let mut out = Vec::new();
    if let Some(tag) = &by_tag
        && tags.len() > 1
    {
        st.tags.remove(tag);
        st.event("image", "untag", &id, &[("name", tag.clone())]);
        return Ok(vec![Removed::Untagged(tag.clone())]);
    }
    if let Some(c) = st.containers.values().find(|c| c.image_id == id)
        && (!force || matches!(c.status, Status::Running | Status::Paused))
    {
        let (short_img, short_c) = (&id[7..19], &c.id[..12]);
        let msg = if force {
            format!(
                "conflict: unable to delete {short_img} (cannot be forced) - image is being used by running container {short_c}"
            )
        } else if by_tag.is_some() {
            format!(
                "conflict: unable to remove repository reference \"{name}\" (must force) - container {short_c} is using its referenced image {short_img}"
            )
        } else {
            format!(
                "conflict: unable to delete {short_img} (must be forced) - image is being used by stopped container {short_c}"
            )
        };
        return Err(err(409, msg));
    }
    if tags.len() > 1 && by_tag.is_none() && !force {
        return Err(err(
            409,
            format!(
                "conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
                &id[7..19]
            ),
        ));
    }
    for t in &tags {
        st.tags.remove(t);
        out.push(Removed::Untagged(t.clone()));
        st.event("image", "untag", &id, &[("name", t.clone())]);
    }
    // Delete the image and its untagged parents no one else uses.
    let mut cur = Some(id);
    while let Some(i) = cur.take() {
        let used = st.containers.values().any(|c| c.image_id == i) || st.images.values().any(|o| o.parent == i);
        if used || !st.tags_of(&i).is_empty() {
            break;
        }
        let Some(img) = st.images.remove(&i) else { break };
        for d in &img.layers {
            let shared = st.images.values().any(|o| o.layers.contains(d));
            if !shared && !st.registry.blobs.contains(d) {
                st.layers.remove(d);
            }
        }
        out.push(Removed::Deleted(i.clone()));
        st.event("image", "delete", &i, &[]);
        if !img.parent.is_empty() {
            cur = Some(img.parent.clone());
        }
    }
    Ok(out)
}

/// `docker image prune`: the images no container or child uses (with
/// `all`, tagged ones too); what it did and the bytes it freed.
pub(crate) fn prune(st: &mut State, all: bool) -> (Vec<Removed>, u64) {
    let mut deleted = Vec::new();
    let mut reclaimed = 0;
    loop {
        let candidate = st
            .images
            .values()
            .find(|i| {
                (all || st.tags_of(&i.id).is_empty())
                    && !st.containers.values().any(|c| c.image_id == i.id)
                    && !st.images.values().any(|o| o.parent == i.id)
            })
            .map(|i| i.id.clone());
        let Some(id) = candidate else { break };
        for t in st.tags_of(&id) {
            st.tags.remove(&t);
            deleted.push(Removed::Untagged(t));
        }
        if let Some(img) = st.images.remove(&id) {
            reclaimed += img.size;
        }
        deleted.push(Removed::Deleted(id));
    }
    (deleted, reclaimed)
}
