//! The engine's HTTP surface through the dockhand SDK over the in-memory
//! transport: the SDK's models decode the engine's JSON, statuses and
//! messages are the daemon's.

mod common;

use common::call;
use dockhand::transport::{Transport, UpgradeOutcome};
use dockhand_engine::Engine;
use futures::executor::block_on;
use futures::{AsyncReadExt, StreamExt};
use serde_json::{Value, json};

fn pull(engine: &Engine, image: &str) {
    let (status, _) = call(engine, "POST", &format!("/v1.41/images/create?fromImage={image}&tag=latest"), Value::Null);
    assert_eq!(status, 200);
}

#[test]
fn the_sdk_decodes_system_endpoints() {
    let engine = Engine::new();
    let docker = engine.docker();
    let ping = block_on(docker.ping()).unwrap();
    assert_eq!(ping.api_version.as_deref(), Some("1.51"));
    assert_eq!(ping.os_type.as_deref(), Some("linux"));
    assert_eq!(block_on(docker.api_version()).unwrap().to_string(), "1.51");
    let version = block_on(docker.version()).unwrap();
    assert_eq!(version.api_version, "1.51");
    assert_eq!(version.os, "linux");
    pull(&engine, "busybox");
    let (_, created) =
        call(&engine, "POST", "/v1.41/containers/create?name=ab", json!({"Image": "busybox", "Cmd": ["sleep", "100"]}));
    let id = created["Id"].as_str().unwrap().to_string();
    assert_eq!(call(&engine, "POST", &format!("/v1.41/containers/{id}/start"), Value::Null).0, 204);
    let info = block_on(docker.info()).unwrap();
    assert_eq!((info.containers, info.containers_running, info.images), (1, 1, 1));
    let df = block_on(docker.df(dockhand::api::DfOptions::new())).unwrap();
    assert_eq!(df.images().len(), 1);
    assert_eq!(df.containers().len(), 1);
    engine.advance(1000);
    let events: Vec<_> = block_on(
        docker
            .events(
                dockhand::api::EventsOptions::new()
                    .since(dockhand::Timestamp::UNIX_EPOCH)
                    .until(dockhand::Timestamp::from_unix_timestamp((engine.now_ms() / 1000) as i64).unwrap()),
            )
            .collect::<Vec<_>>(),
    );
    let actions: Vec<String> = events.into_iter().map(|e| e.unwrap().action.to_string()).collect();
    assert!(
        actions.contains(&"pull".to_string())
            && actions.contains(&"create".to_string())
            && actions.contains(&"start".to_string()),
        "{actions:?}"
    );
}

#[test]
fn statuses_and_messages_are_the_daemons() {
    let engine = Engine::new();
    assert_eq!(
        call(&engine, "GET", "/v1.41/containers/nope/json", Value::Null),
        (404, json!({"message": "No such container: nope"}))
    );
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/create", json!({"Image": "busybox"})),
        (404, json!({"message": "No such image: busybox:latest"}))
    );
    let (status, body) = call(&engine, "GET", "/v1.99/version", Value::Null);
    assert_eq!(status, 400);
    assert_eq!(body["message"], "client version 1.99 is too new. Maximum supported API version is 1.51");
    pull(&engine, "busybox");
    let (_, c) = call(
        &engine,
        "POST",
        "/v1.41/containers/create?name=web",
        json!({"Image": "busybox", "Cmd": ["sleep", "100"]}),
    );
    let id = c["Id"].as_str().unwrap().to_string();
    // dockerd's pattern wants two characters at least.
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/create?name=a", json!({"Image": "busybox"})),
        (400, json!({"message": "Invalid container name (a), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"}))
    );
    let (status, body) = call(&engine, "POST", "/v1.41/containers/create?name=web", json!({"Image": "busybox"}));
    assert_eq!(status, 409);
    assert_eq!(
        body["message"],
        format!(
            "Conflict. The container name \"/web\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name."
        )
    );
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/web/exec", json!({"Cmd": ["ls"]})),
        (409, json!({"message": format!("container {id} is not running")}))
    );
    // Kill names the container as asked for in each refusal, and checks the
    // signal first (dockerd 28.5's words).
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/web/kill", Value::Null),
        (409, json!({"message": format!("cannot kill container: web: container {id} is not running")}))
    );
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/nope/kill", Value::Null),
        (404, json!({"message": "cannot kill container: nope: No such container: nope"}))
    );
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/nope/kill?signal=FOO", Value::Null),
        (400, json!({"message": "cannot kill container: nope: invalid signal: FOO"}))
    );
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/web/kill?signal=99999", Value::Null),
        (400, json!({"message": "cannot kill container: web: the linux daemon does not support signal 99999"}))
    );
    assert_eq!(call(&engine, "POST", "/v1.41/containers/web/start", Value::Null).0, 204);
    assert_eq!(call(&engine, "POST", "/v1.41/containers/web/start", Value::Null).0, 304);
    assert_eq!(call(&engine, "POST", "/v1.41/containers/web/pause", Value::Null).0, 204);
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/web/exec", json!({"Cmd": ["ls"]})),
        // As dockerd words it: the name as asked for (but the id above).
        (409, json!({"message": "Container web is paused, unpause the container before exec"}))
    );
    assert_eq!(
        call(&engine, "DELETE", "/v1.41/containers/web", Value::Null),
        (409, json!({"message": "cannot remove container \"web\": container is paused and must be unpaused first"}))
    );
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/web/pause", Value::Null),
        (409, json!({"message": format!("Container {id} is already paused")}))
    );
    assert_eq!(call(&engine, "POST", "/v1.41/containers/web/unpause", Value::Null).0, 204);
    assert_eq!(
        call(&engine, "DELETE", &format!("/v1.41/containers/{}", &id[..12]), Value::Null),
        (
            409,
            json!({"message": format!("cannot remove container \"{}\": container is running: stop the container before removing or force remove", &id[..12])})
        )
    );
    assert_eq!(call(&engine, "POST", "/v1.41/containers/web/stop", Value::Null).0, 204);
    assert_eq!(
        call(&engine, "POST", "/v1.41/containers/web/pause", Value::Null),
        (409, json!({"message": format!("container {id} is not running")}))
    );
    assert_eq!(call(&engine, "POST", "/v1.41/containers/web/stop", Value::Null).0, 304);
    let (_, inspect) = call(&engine, "GET", "/v1.41/containers/web/json", Value::Null);
    assert_eq!(inspect["State"]["Status"], "exited");
    assert_eq!(inspect["State"]["ExitCode"], 137, "sleep as PID 1 ignores SIGTERM and is killed");
    assert_eq!(call(&engine, "GET", "/v1.41/nothing/here", Value::Null), (404, json!({"message": "page not found"})));
}

#[test]
fn pid_namespaces_and_host_pids() {
    let engine = Engine::new();
    pull(&engine, "nginx");
    let (_, c) = call(&engine, "POST", "/v1.41/containers/create?name=web", json!({"Image": "nginx"}));
    let id = c["Id"].as_str().unwrap().to_string();
    call(&engine, "POST", &format!("/v1.41/containers/{id}/start"), Value::Null);
    let (_, inspect) = call(&engine, "GET", "/v1.41/containers/web/json", Value::Null);
    let host_pid = inspect["State"]["Pid"].as_u64().unwrap();
    assert!(host_pid > 1000, "the main process has a host PID: {host_pid}");
    let (_, top) = call(&engine, "GET", "/v1.41/containers/web/top", Value::Null);
    assert_eq!(top["Processes"][0][1], host_pid.to_string());
    assert!(top["Processes"][0][7].as_str().unwrap().starts_with("nginx: master process"));
    assert!(inspect["NetworkSettings"]["IPAddress"].as_str().unwrap().starts_with("172.17.0."));
}

#[test]
fn attach_and_exec_upgrade_through_the_transport() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let (_, c) = call(
        &engine,
        "POST",
        "/v1.41/containers/create",
        json!({"Image": "busybox", "Cmd": ["sh", "-c", "echo one; sleep 2; echo two"]}),
    );
    let id = c["Id"].as_str().unwrap().to_string();
    let transport = engine.transport();
    let attach = http::Request::builder()
        .method("POST")
        .uri(format!("/v1.41/containers/{id}/attach?stream=1&stdout=1"))
        .header("Upgrade", "tcp")
        .body(dockhand::Body::empty())
        .unwrap();
    let UpgradeOutcome::Upgraded(mut up) = block_on(transport.upgrade(attach)).unwrap() else { panic!("no upgrade") };
    assert_eq!(up.head.status, 101);
    call(&engine, "POST", &format!("/v1.41/containers/{id}/start"), Value::Null);
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        block_on(up.io.read_to_end(&mut buf)).unwrap();
        buf
    });
    std::thread::sleep(std::time::Duration::from_millis(50));
    engine.advance(2500);
    let bytes = reader.join().unwrap();
    let text: String =
        dockhand_engine::formats::deframe(&bytes).into_iter().map(|(_, p)| String::from_utf8(p).unwrap()).collect();
    assert_eq!(text, "one\ntwo\n");
    let (_, inspect) = call(&engine, "GET", &format!("/v1.41/containers/{id}/json"), Value::Null);
    assert_eq!(inspect["State"]["Status"], "exited");
}

/// The `reference` filter matches as docker's (Go's `path.Match`): each `*`
/// stays within a path component, so `*/*` is the namespaced repositories
/// and `*` the ones without a namespace.
#[test]
fn the_reference_filter_matches_like_docker() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    for (repo, tag) in [("myorg/app", "1"), ("solo", "1")] {
        let (status, _) =
            call(&engine, "POST", &format!("/v1.41/images/busybox:latest/tag?repo={repo}&tag={tag}"), Value::Null);
        assert_eq!(status, 201);
    }
    let tags = |pattern: &str| -> Vec<String> {
        let filters = json!({"reference": [pattern]}).to_string();
        let query: String = form_urlencoded::byte_serialize(filters.as_bytes()).collect();
        let (status, list) = call(&engine, "GET", &format!("/v1.41/images/json?filters={query}"), Value::Null);
        assert_eq!(status, 200);
        let mut tags: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|i| i["RepoTags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()))
            .collect();
        tags.sort();
        tags
    };
    assert_eq!(tags("*/*"), ["myorg/app:1"]);
    assert_eq!(tags("*/*:1"), ["myorg/app:1"]);
    assert_eq!(tags("myorg/*"), ["myorg/app:1"]);
    assert_eq!(tags("*"), ["busybox:latest", "solo:1"]);
    assert_eq!(tags("s*o"), ["solo:1"]);
    assert_eq!(tags("*:1"), ["solo:1"]);
}

/// `data` as a gzip stream of stored (uncompressed) deflate blocks: what
/// `gzip -0` writes, enough to carry a context without a compressor here
/// (the inflater's own tests cover compressed blocks).
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    let chunks: Vec<&[u8]> = data.chunks(65535).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    out.extend((!crc).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

/// `POST /build` with a gzip-compressed context, as docker-py's
/// `build(gzip=True)` sends it: dockerd recognises the compression and so
/// does the engine; a damaged stream is a 400 that says so.
#[test]
fn a_gzip_compressed_build_context_builds() {
    use dockhand_engine::formats::{TarEntry, tar};
    let engine = Engine::new();
    pull(&engine, "busybox");
    let file = |path: &str, data: &str| TarEntry { path: path.into(), dir: false, data: data.as_bytes().to_vec() };
    let context = tar(&[file("Dockerfile", "FROM busybox\nADD . /test\n"), file("hello.txt", "hi\n")]);
    let build = |body: Vec<u8>| {
        let req = http::Request::builder()
            .method("POST")
            .uri("/v1.41/build?t=zipped&nocache=1")
            .header("Content-Type", "application/x-tar")
            .header("Content-Encoding", "gzip")
            .body(bytes::Bytes::from(body))
            .unwrap();
        let resp = engine.handle(req);
        let status = resp.status().as_u16();
        (status, String::from_utf8_lossy(&block_on(resp.into_body().collect(1 << 20)).unwrap()).into_owned())
    };
    let (status, text) = build(gzip_stored(&context));
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("Successfully built") && text.contains("Successfully tagged zipped:latest"), "{text}");
    let mut damaged = gzip_stored(&context);
    let n = damaged.len();
    damaged[n - 6] ^= 0xff;
    let (status, text) = build(damaged);
    assert_eq!((status, text.contains("failed to read build context: gzip: invalid checksum")), (400, true), "{text}");
}

#[test]
fn a_port_published_on_one_address_is_reported_on_it_alone() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let body = json!({"Image": "busybox", "Cmd": ["sleep", "60"], "ExposedPorts": {"1111/tcp": {}},
        "HostConfig": {"PortBindings": {"1111/tcp": [{"HostIp": "127.0.0.1", "HostPort": "4567"}]}}});
    let (s, v) = call(&engine, "POST", "/v1.41/containers/create", body);
    assert_eq!(s, 201, "{v}");
    let id = v["Id"].as_str().unwrap().to_string();
    assert_eq!(call(&engine, "POST", &format!("/v1.41/containers/{id}/start"), Value::Null).0, 204);
    let (_, v) = call(&engine, "GET", &format!("/v1.41/containers/{id}/json"), Value::Null);
    assert_eq!(v["NetworkSettings"]["Ports"]["1111/tcp"], json!([{"HostIp": "127.0.0.1", "HostPort": "4567"}]));
}

/// Creates and starts a busybox `top` with the health check `hc`; its id.
fn start_with_healthcheck(engine: &Engine, hc: Value) -> String {
    let body = json!({"Image": "busybox", "Cmd": ["top"], "Healthcheck": hc});
    let (s, v) = call(engine, "POST", "/v1.41/containers/create", body);
    assert_eq!(s, 201, "{v}");
    let id = v["Id"].as_str().unwrap().to_string();
    assert_eq!(call(engine, "POST", &format!("/v1.41/containers/{id}/start"), Value::Null).0, 204);
    id
}

fn health(engine: &Engine, id: &str) -> Value {
    call(engine, "GET", &format!("/v1.41/containers/{id}/json"), Value::Null).1["State"]["Health"].clone()
}

#[test]
fn health_checks_run_on_the_clock() {
    const S: u64 = 1_000_000_000;
    let engine = Engine::new();
    pull(&engine, "busybox");
    let ok = start_with_healthcheck(
        &engine,
        json!({"Test": ["CMD-SHELL", "true"], "Interval": S, "Timeout": S, "Retries": 1}),
    );
    let bad =
        start_with_healthcheck(&engine, json!({"Test": ["CMD", "false"], "Interval": S, "Timeout": S, "Retries": 2}));
    let slow = start_with_healthcheck(
        &engine,
        json!({"Test": ["CMD-SHELL", "echo 'x' >> /counter.txt && test `cat /counter.txt | wc -l` -ge 3"],
            "Interval": S, "Timeout": S, "Retries": 1, "StartPeriod": 3 * S}),
    );
    let none = start_with_healthcheck(&engine, json!({"Test": ["NONE"]}));
    assert_eq!(health(&engine, &ok)["Status"], "starting");
    assert_eq!(health(&engine, &none), Value::Null);
    engine.advance(1000);
    assert_eq!(health(&engine, &ok)["Status"], "healthy", "{}", health(&engine, &ok));
    assert_eq!(health(&engine, &ok)["Log"][0]["ExitCode"], 0);
    assert_eq!(health(&engine, &bad)["Status"], "starting");
    assert_eq!(health(&engine, &bad)["FailingStreak"], 1);
    assert_eq!(health(&engine, &slow)["Status"], "starting");
    assert_eq!(health(&engine, &slow)["FailingStreak"], 0, "failures in the start period do not count");
    engine.advance(2000);
    assert_eq!(health(&engine, &bad)["Status"], "unhealthy");
    assert_eq!(health(&engine, &slow)["Status"], "healthy", "{}", health(&engine, &slow));
    engine.advance(10_000);
    assert_eq!(health(&engine, &ok)["Log"].as_array().unwrap().len(), 5);
    // `docker ps` shows it in STATUS, in dockerd's words.
    let (_, list) = call(&engine, "GET", "/v1.41/containers/json", Value::Null);
    let status = |id: &str| {
        list.as_array().unwrap().iter().find(|c| c["Id"] == id).unwrap()["Status"].as_str().unwrap().to_owned()
    };
    assert!(status(&ok).ends_with("(healthy)"), "{}", status(&ok));
    assert!(status(&bad).ends_with("(unhealthy)"), "{}", status(&bad));
    assert!(!status(&none).contains('('), "{}", status(&none));
}

/// A wait on a container that restarts always answers its first exit's
/// code, even when the restart happened before the wait's body was read
/// (dockhand-sim under load read 0: the restart had cleared the code).
#[test]
fn a_wait_reports_the_first_exit_code_though_the_container_restarted() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let body = json!({"Image": "busybox", "Cmd": ["sh", "-c", "sleep 1; exit 3"],
        "HostConfig": {"RestartPolicy": {"Name": "always"}}});
    let (s, v) = call(&engine, "POST", "/v1.41/containers/create", body);
    assert_eq!(s, 201, "{v}");
    let id = v["Id"].as_str().unwrap().to_string();
    assert_eq!(call(&engine, "POST", &format!("/v1.41/containers/{id}/start"), Value::Null).0, 204);
    let req = http::Request::builder()
        .method("POST")
        .uri(format!("/v1.41/containers/{id}/wait"))
        .body(bytes::Bytes::new())
        .unwrap();
    let reply = engine.handle(req);
    // The container exits and is started again before anyone reads the wait.
    engine.advance(1500);
    let running = call(&engine, "GET", &format!("/v1.41/containers/{id}/json"), Value::Null).1;
    assert_eq!(running["State"]["Status"], "running", "it restarted: {}", running["State"]);
    let out = futures::executor::block_on(reply.into_body().collect(1 << 16)).unwrap();
    let answer: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(answer["StatusCode"], 3, "{answer}");
}

/// The names in a tar archive, walking its 512-byte headers.
fn tar_names(tar: &[u8]) -> Vec<String> {
    let (mut names, mut off) = (Vec::new(), 0);
    while off + 512 <= tar.len() {
        let h = &tar[off..off + 512];
        let name = String::from_utf8_lossy(&h[..100]).trim_end_matches('\0').to_string();
        if name.is_empty() {
            break;
        }
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&h[124..136]).trim_matches(|c| c == '\0' || c == ' '), 8)
                .unwrap_or(0);
        names.push(name);
        off += 512 + size.div_ceil(512) * 512;
    }
    names
}

#[test]
fn a_containers_export_is_its_whole_filesystem_relative_to_the_root() {
    // dockerd 28.5 answers `GET /containers/{id}/export` with one tar of the
    // filesystem (`docker export`); the engine answered `page not found`.
    let engine = Engine::new();
    let docker = engine.docker();
    pull(&engine, "busybox");
    let (_, created) =
        call(&engine, "POST", "/v1.51/containers/create?name=ex", json!({"Image": "busybox", "Cmd": ["sleep", "100"]}));
    let id = created["Id"].as_str().unwrap().to_string();
    assert_eq!(call(&engine, "POST", &format!("/v1.51/containers/{id}/start"), Value::Null).0, 204);
    let chunks: Vec<_> = block_on(docker.containers().get("ex").export().collect::<Vec<_>>());
    let tar: Vec<u8> = chunks.into_iter().flat_map(|c| c.unwrap().to_vec()).collect();
    let names = tar_names(&tar);
    assert!(names.iter().any(|n| n == "bin/sh" || n == "bin/busybox"), "{names:?}");
    assert!(names.iter().any(|n| n == "etc/"), "{names:?}");
    assert!(names.iter().all(|n| !n.starts_with('/')), "{names:?}");
    // An unknown container is dockerd's 404.
    let missing = block_on(docker.containers().get("nope").export().collect::<Vec<_>>());
    assert!(matches!(&missing[0], Err(e) if e.status() == Some(404)), "{missing:?}");
}
