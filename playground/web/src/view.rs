//! From the engine's state to the page's [`contract::State`], and the
//! container transitions a command caused.

use dockhand_engine::State as EngineState;
use dockhand_engine::state::{Container, Image, Status};

use dockhand_engine::{Change, DaemonEvent};

use crate::contract::{
    self, ChangeView, ContainerView, ImageView, NetworkView, ProcessView, StepView, Transition, VolumeView,
};

/// The page's view of one daemon's containers.
pub fn containers(st: &EngineState) -> Vec<ContainerView> {
    let mut out: Vec<ContainerView> = st.containers.values().map(|c| container(st, c)).collect();
    dockhand_engine::sort_with(&mut out, &|a, b| a.name.cmp(&b.name));
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
        detached: c.kept.pointer("/Config/AttachStdout") != Some(&serde_json::Value::Bool(true)),
        task: crate::swarm::task_of(st, &c.id),
    }
}

/// The page's view of one daemon's images.
pub fn images(st: &EngineState) -> Vec<ImageView> {
    st.images.values().map(|i| image(i, st.tags_of(&i.id))).collect()
}

/// One image with its tags and its history, each step beside the layer it
/// made (the history's steps that are not empty take the layers in order).
fn image(i: &Image, tags: Vec<String>) -> ImageView {
    let mut layers = i.layers.iter();
    let history = i
        .history
        .iter()
        .map(|h| StepView {
            by: h.created_by.clone(),
            size: h.size,
            layer: if h.empty_layer {
                String::new()
            } else {
                layers.next().map(|d| d.trim_start_matches("sha256:").chars().take(12).collect()).unwrap_or_default()
            },
        })
        .collect();
    ImageView { id: i.id.clone(), tags, layers: i.layers.len() as u64, size: i.size, history }
}

/// The page's view of the registry: one entry per repository:tag.
pub fn registry(st: &EngineState) -> Vec<ImageView> {
    let mut out = Vec::new();
    for (repo, tags) in &st.registry.repos {
        for (tag, image) in tags {
            out.push(self::image(image, vec![format!("{repo}:{tag}")]));
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
        swarm: crate::swarm::swarm(local),
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
            let t = lifecycle.track(daemon, &c.id);
            lifecycle.tracks[t].state = c.state.clone();
            lifecycle.tracks[t].name = c.name.clone();
        }
    }
    for e in events.iter().filter(|e| e.event.typ == "container") {
        lifecycle.event(e);
    }
    // What moved without an event of its own (into or out of `restarting`).
    for (daemon, containers) in after {
        for c in containers.iter() {
            if let Some(t) = lifecycle.find(daemon, &c.id) {
                let was = lifecycle.tracks[t].state.clone();
                if !was.is_empty() && was != c.state {
                    let restarting = was == "restarting" || c.state == "restarting";
                    lifecycle.push(t, &c.state, if restarting { "restart policy" } else { "change" });
                }
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

/// One container followed through the events (a few per command: a list
/// is enough, and a map type more would cost the module its own code).
#[derive(Default)]
struct Track {
    daemon: String,
    id: String,
    name: String,
    /// The state it is in so far (`none` before its create).
    state: String,
    /// A kill was sent to it: its next death is that kill's.
    killed: bool,
    /// The index in `out` of its last start and death.
    last_start: Option<usize>,
    last_die: Option<usize>,
    /// Its last event's action, for `--rm`.
    last_action: String,
}

/// The containers' moves as the events tell them.
#[derive(Default)]
struct Lifecycle {
    tracks: Vec<Track>,
    out: Vec<Transition>,
}

impl Lifecycle {
    fn find(&self, daemon: &str, id: &str) -> Option<usize> {
        self.tracks.iter().position(|t| t.daemon == daemon && t.id == id)
    }

    fn track(&mut self, daemon: &str, id: &str) -> usize {
        self.find(daemon, id).unwrap_or_else(|| {
            self.tracks.push(Track {
                daemon: daemon.to_string(),
                id: id.to_string(),
                name: id.chars().take(12).collect(),
                state: "none".into(),
                ..Track::default()
            });
            self.tracks.len() - 1
        })
    }

    fn push(&mut self, t: usize, to: &str, action: &str) -> usize {
        let track = &mut self.tracks[t];
        self.out.push(Transition {
            container: track.name.clone(),
            from: std::mem::replace(&mut track.state, to.to_string()),
            to: to.to_string(),
            action: action.to_string(),
            refused: None,
        });
        self.out.len() - 1
    }

    fn event(&mut self, e: &DaemonEvent) {
        let t = self.track(&e.daemon, &e.event.actor_id);
        if let Some(name) = e.event.attributes.get("name") {
            self.tracks[t].name = name.trim_start_matches('/').to_string();
        }
        let action = e.event.action.as_str();
        match action {
            "create" => {
                self.tracks[t].state = "none".into();
                self.push(t, "created", "create");
            }
            "start" => self.tracks[t].last_start = Some(self.push(t, "running", "start")),
            "kill" => self.tracks[t].killed = true,
            "die" => {
                let by_kill = std::mem::take(&mut self.tracks[t].killed);
                self.tracks[t].last_die = Some(self.push(t, "exited", if by_kill { "kill" } else { "exit" }));
            }
            // dockerd's order: kill, die, stop; and kill, die, stop, start, restart.
            "stop" => {
                if let Some(i) = self.tracks[t].last_die {
                    self.out[i].action = "stop".into();
                }
            }
            "restart" => {
                for i in [self.tracks[t].last_die, self.tracks[t].last_start].into_iter().flatten() {
                    self.out[i].action = "restart".into();
                }
            }
            "pause" => {
                self.push(t, "paused", "pause");
            }
            "unpause" => {
                self.push(t, "running", "unpause");
            }
            "destroy" => {
                // Removed right after dying by itself: `--rm`.
                let track = &self.tracks[t];
                let died_by_itself =
                    track.last_action == "die" && track.last_die.is_some_and(|i| self.out[i].action == "exit");
                self.push(t, "removing", if died_by_itself { "auto-remove" } else { "remove" });
                self.tracks[t].state = "gone".into();
            }
            _ => return,
        }
        self.tracks[t].last_action = action.to_string();
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
