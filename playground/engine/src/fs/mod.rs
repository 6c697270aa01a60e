//! A container's view of its files: mounts, then the writable layer, then
//! the image's layers top-down; paths, the files dockerd provides
//! (`/etc/hosts` and the like, made when read), executables on `PATH`, and
//! layer tars of nodes (`tar`).
//!
//! Uses `state` and `util` only.

use std::collections::BTreeSet;

use crate::state::{Container, Fs, Node, State};

pub(crate) mod tar;
pub(crate) use tar::tar_nodes;
#[cfg(feature = "image-archives")]
pub(crate) use tar::untar_nodes;

/// Normalises `path` against `cwd`: absolute, no `.`/`..`, no trailing `/`.
pub fn normalize(cwd: &str, path: &str) -> String {
    let full = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for p in full.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

enum Where<'a> {
    /// A volume: its name, the path inside it, and whether this mount of it
    /// is writable.
    Volume(&'a str, String, bool),
    /// A bind mount: the host's files are outside the simulation; `true`
    /// when it is writable.
    Bind(bool),
    /// A `--tmpfs` mount, at this mount point.
    Tmpfs(&'a str),
    /// One of the files dockerd provides to every container ([`PROVIDED`]).
    Provided,
    Rootfs,
}

/// Adds the parent directories of `path`.
pub(crate) fn dirs_for(fs: &mut Fs, path: &str) {
    let mut cur = String::new();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        cur.push('/');
        cur.push_str(part);
        fs.entry(cur.clone()).or_insert(Node::Dir);
    }
}

/// The files dockerd gives every container besides its image: the marker
/// `/.dockerenv` and, bind-mounted, its name and name resolution. They are
/// made from the container's settings when read (a write replaces one for
/// the container's life); they are not in its writable layer, so `docker
/// diff`, `commit` and `build` never see them.
pub const PROVIDED: [&str; 4] = ["/.dockerenv", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf"];

/// `/etc/hosts`: the loopback names, the `--add-host` entries and the
/// legacy links' (`IP\tALIAS HOSTNAME NAME`), then the
/// container's address and hostname on its first network.
fn hosts(c: &Container) -> String {
    let mut text = String::from(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
    );
    for line in c.extra_hosts.iter().chain(&c.link_hosts) {
        text.push_str(line);
        text.push('\n');
    }
    if let Some(ep) = c.networks.values().find(|ep| !ep.ip.is_empty()) {
        text.push_str(&format!("{}\t{}\n", ep.ip, c.hostname));
    }
    text
}

/// The text of provided file `path`.
fn provided(c: &Container, path: &str) -> String {
    if let Some(text) = c.provided.get(path) {
        return text.clone();
    }
    match path {
        "/etc/hostname" => format!("{}\n", c.hostname),
        "/etc/hosts" => hosts(c),
        // On a network of its own the container asks dockerd's embedded DNS
        // server; on the default bridge it gets the host's servers.
        "/etc/resolv.conf" if !matches!(c.network_mode.as_str(), "" | "default" | "bridge" | "host" | "none") => {
            "nameserver 127.0.0.11\noptions ndots:0\n".into()
        }
        "/etc/resolv.conf" => "nameserver 8.8.8.8\nnameserver 8.8.4.4\n".into(),
        _ => String::new(),
    }
}

fn locate<'a>(c: &'a Container, path: &str) -> Where<'a> {
    let under = |d: &str| {
        let d = d.trim_end_matches('/');
        path == d || path.starts_with(&format!("{d}/"))
    };
    let mut best: Option<&crate::state::Mount> = None;
    for m in &c.mounts {
        if under(&m.destination) && best.is_none_or(|b| b.destination.len() < m.destination.len()) {
            best = Some(m);
        }
    }
    let tmpfs = c.tmpfs.keys().filter(|d| under(d)).max_by_key(|d| d.len());
    if let Some(t) = tmpfs
        && best.is_none_or(|b| b.destination.len() < t.len())
    {
        return Where::Tmpfs(t);
    }
    match best {
        None if PROVIDED.contains(&path) => Where::Provided,
        Some(m) if m.kind == "volume" => {
            let rel = &path[m.destination.trim_end_matches('/').len()..];
            Where::Volume(&m.source, if rel.is_empty() { "/".into() } else { rel.to_string() }, m.rw)
        }
        Some(m) => Where::Bind(m.rw),
        None => Where::Rootfs,
    }
}

impl State {
    /// Resolves `name` to an executable path in container `cid` (PATH
    /// search for bare names), following links; `None` when missing.
    pub(crate) fn lookup_exe(&self, cid: &str, name: &str) -> Option<String> {
        if name.is_empty() {
            return None;
        }
        let c = self.containers.get(cid)?;
        let candidates: Vec<String> = if name.contains('/') {
            vec![normalize(if c.workdir.is_empty() { "/" } else { &c.workdir }, name)]
        } else {
            let path = c
                .env
                .iter()
                .find_map(|kv| kv.strip_prefix("PATH="))
                .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            path.split(':').filter(|d| !d.is_empty()).map(|d| format!("{}/{}", d.trim_end_matches('/'), name)).collect()
        };
        for cand in candidates {
            let real = self.resolve_link(cid, &cand);
            if let Some(Node::File { .. }) = self.read_node(cid, &real) {
                return Some(real);
            }
        }
        None
    }

    /// The node at `path` in container `cid`'s filesystem.
    pub(crate) fn read_node(&self, cid: &str, path: &str) -> Option<Node> {
        let c = self.containers.get(cid)?;
        match locate(c, path) {
            Where::Volume(name, rel, _) => {
                if rel == "/" {
                    return Some(Node::Dir);
                }
                self.volumes.get(name)?.files.get(&rel).cloned()
            }
            Where::Bind(_) => Some(Node::Dir),
            Where::Tmpfs(point) if point == path => Some(Node::Dir),
            Where::Tmpfs(point) => c.tmpfs.get(point)?.get(path).cloned(),
            Where::Provided => Some(Node::File { data: provided(c, path) }),
            Where::Rootfs => self.image_node(c, path),
        }
    }

    fn image_node(&self, c: &Container, path: &str) -> Option<Node> {
        if path == "/" {
            return Some(Node::Dir);
        }
        if let Some(n) = c.rw.get(path) {
            return if *n == Node::Whiteout { None } else { Some(n.clone()) };
        }
        let image = self.images.get(&c.image_id)?;
        for digest in image.layers.iter().rev() {
            if let Some(n) = self.layers.get(digest).and_then(|l| l.files.get(path)) {
                return if *n == Node::Whiteout { None } else { Some(n.clone()) };
            }
        }
        None
    }

    /// The merged file tree of an image's layers (bottom first); whiteouts
    /// remove what lower layers had.
    pub(crate) fn layers_fs(&self, layers: &[String]) -> Fs {
        let mut fs = Fs::new();
        for layer in layers.iter().filter_map(|d| self.layers.get(d)) {
            for (path, node) in &layer.files {
                if *node == Node::Whiteout {
                    fs.remove(path);
                } else {
                    fs.insert(path.clone(), node.clone());
                }
            }
        }
        fs
    }

    /// Follows symbolic links (at most 8) and returns the final path.
    pub(crate) fn resolve_link(&self, cid: &str, path: &str) -> String {
        let mut p = path.to_string();
        for _ in 0..8 {
            match self.read_node(cid, &p) {
                Some(Node::Link { target }) => {
                    let parent = p.rsplit_once('/').map(|(a, _)| a).unwrap_or("");
                    p = normalize(if parent.is_empty() { "/" } else { parent }, &target);
                }
                _ => break,
            }
        }
        p
    }

    /// The names in directory `dir` (sorted).
    pub(crate) fn list_dir(&self, cid: &str, dir: &str) -> Vec<String> {
        let Some(c) = self.containers.get(cid) else { return Vec::new() };
        let prefix = if dir == "/" { "/".to_string() } else { format!("{dir}/") };
        let mut names = BTreeSet::new();
        let mut push = |fs: &Fs| {
            let entries = fs.as_slice();
            let start = entries.partition_point(|(path, _)| *path < prefix);
            for key in &entries[start..] {
                if !key.0.starts_with(&prefix) {
                    break;
                }
                let rest = &key.0[prefix.len()..];
                if !rest.is_empty() && !rest.contains('/') {
                    names.insert(rest.to_string());
                }
            }
        };
        match locate(c, dir) {
            Where::Volume(name, rel, _) => {
                if let Some(v) = self.volumes.get(name) {
                    let p = if rel == "/" { rel } else { format!("{rel}/") };
                    for key in v.files.keys() {
                        if let Some(rest) = key.strip_prefix(&p)
                            && !rest.is_empty()
                            && !rest.contains('/')
                        {
                            names.insert(rest.to_string());
                        }
                    }
                }
            }
            Where::Tmpfs(point) => {
                if let Some(files) = c.tmpfs.get(point) {
                    push(files);
                }
            }
            Where::Bind(_) | Where::Provided => {}
            Where::Rootfs => {
                if let Some(image) = self.images.get(&c.image_id) {
                    for digest in &image.layers {
                        if let Some(l) = self.layers.get(digest) {
                            push(&l.files);
                        }
                    }
                }
                push(&c.rw);
                names.extend(
                    PROVIDED
                        .iter()
                        .filter_map(|p| p.strip_prefix(&prefix))
                        .filter(|n| !n.contains('/'))
                        .map(String::from),
                );
                names.retain(|n| self.read_node(cid, &format!("{prefix}{n}")).is_some());
            }
        }
        // Mount points show up in their parent.
        for m in &c.mounts {
            if let Some(rest) = m.destination.strip_prefix(&prefix)
                && !rest.is_empty()
                && !rest.contains('/')
            {
                names.insert(rest.to_string());
            }
        }
        names.into_iter().collect()
    }

    /// Writes a file (or a directory, with `node`) into the container.
    pub(crate) fn write_node(&mut self, cid: &str, path: &str, node: Node) -> Result<(), String> {
        let Some(c) = self.containers.get(cid) else { return Err("no such container".into()) };
        match locate(c, path) {
            Where::Volume(_, _, false) => Err("Read-only file system".into()),
            Where::Volume(name, rel, true) => {
                let name = name.to_string();
                if let Some(v) = self.volumes.get_mut(&name) {
                    if node == Node::Whiteout {
                        v.files.retain(|k, _| k != &rel && !k.starts_with(&format!("{rel}/")));
                    } else {
                        dirs_for(&mut v.files, &rel);
                        v.files.insert(rel, node);
                    }
                }
                Ok(())
            }
            Where::Bind(false) => Err("Read-only file system".into()),
            Where::Bind(true) => Ok(()),
            Where::Tmpfs(point) => {
                let point = point.to_string();
                let Some(files) = self.containers.get_mut(cid).and_then(|c| c.tmpfs.get_mut(&point)) else {
                    return Err("no such container".into());
                };
                if node == Node::Whiteout {
                    files.retain(|k, _| k != path && !k.starts_with(&format!("{path}/")));
                } else {
                    files.insert(path.to_string(), node);
                }
                Ok(())
            }
            Where::Provided | Where::Rootfs if c.read_only => Err("Read-only file system".into()),
            Where::Provided => {
                let Node::File { data } = node else { return Err("Device or resource busy".into()) };
                if let Some(c) = self.containers.get_mut(cid) {
                    c.provided.insert(path.to_string(), data);
                }
                Ok(())
            }
            Where::Rootfs => {
                let mut parents = Vec::new();
                let mut cur = String::new();
                let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
                for part in parts.iter().take(parts.len().saturating_sub(1)) {
                    cur.push('/');
                    cur.push_str(part);
                    if self.image_node(c, &cur).is_none() {
                        parents.push(cur.clone());
                    }
                }
                let whiteout_children: Vec<String> = if node == Node::Whiteout {
                    let prefix = format!("{path}/");
                    let mut v: Vec<String> = c.rw.keys().filter(|k| k.starts_with(&prefix)).cloned().collect();
                    if let Some(image) = self.images.get(&c.image_id) {
                        for d in &image.layers {
                            if let Some(l) = self.layers.get(d) {
                                v.extend(l.files.keys().filter(|k| k.starts_with(&prefix)).cloned());
                            }
                        }
                    }
                    v
                } else {
                    Vec::new()
                };
                let in_image = self.image_only_node(c, path);
                let Some(c) = self.containers.get_mut(cid) else { return Err("no such container".into()) };
                for p in parents {
                    c.rw.insert(p, Node::Dir);
                }
                for p in whiteout_children {
                    c.rw.insert(p, Node::Whiteout);
                }
                if node == Node::Whiteout && !in_image {
                    c.rw.remove(path);
                } else {
                    c.rw.insert(path.to_string(), node);
                }
                Ok(())
            }
        }
    }

    fn image_only_node(&self, c: &Container, path: &str) -> bool {
        self.images.get(&c.image_id).is_some_and(|image| {
            image.layers.iter().any(|d| self.layers.get(d).is_some_and(|l| l.files.contains_key(path)))
        })
    }

    /// `docker diff`: `(kind, path)` with kind 0 changed, 1 added, 2 deleted.
    pub fn changes(&self, cid: &str) -> Vec<(u8, String)> {
        let Some(c) = self.containers.get(cid) else { return Vec::new() };
        let mut out = Vec::new();
        for (path, node) in &c.rw {
            let in_image = self.image_only_node(c, path);
            let kind = match node {
                Node::Whiteout => 2,
                _ if in_image => 0,
                _ => 1,
            };
            if kind == 2 && !in_image {
                continue;
            }
            out.push((path.clone(), kind));
            let mut cur = path.as_str();
            while let Some((parent, _)) = cur.rsplit_once('/') {
                if parent.is_empty() {
                    break;
                }
                if self.image_only_node(c, parent) {
                    out.push((parent.to_string(), 0));
                }
                cur = parent;
            }
        }
        // By path, a change (0) before an addition (1) before a deletion.
        let mut v = crate::util::sorted_set(out);
        v.dedup_by(|a, b| a.0 == b.0);
        v.into_iter().map(|(p, k)| (k, p)).collect()
    }
}
