//! mockito tests of the foundation over the TCP transport: request shapes of
//! the system endpoints, version negotiation, every error mapping, and
//! malformed bodies.
//!
//! These check what goes on the wire and how answers are mapped; that the
//! endpoints work against a daemon is `tests/system.rs`'s job.

mod common;

use common::{address, client, negotiating, ping_mock, server};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dockhand::Timestamp;
use dockhand::api::{DfOptions, DfType, EventFilters, EventsOptions};
use dockhand::config::{EndpointSource, Environment, resolve_endpoint};
use dockhand::models::{AuthConfig, EventType, LocalNodeState};
use dockhand::{ApiErrorKind, ApiVersion, Docker, Error};
use futures::{StreamExt, TryStreamExt};
use mockito::Matcher;

const VERSION_JSON: &str =
    r#"{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}"#;

#[tokio::test]
async fn negotiates_lazily_once_and_sends_versioned_paths_with_our_headers() {
    let mut server = server().await;
    let ping = ping_mock(&mut server, Some("1.41"), 1).await;
    let version = server
        .mock("GET", "/v1.41/version")
        .match_header("user-agent", dockhand::USER_AGENT)
        .match_header("user-agent", Matcher::Regex(r"^dockhand/\d+\.\d+\.\d+".into()))
        .match_header("host", server.host_with_port().as_str())
        // No body, so no content type.
        .match_header("content-type", Matcher::Missing)
        .with_header("content-type", "application/json")
        .with_body(VERSION_JSON)
        .expect(2)
        .create_async()
        .await;

    let docker = negotiating(&server);
    // Building the client sends nothing.
    assert!(!ping.matched_async().await, "the client pinged before the first call");

    let v = docker.version().await.unwrap();
    assert_eq!((v.version.as_str(), v.api_version.as_str(), v.os.as_str()), ("20.10.24", "1.41", "linux"));
    docker.version().await.unwrap();
    assert_eq!(docker.api_version().await.unwrap(), ApiVersion::MIN);
    // A clone shares the negotiated version.
    assert_eq!(docker.clone().api_version().await.unwrap(), ApiVersion::MIN);
    ping.assert_async().await;
    version.assert_async().await;
}

#[tokio::test]
async fn a_newer_daemon_is_spoken_to_in_our_newest_version() {
    let mut server = server().await;
    let ping = ping_mock(&mut server, Some("1.60"), 1).await;
    let info = server.mock("GET", "/v1.56/info").with_body(r#"{"ID":"x","Containers":2}"#).create_async().await;
    let docker = negotiating(&server);
    assert_eq!(docker.info().await.unwrap().containers, 2);
    assert_eq!(docker.api_version().await.unwrap(), ApiVersion::MAX);
    ping.assert_async().await;
    info.assert_async().await;
}

#[tokio::test]
async fn a_ping_without_api_version_falls_back_to_the_oldest() {
    let mut server = server().await;
    let ping = ping_mock(&mut server, None, 1).await;
    let info = server.mock("GET", "/v1.41/info").with_body("{}").create_async().await;
    negotiating(&server).info().await.unwrap();
    ping.assert_async().await;
    info.assert_async().await;
}

#[tokio::test]
async fn twenty_concurrent_first_calls_share_one_ping() {
    let mut server = server().await;
    let ping = ping_mock(&mut server, Some("1.43"), 1).await;
    let version = server.mock("GET", "/v1.43/version").with_body(VERSION_JSON).expect(20).create_async().await;
    let docker = negotiating(&server);
    // All twenty are polled before the ping can answer: they race for the
    // negotiation.
    let calls = (0..20).map(|_| {
        let docker = docker.clone();
        async move { docker.version().await }
    });
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    ping.assert_async().await;
    version.assert_async().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_first_calls_on_several_threads_share_one_ping() {
    let mut server = server().await;
    let ping = ping_mock(&mut server, Some("1.41"), 1).await;
    let info = server.mock("GET", "/v1.41/info").with_body("{}").expect(20).create_async().await;
    let docker = negotiating(&server);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let docker = docker.clone();
            tokio::spawn(async move { docker.info().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    ping.assert_async().await;
    info.assert_async().await;
}

#[tokio::test]
async fn a_pinned_version_sends_no_ping() {
    let mut server = server().await;
    let ping = ping_mock(&mut server, Some("1.41"), 0).await;
    let version = server.mock("GET", "/v1.43/version").with_body(VERSION_JSON).create_async().await;
    let docker = client(&server, "1.43");
    docker.version().await.unwrap();
    assert_eq!(docker.api_version().await.unwrap(), ApiVersion::new(1, 43));
    ping.assert_async().await;
    version.assert_async().await;
}

/// An environment with only the variables given, and no files.
struct FakeEnv(HashMap<&'static str, String>);

impl Environment for FakeEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
    fn read(&self, _path: &Path) -> std::io::Result<Vec<u8>> {
        Err(std::io::ErrorKind::NotFound.into())
    }
    fn home(&self) -> Option<PathBuf> {
        None
    }
}

#[tokio::test]
async fn docker_api_version_pins_without_a_ping() {
    let mut server = server().await;
    let ping = ping_mock(&mut server, Some("1.41"), 0).await;
    let info = server.mock("GET", "/v1.44/info").with_body("{}").create_async().await;
    let env = FakeEnv(HashMap::from([("DOCKER_HOST", address(&server)), ("DOCKER_API_VERSION", "1.44".to_owned())]));
    let endpoint = resolve_endpoint(&env).unwrap();
    assert_eq!(endpoint.source, EndpointSource::DockerHost);
    let docker = Docker::builder().endpoint(endpoint).build().unwrap();
    docker.info().await.unwrap();
    ping.assert_async().await;
    info.assert_async().await;
}

#[tokio::test]
async fn an_old_daemon_is_refused_and_the_refusal_is_not_cached() {
    let mut server = server().await;
    let old = ping_mock(&mut server, Some("1.40"), 1).await;
    let docker = negotiating(&server);
    let err = docker.version().await.unwrap_err();
    match &err {
        Error::UnsupportedVersion { version, .. } => assert_eq!(version, "1.40"),
        other => panic!("expected UnsupportedVersion, got {other:?}"),
    }
    assert!(err.to_string().contains("1.41"), "says what is needed: {err}");
    old.assert_async().await;
    old.remove_async().await;

    // The daemon was upgraded: the next call negotiates again.
    let new = ping_mock(&mut server, Some("1.41"), 1).await;
    let version = server.mock("GET", "/v1.41/version").with_body(VERSION_JSON).create_async().await;
    docker.version().await.unwrap();
    new.assert_async().await;
    version.assert_async().await;
}

#[tokio::test]
async fn a_failed_ping_is_an_api_error_and_is_not_cached() {
    let mut server = server().await;
    let sick = server
        .mock("GET", "/_ping")
        .with_status(500)
        .with_header("content-type", "application/json")
        .with_body(r#"{"message":"daemon is shutting down"}"#)
        .expect(1)
        .create_async()
        .await;
    let docker = negotiating(&server);
    let err = docker.version().await.unwrap_err();
    assert!(err.is_server_error(), "{err:?}");
    let api = err.api().unwrap();
    assert_eq!((api.status, api.message.as_str()), (500, "daemon is shutting down"));
    assert_eq!((api.method.as_str(), api.path.as_str()), ("GET", "/_ping"));
    sick.assert_async().await;
    sick.remove_async().await;

    let ping = ping_mock(&mut server, Some("1.41"), 1).await;
    let version = server.mock("GET", "/v1.41/version").with_body(VERSION_JSON).create_async().await;
    docker.version().await.unwrap();
    ping.assert_async().await;
    version.assert_async().await;
}

#[tokio::test]
async fn ping_reads_every_header_without_negotiating() {
    let mut server = server().await;
    let head = server
        .mock("HEAD", "/_ping")
        .with_header("Api-Version", "1.41")
        .with_header("OSType", "linux")
        .with_header("Docker-Experimental", "true")
        .with_header("Builder-Version", "2")
        .with_header("Swarm", "active/manager")
        .expect(1)
        .create_async()
        .await;
    let ping = negotiating(&server).ping_head().await.unwrap();
    assert_eq!(ping.api_version.as_deref(), Some("1.41"));
    assert_eq!(ping.os_type.as_deref(), Some("linux"));
    assert!(ping.experimental);
    assert_eq!(ping.builder_version.as_deref(), Some("2"));
    let swarm = ping.swarm.unwrap();
    assert_eq!((swarm.state, swarm.manager), (LocalNodeState::Active, true));
    head.assert_async().await;
}

#[tokio::test]
async fn every_error_status_maps_to_its_kind() {
    type Predicate = fn(&Error) -> bool;
    let cases: [(usize, Predicate, ApiErrorKind); 7] = [
        (400, Error::is_bad_request, ApiErrorKind::BadRequest),
        (401, Error::is_unauthorized, ApiErrorKind::Unauthorized),
        (403, Error::is_forbidden, ApiErrorKind::Forbidden),
        (404, Error::is_not_found, ApiErrorKind::NotFound),
        (409, Error::is_conflict, ApiErrorKind::Conflict),
        (500, Error::is_server_error, ApiErrorKind::ServerError),
        (503, Error::is_server_error, ApiErrorKind::ServerError),
    ];
    let all: [Predicate; 6] = [
        Error::is_bad_request,
        Error::is_unauthorized,
        Error::is_forbidden,
        Error::is_not_found,
        Error::is_conflict,
        Error::is_server_error,
    ];
    let mut server = server().await;
    let docker = client(&server, "1.41");
    for (status, predicate, kind) in cases {
        let message = format!("daemon says {status}");
        let mock = server
            .mock("GET", "/v1.41/info")
            .with_status(status)
            .with_header("content-type", "application/json")
            .with_body(format!(r#"{{"message":"{message}"}}"#))
            .create_async()
            .await;
        let err = docker.info().await.unwrap_err();
        assert!(predicate(&err), "{status}: {err:?}");
        assert_eq!(all.iter().filter(|p| p(&err)).count(), 1, "{status}: exactly one predicate holds");
        assert_eq!(err.status(), Some(status as u16));
        assert_eq!(err.api_kind(), Some(kind));
        let api = err.api().unwrap();
        assert_eq!(api.message, message);
        assert_eq!((api.method.as_str(), api.path.as_str()), ("GET", "/v1.41/info"));
        let text = err.to_string();
        assert!(text.contains(&message) && text.contains("GET /v1.41/info"), "{text}");
        assert!(!err.is_connect() && !err.is_timeout() && !err.is_decode());
        mock.remove_async().await;
    }
}

#[tokio::test]
async fn plain_text_and_empty_error_bodies() {
    let mut server = server().await;
    let docker = client(&server, "1.41");
    let plain = server
        .mock("GET", "/v1.41/version")
        .with_status(502)
        .with_header("content-type", "text/plain")
        .with_body("bad gateway from the proxy\n")
        .create_async()
        .await;
    let err = docker.version().await.unwrap_err();
    assert!(err.is_server_error(), "{err:?}");
    assert_eq!(err.api().unwrap().message, "bad gateway from the proxy");
    plain.remove_async().await;

    let empty = server.mock("GET", "/v1.41/version").with_status(404).create_async().await;
    let err = docker.version().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.api().unwrap().message, "Not Found");
    empty.remove_async().await;

    // JSON without a message: the body is the message.
    let odd = server.mock("GET", "/v1.41/version").with_status(409).with_body(r#"{"error":"x"}"#).create_async().await;
    let err = docker.version().await.unwrap_err();
    assert!(err.is_conflict());
    assert_eq!(err.api().unwrap().message, r#"{"error":"x"}"#);
    odd.remove_async().await;

    // A status outside the named classes.
    let teapot = server.mock("GET", "/v1.41/version").with_status(418).create_async().await;
    let err = docker.version().await.unwrap_err();
    assert_eq!(err.api_kind(), Some(ApiErrorKind::Other));
    assert_eq!(err.status(), Some(418));
    teapot.remove_async().await;
}

#[tokio::test]
async fn a_huge_error_body_gives_a_bounded_message() {
    let mut server = server().await;
    let docker = client(&server, "1.41");
    let huge = format!(r#"{{"message":"{}"}}"#, "x".repeat(4 * 1024 * 1024));
    let _m = server.mock("GET", "/v1.41/info").with_status(500).with_body(huge).create_async().await;
    let err = docker.info().await.unwrap_err();
    assert!(err.is_server_error());
    // Only ERROR_BODY_LIMIT bytes were read, so the JSON was cut and the
    // message is an excerpt of the text.
    let message = &err.api().unwrap().message;
    assert!(message.len() <= 1024 + '…'.len_utf8(), "{} bytes", message.len());
    assert!(message.starts_with(r#"{"message":"xxx"#), "{message:.40}");
    // The connection was given up, not left half-read: the next call works.
    let _ok = server.mock("GET", "/v1.41/version").with_body(VERSION_JSON).create_async().await;
    docker.version().await.unwrap();
}

#[tokio::test]
async fn errors_of_other_endpoints_carry_their_method_and_path() {
    let mut server = server().await;
    let docker = client(&server, "1.41");
    let _auth = server
        .mock("POST", "/v1.41/auth")
        .with_status(401)
        .with_body(r#"{"message":"login attempt to http://localhost:5000/v2/ failed with status: 401 Unauthorized"}"#)
        .create_async()
        .await;
    let err = docker.auth(&AuthConfig::password("localhost:5000", "u", "p")).await.unwrap_err();
    assert!(err.is_unauthorized());
    let api = err.api().unwrap();
    assert_eq!((api.method.as_str(), api.path.as_str()), ("POST", "/v1.41/auth"));
    assert!(api.hint.as_deref().unwrap_or("").contains("docker login"), "{err}");

    let _events = server
        .mock("GET", "/v1.41/events")
        .match_query(Matcher::Any)
        .with_status(400)
        .with_body(r#"{"message":"invalid filter 'colour'"}"#)
        .create_async()
        .await;
    let mut events = docker.events(EventsOptions::new().filters(EventFilters::new().other("colour", "red")));
    let err = events.next().await.unwrap().unwrap_err();
    assert!(err.is_bad_request(), "{err:?}");
    assert_eq!(err.api().unwrap().path, "/v1.41/events");
    assert!(events.next().await.is_none(), "the stream ends after its error");

    let _df = server.mock("GET", "/v1.41/system/df").with_status(503).create_async().await;
    let err = docker.df(DfOptions::new()).await.unwrap_err();
    assert!(err.is_server_error());
    assert_eq!(err.api().unwrap().message, "Service Unavailable");
}

#[tokio::test]
async fn events_query_has_filters_json_and_since_until_as_seconds_dot_nanos() {
    let mut server = server().await;
    let since = Timestamp::from_unix_timestamp_nanos(1_700_000_000_000_000_000).unwrap();
    let until = Timestamp::from_unix_timestamp_nanos(1_700_000_060_500_000_000).unwrap();
    let body = concat!(
        r#"{"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"web"}},"scope":"local","time":1700000001,"timeNano":1700000001000000042}"#,
        "\n",
        r#"{"Type":"sandbox","Action":"poke","Actor":{"ID":"s1","Attributes":null},"time":1700000002,"timeNano":1700000002000000000,"NewField":[1]}"#,
        "\n"
    );
    let events = server
        .mock("GET", "/v1.41/events")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("since".into(), "1700000000.000000000".into()),
            Matcher::UrlEncoded("until".into(), "1700000060.500000000".into()),
            Matcher::UrlEncoded(
                "filters".into(),
                r#"{"event":["start"],"label":["app=web"],"type":["container"]}"#.into(),
            ),
        ]))
        .with_header("content-type", "application/json")
        .with_body(body)
        .expect(1)
        .create_async()
        .await;
    let opts = EventsOptions::new()
        .since(since)
        .until(until)
        .filters(EventFilters::new().event_type(EventType::Container).event("start").label("app=web"));
    let got: Vec<_> = client(&server, "1.41").events(opts).try_collect().await.unwrap();
    events.assert_async().await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].typ, EventType::Container);
    assert_eq!((got[0].action.as_str(), got[0].actor.id.as_str()), ("start", "abc"));
    assert_eq!(got[0].actor.attributes["name"], "web");
    assert_eq!(got[0].timestamp().unwrap().nanosecond(), 42);
    assert_eq!(got[1].typ, EventType::Unknown("sandbox".into()), "an unknown type is kept, not an error");
    assert!(got[1].actor.attributes.is_empty());
}

#[tokio::test]
async fn df_sends_newer_parameters_only_to_newer_daemons() {
    let mut server = server().await;
    let old = server.mock("GET", "/v1.41/system/df").with_body(r#"{"LayersSize":1}"#).expect(1).create_async().await;
    let new = server
        .mock("GET", "/v1.52/system/df")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("type".into(), "image".into()),
            Matcher::UrlEncoded("verbose".into(), "1".into()),
        ]))
        .with_body(r#"{"ImageUsage":{"TotalCount":3,"Items":null}}"#)
        .expect(1)
        .create_async()
        .await;
    let opts = DfOptions::new().types([DfType::Image]).verbose(true);
    // mockito matches the whole path and query when none is given: the old
    // daemon's request must have no query at all.
    assert_eq!(client(&server, "1.41").df(opts.clone()).await.unwrap().layers_size, Some(1));
    let docker = client(&server, "1.52");
    assert_eq!(docker.df(opts).await.unwrap().image_usage.unwrap().total_count, 3);
    old.assert_async().await;
    new.assert_async().await;
}

#[tokio::test]
async fn auth_posts_json_with_the_apis_field_names() {
    let mut server = server().await;
    let body = r#"{"username":"alice","password":"s3cret","serveraddress":"localhost:5000"}"#;
    let auth = server
        .mock("POST", "/v1.41/auth")
        .match_header("content-type", "application/json")
        .match_header("content-length", body.len().to_string().as_str())
        .match_header("user-agent", dockhand::USER_AGENT)
        .match_body(Matcher::JsonString(body.into()))
        .with_header("content-type", "application/json")
        .with_body(r#"{"Status":"Login Succeeded","IdentityToken":"tok"}"#)
        .expect(1)
        .create_async()
        .await;
    let answer =
        client(&server, "1.41").auth(&AuthConfig::password("localhost:5000", "alice", "s3cret")).await.unwrap();
    assert_eq!(answer.status, "Login Succeeded");
    assert_eq!(answer.identity_token.as_deref(), Some("tok"));
    assert!(!format!("{answer:?}").contains("tok\""), "the token is redacted in Debug: {answer:?}");
    auth.assert_async().await;

    let token = server
        .mock("POST", "/v1.41/auth")
        .match_body(Matcher::JsonString(r#"{"serveraddress":"r.example","identitytoken":"refresh"}"#.into()))
        .with_body(r#"{"Status":"Login Succeeded"}"#)
        .expect(1)
        .create_async()
        .await;
    client(&server, "1.41").auth(&AuthConfig::identity_token("r.example", "refresh")).await.unwrap();
    token.assert_async().await;
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_with_path_and_excerpt() {
    let mut server = server().await;
    let docker = client(&server, "1.41");
    let _m =
        server.mock("GET", "/v1.41/version").with_body("{\"Version\": oops, \"Os\":\"linux\"}").create_async().await;
    let err = docker.version().await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("expected Decode, got {err:?}") };
    assert_eq!(d.context, "GET /v1.41/version");
    assert_eq!(d.json_path, "Version");
    assert!(d.message.contains("expected value"), "{}", d.message);
    assert!(d.excerpt.starts_with("{\"Version\": oops"), "{:?}", d.excerpt);
    assert!(err.to_string().contains("GET /v1.41/version"), "{err}");

    let _m = server.mock("GET", "/v1.41/info").with_body("<html>proxy error</html>").create_async().await;
    let err = docker.info().await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("expected Decode, got {err:?}") };
    assert_eq!(d.json_path, ".");
    assert_eq!(d.excerpt, "<html>proxy error</html>");
}

#[tokio::test]
async fn a_wrong_type_deep_inside_names_its_json_path() {
    let mut server = server().await;
    let docker = client(&server, "1.41");
    let _m = server
        .mock("GET", "/v1.41/info")
        .with_body(r#"{"ID":"x","Containers":1,"Swarm":{"NodeID":"n","Nodes":"many"}}"#)
        .create_async()
        .await;
    let err = docker.info().await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("expected Decode, got {err:?}") };
    assert_eq!(d.json_path, "Swarm.Nodes");
    assert!(d.message.contains("invalid type"), "{}", d.message);
    // serde_json's position is in the message too.
    assert!(d.message.contains("line 1 column 61"), "{}", d.message);

    let _m = server
        .mock("GET", "/v1.41/system/df")
        .with_body(r#"{"Images":[{"Id":"a"},{"Id":"b","Size":"big"}]}"#)
        .create_async()
        .await;
    let err = docker.df(DfOptions::new()).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("expected Decode, got {err:?}") };
    assert_eq!(d.json_path, "Images[1].Size");
}

#[tokio::test]
async fn an_event_stream_ending_inside_an_object_is_a_stream_error() {
    let mut server = server().await;
    let _m = server
        .mock("GET", "/v1.41/events")
        .with_body("{\"Type\":\"image\",\"Action\":\"tag\",\"Actor\":{\"ID\":\"i\"},\"time\":1}\n{\"Type\":\"contai")
        .create_async()
        .await;
    let items: Vec<_> = client(&server, "1.41").events(EventsOptions::new()).collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().typ, EventType::Image);
    let err = items[1].as_ref().unwrap_err();
    assert!(matches!(err, Error::Stream { .. }), "{err:?}");
    assert!(err.to_string().contains("ended inside"), "{err}");
}

#[tokio::test]
async fn a_malformed_event_is_an_error_and_a_mistyped_one_is_skipped() {
    let mut server = server().await;
    let _m = server
        .mock("GET", "/v1.41/events")
        .with_body("{\"Type\":\"image\",\"time\":\"soon\"}\n{\"Type\":\"volume\",\"time\":3}\n")
        .create_async()
        .await;
    let items: Vec<_> = client(&server, "1.41").events(EventsOptions::new()).collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    let Err(Error::Decode(d)) = &items[0] else { panic!("{:?}", items[0]) };
    assert_eq!(d.json_path, "time");
    assert_eq!(items[1].as_ref().unwrap().typ, EventType::Volume);

    let mut server2 = self::server().await;
    let _m = server2.mock("GET", "/v1.41/events").with_body("{\"Type\":\"image\"}\n]]garbage[[\n").create_async().await;
    let items: Vec<_> = client(&server2, "1.41").events(EventsOptions::new()).collect().await;
    assert!(items[0].is_ok());
    assert!(matches!(items[1], Err(Error::Stream { .. })), "{items:?}");
}

#[tokio::test]
async fn an_unreadable_api_version_is_an_unsupported_version_naming_it() {
    let mut server = server().await;
    let ping = ping_mock(&mut server, Some("latest"), 1).await;
    let err = negotiating(&server).version().await.unwrap_err();
    match &err {
        Error::UnsupportedVersion { version, reason } => {
            assert_eq!(version, "latest");
            assert!(reason.contains("Api-Version"), "{reason}");
        }
        other => panic!("expected UnsupportedVersion, got {other:?}"),
    }
    ping.assert_async().await;
}

/// Go writes a nil struct pointer as `null` (Podman's `system df` sends
/// `"NetworkSettings": null` for each container): every model reads it as
/// its defaults, as it reads `{}`.
#[tokio::test]
async fn null_for_an_object_decodes_as_its_defaults() {
    let mut server = server().await;
    let _m = server
        .mock("GET", "/v1.41/system/df")
        .with_body(
            r#"{"LayersSize":7,"Images":null,"Containers":[{"Id":"c1","Names":["/web"],"NetworkSettings":null,
                "HostConfig":null,"Mounts":null,"Ports":null,"Labels":null}],"Volumes":[{"Name":"v","UsageData":null}],
                "BuildCache":null}"#,
        )
        .create_async()
        .await;
    let df = client(&server, "1.41").df(DfOptions::new()).await.unwrap();
    assert_eq!(df.layers_size, Some(7));
    let containers = df.containers.unwrap();
    assert_eq!(containers.len(), 1);
    assert_eq!(containers[0].id, "c1");
    assert!(containers[0].network_settings.networks.is_empty());
    assert_eq!(df.volumes.unwrap()[0].name, "v");
}
