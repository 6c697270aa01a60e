//! A build without feature `tls` (or `ssh`) refuses the addresses that need
//! it with [`Error::FeatureDisabled`] naming the feature, whichever way the
//! address arrives: the builder, `DOCKER_HOST` with `DOCKER_TLS_VERIFY`, an
//! `https://` host, or a docker CLI context with TLS settings. Run with
//! `cargo nextest run -p dockhand --no-default-features --features native`
//! (and with the defaults, where `tls` is off and `ssh` on).
#![cfg(feature = "native")]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dockhand::Docker;
use dockhand::config::{Environment, context_dir_name, resolve_endpoint};

/// Variables and files, nothing else.
#[derive(Default)]
struct FakeEnv {
    vars: HashMap<&'static str, String>,
    files: HashMap<PathBuf, Vec<u8>>,
}

impl FakeEnv {
    fn var(mut self, k: &'static str, v: &str) -> Self {
        self.vars.insert(k, v.to_owned());
        self
    }
    fn file(mut self, path: &str, content: &str) -> Self {
        self.files.insert(path.into(), content.as_bytes().to_vec());
        self
    }
}

impl Environment for FakeEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.files.get(path).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into())
    }
    fn home(&self) -> Option<PathBuf> {
        None
    }
}

/// What building a client for `env`'s daemon gives.
fn build(env: &FakeEnv) -> dockhand::Result<Docker> {
    Docker::builder().endpoint(resolve_endpoint(env)?).build()
}

/// A docker CLI context "remote" for a TLS daemon, current through
/// `DOCKER_CONTEXT`.
fn tls_context() -> FakeEnv {
    let meta = format!("/cfg/contexts/meta/{}/meta.json", context_dir_name("remote"));
    let json = r#"{"Name":"remote","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://daemon.example:2376","SkipTLSVerify":true}}}"#;
    FakeEnv::default().var("DOCKER_CONFIG", "/cfg").var("DOCKER_CONTEXT", "remote").file(&meta, json)
}

#[cfg(not(feature = "tls"))]
fn assert_needs(result: dockhand::Result<Docker>, feature: &str, address: &str) {
    let Err(err) = result else { panic!("a build without feature {feature:?} accepted {address}") };
    let text = err.to_string();
    match &err {
        dockhand::Error::FeatureDisabled { feature: f, endpoint } => {
            assert_eq!(*f, feature, "{text}");
            assert!(endpoint.contains(address), "{endpoint}");
        }
        other => panic!("expected FeatureDisabled, got {other:?}"),
    }
    assert!(text.contains(&format!("feature \"{feature}\"")) && text.contains("Cargo.toml"), "{text}");
}

#[cfg(not(feature = "tls"))]
mod without_tls {
    use super::*;

    const PEM: &str = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

    #[test]
    fn an_https_host_needs_tls() {
        assert_needs(
            Docker::builder().host("https://daemon.example:2376").and_then(|b| b.build()),
            "tls",
            "daemon.example",
        );
        let env = FakeEnv::default().var("DOCKER_HOST", "https://daemon.example:2376");
        assert_needs(build(&env), "tls", "daemon.example:2376");
    }

    #[test]
    fn docker_tls_verify_needs_tls() {
        let env = FakeEnv::default()
            .var("DOCKER_HOST", "tcp://daemon.example")
            .var("DOCKER_TLS_VERIFY", "1")
            .var("DOCKER_CERT_PATH", "/certs")
            .file("/certs/ca.pem", PEM)
            .file("/certs/cert.pem", PEM)
            .file("/certs/key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assert_needs(build(&env), "tls", "tcp://daemon.example:2376 with TLS");
        let env = FakeEnv::default().var("DOCKER_HOST", "tcp://daemon.example:2376").var("DOCKER_TLS", "1");
        assert_needs(build(&env), "tls", "daemon.example:2376");
    }

    #[test]
    fn a_context_with_tls_settings_needs_tls() {
        assert_needs(build(&tls_context()), "tls", "daemon.example:2376");
    }

    #[test]
    fn plain_tcp_and_unix_sockets_need_nothing() {
        let env = FakeEnv::default().var("DOCKER_HOST", "tcp://127.0.0.1:2375");
        build(&env).expect("plain TCP");
        let env = FakeEnv::default().var("DOCKER_HOST", "unix:///run/docker.sock");
        build(&env).expect("a unix socket");
    }
}

#[cfg(not(feature = "ssh"))]
#[test]
fn an_ssh_host_needs_ssh() {
    let env = FakeEnv::default().var("DOCKER_HOST", "ssh://me@daemon.example");
    let Err(err) = build(&env) else { panic!("a build without ssh accepted ssh://") };
    assert!(matches!(&err, dockhand::Error::FeatureDisabled { feature: "ssh", .. }), "{err:?}");
    assert!(err.to_string().contains("feature \"ssh\""), "{err}");
}

#[cfg(all(feature = "tls", feature = "ssh"))]
#[test]
fn with_both_features_every_address_builds() {
    let env = FakeEnv::default().var("DOCKER_HOST", "https://daemon.example:2376");
    build(&env).expect("https:// with feature tls");
    build(&tls_context()).expect("a TLS context with feature tls");
    let env = FakeEnv::default().var("DOCKER_HOST", "ssh://me@daemon.example");
    build(&env).expect("ssh:// with feature ssh");
}
