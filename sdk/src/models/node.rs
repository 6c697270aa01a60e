//! Models of swarm nodes: `/nodes/...`.

use std::collections::HashMap;

use crate::Timestamp;
use serde::{Deserialize, Serialize};

use super::{ObjectVersion, timestamp};

string_enum! {
    /// A node's role.
    pub enum NodeRole {
        /// Runs tasks.
        Worker = "worker",
        /// Runs tasks and manages the swarm.
        Manager = "manager",
    }
}

string_enum! {
    /// Whether a node takes tasks.
    pub enum NodeAvailability {
        /// Takes new tasks.
        Active = "active",
        /// Keeps its tasks, takes no new ones.
        Pause = "pause",
        /// Moves its tasks elsewhere.
        Drain = "drain",
    }
}

string_enum! {
    /// A node's state as the managers see it.
    pub enum NodeState {
        /// Unknown.
        UnknownState = "unknown",
        /// Down.
        Down = "down",
        /// Up.
        Ready = "ready",
        /// Unreachable.
        Disconnected = "disconnected",
    }
}

/// A node of the swarm (`GET /nodes/{id}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Node {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version to pass to an update.
    #[serde(deserialize_with = "super::nullable")]
    pub version: ObjectVersion,
    /// When it joined.
    #[serde(with = "timestamp::rfc3339")]
    pub created_at: Option<Timestamp>,
    /// When it was last updated.
    #[serde(with = "timestamp::rfc3339")]
    pub updated_at: Option<Timestamp>,
    /// What the operator set: name, labels, role, availability.
    #[serde(deserialize_with = "super::nullable")]
    pub spec: NodeSpec,
    /// What the node reports about itself.
    #[serde(deserialize_with = "super::nullable")]
    pub description: NodeDescription,
    /// Its state.
    #[serde(deserialize_with = "super::nullable")]
    pub status: NodeStatus,
    /// Its manager state, for managers.
    pub manager_status: Option<ManagerStatus>,
}

/// What an operator sets on a node (`POST /nodes/{id}/update` sends it
/// whole). Unmodelled fields are kept in `extra`.
///
/// ```
/// use dockhand::models::{NodeSpec, NodeAvailability};
/// let spec = NodeSpec::default().availability(NodeAvailability::Drain).label("zone", "a");
/// assert_eq!(spec.labels["zone"], "a");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeSpec {
    /// A name for the node.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its labels (used by placement constraints `node.labels.KEY`).
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// Worker or manager.
    pub role: NodeRole,
    /// Active, pause or drain.
    pub availability: NodeAvailability,
    /// Fields not modelled here, as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl NodeSpec {
    /// Sets the availability.
    pub fn availability(mut self, availability: NodeAvailability) -> Self {
        self.availability = availability;
        self
    }

    /// Sets the role.
    pub fn role(mut self, role: NodeRole) -> Self {
        self.role = role;
        self
    }

    /// Sets a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }
}

/// What a node reports about itself.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeDescription {
    /// Its host name.
    pub hostname: String,
    /// Its platform.
    #[serde(deserialize_with = "super::nullable")]
    pub platform: NodePlatform,
    /// Its CPUs and memory.
    #[serde(deserialize_with = "super::nullable")]
    pub resources: NodeResources,
    /// Its engine's version, labels and plugins, as sent.
    pub engine: Option<serde_json::Value>,
}

/// The platform of a node.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodePlatform {
    /// `x86_64`, `aarch64`, ...
    pub architecture: String,
    /// `linux`, `windows`.
    #[serde(rename = "OS")]
    pub os: String,
}

/// The CPUs and memory of a node.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeResources {
    /// CPUs, in units of 10⁻⁹ CPU.
    #[serde(rename = "NanoCPUs")]
    pub nano_cpus: i64,
    /// Memory in bytes.
    pub memory_bytes: i64,
}

/// A node's state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeStatus {
    /// Ready, down, ...
    pub state: NodeState,
    /// Why, when not ready.
    pub message: String,
    /// Its address.
    pub addr: String,
}

/// A manager's state in the raft group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ManagerStatus {
    /// Whether it leads.
    pub leader: bool,
    /// `reachable`, `unreachable` or `unknown`.
    pub reachability: String,
    /// The address managers reach it at.
    pub addr: String,
}
