//! ssh:// against a real sshd started by this test on 127.0.0.1, with a
//! host key and a client key generated here: the SDK runs the system `ssh`
//! with `docker system dial-stdio` on the "remote" side (this machine), and
//! reaches the local dockerd through it: the one `DOCKER_HOST` names when it
//! is a unix socket (so the suite runs against each daemon of
//! `cargo xtask test`), else the default socket. Ping, version, info, events, an
//! image import, and a container (create, attach through an HTTP upgrade,
//! start, wait, remove) end to end;
//! one ssh process per pooled connection, killed and reaped on drop; and the
//! errors when ssh is missing, the host refuses, login fails, or the remote
//! has no docker CLI.
//!
//! Needs `/usr/sbin/sshd` (Debian's openssh-server) and `ssh`/`ssh-keygen`
//! (openssh-client); runs sshd as root from a temp dir with
//! `StrictModes no`, `UsePAM no`.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dockhand::api::{ContainerCreate, ContainerRemoveOptions, ImageRemoveOptions};
use dockhand::config::{Endpoint, VarsEnvironment, context_dir_name, resolve_endpoint};
use dockhand::transport::{NativeTransport, SshOptions, Transport, UpgradeOutcome};
use dockhand::{Body, Docker};
use futures::io::{AsyncReadExt, AsyncWriteExt};
use futures::{StreamExt, TryStreamExt};

const SSHD: &str = "/usr/sbin/sshd";

/// A running sshd, stopped on drop.
struct Sshd {
    child: Child,
    /// The port where logins work and `docker` is on the PATH.
    port: u16,
    /// A port of the same sshd whose sessions have no `docker` on the PATH.
    port_without_docker: u16,
    /// An ssh config file that logs in with the generated key.
    client_config: PathBuf,
    /// An ssh config file whose key the server does not accept.
    stranger_config: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn keygen(path: &Path) {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "dockhand-test", "-f"])
        .arg(path)
        .output()
        .expect("running ssh-keygen (openssh-client)");
    assert!(out.status.success(), "ssh-keygen: {}", String::from_utf8_lossy(&out.stderr));
}

/// Starts sshd, or says why not (and fails when the real parts are
/// required).
async fn sshd() -> Option<Sshd> {
    // The daemon the remote side's `docker system dial-stdio` reaches.
    common::daemon().await?;
    let missing = [SSHD, "/usr/bin/ssh", "/usr/bin/ssh-keygen"].into_iter().find(|p| !Path::new(p).exists());
    if let Some(missing) = missing {
        let why = format!("{missing} is missing (install openssh-server and openssh-client)");
        if common::required() {
            panic!("DOCKHAND_REQUIRE_DOCKER=1 but sshd cannot run: {why}");
        }
        eprintln!("SKIPPED (no sshd): {why}");
        return None;
    }
    Some(start())
}

fn start() -> Sshd {
    // sshd wants its privilege separation directory.
    std::fs::create_dir_all("/run/sshd").unwrap();
    let dir = tempfile::Builder::new().prefix("dh-ssh").tempdir_in("/tmp").unwrap();
    let d = dir.path();
    keygen(&d.join("host_key"));
    keygen(&d.join("client_key"));
    keygen(&d.join("stranger_key"));
    std::fs::copy(d.join("client_key.pub"), d.join("authorized_keys")).unwrap();
    let (port, port_without_docker) = (free_port(), free_port());
    // The remote side's `docker system dial-stdio` reaches the daemon under
    // test: the one DOCKER_HOST names (26.1 or 28.5 in `cargo xtask test`),
    // else the default socket. In a Match block: sshd keeps the first SetEnv
    // it reads, and the other port sets its own.
    let remote_host = match std::env::var("DOCKER_HOST") {
        Ok(h) if h.starts_with("unix://") => format!("Match LocalPort {port}\n    SetEnv DOCKER_HOST={h}\n"),
        _ => String::new(),
    };
    let config = format!(
        "Port {port}\nPort {port_without_docker}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\n\
         PidFile {d}/sshd.pid\nAuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\n\
         PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
         PermitRootLogin prohibit-password\nAllowUsers root\nLogLevel ERROR\n\
         {remote_host}Match LocalPort {port_without_docker}\n    SetEnv PATH=/nonexistent\n",
        d = d.display()
    );
    std::fs::write(d.join("sshd_config"), config).unwrap();
    let host_key = std::fs::read_to_string(d.join("host_key.pub")).unwrap();
    let known: String = [port, port_without_docker]
        .iter()
        .map(|p| format!("[127.0.0.1]:{p} {}", host_key.trim()))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(d.join("known_hosts"), known + "\n").unwrap();
    let client = |key: &str| {
        format!(
            "Host *\n    IdentityFile {d}/{key}\n    IdentitiesOnly yes\n    IdentityAgent none\n    \
             UserKnownHostsFile {d}/known_hosts\n    StrictHostKeyChecking yes\n    BatchMode yes\n    LogLevel ERROR\n",
            d = d.display()
        )
    };
    std::fs::write(d.join("ssh_config"), client("client_key")).unwrap();
    std::fs::write(d.join("stranger_config"), client("stranger_key")).unwrap();
    let child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(d.join("sshd_config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(d.join("sshd.log")).unwrap())
        .spawn()
        .expect("starting sshd");
    let mut sshd = Sshd {
        child,
        port,
        port_without_docker,
        client_config: d.join("ssh_config"),
        stranger_config: d.join("stranger_config"),
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(Some(status)) = sshd.child.try_wait() {
            let log = std::fs::read_to_string(sshd._dir.path().join("sshd.log")).unwrap_or_default();
            panic!("sshd exited ({status}):\n{log}");
        }
        if banner(port) && banner(port_without_docker) {
            return sshd;
        }
        assert!(Instant::now() < deadline, "sshd did not answer within 20 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn banner(port: u16) -> bool {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buf = [0u8; 8];
    s.read_exact(&mut buf).is_ok() && buf.starts_with(b"SSH-")
}

fn over_ssh(sshd: &Sshd, port: u16) -> Docker {
    Docker::builder()
        .host(&format!("ssh://root@127.0.0.1:{port}"))
        .unwrap()
        .ssh_options(SshOptions::new().config_file(&sshd.client_config))
        .build()
        .unwrap()
}

#[tokio::test]
async fn ping_version_info_events_over_ssh() {
    let Some(sshd) = sshd().await else { return };
    let local = common::daemon().await.unwrap();
    let docker = over_ssh(&sshd, sshd.port);
    assert!(docker.endpoint().starts_with(&format!("ssh://root@127.0.0.1:{}", sshd.port)), "{}", docker.endpoint());
    docker.ping().await.unwrap_or_else(|e| panic!("ping over ssh: {e}"));
    let version = docker.version().await.unwrap();
    assert_eq!(version.version, local.version().await.unwrap().version);
    // The same daemon as through the socket.
    assert_eq!(docker.info().await.unwrap().id, local.info().await.unwrap().id);

    // DOCKER_HOST=ssh://..., and a context whose endpoint is ssh://, reach
    // the same daemon.
    let host = format!("ssh://root@127.0.0.1:{}", sshd.port);
    let env = VarsEnvironment::new().var("DOCKER_HOST", &host);
    let via_env = Docker::builder()
        .endpoint(resolve_endpoint(&env).unwrap())
        .ssh_options(SshOptions::new().config_file(&sshd.client_config))
        .build()
        .unwrap();
    assert!(via_env.endpoint().contains("from DOCKER_HOST"), "{}", via_env.endpoint());
    assert_eq!(via_env.version().await.unwrap().version, version.version);
    let config = tempfile::tempdir().unwrap();
    let meta = config.path().join("contexts/meta").join(context_dir_name("over-ssh"));
    std::fs::create_dir_all(&meta).unwrap();
    let json = serde_json::json!({"Name": "over-ssh", "Metadata": {}, "Endpoints": {"docker": {"Host": host}}});
    std::fs::write(meta.join("meta.json"), json.to_string()).unwrap();
    let env = VarsEnvironment::new()
        .var("DOCKER_CONFIG", config.path().display().to_string())
        .var("DOCKER_CONTEXT", "over-ssh");
    let via_context = Docker::builder()
        .endpoint(resolve_endpoint(&env).unwrap())
        .ssh_options(SshOptions::new().config_file(&sshd.client_config))
        .build()
        .unwrap();
    assert!(via_context.endpoint().contains("context \"over-ssh\""), "{}", via_context.endpoint());
    via_context.ping().await.unwrap();

    // A bounded events stream over ssh sees an image event made meanwhile.
    let start = dockhand::Timestamp::now() - std::time::Duration::from_secs(1);
    let tag = common::unique("ssh-events");
    let image = common::busybox_image(&local).await;
    let tagged = local
        .images()
        .import(
            dockhand::api::ImportOptions::new(format!("dockhand-test/{tag}"), "latest"),
            common::busybox_rootfs_tar().to_vec().into(),
        )
        .try_collect::<Vec<_>>()
        .await;
    tagged.unwrap();
    let until = dockhand::Timestamp::now() + std::time::Duration::from_secs(1);
    let events: Vec<_> =
        docker.events(dockhand::api::EventsOptions::new().since(start).until(until)).try_collect().await.unwrap();
    assert!(events.iter().any(|e| e.action == "import" || e.action == "tag"), "{events:?}");
    let _ = image;
    // On the daemon under test (the default socket is another daemon when
    // DOCKER_HOST names 26.1 or 28.5).
    let reference = format!("dockhand-test/{tag}:latest");
    local.images().get(&reference).remove_with(ImageRemoveOptions::new().force(true)).await.unwrap();
}

#[tokio::test]
async fn image_import_and_container_with_attach_over_ssh() {
    let Some(sshd) = sshd().await else { return };
    let docker = over_ssh(&sshd, sshd.port);
    // The image goes up over ssh: a streamed upload and a progress stream.
    let image = common::busybox_image(&docker).await;

    // A container's whole life over ssh, with the containers handle.
    let name = common::unique("ssh-run");
    let create = ContainerCreate::new(image)
        .name(&name)
        .cmd(["sh", "-c", "read line; echo got:$line; echo to-stderr >&2; exit 3"])
        .open_stdin(true)
        .stdin_once(true)
        .attach(true, true, true)
        .network_mode("none")
        .label(common::TEST_LABEL, "1");
    let id = docker.containers().create(create).await.unwrap().id;
    let container = docker.containers().get(&id);

    let result = async {
        // Attach (an HTTP upgrade) through the same kind of transport, over
        // ssh: the streams handle comes from another part of the SDK.
        let transport = NativeTransport::builder(Endpoint::explicit(
            format!("ssh://root@127.0.0.1:{}", sshd.port).parse().unwrap(),
        ))
        .ssh_options(SshOptions::new().config_file(&sshd.client_config))
        .build()
        .unwrap();
        let attach = http::Request::post(format!("/v1.41/containers/{id}/attach?stream=1&stdin=1&stdout=1&stderr=1"))
            .body(Body::empty())
            .unwrap();
        let UpgradeOutcome::Upgraded(upgraded) = transport.upgrade(attach).await.unwrap() else {
            panic!("attach over ssh did not switch protocols")
        };
        let mut io = upgraded.io;
        assert_eq!(container.start().await.unwrap(), dockhand::Change::Done);
        let inspect = container.inspect().await.unwrap();
        assert!(inspect.state.running, "it waits for its input: {:?}", inspect.state);
        assert_eq!(inspect.name, format!("/{name}"));
        io.write_all(b"hello over ssh\n").await.unwrap();
        io.flush().await.unwrap();
        let mut out = Vec::new();
        tokio::time::timeout(Duration::from_secs(30), io.read_to_end(&mut out)).await.expect("attach ended").unwrap();
        // Multiplexed frames: 8-byte headers with the stream number.
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let mut rest = &out[..];
        while rest.len() >= 8 {
            let len = u32::from_be_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
            let payload = &rest[8..8 + len];
            if rest[0] == 2 {
                stderr.extend_from_slice(payload)
            } else {
                stdout.extend_from_slice(payload)
            }
            rest = &rest[8 + len..];
        }
        assert_eq!(String::from_utf8_lossy(&stdout), "got:hello over ssh\n");
        assert_eq!(String::from_utf8_lossy(&stderr), "to-stderr\n");
        let exit = container.wait().await.unwrap();
        assert_eq!(exit.status_code, 3);
    };
    let outcome = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(result)).await;
    container.remove_with(ContainerRemoveOptions::new().force(true)).await.unwrap();
    assert!(container.inspect().await.unwrap_err().is_not_found(), "removed over ssh");
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// The pids of ssh processes running `dial-stdio` to `port`, and whether
/// each is a zombie.
fn ssh_processes(port: u16) -> Vec<(u32, bool)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let args: Vec<String> = cmdline.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        let is_ours = args.first().is_some_and(|a| a == "ssh")
            && args.iter().any(|a| a == "dial-stdio")
            && args.windows(2).any(|w| w[0] == "-p" && w[1] == port.to_string());
        // A zombie has an empty cmdline: look at its status too.
        let status = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let zombie = status.split(") ").nth(1).is_some_and(|s| s.starts_with('Z'));
        if is_ours {
            found.push((pid, zombie));
        } else if zombie && status.contains("(ssh)") && std::os::unix::process::parent_id() == ppid(&status) {
            found.push((pid, true));
        }
    }
    found
}

fn ppid(stat: &str) -> u32 {
    stat.split(") ").nth(1).and_then(|s| s.split(' ').nth(1)).and_then(|p| p.parse().ok()).unwrap_or(0)
}

/// 100 concurrent first calls on a fresh client all succeed against a real
/// sshd with its default `MaxStartups` (10): at most `max_startups` ssh
/// connections are authenticating at once, the rest wait their turn. (Each
/// starting its own ssh, 16 concurrent calls lost 1 and 32 lost 10 to
/// "kex_exchange_identification: Connection reset by peer".)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_calls_over_ssh_all_succeed() {
    let Some(sshd) = sshd().await else { return };
    let docker = over_ssh(&sshd, sshd.port);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let docker = docker.clone();
            tokio::spawn(async move { docker.version().await })
        })
        .collect();
    let mut failed = Vec::new();
    for call in calls {
        if let Err(e) = call.await.unwrap() {
            failed.push(e.to_string());
        }
    }
    assert!(failed.is_empty(), "{} of 100 failed, first: {:?}", failed.len(), failed.first());
    // And again at once on the now warm pool.
    let again = futures::future::join_all((0..100).map(|_| docker.ping())).await;
    assert!(again.iter().all(Result::is_ok), "{:?}", again.iter().find(|r| r.is_err()));
}

#[tokio::test]
async fn one_ssh_process_per_connection_killed_and_reaped_on_drop() {
    let Some(sshd) = sshd().await else { return };
    let docker = over_ssh(&sshd, sshd.port);
    docker.ping().await.unwrap();
    let first = ssh_processes(sshd.port);
    assert_eq!(first.len(), 1, "one pooled connection, one ssh");
    // In a session of its own (setsid), as the docker CLI runs it.
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", first[0].0)).unwrap();
    let session = stat.split(") ").nth(1).and_then(|s| s.split(" ").nth(3)).unwrap();
    assert_eq!(session, first[0].0.to_string(), "{stat}");
    // Sequential requests reuse the pooled connection.
    for _ in 0..5 {
        docker.ping().await.unwrap();
    }
    assert_eq!(ssh_processes(sshd.port).len(), 1, "keep-alive reuses the ssh process");
    // Concurrent requests need more connections: one ssh each. (A followed
    // events stream holds one; its filter matches nothing, so it stays open.)
    let quiet = dockhand::api::EventFilters::new().label(format!("{}={}", common::TEST_LABEL, common::unique("none")));
    let events = docker.events(dockhand::api::EventsOptions::new().filters(quiet));
    let mut events = Box::pin(events);
    let follower = tokio::spawn(async move { events.next().await.map(|r| r.map(|_| ())) });
    tokio::time::sleep(Duration::from_millis(500)).await;
    docker.ping().await.unwrap();
    let running = ssh_processes(sshd.port);
    assert!(!follower.is_finished(), "the events stream is open: {:?}", follower.await);
    assert_eq!(running.len(), 2, "{running:?}");
    follower.abort();
    let _ = follower.await;
    drop(docker);
    // Killed and reaped: no process left, not even a zombie.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = ssh_processes(sshd.port);
        if left.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "ssh processes left after drop: {left:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn ssh_failures_say_what_failed() {
    let Some(sshd) = sshd().await else { return };

    // No ssh client.
    let docker = Docker::builder()
        .host(&format!("ssh://root@127.0.0.1:{}", sshd.port))
        .unwrap()
        .ssh_options(SshOptions::new().program("/nonexistent/bin/ssh"))
        .build()
        .unwrap();
    let err = docker.ping().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(err.to_string().contains("ssh client \"/nonexistent/bin/ssh\" was not found"), "{err}");

    // Nothing listens on the port.
    let closed = free_port();
    let docker = over_ssh(&sshd, closed);
    let err = docker.ping().await.unwrap_err();
    eprintln!("as expected: {err}");
    assert!(err.is_connect(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("Connection refused") && text.contains("is sshd running"), "{text}");

    // The server refuses the key.
    let docker = Docker::builder()
        .host(&format!("ssh://root@127.0.0.1:{}", sshd.port))
        .unwrap()
        .ssh_options(SshOptions::new().config_file(&sshd.stranger_config))
        .build()
        .unwrap();
    let err = docker.ping().await.unwrap_err();
    eprintln!("as expected: {err}");
    assert!(err.is_connect() && err.to_string().contains("Permission denied"), "{err}");

    // An unknown host key, with strict checking.
    let strict = sshd._dir.path().join("strict_config");
    let config = std::fs::read_to_string(&sshd.client_config).unwrap().replace("known_hosts", "no_known_hosts");
    std::fs::write(&strict, config).unwrap();
    let docker = Docker::builder()
        .host(&format!("ssh://root@127.0.0.1:{}", sshd.port))
        .unwrap()
        .ssh_options(SshOptions::new().config_file(&strict))
        .build()
        .unwrap();
    let err = docker.ping().await.unwrap_err();
    eprintln!("as expected: {err}");
    assert!(err.is_connect() && err.to_string().contains("known_hosts"), "{err}");

    // A host that accepts TCP but never speaks: the connect timeout becomes
    // ssh's ConnectTimeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let docker = Docker::builder()
        .host(&format!("ssh://root@127.0.0.1:{}", silent.local_addr().unwrap().port()))
        .unwrap()
        .ssh_options(SshOptions::new().config_file(&sshd.client_config))
        .connect_timeout(Some(Duration::from_secs(1)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = docker.ping().await.unwrap_err();
    eprintln!("as expected: {err}");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.timeout_phase(), Some(dockhand::TimeoutPhase::Connect), "{err:?}");
    assert!(err.to_string().contains("timed out after 1s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    drop(silent);

    // The remote has no docker CLI (its PATH has none).
    let docker = over_ssh(&sshd, sshd.port_without_docker);
    let err = docker.ping().await.unwrap_err();
    eprintln!("as expected: {err}");
    assert!(err.is_connect(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("exit status 127") && text.contains("no docker CLI"), "{text}");
}
