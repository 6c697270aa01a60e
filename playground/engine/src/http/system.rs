//! System endpoints: `_ping`, version, info, `system/df`, auth, events.

use std::task::Poll;

use bytes::Bytes;
use serde_json::{Value, json};

use crate::Engine;
use crate::http::Req;
use crate::http::json::*;
use crate::http::query::*;
use crate::state::*;
use crate::util::{rfc3339, sha256_hex, sorted_set};

use super::version::{API_VERSION, Api, ENGINE_VERSION, GO_VERSION, MIN_API_VERSION};

/// `BuildTime` as dockerd 28.5 writes it (Go's `time.RFC3339Nano` with a
/// `+00:00` zone): the simulated epoch.
const BUILD_TIME: &str = "2026-01-01T00:00:00.000000000+00:00";

fn version_json(st: &State) -> Value {
    let details = json!({"ApiVersion": API_VERSION, "Arch": "amd64", "BuildTime": BUILD_TIME, "Experimental": "false", "GitCommit": "dockhand", "GoVersion": GO_VERSION, "KernelVersion": "6.1.0-sim", "MinAPIVersion": MIN_API_VERSION, "Os": "linux"});
    json!({
        "Platform": {"Name": format!("Docker Engine - dockhand simulation ({})", st.name)},
        "Components": [
            {"Name": "Engine", "Version": ENGINE_VERSION, "Details": details},
            {"Name": "containerd", "Version": "1.7.28~simulated", "Details": {"GitCommit": ""}},
            {"Name": "runc", "Version": "1.3.0+simulated", "Details": {"GitCommit": ""}},
            {"Name": "docker-init", "Version": "0.19.0", "Details": {"GitCommit": ""}},
        ],
        "Version": ENGINE_VERSION, "ApiVersion": API_VERSION, "MinAPIVersion": MIN_API_VERSION,
        "GitCommit": "dockhand", "GoVersion": GO_VERSION, "Os": "linux", "Arch": "amd64",
        "KernelVersion": "6.1.0-sim", "BuildTime": BUILD_TIME,
    })
}

/// A daemon id as dockerd 28.5 writes it (a UUID), from the engine's name.
fn daemon_id(name: &str) -> String {
    let h = sha256_hex(name.as_bytes());
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

fn info_json(st: &State, api: Api) -> Value {
    let count = |s: Status| st.containers.values().filter(|c| c.status == s).count() as i64;
    let mut info = doc(
        r#"{
        "Driver": "overlay2",
        "DriverStatus": [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Using metacopy", "false"], ["Native Overlay Diff", "true"], ["userxattr", "false"]],
        "Plugins": {"Volume": ["local"], "Network": ["bridge", "host", "null"], "Authorization": null, "Log": ["json-file", "local"]},
        "MemoryLimit": true, "SwapLimit": true, "KernelMemoryTCP": true, "CpuCfsPeriod": true, "CpuCfsQuota": true,
        "CPUShares": true, "CPUSet": true, "PidsLimit": true, "IPv4Forwarding": true,
        "Debug": false, "NFd": 24, "OomKillDisable": false, "NGoroutines": 33,
        "LoggingDriver": "json-file", "CgroupDriver": "systemd", "CgroupVersion": "2",
        "NEventsListener": 0, "KernelVersion": "6.1.0-sim", "OperatingSystem": "dockhand simulated engine",
        "OSVersion": "1", "OSType": "linux", "Architecture": "x86_64",
        "IndexServerAddress": "https://index.docker.io/v1/",
        "RegistryConfig": {"IndexConfigs": {"docker.io": {"Mirrors": [], "Name": "docker.io", "Official": true, "Secure": true}}, "InsecureRegistryCIDRs": ["::1/128", "127.0.0.0/8"], "Mirrors": null},
        "NCPU": 2, "MemTotal": 8232099840, "GenericResources": null, "DockerRootDir": "/var/lib/docker",
        "HttpProxy": "", "HttpsProxy": "", "NoProxy": "", "Labels": [], "ExperimentalBuild": false,
        "Runtimes": {"io.containerd.runc.v2": {"path": "runc"}, "runc": {"path": "runc"}}, "DefaultRuntime": "runc",
        "LiveRestoreEnabled": false, "Isolation": "", "InitBinary": "docker-init",
        "ContainerdCommit": {"ID": "sim"}, "RuncCommit": {"ID": "sim"}, "InitCommit": {"ID": ""},
        "SecurityOptions": ["name=seccomp,profile=builtin", "name=cgroupns"],
        "FirewallBackend": {"Driver": "iptables"},
        "CDISpecDirs": ["/etc/cdi", "/var/run/cdi"],
        "Containerd": {"Address": "/run/containerd/containerd.sock", "Namespaces": {"Containers": "moby", "Plugins": "plugins.moby"}},
        "Warnings": null
        }"#,
        vec![
            ("ID", Value::String(daemon_id(&st.name))),
            ("Containers", Value::from(st.containers.len())),
            ("ContainersRunning", Value::from(count(Status::Running))),
            ("ContainersPaused", Value::from(count(Status::Paused))),
            (
                "ContainersStopped",
                Value::from(st.containers.len() as i64 - count(Status::Running) - count(Status::Paused)),
            ),
            ("Images", Value::from(st.images.len())),
            ("SystemTime", Value::String(rfc3339(st.clock_ms))),
            ("Name", text(&st.name)),
            ("ServerVersion", text(ENGINE_VERSION)),
            ("Swarm", super::swarm::info_section(st)),
        ],
    );
    info_for(&mut info, api);
    info
}

/// `/info` for a client of an older API, as dockerd 28.5 answers it: the
/// fields later versions dropped come back, the ones they added go.
fn info_for(info: &mut Value, api: Api) {
    let Some(doc) = info.as_object_mut() else { return };
    if api.before("1.42") {
        doc.insert("KernelMemory".into(), json!(true));
    }
    if api.before("1.46") {
        doc.remove("Containerd");
    }
    if api.before("1.47") {
        let registry = &mut doc["RegistryConfig"];
        registry["AllowNondistributableArtifactsCIDRs"] = Value::Null;
        registry["AllowNondistributableArtifactsHostnames"] = Value::Null;
    }
    if api.before("1.49") {
        doc.remove("FirewallBackend");
        for commit in ["ContainerdCommit", "RuncCommit"] {
            let id = doc[commit]["ID"].clone();
            doc[commit]["Expected"] = id;
        }
    }
    if api.before("1.50") {
        doc.insert("BridgeNfIptables".into(), json!(false));
        doc.insert("BridgeNfIp6tables".into(), json!(false));
    }
}

/// The size of image `id` (0 when gone).
pub(crate) fn image_size_shared(st: &State, id: &str) -> u64 {
    st.images.get(id).map(|i| i.size).unwrap_or(0)
}

fn df_json(st: &State, api: Api) -> Value {
    let layers = sorted_set(st.images.values().flat_map(|i| i.layers.iter()));
    let layers_size: u64 = layers.iter().filter_map(|d| st.layers.get(*d)).map(|l| l.size).sum();
    let images: Vec<Value> = st
        .images
        .values()
        .map(|i| {
            let mut v = image_summary_for(st, i, api);
            v["Containers"] = json!(st.containers.values().filter(|c| c.image_id == i.id).count());
            v["SharedSize"] = json!(0);
            v
        })
        .collect();
    let containers: Vec<Value> = st
        .containers
        .values()
        .map(|c| {
            let mut v = container_summary(st, c);
            v["SizeRw"] = json!(files_size(&c.rw));
            v["SizeRootFs"] = json!(image_size_shared(st, &c.image_id) + files_size(&c.rw));
            v
        })
        .collect();
    let volumes: Vec<Value> = st
        .volumes
        .values()
        .map(|v| {
            let mut j = volume_json(v);
            let size: usize = v.files.values().map(|n| if let Node::File { data } = n { data.len() } else { 0 }).sum();
            j["UsageData"] = json!({"Size": size, "RefCount": st.containers.values().filter(|c| c.mounts.iter().any(|m| m.source == v.name)).count()});
            j
        })
        .collect();
    let cache: Vec<Value> = st.build_cache.iter().map(|(k, id)| json!({"ID": &k[..12.min(k.len())], "Parent": "", "Type": "regular", "Description": id, "InUse": false, "Shared": false, "Size": 0, "CreatedAt": rfc3339(st.clock_ms), "LastUsedAt": null, "UsageCount": 1})).collect();
    json!({"LayersSize": layers_size, "Images": images, "Containers": containers, "Volumes": volumes, "BuildCache": cache})
}

/// `GET|HEAD /_ping`.
pub(crate) fn ping(st: &mut State, _: &Req) -> R {
    // The engine's node is its swarm's only manager.
    Ok(Reply::Ping(if st.swarm.is_some() { "active/manager" } else { "inactive" }))
}

/// `GET /version`.
pub(crate) fn version(st: &mut State, _: &Req) -> R {
    Ok(Reply::Json(200, version_json(st)))
}

/// `GET /info`.
pub(crate) fn info(st: &mut State, r: &Req) -> R {
    Ok(Reply::Json(200, info_json(st, r.api)))
}

/// `GET /system/df`.
pub(crate) fn df(st: &mut State, r: &Req) -> R {
    Ok(Reply::Json(200, df_json(st, r.api)))
}

/// `POST /auth`: `docker login`.
pub(crate) fn auth(st: &mut State, r: &Req) -> R {
    let v = body_json(r.body)?;
    let user = v.get("username").and_then(Value::as_str).unwrap_or("");
    let pass = v.get("password").and_then(Value::as_str).unwrap_or("");
    crate::image::registry::login(st, user, pass)?;
    Ok(Reply::Json(200, json!({"Status": "Login Succeeded", "IdentityToken": ""})))
}

/// `GET /events`: the log from `since`, then what happens, until `until`.
pub(crate) fn events(engine: &Engine, r: &Req) -> R {
    let q = r.q;
    let filters = q.filters()?;
    let (since, until) = {
        let parse =
            |v: Option<&str>| v.and_then(|s| s.split('.').next()).and_then(|s| s.parse::<u64>().ok()).map(|s| s * 1000);
        (parse(q.get("since")), parse(q.get("until")))
    };
    let engine = engine.clone();
    let mut cursor: Option<u64> = None;
    let body = engine.clone().watch(move |st| {
        let start = *cursor.get_or_insert_with(|| match since {
            Some(s) => {
                st.events_dropped + st.events.iter().position(|e| e.time_ms >= s).unwrap_or(st.events.len()) as u64
            }
            None => st.events_dropped + st.events.len() as u64,
        });
        let idx = start.saturating_sub(st.events_dropped) as usize;
        let mut next = start;
        // One event per chunk, as dockerd writes and flushes each.
        for e in st.events.iter().skip(idx) {
            next += 1;
            if until.is_some_and(|u| e.time_ms > u) {
                return Poll::Ready(None);
            }
            if !crate::daemon::events::event_matches(e, &filters) {
                continue;
            }
            cursor = Some(next);
            let mut out = event_json(e).to_string().into_bytes();
            out.push(b'\n');
            return Poll::Ready(Some(Bytes::from(out)));
        }
        cursor = Some(next);
        if until.is_some_and(|u| st.clock_ms >= u) {
            return Poll::Ready(None);
        }
        Poll::Pending
    });
    Ok(Reply::Stream(200, "application/json", body))
}
