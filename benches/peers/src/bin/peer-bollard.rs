//! bollard 0.21 as a peer, with the same commands as `peer-dockhand`.

use bollard::query_parameters::{EventsOptionsBuilder, InspectContainerOptions, LogsOptionsBuilder};
use futures::StreamExt;
use std::time::Instant;

fn main() {
    let args = dockhand_peers::args("peer-bollard HOST (logs C | inspect C N CONC | events SINCE UNTIL)", 3);
    dockhand_peers::runtime().block_on(async move {
        let path = dockhand_peers::socket_path(&args[0]);
        let docker = bollard::Docker::connect_with_unix(path, 120, bollard::API_DEFAULT_VERSION).expect("a client");
        match args[1].as_str() {
            "logs" => {
                let mut out = dockhand_peers::sink();
                let opts = LogsOptionsBuilder::default().stdout(true).stderr(true).build();
                let mut logs = docker.logs(&args[2], Some(opts));
                while let Some(item) = logs.next().await {
                    dockhand_peers::put(&mut out, &item.expect("a log item").into_bytes());
                }
                std::io::Write::flush(&mut out).ok();
            }
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
