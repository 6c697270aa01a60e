//! Property tests: the command line and the HTTP surface never panic on any
//! input, and the state stays consistent.

use std::task::{Context, Poll};

use bytes::Bytes;
use dockhand_engine::{Engine, Session};
use futures::StreamExt;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "docker",
    "run",
    "-d",
    "-it",
    "--rm",
    "--name",
    "web",
    "db",
    "-p",
    "8080:80",
    "80",
    "-v",
    "data:/data",
    "/x",
    "-e",
    "A=1",
    "nginx",
    "busybox",
    "redis",
    "alpine",
    "hello-world",
    "python",
    "nosuch",
    "ps",
    "-a",
    "-q",
    "--format",
    "{{.Names}}",
    "{{.Bogus",
    "images",
    "rm",
    "-f",
    "rmi",
    "stop",
    "start",
    "restart",
    "kill",
    "pause",
    "unpause",
    "exec",
    "sh",
    "-c",
    "echo hi; sleep 3; exit 2",
    "ls",
    "/",
    "logs",
    "--tail",
    "2",
    "inspect",
    "network",
    "create",
    "connect",
    "disconnect",
    "volume",
    "ls",
    "prune",
    "system",
    "df",
    "build",
    ".",
    "-t",
    "app",
    "push",
    "pull",
    "tag",
    "login",
    "-u",
    "me",
    "-p",
    "pw",
    "diff",
    "top",
    "stats",
    "--no-stream",
    "port",
    "rename",
    "cp",
    "web:/etc/hostname",
    "out.txt",
    "events",
    "--since",
    "0",
    "version",
    "info",
    "context",
    "use",
    "remote",
    "default",
    "-H",
    "tcp://remote:2376",
    "exit",
    "'",
    "\"",
    "--",
    "=",
    "--net",
    "host",
    "none",
    "bridge",
    "--restart",
    "always",
    "on-failure:2",
    "-w",
    "/tmp",
    "curl",
    "localhost:8080",
    "export",
    "DOCKER_HOST=tcp://remote",
    "unset",
    "DOCKER_HOST",
    "wget",
    "-qO-",
    "http://web/",
    "redis-cli",
    "set",
    "k",
    "v",
    "get",
    "cat",
    "/etc/passwd",
    ">",
    "/tmp/f",
    "|",
    "grep",
    "&&",
];

fn line_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(WORDS), 0..10).prop_map(|w| w.join(" ")),
        1 => ".{0,80}",
    ]
}

fn check(s: &Session) {
    for e in [s.engine(), s.remote_engine()] {
        let v = e.with_state(|st| st.violations());
        assert!(v.is_empty(), "inconsistent state: {v:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn command_lines_never_panic(lines in prop::collection::vec(line_strategy(), 1..25)) {
        let mut s = Session::new();
        for line in &lines {
            let out = s.run(line);
            prop_assert!(out.exit_code >= 0);
            check(&s);
        }
        // Snapshots of whatever state we reached restore to the same state.
        let snap = s.snapshot();
        let mut other = Session::new();
        other.restore(&snap).expect("restore");
        prop_assert_eq!(other.snapshot(), snap);
    }
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"];
const SEGMENTS: &[&str] = &[
    "v1.41",
    "v1.99",
    "v1.4x",
    "containers",
    "images",
    "networks",
    "volumes",
    "exec",
    "json",
    "create",
    "start",
    "stop",
    "wait",
    "attach",
    "logs",
    "top",
    "changes",
    "stats",
    "archive",
    "kill",
    "pause",
    "unpause",
    "restart",
    "rename",
    "prune",
    "build",
    "events",
    "_ping",
    "version",
    "info",
    "system",
    "df",
    "auth",
    "web",
    "nginx",
    "busybox",
    "..",
    ".",
    "%2F",
    "%zz",
    "library",
    "tag",
    "push",
    "history",
    "connect",
    "sha256:abc",
];
const QUERIES: &[&str] = &[
    "",
    "all=1",
    "name=web",
    "fromImage=busybox&tag=latest",
    "fromImage=nginx",
    "fromImage=NoSuch",
    "stdout=1&stderr=1&tail=2",
    "follow=0&stdout=1",
    "filters=%7B%22status%22%3A%5B%22running%22%5D%7D",
    "filters=bogus",
    "filters=%7B%22a%22%3A1%7D",
    "force=1&v=1",
    "t=app",
    "condition=removed",
    "condition=bogus",
    "path=/etc",
    "path=/nope",
    "signal=TERM",
    "signal=BOGUS",
    "t=-5",
    "until=1",
    "since=99999999999",
];

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(br#"{"Image":"busybox","Cmd":["sh","-c","echo hi"]}"#.to_vec()),
        Just(br#"{"Image":"nginx","HostConfig":{"PortBindings":{"80/tcp":[{"HostPort":"8080"}]},"Binds":["v:/data"]}}"#.to_vec()),
        Just(br#"{"Image":"busybox","HostConfig":{"PortBindings":{"80":[{"HostPort":"x"}]},"Binds":["a:b:c:d"],"RestartPolicy":{"Name":"bogus"}}}"#.to_vec()),
        Just(br#"{"Name":"net1"}"#.to_vec()),
        Just(br#"{"Cmd":["ls","/"]}"#.to_vec()),
        Just(br#"{"Detach":false}"#.to_vec()),
        Just(br#"{"Container":"web"}"#.to_vec()),
        Just(br#"[1,2,3]"#.to_vec()),
        prop::collection::vec(any::<u8>(), 0..600),
    ]
}

fn drain(body: dockhand::Body) {
    let mut body = body;
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    for _ in 0..100 {
        match body.poll_next_unpin(&mut cx) {
            Poll::Ready(Some(_)) => {}
            Poll::Ready(None) | Poll::Pending => return,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn http_requests_never_panic(
        requests in prop::collection::vec(
            (prop::sample::select(METHODS), prop::collection::vec(prop::sample::select(SEGMENTS), 0..5), prop::sample::select(QUERIES), body_strategy()),
            1..20,
        )
    ) {
        let engine = Engine::new();
        for (method, segs, query, body) in requests {
            let path = format!("/{}{}{}", segs.join("/"), if query.is_empty() { "" } else { "?" }, query);
            let Ok(req) = http::Request::builder().method(method).uri(&path).body(Bytes::from(body)) else { continue };
            let resp = engine.handle(req);
            let status = resp.status().as_u16();
            prop_assert!((100..600).contains(&status));
            if status >= 400 {
                prop_assert_eq!(resp.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
            }
            drain(resp.into_body());
            engine.advance(1500);
            let v = engine.with_state(|st| st.violations());
            prop_assert!(v.is_empty(), "inconsistent state after {} {}: {:?}", method, path, v);
        }
    }
}

#[test]
fn hostile_tar_contexts_are_errors() {
    let engine = Engine::new();
    for body in [vec![0u8; 10], vec![b'1'; 512], {
        let mut h = vec![0u8; 512];
        h[124..135].copy_from_slice(b"77777777777");
        h
    }] {
        let req = http::Request::builder().method("POST").uri("/v1.41/build?t=x").body(Bytes::from(body)).unwrap();
        let resp = engine.handle(req);
        assert!(resp.status().as_u16() >= 400, "{}", resp.status());
    }
}
