//! A level started as the page starts it, for the web crate's walk tests.

use dockhand_playground_web::goal::Check;
use dockhand_playground_web::play::Play;
use serde_json::Value;

/// The level `id` of the lesson file `track`.
pub fn level(track: &str, id: &str) -> Value {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static/lessons").join(track);
    let track: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    track["levels"].as_array().unwrap().iter().find(|l| l["id"] == id).cloned().unwrap()
}

/// A level as the page starts it: files, setup, then the goal given.
pub fn start(track: &str, id: &str) -> (Play, Vec<Check>) {
    let level = level(track, id);
    let checks: Vec<Check> = serde_json::from_value(level["goal"].clone()).unwrap();
    let mut play = Play::for_level(id);
    for (path, text) in level["files"].as_object().into_iter().flatten() {
        play.write_file(path, text.as_str().unwrap());
    }
    for line in level["setup"].as_array().into_iter().flatten() {
        assert_eq!(play.run(line.as_str().unwrap()).exit_code, 0, "{line}");
    }
    play.begin_level();
    play.check(&checks);
    (play, checks)
}
