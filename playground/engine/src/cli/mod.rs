//! The docker command line, simulated: [`Session::run`] parses a `docker ...`
//! line like the real CLI, carries it out through the dockhand SDK over the
//! in-memory transport (recording every HTTP exchange), and prints what the
//! real CLI prints.
//!
//! Every command calls `dockhand::Docker` and its typed handles
//! (`docker.containers().create(..)`, `.list(..)`, `docker.images().pull(..)`,
//! `container.exec(..)`, `docker.events(..)`, ...) and prints from the SDK's
//! models; `inspect` and `--format` over it use the SDK's untyped
//! `inspect_raw`, since they show the daemon's JSON whole. No request is
//! built by hand here, so the wire inspector shows exactly what the SDK
//! sends.
//!
//! The SDK is async; the in-memory engine answers at once, so each call is
//! polled once with a no-op waker (see `ready`), which needs no executor and
//! works the same on wasm32. What stays open (an attached shell, the `wait`
//! of `docker run`) is kept as the SDK's stream or future and polled again
//! after the simulated clock moves.

mod checkpoint;
pub mod flags;
pub mod format;
pub mod host_shell;
pub mod template;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll};

use dockhand::Body;
use dockhand::api::{
    AttachOptions, BuildOptions, ContainerCreate, ContainerFilters, ContainerListOptions, ContainerPruneFilters,
    EventFilters, EventsOptions, ExecOptions, ImageFilters, ImageListOptions, ImagePruneFilters, LogsOptions,
    NetworkCreateOptions, NetworkFilters, NetworkPruneFilters, PullOptions, PushOptions, PutArchiveOptions,
    VolumeCreateOptions, VolumeFilters, VolumePruneFilters,
};
use dockhand::build_context::BuildContext;
use dockhand::models::{
    AuthConfig, ContainerStateKind, ContainerWaitResponse, EndpointSettings, PortSummary, RestartPolicy,
    RestartPolicyName, WaitCondition,
};
use dockhand::stream::{Output, StdStream};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{AsyncWriteExt, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Engine;
use crate::transport::Exchange;
use crate::transport::{InMemoryTransport, Recorder, StdinTarget};
use crate::util::{human_duration, human_size, shell_words};
pub use checkpoint::Checkpoint;
use flags::{Parsed, Spec, parse};
use format::{distance, format_rows, table, template};

/// A change of the daemon's state caused by a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A container appeared.
    ContainerCreated {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
        /// Its image.
        image: String,
    },
    /// A container moved between states.
    ContainerState {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
        /// The state before (`created`, `running`, ...).
        from: String,
        /// The state after.
        to: String,
    },
    /// A state change the daemon refused (304 or 409).
    TransitionRefused {
        /// The container.
        container: String,
        /// The action (`start`, `exec`, `pause`, ...).
        action: String,
        /// The daemon's answer.
        reason: String,
    },
    /// A container was removed.
    ContainerRemoved {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
    },
    /// An image appeared.
    ImageAdded {
        /// Its id.
        id: String,
        /// Its tags.
        tags: Vec<String>,
    },
    /// An image's tags changed.
    ImageTagged {
        /// Its id.
        id: String,
        /// Its tags now.
        tags: Vec<String>,
    },
    /// An image was deleted.
    ImageRemoved {
        /// Its id.
        id: String,
    },
    /// A network was created.
    NetworkCreated {
        /// Its name.
        name: String,
    },
    /// A network was removed.
    NetworkRemoved {
        /// Its name.
        name: String,
    },
    /// A volume was created.
    VolumeCreated {
        /// Its name.
        name: String,
    },
    /// A volume was removed.
    VolumeRemoved {
        /// Its name.
        name: String,
    },
    /// The registry received an image.
    Pushed {
        /// `repo:tag`.
        reference: String,
    },
    /// The CLI now talks to another daemon.
    DaemonSwitched {
        /// Its name.
        to: String,
    },
}

/// What one command line did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The line as typed.
    pub command: String,
    /// What the CLI printed on stdout.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
    /// Its exit code.
    pub exit_code: i32,
    /// The HTTP exchanges, in order.
    pub exchanges: Vec<Exchange>,
    /// The state changes.
    pub changes: Vec<Change>,
    /// What happened, in plain words (for learners).
    pub explanation: Option<String>,
    /// What to try next, after an error.
    pub suggestion: Option<String>,
    /// The daemon the command went to (`local` or `remote`).
    pub daemon: String,
    /// The prompt to show next (`$ `, or the container shell's `/ # `).
    pub prompt: String,
}

struct Daemon {
    name: String,
    host: String,
    engine: Engine,
    recorder: Recorder,
    docker: dockhand::Docker,
}

impl Daemon {
    fn new(name: &str, host: &str, engine: Engine) -> Daemon {
        let recorder = Recorder::default();
        let transport = Arc::new(InMemoryTransport::recording(engine.clone(), recorder.clone()));
        let docker = dockhand::Docker::builder()
            .api_version("1.41")
            .ok()
            .and_then(|b| b.build_with_transport(transport.clone()).ok())
            .unwrap_or_else(|| dockhand::Docker::with_transport(transport.clone()));
        Daemon { name: name.into(), host: host.into(), engine, recorder, docker }
    }
}

/// What an attached output yields: the SDK's decoded items.
type OutputItems = BoxStream<'static, dockhand::Result<Output>>;

/// Docker Hub's address in credentials, as the docker CLI writes it.
const DOCKER_HUB: &str = "https://index.docker.io/v1/";

/// A shell the terminal is attached to (`run -it`, `exec -it`): the SDK's
/// output stream and stdin writer of the hijacked connection.
struct Attached {
    daemon: usize,
    target: StdinTarget,
    output: OutputItems,
    input: dockhand::AttachInput,
    prompt: String,
}

/// A terminal session: the simulated CLI, a local daemon, a remote daemon
/// (for `DOCKER_HOST`/context lessons), a project directory for builds.
pub struct Session {
    daemons: Vec<Daemon>,
    context: usize,
    host_env: Option<usize>,
    files: BTreeMap<String, String>,
    auth: Option<(String, String)>,
    attached: Option<Attached>,
    step_ms: u64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("daemon", &self.daemons[self.current()].name)
            .field("files", &self.files.len())
            .finish_non_exhaustive()
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// Runs a future the in-memory engine completes without waiting: one poll,
/// with a waker that does nothing. `None` if it would wait.
///
/// Every SDK call over [`InMemoryTransport`] resolves on its first poll:
/// the client's version is pinned (no negotiation lock to wait on), the
/// transport answers synchronously, and the engine's bodies hold what is
/// ready. A future that pends would wait for something that never comes
/// here (nothing wakes it), so it is reported as an error rather than
/// polled again; this also holds on wasm32, where there is no thread to
/// block. Long-lived answers (attach, `wait`, `logs -f`) are streams or
/// futures kept and polled again after the simulated clock moves.
fn ready<F: Future>(fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    poll_once(fut.as_mut())
}

/// Polls a future once with a waker that does nothing.
fn poll_once<F: Future + ?Sized>(fut: std::pin::Pin<&mut F>) -> Option<F::Output> {
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    match fut.poll(&mut cx) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

/// A size as the docker CLI reads `--memory`: a number and an optional unit
/// (`b`, `k`, `m`, `g`, `t`, `p`, any case, with an optional `b` after it:
/// `512m`, `1.5GB`), in bytes.
fn ram_in_bytes(text: &str) -> Option<i64> {
    let lower = text.trim().to_ascii_lowercase();
    let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = match &lower[digits.len()..] {
        "" | "b" => 1_i64,
        "k" | "kb" => 1 << 10,
        "m" | "mb" => 1 << 20,
        "g" | "gb" => 1 << 30,
        "t" | "tb" => 1 << 40,
        "p" | "pb" => 1 << 50,
        _ => return None,
    };
    let number: f64 = digits.parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    Some((number * unit as f64) as i64)
}

/// `-m` and `--cpus` of `run`, `create` and `update`, as the docker CLI
/// reads them: bytes and billionths of a CPU. `Err` is the CLI's message,
/// for the command's usage to follow.
fn limit_flags(p: &Parsed) -> Result<(Option<i64>, Option<i64>), String> {
    let memory = match p.val("memory") {
        Some(m) => Some(
            ram_in_bytes(m)
                .ok_or_else(|| format!("invalid argument \"{m}\" for \"-m, --memory\" flag: invalid size: '{m}'"))?,
        ),
        None => None,
    };
    let nano_cpus = match p.val("cpus") {
        Some(c) => {
            let cpus = c.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0).ok_or_else(|| {
                format!("invalid argument \"{c}\" for \"--cpus\" flag: failed to parse {c} as a rational number")
            })?;
            Some((cpus * 1e9) as i64)
        }
        None => None,
    };
    Ok((memory, nano_cpus))
}

/// `--restart no|always|unless-stopped|on-failure[:N]` as the SDK's policy.
fn restart_policy(text: &str) -> RestartPolicy {
    let (name, max) = text.split_once(':').map_or((text, 0), |(n, m)| (n, m.parse().unwrap_or(0)));
    let mut policy = RestartPolicy::no();
    policy.name = RestartPolicyName::from(name);
    policy.maximum_retry_count = max;
    policy
}

/// Prints list `rows`: their `key` column with `--quiet`, else through
/// `--format` (each row a struct of Go type `go_type` to the CLI) or as the
/// table of `header`; 1 for a bad format.
fn print_rows(
    p: &Parsed,
    key: &str,
    header: &[(&str, &str)],
    rows: &[Value],
    go_type: &'static str,
    out: &mut Out,
) -> i32 {
    if p.has("quiet") {
        for r in rows {
            out.line(r[key].as_str().unwrap_or(""));
        }
        return 0;
    }
    match format_rows(p.val("format").unwrap_or("table"), header, rows, go_type) {
        Ok(s) => {
            out.out(s);
            0
        }
        Err(e) => format_error(&e, header, out),
    }
}

/// A `--format` that failed: the CLI's error, and which fields the rows
/// have, naming the closest (`{{.Name}}` for `{{.Names}}`).
fn format_error(e: &str, header: &[(&str, &str)], out: &mut Out) -> i32 {
    out.err(format!("{e}\n"));
    if let Some(field) = e.split("can't evaluate field ").nth(1).and_then(|r| r.split(' ').next()) {
        let fields: Vec<String> = header.iter().map(|(k, _)| format!("{{{{.{k}}}}}")).collect();
        // A prefix either way first (`.Repo`, `.Name`), then the fewest edits.
        let near = |k: &str| if k.starts_with(field) || field.starts_with(k) { 0 } else { 1 + distance(k, field) };
        let closest = header.iter().map(|(k, _)| *k).min_by_key(|k| near(k));
        out.explain(format!(
            "Each row has the fields {}{}",
            fields.join(" "),
            closest.map(|k| format!(": did you mean {{{{.{k}}}}}?")).unwrap_or_default()
        ));
    }
    1
}

/// Reads what an attached output stream has now; `true` when it ended.
fn drain(output: &mut OutputItems) -> (Vec<Output>, bool) {
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut out = Vec::new();
    loop {
        match output.poll_next_unpin(&mut cx) {
            Poll::Ready(Some(Ok(o))) => out.push(o),
            Poll::Ready(Some(Err(_))) | Poll::Ready(None) => return (out, true),
            Poll::Pending => return (out, false),
        }
    }
}

/// A container's wait request, sent, its answer to come when it exits.
type Waiting = BoxFuture<'static, dockhand::Result<ContainerWaitResponse>>;

/// The step of [`Session::attach_wait_start`] that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Attach,
    Wait,
    Start,
}

/// An error answer from the daemon.
struct DaemonError {
    status: u16,
    message: String,
}

impl DaemonError {
    fn not_answered() -> DaemonError {
        DaemonError { status: 0, message: "the daemon did not answer".into() }
    }
}

impl From<&dockhand::Error> for DaemonError {
    /// The daemon's own words: its message for an error status, the
    /// message a progress stream carried, else the SDK's text.
    fn from(e: &dockhand::Error) -> DaemonError {
        match (e.api(), e) {
            (Some(api), _) => DaemonError { status: api.status, message: api.message.clone() },
            (None, dockhand::Error::Stream { message, .. }) => DaemonError { status: 0, message: message.clone() },
            (None, _) => DaemonError { status: 0, message: e.to_string() },
        }
    }
}

#[derive(Default)]
struct Out {
    stdout: String,
    stderr: String,
    explanation: Option<String>,
    suggestion: Option<String>,
    refused: Vec<Change>,
}

impl Out {
    fn out(&mut self, s: impl AsRef<str>) {
        self.stdout.push_str(s.as_ref());
    }
    fn line(&mut self, s: impl AsRef<str>) {
        self.stdout.push_str(s.as_ref());
        self.stdout.push('\n');
    }
    fn err(&mut self, s: impl AsRef<str>) {
        self.stderr.push_str(s.as_ref());
    }
    fn explain(&mut self, s: impl Into<String>) {
        if self.explanation.is_none() {
            self.explanation = Some(s.into());
        }
    }
}

type Res = Result<i32, i32>;

const TOP_LEVEL: &[&str] = &[
    "run",
    "create",
    "exec",
    "ps",
    "images",
    "logs",
    "start",
    "stop",
    "restart",
    "kill",
    "pause",
    "unpause",
    "rm",
    "rmi",
    "inspect",
    "top",
    "diff",
    "port",
    "stats",
    "rename",
    "wait",
    "attach",
    "commit",
    "update",
    "pull",
    "push",
    "tag",
    "build",
    "login",
    "logout",
    "history",
    "search",
    "cp",
    "version",
    "info",
    "events",
    "network",
    "volume",
    "system",
    "container",
    "image",
    "context",
];

/// What the change list compares: containers (name, state, image), image
/// tags, network names, volume names, registry references.
type Summary = (
    crate::state::Map<String, (String, String, String)>,
    BTreeMap<String, Vec<String>>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
);

fn snapshot_summary(engine: &Engine) -> Summary {
    engine.with_state(|st| {
        let containers = crate::util::map_of(
            st.containers
                .values()
                .map(|c| (c.id.clone(), (c.name.clone(), c.status.as_str().to_string(), c.image_ref.clone()))),
        );
        let images = crate::util::map_of(st.images.keys().map(|id| (id.clone(), st.tags_of(id))));
        let networks = st.networks.values().map(|n| n.name.clone()).collect();
        let volumes = st.volumes.keys().cloned().collect();
        let pushed = st
            .registry
            .repos
            .iter()
            .flat_map(|(r, tags)| tags.iter().map(move |(t, i)| format!("{r}:{t}@{}", i.id)))
            .collect();
        (containers, images, networks, volumes, pushed)
    })
}

impl Session {
    /// A session with a fresh local daemon and a fresh remote one.
    pub fn new() -> Session {
        Session::with_seed(42)
    }

    /// A session whose ids come from `seed`.
    pub fn with_seed(seed: u64) -> Session {
        Session {
            daemons: vec![
                Daemon::new("local", "unix:///var/run/docker.sock", Engine::with_seed("dockhand-sim", seed)),
                Daemon::new("remote", "tcp://remote.example:2376", Engine::with_seed("remote", seed ^ 0x5eed)),
            ],
            context: 0,
            host_env: None,
            files: BTreeMap::from([
                (
                    "Dockerfile".to_string(),
                    "FROM python:3.13\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n".to_string(),
                ),
                ("app.py".to_string(), "print(\"Hello from my first image!\")\n".to_string()),
            ]),
            auth: None,
            attached: None,
            step_ms: 1000,
        }
    }

    /// A session whose local daemon is `engine` (to set up state for a
    /// test with docker commands, then hand `engine.docker()` to the code
    /// under test).
    pub fn for_engine(engine: Engine) -> Session {
        let mut s = Session::new();
        s.daemons[0] = Daemon::new("local", "unix:///var/run/docker.sock", engine);
        s
    }

    fn current(&self) -> usize {
        self.host_env.unwrap_or(self.context)
    }

    /// The local daemon's engine.
    pub fn engine(&self) -> &Engine {
        &self.daemons[0].engine
    }

    /// The remote daemon's engine (the target of `DOCKER_HOST=tcp://remote...`).
    pub fn remote_engine(&self) -> &Engine {
        &self.daemons[1].engine
    }

    /// The engine commands go to now.
    pub fn current_engine(&self) -> &Engine {
        &self.daemons[self.current()].engine
    }

    /// The prompt to show: `$ `, or the attached container shell's.
    pub fn prompt(&self) -> String {
        self.attached.as_ref().map(|a| a.prompt.clone()).unwrap_or_else(|| "$ ".into())
    }

    /// Simulated milliseconds each command lets pass (default 1000).
    pub fn set_step_ms(&mut self, ms: u64) {
        self.step_ms = ms;
    }

    /// Lets simulated time pass on both daemons.
    pub fn advance(&mut self, ms: u64) {
        for d in &self.daemons {
            d.engine.advance(ms);
        }
    }

    /// Writes a file of the project directory (the build context).
    pub fn write_file(&mut self, path: &str, content: &str) {
        self.files.insert(path.trim_start_matches("./").to_string(), content.to_string());
    }

    /// Removes a file of the project directory.
    pub fn remove_file(&mut self, path: &str) -> bool {
        self.files.remove(path.trim_start_matches("./")).is_some()
    }

    /// The project directory: path to content.
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    /// The whole session (both daemons, files, context) as JSON.
    pub fn snapshot(&self) -> String {
        let v = json!({
            "version": 1,
            "local": serde_json::from_str::<Value>(&self.daemons[0].engine.snapshot()).unwrap_or(Value::Null),
            "remote": serde_json::from_str::<Value>(&self.daemons[1].engine.snapshot()).unwrap_or(Value::Null),
            "files": self.files,
            "context": self.context,
            "host_env": self.host_env,
        });
        v.to_string()
    }

    /// Restores a [`Session::snapshot`]; `Err` with a message for bad input
    /// (the session is unchanged then).
    pub fn restore(&mut self, json: &str) -> Result<(), String> {
        let v: Value = serde_json::from_str(json).map_err(|e| format!("invalid snapshot: {e}"))?;
        let local: crate::State = serde_json::from_value(v.get("local").cloned().unwrap_or(Value::Null))
            .map_err(|e| format!("invalid snapshot (local): {e}"))?;
        let remote: crate::State = serde_json::from_value(v.get("remote").cloned().unwrap_or(Value::Null))
            .map_err(|e| format!("invalid snapshot (remote): {e}"))?;
        let files: BTreeMap<String, String> = serde_json::from_value(v.get("files").cloned().unwrap_or(json!({})))
            .map_err(|e| format!("invalid snapshot (files): {e}"))?;
        self.daemons[0].engine.with_state_mut(|s| *s = local);
        self.daemons[1].engine.with_state_mut(|s| *s = remote);
        self.files = files;
        self.context = v.get("context").and_then(Value::as_u64).map(|c| (c as usize).min(1)).unwrap_or(0);
        self.host_env = v.get("host_env").and_then(Value::as_u64).map(|c| (c as usize).min(1));
        self.attached = None;
        Ok(())
    }

    /// A view of the current daemon's state for diagrams: containers (with
    /// processes, PIDs inside and on the host, IPs, ports, mounts), images,
    /// networks, volumes, the registry.
    pub fn view(&self) -> Value {
        let engine = self.current_engine();
        engine.with_state(|st| {
            json!({
                "daemon": self.daemons[self.current()].name,
                "clock": crate::util::rfc3339(st.clock_ms),
                "containers": st.containers.values().map(|c| json!({
                    "id": c.id, "name": c.name, "image": c.image_ref, "status": c.status.as_str(), "exit_code": c.exit_code,
                    "pid": c.pid, "hostname": c.hostname,
                    "processes": c.processes.iter().map(|p| json!({"pid": p.pid, "host_pid": p.host_pid, "command": p.argv.join(" "), "user": p.user})).collect::<Vec<_>>(),
                    "networks": c.networks.iter().map(|(n, e)| json!({"network": n, "ip": e.ip, "mac": e.mac})).collect::<Vec<_>>(),
                    "ports": c.ports.iter().map(|p| format!("{}:{}->{}", p.host_ip, p.host_port, p.container_port)).collect::<Vec<_>>(),
                    "mounts": c.mounts.iter().map(|m| json!({"type": m.kind, "source": m.source, "destination": m.destination})).collect::<Vec<_>>(),
                    "changes": st.changes(&c.id).into_iter().map(|(k, p)| format!("{} {p}", ["C", "A", "D"][usize::from(k.min(2))])).collect::<Vec<_>>(),
                    "restart_count": c.restart_count,
                })).collect::<Vec<_>>(),
                "images": st.images.values().map(|i| json!({"id": i.id, "tags": st.tags_of(&i.id), "layers": i.layers, "size": i.size, "parent": i.parent})).collect::<Vec<_>>(),
                "networks": st.networks.values().map(|n| json!({"id": n.id, "name": n.name, "driver": n.driver, "subnet": n.subnet})).collect::<Vec<_>>(),
                "volumes": st.volumes.values().map(|v| json!({"name": v.name, "files": v.files.len()})).collect::<Vec<_>>(),
                "registry": st.registry.repos.iter().map(|(r, t)| json!({"repository": r, "tags": t.keys().collect::<Vec<_>>()})).collect::<Vec<_>>(),
            })
        })
    }

    /// Completions for a partly typed line (commands, subcommands, flags,
    /// container and image names).
    pub fn complete(&self, line: &str) -> Vec<String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let partial = if line.ends_with(' ') { "" } else { words.last().copied().unwrap_or("") };
        let done = if line.ends_with(' ') { words.len() } else { words.len().saturating_sub(1) };
        let mut cands: Vec<String> = match done {
            0 => vec!["docker".into(), "curl".into(), "ls".into(), "cat".into()],
            1 if words.first() == Some(&"docker") => TOP_LEVEL.iter().map(|s| s.to_string()).collect(),
            _ if words
                .get(1)
                .is_some_and(|w| matches!(*w, "network" | "volume" | "system" | "context" | "container" | "image"))
                && done == 2 =>
            {
                flags::SPECS
                    .iter()
                    .filter_map(|s| s.name.strip_prefix(&format!("{} ", words[1])).map(String::from))
                    .collect()
            }
            _ => {
                if partial.starts_with('-') {
                    let name = words.get(1).copied().unwrap_or("");
                    flags::spec(name)
                        .map(|s| s.flags.iter().map(|f| format!("--{}", f.0)).collect())
                        .unwrap_or_default()
                } else {
                    self.current_engine().with_state(|st| {
                        let mut v: Vec<String> = st.containers.values().map(|c| c.name.clone()).collect();
                        v.extend(st.tags.keys().map(|t| t.trim_end_matches(":latest").to_string()));
                        v.extend(st.registry.repos.keys().cloned());
                        v.extend(st.networks.values().map(|n| n.name.clone()));
                        v.extend(st.volumes.keys().filter(|k| k.len() < 40).cloned());
                        v
                    })
                }
            }
        };
        cands.retain(|c| c.starts_with(partial));
        cands.sort();
        cands.dedup();
        cands
    }

    /// Runs one command line and reports what it did. Never panics.
    pub fn run(&mut self, line: &str) -> Outcome {
        let before: Vec<_> = self.daemons.iter().map(|d| snapshot_summary(&d.engine)).collect();
        let daemon_before = self.current();
        for d in &self.daemons {
            let _ = d.recorder.take();
        }
        let mut out = Out::default();
        let code = if self.attached.is_some() {
            self.stdin_line(line, &mut out)
        } else {
            for d in &self.daemons {
                d.engine.advance(self.step_ms);
            }
            match self.dispatch(line, &mut out) {
                Ok(c) | Err(c) => c,
            }
        };
        self.sync_registry();
        let mut exchanges = Vec::new();
        for d in &self.daemons {
            exchanges.extend(d.recorder.take());
        }
        let mut changes = std::mem::take(&mut out.refused);
        for (i, d) in self.daemons.iter().enumerate() {
            changes.extend(diff(&before[i], &snapshot_summary(&d.engine)));
        }
        if self.current() != daemon_before {
            changes.push(Change::DaemonSwitched { to: self.daemons[self.current()].name.clone() });
        }
        Outcome {
            command: line.to_string(),
            stdout: out.stdout,
            stderr: out.stderr,
            exit_code: code,
            exchanges,
            changes,
            explanation: out.explanation,
            suggestion: out.suggestion,
            daemon: self.daemons[self.current()].name.clone(),
            prompt: self.prompt(),
        }
    }

    /// Both daemons use the same registry (Docker Hub): copy the current
    /// daemon's registry, and the layers it holds, to the other.
    fn sync_registry(&mut self) {
        let from = self.current();
        let (registry, layers) = self.daemons[from].engine.with_state(|st| {
            let layers: Vec<crate::state::Layer> =
                st.registry.blobs.iter().filter_map(|d| st.layers.get(d).cloned()).collect();
            (st.registry.clone(), layers)
        });
        for (i, d) in self.daemons.iter().enumerate() {
            if i != from {
                d.engine.with_state_mut(|st| {
                    if st.registry != registry {
                        st.registry = registry.clone();
                        for l in &layers {
                            st.layers.entry(l.digest.clone()).or_insert_with(|| l.clone());
                        }
                    }
                });
            }
        }
    }

    fn stdin_line(&mut self, line: &str, out: &mut Out) -> i32 {
        let Some(mut a) = self.attached.take() else { return 0 };
        let engine = self.daemons[a.daemon].engine.clone();
        let trimmed = line.trim();
        // The SDK's stdin writer: bytes go over the hijacked connection.
        let written = if trimmed == "exit" || trimmed == "logout" {
            ready(a.input.close())
        } else {
            let mut data = line.as_bytes().to_vec();
            data.push(b'\n');
            // The TTY echoes what is typed; the terminal already shows it.
            let _ = drain(&mut a.output);
            ready(a.input.write_all(&data))
        };
        if !matches!(written, Some(Ok(()))) {
            out.err("the connection to the container's stdin is closed\n");
        }
        // A line that sleeps (`sleep 2; echo done`): simulated time passes
        // until the shell is back at its prompt, as the terminal would wait.
        let (mut items, mut ended) = drain(&mut a.output);
        for _ in 0..1000 {
            let sleeping = !ended
                && engine.with_state(|st| {
                    let pid = match &a.target.exec {
                        Some(e) => st.execs.get(e).map(|x| x.pid),
                        None => Some(1),
                    };
                    st.containers
                        .get(&a.target.container)
                        .and_then(|c| c.processes.iter().find(|p| Some(p.pid) == pid))
                        .is_some_and(|p| matches!(p.program, crate::state::Program::Script { wake_ms: Some(_), .. }))
                });
            let Some(wake) = engine.with_state(|st| st.next_wake()).filter(|_| sleeping) else { break };
            engine.advance(wake.saturating_sub(engine.now_ms()).max(1));
            let (more, done) = drain(&mut a.output);
            items.extend(more);
            ended |= done;
        }
        // With a tty, the console; without, every stream in order.
        let text: String = items.iter().map(|o| String::from_utf8_lossy(&o.data).into_owned()).collect();
        // Drop the echo of the line itself.
        let text = text.replace("\r\n", "\n");
        let mut text = text.strip_prefix(&format!("{line}\n")).map(String::from).unwrap_or(text);
        // The shell prints its prompt after each line: the terminal shows it
        // as the prompt (it names the directory, which `cd` changes).
        if !a.prompt.is_empty()
            && let Some(prompt) = take_prompt(&mut text)
        {
            a.prompt = prompt;
        }
        out.out(text);
        let still = !ended
            && engine.with_state(|st| {
                let pid = match &a.target.exec {
                    Some(e) => st.execs.get(e).map(|e| (e.running, e.pid)),
                    None => st
                        .containers
                        .get(&a.target.container)
                        .map(|c| (matches!(c.status, crate::state::Status::Running), 1)),
                };
                pid.is_some_and(|(r, _)| r)
            });
        if still {
            self.attached = Some(a);
            0
        } else {
            out.explain("The shell ended, so the attached session is over and you are back on the host.");
            0
        }
    }

    fn d(&self) -> &Daemon {
        &self.daemons[self.current()]
    }

    /// The SDK client of the current daemon.
    fn docker(&self) -> &dockhand::Docker {
        &self.d().docker
    }

    /// The SDK's handle for a container of the current daemon.
    fn container(&self, id: &str) -> dockhand::Container {
        self.docker().containers().get(id)
    }

    /// Runs an SDK call to completion (the in-memory engine answers at
    /// once) and turns its error into the daemon's message. Not inlined:
    /// each call's future then sits in a function of its own instead of in
    /// the command's, which makes the WebAssembly module 1.1 KB smaller
    /// gzipped (docs/performance.md).
    #[inline(never)]
    fn sdk<T>(&self, fut: impl Future<Output = dockhand::Result<T>>) -> Result<T, DaemonError> {
        match ready(fut) {
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(DaemonError::from(&e)),
            None => Err(DaemonError::not_answered()),
        }
    }

    /// Reads an SDK stream to its end: its items, and the first error (a
    /// stream that would wait counts as an error: the in-memory engine
    /// never makes a finished request wait).
    fn sdk_stream<T>(&self, stream: BoxStream<'static, dockhand::Result<T>>) -> (Vec<T>, Option<DaemonError>) {
        let mut stream = stream;
        let mut items = Vec::new();
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        loop {
            match stream.poll_next_unpin(&mut cx) {
                Poll::Ready(Some(Ok(item))) => items.push(item),
                Poll::Ready(Some(Err(e))) => return (items, Some(DaemonError::from(&e))),
                Poll::Ready(None) => return (items, None),
                Poll::Pending => return (items, Some(DaemonError::not_answered())),
            }
        }
    }

    /// `HEAD /_ping`, as the real CLI sends before a command.
    fn ping(&self) {
        let _ = self.sdk(self.docker().ping_head());
    }

    fn daemon_error(&self, e: DaemonError, out: &mut Out, code: i32, prefix: &str) -> i32 {
        if e.status == 0 {
            // The SDK refused before sending (a name with `..`, an empty
            // image), or nothing answered: not the daemon's words.
            out.err(format!("{}{}\n", if prefix.is_empty() { "Error: " } else { prefix }, e.message));
            if e.message.starts_with("invalid ") {
                out.explain("The docker client stopped this command itself, before asking the daemon: the name or value given cannot be used in a request.");
            }
            return code;
        }
        out.err(format!("{prefix}Error response from daemon: {}\n", e.message));
        teach_error(&e.message, out);
        if e.status == 304 {
            return 0;
        }
        code
    }

    /// Replaces each `$(docker ...)` of `line` by that command's output, its
    /// words joined by spaces as bash does unquoted (`docker rm -f $(docker
    /// ps -aq)`); the inner command's errors show.
    fn expand_substitutions(&mut self, line: &str, out: &mut Out, depth: usize) -> Result<String, i32> {
        let found = host_shell::docker_substitutions(line);
        if found.is_empty() {
            return Ok(line.to_string());
        }
        if depth >= host_shell::MAX_NESTING {
            out.err("bash: command substitutions nested too deeply\n");
            return Err(2);
        }
        let (mut expanded, mut at) = (String::new(), 0);
        for (range, command) in found {
            expanded.push_str(&line[at..range.start]);
            let mut inner = Out::default();
            let _ = self.dispatch_nested(&command, &mut inner, depth + 1);
            out.err(inner.stderr);
            expanded.push_str(&inner.stdout.split_whitespace().collect::<Vec<_>>().join(" "));
            at = range.end;
        }
        expanded.push_str(&line[at..]);
        Ok(expanded)
    }

    /// `docker ps -a | grep web | wc -l`: the first command's output goes
    /// through busybox's text filters, as the host's shell would pipe it.
    fn pipeline(&mut self, stages: &[String], out: &mut Out, depth: usize) -> Res {
        if stages.iter().any(String::is_empty) {
            out.err("bash: syntax error near unexpected token `|'\n");
            return Err(2);
        }
        let mut code = match self.dispatch_nested(&stages[0], out, depth) {
            Ok(c) | Err(c) => c,
        };
        let mut text = std::mem::take(&mut out.stdout);
        for stage in &stages[1..] {
            let argv = match shell_words(stage) {
                Ok(argv) => argv,
                Err(e) => {
                    out.err(format!("bash: syntax error: {e}\n"));
                    return Err(2);
                }
            };
            if argv[0] == "xargs" {
                (text, code) = self.xargs(&argv[1..], &text, out, depth);
                continue;
            }
            if !crate::shell::HOST_FILTERS.contains(&argv[0].as_str()) {
                out.err(format!("bash: {}: command not found\n", argv[0]));
                out.explain(format!(
                    "Here docker's output can be piped into xargs and busybox's text filters: {}.",
                    crate::shell::HOST_FILTERS.join(", ")
                ));
                return Err(127);
            }
            let (filtered, errors, status) =
                self.current_engine().with_state_mut(|st| crate::shell::host_filter(st, &argv, text));
            out.err(errors);
            (text, code) = (filtered, status);
        }
        out.out(text);
        Ok(code)
    }

    /// `... | xargs docker stop`: runs the command with the input's words
    /// as arguments; its output, and GNU xargs's exit code (123 when a
    /// command failed, 127 when there is no such command).
    fn xargs(&mut self, args: &[String], input: &str, out: &mut Out, depth: usize) -> (String, i32) {
        let x = match host_shell::Xargs::parse(args) {
            Ok(x) => x,
            Err(e) => {
                out.err(format!("{e}\n"));
                return (String::new(), 1);
            }
        };
        if !["docker", "echo", "cat", "curl", "wget"].contains(&x.command[0].as_str()) {
            out.err(format!("xargs: {}: No such file or directory\n", x.command[0]));
            return (String::new(), 127);
        }
        let (mut text, mut failed) = (String::new(), false);
        for line in x.lines(input) {
            let mut inner = Out::default();
            let status = match self.dispatch_nested(&line, &mut inner, depth + 1) {
                Ok(c) | Err(c) => c,
            };
            out.err(inner.stderr);
            text.push_str(&inner.stdout);
            failed |= status != 0;
        }
        (text, if failed { 123 } else { 0 })
    }

    fn dispatch(&mut self, line: &str, out: &mut Out) -> Res {
        self.dispatch_nested(line, out, 0)
    }

    /// A command line inside `depth` command substitutions.
    fn dispatch_nested(&mut self, line: &str, out: &mut Out, depth: usize) -> Res {
        let line = self.expand_substitutions(line, out, depth)?;
        let stages = host_shell::split_pipeline(&line);
        if stages.len() > 1 {
            return self.pipeline(&stages, out, depth);
        }
        let words = match shell_words(line.trim()) {
            Ok(w) => w,
            Err(e) => {
                out.err(format!("bash: syntax error: {e}\n"));
                out.explain("A quote was opened and never closed. Close it with the same kind of quote.");
                return Err(2);
            }
        };
        let Some(first) = words.first() else { return Ok(0) };
        match first.as_str() {
            "docker" => {}
            "curl" | "wget" => return Ok(self.host_fetch(&words[1..], out)),
            "ls" => {
                for f in self.files.keys() {
                    out.line(f);
                }
                return Ok(0);
            }
            "cat" => {
                let mut code = 0;
                for f in &words[1..] {
                    match self.files.get(f.trim_start_matches("./")) {
                        Some(c) => out.out(c),
                        None => {
                            out.err(format!("cat: {f}: No such file or directory\n"));
                            code = 1;
                        }
                    }
                }
                return Ok(code);
            }
            "export" | "unset" => return Ok(self.env_command(&words, out)),
            "echo" => {
                out.line(words[1..].join(" "));
                return Ok(0);
            }
            "clear" | "history" => return Ok(0),
            other => {
                out.err(format!("bash: {other}: command not found\n"));
                out.explain("This terminal runs docker commands (and a few helpers: curl, ls, cat, export DOCKER_HOST=...). Programs like this one run inside containers.");
                if distance(other, "docker") <= 2 {
                    out.suggestion = Some("docker".into());
                } else {
                    out.suggestion = Some(format!("docker run --rm busybox {}", words.join(" ")));
                }
                return Err(127);
            }
        }
        // Global flags.
        let mut i = 1;
        let saved_host = self.host_env;
        let mut one_shot: Option<usize> = None;
        while i < words.len() && words[i].starts_with('-') {
            let w = words[i].as_str();
            let (name, inline) = match w.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (w, None),
            };
            match name {
                "-H" | "--host" | "-c" | "--context" => {
                    let value = match inline {
                        Some(v) => v,
                        None => {
                            i += 1;
                            match words.get(i) {
                                Some(v) => v.clone(),
                                None => return Err(global_flag_needs_value(name, out)),
                            }
                        }
                    };
                    let target = if name.contains('H') || name == "--host" {
                        self.resolve_host(&value, out)
                    } else {
                        self.resolve_context(&value, out)
                    };
                    match target {
                        Some(t) => one_shot = Some(t),
                        None => return Err(1),
                    }
                }
                "-D" | "--debug" | "-l" | "--log-level" | "--tls" | "--tlsverify" => {
                    if (name == "-l" || name == "--log-level") && inline.is_none() {
                        if i + 1 == words.len() {
                            return Err(global_flag_needs_value(name, out));
                        }
                        i += 1;
                    }
                }
                "-v" | "--version" => {
                    out.line(format!(
                        "Docker version 28.2.2, build e6534b4 (simulated CLI over dockhand {})",
                        dockhand::USER_AGENT
                    ));
                    return Ok(0);
                }
                "--help" | "-h" => {
                    out.out(self.top_help());
                    return Ok(0);
                }
                other => {
                    out.err(format!("unknown flag: {other}\n\nUsage:  docker [OPTIONS] COMMAND\n\nRun 'docker --help' for more information\n"));
                    out.explain(
                        "Options before the command are global options of the docker client: -H/--host, --context, -D.",
                    );
                    return Err(125);
                }
            }
            i += 1;
        }
        if let Some(t) = one_shot {
            self.host_env = Some(t);
        }
        let result = self.command(&words[i..], out);
        if one_shot.is_some() {
            self.host_env = saved_host;
        }
        result
    }

    fn top_help(&self) -> String {
        let mut s = String::from(
            "\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers (simulated)\n\nCommon Commands:\n",
        );
        for c in ["run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "version", "info"] {
            let about = flags::spec(c).map(|s| s.about).unwrap_or("");
            s.push_str(&format!("  {c:<11} {about}\n"));
        }
        s.push_str("\nManagement Commands:\n  container   Manage containers\n  context     Manage contexts\n  image       Manage images\n  network     Manage networks\n  system      Manage Docker\n  volume      Manage volumes\n\nGlobal Options:\n  -c, --context string   Name of the context to use to connect to the daemon\n  -H, --host string      Daemon socket to connect to\n\nRun 'docker COMMAND --help' for more information on a command.\n");
        s
    }

    fn resolve_host(&self, value: &str, out: &mut Out) -> Option<usize> {
        let v = value.trim();
        if v.is_empty() || v == "unix:///var/run/docker.sock" || v.starts_with("unix://") && v.ends_with("docker.sock")
        {
            return Some(0);
        }
        if v.contains("remote") {
            return Some(1);
        }
        out.err(format!("Cannot connect to the Docker daemon at {v}. Is the docker daemon running?\n"));
        out.explain(format!("The client sends every command over HTTP to the daemon named by -H or DOCKER_HOST. Nothing answers at {v}. In the simulation, two daemons exist: unix:///var/run/docker.sock (local) and tcp://remote.example:2376 (remote)."));
        out.suggestion = Some("docker -H tcp://remote.example:2376 ps".into());
        None
    }

    fn resolve_context(&self, value: &str, out: &mut Out) -> Option<usize> {
        match value {
            "default" => Some(0),
            "remote" => Some(1),
            other => {
                out.err(format!("context \"{other}\" does not exist\n"));
                out.suggestion = Some("docker context ls".into());
                None
            }
        }
    }

    fn env_command(&mut self, words: &[String], out: &mut Out) -> i32 {
        let arg = words.get(1).cloned().unwrap_or_default();
        if words[0] == "unset" {
            if arg == "DOCKER_HOST" {
                self.host_env = None;
                out.explain("DOCKER_HOST is unset: commands go to the daemon of the current context again.");
            }
            return 0;
        }
        match arg.split_once('=') {
            Some(("DOCKER_HOST", v)) => match self.resolve_host(v, out) {
                Some(t) => {
                    self.host_env = Some(t);
                    out.explain(format!(
                        "From now on the docker client sends its HTTP requests to {} ({} daemon).",
                        if t == 0 { "unix:///var/run/docker.sock" } else { "tcp://remote.example:2376" },
                        self.daemons[t].name
                    ));
                    0
                }
                None => 1,
            },
            _ => 0,
        }
    }

    fn host_fetch(&mut self, args: &[String], out: &mut Out) -> i32 {
        let url = args.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
        let Some((host, port, path)) = crate::shell::parse_url(&url) else {
            out.err("curl: (3) URL rejected: Malformed input to a URL function\n");
            return 3;
        };
        if host != "localhost" && host != "127.0.0.1" {
            out.err(format!("curl: (6) Could not resolve host: {host}\n"));
            out.explain("The simulated host has no internet access. Published ports answer on localhost: `docker run -d -p 8080:80 nginx`, then `curl localhost:8080`.");
            return 6;
        }
        let engine = self.daemons[0].engine.clone();
        match engine.host_get(port, &path) {
            Ok((_, body)) => {
                out.out(body);
                out.explain(format!("The host's port {port} is published to a container: the daemon forwards the connection to the container's port, where its web server answered."));
                0
            }
            Err(e) => {
                out.err(format!("curl: (7) {e}\n"));
                out.explain(format!("Nothing listens on localhost:{port}. A container's port is reachable from the host only when published with -p HOST:CONTAINER, and only while the container runs."));
                out.suggestion = Some(format!("docker run -d -p {port}:80 nginx"));
                7
            }
        }
    }

    fn command(&mut self, words: &[String], out: &mut Out) -> Res {
        let Some(cmd) = words.first() else {
            out.out(self.top_help());
            return Ok(0);
        };
        // Management commands and their aliases.
        let (name, rest): (String, &[String]) = match cmd.as_str() {
            "container" | "image" | "network" | "volume" | "system" | "context" | "builder" => {
                let Some(sub) = words.get(1) else {
                    out.err(format!("\nUsage:  docker {cmd} COMMAND\n\nManage {cmd}s\n\nRun 'docker {cmd} COMMAND --help' for more information on a command.\n"));
                    return Err(0);
                };
                let sub = match sub.as_str() {
                    "list" => "ls",
                    "remove" => "rm",
                    s => s,
                };
                let mapped = match (cmd.as_str(), sub) {
                    ("container", "ls" | "ps") => "ps".to_string(),
                    ("container", "prune") => "container prune".into(),
                    ("container", s) => s.to_string(),
                    ("image", "ls") => "images".into(),
                    ("image", "rm") => "rmi".into(),
                    ("image", "prune") => "image prune".into(),
                    ("image", s) => s.to_string(),
                    ("system", "info") => "info".into(),
                    ("system", "events") => "events".into(),
                    (c, s) => format!("{c} {s}"),
                };
                (mapped, &words[2..])
            }
            other => (other.to_string(), &words[1..]),
        };
        let Some(spec) = flags::spec(&name) else {
            let shown = if name.contains(' ') {
                name.clone()
            } else {
                words.iter().take(1).cloned().collect::<Vec<_>>().join(" ")
            };
            out.err(format!("docker: unknown command: docker {shown}\n\nRun 'docker --help' for more information\n"));
            let best = TOP_LEVEL.iter().chain(flags::SPECS.iter().map(|s| &s.name)).min_by_key(|c| distance(c, &name));
            if let Some(b) = best.filter(|b| distance(b, &name) <= 2) {
                out.suggestion = Some(format!("docker {b}"));
                out.explain(format!("`{name}` is not a docker command. Did you mean `docker {b}`?"));
            } else {
                out.explain("`docker --help` lists the commands. The everyday ones: run, ps, images, logs, exec, stop, rm, build, pull, push.");
            }
            return Err(1);
        };
        let parsed = match parse(spec, rest) {
            Ok(p) => p,
            Err(e) => {
                out.err(e.message);
                out.explain(e.explanation);
                out.suggestion = Some(format!("docker {} --help", spec.name));
                return Err(e.code);
            }
        };
        if parsed.has("help") {
            out.out(flags::help(spec));
            return Ok(0);
        }
        self.ping();
        let code = self.execute(spec, &parsed, out);
        if out.explanation.is_none() {
            out.explanation = explain(spec.name).map(String::from);
        }
        Ok(code)
    }

    fn execute(&mut self, spec: &Spec, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        match spec.name {
            "run" | "create" => self.run_cmd(spec.name == "run", p, out),
            // Lifecycle commands go through the SDK's container handle.
            "start" if p.has("attach") || p.has("interactive") => self.start_attached(p, out),
            "start" => self.each(a, out, "start", |s, id| s.sdk(s.container(id).start())),
            "stop" | "restart" => {
                let mut opts = dockhand::api::StopOptions::new();
                if let Some(t) = p.val("time").or(p.val("timeout")).and_then(|t| t.parse::<u64>().ok()) {
                    opts = opts.timeout(std::time::Duration::from_secs(t));
                }
                if spec.name == "stop" {
                    self.each(a, out, "stop", |s, id| s.sdk(s.container(id).stop_with(opts.clone())))
                } else {
                    self.each(a, out, "restart", |s, id| s.sdk(s.container(id).restart_with(opts.clone())))
                }
            }
            "kill" => {
                let sig = p.val("signal").unwrap_or("KILL").to_string();
                self.each(a, out, "kill", |s, id| s.sdk(s.container(id).kill_with(&sig)))
            }
            "pause" => self.each(a, out, "pause", |s, id| s.sdk(s.container(id).pause())),
            "unpause" => self.each(a, out, "unpause", |s, id| s.sdk(s.container(id).unpause())),
            "rm" => {
                let opts = dockhand::api::ContainerRemoveOptions::new().force(p.has("force")).volumes(p.has("volumes"));
                self.each(a, out, "rm", |s, id| s.sdk(s.container(id).remove(opts)).map(|_| dockhand::Change::Done))
            }
            "rename" => match self.sdk(self.container(&a[0]).rename(&a[1])) {
                Ok(_) => 0,
                Err(e) => {
                    let code = self.daemon_error(e, out, 1, "");
                    out.err(format!("Error: failed to rename container named {}\n", a[0]));
                    code
                }
            },
            "update" => self.update(p, out),
            "commit" => self.commit(p, out),
            "ps" => self.ps(p, out),
            "images" => self.images(p, out),
            "logs" => self.logs(p, out),
            "exec" => self.exec(p, out),
            "inspect" => self.inspect(p, out),
            "top" => match self.sdk(self.container(&a[0]).top(None)) {
                Ok(t) => {
                    let mut rows = vec![t.titles];
                    rows.extend(t.processes);
                    out.out(table(&rows));
                    out.explain("These are the container's processes as the host sees them: PIDs from the host's PID namespace. Inside the container (`docker exec NAME ps`) the main process is PID 1.");
                    0
                }
                Err(e) => self.daemon_error(e, out, 1, ""),
            },
            "diff" => match self.sdk(self.container(&a[0]).changes()) {
                Ok(changes) => {
                    for c in changes {
                        let kind = ["C", "A", "D"].get(c.kind.code() as usize).copied().unwrap_or("C");
                        out.line(format!("{kind} {}", c.path));
                    }
                    out.explain("A container's filesystem is its image's read-only layers plus one writable layer. diff lists what the container changed (C), added (A) or deleted (D) in that writable layer.");
                    0
                }
                Err(e) => self.daemon_error(e, out, 1, ""),
            },
            "port" => match self.sdk(self.container(&a[0]).inspect_raw()) {
                Ok(c) => {
                    for (k, binds) in c["NetworkSettings"]["Ports"].as_object().into_iter().flatten() {
                        if a.get(1).is_some_and(|want| k != want && k != &format!("{want}/tcp")) {
                            continue;
                        }
                        for b in binds.as_array().into_iter().flatten() {
                            let ip = b["HostIp"].as_str().unwrap_or("");
                            let ip = if ip == "::" { "[::]" } else { ip };
                            let address = format!("{ip}:{}", b["HostPort"].as_str().unwrap_or(""));
                            // Asked for one port, the CLI prints its addresses only.
                            out.line(if a.len() > 1 { address } else { format!("{k} -> {address}") });
                        }
                    }
                    0
                }
                Err(e) => self.daemon_error(e, out, 1, ""),
            },
            "stats" => self.stats(p, out),
            "pull" => self.pull(&a[0], p.has("quiet"), out),
            "push" => self.push(&a[0], out),
            "tag" => {
                let Some(r) = crate::sim::Reference::parse(&a[1]) else {
                    out.err(format!(
                        "Error parsing reference: \"{}\" is not a valid repository/tag: invalid reference format\n",
                        a[1]
                    ));
                    out.explain("Image names are lowercase: [registry/][namespace/]name[:tag].");
                    return 1;
                };
                match self.sdk(self.docker().images().get(a[0].as_str()).tag(&r.key())) {
                    Ok(_) => {
                        out.explain("A tag is just another name for the same image id; no data is copied.");
                        0
                    }
                    Err(e) => self.daemon_error(e, out, 1, ""),
                }
            }
            "rmi" => {
                let force = p.has("force");
                let mut code = 0;
                for name in a {
                    let opts = dockhand::api::ImageRemoveOptions::new().force(force);
                    match self.sdk(self.docker().images().get(name.as_str()).remove(opts)) {
                        Ok(items) => {
                            for item in items {
                                if let Some(t) = item.untagged {
                                    out.line(format!("Untagged: {t}"));
                                }
                                if let Some(d) = item.deleted {
                                    out.line(format!("Deleted: {d}"));
                                }
                            }
                        }
                        Err(e) => code = self.daemon_error(e, out, 1, ""),
                    }
                }
                code
            }
            "build" => self.build(p, out),
            "login" => self.login(p, out),
            "logout" => {
                self.auth = None;
                out.line("Removing login credentials for https://index.docker.io/v1/");
                0
            }
            "search" => self.search(p, out),
            "history" => match self.sdk(self.docker().images().get(a[0].as_str()).history()) {
                Ok(items) => {
                    let now = self.current_engine().now_ms();
                    let mut rows = Vec::new();
                    for h in items {
                        rows.push({
                            let id = match h.id.strip_prefix("sha256:") {
                                Some(hex) if !p.has("no-trunc") => hex.chars().take(12).collect(),
                                _ => h.id,
                            };
                            let by = if h.created_by.chars().count() > 45 && !p.has("no-trunc") {
                                format!("{}…", h.created_by.chars().take(44).collect::<String>())
                            } else {
                                h.created_by
                            };
                            let created = unix_ms(h.created);
                            json!({"ID": id, "CreatedSince": format!("{} ago", human_duration(now.saturating_sub(created))), "CreatedAt": crate::util::rfc3339(created), "CreatedBy": by, "Size": human_size(u64::try_from(h.size).unwrap_or(0)), "Comment": h.comment})
                        });
                    }
                    let header = [
                        ("ID", "IMAGE"),
                        ("CreatedSince", "CREATED"),
                        ("CreatedBy", "CREATED BY"),
                        ("Size", "SIZE"),
                        ("Comment", "COMMENT"),
                    ];
                    out.explain("Each line is one instruction of the image's Dockerfile; instructions that changed files added a layer (non-zero SIZE).");
                    print_rows(p, "ID", &header, &rows, "*image.historyContext", out)
                }
                Err(e) => self.daemon_error(e, out, 1, ""),
            },
            "cp" => self.cp(p, out),
            "version" => self.version(p, out),
            "info" => self.info(p, out),
            "events" => self.events(p, out),
            "network ls" => self.network_ls(p, out),
            "network create" => {
                let mut opts = NetworkCreateOptions::new(a[0].as_str())
                    .driver(p.val("driver").unwrap_or("bridge"))
                    .internal(p.has("internal"));
                for (k, v) in labels(&p.vals("label")) {
                    opts = opts.label(k, v);
                }
                match self.sdk(self.docker().networks().create(opts)) {
                    Ok(created) => {
                        out.line(created.id);
                        out.explain("A user-defined bridge network: containers on it reach each other by name, through the daemon's embedded DNS server (127.0.0.11). The default bridge has no DNS.");
                        0
                    }
                    Err(e) => self.daemon_error(e, out, 1, ""),
                }
            }
            "network rm" => self.each(a, out, "network rm", |s, id| {
                s.sdk(s.docker().networks().get(id).remove()).map(|_| dockhand::Change::Done)
            }),
            "network connect" => {
                let mut endpoint = EndpointSettings::default();
                endpoint.aliases = p.vals("alias");
                match self.sdk(self.docker().networks().get(a[0].as_str()).connect(&a[1], Some(endpoint))) {
                    Ok(()) => 0,
                    Err(e) => self.daemon_error(e, out, 1, ""),
                }
            }
            "network disconnect" => {
                match self.sdk(self.docker().networks().get(a[0].as_str()).disconnect(&a[1], p.has("force"))) {
                    Ok(()) => 0,
                    Err(e) => self.daemon_error(e, out, 1, ""),
                }
            }
            "network inspect" => self.inspect_kind(a, "network", p.val("format"), out),
            "network prune" | "volume prune" | "container prune" | "image prune" | "builder prune" => {
                self.prune(spec.name, p, out)
            }
            "wait" => self.wait(a, out),
            "attach" => self.attach(p, out),
            "volume ls" => self.volume_ls(p, out),
            "volume create" => {
                let name = a.first().cloned().or_else(|| p.val("name").map(String::from)).unwrap_or_default();
                let mut opts = VolumeCreateOptions::new(name).driver(p.val("driver").unwrap_or("local"));
                for (k, v) in labels(&p.vals("label")) {
                    opts = opts.label(k, v);
                }
                match self.sdk(self.docker().volumes().create(opts)) {
                    Ok(v) => {
                        out.line(v.name);
                        out.explain("A volume is storage managed by the daemon, outside any container's writable layer: its data survives `docker rm`. Mount it with -v NAME:/path.");
                        0
                    }
                    Err(e) => self.daemon_error(e, out, 1, ""),
                }
            }
            "volume rm" => {
                let force = p.has("force");
                self.each(a, out, "volume rm", |s, id| {
                    s.sdk(s.docker().volumes().get(id).remove(force)).map(|_| dockhand::Change::Done)
                })
            }
            "volume inspect" => self.inspect_kind(a, "volume", p.val("format"), out),
            "system df" => self.df(p, out),
            "system prune" => {
                let mut code = 0;
                out.line("Deleted Containers:");
                for (n, _) in [("container prune", 0), ("network prune", 1), ("image prune", 2)] {
                    code |= self.prune(n, p, &mut Out::default());
                }
                if p.has("volumes") {
                    code |= self.prune("volume prune", p, &mut Out::default());
                }
                out.line("Total reclaimed space: 0B");
                code
            }
            "context ls" => {
                let rows = vec![
                    vec!["NAME".to_string(), "DESCRIPTION".into(), "DOCKER ENDPOINT".into(), "ERROR".into()],
                    vec![
                        format!("default{}", if self.context == 0 { " *" } else { "" }),
                        "Current DOCKER_HOST based configuration".into(),
                        "unix:///var/run/docker.sock".into(),
                        String::new(),
                    ],
                    vec![
                        format!("remote{}", if self.context == 1 { " *" } else { "" }),
                        "The simulated remote daemon".into(),
                        self.daemons[1].host.clone(),
                        String::new(),
                    ],
                ];
                out.out(table(&rows));
                0
            }
            "context use" => match self.resolve_context(&a[0], out) {
                Some(c) => {
                    self.context = c;
                    out.line(&a[0]);
                    out.err(format!("Current context is now \"{}\"\n", a[0]));
                    out.explain("A context names a daemon endpoint. Every docker command now goes to that daemon: same CLI, different machine.");
                    0
                }
                None => 1,
            },
            "context show" => {
                out.line(if self.context == 0 { "default" } else { "remote" });
                0
            }
            other => {
                out.err(format!("docker: '{other}' is not simulated\n"));
                1
            }
        }
    }

    fn each(
        &mut self,
        ids: &[String],
        out: &mut Out,
        action: &str,
        f: impl Fn(&Self, &str) -> Result<dockhand::Change, DaemonError>,
    ) -> i32 {
        let mut code = 0;
        for id in ids {
            match f(self, id) {
                Ok(change) => {
                    out.line(id);
                    if change == dockhand::Change::Unchanged {
                        out.refused.push(Change::TransitionRefused {
                            container: id.clone(),
                            action: action.into(),
                            reason: "304 Not Modified: nothing to do".into(),
                        });
                        out.explain(format!("The daemon answered 304 Not Modified: `{id}` was already in the state `{action}` leads to, so nothing changed."));
                    }
                }
                Err(e) => {
                    if e.status == 409 {
                        out.refused.push(Change::TransitionRefused {
                            container: id.clone(),
                            action: action.into(),
                            reason: e.message.clone(),
                        });
                    }
                    code = self.daemon_error(e, out, 1, "");
                }
            }
        }
        code
    }

    fn run_cmd(&mut self, run: bool, p: &Parsed, out: &mut Out) -> i32 {
        // What the docker CLI refuses before asking the daemon.
        // `docker create` words its errors with its own name.
        let cmd = if run { "run" } else { "create" };
        let more = format!("Run 'docker {cmd} --help' for more information\n");
        let usage = format!("\n\nUsage:  docker {cmd} [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n{more}");
        let (memory, nano_cpus) = match limit_flags(p) {
            Ok(limits) => limits,
            Err(e) => {
                out.err(format!("{e}{usage}"));
                return 125;
            }
        };
        if p.has("rm") && p.val("restart").is_some_and(|r| r != "no") {
            out.err(format!("docker: conflicting options: cannot specify both --restart and --rm\n\n{more}"));
            return 125;
        }
        // `--add-host name:ip` (or `name=ip`), checked by the CLI.
        let mut extra_hosts = Vec::new();
        for h in p.vals("add-host") {
            match h.split_once([':', '=']) {
                Some((name, ip)) if !name.is_empty() && !ip.is_empty() => extra_hosts.push(format!("{name}:{ip}")),
                _ => {
                    out.err(format!(
                        "invalid argument \"{h}\" for \"--add-host\" flag: bad format for add-host: \"{h}\"{usage}"
                    ));
                    return 125;
                }
            }
        }
        // `--env-file`, read by the CLI from the project's files: `K=V`
        // lines, `#` comments; a bare `K` takes the client's variable, and
        // this terminal exports none.
        let mut env = Vec::new();
        for f in p.vals("env-file") {
            let Some(text) = self.files.get(f.trim_start_matches("./")) else {
                out.err(format!("docker: open {f}: no such file or directory\n\n{more}"));
                return 125;
            };
            env.extend(
                text.lines()
                    .map(str::trim_start)
                    .filter(|l| !l.is_empty() && !l.starts_with('#') && l.contains('='))
                    .map(String::from),
            );
        }
        env.extend(p.vals("env"));
        let image = p.args[0].clone();
        let cmd: Vec<String> = p.args[1..].to_vec();
        let detach = p.has("detach");
        let tty = p.has("tty");
        let interactive = p.has("interactive");
        let network = p.val("network").or(p.val("net")).unwrap_or("default").to_string();
        let mut create = ContainerCreate::new(image.clone())
            .attach(interactive && !detach, !detach, !detach)
            .tty(tty)
            .open_stdin(interactive)
            .stdin_once(interactive && !detach)
            .auto_remove(p.has("rm"))
            .network_mode(network.as_str());
        if let Some(bytes) = memory {
            create = create.memory(bytes);
        }
        if let Some(nano) = nano_cpus {
            create = create.nano_cpus(nano);
        }
        for spec in p.vals("publish") {
            let parts: Vec<&str> = spec.split(':').collect();
            let (ip, host, cport) = match parts.as_slice() {
                [c] => ("", "", *c),
                [h, c] => ("", *h, *c),
                [ip, h, c] => (*ip, *h, *c),
                _ => {
                    out.err(format!(
                        "docker: invalid publish opts format (should be name=value but got '{spec}')\n\n{more}"
                    ));
                    return 125;
                }
            };
            let container_port = cport.split('/').next().unwrap_or("");
            let bad = if container_port.parse::<u16>().is_err() {
                Some(format!("invalid containerPort: {container_port}"))
            } else if !host.is_empty() && host.parse::<u16>().is_err() {
                Some(format!("invalid hostPort: {host}"))
            } else {
                None
            };
            if let Some(bad) = bad {
                out.err(format!("docker: {bad}\n\n{more}"));
                out.explain("-p takes HOST_PORT:CONTAINER_PORT, for example -p 8080:80 (the host's port 8080 forwards to port 80 in the container).");
                return 125;
            }
            create = create.publish(cport, ip, host);
        }
        for e in p.vals("expose") {
            create = create.expose(e);
        }
        for v in p.vals("volume") {
            if v.contains(':') {
                create = create.bind(v);
            } else {
                create.config_mut().volumes.insert(v);
            }
        }
        if let Some(h) = p.val("hostname") {
            create = create.hostname(h);
        }
        if let Some(u) = p.val("user") {
            create = create.user(u);
        }
        if let Some(w) = p.val("workdir") {
            create = create.working_dir(w);
        }
        if let Some(e) = p.val("entrypoint") {
            create = create.entrypoint([e]);
        }
        for e in env {
            create = create.env(e);
        }
        for h in extra_hosts {
            create = create.extra_host(h);
        }
        for t in p.vals("tmpfs") {
            let (path, options) = t.split_once(':').unwrap_or((&t, ""));
            create = create.tmpfs(path, options);
        }
        if p.has("read-only") {
            create = create.read_only_rootfs(true);
        }
        for (k, v) in labels(&p.vals("label")) {
            create = create.label(k, v);
        }
        if !cmd.is_empty() {
            create = create.cmd(cmd);
        }
        if let Some(restart) = p.val("restart").filter(|r| r.split(':').next() != Some("no")) {
            create = create.restart_policy(restart_policy(restart));
        }
        let aliases = p.vals("network-alias");
        if !aliases.is_empty() && network != "default" {
            let mut endpoint = EndpointSettings::default();
            endpoint.aliases = aliases;
            create = create.endpoint(network.as_str(), endpoint);
        }
        if let Some(n) = p.val("name") {
            create = create.name(n);
        }
        let created = match self.sdk(self.docker().containers().create(create.clone())) {
            Ok(c) => c,
            Err(e) if e.status == 404 && e.message.starts_with("No such image") => {
                let shown = crate::sim::Reference::parse(&image).map(|r| r.key()).unwrap_or(image.clone());
                out.err(format!("Unable to find image '{shown}' locally\n"));
                let mut pull_out = Out::default();
                let code = self.pull(&image, false, &mut pull_out);
                out.err(
                    pull_out
                        .stdout
                        .lines()
                        .filter(|l| !l.starts_with("docker.io/") && !l.starts_with("Using default tag"))
                        .map(|l| format!("{l}\n"))
                        .collect::<String>(),
                );
                out.err(pull_out.stderr);
                if code != 0 {
                    out.explanation = pull_out.explanation;
                    out.suggestion = pull_out.suggestion;
                    return 125;
                }
                out.explain("The image was not on this machine, so the daemon pulled it from the registry first, then created the container.");
                match self.sdk(self.docker().containers().create(create)) {
                    Ok(c) => c,
                    Err(e) => return self.daemon_error(e, out, 125, "docker: "),
                }
            }
            Err(e) => {
                let code = self.daemon_error(e, out, 125, "docker: ");
                out.err(format!("\n{more}"));
                return code;
            }
        };
        let id = created.id;
        if !run {
            out.line(&id);
            return 0;
        }
        let container = self.container(&id);
        if detach {
            if let Err(e) = self.sdk(container.start()) {
                return self.daemon_error(e, out, 125, "docker: ");
            }
            out.line(&id);
            out.explain("docker run -d = POST /containers/create, then POST /containers/{id}/start. The container runs in the background; the CLI prints its id and returns.");
            return 0;
        }
        // Attached: attach, wait, start — as the real CLI does.
        let condition = if p.has("rm") { WaitCondition::Removed } else { WaitCondition::NextExit };
        let (attached, wait) = match self.attach_wait_start(&container, interactive, tty, condition, true) {
            Ok(both) => both,
            Err((Stage::Start, e)) => {
                out.err(format!("docker: Error response from daemon: {}\n", e.message));
                teach_error(&e.message, out);
                out.err(format!("\n{more}"));
                return if e.message.contains("executable file not found") { 127 } else { 125 };
            }
            Err((_, e)) => return self.daemon_error(e, out, 125, "docker: "),
        };
        let target = StdinTarget { container: id.clone(), exec: None };
        self.finish_attached(attached, wait, target, tty, interactive, out)
    }

    /// `docker start -a [-i] NAME`: attach, wait, start, then the output and
    /// exit code of the container, as `docker run` in the foreground.
    /// `docker attach`: the running container's output (and its stdin when
    /// it keeps one open) until it exits, and its exit code.
    fn attach(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let container = self.container(&p.args[0]);
        let info = match self.sdk(container.inspect_raw()) {
            Ok(info) => info,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        // The CLI's own checks, before it attaches.
        if info["State"]["Paused"].as_bool() == Some(true) {
            out.err("You cannot attach to a paused container, unpause it first\n");
            return 1;
        }
        if info["State"]["Running"].as_bool() != Some(true) {
            out.err("You cannot attach to a stopped container, start it first\n");
            out.explain("attach joins a running container's main process; this one has exited. docker start -a starts it again and attaches.");
            return 1;
        }
        let flag = |name: &str| info["Config"][name].as_bool().unwrap_or(false);
        let (tty, interactive) = (flag("Tty"), flag("OpenStdin") && !p.has("no-stdin"));
        let id = info["Id"].as_str().unwrap_or(&p.args[0]).to_string();
        let (attached, wait) =
            match self.attach_wait_start(&container, interactive, tty, WaitCondition::NextExit, false) {
                Ok(both) => both,
                Err((_, e)) => return self.daemon_error(e, out, 1, ""),
            };
        out.explain("docker attach joins the main process's output (POST /containers/{id}/attach): what it prints from now on, until it exits. docker logs shows what it printed before.");
        self.finish_attached(attached, wait, StdinTarget { container: id, exec: None }, tty, interactive, out)
    }

    fn start_attached(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        if p.args.len() > 1 {
            out.err("you cannot start and attach multiple containers at once\n");
            return 1;
        }
        let container = self.container(&p.args[0]);
        // The raw document: the typed `ContainerInspect` would add its whole
        // decoder (25 KB gzipped) to the browser's module for two flags.
        let info = match self.sdk(container.inspect_raw()) {
            Ok(info) => info,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let flag = |name: &str| info["Config"][name].as_bool().unwrap_or(false);
        let (tty, open_stdin) = (flag("Tty"), flag("OpenStdin"));
        let id = info["Id"].as_str().unwrap_or(&p.args[0]).to_string();
        let interactive = p.has("interactive") && open_stdin;
        let (attached, wait) = match self.attach_wait_start(&container, interactive, tty, WaitCondition::NextExit, true)
        {
            Ok(both) => both,
            Err((_, e)) => return self.daemon_error(e, out, 1, ""),
        };
        out.explain("docker start -a attaches first (POST /containers/{id}/attach), then starts the container, and shows its output until it exits, like docker run without -d.");
        let target = StdinTarget { container: id, exec: None };
        self.finish_attached(attached, wait, target, tty, interactive, out)
    }

    /// What `docker run` and `docker start -a` send, in the real CLI's
    /// order: attach, then wait (its first poll sends the request; the
    /// answer comes when the container exits), then start (`docker attach`:
    /// not `start`). On failure, which step failed and the daemon's answer.
    fn attach_wait_start(
        &self,
        container: &dockhand::Container,
        interactive: bool,
        tty: bool,
        condition: WaitCondition,
        start: bool,
    ) -> Result<(dockhand::Attached, Waiting), (Stage, DaemonError)> {
        let opts = AttachOptions::new().stream(true).stdout(true).stderr(true).stdin(interactive).tty(tty);
        let attached = self.sdk(container.attach(opts)).map_err(|e| (Stage::Attach, e))?;
        let waiter = container.clone();
        let mut wait: Waiting = Box::pin(async move { waiter.wait_until(condition).await });
        if let Some(Err(e)) = poll_once(wait.as_mut()) {
            return Err((Stage::Wait, DaemonError::from(&e)));
        }
        // Started, or running already (304): the output follows either way.
        if start {
            let _started = self.sdk(container.start()).map_err(|e| (Stage::Start, e))?;
        }
        Ok((attached, wait))
    }

    fn finish_attached(
        &mut self,
        attached: dockhand::Attached,
        mut wait: Waiting,
        target: StdinTarget,
        tty: bool,
        interactive: bool,
        out: &mut Out,
    ) -> i32 {
        let engine = self.current_engine().clone();
        let dockhand::Attached { mut output, input, .. } = attached;
        // A foreground program that sleeps: let simulated time pass.
        let mut collected = Vec::new();
        for _ in 0..1000 {
            let (items, ended) = drain(&mut output);
            collected.extend(items);
            if ended {
                break;
            }
            let running_interactive = interactive
                && engine.with_state(|st| {
                    st.containers
                        .get(&target.container)
                        .and_then(|c| c.processes.first())
                        .is_some_and(|p| p.program == crate::state::Program::Interactive)
                });
            if running_interactive {
                emit(&collected, out);
                let prompt = first_prompt(&mut out.stdout, tty);
                self.attached = Some(Attached { daemon: self.current(), target, output, input, prompt });
                out.explain("You are attached to the container's shell: what you type goes to its stdin over the hijacked HTTP connection. Type `exit` to leave (the container stops, since its main process ends).");
                return 0;
            }
            match engine.with_state(|st| st.next_wake()) {
                Some(t) => {
                    let now = engine.now_ms();
                    engine.advance(t.saturating_sub(now).max(1));
                }
                None => {
                    emit(&collected, out);
                    out.explain("The container runs a long-lived program (a server) in the foreground. In a real terminal the CLI stays attached until you press Ctrl-C; here it returns and the container keeps running. Use -d to run it in the background.");
                    return 0;
                }
            }
        }
        emit(&collected, out);
        let code = match poll_once(wait.as_mut()) {
            Some(Ok(w)) => w.status_code,
            _ => 0,
        };
        if code != 0 {
            out.explain(format!("The container's main process ended with exit code {code}, and so did the container: `docker run` returns that code."));
        }
        i32::try_from(code).unwrap_or(1)
    }

    fn pull(&mut self, image: &str, quiet: bool, out: &mut Out) -> i32 {
        let Some(r) = crate::sim::Reference::parse(image) else {
            out.err(format!("invalid reference format: repository name ({image}) must be lowercase\n"));
            out.explain("Image names are lowercase: [registry/][namespace/]name[:tag].");
            return 1;
        };
        if !image.contains(':') && r.digest.is_none() && !quiet {
            out.line("Using default tag: latest");
        }
        let reference = match &r.digest {
            Some(d) => format!("{}@{d}", r.repo),
            None => format!("{}:{}", r.repo, r.tag),
        };
        let (messages, error) = self.sdk_stream(self.docker().images().pull(PullOptions::new(reference)));
        // An error status before any progress: the daemon refused the pull.
        let error = match error {
            Some(e) if e.status != 0 && messages.is_empty() => return self.daemon_error(e, out, 1, ""),
            other => other,
        };
        let mut last_for: Vec<(String, String)> = Vec::new();
        let mut lines = Vec::new();
        for m in &messages {
            let status = m.status.clone().unwrap_or_default();
            match m.id.as_deref() {
                Some(id) if status.starts_with("Pulling from") => lines.push(format!("{id}: {status}")),
                Some(id) => {
                    if let Some(slot) = last_for.iter_mut().find(|(i, _)| i == id) {
                        slot.1 = status;
                    } else {
                        last_for.push((id.to_string(), status));
                        lines.push(format!("\u{0}{id}"));
                    }
                }
                None => lines.push(status),
            }
        }
        if !quiet {
            for l in lines {
                match l.strip_prefix('\u{0}') {
                    Some(id) => {
                        let status = last_for.iter().find(|(i, _)| i == id).map(|(_, s)| s.clone()).unwrap_or_default();
                        out.line(format!("{id}: {status}"));
                    }
                    None => out.line(l),
                }
            }
        }
        if let Some(e) = error {
            out.err(format!("{}\n", e.message));
            teach_error(&e.message, out);
            return 1;
        }
        out.line(format!(
            "docker.io/{}{}",
            if r.repo.contains('/') { r.repo.clone() } else { format!("library/{}", r.repo) },
            r.digest.map(|d| format!("@{d}")).unwrap_or(format!(":{}", r.tag))
        ));
        out.explain("The daemon downloaded the image's layers from the registry; layers it already had (shared with other images) were not downloaded again (\"Already exists\").");
        0
    }

    /// The credentials of `docker login`, for Docker Hub.
    fn registry_auth(&self) -> Option<AuthConfig> {
        self.auth.as_ref().map(|(u, pw)| AuthConfig::password(DOCKER_HUB, u.as_str(), pw.as_str()))
    }

    fn push(&mut self, image: &str, out: &mut Out) -> i32 {
        let Some(r) = crate::sim::Reference::parse(image) else {
            out.err(format!("invalid reference format: repository name ({image}) must be lowercase\n"));
            return 1;
        };
        if !image.contains(':') {
            out.line("Using default tag: latest");
        }
        let mut opts = PushOptions::new(format!("{}:{}", r.repo, r.tag));
        if let Some(auth) = self.registry_auth() {
            opts = opts.auth(auth);
        }
        let (messages, error) = self.sdk_stream(self.docker().images().push(opts));
        let error = match error {
            Some(e) if e.status != 0 && messages.is_empty() => return self.daemon_error(e, out, 1, ""),
            other => other,
        };
        let mut by_id: Vec<(String, String)> = Vec::new();
        let mut tail = Vec::new();
        for m in &messages {
            let status = m.status.clone().unwrap_or_default();
            match m.id.as_deref() {
                Some(id) => match by_id.iter_mut().find(|(i, _)| i == id) {
                    Some(slot) => slot.1 = status,
                    None => by_id.push((id.to_string(), status)),
                },
                None if !status.is_empty() => tail.push(status),
                None => {}
            }
        }
        if let Some(first) = tail.first() {
            out.line(first);
        }
        for (id, s) in &by_id {
            out.line(format!("{id}: {s}"));
        }
        for t in tail.iter().skip(1) {
            out.line(t);
        }
        if let Some(e) = error {
            out.err(format!("{}\n", e.message));
            out.explain("The registry refused the push. You can push only to your own namespace (NAME/app) and only after `docker login -u NAME -p PASSWORD`.");
            out.suggestion = Some("docker login -u learner -p secret".into());
            return 1;
        }
        out.explain("The daemon sent the image's layers to the registry; layers the registry already had were skipped (\"Layer already exists\"), so pushes after the first send only what changed.");
        0
    }

    fn login(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let (Some(user), Some(pass)) = (p.val("username"), p.val("password")) else {
            out.err("Error: Cannot perform an interactive login from a non TTY device\n");
            out.explain("In the playground, give the credentials on the command line: docker login -u NAME -p PASSWORD (any non-empty password works).");
            out.suggestion = Some("docker login -u learner -p secret".into());
            return 1;
        };
        match self.sdk(self.docker().auth(&AuthConfig::password(DOCKER_HUB, user, pass))) {
            Ok(r) => {
                out.err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
                out.line(if r.status.is_empty() { "Login Succeeded" } else { r.status.as_str() });
                self.auth = Some((user.to_string(), pass.to_string()));
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn build(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let ctx = p.args[0].trim_end_matches('/').trim_start_matches("./");
        let prefix = if ctx == "." || ctx.is_empty() { String::new() } else { format!("{ctx}/") };
        let entries: Vec<crate::util::TarEntry> = self
            .files
            .iter()
            .filter_map(|(path, content)| {
                path.strip_prefix(&prefix).map(|rel| crate::util::TarEntry {
                    path: rel.to_string(),
                    dir: false,
                    data: content.as_bytes().to_vec(),
                })
            })
            .collect();
        let dockerfile = p.val("file").unwrap_or("Dockerfile").to_string();
        if !entries.iter().any(|e| e.path == dockerfile) {
            out.err(format!("unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat /project/{prefix}{dockerfile}: no such file or directory\n"));
            out.explain("docker build needs a Dockerfile in the build context (the directory you pass, usually `.`). Create one in the editor.");
            return 1;
        }
        let tar = crate::util::tar(&entries);
        out.line(format!("Sending build context to Docker daemon  {}", human_size(tar.len() as u64)));
        let mut opts = BuildOptions::new().dockerfile(dockerfile.as_str()).rm(true).no_cache(p.has("no-cache"));
        for t in p.vals("tag") {
            opts = opts.tag(t);
        }
        for a in p.vals("build-arg") {
            if let Some((k, v)) = a.split_once('=') {
                opts = opts.build_arg(k, v);
            }
        }
        for l in p.vals("label") {
            let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
            opts = opts.label(k, v);
        }
        if let Some(stage) = p.val("target") {
            opts = opts.target(stage);
        }
        let context = BuildContext::from_tar(Body::full(tar));
        let (messages, error) = self.sdk_stream(self.docker().images().build(opts, context));
        let error = match error {
            Some(e) if e.status != 0 && messages.is_empty() => return self.daemon_error(e, out, 1, ""),
            other => other,
        };
        let quiet = p.has("quiet");
        let (mut hits, mut steps) = (0, 0);
        for m in &messages {
            if let Some(s) = &m.stream {
                if s.contains("Using cache") {
                    hits += 1;
                }
                if s.starts_with("Step ") {
                    steps += 1;
                }
                if !quiet {
                    out.out(s);
                }
            }
            if quiet && let Some(id) = m.aux_image_id() {
                out.line(id);
            }
        }
        if let Some(e) = error {
            out.err(format!("{}\n", e.message));
            teach_error(&out.stderr.clone(), out);
            return 1;
        }
        out.explain(format!("Each instruction made a layer (or a config change) on top of the previous image. {hits} of {steps} steps came from the build cache: an instruction is reused when its parent and its input (and, for COPY, the files) are unchanged."));
        0
    }

    fn cp(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let (src, dst) = (&p.args[0], &p.args[1]);
        match (src.split_once(':'), dst.split_once(':')) {
            (Some((c, path)), None) => {
                let archive = match self.sdk(self.container(c).get_archive(path)) {
                    Ok(a) => a,
                    Err(e) => return self.daemon_error(e, out, 1, ""),
                };
                let (chunks, error) = self.sdk_stream(archive.tar);
                if let Some(e) = error {
                    return self.daemon_error(e, out, 1, "");
                }
                let bytes = chunks.concat();
                let entries = crate::util::untar(&bytes).unwrap_or_default();
                let dst = dst.trim_start_matches("./").trim_end_matches('/');
                let mut n = 0;
                for e in entries.iter().filter(|e| !e.dir) {
                    let target = if entries.len() == 1 && dst != "." && !dst.is_empty() {
                        dst.to_string()
                    } else {
                        format!(
                            "{}{}",
                            if dst == "." || dst.is_empty() { String::new() } else { format!("{dst}/") },
                            e.path
                        )
                    };
                    self.files.insert(target, String::from_utf8_lossy(&e.data).into_owned());
                    n += e.data.len();
                }
                out.err(format!("Successfully copied {} to {dst}\n", human_size(n as u64)));
                0
            }
            (None, Some((c, path))) => {
                let local = src.trim_start_matches("./");
                let entries: Vec<crate::util::TarEntry> = self
                    .files
                    .iter()
                    .filter(|(k, _)| *k == local || k.starts_with(&format!("{local}/")))
                    .map(|(k, v)| crate::util::TarEntry {
                        path: k.rsplit('/').next().unwrap_or(k).to_string(),
                        dir: false,
                        data: v.as_bytes().to_vec(),
                    })
                    .collect();
                if entries.is_empty() {
                    out.err(format!("lstat /project/{local}: no such file or directory\n"));
                    return 1;
                }
                let size: usize = entries.iter().map(|e| e.data.len()).sum();
                let (dir, rename) = if path.ends_with('/') {
                    (path.to_string(), None)
                } else {
                    match path.rsplit_once('/') {
                        Some((d, f)) => (if d.is_empty() { "/".into() } else { d.to_string() }, Some(f.to_string())),
                        None => ("/".into(), Some(path.to_string())),
                    }
                };
                let entries: Vec<crate::util::TarEntry> = entries
                    .into_iter()
                    .map(|mut e| {
                        if let Some(r) = &rename {
                            e.path = r.clone();
                        }
                        e
                    })
                    .collect();
                let tar = Body::full(crate::util::tar(&entries));
                match self.sdk(self.container(c).put_archive(&dir, PutArchiveOptions::new(), tar)) {
                    Ok(()) => {
                        out.err(format!("Successfully copied {} to {c}:{path}\n", human_size(size as u64)));
                        0
                    }
                    Err(e) => self.daemon_error(e, out, 1, ""),
                }
            }
            _ => {
                out.err("must specify at least one container source\n");
                1
            }
        }
    }

    fn ps(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut filters = ContainerFilters::new();
        for f in p.vals("filter") {
            let (k, v) = f.split_once('=').unwrap_or((&f, ""));
            filters = filters.other(k, v);
        }
        let all = p.has("all") || p.has("latest") || p.val("last").is_some();
        let mut opts = ContainerListOptions::new().all(all).size(p.has("size")).filters(filters);
        let limit = if p.has("latest") { Some(1) } else { p.val("last").and_then(|n| n.parse::<u32>().ok()) };
        if let Some(n) = limit {
            opts = opts.limit(n);
        }
        let list = match self.sdk(self.docker().containers().list(opts)) {
            Ok(v) => v,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let now = self.current_engine().now_ms();
        let trunc = !p.has("no-trunc");
        let rows: Vec<Value> = list
            .iter()
            .map(|c| {
                let command = if trunc && c.command.chars().count() > 20 { format!("{}…", c.command.chars().take(19).collect::<String>()) } else { c.command.clone() };
                let names: Vec<&str> = c.names.iter().map(|n| n.trim_start_matches('/')).collect();
                let created = unix_ms(c.created);
                let size = c.size_rw.map(|s| format!("{} (virtual {})", human_size(u64::try_from(s).unwrap_or(0)), human_size(c.size_root_fs.and_then(|v| u64::try_from(v).ok()).unwrap_or(0)))).unwrap_or_default();
                let networks = crate::util::sorted_set(c.network_settings.networks.keys());
                json!({
                    "ID": if trunc { &c.id[..12.min(c.id.len())] } else { c.id.as_str() }, "Image": c.image, "Command": format!("\"{command}\""),
                    "CreatedAt": crate::util::rfc3339(created), "RunningFor": format!("{} ago", human_duration(now.saturating_sub(created))),
                    "Ports": ports_text(&c.ports), "Status": c.status, "State": c.state.as_str(), "Names": names.join(","), "Size": size,
                    "Labels": sorted_pairs(&c.labels),
                    "Networks": networks.into_iter().cloned().collect::<Vec<_>>().join(","),
                    "Mounts": c.mounts.iter().map(|m| if m.name.is_empty() { m.source.as_str() } else { m.name.as_str() }).collect::<Vec<_>>().join(","),
                })
            })
            .collect();
        if p.has("quiet") {
            for r in &rows {
                out.line(r["ID"].as_str().unwrap_or(""));
            }
            return 0;
        }
        let mut header = vec![
            ("ID", "CONTAINER ID"),
            ("Image", "IMAGE"),
            ("Command", "COMMAND"),
            ("RunningFor", "CREATED"),
            ("Status", "STATUS"),
            ("Ports", "PORTS"),
            ("Names", "NAMES"),
        ];
        if p.has("size") {
            header.push(("Size", "SIZE"));
        }
        let format = p.val("format").map(String::from).unwrap_or_else(|| "table".into());
        let all_headers = [
            ("ID", "CONTAINER ID"),
            ("Image", "IMAGE"),
            ("Command", "COMMAND"),
            ("RunningFor", "CREATED"),
            ("CreatedAt", "CREATED AT"),
            ("Status", "STATUS"),
            ("State", "STATE"),
            ("Ports", "PORTS"),
            ("Names", "NAMES"),
            ("Size", "SIZE"),
            ("Labels", "LABELS"),
            ("Networks", "NETWORKS"),
            ("Mounts", "MOUNTS"),
        ];
        let header = if format == "table" { header } else { all_headers.to_vec() };
        match format_rows(&format, &header, &rows, "*formatter.ContainerContext") {
            Ok(s) => {
                out.out(s);
                if !p.has("all") && rows.is_empty() {
                    let stopped = self.current_engine().with_state(|st| !st.containers.is_empty());
                    if stopped {
                        out.explain("No running containers. `docker ps` shows only running ones; `docker ps -a` shows stopped ones too.");
                    }
                }
                0
            }
            Err(e) => format_error(&e, &all_headers, out),
        }
    }

    /// `docker commit CONTAINER [REPOSITORY[:TAG]]`: the new image's id.
    fn commit(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut opts = dockhand::api::CommitOptions::new(p.args[0].as_str()).pause(p.val("pause") != Some("false"));
        if let Some(r) = p.args.get(1) {
            if dockhand::reference::Reference::parse(r).is_err() {
                // The CLI's own check, before any request.
                let repo = r.rsplit_once(':').map_or(r.as_str(), |(repo, _)| repo);
                let full = if repo.contains('/') { repo.to_string() } else { format!("library/{repo}") };
                let lower = if repo.chars().any(|c| c.is_ascii_uppercase()) {
                    format!(": repository name ({full}) must be lowercase")
                } else {
                    String::new()
                };
                out.err(format!("invalid reference format{lower}\n"));
                return 1;
            }
            opts = opts.reference(r.as_str());
        }
        if let Some(m) = p.val("message") {
            opts = opts.comment(m);
        }
        if let Some(author) = p.val("author") {
            opts = opts.author(author);
        }
        for change in p.vals("change") {
            opts = opts.change(change);
        }
        match self.sdk(self.docker().images().commit(opts)) {
            Ok(id) => {
                out.line(id);
                out.explain("commit saved the container's writable layer as a new read-only layer on top of its image's: the new image has one layer more. A Dockerfile's RUN does the same in a temporary container; a Dockerfile says how an image was made, a commit does not.");
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn search(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut opts = dockhand::api::SearchOptions::new(p.args[0].as_str());
        if let Some(l) = p.val("limit") {
            match l.parse::<u32>() {
                Ok(n) => opts = opts.limit(n),
                Err(_) => {
                    out.err(format!("invalid argument \"{l}\" for \"--limit\" flag: strconv.ParseInt: parsing \"{l}\": invalid syntax\n\nUsage:  docker search [OPTIONS] TERM\n\nRun 'docker search --help' for more information\n"));
                    return 125;
                }
            }
        }
        let mut filters = dockhand::api::SearchFilters::new();
        for f in p.vals("filter") {
            let (k, v) = f.split_once('=').unwrap_or((&f, ""));
            filters = filters.other(k, v);
        }
        let results = match self.sdk(self.docker().images().search(opts.filters(filters))) {
            Ok(r) => r,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let trunc = !p.has("no-trunc");
        let rows: Vec<Value> = results
            .iter()
            .map(|r| {
                // The CLI cuts descriptions at 45 characters with an ellipsis.
                let description = match r.description.char_indices().nth(44) {
                    Some((at, _)) if trunc => format!("{}…", &r.description[..at]),
                    _ => r.description.clone(),
                };
                json!({"Name": r.name, "Description": description, "StarCount": r.star_count.to_string(), "IsOfficial": if r.is_official { "[OK]" } else { "" }})
            })
            .collect();
        let header =
            [("Name", "NAME"), ("Description", "DESCRIPTION"), ("StarCount", "STARS"), ("IsOfficial", "OFFICIAL")];
        let code = print_rows(p, "Name", &header, &rows, "*formatter.searchContext", out);
        out.explain("docker search asks the daemon, which asks the registry (here the simulated Docker Hub): official images are the ones without a namespace, like nginx; others are user/name.");
        code
    }

    fn images(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut filters = ImageFilters::new();
        for f in p.vals("filter") {
            let (k, v) = f.split_once('=').unwrap_or((&f, ""));
            filters = filters.other(k, v);
        }
        if let Some(r) = p.args.first() {
            filters = filters.reference(r.as_str());
        }
        let opts = ImageListOptions::new().all(p.has("all")).filters(filters);
        let list = match self.sdk(self.docker().images().list(opts)) {
            Ok(v) => v,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let now = self.current_engine().now_ms();
        let mut rows = Vec::new();
        for i in &list {
            let short = if p.has("no-trunc") {
                i.id.clone()
            } else {
                i.id.trim_start_matches("sha256:").chars().take(12).collect()
            };
            let created = unix_ms(i.created);
            let digest = i
                .repo_digests
                .first()
                .and_then(|d| d.split_once('@'))
                .map(|(_, d)| d.to_string())
                .unwrap_or("<none>".into());
            for tag in &i.repo_tags {
                let (repo, t) = tag.rsplit_once(':').unwrap_or((tag, "<none>"));
                rows.push(json!({"Repository": repo, "Tag": t, "ID": short, "Digest": digest, "CreatedSince": format!("{} ago", human_duration(now.saturating_sub(created))), "CreatedAt": crate::util::rfc3339(created), "Size": human_size(u64::try_from(i.size).unwrap_or(0))}));
            }
        }
        if p.has("quiet") {
            let mut seen = Vec::new();
            for r in &rows {
                let id = r["ID"].as_str().unwrap_or("").to_string();
                if !seen.contains(&id) {
                    out.line(&id);
                    seen.push(id);
                }
            }
            return 0;
        }
        let mut header = vec![("Repository", "REPOSITORY"), ("Tag", "TAG")];
        if p.has("digests") {
            header.push(("Digest", "DIGEST"));
        }
        header.extend([("ID", "IMAGE ID"), ("CreatedSince", "CREATED"), ("Size", "SIZE")]);
        print_rows(p, "ID", &header, &rows, "*formatter.imageContext", out)
    }

    fn logs(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let id = &p.args[0];
        let now = self.current_engine().now_ms() / 1000;
        let timestamps = p.has("timestamps");
        let mut opts = LogsOptions::new().stdout(true).stderr(true).timestamps(timestamps);
        if let Some(n) = p.val("tail").and_then(|t| t.parse::<u64>().ok()) {
            opts = opts.tail(n);
        }
        if let Some(t) = p.val("since").and_then(|s| parse_time(s, now)).and_then(datetime) {
            opts = opts.since(t);
        }
        // The SDK reads the container's tty setting (one inspect) to know
        // how the daemon framed the log.
        let (items, error) = self.sdk_stream(self.container(id).logs(opts).boxed());
        if let Some(e) = error {
            return self.daemon_error(e, out, 1, "");
        }
        if timestamps {
            for o in &items {
                let stamp = o.timestamp.map(|t| crate::util::rfc3339(unix_ms(Some(t)))).unwrap_or_default();
                let text = format!("{stamp} {}", String::from_utf8_lossy(&o.data));
                if o.stream == StdStream::Stderr { out.err(text) } else { out.out(text) }
            }
        } else {
            emit(&items, out);
        }
        if p.has("follow") {
            out.explain("With -f the real CLI keeps the connection open and prints new lines as they come, until you press Ctrl-C. The playground shows the lines so far.");
        }
        0
    }

    fn exec(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let id = &p.args[0];
        let cmd = &p.args[1..];
        let tty = p.has("tty");
        let interactive = p.has("interactive");
        let detach = p.has("detach");
        let mut opts = ExecOptions::new(cmd.iter().cloned())
            .tty(tty)
            .attach_stdin(interactive && !detach)
            .attach_stdout(!detach)
            .attach_stderr(!detach);
        if let Some(u) = p.val("user") {
            opts = opts.user(u);
        }
        if let Some(w) = p.val("workdir") {
            opts = opts.working_dir(w);
        }
        for e in p.vals("env") {
            opts = opts.env(e);
        }
        let exec = match self.sdk(self.container(id).exec(&opts)) {
            Ok(x) => x,
            Err(e) => {
                if e.status == 409 {
                    out.refused.push(Change::TransitionRefused {
                        container: id.clone(),
                        action: "exec".into(),
                        reason: e.message.clone(),
                    });
                }
                return self.daemon_error(e, out, 1, "");
            }
        };
        let eid = exec.id().to_string();
        if detach {
            return match self.sdk(exec.start_detached()) {
                Ok(()) => 0,
                Err(e) => self.daemon_error(e, out, 1, ""),
            };
        }
        let attached = match self.sdk(exec.start()) {
            Ok(a) => a,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let dockhand::Attached { mut output, input, .. } = attached;
        let engine = self.current_engine().clone();
        let mut collected = Vec::new();
        for _ in 0..1000 {
            let (items, ended) = drain(&mut output);
            collected.extend(items);
            if ended {
                break;
            }
            let waiting_stdin = engine.with_state(|st| {
                st.execs.get(&eid).is_some_and(|e| {
                    e.running
                        && st
                            .containers
                            .get(&e.container_id)
                            .and_then(|c| c.processes.iter().find(|p| p.pid == e.pid))
                            .is_some_and(|p| p.program == crate::state::Program::Interactive)
                })
            });
            if waiting_stdin && interactive {
                emit(&collected, out);
                let prompt = first_prompt(&mut out.stdout, tty);
                let cid =
                    engine.with_state(|st| st.execs.get(&eid).map(|e| e.container_id.clone()).unwrap_or_default());
                self.attached = Some(Attached {
                    daemon: self.current(),
                    target: StdinTarget { container: cid, exec: Some(eid) },
                    output,
                    input,
                    prompt,
                });
                out.explain("exec started a second process (a shell) inside the running container, in its namespaces: it sees the container's files, hostname and processes. Type `exit` to leave; the container keeps running.");
                return 0;
            }
            match engine.with_state(|st| st.next_wake()) {
                Some(t) => {
                    let now = engine.now_ms();
                    engine.advance(t.saturating_sub(now).max(1));
                }
                None => break,
            }
        }
        emit(&collected, out);
        let code = self.sdk(exec.inspect()).ok().and_then(|i| i.exit_code).unwrap_or(0);
        if code == 126 && out.stdout.contains("OCI runtime exec failed") {
            let text = std::mem::take(&mut out.stdout);
            out.err(text);
        }
        i32::try_from(code).unwrap_or(1)
    }

    /// The daemon's JSON for one object of `kind` (`container`, `image`,
    /// `network`, `volume`), untyped: `inspect` prints it whole.
    fn inspect_one(&self, kind: &str, name: &str) -> Result<Value, DaemonError> {
        let docker = self.docker();
        match kind {
            "container" => self.sdk(docker.containers().get(name).inspect_raw()),
            "image" => self.sdk(docker.images().get(name).inspect_raw()),
            "network" => self.sdk(docker.networks().get(name).inspect_raw()),
            "volume" => self.sdk(docker.volumes().get(name).inspect_raw()),
            other => Err(DaemonError { status: 400, message: format!("unknown type: {other}") }),
        }
    }

    fn inspect(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let typ = p.val("type");
        let mut results = Vec::new();
        let mut code = 0;
        for name in &p.args {
            let kinds: Vec<&str> = match typ {
                Some(t) => vec![t],
                None => vec!["container", "image", "network", "volume"],
            };
            match kinds.into_iter().find_map(|kind| self.inspect_one(kind, name).ok()) {
                Some(v) => results.push(v),
                None => {
                    out.err(format!("Error: No such object: {name}\n"));
                    out.explain("inspect looks for a container, an image, a network or a volume with that name or id, and found none.");
                    code = 1;
                }
            }
        }
        self.print_json_list(results, p.val("format"), out, code)
    }

    fn inspect_kind(&mut self, names: &[String], kind: &str, format: Option<&str>, out: &mut Out) -> i32 {
        let mut results = Vec::new();
        let mut code = 0;
        for n in names {
            match self.inspect_one(kind, n) {
                Ok(v) => results.push(v),
                Err(e) => code = self.daemon_error(e, out, 1, ""),
            }
        }
        self.print_json_list(results, format, out, code)
    }

    fn print_json_list(&self, results: Vec<Value>, format: Option<&str>, out: &mut Out, code: i32) -> i32 {
        match format {
            Some(f) => {
                for r in &results {
                    // The CLI decodes what it inspects into a map.
                    match template::render(f, r, template::Data::Map) {
                        Ok(s) => out.line(s),
                        Err(e) => {
                            out.err(format!("{e}\n"));
                            return 1;
                        }
                    }
                }
            }
            None => {
                let mut buf = Vec::new();
                let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
                let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
                let _ = serde::Serialize::serialize(&results, &mut ser);
                out.line(String::from_utf8_lossy(&buf));
            }
        }
        code
    }

    fn stats(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let ids: Vec<String> = if p.args.is_empty() {
            match self.sdk(self.docker().containers().list(ContainerListOptions::new().all(p.has("all")))) {
                Ok(list) => list.into_iter().map(|c| c.id).collect(),
                Err(e) => return self.daemon_error(e, out, 1, ""),
            }
        } else {
            p.args.clone()
        };
        let mut rows = Vec::new();
        for id in ids {
            match self.sdk(self.container(&id).stats_once()) {
                Ok(s) => {
                    // The percentages as docker stats computes them: the SDK's helpers.
                    let cpu = s.cpu_percent().unwrap_or(0.0);
                    let mem_percent = s.memory_percent().unwrap_or(0.0);
                    let (mem, limit) = (s.memory_usage().unwrap_or(0), s.memory_stats.limit.unwrap_or(0));
                    let (rx, tx) = s.networks.values().fold((0, 0), |(r, t), n| (r + n.rx_bytes, t + n.tx_bytes));
                    rows.push(json!({
                        "ID": s.id[..12.min(s.id.len())], "Container": id, "Name": s.name.trim_start_matches('/'),
                        "CPUPerc": format!("{cpu:.2}%"), "MemUsage": format!("{} / {}", bin_size(mem), bin_size(limit)),
                        "MemPerc": format!("{mem_percent:.2}%"), "NetIO": format!("{} / {}", human_size(rx), human_size(tx)),
                        "BlockIO": "0B / 0B", "PIDs": s.pids_stats.current.unwrap_or(0).to_string(),
                    }));
                }
                Err(e) => return self.daemon_error(e, out, 1, ""),
            }
        }
        if !p.has("no-stream") {
            out.explain(
                "Without --no-stream the real CLI refreshes this table every second; the playground shows one sample.",
            );
        }
        let header = [
            ("ID", "CONTAINER ID"),
            ("Name", "NAME"),
            ("CPUPerc", "CPU %"),
            ("MemUsage", "MEM USAGE / LIMIT"),
            ("MemPerc", "MEM %"),
            ("NetIO", "NET I/O"),
            ("BlockIO", "BLOCK I/O"),
            ("PIDs", "PIDS"),
        ];
        print_rows(p, "ID", &header, &rows, "*container.statsContext", out)
    }

    /// `docker update -m 256m --cpus 1 --restart always NAME...`: the limits
    /// and the restart policy, through the SDK's `ContainerUpdate`.
    fn update(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let usage = "\n\nUsage:  docker update [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'docker update --help' for more information\n";
        let mut update = dockhand::api::ContainerUpdate::new();
        match limit_flags(p) {
            Ok((memory, nano_cpus)) => {
                if let Some(bytes) = memory {
                    update = update.memory(bytes);
                }
                if let Some(nano) = nano_cpus {
                    update = update.nano_cpus(nano);
                }
            }
            Err(e) => {
                out.err(format!("{e}{usage}"));
                return 125;
            }
        }
        if let Some(r) = p.val("restart") {
            update = update.restart_policy(restart_policy(r));
        }
        let mut code = 0;
        for id in &p.args {
            match self.sdk(self.container(id).update(update.clone())) {
                Ok(_) => out.line(id),
                Err(e) => code = self.daemon_error(e, out, 1, ""),
            }
        }
        code
    }

    fn version(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let docker = self.d().docker.clone();
        // The daemon's document as it is (`version_raw`), as for `info`.
        match ready(docker.version_raw())
            .map(|r| r.map_err(|e| e.to_string()))
            .unwrap_or_else(|| Err("the daemon did not answer".to_string()))
        {
            Ok(v) => {
                if let Some(f) = p.val("format") {
                    let data = json!({"Client": {"Version": "28.2.2", "ApiVersion": "1.41"}, "Server": v});
                    return match template(f, &data, "system.versionInfo") {
                        Ok(s) => {
                            out.line(s);
                            0
                        }
                        Err(e) => {
                            out.err(format!("{e}\n"));
                            1
                        }
                    };
                }
                let f = |key: &str| field_text(&v[key]);
                out.out(format!(
                    "Client:\n Version:           28.2.2 (simulated)\n API version:       1.41\n Go version:        go1.24.3\n Git commit:        e6534b4\n OS/Arch:           linux/amd64\n Context:           {}\n\nServer: Docker Engine - {}\n Engine:\n  Version:          {}\n  API version:      {} (minimum version {})\n  Go version:       {}\n  Git commit:       {}\n  OS/Arch:          {}/{}\n  Experimental:     {}\n",
                    if self.context == 0 { "default" } else { "remote" },
                    self.d().name,
                    f("Version"),
                    f("ApiVersion"),
                    f("MinAPIVersion"),
                    f("GoVersion"),
                    f("GitCommit"),
                    f("Os"),
                    f("Arch"),
                    v["Experimental"].as_bool().unwrap_or(false)
                ));
                out.explain("The client and the daemon are two programs: the CLI sent GET /version over HTTP and printed the daemon's answer under \"Server\".");
                0
            }
            Err(e) => {
                out.err(format!("{e}\n"));
                1
            }
        }
    }

    fn info(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let docker = self.d().docker.clone();
        // The daemon's document as it is (`info_raw`): `--format` reads its
        // names, and the typed `Info`'s decoder stays out of the module.
        match ready(docker.info_raw())
            .map(|r| r.map_err(|e| e.to_string()))
            .unwrap_or_else(|| Err("the daemon did not answer".to_string()))
        {
            Ok(i) => {
                if let Some(f) = p.val("format") {
                    return match template(f, &i, "system.dockerInfo") {
                        Ok(s) => {
                            out.line(s);
                            0
                        }
                        Err(e) => {
                            out.err(format!("{e}\n"));
                            1
                        }
                    };
                }
                let f = |key: &str| field_text(&i[key]);
                out.out(format!(
                    "Client:\n Version:    28.2.2 (simulated)\n Context:    {}\n\nServer:\n Containers: {}\n  Running: {}\n  Paused: {}\n  Stopped: {}\n Images: {}\n Server Version: {}\n Storage Driver: {}\n Logging Driver: json-file\n Cgroup Driver: systemd\n Kernel Version: {}\n Operating System: {}\n OSType: {}\n Architecture: {}\n CPUs: {}\n Total Memory: {}\n Name: {}\n ID: {}\n Docker Root Dir: {}\n",
                    if self.context == 0 { "default" } else { "remote" },
                    f("Containers"), f("ContainersRunning"), f("ContainersPaused"), f("ContainersStopped"), f("Images"), f("ServerVersion"), f("Driver"),
                    f("KernelVersion"), f("OperatingSystem"), f("OSType"), f("Architecture"), f("NCPU"), bin_size(i["MemTotal"].as_u64().unwrap_or(0)), f("Name"), f("ID"), f("DockerRootDir")
                ));
                0
            }
            Err(e) => {
                out.err(format!("{e}\n"));
                1
            }
        }
    }

    fn events(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let now = self.current_engine().now_ms() / 1000;
        let since = p.val("since").and_then(|s| parse_time(s, now)).unwrap_or(0);
        let until = p.val("until").and_then(|s| parse_time(s, now)).unwrap_or(now);
        let mut filters = EventFilters::new();
        for f in p.vals("filter") {
            let (k, v) = f.split_once('=').unwrap_or((&f, ""));
            filters = filters.other(k, v);
        }
        let mut opts = EventsOptions::new().filters(filters);
        if let Some(t) = datetime(since) {
            opts = opts.since(t);
        }
        if let Some(t) = datetime(until) {
            opts = opts.until(t);
        }
        let (events, error) = self.sdk_stream(self.docker().events(opts));
        if let Some(e) = error {
            return self.daemon_error(e, out, 1, "");
        }
        for ev in &events {
            if let Some(f) = p.val("format") {
                // The fields as the daemon names them (`{{.Actor.ID}}`).
                let data = json!({
                    "Type": ev.typ.as_str(), "Action": ev.action, "scope": ev.scope.as_ref().map(|s| s.as_str()),
                    "Actor": {"ID": ev.actor.id, "Attributes": ev.actor.attributes},
                    "time": ev.time, "timeNano": ev.time_nano,
                });
                match template(f, &data, "*events.Message") {
                    Ok(s) => out.line(s),
                    Err(e) => {
                        out.err(format!("{e}\n"));
                        return 1;
                    }
                }
                continue;
            }
            let nanos = u64::try_from(ev.time_nano).unwrap_or(0);
            out.line(format!(
                "{} {} {} {} ({})",
                crate::util::rfc3339(nanos / 1_000_000),
                ev.typ,
                ev.action,
                ev.actor.id,
                sorted_pairs(&ev.actor.attributes).replace(',', ", ")
            ));
        }
        if p.val("until").is_none() {
            out.explain(
                "Without --until the real CLI keeps listening for new events; the playground shows the events so far.",
            );
        }
        0
    }

    fn network_ls(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let list = match self.sdk(self.docker().networks().list(NetworkFilters::new())) {
            Ok(v) => v,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let rows: Vec<Value> = list
            .iter()
            .map(|n| {
                let id = if p.has("no-trunc") { n.id.as_str() } else { &n.id[..12.min(n.id.len())] };
                json!({"ID": id, "Name": n.name, "Driver": n.driver, "Scope": n.scope})
            })
            .collect();
        let header = [("ID", "NETWORK ID"), ("Name", "NAME"), ("Driver", "DRIVER"), ("Scope", "SCOPE")];
        print_rows(p, "ID", &header, &rows, "*network.networkContext", out)
    }

    fn volume_ls(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let list = match self.sdk(self.docker().volumes().list(VolumeFilters::new())) {
            Ok(v) => v,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let rows: Vec<Value> = list
            .volumes
            .iter()
            .map(|v| json!({"Driver": v.driver, "Name": v.name, "Mountpoint": v.mountpoint, "Scope": v.scope.as_str()}))
            .collect();
        print_rows(p, "Name", &[("Driver", "DRIVER"), ("Name", "VOLUME NAME")], &rows, "*formatter.volumeContext", out)
    }

    /// `docker wait`: each container's exit code once it exits, letting
    /// simulated time pass; one that never would (a server) is said so.
    fn wait(&mut self, names: &[String], out: &mut Out) -> i32 {
        let engine = self.current_engine().clone();
        let mut code = 0;
        for name in names {
            let container = self.container(name);
            let mut waiting = std::pin::pin!(container.wait());
            let mut answer = None;
            for _ in 0..1000 {
                answer = poll_once(waiting.as_mut());
                let Some(t) = answer.is_none().then(|| engine.with_state(|st| st.next_wake())).flatten() else {
                    break;
                };
                engine.advance(t.saturating_sub(engine.now_ms()).max(1));
            }
            match answer {
                Some(Ok(exit)) => out.line(exit.status_code.to_string()),
                Some(Err(e)) => code = self.daemon_error(DaemonError::from(&e), out, 1, ""),
                None => {
                    out.explain(format!("{name} runs a program that does not end by itself (a server): docker wait would wait until someone stops it. Try docker stop {name} in another terminal, or here: docker stop {name}; docker wait {name}."));
                    code = 1;
                }
            }
        }
        code
    }

    fn prune(&mut self, what: &str, p: &Parsed, out: &mut Out) -> i32 {
        let docker = self.docker().clone();
        let answer: Result<(&str, Vec<String>, u64), DaemonError> = match what {
            "container prune" => self
                .sdk(docker.containers().prune(ContainerPruneFilters::new()))
                .map(|r| ("Deleted Containers:", r.containers_deleted, r.space_reclaimed)),
            "image prune" => {
                let filters =
                    if p.has("all") { ImagePruneFilters::new().dangling(false) } else { ImagePruneFilters::new() };
                self.sdk(docker.images().prune(filters)).map(|r| {
                    let items = r
                        .images_deleted
                        .into_iter()
                        .flat_map(|i| {
                            let untagged = i.untagged.map(|t| format!("untagged: {t}"));
                            let deleted = i.deleted.map(|d| format!("deleted: {d}"));
                            untagged.into_iter().chain(deleted)
                        })
                        .collect();
                    ("Deleted Images:", items, u64::try_from(r.space_reclaimed).unwrap_or(0))
                })
            }
            "network prune" => self
                .sdk(docker.networks().prune(NetworkPruneFilters::new()))
                .map(|r| ("Deleted Networks:", r.networks_deleted, 0)),
            "builder prune" => self
                .sdk(docker.images().prune_build_cache(dockhand::api::BuildCachePruneOptions::new().all(p.has("all"))))
                .map(|r| {
                    ("Deleted build cache objects:", r.caches_deleted, u64::try_from(r.space_reclaimed).unwrap_or(0))
                }),
            _ => {
                let filters = VolumePruneFilters::new().all(p.has("all"));
                self.sdk(docker.volumes().prune(filters))
                    .map(|r| ("Deleted Volumes:", r.volumes_deleted, r.space_reclaimed))
            }
        };
        match answer {
            Ok((title, items, reclaimed)) => {
                if !items.is_empty() {
                    out.line(title);
                    for i in items {
                        out.line(i);
                    }
                    out.line("");
                }
                out.line(format!("Total reclaimed space: {}", human_size(reclaimed)));
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn df(&mut self, _p: &Parsed, out: &mut Out) -> i32 {
        let docker = self.d().docker.clone();
        match ready(docker.df(dockhand::api::DfOptions::default()))
            .map(|r| r.map_err(|e| e.to_string()))
            .unwrap_or_else(|| Err("the daemon did not answer".to_string()))
        {
            Ok(df) => {
                let size = |n: i64| u64::try_from(n).unwrap_or(0);
                let images = df.images.unwrap_or_default();
                let containers = df.containers.unwrap_or_default();
                let volumes = df.volumes.unwrap_or_default();
                let build_cache = df.build_cache.unwrap_or_default();
                let img_size: u64 = images.iter().map(|i| size(i.size)).sum();
                let img_active = images.iter().filter(|i| i.containers > 0).count();
                let img_reclaim: u64 = images.iter().filter(|i| i.containers == 0).map(|i| size(i.size)).sum();
                let c_size: u64 = containers.iter().map(|c| c.size_rw.map_or(0, size)).sum();
                let c_active = containers.iter().filter(|c| c.state == ContainerStateKind::Running).count();
                let usage = |v: &dockhand::models::Volume| {
                    v.usage_data.as_ref().map_or((0, 0), |u| (size(u.size), u.ref_count))
                };
                let v_size: u64 = volumes.iter().map(|v| usage(v).0).sum();
                let v_active = volumes.iter().filter(|v| usage(v).1 > 0).count();
                let pct = |r: u64, t: u64| (r * 100).checked_div(t).map(|p| format!(" ({p}%)")).unwrap_or_default();
                let rows = vec![
                    vec!["TYPE".to_string(), "TOTAL".into(), "ACTIVE".into(), "SIZE".into(), "RECLAIMABLE".into()],
                    vec![
                        "Images".into(),
                        images.len().to_string(),
                        img_active.to_string(),
                        human_size(img_size),
                        format!("{}{}", human_size(img_reclaim), pct(img_reclaim, img_size)),
                    ],
                    vec![
                        "Containers".into(),
                        containers.len().to_string(),
                        c_active.to_string(),
                        human_size(c_size),
                        human_size(c_size),
                    ],
                    vec![
                        "Local Volumes".into(),
                        volumes.len().to_string(),
                        v_active.to_string(),
                        human_size(v_size),
                        human_size(v_size),
                    ],
                    vec!["Build Cache".into(), build_cache.len().to_string(), "0".into(), "0B".into(), "0B".into()],
                ];
                out.out(table(&rows));
                out.explain(
                    "Layers shared by several images are stored once; the SIZE of images counts each image whole.",
                );
                0
            }
            Err(e) => {
                out.err(format!("{e}\n"));
                1
            }
        }
    }
}

/// `KEY=VALUE` flags (`--label`) as pairs; a bare `KEY` has an empty value.
fn labels(list: &[String]) -> Vec<(String, String)> {
    list.iter()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or((l, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// A map as `k=v,k2=v2`, sorted by key (the daemon's maps have no order).
fn sorted_pairs(map: &std::collections::HashMap<String, String>) -> String {
    let mut pairs: Vec<(&String, &String)> = map.iter().collect();
    crate::util::sort_with(&mut pairs, &|a, b| a.0.cmp(b.0));
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// A time of the API as milliseconds since the epoch (0 when unknown).
fn unix_ms(t: Option<time::OffsetDateTime>) -> u64 {
    t.map(|t| u64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)).unwrap_or(0)
}

/// Seconds since the epoch as a time for the SDK's options.
fn datetime(secs: u64) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(i64::try_from(secs).ok()?).ok()
}

/// A `--since`/`--until` value: a duration back from `now` (`10m`, `30s`,
/// `2h`) or seconds since the epoch.
fn parse_time(s: &str, now: u64) -> Option<u64> {
    let back = |n: &str, unit: u64| n.parse::<u64>().ok().map(|d| now.saturating_sub(d.saturating_mul(unit)));
    if let Some(n) = s.strip_suffix('m') {
        return back(n, 60);
    }
    if let Some(n) = s.strip_suffix('s') {
        return back(n, 1);
    }
    if let Some(n) = s.strip_suffix('h') {
        return back(n, 3600);
    }
    s.parse().ok()
}

/// Prints a process's output: stderr to stderr, the rest (stdout, a tty's
/// console) to stdout.
fn emit(items: &[Output], out: &mut Out) {
    for o in items {
        let text = String::from_utf8_lossy(&o.data);
        match o.stream {
            StdStream::Stderr => out.err(text),
            StdStream::Console => out.out(text.replace("\r\n", "\n")),
            _ => out.out(text),
        }
    }
}

/// A field of the daemon's JSON as the CLI prints it: a string bare, a
/// null as nothing.
fn field_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

/// The docker client's error for a global option given without its value.
/// (pflag's wording: `'H' in -H` for a short one, `--host` for a long one).
fn global_flag_needs_value(name: &str, out: &mut Out) -> i32 {
    let flag = match name.strip_prefix('-').filter(|n| !n.starts_with('-')) {
        Some(short) => format!("'{short}' in {name}"),
        None => name.to_string(),
    };
    out.err(format!(
        "flag needs an argument: {flag}\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n"
    ));
    125
}

fn bin_size(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < units.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    // Five characters at most, trailing zeros trimmed: `7.667GiB`, `512KiB`.
    let text = format!("{v:.4}");
    let text: String = text.trim_end_matches('0').trim_end_matches('.').chars().take(5).collect();
    text.trim_end_matches('.').to_string() + units[u]
}

/// Takes the prompt an interactive shell printed last (`/tmp # `) off the
/// end of `stdout` and returns it; `None` when the output does not end with
/// one.
fn take_prompt(stdout: &mut String) -> Option<String> {
    let start = stdout.rfind('\n').map_or(0, |i| i + 1);
    let last = &stdout[start..];
    if !(last.starts_with('/') && last.ends_with(" # ")) {
        return None;
    }
    let prompt = last.to_string();
    stdout.truncate(start);
    Some(prompt)
}

/// The prompt of a shell just attached: the one it printed (`/ # `), none
/// without a tty (the shell prints none then).
fn first_prompt(stdout: &mut String, tty: bool) -> String {
    if !tty {
        return String::new();
    }
    take_prompt(stdout).unwrap_or_else(|| crate::shell::prompt("/"))
}

/// The PORTS column: `0.0.0.0:8080->80/tcp, [::]:8080->80/tcp`.
fn ports_text(ports: &[PortSummary]) -> String {
    let mut out = Vec::new();
    for p in ports {
        let proto = if p.typ.is_empty() { "tcp" } else { p.typ.as_str() };
        match p.public_port {
            Some(public) => {
                let ip = p.ip.as_deref().unwrap_or("0.0.0.0");
                let ip = if ip == "::" { "[::]" } else { ip };
                out.push(format!("{ip}:{public}->{}/{proto}", p.private_port));
            }
            None => out.push(format!("{}/{proto}", p.private_port)),
        }
    }
    out.join(", ")
}

/// The names in `after` but not in `before`, and those in `before` but not
/// in `after`, each in its list's order.
fn added_and_gone<'a>(
    before: &'a [String],
    after: &'a [String],
) -> (impl Iterator<Item = String> + 'a, impl Iterator<Item = String> + 'a) {
    let added = after.iter().filter(|n| !before.contains(n)).cloned();
    let gone = before.iter().filter(|n| !after.contains(n)).cloned();
    (added, gone)
}

fn diff(before: &Summary, after: &Summary) -> Vec<Change> {
    let mut out = Vec::new();
    for (id, (name, status, image)) in &after.0 {
        match before.0.get(id) {
            None => {
                out.push(Change::ContainerCreated { id: id.clone(), name: name.clone(), image: image.clone() });
                if status != "created" {
                    out.push(Change::ContainerState {
                        id: id.clone(),
                        name: name.clone(),
                        from: "created".into(),
                        to: status.clone(),
                    });
                }
            }
            Some((_, old, _)) if old != status => out.push(Change::ContainerState {
                id: id.clone(),
                name: name.clone(),
                from: old.clone(),
                to: status.clone(),
            }),
            _ => {}
        }
    }
    for (id, (name, _, _)) in &before.0 {
        if !after.0.contains_key(id) {
            out.push(Change::ContainerRemoved { id: id.clone(), name: name.clone() });
        }
    }
    for (id, tags) in &after.1 {
        match before.1.get(id) {
            None => out.push(Change::ImageAdded { id: id.clone(), tags: tags.clone() }),
            Some(old) if old != tags => out.push(Change::ImageTagged { id: id.clone(), tags: tags.clone() }),
            _ => {}
        }
    }
    for id in before.1.keys() {
        if !after.1.contains_key(id) {
            out.push(Change::ImageRemoved { id: id.clone() });
        }
    }
    let (created, removed) = added_and_gone(&before.2, &after.2);
    out.extend(created.map(|name| Change::NetworkCreated { name }));
    out.extend(removed.map(|name| Change::NetworkRemoved { name }));
    let (created, removed) = added_and_gone(&before.3, &after.3);
    out.extend(created.map(|name| Change::VolumeCreated { name }));
    out.extend(removed.map(|name| Change::VolumeRemoved { name }));
    let (pushed, _) = added_and_gone(&before.4, &after.4);
    out.extend(pushed.map(|r| Change::Pushed { reference: r.split('@').next().unwrap_or(&r).to_string() }));
    out
}

/// A plain-language note and a suggestion for a daemon error.
fn teach_error(message: &str, out: &mut Out) {
    let (exp, sug): (String, Option<String>) = if message.starts_with("No such container") {
        (
            "No container has that name or id. `docker ps -a` lists every container, stopped ones included.".into(),
            Some("docker ps -a".into()),
        )
    } else if message.starts_with("Conflict. The container name") {
        let name = message.split('"').nth(1).unwrap_or("/x").trim_start_matches('/').to_string();
        ("Container names are unique per daemon, and a stopped container keeps its name. Remove the old one, or pick another --name.".to_string(), Some(format!("docker rm -f {name}")))
    } else if message.contains("is not running") {
        ("exec starts a new process inside a container's namespaces, which exist only while its main process runs. Start the container first.".into(), Some("docker start CONTAINER".into()))
    } else if message.contains("is paused") {
        (
            "A paused container's processes are frozen: nothing new can run in it until it is unpaused.".into(),
            Some("docker unpause CONTAINER".into()),
        )
    } else if message.contains("container is running") {
        ("A running container cannot be removed: stop it first (its main process gets SIGTERM), or force it with -f (SIGKILL).".into(), Some("docker rm -f CONTAINER".into()))
    } else if message.starts_with("No such image") {
        ("There is no local image by that name. `docker images` lists local images; `docker pull NAME` downloads one.".into(), Some("docker images".into()))
    } else if message.starts_with("pull access denied") {
        ("The simulated registry has no such repository. It holds hello-world, busybox, alpine, nginx, redis, python, and what you push.".into(), Some("docker pull busybox".into()))
    } else if message.contains("manifest unknown") {
        ("The repository exists but not with that tag.".into(), Some("docker pull nginx:latest".into()))
    } else if message.contains("port is already allocated") {
        ("Another running container already publishes that host port; a host port can be bound once. Pick another host port.".into(), Some("docker run -d -p 8081:80 nginx".into()))
    } else if message.contains("executable file not found") {
        ("The command does not exist in the image's filesystem: a container can run only programs its image contains.".into(), Some("docker run --rm busybox ls /bin".into()))
    } else if message.contains("returned a non-zero code") {
        ("A RUN instruction failed (its command exited with a non-zero code), so the build stopped at that step. Earlier steps stay in the cache.".into(), None)
    } else if message.contains("has active endpoints") {
        ("Containers are still connected to this network; remove or disconnect them first.".into(), None)
    } else if message.contains("volume is in use") {
        ("A container (even a stopped one) still uses this volume. Remove the container first.".into(), None)
    } else if message.contains("unable to remove repository reference") || message.contains("unable to delete") {
        ("A container uses this image. Remove the container first, or force with -f.".into(), None)
    } else if message.contains("denied") {
        ("The registry refused: log in first (docker login -u NAME -p PASSWORD) and push to your own namespace (NAME/app).".into(), Some("docker login -u learner -p secret".into()))
    } else {
        return;
    };
    out.explain(exp);
    if out.suggestion.is_none() {
        out.suggestion = sug;
    }
}

/// What a command does, in plain words.
fn explain(name: &str) -> Option<&'static str> {
    Some(match name {
        "run" => {
            "docker run = create + start (+ attach): the CLI asked the daemon to create a container from the image (POST /containers/create), attached to its output, started it (POST /containers/{id}/start) and waited for its main process to end."
        }
        "create" => {
            "The container exists (state: created) but nothing runs yet: `docker start` starts its main process."
        }
        "ps" => "GET /containers/json: the daemon lists its containers (running ones unless -a).",
        "images" => "GET /images/json: the images stored on this daemon.",
        "logs" => "GET /containers/{id}/logs: what the container's main process wrote to stdout and stderr.",
        "stop" => {
            "stop sends SIGTERM to the main process (PID 1 in the container) and, if it is still running after 10 seconds, SIGKILL. A process without a SIGTERM handler (like sh or sleep as PID 1) is killed: exit code 137."
        }
        "start" => {
            "POST /containers/{id}/start: the main process runs again, in the same container (same filesystem, same writable layer)."
        }
        "rm" => "DELETE /containers/{id}: the container and its writable layer are gone; named volumes stay.",
        "exec" => {
            "exec runs a new process inside the running container's namespaces (POST /containers/{id}/exec, then POST /exec/{id}/start)."
        }
        "pull" => "POST /images/create: the daemon downloads the image's layers from the registry.",
        "inspect" => "The daemon's full JSON description of the object.",
        "pause" => "pause freezes every process of the container (the cgroup freezer); unpause thaws them.",
        "unpause" => "unpause thaws the container's frozen processes.",
        "kill" => "kill sends a signal (SIGKILL by default) to the container's main process.",
        "restart" => "restart = stop + start.",
        "network ls" => {
            "Networks: bridge (the default), host (share the host's network), none (no network), and user-defined ones."
        }
        "volume ls" => "Volumes managed by the daemon.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `ready` relies on: over the in-memory transport, SDK calls
    /// resolve on their first poll, the version negotiation of an unpinned
    /// client (its `/_ping` under a lock) included, and progress streams
    /// end without waiting.
    #[test]
    fn sdk_calls_resolve_on_the_first_poll() {
        let engine = Engine::new();
        let negotiating = engine.docker();
        let version = ready(negotiating.api_version()).expect("negotiation does not wait");
        assert!(version.is_ok(), "{version:?}");
        let mut pull = negotiating.images().pull(PullOptions::new("busybox:latest"));
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut messages = 0;
        loop {
            match pull.poll_next_unpin(&mut cx) {
                Poll::Ready(Some(item)) => {
                    assert!(item.is_ok(), "{item:?}");
                    messages += 1;
                }
                Poll::Ready(None) => break,
                Poll::Pending => panic!("the pull stream waited after {messages} messages"),
            }
        }
        assert!(messages > 0);
        let images = ready(negotiating.images().list(ImageListOptions::new())).expect("list does not wait");
        assert_eq!(images.map(|i| i.len()).ok(), Some(1));
    }

    /// A future that would wait is reported, not polled forever.
    #[test]
    fn a_pending_future_is_reported() {
        assert!(ready(futures::future::pending::<()>()).is_none());
        assert_eq!(ready(async { 7 }), Some(7));
    }
}
