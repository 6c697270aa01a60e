//! The checks of the sixth newcomer walk's page findings (issue 19, walk
//! 6: findings 2, 6, 9, 11 and 13): the Sandbox button keeps the sandbox's
//! work, the completion card shows the count against par, "Next track"
//! offers a track with an open level, the Images view's explanation is not
//! cut off, and a phone's build log and tables behave alike. Screenshots:
//! `target/screenshots/w7page-*.png` (1440x900, 1280x720 and 390x844).

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("w7page-{name}.png")));
}

fn last_entry(d: &Driver) -> String {
    d.text("return document.querySelector('#out .entry:last-child').textContent")
}

/// Opens the sandbox on a freshly loaded page (a hash change alone does not
/// reload when the address already ends in #sandbox).
fn open_sandbox(d: &Driver) {
    d.js("localStorage.setItem('dockhand.playground.welcomed', '1'); location.hash = '#sandbox'; location.reload()");
    d.wait_for(
        "the sandbox",
        "return document.documentElement.dataset.ready === '1' && document.getElementById('sandbox').getAttribute('aria-pressed') === 'true'",
        Duration::from_secs(20),
    );
}

/// Finding 2: the Sandbox button pressed in the sandbox keeps its work
/// (what `docker ps` then lists in the terminal, as the learner sees it),
/// says so and gives the terminal the focus; Reset asks once before it
/// empties a sandbox with work in it, and a second press does.
fn sandbox_button_keeps_the_sandbox(d: &Driver) {
    for (w, h) in [(390, 844), (1280, 720), (1440, 900)] {
        viewport(d, w, h);
        open_sandbox(d);
        // The eighth walk: the sandbox belongs to no track, and a level's
        // buttons (Hint, Show solution, Next level) are not shown there.
        let menu = d.js("const t = document.getElementById('track'); return [t.options[t.selectedIndex].textContent, \
             ['hint', 'solution', 'next'].map((b) => document.getElementById(b).getClientRects().length)]");
        assert_eq!(
            menu,
            json!(["(sandbox: no track)", [0, 0, 0]]),
            "{w}x{h}: the sandbox's track menu and level buttons"
        );
        terminal(d);
        run(d, "docker run -d --name keepme nginx");
        d.click("#sandbox");
        std::thread::sleep(Duration::from_millis(200));
        let said = last_entry(d);
        println!("w7page: {w}x{h}: Sandbox pressed in the sandbox: {said}");
        assert!(said.contains("already in the sandbox"), "{w}x{h}: no word on the second press: {said}");
        d.wait_for_focus("the prompt after the Sandbox button");
        run(d, "docker ps");
        let ps = last_entry(d);
        assert!(ps.contains("keepme"), "{w}x{h}: the Sandbox button lost the sandbox's container: {ps}");
        // The engine agrees (its state() is a JSON text: read unparsed, it
        // has no `containers`, which is how an earlier probe saw none).
        let probe = d.js(
            "const s = window.__dockhand.app.pg.state(); \
             return { type: typeof s, raw: s.containers === undefined, names: JSON.parse(s).containers.map((c) => c.name) }",
        );
        println!("w7page: {w}x{h}: the engine's state after the press: {probe}");
        assert!(probe["names"].to_string().contains("keepme"), "{w}x{h}: the engine lost the container: {probe}");
        shot(d, &format!("sandbox-again-{w}x{h}"));
    }
    // Reset: the first press asks, the container stays; the second empties.
    d.click("#reset");
    std::thread::sleep(Duration::from_millis(200));
    let asked = last_entry(d);
    assert!(asked.contains("Reset again"), "Reset emptied a sandbox with work without asking: {asked}");
    run(d, "docker ps");
    assert!(last_entry(d).contains("keepme"), "the first Reset press lost the container");
    // A command in between: the next press asks again.
    d.click("#reset");
    std::thread::sleep(Duration::from_millis(100));
    d.click("#reset");
    std::thread::sleep(Duration::from_millis(200));
    d.wait_for_focus("the prompt after Reset");
    run(d, "docker ps -a");
    let after = last_entry(d);
    assert!(!after.contains("keepme"), "Reset pressed twice kept the container: {after}");
}

/// Plays a level's Show-solution steps (file edits through the editor);
/// with `hints`, Hint and Show solution are opened first.
fn play_solution(d: &Driver, id: &str, hints: bool) {
    let all = levels();
    let level = all.iter().find(|l| l["id"] == id).unwrap_or_else(|| panic!("no level {id}"));
    play(d, id, &[]);
    if hints {
        d.click("#hint");
        d.click("#solution");
    }
    for step in level["solution"].as_array().unwrap() {
        let step = step.as_str().unwrap();
        if step.starts_with("#file ") { edit_file(d, step) } else { run(d, step) }
    }
}

/// Whether an element shows whole: on the screen and inside the lesson
/// column's visible part (not scrolled away, not folded).
fn shows(d: &Driver, css: &str) -> Value {
    d.js(&format!(
        "const e = document.querySelector({}); if (!e || !e.getClientRects().length) return 'hidden'; \
         const r = e.getBoundingClientRect(); const c = document.querySelector('main > .lesson').getBoundingClientRect(); \
         if (r.height < 1) return 'hidden'; \
         return r.top >= Math.max(0, c.top) - 1 && r.bottom <= Math.min(innerHeight, c.bottom) + 1 && r.left >= c.left && r.right <= c.right \
           ? true : [r.top, r.bottom, r.left, r.right, c.top, c.bottom, c.left, c.right]",
        json!(css)
    ))
}

/// Finding 6: the completion card shows its title, the count against par
/// and Next without a click, at 1440x900 and 1280x720, with the hints and
/// the solution open or not (the card folded to "Level complete ▸ show").
fn card_shows_the_count(d: &Driver) {
    for (w, h) in [(1440, 900), (1280, 720)] {
        viewport(d, w, h);
        for (id, hints) in [("flow-3", false), ("flow-6", true), ("flow-3", true)] {
            play_solution(d, id, hints);
            wait_card(d);
            let name = format!("card-{id}{}-{w}x{h}", if hints { "-hints" } else { "" });
            shot(d, &name);
            for part in ["#done-dlg-title", "#done-dlg-score", "#done-next", "#done-stay", "#done-dlg"] {
                let seen = shows(d, part);
                println!("w7page: {name}: {part} {seen}");
                assert_eq!(seen, json!(true), "{name}: {part} is not in view without a click");
            }
            let page = d.js("return [document.documentElement.scrollHeight, innerHeight, document.documentElement.scrollWidth, innerWidth]");
            println!("w7page: {name}: the page {page}");
            let score = d.text("return document.getElementById('done-dlg-score').textContent");
            assert!(score.contains("par is"), "{name}: the score line says {score}");
        }
    }
}

/// Marks every level finished but `open` (the page reads it on its next load).
fn progress_all_but(d: &Driver, open: &[&str]) {
    let done: serde_json::Map<String, Value> = levels()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .filter(|id| !open.contains(&id.as_str()))
        .map(|id| (id, json!(true)))
        .collect();
    d.js(&format!(
        "localStorage.setItem('dockhand.playground.progress', {})",
        json!(serde_json::to_string(&done).unwrap())
    ));
}

/// Finding 11: the last level of a track offers the next track with an
/// open level (its first open level), or the course's first open level,
/// never a track whose levels are all ✓; Next and Enter go there.
fn next_track_has_an_open_level(d: &Driver) {
    viewport(d, 1440, 900);
    let before = d.js("return localStorage.getItem('dockhand.playground.progress')");
    for (open, want) in [
        (&["vms-2", "arch-3"][..], "Many apps, one kernel"),
        (&["flow-5", "vms-1"][..], "Push to a registry"),
        (&["flow-1", "flow-2"][..], "Code and a Dockerfile"),
    ] {
        progress_all_but(d, open);
        play_solution(d, "proc-5", false);
        wait_card(d);
        let next = d.text("return document.getElementById('done-next').textContent");
        let enter = d.text("return document.getElementById('done-dlg-enter').textContent");
        println!("w7page: proc-5's card with {open:?} open: {next} / {enter}");
        shot(d, &format!("next-track-{}", open[0]));
        assert!(next.ends_with(want), "with {open:?} open, Next offers {next}, not {want}");
        assert!(enter.contains(want), "with {open:?} open, Enter says {enter}");
        d.click("#done-next");
        d.wait_for(
            "the next level's dialog",
            "return document.getElementById('level-dlg').open",
            Duration::from_secs(5),
        );
        let title = d.text("return document.getElementById('level-dlg-title').textContent");
        assert_eq!(title, want, "Next opened another level");
    }
    // The walks after this one find the progress they left.
    d.js(&format!(
        "const p = {before}; if (p === null) localStorage.removeItem('dockhand.playground.progress'); \
         else localStorage.setItem('dockhand.playground.progress', p)"
    ));
}

/// Finding 9: on the push level (flow-5) at 1440x900 and 1280x720 the
/// Images view's explanation under the stacks is either whole in the pane
/// or the pane shows a "more below" cue, which scrolls to it; scrolled to
/// the end, the explanation is whole and the cue goes.
fn images_view_cut_off_has_a_cue(d: &Driver) {
    for (w, h) in [(1440, 900), (1280, 720)] {
        viewport(d, w, h);
        play_solution(d, "flow-5", false);
        wait_card(d);
        d.click("#tab-images");
        std::thread::sleep(Duration::from_millis(400));
        shot(d, &format!("images-flow5-{w}x{h}"));
        let measure = "const p = document.getElementById('view-images'); const pr = p.getBoundingClientRect(); \
             const cue = p.nextElementSibling; \
             const stacks = p.querySelector('.iv-images .iv-note').getBoundingClientRect(); \
             const under = stacks.top >= pr.top - 1 && stacks.bottom <= pr.bottom + 1; \
             const notes = [...p.querySelectorAll('.iv-note')].map((n) => { const r = n.getBoundingClientRect(); return r.top >= pr.top - 1 && r.bottom <= pr.bottom + 1; }); \
             const cr = cue && cue.getClientRects().length ? cue.getBoundingClientRect() : null; \
             return { overflow: p.scrollHeight - p.clientHeight - p.scrollTop, notes, under, \
               cue: !!cr && cr.top >= pr.bottom - 1 && cr.height > 10 }";
        let seen = d.js(measure);
        println!("w7page: {w}x{h}: flow-5's Images view {seen}");
        let whole = seen["notes"].as_array().unwrap().iter().all(|n| n == &json!(true));
        assert!(whole || seen["cue"] == json!(true), "{w}x{h}: the Images view is cut off without a cue: {seen}");
        if !whole {
            d.click("#view-images + .more-below");
            std::thread::sleep(Duration::from_millis(600));
            d.js("const p = document.getElementById('view-images'); p.scrollTop = p.scrollHeight");
            std::thread::sleep(Duration::from_millis(200));
            let end = d.js(measure);
            println!("w7page: {w}x{h}: scrolled to the end: {end}");
            assert_eq!(end["under"], json!(true), "{w}x{h}: the note under the stacks stays cut: {end}");
            assert_eq!(end["cue"], json!(false), "{w}x{h}: the cue stays at the end: {end}");
        }
    }
    viewport(d, 1440, 900);
}

/// How the terminal's last table behaves: wrapped or not, whether it
/// scrolls sideways, its cue, and (a build log) rows whose time is off screen.
fn last_table(d: &Driver) -> Value {
    d.js(
        "const t = [...document.querySelectorAll('#out pre.table')].pop(); const o = document.getElementById('out').getBoundingClientRect(); \
         const cue = t.nextElementSibling && t.nextElementSibling.classList.contains('wide-cue') ? t.nextElementSibling.textContent : null; \
         return { wrap: t.classList.contains('wrap'), sideways: t.scrollWidth > t.clientWidth + 1, cue, \
           right: Math.max(...[...t.getClientRects()].map((r) => r.right)) <= o.right + 1 }",
    )
}

/// Finding 13 and the mobile score: on a phone a build log and `docker
/// ps -a` behave alike (each row wraps under itself, nothing scrolls
/// sideways, the same cue); the project files editor shows at least ten
/// lines.
fn phone_tables_alike_and_editor_tall(d: &Driver) {
    viewport(d, 390, 844);
    play_solution(d, "proc-4", false);
    wait_card(d);
    terminal(d);
    std::thread::sleep(Duration::from_millis(300));
    let ps = last_table(d);
    play_solution(d, "flow-1", false);
    wait_card(d);
    terminal(d);
    std::thread::sleep(Duration::from_millis(300));
    let build = last_table(d);
    shot(d, "phone-build-390x844");
    println!("w7page: 390x844: docker ps -a {ps}, docker build {build}");
    assert_eq!(build["sideways"], json!(false), "the build log scrolls sideways: {build}");
    assert_eq!(build, ps, "the build log and docker ps -a behave differently");
    // The editor, on the Lesson pane, with the learner in it.
    d.click("#done-stay");
    d.click("#panes button[data-pane=lesson]");
    d.js("document.getElementById('file-text').focus()");
    std::thread::sleep(Duration::from_millis(300));
    shot(d, "phone-editor-390x844");
    let lines = d.js("const t = document.getElementById('file-text'); const s = getComputedStyle(t); \
         const line = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.2; \
         return (t.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)) / line");
    println!("w7page: 390x844: the editor shows {lines} lines");
    assert!(lines.as_f64().unwrap() >= 10.0, "the phone's editor shows {lines} lines");
    viewport(d, 1440, 900);
}

/// The walk: each finding on a page of its own.
pub(super) fn w7page_walk(d: &Driver) {
    phone_tables_alike_and_editor_tall(d);
    images_view_cut_off_has_a_cue(d);
    next_track_has_an_open_level(d);
    sandbox_button_keeps_the_sandbox(d);
    card_shows_the_count(d);
}
