//! The checks of the seventh newcomer walk's findings on the terminal's
//! notes (issue 19, walk 7: findings 1 and 13), in the levels where the
//! learner met them. Screenshots: `target/screenshots/w8coach-*.png`.

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("w8coach-{name}.png")));
}

/// The text of the terminal's last entry (the last command and its notes).
fn last_entry(d: &Driver) -> String {
    d.text("return document.querySelector('#out .entry:last-child').textContent")
}

/// Finding 13 (arch-2): `curl --unix-socket` gets the daemon's JSON, and
/// the wire view lists the request it sent.
fn curl_over_the_socket_answers_in_json(d: &Driver) {
    play(d, "arch-2", &["curl --unix-socket /var/run/docker.sock http://localhost/containers/json"]);
    let said = last_entry(d);
    assert!(!said.contains("URL rejected"), "{said}");
    assert!(said.contains("[]"), "{said}");
    assert!(said.contains("curl spoke the Engine API by hand"), "{said}");
    d.click("#tab-wire");
    let list = d.text("return document.getElementById('wire-list').innerText");
    assert!(list.contains("/containers/json"), "the wire view: {list}");
    shot(d, "curl-socket");
}

/// Finding 1 (flow-6): the remote run without the tag pushed suggests the
/// tag the registry holds, not an unrelated image.
fn a_run_without_the_pushed_tag_suggests_it(d: &Driver) {
    play(d, "flow-6", &["docker -H remote run -d -p 8080:80 learner/site"]);
    let said = last_entry(d);
    assert!(said.contains("Try: docker -H remote run -d -p 8080:80 learner/site:1.0"), "{said}");
    assert!(!said.contains("nginx:latest"), "{said}");
    shot(d, "run-tag");
}

/// The walk: each finding on a page of its own.
pub(super) fn w8coach_terminal_notes(d: &Driver) {
    curl_over_the_socket_answers_in_json(d);
    a_run_without_the_pushed_tag_suggests_it(d);
}
