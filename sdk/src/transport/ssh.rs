//! ssh:// for the native transport (feature `ssh`), the way the docker CLI
//! does it: the system `ssh` client runs `docker system dial-stdio` on the
//! remote host, and HTTP flows over its stdin and stdout. One ssh process per
//! connection; it is killed and reaped when the connection is dropped.

use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::process::{ChildStdin, ChildStdout, Command};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};

use super::native::ConnectFailure;
use crate::{Error, Result};

/// ssh's `ConnectTimeout` when the client sets no connect timeout (the
/// docker CLI's value).
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// How dockhand runs `ssh` for `ssh://` daemons.
///
/// By default it runs `ssh` from `PATH` with the user's own configuration
/// (`~/.ssh/config`, the agent, known hosts), as the docker CLI does.
///
/// ```
/// let ssh = dockhand::transport::SshOptions::new()
///     .config_file("/etc/dockhand/ssh_config")
///     .arg("-o")
///     .arg("BatchMode=yes");
/// # let _ = ssh;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SshOptions {
    /// The ssh program (default `ssh`, found on `PATH`).
    pub program: PathBuf,
    /// A configuration file passed with `-F` (default: the user's).
    pub config_file: Option<PathBuf>,
    /// More arguments, before the destination (`-i KEY`, `-o Option=value`).
    pub args: Vec<String>,
    /// How many of a client's ssh connections to the host may be starting
    /// at once: from ssh's start until the first byte from the daemon
    /// (default [`DEFAULT_MAX_STARTUPS`]). Further connections wait their
    /// turn; established ones are not limited. sshd drops new connections
    /// past its `MaxStartups` (10 by default) while they are still
    /// authenticating, so many concurrent first calls, each starting its own
    /// ssh, failed with "Connection reset by peer".
    pub max_startups: usize,
}

/// The default of [`SshOptions::max_startups`]: below sshd's default
/// `MaxStartups` of 10.
pub const DEFAULT_MAX_STARTUPS: usize = 8;

impl Default for SshOptions {
    fn default() -> Self {
        SshOptions {
            program: PathBuf::from("ssh"),
            config_file: None,
            args: Vec::new(),
            max_startups: DEFAULT_MAX_STARTUPS,
        }
    }
}

impl SshOptions {
    /// The defaults.
    pub fn new() -> Self {
        SshOptions::default()
    }

    /// The ssh program to run.
    pub fn program(mut self, program: impl Into<PathBuf>) -> Self {
        self.program = program.into();
        self
    }

    /// An ssh configuration file (`ssh -F FILE`), instead of the user's.
    pub fn config_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.config_file = Some(file.into());
        self
    }

    /// One more argument for ssh, placed before the destination.
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// At most `n` ssh connections to the host starting at once (at least
    /// 1); see [`SshOptions::max_startups`]. Lower it when other clients
    /// share the host's `MaxStartups`.
    ///
    /// ```
    /// let ssh = dockhand::transport::SshOptions::new().max_startups(4);
    /// assert_eq!(ssh.max_startups, 4);
    /// ```
    pub fn max_startups(mut self, n: usize) -> Self {
        self.max_startups = n.max(1);
        self
    }
}

/// The ssh command line for one daemon.
#[derive(Debug)]
pub(crate) struct SshTarget {
    options: SshOptions,
    user: Option<String>,
    host: String,
    port: Option<u16>,
    /// One permit per ssh connection still starting (`options.max_startups`).
    slots: Arc<Semaphore>,
}

/// The remote command: the docker CLI's stdio bridge to its daemon.
const REMOTE_COMMAND: [&str; 3] = ["docker", "system", "dial-stdio"];

impl SshTarget {
    pub(crate) fn new(options: SshOptions, user: Option<String>, host: String, port: Option<u16>) -> Result<Self> {
        // ssh would read a leading '-' as an option.
        if host.starts_with('-') || user.as_deref().is_some_and(|u| u.starts_with('-')) {
            return Err(Error::invalid("daemon address", format!("ssh host or user may not start with '-': {host:?}")));
        }
        let slots = Arc::new(Semaphore::new(options.max_startups.max(1)));
        Ok(SshTarget { options, user, host, port, slots })
    }

    /// The arguments after the program, as the docker CLI builds them.
    pub(crate) fn args(&self, connect_timeout: Option<Duration>) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(file) = &self.options.config_file {
            args.push("-F".to_owned());
            args.push(file.display().to_string());
        }
        args.extend(self.options.args.iter().cloned());
        if !self.options.args.iter().any(|a| a.contains("ConnectTimeout")) {
            let secs = connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT).as_secs_f64().ceil().max(1.0) as u64;
            args.push("-o".to_owned());
            args.push(format!("ConnectTimeout={secs}"));
        }
        // No pseudo-terminal: the bytes are HTTP.
        args.push("-T".to_owned());
        if let Some(user) = &self.user {
            args.push("-l".to_owned());
            args.push(user.clone());
        }
        if let Some(port) = self.port {
            args.push("-p".to_owned());
            args.push(port.to_string());
        }
        args.push("--".to_owned());
        args.push(self.host.clone());
        args.extend(REMOTE_COMMAND.iter().map(|s| (*s).to_owned()));
        args
    }

    /// Starts ssh once fewer than `max_startups` of this client's are
    /// starting; the connection is its stdin and stdout, and holds its slot
    /// until the first byte from the daemon (ssh is then past sshd's
    /// authentication) or until it is dropped.
    pub(crate) async fn spawn(&self, connect_timeout: Option<Duration>) -> io::Result<SshStream> {
        let slot = self.slots.clone().acquire_owned().await.map_err(io::Error::other)?;
        let args = self.args(connect_timeout);
        tracing::debug!(program = %self.options.program.display(), ?args, "starting ssh for a daemon connection");
        let mut command = Command::new(&self.options.program);
        command.args(&args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
        // A session of its own, as the docker CLI does: the terminal's
        // Ctrl-C does not reach it, and ProxyCommand helpers work. Without a
        // terminal, ssh cannot prompt: keys come from the agent or the
        // config (or SSH_ASKPASS).
        // SAFETY: setsid is async-signal-safe; nothing else runs between
        // fork and exec.
        #[cfg(unix)]
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = command.spawn().map_err(|e| {
            let program = self.options.program.display();
            let failure = if e.kind() == io::ErrorKind::NotFound {
                ConnectFailure {
                    reason: format!("the ssh client {program:?} was not found"),
                    hint: Some(
                        "install OpenSSH's client (Debian: openssh-client), or set the program with \
                         DockerBuilder::ssh_options"
                            .into(),
                    ),
                }
            } else {
                ConnectFailure { reason: format!("could not run {program:?}: {e}"), hint: None }
            };
            io::Error::new(e.kind(), failure)
        })?;
        let stdin = child.stdin.take().ok_or_else(|| io::Error::other("ssh has no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| io::Error::other("ssh has no stdout"))?;
        let mut stderr = child.stderr.take().ok_or_else(|| io::Error::other("ssh has no stderr"))?;
        let (report_tx, report_rx) = watch::channel(None);
        let (kill_tx, kill_rx) = oneshot::channel::<()>();
        // The reaper: keeps ssh's stderr (bounded) for messages, and kills
        // and waits for ssh when the connection is dropped.
        tokio::spawn(async move {
            let collect = tokio::spawn(async move {
                let mut kept = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n) = stderr.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    let room = STDERR_LIMIT.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
                kept
            });
            let status = tokio::select! {
                status = child.wait() => status.ok(),
                _ = kill_rx => {
                    let _ = child.kill().await;
                    None
                }
            };
            let stderr = tokio::time::timeout(Duration::from_secs(2), collect).await.ok().and_then(|r| r.ok());
            let stderr = String::from_utf8_lossy(&stderr.unwrap_or_default()).trim().to_owned();
            let _ = report_tx.send(Some(Arc::new(ExitReport { status, stderr })));
        });
        Ok(SshStream {
            stdin,
            stdout,
            report: report_rx,
            _kill: kill_tx,
            waiting: None,
            write_waiting: None,
            received: false,
            destination: self.destination(),
            slot: Some(slot),
        })
    }

    fn destination(&self) -> String {
        let mut d = String::new();
        if let Some(u) = &self.user {
            d.push_str(u);
            d.push('@');
        }
        d.push_str(&self.host);
        if let Some(p) = self.port {
            d.push_str(&format!(":{p}"));
        }
        d
    }
}

/// How much of ssh's stderr is kept for messages.
const STDERR_LIMIT: usize = 16 * 1024;

/// How ssh ended.
#[derive(Debug)]
struct ExitReport {
    /// `None` when dockhand killed it.
    status: Option<ExitStatus>,
    stderr: String,
}

/// One connection: an ssh process's stdin and stdout.
pub(crate) struct SshStream {
    stdin: ChildStdin,
    stdout: ChildStdout,
    report: watch::Receiver<Option<Arc<ExitReport>>>,
    /// Dropping it tells the reaper to kill ssh.
    _kill: oneshot::Sender<()>,
    /// At end of output: waiting for how ssh ended.
    waiting: Option<BoxFuture<'static, Option<Arc<ExitReport>>>>,
    /// After a broken pipe on ssh's stdin: waiting for how ssh ended.
    write_waiting: Option<BoxFuture<'static, Option<Arc<ExitReport>>>>,
    /// Whether any byte came from the daemon.
    received: bool,
    destination: String,
    /// This connection's place among those starting (`max_startups`),
    /// given back at the first byte from the daemon.
    slot: Option<OwnedSemaphorePermit>,
}

impl SshStream {
    /// The error for an ssh that ended with a failure.
    fn failure(&self, report: &ExitReport) -> io::Error {
        let status = match report.status {
            Some(s) => s.code().map_or_else(|| s.to_string(), |c| format!("exit status {c}")),
            None => "killed".to_owned(),
        };
        let stderr = last_lines(&report.stderr);
        let said = if stderr.is_empty() { String::new() } else { format!(": {stderr}") };
        let lower = report.stderr.to_ascii_lowercase();
        let not_found_127 = report.status.and_then(|s| s.code()) == Some(127);
        let hint = if lower.contains("connection refused") {
            Some("is sshd running there, on that port?".to_owned())
        } else if lower.contains("permission denied") {
            Some("ssh could not log in: check the user, the key (ssh-agent, IdentityFile) and authorized_keys".into())
        } else if lower.contains("could not resolve hostname") {
            Some("check the host name in DOCKER_HOST or the context".into())
        } else if lower.contains("host key verification failed") {
            Some("the host's key is not in known_hosts: connect once with ssh to check and add it".into())
        } else if not_found_127 || (lower.contains("docker") && lower.contains("not found")) {
            Some(
                "the remote host has no docker CLI on the PATH of non-interactive ssh sessions; \
                 `docker system dial-stdio` needs Docker 18.09 or later there"
                    .into(),
            )
        } else if lower.contains("timed out") {
            Some("the host did not answer in time (ConnectTimeout)".into())
        } else {
            None
        };
        if self.received {
            return io::Error::other(format!("ssh to {} ended ({status}){said}", self.destination));
        }
        let failure = ConnectFailure { reason: format!("ssh to {} failed ({status}){said}", self.destination), hint };
        // ssh's own ConnectTimeout (which the connect timeout sets): the
        // transport turns this kind into a connect-phase Error::Timeout.
        let kind = if lower.contains("timed out") { io::ErrorKind::TimedOut } else { io::ErrorKind::ConnectionAborted };
        io::Error::new(kind, failure)
    }
}

/// The end of ssh's stderr: the lines that say what went wrong.
fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(4)..].join(" / ");
    if tail.len() > 1000 {
        let mut cut = tail.len() - 1000;
        while !tail.is_char_boundary(cut) {
            cut += 1;
        }
        format!("…{}", &tail[cut..])
    } else {
        tail
    }
}

impl AsyncRead for SshStream {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            if let Some(waiting) = &mut this.waiting {
                let report = ready!(waiting.poll_unpin(cx));
                this.waiting = None;
                return match report {
                    Some(r) if r.status.is_some_and(|s| !s.success()) => Poll::Ready(Err(this.failure(&r))),
                    // A clean exit, or one that did not report in time: EOF.
                    _ => Poll::Ready(Ok(())),
                };
            }
            let before = buf.filled().len();
            ready!(Pin::new(&mut this.stdout).poll_read(cx, buf))?;
            if buf.filled().len() > before || buf.remaining() == 0 {
                this.received = true;
                // Past sshd's authentication: another connection may start.
                this.slot = None;
                return Poll::Ready(Ok(()));
            }
            // End of output: ssh is ending; find out how before saying EOF.
            this.waiting = Some(this.exit_report());
        }
    }
}

impl SshStream {
    /// How ssh ended, once it reports (`None` if it does not within 3 s).
    fn exit_report(&self) -> BoxFuture<'static, Option<Arc<ExitReport>>> {
        let mut report = self.report.clone();
        async move {
            let wait = report.wait_for(Option::is_some);
            match tokio::time::timeout(Duration::from_secs(3), wait).await {
                Ok(Ok(r)) => r.clone(),
                _ => None,
            }
        }
        .boxed()
    }
}

impl AsyncWrite for SshStream {
    /// A write to an ssh that already ended (it could not connect or log
    /// in, before the request was written) fails with a broken pipe: the
    /// error is then how ssh ended, as a read would say it, not the pipe.
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        loop {
            if let Some(waiting) = &mut this.write_waiting {
                let report = ready!(waiting.poll_unpin(cx));
                this.write_waiting = None;
                return Poll::Ready(Err(match report {
                    Some(r) if r.status.is_some_and(|s| !s.success()) => this.failure(&r),
                    _ => io::ErrorKind::BrokenPipe.into(),
                }));
            }
            match ready!(Pin::new(&mut this.stdin).poll_write(cx, buf)) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => this.write_waiting = Some(this.exit_report()),
                written => return Poll::Ready(written),
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stdin).poll_flush(cx)
    }

    /// Closes ssh's stdin: the remote side reads EOF (half-close).
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stdin).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ssh that failed before the request was written (sshd refused
    /// the connection) may be gone when the client writes: the write meets
    /// a broken pipe, and the error must still be how ssh ended (a connect
    /// failure with its hint), not "Broken pipe": under load,
    /// `tests/remote_ssh.rs::ssh_failures_say_what_failed` met exactly that.
    /// This "ssh" closes its stdin at once, so the write after the pause
    /// below fails, then says what a refused ssh says and exits 255.
    #[tokio::test]
    async fn a_write_to_an_ssh_that_is_gone_says_how_it_ended() {
        use std::os::unix::fs::PermissionsExt;
        use tokio::io::AsyncWriteExt;
        let dir = std::env::temp_dir().join(format!("dh-ssh-gone-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let program = dir.join("ssh");
        std::fs::write(
            &program,
            "#!/bin/sh\nexec 0<&-\nsleep 1\necho 'ssh: connect to host box port 22: Connection refused' >&2\nexit 255\n",
        )
        .unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let target = SshTarget::new(SshOptions::new().program(&program), None, "box".into(), None).unwrap();
        let mut stream = target.spawn(None).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let err = stream.write_all(b"GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n").await.unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionAborted, "{err:?}");
        let failure = err.get_ref().and_then(|e| e.downcast_ref::<ConnectFailure>()).expect("a ConnectFailure");
        assert!(failure.reason.contains("exit status 255") && failure.reason.contains("Connection refused"), "{err}");
        assert_eq!(failure.hint.as_deref(), Some("is sshd running there, on that port?"));
    }

    #[test]
    fn command_line_is_the_clis() {
        let t = SshTarget::new(SshOptions::new(), Some("me".into()), "box".into(), Some(2222)).unwrap();
        assert_eq!(
            t.args(Some(Duration::from_millis(1500))).join(" "),
            "-o ConnectTimeout=2 -T -l me -p 2222 -- box docker system dial-stdio"
        );
        let t = SshTarget::new(
            SshOptions::new().config_file("/c").arg("-o").arg("ConnectTimeout=5"),
            None,
            "box".into(),
            None,
        )
        .unwrap();
        assert_eq!(t.args(None).join(" "), "-F /c -o ConnectTimeout=5 -T -- box docker system dial-stdio");
        assert_eq!(
            SshTarget::new(SshOptions::new(), None, "h".into(), None).unwrap().args(None)[..2].join(" "),
            "-o ConnectTimeout=30"
        );
    }

    #[test]
    fn options_cannot_be_smuggled_in_the_address() {
        assert!(SshTarget::new(SshOptions::new(), None, "-oProxyCommand=x".into(), None).is_err());
        assert!(SshTarget::new(SshOptions::new(), Some("-F".into()), "h".into(), None).is_err());
    }

    #[test]
    fn last_lines_are_bounded() {
        assert_eq!(last_lines("a\n\nb\nc\nd\ne\n"), "b / c / d / e");
        let long = "é".repeat(2000);
        let cut = last_lines(&long);
        assert!(cut.len() <= 1004 && cut.starts_with('…'));
    }
}
