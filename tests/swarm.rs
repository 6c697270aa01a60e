//! Swarm mode against the real daemon: init, nodes, secrets, configs, a
//! replicated service scaled and updated, its tasks and logs, autolock and
//! the unlock key, leave.
//!
//! Swarm state is global to the daemon, so everything happens in ONE test
//! function, and a guard leaves the swarm (force) even when an assertion
//! fails. The swarm listens and advertises on 127.0.0.1 only.

mod common;

use std::time::{Duration, Instant};

use dockhand::Docker;
use dockhand::api::{
    ConfigFilters, NodeFilters, SecretFilters, ServiceFilters, ServiceUpdateOptions, SwarmLogsOptions,
    SwarmUpdateOptions, TaskFilters,
};
use dockhand::models::{
    ConfigReferenceSpec, ConfigSpec, ContainerSpec, LocalNodeState, NodeAvailability, NodeRole, SecretReference,
    SecretSpec, ServiceSpec, SwarmInitRequest, TaskState, UnlockKey, UpdateConfig,
};
use dockhand::stream::StdStream;
use futures::TryStreamExt;

/// Leaves the swarm (force) when dropped, from a runtime of its own, so a
/// failed assertion does not leave the shared daemon in swarm mode.
struct LeaveOnDrop {
    armed: bool,
}

impl Drop for LeaveOnDrop {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let result = std::thread::spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let docker = Docker::from_env()?;
                docker.swarm().leave_with(dockhand::api::SwarmLeaveOptions::new().force(true)).await
            })
        })
        .join();
        eprintln!("swarm guard: leave --force: {result:?}");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Polls `check` every 300 ms until it returns `Some`, or panics after
/// `limit` with `what`.
async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(start.elapsed() < limit, "timed out after {limit:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The text of a service's logs, with a check that every item came from
/// stdout (the service has no TTY, so its log stream is multiplexed).
async fn service_logs(docker: &Docker, service: &str) -> String {
    let items: Vec<_> = docker.services().get(service).logs(SwarmLogsOptions::both()).try_collect().await.unwrap();
    assert!(items.iter().all(|o| o.stream == StdStream::Stdout), "{items:?}");
    items.iter().map(|o| o.text().into_owned()).collect()
}

async fn running_tasks(docker: &Docker, service: &str) -> Vec<dockhand::models::Task> {
    let tasks =
        docker.tasks().list(TaskFilters::new().service(service).desired_state("running")).await.expect("task list");
    tasks.into_iter().filter(|t| t.status.state == TaskState::Running).collect()
}

async fn scale(docker: &Docker, service: &str, replicas: u64) {
    let handle = docker.services().get(service);
    let current = handle.inspect().await.unwrap();
    handle.update(current.version, current.spec.replicas(replicas), ServiceUpdateOptions::new()).await.unwrap();
    let want = replicas as usize;
    eventually(&format!("{want} running tasks of {service}"), Duration::from_secs(90), || async {
        let running = running_tasks(docker, service).await;
        let all = docker.tasks().list(TaskFilters::new().service(service).desired_state("running")).await.unwrap();
        (running.len() == want && all.len() == want).then_some(())
    })
    .await;
}

#[tokio::test]
async fn swarm_lifecycle() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;

    let info = docker.info().await.unwrap();
    assert_eq!(
        info.swarm.local_node_state,
        LocalNodeState::Inactive,
        "the daemon is already in a swarm that this test did not create; refusing to touch it"
    );

    // Not a swarm yet: a typed error, not a decode failure.
    let err = docker.swarm().inspect().await.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    assert!(err.is_server_error());

    // init on loopback only.
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut guard = LeaveOnDrop { armed: true };
    let node_id = docker.swarm().init(SwarmInitRequest::new(&addr).advertise_addr(&addr)).await.unwrap();
    assert!(!node_id.is_empty());

    let again = docker.swarm().init(SwarmInitRequest::new(&addr).advertise_addr(&addr)).await.unwrap_err();
    assert!(again.status().is_some(), "a second init is an API error: {again}");

    let swarm = docker.swarm().inspect().await.unwrap();
    assert!(!swarm.id.is_empty());
    assert!(swarm.join_tokens.worker.starts_with("SWMTKN-"));
    assert!(!format!("{swarm:?}").contains("SWMTKN-"), "join tokens must not reach Debug");
    // The `Swarm` header of /_ping exists from API 1.44 on (20.10 has none).
    if let Some(status) = docker.ping().await.unwrap().swarm {
        assert!(status.manager && status.state == LocalNodeState::Active, "{status:?}");
    }
    let info = docker.info().await.unwrap();
    assert_eq!(info.swarm.local_node_state, LocalNodeState::Active);
    assert!(info.swarm.control_available);

    // Rotating the worker token changes it (an update that needs the version).
    docker
        .swarm()
        .update(swarm.version, swarm.spec.clone(), SwarmUpdateOptions::new().rotate_worker_token(true))
        .await
        .unwrap();
    let rotated = docker.swarm().inspect().await.unwrap();
    assert_ne!(rotated.join_tokens.worker, swarm.join_tokens.worker);
    assert_eq!(rotated.join_tokens.manager, swarm.join_tokens.manager);
    // A stale version is refused.
    let stale = docker.swarm().update(swarm.version, swarm.spec.clone(), SwarmUpdateOptions::new()).await;
    assert!(stale.unwrap_err().status().is_some());

    // Nodes: one manager, the leader; labels through update.
    let nodes = docker.nodes().list(NodeFilters::new().role("manager")).await.unwrap();
    assert_eq!(nodes.len(), 1);
    let node = &nodes[0];
    assert_eq!(node.id, node_id);
    assert_eq!(node.spec.role, NodeRole::Manager);
    assert!(node.manager_status.as_ref().unwrap().leader);
    let spec = node.spec.clone().label("dockhand.test", "1").availability(NodeAvailability::Active);
    docker.nodes().get(&node.id).update(node.version, spec).await.unwrap();
    let node = docker.nodes().get(&node_id).inspect().await.unwrap();
    assert_eq!(node.spec.labels["dockhand.test"], "1");
    assert!(docker.nodes().get("no-such-node").inspect().await.unwrap_err().is_not_found());

    // A secret and a config.
    let secret_name = common::unique("secret");
    let secret_id = docker
        .secrets()
        .create(SecretSpec::new(&secret_name, b"s3cret-value").label(common::TEST_LABEL, "1"))
        .await
        .unwrap();
    let secret = docker.secrets().get(&secret_id).inspect().await.unwrap();
    assert_eq!(secret.spec.name, secret_name);
    assert!(secret.spec.data.is_none(), "the daemon never returns a secret's data");
    let dup = docker.secrets().create(SecretSpec::new(&secret_name, b"x")).await.unwrap_err();
    assert!(dup.is_conflict(), "{dup}");
    let listed = docker.secrets().list(SecretFilters::new().name(&secret_name)).await.unwrap();
    assert_eq!(listed.len(), 1);
    let mut labels = secret.spec.clone();
    labels.labels.insert("extra".into(), "yes".into());
    docker.secrets().get(&secret_id).update(secret.version, labels).await.unwrap();
    assert_eq!(docker.secrets().get(&secret_id).inspect().await.unwrap().spec.labels["extra"], "yes");

    let config_name = common::unique("config");
    let config_id = docker
        .configs()
        .create(ConfigSpec::new(&config_name, "config-body\n").label(common::TEST_LABEL, "1"))
        .await
        .unwrap();
    let config = docker.configs().get(&config_id).inspect().await.unwrap();
    assert_eq!(config.spec.decoded_data().unwrap(), b"config-body\n");
    let listed = docker.configs().list(ConfigFilters::new().name(&config_name)).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [config_id.as_str()]);
    let mut labels = config.spec.clone();
    labels.labels.insert("extra".into(), "yes".into());
    docker.configs().get(&config_id).update(config.version, labels).await.unwrap();
    assert_eq!(docker.configs().get(&config_id).inspect().await.unwrap().spec.labels["extra"], "yes");

    // A replicated service of the local image, reading both back.
    let service_name = common::unique("svc");
    let mut container = ContainerSpec::new(image)
        .command([
            "sh",
            "-c",
            &format!("cat /run/secrets/{secret_name}; echo; cat /config.txt; echo MODE=$MODE; exec sleep 3600"),
        ])
        .env("MODE", "one")
        .secret(SecretReference::new(&secret_id, &secret_name))
        .config(ConfigReferenceSpec::new(&config_id, &config_name, "/config.txt"))
        .stop_grace_period(Duration::from_secs(1));
    container.labels.insert(common::TEST_LABEL.into(), "1".into());
    let spec = ServiceSpec::new(&service_name, container)
        .label(common::TEST_LABEL, "1")
        .update_config(UpdateConfig::new().parallelism(1).delay(Duration::from_millis(100)).order("stop-first"));
    let created = docker.services().create(spec, None).await.unwrap();
    assert!(!created.id.is_empty());
    // The image is local only: the daemon warns and uses it as is.
    eprintln!("service create warnings: {:?}", created.warnings);

    eventually("the first task running", Duration::from_secs(90), || async {
        (running_tasks(&docker, &service_name).await.len() == 1).then_some(())
    })
    .await;
    let logs = eventually("the secret and config in the logs", Duration::from_secs(30), || async {
        let text = service_logs(&docker, &service_name).await;
        (text.contains("MODE=one")).then_some(text)
    })
    .await;
    assert!(logs.contains("s3cret-value"), "{logs}");
    assert!(logs.contains("config-body"), "{logs}");

    // One task: inspect and logs.
    let task = running_tasks(&docker, &service_name).await.remove(0);
    let inspected = docker.tasks().get(&task.id).inspect().await.unwrap();
    assert_eq!(inspected.service_id, created.id);
    assert!(inspected.status.container_status.as_ref().is_some_and(|c| !c.container_id.is_empty()));
    let items: Vec<_> = docker
        .tasks()
        .get(&task.id)
        .logs(SwarmLogsOptions::both().tail(10).timestamps(true))
        .try_collect()
        .await
        .unwrap();
    assert!(items.iter().any(|o| o.text().contains("MODE=one")), "{items:?}");
    assert!(items.iter().all(|o| o.timestamp.is_some()), "timestamps are split off: {items:?}");

    // Scale 1 → 3 → 1.
    scale(&docker, &service_name, 3).await;
    let listed = docker.services().list_with_status(ServiceFilters::new().name(&service_name)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].service_status.as_ref().map(|s| s.desired_tasks), Some(3));
    scale(&docker, &service_name, 1).await;

    // A rolling update of an env var.
    let svc = docker.services().get(&service_name);
    let current = svc.inspect().await.unwrap();
    let mut spec = current.spec.clone();
    *spec.container_mut() = spec.container_mut().clone().env("MODE", "two");
    svc.update(current.version, spec, ServiceUpdateOptions::new()).await.unwrap();
    // The old version is now stale.
    let stale = svc.update(current.version, current.spec.clone(), ServiceUpdateOptions::new()).await.unwrap_err();
    assert!(stale.status().is_some(), "{stale}");
    eventually("the update to complete", Duration::from_secs(90), || async {
        let s = svc.inspect().await.unwrap();
        let done = s.update_status.as_ref().is_some_and(|u| u.state == "completed");
        let tasks = running_tasks(&docker, &service_name).await;
        let new = tasks.len() == 1
            && tasks[0].spec.container_spec.as_ref().is_some_and(|c| c.env.iter().any(|e| e == "MODE=two"));
        (done && new).then_some(())
    })
    .await;
    let after = svc.inspect().await.unwrap();
    assert!(after.previous_spec.is_some());
    eventually("the new env in the logs", Duration::from_secs(30), || async {
        service_logs(&docker, &service_name).await.contains("MODE=two").then_some(())
    })
    .await;

    // A secret a service uses cannot be removed (a typed error)...
    let in_use = docker.secrets().get(&secret_id).remove().await.unwrap_err();
    assert!(in_use.status().is_some() && in_use.to_string().contains("in use"), "{in_use}");
    // ...until the service is gone.
    svc.remove().await.unwrap();
    assert!(svc.inspect().await.unwrap_err().is_not_found());
    docker.secrets().get(&secret_id).remove().await.unwrap();
    docker.configs().get(&config_id).remove().await.unwrap();
    assert!(docker.secrets().get(&secret_id).inspect().await.unwrap_err().is_not_found());

    // Autolock: the unlock key appears, rotates, and unlocking an unlocked
    // swarm is refused (locking needs a daemon restart, which is not done
    // on the shared daemon).
    assert!(docker.swarm().unlock_key().await.unwrap().is_empty());
    let swarm = docker.swarm().inspect().await.unwrap();
    docker.swarm().update(swarm.version, swarm.spec.clone().autolock(true), SwarmUpdateOptions::new()).await.unwrap();
    let key = docker.swarm().unlock_key().await.unwrap();
    assert!(key.expose().starts_with("SWMKEY-"), "unlock key shape");
    assert!(!format!("{key:?}").contains("SWMKEY"));
    let swarm = docker.swarm().inspect().await.unwrap();
    assert_eq!(swarm.spec.encryption_config.as_ref().map(|e| e.auto_lock_managers), Some(true));
    docker
        .swarm()
        .update(swarm.version, swarm.spec.clone(), SwarmUpdateOptions::new().rotate_manager_unlock_key(true))
        .await
        .unwrap();
    let rotated = docker.swarm().unlock_key().await.unwrap();
    assert!(rotated.expose().starts_with("SWMKEY-") && rotated != key);
    let err = docker.swarm().unlock(&rotated).await.unwrap_err();
    assert!(err.status().is_some(), "unlocking an unlocked swarm is refused: {err}");
    assert!(!err.to_string().contains(rotated.expose()), "the key must not reach error text");
    let wrong = docker.swarm().unlock(&UnlockKey::new("SWMKEY-1-wrong")).await.unwrap_err();
    assert!(wrong.status().is_some());

    // Leave.
    docker.swarm().leave_with(dockhand::api::SwarmLeaveOptions::new().force(true)).await.unwrap();
    guard.armed = false;
    let info = docker.info().await.unwrap();
    assert_eq!(info.swarm.local_node_state, LocalNodeState::Inactive);
}
