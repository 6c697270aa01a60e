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
    "'{{range $k, $v := .Config.Labels}}{{$k}}{{else}}none{{end}}'",
    "'{{if .State.Running}}{{(index .Config.Env 0)}}{{end}}'",
    "'{{$x := .Name}}{{$x | printf \"%q\"}}'",
    "'{{with $.State}}{{- .Status -}}{{end}}'",
    "'{{index .Config.Env 99}}'",
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
    "$(docker",
    "$(docker ps -aq)",
    ")",
    "wc",
    "-l",
    "sort",
    "cut",
    "-d:",
    "tr",
    "start",
    "-a",
    "--user",
    "nobody:nogroup",
    "xargs",
    "-I",
    "{}",
    "-n",
    "| xargs docker rm",
    "commit",
    "--read-only",
    "--tmpfs",
    "--add-host",
    "db:10.0.0.1",
    "--env-file",
    "search",
    "--limit",
    "wait",
    "attach",
    "builder",
    "prune",
    "-c",
    "CMD [\"x\"]",
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
    "load",
    "get",
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
    "fromSrc=-&repo=imp&changes=CMD%20%5B%22sh%22%5D",
    "fromSrc=-&changes=BOGUS%20x",
    "names=busybox&names=nosuch",
    "quiet=1",
    "target=nope",
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

const SHELL_ATOMS: &[&str] = &[
    "grep -E 'a+|^b*$' /etc/hosts",
    "grep -c -e '[' -e '\\' /etc/passwd",
    "tr -s a-z '[:upper:]'",
    "cut -d: -f2- /etc/group",
    "sort -rn | uniq -c",
    "tee -a /etc/hosts",
    "rm /etc/resolv.conf",
    "id",
    "tail -3",
    "sleep 1",
    "sleep 0.5",
    "break",
    "continue 2",
    "exit 3",
    "echo $((i+1))",
    "i=$((i+1))",
    "[ $i -lt 3 ]",
    "true",
    "false",
    "trap 'echo t' TERM",
    "trap 'exit 0' EXIT",
    "trap - TERM",
    "echo a > /tmp/f",
    "cat /tmp/f 2>&1",
    "read x",
    "echo ${x:-y} ${#x} ${x%%*}",
    "set -- a b",
    "shift 5",
    "eval 'echo e'",
    "exec true",
    "kill 1",
    "wait",
    "cd /nope",
    "sh -c 'sleep 1; echo in'",
    "$(",
    ")",
    "`",
    "'",
    "\"",
    "done",
    "fi",
    "do",
    "{",
    "}",
    ";;",
    "&",
    "|",
    ">&2",
    "$((1/0))",
    "$((i+=2))",
    "$((x**y))",
    "let",
    "i++",
    "x=x",
    "$((x))",
    "$((",
    "${#",
    "${x:?}",
    "${",
    "\\",
    "<",
    "2>",
    "case $i in 1|2) echo c;; *) ;; esac",
    "esac",
    "in",
    "f() { sleep 1; echo $1; return 2; }",
    "f x",
    "g() { g; }; g",
    "return 4",
];

fn shell_script() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![4 => prop::sample::select(SHELL_ATOMS).prop_map(String::from), 1 => "[ -~]{0,12}"];
    leaf.prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}; {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}\n{b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} && {b} || {a}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} | {b}")),
            inner.clone().prop_map(|a| format!("echo $({a})")),
            inner.clone().prop_map(|a| format!("x=`{a}`")),
            inner.clone().prop_map(|a| format!("echo \"$({a})\"")),
            inner.clone().prop_map(|a| format!("echo $(( $({a}) + 1 ))")),
            (inner.clone(), inner.clone()).prop_map(|(c, b)| format!("while {c}; do {b}; done")),
            (inner.clone(), inner.clone()).prop_map(|(c, b)| format!("until {c}; do {b}; done")),
            inner.clone().prop_map(|b| format!("for i in 1 2 $(echo 3); do {b}; done")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("if {c}; then {a}; else {b}; fi")),
            inner.clone().prop_map(|a| format!("trap '{a}' TERM EXIT")),
            inner.clone().prop_map(|a| format!("{{ {a}; }} 2>&1 >/tmp/o")),
            inner.clone().prop_map(|a| format!("( {a} )")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("case $(echo {a}) in x|*) {b};; esac")),
            // Here-documents whose bodies are scripts, terminated or not,
            // with sleeps inside loops that print them back as text.
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("cat <<EOF\n{a}\nEOF\n{b}")),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("while {a}; do sh <<-'X'\n\t{b}\n\tX\nsleep 1; done")),
            inner.clone().prop_map(|a| format!("cat <<E <<<{a}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Random scripts with nested `$( )`, backticks, loops and traps: the
    /// container runs, is exec'd into, sleeps, is stopped, and nothing
    /// panics or leaves the state inconsistent.
    #[test]
    fn shell_scripts_never_panic(script in shell_script()) {
        let engine = Engine::new();
        let call = |method: &str, path: &str, body: serde_json::Value| {
            let req = http::Request::builder()
                .method(method)
                .uri(path)
                .body(Bytes::from(if body.is_null() { String::new() } else { body.to_string() }))
                .unwrap();
            let resp = engine.handle(req);
            let status = resp.status().as_u16();
            let mut body = resp.into_body();
            let waker = futures::task::noop_waker();
            let mut cx = Context::from_waker(&waker);
            let mut data = Vec::new();
            for _ in 0..100 {
                match body.poll_next_unpin(&mut cx) {
                    Poll::Ready(Some(Ok(b))) => data.extend_from_slice(&b),
                    _ => break,
                }
            }
            (status, serde_json::from_slice::<serde_json::Value>(&data).unwrap_or_default())
        };
        call("POST", "/v1.41/images/create?fromImage=busybox&tag=latest", serde_json::Value::Null);
        let (_, created) = call("POST", "/v1.41/containers/create", serde_json::json!({"Image": "busybox", "Cmd": ["sh", "-c", script]}));
        let id = created["Id"].as_str().unwrap_or_default().to_string();
        prop_assert!(!id.is_empty());
        call("POST", &format!("/v1.41/containers/{id}/start"), serde_json::Value::Null);
        engine.advance(1500);
        let (s, exec) = call("POST", &format!("/v1.41/containers/{id}/exec"), serde_json::json!({"Cmd": ["sh", "-c", script]}));
        if s == 201 {
            let eid = exec["Id"].as_str().unwrap_or_default().to_string();
            call("POST", &format!("/v1.41/exec/{eid}/start"), serde_json::json!({"Detach": true}));
        }
        engine.advance(2500);
        call("POST", &format!("/v1.41/containers/{id}/kill?signal=TERM"), serde_json::Value::Null);
        call("POST", &format!("/v1.41/containers/{id}/stop?t=2"), serde_json::Value::Null);
        let running = engine.with_state(|st| st.containers.get(&id).map(|c| c.status.as_str()));
        prop_assert_eq!(running, Some("exited"));
        let v = engine.with_state(|st| st.violations());
        prop_assert!(v.is_empty(), "inconsistent state after {:?}: {:?}", script, v);
    }
}

/// Deeply nested input is an error, not a stack overflow, even on a small
/// stack like the browser's.
#[test]
fn deeply_nested_scripts_are_errors() {
    let scripts = [
        format!("echo {}x{}", "$(echo ".repeat(400), ")".repeat(400)),
        format!("{}true{}", "( ".repeat(400), " )".repeat(400)),
        format!("{}:{}", "while true; do ".repeat(300), "; done".repeat(300)),
        format!("echo $(({}1{}))", "(".repeat(2000), ")".repeat(2000)),
        format!("echo ${{x:-{}}}", "${x:-".repeat(400)),
        "x=a; while true; do x=$x$x; done".to_string(),
        format!("echo {}", "`echo \\`echo ".repeat(200)),
    ];
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for script in scripts {
                let engine = Engine::new();
                let session_run = |body: serde_json::Value, path: &str| {
                    let req =
                        http::Request::builder().method("POST").uri(path).body(Bytes::from(body.to_string())).unwrap();
                    let resp = engine.handle(req);
                    let status = resp.status().as_u16();
                    let mut b = resp.into_body();
                    let waker = futures::task::noop_waker();
                    let mut cx = Context::from_waker(&waker);
                    let mut data = Vec::new();
                    while let Poll::Ready(Some(Ok(x))) = b.poll_next_unpin(&mut cx) {
                        data.extend_from_slice(&x);
                    }
                    (status, serde_json::from_slice::<serde_json::Value>(&data).unwrap_or_default())
                };
                session_run(serde_json::Value::Null, "/v1.41/images/create?fromImage=busybox&tag=latest");
                let (_, c) = session_run(
                    serde_json::json!({"Image": "busybox", "Cmd": ["sh", "-c", script]}),
                    "/v1.41/containers/create",
                );
                let id = c["Id"].as_str().unwrap().to_string();
                session_run(serde_json::Value::Null, &format!("/v1.41/containers/{id}/start"));
                engine.advance(5000);
                session_run(serde_json::Value::Null, &format!("/v1.41/containers/{id}/stop?t=1"));
                assert!(engine.with_state(|st| st.violations()).is_empty());
            }
        })
        .unwrap()
        .join()
        .expect("no stack overflow or panic");
}

/// Hostile docker-save archives are load errors, never panics or a broken
/// state: a manifest naming missing or mismatched layers, bad JSON, links
/// to nowhere, whiteouts of nothing.
#[test]
fn hostile_image_archives_are_errors() {
    let tar = |files: &[(&str, &[u8])]| {
        let entries: Vec<dockhand_engine::formats::TarEntry> = files
            .iter()
            .map(|(p, d)| dockhand_engine::formats::TarEntry { path: p.to_string(), dir: false, data: d.to_vec() })
            .collect();
        dockhand_engine::formats::tar(&entries)
    };
    let layer = tar(&[(".wh.nothing", b""), ("a/../../etc/x", b"y")]);
    let cases: Vec<Vec<u8>> = vec![
        tar(&[("manifest.json", b"not json")]),
        tar(&[("manifest.json", br#"[{"Config":"c.json","Layers":["l.tar"]}]"#)]),
        tar(&[
            ("manifest.json", br#"[{"Config":"c.json","Layers":["l.tar"]}]"#),
            ("c.json", br#"{"rootfs":{"diff_ids":[]}}"#),
        ]),
        tar(&[
            ("manifest.json", br#"[{"Config":"c.json","Layers":["l.tar"],"RepoTags":["BAD TAG","ok:1"]}]"#),
            ("c.json", br#"{"rootfs":{"diff_ids":["sha256:00"]}}"#),
            ("l.tar", &layer),
        ]),
        tar(&[("manifest.json", br#"{"Config":1}"#)]),
        vec![0xff; 2048],
    ];
    let engine = Engine::new();
    for body in cases {
        let req = http::Request::builder().method("POST").uri("/v1.41/images/load").body(Bytes::from(body)).unwrap();
        let resp = engine.handle(req);
        assert_eq!(resp.status().as_u16(), 200);
        let text = futures::executor::block_on(resp.into_body().collect(1 << 20)).unwrap();
        assert!(String::from_utf8_lossy(&text).contains("errorDetail"), "{}", String::from_utf8_lossy(&text));
        assert!(engine.with_state(|st| st.violations()).is_empty());
    }
}
