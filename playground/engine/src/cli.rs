//! The command line (placeholder while the engine is brought up).

use serde::{Deserialize, Serialize};

/// One HTTP exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// `GET`.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Request headers.
    pub request_headers: Vec<(String, String)>,
    /// Request body as text.
    pub request_body: String,
    /// Response status.
    pub status: u16,
    /// Response headers.
    pub response_headers: Vec<(String, String)>,
    /// Response body as text.
    pub response_body: String,
}

/// A change of state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change;
/// The outcome of a command.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// stdout.
    pub stdout: String,
    /// Exchanges.
    pub exchanges: Vec<Exchange>,
}
/// A session.
#[derive(Debug)]
pub struct Session;
impl Session {
    /// New.
    pub fn new() -> Self { Session }
    /// Run.
    pub fn run(&mut self, _l: &str) -> Outcome { Outcome::default() }
}
