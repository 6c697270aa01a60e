//! What the peers share: arguments, the output sink, the runtime.
//!
//! Each peer is a separate program so that a whole-process timer sees its
//! wall and CPU time alone (the daemon's are never counted).

use std::io::Write;

/// The arguments after the program's name, or a usage message and exit 2.
pub fn args(usage: &str, at_least: usize) -> Vec<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < at_least {
        eprintln!("usage: {usage}");
        std::process::exit(2);
    }
    args
}

/// Where log output goes: stdout through a 64 KiB buffer, as a program
/// printing logs would (redirect it to /dev/null to time the read alone).
/// (`Stdout`, not its lock: the sink may live in a spawned task, and the
/// buffer takes the lock once per 64 KiB.)
pub fn sink() -> std::io::BufWriter<std::io::Stdout> {
    std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout())
}

/// Writes `data` to `out`, or exits with status 1 (a closed pipe).
pub fn put(out: &mut impl Write, data: &[u8]) {
    if out.write_all(data).is_err() {
        std::process::exit(1);
    }
}

/// `unix:///path` or `/path` to the socket path.
pub fn socket_path(host: &str) -> &str {
    host.strip_prefix("unix://").unwrap_or(host)
}

/// The default multi-thread tokio runtime, as `#[tokio::main]` builds it.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime")
}

/// Requests per second of `n` requests in `elapsed`.
pub fn per_second(n: usize, elapsed: std::time::Duration) -> f64 {
    n as f64 / elapsed.as_secs_f64()
}

/// The command of the `exec` benchmark: LINES lines of 1,000 bytes (999
/// zeros and a newline) on stdout, as the 256 MiB logs container prints.
pub fn exec_command(lines: &str) -> [String; 3] {
    let n: u64 = lines.parse().expect("LINES is a number");
    ["sh".into(), "-c".into(), format!("yes $(printf %0999d 0) | head -n {n}")]
}

/// The build context of the `build` benchmark, as a tar: a Dockerfile whose
/// one `RUN` prints LINES lines of 200 bytes, so that the classic builder
/// streams that output back as JSON progress messages (`{"stream": ...}`).
pub fn build_context(lines: &str) -> Vec<u8> {
    let n: u64 = lines.parse().expect("LINES is a number");
    let dockerfile = format!("FROM dockhand-test/busybox\nRUN yes $(printf %0199d 0) | head -n {n}\n");
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(dockerfile.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "Dockerfile", dockerfile.as_bytes()).expect("a tar in memory");
    tar.into_inner().expect("a tar in memory")
}
