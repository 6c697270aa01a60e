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
    #[serde(deserialize_with = "super::nullable")]
    pub version: super::ObjectVersion,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last updated.
    pub updated_at: Option<String>,
    /// What was asked for.
    #[serde(deserialize_with = "super::nullable")]
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
