//! Networks as docker-py's integration tests see them on dockerd 20.10.

mod common;

use common::call;
use dockhand_engine::Engine;
use serde_json::json;

#[test]
fn names_with_spaces_and_check_duplicate_are_dockerds() {
    let engine = Engine::new();
    let (status, _) = call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "test 01"}));
    assert_eq!(status, 201);
    assert_eq!(call(&engine, "GET", "/v1.41/networks/test%2001", json!(null)).0, 200);
    assert_eq!(call(&engine, "DELETE", "/v1.41/networks/test%2001", json!(null)).0, 204);
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "d"})).0, 201);
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "d", "CheckDuplicate": true})).0, 409);
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "d", "CheckDuplicate": false})).0, 201);
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "a\u{7}b"})).0, 400);
    assert_eq!(
        call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "bridge", "CheckDuplicate": false})).0,
        403
    );
}

#[test]
fn endpoint_ipam_config_links_and_driver_opts_are_kept() {
    let engine = Engine::new();
    let (status, _) = call(&engine, "POST", "/v1.41/images/create?fromImage=busybox&tag=latest", json!(null));
    assert_eq!(status, 200);
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "n"})).0, 201);
    let ep = json!({"IPAMConfig": {"IPv4Address": "172.18.0.23", "LinkLocalIPs": ["169.254.8.8"]},
        "Links": ["up:bar"], "DriverOpts": {"k": "on"}});
    let (status, created) = call(
        &engine,
        "POST",
        "/v1.41/containers/create?name=cc",
        json!({"Image": "busybox", "Cmd": ["top"], "HostConfig": {"NetworkMode": "n"},
            "NetworkingConfig": {"EndpointsConfig": {"n": ep}}}),
    );
    assert_eq!(status, 201, "{created}");
    let (_, c) = call(&engine, "GET", "/v1.41/containers/cc/json", json!(null));
    let net = &c["NetworkSettings"]["Networks"]["n"];
    assert_eq!(net["IPAMConfig"], ep["IPAMConfig"]);
    assert_eq!(net["Links"], json!(["up:bar"]));
    assert_eq!(net["DriverOpts"], json!({"k": "on"}));
    assert_eq!(call(&engine, "POST", "/v1.41/networks/n/disconnect", json!({"Container": "cc"})).0, 200);
    let body = json!({"Container": "cc", "EndpointConfig": {"Links": ["x:y"], "IPAMConfig": "hostile"}});
    assert_eq!(call(&engine, "POST", "/v1.41/networks/n/connect", body).0, 200);
    let (_, c) = call(&engine, "GET", "/v1.41/containers/cc/json", json!(null));
    assert_eq!(c["NetworkSettings"]["Networks"]["n"]["Links"], json!(["x:y"]));
    assert_eq!(c["NetworkSettings"]["Networks"]["n"]["IPAMConfig"], json!(null));
}

#[test]
fn ipam_pools_and_enable_ipv6_are_kept() {
    let engine = Engine::new();
    let pool = json!({"Subnet": "172.28.0.0/16", "IPRange": "172.28.5.0/24", "Gateway": "172.28.5.254",
        "AuxiliaryAddresses": {"a": "172.28.1.5"}});
    let mut given = pool.clone();
    given["Extra"] = json!(null);
    let body = json!({"Name": "p", "EnableIPv6": true,
        "IPAM": {"Driver": "default", "Config": [given, {"Subnet": "2001:389::1/64", "IPRange": null}, 7]}});
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", body).0, 201);
    let (_, n) = call(&engine, "GET", "/v1.41/networks/p", json!(null));
    assert_eq!(n["IPAM"]["Config"], json!([pool, {"Subnet": "2001:389::1/64"}]));
    assert_eq!(n["EnableIPv6"], json!(true));
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "q", "IPAM": {"Config": "x"}})).0, 201);
    let (_, n) = call(&engine, "GET", "/v1.41/networks/q", json!(null));
    assert_eq!(n["IPAM"]["Config"][0]["Gateway"], json!("172.19.0.1"));
    assert_eq!(n["EnableIPv6"], json!(false));
}
