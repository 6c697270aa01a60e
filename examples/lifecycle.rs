//! A container's life: create, start (twice, to show `Change::Unchanged`),
//! inspect, stop, wait, remove, with the typed errors the daemon gives on
//! the way (a name in use, removing a running container, a missing one).
//!
//! ```text
//! cargo run --example lifecycle [IMAGE]
//! ```
//!
//! `IMAGE` defaults to `dockhand-test/busybox:latest`, the image the test
//! suite imports. Any image with `sh` and `sleep` works. Without network
//! access, make one from Debian's `busybox-static`:
//!
//! ```text
//! mkdir -p rootfs/bin rootfs/tmp && cp /bin/busybox rootfs/bin/
//! (cd rootfs/bin && for a in $(./busybox --list); do [ "$a" = busybox ] || ln -s busybox "$a"; done)
//! tar -C rootfs -c . | docker import -c 'CMD ["sh"]' -c 'ENV PATH=/bin' - dockhand-test/busybox:latest
//! ```
//! (or run `cargo test --test containers` once, which imports it).

use std::time::Duration;

use dockhand::api::{ContainerCreate, ContainerRemoveOptions, StopOptions};
use dockhand::{Change, Docker};

#[tokio::main]
async fn main() {
    let image = std::env::args().nth(1).unwrap_or_else(|| String::from("dockhand-test/busybox:latest"));
    if let Err(e) = run(&image).await {
        eprintln!("lifecycle: {e}");
        std::process::exit(1);
    }
}

async fn run(image: &str) -> dockhand::Result<()> {
    let docker = Docker::connect().await?;
    let name = format!("dockhand-lifecycle-{}", std::process::id());

    let create = ContainerCreate::new(image)
        .name(&name)
        .label("dockhand.example", "lifecycle")
        .network_mode("none")
        .cmd(["sh", "-c", "trap 'echo bye; exit 0' TERM; while true; do sleep 0.5; done"]);
    let created = match docker.containers().create(create.clone()).await {
        Ok(c) => c,
        Err(e) if e.is_not_found() => {
            eprintln!("lifecycle: image {image} is missing: {e}");
            eprintln!(
                "lifecycle: pass another image, or import the busybox one (see the top of examples/lifecycle.rs)"
            );
            std::process::exit(2);
        }
        Err(e) => return Err(e),
    };
    println!("created {} ({})", name, &created.id[..12]);
    for w in &created.warnings {
        println!("  warning: {w}");
    }
    let c = docker.containers().get(&created.id);

    // The same name again: a typed conflict, with the daemon's message.
    match docker.containers().create(create).await {
        Err(e) if e.is_conflict() => println!("second create refused as expected: {e}"),
        other => println!("unexpected answer to a duplicate name: {other:?}"),
    }

    let result = async {
        match c.start().await? {
            Change::Done => println!("started"),
            Change::Unchanged => println!("was already running"),
        }
        // A second start is a no-op the caller can see.
        println!("start again: {:?}", c.start().await?);

        let info = c.inspect().await?;
        println!(
            "inspect: {} is {} (pid {}, started {:?}), image {}",
            info.name(),
            info.state.status,
            info.state.pid,
            info.state.started_at,
            info.config.image
        );

        match c.remove_with(ContainerRemoveOptions::new()).await {
            Err(e) if e.is_conflict() => println!("remove while running refused: {e}"),
            other => println!("unexpected answer to removing a running container: {other:?}"),
        }

        let stopped = c.stop_with(StopOptions::new().timeout(Duration::from_secs(5))).await?;
        println!("stop: {stopped:?}; stop again: {:?}", c.stop().await?);
        println!("exit code: {}", c.wait().await?.status_code);
        Ok::<_, dockhand::Error>(())
    }
    .await;

    c.remove_with(ContainerRemoveOptions::new().force(true)).await?;
    println!("removed");
    match c.inspect().await {
        Err(e) if e.is_not_found() => println!("inspect after remove: {e}"),
        other => println!("unexpected: {other:?}"),
    }
    result
}
