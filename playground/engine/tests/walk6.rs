//! The fifth newcomer walk's findings about the terminal's words (issue
//! 19, /work/walk5 findings 1, 4, 9, 11, 12 and 15). Each test failed
//! before its fix.

mod common;

use common::{note, ok, suggestion};
use dockhand_engine::Session;

/// Finding 1: the "forgot -d" note redoes the learner's own line with -d:
/// every option and the container's command kept (following it used to
/// run alpine's /bin/sh, which ends at once). And it does not claim a
/// level refuses the run: no goal asks how a container was started.
#[test]
fn the_forgot_d_note_redoes_the_whole_line() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run --name sleeper alpine sleep 3600");
    let text = note(&out);
    assert!(text.contains("docker rm -f sleeper, then docker run -d --name sleeper alpine sleep 3600."), "{text}");
    assert!(!text.contains("does not count"), "{text}");
    // Quoting kept, options after `run` kept.
    let mut s = Session::new();
    let out = ok(&mut s, "docker run --name qq -e 'A=b c' busybox sh -c 'sleep 3600; echo done'");
    let text = note(&out);
    assert!(text.contains("then docker run -d --name qq -e 'A=b c' busybox sh -c 'sleep 3600; echo done'."), "{text}");
    // Following it works: the container runs.
    ok(&mut s, "docker rm -f qq");
    ok(&mut s, "docker run -d --name qq -e 'A=b c' busybox sh -c 'sleep 3600; echo done'");
    let ps = ok(&mut s, "docker ps");
    assert!(ps.stdout.contains(" qq\n"), "{}", ps.stdout);
}

/// Finding 1's other corrected lines keep the command and its arguments:
/// options after the image, `-name`, the exec order.
#[test]
fn the_other_corrected_lines_keep_the_command() {
    let mut s = Session::new();
    let out = s.run("docker run -d busybox --name web sleep 3600");
    assert_eq!(suggestion(&out), "docker run -d --name web busybox sleep 3600");
    let out = s.run("docker run -d -name web busybox sleep 3600");
    assert_eq!(suggestion(&out), "docker run -d --name web busybox sleep 3600");
    ok(&mut s, "docker run -d --name box busybox sleep 3600");
    let out = s.run("docker exec ls box -la /tmp");
    assert_eq!(suggestion(&out), "docker exec box ls -la /tmp");
}

/// Finding 9: after `docker run -d -p 80:8080 --name web nginx` (a pull
/// first) the note says why to remove web before the "Try", and gives the
/// corrected line with the learner's other options.
#[test]
fn the_wrong_port_note_says_why_and_redoes_the_line() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run -d -p 80:8080 --name web nginx");
    let text = note(&out);
    assert_eq!(suggestion(&out), "docker rm -f web");
    assert!(text.contains("nginx listens on port 80 inside"), "{text}");
    assert!(text.contains("published the container's port 8080, where nothing listens"), "{text}");
    assert!(text.contains("docker rm -f web"), "{text}");
    assert!(text.contains("docker run -d -p 80:80 --name web nginx"), "{text}");
    // The reversed reading, as the learner's line too.
    assert!(text.contains("if you meant the host's port 8080: docker run -d -p 8080:80 --name web nginx"), "{text}");
    // Other options and the inline forms are kept.
    let mut s = Session::new();
    let out = ok(&mut s, "docker run -d --publish=8081:8080 -e X=1 --name w2 nginx");
    assert!(note(&out).contains("docker run -d --publish=8081:80 -e X=1 --name w2 nginx"), "{}", note(&out));
    // The corrected line answers.
    let mut s = Session::new();
    ok(&mut s, "docker run -d -p 80:8080 --name web nginx");
    ok(&mut s, "docker rm -f web");
    ok(&mut s, "docker run -d -p 80:80 --name web nginx");
    let curl = ok(&mut s, "curl localhost:80");
    assert!(curl.stdout.contains("Welcome to nginx"), "{}", curl.stdout);
}

/// Finding 4: a run that pulls first, then exits non-zero: the pull's lines
/// are still stderr, first, in the CLI's order, but marked progress (the
/// page draws them as progress, not in red); the run's error is not.
#[test]
fn a_pull_before_a_failing_run_is_progress() {
    let mut s = Session::new();
    let out = s.run("docker run --name fail busybox sh -c 'exit 3'");
    assert_eq!(out.exit_code, 3);
    let first = &out.printed[0];
    assert!(first.stderr && first.progress, "{:?}", out.printed);
    for line in [
        "Unable to find image 'busybox:latest' locally",
        "Pulling from library/busybox",
        "Pull complete",
        "Status: Downloaded newer image",
    ] {
        assert!(first.text.contains(line), "{line}: {:?}", out.printed);
    }
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["printed"][0]["progress"], true, "{json}");
    // An error on stderr is no progress; other pieces do not carry the flag.
    let out = s.run("docker run --name fail busybox true");
    assert!(out.printed.iter().all(|p| !p.progress), "{:?}", out.printed);
    let json = serde_json::to_value(&out).unwrap();
    assert!(json["printed"][0].get("progress").is_none(), "{json}");
    // A pull that fails is an error, not progress.
    let out = s.run("docker run nosuchimage");
    assert!(out.printed.iter().filter(|p| p.text.contains("Error")).all(|p| !p.progress), "{:?}", out.printed);
}

/// Finding 11: `docker --version` says only the client answered (no
/// request), and `docker version` asks the daemon too.
#[test]
fn docker_dash_dash_version_says_the_client_answered_alone() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker --version");
    assert!(out.exchanges.is_empty(), "no request: {:?}", out.exchanges.len());
    let text = note(&out);
    assert!(text.contains("Only the client answered") && text.contains("no request to the daemon"), "{text}");
    assert!(text.contains("docker version") && text.contains("GET /version"), "{text}");
    assert_eq!(suggestion(&out), "docker version");
    // The suggestion does ask the daemon.
    let out = ok(&mut s, "docker version");
    assert!(out.exchanges.iter().any(|x| x.path.contains("/version")));
}

/// Finding 11: `docker service scale web 5` names the form SERVICE=REPLICAS
/// and suggests `web=5`, which works.
#[test]
fn service_scale_with_a_space_says_service_equals_replicas() {
    let mut s = Session::new();
    ok(&mut s, "docker swarm init");
    ok(&mut s, "docker service create --name web --replicas 3 -p 8080:80 nginx");
    let out = s.run("docker service scale web 5");
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.contains("invalid scale specifier 'web'"), "{}", out.stderr);
    let text = note(&out);
    assert!(text.contains("SERVICE=REPLICAS") && text.contains("web=5"), "{text}");
    assert_eq!(suggestion(&out), "docker service scale web=5");
    ok(&mut s, suggestion(&out).to_string().as_str());
    let out = s.run("docker service scale web=five");
    assert!(note(&out).contains("SERVICE=REPLICAS"), "{}", note(&out));
}

/// Finding 11: `docker swarm leave` on the manager says why dockerd
/// refuses and what --force loses.
#[test]
fn swarm_leave_on_the_manager_says_why_and_what_force_loses() {
    let mut s = Session::new();
    ok(&mut s, "docker swarm init");
    ok(&mut s, "docker service create --name web --replicas 2 nginx");
    let out = s.run("docker swarm leave");
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("participating as a manager"), "{}", out.stderr);
    let text = note(&out);
    assert!(text.contains("only manager") && text.contains("refuses unless you confirm with --force"), "{text}");
    assert!(text.contains("services and their task containers are removed"), "{text}");
    assert_eq!(suggestion(&out), "docker swarm leave --force");
    // What the note says --force loses, it loses.
    ok(&mut s, "docker swarm leave --force");
    let ps = ok(&mut s, "docker ps -a");
    assert!(!ps.stdout.contains("web."), "{}", ps.stdout);
}

/// Finding 15: `docker ps -a` lists no ports for a container that is not
/// running (created or exited), as dockerd 20.10 does (checked on the real
/// one with a FROM scratch busybox image that EXPOSEs 80); a running one
/// keeps its published and exposed ports.
#[test]
fn ps_lists_no_ports_for_a_container_that_does_not_run() {
    let mut s = Session::new();
    ok(&mut s, "docker run --name ended -p 8080:80 nginx true");
    ok(&mut s, "docker create --name made -p 8081:80 nginx");
    ok(&mut s, "docker run -d --name up -p 8082:80 nginx");
    let ps = ok(&mut s, "docker ps -a --format '{{.Names}}=[{{.Ports}}]'");
    let lines: Vec<&str> = ps.stdout.lines().collect();
    assert!(lines.contains(&"ended=[]") && lines.contains(&"made=[]"), "{}", ps.stdout);
    assert!(lines.contains(&"up=[0.0.0.0:8082->80/tcp, [::]:8082->80/tcp]"), "{}", ps.stdout);
}

/// Finding 1's check of the other corrected lines: the curl notes' redo
/// (a `-p` the wrong way round) keeps the command the container was given.
#[test]
fn the_curl_notes_redo_keeps_the_containers_command() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web -p 8080:8080 nginx sleep 3600");
    let out = s.run("curl localhost:8080");
    assert!(note(&out).contains("(docker run -d --name web -p 8080:80 nginx sleep 3600)"), "{}", note(&out));
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web -p 80:8080 nginx sleep 3600");
    let out = s.run("curl localhost:8080");
    assert!(note(&out).contains("(docker run -d --name web -p 8080:80 nginx sleep 3600)"), "{}", note(&out));
    // The image's own command is not repeated.
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web -p 80:8080 nginx");
    let out = s.run("curl localhost:8080");
    assert!(note(&out).contains("(docker run -d --name web -p 8080:80 nginx)"), "{}", note(&out));
}
