//! The checks of the newcomer walk's findings (issue 19's last walk): each
//! is called from the main test next to the checks of the same area, on
//! the one page load, and saves a screenshot of what it checks under
//! `target/screenshots/learnfix-*.png`.

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("learnfix-{name}.png")));
}

/// Whether the rectangles of two elements (CSS selectors) overlap.
const OVERLAP: &str = "const r = (s) => document.querySelector(s).getBoundingClientRect(); const a = r(SEL_A), b = r(SEL_B); return a.width > 0 && b.width > 0 && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom";

fn overlap(d: &Driver, a: &str, b: &str) -> bool {
    d.js(&OVERLAP.replace("SEL_A", &json!(a).to_string()).replace("SEL_B", &json!(b).to_string())) == json!(true)
}

/// Finding 2: before the first command the VMs view shows the host, its
/// kernel, and the two empty lanes the first run fills, not a blank panel.
pub(super) fn learnfix_vms_first_screen(d: &Driver) {
    let text = d.text("return document.getElementById('vms').textContent");
    assert!(text.contains("kernel") && text.contains("docker run hello-world"), "VMs view before a run: {text}");
    assert_eq!(d.js("return document.querySelectorAll('#vms .mem-row').length"), json!(2), "no memory stacks: {text}");
    assert_eq!(d.js("return document.querySelectorAll('#vms .wait-row').length"), json!(2), "no lanes: {text}");
    shot(d, "vms-first-screen");
}

/// Finding 1: the completion card leaves the picture (and the terminal) in
/// view: it is not modal and covers neither.
pub(super) fn learnfix_completion_card(d: &Driver) {
    assert_eq!(d.js("return document.getElementById('done-dlg').matches(':modal')"), json!(false), "a modal dialog");
    assert!(!overlap(d, "#done-dlg", "main > .views"), "the completion card covers the picture");
    assert!(!overlap(d, "#done-dlg", "main > .term"), "the completion card covers the terminal");
    let hit = d.js("const r = document.querySelector('main > .views').getBoundingClientRect(); const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return Boolean(e && e.closest('main > .views'))");
    assert_eq!(hit, json!(true), "the picture cannot be seen or used while the card shows");
    // The card does not take the terminal's focus; Enter on the empty
    // prompt is its Next (checked in learnfix_par_typos).
    assert_eq!(d.js("return document.activeElement.id"), json!("cmd"), "the card took the focus");
    shot(d, "complete-desktop");
}

/// Finding 2: hello-world has exited: it holds no memory (nor would its VM).
pub(super) fn learnfix_vms_exited_memory(d: &Driver) {
    assert_eq!(
        d.js("return document.querySelectorAll('#vms .mem.app').length"),
        json!(0),
        "an exited app holds memory"
    );
    let text = d.text("return document.getElementById('vms').textContent");
    assert!(text.contains("exited") && text.contains("no memory"), "{text}");
}

/// Finding 2: the slider's "what if" does not carry over to the next level.
pub(super) fn learnfix_slider_set(d: &Driver) {
    d.js("const n = document.getElementById('vm-n'); n.value = '6'; n.dispatchEvent(new Event('input'))");
    assert_eq!(d.text("return document.getElementById('vm-n-out').textContent"), "6");
}

pub(super) fn learnfix_slider_reset(d: &Driver) {
    let slider =
        d.js("return [document.getElementById('vm-n').value, document.getElementById('vm-n-out').textContent]");
    assert_eq!(slider, json!(["1", "1"]), "the slider kept the last level's value");
}

/// Finding 3: vms-2 teaches -d and --name: three attached, unnamed runs do
/// not complete it.
pub(super) fn learnfix_vms2_attached(d: &Driver) {
    for _ in 0..3 {
        run(d, "docker run nginx");
    }
    assert_eq!(
        d.js("return document.getElementById('app').dataset.complete"),
        json!("0"),
        "attached runs completed vms-2"
    );
    let met = d.js("return [...document.querySelectorAll('#goal li')].map(li => li.classList.contains('met'))");
    assert_eq!(met, json!([false, false]), "vms-2's goal");
    shot(d, "vms2-attached");
}

/// Finding 2: three running containers: three apps in each memory stack.
pub(super) fn learnfix_vms_running(d: &Driver) {
    // vms-2 opens on the layers; the memory bars are in the boot race's picture.
    d.click("#vms button[data-mode=race]");
    let apps =
        d.js("return [...document.querySelectorAll('#vms .mem-bar')].map(b => b.querySelectorAll('.mem.app').length)");
    assert_eq!(apps, json!([6, 6]), "memory of the running apps (three web servers, three attached nginx)");
    std::thread::sleep(Duration::from_millis(300));
    shot(d, "vms-running");
}

/// Finding 6: typos do not count against par, and the card says what counts.
pub(super) fn learnfix_par_typos(d: &Driver) {
    d.js("location.hash = 'level=vms-1'");
    d.answer("level-dlg", "level-go");
    d.wait_for_focus("the terminal after the level dialog");
    run(d, "dcoker run hello-world");
    run(d, "docker rnu hello-world");
    // A curl that runs and finds nothing listening is a move, not a typo.
    run(d, "curl localhost:8080");
    run(d, "docker run hello-world");
    d.wait_for("the completion card", "return document.getElementById('done-dlg').open", Duration::from_secs(5));
    let score = d.text("return document.getElementById('done-dlg-score').textContent");
    assert!(score.contains("2 commands;") && score.contains("par is 1"), "typos counted: {score}");
    let rule = d.text("return document.getElementById('done-dlg-rule').textContent");
    assert!(rule.contains("2 lines") && rule.contains("typo"), "the card does not say what counts: {rule}");
    learnpolish::learnpolish_par_counts_a_failed_curl(d);
    shot(d, "par-typos");
    d.type_into("#cmd", "\u{E007}");
    d.wait_for(
        "Next",
        "return document.getElementById('lesson-title').textContent === 'Many apps, one kernel'",
        Duration::from_secs(5),
    );
    d.answer("level-dlg", "level-go");
}

/// Finding 5: proc-5's success text says only what happened: no red edge
/// is promised when the lifecycle view shows none.
pub(super) fn learnfix_lifecycle_success(d: &Driver) {
    let done = d.text("return document.getElementById('done').textContent");
    let refused = d.js("return document.querySelectorAll('#sm .edge.refused').length").as_u64().unwrap();
    assert!(done.contains("409"), "{done}");
    assert!(!(done.contains("red") && refused == 0), "the text promises a red edge the view does not show: {done}");
    shot(d, "lifecycle-success");
}

/// Finding 7: the terminal shows docker build as Docker 28's CLI does, with
/// BuildKit.
pub(super) fn learnfix_build_output(d: &Driver) {
    let out = d.text("return document.querySelector('#out .entry:last-child').textContent");
    for want in [
        "[+] Building ",
        "FINISHED",
        "=> [internal] load build definition from Dockerfile",
        "=> [1/2] FROM docker.io/library/busybox:latest",
        "=> exporting to image",
        "=> => naming to docker.io/library/mine:latest",
    ] {
        assert!(out.contains(want), "no {want:?} in the build's output: {out}");
    }
    assert!(!out.contains("Step 1/"), "the legacy builder's output: {out}");
    shot(d, "build");
}

/// Finding 4 and the mobile side of 1 and 2, at 390x844 with the Picture
/// pane showing: the lifecycle whole, the request label off the CLI box,
/// no squashed bar text, the completion card under the picture.
pub(super) fn learnfix_mobile(d: &Driver) {
    d.click("#panes button[data-pane=views]");
    d.click("#tab-states");
    let fits = d.js("const s = document.querySelector('#sm svg').getBoundingClientRect(); const box = document.getElementById('sm'); return [s.right <= window.innerWidth, box.scrollWidth <= box.clientWidth + 1]");
    assert_eq!(fits, json!([true, true]), "the lifecycle is clipped on a phone");
    shot(d, "mobile-lifecycle");
    let clash = d.js("const svg = document.querySelector('#sm svg'); const v = svg.viewBox.baseVal; const ts = [...svg.querySelectorAll('.edge-label')]; const ls = ts.map(t => t.getBBox()); const bad = []; ls.forEach((b, i) => { if (b.x < v.x || b.y < v.y || b.x + b.width > v.x + v.width || b.y + b.height > v.y + v.height) bad.push('clipped ' + ts[i].textContent); }); for (let i = 0; i < ls.length; i++) for (let j = i + 1; j < ls.length; j++) { const a = ls[i], b = ls[j]; if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) bad.push(ts[i].textContent + ' on ' + ts[j].textContent); } return bad");
    assert_eq!(clash, json!([]), "phone lifecycle labels clipped or colliding");

    // The request's label, sampled while it travels, never covers the CLI box.
    d.click("#tab-arch");
    d.js("window.__cover = 0; window.__labels = 0; const t0 = performance.now(); const box = document.querySelector('.node-client rect'); const tick = () => { const b = box.getBoundingClientRect(); for (const l of document.querySelectorAll('#arch .packet-label')) { if (!l.textContent || !l.getClientRects().length) continue; const r = l.getBoundingClientRect(); if (r.width === 0) continue; window.__labels++; if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom) window.__cover++; } if (performance.now() - t0 < 1500) requestAnimationFrame(tick); }; requestAnimationFrame(tick); window.__dockhand.app.submit('docker run -d --name labelled nginx')");
    std::thread::sleep(Duration::from_millis(1700));
    let seen = d.js("return [window.__labels, window.__cover]");
    assert!(seen[0].as_u64().unwrap() > 0, "no request label was drawn: {seen}");
    assert_eq!(seen[1], json!(0), "the request label covered the CLI box: {seen}");
    d.js("window.__dockhand.app.submit('docker run -d --name labelled2 nginx')");
    std::thread::sleep(Duration::from_millis(120));
    shot(d, "mobile-architecture");

    // Bar labels that do not fit are left out, not squashed.
    d.click("#tab-vms");
    std::thread::sleep(Duration::from_millis(100));
    let squashed = d.js("return [...document.querySelectorAll('#vms .seg, #vms .mem')].filter(s => s.textContent && s.scrollWidth > s.clientWidth + 1).map(s => s.textContent)");
    assert_eq!(squashed, json!([]), "squashed bar text on a phone");
    learnpolish::learnpolish_vms_labels_whole(d, "phone");
    shot(d, "mobile-vms");

    // The completion card on a phone: the terminal stays (walk 2), the card
    // under it, Next one tap away.
    d.js("window.__dockhand.dialogDelayMs = 0; location.hash = 'level=vms-1'");
    d.answer("level-dlg", "level-go");
    // (The chip tapped earlier left a command in the prompt.)
    d.js("document.getElementById('cmd').value = ''");
    run(d, "docker run hello-world");
    std::thread::sleep(Duration::from_millis(500));
    let why = d.js("return [document.getElementById('level').value, document.getElementById('app').dataset.complete, [...document.querySelectorAll('#goal li')].map(li => li.className), document.querySelector('#out .entry:last-child').textContent.slice(0, 300)]");
    assert_eq!(d.js("return document.getElementById('done-dlg').open"), json!(true), "no completion card: {why}");
    // Walk 2, finding 11: the terminal stays, with the greeting above the card.
    learnpolish::learnpolish_phone_greeting_stays(d);
    assert_eq!(d.js("return document.getElementById('done-dlg').matches(':modal')"), json!(false));
    let room = d.js("const c = document.getElementById('done-dlg').getBoundingClientRect(); const e = document.elementFromPoint(window.innerWidth / 2, c.top / 2); return [c.height / window.innerHeight, Boolean(e && e.closest('main > .term'))]");
    assert!(
        room[0].as_f64().unwrap() < 0.4 && room[1] == json!(true),
        "the card hides the terminal on a phone: {room}"
    );
    std::thread::sleep(Duration::from_millis(400));
    shot(d, "mobile-complete");
    d.answer("done-dlg", "done-stay");
}
