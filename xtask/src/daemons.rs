//! The daemons `cargo xtask test` runs the daemon-backed suites against,
//! and what each run counted.
//!
//! The default daemon (`DOCKER_HOST`, else `/var/run/docker.sock`: Debian
//! bookworm's dockerd 20.10 on CI) and the two that `.ci/daemons` starts in
//! network namespaces of their own: 26.1 at `/var/run/docker26.sock` and 28.5
//! at `/var/run/docker28.sock`. The suites are built once and run once per
//! daemon that answers, with `DOCKER_HOST` (and `DOCKHAND_REGISTRY_HOST`, the
//! address where that daemon reaches a test's registry) set.
//!
//! A daemon-backed suite is a `tests/*.rs` file that calls
//! `common::daemon()`: a new suite is picked up without a list to keep.
//!
//! Podman's Docker-compatible API (`podman system service` at
//! `/run/podman/podman.sock`, which `.ci/daemons` starts) runs the core
//! suites only ([`PODMAN_SUITES`]): containers and their lifecycle, logs,
//! attach and exec, images, networks, volumes and the system endpoints.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A daemon the suites run against.
pub struct Daemon {
    /// What the summary calls it before it answers (`default`, `26.1`, ...).
    pub label: &'static str,
    /// Its `DOCKER_HOST`.
    pub host: String,
    /// Where it reaches a registry the tests start.
    pub registry_host: &'static str,
    /// Its `/version` (engine, API), or why it cannot be used.
    pub answer: Result<(String, String), String>,
    /// The suites it runs: `None` for every daemon suite, else the names of
    /// `tests/*.rs` files (Podman's core suites).
    pub suites: Option<&'static [&'static str]>,
}

/// The socket of Podman's Docker-compatible service.
pub const PODMAN_HOST: &str = "unix:///run/podman/podman.sock";

/// The core suites that run on Podman: the lifecycle of containers, logs,
/// attach and exec, images, networks, volumes, the system endpoints.
pub const PODMAN_SUITES: [&str; 6] = ["containers", "images", "networks", "streams", "system", "volumes"];

/// The newer daemons `.ci/daemons` runs: label, socket, registry address.
const NEWER: [(&str, &str, &str); 2] =
    [("26.1", "unix:///var/run/docker26.sock", "10.226.0.1"), ("28.5", "unix:///var/run/docker28.sock", "10.228.0.1")];

/// The default daemon, then the newer ones (unless `DOCKER_HOST` already
/// names one of them), each probed.
pub fn known() -> Vec<Daemon> {
    let default_host = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty());
    let host = default_host.clone().unwrap_or_else(|| "unix:///var/run/docker.sock".to_owned());
    let mut daemons =
        vec![Daemon { label: "default", answer: version(&host), host, registry_host: "127.0.0.1", suites: None }];
    for (label, host, registry_host) in NEWER {
        if default_host.as_deref() == Some(host) {
            daemons[0].label = label;
            daemons[0].registry_host = registry_host;
            continue;
        }
        let answer = version(host).map_err(|e| format!("{e} (start it with: bash .ci/daemons start)"));
        daemons.push(Daemon { label, host: host.to_owned(), registry_host, answer, suites: None });
    }
    if default_host.as_deref() == Some(PODMAN_HOST) {
        daemons[0].label = "podman";
        daemons[0].suites = Some(&PODMAN_SUITES);
    } else {
        let answer = version(PODMAN_HOST).map_err(|e| {
            format!("{e} (install Debian's podman and start it with: bash .ci/daemons start)")
                .replace("no Docker daemon at", "no Podman service at")
        });
        daemons.push(Daemon {
            label: "podman",
            host: PODMAN_HOST.to_owned(),
            registry_host: "127.0.0.1",
            answer,
            suites: Some(&PODMAN_SUITES),
        });
    }
    daemons
}

impl Daemon {
    /// `dockerd 28.5.2 (API 1.51) at unix:///...` (`podman 4.3.1 ...`), or
    /// the label and host.
    pub fn describe(&self) -> String {
        match &self.answer {
            Ok((engine, api)) => format!("{} {engine} (API {api}) at {}", self.program(), self.host),
            Err(_) if self.label == "podman" => format!("podman at {}", self.host),
            Err(_) => format!("dockerd {} at {}", self.label, self.host),
        }
    }

    /// `dockerd`, or `podman` for Podman's service.
    pub fn program(&self) -> &'static str {
        if self.label == "podman" { "podman" } else { "dockerd" }
    }

    /// The nextest filter of the suites it runs: `all` (every daemon suite)
    /// or its own list.
    pub fn filter(&self, all: &str) -> String {
        match self.suites {
            None => all.to_owned(),
            Some(names) => {
                names.iter().map(|n| format!("binary_id(dockhand-workspace::{n})")).collect::<Vec<_>>().join(" | ")
            }
        }
    }
}

/// `GET /version` of the daemon at `host` (unix or tcp): its engine and API
/// versions.
fn version(host: &str) -> Result<(String, String), String> {
    let request = b"GET /version HTTP/1.0\r\nHost: docker\r\n\r\n";
    fn exchange<S: Read + Write>(mut s: S, request: &[u8]) -> std::io::Result<String> {
        s.write_all(request)?;
        let mut out = String::new();
        s.read_to_string(&mut out)?;
        Ok(out)
    }
    let answer = if let Some(path) = host.strip_prefix("unix://") {
        std::os::unix::net::UnixStream::connect(path).and_then(|s| {
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            exchange(s, request)
        })
    } else if let Some(addr) = host.strip_prefix("tcp://") {
        std::net::TcpStream::connect(addr).and_then(|s| {
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            exchange(s, request)
        })
    } else {
        return Err(format!("cannot probe {host} from xtask; the tests will try it themselves"));
    };
    let text = answer.map_err(|e| format!("no Docker daemon at {host}: {e}"))?;
    let status = text.lines().next().unwrap_or("");
    if !(status.starts_with("HTTP/1.") && status.contains(" 200 ")) {
        return Err(format!("{host} answered {status:?}"));
    }
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let json: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("{host}: /version is not JSON: {e}"))?;
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).unwrap_or("?").to_owned();
    Ok((field("Version"), field("ApiVersion")))
}

/// The nextest filter of the daemon-backed suites: the `tests/*.rs` files of
/// the workspace package that call `common::daemon()`.
pub fn suites_filter(root: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root.join("tests"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .filter(|p| std::fs::read_to_string(p).is_ok_and(|s| s.contains("common::daemon(")))
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.iter().map(|n| format!("binary_id(dockhand-workspace::{n})")).collect::<Vec<_>>().join(" | ")
}

/// What a run of the suites counted.
#[derive(Default)]
pub struct Counts {
    /// Whether cargo exited with success.
    pub ok: bool,
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
    /// Tests nextest skipped (ignored or filtered).
    pub skipped: u64,
}

/// Runs `cargo ARGS` with `env`, passing its output through and reading
/// nextest's closing `N tests run: P passed, F failed, S skipped` line.
pub fn run_counted(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Counts {
    let mut cmd = Command::new("cargo");
    cmd.args(args).current_dir(root).stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let Ok(mut child) = cmd.spawn() else { return Counts::default() };
    let mut counts = Counts::default();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            read_summary(&line, &mut counts);
        }
    }
    counts.ok = child.wait().is_ok_and(|s| s.success());
    counts
}

/// Reads nextest's closing line (`Summary [ 112.1s] 99 tests run: 98
/// passed (1 slow), 1 failed, 1 skipped`) into `counts`; other lines leave
/// it as it is.
fn read_summary(line: &str, counts: &mut Counts) {
    let Some((_, tail)) = line.split_once(" tests run: ").or_else(|| line.split_once(" test run: ")) else { return };
    for part in tail.split(", ") {
        let mut words = part.split_whitespace();
        let n = words.next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
        match words.next() {
            Some("passed") => counts.passed = n,
            Some("failed") => counts.failed = n,
            Some("skipped") => counts.skipped = n,
            _ => {}
        }
    }
}

/// Runs the tests that need no daemon once (when `others`), then the daemon-backed suites
/// once per daemon that answers (and on the default daemon even when it does
/// not, so that its suites say why they skip, or fail when required). Adds
/// the failed runs to `failed`; returns the summary's line per daemon and
/// how many runs there were.
pub fn run_suites(root: &Path, daemons: &[Daemon], others: bool, failed: &mut Vec<String>) -> (Vec<String>, usize) {
    let daemon_suites = suites_filter(root);
    let other_suites = format!("not ({daemon_suites})");
    let mut timed = |name: String, args: &[&str], env: &[(&str, &str)]| {
        println!("\n== {name}: cargo {}", args.join(" "));
        let started = Instant::now();
        let counts = run_counted(root, args, env);
        let took = started.elapsed();
        println!("== {name}: {} in {took:.0?}", if counts.ok { "ok" } else { "FAILED" });
        if !counts.ok {
            failed.push(name);
        }
        (counts, took)
    };
    let mut runs = 0;
    if others {
        let args = ["nextest", "run", "--workspace", "--no-fail-fast", "-E", &other_suites];
        timed("tests that need no daemon".to_owned(), &args, &[]);
        runs += 1;
    }
    let mut lines = Vec::new();
    for d in daemons.iter().filter(|d| d.answer.is_ok() || d.label == "default") {
        let filter = d.filter(&daemon_suites);
        let args = ["nextest", "run", "--workspace", "--no-fail-fast", "-E", &filter];
        let env = [("DOCKER_HOST", d.host.as_str()), ("DOCKHAND_REGISTRY_HOST", d.registry_host)];
        println!("\n(DOCKER_HOST={} DOCKHAND_REGISTRY_HOST={})", d.host, d.registry_host);
        let what = if d.suites.is_some() { "core daemon suites" } else { "daemon suites" };
        let (counts, took) = timed(format!("{what} on {}", d.describe()), &args, &env);
        runs += 1;
        lines.push(format!(
            "  {}: {} tests passed, {} failed, {} skipped, in {took:.0?}",
            d.describe(),
            counts.passed,
            counts.failed,
            counts.skipped
        ));
    }
    for d in daemons.iter().filter(|d| d.answer.is_err() && d.label != "default") {
        lines.push(format!("  {}: SKIPPED: {}", d.describe(), d.answer.as_ref().err().map_or("", String::as_str)));
    }
    (lines, runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nextests_summary_line() {
        let mut c = Counts::default();
        read_summary("        PASS [   2.040s] (1/6) dockhand-workspace::build x", &mut c);
        assert_eq!((c.passed, c.failed, c.skipped), (0, 0, 0));
        read_summary("     Summary [ 112.112s] 99 tests run: 98 passed (1 slow), 1 failed, 1 skipped", &mut c);
        assert_eq!((c.passed, c.failed, c.skipped), (98, 1, 1));
        let mut c = Counts::default();
        read_summary("     Summary [   0.035s] 1 test run: 1 passed, 0 skipped", &mut c);
        assert_eq!((c.passed, c.failed, c.skipped), (1, 0, 0));
    }

    #[test]
    fn the_daemon_suites_are_the_tests_that_call_common_daemon() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let filter = suites_filter(root);
        for suite in ["containers", "negotiation", "registry", "remote_ssh"] {
            assert!(filter.contains(&format!("binary_id(dockhand-workspace::{suite})")), "{filter}");
        }
        assert!(!filter.contains("::coverage)"), "tests/coverage.rs needs no daemon: {filter}");
    }

    #[test]
    fn a_daemon_that_does_not_answer_says_why() {
        let err = version("unix:///nonexistent/docker.sock").unwrap_err();
        assert!(err.contains("no Docker daemon at unix:///nonexistent/docker.sock"), "{err}");
        assert!(version("ssh://somewhere").unwrap_err().contains("cannot probe"));
    }

    #[test]
    fn podman_runs_the_core_suites_only_and_they_exist() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let all = suites_filter(root);
        let podman = Daemon {
            label: "podman",
            host: PODMAN_HOST.to_owned(),
            registry_host: "127.0.0.1",
            answer: Ok(("4.3.1".into(), "1.41".into())),
            suites: Some(&PODMAN_SUITES),
        };
        let filter = podman.filter(&all);
        for suite in PODMAN_SUITES {
            let term = format!("binary_id(dockhand-workspace::{suite})");
            assert!(all.contains(&term), "{suite} is not a daemon suite: {all}");
            assert!(filter.contains(&term), "{filter}");
        }
        assert!(!filter.contains("::registry)") && !filter.contains("::remote_ssh)"), "{filter}");
        assert_eq!(podman.describe(), "podman 4.3.1 (API 1.41) at unix:///run/podman/podman.sock");
        let dockerd = Daemon { label: "default", suites: None, ..podman };
        assert_eq!(dockerd.filter(&all), all);
    }
}
