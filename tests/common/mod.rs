//! Shared fixtures of the integration tests: the daemon (or a plain skip),
//! and a `FROM scratch` busybox image made from Debian's `busybox-static`.
//!
//! Tests that need a daemon start with
//! `let Some(docker) = common::daemon().await else { return };`.
//! Without a daemon they print why they skip and pass, unless
//! `DOCKHAND_REQUIRE_DOCKER=1` (set by `.ci/run`), where a missing daemon
//! fails them.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use dockhand::api::{ContainerCreate, ContainerRemoveOptions, ImportOptions};
use dockhand::{ContainerHandle, Docker};
use futures::TryStreamExt;

/// The tag of the test image.
pub const BUSYBOX: &str = "dockhand-test/busybox:latest";

/// Labels every object a test creates, so leftovers can be found.
pub const TEST_LABEL: &str = "dockhand.test";

/// Whether the suites that need real parts must run (CI) or may skip.
pub fn required() -> bool {
    std::env::var("DOCKHAND_REQUIRE_DOCKER").is_ok_and(|v| v == "1")
}

/// A client for the daemon the environment names, or `None` (after saying
/// why) when no daemon answers and none is required.
pub async fn daemon() -> Option<Docker> {
    match Docker::connect().await {
        Ok(docker) => Some(docker),
        Err(e) if required() => panic!("DOCKHAND_REQUIRE_DOCKER=1 but no Docker daemon answers: {e}"),
        Err(e) => {
            eprintln!("SKIPPED (no Docker daemon): {e}");
            None
        }
    }
}

/// The daemon the tests run against, as its `/version` says: the engine's
/// version (`28.5.2+dfsg4`) and its newest API version.
///
/// A test whose assertion depends on the daemon's version reads it here
/// and says which version answers what (`if v.at_least(26) { ... }`),
/// rather than skipping.
#[derive(Debug, Clone)]
pub struct DaemonVersion {
    /// The engine's version, as the daemon writes it.
    pub engine: String,
    /// The engine's major version (20, 26, 28, ...), 0 when unreadable.
    pub major: u32,
    /// The newest API version the daemon speaks.
    pub api: dockhand::ApiVersion,
    /// Whether the daemon is Podman's Docker-compatible service (its
    /// `/version` lists a `Podman Engine` component): a test whose
    /// assertion differs on Podman says so by this, and asserts what
    /// Podman answers (docs/connecting.md lists the differences).
    pub podman: bool,
}

impl DaemonVersion {
    /// Whether the engine is `major` or newer.
    pub fn at_least(&self, major: u32) -> bool {
        self.major >= major
    }
}

/// Reads the daemon's version (panics when `/version` fails: every daemon
/// test has a daemon at this point).
pub async fn daemon_version(docker: &Docker) -> DaemonVersion {
    let v = docker.version().await.expect("GET /version");
    let major = v.version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    let api = v.api_version.parse().unwrap_or_else(|e| panic!("the daemon's ApiVersion {:?}: {e}", v.api_version));
    let podman = v.components.iter().any(|c| c.name == "Podman Engine");
    DaemonVersion { engine: v.version, major, api, podman }
}

/// Whether `err` is the daemon refusing an action for the container's state:
/// dockerd's 409 Conflict; Podman answers 500 with "container state
/// improper".
pub fn is_state_conflict(podman: bool, err: &dockhand::Error) -> bool {
    if podman {
        err.is_server_error() && err.to_string().contains("container state improper")
    } else {
        err.is_conflict()
    }
}

/// How Podman names the image `name`: fully qualified, as
/// `docker.io/library/NAME` or `docker.io/OWNER/NAME` (dockerd keeps
/// `name` as given).
pub fn podman_name(name: &str) -> String {
    if name.contains('/') { format!("docker.io/{name}") } else { format!("docker.io/library/{name}") }
}

/// Whether the daemon is Podman's Docker-compatible service (see
/// [`DaemonVersion::podman`]).
pub async fn is_podman(docker: &Docker) -> bool {
    daemon_version(docker).await.podman
}

/// The address a test's registry listens on so that the daemon under test
/// reaches it: `$DOCKHAND_REGISTRY_HOST`, else the line of `DOCKER_HOST` in
/// `/var/run/dockhand-daemons.env` (written by `.ci/daemons`: the daemons
/// 26.1 and 28.5 run in network namespaces of their own, where the host's
/// 127.0.0.1 is not reachable, and trust the host side of their veth pair as
/// an insecure registry), else 127.0.0.1 (which every daemon trusts).
pub fn registry_host() -> String {
    if let Some(host) = std::env::var("DOCKHAND_REGISTRY_HOST").ok().filter(|h| !h.is_empty()) {
        return host;
    }
    let docker_host = std::env::var("DOCKER_HOST").unwrap_or_default();
    if !docker_host.is_empty() {
        let listed = std::fs::read_to_string("/var/run/dockhand-daemons.env").unwrap_or_default();
        for line in listed.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if let [_, host, registry] = fields[..] {
                if host == docker_host {
                    return registry.to_owned();
                }
            }
        }
    }
    "127.0.0.1".to_owned()
}

/// The path of a static busybox binary: `$DOCKHAND_BUSYBOX`, else Debian's
/// `busybox-static` at `/bin/busybox`.
pub fn busybox_binary() -> PathBuf {
    std::env::var_os("DOCKHAND_BUSYBOX").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/bin/busybox"))
}

/// The applets of the busybox binary, as `busybox --list` prints them.
fn applets(binary: &PathBuf) -> Vec<String> {
    let out = std::process::Command::new(binary).arg("--list").output().expect("running busybox --list");
    assert!(out.status.success(), "busybox --list failed");
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).filter(|a| a != "busybox").collect()
}

/// A tar of a root filesystem: `/bin/busybox`, a symlink per applet,
/// `/etc/passwd`, `/etc/group`, `/tmp`.
pub fn busybox_rootfs_tar() -> &'static [u8] {
    static TAR: OnceLock<Vec<u8>> = OnceLock::new();
    TAR.get_or_init(|| {
        let binary = busybox_binary();
        let bytes = std::fs::read(&binary)
            .unwrap_or_else(|e| panic!("{}: {e} (install Debian's busybox-static)", binary.display()));
        let mut tar = tar::Builder::new(Vec::new());
        let mut dir = |path: &str, mode: u32| {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(tar::EntryType::Directory);
            h.set_mode(mode);
            h.set_size(0);
            h.set_mtime(1_700_000_000);
            tar.append_data(&mut h, path, std::io::empty()).unwrap();
        };
        for (d, mode) in [("bin", 0o755), ("etc", 0o755), ("tmp", 0o1777), ("root", 0o700), ("www", 0o755)] {
            dir(d, mode);
        }
        let mut file = |path: &str, mode: u32, data: &[u8]| {
            let mut h = tar::Header::new_gnu();
            h.set_mode(mode);
            h.set_size(data.len() as u64);
            h.set_mtime(1_700_000_000);
            tar.append_data(&mut h, path, data).unwrap();
        };
        file("bin/busybox", 0o755, &bytes);
        file("etc/passwd", 0o644, b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        file("etc/group", 0o644, b"root:x:0:\nnogroup:x:65534:\n");
        file("www/index.html", 0o644, b"hello from dockhand\n");
        for applet in applets(&binary) {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_size(0);
            h.set_mode(0o777);
            h.set_mtime(1_700_000_000);
            tar.append_link(&mut h, format!("bin/{applet}"), "busybox").unwrap();
        }
        tar.into_inner().unwrap()
    })
}

/// The comment of the test image: it names the content, so that a daemon
/// that has the image already keeps it.
fn busybox_comment() -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    busybox_rootfs_tar().hash(&mut h);
    BUSYBOX_CHANGES.hash(&mut h);
    format!("dockhand test image {:016x}", h.finish())
}

/// What the test image is given on top of its files.
const BUSYBOX_CHANGES: [&str; 2] = [r#"CMD ["sh"]"#, "ENV PATH=/bin"];

/// Makes sure the daemon has the busybox image (tag [`BUSYBOX`]) and
/// returns its tag.
///
/// The image is imported only when the tag is missing or holds other
/// content (its comment names a hash of the files and settings). Each
/// import makes a new image id and leaves the one it replaces dangling:
/// with nextest's process per test, importing every time left a hundred
/// dangling images per run on the developer's daemon.
pub async fn busybox_image(docker: &Docker) -> &'static str {
    static DONE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    DONE.get_or_init(|| async {
        let comment = busybox_comment();
        if docker.images().get(BUSYBOX).inspect().await.is_ok_and(|image| image.comment == comment) {
            return;
        }
        let opts = BUSYBOX_CHANGES
            .iter()
            .fold(ImportOptions::new("dockhand-test/busybox", "latest"), |o, c| o.change(*c))
            .message(comment);
        let messages: Vec<_> =
            docker.images().import(opts, busybox_rootfs_tar().to_vec().into()).try_collect().await.expect("import");
        assert!(messages.iter().any(|m| m.status.as_deref().is_some_and(|s| s.starts_with("sha256:"))));
    })
    .await;
    BUSYBOX
}

/// A name unique to this test run, for objects a test creates.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!("dockhand-{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// Force-removes the containers it holds when dropped, even after a panic.
pub struct Cleanup(pub Vec<String>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let ids = std::mem::take(&mut self.0);
        if ids.is_empty() {
            return;
        }
        on_own_runtime(move |docker| async move {
            for id in ids {
                let _ = docker
                    .containers()
                    .get(&id)
                    .remove_with(ContainerRemoveOptions::new().force(true).volumes(true))
                    .await;
            }
        });
    }
}

/// Runs a clean-up with a client of its own on a runtime of its own, on
/// another thread, and waits for it: called from `Drop`, where the test's
/// runtime may be gone or blocked (its client's connections live on it).
pub fn on_own_runtime<F, Fut>(cleanup: F)
where
    F: FnOnce(Docker) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let Ok(docker) = Docker::from_env() else { return };
            cleanup(docker).await;
        });
    })
    .join();
}

/// A busybox container running `cmd`, named with [`unique`] and labelled
/// [`TEST_LABEL`], without a network.
pub fn busybox(image: &str, prefix: &str, cmd: &[&str]) -> ContainerCreate {
    ContainerCreate::new(image)
        .name(unique(prefix))
        .label(TEST_LABEL, "1")
        // No network unless a test needs one: less to set up, less to fail.
        .network_mode("none")
        .cmd(cmd.iter().copied())
}

/// Creates `create`, registers it with `cleanup` and returns its handle.
pub async fn create(docker: &Docker, cleanup: &mut Cleanup, create: ContainerCreate) -> ContainerHandle {
    let created = docker.containers().create(create).await.expect("create");
    assert_eq!(created.id.len(), 64, "{created:?}");
    cleanup.0.push(created.id.clone());
    docker.containers().get(created.id)
}
