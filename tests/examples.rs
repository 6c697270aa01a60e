//! The examples run as a user would run them, and say what they promise.
//!
//! `cargo test` and `cargo nextest run` build every example next to the test
//! binaries (`target/<profile>/examples/`); these tests run those binaries
//! (building one with cargo only when it is missing) and check their output.
//! The tour runs twice: against the daemon the environment names, and with
//! `DOCKER_HOST` pointing nowhere, where it must fall back to the simulated
//! engine. The other examples need a daemon and the test image.
//!
//! Run alone (`cargo test --test examples`), cargo does not rebuild the
//! examples: build them first (`cargo build --examples`) or run the whole
//! suite, which does.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The built example `name`, next to this test binary.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    // target/<profile>/deps/examples-<hash> -> target/<profile>/examples/<name>
    let dir = exe.parent().and_then(|deps| deps.parent()).expect("target dir").join("examples");
    let path = dir.join(name);
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", "dockhand-workspace", "--example", name])
            .status()
            .expect("running cargo build");
        assert!(status.success(), "cargo build --example {name} failed");
    }
    path
}

/// Runs an example with `args`, optional stdin and extra environment; returns
/// its stdout and stderr together, after checking that it exited with 0.
fn run(name: &str, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(example(name));
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("starting example {name}: {e}"));
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("writing stdin");
        }
    }
    let out = child.wait_with_output().expect("waiting for the example");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "example {name} {args:?} failed ({}):\n{text}", out.status);
    text
}

fn assert_has(text: &str, wanted: &str) {
    assert!(text.contains(wanted), "expected {wanted:?} in the output:\n{text}");
}

#[test]
fn tour_falls_back_to_the_simulated_engine_without_a_daemon() {
    let nowhere = format!("unix:///tmp/dockhand-no-daemon-{}.sock", std::process::id());
    let out = run("tour", &[], None, &[("DOCKER_HOST", &nowhere), ("DOCKER_CONTEXT", "")]);
    assert_has(&out, "No Docker daemon answered");
    assert_has(&out, "Touring the simulated engine instead");
    assert_has(&out, "API version in use: 1.");
    assert_has(&out, "started  (Done); starting again says Unchanged");
    assert_has(&out, "exited   with code 3");
    // The engine's shell expanded $(hostname) to the container's short id.
    let created = out.lines().find_map(|l| l.trim().strip_prefix("created  ")).expect("a created line");
    let short = created.split_whitespace().next().unwrap();
    assert_has(&out, &format!("Stdout   hello from {short}"));
    assert_has(&out, "Stderr   to stderr");
    assert_has(&out, "inspect after removal: No such container");
}

#[tokio::test]
async fn tour_runs_a_container_on_the_daemon() {
    let Some(docker) = common::daemon().await else { return };
    common::busybox_image(&docker).await;
    let out = run("tour", &[], None, &[]);
    assert!(!out.contains("simulated engine"), "the tour did not use the daemon:\n{out}");
    assert_has(&out, "Server: Docker Engine");
    assert_has(&out, "exited   with code 3");
    // The shell expanded $(hostname): the container's hostname is its short id.
    let created = out.lines().find_map(|l| l.trim().strip_prefix("created  ")).expect("a created line");
    let short = created.split_whitespace().next().unwrap();
    assert_has(&out, &format!("Stdout   hello from {short}"));
    assert_has(&out, "inspect after removal: No such container");
}

#[test]
fn test_double_drives_the_engine_in_process() {
    let out = run("test_double", &[], None, &[]);
    assert_has(&out, "summary: 1 running, 1 stopped, 2 images (1 volumes)");
    assert_has(&out, "containers: [\"job\", \"web\"]");
}

#[tokio::test]
async fn container_examples_run_against_the_daemon() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;

    let out = run("lifecycle", &[image], None, &[]);
    assert_has(&out, "second create refused as expected: Conflict.");
    assert_has(&out, "start again: Unchanged");
    assert_has(&out, "remove while running refused");
    assert_has(&out, "inspect after remove: No such container");

    let out = run("logs_follow", &[image], None, &[]);
    for n in 1..=5 {
        assert_has(&out, &format!("stdout | tick {n}"));
    }
    assert_has(&out, "stderr | finished");
    assert_has(&out, "run failed with code 3");

    let out = run("copy_files", &[image], None, &[]);
    assert_has(&out, "identical: true");

    let out = run("interactive_exec", &[image], Some("echo hi there; exit 3\n"), &[]);
    assert_has(&out, "hi there");
    assert_has(&out, "shell exited with Some(3)");

    let out = run("two_containers", &[image], None, &[]);
    assert_has(&out, "<h1>hello from a volume</h1>");
    assert_has(&out, "cleaned up");

    let out = run("connect", &[], None, &[]);
    assert_has(&out, "reached: Docker");
}

#[tokio::test]
async fn image_examples_run_against_the_daemon() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let dir = tempfile::tempdir().expect("tempdir");

    let tar = dir.path().join("saved.tar");
    let out = run("save_load", &[image, tar.to_str().unwrap()], None, &[]);
    assert!(std::fs::metadata(&tar).map(|m| m.len()).unwrap_or(0) > 1_000_000, "no saved tar:\n{out}");
    assert_has(&out, &format!("saved {image} to "));
    assert_has(&out, "loaded ");

    let context = dir.path().join("context");
    std::fs::create_dir(&context).unwrap();
    std::fs::write(context.join("Dockerfile"), format!("FROM {image}\nCOPY hello.txt /\nRUN cat /hello.txt\n"))
        .unwrap();
    std::fs::write(context.join("hello.txt"), "built by the example\n").unwrap();
    let tag = format!("{}:1", common::unique("example-build"));
    let out = run("build_progress", &[context.to_str().unwrap(), &tag], None, &[]);
    assert_has(&out, &format!("built {tag}: sha256:"));
    let built = docker.images().get(tag.as_str()).inspect().await.expect("the built image");
    assert!(!built.id.is_empty());
    docker.images().get(tag.as_str()).remove().await.expect("removing the built image");
}
