//! Swarm, nodes, services, tasks, secrets and configs with a mock daemon:
//! request shapes the real-daemon test cannot show (join, node removal,
//! registry credentials, rollback) and error paths.

mod common;

use common::{client, server};
use dockhand::api::{ServiceUpdateOptions, SwarmLogsOptions};
use dockhand::models::{AuthConfig, ContainerSpec, ObjectVersion, ServiceSpec, SwarmJoinRequest};
use dockhand::stream::StdStream;
use futures::TryStreamExt;
use mockito::Matcher;

#[tokio::test]
async fn join_sends_the_token_but_never_shows_it() {
    let mut server = server().await;
    let join = server
        .mock("POST", "/v1.41/swarm/join")
        .match_body(Matcher::PartialJsonString(
            r#"{"ListenAddr":"127.0.0.1:2377","RemoteAddrs":["127.0.0.1:2378"],"JoinToken":"SWMTKN-1-abc"}"#.into(),
        ))
        .with_status(503)
        .with_body(r#"{"message":"Timeout was reached before node joined. SWMTKN is not echoed by real daemons"}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let req = SwarmJoinRequest::new("127.0.0.1:2377", ["127.0.0.1:2378"], "SWMTKN-1-abc");
    assert!(!format!("{req:?}").contains("SWMTKN-1-abc"));
    let err = docker.swarm().join(req).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    join.assert_async().await;
}

#[tokio::test]
async fn not_a_manager_is_a_typed_error_with_a_hint() {
    let mut server = server().await;
    server
        .mock("GET", "/v1.41/services")
        .with_status(503)
        .with_body(r#"{"message":"This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again."}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let err = docker.services().list(Default::default()).await.unwrap_err();
    assert!(err.is_server_error());
    assert!(err.api().unwrap().hint.as_deref().is_some_and(|h| h.contains("swarm init")), "{err}");
}

#[tokio::test]
async fn service_update_with_credentials_and_rollback() {
    let mut server = server().await;
    let update = server
        .mock("POST", "/v1.41/services/web/update")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("version".into(), "42".into()),
            Matcher::UrlEncoded("rollback".into(), "previous".into()),
            Matcher::UrlEncoded("registryAuthFrom".into(), "spec".into()),
        ]))
        .match_header("x-registry-auth", Matcher::Any)
        .match_body(Matcher::PartialJsonString(
            r#"{"Name":"web","TaskTemplate":{"ContainerSpec":{"Image":"busybox"}}}"#.into(),
        ))
        .with_body(r#"{"Warnings":["image busybox could not be accessed on a registry to record its digest"]}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let answer = docker
        .services()
        .get("web")
        .update(
            ObjectVersion::new(42),
            ServiceSpec::new("web", ContainerSpec::new("busybox")),
            ServiceUpdateOptions::new()
                .rollback(true)
                .registry_auth_from("spec")
                .auth(AuthConfig::password("r", "u", "p")),
        )
        .await
        .unwrap();
    assert_eq!(answer.warnings.len(), 1);
    update.assert_async().await;
}

#[tokio::test]
async fn stale_version_and_missing_objects() {
    let mut server = server().await;
    server
        .mock("POST", "/v1.41/nodes/n1/update")
        .match_query(Matcher::UrlEncoded("version".into(), "1".into()))
        .with_status(500)
        .with_body(r#"{"message":"rpc error: code = Unknown desc = update out of sequence"}"#)
        .create_async()
        .await;
    server
        .mock("DELETE", "/v1.41/nodes/n2")
        .match_query(Matcher::UrlEncoded("force".into(), "true".into()))
        .with_status(404)
        .with_body(r#"{"message":"node n2 not found"}"#)
        .create_async()
        .await;
    server
        .mock("GET", "/v1.41/tasks/t1")
        .with_status(404)
        .with_body(r#"{"message":"no such task"}"#)
        .create_async()
        .await;
    server
        .mock("DELETE", "/v1.41/secrets/s1")
        .with_status(400)
        .with_body(r#"{"message":"secret 's1' is in use by the following service: web"}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let err = docker.nodes().get("n1").update(ObjectVersion::new(1), Default::default()).await.unwrap_err();
    assert!(err.to_string().contains("out of sequence"), "{err}");
    assert!(
        docker
            .nodes()
            .get("n2")
            .remove_with(dockhand::api::NodeRemoveOptions::new().force(true))
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(docker.tasks().get("t1").inspect().await.unwrap_err().is_not_found());
    assert!(docker.secrets().get("s1").remove().await.unwrap_err().is_bad_request());
    // Ids that would leave their path segment never reach the daemon.
    for bad in ["..", "a/../b", ""] {
        let err = docker.services().get(bad).inspect().await.unwrap_err();
        assert!(matches!(err, dockhand::Error::InvalidInput { .. }), "{bad:?}: {err:?}");
    }
}

#[tokio::test]
async fn task_logs_request_and_truncated_bodies() {
    let mut server = server().await;
    let logs = server
        .mock("GET", "/v1.41/tasks/t1/logs")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("stdout".into(), "1".into()),
            Matcher::UrlEncoded("stderr".into(), "1".into()),
            Matcher::UrlEncoded("tail".into(), "5".into()),
        ]))
        .with_header("content-type", "application/vnd.docker.multiplexed-stream")
        .with_body(b"\x01\x00\x00\x00\x00\x00\x00\x03hi\n".as_slice())
        .create_async()
        .await;
    server.mock("GET", "/v1.41/swarm").with_body(r#"{"ID":"abc","Version":{"Index":"#).create_async().await;
    let docker = client(&server, "1.41");
    let items: Vec<_> = docker.tasks().get("t1").logs(SwarmLogsOptions::both().tail(5)).try_collect().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].stream, &items[0].data[..]), (StdStream::Stdout, &b"hi\n"[..]));
    logs.assert_async().await;
    // Nothing selected: refused before sending.
    let err = docker.tasks().get("t1").logs(SwarmLogsOptions::new()).try_collect::<Vec<_>>().await.unwrap_err();
    assert!(matches!(err, dockhand::Error::InvalidInput { .. }));
    assert!(docker.swarm().inspect().await.unwrap_err().is_decode());
}

#[tokio::test]
async fn an_unlabelled_log_stream_is_framed_by_the_services_tty() {
    // Before API 1.42 the daemon labels every log body raw: the service's
    // TTY setting decides, read by one inspect.
    let mut server = server().await;
    let inspect = server
        .mock("GET", "/v1.41/services/tty-svc")
        .with_body(
            r#"{"ID":"tty-svc","Spec":{"Name":"tty-svc","TaskTemplate":{"ContainerSpec":{"Image":"i","TTY":true}}}}"#,
        )
        .expect(1)
        .create_async()
        .await;
    server
        .mock("GET", "/v1.41/services/tty-svc/logs")
        .match_query(Matcher::Any)
        .with_header("content-type", "application/vnd.docker.raw-stream")
        .with_body("console text\n")
        .create_async()
        .await;
    server
        .mock("GET", "/v1.41/services/plain/logs")
        .match_query(Matcher::Any)
        .with_header("content-type", "application/vnd.docker.raw-stream")
        .with_body(b"\x02\x00\x00\x00\x00\x00\x00\x04err\n".as_slice())
        .create_async()
        .await;
    server
        .mock("GET", "/v1.41/services/plain")
        .with_body(r#"{"ID":"plain","Spec":{"TaskTemplate":{"ContainerSpec":{"Image":"i"}}}}"#)
        .create_async()
        .await;
    // A frame header that announces more than the body holds.
    server
        .mock("GET", "/v1.41/services/cut/logs")
        .match_query(Matcher::Any)
        .with_header("content-type", "application/vnd.docker.multiplexed-stream")
        .with_body(b"\x01\x00\x00\x00\xff\xff\xff\xffshort".as_slice())
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let items: Vec<_> = docker.services().get("tty-svc").logs(SwarmLogsOptions::both()).try_collect().await.unwrap();
    assert_eq!(items[0].stream, StdStream::Console);
    assert_eq!(items.iter().map(|o| o.text().into_owned()).collect::<String>(), "console text\n");
    inspect.assert_async().await;
    let items: Vec<_> = docker.services().get("plain").logs(SwarmLogsOptions::both()).try_collect().await.unwrap();
    assert_eq!((items[0].stream, &items[0].data[..]), (StdStream::Stderr, &b"err\n"[..]));
    let err = docker.services().get("cut").logs(SwarmLogsOptions::both()).try_collect::<Vec<_>>().await.unwrap_err();
    assert!(matches!(err, dockhand::Error::Stream { .. }), "a truncated frame is a stream error: {err:?}");
}
