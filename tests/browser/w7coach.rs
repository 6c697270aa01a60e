//! The checks of the sixth newcomer walk's findings on the terminal's notes
//! (issue 19, walk 6: findings 3, 4, 12 and 14), in the levels where the
//! learner met them. Screenshots: `target/screenshots/w7coach-*.png`.

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("w7coach-{name}.png")));
}

/// The text of the terminal's last entry (the last command and its notes).
fn last_entry(d: &Driver) -> String {
    d.text("return document.querySelector('#out .entry:last-child').textContent")
}

/// Finding 3 (flow-5): a push without the tag made says which tag exists,
/// and its Try line finishes the level.
fn a_push_without_the_tag_suggests_it(d: &Driver) {
    play(
        d,
        "flow-5",
        &["docker login -u learner -p secret", "docker tag site learner/site:1.0", "docker push learner/site"],
    );
    let said = last_entry(d);
    assert!(said.contains("An image does not exist locally with the tag: learner/site"), "{said}");
    assert!(said.contains("learner/site exists here only as :1.0"), "{said}");
    assert!(said.contains("Try: docker push learner/site:1.0"), "{said}");
    shot(d, "push-latest");
    run(d, "docker push learner/site:1.0");
    wait_card(d);
}

/// Finding 4 (flow-6): a run without -H remote says it ran on your own
/// daemon, and the line it gives finishes the level.
fn a_run_on_the_local_daemon_says_so(d: &Driver) {
    play(d, "flow-6", &["docker run -d --name site -p 80:80 learner/site:1.0"]);
    let said = last_entry(d);
    assert!(said.contains("This ran on your own daemon (no -H): the level deploys to the remote one"), "{said}");
    assert!(said.contains("Try: docker -H remote run -d --name site -p 80:80 learner/site:1.0"), "{said}");
    shot(d, "ran-locally");
    run(d, "docker -H remote run -d --name site -p 80:80 learner/site:1.0");
    wait_card(d);
}

/// Finding 12 (vms-2): a name the daemon refuses (`--name a`) is a name
/// typo: it does not count against par.
fn an_invalid_name_does_not_count(d: &Driver) {
    play(
        d,
        "vms-2",
        &[
            "docker run -d --name a nginx",
            "docker run -d --name web1 nginx",
            "docker run -d --name web2 nginx",
            "docker run -d --name web3 nginx",
        ],
    );
    wait_card(d);
    let score = d.text("return document.getElementById('done-dlg-score').textContent");
    assert!(score.contains("3 commands;") && score.contains("par is 3"), "--name a counted: {score}");
    shot(d, "invalid-name-par");
}

/// Finding 14 (flow-7): prune without -f asks, and with no answer removes
/// nothing; the note says to add -f.
fn prune_without_force_asks(d: &Driver) {
    play(d, "flow-7", &["docker stop web cache", "docker container prune"]);
    let said = last_entry(d);
    assert!(said.contains("Are you sure you want to continue? [y/N]"), "{said}");
    assert!(said.contains("Try: docker container prune -f"), "{said}");
    assert!(!said.contains("Deleted Containers"), "{said}");
    shot(d, "prune-asks");
    run(d, "docker ps -a");
    run(d, "docker container prune -f");
    wait_card(d);
}

/// The walk: each finding on a page of its own.
pub(super) fn w7coach_terminal_notes(d: &Driver) {
    a_push_without_the_tag_suggests_it(d);
    a_run_on_the_local_daemon_says_so(d);
    an_invalid_name_does_not_count(d);
    prune_without_force_asks(d);
}
