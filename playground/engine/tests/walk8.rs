//! The seventh newcomer walk's findings about the terminal's notes (issue
//! 19, /work/walk7 findings 1, 4, 5 and 13). Each test failed before its
//! fix.

mod common;

use common::{note, ok, site_logged_in, suggestion};
use dockhand_engine::Session;

/// Finding 1 (workflow L6): the remote run without the tag pushed
/// (:1.0 only) suggests that tag, not an unrelated image.
#[test]
fn a_run_of_a_tag_the_registry_lacks_suggests_the_tag_it_has() {
    let mut s = site_logged_in();
    ok(&mut s, "docker tag site learner/site:1.0");
    ok(&mut s, "docker push learner/site:1.0");
    let out = s.run("docker -H remote run -d -p 8080:80 learner/site");
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("manifest"), "{}", out.stderr);
    let text = note(&out);
    assert!(text.contains(":1.0"), "{text}");
    assert!(!suggestion(&out).contains("nginx"), "{}", suggestion(&out));
    assert_eq!(suggestion(&out), "docker -H remote run -d -p 8080:80 learner/site:1.0");
    ok(&mut s, suggestion(&out).to_string().as_str());
}

/// Finding 1 (workflow L5): `docker tag site learner/site` then `docker
/// push learner/site:1.0`: the tag named is the one missing: tag the local
/// image to it.
#[test]
fn a_push_of_a_tag_not_made_suggests_making_that_tag() {
    let mut s = site_logged_in();
    ok(&mut s, "docker tag site learner/site");
    let out = s.run("docker push learner/site:1.0");
    assert_eq!(out.exit_code, 1);
    assert_eq!(suggestion(&out), "docker tag site learner/site:1.0", "{}", note(&out));
    assert!(note(&out).contains("docker tag site learner/site:1.0"), "{}", note(&out));
    ok(&mut s, "docker tag site learner/site:1.0");
    ok(&mut s, "docker push learner/site:1.0");
}

/// Finding 1 (workflow L7): `docker run --name x echo hi`: the image
/// forgotten wins over the one-letter name; the one suggestion works.
#[test]
fn a_command_read_as_the_image_wins_over_a_short_name() {
    let mut s = Session::new();
    let out = s.run("docker run --name x echo hi");
    assert_ne!(out.exit_code, 0);
    let text = note(&out);
    assert!(text.contains("echo was read as the image"), "{text}");
    let sug = suggestion(&out).to_string();
    assert!(sug.contains("busybox echo hi"), "{sug}");
    ok(&mut s, &sug);
}

/// Finding 3 (workflow L2): the change built as `app` (the `:v2`
/// forgotten), then `docker build -t app:v2 .` all from the cache: the
/// note says the change went into app:latest, app:v2 is the same image,
/// and how to finish. A rebuild with no change at all keeps the old note.
#[test]
fn a_rebuild_after_the_tag_was_forgotten_says_where_the_change_went() {
    let mut s = Session::new();
    s.write_file("app.py", "print(\"Hello from my app\")\n");
    s.write_file("Dockerfile", "FROM python:3.13\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n");
    ok(&mut s, "docker build -t app .");
    // No change: the plain note.
    let out = ok(&mut s, "docker build -t app:v1 .");
    assert!(note(&out).contains("edit app.py in Project files and Save file first"), "{}", note(&out));
    assert!(!note(&out).contains("went into"), "{}", note(&out));
    s.write_file("app.py", "print(\"Hello again\")\n");
    ok(&mut s, "docker build -t app .");
    let out = ok(&mut s, "docker build -t app:v2 .");
    let text = note(&out);
    assert!(text.contains("app:v2 is the same image as app:latest"), "{text}");
    assert!(text.contains("went into app:latest"), "{text}");
    assert!(text.contains("edit app.py again"), "{text}");
}

/// Finding 4: a first component with a dot (or a colon, or localhost) is
/// a registry host, and the simulated Docker Hub is the only registry: a
/// push or pull there fails as dockerd's does when the host does not
/// answer, with a note on what the first part of a name means.
#[test]
fn a_registry_host_in_the_name_is_not_docker_hub() {
    let mut s = site_logged_in();
    ok(&mut s, "docker tag site registry.example.com/site");
    let out = s.run("docker push registry.example.com/site");
    assert_eq!(out.exit_code, 1);
    assert!(out.stdout.contains("The push refers to repository [registry.example.com/site]"), "{}", out.stdout);
    assert!(!out.stdout.contains("docker.io"), "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "Get \"https://registry.example.com/v2/\": dial tcp: lookup registry.example.com on 127.0.0.53:53: no such host"
        ),
        "{}",
        out.stderr
    );
    let text = note(&out);
    assert!(text.contains("registry's host"), "{text}");
    assert_eq!(suggestion(&out), "docker tag registry.example.com/site learner/site:latest");
    let out = s.run("docker pull localhost:5000/app");
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.contains("dial tcp 127.0.0.1:5000: connect: connection refused"), "{}", out.stderr);
    let out = s.run("docker run registry.example.com/other");
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("no such host"), "{}", out.stderr);
    // Docker Hub names still push.
    ok(&mut s, "docker tag site learner/site");
    ok(&mut s, "docker push learner/site");
}

/// Finding 13: `curl --unix-socket /var/run/docker.sock
/// http://localhost/containers/json` speaks the Engine API by hand: the
/// daemon's own JSON, through the same router as the SDK's requests (so
/// the wire view lists it); -X, -d, -H, -i and versioned paths too.
#[test]
fn curl_over_the_daemons_socket_gets_the_engines_reply() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web nginx");
    let out = ok(&mut s, "curl --unix-socket /var/run/docker.sock http://localhost/containers/json");
    let list: serde_json::Value = serde_json::from_str(out.stdout.trim()).expect(&out.stdout);
    assert_eq!(list[0]["Names"][0], "/web", "{list}");
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let x = out.exchanges.iter().find(|x| x.path == "/containers/json").expect("an exchange");
    assert_eq!((x.method.as_str(), x.status, x.daemon.as_str()), ("GET", 200, "local"));
    assert!(note(&out).contains("docker ps"), "{}", note(&out));
    // Versioned, with the status line and headers.
    let out = ok(&mut s, "curl -i --unix-socket /var/run/docker.sock http://localhost/v1.41/version");
    assert!(out.stdout.starts_with("HTTP/1.1 200 OK\r\n"), "{}", out.stdout);
    assert!(out.stdout.contains("Api-Version:") || out.stdout.contains("api-version:"), "{}", out.stdout);
    assert!(out.stdout.contains("\"ApiVersion\""), "{}", out.stdout);
    // A POST with a JSON body creates a container.
    let out = ok(
        &mut s,
        r#"curl -s --unix-socket /var/run/docker.sock -X POST -H "Content-Type: application/json" -d '{"Image":"nginx"}' "http://localhost/v1.41/containers/create?name=byhand""#,
    );
    assert!(out.stdout.contains("\"Id\""), "{}", out.stdout);
    let ps = ok(&mut s, "docker ps -a");
    assert!(ps.stdout.contains("byhand"), "{}", ps.stdout);
    // A missing object: curl still exits 0, with the daemon's message.
    let out = ok(&mut s, "curl --unix-socket /var/run/docker.sock localhost/containers/nope/json");
    assert!(out.stdout.contains("No such container: nope"), "{}", out.stdout);
    // Another socket: nothing listens there.
    let out = s.run("curl --unix-socket /tmp/other.sock http://localhost/version");
    assert_eq!(out.exit_code, 7);
}

/// Finding 5: `curl localhost:8080` reaches the container through the
/// host's published port and Docker's port forwarding, with no API
/// request to the daemon; the note says so (not "the daemon forwards").
#[test]
fn curl_to_a_published_port_is_no_request_to_the_daemon() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d -p 8080:80 --name site nginx");
    let out = ok(&mut s, "curl localhost:8080");
    assert!(out.exchanges.is_empty(), "{:?}", out.exchanges);
    let text = note(&out);
    assert!(!text.contains("the daemon forwards"), "{text}");
    assert!(text.contains("docker-proxy"), "{text}");
    assert!(text.contains("No API request went to the daemon"), "{text}");
}

/// The eighth walk's finding 5: a run whose host port is taken fails at its
/// start, after the create: the container stays (Created) and keeps its
/// name. The note says so and the suggestion frees the name first, so the
/// natural retry on another port does not meet a name conflict.
#[test]
fn a_taken_port_leaves_the_named_container_created_and_says_so() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web2 -p 8080:80 nginx");
    let out = s.run("docker run -d --name web3 -p 8080:80 nginx");
    assert_eq!(out.exit_code, 125);
    assert!(out.stderr.contains("port is already allocated"), "{}", out.stderr);
    let text = note(&out);
    assert!(text.contains("web3 was created all the same"), "{text}");
    assert_eq!(suggestion(&out), "docker rm web3");
    ok(&mut s, suggestion(&out).to_string().as_str());
    ok(&mut s, "docker run -d --name web3 -p 8081:80 nginx");
    // A name conflict is not a start failure: no such note.
    let out = s.run("docker run -d --name web3 -p 8082:80 nginx");
    assert!(!note(&out).contains("created all the same"), "{}", note(&out));
}
