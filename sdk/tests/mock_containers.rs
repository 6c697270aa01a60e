//! Request shapes and error paths of the container endpoints, against a
//! mock daemon (mockito). What the real daemon does is tested in the
//! repository's `tests/containers.rs`.

mod common;

use base64::Engine as _;
use common::{client, server};
use dockhand::api::{
    ContainerCreate, ContainerFilters, ContainerListOptions, ContainerPruneFilters, ContainerUpdate, PutArchiveOptions,
    StopOptions,
};
use dockhand::models::{ContainerStateKind, FilesystemChangeKind, WaitCondition};
use dockhand::{Change, Error};
use futures::TryStreamExt;
use mockito::Matcher;
use serde_json::json;

#[tokio::test]
async fn create_sends_name_platform_and_the_typed_body() {
    let mut server = server().await;
    let mock = server
        .mock("POST", "/v1.41/containers/create")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("name".into(), "web".into()),
            Matcher::UrlEncoded("platform".into(), "linux/amd64".into()),
        ]))
        .match_header("content-type", "application/json")
        .match_body(Matcher::Json(json!({
            "Image": "busybox",
            "Cmd": ["httpd", "-f"],
            "Env": ["A=1"],
            "Labels": {"app": "web"},
            "ExposedPorts": {"80/tcp": {}},
            "StopSignal": "SIGINT",
            "HostConfig": {
                "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]},
                "Memory": 1048576,
                "NanoCpus": 500000000,
                "AutoRemove": true,
                "CapAdd": ["NET_ADMIN"],
                "Init": true
            }
        })))
        .with_status(201)
        .with_body(r#"{"Id":"abc123","Warnings":null}"#)
        .create_async()
        .await;
    let created = client(&server, "1.41")
        .containers()
        .create(
            ContainerCreate::new("busybox")
                .name("web")
                .platform("linux/amd64")
                .cmd(["httpd", "-f"])
                .env("A=1")
                .label("app", "web")
                .publish("80/tcp", "127.0.0.1", "8080")
                .stop_signal("SIGINT")
                .memory(1 << 20)
                .nano_cpus(500_000_000)
                .auto_remove(true)
                .cap_add("NET_ADMIN")
                .init(true),
        )
        .await
        .unwrap();
    assert_eq!(created.id, "abc123");
    assert!(created.warnings.is_empty(), "null warnings decode as none");
    mock.assert_async().await;
}

#[tokio::test]
async fn update_sends_resources_and_restart_policy() {
    let mut server = server().await;
    let mock = server
        .mock("POST", "/v1.41/containers/web/update")
        .match_body(Matcher::Json(json!({
            "Memory": 100663296, "MemorySwap": -1, "PidsLimit": 10,
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 4}
        })))
        .with_body(r#"{"Warnings":["swap limit not supported"]}"#)
        .create_async()
        .await;
    let answer = client(&server, "1.41")
        .containers()
        .get("web")
        .update(
            ContainerUpdate::new()
                .memory(96 << 20)
                .memory_swap(-1)
                .pids_limit(10)
                .restart_policy(dockhand::models::RestartPolicy::on_failure(4)),
        )
        .await
        .unwrap();
    assert_eq!(answer.warnings, ["swap limit not supported"]);
    mock.assert_async().await;
}

#[tokio::test]
async fn list_sends_typed_filters() {
    let mut server = server().await;
    let f = ContainerFilters::new().label("app=web").status(ContainerStateKind::Exited).is_task(false);
    let mock = server
        .mock("GET", "/v1.41/containers/json")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("all".into(), "1".into()),
            Matcher::UrlEncoded(
                "filters".into(),
                r#"{"is-task":["false"],"label":["app=web"],"status":["exited"]}"#.into(),
            ),
        ]))
        .with_body(
            r#"[{"Id":"abc","Names":["/web"],"State":"exited","Labels":null,"Ports":null,"Created":1700000000}]"#,
        )
        .create_async()
        .await;
    let list =
        client(&server, "1.41").containers().list(ContainerListOptions::new().all(true).filters(f)).await.unwrap();
    assert_eq!(list[0].name(), Some("web"));
    assert_eq!(list[0].state, ContainerStateKind::Exited);
    mock.assert_async().await;
}

#[tokio::test]
async fn hostile_names_are_encoded_or_refused() {
    let mut server = server().await;
    let mock = server
        .mock("GET", "/v1.41/containers/a%20b%3Fc%23d/json")
        .with_status(404)
        .with_body(r#"{"message":"No such container: a b?c#d"}"#)
        .create_async()
        .await;
    let d = client(&server, "1.41");
    let err = d.containers().get("a b?c#d").inspect().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    mock.assert_async().await;

    // Nothing reaches the server for these.
    let any = server.mock("GET", Matcher::Any).expect(0).create_async().await;
    for bad in ["../images/json", "..", ""] {
        let err = d.containers().get(bad).inspect().await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    }
    any.assert_async().await;
}

#[tokio::test]
async fn not_modified_is_unchanged_and_500_is_typed() {
    let mut server = server().await;
    let started = server.mock("POST", "/v1.41/containers/web/start").with_status(304).create_async().await;
    let stop = server
        .mock("POST", "/v1.41/containers/web/stop")
        .with_status(500)
        .with_body(r#"{"message":"cannot stop container: permission denied"}"#)
        .create_async()
        .await;
    let c = client(&server, "1.41").containers().get("web");
    assert_eq!(c.start().await.unwrap(), Change::Unchanged);
    let err = c.stop().await.unwrap_err();
    assert!(err.is_server_error(), "{err:?}");
    assert_eq!(err.api().unwrap().message, "cannot stop container: permission denied");
    assert_eq!(err.api().unwrap().path, "/v1.41/containers/web/stop");
    started.assert_async().await;
    stop.assert_async().await;
}

#[tokio::test]
async fn stop_signal_is_sent_only_to_daemons_that_know_it() {
    let mut server = server().await;
    let old = server
        .mock("POST", "/v1.41/containers/web/stop")
        .match_query(Matcher::Exact("t=5".into()))
        .with_status(204)
        .create_async()
        .await;
    let new = server
        .mock("POST", "/v1.44/containers/web/restart")
        .match_query(Matcher::Exact("t=5&signal=SIGINT".into()))
        .with_status(204)
        .create_async()
        .await;
    let opts = StopOptions::new().timeout(std::time::Duration::from_secs(5)).signal("SIGINT");
    let done = client(&server, "1.41").containers().get("web").stop_with(opts.clone()).await.unwrap();
    assert_eq!(done, Change::Done);
    let done = client(&server, "1.44").containers().get("web").restart_with(opts).await.unwrap();
    assert!(done.is_done());
    old.assert_async().await;
    new.assert_async().await;
}

#[tokio::test]
async fn archive_path_stat_is_decoded_or_a_typed_error() {
    let mut server = server().await;
    let stat = base64::engine::general_purpose::STANDARD.encode(
        r#"{"name":"sh","size":7,"mode":134218239,"mtime":"2026-11-27T18:00:00.5Z","linkTarget":"/bin/busybox"}"#,
    );
    let good = server
        .mock("HEAD", "/v1.41/containers/web/archive")
        .match_query(Matcher::UrlEncoded("path".into(), "/bin/sh".into()))
        .with_header("X-Docker-Container-Path-Stat", &stat)
        .create_async()
        .await;
    let bad = server
        .mock("HEAD", "/v1.41/containers/web/archive")
        .match_query(Matcher::UrlEncoded("path".into(), "/bad".into()))
        .with_header("X-Docker-Container-Path-Stat", "!!not-base64!!")
        .create_async()
        .await;
    let missing = server
        .mock("GET", "/v1.41/containers/web/archive")
        .match_query(Matcher::UrlEncoded("path".into(), "/none".into()))
        .with_body("tar bytes")
        .create_async()
        .await;
    let c = client(&server, "1.41").containers().get("web");
    let s = c.archive_info("/bin/sh").await.unwrap();
    assert!(s.is_symlink() && s.link_target == "/bin/busybox" && s.permissions() == 0o777, "{s:?}");
    let err = c.archive_info("/bad").await.unwrap_err();
    assert!(err.is_decode() && err.to_string().contains("Path-Stat"), "{err}");
    let err = c.get_archive("/none").await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    good.assert_async().await;
    bad.assert_async().await;
    missing.assert_async().await;
}

#[tokio::test]
async fn put_archive_streams_the_tar_body() {
    let mut server = server().await;
    let mock = server
        .mock("PUT", "/v1.41/containers/web/archive")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("path".into(), "/tmp".into()),
            Matcher::UrlEncoded("noOverwriteDirNonDir".into(), "1".into()),
        ]))
        .match_header("content-type", "application/x-tar")
        .match_body("abcdef")
        .create_async()
        .await;
    let chunks =
        futures::stream::iter(vec![Ok(bytes::Bytes::from_static(b"abc")), Ok(bytes::Bytes::from_static(b"def"))]);
    client(&server, "1.41")
        .containers()
        .get("web")
        .put_archive(
            "/tmp",
            PutArchiveOptions::new().no_overwrite_dir_non_dir(true),
            dockhand::Body::from_result_stream(chunks),
        )
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn wait_changes_stats_and_prune_answers_decode() {
    let mut server = server().await;
    let _wait = server
        .mock("POST", "/v1.41/containers/web/wait")
        .match_query(Matcher::UrlEncoded("condition".into(), "next-exit".into()))
        .with_body(r#"{"StatusCode":137,"Error":{"Message":"oops"}}"#)
        .create_async()
        .await;
    let _changes = server.mock("GET", "/v1.41/containers/web/changes").with_body("null").create_async().await;
    let _changes2 = server
        .mock("GET", "/v1.41/containers/other/changes")
        .with_body(r#"[{"Path":"/tmp","Kind":0},{"Path":"/x","Kind":7}]"#)
        .create_async()
        .await;
    let _stats = server
        .mock("GET", "/v1.41/containers/web/stats")
        .match_query(Matcher::UrlEncoded("stream".into(), "1".into()))
        .with_body(
            r#"{"read":"2026-11-27T18:00:00Z","memory_stats":{"usage":10,"limit":100,"stats":{"total_inactive_file":4}}}
{"read":"2026-11-27T18:00:01Z","memory_stats":{"usage":20,"limit":100,"stats":{}}}"#,
        )
        .create_async()
        .await;
    let _prune = server
        .mock("POST", "/v1.41/containers/prune")
        .match_query(Matcher::UrlEncoded("filters".into(), r#"{"label":["x=1"],"until":["1h"]}"#.into()))
        .with_body(r#"{"ContainersDeleted":null,"SpaceReclaimed":0}"#)
        .create_async()
        .await;
    let d = client(&server, "1.41");
    let c = d.containers().get("web");
    let w = c.wait_until(WaitCondition::NextExit).await.unwrap();
    assert_eq!((w.status_code, w.error.unwrap().message.as_str()), (137, "oops"));
    assert!(c.changes().await.unwrap().is_empty());
    let changes = d.containers().get("other").changes().await.unwrap();
    assert_eq!(changes[0].kind, FilesystemChangeKind::Modified);
    assert_eq!(changes[1].kind, FilesystemChangeKind::Unknown(7));
    let stats: Vec<_> = c.stats().try_collect().await.unwrap();
    assert_eq!(stats.len(), 2);
    assert_eq!((stats[0].memory_usage(), stats[0].memory_percent()), (Some(6), Some(6.0)));
    assert_eq!(stats[1].memory_usage(), Some(20));
    assert_eq!(stats[0].cpu_percent(), None, "no previous sample");
    let pruned = d.containers().prune(ContainerPruneFilters::new().until("1h").label("x=1")).await.unwrap();
    assert!(pruned.containers_deleted.is_empty() && pruned.space_reclaimed == 0);
}

#[tokio::test]
async fn a_malformed_inspect_names_the_field() {
    let mut server = server().await;
    let _m = server
        .mock("GET", "/v1.41/containers/web/json")
        .with_body(r#"{"Id":"abc","State":{"Status":"running","Pid":"not a number"}}"#)
        .create_async()
        .await;
    let err = client(&server, "1.41").containers().get("web").inspect().await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert!(err.to_string().contains("State.Pid"), "{err}");
}
