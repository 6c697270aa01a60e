//! bollard 0.21 as a peer, with the same commands as `peer-dockhand`
//! (`logs`, `logs-task`, `exec`, `build`, `inspect`, `events`).

use bollard::query_parameters::{
    BuildImageOptionsBuilder, EventsOptionsBuilder, InspectContainerOptions, LogsOptionsBuilder,
};
use futures::StreamExt;
use std::time::Instant;

async fn logs(docker: bollard::Docker, container: String) {
    let mut out = dockhand_peers::sink();
    let opts = LogsOptionsBuilder::default().stdout(true).stderr(true).build();
    let mut logs = docker.logs(&container, Some(opts));
    while let Some(item) = logs.next().await {
        dockhand_peers::put(&mut out, &item.expect("a log item").into_bytes());
    }
    std::io::Write::flush(&mut out).ok();
}

fn main() {
    let args = dockhand_peers::args(
        "peer-bollard HOST (logs C | logs-task C | exec C LINES | build LINES | inspect C N CONC | events SINCE UNTIL)",
        3,
    );
    dockhand_peers::runtime().block_on(async move {
        let path = dockhand_peers::socket_path(&args[0]);
        let docker = bollard::Docker::connect_with_unix(path, 120, bollard::API_DEFAULT_VERSION).expect("a client");
        match args[1].as_str() {
            "logs" => logs(docker, args[2].clone()).await,
            "exec" => {
                let opts = bollard::models::ExecConfig {
                    cmd: Some(dockhand_peers::exec_command(&args[3]).iter().map(|s| s.to_string()).collect()),
                    attach_stdout: Some(true),
                    attach_stderr: Some(true),
                    ..Default::default()
                };
                let exec = docker.create_exec(&args[2], opts).await.expect("exec create");
                let started = docker.start_exec(&exec.id, None).await.expect("exec start");
                let bollard::exec::StartExecResults::Attached { mut output, .. } = started else {
                    panic!("the exec started detached")
                };
                let mut out = dockhand_peers::sink();
                while let Some(item) = output.next().await {
                    dockhand_peers::put(&mut out, &item.expect("an output item").into_bytes());
                }
                std::io::Write::flush(&mut out).ok();
            }
            "build" => {
                let opts = BuildImageOptionsBuilder::new().nocache(true).rm(true).build();
                let body = bollard::body_full(dockhand_peers::build_context(&args[2]).into());
                let mut progress = docker.build_image(opts, None, Some(body));
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
                docker.inspect_container(&args[2], None::<InspectContainerOptions>).await.expect("inspect");
                let started = Instant::now();
                let tasks: Vec<_> = (0..conc)
                    .map(|_| {
                        let (docker, name) = (docker.clone(), args[2].clone());
                        tokio::spawn(async move {
                            for _ in 0..n / conc {
                                docker
                                    .inspect_container(&name, None::<InspectContainerOptions>)
                                    .await
                                    .expect("inspect");
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
                let opts = EventsOptionsBuilder::default().since(&args[2]).until(&args[3]).build();
                let mut events = docker.events(Some(opts));
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
