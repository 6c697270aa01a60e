//! The boundary between the sans-IO core and the world.
//!
//! A [`Transport`] sends an `http::Request<Body>` and returns the response
//! with a streaming body, or upgrades the connection for attach and exec.
//! Nothing above this trait knows which transport it has: the native one
//! ([`NativeTransport`], feature `native`) speaks HTTP/1.1 over unix sockets
//! and TCP; the playground's calls its simulated engine in memory.
//!
//! A transport honours the [`Timeouts`](crate::request::Timeouts) extension
//! of each request, reports failures as [`Error`](crate::Error)s
//! ([`Error::Connect`](crate::Error::Connect) only when nothing was sent, so
//! retries are safe), and cancels the request when its future or body is
//! dropped.

use std::pin::Pin;
use std::time::Duration;

use futures::future::BoxFuture;
use futures::io::{AsyncRead, AsyncWrite};

use crate::{Body, Result};

#[cfg(feature = "native")]
mod native;
#[cfg(feature = "native")]
pub use native::{NativeTransport, NativeTransportBuilder};
#[cfg(feature = "native")]
mod http1;
#[cfg(feature = "native")]
mod pool;
#[cfg(feature = "native")]
mod raw;
#[cfg(feature = "ssh")]
mod ssh;
#[cfg(feature = "ssh")]
pub use ssh::{DEFAULT_MAX_STARTUPS, SshOptions};
#[cfg(feature = "tls")]
mod tls;

/// A request extension: the response's body is a stream read to its end by
/// one consumer (logs, events, progress, exports). The native transport
/// reads such a response on a connection of its own, decoding the chunks
/// in the consumer's task; other transports may ignore it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Streamed;

/// A byte stream in both directions: the connection after an HTTP upgrade.
pub trait Duplex: AsyncRead + AsyncWrite + Send + Unpin + 'static {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Duplex for T {}

/// An upgraded connection (attach, exec start): the response's status and
/// headers, and the raw connection.
pub struct Upgraded {
    /// The `101 Switching Protocols` response's parts (its `Content-Type`
    /// says whether the stream is multiplexed).
    pub head: http::response::Parts,
    /// The connection.
    pub io: Pin<Box<dyn Duplex>>,
}

impl std::fmt::Debug for Upgraded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upgraded").field("head", &self.head).finish_non_exhaustive()
    }
}

/// The answer to an upgrade request.
#[derive(Debug)]
pub enum UpgradeOutcome {
    /// The daemon switched protocols.
    Upgraded(Upgraded),
    /// The daemon answered normally (an error status, or a daemon that
    /// streams without switching).
    Response(http::Response<Body>),
}

/// Sends requests to a daemon.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the response once its headers arrived;
    /// the body streams.
    fn send(&self, request: http::Request<Body>) -> BoxFuture<'static, Result<http::Response<Body>>>;

    /// Sends `request` with `Connection: Upgrade` and `Upgrade: tcp` (or
    /// the `Upgrade` protocol the request already names, such as
    /// `websocket`, whose other headers are kept too) and returns the
    /// upgraded connection.
    fn upgrade(&self, request: http::Request<Body>) -> BoxFuture<'static, Result<UpgradeOutcome>>;

    /// Waits (for retry backoff). Transports without a timer may return at
    /// once.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;

    /// Where requests go, for messages: `unix:///var/run/docker.sock (the
    /// default socket)`.
    fn describe(&self) -> String;
}
