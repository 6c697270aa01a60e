//! Registry credentials never reach tracing or error text, whatever the
//! operation (pull, build with `X-Registry-Config`). Alone in its test
//! binary so that no test without a subscriber races the callsite cache.

mod common;

use common::{client, server};
use dockhand::api::PullOptions;
use dockhand::fold_progress;
use dockhand::models::AuthConfig;
use mockito::Matcher;

/// Records every span and event field as text, on this thread.
#[derive(Clone, Default)]
struct TextCapture(std::sync::Arc<std::sync::Mutex<String>>);

struct Append<'a>(&'a mut String);

impl tracing::field::Visit for Append<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?}\n", field.name()));
    }
}

impl tracing::Subscriber for TextCapture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        attrs.record(&mut Append(&mut self.0.lock().unwrap()));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Append(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Append(&mut self.0.lock().unwrap()));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn registry_credentials_never_reach_traces_or_errors() {
    use dockhand::api::BuildOptions;
    use dockhand::build_context::BuildContext;
    use dockhand::models::RegistryConfig;
    const SECRET: &str = "Xyzzy-registry-secret-77";
    let capture = TextCapture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let mut server = server().await;
    let _pull = server
        .mock("POST", "/v1.41/images/create")
        .match_query(Matcher::Any)
        .with_status(500)
        .with_body(r#"{"message":"unauthorized: authentication required"}"#)
        .create_async()
        .await;
    let _build = server
        .mock("POST", "/v1.41/build")
        .match_query(Matcher::Any)
        .match_header("x-registry-config", Matcher::Any)
        .with_body("{\"errorDetail\":{\"message\":\"unauthorized: authentication required\"}}\n")
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let auth = AuthConfig::password("localhost:5000", "alice", SECRET);
    let encoded = auth.encode_header();
    let err = fold_progress(docker.images().pull(PullOptions::new("localhost:5000/app").auth(auth.clone())), |_| {})
        .await
        .unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    let build_err = fold_progress(
        docker.images().build(
            BuildOptions::new().registry_config(RegistryConfig::new().with("localhost:5000", auth.clone())),
            BuildContext::from_files().file("Dockerfile", "FROM localhost:5000/app\n"),
        ),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(build_err.is_unauthorized(), "{build_err:?}");
    let traced = capture.0.lock().unwrap().clone();
    assert!(traced.contains("/v1.41/images/create"), "the requests were traced: {traced}");
    for text in [traced, format!("{err} {err:?} {build_err} {build_err:?} {auth:?}")] {
        assert!(!text.contains(SECRET) && !text.contains(&encoded), "a secret leaked: {text}");
    }
}
