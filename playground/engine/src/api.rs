//! The Engine API over [`State`]: routing, JSON shapes, status codes.

use std::collections::{BTreeMap, BTreeSet};
use std::task::Poll;

use bytes::Bytes;
use serde_json::{Value, json};

use crate::Engine;
use crate::sim::{ApiErr, Reference, err};
use crate::state::*;
use crate::util::{frame, map_of, object_of, rfc3339, sha256_hex, sort_with, sorted_set};

/// The API version the engine announces (the docker CLI 28 and dockhand
/// both speak it).
pub const API_VERSION: &str = "1.41";
/// The engine's version string.
pub const ENGINE_VERSION: &str = "20.10.24-dockhand-sim";

/// A response under construction.
pub enum Reply {
    /// A JSON document.
    Json(u16, Value),
    /// No body.
    Empty(u16),
    /// Plain text.
    Text(u16, &'static str, String),
    /// A stream (chunked), with a content type.
    Stream(u16, &'static str, dockhand::Body),
    /// A tar archive with its `X-Docker-Container-Path-Stat` header.
    Archive(Vec<u8>, String),
    /// A hijacked connection: 101 and the stream of output; the target of
    /// stdin (container id, exec id).
    Upgrade(&'static str, dockhand::Body, String, Option<String>),
}

type R = Result<Reply, ApiErr>;

/// Query parameters.
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Parses a query string.
    pub fn parse(q: Option<&str>) -> Query {
        Query(form_urlencoded::parse(q.unwrap_or("").as_bytes()).into_owned().collect())
    }
    /// From pairs.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Query {
        Query(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }
    /// The first value of `k`.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
    }
    /// Every value of `k`.
    pub fn all(&self, k: &str) -> Vec<String> {
        self.0.iter().filter(|(key, _)| key == k).map(|(_, v)| v.clone()).collect()
    }
    fn flag(&self, k: &str) -> bool {
        matches!(self.get(k), Some(v) if !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
    }
    /// Whether `k` is set to a true value.
    pub fn flag_pub(&self, k: &str) -> bool {
        self.flag(k)
    }
    fn filters(&self) -> Result<BTreeMap<String, Vec<String>>, ApiErr> {
        let Some(raw) = self.get("filters").filter(|f| !f.is_empty()) else { return Ok(BTreeMap::new()) };
        let v: Value = serde_json::from_str(raw).map_err(|e| err(400, format!("invalid filter: {e}")))?;
        let mut out = BTreeMap::new();
        let Some(obj) = v.as_object() else { return Err(err(400, "invalid filter: not an object")) };
        for (k, val) in obj {
            let items: Vec<String> = match val {
                Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
                Value::Object(o) => {
                    o.iter().filter(|(_, b)| b.as_bool() == Some(true)).map(|(k, _)| k.clone()).collect()
                }
                _ => return Err(err(400, format!("invalid filter '{k}'"))),
            };
            out.insert(k.clone(), items);
        }
        Ok(out)
    }
}

/// A JSON document: `template` (constant JSON text) with `fields` set in it,
/// a key `a/b` setting `b` inside the object `a`. One non-generic loop
/// instead of the inline insert per key that `json!` expands to, and the
/// constant keys kept as data rather than code (issue 8: the module's size).
fn doc(template: &str, fields: Vec<(&str, Value)>) -> Value {
    let mut root: Value = serde_json::from_str(template).unwrap_or(Value::Null);
    for (path, value) in fields {
        let (parents, key) = path.rsplit_once('/').unwrap_or(("", path));
        let mut cur = &mut root;
        for seg in parents.split('/').filter(|s| !s.is_empty()) {
            cur = object(cur).entry(seg).or_insert(Value::Null);
        }
        object(cur).insert(key.to_string(), value);
    }
    root
}

/// `v` as an object, made an empty one first if it is anything else.
fn object(v: &mut Value) -> &mut serde_json::Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(serde_json::Map::new());
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

/// `keys` as an object of empty objects (`ExposedPorts`, `Volumes`), or
/// null when there are none.
fn key_set(keys: &BTreeSet<String>) -> Value {
    if keys.is_empty() {
        return Value::Null;
    }
    Value::Object(object_of(keys.iter().map(|k| (k.clone(), Value::Object(serde_json::Map::new())))))
}

/// A JSON string.
fn text(v: &str) -> Value {
    Value::String(v.to_owned())
}

/// A list of strings as a JSON array.
fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().map(|x| text(x)).collect())
}

/// A string map as a JSON object.
fn string_map(m: &BTreeMap<String, String>) -> Value {
    Value::Object(object_of(m.iter().map(|(k, v)| (k.clone(), text(v)))))
}

fn body_json(body: &[u8]) -> Result<Value, ApiErr> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| err(400, format!("invalid JSON: {e}")))
}

fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn map(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|o| map_of(o.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))))
        .unwrap_or_default()
}

fn nullable_list(v: Vec<String>) -> Value {
    if v.is_empty() { Value::Null } else { json!(v) }
}

/// Routes one request. `path` is decoded segments after the version.
pub fn route(engine: &Engine, method: &str, segs: &[String], q: &Query, body: &[u8], headers: &http::HeaderMap) -> R {
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    // Streaming endpoints lock the state when polled, not now.
    match (method, s.as_slice()) {
        ("GET", ["events"]) => return events(engine, q),
        ("GET", ["containers", id, "logs"]) => {
            let cid = engine.lock().find_container(id)?;
            return logs(engine, &cid, q);
        }
        ("POST", ["containers", id, "wait"]) => {
            let cid = engine.lock().find_container(id)?;
            let condition = q.get("condition").unwrap_or("not-running").to_string();
            if !matches!(condition.as_str(), "not-running" | "next-exit" | "removed" | "") {
                return Err(err(400, format!("invalid condition: \"{condition}\"")));
            }
            return wait(engine, &cid, &condition);
        }
        ("POST", ["containers", id, "attach"]) => {
            let cid = engine.lock().find_container(id)?;
            return attach(engine, &cid, q);
        }
        ("POST", ["exec", id, "start"]) => {
            let id = id.to_string();
            let v = body_json(body)?;
            let detach = v.get("Detach").and_then(Value::as_bool).unwrap_or(false);
            {
                let mut st = engine.lock();
                if !st.execs.contains_key(&id) {
                    return Err(err(404, format!("No such exec instance: {id}")));
                }
                st.start_exec(&id)?;
            }
            engine.notify();
            let upgrade = headers.get(http::header::UPGRADE).is_some();
            if detach {
                return Ok(Reply::Empty(200));
            }
            return Ok(exec_stream(engine, &id, upgrade));
        }
        _ => {}
    }
    let mut st = engine.lock();
    let st = &mut *st;
    match (method, s.as_slice()) {
        ("GET" | "HEAD", ["_ping"]) => Ok(Reply::Text(200, "text/plain; charset=utf-8", "OK".into())),
        ("GET", ["version"]) => Ok(Reply::Json(200, version_json(st))),
        ("GET", ["info"]) => Ok(Reply::Json(200, info_json(st))),
        ("GET", ["system", "df"]) => Ok(Reply::Json(200, df_json(st))),
        ("POST", ["auth"]) => auth(st, body),
        // Containers.
        ("GET", ["containers", "json"]) => list_containers(st, q),
        ("POST", ["containers", "create"]) => create_container(st, q, body),
        ("POST", ["containers", "prune"]) => prune_containers(st),
        ("GET", ["containers", id, "json"]) => inspect_container(st, id),
        ("GET", ["containers", id, "top"]) => top(st, id),
        ("GET", ["containers", id, "changes"]) => {
            let cid = st.find_container(id)?;
            let v: Vec<Value> = st.changes(&cid).into_iter().map(|(k, p)| json!({"Path": p, "Kind": k})).collect();
            Ok(Reply::Json(200, if v.is_empty() { Value::Null } else { json!(v) }))
        }
        ("GET", ["containers", id, "stats"]) => stats(st, id),
        ("POST", ["containers", id, "start"]) => start(st, id),
        ("POST", ["containers", id, "stop"]) => {
            let cid = st.find_container(id)?;
            let t = q.get("t").and_then(|t| t.parse().ok());
            Ok(Reply::Empty(if st.stop(&cid, t)? { 204 } else { 304 }))
        }
        ("POST", ["containers", id, "restart"]) => {
            let cid = st.find_container(id)?;
            let t = q.get("t").and_then(|t| t.parse().ok());
            st.stop(&cid, t)?;
            st.start(&cid)?;
            let name = st.containers.get(&cid).map(|c| c.name.clone()).unwrap_or_default();
            st.event("container", "restart", &cid, &[("name", name)]);
            Ok(Reply::Empty(204))
        }
        ("POST", ["containers", id, "kill"]) => {
            let signal = q.get("signal").unwrap_or("KILL");
            let killed = st.find_container(id).and_then(|cid| st.kill(&cid, signal));
            // dockerd names the container as it was asked for in every
            // refusal but a bad signal: `Cannot kill container: web: ...`.
            killed.map_err(|e| match e.status {
                400 => e,
                status => err(status, format!("Cannot kill container: {id}: {}", e.message)),
            })?;
            Ok(Reply::Empty(204))
        }
        ("POST", ["containers", id, "pause"]) => pause(st, id, true),
        ("POST", ["containers", id, "unpause"]) => pause(st, id, false),
        ("POST", ["containers", id, "rename"]) => rename(st, id, q),
        ("POST", ["containers", id, "resize"]) => {
            st.find_container(id)?;
            Ok(Reply::Empty(200))
        }
        ("POST", ["containers", id, "update"]) => {
            let cid = st.find_container(id)?;
            let v = body_json(body)?;
            if let Some(c) = st.containers.get_mut(&cid) {
                if let Some(name) = v.pointer("/RestartPolicy/Name").and_then(Value::as_str) {
                    c.restart_policy = name.to_string();
                    c.restart_max = v.pointer("/RestartPolicy/MaximumRetryCount").and_then(Value::as_i64).unwrap_or(0);
                }
                // 0 or absent leaves a limit as it was, as dockerd does.
                if let Some(bytes) = v.get("Memory").and_then(Value::as_i64).filter(|b| *b > 0) {
                    c.memory = bytes;
                }
                if let Some(nano) = v.get("NanoCpus").and_then(Value::as_i64).filter(|n| *n > 0) {
                    c.nano_cpus = nano;
                }
            }
            Ok(Reply::Json(200, json!({"Warnings": null})))
        }
        ("DELETE", ["containers", id]) => {
            let cid = st.find_container(id)?;
            st.remove(&cid, q.flag("force"), q.flag("v"))?;
            Ok(Reply::Empty(204))
        }
        ("POST", ["containers", id, "exec"]) => exec_create(st, id, body),
        ("GET" | "HEAD", ["containers", id, "archive"]) => archive_get(st, id, q, method == "HEAD"),
        ("PUT", ["containers", id, "archive"]) => archive_put(st, id, q, body),
        ("POST", ["exec", id, "resize"]) => {
            if !st.execs.contains_key(*id) {
                return Err(err(404, format!("No such exec instance: {id}")));
            }
            Ok(Reply::Empty(201))
        }
        ("GET", ["exec", id, "json"]) => exec_inspect(st, id),
        // Images.
        ("GET", ["images", "json"]) => list_images(st, q),
        ("POST", ["images", "create"]) if q.get("fromSrc") == Some("-") => archive_route(st, Archive::Import, q, body),
        ("POST", ["images", "create"]) => pull(st, q, headers),
        ("GET", ["images", "get"]) => archive_route(st, Archive::Save(q.all("names")), q, body),
        ("POST", ["images", "load"]) => archive_route(st, Archive::Load, q, body),
        ("POST", ["images", "prune"]) => prune_images(st, q),
        ("GET", ["images", "search"]) => search(st, q),
        ("POST", ["build"]) => crate::build::build(st, q, body),
        ("POST", ["commit"]) => crate::build::commit(st, q, body),
        ("POST", ["build", "prune"]) => {
            let n = st.build_cache.len();
            st.build_cache.clear();
            Ok(Reply::Json(200, json!({"CachesDeleted": null, "SpaceReclaimed": n as u64 * 1000})))
        }
        (_, ["images", rest @ ..]) if !rest.is_empty() => image_route(st, method, rest, q, headers),
        // Networks.
        ("GET", ["networks"]) => list_networks(st, q),
        ("POST", ["networks", "create"]) => {
            let v = body_json(body)?;
            let name = v.get("Name").and_then(Value::as_str).unwrap_or("");
            let driver = v.get("Driver").and_then(Value::as_str).unwrap_or("bridge");
            let internal = v.get("Internal").and_then(Value::as_bool).unwrap_or(false);
            let id = st.create_network(name, driver, internal, map(v.get("Labels").unwrap_or(&Value::Null)))?;
            Ok(Reply::Json(201, json!({"Id": id, "Warning": ""})))
        }
        ("POST", ["networks", "prune"]) => {
            let unused: Vec<String> = st
                .networks
                .values()
                .filter(|n| !matches!(n.name.as_str(), "bridge" | "host" | "none"))
                .filter(|n| !st.containers.values().any(|c| c.networks.contains_key(&n.name)))
                .map(|n| n.id.clone())
                .collect();
            let names: Vec<String> = unused.iter().filter_map(|id| st.networks.remove(id).map(|n| n.name)).collect();
            Ok(Reply::Json(200, json!({"NetworksDeleted": nullable_list(names)})))
        }
        ("GET", ["networks", id]) => {
            let nid = st.find_network(id)?;
            Ok(Reply::Json(200, network_json(st, &nid)))
        }
        ("DELETE", ["networks", id]) => {
            let nid = st.find_network(id)?;
            let n = st.networks[&nid].clone();
            if matches!(n.name.as_str(), "bridge" | "host" | "none") {
                return Err(err(403, format!("{} is a pre-defined network and cannot be removed", n.name)));
            }
            if st.containers.values().any(|c| c.networks.contains_key(&n.name)) {
                return Err(err(
                    403,
                    format!("error while removing network: network {} id {} has active endpoints", n.name, n.id),
                ));
            }
            st.networks.remove(&nid);
            st.event("network", "destroy", &nid, &[("name", n.name), ("type", n.driver)]);
            Ok(Reply::Empty(204))
        }
        ("POST", ["networks", id, "connect"]) => {
            let nid = st.find_network(id)?;
            let v = body_json(body)?;
            let c = v.get("Container").and_then(Value::as_str).unwrap_or("");
            let cid = st.find_container(c)?;
            let aliases = strs(v.pointer("/EndpointConfig/Aliases").unwrap_or(&Value::Null));
            st.connect(&cid, &nid, aliases)?;
            Ok(Reply::Empty(200))
        }
        ("POST", ["networks", id, "disconnect"]) => {
            let nid = st.find_network(id)?;
            let v = body_json(body)?;
            let c = v.get("Container").and_then(Value::as_str).unwrap_or("");
            let cid = st.find_container(c)?;
            let name = st.networks[&nid].name.clone();
            let Some(ct) = st.containers.get_mut(&cid) else { return Err(err(404, format!("No such container: {c}"))) };
            if ct.networks.remove(&name).is_none() {
                return Err(err(403, format!("container {cid} is not connected to network {name}")));
            }
            st.event("network", "disconnect", &nid, &[("container", cid), ("name", name)]);
            Ok(Reply::Empty(200))
        }
        // Volumes.
        ("GET", ["volumes"]) => {
            let filters = q.filters()?;
            let dangling = filters.get("dangling").and_then(|d| d.first()).map(|d| d == "true" || d == "1");
            let vols: Vec<Value> = st
                .volumes
                .values()
                .filter(|v| match dangling {
                    Some(want) => want != volume_used(st, &v.name),
                    None => true,
                })
                .filter(|v| filters.get("name").is_none_or(|n| n.iter().any(|n| v.name.contains(n.as_str()))))
                .map(volume_json)
                .collect();
            Ok(Reply::Json(200, json!({"Volumes": vols, "Warnings": null})))
        }
        ("POST", ["volumes", "create"]) => {
            let v = body_json(body)?;
            let name = v.get("Name").and_then(Value::as_str).unwrap_or("").to_string();
            let labels = map(v.get("Labels").unwrap_or(&Value::Null));
            let name = create_volume(st, &name, labels)?;
            Ok(Reply::Json(201, volume_json(&st.volumes[&name])))
        }
        ("POST", ["volumes", "prune"]) => {
            let unused: Vec<String> = st
                .volumes
                .values()
                .filter(|v| v.anonymous || q.filters().ok().and_then(|f| f.get("all").cloned()).is_some())
                .filter(|v| !volume_used(st, &v.name))
                .map(|v| v.name.clone())
                .collect();
            for n in &unused {
                st.volumes.remove(n);
            }
            Ok(Reply::Json(200, json!({"VolumesDeleted": nullable_list(unused), "SpaceReclaimed": 0})))
        }
        ("GET", ["volumes", name]) => {
            let v = st.volumes.get(*name).ok_or_else(|| err(404, "get ".to_string() + name + ": no such volume"))?;
            Ok(Reply::Json(200, volume_json(v)))
        }
        ("DELETE", ["volumes", name]) => {
            if !st.volumes.contains_key(*name) {
                return Err(err(404, format!("get {name}: no such volume")));
            }
            let users: Vec<String> = st
                .containers
                .values()
                .filter(|c| c.mounts.iter().any(|m| m.kind == "volume" && m.source == *name))
                .map(|c| c.id.clone())
                .collect();
            if !users.is_empty() {
                return Err(err(409, format!("remove {name}: volume is in use - [{}]", users.join(", "))));
            }
            st.volumes.remove(*name);
            st.event("volume", "destroy", name, &[("driver", "local".into())]);
            Ok(Reply::Empty(204))
        }
        ("GET" | "POST" | "PUT" | "DELETE" | "HEAD", _) => Err(err(404, "page not found")),
        _ => Err(err(405, format!("method {method} not allowed"))),
    }
}

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
    v.build_time = rfc3339(crate::sim::EPOCH_MS);
    let mut value = serde_json::to_value(&v).unwrap_or(Value::Null);
    value["Platform"] = json!({"Name": format!("Docker Engine - dockhand simulation ({})", st.name)});
    value["Components"] = json!([
        {"Name": "Engine", "Version": ENGINE_VERSION, "Details": {"ApiVersion": API_VERSION, "Arch": "amd64", "BuildTime": rfc3339(crate::sim::EPOCH_MS), "Experimental": "false", "GitCommit": "dockhand", "GoVersion": "go1.22.0", "KernelVersion": "6.1.0-sim", "MinAPIVersion": "1.12", "Os": "linux"}},
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
        "Swarm": {"NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive", "ControlAvailable": false, "Error": "", "RemoteManagers": null},
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
        ],
    )
}

fn image_size_shared(st: &State, id: &str) -> u64 {
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

fn auth(st: &mut State, body: &[u8]) -> R {
    let v = body_json(body)?;
    let user = v.get("username").and_then(Value::as_str).unwrap_or("");
    let pass = v.get("password").and_then(Value::as_str).unwrap_or("");
    if user.is_empty() || pass.is_empty() {
        return Err(err(401, "Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password"));
    }
    st.registry.logins.insert(user.to_string());
    Ok(Reply::Json(200, json!({"Status": "Login Succeeded", "IdentityToken": ""})))
}

fn events(engine: &Engine, q: &Query) -> R {
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
        let mut out = Vec::new();
        let mut next = start;
        for e in st.events.iter().skip(idx) {
            next += 1;
            if until.is_some_and(|u| e.time_ms > u) {
                return Poll::Ready(if out.is_empty() { None } else { Some(Bytes::from(out)) });
            }
            if !event_matches(e, &filters) {
                continue;
            }
            out.extend_from_slice(event_json(e).to_string().as_bytes());
            out.push(b'\n');
        }
        cursor = Some(next);
        if !out.is_empty() {
            return Poll::Ready(Some(Bytes::from(out)));
        }
        if until.is_some_and(|u| st.clock_ms >= u) {
            return Poll::Ready(None);
        }
        Poll::Pending
    });
    Ok(Reply::Stream(200, "application/json", body))
}

fn event_matches(e: &Event, f: &BTreeMap<String, Vec<String>>) -> bool {
    f.iter().all(|(k, vals)| {
        vals.is_empty()
            || vals.iter().any(|v| match k.as_str() {
                "type" => &e.typ == v,
                "event" | "action" => &e.action == v || e.action.starts_with(&format!("{v}:")),
                "container" => {
                    e.typ == "container" && (e.actor_id.starts_with(v.as_str()) || e.attributes.get("name") == Some(v))
                }
                "image" => e.attributes.get("image") == Some(v) || e.actor_id == *v,
                "network" => e.typ == "network" && (e.actor_id == *v || e.attributes.get("name") == Some(v)),
                "volume" => e.typ == "volume" && e.actor_id == *v,
                "label" => true,
                _ => true,
            })
    })
}

/// An event as the API writes it.
pub fn event_json(e: &Event) -> Value {
    let mut v = json!({
        "Type": e.typ, "Action": e.action,
        "Actor": {"ID": e.actor_id, "Attributes": e.attributes},
        "scope": "local", "time": e.time_ms / 1000, "timeNano": u128::from(e.time_ms) * 1_000_000,
    });
    if e.typ == "container" {
        v["status"] = json!(e.action);
        v["id"] = json!(e.actor_id);
        if let Some(i) = e.attributes.get("image") {
            v["from"] = json!(i);
        }
    }
    v
}

// ---------------------------------------------------------------- containers

fn command_of(c: &Container) -> String {
    let argv: Vec<&String> = c.entrypoint.iter().chain(c.cmd.iter()).collect();
    let Some((first, rest)) = argv.split_first() else { return String::new() };
    let args: Vec<String> =
        rest.iter().map(|a| if a.contains(' ') { format!("'{a}'") } else { a.to_string() }).collect();
    if args.is_empty() { first.to_string() } else { format!("{first} {}", args.join(" ")) }
}

/// `Up 5 seconds`, `Exited (0) 3 seconds ago`, ...
pub fn status_text(st: &State, c: &Container) -> String {
    let now = st.clock_ms;
    match c.status {
        Status::Created => "Created".into(),
        Status::Running => {
            format!("Up {}", crate::util::human_duration(now.saturating_sub(c.started_ms.unwrap_or(now))))
        }
        Status::Paused => {
            format!("Up {} (Paused)", crate::util::human_duration(now.saturating_sub(c.started_ms.unwrap_or(now))))
        }
        Status::Restarting => format!(
            "Restarting ({}) {} ago",
            c.exit_code,
            crate::util::human_duration(now.saturating_sub(c.finished_ms.unwrap_or(now)))
        ),
        Status::Removing => "Removal In Progress".into(),
        Status::Exited => format!(
            "Exited ({}) {} ago",
            c.exit_code,
            crate::util::human_duration(now.saturating_sub(c.finished_ms.unwrap_or(now)))
        ),
        Status::Dead => "Dead".into(),
    }
}

fn ports_json(c: &Container, running: bool) -> Value {
    let mut out = Vec::new();
    let published = |port: &str| c.ports.iter().any(|p| p.container_port == port);
    for p in &c.ports {
        let (port, proto) = p.container_port.split_once('/').unwrap_or((&p.container_port, "tcp"));
        let private: u16 = port.parse().unwrap_or(0);
        if running {
            out.push(json!({"IP": "0.0.0.0", "PrivatePort": private, "PublicPort": p.host_port, "Type": proto}));
            out.push(json!({"IP": "::", "PrivatePort": private, "PublicPort": p.host_port, "Type": proto}));
        }
    }
    for e in &c.exposed_ports {
        if published(e) && running {
            continue;
        }
        let (port, proto) = e.split_once('/').unwrap_or((e, "tcp"));
        out.push(json!({"PrivatePort": port.parse::<u16>().unwrap_or(0), "Type": proto}));
    }
    json!(out)
}

fn endpoint_json(ep: &Endpoint) -> Value {
    json!({
        "IPAMConfig": null, "Links": null, "Aliases": if ep.aliases.is_empty() { Value::Null } else { json!(ep.aliases) },
        "NetworkID": ep.network_id, "EndpointID": if ep.ip.is_empty() { "" } else { ep.endpoint_id.as_str() },
        "Gateway": ep.gateway, "IPAddress": ep.ip, "IPPrefixLen": if ep.ip.is_empty() { 0 } else { 16 },
        "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "MacAddress": ep.mac, "DriverOpts": null,
    })
}

fn mounts_json(st: &State, c: &Container) -> Value {
    json!(c.mounts.iter().map(|m| {
        if m.kind == "volume" {
            json!({"Type": "volume", "Name": m.source, "Source": format!("/var/lib/docker/volumes/{}/_data", m.source), "Destination": m.destination, "Driver": "local", "Mode": if m.rw { "z" } else { "ro" }, "RW": m.rw, "Propagation": ""})
        } else {
            let _ = st;
            json!({"Type": "bind", "Source": m.source, "Destination": m.destination, "Mode": "", "RW": m.rw, "Propagation": "rprivate"})
        }
    }).collect::<Vec<_>>())
}

fn container_summary(st: &State, c: &Container) -> Value {
    let running = matches!(c.status, Status::Running | Status::Paused);
    let nets: serde_json::Map<String, Value> =
        object_of(c.networks.iter().map(|(n, ep)| (n.clone(), endpoint_json(ep))));
    doc(
        "{}",
        vec![
            ("Id", text(&c.id)),
            ("Names", Value::Array(vec![Value::String(format!("/{}", c.name))])),
            ("Image", text(&c.image_ref)),
            ("ImageID", text(&c.image_id)),
            ("Command", Value::String(command_of(c))),
            ("Created", Value::from(c.created_ms / 1000)),
            ("Ports", ports_json(c, running)),
            ("Labels", string_map(&c.labels)),
            ("State", text(c.status.as_str())),
            ("Status", Value::String(status_text(st, c))),
            ("HostConfig/NetworkMode", text(&c.network_mode)),
            ("NetworkSettings/Networks", Value::Object(nets)),
            ("Mounts", mounts_json(st, c)),
        ],
    )
}

fn list_containers(st: &State, q: &Query) -> R {
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

/// dockerd's rule for container and volume names,
/// `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`: two characters at least, so `a` is refused.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() >= 2
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

fn create_volume(st: &mut State, name: &str, labels: BTreeMap<String, String>) -> Result<String, ApiErr> {
    let (name, anonymous) = if name.is_empty() { (st.new_id(), true) } else { (name.to_string(), false) };
    if !valid_name(&name) {
        return Err(err(
            400,
            format!(
                "create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
            ),
        ));
    }
    if !st.volumes.contains_key(&name) {
        st.volumes.insert(
            name.clone(),
            Volume {
                name: name.clone(),
                driver: "local".into(),
                labels,
                created_ms: st.clock_ms,
                files: Fs::new(),
                anonymous,
            },
        );
        st.event("volume", "create", &name, &[("driver", "local".into())]);
    }
    Ok(name)
}

fn volume_used(st: &State, name: &str) -> bool {
    st.containers.values().any(|c| c.mounts.iter().any(|m| m.kind == "volume" && m.source == name))
}

fn volume_json(v: &Volume) -> Value {
    json!({
        "CreatedAt": rfc3339(v.created_ms), "Driver": v.driver, "Labels": if v.labels.is_empty() { Value::Null } else { json!(v.labels) },
        "Mountpoint": format!("/var/lib/docker/volumes/{}/_data", v.name), "Name": v.name, "Options": null, "Scope": "local",
    })
}

fn create_container(st: &mut State, q: &Query, body: &[u8]) -> R {
    let v = body_json(body)?;
    let image_ref = v.get("Image").and_then(Value::as_str).unwrap_or("").to_string();
    if image_ref.is_empty() {
        return Err(err(400, "No command specified"));
    }
    let name = q.get("name").unwrap_or("").trim_start_matches('/').to_string();
    if !name.is_empty() && !valid_name(&name) {
        return Err(err(400, format!("Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")));
    }
    let Some(image_id) = st.find_image(&image_ref) else {
        let shown = match Reference::parse(&image_ref) {
            Some(r) if r.digest.is_none() => r.key(),
            _ => image_ref.clone(),
        };
        return Err(err(404, format!("No such image: {shown}")));
    };
    if !name.is_empty()
        && let Some(other) = st.containers.values().find(|c| c.name == name)
    {
        return Err(err(
            409,
            format!(
                "Conflict. The container name \"/{name}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
                other.id
            ),
        ));
    }
    let image = st.images[&image_id].clone();
    let hc = v.get("HostConfig").cloned().unwrap_or(Value::Null);
    let mut ports = Vec::new();
    if let Some(pb) = hc.get("PortBindings").and_then(Value::as_object) {
        for (cport, binds) in pb {
            let cport = if cport.contains('/') { cport.clone() } else { format!("{cport}/tcp") };
            for b in binds.as_array().into_iter().flatten() {
                let hp = b.get("HostPort").and_then(Value::as_str).unwrap_or("");
                let host_port: u16 = if hp.is_empty() {
                    // The first free port of the ephemeral range, as
                    // dockerd's allocator gives them out.
                    let taken = |port: u16| {
                        ports.iter().any(|p: &PortBinding| p.host_port == port)
                            || st.containers.values().any(|c| c.ports.iter().any(|p| p.host_port == port))
                    };
                    (32768..=60999).find(|&port| !taken(port)).unwrap_or(32768)
                } else {
                    hp.parse().map_err(|_| err(400, format!("invalid port specification: \"{hp}\"")))?
                };
                if host_port == 0 {
                    return Err(err(400, format!("invalid port specification: \"{hp}\"")));
                }
                let ip = b.get("HostIp").and_then(Value::as_str).unwrap_or("").to_string();
                ports.push(PortBinding {
                    container_port: cport.clone(),
                    host_ip: if ip.is_empty() { "0.0.0.0".into() } else { ip },
                    host_port,
                });
            }
        }
    }
    let mut exposed: BTreeSet<String> = image.config.exposed_ports.clone();
    if let Some(e) = v.get("ExposedPorts").and_then(Value::as_object) {
        exposed.extend(e.keys().map(|k| if k.contains('/') { k.clone() } else { format!("{k}/tcp") }));
    }
    for p in &ports {
        exposed.insert(p.container_port.clone());
    }
    let mut mounts = Vec::new();
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
    for b in binds {
        let parts: Vec<&str> = b.split(':').collect();
        let (src, dst, mode) = match parts.as_slice() {
            [s, d] => (*s, *d, ""),
            [s, d, m] => (*s, *d, *m),
            _ => return Err(err(400, format!("invalid mount config for type \"volume\": invalid specification: {b}"))),
        };
        if !dst.starts_with('/') {
            return Err(err(
                400,
                format!("invalid mount config: invalid mount path: '{dst}' mount path must be absolute"),
            ));
        }
        let rw = !mode.split(',').any(|m| m == "ro");
        if src.starts_with('/') {
            mounts.push(Mount {
                kind: "bind".into(),
                source: src.into(),
                destination: crate::fs::normalize("/", dst),
                rw,
            });
        } else {
            let name = create_volume(st, src, BTreeMap::new())?;
            mounts.push(Mount { kind: "volume".into(), source: name, destination: crate::fs::normalize("/", dst), rw });
        }
    }
    let mut anon: Vec<String> = image.config.volumes.iter().cloned().collect();
    if let Some(vs) = v.get("Volumes").and_then(Value::as_object) {
        anon.extend(vs.keys().cloned());
    }
    for dest in anon {
        let dest = crate::fs::normalize("/", &dest);
        if mounts.iter().any(|m| m.destination == dest) {
            continue;
        }
        let name = create_volume(st, "", BTreeMap::new())?;
        mounts.push(Mount { kind: "volume".into(), source: name, destination: dest, rw: true });
    }
    // Copy the image's content into new volumes (docker does it for empty volumes).
    for m in mounts.iter().filter(|m| m.kind == "volume") {
        if st.volumes.get(&m.source).is_some_and(|v| v.files.is_empty()) {
            let prefix = format!("{}/", m.destination);
            let mut copied = Fs::new();
            for d in &image.layers {
                if let Some(l) = st.layers.get(d) {
                    for (k, n) in &l.files {
                        if let Some(rest) = k.strip_prefix(&prefix) {
                            copied.insert(format!("/{rest}"), n.clone());
                        }
                    }
                }
            }
            if let Some(vol) = st.volumes.get_mut(&m.source) {
                vol.files = copied;
            }
        }
    }
    let entrypoint = match v.get("Entrypoint") {
        Some(Value::Null) | None => image.config.entrypoint.clone(),
        // `--entrypoint ""`: none at all, not the image's (as dockerd).
        Some(e) => match strs(e) {
            only if only == [""] => Vec::new(),
            entrypoint => entrypoint,
        },
    };
    let cmd = match v.get("Cmd") {
        Some(Value::Null) | None => {
            if matches!(v.get("Entrypoint"), Some(e) if !e.is_null()) {
                Vec::new()
            } else {
                image.config.cmd.clone()
            }
        }
        Some(c) => strs(c),
    };
    if entrypoint.is_empty() && cmd.is_empty() {
        return Err(err(400, "No command specified"));
    }
    let mut env = image.config.env.clone();
    for kv in strs(v.get("Env").unwrap_or(&Value::Null)) {
        let key = kv.split('=').next().unwrap_or("").to_string();
        env.retain(|e| e.split('=').next() != Some(key.as_str()));
        if kv.contains('=') {
            env.push(kv);
        }
    }
    // `--add-host foo:1.2.3.4` arrives as `foo:1.2.3.4`; /etc/hosts has
    // `1.2.3.4\tfoo`.
    let mut extra_hosts = Vec::new();
    for h in strs(hc.get("ExtraHosts").unwrap_or(&Value::Null)) {
        let Some((host, ip)) = h.split_once(':') else {
            return Err(err(400, format!("invalid extra host: {h}")));
        };
        extra_hosts.push(format!("{ip}\t{host}"));
    }
    let mut tmpfs = Map::new();
    for dest in hc.get("Tmpfs").and_then(Value::as_object).into_iter().flat_map(|o| o.keys()) {
        if !dest.starts_with('/') {
            return Err(err(
                400,
                format!("invalid mount config: invalid mount path: '{dest}' mount path must be absolute"),
            ));
        }
        tmpfs.insert(crate::fs::normalize("/", dest), Fs::new());
    }
    let id = st.new_id();
    let name = if name.is_empty() { st.random_name() } else { name };
    let mut labels = image.config.labels.clone();
    labels.extend(map(v.get("Labels").unwrap_or(&Value::Null)));
    let network_mode = hc
        .get("NetworkMode")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty() && *m != "default")
        .unwrap_or("bridge")
        .to_string();
    let hostname = v
        .get("Hostname")
        .and_then(Value::as_str)
        .filter(|h| !h.is_empty())
        .map(String::from)
        .unwrap_or_else(|| id[..12].to_string());
    let restart = hc.get("RestartPolicy").cloned().unwrap_or(Value::Null);
    let restart_policy =
        restart.get("Name").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("no").to_string();
    if !matches!(restart_policy.as_str(), "no" | "always" | "unless-stopped" | "on-failure") {
        return Err(err(400, format!("invalid restart policy '{restart_policy}'")));
    }
    let auto_remove = hc.get("AutoRemove").and_then(Value::as_bool).unwrap_or(false);
    if auto_remove && restart_policy != "no" {
        return Err(err(400, "conflicting options: cannot specify both --restart and --rm"));
    }
    let net_id = match network_mode.as_str() {
        "host" | "none" | "bridge" => st.find_network(&network_mode)?,
        m if m.starts_with("container:") => {
            return Err(err(400, "the simulation does not support container: network mode"));
        }
        m => st.find_network(m)?,
    };
    let c = Container {
        id: id.clone(),
        name: name.clone(),
        image_ref: image_ref.clone(),
        image_id: image_id.clone(),
        entrypoint,
        cmd,
        env,
        workdir: v
            .get("WorkingDir")
            .and_then(Value::as_str)
            .filter(|w| !w.is_empty())
            .map(String::from)
            .unwrap_or(image.config.workdir.clone()),
        user: v
            .get("User")
            .and_then(Value::as_str)
            .filter(|w| !w.is_empty())
            .map(String::from)
            .unwrap_or(image.config.user.clone()),
        hostname,
        labels,
        tty: v.get("Tty").and_then(Value::as_bool).unwrap_or(false),
        open_stdin: v.get("OpenStdin").and_then(Value::as_bool).unwrap_or(false),
        exposed_ports: exposed,
        ports,
        mounts,
        auto_remove,
        restart_policy,
        restart_max: restart.get("MaximumRetryCount").and_then(Value::as_i64).unwrap_or(0),
        memory: hc.get("Memory").and_then(Value::as_i64).unwrap_or(0).max(0),
        nano_cpus: hc.get("NanoCpus").and_then(Value::as_i64).unwrap_or(0).max(0),
        network_mode: network_mode.clone(),
        status: Status::Created,
        pid: 0,
        exit_code: 0,
        error: String::new(),
        created_ms: st.clock_ms,
        started_ms: None,
        finished_ms: None,
        restart_count: 0,
        stopped_by_user: false,
        starts: 0,
        exits: 0,
        networks: Map::new(),
        rw: Fs::new(),
        provided: Map::new(),
        read_only: hc.get("ReadonlyRootfs").and_then(Value::as_bool).unwrap_or(false),
        extra_hosts,
        tmpfs,
        processes: Vec::new(),
        logs: Vec::new(),
        next_pid: 2,
        kv: BTreeMap::new(),
        requests: 0,
    };
    st.containers.insert(id.clone(), c);
    let aliases = v
        .pointer(&format!(
            "/NetworkingConfig/EndpointsConfig/{}/Aliases",
            network_mode.replace('~', "~0").replace('/', "~1")
        ))
        .map(strs)
        .unwrap_or_default();
    st.connect(&id, &net_id, aliases)?;
    st.event("container", "create", &id, &[("name", name), ("image", image_ref)]);
    Ok(Reply::Json(201, json!({"Id": id, "Warnings": []})))
}

fn start(st: &mut State, id: &str) -> R {
    let cid = st.find_container(id)?;
    let c = &st.containers[&cid];
    if c.status != Status::Running {
        for p in &c.ports {
            if let Some(other) = st.containers.values().find(|o| {
                o.id != cid
                    && matches!(o.status, Status::Running | Status::Paused)
                    && o.ports.iter().any(|op| op.host_port == p.host_port)
            }) {
                let _ = other;
                return Err(err(
                    500,
                    format!(
                        "driver failed programming external connectivity on endpoint {} ({}): Bind for 0.0.0.0:{} failed: port is already allocated",
                        c.name,
                        &cid[..64.min(cid.len())],
                        p.host_port
                    ),
                ));
            }
        }
    }
    Ok(Reply::Empty(if st.start(&cid)? { 204 } else { 304 }))
}

fn pause(st: &mut State, id: &str, pause: bool) -> R {
    let cid = st.find_container(id)?;
    let c = st.containers.get_mut(&cid).ok_or_else(|| err(404, format!("No such container: {id}")))?;
    match (pause, c.status) {
        (true, Status::Running) => c.status = Status::Paused,
        (true, Status::Paused) => return Err(err(409, format!("Container {cid} is already paused"))),
        (true, _) => return Err(err(409, format!("Container {cid} is not running"))),
        (false, Status::Paused) => c.status = Status::Running,
        (false, _) => return Err(err(409, format!("Container {cid} is not paused"))),
    }
    let name = c.name.clone();
    st.event("container", if pause { "pause" } else { "unpause" }, &cid, &[("name", name)]);
    Ok(Reply::Empty(204))
}

fn rename(st: &mut State, id: &str, q: &Query) -> R {
    let cid = st.find_container(id)?;
    let new = q.get("name").unwrap_or("").trim_start_matches('/').to_string();
    if !valid_name(&new) {
        return Err(err(400, format!("Invalid container name ({new}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")));
    }
    if let Some(other) = st.containers.values().find(|c| c.name == new) {
        return Err(err(
            409,
            format!(
                "Error when allocating new name: Conflict. The container name \"/{new}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
                other.id
            ),
        ));
    }
    if let Some(c) = st.containers.get_mut(&cid) {
        c.name = new.clone();
    }
    st.event("container", "rename", &cid, &[("name", new)]);
    Ok(Reply::Empty(204))
}

fn prune_containers(st: &mut State) -> R {
    let gone: Vec<String> = st
        .containers
        .values()
        .filter(|c| matches!(c.status, Status::Exited | Status::Created | Status::Dead))
        .map(|c| c.id.clone())
        .collect();
    let mut reclaimed = 0;
    for id in &gone {
        reclaimed += st.containers.get(id).map(|c| files_size(&c.rw)).unwrap_or(0);
        let _ = st.remove(id, false, false);
    }
    Ok(Reply::Json(200, json!({"ContainersDeleted": nullable_list(gone), "SpaceReclaimed": reclaimed})))
}

fn inspect_container(st: &State, id: &str) -> R {
    let cid = st.find_container(id)?;
    let c = &st.containers[&cid];
    let running = matches!(c.status, Status::Running | Status::Paused);
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
                a.push(json!({"HostIp": "0.0.0.0", "HostPort": p.host_port.to_string()}));
                a.push(json!({"HostIp": "::", "HostPort": p.host_port.to_string()}));
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
    let nets: serde_json::Map<String, Value> =
        object_of(c.networks.iter().map(|(n, ep)| (n.clone(), endpoint_json(ep))));
    let bridge = c.networks.get("bridge");
    let argv: Vec<String> = c.entrypoint.iter().chain(c.cmd.iter()).cloned().collect();
    let exec_ids: Vec<String> = st.execs.values().filter(|e| e.container_id == cid).map(|e| e.id.clone()).collect();
    let binds: Vec<String> = c
        .mounts
        .iter()
        .filter(|m| m.kind == "bind")
        .map(|m| format!("{}:{}{}", m.source, m.destination, if m.rw { "" } else { ":ro" }))
        .collect();
    // As given (`foo:1.2.3.4`), where /etc/hosts has `1.2.3.4\tfoo`.
    let extra_hosts = match c.extra_hosts.as_slice() {
        [] => Value::Null,
        lines => lines
            .iter()
            .map(|l| l.split_once('\t').map(|(ip, host)| format!("{host}:{ip}")).unwrap_or_default())
            .collect(),
    };
    let v = doc(
        r#"{
        "State": {"OOMKilled": false},
        "Driver": "overlay2", "Platform": "linux",
        "MountLabel": "", "ProcessLabel": "", "AppArmorProfile": "docker-default",
        "HostConfig": {
            "ContainerIDFile": "",
            "LogConfig": {"Type": "json-file", "Config": {}},
            "VolumeDriver": "", "VolumesFrom": null, "CapAdd": null, "CapDrop": null, "CgroupnsMode": "private", "Dns": [],
            "DnsOptions": [], "DnsSearch": [], "GroupAdd": null, "IpcMode": "private", "Cgroup": "",
            "Links": null, "OomScoreAdj": 0, "PidMode": "", "Privileged": false, "PublishAllPorts": false,
            "SecurityOpt": null, "UTSMode": "", "UsernsMode": "", "ShmSize": 67108864,
            "Runtime": "runc", "ConsoleSize": [0, 0], "Isolation": "", "CpuShares": 0, "Memory": 0, "NanoCpus": 0,
            "CgroupParent": "", "BlkioWeight": 0, "CpuPeriod": 0, "CpuQuota": 0, "CpusetCpus": "", "CpusetMems": "",
            "Devices": [], "MemoryReservation": 0, "MemorySwap": 0, "OomKillDisable": false, "PidsLimit": null, "Ulimits": null
        },
        "GraphDriver": {"Name": "overlay2"},
        "Config": {
            "Domainname": "", "AttachStdin": false, "AttachStdout": true,
            "AttachStderr": true, "StdinOnce": false, "Volumes": null, "OnBuild": null
        },
        "NetworkSettings": {
            "Bridge": "", "HairpinMode": false, "LinkLocalIPv6Address": "", "LinkLocalIPv6PrefixLen": 0,
            "SecondaryIPAddresses": null, "SecondaryIPv6Addresses": null, "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
            "IPv6Gateway": ""
        }
        }"#,
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
            ("ResolvConfPath", Value::String(format!("/var/lib/docker/containers/{cid}/resolv.conf"))),
            ("HostnamePath", Value::String(format!("/var/lib/docker/containers/{cid}/hostname"))),
            ("HostsPath", Value::String(format!("/var/lib/docker/containers/{cid}/hosts"))),
            ("LogPath", Value::String(format!("/var/lib/docker/containers/{cid}/{cid}-json.log"))),
            ("Name", Value::String(format!("/{}", c.name))),
            ("RestartCount", Value::from(c.restart_count)),
            ("ExecIDs", if exec_ids.is_empty() { Value::Null } else { json!(exec_ids) }),
            ("HostConfig/Binds", if binds.is_empty() { Value::Null } else { json!(binds) }),
            ("HostConfig/NetworkMode", text(&c.network_mode)),
            ("HostConfig/PortBindings", Value::Object(pb)),
            ("HostConfig/RestartPolicy/Name", text(&c.restart_policy)),
            ("HostConfig/Memory", Value::from(c.memory)),
            ("HostConfig/NanoCpus", Value::from(c.nano_cpus)),
            ("HostConfig/RestartPolicy/MaximumRetryCount", Value::from(c.restart_max)),
            ("HostConfig/AutoRemove", Value::from(c.auto_remove)),
            ("HostConfig/ReadonlyRootfs", Value::from(c.read_only)),
            ("HostConfig/ExtraHosts", extra_hosts),
            (
                "GraphDriver/Data/MergedDir",
                json!(format!("/var/lib/docker/overlay2/{}/merged", &cid[..32.min(cid.len())])),
            ),
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
    if !c.tmpfs.is_empty() {
        v["HostConfig"]["Tmpfs"] = Value::Object(c.tmpfs.keys().map(|k| (k.clone(), text(""))).collect());
    }
    Ok(Reply::Json(200, v))
}

fn top(st: &State, id: &str) -> R {
    let cid = st.find_container(id)?;
    let c = &st.containers[&cid];
    if !matches!(c.status, Status::Running | Status::Paused) {
        return Err(err(409, format!("Container {cid} is not running")));
    }
    let procs: Vec<Value> = c
        .processes
        .iter()
        .map(|p| {
            json!([
                if p.user == "nginx" { "101" } else { "root" },
                p.host_pid.to_string(),
                if p.pid == 1 { "0".to_string() } else { c.pid.to_string() },
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

fn stats(st: &State, id: &str) -> R {
    let cid = st.find_container(id)?;
    let c = &st.containers[&cid];
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
            ("id", text(&cid)),
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
    Ok(Reply::Json(200, v))
}

fn logs(engine: &Engine, cid: &str, q: &Query) -> R {
    let (stdout, stderr) = (q.flag("stdout"), q.flag("stderr"));
    if !stdout && !stderr {
        return Err(err(400, "Bad parameters: you must choose at least one stream"));
    }
    let follow = q.flag("follow");
    let timestamps = q.flag("timestamps");
    let tail: Option<usize> = q.get("tail").filter(|t| *t != "all").and_then(|t| t.parse().ok());
    let since_ms = q.get("since").and_then(|s| s.split('.').next()?.parse::<u64>().ok()).map(|s| s * 1000);
    let (tty, starts0) = {
        let st = engine.lock();
        // Resolved under an earlier lock: another request may have removed it since.
        let c = st.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        (c.tty, c.starts)
    };
    let _ = starts0;
    let cid = cid.to_string();
    let mut cursor: Option<usize> = None;
    let render = move |entries: &[LogEntry]| -> Vec<u8> {
        let mut out = Vec::new();
        for e in entries {
            if (e.stream == 1 && !stdout) || (e.stream == 2 && !stderr) || since_ms.is_some_and(|s| e.time_ms < s) {
                continue;
            }
            let text = if timestamps {
                e.text.split_inclusive('\n').map(|l| format!("{} {l}", rfc3339(e.time_ms))).collect::<String>()
            } else {
                e.text.clone()
            };
            if tty { out.extend_from_slice(text.as_bytes()) } else { out.extend(frame(e.stream, text.as_bytes())) }
        }
        out
    };
    let body = engine.clone().watch(move |st| {
        let Some(c) = st.containers.get(&cid) else {
            return Poll::Ready(None);
        };
        let start = match cursor {
            Some(c) => c,
            None => {
                // Split into lines for --tail.
                let lines: Vec<LogEntry> = c
                    .logs
                    .iter()
                    .flat_map(|e| {
                        e.text
                            .split_inclusive('\n')
                            .map(|l| LogEntry { stream: e.stream, text: l.to_string(), time_ms: e.time_ms })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let skip = tail.map(|t| lines.len().saturating_sub(t)).unwrap_or(0);
                cursor = Some(c.logs.len());
                let out = render(&lines[skip..]);
                if !follow {
                    return Poll::Ready(if out.is_empty() { None } else { Some(Bytes::from(out)) }).map(|o| {
                        cursor = Some(usize::MAX);
                        o
                    });
                }
                if !out.is_empty() {
                    return Poll::Ready(Some(Bytes::from(out)));
                }
                c.logs.len()
            }
        };
        if start == usize::MAX {
            return Poll::Ready(None);
        }
        let start = start.min(c.logs.len());
        if start < c.logs.len() {
            cursor = Some(c.logs.len());
            let out = render(&c.logs[start..]);
            if !out.is_empty() {
                return Poll::Ready(Some(Bytes::from(out)));
            }
        }
        if !matches!(c.status, Status::Running | Status::Paused | Status::Restarting) {
            return Poll::Ready(None);
        }
        Poll::Pending
    });
    // API 1.41 calls both raw-stream; the frames say which it is.
    let ct = "application/vnd.docker.raw-stream";
    Ok(Reply::Stream(200, ct, body))
}

fn wait(engine: &Engine, cid: &str, condition: &str) -> R {
    let (exits0, was_running) = {
        let st = engine.lock();
        let c = st.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        (c.exits, matches!(c.status, Status::Running | Status::Paused | Status::Restarting))
    };
    let _ = was_running;
    let cid = cid.to_string();
    let condition = condition.to_string();
    let mut done = false;
    let body = engine.clone().watch(move |st| {
        if done {
            return Poll::Ready(None);
        }
        let c = st.containers.get(&cid);
        let code = c.map(|c| c.exit_code).unwrap_or_else(|| st.graveyard.get(&cid).map(|g| g.exit_code).unwrap_or(0));
        let ready = match condition.as_str() {
            "removed" => c.is_none(),
            "next-exit" => c.is_none_or(|c| c.exits > exits0),
            _ => c.is_none_or(|c| !matches!(c.status, Status::Running | Status::Paused | Status::Restarting)),
        };
        if ready {
            done = true;
            return Poll::Ready(Some(Bytes::from(format!("{{\"Error\":null,\"StatusCode\":{code}}}\n"))));
        }
        Poll::Pending
    });
    Ok(Reply::Stream(200, "application/json", body))
}

fn attach(engine: &Engine, cid: &str, q: &Query) -> R {
    let (stdout, stderr) = (q.flag("stdout"), q.flag("stderr"));
    let with_logs = q.flag("logs");
    let (tty, starts0, was_running, len0) = {
        let st = engine.lock();
        let c = st.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        (c.tty, c.starts, matches!(c.status, Status::Running | Status::Paused), c.logs.len())
    };
    let cid2 = cid.to_string();
    let mut cursor = if with_logs { 0 } else { len0 };
    let body = engine.clone().watch(move |st| {
        let (logs, alive, started_since) = match st.containers.get(&cid2) {
            Some(c) => (
                &c.logs,
                matches!(c.status, Status::Running | Status::Paused | Status::Restarting),
                c.starts > starts0 || was_running,
            ),
            None => match st.graveyard.get(&cid2) {
                Some(removed) => (&removed.logs, false, true),
                None => return Poll::Ready(None),
            },
        };
        if cursor < logs.len() {
            let mut out = Vec::new();
            for e in &logs[cursor..] {
                if (e.stream == 1 && !stdout) || (e.stream == 2 && !stderr) {
                    continue;
                }
                if tty {
                    out.extend_from_slice(e.text.as_bytes())
                } else {
                    out.extend(frame(e.stream, e.text.as_bytes()))
                }
            }
            cursor = logs.len();
            if !out.is_empty() {
                return Poll::Ready(Some(Bytes::from(out)));
            }
        }
        if !alive && started_since {
            return Poll::Ready(None);
        }
        Poll::Pending
    });
    Ok(Reply::Upgrade(
        if tty { "application/vnd.docker.raw-stream" } else { "application/vnd.docker.multiplexed-stream" },
        body,
        cid.to_string(),
        None,
    ))
}

fn exec_create(st: &mut State, id: &str, body: &[u8]) -> R {
    let cid = st.find_container(id)?;
    let v = body_json(body)?;
    let argv = strs(v.get("Cmd").unwrap_or(&Value::Null));
    if argv.is_empty() {
        return Err(err(400, "No exec command specified"));
    }
    let c = &st.containers[&cid];
    if c.status == Status::Paused {
        // As asked for (dockerd's exec create), where "not running" names the id.
        return Err(err(409, format!("Container {id} is paused, unpause the container before exec")));
    }
    if c.status != Status::Running {
        return Err(err(409, format!("Container {cid} is not running")));
    }
    let id = st.new_id();
    st.execs.insert(
        id.clone(),
        Exec {
            id: id.clone(),
            container_id: cid.clone(),
            argv: argv.clone(),
            tty: v.get("Tty").and_then(Value::as_bool).unwrap_or(false),
            attach_stdin: v.get("AttachStdin").and_then(Value::as_bool).unwrap_or(false),
            running: false,
            exit_code: None,
            output: Vec::new(),
            pid: 0,
            env: strs(v.get("Env").unwrap_or(&Value::Null)),
            workdir: v.get("WorkingDir").and_then(Value::as_str).unwrap_or("").to_string(),
            user: v.get("User").and_then(Value::as_str).unwrap_or("").to_string(),
            started: false,
        },
    );
    st.event("container", &format!("exec_create: {}", argv.join(" ")), &cid, &[("execID", id.clone())]);
    Ok(Reply::Json(201, json!({"Id": id})))
}

fn exec_stream(engine: &Engine, eid: &str, upgrade: bool) -> Reply {
    let (tty, cid) = {
        let st = engine.lock();
        st.execs.get(eid).map(|e| (e.tty, e.container_id.clone())).unwrap_or((false, String::new()))
    };
    let eid2 = eid.to_string();
    let mut cursor = 0;
    let body = engine.clone().watch(move |st| {
        let Some(e) = st.execs.get(&eid2) else { return Poll::Ready(None) };
        if cursor < e.output.len() {
            let mut out = Vec::new();
            for o in &e.output[cursor..] {
                if tty {
                    out.extend_from_slice(o.text.as_bytes())
                } else {
                    out.extend(frame(o.stream, o.text.as_bytes()))
                }
            }
            cursor = e.output.len();
            return Poll::Ready(Some(Bytes::from(out)));
        }
        if !e.running {
            return Poll::Ready(None);
        }
        Poll::Pending
    });
    let ct = if tty { "application/vnd.docker.raw-stream" } else { "application/vnd.docker.multiplexed-stream" };
    if upgrade { Reply::Upgrade(ct, body, cid, Some(eid.to_string())) } else { Reply::Stream(200, ct, body) }
}

fn exec_inspect(st: &State, id: &str) -> R {
    let e = st.execs.get(id).ok_or_else(|| err(404, format!("No such exec instance: {id}")))?;
    let v = json!({
        "CanRemove": false, "ContainerID": e.container_id, "DetachKeys": "", "ExitCode": e.exit_code,
        "ID": e.id, "OpenStderr": true, "OpenStdin": e.attach_stdin, "OpenStdout": true, "Running": e.running,
        "Pid": e.pid,
        "ProcessConfig": {"arguments": e.argv.iter().skip(1).collect::<Vec<_>>(), "entrypoint": e.argv.first(), "privileged": false, "tty": e.tty, "user": e.user},
    });
    Ok(Reply::Json(200, v))
}

fn archive_get(st: &State, id: &str, q: &Query, head: bool) -> R {
    let cid = st.find_container(id)?;
    let path = crate::fs::normalize("/", q.get("path").unwrap_or("/"));
    let node = st
        .read_node(&cid, &path)
        .ok_or_else(|| err(404, format!("Could not find the file {path} in container {id}")))?;
    let name = path.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("/").to_string();
    let mut entries = Vec::new();
    let collect = |p: &str, rel: &str, entries: &mut Vec<crate::util::TarEntry>| match st.read_node(&cid, p) {
        Some(Node::File { data }) => {
            entries.push(crate::util::TarEntry { path: rel.to_string(), dir: false, data: data.into_bytes() })
        }
        Some(Node::Dir) => entries.push(crate::util::TarEntry { path: rel.to_string(), dir: true, data: vec![] }),
        _ => {}
    };
    collect(&path, &name, &mut entries);
    if node == Node::Dir {
        let mut stack = vec![(path.clone(), name.clone())];
        while let Some((dir, rel)) = stack.pop() {
            if entries.len() > 10_000 {
                break;
            }
            for child in st.list_dir(&cid, &dir) {
                let p = format!("{}/{child}", dir.trim_end_matches('/'));
                let r = format!("{rel}/{child}");
                collect(&p, &r, &mut entries);
                if st.read_node(&cid, &p) == Some(Node::Dir) {
                    stack.push((p, r));
                }
            }
        }
    }
    let size = if let Node::File { data } = &node { data.len() } else { 4096 };
    let stat = json!({"name": name, "size": size, "mode": if node == Node::Dir { 2_147_484_141u64 } else { 420 }, "mtime": rfc3339(st.clock_ms), "linkTarget": ""});
    use base64::Engine as _;
    let stat = base64::engine::general_purpose::STANDARD.encode(stat.to_string());
    let tar = if head { Vec::new() } else { crate::util::tar(&entries) };
    Ok(Reply::Archive(tar, stat))
}

fn archive_put(st: &mut State, id: &str, q: &Query, body: &[u8]) -> R {
    let cid = st.find_container(id)?;
    let dir = crate::fs::normalize("/", q.get("path").unwrap_or("/"));
    match st.read_node(&cid, &dir) {
        Some(Node::Dir) => {}
        _ => return Err(err(404, format!("Could not find the file {dir} in container {id}"))),
    }
    let entries = crate::util::untar(body).map_err(|e| err(400, e))?;
    for e in entries {
        let path = crate::fs::normalize(&dir, &e.path);
        let node = if e.dir { Node::Dir } else { Node::File { data: String::from_utf8_lossy(&e.data).into_owned() } };
        st.write_node(&cid, &path, node).map_err(|e| err(500, e))?;
    }
    Ok(Reply::Empty(200))
}

// ---------------------------------------------------------------- images

/// An image in `/images/json` shape.
pub fn image_summary(st: &State, i: &Image) -> Value {
    let tags = st.tags_of(&i.id);
    doc(
        r#"{"Containers": -1, "SharedSize": -1}"#,
        vec![
            ("Created", Value::from(i.created_ms / 1000)),
            ("Id", text(&i.id)),
            ("Labels", if i.config.labels.is_empty() { Value::Null } else { json!(i.config.labels) }),
            ("ParentId", text(&i.parent)),
            (
                "RepoDigests",
                if i.repo_digests.is_empty() && tags.is_empty() {
                    json!(["<none>@<none>"])
                } else {
                    json!(i.repo_digests)
                },
            ),
            ("RepoTags", if tags.is_empty() { json!(["<none>:<none>"]) } else { json!(tags) }),
            ("Size", Value::from(i.size)),
            ("VirtualSize", Value::from(i.size)),
        ],
    )
}

fn list_images(st: &State, q: &Query) -> R {
    let filters = q.filters()?;
    let all = q.flag("all");
    let parents = sorted_set(st.images.values().map(|i| &i.parent));
    let mut list: Vec<&Image> = st.images.values().collect();
    sort_with(&mut list, &|a, b| b.created_ms.cmp(&a.created_ms).then(a.id.cmp(&b.id)));
    let mut out = Vec::new();
    for i in list {
        let tags = st.tags_of(&i.id);
        if !all && tags.is_empty() && parents.contains(&&i.id) {
            continue;
        }
        let ok = filters.iter().all(|(k, vals)| {
            vals.is_empty()
                || vals.iter().any(|v| match k.as_str() {
                    "dangling" => (v == "true") == tags.is_empty(),
                    "reference" => tags.iter().any(|t| matches_reference(v, t)),
                    "label" => match v.split_once('=') {
                        Some((k, val)) => i.config.labels.get(k).is_some_and(|x| x == val),
                        None => i.config.labels.contains_key(v),
                    },
                    "before" | "since" => true,
                    _ => false,
                })
        });
        if ok {
            let mut summary = image_summary(st, i);
            // As dockerd: only the tags the reference filter matched.
            if let Some(patterns) = filters.get("reference").filter(|p| !p.is_empty()) {
                let matched = |t: &&String| patterns.iter().any(|v| matches_reference(v, t));
                summary["RepoTags"] = json!(tags.iter().filter(matched).collect::<Vec<_>>());
            }
            out.push(summary);
        }
    }
    Ok(Reply::Json(200, json!(out)))
}

/// Whether `tag` (`name:tag`) matches a `reference` filter, by its whole
/// text or its name.
fn matches_reference(pattern: &str, tag: &str) -> bool {
    glob(pattern, tag) || glob(pattern, tag.split(':').next().unwrap_or(""))
}

fn glob(pattern: &str, s: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == s,
        Some((a, b)) => {
            s.starts_with(a) && s.len() >= a.len() + b.len() && glob(b, &s[s.len() - b.len()..])
                || (s.starts_with(a) && s.ends_with(b) && !b.contains('*'))
        }
    }
}

fn image_inspect(st: &State, i: &Image) -> Value {
    let tags = st.tags_of(&i.id);
    doc(
        r#"{
        "Container": "", "Author": "", "Architecture": "amd64", "Os": "linux",
        "GraphDriver": {"Data": null, "Name": "overlay2"},
        "RootFS": {"Type": "layers"},
        "Metadata": {"LastTagTime": "0001-01-01T00:00:00Z"}
        }"#,
        vec![
            ("Id", text(&i.id)),
            ("RepoTags", strings(&tags)),
            ("RepoDigests", strings(&i.repo_digests)),
            ("Parent", text(&i.parent)),
            ("Comment", text(&i.comment)),
            ("Created", Value::String(rfc3339(i.created_ms))),
            ("DockerVersion", text(ENGINE_VERSION)),
            ("Config", image_config_json(&i.config)),
            ("ContainerConfig", image_config_json(&i.config)),
            ("Size", Value::from(i.size)),
            ("VirtualSize", Value::from(i.size)),
            ("RootFS/Layers", strings(&i.layers)),
        ],
    )
}

/// An image config in the API's shape.
pub fn image_config_json(c: &ImageConfig) -> Value {
    doc(
        r#"{
        "Hostname": "", "Domainname": "", "AttachStdin": false, "AttachStdout": false, "AttachStderr": false,
        "Tty": false, "OpenStdin": false, "StdinOnce": false, "Image": "", "OnBuild": null
        }"#,
        vec![
            ("User", text(&c.user)),
            ("ExposedPorts", key_set(&c.exposed_ports)),
            ("Env", strings(&c.env)),
            ("Cmd", if c.cmd.is_empty() { Value::Null } else { json!(c.cmd) }),
            ("Volumes", key_set(&c.volumes)),
            ("WorkingDir", text(&c.workdir)),
            ("Entrypoint", if c.entrypoint.is_empty() { Value::Null } else { json!(c.entrypoint) }),
            ("Labels", if c.labels.is_empty() { Value::Null } else { json!(c.labels) }),
        ],
    )
}

/// The image archive endpoints: `docker save`, `load` and `import`.
enum Archive {
    /// `GET /images/get` or `/images/{name}/get`: these images as a tar.
    Save(Vec<String>),
    /// `POST /images/load`.
    Load,
    /// `POST /images/create?fromSrc=-`.
    Import,
}

#[cfg(feature = "image-archives")]
fn archive_route(st: &mut State, which: Archive, q: &Query, body: &[u8]) -> R {
    match which {
        Archive::Save(names) => {
            let tar = crate::archive::save(st, &names)?;
            Ok(Reply::Stream(200, "application/x-tar", dockhand::Body::full(tar)))
        }
        Archive::Load => {
            let lines = match crate::archive::load(st, body, q.flag("quiet")) {
                Ok(lines) => lines,
                Err(e) => vec![json!({"errorDetail": {"message": e}, "error": e})],
            };
            let text: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
            Ok(Reply::Stream(200, "application/json", dockhand::Body::full(text.into_bytes())))
        }
        Archive::Import => {
            let status = crate::archive::import(st, q, body)?;
            Ok(Reply::Stream(200, "application/json", dockhand::Body::full(format!("{status}\r\n").into_bytes())))
        }
    }
}

/// Without the `image-archives` feature (the browser build) the archive
/// endpoints answer 501 and say why.
#[cfg(not(feature = "image-archives"))]
fn archive_route(_: &mut State, which: Archive, _: &Query, _: &[u8]) -> R {
    let what = match which {
        Archive::Save(names) => format!("save {}", names.join(" ")),
        Archive::Load => "load".to_string(),
        Archive::Import => "import".to_string(),
    };
    Err(err(501, format!("docker {what}: image archives are not part of this build of the simulated engine")))
}

fn image_route(st: &mut State, method: &str, rest: &[&str], q: &Query, headers: &http::HeaderMap) -> R {
    let (name, action) = match (method, rest) {
        ("DELETE", r) => (r.join("/"), ""),
        (_, [n @ .., a]) if !n.is_empty() => (n.join("/"), *a),
        _ => return Err(err(404, "page not found")),
    };
    let not_found = || {
        let shown = match Reference::parse(&name) {
            Some(r) if r.digest.is_none() && !name.starts_with("sha256:") => r.key(),
            _ => name.clone(),
        };
        err(404, format!("No such image: {shown}"))
    };
    match (method, action) {
        ("GET", "get") => archive_route(st, Archive::Save(vec![name.clone()]), q, &[]),
        ("GET", "json") => {
            let id = st.find_image(&name).ok_or_else(not_found)?;
            Ok(Reply::Json(200, image_inspect(st, &st.images[&id])))
        }
        ("GET", "history") => {
            let id = st.find_image(&name).ok_or_else(not_found)?;
            let img = &st.images[&id];
            let mut out: Vec<Value> = img
                .history
                .iter()
                .rev()
                .enumerate()
                .map(|(n, h)| json!({"Id": if n == 0 { img.id.clone() } else { "<missing>".to_string() }, "Created": h.created_ms / 1000, "CreatedBy": h.created_by, "Tags": if n == 0 { json!(st.tags_of(&id)) } else { Value::Null }, "Size": h.size, "Comment": h.comment}))
                .collect();
            if out.is_empty() {
                out.push(json!({"Id": img.id, "Created": img.created_ms / 1000, "CreatedBy": "", "Tags": st.tags_of(&id), "Size": img.size, "Comment": ""}));
            }
            Ok(Reply::Json(200, json!(out)))
        }
        ("POST", "tag") => {
            let id = st.find_image(&name).ok_or_else(not_found)?;
            let repo = q.get("repo").unwrap_or("");
            let tag = q.get("tag").filter(|t| !t.is_empty()).unwrap_or("latest");
            let r = Reference::parse(&format!("{repo}:{tag}")).ok_or_else(|| {
                err(400, format!("invalid reference format: repository name ({repo}) must be lowercase"))
            })?;
            st.tags.insert(r.key(), id.clone());
            st.event("image", "tag", &id, &[("name", r.key())]);
            Ok(Reply::Empty(201))
        }
        ("POST", "push") => crate::build::push(st, &name, q, headers),
        ("DELETE", "") => remove_image(st, &name, q.flag("force")),
        _ => Err(err(404, "page not found")),
    }
}

fn remove_image(st: &mut State, name: &str, force: bool) -> R {
    let id = st.find_image(name).ok_or_else(|| {
        let shown = match Reference::parse(name) {
            Some(r)
                if r.digest.is_none()
                    && !name.starts_with("sha256:")
                    && !name.chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                r.key()
            }
            _ => name.to_string(),
        };
        err(404, format!("No such image: {shown}"))
    })?;
    let by_tag = Reference::parse(name).map(|r| r.key()).filter(|k| st.tags.get(k) == Some(&id));
    let tags = st.tags_of(&id);
    let mut out = Vec::new();
    if let Some(tag) = &by_tag
        && tags.len() > 1
    {
        st.tags.remove(tag);
        st.event("image", "untag", &id, &[("name", tag.clone())]);
        return Ok(Reply::Json(200, json!([{"Untagged": tag}])));
    }
    if let Some(c) = st.containers.values().find(|c| c.image_id == id) {
        if !force || matches!(c.status, Status::Running | Status::Paused) {
            let (short_img, short_c) = (&id[7..19], &c.id[..12]);
            let msg = if force {
                format!(
                    "conflict: unable to delete {short_img} (cannot be forced) - image is being used by running container {short_c}"
                )
            } else if by_tag.is_some() {
                format!(
                    "conflict: unable to remove repository reference \"{name}\" (must force) - container {short_c} is using its referenced image {short_img}"
                )
            } else {
                format!(
                    "conflict: unable to delete {short_img} (must be forced) - image is being used by stopped container {short_c}"
                )
            };
            return Err(err(409, msg));
        }
    }
    if tags.len() > 1 && by_tag.is_none() && !force {
        return Err(err(
            409,
            format!(
                "conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
                &id[7..19]
            ),
        ));
    }
    for t in &tags {
        st.tags.remove(t);
        out.push(json!({"Untagged": t}));
        st.event("image", "untag", &id, &[("name", t.clone())]);
    }
    // Delete the image and its untagged parents no one else uses.
    let mut cur = Some(id);
    while let Some(i) = cur.take() {
        let used = st.containers.values().any(|c| c.image_id == i) || st.images.values().any(|o| o.parent == i);
        if used || !st.tags_of(&i).is_empty() {
            break;
        }
        let Some(img) = st.images.remove(&i) else { break };
        for d in &img.layers {
            let shared = st.images.values().any(|o| o.layers.contains(d));
            if !shared && !st.registry.blobs.contains(d) {
                st.layers.remove(d);
            }
        }
        out.push(json!({"Deleted": i}));
        st.event("image", "delete", &i, &[]);
        if !img.parent.is_empty() {
            cur = Some(img.parent.clone());
        }
    }
    Ok(Reply::Json(200, json!(out)))
}

fn prune_images(st: &mut State, q: &Query) -> R {
    let filters = q.filters()?;
    let all = filters.get("dangling").is_some_and(|d| d.iter().any(|v| v == "false" || v == "0"));
    let mut deleted = Vec::new();
    let mut reclaimed = 0;
    loop {
        let candidate = st
            .images
            .values()
            .find(|i| {
                (all || st.tags_of(&i.id).is_empty())
                    && !st.containers.values().any(|c| c.image_id == i.id)
                    && !st.images.values().any(|o| o.parent == i.id)
            })
            .map(|i| i.id.clone());
        let Some(id) = candidate else { break };
        for t in st.tags_of(&id) {
            st.tags.remove(&t);
            deleted.push(json!({"Untagged": t}));
        }
        if let Some(img) = st.images.remove(&id) {
            reclaimed += img.size;
        }
        deleted.push(json!({"Deleted": id}));
    }
    Ok(Reply::Json(
        200,
        json!({"ImagesDeleted": if deleted.is_empty() { Value::Null } else { json!(deleted) }, "SpaceReclaimed": reclaimed}),
    ))
}

/// `GET /images/search`: the registry's repositories whose name holds
/// `term`, with the filters `is-official`, `is-automated` and `stars`, at
/// most `limit` (25 by default, as Docker Hub).
fn search(st: &State, q: &Query) -> R {
    let term = q.get("term").unwrap_or("");
    let f = q.filters()?;
    let flag = |key: &str, value: bool| f.get(key).is_none_or(|want| want.iter().all(|w| (w == "true") == value));
    let min_stars: i64 = f.get("stars").and_then(|s| s.iter().filter_map(|n| n.parse().ok()).max()).unwrap_or(0);
    let limit = q.get("limit").and_then(|l| l.parse::<usize>().ok()).filter(|l| (1..=100).contains(l)).unwrap_or(25);
    let out: Vec<Value> = st
        .registry
        .repos
        .keys()
        .filter(|r| r.contains(term))
        .map(|r| (r, !r.contains('/'), if r.contains('/') { 3 } else { 1000 }))
        .filter(|(_, official, stars)| flag("is-official", *official) && flag("is-automated", false) && *stars >= min_stars)
        .take(limit)
        .map(|(r, official, stars)| json!({"name": r, "description": format!("{r} (simulated Docker Hub)"), "star_count": stars, "is_official": official, "is_automated": false}))
        .collect();
    Ok(Reply::Json(200, json!(out)))
}

fn progress_bar(current: u64, total: u64) -> String {
    let width: usize = 50;
    let filled = if total == 0 { width } else { (u128::from(current) * width as u128 / u128::from(total)) as usize };
    let bar = if filled >= width {
        "=".repeat(width)
    } else {
        format!("{}>{}", "=".repeat(filled.saturating_sub(1).min(width)), " ".repeat(width - filled.max(1)))
    };
    format!("[{bar}]  {}/{}", crate::util::human_size(current), crate::util::human_size(total))
}

/// `POST /images/create` for the builder.
pub fn pull_for(st: &mut State, q: &Query) -> R {
    pull(st, q, &http::HeaderMap::new())
}

fn pull(st: &mut State, q: &Query, _headers: &http::HeaderMap) -> R {
    if q.get("fromSrc").is_some() {
        return Err(err(
            501,
            "importing from a URL is not simulated (no host outside the simulation answers); send the tar as the body, fromSrc=-",
        ));
    }
    let from = q.get("fromImage").unwrap_or("");
    let tag = q.get("tag").unwrap_or("");
    let full = if tag.is_empty() || from.contains('@') || from.rsplit('/').next().is_some_and(|l| l.contains(':')) {
        from.to_string()
    } else if tag.starts_with("sha256:") {
        format!("{from}@{tag}")
    } else {
        format!("{from}:{tag}")
    };
    let r = Reference::parse(&full).ok_or_else(|| err(400, "invalid reference format"))?;
    let Some(repo) = st.registry.repos.get(&r.repo) else {
        return Err(err(
            404,
            format!(
                "pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
                r.repo
            ),
        ));
    };
    let image = match &r.digest {
        Some(d) => repo.values().find(|i| i.repo_digests.iter().any(|rd| rd.ends_with(d.as_str()))).cloned(),
        None => repo.get(&r.tag).cloned(),
    };
    let Some(image) = image else {
        return Err(err(404, format!("manifest for {} not found: manifest unknown: manifest unknown", r.key())));
    };
    let mut out = Vec::new();
    let mut push = |v: Value| {
        out.extend_from_slice(v.to_string().as_bytes());
        out.push(b'\r');
        out.push(b'\n');
    };
    let shown_repo = if r.repo.contains('/') { r.repo.clone() } else { format!("library/{}", r.repo) };
    push(json!({"status": format!("Pulling from {shown_repo}"), "id": r.digest.clone().unwrap_or(r.tag.clone())}));
    let have = sorted_set(st.images.values().flat_map(|i| i.layers.iter()));
    let up_to_date = st.images.contains_key(&image.id) && st.tags.get(&r.key()) == Some(&image.id);
    let mut fresh = Vec::new();
    for d in &image.layers {
        let short = &d[7..19];
        if have.contains(&d) {
            push(json!({"status": "Already exists", "progressDetail": {}, "id": short}));
        } else {
            push(json!({"status": "Pulling fs layer", "progressDetail": {}, "id": short}));
            fresh.push(d.clone());
        }
    }
    for d in &fresh {
        let short = &d[7..19];
        let total = st.layers.get(d).map(|l| l.size).unwrap_or(0);
        for step in [1u64, 3, 4] {
            let cur = total * step / 4;
            push(
                json!({"status": "Downloading", "progressDetail": {"current": cur, "total": total}, "progress": progress_bar(cur, total), "id": short}),
            );
        }
        push(json!({"status": "Verifying Checksum", "progressDetail": {}, "id": short}));
        push(json!({"status": "Download complete", "progressDetail": {}, "id": short}));
    }
    for d in &fresh {
        let short = &d[7..19];
        let total = st.layers.get(d).map(|l| l.size).unwrap_or(0);
        push(
            json!({"status": "Extracting", "progressDetail": {"current": total, "total": total}, "progress": progress_bar(total, total), "id": short}),
        );
        push(json!({"status": "Pull complete", "progressDetail": {}, "id": short}));
    }
    let digest =
        image.repo_digests.first().and_then(|d| d.split_once('@')).map(|(_, d)| d.to_string()).unwrap_or_default();
    push(json!({"status": format!("Digest: {digest}")}));
    let shown = match &r.digest {
        Some(d) => format!("{}@{d}", r.repo),
        None => r.key(),
    };
    push(
        json!({"status": if up_to_date { format!("Status: Image is up to date for {shown}") } else { format!("Status: Downloaded newer image for {shown}") }}),
    );
    let id = image.id.clone();
    st.images.insert(id.clone(), image);
    if r.digest.is_none() {
        st.tags.insert(r.key(), id.clone());
    }
    st.event("image", "pull", &id, &[("name", shown)]);
    Ok(Reply::Stream(200, "application/json", dockhand::Body::full(out)))
}

// ---------------------------------------------------------------- networks

fn network_json(st: &State, nid: &str) -> Value {
    let n = st.networks.get(nid).expect("a resolved network id");
    let containers: serde_json::Map<String, Value> = object_of(st.containers.values().filter_map(|c| {
        let ep = c.networks.get(&n.name)?;
        Some((c.id.clone(), json!({"Name": c.name, "EndpointID": ep.endpoint_id, "MacAddress": ep.mac, "IPv4Address": if ep.ip.is_empty() { String::new() } else { format!("{}/16", ep.ip) }, "IPv6Address": ""})))
    }));
    doc(
        r#"{
        "EnableIPv6": false, "IPAM": {"Driver": "default", "Options": null}, "Ingress": false,
        "ConfigFrom": {"Network": ""}, "ConfigOnly": false
        }"#,
        vec![
            ("Name", text(&n.name)),
            ("Id", text(&n.id)),
            ("Created", Value::String(rfc3339(n.created_ms))),
            ("Scope", text(&n.scope)),
            ("Driver", text(&n.driver)),
            (
                "IPAM/Config",
                if n.subnet.is_empty() { json!([]) } else { json!([{"Subnet": n.subnet, "Gateway": n.gateway}]) },
            ),
            ("Internal", Value::from(n.internal)),
            ("Attachable", Value::from(n.attachable)),
            ("Containers", Value::Object(containers)),
            (
                "Options",
                if n.name == "bridge" {
                    json!({"com.docker.network.bridge.default_bridge": "true", "com.docker.network.bridge.name": "docker0"})
                } else {
                    json!({})
                },
            ),
            ("Labels", string_map(&n.labels)),
        ],
    )
}

fn list_networks(st: &State, q: &Query) -> R {
    let filters = q.filters()?;
    let mut list: Vec<&Network> = st.networks.values().collect();
    sort_with(&mut list, &|a, b| a.name.cmp(&b.name));
    let out: Vec<Value> = list
        .into_iter()
        .filter(|n| {
            filters.iter().all(|(k, vals)| {
                vals.is_empty()
                    || vals.iter().any(|v| match k.as_str() {
                        "name" => n.name.contains(v.as_str()),
                        "id" => n.id.starts_with(v.as_str()),
                        "driver" => &n.driver == v,
                        "type" => (v == "builtin") == matches!(n.name.as_str(), "bridge" | "host" | "none"),
                        "label" => n.labels.contains_key(v.split('=').next().unwrap_or("")),
                        _ => true,
                    })
            })
        })
        .map(|n| {
            let mut v = network_json(st, &n.id);
            v["Containers"] = json!({});
            v
        })
        .collect();
    Ok(Reply::Json(200, json!(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streaming endpoints resolve the container under one lock and
    /// read it under another: a container removed in between (by another
    /// client of dockhand-sim) is a 404, not a panic.
    #[test]
    fn a_container_removed_after_it_was_resolved_is_a_404() {
        let engine = Engine::new();
        let gone = "0123456789ab";
        let q = Query::from_pairs(&[("stdout", "1")]);
        let status = |r: R| match r {
            Err(e) => (e.status, e.message),
            Ok(_) => (200, String::new()),
        };
        let expected = (404, format!("No such container: {gone}"));
        assert_eq!(status(logs(&engine, gone, &q)), expected);
        assert_eq!(status(attach(&engine, gone, &q)), expected);
        assert_eq!(status(wait(&engine, gone, "not-running")), expected);
    }
}
