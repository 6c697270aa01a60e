//! The container lifecycle: start, stop, kill, exit, restart policies, removal.

use crate::daemon::volumes::valid_name;
use crate::error::{ApiErr, err};
use crate::state::*;
use crate::util::next_u64;

/// How many removed containers the engine keeps the output of.
const GRAVEYARD: usize = 16;

impl State {
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
    pub(crate) fn start(&mut self, cid: &str) -> Result<bool, ApiErr> {
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
        if !c.user.is_empty()
            && let Err(unknown) = crate::programs::identity(self, cid)
        {
            return Err(self.refuse_start(cid, 500, 128, unknown.daemon_message()));
        }
        let exe = self.lookup_exe(cid, &argv[0]);
        if exe.is_none() {
            let message = format!(
                "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
                argv[0]
            );
            return Err(self.refuse_start(cid, 400, 127, message));
        }
        crate::daemon::links::resolve(self, cid)?;
        let now = self.clock_ms;
        // containerd starts a shim, which runs runc, which starts the
        // process (the shim's PID takes no draw of the seeded generator).
        self.next_host_pid += 1;
        let shim_pid = self.next_host_pid;
        let host_pid = self.host_pid();
        let mut eps: Vec<(String, Endpoint)> =
            self.containers.get(cid).expect("a resolved container id").networks.clone().into_iter().collect();
        let (mode, mac) = match self.containers.get(cid) {
            Some(c) => {
                let mac = c.kept.pointer("/Config/MacAddress").and_then(|m| m.as_str()).filter(|m| !m.is_empty());
                (c.network_mode.clone(), mac.map(str::to_string))
            }
            None => (String::new(), None),
        };
        for (net, ep) in eps.iter_mut() {
            let seed = next_u64(&mut self.rng);
            self.assign_ip(ep, seed);
            // `--mac-address`: on the network it was created on.
            if let Some(mac) = mac.as_ref().filter(|_| *net == mode) {
                ep.mac = mac.clone();
            }
        }
        let Some(c) = self.containers.get_mut(cid) else { return Err(err(404, format!("No such container: {cid}"))) };
        c.networks = crate::util::map_of(eps);
        c.status = Status::Running;
        c.pid = host_pid;
        c.shim_pid = shim_pid;
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
        self.start_health(cid);
        let mut ctx = crate::programs::Ctx::for_container(self, cid);
        let flow = crate::programs::run_argv(self, cid, &mut ctx, &argv);
        self.append_logs(cid, ctx.take_output());
        self.apply_main_flow(cid, flow);
        Ok(true)
    }

    /// The main process ended with `code`.
    pub(crate) fn exit(&mut self, cid: &str, code: i64) {
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
    pub(crate) fn stop(&mut self, cid: &str, timeout: Option<i64>) -> Result<bool, ApiErr> {
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

    /// The number of a signal given by name (`TERM`, `SIGTERM`) or number,
    /// refused in dockerd 28.5's words.
    pub(crate) fn signal_number(signal: &str) -> Result<i64, ApiErr> {
        let sig = signal.trim_start_matches("SIG").to_ascii_uppercase();
        Ok(match sig.as_str() {
            "" | "KILL" | "9" => 9,
            "TERM" | "15" => 15,
            "INT" | "2" => 2,
            "HUP" | "1" => 1,
            "QUIT" | "3" => 3,
            "USR1" | "10" => 10,
            "USR2" | "12" => 12,
            other => match other.parse::<u32>() {
                Ok(n) if (1..=64).contains(&n) => i64::from(n),
                Ok(n) if n > 64 => return Err(err(400, format!("the linux daemon does not support signal {n}"))),
                _ => return Err(err(400, format!("invalid signal: {signal}"))),
            },
        })
    }

    /// Sends a signal (by name or number).
    pub(crate) fn kill(&mut self, cid: &str, signal: &str) -> Result<(), ApiErr> {
        let num = State::signal_number(signal)?;
        let c = self.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        if !matches!(c.status, Status::Running | Status::Paused) {
            return Err(err(409, format!("container {cid} is not running")));
        }
        let name = c.name.clone();
        let handles = matches!(c.processes.first().map(|p| &p.program), Some(Program::Nginx | Program::Redis));
        self.event("container", "kill", cid, &[("signal", num.to_string()), ("name", name)]);
        if num == 9 {
            if let Some(c) = self.containers.get_mut(cid) {
                c.stopped_by_user = true;
            }
            self.exit(cid, 137);
        } else if !handles {
            let sig = crate::programs::signal_name(&num.to_string()).unwrap_or("TERM");
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
        match crate::programs::trap_handler(self, cid, &rest, signal) {
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
    pub(crate) fn remove(&mut self, cid: &str, force: bool, volumes: bool) -> Result<(), ApiErr> {
        let c = self.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        match c.status {
            // The reasons as dockerd 28.5 gives them; the handler names the
            // container as it was asked for (`cannot remove container "web": `).
            Status::Running | Status::Restarting if !force => {
                return Err(err(409, "container is running: stop the container before removing or force remove"));
            }
            Status::Paused if !force => {
                return Err(err(409, "container is paused and must be unpaused first"));
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
}

/// The restart back-off: 100 ms doubling, at most a minute.
pub fn restart_delay(count: i64) -> u64 {
    (100u64 << count.clamp(0, 10) as u32).min(60_000)
}

/// The host ports container `cid` publishes must be free: dockerd's
/// refusal to start it otherwise.
fn check_ports_free(st: &State, cid: &str) -> Result<(), ApiErr> {
    let Some(c) = st.containers.get(cid) else { return Err(err(404, format!("No such container: {cid}"))) };
    if c.status == Status::Running {
        return Ok(());
    }
    for p in &c.ports {
        let taken = st.containers.values().any(|o| {
            o.id != cid
                && matches!(o.status, Status::Running | Status::Paused)
                && o.ports.iter().any(|op| op.host_port == p.host_port)
        });
        if taken {
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
    Ok(())
}

/// `POST /containers/{id}/start`: `Ok(false)` when it already runs.
pub(crate) fn start_container(st: &mut State, cid: &str) -> Result<bool, ApiErr> {
    check_ports_free(st, cid)?;
    st.start(cid)
}

/// Stops and starts container `cid` again.
pub(crate) fn restart(st: &mut State, cid: &str, timeout: Option<i64>) -> Result<(), ApiErr> {
    st.stop(cid, timeout)?;
    st.start(cid)?;
    let name = st.containers.get(cid).map(|c| c.name.clone()).unwrap_or_default();
    st.event("container", "restart", cid, &[("name", name)]);
    Ok(())
}

/// Pauses (or unpauses) container `cid` (asked for as `asked`).
pub(crate) fn pause(st: &mut State, asked: &str, cid: &str, pause: bool) -> Result<(), ApiErr> {
    let c = st.containers.get_mut(cid).ok_or_else(|| err(404, format!("No such container: {asked}")))?;
    match (pause, c.status) {
        (true, Status::Running) => c.status = Status::Paused,
        (true, Status::Paused) => return Err(err(409, format!("Container {cid} is already paused"))),
        (true, _) => return Err(err(409, format!("container {cid} is not running"))),
        (false, Status::Paused) => c.status = Status::Running,
        (false, _) => return Err(err(409, format!("Container {cid} is not paused"))),
    }
    let name = c.name.clone();
    st.event("container", if pause { "pause" } else { "unpause" }, cid, &[("name", name)]);
    Ok(())
}

/// Renames container `cid` to `new`.
pub(crate) fn rename(st: &mut State, cid: &str, new: &str) -> Result<(), ApiErr> {
    if !valid_name(new) {
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
    if let Some(c) = st.containers.get_mut(cid) {
        c.name = new.to_string();
    }
    st.event("container", "rename", cid, &[("name", new.to_string())]);
    Ok(())
}

/// What `docker update` changes; `None` leaves a setting as it is.
#[derive(Debug, Default)]
pub(crate) struct Update {
    /// The restart policy's name and retry count.
    pub restart: Option<(String, i64)>,
    /// The memory limit, bytes (0 leaves it, as dockerd).
    pub memory: Option<i64>,
    /// The CPU limit, billionths (0 leaves it).
    pub nano_cpus: Option<i64>,
}

/// `docker update`.
pub(crate) fn update(st: &mut State, cid: &str, u: Update) {
    if let Some(c) = st.containers.get_mut(cid) {
        if let Some((name, max)) = u.restart {
            c.restart_policy = name;
            c.restart_max = max;
        }
        if let Some(bytes) = u.memory.filter(|b| *b > 0) {
            c.memory = bytes;
        }
        if let Some(nano) = u.nano_cpus.filter(|n| *n > 0) {
            c.nano_cpus = nano;
        }
    }
}

/// Removes the containers that do not run; their ids and the bytes freed.
pub(crate) fn prune(st: &mut State) -> (Vec<String>, u64) {
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
    (gone, reclaimed)
}
