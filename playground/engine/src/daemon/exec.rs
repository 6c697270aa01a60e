//! Exec instances: creating and starting them, what their process does next.

use crate::error::{ApiErr, err};
use crate::state::*;

impl State {
    /// What an exec's process does next.
    pub(crate) fn apply_exec_flow(&mut self, cid: &str, eid: &str, pid: u32, flow: crate::programs::Flow) {
        use crate::programs::Flow;
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
    pub(crate) fn start_exec(&mut self, eid: &str) -> Result<(), ApiErr> {
        let e = self.execs.get(eid).cloned().ok_or_else(|| err(404, format!("No such exec instance: {eid}")))?;
        let cid = e.container_id.clone();
        let c = self.containers.get(&cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        if c.status == Status::Paused {
            return Err(err(409, format!("Container {cid} is paused, unpause the container before exec")));
        }
        if c.status != Status::Running {
            return Err(err(409, format!("container {cid} is not running")));
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
        // Linux gives the next PID after the last one it gave (nginx's
        // worker is 29: the entrypoint's scripts took the ones before).
        let highest = c.processes.iter().map(|p| p.pid).max().unwrap_or(1);
        let pid = c.next_pid.max(highest + 1).max(2);
        c.next_pid = pid + 1;
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
        let mut ctx = crate::programs::Ctx::for_container(self, &cid);
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
        let flow = crate::programs::run_argv(self, &cid, &mut ctx, &e.argv);
        let out = ctx.take_output();
        let t = self.clock_ms;
        if let Some(x) = self.execs.get_mut(eid) {
            x.output.extend(out.into_iter().map(|(stream, text)| LogEntry { stream, text, time_ms: t }));
        }
        self.apply_exec_flow(&cid, eid, pid, flow);
        Ok(())
    }

    /// Creates an exec in container `cid` (asked for as `asked`); its id.
    pub(crate) fn create_exec(&mut self, asked: &str, cid: &str, spec: ExecSpec) -> Result<String, ApiErr> {
        if spec.argv.is_empty() {
            return Err(err(400, "No exec command specified"));
        }
        let c = self.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        if c.status == Status::Paused {
            // As asked for (dockerd's exec create), where "not running" names the id.
            return Err(err(409, format!("Container {asked} is paused, unpause the container before exec")));
        }
        if c.status != Status::Running {
            return Err(err(409, format!("container {cid} is not running")));
        }
        let id = self.new_id();
        let action = format!("exec_create: {}", spec.argv.join(" "));
        self.execs.insert(
            id.clone(),
            Exec {
                id: id.clone(),
                container_id: cid.to_string(),
                argv: spec.argv,
                tty: spec.tty,
                attach_stdin: spec.attach_stdin,
                running: false,
                exit_code: None,
                output: Vec::new(),
                pid: 0,
                env: spec.env,
                workdir: spec.workdir,
                user: spec.user,
                started: false,
                detach_keys: spec.detach_keys,
            },
        );
        self.event("container", &action, cid, &[("execID", id.clone())]);
        Ok(id)
    }
}

/// What an exec runs, as `POST /containers/{id}/exec` asks.
pub(crate) struct ExecSpec {
    /// The command.
    pub argv: Vec<String>,
    /// `-t`.
    pub tty: bool,
    /// `-i`.
    pub attach_stdin: bool,
    /// `-e`.
    pub env: Vec<String>,
    /// `-w`.
    pub workdir: String,
    /// `-u`.
    pub user: String,
    /// `--detach-keys` (checked).
    pub detach_keys: String,
}
