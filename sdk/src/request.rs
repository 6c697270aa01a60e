//! The sans-IO request description every endpoint builds.
//!
//! An endpoint function in [`crate::api`] returns an [`ApiRequest`]: method,
//! path (every dynamic segment percent-encoded by [`segment`]), query
//! parameters (each tagged with the API version that introduced it), headers
//! and body. [`ApiRequest::into_http`] turns it into an `http::Request` for a
//! negotiated version. No IO happens here; it compiles for wasm32 and is tested
//! without sockets.

use std::fmt::Display;
use std::time::Duration;

use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use crate::versioned_body::VersionedJson;
pub use crate::versioned_body::{BodyAdapter, BodyField};
use crate::{ApiVersion, Body, Error, Result};

/// Characters percent-encoded in a path segment: everything but RFC 3986
/// unreserved characters and a few harmless sub-delims. `/`, `?`, `#`, `%`,
/// spaces and non-ASCII are always encoded, so a segment never leaves its
/// place in the path.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'&')
    .add(b'+')
    .add(b';')
    .add(b'=');

/// Validates and percent-encodes one dynamic path segment (an id, a name, an
/// image reference).
///
/// Rejects what could make the daemon's router resolve another endpoint: an
/// empty value, and any `/`-separated part that is empty, `.` or `..` (the
/// daemon decodes `%2F` and cleans the path before routing). Everything else
/// is encoded, so `?`, `#`, spaces and unicode stay inside the segment.
///
/// ```
/// # use dockhand::request::segment;
/// assert_eq!(segment("container", "web")?, "web");
/// assert_eq!(segment("container", "a b?c#d")?, "a%20b%3Fc%23d");
/// assert_eq!(segment("image", "library/busybox")?, "library%2Fbusybox");
/// assert!(segment("container", "../images").is_err());
/// assert!(segment("container", "").is_err());
/// # Ok::<(), dockhand::Error>(())
/// ```
pub fn segment(what: &'static str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Err(Error::invalid(what, "must not be empty"));
    }
    if value.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
        return Err(Error::invalid(what, format!("{value:?} has an empty, '.' or '..' path component")));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(what, format!("{value:?} contains control characters")));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// Timeout settings for one request. `None` in a field means "no timeout".
///
/// The client fills this from its defaults and the endpoint's needs (a
/// following stream has no idle timeout) and attaches it to the
/// `http::Request` as an extension; transports obey it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timeouts {
    /// Time allowed to open a connection.
    pub connect: Option<Duration>,
    /// Time allowed between sending the request and receiving the headers.
    pub response: Option<Duration>,
    /// Time allowed between two chunks of the body.
    pub idle: Option<Duration>,
    /// Time allowed between two chunks of an error answer's body (a status
    /// of 400 or more: the daemon's `{"message": ...}`). It applies even to
    /// endpoints that may stay silent (a followed log, a wait), whose `idle`
    /// is `None`: an error body is short, and a daemon that starts one and
    /// never ends it must not hang the call.
    pub error_idle: Option<Duration>,
}

impl Timeouts {
    /// The idle limit for a body that came with `status`.
    pub fn idle_for(&self, status: http::StatusCode) -> Option<Duration> {
        if status.is_client_error() || status.is_server_error() { self.error_idle } else { self.idle }
    }
}

/// Whether an endpoint's body may stay silent for long (a followed log or
/// event stream, a wait); such requests get no idle timeout unless the caller
/// sets one explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Silence {
    /// Normal: the default idle timeout applies.
    #[default]
    Short,
    /// The body may be silent indefinitely; only an explicit idle timeout
    /// applies.
    Long,
}

#[derive(Debug)]
struct QueryParam {
    key: &'static str,
    value: String,
    since: ApiVersion,
    /// The version that removed it, if any: sent only to older daemons.
    until: Option<ApiVersion>,
}

impl QueryParam {
    fn known_to(&self, version: ApiVersion) -> bool {
        self.since <= version && self.until.is_none_or(|until| version < until)
    }
}

/// A request to the Engine API, before it is tied to an API version.
#[derive(Debug)]
pub struct ApiRequest {
    method: Method,
    path: String,
    versioned: bool,
    query: Vec<QueryParam>,
    headers: HeaderMap,
    body: Body,
    /// A JSON body with version-dependent fields, serialized into `body`
    /// once the version is known (see [`ApiRequest::json_versioned`]).
    json_body: Option<VersionedJson>,
    silence: Silence,
    /// The response's body is a stream read to its end (see
    /// [`Streamed`](crate::transport::Streamed)).
    streamed: bool,
}

impl ApiRequest {
    /// A request with `method` to `path` (which must start with `/` and have
    /// its dynamic segments encoded by [`segment`]).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let path = path.into();
        debug_assert!(path.starts_with('/'), "paths start with '/': {path}");
        ApiRequest {
            method,
            path,
            versioned: true,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::empty(),
            json_body: None,
            silence: Silence::Short,
            streamed: false,
        }
    }

    /// A `GET` request.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A `HEAD` request.
    pub fn head(path: impl Into<String>) -> Self {
        Self::new(Method::HEAD, path)
    }

    /// A `POST` request.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A `PUT` request.
    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    /// A `DELETE` request.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Sends the path without the `/v1.NN` prefix (only `/_ping`, which
    /// negotiation itself uses).
    pub fn unversioned(mut self) -> Self {
        self.versioned = false;
        self
    }

    /// Adds a query parameter known to every supported version.
    pub fn query(self, key: &'static str, value: impl Display) -> Self {
        self.query_since(ApiVersion::MIN, key, value)
    }

    /// Adds a query parameter when `value` is `Some`.
    pub fn query_opt(self, key: &'static str, value: Option<impl Display>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// Adds a boolean query parameter as `1` when it is `Some(true)` and `0`
    /// when `Some(false)`; nothing when `None`, leaving the daemon's default.
    pub fn query_flag(self, key: &'static str, value: Option<bool>) -> Self {
        self.query_opt(key, value.map(u8::from))
    }

    /// Adds a query parameter that API `since` introduced; it is not sent to
    /// older daemons (see [the version rule](crate::version)).
    pub fn query_since(mut self, since: ApiVersion, key: &'static str, value: impl Display) -> Self {
        self.query.push(QueryParam { key, value: value.to_string(), since, until: None });
        self
    }

    /// Adds a query parameter that API `until` removed (or renamed); it is
    /// sent only to daemons older than `until`.
    ///
    /// ```
    /// use dockhand::{ApiVersion, request::ApiRequest};
    /// let req = ApiRequest::post("/build/prune")
    ///     .query_before(ApiVersion::new(1, 48), "keep-storage", 5)
    ///     .query_since(ApiVersion::new(1, 48), "reserved-space", 5);
    /// assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/build/prune?keep-storage=5");
    /// assert_eq!(req.path_and_query(ApiVersion::MAX), "/v1.56/build/prune?reserved-space=5");
    /// ```
    pub fn query_before(mut self, until: ApiVersion, key: &'static str, value: impl Display) -> Self {
        self.query.push(QueryParam { key, value: value.to_string(), since: ApiVersion::MIN, until: Some(until) });
        self
    }

    /// Adds a query parameter holding `value` as JSON (filters, build args).
    pub fn query_json<T: Serialize + ?Sized>(self, key: &'static str, value: &T) -> Result<Self> {
        let json =
            serde_json::to_string(value).map_err(|e| Error::invalid("query parameter", format!("{key}: {e}")))?;
        Ok(self.query(key, json))
    }

    /// Sets a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Sets a JSON body (and its content type).
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self> {
        // Through a `Value`, as versioned bodies go: each model's serializer
        // is then compiled for one serializer, not two (issue 17). Request
        // bodies are small; the object's keys go out sorted.
        let value = serde_json::to_value(value).map_err(|e| Error::invalid("request body", e.to_string()))?;
        let bytes = serde_json::to_vec(&value).map_err(|e| Error::invalid("request body", e.to_string()))?;
        self.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.body = Body::full(bytes);
        self.json_body = None;
        Ok(self)
    }

    /// Sets a JSON body some of whose `fields` API versions after
    /// [`ApiVersion::MIN`] introduced: each is removed from the body sent
    /// to a daemon older than its version, after `adapt` (if any) has
    /// rewritten the body for that version. See
    /// [`versioned bodies`](crate::request::BodyField).
    pub fn json_versioned<T: Serialize + ?Sized>(
        mut self,
        value: &T,
        fields: &'static [BodyField],
        adapt: Option<BodyAdapter>,
    ) -> Result<Self> {
        let value = serde_json::to_value(value).map_err(|e| Error::invalid("request body", e.to_string()))?;
        self.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.body = Body::empty();
        self.json_body = Some(VersionedJson { value, fields, adapt });
        Ok(self)
    }

    /// The JSON body a daemon speaking `version` receives, for a body set
    /// with [`ApiRequest::json_versioned`] (`None` for other bodies).
    pub fn json_body_for(&self, version: ApiVersion) -> Option<serde_json::Value> {
        self.json_body.as_ref().map(|j| j.for_version(version))
    }

    /// Sets a body of another type, such as a tar stream.
    pub fn body(mut self, content_type: &'static str, body: Body) -> Self {
        self.headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        self.body = body;
        self.json_body = None;
        self
    }

    /// Marks the response as one that may be silent indefinitely.
    pub fn silence(mut self, silence: Silence) -> Self {
        self.silence = silence;
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path without version prefix or query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Marks the response's body as a stream read to its end by one
    /// consumer (logs, events, progress, exports): the request carries the
    /// [`Streamed`](crate::transport::Streamed) extension, and the native
    /// transport reads it on a connection of its own.
    pub fn streamed(mut self) -> Self {
        self.streamed = true;
        self
    }

    /// How long the response may stay silent.
    pub fn silence_kind(&self) -> Silence {
        self.silence
    }

    /// Whether this request is safe to send twice (`GET`, `HEAD`, `PUT`,
    /// `DELETE`) with a body that can be replayed.
    pub fn is_retryable(&self) -> bool {
        matches!(self.method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE)
            && self.body.try_clone().is_some()
    }

    /// A copy for a retry, when [`ApiRequest::is_retryable`].
    pub fn try_clone(&self) -> Option<ApiRequest> {
        Some(ApiRequest {
            method: self.method.clone(),
            path: self.path.clone(),
            versioned: self.versioned,
            query: self
                .query
                .iter()
                .map(|q| QueryParam { key: q.key, value: q.value.clone(), since: q.since, until: q.until })
                .collect(),
            headers: self.headers.clone(),
            body: self.body.try_clone()?,
            json_body: self.json_body.clone(),
            silence: self.silence,
            streamed: self.streamed,
        })
    }

    /// The path and query as sent to a daemon speaking `version`: the
    /// `/v1.NN` prefix added, and parameters newer than `version` (or removed
    /// by it) dropped.
    pub fn path_and_query(&self, version: ApiVersion) -> String {
        let mut out = String::with_capacity(self.path.len() + 8);
        if self.versioned {
            out.push_str(&format!("/v{version}"));
        }
        out.push_str(&self.path);
        let mut query = form_urlencoded::Serializer::new(String::new());
        let mut any = false;
        for q in &self.query {
            if q.known_to(version) {
                query.append_pair(q.key, &q.value);
                any = true;
            } else if let Some(until) = q.until.filter(|until| version >= *until) {
                // Removed parameters have a replacement that the caller also
                // added; this is the expected path, not worth a warning.
                tracing::debug!(
                    parameter = q.key,
                    removed_in = %until,
                    daemon = %version,
                    "not sending a parameter the daemon's API version removed"
                );
            } else {
                tracing::warn!(
                    parameter = q.key,
                    since = %q.since,
                    daemon = %version,
                    "not sending a parameter the daemon's API version does not know"
                );
            }
        }
        if any {
            out.push('?');
            out.push_str(&query.finish());
        }
        out
    }

    /// The `http::Request` for a daemon speaking `version`.
    ///
    /// The URI holds only the path and query: the transport knows where the
    /// daemon is and adds the `Host` header.
    pub fn into_http(self, version: ApiVersion) -> Result<http::Request<Body>> {
        let uri = self.path_and_query(version);
        let body = match &self.json_body {
            Some(json) => Body::full(
                serde_json::to_vec(&json.for_version(version))
                    .map_err(|e| Error::invalid("request body", e.to_string()))?,
            ),
            None => self.body,
        };
        let mut builder = http::Request::builder().method(self.method).uri(&uri);
        if let Some(headers) = builder.headers_mut() {
            headers.extend(self.headers);
        }
        if self.streamed {
            builder = builder.extension(crate::transport::Streamed);
        }
        builder.body(body).map_err(|e| Error::invalid("request", format!("{uri}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_stay_segments() {
        assert_eq!(segment("id", "x y").unwrap(), "x%20y");
        assert_eq!(segment("id", "ü").unwrap(), "%C3%BC");
        assert_eq!(segment("id", "a%2Fb").unwrap(), "a%252Fb");
        assert_eq!(segment("id", "name:tag@sha256:ab").unwrap(), "name:tag@sha256:ab");
        for bad in ["", "..", ".", "a/../b", "/abs", "a//b", "trail/", "nl\n"] {
            assert!(segment("id", bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn versioned_path_and_query() {
        let req = ApiRequest::get("/containers/json")
            .query("all", 1)
            .query_opt("limit", None::<u32>)
            .query_flag("size", Some(false))
            .query_since(ApiVersion::new(1, 44), "newer", "x")
            .query("filters", "{\"a\":[\"b c\"]}");
        assert_eq!(
            req.path_and_query(ApiVersion::MIN),
            "/v1.41/containers/json?all=1&size=0&filters=%7B%22a%22%3A%5B%22b+c%22%5D%7D"
        );
        assert!(req.path_and_query(ApiVersion::MAX).contains("newer=x"));
        assert_eq!(ApiRequest::get("/_ping").unversioned().path_and_query(ApiVersion::MAX), "/_ping");
    }

    #[test]
    fn into_http_carries_body_and_headers() {
        let req = ApiRequest::post("/auth").json(&serde_json::json!({"a": 1})).unwrap();
        assert!(!req.is_retryable(), "POST is not idempotent");
        let http = req.into_http(ApiVersion::MIN).unwrap();
        assert_eq!(http.method(), Method::POST);
        assert_eq!(http.uri(), "/v1.41/auth");
        assert_eq!(http.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(http.body().exact_len(), Some(7));
    }
}
