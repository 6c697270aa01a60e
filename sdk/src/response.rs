//! Sans-IO response handling: status codes into typed errors, bodies into
//! typed models.

use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiErrorKind, DecodeError, excerpt};
use crate::json_path;
use crate::objects_only::ObjectsOnly;
use crate::{Error, Result};

/// How many bytes of an error body are read: enough for any daemon message,
/// small enough that a hostile daemon cannot exhaust memory with one.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The `(method, path)` of a request, for messages.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    /// The method, as text.
    pub method: String,
    /// The path with version prefix, without query.
    pub path: String,
}

impl RequestInfo {
    /// From an `http::Request`.
    pub fn of<B>(req: &http::Request<B>) -> Self {
        RequestInfo { method: req.method().to_string(), path: req.uri().path().to_owned() }
    }
}

impl std::fmt::Display for RequestInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// The typed error for an error status and its (bounded) body.
///
/// The daemon answers `{"message": "..."}`; older daemons and proxies may
/// send plain text, which is kept as the message.
///
/// ```
/// # use dockhand::response::{api_error, RequestInfo};
/// let info = RequestInfo { method: "GET".into(), path: "/v1.41/containers/x/json".into() };
/// let err = api_error(&info, 404, br#"{"message":"No such container: x"}"#);
/// assert!(err.is_not_found());
/// assert_eq!(err.api().unwrap().message, "No such container: x");
/// ```
pub fn api_error(info: &RequestInfo, status: u16, body: &[u8]) -> Error {
    #[derive(serde::Deserialize)]
    struct Message {
        message: Option<String>,
    }
    let message = serde_json::from_slice::<Message>(body).ok().and_then(|m| m.message).unwrap_or_else(|| {
        let text = excerpt(body, 1024);
        let text = text.trim();
        if text.is_empty() { http_reason(status).to_owned() } else { text.to_owned() }
    });
    let kind = ApiErrorKind::from_status(status);
    let hint = hint_for(kind, &message);
    Error::Api(Box::new(ApiError { status, kind, message, method: info.method.clone(), path: info.path.clone(), hint }))
}

fn http_reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("error")
}

/// A hint only where it adds to the daemon's own words: dockerd's conflicts
/// already say what to do ("You have to remove (or rename) that
/// container", "Stop the container before attempting removal or force
/// remove"), so they get none.
fn hint_for(kind: ApiErrorKind, message: &str) -> Option<String> {
    let hint = match kind {
        ApiErrorKind::Unauthorized if message.contains("login") || message.contains("auth") => {
            "check the registry credentials (docker login)"
        }
        ApiErrorKind::ServerError if message.contains("swarm") && message.contains("not") => {
            "this needs a swarm manager: docker swarm init"
        }
        _ => return None,
    };
    Some(hint.to_owned())
}

/// Decodes a JSON body into `T`; an error names the JSON path of the field
/// that failed, and its message ends with the line and column.
///
/// ```
/// # use dockhand::response::{decode_json, RequestInfo};
/// #[derive(serde::Deserialize, Debug)]
/// struct V { #[serde(rename = "Version")] version: String }
/// let info = RequestInfo { method: "GET".into(), path: "/v1.41/version".into() };
/// let err = decode_json::<V>(&info, br#"{"Version": 7}"#).unwrap_err();
/// assert!(err.to_string().contains("at Version"), "{err}");
/// assert!(err.to_string().contains("line 1 column 13"), "{err}");
/// ```
pub fn decode_json<T: DeserializeOwned>(context: impl std::fmt::Display, body: &[u8]) -> Result<T> {
    // Structs are read from JSON objects only (see `ObjectsOnly`), and the
    // whole body must be one value.
    let de = &mut serde_json::Deserializer::from_slice(body);
    let decoded = T::deserialize(ObjectsOnly(&mut *de)).and_then(|value| de.end().map(|()| value));
    decoded.map_err(|e| decode_error(&context, &e, body))
}

/// The [`Error::Decode`] of [`decode_json`]: one non-generic function, so
/// that each model's instantiation stays small.
fn decode_error(context: &dyn std::fmt::Display, e: &serde_json::Error, body: &[u8]) -> Error {
    // The path is found after the fact from serde_json's position (see
    // `json_path`): tracking it while decoding doubled every model's code.
    let json_path = match e.classify() {
        serde_json::error::Category::Io => String::from("."),
        _ => json_path::path_at(body, json_path::offset_of(body, e.line(), e.column())),
    };
    Error::Decode(Box::new(DecodeError {
        context: context.to_string(),
        json_path,
        message: e.to_string(),
        excerpt: excerpt(body, 200),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> RequestInfo {
        RequestInfo { method: "DELETE".into(), path: "/v1.41/containers/web".into() }
    }

    #[test]
    fn maps_every_kind() {
        for (status, check) in [
            (400, Error::is_bad_request as fn(&Error) -> bool),
            (401, Error::is_unauthorized),
            (403, Error::is_forbidden),
            (404, Error::is_not_found),
            (409, Error::is_conflict),
            (500, Error::is_server_error),
            (503, Error::is_server_error),
        ] {
            let err = api_error(&info(), status, br#"{"message":"m"}"#);
            assert!(check(&err), "{status}: {err}");
            assert_eq!(err.status(), Some(status));
        }
        assert_eq!(api_error(&info(), 418, b"").api_kind(), Some(ApiErrorKind::Other));
    }

    #[test]
    fn plain_text_and_empty_bodies() {
        let err = api_error(&info(), 500, b"page not found\n");
        assert_eq!(err.api().unwrap().message, "page not found");
        let err = api_error(&info(), 404, b"");
        assert_eq!(err.api().unwrap().message, "Not Found");
        let err = api_error(&info(), 409, br#"{"message":"You cannot remove a running container abc. Stop the container before attempting removal or force remove"}"#);
        // dockerd's message already says what to do: no hint repeats it.
        assert_eq!(err.api().unwrap().hint, None, "{err}");
        assert!(err.to_string().contains("or force remove (409 conflict"), "{err}");
        let err = api_error(&info(), 409, br#"{"message":"Conflict. The container name \"/web\" is already in use by container \"abc\". You have to remove (or rename) that container to be able to reuse that name."}"#);
        assert_eq!(err.api().unwrap().hint, None, "{err}");
    }

    #[test]
    fn decode_error_names_path_and_excerpt() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            n: u8,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        let err = decode_json::<Outer>("test", br#"{"items":[{"n":1},{"n":300}]}"#).unwrap_err();
        let Error::Decode(d) = &err else { panic!("{err:?}") };
        assert_eq!(d.json_path, "items[1].n");
        assert!(d.message.contains("line 1 column 26"), "{}", d.message);
        assert!(d.message.contains("300"), "{}", d.message);
        assert!(d.excerpt.starts_with("{\"items\""));
        let err = decode_json::<Outer>("test", br#"{"items":[{"n":1}"#).unwrap_err();
        assert!(err.is_decode(), "truncated body: {err}");
    }
}
