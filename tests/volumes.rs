//! Volumes against the real daemon.

mod common;

use dockhand::api::{VolumeCreateOptions, VolumeFilters, VolumePruneFilters};
use dockhand::models::{ClusterVolumeSpec, ObjectVersion, VolumeScope};

#[tokio::test]
async fn create_inspect_list_remove() {
    let Some(docker) = common::daemon().await else { return };
    let name = common::unique("vol");
    let created = docker
        .volumes()
        .create(
            VolumeCreateOptions::new(&name)
                .driver("local")
                .driver_opt("type", "tmpfs")
                .driver_opt("device", "tmpfs")
                .driver_opt("o", "size=1m")
                .label(common::TEST_LABEL, "1")
                .label("purpose", "inspect"),
        )
        .await
        .unwrap();
    assert_eq!(created.name, name);
    assert_eq!(created.driver, "local");
    assert_eq!(created.scope, VolumeScope::Local);
    assert_eq!(created.options["type"], "tmpfs");

    let handle = docker.volumes().get(&name);
    let v = handle.inspect().await.unwrap();
    assert_eq!(v.labels["purpose"], "inspect");
    assert!(v.mountpoint.ends_with("/_data"), "{}", v.mountpoint);
    assert!(v.created_at.is_some());

    let listed = docker.volumes().list(VolumeFilters::new().name(&name).label("purpose=inspect")).await.unwrap();
    assert_eq!(listed.volumes.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), [name.as_str()]);
    let dangling = docker.volumes().list(VolumeFilters::new().dangling("true").name(&name)).await.unwrap();
    assert_eq!(dangling.volumes.len(), 1, "an unused volume is dangling");

    // Cluster volumes need a newer daemon: refused without a request on 1.41.
    if docker.api_version().await.unwrap() < dockhand::ApiVersion::new(1, 42) {
        let err = handle.update(ObjectVersion::default(), ClusterVolumeSpec::default()).await.unwrap_err();
        assert!(matches!(err, dockhand::Error::UnsupportedVersion { .. }), "{err:?}");
    }

    handle.remove(false).await.unwrap();
    assert!(handle.inspect().await.unwrap_err().is_not_found());
    assert!(handle.remove(false).await.unwrap_err().is_not_found());
    handle.remove(true).await.unwrap_or_else(|e| assert!(e.is_not_found(), "{e}"));
}

#[tokio::test]
async fn prune_removes_only_matching_unused_volumes() {
    let Some(docker) = common::daemon().await else { return };
    let run = common::unique("prune");
    let doomed = common::unique("vol-doomed");
    let kept = common::unique("vol-kept");
    for (name, label) in [(&doomed, run.as_str()), (&kept, "someone-else")] {
        docker
            .volumes()
            .create(VolumeCreateOptions::new(name).label(common::TEST_LABEL, "1").label("dockhand.run", label))
            .await
            .unwrap();
    }
    // `all`: named volumes too on API 1.42+ (older daemons always include them).
    let pruned =
        docker.volumes().prune(VolumePruneFilters::new().label(format!("dockhand.run={run}")).all(true)).await.unwrap();
    assert_eq!(pruned.volumes_deleted, [doomed.as_str()]);
    assert!(docker.volumes().get(&doomed).inspect().await.unwrap_err().is_not_found());
    docker.volumes().get(&kept).remove(false).await.unwrap();
}
