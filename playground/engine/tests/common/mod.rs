//! Shared helpers of the engine's integration tests.

#![allow(dead_code)]

use bytes::Bytes;
use dockhand_engine::Engine;
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
