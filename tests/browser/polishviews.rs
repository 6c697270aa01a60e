//! Issue 19, the third walk's findings on the pictures (1, 4, 7, 10): the
//! pickers open on a running container, the VMs view does not mix real and
//! what-if numbers, the Lifecycle graph has arrows and its labels sit
//! clear of every line, and a failing service is drawn red. In the sandbox
//! the main test has reached. Screenshots: `target/screenshots/polishviews-*.png`.

use super::*;

/// Shows the pictures' pane (on a phone) and the tab `tab`.
fn view(d: &Driver, tab: &str) {
    if d.js("return getComputedStyle(document.getElementById('panes')).display !== 'none'") == json!(true) {
        d.click("#panes button[data-pane=views]");
    }
    d.click(&format!("#tab-{tab}"));
}

/// The picked container's state, as its option reads and as the view says.
fn picked(d: &Driver, pick: &str) -> String {
    d.text(&format!("const p = document.getElementById('{pick}'); return p.options[p.selectedIndex].textContent"))
}

/// Finding 4: an exited container run before a swarm does not stay picked
/// in Processes and Lifecycle (nor as the VMs view's example) while the
/// service's replicas run. Then the VMs view's numbers (finding 7).
pub(crate) fn walk_pickers_open_on_a_running_container(d: &Driver, shots: &Path) {
    size(d, 1440, 900);
    terminal(d);
    run(d, "docker run --name pv-gone hello-world");
    // The learner looks at it: both pickers hold it.
    view(d, "procs");
    assert_eq!(picked(d, "pl-pick"), "pv-gone");
    view(d, "states");
    assert_eq!(picked(d, "sm-pick"), "pv-gone");
    terminal(d);
    run(d, "docker swarm init");
    run(d, "docker service create --name pv --replicas 2 nginx");
    run(d, "docker service ls");
    view(d, "procs");
    let p = picked(d, "pl-pick");
    assert!(p.starts_with("pv."), "Processes opens on {p}, not on a running replica of pv");
    let live = d.text("return document.getElementById('pl-live').textContent");
    assert!(live.contains("is PID 1"), "the Processes view's words: {live}");
    // The fourth walk: the container's short table was stretched to the host
    // table's height (tall rows, text floating in the middle).
    let heights = d.js("const t = document.querySelectorAll('#view-procs .lens table'); return [t[0].offsetHeight, t[1].offsetHeight, t[0].rows.length, t[1].rows.length]");
    let h: Vec<u64> = heights.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert!(h[2] >= h[3] || h[0] < h[1], "the inside table stretched to the host table's height: {heights}");
    d.screenshot(&shots.join("polishviews-procs.png"));
    view(d, "states");
    let s = picked(d, "sm-pick");
    assert!(s.starts_with("pv."), "Lifecycle opens on {s}, not on a running replica of pv");
    assert!(d.text("return document.getElementById('sm-live').textContent").contains("is running"));

    // Finding 7: the heading counts what runs; the what-if says so.
    view(d, "vms");
    let example = d.text("return document.querySelector('#vms .bar-name.vm').textContent");
    assert!(example.starts_with("VM for pv."), "the VMs view's example app: {example}");
    let head = d.text("return document.querySelector('#vms h3').textContent");
    let rows = d.js("return [...document.querySelectorAll('#vms .mem-row .bar-name')].map((n) => n.textContent)");
    let running = rows[0].as_str().unwrap().trim_start_matches("VMs: ").trim_end_matches(" running").to_string();
    assert!(
        head.starts_with(&format!("{running} apps started two ways: as {running} VMs, as {running} containers ("))
            && head.contains("exited"),
        "the heading counts the exited: {head} (rows {rows})"
    );
    let slider = d.text("return document.getElementById('vm-n-out').textContent");
    assert_eq!(slider, running, "the slider starts at the running apps");
    // The containers' memory holds no "namespaces + cgroups" (the boot's colour).
    assert_eq!(d.js("return document.querySelectorAll('#vms .mem.rt').length"), json!(0));
    // The fourth walk: "…and 3 more apps (pv-gone, …), each booting the same
    // way" named an exited container among the apps that boot.
    let more = d.text("const m = document.querySelector('#vms .more-apps'); return m ? m.textContent : ''");
    assert!(!more.contains("pv-gone"), "an exited container among the booting apps: {more}");
    d.screenshot(&shots.join("polishviews-vms.png"));
    d.js("const n = document.getElementById('vm-n'); n.value = '8'; n.dispatchEvent(new Event('input'))");
    let what = d.text("return document.getElementById('vms').textContent");
    assert!(what.contains("If you ran 8 apps") && what.contains("8 VMs would use"), "the what-if: {what}");
    assert!(!what.contains("8 running"), "the what-if relabels the rows as running: {what}");
    d.screenshot(&shots.join("polishviews-vms-what-if.png"));
    terminal(d);
    run(d, "docker service rm pv");
    run(d, "docker swarm leave --force");
}

/// Finding 10: every edge of the Lifecycle graph ends in a visible arrowhead
/// (outside the state it points to), every label is clear of every line and
/// of the other labels, and restarting -> exited is labelled; at 1440x900
/// and 390x844.
pub(crate) fn walk_lifecycle_has_direction(d: &Driver, shots: &Path) {
    const CHECK: &str = "const svg = document.querySelector('#sm svg.sm'); \
        const ells = [...svg.querySelectorAll('ellipse')].map((e) => [+e.getAttribute('cx'), +e.getAttribute('cy'), +e.getAttribute('rx'), +e.getAttribute('ry')]); \
        const paths = [...svg.querySelectorAll('path.edge')]; const bad = []; \
        for (const p of paths) { const end = p.getPointAtLength(p.getTotalLength()); \
          if (ells.some(([x, y, rx, ry]) => ((end.x - x) / rx) ** 2 + ((end.y - y) / ry) ** 2 < 1)) bad.push('arrow hidden: ' + p.getAttribute('d')); \
          if (!p.getAttribute('marker-end')) bad.push('no arrowhead'); } \
        const labels = [...svg.querySelectorAll('text.edge-label')].map((t) => [t.textContent, t.getBBox()]); \
        for (const [text, b] of labels) { \
          for (const p of paths) { const n = p.getTotalLength(); \
            for (let i = 0; i <= 100; i++) { const q = p.getPointAtLength(n * i / 100); \
              if (q.x > b.x + 1 && q.x < b.x + b.width - 1 && q.y > b.y + 1 && q.y < b.y + b.height - 1) { bad.push(text + ' on a line'); break; } } } \
          for (const [other, o] of labels) { \
            if (o !== b && b.x < o.x + o.width && o.x < b.x + b.width && b.y < o.y + o.height && o.y < b.y + b.height) bad.push(text + ' on ' + other); } } \
        const named = (e) => { const t = svg.querySelector(`text.edge-label[data-edge='${e}']`); return t ? t.textContent : ''; }; \
        if (!named('restarting>exited')) bad.push('restarting > exited has no label'); \
        return [...new Set(bad)];";
    for (w, h, name) in [(1440, 900, "desktop"), (390, 844, "mobile")] {
        size(d, w, h);
        view(d, "states");
        std::thread::sleep(Duration::from_millis(200));
        d.screenshot(&shots.join(format!("polishviews-lifecycle-{name}.png")));
        assert_eq!(d.js(CHECK), json!([]), "the Lifecycle graph at {w}x{h}");
    }
    size(d, 1440, 900);
    terminal(d);
}

/// Finding 1 (the picture): a service whose tasks fail is not drawn green:
/// its count is red, its failed slots red with a cross, "failed" in the key.
pub(crate) fn walk_failing_service_is_red(d: &Driver, shots: &Path) {
    size(d, 1440, 900);
    terminal(d);
    run(d, "docker swarm init");
    run(d, "docker service create --name pvbad --replicas 3 nginx -p 80:80");
    view(d, "arch");
    std::thread::sleep(Duration::from_millis(1200));
    let svc = "#arch-swarm .svc[data-service=pvbad]";
    let count = d.js(&format!(
        "const c = document.querySelector('{svc} .svc-count'); return [c.textContent, getComputedStyle(c).color]"
    ));
    assert_eq!(count, json!(["0 of 3 replicas running", "rgb(255, 107, 107)"]), "the count of a failing service");
    let dots = d.js(&format!(
        "return [...document.querySelectorAll('{svc} .slot.failed .slot-dot')].map((s) => [s.textContent, getComputedStyle(s).backgroundColor])"
    ));
    let dots = dots.as_array().unwrap();
    assert!(!dots.is_empty(), "no failed slot drawn");
    for dot in dots {
        assert_eq!(dot, &json!(["✕", "rgb(255, 107, 107)"]), "a failed slot");
    }
    let key = d.text(&format!("return document.querySelector('{svc} .svc-legend').textContent"));
    assert!(key.contains("failed"), "the key: {key}");
    d.screenshot(&shots.join("polishviews-failing-service.png"));
    terminal(d);
    run(d, "docker service rm pvbad");
    run(d, "docker swarm leave --force");
}

/// Finding 13: the Images view's layer blocks and tags are not cut mid-word:
/// a block's label is at most two whole lines, none clipped by its box, and
/// a tag wraps only after its ':' (each of its parts stays on one line).
pub(crate) fn walk_image_labels_stay_whole(d: &Driver, shots: &Path) {
    const CUT: &str = "const bad = []; \
        for (const s of document.querySelectorAll('#images .iv-block-ins')) if (s.scrollWidth > s.clientWidth + 1) bad.push('clipped: ' + s.textContent); \
        for (const b of document.querySelectorAll('#images .iv-block')) { if (b.querySelectorAll('.iv-block-ins').length > 2) bad.push('3 lines: ' + b.title); \
          if (!b.title) bad.push('no title'); } \
        for (const c of document.querySelectorAll('#images .iv-tags code')) for (const n of c.childNodes) if (n.nodeType === 3) { \
          const r = document.createRange(); r.selectNodeContents(n); \
          if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1) bad.push('broken tag: ' + c.textContent); } \
        return bad;";
    size(d, 1440, 900);
    terminal(d);
    run(d, "docker pull nginx");
    run(d, "docker build -t mine .");
    for (w, h, name) in [(1440, 900, "desktop"), (390, 844, "mobile")] {
        size(d, w, h);
        view(d, "images");
        std::thread::sleep(Duration::from_millis(300));
        assert!(d.js("return document.querySelectorAll('#images .iv-block').length").as_u64().unwrap() >= 3);
        assert_eq!(d.js(CUT), json!([]), "the Images view's labels at {w}x{h}");
        d.js("document.querySelector('#images .iv-images').scrollIntoView()");
        d.screenshot(&shots.join(format!("polishviews-images-{name}.png")));
    }
    size(d, 1440, 900);
    terminal(d);
}

/// Finding 14: the remote daemon's box shows only once one is used, and on
/// a phone no line from the daemon runs behind another box (the lines to
/// networks and volumes ran under the containers and images boxes).
pub(crate) fn walk_architecture_box_and_lines(d: &Driver, shots: &Path) {
    const BEHIND: &str = "const boxes = [...document.querySelectorAll('#arch .node')].map((g) => [g.getAttribute('class'), g.querySelector('rect').getBBox()]); \
        const bad = []; \
        for (const l of document.querySelectorAll('#arch .own-line')) { const n = l.getTotalLength(); \
          for (let i = 0; i <= 60; i++) { const p = l.getPointAtLength(n * i / 60); \
            for (const [name, b] of boxes) if (p.x > b.x + 2 && p.x < b.x + b.width - 2 && p.y > b.y + 2 && p.y < b.y + b.height - 2) bad.push(name); } } \
        return [...new Set(bad)].filter((n) => !n.includes('node-daemon'));";
    let shown = "return getComputedStyle(document.querySelector('#arch .node-remote')).display !== 'none'";
    size(d, 1440, 900);
    d.click("#reset");
    std::thread::sleep(Duration::from_millis(500));
    view(d, "arch");
    assert_eq!(d.js(shown), json!(false), "the remote box before any remote daemon is used");
    size(d, 390, 844);
    view(d, "arch");
    assert_eq!(d.js(BEHIND), json!([]), "lines behind boxes at 390x844");
    d.screenshot(&shots.join("polishviews-arch-mobile.png"));
    terminal(d);
    run(d, "docker -H remote ps");
    view(d, "arch");
    assert_eq!(d.js(shown), json!(true), "the remote box after docker -H remote ps");
    size(d, 1440, 900);
    d.screenshot(&shots.join("polishviews-arch-remote.png"));
    d.click("#reset");
    terminal(d);
}
