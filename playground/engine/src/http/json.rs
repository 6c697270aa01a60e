//! The JSON documents several API areas share: container, image, network,
//! volume and event documents, and the small builders they are made with.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::version::{Api, ENGINE_VERSION};
pub(crate) use crate::image::config::{image_config_json, key_set};
use crate::state::*;
use crate::util::{object_of, rfc3339, sha256_hex};

/// A JSON document: `template` (constant JSON text) with `fields` set in it,
/// a key `a/b` setting `b` inside the object `a`. One non-generic loop
/// instead of the inline insert per key that `json!` expands to, and the
/// constant keys kept as data rather than code (issue 8: the module's size).
pub(crate) fn doc(template: &str, fields: Vec<(&str, Value)>) -> Value {
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
pub(crate) fn object(v: &mut Value) -> &mut serde_json::Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(serde_json::Map::new());
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

/// A JSON string.
pub(crate) fn text(v: &str) -> Value {
    Value::String(v.to_owned())
}

/// A list of strings as a JSON array.
pub(crate) fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().map(|x| text(x)).collect())
}

/// A string map as a JSON object.
pub(crate) fn string_map(m: &BTreeMap<String, String>) -> Value {
    Value::Object(object_of(m.iter().map(|(k, v)| (k.clone(), text(v)))))
}

pub(crate) fn nullable_list(v: Vec<String>) -> Value {
    if v.is_empty() { Value::Null } else { json!(v) }
}

pub(crate) fn command_of(c: &Container) -> String {
    let argv: Vec<&String> = c.entrypoint.iter().chain(c.cmd.iter()).collect();
    let Some((first, rest)) = argv.split_first() else { return String::new() };
    let args: Vec<String> =
        rest.iter().map(|a| if a.contains(' ') { format!("'{a}'") } else { a.to_string() }).collect();
    if args.is_empty() { first.to_string() } else { format!("{first} {}", args.join(" ")) }
}

/// `Up 5 seconds`, `Up 1 minute (healthy)`, `Exited (0) 3 seconds ago`, ...
pub(crate) fn status_text(st: &State, c: &Container) -> String {
    let now = st.clock_ms;
    match c.status {
        Status::Created => "Created".into(),
        Status::Running => {
            let up = crate::util::human_duration(now.saturating_sub(c.started_ms.unwrap_or(now)));
            // dockerd's words for a container with a health check.
            match c.health.as_ref().map(|h| h.status.as_str()) {
                Some("starting") => format!("Up {up} (health: starting)"),
                Some(status) => format!("Up {up} ({status})"),
                None => format!("Up {up}"),
            }
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

/// A container's `Ports` in the list: none unless it runs (dockerd 20.10
/// fills them when it starts the container and clears them when it stops,
/// so a created or exited one lists none, not even its exposed ports).
pub(crate) fn ports_json(c: &Container, running: bool) -> Value {
    let mut out = Vec::new();
    if !running {
        return json!(out);
    }
    let published = |port: &str| c.ports.iter().any(|p| p.container_port == port);
    for p in &c.ports {
        let (port, proto) = p.container_port.split_once('/').unwrap_or((&p.container_port, "tcp"));
        let private: u16 = port.parse().unwrap_or(0);
        out.push(json!({"IP": "0.0.0.0", "PrivatePort": private, "PublicPort": p.host_port, "Type": proto}));
        out.push(json!({"IP": "::", "PrivatePort": private, "PublicPort": p.host_port, "Type": proto}));
    }
    for e in &c.exposed_ports {
        if published(e) {
            continue;
        }
        let (port, proto) = e.split_once('/').unwrap_or((e, "tcp"));
        out.push(json!({"PrivatePort": port.parse::<u16>().unwrap_or(0), "Type": proto}));
    }
    json!(out)
}

pub(crate) fn endpoint_json(ep: &Endpoint) -> Value {
    json!({
        "IPAMConfig": kept(ep, "IPAMConfig"), "Links": kept(ep, "Links"), "Aliases": if ep.aliases.is_empty() { Value::Null } else { json!(ep.aliases) },
        "NetworkID": ep.network_id, "EndpointID": if ep.ip.is_empty() { "" } else { ep.endpoint_id.as_str() },
        "Gateway": ep.gateway, "IPAddress": ep.ip, "IPPrefixLen": if ep.ip.is_empty() { 0 } else { 16 },
        "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "MacAddress": ep.mac, "DriverOpts": kept(ep, "DriverOpts"),
        "GwPriority": 0, "DNSNames": Value::Null,
    })
}

/// The overlay2 directory of the top layer of a container or image.
fn layer_dir(id: &str) -> String {
    format!("/var/lib/docker/overlay2/{}", sha256_hex(format!("layer {id}").as_bytes()))
}

/// An image's `GraphDriver.Data`: its top layer's directories.
fn overlay_dirs(id: &str) -> Value {
    let layer = layer_dir(id);
    json!({"MergedDir": format!("{layer}/merged"), "UpperDir": format!("{layer}/diff"), "WorkDir": format!("{layer}/work")})
}

/// A container's `GraphDriver.Data` as overlay2 under 28.5 gives it: its
/// own layer (upper, work and merged directories) over its `-init` layer
/// and its image's.
pub(crate) fn graph_driver_data(c: &Container) -> Value {
    let layer = layer_dir(&c.id);
    let image = layer_dir(&c.image_id);
    json!({
        "ID": c.id, "LowerDir": format!("{layer}-init/diff:{image}/diff"), "MergedDir": format!("{layer}/merged"),
        "UpperDir": format!("{layer}/diff"), "WorkDir": format!("{layer}/work"),
    })
}

pub(crate) fn mounts_json(st: &State, c: &Container) -> Value {
    json!(c.mounts.iter().map(|m| {
        if m.kind == "volume" {
            // A named volume given no mode says `z`, as 28.5.
            let anonymous = st.volumes.get(&m.source).is_some_and(|v| v.anonymous);
            let mode = if m.mode.is_empty() && !anonymous { "z" } else { m.mode.as_str() };
            json!({"Type": "volume", "Name": m.source, "Source": format!("/var/lib/docker/volumes/{}/_data", m.source), "Destination": m.destination, "Driver": "local", "Mode": mode, "RW": m.rw, "Propagation": ""})
        } else {
            json!({"Type": "bind", "Source": m.source, "Destination": m.destination, "Mode": m.mode, "RW": m.rw, "Propagation": "rprivate"})
        }
    }).collect::<Vec<_>>())
}

pub(crate) fn container_summary(st: &State, c: &Container) -> Value {
    let running = matches!(c.status, Status::Running | Status::Paused);
    let nets: serde_json::Map<String, Value> =
        object_of(c.networks.iter().map(|(n, ep)| (n.clone(), endpoint_json(ep))));
    doc(
        "{}",
        vec![
            ("Id", text(&c.id)),
            ("Names", json!([vec![format!("/{}", c.name)], crate::daemon::links::names_of(st, &c.id)].concat())),
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

/// An image in `/images/json` shape.
fn image_summary(st: &State, i: &Image) -> Value {
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
        ],
    )
}

/// An image's `ContainerConfig`: the committed container's config and
/// image, else an empty one.
fn container_config_json(i: &Image) -> Value {
    match &i.committed_from {
        Some(c) => {
            let mut v = image_config_json(&c.config);
            v["Image"] = text(&c.image);
            v
        }
        // 28.5 keeps no container config for an image it did not commit.
        None => {
            let mut v = image_config_json(&ImageConfig::default());
            v["Env"] = Value::Null;
            v
        }
    }
}

/// An image in `/images/json` (and `/system/df`) shape for a client of API
/// `api`: before 1.44, dockerd 28.5 still sends `VirtualSize`.
pub(crate) fn image_summary_for(st: &State, i: &Image, api: Api) -> Value {
    let mut v = image_summary(st, i);
    // 28.5 counts each image's containers for a 1.51 client only.
    if !api.before("1.51") {
        v["Containers"] = json!(st.containers.values().filter(|c| c.image_id == i.id).count());
    }
    if api.before("1.44") {
        v["VirtualSize"] = Value::from(i.size);
    }
    v
}

/// The `Config` fields of a container's config that an image's has not.
const CONTAINER_ONLY: [&str; 9] =
    ["Hostname", "Domainname", "AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce", "Image"];

/// An image in `/images/{name}/json` shape for a client of API `api`:
/// before 1.44 dockerd 28.5 still sends `VirtualSize`, before 1.45
/// `Container` and `ContainerConfig` (the committed container and its
/// config, else empty and the image's config).
pub(crate) fn image_inspect_for(st: &State, i: &Image, api: Api) -> Value {
    let mut v = image_inspect(st, i);
    if api.before("1.45") {
        if let Some(c) = &i.committed_from {
            v["Container"] = text(&c.container);
        }
        v["ContainerConfig"] = container_config_json(i);
        object(&mut v["ContainerConfig"]).retain(|k, x| k != "ExposedPorts" || !x.is_null());
    }
    // 1.50 dropped the fields only a container's config has.
    let drop_container_only = !api.before("1.50");
    object(&mut v["Config"]).retain(|k, x| {
        let container_only = drop_container_only && CONTAINER_ONLY.contains(&k.as_str());
        !(container_only || k == "ExposedPorts" && x.is_null())
    });
    if api.before("1.44") {
        v["VirtualSize"] = Value::from(i.size);
    }
    v
}

/// An image in `/images/{name}/json` shape, as API 1.51 has it.
fn image_inspect(st: &State, i: &Image) -> Value {
    let tags = st.tags_of(&i.id);
    doc(
        r#"{
        "Author": "", "Architecture": "amd64", "Os": "linux",
        "GraphDriver": {"Name": "overlay2"},
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
            ("Size", Value::from(i.size)),
            ("RootFS/Layers", strings(&i.layers)),
            ("GraphDriver/Data", overlay_dirs(&i.id)),
        ],
    )
}

pub(crate) fn volume_json(v: &Volume) -> Value {
    json!({
        "CreatedAt": rfc3339(v.created_ms), "Driver": v.driver, "Labels": if v.labels.is_empty() { Value::Null } else { json!(v.labels) },
        "Mountpoint": format!("/var/lib/docker/volumes/{}/_data", v.name), "Name": v.name, "Options": null, "Scope": "local",
    })
}

pub(crate) fn network_json(st: &State, nid: &str) -> Value {
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
                if !n.ipam_config.is_empty() {
                    serde_json::from_str(&n.ipam_config).unwrap_or(Value::Null)
                } else if n.subnet.is_empty() {
                    json!([])
                } else {
                    json!([{"Subnet": n.subnet, "Gateway": n.gateway}])
                },
            ),
            ("Internal", Value::from(n.internal)),
            ("EnableIPv6", Value::from(n.enable_ipv6)),
            ("Attachable", Value::from(n.attachable)),
            ("Ingress", Value::from(st.swarm.as_ref().is_some_and(|s| s.ingress == n.id))),
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

/// An event as the API writes it.
pub(crate) fn event_json(e: &Event) -> Value {
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

/// An endpoint setting kept as given (`null` when none was).
fn kept(ep: &Endpoint, key: &str) -> Value {
    ep.kept.get(key).and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null)
}
