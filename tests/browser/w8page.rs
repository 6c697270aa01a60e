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

/// Finding 5, the picture half: after `docker run -d -p 8080:80 --name
/// site nginx` and `curl localhost:8080` the Architecture picture draws the
/// curl's path (host port → the containers box, clear of the daemon's box
/// and the REST API line), and the caption says where the connection went.
/// The next docker command takes the path away.
pub(crate) fn w8page_curl_path(d: &Driver) {
    viewport(d, 1440, 900);
    sandbox(d);
    terminal(d);
    run(d, "docker run -d -p 8080:80 --name site nginx");
    for (w, h) in SIZES {
        viewport(d, w, h);
        terminal(d);
        run(d, "curl localhost:8080");
        view(d, "arch");
        std::thread::sleep(Duration::from_millis(300));
        shot(d, &format!("curl-{w}x{h}"));
        let seen = d.js(
            "const g = document.querySelector('#arch .curl-path'); if (!g) return { drawn: false }; \
             const box = (k) => document.querySelector('#arch .node-' + k + ' rect').getBoundingClientRect(); \
             const c = box('containers'); const dm = box('daemon'); \
             const path = g.querySelector('path'); const m = path.getScreenCTM(); const n = path.getTotalLength(); \
             const at = (l) => { const p = path.getPointAtLength(l); return [m.a * p.x + m.e, m.d * p.y + m.f]; }; \
             const [x, y] = at(n); \
             const through = [...Array(41).keys()].map((i) => at(n * i / 40)).some(([px, py]) => px > dm.left && px < dm.right && py > dm.top && py < dm.bottom); \
             return { drawn: getComputedStyle(g).visibility === 'visible', words: g.textContent, \
               into: x >= c.left - 8 && x <= c.right && y >= c.top && y <= c.bottom, daemon: through, \
               caption: document.getElementById('arch-live').textContent }",
        );
        println!("w8page: {w}x{h}: curl's path {seen}");
        assert_eq!(seen["drawn"], json!(true), "{w}x{h}: no curl path: {seen}");
        assert!(seen["words"].as_str().unwrap().contains(":8080"), "{w}x{h}: the path does not name the port: {seen}");
        assert_eq!(seen["into"], json!(true), "{w}x{h}: the path does not end at the containers box: {seen}");
        assert_eq!(seen["daemon"], json!(false), "{w}x{h}: the path crosses the daemon: {seen}");
        let caption = seen["caption"].as_str().unwrap();
        assert!(
            caption.contains("the host's published port 8080")
                && caption.contains("Docker's port forwarding sends it to port 80 of site")
                && caption.contains("no API request to the daemon"),
            "{w}x{h}: {caption}"
        );
    }
    viewport(d, 1440, 900);
    terminal(d);
    run(d, "docker ps");
    view(d, "arch");
    assert_eq!(
        d.js("const g = document.querySelector('#arch .curl-path'); return !!g && getComputedStyle(g).visibility === 'visible'"),
        json!(false),
        "the curl's path stays after a docker command"
    );
}

/// Finding 10: at 1440x900 (and 1280x720) with two hints open in flow-2,
/// once the completion card shows the Project files editor keeps at least
/// eight lines in view with Save file under it, not on it; the hints fold
/// to one button, which unfolds them.
pub(crate) fn w8page_editor_with_hints(d: &Driver) {
    let all = levels();
    let level = all.iter().find(|l| l["id"] == "flow-2").expect("flow-2");
    for (w, h) in [(1440, 900), (1280, 720)] {
        viewport(d, w, h);
        play(d, "flow-2", &[]);
        d.click("#hint");
        d.click("#hint");
        for step in level["solution"].as_array().unwrap() {
            let step = step.as_str().unwrap();
            if step.starts_with("#file ") { edit_file(d, step) } else { run(d, step) }
        }
        wait_card(d);
        d.js("document.getElementById('file-text').focus({ preventScroll: true })");
        if w < 1440 {
            // A shorter window: the lesson column scrolls to the editor.
            d.js("const c = document.querySelector('main > .lesson'); c.scrollTop = c.scrollHeight");
        }
        std::thread::sleep(Duration::from_millis(300));
        shot(d, &format!("flow2-hints-{w}x{h}"));
        let seen = d.js(
            "const t = document.getElementById('file-text'); const r = t.getBoundingClientRect(); \
             const c = document.querySelector('main > .lesson').getBoundingClientRect(); \
             const s = document.getElementById('file-save').getBoundingClientRect(); \
             const line = parseFloat(getComputedStyle(t).lineHeight) || 1.2 * parseFloat(getComputedStyle(t).fontSize); \
             const shown = Math.min(r.bottom, s.top, c.bottom, innerHeight) - Math.max(r.top, c.top); \
             return { lines: shown / line, saveUnder: s.top >= r.bottom - 1, saveInView: s.bottom <= Math.min(c.bottom, innerHeight) + 1, \
               fold: document.querySelector('#hints .hints-fold')?.textContent || null }",
        );
        println!("w8page: {w}x{h}: flow-2 with hints, card open: the editor {seen}");
        assert!(seen["lines"].as_f64().unwrap() >= 8.0, "{w}x{h}: the editor shows under 8 lines: {seen}");
        assert_eq!(seen["saveUnder"], json!(true), "{w}x{h}: Save file sits on the editor: {seen}");
        assert_eq!(seen["saveInView"], json!(true), "{w}x{h}: Save file out of view: {seen}");
        // The folded hints come back with a click.
        d.click("#hints .hints-fold");
        let hints = d.js(
            "return [...document.querySelectorAll('#hints .hint')].filter((h) => h.getClientRects().length).length",
        );
        assert_eq!(hints, json!(2), "{w}x{h}: the hints do not unfold");
    }
    viewport(d, 1440, 900);
}

/// Whether each of `words` shows in the terminal: in its visible part,
/// not under the pinned command line nor under the "↓ more" cue.
fn in_terminal(d: &Driver, words: &[&str]) -> Value {
    d.js(&format!(
        "const out = document.getElementById('out'); const o = out.getBoundingClientRect(); const entry = out.lastElementChild; \
         const cmd = entry.querySelector(':scope > .cmdline'); const top = Math.max(o.top, cmd ? cmd.getBoundingClientRect().bottom : o.top); \
         const cue = entry.querySelector(':scope > .below:not([hidden])'); const bottom = cue ? cue.getBoundingClientRect().top : o.bottom; \
         const texts = [...(function* w(e) {{ for (const c of e.childNodes) {{ if (c.nodeType === 3) yield c; else if (!c.classList || !c.classList.contains('cmdline')) yield* w(c); }} }})(entry)]; \
         return Object.fromEntries({}.map((word) => {{ const n = texts.find((t) => t.textContent.includes(word)); if (!n) return [word, 'absent']; \
           const r = document.createRange(); const i = n.textContent.indexOf(word); r.setStart(n, i); r.setEnd(n, i + word.length); \
           const b = r.getBoundingClientRect(); return [word, b.top >= top - 1 && b.bottom <= bottom + 1 ? true : [b.top, b.bottom, top, bottom]]; }}))",
        json!(words)
    ))
}

/// Finding 6: a goal that points at a command's output shows it once the
/// level is complete: REST L1's Client and Server (docker version, about
/// 30 lines) and vms-1's greeting, at 1440x900 and 1280x720, with a
/// "↓ N more lines" cue that scrolls to the output's end.
pub(crate) fn w8page_goal_output_in_view(d: &Driver) {
    for (w, h) in [(1440, 900), (1280, 720)] {
        viewport(d, w, h);
        for (id, line, words) in [
            ("arch-1", "docker version", &["Client:", "Server:"][..]),
            ("vms-1", "docker run hello-world", &["Hello from Docker!"][..]),
        ] {
            play(d, id, &[line]);
            wait_card(d);
            std::thread::sleep(Duration::from_millis(300));
            shot(d, &format!("output-{id}-{w}x{h}"));
            let seen = in_terminal(d, words);
            println!("w8page: {w}x{h}: {id}: {seen}");
            for word in words {
                assert_eq!(seen[*word], json!(true), "{w}x{h}: {id}: {word} is not in the terminal's view: {seen}");
            }
            let cue = d.js("const c = document.querySelector('#out > .entry:last-child > .below'); return c && !c.hidden ? c.textContent : null");
            if let Some(text) = cue.as_str() {
                assert!(text.starts_with("↓ ") && text.contains("more line"), "{w}x{h}: {id}: the cue says {text}");
                d.click("#out > .entry:last-child > .below");
                std::thread::sleep(Duration::from_millis(300));
                let end = d.js(
                    "const o = document.getElementById('out'); return o.scrollHeight - o.scrollTop - o.clientHeight",
                );
                assert!(end.as_f64().unwrap() <= 2.0, "{w}x{h}: {id}: the cue does not reach the end: {end}");
            }
        }
    }
    viewport(d, 1440, 900);
}

/// Finding 11: the Architecture picture's images box counts the lines
/// `docker images` lists (after a build whose steps made intermediate
/// images, a second tag, a pull); finding 14: in the Images view two
/// different layers never share a colour (nor a near one).
pub(crate) fn w8page_image_counts_and_colours(d: &Driver) {
    viewport(d, 1440, 900);
    sandbox(d);
    terminal(d);
    for line in [
        "docker build -t mine .",
        "docker run -d --name web -p 8080:80 nginx",
        "docker tag mine mine:v1",
        "docker swarm init",
        "docker service create --name api --replicas 2 redis",
    ] {
        run(d, line);
    }
    for round in 0..2 {
        if round == 1 {
            // A changed file: a second build of the same tag leaves a <none>.
            d.js("const p = document.getElementById('file-pick'); p.value = 'hello.txt'; p.dispatchEvent(new Event('change')); document.getElementById('file-text').value = 'changed'");
            d.click("#file-save");
            run(d, "docker build -t mine .");
        }
        run(d, "docker images");
        let listed = d.js("const pre = document.querySelector('#out > .entry:last-child pre'); \
             return pre.textContent.split('\\n').filter((l) => l.trim()).length - 1");
        view(d, "arch");
        let boxed = d.text("return document.querySelector('#arch .node-images .node-sub').textContent");
        println!("w8page: round {round}: docker images lists {listed}; the picture says {boxed}");
        let n = listed.as_u64().unwrap();
        assert_eq!(
            boxed,
            format!("{n} image{}", if n == 1 { "" } else { "s" }),
            "the images box against docker images"
        );
        terminal(d);
    }
    view(d, "images");
    std::thread::sleep(Duration::from_millis(500));
    shot(d, "images-colours-1440x900");
    let near = d.js(
        "const hue = new Map(); \
         for (const b of document.querySelectorAll('#images .iv-block')) { const id = /layer (\\S+)\\)$/.exec(b.title)?.[1]; if (id) hue.set(id, parseFloat(b.style.getPropertyValue('--h'))); } \
         const e = [...hue.entries()]; const bad = []; \
         for (let i = 0; i < e.length; i++) for (let j = i + 1; j < e.length; j++) { const d = Math.abs(e[i][1] - e[j][1]) % 360; if (Math.min(d, 360 - d) < 20) bad.push(e[i][0].slice(0, 12) + '/' + e[j][0].slice(0, 12) + ': ' + e[i][1] + ' ~ ' + e[j][1]); } \
         return { layers: e.length, bad }",
    );
    println!("w8page: the Images view's colours {near}");
    assert!(near["layers"].as_u64().unwrap() >= 3, "too few layers drawn: {near}");
    assert_eq!(near["bad"], json!([]), "different layers with one colour: {near}");
}
