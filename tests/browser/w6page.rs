//! The checks of the fifth newcomer walk's layout findings (issue 19, walk
//! 5: findings 3, 8, 10, 12 and 15): the last level's card whole on the
//! screen, its buttons in two rows of whole words on a phone, the project
//! files editor usable while a card shows, a wide table's STATUS column on
//! a phone's screen, no older command pinned over its output, and the
//! picture's labels and lines (an answer's status named, the remote line
//! lit, the welcome preview's counters). Screenshots:
//! `target/screenshots/w6page-*.png` (1440x900, 1280x720 and 390x844).

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("w6page-{name}.png")));
}

/// Plays a level's Show-solution steps (file edits through the editor).
fn play_solution(d: &Driver, id: &str) {
    let all = levels();
    let level = all.iter().find(|l| l["id"] == id).unwrap_or_else(|| panic!("no level {id}"));
    play(d, id, &[]);
    for step in level["solution"].as_array().unwrap() {
        let step = step.as_str().unwrap();
        if step.starts_with("#file ") { edit_file(d, step) } else { run(d, step) }
    }
}

/// The box of an element: [top, bottom, left, right], or null when hidden.
fn rect(d: &Driver, css: &str) -> Value {
    d.js(&format!(
        "const e = document.querySelector({}); if (!e || !e.getClientRects().length) return null; \
         const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]",
        json!(css)
    ))
}

fn f(v: &Value, i: usize) -> f64 {
    v[i].as_f64().unwrap_or_else(|| panic!("no box: {v}"))
}

/// Findings 8 and 15: the last level's card (flow-8) is whole on the
/// screen at 1440x900 and its last text above its pinned buttons at
/// 1280x720 (the counting rule behind "What counts?", the course line
/// short); on a phone its buttons make at most two rows, each label on
/// one line.
pub(super) fn w6page_last_card_fits(d: &Driver) {
    for (w, h) in [(1440, 900), (1280, 720)] {
        viewport(d, w, h);
        // A second card in the session: the rule is folded away.
        play_solution(d, "flow-7");
        wait_card(d);
        play(d, "flow-8", &session9::LAST_LEVEL_SOLUTION);
        wait_card(d);
        shot(d, &format!("flow8-{w}x{h}"));
        if h < 900 {
            // A short window: the column scrolls the rest of the card into view.
            d.js("const c = document.querySelector('main > .lesson'); c.scrollTop = c.scrollHeight");
            std::thread::sleep(Duration::from_millis(100));
        }
        let card = rect(d, "#done-dlg");
        let course = rect(d, "#done-dlg-course");
        let buttons = rect(d, "#done-dlg .dlg-buttons");
        println!("w6page: {w}x{h}: flow-8's card {card}, its course line {course}, buttons {buttons}");
        assert!(
            f(&course, 1) <= f(&buttons, 0) + 1.0,
            "{w}x{h}: the course line ends under the pinned buttons: {course} / {buttons}"
        );
        if h == 900 {
            assert!(
                f(&card, 1) <= h as f64 && f(&card, 0) >= 0.0,
                "{w}x{h}: the card is not whole on the screen: {card}"
            );
        }
        assert_eq!(
            d.js("return document.getElementById('done-dlg-counts').open"),
            json!(false),
            "{w}x{h}: the counting rule is open on a second card"
        );
    }
    viewport(d, 390, 844);
    play(d, "flow-8", &session9::LAST_LEVEL_SOLUTION);
    wait_card(d);
    shot(d, "flow8-390x844");
    let rows = d.js(
        "const bs = [...document.querySelectorAll('#done-dlg .dlg-buttons button')].filter(b => b.getClientRects().length); \
         const tops = new Set(bs.map(b => Math.round(b.getBoundingClientRect().top))); \
         const tall = bs.filter(b => b.getBoundingClientRect().height > parseFloat(getComputedStyle(b).lineHeight || '20') * 1.6 + 16 || b.scrollWidth > b.clientWidth + 1).map(b => b.textContent); \
         return { buttons: bs.length, rows: tops.size, broken: tall }",
    );
    println!("w6page: 390x844: flow-8's card buttons {rows}");
    assert_eq!(rows["buttons"], json!(4), "the phone's last card has four buttons: {rows}");
    assert!(rows["rows"].as_u64().unwrap() <= 2, "the buttons take more than two rows: {rows}");
    assert_eq!(rows["broken"], json!([]), "buttons whose label breaks or is cut: {rows}");
    viewport(d, 1440, 900);
}

/// Finding 10: with a card showing, the project files editor is usable at
/// 1440x900 and 1280x720: its textarea starts on the screen, and focusing
/// it folds the card to its title and buttons so the textarea has room,
/// Save file and Next in reach; a click on the card unfolds it.
pub(super) fn w6page_editor_beside_card(d: &Driver) {
    for (w, h) in [(1440, 900), (1280, 720)] {
        viewport(d, w, h);
        play_solution(d, "flow-2");
        wait_card(d);
        let text = rect(d, "#file-text");
        println!("w6page: {w}x{h}: flow-2's card open: the editor at {text}");
        assert!(f(&text, 0) < h as f64 - 120.0, "{w}x{h}: the editor starts at {text}, off the screen's bottom");
        d.js("document.getElementById('file-text').focus({ preventScroll: true })");
        std::thread::sleep(Duration::from_millis(200));
        shot(d, &format!("flow2-editing-{w}x{h}"));
        let seen = d.js("const t = document.getElementById('file-text').getBoundingClientRect(); \
             const c = document.querySelector('main > .lesson').getBoundingClientRect(); \
             const s = document.getElementById('file-save').getBoundingClientRect(); \
             return { visible: Math.min(t.bottom, s.top, c.bottom, innerHeight) - Math.max(t.top, c.top), \
               save: s.bottom <= Math.min(c.bottom, innerHeight) + 1 && s.top >= c.top }");
        assert!(seen["visible"].as_f64().unwrap() >= 70.0, "{w}x{h}: the editor shows too little: {seen}");
        assert_eq!(seen["save"], json!(true), "{w}x{h}: Save file out of view: {seen}");
        let next = rect(d, "#done-next");
        assert!(f(&next, 1) <= h as f64, "{w}x{h}: Next out of view while editing: {next}");
        assert!(rect(d, "#done-dlg-success").is_null(), "{w}x{h}: the card did not fold");
        d.click("#done-dlg-title");
        std::thread::sleep(Duration::from_millis(200));
        assert!(!rect(d, "#done-dlg-success").is_null(), "{w}x{h}: a click on the card did not unfold it");
    }
    viewport(d, 1440, 900);
}

/// Finding 3: on a phone, after track 3 level 5's solution (proc-4), `docker ps -a`'s
/// STATUS "Exited (3)" is on the screen without scrolling sideways, with
/// the card open and with it folded (See it in the picture, back).
pub(super) fn w6page_phone_wide_table(d: &Driver) {
    viewport(d, 390, 844);
    play_solution(d, "proc-4");
    wait_card(d);
    terminal(d);
    std::thread::sleep(Duration::from_millis(300));
    shot(d, "proc4-390x844");
    let visible = "const out = document.getElementById('out'); const pre = [...out.lastElementChild.querySelectorAll('pre')].pop(); \
        const n = [...(function* w(e) { for (const c of e.childNodes) { if (c.nodeType === 3) yield c; else yield* w(c); } })(pre)].find(t => t.textContent.includes('Exited (3)')); \
        if (!n) return 'no Exited (3) in ' + pre.textContent; const r = document.createRange(); const i = n.textContent.indexOf('Exited (3)'); \
        r.setStart(n, i); r.setEnd(n, i + 10); const b = r.getBoundingClientRect(); const o = out.getBoundingClientRect(); \
        const card = document.getElementById('done-dlg').getBoundingClientRect(); \
        return b.left >= o.left && b.right <= o.right + 1 && b.top >= o.top - 1 && b.bottom <= o.bottom + 1 && b.right <= innerWidth && (b.bottom <= card.top || !document.getElementById('done-dlg').open) \
          && pre.scrollLeft === 0 && parseFloat(getComputedStyle(pre).fontSize) >= 10 ? true : `Exited (3) at ${JSON.stringify(b)} in ${JSON.stringify(o)}, card at ${card.top}, font ${getComputedStyle(pre).fontSize}`";
    assert_eq!(d.js(visible), json!(true), "390x844, card open: Exited (3) not on screen");
    d.click("#done-picture");
    std::thread::sleep(Duration::from_millis(200));
    d.click("#done-picture");
    terminal(d);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(d.js(visible), json!(true), "390x844, after the picture: Exited (3) not on screen");
    // On a desktop the same table has its columns back, one line a row.
    viewport(d, 1440, 900);
    let lines = d.js(
        "const pre = [...document.getElementById('out').lastElementChild.querySelectorAll('pre')].pop(); \
         return [pre.classList.contains('wide'), Math.round(pre.getBoundingClientRect().height / parseFloat(getComputedStyle(pre).lineHeight || '16'))]",
    );
    assert_eq!(lines[0], json!(false), "1440x900: the table stays wrapped: {lines}");
}

/// Finding 15: in a terminal scrolled to its end, no older command's line
/// is pinned over the output under it (only the last command's is, with
/// its "↑ N lines above").
pub(super) fn w6page_no_older_command_pinned(d: &Driver) {
    viewport(d, 1440, 900);
    play_solution(d, "vms-2");
    for line in ["docker ps -a", "docker images", "docker ps -a", "docker version"] {
        run(d, line);
    }
    std::thread::sleep(Duration::from_millis(300));
    // The terminal's top edge cuts through the output of the command
    // before the last.
    d.js("const o = document.getElementById('out'); const prev = o.lastElementChild.previousElementSibling; \
          o.scrollTop += prev.getBoundingClientRect().top - o.getBoundingClientRect().top + 24");
    std::thread::sleep(Duration::from_millis(100));
    let stuck = d.js(
        "const o = document.getElementById('out').getBoundingClientRect(); \
         return [...document.querySelectorAll('#out .entry:not(:last-child)')].filter(e => { const c = e.querySelector('.cmdline'); if (!c) return false; \
           const r = c.getBoundingClientRect(); return r.top > e.getBoundingClientRect().top + 1 && r.bottom > o.top; }).map(e => e.querySelector('.cmdline').textContent)",
    );
    assert_eq!(stuck, json!([]), "older commands pinned over their output");
}

/// Finding 12 (and 13's counters): the answer's status is named where it
/// flies; a request to the remote daemon lights the dashed line to it, not
/// the REST API line to the local dockerd; the welcome preview's counters
/// show the container it creates.
pub(super) fn w6page_picture_details(d: &Driver) {
    viewport(d, 1440, 900);
    play(d, "arch-4", &[]);
    d.js("window.__said = []; const l = document.querySelector('#arch .packet-label'); \
          new MutationObserver(() => { if (l.textContent) window.__said.push(l.textContent); }).observe(l, { childList: true, subtree: true, characterData: true })");
    run(d, "docker -H remote run -d --name api nginx");
    d.wait_for(
        "the packets",
        "return document.getElementById('arch').dataset.playing === '0'",
        Duration::from_secs(15),
    );
    let said = d.js("return window.__said");
    println!("w6page: the picture said {said}");
    let said: Vec<String> = serde_json::from_value(said).unwrap();
    assert!(said.iter().any(|s| s == "answer: 201 Created"), "no named answer: {said:?}");
    assert!(!said.iter().any(|s| s.chars().all(|c| c.is_ascii_digit())), "a bare status number: {said:?}");
    let strokes = d.js(
        "const s = (css) => { const e = document.querySelector(css); const c = getComputedStyle(e); return [c.stroke, c.opacity, c.strokeWidth]; }; \
         return { local: s('#arch .wire-line:not(.remote-line)'), remote: s('#arch .remote-line') }",
    );
    shot(d, "arch4-remote");
    println!("w6page: after a remote request the lines are {strokes}");
    assert_eq!(strokes["remote"][1], json!("1"), "the remote line is not lit: {strokes}");
    assert_ne!(
        strokes["local"][0], strokes["remote"][0],
        "the local REST API line is lit as the remote one: {strokes}"
    );
    // A local command lights the local line again.
    run(d, "docker ps");
    let local = d.js("return document.getElementById('arch').classList.contains('via-remote')");
    assert_eq!(local, json!(false), "a local command left the remote line lit");

    // The welcome's preview: its counters show the created container.
    d.js("localStorage.clear(); history.replaceState(null, '', location.pathname); location.reload()");
    d.wait_for("the page", "return document.documentElement.dataset.ready === '1'", Duration::from_secs(20));
    d.wait_for(
        "the preview's counter",
        "return document.getElementById('welcome').open && /^1 /.test(document.querySelector('#arch .node-containers').textContent.replace('containers', '').trim())",
        Duration::from_secs(15),
    );
    let playing = d.js("return document.getElementById('arch').dataset.playing");
    shot(d, "welcome-counters");
    println!("w6page: the preview's containers box reads 1 while playing={playing}");
    assert_eq!(playing, json!("1"), "the counter changed only after the animation");
}

/// Finding 2: a met goal stays met until Reset or Undo, but a state goal
/// that no longer holds says so (muted, "met earlier"), not a plain green
/// tick: track 3 level 4, sleeper removed and run again without its
/// command (it exits at once). Goals about the last output do not go stale.
pub(super) fn w6page_stale_goal_says_so(d: &Driver) {
    viewport(d, 1440, 900);
    play_solution(d, "proc-3");
    wait_card(d);
    d.answer("done-dlg", "done-stay");
    let goals = "return [...document.querySelectorAll('#goal li')].map(li => [li.className, li.textContent])";
    let before = d.js(goals);
    assert!(before.as_array().unwrap().iter().all(|g| g[0] == "met"), "the goals are not all met: {before}");
    run(d, "docker rm -f sleeper");
    run(d, "docker run -d --name sleeper busybox");
    let after = d.js(goals);
    shot(d, "stale-goal");
    println!("w6page: the goals after sleeper exited: {after}");
    let rows = after.as_array().unwrap();
    let sleeper = rows.iter().find(|g| g[1].as_str().unwrap().contains("sleeper")).expect("a sleeper goal");
    assert_eq!(sleeper[0], json!("stale"), "sleeper's goal still a plain tick: {after}");
    assert!(sleeper[1].as_str().unwrap().contains("met earlier"), "no word on the stale goal: {after}");
    assert!(sleeper[1].as_str().unwrap().starts_with('✓'), "the met tick went away: {after}");
    assert_eq!(d.js("return document.getElementById('app').dataset.complete"), json!("1"), "the level un-finished");
    // Undo twice: the state meets it again, a plain tick.
    d.click("#undo");
    d.click("#undo");
    std::thread::sleep(Duration::from_millis(300));
    let undone = d.js(goals);
    let sleeper =
        undone.as_array().unwrap().iter().find(|g| g[1].as_str().unwrap().contains("sleeper")).cloned().unwrap();
    assert_eq!(sleeper[0], json!("met"), "after Undo: {undone}");
}
