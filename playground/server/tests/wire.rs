//! The bytes on the wire, read by a raw HTTP/1.1 client over the unix
//! socket, from `dockhand-sim` and, for the same request, from the real
//! dockerd (`/var/run/docker.sock`, when it answers): streamed replies are
//! `Transfer-Encoding: chunked` with one JSON message per chunk, as
//! dockerd writes and flushes each.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dockhand_engine::formats::{TarEntry, tar};

mod common;
use common::SimProcess as Sim;

fn sim() -> Sim {
    Sim::start()
}

/// The real daemon's socket, when a daemon answers on it.
fn dockerd() -> Option<PathBuf> {
    let path = PathBuf::from("/var/run/docker.sock");
    let ok = exchange(&path, "GET", "/_ping", &[], &[]).is_ok_and(|r| r.status == 200);
    if !ok {
        if std::env::var("DOCKHAND_REQUIRE_DOCKER").as_deref() == Ok("1") {
            panic!("a Docker daemon is required (DOCKHAND_REQUIRE_DOCKER=1) but none answers");
        }
        eprintln!("SKIPPED on dockerd: no daemon answers at {}", path.display());
        return None;
    }
    Some(path)
}

/// A response as it came: status, headers (lower-case names), the chunks of
/// a chunked body (or the whole body as one).
#[derive(Debug)]
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    chunked: bool,
    chunks: Vec<Vec<u8>>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// One request over a fresh connection (`Connection: close`), read to the end.
fn exchange(socket: &Path, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> std::io::Result<Raw> {
    let mut s = UnixStream::connect(socket)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut all = Vec::new();
    s.read_to_end(&mut all)?;
    Ok(parse(&all))
}

fn parse(all: &[u8]) -> Raw {
    let end = all.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head") + 4;
    let head = String::from_utf8_lossy(&all[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let mut rest = &all[end..];
    let mut chunks = Vec::new();
    if !chunked {
        chunks.push(rest.to_vec());
    } else {
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").expect("a chunk size line");
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).expect("hex").trim(), 16).expect("size");
            rest = &rest[nl + 2..];
            if size == 0 {
                break;
            }
            chunks.push(rest[..size].to_vec());
            assert_eq!(&rest[size..size + 2], b"\r\n", "a chunk ends with CRLF");
            rest = &rest[size + 2..];
        }
    }
    Raw { status, headers, chunked, chunks }
}

/// Asserts the framing dockerd uses for a JSON stream: chunked, no length,
/// and each chunk exactly one JSON message ended by a newline.
fn assert_one_message_per_chunk(what: &str, r: &Raw, at_least: usize) {
    assert_eq!(r.header("content-type"), Some("application/json"), "{what}");
    assert_one_document_per_chunk(what, r, at_least);
}

/// The framing of a stream of JSON documents, whatever its content type
/// (dockerd names none for a stats stream).
fn assert_one_document_per_chunk(what: &str, r: &Raw, at_least: usize) {
    assert_eq!(r.status, 200, "{what}: {r:?}");
    assert!(r.chunked, "{what}: not chunked: {:?}", r.headers);
    assert_eq!(r.header("content-length"), None, "{what}");
    assert!(r.chunks.len() >= at_least, "{what}: {} chunks", r.chunks.len());
    for chunk in &r.chunks {
        let text = String::from_utf8_lossy(chunk);
        assert!(text.ends_with('\n'), "{what}: a chunk that does not end a message: {text:?}");
        let values: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&text)
            .into_iter()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{what}: {text:?}: {e}"));
        assert_eq!(values.len(), 1, "{what}: a chunk of {} messages: {text:?}", values.len());
    }
}

/// A build context holding only this Dockerfile.
fn context(dockerfile: &str) -> Vec<u8> {
    tar(&[TarEntry { path: "Dockerfile".into(), dir: false, data: dockerfile.as_bytes().to_vec() }])
}

const TAR: (&str, &str) = ("Content-Type", "application/x-tar");

#[test]
fn a_build_streams_one_message_per_chunk_on_both_daemons() {
    let ctx = context("FROM scratch\nLABEL dockhand.test=1\n");
    let sim = sim();
    let tag = format!("dockhand-wire-{}:1", std::process::id());
    let path = format!("/v1.41/build?t={tag}&rm=1");
    let r = exchange(sim.socket(), "POST", &path, &[TAR], &ctx).expect("build on the sim");
    assert_one_message_per_chunk("build on dockhand-sim", &r, 4);
    if let Some(docker) = dockerd() {
        let r = exchange(&docker, "POST", &path, &[TAR], &ctx).expect("build on dockerd");
        let _ = exchange(&docker, "DELETE", &format!("/v1.41/images/{tag}"), &[], &[]);
        assert_one_message_per_chunk("build on dockerd", &r, 4);
    }
}

#[test]
fn pull_push_load_and_events_stream_one_message_per_chunk() {
    let sim = sim();
    let r = exchange(sim.socket(), "POST", "/v1.41/images/create?fromImage=busybox&tag=latest", &[], &[]).unwrap();
    assert_one_message_per_chunk("pull", &r, 3);
    // `docker save` streams the archive (no length); `docker load` reads it back.
    let saved = exchange(sim.socket(), "GET", "/v1.41/images/busybox:latest/get", &[], &[]).unwrap();
    assert_eq!(saved.status, 200);
    assert!(saved.chunked, "{:?}", saved.headers);
    let archive: Vec<u8> = saved.chunks.concat();
    let r = exchange(sim.socket(), "POST", "/v1.41/images/load", &[TAR], &archive).unwrap();
    assert_one_message_per_chunk("load", &r, 1);
    // Events until now: each event its own chunk.
    let version = exchange(sim.socket(), "GET", "/v1.41/version", &[], &[]).unwrap();
    assert!(!version.chunked, "a JSON document keeps its Content-Length");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 1;
    let r = exchange(sim.socket(), "GET", &format!("/v1.41/events?since=0&until={now}"), &[], &[]).unwrap();
    assert_one_message_per_chunk("events", &r, 2);
}

#[test]
fn events_stream_one_event_per_chunk_on_dockerd_too() {
    let Some(docker) = dockerd() else { return };
    let ctx = context("FROM scratch\nLABEL dockhand.test=1\n");
    let tag = format!("dockhand-wire-ev-{}:1", std::process::id());
    let built = exchange(&docker, "POST", &format!("/v1.41/build?t={tag}&rm=1"), &[TAR], &ctx).unwrap();
    assert_eq!(built.status, 200);
    let _ = exchange(&docker, "DELETE", &format!("/v1.41/images/{tag}"), &[], &[]);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 1;
    let r = exchange(&docker, "GET", &format!("/v1.41/events?since={}&until={now}", now - 60), &[], &[]).unwrap();
    assert_one_message_per_chunk("events on dockerd", &r, 2);
}

/// Reads the first `n` chunks of a chunked reply that goes on (a stream
/// that does not end by itself), then drops the connection.
fn first_chunks(socket: &Path, path: &str, n: usize) -> Raw {
    let mut s = UnixStream::connect(socket).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: docker\r\n\r\n").as_bytes()).unwrap();
    let mut all = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let r = parse_partial(&all);
        if r.as_ref().is_some_and(|r| r.chunks.len() >= n || !r.chunked) {
            return r.unwrap();
        }
        let got = s.read(&mut buf).expect("more of the stream");
        assert!(got > 0, "closed early: {:?}", String::from_utf8_lossy(&all));
        all.extend_from_slice(&buf[..got]);
    }
}

/// The head and the complete chunks of what has come so far (`None`
/// before the head is complete).
fn parse_partial(all: &[u8]) -> Option<Raw> {
    let end = all.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let mut head = all[..end].to_vec();
    let mut rest = &all[end..];
    let mut complete = Vec::new();
    while let Some(nl) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).ok()?.trim(), 16).ok()?;
        if size == 0 || rest.len() < nl + 2 + size + 2 {
            break;
        }
        complete.extend_from_slice(&rest[..nl + 2 + size + 2]);
        rest = &rest[nl + 2 + size + 2..];
    }
    head.extend_from_slice(&complete);
    head.extend_from_slice(b"0\r\n\r\n");
    Some(parse(&head))
}

#[test]
fn a_stats_stream_sends_one_document_per_chunk_on_both_daemons() {
    let sim = sim();
    let pulled = exchange(sim.socket(), "POST", "/v1.41/images/create?fromImage=busybox&tag=latest", &[], &[]);
    assert_eq!(pulled.unwrap().status, 200);
    let mut daemons = vec![(sim.socket().to_path_buf(), "busybox:latest")];
    if let Some(docker) = dockerd() {
        daemons.push((docker, "dockhand-test/busybox:latest"));
    }
    for (socket, image) in daemons {
        let body = format!(r#"{{"Image":"{image}","Cmd":["sleep","60"],"Labels":{{"dockhand.test":"1"}}}}"#);
        let created = exchange(
            &socket,
            "POST",
            "/v1.41/containers/create",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .unwrap();
        if created.status == 404 {
            eprintln!("SKIPPED on {}: no {image}", socket.display());
            continue;
        }
        let created: serde_json::Value = serde_json::from_slice(&created.chunks.concat()).unwrap();
        let id = created["Id"].as_str().expect("an id").to_string();
        assert_eq!(exchange(&socket, "POST", &format!("/v1.41/containers/{id}/start"), &[], &[]).unwrap().status, 204);
        let r = first_chunks(&socket, &format!("/v1.41/containers/{id}/stats"), 2);
        let _ = exchange(&socket, "DELETE", &format!("/v1.41/containers/{id}?force=1"), &[], &[]);
        assert_one_document_per_chunk(&format!("stats on {}", socket.display()), &r, 2);
    }
}

/// A JSON request: the status and the JSON answer (`Null` when none).
fn api(socket: &Path, method: &str, path: &str, body: Option<serde_json::Value>) -> (u16, serde_json::Value) {
    let text = body.map(|b| b.to_string()).unwrap_or_default();
    let headers: &[(&str, &str)] = if text.is_empty() { &[] } else { &[("Content-Type", "application/json")] };
    let r = exchange(socket, method, path, headers, text.as_bytes()).expect("request");
    let all = r.chunks.concat();
    (r.status, serde_json::from_slice(&all).unwrap_or(serde_json::Value::Null))
}

/// The image to run on each daemon: busybox pulled from the simulated
/// registry, or on dockerd the root tests' imported busybox (`None` when
/// it is not there: those tests import it).
fn image_on(socket: &Path, sim: bool) -> Option<&'static str> {
    if sim {
        let pulled = exchange(socket, "POST", "/v1.41/images/create?fromImage=busybox&tag=latest", &[], &[]);
        assert_eq!(pulled.expect("pull").status, 200);
        return Some("busybox:latest");
    }
    let image = "dockhand-test/busybox:latest";
    if api(socket, "GET", &format!("/v1.41/images/{image}/json"), None).0 != 200 {
        eprintln!("SKIPPED on dockerd: no {image} (the root tests import it)");
        return None;
    }
    Some(image)
}

/// Each daemon to hold to the same behaviour: dockhand-sim (always) and
/// dockerd (when it answers and has the image), with its image.
fn daemons(sim: &Sim) -> Vec<(PathBuf, &'static str)> {
    let mut out = vec![(sim.socket().to_path_buf(), image_on(sim.socket(), true).expect("busybox"))];
    if let Some(docker) = dockerd()
        && let Some(image) = image_on(&docker, false)
    {
        out.push((docker, image));
    }
    out
}

/// Creates and starts a labelled container without a network; its id.
fn run(socket: &Path, mut config: serde_json::Value) -> String {
    config["Labels"] = serde_json::json!({"dockhand.test": "1"});
    config["HostConfig"]["NetworkMode"] = "none".into();
    let (status, created) = api(socket, "POST", "/v1.41/containers/create", Some(config));
    assert_eq!(status, 201, "{created}");
    let id = created["Id"].as_str().expect("id").to_string();
    let (status, body) = api(socket, "POST", &format!("/v1.41/containers/{id}/start"), None);
    assert_eq!(status, 204, "{body}");
    id
}

fn remove(socket: &Path, id: &str) {
    let _ = api(socket, "DELETE", &format!("/v1.41/containers/{id}?force=1"), None);
}

/// Sends an upgrade request and reads the `101` head; the hijacked stream.
fn hijack(socket: &Path, path: &str, body: &str) -> (UnixStream, Vec<u8>) {
    let mut s = UnixStream::connect(socket).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf).expect("the 101 head");
        assert!(n > 0, "closed before the head: {:?}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
    assert!(got.starts_with(b"HTTP/1.1 101"), "{:?}", String::from_utf8_lossy(&got));
    (s, got)
}

/// Reads until the peer closes (`Err` when it does not within the timeout).
fn read_to_close(s: &mut UnixStream) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf)? {
            0 => return Ok(out),
            n => out.extend_from_slice(&buf[..n]),
        }
    }
}

#[test]
fn detach_keys_end_an_attach_and_the_container_runs_on() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let config =
            serde_json::json!({"Image": image, "Cmd": ["cat"], "Tty": true, "OpenStdin": true, "HostConfig": {}});
        let id = run(&socket, config);
        for (keys, typed) in [("", &b"\x10\x11"[..]), ("ctrl-x,e", &b"\x18e"[..])] {
            let path = format!("/v1.41/containers/{id}/attach?stream=1&stdin=1&stdout=1&detachKeys={keys}");
            let (mut s, _) = hijack(&socket, &path, "");
            s.write_all(b"hello\r").unwrap();
            std::thread::sleep(Duration::from_millis(300));
            s.write_all(typed).unwrap();
            let out =
                read_to_close(&mut s).unwrap_or_else(|e| panic!("{}: the attach did not close: {e}", socket.display()));
            assert!(String::from_utf8_lossy(&out).contains("hello"), "{:?}", String::from_utf8_lossy(&out));
            let (_, inspect) = api(&socket, "GET", &format!("/v1.41/containers/{id}/json"), None);
            assert_eq!(inspect["State"]["Status"], "running", "{}: detaching stopped it", socket.display());
        }
        // dockerd answers in plain text over the hijacked stream, the sim in JSON.
        let path = format!("/v1.41/containers/{id}/attach?stream=1&detachKeys=ctrl-1");
        let r = exchange(&socket, "POST", &path, &[], &[]).expect("attach");
        let text = String::from_utf8_lossy(&r.chunks.concat()).into_owned();
        assert_eq!(r.status, 400, "{text}");
        assert!(text.contains("Invalid detach keys (ctrl-1) provided"), "{text}");
        remove(&socket, &id);
    }
}

/// A client that closes its sending half at once (nothing to type) still
/// gets all the output: the end of its input is not the end of the attach
/// (the sim's pump panicked on its next chunk and cut the output).
#[test]
fn an_attach_whose_client_closes_its_input_gets_all_the_output() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let script = "sleep 0.3; echo one; sleep 0.3; echo two; sleep 0.3; echo three";
        let id = run(&socket, serde_json::json!({"Image": image, "Cmd": ["sh", "-c", script], "HostConfig": {}}));
        let (mut s, head) = hijack(&socket, &format!("/v1.41/containers/{id}/attach?logs=1&stream=1&stdout=1"), "");
        s.shutdown(std::net::Shutdown::Write).unwrap();
        let mut out = head[head.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..].to_vec();
        out.extend(
            read_to_close(&mut s).unwrap_or_else(|e| panic!("{}: the attach never closed: {e}", socket.display())),
        );
        let text: Vec<u8> = dockhand_engine::formats::deframe(&out).into_iter().flat_map(|(_, d)| d).collect();
        assert_eq!(String::from_utf8_lossy(&text), "one\ntwo\nthree\n", "{}", socket.display());
        remove(&socket, &id);
    }
}

#[test]
fn an_attach_without_stream_sends_the_logs_and_closes() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let id = run(&socket, serde_json::json!({"Image": image, "Cmd": ["echo", "hi there"], "HostConfig": {}}));
        let (status, _) = api(&socket, "POST", &format!("/v1.41/containers/{id}/wait"), None);
        assert_eq!(status, 200);
        let (mut s, head) = hijack(&socket, &format!("/v1.41/containers/{id}/attach?logs=1&stream=0&stdout=1"), "");
        let mut out = head[head.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..].to_vec();
        out.extend(
            read_to_close(&mut s).unwrap_or_else(|e| panic!("{}: the attach never closed: {e}", socket.display())),
        );
        let frames = dockhand_engine::formats::deframe(&out);
        assert_eq!(frames, [(1, b"hi there\n".to_vec())], "{}", socket.display());
        remove(&socket, &id);
    }
}

#[test]
fn wait_returns_at_the_first_exit_of_a_container_that_restarts_always() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let config = serde_json::json!({"Image": image, "Cmd": ["sh", "-c", "sleep 1; exit 3"], "HostConfig": {"RestartPolicy": {"Name": "always"}}});
        let id = run(&socket, config);
        let (status, body) = api(&socket, "POST", &format!("/v1.41/containers/{id}/wait"), None);
        assert_eq!((status, &body["StatusCode"]), (200, &serde_json::json!(3)), "{}: {body}", socket.display());
        let (status, body) = api(&socket, "DELETE", &format!("/v1.41/containers/{id}"), None);
        assert_eq!(status, 409, "{}: {body}", socket.display());
        let message = body["message"].as_str().unwrap_or("");
        assert!(message.contains("or force remove"), "{body}");
        remove(&socket, &id);
    }
}

#[test]
fn an_exec_start_sends_its_head_before_the_first_output() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let id = run(&socket, serde_json::json!({"Image": image, "Cmd": ["sleep", "60"], "HostConfig": {}}));
        let body = serde_json::json!({"Cmd": ["echo", "from exec"], "AttachStdout": true});
        let (status, exec) = api(&socket, "POST", &format!("/v1.41/containers/{id}/exec"), Some(body));
        assert_eq!(status, 201, "{exec}");
        let eid = exec["Id"].as_str().unwrap();
        let (mut s, head) = hijack(&socket, &format!("/v1.41/exec/{eid}/start"), r#"{"Detach":false,"Tty":false}"#);
        // The head came alone: a client that reads it through a buffer
        // finds no output there.
        assert!(
            head.ends_with(b"\r\n\r\n"),
            "{}: output came with the head: {:?}",
            socket.display(),
            String::from_utf8_lossy(&head)
        );
        let out = read_to_close(&mut s).expect("the exec's output, then close");
        assert_eq!(dockhand_engine::formats::deframe(&out), [(1, b"from exec\n".to_vec())]);
        remove(&socket, &id);
    }
}

/// The create settings the simulation keeps without acting on them, and
/// what inspect returns for each, as dockerd returns it.
const KEPT: &[(&str, &str)] = &[
    ("/Config/StopTimeout", "25"),
    ("/Config/Env", r#"["PATH=/bin","Foo","Other=one","Blank="]"#),
    ("/Config/Healthcheck", r#"{"Test":["CMD","true"],"Interval":1000000000,"Retries":3}"#),
    ("/HostConfig/CpuShares", "512"),
    ("/HostConfig/Init", "true"),
    ("/HostConfig/PidMode", r#""host""#),
    ("/HostConfig/UTSMode", r#""host""#),
    ("/HostConfig/Isolation", r#""default""#),
    ("/HostConfig/CpusetCpus", r#""0""#),
    ("/HostConfig/DeviceCgroupRules", r#"["c 7:128 rwm"]"#),
    ("/HostConfig/GroupAdd", r#"["1000","1001"]"#),
    ("/HostConfig/LogConfig", r#"{"Type":"json-file","Config":{"max-file":"100"}}"#),
    ("/HostConfig/Tmpfs", r#"{"/tmp1":"size=3M"}"#),
];

#[test]
fn create_settings_come_back_from_inspect_as_dockerd_returns_them() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let (status, from) = api(
            &socket,
            "POST",
            "/v1.41/containers/create",
            Some(serde_json::json!({"Image": image, "Cmd": ["true"], "Labels": {"dockhand.test": "1"}})),
        );
        assert_eq!(status, 201, "{from}");
        let from = from["Id"].as_str().unwrap().to_string();
        let body = serde_json::json!({
            "Image": image, "Cmd": ["true"], "Labels": {"dockhand.test": "1"}, "StopTimeout": 25,
            "Env": ["PATH=/bin", "Foo", "Other=one", "Blank="],
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1_000_000_000u64, "Retries": 3},
            "HostConfig": {"CpuShares": 512, "Init": true, "PidMode": "host", "UTSMode": "host", "Isolation": "default",
                "CpusetCpus": "0", "DeviceCgroupRules": ["c 7:128 rwm"], "GroupAdd": ["1000", "1001"],
                "VolumesFrom": [format!("{from}:ro")], "LogConfig": {"Type": "", "Config": {"max-file": "100"}},
                "Tmpfs": {"/tmp1": "size=3M"}, "MemorySwappiness": null}
        });
        let (status, created) = api(&socket, "POST", "/v1.41/containers/create", Some(body));
        assert_eq!(status, 201, "{}: {created}", socket.display());
        let id = created["Id"].as_str().unwrap().to_string();
        let (_, v) = api(&socket, "GET", &format!("/v1.41/containers/{id}/json"), None);
        for (path, want) in KEPT {
            let want: serde_json::Value = serde_json::from_str(want).unwrap();
            assert_eq!(v.pointer(path), Some(&want), "{}: {path}", socket.display());
        }
        assert_eq!(v["HostConfig"]["VolumesFrom"], serde_json::json!([format!("{from}:ro")]));
        let host = v["HostConfig"].as_object().unwrap();
        assert_eq!(host.get("MemorySwappiness"), Some(&serde_json::Value::Null), "{}", socket.display());
        // `/update` changes the CPU shares; a zero leaves them.
        let (status, _) = api(
            &socket,
            "POST",
            &format!("/v1.41/containers/{id}/update"),
            Some(serde_json::json!({"CpuShares": 2, "CpuQuota": 0})),
        );
        assert_eq!(status, 200);
        let (_, v) = api(&socket, "GET", &format!("/v1.41/containers/{id}/json"), None);
        assert_eq!(v["HostConfig"]["CpuShares"], 2, "{}", socket.display());
        // Without the settings, the defaults dockerd shows.
        let (_, plain) = api(
            &socket,
            "POST",
            "/v1.41/containers/create",
            Some(serde_json::json!({"Image": image, "Cmd": ["true"], "Labels": {"dockhand.test": "1"}})),
        );
        let plain = plain["Id"].as_str().unwrap().to_string();
        let (_, p) = api(&socket, "GET", &format!("/v1.41/containers/{plain}/json"), None);
        for (path, want) in [
            ("/HostConfig/CpuShares", "0"),
            ("/HostConfig/PidMode", r#""""#),
            ("/HostConfig/Isolation", r#""""#),
            ("/HostConfig/GroupAdd", "null"),
            ("/HostConfig/VolumesFrom", "null"),
            ("/HostConfig/DeviceCgroupRules", "null"),
            ("/HostConfig/MemorySwappiness", "null"),
            ("/HostConfig/LogConfig", r#"{"Type":"json-file","Config":{}}"#),
        ] {
            let want: serde_json::Value = serde_json::from_str(want).unwrap();
            assert_eq!(p.pointer(path), Some(&want), "{}: default {path}", socket.display());
        }
        assert_eq!(p["Config"].get("StopTimeout"), None, "{}", socket.display());
        assert_eq!(p["HostConfig"].get("Init"), None, "{}", socket.display());
        for c in [id, plain, from] {
            remove(&socket, &c);
        }
    }
}

#[test]
fn an_exec_with_a_tty_started_without_one_sends_frames_of_the_terminals_output() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let id = run(&socket, serde_json::json!({"Image": image, "Cmd": ["sleep", "60"], "HostConfig": {}}));
        let cmd = ["sh", "-c", "echo hello out; echo hello err >&2"];
        for (start_tty, want) in
            [(false, vec![(1u8, b"hello out\r\n".to_vec()), (1, b"hello err\r\n".to_vec())]), (true, vec![])]
        {
            let body = serde_json::json!({"Cmd": cmd, "Tty": true, "AttachStdout": true, "AttachStderr": true});
            let (status, exec) = api(&socket, "POST", &format!("/v1.41/containers/{id}/exec"), Some(body));
            assert_eq!(status, 201, "{exec}");
            let eid = exec["Id"].as_str().unwrap();
            let start = format!(r#"{{"Detach":false,"Tty":{start_tty}}}"#);
            let (mut s, head) = hijack(&socket, &format!("/v1.41/exec/{eid}/start"), &start);
            let mut out = head[head.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..].to_vec();
            out.extend(read_to_close(&mut s).expect("the exec's output, then close"));
            if start_tty {
                assert_eq!(String::from_utf8_lossy(&out), "hello out\r\nhello err\r\n", "{}", socket.display());
            } else {
                let frames = dockhand_engine::formats::deframe(&out);
                let joined: Vec<u8> = frames.iter().flat_map(|(_, d)| d.clone()).collect();
                assert!(frames.iter().all(|(s, _)| *s == 1), "{}: {frames:?}", socket.display());
                assert_eq!(
                    joined,
                    want.iter().flat_map(|(_, d)| d.clone()).collect::<Vec<u8>>(),
                    "{}",
                    socket.display()
                );
            }
        }
        remove(&socket, &id);
    }
}

#[test]
fn a_build_step_writing_to_stderr_is_streamed_in_red() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let ctx = context(&format!("FROM {image}\nRUN sh -c \">&2 echo 'on stderr'; echo on stdout\"\n"));
        let r = exchange(&socket, "POST", "/v1.41/build?nocache=1&rm=1", &[TAR], &ctx).expect("build");
        let messages: Vec<serde_json::Value> =
            r.chunks.iter().map(|c| serde_json::from_slice(c).expect("JSON")).collect();
        let streams: Vec<&str> = messages.iter().filter_map(|m| m["stream"].as_str()).collect();
        assert!(streams.contains(&"\x1b[91mon stderr\n\x1b[0m"), "{}: {streams:?}", socket.display());
        assert!(streams.contains(&"on stdout\n"), "{}: {streams:?}", socket.display());
        if let Some(id) = messages.iter().find_map(|m| m["aux"]["ID"].as_str()) {
            let _ = exchange(&socket, "DELETE", &format!("/v1.41/images/{id}"), &[], &[]);
        }
    }
}

#[test]
fn a_build_with_extra_hosts_resolves_them_in_its_run_steps() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let ctx = context(&format!(
            "FROM {image}\nRUN ping -c1 extrahost.local.test\nRUN grep extrahost /etc/hosts > /hosts-line\nLABEL dockhand.test=1\n"
        ));
        let path =
            "/v1.41/build?nocache=1&rm=1&extrahosts=extrahost.local.test:127.0.0.1&extrahosts=other.test:127.0.0.1";
        let r = exchange(&socket, "POST", path, &[TAR], &ctx).expect("build");
        let messages: Vec<serde_json::Value> =
            r.chunks.iter().map(|c| serde_json::from_slice(c).expect("JSON")).collect();
        assert!(messages.iter().all(|m| m.get("error").is_none()), "{}: {messages:?}", socket.display());
        let id = messages.iter().find_map(|m| m["aux"]["ID"].as_str()).expect("an image id").to_string();
        let c = run(&socket, serde_json::json!({"Image": id, "Cmd": ["cat", "/hosts-line"], "HostConfig": {}}));
        let (status, _) = api(&socket, "POST", &format!("/v1.41/containers/{c}/wait"), None);
        assert_eq!(status, 200);
        let logs = exchange(&socket, "GET", &format!("/v1.41/containers/{c}/logs?stdout=1"), &[], &[]).unwrap();
        let frames = dockhand_engine::formats::deframe(&logs.chunks.concat());
        assert_eq!(frames, [(1, b"127.0.0.1\textrahost.local.test\n".to_vec())], "{}", socket.display());
        remove(&socket, &c);
        let _ = exchange(&socket, "DELETE", &format!("/v1.41/images/{id}"), &[], &[]);
    }
}

#[test]
fn an_exec_detaches_on_the_keys_its_create_named() {
    let sim = sim();
    for (socket, image) in daemons(&sim) {
        let config = serde_json::json!({"Image": image, "Cmd": ["cat"], "OpenStdin": true, "HostConfig": {}});
        let id = run(&socket, config);
        for (keys, typed) in [(None, &b"\x10\x11"[..]), (Some("ctrl-p"), &b"\x10"[..])] {
            let mut body = serde_json::json!({"Cmd": ["cat"], "Tty": true, "AttachStdin": true, "AttachStdout": true});
            if let Some(keys) = keys {
                body["DetachKeys"] = keys.into();
            }
            let (status, exec) = api(&socket, "POST", &format!("/v1.41/containers/{id}/exec"), Some(body));
            assert_eq!(status, 201, "{exec}");
            let eid = exec["Id"].as_str().unwrap();
            let (mut s, _) = hijack(&socket, &format!("/v1.41/exec/{eid}/start"), r#"{"Detach":false,"Tty":true}"#);
            s.write_all(b"hello\r").unwrap();
            std::thread::sleep(Duration::from_millis(300));
            s.write_all(typed).unwrap();
            let out =
                read_to_close(&mut s).unwrap_or_else(|e| panic!("{}: {keys:?}: no detach: {e}", socket.display()));
            assert!(String::from_utf8_lossy(&out).contains("hello"), "{:?}", String::from_utf8_lossy(&out));
        }
        let body = serde_json::json!({"Cmd": ["cat"], "Tty": true, "DetachKeys": "ctrl-1"});
        let (status, refused) = api(&socket, "POST", &format!("/v1.41/containers/{id}/exec"), Some(body));
        assert_eq!((status, &refused["message"]), (500, &serde_json::json!("Invalid escape keys (ctrl-1) provided")));
        remove(&socket, &id);
    }
}
