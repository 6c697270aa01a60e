//! Processes: what a main process does next, the clock's wake-ups, stdin
//! lines, executable lookup.

use crate::daemon::containers::restart_delay;
use crate::state::*;

impl State {
    /// What the main process does next.
    pub(crate) fn apply_main_flow(&mut self, cid: &str, flow: crate::programs::Flow) {
        use crate::programs::Flow;
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

    /// Advances the simulated clock by `ms` and runs what became due.
    pub(crate) fn advance(&mut self, ms: u64) {
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
    pub(crate) fn next_wake(&self) -> Option<u64> {
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
        if let Some(t) = self.next_health_wake() {
            best = Some(best.map_or(t, |b| b.min(t)));
        }
        if let Some(t) = crate::daemon::swarm::tasks::next_wake(self) {
            best = Some(best.map_or(t, |b| b.min(t)));
        }
        best
    }

    fn run_due(&mut self) {
        // Swarm tasks move on the same clock (and follow their containers).
        crate::daemon::swarm::tasks::reconcile(self);
        self.run_health_checks();
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
                let mut ctx = crate::programs::Ctx::for_container(self, &cid);
                ctx.pid = pid;
                let flow = crate::programs::run_script(self, &cid, &mut ctx, &rest.join("\n"));
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

    /// Feeds a line of stdin to an interactive process (main or exec).
    pub(crate) fn stdin_line(&mut self, cid: &str, exec: Option<&str>, line: &str) {
        let pid = match exec {
            Some(eid) => self.execs.get(eid).map(|e| e.pid).unwrap_or(0),
            None => 1,
        };
        let program =
            self.containers.get(cid).and_then(|c| c.processes.iter().find(|p| p.pid == pid)).map(|p| p.program.clone());
        match program {
            Some(Program::Interactive) => {}
            Some(Program::Cat) => {
                let tty = match exec {
                    Some(eid) => self.execs.get(eid).is_some_and(|e| e.tty),
                    None => self.containers.get(cid).is_some_and(|c| c.tty),
                };
                return self.cat_output(cid, exec, format!("{line}{}", if tty { "\r\n" } else { "\n" }));
            }
            _ => return,
        }
        let mut ctx = crate::programs::Ctx::for_container(self, cid);
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
        let flow = crate::programs::run_script(self, cid, &mut ctx, &script);
        let mut out = ctx.take_output();
        let flow = match flow {
            // A `cat` typed at the prompt gives the prompt back (what it
            // would read is the terminal's, not simulated).
            crate::programs::Flow::Exit(_) | crate::programs::Flow::Serve(Program::Cat) => {
                crate::programs::remember(self, cid, &ctx);
                if tty {
                    out.push((1, crate::programs::prompt_of(self, cid, pid, &ctx.cwd)));
                }
                crate::programs::Flow::Serve(Program::Interactive)
            }
            // A line that sleeps returns to the prompt when it is done.
            crate::programs::Flow::Sleep { until_ms, mut rest } => {
                rest.push(format!("__interactive {}", u8::from(tty)));
                crate::programs::Flow::Sleep { until_ms, rest }
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

    /// What a `cat` process (main or exec) copies from stdin to stdout.
    pub(crate) fn cat_output(&mut self, cid: &str, exec: Option<&str>, text: String) {
        if text.is_empty() {
            return;
        }
        match exec {
            Some(eid) => {
                let t = self.clock_ms;
                if let Some(x) = self.execs.get_mut(eid) {
                    x.output.push(LogEntry { stream: 1, text, time_ms: t });
                }
            }
            None => self.append_logs(cid, vec![(1, text)]),
        }
    }
}
