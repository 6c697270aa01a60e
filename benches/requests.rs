//! Request overhead against the real daemon: container `inspect`,
//! sequential and 16-way concurrent, with pooled connections and with
//! pooling off (`pool_max_idle(0)`), in one run.
//!
//! Run: `cargo bench --bench requests` (needs a daemon and the busybox test
//! image's binary, as the integration tests do; `DOCKHAND_BENCH_REQUESTS`
//! sets the requests per measurement, default 1000). It creates one
//! container labelled `dockhand.test=1`, and removes both at the end.

use std::time::{Duration, Instant};

use dockhand::Docker;
use dockhand::api::{ContainerCreate, ContainerRemoveOptions, ImageRemoveOptions, ImportOptions};
use futures::TryStreamExt;

const IMAGE: &str = "dockhand-bench/busybox:latest";

/// A tiny image: only the busybox binary (enough to create a container).
async fn image(docker: &Docker) {
    let busybox = std::env::var("DOCKHAND_BUSYBOX").unwrap_or_else(|_| "/bin/busybox".into());
    let bytes = std::fs::read(&busybox).expect("busybox-static binary");
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_mode(0o755);
    header.set_size(bytes.len() as u64);
    tar.append_data(&mut header, "bin/busybox", &bytes[..]).expect("tar");
    let tar = tar.into_inner().expect("tar");
    let opts = ImportOptions::new("dockhand-bench/busybox", "latest").message("dockhand bench image");
    let _: Vec<_> = docker.images().import(opts, tar.into()).try_collect().await.expect("import");
}

async fn measure(docker: &Docker, id: &str, total: usize, concurrency: usize) -> f64 {
    let start = Instant::now();
    let per_task = total / concurrency;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let c = docker.containers().get(id);
            tokio::spawn(async move {
                for _ in 0..per_task {
                    c.inspect().await.expect("inspect");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    (per_task * concurrency) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let total: usize = std::env::var("DOCKHAND_BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(if quick {
        32
    } else {
        1000
    });
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let docker = match Docker::connect().await {
            Ok(d) => d,
            Err(e) => {
                println!("requests: SKIPPED (no Docker daemon: {e})");
                return;
            }
        };
        image(&docker).await;
        let name = format!("dockhand-bench-{}", std::process::id());
        let create = ContainerCreate::new(IMAGE).name(&name).label("dockhand.test", "1").cmd(["busybox", "true"]);
        let id = docker.containers().create(create).await.expect("create").id;
        let unpooled = Docker::builder().pool_max_idle(0).build().unwrap();
        println!("requests: GET /containers/{{id}}/json, {total} requests per cell, best of 3 rounds");
        println!("| client | sequential req/s | 16 concurrent req/s |");
        println!("| --- | --- | --- |");
        let clients = [("pooled (default)", &docker), ("pool_max_idle(0)", &unpooled)];
        // Warm up (negotiation, first connections).
        for (_, client) in clients {
            measure(client, &id, 16, 16).await;
        }
        // Rounds alternate the clients so that the daemon's and the
        // machine's other load falls on both; the best round is reported.
        let mut best = [[0f64; 2]; 2];
        for _ in 0..3 {
            for (i, (_, client)) in clients.iter().enumerate() {
                best[i][0] = best[i][0].max(measure(client, &id, total, 1).await);
                best[i][1] = best[i][1].max(measure(client, &id, total, 16).await);
            }
        }
        for (i, (label, _)) in clients.iter().enumerate() {
            println!("| {label} | {:.0} | {:.0} |", best[i][0], best[i][1]);
        }
        let _ = docker.containers().get(&id).remove_with(ContainerRemoveOptions::new().force(true)).await;
        let _ = docker.images().get(IMAGE).remove_with(ImageRemoveOptions::new()).await;
        tokio::time::sleep(Duration::from_millis(10)).await;
    });
}
