//! The simulated busybox shell: the language (substitution, loops, traps,
//! arithmetic, redirections) and how `docker stop` meets a shell as PID 1.
//!
//! What a script prints and exits with is checked against real busybox in
//! the workspace's `tests/shell_scenarios.rs`; these are what that file
//! does not check (the simulated clock, the engine's state, exact timings).

mod common;

use common::call;
use dockhand_engine::Engine;
use serde_json::{Value, json};

/// Starts `sh -c script` in a busybox container; returns the engine and id.
fn start(script: &str) -> (Engine, String) {
    let engine = Engine::new();
    let (status, _) = call(&engine, "POST", "/v1.41/images/create?fromImage=busybox&tag=latest", Value::Null);
    assert_eq!(status, 200);
    let (status, created) = call(
        &engine,
        "POST",
        "/v1.41/containers/create?name=sh",
        json!({"Image": "busybox", "Cmd": ["sh", "-c", script], "Hostname": "box"}),
    );
    assert_eq!(status, 201, "{created}");
    let id = created["Id"].as_str().unwrap().to_string();
    let (status, body) = call(&engine, "POST", &format!("/v1.41/containers/{id}/start"), Value::Null);
    assert_eq!(status, 204, "{body}");
    (engine, id)
}

fn logs(engine: &Engine, id: &str, stream: u8) -> String {
    engine.with_state(|st| {
        st.containers.get(id).unwrap().logs.iter().filter(|l| l.stream == stream).map(|l| l.text.clone()).collect()
    })
}

fn status(engine: &Engine, id: &str) -> (String, i64) {
    engine.with_state(|st| {
        let c = st.containers.get(id).unwrap();
        (c.status.as_str().to_string(), c.exit_code)
    })
}

/// Runs `script` to its end (at most `secs` simulated seconds): stdout,
/// stderr, exit code.
fn run(script: &str) -> (String, String, i64) {
    let (engine, id) = start(script);
    for _ in 0..600 {
        if status(&engine, &id).0 != "running" {
            break;
        }
        engine.advance(1000);
    }
    let (s, code) = status(&engine, &id);
    assert_eq!(s, "exited", "still {s}: {}", logs(&engine, &id, 1));
    (logs(&engine, &id, 1), logs(&engine, &id, 2), code)
}

fn out(script: &str) -> String {
    let (o, e, _) = run(script);
    assert_eq!(e, "", "stderr of {script:?}");
    o
}

#[test]
fn command_substitutions_nest() {
    assert_eq!(out("echo $(echo $(echo nested))"), "nested\n");
}

#[test]
fn a_nested_shells_exit_status_is_the_scripts() {
    let (_, _, code) = run("sh -c 'exit 4'; exit $?");
    assert_eq!(code, 4);
}

#[test]
fn a_loop_survives_sleeps_with_its_variables() {
    let (engine, id) = start("i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo tick $i; sleep 1; done; echo done $i");
    assert_eq!(logs(&engine, &id, 1), "tick 1\n");
    engine.advance(1000);
    assert_eq!(logs(&engine, &id, 1), "tick 1\ntick 2\n");
    engine.advance(5000);
    assert_eq!(logs(&engine, &id, 1), "tick 1\ntick 2\ntick 3\ndone 3\n");
    assert_eq!(status(&engine, &id), ("exited".into(), 0));
}

#[test]
fn arithmetic_parameters_and_redirections() {
    assert_eq!(out("echo $((2 + 3 * 4)) $(( (2+3)*4 )) $((7 / 2)) $((7 % 3)) $((1 < 2))"), "14 20 3 1 1\n");
    let (_, err, code) = run("echo $((1 / 0))");
    assert!(err.contains("divide by zero"), "{err}");
    assert_ne!(code, 0);
    assert_eq!(out("echo ${UNSET:-default} ${#HOSTNAME} ${HOSTNAME:+set}"), "default 3 set\n");
    assert_eq!(out("f=/a/b.txt; echo ${f##*/} ${f%.txt}"), "b.txt /a/b\n");
    assert_eq!(out("echo one > /f; echo two >> /f; cat /f; cat < /f | wc -l"), "one\ntwo\n2\n");
}

#[test]
fn an_unfinished_loop_is_a_syntax_error() {
    let (o, e, code) = run("echo a\nwhile true; do echo b");
    assert_eq!((o.as_str(), code), ("a\n", 2));
    assert!(e.contains("unexpected end of file"), "{e}");
}

#[test]
fn busy_loops_yield_to_simulated_time() {
    let (engine, id) = start("while true; do :; done");
    assert_eq!(status(&engine, &id).0, "running");
    engine.advance(3000);
    assert_eq!(status(&engine, &id).0, "running");
    // Without a TERM trap the shell ignores SIGTERM and is killed.
    let before = engine.now_ms();
    let (s, _) = call(&engine, "POST", &format!("/v1.41/containers/{id}/stop?t=2"), Value::Null);
    assert_eq!(s, 204);
    assert_eq!(status(&engine, &id), ("exited".into(), 137));
    assert!(engine.now_ms() - before >= 2000);
}

#[test]
fn docker_stop_runs_a_term_trap() {
    let (engine, id) = start("trap \"echo bye; exit 0\" TERM; while true; do sleep 1; done");
    engine.advance(2500);
    let before = engine.now_ms();
    let (s, _) = call(&engine, "POST", &format!("/v1.41/containers/{id}/stop"), Value::Null);
    assert_eq!(s, 204);
    assert_eq!(status(&engine, &id), ("exited".into(), 0));
    assert_eq!(logs(&engine, &id, 1), "bye\n");
    assert!(engine.now_ms() - before <= 1000, "the trap runs when the current sleep ends");

    // Untrapped: ignored by PID 1, killed after the timeout.
    let (engine, id) = start("while true; do sleep 1; done");
    let before = engine.now_ms();
    call(&engine, "POST", &format!("/v1.41/containers/{id}/stop?t=3"), Value::Null);
    assert_eq!(status(&engine, &id), ("exited".into(), 137));
    assert_eq!(engine.now_ms() - before, 3000);

    // A trap that does not exit: the loop goes on until the kill.
    let (engine, id) = start("trap 'echo got TERM' TERM; while true; do sleep 1; done");
    call(&engine, "POST", &format!("/v1.41/containers/{id}/stop?t=2"), Value::Null);
    assert_eq!(status(&engine, &id), ("exited".into(), 137));
    assert_eq!(logs(&engine, &id, 1), "got TERM\n");

    // docker kill -s TERM queues the handler without waiting.
    let (engine, id) = start("trap 'echo term; exit 3' TERM; sleep 5; echo late");
    let (s, _) = call(&engine, "POST", &format!("/v1.41/containers/{id}/kill?signal=TERM"), Value::Null);
    assert_eq!(s, 204);
    assert_eq!(status(&engine, &id).0, "running");
    engine.advance(5000);
    assert_eq!(status(&engine, &id), ("exited".into(), 3));
    assert_eq!(logs(&engine, &id, 1), "term\n");
}

#[test]
fn exec_processes_keep_their_variables_across_sleeps() {
    let (engine, id) = start("sleep 100");
    let (s, created) = call(
        &engine,
        "POST",
        &format!("/v1.41/containers/{id}/exec"),
        json!({"Cmd": ["sh", "-c", "a=1; sleep 1; echo a=$a pid=$$"], "Env": ["B=2"], "AttachStdout": true}),
    );
    assert_eq!(s, 201);
    let eid = created["Id"].as_str().unwrap().to_string();
    let (s, _) = call(&engine, "POST", &format!("/v1.41/exec/{eid}/start"), json!({"Detach": true}));
    assert_eq!(s, 200);
    engine.advance(2000);
    let (text, pid) = engine.with_state(|st| {
        let e = &st.execs[&eid];
        (e.output.iter().map(|o| o.text.clone()).collect::<String>(), e.exit_code)
    });
    assert!(text.starts_with("a=1 pid="), "{text}");
    assert!(!text.contains("pid=1\n"), "{text}");
    assert_eq!(pid, Some(0));
}

#[test]
fn an_interactive_shell_returns_to_its_prompt_after_a_sleep() {
    let engine = Engine::new();
    call(&engine, "POST", "/v1.41/images/create?fromImage=busybox&tag=latest", Value::Null);
    let (_, created) = call(
        &engine,
        "POST",
        "/v1.41/containers/create",
        json!({"Image": "busybox", "Cmd": ["sh"], "OpenStdin": true, "Tty": true}),
    );
    let id = created["Id"].as_str().unwrap().to_string();
    call(&engine, "POST", &format!("/v1.41/containers/{id}/start"), Value::Null);
    let target = dockhand_engine::StdinTarget { container: id.clone(), exec: None };
    engine.write_stdin(&target, b"sleep 2; echo woke\n");
    assert_eq!(status(&engine, &id).0, "running");
    engine.advance(2500);
    assert_eq!(status(&engine, &id).0, "running", "back at the prompt, not exited");
    engine.write_stdin(&target, b"echo again\n");
    let out = logs(&engine, &id, 1);
    assert!(out.ends_with("woke\n/ # echo again\nagain\n/ # "), "{out:?}");
}

#[test]
fn here_strings_and_unterminated_here_documents() {
    // `<<<`: the word and a newline (ash's bash-compatible here-string).
    assert_eq!(out("x=a; cat <<< \"word $x\""), "word a\n");
    // A body without its delimiter line ends at the end of the script.
    assert_eq!(out("cat <<EOF\nno end $((1+1))"), "no end 2\n");
    // Two on one line take their bodies in order.
    assert_eq!(out("cat <<A; cat <<B\none\nA\ntwo\nB\necho three"), "one\ntwo\nthree\n");
    // A missing delimiter word is a syntax error, not a panic.
    let (_, err, code) = run("cat <<");
    assert_eq!((err.as_str(), code), ("sh: syntax error: unexpected newline\n", 2));
}

#[test]
fn grep_backtracking_stays_polynomial() {
    // Twelve stars over a long line that never matches: a plain
    // backtracking matcher takes exponential time (the browser tab would
    // hang); the memo of failed positions makes it pattern × line.
    let line = "a".repeat(400);
    let (engine, id) = start(&format!(
        "echo {line} | grep -c 'a*a*a*a*a*a*a*a*a*a*a*a*b'; echo {line}b | grep -c 'a*a*a*a*a*a*a*a*a*a*a*a*b'"
    ));
    assert_eq!(logs(&engine, &id, 1), "0\n1\n");
    assert_eq!(status(&engine, &id), ("exited".to_string(), 0));
}
