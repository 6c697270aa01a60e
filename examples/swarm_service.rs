//! A swarm service walkthrough on a single daemon: init a swarm on loopback,
//! create a secret and a config, run a replicated service that reads them,
//! scale it, roll out a new environment variable, read the logs, and leave.
//!
//! ```text
//! cargo run --example swarm_service [IMAGE]
//! ```
//!
//! IMAGE defaults to `busybox:latest`; any local image with `sh`, `cat` and
//! `sleep` works, as a service on a single node may use a local image (the
//! daemon warns that no registry has it). The daemon must not already be in
//! a swarm: the example refuses to touch one it did not create, and leaves
//! the swarm it created even when a step fails.

use std::time::{Duration, Instant};

use dockhand::Docker;
use dockhand::api::{ServiceUpdateOptions, SwarmLogsOptions, TaskFilters};
use dockhand::models::{
    ConfigReferenceSpec, ConfigSpec, ContainerSpec, LocalNodeState, SecretReference, SecretSpec, ServiceSpec,
    SwarmInitRequest, TaskState, UpdateConfig,
};
use futures::TryStreamExt;

#[tokio::main]
async fn main() {
    let image = std::env::args().nth(1).unwrap_or_else(|| "busybox:latest".to_owned());
    let docker = match Docker::connect().await {
        Ok(d) => d,
        Err(e) => {
            eprintln!("swarm_service: {e}");
            std::process::exit(1);
        }
    };
    match docker.info().await.map(|i| i.swarm.local_node_state) {
        Ok(LocalNodeState::Inactive) => {}
        Ok(state) => {
            eprintln!("swarm_service: the daemon is already in a swarm ({state}); not touching it");
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("swarm_service: {e}");
            std::process::exit(1);
        }
    }
    let result = run(&docker, &image).await;
    // Leave whatever happened: `force`, as this is the last manager.
    if let Err(e) = docker.swarm().leave_with(dockhand::api::SwarmLeaveOptions::new().force(true)).await {
        eprintln!("leaving the swarm: {e}");
    }
    if let Err(e) = result {
        eprintln!("swarm_service: {e}");
        std::process::exit(1);
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

async fn run(docker: &Docker, image: &str) -> Result<()> {
    // A swarm that listens and advertises on loopback only.
    let node = docker.swarm().init(SwarmInitRequest::new("127.0.0.1:2377").advertise_addr("127.0.0.1:2377")).await?;
    println!("swarm initialised; this node is {node}");

    let secret = docker.secrets().create(SecretSpec::new("example-password", b"correct horse")).await?;
    let config = docker.configs().create(ConfigSpec::new("example-config", "greeting = hello\n")).await?;

    let container = ContainerSpec::new(image)
        .command([
            "sh",
            "-c",
            "echo secret: $(cat /run/secrets/example-password); cat /app.conf; echo COLOR=$COLOR; exec sleep 3600",
        ])
        .env("COLOR", "blue")
        // `sleep` as PID 1 ignores SIGTERM: do not wait the default 10 s.
        .stop_grace_period(Duration::from_secs(1))
        .secret(SecretReference::new(&secret, "example-password"))
        .config(ConfigReferenceSpec::new(&config, "example-config", "/app.conf"));
    let spec = ServiceSpec::new("example-web", container)
        .update_config(UpdateConfig::new().parallelism(1).delay(Duration::from_millis(200)));
    let created = docker.services().create(spec, None).await?;
    for warning in &created.warnings {
        println!("warning: {warning}");
    }
    let service = docker.services().get(&created.id);
    wait_running(docker, "example-web", 1).await?;

    // Scale: inspect, change the spec, send it back with the version read.
    let current = service.inspect().await?;
    service.update(current.version, current.spec.replicas(3), ServiceUpdateOptions::new()).await?;
    wait_running(docker, "example-web", 3).await?;

    // A rolling update of an environment variable.
    let current = service.inspect().await?;
    let mut spec = current.spec.replicas(1);
    *spec.container_mut() = spec.container_mut().clone().env("COLOR", "green");
    service.update(current.version, spec, ServiceUpdateOptions::new()).await?;
    let started = Instant::now();
    loop {
        let s = service.inspect().await?;
        let state = s.update_status.map(|u| u.state).unwrap_or_default();
        println!("update: {}", if state.is_empty() { "starting" } else { &state });
        if state == "completed" {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            return Err("the update did not complete in 2 minutes".into());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    wait_running(docker, "example-web", 1).await?;

    // The logs of the service's tasks, item by item.
    let items: Vec<_> = service.logs(SwarmLogsOptions::both()).try_collect().await?;
    println!("--- service logs ---");
    for item in &items {
        print!("{}: {}", item.stream, item.text());
    }

    service.remove().await?;
    docker.secrets().get(&secret).remove().await?;
    docker.configs().get(&config).remove().await?;
    Ok(())
}

async fn wait_running(docker: &Docker, service: &str, n: usize) -> Result<()> {
    let started = Instant::now();
    loop {
        let tasks = docker.tasks().list(TaskFilters::new().service(service).desired_state("running")).await?;
        let running = tasks.iter().filter(|t| t.status.state == TaskState::Running).count();
        println!("{service}: {running}/{n} running ({} wanted)", tasks.len());
        if running == n && tasks.len() == n {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(120) {
            return Err(format!("{service}: tasks did not start in 2 minutes").into());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
