//! mockito tests of the stream and exec endpoints: request shapes, framing
//! decisions and error paths. The real behaviour is tested against dockerd
//! in `tests/streams.rs`.

mod common;

use common::{client, server};
use dockhand::api::{ExecOptions, LogsOptions};
use dockhand::stream::StdStream;
use dockhand::stream::frames::frame_header;
use dockhand::{Docker, Error};
use futures::StreamExt;
use mockito::Matcher;

fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = frame_header(stream, payload.len() as u32).to_vec();
    v.extend_from_slice(payload);
    v
}

#[tokio::test]
async fn logs_request_shape_and_multiplexed_media_type() {
    let mut s = server().await;
    let body = [frame(1, b"out\n"), frame(2, b"err\n")].concat();
    let m = s
        .mock("GET", "/v1.44/containers/web/logs")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("follow".into(), "1".into()),
            Matcher::UrlEncoded("stdout".into(), "1".into()),
            Matcher::UrlEncoded("stderr".into(), "1".into()),
            Matcher::UrlEncoded("tail".into(), "5".into()),
        ]))
        .with_header("content-type", "application/vnd.docker.multiplexed-stream")
        .with_body(body)
        .create_async()
        .await;
    let docker = client(&s, "1.44");
    let items: Vec<_> = docker.containers().get("web").logs(LogsOptions::new().follow(true).tail(5)).collect().await;
    m.assert_async().await;
    let items: Vec<_> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(items.len(), 2);
    assert_eq!((items[0].stream, &items[0].data[..]), (StdStream::Stdout, &b"out\n"[..]));
    assert_eq!((items[1].stream, &items[1].data[..]), (StdStream::Stderr, &b"err\n"[..]));
}

#[tokio::test]
async fn old_daemons_unlabelled_logs_are_framed_by_the_containers_tty() {
    // dockerd 20.10 (API 1.41) sends multiplexed logs with no Content-Type:
    // the container's Tty, read by an inspect, decides.
    let mut s = server().await;
    let body = [frame(1, b"a"), frame(2, b"b")].concat();
    let logs =
        s.mock("GET", "/v1.41/containers/web/logs").match_query(Matcher::Any).with_body(body).create_async().await;
    let inspect = s
        .mock("GET", "/v1.41/containers/web/json")
        .with_header("content-type", "application/json")
        .with_body(r#"{"Id":"abc","Config":{"Tty":false}}"#)
        .create_async()
        .await;
    let docker = client(&s, "1.41");
    let items: Vec<_> = docker.containers().get("web").logs(LogsOptions::new()).collect().await;
    logs.assert_async().await;
    inspect.assert_async().await;
    let streams: Vec<_> = items.iter().map(|i| i.as_ref().unwrap().stream).collect();
    assert_eq!(streams, [StdStream::Stdout, StdStream::Stderr]);

    // With the caller's tty hint, no inspect is sent; a raw body stays raw.
    let raw = s
        .mock("GET", "/v1.41/containers/tty/logs")
        .match_query(Matcher::Any)
        .with_header("content-type", "application/vnd.docker.raw-stream")
        .with_body("\x01not a header")
        .create_async()
        .await;
    let items: Vec<_> = docker.containers().get("tty").logs(LogsOptions::new().tty(true)).collect().await;
    raw.assert_async().await;
    let item = items[0].as_ref().unwrap();
    assert_eq!((item.stream, &item.data[..]), (StdStream::Console, &b"\x01not a header"[..]));
}

#[tokio::test]
async fn truncated_and_error_frames_are_typed_errors() {
    let mut s = server().await;
    let mut body = frame(1, b"ok");
    body.extend_from_slice(&frame_header(1, 100));
    body.extend_from_slice(b"short");
    s.mock("GET", "/v1.44/containers/cut/logs")
        .match_query(Matcher::Any)
        .with_header("content-type", "application/vnd.docker.multiplexed-stream")
        .with_body(body)
        .create_async()
        .await;
    s.mock("GET", "/v1.44/containers/sys/logs")
        .match_query(Matcher::Any)
        .with_header("content-type", "application/vnd.docker.multiplexed-stream")
        .with_body(frame(3, b"log driver failed"))
        .create_async()
        .await;
    let docker = client(&s, "1.44");
    let items: Vec<_> = docker.containers().get("cut").logs(LogsOptions::new()).collect().await;
    assert_eq!(&items[0].as_ref().unwrap().data[..], b"ok");
    // The cut frame is not delivered short: the stream ends with an error.
    assert_eq!(items.len(), 2);
    let err = items[1].as_ref().unwrap_err();
    assert!(matches!(err, Error::Stream { .. }), "{err:?}");
    let items: Vec<_> = docker.containers().get("sys").logs(LogsOptions::new()).collect().await;
    assert_eq!(items.len(), 1);
    assert!(
        matches!(&items[0], Err(Error::Stream { message, .. }) if message == "log driver failed"),
        "{:?}",
        items[0]
    );
}

#[tokio::test]
async fn logs_of_a_missing_container_is_not_found() {
    let mut s = server().await;
    s.mock("GET", "/v1.44/containers/nope/logs")
        .match_query(Matcher::Any)
        .with_status(404)
        .with_header("content-type", "application/json")
        .with_body(r#"{"message":"No such container: nope"}"#)
        .create_async()
        .await;
    let items: Vec<_> = client(&s, "1.44").containers().get("nope").logs(LogsOptions::new()).collect().await;
    assert_eq!(items.len(), 1);
    assert!(items[0].as_ref().unwrap_err().is_not_found());
}

#[tokio::test]
async fn exec_create_shape_and_conflict_on_a_paused_container() {
    let mut s = server().await;
    let ok = s
        .mock("POST", "/v1.41/containers/web/exec")
        .match_body(Matcher::PartialJson(serde_json::json!({
            "Cmd": ["sh", "-c", "id"], "Env": ["A=1"], "WorkingDir": "/tmp", "User": "nobody",
            "Tty": false, "AttachStdout": true, "Privileged": false, "DetachKeys": "ctrl-x"
        })))
        .with_status(201)
        .with_header("content-type", "application/json")
        .with_body(r#"{"Id":"e1"}"#)
        .create_async()
        .await;
    let paused = s
        .mock("POST", "/v1.41/containers/paused/exec")
        .with_status(409)
        .with_header("content-type", "application/json")
        .with_body(r#"{"message":"Container paused is paused, unpause the container before exec"}"#)
        .create_async()
        .await;
    let docker = client(&s, "1.41");
    let opts = ExecOptions::new(["sh", "-c", "id"])
        .env("A=1")
        .working_dir("/tmp")
        .user("nobody")
        .attach_stdout(true)
        .detach_keys("ctrl-x");
    let exec = docker.containers().get("web").exec(&opts).await.unwrap();
    assert_eq!(exec.id(), "e1");
    ok.assert_async().await;
    let err = docker.containers().get("paused").exec(&opts).await.unwrap_err();
    paused.assert_async().await;
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("is paused"), "{err}");
}

#[tokio::test]
async fn exec_start_of_a_missing_exec_is_not_found() {
    let mut s = server().await;
    let m = s
        .mock("POST", "/v1.41/exec/gone/start")
        .match_header("upgrade", "tcp")
        .match_header("connection", Matcher::Regex("(?i)upgrade".into()))
        .match_body(Matcher::Json(serde_json::json!({"Detach": false, "Tty": false})))
        .with_status(404)
        .with_header("content-type", "application/json")
        .with_body(r#"{"message":"No such exec instance: gone"}"#)
        .create_async()
        .await;
    let detached = s
        .mock("POST", "/v1.41/exec/gone/start")
        .match_body(Matcher::Json(serde_json::json!({"Detach": true, "Tty": false})))
        .with_status(404)
        .with_body(r#"{"message":"No such exec instance: gone"}"#)
        .create_async()
        .await;
    let docker = client(&s, "1.41");
    // A handle from `docker.exec(id)` looks its tty up first: answer it.
    s.mock("GET", "/v1.41/exec/gone/json")
        .with_header("content-type", "application/json")
        .with_body(r#"{"ID":"gone","ProcessConfig":{"tty":false}}"#)
        .create_async()
        .await;
    let err = docker.exec("gone").start().await.unwrap_err();
    m.assert_async().await;
    assert!(err.is_not_found(), "{err:?}");
    let err = docker.exec("gone").start_detached().await.unwrap_err();
    detached.assert_async().await;
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn exec_inspect_and_resize_shapes() {
    let mut s = server().await;
    s.mock("GET", "/v1.41/exec/e1/json")
        .with_header("content-type", "application/json")
        .with_body(r#"{"ID":"e1","Running":false,"ExitCode":3,"Pid":123,"ProcessConfig":{"tty":true,"entrypoint":"sh","arguments":null}}"#)
        .create_async()
        .await;
    let resize = s
        .mock("POST", "/v1.41/exec/e1/resize")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("h".into(), "40".into()),
            Matcher::UrlEncoded("w".into(), "120".into()),
        ]))
        .with_status(201)
        .create_async()
        .await;
    let docker = client(&s, "1.41");
    let exec = docker.exec("e1");
    let info = exec.inspect().await.unwrap();
    assert_eq!((info.exit_code, info.pid, info.running, info.process_config.tty), (Some(3), 123, false, true));
    exec.resize(dockhand::api::TtySize { height: 40, width: 120 }).await.unwrap();
    resize.assert_async().await;
    // Ids that could reach another endpoint never leave the process.
    assert!(matches!(docker.exec("../containers").inspect().await, Err(Error::InvalidInput { .. })));
}

/// A one-connection synthetic daemon on loopback: reads one request head,
/// hands it and the socket to `answer`.
async fn synthetic<F, Fut>(answer: F) -> (String, tokio::task::JoinHandle<String>)
where
    F: FnOnce(String, tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let task = tokio::spawn(async move {
        let (mut conn, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            let mut byte = [0u8; 1];
            assert_eq!(conn.read(&mut byte).await.unwrap(), 1, "request cut");
            head.push(byte[0]);
        }
        let mut head = String::from_utf8(head).unwrap();
        // The JSON body, when there is one.
        if let Some(len) = head.lines().find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length: ").map(|v| v.trim().parse::<usize>().unwrap())
        }) {
            let mut body = vec![0u8; len];
            conn.read_exact(&mut body).await.unwrap();
            head.push_str(&String::from_utf8_lossy(&body));
        }
        answer(head.clone(), conn).await;
        head
    });
    (addr, task)
}

#[tokio::test]
async fn exec_start_upgrades_and_half_closes_stdin() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (addr, server) = synthetic(|_, mut conn| async move {
        conn.write_all(b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
            .await
            .unwrap();
        // Echo stdin as stdout frames until the client half-closes, then
        // say goodbye on stderr: what `cat` does behind dockerd.
        let mut buf = [0u8; 1024];
        loop {
            let n = conn.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            conn.write_all(&frame(1, &buf[..n])).await.unwrap();
        }
        conn.write_all(&frame(2, b"eof seen\n")).await.unwrap();
    })
    .await;
    let docker =
        Docker::builder().host(&format!("tcp://{addr}")).unwrap().api_version("1.41").unwrap().build().unwrap();
    let mut attached = docker.exec("e1").with_tty(false).start().await.unwrap();
    // API 1.41 labels it raw; the exec's tty (false) says multiplexed.
    assert_eq!(attached.framing(), dockhand::stream::Framing::Multiplexed);
    use futures::AsyncWriteExt as _;
    attached.input.write_all(b"round trip\n").await.unwrap();
    attached.input.close().await.unwrap();
    let (stdout, stderr) = attached.collect_output().await.unwrap();
    assert_eq!((&stdout[..], &stderr[..]), (&b"round trip\n"[..], &b"eof seen\n"[..]));
    let head = server.await.unwrap();
    assert!(head.starts_with("POST /v1.41/exec/e1/start HTTP/1.1\r\n"), "{head}");
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("\r\nupgrade: tcp\r\n") && lower.contains("\r\nconnection: upgrade\r\n"), "{head}");
    assert!(head.ends_with(r#"{"Detach":false,"Tty":false}"#), "{head}");
}

#[tokio::test]
async fn websocket_attach_keeps_its_upgrade_headers() {
    let (addr, server) = synthetic(|_, _conn| async move {
        // Refuse: only the request's shape matters here.
    })
    .await;
    // API 1.42: the first version whose websocket attach reads the stream
    // choice (1.41 is sent `?stream=1` only, see api::container_streams).
    let docker =
        Docker::builder().host(&format!("tcp://{addr}")).unwrap().api_version("1.42").unwrap().build().unwrap();
    let opts = dockhand::api::AttachOptions::new().stdin(true).stdout(true);
    assert!(docker.containers().get("web").attach_ws(opts).await.is_err());
    let head = server.await.unwrap().to_ascii_lowercase();
    assert!(head.starts_with("get /v1.42/containers/web/attach/ws?stream=1&stdin=1&stdout=1 http/1.1"), "{head}");
    assert!(head.contains("\r\nupgrade: websocket\r\n") && !head.contains("upgrade: tcp"), "{head}");
    assert!(head.contains("\r\nsec-websocket-version: 13\r\n") && head.contains("\r\nsec-websocket-key: "), "{head}");
}
