//! The checks of the fifth newcomer walk's layout findings (issue 19, walk 4:
//! findings 5, 6, 7 and 15): the teaching line of a long output in view,
//! the lesson column's buttons in reach, the picture from a phone's
//! completion card, and a first screen that shows what the picture does.
//! Screenshots: `target/screenshots/walk5layout-*.png` (1440x900, 1280x720
//! and 390x844).

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("walk5layout-{name}.png")));
}

/// Loads the page on a level (the welcome seen or not), its first dialog open.
fn load(d: &Driver, id: &str, welcomed: bool) {
    // A first visit: nothing stored, no level in the address (a link to a
    // level skips the welcome); the first level is the first open one.
    let how = if welcomed {
        format!("localStorage.setItem('dockhand.playground.welcomed', '1'); location.hash = '#level={id}'")
    } else {
        "localStorage.clear(); history.replaceState(null, '', location.pathname)".to_string()
    };
    d.js(&format!("{how}; location.reload()"));
    d.wait_for(
        "the page to be ready",
        &format!(
            "return document.documentElement.dataset.ready === '1' && document.getElementById('level').value === '{id}'"
        ),
        Duration::from_secs(20),
    );
}

fn solution(id: &str) -> Vec<String> {
    let all = levels();
    let level = all.iter().find(|l| l["id"] == id).unwrap_or_else(|| panic!("no level {id}"));
    level["solution"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// Whether the element is whole inside the window and inside `within`, and
/// is what a click on its middle reaches (nothing covers it).
fn reachable(d: &Driver, css: &str, within: &str) -> Value {
    d.js(&format!(
        "const e = document.querySelector({0}); if (!e || !e.getClientRects().length) return 'not shown'; \
         const r = e.getBoundingClientRect(); const s = document.querySelector({1}).getBoundingClientRect(); \
         if (r.top < s.top - 1 || r.bottom > s.bottom + 1 || r.top < 0 || r.bottom > window.innerHeight) return `out of view: ${{Math.round(r.top)}}-${{Math.round(r.bottom)}} in ${{Math.round(s.top)}}-${{Math.round(s.bottom)}} of ${{window.innerHeight}}`; \
         const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
         return hit === e || e.contains(hit) ? true : `covered by ${{hit && (hit.id || hit.className || hit.tagName)}}`",
        json!(css),
        json!(within)
    ))
}

/// The last output's teaching line and the prompt in view; when its start
/// scrolled off, the command line pinned at the top with "↑ N lines above".
const LAST_OUTPUT: &str = "const out = document.getElementById('out'); const o = out.getBoundingClientRect(); const entry = out.lastElementChild; \
    const ex = entry.querySelector('.explain'); if (!ex) return 'no teaching line'; const x = ex.getBoundingClientRect(); \
    const cmd = entry.querySelector('.cmdline').getBoundingClientRect(); const cue = entry.querySelector('.cmdline .above'); \
    const p = document.getElementById('cmd').getBoundingClientRect(); \
    return { explain: x.top >= o.top - 1 && x.bottom <= o.bottom + 1, prompt: p.bottom <= window.innerHeight, \
      command: cmd.top >= o.top - 1 && cmd.bottom <= o.bottom + 1, scrolled: entry.getBoundingClientRect().top < o.top - 1, \
      cue: cue && !cue.hidden && cue.getClientRects().length ? cue.textContent : null, height: out.clientHeight }";

/// Finding 5: after a long output (a build, docker version) the teaching
/// line at its end and the prompt are in view at 1440x900 and 1280x720;
/// the command stays pinned above with how many lines scrolled off; the
/// terminal has more room than the 273 px (1440x900) and 217 px (1280x720)
/// of the fourth walk (at 1280x720 the picture needs its height: a little).
pub(super) fn walk5layout_teaching_line_in_view(d: &Driver) {
    for (w, h, room) in [(1440, 900, 300), (1280, 720, 220)] {
        viewport(d, w, h);
        for (id, line) in [("flow-1", "docker build -t app ."), ("arch-1", "docker version")] {
            play(d, id, &[line]);
            wait_card(d);
            if id == "arch-1" {
                // Its goal points at the output (Client and Server): it shows
                // from its start, the teaching line one click down (w8page.rs,
                // walk7 finding 6).
                d.click("#out > .entry:last-child > .below");
                std::thread::sleep(Duration::from_millis(300));
            }
            let seen = d.js(LAST_OUTPUT);
            assert_eq!(seen["explain"], json!(true), "{w}x{h} {line}: the teaching line is out of view: {seen}");
            assert_eq!(seen["prompt"], json!(true), "{w}x{h} {line}: the prompt is out of view: {seen}");
            assert_eq!(seen["command"], json!(true), "{w}x{h} {line}: the command line is not pinned: {seen}");
            if seen["scrolled"] == json!(true) {
                let cue = seen["cue"].as_str().unwrap_or_else(|| panic!("{w}x{h} {line}: no cue: {seen}"));
                assert!(cue.starts_with('↑') && cue.ends_with("above"), "{w}x{h} {line}: the cue: {cue}");
            }
            assert!(
                seen["height"].as_f64().unwrap() >= room as f64,
                "{w}x{h}: the terminal's output is {} px, under {room}",
                seen["height"]
            );
            println!("walk5layout: {w}x{h}: the terminal's output is {} px high", seen["height"]);
            shot(d, &format!("{id}-{w}x{h}"));
        }
        // The cue scrolls back to the command's first line.
        if d.js("const c = document.querySelector('#out .entry:last-child .above'); return !!c && !c.hidden")
            == json!(true)
        {
            d.click("#out .entry:last-child .above");
            std::thread::sleep(Duration::from_millis(200));
            let first = d.js("const out = document.getElementById('out'); const e = out.lastElementChild.querySelector('pre'); return e.getBoundingClientRect().top >= out.getBoundingClientRect().top - 1");
            assert_eq!(first, json!(true), "{w}x{h}: the cue did not scroll back to the output's start");
        }
    }
    viewport(d, 1440, 900);
}

/// Finding 7: at 1440x900 and 1280x720 everything to click in the lesson
/// column is in reach: the long last card's Next and Stay (flow-8), Save
/// file in the editor levels (flow-1, flow-2, and under flow-1's card),
/// with the level's title in view; and the header is one line at 1280 px.
pub(super) fn walk5layout_lesson_column_reachable(d: &Driver) {
    for (w, h) in [(1440, 900), (1280, 720)] {
        viewport(d, w, h);
        for id in ["flow-1", "flow-2"] {
            play(d, id, &[]);
            assert_eq!(reachable(d, "#file-save", "main > .lesson"), json!(true), "{w}x{h} {id}: Save file");
            assert_eq!(reachable(d, "#lesson-title", "main > .lesson"), json!(true), "{w}x{h} {id}: the title");
        }
        shot(d, &format!("flow2-{w}x{h}"));
        // With the card open (it pushes the editor down), Save file stays in reach.
        play(d, "flow-1", &["docker build -t app ."]);
        wait_card(d);
        assert_eq!(reachable(d, "#file-save", "main > .lesson"), json!(true), "{w}x{h} flow-1's card: Save file");
        assert_eq!(reachable(d, "#done-next", "main > .lesson"), json!(true), "{w}x{h} flow-1's card: Next");
        play(d, "flow-8", &session9::LAST_LEVEL_SOLUTION);
        wait_card(d);
        for css in ["#done-next", "#done-stay", "#lesson-title", "#lesson-where", "#done-dlg-title"] {
            assert_eq!(reachable(d, css, "main > .lesson"), json!(true), "{w}x{h} flow-8's card: {css}");
        }
        shot(d, &format!("flow8-{w}x{h}"));
        let header =
            d.js("return document.querySelector('header.top').getBoundingClientRect().height").as_f64().unwrap();
        assert!(header < 52.0, "{w}x{h}: the header wraps ({header} px)");
        // The desktop card has no picture button: the picture is in view.
        assert_eq!(d.js("return document.getElementById('done-picture').getClientRects().length"), json!(0));
    }
}

/// Finding 6: on a phone the completion card offers the picture the level
/// was about: its view on the Picture pane, the card folded at the bottom
/// with Next, and unfolded again.
pub(super) fn walk5layout_phone_card_shows_picture(d: &Driver) {
    viewport(d, 390, 844);
    for (id, view, what) in [("vms-2", "vms", "#vms .ct-stack"), ("vms-3", "procs", "#pl table")] {
        let lines = solution(id);
        play(d, id, &lines.iter().map(String::as_str).collect::<Vec<_>>());
        wait_card(d);
        assert_eq!(reachable(d, "#done-picture", "body"), json!(true), "{id}: See it in the picture");
        d.click("#done-picture");
        std::thread::sleep(Duration::from_millis(300));
        let seen = d.js(&format!(
            "const c = document.getElementById('done-dlg').getBoundingClientRect(); const v = document.querySelector({}); const r = v && v.getBoundingClientRect(); \
             return [document.getElementById('app').dataset.pane, document.getElementById('tab-{view}').getAttribute('aria-selected'), document.getElementById('done-dlg').open, \
               !!r && r.top >= 0 && r.top < c.top, document.getElementById('done-picture').textContent, Math.round(c.height) < 140]",
            json!(what)
        ));
        assert_eq!(
            seen,
            json!(["views", "true", true, true, "Show the card", true]),
            "{id}: [pane, its view selected, card open, picture above the card, button, card folded]"
        );
        assert_eq!(reachable(d, "#done-next", "body"), json!(true), "{id}: Next on the folded card");
        shot(d, &format!("phone-{id}-picture"));
        d.click("#done-picture");
        std::thread::sleep(Duration::from_millis(200));
        let back = d.js("return [getComputedStyle(document.getElementById('done-dlg-score')).display !== 'none', document.getElementById('done-picture').textContent]");
        assert_eq!(back, json!([true, "See it in the picture"]), "{id}: the card unfolds");
        d.click("#done-stay");
    }
    viewport(d, 1440, 900);
}

/// The script reading the first screen: the welcome, the picture behind it
/// and whether they overlap.
const FIRST_SCREEN: &str = "const w = document.getElementById('welcome').getBoundingClientRect(); \
    const boxes = ['client', 'daemon', 'registry', 'containers'].map((k) => document.querySelector('#arch .node-' + k + ' rect').getBoundingClientRect()); \
    const apart = boxes.every((b) => b.width > 0 && b.bottom <= w.top + 1 && b.top >= 0); \
    return { open: document.getElementById('welcome').open, tab: document.querySelector('[role=tab][aria-selected=true]').id, \
      pane: document.getElementById('app').dataset.pane, apart, playing: document.getElementById('arch').dataset.playing, \
      hot: document.querySelectorAll('#arch .node.hot').length, live: document.getElementById('arch-live').textContent, \
      containers: document.querySelector('#arch .node-containers .node-sub').textContent, \
      engine: JSON.parse(window.__dockhand.app.pg.state()).containers.length }";

/// Finding 15: the first screen shows what the picture does. Behind the
/// welcome the Architecture picture plays `docker run hello-world` on a
/// scratch engine (the learner's has no container), in view beside the
/// dialog (desktop) or above it (phone); closing the welcome stops it and
/// gives the level its own view and an empty picture back.
pub(super) fn walk5layout_welcome_preview(d: &Driver) {
    for (w, h) in [(1440, 900), (1280, 720), (390, 844)] {
        viewport(d, w, h);
        load(d, "vms-1", false);
        d.wait_for("the welcome", "return document.getElementById('welcome').open", Duration::from_secs(5));
        d.wait_for(
            "the preview to play",
            "return document.getElementById('arch').dataset.playing === '1' && document.querySelectorAll('#arch .node.hot').length > 0",
            Duration::from_secs(5),
        );
        shot(d, &format!("welcome-{w}x{h}"));
        let seen = d.js(FIRST_SCREEN);
        assert_eq!(seen["tab"], json!("tab-arch"), "{w}x{h}: {seen}");
        assert_eq!(seen["apart"], json!(true), "{w}x{h}: the welcome covers the picture: {seen}");
        assert!(seen["live"].as_str().unwrap().starts_with("docker run hello-world"), "{w}x{h}: {seen}");
        assert_eq!(seen["engine"], json!(0), "{w}x{h}: the preview ran on the learner's engine: {seen}");
        if w < 900 {
            assert_eq!(seen["pane"], json!("views"), "{w}x{h}: the welcome is over an empty terminal: {seen}");
        }
        d.wait_for(
            "the preview's container",
            "return document.querySelector('#arch .node-containers .node-sub').textContent.startsWith('1 ')",
            Duration::from_secs(10),
        );
        d.answer("welcome", "welcome-start");
        // The welcome's close event (it ends the preview, then opens the
        // level's dialog) comes after `open` turns false.
        d.wait_for("the level dialog", "return document.getElementById('level-dlg').open", Duration::from_secs(5));
        let seen = d.js(FIRST_SCREEN);
        assert_eq!(
            [&seen["tab"], &seen["containers"], &seen["live"], &seen["engine"]],
            [&json!("tab-vms"), &json!("0 (0 running)"), &json!(""), &json!(0)],
            "{w}x{h} after the welcome: [the level's view, the picture's containers, caption, engine]: {seen}"
        );
        d.answer("level-dlg", "level-go");
    }
    viewport(d, 1440, 900);
}
