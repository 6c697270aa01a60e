//! The third newcomer walk's findings in the coach and the CLI (issue 19,
//! /work/walk3 findings 1, 2, 5, 12 and 15): the note and suggestion the
//! terminal answers after each slip, and commands the walk found missing.
//! Each test failed before its fix.

mod common;

use common::{note, ok, suggestion};
use dockhand_engine::Session;

/// Finding 1: options after the image became the container's command; the
/// note says so (not "a shell with no command") and moves them before it.
#[test]
fn options_after_the_image_are_moved_before_it() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run -d nginx --name web2");
    let text = note(&out);
    assert!(!text.contains("sleep 3600") && !text.contains("no TTY"), "{text}");
    assert!(text.contains("Everything after the image is the command"), "{text}");
    assert_eq!(suggestion(&out), "docker run -d --name web2 nginx");
    let out = ok(&mut s, "docker run -d nginx -p 8080:80");
    assert!(note(&out).contains("`-p` came after the image"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker run -d -p 8080:80 nginx");
    // Several, and a command that follows them, keep their order.
    let out = s.run("docker run --rm busybox -e A=1 -it sh");
    assert_eq!(suggestion(&out), "docker run --rm -e A=1 -it busybox sh");
    // The corrected line works.
    ok(&mut s, "docker run -d --name web2 nginx");
    // A program's own options after its name are no slip.
    let out = ok(&mut s, "docker run -d --name napper busybox sleep 3600");
    assert!(!note(&out).contains("came after the image"), "{}", note(&out));
}

/// Finding 1, swarm: `service create ... nginx -p 80:80` names the option
/// and gives the corrected `service create` line.
#[test]
fn a_service_with_options_after_the_image_gets_the_corrected_line() {
    let mut s = Session::new();
    ok(&mut s, "docker swarm init");
    let out = s.run("docker service create --name web --replicas 3 nginx -p 80:80");
    let text = note(&out);
    assert!(text.contains("`-p` came after the image") && text.contains("task"), "{text}\n{}", out.stderr);
    assert!(text.contains("docker service create --name web --replicas 3 -p 80:80 nginx"), "{text}");
    // The service exists all the same: the name must be freed first.
    assert!(text.contains("docker service rm web"), "{text}");
    assert_eq!(suggestion(&out), "docker service rm web");
}

/// Finding 2: a `service create` whose name is taken says how to change or
/// remove the service.
#[test]
fn a_taken_service_name_says_update_or_rm() {
    let mut s = Session::new();
    ok(&mut s, "docker swarm init");
    ok(&mut s, "docker service create --name web --replicas 3 -p 8080:80 nginx");
    let out = s.run("docker service create --name web --replicas 3 -p 80:80 nginx");
    assert_ne!(out.exit_code, 0);
    let text = note(&out);
    assert!(text.contains("A service web already exists") && text.contains("docker service update"), "{text}");
    assert!(text.contains("docker service rm web"), "{text}");
    assert_eq!(suggestion(&out), "docker service rm web");
}
