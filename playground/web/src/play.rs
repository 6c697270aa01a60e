//! The playground's logic in plain Rust (tested natively): one engine
//! session, the outcome of each command in the page's [`contract`] shapes,
//! and what a lesson's goal is checked against.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use dockhand_engine::Session;
use dockhand_engine::cli::Checkpoint;

use crate::contract::{self, Exchange, Outcome};
use crate::goal::{self, Check};
use crate::view;

/// The seed of a playground made with [`Play::new`]: the same ids on every
/// machine, so a shared link replays to the same state.
pub const SEED: u64 = 42;

/// The seed of a level (or of `sandbox`): FNV-1a of its name mixed with
/// [`SEED`]. Every level's ids are its own (walk 2 found web1 in vms-2, web
/// in arch-2 and site in flow-3 with one id) and the same on every run of
/// it, so lessons, links and tests stay reproducible.
pub fn seed_for(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325 ^ SEED, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// One exchange as the goals see it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Seen {
    /// `local` or `remote`.
    pub daemon: String,
    /// HTTP method.
    pub method: String,
    /// Path with the version prefix removed, query kept
    /// (`/containers/json?all=1`).
    pub path: String,
    /// Status code.
    pub status: u16,
}

/// The last command, as the goals see it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Last {
    /// The line.
    pub command: String,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// Its exit code.
    pub exit_code: i64,
}

/// What the learner did since the level started.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
struct Progress {
    seen: Vec<Seen>,
    commands: Vec<String>,
    last: Last,
    /// The level's goal, once given to [`Play::check`]: checked again after
    /// every command and file save, so that a check met once stays met.
    goal: Vec<Check>,
    /// Which checks of `goal` have been met since the level began. A check
    /// that the last output met stays met when the next command prints
    /// something else: only Reset ([`Play::begin_level`]) or Undo (which
    /// restores an earlier `Progress`) takes it back.
    met: Vec<bool>,
    /// The checks already met when the goal was given, at the level's start
    /// ("no container named api on the local daemon"): nothing the learner
    /// did met them, so they follow the state until the level is complete.
    live: Vec<bool>,
    /// Whether every check has been met at once: the level is complete, and
    /// stays so.
    complete: bool,
}

/// The most exchanges a level remembers for its goals.
const SEEN_LIMIT: usize = 2000;

/// How many commands can be undone.
pub const UNDO_DEPTH: usize = 50;

/// A playground: the engine session, the level's progress and the undo
/// checkpoints.
pub struct Play {
    session: Session,
    progress: Progress,
    /// Oldest first: the state at the level's start, then after each step;
    /// at most `UNDO_DEPTH + 1`.
    undo: Vec<(Checkpoint, Progress)>,
}

impl std::fmt::Debug for Play {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Play").field("session", &self.session).field("commands", &self.progress.commands.len()).finish()
    }
}

impl Default for Play {
    fn default() -> Self {
        Play::new()
    }
}

impl Play {
    /// A fresh engine (seeded with [`SEED`]) and an empty project directory.
    pub fn new() -> Play {
        Play::with_seed(SEED)
    }

    /// A fresh engine for a level (or `sandbox`): its ids come from
    /// [`seed_for`] the name.
    pub fn for_level(name: &str) -> Play {
        Play::with_seed(seed_for(name))
    }

    fn with_seed(seed: u64) -> Play {
        let mut session = Session::with_seed(seed);
        let names: Vec<String> = session.files().keys().cloned().collect();
        for name in names {
            session.remove_file(&name);
        }
        Play { session, progress: Progress::default(), undo: Vec::new() }
    }

    /// Runs one command line.
    pub fn run(&mut self, line: &str) -> Outcome {
        let before_local = view::containers(&self.session.engine().lock());
        let before_remote = view::containers(&self.session.remote_engine().lock());
        let remote_before = self.as_if_remote();
        let out = self.session.run(line);
        let after_state = self.state();
        let transitions = view::transitions(
            &[("local", &before_local), ("remote", &before_remote)],
            &out.events,
            &out.changes,
            &[("local", &after_state.containers), ("remote", &after_state.remote_containers)],
        );
        let exchanges: Vec<Exchange> = out.exchanges.clone();
        let mut explanation = out.explanation.clone().unwrap_or_default();
        let mut suggestion = out.suggestion.clone();
        if out.exit_code == 0
            && !exchanges.is_empty()
            && exchanges.iter().all(|x| x.daemon == "local")
            && let Some(fixed) = self.meant_remote(line, &remote_before)
        {
            explanation = "This ran on your own daemon (no -H): the level deploys to the remote one, and each daemon has its own containers. Send the line there with -H remote.".to_string();
            suggestion = Some(fixed);
        }
        if let Some(s) = &suggestion {
            if !explanation.is_empty() {
                explanation.push(' ');
            }
            explanation.push_str(&format!("Try: {s}"));
        }
        for x in &exchanges {
            if self.progress.seen.len() < SEEN_LIMIT {
                self.progress.seen.push(Seen {
                    daemon: x.daemon.clone(),
                    method: x.method.clone(),
                    path: strip_version(&x.path),
                    status: x.status,
                });
            }
        }
        self.progress.commands.push(line.to_string());
        self.progress.last = Last {
            command: line.to_string(),
            stdout: out.stdout.clone(),
            stderr: out.stderr.clone(),
            exit_code: i64::from(out.exit_code),
        };
        self.update_goal();
        Outcome {
            command: line.to_string(),
            stdout: out.stdout,
            stderr: out.stderr,
            printed: out.printed,
            exit_code: i64::from(out.exit_code),
            exchanges,
            transitions,
            explanation,
            prompt: out.prompt,
            misspelled: out.misspelled,
            elapsed_ms: 0.0,
            state: after_state,
        }
    }

    /// The goal's checks as if the local daemon's containers and images
    /// were the remote's (empty when no check is about the remote daemon,
    /// or once the level is complete).
    fn as_if_remote(&self) -> Vec<bool> {
        let about_remote = |c: &Check| c.expect.to_string().contains("\"remote_");
        if self.progress.complete || !self.progress.goal.iter().any(about_remote) {
            return Vec::new();
        }
        let mut doc = self.progress();
        if let Some(state) = doc.get_mut("state") {
            state["remote_containers"] = state["containers"].clone();
            state["remote_images"] = state["images"].clone();
        }
        goal::evaluate(&self.progress.goal, &doc)
    }

    /// A line that went to the local daemon where the goal wants the remote
    /// one: a check about the remote daemon is not met, but the local
    /// daemon now holds what it asks for (it did not before the line). The
    /// line sent to the remote daemon (`docker -H remote ...`). Driven by the
    /// level's goal, not by the command typed.
    fn meant_remote(&self, line: &str, before: &[bool]) -> Option<String> {
        let rest = line.trim_start().strip_prefix("docker ")?;
        let after = self.as_if_remote();
        let now = goal::evaluate(&self.progress.goal, &self.progress());
        let missed = (0..after.len().min(before.len()).min(now.len())).any(|i| after[i] && !before[i] && !now[i]);
        missed.then(|| format!("docker -H remote {}", rest.trim_start()))
    }

    fn current_daemon(&self) -> String {
        if self.session.current_engine().with_state(|s| s.name == "remote") { "remote".into() } else { "local".into() }
    }

    /// The state document.
    pub fn state(&self) -> contract::State {
        // Before the locks below: the engine's mutex is not reentrant.
        let context = self.current_daemon();
        let local = self.session.engine().lock();
        let remote = self.session.remote_engine().lock();
        view::state(&local, Some(&remote), &context)
    }

    /// Completions of a partly typed line, as whole lines.
    pub fn complete(&self, line: &str) -> Vec<String> {
        let stem = match line.rfind(' ') {
            Some(i) => &line[..=i],
            None => "",
        };
        self.session.complete(line).into_iter().map(|word| format!("{stem}{word}")).collect()
    }

    /// Forgets the level's progress (after its setup commands ran).
    pub fn begin_level(&mut self) {
        self.progress = Progress::default();
    }

    /// The progress document the goals are checked against.
    pub fn progress(&self) -> Value {
        json!({
            "state": self.state(),
            "last": self.progress.last,
            "seen": self.progress.seen,
            "commands": self.progress.commands,
        })
    }

    /// Which checks of a level's goal are met. The goal is remembered: from
    /// now on every command and file save checks it again, and a check once
    /// met stays met (until [`Play::begin_level`], or [`Play::undo`] back to
    /// before it was met), so a finished level does not un-finish itself
    /// when the next command prints something else.
    pub fn check(&mut self, checks: &[Check]) -> Vec<bool> {
        if self.progress.goal != checks {
            self.progress.goal = checks.to_vec();
            self.progress.live = goal::evaluate(checks, &self.progress());
            self.progress.met = vec![false; checks.len()];
            self.progress.complete = false;
        }
        self.update_goal();
        self.progress.met.clone()
    }

    /// Which checks of the remembered goal hold now, whatever was met
    /// before (a met check stays met in [`Play::check`]; this says whether
    /// it still describes the state). Empty when no goal was checked.
    pub fn holds_now(&self) -> Vec<bool> {
        if self.progress.goal.is_empty() {
            return Vec::new();
        }
        goal::evaluate(&self.progress.goal, &self.progress())
    }

    /// Checks the remembered goal against the progress document now: a check
    /// the learner met stays met, one that was met from the start follows
    /// the state, and once all are met at once the level stays complete.
    fn update_goal(&mut self) {
        if self.progress.goal.is_empty() || self.progress.complete {
            return;
        }
        let now = goal::evaluate(&self.progress.goal, &self.progress());
        let p = &mut self.progress;
        for ((kept, now), live) in p.met.iter_mut().zip(now).zip(&p.live) {
            *kept = if *live { now } else { *kept || now };
        }
        p.complete = p.met.iter().all(|m| *m);
    }

    /// Saves the playground as it is now (both daemons, the project files,
    /// the level's progress) as the newest undo step, in memory; the oldest
    /// is forgotten past [`UNDO_DEPTH`] steps.
    pub fn checkpoint(&mut self) {
        self.undo.push((self.session.checkpoint(), self.progress.clone()));
        if self.undo.len() > UNDO_DEPTH + 1 {
            self.undo.remove(0);
        }
    }

    /// Goes back one step: drops the newest checkpoint and restores the one
    /// before it; `false` (and nothing changes) when there is none to go
    /// back to.
    pub fn undo(&mut self) -> bool {
        if self.undo.len() < 2 {
            return false;
        }
        self.undo.pop();
        if let Some((point, progress)) = self.undo.last() {
            self.session.rollback(point);
            self.progress = progress.clone();
        }
        true
    }

    /// The whole playground (both daemons, the project files, the level's
    /// progress) as text (native use; the page undoes with
    /// [`Play::checkpoint`] and [`Play::undo`]).
    pub fn snapshot(&self) -> String {
        json!({"session": self.session.snapshot(), "progress": self.progress}).to_string()
    }

    /// Restores a [`Play::snapshot`]; on bad input nothing changes.
    pub fn restore(&mut self, text: &str) -> Result<(), String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("invalid snapshot: {e}"))?;
        let session = v.get("session").and_then(Value::as_str).ok_or("invalid snapshot: no session")?;
        let progress: Progress = serde_json::from_value(v.get("progress").cloned().unwrap_or(Value::Null))
            .map_err(|e| format!("invalid snapshot: {e}"))?;
        self.session.restore(session)?;
        self.progress = progress;
        Ok(())
    }

    /// The project directory.
    pub fn files(&self) -> std::collections::BTreeMap<String, String> {
        self.session.files().clone()
    }

    /// Writes a project file.
    pub fn write_file(&mut self, path: &str, text: &str) {
        self.session.write_file(path, text);
        self.update_goal();
    }
}

/// `/v1.50/containers/json?all=1` → `/containers/json?all=1`.
pub fn strip_version(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/v")
        && let Some(i) = rest.find('/')
        && rest[..i].split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return rest[i..].to_string();
    }
    path.to_string()
}
