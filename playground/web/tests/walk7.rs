//! The sixth newcomer walk's finding 4 (issue 19): a line the goal wants on
//! the remote daemon that went to the local one says so.

#[path = "common/start.rs"]
mod start;

use start::start;

/// flow-6: `docker run ... learner/site:1.0` without `-H remote` ran on the
/// local daemon; the note says so and gives the line with -H remote, which
/// meets the goal. Other lines, and other levels' runs, get no such note.
#[test]
fn flow_6_says_a_run_went_to_the_local_daemon() {
    let (mut play, checks) = start("4-workflow.json", "flow-6");
    let out = play.run("docker ps");
    assert!(!out.explanation.contains("no -H"), "{}", out.explanation);
    let out = play.run("docker run -d --name site -p 80:80 learner/site:1.0");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert!(
        out.explanation.starts_with("This ran on your own daemon (no -H): the level deploys to the remote one"),
        "{}",
        out.explanation
    );
    assert!(
        out.explanation.ends_with("Try: docker -H remote run -d --name site -p 80:80 learner/site:1.0"),
        "{}",
        out.explanation
    );
    assert!(!play.check(&checks)[0]);
    // Following it meets the goal.
    let out = play.run("docker -H remote run -d --name site -p 80:80 learner/site:1.0");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert!(!out.explanation.contains("no -H"), "{}", out.explanation);
    assert!(play.check(&checks)[0]);
    // A level whose goal is about the local daemon: no such note.
    let (mut play, _) = start("4-workflow.json", "flow-3");
    assert_eq!(play.run("docker build -t site .").exit_code, 0);
    let out = play.run("docker run -d --name site -p 8080:80 site");
    assert!(!out.explanation.contains("no -H"), "{}", out.explanation);
}
