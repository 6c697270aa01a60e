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
