//! The daemon's behaviour: lifecycle of containers, images, networks and
//! volumes, on plain [`State`].

use std::collections::BTreeMap;

use crate::catalog;
use crate::state::*;
use crate::util::{hex_id, next_u64};

/// The start of simulated time: 2026-01-01T00:00:00Z.
pub const EPOCH_MS: u64 = 1_767_225_600_000;

/// How many removed containers the engine keeps the output of.
const GRAVEYARD: usize = 16;

/// An error the API reports: a status and the daemon's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErr {
    /// The HTTP status.
    pub status: u16,
    /// The message (`No such container: x`).
    pub message: String,
}

/// Builds an [`ApiErr`].
pub fn err(status: u16, message: impl Into<String>) -> ApiErr {
    ApiErr { status, message: message.into() }
}

/// A parsed image reference: familiar repository and tag (or digest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `nginx`, `alice/app`, `localhost:5000/app`.
    pub repo: String,
    /// `latest` unless given.
    pub tag: String,
    /// `sha256:...` when given with `@`.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses `docker.io/library/nginx:1.29`, `nginx`, `alice/app:v1`,
    /// `nginx@sha256:..`. `None` for an invalid reference.
    pub fn parse(s: &str) -> Option<Reference> {
        let s = s.trim();
        if s.is_empty()
            || s.len() > 255
            || s.chars().any(|c| c.is_whitespace() || c.is_ascii_uppercase() && !s.contains('@'))
        {
            return None;
        }
        let (name, digest) = match s.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (s, None),
        };
        let (repo, tag) = match name.rfind(':') {
            Some(i) if !name[i..].contains('/') => (&name[..i], name[i + 1..].to_string()),
            _ => (name, "latest".to_string()),
        };
        let repo = repo.strip_prefix("docker.io/").or_else(|| repo.strip_prefix("index.docker.io/")).unwrap_or(repo);
        let repo = repo.strip_prefix("library/").unwrap_or(repo);
        let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/:".contains(c);
        if repo.is_empty()
            || !repo.chars().all(ok)
            || repo.starts_with(['.', '-', '/'])
            || repo.ends_with('/')
            || repo.contains("//")
        {
            return None;
        }
        if tag.is_empty() || tag.len() > 128 || !tag.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            return None;
        }
        Some(Reference { repo: repo.to_string(), tag, digest })
    }

    /// `repo:tag`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.repo, self.tag)
    }
}

impl State {
    /// A fresh daemon named `name`, ids seeded with `seed`.
    pub fn new(name: &str, seed: u64) -> State {
        let mut s = State {
            name: name.to_string(),
            clock_ms: EPOCH_MS,
            rng: seed,
            next_host_pid: 1000,
            containers: Map::new(),
            images: Map::new(),
            tags: BTreeMap::new(),
            layers: Map::new(),
            networks: Map::new(),
            volumes: Map::new(),
            execs: Map::new(),
            events: Vec::new(),
            events_dropped: 0,
            registry: Registry::default(),
            build_cache: BTreeMap::new(),
            graveyard: Map::new(),
        };
        catalog::seed_registry(&mut s);
        for (name, driver, subnet, gateway) in
            [("bridge", "bridge", "172.17.0.0/16", "172.17.0.1"), ("host", "host", "", ""), ("none", "null", "", "")]
        {
            let id = s.new_id();
            s.networks.insert(
                id.clone(),
                Network {
                    id,
                    name: name.into(),
                    driver: driver.into(),
                    scope: "local".into(),
                    subnet: subnet.into(),
                    gateway: gateway.into(),
                    internal: false,
                    attachable: false,
                    labels: BTreeMap::new(),
                    created_ms: EPOCH_MS,
                    last_ip: 1,
                },
            );
        }
        s
    }

    /// A new random id.
    pub fn new_id(&mut self) -> String {
        hex_id(&mut self.rng)
    }

    /// A random name like `dreamy_turing`.
    pub fn random_name(&mut self) -> String {
        const LEFT: &[&str] = &[
            "admiring", "brave", "clever", "dreamy", "eager", "focused", "gallant", "happy", "jolly", "keen", "lucid",
            "modest", "nifty", "quirky", "serene", "vibrant", "zealous",
        ];
        const RIGHT: &[&str] = &[
            "turing", "hopper", "lovelace", "ritchie", "thompson", "torvalds", "knuth", "liskov", "hamilton",
            "goldberg", "kare", "perlman", "wozniak", "babbage", "curie", "noether",
        ];
        loop {
            let a = LEFT[(next_u64(&mut self.rng) % LEFT.len() as u64) as usize];
            let b = RIGHT[(next_u64(&mut self.rng) % RIGHT.len() as u64) as usize];
            let name = format!("{a}_{b}");
            if !self.containers.values().any(|c| c.name == name) {
                return name;
            }
        }
    }

    /// Keeps `files` as a layer named by the digest of their tar, as a diff
    /// id is (the same files make the same layer), sized by their bytes;
    /// its digest and size.
    pub fn add_layer(&mut self, files: Fs) -> (String, u64) {
        let digest = format!("sha256:{}", crate::util::sha256_hex(&crate::util::tar_nodes(&files)));
        let size = files_size(&files);
        self.layers.entry(digest.clone()).or_insert(Layer { digest: digest.clone(), files, size });
        (digest, size)
    }

    /// Records an event.
    pub fn event(&mut self, typ: &str, action: &str, id: &str, attrs: &[(&str, String)]) {
        self.events.push(Event {
            typ: typ.into(),
            action: action.into(),
            actor_id: id.into(),
            attributes: crate::util::map_of(attrs.iter().map(|(k, v)| (k.to_string(), v.clone()))),
            time_ms: self.clock_ms,
        });
        if self.events.len() > 1000 {
            let n = self.events.len() - 1000;
            self.events.drain(..n);
            self.events_dropped += n as u64;
        }
    }

    /// The id of the container named or identified by `key`.
    pub fn find_container(&self, key: &str) -> Result<String, ApiErr> {
        let k = key.strip_prefix('/').unwrap_or(key);
        if k.is_empty() {
            return Err(err(404, format!("No such container: {key}")));
        }
        if self.containers.contains_key(k) {
            return Ok(k.to_string());
        }
        if let Some(c) = self.containers.values().find(|c| c.name == k) {
            return Ok(c.id.clone());
        }
        let matches: Vec<&String> = self.containers.keys().filter(|id| id.starts_with(k)).collect();
        match matches.len() {
            1 => Ok(matches[0].clone()),
            0 => Err(err(404, format!("No such container: {key}"))),
            _ => Err(err(400, format!("multiple IDs found with provided prefix: {key}"))),
        }
    }

    /// The id of the local image `key` (name, `name:tag`, id or id prefix).
    pub fn find_image(&self, key: &str) -> Option<String> {
        let hex = key.strip_prefix("sha256:").unwrap_or(key);
        if hex.len() >= 4 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let matches: Vec<&String> = self.images.keys().filter(|id| id[7..].starts_with(hex)).collect();
            if matches.len() == 1 {
                return Some(matches[0].clone());
            }
        }
        let r = Reference::parse(key)?;
        if let Some(d) = &r.digest {
            return self
                .images
                .values()
                .find(|i| i.repo_digests.iter().any(|rd| rd.ends_with(d.as_str())))
                .map(|i| i.id.clone());
        }
        self.tags.get(&r.key()).cloned()
    }

    /// The repo:tags of an image.
    pub fn tags_of(&self, id: &str) -> Vec<String> {
        self.tags.iter().filter(|(_, v)| *v == id).map(|(k, _)| k.clone()).collect()
    }

    /// Allocates a host PID.
    pub fn host_pid(&mut self) -> u32 {
        self.next_host_pid += 1 + (next_u64(&mut self.rng) % 7) as u32;
        self.next_host_pid
    }

    /// The network id for a name or id.
    pub fn find_network(&self, key: &str) -> Result<String, ApiErr> {
        if self.networks.contains_key(key) {
            return Ok(key.to_string());
        }
        if let Some(n) = self.networks.values().find(|n| n.name == key) {
            return Ok(n.id.clone());
        }
        let m: Vec<&String> = self.networks.keys().filter(|id| !key.is_empty() && id.starts_with(key)).collect();
        if m.len() == 1 {
            return Ok(m[0].clone());
        }
        Err(err(404, format!("network {key} not found")))
    }

    /// Creates a user-defined network.
    pub fn create_network(
        &mut self,
        name: &str,
        driver: &str,
        internal: bool,
        labels: BTreeMap<String, String>,
    ) -> Result<String, ApiErr> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
            return Err(err(400, format!("invalid network name \"{name}\"")));
        }
        if self.networks.values().any(|n| n.name == name) {
            return Err(err(409, format!("network with name {name} already exists")));
        }
        let driver = if driver.is_empty() { "bridge" } else { driver };
        if driver != "bridge" {
            return Err(err(400, format!("plugin \"{driver}\" not found")));
        }
        let used: Vec<u32> =
            self.networks.values().filter_map(|n| n.subnet.split('.').nth(1).and_then(|o| o.parse().ok())).collect();
        let Some(second) = (18..=31u32).find(|o| !used.contains(o)) else {
            return Err(err(
                400,
                "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network",
            ));
        };
        let id = self.new_id();
        self.networks.insert(
            id.clone(),
            Network {
                id: id.clone(),
                name: name.into(),
                driver: driver.into(),
                scope: "local".into(),
                subnet: format!("172.{second}.0.0/16"),
                gateway: format!("172.{second}.0.1"),
                internal,
                attachable: false,
                labels,
                created_ms: self.clock_ms,
                last_ip: 1,
            },
        );
        self.event("network", "create", &id, &[("name", name.into()), ("type", driver.into())]);
        Ok(id)
    }

    /// Connects a container to a network (an IP is given when it runs).
    pub fn connect(&mut self, cid: &str, net_id: &str, aliases: Vec<String>) -> Result<(), ApiErr> {
        let net = self.networks.get(net_id).cloned().ok_or_else(|| err(404, format!("network {net_id} not found")))?;
        let c = self.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        if c.networks.contains_key(&net.name) {
            return Err(err(403, format!("endpoint with name {} already exists in network {}", c.name, net.name)));
        }
        if (net.driver == "host" || net.driver == "null" || c.network_mode == "host" || c.network_mode == "none")
            && !c.networks.is_empty()
        {
            return Err(err(
                400,
                "container cannot be disconnected from host network or connected to host network".to_string(),
            ));
        }
        let running = matches!(c.status, Status::Running | Status::Paused);
        let endpoint_id = self.new_id();
        let mac_seed = next_u64(&mut self.rng);
        let mut ep = Endpoint {
            network_id: net.id.clone(),
            endpoint_id,
            ip: String::new(),
            gateway: String::new(),
            mac: String::new(),
            aliases,
        };
        if running {
            self.assign_ip(&mut ep, mac_seed);
        }
        if let Some(c) = self.containers.get_mut(cid) {
            c.networks.insert(net.name.clone(), ep);
        }
        self.event("network", "connect", net_id, &[("container", cid.to_string()), ("name", net.name)]);
        Ok(())
    }

    fn assign_ip(&mut self, ep: &mut Endpoint, mac_seed: u64) {
        let Some(net) = self.networks.get_mut(&ep.network_id) else { return };
        if net.subnet.is_empty() {
            return;
        }
        let mut parts = net.subnet.split('.');
        let (a, b) = (parts.next().unwrap_or("172"), parts.next().unwrap_or("17"));
        net.last_ip += 1;
        let n = net.last_ip;
        ep.ip = format!("{a}.{b}.{}.{}", n / 256, n % 256);
        ep.gateway = net.gateway.clone();
        let _ = mac_seed;
        ep.mac = format!("02:42:ac:{:02x}:{:02x}:{:02x}", b.parse::<u8>().unwrap_or(17), n / 256, n % 256);
    }

    /// A start that failed before the main process ran: the container keeps
    /// the error and an exit code (and goes, with `--rm`).
    fn refuse_start(&mut self, cid: &str, status: u16, exit_code: i64, message: String) -> ApiErr {
        let mut auto_remove = false;
        if let Some(c) = self.containers.get_mut(cid) {
            c.error = message.clone();
            c.exit_code = exit_code;
            auto_remove = c.auto_remove;
        }
        if auto_remove {
            let _ = self.remove(cid, true, true);
        }
        err(status, message)
    }

    /// Starts container `cid`; `Ok(false)` when it already runs (304).
    pub fn start(&mut self, cid: &str) -> Result<bool, ApiErr> {
        let c = self.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        match c.status {
            Status::Running => return Ok(false),
            Status::Paused => return Err(err(409, "cannot start a paused container, try unpause instead".to_string())),
            Status::Removing | Status::Dead => {
                return Err(err(409, format!("container {cid} is marked for removal and cannot be started")));
            }
            _ => {}
        }
        let argv: Vec<String> = c.entrypoint.iter().chain(c.cmd.iter()).cloned().collect();
        if argv.is_empty() {
            return Err(err(400, "no command specified"));
        }
        // The user and the executable are checked before anything runs, as
        // dockerd (building the runtime spec) and runc do.
        // (With no user given, nothing is looked up: uid 0, even in an
        // image without /etc/passwd.)
        if !c.user.is_empty() {
            if let Err(unknown) = crate::shell::identity(self, cid) {
                return Err(self.refuse_start(cid, 500, 128, unknown.daemon_message()));
            }
        }
        let exe = self.lookup_exe(cid, &argv[0]);
        if exe.is_none() {
            let message = format!(
                "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
                argv[0]
            );
            return Err(self.refuse_start(cid, 400, 127, message));
        }
        let now = self.clock_ms;
        let host_pid = self.host_pid();
        let mut eps: Vec<(String, Endpoint)> =
            self.containers.get(cid).expect("a resolved container id").networks.clone().into_iter().collect();
        for (_, ep) in eps.iter_mut() {
            let seed = next_u64(&mut self.rng);
            self.assign_ip(ep, seed);
        }
        let Some(c) = self.containers.get_mut(cid) else { return Err(err(404, format!("No such container: {cid}"))) };
        c.networks = crate::util::map_of(eps);
        c.status = Status::Running;
        c.pid = host_pid;
        c.started_ms = Some(now);
        c.finished_ms = None;
        c.error.clear();
        c.exit_code = 0;
        c.starts += 1;
        c.next_pid = 2;
        c.stopped_by_user = false;
        let user = if c.user.is_empty() { "root".to_string() } else { c.user.clone() };
        c.processes = vec![Process {
            pid: 1,
            host_pid,
            argv: argv.clone(),
            program: Program::Forever,
            user,
            started_ms: now,
            shell: String::new(),
        }];
        let (name, image) = (c.name.clone(), c.image_ref.clone());
        self.event("container", "start", cid, &[("name", name), ("image", image)]);
        let mut ctx = crate::shell::Ctx::for_container(self, cid);
        let flow = crate::shell::run_argv(self, cid, &mut ctx, &argv);
        self.append_logs(cid, ctx.take_output());
        self.apply_main_flow(cid, flow);
        Ok(true)
    }

    /// Appends output to a container's log.
    pub fn append_logs(&mut self, cid: &str, out: Vec<(u8, String)>) {
        let now = self.clock_ms;
        if let Some(c) = self.containers.get_mut(cid) {
            for (stream, text) in out {
                if !text.is_empty() {
                    c.logs.push(LogEntry { stream, text, time_ms: now });
                }
            }
            if c.logs.len() > 5000 {
                c.logs.drain(..c.logs.len() - 5000);
            }
        }
    }

    /// What the main process does next.
    pub fn apply_main_flow(&mut self, cid: &str, flow: crate::shell::Flow) {
        use crate::shell::Flow;
        let program = match flow {
            Flow::Exit(code) | Flow::Quit(code) => {
                self.exit(cid, i64::from(code));
                return;
            }
            Flow::Sleep { until_ms, rest } => Program::Script { rest, wake_ms: Some(until_ms) },
            Flow::Serve(p) => p,
        };
        if let Some(c) = self.containers.get_mut(cid)
            && let Some(p) = c.processes.first_mut()
        {
            p.program = program;
        }
    }

    /// The main process ended with `code`.
    pub fn exit(&mut self, cid: &str, code: i64) {
        let now = self.clock_ms;
        let Some(c) = self.containers.get_mut(cid) else { return };
        if !matches!(c.status, Status::Running | Status::Paused | Status::Restarting) {
            return;
        }
        c.status = Status::Exited;
        c.exit_code = code;
        c.pid = 0;
        c.finished_ms = Some(now);
        c.processes.clear();
        c.exits += 1;
        for (_, files) in c.tmpfs.iter_mut() {
            files.clear();
        }
        for (_, ep) in c.networks.iter_mut() {
            ep.ip.clear();
            ep.gateway.clear();
            ep.mac.clear();
        }
        let restart = match c.restart_policy.as_str() {
            "always" => !c.stopped_by_user,
            "unless-stopped" => !c.stopped_by_user,
            "on-failure" => code != 0 && !c.stopped_by_user && (c.restart_max <= 0 || c.restart_count < c.restart_max),
            _ => false,
        };
        let (name, image, auto_remove) = (c.name.clone(), c.image_ref.clone(), c.auto_remove);
        if restart {
            c.status = Status::Restarting;
        }
        // Execs die with the container.
        for (_, e) in self.execs.iter_mut().filter(|(_, e)| e.container_id == cid && e.running) {
            e.running = false;
            e.exit_code = Some(137);
        }
        self.event("container", "die", cid, &[("exitCode", code.to_string()), ("name", name), ("image", image)]);
        if auto_remove && !restart {
            let _ = self.remove(cid, true, true);
        }
    }

    /// Stops a container: SIGTERM, then SIGKILL after `timeout` seconds of
    /// simulated time. `Ok(false)` when it was not running (304).
    pub fn stop(&mut self, cid: &str, timeout: Option<i64>) -> Result<bool, ApiErr> {
        let c = self.containers.get_mut(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        match c.status {
            Status::Running | Status::Paused => {}
            Status::Restarting => {
                c.status = Status::Exited;
                c.stopped_by_user = true;
                return Ok(true);
            }
            _ => return Ok(false),
        }
        c.stopped_by_user = true;
        // busybox httpd, like sleep, installs no handler: as PID 1 it
        // ignores SIGTERM and is killed after the timeout (137).
        let handles_term = matches!(c.processes.first().map(|p| &p.program), Some(Program::Nginx | Program::Redis));
        let name = c.name.clone();
        self.event("container", "kill", cid, &[("signal", "15".into()), ("name", name.clone())]);
        if handles_term {
            if let Some(c) = self.containers.get_mut(cid) {
                let msg = match c.processes.first().map(|p| &p.program) {
                    Some(Program::Redis) => {
                        "1:signal-handler Received SIGTERM scheduling shutdown...\n1:M Redis is now ready to exit, bye bye...\n"
                    }
                    _ => "[notice] 1#1: signal 15 (SIGTERM) received, exiting\n[notice] 1#1: exit\n",
                };
                c.logs.push(LogEntry { stream: 2, text: msg.into(), time_ms: self.clock_ms });
            }
            self.exit(cid, 0);
        } else {
            // A shell with a TERM trap runs it once its current command
            // ends; without one, PID 1 ignores SIGTERM. Either way the
            // daemon lets time pass until the container exits or the
            // timeout ends, then kills it.
            self.deliver_trap(cid, "TERM");
            let t = timeout.unwrap_or(10).clamp(0, 3600) as u64;
            let deadline = self.clock_ms.saturating_add(t * 1000);
            for _ in 0..100_000 {
                let running = self.containers.get(cid).is_some_and(|c| c.status == Status::Running);
                match self.next_wake() {
                    Some(w) if running && w <= deadline => self.advance(w.saturating_sub(self.clock_ms)),
                    _ => break,
                }
            }
            if self.containers.get(cid).is_some_and(|c| matches!(c.status, Status::Running | Status::Paused)) {
                self.clock_ms = self.clock_ms.max(deadline);
                self.event("container", "kill", cid, &[("signal", "9".into()), ("name", name)]);
                self.exit(cid, 137);
            }
        }
        if let Some(c) = self.containers.get(cid)
            && c.status == Status::Restarting
        {
            // A user stop does not restart.
            if let Some(c) = self.containers.get_mut(cid) {
                c.status = Status::Exited;
            }
        }
        let name = self.containers.get(cid).map(|c| c.name.clone()).unwrap_or_default();
        self.event("container", "stop", cid, &[("name", name)]);
        Ok(true)
    }

    /// Sends a signal (by name or number).
    pub fn kill(&mut self, cid: &str, signal: &str) -> Result<(), ApiErr> {
        let c = self.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        if !matches!(c.status, Status::Running | Status::Paused) {
            return Err(err(409, format!("Container {cid} is not running")));
        }
        let sig = signal.trim_start_matches("SIG").to_ascii_uppercase();
        let num = match sig.as_str() {
            "" | "KILL" | "9" => 9,
            "TERM" | "15" => 15,
            "INT" | "2" => 2,
            "HUP" | "1" => 1,
            "QUIT" | "3" => 3,
            "USR1" | "10" => 10,
            "USR2" | "12" => 12,
            other => match other.parse::<i64>() {
                Ok(n) if (1..=64).contains(&n) => n,
                _ => return Err(err(400, format!("Invalid signal: {signal}"))),
            },
        };
        let name = c.name.clone();
        let handles = matches!(c.processes.first().map(|p| &p.program), Some(Program::Nginx | Program::Redis));
        self.event("container", "kill", cid, &[("signal", num.to_string()), ("name", name)]);
        if num == 9 {
            if let Some(c) = self.containers.get_mut(cid) {
                c.stopped_by_user = true;
            }
            self.exit(cid, 137);
        } else if !handles {
            let sig = crate::shell::signal_name(&num.to_string()).unwrap_or("TERM");
            self.deliver_trap(cid, sig);
        } else if matches!(num, 2 | 3 | 15) {
            if let Some(c) = self.containers.get_mut(cid) {
                c.stopped_by_user = true;
            }
            self.exit(cid, 0);
        }
        Ok(())
    }

    /// Queues the `trap` handler of a shell PID 1 waiting in `sleep` for
    /// `signal`: it runs when the sleep ends, as ash runs traps after the
    /// foreground command. `false` when there is no handler.
    fn deliver_trap(&mut self, cid: &str, signal: &str) -> bool {
        let Some(Program::Script { rest, wake_ms }) =
            self.containers.get(cid).and_then(|c| c.processes.first()).map(|p| p.program.clone())
        else {
            return false;
        };
        match crate::shell::trap_handler(self, cid, &rest, signal) {
            Some(h) if !h.is_empty() => {
                let mut rest = rest;
                rest.insert(1.min(rest.len()), h);
                if let Some(p) = self.containers.get_mut(cid).and_then(|c| c.processes.first_mut()) {
                    p.program = Program::Script { rest, wake_ms };
                }
                true
            }
            _ => false,
        }
    }

    /// Removes a container.
    pub fn remove(&mut self, cid: &str, force: bool, volumes: bool) -> Result<(), ApiErr> {
        let c = self.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        match c.status {
            Status::Running | Status::Restarting if !force => {
                return Err(err(
                    409,
                    format!(
                        "cannot remove container \"/{}\": container is running: stop the container before removing or force remove",
                        c.name
                    ),
                ));
            }
            Status::Paused if !force => {
                return Err(err(
                    409,
                    format!(
                        "cannot remove container \"/{}\": container is paused: unpause and then stop the container before attempting removal or force remove",
                        c.name
                    ),
                ));
            }
            _ => {}
        }
        if matches!(c.status, Status::Running | Status::Paused | Status::Restarting) {
            if let Some(c) = self.containers.get_mut(cid) {
                c.stopped_by_user = true;
                c.auto_remove = false;
                c.restart_policy = "no".into();
            }
            self.exit(cid, 137);
        }
        let Some(c) = self.containers.remove(cid) else { return Ok(()) };
        let order = self.graveyard.values().map(|r| r.order + 1).max().unwrap_or(0);
        self.graveyard.insert(cid.to_string(), Removed { order, exit_code: c.exit_code, logs: c.logs.clone() });
        if self.graveyard.len() > GRAVEYARD {
            // The oldest removal, not the smallest id: that may be the
            // container just removed, whose client has not read its end.
            let oldest = self.graveyard.iter().min_by_key(|(_, r)| r.order).map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                self.graveyard.remove(&oldest);
            }
        }
        self.execs.retain(|_, e| e.container_id != cid);
        if volumes {
            for m in c.mounts.iter().filter(|m| m.kind == "volume") {
                let anon = self.volumes.get(&m.source).is_some_and(|v| v.anonymous);
                let in_use = self.containers.values().any(|o| o.mounts.iter().any(|om| om.source == m.source));
                if anon && !in_use {
                    self.volumes.remove(&m.source);
                }
            }
        }
        self.event("container", "destroy", cid, &[("name", c.name), ("image", c.image_ref)]);
        Ok(())
    }

    /// Advances the simulated clock by `ms` and runs what became due.
    pub fn advance(&mut self, ms: u64) {
        let target = self.clock_ms.saturating_add(ms);
        // Step through wake-ups in order so scripts see the right times.
        loop {
            let next = self.next_wake().filter(|t| *t <= target);
            match next {
                Some(t) => {
                    self.clock_ms = self.clock_ms.max(t);
                    self.run_due();
                }
                None => break,
            }
        }
        self.clock_ms = target;
        self.run_due();
    }

    /// The earliest pending wake-up.
    pub fn next_wake(&self) -> Option<u64> {
        let mut best: Option<u64> = None;
        for c in self.containers.values() {
            if c.status == Status::Running {
                for p in &c.processes {
                    if let Program::Script { wake_ms: Some(t), .. } = p.program {
                        best = Some(best.map_or(t, |b| b.min(t)));
                    }
                }
            }
            if c.status == Status::Restarting {
                let t = c.finished_ms.unwrap_or(0) + restart_delay(c.restart_count);
                best = Some(best.map_or(t, |b| b.min(t)));
            }
        }
        best
    }

    fn run_due(&mut self) {
        let now = self.clock_ms;
        let ids: Vec<String> = self.containers.keys().cloned().collect();
        for cid in ids {
            let Some(c) = self.containers.get(&cid) else { continue };
            if c.status == Status::Restarting && now >= c.finished_ms.unwrap_or(0) + restart_delay(c.restart_count) {
                if let Some(c) = self.containers.get_mut(&cid) {
                    c.restart_count += 1;
                    c.status = Status::Exited;
                }
                let _ = self.start(&cid);
                continue;
            }
            if c.status != Status::Running {
                continue;
            }
            let due: Vec<(u32, Vec<String>)> = c
                .processes
                .iter()
                .filter_map(|p| match &p.program {
                    Program::Script { rest, wake_ms: Some(t) } if *t <= now => Some((p.pid, rest.clone())),
                    _ => None,
                })
                .collect();
            for (pid, rest) in due {
                let mut ctx = crate::shell::Ctx::for_container(self, &cid);
                ctx.pid = pid;
                let flow = crate::shell::run_script(self, &cid, &mut ctx, &rest.join("\n"));
                let out = ctx.take_output();
                let exec_id = self
                    .execs
                    .values()
                    .find(|e| e.container_id == cid && e.running && e.pid == pid)
                    .map(|e| e.id.clone());
                match exec_id {
                    Some(eid) => {
                        let t = self.clock_ms;
                        if let Some(e) = self.execs.get_mut(&eid) {
                            e.output.extend(out.into_iter().map(|(stream, text)| LogEntry {
                                stream,
                                text,
                                time_ms: t,
                            }));
                        }
                        self.apply_exec_flow(&cid, &eid, pid, flow);
                    }
                    None if pid == 1 => {
                        self.append_logs(&cid, out);
                        self.apply_main_flow(&cid, flow);
                    }
                    None => {
                        if let Some(c) = self.containers.get_mut(&cid) {
                            c.processes.retain(|p| p.pid != pid);
                        }
                    }
                }
            }
        }
    }

    /// What an exec's process does next.
    pub fn apply_exec_flow(&mut self, cid: &str, eid: &str, pid: u32, flow: crate::shell::Flow) {
        use crate::shell::Flow;
        match flow {
            Flow::Exit(code) | Flow::Quit(code) => {
                if let Some(c) = self.containers.get_mut(cid) {
                    c.processes.retain(|p| p.pid != pid);
                }
                if let Some(e) = self.execs.get_mut(eid) {
                    e.running = false;
                    e.exit_code = Some(i64::from(code));
                    e.pid = 0;
                }
                let attrs = [("execID", eid.to_string()), ("exitCode", code.to_string())];
                self.event("container", "exec_die", cid, &attrs);
            }
            Flow::Sleep { until_ms, rest } => {
                if let Some(p) =
                    self.containers.get_mut(cid).and_then(|c| c.processes.iter_mut().find(|p| p.pid == pid))
                {
                    p.program = Program::Script { rest, wake_ms: Some(until_ms) };
                }
            }
            Flow::Serve(program) => {
                if let Some(p) =
                    self.containers.get_mut(cid).and_then(|c| c.processes.iter_mut().find(|p| p.pid == pid))
                {
                    p.program = program;
                }
            }
        }
    }

    /// Runs exec `eid`.
    pub fn start_exec(&mut self, eid: &str) -> Result<(), ApiErr> {
        let e = self.execs.get(eid).cloned().ok_or_else(|| err(404, format!("No such exec instance: {eid}")))?;
        let cid = e.container_id.clone();
        let c = self.containers.get(&cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        if c.status == Status::Paused {
            return Err(err(409, format!("Container {cid} is paused, unpause the container before exec")));
        }
        if c.status != Status::Running {
            return Err(err(409, format!("Container {cid} is not running")));
        }
        if e.started {
            return Err(err(409, format!("Error: Exec command {eid} has already run")));
        }
        if self.lookup_exe(&cid, e.argv.first().map(String::as_str).unwrap_or("")).is_none() {
            let msg = format!(
                "OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown\r\n",
                e.argv.first().cloned().unwrap_or_default()
            );
            if let Some(x) = self.execs.get_mut(eid) {
                x.started = true;
                x.exit_code = Some(126);
                x.output.push(LogEntry { stream: 1, text: msg, time_ms: 0 });
            }
            return Ok(());
        }
        let host_pid = self.host_pid();
        let now = self.clock_ms;
        let Some(c) = self.containers.get_mut(&cid) else { return Ok(()) };
        let pid = c.next_pid.max(2);
        c.next_pid = pid + 1 + (pid % 5);
        let user = if e.user.is_empty() {
            if c.user.is_empty() { "root".into() } else { c.user.clone() }
        } else {
            e.user.clone()
        };
        c.processes.push(Process {
            pid,
            host_pid,
            argv: e.argv.clone(),
            program: Program::Forever,
            user,
            started_ms: now,
            shell: String::new(),
        });
        if let Some(x) = self.execs.get_mut(eid) {
            x.started = true;
            x.running = true;
            x.pid = pid;
        }
        self.event("container", &format!("exec_start: {}", e.argv.join(" ")), &cid, &[("execID", eid.to_string())]);
        let mut ctx = crate::shell::Ctx::for_container(self, &cid);
        ctx.pid = pid;
        for kv in &e.env {
            if let Some((k, v)) = kv.split_once('=') {
                ctx.env.insert(k.into(), v.into());
            }
        }
        if !e.workdir.is_empty() {
            ctx.cwd = e.workdir.clone();
        }
        ctx.interactive = e.attach_stdin;
        ctx.tty = e.tty;
        let flow = crate::shell::run_argv(self, &cid, &mut ctx, &e.argv);
        let out = ctx.take_output();
        let t = self.clock_ms;
        if let Some(x) = self.execs.get_mut(eid) {
            x.output.extend(out.into_iter().map(|(stream, text)| LogEntry { stream, text, time_ms: t }));
        }
        self.apply_exec_flow(&cid, eid, pid, flow);
        Ok(())
    }

    /// Feeds a line of stdin to an interactive process (main or exec).
    pub fn stdin_line(&mut self, cid: &str, exec: Option<&str>, line: &str) {
        let pid = match exec {
            Some(eid) => self.execs.get(eid).map(|e| e.pid).unwrap_or(0),
            None => 1,
        };
        let interactive = self
            .containers
            .get(cid)
            .and_then(|c| c.processes.iter().find(|p| p.pid == pid))
            .is_some_and(|p| p.program == Program::Interactive);
        if !interactive {
            return;
        }
        let mut ctx = crate::shell::Ctx::for_container(self, cid);
        ctx.pid = pid;
        if let Some(e) = exec.and_then(|e| self.execs.get(e)) {
            ctx.tty = e.tty;
        }
        let tty = ctx.tty;
        // The shell's variables, functions and directory from the lines before.
        let saved = self
            .containers
            .get(cid)
            .and_then(|c| c.processes.iter().find(|p| p.pid == pid))
            .map(|p| p.shell.clone())
            .unwrap_or_default();
        let script = if saved.is_empty() { line.to_string() } else { format!("{saved}\n{line}") };
        let flow = crate::shell::run_script(self, cid, &mut ctx, &script);
        let mut out = ctx.take_output();
        let flow = match flow {
            crate::shell::Flow::Exit(_) => {
                crate::shell::remember(self, cid, &ctx);
                if tty {
                    out.push((1, crate::shell::prompt(&ctx.cwd)));
                }
                crate::shell::Flow::Serve(Program::Interactive)
            }
            // A line that sleeps returns to the prompt when it is done.
            crate::shell::Flow::Sleep { until_ms, mut rest } => {
                rest.push(format!("__interactive {}", u8::from(tty)));
                crate::shell::Flow::Sleep { until_ms, rest }
            }
            other => other,
        };
        match exec {
            Some(eid) => {
                let t = self.clock_ms;
                if let Some(x) = self.execs.get_mut(eid) {
                    x.output.extend(out.into_iter().map(|(stream, text)| LogEntry { stream, text, time_ms: t }));
                }
                let eid = eid.to_string();
                self.apply_exec_flow(cid, &eid, pid, flow);
            }
            None => {
                self.append_logs(cid, out);
                self.apply_main_flow(cid, flow);
            }
        }
    }

    /// Resolves `name` to an executable path in container `cid` (PATH
    /// search for bare names), following links; `None` when missing.
    pub fn lookup_exe(&self, cid: &str, name: &str) -> Option<String> {
        if name.is_empty() {
            return None;
        }
        let c = self.containers.get(cid)?;
        let candidates: Vec<String> = if name.contains('/') {
            vec![crate::fs::normalize(if c.workdir.is_empty() { "/" } else { &c.workdir }, name)]
        } else {
            let path = c
                .env
                .iter()
                .find_map(|kv| kv.strip_prefix("PATH="))
                .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            path.split(':').filter(|d| !d.is_empty()).map(|d| format!("{}/{}", d.trim_end_matches('/'), name)).collect()
        };
        for cand in candidates {
            let real = self.resolve_link(cid, &cand);
            if let Some(Node::File { .. }) = self.read_node(cid, &real) {
                return Some(real);
            }
        }
        None
    }
}

/// The restart back-off: 100 ms doubling, at most a minute.
pub fn restart_delay(count: i64) -> u64 {
    (100u64 << count.clamp(0, 10) as u32).min(60_000)
}
