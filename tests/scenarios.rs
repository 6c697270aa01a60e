//! Same scenarios, two daemons: each scenario is written once against the
//! public SDK (`async fn scenario_x(docker: &Docker, image: &str)`) and runs
//! on the simulated engine (`dockhand-engine`, always) and on the real
//! dockerd (when `common::daemon()` finds one) in the same test, so the two
//! are held to the same assertions.
//!
//! On the engine the image is `busybox:latest`, pulled from its simulated
//! registry; on the real daemon it is the imported test image
//! (`common::busybox_image`). Everything a scenario creates is named with
//! `common::unique("scn-<scenario>")` and labelled `dockhand.test=1`; each
//! scenario removes what it created, and on the real daemon a guard also
//! force-removes this process's leftovers of that scenario when it panics.

mod common;

use std::future::Future;
use std::time::Duration;

use dockhand::api::{
    AttachOptions, CommitOptions, ContainerCreate, ContainerFilters, ContainerListOptions, ContainerRemoveOptions,
    ExecOptions, ImageFilters, ImageListOptions, ImageRemoveOptions, LogsOptions, PullOptions, StopOptions,
};
use dockhand::models::ContainerStateKind;
use dockhand::stream::{Output, StdStream};
use dockhand::{Change, ContainerHandle, Docker};
use futures::TryStreamExt;

/// Runs `scenario` on a fresh simulated engine with `busybox:latest` pulled
/// from its registry.
async fn run_on_engine<F, Fut>(scenario: F)
where
    F: FnOnce(Docker, &'static str) -> Fut,
    Fut: Future<Output = ()>,
{
    let engine = dockhand_engine::Engine::new();
    let docker = engine.docker();
    let image = "busybox:latest";
    docker.images().pull(PullOptions::new(image)).try_collect::<Vec<_>>().await.expect("pull on the engine");
    eprintln!("backend: simulated engine");
    scenario(docker, image).await;
}

/// Runs `scenario` on the real daemon, when there is one (else prints
/// SKIPPED, or fails under `DOCKHAND_REQUIRE_DOCKER=1`).
async fn run_on_daemon<F, Fut>(name: &'static str, scenario: F)
where
    F: FnOnce(Docker, &'static str) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let _guard = Leftovers(name);
    eprintln!("backend: real dockerd");
    scenario(docker, image).await;
}

/// The name prefix of what scenario `name` creates, unique to this process.
fn prefix(name: &str) -> String {
    format!("dockhand-scn-{name}-{}-", std::process::id())
}

/// Force-removes, on the real daemon, the containers and image tags this
/// process's run of one scenario left behind (after a panic; a passing
/// scenario removes its own). Matches only `dockhand.test=1` objects named
/// with this scenario's and this process's prefix.
struct Leftovers(&'static str);

impl Drop for Leftovers {
    fn drop(&mut self) {
        let prefix = prefix(self.0);
        // A fresh runtime on another thread: the test's runtime may be gone.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let Ok(docker) = Docker::from_env() else { return };
                let filters = ContainerFilters::new().label(format!("{}=1", common::TEST_LABEL)).name(prefix.clone());
                let list = docker.containers().list(ContainerListOptions::new().all(true).filters(filters)).await;
                for c in list.unwrap_or_default() {
                    let opts = ContainerRemoveOptions::new().force(true).volumes(true);
                    let _ = docker.containers().get(c.id).remove_with(opts).await;
                }
                let filters = ImageFilters::new().reference(format!("{prefix}*"));
                let list = docker.images().list(ImageListOptions::new().filters(filters)).await;
                for tag in list.unwrap_or_default().into_iter().flat_map(|i| i.repo_tags) {
                    if tag.starts_with(&prefix) {
                        let _ = docker.images().get(tag).remove_with(ImageRemoveOptions::new()).await;
                    }
                }
            });
        })
        .join();
    }
}

/// Runs one scenario on both backends.
macro_rules! on_both {
    ($name:literal, $scenario:ident) => {
        run_on_engine(|d, i| async move { $scenario(&d, i).await }).await;
        run_on_daemon($name, |d, i| async move { $scenario(&d, i).await }).await;
    };
}

/// A labelled container of `image` running `cmd`, without a network, named
/// with the scenario's prefix.
fn container(image: &str, scenario: &str, cmd: &[&str]) -> ContainerCreate {
    ContainerCreate::new(image)
        .name(common::unique(&format!("scn-{scenario}")))
        .label(common::TEST_LABEL, "1")
        .network_mode("none")
        .cmd(cmd.iter().copied())
}

/// Creates `create` and returns its handle and name.
async fn create(docker: &Docker, create: ContainerCreate) -> (ContainerHandle, String) {
    let created = docker.containers().create(create).await.expect("create");
    assert_eq!(created.id.len(), 64, "{created:?}");
    let c = docker.containers().get(created.id);
    let name = c.inspect().await.expect("inspect").name.trim_start_matches('/').to_owned();
    (c, name)
}

async fn remove(c: &ContainerHandle) {
    c.remove_with(ContainerRemoveOptions::new().force(true)).await.expect("remove");
}

/// Ignores SIGTERM (PID 1 without a handler), so `stop` kills it after its
/// timeout: exit code 137 on both backends. (A shell with a TERM trap, which
/// exits by its handler instead, is compared in tests/shell_scenarios.rs.)
const SLEEPER: &[&str] = &["sleep", "30"];

async fn scenario_lifecycle(docker: &Docker, image: &str) {
    let create_it = container(image, "lifecycle", SLEEPER).label("dockhand.scenario", "lifecycle");
    let (c, name) = create(docker, create_it).await;

    let info = c.inspect().await.unwrap();
    assert_eq!(info.state.status, ContainerStateKind::Created);
    assert!(name.starts_with(&prefix("lifecycle")), "{name}");
    assert_eq!(info.config.labels.get("dockhand.scenario").map(String::as_str), Some("lifecycle"));

    assert_eq!(c.start().await.unwrap(), Change::Done);
    assert_eq!(c.start().await.unwrap(), Change::Unchanged);
    let state = c.inspect().await.unwrap().state;
    assert!(state.running && state.pid > 0, "{state:?}");
    assert_eq!(state.status, ContainerStateKind::Running);

    let stop = StopOptions::new().timeout(Duration::from_secs(1));
    assert_eq!(c.stop_with(stop.clone()).await.unwrap(), Change::Done);
    assert_eq!(c.stop_with(stop).await.unwrap(), Change::Unchanged);
    assert_eq!(c.wait().await.unwrap().status_code, 137, "killed after the stop timeout");
    let state = c.inspect().await.unwrap().state;
    assert_eq!((state.status, state.exit_code, state.running), (ContainerStateKind::Exited, 137, false));

    c.remove_with(ContainerRemoveOptions::new()).await.unwrap();
    let err = docker.containers().get(&name).inspect().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let message = &err.api().expect("an API error").message;
    assert!(message.contains(&format!("No such container: {name}")), "{message}");
}

#[tokio::test]
async fn lifecycle() {
    on_both!("lifecycle", scenario_lifecycle);
}

async fn scenario_typed_errors(docker: &Docker, image: &str) {
    let (c, name) = create(docker, container(image, "errors", &["sleep", "30"])).await;

    // The same name again: 409, with the daemon's wording.
    let again = ContainerCreate::new(image).name(&name).label(common::TEST_LABEL, "1").network_mode("none");
    let err = docker.containers().create(again).await.unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    let message = &err.api().expect("an API error").message;
    assert!(message.contains(&format!("The container name \"/{name}\" is already in use")), "{message}");

    // Removing a running container without force: 409, and it stays.
    assert!(c.start().await.unwrap().is_done());
    let err = c.remove_with(ContainerRemoveOptions::new()).await.unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    let message = &err.api().expect("an API error").message;
    // Each version words it its own way; the engine answers as the 28.5 it
    // reports (the container as it was asked for, here its id).
    let id = c.inspect().await.unwrap().id;
    let v = common::daemon_version(docker).await;
    let expected = if v.at_least(28) {
        format!(
            "cannot remove container \"{id}\": container is running: stop the container before removing or force remove"
        )
    } else if v.at_least(26) {
        format!(
            "cannot remove container \"/{name}\": container is running: stop the container before removing or force remove"
        )
    } else {
        format!(
            "You cannot remove a running container {id}. Stop the container before attempting removal or force remove"
        )
    };
    assert_eq!(message, &expected, "{} answered", v.engine);
    assert!(c.inspect().await.unwrap().state.running);

    // A missing image: 404.
    let missing = format!("{}missing:none", prefix("errors"));
    let err = docker.images().get(&missing).inspect().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let message = &err.api().expect("an API error").message;
    assert!(message.contains(&format!("No such image: {missing}")), "{message}");

    remove(&c).await;
    assert!(c.inspect().await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn typed_errors() {
    on_both!("errors", scenario_typed_errors);
}

fn joined(items: &[Output], stream: StdStream) -> String {
    items.iter().filter(|o| o.stream == stream).map(|o| o.text().into_owned()).collect()
}

async fn scenario_logs(docker: &Docker, image: &str) {
    let (c, _) = create(docker, container(image, "logs", &["sh", "-c", "echo out; echo err >&2"])).await;
    assert!(c.start().await.unwrap().is_done());
    assert_eq!(c.wait().await.unwrap().status_code, 0);

    let logs = c.logs(LogsOptions::new().stdout(true).stderr(true));
    let items: Vec<Output> = tokio::time::timeout(Duration::from_secs(30), logs.try_collect())
        .await
        .expect("the log stream ended")
        .expect("log items");
    assert_eq!(joined(&items, StdStream::Stdout), "out\n", "{items:?}");
    assert_eq!(joined(&items, StdStream::Stderr), "err\n", "{items:?}");
    assert!(items.iter().all(|o| matches!(o.stream, StdStream::Stdout | StdStream::Stderr)), "{items:?}");

    // Only stderr, when asked.
    let items: Vec<Output> = c.logs(LogsOptions::new().stdout(false).stderr(true)).try_collect().await.unwrap();
    assert_eq!(joined(&items, StdStream::Stderr), "err\n", "{items:?}");
    assert_eq!(joined(&items, StdStream::Stdout), "", "{items:?}");

    remove(&c).await;
}

#[tokio::test]
async fn logs() {
    on_both!("logs", scenario_logs);
}

async fn scenario_images(docker: &Docker, image: &str) {
    let original = docker.images().get(image).inspect().await.unwrap();
    let repo = common::unique("scn-images");
    assert!(repo.starts_with(&prefix("images")));
    let target = format!("{repo}:scenario");
    // Other test processes may import the shared test image again at any
    // moment, moving its tag to a new image: a tag of our own (outside the
    // filter below) keeps the original referenced, so removing `target`
    // only untags, whatever they do.
    let keep = format!("{repo}-keep:scenario");
    docker.images().get(&original.id).tag(&keep).await.unwrap();

    docker.images().get(&original.id).tag(&target).await.unwrap();
    let filters = ImageFilters::new().reference(format!("{repo}:*"));
    let listed = docker.images().list(ImageListOptions::new().filters(filters.clone())).await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].id, original.id);
    // Only the tags the filter matched, not `keep` nor the image's own.
    assert_eq!(listed[0].repo_tags, std::slice::from_ref(&target), "{listed:?}");
    assert_eq!(docker.images().get(&target).inspect().await.unwrap().id, original.id);

    let removed = docker.images().get(&target).remove_with(ImageRemoveOptions::new()).await.unwrap();
    assert_eq!(removed.len(), 1, "only the tag goes: {removed:?}");
    assert_eq!(removed[0].untagged.as_deref(), Some(target.as_str()), "{removed:?}");
    assert_eq!(removed[0].deleted, None);

    let err = docker.images().get(&target).inspect().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(docker.images().list(ImageListOptions::new().filters(filters)).await.unwrap().is_empty());
    // The original is untouched.
    assert_eq!(docker.images().get(&keep).inspect().await.unwrap().id, original.id);
    docker.images().get(&keep).remove_with(ImageRemoveOptions::new()).await.unwrap();
}

#[tokio::test]
async fn images() {
    on_both!("images", scenario_images);
}

async fn scenario_commit(docker: &Docker, image: &str) {
    let base = docker.images().get(image).inspect().await.unwrap();
    let (c, name) = create(docker, container(image, "commit", &["sh", "-c", "echo committed > /note"])).await;
    assert_eq!(c.start().await.unwrap(), Change::Done);
    assert_eq!(c.wait().await.unwrap().status_code, 0);
    let target = format!("{}:v1", common::unique("scn-commit"));
    let opts = CommitOptions::new(&name)
        .reference(&target)
        .comment("add a note")
        .change(r#"CMD ["cat", "/note"]"#)
        .change("ENV STAGE=committed");
    let id = docker.images().commit(opts).await.unwrap();
    assert!(id.starts_with("sha256:") && id.len() == 71, "{id}");

    // One layer more than its parent, the container's writable layer.
    let img = docker.images().get(&target).inspect().await.unwrap();
    assert_eq!(
        (img.id.as_str(), img.parent.as_str(), img.comment.as_str()),
        (id.as_str(), base.id.as_str(), "add a note")
    );
    let layers = |i: &dockhand::models::ImageInspect| i.root_fs.as_ref().map_or(0, |r| r.layers.len());
    assert_eq!(layers(&img), layers(&base) + 1);
    let config = img.config.expect("a config");
    assert_eq!(config.cmd, ["cat", "/note"]);
    assert!(config.env.iter().any(|e| e == "STAGE=committed"), "{:?}", config.env);
    let history = docker.images().get(&target).history().await.unwrap();
    assert_eq!(
        (history[0].created_by.as_str(), history[0].comment.as_str()),
        ("sh -c echo committed > /note", "add a note")
    );

    // A container of the new image has the file and runs the new CMD.
    let run = ContainerCreate::new(&target)
        .name(common::unique("scn-commit"))
        .label(common::TEST_LABEL, "1")
        .network_mode("none");
    let (c2, _) = create(docker, run).await;
    assert_eq!(c2.start().await.unwrap(), Change::Done);
    assert_eq!(c2.wait().await.unwrap().status_code, 0);
    let logs: Vec<Output> = c2.logs(LogsOptions::new().stdout(true)).try_collect().await.unwrap();
    assert_eq!(joined(&logs, StdStream::Stdout), "committed\n");

    let missing = docker.images().commit(CommitOptions::new(format!("{name}-gone"))).await.unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
    remove(&c2).await;
    remove(&c).await;
    let removed = docker.images().get(&target).remove_with(ImageRemoveOptions::new()).await.unwrap();
    assert!(removed.iter().any(|r| r.deleted.as_deref() == Some(id.as_str())), "{removed:?}");
}

#[tokio::test]
async fn commit() {
    on_both!("commit", scenario_commit);
}

/// `--read-only`, `--tmpfs`, a read-only bind and `--add-host`: what a
/// container may write, and the names it resolves.
async fn scenario_read_only(docker: &Docker, image: &str) {
    let script = "touch /tmp/a && ls /tmp; touch /b; echo $?; echo x > /etc/hosts; echo $?; touch /h/x; echo $?; grep -c 'foo$' /etc/hosts";
    let spec = container(image, "readonly", &["sh", "-c", script])
        .read_only_rootfs(true)
        .tmpfs("/tmp", "")
        .bind("/tmp:/h:ro")
        .extra_host("foo:1.2.3.4");
    let (c, _) = create(docker, spec).await;
    assert_eq!(c.start().await.unwrap(), Change::Done);
    assert_eq!(c.wait().await.unwrap().status_code, 0);
    let logs: Vec<Output> = c.logs(LogsOptions::new().stdout(true).stderr(true)).try_collect().await.unwrap();
    assert_eq!(joined(&logs, StdStream::Stdout), "a\n1\n1\n1\n1\n");
    let errors = joined(&logs, StdStream::Stderr);
    for line in [
        "touch: /b: Read-only file system",
        "can't create /etc/hosts: Read-only file system",
        "touch: /h/x: Read-only file system",
    ] {
        assert!(errors.contains(line), "{line}: {errors}");
    }
    let hc = c.inspect().await.unwrap().host_config;
    assert!(hc.readonly_rootfs);
    assert_eq!(hc.extra_hosts, ["foo:1.2.3.4"]);
    assert!(hc.tmpfs.contains_key("/tmp"), "{:?}", hc.tmpfs);
    remove(&c).await;
}

#[tokio::test]
async fn read_only() {
    on_both!("readonly", scenario_read_only);
}

async fn scenario_list_filters(docker: &Docker, image: &str) {
    let mark = common::unique("scn-filters-mark");
    let mut marked = Vec::new();
    for _ in 0..2 {
        let (c, _) = create(docker, container(image, "filters", &["sleep", "30"]).label("dockhand.mark", &mark)).await;
        marked.push(c);
    }
    // One without the mark, and one with another value of the same key.
    let (other, _) = create(docker, container(image, "filters", &["sleep", "30"])).await;
    let (near, _) =
        create(docker, container(image, "filters", &["sleep", "30"]).label("dockhand.mark", format!("{mark}-x"))).await;

    let by_mark = |all: bool| {
        let filters = ContainerFilters::new().label(format!("dockhand.mark={mark}"));
        ContainerListOptions::new().all(all).filters(filters)
    };
    let mut want: Vec<String> = marked.iter().map(|c| c.id().to_owned()).collect();
    want.sort();

    // Created, not running: only `all` lists them.
    assert!(docker.containers().list(by_mark(false)).await.unwrap().is_empty());
    let mut got: Vec<String> =
        docker.containers().list(by_mark(true)).await.unwrap().into_iter().map(|c| c.id).collect();
    got.sort();
    assert_eq!(got, want);

    // Started: listed without `all` too.
    for c in &marked {
        assert!(c.start().await.unwrap().is_done());
    }
    let mut got: Vec<String> =
        docker.containers().list(by_mark(false)).await.unwrap().into_iter().map(|c| c.id).collect();
    got.sort();
    assert_eq!(got, want);

    for c in marked.iter().chain([&other, &near]) {
        remove(c).await;
    }
    assert!(docker.containers().list(by_mark(true)).await.unwrap().is_empty());
}

#[tokio::test]
async fn list_filters() {
    on_both!("filters", scenario_list_filters);
}

/// `--user` is looked up in the image's `/etc/passwd` and `/etc/group`; a
/// name they do not hold fails the start (500), and the container keeps the
/// error with exit code 128.
async fn scenario_users(docker: &Docker, image: &str) {
    for (user, id) in [
        ("nobody", "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n"),
        ("1000:1000", "uid=1000 gid=1000 groups=1000\n"),
        ("nobody:root", "uid=65534(nobody) gid=0(root) groups=0(root)\n"),
    ] {
        let (c, _) = create(docker, container(image, "users", &["id"]).user(user)).await;
        assert!(c.start().await.unwrap().is_done());
        assert_eq!(c.wait().await.unwrap().status_code, 0, "--user {user}");
        let items: Vec<Output> = c.logs(LogsOptions::new()).try_collect().await.unwrap();
        assert_eq!(joined(&items, StdStream::Stdout), id, "--user {user}");
        remove(&c).await;
    }
    // `id`'s flags pick one field, by number or with -n by name.
    let script = "id -u; id -g; id -un; id -gn; id -G; id -n; echo $?";
    let (c, _) = create(docker, container(image, "users", &["sh", "-c", script]).user("nobody")).await;
    assert!(c.start().await.unwrap().is_done());
    assert_eq!(c.wait().await.unwrap().status_code, 0);
    let items: Vec<Output> = c.logs(LogsOptions::new().stdout(true).stderr(true)).try_collect().await.unwrap();
    assert_eq!(joined(&items, StdStream::Stdout), "65534\n65534\nnobody\nnogroup\n65534\n1\n");
    assert!(joined(&items, StdStream::Stderr).contains("Usage: id [-ugGnr] [USER]"));
    remove(&c).await;
    let (c, _) = create(docker, container(image, "users", &["id"]).user("nosuchuser")).await;
    let err = c.start().await.unwrap_err();
    assert_eq!(err.status(), Some(500), "{err:?}");
    let message = &err.api().expect("an API error").message;
    assert!(message.contains("unable to find user nosuchuser: no matching entries in passwd file"), "{message}");
    let state = c.inspect().await.unwrap().state;
    assert_eq!((&state.status, state.exit_code), (&ContainerStateKind::Created, 128), "{state:?}");
    assert!(state.error.contains("unable to find user nosuchuser"), "{state:?}");
    remove(&c).await;
}

#[tokio::test]
async fn users() {
    on_both!("users", scenario_users);
}

/// A container created with an open stdin that nobody attaches to: `cat`
/// waits on that stdin, so the container runs and an exec works in it.
async fn scenario_open_stdin(docker: &Docker, image: &str) {
    let (c, _) = create(docker, container(image, "stdin", &["cat"]).open_stdin(true)).await;
    assert!(c.start().await.unwrap().is_done());
    let state = c.inspect().await.unwrap().state;
    assert_eq!((state.status.clone(), state.running), (ContainerStateKind::Running, true), "{state:?}");
    let exec = c.exec(&ExecOptions::new(["echo", "inside"]).attach_stdout(true)).await.expect("exec in it");
    let (stdout, _) = exec.start().await.unwrap().collect_output().await.unwrap();
    assert_eq!(&stdout[..], b"inside\n");
    assert!(c.inspect().await.unwrap().state.running, "an exec leaves the open stdin alone");
    remove(&c).await;
}

#[tokio::test]
async fn open_stdin() {
    on_both!("stdin", scenario_open_stdin);
}

/// An attach asking for the logs and no stream, on an exited container:
/// the output, then the end (dockerd closes at once).
async fn scenario_attach_logs_only(docker: &Docker, image: &str) {
    let (c, _) = create(docker, container(image, "attachlogs", &["echo", "said and done"])).await;
    assert!(c.start().await.unwrap().is_done());
    assert_eq!(c.wait().await.unwrap().status_code, 0);
    let attached = c.attach(AttachOptions::new().logs(true).stream(false).stdout(true)).await.unwrap();
    let read = tokio::time::timeout(Duration::from_secs(10), attached.collect_output()).await;
    let (stdout, _) = read.expect("the attach closes after the logs").unwrap();
    assert_eq!(&stdout[..], b"said and done\n");
    remove(&c).await;
}

#[tokio::test]
async fn attach_logs_only() {
    on_both!("attachlogs", scenario_attach_logs_only);
}

/// Legacy links on the default bridge: the linked container's variables
/// and `/etc/hosts` line in the linking one, `HostConfig.Links` as dockerd
/// writes it, and an exec as another user in a container with an added
/// group.
async fn scenario_links_and_users(docker: &Docker, image: &str) {
    let mut child = container(image, "links", SLEEPER).env("FOO=1").network_mode("bridge");
    child.host_config_mut().group_add = vec!["1000".into()];
    let (child, child_name) = create(docker, child).await;
    assert!(child.start().await.unwrap().is_done());
    let mut parent = container(image, "links", &["sh", "-c", "env; cat /etc/hosts"]).network_mode("bridge");
    parent.host_config_mut().links = vec![format!("{child_name}:my-db")];
    let (parent, parent_name) = create(docker, parent).await;
    assert!(parent.start().await.unwrap().is_done());
    assert_eq!(parent.wait().await.unwrap().status_code, 0);
    let items: Vec<Output> = parent.logs(LogsOptions::new()).try_collect().await.unwrap();
    let out = joined(&items, StdStream::Stdout);
    let ip = child.inspect().await.unwrap().network_settings.networks["bridge"].ip_address.clone();
    assert!(out.lines().any(|l| l == format!("MY_DB_NAME=/{parent_name}/my-db")), "{out}");
    assert!(out.lines().any(|l| l == "MY_DB_ENV_FOO=1"), "{out}");
    assert!(out.lines().any(|l| l.starts_with(&format!("{ip}\tmy-db ")) && l.ends_with(&child_name)), "{out}");
    let links = parent.inspect().await.unwrap().host_config.links;
    assert_eq!(links, vec![format!("/{child_name}:/{parent_name}/my-db")]);
    let exec = child.exec(&ExecOptions::new(["sh", "-c", "whoami; id -G"]).user("nobody").attach_stdout(true)).await;
    let (stdout, _) = exec.unwrap().start().await.unwrap().collect_output().await.unwrap();
    assert_eq!(String::from_utf8_lossy(&stdout), "nobody\n65534 1000\n");
    remove(&parent).await;
    remove(&child).await;
}

#[tokio::test]
async fn links_and_users() {
    on_both!("links", scenario_links_and_users);
}
