//! Creating a container from a [`ContainerSpec`] (what `POST
//! /containers/create` asks, parsed but not yet checked): the checks in
//! dockerd's order, ports, mounts and volumes, the config merged with the
//! image's, the network.

use std::collections::{BTreeMap, BTreeSet};

use crate::daemon::volumes::{create_volume, valid_name};
use crate::error::{ApiErr, err};
use crate::image::Reference;
use crate::state::*;

/// A container as the create request describes it. Checked by [`create`],
/// in dockerd's order.
#[derive(Debug, Default)]
pub(crate) struct ContainerSpec {
    /// `--name` (empty: a random one).
    pub name: String,
    /// The image as asked for.
    pub image: String,
    /// `-p`: container port (`80/tcp`) and its bindings, host IP and host
    /// port (empty: the first free one) as given.
    pub port_bindings: Vec<(String, Vec<(String, String)>)>,
    /// `--expose`, normalised (`80/tcp`).
    pub exposed: Vec<String>,
    /// `-v` and `--mount`, as `source:destination[:mode]`.
    pub binds: Vec<String>,
    /// Anonymous volumes asked for (`Volumes`).
    pub volumes: Vec<String>,
    /// `--entrypoint` (`None`: the image's; `[""]`: none).
    pub entrypoint: Option<Vec<String>>,
    /// The command (`None`: the image's, unless an entrypoint is given).
    pub cmd: Option<Vec<String>>,
    /// `-e`.
    pub env: Vec<String>,
    /// `--add-host`, as `host:ip`.
    pub extra_hosts: Vec<String>,
    /// `--tmpfs` destinations.
    pub tmpfs: Vec<String>,
    /// `--label`.
    pub labels: BTreeMap<String, String>,
    /// `--network` (`bridge` by default).
    pub network_mode: String,
    /// The aliases on that network.
    pub aliases: Vec<String>,
    /// The endpoint settings kept as given on that network.
    pub endpoint_kept: BTreeMap<String, String>,
    /// `--hostname`.
    pub hostname: Option<String>,
    /// `--restart` name (`no` by default) and retry count.
    pub restart_policy: String,
    /// `--restart on-failure:N`.
    pub restart_max: i64,
    /// `--rm`.
    pub auto_remove: bool,
    /// `-w`.
    pub workdir: Option<String>,
    /// `-u`.
    pub user: Option<String>,
    /// `-t`.
    pub tty: bool,
    /// `-i`.
    pub open_stdin: bool,
    /// `--memory`, bytes.
    pub memory: i64,
    /// `--cpus`, in billionths.
    pub nano_cpus: i64,
    /// `--read-only`.
    pub read_only: bool,
    /// `--link`, as given (`NAME:ALIAS`).
    pub links: Vec<String>,
    /// The settings kept as given (see [`Container::kept`]).
    pub kept: serde_json::Value,
}

/// Creates the container; its id.
pub(crate) fn create(st: &mut State, spec: ContainerSpec) -> Result<String, ApiErr> {
    let image_id = check_name_and_image(st, &spec)?;
    let image = st.images[&image_id].clone();
    let ports = bind_ports(st, &spec.port_bindings)?;
    let mut exposed: BTreeSet<String> = image.config.exposed_ports.clone();
    exposed.extend(spec.exposed.iter().cloned());
    for p in &ports {
        exposed.insert(p.container_port.clone());
    }
    let mounts = mounts(st, &spec, &image)?;
    let entrypoint = match &spec.entrypoint {
        None => image.config.entrypoint.clone(),
        // `--entrypoint ""`: none at all, not the image's (as dockerd).
        Some(only) if only == &[""] => Vec::new(),
        Some(entrypoint) => entrypoint.clone(),
    };
    let cmd = match &spec.cmd {
        None if spec.entrypoint.is_some() => Vec::new(),
        None => image.config.cmd.clone(),
        Some(c) => c.clone(),
    };
    if entrypoint.is_empty() && cmd.is_empty() {
        return Err(err(400, "No command specified"));
    }
    let mut env = image.config.env.clone();
    for kv in &spec.env {
        let key = kv.split('=').next().unwrap_or("").to_string();
        env.retain(|e| e.split('=').next() != Some(key.as_str()));
        // Kept though it has no `=` (as dockerd keeps `Foo`).
        env.push(kv.clone());
    }
    // `--add-host foo:1.2.3.4` arrives as `foo:1.2.3.4`; /etc/hosts has
    // `1.2.3.4\tfoo`.
    let mut extra_hosts = Vec::new();
    for h in &spec.extra_hosts {
        let Some((host, ip)) = h.split_once(':') else {
            return Err(err(400, format!("invalid extra host: {h}")));
        };
        extra_hosts.push(format!("{ip}\t{host}"));
    }
    let mut tmpfs = Map::new();
    for dest in &spec.tmpfs {
        if !dest.starts_with('/') {
            return Err(err(
                400,
                format!("invalid mount config: invalid mount path: '{dest}' mount path must be absolute"),
            ));
        }
        tmpfs.insert(crate::fs::normalize("/", dest), Fs::new());
    }
    let id = st.new_id();
    let name = if spec.name.is_empty() { st.random_name() } else { spec.name.clone() };
    let net_id = check_policy_and_network(st, &spec)?;
    let links = crate::daemon::links::register(st, &spec.links)?;
    let mut labels = image.config.labels.clone();
    labels.extend(spec.labels.clone());
    let c = Container {
        image_ref: spec.image.clone(),
        entrypoint,
        cmd,
        env,
        workdir: spec.workdir.clone().unwrap_or(image.config.workdir.clone()),
        user: spec.user.clone().unwrap_or(image.config.user.clone()),
        hostname: spec.hostname.clone().unwrap_or_else(|| id[..12].to_string()),
        labels,
        tty: spec.tty,
        open_stdin: spec.open_stdin,
        exposed_ports: exposed,
        ports,
        mounts,
        auto_remove: spec.auto_remove,
        restart_policy: spec.restart_policy.clone(),
        restart_max: spec.restart_max,
        memory: spec.memory.max(0),
        nano_cpus: spec.nano_cpus.max(0),
        network_mode: spec.network_mode.clone(),
        read_only: spec.read_only,
        extra_hosts,
        tmpfs,
        kept: spec.kept.clone(),
        links,
        ..Container::new(&id, &name, &image_id, st.clock_ms)
    };
    st.containers.insert(id.clone(), c);
    st.connect(&id, &net_id, spec.aliases, spec.endpoint_kept)?;
    st.event("container", "create", &id, &[("name", name), ("image", spec.image)]);
    Ok(id)
}

/// The name's rules and uniqueness, and the image: its id.
fn check_name_and_image(st: &State, spec: &ContainerSpec) -> Result<String, ApiErr> {
    let (name, image_ref) = (&spec.name, &spec.image);
    if image_ref.is_empty() {
        return Err(err(400, "No command specified"));
    }
    if !name.is_empty() && !valid_name(name) {
        return Err(err(400, format!("Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")));
    }
    let Some(image_id) = st.find_image(image_ref) else {
        let shown = match Reference::parse(image_ref) {
            Some(r) if r.digest.is_none() => r.key(),
            _ => image_ref.clone(),
        };
        return Err(err(404, format!("No such image: {shown}")));
    };
    if !name.is_empty()
        && let Some(other) = st.containers.values().find(|c| c.name == *name)
    {
        return Err(err(
            409,
            format!(
                "Conflict. The container name \"/{name}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
                other.id
            ),
        ));
    }
    Ok(image_id)
}

/// The log drivers dockerd 20.10 has built in (`""`: the default).
const LOG_DRIVERS: &[&str] = &[
    "",
    "none",
    "json-file",
    "local",
    "syslog",
    "journald",
    "gelf",
    "fluentd",
    "awslogs",
    "splunk",
    "gcplogs",
    "logentries",
];

/// The restart policy, `--rm`, the log driver, and the network's id.
fn check_policy_and_network(st: &State, spec: &ContainerSpec) -> Result<String, ApiErr> {
    let restart_policy = &spec.restart_policy;
    if !matches!(restart_policy.as_str(), "no" | "always" | "unless-stopped" | "on-failure") {
        return Err(err(400, format!("invalid restart policy '{restart_policy}'")));
    }
    if spec.auto_remove && restart_policy != "no" {
        return Err(err(400, "conflicting options: cannot specify both --restart and --rm"));
    }
    let driver = spec.kept.pointer("/HostConfig/LogConfig/Type").and_then(serde_json::Value::as_str).unwrap_or("");
    if !LOG_DRIVERS.contains(&driver) {
        return Err(err(400, format!("error looking up logging plugin {driver}: plugin \"{driver}\" not found")));
    }
    match spec.network_mode.as_str() {
        m @ ("host" | "none" | "bridge") => st.find_network(m),
        m if m.starts_with("container:") => Err(err(400, "the simulation does not support container: network mode")),
        m => st.find_network(m),
    }
}

/// The published ports: an empty host port takes the first free one of the
/// ephemeral range, as dockerd's allocator gives them out.
fn bind_ports(st: &State, bindings: &[(String, Vec<(String, String)>)]) -> Result<Vec<PortBinding>, ApiErr> {
    let mut ports: Vec<PortBinding> = Vec::new();
    for (cport, binds) in bindings {
        for (ip, hp) in binds {
            let host_port: u16 = if hp.is_empty() {
                let taken = |port: u16| {
                    ports.iter().any(|p| p.host_port == port)
                        || st.containers.values().any(|c| c.ports.iter().any(|p| p.host_port == port))
                };
                (32768..=60999).find(|&port| !taken(port)).unwrap_or(32768)
            } else {
                hp.parse().map_err(|_| err(400, format!("invalid port specification: \"{hp}\"")))?
            };
            if host_port == 0 {
                return Err(err(400, format!("invalid port specification: \"{hp}\"")));
            }
            ports.push(PortBinding {
                container_port: cport.clone(),
                host_ip: if ip.is_empty() { "0.0.0.0".into() } else { ip.clone() },
                host_port,
            });
        }
    }
    Ok(ports)
}

/// The binds and volumes (named ones created, anonymous ones for the
/// image's and the request's `Volumes`); a new volume gets the image's
/// files at its destination, as docker copies them into an empty volume.
fn mounts(st: &mut State, spec: &ContainerSpec, image: &Image) -> Result<Vec<Mount>, ApiErr> {
    let mut mounts = Vec::new();
    for b in &spec.binds {
        let parts: Vec<&str> = b.split(':').collect();
        let (src, dst, mode) = match parts.as_slice() {
            [s, d] => (*s, *d, ""),
            [s, d, m] => (*s, *d, *m),
            _ => return Err(err(400, format!("invalid mount config for type \"volume\": invalid specification: {b}"))),
        };
        if !dst.starts_with('/') {
            return Err(err(
                400,
                format!("invalid mount config: invalid mount path: '{dst}' mount path must be absolute"),
            ));
        }
        let rw = !mode.split(',').any(|m| m == "ro");
        let destination = crate::fs::normalize("/", dst);
        if src.starts_with('/') {
            mounts.push(Mount { kind: "bind".into(), source: src.into(), destination, rw, mode: mode.into() });
        } else {
            let name = create_volume(st, src, BTreeMap::new())?;
            mounts.push(Mount { kind: "volume".into(), source: name, destination, rw, mode: mode.into() });
        }
    }
    let anon = image.config.volumes.iter().chain(&spec.volumes);
    for dest in anon {
        let dest = crate::fs::normalize("/", dest);
        if mounts.iter().any(|m| m.destination == dest) {
            continue;
        }
        let name = create_volume(st, "", BTreeMap::new())?;
        mounts.push(Mount { kind: "volume".into(), source: name, destination: dest, rw: true, mode: String::new() });
    }
    for m in mounts.iter().filter(|m| m.kind == "volume") {
        if st.volumes.get(&m.source).is_some_and(|v| v.files.is_empty()) {
            let prefix = format!("{}/", m.destination);
            let mut copied = Fs::new();
            for d in &image.layers {
                if let Some(l) = st.layers.get(d) {
                    for (k, n) in &l.files {
                        if let Some(rest) = k.strip_prefix(&prefix) {
                            copied.insert(format!("/{rest}"), n.clone());
                        }
                    }
                }
            }
            if let Some(vol) = st.volumes.get_mut(&m.source) {
                vol.files = copied;
            }
        }
    }
    Ok(mounts)
}
