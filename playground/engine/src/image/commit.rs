//! `docker commit`: a container's writable layer becomes an image layer.

use crate::error::{ApiErr, err};
use crate::image::Reference;
use crate::image::build::dockerfile::apply_change;
use crate::image::catalog::image_id;
use crate::state::*;

/// What `POST /commit` asks for.
pub(crate) struct CommitOptions {
    /// The container, by name or id.
    pub container: String,
    /// The repository to tag the image in, if any.
    pub repo: Option<String>,
    /// The tag (`latest` when empty).
    pub tag: Option<String>,
    /// The image's comment.
    pub comment: String,
    /// The config the body gives.
    pub config: ImageConfig,
    /// `--change` instructions, applied to the config.
    pub changes: Vec<String>,
}

/// `POST /commit`: the container's writable layer becomes a layer on top
/// of its image's; the config is the body's with `changes` applied, what
/// they leave unset taken from the container's (dockerd's `merge`); the
/// image's id.
pub(crate) fn commit(st: &mut State, opts: CommitOptions) -> Result<String, ApiErr> {
    let cid = st.find_container(&opts.container)?;
    let reference = match opts.repo.as_deref().filter(|r| !r.is_empty()) {
        Some(repo) => {
            let tag = opts.tag.as_deref().filter(|t| !t.is_empty()).unwrap_or("latest");
            let shown = format!("{repo}:{tag}");
            Some(Reference::parse(&shown).ok_or_else(|| err(400, format!("invalid reference format: {shown}")))?)
        }
        None => None,
    };
    let mut cfg = opts.config;
    for change in &opts.changes {
        apply_change(&mut cfg, change)?;
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
    let c_image_ref = c.image_ref.clone();
    let c_config = ImageConfig {
        cmd: c.cmd.clone(),
        entrypoint: c.entrypoint.clone(),
        env: c.env.clone(),
        workdir: c.workdir.clone(),
        user: c.user.clone(),
        exposed_ports: c.exposed_ports.clone(),
        labels: c.labels.clone(),
        volumes: base.config.volumes.clone(),
    };
    let created_by = c.entrypoint.iter().chain(&c.cmd).cloned().collect::<Vec<_>>().join(" ");
    let comment = opts.comment;
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
        committed_from: Some(Box::new(Committed { container: cid.clone(), image: c_image_ref, config: c_config })),
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
    Ok(id)
}
