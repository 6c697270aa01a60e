//! The whole simulated daemon's state: plain tables (containers, images,
//! networks, volumes, execs, the registry, events), serialisable for
//! snapshot/restore, and the little bookkeeping every layer may ask of them
//! (host PIDs, appending logs). Behaviour lives in `daemon`.
//!
//! Uses `util` only. Public: the playground's page reads it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

mod swarm;
pub use swarm::{Service, Swarm, SwarmObject, Task};

/// The map of the engine's tables (containers by id, files by path, ...):
/// a sorted vector. These tables hold a few dozen entries, and a flat map
/// compiles to far less WebAssembly than one `BTreeMap` per value type.
pub type Map<K, V> = litemap::LiteMap<K, V>;

/// A file tree: absolute path (`/etc/hostname`) to node.
pub type Fs = Map<String, Node>;

/// The bytes of a tree's regular files.
pub(crate) fn files_size(files: &Fs) -> u64 {
    files.values().map(|n| if let Node::File { data } = n { data.len() as u64 } else { 0 }).sum()
}

/// One node of a file tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Node {
    /// A directory.
    Dir,
    /// A regular file (text; simulated programs are files starting with
    /// `#!sim:<program>`).
    File {
        /// The content.
        data: String,
    },
    /// A symbolic link.
    Link {
        /// Where it points.
        target: String,
    },
    /// In a writable layer: the path was deleted.
    Whiteout,
}

/// A container's state, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Created, never started (or failed to start).
    Created,
    /// Its main process runs.
    Running,
    /// Frozen.
    Paused,
    /// Between an exit and its restart.
    Restarting,
    /// Being removed.
    Removing,
    /// Its main process ended.
    Exited,
    /// Could not be removed.
    Dead,
}

impl Status {
    /// The API's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Removing => "removing",
            Status::Exited => "exited",
            Status::Dead => "dead",
        }
    }
}

/// An image's runtime configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    /// `CMD`.
    pub cmd: Vec<String>,
    /// `ENTRYPOINT`.
    pub entrypoint: Vec<String>,
    /// `ENV`, as `K=V`.
    pub env: Vec<String>,
    /// `WORKDIR`.
    pub workdir: String,
    /// `USER`.
    pub user: String,
    /// `EXPOSE`, as `80/tcp`.
    pub exposed_ports: BTreeSet<String>,
    /// `LABEL`.
    pub labels: BTreeMap<String, String>,
    /// `VOLUME`.
    pub volumes: BTreeSet<String>,
}

impl ImageConfig {
    /// An image or container config from its Engine API JSON (`Cmd`,
    /// `Entrypoint`, `Env`, `WorkingDir`, `User`, `ExposedPorts`, `Labels`,
    /// `Volumes`); what is missing or of another type stays empty.
    pub fn from_json(v: &serde_json::Value) -> ImageConfig {
        let strings = |k: &str| -> Vec<String> {
            v.get(k)
                .and_then(serde_json::Value::as_array)
                .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        let keys = |k: &str| {
            v.get(k)
                .and_then(serde_json::Value::as_object)
                .map(|o| crate::util::set_of(o.keys().cloned()))
                .unwrap_or_default()
        };
        ImageConfig {
            cmd: strings("Cmd"),
            entrypoint: strings("Entrypoint"),
            env: strings("Env"),
            workdir: v.get("WorkingDir").and_then(serde_json::Value::as_str).unwrap_or("").to_string(),
            user: v.get("User").and_then(serde_json::Value::as_str).unwrap_or("").to_string(),
            exposed_ports: keys("ExposedPorts"),
            labels: v
                .get("Labels")
                .and_then(serde_json::Value::as_object)
                .map(|o| {
                    crate::util::map_of(o.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))))
                })
                .unwrap_or_default(),
            volumes: keys("Volumes"),
        }
    }
}

/// One history entry of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// When.
    pub created_ms: u64,
    /// The instruction.
    pub created_by: String,
    /// Whether it added no layer.
    pub empty_layer: bool,
    /// The size it added.
    pub size: u64,
    /// Its comment (`docker commit -m`, `Imported from -`).
    #[serde(default)]
    pub comment: String,
}

/// An image: layers and a config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// `sha256:<hex>`.
    pub id: String,
    /// The image it was built on, when built here.
    pub parent: String,
    /// Layer digests, bottom first.
    pub layers: Vec<String>,
    /// The runtime config.
    pub config: ImageConfig,
    /// When it was created.
    pub created_ms: u64,
    /// Its size in bytes (as reported).
    pub size: u64,
    /// Its history.
    pub history: Vec<History>,
    /// Its repo digests (`nginx@sha256:..`).
    pub repo_digests: Vec<String>,
    /// `Comment`.
    pub comment: String,
    /// The container it was committed from (`Container`,
    /// `ContainerConfig`), when `docker commit` made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed_from: Option<Box<Committed>>,
}

/// The container an image was committed from, as image inspect shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Committed {
    /// The container's id (`Container`).
    pub container: String,
    /// Its image as it was asked for (`ContainerConfig.Image`).
    pub image: String,
    /// Its config (`ContainerConfig`).
    pub config: ImageConfig,
}

/// A layer: files and a reported size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    /// `sha256:<hex>`.
    pub digest: String,
    /// Its files.
    pub files: Fs,
    /// Its reported size in bytes.
    pub size: u64,
}

/// A published port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortBinding {
    /// `80/tcp`.
    pub container_port: String,
    /// `0.0.0.0` or a given address.
    pub host_ip: String,
    /// The host port.
    pub host_port: u16,
}

/// A mount into a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mount {
    /// `volume` or `bind`.
    pub kind: String,
    /// The volume's name, or the host path.
    pub source: String,
    /// The path in the container.
    pub destination: String,
    /// Read-write.
    pub rw: bool,
    /// The mode a `Binds` entry gave (`ro`, `rw,z`, ...; empty when none
    /// was, and for an anonymous volume).
    #[serde(default)]
    pub mode: String,
}

/// A container's place on a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The network's id.
    pub network_id: String,
    /// The endpoint's id.
    pub endpoint_id: String,
    /// Its IPv4 address.
    pub ip: String,
    /// The network's gateway.
    pub gateway: String,
    /// Its MAC address.
    pub mac: String,
    /// DNS aliases.
    pub aliases: Vec<String>,
    /// The endpoint settings dockerd keeps as given (`IPAMConfig`, `Links`,
    /// `DriverOpts`), as JSON text by key.
    #[serde(default)]
    pub kept: BTreeMap<String, String>,
}

/// What a process is doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Program {
    /// A shell script paused in `sleep` until `wake_ms`, then the rest runs.
    Script {
        /// Commands left to run.
        rest: Vec<String>,
        /// When to resume (`None`: waiting for stdin).
        wake_ms: Option<u64>,
    },
    /// An interactive shell reading stdin.
    Interactive,
    /// `cat` copying an open stdin to stdout until stdin closes.
    Cat,
    /// The nginx-like web server.
    Nginx,
    /// The redis-like key-value server.
    Redis,
    /// busybox's web server (`httpd -f`), serving the files under `home`.
    Httpd {
        /// The port it listens on in the container.
        port: u16,
        /// The directory it serves.
        home: String,
    },
    /// A python web server or another program that runs until stopped.
    Forever,
}

/// A process in a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    /// Its PID in the container's namespace.
    pub pid: u32,
    /// Its PID on the simulated host.
    pub host_pid: u32,
    /// Its command line.
    pub argv: Vec<String>,
    /// What it does.
    pub program: Program,
    /// The user.
    pub user: String,
    /// When it started.
    pub started_ms: u64,
    /// An interactive shell's variables, functions, traps and directory
    /// between the lines typed into it, as the script that restores them;
    /// empty for other programs.
    #[serde(default)]
    pub shell: String,
}

/// One chunk of output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// 1 stdout, 2 stderr.
    pub stream: u8,
    /// The text.
    pub text: String,
    /// When.
    pub time_ms: u64,
}

/// A container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    /// 64 hex digits.
    pub id: String,
    /// Without the leading `/`.
    pub name: String,
    /// The image as given (`nginx`).
    pub image_ref: String,
    /// The image's id.
    pub image_id: String,
    /// Entrypoint (effective).
    pub entrypoint: Vec<String>,
    /// Cmd (effective).
    pub cmd: Vec<String>,
    /// Environment (image's then the container's).
    pub env: Vec<String>,
    /// Working directory.
    pub workdir: String,
    /// User.
    pub user: String,
    /// Hostname.
    pub hostname: String,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// Allocate a TTY.
    pub tty: bool,
    /// Keep stdin open.
    pub open_stdin: bool,
    /// Exposed ports.
    pub exposed_ports: BTreeSet<String>,
    /// Published ports.
    pub ports: Vec<PortBinding>,
    /// Mounts.
    pub mounts: Vec<Mount>,
    /// Remove on exit.
    pub auto_remove: bool,
    /// `no`, `always`, `unless-stopped`, `on-failure`.
    pub restart_policy: String,
    /// For `on-failure`.
    pub restart_max: i64,
    /// The memory limit in bytes (`--memory`; 0: none).
    #[serde(default)]
    pub memory: i64,
    /// The CPU limit in billionths of a CPU (`--cpus 0.5`: 500000000; 0: none).
    #[serde(default)]
    pub nano_cpus: i64,
    /// `bridge`, `host`, `none`, or a network's name.
    pub network_mode: String,
    /// The state.
    pub status: Status,
    /// The main process's host PID while running.
    pub pid: u32,
    /// The host PID of the containerd-shim that started it (the main
    /// process's parent on the host, as `docker top` shows it).
    #[serde(default)]
    pub shim_pid: u32,
    /// The last exit code.
    pub exit_code: i64,
    /// Why it could not start.
    pub error: String,
    /// When it was created.
    pub created_ms: u64,
    /// When it last started.
    pub started_ms: Option<u64>,
    /// When it last ended.
    pub finished_ms: Option<u64>,
    /// Restarts done by the policy.
    pub restart_count: i64,
    /// Stopped by the user (for `unless-stopped`).
    pub stopped_by_user: bool,
    /// Starts so far (waiters compare it).
    pub starts: u64,
    /// Exits so far.
    pub exits: u64,
    /// Networks by name.
    pub networks: Map<String, Endpoint>,
    /// The writable layer.
    pub rw: Fs,
    /// What was written to the files dockerd provides (`/etc/hosts`, ...;
    /// see `fs::PROVIDED`), by path.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub provided: Map<String, String>,
    /// `--read-only`: its root filesystem (and the files dockerd provides)
    /// refuse writes.
    #[serde(default)]
    pub read_only: bool,
    /// `--add-host`: `IP\tNAME` lines that end `/etc/hosts`.
    #[serde(default)]
    pub extra_hosts: Vec<String>,
    /// `--tmpfs` mount points and their files (by absolute path), which are
    /// lost when the container stops.
    #[serde(default)]
    pub tmpfs: Map<String, Fs>,
    /// Settings the create request (or `/update`) gave that the simulation
    /// keeps without acting on them, as inspect returns them:
    /// `{"HostConfig": {..}, "Config": {..}}` (`Null`: none).
    #[serde(default)]
    pub kept: serde_json::Value,
    /// Processes (the main one first).
    pub processes: Vec<Process>,
    /// Output.
    pub logs: Vec<LogEntry>,
    /// The next PID inside.
    pub next_pid: u32,
    /// The redis-like server's data.
    pub kv: BTreeMap<String, String>,
    /// Requests served by the web server.
    pub requests: u64,
    /// Its health while it has a health check (`State.Health`).
    #[serde(default)]
    pub health: Option<Health>,
    /// `--link`: the legacy links to other containers on the default bridge
    /// (`HostConfig.Links`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The variables its links gave it when it last started
    /// (`<ALIAS>_NAME`, `<ALIAS>_ENV_*`, `<ALIAS>_PORT_*`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub link_env: Vec<String>,
    /// The `/etc/hosts` lines its links gave it when it last started
    /// (`IP\tALIAS HOSTNAME NAME`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub link_hosts: Vec<String>,
}

/// A legacy link (`--link NAME:ALIAS`) from a container to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The linked container's id.
    pub child: String,
    /// Its name when the link was made, without the leading `/` (shown by
    /// `HostConfig.Links` even once it is gone, as dockerd shows it).
    pub child_name: String,
    /// The alias.
    pub alias: String,
}

/// A container's health (`State.Health`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `starting`, `healthy` or `unhealthy`.
    pub status: String,
    /// Failed checks in a row.
    pub failing_streak: i64,
    /// The last results, oldest first.
    pub log: Vec<HealthLog>,
    /// When the next check runs.
    pub next_ms: u64,
}

/// One health check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthLog {
    /// When it started.
    pub start_ms: u64,
    /// When it ended.
    pub end_ms: u64,
    /// Its exit code (-1: it could not run or timed out).
    pub exit_code: i64,
    /// Its output.
    pub output: String,
}

/// An exec instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exec {
    /// 64 hex digits.
    pub id: String,
    /// The container's id.
    pub container_id: String,
    /// Its command.
    pub argv: Vec<String>,
    /// TTY.
    pub tty: bool,
    /// Stdin attached.
    pub attach_stdin: bool,
    /// Whether it runs.
    pub running: bool,
    /// Its exit code once done.
    pub exit_code: Option<i64>,
    /// Its output.
    pub output: Vec<LogEntry>,
    /// Its PID on the host while running.
    pub pid: u32,
    /// Environment additions.
    pub env: Vec<String>,
    /// Working directory.
    pub workdir: String,
    /// User.
    pub user: String,
    /// Whether it was started.
    pub started: bool,
    /// The keys that detach a client from its TTY (`DetachKeys`; empty:
    /// dockerd's default).
    #[serde(default)]
    pub detach_keys: String,
}

/// A network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    /// 64 hex digits.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `bridge`, `host`, `null`.
    pub driver: String,
    /// `local`.
    pub scope: String,
    /// `172.18.0.0/16` (empty for host/none).
    pub subnet: String,
    /// `172.18.0.1`.
    pub gateway: String,
    /// Internal (no outside access).
    pub internal: bool,
    /// Attachable.
    pub attachable: bool,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// When it was created.
    pub created_ms: u64,
    /// The last host number given out.
    pub last_ip: u32,
    /// The IPAM pools given at creation (JSON text of `IPAM.Config`; empty: the default one).
    #[serde(default)]
    pub ipam_config: String,
    /// `EnableIPv6`.
    #[serde(default)]
    pub enable_ipv6: bool,
}

/// A volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    /// Its name.
    pub name: String,
    /// `local`.
    pub driver: String,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// When it was created.
    pub created_ms: u64,
    /// Its files (paths relative to the volume's root, starting with `/`).
    pub files: Fs,
    /// Created without a name (by `-v /data` or an image's VOLUME).
    pub anonymous: bool,
}

/// An event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `container`, `image`, `network`, `volume`.
    pub typ: String,
    /// `create`, `start`, `die`, ...
    pub action: String,
    /// The object's id.
    pub actor_id: String,
    /// Attributes (`name`, `image`, `exitCode`).
    pub attributes: BTreeMap<String, String>,
    /// When.
    pub time_ms: u64,
}

/// The simulated registry (Docker Hub and the learner's pushes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registry {
    /// Repository (familiar name: `nginx`, `alice/app`) to tag to image.
    pub repos: Map<String, Map<String, Image>>,
    /// Layers the registry holds.
    pub blobs: BTreeSet<String>,
    /// Users who logged in.
    pub logins: BTreeSet<String>,
}

/// Everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The daemon's name (`dockhand-sim`, `remote`).
    pub name: String,
    /// Simulated time, ms since the Unix epoch.
    pub clock_ms: u64,
    /// The id generator's state.
    pub rng: u64,
    /// The next PID on the simulated host.
    pub next_host_pid: u32,
    /// Containers by id.
    pub containers: Map<String, Container>,
    /// Images by id.
    pub images: Map<String, Image>,
    /// `repo:tag` to image id.
    pub tags: BTreeMap<String, String>,
    /// The layer store (local and registry).
    pub layers: Map<String, Layer>,
    /// Networks by id.
    pub networks: Map<String, Network>,
    /// Volumes by name.
    pub volumes: Map<String, Volume>,
    /// Exec instances by id.
    pub execs: Map<String, Exec>,
    /// Events, oldest first (capped).
    pub events: Vec<Event>,
    /// Events dropped from the front of `events` so far.
    pub events_dropped: u64,
    /// The registry.
    pub registry: Registry,
    /// Build cache: key to image id.
    pub build_cache: BTreeMap<String, String>,
    /// The swarm this daemon manages (`None`: not in a swarm).
    #[serde(default)]
    pub swarm: Option<Box<Swarm>>,
    /// The output of removed containers, kept briefly for attached clients.
    #[serde(skip)]
    pub graveyard: Map<String, Removed>,
    /// Managed plugins by name (`NAME:TAG`), as their inspect documents.
    #[serde(default)]
    pub plugins: BTreeMap<String, serde_json::Value>,
}

/// What is kept of a removed container for the clients still attached to
/// it or waiting for it (a `docker run --rm` whose container ended and was
/// removed at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// The order of removal: when the graveyard is full, the oldest goes.
    pub order: u64,
    /// The exit code of its main process.
    pub exit_code: i64,
    /// Everything it wrote.
    pub logs: Vec<LogEntry>,
}

impl Container {
    /// A container `id` named `name` of image `image_id`, created at
    /// `now_ms`, with every setting at dockerd's default (no command, the
    /// bridge network, restart policy `no`): callers set what they were
    /// given with `..Container::new(..)`.
    pub fn new(id: &str, name: &str, image_id: &str, now_ms: u64) -> Container {
        Container {
            id: id.to_string(),
            name: name.to_string(),
            image_ref: String::new(),
            image_id: image_id.to_string(),
            entrypoint: Vec::new(),
            cmd: Vec::new(),
            env: Default::default(),
            workdir: String::new(),
            user: String::new(),
            hostname: id.chars().take(12).collect(),
            labels: BTreeMap::new(),
            tty: false,
            open_stdin: false,
            exposed_ports: Default::default(),
            ports: Vec::new(),
            mounts: Vec::new(),
            auto_remove: false,
            restart_policy: "no".into(),
            restart_max: 0,
            memory: 0,
            nano_cpus: 0,
            network_mode: "bridge".into(),
            status: Status::Created,
            pid: 0,
            shim_pid: 0,
            exit_code: 0,
            error: String::new(),
            created_ms: now_ms,
            started_ms: None,
            finished_ms: None,
            restart_count: 0,
            stopped_by_user: false,
            starts: 0,
            exits: 0,
            networks: Map::new(),
            rw: Fs::new(),
            provided: Map::new(),
            read_only: false,
            extra_hosts: Vec::new(),
            tmpfs: Map::new(),
            kept: serde_json::Value::Null,
            processes: Vec::new(),
            logs: Vec::new(),
            next_pid: 2,
            kv: BTreeMap::new(),
            requests: 0,
            health: None,
            links: Vec::new(),
            link_env: Vec::new(),
            link_hosts: Vec::new(),
        }
    }
}

/// Bookkeeping of the tables that every layer above may ask for.
impl State {
    /// Allocates a host PID.
    pub(crate) fn host_pid(&mut self) -> u32 {
        self.next_host_pid += 1 + (crate::util::next_u64(&mut self.rng) % 7) as u32;
        self.next_host_pid
    }

    /// Appends output to a container's log.
    pub(crate) fn append_logs(&mut self, cid: &str, out: Vec<(u8, String)>) {
        let now = self.clock_ms;
        if let Some(c) = self.containers.get_mut(cid) {
            for (stream, text) in out {
                if !text.is_empty() {
                    c.logs.push(LogEntry { stream, text, time_ms: now });
                }
            }
            if c.logs.len() > 5000 {
                c.logs.drain(..c.logs.len() - 5000);
            }
        }
    }
}
