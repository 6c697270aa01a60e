//! The seventh newcomer walk's findings 2 and 3 (issue 19): goals that
//! ticked on failed or wrong commands, and the flow-2 rebuild that forgot
//! its tag. Each test failed before its fix.

#[path = "common/start.rs"]
mod start;

use dockhand_playground_web::goal::Check;
use dockhand_playground_web::play::Play;
use start::start;

/// The check whose text contains `text`, met or not.
fn met(play: &mut Play, checks: &[Check], text: &str) -> bool {
    let at = checks.iter().position(|c| c.text.contains(text)).unwrap_or_else(|| panic!("no check {text}"));
    play.check(checks)[at]
}

/// proc-2: a failed `docker diff web` (no such container) does not tick
/// "Look at the changes"; `docker diff box` does.
#[test]
fn proc_2_diff_of_a_missing_container_does_not_tick() {
    let (mut play, checks) = start("3-processes.json", "proc-2");
    assert_ne!(play.run("docker diff web").exit_code, 0);
    assert!(!met(&mut play, &checks, "docker diff"));
    assert_eq!(play.run("docker diff box").exit_code, 0);
    assert!(met(&mut play, &checks, "docker diff"));
}

/// vms-3: `docker top db` does not list the processes of web.
#[test]
fn vms_3_top_of_another_container_does_not_tick() {
    let (mut play, checks) = start("1-vms.json", "vms-3");
    assert_eq!(play.run("docker run -d --name db redis").exit_code, 0);
    assert_eq!(play.run("docker top db").exit_code, 0);
    assert!(!met(&mut play, &checks, "processes of web"));
    assert_eq!(play.run("docker top web").exit_code, 0);
    assert!(met(&mut play, &checks, "processes of web"));
}

/// arch-2: the story asks for a server in the background; a run without
/// -d (which the note says to redo) does not complete the level.
#[test]
fn arch_2_wants_the_server_in_the_background() {
    let (mut play, checks) = start("2-architecture.json", "arch-2");
    let out = play.run("docker run --name web nginx");
    assert!(play.check(&checks).contains(&false), "{}", out.explanation);
    assert_eq!(play.run("docker rm -f web").exit_code, 0);
    assert_eq!(play.run("docker run -d --name web nginx").exit_code, 0);
    assert!(play.check(&checks).iter().all(|m| *m));
}

/// The other goals about one container's exchanges name that container:
/// proc-1's exec into web, proc-5's unpause of web, flow-4's logs of site.
#[test]
fn goals_about_a_containers_exchanges_name_it() {
    let (mut play, checks) = start("3-processes.json", "proc-1");
    assert_eq!(play.run("docker run -d --name other busybox sleep 100").exit_code, 0);
    assert_eq!(play.run("docker exec other ps").exit_code, 0);
    assert!(!met(&mut play, &checks, "Run ps inside web"));
    let (mut play, checks) = start("4-workflow.json", "flow-4");
    assert_ne!(play.run("docker logs web").exit_code, 0);
    assert_eq!(play.run("docker run -d --name other nginx").exit_code, 0);
    assert_eq!(play.run("docker logs other").exit_code, 0);
    assert!(!met(&mut play, &checks, "logs of site"));
    assert_eq!(play.run("docker exec other ls /usr/share/nginx/html").exit_code, 0);
    assert!(!met(&mut play, &checks, "inside site"));
    assert_eq!(play.run("docker logs site").exit_code, 0);
    assert_eq!(play.run("docker exec site ls /usr/share/nginx/html").exit_code, 0);
    assert!(play.check(&checks).iter().all(|m| *m));
}

/// flow-2 with the tag forgotten: the note after the all-cached app:v2
/// says where the change went, and following it completes the level.
#[test]
fn flow_2_the_forgotten_tag_is_explained_and_the_note_finishes_it() {
    let (mut play, checks) = start("4-workflow.json", "flow-2");
    play.write_file("app.py", "print(\"Hello again\")\n");
    assert_eq!(play.run("docker build -t app .").exit_code, 0);
    let out = play.run("docker build -t app:v2 .");
    assert!(out.explanation.contains("app:v2 is the same image as app:latest"), "{}", out.explanation);
    assert!(!met(&mut play, &checks, "new image"));
    play.write_file("app.py", "print(\"Hello once more\")\n");
    assert_eq!(play.run("docker build -t app:v2 .").exit_code, 0);
    assert!(met(&mut play, &checks, "new image"));
}
