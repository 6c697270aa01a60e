//! Streamed responses read on the raw connection, by the task that
//! consumes them.
//!
//! A request marked [`Streamed`](super::Streamed) (logs, events, pull and
//! other progress streams, exports) goes on a connection of its own: its
//! head is written by hand, the response's head parsed from the read
//! buffer, and the body's chunks decoded from that same buffer
//! (`http1.rs`) inside the body stream's `poll_next`. There is no
//! connection task and no per-chunk channel: one read takes all the
//! socket holds, and each chunk (one frame or JSON message, as dockerd
//! writes them) leaves as one `Bytes` slice of it. The connection is an
//! idle pooled one taken out of hyper's hands, or a new one; it goes back
//! to the pool only when the body was read to its end with nothing left
//! over; dropping the body early closes it.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::Stream;
use http::{Method, Request, Response};

use super::http1::{BodyDecoder, Decoded, ProtocolError, parse_head, request_head};
use super::native::Stream_;
use super::pool::{Lease, Pool};
use crate::error::TimeoutPhase;
use crate::response::RequestInfo;
use crate::{Body, Error, Result};

/// How much room a read gets at least.
const READ_SIZE: usize = 256 * 1024;

/// What is sent for a streamed request: its head and method.
pub(super) struct Sent {
    head: Vec<u8>,
    method: Method,
}

impl Sent {
    /// The head of `request` (which has no body).
    pub(super) fn of(request: &Request<Body>) -> Self {
        Sent { head: request_head(request), method: request.method().clone() }
    }
}

/// Writes the request's head on `io`, reads the response's head, and
/// returns the response's head with its body reading `io`.
pub(super) async fn exchange(
    mut io: Stream_,
    sent: &Sent,
    info: &RequestInfo,
) -> std::result::Result<(http::response::Parts, RawBody), RawError> {
    write_all(&mut io, &sent.head).await.map_err(RawError::Io)?;
    let mut buf = BytesMut::with_capacity(READ_SIZE);
    loop {
        if let Some((parts, decoder)) = parse_head(&mut buf, &sent.method).map_err(RawError::Protocol)? {
            let keep_alive = !parts
                .headers
                .get_all(http::header::CONNECTION)
                .iter()
                .any(|v| v.to_str().is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close"))));
            let pool = None;
            let io = Some(io);
            let body = RawBody { io, buf, decoder, idle: None, timer: None, info: info.clone(), keep_alive, pool };
            return Ok((parts, body));
        }
        let n = std::future::poll_fn(|cx| poll_fill(&mut io, cx, &mut buf, 1)).await.map_err(RawError::Io)?;
        if n == 0 {
            return Err(RawError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the connection closed before the response's head",
            )));
        }
    }
}

/// Why an exchange failed: the connection's error, or bad HTTP.
#[derive(Debug)]
pub(super) enum RawError {
    Io(io::Error),
    Protocol(ProtocolError),
}

/// The response to a streamed request; its connection goes back to
/// `pool` when the body was read to its end and the connection can take
/// another request.
pub(super) fn response(
    parts: http::response::Parts,
    body: RawBody,
    idle: Option<Duration>,
    pool: Arc<Pool>,
) -> Response<Body> {
    let body = RawBody { idle, pool: Some(pool), ..body };
    Response::from_parts(parts, Body::from_result_stream(body))
}

async fn write_all(io: &mut Stream_, mut data: &[u8]) -> io::Result<()> {
    use hyper::rt::Write;
    while !data.is_empty() {
        let n = std::future::poll_fn(|cx| Pin::new(&mut *io).poll_write(cx, data)).await?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::WriteZero, "the connection took no more bytes"));
        }
        data = &data[n..];
    }
    std::future::poll_fn(|cx| Pin::new(&mut *io).poll_flush(cx)).await
}

/// Reads what `io` holds into `buf`, with room for `want` more bytes at
/// least; the count read (0 at the end of the connection).
fn poll_fill(io: &mut Stream_, cx: &mut Context<'_>, buf: &mut BytesMut, want: usize) -> Poll<io::Result<usize>> {
    use hyper::rt::Read;
    if buf.capacity() - buf.len() < want.max(READ_SIZE / 4) {
        buf.reserve(want.max(READ_SIZE));
    }
    let spare = buf.spare_capacity_mut();
    let mut rb = hyper::rt::ReadBuf::uninit(spare);
    ready!(Pin::new(io).poll_read(cx, rb.unfilled()))?;
    let n = rb.filled().len();
    // SAFETY: the first `n` bytes of the spare capacity were written by the
    // read (`ReadBuf` tracks what is filled and initialised).
    unsafe { buf.set_len(buf.len() + n) };
    Poll::Ready(Ok(n))
}

/// A streamed response's body: decodes the chunks from its own read
/// buffer, reading the connection when it needs more.
pub(super) struct RawBody {
    /// The connection (taken when it goes back to the pool).
    io: Option<Stream_>,
    /// The daemon did not say `Connection: close`.
    keep_alive: bool,
    pool: Option<Arc<Pool>>,
    buf: BytesMut,
    decoder: BodyDecoder,
    idle: Option<Duration>,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    info: RequestInfo,
}

impl RawBody {
    /// The body ended: its connection goes back to the pool when nothing
    /// is left over in the buffer and the daemon keeps it open.
    fn end(&mut self) -> Poll<Option<Result<Bytes>>> {
        let reusable = self.keep_alive && self.buf.is_empty();
        if let (Some(io), Some(pool), true) = (self.io.take(), self.pool.take(), reusable) {
            if let Some(lease) = Lease::from_io(io) {
                pool.put(lease);
            }
        }
        Poll::Ready(None)
    }

    fn error(&mut self, message: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Poll<Option<Result<Bytes>>> {
        self.decoder = BodyDecoder::Done;
        Poll::Ready(Some(Err(Error::transport(format!("reading the response to {}", self.info), message))))
    }
}

impl Stream for RawBody {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            let want = match this.decoder.decode(&mut this.buf) {
                Ok(Decoded::Data(data)) => {
                    this.timer = None;
                    return Poll::Ready(Some(Ok(data)));
                }
                Ok(Decoded::End) => return this.end(),
                Ok(Decoded::NeedMore(want)) => want,
                Err(e) => return this.error(e),
            };
            let Some(io) = this.io.as_mut() else { return Poll::Ready(None) };
            match poll_fill(io, cx, &mut this.buf, want) {
                Poll::Ready(Ok(0)) if this.decoder.ends_at_eof() => {
                    this.decoder = BodyDecoder::Done;
                    this.io = None;
                    return Poll::Ready(None);
                }
                Poll::Ready(Ok(0)) => {
                    return this.error(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection closed mid-body"));
                }
                Poll::Ready(Ok(_)) => continue,
                Poll::Ready(Err(e)) => return this.error(e),
                Poll::Pending => {}
            }
            let Some(idle) = this.idle else { return Poll::Pending };
            let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
            ready!(timer.as_mut().poll(cx));
            this.decoder = BodyDecoder::Done;
            return Poll::Ready(Some(Err(Error::Timeout {
                phase: TimeoutPhase::Idle,
                after: idle,
                method: this.info.method.clone(),
                path: this.info.path.clone(),
            })));
        }
    }
}

/// Whether `request` can take the raw road: marked as streamed, with no
/// body to send.
pub(super) fn wants_raw(request: &Request<Body>) -> bool {
    request.extensions().get::<super::Streamed>().is_some()
        && request.body().exact_len() == Some(0)
        && *request.method() != Method::CONNECT
}
