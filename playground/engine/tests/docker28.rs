//! The engine answers as Docker 28.5.2 (API 1.51 at most, 1.24 at least):
//! its `/version`, `/info` and `/_ping`, its headers, its refusal of API
//! versions it does not serve, and the older shapes it still gives a client
//! pinned to an older version. The expected values are dockerd 28.5.2's
//! (`curl --unix-socket /var/run/docker28.sock`), the engine's own names
//! (`28.5.2+dockhand-sim`, its kernel) aside.

mod common;

use bytes::Bytes;
use common::call;
use dockhand_engine::Engine;
use futures::executor::block_on;
use serde_json::Value;

/// One request's status, headers and body as text.
fn raw(engine: &Engine, method: &str, path: &str) -> (u16, http::HeaderMap, String) {
    let req = http::Request::builder().method(method).uri(path).body(Bytes::new()).unwrap();
    let resp = engine.handle(req);
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    let data = block_on(resp.into_body().collect(1 << 20)).unwrap();
    (status, headers, String::from_utf8_lossy(&data).into_owned())
}

fn header<'a>(h: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default()
}

/// The keys of a container's `Config` as dockerd 28.5 writes it (also an
/// image's `Config` before API 1.50, and its `ContainerConfig`), sorted.
const CONTAINER_CONFIG_KEYS: [&str; 17] = [
    "AttachStderr",
    "AttachStdin",
    "AttachStdout",
    "Cmd",
    "Domainname",
    "Entrypoint",
    "Env",
    "Hostname",
    "Image",
    "Labels",
    "OnBuild",
    "OpenStdin",
    "StdinOnce",
    "Tty",
    "User",
    "Volumes",
    "WorkingDir",
];
#[test]
fn version_and_headers_are_docker_28_5s() {
    let engine = Engine::new();
    let (status, h, body) = raw(&engine, "GET", "/version");
    assert_eq!(status, 200);
    assert_eq!(header(&h, "api-version"), Some("1.51"));
    assert_eq!(header(&h, "server"), Some("Docker/28.5.2+dockhand-sim (linux)"));
    assert_eq!(header(&h, "ostype"), Some("linux"));
    assert_eq!(header(&h, "docker-experimental"), Some("false"));
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["Version"], "28.5.2+dockhand-sim");
    assert_eq!((v["ApiVersion"].as_str(), v["MinAPIVersion"].as_str()), (Some("1.51"), Some("1.24")));
    assert!(v["GoVersion"].as_str().unwrap().starts_with("go1.24"), "{v}");
    // Go's RFC 3339 with nanoseconds and a numeric zone, as 28.5 writes it.
    assert_eq!(v["BuildTime"], "2026-01-01T00:00:00.000000000+00:00");
    let names: Vec<&str> = v["Components"].as_array().unwrap().iter().map(|c| c["Name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Engine", "containerd", "runc", "docker-init"]);
    let engine_details = &v["Components"][0]["Details"];
    assert_eq!(
        (engine_details["ApiVersion"].as_str(), engine_details["MinAPIVersion"].as_str()),
        (Some("1.51"), Some("1.24"))
    );

    // `_ping`: no Docker-Experimental-less surprises, and the swarm state.
    let (status, h, body) = raw(&engine, "GET", "/_ping");
    assert_eq!((status, body.as_str()), (200, "OK"));
    assert_eq!(header(&h, "api-version"), Some("1.51"));
    assert_eq!(header(&h, "swarm"), Some("inactive"));
    assert_eq!(header(&h, "cache-control"), Some("no-cache, no-store, must-revalidate"));
    assert_eq!(header(&h, "pragma"), Some("no-cache"));
    assert_eq!(call(&engine, "POST", "/v1.51/swarm/init", serde_json::json!({})).0, 200);
    let (_, h, _) = raw(&engine, "HEAD", "/v1.51/_ping");
    assert_eq!(header(&h, "swarm"), Some("active/manager"));
}

#[test]
fn api_versions_outside_1_24_to_1_51_get_28_5s_400s() {
    let engine = Engine::new();
    // Too new: JSON, before the Docker-Experimental header is set.
    for v in ["1.52", "1.51.1", "2.0", "1.99999999999999999999"] {
        let (status, h, body) = raw(&engine, "GET", &format!("/v{v}/version"));
        assert_eq!(status, 400, "{v}");
        assert_eq!(header(&h, "content-type"), Some("application/json"));
        assert_eq!(header(&h, "docker-experimental"), None);
        assert_eq!(header(&h, "api-version"), Some("1.51"));
        let message = format!("client version {v} is too new. Maximum supported API version is 1.51");
        assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), serde_json::json!({ "message": message }));
    }
    // Too old: plain text, as Go's http.Error writes it.
    for v in ["1.23", "1.12", "1", "0.9", "1..51"] {
        let (status, h, body) = raw(&engine, "GET", &format!("/v{v}/_ping"));
        assert_eq!(status, 400, "{v}");
        assert_eq!(header(&h, "content-type"), Some("text/plain; charset=utf-8"));
        assert_eq!(header(&h, "x-content-type-options"), Some("nosniff"));
        assert_eq!(
            body,
            format!(
                "client version {v} is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version\n"
            )
        );
    }
    // Versions in range, however written, are served.
    for v in ["1.24", "1.41", "1.041", "1.51", "1.51.0"] {
        assert_eq!(raw(&engine, "GET", &format!("/v{v}/_ping")).0, 200, "{v}");
    }
    // An unknown path is the router's 404 whatever the version, without the
    // daemon's headers; `v1.x` is no version but a path.
    for path in ["/v1.52/nope", "/v1.23/nope", "/v1.x/version", "/nope"] {
        let (status, h, body) = raw(&engine, "GET", path);
        assert_eq!((status, body.as_str()), (404, "{\"message\":\"page not found\"}\n"), "{path}");
        assert_eq!(header(&h, "api-version"), None, "{path}");
    }
}

#[test]
fn info_has_28_5s_fields_and_older_clients_their_own() {
    let engine = Engine::new();
    let (_, new) = call(&engine, "GET", "/v1.51/info", Value::Null);
    assert_eq!(new["ServerVersion"], "28.5.2+dockhand-sim");
    for k in ["FirewallBackend", "CDISpecDirs", "Containerd"] {
        assert!(new.get(k).is_some(), "{k} missing: {:?}", keys(&new));
    }
    for k in ["BridgeNfIptables", "BridgeNfIp6tables", "KernelMemory"] {
        assert!(new.get(k).is_none(), "{k} sent to 1.51");
    }
    assert_eq!(keys(&new["RegistryConfig"]), ["IndexConfigs", "InsecureRegistryCIDRs", "Mirrors"]);
    assert_eq!(keys(&new["ContainerdCommit"]), ["ID"]);
    // A UUID, as 28.5's daemon id.
    let id = new["ID"].as_str().unwrap();
    assert_eq!(id.split('-').map(str::len).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{id}");

    let (_, old) = call(&engine, "GET", "/v1.41/info", Value::Null);
    for k in ["BridgeNfIptables", "BridgeNfIp6tables", "KernelMemory", "CDISpecDirs"] {
        assert!(old.get(k).is_some(), "{k} missing for 1.41");
    }
    for k in ["FirewallBackend", "Containerd"] {
        assert!(old.get(k).is_none(), "{k} sent to 1.41");
    }
    assert!(old["RegistryConfig"].get("AllowNondistributableArtifactsCIDRs").is_some());
    assert_eq!(old["ContainerdCommit"]["Expected"], old["ContainerdCommit"]["ID"]);
    // Where 28.5 draws the lines.
    let has = |v: &str, k: &str| call(&engine, "GET", &format!("/v{v}/info"), Value::Null).1.get(k).is_some();
    assert!(!has("1.45", "Containerd") && has("1.46", "Containerd"));
    assert!(!has("1.48", "FirewallBackend") && has("1.49", "FirewallBackend"));
    assert!(has("1.49", "BridgeNfIptables") && !has("1.50", "BridgeNfIptables"));
    assert!(has("1.41", "KernelMemory") && !has("1.42", "KernelMemory"));
}

#[test]
fn images_keep_their_old_fields_for_old_clients_only() {
    let engine = Engine::new();
    assert_eq!(call(&engine, "POST", "/images/create?fromImage=busybox&tag=latest", Value::Null).0, 200);
    let inspect = |v: &str| call(&engine, "GET", &format!("/v{v}/images/busybox/json"), Value::Null).1;
    let list = |v: &str| call(&engine, "GET", &format!("/v{v}/images/json"), Value::Null).1[0].clone();

    let new = inspect("1.51");
    for k in ["Container", "ContainerConfig", "VirtualSize"] {
        assert!(new.get(k).is_none(), "{k} sent to 1.51: {:?}", keys(&new));
    }
    assert_eq!(new["DockerVersion"], "28.5.2+dockhand-sim");
    let old = inspect("1.41");
    // A pulled image: 28.5 leaves `Container` out and sends an empty config.
    assert!(old.get("Container").is_none(), "{old}");
    assert_eq!((&old["ContainerConfig"]["Cmd"], &old["ContainerConfig"]["Env"]), (&Value::Null, &Value::Null));
    assert_eq!(old["ContainerConfig"]["Image"], "");
    assert_eq!(old["VirtualSize"], old["Size"]);
    // 1.44 dropped VirtualSize, 1.45 Container and ContainerConfig.
    let v44 = inspect("1.44");
    assert!(v44.get("VirtualSize").is_none() && v44.get("ContainerConfig").is_some());
    assert!(inspect("1.45").get("ContainerConfig").is_none());
    // An unversioned path speaks the newest version.
    assert!(call(&engine, "GET", "/images/busybox/json", Value::Null).1.get("ContainerConfig").is_none());

    assert!(list("1.51").get("VirtualSize").is_none());
    assert!(list("1.44").get("VirtualSize").is_none());
    assert_eq!(list("1.43")["VirtualSize"], list("1.43")["Size"]);
    let df = |v: &str| call(&engine, "GET", &format!("/v{v}/system/df"), Value::Null).1["Images"][0].clone();
    assert!(df("1.51").get("VirtualSize").is_none() && df("1.41").get("VirtualSize").is_some());
}

#[test]
fn logs_are_labelled_multiplexed_from_api_1_42_on() {
    let engine = Engine::new();
    assert_eq!(call(&engine, "POST", "/images/create?fromImage=busybox&tag=latest", Value::Null).0, 200);
    let create = serde_json::json!({"Image": "busybox", "Cmd": ["echo", "hi"]});
    assert_eq!(call(&engine, "POST", "/containers/create?name=plain", create).0, 201);
    let tty = serde_json::json!({"Image": "busybox", "Cmd": ["echo", "hi"], "Tty": true});
    assert_eq!(call(&engine, "POST", "/containers/create?name=tty", tty).0, 201);
    let label = |v: &str, name: &str| {
        let (status, h, _) = raw(&engine, "GET", &format!("/v{v}/containers/{name}/logs?stdout=1"));
        assert_eq!(status, 200);
        header(&h, "content-type").unwrap().to_string()
    };
    assert_eq!(label("1.51", "plain"), "application/vnd.docker.multiplexed-stream");
    assert_eq!(label("1.42", "plain"), "application/vnd.docker.multiplexed-stream");
    assert_eq!(label("1.41", "plain"), "application/vnd.docker.raw-stream");
    assert_eq!(label("1.51", "tty"), "application/vnd.docker.raw-stream");
}

/// The paths 28.5 masks and makes read-only in a container that is not
/// privileged (`oci.DefaultSpec()`'s), in its order.
const MASKED: [&str; 12] = [
    "/proc/asound",
    "/proc/acpi",
    "/proc/interrupts",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];
const READONLY: [&str; 5] = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

/// Creates a container from `body` on an engine with busybox and answers
/// its inspect document (at API `v`).
fn created(engine: &Engine, v: &str, body: Value) -> Value {
    if call(engine, "GET", "/images/busybox/json", Value::Null).0 != 200 {
        assert_eq!(call(engine, "POST", "/images/create?fromImage=busybox&tag=latest", Value::Null).0, 200);
    }
    let (status, made) = call(engine, "POST", &format!("/v{v}/containers/create"), body);
    assert_eq!(status, 201, "{made}");
    let id = made["Id"].as_str().unwrap();
    call(engine, "GET", &format!("/v{v}/containers/{id}/json"), Value::Null).1
}

#[test]
fn inspect_has_28_5s_masked_and_read_only_paths() {
    let engine = Engine::new();
    for v in ["1.51", "1.43"] {
        let plain = created(&engine, v, serde_json::json!({"Image": "busybox", "Cmd": ["true"]}));
        assert_eq!(plain["HostConfig"]["MaskedPaths"], serde_json::json!(MASKED), "{v}");
        assert_eq!(plain["HostConfig"]["ReadonlyPaths"], serde_json::json!(READONLY), "{v}");
    }
    // Privileged: nothing masked, both null.
    let privileged =
        created(&engine, "1.51", serde_json::json!({"Image": "busybox", "HostConfig": {"Privileged": true}}));
    let host = privileged["HostConfig"].as_object().unwrap();
    assert_eq!((host.get("MaskedPaths"), host.get("ReadonlyPaths")), (Some(&Value::Null), Some(&Value::Null)));
    // Given ones are kept as given, an empty list included; a null one is the default.
    let given = created(
        &engine,
        "1.51",
        serde_json::json!({"Image": "busybox", "HostConfig": {"MaskedPaths": ["/proc/x"], "ReadonlyPaths": []}}),
    );
    assert_eq!(given["HostConfig"]["MaskedPaths"], serde_json::json!(["/proc/x"]));
    assert_eq!(given["HostConfig"]["ReadonlyPaths"], serde_json::json!([]));
    let null = created(&engine, "1.51", serde_json::json!({"Image": "busybox", "HostConfig": {"MaskedPaths": null}}));
    assert_eq!(null["HostConfig"]["MaskedPaths"], serde_json::json!(MASKED));
    let privileged_given = created(
        &engine,
        "1.51",
        serde_json::json!({"Image": "busybox", "HostConfig": {"Privileged": true, "MaskedPaths": ["/a"]}}),
    );
    assert_eq!(privileged_given["HostConfig"]["MaskedPaths"], serde_json::json!(["/a"]));
    assert_eq!(privileged_given["HostConfig"]["ReadonlyPaths"], Value::Null);
}

#[test]
fn inspect_leaves_out_exposed_ports_when_there_are_none() {
    let engine = Engine::new();
    let none = created(&engine, "1.51", serde_json::json!({"Image": "busybox", "Cmd": ["true"]}));
    assert!(!keys(&none["Config"]).contains(&"ExposedPorts"), "{}", none["Config"]);
    let empty = created(&engine, "1.51", serde_json::json!({"Image": "busybox", "ExposedPorts": {}}));
    assert!(!keys(&empty["Config"]).contains(&"ExposedPorts"), "{}", empty["Config"]);
    let some = created(
        &engine,
        "1.51",
        serde_json::json!({"Image": "busybox", "ExposedPorts": {"80/tcp": {}},
            "HostConfig": {"PortBindings": {"80/tcp": [{"HostPort": "8080"}]}}}),
    );
    assert_eq!(some["Config"]["ExposedPorts"], serde_json::json!({"80/tcp": {}}));
    assert_eq!(some["HostConfig"]["PortBindings"], serde_json::json!({"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}));
    // No bindings: 28.5's PortBindings is null, not an empty object.
    assert_eq!(none["HostConfig"]["PortBindings"], Value::Null);
}

#[test]
fn image_list_has_no_manifests_with_the_graph_driver_store() {
    // 28.5 on overlay2 (not the containerd image store) leaves `Manifests`
    // out of every summary, `?manifests=1` at 1.47+ or not.
    let engine = Engine::new();
    assert_eq!(call(&engine, "POST", "/images/create?fromImage=busybox&tag=latest", Value::Null).0, 200);
    for path in
        ["/v1.51/images/json?manifests=1", "/v1.47/images/json?manifests=true", "/v1.46/images/json?manifests=1"]
    {
        let (status, list) = call(&engine, "GET", path, Value::Null);
        assert_eq!(status, 200, "{path}");
        let list = list.as_array().unwrap();
        assert!(!list.is_empty());
        for summary in list {
            let mut got = keys(summary);
            got.sort_unstable();
            assert_eq!(
                got,
                ["Containers", "Created", "Id", "Labels", "ParentId", "RepoDigests", "RepoTags", "SharedSize", "Size"],
                "{path}"
            );
        }
    }
}

/// Sorted keys of an object.
fn sorted_keys(v: &Value) -> Vec<&str> {
    let mut k = keys(v);
    k.sort_unstable();
    k
}

#[test]
fn inspect_has_28_5s_keys_and_nulls_for_a_plain_create() {
    // The keys dockerd 28.5.2 writes for `{"Image": "busybox", "Cmd": ["true"]}`
    // (any API version from 1.24 on).
    let engine = Engine::new();
    let v = created(&engine, "1.51", serde_json::json!({"Image": "busybox", "Cmd": ["true"]}));
    let host = [
        "AutoRemove",
        "Binds",
        "BlkioDeviceReadBps",
        "BlkioDeviceReadIOps",
        "BlkioDeviceWriteBps",
        "BlkioDeviceWriteIOps",
        "BlkioWeight",
        "BlkioWeightDevice",
        "CapAdd",
        "CapDrop",
        "Cgroup",
        "CgroupParent",
        "CgroupnsMode",
        "ConsoleSize",
        "ContainerIDFile",
        "CpuCount",
        "CpuPercent",
        "CpuPeriod",
        "CpuQuota",
        "CpuRealtimePeriod",
        "CpuRealtimeRuntime",
        "CpuShares",
        "CpusetCpus",
        "CpusetMems",
        "DeviceCgroupRules",
        "DeviceRequests",
        "Devices",
        "Dns",
        "DnsOptions",
        "DnsSearch",
        "ExtraHosts",
        "GroupAdd",
        "IOMaximumBandwidth",
        "IOMaximumIOps",
        "IpcMode",
        "Isolation",
        "Links",
        "LogConfig",
        "MaskedPaths",
        "Memory",
        "MemoryReservation",
        "MemorySwap",
        "MemorySwappiness",
        "NanoCpus",
        "NetworkMode",
        "OomKillDisable",
        "OomScoreAdj",
        "PidMode",
        "PidsLimit",
        "PortBindings",
        "Privileged",
        "PublishAllPorts",
        "ReadonlyPaths",
        "ReadonlyRootfs",
        "RestartPolicy",
        "Runtime",
        "SecurityOpt",
        "ShmSize",
        "UTSMode",
        "Ulimits",
        "UsernsMode",
        "VolumeDriver",
        "VolumesFrom",
    ];
    assert_eq!(sorted_keys(&v["HostConfig"]), host);
    for null in
        ["Dns", "DnsOptions", "DnsSearch", "Devices", "DeviceRequests", "BlkioWeightDevice", "BlkioDeviceReadBps"]
    {
        assert_eq!(v["HostConfig"][null], Value::Null, "{null}");
    }
    for zero in
        ["CpuCount", "CpuPercent", "CpuRealtimePeriod", "CpuRealtimeRuntime", "IOMaximumBandwidth", "IOMaximumIOps"]
    {
        assert_eq!(v["HostConfig"][zero], 0, "{zero}");
    }
    let config = CONTAINER_CONFIG_KEYS;
    assert_eq!(sorted_keys(&v["Config"]), config);
    // Not asked to attach: 28.5 says so.
    assert_eq!(
        (&v["Config"]["AttachStdout"], &v["Config"]["AttachStderr"]),
        (&Value::Bool(false), &Value::Bool(false))
    );
    assert_eq!(sorted_keys(&v["GraphDriver"]["Data"]), ["ID", "LowerDir", "MergedDir", "UpperDir", "WorkDir"]);
    assert_eq!(v["GraphDriver"]["Data"]["ID"], v["Id"]);
    let bridge = &v["NetworkSettings"]["Networks"]["bridge"];
    assert_eq!((&bridge["GwPriority"], &bridge["DNSNames"]), (&serde_json::json!(0), &Value::Null), "{bridge}");
    // Never started: 28.5 has not made its resolv.conf, hostname, hosts or log yet.
    for path in ["ResolvConfPath", "HostnamePath", "HostsPath", "LogPath"] {
        assert_eq!(v[path], "", "{path}");
    }
    let id = v["Id"].as_str().unwrap();
    assert_eq!(call(&engine, "POST", &format!("/containers/{id}/start"), Value::Null).0, 204);
    let started = call(&engine, "GET", &format!("/containers/{id}/json"), Value::Null).1;
    assert_eq!(started["HostsPath"], format!("/var/lib/docker/containers/{id}/hosts"));
    assert_eq!(started["LogPath"], format!("/var/lib/docker/containers/{id}/{id}-json.log"));
}

#[test]
fn inspect_mounts_binds_and_memory_swap_are_28_5s() {
    let engine = Engine::new();
    let binds = ["v1:/v1", "v2:/v2:ro", "/tmp:/b1:rw", "/tmp:/b2:ro,z", "/tmp:/b3"];
    let v = created(
        &engine,
        "1.51",
        serde_json::json!({"Image": "busybox", "Volumes": {"/anon": {}},
            "HostConfig": {"Binds": binds, "Memory": 67108864}}),
    );
    // Binds as given; each mount's Mode the one given, "z" for a named
    // volume given none, "" for an anonymous one.
    assert_eq!(v["HostConfig"]["Binds"], serde_json::json!(binds));
    let modes: std::collections::BTreeMap<&str, (&str, bool)> = v["Mounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["Destination"].as_str().unwrap(), (m["Mode"].as_str().unwrap(), m["RW"].as_bool().unwrap())))
        .collect();
    let want = [
        ("/anon", ("", true)),
        ("/b1", ("rw", true)),
        ("/b2", ("ro,z", false)),
        ("/b3", ("", true)),
        ("/v1", ("z", true)),
        ("/v2", ("ro", false)),
    ];
    assert_eq!(modes, want.into_iter().collect());
    // A memory limit without a swap one: 28.5 gives twice the memory.
    assert_eq!(v["HostConfig"]["MemorySwap"], 134217728);
    let unlimited = created(
        &engine,
        "1.51",
        serde_json::json!({"Image": "busybox", "HostConfig": {"Memory": 67108864, "MemorySwap": -1}}),
    );
    assert_eq!(unlimited["HostConfig"]["MemorySwap"], -1);
    // `HostConfig.Mounts` stay as given, and not in `Binds`.
    let mounts = serde_json::json!([{"Type": "volume", "Source": "v3", "Target": "/y"}]);
    let m = created(&engine, "1.51", serde_json::json!({"Image": "busybox", "HostConfig": {"Mounts": mounts}}));
    assert_eq!((&m["HostConfig"]["Binds"], &m["HostConfig"]["Mounts"]), (&Value::Null, &mounts));
    assert_eq!(m["Mounts"][0]["Mode"], "z");
}

#[test]
fn image_inspect_config_is_28_5s_per_version() {
    let engine = Engine::new();
    assert_eq!(call(&engine, "POST", "/images/create?fromImage=busybox&tag=latest", Value::Null).0, 200);
    let inspect = |v: &str| call(&engine, "GET", &format!("/v{v}/images/busybox/json"), Value::Null).1;
    // 1.50 dropped the container-only fields from an image's Config; no
    // version gets an `ExposedPorts` the image does not have.
    let image_only = ["Cmd", "Entrypoint", "Env", "Labels", "OnBuild", "User", "Volumes", "WorkingDir"];
    assert_eq!(sorted_keys(&inspect("1.51")["Config"]), image_only);
    assert_eq!(sorted_keys(&inspect("1.50")["Config"]), image_only);
    let old = CONTAINER_CONFIG_KEYS;
    assert_eq!(sorted_keys(&inspect("1.49")["Config"]), old);
    assert_eq!(sorted_keys(&inspect("1.43")["ContainerConfig"]), old);
    // A committed image keeps its container and that container's config.
    let c = created(&engine, "1.51", serde_json::json!({"Image": "busybox", "Cmd": ["true"], "Env": ["X=1"]}));
    let cid = c["Id"].as_str().unwrap();
    let (status, made) = call(&engine, "POST", &format!("/commit?container={cid}&repo=kept&tag=t"), Value::Null);
    assert_eq!(status, 201, "{made}");
    let committed = call(&engine, "GET", "/v1.43/images/kept:t/json", Value::Null).1;
    assert_eq!(committed["Container"], cid);
    assert_eq!(committed["ContainerConfig"]["Cmd"], serde_json::json!(["true"]));
    assert_eq!(committed["ContainerConfig"]["Image"], "busybox");
    // overlay2's three directories of the image's top layer.
    assert_eq!(sorted_keys(&inspect("1.51")["GraphDriver"]["Data"]), ["MergedDir", "UpperDir", "WorkDir"]);
}

#[test]
fn image_list_counts_each_images_containers() {
    let engine = Engine::new();
    let busybox = |engine: &Engine| {
        let list = call(engine, "GET", "/v1.51/images/json", Value::Null).1;
        list.as_array().unwrap().iter().find(|i| i["RepoTags"] == serde_json::json!(["busybox:latest"])).cloned()
    };
    created(&engine, "1.51", serde_json::json!({"Image": "busybox"}));
    assert_eq!(busybox(&engine).unwrap()["Containers"], 1);
    created(&engine, "1.51", serde_json::json!({"Image": "busybox"}));
    assert_eq!(busybox(&engine).unwrap()["Containers"], 2);
    assert_eq!(busybox(&engine).unwrap()["SharedSize"], -1);
    // Older clients still get -1 (28.5 counts for 1.51 only).
    for v in ["1.50", "1.43"] {
        let list = call(&engine, "GET", &format!("/v{v}/images/json"), Value::Null).1;
        assert!(list.as_array().unwrap().iter().all(|i| i["Containers"] == -1), "{v}: {list}");
    }
}
