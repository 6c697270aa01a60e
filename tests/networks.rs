//! Networks against the real daemon.

mod common;

use dockhand::api::{NetworkCreateOptions, NetworkFilters, NetworkInspectOptions, NetworkPruneFilters};
use dockhand::models::IpamConfig;

/// A subnet unlikely to clash with the daemon's pools or other tests: from
/// 10.213.0.0/16, picked by the process id.
fn subnet() -> (String, String) {
    let third = std::process::id() % 250 + 1;
    (format!("10.213.{third}.0/24"), format!("10.213.{third}.1"))
}

#[tokio::test]
async fn create_inspect_list_remove() {
    let Some(docker) = common::daemon().await else { return };
    let name = common::unique("net");
    let (net, gateway) = subnet();
    let created = docker
        .networks()
        .create(
            NetworkCreateOptions::new(&name)
                .driver("bridge")
                .subnet(IpamConfig::subnet(&net).gateway(&gateway))
                .internal(true)
                .attachable(true)
                .label(common::TEST_LABEL, "1")
                .label("purpose", "inspect")
                .option("com.docker.network.bridge.enable_icc", "true"),
        )
        .await
        .unwrap();
    assert_eq!(created.id.len(), 64);

    let handle = docker.networks().get(&name);
    let n = handle.inspect().await.unwrap();
    assert_eq!(n.id, created.id);
    assert_eq!(n.name, name);
    assert_eq!(n.driver, "bridge");
    assert_eq!(n.scope, "local");
    assert!(n.internal && n.attachable && !n.ingress);
    assert_eq!(n.ipam.config[0].subnet.as_deref(), Some(net.as_str()));
    assert_eq!(n.ipam.config[0].gateway.as_deref(), Some(gateway.as_str()));
    assert_eq!(n.labels["purpose"], "inspect");
    assert_eq!(n.options["com.docker.network.bridge.enable_icc"], "true");
    assert!(n.containers.is_empty());
    assert!(n.created.is_some());
    let verbose = handle.inspect_with(NetworkInspectOptions::new().verbose(true).scope("local")).await.unwrap();
    assert_eq!(verbose.id, created.id);

    let listed = docker.networks().list(NetworkFilters::new().label("purpose=inspect").name(&name)).await.unwrap();
    assert_eq!(listed.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), [created.id.as_str()]);
    let builtin = docker.networks().list(NetworkFilters::new().kind("builtin")).await.unwrap();
    assert!(builtin.iter().any(|n| n.name == "bridge") && !builtin.iter().any(|n| n.id == created.id));

    handle.remove().await.unwrap();
    let gone = handle.inspect().await.unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    assert!(handle.remove().await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn bad_input_is_a_typed_error() {
    let Some(docker) = common::daemon().await else { return };
    // Rejected before sending.
    let err = docker.networks().get("../containers/json").inspect().await.unwrap_err();
    assert!(matches!(err, dockhand::Error::InvalidInput { .. }), "{err:?}");
    // Rejected by the daemon: an invalid subnet.
    let err = docker
        .networks()
        .create(
            NetworkCreateOptions::new(common::unique("badnet"))
                .subnet(IpamConfig::subnet("not-a-subnet"))
                .label(common::TEST_LABEL, "1"),
        )
        .await
        .unwrap_err();
    assert!(err.status().is_some(), "{err}");
    // A predefined network cannot be removed.
    let err = docker.networks().get("none").remove().await.unwrap_err();
    assert!(err.is_forbidden() || err.is_server_error() || err.is_conflict(), "{err}");
}

#[tokio::test]
async fn prune_removes_only_matching_unused_networks() {
    let Some(docker) = common::daemon().await else { return };
    let run = common::unique("prune");
    let doomed = common::unique("net-doomed");
    let other = common::unique("net-kept");
    for (name, label) in [(&doomed, run.as_str()), (&other, "someone-else")] {
        docker
            .networks()
            .create(NetworkCreateOptions::new(name).label(common::TEST_LABEL, "1").label("dockhand.run", label))
            .await
            .unwrap();
    }
    let pruned =
        docker.networks().prune(NetworkPruneFilters::new().label(format!("dockhand.run={run}"))).await.unwrap();
    assert_eq!(pruned.networks_deleted, [doomed.as_str()]);
    assert!(docker.networks().get(&doomed).inspect().await.unwrap_err().is_not_found());
    docker.networks().get(&other).inspect().await.unwrap();
    docker.networks().get(&other).remove().await.unwrap();
}
