//! The dockhand playground in the browser: the simulated Docker engine
//! (`dockhand-engine`) and its docker command line, exported to JavaScript
//! with wasm-bindgen, plus the lesson goal checker.
//!
//! The page (`playground/web/static/`) talks to this module only through
//! JSON documents whose shapes are in [`contract`]; `docs/playground.md`
//! describes them and the lesson format.

#![warn(missing_docs)]

pub mod contract;
pub mod goal;
