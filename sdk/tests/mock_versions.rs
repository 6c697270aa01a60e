//! Request bodies on the wire, by negotiated API version, against a mock
//! daemon (mockito, for shapes only): a body field that a later API version
//! introduced reaches only daemons that speak that version (see
//! `dockhand::request::BodyField`). What real daemons do with them is tested
//! in the repository's `tests/api_versions.rs`.

mod common;

use std::time::Duration;

use common::{negotiating, ping_mock, server};
use dockhand::api::{ContainerCreate, NetworkCreateOptions};
use dockhand::models::{EndpointSettings, HealthConfig};
use mockito::Matcher;
use serde_json::json;

fn spec() -> ContainerCreate {
    ContainerCreate::new("busybox")
        .annotation("team", "api")
        .healthcheck(
            HealthConfig::cmd(["true"]).interval(Duration::from_secs(5)).start_interval(Duration::from_secs(1)),
        )
        .network_mode("net")
        .endpoint("net", EndpointSettings::new().mac_address("02:42:ac:11:00:09").gw_priority(3))
}

/// What a daemon announcing `announced` receives for [`spec`].
async fn create_body_sent_to(announced: &str, expected: serde_json::Value) {
    let mut server = server().await;
    let ping = ping_mock(&mut server, Some(announced), 1).await;
    let create = server
        .mock("POST", format!("/v{announced}/containers/create").as_str())
        .match_body(Matcher::Json(expected))
        .with_status(201)
        .with_body(r#"{"Id":"abc","Warnings":[]}"#)
        .create_async()
        .await;
    let created = negotiating(&server).containers().create(spec()).await.unwrap();
    assert_eq!(created.id, "abc");
    ping.assert_async().await;
    create.assert_async().await;
}

#[tokio::test]
async fn a_1_41_daemon_gets_no_newer_create_field_and_the_mac_address_container_wide() {
    create_body_sent_to(
        "1.41",
        json!({
            "Image": "busybox",
            "MacAddress": "02:42:ac:11:00:09",
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 5_000_000_000_i64},
            "HostConfig": {"NetworkMode": "net"},
            "NetworkingConfig": {"EndpointsConfig": {"net": {}}},
        }),
    )
    .await;
}

#[tokio::test]
async fn a_1_45_daemon_gets_annotations_start_interval_and_the_endpoint_mac_address() {
    create_body_sent_to(
        "1.45",
        json!({
            "Image": "busybox",
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 5_000_000_000_i64, "StartInterval": 1_000_000_000},
            "HostConfig": {"NetworkMode": "net", "Annotations": {"team": "api"}},
            "NetworkingConfig": {"EndpointsConfig": {"net": {"MacAddress": "02:42:ac:11:00:09"}}},
        }),
    )
    .await;
}

#[tokio::test]
async fn a_1_51_daemon_gets_the_gateway_priority_too() {
    create_body_sent_to(
        "1.51",
        json!({
            "Image": "busybox",
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 5_000_000_000_i64, "StartInterval": 1_000_000_000},
            "HostConfig": {"NetworkMode": "net", "Annotations": {"team": "api"}},
            "NetworkingConfig": {"EndpointsConfig": {"net": {"MacAddress": "02:42:ac:11:00:09", "GwPriority": 3}}},
        }),
    )
    .await;
}

#[tokio::test]
async fn network_create_sends_enable_ipv4_from_1_48_only() {
    for (announced, expected) in [
        ("1.47", json!({"Name": "n", "EnableIPv6": true})),
        ("1.48", json!({"Name": "n", "EnableIPv4": false, "EnableIPv6": true})),
    ] {
        let mut server = server().await;
        let ping = ping_mock(&mut server, Some(announced), 1).await;
        let create = server
            .mock("POST", format!("/v{announced}/networks/create").as_str())
            .match_body(Matcher::Json(expected))
            .with_status(201)
            .with_body(r#"{"Id":"n1","Warning":""}"#)
            .create_async()
            .await;
        let opts = NetworkCreateOptions::new("n").enable_ipv4(false).enable_ipv6(true);
        negotiating(&server).networks().create(opts).await.unwrap();
        ping.assert_async().await;
        create.assert_async().await;
    }
}
