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

use super::version::{API_VERSION, ENGINE_VERSION};

fn version_json(st: &State) -> Value {
    let mut v = dockhand::models::Version::default();
    v.version = ENGINE_VERSION.into();
    v.api_version = API_VERSION.into();
    v.min_api_version = "1.12".into();
    v.git_commit = "dockhand".into();
    v.go_version = "go1.22.0 (simulated)".into();
    v.os = "linux".into();
    v.arch = "amd64".into();
    v.kernel_version = "6.1.0-sim".into();
    v.build_time = rfc3339(crate::EPOCH_MS);
    let mut value = serde_json::to_value(&v).unwrap_or(Value::Null);
    value["Platform"] = json!({"Name": format!("Docker Engine - dockhand simulation ({})", st.name)});
    value["Components"] = json!([
        {"Name": "Engine", "Version": ENGINE_VERSION, "Details": {"ApiVersion": API_VERSION, "Arch": "amd64", "BuildTime": rfc3339(crate::EPOCH_MS), "Experimental": "false", "GitCommit": "dockhand", "GoVersion": "go1.22.0", "KernelVersion": "6.1.0-sim", "MinAPIVersion": "1.12", "Os": "linux"}},
        {"Name": "containerd", "Version": "1.6.20~simulated", "Details": {"GitCommit": ""}},
        {"Name": "runc", "Version": "1.1.5+simulated", "Details": {"GitCommit": ""}},
    ]);
    value
}

fn info_json(st: &State) -> Value {
    let count = |s: Status| st.containers.values().filter(|c| c.status == s).count() as i64;
    doc(
        r#"{
        "Driver": "overlay2",
        "DriverStatus": [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Native Overlay Diff", "true"], ["userxattr", "false"]],
        "Plugins": {"Volume": ["local"], "Network": ["bridge", "host", "null"], "Authorization": null, "Log": ["json-file", "local"]},
        "MemoryLimit": true, "SwapLimit": true, "KernelMemoryTCP": true, "CpuCfsPeriod": true, "CpuCfsQuota": true,
        "CPUShares": true, "CPUSet": true, "PidsLimit": true, "IPv4Forwarding": true, "BridgeNfIptables": true,
        "BridgeNfIp6tables": true, "Debug": false, "NFd": 24, "OomKillDisable": false, "NGoroutines": 33,
        "LoggingDriver": "json-file", "CgroupDriver": "systemd", "CgroupVersion": "2",
        "NEventsListener": 0, "KernelVersion": "6.1.0-sim", "OperatingSystem": "dockhand simulated engine",
        "OSVersion": "1", "OSType": "linux", "Architecture": "x86_64",
        "IndexServerAddress": "https://index.docker.io/v1/",
        "RegistryConfig": {"AllowNondistributableArtifactsCIDRs": null, "AllowNondistributableArtifactsHostnames": null, "InsecureRegistryCIDRs": ["127.0.0.0/8"], "IndexConfigs": {"docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": true, "Official": true}}, "Mirrors": null},
        "NCPU": 2, "MemTotal": 8232099840, "GenericResources": null, "DockerRootDir": "/var/lib/docker",
        "HttpProxy": "", "HttpsProxy": "", "NoProxy": "", "Labels": [], "ExperimentalBuild": false,
        "Runtimes": {"runc": {"path": "runc"}}, "DefaultRuntime": "runc",
        "LiveRestoreEnabled": false, "Isolation": "", "InitBinary": "docker-init",
        "ContainerdCommit": {"ID": "sim", "Expected": "sim"}, "RuncCommit": {"ID": "sim", "Expected": "sim"},
        "InitCommit": {"ID": "", "Expected": ""}, "SecurityOptions": ["name=seccomp,profile=default", "name=cgroupns"],
        "Warnings": null
        }"#,
        vec![
            ("ID", Value::String(format!("SIM:{}", &sha256_hex(st.name.as_bytes())[..20].to_ascii_uppercase()))),
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
    )
}

/// The size of image `id` (0 when gone).
pub(crate) fn image_size_shared(st: &State, id: &str) -> u64 {
    st.images.get(id).map(|i| i.size).unwrap_or(0)
}

fn df_json(st: &State) -> Value {
    let layers = sorted_set(st.images.values().flat_map(|i| i.layers.iter()));
    let layers_size: u64 = layers.iter().filter_map(|d| st.layers.get(*d)).map(|l| l.size).sum();
    let images: Vec<Value> = st
        .images
        .values()
        .map(|i| {
            let mut v = image_summary(st, i);
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
pub(crate) fn ping(_: &mut State, _: &Req) -> R {
    Ok(Reply::Text(200, "text/plain; charset=utf-8", "OK".into()))
}

/// `GET /version`.
pub(crate) fn version(st: &mut State, _: &Req) -> R {
    Ok(Reply::Json(200, version_json(st)))
}

/// `GET /info`.
pub(crate) fn info(st: &mut State, _: &Req) -> R {
    Ok(Reply::Json(200, info_json(st)))
}

/// `GET /system/df`.
pub(crate) fn df(st: &mut State, _: &Req) -> R {
    Ok(Reply::Json(200, df_json(st)))
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
