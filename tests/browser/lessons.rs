//! Every level by typing its solution; undo, a shared link, the keyboard;
//! the mobile layout.

use super::*;

/// Every level of every track, by typing its solution (hints, chips, par).
pub(super) fn walk_every_level(d: &Driver, shots: &Path) {
    // The lessons' replay does not wait for the completion dialog's moment.
    d.js("window.__dockhand.dialogDelayMs = 0");
    let all = levels();
    assert!(all.len() >= 12, "expected the four tracks' levels, found {}", all.len());
    for level in &all {
        let id = level["id"].as_str().unwrap();
        // Item 8: hints go from the concept to the command's shape, and give
        // the answer only last.
        let hints: Vec<String> = serde_json::from_value(level["hints"].clone()).unwrap();
        let commands: Vec<&str> = level["solution"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .filter(|c| !c.starts_with('#'))
            .collect();
        assert!(hints.len() >= 3, "{id}: concept, shape, answer: {hints:?}");
        for h in &hints[..hints.len() - 1] {
            assert!(!commands.iter().any(|c| h.contains(c)), "{id}: a hint before the last gives the answer: {h}");
        }
        assert!(hints.last().unwrap().contains(commands[0]), "{id}: the last hint is the answer: {hints:?}");
        d.js(&format!("location.hash = 'level=' + {}", json!(id)));
        d.wait_for(id, &format!("return document.getElementById('level').value === {} && document.getElementById('app').dataset.complete === '0'", json!(id)), Duration::from_secs(10));
        d.answer("level-dlg", "level-go");
        // The smaller items: nothing of the last level under the picture.
        assert_eq!(
            d.text("return document.getElementById('arch-live').textContent"),
            "",
            "{id}: text of the last level"
        );
        if id == "flow-2" {
            // Item 7: an unsaved edit shows, and a build without saving does not complete the level.
            d.js("const t = document.getElementById('file-text'); t.value = 'print(\"changed\")'; t.dispatchEvent(new Event('input'))");
            let status = d.text("return document.getElementById('file-status').textContent");
            assert!(status.contains("unsaved"), "the editor hides unsaved changes: {status}");
            run(d, "docker build -t app:v2 .");
            assert_eq!(
                d.js("return document.getElementById('app').dataset.complete"),
                json!("0"),
                "flow-2 completed without a change"
            );
            assert!(d.text("return document.getElementById('out').textContent").contains("unsaved changes"));
            d.click("#reset");
        }
        if id == "flow-3" {
            // Item 7: the served page is the learner's file, whatever it says.
            edit_file(d, "#file index.html <h1>Hello from the learner</h1>");
        }
        for step in level["solution"].as_array().unwrap() {
            let step = step.as_str().unwrap();
            // A level can be complete before its last step: go on with it.
            if d.js("return document.getElementById('done-dlg').open") == json!(true) {
                d.answer("done-dlg", "done-stay");
            }
            if step.starts_with("#file ") {
                edit_file(d, step);
            } else {
                run(d, step);
            }
        }
        if d.js("return document.getElementById('done-dlg').open") == json!(true) {
            learnpolish::learnpolish_card_covers_nothing(d, id);
        }
        if id == "arch-1" {
            let done = d.text("return document.getElementById('done').textContent");
            assert!(done.contains("Who answers?") && !done.contains("?."), "{done}");
        }
        if id == "arch-3" {
            // Item 6: both answers are in the wire view at once.
            let list = d.text("return document.getElementById('wire-list').innerText");
            assert!(list.contains("404") && list.contains("304"), "arch-3 cannot compare: {list}");
        }
        if id == "proc-5" {
            learnfix::learnfix_lifecycle_success(d);
        }
        if id == "flow-3" {
            let out = d.text("return document.getElementById('out').textContent");
            assert!(out.contains("Hello from the learner"), "the served page: {out}");
        }
        let chips = d.js("return [...document.querySelectorAll('#chips .chip')].map(c => c.textContent.trim())");
        let chips: Vec<String> = serde_json::from_value(chips).unwrap();
        assert!(!chips.iter().any(|c| commands.contains(&c.as_str())), "{id}: a chip is the solution: {chips:?}");
        let done = d.js("return document.getElementById('app').dataset.complete === '1'");
        if done != json!(true) {
            let goal = d
                .js("return [...document.querySelectorAll('#goal li')].map(li => li.className + ' ' + li.textContent)");
            let out = d.js("return document.getElementById('out').textContent");
            panic!("level {id} not complete after its solution; goal: {goal}; terminal: {out}");
        }
        let progress = d.js("return JSON.parse(localStorage.getItem('dockhand.playground.progress'))");
        assert_eq!(progress[id], json!(true), "progress of {id} saved");
        let par = commands.len();
        if d.js("return document.getElementById('done-dlg').open") == json!(true) {
            let score = d.text("return document.getElementById('done-dlg-score').textContent");
            assert!(score.contains(&format!("par is {par}")), "{id}: {score}");
        }
    }
    images::imagesview_build_cache_and_push(d, shots);
    d.screenshot(&shots.join("playground-lesson.png"));
}

/// The page's own measures: per command and in the engine, with its lines.
pub(super) struct Samples {
    pub timings: Vec<f64>,
    pub engine: Vec<f64>,
    pub lines: Vec<String>,
}

/// Undo and reset, a shared link, history and Tab completion; returns the
/// page's timings from before and after the shared link's reload.
pub(super) fn walk_undo_share_keyboard(d: &Driver) -> Samples {
    d.js("location.hash = 'sandbox=1'");
    d.wait_for(
        "sandbox",
        "return document.getElementById('lesson-title').textContent === 'Sandbox'",
        Duration::from_secs(10),
    );
    d.click("#tab-arch");
    run(d, "docker run -d --name undo-me nginx");
    assert_eq!(d.js("return document.querySelector('.node-containers .node-sub').textContent"), json!("1 (1 running)"));
    d.click("#undo");
    assert_eq!(d.js("return document.querySelector('.node-containers .node-sub').textContent"), json!("0 (0 running)"));

    // A shared link replays the sandbox.
    run(d, "docker run -d --name shared nginx");
    d.click("#share");
    let mut timings: Vec<f64> = serde_json::from_value(d.js("return window.__dockhand.timings")).unwrap();
    let mut engine: Vec<f64> = serde_json::from_value(d.js("return window.__dockhand.engine")).unwrap();
    let mut lines: Vec<String> = serde_json::from_value(d.js("return window.__dockhand.lines")).unwrap();
    let link = d.js("return location.href").as_str().unwrap().to_string();
    assert!(link.contains("#s="), "{link}");
    d.goto("about:blank");
    d.goto(&link);
    d.wait_for("shared state", "return document.documentElement.dataset.ready === '1' && document.querySelector('.node-containers .node-sub').textContent === '1 (1 running)'", Duration::from_secs(20));

    // Keyboard only: history and completion.
    d.type_into("#cmd", "\u{E013}");
    assert_eq!(d.js("return document.getElementById('cmd').value"), json!("docker run -d --name shared nginx"));
    d.js("document.getElementById('cmd').value = ''");
    d.type_into("#cmd", "docker ima\u{E004}");
    let completed = d.js("return document.getElementById('cmd').value").as_str().unwrap().to_string();
    assert!(completed.starts_with("docker image"), "tab completion gave {completed:?}");
    assert_eq!(d.js("return document.activeElement.id"), json!("cmd"), "Tab completed instead of leaving the prompt");

    // Budgets: time per command measured by the page.
    let after: Vec<f64> = serde_json::from_value(d.js("return window.__dockhand.timings")).unwrap();
    timings.extend(after);
    let after: Vec<f64> = serde_json::from_value(d.js("return window.__dockhand.engine")).unwrap();
    engine.extend(after);
    let after: Vec<String> = serde_json::from_value(d.js("return window.__dockhand.lines")).unwrap();
    lines.extend(after);
    Samples { timings, engine, lines }
}

/// The mobile layout: chips, a full-width picture with readable text.
pub(super) fn walk_mobile(d: &Driver, shots: &Path) {
    // The mobile layout with command chips.
    d.resize(390, 844);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(d.js("return getComputedStyle(document.getElementById('chips')).display"), json!("flex"));
    d.click("#chips .chip");
    assert!(d.js("return document.getElementById('cmd').value").as_str().unwrap().starts_with("docker"));
    d.screenshot(&shots.join("playground-mobile.png"));
    // Bigger diagrams on mobile: a full-width picture one tap away, readable.
    d.click("#panes button[data-pane=views]");
    d.click("#tab-arch");
    let width = d.js("return document.querySelector('#arch svg').getBoundingClientRect().width").as_f64().unwrap();
    assert!(width > 330.0, "the picture is not full width on mobile: {width}");
    assert_eq!(
        d.js(&PX_UNDER_13.replace("SEL", "'#arch svg text'")),
        json!([]),
        "mobile architecture text under 13 px"
    );
    d.screenshot(&shots.join("playground-mobile-picture.png"));
    d.click("#tab-states");
    assert_eq!(d.js(&PX_UNDER_13.replace("SEL", "'#sm svg text'")), json!([]), "mobile lifecycle text under 13 px");
    learnfix::learnfix_mobile(d);
    d.click("#panes button[data-pane=term]");
}
