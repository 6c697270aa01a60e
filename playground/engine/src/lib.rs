//! # dockhand-engine
//!
//! A deterministic, in-memory simulated Docker daemon that speaks the Engine
//! API as Docker 28.5 (API 1.51, and older clients' shapes down to 1.24), a docker-syntax command line that drives it through
//! the dockhand SDK, and an in-memory [`Transport`](dockhand::transport::Transport)
//! so that `dockhand::Docker` can use it with no sockets.
//!
//! No IO, no runtime: it compiles for `wasm32-unknown-unknown`.
//!
//! ```
//! use dockhand_engine::Engine;
//! let engine = Engine::new();
//! let docker = engine.docker();
//! let version = futures::executor::block_on(docker.version()).unwrap();
//! assert_eq!((version.version.as_str(), version.api_version.as_str()), ("28.5.2+dockhand-sim", "1.51"));
//! ```
//!
//! The command line ([`Session`]) returns, for each command, what the real
//! CLI prints, the HTTP exchanges it caused and the state changes:
//!
//! ```
//! let mut session = dockhand_engine::Session::new();
//! let out = session.run("docker run --rm hello-world");
//! assert!(out.stdout.contains("Hello from Docker!"));
//! assert!(out.exchanges.iter().any(|x| x.path.contains("/containers/create")));
//! ```

#![warn(missing_docs)]
#![recursion_limit = "512"]

pub mod cli;
mod daemon;
mod error;
pub(crate) mod fs;
mod http;
mod image;
mod programs;
pub mod state;
mod transport;
pub(crate) mod util;

/// The start of simulated time: 2026-01-01T00:00:00Z.
pub const EPOCH_MS: u64 = 1_767_225_600_000;

use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Poll, Waker};

use bytes::Bytes;
use dockhand::Body;

pub use cli::{Change, DaemonEvent, Outcome, Printed, Session};
pub use state::State;
pub use transport::{Exchange, InMemoryTransport, Recorder, StdinTarget};
pub use util::DetachKeys;

/// The byte formats the engine reads and writes, for tests that build its
/// inputs or read its raw outputs: tar archives (a build context, the body
/// of `PUT /containers/{id}/archive`) and the multiplexed framing of attach
/// and logs without a TTY.
///
/// ```
/// use dockhand_engine::formats::{TarEntry, deframe, frame, tar, untar};
/// let archive = tar(&[TarEntry { path: "hello.txt".into(), dir: false, data: b"hi".to_vec() }]);
/// assert_eq!(untar(&archive).unwrap()[0].data, b"hi");
/// assert_eq!(deframe(&frame(2, b"oops")), [(2, b"oops".to_vec())]);
/// ```
pub mod formats {
    pub use crate::util::{TarEntry, deframe, frame, tar, untar};
}

/// Not part of the API: the engine's one stable sort, which the browser
/// playground shares so that its WebAssembly holds one copy of it (see
/// `util::sorted_indices`). It may change in any release.
#[doc(hidden)]
pub use util::sort_with;

/// The simulated daemon. Cheap to clone: clones share the state.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    wakers: Mutex<Vec<Waker>>,
    /// Pending stdin per target: the text, and whether it was closed.
    stdin: Mutex<state::Map<StdinTarget, (String, bool)>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.lock();
        f.debug_struct("Engine")
            .field("name", &st.name)
            .field("containers", &st.containers.len())
            .finish_non_exhaustive()
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// A fresh daemon (`dockhand-sim`, seed 42).
    pub fn new() -> Engine {
        Engine::with_seed("dockhand-sim", 42)
    }

    /// A fresh daemon with this name and id seed.
    pub fn with_seed(name: &str, seed: u64) -> Engine {
        Engine::from_state(State::new(name, seed))
    }

    /// A daemon over an existing state.
    pub fn from_state(state: State) -> Engine {
        Engine {
            inner: Arc::new(Inner {
                state: Mutex::new(state),
                wakers: Mutex::new(Vec::new()),
                stdin: Mutex::new(Default::default()),
            }),
        }
    }

    /// Locks the state (recovering from a poisoned lock).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads the state.
    pub fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.lock())
    }

    /// Changes the state (waking streams that wait on it).
    pub fn with_state_mut<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let r = f(&mut self.lock());
        self.notify();
        r
    }

    /// Wakes every stream waiting for a change.
    pub fn notify(&self) {
        let wakers: Vec<Waker> = std::mem::take(&mut *self.inner.wakers.lock().unwrap_or_else(|e| e.into_inner()));
        for w in wakers {
            w.wake();
        }
    }

    /// A streaming body that calls `f` on the state each time it is polled
    /// and after each change.
    pub(crate) fn watch<F>(self, mut f: F) -> Body
    where
        F: FnMut(&mut State) -> Poll<Option<Bytes>> + Send + 'static,
    {
        let engine = self;
        Body::from_result_stream(futures::stream::poll_fn(move |cx| {
            let mut st = engine.lock();
            match f(&mut st) {
                Poll::Pending => {
                    let mut wakers = engine.inner.wakers.lock().unwrap_or_else(|e| e.into_inner());
                    if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
                        wakers.push(cx.waker().clone());
                    }
                    Poll::Pending
                }
                Poll::Ready(x) => Poll::Ready(x.map(Ok)),
            }
        }))
    }

    /// Advances the simulated clock by `ms`: sleeping programs wake, exited
    /// containers restart per their policy.
    pub fn advance(&self, ms: u64) {
        self.lock().advance(ms);
        self.flush_stdin();
        self.notify();
    }

    /// Sets the simulated clock (for example to the wall clock, so that
    /// "Created 5 seconds ago" agrees with the real CLI's clock). The clock
    /// never goes back.
    pub fn set_clock(&self, ms: u64) {
        let now = self.now_ms();
        if ms > now {
            self.advance(ms - now);
        }
    }

    /// The simulated time, ms since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        self.lock().clock_ms
    }

    /// The whole state as JSON (for undo and sharing).
    pub fn snapshot(&self) -> String {
        serde_json::to_string(&*self.lock()).unwrap_or_default()
    }

    /// Replaces the state with a snapshot; `Err` with a message for bad JSON.
    pub fn restore(&self, json: &str) -> Result<(), String> {
        let state: State = serde_json::from_str(json).map_err(|e| format!("invalid snapshot: {e}"))?;
        *self.lock() = state;
        self.notify();
        Ok(())
    }

    /// The in-memory transport into this engine.
    pub fn transport(&self) -> Arc<InMemoryTransport> {
        Arc::new(InMemoryTransport::new(self.clone()))
    }

    /// A dockhand client that talks to this engine in memory.
    /// It never looks up the host's stored registry credentials.
    pub fn docker(&self) -> dockhand::Docker {
        dockhand::Docker::builder()
            .registry_credentials(dockhand::credentials::RegistryCredentials::Off)
            .build_with_transport(self.transport())
            .unwrap_or_else(|_| dockhand::Docker::with_transport(self.transport()))
    }

    /// An HTTP GET from the simulated host to `127.0.0.1:port` (a published
    /// port): `(status, body)` or the connection error.
    pub fn host_get(&self, port: u16, path: &str) -> Result<(u16, String), String> {
        let r = {
            let mut st = self.lock();
            let target = st
                .containers
                .values()
                .find(|c| {
                    matches!(c.status, state::Status::Running | state::Status::Paused)
                        && c.ports.iter().any(|p| p.host_port == port)
                })
                .map(|c| {
                    (
                        c.id.clone(),
                        c.ports
                            .iter()
                            .find(|p| p.host_port == port)
                            .map(|p| p.container_port.clone())
                            .unwrap_or_default(),
                    )
                })
                // No container publishes it: a swarm service may (the routing mesh).
                .or_else(|| daemon::swarm::services::mesh_target(&st, port).map(|(c, p)| (c, p.to_string())));
            match target {
                Some((cid, cport)) => {
                    let cport: u16 = cport.split('/').next().and_then(|p| p.parse().ok()).unwrap_or(0);
                    let gw = st.containers[&cid]
                        .networks
                        .values()
                        .next()
                        .map(|e| e.gateway.clone())
                        .unwrap_or_else(|| "172.17.0.1".into());
                    programs::http_get(&mut st, &cid, cport, path, &gw, "curl/8.5.0")
                }
                None => {
                    Err(format!("Failed to connect to localhost port {port} after 0 ms: Couldn't connect to server"))
                }
            }
        };
        self.notify();
        r
    }

    /// Feeds bytes to the stdin of a container's main process or of an
    /// exec (interactive shells read lines). Input that arrives before the
    /// process reads stdin (the CLI attaches before it starts the
    /// container) waits for it.
    pub fn write_stdin(&self, target: &StdinTarget, data: &[u8]) {
        let text = String::from_utf8_lossy(data).into_owned();
        {
            let mut st = self.lock();
            let tty = match &target.exec {
                Some(e) => st.execs.get(e).is_some_and(|e| e.tty),
                None => st.containers.get(&target.container).is_some_and(|c| c.tty),
            };
            if tty && !text.is_empty() {
                let echo = text.replace('\r', "\r\n");
                let t = st.clock_ms;
                match &target.exec {
                    Some(e) => {
                        if let Some(x) = st.execs.get_mut(e) {
                            x.output.push(state::LogEntry { stream: 1, text: echo, time_ms: t });
                        }
                    }
                    None => st.append_logs(&target.container, vec![(1, echo)]),
                }
            }
        }
        {
            let mut bufs = self.inner.stdin.lock().unwrap_or_else(|e| e.into_inner());
            let entry = bufs.entry(target.clone()).or_default();
            if entry.0.len() < 1024 * 1024 {
                entry.0.push_str(&text);
            }
        }
        self.flush_stdin();
        self.notify();
    }

    /// Closes stdin: an interactive shell reading it exits (once it has
    /// read what was sent before).
    pub fn close_stdin(&self, target: &StdinTarget) {
        {
            let mut bufs = self.inner.stdin.lock().unwrap_or_else(|e| e.into_inner());
            bufs.entry(target.clone()).or_default().1 = true;
        }
        self.flush_stdin();
        self.notify();
    }

    /// Delivers buffered stdin to processes that read it now.
    fn flush_stdin(&self) {
        let targets: Vec<StdinTarget> =
            self.inner.stdin.lock().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        for target in targets {
            let mut st = self.lock();
            let pid = match &target.exec {
                Some(e) => st.execs.get(e).map(|e| e.pid).unwrap_or(0),
                None => 1,
            };
            let process = st
                .containers
                .get(&target.container)
                .and_then(|c| c.processes.iter().find(|p| p.pid == pid).map(|p| p.program.clone()));
            let exists = st.containers.contains_key(&target.container);
            let cat = process == Some(state::Program::Cat);
            match process {
                Some(state::Program::Interactive | state::Program::Cat) => {}
                // Not reading yet (created, starting): keep the input.
                None if exists && target.exec.is_none() && st.containers[&target.container].starts == 0 => continue,
                None if exists && target.exec.as_ref().is_some_and(|e| st.execs.get(e).is_some_and(|x| !x.started)) => {
                    continue;
                }
                // Gone or not reading stdin: drop it.
                _ => {
                    drop(st);
                    self.inner.stdin.lock().unwrap_or_else(|e| e.into_inner()).remove(&target);
                    continue;
                }
            }
            let (lines, closed, partial) = {
                let mut bufs = self.inner.stdin.lock().unwrap_or_else(|e| e.into_inner());
                let Some(entry) = bufs.get_mut(&target) else { continue };
                let mut lines = Vec::new();
                while let Some(i) = entry.0.find(['\n', '\r']) {
                    let line: String = entry.0.drain(..=i).collect();
                    lines.push(line.trim_end_matches(['\r', '\n']).to_string());
                }
                // `cat` copies a last line without its newline when stdin closes.
                let partial = if entry.1 && cat { std::mem::take(&mut entry.0) } else { String::new() };
                (lines, entry.1, partial)
            };
            for line in lines {
                st.stdin_line(&target.container, target.exec.as_deref(), &line);
            }
            st.cat_output(&target.container, target.exec.as_deref(), partial);
            if closed {
                let still = st
                    .containers
                    .get(&target.container)
                    .and_then(|c| c.processes.iter().find(|p| p.pid == pid))
                    .is_some_and(|p| matches!(p.program, state::Program::Interactive | state::Program::Cat));
                if still {
                    match &target.exec {
                        Some(e) => {
                            let e = e.clone();
                            st.apply_exec_flow(&target.container, &e, pid, programs::Flow::Exit(0));
                        }
                        None => st.apply_main_flow(&target.container, programs::Flow::Exit(0)),
                    }
                }
                drop(st);
                self.inner.stdin.lock().unwrap_or_else(|e| e.into_inner()).remove(&target);
            }
        }
    }

    /// Answers one request, as the daemon would. Never panics on any input.
    pub fn handle(&self, request: ::http::Request<Bytes>) -> ::http::Response<Body> {
        http::handle(self, request)
    }
}
