//! The second newcomer walk's wrong advice (issue 19, /work/walk2 findings
//! 1, 2, 3, 4, 7, 8 and 9): the note and suggestion the terminal answers
//! after each slip. Each test failed before its fix.

use dockhand_engine::{Outcome, Session};

fn ok(s: &mut Session, line: &str) -> Outcome {
    let out = s.run(line);
    assert_eq!(out.exit_code, 0, "{line}: {}\n{}", out.stdout, out.stderr);
    out
}

fn note(o: &Outcome) -> &str {
    o.explanation.as_deref().unwrap_or("")
}

fn suggestion(o: &Outcome) -> &str {
    o.suggestion.as_deref().unwrap_or("")
}

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
