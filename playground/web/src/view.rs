//! From the engine's state to the page's [`contract::State`], and the
//! container transitions a command caused.

use std::collections::BTreeMap;

use dockhand_engine::State as EngineState;
use dockhand_engine::state::{Container, Status};

use dockhand_engine::{Change, DaemonEvent};

use crate::contract::{self, ChangeView, ContainerView, ImageView, NetworkView, ProcessView, Transition, VolumeView};

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

/// The container transitions a command caused, read from the events the
/// daemons emitted during it (each taken move, whether a request caused it
/// or the container moved by itself: its main process exited, a restart
/// policy restarted it, `--rm` removed it) and from the moves the daemon
/// refused (304, 409), which the command line reports. `before` holds each
/// daemon's containers before the command, `after` after it.
pub fn transitions(
    before: &[(&str, &[ContainerView])],
    events: &[DaemonEvent],
    refused: &[Change],
    after: &[(&str, &[ContainerView])],
) -> Vec<Transition> {
    let mut lifecycle = Lifecycle::default();
    for (daemon, containers) in before {
        for c in containers.iter() {
            let key = (daemon.to_string(), c.id.clone());
            lifecycle.state.insert(key.clone(), c.state.clone());
            lifecycle.names.insert(key, c.name.clone());
        }
    }
    for e in events.iter().filter(|e| e.event.typ == "container") {
        lifecycle.event(e);
    }
    // What moved without an event of its own (into or out of `restarting`).
    for (daemon, containers) in after {
        for c in containers.iter() {
            let key = (daemon.to_string(), c.id.clone());
            if let Some(was) = lifecycle.state.get(&key).cloned()
                && was != c.state
            {
                let restarting = was == "restarting" || c.state == "restarting";
                lifecycle.push(&key, &was, &c.state, if restarting { "restart policy" } else { "change" });
            }
        }
    }
    let mut out = lifecycle.out;
    for change in refused {
        if let Change::TransitionRefused { container, action, reason } = change {
            out.push(refusal(container, action, reason, after));
        }
    }
    out
}

/// A container's moves as the events tell them.
#[derive(Default)]
struct Lifecycle {
    /// The state each container (daemon, id) is in so far.
    state: BTreeMap<(String, String), String>,
    names: BTreeMap<(String, String), String>,
    /// Containers a kill was sent to, whose next death is that kill's.
    killed: Vec<(String, String)>,
    /// The index in `out` of each container's last start and death.
    last_start: BTreeMap<(String, String), usize>,
    last_die: BTreeMap<(String, String), usize>,
    /// Each container's last event's action, for `--rm`.
    last_action: BTreeMap<(String, String), String>,
    out: Vec<Transition>,
}

impl Lifecycle {
    fn push(&mut self, key: &(String, String), from: &str, to: &str, action: &str) -> usize {
        let container = self.names.get(key).cloned().unwrap_or_else(|| key.1.chars().take(12).collect());
        self.out.push(Transition {
            container,
            from: from.to_string(),
            to: to.to_string(),
            action: action.to_string(),
            refused: None,
        });
        self.state.insert(key.clone(), to.to_string());
        self.out.len() - 1
    }

    fn event(&mut self, e: &DaemonEvent) {
        let key = (e.daemon.clone(), e.event.actor_id.clone());
        if let Some(name) = e.event.attributes.get("name") {
            self.names.insert(key.clone(), name.trim_start_matches('/').to_string());
        }
        let from = self.state.get(&key).cloned().unwrap_or_else(|| "none".into());
        let action = e.event.action.as_str();
        match action {
            "create" => {
                self.push(&key, "none", "created", "create");
            }
            "start" => {
                let i = self.push(&key, &from, "running", "start");
                self.last_start.insert(key.clone(), i);
            }
            "kill" => self.killed.push(key.clone()),
            "die" => {
                let by_kill = self.killed.iter().position(|k| *k == key).map(|i| self.killed.remove(i)).is_some();
                let i = self.push(&key, &from, "exited", if by_kill { "kill" } else { "exit" });
                self.last_die.insert(key.clone(), i);
            }
            // dockerd's order: kill, die, stop; and kill, die, stop, start, restart.
            "stop" => {
                if let Some(&i) = self.last_die.get(&key) {
                    self.out[i].action = "stop".into();
                }
            }
            "restart" => {
                for i in [self.last_die.get(&key), self.last_start.get(&key)].into_iter().flatten() {
                    self.out[*i].action = "restart".into();
                }
            }
            "pause" => {
                self.push(&key, &from, "paused", "pause");
            }
            "unpause" => {
                self.push(&key, &from, "running", "unpause");
            }
            "destroy" => {
                // Removed right after dying by itself: `--rm`.
                let died_by_itself = self.last_action.get(&key).is_some_and(|a| a == "die")
                    && self.last_die.get(&key).is_some_and(|&i| self.out[i].action == "exit");
                self.push(&key, &from, "removing", if died_by_itself { "auto-remove" } else { "remove" });
                self.state.insert(key.clone(), "gone".into());
            }
            _ => return,
        }
        self.last_action.insert(key, action.to_string());
    }
}

/// A move the daemon refused: 304 (already in the state the action leads
/// to) or 409 (the daemon's reason).
fn refusal(container: &str, action: &str, reason: &str, after: &[(&str, &[ContainerView])]) -> Transition {
    let key = container.trim_start_matches('/');
    let found =
        after.iter().flat_map(|(_, cs)| cs.iter()).find(|c| c.name == key || (key.len() >= 4 && c.id.starts_with(key)));
    let from = found.map(|c| c.state.clone()).unwrap_or_default();
    let to = match action {
        "start" | "unpause" | "restart" => "running",
        "stop" | "kill" => "exited",
        "pause" => "paused",
        _ => from.as_str(),
    }
    .to_string();
    let reason = if reason.starts_with("304") {
        format!("{action} on a container that is already {from}: 304 Not Modified, nothing to do")
    } else {
        format!("409 {reason}")
    };
    Transition {
        container: found.map(|c| c.name.clone()).unwrap_or_else(|| key.to_string()),
        from,
        to,
        action: action.to_string(),
        refused: Some(reason),
    }
}
