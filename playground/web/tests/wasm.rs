//! The JavaScript-facing bindings, compiled to WebAssembly and run under
//! node by wasm-bindgen-test:
//!
//! ```sh
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!     cargo test -p dockhand-playground-web --target wasm32-unknown-unknown --test wasm
//! ```
//!
//! Natively these tests compile to nothing.

#![cfg(target_arch = "wasm32")]

use dockhand_playground_web::Playground;
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("the module returns JSON")
}

#[wasm_bindgen_test]
fn run_returns_the_outcome_document() {
    let mut pg = Playground::new();
    let out = json(&pg.run("docker run -d --name web -p 8080:80 nginx"));
    assert_eq!(out["exit_code"], 0, "{out}");
    let exchanges = out["exchanges"].as_array().unwrap();
    assert!(
        exchanges.iter().any(|x| x["method"] == "POST" && x["path"].as_str().unwrap().contains("/containers/create"))
    );
    assert!(exchanges.iter().all(|x| x["daemon"] == "local" && x["status"].as_u64().is_some()));
    let web = out["state"]["containers"].as_array().unwrap().iter().find(|c| c["name"] == "web").cloned().unwrap();
    assert_eq!(web["state"], "running");
    assert_eq!(web["processes"][0]["pid"], 1);
    assert!(out["transitions"].as_array().unwrap().iter().any(|t| t["to"] == "running"));
}

#[wasm_bindgen_test]
fn hello_world_prints_its_greeting_in_wasm() {
    let mut pg = Playground::new();
    let out = json(&pg.run("docker run hello-world"));
    assert!(out["stdout"].as_str().unwrap().contains("Hello from Docker!"), "{out}");
}

#[wasm_bindgen_test]
fn goals_snapshots_files_and_completion() {
    let mut pg = Playground::new();
    let goal = r#"[{"text": "web runs", "expect": {"state": {"containers": [{"name": "web", "state": "running"}]}}}]"#;
    assert_eq!(json(&pg.check(goal).unwrap()), serde_json::json!([false]));
    assert!(!pg.undo(), "nothing to undo before any checkpoint");
    pg.checkpoint();
    pg.run("docker run -d --name web nginx");
    pg.checkpoint();
    assert_eq!(json(&pg.check(goal).unwrap()), serde_json::json!([true]));
    assert!(pg.undo());
    assert_eq!(json(&pg.check(goal).unwrap()), serde_json::json!([false]));
    assert!(!pg.undo(), "the level's start is the oldest step");
    assert!(pg.check("not json").is_err());

    pg.write_file("Dockerfile", "FROM busybox\nCMD [\"echo\", \"built\"]\n");
    assert_eq!(json(&pg.files())["Dockerfile"], "FROM busybox\nCMD [\"echo\", \"built\"]\n");
    let built = json(&pg.run("docker build -t mine ."));
    assert_eq!(built["exit_code"], 0, "{built}");
    assert!(
        json(&pg.state())["images"].as_array().unwrap().iter().any(|i| i["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "mine:latest"))
    );

    let completions = json(&pg.complete("docker ima"));
    assert!(completions.as_array().unwrap().iter().any(|c| c == "docker images"), "{completions}");
}

#[wasm_bindgen_test]
fn learner_text_comes_back_as_data() {
    let mut pg = Playground::new();
    let out = json(&pg.run("docker run --name xss busybox echo '<img src=x onerror=alert(1)>'"));
    assert_eq!(out["stdout"], "<img src=x onerror=alert(1)>\n");
}

/// The browser build leaves the engine's `image-archives` feature out (its
/// terminal has no binary files for an archive): the archive endpoints say
/// so with a 501 instead of answering 404 or panicking.
#[wasm_bindgen_test]
fn the_browser_engine_answers_image_archives_with_501() {
    let engine = dockhand_engine::Engine::new();
    for (method, path) in [
        ("GET", "/v1.41/images/get?names=busybox"),
        ("GET", "/v1.41/images/busybox/get"),
        ("POST", "/v1.41/images/load"),
        ("POST", "/v1.41/images/create?fromSrc=-&repo=x"),
    ] {
        let request = http::Request::builder().method(method).uri(path).body(bytes::Bytes::new()).unwrap();
        let response = engine.handle(request);
        assert_eq!(response.status(), 501, "{method} {path}");
    }
}
