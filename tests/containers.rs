//! Container operations against the real daemon: lifecycle, typed errors,
//! hostile names, inspect, list, top, changes, stats, update, rename,
//! prune, archives, export, resize.
//!
//! Every container is named with `common::unique`, labelled
//! `dockhand.test=1`, and removed at the end of its test (also when the test
//! fails, by [`Cleanup`]).

mod common;

use common::{Cleanup, busybox, create};

use std::io::Read;
use std::time::Duration;

use dockhand::api::{
    ContainerCreate, ContainerFilters, ContainerListOptions, ContainerPruneFilters, ContainerRemoveOptions,
    ContainerUpdate, PutArchiveOptions, StopOptions,
};
use dockhand::models::{
    ContainerStateKind, FilesystemChangeKind, HealthConfig, HealthStatus, Mount, MountType, RestartPolicy,
    RestartPolicyName, WaitCondition,
};
use dockhand::{Change, Error};
use futures::{StreamExt, TryStreamExt};

/// Reads a tar stream into (path, contents) pairs.
fn tar_entries(tar: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(tar);
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let path = e.path().unwrap().to_string_lossy().into_owned();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (path, data)
        })
        .collect()
}

/// The containers the list shows for one id (all states).
async fn listed_by_id(docker: &dockhand::Docker, id: &str) -> Vec<dockhand::models::ContainerSummary> {
    docker.containers().list(ContainerListOptions::new().filters(ContainerFilters::new().id(id))).await.unwrap()
}

async fn collect(stream: futures::stream::BoxStream<'static, dockhand::Result<bytes::Bytes>>) -> Vec<u8> {
    stream.map_ok(|b| b.to_vec()).try_concat().await.expect("stream")
}

/// Exits 3 on SIGTERM (as PID 1, sh ignores it otherwise).
const TRAP_TERM: &[&str] = &["sh", "-c", "trap 'exit 3' TERM; while true; do sleep 0.2; done"];

#[tokio::test]
async fn lifecycle_with_unchanged_states_signals_and_exit_codes() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let c = create(&docker, &mut cleanup, busybox(image, "life", TRAP_TERM)).await;

    assert_eq!(c.inspect().await.unwrap().state.status, ContainerStateKind::Created);
    assert_eq!(c.start().await.unwrap(), Change::Done);
    // Starting a running container is visible, and not an error.
    assert_eq!(c.start().await.unwrap(), Change::Unchanged);
    let state = c.inspect().await.unwrap().state;
    assert!(state.running && state.pid > 0 && state.started_at.is_some(), "{state:?}");

    assert!(c.pause().await.unwrap().is_done());
    let state = c.inspect().await.unwrap().state;
    assert!(state.paused && state.status == ContainerStateKind::Paused, "{state:?}");
    let podman = common::is_podman(&docker).await;
    // Pausing twice: dockerd's 409; Podman's 500 "... is already paused:
    // container state improper".
    let err = c.pause().await.unwrap_err();
    assert!(common::is_state_conflict(podman, &err), "{err:?}");
    assert!(c.unpause().await.unwrap().is_done());

    // stop sends SIGTERM: the trap exits 3.
    assert_eq!(c.stop_with(StopOptions::new().timeout(Duration::from_secs(10))).await.unwrap(), Change::Done);
    assert_eq!(c.stop().await.unwrap(), Change::Unchanged);
    assert_eq!(c.wait().await.unwrap().status_code, 3);
    let state = c.inspect().await.unwrap().state;
    assert_eq!((state.status, state.exit_code, state.running), (ContainerStateKind::Exited, 3, false));
    assert!(state.finished_at >= state.started_at);

    assert!(c.restart().await.unwrap().is_done());
    assert!(c.inspect().await.unwrap().state.running);

    // kill with SIGTERM: the trap's exit code.
    assert!(c.kill_with("SIGTERM").await.unwrap().is_done());
    assert_eq!(c.wait_until(WaitCondition::NotRunning).await.unwrap().status_code, 3);

    // next-exit registered before the start sees the SIGKILL: 128 + 9.
    let next_exit = tokio::spawn({
        let c = c.clone();
        async move { c.wait_until(WaitCondition::NextExit).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.start().await.unwrap();
    let err = c.kill_with("NOSUCHSIGNAL").await.unwrap_err();
    assert!(err.is_bad_request() || err.is_server_error(), "{err:?}");
    assert!(c.kill().await.unwrap().is_done());
    let exit = tokio::time::timeout(Duration::from_secs(20), next_exit).await.unwrap().unwrap().unwrap();
    assert_eq!(exit.status_code, 137);
    assert!(exit.error.as_ref().is_none_or(|e| e.message.is_empty()), "{exit:?}");
    let err = c.kill().await.unwrap_err(); // not running
    assert!(common::is_state_conflict(podman, &err), "{err:?}");

    // removed: the wait ends when the container goes.
    let removed = tokio::spawn({
        let c = c.clone();
        async move { c.wait_until(WaitCondition::Removed).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.remove_with(ContainerRemoveOptions::new()).await.unwrap();
    tokio::time::timeout(Duration::from_secs(20), removed).await.unwrap().unwrap().unwrap();
    let err = c.inspect().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

/// A wait registered with `register_wait` before `start` sees the exit of a
/// container that exits at once, every time: the daemon has the wait before
/// the start is sent. (The lazy `wait_until(NextExit)` future, created
/// before `start` but first polled after it, sends its request after the
/// exit and waits for an exit that never comes.)
#[tokio::test]
async fn a_wait_registered_before_start_sees_an_immediate_exit() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let c = create(&docker, &mut cleanup, busybox(image, "quick", &["sh", "-c", "exit 4"])).await;
    for round in 0..5 {
        let exit = c.register_wait(WaitCondition::NextExit).await.unwrap();
        c.start().await.unwrap();
        let exit = tokio::time::timeout(Duration::from_secs(20), exit)
            .await
            .unwrap_or_else(|_| panic!("round {round}: the exit was missed"))
            .unwrap();
        assert_eq!(exit.status_code, 4, "round {round}");
    }
    // The future is 'static: it can be spawned and outlive the handle.
    let exit = docker.containers().get(c.id()).register_wait(WaitCondition::Removed).await.unwrap();
    let waiter = tokio::spawn(exit);
    c.remove_with(ContainerRemoveOptions::new()).await.unwrap();
    tokio::time::timeout(Duration::from_secs(20), waiter).await.unwrap().unwrap().unwrap();
}

#[tokio::test]
async fn wait_is_not_cut_by_the_response_timeout() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let c = create(&docker, &mut cleanup, busybox(image, "wait", &["sh", "-c", "sleep 2; exit 5"])).await;
    c.start().await.unwrap();
    // dockerd (API >= 1.30) sends the headers of a wait at once and the
    // body when the container exits; neither timeout may cut it.
    let short = docker.with_response_timeout(Some(Duration::from_millis(500)));
    let c = short.containers().get(c.id());
    let started = std::time::Instant::now();
    assert_eq!(c.wait().await.unwrap().status_code, 5);
    assert!(started.elapsed() > Duration::from_secs(1), "the wait returned before the exit");
}

/// Handle methods return futures that own what they need: one built from
/// a temporary client (`with_idle_timeout(..)` returns a new `Docker`) can be
/// stored and spawned (this did not compile while they borrowed the
/// handle), and an explicit idle timeout is what bounds a wait.
#[tokio::test]
async fn a_wait_from_a_temporary_handle_is_bounded_by_its_idle_timeout() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let c = create(&docker, &mut cleanup, busybox(image, "bounded", &["sleep", "30"])).await;
    c.start().await.unwrap();
    let wait = docker.with_idle_timeout(Some(Duration::from_millis(700))).containers().get(c.id()).wait();
    let started = std::time::Instant::now();
    let err = tokio::spawn(wait).await.unwrap().unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(20), "the idle timeout did not cut the wait");
    c.kill().await.unwrap();
}

#[tokio::test]
async fn stop_grace_period_extends_the_response_timeout() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    // sh as PID 1 without a trap ignores SIGTERM: stop waits out the grace
    // period, then kills.
    let c =
        create(&docker, &mut cleanup, busybox(image, "grace", &["sh", "-c", "while true; do sleep 0.2; done"])).await;
    c.start().await.unwrap();
    // The response timeout is shorter than the grace period, so the stop
    // only succeeds if the grace period extends it; it leaves the daemon
    // two seconds past the grace period to kill (a loaded CI machine's
    // dockerd 20.10 once took more than half a second).
    let short = docker.with_response_timeout(Some(Duration::from_secs(2)));
    let c = short.containers().get(c.id());
    let started = std::time::Instant::now();
    let stopped = c.stop_with(StopOptions::new().timeout(Duration::from_secs(3))).await.unwrap();
    assert_eq!(stopped, Change::Done);
    assert!(started.elapsed() >= Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(c.wait().await.unwrap().status_code, 137);
}

#[tokio::test]
async fn typed_errors_carry_the_daemons_message() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());

    let missing = common::unique("missing");
    let err = docker.containers().get(&missing).inspect().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let api = err.api().unwrap();
    assert!(api.message.contains(&missing) && api.path.ends_with("/json"), "{api:?}");

    let name = common::unique("conflict");
    let c = create(&docker, &mut cleanup, busybox(image, "x", &["sleep", "30"]).name(&name)).await;
    let err = docker.containers().create(busybox(image, "x", &["true"]).name(&name)).await.unwrap_err();
    if common::is_podman(&docker).await {
        // Podman: a 500, "... that name is already in use".
        assert!(err.is_server_error() && err.to_string().contains("already in use"), "{err:?}");
    } else {
        assert!(err.is_conflict(), "{err:?}");
        // dockerd's own words say what to do; no hint repeats them.
        assert!(err.to_string().contains(&name) && err.to_string().contains("remove (or rename)"), "{err}");
    }
    assert!(err.to_string().contains(&name), "{err}");
    assert_eq!(err.api().unwrap().hint, None, "{err}");

    c.start().await.unwrap();
    let err = c.remove_with(ContainerRemoveOptions::new()).await.unwrap_err();
    assert!(common::is_state_conflict(common::is_podman(&docker).await, &err), "{err:?}");
    assert!(err.api().unwrap().message.contains("running"), "{err}");
    c.remove_with(ContainerRemoveOptions::new().force(true)).await.unwrap();

    let err = docker.containers().create(ContainerCreate::new(common::unique("no-such-image"))).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn hostile_names_cannot_reach_other_endpoints() {
    let Some(docker) = common::daemon().await else { return };
    // Rejected before anything is sent.
    for bad in ["../images/json", "..", "x/../../info", ""] {
        let err = docker.containers().get(bad).inspect().await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{bad:?}: {err:?}");
        let err =
            docker.containers().get(bad).remove_with(ContainerRemoveOptions::new().force(true)).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{bad:?}: {err:?}");
    }
    // A hostile name at create or rename goes in the query, encoded; the
    // daemon refuses it and nothing is created.
    let image = common::busybox_image(&docker).await;
    // dockerd: "Invalid container name"; Podman: "names must match ...".
    let refusal = if common::is_podman(&docker).await { "names must match" } else { "Invalid container name" };
    for bad in ["../x", "a b?c#d", "ünï"] {
        let err = docker.containers().create(ContainerCreate::new(image).name(bad)).await.unwrap_err();
        assert!(err.is_bad_request() || err.is_server_error(), "{bad:?}: {err:?}");
        assert!(err.to_string().contains(refusal), "{bad:?}: {err}");
    }
    // Encoded: the daemon looks for a container by exactly that name.
    for odd in ["a b?c#d", "ünïcødé", "x?all=1", "a/b", "%2e%2e", "images#json"] {
        let err = docker.containers().get(odd).inspect().await.unwrap_err();
        assert!(err.is_not_found(), "{odd:?}: {err:?}");
        let message = &err.api().unwrap().message;
        // dockerd: "No such container: NAME"; Podman: "no container with
        // name or ID "NAME" found: no such container".
        let said = message.to_lowercase().contains("no such container");
        assert!(said && message.contains(odd), "{odd:?}: {message}");
    }
}

#[tokio::test]
async fn create_config_is_seen_in_inspect() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let config = busybox(image, "inspect", &["sleep", "30"])
        .env("GREETING=hello")
        .label("dockhand.role", "inspect")
        .working_dir("/tmp")
        .user("65534")
        .hostname("boxy")
        .stop_signal("SIGINT")
        .stop_timeout(Duration::from_secs(4))
        .network_mode("bridge")
        .publish("8080/tcp", "127.0.0.1", "")
        .memory(64 << 20)
        .pids_limit(64)
        .restart_policy(RestartPolicy::on_failure(2))
        .tmpfs("/scratch", "size=1m")
        .mount(Mount::tmpfs("/cache").tmpfs_size(1 << 20))
        .extra_host("dockhand.invalid:127.0.0.2")
        .cap_drop("NET_RAW")
        .read_only_rootfs(true)
        .init(true)
        .healthcheck(HealthConfig::cmd(["true"]).interval(Duration::from_secs(1)).retries(2));
    let c = create(&docker, &mut cleanup, config).await;
    c.start().await.unwrap();

    let i = c.inspect_with(dockhand::api::ContainerInspectOptions::new().size(true)).await.unwrap();
    assert!(i.name().starts_with("dockhand-inspect-"), "{}", i.name);
    assert!(i.created.is_some() && i.state.running && i.image.starts_with("sha256:"));
    let podman = common::is_podman(&docker).await;
    if podman {
        // Podman writes the image's full name.
        assert_eq!(i.config.image, format!("docker.io/{image}"));
    } else {
        assert_eq!(i.config.image, image);
    }
    assert_eq!(i.config.cmd, ["sleep", "30"]);
    assert!(i.config.env.iter().any(|e| e == "GREETING=hello"), "{:?}", i.config.env);
    assert_eq!(i.config.labels.get("dockhand.role").map(String::as_str), Some("inspect"));
    assert_eq!((i.config.working_dir.as_str(), i.config.user.as_str()), ("/tmp", "65534"));
    // Podman keeps the stop signal as its number.
    let sigint = if podman { "2" } else { "SIGINT" };
    assert_eq!((i.config.hostname.as_str(), i.config.stop_signal.as_str()), ("boxy", sigint));
    assert_eq!(i.config.stop_timeout, Some(4));
    assert!(i.config.exposed_ports.contains("8080/tcp"));
    let h = &i.host_config;
    assert_eq!(h.resources.memory, Some(64 << 20));
    assert_eq!(h.resources.pids_limit, Some(64));
    assert_eq!(h.resources.init, Some(true));
    let policy = h.restart_policy.clone().unwrap();
    assert_eq!((policy.name, policy.maximum_retry_count), (RestartPolicyName::OnFailure, 2));
    // Podman adds its defaults to the options given.
    let scratch = h.tmpfs.get("/scratch").map(String::as_str).unwrap_or_default();
    assert!(if podman { scratch.starts_with("size=1m,") } else { scratch == "size=1m" }, "{scratch}");
    assert_eq!(h.extra_hosts, ["dockhand.invalid:127.0.0.2"]);
    if podman {
        // Podman adds its default drops (AUDIT_WRITE, MKNOD).
        assert!(h.cap_drop.iter().any(|c| c == "NET_RAW"), "{:?}", h.cap_drop);
    } else {
        assert_eq!(h.cap_drop, ["NET_RAW"]);
    }
    assert!(h.readonly_rootfs);
    if podman {
        // Podman's HostConfig has no Mounts; the container's Mounts do.
        assert!(h.mounts.is_empty(), "{:?}", h.mounts);
    } else {
        assert_eq!(h.mounts[0].tmpfs_options.as_ref().and_then(|t| t.size_bytes), Some(1 << 20));
    }
    if podman {
        // Podman lists no tmpfs mount in the container's Mounts.
        assert!(!i.mounts.iter().any(|m| m.destination == "/cache"), "{:?}", i.mounts);
    } else {
        let cache = i.mounts.iter().find(|m| m.destination == "/cache").expect("the tmpfs mount");
        assert!(cache.typ == MountType::Tmpfs && cache.rw, "{cache:?}");
    }
    assert_eq!(h.port_bindings["8080/tcp"][0].host_ip, "127.0.0.1");
    // The daemon picked a host port and says so.
    let published = &i.network_settings.ports["8080/tcp"];
    assert!(published.iter().any(|b| b.host_port.parse::<u16>().is_ok_and(|p| p > 0)), "{published:?}");
    assert!(i.size_rw.is_some() && i.size_root_fs.unwrap_or(0) > 0, "{:?} {:?}", i.size_rw, i.size_root_fs);
    let hc = i.config.healthcheck.as_ref().map(|hc| hc.test.clone()).unwrap_or_default();
    assert!(hc == ["CMD", "true"] || (podman && hc == ["CMD-SHELL", "true"]), "{hc:?}");
    assert!(i.state.health.is_some(), "a health check gives a health state");
    if podman {
        // Podman runs health checks from systemd timers: without systemd
        // (as here) the state stays "starting". The list agrees, on its
        // default network "podman".
        tokio::time::sleep(Duration::from_secs(3)).await;
        let health = c.inspect().await.unwrap().state.health.map(|h| h.status);
        assert_eq!(health, Some(HealthStatus::Starting));
        let listed = listed_by_id(&docker, c.id()).await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].state, ContainerStateKind::Running);
        assert!(listed[0].ports.iter().any(|p| p.private_port == 8080 && p.public_port.is_some()), "{listed:?}");
        assert!(listed[0].network_settings.networks.contains_key("podman"), "{:?}", listed[0]);
        return;
    }

    // The health check passes within a few intervals, and the list's
    // health filter sees it.
    let mut health = None;
    for _ in 0..60 {
        health = c.inspect().await.unwrap().state.health.map(|h| h.status);
        if health == Some(HealthStatus::Healthy) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(health, Some(HealthStatus::Healthy));
    let healthy = docker
        .containers()
        .list(ContainerListOptions::new().filters(ContainerFilters::new().id(c.id()).health(HealthStatus::Healthy)))
        .await
        .unwrap();
    assert_eq!(healthy.len(), 1);

    // The summary in the list agrees.
    let listed = listed_by_id(&docker, c.id()).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, ContainerStateKind::Running);
    assert!(listed[0].ports.iter().any(|p| p.private_port == 8080 && p.public_port.is_some()), "{:?}", listed[0]);
    assert!(listed[0].network_settings.networks.contains_key("bridge"), "{:?}", listed[0]);
    assert!(listed[0].mounts.iter().any(|m| m.destination == "/cache"), "{:?}", listed[0].mounts);
}

#[tokio::test]
async fn list_filters_by_label_status_and_name() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let group = common::unique("group");
    let running =
        create(&docker, &mut cleanup, busybox(image, "list", &["sleep", "30"]).label("dockhand.group", &group)).await;
    let created =
        create(&docker, &mut cleanup, busybox(image, "list", &["true"]).label("dockhand.group", &group)).await;
    running.start().await.unwrap();

    let label = ContainerFilters::new().label(format!("dockhand.group={group}"));
    let all = docker.containers().list(ContainerListOptions::new().all(true).filters(label.clone())).await.unwrap();
    let mut ids: Vec<_> = all.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    let mut want = vec![running.id(), created.id()];
    want.sort();
    assert_eq!(ids, want);
    // Podman's list has no HostConfig: the network mode reads as "".
    let mode = if common::is_podman(&docker).await { "" } else { "none" };
    assert!(all.iter().all(|c| c.host_config.network_mode == mode), "{all:?}");

    let only_running = docker.containers().list(ContainerListOptions::new().filters(label.clone())).await.unwrap();
    assert_eq!(only_running.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [running.id()]);

    let by_status = docker
        .containers()
        .list(ContainerListOptions::new().all(true).filters(label.clone().status(ContainerStateKind::Created)))
        .await
        .unwrap();
    assert_eq!(by_status.len(), 1);
    assert_eq!(by_status[0].id, created.id());
    assert_eq!(by_status[0].labels.get("dockhand.group"), Some(&group));

    let failed =
        create(&docker, &mut cleanup, busybox(image, "list", &["sh", "-c", "exit 3"]).label("dockhand.group", &group))
            .await;
    failed.start().await.unwrap();
    assert_eq!(failed.wait().await.unwrap().status_code, 3);
    // 26.1 and 28.5 may answer `wait` before the list's view of the
    // container has its exit code (20.10 had it): the list catches up within
    // moments, so ask again for up to 5 s.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let exited = loop {
        let exited = docker
            .containers()
            .list(ContainerListOptions::new().all(true).filters(label.clone().exited(3)))
            .await
            .unwrap();
        if !exited.is_empty() || std::time::Instant::now() > deadline {
            break exited;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(exited.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [failed.id()]);
    assert_eq!(exited[0].state, ContainerStateKind::Exited);

    let name = created.inspect().await.unwrap().name().to_owned();
    // dockerd matches the name with its leading "/", Podman without.
    let pattern = if common::is_podman(&docker).await { format!("^{name}$") } else { format!("^/{name}$") };
    let by_name = docker
        .containers()
        .list(ContainerListOptions::new().all(true).filters(ContainerFilters::new().name(pattern)))
        .await
        .unwrap();
    assert_eq!(by_name.len(), 1);
    assert_eq!(by_name[0].name(), Some(name.as_str()));
}

#[tokio::test]
async fn top_changes_and_stats_of_a_running_container() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let c = create(
        &docker,
        &mut cleanup,
        busybox(image, "top", &["sh", "-c", "echo hi > /tmp/new.txt; rm /etc/group; exec sleep 60"]),
    )
    .await;
    c.start().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;

    let top = c.top().await.unwrap();
    let podman = common::is_podman(&docker).await;
    if podman {
        // Podman 4.3 runs ps in the container and sends each line whole:
        // one title "PID   USER     COMMAND", one field per process.
        assert_eq!(top.titles.len(), 1, "{top:?}");
        assert!(top.titles[0].starts_with("PID") && top.titles[0].ends_with("COMMAND"), "{top:?}");
        assert!(top.processes.iter().any(|p| p.len() == 1 && p[0].contains("sleep 60")), "{top:?}");
        let top = c.top_with(dockhand::api::TopOptions::new().ps_args("-o pid,comm")).await.unwrap();
        assert_eq!(top.titles.len(), 1, "{top:?}");
        assert!(top.titles[0].starts_with("PID") && top.titles[0].ends_with("COMMAND"), "{top:?}");
    } else {
        assert!(top.titles.iter().any(|t| t == "CMD"), "{top:?}");
        assert!(top.column("CMD").any(|cmd| cmd.contains("sleep 60")), "{top:?}");
        let top = c.top_with(dockhand::api::TopOptions::new().ps_args("-o pid,comm")).await.unwrap();
        assert_eq!(top.titles, ["PID", "COMMAND"]);
    }

    let changes = c.changes().await.unwrap();
    let kind = |p: &str| changes.iter().find(|ch| ch.path == p).map(|ch| ch.kind);
    assert_eq!(kind("/tmp/new.txt"), Some(FilesystemChangeKind::Added), "{changes:?}");
    assert_eq!(kind("/tmp"), Some(FilesystemChangeKind::Modified), "{changes:?}");
    assert_eq!(kind("/etc/group"), Some(FilesystemChangeKind::Deleted), "{changes:?}");

    let one = c.stats_without_cpu().await.unwrap();
    assert!(one.memory_stats.usage.unwrap_or(0) > 0, "{:?}", one.memory_stats);
    assert!(one.memory_usage().unwrap() > 0 && one.memory_percent().unwrap() > 0.0);
    assert!(one.pids_stats.current.unwrap_or(0) >= 1);
    assert!(one.read.is_some());
    let name = c.inspect().await.unwrap().name().to_owned();
    let daemon = common::daemon_version(&docker).await;
    if daemon.at_least(26) {
        // 26.1 and 28.5 leave the container's name and id out of a one-shot
        // sample (20.10 wrote them); the sample with CPU figures has them.
        assert!(one.name.is_empty() && one.id.is_empty(), "{} wrote {:?} {:?}", daemon.engine, one.name, one.id);
    } else {
        assert!(one.name.ends_with(&name), "{} wrote {:?}", daemon.engine, one.name);
    }

    let once = c.stats_with_cpu().await.unwrap();
    assert!(once.name.ends_with(&name) && once.id == c.id(), "{:?} {:?}", once.name, once.id);
    if podman {
        // Podman answers stream=0 at once, without a previous sample.
        assert_eq!(once.cpu_percent(), None, "{:?}", once.precpu_stats);
    } else {
        let cpu = once.cpu_percent().expect("two samples give a CPU figure");
        assert!((0.0..=100.0 * 64.0).contains(&cpu), "{cpu}");
    }

    let samples: Vec<_> = c.stats().take(2).try_collect().await.unwrap();
    assert_eq!(samples.len(), 2);
    assert!(samples[1].read > samples[0].read);
}

#[tokio::test]
async fn update_rename_and_prune() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let c = create(&docker, &mut cleanup, busybox(image, "update", &["sleep", "30"]).memory(64 << 20)).await;
    c.start().await.unwrap();
    if common::is_podman(&docker).await {
        // Podman 4.3 has no POST /containers/{id}/update: a 404.
        let err = c.update(ContainerUpdate::new().memory(96 << 20)).await.unwrap_err();
        assert!(err.is_not_found(), "{err:?}");
    } else {
        let update = ContainerUpdate::new()
            .memory(96 << 20)
            .memory_swap(192 << 20)
            .restart_policy(RestartPolicy::unless_stopped());
        let answer = c.update(update).await.unwrap();
        assert!(answer.warnings.iter().all(|w| !w.is_empty()), "{answer:?}");
        let h = c.inspect().await.unwrap().host_config;
        assert_eq!((h.resources.memory, h.resources.memory_swap), (Some(96 << 20), Some(192 << 20)));
        assert_eq!(h.restart_policy.unwrap().name, RestartPolicyName::UnlessStopped);
        let err = c.update(ContainerUpdate::new().memory(1)).await.unwrap_err();
        assert!(err.is_bad_request() || err.is_server_error(), "{err:?}");
    }

    let new_name = common::unique("renamed");
    c.rename(&new_name).await.unwrap();
    assert_eq!(docker.containers().get(&new_name).inspect().await.unwrap().id, c.id());

    // Prune only what carries this test's unique label.
    let tag = common::unique("prune");
    let doomed = create(&docker, &mut cleanup, busybox(image, "prune", &["true"]).label("dockhand.prune", &tag)).await;
    let kept = create(&docker, &mut cleanup, busybox(image, "prune", &["true"]).label("dockhand.prune", "other")).await;
    let report =
        docker.containers().prune(ContainerPruneFilters::new().label(format!("dockhand.prune={tag}"))).await.unwrap();
    assert_eq!(report.containers_deleted, [doomed.id()]);
    assert!(doomed.inspect().await.unwrap_err().is_not_found());
    assert!(kept.inspect().await.is_ok());
    assert!(c.inspect().await.is_ok(), "a running container is never pruned");
}

fn tar_with(path: &str, data: &[u8], mode: u32) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_mode(mode);
    h.set_size(data.len() as u64);
    h.set_mtime(1_700_000_000);
    tar.append_data(&mut h, path, data).unwrap();
    tar.into_inner().unwrap()
}

#[tokio::test]
async fn archive_put_get_head_and_export() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    // Archives work on a container that never started.
    let c = create(&docker, &mut cleanup, busybox(image, "archive", &["true"])).await;

    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let tar = tar_with("dir/payload.bin", &data, 0o640);
    // A streamed body, in small pieces.
    let chunks: Vec<dockhand::Result<bytes::Bytes>> =
        tar.chunks(7000).map(|c| Ok(bytes::Bytes::copy_from_slice(c))).collect();
    c.put_archive("/tmp", PutArchiveOptions::new(), dockhand::Body::from_result_stream(futures::stream::iter(chunks)))
        .await
        .unwrap();

    let stat = c.archive_info("/tmp/dir/payload.bin").await.unwrap();
    assert_eq!((stat.name.as_str(), stat.size, stat.permissions()), ("payload.bin", data.len() as i64, 0o640));
    assert!(stat.is_file() && !stat.is_dir());
    assert_eq!(stat.mtime.map(|t| t.unix_timestamp()), Some(1_700_000_000));
    assert!(c.archive_info("/tmp/dir").await.unwrap().is_dir());
    let link = c.archive_info("/bin/sh").await.unwrap();
    assert!(link.is_symlink() && link.link_target.ends_with("busybox"), "{link:?}");

    let archive = c.get_archive("/tmp/dir/payload.bin").await.unwrap();
    assert_eq!(archive.stat, stat);
    let entries = tar_entries(&collect(archive.tar).await);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "payload.bin");
    assert!(entries[0].1 == data, "the bytes came back changed");

    let err = c.archive_info("/no/such/path").await.unwrap_err();
    assert!(err.is_not_found() && err.to_string().contains("/no/such/path"), "{err}");
    let err = c.get_archive("/no/such/path").await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let put = c.put_archive("/no/such/dir", PutArchiveOptions::new(), tar.clone().into()).await;
    if common::is_podman(&docker).await {
        // Podman makes the missing folders and extracts there.
        put.unwrap();
        assert!(c.archive_info("/no/such/dir/dir/payload.bin").await.unwrap().is_file());
    } else {
        assert!(put.unwrap_err().is_not_found());
    }
    // A file over a directory, refused when asked to.
    let clash = tar_with("dir", b"not a dir", 0o644);
    let err =
        c.put_archive("/tmp", PutArchiveOptions::new().no_overwrite_dir_non_dir(true), clash.into()).await.unwrap_err();
    assert!(err.is_bad_request() || err.is_conflict() || err.is_server_error(), "{err:?}");

    let exported = collect(c.export()).await;
    let entries = tar_entries(&exported);
    let busybox = entries.iter().find(|(p, _)| p == "bin/busybox").expect("bin/busybox in the export");
    assert_eq!(busybox.1, std::fs::read(common::busybox_binary()).unwrap());
    assert!(entries.iter().any(|(p, d)| p == "tmp/dir/payload.bin" && *d == data));
}

#[tokio::test]
async fn resize_changes_the_tty_size() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let c = create(
        &docker,
        &mut cleanup,
        busybox(image, "tty", &["sh", "-c", "while true; do stty size > /tmp/size.txt; sleep 0.1; done"]).tty(true),
    )
    .await;
    c.start().await.unwrap();
    c.resize(dockhand::api::TtySize { height: 33, width: 111 }).await.unwrap();
    let mut seen = String::new();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let Ok(archive) = c.get_archive("/tmp/size.txt").await else { continue };
        let entries = tar_entries(&collect(archive.tar).await);
        seen = String::from_utf8_lossy(&entries[0].1).trim().to_owned();
        if seen == "33 111" {
            break;
        }
    }
    assert_eq!(seen, "33 111");
}

#[tokio::test]
async fn cpu_percent_of_a_busy_container() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    // One busy loop, capped at half a CPU so it stays polite on a shared host.
    let c = create(
        &docker,
        &mut cleanup,
        busybox(image, "busy", &["sh", "-c", "while :; do :; done"]).nano_cpus(500_000_000),
    )
    .await;
    c.start().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stats = c.stats_with_cpu().await.unwrap();
    if common::is_podman(&docker).await {
        // Podman answers `stream=0` at once, without a previous sample.
        assert_eq!(stats.precpu_stats.cpu_usage.total_usage, 0, "{:?}", stats.precpu_stats);
        assert_eq!(stats.cpu_percent(), None);
        assert!(stats.cpu_stats.cpu_usage.total_usage > 0, "{:?}", stats.cpu_stats);
        return;
    }
    let cpu = stats.cpu_percent().expect("a CPU figure");
    // Near 50% of one CPU; the host may be busy, so only bound it loosely.
    assert!((5.0..=60.0).contains(&cpu), "{cpu}% {:?} {:?}", stats.cpu_stats, stats.precpu_stats);
    c.kill().await.unwrap();
}
