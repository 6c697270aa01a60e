//! Push and pull against a real registry (Debian's `docker-registry`) that
//! the test starts with htpasswd (bcrypt) authentication and a temporary
//! storage directory, and stops at the end. It listens where the daemon under
//! test reaches it: 127.0.0.1 for the host's daemon, the host side of the
//! veth pair for the daemons `.ci/daemons` runs in network namespaces of
//! their own (`common::registry_host`).

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dockhand::api::{BuildOptions, ImageRemoveOptions, PullOptions, PushOptions};
use dockhand::build_context::BuildContext;
use dockhand::config::Environment;
use dockhand::credentials::{CredentialStore, RegistryCredentials};
use dockhand::models::AuthConfig;
use dockhand::{Docker, Error, fold_progress};

const USER: &str = "dockhand";
const PASSWORD: &str = "pa55-w0rd-never-printed";

/// A registry process, killed and its storage removed on drop.
struct Registry {
    child: Child,
    dir: PathBuf,
    addr: String,
}

impl Registry {
    /// Starts a registry, or `None` (after saying why) when the binaries
    /// are missing and the suite is not required.
    fn start() -> Option<Registry> {
        for bin in ["/usr/bin/docker-registry", "/usr/bin/htpasswd"] {
            if !Path::new(bin).exists() {
                assert!(!common::required(), "{bin} is missing (apt-get install docker-registry apache2-utils)");
                eprintln!("SKIPPED ({bin} is missing)");
                return None;
            }
        }
        let dir = std::env::temp_dir().join(common::unique("registry"));
        std::fs::create_dir_all(dir.join("storage")).unwrap();
        let out = Command::new("htpasswd").args(["-Bbn", USER, PASSWORD]).output().expect("htpasswd");
        assert!(out.status.success(), "htpasswd failed");
        std::fs::write(dir.join("htpasswd"), &out.stdout).unwrap();
        // A free port: bind, read it, release it.
        // On the address the daemon under test reaches (see
        // common::registry_host).
        let host = common::registry_host();
        let port = TcpListener::bind((host.as_str(), 0)).unwrap().local_addr().unwrap().port();
        let addr = format!("{host}:{port}");
        let config = format!(
            "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
             http:\n  addr: {addr}\nauth:\n  htpasswd:\n    realm: dockhand\n    path: {}\n",
            dir.join("storage").display(),
            dir.join("htpasswd").display()
        );
        std::fs::write(dir.join("config.yml"), config).unwrap();
        let child = Command::new("/usr/bin/docker-registry")
            .arg("serve")
            .arg(dir.join("config.yml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting docker-registry");
        let registry = Registry { child, dir, addr };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(&registry.addr).is_err() {
            assert!(Instant::now() < deadline, "the registry did not listen on {}", registry.addr);
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(registry)
    }

    fn auth(&self, password: &str) -> AuthConfig {
        AuthConfig::password(&self.addr, USER, password)
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A unique image of our own, tagged for the registry.
async fn own_image(docker: &Docker, reference: &str) -> String {
    let base = common::busybox_image(docker).await;
    let ctx =
        BuildContext::from_files().file("Dockerfile", format!("FROM {base}\nLABEL dockhand.unique={reference}\n"));
    let opts = BuildOptions::new().tag(reference).label(common::TEST_LABEL, "1");
    fold_progress(docker.images().build(opts, ctx), |_| {}).await.expect("build").image_id.unwrap()
}

async fn remove(docker: &Docker, reference: &str) {
    docker.images().get(reference).remove_with(ImageRemoveOptions::new().force(true)).await.expect("remove");
}

#[tokio::test]
async fn push_remove_pull_with_credentials() {
    let Some(docker) = common::daemon().await else { return };
    let Some(registry) = Registry::start() else { return };
    let reference = format!("{}/dockhand/{}:v1", registry.addr, common::unique("push"));
    let id = own_image(&docker, &reference).await;

    let mut statuses = Vec::new();
    let pushed = fold_progress(docker.images().push(PushOptions::new(&reference).auth(registry.auth(PASSWORD))), |m| {
        statuses.extend(m.status.clone())
    })
    .await
    .expect("push");
    let digest = pushed.digest.clone().expect("the push reports a digest");
    assert!(digest.starts_with("sha256:") && digest.len() == 71, "{digest}");
    assert!(statuses.iter().any(|s| s.contains("Pushed") || s.contains("exists")), "{statuses:?}");

    // The registry knows it, without pulling.
    let dist = docker.images().distribution_inspect(&reference, Some(&registry.auth(PASSWORD))).await.unwrap();
    assert_eq!(dist.descriptor.digest, digest);

    remove(&docker, &reference).await;
    assert!(docker.images().get(&reference).inspect().await.unwrap_err().is_not_found());

    let pulled =
        fold_progress(docker.images().pull(PullOptions::new(&reference).auth(registry.auth(PASSWORD))), |_| {})
            .await
            .expect("pull");
    assert_eq!(pulled.digest.as_deref(), Some(digest.as_str()), "{pulled:?}");
    let inspect = docker.images().get(&reference).inspect().await.unwrap();
    assert_eq!(inspect.id, id, "the same image came back");
    let repo = reference.rsplit_once(':').unwrap().0;
    assert!(inspect.repo_digests.contains(&format!("{repo}@{digest}")), "{:?}", inspect.repo_digests);

    // Pull by digest too.
    let by_digest = format!("{repo}@{digest}");
    fold_progress(docker.images().pull(PullOptions::new(&by_digest).auth(registry.auth(PASSWORD))), |_| {})
        .await
        .expect("pull by digest");
    remove(&docker, &reference).await;
}

#[tokio::test]
async fn a_wrong_password_is_unauthorized_and_never_printed() {
    let Some(docker) = common::daemon().await else { return };
    let Some(registry) = Registry::start() else { return };
    let wrong = "wrong-secret-value-42";
    let reference = format!("{}/dockhand/{}:v1", registry.addr, common::unique("denied"));
    own_image(&docker, &reference).await;

    // Every refusal first, then clean up, then judge: a failed assertion
    // must not leave the image behind.
    let push_err =
        fold_progress(docker.images().push(PushOptions::new(&reference).auth(registry.auth(wrong))), |_| {}).await;
    let pull_err =
        fold_progress(docker.images().pull(PullOptions::new(&reference).auth(registry.auth(wrong))), |_| {}).await;
    let anonymous = fold_progress(docker.images().push(PushOptions::new(&reference)), |_| {}).await;
    let login_err = docker.auth(&registry.auth(wrong)).await;
    let login_ok = docker.auth(&registry.auth(PASSWORD)).await;
    remove(&docker, &reference).await;

    for (what, result) in [("push", push_err), ("pull", pull_err), ("anonymous push", anonymous)] {
        let err = result.expect_err(what);
        assert!(err.is_unauthorized(), "{what}: {err:?}");
        let text = format!("{err} {err:?}");
        assert!(!text.contains(wrong), "{what}: the password leaked: {text}");
    }
    let err = login_err.expect_err("login with a wrong password");
    assert!(err.is_unauthorized(), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(wrong));
    assert!(login_ok.unwrap().status.contains("Login Succeeded"));
}

/// An environment with its own DOCKER_CONFIG and PATH, so the process's
/// environment is never changed under other tests.
struct TestEnv {
    config: PathBuf,
    path: String,
}

impl Environment for TestEnv {
    fn var(&self, name: &str) -> Option<String> {
        match name {
            "DOCKER_CONFIG" => Some(self.config.display().to_string()),
            "PATH" => Some(self.path.clone()),
            _ => None,
        }
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn home(&self) -> Option<PathBuf> {
        None
    }
}

#[tokio::test]
async fn credentials_from_a_helper_on_path() {
    use std::os::unix::fs::PermissionsExt;
    let Some(docker) = common::daemon().await else { return };
    let Some(registry) = Registry::start() else { return };
    let dir = std::env::temp_dir().join(common::unique("docker-config"));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("docker-credential-dockhandtest");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nread server\n[ \"$1\" = get ] || exit 1\n\
             if [ \"$server\" = {addr} ]; then\n  printf '{{\"ServerURL\":\"%s\",\"Username\":\"{USER}\",\"Secret\":\"{PASSWORD}\"}}' \"$server\"\n\
             else\n  echo 'credentials not found in native keychain'\n  exit 1\nfi\n",
            addr = registry.addr
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        dir.join("config.json"),
        format!(r#"{{"auths":{{"{}":{{}}}},"credHelpers":{{"{}":"dockhandtest"}}}}"#, registry.addr, registry.addr),
    )
    .unwrap();
    let env = TestEnv { config: dir.clone(), path: format!("{}:/usr/bin:/bin", bin.display()) };
    let store = CredentialStore::load(&env).unwrap();
    let reference = format!("{}/dockhand/{}:v1", registry.addr, common::unique("helper"));
    let auth = store.for_image(&reference).unwrap().expect("the helper answers");
    assert_eq!(auth.username.as_deref(), Some(USER));
    assert!(!format!("{auth:?} {store:?}").contains(PASSWORD));
    // Another registry: the helper says "not found".
    assert!(store.get("127.0.0.2:1").unwrap().is_none());

    own_image(&docker, &reference).await;
    let pushed = fold_progress(docker.images().push(PushOptions::new(&reference).auth(auth)), |_| {}).await;
    assert!(pushed.expect("push with helper credentials").digest.is_some());
    remove(&docker, &reference).await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn pulling_what_does_not_exist_is_not_found() {
    let Some(docker) = common::daemon().await else { return };
    let Some(registry) = Registry::start() else { return };
    let reference = format!("{}/dockhand/{}:nope", registry.addr, common::unique("missing"));
    let err = fold_progress(docker.images().pull(PullOptions::new(&reference).auth(registry.auth(PASSWORD))), |_| {})
        .await
        .unwrap_err();
    assert!(err.is_not_found() || matches!(err, Error::Stream { .. }), "{err:?}");
}

#[tokio::test]
async fn build_from_a_private_base_image_with_registry_config() {
    use dockhand::models::RegistryConfig;
    let Some(docker) = common::daemon().await else { return };
    let Some(registry) = Registry::start() else { return };
    let base = format!("{}/dockhand/{}:base", registry.addr, common::unique("private"));
    own_image(&docker, &base).await;
    fold_progress(docker.images().push(PushOptions::new(&base).auth(registry.auth(PASSWORD))), |_| {})
        .await
        .expect("push the base");
    remove(&docker, &base).await;

    let dockerfile = format!("FROM {base}\nLABEL built.on=private\n");
    // Without credentials the daemon cannot pull the base.
    let ctx = BuildContext::from_files().file("Dockerfile", dockerfile.clone());
    let err = fold_progress(docker.images().build(BuildOptions::new().label(common::TEST_LABEL, "1"), ctx), |_| {})
        .await
        .unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");

    // With X-Registry-Config it can.
    let tag = format!("{}:1", common::unique("from-private"));
    let config = RegistryConfig::new().with(&registry.addr, registry.auth(PASSWORD));
    let opts = BuildOptions::new().tag(&tag).label(common::TEST_LABEL, "1").registry_config(config);
    let ctx = BuildContext::from_files().file("Dockerfile", dockerfile);
    let built = fold_progress(docker.images().build(opts, ctx), |_| {}).await.expect("build with credentials");
    let inspect = docker.images().get(&tag).inspect().await.unwrap();
    assert_eq!(Some(inspect.id), built.image_id);
    remove(&docker, &tag).await;
    remove(&docker, &base).await;
}

/// A docker CLI configuration directory holding what `docker login` stores
/// for the registry (a base64 `user:password` under `auths`), and a client
/// that reads it as its `DOCKER_CONFIG`, as the process's own would be.
fn logged_in(registry: &Registry, source: impl FnOnce(TestEnv) -> RegistryCredentials) -> (Docker, PathBuf) {
    use base64::Engine as _;
    let dir = std::env::temp_dir().join(common::unique("docker-login"));
    std::fs::create_dir_all(&dir).unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    std::fs::write(dir.join("config.json"), format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, registry.addr))
        .unwrap();
    let env = TestEnv { config: dir.clone(), path: "/usr/bin:/bin".into() };
    let docker = Docker::builder().registry_credentials(source(env)).build().unwrap();
    (docker, dir)
}

#[tokio::test]
async fn stored_credentials_push_pull_and_build_from_a_private_base() {
    let Some(docker) = common::daemon().await else { return };
    let Some(registry) = Registry::start() else { return };
    let (logged_in, dir) = logged_in(&registry, |env| RegistryCredentials::Environment(Arc::new(env)));
    let base = format!("{}/dockhand/{}:base", registry.addr, common::unique("stored"));
    own_image(&docker, &base).await;

    // No credentials passed: those of config.json are used.
    let pushed = fold_progress(logged_in.images().push(PushOptions::new(&base)), |_| {}).await;
    let dist = logged_in.images().distribution_inspect(&base, None).await;
    remove(&docker, &base).await;
    let pulled = fold_progress(logged_in.images().pull(PullOptions::new(&base)), |_| {}).await;
    let _ = docker.images().get(&base).remove_with(ImageRemoveOptions::new().force(true)).await;

    // A build whose FROM is the private image, now gone from the daemon.
    let tag = format!("{}:1", common::unique("from-stored"));
    let ctx = BuildContext::from_files().file("Dockerfile", format!("FROM {base}\nLABEL built.on=stored\n"));
    let built = fold_progress(
        logged_in.images().build(BuildOptions::new().tag(&tag).label(common::TEST_LABEL, "1"), ctx),
        |_| {},
    )
    .await;
    let _ = docker.images().get(&tag).remove_with(ImageRemoveOptions::new().force(true)).await;
    let _ = docker.images().get(&base).remove_with(ImageRemoveOptions::new().force(true)).await;
    std::fs::remove_dir_all(&dir).unwrap();

    let digest = pushed.expect("push with stored credentials").digest.expect("a digest");
    assert_eq!(dist.expect("distribution inspect with stored credentials").descriptor.digest, digest);
    assert_eq!(pulled.expect("pull with stored credentials").digest.as_deref(), Some(digest.as_str()));
    assert!(built.expect("build from a private base with stored credentials").image_id.is_some());
    assert!(!format!("{logged_in:?}").contains(PASSWORD));
}

#[tokio::test]
async fn opted_out_the_stored_credentials_are_not_sent() {
    let Some(docker) = common::daemon().await else { return };
    let Some(registry) = Registry::start() else { return };
    // The same login, but the client is told not to use it.
    let (opted_out, dir) = logged_in(&registry, |_| RegistryCredentials::Off);
    let reference = format!("{}/dockhand/{}:v1", registry.addr, common::unique("opted-out"));
    own_image(&docker, &reference).await;
    let pushed = fold_progress(opted_out.images().push(PushOptions::new(&reference)), |_| {}).await;
    remove(&docker, &reference).await;
    std::fs::remove_dir_all(&dir).unwrap();
    let err = pushed.expect_err("an anonymous push");
    assert!(err.is_unauthorized(), "{err:?}");
}
