//! Issue 19, the sixth walk's findings 7, 8 and 10: the VMs view's layers
//! (the stacked drawing the tab's name promises, one column per running
//! app), a boot race whose container bar visibly grows, its labels whole
//! ("8 apps", the memory words, one entry per service); the Architecture
//! picture's published ports and its caption for `curl`; a failing
//! service's retries counted as tries. In a fresh sandbox. Screenshots:
//! `target/screenshots/w7vms-*.png` at 1440x900, 1280x720 and 390x844.

use super::*;

const SIZES: [(u32, u32); 3] = [(1440, 900), (1280, 720), (390, 844)];

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("w7vms-{name}.png")));
}

/// Shows the pictures' pane (on a phone) and the tab `tab`, scrolled to its top.
fn view(d: &Driver, tab: &str) {
    if d.js("return getComputedStyle(document.getElementById('panes')).display !== 'none'") == json!(true) {
        d.click("#panes button[data-pane=views]");
    }
    d.click(&format!("#tab-{tab}"));
    d.js("window.scrollTo(0, 0); document.querySelector('.views').scrollTop = 0");
}

fn sandbox(d: &Driver) {
    d.js("localStorage.setItem('dockhand.playground.welcomed', '1'); history.replaceState(null, '', location.pathname + '#sandbox'); location.reload()");
    d.wait_for("the sandbox", "return document.documentElement.dataset.ready === '1'", Duration::from_secs(20));
}

/// What is wrong with the layers: a column count other than `apps` on
/// either side, a block cut, text under 13 px, a layer missing, or the
/// drawing below the picture's pane.
const LAYERS: &str = "const bad = []; const v = document.getElementById('vms'); \
    const vm = v.querySelector('.vm-stack'); const ct = v.querySelector('.ct-stack'); \
    if (!vm || !ct) return ['no layers']; \
    const cols = (s) => s.querySelectorAll('.cols .col:not(.none)').length; \
    if (cols(vm) !== APPS || cols(ct) !== APPS) bad.push('columns ' + cols(vm) + '/' + cols(ct)); \
    const names = (s) => [...s.querySelectorAll(':scope > .blk .blk-name')].map((b) => b.textContent).join(' | '); \
    if (!/hypervisor/.test(names(vm)) || !/host OS/.test(names(vm)) || !/hardware/.test(names(vm))) bad.push('vm base: ' + names(vm)); \
    if (!/runtime/.test(names(ct)) || !/host kernel \\(shared\\)/.test(names(ct)) || !/hardware/.test(names(ct)) || /hypervisor/.test(names(ct))) bad.push('ct base: ' + names(ct)); \
    if (APPS && (vm.querySelectorAll('.col .blk.os').length !== APPS || vm.querySelectorAll('.col .blk.kern').length !== APPS)) bad.push('a VM without its guest OS and kernel'); \
    if (ct.querySelectorAll('.col .blk.os, .col .blk.kern').length) bad.push('a container with a kernel'); \
    for (const b of v.querySelectorAll('.blk, figcaption, .stack-total')) { \
      if (b.scrollWidth > b.clientWidth + 1) bad.push('cut: ' + b.textContent); \
      for (const t of [b, ...b.querySelectorAll('*')]) if (parseFloat(getComputedStyle(t).fontSize) < 13) bad.push('small: ' + t.textContent); } \
    const pane = document.querySelector('.views').getBoundingClientRect(); \
    const low = Math.max(...[...v.querySelectorAll('.stack-total')].map((t) => t.getBoundingClientRect().bottom)); \
    if (low > Math.min(pane.bottom, innerHeight) + 1) bad.push('below the pane: ' + low + ' > ' + pane.bottom); \
    return bad;";

/// A fresh sandbox at 1440x900 where `web` runs.
fn one_app(d: &Driver) {
    viewport(d, 1440, 900);
    sandbox(d);
    terminal(d);
    run(d, "docker run -d --name web -p 8080:80 nginx");
    view(d, "vms");
}

/// Finding 10: the boot race shows both bars growing; the slider's words.
pub(crate) fn w7vms_race(d: &Driver) {
    one_app(d);
    // The race: the container's bar grows for a visible while (it was
    // done in 0.2 s, a sliver of 5% of the axis), and Replay plays both.
    d.click("#vm-replay");
    std::thread::sleep(Duration::from_millis(700));
    let race = d.js(
        "const seg = (row, cls) => [...document.querySelectorAll('#vms .bar-row')][row].querySelector(cls); \
         const ct = seg(1, '.seg-app'); const vm = seg(0, '.seg-guest-os-init'); \
         const track = ct.parentElement.getBoundingClientRect(); \
         const end = (s) => { const a = s.getAnimations()[0]; if (!a) return 0; const t = a.effect.getComputedTiming(); return t.delay + t.duration; }; \
         return { ctEnd: end(ct), vmEnd: end(vm), ctPlaying: ct.getAnimations().some((a) => a.playState === 'running'), \
           vmPlaying: vm.getAnimations().some((a) => a.playState === 'running'), \
           ctWidth: (ct.getBoundingClientRect().right - track.left) / track.width }",
    );
    shot(d, "race-mid-1440x900");
    println!("w7vms: the race {race}");
    assert!(race["ctEnd"].as_f64().unwrap() >= 1200.0, "the container's bar is done at once: {race}");
    assert_eq!(race["ctPlaying"], json!(true), "the container's bar is not growing 0.7 s into the replay: {race}");
    assert_eq!(race["vmPlaying"], json!(true), "the VM's boot does not play: {race}");
    assert!(race["vmEnd"].as_f64().unwrap() > race["ctEnd"].as_f64().unwrap() * 2.0, "no race: {race}");
    assert!(race["ctWidth"].as_f64().unwrap() > 0.15, "the container's second is a sliver: {race}");
    std::thread::sleep(Duration::from_secs(8));
    shot(d, "race-end-1440x900");

    // The slider's question: "8 apps", "1 app" (it read "app(s)").
    let label = |v: u32| {
        d.js(&format!(
            "const n = document.getElementById('vm-n'); n.value = '{v}'; n.dispatchEvent(new Event('input')); \
             return n.labels[0].textContent.replace(/\\s+/g, ' ').trim()"
        ))
    };
    assert_eq!(label(8), json!("What if you ran 8 apps?"));
    assert_eq!(label(1), json!("What if you ran 1 app?"));
    run(d, "docker ps");
}

/// Finding 10: the layers (the stacked drawing), one column per running
/// app, whole, at 13 px or more, in the pane at 1440x900 and 1280x720.
pub(crate) fn w7vms_layers(d: &Driver) {
    one_app(d);
    for apps in [1, 2] {
        if apps == 2 {
            terminal(d);
            run(d, "docker run -d --name api nginx");
        }
        for (w, h) in SIZES {
            viewport(d, w, h);
            view(d, "vms");
            d.click("#vms button[data-mode=layers]");
            std::thread::sleep(Duration::from_millis(if apps == 2 && w == 1440 { 300 } else { 3200 }));
            shot(d, &format!("layers-{apps}-{w}x{h}"));
            if w < 900 {
                // A phone scrolls the page: the drawing is whole, not in one screen.
                d.js("document.querySelector('#vms .ct-stack').scrollIntoView({ block: 'end' })");
                shot(d, &format!("layers-{apps}-{w}x{h}-end"));
            } else {
                assert_eq!(
                    d.js(&LAYERS.replace("APPS", &apps.to_string())),
                    json!([]),
                    "the layers of {apps} at {w}x{h}"
                );
            }
            let words = d.text("return document.querySelector('#vms .ct-stack').textContent");
            assert!(
                words.contains("web") && (apps == 1 || words.contains("api")),
                "{w}x{h}: the apps are not named: {words}"
            );
            d.click("#vms button[data-mode=race]");
        }
    }
}

/// Finding 10: the memory words are whole; one entry per service.
pub(crate) fn w7vms_memory_words(d: &Driver) {
    // In level 1's case (no app runs): "← host kernel (shared) + 50 MB
    // co…" was cut at 1440.
    one_app(d);
    terminal(d);
    run(d, "docker rm -f web");
    for (w, h) in [(1440, 900), (1280, 720)] {
        viewport(d, w, h);
        view(d, "vms");
        let rest = d.js(
            "const r = [...document.querySelectorAll('#vms .mem-row')][1].querySelector('.mem-rest'); \
             return { text: r.textContent, fits: r.scrollWidth <= r.clientWidth + 1 && r.scrollHeight <= r.clientHeight + 1 }",
        );
        shot(d, &format!("memory-idle-{w}x{h}"));
        assert_eq!(rest["fits"], json!(true), "{w}x{h}: the memory words are cut: {rest}");
    }

    // With a swarm service, one entry per service (it read "web, web: 5
    // replicas" beside a plain container named web).
    viewport(d, 1440, 900);
    terminal(d);
    run(d, "docker run -d --name web nginx");
    run(d, "docker swarm init");
    run(d, "docker service create --name web --replicas 5 -p 80:80 nginx");
    view(d, "vms");
    std::thread::sleep(Duration::from_millis(400));
    let words = d.text(
        "return [...document.querySelectorAll('#vms .more-apps, #vms .mem-rest')].map((e) => e.textContent).join(' / ')",
    );
    shot(d, "swarm-1440x900");
    assert!(!words.contains("web, web"), "the service and the container read alike: {words}");
    assert_eq!(words.matches("service web:").count(), 2, "one entry per service: {words}");
    assert!(words.contains("service web: 5 replicas") && words.contains("container web"), "{words}");
}

/// Finding 7: a published port on the containers box; curl's caption.
pub(crate) fn w7vms_ports_and_curl(d: &Driver) {
    viewport(d, 1440, 900);
    sandbox(d);
    terminal(d);
    run(d, "docker run -d --name site -p 8080:80 nginx");
    for (w, h) in SIZES {
        viewport(d, w, h);
        view(d, "arch");
        let ports = d.js(
            "const g = document.querySelector('#arch .node-containers'); const m = g.querySelector('.node-more'); \
             const r = g.querySelector('rect').getBoundingClientRect(); const t = m.getBoundingClientRect(); \
             return { text: m.textContent, inside: t.left >= r.left && t.right <= r.right && t.bottom <= r.bottom, \
               px: parseFloat(getComputedStyle(m).fontSize) * m.getScreenCTM().a }",
        );
        shot(d, &format!("ports-{w}x{h}"));
        assert_eq!(ports["text"], json!("host :8080 → :80"), "{w}x{h}: {ports}");
        assert_eq!(ports["inside"], json!(true), "{w}x{h}: the ports are out of the box: {ports}");
        // At 1280x720 the whole diagram is drawn smaller (its height is
        // the pane's): the line is as large as the box's count there.
        if h != 720 {
            assert!(ports["px"].as_f64().unwrap() >= 12.9, "{w}x{h}: {ports}");
            assert_eq!(
                d.js(&PX_UNDER_13.replace("SEL", "'#arch .node-containers text'")),
                json!([]),
                "{w}x{h}: small text"
            );
        }
    }
    // A second published port is counted, and the line stays in the box.
    viewport(d, 1440, 900);
    terminal(d);
    run(d, "docker run -d --name site2 -p 8081:80 nginx");
    for (w, h) in SIZES {
        viewport(d, w, h);
        view(d, "arch");
        let ports = d.js(
            "const g = document.querySelector('#arch .node-containers'); const m = g.querySelector('.node-more'); \
             const r = g.querySelector('rect').getBoundingClientRect(); const t = m.getBoundingClientRect(); \
             return { text: m.textContent, inside: t.left >= r.left && t.right <= r.right && t.bottom <= r.bottom }",
        );
        assert_eq!(ports, json!({ "text": "host :8080 → :80 +1", "inside": true }), "{w}x{h}");
    }
    viewport(d, 1440, 900);
    terminal(d);
    run(d, "docker rm -f site2");
    run(d, "curl localhost:8080");
    view(d, "arch");
    let caption = d.text("return document.getElementById('arch-live').textContent");
    shot(d, "curl-1440x900");
    assert!(!caption.contains("client answered by itself"), "{caption}");
    assert!(
        caption.contains("curl is not the docker client")
            && caption.contains("port 8080")
            && caption.contains("port 80 of site")
            && caption.contains("no API request to the daemon"),
        "{caption}"
    );
}

/// Finding 8: the mistyped service (its "-p 80:80" after the image is the
/// command nginx runs): the box read "0 + 12 in services"; it counts what
/// runs and says the retries are tries.
pub(crate) fn w7vms_failing_service(d: &Driver) {
    viewport(d, 1440, 900);
    sandbox(d);
    terminal(d);
    run(d, "docker swarm init");
    run(d, "docker service create --name web --replicas 3 nginx -p 80:80");
    std::thread::sleep(Duration::from_secs(5));
    view(d, "arch");
    let box_ = d.js("const g = document.querySelector('#arch .node-containers'); \
         const s = JSON.parse(window.__dockhand.app.pg.state()); \
         return { sub: g.querySelector('.node-sub').textContent, more: g.querySelector('.node-more').textContent, \
           tasks: s.containers.filter((c) => c.task).length }");
    shot(d, "failing-1440x900");
    println!("w7vms: the failing service {box_}");
    let sub = box_["sub"].as_str().unwrap();
    let more = box_["more"].as_str().unwrap();
    assert_eq!(sub, "0 running", "{box_}");
    assert!(more.starts_with("3 failing (") && more.ends_with(" tries)"), "{box_}");
    let tries: u64 = more["3 failing (".len()..more.len() - " tries)".len()].parse().unwrap();
    assert!(tries >= 3, "{box_}");
    // Both lines inside the box, at every size.
    for (w, h) in SIZES {
        viewport(d, w, h);
        view(d, "arch");
        let out = d.js(
            "const g = document.querySelector('#arch .node-containers'); const r = g.querySelector('rect').getBoundingClientRect(); \
             return [...g.querySelectorAll('text')].filter((t) => { const b = t.getBoundingClientRect(); \
               return b.left < r.left || b.right > r.right || b.bottom > r.bottom; }).map((t) => t.textContent)",
        );
        shot(d, &format!("failing-{w}x{h}"));
        assert_eq!(out, json!([]), "{w}x{h}: out of the containers box");
    }
    viewport(d, 1440, 900);
    terminal(d);
    run(d, "docker service rm web");
}

/// vms-2 ("Many apps, one kernel") opens the VMs view on the layers, the
/// picture it is about; vms-1 and a later visit to vms-1 open on the boot
/// race. Three servers started there draw three container columns.
pub(crate) fn w7vms_level_picture(d: &Driver) {
    viewport(d, 1440, 900);
    let pressed = "return document.querySelector('#vms button[aria-pressed=true]').dataset.mode";
    play(
        d,
        "vms-2",
        &["docker run -d --name web1 nginx", "docker run -d --name web2 nginx", "docker run -d --name web3 nginx"],
    );
    assert_eq!(d.js(pressed), json!("layers"), "vms-2 opens on the layers");
    let words = d.text("return document.querySelector('#vms .ct-stack').textContent");
    assert!(["web1", "web2", "web3"].iter().all(|n| words.contains(n)), "three container columns: {words}");
    shot(d, "level-vms-2");
    open_level(d, "vms-1");
    assert_eq!(d.js(pressed), json!("race"), "vms-1 opens on the boot race");
}
