//! What a third-party client's integration suite (docker-py's) found the
//! simulated daemon doing differently from dockerd: legacy links, logs
//! `until`, refused log and volume drivers, `commit` with changes, exec as
//! another user, volume prune's filters, plugins, and the like. Each test
//! holds the engine to what dockerd 20.10 answers.

mod common;

use bytes::Bytes;
use common::call;
use dockhand_engine::Engine;
use futures::executor::block_on;
use serde_json::{Value, json};

fn pull(engine: &Engine, image: &str) {
    let (s, _) = call(engine, "POST", &format!("/v1.41/images/create?fromImage={image}&tag=latest"), Value::Null);
    assert_eq!(s, 200);
}

/// Creates a busybox container from `body` (its `Image` put in); its id.
fn create(engine: &Engine, name: &str, mut body: Value) -> String {
    body["Image"] = json!("busybox");
    let (s, v) = call(engine, "POST", &format!("/v1.41/containers/create?name={name}"), body);
    assert_eq!(s, 201, "{v}");
    v["Id"].as_str().unwrap().to_string()
}

fn start(engine: &Engine, id: &str) -> (u16, Value) {
    call(engine, "POST", &format!("/v1.41/containers/{id}/start"), Value::Null)
}

fn inspect(engine: &Engine, id: &str) -> Value {
    call(engine, "GET", &format!("/v1.41/containers/{id}/json"), Value::Null).1
}

/// A request's status and raw body.
fn raw(engine: &Engine, method: &str, path: &str) -> (u16, Vec<u8>) {
    let req = http::Request::builder().method(method).uri(path).body(Bytes::new()).unwrap();
    let resp = engine.handle(req);
    let status = resp.status().as_u16();
    (status, block_on(resp.into_body().collect(1 << 20)).unwrap().to_vec())
}

/// The payload of a multiplexed (non-tty) log stream.
fn demux(mut data: &[u8]) -> String {
    let mut out = Vec::new();
    while data.len() >= 8 {
        let n = u32::from_be_bytes([data[4], data[5], data[6], data[7]]) as usize;
        out.extend_from_slice(&data[8..8 + n]);
        data = &data[8 + n..];
    }
    String::from_utf8(out).unwrap()
}

fn logs(engine: &Engine, id: &str, query: &str) -> String {
    let (s, data) = raw(engine, "GET", &format!("/v1.41/containers/{id}/logs?stdout=1&stderr=1{query}"));
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&data));
    demux(&data)
}

#[test]
fn legacy_links_give_variables_hosts_and_a_name_and_can_be_removed() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let child = create(
        &engine,
        "db",
        json!({"Cmd": ["sleep", "600"], "Env": ["FOO=1", "HOME=/x"], "ExposedPorts": {"80/tcp": {}}}),
    );
    let parent = create(
        &engine,
        "app",
        json!({"Cmd": ["sh", "-c", "env; cat /etc/hosts"], "HostConfig": {"Links": ["db:my-db"]}}),
    );
    // The linked container must run when the linking one starts.
    let (s, v) = start(&engine, &parent);
    assert_eq!((s, v["message"].as_str().unwrap()), (500, "Cannot link to a non running container: /db AS /app/my-db"));
    assert_eq!(start(&engine, &child).0, 204);
    assert_eq!(start(&engine, &parent).0, 204);
    engine.advance(100);
    let ip = inspect(&engine, &child)["NetworkSettings"]["IPAddress"].as_str().unwrap().to_string();
    let out = logs(&engine, &parent, "");
    for line in [
        "MY_DB_NAME=/app/my-db".to_string(),
        "MY_DB_ENV_FOO=1".to_string(),
        format!("MY_DB_PORT=tcp://{ip}:80"),
        format!("MY_DB_PORT_80_TCP_ADDR={ip}"),
        "MY_DB_PORT_80_TCP_PROTO=tcp".to_string(),
    ] {
        assert!(out.lines().any(|l| l == line), "{line} missing in:\n{out}");
    }
    assert!(!out.contains("MY_DB_ENV_HOME"), "HOME and PATH are not passed on: {out}");
    let hosts_line = out.lines().find(|l| l.starts_with(&format!("{ip}\t"))).unwrap_or_default();
    assert!(hosts_line.starts_with(&format!("{ip}\tmy-db ")) && hosts_line.ends_with(" db"), "{out}");
    assert_eq!(inspect(&engine, &parent)["HostConfig"]["Links"], json!(["/db:/app/my-db"]));
    let (_, list) = call(&engine, "GET", "/v1.41/containers/json?all=1", Value::Null);
    let names = list.as_array().unwrap().iter().find(|c| c["Id"] == child.as_str()).unwrap()["Names"].clone();
    assert_eq!(names, json!(["/db", "/app/my-db"]));
    // Removing: a container's own name is refused; a link nobody has is 404.
    let (s, v) = call(&engine, "DELETE", "/v1.41/containers/db?link=1", Value::Null);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (500, "Conflict, cannot remove the default link name of the container")
    );
    let (s, v) = call(&engine, "DELETE", "/v1.41/containers/app/nolink?link=1", Value::Null);
    assert_eq!((s, v["message"].as_str().unwrap()), (404, "No such container: app/nolink"));
    assert_eq!(call(&engine, "DELETE", "/v1.41/containers/app/my-db?link=1", Value::Null).0, 204);
    assert_eq!(inspect(&engine, &parent)["HostConfig"]["Links"], Value::Null);
    assert_eq!(inspect(&engine, &child)["State"]["Running"], true, "the containers stay");
    // A link to a container that does not exist is refused at create.
    let (s, v) = call(
        &engine,
        "POST",
        "/v1.41/containers/create",
        json!({"Image": "busybox", "HostConfig": {"Links": ["nosuch:x"]}}),
    );
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "could not get container for nosuch: No such container: nosuch")
    );
}

/// Runs `argv` in container `id` (an exec); its exit code and output.
fn exec(engine: &Engine, id: &str, body: Value) -> (i64, String) {
    let (s, v) = call(engine, "POST", &format!("/v1.41/containers/{id}/exec"), body);
    assert_eq!(s, 201, "{v}");
    let eid = v["Id"].as_str().unwrap().to_string();
    let req = http::Request::builder()
        .method("POST")
        .uri(format!("/v1.41/exec/{eid}/start"))
        .header("Content-Type", "application/json")
        .body(Bytes::from(json!({"Detach": false, "Tty": false}).to_string()))
        .unwrap();
    let out = block_on(engine.handle(req).into_body().collect(1 << 20)).unwrap();
    let code =
        call(engine, "GET", &format!("/v1.41/exec/{eid}/json"), Value::Null).1["ExitCode"].as_i64().unwrap_or(-1);
    (code, demux(&out))
}

#[test]
fn an_endpoints_links_resolve_on_its_network_and_circles_resolve_to_nothing() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "net1"})).0, 201);
    let on_net = |links: Value| json!({"Cmd": ["sleep", "600"], "HostConfig": {"NetworkMode": "net1", "Links": links}});
    // HostConfig.Links on a network of its own become the endpoint's.
    let app = create(&engine, "app", on_net(json!(["upstream:bar", "a:b", "b:a"])));
    assert_eq!(inspect(&engine, &app)["HostConfig"]["Links"], Value::Null);
    assert_eq!(
        inspect(&engine, &app)["NetworkSettings"]["Networks"]["net1"]["Links"],
        json!(["upstream:bar", "a:b", "b:a"])
    );
    let up = create(&engine, "upstream", on_net(Value::Null));
    assert_eq!(start(&engine, &app).0, 204);
    assert_eq!(start(&engine, &up).0, 204);
    let ip = inspect(&engine, &up)["NetworkSettings"]["Networks"]["net1"]["IPAddress"].as_str().unwrap().to_string();
    let (code, out) = exec(&engine, &app, json!({"Cmd": ["nslookup", "bar"], "AttachStdout": true}));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("Address: {ip}")), "{out}");
    let (code, out) = exec(&engine, &app, json!({"Cmd": ["nslookup", "a"], "AttachStdout": true}));
    assert_eq!(code, 1, "{out}");
}

#[test]
fn logs_until_leave_out_what_came_later_and_the_none_driver_has_no_logs() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let id = create(&engine, "", json!({"Cmd": ["sh", "-c", "echo one; sleep 5; echo two"]}));
    let (_, v) = start(&engine, &id);
    assert_eq!(v, Value::Null);
    let started = inspect(&engine, &id)["State"]["StartedAt"].as_str().unwrap().to_string();
    engine.advance(6000);
    assert_eq!(logs(&engine, &id, ""), "one\ntwo\n");
    assert_eq!(logs(&engine, &id, "&until=1"), "", "everything came after 1970");
    assert_eq!(logs(&engine, &id, "&until=4102444800.5"), "one\ntwo\n", "2100: nothing after it");
    // A second after the start, as a client sends it (`SECONDS.NANOS`):
    // the first line only. A fresh engine's clock starts on 2026-01-01.
    assert!(started.starts_with("2026-01-01T"), "{started}");
    let secs = 1_767_225_600 + started[11..19].split(':').map(|p| p.parse::<u64>().unwrap()).fold(0, |a, p| a * 60 + p);
    assert_eq!(logs(&engine, &id, &format!("&until={}.999999999", secs + 1)), "one\n");
    // `none`: nothing to read, as dockerd answers.
    let quiet = create(&engine, "", json!({"Cmd": ["echo", "hi"], "HostConfig": {"LogConfig": {"Type": "none"}}}));
    start(&engine, &quiet);
    let (s, body) = raw(&engine, "GET", &format!("/v1.41/containers/{quiet}/logs?stdout=1"));
    assert_eq!(s, 501);
    assert_eq!(
        String::from_utf8_lossy(&body).trim(),
        r#"{"message":"configured logging driver does not support reading"}"#
    );
}

#[test]
fn unknown_log_and_volume_drivers_are_refused_as_dockerd_refuses_them() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let body =
        json!({"Image": "busybox", "Cmd": ["true"], "HostConfig": {"LogConfig": {"Type": "asdf", "Config": {}}}});
    let (s, v) = call(&engine, "POST", "/v1.41/containers/create", body);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, r#"error looking up logging plugin asdf: plugin "asdf" not found"#)
    );
    for ok in ["json-file", "local", "syslog", "none", ""] {
        let body = json!({"Image": "busybox", "Cmd": ["true"], "HostConfig": {"LogConfig": {"Type": ok}}});
        assert_eq!(call(&engine, "POST", "/v1.41/containers/create", body).0, 201, "{ok}");
    }
    let (s, v) = call(&engine, "POST", "/v1.41/volumes/create", json!({"Name": "vol1", "Driver": "invalid.driver"}));
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (404, r#"create vol1: error looking up volume plugin invalid.driver: plugin "invalid.driver" not found"#)
    );
    assert_eq!(call(&engine, "GET", "/v1.41/volumes/vol1", Value::Null).0, 404);
    assert_eq!(call(&engine, "POST", "/v1.41/volumes/create", json!({"Name": "vol1", "Driver": "local"})).0, 201);
}

#[test]
fn volume_prune_takes_named_volumes_for_old_clients_and_its_filters() {
    let engine = Engine::new();
    let vol = |name: &str, labels: Value| {
        let (s, v) = call(&engine, "POST", "/v1.41/volumes/create", json!({"Name": name, "Labels": labels}));
        assert_eq!(s, 201, "{v}");
    };
    let pruned = |path: &str| -> Value {
        let (s, v) = call(&engine, "POST", path, Value::Null);
        assert_eq!(s, 200, "{v}");
        v["VolumesDeleted"].clone()
    };
    vol("keep1", json!({"keep": "yes"}));
    vol("gone1", json!({"tier": "a"}));
    vol("gone2", json!({}));
    let f =
        |s: &str| s.replace('{', "%7B").replace('}', "%7D").replace('"', "%22").replace('[', "%5B").replace(']', "%5D");
    // `all=false` (API 1.42's default): anonymous volumes only.
    assert_eq!(pruned(&f(r#"/v1.41/volumes/prune?filters={"all":["false"]}"#)), Value::Null);
    assert_eq!(pruned(&f(r#"/v1.41/volumes/prune?filters={"all":["1"],"label":["tier=a"]}"#)), json!(["gone1"]));
    assert_eq!(call(&engine, "POST", &f(r#"/v1.41/volumes/prune?filters={"all":["maybe"]}"#), Value::Null).0, 400);
    assert_eq!(call(&engine, "POST", &f(r#"/v1.41/volumes/prune?filters={"dangling":["true"]}"#), Value::Null).0, 400);
    // An older client (docker-py at 1.41): named ones too.
    assert_eq!(pruned(&f(r#"/v1.41/volumes/prune?filters={"label!":["keep"]}"#)), json!(["gone2"]));
    assert_eq!(pruned("/v1.41/volumes/prune"), json!(["keep1"]));
}

#[test]
fn a_committed_image_names_its_container_and_the_containers_config() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let id = create(&engine, "", json!({"Cmd": ["touch", "/test"]}));
    start(&engine, &id);
    let (s, v) = call(
        &engine,
        "POST",
        &format!("/v1.41/commit?container={id}&changes=EXPOSE%208000&changes=CMD%20%5B%22bash%22%5D"),
        json!({}),
    );
    assert_eq!(s, 201, "{v}");
    let img = call(&engine, "GET", &format!("/v1.41/images/{}/json", v["Id"].as_str().unwrap()), Value::Null).1;
    assert_eq!(img["Container"], id.as_str());
    assert_eq!(img["ContainerConfig"]["Image"], "busybox");
    assert_eq!(img["ContainerConfig"]["Cmd"], json!(["touch", "/test"]));
    assert_eq!(img["Config"]["Cmd"], json!(["bash"]));
    assert!(img["Config"]["ExposedPorts"].get("8000/tcp").is_some(), "{}", img["Config"]);
    let busybox = call(&engine, "GET", "/v1.41/images/busybox/json", Value::Null).1;
    assert_eq!(img["Parent"], busybox["Id"]);
    // dockerd 28.5 leaves the key out for an image it did not commit.
    assert!(busybox.get("Container").is_none(), "a pulled image names no container");
}

#[test]
fn exec_runs_as_its_user_and_group_add_gives_groups() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let id = create(&engine, "", json!({"Cmd": ["sleep", "600"], "HostConfig": {"GroupAdd": [1000, "1001", "wheel"]}}));
    start(&engine, &id);
    let (code, out) = exec(&engine, &id, json!({"Cmd": ["whoami"], "User": "nobody", "AttachStdout": true}));
    assert_eq!((code, out.as_str()), (0, "nobody\n"));
    let (code, out) =
        exec(&engine, &id, json!({"Cmd": ["sh", "-c", "id -u; id -G"], "User": "nobody", "AttachStdout": true}));
    assert_eq!(code, 0, "{out}");
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("65534"));
    let groups: Vec<&str> = lines.next().unwrap().split(' ').collect();
    assert_eq!(groups[0], "65534");
    for g in ["1000", "1001", "10"] {
        assert!(groups.contains(&g), "{g} in {groups:?}");
    }
    let (code, out) = exec(&engine, &id, json!({"Cmd": ["whoami"], "AttachStdout": true}));
    assert_eq!((code, out.as_str()), (0, "root\n"), "without User: the container's");
}

fn raw_body(engine: &Engine, method: &str, path: &str, body: Vec<u8>) -> (u16, Value) {
    let req = http::Request::builder().method(method).uri(path).body(Bytes::from(body)).unwrap();
    let resp = engine.handle(req);
    let status = resp.status().as_u16();
    let data = block_on(resp.into_body().collect(1 << 20)).unwrap();
    (status, serde_json::from_slice(&data).unwrap_or(Value::Null))
}

#[test]
fn a_plugin_is_created_from_a_directory_and_removed() {
    use dockhand_engine::formats::{TarEntry, tar};
    let engine = Engine::new();
    let config = r#"{"description": "Dummy", "entrypoint": ["/dummy"], "network": {"type": "host"},
        "interface": {"types": ["docker.volumedriver/1.0"], "socket": "dummy.sock"},
        "env": [{"name": "DEBUG", "settable": ["value"], "value": "0"}]}"#;
    let entry = |path: &str, data: &str, dir: bool| TarEntry { path: path.into(), dir, data: data.as_bytes().to_vec() };
    let context = tar(&[
        entry("config.json", config, false),
        entry("rootfs", "", true),
        entry("rootfs/dummy", "", true),
        entry("rootfs/dummy/file.txt", "x", false),
    ]);
    assert_eq!(
        call(&engine, "GET", "/v1.41/plugins/privileges?remote=vieux%2Fsshfs%3Alatest", Value::Null),
        (200, json!([]))
    );
    let (s, v) = raw_body(&engine, "POST", "/v1.41/plugins/create?name=docker-sdk-py%2Fdummy", context.clone());
    assert_eq!(s, 204, "{v}");
    let (s, p) = call(&engine, "GET", "/v1.41/plugins/docker-sdk-py/dummy/json", Value::Null);
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["Name"], "docker-sdk-py/dummy:latest");
    assert_eq!(p["Enabled"], false);
    assert_eq!(p["Config"]["Entrypoint"], json!(["/dummy"]));
    assert_eq!(p["Config"]["Interface"]["Socket"], "dummy.sock");
    assert_eq!(p["Settings"]["Env"], json!(["DEBUG=0"]));
    assert_eq!(call(&engine, "GET", "/v1.41/plugins", Value::Null).1[0]["Id"], p["Id"]);
    let (s, v) = raw_body(&engine, "POST", "/v1.41/plugins/create?name=docker-sdk-py%2Fdummy", context);
    assert_eq!((s, v["message"].as_str().unwrap()), (409, "plugin docker-sdk-py/dummy:latest already exists"));
    let (s, v) = raw_body(&engine, "POST", "/v1.41/plugins/create?name=x%2Fbad", b"garbage".to_vec());
    assert_eq!(s, 500, "{v}");
    assert_eq!(call(&engine, "DELETE", "/v1.41/plugins/docker-sdk-py/dummy:latest", Value::Null).0, 200);
    let (s, v) = call(&engine, "GET", "/v1.41/plugins/docker-sdk-py/dummy/json", Value::Null);
    assert_eq!((s, v["message"].as_str().unwrap()), (404, r#"plugin "docker-sdk-py/dummy" not found"#));
}

#[test]
fn a_requested_mac_and_address_are_the_ones_the_container_gets() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let id = create(&engine, "", json!({"Cmd": ["sleep", "60"], "MacAddress": "02:42:ac:11:00:0a"}));
    start(&engine, &id);
    let v = inspect(&engine, &id);
    assert_eq!(v["NetworkSettings"]["MacAddress"], "02:42:ac:11:00:0a");
    assert_eq!(v["Config"]["MacAddress"], "02:42:ac:11:00:0a");
    let net = json!({"Name": "fixed", "IPAM": {"Config": [{"Subnet": "172.28.0.0/16", "IPRange": "172.28.5.0/24", "Gateway": "172.28.5.254"}]}});
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", net).0, 201);
    let body = json!({"Cmd": ["sleep", "60"], "HostConfig": {"NetworkMode": "fixed"},
        "NetworkingConfig": {"EndpointsConfig": {"fixed": {"IPAMConfig": {"IPv4Address": "172.28.5.24"}}}}});
    let id = create(&engine, "", body);
    start(&engine, &id);
    let ep = inspect(&engine, &id)["NetworkSettings"]["Networks"]["fixed"].clone();
    assert_eq!(ep["IPAddress"], "172.28.5.24", "{ep}");
    assert_eq!(ep["IPAMConfig"]["IPv4Address"], "172.28.5.24");
}

/// Builds a Dockerfile alone as the context with `query`; the decoded
/// JSON messages.
fn build(engine: &Engine, dockerfile: &str, query: &str) -> Vec<Value> {
    use dockhand_engine::formats::{TarEntry, tar};
    let context = tar(&[TarEntry { path: "Dockerfile".into(), dir: false, data: dockerfile.as_bytes().to_vec() }]);
    let (s, body) = {
        let req = http::Request::builder()
            .method("POST")
            .uri(format!("/v1.41/build?{query}"))
            .body(Bytes::from(context))
            .unwrap();
        let resp = engine.handle(req);
        (resp.status().as_u16(), block_on(resp.into_body().collect(1 << 20)).unwrap())
    };
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&body));
    serde_json::Deserializer::from_slice(&body).into_iter::<Value>().map(Result::unwrap).collect()
}

fn cache_hits(messages: &[Value]) -> usize {
    messages.iter().filter(|m| m["stream"].as_str().is_some_and(|s| s.contains("Using cache"))).count()
}

#[test]
fn cache_from_limits_the_cache_to_those_images() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let dockerfile = "FROM busybox\nENV FOO=bar\nRUN touch baz\nRUN touch bax\n";
    assert_eq!(cache_hits(&build(&engine, dockerfile, "t=build1")), 0);
    let from =
        |refs: &str| format!("t=build2&cachefrom={}", refs.replace('"', "%22").replace('[', "%5B").replace(']', "%5D"));
    assert_eq!(cache_hits(&build(&engine, dockerfile, &from(r#"["build1"]"#))), 3);
    assert_eq!(cache_hits(&build(&engine, dockerfile, &from(r#"["nosuchtag"]"#))), 0, "no such image: no cache");
    assert_eq!(cache_hits(&build(&engine, dockerfile, "t=build3")), 3, "without cache_from: the local cache");
}

#[test]
fn a_builds_run_steps_are_on_the_network_asked_for() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let (s, v) = call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "buildnet"}));
    assert_eq!(s, 201, "{v}");
    let target = create(&engine, "", json!({"Cmd": ["top"]}));
    start(&engine, &target);
    let (s, v) = call(
        &engine,
        "POST",
        "/v1.41/networks/buildnet/connect",
        json!({"Container": target, "EndpointConfig": {"Aliases": ["pingtarget.docker"]}}),
    );
    assert_eq!(s, 200, "{v}");
    let dockerfile = "FROM busybox\nRUN ping -c1 pingtarget.docker\n";
    let out = build(&engine, dockerfile, "t=onnet&networkmode=buildnet");
    assert!(out.iter().all(|m| m.get("error").is_none()), "{out:?}");
    assert_eq!(call(&engine, "GET", "/v1.41/images/onnet/json", Value::Null).0, 200);
    let out = build(&engine, dockerfile, "t=nonet&networkmode=none&nocache=1");
    assert_eq!(out.last().unwrap()["errorDetail"]["code"], 1, "{out:?}");
    assert_eq!(call(&engine, "GET", "/v1.41/images/nonet/json", Value::Null).0, 404);
}

#[test]
fn a_ttys_output_has_crlf_line_ends_in_logs_and_attach() {
    let engine = Engine::new();
    pull(&engine, "busybox");
    let id = create(&engine, "", json!({"Cmd": ["sh", "-c", "echo hello; echo world"], "Tty": true}));
    start(&engine, &id);
    engine.advance(100);
    let (s, data) = raw(&engine, "GET", &format!("/v1.41/containers/{id}/logs?stdout=1"));
    assert_eq!((s, String::from_utf8(data).unwrap().as_str()), (200, "hello\r\nworld\r\n"));
    let (s, data) = raw(&engine, "POST", &format!("/v1.41/containers/{id}/attach?logs=1&stream=0&stdout=1"));
    assert_eq!((s, String::from_utf8(data).unwrap().as_str()), (101, "hello\r\nworld\r\n"));
    // Without a TTY: as written.
    let plain = create(&engine, "", json!({"Cmd": ["echo", "hello"]}));
    start(&engine, &plain);
    assert_eq!(logs(&engine, &plain, ""), "hello\n");
}
