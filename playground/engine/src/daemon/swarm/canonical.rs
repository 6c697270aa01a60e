//! dockerd decodes request bodies with Go's `encoding/json`, which matches
//! field names without regard to case: `{"Mode": {"replicated": {...}}}`
//! (what docker-py sends) is `Replicated`. The engine keeps specs as JSON,
//! so it renames such keys to the API's spelling before it reads them.

use serde_json::{Map, Value};

/// The field names of the swarm types (services, tasks, secrets, configs,
/// the cluster), as the API spells them.
const FIELDS: &[&str] = &[
    "Name",
    "Labels",
    "TaskTemplate",
    "Mode",
    "UpdateConfig",
    "RollbackConfig",
    "Networks",
    "EndpointSpec",
    "Replicated",
    "Global",
    "ReplicatedJob",
    "GlobalJob",
    "Replicas",
    "MaxConcurrent",
    "TotalCompletions",
    "ContainerSpec",
    "PluginSpec",
    "NetworkAttachmentSpec",
    "Resources",
    "RestartPolicy",
    "Placement",
    "LogDriver",
    "ForceUpdate",
    "Runtime",
    "Image",
    "Command",
    "Args",
    "Hostname",
    "Env",
    "Dir",
    "User",
    "Groups",
    "Privileges",
    "Init",
    "StopSignal",
    "TTY",
    "OpenStdin",
    "ReadOnly",
    "Mounts",
    "StopGracePeriod",
    "Healthcheck",
    "Hosts",
    "DNSConfig",
    "Secrets",
    "Configs",
    "Isolation",
    "Sysctls",
    "CapabilityAdd",
    "CapabilityDrop",
    "Ulimits",
    "CredentialSpec",
    "SELinuxContext",
    "File",
    "Registry",
    "Config",
    "Disable",
    "Role",
    "Type",
    "Level",
    "Source",
    "Target",
    "Consistency",
    "BindOptions",
    "Propagation",
    "NonRecursive",
    "VolumeOptions",
    "NoCopy",
    "DriverConfig",
    "Options",
    "TmpfsOptions",
    "SizeBytes",
    "Test",
    "Interval",
    "Timeout",
    "Retries",
    "StartPeriod",
    "Nameservers",
    "Search",
    "UID",
    "GID",
    "SecretID",
    "SecretName",
    "ConfigID",
    "ConfigName",
    "Limits",
    "Reservations",
    "NanoCPUs",
    "MemoryBytes",
    "Pids",
    "GenericResources",
    "NamedResourceSpec",
    "DiscreteResourceSpec",
    "Kind",
    "Value",
    "Condition",
    "Delay",
    "MaxAttempts",
    "Window",
    "Constraints",
    "Preferences",
    "Spread",
    "SpreadDescriptor",
    "MaxReplicas",
    "Platforms",
    "Architecture",
    "OS",
    "Aliases",
    "DriverOpts",
    "Parallelism",
    "FailureAction",
    "Monitor",
    "MaxFailureRatio",
    "Order",
    "Ports",
    "Protocol",
    "TargetPort",
    "PublishedPort",
    "PublishMode",
    "Soft",
    "Hard",
    "Data",
    "Driver",
    "Templating",
    "Orchestration",
    "TaskHistoryRetentionLimit",
    "Raft",
    "SnapshotInterval",
    "KeepOldSnapshots",
    "LogEntriesForSlowFollowers",
    "ElectionTick",
    "HeartbeatTick",
    "Dispatcher",
    "HeartbeatPeriod",
    "CAConfig",
    "NodeCertExpiry",
    "ExternalCAs",
    "SigningCACert",
    "SigningCAKey",
    "EncryptionConfig",
    "AutoLockManagers",
    "TaskDefaults",
    "Availability",
    "URL",
    "CACert",
];

/// Keys whose objects hold the user's own keys (labels, driver options):
/// those are kept as sent.
const FREE_FORM: &[&str] = &["Labels", "Options", "DriverOpts", "Sysctls"];

/// `v` with every object key that matches a field of the API but for case
/// renamed to the API's spelling.
pub(crate) fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, child) in m {
                let key = FIELDS.iter().find(|f| f.eq_ignore_ascii_case(k)).map_or(k.as_str(), |f| f);
                let child = if FREE_FORM.contains(&key) { child.clone() } else { canonical(child) };
                out.insert(key.to_string(), child);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_take_the_api_spelling_but_labels_keep_theirs() {
        let sent = json!({"name": "web", "mode": {"replicated": {"replicas": 2}},
                          "Labels": {"mode": "x"}, "taskTemplate": {"containerSpec": {"tty": true, "image": "a"}}});
        assert_eq!(
            canonical(&sent),
            json!({"Name": "web", "Mode": {"Replicated": {"Replicas": 2}}, "Labels": {"mode": "x"},
                   "TaskTemplate": {"ContainerSpec": {"TTY": true, "Image": "a"}}})
        );
    }
}
