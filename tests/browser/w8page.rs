//! Issue 19, the seventh walk's findings in the page: the "more below" cue
//! covers no content and the VMs view shows its totals at 1280x720 in both
//! pictures (findings 7 and 9); the phone's containers memory words are
//! whole. Screenshots: `target/screenshots/w8page-*.png` at 1440x900,
//! 1280x720 and 390x844.

use super::*;

const SIZES: [(u32, u32); 3] = [(1440, 900), (1280, 720), (390, 844)];

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("w8page-{name}.png")));
}

/// Sets the viewport (not the window with its frame) to w x h.
fn viewport(d: &Driver, w: u32, h: u32) {
    d.resize(w, h);
    let frame = h.saturating_sub(d.js("return window.innerHeight").as_u64().unwrap() as u32);
    d.resize(w, h + frame);
    std::thread::sleep(Duration::from_millis(300));
}

/// Shows the pictures' pane (on a phone) and the tab `tab`, scrolled to its top.
fn view(d: &Driver, tab: &str) {
    if d.js("return getComputedStyle(document.getElementById('panes')).display !== 'none'") == json!(true) {
        d.click("#panes button[data-pane=views]");
    }
    d.js("window.scrollTo(0, 0); document.querySelector('.views').scrollTop = 0");
    d.click(&format!("#tab-{tab}"));
    d.js(&format!(
        "window.scrollTo(0, 0); document.querySelector('.views').scrollTop = 0; document.getElementById('view-{tab}').scrollTop = 0"
    ));
    std::thread::sleep(Duration::from_millis(200));
}

fn sandbox(d: &Driver) {
    d.js("localStorage.setItem('dockhand.playground.welcomed', '1'); history.replaceState(null, '', location.pathname + '#sandbox'); location.reload()");
    d.wait_for("the sandbox", "return document.documentElement.dataset.ready === '1'", Duration::from_secs(20));
}

/// Where a visible "more below" cue overlaps a visible view's pane: the
/// cue must sit outside every pane's content area.
const CUE_ON_CONTENT: &str = "const bad = []; \
    for (const cue of document.querySelectorAll('.more-below')) { \
      if (!cue.getClientRects().length) continue; const c = cue.getBoundingClientRect(); \
      for (const p of document.querySelectorAll('.views [role=tabpanel]')) { \
        if (!p.getClientRects().length) continue; const r = p.getBoundingClientRect(); \
        if (c.top < r.bottom - 0.5 && c.bottom > r.top + 0.5 && c.left < r.right && c.right > r.left) \
          bad.push(p.id + ': cue ' + c.top + '..' + c.bottom + ' on the pane ' + r.top + '..' + r.bottom); } } \
    return bad;";

/// The VMs view's totals (the memory rows' figures in the race, the
/// stacks' "GB in all" in the layers) not whole inside the pane.
const TOTALS_OUT: &str = "const p = document.getElementById('view-vms').getBoundingClientRect(); \
    const race = !!document.querySelector('#vms .mem-row'); \
    const ts = [...document.querySelectorAll(race ? '#vms .mem-row .bar-time' : '#vms .stack-total')]; \
    if (ts.length !== 2) return ['totals: ' + ts.length]; \
    return ts.filter((t) => { const r = t.getBoundingClientRect(); return r.top < p.top - 1 || r.bottom > Math.min(p.bottom, innerHeight) + 1; }) \
      .map((t) => t.textContent + ' at ' + t.getBoundingClientRect().bottom + ' > ' + p.bottom);";

/// Findings 7 and 9: with three apps, at every size, in both pictures of
/// the VMs view the cue covers nothing; at 1440x900 and 1280x720 the
/// totals show without scrolling; on a phone the containers' memory words
/// are whole; the Wire view's cue covers nothing either.
pub(crate) fn w8page_cue_and_vms_fit(d: &Driver) {
    viewport(d, 1440, 900);
    sandbox(d);
    terminal(d);
    for line in
        ["docker run -d --name web1 nginx", "docker run -d --name web2 nginx", "docker run -d --name cache redis"]
    {
        run(d, line);
    }
    for (w, h) in SIZES {
        viewport(d, w, h);
        for mode in ["race", "layers"] {
            view(d, "vms");
            d.click(&format!("#vms button[data-mode={mode}]"));
            std::thread::sleep(Duration::from_millis(3500));
            d.js("document.getElementById('view-vms').scrollTop = 0");
            std::thread::sleep(Duration::from_millis(200));
            shot(d, &format!("vms-{mode}-{w}x{h}"));
            assert_eq!(d.js(CUE_ON_CONTENT), json!([]), "{w}x{h} {mode}: the cue covers the picture");
            if w > 900 {
                assert_eq!(d.js(TOTALS_OUT), json!([]), "{w}x{h} {mode}: the totals need scrolling");
            } else if mode == "race" {
                d.js("document.querySelector('#vms .mem-rest').scrollIntoView({ block: 'center' })");
                std::thread::sleep(Duration::from_millis(200));
                shot(d, &format!("vms-memrow-{w}x{h}"));
                let words = d.js(
                    "const r = document.querySelector('#vms .mem-rest'); const row = r.closest('.mem-row').getBoundingClientRect(); \
                     const b = r.getBoundingClientRect(); \
                     return { cut: r.scrollHeight > r.clientHeight + 1 || r.scrollWidth > r.clientWidth + 1, \
                       inside: b.top >= row.top - 1 && b.bottom <= row.bottom + 1, text: r.textContent }",
                );
                println!("w8page: {w}x{h}: the containers' memory words {words}");
                assert_eq!(words["cut"], json!(false), "{w}x{h}: the memory words are cut: {words}");
                assert_eq!(words["inside"], json!(true), "{w}x{h}: the memory words spill out of their row: {words}");
            }
        }
    }
    // The Wire view at 1440x900, a request's answer shown (finding 7).
    viewport(d, 1440, 900);
    view(d, "wire");
    d.js("document.querySelector('#wire-list button, #wire-list [role=button], #wire-list li')?.click()");
    std::thread::sleep(Duration::from_millis(300));
    shot(d, "wire-1440x900");
    assert_eq!(d.js(CUE_ON_CONTENT), json!([]), "the Wire view's cue covers its content");
    // The cue still works: it scrolls the pane it belongs to.
    let more =
        d.js("const c = document.querySelector('#view-wire + .more-below'); return !!c && !!c.getClientRects().length");
    if more == json!(true) {
        d.click("#view-wire + .more-below");
        std::thread::sleep(Duration::from_millis(700));
        assert!(
            d.js("return document.getElementById('view-wire').scrollTop").as_f64().unwrap() > 10.0,
            "the cue does not scroll the Wire view"
        );
    }
}
