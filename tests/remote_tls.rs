//! TLS against a real, second dockerd started by this test on 127.0.0.1
//! with `--tlsverify` and certificates made here with rcgen: through the
//! environment variables, the builder and a docker CLI context, and the
//! failures (wrong CA, no client certificate, name mismatch) with errors
//! that name the check.
//!
//! The second daemon has its own data root, exec root, pid file and unix
//! socket under a temp dir, no bridge and no iptables rules, and uses the
//! main daemon's containerd under its own namespace. It runs in a network
//! namespace of its own (`unshare --net`): with `--bridge=none` dockerd
//! deletes any link called `docker0`, which in the host's namespace is the
//! main daemon's bridge. Its TCP port is a socket this test opens on the
//! host's 127.0.0.1 and hands over as `-H fd://` (systemd socket
//! activation), so the test reaches it while its network stays apart. It is
//! stopped (SIGTERM, then SIGKILL) when the last test using it ends.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use dockhand::config::{VarsEnvironment, context_dir_name, list_contexts, resolve_context, resolve_endpoint};
use dockhand::{Docker, Error};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};

const DOCKERD: &str = "/usr/sbin/dockerd";
/// The main daemon's containerd (dockerd's own, or the system's); without
/// one, the second dockerd starts its own under its exec root.
const CONTAINERD_SOCKETS: [&str; 2] = ["/var/run/docker/containerd/containerd.sock", "/run/containerd/containerd.sock"];

/// A certificate and its key, as PEM.
struct Pair {
    cert: String,
    key: String,
}

/// A CA that signs server and client certificates.
struct Ca {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Ca { pem: cert.pem(), issuer: Issuer::new(params, key) }
    }

    fn sign(&self, names: &[&str], usage: ExtendedKeyUsagePurpose) -> Pair {
        let mut params = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        params.distinguished_name.push(DnType::CommonName, names.first().copied().unwrap_or("client"));
        params.use_authority_key_identifier_extension = true;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Pair { cert: cert.pem(), key: key.serialize_pem() }
    }
}

/// The certificates of a test run, written to `dir`.
struct Pki {
    dir: PathBuf,
    ca: Ca,
    client: Pair,
    /// Another CA, that signed neither the daemon nor the client.
    other: Ca,
    /// A client certificate from the other CA.
    stranger: Pair,
}

impl Pki {
    /// A folder with `ca.pem`, `cert.pem`, `key.pem` as `DOCKER_CERT_PATH`
    /// wants it; `None` leaves a file out.
    fn cert_dir(&self, name: &str, ca: Option<&str>, pair: Option<&Pair>) -> PathBuf {
        let dir = self.dir.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        if let Some(ca) = ca {
            std::fs::write(dir.join("ca.pem"), ca).unwrap();
        }
        if let Some(pair) = pair {
            std::fs::write(dir.join("cert.pem"), &pair.cert).unwrap();
            std::fs::write(dir.join("key.pem"), &pair.key).unwrap();
        }
        dir
    }
}

/// The second dockerd.
struct TlsDaemon {
    child: Child,
    port: u16,
    pki: Pki,
    log: PathBuf,
    /// The shared containerd's socket and the namespace this daemon used.
    containerd: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TlsDaemon {
    fn stop(&mut self) {
        // SIGTERM lets dockerd stop its containers; SIGKILL if it does not
        // stop in time.
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for TlsDaemon {
    fn drop(&mut self) {
        self.stop();
        // The namespace it made in the shared containerd, now empty: only
        // this daemon's own, by name.
        if let Some((socket, namespace)) = &self.containerd {
            let _ = Command::new("ctr")
                .args(["-a", socket, "namespaces", "rm", namespace])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn skip_or_fail(why: &str) -> Option<Arc<TlsDaemon>> {
    if common::required() {
        panic!("DOCKHAND_REQUIRE_DOCKER=1 but the TLS daemon cannot run: {why}");
    }
    eprintln!("SKIPPED (no second dockerd): {why}");
    None
}

/// The daemon, started by the first test that needs it and shared with the
/// tests that run meanwhile.
fn tls_daemon() -> Option<Arc<TlsDaemon>> {
    static SHARED: Mutex<Weak<TlsDaemon>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(d) = shared.upgrade() {
        return Some(d);
    }
    if !Path::new(DOCKERD).exists() {
        return skip_or_fail(&format!("{DOCKERD} is not installed"));
    }
    if !which("unshare") {
        return skip_or_fail("unshare (util-linux) is not installed");
    }
    let daemon = Arc::new(start());
    *shared = Arc::downgrade(&daemon);
    Some(daemon)
}

fn start() -> TlsDaemon {
    // Short paths: unix socket paths are limited to 108 bytes.
    let dir = tempfile::Builder::new().prefix("dh-tls").tempdir_in("/tmp").unwrap();
    let root = dir.path().to_path_buf();
    let ca = Ca::new("dockhand test CA");
    let server = ca.sign(&["localhost", "127.0.0.1"], ExtendedKeyUsagePurpose::ServerAuth);
    let client = ca.sign(&["client"], ExtendedKeyUsagePurpose::ClientAuth);
    let other = Ca::new("some other CA");
    let stranger = other.sign(&["stranger"], ExtendedKeyUsagePurpose::ClientAuth);
    let pki = Pki { dir: root.join("pki"), ca, client, other, stranger };
    let server_dir = pki.cert_dir("server", Some(&pki.ca.pem.clone()), Some(&server));
    std::fs::write(root.join("daemon.json"), "{}").unwrap();
    // The daemon's TCP socket, on the host's loopback, handed over as fd 3.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let namespace = common::unique("tls");
    let log = root.join("dockerd.log");
    let p = |name: &str| root.join(name).display().to_string();
    // `sh` sets LISTEN_PID to its own pid, which `unshare` (without
    // --fork) and then dockerd keep through exec.
    let mut command = Command::new("sh");
    command.args(["-c", r#"LISTEN_PID=$$ LISTEN_FDS=1 exec unshare --net -- "$0" "$@""#, DOCKERD]);
    let containerd =
        CONTAINERD_SOCKETS.iter().find(|s| Path::new(s).exists()).map(|s| (s.to_string(), namespace.clone()));
    if let Some((socket, _)) = &containerd {
        command.args(["--containerd", socket]);
    }
    let fd = std::os::fd::AsRawFd::as_raw_fd(&listener);
    // SAFETY: dup2 and fcntl are async-signal-safe; nothing else runs
    // between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, move || {
            if fd != 3 && libc::dup2(fd, 3) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::fcntl(3, libc::F_SETFD, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = command
        .args(["--data-root", &p("data"), "--exec-root", &p("exec"), "--pidfile", &p("docker.pid")])
        .args(["-H", &format!("unix://{}", p("docker.sock")), "-H", "fd://"])
        .arg("--tlsverify")
        .args(["--tlscacert", &server_dir.join("ca.pem").display().to_string()])
        .args(["--tlscert", &server_dir.join("cert.pem").display().to_string()])
        .args(["--tlskey", &server_dir.join("key.pem").display().to_string()])
        .args(["--bridge=none", "--iptables=false", "--ip-masq=false", "--ip-forward=false"])
        .args(["--config-file", &p("daemon.json")])
        .args(["--containerd-namespace", &namespace])
        .args(["--containerd-plugins-namespace", &format!("{namespace}-plugins"), "--log-level", "warn"])
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(root.join("dockerd.err")).unwrap())
        .spawn()
        .expect("starting the second dockerd");
    drop(listener);
    let mut daemon = TlsDaemon { child, port, pki, log: root.join("dockerd.err"), containerd, _dir: dir };
    // Ready when its own unix socket answers /_ping.
    let socket = root.join("docker.sock");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = daemon.child.try_wait() {
            let log = std::fs::read_to_string(&daemon.log).unwrap_or_default();
            panic!("the second dockerd exited ({status}):\n{log}");
        }
        if ping_unix(&socket) {
            return daemon;
        }
        assert!(Instant::now() < deadline, "the second dockerd did not answer within 60 s");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn ping_unix(socket: &Path) -> bool {
    let Ok(mut s) = std::os::unix::net::UnixStream::connect(socket) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200")
}

/// Asserts the daemon answers through `docker`, and that it is the second
/// one (its root directory is the test's).
async fn assert_reaches(docker: &Docker, d: &TlsDaemon) {
    docker.ping().await.unwrap_or_else(|e| panic!("ping through {}: {e}", docker.endpoint()));
    let version = docker.version().await.unwrap();
    assert!(!version.version.is_empty());
    let info = docker.info().await.unwrap();
    let log_dir = d.log.parent().unwrap().display().to_string();
    assert!(info.docker_root_dir.starts_with(&log_dir), "reached {} instead of the TLS daemon", info.docker_root_dir);
}

fn vars(d: &TlsDaemon, cert_path: &Path) -> VarsEnvironment {
    VarsEnvironment::new()
        .var("DOCKER_HOST", format!("tcp://127.0.0.1:{}", d.port))
        .var("DOCKER_TLS_VERIFY", "1")
        .var("DOCKER_CERT_PATH", cert_path.display().to_string())
}

async fn connect_err(docker: Docker) -> Error {
    let err = docker.ping().await.expect_err("the connection must fail");
    assert!(err.is_connect(), "a failed TLS check is a connect error: {err:?}");
    eprintln!("as expected: {err}");
    err
}

#[tokio::test]
async fn env_vars_reach_the_tls_daemon() {
    let Some(d) = tls_daemon() else { return };
    let certs = d.pki.cert_dir("env", Some(&d.pki.ca.pem), Some(&d.pki.client));
    let endpoint = resolve_endpoint(&vars(&d, &certs)).unwrap();
    assert!(endpoint.tls.is_some());
    let docker = Docker::builder().endpoint(endpoint).build().unwrap();
    assert!(
        docker.endpoint().contains("with TLS") && docker.endpoint().contains("DOCKER_HOST"),
        "{}",
        docker.endpoint()
    );
    assert_reaches(&docker, &d).await;

    // DOCKER_TLS_VERIFY is read by value: "0" is off, so plain HTTP goes to
    // a TLS port and the daemon says so.
    let env = vars(&d, &certs).var("DOCKER_TLS_VERIFY", "0");
    let plain = Docker::builder().endpoint(resolve_endpoint(&env).unwrap()).build().unwrap();
    let err = plain.ping().await.expect_err("plain HTTP to a TLS daemon");
    assert!(err.to_string().to_lowercase().contains("https"), "{err}");

    // An https:// address with the same certificates.
    let env = vars(&d, &certs).var("DOCKER_HOST", format!("https://localhost:{}", d.port)).var("DOCKER_TLS_VERIFY", "");
    let docker = Docker::builder().endpoint(resolve_endpoint(&env).unwrap()).build().unwrap();
    assert_reaches(&docker, &d).await;
}

#[tokio::test]
async fn builder_options_reach_the_tls_daemon() {
    let Some(d) = tls_daemon() else { return };
    let certs = d.pki.cert_dir("builder", Some(&d.pki.ca.pem), Some(&d.pki.client));
    let docker = Docker::builder()
        .host(&format!("tcp://127.0.0.1:{}", d.port))
        .unwrap()
        .tls_ca_file(certs.join("ca.pem"))
        .unwrap()
        .tls_client_cert_files(certs.join("cert.pem"), certs.join("key.pem"))
        .unwrap()
        .build()
        .unwrap();
    assert_reaches(&docker, &d).await;
    // Pooled: many requests, concurrently, over the TLS connections.
    let pings: Vec<_> = (0..8).map(|_| docker.ping()).collect();
    for r in futures::future::join_all(pings).await {
        r.unwrap();
    }

    // PEM in memory, an https:// name the certificate lists.
    let docker = Docker::builder()
        .host(&format!("https://localhost:{}", d.port))
        .unwrap()
        .tls_ca_pem(d.pki.ca.pem.clone())
        .tls_client_pem(d.pki.client.cert.clone(), d.pki.client.key.clone())
        .build()
        .unwrap();
    assert_reaches(&docker, &d).await;
    let debug = format!("{docker:?}");
    assert!(!debug.contains("PRIVATE KEY"), "{debug}");

    // The expected name set explicitly.
    let docker = Docker::builder()
        .host(&format!("tcp://127.0.0.1:{}", d.port))
        .unwrap()
        .tls_ca_pem(d.pki.ca.pem.clone())
        .tls_client_pem(d.pki.client.cert.clone(), d.pki.client.key.clone())
        .tls_server_name("localhost")
        .build()
        .unwrap();
    assert_reaches(&docker, &d).await;
}

/// Writes a context as the docker CLI stores it.
fn write_context(config: &Path, name: &str, host: &str, skip_verify: bool, tls: Option<(&str, &Pair)>) {
    let hash = context_dir_name(name);
    let meta = config.join("contexts/meta").join(&hash);
    std::fs::create_dir_all(&meta).unwrap();
    let json = serde_json::json!({
        "Name": name,
        "Metadata": {"Description": "dockhand test"},
        "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_verify}}
    });
    std::fs::write(meta.join("meta.json"), json.to_string()).unwrap();
    if let Some((ca, pair)) = tls {
        let dir = config.join("contexts/tls").join(&hash).join("docker");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), ca).unwrap();
        std::fs::write(dir.join("cert.pem"), &pair.cert).unwrap();
        std::fs::write(dir.join("key.pem"), &pair.key).unwrap();
    }
}

#[tokio::test]
async fn context_reaches_the_tls_daemon() {
    let Some(d) = tls_daemon() else { return };
    let config = d.pki.dir.join("docker-config");
    let host = format!("tcp://127.0.0.1:{}", d.port);
    write_context(&config, "tls-test", &host, false, Some((&d.pki.ca.pem, &d.pki.client)));
    // A context with the wrong CA but SkipTLSVerify: connects, unverified.
    write_context(&config, "skip-verify", &host, true, Some((&d.pki.other.pem, &d.pki.client)));
    // A context with the wrong CA: fails.
    write_context(&config, "wrong-ca", &host, false, Some((&d.pki.other.pem, &d.pki.client)));

    let env = VarsEnvironment::new().var("DOCKER_CONFIG", config.display().to_string());
    let names: Vec<_> = list_contexts(&env).unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["default", "skip-verify", "tls-test", "wrong-ca"]);

    let endpoint = resolve_endpoint(&env.clone().var("DOCKER_CONTEXT", "tls-test")).unwrap();
    let docker = Docker::builder().endpoint(endpoint).build().unwrap();
    assert!(docker.endpoint().contains("tls-test"), "{}", docker.endpoint());
    assert_reaches(&docker, &d).await;

    let docker = Docker::builder().endpoint(resolve_context(&env, "skip-verify").unwrap()).build().unwrap();
    assert_reaches(&docker, &d).await;

    let docker = Docker::builder().endpoint(resolve_context(&env, "wrong-ca").unwrap()).build().unwrap();
    let err = connect_err(docker).await.to_string();
    assert!(err.contains("unknown CA") && err.contains("wrong-ca"), "{err}");

    // The docker CLI itself reads the same layout: it reaches the daemon
    // through the context dockhand wrote.
    if Path::new("/usr/local/bin/docker").exists() || which("docker") {
        let out = Command::new("docker")
            .args([
                "--config",
                &config.display().to_string(),
                "--context",
                "tls-test",
                "version",
                "--format",
                "{{.Server.Version}}",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "docker CLI: {}", String::from_utf8_lossy(&out.stderr));
        // And dockhand reads a context the CLI created.
        let out = Command::new("docker")
            .args(["--config", &config.display().to_string(), "context", "create", "cli-made", "--docker"])
            .arg(format!(
                "host={host},ca={},cert={},key={}",
                d.pki.cert_dir("cli", Some(&d.pki.ca.pem), Some(&d.pki.client)).join("ca.pem").display(),
                d.pki.dir.join("cli/cert.pem").display(),
                d.pki.dir.join("cli/key.pem").display()
            ))
            .output()
            .unwrap();
        assert!(out.status.success(), "docker context create: {}", String::from_utf8_lossy(&out.stderr));
        let docker = Docker::builder().endpoint(resolve_context(&env, "cli-made").unwrap()).build().unwrap();
        assert_reaches(&docker, &d).await;
    }
}

fn which(program: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {program}")]).output().is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn wrong_ca_fails_naming_the_check() {
    let Some(d) = tls_daemon() else { return };
    let certs = d.pki.cert_dir("wrong-ca", Some(&d.pki.other.pem), Some(&d.pki.client));
    let docker = Docker::builder().endpoint(resolve_endpoint(&vars(&d, &certs)).unwrap()).build().unwrap();
    let err = connect_err(docker).await.to_string();
    assert!(err.contains("not signed by a trusted CA") && err.contains("unknown CA"), "{err}");
    assert!(err.contains(&certs.join("ca.pem").display().to_string()), "the error names the CA file: {err}");

    // The loudly named escape hatch accepts it.
    let docker = Docker::builder()
        .endpoint(resolve_endpoint(&vars(&d, &certs)).unwrap())
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    assert_reaches(&docker, &d).await;
}

#[tokio::test]
async fn missing_client_certificate_fails_naming_the_check() {
    let Some(d) = tls_daemon() else { return };
    let certs = d.pki.cert_dir("no-client-cert", Some(&d.pki.ca.pem), None);
    let docker = Docker::builder().endpoint(resolve_endpoint(&vars(&d, &certs)).unwrap()).build().unwrap();
    let err = connect_err(docker).await.to_string();
    assert!(err.contains("requires a client certificate and none was sent"), "{err}");
    assert!(err.contains("cert.pem"), "the hint says which files: {err}");

    // A client certificate from a CA the daemon does not trust.
    let certs = d.pki.cert_dir("stranger", Some(&d.pki.ca.pem), Some(&d.pki.stranger));
    let docker = Docker::builder().endpoint(resolve_endpoint(&vars(&d, &certs)).unwrap()).build().unwrap();
    let err = connect_err(docker).await.to_string();
    assert!(err.contains("rejected the client certificate") && err.contains("stranger"), "{err}");
}

#[tokio::test]
async fn name_mismatch_fails_naming_the_check() {
    let Some(d) = tls_daemon() else { return };
    let docker = Docker::builder()
        .host(&format!("tcp://127.0.0.1:{}", d.port))
        .unwrap()
        .tls_ca_pem(d.pki.ca.pem.clone())
        .tls_client_pem(d.pki.client.cert.clone(), d.pki.client.key.clone())
        .tls_server_name("daemon.example.org")
        .build()
        .unwrap();
    let err = connect_err(docker).await.to_string();
    assert!(err.contains("name mismatch") && err.contains("daemon.example.org"), "{err}");
}

// Errors found before connecting: no daemon needed.

#[test]
fn missing_ca_and_bad_key_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let env = VarsEnvironment::new()
        .var("DOCKER_HOST", "tcp://127.0.0.1:1")
        .var("DOCKER_TLS_VERIFY", "true")
        .var("DOCKER_CERT_PATH", dir.path().display().to_string());
    let err = resolve_endpoint(&env).unwrap_err().to_string();
    assert!(err.contains("missing CA certificate") && err.contains("ca.pem"), "{err}");

    let ca = Ca::new("ca");
    let client = ca.sign(&["c"], ExtendedKeyUsagePurpose::ClientAuth);
    std::fs::write(dir.path().join("ca.pem"), &ca.pem).unwrap();
    std::fs::write(dir.path().join("cert.pem"), &client.cert).unwrap();
    let secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0IGtleSBtYXRlcmlhbA==\n";
    std::fs::write(dir.path().join("key.pem"), secret).unwrap();
    let endpoint = resolve_endpoint(&env).unwrap();
    assert!(!format!("{endpoint:?}").contains("c2VjcmV0"), "no key bytes in Debug");
    let err = Docker::builder().endpoint(endpoint).build().unwrap_err().to_string();
    assert!(err.contains("key.pem") && err.contains("unparsable key"), "{err}");
    assert!(!err.contains("c2VjcmV0"), "no key bytes in the error: {err}");

    std::fs::write(dir.path().join("ca.pem"), "not a certificate").unwrap();
    std::fs::write(dir.path().join("key.pem"), &client.key).unwrap();
    let err = Docker::builder().endpoint(resolve_endpoint(&env).unwrap()).build().unwrap_err().to_string();
    assert!(err.contains("ca.pem") && err.contains("no PEM certificate"), "{err}");

    std::fs::remove_file(dir.path().join("key.pem")).unwrap();
    let err = resolve_endpoint(&env).unwrap_err().to_string();
    assert!(err.contains("key.pem") && err.contains("missing"), "{err}");
}

#[tokio::test]
async fn image_upload_and_attach_over_tls() {
    use dockhand::api::{ContainerCreate, ContainerRemoveOptions};
    use dockhand::transport::{NativeTransport, Transport, UpgradeOutcome};
    use futures::io::{AsyncReadExt, AsyncWriteExt};

    let Some(d) = tls_daemon() else { return };
    let certs = d.pki.cert_dir("attach", Some(&d.pki.ca.pem), Some(&d.pki.client));
    let endpoint = resolve_endpoint(&vars(&d, &certs)).unwrap();
    let docker = Docker::builder().endpoint(endpoint.clone()).build().unwrap();
    // A streamed upload and a progress stream over TLS, into the second
    // daemon (it has no images of its own).
    let image = common::busybox_image(&docker).await;

    let create = ContainerCreate::new(image)
        .name(common::unique("tls-attach"))
        .cmd(["sh", "-c", "read line; echo got:$line"])
        .open_stdin(true)
        .stdin_once(true)
        .attach(true, true, false)
        .network_mode("none")
        .label(common::TEST_LABEL, "1");
    let id = docker.containers().create(create).await.unwrap().id;
    let container = docker.containers().get(&id);
    let result = async {
        // Attach (an HTTP upgrade) over TLS, through the transport.
        let transport = NativeTransport::builder(endpoint).build().unwrap();
        let attach = http::Request::post(format!("/v1.41/containers/{id}/attach?stream=1&stdin=1&stdout=1"))
            .body(dockhand::Body::empty())
            .unwrap();
        let UpgradeOutcome::Upgraded(upgraded) = transport.upgrade(attach).await.unwrap() else {
            panic!("attach over TLS did not switch protocols")
        };
        let mut io = upgraded.io;
        assert_eq!(container.start().await.unwrap(), dockhand::Change::Done);
        io.write_all(b"hello over tls\n").await.unwrap();
        io.flush().await.unwrap();
        let mut out = Vec::new();
        tokio::time::timeout(Duration::from_secs(30), io.read_to_end(&mut out)).await.expect("attach ended").unwrap();
        // One multiplexed stdout frame: an 8-byte header, then the line.
        assert!(out.len() > 8 && out[0] == 1, "{out:?}");
        assert_eq!(String::from_utf8_lossy(&out[8..]), "got:hello over tls\n");
        assert_eq!(container.wait().await.unwrap().status_code, 0);
    };
    let outcome = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(result)).await;
    container.remove_with(ContainerRemoveOptions::new().force(true)).await.unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
