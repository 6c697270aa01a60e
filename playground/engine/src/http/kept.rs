//! The settings a create request gives that the simulation keeps without
//! acting on them (CPU shares, cpusets, PID and UTS modes, init, log
//! options, stop timeout, health check, ...): kept as given and returned
//! by inspect as dockerd returns them, and changed by `/update`.

use serde_json::{Map, Value};

/// `HostConfig` keys kept as given (dockerd returns each as it came,
/// `null` included).
const HOST_KEYS: &[&str] = &[
    "Binds",
    "BlkioWeight",
    "BlkioWeightDevice",
    "BlkioDeviceReadBps",
    "BlkioDeviceWriteBps",
    "BlkioDeviceReadIOps",
    "BlkioDeviceWriteIOps",
    "CapAdd",
    "CapDrop",
    "CgroupParent",
    "CpuCount",
    "CpuPercent",
    "CpuPeriod",
    "CpuQuota",
    "CpuRealtimePeriod",
    "CpuRealtimeRuntime",
    "CpuShares",
    "CpusetCpus",
    "CpusetMems",
    "DeviceCgroupRules",
    "DeviceRequests",
    "Devices",
    "Dns",
    "DnsOptions",
    "DnsSearch",
    "GroupAdd",
    "Init",
    "IOMaximumBandwidth",
    "IOMaximumIOps",
    "Isolation",
    "KernelMemory",
    "KernelMemoryTCP",
    "MaskedPaths",
    "MemoryReservation",
    "MemorySwap",
    "MemorySwappiness",
    "Mounts",
    "OomKillDisable",
    "OomScoreAdj",
    "PidMode",
    "PidsLimit",
    "Privileged",
    "PublishAllPorts",
    "ReadonlyPaths",
    "SecurityOpt",
    "StorageOpt",
    "Sysctls",
    "Tmpfs",
    "Ulimits",
    "UsernsMode",
    "UTSMode",
    "VolumeDriver",
    "VolumesFrom",
];

/// `Config` keys kept as given.
const CONFIG_KEYS: &[&str] = &[
    "AttachStderr",
    "AttachStdin",
    "AttachStdout",
    "Domainname",
    "Healthcheck",
    "MacAddress",
    "OnBuild",
    "Shell",
    "StdinOnce",
    "StopSignal",
    "StopTimeout",
];

/// `/update` keys kept as given (the ones the daemon acts on are read
/// apart).
const UPDATE_KEYS: &[&str] = &[
    "BlkioWeight",
    "CpuPeriod",
    "CpuQuota",
    "CpuRealtimePeriod",
    "CpuRealtimeRuntime",
    "CpuShares",
    "CpusetCpus",
    "CpusetMems",
    "KernelMemory",
    "KernelMemoryTCP",
    "MemoryReservation",
    "MemorySwap",
    "PidsLimit",
];

/// What to keep of a create body: `{"HostConfig": {..}, "Config": {..}}`
/// with the keys it gives (dockerd's defaults put in: a log driver named
/// `json-file` when none is).
pub(crate) fn from_create(body: &Value) -> Value {
    let pick = |from: Option<&Value>, keys: &[&str]| -> Map<String, Value> {
        let Some(from) = from.and_then(Value::as_object) else { return Map::new() };
        keys.iter().filter_map(|k| Some((k.to_string(), from.get(*k)?.clone()))).collect()
    };
    let mut host = pick(body.get("HostConfig"), HOST_KEYS);
    if let Some(log) = body.pointer("/HostConfig/LogConfig").filter(|l| l.is_object()) {
        let typ = log.get("Type").and_then(Value::as_str).filter(|t| !t.is_empty()).unwrap_or("json-file");
        let config = log.get("Config").filter(|c| c.is_object()).cloned().unwrap_or_else(|| Value::Object(Map::new()));
        host.insert("LogConfig".into(), serde_json::json!({"Type": typ, "Config": config}));
    }
    // A memory limit without a swap limit: swap twice the memory, as dockerd.
    let memory = body.pointer("/HostConfig/Memory").and_then(Value::as_i64).unwrap_or(0);
    if memory > 0 && host.get("MemorySwap").and_then(Value::as_i64).unwrap_or(0) == 0 {
        host.insert("MemorySwap".into(), Value::from(memory.saturating_mul(2)));
    }
    let config = pick(Some(body), CONFIG_KEYS);
    let mut out = Map::new();
    if !host.is_empty() {
        out.insert("HostConfig".into(), Value::Object(host));
    }
    if !config.is_empty() {
        out.insert("Config".into(), Value::Object(config));
    }
    if out.is_empty() { Value::Null } else { Value::Object(out) }
}

/// Puts an `/update` body's kept settings into `kept` (a zero leaves a
/// setting as it is, as dockerd).
pub(crate) fn update(kept: &mut Value, body: &Value) {
    for key in UPDATE_KEYS {
        let Some(v) = body.get(*key).filter(|v| !v.is_null() && v.as_i64() != Some(0) && v.as_str() != Some("")) else {
            continue;
        };
        let host =
            crate::http::json::object(crate::http::json::object(kept).entry("HostConfig").or_insert(Value::Null));
        host.insert(key.to_string(), v.clone());
    }
}

/// The paths dockerd masks in a container that is not privileged
/// (`oci.DefaultSpec()`'s, in 28.5's order).
const MASKED_PATHS: &[&str] = &[
    "/proc/asound",
    "/proc/acpi",
    "/proc/interrupts",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];

/// The paths dockerd makes read-only in a container that is not privileged.
const READONLY_PATHS: &[&str] = &["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

/// Fills `HostConfig.MaskedPaths` and `ReadonlyPaths` of an inspect
/// document (the kept settings laid over it) as dockerd 28.5 does at
/// create: one given stays as given (`[]` included); a null or missing one
/// is the default list, or null for a privileged container.
pub(crate) fn system_paths(doc: &mut Value) {
    use crate::http::json::object;
    let host = object(object(doc).entry("HostConfig").or_insert(Value::Null));
    let privileged = host.get("Privileged") == Some(&Value::Bool(true));
    for (key, default) in [("MaskedPaths", MASKED_PATHS), ("ReadonlyPaths", READONLY_PATHS)] {
        let slot = host.entry(key).or_insert(Value::Null);
        if slot.is_null() && !privileged {
            *slot = serde_json::json!(default);
        }
    }
}

/// Lays the kept settings over an inspect document.
pub(crate) fn overlay(doc: &mut Value, kept: &Value) {
    let Some(kept) = kept.as_object() else { return };
    for (section, fields) in kept {
        let Some(fields) = fields.as_object() else { continue };
        let target =
            crate::http::json::object(crate::http::json::object(doc).entry(section.clone()).or_insert(Value::Null));
        for (k, v) in fields {
            target.insert(k.clone(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_what_is_given_and_fills_the_log_driver() {
        let body = json!({"Image": "x", "StopTimeout": 25, "HostConfig": {"CpuShares": 512, "Init": true,
            "MemorySwappiness": null, "LogConfig": {"Type": "", "Config": {"max-file": "100"}}, "Memory": 5}});
        let kept = from_create(&body);
        assert_eq!(kept["Config"], json!({"StopTimeout": 25}));
        assert_eq!(kept["HostConfig"]["CpuShares"], 512);
        assert_eq!(kept["HostConfig"]["MemorySwappiness"], Value::Null);
        assert!(kept["HostConfig"].as_object().unwrap().contains_key("MemorySwappiness"));
        assert_eq!(kept["HostConfig"].get("Memory"), None, "the daemon keeps Memory itself");
        assert_eq!(kept["HostConfig"]["LogConfig"], json!({"Type": "json-file", "Config": {"max-file": "100"}}));
        assert_eq!(from_create(&json!({"Image": "x"})), Value::Null);
    }

    #[test]
    fn update_changes_the_given_non_zero_settings() {
        let mut kept = Value::Null;
        update(&mut kept, &json!({"CpuShares": 2, "CpuQuota": 0, "Memory": 9}));
        assert_eq!(kept, json!({"HostConfig": {"CpuShares": 2}}));
        let mut doc = json!({"HostConfig": {"CpuShares": 0, "CpuQuota": 0}});
        overlay(&mut doc, &kept);
        assert_eq!(doc, json!({"HostConfig": {"CpuShares": 2, "CpuQuota": 0}}));
    }
}
