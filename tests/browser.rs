//! End-to-end tests of the browser playground in a real headless Chromium,
//! driven through WebDriver (chromedriver) from Rust.
//!
//! The test builds the site with the same code as `cargo xtask playground`
//! (or reuses the folder `DOCKHAND_PLAYGROUND_DIR` names), serves it on a free
//! loopback port, starts chromedriver on another, and then: loads the page,
//! completes every level of every lesson by typing its solution into the
//! terminal, checks that the diagrams and the wire inspector react, that
//! learner data stays text (the XSS case), that no console error was logged,
//! and measures the budgets (wasm size, time to interactive, time per
//! command). Screenshots go to `target/screenshots/`.
//!
//! Without Chromium and chromedriver, or without the tools to build the site,
//! it prints SKIPPED and passes, unless `DOCKHAND_REQUIRE_BROWSER=1`.

#[allow(dead_code)]
#[path = "../xtask/src/playground.rs"]
mod playground;

#[path = "browser/learnfix.rs"]
mod learnfix;
#[path = "browser/swarm.rs"]
mod swarm;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1440,900",
];

/// The regression guard of the module's size with brotli (how a static host
/// serves it): where it is now (542,412 bytes with session 9's Docker 28.5
/// answers, plugins and legacy links, the coach's notes, BuildKit's build
/// display and the images view; docs/performance.md) and 2% more. The 400 KB gzip budget of issue 8 is retired: the page is
/// interactive well under 1 s. A raise is a row of that table, with what it
/// bought.
const WASM_BROTLI_CEILING: u64 = 553_000;

fn required() -> bool {
    std::env::var("DOCKHAND_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Skips (or fails, when required) with a reason.
fn skip(why: &str) {
    if required() {
        panic!("DOCKHAND_REQUIRE_BROWSER=1 but {why}");
    }
    eprintln!("SKIPPED (browser tests): {why}");
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(default))
}

/// The built site: `DOCKHAND_PLAYGROUND_DIR`, or a fresh build into
/// `target/playground`.
fn site() -> Result<(PathBuf, Option<playground::Built>), String> {
    if let Some(dir) = std::env::var_os("DOCKHAND_PLAYGROUND_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.join("index.html").is_file() {
            Ok((dir, None))
        } else {
            Err(format!("DOCKHAND_PLAYGROUND_DIR={} holds no index.html", dir.display()))
        };
    }
    // Installing the CLI compiles it (minutes): only when the run requires
    // the browser tests; otherwise say what is missing and skip.
    let locked = playground::locked_wasm_bindgen(&root())?;
    let installed = playground::installed_wasm_bindgen();
    if installed.as_deref() != Some(locked.as_str()) && !required() {
        return Err(format!(
            "wasm-bindgen CLI {locked} is not installed (found {}): cargo install wasm-bindgen-cli --version {locked} --locked",
            installed.as_deref().unwrap_or("none")
        ));
    }
    let out = root().join("target/playground");
    let built = playground::build(&root(), &out)?;
    Ok((out, Some(built)))
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

// ------------------------------------------------------------------ WebDriver

/// A minimal WebDriver client over HTTP/1.1 on loopback.
struct Driver {
    port: u16,
    session: String,
    child: Child,
    profile: PathBuf,
}

fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<(u16, Value), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(120))).map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    // chromedriver keeps the connection open whatever we ask: read the head,
    // then exactly Content-Length bytes (or chunks).
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the response head".into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_string();
    let lower = head.to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    let length =
        lower.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = lower.contains("transfer-encoding: chunked");
    loop {
        let have = raw.len() - head_end;
        let done = match length {
            Some(n) => have >= n,
            None if chunked => raw.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&raw[head_end..]).to_string();
    let body = if chunked { dechunk(&text) } else { text };
    let value = if body.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?
    };
    Ok((status, value))
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else { break };
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

impl Driver {
    fn start(chromedriver: &Path, chromium: &Path, extra: &[&str]) -> Result<Driver, String> {
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", chromedriver.display()))?;
        let profile = std::env::temp_dir().join(format!("dockhand-chromium-{}-{port}", std::process::id()));
        let mut driver = Driver { port, session: String::new(), child, profile };
        let deadline = Instant::now() + Duration::from_secs(20);
        while http(port, "GET", "/status", None).map(|(_, v)| v["value"]["ready"] != json!(true)).unwrap_or(true) {
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready in 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut args: Vec<String> = FLAGS.iter().map(|s| s.to_string()).collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(format!("--user-data-dir={}", driver.profile.display()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let (status, v) = http(port, "POST", "/session", Some(&caps))?;
        if status != 200 {
            return Err(format!("new session failed: {v}"));
        }
        driver.session = v["value"]["sessionId"].as_str().ok_or("no session id")?.to_string();
        Ok(driver)
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        let (status, v) =
            http(self.port, method, &full, body.as_ref()).unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert!(status == 200, "{method} {path} answered {status}: {v}");
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }

    fn js(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        v.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).expect("element id").to_string()
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/value"), Some(json!({"text": text})));
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.js(script);
            if !(v.is_null() || v == json!(false)) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits (up to 5 s) until the terminal's prompt has the focus.
    fn wait_for_focus(&self, what: &str) {
        self.wait_for(
            what,
            "return document.activeElement && document.activeElement.id === 'cmd'",
            Duration::from_secs(5),
        );
    }

    /// Browser console entries since the last call.
    fn console(&self) -> Vec<Value> {
        self.cmd("POST", "/se/log", Some(json!({"type": "browser"}))).as_array().cloned().unwrap_or_default()
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = decode_base64(b64.as_str().expect("base64 screenshot"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Moves the mouse over an element (WebDriver actions).
    fn hover(&self, css: &str) {
        // The element reference exactly as the driver gave it.
        let origin = self.cmd("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "duration": 0, "origin": origin, "x": 0, "y": 0}]}]});
        self.cmd("POST", "/actions", Some(actions));
    }

    /// Presses keys on the focused element (WebDriver actions), e.g. Alt+2.
    fn chord(&self, keys: &[&str]) {
        let mut down: Vec<Value> = keys.iter().map(|k| json!({"type": "keyDown", "value": k})).collect();
        down.extend(keys.iter().rev().map(|k| json!({"type": "keyUp", "value": k})));
        self.cmd("POST", "/actions", Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": down}]})));
        self.cmd("DELETE", "/actions", None);
    }

    fn text(&self, script: &str) -> String {
        self.js(script).as_str().map(str::to_string).unwrap_or_else(|| panic!("no text from {script}"))
    }

    /// Waits until a dialog is open, then answers it with one of its buttons.
    fn answer(&self, dialog: &str, button: &str) {
        self.wait_for(
            dialog,
            &format!("return document.getElementById({}).open", json!(dialog)),
            Duration::from_secs(10),
        );
        self.click(&format!("#{button}"));
        self.wait_for(
            "the dialog to close",
            &format!("return !document.getElementById({}).open", json!(dialog)),
            Duration::from_secs(10),
        );
    }

    fn resize(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(self.port, "DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

// ------------------------------------------------------------------ the test

/// Every level of every track, from the lesson files.
fn levels() -> Vec<Value> {
    let dir = root().join("playground/web/static/lessons");
    let index: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let mut out = Vec::new();
    for f in index["tracks"].as_array().unwrap() {
        let track: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(f.as_str().unwrap())).unwrap()).unwrap();
        out.extend(track["levels"].as_array().unwrap().iter().cloned());
    }
    out
}

/// Types one command at the prompt and waits until the page handled it.
fn run(d: &Driver, line: &str) {
    let before = d.js("return window.__dockhand.timings.length").as_u64().unwrap();
    d.type_into("#cmd", &format!("{line}\u{E007}"));
    d.wait_for(line, &format!("return window.__dockhand.timings.length > {before}"), Duration::from_secs(10));
}

/// Applies a `#file NAME CONTENT` solution step through the file editor.
fn edit_file(d: &Driver, step: &str) {
    let rest = &step["#file ".len()..];
    let (name, content) = rest.split_once(' ').expect("#file NAME CONTENT");
    d.js(&format!("const p = document.getElementById('file-pick'); p.value = {}; p.dispatchEvent(new Event('change')); document.getElementById('file-text').value = ''", json!(name)));
    d.type_into("#file-text", content);
    d.click("#file-save");
}

fn severe(entries: &[Value]) -> Vec<String> {
    entries.iter().filter(|e| e["level"] == json!("SEVERE")).map(|e| e["message"].to_string()).collect()
}

/// The text of the visible elements under `root` drawn under 13 px.
fn small_text(d: &Driver, root: &str) -> Value {
    d.js(&format!("return [...document.querySelectorAll({})].filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 13).map(e => e.textContent)", json!(format!("{root} *"))))
}

/// The steps of the images view's last build: class, instruction, layer.
fn imagesview_steps(d: &Driver) -> Vec<(String, String, String)> {
    let steps = d.js("return [...document.querySelectorAll('#images .iv-step')].map(s => [s.className, s.querySelector('.iv-ins').textContent, s.querySelector('.iv-layer').textContent])");
    serde_json::from_value(steps).unwrap()
}

/// Issue 19, the workflow track's picture: the images view (Alt+6) lists a
/// build's Dockerfile instructions beside their layers; after an edit and a
/// rebuild only COPY and what follows ran, the earlier steps show CACHED and
/// the two images share the base's layers; after a push the registry side
/// holds the tag. Readable (13 px) on a desktop and on a phone.
fn imagesview_build_cache_and_push(d: &Driver, shots: &Path) {
    d.js("location.hash = 'level=flow-1'");
    d.wait_for(
        "flow-1",
        "return document.getElementById('level').value === 'flow-1' && document.getElementById('app').dataset.complete === '0'",
        Duration::from_secs(10),
    );
    d.answer("level-dlg", "level-go");
    let selected = "return document.getElementById('tab-images').getAttribute('aria-selected')";
    assert_eq!(d.js(selected), json!("true"), "flow-1 does not open on the images view");
    d.click("#tab-arch");
    d.js("document.getElementById('cmd').focus()");
    d.chord(&["\u{E00A}", "6"]);
    assert_eq!(d.js(selected), json!("true"), "Alt+6 does not show the images view");
    assert!(d.text("return document.getElementById('images').textContent").contains("No build yet"));
    let todo = d.js("return [...document.querySelectorAll('#images .iv-step.todo .iv-ins')].map(s => s.textContent)");
    assert_eq!(todo[2], json!("COPY app.py ."), "the Dockerfile before its build: {todo}");
    d.screenshot(&shots.join("images-view-before-build.png"));

    run(d, "docker build -t app .");
    d.answer("done-dlg", "done-stay");
    let steps = imagesview_steps(d);
    let ins: Vec<&str> = steps.iter().map(|s| s.1.as_str()).collect();
    assert_eq!(ins, ["FROM python:3.13", "WORKDIR /app", "COPY app.py .", "CMD [\"python\", \"app.py\"]"], "{steps:?}");
    assert!(steps[0].0.contains("base") && steps[0].2.contains("2 layers"), "{steps:?}");
    assert!(steps[1..].iter().all(|s| s.0.contains("ran")), "a first build runs every step: {steps:?}");
    assert!(steps[2].2.contains(" B, layer "), "COPY's size and layer: {steps:?}");
    assert!(steps[3].2.contains("no layer"), "CMD makes no layer: {steps:?}");

    edit_file(d, "#file app.py print(\"Hello again\")");
    // Saved, not built yet: the picture says what the next build will redo.
    let stale =
        d.js("return [...document.querySelectorAll('#images .iv-step')].map(s => s.classList.contains('stale'))");
    assert_eq!(stale, json!([false, false, true, true]), "after the edit, COPY and what follows will run again");
    let next = d.text("return document.querySelector('#images .iv-next').textContent");
    assert!(next.starts_with("You changed app.py since this build: COPY app.py ."), "{next}");
    run(d, "docker build -t app:v2 .");
    let steps = imagesview_steps(d);
    assert_eq!(d.js("return document.querySelectorAll('#images .iv-step.stale, #images .iv-next').length"), json!(0));
    let how: Vec<&str> = steps.iter().map(|s| s.0.split(' ').nth(1).unwrap()).collect();
    assert_eq!(how, ["base", "cached", "ran", "ran"], "only what changed is rebuilt: {steps:?}");
    assert_eq!(d.text("return document.querySelector('#images .iv-step.cached .iv-how').textContent"), "CACHED");
    // app and app:v2 share the base's two layers: drawn as shared in both stacks.
    let shared = d.js("return [...document.querySelectorAll('#images .iv-image')].map(i => [i.querySelector('.iv-tags').textContent, i.querySelectorAll('.iv-block.shared').length, i.querySelectorAll('.iv-block').length])");
    let shared: Vec<(String, u64, u64)> = serde_json::from_value(shared).unwrap();
    for tag in ["app:latest", "app:v2"] {
        let s = shared.iter().find(|s| s.0.contains(tag)).unwrap_or_else(|| panic!("no stack for {tag}: {shared:?}"));
        assert_eq!((s.1, s.2), (2, 3), "{tag}: two shared layers and its own: {shared:?}");
    }
    let note = d.text("return document.querySelector('#images .iv-images .iv-note').textContent");
    assert!(note.starts_with("app:v2 shares 2 layers with app:latest"), "{note}");

    run(d, "docker login -u learner -p secret");
    run(d, "docker tag app:v2 learner/app:v2");
    let registry = "return document.querySelector('#images .iv-reg .iv-side:last-child').textContent";
    assert!(!d.text(registry).contains("learner/app:v2"), "in the registry before the push");
    run(d, "docker push learner/app:v2");
    assert!(d.text(registry).contains("learner/app:v2"), "the registry side: {}", d.text(registry));
    let wire = d.js("const w = document.querySelector('#images .iv-wire'); return [w.className, w.textContent]");
    assert!(wire[0].as_str().unwrap().contains("push"), "no push arrow: {wire}");
    assert!(wire[1].as_str().unwrap().contains("pushed learner/app:v2: 1 layer sent, 2 already there"), "{wire}");
    let live = d.text("return document.getElementById('img-live').textContent");
    assert!(live.contains("docker push learner/app:v2"), "aria-live: {live}");
    assert_eq!(small_text(d, "#view-images"), json!([]), "images view text under 13 px");
    std::thread::sleep(Duration::from_millis(300));
    d.screenshot(&shots.join("images-view.png"));

    // A phone: the Picture pane, full width, readable, nothing wider than the screen.
    d.resize(390, 844);
    std::thread::sleep(Duration::from_millis(200));
    d.click("#panes button[data-pane=views]");
    assert_eq!(small_text(d, "#view-images"), json!([]), "mobile images view text under 13 px");
    let fit = d.js("const p = document.getElementById('view-images'); return [p.scrollWidth, p.clientWidth, document.documentElement.scrollWidth, innerWidth]");
    let fit: Vec<f64> = serde_json::from_value(fit).unwrap();
    assert!(fit[0] <= fit[1] + 1.0 && fit[2] <= fit[3] + 1.0, "the images view overflows on a phone: {fit:?}");
    d.screenshot(&shots.join("images-view-mobile.png"));
    // After a push the registry comes first; the build and the layers below it.
    d.js("document.querySelector('#images .iv-images').scrollIntoView()");
    d.screenshot(&shots.join("images-view-mobile-layers.png"));
    d.click("#panes button[data-pane=term]");
    d.resize(1440, 900);
    std::thread::sleep(Duration::from_millis(200));
}

#[test]
fn playground_in_headless_chromium() {
    let chromium = env_path("DOCKHAND_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = env_path("DOCKHAND_CHROMEDRIVER", "/usr/bin/chromedriver");
    if !chromium.is_file() || !chromedriver.is_file() {
        return skip(&format!(
            "{} or {} is missing (install Debian's chromium and chromium-driver)",
            chromium.display(),
            chromedriver.display()
        ));
    }
    let (dir, built) = match site() {
        Ok(s) => s,
        Err(e) => return skip(&format!("the playground site could not be built: {e}")),
    };
    let wasm = dir.join("pkg/dockhand_playground_web_bg.wasm");
    let wasm_gz = playground::gzip_size(&wasm).expect("gzip the wasm");
    let wasm_br = playground::brotli_size(&wasm);
    assert!(
        wasm_br.is_some() || !required(),
        "DOCKHAND_REQUIRE_BROWSER=1 but brotli is missing (apt-get install brotli)"
    );
    let port = playground::serve_in_background(dir.clone()).expect("serve the site");
    let url = format!("http://127.0.0.1:{port}/index.html");
    let d = Driver::start(&chromedriver, &chromium, &[]).expect("start chromedriver and Chromium");
    let shots = root().join("target/screenshots");

    // Load the page three times; the first load compiles the module cold.
    let mut ready = Vec::new();
    for _ in 0..3 {
        d.goto(&url);
        d.wait_for(
            "the page to be ready",
            "return document.documentElement.dataset.ready === '1'",
            Duration::from_secs(20),
        );
        ready.push(d.js("return window.__dockhand.readyMs").as_f64().unwrap());
    }
    assert!(severe(&d.console()).is_empty(), "console errors while loading");

    // Issue 19, item 10: the first visit opens on a welcome, then the level
    // dialog (story, goal, a picture of the target), then the terminal.
    assert_eq!(d.js("return document.getElementById('welcome').open"), json!(true), "no welcome on the first visit");
    d.screenshot(&shots.join("playground-first-screen.png"));
    d.answer("welcome", "welcome-start");
    d.wait_for("the level dialog", "return document.getElementById('level-dlg').open", Duration::from_secs(5));
    let intro = d.text("return document.getElementById('level-dlg').textContent");
    assert!(intro.contains("A container starts in a blink") && intro.contains("hello-world"), "level dialog: {intro}");
    assert!(
        d.js("return document.querySelectorAll('#level-dlg .card').length").as_u64().unwrap() >= 1,
        "no target picture"
    );
    d.screenshot(&shots.join("playground-level-dialog.png"));
    d.answer("level-dlg", "level-go");
    // The dialog gives the focus back once it has closed (a moment later
    // on a loaded machine).
    d.wait_for_focus("the terminal's focus after the level dialog");
    let greet = d.text("return document.querySelector('#out .greet').textContent");
    assert!(greet.contains("Type a docker command"), "the terminal's greeting: {greet}");
    assert_eq!(d.text("return document.getElementById('mode').textContent"), format!("Level 1 of {}", levels().len()));

    // Item 9: the VMs view. Every segment shows, labels are readable, and it
    // follows what the learner runs (vms-1: hello-world exits, yet it counts).
    assert_eq!(d.js("return document.querySelectorAll('#vms .bar-row').length"), json!(0));
    learnfix::learnfix_vms_first_screen(&d);
    run(&d, "docker run hello-world");
    // Issue 19 item 2: the terminal shows the pull, then the container's
    // output, as the docker CLI prints them (the lesson is pull, create, start).
    let printed = d.text("return document.querySelector('#out .entry:last-child').textContent");
    let (pull, hello) = (printed.find("Unable to find image"), printed.find("Hello from Docker!"));
    assert!(pull.is_some() && hello.is_some() && pull < hello, "out of order: {printed}");
    // Item 10: the completion dialog, the learner's commands against par,
    // a moment after the output and the picture have shown.
    assert_eq!(
        d.js("return document.getElementById('done-dlg').open"),
        json!(false),
        "the dialog hides the output at once"
    );
    d.wait_for("the completion dialog", "return document.getElementById('done-dlg').open", Duration::from_secs(5));
    learnfix::learnfix_completion_card(&d);
    let score = d.text("return document.getElementById('done-dlg-score').textContent");
    assert!(score.contains("1 command") && score.contains("par is 1"), "score: {score}");
    d.screenshot(&shots.join("playground-complete.png"));
    d.answer("done-dlg", "done-stay");
    d.wait_for_focus("the terminal's focus after Stay");
    let rows = d.js("return document.querySelectorAll('#vms .bar-row').length").as_u64().unwrap();
    assert_eq!(rows, 2, "one VM row and one container row after docker run hello-world");
    let vm = d.text("return document.getElementById('vms').textContent");
    assert!(vm.contains("1 VM against 1 container") && !vm.contains("1 VMs") && !vm.contains("1 containers"), "{vm}");
    let init = d.js("const s = document.querySelector('#vms .seg-guest-os-init'); return [s.offsetWidth, getComputedStyle(s).backgroundColor]");
    assert!(
        init[0].as_f64().unwrap() > 50.0 && init[1] != json!("rgba(0, 0, 0, 0)"),
        "guest OS init segment invisible: {init}"
    );
    let small = d.js("return [...document.querySelectorAll('#view-vms *')].filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 13).map(e => e.textContent)");
    assert_eq!(small, json!([]), "VMs view text under 13 px");
    // Memory to scale: the bars' widths are in the ratio of the megabytes
    // (hello-world has exited: the hosts alone, 550 MB against 800 MB).
    let mem = d.js("return [...document.querySelectorAll('#vms .mem-bar')].map(b => [...b.children].reduce((a, c) => a + c.getBoundingClientRect().width, 0))");
    let (vmw, ctw) = (mem[0].as_f64().unwrap(), mem[1].as_f64().unwrap());
    assert!((ctw / vmw - 550.0 / 800.0).abs() < 0.02, "memory not to scale: {mem}");
    learnfix::learnfix_vms_exited_memory(&d);
    // Item 1: a met goal stays met on the next command.
    run(&d, "docker ps -a");
    assert_eq!(d.js("return document.querySelectorAll('#goal li.met').length"), json!(2), "a tick went away");
    assert!(d.text("return document.getElementById('done').textContent").starts_with("Level complete"));
    assert_eq!(d.js("return document.getElementById('app').dataset.complete"), json!("1"));
    std::thread::sleep(Duration::from_millis(400));
    d.screenshot(&shots.join("playground-vms.png"));
    d.click("#vm-replay");
    let playing = d.js("return document.querySelector('#vms .seg-guest-os-init').getAnimations().length");
    assert_eq!(playing, json!(1), "Replay does not play the VM's boot again");
    // Next (from the lesson) opens the next level's dialog, then the terminal has the focus.
    learnfix::learnfix_slider_set(&d);
    d.click("#next");
    d.answer("level-dlg", "level-go");
    assert_eq!(d.text("return document.getElementById('lesson-title').textContent"), "Many apps, one kernel");
    d.wait_for_focus("the terminal's focus after the next level's dialog");
    learnfix::learnfix_slider_reset(&d);
    assert_eq!(
        d.js("return document.querySelectorAll('#vms .bar-row').length"),
        json!(0),
        "the VMs view kept the last level"
    );
    learnfix::learnfix_vms2_attached(&d);
    for name in ["web1", "web2", "web3"] {
        run(&d, &format!("docker run -d --name {name} nginx"));
    }
    learnfix::learnfix_vms_running(&d);
    // Session 9's second walk: with several apps the memory (the payoff) and
    // the slider scrolled out of the view; one pair of boot bars now, the
    // other apps named under it.
    let fit = d.js("const v = document.getElementById('view-vms').getBoundingClientRect(); return [document.getElementById('vm-n').getBoundingClientRect().bottom, v.bottom, document.querySelectorAll('#vms .bar-row').length, document.querySelector('#vms .more-apps') ? document.querySelector('#vms .more-apps').textContent : '']");
    assert!(
        fit[0].as_f64().unwrap() <= fit[1].as_f64().unwrap(),
        "with six apps the memory and the slider scroll out of the VMs view: {fit}"
    );
    assert_eq!(fit[2], json!(2), "one pair of boot bars: {fit}");
    assert!(fit[3].as_str().unwrap().contains("5 more apps"), "the other apps are named: {fit}");
    d.answer("done-dlg", "done-next");
    d.answer("level-dlg", "level-go");
    assert_eq!(d.text("return document.getElementById('lesson-title').textContent"), "Just processes on the host");
    d.wait_for_focus("the terminal's focus after Next level");
    learnfix::learnfix_par_typos(&d);

    // The sandbox: diagrams and the wire inspector react to a command.
    d.goto(&format!("{url}#sandbox"));
    d.wait_for("ready", "return document.documentElement.dataset.ready === '1'", Duration::from_secs(20));
    run(&d, "docker run -d --name web -p 8080:80 nginx");
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
    run(&d, "docker start web");
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
    run(&d, "docker exec -it web sh");
    // The smaller items: inside a container's shell, commands echo its prompt.
    let prompt = d.text("return document.getElementById('ps1').textContent");
    assert_ne!(prompt, "$", "no container prompt after docker exec -it");
    run(&d, "ls /");
    let echoed = d.text("return [...document.querySelectorAll('#out .cmdline .ps')].pop().textContent");
    assert_eq!(echoed.trim(), prompt, "a command in the container shell echoed with the host prompt");
    run(&d, "exit");
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

    // The smaller items: the docker ps table fits the terminal at 1440 px.
    run(&d, "docker ps");
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
    let px = "return [...document.querySelectorAll(SEL)].filter(t => t.textContent.trim() && t.getClientRects().length).map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a).filter(x => x < 12.9)";
    assert_eq!(d.js(&px.replace("SEL", "'#arch svg text'")), json!([]), "architecture text under 13 px");
    d.click("#tab-states");
    assert_eq!(d.js(&px.replace("SEL", "'#sm svg text'")), json!([]), "lifecycle text under 13 px");
    // Lifecycle labels: none clipped, none on another.
    let clash = d.js("const svg = document.querySelector('#sm svg'); const v = svg.viewBox.baseVal; const ls = [...svg.querySelectorAll('.edge-label')].map(t => t.getBBox()); const out = ls.filter(b => b.x < v.x || b.y < v.y || b.x + b.width > v.x + v.width || b.y + b.height > v.y + v.height).length; let hit = 0; for (let i = 0; i < ls.length; i++) for (let j = i + 1; j < ls.length; j++) { const a = ls[i], b = ls[j]; if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) hit++; } return [out, hit]");
    assert_eq!(clash, json!([0, 0]), "lifecycle labels clipped or colliding");

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
    run(&d, "docker -H remote run -d --name far nginx");
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
    run(&d, &format!("docker run -d --name '{hostile}' nginx"));
    run(&d, &format!("docker run --name xss busybox echo '{hostile}'"));
    run(&d, "docker run -d --name '<img src=x onerror=alert(1)>' nginx");
    std::thread::sleep(Duration::from_millis(300));
    let out_text = d.js("return document.getElementById('out').textContent").as_str().unwrap().to_string();
    assert!(out_text.contains(hostile), "the hostile text is shown as text: {out_text}");
    assert_eq!(d.js("return document.querySelectorAll('main img').length"), json!(0), "an <img> was created");
    assert_eq!(
        d.js("return window.__xss === true || window.__alerted === true"),
        json!(false),
        "learner data ran as code"
    );

    // Every lesson, by typing its solution.
    // The lessons' replay does not wait for the completion dialog's moment.
    d.js("window.__dockhand.dialogDelayMs = 0");
    let all = levels();
    assert!(all.len() >= 12, "expected the four tracks' levels, found {}", all.len());
    for level in &all {
        let id = level["id"].as_str().unwrap();
        // Item 8: hints go from the concept to the command's shape, and give
        // the answer only last.
        let hints: Vec<String> = serde_json::from_value(level["hints"].clone()).unwrap();
        let commands: Vec<&str> = level["solution"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .filter(|c| !c.starts_with('#'))
            .collect();
        assert!(hints.len() >= 3, "{id}: concept, shape, answer: {hints:?}");
        for h in &hints[..hints.len() - 1] {
            assert!(!commands.iter().any(|c| h.contains(c)), "{id}: a hint before the last gives the answer: {h}");
        }
        assert!(hints.last().unwrap().contains(commands[0]), "{id}: the last hint is the answer: {hints:?}");
        d.js(&format!("location.hash = 'level=' + {}", json!(id)));
        d.wait_for(id, &format!("return document.getElementById('level').value === {} && document.getElementById('app').dataset.complete === '0'", json!(id)), Duration::from_secs(10));
        d.answer("level-dlg", "level-go");
        // The smaller items: nothing of the last level under the picture.
        assert_eq!(
            d.text("return document.getElementById('arch-live').textContent"),
            "",
            "{id}: text of the last level"
        );
        if id == "flow-2" {
            // Item 7: an unsaved edit shows, and a build without saving does not complete the level.
            d.js("const t = document.getElementById('file-text'); t.value = 'print(\"changed\")'; t.dispatchEvent(new Event('input'))");
            let status = d.text("return document.getElementById('file-status').textContent");
            assert!(status.contains("unsaved"), "the editor hides unsaved changes: {status}");
            run(&d, "docker build -t app:v2 .");
            assert_eq!(
                d.js("return document.getElementById('app').dataset.complete"),
                json!("0"),
                "flow-2 completed without a change"
            );
            assert!(d.text("return document.getElementById('out').textContent").contains("unsaved changes"));
            d.click("#reset");
        }
        if id == "flow-3" {
            // Item 7: the served page is the learner's file, whatever it says.
            edit_file(&d, "#file index.html <h1>Hello from the learner</h1>");
        }
        for step in level["solution"].as_array().unwrap() {
            let step = step.as_str().unwrap();
            // A level can be complete before its last step: go on with it.
            if d.js("return document.getElementById('done-dlg').open") == json!(true) {
                d.answer("done-dlg", "done-stay");
            }
            if step.starts_with("#file ") {
                edit_file(&d, step);
            } else {
                run(&d, step);
            }
        }
        if id == "arch-1" {
            let done = d.text("return document.getElementById('done').textContent");
            assert!(done.contains("Who answers?") && !done.contains("?."), "{done}");
        }
        if id == "arch-3" {
            // Item 6: both answers are in the wire view at once.
            let list = d.text("return document.getElementById('wire-list').innerText");
            assert!(list.contains("404") && list.contains("304"), "arch-3 cannot compare: {list}");
        }
        if id == "proc-5" {
            learnfix::learnfix_lifecycle_success(&d);
        }
        if id == "flow-3" {
            let out = d.text("return document.getElementById('out').textContent");
            assert!(out.contains("Hello from the learner"), "the served page: {out}");
        }
        let chips = d.js("return [...document.querySelectorAll('#chips .chip')].map(c => c.textContent.trim())");
        let chips: Vec<String> = serde_json::from_value(chips).unwrap();
        assert!(!chips.iter().any(|c| commands.contains(&c.as_str())), "{id}: a chip is the solution: {chips:?}");
        let done = d.js("return document.getElementById('app').dataset.complete === '1'");
        if done != json!(true) {
            let goal = d
                .js("return [...document.querySelectorAll('#goal li')].map(li => li.className + ' ' + li.textContent)");
            let out = d.js("return document.getElementById('out').textContent");
            panic!("level {id} not complete after its solution; goal: {goal}; terminal: {out}");
        }
        let progress = d.js("return JSON.parse(localStorage.getItem('dockhand.playground.progress'))");
        assert_eq!(progress[id], json!(true), "progress of {id} saved");
        let par = commands.len();
        if d.js("return document.getElementById('done-dlg').open") == json!(true) {
            let score = d.text("return document.getElementById('done-dlg-score').textContent");
            assert!(score.contains(&format!("par is {par}")), "{id}: {score}");
        }
    }
    imagesview_build_cache_and_push(&d, &shots);
    d.screenshot(&shots.join("playground-lesson.png"));

    // Undo and reset restore the engine.
    d.js("location.hash = 'sandbox=1'");
    d.wait_for(
        "sandbox",
        "return document.getElementById('lesson-title').textContent === 'Sandbox'",
        Duration::from_secs(10),
    );
    d.click("#tab-arch");
    run(&d, "docker run -d --name undo-me nginx");
    assert_eq!(d.js("return document.querySelector('.node-containers .node-sub').textContent"), json!("1 (1 running)"));
    d.click("#undo");
    assert_eq!(d.js("return document.querySelector('.node-containers .node-sub').textContent"), json!("0 (0 running)"));

    // A shared link replays the sandbox.
    run(&d, "docker run -d --name shared nginx");
    d.click("#share");
    let mut timings: Vec<f64> = serde_json::from_value(d.js("return window.__dockhand.timings")).unwrap();
    let mut engine: Vec<f64> = serde_json::from_value(d.js("return window.__dockhand.engine")).unwrap();
    let mut lines: Vec<String> = serde_json::from_value(d.js("return window.__dockhand.lines")).unwrap();
    let link = d.js("return location.href").as_str().unwrap().to_string();
    assert!(link.contains("#s="), "{link}");
    d.goto("about:blank");
    d.goto(&link);
    d.wait_for("shared state", "return document.documentElement.dataset.ready === '1' && document.querySelector('.node-containers .node-sub').textContent === '1 (1 running)'", Duration::from_secs(20));

    // Keyboard only: history and completion.
    d.type_into("#cmd", "\u{E013}");
    assert_eq!(d.js("return document.getElementById('cmd').value"), json!("docker run -d --name shared nginx"));
    d.js("document.getElementById('cmd').value = ''");
    d.type_into("#cmd", "docker ima\u{E004}");
    let completed = d.js("return document.getElementById('cmd').value").as_str().unwrap().to_string();
    assert!(completed.starts_with("docker image"), "tab completion gave {completed:?}");
    assert_eq!(d.js("return document.activeElement.id"), json!("cmd"), "Tab completed instead of leaving the prompt");

    // Budgets: time per command measured by the page.
    let after: Vec<f64> = serde_json::from_value(d.js("return window.__dockhand.timings")).unwrap();
    timings.extend(after);
    let after: Vec<f64> = serde_json::from_value(d.js("return window.__dockhand.engine")).unwrap();
    let engine_all = [engine.clone(), after.clone()].concat();
    engine.extend(after);
    let after: Vec<String> = serde_json::from_value(d.js("return window.__dockhand.lines")).unwrap();
    lines.extend(after);
    engine.sort_by(f64::total_cmp);
    let engine_median = engine[engine.len() / 2];
    let mut sorted = timings.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let p95 = sorted[(sorted.len() * 95 / 100).min(sorted.len() - 1)];
    let max = *sorted.last().unwrap();
    let errors = d.js("return window.__dockhand.errors");
    assert_eq!(errors, json!([]), "errors caught by the page");
    let console = severe(&d.console());
    assert!(console.is_empty(), "console errors: {console:?}");

    // The mobile layout with command chips.
    d.resize(390, 844);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(d.js("return getComputedStyle(document.getElementById('chips')).display"), json!("flex"));
    d.click("#chips .chip");
    assert!(d.js("return document.getElementById('cmd').value").as_str().unwrap().starts_with("docker"));
    d.screenshot(&shots.join("playground-mobile.png"));
    // Bigger diagrams on mobile: a full-width picture one tap away, readable.
    d.click("#panes button[data-pane=views]");
    d.click("#tab-arch");
    let width = d.js("return document.querySelector('#arch svg').getBoundingClientRect().width").as_f64().unwrap();
    assert!(width > 330.0, "the picture is not full width on mobile: {width}");
    assert_eq!(d.js(&px.replace("SEL", "'#arch svg text'")), json!([]), "mobile architecture text under 13 px");
    d.screenshot(&shots.join("playground-mobile-picture.png"));
    d.click("#tab-states");
    assert_eq!(d.js(&px.replace("SEL", "'#sm svg text'")), json!([]), "mobile lifecycle text under 13 px");
    learnfix::learnfix_mobile(&d);
    d.click("#panes button[data-pane=term]");
    walk_the_last_level_ends_the_course(&d);
    walk_the_sandbox_opens_on_its_own_picture(&d);
    walk_pids_stay_whole_on_a_phone(&d);
    walk_a_host_command_points_into_the_running_container(&d);
    swarm::walk_swarm(&d, &shots);
    assert!(severe(&d.console()).is_empty(), "console errors in the walk's checks");
    drop(d);

    // Reduced motion: the page still works and draws no packet animation.
    let reduced = Driver::start(&chromedriver, &chromium, &["--force-prefers-reduced-motion"]).expect("second browser");
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

    let figures = json!({
        "wasm_bytes": std::fs::metadata(&wasm).unwrap().len(),
        "wasm_gzip_bytes": wasm_gz,
        "wasm_brotli_bytes": wasm_br,
        "build_seconds": built.as_ref().map(|b| b.elapsed.as_secs_f64()),
        "interactive_ms": ready,
        "commands": timings.len(),
        "command_ms_median": median,
        "command_ms_p95": p95,
        "command_ms_max": max,
        "command_ms_all": timings,
        "engine_ms_all": engine_all,
        "command_lines": lines,
        "engine_ms_median": engine_median,
        "engine_ms_max": engine.last(),
    });
    println!("playground figures: {figures}");
    std::fs::write(shots.join("figures.json"), serde_json::to_string_pretty(&figures).unwrap()).unwrap();
    if let Ok(docs) = std::env::var("DOCKHAND_UPDATE_SCREENSHOT") {
        if docs == "1" {
            std::fs::copy(shots.join("playground-desktop.png"), root().join("docs/playground.png")).unwrap();
        }
    }

    // The size guard (exact) and the budgets of issue 8 (times: the best
    // load and the median command, so one slow moment on a shared machine
    // does not decide).
    match wasm_br {
        Some(br) => assert!(
            br < WASM_BROTLI_CEILING,
            "wasm is {br} bytes with brotli, above the regression guard {WASM_BROTLI_CEILING}"
        ),
        None => eprintln!("SKIPPED (module size guard): brotli is missing (apt-get install brotli)"),
    }
    let best = ready.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(best < 1000.0, "page interactive after {best:.0} ms, over the 1 s budget");
    // The median must meet the budget. The p95 is a figure, not a check
    // (figures.json, docs/performance.md): on a machine whose two cores
    // other builds share it went from 18 to 38 ms with the same page, so
    // it said more about the machine than about the page.
    assert!(median < 10.0, "the median command took {median:.2} ms, over the 10 ms budget");
    println!("95% of commands took up to {p95:.2} ms (a figure; the budget is the median's)");
}

// ------------------------------------------------------------- the walk

/// Session 9's walk: the last level's dialog said "Next: the sandbox" and
/// nothing about the course being over. Every level is done by now.
fn walk_the_last_level_ends_the_course(d: &Driver) {
    d.js("location.hash = '#level=flow-8'; location.reload()");
    d.wait_for(
        "the page to be ready",
        "return document.documentElement.dataset.ready === '1'",
        Duration::from_secs(20),
    );
    d.answer("level-dlg", "level-go");
    for line in [
        "docker swarm init",
        "docker service create --name web --replicas 3 -p 80:80 nginx",
        "curl localhost:80",
        "docker service scale web=5",
    ] {
        run(d, line);
    }
    d.wait_for("the completion dialog", "return document.getElementById('done-dlg').open", Duration::from_secs(5));
    let course = d.text("return document.getElementById('done-dlg-course').textContent");
    assert!(course.contains(&format!("finished all {} levels", levels().len())), "the end of the course: {course}");
    assert_eq!(d.js("return document.getElementById('done-dlg-course').hidden"), json!(false));
    assert_eq!(d.text("return document.getElementById('done-next').textContent"), "Next: the sandbox");
    d.answer("done-dlg", "done-next");
}

/// The sandbox, entered from flow-7, opened on that level's Lifecycle view
/// still showing its removed `cache` container and the `rm` move.
fn walk_the_sandbox_opens_on_its_own_picture(d: &Driver) {
    d.wait_for(
        "the sandbox",
        "return document.getElementById('mode').textContent.startsWith('Sandbox')",
        Duration::from_secs(5),
    );
    assert_eq!(d.js("return document.getElementById('tab-arch').getAttribute('aria-selected')"), json!("true"));
    d.click("#panes button[data-pane=views]");
    d.click("#tab-states");
    let notes = d.text("return document.getElementById('sm-live').textContent");
    assert!(notes.contains("No container yet") && !notes.contains("cache"), "a stale lifecycle: {notes}");
    assert_eq!(d.js("return document.querySelectorAll('#sm .edge.taken').length"), json!(0));
    d.click("#panes button[data-pane=term]");
}

/// On a phone the Processes view broke host PIDs over two lines ("100" / "5").
fn walk_pids_stay_whole_on_a_phone(d: &Driver) {
    run(d, "docker run -d --name web nginx");
    d.click("#panes button[data-pane=views]");
    d.click("#tab-procs");
    let lines = d.js("return [...document.querySelectorAll('#pl td:first-child, #pl th')].map((c) => { \
         const r = document.createRange(); r.selectNodeContents(c); \
         return [c.textContent, new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size]; })");
    let cells = lines.as_array().unwrap();
    assert!(cells.len() >= 6, "the process tables: {lines}");
    for cell in cells {
        assert_eq!(cell[1], json!(1), "a PID or header broken over lines on a phone: {cell}");
    }
    d.click("#panes button[data-pane=term]");
}

/// A host command suggested `docker run --rm busybox CMD` (a throwaway
/// container, proc-2's dead end) even with a container running.
fn walk_a_host_command_points_into_the_running_container(d: &Driver) {
    run(d, "touch /tmp/notes.txt");
    let last = d.text("return document.querySelector('#out .entry:last-child').textContent");
    assert!(last.contains("Try: docker exec web touch /tmp/notes.txt"), "the suggestion: {last}");
    assert!(!last.contains("Try: docker run --rm busybox"), "a throwaway container: {last}");
}
