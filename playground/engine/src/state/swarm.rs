//! The swarm's tables: the cluster, its one node (this daemon), services,
//! their tasks, secrets and configs. Specs are kept as the JSON the client
//! sent (with dockerd's defaults filled in), so that what a client reads
//! back is what it wrote, fields the engine does not simulate included.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Map;

/// A single-node swarm this daemon manages (`docker swarm init`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Swarm {
    /// The cluster's id (25 base-36 characters).
    pub id: String,
    /// The raft index: every write takes the next one.
    pub index: u64,
    /// The cluster object's own version.
    pub version: u64,
    /// When it was initialised.
    pub created_ms: u64,
    /// When its spec last changed.
    pub updated_ms: u64,
    /// The cluster spec (`Name`, `Orchestration`, `Raft`, ...).
    pub spec: Value,
    /// The worker join token.
    pub worker_token: String,
    /// The manager join token.
    pub manager_token: String,
    /// The unlock key (empty unless autolock is on).
    pub unlock_key: String,
    /// The address the node listens on (`0.0.0.0:2377`).
    pub listen_addr: String,
    /// The address it advertises (`192.168.65.3:2377`).
    pub advertise_addr: String,
    /// The one node.
    pub node: SwarmObject,
    /// Services by id.
    pub services: Map<String, Service>,
    /// Tasks by id.
    pub tasks: Map<String, Task>,
    /// Secrets by id (their spec keeps `Data`; it is never returned).
    pub secrets: Map<String, SwarmObject>,
    /// Configs by id.
    pub configs: Map<String, SwarmObject>,
    /// Set while the orchestrator runs (stopping a container moves the
    /// clock, which would run it again inside itself).
    #[serde(skip)]
    pub reconciling: bool,
    /// The pools overlay networks take their subnets from (`DefaultAddrPool`).
    #[serde(default)]
    pub default_addr_pool: Vec<String>,
    /// The prefix length of those subnets (`SubnetSize`).
    #[serde(default)]
    pub subnet_size: u64,
    /// The VXLAN port (`DataPathPort`).
    #[serde(default)]
    pub data_path_port: u64,
    /// The routing-mesh network's id (`ingress`, made at init; a user may
    /// remove it and create another with `Ingress: true`).
    #[serde(default)]
    pub ingress: String,
}

/// A versioned object with a spec: a node, a secret or a config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwarmObject {
    /// Its id.
    pub id: String,
    /// `Version.Index`.
    pub version: u64,
    /// When it was created.
    pub created_ms: u64,
    /// When it last changed.
    pub updated_ms: u64,
    /// Its spec as stored.
    pub spec: Value,
}

/// A service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Its id.
    pub id: String,
    /// `Version.Index`.
    pub version: u64,
    /// When it was created.
    pub created_ms: u64,
    /// When it last changed.
    pub updated_ms: u64,
    /// Its spec.
    pub spec: Value,
    /// The spec before the last update (what a rollback returns to).
    pub previous_spec: Option<Value>,
    /// `UpdateStatus`: `updating`, `completed`, `rollback_started`,
    /// `rollback_completed` (empty: never updated).
    pub update_state: String,
    /// When the update started and completed.
    pub update_started_ms: u64,
    /// When the update completed (0: not yet).
    pub update_completed_ms: u64,
    /// The virtual IPs: network id and address.
    pub vips: Vec<(String, String)>,
    /// For jobs: the iteration (`JobStatus.JobIteration.Index`) and when it
    /// last ran.
    pub job_iteration: u64,
}

/// A task: one slot's run of a service's template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Its id.
    pub id: String,
    /// `Version.Index`.
    pub version: u64,
    /// When it was created.
    pub created_ms: u64,
    /// When it last changed.
    pub updated_ms: u64,
    /// Its service's id.
    pub service_id: String,
    /// The slot (replicated services and jobs; 0 for global ones).
    pub slot: u64,
    /// The task template it runs.
    pub spec: Value,
    /// The service version it was made from.
    pub service_version: u64,
    /// `new`, `pending`, `assigned`, `accepted`, `preparing`, `starting`,
    /// `running`, `complete`, `shutdown`, `failed`, `rejected`, `orphaned`.
    pub state: String,
    /// When it entered that state.
    pub state_ms: u64,
    /// `Status.Message`.
    pub message: String,
    /// `Status.Err`.
    pub error: String,
    /// `running`, `shutdown`, `complete`.
    pub desired: String,
    /// Its container, once created.
    pub container_id: String,
    /// Its container's exit code.
    pub exit_code: i64,
    /// The job iteration it belongs to (jobs only).
    pub job_iteration: u64,
}
