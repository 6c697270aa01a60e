//! Registry credentials by default: the calls that talk to a registry send
//! the credentials of the docker CLI's configuration (`config.json`, its
//! `credsStore` and `credHelpers`) unless given their own or told not to;
//! other calls never look. Each test has its own configuration directory,
//! reached through an `Environment`, so the process's is never read.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use dockhand::api::{BuildOptions, ContainerListOptions, PluginPullOptions, PullOptions, PushOptions};
use dockhand::build_context::BuildContext;
use dockhand::config::Environment;
use dockhand::credentials::{CredentialStore, RegistryCredentials};
use dockhand::models::{AuthConfig, RegistryConfig};
use dockhand::{Docker, fold_progress};
use futures::TryStreamExt;
use mockito::{Matcher, Server};

const SECRET: &str = "s3cret-never-shown";

/// A docker CLI configuration directory of its own, removed on drop; reads
/// of it are counted.
struct ConfigDir {
    dir: PathBuf,
    path: String,
    reads: AtomicUsize,
}

impl ConfigDir {
    fn new(config_json: &str) -> Arc<ConfigDir> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dockhand-creds-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.json"), config_json).unwrap();
        Arc::new(ConfigDir { path: format!("{}:/usr/bin:/bin", dir.display()), dir, reads: AtomicUsize::new(0) })
    }

    /// A stored user name and password for `registry`.
    fn with_password(registry: &str) -> Arc<ConfigDir> {
        use base64::Engine as _;
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("alice:{SECRET}"));
        ConfigDir::new(&format!(r#"{{"auths":{{"{registry}":{{"auth":"{auth}"}}}}}}"#))
    }
}

impl Drop for ConfigDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Environment for ConfigDir {
    fn var(&self, name: &str) -> Option<String> {
        match name {
            "DOCKER_CONFIG" => Some(self.dir.display().to_string()),
            "PATH" => Some(self.path.clone()),
            _ => None,
        }
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.reads.fetch_add(1, Ordering::Relaxed);
        std::fs::read(path)
    }

    fn home(&self) -> Option<PathBuf> {
        None
    }
}

fn client_with(server: &Server, source: RegistryCredentials) -> Docker {
    Docker::builder()
        .host(&common::address(server))
        .unwrap()
        .api_version("1.41")
        .unwrap()
        .registry_credentials(source)
        .build()
        .unwrap()
}

fn client(server: &Server, config: &Arc<ConfigDir>) -> Docker {
    client_with(server, RegistryCredentials::Environment(config.clone()))
}

/// The header a stored `alice` password for `registry` becomes.
fn alice(registry: &str) -> String {
    AuthConfig::password(registry, "alice", SECRET).encode_header()
}

const PROGRESS: &str = "{\"status\":\"done\"}\n";

/// A progress endpoint that answers only requests whose `X-Registry-Auth`
/// matches `auth` (a value, or `Matcher::Missing`).
async fn progress_with_auth(server: &mut Server, method: &str, path: &str, auth: impl Into<Matcher>) -> mockito::Mock {
    server
        .mock(method, path)
        .match_query(Matcher::Any)
        .match_header("x-registry-auth", auth)
        .with_body(PROGRESS)
        .create_async()
        .await
}

#[tokio::test]
async fn push_pull_and_distribution_inspect_send_the_stored_credentials() {
    let mut server = server().await;
    let config = ConfigDir::with_password("localhost:5000");
    let push = progress_with_auth(
        &mut server,
        "POST",
        "/v1.41/images/localhost:5000%2Fapp/push",
        alice("localhost:5000").as_str(),
    )
    .await;
    let pull = progress_with_auth(&mut server, "POST", "/v1.41/images/create", alice("localhost:5000").as_str()).await;
    let dist = server
        .mock("GET", "/v1.41/distribution/localhost:5000%2Fapp:1/json")
        .match_header("x-registry-auth", alice("localhost:5000").as_str())
        .with_body(
            r#"{"Descriptor":{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1},"Platforms":[]}"#,
        )
        .create_async()
        .await;
    let docker = client(&server, &config);
    fold_progress(docker.images().push(PushOptions::new("localhost:5000/app:1")), |_| {}).await.unwrap();
    fold_progress(docker.images().pull(PullOptions::new("localhost:5000/app:1")), |_| {}).await.unwrap();
    docker.images().distribution_inspect("localhost:5000/app:1", None).await.unwrap();
    push.assert_async().await;
    pull.assert_async().await;
    dist.assert_async().await;
    assert!(!format!("{docker:?}").contains(SECRET));
}

#[tokio::test]
async fn docker_hub_references_use_the_index_key() {
    let mut server = server().await;
    let config = ConfigDir::with_password("https://index.docker.io/v1/");
    let pull = server
        .mock("POST", "/v1.41/images/create")
        .match_query(Matcher::Any)
        .match_header("x-registry-auth", alice("https://index.docker.io/v1/").as_str())
        .with_body(PROGRESS)
        .expect(2)
        .create_async()
        .await;
    let docker = client(&server, &config);
    for image in ["busybox", "docker.io/team/app:1"] {
        fold_progress(docker.images().pull(PullOptions::new(image)), |_| {}).await.unwrap();
    }
    pull.assert_async().await;
}

#[tokio::test]
async fn plugin_pull_sends_the_stored_credentials() {
    let mut server = server().await;
    let config = ConfigDir::with_password("localhost:5000");
    let mock = progress_with_auth(&mut server, "POST", "/v1.41/plugins/pull", alice("localhost:5000").as_str()).await;
    let docker = client(&server, &config);
    docker
        .plugins()
        .pull(PluginPullOptions::new("localhost:5000/team/plugin:1", vec![]))
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn plugin_push_and_upgrade_send_the_stored_credentials() {
    let mut server = server().await;
    let config = ConfigDir::with_password("localhost:5000");
    let push = server
        .mock("POST", "/v1.41/plugins/localhost:5000%2Fteam%2Fplugin:1/push")
        .match_header("x-registry-auth", alice("localhost:5000").as_str())
        .with_body(PROGRESS)
        .create_async()
        .await;
    let upgrade = server
        .mock("POST", "/v1.41/plugins/sshfs/upgrade")
        .match_query(Matcher::UrlEncoded("remote".into(), "localhost:5000/team/plugin:2".into()))
        .match_header("x-registry-auth", alice("localhost:5000").as_str())
        .with_body(PROGRESS)
        .create_async()
        .await;
    let docker = client(&server, &config);
    docker.plugins().get("localhost:5000/team/plugin:1").push(None).try_collect::<Vec<_>>().await.unwrap();
    docker
        .plugins()
        .get("sshfs")
        .upgrade("localhost:5000/team/plugin:2", vec![], None)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    push.assert_async().await;
    upgrade.assert_async().await;
}

#[tokio::test]
async fn build_sends_every_stored_credential_as_registry_config() {
    let mut server = server().await;
    let config = ConfigDir::new(&format!(
        r#"{{"auths":{{"localhost:5000":{{"username":"alice","password":"{SECRET}"}},"placeholder.io":{{}}}}}}"#
    ));
    let expected =
        RegistryConfig::new().with("localhost:5000", AuthConfig::password("localhost:5000", "alice", SECRET));
    let mock = server
        .mock("POST", "/v1.41/build")
        .match_query(Matcher::Any)
        .match_header("x-registry-config", expected.encode_header().as_str())
        .with_body("{\"aux\":{\"ID\":\"sha256:1\"}}\n")
        .create_async()
        .await;
    let docker = client(&server, &config);
    let ctx = BuildContext::from_files().file("Dockerfile", "FROM localhost:5000/base\n");
    fold_progress(docker.images().build(BuildOptions::new(), ctx), |_| {}).await.unwrap();
    mock.assert_async().await;
}

/// A `credsStore` helper that lists two registries and answers for them.
#[cfg(unix)]
#[tokio::test]
async fn build_asks_the_creds_store_for_every_registry_it_lists() {
    use std::os::unix::fs::PermissionsExt;
    let mut server = server().await;
    let config = ConfigDir::new(r#"{"auths":{"a.example":{}},"credsStore":"dockhandmock"}"#);
    let script = config.dir.join("docker-credential-dockhandmock");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncase \"$1\" in\n  list) printf '{{\"a.example\":\"alice\",\"b.example\":\"alice\"}}' ;;\n  \
             get) read s; printf '{{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"{SECRET}\"}}' \"$s\" ;;\n  \
             *) exit 1 ;;\nesac\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let expected = RegistryConfig::new()
        .with("a.example", AuthConfig::password("a.example", "alice", SECRET))
        .with("b.example", AuthConfig::password("b.example", "alice", SECRET));
    let mock = server
        .mock("POST", "/v1.41/build")
        .match_query(Matcher::Any)
        .match_header("x-registry-config", expected.encode_header().as_str())
        .with_body("{\"aux\":{\"ID\":\"sha256:1\"}}\n")
        .create_async()
        .await;
    let docker = client(&server, &config);
    let ctx = BuildContext::from_files().file("Dockerfile", "FROM b.example/base\n");
    fold_progress(docker.images().build(BuildOptions::new(), ctx), |_| {}).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn the_callers_own_credentials_win() {
    let mut server = server().await;
    let config = ConfigDir::with_password("localhost:5000");
    let own = AuthConfig::password("localhost:5000", "bob", "bobs-password");
    let push = progress_with_auth(
        &mut server,
        "POST",
        "/v1.41/images/localhost:5000%2Fapp/push",
        own.encode_header().as_str(),
    )
    .await;
    let own_config = RegistryConfig::new().with("localhost:5000", own.clone());
    let build = server
        .mock("POST", "/v1.41/build")
        .match_query(Matcher::Any)
        .match_header("x-registry-config", own_config.encode_header().as_str())
        .with_body("{\"aux\":{\"ID\":\"sha256:1\"}}\n")
        .create_async()
        .await;
    let docker = client(&server, &config);
    fold_progress(docker.images().push(PushOptions::new("localhost:5000/app:1").auth(own)), |_| {}).await.unwrap();
    let ctx = BuildContext::from_files().file("Dockerfile", "FROM localhost:5000/base\n");
    fold_progress(docker.images().build(BuildOptions::new().registry_config(own_config), ctx), |_| {}).await.unwrap();
    push.assert_async().await;
    build.assert_async().await;
    assert_eq!(config.reads.load(Ordering::Relaxed), 0, "given credentials, the configuration is not read");
}

/// Opted out, or nothing stored: pull and build send no credential header;
/// push sends an empty one (`{}`), which dockerd requires.
#[tokio::test]
async fn no_credentials_when_opted_out_or_nothing_is_stored() {
    let stored = ConfigDir::with_password("localhost:5000");
    let empty = ConfigDir::new("{}");
    let nothing = AuthConfig::default().encode_header();
    for source in [
        RegistryCredentials::Off,
        RegistryCredentials::Environment(empty.clone()),
        RegistryCredentials::Store(CredentialStore::default()),
    ] {
        let mut server = server().await;
        let push =
            progress_with_auth(&mut server, "POST", "/v1.41/images/localhost:5000%2Fapp/push", nothing.as_str()).await;
        let pull = progress_with_auth(&mut server, "POST", "/v1.41/images/create", Matcher::Missing).await;
        let build = server
            .mock("POST", "/v1.41/build")
            .match_query(Matcher::Any)
            .match_header("x-registry-config", Matcher::Missing)
            .with_body("{\"aux\":{\"ID\":\"sha256:1\"}}\n")
            .create_async()
            .await;
        let docker = client_with(&server, source.clone());
        fold_progress(docker.images().push(PushOptions::new("localhost:5000/app:1")), |_| {}).await.unwrap();
        fold_progress(docker.images().pull(PullOptions::new("localhost:5000/app:1")), |_| {}).await.unwrap();
        let ctx = BuildContext::from_files().file("Dockerfile", "FROM localhost:5000/base\n");
        fold_progress(docker.images().build(BuildOptions::new(), ctx), |_| {}).await.unwrap();
        push.assert_async().await;
        pull.assert_async().await;
        build.assert_async().await;
    }
    assert_eq!(stored.reads.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn calls_that_need_no_registry_never_read_the_configuration() {
    let mut server = server().await;
    let config = ConfigDir::with_password("localhost:5000");
    let mock =
        server.mock("GET", "/v1.41/containers/json").match_query(Matcher::Any).with_body("[]").create_async().await;
    let docker = client(&server, &config);
    docker.containers().list(ContainerListOptions::new()).await.unwrap();
    mock.assert_async().await;
    assert_eq!(config.reads.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn a_malformed_configuration_is_ignored_and_a_failing_helper_fails_the_call() {
    let mut server = server().await;
    let pull = progress_with_auth(&mut server, "POST", "/v1.41/images/create", Matcher::Missing).await;
    let broken = ConfigDir::new(&format!(r#"{{"auths":{{"localhost:5000":{{"password":"{SECRET}"}} oops"#));
    let docker = client(&server, &broken);
    fold_progress(docker.images().pull(PullOptions::new("localhost:5000/app:1")), |_| {}).await.unwrap();
    pull.assert_async().await;

    let missing = ConfigDir::new(r#"{"credHelpers":{"localhost:5000":"dockhand-not-installed"}}"#);
    let docker = client(&server, &missing);
    let err = fold_progress(docker.images().push(PushOptions::new("localhost:5000/app:1")), |_| {}).await.unwrap_err();
    assert!(err.to_string().contains("docker-credential-dockhand-not-installed"), "{err}");
}

async fn server() -> mockito::ServerGuard {
    common::server().await
}
