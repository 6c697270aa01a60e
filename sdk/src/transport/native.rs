//! The native transport: HTTP/1.1 over unix sockets (hyperlocal), TCP, TLS
//! (feature `tls`, in `tls.rs`) and ssh (feature `ssh`, in `ssh.rs`), with
//! hyper-util's keep-alive connection pool, on tokio.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::{FutureExt, Stream};
use http::header::{CONNECTION, HOST, HeaderValue, UPGRADE, USER_AGENT};
use http::{Request, Response, Uri};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpStream;

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
        let (base, dial) = match &self.endpoint.host {
            Host::Unix(path) => {
                let hex: String = path.to_string_lossy().bytes().map(|b| format!("{b:02x}")).collect();
                (format!("unix://{hex}:0"), Dial::Unix)
            }
            Host::Tcp { host, port, tls } => {
                let bracketed = if host.contains(':') { format!("[{host}]") } else { host.clone() };
                let base = format!("http://{bracketed}:{port}");
                match (&self.endpoint.tls, tls) {
                    (None, false) => (base, Dial::Tcp),
                    #[cfg(feature = "tls")]
                    (settings, _) => {
                        let default =
                            crate::config::TlsSettings { origin: "an https:// address".into(), ..Default::default() };
                        let settings = settings.as_ref().unwrap_or(&default);
                        (base, Dial::Tls(Box::new(super::tls::Tls::new(settings, host)?)))
                    }
                    #[cfg(not(feature = "tls"))]
                    _ => return Err(unsupported(&self.endpoint, "TLS needs dockhand's feature \"tls\"")),
                }
            }
            #[cfg(feature = "ssh")]
            Host::Ssh { user, host, port } => {
                let target = super::ssh::SshTarget::new(self.ssh.clone(), user.clone(), host.clone(), *port)?;
                ("http://api.moby.localhost".to_owned(), Dial::Ssh(target))
            }
            #[cfg(not(feature = "ssh"))]
            Host::Ssh { .. } => {
                return Err(unsupported(&self.endpoint, "ssh:// needs dockhand's feature \"ssh\""));
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
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(self.pool_max_idle)
            .pool_idle_timeout(self.pool_idle_timeout)
            .build(Connector { target: target.clone() });
        Ok(NativeTransport { client, target, base, host_header })
    }
}

fn unsupported(endpoint: &Endpoint, reason: &str) -> Error {
    Error::invalid("daemon address", format!("{}: {reason}", endpoint.describe()))
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
    client: Client<Connector, Body>,
    target: Arc<Target>,
    base: String,
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
        parts.uri = format!("{}{}", self.base, pq)
            .parse::<Uri>()
            .map_err(|e| Error::invalid("request path", format!("{pq}: {e}")))?;
        parts.headers.entry(HOST).or_insert_with(|| self.host_header.clone());
        parts.headers.entry(USER_AGENT).or_insert_with(|| HeaderValue::from_static(crate::USER_AGENT));
        Ok((Request::from_parts(parts, body), timeouts, info))
    }

    /// Sends a prepared request, with the connect and response timeouts.
    fn request(
        &self,
        request: Request<Body>,
        timeouts: Timeouts,
        info: RequestInfo,
    ) -> impl Future<Output = Result<Response<Incoming>>> + Send + 'static {
        let target = self.target.clone();
        // The connector reads the connect timeout from here while hyper calls
        // it inside this future.
        let fut = CONNECT_TIMEOUT.scope(timeouts.connect, self.client.request(request));
        async move {
            let result = match timeouts.response {
                Some(limit) => match tokio::time::timeout(limit, fut).await {
                    Ok(r) => r,
                    Err(_) => return Err(timeout(TimeoutPhase::Response, limit, &info)),
                },
                None => fut.await,
            };
            result.map_err(|e| map_client_error(e, &target, timeouts, &info))
        }
    }
}

tokio::task_local! {
    static CONNECT_TIMEOUT: Option<Duration>;
}

fn timeout(phase: TimeoutPhase, after: Duration, info: &RequestInfo) -> Error {
    Error::Timeout { phase, after, method: info.method.clone(), path: info.path.clone() }
}

/// Turns hyper-util's error into ours, finding the io::Error of a failed
/// connect.
fn map_client_error(
    e: hyper_util::client::legacy::Error,
    target: &Target,
    timeouts: Timeouts,
    info: &RequestInfo,
) -> Error {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
    let mut io_error = None;
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            io_error = Some(io);
            break;
        }
        source = s.source();
    }
    // ssh gave up connecting after its ConnectTimeout, which is ours.
    #[cfg(feature = "ssh")]
    if let (Some(io), Dial::Ssh(_)) = (io_error, &target.dial) {
        if io.kind() == io::ErrorKind::TimedOut {
            let after = timeouts.connect.unwrap_or(super::ssh::DEFAULT_CONNECT_TIMEOUT);
            return timeout(TimeoutPhase::Connect, after, info);
        }
    }
    // A TLS check or ssh that failed: nothing reached the daemon.
    if let Some(failure) = io_error.and_then(|io| explain_failure(io, target, e.is_connect())) {
        return Error::Connect {
            endpoint: target.description.clone(),
            reason: failure.reason,
            hint: failure.hint,
            source: Some(e.into()),
        };
    }
    if e.is_connect() {
        if let Some(io) = io_error {
            if io.kind() == io::ErrorKind::TimedOut {
                return timeout(TimeoutPhase::Connect, timeouts.connect.unwrap_or_default(), info);
            }
            let (reason, hint) = connect_reason(target, io);
            return Error::Connect { endpoint: target.description.clone(), reason, hint, source: Some(e.into()) };
        }
        return Error::Connect {
            endpoint: target.description.clone(),
            reason: e.to_string(),
            hint: None,
            source: Some(e.into()),
        };
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
        let prepared = self.prepare(request);
        let prepared = prepared.map(|(req, timeouts, info)| {
            let fut = self.request(req, timeouts, info.clone());
            (fut, timeouts, info)
        });
        async move {
            let (fut, timeouts, info) = prepared?;
            let response = fut.await?;
            let idle = timeouts.idle_for(response.status());
            Ok(response.map(|incoming| Body::from_result_stream(IncomingStream::new(incoming, idle, info))))
        }
        .boxed()
    }

    fn upgrade(&self, request: Request<Body>) -> BoxFuture<'static, Result<UpgradeOutcome>> {
        let prepared = self.prepare(request).map(|(mut req, timeouts, info)| {
            req.headers_mut().insert(CONNECTION, HeaderValue::from_static("Upgrade"));
            // A protocol the request names (websocket) is kept; tcp otherwise.
            req.headers_mut().entry(UPGRADE).or_insert_with(|| HeaderValue::from_static("tcp"));
            let fut = self.request(req, timeouts, info.clone());
            (fut, timeouts, info)
        });
        async move {
            let (fut, timeouts, info) = prepared?;
            let mut response = fut.await?;
            if response.status() != http::StatusCode::SWITCHING_PROTOCOLS {
                let idle = timeouts.idle_for(response.status());
                return Ok(UpgradeOutcome::Response(
                    response.map(|incoming| Body::from_result_stream(IncomingStream::new(incoming, idle, info))),
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

/// A response body as a stream of chunks, with the idle timeout.
struct IncomingStream {
    body: Incoming,
    idle: Option<Duration>,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    info: RequestInfo,
    done: bool,
}

impl IncomingStream {
    fn new(body: Incoming, idle: Option<Duration>, info: RequestInfo) -> Self {
        IncomingStream { body, idle, timer: None, info, done: false }
    }
}

impl Stream for IncomingStream {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        use http_body::Body as _;
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        loop {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    this.timer = None;
                    if let Ok(data) = frame.into_data() {
                        if !data.is_empty() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::transport(
                        format!("reading the response to {}", this.info),
                        e,
                    ))));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Pending => {
                    let Some(idle) = this.idle else { return Poll::Pending };
                    let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                    ready!(timer.as_mut().poll(cx));
                    this.done = true;
                    return Poll::Ready(Some(Err(timeout(TimeoutPhase::Idle, idle, &this.info))));
                }
            }
        }
    }
}

/// Connects to the endpoint, whatever the request's URI says.
#[derive(Clone)]
struct Connector {
    target: Arc<Target>,
}

impl tower_service::Service<Uri> for Connector {
    type Response = Stream_;
    type Error = io::Error;
    type Future = BoxFuture<'static, io::Result<Stream_>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let limit = CONNECT_TIMEOUT.try_with(|t| *t).ok().flatten();
        let target = self.target.clone();
        let connect = async move {
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
            match &target.dial {
                Dial::Unix => {
                    let mut unix = hyperlocal::UnixConnector;
                    let stream = tower_service::Service::call(&mut unix, uri).await?;
                    Ok(Stream_::Unix(stream))
                }
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
        async move {
            match limit {
                Some(limit) => tokio::time::timeout(limit, connect)
                    .await
                    .unwrap_or_else(|_| Err(io::Error::new(io::ErrorKind::TimedOut, "connect timed out"))),
                None => connect.await,
            }
        }
        .boxed()
    }
}

/// A connection to the daemon.
enum Stream_ {
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

impl Connection for Stream_ {
    fn connected(&self) -> Connected {
        Connected::new()
    }
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
