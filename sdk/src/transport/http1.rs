//! A sans-IO HTTP/1.1 client side for streamed responses: the request's
//! head as bytes, the response's head parsed from a buffer, and the body's
//! framing (chunked, `Content-Length`, or up to the end of the connection)
//! decoded from the same buffer, one chunk's data per item.
//!
//! dockerd writes one HTTP chunk per message (a log frame, a JSON progress
//! line): decoding the chunks in the reader's own buffer gives each message
//! as one `Bytes` slice of what one read brought in, with no channel
//! between a connection task and the reader (see `raw.rs`). Everything a
//! daemon sends is checked against limits: a bad or oversized chunk size, a
//! head over [`MAX_HEAD`], a chunk not followed by CRLF are
//! [`ProtocolError`]s, never panics.

use bytes::{Buf, Bytes, BytesMut};
use http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use http::{HeaderName, HeaderValue, Method, Request, StatusCode};

/// The longest response head accepted, in bytes.
pub(super) const MAX_HEAD: usize = 64 * 1024;
/// The most header fields a response head may have.
const MAX_HEADERS: usize = 128;
/// The longest chunk-size line (with its extensions) accepted.
const MAX_SIZE_LINE: usize = 4096;
/// The most trailer bytes accepted after the last chunk.
const MAX_TRAILERS: usize = 16 * 1024;
/// Chunks up to this size are handed out whole (the reader gathers them);
/// bigger ones as their data arrives.
pub(super) const GATHER_LIMIT: u64 = 1024 * 1024;

/// What was wrong with the daemon's HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProtocolError(pub(crate) String);

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProtocolError {}

fn bad(message: impl Into<String>) -> ProtocolError {
    ProtocolError(message.into())
}

/// The head of `request` (origin-form target, its headers), ready to
/// write; the request has no body (a `Content-Length: 0` is added to
/// methods that usually carry one).
pub(super) fn request_head<B>(request: &Request<B>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(request.method().as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(request.uri().path_and_query().map_or("/", |pq| pq.as_str()).as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\n");
    for (name, value) in request.headers() {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    let bodyless = matches!(*request.method(), Method::GET | Method::HEAD | Method::DELETE | Method::OPTIONS);
    if !bodyless && !request.headers().contains_key(CONTENT_LENGTH) {
        out.extend_from_slice(b"content-length: 0\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// Parses a response head at the start of `buf`: `None` while it is
/// incomplete, else the head (taken out of `buf`) and how its body is
/// framed. Interim `1xx` answers (other than `101`) are skipped.
pub(super) fn parse_head(
    buf: &mut BytesMut,
    method: &Method,
) -> Result<Option<(http::response::Parts, BodyDecoder)>, ProtocolError> {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        let len = match response.parse(buf) {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                return Err(bad(format!("the response head is over {MAX_HEAD} bytes")));
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(e) => return Err(bad(format!("malformed response head: {e}"))),
        };
        if len > MAX_HEAD {
            return Err(bad(format!("the response head is over {MAX_HEAD} bytes")));
        }
        let code = response.code.unwrap_or(0);
        let status = StatusCode::from_u16(code).map_err(|_| bad(format!("bad status code {code}")))?;
        if status.is_informational() && status != StatusCode::SWITCHING_PROTOCOLS {
            buf.advance(len);
            continue;
        }
        let mut builder = http::Response::builder().status(status).version(http::Version::HTTP_11);
        for h in response.headers.iter() {
            let name = HeaderName::from_bytes(h.name.as_bytes()).map_err(|_| bad("bad header name"))?;
            let value = HeaderValue::from_bytes(h.value).map_err(|_| bad(format!("bad value of header {name}")))?;
            builder = builder.header(name, value);
        }
        let (parts, ()) = builder.body(()).map_err(|e| bad(e.to_string()))?.into_parts();
        buf.advance(len);
        let decoder = BodyDecoder::for_response(&parts, method)?;
        return Ok(Some((parts, decoder)));
    }
}

/// How a response's body ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum BodyDecoder {
    /// Chunked transfer encoding, in this state.
    Chunked(Chunked),
    /// This many bytes are left (`Content-Length`).
    Length(u64),
    /// The body runs to the end of the connection.
    ToEof,
    /// The body ended.
    Done,
}

/// Where a chunked body's decoding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Chunked {
    /// Before a chunk-size line.
    Size,
    /// Inside a chunk's data, with this much left.
    Data(u64),
    /// After a chunk's data: its CRLF.
    DataEnd,
    /// After the last chunk: trailer lines, this many bytes so far.
    Trailers(usize),
}

/// One step of decoding.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Decoded {
    /// Body data (never empty).
    Data(Bytes),
    /// More bytes are needed: at least this many more in the buffer.
    NeedMore(usize),
    /// The body ended.
    End,
}

impl BodyDecoder {
    /// The framing `parts` announce for an answer to `method`.
    fn for_response(parts: &http::response::Parts, method: &Method) -> Result<Self, ProtocolError> {
        let status = parts.status;
        if *method == Method::HEAD
            || status.is_informational()
            || status == StatusCode::NO_CONTENT
            || status == StatusCode::NOT_MODIFIED
        {
            return Ok(BodyDecoder::Done);
        }
        let chunked = parts.headers.get_all(TRANSFER_ENCODING).iter().next_back().is_some_and(|v| {
            v.to_str()
                .is_ok_and(|s| s.rsplit(',').next().is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked")))
        });
        if chunked {
            return Ok(BodyDecoder::Chunked(Chunked::Size));
        }
        if parts.headers.contains_key(TRANSFER_ENCODING) {
            // Another coding last: the body runs to the end (RFC 9112 6.3).
            return Ok(BodyDecoder::ToEof);
        }
        let mut lengths = parts.headers.get_all(CONTENT_LENGTH).iter();
        match (lengths.next(), lengths.next()) {
            (None, _) => Ok(BodyDecoder::ToEof),
            (Some(v), None) => {
                let n = v
                    .to_str()
                    .ok()
                    .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|s| s.parse::<u64>().ok())
                    .ok_or_else(|| bad("bad Content-Length"))?;
                Ok(if n == 0 { BodyDecoder::Done } else { BodyDecoder::Length(n) })
            }
            (Some(_), Some(_)) => Err(bad("more than one Content-Length")),
        }
    }

    /// Whether the end of the connection ends the body well.
    pub(super) fn ends_at_eof(&self) -> bool {
        matches!(self, BodyDecoder::ToEof | BodyDecoder::Done)
    }

    /// Takes the next piece of body out of `buf`.
    pub(super) fn decode(&mut self, buf: &mut BytesMut) -> Result<Decoded, ProtocolError> {
        match self {
            BodyDecoder::Done => Ok(Decoded::End),
            BodyDecoder::ToEof if buf.is_empty() => Ok(Decoded::NeedMore(1)),
            BodyDecoder::ToEof => Ok(Decoded::Data(buf.split().freeze())),
            BodyDecoder::Length(left) => {
                if buf.is_empty() {
                    return Ok(Decoded::NeedMore(1));
                }
                let n = (*left).min(buf.len() as u64);
                *left -= n;
                let data = buf.split_to(n as usize).freeze();
                if *left == 0 {
                    *self = BodyDecoder::Done;
                }
                Ok(Decoded::Data(data))
            }
            BodyDecoder::Chunked(state) => loop {
                match decode_chunked(state, buf)? {
                    Step::Again => continue,
                    Step::Out(Decoded::End) => {
                        *self = BodyDecoder::Done;
                        return Ok(Decoded::End);
                    }
                    Step::Out(out) => return Ok(out),
                }
            },
        }
    }
}

/// One step of the chunked decoder.
enum Step {
    Again,
    Out(Decoded),
}

fn decode_chunked(state: &mut Chunked, buf: &mut BytesMut) -> Result<Step, ProtocolError> {
    match *state {
        Chunked::Size => {
            let Some(end) = buf.iter().take(MAX_SIZE_LINE).position(|&b| b == b'\n') else {
                if buf.len() >= MAX_SIZE_LINE {
                    return Err(bad(format!("a chunk-size line is over {MAX_SIZE_LINE} bytes")));
                }
                return Ok(Step::Out(Decoded::NeedMore(1)));
            };
            let size = chunk_size(&buf[..end])?;
            buf.advance(end + 1);
            *state = if size == 0 { Chunked::Trailers(0) } else { Chunked::Data(size) };
            Ok(Step::Again)
        }
        Chunked::Data(left) => {
            let have = buf.len() as u64;
            if have >= left {
                let data = buf.split_to(left as usize).freeze();
                *state = Chunked::DataEnd;
                return Ok(Step::Out(Decoded::Data(data)));
            }
            if left <= GATHER_LIMIT {
                // Gather the whole chunk: one item per message.
                return Ok(Step::Out(Decoded::NeedMore((left - have) as usize)));
            }
            if have == 0 {
                // A big chunk streams as its data arrives: never ask the
                // reader to make room for a size the daemon announced
                // (up to 2^60 bytes).
                return Ok(Step::Out(Decoded::NeedMore(1)));
            }
            let data = buf.split().freeze();
            *state = Chunked::Data(left - have);
            Ok(Step::Out(Decoded::Data(data)))
        }
        Chunked::DataEnd => {
            if buf.len() < 2 {
                return Ok(Step::Out(Decoded::NeedMore(2 - buf.len())));
            }
            if &buf[..2] != b"\r\n" {
                return Err(bad("a chunk's data is not followed by CRLF"));
            }
            buf.advance(2);
            *state = Chunked::Size;
            Ok(Step::Again)
        }
        Chunked::Trailers(seen) => {
            let Some(end) = buf.iter().position(|&b| b == b'\n') else {
                if seen + buf.len() > MAX_TRAILERS {
                    return Err(bad(format!("the trailers are over {MAX_TRAILERS} bytes")));
                }
                return Ok(Step::Out(Decoded::NeedMore(1)));
            };
            if seen + end > MAX_TRAILERS {
                return Err(bad(format!("the trailers are over {MAX_TRAILERS} bytes")));
            }
            let empty = end == 0 || (end == 1 && buf[0] == b'\r');
            buf.advance(end + 1);
            if empty {
                return Ok(Step::Out(Decoded::End));
            }
            *state = Chunked::Trailers(seen + end + 1);
            Ok(Step::Again)
        }
    }
}

/// The size a chunk-size line (without its `\n`) gives.
fn chunk_size(line: &[u8]) -> Result<u64, ProtocolError> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let rest = &line[digits..];
    let rest_ok = rest.is_empty() || rest[0] == b';' || rest[0] == b' ' || rest[0] == b'\t';
    if digits == 0 || !rest_ok {
        let shown = String::from_utf8_lossy(&line[..line.len().min(32)]).into_owned();
        return Err(bad(format!("bad chunk size {shown:?}")));
    }
    if digits > 15 {
        return Err(bad("a chunk size is too big"));
    }
    let text = std::str::from_utf8(&line[..digits]).map_err(|_| bad("bad chunk size"))?;
    u64::from_str_radix(text, 16).map_err(|_| bad("bad chunk size"))
}

#[cfg(test)]
#[path = "http1_tests.rs"]
mod tests;
