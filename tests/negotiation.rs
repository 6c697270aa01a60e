//! API version negotiation against the daemon under test (`cargo xtask test`
//! runs this suite on dockerd 20.10, 26.1 and 28.5): the version dockhand
//! settles on, a version pinned above what the daemon speaks (a typed error
//! that names both versions), and `DOCKER_API_VERSION` reaching the wire.

mod common;

use dockhand::config::{VarsEnvironment, resolve_endpoint};
use dockhand::{ApiVersion, Docker, Error};

/// What dockhand must negotiate with the daemon versions CI runs, by the
/// engine's version: 20.10 speaks 1.41, 26.1 speaks 1.45, 28.5 speaks 1.51.
fn expected(engine: &str) -> Option<ApiVersion> {
    [("20.10.", ApiVersion::new(1, 41)), ("26.1.", ApiVersion::new(1, 45)), ("28.5.", ApiVersion::new(1, 51))]
        .into_iter()
        .find(|(prefix, _)| engine.starts_with(prefix))
        .map(|(_, v)| v)
}

/// A client for the daemon under test with `DOCKER_API_VERSION` set.
fn pinned_by_env(version: &str) -> Result<Docker, Error> {
    let mut env = VarsEnvironment::new().var("DOCKER_API_VERSION", version);
    if let Ok(host) = std::env::var("DOCKER_HOST") {
        env = env.var("DOCKER_HOST", host);
    }
    Docker::builder().endpoint(resolve_endpoint(&env)?).build()
}

/// The next version after `v`.
fn next(v: ApiVersion) -> ApiVersion {
    ApiVersion::new(v.major(), v.minor() + 1)
}

#[tokio::test]
async fn negotiates_the_daemons_version() {
    let Some(docker) = common::daemon().await else { return };
    let daemon = common::daemon_version(&docker).await;
    let negotiated = docker.api_version().await.unwrap();
    assert_eq!(negotiated, daemon.api.min(ApiVersion::MAX), "{}", daemon.engine);
    match expected(&daemon.engine) {
        Some(v) => assert_eq!(negotiated, v, "dockerd {} negotiated {negotiated}", daemon.engine),
        None => eprintln!("dockerd {} is none of 20.10, 26.1, 28.5: negotiated {negotiated}", daemon.engine),
    }
    // Requests use it: the daemon answers on /v{negotiated}/.
    docker.info().await.unwrap();
}

#[tokio::test]
async fn a_version_pinned_above_the_daemons_is_a_typed_error_naming_both() {
    let Some(docker) = common::daemon().await else { return };
    let daemon = common::daemon_version(&docker).await;
    let too_new = next(daemon.api);
    assert!(too_new.is_supported(), "dockhand must speak {too_new} to pin it (dockerd {})", daemon.engine);
    for pinned in [pinned_by_env(&too_new.to_string()).unwrap(), {
        let host = std::env::var("DOCKER_HOST").unwrap_or_else(|_| "unix:///var/run/docker.sock".into());
        Docker::builder().host(&host).unwrap().api_version(&too_new.to_string()).unwrap().build().unwrap()
    }] {
        assert_eq!(pinned.api_version().await.unwrap(), too_new);
        let err = pinned.info().await.unwrap_err();
        let Error::UnsupportedVersion { version, reason } = &err else {
            panic!("dockerd {} answered a pinned {too_new} with {err:?}", daemon.engine)
        };
        assert_eq!(version, &too_new.to_string());
        assert!(reason.contains(&format!("speaks API {} at most", daemon.api)), "{err}");
        let text = err.to_string();
        assert!(text.contains(&too_new.to_string()) && text.contains(&daemon.api.to_string()), "{text}");
    }
}

#[tokio::test]
async fn docker_api_version_is_used_on_the_wire() {
    let Some(docker) = common::daemon().await else { return };
    let daemon = common::daemon_version(&docker).await;
    let image = common::busybox_image(&docker).await;

    // Pinned to the daemon's own maximum and to the oldest dockhand speaks:
    // both work.
    for v in [daemon.api.min(ApiVersion::MAX), ApiVersion::MIN] {
        let pinned = pinned_by_env(&v.to_string()).unwrap();
        assert_eq!(pinned.api_version().await.unwrap(), v);
        pinned.ping().await.unwrap();
        pinned.info().await.unwrap();
    }

    // What the daemon sends depends on the version in the path: image
    // inspect lost `VirtualSize` in API 1.44. A client pinned to 1.41 still
    // gets it from every daemon; the negotiated version gets it only from
    // a daemon that speaks less than 1.44 (20.10).
    let at_141 = pinned_by_env("1.41").unwrap().images().get(image).inspect_raw().await.unwrap();
    assert!(at_141.get("VirtualSize").is_some(), "dockerd {} at 1.41: {at_141}", daemon.engine);
    let negotiated = docker.images().get(image).inspect_raw().await.unwrap();
    let has_it = negotiated.get("VirtualSize").is_some();
    if daemon.api >= ApiVersion::new(1, 44) {
        assert!(!has_it, "dockerd {} at {}: VirtualSize is gone since 1.44", daemon.engine, daemon.api);
    } else {
        assert!(has_it, "dockerd {} at {}: VirtualSize until 1.43", daemon.engine, daemon.api);
    }

    // A value that is not a version is the caller's error, before any request.
    let err = pinned_by_env("latest").unwrap_err();
    assert!(err.to_string().contains("DOCKER_API_VERSION"), "{err}");
}
