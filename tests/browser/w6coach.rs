//! The checks of the fifth newcomer walk's findings on the terminal's
//! words and the swarm's count (issue 19, walk 5: findings 1, 4 and 12).
//! Screenshots: `target/screenshots/w6coach-*.png`.

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("w6coach-{name}.png")));
}

/// The text of the terminal's last entry (the last command and its notes).
fn last_entry(d: &Driver) -> String {
    d.text("return document.querySelector('#out .entry:last-child').textContent")
}

/// Finding 4: a pull before a run whose container exits 3 is drawn as
/// progress, not red; finding 1: the "forgot -d" note's redo keeps the
/// command.
fn a_pull_before_a_failing_run_is_not_red(d: &Driver) {
    play(d, "proc-4", &["docker run --name fail busybox sh -c 'exit 3'"]);
    let red = d.js("return [...document.querySelectorAll('#out .entry:last-child pre.stderr')] \
         .filter((p) => !p.classList.contains('ok')).map((p) => p.textContent)");
    assert_eq!(red, json!([]), "red lines after a pull and exit 3");
    let pulled = d.js(
        "return [...document.querySelectorAll('#out .entry:last-child pre.stderr.ok')].some((p) => p.textContent.includes('Pull complete'))",
    );
    assert_eq!(pulled, json!(true), "the pull's lines are not shown as progress: {}", last_entry(d));
    shot(d, "pull-then-exit-3");
    run(d, "docker run --name sleeper busybox sleep 3600");
    let said = last_entry(d);
    assert!(said.contains("docker run -d --name sleeper busybox sleep 3600"), "the redo lost the command: {said}");
}

/// Finding 12: scaled to 5, the replicas the count calls running are drawn
/// filled from the first frame: no animation of theirs shows the dashed
/// ring the key calls starting.
fn scaled_replicas_are_drawn_running(d: &Driver) {
    d.js("localStorage.setItem('dockhand.playground.welcomed', '1'); location.hash = '#sandbox'; location.reload()");
    d.wait_for(
        "the sandbox",
        "return document.documentElement.dataset.ready === '1' && document.getElementById('sandbox').getAttribute('aria-pressed') === 'true'",
        Duration::from_secs(20),
    );
    d.resize(1440, 900);
    d.click("#tab-arch");
    run(d, "docker swarm init");
    run(d, "docker service create --name web --replicas 3 -p 8080:80 nginx");
    run(d, "docker service scale web=5");
    let count = d.text("return document.querySelector('#arch-swarm .svc[data-service=web] .svc-count').textContent");
    assert!(count.starts_with("5 of 5"), "{count}");
    let hollow = d.js(
        "return [...document.querySelectorAll('#arch-swarm .slot.running .slot-dot')].flatMap((e) => e.getAnimations()) \
         .flatMap((a) => a.effect.getKeyframes()).filter((k) => /dashed|transparent/.test(JSON.stringify(k))).length",
    );
    assert_eq!(hollow, json!(0), "a running replica drawn hollow (starting) while the count says it runs");
    let dashed = d.js(
        "return [...document.querySelectorAll('#arch-swarm .slot.running .slot-dot')].filter((e) => getComputedStyle(e).borderTopStyle !== 'solid').length",
    );
    assert_eq!(dashed, json!(0), "a running replica's ring is dashed");
    shot(d, "scaled-to-5");
}

/// The walk: each finding on a page of its own.
pub(super) fn w6coach_terminal_words(d: &Driver) {
    a_pull_before_a_failing_run_is_not_red(d);
    scaled_replicas_are_drawn_running(d);
}
