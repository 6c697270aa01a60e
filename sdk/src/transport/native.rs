//! The native transport: HTTP/1.1 (hyper's connection API) over unix
//! sockets, TCP, TLS (feature `tls`, in `tls.rs`) and ssh (feature `ssh`, in
//! `ssh.rs`), with keep-alive connections each driven by the task that uses
//! it (`pool.rs`), on tokio.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use http::header::{CONNECTION, HOST, HeaderValue, UPGRADE, USER_AGENT};
use http::{Request, Response, Uri};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::pool::{Lease, Pool, ResponseBody};
use crate::config::Endpoint;
use crate::error::TimeoutPhase;
use crate::request::Timeouts;
use crate::response::RequestInfo;
use crate::transport::{Transport, UpgradeOutcome, Upgraded};
use crate::{Body, Error, Host, Result};

/// Builds a [`NativeTransport`].
#[derive(Debug, Clone)]
pub struct NativeTransportBuilder {
    endpoint: Endpoint,
    pool_max_idle: usize,
    pool_idle_timeout: Duration,
    #[cfg(feature = "ssh")]
    ssh: super::ssh::SshOptions,
}

impl NativeTransportBuilder {
    /// How many idle connections to keep open (default 32). `0` turns pooling
    /// off: every request opens a new connection.
    pub fn pool_max_idle(mut self, n: usize) -> Self {
        self.pool_max_idle = n;
        self
    }

    /// How long an idle connection is kept (default 90 s).
    pub fn pool_idle_timeout(mut self, d: Duration) -> Self {
        self.pool_idle_timeout = d;
        self
    }

    /// How `ssh` is run for `ssh://` daemons (feature `ssh`).
    #[cfg(feature = "ssh")]
    pub fn ssh_options(mut self, options: super::ssh::SshOptions) -> Self {
        self.ssh = options;
        self
    }

    /// The transport. Fails for addresses it cannot speak (npipe://, and
    /// TLS or ssh:// without their features), and for TLS material that
    /// cannot be used (the error names the file).
    pub fn build(self) -> Result<NativeTransport> {
        let dial = match &self.endpoint.host {
            Host::Unix(_) => Dial::Unix,
            // `host` names the server TLS checks.
            #[cfg_attr(not(feature = "tls"), allow(unused_variables))]
            Host::Tcp { host, tls, .. } => match (&self.endpoint.tls, tls) {
                (None, false) => Dial::Tcp,
                #[cfg(feature = "tls")]
                (settings, _) => {
                    let default =
                        crate::config::TlsSettings { origin: "an https:// address".into(), ..Default::default() };
                    let settings = settings.as_ref().unwrap_or(&default);
                    Dial::Tls(Box::new(super::tls::Tls::new(settings, host)?))
                }
                #[cfg(not(feature = "tls"))]
                _ => return Err(feature_disabled(&self.endpoint, "tls")),
            },
            #[cfg(feature = "ssh")]
            Host::Ssh { user, host, port } => {
                Dial::Ssh(super::ssh::SshTarget::new(self.ssh.clone(), user.clone(), host.clone(), *port)?)
            }
            #[cfg(not(feature = "ssh"))]
            Host::Ssh { .. } => {
                return Err(feature_disabled(&self.endpoint, "ssh"));
            }
            Host::NamedPipe(_) => {
                return Err(unsupported(&self.endpoint, "named pipes exist only on Windows"));
            }
            #[allow(unreachable_patterns)]
            _ => return Err(unsupported(&self.endpoint, "this kind of address is not supported")),
        };
        let host_header = match &self.endpoint.host {
            // IPv6 literals take brackets in a Host header (RFC 7230).
            Host::Tcp { host, port, .. } if host.contains(':') => {
                HeaderValue::from_str(&format!("[{host}]:{port}")).ok()
            }
            Host::Tcp { host, port, .. } => HeaderValue::from_str(&format!("{host}:{port}")).ok(),
            _ => None,
        }
        .unwrap_or_else(|| HeaderValue::from_static("api.moby.localhost"));
        let description = self.endpoint.describe();
        let target = Arc::new(Target { endpoint: self.endpoint, description, dial });
        let pool = Arc::new(Pool::new(self.pool_max_idle, self.pool_idle_timeout));
        Ok(NativeTransport { pool, target, host_header })
    }
}

fn unsupported(endpoint: &Endpoint, reason: &str) -> Error {
    Error::invalid("daemon address", format!("{}: {reason}", endpoint.describe()))
}

/// [`Error::FeatureDisabled`] for `endpoint`.
#[cfg(any(not(feature = "tls"), not(feature = "ssh")))]
fn feature_disabled(endpoint: &Endpoint, feature: &'static str) -> Error {
    Error::FeatureDisabled { feature, endpoint: endpoint.describe() }
}

#[derive(Debug)]
struct Target {
    endpoint: Endpoint,
    description: String,
    dial: Dial,
}

/// How a connection is made.
#[derive(Debug)]
enum Dial {
    Unix,
    Tcp,
    #[cfg(feature = "tls")]
    Tls(Box<super::tls::Tls>),
    #[cfg(feature = "ssh")]
    Ssh(super::ssh::SshTarget),
}

/// Why a connection could not be made, in words for the user: carried
/// inside the `io::Error` the connector (or the first read) returns, and
/// turned into [`Error::Connect`].
#[derive(Debug)]
pub(crate) struct ConnectFailure {
    pub(crate) reason: String,
    pub(crate) hint: Option<String>,
}

impl ConnectFailure {
    /// The [`Error::Connect`] it makes, with `source` as its source.
    fn into_error(self, target: &Target, source: crate::error::BoxError) -> Error {
        Error::Connect {
            endpoint: target.description.clone(),
            reason: self.reason,
            hint: self.hint,
            source: Some(source),
        }
    }
}

impl std::fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for ConnectFailure {}

/// HTTP/1.1 to a daemon over a unix socket or TCP, with pooled keep-alive
/// connections.
///
/// Usually made for you by [`Docker::connect`](crate::Docker::connect) or
/// [`DockerBuilder::build`](crate::DockerBuilder::build).
pub struct NativeTransport {
    pool: Arc<Pool>,
    target: Arc<Target>,
    host_header: HeaderValue,
}

impl std::fmt::Debug for NativeTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeTransport").field("endpoint", &self.target.description).finish_non_exhaustive()
    }
}

impl NativeTransport {
    /// A builder for the daemon at `endpoint`.
    pub fn builder(endpoint: Endpoint) -> NativeTransportBuilder {
        NativeTransportBuilder {
            endpoint,
            pool_max_idle: 32,
            pool_idle_timeout: Duration::from_secs(90),
            #[cfg(feature = "ssh")]
            ssh: super::ssh::SshOptions::default(),
        }
    }

    fn prepare(&self, request: Request<Body>) -> Result<(Request<Body>, Timeouts, RequestInfo)> {
        let info = RequestInfo::of(&request);
        let timeouts = request.extensions().get::<Timeouts>().copied().unwrap_or_default();
        let (mut parts, body) = request.into_parts();
        let pq = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
        // hyper's connection writes the URI as it is: the origin form.
        parts.uri = pq.parse::<Uri>().map_err(|e| Error::invalid("request path", format!("{pq}: {e}")))?;
        parts.headers.entry(HOST).or_insert_with(|| self.host_header.clone());
        parts.headers.entry(USER_AGENT).or_insert_with(|| HeaderValue::from_static(crate::USER_AGENT));
        Ok((Request::from_parts(parts, body), timeouts, info))
    }

    /// Sends a prepared request on a pooled or new connection, with the
    /// connect and response timeouts; returns the response and the
    /// connection it came on.
    fn request(
        &self,
        request: Request<Body>,
        timeouts: Timeouts,
        info: RequestInfo,
    ) -> impl Future<Output = Result<(Response<Incoming>, Lease)>> + Send + 'static {
        let (target, pool) = (self.target.clone(), self.pool.clone());
        async move {
            let fut = round_trip(&target, &pool, request, timeouts, &info);
            match timeouts.response {
                Some(limit) => match tokio::time::timeout(limit, fut).await {
                    Ok(r) => r,
                    Err(_) => Err(timeout(TimeoutPhase::Response, limit, &info)),
                },
                None => fut.await,
            }
        }
    }
}

impl NativeTransport {
    /// Sends an upgrade request on a new connection, which runs in a task
    /// of its own and is handed over whole when the daemon switches
    /// protocols (never pooled).
    fn upgrade_request(
        &self,
        request: Request<Body>,
        timeouts: Timeouts,
        info: RequestInfo,
    ) -> impl Future<Output = Result<Response<Incoming>>> + Send + 'static {
        let target = self.target.clone();
        async move {
            let fut = async {
                let io =
                    dial(&target, timeouts.connect).await.map_err(|e| connect_error(e, &target, timeouts, &info))?;
                let (mut send, conn) = hyper::client::conn::http1::handshake(io)
                    .await
                    .map_err(|e| send_error(e, &target, timeouts, &info))?;
                tokio::spawn(conn.with_upgrades());
                send.ready().await.map_err(|e| send_error(e, &target, timeouts, &info))?;
                send.send_request(request).await.map_err(|e| send_error(e, &target, timeouts, &info))
            };
            match timeouts.response {
                Some(limit) => match tokio::time::timeout(limit, fut).await {
                    Ok(r) => r,
                    Err(_) => Err(timeout(TimeoutPhase::Response, limit, &info)),
                },
                None => fut.await,
            }
        }
    }
}

impl NativeTransport {
    /// Sends a streamed request (see [`Streamed`](super::Streamed)) on a
    /// new connection whose response body decodes its chunks in the
    /// reader's task (`raw.rs`), with the connect and response timeouts.
    fn send_raw(
        &self,
        request: Request<Body>,
        timeouts: Timeouts,
        info: RequestInfo,
    ) -> impl Future<Output = Result<Response<Body>>> + Send + 'static {
        let (target, pool) = (self.target.clone(), self.pool.clone());
        let sent = super::raw::Sent::of(&request);
        drop(request);
        async move {
            let fut = async {
                // An idle connection first; one the daemon closed meanwhile
                // fails before any answer, and the request goes to a new one.
                while let Some(io) = pool.checkout().and_then(Lease::into_io) {
                    match super::raw::exchange(io, &sent, &info).await {
                        Err(super::raw::RawError::Io(_)) => continue,
                        r => return r.map_err(|e| raw_error(e, &target, timeouts, &info)),
                    }
                }
                let io =
                    dial(&target, timeouts.connect).await.map_err(|e| connect_error(e, &target, timeouts, &info))?;
                super::raw::exchange(io, &sent, &info).await.map_err(|e| raw_error(e, &target, timeouts, &info))
            };
            let (parts, body) = match timeouts.response {
                Some(limit) => match tokio::time::timeout(limit, fut).await {
                    Ok(r) => r?,
                    Err(_) => return Err(timeout(TimeoutPhase::Response, limit, &info)),
                },
                None => fut.await?,
            };
            let idle = timeouts.idle_for(parts.status);
            Ok(super::raw::response(parts, body, idle, pool))
        }
    }
}

/// Turns a failed raw exchange into our error, as [`send_error`] does
/// hyper's.
fn raw_error(e: super::raw::RawError, target: &Target, timeouts: Timeouts, info: &RequestInfo) -> Error {
    let io = match e {
        super::raw::RawError::Protocol(e) => return Error::transport(info.to_string(), e),
        super::raw::RawError::Io(io) => io,
    };
    match explain_io(&io, target, timeouts, info, false) {
        Some(Explained::Timeout(e)) => e,
        Some(Explained::Failure(f)) => f.into_error(target, io.into()),
        None => Error::transport(info.to_string(), io),
    }
}

/// Sends `request` on the newest idle connection, or on a new one, and
/// waits for the response's head, driving the connection meanwhile. A
/// request that a reused connection could not take (the daemon closed it
/// while it was idle) goes to a new connection: it was not sent.
async fn round_trip(
    target: &Target,
    pool: &Pool,
    mut request: Request<Body>,
    timeouts: Timeouts,
    info: &RequestInfo,
) -> Result<(Response<Incoming>, Lease)> {
    loop {
        let mut lease = match pool.checkout() {
            Some(lease) => lease,
            None => connect_or_idle(target, pool, timeouts, info).await?,
        };
        if let Err(e) = lease.ready().await {
            if lease.reused {
                continue;
            }
            return Err(send_error(e, target, timeouts, info));
        }
        let response = lease.send.try_send_request(request);
        match lease.drive(Box::pin(response)).await {
            Ok(response) => return Ok((response, lease)),
            Err(mut e) => match e.take_message() {
                Some(unsent) if lease.reused => request = unsent,
                _ => return Err(send_error(e.into_error(), target, timeouts, info)),
            },
        }
    }
}

/// A new connection, or an idle one that another request gives back to
/// the pool first (the connect is then dropped): many requests started at
/// once share the connections of the first to finish rather than each
/// opening its own (an sshd refuses many unauthenticated connections at
/// once, and every connection costs the daemon).
async fn connect_or_idle(target: &Target, pool: &Pool, timeouts: Timeouts, info: &RequestInfo) -> Result<Lease> {
    let connect = std::pin::pin!(connect(target, timeouts, info));
    let returned = std::pin::pin!(pool.returned());
    match futures::future::select(connect, returned).await {
        futures::future::Either::Left((connected, _)) => connected,
        futures::future::Either::Right((lease, _)) => Ok(lease),
    }
}

/// A new connection, HTTP/1.1 over it.
async fn connect(target: &Target, timeouts: Timeouts, info: &RequestInfo) -> Result<Lease> {
    let io = dial(target, timeouts.connect).await.map_err(|e| connect_error(e, target, timeouts, info))?;
    Lease::handshake(io).await.map_err(|e| send_error(e, target, timeouts, info))
}

fn timeout(phase: TimeoutPhase, after: Duration, info: &RequestInfo) -> Error {
    Error::Timeout { phase, after, method: info.method.clone(), path: info.path.clone() }
}

/// Turns a failed connect into our error.
fn connect_error(io: io::Error, target: &Target, timeouts: Timeouts, info: &RequestInfo) -> Error {
    // A TLS check or ssh that failed: nothing reached the daemon.
    match explain_io(&io, target, timeouts, info, true) {
        Some(Explained::Timeout(e)) => return e,
        Some(Explained::Failure(f)) => return f.into_error(target, io.into()),
        None => {}
    }
    if io.kind() == io::ErrorKind::TimedOut {
        return timeout(TimeoutPhase::Connect, timeouts.connect.unwrap_or_default(), info);
    }
    let (reason, hint) = connect_reason(target, &io);
    Error::Connect { endpoint: target.description.clone(), reason, hint, source: Some(io.into()) }
}

/// What an IO error on the way to the daemon is, when it is more than a
/// transport error.
enum Explained {
    /// ssh gave up connecting after its ConnectTimeout, which is ours.
    #[cfg_attr(not(feature = "ssh"), allow(dead_code))]
    Timeout(Error),
    /// A failure [`explain_failure`] knows (ssh's own, a TLS check).
    Failure(ConnectFailure),
}

#[cfg_attr(not(feature = "ssh"), allow(unused_variables))]
fn explain_io(
    io: &io::Error,
    target: &Target,
    timeouts: Timeouts,
    info: &RequestInfo,
    connecting: bool,
) -> Option<Explained> {
    #[cfg(feature = "ssh")]
    if let (Dial::Ssh(_), io::ErrorKind::TimedOut) = (&target.dial, io.kind()) {
        let after = timeouts.connect.unwrap_or(super::ssh::DEFAULT_CONNECT_TIMEOUT);
        return Some(Explained::Timeout(timeout(TimeoutPhase::Connect, after, info)));
    }
    explain_failure(io, target, connecting).map(Explained::Failure)
}

/// Turns hyper's error on an open connection into ours: a transport error,
/// the daemon's rejection of a TLS client certificate (which TLS 1.3
/// reports on the first read), or an ssh that failed or timed out
/// connecting (found out on the first write or read of its pipes).
fn send_error(e: hyper::Error, target: &Target, timeouts: Timeouts, info: &RequestInfo) -> Error {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            match explain_io(io, target, timeouts, info, false) {
                Some(Explained::Timeout(timed_out)) => return timed_out,
                Some(Explained::Failure(f)) => return f.into_error(target, e.into()),
                None => break,
            }
        }
        source = s.source();
    }
    Error::transport(info.to_string(), e)
}

/// The [`ConnectFailure`] an IO error carries, or the TLS failure it is:
/// a failed handshake (`connecting`), or the daemon's rejection of the
/// client certificate right after it (TLS 1.3 sends it with the first read).
/// Other TLS errors on an established connection stay transport errors.
fn explain_failure(io: &io::Error, target: &Target, connecting: bool) -> Option<ConnectFailure> {
    if let Some(failure) = io.get_ref().and_then(|e| e.downcast_ref::<ConnectFailure>()) {
        return Some(ConnectFailure { reason: failure.reason.clone(), hint: failure.hint.clone() });
    }
    #[cfg(feature = "tls")]
    if let Dial::Tls(tls) = &target.dial {
        if connecting || super::tls::is_client_cert_rejection(io) {
            return super::tls::explain(io, &tls.summary);
        }
    }
    let _ = (target, connecting);
    None
}

/// What an operating system error means for a connect: the reason and,
/// where one helps, the hint.
fn connect_reason(target: &Target, io: &io::Error) -> (String, Option<String>) {
    let hint = match (io.kind(), &target.endpoint.host) {
        (io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused, Host::Unix(_)) => {
            Some("is dockerd running? Start it, or set DOCKER_HOST to a daemon that is".to_owned())
        }
        (io::ErrorKind::PermissionDenied, Host::Unix(_)) => {
            Some("add your user to the docker group, or run with the rights to use the socket".to_owned())
        }
        (io::ErrorKind::ConnectionRefused, _) => {
            Some("nothing listens there: check DOCKER_HOST or the context's endpoint".to_owned())
        }
        _ => None,
    };
    let reason = match io.kind() {
        io::ErrorKind::NotFound => "no such socket".to_owned(),
        io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => io.to_string(),
    };
    (reason, hint)
}

impl Transport for NativeTransport {
    fn send(&self, request: Request<Body>) -> BoxFuture<'static, Result<Response<Body>>> {
        let (req, timeouts, info) = match self.prepare(request) {
            Ok(prepared) => prepared,
            Err(e) => return futures::future::ready(Err(e)).boxed(),
        };
        if super::raw::wants_raw(&req) {
            return self.send_raw(req, timeouts, info).boxed();
        }
        let fut = self.request(req, timeouts, info.clone());
        let pool = self.pool.clone();
        async move {
            let (response, lease) = fut.await?;
            let idle = timeouts.idle_for(response.status());
            Ok(response
                .map(|incoming| Body::from_result_stream(ResponseBody::new(incoming, idle, info).driving(lease, pool))))
        }
        .boxed()
    }

    fn upgrade(&self, request: Request<Body>) -> BoxFuture<'static, Result<UpgradeOutcome>> {
        let prepared = self.prepare(request).map(|(mut req, timeouts, info)| {
            req.headers_mut().insert(CONNECTION, HeaderValue::from_static("Upgrade"));
            // A protocol the request names (websocket) is kept; tcp otherwise.
            req.headers_mut().entry(UPGRADE).or_insert_with(|| HeaderValue::from_static("tcp"));
            let fut = self.upgrade_request(req, timeouts, info.clone());
            (fut, timeouts, info)
        });
        async move {
            let (fut, timeouts, info) = prepared?;
            let mut response = fut.await?;
            if response.status() != http::StatusCode::SWITCHING_PROTOCOLS {
                let idle = timeouts.idle_for(response.status());
                return Ok(UpgradeOutcome::Response(
                    response.map(|incoming| Body::from_result_stream(ResponseBody::new(incoming, idle, info))),
                ));
            }
            let upgraded = hyper::upgrade::on(&mut response)
                .await
                .map_err(|e| Error::transport(format!("upgrading {info}"), e))?;
            let (head, _) = response.into_parts();
            let io = tokio_util_compat(TokioIo::new(upgraded));
            Ok(UpgradeOutcome::Upgraded(Upgraded { head, io: Box::pin(io) }))
        }
        .boxed()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        tokio::time::sleep(duration).boxed()
    }

    fn describe(&self) -> String {
        self.target.description.clone()
    }
}

/// Adapts tokio's IO traits to the `futures::io` ones the core uses.
fn tokio_util_compat<T>(io: T) -> Compat<T> {
    Compat(io)
}

/// `futures::io::{AsyncRead, AsyncWrite}` over tokio's traits.
struct Compat<T>(T);

impl<T: tokio::io::AsyncRead + Unpin> futures::io::AsyncRead for Compat<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        let mut rb = tokio::io::ReadBuf::new(buf);
        ready!(Pin::new(&mut self.0).poll_read(cx, &mut rb))?;
        Poll::Ready(Ok(rb.filled().len()))
    }
}

impl<T: tokio::io::AsyncWrite + Unpin> futures::io::AsyncWrite for Compat<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    /// Half-closes: shuts the write side down so the peer reads EOF, while
    /// reading goes on.
    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

/// Connects to the endpoint, within `limit`.
async fn dial(target: &Target, limit: Option<Duration>) -> io::Result<Stream_> {
    let tcp = || async {
        match &target.endpoint.host {
            Host::Tcp { host, port, .. } => {
                let stream = TcpStream::connect((host.as_str(), *port)).await?;
                stream.set_nodelay(true)?;
                Ok(stream)
            }
            _ => Err(io::Error::new(io::ErrorKind::Unsupported, "not a TCP address")),
        }
    };
    let connect = async {
        match &target.dial {
            Dial::Unix => match &target.endpoint.host {
                Host::Unix(path) => {
                    // hyperlocal's connector opens the socket; its stream is
                    // already hyper's Read/Write.
                    let uri: http::Uri = hyperlocal::Uri::new(path, "/").into();
                    let mut connector = hyperlocal::UnixConnector;
                    Ok(Stream_::Unix(tower_service::Service::call(&mut connector, uri).await?))
                }
                _ => Err(io::Error::new(io::ErrorKind::Unsupported, "not a unix socket")),
            },
            Dial::Tcp => Ok(Stream_::Tcp(TokioIo::new(tcp().await?))),
            #[cfg(feature = "tls")]
            Dial::Tls(tls) => {
                let stream = tls.connect(tcp().await?).await?;
                Ok(Stream_::Tls(Box::new(TokioIo::new(stream))))
            }
            #[cfg(feature = "ssh")]
            Dial::Ssh(ssh) => Ok(Stream_::Ssh(TokioIo::new(ssh.spawn(limit).await?))),
        }
    };
    match limit {
        Some(limit) => tokio::time::timeout(limit, connect)
            .await
            .unwrap_or_else(|_| Err(io::Error::new(io::ErrorKind::TimedOut, "connect timed out"))),
        None => connect.await,
    }
}

/// A connection to the daemon.
pub(super) enum Stream_ {
    Unix(hyperlocal::UnixStream),
    Tcp(TokioIo<TcpStream>),
    #[cfg(feature = "tls")]
    Tls(Box<TokioIo<tokio_rustls::client::TlsStream<TcpStream>>>),
    #[cfg(feature = "ssh")]
    Ssh(TokioIo<super::ssh::SshStream>),
}

/// Runs `$e` with `$s` bound to the connection, whatever its kind.
macro_rules! each_stream {
    ($stream:expr, $s:ident => $e:expr) => {
        match $stream {
            Stream_::Unix($s) => $e,
            Stream_::Tcp($s) => $e,
            #[cfg(feature = "tls")]
            Stream_::Tls($s) => $e,
            #[cfg(feature = "ssh")]
            Stream_::Ssh($s) => $e,
        }
    };
}

impl hyper::rt::Read for Stream_ {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        each_stream!(self.get_mut(), s => Pin::new(s).poll_read(cx, buf))
    }
}

impl hyper::rt::Write for Stream_ {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        each_stream!(self.get_mut(), s => hyper::rt::Write::poll_write(Pin::new(s), cx, buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        each_stream!(self.get_mut(), s => hyper::rt::Write::poll_flush(Pin::new(s), cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        each_stream!(self.get_mut(), s => hyper::rt::Write::poll_shutdown(Pin::new(s), cx))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        each_stream!(self.get_mut(), s => hyper::rt::Write::poll_write_vectored(Pin::new(s), cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        each_stream!(self, s => hyper::rt::Write::is_write_vectored(s))
    }
}
