//! Shared setup of the mockito tests: a mock server, clients built for it
//! (pinned to a version, or negotiating with a `/_ping` mock).
//!
//! Each test binary uses only part of this module.
#![allow(dead_code)]

use dockhand::Docker;
use mockito::{Mock, Server, ServerGuard};

/// A fresh mock daemon.
pub async fn server() -> ServerGuard {
    Server::new_async().await
}

/// The `tcp://` address of `server`, as `DOCKER_HOST` would spell it.
pub fn address(server: &Server) -> String {
    format!("tcp://{}", server.host_with_port())
}

/// A client for `server` pinned to API `version`: it sends no `/_ping`
/// before its requests.
pub fn client(server: &Server, version: &str) -> Docker {
    Docker::builder().host(&address(server)).unwrap().api_version(version).unwrap().build().unwrap()
}

/// A client for `server` that negotiates its version with a `/_ping`.
pub fn negotiating(server: &Server) -> Docker {
    Docker::builder().host(&address(server)).unwrap().build().unwrap()
}

/// `GET /_ping` announcing `version` (or no `Api-Version` header), expected
/// `hits` times.
pub async fn ping_mock(server: &mut Server, version: Option<&str>, hits: usize) -> Mock {
    let mut mock = server.mock("GET", "/_ping").with_status(200).with_header("OSType", "linux").with_body("OK");
    if let Some(v) = version {
        mock = mock.with_header("Api-Version", v);
    }
    mock.expect(hits).create_async().await
}
