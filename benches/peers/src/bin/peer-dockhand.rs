//! dockhand as a peer: `peer-dockhand HOST logs CONTAINER` (`logs-task`: the
//! same read inside a spawned task instead of `block_on`'s own future),
//! `peer-dockhand HOST exec CONTAINER LINES` (an exec that prints LINES
//! lines of 1,000 bytes, read to its end),
//! `peer-dockhand HOST build LINES` (a classic build whose `RUN` prints LINES
//! lines: its output comes back as JSON progress messages),
//! `peer-dockhand HOST inspect CONTAINER N CONCURRENCY`,
//! `peer-dockhand HOST events SINCE UNTIL` (unix seconds).

use dockhand::api::{BuildOptions, EventsOptions, ExecOptions, LogsOptions};
use dockhand::build_context::BuildContext;
use futures::StreamExt;
use std::time::Instant;

async fn logs(docker: dockhand::Docker, container: String) {
    let mut out = dockhand_peers::sink();
    let mut logs = docker.containers().get(container.as_str()).logs(LogsOptions::new());
    while let Some(item) = logs.next().await {
        dockhand_peers::put(&mut out, &item.expect("a log item").data);
    }
    std::io::Write::flush(&mut out).ok();
}

fn main() {
    let args = dockhand_peers::args(
        "peer-dockhand HOST (logs C | logs-task C | exec C LINES | build LINES | inspect C N CONC | events SINCE UNTIL)",
        3,
    );
    dockhand_peers::runtime().block_on(async move {
        let docker = dockhand::Docker::builder().host(&args[0]).and_then(|b| b.build()).expect("a client");
        match args[1].as_str() {
            "logs" => logs(docker, args[2].clone()).await,
            "exec" => {
                let opts =
                    ExecOptions::new(dockhand_peers::exec_command(&args[3])).attach_stdout(true).attach_stderr(true);
                let exec = docker.containers().get(args[2].as_str()).exec(&opts).await.expect("exec create");
                let mut attached = exec.start().await.expect("exec start");
                let mut out = dockhand_peers::sink();
                while let Some(item) = attached.output.next().await {
                    dockhand_peers::put(&mut out, &item.expect("an output item").data);
                }
                std::io::Write::flush(&mut out).ok();
            }
            "build" => {
                let context = BuildContext::from_tar(dockhand::Body::from(dockhand_peers::build_context(&args[2])));
                let mut progress = docker.images().build(BuildOptions::new().no_cache(true).rm(true), context);
                let mut out = dockhand_peers::sink();
                while let Some(msg) = progress.next().await {
                    let msg = msg.expect("a progress message");
                    dockhand_peers::put(&mut out, msg.stream.as_deref().unwrap_or_default().as_bytes());
                }
                std::io::Write::flush(&mut out).ok();
            }
            "logs-task" => tokio::spawn(logs(docker, args[2].clone())).await.expect("the reading task"),
            "inspect" => {
                let (n, conc): (usize, usize) = (args[3].parse().unwrap(), args[4].parse().unwrap());
                docker.containers().get(args[2].as_str()).inspect().await.expect("inspect");
                let started = Instant::now();
                let tasks: Vec<_> = (0..conc)
                    .map(|_| {
                        let c = docker.containers().get(args[2].as_str());
                        tokio::spawn(async move {
                            for _ in 0..n / conc {
                                c.inspect().await.expect("inspect");
                            }
                        })
                    })
                    .collect();
                for t in tasks {
                    t.await.unwrap();
                }
                eprintln!("{:.0} req/s", dockhand_peers::per_second(n / conc * conc, started.elapsed()));
            }
            "events" => {
                let at = |s: &str| dockhand::OffsetDateTime::from_unix_timestamp(s.parse().unwrap()).unwrap();
                let opts = EventsOptions::new().since(at(&args[2])).until(at(&args[3]));
                let mut events = docker.events(opts);
                let mut n = 0usize;
                while let Some(e) = events.next().await {
                    e.expect("an event");
                    n += 1;
                }
                eprintln!("{n} events");
            }
            other => panic!("unknown command {other}"),
        }
    });
}
