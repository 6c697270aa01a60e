//! `/containers/...`: every container operation but the byte streams of
//! logs and attach (see the streams module for those).
//!
//! Each function validates the container id or name with
//! [`segment`], so `../images/json` is an
//! [`Error::InvalidInput`] before anything is
//! sent, and `?`, `#`, spaces or unicode stay inside their path segment.

use std::time::Duration;

use base64::Engine as _;
use http::HeaderMap;
use serde::Serialize;

use crate::error::{DecodeError, excerpt};
use crate::models::{
    ContainerConfig, ContainerStateKind, EndpointSettings, HealthConfig, HealthStatus, HostConfig, Mount,
    NetworkingConfig, PathStat, PortBinding, Resources, RestartPolicy, WaitCondition,
};
use crate::request::{ApiRequest, BodyField, Silence, segment};
use crate::{ApiVersion, Body, Error, Filters, Result};

/// `/containers/{id}` plus `rest`, with the id validated and encoded.
fn path(id: &str, rest: &str) -> Result<String> {
    Ok(format!("/containers/{}{rest}", segment("container id or name", id)?))
}

/// Adds `filters` when not empty.
fn with_filters(req: ApiRequest, filters: &Filters) -> Result<ApiRequest> {
    if filters.is_empty() { Ok(req) } else { req.query_json("filters", filters) }
}

// ---------------------------------------------------------------------------
// List.

typed_filters! {
    /// Typed filters for `GET /containers/json`.
    ///
    /// ```
    /// use dockhand::api::ContainerFilters;
    /// use dockhand::models::ContainerStateKind;
    /// let f = ContainerFilters::new().status(ContainerStateKind::Exited).exited(137).label("app=web");
    /// assert_eq!(f.filters().get("status"), ["exited"]);
    /// assert_eq!(f.filters().get("exited"), ["137"]);
    /// ```
    pub struct ContainerFilters {
        /// Containers in this state.
        status = "status" (status: ContainerStateKind) => status.as_str(),
        /// Containers with this label (`key` or `key=value`).
        label = "label",
        /// Containers whose name contains this (a regular expression on the
        /// daemon's side).
        name = "name",
        /// Containers whose id starts with this.
        id = "id",
        /// Containers created from this image or a descendant of it.
        ancestor = "ancestor",
        /// Containers connected to this network (name or id).
        network = "network",
        /// Containers mounting this volume (name or mount point).
        volume = "volume",
        /// Containers that exited with this code.
        exited = "exited" (code: i64) => code.to_string(),
        /// Containers with this health.
        health = "health" (health: HealthStatus) => health.as_str(),
        /// Containers created before this one (name or id).
        before = "before",
        /// Containers created after this one (name or id).
        since = "since",
        /// Containers publishing this port (`80`, `80/tcp`, `8000-8080/udp`).
        publish = "publish",
        /// Containers exposing this port.
        expose = "expose",
        /// Only swarm tasks (`true`) or only other containers (`false`).
        is_task = "is-task" (is_task: bool) => is_task.to_string(),
    }
}

/// Options of `GET /containers/json`.
///
/// ```
/// use dockhand::api::{ContainerListOptions, ContainerFilters};
/// let opts = ContainerListOptions::new().all(true).limit(5).filters(ContainerFilters::new().label("app"));
/// let req = dockhand::api::containers::list(&opts)?;
/// assert_eq!(
///     req.path_and_query(dockhand::ApiVersion::MIN),
///     "/v1.41/containers/json?all=1&limit=5&filters=%7B%22label%22%3A%5B%22app%22%5D%7D"
/// );
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerListOptions {
    all: bool,
    limit: Option<u32>,
    size: bool,
    filters: ContainerFilters,
}

impl ContainerListOptions {
    /// Running containers only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stopped containers too.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// The `n` most recently created containers (running or not).
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }

    /// Fills `size_rw` and `size_root_fs` (slower).
    pub fn size(mut self, size: bool) -> Self {
        self.size = size;
        self
    }

    /// Only containers matching these filters.
    pub fn filters(mut self, filters: ContainerFilters) -> Self {
        self.filters = filters;
        self
    }
}

/// `GET /containers/json`.
pub fn list(opts: &ContainerListOptions) -> Result<ApiRequest> {
    let req = ApiRequest::get("/containers/json")
        .query_opt("all", opts.all.then_some(1))
        .query_opt("limit", opts.limit)
        .query_opt("size", opts.size.then_some(1));
    with_filters(req, &opts.filters.0)
}

// ---------------------------------------------------------------------------
// Create.

/// A container to create: its configuration, host configuration, networks,
/// and the create call's `name` and `platform`.
///
/// The common settings have builder methods; everything else is reachable
/// through [`ContainerCreate::config_mut`] and
/// [`ContainerCreate::host_config_mut`].
///
/// ```
/// use std::time::Duration;
/// use dockhand::api::ContainerCreate;
/// use dockhand::models::{HealthConfig, RestartPolicy};
/// let create = ContainerCreate::new("busybox")
///     .name("web")
///     .cmd(["httpd", "-f", "-p", "8080"])
///     .env("MODE=demo")
///     .label("app", "web")
///     .publish("8080/tcp", "127.0.0.1", "0")
///     .memory(64 << 20)
///     .restart_policy(RestartPolicy::on_failure(3))
///     .healthcheck(HealthConfig::cmd(["wget", "-q", "-O-", "http://127.0.0.1:8080/"]).interval(Duration::from_secs(5)));
/// let body = create.body_json()?;
/// assert_eq!(body["Image"], "busybox");
/// assert_eq!(body["ExposedPorts"]["8080/tcp"], serde_json::json!({}));
/// assert_eq!(body["HostConfig"]["PortBindings"]["8080/tcp"][0]["HostIp"], "127.0.0.1");
/// assert_eq!(body["HostConfig"]["Memory"], 64 << 20);
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct ContainerCreate {
    name: Option<String>,
    platform: Option<String>,
    config: ContainerConfig,
    host_config: HostConfig,
    networking: NetworkingConfig,
}

/// The body of a create: the configuration with the host configuration and
/// networks beside it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CreateBody<'a> {
    #[serde(flatten)]
    config: &'a ContainerConfig,
    host_config: &'a HostConfig,
    #[serde(skip_serializing_if = "Option::is_none")]
    networking_config: Option<&'a NetworkingConfig>,
}

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

fn seconds(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

impl ContainerCreate {
    /// A container of `image` with the image's defaults.
    pub fn new(image: impl Into<String>) -> Self {
        let mut c = ContainerCreate::default();
        c.config.image = image.into();
        c
    }

    /// The container's name (the daemon picks one without it).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The platform of the image to use (`linux/amd64`).
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }

    /// The command (replaces the image's `CMD`).
    pub fn cmd<I, S>(mut self, cmd: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.config.cmd = strings(cmd);
        self
    }

    /// The entrypoint (replaces the image's; `[""]` clears it).
    pub fn entrypoint<I, S>(mut self, entrypoint: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.config.entrypoint = strings(entrypoint);
        self
    }

    /// Adds an environment variable, `NAME=value`.
    pub fn env(mut self, var: impl Into<String>) -> Self {
        self.config.env.push(var.into());
        self
    }

    /// Adds a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.labels.insert(key.into(), value.into());
        self
    }

    /// Adds an annotation, metadata also passed to the OCI runtime (API
    /// 1.43; not sent to older daemons).
    pub fn annotation(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.host_config.annotations.insert(key.into(), value.into());
        self
    }

    /// The working directory of the command.
    pub fn working_dir(mut self, dir: impl Into<String>) -> Self {
        self.config.working_dir = dir.into();
        self
    }

    /// The user (and group) the command runs as.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.config.user = user.into();
        self
    }

    /// The host name inside the container.
    pub fn hostname(mut self, hostname: impl Into<String>) -> Self {
        self.config.hostname = hostname.into();
        self
    }

    /// Gives the container a pseudo-terminal.
    pub fn tty(mut self, tty: bool) -> Self {
        self.config.tty = tty;
        self
    }

    /// Keeps stdin open (`docker run -i`).
    pub fn open_stdin(mut self, open: bool) -> Self {
        self.config.open_stdin = open;
        self
    }

    /// Closes stdin after the first attached client detaches.
    pub fn stdin_once(mut self, once: bool) -> Self {
        self.config.stdin_once = once;
        self
    }

    /// Which streams an attach at start connects (stdin, stdout, stderr).
    pub fn attach(mut self, stdin: bool, stdout: bool, stderr: bool) -> Self {
        self.config.attach_stdin = stdin;
        self.config.attach_stdout = stdout;
        self.config.attach_stderr = stderr;
        self
    }

    /// Exposes a port (`80/tcp`; a bare `80` means tcp).
    pub fn expose(mut self, port: impl Into<String>) -> Self {
        self.config.exposed_ports.insert(port_key(port.into()));
        self
    }

    /// Publishes container `port` (`80/tcp`) on `host_ip:host_port` (`""`
    /// for all addresses; `""` or `"0"` for a port the daemon picks), and
    /// exposes it.
    pub fn publish(
        mut self,
        port: impl Into<String>,
        host_ip: impl Into<String>,
        host_port: impl Into<String>,
    ) -> Self {
        let port = port_key(port.into());
        self.config.exposed_ports.insert(port.clone());
        self.host_config.port_bindings.entry(port).or_default().push(PortBinding::new(host_ip, host_port));
        self
    }

    /// The signal that stops the container (`SIGTERM` by default).
    pub fn stop_signal(mut self, signal: impl Into<String>) -> Self {
        self.config.stop_signal = signal.into();
        self
    }

    /// How long `stop` waits before killing (whole seconds).
    pub fn stop_timeout(mut self, timeout: Duration) -> Self {
        self.config.stop_timeout = Some(seconds(timeout));
        self
    }

    /// A health check.
    pub fn healthcheck(mut self, health: HealthConfig) -> Self {
        self.config.healthcheck = Some(health);
        self
    }

    /// Adds a bind mount, `host-path:container-path[:ro]`.
    pub fn bind(mut self, bind: impl Into<String>) -> Self {
        self.host_config.binds.push(bind.into());
        self
    }

    /// Adds a mount.
    pub fn mount(mut self, mount: Mount) -> Self {
        self.host_config.mounts.push(mount);
        self
    }

    /// Adds a memory filesystem at `path` with mount `options` (`size=64m`,
    /// or `""`).
    pub fn tmpfs(mut self, path: impl Into<String>, options: impl Into<String>) -> Self {
        self.host_config.tmpfs.insert(path.into(), options.into());
        self
    }

    /// When the daemon restarts the container.
    pub fn restart_policy(mut self, policy: RestartPolicy) -> Self {
        self.host_config.restart_policy = Some(policy);
        self
    }

    /// Memory limit in bytes.
    pub fn memory(mut self, bytes: i64) -> Self {
        self.host_config.resources.memory = Some(bytes);
        self
    }

    /// Memory plus swap limit in bytes (`-1`: unlimited swap).
    pub fn memory_swap(mut self, bytes: i64) -> Self {
        self.host_config.resources.memory_swap = Some(bytes);
        self
    }

    /// CPU limit in billionths of a CPU (`500_000_000` is half a CPU).
    pub fn nano_cpus(mut self, nano_cpus: i64) -> Self {
        self.host_config.resources.nano_cpus = Some(nano_cpus);
        self
    }

    /// Maximum number of processes.
    pub fn pids_limit(mut self, limit: i64) -> Self {
        self.host_config.resources.pids_limit = Some(limit);
        self
    }

    /// Runs an init process that reaps zombies and forwards signals.
    pub fn init(mut self, init: bool) -> Self {
        self.host_config.resources.init = Some(init);
        self
    }

    /// Removes the container when it exits.
    pub fn auto_remove(mut self, auto_remove: bool) -> Self {
        self.host_config.auto_remove = auto_remove;
        self
    }

    /// `bridge`, `host`, `none`, `container:<id>` or a network's name.
    pub fn network_mode(mut self, mode: impl Into<String>) -> Self {
        self.host_config.network_mode = mode.into();
        self
    }

    /// Adds a capability (`NET_ADMIN`).
    pub fn cap_add(mut self, cap: impl Into<String>) -> Self {
        self.host_config.cap_add.push(cap.into());
        self
    }

    /// Drops a capability (`ALL`, `NET_RAW`).
    pub fn cap_drop(mut self, cap: impl Into<String>) -> Self {
        self.host_config.cap_drop.push(cap.into());
        self
    }

    /// Runs the container privileged.
    pub fn privileged(mut self, privileged: bool) -> Self {
        self.host_config.privileged = privileged;
        self
    }

    /// Makes the root filesystem read-only.
    pub fn read_only_rootfs(mut self, read_only: bool) -> Self {
        self.host_config.readonly_rootfs = read_only;
        self
    }

    /// Adds an `/etc/hosts` line, `host:ip`.
    pub fn extra_host(mut self, host: impl Into<String>) -> Self {
        self.host_config.extra_hosts.push(host.into());
        self
    }

    /// Adds a DNS server.
    pub fn dns(mut self, server: impl Into<String>) -> Self {
        self.host_config.dns.push(server.into());
        self
    }

    /// Connects the container to `network` at create, with these settings
    /// (`EndpointSettings::default()` for none).
    pub fn endpoint(mut self, network: impl Into<String>, settings: EndpointSettings) -> Self {
        self.networking.endpoints_config.insert(network.into(), settings);
        self
    }

    /// Every other configuration field.
    pub fn config_mut(&mut self) -> &mut ContainerConfig {
        &mut self.config
    }

    /// Every other host configuration field.
    pub fn host_config_mut(&mut self) -> &mut HostConfig {
        &mut self.host_config
    }

    /// The configuration as it will be sent.
    pub fn config(&self) -> &ContainerConfig {
        &self.config
    }

    /// The host configuration as it will be sent.
    pub fn host_config(&self) -> &HostConfig {
        &self.host_config
    }

    /// The JSON body the create sends.
    pub fn body_json(&self) -> Result<serde_json::Value> {
        serde_json::to_value(self.body()).map_err(|e| Error::invalid("container configuration", e.to_string()))
    }

    fn body(&self) -> CreateBody<'_> {
        CreateBody {
            config: &self.config,
            host_config: &self.host_config,
            networking_config: (!self.networking.endpoints_config.is_empty()).then_some(&self.networking),
        }
    }
}

/// `80` means `80/tcp`, as the CLI reads it.
fn port_key(port: String) -> String {
    if port.contains('/') { port } else { format!("{port}/tcp") }
}

/// `POST /containers/create`.
///
/// An empty image is rejected here; the name goes in the query, encoded,
/// and the daemon validates it (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`).
pub fn create(create: &ContainerCreate) -> Result<ApiRequest> {
    if create.config.image.is_empty() {
        return Err(Error::invalid("container configuration", "the image must not be empty"));
    }
    ApiRequest::post("/containers/create")
        .query_opt("name", create.name.as_ref())
        .query_opt("platform", create.platform.as_ref())
        .json_versioned(&create.body(), CREATE_FIELDS, Some(endpoint_mac_for_old_daemons))
}

const V1_42: ApiVersion = ApiVersion::new(1, 42);
const V1_43: ApiVersion = ApiVersion::new(1, 43);
const V1_44: ApiVersion = ApiVersion::new(1, 44);
const V1_45: ApiVersion = ApiVersion::new(1, 45);
const V1_46: ApiVersion = ApiVersion::new(1, 46);
const V1_48: ApiVersion = ApiVersion::new(1, 48);

/// Fields of the create body newer than API 1.41, with the version of
/// moby's API version history that added each; older daemons do not get
/// them (see [`BodyField`]).
pub static CREATE_FIELDS: &[BodyField] = &[
    BodyField::new(V1_42, "HostConfig.Mounts.*.BindOptions.CreateMountpoint"),
    BodyField::new(V1_43, "HostConfig.Annotations"),
    BodyField::new(V1_44, "Healthcheck.StartInterval"),
    BodyField::new(V1_44, "HostConfig.Mounts.*.BindOptions.ReadOnlyNonRecursive"),
    BodyField::new(V1_44, "HostConfig.Mounts.*.BindOptions.ReadOnlyForceRecursive"),
    BodyField::new(V1_44, "NetworkingConfig.EndpointsConfig.*.MacAddress"),
    BodyField::new(V1_45, "HostConfig.Mounts.*.VolumeOptions.Subpath"),
    BodyField::new(V1_46, "HostConfig.Mounts.*.TmpfsOptions.Options"),
    BodyField::new(V1_48, "HostConfig.Mounts.*.ImageOptions"),
    BodyField::new(V1_48, "NetworkingConfig.EndpointsConfig.*.GwPriority"),
];

/// Before API 1.44 a MAC address is asked for container-wide
/// (`Config.MacAddress`), not per endpoint: when exactly one endpoint asks
/// for one and the configuration does not, it moves there, as the docker
/// CLI does for such daemons.
fn endpoint_mac_for_old_daemons(body: &mut serde_json::Value, version: ApiVersion) {
    if version >= V1_44 || body.get("MacAddress").is_some_and(|m| m.as_str() != Some("")) {
        return;
    }
    let Some(endpoints) = body.pointer("/NetworkingConfig/EndpointsConfig").and_then(|e| e.as_object()) else {
        return;
    };
    let macs: Vec<&serde_json::Value> = endpoints.values().filter_map(|e| e.get("MacAddress")).collect();
    if let [mac] = macs[..] {
        body["MacAddress"] = mac.clone();
    }
}

// ---------------------------------------------------------------------------
// Inspect, top, changes, export, stats.

/// Options of `GET /containers/{id}/json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContainerInspectOptions {
    size: bool,
}

impl ContainerInspectOptions {
    /// Without sizes (fast).
    pub fn new() -> Self {
        Self::default()
    }

    /// Also compute `size_rw` and `size_root_fs` (`docker inspect --size`;
    /// the daemon walks the filesystem, so it is slow on big containers).
    pub fn size(mut self, yes: bool) -> Self {
        self.size = yes;
        self
    }
}

/// `GET /containers/{id}/json`; with `size`, fills `size_rw` and
/// `size_root_fs`.
pub fn inspect(id: &str, opts: &ContainerInspectOptions) -> Result<ApiRequest> {
    Ok(ApiRequest::get(path(id, "/json")?).query_opt("size", opts.size.then_some(1)))
}

/// Options of `GET /containers/{id}/top`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopOptions {
    ps_args: Option<String>,
}

impl TopOptions {
    /// The daemon's `ps` arguments (`-ef`).
    pub fn new() -> Self {
        Self::default()
    }

    /// The arguments given to `ps` (`"aux"`, `"-o pid,comm"`).
    pub fn ps_args(mut self, args: impl Into<String>) -> Self {
        self.ps_args = Some(args.into());
        self
    }
}

/// `GET /containers/{id}/top`, with `ps` arguments (`-ef` by default).
pub fn top(id: &str, opts: &TopOptions) -> Result<ApiRequest> {
    Ok(ApiRequest::get(path(id, "/top")?).query_opt("ps_args", opts.ps_args.as_deref()))
}

/// `GET /containers/{id}/changes`.
pub fn changes(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(path(id, "/changes")?))
}

/// `GET /containers/{id}/export`: the filesystem as a tar stream.
pub fn export(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(path(id, "/export")?))
}

/// How `GET /containers/{id}/stats` samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatsMode {
    /// A sample every second until the stream is dropped.
    #[default]
    Stream,
    /// One sample, after the daemon has taken two (about a second), so CPU
    /// usage can be computed.
    Once,
    /// One sample at once, without a previous one (`one-shot`): no CPU
    /// percentage.
    OneShot,
}

/// `GET /containers/{id}/stats`.
pub fn stats(id: &str, mode: StatsMode) -> Result<ApiRequest> {
    let req = ApiRequest::get(path(id, "/stats")?);
    Ok(match mode {
        // A stream sends every second; the default idle timeout fits.
        StatsMode::Stream => req.query("stream", 1),
        StatsMode::Once => req.query("stream", 0),
        StatsMode::OneShot => req.query("stream", 0).query("one-shot", 1),
    })
}

// ---------------------------------------------------------------------------
// State changes.

/// The size of a TTY in characters, for `resize` of a container, an exec
/// or an attached stream.
///
/// ```
/// let size = dockhand::api::TtySize { height: 40, width: 120 };
/// assert_eq!(size.width, 120);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TtySize {
    /// Rows.
    pub height: u32,
    /// Columns.
    pub width: u32,
}

/// `POST /containers/{id}/resize`: the TTY's size in characters.
pub fn resize(id: &str, size: TtySize) -> Result<ApiRequest> {
    Ok(ApiRequest::post(path(id, "/resize")?).query("h", size.height).query("w", size.width))
}

/// `POST /containers/{id}/start`, with the key sequence that detaches an
/// attached client (`ctrl-p,ctrl-q` by default).
pub fn start(id: &str, detach_keys: Option<&str>) -> Result<ApiRequest> {
    Ok(ApiRequest::post(path(id, "/start")?).query_opt("detachKeys", detach_keys))
}

/// Options of stop and restart.
///
/// ```
/// use std::time::Duration;
/// use dockhand::{ApiVersion, api::StopOptions};
/// let opts = StopOptions::new().timeout(Duration::from_secs(3)).signal("SIGINT");
/// let req = dockhand::api::containers::stop("web", &opts)?;
/// // `signal` is API 1.42: not sent to a 1.41 daemon, which uses the stop signal.
/// assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/containers/web/stop?t=3");
/// assert_eq!(req.path_and_query(ApiVersion::MAX), "/v1.56/containers/web/stop?t=3&signal=SIGINT");
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StopOptions {
    timeout: Option<Duration>,
    signal: Option<String>,
}

impl StopOptions {
    /// The container's stop signal and timeout.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long to wait after the signal before killing (whole seconds).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The signal to send instead of the container's stop signal (API 1.42;
    /// older daemons do not get it and use the stop signal).
    pub fn signal(mut self, signal: impl Into<String>) -> Self {
        self.signal = Some(signal.into());
        self
    }

    /// The grace period asked for, if any: the daemon answers only after
    /// it (the client extends its response timeout by as much).
    pub fn grace_period(&self) -> Option<Duration> {
        self.timeout
    }

    fn apply(&self, req: ApiRequest) -> ApiRequest {
        let mut req = req.query_opt("t", self.timeout.map(seconds));
        if let Some(signal) = &self.signal {
            // Version history v1.42: stop and restart "now accept a `signal`
            // query parameter".
            req = req.query_since(ApiVersion::new(1, 42), "signal", signal);
        }
        req
    }
}

/// `POST /containers/{id}/stop`.
pub fn stop(id: &str, opts: &StopOptions) -> Result<ApiRequest> {
    Ok(opts.apply(ApiRequest::post(path(id, "/stop")?)))
}

/// `POST /containers/{id}/restart`.
pub fn restart(id: &str, opts: &StopOptions) -> Result<ApiRequest> {
    Ok(opts.apply(ApiRequest::post(path(id, "/restart")?)))
}

/// `POST /containers/{id}/kill`, with a signal (`SIGKILL` by default;
/// names like `SIGTERM` or `TERM`, or numbers).
pub fn kill(id: &str, signal: Option<&str>) -> Result<ApiRequest> {
    Ok(ApiRequest::post(path(id, "/kill")?).query_opt("signal", signal))
}

/// New limits and restart policy for a container.
///
/// ```
/// use dockhand::api::ContainerUpdate;
/// use dockhand::models::RestartPolicy;
/// let update = ContainerUpdate::new().memory(96 << 20).memory_swap(192 << 20).restart_policy(RestartPolicy::always());
/// let body = update.body_json()?;
/// assert_eq!(body, serde_json::json!({
///     "Memory": 96 << 20, "MemorySwap": 192 << 20, "RestartPolicy": {"Name": "always", "MaximumRetryCount": 0}
/// }));
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct ContainerUpdate {
    resources: Resources,
    restart_policy: Option<RestartPolicy>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateBody<'a> {
    #[serde(flatten)]
    resources: &'a Resources,
    #[serde(skip_serializing_if = "Option::is_none")]
    restart_policy: Option<&'a RestartPolicy>,
}

impl ContainerUpdate {
    /// Changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Memory limit in bytes.
    pub fn memory(mut self, bytes: i64) -> Self {
        self.resources.memory = Some(bytes);
        self
    }

    /// Memory plus swap limit in bytes (`-1`: unlimited swap). A new memory
    /// limit above the current swap limit needs this too.
    pub fn memory_swap(mut self, bytes: i64) -> Self {
        self.resources.memory_swap = Some(bytes);
        self
    }

    /// Soft memory limit in bytes.
    pub fn memory_reservation(mut self, bytes: i64) -> Self {
        self.resources.memory_reservation = Some(bytes);
        self
    }

    /// CPU limit in billionths of a CPU.
    pub fn nano_cpus(mut self, nano_cpus: i64) -> Self {
        self.resources.nano_cpus = Some(nano_cpus);
        self
    }

    /// Relative CPU weight.
    pub fn cpu_shares(mut self, shares: i64) -> Self {
        self.resources.cpu_shares = Some(shares);
        self
    }

    /// CPUs the container may use (`0-1`).
    pub fn cpuset_cpus(mut self, cpus: impl Into<String>) -> Self {
        self.resources.cpuset_cpus = cpus.into();
        self
    }

    /// Maximum number of processes.
    pub fn pids_limit(mut self, limit: i64) -> Self {
        self.resources.pids_limit = Some(limit);
        self
    }

    /// A new restart policy.
    pub fn restart_policy(mut self, policy: RestartPolicy) -> Self {
        self.restart_policy = Some(policy);
        self
    }

    /// Every other resource field.
    pub fn resources_mut(&mut self) -> &mut Resources {
        &mut self.resources
    }

    /// The JSON body the update sends.
    pub fn body_json(&self) -> Result<serde_json::Value> {
        serde_json::to_value(self.body()).map_err(|e| Error::invalid("container update", e.to_string()))
    }

    fn body(&self) -> UpdateBody<'_> {
        UpdateBody { resources: &self.resources, restart_policy: self.restart_policy.as_ref() }
    }
}

/// `POST /containers/{id}/update`.
pub fn update(id: &str, update: &ContainerUpdate) -> Result<ApiRequest> {
    ApiRequest::post(path(id, "/update")?).json(&update.body())
}

/// `POST /containers/{id}/rename`.
pub fn rename(id: &str, new_name: &str) -> Result<ApiRequest> {
    if new_name.is_empty() {
        return Err(Error::invalid("container name", "must not be empty"));
    }
    Ok(ApiRequest::post(path(id, "/rename")?).query("name", new_name))
}

/// `POST /containers/{id}/pause`.
pub fn pause(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::post(path(id, "/pause")?))
}

/// `POST /containers/{id}/unpause`.
pub fn unpause(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::post(path(id, "/unpause")?))
}

/// `POST /containers/{id}/wait`. The answer comes when the condition is
/// met, which may take forever: the body has no idle timeout. (Daemons of
/// API 1.30 and later send the headers at once, so the response timeout
/// does not cut a long wait.)
pub fn wait(id: &str, condition: Option<&WaitCondition>) -> Result<ApiRequest> {
    Ok(ApiRequest::post(path(id, "/wait")?).query_opt("condition", condition).silence(Silence::Long))
}

/// Options of `DELETE /containers/{id}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContainerRemoveOptions {
    force: bool,
    volumes: bool,
    link: bool,
}

impl ContainerRemoveOptions {
    /// Removes a stopped container, keeping its anonymous volumes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Kills the container first if it runs.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Removes its anonymous volumes too.
    pub fn volumes(mut self, volumes: bool) -> Self {
        self.volumes = volumes;
        self
    }

    /// Removes the link named by the id instead of the container (legacy
    /// links).
    pub fn link(mut self, link: bool) -> Self {
        self.link = link;
        self
    }
}

/// `DELETE /containers/{id}`.
pub fn remove(id: &str, opts: &ContainerRemoveOptions) -> Result<ApiRequest> {
    Ok(ApiRequest::delete(path(id, "")?)
        .query_opt("v", opts.volumes.then_some(1))
        .query_opt("force", opts.force.then_some(1))
        .query_opt("link", opts.link.then_some(1)))
}

// ---------------------------------------------------------------------------
// Archives.

fn archive_path(container_path: &str) -> Result<&str> {
    if container_path.is_empty() {
        return Err(Error::invalid("container path", "must not be empty"));
    }
    if container_path.contains('\0') {
        return Err(Error::invalid("container path", "contains a NUL byte"));
    }
    Ok(container_path)
}

/// `HEAD /containers/{id}/archive?path=`: what is at `container_path`.
pub fn archive_info(id: &str, container_path: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::head(path(id, "/archive")?).query("path", archive_path(container_path)?))
}

/// `GET /containers/{id}/archive?path=`: a tar of `container_path`.
pub fn get_archive(id: &str, container_path: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(path(id, "/archive")?).query("path", archive_path(container_path)?))
}

/// Options of `PUT /containers/{id}/archive`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PutArchiveOptions {
    no_overwrite_dir_non_dir: bool,
    copy_uid_gid: bool,
}

impl PutArchiveOptions {
    /// The daemon's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fails instead of replacing a directory with a non-directory or the
    /// other way round.
    pub fn no_overwrite_dir_non_dir(mut self, yes: bool) -> Self {
        self.no_overwrite_dir_non_dir = yes;
        self
    }

    /// Keeps the archive's owners (uid/gid) instead of root.
    pub fn copy_uid_gid(mut self, yes: bool) -> Self {
        self.copy_uid_gid = yes;
        self
    }
}

/// `PUT /containers/{id}/archive?path=`: extracts the tar `body` into the
/// directory `container_path` (which must exist).
pub fn put_archive(id: &str, container_path: &str, opts: &PutArchiveOptions, body: Body) -> Result<ApiRequest> {
    Ok(ApiRequest::put(path(id, "/archive")?)
        .query("path", archive_path(container_path)?)
        .query_opt("noOverwriteDirNonDir", opts.no_overwrite_dir_non_dir.then_some(1))
        .query_opt("copyUIDGID", opts.copy_uid_gid.then_some(1))
        .body("application/x-tar", body))
}

/// The most a path-stat header may weigh before decoding.
const PATH_STAT_MAX: usize = 64 * 1024;

/// Decodes `X-Docker-Container-Path-Stat` (base64 of a JSON object).
///
/// A missing, oversized, non-base64 or non-JSON header is an
/// [`Error::Decode`].
///
/// ```
/// use base64::Engine as _;
/// let json = r#"{"name":"hosts","size":174,"mode":420,"mtime":"2026-11-27T18:00:00Z","linkTarget":""}"#;
/// let mut h = http::HeaderMap::new();
/// h.insert("x-docker-container-path-stat", base64::engine::general_purpose::STANDARD.encode(json).parse().unwrap());
/// let stat = dockhand::api::containers::parse_path_stat(&h)?;
/// assert_eq!((stat.name.as_str(), stat.size, stat.permissions()), ("hosts", 174, 0o644));
/// assert!(stat.is_file());
/// # Ok::<(), dockhand::Error>(())
/// ```
pub fn parse_path_stat(headers: &HeaderMap) -> Result<PathStat> {
    let fail = |message: String, raw: &[u8]| {
        Error::Decode(Box::new(DecodeError {
            context: String::from("X-Docker-Container-Path-Stat header"),
            json_path: String::from("."),
            message,
            excerpt: excerpt(raw, 200),
        }))
    };
    let Some(value) = headers.get(crate::headers::X_DOCKER_CONTAINER_PATH_STAT) else {
        return Err(fail(String::from("the daemon sent no path stat"), b""));
    };
    let raw = value.as_bytes();
    if raw.len() > PATH_STAT_MAX {
        return Err(fail(format!("{} bytes, more than {PATH_STAT_MAX}", raw.len()), raw));
    }
    let json = base64::engine::general_purpose::STANDARD
        .decode(raw.trim_ascii())
        .map_err(|e| fail(format!("not base64: {e}"), raw))?;
    crate::response::decode_json("X-Docker-Container-Path-Stat header", &json)
}

// ---------------------------------------------------------------------------
// Prune.

typed_filters! {
    /// Filters of `POST /containers/prune`; with none, every stopped
    /// container goes.
    ///
    /// ```
    /// use dockhand::api::ContainerPruneFilters;
    /// let f = ContainerPruneFilters::new().label("dockhand.test=1").until("10m");
    /// assert_eq!(f.filters().get("until"), ["10m"]);
    /// ```
    pub struct ContainerPruneFilters {
        /// Only containers created before this: a duration relative to now
        /// (`10m`, `24h`), a unix time or an RFC 3339 date.
        until = "until",
        /// Only containers with this label (`key` or `key=value`).
        label = "label",
        /// Only containers without this label (`key` or `key=value`).
        label_not = "label!",
    }
}

/// `POST /containers/prune`: removes stopped containers.
pub fn prune(filters: &ContainerPruneFilters) -> Result<ApiRequest> {
    with_filters(ApiRequest::post("/containers/prune"), &filters.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pq(req: Result<ApiRequest>) -> String {
        req.unwrap().path_and_query(ApiVersion::MIN)
    }

    #[test]
    fn container_filters_spell_their_typed_values_as_the_api_does() {
        let f = ContainerFilters::new().health(HealthStatus::Healthy).is_task(false).exited(0).other("x", "y");
        assert_eq!(f.filters().get("health"), ["healthy"]);
        assert_eq!(f.filters().get("is-task"), ["false"]);
        assert_eq!(f.filters().get("exited"), ["0"]);
        assert_eq!(f.filters().get("x"), ["y"]);
        let p = ContainerPruneFilters::new().label_not("keep");
        assert_eq!(pq(prune(&p)), "/v1.41/containers/prune?filters=%7B%22label%21%22%3A%5B%22keep%22%5D%7D");
        assert_eq!(Filters::from(p).get("label!"), ["keep"]);
    }

    #[test]
    fn hostile_ids_never_leave_their_segment() {
        assert_eq!(pq(inspect("a b?c#d", &ContainerInspectOptions::new())), "/v1.41/containers/a%20b%3Fc%23d/json");
        assert_eq!(pq(inspect("ünï", &ContainerInspectOptions::new())), "/v1.41/containers/%C3%BCn%C3%AF/json");
        assert_eq!(pq(inspect("a/b", &ContainerInspectOptions::new())), "/v1.41/containers/a%2Fb/json");
        assert_eq!(pq(remove("x?force=1", &ContainerRemoveOptions::new())), "/v1.41/containers/x%3Fforce%3D1");
        for bad in ["", "..", ".", "../images/json", "a/../../b", "/abs", "x\n"] {
            for req in [
                inspect(bad, &ContainerInspectOptions::new()),
                start(bad, None),
                remove(bad, &ContainerRemoveOptions::new()),
                wait(bad, None),
            ] {
                let err = req.unwrap_err();
                assert!(matches!(err, Error::InvalidInput { .. }), "{bad:?}: {err:?}");
            }
        }
    }

    #[test]
    fn request_shapes() {
        assert_eq!(pq(inspect("web", &ContainerInspectOptions::new().size(true))), "/v1.41/containers/web/json?size=1");
        assert_eq!(pq(top("web", &TopOptions::new().ps_args("aux"))), "/v1.41/containers/web/top?ps_args=aux");
        assert_eq!(pq(stats("web", StatsMode::OneShot)), "/v1.41/containers/web/stats?stream=0&one-shot=1");
        assert_eq!(pq(stats("web", StatsMode::Stream)), "/v1.41/containers/web/stats?stream=1");
        assert_eq!(pq(resize("web", TtySize { height: 40, width: 120 })), "/v1.41/containers/web/resize?h=40&w=120");
        assert_eq!(pq(start("web", Some("ctrl-x,x"))), "/v1.41/containers/web/start?detachKeys=ctrl-x%2Cx");
        assert_eq!(pq(kill("web", Some("SIGTERM"))), "/v1.41/containers/web/kill?signal=SIGTERM");
        assert_eq!(
            pq(restart("web", &StopOptions::new().timeout(Duration::from_millis(2500)))),
            "/v1.41/containers/web/restart?t=2"
        );
        assert_eq!(pq(rename("web", "new name")), "/v1.41/containers/web/rename?name=new+name");
        assert!(rename("web", "").is_err());
        let w = wait("web", Some(&WaitCondition::NextExit)).unwrap();
        assert_eq!(w.silence_kind(), Silence::Long);
        assert_eq!(w.path_and_query(ApiVersion::MIN), "/v1.41/containers/web/wait?condition=next-exit");
        assert_eq!(
            pq(remove("web", &ContainerRemoveOptions::new().force(true).volumes(true))),
            "/v1.41/containers/web?v=1&force=1"
        );
        assert_eq!(
            pq(put_archive("web", "/tmp", &PutArchiveOptions::new().copy_uid_gid(true), Body::empty())),
            "/v1.41/containers/web/archive?path=%2Ftmp&copyUIDGID=1"
        );
        assert_eq!(pq(archive_info("web", "/etc/a b")), "/v1.41/containers/web/archive?path=%2Fetc%2Fa+b");
        assert!(get_archive("web", "").is_err());
        assert_eq!(pq(prune(&ContainerPruneFilters::new())), "/v1.41/containers/prune");
    }

    #[test]
    fn create_body_and_query() {
        let c = ContainerCreate::new("busybox")
            .name("web")
            .platform("linux/amd64")
            .cmd(["sleep", "9"])
            .expose("53/udp")
            .publish("80", "", "8080")
            .tty(true)
            .read_only_rootfs(true)
            .cap_drop("ALL")
            .endpoint("bridge", EndpointSettings::with_aliases(["w"]));
        let req = create(&c).unwrap();
        assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/containers/create?name=web&platform=linux%2Famd64");
        let body = c.body_json().unwrap();
        assert_eq!(body["Cmd"], serde_json::json!(["sleep", "9"]));
        assert_eq!(body["ExposedPorts"], serde_json::json!({"53/udp": {}, "80/tcp": {}}));
        assert_eq!(
            body["HostConfig"]["PortBindings"],
            serde_json::json!({"80/tcp": [{"HostIp": "", "HostPort": "8080"}]})
        );
        assert_eq!(body["HostConfig"]["ReadonlyRootfs"], true);
        assert_eq!(body["NetworkingConfig"]["EndpointsConfig"]["bridge"]["Aliases"], serde_json::json!(["w"]));
        // Unset fields are not sent, so the image's and daemon's defaults apply.
        assert!(body.get("Entrypoint").is_none() && body.get("Tty") == Some(&serde_json::json!(true)));
        assert!(body["HostConfig"].get("Memory").is_none() && body["HostConfig"].get("Privileged").is_none());
        assert!(create(&ContainerCreate::new("")).is_err());
    }

    #[test]
    fn create_body_fields_follow_the_version_history() {
        use crate::models::{HealthConfig, Mount};
        let mut bind = Mount::bind("/src", "/dst").read_only(true);
        bind.bind_options = Some(crate::models::BindOptions { read_only_non_recursive: true, ..Default::default() });
        let bind = bind.create_mountpoint(true);
        let c = ContainerCreate::new("busybox")
            .annotation("a", "b")
            .healthcheck(HealthConfig::cmd(["true"]).start_interval(Duration::from_secs(1)))
            .mount(bind)
            .endpoint("net", EndpointSettings::default().mac_address("02:42:ac:11:00:09").gw_priority(3));
        let req = create(&c).unwrap();
        let at = |minor| req.json_body_for(ApiVersion::new(1, minor)).unwrap();
        let endpoint = |body: &serde_json::Value| body["NetworkingConfig"]["EndpointsConfig"]["net"].clone();

        let full = at(48);
        assert_eq!(full, c.body_json().unwrap(), "a 1.48 daemon gets every field");
        assert_eq!(endpoint(&full), serde_json::json!({"MacAddress": "02:42:ac:11:00:09", "GwPriority": 3}));
        let v1_47 = at(47);
        assert_eq!(endpoint(&v1_47), serde_json::json!({"MacAddress": "02:42:ac:11:00:09"}));
        let v1_44 = at(44);
        assert_eq!(v1_44["Healthcheck"]["StartInterval"], 1_000_000_000);
        assert_eq!(v1_44["HostConfig"]["Mounts"][0]["BindOptions"]["ReadOnlyNonRecursive"], true);
        assert!(v1_44.get("MacAddress").is_none());
        let v1_43 = at(43);
        assert_eq!(v1_43["HostConfig"]["Annotations"], serde_json::json!({"a": "b"}));
        assert!(v1_43["Healthcheck"].get("StartInterval").is_none());
        assert_eq!(v1_43["HostConfig"]["Mounts"][0]["BindOptions"], serde_json::json!({"CreateMountpoint": true}));
        // Before 1.44 the one endpoint's MAC address is the container's.
        assert_eq!(endpoint(&v1_43), serde_json::json!({}));
        assert_eq!(v1_43["MacAddress"], "02:42:ac:11:00:09");
        let v1_41 = at(41);
        assert!(v1_41["HostConfig"].get("Annotations").is_none(), "{v1_41}");
        assert_eq!(v1_41["HostConfig"]["Mounts"][0]["BindOptions"], serde_json::json!({}));

        // What goes on the wire is the rendered body.
        let http = create(&c).unwrap().into_http(ApiVersion::MIN).unwrap();
        assert_eq!(http.headers()[http::header::CONTENT_TYPE], "application/json");
        assert_eq!(http.body().exact_len(), Some(serde_json::to_vec(&v1_41).unwrap().len() as u64));
        assert!(full.to_string().len() > v1_41.to_string().len());
    }

    #[test]
    fn a_mac_address_is_moved_only_when_one_endpoint_asks_and_the_config_does_not() {
        let two = ContainerCreate::new("busybox")
            .endpoint("a", EndpointSettings::default().mac_address("02:00:00:00:00:01"))
            .endpoint("b", EndpointSettings::default().mac_address("02:00:00:00:00:02"));
        let body = create(&two).unwrap().json_body_for(ApiVersion::MIN).unwrap();
        assert!(body.get("MacAddress").is_none(), "{body}");
        let none = ContainerCreate::new("busybox").endpoint("a", EndpointSettings::default());
        let body = create(&none).unwrap().json_body_for(ApiVersion::MIN).unwrap();
        assert!(body.get("MacAddress").is_none(), "{body}");
    }

    #[test]
    fn path_stat_errors_are_typed() {
        let mut h = HeaderMap::new();
        assert!(parse_path_stat(&h).unwrap_err().is_decode());
        h.insert(crate::headers::X_DOCKER_CONTAINER_PATH_STAT, "%%%not base64".parse().unwrap());
        let err = parse_path_stat(&h).unwrap_err();
        assert!(err.is_decode() && err.to_string().contains("base64"), "{err}");
        let not_json = base64::engine::general_purpose::STANDARD.encode("[1,2");
        h.insert(crate::headers::X_DOCKER_CONTAINER_PATH_STAT, not_json.parse().unwrap());
        assert!(parse_path_stat(&h).unwrap_err().is_decode());
        let wrong_type = base64::engine::general_purpose::STANDARD.encode(r#"{"size":"big"}"#);
        h.insert(crate::headers::X_DOCKER_CONTAINER_PATH_STAT, wrong_type.parse().unwrap());
        let err = parse_path_stat(&h).unwrap_err();
        assert!(err.to_string().contains("size"), "{err}");
        let dir = base64::engine::general_purpose::STANDARD
            .encode(r#"{"name":"tmp","size":4096,"mode":2147484159,"mtime":"2026-01-01T00:00:00Z","linkTarget":""}"#);
        h.insert(crate::headers::X_DOCKER_CONTAINER_PATH_STAT, dir.parse().unwrap());
        let stat = parse_path_stat(&h).unwrap();
        assert!(stat.is_dir() && !stat.is_file() && stat.permissions() == 0o777);
    }
}
