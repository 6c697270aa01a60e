//! Models of containers.

use std::collections::HashMap;

use crate::Timestamp;
use serde::{Deserialize, Serialize};

use super::timestamp;

string_enum! {
    /// The state of a container, as the API names it.
    pub enum ContainerStateKind {
        /// Created, never started.
        Created = "created",
        /// Running.
        Running = "running",
        /// Paused (its processes are frozen).
        Paused = "paused",
        /// Being restarted by its restart policy.
        Restarting = "restarting",
        /// Being removed.
        Removing = "removing",
        /// Its main process ended.
        Exited = "exited",
        /// Could not be removed fully; only removal is possible.
        Dead = "dead",
    }
}

/// One entry of `GET /containers/json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerSummary {
    /// The container's id.
    pub id: String,
    /// Its names, each with a leading `/`.
    #[serde(deserialize_with = "super::nullable")]
    pub names: Vec<String>,
    /// The image it was created from, as given.
    pub image: String,
    /// The image's id.
    #[serde(rename = "ImageID")]
    pub image_id: String,
    /// The command it runs.
    pub command: String,
    /// When it was created.
    #[serde(with = "timestamp::unix")]
    pub created: Option<Timestamp>,
    /// Its published and exposed ports.
    #[serde(deserialize_with = "super::nullable")]
    pub ports: Vec<PortSummary>,
    /// Bytes written to its writable layer (with `size`).
    pub size_rw: Option<i64>,
    /// Bytes of its whole filesystem (with `size`).
    pub size_root_fs: Option<i64>,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// Its state.
    pub state: ContainerStateKind,
    /// Its status in words (`Up 3 minutes`, `Exited (0) 2 seconds ago`).
    pub status: String,
    /// Its network mode.
    #[serde(deserialize_with = "super::nullable")]
    pub host_config: ContainerSummaryHostConfig,
    /// Its networks.
    #[serde(deserialize_with = "super::nullable")]
    pub network_settings: ContainerSummaryNetworkSettings,
    /// Its mounts.
    #[serde(deserialize_with = "super::nullable")]
    pub mounts: Vec<MountPoint>,
    /// The descriptor of the platform manifest of its image (API 1.48,
    /// daemons with the containerd image store).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_manifest_descriptor: Option<super::OciDescriptor>,
}

/// The host configuration part of a [`ContainerSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerSummaryHostConfig {
    /// `bridge`, `host`, `none`, `container:<id>` or a network's name.
    pub network_mode: String,
    /// Its annotations (API 1.46; `None` from older daemons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations: Option<HashMap<String, String>>,
}

/// The networks of a [`ContainerSummary`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerSummaryNetworkSettings {
    /// Endpoints by network name.
    #[serde(deserialize_with = "super::nullable")]
    pub networks: HashMap<String, EndpointSettings>,
}

impl ContainerSummary {
    /// The first name without its leading `/`.
    pub fn name(&self) -> Option<&str> {
        self.names.first().map(|n| n.trim_start_matches('/'))
    }
}

/// A port of a [`ContainerSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PortSummary {
    /// The host address it is published on.
    #[serde(rename = "IP", skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The port inside the container.
    pub private_port: u16,
    /// The port on the host, when published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_port: Option<u16>,
    /// `tcp`, `udp` or `sctp`.
    #[serde(rename = "Type")]
    pub typ: String,
}

// ---------------------------------------------------------------------------
// Serde helpers for the container models.

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// `{"80/tcp": {}, "53/udp": {}}` (exposed ports, volumes) as a set of keys.
mod key_set {
    use std::collections::{BTreeMap, BTreeSet};

    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(serde::Serialize)]
    struct Empty {}

    pub fn serialize<S: Serializer>(set: &BTreeSet<String>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(set.iter().map(|k| (k, Empty {})))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<String>, D::Error> {
        let map: Option<BTreeMap<String, serde::de::IgnoredAny>> = Option::deserialize(d)?;
        Ok(map.map(|m| m.into_keys().collect()).unwrap_or_default())
    }
}

/// A map whose values Go may write as `null` (a port exposed but not
/// published): `null` values become empty lists.
fn nullable_values<'de, D, V>(d: D) -> Result<HashMap<String, Vec<V>>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    let map: Option<HashMap<String, Option<Vec<V>>>> = Option::deserialize(d)?;
    Ok(map.unwrap_or_default().into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect())
}

// ---------------------------------------------------------------------------
// Configuration: what `create` sends and `inspect` returns.

/// A container's configuration that does not depend on the host: image,
/// command, environment, ... (`Config` in inspect, the top level of a create
/// body).
///
/// Build one with [`crate::api::ContainerCreate`]; this type is what it
/// fills and what [`ContainerInspect::config`] holds. Empty and unset fields
/// are not sent, so the image's defaults apply.
///
/// Its `Debug` output shows environment variables by name only
/// (`TOKEN=…`): their values often hold secrets.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerConfig {
    /// The host name inside the container.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// The domain name inside the container.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domainname: String,
    /// The user (and group) the command runs as: `name`, `uid`, `uid:gid`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// Whether stdin is attached.
    #[serde(skip_serializing_if = "is_false")]
    pub attach_stdin: bool,
    /// Whether stdout is attached.
    #[serde(skip_serializing_if = "is_false")]
    pub attach_stdout: bool,
    /// Whether stderr is attached.
    #[serde(skip_serializing_if = "is_false")]
    pub attach_stderr: bool,
    /// Ports exposed (`80/tcp`, `53/udp`).
    #[serde(with = "key_set", skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub exposed_ports: std::collections::BTreeSet<String>,
    /// Whether the container has a pseudo-terminal (stdout and stderr are
    /// then one raw stream).
    #[serde(skip_serializing_if = "is_false")]
    pub tty: bool,
    /// Whether stdin stays open even when nothing is attached.
    #[serde(skip_serializing_if = "is_false")]
    pub open_stdin: bool,
    /// Whether stdin closes after the first attached client detaches.
    #[serde(skip_serializing_if = "is_false")]
    pub stdin_once: bool,
    /// Environment variables, `NAME=value`.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// The command (the image's `CMD` when empty).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub cmd: Vec<String>,
    /// How the container's health is checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<HealthConfig>,
    /// Whether the command is already escaped (Windows).
    #[serde(skip_serializing_if = "is_false")]
    pub args_escaped: bool,
    /// The image, as given to create.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// Anonymous volumes, by mount point.
    #[serde(with = "key_set", skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub volumes: std::collections::BTreeSet<String>,
    /// The working directory of the command.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    /// The entrypoint (the image's when empty; `[""]` clears it).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub entrypoint: Vec<String>,
    /// Whether networking is disabled.
    #[serde(skip_serializing_if = "is_false")]
    pub network_disabled: bool,
    /// `ONBUILD` instructions of the image.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub on_build: Vec<String>,
    /// Labels.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub labels: HashMap<String, String>,
    /// The signal that stops the container (`SIGTERM` when empty).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub stop_signal: String,
    /// Seconds to wait for the container to stop before killing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<i64>,
    /// The shell of `RUN`-style shell forms.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub shell: Vec<String>,
}

/// Environment variables by name only, for `Debug`.
struct RedactedEnv<'a>(&'a [String]);

impl std::fmt::Debug for RedactedEnv<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.iter().map(|var| format!("{}=…", var.split('=').next().unwrap_or("")))).finish()
    }
}

impl std::fmt::Debug for ContainerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContainerConfig")
            .field("hostname", &self.hostname)
            .field("domainname", &self.domainname)
            .field("user", &self.user)
            .field("attach_stdin", &self.attach_stdin)
            .field("attach_stdout", &self.attach_stdout)
            .field("attach_stderr", &self.attach_stderr)
            .field("exposed_ports", &self.exposed_ports)
            .field("tty", &self.tty)
            .field("open_stdin", &self.open_stdin)
            .field("stdin_once", &self.stdin_once)
            .field("env", &RedactedEnv(&self.env))
            .field("cmd", &self.cmd)
            .field("healthcheck", &self.healthcheck)
            .field("args_escaped", &self.args_escaped)
            .field("image", &self.image)
            .field("volumes", &self.volumes)
            .field("working_dir", &self.working_dir)
            .field("entrypoint", &self.entrypoint)
            .field("network_disabled", &self.network_disabled)
            .field("on_build", &self.on_build)
            .field("labels", &self.labels)
            .field("stop_signal", &self.stop_signal)
            .field("stop_timeout", &self.stop_timeout)
            .field("shell", &self.shell)
            .finish()
    }
}

/// A health check (`HEALTHCHECK` in a Dockerfile). Durations are in
/// nanoseconds, as the API has them; the builder methods take
/// [`std::time::Duration`].
///
/// ```
/// use std::time::Duration;
/// use dockhand::models::HealthConfig;
/// let h = HealthConfig::shell("wget -q -O- http://127.0.0.1/ || exit 1")
///     .interval(Duration::from_secs(5))
///     .retries(3);
/// assert_eq!(h.test, ["CMD-SHELL", "wget -q -O- http://127.0.0.1/ || exit 1"]);
/// assert_eq!(h.interval, Some(5_000_000_000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct HealthConfig {
    /// `[]` (inherit), `["NONE"]`, `["CMD", args...]` or
    /// `["CMD-SHELL", command]`.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub test: Vec<String>,
    /// Nanoseconds between checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<i64>,
    /// Nanoseconds after which one check counts as failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    /// Consecutive failures that make the container unhealthy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<i64>,
    /// Nanoseconds of start-up during which failures do not count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_period: Option<i64>,
    /// Nanoseconds between checks during the start period (API 1.44; older
    /// daemons ignore it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_interval: Option<i64>,
}

fn nanos(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

impl HealthConfig {
    /// Runs `args` directly (`["CMD", args...]`).
    pub fn cmd<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut test = vec![String::from("CMD")];
        test.extend(args.into_iter().map(Into::into));
        HealthConfig { test, ..Default::default() }
    }

    /// Runs `command` with the container's shell (`["CMD-SHELL", command]`).
    pub fn shell(command: impl Into<String>) -> Self {
        HealthConfig { test: vec![String::from("CMD-SHELL"), command.into()], ..Default::default() }
    }

    /// Turns off a health check the image defines (`["NONE"]`).
    pub fn none() -> Self {
        HealthConfig { test: vec![String::from("NONE")], ..Default::default() }
    }

    /// Time between checks.
    pub fn interval(mut self, d: std::time::Duration) -> Self {
        self.interval = Some(nanos(d));
        self
    }

    /// Time after which one check counts as failed.
    pub fn timeout(mut self, d: std::time::Duration) -> Self {
        self.timeout = Some(nanos(d));
        self
    }

    /// Consecutive failures that make the container unhealthy.
    pub fn retries(mut self, n: i64) -> Self {
        self.retries = Some(n);
        self
    }

    /// Start-up time during which failures do not count.
    pub fn start_period(mut self, d: std::time::Duration) -> Self {
        self.start_period = Some(nanos(d));
        self
    }

    /// Time between checks during the start period (API 1.44; not sent to
    /// older daemons, which check at [`HealthConfig::interval`] throughout).
    pub fn start_interval(mut self, d: std::time::Duration) -> Self {
        self.start_interval = Some(nanos(d));
        self
    }
}

/// Limits and devices of a container (part of [`HostConfig`], and the body
/// of an update). Unset fields are not sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Resources {
    /// Relative CPU weight (1024 is the default share).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_shares: Option<i64>,
    /// Memory limit in bytes (0: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// The parent cgroup.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cgroup_parent: String,
    /// Block IO weight (10 to 1000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blkio_weight: Option<u16>,
    /// CFS period in microseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_period: Option<i64>,
    /// CFS quota in microseconds per period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_quota: Option<i64>,
    /// Real-time period in microseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_realtime_period: Option<i64>,
    /// Real-time runtime in microseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_realtime_runtime: Option<i64>,
    /// CPUs the container may use (`0-3`, `0,1`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cpuset_cpus: String,
    /// Memory nodes the container may use.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cpuset_mems: String,
    /// Host devices given to the container.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceMapping>,
    /// Device cgroup rules (`c 13:* rwm`).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub device_cgroup_rules: Vec<String>,
    /// Soft memory limit in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i64>,
    /// Memory plus swap limit in bytes (`-1`: unlimited swap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_swap: Option<i64>,
    /// Swappiness, 0 to 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_swappiness: Option<i64>,
    /// CPU limit in billionths of a CPU (`1_500_000_000` is 1.5 CPUs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nano_cpus: Option<i64>,
    /// Whether the OOM killer is disabled for the container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oom_kill_disable: Option<bool>,
    /// Whether an init process reaps zombies and forwards signals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<bool>,
    /// Maximum number of processes (`0` or `-1`: unlimited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pids_limit: Option<i64>,
    /// Resource limits (`nofile`, ...).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub ulimits: Vec<Ulimit>,
}

/// A host device given to a container.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DeviceMapping {
    /// The device on the host.
    pub path_on_host: String,
    /// Where it appears in the container.
    pub path_in_container: String,
    /// `r`, `w`, `m` or a combination.
    pub cgroup_permissions: String,
}

impl DeviceMapping {
    /// `host` at `container` with permissions `rwm`.
    pub fn new(host: impl Into<String>, container: impl Into<String>) -> Self {
        DeviceMapping {
            path_on_host: host.into(),
            path_in_container: container.into(),
            cgroup_permissions: String::from("rwm"),
        }
    }
}

/// A resource limit (`ulimit`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Ulimit {
    /// Its name (`nofile`, `nproc`, ...).
    pub name: String,
    /// The soft limit.
    pub soft: i64,
    /// The hard limit.
    pub hard: i64,
}

impl Ulimit {
    /// A limit `name` with these soft and hard values.
    pub fn new(name: impl Into<String>, soft: i64, hard: i64) -> Self {
        Ulimit { name: name.into(), soft, hard }
    }
}

string_enum! {
    /// When the daemon restarts a container.
    pub enum RestartPolicyName {
        /// Never (also the empty name).
        No = "no",
        /// Always, also when the daemon starts.
        Always = "always",
        /// Always, unless it was stopped by hand.
        UnlessStopped = "unless-stopped",
        /// When it exits with a non-zero code, up to a number of times.
        OnFailure = "on-failure",
    }
}

/// A restart policy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct RestartPolicy {
    /// When to restart.
    pub name: RestartPolicyName,
    /// For `on-failure`: how many times at most (0: no limit).
    pub maximum_retry_count: i64,
}

impl RestartPolicy {
    /// Never restart.
    pub fn no() -> Self {
        RestartPolicy { name: RestartPolicyName::No, maximum_retry_count: 0 }
    }
    /// Always restart.
    pub fn always() -> Self {
        RestartPolicy { name: RestartPolicyName::Always, maximum_retry_count: 0 }
    }
    /// Restart unless stopped by hand.
    pub fn unless_stopped() -> Self {
        RestartPolicy { name: RestartPolicyName::UnlessStopped, maximum_retry_count: 0 }
    }
    /// Restart after a non-zero exit, at most `max_retries` times (0: no
    /// limit).
    pub fn on_failure(max_retries: i64) -> Self {
        RestartPolicy { name: RestartPolicyName::OnFailure, maximum_retry_count: max_retries }
    }
}

/// Where a container port is published on the host.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PortBinding {
    /// The host address (empty: all).
    pub host_ip: String,
    /// The host port (empty: one the daemon picks).
    pub host_port: String,
}

impl PortBinding {
    /// Publishes on `host_ip:host_port` (`""` for all addresses, `""` or
    /// `"0"` for a port the daemon picks).
    pub fn new(host_ip: impl Into<String>, host_port: impl Into<String>) -> Self {
        PortBinding { host_ip: host_ip.into(), host_port: host_port.into() }
    }
}

string_enum! {
    /// The kind of a mount.
    pub enum MountType {
        /// A host path.
        Bind = "bind",
        /// A named or anonymous volume.
        Volume = "volume",
        /// A memory filesystem.
        Tmpfs = "tmpfs",
        /// A Windows named pipe.
        Npipe = "npipe",
        /// A cluster volume (swarm).
        Cluster = "cluster",
        /// An image's filesystem (API 1.48).
        Image = "image",
    }
}

/// A mount requested at create (`HostConfig.Mounts`).
///
/// ```
/// use dockhand::models::Mount;
/// let m = Mount::tmpfs("/scratch").tmpfs_size(64 << 20);
/// assert_eq!(serde_json::to_value(&m).unwrap()["TmpfsOptions"]["SizeBytes"], 64 << 20);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Mount {
    /// The path in the container.
    pub target: String,
    /// The host path (bind) or volume name (volume).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// The kind of mount.
    #[serde(rename = "Type")]
    pub typ: MountType,
    /// Whether it is read-only.
    #[serde(skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Consistency (macOS): `default`, `consistent`, `cached`, `delegated`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub consistency: String,
    /// Options of a bind mount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind_options: Option<BindOptions>,
    /// Options of a volume mount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_options: Option<VolumeOptions>,
    /// Options of a tmpfs mount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpfs_options: Option<TmpfsOptions>,
    /// Options of an image mount (API 1.48).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_options: Option<ImageMountOptions>,
}

impl Mount {
    /// Binds host path `source` at `target`.
    pub fn bind(source: impl Into<String>, target: impl Into<String>) -> Self {
        Mount { typ: MountType::Bind, source: source.into(), target: target.into(), ..Default::default() }
    }

    /// Mounts volume `name` at `target` (created if missing).
    pub fn volume(name: impl Into<String>, target: impl Into<String>) -> Self {
        Mount { typ: MountType::Volume, source: name.into(), target: target.into(), ..Default::default() }
    }

    /// Mounts image `name`'s filesystem at `target`, read-only (API 1.48;
    /// an experimental feature of the daemon). An older daemon rejects the
    /// mount type.
    pub fn image(name: impl Into<String>, target: impl Into<String>) -> Self {
        Mount { typ: MountType::Image, source: name.into(), target: target.into(), ..Default::default() }
    }

    /// A memory filesystem at `target`.
    pub fn tmpfs(target: impl Into<String>) -> Self {
        Mount { typ: MountType::Tmpfs, target: target.into(), ..Default::default() }
    }

    /// Makes the mount read-only.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// Limits a tmpfs mount to `bytes`.
    pub fn tmpfs_size(mut self, bytes: i64) -> Self {
        self.tmpfs_options.get_or_insert_with(Default::default).size_bytes = Some(bytes);
        self
    }

    /// Adds a mount option of a tmpfs mount, `["exec"]` or
    /// `["nr_inodes", "1000"]` (API 1.46; not sent to older daemons, which
    /// mount tmpfs `noexec`).
    pub fn tmpfs_option<S: Into<String>>(mut self, option: impl IntoIterator<Item = S>) -> Self {
        let option = option.into_iter().map(Into::into).collect();
        self.tmpfs_options.get_or_insert_with(Default::default).options.push(option);
        self
    }

    /// Mounts only `path` inside the volume (API 1.45; not sent to older
    /// daemons, which mount the whole volume).
    pub fn volume_subpath(mut self, path: impl Into<String>) -> Self {
        self.volume_options.get_or_insert_with(Default::default).subpath = path.into();
        self
    }

    /// With [`Mount::read_only`], leaves the bind mount's sub-mounts
    /// writable (API 1.44; from 1.44 on a read-only bind is read-only
    /// recursively where the kernel can, while older daemons, which are
    /// not sent this, always leave sub-mounts writable).
    pub fn read_only_non_recursive(mut self, yes: bool) -> Self {
        self.bind_options.get_or_insert_with(Default::default).read_only_non_recursive = yes;
        self
    }

    /// With [`Mount::read_only`], fails the start unless the bind mount's
    /// sub-mounts can be made read-only too (API 1.44; not sent to older
    /// daemons).
    pub fn read_only_force_recursive(mut self, yes: bool) -> Self {
        self.bind_options.get_or_insert_with(Default::default).read_only_force_recursive = yes;
        self
    }

    /// Creates a bind mount's missing host path as a directory instead of
    /// failing (API 1.42; not sent to older daemons, where a missing source
    /// of `Mounts` fails the create).
    pub fn create_mountpoint(mut self, create: bool) -> Self {
        self.bind_options.get_or_insert_with(Default::default).create_mountpoint = create;
        self
    }
}

/// Options of a bind mount.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BindOptions {
    /// Propagation mode (`rprivate`, `shared`, ...).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub propagation: String,
    /// Whether sub-mounts are left out.
    #[serde(skip_serializing_if = "is_false")]
    pub non_recursive: bool,
    /// Whether a missing host path is created as a directory (API 1.42).
    #[serde(skip_serializing_if = "is_false")]
    pub create_mountpoint: bool,
    /// With `read_only`, whether sub-mounts stay writable (API 1.44; from
    /// 1.44 on, read-only bind mounts are read-only recursively where the
    /// kernel can).
    #[serde(skip_serializing_if = "is_false")]
    pub read_only_non_recursive: bool,
    /// With `read_only`, fail unless sub-mounts can be made read-only too
    /// (API 1.44).
    #[serde(skip_serializing_if = "is_false")]
    pub read_only_force_recursive: bool,
}

/// Options of an image mount ([`MountType::Image`], API 1.48).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageMountOptions {
    /// The path inside the image to mount.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subpath: String,
}

/// Options of a volume mount.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct VolumeOptions {
    /// Whether the image's content at the target is not copied into a new
    /// volume.
    #[serde(skip_serializing_if = "is_false")]
    pub no_copy: bool,
    /// Labels of a volume created for the mount.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub labels: HashMap<String, String>,
    /// Sub-path of the volume to mount (API 1.45).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subpath: String,
}

/// Options of a tmpfs mount.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TmpfsOptions {
    /// Its size in bytes (unlimited when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
    /// Its permission bits (`0o1777` when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
    /// Mount options as `[name]` or `[name, value]` (`[["exec"]]`; API 1.46).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Vec<String>>,
}

/// Where a container's logs go.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct LogConfig {
    /// The driver (`json-file`, `local`, `none`, ...).
    #[serde(rename = "Type")]
    pub typ: String,
    /// The driver's options.
    #[serde(deserialize_with = "super::nullable")]
    pub config: HashMap<String, String>,
}

/// A container's configuration that depends on the host: ports, mounts,
/// limits, restart policy, networking mode, privileges (`HostConfig`).
/// Unset and empty fields are not sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct HostConfig {
    /// Limits and devices.
    #[serde(flatten)]
    pub resources: Resources,
    /// Bind mounts as `host-path:container-path[:options]`.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub binds: Vec<String>,
    /// A file the daemon writes the container id to.
    #[serde(rename = "ContainerIDFile", skip_serializing_if = "String::is_empty")]
    pub container_id_file: String,
    /// Where logs go.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_config: Option<LogConfig>,
    /// `bridge`, `host`, `none`, `container:<id>` or a network's name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub network_mode: String,
    /// Published ports: `"80/tcp"` to host bindings.
    #[serde(deserialize_with = "nullable_values", skip_serializing_if = "HashMap::is_empty")]
    pub port_bindings: HashMap<String, Vec<PortBinding>>,
    /// When to restart the container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<RestartPolicy>,
    /// Whether the daemon removes the container when it exits.
    #[serde(skip_serializing_if = "is_false")]
    pub auto_remove: bool,
    /// The driver of volumes this container creates.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub volume_driver: String,
    /// Containers whose volumes are mounted too (`name[:ro]`).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub volumes_from: Vec<String>,
    /// Mounts.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<Mount>,
    /// Capabilities added.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub cap_add: Vec<String>,
    /// Capabilities dropped.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub cap_drop: Vec<String>,
    /// Cgroup namespace mode: `private` or `host`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cgroupns_mode: String,
    /// DNS servers.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub dns: Vec<String>,
    /// DNS options.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub dns_options: Vec<String>,
    /// DNS search domains.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub dns_search: Vec<String>,
    /// Extra `/etc/hosts` lines as `host:ip`.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub extra_hosts: Vec<String>,
    /// Additional groups of the container's process.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub group_add: Vec<String>,
    /// IPC namespace mode.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ipc_mode: String,
    /// Linked containers (legacy).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// OOM score adjustment.
    #[serde(skip_serializing_if = "is_zero")]
    pub oom_score_adj: i64,
    /// PID namespace mode (`host`, `container:<id>`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pid_mode: String,
    /// Whether the container runs privileged.
    #[serde(skip_serializing_if = "is_false")]
    pub privileged: bool,
    /// Whether every exposed port is published on a random host port.
    #[serde(skip_serializing_if = "is_false")]
    pub publish_all_ports: bool,
    /// Whether the root filesystem is read-only.
    #[serde(skip_serializing_if = "is_false")]
    pub readonly_rootfs: bool,
    /// Security options (`no-new-privileges`, `seccomp=...`).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub security_opt: Vec<String>,
    /// Storage driver options.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub storage_opt: HashMap<String, String>,
    /// Memory filesystems: mount point to mount options (`size=64m`).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub tmpfs: HashMap<String, String>,
    /// UTS namespace mode.
    #[serde(rename = "UTSMode", skip_serializing_if = "String::is_empty")]
    pub uts_mode: String,
    /// User namespace mode.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub userns_mode: String,
    /// Size of `/dev/shm` in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shm_size: Option<i64>,
    /// Kernel parameters.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub sysctls: HashMap<String, String>,
    /// The OCI runtime.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub runtime: String,
    /// Isolation technology (Windows).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub isolation: String,
    /// Arbitrary metadata, also passed to the OCI runtime (API 1.43).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub annotations: HashMap<String, String>,
}

/// Networks to connect a container to at create.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkingConfig {
    /// Endpoint settings by network name.
    #[serde(deserialize_with = "super::nullable")]
    pub endpoints_config: HashMap<String, EndpointSettings>,
}

/// A container's endpoint on one network (in create, and in
/// [`NetworkSettings::networks`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct EndpointSettings {
    /// Static addresses asked for.
    #[serde(rename = "IPAMConfig", skip_serializing_if = "Option::is_none")]
    pub ipam_config: Option<EndpointIpamConfig>,
    /// Links (legacy).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Extra DNS names of the container on this network.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The MAC address. Asked for per endpoint from API 1.44 on; to an
    /// older daemon the SDK sends the one endpoint's address as the
    /// container-wide `MacAddress` at create (as the docker CLI does).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mac_address: String,
    /// Driver options.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub driver_opts: HashMap<String, String>,
    /// The network's id.
    #[serde(rename = "NetworkID", skip_serializing_if = "String::is_empty")]
    pub network_id: String,
    /// The endpoint's id.
    #[serde(rename = "EndpointID", skip_serializing_if = "String::is_empty")]
    pub endpoint_id: String,
    /// The IPv4 gateway.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub gateway: String,
    /// The IPv4 address.
    #[serde(rename = "IPAddress", skip_serializing_if = "String::is_empty")]
    pub ip_address: String,
    /// The IPv4 prefix length.
    #[serde(rename = "IPPrefixLen", skip_serializing_if = "is_zero")]
    pub ip_prefix_len: i64,
    /// The IPv6 gateway.
    #[serde(rename = "IPv6Gateway", skip_serializing_if = "String::is_empty")]
    pub ipv6_gateway: String,
    /// The IPv6 address.
    #[serde(rename = "GlobalIPv6Address", skip_serializing_if = "String::is_empty")]
    pub global_ipv6_address: String,
    /// The IPv6 prefix length.
    #[serde(rename = "GlobalIPv6PrefixLen", skip_serializing_if = "is_zero")]
    pub global_ipv6_prefix_len: i64,
    /// DNS names of the container on this network (API 1.44).
    #[serde(rename = "DNSNames", deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub dns_names: Vec<String>,
    /// Which endpoint gives the container its default gateway: the highest
    /// priority wins, ties go to the network name that sorts first (API
    /// 1.48; `None` from older daemons, and not sent to them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gw_priority: Option<i64>,
}

impl EndpointSettings {
    /// Settings with nothing but these aliases.
    pub fn with_aliases<I, S>(aliases: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        EndpointSettings { aliases: aliases.into_iter().map(Into::into).collect(), ..Default::default() }
    }
}

/// Static addresses of an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EndpointIpamConfig {
    /// The IPv4 address.
    #[serde(rename = "IPv4Address", skip_serializing_if = "String::is_empty")]
    pub ipv4_address: String,
    /// The IPv6 address.
    #[serde(rename = "IPv6Address", skip_serializing_if = "String::is_empty")]
    pub ipv6_address: String,
    /// Link-local addresses.
    #[serde(rename = "LinkLocalIPs", deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub link_local_ips: Vec<String>,
}

// ---------------------------------------------------------------------------
// Answers.

/// The answer of `POST /containers/create`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerCreateResponse {
    /// The new container's id.
    pub id: String,
    /// What the daemon warns about (a limit the kernel does not support).
    #[serde(deserialize_with = "super::nullable")]
    pub warnings: Vec<String>,
}

/// The answer of `POST /containers/{id}/update`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerUpdateResponse {
    /// What the daemon warns about.
    #[serde(deserialize_with = "super::nullable")]
    pub warnings: Vec<String>,
}

/// The answer of `POST /containers/prune`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerPruneResponse {
    /// Ids of the removed containers.
    #[serde(deserialize_with = "super::nullable")]
    pub containers_deleted: Vec<String>,
    /// Bytes freed.
    pub space_reclaimed: u64,
}

/// The answer of `GET /containers/{id}/top`: a `ps` table.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerTop {
    /// Column titles (`UID`, `PID`, `CMD`, ...).
    #[serde(deserialize_with = "super::nullable")]
    pub titles: Vec<String>,
    /// One row per process, one value per title.
    #[serde(deserialize_with = "super::nullable")]
    pub processes: Vec<Vec<String>>,
}

impl ContainerTop {
    /// The values of column `title`, one per process.
    ///
    /// ```
    /// let top: dockhand::models::ContainerTop = serde_json::from_str(
    ///     r#"{"Titles":["PID","CMD"],"Processes":[["7","sleep 9"]]}"#).unwrap();
    /// assert_eq!(top.column("CMD").collect::<Vec<_>>(), ["sleep 9"]);
    /// ```
    pub fn column<'a>(&'a self, title: &str) -> impl Iterator<Item = &'a str> + 'a {
        let index = self.titles.iter().position(|t| t == title);
        self.processes.iter().filter_map(move |row| row.get(index?).map(String::as_str))
    }
}

/// What happened to a path, in `GET /containers/{id}/changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FilesystemChangeKind {
    /// Changed (the API's 0).
    Modified,
    /// Created (1).
    Added,
    /// Removed (2).
    Deleted,
    /// A value dockhand does not know, kept as sent (`-1` when missing).
    Unknown(i64),
}

impl FilesystemChangeKind {
    /// The API's number.
    pub fn code(self) -> i64 {
        match self {
            FilesystemChangeKind::Modified => 0,
            FilesystemChangeKind::Added => 1,
            FilesystemChangeKind::Deleted => 2,
            FilesystemChangeKind::Unknown(n) => n,
        }
    }
}

impl Default for FilesystemChangeKind {
    fn default() -> Self {
        FilesystemChangeKind::Unknown(-1)
    }
}

impl Serialize for FilesystemChangeKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for FilesystemChangeKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<i64>::deserialize(d)? {
            Some(0) => FilesystemChangeKind::Modified,
            Some(1) => FilesystemChangeKind::Added,
            Some(2) => FilesystemChangeKind::Deleted,
            Some(n) => FilesystemChangeKind::Unknown(n),
            None => FilesystemChangeKind::default(),
        })
    }
}

/// One entry of `GET /containers/{id}/changes`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct FilesystemChange {
    /// The path in the container.
    pub path: String,
    /// What happened to it.
    pub kind: FilesystemChangeKind,
}

string_enum! {
    /// What `wait` waits for.
    pub enum WaitCondition {
        /// The container is not running (returns at once if it is not).
        NotRunning = "not-running",
        /// The container's next exit, even if it is not running now.
        NextExit = "next-exit",
        /// The container is removed.
        Removed = "removed",
    }
}

/// The answer of `POST /containers/{id}/wait`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerWaitResponse {
    /// The container's exit code (`128 + n` when killed by signal `n`).
    pub status_code: i64,
    /// An error of the wait itself, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<WaitError>,
}

/// An error reported by `wait`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct WaitError {
    /// What went wrong.
    pub message: String,
}

// ---------------------------------------------------------------------------
// Inspect.

string_enum! {
    /// A container's health.
    pub enum HealthStatus {
        /// No health check.
        None = "none",
        /// In the start period, no verdict yet.
        Starting = "starting",
        /// The last checks passed.
        Healthy = "healthy",
        /// Too many consecutive checks failed.
        Unhealthy = "unhealthy",
    }
}

/// The answer of `GET /containers/{id}/json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerInspect {
    /// The container's id.
    pub id: String,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created: Option<Timestamp>,
    /// The path of the command.
    pub path: String,
    /// The command's arguments.
    #[serde(deserialize_with = "super::nullable")]
    pub args: Vec<String>,
    /// Its state.
    #[serde(deserialize_with = "super::nullable")]
    pub state: ContainerState,
    /// The image's id.
    pub image: String,
    /// Path of its `resolv.conf` on the host.
    pub resolv_conf_path: String,
    /// Path of its `hostname` file on the host.
    pub hostname_path: String,
    /// Path of its `hosts` file on the host.
    pub hosts_path: String,
    /// Path of its log file on the host.
    pub log_path: String,
    /// Its name, with a leading `/` (see [`ContainerInspect::name`]).
    pub name: String,
    /// How many times the daemon restarted it.
    pub restart_count: i64,
    /// The storage driver.
    pub driver: String,
    /// The platform (`linux`).
    pub platform: String,
    /// SELinux mount label.
    pub mount_label: String,
    /// SELinux process label.
    pub process_label: String,
    /// AppArmor profile.
    pub app_armor_profile: String,
    /// Ids of its exec instances.
    #[serde(rename = "ExecIDs", deserialize_with = "super::nullable")]
    pub exec_ids: Vec<String>,
    /// Its host configuration.
    #[serde(deserialize_with = "super::nullable")]
    pub host_config: HostConfig,
    /// Its storage driver's data.
    #[serde(deserialize_with = "super::nullable")]
    pub graph_driver: GraphDriver,
    /// Bytes written to its writable layer (inspect with size).
    pub size_rw: Option<i64>,
    /// Bytes of its whole filesystem (inspect with size).
    pub size_root_fs: Option<i64>,
    /// Its mounts.
    #[serde(deserialize_with = "super::nullable")]
    pub mounts: Vec<MountPoint>,
    /// Its configuration.
    #[serde(deserialize_with = "super::nullable")]
    pub config: ContainerConfig,
    /// Its networking.
    #[serde(deserialize_with = "super::nullable")]
    pub network_settings: NetworkSettings,
    /// The descriptor of the platform manifest of its image (API 1.48,
    /// daemons with the containerd image store).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_manifest_descriptor: Option<super::OciDescriptor>,
}

impl ContainerInspect {
    /// The name without its leading `/`.
    pub fn name(&self) -> &str {
        self.name.trim_start_matches('/')
    }
}

/// The state part of [`ContainerInspect`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerState {
    /// Its state.
    pub status: ContainerStateKind,
    /// Whether it runs (also true while paused).
    pub running: bool,
    /// Whether it is paused.
    pub paused: bool,
    /// Whether it is being restarted.
    pub restarting: bool,
    /// Whether the kernel's OOM killer ended it.
    #[serde(rename = "OOMKilled")]
    pub oom_killed: bool,
    /// Whether it is dead.
    pub dead: bool,
    /// Its main process's pid on the host (0 when not running).
    pub pid: i64,
    /// The exit code of its last run.
    pub exit_code: i64,
    /// Why it could not start, if it could not.
    pub error: String,
    /// When it last started.
    #[serde(with = "timestamp::rfc3339")]
    pub started_at: Option<Timestamp>,
    /// When it last finished.
    #[serde(with = "timestamp::rfc3339")]
    pub finished_at: Option<Timestamp>,
    /// Its health, when it has a health check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<Health>,
}

/// A container's health.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Health {
    /// The verdict.
    pub status: HealthStatus,
    /// Consecutive failed checks.
    pub failing_streak: i64,
    /// The last checks.
    #[serde(deserialize_with = "super::nullable")]
    pub log: Vec<HealthcheckResult>,
}

/// One health check run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct HealthcheckResult {
    /// When it started.
    #[serde(with = "timestamp::rfc3339")]
    pub start: Option<Timestamp>,
    /// When it ended.
    #[serde(with = "timestamp::rfc3339")]
    pub end: Option<Timestamp>,
    /// Its exit code (0 healthy, 1 unhealthy).
    pub exit_code: i64,
    /// Its output.
    pub output: String,
}

/// The storage driver's data about a container.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct GraphDriver {
    /// The driver (`overlay2`).
    pub name: String,
    /// Its data (layer directories).
    #[serde(deserialize_with = "super::nullable")]
    pub data: HashMap<String, String>,
}

/// A mount of a running or created container, as inspect reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct MountPoint {
    /// The kind of mount.
    #[serde(rename = "Type")]
    pub typ: MountType,
    /// The volume's name (volumes).
    pub name: String,
    /// The host path or the volume's path.
    pub source: String,
    /// The path in the container.
    pub destination: String,
    /// The volume driver.
    pub driver: String,
    /// Mode options as given (`ro`, `z`).
    pub mode: String,
    /// Whether it is writable.
    #[serde(rename = "RW")]
    pub rw: bool,
    /// Propagation mode.
    pub propagation: String,
}

/// The networking part of [`ContainerInspect`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkSettings {
    /// The network sandbox's id.
    #[serde(rename = "SandboxID")]
    pub sandbox_id: String,
    /// The network namespace's path.
    pub sandbox_key: String,
    /// Exposed ports and where they are published (empty list: exposed,
    /// not published).
    #[serde(deserialize_with = "nullable_values")]
    pub ports: HashMap<String, Vec<PortBinding>>,
    /// Endpoints by network name.
    #[serde(deserialize_with = "super::nullable")]
    pub networks: HashMap<String, EndpointSettings>,
    /// The default network's IPv4 address (deprecated; daemons of API 1.44
    /// and later leave it empty: use [`NetworkSettings::networks`]).
    #[serde(rename = "IPAddress")]
    pub ip_address: String,
    /// The default network's gateway (deprecated, as `ip_address`).
    pub gateway: String,
    /// The default network's MAC address (deprecated, as `ip_address`).
    pub mac_address: String,
}

// ---------------------------------------------------------------------------
// Stats.

/// One sample of `GET /containers/{id}/stats` (cgroup v1 or v2, Linux).
///
/// [`ContainerStats::cpu_percent`] and [`ContainerStats::memory_percent`]
/// compute what `docker stats` shows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ContainerStats {
    /// The container's id (`id`; Podman writes `Id`).
    #[serde(alias = "Id")]
    pub id: String,
    /// Its name, with a leading `/`.
    pub name: String,
    /// When this sample was read.
    #[serde(with = "timestamp::rfc3339")]
    pub read: Option<Timestamp>,
    /// When the previous sample was read (`None` for a one-shot sample).
    #[serde(with = "timestamp::rfc3339")]
    pub preread: Option<Timestamp>,
    /// CPU usage now.
    #[serde(deserialize_with = "super::nullable")]
    pub cpu_stats: CpuStats,
    /// CPU usage at the previous sample.
    #[serde(deserialize_with = "super::nullable")]
    pub precpu_stats: CpuStats,
    /// Memory usage.
    #[serde(deserialize_with = "super::nullable")]
    pub memory_stats: MemoryStats,
    /// Network usage by interface.
    #[serde(deserialize_with = "super::nullable")]
    pub networks: HashMap<String, NetworkStats>,
    /// Process counts.
    #[serde(deserialize_with = "super::nullable")]
    pub pids_stats: PidsStats,
    /// Block IO usage.
    #[serde(deserialize_with = "super::nullable")]
    pub blkio_stats: BlkioStats,
    /// Number of processes (Windows).
    pub num_procs: u32,
}

impl ContainerStats {
    /// CPU usage in percent of one CPU, as `docker stats` computes it: the
    /// container's CPU time since the previous sample over the host's,
    /// times the number of online CPUs, times 100 (so 4 busy CPUs make
    /// 400%).
    ///
    /// `None` when the sample has no previous one (one-shot samples, the
    /// first sample of a stream on some daemons); `Some(0.0)` when no time
    /// passed.
    ///
    /// ```
    /// let s: dockhand::models::ContainerStats = serde_json::from_str(r#"{
    ///   "cpu_stats":    {"cpu_usage": {"total_usage": 300}, "system_cpu_usage": 2000, "online_cpus": 2},
    ///   "precpu_stats": {"cpu_usage": {"total_usage": 100}, "system_cpu_usage": 1000, "online_cpus": 2}
    /// }"#).unwrap();
    /// assert_eq!(s.cpu_percent(), Some(40.0)); // 200 / 1000 * 2 * 100
    /// ```
    pub fn cpu_percent(&self) -> Option<f64> {
        let now = &self.cpu_stats;
        let before = &self.precpu_stats;
        let (Some(system), Some(system_before)) = (now.system_cpu_usage, before.system_cpu_usage) else {
            return None;
        };
        if system_before == 0 {
            return None;
        }
        let cpus = match now.online_cpus {
            Some(n) if n > 0 => f64::from(n),
            _ => now.cpu_usage.percpu_usage.len() as f64,
        };
        let cpu_delta = now.cpu_usage.total_usage.saturating_sub(before.cpu_usage.total_usage);
        let system_delta = system.saturating_sub(system_before);
        if cpu_delta == 0 || system_delta == 0 {
            return Some(0.0);
        }
        Some(cpu_delta as f64 / system_delta as f64 * cpus * 100.0)
    }

    /// Memory in use without the page cache, as `docker stats` shows it
    /// (see [`MemoryStats::usage_without_cache`]).
    pub fn memory_usage(&self) -> Option<u64> {
        self.memory_stats.usage_without_cache()
    }

    /// [`ContainerStats::memory_usage`] in percent of the limit (the host's
    /// memory when the container has none); `None` without figures.
    ///
    /// ```
    /// let s: dockhand::models::ContainerStats = serde_json::from_str(r#"{
    ///   "memory_stats": {"usage": 3000, "limit": 10000, "stats": {"inactive_file": 1000}}
    /// }"#).unwrap();
    /// assert_eq!(s.memory_usage(), Some(2000));
    /// assert_eq!(s.memory_percent(), Some(20.0));
    /// ```
    pub fn memory_percent(&self) -> Option<f64> {
        let used = self.memory_usage()?;
        let limit = self.memory_stats.limit.filter(|l| *l > 0)?;
        Some(used as f64 / limit as f64 * 100.0)
    }
}

/// CPU figures of a stats sample (nanoseconds of CPU time).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CpuStats {
    /// The container's CPU time.
    #[serde(deserialize_with = "super::nullable")]
    pub cpu_usage: CpuUsage,
    /// The host's CPU time (all CPUs), when known.
    pub system_cpu_usage: Option<u64>,
    /// CPUs online on the host.
    pub online_cpus: Option<u32>,
    /// CFS throttling.
    #[serde(deserialize_with = "super::nullable")]
    pub throttling_data: ThrottlingData,
}

/// The container's CPU time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CpuUsage {
    /// Total CPU time.
    pub total_usage: u64,
    /// Per CPU (cgroup v1 only).
    #[serde(deserialize_with = "super::nullable")]
    pub percpu_usage: Vec<u64>,
    /// Time in kernel mode.
    pub usage_in_kernelmode: u64,
    /// Time in user mode.
    pub usage_in_usermode: u64,
}

/// CFS throttling figures.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ThrottlingData {
    /// Periods with throttling active.
    pub periods: u64,
    /// Periods in which the container hit its limit.
    pub throttled_periods: u64,
    /// Total time throttled, in nanoseconds.
    pub throttled_time: u64,
}

/// Memory figures of a stats sample (bytes).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MemoryStats {
    /// Memory in use, page cache included.
    pub usage: Option<u64>,
    /// Peak usage (cgroup v1).
    pub max_usage: Option<u64>,
    /// The cgroup's detailed figures (`cache`, `inactive_file`, ...).
    #[serde(deserialize_with = "super::nullable")]
    pub stats: HashMap<String, u64>,
    /// Times the limit was hit (cgroup v1).
    pub failcnt: Option<u64>,
    /// The limit.
    pub limit: Option<u64>,
}

impl MemoryStats {
    /// Usage minus the inactive page cache, as `docker stats` computes it:
    /// cgroup v1's `total_inactive_file`, else cgroup v2's `inactive_file`,
    /// subtracted when smaller than the usage.
    pub fn usage_without_cache(&self) -> Option<u64> {
        let usage = self.usage?;
        let cache = match self.stats.get("total_inactive_file") {
            Some(v) => Some(*v),
            None => self.stats.get("inactive_file").copied(),
        };
        Some(match cache {
            Some(c) if c < usage => usage - c,
            _ => usage,
        })
    }
}

/// Process counts of a stats sample.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PidsStats {
    /// Processes now.
    pub current: Option<u64>,
    /// The limit, when there is one.
    pub limit: Option<u64>,
}

/// Network figures of one interface.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct NetworkStats {
    /// Bytes received.
    pub rx_bytes: u64,
    /// Packets received.
    pub rx_packets: u64,
    /// Receive errors.
    pub rx_errors: u64,
    /// Received packets dropped.
    pub rx_dropped: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Send errors.
    pub tx_errors: u64,
    /// Sent packets dropped.
    pub tx_dropped: u64,
}

/// Block IO figures of a stats sample (most lists are cgroup v1 only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BlkioStats {
    /// Bytes read and written, by device and operation.
    #[serde(deserialize_with = "super::nullable")]
    pub io_service_bytes_recursive: Vec<BlkioStatEntry>,
    /// IO operations, by device and operation.
    #[serde(deserialize_with = "super::nullable")]
    pub io_serviced_recursive: Vec<BlkioStatEntry>,
    /// Queued operations.
    #[serde(deserialize_with = "super::nullable")]
    pub io_queue_recursive: Vec<BlkioStatEntry>,
    /// Time spent serving operations.
    #[serde(deserialize_with = "super::nullable")]
    pub io_service_time_recursive: Vec<BlkioStatEntry>,
    /// Time spent waiting.
    #[serde(deserialize_with = "super::nullable")]
    pub io_wait_time_recursive: Vec<BlkioStatEntry>,
    /// Merged operations.
    #[serde(deserialize_with = "super::nullable")]
    pub io_merged_recursive: Vec<BlkioStatEntry>,
    /// Time with IO in flight.
    #[serde(deserialize_with = "super::nullable")]
    pub io_time_recursive: Vec<BlkioStatEntry>,
    /// Sectors transferred.
    #[serde(deserialize_with = "super::nullable")]
    pub sectors_recursive: Vec<BlkioStatEntry>,
}

/// One block IO figure.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BlkioStatEntry {
    /// Device major number.
    pub major: u64,
    /// Device minor number.
    pub minor: u64,
    /// The operation (`read`, `write`, ...).
    pub op: String,
    /// The value.
    pub value: u64,
}

// ---------------------------------------------------------------------------
// Archives.

/// What `X-Docker-Container-Path-Stat` says about a path in a container
/// (archive HEAD and GET).
///
/// `mode` holds Go's `os.FileMode` bits: permissions in the low 9 bits,
/// the file type in the high bits; the helpers read them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PathStat {
    /// The base name.
    pub name: String,
    /// Size in bytes.
    pub size: i64,
    /// Go `os.FileMode` bits.
    pub mode: u32,
    /// Last modification.
    #[serde(with = "timestamp::rfc3339")]
    pub mtime: Option<Timestamp>,
    /// Where a symbolic link points (empty otherwise).
    #[serde(rename = "linkTarget")]
    pub link_target: String,
}

impl PathStat {
    const DIR: u32 = 1 << 31;
    const SYMLINK: u32 = 1 << 27;

    /// Whether the path is a directory.
    pub fn is_dir(&self) -> bool {
        self.mode & Self::DIR != 0
    }

    /// Whether the path is a symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.mode & Self::SYMLINK != 0
    }

    /// Whether the path is a regular file (no type bit set).
    pub fn is_file(&self) -> bool {
        // Go's ModeType: dir, symlink, named pipe, socket, device, char
        // device, irregular.
        const TYPE: u32 = (1 << 31) | (1 << 27) | (1 << 25) | (1 << 24) | (1 << 26) | (1 << 21) | (1 << 19);
        self.mode & TYPE == 0
    }

    /// The Unix permission bits (`0o755`).
    pub fn permissions(&self) -> u32 {
        self.mode & 0o777
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_values_stay_out_of_debug() {
        let config = ContainerConfig { env: vec!["TOKEN=s3cr3t".into(), "EMPTY".into()], ..Default::default() };
        let text = format!("{config:?}");
        assert!(!text.contains("s3cr3t") && text.contains("TOKEN=…") && text.contains("EMPTY=…"), "{text}");
    }

    #[test]
    fn exposed_ports_and_null_bindings_decode() {
        let i: ContainerInspect = serde_json::from_str(
            r#"{"Config":{"ExposedPorts":{"80/tcp":{},"53/udp":{}},"Env":null,"Volumes":null},
                "HostConfig":{"PortBindings":{"80/tcp":null},"Memory":0,"PidsLimit":null,"Tmpfs":null},
                "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"49153"}],"53/udp":null},
                                   "Networks":{"bridge":{"IPAddress":"172.17.0.2","IPPrefixLen":16,"Aliases":null}}},
                "State":{"Status":"running","StartedAt":"2026-11-27T18:00:00.123Z","FinishedAt":"0001-01-01T00:00:00Z",
                         "Health":{"Status":"healthy","Log":null}}}"#,
        )
        .unwrap();
        assert_eq!(i.config.exposed_ports.iter().collect::<Vec<_>>(), ["53/udp", "80/tcp"]);
        assert!(i.host_config.port_bindings["80/tcp"].is_empty());
        assert_eq!((i.host_config.resources.memory, i.host_config.resources.pids_limit), (Some(0), None));
        assert!(i.network_settings.ports["53/udp"].is_empty());
        assert_eq!(i.network_settings.ports["80/tcp"][0].host_port, "49153");
        assert_eq!(i.network_settings.networks["bridge"].ip_prefix_len, 16);
        assert!(i.state.started_at.is_some() && i.state.finished_at.is_none());
        assert_eq!(i.state.health.unwrap().status, HealthStatus::Healthy);
        // Exposed ports go back out in the API's shape.
        let out = serde_json::to_value(&i.config).unwrap();
        assert_eq!(out["ExposedPorts"], serde_json::json!({"53/udp": {}, "80/tcp": {}}));
    }

    #[test]
    fn cpu_percent_needs_a_previous_sample() {
        let stats = |json: &str| serde_json::from_str::<ContainerStats>(json).unwrap();
        // One-shot: no previous system usage.
        assert_eq!(
            stats(r#"{"cpu_stats":{"cpu_usage":{"total_usage":5},"system_cpu_usage":100}}"#).cpu_percent(),
            None
        );
        // No online_cpus: the per-CPU list counts (cgroup v1).
        let s = stats(
            r#"{"cpu_stats":{"cpu_usage":{"total_usage":150,"percpu_usage":[1,2,3,4]},"system_cpu_usage":2000},
                "precpu_stats":{"cpu_usage":{"total_usage":50},"system_cpu_usage":1000}}"#,
        );
        assert_eq!(s.cpu_percent(), Some(40.0));
        // Counters that went backwards (a restart) give 0, not garbage.
        let s = stats(
            r#"{"cpu_stats":{"cpu_usage":{"total_usage":10},"system_cpu_usage":2000,"online_cpus":2},
                "precpu_stats":{"cpu_usage":{"total_usage":50},"system_cpu_usage":1000}}"#,
        );
        assert_eq!(s.cpu_percent(), Some(0.0));
    }

    #[test]
    fn memory_subtracts_the_inactive_cache() {
        let mem = |json: &str| serde_json::from_str::<MemoryStats>(json).unwrap().usage_without_cache();
        // cgroup v1's total_inactive_file wins over inactive_file.
        assert_eq!(mem(r#"{"usage":100,"stats":{"total_inactive_file":30,"inactive_file":10}}"#), Some(70));
        assert_eq!(mem(r#"{"usage":100,"stats":{"inactive_file":10}}"#), Some(90));
        // A cache larger than the usage is not subtracted.
        assert_eq!(mem(r#"{"usage":100,"stats":{"inactive_file":500}}"#), Some(100));
        assert_eq!(mem(r#"{"stats":null}"#), None);
        let no_limit: ContainerStats = serde_json::from_str(r#"{"memory_stats":{"usage":5,"limit":0}}"#).unwrap();
        assert_eq!(no_limit.memory_percent(), None);
    }

    #[test]
    fn change_kinds_keep_unknown_values() {
        let c: Vec<FilesystemChange> = serde_json::from_str(
            r#"[{"Path":"/a","Kind":1},{"Path":"/b","Kind":2},{"Path":"/c","Kind":9},{"Path":"/d"}]"#,
        )
        .unwrap();
        let kinds: Vec<_> = c.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                FilesystemChangeKind::Added,
                FilesystemChangeKind::Deleted,
                FilesystemChangeKind::Unknown(9),
                FilesystemChangeKind::Unknown(-1)
            ]
        );
        assert_eq!(serde_json::to_string(&c[2].kind).unwrap(), "9");
    }
}
