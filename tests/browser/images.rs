//! The images view: build, cache and push, step by step.

use super::*;

/// The steps of the images view's last build: class, instruction, layer.
pub(crate) fn imagesview_steps(d: &Driver) -> Vec<(String, String, String)> {
    let steps = d.js("return [...document.querySelectorAll('#images .iv-step')].map(s => [s.className, s.querySelector('.iv-ins').textContent, s.querySelector('.iv-layer').textContent])");
    serde_json::from_value(steps).unwrap()
}

/// Issue 19, the workflow track's picture: the images view (Alt+6) lists a
/// build's Dockerfile instructions beside their layers; after an edit and a
/// rebuild only COPY and what follows ran, the earlier steps show CACHED and
/// the two images share the base's layers; after a push the registry side
/// holds the tag. Readable (13 px) on a desktop and on a phone.
pub(super) fn imagesview_build_cache_and_push(d: &Driver, shots: &Path) {
    d.js("location.hash = 'level=flow-1'");
    d.wait_for(
        "flow-1",
        "return document.getElementById('level').value === 'flow-1' && document.getElementById('app').dataset.complete === '0'",
        Duration::from_secs(10),
    );
    d.answer("level-dlg", "level-go");
    let selected = "return document.getElementById('tab-images').getAttribute('aria-selected')";
    assert_eq!(d.js(selected), json!("true"), "flow-1 does not open on the images view");
    d.click("#tab-arch");
    d.js("document.getElementById('cmd').focus()");
    d.chord(&["\u{E00A}", "6"]);
    assert_eq!(d.js(selected), json!("true"), "Alt+6 does not show the images view");
    assert!(d.text("return document.getElementById('images').textContent").contains("No build yet"));
    let todo = d.js("return [...document.querySelectorAll('#images .iv-step.todo .iv-ins')].map(s => s.textContent)");
    assert_eq!(todo[2], json!("COPY app.py ."), "the Dockerfile before its build: {todo}");
    d.screenshot(&shots.join("images-view-before-build.png"));

    run(d, "docker build -t app .");
    d.answer("done-dlg", "done-stay");
    let steps = imagesview_steps(d);
    let ins: Vec<&str> = steps.iter().map(|s| s.1.as_str()).collect();
    assert_eq!(ins, ["FROM python:3.13", "WORKDIR /app", "COPY app.py .", "CMD [\"python\", \"app.py\"]"], "{steps:?}");
    assert!(steps[0].0.contains("base") && steps[0].2.contains("2 layers"), "{steps:?}");
    assert!(steps[1..].iter().all(|s| s.0.contains("ran")), "a first build runs every step: {steps:?}");
    assert!(steps[2].2.contains(" B, layer "), "COPY's size and layer: {steps:?}");
    assert!(steps[3].2.contains("no layer"), "CMD makes no layer: {steps:?}");

    edit_file(d, "#file app.py print(\"Hello again\")");
    // Saved, not built yet: the picture says what the next build will redo.
    let stale =
        d.js("return [...document.querySelectorAll('#images .iv-step')].map(s => s.classList.contains('stale'))");
    assert_eq!(stale, json!([false, false, true, true]), "after the edit, COPY and what follows will run again");
    let next = d.text("return document.querySelector('#images .iv-next').textContent");
    assert!(next.starts_with("You changed app.py since this build: COPY app.py ."), "{next}");
    run(d, "docker build -t app:v2 .");
    let steps = imagesview_steps(d);
    assert_eq!(d.js("return document.querySelectorAll('#images .iv-step.stale, #images .iv-next').length"), json!(0));
    let how: Vec<&str> = steps.iter().map(|s| s.0.split(' ').nth(1).unwrap()).collect();
    assert_eq!(how, ["base", "cached", "ran", "ran"], "only what changed is rebuilt: {steps:?}");
    assert_eq!(d.text("return document.querySelector('#images .iv-step.cached .iv-how').textContent"), "CACHED");
    // app and app:v2 share the base's two layers: drawn as shared in both stacks.
    let shared = d.js("return [...document.querySelectorAll('#images .iv-image')].map(i => [i.querySelector('.iv-tags').textContent, i.querySelectorAll('.iv-block.shared').length, i.querySelectorAll('.iv-block').length])");
    let shared: Vec<(String, u64, u64)> = serde_json::from_value(shared).unwrap();
    for tag in ["app:latest", "app:v2"] {
        let s = shared.iter().find(|s| s.0.contains(tag)).unwrap_or_else(|| panic!("no stack for {tag}: {shared:?}"));
        assert_eq!((s.1, s.2), (2, 3), "{tag}: two shared layers and its own: {shared:?}");
    }
    let note = d.text("return document.querySelector('#images .iv-images .iv-note').textContent");
    assert!(note.starts_with("app:v2 shares 2 layers with app:latest"), "{note}");

    run(d, "docker login -u learner -p secret");
    run(d, "docker tag app:v2 learner/app:v2");
    let registry = "return document.querySelector('#images .iv-reg .iv-side:last-child').textContent";
    assert!(!d.text(registry).contains("learner/app:v2"), "in the registry before the push");
    run(d, "docker push learner/app:v2");
    assert!(d.text(registry).contains("learner/app:v2"), "the registry side: {}", d.text(registry));
    let wire = d.js("const w = document.querySelector('#images .iv-wire'); return [w.className, w.textContent]");
    assert!(wire[0].as_str().unwrap().contains("push"), "no push arrow: {wire}");
    assert!(wire[1].as_str().unwrap().contains("pushed learner/app:v2: 1 layer sent, 2 already there"), "{wire}");
    let live = d.text("return document.getElementById('img-live').textContent");
    assert!(live.contains("docker push learner/app:v2"), "aria-live: {live}");
    assert_eq!(small_text(d, "#view-images"), json!([]), "images view text under 13 px");
    std::thread::sleep(Duration::from_millis(300));
    d.screenshot(&shots.join("images-view.png"));

    // A phone: the Picture pane, full width, readable, nothing wider than the screen.
    d.resize(390, 844);
    std::thread::sleep(Duration::from_millis(200));
    d.click("#panes button[data-pane=views]");
    assert_eq!(small_text(d, "#view-images"), json!([]), "mobile images view text under 13 px");
    let fit = d.js("const p = document.getElementById('view-images'); return [p.scrollWidth, p.clientWidth, document.documentElement.scrollWidth, innerWidth]");
    let fit: Vec<f64> = serde_json::from_value(fit).unwrap();
    assert!(fit[0] <= fit[1] + 1.0 && fit[2] <= fit[3] + 1.0, "the images view overflows on a phone: {fit:?}");
    d.screenshot(&shots.join("images-view-mobile.png"));
    // After a push the registry comes first; the build and the layers below it.
    d.js("document.querySelector('#images .iv-images').scrollIntoView()");
    d.screenshot(&shots.join("images-view-mobile-layers.png"));
    d.click("#panes button[data-pane=term]");
    d.resize(1440, 900);
    std::thread::sleep(Duration::from_millis(200));
}
