//! Goal checks the second newcomer's walk (session 9) found too loose.

use dockhand_playground_web::goal::Check;
use dockhand_playground_web::play::Play;
use serde_json::Value;

fn level(track: &str, id: &str) -> Value {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static/lessons").join(track);
    let track: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    track["levels"].as_array().unwrap().iter().find(|l| l["id"] == id).cloned().unwrap()
}

/// flow-3: `-p 8080:8080` publishes 0.0.0.0:8080->8080/tcp, which contains
/// "8080->80": the wrong port met "published to port 80", for good (a met
/// check stays met).
#[test]
fn flow_3_is_not_met_by_the_wrong_container_port() {
    let level = level("4-workflow.json", "flow-3");
    let checks: Vec<Check> = serde_json::from_value(level["goal"].clone()).unwrap();
    let mut play = Play::new();
    for (path, text) in level["files"].as_object().unwrap() {
        play.write_file(path, text.as_str().unwrap());
    }
    play.begin_level();
    assert_eq!(play.run("docker build -t site .").exit_code, 0);
    assert_eq!(play.run("docker run -d --name site -p 8080:8080 site").exit_code, 0);
    assert!(!play.check(&checks)[0], "8080->8080 met the goal of 8080->80");
    assert_eq!(play.run("docker rm -f site").exit_code, 0);
    assert_eq!(play.run("docker run -d --name site -p 8080:80 site").exit_code, 0);
    assert!(play.check(&checks)[0], "the right port does not meet the goal");
}
