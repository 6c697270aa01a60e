//! The untyped inspects against the real daemon: the same object as the
//! typed inspect, with the fields the models leave out still there.

mod common;

use dockhand::api::{ContainerCreate, NetworkCreateOptions, VolumeCreateOptions};

#[tokio::test]
async fn raw_inspects_match_the_typed_ones() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;

    let raw = docker.images().get(image).inspect_raw().await.unwrap();
    let typed = docker.images().get(image).inspect().await.unwrap();
    assert_eq!(raw["Id"], typed.id.as_str());
    assert!(raw["RootFS"]["Layers"].is_array(), "{raw}");

    let name = common::unique("raw");
    let created = docker
        .containers()
        .create(ContainerCreate::new(image).name(&name).label(common::TEST_LABEL, "1").cmd(["true"]))
        .await
        .unwrap();
    let _cleanup = common::Cleanup(vec![created.id.clone()]);
    let raw = docker.containers().get(&name).inspect_raw().await.unwrap();
    assert_eq!(raw["Id"], created.id.as_str());
    assert_eq!(raw["Name"], format!("/{name}").as_str());
    assert_eq!(raw["State"]["Status"], "created");
    assert_eq!(raw["Config"]["Labels"][common::TEST_LABEL], "1");
    // Fields the daemon sends that are not all modelled stay: the graph
    // driver's data, for one.
    assert!(raw.get("GraphDriver").is_some(), "{raw}");

    let net = common::unique("rawnet");
    docker.networks().create(NetworkCreateOptions::new(&net).label(common::TEST_LABEL, "1")).await.unwrap();
    let raw = docker.networks().get(&net).inspect_raw().await;
    docker.networks().get(&net).remove().await.unwrap();
    let raw = raw.unwrap();
    assert_eq!(raw["Name"], net.as_str());
    assert_eq!(raw["Labels"][common::TEST_LABEL], "1");

    let vol = common::unique("rawvol");
    docker.volumes().create(VolumeCreateOptions::new(&vol).label(common::TEST_LABEL, "1")).await.unwrap();
    let raw = docker.volumes().get(&vol).inspect_raw().await;
    docker.volumes().get(&vol).remove().await.unwrap();
    let raw = raw.unwrap();
    assert_eq!(raw["Name"], vol.as_str());
    assert!(raw["Mountpoint"].as_str().is_some_and(|m| m.ends_with("/_data")), "{raw}");

    let info = docker.info_raw().await.unwrap();
    let typed = docker.info().await.unwrap();
    assert_eq!(info["ServerVersion"], typed.server_version.as_str());
    assert_eq!(info["ID"], typed.id.as_str());
    let version = docker.version_raw().await.unwrap();
    assert_eq!(version["ApiVersion"], docker.version().await.unwrap().api_version.as_str());

    let gone = docker.containers().get(common::unique("missing")).inspect_raw().await.unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
}
