//! Issue 19, the swarm in the pictures (the second walk's finding 5: the
//! swarm appeared in no picture). In the sandbox: `docker swarm init`, a
//! service of 3 replicas publishing port 80, scaled to 5, removed, and the
//! swarm left. The Architecture view draws the manager, the service box
//! with its task slots and the port on the routing mesh, and keeps the task
//! containers out of the loose containers' count; the VMs view groups them
//! by service and the Processes view names them by service and slot.
//! Screenshots: `target/screenshots/swarm-*.png`.

use super::*;

/// The text of the elements under the swarm box whose text is cut (wider
/// than their box, or spilling out of the box).
const CLIPPED: &str = "const box = document.getElementById('arch-swarm').getBoundingClientRect(); \
    return [...document.querySelectorAll('#arch-swarm *')].filter((e) => e.getClientRects().length && \
    [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())).filter((e) => { \
    const r = e.getBoundingClientRect(); \
    return e.scrollWidth > e.clientWidth + 1 || r.left < box.left - 1 || r.right > box.right + 1 || r.right > innerWidth; \
    }).map((e) => e.textContent)";

fn slots(d: &Driver, class: &str) -> u64 {
    d.js(&format!(
        "return document.querySelectorAll('#arch-swarm .svc[data-service=web]:not(.leaving) .slot.{class}').length"
    ))
    .as_u64()
    .unwrap()
}

fn readable(d: &Driver, when: &str) {
    assert_eq!(small_text(d, "#arch-swarm"), json!([]), "swarm text under 13 px ({when})");
    assert_eq!(d.js(CLIPPED), json!([]), "clipped swarm labels ({when})");
}

/// Shows the Architecture view (on a phone: its pane).
fn architecture(d: &Driver) {
    if d.js("return getComputedStyle(document.getElementById('panes')).display !== 'none'") == json!(true) {
        d.click("#panes button[data-pane=views]");
    }
    d.click("#tab-arch");
}

/// The walk, in the sandbox the main test has reached (any window size).
pub(crate) fn walk_swarm(d: &Driver, shots: &Path) {
    d.resize(1440, 900);
    std::thread::sleep(Duration::from_millis(200));
    terminal(d);
    architecture(d);
    assert_eq!(d.js("return document.getElementById('arch-swarm').hidden"), json!(true), "a swarm box before init");

    run(d, "docker swarm init");
    assert_eq!(d.js("return document.getElementById('arch-swarm').hidden"), json!(false), "no swarm box after init");
    let text = d.text("return document.getElementById('arch-swarm').textContent");
    assert!(text.contains("manager") && text.contains("No service yet"), "the swarm box after init: {text}");
    assert_eq!(d.text("return document.querySelector('#arch .node-daemon .node-sub').textContent"), "swarm manager");

    run(d, "docker service create --name web --replicas 3 -p 80:80 nginx");
    assert_eq!(slots(d, "running"), 3, "3 filled slots");
    let svc = d.text("return document.querySelector('#arch-swarm .svc[data-service=web]').textContent");
    assert!(svc.contains("3 of 3 replicas running") && svc.contains(":80"), "the service box: {svc}");
    let mesh = d.text("return document.querySelector('#arch-swarm .svc[data-service=web] .mesh').textContent");
    assert!(mesh.contains("port 80 on any node reaches any replica"), "the routing mesh: {mesh}");
    // The task containers are the service's, not loose among the containers.
    let own = d.text("return document.querySelector('#arch .node-containers .node-sub').textContent");
    assert!(own.ends_with(" running (3 replicas)"), "the containers box: {own}");
    run(d, "curl -s localhost:80");
    let out = d.text("return document.querySelector('#out .entry:last-child').textContent");
    assert!(out.contains("Welcome to nginx"), "the routing mesh answered: {out}");
    readable(d, "desktop, 3 replicas");
    d.screenshot(&shots.join("swarm-desktop-3.png"));

    run(d, "docker service scale web=5");
    assert_eq!(slots(d, "running"), 5, "5 filled slots after scale");
    assert_eq!(slots(d, "fresh"), 2, "the two new slots do not fill in front of the learner");
    std::thread::sleep(Duration::from_millis(250));
    d.screenshot(&shots.join("swarm-desktop-scaling.png"));
    std::thread::sleep(Duration::from_millis(1500));
    readable(d, "desktop, 5 replicas");
    // Beside the diagram, the whole swarm is in view: no inner scrolling.
    let fits = d.js("const s = document.getElementById('arch-swarm'); return [s.scrollHeight <= s.clientHeight + 1, s.getBoundingClientRect().bottom <= document.getElementById('view-arch').getBoundingClientRect().bottom + 1]");
    assert_eq!(fits, json!([true, true]), "the swarm box is cut at 1440x900");
    d.screenshot(&shots.join("swarm-desktop-5.png"));

    // The VMs view groups the tasks under their service.
    d.click("#tab-vms");
    let vms =
        d.text("return document.getElementById('vms').textContent + document.getElementById('vm-live').textContent");
    assert!(vms.contains("web: 4 replicas") || vms.contains("web: 5 replicas"), "the VMs view: {vms}");
    assert!(!vms.contains("web.1.") && !vms.contains("web.5."), "raw task names in the VMs view: {vms}");
    d.screenshot(&shots.join("swarm-desktop-vms.png"));
    // The Processes view names a task container by service and slot.
    d.click("#tab-procs");
    let picks = d.js("return [...document.querySelectorAll('#pl-pick option')].map((o) => o.textContent)");
    assert!(picks.as_array().unwrap().iter().any(|o| o == "web.3 (service web, replica 3)"), "the picker: {picks}");
    let hosts = d.js("return [...document.querySelectorAll('#pl tbody tr td:nth-child(3)')].map((c) => c.textContent)");
    assert!(hosts.as_array().unwrap().iter().any(|c| c == "web.5"), "the host table's containers: {hosts}");
    d.screenshot(&shots.join("swarm-desktop-procs.png"));
    d.click("#tab-arch");

    // A phone: the same picture, full width, readable.
    d.resize(390, 844);
    std::thread::sleep(Duration::from_millis(300));
    architecture(d);
    d.js("document.getElementById('arch-swarm').scrollIntoView()");
    assert_eq!(slots(d, "running"), 5);
    readable(d, "390x844");
    d.screenshot(&shots.join("swarm-mobile.png"));

    // `service rm` empties the slots, then the box goes.
    terminal(d);
    run(d, "docker service rm web");
    architecture(d);
    assert_eq!(d.js("return document.querySelectorAll('#arch-swarm .svc.leaving .slot.leaving').length"), json!(5));
    d.wait_for(
        "the removed service's box to go",
        "return !document.querySelector('#arch-swarm .svc')",
        Duration::from_secs(5),
    );
    terminal(d);
    run(d, "docker swarm leave --force");
    architecture(d);
    assert_eq!(d.js("return document.getElementById('arch-swarm').hidden"), json!(true), "the swarm box after leave");
    assert_eq!(d.text("return document.querySelector('#arch .node-daemon .node-sub').textContent"), "the daemon");
    d.screenshot(&shots.join("swarm-mobile-left.png"));
    terminal(d);
}
