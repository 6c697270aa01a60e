//! Models of swarm tasks: `/tasks/...`.

use std::collections::HashMap;

use crate::Timestamp;
use serde::{Deserialize, Serialize};

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
    #[serde(deserialize_with = "super::nullable")]
    pub version: ObjectVersion,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created_at: Option<Timestamp>,
    /// When it was last updated.
    #[serde(with = "timestamp::rfc3339")]
    pub updated_at: Option<Timestamp>,
    /// Its name (often empty; the CLI derives `service.slot`).
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// The template it was made from.
    #[serde(deserialize_with = "super::nullable")]
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
    #[serde(deserialize_with = "super::nullable")]
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
    pub timestamp: Option<Timestamp>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_specs_example() {
        // `Task.example` of the v1.56 specification.
        let json = r#"{"ID": "0kzzo1i0y4jz6027t0k7aezc7", "Version": {"Index": 71}, "CreatedAt": "2016-06-07T21:07:31.171892745Z", "UpdatedAt": "2016-06-07T21:07:31.376370513Z", "Spec": {"ContainerSpec": {"Image": "redis"}, "Resources": {"Limits": {}, "Reservations": {}}, "RestartPolicy": {"Condition": "any", "MaxAttempts": 0}, "Placement": {}}, "ServiceID": "9mnpnzenvg8p8tdbtq4wvbkcz", "Slot": 1, "NodeID": "60gvrl6tm78dmak4yl7srz94v", "Status": {"Timestamp": "2016-06-07T21:07:31.290032978Z", "State": "running", "Message": "started", "ContainerStatus": {"ContainerID": "e5d62702a1b48d01c3e02ca1e0212a250801fa8d67caca0b6f35919ebc12f035", "PID": 677}}, "DesiredState": "running", "NetworksAttachments": [{"Network": {"ID": "4qvuz4ko70xaltuqbt8956gd1", "Version": {"Index": 18}, "CreatedAt": "2016-06-07T20:31:11.912919752Z", "UpdatedAt": "2016-06-07T21:07:29.955277358Z", "Spec": {"Name": "ingress", "Labels": {"com.docker.swarm.internal": "true"}, "DriverConfiguration": {}, "IPAMOptions": {"Driver": {}, "Configs": [{"Subnet": "10.255.0.0/16", "Gateway": "10.255.0.1"}]}}, "DriverState": {"Name": "overlay", "Options": {"com.docker.network.driver.overlay.vxlanid_list": "256"}}, "IPAMOptions": {"Driver": {"Name": "default"}, "Configs": [{"Subnet": "10.255.0.0/16", "Gateway": "10.255.0.1"}]}}, "Addresses": ["10.255.0.10/16"]}], "AssignedGenericResources": [{"DiscreteResourceSpec": {"Kind": "SSD", "Value": 3}}, {"NamedResourceSpec": {"Kind": "GPU", "Value": "UUID1"}}, {"NamedResourceSpec": {"Kind": "GPU", "Value": "UUID2"}}]}"#;
        let t: Task = serde_json::from_str(json).unwrap();
        assert_eq!(t.status.state, TaskState::Running);
        assert_eq!(t.desired_state, TaskState::Running);
        assert_eq!(t.status.container_status.as_ref().unwrap().pid, 677);
        assert_eq!(t.spec.container_spec.as_ref().unwrap().image, "redis");
        assert_eq!(t.networks_attachments.len(), 1);
        assert_eq!(t.slot, 1);
    }

    #[test]
    fn unknown_states_are_kept() {
        let t: Task = serde_json::from_str(r#"{"Status":{"State":"hibernating"},"DesiredState":null}"#).unwrap();
        assert_eq!(t.status.state, TaskState::Unknown("hibernating".into()));
        assert_eq!(t.desired_state, TaskState::default());
    }
}
