//! Tests of the native transport's failure paths against hand-scripted TCP
//! servers on 127.0.0.1: timeouts (connect, response, idle), cancellation,
//! truncated bodies, retries and connection pooling.
//!
//! mockito cannot stall, cut a body short or count connections, so these
//! servers speak just enough HTTP/1.1 by hand: they read a request's head
//! (and its `Content-Length` body) and write whatever bytes the test wants.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use dockhand::api::{EventsOptions, LogsOptions};
use dockhand::config::Endpoint;
use dockhand::models::{AuthConfig, EventType};
use dockhand::request::{ApiRequest, segment};
use dockhand::transport::{NativeTransport, Transport};
use dockhand::{ApiVersion, Docker, Error, RetryPolicy, TimeoutPhase};
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// One accepted connection of a scripted server.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    /// Reads the next request; returns its head (request line and headers)
    /// after draining its `Content-Length` body. `None` when the client
    /// closed the connection.
    async fn request(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                let len = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                while self.buf.len() < end + 4 + len {
                    self.fill().await?;
                }
                self.buf.drain(..end + 4 + len);
                return Some(head);
            }
            self.fill().await?;
        }
    }

    async fn fill(&mut self) -> Option<()> {
        let mut chunk = [0u8; 8192];
        match self.stream.read(&mut chunk).await {
            Ok(0) | Err(_) => None,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                Some(())
            }
        }
    }

    async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await?;
        self.stream.flush().await
    }

    /// Waits until the client closes its side (EOF or reset).
    async fn closed(&mut self) {
        while self.fill().await.is_some() {}
    }
}

/// A scripted server: `script(n, conn)` runs for the `n`th accepted
/// connection (from 0).
struct RawServer {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
}

impl RawServer {
    fn host(&self) -> String {
        format!("tcp://{}", self.addr)
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

fn serve<F, Fut>(listener: TcpListener, accepted: Arc<AtomicUsize>, script: F) -> RawServer
where
    F: Fn(usize, Conn) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let addr = listener.local_addr().unwrap();
    let count = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let n = count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(script(n, Conn { stream, buf: Vec::new() }));
        }
    });
    RawServer { addr, accepted }
}

async fn raw_server<F, Fut>(script: F) -> RawServer
where
    F: Fn(usize, Conn) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    serve(TcpListener::bind("127.0.0.1:0").await.unwrap(), Arc::default(), script)
}

fn json_response(body: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len())
        .into_bytes()
}

const VERSION_JSON: &str = r#"{"Version":"20.10.24","ApiVersion":"1.41"}"#;

/// Answers every request on every connection with `VERSION_JSON`, keeping
/// connections open (HTTP/1.1 keep-alive).
async fn answer_all(_n: usize, mut conn: Conn) {
    while conn.request().await.is_some() {
        if conn.write(&json_response(VERSION_JSON)).await.is_err() {
            return;
        }
    }
}

/// A client pinned to 1.41 (no `/_ping`) for `server`.
fn client(host: &str) -> dockhand::DockerBuilder {
    Docker::builder().host(host).unwrap().api_version("1.41").unwrap()
}

const CHUNKED_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

fn chunk(data: &str) -> Vec<u8> {
    format!("{:x}\r\n{data}\r\n", data.len()).into_bytes()
}

fn event(n: i64) -> String {
    format!("{{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{{\"ID\":\"c{n}\"}},\"time\":{n}}}\n")
}

fn assert_timeout(err: &Error, phase: TimeoutPhase, after: Duration, path: &str) {
    match err {
        Error::Timeout { phase: p, after: a, method, path: got } => {
            assert_eq!((*p, *a), (phase, after), "{err}");
            assert_eq!((method.as_str(), got.as_str()), ("GET", path), "{err}");
        }
        other => panic!("expected a {phase:?} timeout, got {other:?}"),
    }
    assert!(err.is_timeout() && err.timeout_phase() == Some(phase));
}

#[tokio::test]
async fn a_daemon_that_never_answers_times_out_in_the_response_phase() {
    let (closed_tx, mut closed_rx) = mpsc::unbounded_channel();
    let server = raw_server(move |_, mut conn| {
        let closed = closed_tx.clone();
        async move {
            conn.request().await;
            conn.closed().await; // never answers
            let _ = closed.send(());
        }
    })
    .await;
    let limit = Duration::from_millis(300);
    let docker = client(&server.host()).response_timeout(Some(limit)).build().unwrap();
    let started = Instant::now();
    let err = docker.version().await.unwrap_err();
    let elapsed = started.elapsed();
    assert_timeout(&err, TimeoutPhase::Response, limit, "/v1.41/version");
    assert!(elapsed >= limit && elapsed < Duration::from_secs(3), "{elapsed:?}");
    // The timed-out request's connection was closed, not leaked.
    tokio::time::timeout(Duration::from_secs(2), closed_rx.recv()).await.expect("connection closed").unwrap();
}

#[tokio::test]
async fn a_per_call_response_timeout_overrides_the_clients() {
    // Answers each request after 400 ms.
    let server = raw_server(|_, mut conn| async move {
        while conn.request().await.is_some() {
            tokio::time::sleep(Duration::from_millis(400)).await;
            if conn.write(&json_response(VERSION_JSON)).await.is_err() {
                return;
            }
        }
    })
    .await;
    let docker = client(&server.host()).response_timeout(Some(Duration::from_secs(30))).build().unwrap();
    let short = Duration::from_millis(150);
    let err = docker.with_response_timeout(Some(short)).version().await.unwrap_err();
    assert_timeout(&err, TimeoutPhase::Response, short, "/v1.41/version");
    // The client itself keeps its own, longer limit.
    assert_eq!(docker.version().await.unwrap().version, "20.10.24");
    assert_eq!(docker.with_response_timeout(None).version().await.unwrap().version, "20.10.24");
}

#[tokio::test]
async fn a_body_that_stalls_midway_times_out_in_the_idle_phase() {
    let server = raw_server(|_, mut conn| async move {
        conn.request().await;
        let _ = conn.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"Version\":\"20.").await;
        conn.closed().await;
    })
    .await;
    let limit = Duration::from_millis(300);
    let docker = client(&server.host()).idle_timeout(Some(limit)).build().unwrap();
    let started = Instant::now();
    let err = docker.version().await.unwrap_err();
    assert_timeout(&err, TimeoutPhase::Idle, limit, "/v1.41/version");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_error_body_that_never_ends_times_out_even_on_a_followed_stream() {
    // A followed log stream has no idle timeout, but the daemon's error
    // message has: a 500 whose body starts and stalls must not hang the call.
    let server = raw_server(|_, mut conn| async move {
        let head = conn.request().await.unwrap_or_default();
        if head.starts_with("GET /_ping") {
            let _ = conn.write(b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK").await;
            conn.closed().await;
            return;
        }
        let _ =
            conn.write(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100\r\n\r\n{\"message\":\"bro").await;
        conn.closed().await;
    })
    .await;
    let limit = Duration::from_millis(300);
    let docker = client(&server.host()).idle_timeout(Some(limit)).build().unwrap();
    let started = Instant::now();
    let mut logs = docker.containers().get("c1").logs(LogsOptions::new().follow(true));
    let first = tokio::time::timeout(Duration::from_secs(10), logs.next()).await;
    let err = first.expect("the call hung on the error body").unwrap().unwrap_err();
    // The status is the error, with the part of the message that came.
    assert_eq!(err.status(), Some(500), "{err:?}");
    assert!(err.to_string().contains("bro"), "{err}");
    let waited = started.elapsed();
    assert!(waited >= limit && waited < Duration::from_secs(3), "{waited:?}");
}

/// An event stream that sends one event, stays silent for `silence`, sends
/// another and stays open.
async fn quiet_event_stream(silence: Duration) -> RawServer {
    raw_server(move |_, mut conn| async move {
        let head = conn.request().await.unwrap_or_default();
        assert!(head.starts_with("GET /v1.41/events "), "{head}");
        let _ = conn.write(CHUNKED_HEAD).await;
        let _ = conn.write(&chunk(&event(1))).await;
        tokio::time::sleep(silence).await;
        let _ = conn.write(&chunk(&event(2))).await;
        conn.closed().await;
    })
    .await
}

#[tokio::test]
async fn a_followed_event_stream_outlives_the_idle_timeout() {
    let idle = Duration::from_millis(150);
    let server = quiet_event_stream(Duration::from_millis(700)).await;
    // The client's idle timeout is short, but a followed stream is exempt.
    let docker = client(&server.host()).idle_timeout(Some(idle)).build().unwrap();
    let mut events = docker.events(EventsOptions::new());
    assert_eq!(events.next().await.unwrap().unwrap().actor.id, "c1");
    let started = Instant::now();
    let second = events.next().await.unwrap().unwrap();
    assert_eq!((second.typ, second.actor.id.as_str()), (EventType::Container, "c2"));
    assert!(started.elapsed() >= Duration::from_millis(500), "the silence was shorter than meant");
}

#[tokio::test]
async fn with_idle_timeout_does_cut_a_silent_event_stream() {
    let idle = Duration::from_millis(150);
    let server = quiet_event_stream(Duration::from_secs(30)).await;
    let docker = client(&server.host()).build().unwrap();
    let mut events = docker.with_idle_timeout(Some(idle)).events(EventsOptions::new());
    assert_eq!(events.next().await.unwrap().unwrap().actor.id, "c1");
    let started = Instant::now();
    let err = events.next().await.unwrap().unwrap_err();
    assert_timeout(&err, TimeoutPhase::Idle, idle, "/v1.41/events");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(events.next().await.is_none(), "the stream ends after the timeout");
}

/// A listener whose accept queue is full, so a new connection attempt's SYN
/// is dropped and `connect` hangs: the connect timeout's case, on loopback.
/// Linux drops SYNs to a listener whose accept queue is full; the queue is
/// filled with probe connections until one hangs.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_connection_that_cannot_be_made_times_out_in_the_connect_phase() {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    let full = tokio::task::spawn_blocking(move || {
        for _ in 0..64 {
            match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
                Ok(s) => held.push(s),
                Err(e) if e.kind() == io::ErrorKind::TimedOut => return Some(held),
                Err(e) => panic!("probe connect: {e}"),
            }
        }
        None
    })
    .await
    .unwrap();
    let _held = full.expect("the accept queue never filled up");

    let limit = Duration::from_millis(300);
    let docker = client(&format!("tcp://{addr}")).connect_timeout(Some(limit)).build().unwrap();
    let started = Instant::now();
    let err = docker.version().await.unwrap_err();
    assert_timeout(&err, TimeoutPhase::Connect, limit, "/v1.41/version");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    // Per call, too.
    let shorter = Duration::from_millis(100);
    let err = docker.with_connect_timeout(Some(shorter)).version().await.unwrap_err();
    assert_timeout(&err, TimeoutPhase::Connect, shorter, "/v1.41/version");
    drop(listener);
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error_that_says_where_and_what_to_do() {
    let port = free_port().await;
    let host = format!("tcp://127.0.0.1:{port}");
    let err = client(&host).build().unwrap().version().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(&host) && text.contains("connection refused") && text.contains("set by the program"),
        "{text}"
    );
    assert!(text.contains("DOCKER_HOST"), "has a hint: {text}");
}

#[tokio::test]
async fn dropping_a_request_future_closes_its_connection() {
    let (closed_tx, mut closed_rx) = mpsc::unbounded_channel();
    let server = raw_server(move |n, mut conn| {
        let closed = closed_tx.clone();
        async move {
            if n == 0 {
                conn.request().await;
                conn.closed().await; // never answers the first connection
                let _ = closed.send(());
            } else {
                answer_all(n, conn).await;
            }
        }
    })
    .await;
    let docker = client(&server.host()).build().unwrap();
    assert!(tokio::time::timeout(Duration::from_millis(200), docker.version()).await.is_err());
    tokio::time::timeout(Duration::from_secs(2), closed_rx.recv()).await.expect("connection closed").unwrap();
    docker.version().await.unwrap();
    assert_eq!(server.accepted(), 2, "the next request had a new connection");
}

#[tokio::test]
async fn dropping_a_stream_mid_body_closes_its_connection() {
    let (closed_tx, mut closed_rx) = mpsc::unbounded_channel();
    let server = raw_server(move |n, mut conn| {
        let closed = closed_tx.clone();
        async move {
            if n == 0 {
                conn.request().await;
                let _ = conn.write(CHUNKED_HEAD).await;
                let _ = conn.write(&chunk(&event(1))).await;
                conn.closed().await;
                let _ = closed.send(());
            } else {
                answer_all(n, conn).await;
            }
        }
    })
    .await;
    let docker = client(&server.host()).build().unwrap();
    let mut events = docker.events(EventsOptions::new());
    assert_eq!(events.next().await.unwrap().unwrap().actor.id, "c1");
    drop(events);
    tokio::time::timeout(Duration::from_secs(2), closed_rx.recv()).await.expect("connection closed").unwrap();
    docker.version().await.unwrap();
    assert_eq!(server.accepted(), 2, "the half-read connection was not reused");
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_a_transport_error() {
    let server = raw_server(|_, mut conn| async move {
        conn.request().await;
        let _ = conn.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Version\":\"20.10\"}").await;
        // and hang up
    })
    .await;
    let err = client(&server.host()).build().unwrap().version().await.unwrap_err();
    match &err {
        Error::Transport { context, .. } => assert!(context.contains("GET /v1.41/version"), "{err}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    // hyper's error is the source.
    assert!(std::error::Error::source(&err).is_some(), "{err:?}");
}

#[tokio::test]
async fn a_chunked_stream_cut_by_a_hang_up_is_an_error_not_a_clean_end() {
    let server = raw_server(|_, mut conn| async move {
        conn.request().await;
        let _ = conn.write(CHUNKED_HEAD).await;
        let _ = conn.write(&chunk(&event(1))).await;
        let _ = conn.write(b"40\r\n{\"Type\":\"conta").await;
        // and hang up inside the chunk
    })
    .await;
    let items: Vec<_> = client(&server.host()).build().unwrap().events(EventsOptions::new()).collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().actor.id, "c1");
    assert!(matches!(items[1], Err(Error::Transport { .. })), "{items:?}");
}

#[tokio::test]
async fn an_endless_error_body_is_read_only_up_to_the_limit() {
    // Announces a 1 GiB error body, sends 256 KiB and then nothing: reading
    // it all would hang.
    let server = raw_server(|_, mut conn| async move {
        conn.request().await;
        let _ = conn.write(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 1073741824\r\n\r\n").await;
        let _ = conn.write(&vec![b'x'; 256 * 1024]).await;
        conn.closed().await;
    })
    .await;
    let docker = client(&server.host()).build().unwrap();
    let err = tokio::time::timeout(Duration::from_secs(5), docker.info())
        .await
        .expect("the error body was read past its limit")
        .unwrap_err();
    assert!(err.is_server_error(), "{err:?}");
    let message = &err.api().unwrap().message;
    assert!(message.starts_with("xxx") && message.len() <= 1024 + 3, "{} bytes", message.len());
}

/// A port on 127.0.0.1 where nothing listens (for now).
async fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port()
}

/// Starts answering on `port` after `delay`; counts accepted connections.
fn listen_later(port: u16, delay: Duration) -> Arc<AtomicUsize> {
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        serve(listener, count, answer_all);
    });
    accepted
}

fn retrying() -> RetryPolicy {
    RetryPolicy { max_retries: 8, initial_backoff: Duration::from_millis(50), max_backoff: Duration::from_millis(200) }
}

#[tokio::test]
async fn without_a_retry_policy_a_refused_get_fails_at_once() {
    let port = free_port().await;
    let accepted = listen_later(port, Duration::from_millis(300));
    let docker = client(&format!("tcp://127.0.0.1:{port}")).build().unwrap();
    let started = Instant::now();
    let err = docker.version().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(300), "waited {:?}", started.elapsed());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_get_is_retried_until_the_daemon_listens() {
    let port = free_port().await;
    let accepted = listen_later(port, Duration::from_millis(250));
    let docker = client(&format!("tcp://127.0.0.1:{port}")).retry(retrying()).build().unwrap();
    let started = Instant::now();
    docker.version().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(250));
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_post_is_never_retried() {
    let port = free_port().await;
    let accepted = listen_later(port, Duration::from_millis(250));
    let docker = client(&format!("tcp://127.0.0.1:{port}")).retry(retrying()).build().unwrap();
    let started = Instant::now();
    let err = docker.auth(&AuthConfig::password("localhost:5000", "u", "p")).await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(250), "waited {:?}: retried", started.elapsed());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "the POST reached the daemon on a retry");
}

#[tokio::test]
async fn sequential_requests_reuse_one_pooled_connection() {
    let server = raw_server(|_, mut conn| async move {
        while let Some(head) = conn.request().await {
            let written = if head.starts_with("GET /v1.41/events") {
                let mut body = CHUNKED_HEAD.to_vec();
                body.extend(chunk(&event(1)));
                body.extend(chunk(&event(2)));
                body.extend(b"0\r\n\r\n");
                conn.write(&body).await
            } else {
                conn.write(&json_response(VERSION_JSON)).await
            };
            if written.is_err() {
                return;
            }
        }
    })
    .await;
    let docker = client(&server.host()).build().unwrap();
    for _ in 0..5 {
        docker.version().await.unwrap();
    }
    // A stream read to its end returns its connection too.
    let events: Vec<_> = docker.events(EventsOptions::new()).collect().await;
    assert_eq!(events.len(), 2);
    docker.version().await.unwrap();
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn pool_max_idle_zero_opens_a_connection_per_request() {
    let server = raw_server(answer_all).await;
    let docker = client(&server.host()).pool_max_idle(0).build().unwrap();
    for _ in 0..5 {
        docker.version().await.unwrap();
    }
    assert_eq!(server.accepted(), 5);
}

#[tokio::test]
async fn segments_and_headers_go_on_the_wire_as_built() {
    let (heads_tx, mut heads_rx) = mpsc::unbounded_channel();
    let server = raw_server(move |_, mut conn| {
        let heads = heads_tx.clone();
        async move {
            while let Some(head) = conn.request().await {
                let _ = heads.send(head);
                let _ = conn.write(&json_response("{}")).await;
            }
        }
    })
    .await;
    let transport = NativeTransport::builder(Endpoint::explicit(server.host().parse().unwrap())).build().unwrap();
    let id = segment("container", "a b?c#d/e%f").unwrap();
    let request = ApiRequest::get(format!("/containers/{id}/json")).query("size", 1);
    let response = transport.send(request.into_http(ApiVersion::MIN).unwrap()).await.unwrap();
    assert_eq!(response.status(), 200);
    let head = heads_rx.recv().await.unwrap();
    let mut lines = head.lines();
    assert_eq!(lines.next(), Some("GET /v1.41/containers/a%20b%3Fc%23d%2Fe%25f/json?size=1 HTTP/1.1"));
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned())).collect();
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(header("host"), Some(server.addr.to_string().as_str()));
    assert_eq!(header("user-agent"), Some(dockhand::USER_AGENT));
    assert_eq!(header("content-type"), None);
    assert_eq!(header("transfer-encoding"), None, "a GET has no body: {head}");
}

#[tokio::test]
async fn negotiation_reuses_the_pinged_connection() {
    let server = raw_server(|_, mut conn| async move {
        while let Some(head) = conn.request().await {
            let answer = if head.starts_with("GET /_ping ") {
                b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK"
                    .to_vec()
            } else {
                json_response(VERSION_JSON)
            };
            if conn.write(&answer).await.is_err() {
                return;
            }
        }
    })
    .await;
    let docker = Docker::builder().host(&server.host()).unwrap().build().unwrap();
    for _ in 0..3 {
        docker.version().await.unwrap();
    }
    docker.ping().await.unwrap();
    docker.version().await.unwrap();
    assert_eq!(server.accepted(), 1, "the ping's connection was dropped instead of pooled");
}

#[tokio::test]
async fn a_hang_up_before_the_answer_is_a_transport_error_and_is_not_retried() {
    let server = raw_server(|_, mut conn| async move {
        conn.request().await;
        // and hang up without a word
    })
    .await;
    let docker = client(&server.host()).retry(retrying()).build().unwrap();
    let err = docker.version().await.unwrap_err();
    match &err {
        Error::Transport { context, .. } => assert_eq!(context, "GET /v1.41/version", "{err}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(!err.is_connect(), "the request was sent: retrying could repeat it");
    assert_eq!(server.accepted(), 1);
}

#[cfg(unix)]
#[tokio::test]
async fn a_missing_unix_socket_says_so_and_what_to_do() {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let path = std::env::temp_dir().join(format!("dockhand-mock-{}-{nanos}.sock", std::process::id()));
    let host = format!("unix://{}", path.display());
    let err = client(&host).build().unwrap().version().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains(&host) && text.contains("no such socket") && text.contains("dockerd"), "{text}");
    // The operating system's error is kept as the source, down the chain.
    assert_eq!(err.io_kind(), Some(std::io::ErrorKind::NotFound), "{err:?}");
    assert!(std::error::Error::source(&err).is_some(), "{err:?}");
    let mut chain = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = next {
        chain.push(e);
        next = e.source();
    }
    assert!(chain.iter().any(|e| e.is::<std::io::Error>()), "no io::Error in the chain of {err:?}");

    // A socket file nobody listens on any more.
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    drop(listener);
    let err = client(&host).build().unwrap().version().await.unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert!(err.to_string().contains("connection refused"), "{err}");
    assert_eq!(err.io_kind(), Some(std::io::ErrorKind::ConnectionRefused), "{err:?}");
}

#[tokio::test]
async fn an_idle_connection_the_daemon_closed_is_replaced_without_an_error() {
    // One answer per connection, then the daemon hangs up (as dockerd does
    // after its idle timeout), without saying `Connection: close`.
    let server = raw_server(|_, mut conn| async move {
        if conn.request().await.is_some() {
            let _ = conn.write(&json_response(VERSION_JSON)).await;
        }
    })
    .await;
    let docker = client(&server.host()).build().unwrap();
    for _ in 0..3 {
        docker.version().await.unwrap();
        // The hang-up reaches the client while the connection is pooled.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(server.accepted(), 3);
}

#[tokio::test]
async fn a_response_dropped_unread_whose_body_is_all_there_keeps_its_connection() {
    let server = raw_server(|_, mut conn| async move {
        while let Some(head) = conn.request().await {
            let answer = if head.starts_with("POST ") {
                b"HTTP/1.1 204 No Content\r\n\r\n".to_vec()
            } else {
                json_response(VERSION_JSON)
            };
            if conn.write(&answer).await.is_err() {
                return;
            }
        }
    })
    .await;
    let transport = NativeTransport::builder(Endpoint::explicit(server.host().parse().unwrap())).build().unwrap();
    for path in ["/containers/c/start", "/version", "/containers/c/stop"] {
        let request = if path == "/version" { ApiRequest::get(path) } else { ApiRequest::post(path) };
        let response = transport.send(request.into_http(ApiVersion::MIN).unwrap()).await.unwrap();
        assert!(response.status().is_success());
        // Dropped unread: a 204's empty body, a JSON body already received.
        drop(response);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.accepted(), 1, "a connection whose answer was complete was closed");
}
