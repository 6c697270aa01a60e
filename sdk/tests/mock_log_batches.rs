//! mockito tests of the log stream's batched decoding through the whole
//! client path (`ContainerHandle::logs`, the `Logs` stream): many frames in one
//! body, an error frame or a cut among them. The real daemon's logs are
//! tested in `tests/streams.rs`.

mod common;

use common::{client, server};
use dockhand::api::LogsOptions;
use dockhand::stream::StdStream;
use dockhand::stream::frames::frame_header;
use dockhand::{Error, Logs};
use futures::StreamExt;
use mockito::Matcher;

fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = frame_header(stream, payload.len() as u32).to_vec();
    v.extend_from_slice(payload);
    v
}

/// 1000 frames of 1 KiB, alternating stdout and stderr, each filled with
/// its index.
fn many_frames() -> Vec<u8> {
    (0..1000u32).flat_map(|i| frame(1 + (i % 2) as u8, &[(i % 251) as u8; 1024])).collect()
}

/// Answers `GET /containers/{name}/logs` with `body` as a multiplexed stream.
async fn mock_logs(s: &mut mockito::ServerGuard, name: &str, body: Vec<u8>) {
    s.mock("GET", format!("/v1.44/containers/{name}/logs").as_str())
        .match_query(Matcher::Any)
        .with_header("content-type", "application/vnd.docker.multiplexed-stream")
        .with_body(body)
        .create_async()
        .await;
}

fn check_frame(i: usize, item: &dockhand::Result<dockhand::stream::Output>) {
    let item = item.as_ref().unwrap_or_else(|e| panic!("item {i}: {e}"));
    let stream = if i % 2 == 0 { StdStream::Stdout } else { StdStream::Stderr };
    assert_eq!(item.stream, stream, "item {i}");
    assert_eq!(&item.data[..], &[(i % 251) as u8; 1024][..], "item {i}");
}

#[tokio::test]
async fn many_frames_arrive_whole_and_in_order() {
    let mut s = server().await;
    mock_logs(&mut s, "many", many_frames()).await;
    let docker = client(&s, "1.44");
    let logs: Logs = docker.containers().get("many").logs(LogsOptions::new());
    assert_eq!(format!("{logs:?}"), "Logs(\"pending\")");
    let items: Vec<_> = logs.collect().await;
    assert_eq!(items.len(), 1000);
    for (i, item) in items.iter().enumerate() {
        check_frame(i, item);
    }
}

#[tokio::test]
async fn an_error_frame_after_many_frames_ends_the_stream() {
    let mut s = server().await;
    let mut body = many_frames();
    body.extend_from_slice(&frame(3, b"the log driver failed\n"));
    body.extend_from_slice(&frame(1, b"not delivered"));
    mock_logs(&mut s, "sys", body).await;
    let docker = client(&s, "1.44");
    // Also through a boxed stream, as callers that erase the type have it.
    let items: Vec<_> = docker.containers().get("sys").logs(LogsOptions::new()).boxed().collect().await;
    assert_eq!(items.len(), 1001);
    for (i, item) in items[..1000].iter().enumerate() {
        check_frame(i, item);
    }
    assert!(
        matches!(&items[1000], Err(Error::Stream { message, .. }) if message == "the log driver failed"),
        "{:?}",
        items[1000]
    );
}

#[tokio::test]
async fn a_cut_after_many_frames_and_a_huge_claimed_length() {
    let mut s = server().await;
    let mut body = many_frames();
    body.extend_from_slice(&frame_header(2, u32::MAX));
    body.extend_from_slice(b"only this");
    mock_logs(&mut s, "cut", body).await;
    let docker = client(&s, "1.44");
    let items: Vec<_> = docker.containers().get("cut").logs(LogsOptions::new()).collect().await;
    for (i, item) in items[..1000].iter().enumerate() {
        check_frame(i, item);
    }
    // The claimed 4 GiB frame is delivered as its bytes come, then the end
    // inside it is an error.
    let rest = &items[1000..];
    let (last, pieces) = rest.split_last().unwrap();
    let delivered: Vec<u8> = pieces.iter().flat_map(|o| o.as_ref().unwrap().data.to_vec()).collect();
    assert_eq!(delivered, b"only this");
    assert!(pieces.iter().all(|o| o.as_ref().unwrap().stream == StdStream::Stderr));
    let err = last.as_ref().unwrap_err();
    assert!(matches!(err, Error::Stream { .. }) && err.to_string().contains("ended inside a frame"), "{err}");
}
