//! Streamed responses (logs, events, progress), which the native transport
//! reads on the raw connection and whose chunked encoding it decodes
//! itself: hostile framing is a typed error, each chunk one item, and the
//! connection is pooled only when the body was read to its end.
//!
//! The servers are hand-scripted TCP listeners on 127.0.0.1 (mockito cannot
//! split chunks across writes or send bad chunk sizes).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dockhand::api::{EventsOptions, LogsOptions};
use dockhand::{Docker, Error};
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Reads a request head; `None` when the client closed the connection.
async fn request(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// A server whose every connection gets `answer` for each request (split
/// into writes of `step` bytes); stops answering on a connection after
/// `Connection: close`. Returns its host and how many connections it took.
async fn server(answer: Vec<u8>, step: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = format!("tcp://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            tokio::spawn(async move {
                while request(&mut stream).await.is_some() {
                    for piece in answer.chunks(step) {
                        if stream.write_all(piece).await.is_err() || stream.flush().await.is_err() {
                            return;
                        }
                        tokio::task::yield_now().await;
                    }
                    if String::from_utf8_lossy(&answer).contains("Connection: close") {
                        return;
                    }
                }
            });
        }
    });
    (host, accepted)
}

fn client(host: &str) -> Docker {
    Docker::builder().host(host).unwrap().api_version("1.41").unwrap().build().unwrap()
}

const LOG_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n";

fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![stream, 0, 0, 0];
    f.extend((payload.len() as u32).to_be_bytes());
    f.extend(payload);
    f
}

/// A log body as dockerd writes it: one chunk per frame.
fn log_answer(lines: usize, size: usize, extra_head: &str) -> Vec<u8> {
    let mut out = format!("{LOG_HEAD}{extra_head}\r\n").into_bytes();
    for i in 0..lines {
        let f = frame(1 + (i % 2) as u8, &vec![b'a' + (i % 26) as u8; size]);
        out.extend(format!("{:x}\r\n", f.len()).into_bytes());
        out.extend(f);
        out.extend(b"\r\n");
    }
    out.extend(b"0\r\n\r\n");
    out
}

async fn read_logs(docker: &Docker) -> Vec<dockhand::Result<dockhand::stream::Output>> {
    let logs = docker.containers().get("c").logs(LogsOptions::new().tty(false));
    tokio::time::timeout(Duration::from_secs(10), logs.collect()).await.expect("the stream ended")
}

#[tokio::test]
async fn one_chunk_per_frame_gives_one_item_per_frame_however_the_bytes_arrive() {
    for (size, step) in [(1000, 7), (1000, 4096), (32 * 1024, 1500), (32 * 1024, 100_000)] {
        let (host, _) = server(log_answer(50, size, ""), step).await;
        let items = read_logs(&client(&host)).await;
        assert_eq!(items.len(), 50, "size {size} step {step}");
        for (i, item) in items.iter().enumerate() {
            let item = item.as_ref().unwrap();
            assert_eq!(item.data.len(), size);
            assert!(item.data.iter().all(|&b| b == b'a' + (i % 26) as u8));
        }
    }
}

#[tokio::test]
async fn a_stream_read_to_its_end_keeps_its_connection_unless_told_to_close() {
    let (host, accepted) = server(log_answer(3, 10, ""), 1 << 20).await;
    let docker = client(&host);
    for _ in 0..3 {
        assert_eq!(read_logs(&docker).await.len(), 3);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "the streams did not share one connection");

    let (host, accepted) = server(log_answer(3, 10, "Connection: close\r\n"), 1 << 20).await;
    let docker = client(&host);
    for _ in 0..2 {
        assert_eq!(read_logs(&docker).await.len(), 3);
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 2, "a connection the daemon closes was pooled");
}

/// A transport error whose message says what was wrong.
fn assert_transport(items: &[dockhand::Result<impl std::fmt::Debug>], says: &str) {
    let last = items.last().expect("an item");
    match last {
        Err(Error::Transport { message, .. }) => assert!(message.contains(says), "{message}"),
        other => panic!("expected a transport error saying {says:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn hostile_chunk_framing_is_a_transport_error() {
    let bad_size = format!("{LOG_HEAD}\r\nzz\r\nxx\r\n0\r\n\r\n");
    let (host, _) = server(bad_size.into_bytes(), 1 << 20).await;
    assert_transport(&read_logs(&client(&host)).await, "bad chunk size");

    let overflow = format!("{LOG_HEAD}\r\nffffffffffffffffffff\r\n");
    let (host, _) = server(overflow.into_bytes(), 1 << 20).await;
    assert_transport(&read_logs(&client(&host)).await, "too big");

    let no_crlf = format!("{LOG_HEAD}\r\n9\r\n\x01\0\0\0\0\0\0\x01aXX0\r\n\r\n");
    let (host, _) = server(no_crlf.into_bytes(), 1 << 20).await;
    assert_transport(&read_logs(&client(&host)).await, "CRLF");

    let endless_line = format!("{LOG_HEAD}\r\n{}", "1".repeat(10_000));
    let (host, _) = server(endless_line.into_bytes(), 1 << 20).await;
    assert_transport(&read_logs(&client(&host)).await, "chunk-size line");
}

#[tokio::test]
async fn an_oversized_or_malformed_head_is_a_transport_error() {
    let long = format!("HTTP/1.1 200 OK\r\nX-Big: {}\r\n\r\n", "a".repeat(100_000));
    let (host, _) = server(long.into_bytes(), 1 << 20).await;
    let items: Vec<_> = client(&host).events(EventsOptions::new()).collect().await;
    assert_transport(&items, "over");

    let (host, _) = server(b"SSH-2.0-OpenSSH\r\n\r\n".to_vec(), 1 << 20).await;
    let items: Vec<_> = client(&host).events(EventsOptions::new()).collect().await;
    assert_transport(&items, "malformed");
}

#[tokio::test]
async fn an_error_status_on_a_stream_is_an_api_error_with_the_daemons_message() {
    let body = r#"{"message":"No such container: c"}"#;
    let answer = format!(
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (host, _) = server(answer.into_bytes(), 5).await;
    let items = read_logs(&client(&host)).await;
    let err = items.last().unwrap().as_ref().unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.api().unwrap().message, "No such container: c");
}

#[tokio::test]
async fn a_stream_whose_daemon_never_answers_times_out_and_closes_its_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = format!("tcp://{}", listener.local_addr().unwrap());
    let (closed_tx, closed_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        request(&mut stream).await;
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest).await; // never answers; waits for the client to close
        let _ = closed_tx.send(());
    });
    let limit = Duration::from_millis(300);
    let docker = Docker::builder()
        .host(&host)
        .unwrap()
        .api_version("1.41")
        .unwrap()
        .response_timeout(Some(limit))
        .build()
        .unwrap();
    let items: Vec<_> = docker.events(EventsOptions::new()).collect().await;
    match items.as_slice() {
        [Err(Error::Timeout { phase: dockhand::TimeoutPhase::Response, after, path, .. })] => {
            assert_eq!((*after, path.as_str()), (limit, "/v1.41/events"));
        }
        other => panic!("expected one response timeout, got {other:?}"),
    }
    tokio::time::timeout(Duration::from_secs(2), closed_rx).await.expect("connection closed").unwrap();
}

#[tokio::test]
async fn dropping_a_stream_mid_body_closes_its_connection_and_it_is_not_reused() {
    // Endless: the body never ends, so the connection cannot be reused.
    let mut answer = format!("{LOG_HEAD}\r\n").into_bytes();
    for _ in 0..10_000 {
        let f = frame(1, b"line\n");
        answer.extend(format!("{:x}\r\n", f.len()).into_bytes());
        answer.extend(f);
        answer.extend(b"\r\n");
    }
    let (host, accepted) = server(answer, 4096).await;
    let docker = client(&host);
    for _ in 0..2 {
        let mut logs = docker.containers().get("c").logs(LogsOptions::new().tty(false));
        assert_eq!(&logs.next().await.unwrap().unwrap().data[..], b"line\n");
        drop(logs);
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 2, "a half-read stream's connection was pooled");
}
