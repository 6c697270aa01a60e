//! Volumes against the real daemon.

mod common;

use dockhand::api::{ContainerCreate, ContainerRemoveOptions, VolumeCreateOptions, VolumeFilters, VolumePruneFilters};
use dockhand::models::{ClusterVolumeSpec, Mount, ObjectVersion, VolumeScope};

#[tokio::test]
async fn create_inspect_list_remove() {
    let Some(docker) = common::daemon().await else { return };
    let name = common::unique("vol");
    let opts = VolumeCreateOptions::new(&name)
        .driver("local")
        .driver_opt("type", "tmpfs")
        .driver_opt("device", "tmpfs")
        .label(common::TEST_LABEL, "1")
        .label("purpose", "inspect");
    let sized = opts.clone().driver_opt("o", "size=1m");
    let created = if common::is_podman(&docker).await {
        // Podman refuses a size without a file system that has project
        // quotas (the machine's has none); the volume is made without.
        let err = docker.volumes().create(sized).await.unwrap_err();
        assert!(err.is_server_error() && err.to_string().contains("Project Quota"), "{err:?}");
        docker.volumes().create(opts).await.unwrap()
    } else {
        docker.volumes().create(sized).await.unwrap()
    };
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
    if common::is_podman(&docker).await {
        // Podman 4.3 does not narrow `dangling` by `name`: other tests'
        // unused volumes come too (seen in CI), so this one is among them.
        assert!(dangling.volumes.iter().any(|v| v.name == name), "an unused volume is dangling: {dangling:?}");
    } else {
        assert_eq!(dangling.volumes.len(), 1, "an unused volume is dangling");
    }

    // Cluster volumes need a newer daemon: refused without a request on 1.41.
    if docker.api_version().await.unwrap() < dockhand::ApiVersion::new(1, 42) {
        let err = handle.update(ObjectVersion::default(), ClusterVolumeSpec::default()).await.unwrap_err();
        assert!(matches!(err, dockhand::Error::UnsupportedVersion { .. }), "{err:?}");
    }

    handle.remove().await.unwrap();
    assert!(handle.inspect().await.unwrap_err().is_not_found());
    assert!(handle.remove().await.unwrap_err().is_not_found());
    handle
        .remove_with(dockhand::api::VolumeRemoveOptions::new().force(true))
        .await
        .unwrap_or_else(|e| assert!(e.is_not_found(), "{e}"));
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
    docker.volumes().get(&kept).remove().await.unwrap();
}

// ---------------------------------------------------------------------------
// With containers: data outlives containers; a volume in use stays.

/// Runs `sh -c script` with volume `volume` at `/data` and returns the exit
/// code; removes the container (not the volume).
async fn run_with_volume(docker: &dockhand::Docker, volume: &str, script: &str) -> i64 {
    let image = common::busybox_image(docker).await;
    let name = common::unique("vol-user");
    docker
        .containers()
        .create(
            ContainerCreate::new(image)
                .name(&name)
                .cmd(["sh", "-c", script])
                .label(common::TEST_LABEL, "1")
                .mount(Mount::volume(volume, "/data")),
        )
        .await
        .unwrap();
    let c = docker.containers().get(&name);
    assert_eq!(c.start().await.unwrap(), dockhand::Change::Done);
    let code = c.wait().await.unwrap().status_code;
    c.remove_with(ContainerRemoveOptions::new().force(true)).await.unwrap();
    code
}

#[tokio::test]
async fn named_volume_keeps_data_across_containers() {
    let Some(docker) = common::daemon().await else { return };
    let keep = common::unique("vol-keep");
    let empty = common::unique("vol-empty");
    for name in [&keep, &empty] {
        docker.volumes().create(VolumeCreateOptions::new(name).label(common::TEST_LABEL, "1")).await.unwrap();
    }
    assert_eq!(run_with_volume(&docker, &keep, "echo persisted-$HOSTNAME > /data/f && sync").await, 0);
    // A new container (the first one is removed) sees the data...
    assert_eq!(run_with_volume(&docker, &keep, "grep -q '^persisted-' /data/f").await, 0);
    // ...and a fresh volume does not (the check can fail).
    assert_ne!(run_with_volume(&docker, &empty, "grep -q '^persisted-' /data/f").await, 0);
    for name in [&keep, &empty] {
        docker.volumes().get(name).remove().await.unwrap();
    }
}

#[tokio::test]
async fn volume_in_use_cannot_be_removed() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let volume = common::unique("vol-busy");
    docker
        .volumes()
        .create(VolumeCreateOptions::new(&volume).label(common::TEST_LABEL, "1").label("dockhand.run", &volume))
        .await
        .unwrap();
    let name = common::unique("vol-holder");
    docker
        .containers()
        .create(
            ContainerCreate::new(image)
                .name(&name)
                .cmd(["sleep", "600"])
                .label(common::TEST_LABEL, "1")
                .mount(Mount::volume(&volume, "/data")),
        )
        .await
        .unwrap();
    let holder = docker.containers().get(&name);
    // Even a container that never ran holds its volume.
    let err = docker.volumes().get(&volume).remove().await.unwrap_err();
    assert!(err.is_conflict(), "{err}");
    assert_eq!(holder.start().await.unwrap(), dockhand::Change::Done);
    let err = docker
        .volumes()
        .get(&volume)
        .remove_with(dockhand::api::VolumeRemoveOptions::new().force(true))
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "force does not remove a volume in use: {err}");
    // Prune leaves it too.
    // Prune, scoped to this volume, leaves it too.
    let pruned = docker
        .volumes()
        .prune(VolumePruneFilters::new().label(format!("dockhand.run={volume}")).all(true))
        .await
        .unwrap();
    assert!(pruned.volumes_deleted.is_empty(), "{pruned:?}");
    holder.remove_with(ContainerRemoveOptions::new().force(true)).await.unwrap();
    docker.volumes().get(&volume).remove().await.unwrap();
}
