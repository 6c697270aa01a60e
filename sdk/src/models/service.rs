//! Models of swarm services: `/services/...`, and the task template they
//! share with tasks.

use std::collections::HashMap;

use crate::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Driver, Mount, ObjectVersion, timestamp};

type Extra = serde_json::Map<String, serde_json::Value>;

/// A service (`GET /services/{id}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Service {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version an update must name.
    #[serde(deserialize_with = "super::nullable")]
    pub version: ObjectVersion,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created_at: Option<Timestamp>,
    /// When it was last updated.
    #[serde(with = "timestamp::rfc3339")]
    pub updated_at: Option<Timestamp>,
    /// What is asked for now.
    #[serde(deserialize_with = "super::nullable")]
    pub spec: ServiceSpec,
    /// What was asked for before the last update (what a rollback restores).
    pub previous_spec: Option<ServiceSpec>,
    /// Its published ports and virtual IPs.
    #[serde(deserialize_with = "super::nullable")]
    pub endpoint: ServiceEndpoint,
    /// The progress of the last update.
    pub update_status: Option<UpdateStatus>,
    /// Running and desired task counts (with `status=true` in lists).
    pub service_status: Option<ServiceStatus>,
}

/// What a service is (the body of `POST /services/create` and `POST
/// /services/{id}/update`).
///
/// Fields dockhand does not model are kept in `extra` and sent back
/// unchanged, so an update built from an inspect keeps them.
///
/// ```
/// use dockhand::models::{ServiceSpec, ContainerSpec};
/// let spec = ServiceSpec::new("web", ContainerSpec::new("busybox").command(["httpd", "-f"]))
///     .replicas(3)
///     .publish(8080, 80);
/// assert_eq!(spec.mode.replicated.as_ref().unwrap().replicas, Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceSpec {
    /// Its name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// What each task runs.
    #[serde(deserialize_with = "super::nullable")]
    pub task_template: TaskSpec,
    /// Replicated, global, or a job.
    #[serde(deserialize_with = "super::nullable")]
    pub mode: ServiceMode,
    /// How updates roll out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_config: Option<UpdateConfig>,
    /// How rollbacks roll out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback_config: Option<UpdateConfig>,
    /// Networks to attach (deprecated here: use `TaskTemplate.Networks`).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<NetworkAttachmentConfig>,
    /// Published ports and the endpoint mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_spec: Option<EndpointSpec>,
    /// Fields not modelled here, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ServiceSpec {
    /// A replicated service `name` of one task running `container`.
    pub fn new(name: impl Into<String>, container: ContainerSpec) -> Self {
        ServiceSpec {
            name: name.into(),
            task_template: TaskSpec { container_spec: Some(container), ..Default::default() },
            mode: ServiceMode::replicated(1),
            ..Default::default()
        }
    }

    /// Sets a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Runs `n` replicas.
    pub fn replicas(mut self, n: u64) -> Self {
        self.mode = ServiceMode::replicated(n);
        self
    }

    /// Runs one task on every node.
    pub fn global(mut self) -> Self {
        self.mode = ServiceMode { global: Some(serde_json::json!({})), ..Default::default() };
        self
    }

    /// Publishes container port `target` (TCP) as `published` on every node.
    pub fn publish(mut self, published: u32, target: u32) -> Self {
        let spec = self.endpoint_spec.get_or_insert_with(Default::default);
        spec.ports.push(EndpointPortConfig {
            protocol: "tcp".into(),
            target_port: target,
            published_port: Some(published),
            ..Default::default()
        });
        self
    }

    /// Attaches the tasks to a network.
    pub fn network(mut self, target: impl Into<String>) -> Self {
        self.task_template.networks.push(NetworkAttachmentConfig { target: target.into(), ..Default::default() });
        self
    }

    /// Sets how updates roll out.
    pub fn update_config(mut self, config: UpdateConfig) -> Self {
        self.update_config = Some(config);
        self
    }

    /// Sets how rollbacks roll out.
    pub fn rollback_config(mut self, config: UpdateConfig) -> Self {
        self.rollback_config = Some(config);
        self
    }

    /// Sets the tasks' resource limits and reservations.
    pub fn resources(mut self, resources: TaskResources) -> Self {
        self.task_template.resources = Some(resources);
        self
    }

    /// The container spec, created empty if absent.
    pub fn container_mut(&mut self) -> &mut ContainerSpec {
        self.task_template.container_spec.get_or_insert_with(Default::default)
    }
}

/// How a service schedules tasks: exactly one of the fields is set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceMode {
    /// A fixed number of tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicated: Option<ReplicatedMode>,
    /// One task per node (`{}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global: Option<serde_json::Value>,
    /// A job run to a number of completions (API 1.41), as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicated_job: Option<serde_json::Value>,
    /// A job run once per node (API 1.41), as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_job: Option<serde_json::Value>,
}

impl ServiceMode {
    /// `n` replicas.
    pub fn replicated(n: u64) -> Self {
        ServiceMode { replicated: Some(ReplicatedMode { replicas: Some(n) }), ..Default::default() }
    }
}

/// The replicated mode.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ReplicatedMode {
    /// How many tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u64>,
}

/// How an update (or rollback) rolls out.
///
/// ```
/// use dockhand::models::UpdateConfig;
/// let c = UpdateConfig::new().parallelism(1).delay(std::time::Duration::from_millis(100)).order("start-first");
/// assert_eq!(c.delay, Some(100_000_000));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct UpdateConfig {
    /// Tasks updated at once (0: all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<u64>,
    /// Nanoseconds between batches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<i64>,
    /// `continue`, `pause` or `rollback` when a task fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_action: Option<String>,
    /// Nanoseconds to watch each task for failure after it starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor: Option<i64>,
    /// The share of tasks that may fail before the failure action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_failure_ratio: Option<f64>,
    /// `stop-first` or `start-first`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
}

impl UpdateConfig {
    /// The daemon's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Tasks updated at once.
    pub fn parallelism(mut self, n: u64) -> Self {
        self.parallelism = Some(n);
        self
    }

    /// Time between batches.
    pub fn delay(mut self, delay: std::time::Duration) -> Self {
        self.delay = Some(nanos(delay));
        self
    }

    /// Time to watch each task after it starts.
    pub fn monitor(mut self, monitor: std::time::Duration) -> Self {
        self.monitor = Some(nanos(monitor));
        self
    }

    /// `continue`, `pause` or `rollback`.
    pub fn failure_action(mut self, action: impl Into<String>) -> Self {
        self.failure_action = Some(action.into());
        self
    }

    /// `stop-first` or `start-first`.
    pub fn order(mut self, order: impl Into<String>) -> Self {
        self.order = Some(order.into());
        self
    }
}

fn nanos(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

/// A network a service's tasks attach to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkAttachmentConfig {
    /// The network's name or id.
    pub target: String,
    /// Extra names on that network.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Driver options.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub driver_opts: HashMap<String, String>,
}

/// A service's published ports and endpoint mode.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct EndpointSpec {
    /// `vip` (default) or `dnsrr`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mode: String,
    /// The published ports.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<EndpointPortConfig>,
}

/// One published port.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct EndpointPortConfig {
    /// A name for the port.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `tcp`, `udp` or `sctp`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    /// The port inside the containers.
    pub target_port: u32,
    /// The port on the nodes (chosen by the swarm when `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_port: Option<u32>,
    /// `ingress` (the routing mesh) or `host`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub publish_mode: String,
}

/// A service's endpoint as the swarm set it up.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceEndpoint {
    /// What was asked for.
    #[serde(deserialize_with = "super::nullable")]
    pub spec: EndpointSpec,
    /// The ports as published (with chosen port numbers).
    #[serde(deserialize_with = "super::nullable")]
    pub ports: Vec<EndpointPortConfig>,
    /// The service's virtual IP on each network.
    #[serde(rename = "VirtualIPs", deserialize_with = "super::nullable")]
    pub virtual_ips: Vec<VirtualIp>,
}

/// A service's virtual IP on one network.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct VirtualIp {
    /// The network's id.
    #[serde(rename = "NetworkID")]
    pub network_id: String,
    /// The address with prefix.
    pub addr: String,
}

/// The progress of a service's update.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct UpdateStatus {
    /// `updating`, `paused`, `completed`, `rollback_started`, ...
    pub state: String,
    /// When it started.
    #[serde(with = "timestamp::rfc3339")]
    pub started_at: Option<Timestamp>,
    /// When it completed.
    #[serde(with = "timestamp::rfc3339")]
    pub completed_at: Option<Timestamp>,
    /// What happened.
    pub message: String,
}

/// Task counts of a service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceStatus {
    /// Tasks running.
    pub running_tasks: u64,
    /// Tasks wanted.
    pub desired_tasks: u64,
    /// Tasks completed (jobs).
    pub completed_tasks: u64,
}

/// What every task of a service runs (a service's `TaskTemplate`, a task's
/// `Spec`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskSpec {
    /// The container (for container tasks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_spec: Option<ContainerSpec>,
    /// Resource limits and reservations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<TaskResources>,
    /// When tasks are restarted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<TaskRestartPolicy>,
    /// Where tasks may run, as the API spells it (`Constraints`,
    /// `Preferences`, `MaxReplicas`, `Platforms`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<serde_json::Value>,
    /// A counter that forces an update even when nothing else changed.
    #[serde(skip_serializing_if = "is_zero")]
    pub force_update: u64,
    /// Networks to attach.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<NetworkAttachmentConfig>,
    /// The tasks' log driver.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_driver: Option<Driver>,
    /// Fields not modelled here (`PluginSpec`, `Runtime`, ...), as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Resource limits and reservations of tasks.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskResources {
    /// The most each task may use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceAmounts>,
    /// What each task needs to be scheduled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservations: Option<ResourceAmounts>,
}

/// CPU, memory and pids amounts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ResourceAmounts {
    /// CPUs in units of 10⁻⁹ CPU.
    #[serde(rename = "NanoCPUs", skip_serializing_if = "Option::is_none")]
    pub nano_cpus: Option<i64>,
    /// Memory in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<i64>,
    /// Processes (limits only, API 1.41).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pids: Option<i64>,
    /// Generic resources (reservations only), as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generic_resources: Option<serde_json::Value>,
}

impl ResourceAmounts {
    /// `cpus` CPUs (fractions allowed) and `memory` bytes.
    pub fn new(cpus: f64, memory: i64) -> Self {
        ResourceAmounts { nano_cpus: Some((cpus * 1e9) as i64), memory_bytes: Some(memory), ..Default::default() }
    }
}

/// When a service's tasks are restarted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskRestartPolicy {
    /// `none`, `on-failure` or `any`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition: String,
    /// Nanoseconds between attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<i64>,
    /// Attempts before giving up (0: unlimited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    /// Nanoseconds over which attempts are counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<i64>,
}

/// The container a service's task runs.
///
/// ```
/// use dockhand::models::{ContainerSpec, SecretReference};
/// let c = ContainerSpec::new("busybox")
///     .command(["sh", "-c", "cat /run/secrets/pw"])
///     .env("MODE", "prod")
///     .secret(SecretReference::new("id123", "pw"));
/// assert_eq!(c.env, ["MODE=prod"]);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerSpec {
    /// The image.
    pub image: String,
    /// Container labels.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub labels: HashMap<String, String>,
    /// The command (replaces the image's entrypoint).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Arguments to the command.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// The host name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// Environment, `KEY=value`.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// The working directory.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub dir: String,
    /// The user.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// A TTY.
    #[serde(rename = "TTY", skip_serializing_if = "std::ops::Not::not")]
    pub tty: bool,
    /// A read-only root filesystem.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// Mounts.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<Mount>,
    /// Nanoseconds to wait after the stop signal before killing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_grace_period: Option<i64>,
    /// Secrets as files.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<SecretReference>,
    /// Configs as files.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub configs: Vec<ConfigReferenceSpec>,
    /// Fields not modelled here (`HealthCheck`, `Hosts`, `Init`, ...), as
    /// sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ContainerSpec {
    /// A container of `image` (used as given: a service on a single node may
    /// use a local image).
    pub fn new(image: impl Into<String>) -> Self {
        ContainerSpec { image: image.into(), ..Default::default() }
    }

    /// Sets the command.
    pub fn command(mut self, command: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.command = command.into_iter().map(Into::into).collect();
        self
    }

    /// Sets (or replaces) an environment variable.
    pub fn env(mut self, key: &str, value: impl std::fmt::Display) -> Self {
        let prefix = format!("{key}=");
        self.env.retain(|e| !e.starts_with(&prefix));
        self.env.push(format!("{key}={value}"));
        self
    }

    /// Time to wait after the stop signal before killing (the daemon's
    /// default is 10 s).
    pub fn stop_grace_period(mut self, period: std::time::Duration) -> Self {
        self.stop_grace_period = Some(nanos(period));
        self
    }

    /// Adds a mount.
    pub fn mount(mut self, mount: Mount) -> Self {
        self.mounts.push(mount);
        self
    }

    /// Adds a secret.
    pub fn secret(mut self, secret: SecretReference) -> Self {
        self.secrets.push(secret);
        self
    }

    /// Adds a config.
    pub fn config(mut self, config: ConfigReferenceSpec) -> Self {
        self.configs.push(config);
        self
    }
}

/// A secret given to a service's containers, as a file under
/// `/run/secrets/`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SecretReference {
    /// Where the file goes.
    pub file: Option<FileTarget>,
    /// The secret's id.
    #[serde(rename = "SecretID")]
    pub secret_id: String,
    /// The secret's name.
    pub secret_name: String,
}

impl SecretReference {
    /// The secret `id`/`name`, as `/run/secrets/<name>` readable by root
    /// (mode 0444).
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        let name = name.into();
        SecretReference { file: Some(FileTarget::new(name.clone())), secret_id: id.into(), secret_name: name }
    }
}

/// A config given to a service's containers, as a file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ConfigReferenceSpec {
    /// Where the file goes (absolute path, or relative to `/`).
    pub file: Option<FileTarget>,
    /// The config's id.
    #[serde(rename = "ConfigID")]
    pub config_id: String,
    /// The config's name.
    pub config_name: String,
}

impl ConfigReferenceSpec {
    /// The config `id`/`name` as the file `target`.
    pub fn new(id: impl Into<String>, name: impl Into<String>, target: impl Into<String>) -> Self {
        ConfigReferenceSpec { file: Some(FileTarget::new(target)), config_id: id.into(), config_name: name.into() }
    }
}

/// A file a secret or config becomes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct FileTarget {
    /// The file's name or path.
    pub name: String,
    /// Its owner's uid, as text.
    #[serde(rename = "UID")]
    pub uid: String,
    /// Its group's gid, as text.
    #[serde(rename = "GID")]
    pub gid: String,
    /// Its permission bits.
    pub mode: u32,
}

impl FileTarget {
    /// `name`, owned by root, mode 0444.
    pub fn new(name: impl Into<String>) -> Self {
        FileTarget { name: name.into(), uid: "0".into(), gid: "0".into(), mode: 0o444 }
    }
}

/// The answer of `POST /services/create`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceCreateResponse {
    /// The new service's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Warnings (such as an image that could not be found on a registry).
    #[serde(deserialize_with = "super::nullable")]
    pub warnings: Vec<String>,
}

/// The answer of `POST /services/{id}/update`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceUpdateResponse {
    /// Warnings.
    #[serde(deserialize_with = "super::nullable")]
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_update_round_trip_keeps_unmodelled_fields() {
        let json = r#"{"Name":"web","Labels":{"a":"b"},"TaskTemplate":{"ContainerSpec":{"Image":"busybox",
            "Args":["sleep","1"],"Init":false,"DNSConfig":{},"Isolation":"default"},"Resources":{"Limits":{},
            "Reservations":{}},"Placement":{"Platforms":[{"Architecture":"amd64","OS":"linux"}]},
            "ForceUpdate":0,"Runtime":"container"},"Mode":{"Replicated":{"Replicas":2}},
            "UpdateConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,
            "Order":"stop-first"},"EndpointSpec":{"Mode":"vip"}}"#;
        let mut spec: ServiceSpec = serde_json::from_str(json).unwrap();
        spec.container_mut().env.push("A=1".into());
        let back = serde_json::to_value(&spec).unwrap();
        assert_eq!(back["TaskTemplate"]["Runtime"], "container");
        assert_eq!(back["TaskTemplate"]["ContainerSpec"]["Isolation"], "default");
        assert_eq!(back["TaskTemplate"]["ContainerSpec"]["Env"][0], "A=1");
        assert_eq!(back["TaskTemplate"]["Placement"]["Platforms"][0]["OS"], "linux");
        assert_eq!(back["Mode"]["Replicated"]["Replicas"], 2);
        assert_eq!(back["UpdateConfig"]["Order"], "stop-first");
    }

    #[test]
    fn decodes_the_specs_example() {
        // `Service.example` of the v1.56 specification.
        let json = r#"{"ID": "9mnpnzenvg8p8tdbtq4wvbkcz", "Version": {"Index": 19}, "CreatedAt": "2016-06-07T21:05:51.880065305Z", "UpdatedAt": "2016-06-07T21:07:29.962229872Z", "Spec": {"Name": "hopeful_cori", "TaskTemplate": {"ContainerSpec": {"Image": "redis"}, "Resources": {"Limits": {}, "Reservations": {}}, "RestartPolicy": {"Condition": "any", "MaxAttempts": 0}, "Placement": {}, "ForceUpdate": 0}, "Mode": {"Replicated": {"Replicas": 1}}, "UpdateConfig": {"Parallelism": 1, "Delay": 1000000000, "FailureAction": "pause", "Monitor": 15000000000, "MaxFailureRatio": 0.15}, "RollbackConfig": {"Parallelism": 1, "Delay": 1000000000, "FailureAction": "pause", "Monitor": 15000000000, "MaxFailureRatio": 0.15}, "EndpointSpec": {"Mode": "vip", "Ports": [{"Protocol": "tcp", "TargetPort": 6379, "PublishedPort": 30001}]}}, "Endpoint": {"Spec": {"Mode": "vip", "Ports": [{"Protocol": "tcp", "TargetPort": 6379, "PublishedPort": 30001}]}, "Ports": [{"Protocol": "tcp", "TargetPort": 6379, "PublishedPort": 30001}], "VirtualIPs": [{"NetworkID": "4qvuz4ko70xaltuqbt8956gd1", "Addr": "10.255.0.2/16"}, {"NetworkID": "4qvuz4ko70xaltuqbt8956gd1", "Addr": "10.255.0.3/16"}]}}"#;
        let s: Service = serde_json::from_str(json).unwrap();
        assert_eq!(s.version.index, 19);
        assert_eq!(s.spec.mode.replicated.as_ref().unwrap().replicas, Some(1));
        assert_eq!(s.spec.update_config.as_ref().unwrap().max_failure_ratio, Some(0.15));
        assert_eq!(s.endpoint.ports[0].published_port, Some(30001));
        assert_eq!(s.endpoint.virtual_ips[1].addr, "10.255.0.3/16");
        assert_eq!(s.spec.task_template.restart_policy.as_ref().unwrap().condition, "any");
        assert!(s.created_at.is_some());
    }

    #[test]
    fn new_spec_is_minimal() {
        let spec = ServiceSpec::new("s", ContainerSpec::new("img").env("A", 1).env("A", 2));
        assert_eq!(
            serde_json::to_string(&spec).unwrap(),
            r#"{"Name":"s","Labels":{},"TaskTemplate":{"ContainerSpec":{"Image":"img","Env":["A=2"]}},"Mode":{"Replicated":{"Replicas":1}}}"#
        );
    }
}
