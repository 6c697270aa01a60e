//! The untyped inspects (`inspect_raw`, `info_raw`): the daemon's JSON
//! whole, fields the models do not know included, and the same errors as
//! the typed ones.

mod common;

use common::{client, server};
use serde_json::json;

#[tokio::test]
async fn raw_inspects_keep_every_field() {
    let mut server = server().await;
    let container = server
        .mock("GET", "/v1.41/containers/web/json")
        .with_body(r#"{"Id":"abc","State":{"Status":"running"},"FutureField":{"x":[1,2]}}"#)
        .create_async()
        .await;
    let image = server
        .mock("GET", "/v1.41/images/busybox:latest/json")
        .with_body(r#"{"Id":"sha256:1","NotModelled":true}"#)
        .create_async()
        .await;
    let network = server
        .mock("GET", "/v1.41/networks/app")
        .with_body(r#"{"Name":"app","IPAM":{"Config":[{"Subnet":"172.18.0.0/16"}]},"Odd":null}"#)
        .create_async()
        .await;
    let volume = server
        .mock("GET", "/v1.41/volumes/data")
        .with_body(r#"{"Name":"data","Mountpoint":"/var/lib/docker/volumes/data/_data","Extra":7}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let c = docker.containers().get("web").inspect_raw().await.unwrap();
    assert_eq!(c["FutureField"], json!({"x": [1, 2]}));
    assert_eq!(c["State"]["Status"], "running");
    let i = docker.images().get("busybox:latest").inspect_raw().await.unwrap();
    assert_eq!(i["NotModelled"], true);
    let n = docker.networks().get("app").inspect_raw().await.unwrap();
    assert_eq!(n["IPAM"]["Config"][0]["Subnet"], "172.18.0.0/16");
    assert!(n.get("Odd").is_some_and(|v| v.is_null()));
    let v = docker.volumes().get("data").inspect_raw().await.unwrap();
    assert_eq!(v["Extra"], 7);
    for m in [container, image, network, volume] {
        m.assert_async().await;
    }
}

#[tokio::test]
async fn raw_inspect_errors_are_typed() {
    let mut server = server().await;
    server
        .mock("GET", "/v1.41/containers/gone/json")
        .with_status(404)
        .with_body(r#"{"message":"No such container: gone"}"#)
        .create_async()
        .await;
    server.mock("GET", "/v1.41/volumes/bad").with_body("{not json").create_async().await;
    let docker = client(&server, "1.41");
    let err = docker.containers().get("gone").inspect_raw().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(err.to_string().contains("No such container: gone"), "{err}");
    let err = docker.volumes().get("bad").inspect_raw().await.unwrap_err();
    assert!(!err.is_not_found(), "a broken body is not a 404: {err}");
    // A path component that would reach another endpoint is refused before
    // anything is sent.
    let err = docker.containers().get("..").inspect_raw().await.unwrap_err();
    assert!(err.to_string().contains("..") || err.to_string().contains("invalid"), "{err}");
}

#[tokio::test]
async fn raw_info_and_version_keep_every_field_and_type_their_errors() {
    let mut server = server().await;
    let info = server
        .mock("GET", "/v1.41/info")
        .with_body(r#"{"Containers":3,"ServerVersion":"20.10.24","NotModelled":{"a":1}}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let raw = docker.info_raw().await.unwrap();
    assert_eq!((raw["Containers"].as_u64(), raw["NotModelled"]["a"].as_u64()), (Some(3), Some(1)));
    info.assert_async().await;
    let version = server
        .mock("GET", "/v1.41/version")
        .with_body(r#"{"Version":"20.10.24","ApiVersion":"1.41","Odd":[1]}"#)
        .create_async()
        .await;
    let raw = docker.version_raw().await.unwrap();
    assert_eq!((raw["Version"].as_str(), raw["Odd"][0].as_u64()), (Some("20.10.24"), Some(1)));
    version.assert_async().await;
    server.reset();
    server.mock("GET", "/v1.41/info").with_status(500).with_body(r#"{"message":"boom"}"#).create_async().await;
    let err = docker.info_raw().await.unwrap_err();
    assert_eq!(err.api().map(|a| (a.status, a.message.as_str())), Some((500, "boom")), "{err}");
}
