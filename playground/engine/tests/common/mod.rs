//! Shared helpers of the engine's integration tests.

#![allow(dead_code)]

use bytes::Bytes;
use dockhand_engine::{Engine, Outcome, Session};
use futures::executor::block_on;
use serde_json::Value;

/// Sends one request straight to the engine (no SDK); its status and JSON
/// body (`Null` when the body is not JSON).
pub fn call(engine: &Engine, method: &str, path: &str, body: Value) -> (u16, Value) {
    let bytes = if body.is_null() { Bytes::new() } else { Bytes::from(body.to_string()) };
    let req = http::Request::builder()
        .method(method)
        .uri(path)
        .header("Content-Type", "application/json")
        .body(bytes)
        .unwrap();
    let resp = engine.handle(req);
    let status = resp.status().as_u16();
    let data = block_on(resp.into_body().collect(1 << 20)).unwrap();
    (status, serde_json::from_slice(&data).unwrap_or(Value::Null))
}

/// Runs a line in the terminal and asserts it succeeded; its outcome.
pub fn ok(s: &mut Session, line: &str) -> Outcome {
    let out = s.run(line);
    assert_eq!(out.exit_code, 0, "{line}: {}\n{}", out.stdout, out.stderr);
    out
}

/// The note the terminal gave a line ("" when none).
pub fn note(o: &Outcome) -> &str {
    o.explanation.as_deref().unwrap_or("")
}

/// The command the terminal suggested after a line ("" when none).
pub fn suggestion(o: &Outcome) -> &str {
    o.suggestion.as_deref().unwrap_or("")
}

/// A session with the push level's project: the site built as `site`, the
/// learner logged in to the registry.
pub fn site_logged_in() -> Session {
    let mut s = Session::new();
    s.write_file("index.html", "<h1>My site</h1>\n");
    s.write_file("Dockerfile", "FROM nginx\nCOPY index.html /usr/share/nginx/html/index.html\n");
    ok(&mut s, "docker build -t site .");
    ok(&mut s, "docker login -u learner -p secret");
    s
}
