//! The checks of the second newcomer walk's last findings (issue 19, walk 2:
//! findings 10 to 15 and the par part of 3). Each is called from the walk
//! of the same area and saves `target/screenshots/learnpolish-*.png`.

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("learnpolish-{name}.png")));
}

/// Which of the selectors' elements the completion card covers (visible
/// ones only), and whether the lesson column's done line shows as well.
const COVERS: &str = "const c = document.getElementById('done-dlg').getBoundingClientRect(); \
    const hit = (s) => { const e = document.querySelector(s); if (!e || !e.getClientRects().length) return false; const r = e.getBoundingClientRect(); return r.width > 0 && c.left < r.right && r.left < c.right && c.top < r.bottom && r.top < c.bottom; }; \
    return [['#reset', '#next', '#hint', '#files-box', 'main > .views', 'main > .term'].filter(hit), document.getElementById('done').getClientRects().length > 0]";

/// Finding 10: on a desktop the card covers neither the lesson's buttons,
/// nor the project files' editor, nor the picture or the terminal, and the
/// lesson column does not say "Level complete" a second time.
pub(super) fn learnpolish_card_covers_nothing(d: &Driver, id: &str) {
    if id == "vms-1" || id == "flow-1" {
        shot(d, &format!("card-{id}"));
    }
    let seen = d.js(COVERS);
    assert_eq!(seen, json!([[], false]), "{id}: the completion card covers [these] / the done line repeats it");
    let said = d.js("return (document.querySelector('main').innerText.match(/Level complete/g) || []).length");
    assert_eq!(said, json!(1), "{id}: \"Level complete\" said twice on the page");
    // The buttons under it can be clicked where they are drawn.
    // (The lesson column may have scrolled to the editor: back to the
    // buttons, under the column's pinned title.)
    let free = d.js("const s = document.querySelector('main > .lesson'); s.scrollTop += document.getElementById('reset').getBoundingClientRect().top - document.querySelector('.lesson-head').getBoundingClientRect().bottom - 20; return ['reset', 'next'].map((i) => { const r = document.getElementById(i).getBoundingClientRect(); const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return Boolean(e && e.id === i); })");
    assert_eq!(free, json!([true, true]), "{id}: Reset / Next level cannot be reached");
}

/// Finding 15: a new level starts on a fresh picture: behind level 2's
/// dialog the VMs view asks for level 2's containers, not level 1's run.
pub(super) fn learnpolish_fresh_picture(d: &Driver) {
    let text = d.text("return document.getElementById('vms').textContent");
    assert!(!text.contains("hello-world"), "level 2's VMs view shows level 1's text: {text}");
    assert!(text.contains("this level"), "the empty VMs view does not say what to do here: {text}");
    shot(d, "level2-dialog");
}

/// Walk finding 3 (par): a curl that ran and failed is a move; only lines
/// that were not understood are excused, and the card says so.
pub(super) fn learnpolish_par_counts_a_failed_curl(d: &Driver) {
    let score = d.text("return document.getElementById('done-dlg-score').textContent");
    assert!(score.contains("2 commands;") && score.contains("par is 1"), "the failed curl is not counted: {score}");
    let rule = d.text("return document.getElementById('done-dlg-rule').textContent");
    assert!(
        rule.contains("2 lines") && rule.contains("did not understand") && !rule.contains("reaching the daemon"),
        "the rule does not say what it excuses: {rule}"
    );
}

/// Finding 8: the terminal shows at least 12 lines at 1440x900 and at
/// 1280x720, and the picture stays the larger panel above it.
pub(super) fn learnpolish_terminal_height(d: &Driver) {
    for (w, h) in [(1280, 720), (1440, 900)] {
        // The viewport (as the walk measured it), not the window with its frame.
        d.resize(w, h);
        let frame = h - d.js("return window.innerHeight").as_u64().unwrap() as u32;
        d.resize(w, h + frame);
        std::thread::sleep(Duration::from_millis(200));
        let got = d.js("const o = document.getElementById('out'); const cs = getComputedStyle(o); const line = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.2; const v = document.querySelector('main > .views').getBoundingClientRect(); return [(o.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)) / line, v.height, document.querySelector('main > .term').getBoundingClientRect().height, window.innerHeight]");
        println!("terminal at {w}x{h}: [lines, picture px, terminal px, viewport px] = {got}");
        assert!(got[0].as_f64().unwrap() >= 12.0, "the terminal shows under 12 lines at {w}x{h}: {got}");
        assert!(got[1].as_f64().unwrap() >= 300.0, "the picture is under 300 px high at {w}x{h}: {got}");
        shot(d, &format!("layout-{w}x{h}"));
    }
    d.resize(1440, 900);
}

/// Finding 13: the last level, with levels still open, offers the first
/// open one (the sandbox second) and says what Enter does.
pub(super) fn learnpolish_last_level_offers_an_open_level(d: &Driver) {
    d.js(&format!(
        "const p = JSON.parse(localStorage.getItem('dockhand.playground.progress')); delete p['arch-1']; delete p['proc-2']; localStorage.setItem('dockhand.playground.progress', JSON.stringify(p)); location.hash = '#level={}'; location.reload()",
        session9::LAST_LEVEL
    ));
    d.wait_for(
        "the page to be ready",
        "return document.documentElement.dataset.ready === '1'",
        Duration::from_secs(20),
    );
    d.answer("level-dlg", "level-go");
    for line in session9::LAST_LEVEL_SOLUTION {
        run(d, line);
    }
    d.wait_for("the completion dialog", "return document.getElementById('done-dlg').open", Duration::from_secs(5));
    let first = levels().into_iter().find(|l| l["id"] == "arch-1").unwrap();
    let title = first["title"].as_str().unwrap().to_string();
    let next = d.text("return document.getElementById('done-next').textContent");
    assert_eq!(next, format!("Next: {title}"), "the primary button");
    assert_eq!(d.js("return document.getElementById('done-sandbox').hidden"), json!(false), "no way to the sandbox");
    let enter = d.text("return document.getElementById('done-dlg-enter').textContent");
    assert!(enter.contains(&title), "the Enter hint does not say what Enter does: {enter}");
    shot(d, "last-level-open");
    d.type_into("#cmd", "\u{E007}");
    d.wait_for(
        "the first open level",
        &format!("return document.getElementById('level').value === 'arch-1' && document.getElementById('lesson-title').textContent === {}", json!(title)),
        Duration::from_secs(5),
    );
    d.answer("level-dlg", "level-go");
}

/// Finding 11: on a phone, completing track 1 level 1 leaves the greeting
/// in view above the card, and Next level has the focus.
pub(super) fn learnpolish_phone_greeting_stays(d: &Driver) {
    let seen = d.js("const out = document.getElementById('out'); const o = out.getBoundingClientRect(); const card = document.getElementById('done-dlg').getBoundingClientRect(); \
        const w = document.createTreeWalker(out, NodeFilter.SHOW_TEXT); let n, hit = null; while ((n = w.nextNode())) if (n.textContent.includes('Hello from Docker!')) hit = n; \
        if (!hit) return 'no greeting'; const r = document.createRange(); const i = hit.textContent.indexOf('Hello from Docker!'); r.setStart(hit, i); r.setEnd(hit, i + 18); const b = r.getBoundingClientRect(); \
        return [document.getElementById('app').dataset.pane, b.top >= o.top - 1 && b.bottom <= o.bottom + 1, b.bottom <= card.top, document.activeElement.id]");
    assert_eq!(
        seen,
        json!(["term", true, true, "done-next"]),
        "[pane, greeting in the terminal's view, above the card, focus]"
    );
    shot(d, "phone-complete");
}

/// Finding 12: the VMs view's row labels are whole (not cut to "container
/// …") and at least 13 px, and a growing bar's label is never scaled.
pub(super) fn learnpolish_vms_labels_whole(d: &Driver, size: &str) {
    let cut = d.js("return [...document.querySelectorAll('#vms .bar-name')].filter(e => e.getClientRects().length && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1 || parseFloat(getComputedStyle(e).fontSize) < 13)).map(e => e.textContent)");
    assert_eq!(cut, json!([]), "{size}: VMs view labels cut or under 13 px");
    let n = d.js("return document.querySelectorAll('#vms .bar-name').length").as_u64().unwrap();
    assert!(n >= 2, "{size}: no row labels to check");
    // Replay the boot: while the bars grow, no segment is drawn scaled.
    d.click("#vm-replay");
    std::thread::sleep(Duration::from_millis(300));
    let scaled = d.js("return [...document.querySelectorAll('#vms .seg')].filter(s => s.getAnimations().length && getComputedStyle(s).transform !== 'none').map(s => s.className)");
    assert_eq!(scaled, json!([]), "{size}: a growing bar's label is squashed");
    shot(d, &format!("vms-labels-{size}"));
}
