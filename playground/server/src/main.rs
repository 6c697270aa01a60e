//! `dockhand-sim`: serves the simulated Docker daemon (dockhand-engine) on a
//! unix socket and optionally on 127.0.0.1:PORT, so that the real docker CLI
//! can talk to it:
//!
//! ```text
//! dockhand-sim --socket /tmp/sim.sock &
//! docker -H unix:///tmp/sim.sock run --rm hello-world
//! ```
//!
//! Attach and exec hijack the connection (HTTP upgrade): the container's
//! output streams to the client and the client's input feeds the
//! container's stdin. The simulated clock follows real time.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use bytes::Bytes;
use dockhand::Body;
use dockhand_engine::{DetachKeys, Engine, StdinTarget};
use futures::StreamExt;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Args {
    socket: Option<String>,
    tcp: Option<u16>,
    seed: u64,
    name: String,
}

const USAGE: &str = "usage: dockhand-sim [--socket PATH] [--tcp PORT] [--seed N] [--name NAME]\n\nServes a simulated Docker daemon. Default: --socket /tmp/dockhand-sim.sock\nThen: docker -H unix:///tmp/dockhand-sim.sock version";

fn parse_args() -> Result<Args, String> {
    let mut args = Args { socket: None, tcp: None, seed: 42, name: "dockhand-sim".into() };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |what: &str| it.next().ok_or_else(|| format!("{a} needs {what}"));
        match a.as_str() {
            "--socket" => args.socket = Some(value("a path")?),
            "--tcp" => args.tcp = Some(value("a port")?.parse().map_err(|_| "--tcp needs a port number".to_string())?),
            "--seed" => args.seed = value("a number")?.parse().map_err(|_| "--seed needs a number".to_string())?,
            "--name" => args.name = value("a name")?,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n\n{USAGE}")),
        }
    }
    if args.socket.is_none() && args.tcp.is_none() {
        args.socket = Some("/tmp/dockhand-sim.sock".into());
    }
    Ok(args)
}

/// Answers one request; upgrades are completed in a spawned task.
async fn serve(engine: Engine, mut req: hyper::Request<Incoming>) -> Result<hyper::Response<Body>, Infallible> {
    let wants_upgrade = req.headers().get(hyper::header::UPGRADE).is_some();
    let on_upgrade = wants_upgrade.then(|| hyper::upgrade::on(&mut req));
    let (parts, body) = req.into_parts();
    let bytes = match body.collect().await {
        Ok(c) => c.to_bytes(),
        Err(e) => {
            let msg = format!("{{\"message\":\"reading the request body: {e}\"}}\n");
            return Ok(hyper::Response::builder().status(400).body(Body::full(msg)).unwrap_or_default());
        }
    };
    let response = engine.handle(http::Request::from_parts(parts, bytes));
    if response.status() != http::StatusCode::SWITCHING_PROTOCOLS {
        return Ok(response);
    }
    let target = response.extensions().get::<StdinTarget>().cloned();
    let detach = response.extensions().get::<DetachKeys>().cloned();
    let (head, output) = response.into_parts();
    match on_upgrade {
        Some(on_upgrade) => {
            tokio::spawn(pump(engine, on_upgrade, output, Input { target, detach }));
            Ok(hyper::Response::from_parts(head, Body::empty()))
        }
        // A client that did not ask to upgrade gets the stream as a body.
        None => {
            let mut head = head;
            head.status = http::StatusCode::OK;
            head.headers.remove(http::header::UPGRADE);
            head.headers.remove(http::header::CONNECTION);
            Ok(hyper::Response::from_parts(head, output))
        }
    }
}

/// Where a hijacked connection's input goes, and the keys that detach it.
struct Input {
    target: Option<StdinTarget>,
    detach: Option<DetachKeys>,
}

/// How long the first output waits after the `101` head: dockerd's process
/// starts after it has answered, so a client that reads the head through a
/// buffer (and then reads the raw socket) never finds output in that buffer.
const FIRST_OUTPUT_DELAY: Duration = Duration::from_millis(50);

/// Moves bytes over a hijacked connection: output to the client, the
/// client's input to stdin, until the output ends or the client types the
/// detach keys (then the connection closes and the process runs on).
async fn pump(engine: Engine, on_upgrade: hyper::upgrade::OnUpgrade, mut output: Body, input: Input) {
    let Ok(upgraded) = on_upgrade.await else { return };
    let io = TokioIo::new(upgraded);
    let (mut rd, mut wr) = tokio::io::split(io);
    let (detached_tx, mut detached) = tokio::sync::oneshot::channel::<()>();
    let reader_engine = engine.clone();
    let Input { target, mut detach } = input;
    let reader = tokio::spawn(async move {
        let mut buf = vec![0u8; 8192];
        loop {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let (data, done) = match &mut detach {
                        Some(keys) => keys.feed(&buf[..n]),
                        None => (buf[..n].to_vec(), false),
                    };
                    if let Some(t) = &target
                        && !data.is_empty()
                    {
                        reader_engine.write_stdin(t, &data);
                    }
                    if done {
                        let _ = detached_tx.send(());
                        return;
                    }
                }
            }
        }
        if let Some(t) = &target {
            reader_engine.close_stdin(t);
        }
    });
    tokio::time::sleep(FIRST_OUTPUT_DELAY).await;
    // Until the reader ends: its end without detach keys (the client closed
    // its sending half) leaves the output running, and the ended channel is
    // not polled again (a completed oneshot panics when polled).
    let mut reading = true;
    loop {
        let chunk = tokio::select! {
            chunk = output.next() => chunk,
            ended = &mut detached, if reading => match ended {
                Ok(()) => break,
                Err(_) => {
                    reading = false;
                    continue;
                }
            },
        };
        let Some(Ok(chunk)) = chunk else { break };
        if wr.write_all(&chunk).await.is_err() {
            break;
        }
        let _ = wr.flush().await;
    }
    let _ = wr.shutdown().await;
    // Stop reading once the output ended (the container or exec is done).
    tokio::time::sleep(Duration::from_millis(50)).await;
    reader.abort();
}

async fn accept_loop_unix(engine: Engine, listener: tokio::net::UnixListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        spawn_conn(engine.clone(), TokioIo::new(stream));
    }
}

async fn accept_loop_tcp(engine: Engine, listener: tokio::net::TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        spawn_conn(engine.clone(), TokioIo::new(stream));
    }
}

fn spawn_conn<I>(engine: Engine, io: I)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        let service = service_fn(move |req| serve(engine.clone(), req));
        let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).with_upgrades().await;
    });
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    let engine = Engine::with_seed(&args.name, args.seed);
    // Start at the wall clock, so the CLI's "5 seconds ago" is right.
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        engine.set_clock(d.as_millis() as u64);
    }
    // The simulated clock follows real time.
    {
        let engine = engine.clone();
        tokio::spawn(async move {
            let mut last = Instant::now();
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                tick.tick().await;
                let now = Instant::now();
                engine.advance(now.duration_since(last).as_millis() as u64);
                last = now;
            }
        });
    }
    let mut tasks = Vec::new();
    if let Some(path) = &args.socket {
        let _ = std::fs::remove_file(path);
        match tokio::net::UnixListener::bind(path) {
            Ok(l) => {
                println!("dockhand-sim listening on unix://{path}");
                tasks.push(tokio::spawn(accept_loop_unix(engine.clone(), l)));
            }
            Err(e) => {
                eprintln!("cannot listen on {path}: {e}");
                std::process::exit(1);
            }
        }
    }
    if let Some(port) = args.tcp {
        match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => {
                println!(
                    "dockhand-sim listening on tcp://127.0.0.1:{}",
                    l.local_addr().map(|a| a.port()).unwrap_or(port)
                );
                tasks.push(tokio::spawn(accept_loop_tcp(engine.clone(), l)));
            }
            Err(e) => {
                eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
                std::process::exit(1);
            }
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    if let Some(path) = &args.socket {
        let _ = std::fs::remove_file(path);
    }
    let _: Option<Bytes> = None;
}
