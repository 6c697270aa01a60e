//! # dockhand
//!
//! A typed, hand-written client for the Docker Engine API, from API 1.41
//! (Docker 20.10) to 1.56.
//!
//! ```no_run
//! # async fn demo() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::connect().await?; // DOCKER_HOST, contexts, default socket
//! let version = docker.version().await?;
//! let info = docker.info().await?;
//! println!("Docker {} with {} containers", version.version, info.containers);
//! # Ok(()) }
//! ```
//!
//! ## Shape
//! - [`api`] is the sans-IO core: for each endpoint, typed options and a pure
//!   function that builds its request. With [`models`], [`request`],
//!   [`response`] and [`stream`], it compiles for `wasm32-unknown-unknown`
//!   and does no IO.
//! - [`transport`] moves bytes: the native transport (feature `native`, on by
//!   default) speaks HTTP/1.1 over unix sockets and TCP with pooled
//!   connections; any other [`Transport`](transport::Transport) can be
//!   plugged in with [`Docker::with_transport`].
//! - [`Docker`] ties them together: version negotiation, timeouts, retries,
//!   tracing, typed [`Error`]s.
//!
//! ## Features
//! - `native` (default): the hyper transport, on tokio. Without it the crate
//!   builds for the browser.
//! - `tls` (off by default; `dockhand = { version = "0.1", features = ["tls"] }`):
//!   TLS to `tcp://`/`https://` daemons with rustls (no OpenSSL):
//!   `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`, contexts' TLS material, the
//!   builder's `tls_*` options. It is off because rustls and ring double the
//!   clean build of a program using the SDK (docs/performance.md, "Compile
//!   time"); without it such an address is an [`Error::FeatureDisabled`]
//!   naming the feature.
//! - `ssh` (default): `ssh://` daemons through the system `ssh` client and
//!   `docker system dial-stdio`.
//! - `json-path`: does nothing, kept so that manifests naming it still build.
//!   A body that does not match its model is always an [`Error::Decode`]
//!   whose [`DecodeError::json_path`](error::DecodeError::json_path) names the
//!   field that failed (`Images[1].Size`), found from serde_json's error
//!   position when decoding fails, at no cost to the decoders themselves.
//!
//! The guide's chapter "Connecting to a daemon" (`docs/connecting.md`) shows
//! each way to reach a daemon.
//!
//! ## Versions
//! See [`version`] for how the API version is chosen and what happens to
//! parameters older daemons do not know.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod macros;

pub mod api;
pub mod body;
pub mod build_context;
mod client;
pub mod config;
pub mod credentials;
pub mod error;
pub mod filters;
pub mod headers;
pub mod host;
mod json_path;
pub mod models;
mod objects_only;
pub mod reference;
pub mod request;
pub mod response;
#[cfg(feature = "native")]
mod sha1;
mod sha256;
pub mod stream;
mod timestamp;
pub mod transport;
pub mod version;
mod versioned_body;
#[cfg(feature = "native")]
mod websocket;

// The guide's Rust examples (docs/*.md) are doctests: `cargo test --doc`
// compiles each (`no_run`: there is no daemon), so they cannot drift from the
// API. `cfg(doctest)`: only rustdoc's test run reads these files, which live
// outside the crate (`cargo package` and normal builds never see them).
#[cfg(doctest)]
#[doc = include_str!("../../docs/client.md")]
mod guide_client {}
#[cfg(doctest)]
#[doc = include_str!("../../docs/connecting.md")]
mod guide_connecting {}
#[cfg(doctest)]
#[doc = include_str!("../../docs/errors.md")]
mod guide_errors {}
#[cfg(doctest)]
#[doc = include_str!("../../docs/system.md")]
mod guide_system {}
#[cfg(doctest)]
#[doc = include_str!("../../docs/containers.md")]
mod guide_containers {}
#[cfg(doctest)]
#[doc = include_str!("../../docs/images.md")]
mod guide_images {}
#[cfg(doctest)]
#[doc = include_str!("../../docs/networks-volumes.md")]
mod guide_networks_volumes {}
#[cfg(doctest)]
#[doc = include_str!("../../docs/swarm.md")]
mod guide_swarm {}
#[cfg(doctest)]
#[doc = include_str!("../../docs/simulated-engine.md")]
mod guide_simulated_engine {}

pub use body::Body;
pub use client::{
    AttachInput, Attached, Change, ContainerArchive, ContainerHandle, Containers, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, Docker, DockerBuilder, ExecHandle, ImageHandle, Images,
    JSON_BODY_LIMIT, Logs, ProgressOutcome, ProgressStream, RetryPolicy, RunOutput, fold_progress,
};
pub use client::{
    ConfigHandle, Configs, NetworkHandle, Networks, NodeHandle, Nodes, PluginHandle, Plugins, SecretHandle, Secrets,
    ServiceHandle, Services, SwarmHandle, TaskHandle, Tasks, VolumeHandle, Volumes,
};
#[cfg(feature = "native")]
pub use client::{WsAttached, WsInput};
pub use error::{ApiError, ApiErrorKind, BoxError, ContainerExit, Error, Result, TimeoutPhase};
pub use filters::Filters;
pub use host::Host;
pub use version::ApiVersion;

pub use timestamp::{ParseTimestampError, Timestamp};

/// The `User-Agent` dockhand sends.
pub const USER_AGENT: &str = concat!("dockhand/", env!("CARGO_PKG_VERSION"));
