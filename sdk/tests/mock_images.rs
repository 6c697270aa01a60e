//! Request shapes and error paths of the image endpoints, against mockito
//! (never in place of the daemon: tests/images.rs, tests/build.rs and
//! tests/registry.rs use a real one).

mod common;

use common::{client, server};
use dockhand::api::{CommitOptions, PullOptions, PushOptions, SearchFilters, SearchOptions};
use dockhand::models::AuthConfig;
use dockhand::{Error, fold_progress};
use mockito::Matcher;

#[tokio::test]
async fn search_sends_term_limit_and_filters() {
    let mut server = server().await;
    let mock = server
        .mock("GET", "/v1.41/images/search")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("term".into(), "busybox".into()),
            Matcher::UrlEncoded("limit".into(), "5".into()),
            Matcher::UrlEncoded("filters".into(), r#"{"is-official":["true"],"stars":["3"]}"#.into()),
        ]))
        .with_body(
            r#"[{"name":"busybox","description":"tiny","is_official":true,"is_automated":false,"star_count":3000}]"#,
        )
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let found = docker
        .images()
        .search(SearchOptions::new("busybox").limit(5).filters(SearchFilters::new().is_official(true).stars(3)))
        .await
        .unwrap();
    assert_eq!(found[0].name, "busybox");
    assert!(found[0].is_official && found[0].star_count == 3000);
    mock.assert_async().await;
}

#[tokio::test]
async fn pull_stream_error_detail_is_an_error_and_progress_is_typed() {
    let mut server = server().await;
    let body = concat!(
        "{\"status\":\"Pulling from team/app\",\"id\":\"1\"}\r\n",
        "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":5,\"total\":10},\"id\":\"abc\"}\r\n",
        "{\"status\":\"Digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\"}\r\n",
        "{\"errorDetail\":{\"message\":\"toomanyrequests: rate limit\"},\"error\":\"toomanyrequests: rate limit\"}\r\n",
    );
    let mock = server
        .mock("POST", "/v1.41/images/create")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("fromImage".into(), "localhost:5000/team/app".into()),
            Matcher::UrlEncoded("tag".into(), "1".into()),
        ]))
        .match_header("x-registry-auth", Matcher::Regex("^[A-Za-z0-9_=-]+$".into()))
        .with_body(body)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let auth = AuthConfig::password("localhost:5000", "u", "+/+/secret");
    let mut currents = Vec::new();
    let err = fold_progress(docker.images().pull(PullOptions::new("localhost:5000/team/app:1").auth(auth)), |m| {
        currents.extend(m.progress_detail.and_then(|d| d.current));
    })
    .await
    .unwrap_err();
    assert_eq!(currents, [5]);
    assert!(matches!(&err, Error::Stream { message, .. } if message.contains("toomanyrequests")), "{err:?}");
    assert!(!format!("{err:?}").contains("secret"));
    mock.assert_async().await;
}

#[tokio::test]
async fn push_reports_the_digest_from_aux() {
    let mut server = server().await;
    let digest = format!("sha256:{}", "ab".repeat(32));
    let body = format!(
        "{{\"status\":\"The push refers to repository [localhost:5000/app]\"}}\n{{\"status\":\"1: digest: {digest} size: 527\"}}\n{{\"progressDetail\":{{}},\"aux\":{{\"Tag\":\"1\",\"Digest\":\"{digest}\",\"Size\":527}}}}\n"
    );
    let mock = server
        .mock("POST", "/v1.41/images/localhost:5000%2Fapp/push")
        .match_query(Matcher::UrlEncoded("tag".into(), "1".into()))
        .match_header("x-registry-auth", Matcher::Any)
        .with_body(body)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let out = fold_progress(docker.images().push(PushOptions::new("localhost:5000/app:1")), |_| {}).await.unwrap();
    assert_eq!(out.digest.as_deref(), Some(digest.as_str()));
    mock.assert_async().await;
}

#[tokio::test]
async fn commit_sends_config_and_returns_the_id() {
    let mut server = server().await;
    let mock = server
        .mock("POST", "/v1.41/commit")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("container".into(), "web".into()),
            Matcher::UrlEncoded("repo".into(), "snap".into()),
            Matcher::UrlEncoded("tag".into(), "2".into()),
            Matcher::UrlEncoded("changes".into(), "ENV A=b".into()),
        ]))
        .match_body(Matcher::Json(serde_json::json!({"Labels": {"dockhand.test": "1"}})))
        .with_status(201)
        .with_body(r#"{"Id":"sha256:1234"}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let opts = CommitOptions::new("web")
        .reference("snap:2")
        .change("ENV A=b")
        .config(serde_json::json!({"Labels": {"dockhand.test": "1"}}));
    assert_eq!(docker.images().commit(opts).await.unwrap(), "sha256:1234");
    mock.assert_async().await;
}

#[tokio::test]
async fn attestations_on_a_new_daemon_and_errors_on_a_missing_image() {
    let mut server = server().await;
    let attest = server
        .mock("GET", "/v1.56/images/app/attestations")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("type".into(), "https://slsa.dev/provenance/v0.2".into()),
            Matcher::UrlEncoded("statement".into(), "1".into()),
        ]))
        .with_body(r#"[{"Descriptor":{"mediaType":"application/vnd.in-toto+json","digest":"sha256:aa","size":3},"PredicateType":"https://slsa.dev/provenance/v0.2","Statement":{"_type":"x"}}]"#)
        .create_async()
        .await;
    let missing = server
        .mock("GET", "/v1.56/images/gone/json")
        .with_status(404)
        .with_body(r#"{"message":"No such image: gone"}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.56");
    let statements = docker
        .images()
        .get("app")
        .attestations(
            dockhand::api::AttestationOptions::new().predicate_type("https://slsa.dev/provenance/v0.2").statement(true),
        )
        .await
        .unwrap();
    assert_eq!(statements[0].predicate_type, "https://slsa.dev/provenance/v0.2");
    assert!(statements[0].statement.is_some());
    let err = docker.images().get("gone").inspect().await.unwrap_err();
    assert!(err.is_not_found() && err.to_string().contains("No such image: gone"), "{err}");
    attest.assert_async().await;
    missing.assert_async().await;
}

#[tokio::test]
async fn truncated_and_malformed_progress_streams_fail_cleanly() {
    let mut server = server().await;
    let _m = server
        .mock("POST", "/v1.41/images/load")
        .with_body("{\"stream\":\"Loaded image: a:1\\n\"}\n{\"stream\":\"Loaded im")
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let err = fold_progress(docker.images().load(b"tar".to_vec().into()), |_| {}).await.unwrap_err();
    assert!(matches!(err, Error::Stream { .. } | Error::Decode(_)), "{err:?}");
}
