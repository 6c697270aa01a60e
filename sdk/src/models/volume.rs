//! Models of volumes.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

string_enum! {
    /// Where a volume is usable.
    pub enum VolumeScope {
        /// On this machine.
        Local = "local",
        /// Across the cluster.
        Global = "global",
    }
}

/// A volume (`GET /volumes/{name}` and lists).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Volume {
    /// Its name.
    pub name: String,
    /// Its driver (`local`).
    pub driver: String,
    /// Where it is mounted on the host.
    pub mountpoint: String,
    /// When it was created, as the daemon writes it.
    pub created_at: Option<String>,
    /// Driver-specific status.
    pub status: Option<HashMap<String, serde_json::Value>>,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// Local or global.
    pub scope: VolumeScope,
    /// The driver's options.
    #[serde(deserialize_with = "super::nullable")]
    pub options: HashMap<String, String>,
    /// Usage data (with `/system/df`).
    pub usage_data: Option<VolumeUsageData>,
    /// The swarm side of a cluster volume (API 1.42 and later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_volume: Option<ClusterVolume>,
}

/// How much a [`Volume`] holds and how many containers use it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct VolumeUsageData {
    /// Bytes used (`-1` when not computed).
    pub size: i64,
    /// Containers referencing it (`-1` when not computed).
    pub ref_count: i64,
}

/// The answer of `GET /volumes`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct VolumeListResponse {
    /// The volumes.
    #[serde(deserialize_with = "super::nullable")]
    pub volumes: Vec<Volume>,
    /// Warnings (for example from a volume driver that did not answer).
    #[serde(deserialize_with = "super::nullable")]
    pub warnings: Vec<String>,
}

/// The answer of `POST /volumes/prune`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct VolumePruneResponse {
    /// The names of the volumes removed.
    #[serde(deserialize_with = "super::nullable")]
    pub volumes_deleted: Vec<String>,
    /// Bytes freed.
    pub space_reclaimed: u64,
}

/// The cluster side of a swarm (CSI) volume: `Volume::cluster_volume`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ClusterVolume {
    /// The swarm's id for the volume.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version to pass to a volume update.
    pub version: super::ObjectVersion,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last updated.
    pub updated_at: Option<String>,
    /// What was asked for.
    pub spec: ClusterVolumeSpec,
    /// What the CSI driver reports, as sent.
    pub info: Option<serde_json::Value>,
    /// Where the volume is published, as sent.
    #[serde(deserialize_with = "super::nullable")]
    pub publish_status: Vec<serde_json::Value>,
}

/// The specification of a cluster volume (`PUT /volumes/{name}` sends it).
///
/// Only `Group` and `AccessMode` are modelled; every other field the daemon
/// sent is kept in `extra` and sent back unchanged by an update.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ClusterVolumeSpec {
    /// The volume group.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// How the volume may be used (scope, sharing, mount or block), as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_mode: Option<serde_json::Value>,
    /// The availability (`active`, `pause`, `drain`) and other fields, as
    /// sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

string_enum! {
    /// The kind of a [`Mount`].
    pub enum MountType {
        /// A host path.
        Bind = "bind",
        /// A named or anonymous volume.
        Volume = "volume",
        /// An image's filesystem (API 1.47 and later).
        Image = "image",
        /// A tmpfs.
        Tmpfs = "tmpfs",
        /// A Windows named pipe.
        Npipe = "npipe",
        /// A swarm cluster volume.
        Cluster = "cluster",
    }
}

/// A mount in a container or a service's tasks (`HostConfig.Mounts`,
/// `ContainerSpec.Mounts`).
///
/// ```
/// use dockhand::models::Mount;
/// let m = Mount::volume("app-data", "/data").read_only(true);
/// assert_eq!(
///     serde_json::to_string(&m)?,
///     r#"{"Target":"/data","Source":"app-data","Type":"volume","ReadOnly":true}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Mount {
    /// Where it appears in the container.
    pub target: String,
    /// The volume name, host path, or nothing (tmpfs, anonymous volume).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Its kind.
    #[serde(rename = "Type")]
    pub typ: MountType,
    /// Whether it is read-only.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// `default`, `consistent`, `cached` or `delegated` (Docker Desktop).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub consistency: String,
    /// Options of a bind mount, as the API spells them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind_options: Option<serde_json::Value>,
    /// Options of a volume mount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_options: Option<MountVolumeOptions>,
    /// Options of an image mount, as the API spells them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_options: Option<serde_json::Value>,
    /// Options of a tmpfs mount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmpfs_options: Option<MountTmpfsOptions>,
}

impl Mount {
    /// The named volume `source` at `target`.
    pub fn volume(source: impl Into<String>, target: impl Into<String>) -> Self {
        Mount { source: source.into(), target: target.into(), typ: MountType::Volume, ..Default::default() }
    }

    /// The host path `source` at `target`.
    pub fn bind(source: impl Into<String>, target: impl Into<String>) -> Self {
        Mount { source: source.into(), target: target.into(), typ: MountType::Bind, ..Default::default() }
    }

    /// A tmpfs at `target`.
    pub fn tmpfs(target: impl Into<String>) -> Self {
        Mount { target: target.into(), typ: MountType::Tmpfs, ..Default::default() }
    }

    /// Makes the mount read-only (or not).
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }
}

/// Options of a volume [`Mount`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct MountVolumeOptions {
    /// Whether not to copy the image's files at the target into a new volume.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_copy: bool,
    /// Labels for a volume created by the mount.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub labels: HashMap<String, String>,
    /// The driver for a volume created by the mount, as the API spells it
    /// (`{"Name": "local", "Options": {...}}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver_config: Option<serde_json::Value>,
    /// A path inside the volume to mount instead of its root (API 1.45).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subpath: String,
}

/// Options of a tmpfs [`Mount`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct MountTmpfsOptions {
    /// Its size in bytes (0: unlimited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
    /// Its permission bits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
}
