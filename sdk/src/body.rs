//! [`Body`]: the bytes of a request or response, whole or streamed.
//!
//! One type serves both directions and every transport. A request body is
//! empty, a buffer, or a stream the caller feeds (a build context, an archive);
//! a response body is always read as a stream of [`Bytes`] chunks, so nothing
//! above the transport waits for a whole download.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures::stream::{BoxStream, Stream, StreamExt};

use crate::{Error, Result};

/// The body of a request or a response.
///
/// ```
/// use dockhand::Body;
/// use futures::StreamExt;
/// # futures::executor::block_on(async {
/// let body = Body::from_stream(futures::stream::iter(vec![
///     Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"hello ")),
///     Ok(bytes::Bytes::from_static(b"world")),
/// ]));
/// assert_eq!(&body.collect(1024).await?[..], b"hello world");
/// # Ok::<(), dockhand::Error>(()) }).unwrap();
/// ```
pub struct Body {
    inner: Inner,
}

enum Inner {
    Empty,
    Full(Bytes),
    Stream(BoxStream<'static, Result<Bytes>>),
}

impl Body {
    /// No bytes at all.
    pub fn empty() -> Self {
        Body { inner: Inner::Empty }
    }

    /// A body held in memory.
    pub fn full(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        if bytes.is_empty() { Body::empty() } else { Body { inner: Inner::Full(bytes) } }
    }

    /// A body read from a stream of chunks, such as a file or a tar builder.
    ///
    /// An `Err` item aborts the request; the error is reported as
    /// [`Error::Io`].
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    {
        let stream =
            stream.map(|item| item.map_err(|source| Error::Io { context: "reading the request body".into(), source }));
        Body { inner: Inner::Stream(stream.boxed()) }
    }

    /// A body from a stream whose errors are already dockhand errors; for
    /// transports.
    pub fn from_result_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes>> + Send + 'static,
    {
        Body { inner: Inner::Stream(stream.boxed()) }
    }

    /// The exact length, when it is known without reading.
    pub fn exact_len(&self) -> Option<u64> {
        match &self.inner {
            Inner::Empty => Some(0),
            Inner::Full(b) => Some(b.len() as u64),
            Inner::Stream(_) => None,
        }
    }

    /// A copy of the body when it can be sent again (empty or in memory);
    /// `None` for a stream. Retries use this.
    pub fn try_clone(&self) -> Option<Body> {
        match &self.inner {
            Inner::Empty => Some(Body::empty()),
            Inner::Full(b) => Some(Body { inner: Inner::Full(b.clone()) }),
            Inner::Stream(_) => None,
        }
    }

    /// Reads the whole body, failing with [`Error::Stream`] past `limit`
    /// bytes so that a hostile or runaway body cannot exhaust memory.
    pub async fn collect(self, limit: usize) -> Result<Bytes> {
        match self.inner {
            Inner::Empty => Ok(Bytes::new()),
            Inner::Full(b) if b.len() <= limit => Ok(b),
            Inner::Full(b) => Err(too_large(b.len(), limit)),
            Inner::Stream(mut s) => {
                let mut first: Option<Bytes> = None;
                let mut buf = BytesMut::new();
                while let Some(chunk) = s.next().await {
                    let chunk = chunk?;
                    let total = first.as_ref().map_or(0, Bytes::len) + buf.len() + chunk.len();
                    if total > limit {
                        return Err(too_large(total, limit));
                    }
                    // Keep a single chunk as-is: no copy for the common case.
                    match first.take() {
                        None if buf.is_empty() => first = Some(chunk),
                        None => buf.extend_from_slice(&chunk),
                        Some(f) => {
                            buf.extend_from_slice(&f);
                            buf.extend_from_slice(&chunk);
                        }
                    }
                }
                Ok(first.unwrap_or_else(|| buf.freeze()))
            }
        }
    }
}

fn too_large(len: usize, limit: usize) -> Error {
    Error::stream("reading a response body", format!("body exceeds {limit} bytes (at least {len})"))
}

impl Default for Body {
    fn default() -> Self {
        Body::empty()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Empty => f.write_str("Body::Empty"),
            Inner::Full(b) => write!(f, "Body::Full({} bytes)", b.len()),
            Inner::Stream(_) => f.write_str("Body::Stream"),
        }
    }
}

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Self {
        Body::full(b)
    }
}

impl From<Vec<u8>> for Body {
    fn from(v: Vec<u8>) -> Self {
        Body::full(v)
    }
}

impl From<String> for Body {
    fn from(s: String) -> Self {
        Body::full(s)
    }
}

impl From<&'static str> for Body {
    fn from(s: &'static str) -> Self {
        Body::full(Bytes::from_static(s.as_bytes()))
    }
}

impl Stream for Body {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.inner {
            Inner::Empty => Poll::Ready(None),
            Inner::Full(_) => match std::mem::replace(&mut self.inner, Inner::Empty) {
                Inner::Full(b) => Poll::Ready(Some(Ok(b))),
                _ => unreachable!("matched Full above"),
            },
            Inner::Stream(s) => s.poll_next_unpin(cx),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.inner {
            Inner::Empty => (0, Some(0)),
            Inner::Full(_) => (1, Some(1)),
            Inner::Stream(s) => s.size_hint(),
        }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<std::result::Result<http_body::Frame<Bytes>, Error>>> {
        self.poll_next(cx).map(|o| o.map(|r| r.map(http_body::Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.inner, Inner::Empty)
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.exact_len() {
            Some(n) => http_body::SizeHint::with_exact(n),
            None => http_body::SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    fn chunks(parts: &[&'static [u8]]) -> Body {
        let items: Vec<std::io::Result<Bytes>> = parts.iter().map(|p| Ok(Bytes::from_static(p))).collect();
        Body::from_stream(futures::stream::iter(items))
    }

    #[test]
    fn collect_joins_and_limits() {
        assert_eq!(&block_on(chunks(&[b"ab", b"cd", b"e"]).collect(5)).unwrap()[..], b"abcde");
        let err = block_on(chunks(&[b"ab", b"cd", b"e"]).collect(4)).unwrap_err();
        assert!(err.to_string().contains("exceeds 4 bytes"), "{err}");
        assert!(block_on(Body::full("toolong").collect(3)).is_err());
        assert!(block_on(Body::empty().collect(0)).unwrap().is_empty());
    }

    #[test]
    fn stream_errors_are_io_errors() {
        let items: Vec<std::io::Result<Bytes>> = vec![Err(std::io::Error::other("disk gone"))];
        let err = block_on(Body::from_stream(futures::stream::iter(items)).collect(10)).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err:?}");
    }

    #[test]
    fn only_buffered_bodies_clone() {
        assert!(Body::full("x").try_clone().is_some());
        assert!(chunks(&[b"x"]).try_clone().is_none());
        assert_eq!(Body::full("").exact_len(), Some(0));
    }
}
