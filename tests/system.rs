//! The system endpoints against a real daemon.

mod common;

use std::time::Duration;

use dockhand::ApiVersion;
use dockhand::api::{DfOptions, EventFilters, EventsOptions};
use dockhand::models::EventType;
use futures::StreamExt;

#[tokio::test]
async fn ping_version_info() {
    let Some(docker) = common::daemon().await else { return };
    let ping = docker.ping().await.unwrap();
    let announced: ApiVersion = ping.api_version.as_deref().unwrap().parse().unwrap();
    assert!(announced >= ApiVersion::MIN);
    let podman = common::is_podman(&docker).await;
    // Podman's _ping has no OSType header (its Server header says linux).
    assert_eq!(ping.os_type.as_deref(), if podman { None } else { Some("linux") });
    let head = docker.ping_head().await.unwrap();
    assert_eq!(head.api_version, ping.api_version);

    let negotiated = docker.api_version().await.unwrap();
    assert_eq!(negotiated, announced.min(ApiVersion::MAX));

    let version = docker.version().await.unwrap();
    assert_eq!(version.api_version, ping.api_version.unwrap());
    assert!(!version.version.is_empty());
    let engine = if podman { "Podman Engine" } else { "Engine" };
    assert!(version.components.iter().any(|c| c.name == engine), "{:?}", version.components);

    let info = docker.info().await.unwrap();
    assert!(info.ncpu >= 1 && info.mem_total > 0);
    assert_eq!(info.os_type, "linux");
    assert_eq!(info.server_version, version.version);
    let counted = info.containers_running + info.containers_paused + info.containers_stopped;
    if podman {
        // Podman counts a created (never started) container in none of the
        // three, and the suites beside this one create containers.
        assert!(info.containers >= counted, "{} containers, {counted} counted", info.containers);
    } else {
        assert_eq!(info.containers, counted);
    }
    assert!(info.system_time.is_some());
}

#[tokio::test]
async fn df_lists_the_test_image() {
    let Some(docker) = common::daemon().await else { return };
    let tag = common::busybox_image(&docker).await;
    let df = docker.df(DfOptions::new()).await.unwrap();
    if common::is_podman(&docker).await {
        // Podman 4.3's df gives each image's tags without the repository
        // ("latest"): the test image is found by its id.
        let id = docker.images().get(tag).inspect().await.unwrap().id;
        let image = df.images().iter().find(|i| id.ends_with(&i.id)).expect("the test image in df");
        assert!(image.repo_tags.iter().any(|t| t == "latest"), "{image:?}");
    } else {
        assert!(df.images().iter().any(|i| i.repo_tags.iter().any(|t| t == tag)), "{tag} missing from df");
    }
}

#[tokio::test]
async fn events_until_ends_the_stream() {
    let Some(docker) = common::daemon().await else { return };
    let start = dockhand::Timestamp::now() - std::time::Duration::from_secs(2);
    // An image event of this test's own: the shared image is imported only
    // when the daemon lacks it.
    let tagged = tag_the_test_image(&docker).await;
    let until = dockhand::Timestamp::now() + std::time::Duration::from_secs(1);
    let events = docker.events(
        EventsOptions::new().since(start).until(until).filters(EventFilters::new().event_type(EventType::Image)),
    );
    // The stream must end by itself at `until`.
    let events: Vec<_> = tokio::time::timeout(Duration::from_secs(20), events.collect()).await.expect("stream ended");
    let events: Vec<_> = events.into_iter().map(Result::unwrap).collect();
    assert!(events.iter().all(|e| e.typ == EventType::Image), "{events:?}");
    assert!(events.iter().any(|e| e.action == "tag"), "{events:?}");
    assert!(events.iter().all(|e| e.timestamp().unwrap() >= start));
    untag(&docker, &tagged).await;
}

/// Tags the test image with a name of this test's own (an image event);
/// returns the name.
async fn tag_the_test_image(docker: &dockhand::Docker) -> String {
    let image = common::busybox_image(docker).await;
    let tagged = format!("dockhand-test/{}:latest", common::unique("events"));
    docker.images().get(image).tag(&tagged).await.unwrap();
    tagged
}

async fn untag(docker: &dockhand::Docker, tagged: &str) {
    docker.images().get(tagged).remove_with(dockhand::api::ImageRemoveOptions::new()).await.unwrap();
}

#[tokio::test]
async fn events_follow_sees_new_events_and_idles_without_timeout() {
    let Some(_) = common::daemon().await else { return };
    // A short idle timeout for ordinary bodies must not end a followed stream.
    let docker = dockhand::Docker::builder().idle_timeout(Some(Duration::from_millis(200))).build().unwrap();
    let mut events = docker.events(EventsOptions::new().filters(EventFilters::new().event_type(EventType::Image)));
    let follower = tokio::spawn(async move { events.next().await });
    tokio::time::sleep(Duration::from_millis(700)).await; // longer than the idle timeout
    let tagged = tag_the_test_image(&docker).await;
    let first = tokio::time::timeout(Duration::from_secs(20), follower).await.expect("an event arrived").unwrap();
    let first = first.expect("the stream is open").expect("no error");
    assert_eq!(first.typ, EventType::Image);
    untag(&docker, &tagged).await;
}

#[tokio::test]
async fn unreachable_daemon_says_what_was_tried() {
    let dir = std::env::temp_dir().join(common::unique("nosock"));
    let docker =
        dockhand::Docker::builder().host(&format!("unix://{}/docker.sock", dir.display())).unwrap().build().unwrap();
    let err = docker.version().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("docker.sock") && text.contains("no such socket") && text.contains("dockerd"), "{text}");
}
