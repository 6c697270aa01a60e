//! `cargo xtask playground`: build the browser playground and serve it.
//!
//! ```text
//! cargo xtask playground [--out DIR] [--port PORT] [--no-serve]
//! ```
//!
//! 1. Installs what is missing: the `wasm32-unknown-unknown` target (rustup)
//!    and the wasm-bindgen CLI at exactly the `wasm-bindgen` version of
//!    Cargo.lock (`cargo install wasm-bindgen-cli --version X --locked`, only
//!    when the installed one differs).
//! 2. Builds `dockhand-playground-web` for wasm32 with the `wasm-release`
//!    profile (size-optimised, LTO) in its own target directory
//!    (`target/playground-build`, so a build started from a test does not wait
//!    for the lock of the test's own build).
//! 3. Writes the static site to DIR (default `target/playground`): the files
//!    of `playground/web/static/` plus `pkg/` from wasm-bindgen
//!    (`--target web`) from the module optimised by binaryen's `wasm-opt`
//!    when it is installed ([`WASM_OPT_FLAGS`]), without the name and
//!    producers sections. Every path in the site is relative: it works from any
//!    static host.
//! 4. Serves DIR on 127.0.0.1:PORT (default 8080) with the right MIME types,
//!    unless `--no-serve`.
//!
//! This file is std-only and self-contained: the browser test
//! (`tests/browser.rs`) includes it with `#[path]` to build and serve the
//! site the same way.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The crate built to WebAssembly.
pub const CRATE: &str = "dockhand-playground-web";
/// Its library name as rustc writes it.
pub const LIB: &str = "dockhand_playground_web";
/// The cargo profile of the wasm build (declared in the root Cargo.toml).
pub const PROFILE: &str = "wasm-release";

/// What a build produced.
#[derive(Debug, Clone)]
pub struct Built {
    /// The site folder.
    pub out: PathBuf,
    /// Bytes of the final `.wasm`.
    pub wasm_bytes: u64,
    /// Bytes of the `.wasm` gzipped at level 9 (`None` when `gzip` is absent).
    pub wasm_gzip_bytes: Option<u64>,
    /// Bytes of the `.wasm` compressed with brotli at quality 11, as a
    /// static host serves it (`None` when `brotli` is absent).
    pub wasm_brotli_bytes: Option<u64>,
    /// Time the whole build took.
    pub elapsed: Duration,
    /// Whether binaryen's `wasm-opt` ran (it is skipped when absent).
    pub wasm_opt: bool,
}

/// Entry point of `cargo xtask playground ARGS`.
pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let mut out = root.join("target/playground");
    let mut port: u16 = 8080;
    let mut serve_it = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-serve" => serve_it = false,
            "--out" => match it.next() {
                Some(d) => out = PathBuf::from(d),
                None => return usage("--out needs a folder"),
            },
            "--port" => match it.next().and_then(|p| p.parse().ok()) {
                Some(p) => port = p,
                None => return usage("--port needs a number"),
            },
            other => return usage(&format!("unknown argument {other}")),
        }
    }
    let built = match build(root, &out) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "built {} in {:.1?}: wasm {} bytes{}{}",
        built.out.display(),
        built.elapsed,
        built.wasm_bytes,
        built.wasm_gzip_bytes.map(|g| format!(", {g} bytes gzipped")).unwrap_or_default()
            + &built.wasm_brotli_bytes.map(|b| format!(", {b} bytes with brotli")).unwrap_or_default(),
        if built.wasm_opt { "" } else { " (without wasm-opt)" }
    );
    if !serve_it {
        return ExitCode::SUCCESS;
    }
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e} (try --port)");
            return ExitCode::FAILURE;
        }
    };
    println!("serving the playground at http://127.0.0.1:{port}/ (Ctrl-C to stop)");
    serve(listener, built.out);
    ExitCode::SUCCESS
}

fn usage(why: &str) -> ExitCode {
    eprintln!("error: {why}\nusage: cargo xtask playground [--out DIR] [--port PORT] [--no-serve]");
    ExitCode::from(2)
}

/// Installs what is missing, builds the module and writes the site to `out`.
pub fn build(root: &Path, out: &Path) -> Result<Built, String> {
    let started = Instant::now();
    ensure_target()?;
    let version = locked_wasm_bindgen(root)?;
    ensure_wasm_bindgen(&version)?;

    let target_dir = root.join("target/playground-build");
    run(Command::new(cargo())
        .args(["build", "--package", CRATE, "--lib", "--target", "wasm32-unknown-unknown", "--profile", PROFILE])
        .arg("--target-dir")
        .arg(&target_dir)
        .current_dir(root))?;
    let built = target_dir.join("wasm32-unknown-unknown").join(PROFILE).join(format!("{LIB}.wasm"));
    // wasm-opt before wasm-bindgen, on a copy (same file name: wasm-bindgen
    // names its output after it): binaryen 108, Debian's, renumbers the
    // export of wasm-bindgen's externref table when run after it, and the
    // page then fails to start.
    let opt_dir = target_dir.join("wasm-opt");
    std::fs::create_dir_all(&opt_dir).map_err(|e| format!("cannot create {}: {e}", opt_dir.display()))?;
    let wasm = opt_dir.join(format!("{LIB}.wasm"));
    let optimised = wasm_opt(&built, &wasm)?;

    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    copy_dir(&root.join("playground/web/static"), out)?;
    let pkg = out.join("pkg");
    run(Command::new("wasm-bindgen").args(["--target", "web", "--no-typescript", "--out-dir"]).arg(&pkg).arg(&wasm))?;
    let final_wasm = pkg.join(format!("{LIB}_bg.wasm"));
    let module = std::fs::read(&final_wasm).map_err(|e| e.to_string())?;
    let stripped = strip_custom_sections(&module, &["name", "producers"])?;
    std::fs::write(&final_wasm, stripped).map_err(|e| e.to_string())?;
    let wasm_bytes = std::fs::metadata(&final_wasm).map_err(|e| e.to_string())?.len();
    Ok(Built {
        out: out.to_path_buf(),
        wasm_bytes,
        wasm_gzip_bytes: gzip_size(&final_wasm),
        wasm_brotli_bytes: brotli_size(&final_wasm),
        elapsed: started.elapsed(),
        wasm_opt: optimised,
    })
}

/// The flags of the `wasm-opt` pass: binaryen's `-O2` without its inlining.
/// Measured on this module (binaryen 108, docs/performance.md): with the
/// default inlining, `-Oz` makes it 5% smaller raw but 15% *larger* gzipped
/// (the copies of inlined bodies compress worse than the calls they
/// replace); without inlining `-O2` makes it 4% smaller raw and 1.3% smaller
/// gzipped (run before wasm-bindgen, see [`build`]), a little better than
/// `-Os`/`-Oz` without inlining.
pub const WASM_OPT_FLAGS: &[&str] = &[
    "-O2",
    "--always-inline-max-function-size",
    "0",
    "--flexible-inline-max-function-size",
    "0",
    "--one-caller-inline-max-function-size",
    "0",
];

/// Writes `input` optimised by binaryen's `wasm-opt` ([`WASM_OPT_FLAGS`]) to
/// `output`; when `wasm-opt` is not installed (Debian: `apt-get install
/// binaryen`) copies it unchanged, with a note, and returns `Ok(false)`: the
/// module works without the pass, only a little larger.
pub fn wasm_opt(input: &Path, output: &Path) -> Result<bool, String> {
    if Command::new("wasm-opt").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        println!("note: wasm-opt (binaryen) not found, the module is not optimised further (apt-get install binaryen)");
        std::fs::copy(input, output).map_err(|e| format!("cannot copy {}: {e}", input.display()))?;
        return Ok(false);
    }
    run(Command::new("wasm-opt").args(WASM_OPT_FLAGS).arg(input).arg("-o").arg(output))?;
    Ok(true)
}

/// Removes the named custom sections of a wasm module (the `name` section
/// alone is a third of this one; browsers need it only for stack traces).
/// rustc's `strip = true` would do it but also drops `target_features`,
/// which wasm-bindgen reads.
pub fn strip_custom_sections(module: &[u8], drop: &[&str]) -> Result<Vec<u8>, String> {
    fn leb(bytes: &[u8], at: &mut usize) -> Result<usize, String> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let b = *bytes.get(*at).ok_or("truncated wasm module")?;
            *at += 1;
            value |= usize::from(b & 0x7f).checked_shl(shift).ok_or("bad LEB128 in wasm module")?;
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 35 {
                return Err("bad LEB128 in wasm module".into());
            }
        }
    }
    if module.len() < 8 || &module[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut out = module[..8].to_vec();
    let mut at = 8;
    while at < module.len() {
        let start = at;
        let id = module[at];
        at += 1;
        let size = leb(module, &mut at)?;
        let body = at;
        let end = body.checked_add(size).filter(|e| *e <= module.len()).ok_or("truncated wasm section")?;
        let mut keep = true;
        if id == 0 {
            let mut name_at = body;
            let len = leb(module, &mut name_at)?;
            let name = module.get(name_at..name_at + len).ok_or("truncated custom section name")?;
            keep = !drop.iter().any(|d| d.as_bytes() == name);
        }
        if keep {
            out.extend_from_slice(&module[start..end]);
        }
        at = end;
    }
    Ok(out)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed: {status}")) }
}

fn ensure_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown"));
    match installed {
        Ok(true) => Ok(()),
        Ok(false) => {
            println!("installing the wasm32-unknown-unknown target");
            run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
        }
        // No rustup (a distribution's rustc): trust that the target is there;
        // cargo says so plainly if it is not.
        Err(_) => Ok(()),
    }
}

/// The `wasm-bindgen` version Cargo.lock pins (the CLI must match it exactly).
pub fn locked_wasm_bindgen(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

/// The installed wasm-bindgen CLI's version, if any.
pub fn installed_wasm_bindgen() -> Option<String> {
    let out = Command::new("wasm-bindgen").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().nth(1).map(str::to_string)
}

fn ensure_wasm_bindgen(version: &str) -> Result<(), String> {
    match installed_wasm_bindgen() {
        Some(v) if v == version => Ok(()),
        other => {
            println!(
                "installing wasm-bindgen-cli {version} (found {}); this compiles it once",
                other.as_deref().unwrap_or("none")
            );
            let locked =
                run(Command::new(cargo()).args(["install", "wasm-bindgen-cli", "--version", version, "--locked"]));
            if let Err(e) = locked {
                // A registry mirror may lack one of the exact versions the
                // CLI's own lock file pins; resolve afresh then (the CLI's
                // version itself stays exact).
                println!("{e}; retrying without --locked");
                run(Command::new(cargo()).args(["install", "wasm-bindgen-cli", "--version", &format!("={version}")]))?;
            }
            Ok(())
        }
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Size of `path` gzipped at level 9, through the `gzip` program.
pub fn gzip_size(path: &Path) -> Option<u64> {
    let out = Command::new("gzip").args(["-9", "-c"]).arg(path).stderr(Stdio::null()).output().ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

/// Size of `path` compressed with brotli at quality 11, through the
/// `brotli` program (Debian: `apt-get install brotli`).
pub fn brotli_size(path: &Path) -> Option<u64> {
    let out = Command::new("brotli").args(["-q", "11", "-c"]).arg(path).stderr(Stdio::null()).output().ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

/// The MIME type the site's files are served with.
pub fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves `dir` on `listener` forever, one thread per connection.
pub fn serve(listener: TcpListener, dir: PathBuf) {
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &dir);
        });
    }
}

/// Starts [`serve`] on a free loopback port in a background thread and
/// returns the port (for tests: `tests/browser.rs` includes this file).
#[allow(dead_code)]
pub fn serve_in_background(dir: PathBuf) -> std::io::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || serve(listener, dir));
    Ok(port)
}

/// Maps a request target to a file under `dir`, refusing anything that
/// would leave it.
pub fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut out = dir.to_path_buf();
    for part in Path::new(path.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    out.is_file().then_some(out)
}

fn handle(stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut close = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("connection:") && lower.contains("close") {
                close = true;
            }
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/");
        if request_line.contains("HTTP/1.0") {
            close = true;
        }
        let (status, kind, body) = match (method, resolve(dir, target)) {
            ("GET" | "HEAD", Some(file)) => match std::fs::read(&file) {
                Ok(bytes) => ("200 OK", mime(&file), bytes),
                Err(_) => ("404 Not Found", "text/plain; charset=utf-8", b"not found\n".to_vec()),
            },
            ("GET" | "HEAD", None) => ("404 Not Found", "text/plain; charset=utf-8", b"not found\n".to_vec()),
            _ => ("405 Method Not Allowed", "text/plain; charset=utf-8", b"method not allowed\n".to_vec()),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n{}\r\n",
            body.len(),
            if close { "Connection: close\r\n" } else { "" }
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
        stream.flush()?;
        if close {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn mime_types() {
        assert_eq!(mime(Path::new("a/x.wasm")), "application/wasm");
        assert_eq!(mime(Path::new("x.js")), "text/javascript; charset=utf-8");
        assert_eq!(mime(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(mime(Path::new("l.json")), "application/json");
        assert_eq!(mime(Path::new("noext")), "application/octet-stream");
    }

    #[test]
    fn strips_only_the_named_custom_sections() {
        let custom = |name: &str, body: &[u8]| {
            let mut s = vec![0u8, (1 + name.len() + body.len()) as u8, name.len() as u8];
            s.extend_from_slice(name.as_bytes());
            s.extend_from_slice(body);
            s
        };
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        module.extend([1, 1, 0]); // an empty type section
        module.extend(custom("name", b"xyz"));
        module.extend(custom("target_features", b"+"));
        let out = strip_custom_sections(&module, &["name"]).unwrap();
        let mut want = b"\0asm\x01\0\0\0".to_vec();
        want.extend([1, 1, 0]);
        want.extend(custom("target_features", b"+"));
        assert_eq!(out, want);
        assert!(strip_custom_sections(b"nope", &[]).is_err());
        assert!(strip_custom_sections(b"\0asm\x01\0\0\0\x01\x7f", &[]).is_err());
    }

    #[test]
    fn resolve_refuses_escapes() {
        let dir = std::env::temp_dir().join(format!("dockhand-xtask-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("index.html"), "x").unwrap();
        std::fs::write(dir.join("pkg/a.js"), "x").unwrap();
        assert_eq!(resolve(&dir, "/"), Some(dir.join("index.html")));
        assert_eq!(resolve(&dir, "/pkg/a.js?v=1"), Some(dir.join("pkg/a.js")));
        assert_eq!(resolve(&dir, "/../etc/passwd"), None);
        assert_eq!(resolve(&dir, "/pkg/../../x"), None);
        assert_eq!(resolve(&dir, "/missing"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn serves_files_with_their_type() {
        let dir = std::env::temp_dir().join(format!("dockhand-xtask-serve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("m.wasm"), b"\0asm").unwrap();
        let port = serve_in_background(dir.clone()).unwrap();
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET /m.wasm HTTP/1.0\r\n\r\n").unwrap();
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).unwrap();
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 200 OK"), "{text}");
        assert!(text.contains("Content-Type: application/wasm"), "{text}");
        assert!(text.ends_with("\0asm"));
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET /../x HTTP/1.0\r\n\r\n").unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
