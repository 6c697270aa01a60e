//! What dockhand traces: one event per request attempt with method, path,
//! status and duration, and never a credential.
//!
//! A small capturing `tracing` subscriber records every span and event of
//! every target (hyper's included) on the test's thread; the tests run on a
//! current-thread runtime so the connection tasks run there too.

mod common;

use common::negotiating;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dockhand::models::AuthConfig;
use dockhand::{Docker, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// One captured span or event: its target and fields, as text.
#[derive(Debug, Clone)]
struct Captured {
    target: String,
    fields: Vec<(String, String)>,
}

impl Captured {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Default)]
struct Capture {
    records: Arc<Mutex<Vec<Captured>>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Capture {
    fn push(&self, meta: &Metadata<'_>, visit: impl FnOnce(&mut Fields<'_>)) {
        let mut fields = Vec::new();
        visit(&mut Fields(&mut fields));
        fields.push(("<name>".into(), meta.name().to_owned()));
        self.records.lock().unwrap().push(Captured { target: meta.target().to_owned(), fields });
    }

    fn all(&self) -> Vec<Captured> {
        self.records.lock().unwrap().clone()
    }

    /// dockhand's per-attempt events (`docker request`, `docker request
    /// failed`).
    fn requests(&self) -> Vec<Captured> {
        self.all()
            .into_iter()
            .filter(|c| c.target.starts_with("dockhand"))
            .filter(|c| c.field("message").is_some_and(|m| m.starts_with("docker request")))
            .collect()
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        self.push(attrs.metadata(), |f| attrs.record(f));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _span: &Id, values: &Record<'_>) {
        let mut fields = Vec::new();
        values.record(&mut Fields(&mut fields));
        self.records.lock().unwrap().push(Captured { target: "<span record>".into(), fields });
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.push(event.metadata(), |f| event.record(f));
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

#[tokio::test]
async fn each_request_is_one_event_with_method_path_status_and_duration() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let mut server = mockito::Server::new_async().await;
    let _ping = server.mock("GET", "/_ping").with_header("Api-Version", "1.41").create_async().await;
    let _version = server.mock("GET", "/v1.41/version").with_body("{}").create_async().await;
    let _info = server.mock("GET", "/v1.41/info").with_status(404).create_async().await;
    let docker = negotiating(&server);
    docker.version().await.unwrap();
    assert!(docker.info().await.unwrap_err().is_not_found());

    let requests = capture.requests();
    let summary: Vec<_> = requests
        .iter()
        .map(|r| (r.field("method").unwrap_or(""), r.field("path").unwrap_or(""), r.field("status").unwrap_or("")))
        .collect();
    assert_eq!(summary, [("GET", "/_ping", "200"), ("GET", "/v1.41/version", "200"), ("GET", "/v1.41/info", "404")]);
    for r in &requests {
        let ms: f64 = r.field("elapsed_ms").expect("a duration").parse().unwrap();
        assert!(ms >= 0.0, "{r:?}");
    }
    // The negotiation says what it chose.
    assert!(
        capture.all().iter().any(|c| c.target.starts_with("dockhand") && c.field("version") == Some("1.41")),
        "no negotiation event"
    );
}

#[tokio::test]
async fn attempts_are_traced_so_retries_can_be_counted() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let port = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let host = format!("tcp://127.0.0.1:{port}");
    let builder = || Docker::builder().host(&host).unwrap().api_version("1.41").unwrap();
    let failed = |capture: &Capture| {
        let n = capture.requests().iter().filter(|r| r.field("message") == Some("docker request failed")).count();
        capture.records.lock().unwrap().clear();
        n
    };

    // Off by default: one attempt.
    assert!(builder().build().unwrap().version().await.unwrap_err().is_connect());
    assert_eq!(failed(&capture), 1);

    let policy = RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
    };
    let docker = builder().retry(policy).build().unwrap();
    assert!(docker.version().await.unwrap_err().is_connect());
    assert_eq!(failed(&capture), 3, "one attempt and two retries");

    // A POST is not idempotent: one attempt whatever the policy.
    let err = docker.auth(&AuthConfig::password("localhost:5000", "u", "p")).await.unwrap_err();
    assert!(err.is_connect());
    assert_eq!(failed(&capture), 1);
}

const PASSWORD: &str = "hunter2-Xyzzy-do-not-trace";

fn assert_no_password(capture: &Capture) {
    let all = capture.all();
    assert!(!all.is_empty());
    for c in all {
        for (k, v) in &c.fields {
            assert!(!v.contains(PASSWORD), "{}: field {k} holds the password: {v}", c.target);
        }
    }
}

#[tokio::test]
async fn auth_never_puts_the_password_in_traces_or_errors() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let mut server = mockito::Server::new_async().await;
    let _ping = server.mock("GET", "/_ping").with_header("Api-Version", "1.41").create_async().await;
    let auth = server
        .mock("POST", "/v1.41/auth")
        .match_body(mockito::Matcher::PartialJsonString(format!(r#"{{"password":"{PASSWORD}"}}"#)))
        .with_status(401)
        .with_body(r#"{"message":"Get \"http://localhost:5000/v2/\": unauthorized: incorrect username or password"}"#)
        .expect(1)
        .create_async()
        .await;
    let docker = negotiating(&server);
    let config = AuthConfig::password("localhost:5000", "alice", PASSWORD);
    let err = docker.auth(&config).await.unwrap_err();
    auth.assert_async().await; // the password was sent, to the daemon only
    assert!(err.is_unauthorized(), "{err:?}");
    assert!(!err.to_string().contains(PASSWORD) && !format!("{err:?}").contains(PASSWORD));
    assert!(!format!("{config:?}").contains(PASSWORD));
    let traced = capture.requests();
    assert!(
        traced.iter().any(|r| r.field("method") == Some("POST")
            && r.field("path") == Some("/v1.41/auth")
            && r.field("status") == Some("401")),
        "{traced:?}"
    );
    assert_no_password(&capture);

    // Nor when the daemon cannot be reached, with retries on.
    let port = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let docker = Docker::builder()
        .host(&format!("tcp://127.0.0.1:{port}"))
        .unwrap()
        .api_version("1.41")
        .unwrap()
        .retry(RetryPolicy::new(1))
        .build()
        .unwrap();
    let err = docker.auth(&config).await.unwrap_err();
    assert!(err.is_connect());
    assert!(!err.to_string().contains(PASSWORD) && !format!("{err:?}").contains(PASSWORD));
    assert_no_password(&capture);
}

#[tokio::test]
async fn stored_registry_credentials_never_reach_traces_or_errors() {
    use dockhand::api::PushOptions;
    use dockhand::credentials::{CredentialStore, RegistryCredentials};
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let mut server = mockito::Server::new_async().await;
    let push = server
        .mock("POST", "/v1.41/images/localhost:5000%2Fapp/push")
        .match_query(mockito::Matcher::Any)
        .match_header(
            "x-registry-auth",
            AuthConfig::password("localhost:5000", "alice", PASSWORD).encode_header().as_str(),
        )
        .with_body("{\"errorDetail\":{\"message\":\"denied: requested access to the resource is denied\"}}\n")
        .create_async()
        .await;
    let store = CredentialStore::from_json(
        format!(r#"{{"auths":{{"localhost:5000":{{"username":"alice","password":"{PASSWORD}"}}}}}}"#).as_bytes(),
    )
    .unwrap();
    let docker = Docker::builder()
        .host(&common::address(&server))
        .unwrap()
        .api_version("1.41")
        .unwrap()
        .registry_credentials(RegistryCredentials::Store(store))
        .build()
        .unwrap();
    let err = dockhand::fold_progress(docker.images().push(PushOptions::new("localhost:5000/app:1")), |_| {})
        .await
        .unwrap_err();
    push.assert_async().await; // the password was sent, to the daemon only
    assert!(!err.to_string().contains(PASSWORD) && !format!("{err:?}").contains(PASSWORD));
    assert!(!format!("{docker:?}").contains(PASSWORD));
    assert_no_password(&capture);
}
