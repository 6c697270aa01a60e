//! Follow a container's logs while it prints, with timestamps and the
//! stream each line came from; then `run` a failing command to show the
//! typed exit error.
//!
//! ```text
//! cargo run --example logs_follow [IMAGE]
//! ```
//!
//! `IMAGE` defaults to `dockhand-test/busybox:latest`, the image the test
//! suite imports (see the `lifecycle` example for making it by hand).

use dockhand::api::{ContainerCreate, ContainerRemoveOptions, LogsOptions, RunOptions};
use dockhand::{Docker, Error};
use futures::StreamExt;

#[tokio::main]
async fn main() {
    let image = std::env::args().nth(1).unwrap_or_else(|| String::from("dockhand-test/busybox:latest"));
    if let Err(e) = run(&image).await {
        eprintln!("logs_follow: {e}");
        std::process::exit(1);
    }
}

async fn run(image: &str) -> dockhand::Result<()> {
    let docker = Docker::connect().await?;
    let script = "for i in 1 2 3 4 5; do echo tick $i; sleep 0.5; done; echo finished >&2";
    let create = ContainerCreate::new(image)
        .name(format!("dockhand-logs-follow-{}", std::process::id()))
        .label("dockhand.example", "logs_follow")
        .network_mode("none")
        .cmd(["sh", "-c", script]);
    let container = docker.containers().get(docker.containers().create(create).await?.id);
    container.start().await?;

    // Items arrive as the container writes them; the stream ends when it
    // exits.
    let mut logs = container.logs(LogsOptions::new().follow(true).timestamps(true));
    while let Some(item) = logs.next().await {
        let item = item?;
        let at =
            item.timestamp.map(|t| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())).unwrap_or_default();
        print!("{at} {:>6} | {}", item.stream, item.text());
    }
    let status = container.wait().await?;
    println!("exited with {}", status.status_code);
    container.remove_with(ContainerRemoveOptions::new()).await?;

    // `run`: create, start, wait, collect, remove; a failure is typed.
    let failing = ContainerCreate::new(image).label("dockhand.example", "logs_follow").network_mode("none").cmd([
        "sh",
        "-c",
        "echo working; echo 'disk full' >&2; exit 3",
    ]);
    match docker.containers().run(failing, RunOptions::new().remove(true)).await {
        Ok(out) => println!("unexpected success: {}", String::from_utf8_lossy(&out.stdout)),
        Err(Error::ContainerExit(exit)) => {
            println!("run failed with code {}; stderr ends with {:?}", exit.exit_code, exit.stderr_tail)
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
