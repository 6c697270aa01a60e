//! From the engine's state to the page's [`contract::State`], and the
//! container transitions a command caused.

use std::collections::BTreeMap;

use dockhand_engine::State as EngineState;
use dockhand_engine::state::{Container, Status};

use crate::contract::{
    self, ChangeView, ContainerView, Exchange, ImageView, NetworkView, ProcessView, Transition, VolumeView,
};

/// The page's view of one daemon's containers.
pub fn containers(st: &EngineState) -> Vec<ContainerView> {
    let mut out: Vec<ContainerView> = st.containers.values().map(|c| container(st, c)).collect();
    dockhand_engine::util::sort_with(&mut out, &|a, b| a.name.cmp(&b.name));
    out
}

fn container(st: &EngineState, c: &Container) -> ContainerView {
    let running = matches!(c.status, Status::Running | Status::Paused | Status::Restarting);
    let first_net = c.networks.iter().find(|(_, ep)| !ep.ip.is_empty());
    ContainerView {
        id: c.id.clone(),
        name: c.name.trim_start_matches('/').to_string(),
        image: c.image_ref.clone(),
        command: c.entrypoint.iter().chain(c.cmd.iter()).cloned().collect::<Vec<_>>().join(" "),
        state: c.status.as_str().to_string(),
        exit_code: c.exit_code,
        hostname: c.hostname.clone(),
        host_pid: if running { u64::from(c.pid) } else { 0 },
        ip: first_net.map(|(_, ep)| ep.ip.clone()).unwrap_or_default(),
        interface: if first_net.is_some() { "eth0".into() } else { String::new() },
        networks: c.networks.keys().cloned().collect(),
        ports: c.ports.iter().map(|p| format!("0.0.0.0:{}->{}", p.host_port, p.container_port)).collect(),
        mounts: c.mounts.iter().map(|m| format!("{}:{}", m.source, m.destination)).collect(),
        processes: c
            .processes
            .iter()
            .map(|p| ProcessView { pid: u64::from(p.pid), host_pid: u64::from(p.host_pid), command: p.argv.join(" ") })
            .collect(),
        changes: st
            .changes(&c.id)
            .into_iter()
            .map(|(k, path)| ChangeView { kind: ["C", "A", "D"].get(usize::from(k)).unwrap_or(&"C").to_string(), path })
            .collect(),
    }
}

/// The page's view of one daemon's images.
pub fn images(st: &EngineState) -> Vec<ImageView> {
    st.images
        .values()
        .map(|i| ImageView { id: i.id.clone(), tags: st.tags_of(&i.id), layers: i.layers.len() as u64, size: i.size })
        .collect()
}

/// The page's view of the registry: one entry per repository:tag.
pub fn registry(st: &EngineState) -> Vec<ImageView> {
    let mut out = Vec::new();
    for (repo, tags) in &st.registry.repos {
        for (tag, image) in tags {
            out.push(ImageView {
                id: image.id.clone(),
                tags: vec![format!("{repo}:{tag}")],
                layers: image.layers.len() as u64,
                size: image.size,
            });
        }
    }
    out
}

/// The whole state document for the page: the local daemon in full, the
/// remote one's containers and images, and which one the client talks to.
pub fn state(local: &EngineState, remote: Option<&EngineState>, context: &str) -> contract::State {
    let networks = local
        .networks
        .values()
        .map(|n| NetworkView {
            name: n.name.clone(),
            driver: n.driver.clone(),
            subnet: n.subnet.clone(),
            containers: local
                .containers
                .values()
                .filter(|c| c.networks.contains_key(&n.name))
                .map(|c| c.name.trim_start_matches('/').to_string())
                .collect(),
        })
        .collect();
    contract::State {
        context: context.to_string(),
        clock: local.clock_ms.saturating_sub(dockhand_engine::EPOCH_MS) / 1000,
        containers: containers(local),
        images: images(local),
        networks,
        volumes: local
            .volumes
            .values()
            .map(|v| VolumeView {
                name: v.name.clone(),
                mountpoint: format!("/var/lib/docker/volumes/{}/_data", v.name),
            })
            .collect(),
        registry: registry(local),
        remote_containers: remote.map(containers).unwrap_or_default(),
        remote_images: remote.map(images).unwrap_or_default(),
    }
}

/// The container transitions a command caused, read from its exchanges and
/// from the states before and after: each successful lifecycle request is a
/// transition taken; a lifecycle request the daemon refused (304, 409) is a
/// transition refused, with the daemon's reason; and a container that ended
/// up in another state than its last request left it in moved by itself
/// (its main process exited, a restart policy restarted it).
pub fn transitions(before: &[ContainerView], after: &[ContainerView], exchanges: &[Exchange]) -> Vec<Transition> {
    let mut now: BTreeMap<String, String> =
        dockhand_engine::util::map_of(before.iter().map(|c| (c.name.clone(), c.state.clone())));
    // Containers created by this command and gone again (--rm) are in
    // neither list: remember the ids that create answered.
    let mut created: Vec<(String, String)> = Vec::new();
    let name_of = |key: &str, created: &[(String, String)]| -> Option<String> {
        let key = key.trim_start_matches('/');
        after
            .iter()
            .chain(before.iter())
            .map(|c| (c.id.as_str(), c.name.as_str()))
            .chain(created.iter().map(|(i, n)| (i.as_str(), n.as_str())))
            .find(|(id, name)| *name == key || (key.len() >= 4 && id.starts_with(key)))
            .map(|(_, name)| name.to_string())
    };
    let mut out = Vec::new();
    for e in exchanges {
        let path = e.path.split('?').next().unwrap_or("");
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty() && !s.starts_with('v')).collect();
        let (action, target): (&str, Option<&str>) = match (e.method.as_str(), segs.as_slice()) {
            ("POST", ["containers", "create"]) => ("create", None),
            ("POST", ["containers", id, op])
                if ["start", "stop", "kill", "pause", "unpause", "restart"].contains(op) =>
            {
                (op, Some(id))
            }
            ("DELETE", ["containers", id]) => ("remove", Some(id)),
            _ => continue,
        };
        let name = match target {
            Some(id) => name_of(&percent_decode(id), &created),
            None => {
                let query = e.path.split_once('?').map(|(_, q)| q).unwrap_or("");
                let by_query = query.split('&').find_map(|kv| kv.strip_prefix("name=")).map(percent_decode);
                let id = serde_json::from_str::<serde_json::Value>(&e.response_body)
                    .ok()
                    .and_then(|v| v.get("Id").and_then(|i| i.as_str()).map(str::to_string));
                let name = id
                    .as_deref()
                    .and_then(|i| name_of(i, &created))
                    .or(by_query)
                    .or_else(|| id.as_ref().map(|i| i.chars().take(12).collect()));
                if let (Some(id), Some(name)) = (id, &name) {
                    created.push((id, name.clone()));
                }
                name
            }
        };
        let Some(name) = name else { continue };
        let from = if action == "create" {
            "none".to_string()
        } else {
            now.get(&name).cloned().unwrap_or_else(|| "none".into())
        };
        let to = match action {
            "create" => "created",
            "start" | "unpause" | "restart" => "running",
            "stop" | "kill" => "exited",
            "pause" => "paused",
            _ => "removing",
        };
        let ok = (200..300).contains(&e.status);
        let refused = (e.status == 304 || e.status == 409).then(|| {
            let msg = serde_json::from_str::<serde_json::Value>(&e.response_body)
                .ok()
                .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_string));
            match (e.status, msg) {
                (304, _) => format!("{action} on a container that is already {from}: 304 Not Modified, nothing to do"),
                (_, Some(m)) => format!("{} {}", e.status, m),
                (s, None) => format!("{s} Conflict"),
            }
        });
        if !ok && refused.is_none() {
            continue;
        }
        if action == "restart" && ok && from == "running" {
            out.push(Transition {
                container: name.clone(),
                from: from.clone(),
                to: "exited".into(),
                action: "restart".into(),
                refused: None,
            });
            out.push(Transition {
                container: name.clone(),
                from: "exited".into(),
                to: to.into(),
                action: "restart".into(),
                refused: None,
            });
        } else {
            out.push(Transition {
                container: name.clone(),
                from: from.clone(),
                to: to.into(),
                action: action.into(),
                refused: refused.clone(),
            });
        }
        if ok {
            now.insert(name, if to == "removing" { "gone".into() } else { to.into() });
        }
    }
    for c in after {
        if let Some(was) = now.get(&c.name)
            && was != &c.state
            && was != "gone"
        {
            let action = match (was.as_str(), c.state.as_str()) {
                ("running", "exited") => "exit",
                (_, "restarting") | ("restarting", _) => "restart policy",
                _ => "change",
            };
            out.push(Transition {
                container: c.name.clone(),
                from: was.clone(),
                to: c.state.clone(),
                action: action.into(),
                refused: None,
            });
        }
    }
    // A container removed by itself (--rm) after it exited.
    for (name, was) in &now {
        if was != "gone" && !after.iter().any(|c| &c.name == name) {
            if was == "running" {
                out.push(Transition {
                    container: name.clone(),
                    from: "running".into(),
                    to: "exited".into(),
                    action: "exit".into(),
                    refused: None,
                });
            }
            out.push(Transition {
                container: name.clone(),
                from: "exited".into(),
                to: "removing".into(),
                action: "auto-remove".into(),
                refused: None,
            });
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
