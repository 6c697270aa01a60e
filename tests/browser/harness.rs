//! The harness of the browser test: building and serving the site, a small
//! WebDriver client for chromedriver, and the helpers every walk uses
//! (typing a command, editing a project file, the console's errors).

use super::*;

pub(crate) const FLAGS: &[&str] = &[
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
/// serves it): where it is now (554,781 bytes with session 10's swarm
/// picture, `docker service update`, the coach's new notes and per-level
/// ids; docs/performance.md) and 2% more. The 400 KB gzip budget of issue 8
/// is retired: the page is interactive well under 1 s. A raise is a row of
/// that table, with what it bought.
pub(crate) const WASM_BROTLI_CEILING: u64 = 566_000;

pub(crate) fn required() -> bool {
    std::env::var("DOCKHAND_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Skips (or fails, when required) with a reason.
pub(crate) fn skip(why: &str) {
    if required() {
        panic!("DOCKHAND_REQUIRE_BROWSER=1 but {why}");
    }
    eprintln!("SKIPPED (browser tests): {why}");
}

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(default))
}

/// The built site: `DOCKHAND_PLAYGROUND_DIR`, or a fresh build into
/// `target/playground`.
pub(crate) fn site() -> Result<(PathBuf, Option<playground::Built>), String> {
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

pub(crate) fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

// ------------------------------------------------------------------ WebDriver

/// A minimal WebDriver client over HTTP/1.1 on loopback.
pub(crate) struct Driver {
    port: u16,
    session: String,
    child: Child,
    profile: PathBuf,
}

pub(crate) fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<(u16, Value), String> {
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

pub(crate) fn dechunk(body: &str) -> String {
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
    pub(crate) fn start(chromedriver: &Path, chromium: &Path, extra: &[&str]) -> Result<Driver, String> {
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

    pub(crate) fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        let (status, v) =
            http(self.port, method, &full, body.as_ref()).unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert!(status == 200, "{method} {path} answered {status}: {v}");
        v["value"].clone()
    }

    pub(crate) fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }

    pub(crate) fn js(&self, script: &str) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    pub(crate) fn find(&self, css: &str) -> String {
        let v = self.cmd("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        v.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).expect("element id").to_string()
    }

    pub(crate) fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/value"), Some(json!({"text": text})));
    }

    pub(crate) fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    pub(crate) fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> Value {
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
    pub(crate) fn wait_for_focus(&self, what: &str) {
        self.wait_for(
            what,
            "return document.activeElement && document.activeElement.id === 'cmd'",
            Duration::from_secs(5),
        );
    }

    /// Browser console entries since the last call.
    pub(crate) fn console(&self) -> Vec<Value> {
        self.cmd("POST", "/se/log", Some(json!({"type": "browser"}))).as_array().cloned().unwrap_or_default()
    }

    pub(crate) fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = decode_base64(b64.as_str().expect("base64 screenshot"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Moves the mouse over an element (WebDriver actions).
    pub(crate) fn hover(&self, css: &str) {
        // The element reference exactly as the driver gave it.
        let origin = self.cmd("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "duration": 0, "origin": origin, "x": 0, "y": 0}]}]});
        self.cmd("POST", "/actions", Some(actions));
    }

    /// Presses keys on the focused element (WebDriver actions), e.g. Alt+2.
    pub(crate) fn chord(&self, keys: &[&str]) {
        let mut down: Vec<Value> = keys.iter().map(|k| json!({"type": "keyDown", "value": k})).collect();
        down.extend(keys.iter().rev().map(|k| json!({"type": "keyUp", "value": k})));
        self.cmd("POST", "/actions", Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": down}]})));
        self.cmd("DELETE", "/actions", None);
    }

    pub(crate) fn text(&self, script: &str) -> String {
        self.js(script).as_str().map(str::to_string).unwrap_or_else(|| panic!("no text from {script}"))
    }

    /// Waits until a dialog is open, then answers it with one of its buttons.
    pub(crate) fn answer(&self, dialog: &str, button: &str) {
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

    pub(crate) fn resize(&self, width: u32, height: u32) {
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

pub(crate) fn decode_base64(text: &str) -> Vec<u8> {
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
pub(crate) fn levels() -> Vec<Value> {
    crate::lesson_index::levels(&root().join("playground/web/static/lessons"))
}

/// Types one command at the prompt and waits until the page handled it.
pub(crate) fn run(d: &Driver, line: &str) {
    let before = d.js("return window.__dockhand.timings.length").as_u64().unwrap();
    d.type_into("#cmd", &format!("{line}\u{E007}"));
    d.wait_for(line, &format!("return window.__dockhand.timings.length > {before}"), Duration::from_secs(10));
}

/// Opens a level on a fresh page (no welcome), its dialog still open.
pub(crate) fn open_level(d: &Driver, id: &str) {
    d.js(&format!(
        "localStorage.setItem('dockhand.playground.welcomed', '1'); location.hash = '#level={id}'; location.reload()"
    ));
    d.wait_for(
        "the page to be ready",
        &format!(
            "return document.documentElement.dataset.ready === '1' && document.getElementById('level').value === '{id}'"
        ),
        Duration::from_secs(20),
    );
    d.wait_for("the level dialog", "return document.getElementById('level-dlg').open", Duration::from_secs(10));
}

/// Opens a level, closes its dialog and types `lines`.
pub(crate) fn play(d: &Driver, id: &str, lines: &[&str]) {
    open_level(d, id);
    d.answer("level-dlg", "level-go");
    for line in lines {
        run(d, line);
    }
}

/// Waits for the completion card (and one frame for its scrolling).
pub(crate) fn wait_card(d: &Driver) {
    d.wait_for("the completion card", "return document.getElementById('done-dlg').open", Duration::from_secs(6));
    std::thread::sleep(Duration::from_millis(300));
}

/// Shows the terminal pane on a phone (a no-op on a desktop).
pub(crate) fn terminal(d: &Driver) {
    if d.js("return getComputedStyle(document.getElementById('panes')).display !== 'none'") == json!(true) {
        d.click("#panes button[data-pane=term]");
    }
}

/// Resizes the window and lets the layout settle.
pub(crate) fn size(d: &Driver, w: u32, h: u32) {
    d.resize(w, h);
    std::thread::sleep(Duration::from_millis(300));
}

/// Sets the viewport (not the window with its frame) to w x h.
pub(crate) fn viewport(d: &Driver, w: u32, h: u32) {
    d.resize(w, h);
    let frame = h.saturating_sub(d.js("return window.innerHeight").as_u64().unwrap() as u32);
    d.resize(w, h + frame);
    std::thread::sleep(Duration::from_millis(300));
}

/// Applies a `#file NAME CONTENT` solution step through the file editor.
pub(crate) fn edit_file(d: &Driver, step: &str) {
    let rest = &step["#file ".len()..];
    let (name, content) = rest.split_once(' ').expect("#file NAME CONTENT");
    d.js(&format!("const p = document.getElementById('file-pick'); p.value = {}; p.dispatchEvent(new Event('change')); document.getElementById('file-text').value = ''", json!(name)));
    d.type_into("#file-text", content);
    d.click("#file-save");
}

pub(crate) fn severe(entries: &[Value]) -> Vec<String> {
    entries.iter().filter(|e| e["level"] == json!("SEVERE")).map(|e| e["message"].to_string()).collect()
}

/// The text of the visible elements under `root` drawn under 13 px.
pub(crate) fn small_text(d: &Driver, root: &str) -> Value {
    d.js(&format!("return [...document.querySelectorAll({})].filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 13).map(e => e.textContent)", json!(format!("{root} *"))))
}

/// The script that lists SVG texts (CSS selector `SEL`) drawn under 13 px.
pub(crate) const PX_UNDER_13: &str = "return [...document.querySelectorAll(SEL)].filter(t => t.textContent.trim() && t.getClientRects().length).map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a).filter(x => x < 12.9)";
