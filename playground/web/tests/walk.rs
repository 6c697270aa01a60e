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

/// The id of the first container `docker run -d` makes in a fresh level.
fn first_id(name: &str) -> String {
    let mut play = Play::for_level(name);
    play.begin_level();
    let out = play.run("docker run -d --name web nginx");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    out.stdout.trim().to_string()
}

/// Walk 2, finding 14: `836ded897f3e…` was web1 in vms-2, web in arch-2,
/// site in flow-3 and the sandbox's shell: every level made the same ids.
/// Each level's are its own now, and the same on every run of it.
#[test]
fn every_level_makes_its_own_ids() {
    let ids: Vec<String> = ["vms-2", "arch-2", "flow-3", "sandbox"].iter().map(|l| first_id(l)).collect();
    for (i, a) in ids.iter().enumerate() {
        assert_eq!(a.len(), 64, "{a}");
        for b in &ids[i + 1..] {
            assert_ne!(a[..12], b[..12], "two levels make the same id: {ids:?}");
        }
    }
    assert_eq!(first_id("arch-2"), ids[1], "a level's ids differ between runs (links and tests replay them)");
}
