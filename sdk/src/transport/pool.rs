//! Keep-alive connections driven by the task that uses them, and the
//! response body that drives its own connection.
//!
//! A pooled client that runs each connection in a task of its own hands
//! every chunk of a response body to the reader through a channel and wakes
//! the reader's task, often on the other worker thread. dockerd writes one
//! HTTP chunk per frame (a 1 KiB log line is a 1,009-byte chunk), so that was
//! a cross-thread wake, and the system calls that go with it, per line.
//! Here the task that sends a request drives its connection itself: while it
//! waits for the response's head, then inside the body stream it reads, so
//! reading the socket (hyper's buffer takes all the socket holds), decoding
//! the chunked encoding and handing out the chunk happen in one poll of one
//! task, and the caller's decoder takes the frames from there.
//!
//! Idle connections wait in [`Pool`] unpolled: one the daemon closed in the
//! meantime is found out when it is checked out (polled once, it ends), and a
//! request that could not be written to a reused connection is sent again on
//! a new one (see `native.rs`).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::Stream;
use hyper::body::Incoming;
use hyper::client::conn::http1::{Connection, SendRequest};

use super::native::Stream_;
use crate::error::TimeoutPhase;
use crate::response::RequestInfo;
use crate::{Body, Error, Result};

/// A connection and its request handle, driven by whoever holds it.
pub(super) struct Lease {
    pub(super) send: SendRequest<Body>,
    conn: Connection<Stream_, Body>,
    /// The connection future ended (closed, or failed with this error):
    /// it is never polled again.
    ended: Option<Option<hyper::Error>>,
    /// It came from the pool: a request it could not take may go to a new
    /// connection.
    pub(super) reused: bool,
}

impl Lease {
    /// HTTP/1.1 over `io`.
    pub(super) async fn handshake(io: Stream_) -> hyper::Result<Lease> {
        let (send, conn) = hyper::client::conn::http1::Builder::new().handshake(io).await?;
        Ok(Lease { send, conn, ended: None, reused: false })
    }

    /// Lets the connection read, write and decode what it can.
    fn poll_conn(&mut self, cx: &mut Context<'_>) {
        if self.ended.is_none() {
            if let Poll::Ready(result) = Pin::new(&mut self.conn).poll(cx) {
                self.ended = Some(result.err());
            }
        }
    }

    /// Polls the connection with a waker that does nothing: for a
    /// connection nobody waits on (checked out, or going back to the pool).
    fn poll_conn_now(&mut self) {
        self.poll_conn(&mut Context::from_waker(futures::task::noop_waker_ref()));
    }

    /// Waits until the connection takes a request, driving it.
    pub(super) async fn ready(&mut self) -> hyper::Result<()> {
        std::future::poll_fn(|cx| {
            self.poll_conn(cx);
            self.send.poll_ready(cx)
        })
        .await
    }

    /// Runs `fut` (a response on its way) while driving the connection.
    pub(super) async fn drive<F: Future + Unpin>(&mut self, mut fut: F) -> F::Output {
        std::future::poll_fn(|cx| {
            self.poll_conn(cx);
            Pin::new(&mut fut).poll(cx)
        })
        .await
    }

    /// The connection itself, for a streamed request (`raw.rs`), when
    /// hyper holds none of its bytes.
    pub(super) fn into_io(self) -> Option<Stream_> {
        if self.ended.is_some() {
            return None;
        }
        let parts = self.conn.into_parts();
        parts.read_buf.is_empty().then_some(parts.io)
    }

    /// A connection a streamed response was read to its end on, back in
    /// hyper's hands for the next request.
    pub(super) fn from_io(io: Stream_) -> Option<Lease> {
        use futures::FutureExt;
        Lease::handshake(io).now_or_never()?.ok()
    }

    /// Whether the connection can take another request now.
    fn reusable(&mut self) -> bool {
        self.poll_conn_now();
        self.ended.is_none() && self.send.is_ready()
    }
}

/// Idle keep-alive connections to one daemon, newest last.
pub(super) struct Pool {
    idle: Mutex<Vec<(Lease, Instant)>>,
    /// Told when a connection comes back.
    back: tokio::sync::Notify,
    max_idle: usize,
    idle_timeout: Duration,
}

impl Pool {
    /// A pool keeping at most `max_idle` connections for `idle_timeout`.
    pub(super) fn new(max_idle: usize, idle_timeout: Duration) -> Self {
        Pool { idle: Mutex::new(Vec::new()), back: tokio::sync::Notify::new(), max_idle, idle_timeout }
    }

    /// The newest idle connection that is still open, if any.
    pub(super) fn checkout(&self) -> Option<Lease> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some((mut lease, since)) = idle.pop() {
            if since.elapsed() >= self.idle_timeout {
                // The rest are older still.
                idle.clear();
                return None;
            }
            if lease.reusable() {
                lease.reused = true;
                return Some(lease);
            }
        }
        None
    }

    /// Keeps `lease` for the next request, when it can take one and there
    /// is room.
    pub(super) fn put(&self, mut lease: Lease) {
        if self.max_idle == 0 || !lease.reusable() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let timeout = self.idle_timeout;
        idle.retain(|(_, since)| since.elapsed() < timeout);
        if idle.len() < self.max_idle {
            idle.push((lease, Instant::now()));
            drop(idle);
            self.back.notify_one();
        }
    }

    /// The next connection that comes back to the pool (or is there).
    pub(super) async fn returned(&self) -> Lease {
        loop {
            let back = self.back.notified();
            if let Some(lease) = self.checkout() {
                return lease;
            }
            back.await;
        }
    }
}

/// A response body as a stream of chunks, with the idle timeout; it drives
/// its connection (when it holds it) and gives it back to the pool at the
/// end of the body. Dropped early, it closes the connection.
pub(super) struct ResponseBody {
    body: Incoming,
    lease: Option<(Lease, Arc<Pool>)>,
    idle: Option<Duration>,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    info: RequestInfo,
    done: bool,
}

impl ResponseBody {
    /// The body of a response on a connection driven elsewhere (an upgrade
    /// request answered without switching).
    pub(super) fn new(body: Incoming, idle: Option<Duration>, info: RequestInfo) -> Self {
        ResponseBody { body, lease: None, idle, timer: None, info, done: false }
    }

    /// The body of a response on `lease`, which goes back to `pool` after it.
    pub(super) fn driving(mut self, lease: Lease, pool: Arc<Pool>) -> Self {
        self.lease = Some((lease, pool));
        self
    }

    fn fail(&mut self, e: Error) -> Poll<Option<Result<Bytes>>> {
        self.done = true;
        self.lease = None;
        Poll::Ready(Some(Err(e)))
    }

    fn transport_error(&self, e: hyper::Error) -> Error {
        Error::transport(format!("reading the response to {}", self.info), e)
    }
}

impl ResponseBody {
    /// Reads what is left of the body without waiting, up to `DRAIN_LIMIT`
    /// bytes: whether it ended (its connection can take another request).
    fn drain_now(&mut self) -> bool {
        use http_body::Body as _;
        let Some((lease, _)) = self.lease.as_mut() else { return false };
        let mut cx = Context::from_waker(futures::task::noop_waker_ref());
        let (mut drained, mut driven) = (0usize, false);
        while drained <= DRAIN_LIMIT {
            match Pin::new(&mut self.body).poll_frame(&mut cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    drained += frame.data_ref().map_or(0, |d| d.len());
                    driven = false;
                }
                Poll::Ready(None) => return true,
                Poll::Ready(Some(Err(_))) => return false,
                Poll::Pending if !driven => {
                    lease.poll_conn_now();
                    driven = true;
                }
                Poll::Pending => return false,
            }
        }
        false
    }
}

/// How much of a body dropped unread is read, when it is already there,
/// to keep its connection (the two bytes of a `/_ping` answer whose
/// headers were all the caller wanted).
const DRAIN_LIMIT: usize = 16 * 1024;

impl Drop for ResponseBody {
    /// A body dropped unread whose rest is already received (a 204, the
    /// `OK` of a ping) leaves its connection reusable: it goes back to the
    /// pool. Any other body dropped early closes its connection.
    fn drop(&mut self) {
        if self.lease.is_some() && !self.done && self.drain_now() {
            if let Some((lease, pool)) = self.lease.take() {
                pool.put(lease);
            }
        }
    }
}

impl Stream for ResponseBody {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        use http_body::Body as _;
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        // Whether the connection was driven in this poll: once is enough,
        // it decodes all it can.
        let mut driven = false;
        loop {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    this.timer = None;
                    if let Ok(data) = frame.into_data() {
                        if !data.is_empty() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                    continue;
                }
                Poll::Ready(Some(Err(e))) => {
                    let e = this.transport_error(e);
                    return this.fail(e);
                }
                Poll::Ready(None) => {
                    this.done = true;
                    if let Some((lease, pool)) = this.lease.take() {
                        pool.put(lease);
                    }
                    return Poll::Ready(None);
                }
                Poll::Pending => {}
            }
            let ended = match this.lease.as_mut() {
                Some((lease, _)) if !driven => {
                    lease.poll_conn(cx);
                    driven = true;
                    continue;
                }
                Some((lease, _)) => lease.ended.as_mut().map(Option::take),
                None => None,
            };
            // The connection ended and the body will never end: say so
            // rather than wait forever.
            if let Some(error) = ended {
                let e = match error {
                    Some(e) => this.transport_error(e),
                    None => Error::transport(
                        format!("reading the response to {}", this.info),
                        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the connection closed mid-body"),
                    ),
                };
                return this.fail(e);
            }
            let Some(idle) = this.idle else { return Poll::Pending };
            let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
            ready!(timer.as_mut().poll(cx));
            let e = Error::Timeout {
                phase: TimeoutPhase::Idle,
                after: idle,
                method: this.info.method.clone(),
                path: this.info.path.clone(),
            };
            return this.fail(e);
        }
    }
}
