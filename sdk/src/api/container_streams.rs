//! A container's byte streams: logs, attach, attach over websocket.
//!
//! How their bodies are framed is decided by
//! [`Framing::decide`](crate::stream::frames::Framing::decide): the media type
//! when it can be trusted, else the container's `Tty` setting.

use crate::Timestamp;

use crate::request::{ApiRequest, Silence, segment};
use crate::{ApiVersion, Result};

/// Options of `GET /containers/{id}/logs`.
///
/// Neither stdout nor stderr chosen means both.
///
/// ```
/// use dockhand::api::LogsOptions;
/// let opts = LogsOptions::new().follow(true).stderr(true).tail(10).timestamps(true);
/// let req = dockhand::api::container_streams::logs("web", &opts)?;
/// assert_eq!(
///     req.path_and_query(dockhand::ApiVersion::MIN),
///     "/v1.41/containers/web/logs?follow=1&stdout=0&stderr=1&timestamps=1&tail=10"
/// );
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogsOptions {
    follow: bool,
    stdout: Option<bool>,
    stderr: Option<bool>,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    timestamps: bool,
    tail: Option<String>,
    tty: Option<bool>,
}

impl LogsOptions {
    /// All of stdout and stderr logged so far.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the stream open and delivers new output as the container writes
    /// it (the stream has no idle timeout then).
    pub fn follow(mut self, yes: bool) -> Self {
        self.follow = yes;
        self
    }

    /// Includes stdout.
    pub fn stdout(mut self, yes: bool) -> Self {
        self.stdout = Some(yes);
        self
    }

    /// Includes stderr.
    pub fn stderr(mut self, yes: bool) -> Self {
        self.stderr = Some(yes);
        self
    }

    /// Only output logged at or after this time.
    pub fn since(mut self, t: Timestamp) -> Self {
        self.since = Some(t);
        self
    }

    /// Only output logged before this time.
    pub fn until(mut self, t: Timestamp) -> Self {
        self.until = Some(t);
        self
    }

    /// Asks for each message's time; it lands in
    /// [`Output::timestamp`](crate::stream::Output::timestamp), parsed, and
    /// the prefix is removed from the data.
    pub fn timestamps(mut self, yes: bool) -> Self {
        self.timestamps = yes;
        self
    }

    /// Only the last `n` lines.
    pub fn tail(mut self, n: u64) -> Self {
        self.tail = Some(n.to_string());
        self
    }

    /// Tells whether the container has a tty, so that an old daemon's
    /// untrustworthy media type does not cost an inspect (see
    /// [`Framing::decide`](crate::stream::frames::Framing::decide)). Not sent.
    pub fn tty(mut self, tty: bool) -> Self {
        self.tty = Some(tty);
        self
    }

    /// Whether timestamps were asked for.
    pub fn has_timestamps(&self) -> bool {
        self.timestamps
    }

    /// The tty setting the caller gave, if any.
    pub fn tty_hint(&self) -> Option<bool> {
        self.tty
    }
}

/// `GET /containers/{id}/logs`.
pub fn logs(id: &str, opts: &LogsOptions) -> Result<ApiRequest> {
    // The daemon needs at least one of stdout and stderr.
    let (stdout, stderr) = match (opts.stdout, opts.stderr) {
        (None, None) => (true, true),
        (o, e) => (o.unwrap_or(false), e.unwrap_or(false)),
    };
    let mut req = ApiRequest::get(format!("/containers/{}/logs", segment("container id", id)?))
        .query_flag("follow", opts.follow.then_some(true))
        .query_flag("stdout", Some(stdout))
        .query_flag("stderr", Some(stderr))
        .query_opt("since", opts.since.map(Timestamp::api_text))
        .query_opt("until", opts.until.map(Timestamp::api_text))
        .query_flag("timestamps", opts.timestamps.then_some(true))
        .query_opt("tail", opts.tail.as_deref());
    if opts.follow {
        req = req.silence(Silence::Long);
    }
    Ok(req)
}

/// Options of `POST /containers/{id}/attach` (and its websocket variant).
///
/// ```
/// use dockhand::api::AttachOptions;
/// let opts = AttachOptions::new().stdin(true).stdout(true).stderr(true);
/// let req = dockhand::api::container_streams::attach("web", &opts)?;
/// assert_eq!(
///     req.path_and_query(dockhand::ApiVersion::MIN),
///     "/v1.41/containers/web/attach?stream=1&stdin=1&stdout=1&stderr=1"
/// );
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachOptions {
    stream: bool,
    logs: bool,
    stdin: bool,
    stdout: bool,
    stderr: bool,
    detach_keys: Option<String>,
    tty: Option<bool>,
}

impl Default for AttachOptions {
    fn default() -> Self {
        AttachOptions {
            stream: true,
            logs: false,
            stdin: false,
            stdout: false,
            stderr: false,
            detach_keys: None,
            tty: None,
        }
    }
}

impl AttachOptions {
    /// Streams what comes from now on, with no stream chosen yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether to stream output from now on (default `true`).
    pub fn stream(mut self, yes: bool) -> Self {
        self.stream = yes;
        self
    }

    /// Replays the output logged so far first.
    pub fn logs(mut self, yes: bool) -> Self {
        self.logs = yes;
        self
    }

    /// Attaches stdin (the container needs `OpenStdin`).
    pub fn stdin(mut self, yes: bool) -> Self {
        self.stdin = yes;
        self
    }

    /// Attaches stdout.
    pub fn stdout(mut self, yes: bool) -> Self {
        self.stdout = yes;
        self
    }

    /// Attaches stderr.
    pub fn stderr(mut self, yes: bool) -> Self {
        self.stderr = yes;
        self
    }

    /// The key sequence that detaches (`ctrl-p,ctrl-q`).
    pub fn detach_keys(mut self, keys: impl Into<String>) -> Self {
        self.detach_keys = Some(keys.into());
        self
    }

    /// Tells whether the container has a tty (saves an inspect on daemons
    /// before API 1.42). Not sent.
    pub fn tty(mut self, tty: bool) -> Self {
        self.tty = Some(tty);
        self
    }

    /// The tty setting the caller gave, if any.
    pub fn tty_hint(&self) -> Option<bool> {
        self.tty
    }

    /// The query; `streams_since` is the version from which the endpoint
    /// reads `stdin`, `stdout` and `stderr`.
    fn apply(&self, req: ApiRequest, streams_since: ApiVersion) -> ApiRequest {
        let mut req =
            req.query_flag("stream", self.stream.then_some(true)).query_flag("logs", self.logs.then_some(true));
        for (key, yes) in [("stdin", self.stdin), ("stdout", self.stdout), ("stderr", self.stderr)] {
            if yes {
                req = req.query_since(streams_since, key, 1);
            }
        }
        req.query_opt("detachKeys", self.detach_keys.as_deref())
    }
}

/// Version history v1.42: "`GET /containers/{name}/attach/ws` endpoint now
/// accepts `stdin`, `stdout` and `stderr` query parameters"; older daemons
/// ignore them and attach every stream (the v1.41 spec lacks them).
const WS_STREAMS_SINCE: ApiVersion = ApiVersion::new(1, 42);

/// `POST /containers/{id}/attach`, sent as an HTTP upgrade.
pub fn attach(id: &str, opts: &AttachOptions) -> Result<ApiRequest> {
    let req = ApiRequest::post(format!("/containers/{}/attach", segment("container id", id)?)).silence(Silence::Long);
    Ok(opts.apply(req, ApiVersion::MIN))
}

/// `GET /containers/{id}/attach/ws`, sent as a websocket upgrade. Detach
/// keys do not apply to it. The stream choice (`stdin`, `stdout`, `stderr`)
/// is sent to API 1.42 and later only: older daemons attach every stream.
pub fn attach_ws(id: &str, opts: &AttachOptions) -> Result<ApiRequest> {
    let req = ApiRequest::get(format!("/containers/{}/attach/ws", segment("container id", id)?)).silence(Silence::Long);
    Ok(opts.apply(req, WS_STREAMS_SINCE))
}

/// Options of [`Containers::run`](crate::Containers::run).
///
/// ```
/// let opts = dockhand::api::RunOptions::new().remove(true);
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOptions {
    remove: bool,
}

impl RunOptions {
    /// Keeps the container after it ran (like docker-py's default).
    pub fn new() -> Self {
        Self::default()
    }

    /// Removes the container at the end, whether it succeeded or not
    /// (`docker run --rm`).
    pub fn remove(mut self, yes: bool) -> Self {
        self.remove = yes;
        self
    }

    /// Whether the container is removed at the end.
    pub fn removes(&self) -> bool {
        self.remove
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiVersion;

    #[test]
    fn logs_defaults_to_both_streams() {
        let req = logs("web", &LogsOptions::new()).unwrap();
        assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/containers/web/logs?stdout=1&stderr=1");
        assert_eq!(req.silence_kind(), Silence::Short);
        let t = Timestamp::from_unix_timestamp(1_700_000_000).unwrap();
        let req = logs("web", &LogsOptions::new().stdout(true).since(t).until(t).follow(true)).unwrap();
        assert_eq!(
            req.path_and_query(ApiVersion::MIN),
            "/v1.41/containers/web/logs?follow=1&stdout=1&stderr=0&since=1700000000.000000000&until=1700000000.000000000"
        );
        assert_eq!(req.silence_kind(), Silence::Long);
        assert!(logs("a/../b", &LogsOptions::new()).is_err());
    }

    #[test]
    fn attach_shapes() {
        let opts = AttachOptions::new().stdout(true).logs(true).detach_keys("ctrl-x");
        let req = attach("a?b", &opts).unwrap();
        assert_eq!(
            req.path_and_query(ApiVersion::MIN),
            "/v1.41/containers/a%3Fb/attach?stream=1&logs=1&stdout=1&detachKeys=ctrl-x"
        );
        let ws = attach_ws("web", &AttachOptions::new().stdin(true)).unwrap();
        assert_eq!(ws.method(), http::Method::GET);
        assert_eq!(ws.path(), "/containers/web/attach/ws");
        // The websocket's stream choice is API 1.42; the plain attach's is not.
        assert_eq!(ws.path_and_query(ApiVersion::MIN), "/v1.41/containers/web/attach/ws?stream=1");
        assert_eq!(ws.path_and_query(ApiVersion::new(1, 42)), "/v1.42/containers/web/attach/ws?stream=1&stdin=1");
        let plain = attach("web", &AttachOptions::new().stdin(true)).unwrap();
        assert_eq!(plain.path_and_query(ApiVersion::MIN), "/v1.41/containers/web/attach?stream=1&stdin=1");
    }
}
