//! Models of containers.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

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
    pub created: Option<OffsetDateTime>,
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
