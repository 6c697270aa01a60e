//! A tour of dockhand: connects to the daemon the environment names and
//! prints its version, a summary of its state and what happened recently,
//! then runs a container end to end.
//!
//! ```text
//! cargo run --example tour
//! ```

use dockhand::Docker;
use dockhand::Timestamp;
use dockhand::api::{
    ContainerCreate, ContainerRemoveOptions, DfOptions, EventsOptions, ImageListOptions, ImportOptions, LogsOptions,
    PullOptions,
};
use dockhand::fold_progress;
use futures::StreamExt;

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("tour: {e}");
        std::process::exit(1);
    }
}

async fn run() -> dockhand::Result<()> {
    let docker = match Docker::connect().await {
        Ok(docker) => docker,
        Err(e) => {
            println!("No Docker daemon answered ({e}).");
            println!("Touring the simulated engine instead (dockhand-engine, in-process, no sockets).\n");
            let engine = dockhand_engine::Engine::new();
            // The simulated clock starts at the wall clock, like a daemon's.
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            engine.set_clock(now.as_millis() as u64);
            // ...and follows real time, as dockhand-sim's does, so that a
            // container's `sleep 1` ends and `wait` returns.
            let ticking = engine.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_millis(50));
                let mut last = std::time::Instant::now();
                loop {
                    tick.tick().await;
                    let now = std::time::Instant::now();
                    ticking.advance(now.duration_since(last).as_millis() as u64);
                    last = now;
                }
            });
            engine.docker()
        }
    };
    println!("Connected to {}", docker.endpoint());
    println!("API version in use: {}", docker.api_version().await?);

    let ping = docker.ping().await?;
    println!(
        "Ping: OS {}, builder {}",
        ping.os_type.as_deref().unwrap_or("?"),
        ping.builder_version.as_deref().unwrap_or("?")
    );

    let v = docker.version().await?;
    println!("\nServer: Docker Engine {} (API {}, min {})", v.version, v.api_version, v.min_api_version);
    println!("  Go {}  {}/{}  kernel {}", v.go_version, v.os, v.arch, v.kernel_version);
    for c in &v.components {
        println!("  {:<12} {}", c.name, c.version);
    }

    let info = docker.info().await?;
    println!(
        "\nInfo: {} on {} ({} CPUs, {:.1} GiB)",
        info.name,
        info.operating_system,
        info.ncpu,
        info.mem_total as f64 / (1u64 << 30) as f64
    );
    println!(
        "  Containers: {} ({} running, {} paused, {} stopped)  Images: {}",
        info.containers, info.containers_running, info.containers_paused, info.containers_stopped, info.images
    );
    println!(
        "  Storage driver: {}  Cgroups: {} v{}  Swarm: {}",
        info.driver, info.cgroup_driver, info.cgroup_version, info.swarm.local_node_state
    );

    let df = docker.df(DfOptions::new()).await?;
    let image_bytes: i64 = df.images().iter().map(|i| i.size).sum();
    println!(
        "  Disk: {} images ({:.1} MB), {} volumes",
        df.images().len(),
        image_bytes as f64 / 1e6,
        df.volumes().len()
    );

    let now = Timestamp::now();
    let since = now - std::time::Duration::from_secs(60 * 60);
    println!("\nEvents of the last hour:");
    let mut events = docker.events(EventsOptions::new().since(since).until(now));
    let mut count = 0;
    while let Some(event) = events.next().await {
        let event = event?;
        count += 1;
        if count <= 15 {
            let when = event
                .timestamp()
                .map(|t| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()))
                .unwrap_or_default();
            let name = event.actor.attributes.get("name").map(String::as_str).unwrap_or("");
            println!("  {when:<18} {:<9} {:<12} {name}", event.typ.to_string(), event.action);
        }
    }
    if count == 0 {
        println!("  (none)");
    } else if count > 15 {
        println!("  ... and {} more", count - 15);
    }

    run_a_container(&docker).await
}

/// Runs a container end to end: find or make an image, create, start, read
/// its logs, wait for its exit code, remove it; then show a typed error.
async fn run_a_container(docker: &Docker) -> dockhand::Result<()> {
    println!("\nRunning a container:");
    let Some(image) = find_image(docker).await? else {
        println!("  no busybox image here, none can be pulled, and no /bin/busybox to import; skipping");
        return Ok(());
    };
    let create = ContainerCreate::new(&image)
        .name(format!("dockhand-tour-{}", std::process::id()))
        .cmd(["sh", "-c", "echo hello from $(hostname); echo to stderr >&2; sleep 1; exit 3"])
        .label("dockhand.tour", "1");
    let created = docker.containers().create(create).await?;
    let container = docker.containers().get(&created.id);
    println!("  created  {} from {image}", &created.id[..12.min(created.id.len())]);
    let started = container.start().await?;
    println!("  started  ({started:?}); starting again says {:?}", container.start().await?);
    let exit = container.wait().await?;
    println!("  exited   with code {}", exit.status_code);
    let mut logs = container.logs(LogsOptions::new().stdout(true).stderr(true));
    while let Some(item) = logs.next().await {
        let item = item?;
        println!("  {:<8} {}", format!("{:?}", item.stream), String::from_utf8_lossy(&item.data).trim_end());
    }
    container.remove_with(ContainerRemoveOptions::new().force(true)).await?;
    println!("  removed");
    match container.inspect().await {
        Err(e) if e.is_not_found() => println!("  inspect after removal: {e}"),
        other => println!("  inspect after removal: unexpected {other:?}"),
    }
    Ok(())
}

/// A busybox image: one already there, else a pull (works on the simulated
/// engine and online machines), else an import of Debian's busybox-static.
async fn find_image(docker: &Docker) -> dockhand::Result<Option<String>> {
    let wanted = ["busybox:latest", "dockhand-test/busybox:latest", "dockhand-tour/busybox:latest"];
    let images = docker.images().list(ImageListOptions::new()).await?;
    if let Some(tag) = wanted.iter().find(|w| images.iter().any(|i| i.repo_tags.iter().any(|t| t == *w))) {
        return Ok(Some(tag.to_string()));
    }
    let pull = fold_progress(docker.images().pull(PullOptions::new("busybox:latest")), |_| {}).await;
    if pull.is_ok() {
        return Ok(Some("busybox:latest".into()));
    }
    let Ok(binary) = std::fs::read("/bin/busybox") else { return Ok(None) };
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(binary.len() as u64);
    header.set_mode(0o755);
    tar.append_data(&mut header, "bin/busybox", &binary[..])
        .map_err(|e| dockhand::Error::Io { context: "building a tar".into(), source: e })?;
    let mut link = tar::Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    for applet in ["sh", "echo", "hostname", "sleep"] {
        tar.append_link(&mut link, format!("bin/{applet}"), "busybox")
            .map_err(|e| dockhand::Error::Io { context: "building a tar".into(), source: e })?;
    }
    let tar = tar.into_inner().map_err(|e| dockhand::Error::Io { context: "building a tar".into(), source: e })?;
    let opts = ImportOptions::new("dockhand-tour/busybox", "latest").change("ENV PATH=/bin");
    fold_progress(docker.images().import(opts, tar.into()), |_| {}).await?;
    println!("  imported /bin/busybox as dockhand-tour/busybox:latest");
    Ok(Some("dockhand-tour/busybox:latest".into()))
}
