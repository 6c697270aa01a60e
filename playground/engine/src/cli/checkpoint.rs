//! In-memory checkpoints of a [`Session`], for undo: copies of both
//! daemons' states and of the session's own settings, taken and put back
//! without JSON. [`Session::snapshot`]/[`Session::restore`] do the same
//! through text; the browser playground uses checkpoints instead, which are
//! faster and keep the decoder of the whole engine state (about a fifth of
//! the WebAssembly module, see docs/performance.md) out of the page.

use std::collections::BTreeMap;

use super::Session;
use crate::State;

/// A copy of a [`Session`] at one moment ([`Session::checkpoint`]).
#[derive(Debug, Clone)]
pub struct Checkpoint {
    states: Vec<State>,
    context: usize,
    host_env: Option<usize>,
    files: BTreeMap<String, String>,
}

impl Session {
    /// A copy of both daemons, the project files and the current context.
    ///
    /// ```
    /// let mut session = dockhand_engine::Session::new();
    /// let before = session.checkpoint();
    /// session.run("docker run -d --name web nginx");
    /// session.rollback(&before);
    /// assert!(session.run("docker ps -q").stdout.is_empty());
    /// ```
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            states: self.daemons.iter().map(|d| d.engine.lock().clone()).collect(),
            context: self.context,
            host_env: self.host_env,
            files: self.files.clone(),
        }
    }

    /// Puts the session back to a [`checkpoint`](Session::checkpoint) (as
    /// [`Session::restore`] does: an attached container shell is left).
    pub fn rollback(&mut self, checkpoint: &Checkpoint) {
        for (daemon, state) in self.daemons.iter().zip(&checkpoint.states) {
            daemon.engine.with_state_mut(|s| *s = state.clone());
        }
        self.context = checkpoint.context;
        self.host_env = checkpoint.host_env;
        self.files = checkpoint.files.clone();
        self.attached = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollback_restores_what_restore_would() {
        let mut session = Session::new();
        session.run("docker run -d --name web nginx");
        let text = session.snapshot();
        let point = session.checkpoint();
        session.run("docker context use remote");
        session.run("docker rm -f web");
        session.write_file("app.py", "print('changed')\n");
        session.remove_file("Dockerfile");
        assert_ne!(session.snapshot(), text);
        session.rollback(&point);
        assert_eq!(session.snapshot(), text);
        let mut by_text = Session::new();
        by_text.restore(&text).unwrap();
        assert_eq!(by_text.snapshot(), session.snapshot());
    }
}
