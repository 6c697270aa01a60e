//! What `docker service create` and `docker service scale` print when not
//! detached: the CLI waits until every task runs and has stayed running for
//! five seconds, then leaves its progress display's last frame on screen.
//! The simulated clock moves while it waits.

use crate::cli::Session;
use crate::cli::out::Out;
use crate::state::State;

/// How long the CLI watches a converged service before it says so.
const VERIFY_MS: u64 = 5_000;
/// How long (simulated) the session waits before giving up; the real CLI
/// waits until interrupted.
const GIVE_UP_MS: u64 = 120_000;

/// One progress line per slot (or per node for a global service): its
/// label and the state of its newest task meant to run.
struct Frame {
    lines: Vec<(String, String, String)>,
    running: usize,
}

/// The service's frame now, or `None` for a job or a service that is gone.
fn frame(st: &State, service_id: &str) -> Option<Frame> {
    let swarm = st.swarm.as_ref()?;
    let service = swarm.services.get(service_id)?;
    let mode = &service.spec["Mode"];
    let newest = |pick: &dyn Fn(&crate::state::Task) -> bool| {
        swarm
            .tasks
            .values()
            .filter(|t| t.service_id == service_id && t.desired == "running" && pick(t))
            .max_by_key(|t| (t.created_ms, t.id.clone()))
            .map(|t| (t.state.clone(), t.error.clone()))
            .unwrap_or_default()
    };
    let lines: Vec<(String, String, String)> = if let Some(n) = mode["Replicated"]["Replicas"].as_u64() {
        (1..=n.min(1000))
            .map(|slot| {
                let (state, error) = newest(&|t| t.slot == slot);
                (format!("{slot}/{n}"), state, error)
            })
            .collect()
    } else if mode.get("Global").is_some() {
        let node = swarm.node.id.clone();
        let (state, error) = newest(&|_| true);
        vec![(node.chars().take(12).collect(), state, error)]
    } else {
        return None;
    };
    let running = lines.iter().filter(|(_, s, _)| s == "running").count();
    Some(Frame { lines, running })
}

impl Session {
    /// Waits (on the simulated clock) until `service_id`'s tasks all run,
    /// then prints the CLI's last progress frame and `verify: Service
    /// <shown> converged`. A job, or a service whose tasks never run (an
    /// image that is missing), ends with the frame as it stands and an
    /// explanation instead.
    pub(super) fn converge(&mut self, service_id: &str, shown: &str, out: &mut Out) -> i32 {
        let engine = self.current_engine().clone();
        let start = engine.now_ms();
        let mut stable_since = None;
        let last = loop {
            let Some(f) = engine.with_state(|st| frame(st, service_id)) else { return 0 };
            let converged = f.running == f.lines.len();
            stable_since = if converged { stable_since.or(Some(engine.now_ms())) } else { None };
            let done = stable_since.is_some_and(|t| engine.now_ms() >= t + VERIFY_MS);
            if done || engine.now_ms() >= start + GIVE_UP_MS {
                break f;
            }
            engine.advance(500);
        };
        out.line(format!("overall progress: {} out of {} tasks ", last.running, last.lines.len()));
        for (label, state, error) in &last.lines {
            // A task's error replaces its state, as the CLI shows it.
            let action = if error.is_empty() { state } else { error };
            out.line(format!("{label}: {action:<9} "));
        }
        if last.running == last.lines.len() {
            out.line(format!("verify: Service {shown} converged "));
            return 0;
        }
        out.explain(format!(
            "The service's tasks did not all reach running within {} simulated seconds: the real CLI would keep waiting until you press Ctrl-C (the service stays). `docker service ps {shown}` shows each task's state and error.",
            GIVE_UP_MS / 1000
        ));
        1
    }
}
