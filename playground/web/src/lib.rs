//! The dockhand playground in the browser: the simulated Docker engine
//! (`dockhand-engine`) and its docker command line, exported to JavaScript
//! with wasm-bindgen, plus the lesson goal checker.
//!
//! The page (`playground/web/static/`) talks to this module only through
//! [`Playground`] and JSON documents whose shapes are in [`contract`];
//! `docs/playground.md` describes them and the lesson format. The logic is
//! in [`play`] (plain Rust, tested natively); this file only binds it.

#![warn(missing_docs)]

pub mod contract;
pub mod goal;
pub mod play;
pub mod swarm;
pub mod view;

use wasm_bindgen::prelude::*;

/// The playground as JavaScript sees it: `new Playground()`, then `run`,
/// `complete`, `state`, `check`, `checkpoint`/`undo`, `files`/`write_file`.
/// Documents go both ways as JSON text.
#[wasm_bindgen]
pub struct Playground {
    play: play::Play,
}

impl Default for Playground {
    fn default() -> Self {
        Playground::new()
    }
}

#[wasm_bindgen]
impl Playground {
    /// A fresh, seeded engine with an empty project directory.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        Playground { play: play::Play::new() }
    }

    /// A fresh engine for a level (or `sandbox`), with that level's own ids
    /// ([`play::seed_for`]).
    #[wasm_bindgen(js_name = forLevel)]
    pub fn for_level(name: &str) -> Playground {
        Playground { play: play::Play::for_level(name) }
    }

    /// Runs one command line; returns the outcome ([`contract::Outcome`]) as
    /// JSON.
    pub fn run(&mut self, line: &str) -> String {
        to_json(&self.play.run(line))
    }

    /// Completions for Tab, as a JSON array of whole lines.
    pub fn complete(&self, line: &str) -> String {
        to_json(&self.play.complete(line))
    }

    /// The state document ([`contract::State`]) as JSON.
    pub fn state(&self) -> String {
        to_json(&self.play.state())
    }

    /// Which checks of a level's goal (a JSON array of [`goal::Check`]) are
    /// met, as a JSON array of booleans. A goal that is not valid JSON
    /// throws. The goal is remembered and checked after every command: a
    /// check once met stays met until Reset or Undo (see
    /// [`play::Play::check`]).
    pub fn check(&mut self, goal_json: &str) -> Result<String, JsError> {
        let checks: Vec<goal::Check> =
            serde_json::from_str(goal_json).map_err(|e| JsError::new(&format!("invalid goal: {e}")))?;
        Ok(to_json(&self.play.check(&checks)))
    }

    /// Which checks of the goal last given to [`Playground::check`] hold
    /// now, as a JSON array of booleans: a met check that no longer holds
    /// is shown as met earlier (see [`play::Play::holds_now`]).
    #[wasm_bindgen(js_name = holdsNow)]
    pub fn holds_now(&self) -> String {
        to_json(&self.play.holds_now())
    }

    /// Forgets the level's progress (called after a level's setup commands).
    pub fn begin_level(&mut self) {
        self.play.begin_level();
    }

    /// Saves the playground as it is now as the newest undo step (in
    /// memory; at most 50 steps back are kept).
    pub fn checkpoint(&mut self) {
        self.play.checkpoint();
    }

    /// Goes back to the checkpoint before the newest; `false` when there is
    /// nothing to undo.
    pub fn undo(&mut self) -> bool {
        self.play.undo()
    }

    /// The project directory as a JSON object (path to content).
    pub fn files(&self) -> String {
        to_json(&self.play.files())
    }

    /// Writes a project file (Dockerfile, source code).
    pub fn write_file(&mut self, path: &str, text: &str) {
        self.play.write_file(path, text);
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Our own types serialise without error; an empty object keeps the page
    // going if that ever changed.
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}
