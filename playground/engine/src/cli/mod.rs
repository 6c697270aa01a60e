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
//! polled once with a no-op waker (see `sdk::ready`), which needs no executor and
//! works the same on wasm32. What stays open (an attached shell, the `wait`
//! of `docker run`) is kept as the SDK's stream or future and polled again
//! after the simulated clock moves.
//!
//! Where things are:
//! - this file: [`Session`] and its public API only;
//! - `dispatch`: a command line (substitutions, pipes, the host's few
//!   commands, docker's global options);
//! - `commands`: the table of docker commands, one entry per command (its
//!   name and aliases, flags, run function, explanation, completion), by
//!   area in `commands/*.rs`;
//! - `flags`: the generic flag parser; `format` and `template`: tables and
//!   `--format`; `host_shell`: pipes, `$(...)`, redirections and
//!   here-documents (parsed; `dispatch` runs them);
//! - `out`: what a command prints; `sdk`: SDK calls and daemon errors;
//!   `coach`: the note after a failed line, from its words and the state;
//!   `terminal`: an attached shell; `outcome`: [`Outcome`] and [`Change`];
//!   `checkpoint`: in-memory undo.
//!
//! Uses: the engine ([`Engine`]) only through the SDK over
//! `crate::transport`, except to read state for the change list,
//! completion, the diagram view, and a few terminal waits; `crate::util`
//! and `crate::programs` (the host's filters, quoting).

mod checkpoint;
mod coach;
mod commands;
mod curl_socket;
mod dispatch;
pub(crate) mod flags;
pub(crate) mod format;
pub(crate) mod host_shell;
mod out;
mod outcome;
mod sdk;
pub(crate) mod template;
mod terminal;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::Engine;
use crate::transport::{Exchange, InMemoryTransport, Recorder};
pub use checkpoint::Checkpoint;
use out::Out;
pub use outcome::{Change, DaemonEvent, Outcome, Printed};
use outcome::{diff, event_mark, events_since, snapshot_summary};
use terminal::Attached;

pub(crate) struct Daemon {
    name: String,
    host: String,
    engine: Engine,
    recorder: Recorder,
    docker: dockhand::Docker,
}

/// The docker CLI the simulated one answers as (the real CLI on this
/// project's machines, whose texts the CLI tests hold it to).
pub(crate) const CLIENT_VERSION: &str = "28.2.2";

/// The newest API version that CLI speaks: it negotiates it with the
/// engine (28.5.2, API 1.51), as the real one does.
pub(crate) const CLIENT_API_VERSION: &str = "1.50";

impl Daemon {
    fn new(name: &str, host: &str, engine: Engine) -> Daemon {
        let recorder = Recorder::default();
        let transport = Arc::new(InMemoryTransport::recording(engine.clone(), recorder.clone()));
        // The simulated CLI passes its own `docker login`s; the host's
        // stored credentials are no business of the simulated engine.
        let docker = dockhand::Docker::builder()
            .registry_credentials(dockhand::credentials::RegistryCredentials::Off)
            .api_version(CLIENT_API_VERSION)
            .ok()
            .and_then(|b| b.build_with_transport(transport.clone()).ok())
            .unwrap_or_else(|| dockhand::Docker::with_transport(transport.clone()));
        Daemon { name: name.into(), host: host.into(), engine, recorder, docker }
    }
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
    /// What the host's command being run reads on stdin: a here-document or
    /// `< FILE` (only `cat` reads it).
    stdin: Option<String>,
    step_ms: u64,
    /// Whether `docker build` uses BuildKit (the CLI's default), or the
    /// legacy builder (`DOCKER_BUILDKIT=0`).
    buildkit: bool,
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
            stdin: None,
            step_ms: 1000,
            buildkit: true,
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
            "buildkit": self.buildkit,
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
        self.buildkit = v.get("buildkit").and_then(Value::as_bool).unwrap_or(true);
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
        commands::complete(self, line)
    }

    /// Runs one command line and reports what it did. Never panics.
    pub fn run(&mut self, line: &str) -> Outcome {
        let before: Vec<_> = self.daemons.iter().map(|d| snapshot_summary(&d.engine)).collect();
        let marks: Vec<u64> = self.daemons.iter().map(|d| event_mark(&d.engine)).collect();
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
            let code = match self.dispatch(line, &mut out) {
                Ok(c) | Err(c) => c,
            };
            self.coach(line, code, &mut out);
            code
        };
        self.sync_registry();
        let mut exchanges = Vec::new();
        let mut events = Vec::new();
        for (d, mark) in self.daemons.iter().zip(marks) {
            exchanges.extend(d.recorder.take().into_iter().map(|x| Exchange { daemon: d.name.clone(), ..x }));
            events.extend(events_since(&d.engine, mark, &d.name));
        }
        let mut changes = std::mem::take(&mut out.refused);
        for (i, d) in self.daemons.iter().enumerate() {
            changes.extend(diff(&before[i], &snapshot_summary(&d.engine)));
        }
        if self.current() != daemon_before {
            changes.push(Change::DaemonSwitched { to: self.daemons[self.current()].name.clone() });
        }
        let printed =
            out.printed().into_iter().map(|(stderr, progress, text)| Printed { stderr, progress, text }).collect();
        Outcome {
            command: line.to_string(),
            printed,
            stdout: out.stdout,
            stderr: out.stderr,
            exit_code: code,
            exchanges,
            events,
            changes,
            explanation: out.explanation,
            suggestion: out.suggestion,
            misspelled: out.misspelled,
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
}
