//! The one error type of dockhand.
//!
//! Every fallible call returns [`Result<T>`](crate::Result). An [`Error`] says
//! what happened in the daemon's words, what was asked (method and path) and,
//! where dockhand can tell, what to do next. Predicates such as
//! [`Error::is_not_found`] let callers branch without matching on variants:
//!
//! ```no_run
//! # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
//! match docker.version().await {
//!     Ok(v) => println!("daemon {}", v.version),
//!     Err(e) if e.is_connect() => eprintln!("is dockerd running? {e}"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! No type of hyper, http or serde appears in this API, so the error stays
//! stable when the transport underneath changes.

use std::fmt;
use std::time::Duration;

/// The result of every dockhand call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The underlying error an [`Error`] keeps as its
/// [`source`](std::error::Error::source): the operating system's, hyper's,
/// rustls', ... so that `anyhow`/`eyre` chains and [`Error::io_kind`] reach it.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when talking to a Docker daemon.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The daemon answered with an error status (4xx or 5xx).
    #[error(transparent)]
    Api(Box<ApiError>),

    /// No connection to the daemon could be made.
    #[error("cannot connect to the Docker daemon at {endpoint}: {reason}{}", hint_suffix(.hint))]
    Connect {
        /// Where dockhand tried to connect, and why there (for example
        /// `unix:///var/run/docker.sock (the default socket)`).
        endpoint: String,
        /// What the operating system said.
        reason: String,
        /// What to do about it, when dockhand can tell.
        hint: Option<String>,
        /// The underlying error (an [`std::io::Error`] somewhere down its
        /// chain, when the operating system refused): see [`Error::io_kind`].
        #[source]
        source: Option<BoxError>,
    },

    /// A timeout expired.
    #[error("{phase} timed out after {after:?} ({method} {path})")]
    Timeout {
        /// Which phase of the request ran out of time.
        phase: TimeoutPhase,
        /// The timeout that expired.
        after: Duration,
        /// The request's method.
        method: String,
        /// The request's path.
        path: String,
    },

    /// The daemon's answer could not be understood.
    #[error(transparent)]
    Decode(Box<DecodeError>),

    /// The daemon speaks an API version dockhand does not support, or a call
    /// needs a newer API than the daemon offers.
    #[error("unsupported API version {version}: {reason}")]
    UnsupportedVersion {
        /// The version in question.
        version: String,
        /// Why it cannot be used.
        reason: String,
    },

    /// The daemon's address (or the environment, or a context) asks for a
    /// transport this build of dockhand left out: TLS without feature `tls`,
    /// `ssh://` without feature `ssh`. Turn the feature on in Cargo.toml
    /// (`dockhand = { version = "0.1", features = ["tls"] }`).
    #[error("{endpoint} needs dockhand's feature \"{feature}\" (add it to dockhand's `features` in Cargo.toml)")]
    FeatureDisabled {
        /// The missing feature: `"tls"` or `"ssh"`.
        feature: &'static str,
        /// The address that needs it, and where it came from (for example
        /// `tcp://host:2376 (DOCKER_HOST)`).
        endpoint: String,
    },

    /// An argument was rejected before anything was sent.
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// What was invalid ("container id", "DOCKER_HOST", ...).
        what: &'static str,
        /// Why.
        reason: String,
    },

    /// The connection failed after it was made: reset, closed early, or a
    /// malformed HTTP exchange.
    #[error("{context}: {message}")]
    Transport {
        /// What was going on ("GET /v1.41/info", "reading the log stream").
        context: String,
        /// What went wrong.
        message: String,
        /// The underlying error (hyper's, the socket's): see
        /// [`Error::io_kind`].
        #[source]
        source: Option<BoxError>,
    },

    /// A stream from the daemon reported an error in its body (for example a
    /// log stream's system-error frame, or an `errorDetail` in a progress
    /// stream), or ended inside a frame.
    #[error("{context}: {message}")]
    Stream {
        /// Which stream.
        context: String,
        /// The daemon's message, or what was wrong with the stream.
        message: String,
    },

    /// A container started by a `run` helper exited with a non-zero code.
    #[error(transparent)]
    ContainerExit(Box<ContainerExit>),

    /// A local file or configuration could not be read.
    #[error("{context}: {source}")]
    Io {
        /// What was being read.
        context: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_deref().map(|h| format!("; {h}")).unwrap_or_default()
}

impl Error {
    /// An [`Error::InvalidInput`].
    pub(crate) fn invalid(what: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput { what, reason: reason.into() }
    }

    /// An [`Error::Stream`].
    pub(crate) fn stream(context: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Stream { context: context.into(), message: message.into() }
    }

    /// An [`Error::Transport`] whose message is `cause`'s text followed by
    /// its own source's, and whose source is `cause`.
    #[cfg_attr(not(feature = "native"), allow(dead_code))]
    pub(crate) fn transport(context: impl Into<String>, cause: impl Into<BoxError>) -> Self {
        let cause = cause.into();
        let message = match cause.source() {
            Some(s) => format!("{cause}: {s}"),
            None => cause.to_string(),
        };
        Error::Transport { context: context.into(), message, source: Some(cause) }
    }

    /// The kind of the operating system's error behind this one, found
    /// down its [`source`](std::error::Error::source) chain: `NotFound`
    /// for a missing socket, `ConnectionRefused`, `PermissionDenied`,
    /// `ConnectionReset`, ...
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) {
    /// if let Err(e) = docker.ping().await {
    ///     if e.io_kind() == Some(std::io::ErrorKind::PermissionDenied) {
    ///         eprintln!("add yourself to the docker group");
    ///     }
    /// }
    /// # }
    /// ```
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        let mut next: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = next {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                return Some(io.kind());
            }
            next = e.source();
        }
        None
    }

    /// The API error, when the daemon answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when the daemon answered with an error status.
    pub fn status(&self) -> Option<u16> {
        self.api().map(|e| e.status)
    }

    /// The kind of API error, when the daemon answered with an error status.
    pub fn api_kind(&self) -> Option<ApiErrorKind> {
        self.api().map(|e| e.kind)
    }

    /// 404: no such container, image, network, ...
    pub fn is_not_found(&self) -> bool {
        self.api_kind() == Some(ApiErrorKind::NotFound)
    }

    /// 409: the object is in a state or has a name that conflicts.
    pub fn is_conflict(&self) -> bool {
        self.api_kind() == Some(ApiErrorKind::Conflict)
    }

    /// 400: the daemon rejected the request's parameters.
    pub fn is_bad_request(&self) -> bool {
        self.api_kind() == Some(ApiErrorKind::BadRequest)
    }

    /// 401: missing or wrong credentials. Also true when a registry refused
    /// the daemon's credentials and the daemon passed its message on with
    /// another status (dockerd 20.10 answers a refused pull with 500) or
    /// inside a progress stream (a refused push, with status 200).
    pub fn is_unauthorized(&self) -> bool {
        let refusal = |message: &str| {
            let m = message.to_ascii_lowercase();
            m.starts_with("unauthorized")
                || m.contains("authentication required")
                || m.contains("no basic auth credentials")
                || m.contains("401 unauthorized")
        };
        match self {
            Error::Stream { message, .. } => refusal(message),
            Error::Api(e) => e.kind == ApiErrorKind::Unauthorized || refusal(&e.message),
            _ => false,
        }
    }

    /// 403: the daemon refuses the operation.
    pub fn is_forbidden(&self) -> bool {
        self.api_kind() == Some(ApiErrorKind::Forbidden)
    }

    /// 5xx: the daemon failed.
    pub fn is_server_error(&self) -> bool {
        self.api_kind() == Some(ApiErrorKind::ServerError)
    }

    /// No connection could be made.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Connect { .. })
    }

    /// A timeout expired; [`Error::timeout_phase`] says which.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Which timeout expired, if one did.
    pub fn timeout_phase(&self) -> Option<TimeoutPhase> {
        match self {
            Error::Timeout { phase, .. } => Some(*phase),
            _ => None,
        }
    }

    /// The daemon's answer could not be decoded.
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode(_))
    }

    /// The exit code, when a container run by
    /// [`Containers::run`](crate::Containers::run) failed.
    pub fn exit_code(&self) -> Option<i64> {
        match self {
            Error::ContainerExit(e) => Some(e.exit_code),
            _ => None,
        }
    }
}

/// A container that exited with a non-zero code: which, the code, and the
/// end of what it wrote to stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ContainerExit {
    /// The container's id.
    pub id: String,
    /// Its exit code.
    pub exit_code: i64,
    /// The last lines of its stderr (at most 20 lines and 4 KiB), as text.
    pub stderr_tail: String,
}

impl fmt::Display for ContainerExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = &self.id[..self.id.len().min(12)];
        write!(f, "container {short} exited with code {}", self.exit_code)?;
        if !self.stderr_tail.is_empty() {
            write!(f, "; stderr ends: {}", self.stderr_tail.trim_end())?;
        }
        Ok(())
    }
}

impl std::error::Error for ContainerExit {}

/// An error status from the daemon, with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// The class of error the status stands for.
    pub kind: ApiErrorKind,
    /// The daemon's message (the `message` field of its JSON answer, or the
    /// body as text when it sent no JSON).
    pub message: String,
    /// The request's method.
    pub method: String,
    /// The request's path, with the API version prefix.
    pub path: String,
    /// What to do next, when dockhand can tell.
    pub hint: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {} from {} {})", self.message, self.status, self.kind, self.method, self.path)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The class of an [`ApiError`], from its status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400.
    BadRequest,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 5xx.
    ServerError,
    /// Any other status.
    Other,
}

impl ApiErrorKind {
    /// The kind of a status code.
    pub fn from_status(status: u16) -> Self {
        match status {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            404 => ApiErrorKind::NotFound,
            409 => ApiErrorKind::Conflict,
            500..=599 => ApiErrorKind::ServerError,
            _ => ApiErrorKind::Other,
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiErrorKind::BadRequest => "bad request",
            ApiErrorKind::Unauthorized => "unauthorized",
            ApiErrorKind::Forbidden => "forbidden",
            ApiErrorKind::NotFound => "not found",
            ApiErrorKind::Conflict => "conflict",
            ApiErrorKind::ServerError => "server error",
            ApiErrorKind::Other => "error",
        })
    }
}

/// A response body that did not match the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// What was being decoded (`GET /v1.41/info`, `event stream`, ...).
    pub context: String,
    /// The JSON path of the field that failed (`Containers[3].Ports`), or
    /// `.` for the whole document (or a body that is not JSON that far);
    /// [`message`](Self::message) ends with the line and column.
    pub json_path: String,
    /// The decoder's message.
    pub message: String,
    /// The first bytes of the body, as text, for diagnosis.
    pub excerpt: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode {}: {} at {} (body starts: {:?})",
            self.context, self.message, self.json_path, self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

/// The phase of a request in which a timeout expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Opening the connection.
    Connect,
    /// Waiting for the response's status line and headers.
    Response,
    /// Waiting for the next bytes of a body or stream.
    Idle,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting to the daemon",
            TimeoutPhase::Response => "waiting for the daemon's response",
            TimeoutPhase::Idle => "waiting for more data from the daemon",
        })
    }
}

/// The first `max` bytes of a body as text, for error messages.
pub(crate) fn excerpt(body: &[u8], max: usize) -> String {
    let cut = &body[..body.len().min(max)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if body.len() > max {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_small() {
        // Keep `Result<T>` cheap to move: large variants are boxed. The
        // largest inline one is `Connect` (endpoint, reason, hint and the
        // boxed source: 88 bytes on 64-bit targets).
        assert!(std::mem::size_of::<Error>() <= 96, "{}", std::mem::size_of::<Error>());
    }

    #[test]
    fn kinds_from_status() {
        assert_eq!(ApiErrorKind::from_status(404), ApiErrorKind::NotFound);
        assert_eq!(ApiErrorKind::from_status(503), ApiErrorKind::ServerError);
        assert_eq!(ApiErrorKind::from_status(418), ApiErrorKind::Other);
    }

    #[test]
    fn messages_name_the_request() {
        let e = Error::Api(Box::new(ApiError {
            status: 404,
            kind: ApiErrorKind::NotFound,
            message: "No such container: web".into(),
            method: "GET".into(),
            path: "/v1.41/containers/web/json".into(),
            hint: None,
        }));
        assert!(e.is_not_found() && !e.is_conflict());
        assert_eq!(e.to_string(), "No such container: web (404 not found from GET /v1.41/containers/web/json)");
    }

    #[test]
    fn registry_refusals_in_streams_are_unauthorized() {
        assert!(Error::stream("image push", "unauthorized: authentication required").is_unauthorized());
        assert!(!Error::stream("image build", "returned a non-zero code: 1").is_unauthorized());
    }

    #[test]
    fn excerpt_cuts_on_bytes_not_chars() {
        assert_eq!(excerpt("héllo".as_bytes(), 2), "h\u{fffd}…");
        assert_eq!(excerpt(b"ok", 10), "ok");
    }
}
