//! Issue 19, the fifth session's pictures (the fourth walk's findings 9, 13
//! and 14): the moving request label covers no box, the Lifecycle labels
//! each sit by their own edge, and a phone shows the swarm without
//! scrolling past the whole Architecture diagram, whose lines cross nothing.
//! In the sandbox the main test has reached. Screenshots:
//! `target/screenshots/walk5pics-*.png`, at 1440x900 and 390x844.

use super::*;

const SIZES: [(u32, u32, &str); 2] = [(1440, 900, "desktop"), (390, 844, "mobile")];

/// Shows the pictures' pane (on a phone) and the tab `tab`, scrolled to its top.
fn view(d: &Driver, tab: &str) {
    if d.js("return getComputedStyle(document.getElementById('panes')).display !== 'none'") == json!(true) {
        d.click("#panes button[data-pane=views]");
    }
    d.click(&format!("#tab-{tab}"));
    d.js("window.scrollTo(0, 0); document.querySelector('.views').scrollTop = 0");
}

/// Samples, on every frame while requests fly, each shown request label
/// against every shown box of the Architecture diagram.
const SAMPLE_LABELS: &str = "const w = window.__w5 = { n: 0, bad: [], on: true }; \
    const tick = () => { const svg = document.querySelector('#arch svg'); \
      const boxes = [...svg.querySelectorAll('.node')].filter((g) => getComputedStyle(g).display !== 'none') \
        .map((g) => [g.getAttribute('class'), g.querySelector('rect').getBoundingClientRect()]); \
      const area = svg.getBoundingClientRect(); \
      for (const t of svg.querySelectorAll('.packet-label')) { \
        if (!t.textContent || getComputedStyle(t).display === 'none') continue; \
        const g = t.closest('.packet'); if (g && g.getAttribute('opacity') === '0') continue; \
        const r = t.getBoundingClientRect(); if (!r.width) continue; w.n++; \
        if (r.left < area.left - 1 || r.right > area.right + 1 || r.top < area.top - 1) w.bad.push(t.textContent + ' out of the picture'); \
        for (const [name, b] of boxes) if (r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom) w.bad.push(t.textContent + ' over ' + name); } \
      if (w.on) requestAnimationFrame(tick); }; \
    requestAnimationFrame(tick);";

/// Finding 9: the moving request label ("POST /images/create") covers no
/// box (it was drawn over the docker CLI's title), mid-animation, at both
/// sizes; and the caption under the diagram is whole (finding 8).
pub(crate) fn walk_request_label_covers_no_box(d: &Driver, shots: &Path) {
    for (i, (w, h, name)) in SIZES.into_iter().enumerate() {
        size(d, w, h);
        view(d, "arch");
        d.js(SAMPLE_LABELS);
        terminal(d);
        run(d, &format!("docker run -d --name w5label{i} -p 808{i}:80 nginx"));
        view(d, "arch");
        std::thread::sleep(Duration::from_millis(350));
        d.screenshot(&shots.join(format!("walk5pics-request-{name}.png")));
        d.wait_for(
            "the requests' animation",
            "return document.getElementById('arch').dataset.playing === '0'",
            Duration::from_secs(20),
        );
        // Finding 8: the caption names every request, the start included,
        // whole (it was cut at "POST…").
        let caption = d.js("const c = document.getElementById('arch-live'); return [c.textContent, c.scrollHeight <= c.clientHeight + 1]");
        assert!(caption[0].as_str().unwrap().contains("/start answered 204."), "the caption at {w}x{h}: {caption}");
        assert_eq!(caption[1], json!(true), "the caption is cut at {w}x{h}: {caption}");
        let seen = d.js("window.__w5.on = false; return [window.__w5.n, [...new Set(window.__w5.bad)]]");
        assert!(seen[0].as_u64().unwrap() > 5, "no request label seen in flight at {w}x{h}: {seen}");
        assert_eq!(seen[1], json!([]), "request labels over boxes at {w}x{h}");
    }
    size(d, 1440, 900);
    terminal(d);
    run(d, "docker rm -f w5label0 w5label1");
}

/// Lists what is wrong with the Lifecycle graph's labels: two labels that
/// touch, a label over a state, a line or an arrowhead, a label nearer
/// (or nearly as near) another edge than its own, or the two ways into
/// running labelled alike.
const LABELS_OWN_EDGES: &str = "const svg = document.querySelector('#sm svg.sm'); const bad = []; \
    const states = [...svg.querySelectorAll('.state ellipse')].map((e) => e.getBBox()); \
    const paths = [...svg.querySelectorAll('path.edge[data-edge]')].map((p) => { const n = p.getTotalLength(); \
      return [p.dataset.edge, Array.from({ length: 121 }, (_, i) => p.getPointAtLength(n * i / 120))]; }); \
    const labels = [...svg.querySelectorAll('text.edge-label[data-edge]')].map((t) => [t.dataset.edge, t.textContent, t.getBBox()]); \
    const hit = (a, b, m) => a.x < b.x + b.width + m && b.x < a.x + a.width + m && a.y < b.y + b.height + m && b.y < a.y + a.height + m; \
    const dist = (b, q) => Math.hypot(Math.max(b.x - q.x, 0, q.x - b.x - b.width), Math.max(b.y - q.y, 0, q.y - b.y - b.height)); \
    for (const [edge, text, b] of labels) { \
      for (const [e2, t2, o] of labels) if (e2 !== edge && hit(b, o, 2)) bad.push(text + ' touches ' + t2); \
      for (const s of states) if (hit(b, s, 0)) bad.push(text + ' over a state'); \
      let own = Infinity; let other = Infinity; let rival = ''; \
      for (const [e2, pts] of paths) { const m = Math.min(...pts.map((q) => dist(b, q))); \
        if (pts.some((q) => dist(b, q) === 0)) bad.push(text + ' over the line ' + e2); \
        if (dist(b, pts[pts.length - 1]) < 6) bad.push(text + ' over the arrowhead of ' + e2); \
        if (e2 === edge) own = m; else if (m < other) { other = m; rival = e2; } } \
      if (own > 16) bad.push(text + ' is ' + own.toFixed(1) + ' from its edge'); \
      if (other < own + 6) bad.push(text + ' (' + edge + ') is as near ' + rival); } \
    const named = (e) => (labels.find(([x]) => x === e) || [])[1]; \
    if (named('created>running') === named('exited>running')) bad.push('two starts alike'); \
    if (labels.length !== paths.length) bad.push(labels.length + ' labels for ' + paths.length + ' edges'); \
    return [...new Set(bad)];";

/// Finding 14: every Lifecycle label sits by its own edge, clear of every
/// other label, state, line and arrowhead, and no other edge is nearly as
/// near it; the two starts read differently. At both sizes.
pub(crate) fn walk_lifecycle_labels_by_their_edges(d: &Driver, shots: &Path) {
    terminal(d);
    run(d, "docker run -d --name w5life nginx");
    for (w, h, name) in SIZES {
        size(d, w, h);
        view(d, "states");
        std::thread::sleep(Duration::from_millis(200));
        d.screenshot(&shots.join(format!("walk5pics-lifecycle-{name}.png")));
        assert_eq!(d.js(LABELS_OWN_EDGES), json!([]), "the Lifecycle labels at {w}x{h}");
    }
    size(d, 1440, 900);
    terminal(d);
    run(d, "docker rm -f w5life");
}

/// Lists the Architecture diagram's lines that cross another line (away
/// from a shared end) or run through a box other than their two ends'.
const LINES_CROSS: &str = "const svg = document.querySelector('#arch svg'); const bad = []; \
    const shown = (e) => getComputedStyle(e).display !== 'none'; \
    const boxes = [...svg.querySelectorAll('.node')].filter(shown).map((g) => [g.getAttribute('class'), g.querySelector('rect').getBBox()]); \
    const lines = [...svg.querySelectorAll('line, path.own-line')].filter(shown).map((l) => { const n = l.getTotalLength(); \
      return [l.getAttribute('class'), Array.from({ length: 81 }, (_, i) => l.getPointAtLength(n * i / 80))]; }); \
    for (const [name, pts] of lines) for (const [box, b] of boxes) \
      if (pts.some((p) => p.x > b.x + 2 && p.x < b.x + b.width - 2 && p.y > b.y + 2 && p.y < b.y + b.height - 2)) bad.push(name + ' through ' + box); \
    for (let i = 0; i < lines.length; i++) for (let j = i + 1; j < lines.length; j++) { \
      const [a, pa] = lines[i]; const [b, pb] = lines[j]; \
      const ends = [pa[0], pa[pa.length - 1], pb[0], pb[pb.length - 1]]; \
      const cross = pa.some((p) => !ends.some((e) => Math.hypot(e.x - p.x, e.y - p.y) < 8) && pb.some((q) => Math.hypot(q.x - p.x, q.y - p.y) < 1.5)); \
      if (cross) bad.push(a + ' crosses ' + b); } \
    return [...new Set(bad)];";

/// Finding 13: on a phone, with a swarm service of 3 replicas, the swarm
/// panel's replica slots are in view without scrolling (the panel started
/// at the very bottom), and no line of the diagram crosses another line or
/// a box (a connector ran from dockerd down between networks and volumes,
/// across their line). The desktop's lines are checked too.
pub(crate) fn walk_phone_swarm_in_view(d: &Driver, shots: &Path) {
    terminal(d);
    run(d, "docker swarm init");
    run(d, "docker service create --name w5web --replicas 3 -p 8080:80 nginx");
    for (w, h, name) in SIZES {
        size(d, w, h);
        view(d, "arch");
        std::thread::sleep(Duration::from_millis(1200));
        d.screenshot(&shots.join(format!("walk5pics-swarm-{name}.png")));
        assert_eq!(d.js(LINES_CROSS), json!([]), "the Architecture's lines at {w}x{h}");
        let slots = d.js("const r = document.querySelector('#arch-swarm .slots').getBoundingClientRect(); return [r.top, r.bottom, innerHeight]");
        let v: Vec<f64> = slots.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
        assert!(v[0] > 0.0 && v[1] <= v[2], "the swarm's replica slots out of view at {w}x{h}: {slots}");
    }
    // Finding 10: with 5 replicas the Processes view's short table keeps
    // short rows (it was stretched to the host table's height).
    size(d, 1440, 900);
    terminal(d);
    run(d, "docker service scale w5web=5");
    view(d, "procs");
    let rows =
        d.js("return [...document.querySelectorAll('#view-procs .lens table')[0].rows].map((r) => r.offsetHeight)");
    assert!(rows.as_array().unwrap().iter().all(|h| h.as_f64().unwrap() < 40.0), "the inside table's rows: {rows}");
    terminal(d);
    run(d, "docker service rm w5web");
    run(d, "docker swarm leave --force");
}

/// Finding 15: before any container the VMs view (the first level's, behind
/// the welcome) plays the race as a preview, looping: a VM's bar and a
/// container's, every segment there, each sweeping in; the first run
/// replaces it with the learner's own.
pub(crate) fn walk_vms_preview_before_the_first_run(d: &Driver, shots: &Path) {
    for (w, h, name) in SIZES {
        size(d, w, h);
        // The Reset button is in the lesson's pane (hidden on a phone).
        d.js("document.getElementById('reset').click()");
        std::thread::sleep(Duration::from_millis(500));
        view(d, "vms");
        let lanes = d.js(
            "return [...document.querySelectorAll('#vms .wait-row')].map((r) => [r.querySelector('.bar-name').textContent, \
             r.querySelectorAll('.seg').length, r.querySelector('.sweep').getAnimations().length, r.querySelector('.track').getBoundingClientRect().width > 100])",
        );
        assert_eq!(
            lanes,
            json!([["preview: an app as a VM", 4, 1, true], ["preview: as a container", 2, 1, true]]),
            "the VMs view's preview at {w}x{h}"
        );
        std::thread::sleep(Duration::from_millis(1500));
        d.screenshot(&shots.join(format!("walk5pics-vms-preview-{name}.png")));
        terminal(d);
        run(d, "docker run hello-world");
        view(d, "vms");
        assert_eq!(
            d.js("return document.querySelectorAll('#vms .wait-row').length"),
            json!(0),
            "the preview stayed after a run"
        );
        assert_eq!(d.js("return document.querySelectorAll('#vms .bar-row').length"), json!(2));
    }
    size(d, 1440, 900);
    terminal(d);
    d.js("document.getElementById('reset').click()");
}
