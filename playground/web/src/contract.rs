//! The JSON contract between the WebAssembly module and the page: what one
//! command returns ([`Outcome`]) and the engine state the diagrams draw
//! ([`State`]).
//!
//! The page reads these documents and nothing else, so the engine can change
//! its internals freely; `docs/playground.md` describes the same shapes for
//! whoever writes lessons or a different front end.

use serde::{Deserialize, Serialize};

/// Everything one command line caused.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Outcome {
    /// The command line as typed.
    pub command: String,
    /// What the docker CLI would print on standard output.
    pub stdout: String,
    /// What it would print on standard error (errors, warnings).
    pub stderr: String,
    /// Both streams in the order the CLI printed them, piece by piece
    /// (`{"stderr": true, "text": "Unable to find image ..."}`): what a
    /// terminal shows. `docker run hello-world` prints the pull (stderr)
    /// before the greeting (stdout).
    pub printed: Vec<dockhand_engine::Printed>,
    /// The CLI's exit code (0 on success, 125 for a docker error, the
    /// container's code for `run` in the foreground, ...).
    pub exit_code: i64,
    /// Every HTTP exchange between the client and a daemon, in order.
    pub exchanges: Vec<Exchange>,
    /// Container state transitions taken or refused.
    pub transitions: Vec<Transition>,
    /// A plain-language explanation of what happened (and, after an error,
    /// what to try instead).
    pub explanation: String,
    /// The prompt to show next: `$ `, or an attached container shell's
    /// (`/ # ` after `docker run -it busybox sh`, until `exit`).
    pub prompt: String,
    /// Whether the daemon refused the line for a misspelled image name
    /// (`docker run hello-word`; the note asks "Did you mean
    /// hello-world?"): a typo, which the page does not count against par.
    #[serde(default)]
    pub misspelled: bool,
    /// Milliseconds the module spent on the command (measured in the
    /// browser by the page, in native tests by the test).
    pub elapsed_ms: f64,
    /// The engine's state after the command.
    pub state: State,
}

/// One HTTP request and its response, in full, with the daemon that
/// answered (`local` or `remote`): the engine's own record.
pub use dockhand_engine::Exchange;

/// A container state transition, taken or refused.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Transition {
    /// The container's name (without the leading `/`).
    pub container: String,
    /// The state before.
    pub from: String,
    /// The state after (for a refused move: the state it would have gone to).
    pub to: String,
    /// What caused it: `create`, `start`, `stop`, `kill`, `pause`, `unpause`,
    /// `restart`, `remove`, `exit` (the main process ended), ...
    pub action: String,
    /// Why the move was refused, or `None` when it was taken.
    pub refused: Option<String>,
}

/// The engine's state, as the diagrams and the lesson goals see it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// Which daemon the client talks to now: `local` or `remote`.
    pub context: String,
    /// The simulated clock, in seconds since the playground started.
    pub clock: u64,
    /// Containers of the local daemon.
    pub containers: Vec<ContainerView>,
    /// Images of the local daemon.
    pub images: Vec<ImageView>,
    /// Networks of the local daemon.
    pub networks: Vec<NetworkView>,
    /// Volumes of the local daemon.
    pub volumes: Vec<VolumeView>,
    /// Repositories and tags in the simulated registry.
    pub registry: Vec<ImageView>,
    /// Containers of the remote daemon (deploy lessons).
    pub remote_containers: Vec<ContainerView>,
    /// Images of the remote daemon.
    pub remote_images: Vec<ImageView>,
    /// The local daemon's swarm: `None` (JSON `null`) until `docker swarm
    /// init`, and again after `docker swarm leave --force`.
    pub swarm: Option<SwarmView>,
}

/// A swarm this daemon is part of (the simulated swarm has one node: this
/// daemon, a manager).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SwarmView {
    /// The cluster's id.
    pub id: String,
    /// The nodes (one: this daemon).
    pub nodes: Vec<NodeView>,
    /// The services, by name.
    pub services: Vec<ServiceView>,
}

/// One node of the swarm, as `docker node ls` shows it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeView {
    /// Its id.
    pub id: String,
    /// Its host name.
    pub hostname: String,
    /// `manager` or `worker`.
    pub role: String,
    /// `active`, `pause` or `drain`.
    pub availability: String,
    /// Whether it is the daemon the client talks to (`docker node ls`'s `*`).
    pub this_node: bool,
}

/// One service.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceView {
    /// Its id.
    pub id: String,
    /// Its name (`web`).
    pub name: String,
    /// The image its tasks run.
    pub image: String,
    /// `replicated`, `global`, `replicated job` or `global job`.
    pub mode: String,
    /// The tasks it wants running (`--replicas`; for a global service, one
    /// per active node).
    pub desired: u64,
    /// The tasks running now.
    pub running: u64,
    /// Ports published on the routing mesh.
    pub ports: Vec<PortView>,
    /// Its tasks, by slot (old ones a scale-down or an update shut down
    /// included: their `desired` is `shutdown`).
    pub tasks: Vec<TaskView>,
}

/// A port a service publishes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PortView {
    /// The port on every node (`80` of `-p 80:80`).
    pub published: u64,
    /// The port inside the task containers.
    pub target: u64,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
    /// `ingress` (the routing mesh: any node reaches any replica) or
    /// `host` (only the node a task runs on).
    pub mode: String,
}

/// One task: one slot's run of a service.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskView {
    /// Its id.
    pub id: String,
    /// The slot (1, 2, ... for replicated services; 0 for global ones).
    pub slot: u64,
    /// The state it should be in: `running`, `shutdown` or `complete`.
    pub desired: String,
    /// The state it is in: `new`, `pending`, ..., `starting`, `running`,
    /// `shutdown`, `failed`, ...
    pub state: String,
    /// Its container's name (`web.1.<task id>`; empty before it has one).
    pub container: String,
    /// Its container's id (empty before it has one).
    pub container_id: String,
}

/// The swarm task a container runs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskOf {
    /// The service's name.
    pub service: String,
    /// The task's slot (0 for a global service's task).
    pub slot: u64,
}

/// One container.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerView {
    /// Full id (random; goals never mention it).
    pub id: String,
    /// Name without the leading `/`.
    pub name: String,
    /// Image reference it was created from.
    pub image: String,
    /// The command of its main process.
    pub command: String,
    /// One of the API's seven states.
    pub state: String,
    /// Exit code of the main process (meaningful once exited).
    pub exit_code: i64,
    /// Host name inside the container.
    pub hostname: String,
    /// PID of the main process on the simulated host (0 when not running).
    pub host_pid: u64,
    /// IP address on its first network.
    pub ip: String,
    /// Name of its first network interface (`eth0`).
    pub interface: String,
    /// Networks it is attached to.
    pub networks: Vec<String>,
    /// Published ports as `host->container/proto`.
    pub ports: Vec<String>,
    /// Mounts as `source:destination`.
    pub mounts: Vec<String>,
    /// Processes running inside.
    pub processes: Vec<ProcessView>,
    /// Filesystem changes against the image, as `docker diff` shows them.
    pub changes: Vec<ChangeView>,
    /// Created without attaching the client's output (`docker run -d`):
    /// the create request's `AttachStdout` was false.
    pub detached: bool,
    /// The swarm task it runs (`web`, slot 2), or `None` for a container
    /// `docker run` made.
    pub task: Option<TaskOf>,
}

/// One process of a container.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcessView {
    /// PID inside the container's namespace (the main process is 1).
    pub pid: u64,
    /// PID on the host.
    pub host_pid: u64,
    /// Command line.
    pub command: String,
}

/// A filesystem change in a container's writable layer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeView {
    /// `A` (added), `C` (changed) or `D` (deleted).
    pub kind: String,
    /// The path.
    pub path: String,
}

/// One image (or one registry repository's tag).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageView {
    /// Image id (random-looking but derived from content; goals do not use
    /// it).
    pub id: String,
    /// Tags such as `nginx:latest`.
    pub tags: Vec<String>,
    /// Number of layers.
    pub layers: u64,
    /// Size in bytes.
    pub size: u64,
    /// Its history, bottom first, as `docker history` knows it: each
    /// instruction with the layer it made (the images view draws the
    /// Dockerfile's steps beside the layers, and which images share them).
    pub history: Vec<StepView>,
}

/// One step of an image's history.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StepView {
    /// The instruction (`/bin/sh -c #(nop) COPY app.py .`).
    pub by: String,
    /// The size its layer added, in bytes.
    pub size: u64,
    /// The first 12 hex digits of its layer's digest; empty for a step that
    /// made no layer (`CMD`, `ENV`).
    pub layer: String,
}

/// One network.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkView {
    /// Name.
    pub name: String,
    /// Driver (`bridge`, `host`, `null`).
    pub driver: String,
    /// Subnet in CIDR notation, when it has one.
    pub subnet: String,
    /// Names of the attached containers.
    pub containers: Vec<String>,
}

/// One volume.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VolumeView {
    /// Name.
    pub name: String,
    /// Where its data lives on the simulated host.
    pub mountpoint: String,
}
