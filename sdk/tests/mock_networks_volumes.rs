//! Volumes and networks with a mock daemon: what the 20.10 daemon cannot
//! show (cluster volume update, the `all` prune filter of API 1.42+) and
//! error paths.

mod common;

use common::{client, server};
use dockhand::api::{NetworkCreateOptions, VolumePruneFilters};
use dockhand::models::{ClusterVolumeSpec, EndpointSettings, ObjectVersion};
use mockito::Matcher;

#[tokio::test]
async fn cluster_volume_update_on_a_newer_daemon() {
    let mut server = server().await;
    let update = server
        .mock("PUT", "/v1.45/volumes/csi-vol")
        .match_query(Matcher::UrlEncoded("version".into(), "9".into()))
        .match_body(Matcher::JsonString(r#"{"Spec":{"Group":"g","Availability":"drain"}}"#.into()))
        .with_status(200)
        .create_async()
        .await;
    let docker = client(&server, "1.45");
    let mut spec = ClusterVolumeSpec::default();
    spec.group = "g".into();
    spec.extra.insert("Availability".into(), "drain".into());
    docker.volumes().get("csi-vol").update(ObjectVersion::new(9), spec).await.unwrap();
    update.assert_async().await;
}

#[tokio::test]
async fn prune_all_follows_the_version() {
    let mut server = server().await;
    let new = server
        .mock("POST", "/v1.45/volumes/prune")
        .match_query(Matcher::UrlEncoded("filters".into(), r#"{"all":["true"],"label":["x=1"]}"#.into()))
        .with_body(r#"{"VolumesDeleted":["a"],"SpaceReclaimed":12}"#)
        .create_async()
        .await;
    let old = server
        .mock("POST", "/v1.41/volumes/prune")
        .match_query(Matcher::UrlEncoded("filters".into(), r#"{"label":["x=1"]}"#.into()))
        .with_body(r#"{"VolumesDeleted":null,"SpaceReclaimed":0}"#)
        .create_async()
        .await;
    let f = VolumePruneFilters::new().label("x=1").all(true);
    let r = client(&server, "1.45").volumes().prune(f.clone()).await.unwrap();
    assert_eq!((r.volumes_deleted, r.space_reclaimed), (vec!["a".to_owned()], 12));
    let r = client(&server, "1.41").volumes().prune(f).await.unwrap();
    assert!(r.volumes_deleted.is_empty());
    new.assert_async().await;
    old.assert_async().await;
}

#[tokio::test]
async fn volume_in_use_is_a_conflict() {
    let mut server = server().await;
    server
        .mock("DELETE", "/v1.41/volumes/data")
        .with_status(409)
        .with_body(r#"{"message":"remove data: volume is in use - [0123abcd]"}"#)
        .create_async()
        .await;
    let err = client(&server, "1.41").volumes().get("data").remove().await.unwrap_err();
    assert!(err.is_conflict(), "{err}");
}

#[tokio::test]
async fn network_connect_with_static_ip_and_errors() {
    let mut server = server().await;
    let connect = server
        .mock("POST", "/v1.41/networks/backend/connect")
        .match_body(Matcher::JsonString(
            r#"{"Container":"db","EndpointConfig":{"IPAMConfig":{"IPv4Address":"10.1.0.9"},"Aliases":["database"]}}"#
                .into(),
        ))
        .with_status(200)
        .create_async()
        .await;
    server
        .mock("POST", "/v1.41/networks/create")
        .with_status(409)
        .with_body(r#"{"message":"network with name backend already exists"}"#)
        .create_async()
        .await;
    server
        .mock("DELETE", "/v1.41/networks/backend")
        .with_status(403)
        .with_body(r#"{"message":"error while removing network: network backend id x has active endpoints"}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let net = docker.networks().get("backend");
    net.connect_with("db", EndpointSettings::new().alias("database").ipv4_address("10.1.0.9")).await.unwrap();
    connect.assert_async().await;
    let err = docker.networks().create(NetworkCreateOptions::new("backend")).await.unwrap_err();
    assert!(err.is_conflict());
    let err = net.remove().await.unwrap_err();
    assert!(err.is_forbidden() && err.to_string().contains("active endpoints"), "{err}");
}
