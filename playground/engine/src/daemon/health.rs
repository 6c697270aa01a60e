//! Health checks: a container's `Config.Healthcheck` run like an exec on the
//! simulated clock, giving `State.Health` (`starting`, `healthy`,
//! `unhealthy`, the failing streak and the last five results).

use serde_json::Value;

use crate::state::*;

/// dockerd's defaults (30 s interval and timeout, 3 retries).
const DEFAULT_MS: u64 = 30_000;
const DEFAULT_RETRIES: i64 = 3;
/// Results kept in `State.Health.Log`.
const MAX_LOG: usize = 5;

/// A container's check as its create request gave it.
struct Check {
    argv: Vec<String>,
    interval_ms: u64,
    timeout_ms: u64,
    retries: i64,
    start_period_ms: u64,
}

/// The check `kept` (`{"Config": {"Healthcheck": ..}}`) configures, if any.
fn check_of(kept: &Value) -> Option<Check> {
    let hc = kept.pointer("/Config/Healthcheck")?;
    let test: Vec<String> =
        hc.get("Test")?.as_array()?.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect();
    let argv = match test.split_first() {
        Some((kind, rest)) if kind == "CMD" && !rest.is_empty() => rest.to_vec(),
        Some((kind, rest)) if kind == "CMD-SHELL" && !rest.is_empty() => {
            vec!["/bin/sh".into(), "-c".into(), rest.join(" ")]
        }
        _ => return None,
    };
    let ms = |key: &str, default: u64| match hc.get(key).and_then(Value::as_i64) {
        Some(ns) if ns > 0 => (ns as u64 / 1_000_000).max(1),
        _ => default,
    };
    Some(Check {
        argv,
        interval_ms: ms("Interval", DEFAULT_MS),
        timeout_ms: ms("Timeout", DEFAULT_MS),
        retries: hc.get("Retries").and_then(Value::as_i64).filter(|r| *r > 0).unwrap_or(DEFAULT_RETRIES),
        start_period_ms: ms("StartPeriod", 0),
    })
}

impl State {
    /// On start: the health is `starting` and the first check one interval away.
    pub(crate) fn start_health(&mut self, cid: &str) {
        let now = self.clock_ms;
        let Some(c) = self.containers.get_mut(cid) else { return };
        let Some(check) = check_of(&c.kept) else {
            c.health = None;
            return;
        };
        let log = c.health.take().map(|h| h.log).unwrap_or_default();
        c.health = Some(Health {
            status: "starting".into(),
            failing_streak: 0,
            log,
            next_ms: now.saturating_add(check.interval_ms),
        });
    }

    /// The earliest health check due among running containers.
    pub(crate) fn next_health_wake(&self) -> Option<u64> {
        self.containers
            .values()
            .filter(|c| c.status == Status::Running)
            .filter_map(|c| c.health.as_ref().map(|h| h.next_ms))
            .min()
    }

    /// Runs the health checks that are due.
    pub(crate) fn run_health_checks(&mut self) {
        let now = self.clock_ms;
        let due: Vec<String> = self
            .containers
            .values()
            .filter(|c| c.status == Status::Running && c.health.as_ref().is_some_and(|h| h.next_ms <= now))
            .map(|c| c.id.clone())
            .collect();
        for cid in due {
            self.health_check(&cid);
        }
    }

    fn health_check(&mut self, cid: &str) {
        let Some(check) = self.containers.get(cid).and_then(|c| check_of(&c.kept)) else {
            if let Some(c) = self.containers.get_mut(cid) {
                c.health = None;
            }
            return;
        };
        let start = self.clock_ms;
        let (exit_code, output) = if self.lookup_exe(cid, &check.argv[0]).is_none() {
            (
                -1,
                format!(
                    "OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
                    check.argv[0]
                ),
            )
        } else {
            let mut ctx = crate::programs::Ctx::for_container(self, cid);
            let flow = crate::programs::run_argv(self, cid, &mut ctx, &check.argv);
            let out: String = ctx.take_output().into_iter().map(|(_, t)| t).collect();
            match flow {
                crate::programs::Flow::Exit(code) | crate::programs::Flow::Quit(code) => (i64::from(code), out),
                _ => (-1, format!("Health check exceeded timeout ({}s)", check.timeout_ms as f64 / 1000.0)),
            }
        };
        let end = start.saturating_add(1);
        let Some(c) = self.containers.get_mut(cid) else { return };
        let started = c.started_ms.unwrap_or(start);
        let Some(h) = c.health.as_mut() else { return };
        let before = h.status.clone();
        h.log.push(HealthLog { start_ms: start, end_ms: end, exit_code, output });
        if h.log.len() > MAX_LOG {
            let extra = h.log.len() - MAX_LOG;
            h.log.drain(..extra);
        }
        if exit_code == 0 {
            h.failing_streak = 0;
            h.status = "healthy".into();
        } else if h.status == "starting" && start.saturating_sub(started) < check.start_period_ms {
            // Failures in the start period do not count.
        } else {
            h.failing_streak += 1;
            if h.failing_streak >= check.retries {
                h.status = "unhealthy".into();
            }
        }
        h.next_ms = start.saturating_add(check.interval_ms);
        let after = h.status.clone();
        if after != before {
            self.event("container", &format!("health_status: {after}"), cid, &[]);
        }
    }
}
