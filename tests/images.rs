//! Image operations against the real daemon: inspect, history, tag, list,
//! remove, save/load, prune by label, hostile names, search without
//! internet.

mod common;

use std::time::Duration;

use dockhand::api::{
    AttestationOptions, BuildOptions, ContainerCreate, ContainerRemoveOptions, ImageFilters, ImageListOptions,
    ImagePruneFilters, ImageRemoveOptions, SearchOptions,
};
use dockhand::build_context::BuildContext;
use dockhand::{Docker, Error, fold_progress};
use futures::TryStreamExt;

/// Builds a small image of our own (so that removing it really deletes it).
async fn own_image(docker: &Docker, tag: &str, labels: &[(&str, &str)]) -> String {
    let base = common::busybox_image(docker).await;
    let mut opts = BuildOptions::new().tag(tag).label(common::TEST_LABEL, "1");
    for (k, v) in labels {
        opts = opts.label(*k, *v);
    }
    let ctx = BuildContext::from_files().file("Dockerfile", format!("FROM {base}\nLABEL dockhand.unique={tag}\n"));
    fold_progress(docker.images().build(opts, ctx), |_| {}).await.expect("build").image_id.expect("image id")
}

#[tokio::test]
async fn inspect_history_tag_list_remove() {
    let Some(docker) = common::daemon().await else { return };
    let base = common::busybox_image(&docker).await;
    let image = docker.images().get(base);
    let inspect = image.inspect().await.unwrap();
    assert!(inspect.id.starts_with("sha256:"));
    let podman = common::is_podman(&docker).await;
    // Podman names images fully qualified.
    let named = |n: &str| if podman { common::podman_name(n) } else { n.to_owned() };
    assert!(inspect.repo_tags.iter().any(|t| *t == named(base)), "{:?}", inspect.repo_tags);
    assert_eq!(inspect.config.as_ref().unwrap().cmd, ["sh"]);
    let history = image.history().await.unwrap();
    assert!(!history.is_empty());
    assert!(history.iter().any(|h| h.comment.starts_with("dockhand test image ")), "{history:?}");

    let repo = common::unique("tagged");
    let target = format!("{repo}:v1");
    // Other test processes may import the shared test image again at any
    // moment, moving its tag: a tag of our own keeps this image referenced,
    // so removing `target` below only untags, whatever they do.
    let keep = format!("{repo}-keep:v1");
    let by_id = docker.images().get(&inspect.id);
    by_id.tag(&keep).await.unwrap();
    by_id.tag(&target).await.unwrap();
    assert_eq!(docker.images().get(&target).inspect().await.unwrap().id, inspect.id);
    let listed = docker
        .images()
        .list(ImageListOptions::new().filters(ImageFilters::new().reference(format!("{repo}:*"))))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, inspect.id);
    if podman {
        // Podman lists every tag of the image the reference matched.
        assert!(listed[0].repo_tags.contains(&named(&target)), "{:?}", listed[0].repo_tags);
    } else {
        assert_eq!(listed[0].repo_tags, std::slice::from_ref(&target));
    }

    // Removing one of several tags only untags.
    let removed = docker.images().get(&target).remove_with(ImageRemoveOptions::new()).await.unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].untagged, Some(named(&target)));
    let err = docker.images().get(&target).inspect().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let err = docker.images().get(&target).remove_with(ImageRemoveOptions::new()).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    docker.images().get(&keep).remove_with(ImageRemoveOptions::new()).await.unwrap();
}

#[tokio::test]
async fn save_then_load_round_trip() {
    let Some(docker) = common::daemon().await else { return };
    let tag = format!("{}:1", common::unique("saved"));
    let id = own_image(&docker, &tag, &[]).await;
    let saved: Vec<bytes::Bytes> = docker.images().get(&tag).export().try_collect().await.unwrap();
    let saved = saved.concat();
    let many: Vec<bytes::Bytes> =
        docker.images().export_many(&[tag.as_str(), common::BUSYBOX]).try_collect().await.unwrap();
    assert!(many.concat().len() > saved.len(), "two images weigh more than one");

    let removed = docker.images().get(&tag).remove_with(ImageRemoveOptions::new()).await.unwrap();
    // Podman lists the deleted ids without "sha256:".
    let bare = id.trim_start_matches("sha256:");
    assert!(removed.iter().any(|r| r.deleted.as_deref().is_some_and(|d| d == id || d == bare)), "{removed:?}");
    assert!(docker.images().get(&tag).inspect().await.unwrap_err().is_not_found());

    let loaded = fold_progress(docker.images().load(saved.into()), |_| {}).await.unwrap();
    let named = if common::is_podman(&docker).await { common::podman_name(&tag) } else { tag.clone() };
    assert_eq!(loaded.loaded, [named], "{loaded:?}");
    assert_eq!(docker.images().get(&tag).inspect().await.unwrap().id, id);
    docker.images().get(&tag).remove_with(ImageRemoveOptions::new()).await.unwrap();

    // A load of garbage is an error, not a panic.
    let err = fold_progress(docker.images().load(b"not a tar".to_vec().into()), |_| {}).await.unwrap_err();
    assert!(err.status().is_some() || matches!(err, Error::Stream { .. }), "{err:?}");
}

#[tokio::test]
async fn prune_limited_by_label() {
    let Some(docker) = common::daemon().await else { return };
    let run = common::unique("prune");
    let tag = format!("{run}:1");
    let id = own_image(&docker, &tag, &[("dockhand.test.run", &run)]).await;
    let report =
        docker.images().prune(ImagePruneFilters::new().dangling(false).label(format!("dockhand.test.run={run}"))).await;
    if common::is_podman(&docker).await {
        // Podman 4.3 adds dangling=true of its own and refuses the mix.
        let err = report.unwrap_err();
        assert!(err.is_server_error() && err.to_string().contains("\"dangling\" filter more than once"), "{err:?}");
        docker.images().get(&tag).remove_with(ImageRemoveOptions::new()).await.unwrap();
        return;
    }
    let report = report.unwrap();
    assert!(report.images_deleted.iter().any(|d| d.deleted.as_deref() == Some(id.as_str())), "{report:?}");
    assert!(report.images_deleted.iter().any(|d| d.untagged.as_deref() == Some(tag.as_str())), "{report:?}");
    assert!(docker.images().get(&tag).inspect().await.unwrap_err().is_not_found());
    // The shared test image is untouched.
    docker.images().get(common::BUSYBOX).inspect().await.unwrap();
}

#[tokio::test]
async fn hostile_names_never_reach_the_daemon() {
    let Some(docker) = common::daemon().await else { return };
    for bad in ["../../containers/json", "Busybox", "busybox?all=1", "a#b", "x@sha256:1234", "with space", "a/../b"] {
        let err = docker.images().get(bad).inspect().await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{bad}: {err:?}");
        let err = docker.images().get(bad).remove_with(ImageRemoveOptions::new().force(true)).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{bad}: {err:?}");
    }
    let err = docker.images().get(common::BUSYBOX).tag("Bad/Name:1").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
}

#[tokio::test]
async fn search_without_internet_is_a_typed_error() {
    let Some(docker) = common::daemon().await else { return };
    let docker = docker.with_response_timeout(Some(Duration::from_secs(60)));
    let err = docker.images().search(SearchOptions::new("busybox").limit(1)).await.unwrap_err();
    assert!(err.status().is_some() || err.is_timeout(), "{err:?}");
    eprintln!("search without internet: {err}");
}

#[tokio::test]
async fn attestations_need_a_newer_daemon() {
    let Some(docker) = common::daemon().await else { return };
    if docker.api_version().await.unwrap() >= dockhand::api::images::ATTESTATIONS_SINCE {
        return;
    }
    let err = docker.images().get(common::BUSYBOX).attestations(AttestationOptions::new()).await.unwrap_err();
    assert!(matches!(err, Error::UnsupportedVersion { .. }), "{err:?}");
}

/// Creates, starts and waits for a container of ours; returns its id and
/// exit code.
async fn run(docker: &Docker, image: &str, cmd: &[&str]) -> (String, i64) {
    let create = ContainerCreate::new(image)
        .name(common::unique("commit"))
        .cmd(cmd.iter().copied())
        .label(common::TEST_LABEL, "1")
        .network_mode("none");
    let id = docker.containers().create(create).await.expect("create").id;
    let container = docker.containers().get(&id);
    container.start().await.expect("start");
    let waited = container.wait().await.expect("wait");
    (id, waited.status_code)
}

async fn remove_container(docker: &Docker, id: &str) {
    docker.containers().get(id).remove_with(ContainerRemoveOptions::new().force(true)).await.expect("remove container");
}

#[tokio::test]
async fn commit_a_container_change_and_run_it() {
    let Some(docker) = common::daemon().await else { return };
    let base = common::busybox_image(&docker).await;
    let (changed, code) = run(&docker, base, &["sh", "-c", "echo changed > /changed"]).await;
    assert_eq!(code, 0);

    let tag = format!("{}:1", common::unique("committed"));
    let id = docker
        .images()
        .commit(
            dockhand::api::CommitOptions::new(&changed)
                .reference(&tag)
                .comment("committed by dockhand")
                .author("dockhand tests")
                .change(format!("LABEL {}=1", common::TEST_LABEL))
                .change(r#"CMD ["cat", "/changed"]"#),
        )
        .await
        .unwrap();
    let inspect = docker.images().get(&tag).inspect().await.unwrap();
    if common::is_podman(&docker).await {
        // Podman's commit answers the id without "sha256:".
        assert_eq!(inspect.id, format!("sha256:{id}"));
    } else {
        assert_eq!(inspect.id, id);
    }
    assert_eq!(inspect.author, "dockhand tests");
    assert_eq!(inspect.comment, "committed by dockhand");
    assert_eq!(inspect.config.as_ref().unwrap().cmd, ["cat", "/changed"]);
    let history = docker.images().get(&tag).history().await.unwrap();
    if common::is_podman(&docker).await {
        // Podman's history of a commit says what it was made from.
        assert!(history[0].comment.starts_with("FROM "), "{history:?}");
    } else {
        assert_eq!(history[0].comment, "committed by dockhand");
    }

    // Run the committed image: the change is there.
    let (check, code) = run(&docker, &tag, &["sh", "-c", "test \"$(cat /changed)\" = changed"]).await;
    assert_eq!(code, 0, "the committed file is in the image");
    remove_container(&docker, &check).await;
    remove_container(&docker, &changed).await;
    docker.images().get(&tag).remove_with(ImageRemoveOptions::new()).await.unwrap();

    // Committing a container that does not exist.
    let err = docker.images().commit(dockhand::api::CommitOptions::new(common::unique("nope"))).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}
