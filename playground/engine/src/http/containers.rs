//! Container endpoints: list, create, inspect, top, stats, changes, the
//! lifecycle (start, stop, restart, kill, pause), rename, update, remove,
//! prune, and the archive (`docker cp`). The documents are here; the
//! behaviour is `daemon`'s.

use serde_json::{Value, json};

use crate::daemon::containers as backend;
use crate::daemon::create::ContainerSpec;
use crate::error::err;
use crate::http::Req;
use crate::http::json::*;
use crate::http::query::*;
use crate::http::system::image_size_shared;
use crate::state::*;
use crate::util::{object_of, rfc3339, sha256_hex, sort_with};

/// `GET /containers/json`: with `all`, `size`, `limit` and the filters.
pub(crate) fn list(st: &mut State, r: &Req) -> R {
    let (st, q) = (&*st, r.q);
    let all = q.flag("all");
    let filters = q.filters()?;
    let mut list: Vec<&Container> = st.containers.values().collect();
    sort_with(&mut list, &|a, b| b.created_ms.cmp(&a.created_ms).then(b.id.cmp(&a.id)));
    let mut out = Vec::new();
    for c in list {
        let status_filter = filters.get("status");
        if !all && status_filter.is_none() && !matches!(c.status, Status::Running | Status::Paused | Status::Restarting)
        {
            continue;
        }
        let ok = filters.iter().all(|(k, vals)| {
            vals.iter().any(|v| match k.as_str() {
                "status" => c.status.as_str() == v,
                "name" => c.name.contains(v.trim_start_matches('/')),
                "id" => c.id.starts_with(v.as_str()),
                "label" => match v.split_once('=') {
                    Some((k, val)) => c.labels.get(k).is_some_and(|x| x == val),
                    None => c.labels.contains_key(v),
                },
                "exited" => c.status == Status::Exited && c.exit_code.to_string() == *v,
                "ancestor" => c.image_ref == *v || st.find_image(v).is_some_and(|i| i == c.image_id),
                "network" => {
                    c.networks.contains_key(v) || c.networks.values().any(|e| e.network_id.starts_with(v.as_str()))
                }
                "volume" => c.mounts.iter().any(|m| m.source == *v || m.destination == *v),
                "publish" | "expose" => {
                    c.ports.iter().any(|p| p.container_port.starts_with(v.as_str()) || p.host_port.to_string() == *v)
                }
                "health" | "isolation" | "is-task" | "before" | "since" => true,
                _ => false,
            }) || vals.is_empty()
        });
        if !ok {
            continue;
        }
        let mut v = container_summary(st, c);
        if q.flag("size") {
            v["SizeRw"] = json!(files_size(&c.rw));
            v["SizeRootFs"] = json!(image_size_shared(st, &c.image_id) + files_size(&c.rw));
        }
        out.push(v);
    }
    if let Some(limit) = q.get("limit").and_then(|l| l.parse::<i64>().ok()).filter(|l| *l > 0) {
        out.truncate(limit as usize);
    }
    Ok(Reply::Json(200, json!(out)))
}

/// `POST /containers/create?name=`: the body parsed into a spec the daemon
/// checks and creates.
pub(crate) fn create(st: &mut State, r: &Req) -> R {
    let v = body_json(r.body)?;
    let spec = container_spec(&v, r.q.get("name").unwrap_or(""));
    let id = crate::daemon::create::create(st, spec)?;
    Ok(Reply::Json(201, json!({"Id": id, "Warnings": []})))
}

/// The create request's body as a [`ContainerSpec`] (nothing refused here:
/// the daemon checks it, in dockerd's order).
fn container_spec(v: &Value, name: &str) -> ContainerSpec {
    let hc = v.get("HostConfig").cloned().unwrap_or(Value::Null);
    let tcp = |p: &String| if p.contains('/') { p.clone() } else { format!("{p}/tcp") };
    let text_of = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let given = |key: &str| v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(String::from);
    let port_bindings = hc
        .get("PortBindings")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(cport, binds)| {
            let binds = binds.as_array().into_iter().flatten();
            (tcp(cport), binds.map(|b| (text_of(b, "HostIp"), text_of(b, "HostPort"))).collect())
        })
        .collect();
    let mut binds = strs(hc.get("Binds").unwrap_or(&Value::Null));
    for m in hc.get("Mounts").and_then(Value::as_array).into_iter().flatten() {
        let typ = m.get("Type").and_then(Value::as_str).unwrap_or("volume");
        let src = m.get("Source").and_then(Value::as_str).unwrap_or("");
        let dst = m.get("Target").and_then(Value::as_str).unwrap_or("");
        let ro = m.get("ReadOnly").and_then(Value::as_bool).unwrap_or(false);
        binds.push(format!(
            "{}{src}:{dst}{}",
            if typ == "bind" && !src.starts_with('/') { "/" } else { "" },
            if ro { ":ro" } else { "" }
        ));
    }
    let network_mode = hc
        .get("NetworkMode")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty() && *m != "default")
        .unwrap_or("bridge")
        .to_string();
    let aliases = v
        .pointer(&format!(
            "/NetworkingConfig/EndpointsConfig/{}/Aliases",
            network_mode.replace('~', "~0").replace('/', "~1")
        ))
        .map(strs)
        .unwrap_or_default();
    let mut endpoint_kept = super::networks::endpoint_kept(
        v.pointer(&format!("/NetworkingConfig/EndpointsConfig/{}", network_mode.replace('~', "~0").replace('/', "~1"))),
    );
    // Legacy links are the default bridge's; on a network of its own they
    // are the endpoint's links, as given (dockerd moves them there).
    let mut links = strs(hc.get("Links").unwrap_or(&Value::Null));
    let user_defined =
        !matches!(network_mode.as_str(), "bridge" | "host" | "none") && !network_mode.starts_with("container:");
    if user_defined && !links.is_empty() {
        endpoint_kept.entry("Links".into()).or_insert_with(|| json!(links).to_string());
        links.clear();
    }
    let restart = hc.get("RestartPolicy").cloned().unwrap_or(Value::Null);
    let keys = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default()
    };
    let not_null = |key: &str| v.get(key).filter(|e| !e.is_null());
    ContainerSpec {
        name: name.trim_start_matches('/').to_string(),
        image: text_of(v, "Image"),
        port_bindings,
        exposed: keys(v.get("ExposedPorts")).iter().map(tcp).collect(),
        binds,
        volumes: keys(v.get("Volumes")),
        entrypoint: not_null("Entrypoint").map(strs),
        cmd: not_null("Cmd").map(strs),
        env: strs(v.get("Env").unwrap_or(&Value::Null)),
        extra_hosts: strs(hc.get("ExtraHosts").unwrap_or(&Value::Null)),
        tmpfs: keys(hc.get("Tmpfs")),
        labels: map(v.get("Labels").unwrap_or(&Value::Null)),
        network_mode,
        aliases,
        endpoint_kept,
        hostname: given("Hostname"),
        restart_policy: restart.get("Name").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("no").into(),
        restart_max: restart.get("MaximumRetryCount").and_then(Value::as_i64).unwrap_or(0),
        auto_remove: hc.get("AutoRemove").and_then(Value::as_bool).unwrap_or(false),
        workdir: given("WorkingDir"),
        user: given("User"),
        tty: v.get("Tty").and_then(Value::as_bool).unwrap_or(false),
        open_stdin: v.get("OpenStdin").and_then(Value::as_bool).unwrap_or(false),
        memory: hc.get("Memory").and_then(Value::as_i64).unwrap_or(0),
        nano_cpus: hc.get("NanoCpus").and_then(Value::as_i64).unwrap_or(0),
        read_only: hc.get("ReadonlyRootfs").and_then(Value::as_bool).unwrap_or(false),
        links,
        kept: crate::http::kept::from_create(v),
    }
}

/// `POST /containers/{id}/start`: 304 when it already runs.
pub(crate) fn start(st: &mut State, r: &Req) -> R {
    let cid = st.find_container(r.p(0))?;
    Ok(Reply::Empty(if backend::start_container(st, &cid)? { 204 } else { 304 }))
}

/// `POST /containers/{id}/stop?t=`: 304 when it does not run.
pub(crate) fn stop(st: &mut State, r: &Req) -> R {
    let cid = st.find_container(r.p(0))?;
    let t = r.q.get("t").and_then(|t| t.parse().ok());
    Ok(Reply::Empty(if st.stop(&cid, t)? { 204 } else { 304 }))
}

/// `POST /containers/{id}/restart?t=`.
pub(crate) fn restart(st: &mut State, r: &Req) -> R {
    let cid = st.find_container(r.p(0))?;
    backend::restart(st, &cid, r.q.get("t").and_then(|t| t.parse().ok()))?;
    Ok(Reply::Empty(204))
}

/// `POST /containers/{id}/kill?signal=`.
pub(crate) fn kill(st: &mut State, r: &Req) -> R {
    let id = r.p(0);
    let signal = r.q.get("signal").unwrap_or("KILL");
    // dockerd 28.5 checks the signal first and names the container as it
    // was asked for in every refusal: `cannot kill container: web: ...`.
    let killed = State::signal_number(signal).and_then(|_| st.find_container(id)).and_then(|cid| st.kill(&cid, signal));
    killed.map_err(|e| err(e.status, format!("cannot kill container: {id}: {}", e.message)))?;
    Ok(Reply::Empty(204))
}

/// `POST /containers/{id}/pause`.
pub(crate) fn pause(st: &mut State, r: &Req) -> R {
    let cid = st.find_container(r.p(0))?;
    backend::pause(st, r.p(0), &cid, true)?;
    Ok(Reply::Empty(204))
}

/// `POST /containers/{id}/unpause`.
pub(crate) fn unpause(st: &mut State, r: &Req) -> R {
    let cid = st.find_container(r.p(0))?;
    backend::pause(st, r.p(0), &cid, false)?;
    Ok(Reply::Empty(204))
}

/// `POST /containers/{id}/rename?name=`.
pub(crate) fn rename(st: &mut State, r: &Req) -> R {
    let cid = st.find_container(r.p(0))?;
    let new = r.q.get("name").unwrap_or("").trim_start_matches('/');
    backend::rename(st, &cid, new)?;
    Ok(Reply::Empty(204))
}

/// `POST /containers/{id}/resize`.
pub(crate) fn resize(st: &mut State, r: &Req) -> R {
    st.find_container(r.p(0))?;
    Ok(Reply::Empty(200))
}

/// `POST /containers/{id}/update`: the restart policy and the limits.
pub(crate) fn update(st: &mut State, r: &Req) -> R {
    let cid = st.find_container(r.p(0))?;
    let v = body_json(r.body)?;
    let restart = v.pointer("/RestartPolicy/Name").and_then(Value::as_str).map(|name| {
        (name.to_string(), v.pointer("/RestartPolicy/MaximumRetryCount").and_then(Value::as_i64).unwrap_or(0))
    });
    let update = backend::Update {
        restart,
        memory: v.get("Memory").and_then(Value::as_i64),
        nano_cpus: v.get("NanoCpus").and_then(Value::as_i64),
    };
    backend::update(st, &cid, update);
    if let Some(c) = st.containers.get_mut(&cid) {
        crate::http::kept::update(&mut c.kept, &v);
    }
    Ok(Reply::Json(200, json!({"Warnings": null})))
}

/// `DELETE /containers/{id}?force=&v=&link=` (and `DELETE
/// /containers/PARENT/ALIAS`, a link's name: with `link`, the link goes).
pub(crate) fn remove(st: &mut State, r: &Req) -> R {
    let name = r.params.join("/");
    if r.q.flag("link") {
        crate::daemon::links::unlink(st, &name)?;
        return Ok(Reply::Empty(204));
    }
    let cid = st.find_container(&name)?;
    st.remove(&cid, r.q.flag("force"), r.q.flag("v")).map_err(|e| match e.status {
        409 => err(409, format!("cannot remove container \"{name}\": {}", e.message)),
        _ => e,
    })?;
    Ok(Reply::Empty(204))
}

/// `POST /containers/prune`.
pub(crate) fn prune(st: &mut State, _: &Req) -> R {
    let (gone, reclaimed) = backend::prune(st);
    Ok(Reply::Json(200, json!({"ContainersDeleted": nullable_list(gone), "SpaceReclaimed": reclaimed})))
}

/// `GET /containers/{id}/changes`.
pub(crate) fn changes(st: &mut State, r: &Req) -> R {
    let cid = st.find_container(r.p(0))?;
    let v: Vec<Value> = st.changes(&cid).into_iter().map(|(k, p)| json!({"Path": p, "Kind": k})).collect();
    Ok(Reply::Json(200, if v.is_empty() { Value::Null } else { json!(v) }))
}

/// The constant part of a container's inspect document.
const INSPECT_TEMPLATE: &str = r#"{
        "State": {"OOMKilled": false},
        "Driver": "overlay2", "Platform": "linux",
        "MountLabel": "", "ProcessLabel": "", "AppArmorProfile": "docker-default",
        "HostConfig": {
            "Binds": null, "ContainerIDFile": "",
            "LogConfig": {"Type": "json-file", "Config": {}},
            "VolumeDriver": "", "VolumesFrom": null, "CapAdd": null, "CapDrop": null, "CgroupnsMode": "private", "Dns": null,
            "DnsOptions": null, "DnsSearch": null, "GroupAdd": null, "DeviceCgroupRules": null, "MemorySwappiness": null, "IpcMode": "private", "Cgroup": "",
            "Links": null, "OomScoreAdj": 0, "PidMode": "", "Privileged": false, "PublishAllPorts": false,
            "SecurityOpt": null, "UTSMode": "", "UsernsMode": "", "ShmSize": 67108864,
            "Runtime": "runc", "ConsoleSize": [0, 0], "Isolation": "", "CpuShares": 0, "Memory": 0, "NanoCpus": 0,
            "CgroupParent": "", "BlkioWeight": 0, "CpuPeriod": 0, "CpuQuota": 0, "CpusetCpus": "", "CpusetMems": "",
            "Devices": null, "MemoryReservation": 0, "MemorySwap": 0, "OomKillDisable": false, "PidsLimit": null, "Ulimits": null,
            "BlkioWeightDevice": null, "BlkioDeviceReadBps": null, "BlkioDeviceWriteBps": null, "BlkioDeviceReadIOps": null,
            "BlkioDeviceWriteIOps": null, "CpuRealtimePeriod": 0, "CpuRealtimeRuntime": 0, "DeviceRequests": null,
            "CpuCount": 0, "CpuPercent": 0, "IOMaximumIOps": 0, "IOMaximumBandwidth": 0
        },
        "GraphDriver": {"Name": "overlay2"},
        "Config": {
            "Domainname": "", "AttachStdin": false, "AttachStdout": false,
            "AttachStderr": false, "StdinOnce": false, "Volumes": null, "OnBuild": null
        },
        "NetworkSettings": {
            "Bridge": "", "HairpinMode": false, "LinkLocalIPv6Address": "", "LinkLocalIPv6PrefixLen": 0,
            "SecondaryIPAddresses": null, "SecondaryIPv6Addresses": null, "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
            "IPv6Gateway": ""
        }
        }"#;

/// The published ports of `c`: as `NetworkSettings.Ports` shows them
/// (while it runs) and as `HostConfig.PortBindings` has them.
fn port_maps(c: &Container, running: bool) -> (serde_json::Map<String, Value>, serde_json::Map<String, Value>) {
    let mut port_map = serde_json::Map::new();
    if running {
        for e in &c.exposed_ports {
            port_map.insert(e.clone(), Value::Null);
        }
        for p in &c.ports {
            let entry = port_map.entry(p.container_port.clone()).or_insert(json!([]));
            if !entry.is_array() {
                *entry = json!([]);
            }
            if let Some(a) = entry.as_array_mut() {
                // Bound to all addresses: an IPv4 and an IPv6 entry; bound to one: just it.
                if p.host_ip.is_empty() || p.host_ip == "0.0.0.0" {
                    a.push(json!({"HostIp": "0.0.0.0", "HostPort": p.host_port.to_string()}));
                    a.push(json!({"HostIp": "::", "HostPort": p.host_port.to_string()}));
                } else {
                    a.push(json!({"HostIp": p.host_ip, "HostPort": p.host_port.to_string()}));
                }
            }
        }
    }
    let mut pb = serde_json::Map::new();
    for p in &c.ports {
        let entry = pb.entry(p.container_port.clone()).or_insert(json!([]));
        if let Some(a) = entry.as_array_mut() {
            a.push(json!({"HostIp": if p.host_ip == "0.0.0.0" { "" } else { p.host_ip.as_str() }, "HostPort": p.host_port.to_string()}));
        }
    }
    (port_map, pb)
}

/// `HostConfig.ExtraHosts` of `c` (null when none).
fn extra_hosts(c: &Container) -> Value {
    // As given (`foo:1.2.3.4`), where /etc/hosts has `1.2.3.4\tfoo`.
    match c.extra_hosts.as_slice() {
        [] => Value::Null,
        lines => lines
            .iter()
            .map(|l| l.split_once('\t').map(|(ip, host)| format!("{host}:{ip}")).unwrap_or_default())
            .collect(),
    }
}

/// `GET /containers/{id}/json`.
pub(crate) fn inspect(st: &mut State, r: &Req) -> R {
    let st = &*st;
    let cid = st.find_container(r.p(0))?;
    let c = &st.containers[&cid];
    let running = matches!(c.status, Status::Running | Status::Paused);
    let (port_map, pb) = port_maps(c, running);
    let nets: serde_json::Map<String, Value> =
        object_of(c.networks.iter().map(|(n, ep)| (n.clone(), endpoint_json(ep))));
    let bridge = c.networks.get("bridge");
    let argv: Vec<String> = c.entrypoint.iter().chain(c.cmd.iter()).cloned().collect();
    let exec_ids: Vec<String> = st.execs.values().filter(|e| e.container_id == cid).map(|e| e.id.clone()).collect();
    // 28.5 makes these files when the container first starts.
    let file = |name: &str| match c.started_ms {
        Some(_) => Value::String(format!("/var/lib/docker/containers/{cid}/{name}")),
        None => text(""),
    };
    let v = doc(
        INSPECT_TEMPLATE,
        vec![
            ("Id", text(&c.id)),
            ("Created", Value::String(rfc3339(c.created_ms))),
            ("Path", Value::String(argv.first().cloned().unwrap_or_default())),
            ("Args", strings(argv.get(1..).unwrap_or(&[]))),
            ("State/Status", text(c.status.as_str())),
            ("State/Running", Value::from(running)),
            ("State/Paused", Value::from(c.status == Status::Paused)),
            ("State/Restarting", Value::from(c.status == Status::Restarting)),
            ("State/Dead", Value::from(c.status == Status::Dead)),
            ("State/Pid", Value::from(c.pid)),
            ("State/ExitCode", Value::from(c.exit_code)),
            ("State/Error", text(&c.error)),
            (
                "State/StartedAt",
                Value::String(c.started_ms.map(rfc3339).unwrap_or_else(|| "0001-01-01T00:00:00Z".into())),
            ),
            (
                "State/FinishedAt",
                Value::String(c.finished_ms.map(rfc3339).unwrap_or_else(|| "0001-01-01T00:00:00Z".into())),
            ),
            ("Image", text(&c.image_id)),
            ("ResolvConfPath", file("resolv.conf")),
            ("HostnamePath", file("hostname")),
            ("HostsPath", file("hosts")),
            ("LogPath", file(&format!("{cid}-json.log"))),
            ("Name", Value::String(format!("/{}", c.name))),
            ("RestartCount", Value::from(c.restart_count)),
            ("ExecIDs", if exec_ids.is_empty() { Value::Null } else { json!(exec_ids) }),
            ("HostConfig/NetworkMode", text(&c.network_mode)),
            ("HostConfig/PortBindings", if pb.is_empty() { Value::Null } else { Value::Object(pb) }),
            ("HostConfig/RestartPolicy/Name", text(&c.restart_policy)),
            ("HostConfig/Memory", Value::from(c.memory)),
            ("HostConfig/NanoCpus", Value::from(c.nano_cpus)),
            ("HostConfig/RestartPolicy/MaximumRetryCount", Value::from(c.restart_max)),
            ("HostConfig/AutoRemove", Value::from(c.auto_remove)),
            ("HostConfig/ReadonlyRootfs", Value::from(c.read_only)),
            ("HostConfig/ExtraHosts", extra_hosts(c)),
            ("HostConfig/Links", json!(crate::daemon::links::shown(c))),
            ("GraphDriver/Data", graph_driver_data(c)),
            ("Mounts", mounts_json(st, c)),
            ("Config/Hostname", text(&c.hostname)),
            ("Config/User", text(&c.user)),
            ("Config/ExposedPorts", key_set(&c.exposed_ports)),
            ("Config/Tty", Value::from(c.tty)),
            ("Config/OpenStdin", Value::from(c.open_stdin)),
            ("Config/Env", strings(&c.env)),
            ("Config/Cmd", if c.cmd.is_empty() { Value::Null } else { json!(c.cmd) }),
            ("Config/Image", text(&c.image_ref)),
            ("Config/WorkingDir", text(&c.workdir)),
            ("Config/Entrypoint", if c.entrypoint.is_empty() { Value::Null } else { json!(c.entrypoint) }),
            ("Config/Labels", string_map(&c.labels)),
            (
                "NetworkSettings/SandboxID",
                Value::String(if running { sha256_hex(cid.as_bytes()) } else { String::new() }),
            ),
            ("NetworkSettings/Ports", Value::Object(port_map)),
            (
                "NetworkSettings/SandboxKey",
                json!(if running {
                    format!("/var/run/docker/netns/{}", &cid[..12.min(cid.len())])
                } else {
                    String::new()
                }),
            ),
            (
                "NetworkSettings/EndpointID",
                json!(bridge.map(|e| if e.ip.is_empty() { "" } else { e.endpoint_id.as_str() }).unwrap_or("")),
            ),
            ("NetworkSettings/Gateway", text(bridge.map(|e| e.gateway.as_str()).unwrap_or(""))),
            ("NetworkSettings/IPAddress", text(bridge.map(|e| e.ip.as_str()).unwrap_or(""))),
            ("NetworkSettings/IPPrefixLen", json!(bridge.map(|e| if e.ip.is_empty() { 0 } else { 16 }).unwrap_or(0))),
            ("NetworkSettings/MacAddress", text(bridge.map(|e| e.mac.as_str()).unwrap_or(""))),
            ("NetworkSettings/Networks", Value::Object(nets)),
        ],
    );
    let mut v = v;
    // 28.5 leaves `ExposedPorts` out when neither the image nor the create gives one.
    if c.exposed_ports.is_empty() {
        object(&mut v["Config"]).remove("ExposedPorts");
    }
    if !c.tmpfs.is_empty() {
        v["HostConfig"]["Tmpfs"] = Value::Object(c.tmpfs.keys().map(|k| (k.clone(), text(""))).collect());
    }
    if let Some(h) = &c.health {
        let log: Vec<Value> = h
            .log
            .iter()
            .map(|l| {
                json!({"Start": rfc3339(l.start_ms), "End": rfc3339(l.end_ms), "ExitCode": l.exit_code, "Output": l.output})
            })
            .collect();
        v["State"]["Health"] = json!({"Status": h.status, "FailingStreak": h.failing_streak, "Log": log});
    }
    crate::http::kept::overlay(&mut v, &c.kept);
    crate::http::kept::system_paths(&mut v);
    Ok(Reply::Json(200, v))
}

/// `GET /containers/{id}/top`.
pub(crate) fn top(st: &mut State, r: &Req) -> R {
    let id = r.p(0);
    let cid = st.find_container(id)?;
    let c = &st.containers[&cid];
    if !matches!(c.status, Status::Running | Status::Paused) {
        return Err(err(409, format!("container {cid} is not running")));
    }
    let procs: Vec<Value> = c
        .processes
        .iter()
        .map(|p| {
            json!([
                if p.user == "nginx" { "101" } else { "root" },
                p.host_pid.to_string(),
                // The main process's parent is the containerd-shim on the host.
                if p.pid == 1 { c.shim_pid.to_string() } else { c.pid.to_string() },
                "0",
                crate::util::clock_time(c.started_ms.unwrap_or(0)),
                "?",
                "00:00:00",
                p.argv.join(" ")
            ])
        })
        .collect();
    Ok(Reply::Json(
        200,
        json!({"Titles": ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], "Processes": procs}),
    ))
}

/// `GET /containers/{id}/stats` (one sample).
pub(crate) fn stats(engine: &crate::Engine, r: &Req) -> R {
    let cid = engine.lock().find_container(r.p(0))?;
    // `stream` defaults to true, as on dockerd.
    let stream = r.q.get("stream").is_none_or(|_| r.q.flag("stream"));
    if !stream {
        let st = engine.lock();
        let doc = stats_doc(&st, &cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        return Ok(Reply::Json(200, doc));
    }
    // One document now, then one per simulated second, until the container
    // is removed; one chunk each.
    let mut next_ms: Option<u64> = None;
    let body = engine.clone().watch(move |st| {
        let Some(doc) = stats_doc(st, &cid) else { return std::task::Poll::Ready(None) };
        if next_ms.is_some_and(|n| st.clock_ms < n) {
            return std::task::Poll::Pending;
        }
        next_ms = Some(st.clock_ms + 1000);
        std::task::Poll::Ready(Some(bytes::Bytes::from(format!("{doc}\n"))))
    });
    Ok(Reply::Stream(200, "application/json", body))
}

/// One stats document of container `cid`; `None` when it is gone.
fn stats_doc(st: &State, cid: &str) -> Option<Value> {
    let c = st.containers.get(cid)?;
    let running = matches!(c.status, Status::Running | Status::Paused);
    let mem: u64 = if running { 2_000_000 + c.processes.len() as u64 * 1_500_000 + files_size(&c.rw) } else { 0 };
    let nets: serde_json::Map<String, Value> = object_of(c.networks.keys().map(|n| (if n == "bridge" { "eth0".to_string() } else { format!("eth{}", n.len() % 3) }, json!({"rx_bytes": 1046 + c.requests * 700, "rx_packets": 13, "rx_errors": 0, "rx_dropped": 0, "tx_bytes": c.requests * 850, "tx_packets": c.requests, "tx_errors": 0, "tx_dropped": 0}))));
    let cpu_total = if running { st.clock_ms.saturating_sub(c.started_ms.unwrap_or(st.clock_ms)) * 1000 } else { 0 };
    let v = doc(
        r#"{
        "pids_stats": {"limit": 18446744073709551615},
        "num_procs": 0, "storage_stats": {},
        "cpu_stats": {"cpu_usage": {"usage_in_kernelmode": 0}, "online_cpus": 2, "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0}},
        "precpu_stats": {"cpu_usage": {"usage_in_kernelmode": 0}, "online_cpus": 2, "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0}},
        "memory_stats": {"stats": {"inactive_file": 0}, "limit": 8232099840},
        "blkio_stats": {"io_service_bytes_recursive": null}
        }"#,
        vec![
            ("read", Value::String(rfc3339(st.clock_ms))),
            ("preread", Value::String(rfc3339(st.clock_ms.saturating_sub(1000)))),
            ("id", text(cid)),
            ("name", Value::String(format!("/{}", c.name))),
            ("pids_stats/current", Value::from(c.processes.len())),
            ("cpu_stats/cpu_usage/total_usage", Value::from(cpu_total + 50_000)),
            ("cpu_stats/cpu_usage/usage_in_usermode", Value::from(cpu_total)),
            ("cpu_stats/system_cpu_usage", Value::from(st.clock_ms * 2_000_000)),
            ("precpu_stats/cpu_usage/total_usage", Value::from(cpu_total)),
            ("precpu_stats/cpu_usage/usage_in_usermode", Value::from(cpu_total)),
            ("precpu_stats/system_cpu_usage", Value::from(st.clock_ms.saturating_sub(1000) * 2_000_000)),
            ("memory_stats/usage", Value::from(mem)),
            // The container's limit, else the host's memory.
            ("memory_stats/limit", Value::from(if c.memory > 0 { c.memory as u64 } else { 8_232_099_840 })),
            ("networks", Value::Object(nets)),
        ],
    );
    Some(v)
}

/// `GET|HEAD /containers/{id}/archive?path=`: the path as a tar, and its
/// stat in a header.
pub(crate) fn archive_get(st: &mut State, r: &Req) -> R {
    let (id, head) = (r.p(0), r.method == "HEAD");
    let cid = st.find_container(id)?;
    let (name, node, entries) = crate::daemon::files::copy_out(st, &cid, id, r.q.get("path").unwrap_or("/"))?;
    let size = if let Node::File { data } = &node { data.len() } else { 4096 };
    let stat = json!({"name": name, "size": size, "mode": if node == Node::Dir { 2_147_484_141u64 } else { 420 }, "mtime": rfc3339(st.clock_ms), "linkTarget": ""});
    use base64::Engine as _;
    let stat = base64::engine::general_purpose::STANDARD.encode(stat.to_string());
    let tar = if head { Vec::new() } else { crate::util::tar(&entries) };
    Ok(Reply::Archive(tar, stat))
}

/// `GET /containers/{id}/export`: the container's whole filesystem as one
/// tar, its paths relative to the root (`bin/sh`, `etc/hosts`), as `docker
/// export` writes it.
pub(crate) fn export(st: &mut State, r: &Req) -> R {
    let cid = st.find_container(r.p(0))?;
    let (_, _, entries) = crate::daemon::files::copy_out(st, &cid, r.p(0), "/")?;
    let entries: Vec<_> = entries
        .into_iter()
        .filter_map(|mut e| {
            e.path = e.path.trim_start_matches('/').to_string();
            (!e.path.is_empty()).then_some(e)
        })
        .collect();
    Ok(Reply::Stream(200, "application/x-tar", dockhand::Body::full(crate::util::tar(&entries))))
}

/// `PUT /containers/{id}/archive?path=`: the body's tar unpacked in a
/// directory.
pub(crate) fn archive_put(st: &mut State, r: &Req) -> R {
    let id = r.p(0);
    let cid = st.find_container(id)?;
    crate::daemon::files::copy_in(st, &cid, id, r.q.get("path").unwrap_or("/"), r.body)?;
    Ok(Reply::Empty(200))
}
