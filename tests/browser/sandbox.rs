//! The sandbox: the views react to a command, the wire view, the layout,
//! remote requests, learner data as text, and (in a second browser with
//! reduced motion) builds and here-documents.

use super::*;

/// The diagrams and the wire inspector react to a command; the header
/// says sandbox; the wire view's ids, groups and 101.
pub(super) fn walk_sandbox_views(d: &Driver, url: &str, shots: &Path) {
    // The sandbox: diagrams and the wire inspector react to a command.
    d.goto(&format!("{url}#sandbox"));
    d.wait_for("ready", "return document.documentElement.dataset.ready === '1'", Duration::from_secs(20));
    run(d, "docker run -d --name web -p 8080:80 nginx");
    d.click("#tab-wire");
    let wire = d.js("return [...document.querySelectorAll('#wire-list .wire-item')].map(b => b.textContent)");
    let wire: Vec<String> = serde_json::from_value(wire).unwrap();
    assert!(wire.iter().any(|w| w.contains("POST") && w.contains("/containers/create")), "wire list: {wire:?}");
    assert!(wire.iter().any(|w| w.contains("/start")), "wire list: {wire:?}");
    let detail = d.js("return document.querySelector('#wire-detail .req').textContent").as_str().unwrap().to_string();
    assert!(detail.contains("HTTP/1.1") && detail.contains("\"Image\""), "request detail: {detail}");
    d.click("#tab-arch");
    let arch = d.js("return document.getElementById('arch-live').textContent").as_str().unwrap().to_string();
    assert!(arch.contains("POST /containers/create"), "architecture text: {arch}");
    let counts = d.js("return document.querySelector('.node-containers .node-sub').textContent");
    assert_eq!(counts, json!("1 (1 running)"));
    d.click("#tab-states");
    let sm = d.js("return document.getElementById('sm-live').textContent").as_str().unwrap().to_string();
    assert!(sm.contains("web is running"), "state machine text: {sm}");
    assert!(d.js("return document.querySelectorAll('#sm .state.current').length") == json!(1));
    assert!(d.js("return document.querySelectorAll('#sm .edge.taken').length").as_u64().unwrap() >= 1);
    run(d, "docker start web");
    let sm = d.js("return document.getElementById('sm-live').textContent").as_str().unwrap().to_string();
    assert!(
        d.js("return document.querySelectorAll('#sm .edge.refused').length").as_u64().unwrap() >= 1,
        "no refused edge: {sm}"
    );
    d.click("#tab-procs");
    let lens = d.js("return document.getElementById('pl-live').textContent").as_str().unwrap().to_string();
    assert!(lens.contains("PID 1"), "process lens: {lens}");
    d.click("#tab-arch");
    d.screenshot(&shots.join("playground-desktop.png"));
    d.click("#tab-procs");
    d.screenshot(&shots.join("playground-processes.png"));
    d.click("#tab-wire");
    d.screenshot(&shots.join("playground-wire.png"));
    d.click("#tab-vms");
    let vms = d.js("return document.getElementById('vm-live').textContent").as_str().unwrap().to_string();
    assert!(vms.starts_with("Illustrative"), "{vms}");

    // Item 10: the header says this is the sandbox.
    let mode = d.text("return document.getElementById('mode').textContent");
    assert!(mode.starts_with("Sandbox"), "header: {mode}");
    assert_eq!(d.js("return document.getElementById('sandbox').getAttribute('aria-pressed')"), json!("true"));

    // Item 6: the wire view shows /start with a short id (full on hover and
    // in the detail), keeps earlier commands grouped, newest first, and says
    // what 101 Switching Protocols is.
    d.click("#tab-wire");
    let shown = d.js("return [...document.querySelectorAll('.wire-group:nth-child(2) .wire-item')].map(b => [b.innerText, b.scrollWidth <= b.clientWidth + 1])");
    let shown: Vec<(String, bool)> = serde_json::from_value(shown).unwrap();
    let start = shown.iter().find(|(t, _)| t.contains("/start")).unwrap_or_else(|| panic!("no /start: {shown:?}"));
    assert!(start.0.contains('…') && start.1, "the id is not shortened or the line overflows: {shown:?}");
    assert!(
        d.text("return document.querySelector('.wire-group:first-child summary').textContent")
            .contains("docker start web")
    );
    let groups = d.js("return [...document.querySelectorAll('.wire-group > summary')].map(s => s.textContent)");
    assert!(groups[1].as_str().unwrap().contains("docker run -d --name web"), "groups: {groups}");
    d.js("const b = [...document.querySelectorAll('.wire-group:first-child .wire-item')].find(b => b.textContent.includes('/start')); b.click()");
    let detail = d.text("return document.getElementById('wire-detail').textContent");
    assert!(detail.contains("304 Not Modified") && detail.contains("already in that state"), "detail: {detail}");
    // The create answered 404 before the pull reads as the first step of a
    // run, not as a failure.
    d.js("[...document.querySelectorAll('.wire-group:nth-child(2) .wire-item')].find(b => b.textContent.includes('404')).click()");
    let detail = d.text("return document.getElementById('wire-detail').textContent");
    assert!(detail.contains("not on this machine yet") && detail.contains("pulls"), "404 before the pull: {detail}");
    run(d, "docker exec -it web sh");
    // The smaller items: inside a container's shell, commands echo its prompt.
    let prompt = d.text("return document.getElementById('ps1').textContent");
    assert_ne!(prompt, "$", "no container prompt after docker exec -it");
    run(d, "ls /");
    let echoed = d.text("return [...document.querySelectorAll('#out .cmdline .ps')].pop().textContent");
    assert_eq!(echoed.trim(), prompt, "a command in the container shell echoed with the host prompt");
    run(d, "exit");
    let attach = d.text(
        "return document.getElementById('wire-detail').textContent + document.getElementById('wire-list').textContent",
    );
    assert!(attach.contains("101"), "docker exec -it shows no 101 in the wire view");
    d.js("[...document.querySelectorAll('.wire-item')].find(b => b.textContent.includes('101')).click()");
    let detail = d.text("return document.getElementById('wire-detail').textContent");
    assert!(detail.contains("Switching Protocols") && detail.contains("stream"), "101 unexplained: {detail}");

    // Item 3: the sandbox has the project files and the editor (it builds:
    // in the second browser below, as a build is the engine's slowest
    // command and the first browser's timings are the budget's sample).
    assert_eq!(d.js("return document.getElementById('files-box').hidden"), json!(false), "no editor in the sandbox");
}

/// The docker ps table, the tabs, and a picture that is the largest panel with text of at least 13 px.
pub(super) fn walk_sandbox_layout(d: &Driver) {
    // The smaller items: the docker ps table fits the terminal at 1440 px.
    run(d, "docker ps");
    let fits =
        d.js("const p = [...document.querySelectorAll('#out pre.table')].pop(); return [p.scrollWidth, p.clientWidth]");
    assert!(fits[0].as_u64() <= fits[1].as_u64(), "docker ps scrolls sideways: {fits}");

    // A hovered selected tab still looks selected; Alt+N shows a view from the terminal.
    d.click("#tab-arch");
    let selected = d.js("return getComputedStyle(document.getElementById('tab-arch')).backgroundColor");
    d.hover("#tab-arch");
    assert_eq!(d.js("return getComputedStyle(document.getElementById('tab-arch')).backgroundColor"), selected);
    d.js("document.getElementById('cmd').focus()");
    d.chord(&["\u{E00A}", "2"]);
    assert_eq!(
        d.js("return document.getElementById('tab-wire').getAttribute('aria-selected')"),
        json!("true"),
        "Alt+2"
    );
    assert_eq!(d.js("return document.activeElement.id"), json!("cmd"));
    d.chord(&["\u{E00A}", "1"]);

    // Bigger diagrams: the picture is the largest panel, its text at least 13 px.
    let sizes = d.js("const r = (s) => document.querySelector(s).getBoundingClientRect(); return [r('.views').width * r('.views').height, r('.term').width * r('.term').height, r('.lesson').width * r('.lesson').height]");
    let sizes: Vec<f64> = serde_json::from_value(sizes).unwrap();
    assert!(sizes[0] > sizes[1] && sizes[0] > sizes[2], "the picture is not the largest panel: {sizes:?}");
    assert_eq!(d.js(&PX_UNDER_13.replace("SEL", "'#arch svg text'")), json!([]), "architecture text under 13 px");
    d.click("#tab-states");
    assert_eq!(d.js(&PX_UNDER_13.replace("SEL", "'#sm svg text'")), json!([]), "lifecycle text under 13 px");
    // Lifecycle labels: none clipped, none on another.
    let clash = d.js("const svg = document.querySelector('#sm svg'); const v = svg.viewBox.baseVal; const ls = [...svg.querySelectorAll('.edge-label')].map(t => t.getBBox()); const out = ls.filter(b => b.x < v.x || b.y < v.y || b.x + b.width > v.x + v.width || b.y + b.height > v.y + v.height).length; let hit = 0; for (let i = 0; i < ls.length; i++) for (let j = i + 1; j < ls.length; j++) { const a = ls[i], b = ls[j]; if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) hit++; } return [out, hit]");
    assert_eq!(clash, json!([0, 0]), "lifecycle labels clipped or colliding");
    learnpolish::learnpolish_terminal_height(d);
}

/// A remote request lights only the remote box; learner data stays text.
pub(super) fn walk_remote_and_hostile_names(d: &Driver) {
    // The smaller items: a request to the remote daemon does not light the local boxes.
    d.click("#tab-arch");
    // The earlier commands' packets first finish their way (on a loaded
    // machine they were still lighting the local boxes).
    d.wait_for(
        "the last command's picture to settle",
        "return document.getElementById('arch').dataset.playing !== '1'",
        Duration::from_secs(20),
    );
    d.js("window.__hot = []; new MutationObserver((ms) => ms.forEach((m) => { if (m.target.classList.contains('hot')) window.__hot.push(m.target.getAttribute('class')); })).observe(document.getElementById('arch'), { attributes: true, subtree: true, attributeFilter: ['class'] })");
    run(d, "docker -H remote run -d --name far nginx");
    std::thread::sleep(Duration::from_millis(1500));
    let hot = d.js("return window.__hot");
    let hot: Vec<String> = serde_json::from_value(hot).unwrap();
    assert!(hot.iter().any(|c| c.contains("node-remote")), "the remote box never lit: {hot:?}");
    assert!(
        !hot.iter().any(|c| c.contains("node-containers") || c.contains("node-images")),
        "a remote request lit a local box: {hot:?}"
    );
    let remote = d.text("return document.querySelector('.node-remote .node-sub').textContent");
    assert_eq!(remote, "1 container", "plural on the remote box");

    // Learner data is text: nothing it holds runs.
    d.js("window.alert = () => { window.__alerted = true }; window.__xss = false");
    let hostile = "<img src=x onerror=window.__xss=true>";
    run(d, &format!("docker run -d --name '{hostile}' nginx"));
    run(d, &format!("docker run --name xss busybox echo '{hostile}'"));
    run(d, "docker run -d --name '<img src=x onerror=alert(1)>' nginx");
    std::thread::sleep(Duration::from_millis(300));
    let out_text = d.js("return document.getElementById('out').textContent").as_str().unwrap().to_string();
    assert!(out_text.contains(hostile), "the hostile text is shown as text: {out_text}");
    assert_eq!(d.js("return document.querySelectorAll('main img').length"), json!(0), "an <img> was created");
    assert_eq!(
        d.js("return window.__xss === true || window.__alerted === true"),
        json!(false),
        "learner data ran as code"
    );
}

/// Reduced motion (a second browser): no packet animation, and the
/// sandbox builds its project files, written by a here-document too.
pub(super) fn walk_reduced_motion(chromedriver: &Path, chromium: &Path, url: &str) {
    let reduced = Driver::start(chromedriver, chromium, &["--force-prefers-reduced-motion"]).expect("second browser");
    reduced.goto(&format!("{url}#sandbox"));
    reduced.wait_for("ready", "return document.documentElement.dataset.ready === '1'", Duration::from_secs(20));
    assert_eq!(reduced.js("return matchMedia('(prefers-reduced-motion: reduce)').matches"), json!(true));
    run(&reduced, "docker run hello-world");
    assert_eq!(reduced.js("return document.querySelector('.packet').getAnimations().length"), json!(0));
    // Item 3: docker build works in the sandbox, on its own project files.
    run(&reduced, "docker build -t mine .");
    // The images view draws the build without playing it.
    reduced.click("#tab-images");
    let still = reduced.js("return [document.querySelectorAll('#images .iv-step.ran').length, document.querySelectorAll('#images .fresh').length, [...document.querySelectorAll('#images *')].filter(e => e.getAnimations().length).length]");
    assert_eq!(still, json!([2, 0, 0]), "reduced motion: the images view's steps [ran, fresh, animated]");
    learnfix::learnfix_build_output(&reduced);
    run(&reduced, "docker run --rm mine");
    let out_text = reduced.text("return document.getElementById('out').textContent");
    assert!(out_text.contains("Hello from my own image"), "the sandbox's build: {out_text}");
    // A here-document typed line by line: the `> ` prompt until the
    // delimiter, then the whole text runs and writes the project's Dockerfile.
    for line in ["cat > Dockerfile <<EOF", "FROM busybox", "CMD [\"echo\", \"written by a here-document\"]"] {
        reduced.type_into("#cmd", &format!("{line}\u{E007}"));
        assert_eq!(reduced.text("return document.getElementById('ps1').textContent"), ">", "after {line}");
    }
    run(&reduced, "EOF");
    assert_eq!(reduced.text("return document.getElementById('ps1').textContent"), "$");
    run(&reduced, "docker build -t heredoc .");
    run(&reduced, "docker run --rm heredoc");
    let last = reduced.text("return document.querySelector('#out .entry:last-child').textContent");
    assert!(last.contains("written by a here-document"), "the here-document's Dockerfile: {last}");
    assert!(severe(&reduced.console()).is_empty());
    drop(reduced);
}
