//! A tour of dockhand: connects to the daemon the environment names and
//! prints its version, a summary of its state and what happened recently.
//!
//! ```text
//! cargo run --example tour
//! ```

use dockhand::Docker;
use dockhand::api::{DfOptions, EventsOptions};
use futures::StreamExt;
use time::OffsetDateTime;

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

    let now = OffsetDateTime::now_utc();
    let since = now - time::Duration::hours(1);
    println!("\nEvents of the last hour:");
    let mut events = docker.events(EventsOptions::new().since(since).until(now));
    let mut count = 0;
    while let Some(event) = events.next().await {
        let event = event?;
        count += 1;
        if count <= 15 {
            let when = event.timestamp().map(|t| t.time().to_string()).unwrap_or_default();
            let name = event.actor.attributes.get("name").map(String::as_str).unwrap_or("");
            println!("  {when:<18} {:<9} {:<12} {name}", event.typ.to_string(), event.action);
        }
    }
    if count == 0 {
        println!("  (none)");
    } else if count > 15 {
        println!("  ... and {} more", count - 15);
    }
    Ok(())
}
