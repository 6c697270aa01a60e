//! Models of the system endpoints: `/_ping`, `/version`, `/info`, `/events`,
//! `/system/df`.

use std::collections::HashMap;

use crate::Timestamp;
use serde::{Deserialize, Serialize};

use super::timestamp;
use super::{BuildCache, ContainerSummary, ImageSummary, Volume};

/// What `/_ping` says in its headers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Ping {
    /// `Api-Version`: the newest API version the daemon speaks.
    pub api_version: Option<String>,
    /// `OSType`: `linux` or `windows`.
    pub os_type: Option<String>,
    /// `Docker-Experimental`: whether experimental features are on.
    pub experimental: bool,
    /// `Builder-Version`: the builder the daemon recommends (`1` classic,
    /// `2` BuildKit).
    pub builder_version: Option<String>,
    /// `Swarm`: the node's swarm state, when the daemon reports it.
    pub swarm: Option<SwarmStatus>,
}

/// The `Swarm` header of `/_ping`: `inactive`, `pending`, `error`, `locked`,
/// or `active/worker`, `active/manager`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SwarmStatus {
    /// The node's state.
    pub state: LocalNodeState,
    /// Whether the node is a manager (only for `active`).
    pub manager: bool,
}

impl SwarmStatus {
    /// Parses the header's value.
    ///
    /// ```
    /// use dockhand::models::{SwarmStatus, LocalNodeState};
    /// let s = SwarmStatus::parse("active/manager");
    /// assert_eq!((s.state, s.manager), (LocalNodeState::Active, true));
    /// assert_eq!(SwarmStatus::parse("inactive").state, LocalNodeState::Inactive);
    /// ```
    pub fn parse(value: &str) -> Self {
        let (state, role) = value.split_once('/').unwrap_or((value, ""));
        SwarmStatus { state: LocalNodeState::from(state), manager: role == "manager" }
    }
}

string_enum! {
    /// The local node's swarm state.
    pub enum LocalNodeState {
        /// Not part of a swarm.
        Inactive = "inactive",
        /// Joining.
        Pending = "pending",
        /// Part of a swarm.
        Active = "active",
        /// In error.
        Error = "error",
        /// Locked; needs `docker swarm unlock`.
        Locked = "locked",
    }
}

/// `GET /version`: the daemon's version and its components'.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Version {
    /// The platform (for example `Docker Engine - Community`).
    pub platform: Option<VersionPlatform>,
    /// The engine, containerd, runc, docker-init, ...
    #[serde(deserialize_with = "super::nullable")]
    pub components: Vec<ComponentVersion>,
    /// The engine's version (`20.10.24+dfsg1`).
    pub version: String,
    /// The newest API version the daemon speaks.
    pub api_version: String,
    /// The oldest API version the daemon accepts.
    #[serde(rename = "MinAPIVersion")]
    pub min_api_version: String,
    /// The engine's git commit.
    pub git_commit: String,
    /// The Go version the engine was built with.
    pub go_version: String,
    /// The operating system (`linux`).
    pub os: String,
    /// The architecture (`amd64`).
    pub arch: String,
    /// The host's kernel version.
    pub kernel_version: String,
    /// Whether experimental features are on.
    pub experimental: bool,
    /// When the engine was built, as the daemon writes it.
    pub build_time: String,
}

/// The platform name of a [`Version`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct VersionPlatform {
    /// The platform's name.
    pub name: String,
}

/// One component of a [`Version`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ComponentVersion {
    /// `Engine`, `containerd`, `runc`, `docker-init`, ...
    pub name: String,
    /// Its version.
    pub version: String,
    /// Free-form details (git commit, Go version, ...).
    #[serde(deserialize_with = "super::nullable")]
    pub details: HashMap<String, String>,
}

/// `GET /info`: the daemon's configuration and counts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Info {
    /// The daemon's unique id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Number of containers.
    pub containers: i64,
    /// Number of running containers.
    pub containers_running: i64,
    /// Number of paused containers.
    pub containers_paused: i64,
    /// Number of stopped containers.
    pub containers_stopped: i64,
    /// Number of images.
    pub images: i64,
    /// The storage driver (`overlay2`).
    pub driver: String,
    /// The storage driver's details, as `[name, value]` pairs.
    #[serde(deserialize_with = "super::nullable")]
    pub driver_status: Vec<Vec<String>>,
    /// Where the daemon keeps its data.
    pub docker_root_dir: String,
    /// Available plugins by kind.
    #[serde(deserialize_with = "super::nullable")]
    pub plugins: PluginsInfo,
    /// Whether memory limits are supported.
    pub memory_limit: bool,
    /// Whether swap limits are supported.
    pub swap_limit: bool,
    /// Whether CFS period is supported.
    pub cpu_cfs_period: bool,
    /// Whether CFS quota is supported.
    pub cpu_cfs_quota: bool,
    /// Whether CPU shares are supported.
    #[serde(rename = "CPUShares")]
    pub cpu_shares: bool,
    /// Whether cpusets are supported.
    #[serde(rename = "CPUSet")]
    pub cpu_set: bool,
    /// Whether pids limits are supported.
    pub pids_limit: bool,
    /// Whether the OOM killer can be disabled.
    pub oom_kill_disable: bool,
    /// Whether IPv4 forwarding is on.
    #[serde(rename = "IPv4Forwarding")]
    pub ipv4_forwarding: bool,
    /// Whether the daemon runs in debug mode.
    pub debug: bool,
    /// Open file descriptors (debug mode only).
    #[serde(rename = "NFd")]
    pub n_fd: i64,
    /// Goroutines (debug mode only).
    pub n_goroutines: i64,
    /// The daemon's clock.
    #[serde(with = "timestamp::rfc3339")]
    pub system_time: Option<Timestamp>,
    /// The default logging driver.
    pub logging_driver: String,
    /// `cgroupfs`, `systemd` or `none`.
    pub cgroup_driver: String,
    /// `1` or `2`.
    pub cgroup_version: String,
    /// Event listeners.
    pub n_events_listener: i64,
    /// The host's kernel version.
    pub kernel_version: String,
    /// The host's operating system (`Debian GNU/Linux 12 (bookworm)`).
    pub operating_system: String,
    /// The operating system's version.
    #[serde(rename = "OSVersion")]
    pub os_version: String,
    /// `linux` or `windows`.
    #[serde(rename = "OSType")]
    pub os_type: String,
    /// The architecture (`x86_64`).
    pub architecture: String,
    /// Number of CPUs.
    #[serde(rename = "NCPU")]
    pub ncpu: i64,
    /// Total memory in bytes.
    pub mem_total: i64,
    /// The default registry.
    pub index_server_address: String,
    /// The host's name.
    pub name: String,
    /// The daemon's labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: Vec<String>,
    /// Whether this is an experimental build.
    pub experimental_build: bool,
    /// The engine's version.
    pub server_version: String,
    /// The default runtime (`runc`).
    pub default_runtime: String,
    /// The swarm state.
    #[serde(deserialize_with = "super::nullable")]
    pub swarm: SwarmInfo,
    /// Whether live restore is on.
    pub live_restore_enabled: bool,
    /// The default isolation (Windows).
    pub isolation: String,
    /// The init binary.
    pub init_binary: String,
    /// Security options (`name=seccomp,profile=default`, ...).
    #[serde(deserialize_with = "super::nullable")]
    pub security_options: Vec<String>,
    /// Proxy settings the daemon uses.
    pub http_proxy: String,
    /// Proxy settings the daemon uses.
    pub https_proxy: String,
    /// Proxy exclusions the daemon uses.
    pub no_proxy: String,
    /// Warnings about the daemon's configuration.
    pub warnings: Option<Vec<String>>,
    /// Directories the daemon reads CDI specifications from (API 1.44;
    /// `None` from older daemons).
    #[serde(rename = "CDISpecDirs", skip_serializing_if = "Option::is_none")]
    pub cdi_spec_dirs: Option<Vec<String>>,
    /// The containerd the daemon runs containers with (API 1.46; `None`
    /// from older daemons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub containerd: Option<ContainerdInfo>,
    /// How the daemon sets up its firewall (API 1.49; `None` from older
    /// daemons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firewall_backend: Option<FirewallInfo>,
    /// Devices the daemon's device drivers found (API 1.50; `None` from
    /// older daemons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovered_devices: Option<Vec<DeviceInfo>>,
}

/// The containerd a daemon uses ([`Info::containerd`], API 1.46).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerdInfo {
    /// The socket of containerd's API.
    pub address: String,
    /// The containerd namespaces the daemon uses.
    #[serde(deserialize_with = "super::nullable")]
    pub namespaces: ContainerdNamespaces,
}

/// The containerd namespaces of a daemon ([`ContainerdInfo::namespaces`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerdNamespaces {
    /// The namespace of containers (`moby`).
    pub containers: String,
    /// The namespace of plugins (`plugins.moby`).
    pub plugins: String,
}

/// A daemon's firewall set-up ([`Info::firewall_backend`], API 1.49).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct FirewallInfo {
    /// The driver (`iptables`, `nftables`, `iptables+firewalld`).
    pub driver: String,
    /// Details as `[name, value]` pairs.
    #[serde(deserialize_with = "super::nullable")]
    pub info: Vec<Vec<String>>,
}

/// A device a device driver found ([`Info::discovered_devices`], API 1.50).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DeviceInfo {
    /// The driver that found it (`cdi`).
    pub source: String,
    /// Its id (`vendor.com/gpu=0`).
    #[serde(rename = "ID")]
    pub id: String,
}

/// The plugins a daemon has, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginsInfo {
    /// Volume drivers.
    #[serde(deserialize_with = "super::nullable")]
    pub volume: Vec<String>,
    /// Network drivers.
    #[serde(deserialize_with = "super::nullable")]
    pub network: Vec<String>,
    /// Authorization plugins.
    pub authorization: Option<Vec<String>>,
    /// Logging drivers.
    #[serde(deserialize_with = "super::nullable")]
    pub log: Vec<String>,
}

/// The swarm part of [`Info`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmInfo {
    /// This node's id.
    #[serde(rename = "NodeID")]
    pub node_id: String,
    /// This node's address.
    pub node_addr: String,
    /// This node's state.
    pub local_node_state: LocalNodeState,
    /// Whether this node is a manager.
    pub control_available: bool,
    /// The swarm's error, if any.
    pub error: String,
    /// Number of nodes (managers only).
    pub nodes: Option<i64>,
    /// Number of managers (managers only).
    pub managers: Option<i64>,
}

string_enum! {
    /// The kind of object an [`Event`] is about.
    pub enum EventType {
        /// BuildKit.
        Builder = "builder",
        /// A swarm config.
        Config = "config",
        /// A container.
        Container = "container",
        /// The daemon.
        Daemon = "daemon",
        /// An image.
        Image = "image",
        /// A network.
        Network = "network",
        /// A swarm node.
        Node = "node",
        /// A plugin.
        Plugin = "plugin",
        /// A swarm secret.
        Secret = "secret",
        /// A swarm service.
        Service = "service",
        /// A volume.
        Volume = "volume",
    }
}

string_enum! {
    /// Whether an [`Event`] is local to this daemon or swarm-wide.
    pub enum EventScope {
        /// This daemon.
        Local = "local",
        /// The swarm.
        Swarm = "swarm",
    }
}

/// One message of `GET /events`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Event {
    /// What kind of object it is about.
    #[serde(rename = "Type")]
    pub typ: EventType,
    /// What happened (`create`, `start`, `die`, `exec_start: sh`, ...).
    #[serde(rename = "Action")]
    pub action: String,
    /// The object.
    #[serde(rename = "Actor")]
    #[serde(deserialize_with = "super::nullable")]
    pub actor: EventActor,
    /// Local or swarm.
    pub scope: Option<EventScope>,
    /// When, in unix seconds.
    pub time: i64,
    /// When, in unix nanoseconds.
    #[serde(rename = "timeNano")]
    pub time_nano: i64,
}

impl Event {
    /// When the event happened, at the best precision the daemon gave.
    pub fn timestamp(&self) -> Option<Timestamp> {
        timestamp::from_unix_nanos(self.time_nano).or_else(|| timestamp::from_unix(self.time))
    }
}

/// The object an [`Event`] is about.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct EventActor {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its attributes (`name`, `image`, labels, `exitCode`, ...).
    #[serde(deserialize_with = "super::nullable")]
    pub attributes: HashMap<String, String>,
}

/// `GET /system/df`: disk usage by images, containers, volumes and build
/// cache.
///
/// Daemons before API 1.52 send flat lists (`Images`, `Containers`, ...);
/// newer ones send totals with optional item lists (`ImageUsage`, ...). Both
/// shapes decode; [`SystemDf::images`] and friends read whichever was sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SystemDf {
    /// Size of all layers (before API 1.52).
    pub layers_size: Option<i64>,
    /// Images (before API 1.52).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<ImageSummary>>,
    /// Containers (before API 1.52).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub containers: Option<Vec<ContainerSummary>>,
    /// Volumes (before API 1.52).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<Volume>>,
    /// Build cache records (before API 1.52).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_cache: Option<Vec<BuildCache>>,
    /// Image usage (API 1.52 and later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_usage: Option<DiskUsage<ImageSummary>>,
    /// Container usage (API 1.52 and later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_usage: Option<DiskUsage<ContainerSummary>>,
    /// Volume usage (API 1.52 and later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_usage: Option<DiskUsage<Volume>>,
    /// Build cache usage (API 1.52 and later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_cache_usage: Option<DiskUsage<BuildCache>>,
}

impl SystemDf {
    /// The images, from either shape.
    pub fn images(&self) -> &[ImageSummary] {
        pick(&self.images, &self.image_usage)
    }

    /// The containers, from either shape.
    pub fn containers(&self) -> &[ContainerSummary] {
        pick(&self.containers, &self.container_usage)
    }

    /// The volumes, from either shape.
    pub fn volumes(&self) -> &[Volume] {
        pick(&self.volumes, &self.volume_usage)
    }

    /// The build cache records, from either shape.
    pub fn build_cache(&self) -> &[BuildCache] {
        pick(&self.build_cache, &self.build_cache_usage)
    }
}

fn pick<'a, T>(flat: &'a Option<Vec<T>>, usage: &'a Option<DiskUsage<T>>) -> &'a [T] {
    flat.as_deref().or_else(|| usage.as_ref().map(|u| &u.items[..])).unwrap_or(&[])
}

/// Totals for one kind of object in [`SystemDf`] (API 1.52 and later).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DiskUsage<T> {
    /// Objects in use.
    pub active_count: i64,
    /// All objects.
    pub total_count: i64,
    /// Bytes that a prune would free.
    pub reclaimable: i64,
    /// Bytes in all.
    pub total_size: i64,
    /// The objects, with `verbose`.
    #[serde(deserialize_with = "super::nullable", bound(deserialize = "T: Deserialize<'de>"))]
    pub items: Vec<T>,
}

impl<T> Default for DiskUsage<T> {
    fn default() -> Self {
        DiskUsage { active_count: 0, total_count: 0, reclaimable: 0, total_size: 0, items: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_event_types_are_kept() {
        let e: Event = serde_json::from_str(
            r#"{"Type":"sandbox","Action":"poke","Actor":{"ID":"x","Attributes":{"a":"b"}},
               "scope":"galaxy","time":1700000000,"timeNano":1700000000123456789,"extra":1}"#,
        )
        .unwrap();
        assert_eq!(e.typ, EventType::Unknown("sandbox".into()));
        assert_eq!(e.scope, Some(EventScope::Unknown("galaxy".into())));
        assert_eq!(e.timestamp().unwrap().nanosecond(), 123_456_789);
        assert_eq!(e.actor.attributes["a"], "b");
    }

    #[test]
    fn both_df_shapes() {
        let old: SystemDf =
            serde_json::from_str(r#"{"LayersSize":5,"Images":[{"Id":"sha256:a"}],"Volumes":null}"#).unwrap();
        assert_eq!(old.images().len(), 1);
        assert!(old.volumes().is_empty());
        let new: SystemDf = serde_json::from_str(
            r#"{"ImageUsage":{"ActiveCount":1,"TotalCount":2,"Reclaimable":3,"TotalSize":4,"Items":[{"Id":"sha256:b"}]}}"#,
        )
        .unwrap();
        assert_eq!(new.images()[0].id, "sha256:b");
        assert_eq!(new.image_usage.unwrap().total_size, 4);
    }

    #[test]
    fn info_tolerates_nulls_and_strangers() {
        let info: Info = serde_json::from_str(
            r#"{"ID":"x","Containers":3,"Swarm":{"LocalNodeState":"weird"},"Warnings":null,"NewThing":{"a":1},
               "SystemTime":"2026-11-27T17:46:57.041190500Z","MemTotal":25000000000}"#,
        )
        .unwrap();
        assert_eq!(info.containers, 3);
        assert_eq!(info.swarm.local_node_state, LocalNodeState::Unknown("weird".into()));
        assert_eq!(info.mem_total, 25_000_000_000);
        assert!(info.system_time.is_some());
    }
}
