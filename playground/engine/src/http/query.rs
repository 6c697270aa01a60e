//! Requests and replies: the query string, the ONE percent-decoder (paths
//! and queries), the body's JSON, and the reply under construction.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::error::{ApiErr, err};
use crate::util::map_of;

/// A response under construction.
pub(crate) enum Reply {
    /// A JSON document.
    Json(u16, Value),
    /// No body.
    Empty(u16),
    /// `/_ping`'s `OK`, with the node's swarm state for the `Swarm` header
    /// (`inactive`, `active/manager`).
    Ping(&'static str),
    /// A stream (chunked), with a content type.
    Stream(u16, &'static str, dockhand::Body),
    /// A tar archive with its `X-Docker-Container-Path-Stat` header.
    Archive(Vec<u8>, String),
    /// A hijacked connection: 101 and the stream of output; the target of
    /// stdin (container id, exec id); the detach keys read from the
    /// client's input (TTY only, as dockerd).
    Upgrade(&'static str, dockhand::Body, crate::StdinTarget, Option<crate::DetachKeys>),
}

pub(crate) type R = Result<Reply, ApiErr>;

/// A JSON-stream reply (progress of a pull, push, build, load or import):
/// one chunk per message, as dockerd writes and flushes each one, so that
/// dockhand-sim sends it with `Transfer-Encoding: chunked` and a client
/// reading message by message sees each as it comes. `out` holds the
/// messages, each ended by a newline.
pub(crate) fn json_messages(out: Vec<u8>) -> Reply {
    let out = bytes::Bytes::from(out);
    let mut chunks = Vec::new();
    let mut start = 0;
    for (i, b) in out.iter().enumerate() {
        if *b == b'\n' {
            chunks.push(Ok(out.slice(start..=i)));
            start = i + 1;
        }
    }
    if start < out.len() {
        chunks.push(Ok(out.slice(start..)));
    }
    Reply::Stream(200, "application/json", dockhand::Body::from_result_stream(futures::stream::iter(chunks)))
}

/// The most bytes of an archive (`docker save`) in one chunk.
#[cfg(feature = "image-archives")]
const ARCHIVE_CHUNK: usize = 32 * 1024;

/// An archive reply, streamed in chunks as dockerd copies it (so without a
/// `Content-Length`).
#[cfg(feature = "image-archives")]
pub(crate) fn archive_stream(tar: Vec<u8>) -> Reply {
    let tar = bytes::Bytes::from(tar);
    let chunks: Vec<dockhand::Result<bytes::Bytes>> =
        (0..tar.len()).step_by(ARCHIVE_CHUNK).map(|i| Ok(tar.slice(i..(i + ARCHIVE_CHUNK).min(tar.len())))).collect();
    Reply::Stream(200, "application/x-tar", dockhand::Body::from_result_stream(futures::stream::iter(chunks)))
}

/// Query parameters.
pub(crate) struct Query(pub(crate) Vec<(String, String)>);

impl Query {
    /// Parses a query string (`a=1&b=x%20y`, `+` for a space) with the one
    /// [`percent_decode`], as `application/x-www-form-urlencoded` is read.
    pub(crate) fn parse(q: Option<&str>) -> Query {
        let pairs = q.unwrap_or("").split('&').filter(|p| !p.is_empty()).map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")))
        });
        Query(pairs.collect())
    }
    /// From pairs.
    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&str, &str)]) -> Query {
        Query(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }
    /// The first value of `k`.
    pub(crate) fn get(&self, k: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
    }
    /// Every value of `k`.
    pub(crate) fn all(&self, k: &str) -> Vec<String> {
        self.0.iter().filter(|(key, _)| key == k).map(|(_, v)| v.clone()).collect()
    }
    /// Whether `k` is set to a true value.
    pub(crate) fn flag(&self, k: &str) -> bool {
        matches!(self.get(k), Some(v) if !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
    }
    /// The `filters` parameter: `{"key": ["value", ...]}` (or the old
    /// `{"key": {"value": true}}`); 400 for anything else.
    pub(crate) fn filters(&self) -> Result<BTreeMap<String, Vec<String>>, ApiErr> {
        let Some(raw) = self.get("filters").filter(|f| !f.is_empty()) else { return Ok(BTreeMap::new()) };
        let v: Value = serde_json::from_str(raw).map_err(|e| err(400, format!("invalid filter: {e}")))?;
        let mut out = BTreeMap::new();
        let Some(obj) = v.as_object() else { return Err(err(400, "invalid filter: not an object")) };
        for (k, val) in obj {
            let items: Vec<String> = match val {
                Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
                Value::Object(o) => {
                    o.iter().filter(|(_, b)| b.as_bool() == Some(true)).map(|(k, _)| k.clone()).collect()
                }
                _ => return Err(err(400, format!("invalid filter '{k}'"))),
            };
            out.insert(k.clone(), items);
        }
        Ok(out)
    }
}

pub(crate) fn body_json(body: &[u8]) -> Result<Value, ApiErr> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| err(400, format!("invalid JSON: {e}")))
}

pub(crate) fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

pub(crate) fn map(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|o| map_of(o.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))))
        .unwrap_or_default()
}

/// Decodes `%XX` escapes (a `%` not followed by two hex digits is itself);
/// invalid UTF-8 becomes U+FFFD. The one decoder of the API: path segments
/// and, through [`Query::parse`], the query string.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one decoder reads a query string as `form_urlencoded` (the crate
    /// the query parser used before) does.
    #[test]
    fn the_query_parser_agrees_with_form_urlencoded() {
        for q in [
            "a=1&b=x%20y",
            "filters=%7B%22reference%22%3A%5B%22*%2F*%22%5D%7D",
            "t=a+b&t=c%2Bd",
            "&&k&=v&k2=&%zz=%4",
            "name=%C3%A9t%C3%A9&bad=%FF",
            "x=1=2",
        ] {
            let ours = Query::parse(Some(q)).0;
            let theirs: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes()).into_owned().collect();
            assert_eq!(ours, theirs, "{q}");
        }
    }

    #[test]
    fn path_segments_keep_a_plus() {
        assert_eq!(percent_decode("a+b%2Fc%"), "a+b/c%");
        assert_eq!(percent_decode("%41%4"), "A%4");
    }
}
