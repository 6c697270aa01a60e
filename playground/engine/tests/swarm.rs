//! The simulated single-node swarm, request by request: dockerd's answers
//! outside a swarm, the cluster's versioned updates, tasks on the simulated
//! clock and their containers, scaling, restart policies, jobs, global
//! services, rolling updates and rollback, secrets and configs in the
//! containers' files, overlay networks, leave.

mod common;

use common::call;
use dockhand_engine::Engine;
use serde_json::{Value, json};

const NOT_MANAGER: &str = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

fn engine_in_swarm() -> (Engine, String) {
    let engine = Engine::new();
    let (status, _) = call(&engine, "POST", "/v1.41/images/create?fromImage=busybox&tag=latest", Value::Null);
    assert_eq!(status, 200);
    let (status, id) = call(&engine, "POST", "/v1.41/swarm/init", json!({"ListenAddr": "0.0.0.0:2377"}));
    assert_eq!(status, 200, "{id}");
    (engine, id.as_str().unwrap().to_string())
}

fn tasks_of(engine: &Engine, service: &str) -> Vec<Value> {
    let filters = format!("{{\"service\":[\"{service}\"]}}");
    let (status, v) = call(engine, "GET", &format!("/v1.41/tasks?filters={}", urlencode(&filters)), Value::Null);
    assert_eq!(status, 200, "{v}");
    v.as_array().unwrap().clone()
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn states(tasks: &[Value]) -> Vec<String> {
    let mut s: Vec<String> = tasks.iter().map(|t| t["Status"]["State"].as_str().unwrap().to_string()).collect();
    s.sort();
    s
}

fn service(engine: &Engine, spec: Value) -> String {
    let (status, v) = call(engine, "POST", "/v1.41/services/create", spec);
    assert_eq!(status, 201, "{v}");
    v["ID"].as_str().unwrap().to_string()
}

#[test]
fn outside_a_swarm_every_manager_endpoint_answers_503_as_dockerd() {
    let engine = Engine::new();
    for path in
        ["swarm", "services", "nodes", "tasks", "secrets", "configs", "swarm/unlockkey", "services/x", "tasks/x"]
    {
        let (status, v) = call(&engine, "GET", &format!("/v1.41/{path}"), Value::Null);
        assert_eq!((status, v["message"].as_str()), (503, Some(NOT_MANAGER)), "{path}");
    }
    let (status, v) = call(&engine, "POST", "/v1.41/swarm/leave", Value::Null);
    assert_eq!((status, v["message"].as_str()), (503, Some("This node is not part of a swarm")));
    let (status, _) = call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "ov", "Driver": "overlay"}));
    assert_eq!(status, 500);
    let (_, info) = call(&engine, "GET", "/v1.41/info", Value::Null);
    assert_eq!(info["Swarm"]["LocalNodeState"], "inactive");
}

#[test]
fn unknown_methods_on_known_paths_are_404_page_not_found() {
    let engine = Engine::new();
    for (method, path) in [("PATCH", "/v1.41/containers/json"), ("PUT", "/v1.41/containers/json"), ("POST", "/_ping")] {
        let (status, v) = call(&engine, method, path, Value::Null);
        assert_eq!((status, v["message"].as_str()), (404, Some("page not found")), "{method} {path}");
    }
}

#[test]
fn the_cluster_has_defaults_versions_tokens_and_an_unlock_key() {
    let (engine, node_id) = engine_in_swarm();
    assert_eq!(node_id.len(), 25);
    let (status, again) = call(&engine, "POST", "/v1.41/swarm/init", json!({}));
    assert_eq!(status, 503, "{again}");
    let (_, sw) = call(&engine, "GET", "/v1.41/swarm", Value::Null);
    assert_eq!(sw["Spec"]["Orchestration"]["TaskHistoryRetentionLimit"], 5);
    assert_eq!(sw["Spec"]["Raft"]["ElectionTick"], 10);
    assert!(sw["JoinTokens"]["Worker"].as_str().unwrap().starts_with("SWMTKN-1-"));
    let version = sw["Version"]["Index"].as_u64().unwrap();
    // A stale version: dockerd's 500.
    let (status, v) =
        call(&engine, "POST", &format!("/v1.41/swarm/update?version={}", version - 1), sw["Spec"].clone());
    assert_eq!((status, v["message"].as_str()), (500, Some("rpc error: code = Unknown desc = update out of sequence")));
    let (status, v) = call(&engine, "POST", "/v1.41/swarm/update", sw["Spec"].clone());
    assert_eq!(status, 400, "{v}");
    let mut spec = sw["Spec"].clone();
    spec["EncryptionConfig"]["AutoLockManagers"] = json!(true);
    let (status, _) =
        call(&engine, "POST", &format!("/v1.41/swarm/update?version={version}&rotateWorkerToken=true"), spec);
    assert_eq!(status, 200);
    let (_, after) = call(&engine, "GET", "/v1.41/swarm", Value::Null);
    assert!(after["Version"]["Index"].as_u64().unwrap() > version);
    assert_ne!(after["JoinTokens"]["Worker"], sw["JoinTokens"]["Worker"]);
    assert_eq!(after["JoinTokens"]["Manager"], sw["JoinTokens"]["Manager"]);
    let (_, key) = call(&engine, "GET", "/v1.41/swarm/unlockkey", Value::Null);
    assert!(key["UnlockKey"].as_str().unwrap().starts_with("SWMKEY-1-"), "{key}");
    let (_, info) = call(&engine, "GET", "/v1.41/info", Value::Null);
    assert_eq!(info["Swarm"]["LocalNodeState"], "active");
    assert_eq!(info["Swarm"]["NodeID"], node_id.as_str());
    assert_eq!(info["Swarm"]["Cluster"]["ID"], sw["ID"]);
    // The node: labels and availability with its version; never removed.
    let (_, node) = call(&engine, "GET", &format!("/v1.41/nodes/{node_id}"), Value::Null);
    assert_eq!(node["ManagerStatus"]["Leader"], true);
    let v = node["Version"]["Index"].as_u64().unwrap();
    let spec = json!({"Labels": {"zone": "a"}, "Role": "manager", "Availability": "drain"});
    let (status, _) = call(&engine, "POST", &format!("/v1.41/nodes/{node_id}/update?version={v}"), spec.clone());
    assert_eq!(status, 200);
    let (status, _) = call(&engine, "POST", &format!("/v1.41/nodes/{node_id}/update?version={v}"), spec);
    assert_eq!(status, 500, "a stale node version");
    let (_, nodes) = call(&engine, "GET", "/v1.41/nodes?filters=%7B%22label%22%3A%5B%22zone%3Da%22%5D%7D", Value::Null);
    assert_eq!(nodes[0]["Spec"]["Availability"], "drain");
    let (status, v) = call(&engine, "DELETE", &format!("/v1.41/nodes/{node_id}"), Value::Null);
    assert_eq!(status, 400, "{v}");
    // Leave: a manager needs force.
    let (status, _) = call(&engine, "POST", "/v1.41/swarm/leave", Value::Null);
    assert_eq!(status, 503);
    let (status, _) = call(&engine, "POST", "/v1.41/swarm/leave?force=1", Value::Null);
    assert_eq!(status, 200);
    let (status, _) = call(&engine, "GET", "/v1.41/swarm", Value::Null);
    assert_eq!(status, 503);
}

#[test]
fn tasks_move_through_their_states_on_the_simulated_clock_into_labelled_containers() {
    let (engine, node_id) = engine_in_swarm();
    let id = service(
        &engine,
        json!({"Name": "web", "TaskTemplate": {"ContainerSpec": {"Image": "busybox", "Command": ["sleep", "600"]}},
               "Mode": {"Replicated": {"Replicas": 3}}}),
    );
    let tasks = tasks_of(&engine, "web");
    assert_eq!(states(&tasks), ["preparing", "preparing", "preparing"]);
    engine.advance(150);
    let tasks = tasks_of(&engine, &id);
    assert_eq!(states(&tasks), ["running", "running", "running"]);
    let mut slots: Vec<u64> = tasks.iter().map(|t| t["Slot"].as_u64().unwrap()).collect();
    slots.sort();
    assert_eq!(slots, [1, 2, 3]);
    let t = &tasks[0];
    let cid = t["Status"]["ContainerStatus"]["ContainerID"].as_str().unwrap();
    let (_, c) = call(&engine, "GET", &format!("/v1.41/containers/{cid}/json"), Value::Null);
    let labels = &c["Config"]["Labels"];
    assert_eq!(labels["com.docker.swarm.service.id"], id.as_str());
    assert_eq!(labels["com.docker.swarm.service.name"], "web");
    assert_eq!(labels["com.docker.swarm.node.id"], node_id.as_str());
    assert_eq!(labels["com.docker.swarm.task.id"], t["ID"]);
    let name = format!("web.{}.{}", t["Slot"], t["ID"].as_str().unwrap());
    assert_eq!(labels["com.docker.swarm.task.name"], name.as_str());
    assert_eq!(c["Name"], format!("/{name}"));
    assert_eq!(c["State"]["Status"], "running");
    // Status counts.
    let (_, list) = call(&engine, "GET", "/v1.41/services?status=true", Value::Null);
    assert_eq!(list[0]["ServiceStatus"], json!({"RunningTasks": 3, "DesiredTasks": 3, "CompletedTasks": 0}));
    // Scale down to 1: two tasks shut down, their containers stop.
    let (_, svc) = call(&engine, "GET", "/v1.41/services/web", Value::Null);
    let mut spec = svc["Spec"].clone();
    spec["Mode"]["Replicated"]["Replicas"] = json!(1);
    let version = svc["Version"]["Index"].as_u64().unwrap();
    let (status, v) = call(&engine, "POST", &format!("/v1.41/services/web/update?version={version}"), spec);
    assert_eq!(status, 200, "{v}");
    engine.advance(11_000);
    let tasks = tasks_of(&engine, "web");
    assert_eq!(states(&tasks), ["running", "shutdown", "shutdown"]);
    let running = engine.with_state(|st| st.containers.values().filter(|c| c.status.as_str() == "running").count());
    assert_eq!(running, 1);
    // A container killed by hand: the task fails, a new one replaces it
    // after the restart delay (5 s).
    let live = tasks.iter().find(|t| t["Status"]["State"] == "running").unwrap();
    let cid = live["Status"]["ContainerStatus"]["ContainerID"].as_str().unwrap().to_string();
    let (status, _) = call(&engine, "POST", &format!("/v1.41/containers/{cid}/kill"), Value::Null);
    assert_eq!(status, 204);
    engine.advance(100);
    let tasks = tasks_of(&engine, "web");
    assert!(
        tasks.iter().any(|t| t["Status"]["State"] == "failed" && t["Status"]["Err"] == "task: non-zero exit (137)")
    );
    assert!(!tasks.iter().any(|t| t["Status"]["State"] == "running"));
    engine.advance(5_200);
    let tasks = tasks_of(&engine, "web");
    assert_eq!(tasks.iter().filter(|t| t["Status"]["State"] == "running").count(), 1, "{tasks:?}");
    // Remove: tasks and containers go.
    let (status, _) = call(&engine, "DELETE", "/v1.41/services/web", Value::Null);
    assert_eq!(status, 200);
    assert_eq!(engine.with_state(|st| st.containers.len()), 0);
    let (status, v) = call(&engine, "GET", "/v1.41/services/web", Value::Null);
    assert_eq!((status, v["message"].as_str()), (404, Some("service web not found")));
}

#[test]
fn jobs_complete_and_global_services_run_one_task_on_the_node() {
    let (engine, node_id) = engine_in_swarm();
    service(
        &engine,
        json!({"Name": "job", "TaskTemplate": {"ContainerSpec": {"Image": "busybox", "Command": ["true"]}},
               "Mode": {"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 3}}}),
    );
    service(
        &engine,
        json!({"Name": "agent", "TaskTemplate": {"ContainerSpec": {"Image": "busybox", "Command": ["sleep", "600"]}},
               "Mode": {"Global": {}}}),
    );
    for _ in 0..5 {
        engine.advance(200);
    }
    let jobs = tasks_of(&engine, "job");
    assert_eq!(states(&jobs), ["complete", "complete", "complete"], "{jobs:?}");
    assert!(jobs.iter().all(|t| t["DesiredState"] == "complete"));
    let (_, svc) = call(
        &engine,
        "GET",
        "/v1.41/services?status=1&filters=%7B%22mode%22%3A%5B%22replicated-job%22%5D%7D",
        Value::Null,
    );
    assert_eq!(svc[0]["ServiceStatus"]["CompletedTasks"], 3, "{svc}");
    let global = tasks_of(&engine, "agent");
    assert_eq!(states(&global), ["running"]);
    assert!(global[0].get("Slot").is_none());
    let cid = global[0]["Status"]["ContainerStatus"]["ContainerID"].as_str().unwrap();
    let name = engine.with_state(|st| st.containers.get(cid).unwrap().name.clone());
    assert!(name.starts_with(&format!("agent.{node_id}.")), "{name}");
}

#[test]
fn a_rolling_update_replaces_tasks_and_a_rollback_returns_to_the_previous_spec() {
    let (engine, _) = engine_in_swarm();
    service(
        &engine,
        json!({"Name": "app", "TaskTemplate": {"ContainerSpec": {"Image": "busybox", "Command": ["sleep", "600"], "Env": ["V=1"]}},
               "Mode": {"Replicated": {"Replicas": 2}}, "UpdateConfig": {"Parallelism": 1}}),
    );
    engine.advance(200);
    let (_, svc) = call(&engine, "GET", "/v1.41/services/app", Value::Null);
    let mut spec = svc["Spec"].clone();
    spec["TaskTemplate"]["ContainerSpec"]["Env"] = json!(["V=2"]);
    let v = svc["Version"]["Index"].as_u64().unwrap();
    let (status, _) = call(&engine, "POST", &format!("/v1.41/services/app/update?version={v}"), spec);
    assert_eq!(status, 200);
    let (_, svc) = call(&engine, "GET", "/v1.41/services/app", Value::Null);
    assert_eq!(svc["UpdateStatus"]["State"], "updating");
    assert_eq!(svc["PreviousSpec"]["TaskTemplate"]["ContainerSpec"]["Env"], json!(["V=1"]));
    // One at a time: right after the update one task of the old spec runs.
    let old = |engine: &Engine| {
        tasks_of(engine, "app")
            .iter()
            .filter(|t| t["DesiredState"] == "running" && t["Spec"]["ContainerSpec"]["Env"] == json!(["V=1"]))
            .count()
    };
    assert_eq!(old(&engine), 1);
    for _ in 0..10 {
        engine.advance(200);
    }
    assert_eq!(old(&engine), 0);
    let (_, svc) = call(&engine, "GET", "/v1.41/services/app", Value::Null);
    assert_eq!(svc["UpdateStatus"]["State"], "completed", "{:#?}", tasks_of(&engine, "app"));
    let v = svc["Version"]["Index"].as_u64().unwrap();
    let (status, _) = call(
        &engine,
        "POST",
        &format!("/v1.41/services/app/update?version={v}&rollback=previous"),
        svc["Spec"].clone(),
    );
    assert_eq!(status, 200);
    for _ in 0..10 {
        engine.advance(200);
    }
    let (_, svc) = call(&engine, "GET", "/v1.41/services/app", Value::Null);
    assert_eq!(svc["Spec"]["TaskTemplate"]["ContainerSpec"]["Env"], json!(["V=1"]));
    assert_eq!(svc["UpdateStatus"]["State"], "rollback_completed");
    assert_eq!(old(&engine), 2);
}

#[test]
fn secrets_and_configs_are_files_in_task_containers_and_a_secret_is_never_returned() {
    let (engine, _) = engine_in_swarm();
    let (status, s) = call(&engine, "POST", "/v1.41/secrets/create", json!({"Name": "pw", "Data": "czNjcmV0"}));
    assert_eq!(status, 201);
    let sid = s["ID"].as_str().unwrap().to_string();
    let (status, _) = call(&engine, "POST", "/v1.41/secrets/create", json!({"Name": "pw", "Data": "eA=="}));
    assert_eq!(status, 409);
    let (status, c) = call(&engine, "POST", "/v1.41/configs/create", json!({"Name": "conf", "Data": "a2V5PTEK"}));
    assert_eq!(status, 201);
    let cfg = c["ID"].as_str().unwrap().to_string();
    let (_, secret) = call(&engine, "GET", &format!("/v1.41/secrets/{sid}"), Value::Null);
    assert!(secret["Spec"].get("Data").is_none(), "{secret}");
    let (_, config) = call(&engine, "GET", "/v1.41/configs/conf", Value::Null);
    assert_eq!(config["Spec"]["Data"], "a2V5PTEK");
    service(
        &engine,
        json!({"Name": "reader", "TaskTemplate": {"ContainerSpec": {"Image": "busybox", "Command": ["sleep", "600"],
            "Secrets": [{"SecretID": sid, "SecretName": "pw", "File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 292}}],
            "Configs": [{"ConfigID": cfg, "ConfigName": "conf", "File": {"Name": "/etc/app.conf"}}]}}}),
    );
    engine.advance(200);
    let cid = engine.with_state(|st| st.containers.keys().next().unwrap().clone());
    let (status, e) = call(
        &engine,
        "POST",
        &format!("/v1.41/containers/{cid}/exec"),
        json!({"Cmd": ["sh", "-c", "cat /run/secrets/pw /etc/app.conf"], "AttachStdout": true, "Tty": true}),
    );
    assert_eq!(status, 201, "{e}");
    let req = http::Request::builder()
        .method("POST")
        .uri(format!("/v1.41/exec/{}/start", e["Id"].as_str().unwrap()))
        .body(bytes::Bytes::from(r#"{"Detach": false, "Tty": true}"#))
        .unwrap();
    let out = futures::executor::block_on(engine.handle(req).into_body().collect(1 << 16)).unwrap();
    // A tty exec: the terminal turns \n into \r\n, as on dockerd.
    assert_eq!(String::from_utf8_lossy(&out), "s3cretkey=1\r\n");
    // In use: refused; labels can change, data cannot.
    let (status, v) = call(&engine, "DELETE", "/v1.41/secrets/pw", Value::Null);
    assert!(status == 400 && v["message"].as_str().unwrap().contains("is in use by the following service: reader"));
    let version = secret["Version"]["Index"].as_u64().unwrap();
    let (status, _) = call(
        &engine,
        "POST",
        &format!("/v1.41/secrets/{sid}/update?version={version}"),
        json!({"Name": "pw", "Labels": {"a": "b"}}),
    );
    assert_eq!(status, 200);
    let (_, listed) = call(&engine, "GET", "/v1.41/secrets?filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D", Value::Null);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (status, _) = call(&engine, "DELETE", "/v1.41/services/reader", Value::Null);
    assert_eq!(status, 200);
    let (status, _) = call(&engine, "DELETE", "/v1.41/secrets/pw", Value::Null);
    assert_eq!(status, 204);
}

#[test]
fn overlay_networks_are_swarm_scoped_and_services_join_them() {
    let (engine, _) = engine_in_swarm();
    let (_, nets) = call(&engine, "GET", "/v1.41/networks", Value::Null);
    let ingress = nets.as_array().unwrap().iter().find(|n| n["Name"] == "ingress").expect("ingress").clone();
    assert_eq!((ingress["Driver"].as_str(), ingress["Scope"].as_str()), (Some("overlay"), Some("swarm")));
    let (status, n) = call(
        &engine,
        "POST",
        "/v1.41/networks/create",
        json!({"Name": "backend", "Driver": "overlay", "Attachable": true}),
    );
    assert_eq!(status, 201, "{n}");
    let (_, net) = call(&engine, "GET", "/v1.41/networks/backend", Value::Null);
    assert_eq!(net["Scope"], "swarm");
    assert_eq!(net["Attachable"], true);
    service(
        &engine,
        json!({"Name": "db", "TaskTemplate": {"ContainerSpec": {"Image": "busybox", "Command": ["sleep", "600"]},
            "Networks": [{"Target": "backend"}]}, "EndpointSpec": {"Ports": [{"TargetPort": 80}]}}),
    );
    engine.advance(200);
    let (_, svc) = call(&engine, "GET", "/v1.41/services/db", Value::Null);
    assert_eq!(svc["Endpoint"]["Ports"][0]["PublishedPort"], 30000, "{svc}");
    assert_eq!(svc["Endpoint"]["VirtualIPs"].as_array().unwrap().len(), 2);
    let (_, net) = call(&engine, "GET", "/v1.41/networks/backend", Value::Null);
    assert_eq!(net["Containers"].as_object().map(|c| c.len()), Some(1), "{net}");
    let (status, _) = call(&engine, "POST", "/v1.41/swarm/leave?force=true", Value::Null);
    assert_eq!(status, 200);
    let (_, nets) = call(&engine, "GET", "/v1.41/networks", Value::Null);
    assert!(nets.as_array().unwrap().iter().all(|n| n["Scope"] != "swarm"));
    assert!(engine.with_state(|st| st.violations()).is_empty());
}

#[test]
fn service_names_are_dns_components_with_dashes_and_underscores_inside() {
    // swarmkit's check: `^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$`, at most 63
    // characters (docker-py names its services `dockerpytest_<hex>`).
    let (engine, _) = engine_in_swarm();
    for name in ["a_b", "a__b", "a-_-b", "Ab9", "dockerpytest_ac7749f43eb47d24"] {
        let (status, v) = call(
            &engine,
            "POST",
            "/v1.41/services/create",
            json!({"Name": name, "TaskTemplate": {"ContainerSpec": {"Image": "busybox"}}}),
        );
        assert_eq!(status, 201, "{name}: {v}");
    }
    for name in ["_a", "a_", "-a", "a-", "a.b", &"a".repeat(64)] {
        let (status, v) = call(
            &engine,
            "POST",
            "/v1.41/services/create",
            json!({"Name": name, "TaskTemplate": {"ContainerSpec": {"Image": "busybox"}}}),
        );
        assert_eq!(
            (status, v["message"].as_str()),
            (400, Some("rpc error: code = InvalidArgument desc = name must be valid as a DNS name component")),
            "{name}"
        );
    }
    // A service without a name gets a random one (`sharp_euler`), which the
    // check lets through.
    let (status, v) = call(
        &engine,
        "POST",
        "/v1.41/services/create",
        json!({"TaskTemplate": {"ContainerSpec": {"Image": "busybox"}}}),
    );
    assert_eq!(status, 201, "{v}");
}

#[test]
fn init_keeps_the_address_pool_subnet_size_and_data_path_port_it_was_given() {
    let engine = Engine::new();
    let (status, _) = call(&engine, "POST", "/v1.41/swarm/init", json!({"ListenAddr": "0.0.0.0:2377"}));
    assert_eq!(status, 200);
    let (_, sw) = call(&engine, "GET", "/v1.41/swarm", Value::Null);
    assert_eq!(
        (&sw["DefaultAddrPool"], &sw["SubnetSize"], &sw["DataPathPort"]),
        (&json!(["10.0.0.0/8"]), &json!(24), &json!(4789))
    );
    let (status, _) = call(&engine, "POST", "/v1.41/swarm/leave?force=1", Value::Null);
    assert_eq!(status, 200);
    let (status, _) = call(
        &engine,
        "POST",
        "/v1.41/swarm/init",
        json!({"ListenAddr": "0.0.0.0:2377", "DefaultAddrPool": ["2.0.0.0/16", "3.0.0.0/16"], "SubnetSize": 28, "DataPathPort": 4242}),
    );
    assert_eq!(status, 200);
    let (_, sw) = call(&engine, "GET", "/v1.41/swarm", Value::Null);
    assert_eq!(sw["DefaultAddrPool"], json!(["2.0.0.0/16", "3.0.0.0/16"]));
    assert_eq!((&sw["SubnetSize"], &sw["DataPathPort"]), (&json!(28), &json!(4242)));
}

#[test]
fn the_ingress_network_can_be_replaced_and_inspect_filters_by_scope() {
    let (engine, _) = engine_in_swarm();
    let (_, ingress) = call(&engine, "GET", "/v1.41/networks/ingress", Value::Null);
    assert_eq!((&ingress["Ingress"], &ingress["Scope"]), (&json!(true), &json!("swarm")));
    let (status, v) =
        call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "ing2", "Driver": "overlay", "Ingress": true}));
    assert_eq!(status, 409, "{v}");
    let old = ingress["Id"].as_str().unwrap();
    assert_eq!(
        v["message"],
        format!("rpc error: code = AlreadyExists desc = ingress network ({old}) is already present")
    );
    let (status, _) = call(&engine, "DELETE", "/v1.41/networks/ingress", Value::Null);
    assert_eq!(status, 204);
    let (status, v) =
        call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "ing2", "Driver": "overlay", "Ingress": true}));
    assert_eq!(status, 201, "{v}");
    let (_, ing2) = call(&engine, "GET", "/v1.41/networks/ing2", Value::Null);
    assert_eq!(ing2["Ingress"], true);

    let (status, _) = call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "loc"}));
    assert_eq!(status, 201);
    for (net, scope, found) in [
        ("loc", "local", true),
        ("loc", "global", false),
        ("loc", "swarm", false),
        ("ing2", "swarm", true),
        ("ing2", "local", false),
    ] {
        let (status, v) = call(&engine, "GET", &format!("/v1.41/networks/{net}?scope={scope}"), Value::Null);
        if found {
            assert_eq!(status, 200, "{net} {scope}: {v}");
        } else {
            assert_eq!((status, v["message"].as_str()), (404, Some(format!("network {net} not found").as_str())));
        }
    }
}

#[test]
fn specs_are_read_as_go_reads_json_and_networks_stored_by_id() {
    // docker-py sends `{"Mode": {"replicated": {"Replicas": 5}}}`: Go's
    // decoder matches field names whatever their case.
    let (engine, _) = engine_in_swarm();
    let (status, net) = call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "ov", "Driver": "overlay"}));
    assert_eq!(status, 201, "{net}");
    let net_id = net["Id"].as_str().unwrap();
    let id = service(
        &engine,
        json!({"Name": "web", "TaskTemplate": {"ContainerSpec": {"Image": "busybox", "Command": ["sleep", "600"]}},
               "Mode": {"replicated": {"Replicas": 2}}, "Labels": {"mode": "kept"}, "Networks": [{"Target": "ov"}]}),
    );
    let (_, s) = call(&engine, "GET", &format!("/v1.41/services/{id}"), Value::Null);
    assert_eq!(s["Spec"]["Mode"], json!({"Replicated": {"Replicas": 2}}));
    assert_eq!(s["Spec"]["Labels"], json!({"mode": "kept"}), "label keys are the user's");
    assert_eq!(s["Spec"]["Networks"], json!([{"Target": net_id}]), "the name became the id");
    assert!(s["Spec"].get("RollbackConfig").is_none());
    engine.advance(200);
    let tasks = tasks_of(&engine, &id);
    assert_eq!(states(&tasks), ["running", "running"]);
    assert_eq!(s["Endpoint"]["VirtualIPs"][0]["NetworkID"], net_id, "the top-level networks are joined");

    let (_, d) = call(&engine, "GET", &format!("/v1.41/services/{id}?insertDefaults=true"), Value::Null);
    assert_eq!(d["Spec"]["RollbackConfig"]["Order"], "stop-first");
    assert_eq!(d["Spec"]["UpdateConfig"]["Parallelism"], 1);
    assert_eq!(d["Spec"]["TaskTemplate"]["RestartPolicy"]["Condition"], "any");
    assert_eq!(d["Spec"]["TaskTemplate"]["ContainerSpec"]["StopGracePeriod"], 10_000_000_000u64);
    assert_eq!(d["Spec"]["Mode"], s["Spec"]["Mode"], "what was given stays");

    let version = s["Version"]["Index"].as_u64().unwrap();
    let mut spec = s["Spec"].clone();
    spec["Mode"] = json!({"global": {}});
    let (status, v) = call(&engine, "POST", &format!("/v1.41/services/{id}/update?version={version}"), spec);
    assert_eq!((status, v), (200, json!({"Warnings": null})));
    let (_, s) = call(&engine, "GET", &format!("/v1.41/services/{id}"), Value::Null);
    assert_eq!(s["Spec"]["Mode"], json!({"Global": {}}));

    let (status, v) = call(
        &engine,
        "POST",
        "/v1.41/services/create",
        json!({"Name": "lost", "TaskTemplate": {"ContainerSpec": {"Image": "busybox"}, "Networks": [{"Target": "nosuch"}]}}),
    );
    assert_eq!((status, v["message"].as_str()), (404, Some("network nosuch not found")));
}
