//! Models of images and the build cache.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::timestamp;

/// One entry of `GET /images/json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageSummary {
    /// The image's id (`sha256:...`).
    pub id: String,
    /// The parent image's id, if any.
    pub parent_id: String,
    /// Its tags (`busybox:latest`).
    #[serde(deserialize_with = "super::nullable")]
    pub repo_tags: Vec<String>,
    /// Its digests (`busybox@sha256:...`).
    #[serde(deserialize_with = "super::nullable")]
    pub repo_digests: Vec<String>,
    /// When it was created.
    #[serde(with = "timestamp::unix")]
    pub created: Option<OffsetDateTime>,
    /// Its size in bytes, layers included.
    pub size: i64,
    /// Bytes shared with other images (`-1` when not computed).
    pub shared_size: i64,
    /// Its virtual size (removed in later API versions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_size: Option<i64>,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// Containers using it (`-1` when not computed).
    pub containers: i64,
}

/// A build cache record (`/system/df`, build cache prune).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BuildCache {
    /// The record's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its parents.
    pub parents: Option<Vec<String>>,
    /// `internal`, `frontend`, `source.local`, `source.git.checkout`,
    /// `exec.cachemount`, `regular`.
    #[serde(rename = "Type")]
    pub typ: String,
    /// What produced it.
    pub description: String,
    /// Whether it is in use.
    pub in_use: bool,
    /// Whether it is shared.
    pub shared: bool,
    /// Its size in bytes.
    pub size: i64,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created_at: Option<OffsetDateTime>,
    /// When it was last used.
    #[serde(with = "timestamp::rfc3339")]
    pub last_used_at: Option<OffsetDateTime>,
    /// How often it was used.
    pub usage_count: i64,
}
