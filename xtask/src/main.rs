//! Project automation, in the cargo-xtask manner.
//!
//! - `cargo xtask test`: the test command of the README and CI. Probes which
//!   real parts this machine has (a Docker daemon, the busybox-static binary,
//!   the registry, sshd, Chromium), says plainly which suites will skip and
//!   why, then runs formatting, lints, the wasm32 check, the documentation
//!   build and every test. The daemon-backed suites (`tests/*.rs` that call
//!   `common::daemon()`) run once per daemon: the default one (20.10 on CI),
//!   then 26.1 and 28.5 when `.ci/daemons` runs them, and the core suites
//!   on Podman's Docker-compatible service (see `daemons.rs`); the summary
//!   has a line per daemon. With `DOCKHAND_REQUIRE_DOCKER=1` (and
//!   `DOCKHAND_REQUIRE_BROWSER=1`) a missing part fails the run instead of
//!   skipping, which is how CI runs it.
//!   The full run also packages the published crates together and checks
//!   them as `cargo publish --dry-run` would (`PUBLISHED`), and checks what
//!   this machine can check of their `rust-version` (see `msrv.rs`), and
//!   lints the SDK with the newest compatible dependencies (`newest.rs`).
//! - `cargo xtask test --quick`: only the tests.
//! - `cargo xtask test --daemons`: only the daemon-backed suites, once per
//!   daemon, with the summary's line per daemon.
//! - `cargo xtask package`: only the packaging (`cargo publish --dry-run`).
//! - `cargo xtask msrv`: only the MSRV checks.
//! - `cargo xtask newest`: only the newest-dependencies lints.
//! - `cargo xtask playground [--out DIR] [--port PORT] [--no-serve]`: build
//!   the browser playground and serve it (see `playground.rs`).

mod daemons;
mod msrv;
mod newest;
mod playground;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => test(&args[1..]),
        Some("playground") => playground::main(&workspace_root(), &args[1..]),
        Some("package") => status(package(&workspace_root())),
        Some("msrv") => status(msrv::check(&workspace_root())),
        Some("newest") => status(newest::check(&workspace_root())),
        _ => {
            eprintln!(
                "usage: cargo xtask test [--quick] | cargo xtask package | cargo xtask msrv | cargo xtask newest | cargo xtask playground [--out DIR] [--port PORT] [--no-serve]"
            );
            ExitCode::from(2)
        }
    }
}

/// Prints a check's notes (or its error) indented under its heading, and
/// returns whether it held.
fn report(outcome: Result<Vec<String>, String>) -> bool {
    match outcome {
        Ok(notes) => {
            for n in notes {
                println!("  {n}");
            }
            true
        }
        Err(e) => {
            eprintln!("  {e}");
            false
        }
    }
}

fn status(ok: bool) -> ExitCode {
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// A real part some suites need, and whether this machine has it.
struct Part {
    name: String,
    suites: String,
    missing: Option<String>,
    required_by: &'static str,
}

fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

fn probe(daemons: &[daemons::Daemon]) -> Vec<Part> {
    let busybox = probe_file(
        std::env::var_os("DOCKHAND_BUSYBOX").map(PathBuf::from).unwrap_or_else(|| "/bin/busybox".into()),
        "install Debian's busybox-static",
    );
    let registry = probe_file("/usr/bin/docker-registry".into(), "install Debian's docker-registry");
    let sshd = probe_file("/usr/sbin/sshd".into(), "install Debian's openssh-server");
    let chromium = probe_file("/usr/bin/chromium".into(), "install Debian's chromium and chromium-driver");
    let part = |name: &str, suites: &str, missing: Option<String>, required_by| Part {
        name: name.to_owned(),
        suites: suites.to_owned(),
        missing,
        required_by,
    };
    let mut parts: Vec<Part> = daemons
        .iter()
        .map(|d| {
            let name = match &d.answer {
                Ok((engine, _)) => format!("{} {engine}", d.program()),
                Err(_) if d.label == "podman" => "podman".to_owned(),
                Err(_) => format!("dockerd {}", d.label),
            };
            let what = if d.suites.is_some() { "core daemon suites" } else { "daemon suites" };
            let suites = format!("{what} on {}", d.host);
            part(&name, &suites, d.answer.as_ref().err().cloned(), "DOCKHAND_REQUIRE_DOCKER")
        })
        .collect();
    parts.extend([
        part("busybox-static", "the test image of the daemon tests", busybox, "DOCKHAND_REQUIRE_DOCKER"),
        part("registry", "tests/registry.rs", registry, "DOCKHAND_REQUIRE_DOCKER"),
        part("sshd", "tests/remote_ssh.rs", sshd, "DOCKHAND_REQUIRE_DOCKER"),
        part("Chromium", "browser end-to-end tests", chromium, "DOCKHAND_REQUIRE_BROWSER"),
    ]);
    parts
}

fn probe_file(path: PathBuf, fix: &str) -> Option<String> {
    if path.exists() { None } else { Some(format!("{} not found; {fix}", path.display())) }
}

/// A step of the test run that is more than one cargo command.
type Check = fn(&Path) -> bool;

/// A step of the test run: its name, cargo's arguments, extra environment.
type Step = (&'static str, Vec<&'static str>, Vec<(&'static str, &'static str)>);

fn test(args: &[String]) -> ExitCode {
    let only_daemons = args.iter().any(|a| a == "--daemons");
    let quick = only_daemons || args.iter().any(|a| a == "--quick");
    let root = workspace_root();
    let daemons = daemons::known();
    let parts = probe(&daemons);

    println!("== real parts on this machine");
    let mut fatal = false;
    for p in &parts {
        match &p.missing {
            None => println!("  {:<22} present   -> {} run", p.name, p.suites),
            Some(why) if required(p.required_by) => {
                println!("  {:<22} MISSING   -> {} cannot run: {why}", p.name, p.suites);
                fatal = true;
            }
            Some(why) => println!("  {:<22} missing   -> {} SKIPPED: {why}", p.name, p.suites),
        }
    }
    if fatal {
        eprintln!("error: a part that this run requires (DOCKHAND_REQUIRE_*=1) is missing");
        return ExitCode::FAILURE;
    }

    let nextest = Command::new("cargo").args(["nextest", "--version"]).output().is_ok_and(|o| o.status.success());
    let wasm = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"));

    let mut steps: Vec<Step> = Vec::new();
    if !quick {
        steps.push(("format", vec!["fmt", "--all", "--check"], vec![]));
        steps.push(("lints", vec!["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"], vec![]));
        if wasm {
            steps.push((
                "wasm32 check of the sans-IO core",
                vec!["check", "-p", "dockhand", "--no-default-features", "--target", "wasm32-unknown-unknown"],
                vec![],
            ));
            steps.push((
                "wasm32 lints of the simulated engine, with the browser's features",
                vec![
                    "clippy",
                    "-p",
                    "dockhand-engine",
                    "--no-default-features",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--",
                    "-D",
                    "warnings",
                ],
                vec![],
            ));
        }
        steps.push(("documentation", vec!["doc", "--workspace", "--no-deps"], vec![("RUSTDOCFLAGS", "-D warnings")]));
    }
    let bindgen_runner =
        Command::new("wasm-bindgen-test-runner").arg("--version").output().is_ok_and(|o| o.status.success())
            && Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if wasm && bindgen_runner {
        steps.push((
            "wasm-bindgen tests of the playground bindings (node)",
            vec!["test", "-p", "dockhand-playground-web", "--target", "wasm32-unknown-unknown", "--test", "wasm"],
            vec![("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")],
        ));
    } else if required("DOCKHAND_REQUIRE_BROWSER") {
        eprintln!("error: wasm-bindgen-test-runner or node is missing (cargo xtask playground installs the CLI)");
        return ExitCode::FAILURE;
    } else {
        println!("  wasm-bindgen    missing   -> wasm binding tests SKIPPED: run cargo xtask playground, install node");
    }
    // The workspace's tests turn on the SDK's `tls` (the root package uses
    // it), so the SDK is tested once more on its own defaults, where an
    // address that needs TLS is `Error::FeatureDisabled`.
    steps.push((
        "the SDK's default features (no tls): feature gates",
        vec!["test", "-p", "dockhand", "--test", "feature_gates"],
        vec![],
    ));
    if nextest {
        steps.push(("doc tests", vec!["test", "--workspace", "--doc"], vec![]));
    } else {
        steps.push(("tests and doc tests", vec!["test", "--workspace", "--no-fail-fast"], vec![]));
    }
    if !wasm && !quick {
        if required("DOCKHAND_REQUIRE_DOCKER") {
            eprintln!("error: the wasm32-unknown-unknown target is missing (rustup target add wasm32-unknown-unknown)");
            return ExitCode::FAILURE;
        }
        println!("  wasm32 target   missing   -> wasm32 check SKIPPED: rustup target add wasm32-unknown-unknown");
    }

    if only_daemons {
        if !nextest {
            eprintln!("error: cargo xtask test --daemons needs cargo-nextest (cargo install --locked cargo-nextest)");
            return ExitCode::FAILURE;
        }
        steps.clear();
    }
    let mut failed: Vec<String> = Vec::new();
    for (name, cargo_args, env) in &steps {
        println!("\n== {name}: cargo {}", cargo_args.join(" "));
        let started = Instant::now();
        let mut cmd = Command::new("cargo");
        cmd.args(cargo_args).current_dir(&root);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let ok = cmd.status().is_ok_and(|s| s.success());
        println!("== {name}: {} in {:.0?}", if ok { "ok" } else { "FAILED" }, started.elapsed());
        if !ok {
            failed.push(name.to_string());
        }
    }

    let (daemon_lines, test_runs) = if nextest {
        daemons::run_suites(&root, &daemons, !only_daemons, &mut failed)
    } else {
        (vec!["  the daemon suites ran once, on the default daemon: runs per daemon need cargo-nextest".to_owned()], 0)
    };

    if !quick {
        let checks: [(&str, Check); 3] = [
            ("packages: cargo publish --dry-run of the published crates, verified together", package),
            ("MSRV: rust-version against the edition, Cargo.lock and a fresh resolution", msrv::check),
            ("newest dependencies: the SDK linted and documented after a cargo update (scratch copy)", newest::check),
        ];
        for (name, check) in checks {
            println!("\n== {name}");
            let started = Instant::now();
            let ok = check(&root);
            println!("== {name}: {} in {:.0?}", if ok { "ok" } else { "FAILED" }, started.elapsed());
            if !ok {
                failed.push(name.to_owned());
            }
        }
    }

    println!("\n== summary");
    println!("daemons:");
    for line in &daemon_lines {
        println!("{line}");
    }
    for p in &parts {
        if let Some(why) = &p.missing {
            println!("  SKIPPED {}: {why}", p.suites);
        }
    }
    let runs = steps.len() + if quick { 0 } else { 3 } + test_runs;
    let passed = runs - failed.len();
    println!("steps: {passed} passed, {} failed", failed.len());
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("failed steps: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

/// `cargo publish --dry-run` of the published crates together: cargo
/// packages each one, "publishes" it to a temporary local registry laid over
/// crates.io, and verifies each `.crate` by building it against the others'
/// `.crate` files, as crates.io users will build them; then it checks
/// crates.io's rules and stops before the upload. `--allow-dirty` so that a
/// run on work in progress checks that work (CI's clone is clean anyway).
///
/// The verification builds in a target directory of its own, where the
/// three crates' artifacts are removed first: cargo takes a registry crate
/// of an unchanged version for unchanged, so a second run of the same
/// version would otherwise verify against the first run's builds (seen:
/// dockhand-engine checked against a dockhand without a method it had just
/// gained). Its dependencies stay built there between runs.
fn package(root: &Path) -> bool {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let target = target.join("package-check");
    let target = target.to_string_lossy().into_owned();
    msrv::forget_packaged_sources();
    let mut crates = Vec::new();
    for p in msrv::PUBLISHED {
        crates.extend(["-p", p]);
    }
    if Path::new(&target).exists() {
        let cleaned = Command::new("cargo")
            .args(["clean", "--quiet", "--target-dir", &target])
            .args(&crates)
            .current_dir(root)
            .status()
            .is_ok_and(|s| s.success());
        if !cleaned {
            return false;
        }
    }
    Command::new("cargo")
        .args(["publish", "--dry-run", "--allow-dirty", "--target-dir", &target])
        .args(&crates)
        .current_dir(root)
        .status()
        .is_ok_and(|s| s.success())
}

/// The workspace xtask was run for. `cargo run` (the `cargo xtask` alias) sets
/// CARGO_MANIFEST_DIR for the process, so a binary built in one checkout and
/// found fresh by another (cargo's fingerprints do not hash the path) still
/// works on the checkout it was run from; the compile-time value is the
/// fallback for a binary started by hand.
fn workspace_root() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let manifest =
        dir.filter(|d| d.join("Cargo.toml").is_file()).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().expect("xtask lives in the workspace").to_path_buf()
}
