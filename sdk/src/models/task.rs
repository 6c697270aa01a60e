//! Models of swarm tasks: `/tasks/...`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{ObjectVersion, TaskSpec, timestamp};

string_enum! {
    /// The state of a task, in the order tasks go through them.
    pub enum TaskState {
        /// Created.
        New = "new",
        /// Resources allocated.
        Allocated = "allocated",
        /// Waiting for a node.
        Pending = "pending",
        /// Given to a node.
        Assigned = "assigned",
        /// Accepted by the node.
        Accepted = "accepted",
        /// Being prepared (image, mounts).
        Preparing = "preparing",
        /// Ready to start.
        Ready = "ready",
        /// Starting.
        Starting = "starting",
        /// Running.
        Running = "running",
        /// Exited successfully.
        Complete = "complete",
        /// Stopped by the orchestrator.
        Shutdown = "shutdown",
        /// Exited with an error.
        Failed = "failed",
        /// The node refused it.
        Rejected = "rejected",
        /// Being removed.
        Remove = "remove",
        /// Its node is gone.
        Orphaned = "orphaned",
    }
}

/// A task: one scheduled run of a service's task template on a node.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Task {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its version.
    pub version: ObjectVersion,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created_at: Option<OffsetDateTime>,
    /// When it was last updated.
    #[serde(with = "timestamp::rfc3339")]
    pub updated_at: Option<OffsetDateTime>,
    /// Its name (often empty; the CLI derives `service.slot`).
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// The template it was made from.
    pub spec: TaskSpec,
    /// Its service's id.
    #[serde(rename = "ServiceID")]
    pub service_id: String,
    /// Its slot (replicated services).
    pub slot: u64,
    /// The node it runs on.
    #[serde(rename = "NodeID")]
    pub node_id: String,
    /// Where it is.
    pub status: TaskStatus,
    /// Where the orchestrator wants it.
    pub desired_state: TaskState,
    /// Its network attachments, as sent.
    #[serde(deserialize_with = "super::nullable")]
    pub networks_attachments: Vec<serde_json::Value>,
}

/// Where a task is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskStatus {
    /// When it got there.
    #[serde(with = "timestamp::rfc3339")]
    pub timestamp: Option<OffsetDateTime>,
    /// Its state.
    pub state: TaskState,
    /// What the orchestrator says.
    pub message: String,
    /// The error, if it failed.
    pub err: Option<String>,
    /// Its container.
    pub container_status: Option<TaskContainerStatus>,
}

/// The container of a task.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskContainerStatus {
    /// The container's id.
    #[serde(rename = "ContainerID")]
    pub container_id: String,
    /// Its process id.
    #[serde(rename = "PID")]
    pub pid: i64,
    /// Its exit code.
    pub exit_code: i64,
}
