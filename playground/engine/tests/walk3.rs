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

/// Finding 2: `docker service update` exists: `--publish-rm` (by the
/// containers' port, as docker's CLI matches it) and `--publish-add` move a
/// service's port, through `POST /services/{id}/update` with the version
/// read; the output is the CLI's (the name, then the rollout).
#[test]
fn service_update_moves_a_port_and_scales() {
    let mut s = Session::new();
    ok(&mut s, "docker swarm init");
    ok(&mut s, "docker service create --name web --replicas 3 -p 8080:80 nginx");
    // The curl coach points at the service, not at docker ps.
    let out = s.run("curl localhost:80");
    assert_eq!(out.exit_code, 7);
    assert!(note(&out).contains("docker service ls") && !note(&out).contains("docker ps,"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker service update --publish-rm 80 --publish-add 80:80 web");
    let out = ok(&mut s, suggestion(&out).to_string().as_str());
    assert!(out.stdout.starts_with("web\noverall progress: 3 out of 3 tasks"), "{}", out.stdout);
    assert!(out.stdout.contains("verify: Service web converged"), "{}", out.stdout);
    let update = out.exchanges.iter().find(|x| x.method == "POST").expect("an update request");
    assert!(update.path.contains("/update?version="), "{}", update.path);
    ok(&mut s, "curl localhost:80");
    assert_eq!(s.run("curl localhost:8080").exit_code, 7, "8080 was removed");
    // --replicas, --env-add, --image.
    let out = ok(&mut s, "docker service update --replicas 5 --env-add MODE=blue web");
    assert!(out.stdout.contains("overall progress: 5 out of 5 tasks"), "{}", out.stdout);
    let inspect = ok(&mut s, "docker service inspect web");
    assert!(inspect.stdout.contains("MODE=blue") && inspect.stdout.contains("\"Replicas\": 5"), "{}", inspect.stdout);
    let out = ok(&mut s, "docker service update -d --image busybox:latest web");
    assert_eq!(out.stdout, "web\n");
    // A missing service, a bad port.
    assert_ne!(s.run("docker service update --replicas 2 nope").exit_code, 0);
    assert_ne!(s.run("docker service update --publish-add x:80 web").exit_code, 0);
}

/// Finding 5: the build note counts the steps the Images view lists (every
/// instruction after the last FROM, CMD included, cached when the daemon
/// said "Using cache"), and a first build does not say "again".
#[test]
fn the_build_note_counts_the_steps_the_images_view_lists() {
    let mut s = Session::new();
    s.write_file("app.py", "print(\"Hello from my app\")\n");
    s.write_file("Dockerfile", "FROM python:3.13\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n");
    let out = ok(&mut s, "docker build -t app .");
    let text = note(&out);
    assert!(text.starts_with("None of the 3 steps after FROM"), "{text}");
    assert!(!text.contains("again,") && !text.contains("ran again"), "{text}");
    s.write_file("app.py", "print(\"Hello again\")\n");
    let out = ok(&mut s, "docker build -t app:v2 .");
    assert!(
        note(&out).starts_with("1 of the 3 steps after FROM") && note(&out).contains("other 2 ran again"),
        "{}",
        note(&out)
    );
    // The legacy builder's stream is the one the view reads: the same count.
    let out = ok(&mut s, "DOCKER_BUILDKIT=0 docker build -t app:v3 .");
    assert_eq!(out.stdout.matches("Using cache").count(), 3, "{}", out.stdout);
    assert!(note(&out).starts_with("All 3 steps after FROM"), "{}", note(&out));
}

/// The fourth walk: a one-step Dockerfile read "None of the 1 step after
/// FROM ... so each ran"; and BuildKit's log, which does not list CMD, was
/// explained only when everything was cached.
#[test]
fn a_one_step_build_note_reads_as_one_step() {
    let mut s = Session::new();
    s.write_file("index.html", "<h1>My site</h1>\n");
    s.write_file("Dockerfile", "FROM nginx\nCOPY index.html /usr/share/nginx/html/\n");
    let out = ok(&mut s, "docker build -t site .");
    let text = note(&out);
    assert!(text.starts_with("The 1 step after FROM did not come from the build cache, so it ran"), "{text}");
    assert!(!text.contains("None of the 1") && !text.contains("each ran"), "{text}");
    s.write_file("Dockerfile", "FROM python:3.13\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n");
    s.write_file("app.py", "print(1)\n");
    let out = ok(&mut s, "docker build -t app .");
    assert!(note(&out).contains("such as CMD, is not listed there"), "{}", note(&out));
}

/// Finding 12: a redirect after `docker exec` is the host shell's; the note
/// shows the line that writes the file in the container.
#[test]
fn a_redirect_after_exec_is_given_to_the_containers_shell() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name box busybox sleep 3600");
    let out = s.run("docker exec box echo hi > /tmp/notes.txt");
    assert_ne!(out.exit_code, 0);
    assert!(note(&out).contains("host") && note(&out).contains("inside the container"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker exec box sh -c 'echo hi > /tmp/notes.txt'");
    ok(&mut s, suggestion(&out).to_string().as_str());
    let cat = ok(&mut s, "docker exec box cat /tmp/notes.txt");
    assert_eq!(cat.stdout, "hi\n");
    // `>>` stays `>>`.
    let out = s.run("docker exec box echo more >> /tmp/notes.txt");
    assert_eq!(suggestion(&out), "docker exec box sh -c 'echo more >> /tmp/notes.txt'");
}

/// Finding 15: an exec's process gets the next PID after the highest in the
/// container, and `docker top` shows the main process's parent on the host
/// (the containerd-shim), not 0.
#[test]
fn exec_pids_follow_the_highest_and_top_shows_the_shim() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web nginx");
    let ps = ok(&mut s, "docker exec web ps");
    let pids: Vec<u32> = ps.stdout.lines().skip(1).filter_map(|l| l.split_whitespace().next()?.parse().ok()).collect();
    assert_eq!(pids, vec![1, 29, 30], "{}", ps.stdout);
    let again = ok(&mut s, "docker exec web ps");
    assert!(again.stdout.lines().any(|l| l.trim_start().starts_with("31 ")), "{}", again.stdout);
    let top = ok(&mut s, "docker top web");
    let master = top.stdout.lines().find(|l| l.contains("master process")).expect("the master's line");
    let cols: Vec<&str> = master.split_whitespace().collect();
    let (pid, ppid): (u32, u32) = (cols[1].parse().unwrap(), cols[2].parse().unwrap());
    assert!(ppid != 0 && ppid < pid, "{}", top.stdout);
    let worker = top.stdout.lines().find(|l| l.contains("worker process")).expect("the worker's line");
    assert_eq!(worker.split_whitespace().nth(2), Some(cols[1]), "the worker's parent is the master\n{}", top.stdout);
}

/// Finding 1's wrong advice, for any command that ends at once: "a shell
/// with no command" is said of a shell only.
#[test]
fn a_detached_command_that_ends_is_not_called_a_shell() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run -d --name quick busybox echo hi");
    let text = note(&out);
    assert!(text.contains("already ended") && !text.contains("A shell with no command"), "{text}");
    let out = ok(&mut s, "docker run -d --name sleeper busybox");
    assert!(note(&out).contains("A shell with no command"), "{}", note(&out));
}

/// The fourth walk: `docker run -d --name b nginx` was refused with rules
/// that "b" seems to meet; the note says a name needs two characters.
#[test]
fn a_one_letter_name_is_explained() {
    let mut s = Session::new();
    let out = s.run("docker run -d --name b nginx");
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("Invalid container name (b)"), "{}", out.stderr);
    assert!(note(&out).contains("`b` is one character: a name needs at least two"), "{}", note(&out));
    let out = s.run("docker run -d --name 'my box' nginx");
    assert!(note(&out).contains("at least two characters") && !note(&out).contains("one character"), "{}", note(&out));
}
