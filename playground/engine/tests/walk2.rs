//! The second newcomer walk's wrong advice (issue 19, /work/walk2 findings
//! 1, 2, 3, 4, 7, 8 and 9): the note and suggestion the terminal answers
//! after each slip. Each test failed before its fix.

mod common;

use common::{note, ok, suggestion};
use dockhand_engine::Session;

/// Finding 4 (proc-3): a detached container whose main process ended at once
/// is not "running in the background".
#[test]
fn run_d_of_a_container_that_exits_at_once_says_it_ended() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run -d --name sleeper busybox");
    let text = note(&out);
    assert!(!text.contains("runs in the background"), "{text}");
    assert!(text.contains("already ended") && text.contains("sleeper"), "{text}");
    assert!(text.contains("no command") && text.contains("TTY"), "{text}");
    let ps = ok(&mut s, "docker ps");
    assert!(!ps.stdout.contains("sleeper"), "{}", ps.stdout);
    // One that keeps running still gets the background note.
    let out = ok(&mut s, "docker run -d --name napper busybox sleep 3600");
    assert!(note(&out).contains("runs in the background"), "{}", note(&out));
}

/// Finding 1 (flow-1): `docker build app` with the Dockerfile in `.` points at
/// the context and never at overwriting the project's Dockerfile.
#[test]
fn build_of_a_wrong_context_points_at_dot_not_at_a_new_dockerfile() {
    let mut s = Session::new();
    s.write_file("Dockerfile", "FROM busybox\nCMD [\"echo\", \"hi\"]\n");
    let out = s.run("docker build app");
    assert_ne!(out.exit_code, 0);
    let text = note(&out);
    assert!(text.contains("current directory") && text.contains("docker build -t app ."), "{text}");
    assert!(!text.contains("echo") && !suggestion(&out).contains("echo"), "{text}");
    assert_eq!(suggestion(&out), "docker build -t app .");
    ok(&mut s, "docker build -t app .");
}

/// Finding 3 (flow-3): `-p 80:8080` for an image that listens on 80 is
/// flagged at run time, and the curls after it keep the level's goal (same
/// name, `-p 8080:80`), never an unrelated nginx run.
#[test]
fn a_reversed_publish_is_flagged_and_the_fix_keeps_the_goal() {
    let mut s = Session::new();
    s.write_file("Dockerfile", "FROM nginx\nCOPY index.html /usr/share/nginx/html/index.html\n");
    s.write_file("index.html", "<h1>My site</h1>\n");
    ok(&mut s, "docker build -t site .");
    let out = ok(&mut s, "docker run -d --name site -p 80:8080 site");
    let fix = "docker run -d --name site -p 8080:80 site";
    assert!(note(&out).contains("HOST:CONTAINER") && note(&out).contains(fix), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker rm -f site");
    let out = s.run("curl localhost:8080");
    assert_ne!(out.exit_code, 0);
    assert!(!suggestion(&out).contains("nginx"), "{}", suggestion(&out));
    assert!(note(&out).contains(fix), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker rm -f site");
    let out = s.run("curl localhost:80");
    assert!(note(&out).contains(fix) && !note(&out).contains("-p 80:80"), "{}", note(&out));
    ok(&mut s, "docker rm -f site");
    let out = ok(&mut s, fix);
    assert!(note(&out).contains("runs in the background"), "{}", note(&out));
    assert!(ok(&mut s, "curl localhost:8080").stdout.contains("My site"));
}

/// Finding 2 (vms-2): a container started without -d runs; the note says
/// how to redo it with -d. It promises nothing about counting: vms-2's goal
/// wants containers started with -d (walk 6 found a note saying "that
/// counts" above a goal that stayed open), other levels do not ask.
#[test]
fn a_run_without_d_says_how_to_redo_it() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run --name web1 nginx");
    let text = note(&out);
    assert!(!text.contains("that counts") && !text.contains("does not count"), "{text}");
    assert!(text.contains("To start it in the background instead"), "{text}");
    assert!(text.contains("docker rm -f web1, then docker run -d --name web1 nginx"), "{text}");
    ok(&mut s, "docker rm -f web1");
    ok(&mut s, "docker run -d --name web1 nginx");
}

/// Finding 8 (flow-5): pushing before tagging says to tag first.
#[test]
fn a_push_before_the_tag_says_to_tag_first() {
    let mut s = Session::new();
    s.write_file("Dockerfile", "FROM busybox\nCMD [\"echo\", \"hi\"]\n");
    ok(&mut s, "docker build -t site .");
    ok(&mut s, "docker login -u learner -p secret");
    let out = s.run("docker push learner/site:1.0");
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("does not exist locally"), "{}", out.stderr);
    assert!(note(&out).contains("tag"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker tag site learner/site:1.0");
    ok(&mut s, "docker tag site learner/site:1.0");
    ok(&mut s, "docker push learner/site:1.0");
}

/// Finding 7: an image name's typo gets "did you mean" from the catalog.
#[test]
fn an_image_typo_gets_did_you_mean() {
    let mut s = Session::new();
    let out = s.run("docker run -d --name web2 ngnix");
    assert_ne!(out.exit_code, 0);
    assert!(note(&out).contains("Did you mean nginx?"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker run -d --name web2 nginx");
    let out = s.run("docker run helloworld");
    assert!(note(&out).contains("Did you mean hello-world?"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker run hello-world");
    ok(&mut s, suggestion(&out).to_string().as_str());
    // A tag is kept; a name far from any is not "corrected".
    let out = s.run("docker run --rm busyboxx:latest true");
    assert_eq!(suggestion(&out), "docker run --rm busybox:latest true");
    let out = s.run("docker run --rm zzzzzz true");
    assert!(!note(&out).contains("Did you mean"), "{}", note(&out));
}

/// Finding 9 (flow-2): the build note counts CACHED steps as the log shows
/// them, and a build where nothing changed says to edit app.py first.
#[test]
fn the_build_note_counts_what_the_log_marks_cached() {
    let mut s = Session::new();
    s.write_file("app.py", "print(\"Hello from my app\")\n");
    s.write_file("Dockerfile", "FROM python:3.13\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n");
    ok(&mut s, "docker build -t app .");
    let out = ok(&mut s, "docker build -t app:v2 .");
    let marked = out.stderr.matches("CACHED [").count();
    assert_eq!(marked, 2, "{}", out.stderr);
    let text = note(&out);
    assert!(!text.contains("Each instruction made a layer"), "{text}");
    // Counted as the Images view counts them (walk3 finding 5): CMD too.
    assert!(text.starts_with("All 3 steps after FROM") && text.contains("edit app.py"), "{text}");
    s.write_file("app.py", "print(\"Hello again\")\n");
    let out = ok(&mut s, "docker build -t app:v2 .");
    assert_eq!(out.stderr.matches("CACHED [").count(), 1, "{}", out.stderr);
    assert!(note(&out).starts_with("1 of the 3 steps"), "{}", note(&out));
}
