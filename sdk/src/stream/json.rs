//! Streams of concatenated JSON values: `/events`, and the progress of pull,
//! push, build, import and load.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Buf, BytesMut};
use futures::Stream;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::response::decode_json;
use crate::{Body, Error, Result};

/// The largest single JSON value a stream may carry (16 MiB). A value still
/// incomplete past this size is an error, not an ever-growing buffer.
pub const MAX_VALUE_LEN: usize = 16 * 1024 * 1024;

/// A sans-IO decoder of concatenated JSON values (newline- or CRLF-separated,
/// several per chunk, or one split across chunks).
///
/// ```
/// use dockhand::stream::JsonLines;
/// let mut d = JsonLines::new("demo");
/// d.push(b"{\"a\":1}\r\n{\"a\"");
/// assert_eq!(d.next_value::<serde_json::Value>()?.unwrap()["a"], 1);
/// assert!(d.next_value::<serde_json::Value>()?.is_none()); // waits for the rest
/// d.push(b":2}\n");
/// assert_eq!(d.next_value::<serde_json::Value>()?.unwrap()["a"], 2);
/// d.finish()?;
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug)]
pub struct JsonLines {
    buf: BytesMut,
    context: &'static str,
    max: usize,
    scan: Scan,
}

/// How far the object or array at the start of the buffer has been scanned
/// for its end, so each byte is looked at once however the value is split
/// across chunks (parsing the whole buffer again on every chunk is
/// quadratic: seconds for a value of a few MiB).
#[derive(Debug, Default)]
struct Scan {
    pos: usize,
    /// The brackets still open.
    open: Vec<u8>,
    in_string: bool,
    escaped: bool,
}

impl Scan {
    /// Scans `buf` from where the last call stopped; returns how many bytes
    /// serde should parse: up to the value's closing bracket, or up to a
    /// byte that cannot be JSON there (a mismatched bracket, a stray
    /// letter), so that malformed input is reported at once rather than
    /// buffered.
    fn end(&mut self, buf: &[u8]) -> Option<usize> {
        while self.pos < buf.len() {
            let b = buf[self.pos];
            self.pos += 1;
            if self.in_string {
                match b {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' => self.open.push(b'}'),
                b'[' => self.open.push(b']'),
                b'}' | b']' => {
                    if self.open.pop() != Some(b) || self.open.is_empty() {
                        return Some(self.pos);
                    }
                }
                b' ' | b'\t' | b'\r' | b'\n' | b':' | b',' | b'-' | b'+' | b'.' | b'0'..=b'9' => {}
                // true, false, null, exponents
                b'a' | b'e' | b'f' | b'l' | b'n' | b'r' | b's' | b't' | b'u' | b'E' => {}
                _ => return Some(self.pos),
            }
        }
        None
    }
}

impl JsonLines {
    /// A decoder; `context` names the stream in errors.
    pub fn new(context: &'static str) -> Self {
        JsonLines { buf: BytesMut::new(), context, max: MAX_VALUE_LEN, scan: Scan::default() }
    }

    /// The same with another limit on a value's size.
    pub fn with_max_value_len(mut self, max: usize) -> Self {
        self.max = max;
        self
    }

    /// Adds bytes that arrived.
    pub fn push(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
    }

    fn skip_whitespace(&mut self) {
        let n = self.buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        self.buf.advance(n);
    }

    /// The next complete value, `None` when more bytes are needed.
    ///
    /// A value that is valid JSON but not a `T` is returned as an error and
    /// skipped, so the stream can go on; malformed JSON is an error that
    /// discards the buffered bytes, since no boundary can be found in them.
    pub fn next_value<T: DeserializeOwned>(&mut self) -> Result<Option<T>> {
        self.skip_whitespace();
        if self.buf.is_empty() {
            return Ok(None);
        }
        // An object or array is parsed once its closing bracket arrived;
        // anything else (a scalar, garbage) is left to serde at once.
        let candidate = match self.buf[0] {
            b'{' | b'[' => match self.scan.end(&self.buf) {
                Some(end) => end,
                None => return self.incomplete(),
            },
            _ => self.buf.len(),
        };
        let mut values = serde_json::Deserializer::from_slice(&self.buf[..candidate]).into_iter::<IgnoredAny>();
        match values.next() {
            Some(Ok(_)) => {
                let end = values.byte_offset();
                let value = self.buf.split_to(end);
                self.scan = Scan::default();
                decode_json(self.context, &value).map(Some)
            }
            Some(Err(e)) if e.is_eof() && candidate == self.buf.len() => self.incomplete(),
            Some(Err(e)) => {
                let excerpt = crate::error::excerpt(&self.buf, 120);
                self.clear();
                Err(Error::stream(self.context, format!("malformed JSON: {e} (near {excerpt:?})")))
            }
            None => Ok(None),
        }
    }

    /// More bytes are needed, unless the value is already too large.
    fn incomplete<T>(&mut self) -> Result<Option<T>> {
        if self.buf.len() > self.max {
            let len = self.buf.len();
            self.clear();
            return Err(Error::stream(
                self.context,
                format!("a JSON value exceeds {} bytes (at least {len})", self.max),
            ));
        }
        Ok(None)
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.scan = Scan::default();
    }

    /// Checks, at the end of the body, that no partial value is left.
    pub fn finish(&mut self) -> Result<()> {
        self.skip_whitespace();
        if self.buf.is_empty() {
            Ok(())
        } else {
            let excerpt = crate::error::excerpt(&self.buf, 120);
            self.clear();
            Err(Error::stream(self.context, format!("the stream ended inside a JSON value ({excerpt:?})")))
        }
    }
}

/// A [`Stream`] of `T` decoded from a body of concatenated JSON values.
pub struct JsonStream<T> {
    body: Option<Body>,
    decoder: JsonLines,
    _item: PhantomData<fn() -> T>,
}

impl<T> JsonStream<T> {
    /// Decodes `body`.
    pub fn new(body: Body, context: &'static str) -> Self {
        JsonStream { body: Some(body), decoder: JsonLines::new(context), _item: PhantomData }
    }
}

impl<T: DeserializeOwned> Stream for JsonStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.decoder.next_value::<T>().transpose() {
                return Poll::Ready(Some(item));
            }
            let Some(body) = this.body.as_mut() else { return Poll::Ready(None) };
            match ready!(Pin::new(body).poll_next(cx)) {
                Some(Ok(chunk)) => this.decoder.push(&chunk),
                Some(Err(e)) => {
                    this.body = None;
                    return Poll::Ready(Some(Err(e)));
                }
                None => {
                    this.body = None;
                    return Poll::Ready(this.decoder.finish().err().map(Err));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use futures::executor::block_on;
    use proptest::prelude::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct M {
        n: u32,
    }

    fn stream_of(chunks: Vec<&'static [u8]>) -> JsonStream<M> {
        let items: Vec<std::io::Result<bytes::Bytes>> =
            chunks.into_iter().map(|c| Ok(bytes::Bytes::from_static(c))).collect();
        JsonStream::new(Body::from_stream(futures::stream::iter(items)), "test stream")
    }

    #[test]
    fn several_per_chunk_and_split() {
        let items: Vec<_> = block_on(stream_of(vec![b"{\"n\":1}\n{\"n\":2}\r\n{\"n\"", b":3}", b"\n"]).collect());
        let ns: Vec<u32> = items.into_iter().map(|r| r.unwrap().n).collect();
        assert_eq!(ns, [1, 2, 3]);
    }

    #[test]
    fn wrong_shape_is_skipped_with_an_error() {
        let items: Vec<_> = block_on(stream_of(vec![b"{\"n\":\"x\"}{\"n\":5}"]).collect());
        assert!(items[0].as_ref().unwrap_err().is_decode());
        assert_eq!(items[1].as_ref().unwrap().n, 5);
    }

    #[test]
    fn truncated_stream_is_an_error() {
        let items: Vec<_> = block_on(stream_of(vec![b"{\"n\":1}\n{\"n\":"]).collect());
        assert_eq!(items.len(), 2);
        let err = items[1].as_ref().unwrap_err();
        assert!(err.to_string().contains("ended inside"), "{err}");
    }

    #[test]
    fn oversized_values_are_refused() {
        let mut d = JsonLines::new("t").with_max_value_len(8);
        d.push(b"{\"n\":\"0123456789");
        assert!(d.next_value::<serde_json::Value>().is_err());
        d.push(b"{\"n\":1}");
        assert!(d.next_value::<serde_json::Value>().unwrap().is_some(), "recovers after the error");
    }

    #[test]
    fn brackets_inside_strings_do_not_end_a_value_at_any_split() {
        let text = br#"{"s":"}]\"{[\\","t":[{"u":"\\"}]} [1,{"a":"]"}] {"n":7}"#;
        for cut in 0..=text.len() {
            let mut d = JsonLines::new("t");
            let mut got = vec![];
            d.push(&text[..cut]);
            while let Some(v) = d.next_value::<serde_json::Value>().unwrap() {
                got.push(v);
            }
            d.push(&text[cut..]);
            while let Some(v) = d.next_value::<serde_json::Value>().unwrap() {
                got.push(v);
            }
            d.finish().unwrap();
            assert_eq!(got.len(), 3, "cut at {cut}: {got:?}");
            assert_eq!(got[0]["s"], "}]\"{[\\");
            assert_eq!(got[0]["t"][0]["u"], "\\");
            assert_eq!(got[1][1]["a"], "]");
            assert_eq!(got[2]["n"], 7);
        }
    }

    #[test]
    fn a_large_value_in_small_chunks_is_decoded_in_linear_time() {
        // 4 MiB in 8 KiB chunks: re-parsing the buffer on every chunk took
        // about 30 s in a debug build; scanning each byte once takes
        // milliseconds.
        let value = format!("{{\"a\":\"{}\"}}\n", "x".repeat(4 * 1024 * 1024));
        let started = std::time::Instant::now();
        let mut d = JsonLines::new("t");
        let mut got = 0;
        for chunk in value.as_bytes().chunks(8192) {
            d.push(chunk);
            while let Some(v) = d.next_value::<serde_json::Value>().unwrap() {
                assert_eq!(v["a"].as_str().map(str::len), Some(4 * 1024 * 1024));
                got += 1;
            }
        }
        assert_eq!(got, 1);
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn malformed_objects_are_errors_once_closed_and_the_stream_recovers() {
        let mut d = JsonLines::new("t");
        d.push(b"{\"n\": oops}");
        let err = d.next_value::<M>().unwrap_err();
        assert!(err.to_string().contains("malformed JSON"), "{err}");
        d.push(b"{\"n\":4}");
        assert_eq!(d.next_value::<M>().unwrap(), Some(M { n: 4 }));
        d.push(b"{\"n\":[1}{\"n\":5}");
        assert!(d.next_value::<M>().is_err(), "mismatched brackets");
        d.push(b"{\"n\": nope, \"rest\": \"not yet here");
        assert!(d.next_value::<M>().is_err(), "garbage is reported before the value closes");
        d.push(b"{\"n\":6}");
        assert_eq!(d.next_value::<M>().unwrap(), Some(M { n: 6 }));
        d.finish().unwrap();
    }

    proptest! {
        #[test]
        fn any_split_yields_the_same_values(cut in 0usize..40, garbage in proptest::collection::vec(any::<u8>(), 0..64)) {
            let text = b"{\"n\":10}\n{\"n\":20}\r\n{\"n\":30}";
            let cut = cut.min(text.len());
            let mut d = JsonLines::new("t");
            let mut got = vec![];
            d.push(&text[..cut]);
            while let Some(m) = d.next_value::<M>().unwrap() { got.push(m.n) }
            d.push(&text[cut..]);
            while let Some(m) = d.next_value::<M>().unwrap() { got.push(m.n) }
            prop_assert_eq!(got, vec![10, 20, 30]);
            // Arbitrary bytes never panic the decoder.
            let mut d = JsonLines::new("t");
            d.push(&garbage);
            for _ in 0..4 { let _ = d.next_value::<serde_json::Value>(); }
            let _ = d.finish();
        }
    }
}
