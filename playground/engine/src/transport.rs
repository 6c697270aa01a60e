//! The in-memory transport: `dockhand::Docker` → [`Engine`], no sockets,
//! with an optional recorder of every exchange (each [`Exchange`] in full,
//! tagged by the command line with the daemon that answered).
//!
//! Uses the [`Engine`] handle (and through it `http`) and `util`.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use dockhand::transport::{Transport, UpgradeOutcome, Upgraded};
use dockhand::{Body, Result};
use futures::future::BoxFuture;
use futures::io::{AsyncRead, AsyncWrite};
use futures::{FutureExt, StreamExt};

use crate::{DetachKeys, Engine};
use serde::{Deserialize, Serialize};

/// One HTTP exchange a command caused, for the wire inspector.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The daemon that answered, as the session names it (`local`,
    /// `remote`); empty when the transport is used on its own.
    #[serde(default)]
    pub daemon: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path and query (`/v1.51/containers/json?all=1`).
    pub path: String,
    /// Request headers (`X-Registry-Auth` redacted).
    pub request_headers: Vec<(String, String)>,
    /// The request body as text (JSON, or `<N bytes>` for archives).
    pub request_body: String,
    /// The response status.
    pub status: u16,
    /// Response headers.
    pub response_headers: Vec<(String, String)>,
    /// The response body as text (multiplexed frames as `[stdout 6B]...`).
    pub response_body: String,
}

/// Where the stdin of a hijacked connection goes: a container's main
/// process, or an exec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StdinTarget {
    /// The container's id.
    pub container: String,
    /// The exec's id, for `exec`.
    pub exec: Option<String>,
}

/// A shared log of exchanges.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    log: Arc<Mutex<Vec<Exchange>>>,
}

/// The most of a body an exchange keeps.
const RECORD_LIMIT: usize = 64 * 1024;

impl Recorder {
    /// Takes the exchanges recorded so far.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.log.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn push(&self, x: Exchange) -> usize {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        log.push(x);
        log.len() - 1
    }

    fn append_body(&self, index: usize, chunk: &[u8]) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(x) = log.get_mut(index)
            && x.response_body.len() < RECORD_LIMIT
        {
            x.response_body.push_str(&printable(chunk));
        }
    }
}

/// Bytes as text for the wire inspector (multiplexed frame headers shown
/// as `[stdout 12B]`).
fn printable(data: &[u8]) -> String {
    if data.len() >= 8 && data[0] <= 2 && data[1..4] == [0, 0, 0] {
        let mut s = String::new();
        for (stream, payload) in crate::util::deframe(data) {
            let name = if stream == 2 { "stderr" } else { "stdout" };
            s.push_str(&format!("[{name} {}B]{}", payload.len(), String::from_utf8_lossy(&payload)));
        }
        return s;
    }
    String::from_utf8_lossy(data).into_owned()
}

fn headers(map: &http::HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                if k.as_str().eq_ignore_ascii_case("x-registry-auth") {
                    "<redacted>".to_string()
                } else {
                    v.to_str().unwrap_or("<binary>").to_string()
                },
            )
        })
        .collect()
}

/// A [`Transport`] into an [`Engine`].
#[derive(Debug, Clone)]
pub struct InMemoryTransport {
    engine: Engine,
    recorder: Option<Recorder>,
}

impl InMemoryTransport {
    /// A transport into `engine`.
    pub fn new(engine: Engine) -> Self {
        InMemoryTransport { engine, recorder: None }
    }

    /// A transport that records every exchange into `recorder`.
    pub fn recording(engine: Engine, recorder: Recorder) -> Self {
        InMemoryTransport { engine, recorder: Some(recorder) }
    }

    fn exchange(&self, request: http::Request<Body>) -> BoxFuture<'static, Result<http::Response<Body>>> {
        let engine = self.engine.clone();
        let recorder = self.recorder.clone();
        async move {
            let (parts, body) = request.into_parts();
            let bytes = body.collect(512 * 1024 * 1024).await?;
            let mut record = recorder.as_ref().map(|_| Exchange {
                daemon: String::new(),
                method: parts.method.to_string(),
                path: parts.uri.to_string(),
                request_headers: headers(&parts.headers),
                request_body: if bytes.len() > RECORD_LIMIT {
                    format!("<{} bytes>", bytes.len())
                } else {
                    printable(&bytes)
                },
                status: 0,
                response_headers: Vec::new(),
                response_body: String::new(),
            });
            let response = engine.handle(http::Request::from_parts(parts, bytes));
            let (Some(recorder), Some(mut x)) = (recorder, record.take()) else { return Ok(response) };
            x.status = response.status().as_u16();
            x.response_headers = headers(response.headers());
            let index = recorder.push(x);
            let (parts, body) = response.into_parts();
            let teed = body.map(move |chunk| {
                if let Ok(c) = &chunk {
                    recorder.append_body(index, c);
                }
                chunk
            });
            Ok(http::Response::from_parts(parts, Body::from_result_stream(teed)))
        }
        .boxed()
    }
}

impl Transport for InMemoryTransport {
    fn send(&self, request: http::Request<Body>) -> BoxFuture<'static, Result<http::Response<Body>>> {
        self.exchange(request)
    }

    fn upgrade(&self, mut request: http::Request<Body>) -> BoxFuture<'static, Result<UpgradeOutcome>> {
        // As the trait asks (and the native transport does): the daemon
        // hijacks the connection only when the request asks to upgrade.
        let headers = request.headers_mut();
        headers.insert(http::header::CONNECTION, http::HeaderValue::from_static("Upgrade"));
        headers.entry(http::header::UPGRADE).or_insert_with(|| http::HeaderValue::from_static("tcp"));
        let engine = self.engine.clone();
        let fut = self.exchange(request);
        async move {
            let response = fut.await?;
            if response.status() != http::StatusCode::SWITCHING_PROTOCOLS {
                return Ok(UpgradeOutcome::Response(response));
            }
            let (head, body) = response.into_parts();
            let target = head.extensions.get::<StdinTarget>().cloned();
            let detach = head.extensions.get::<DetachKeys>().cloned();
            let io = EngineIo { body, pending: Bytes::new(), engine, target, detach, detached: false };
            Ok(UpgradeOutcome::Upgraded(Upgraded { head, io: Box::pin(io) }))
        }
        .boxed()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.engine.advance(duration.as_millis().min(u128::from(u64::MAX)) as u64);
        futures::future::ready(()).boxed()
    }

    fn describe(&self) -> String {
        String::from("in-memory simulated engine (dockhand-engine)")
    }
}

/// The connection after an in-memory upgrade: reads the output stream,
/// writes feed stdin, until the client types the detach keys (then the
/// connection is closed, as dockerd closes it, and the process runs on).
struct EngineIo {
    body: Body,
    pending: Bytes,
    engine: Engine,
    target: Option<StdinTarget>,
    detach: Option<DetachKeys>,
    detached: bool,
}

impl AsyncRead for EngineIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<std::io::Result<usize>> {
        loop {
            if self.detached {
                return Poll::Ready(Ok(0));
            }
            if !self.pending.is_empty() {
                let n = buf.len().min(self.pending.len());
                let chunk = self.pending.split_to(n);
                buf[..n].copy_from_slice(&chunk);
                return Poll::Ready(Ok(n));
            }
            match self.body.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(b))) => self.pending = b,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(std::io::Error::other(e.to_string()))),
                Poll::Ready(None) => return Poll::Ready(Ok(0)),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl AsyncWrite for EngineIo {
    fn poll_write(mut self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        if self.detached {
            return Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()));
        }
        let (input, detached) = match &mut self.detach {
            Some(keys) => keys.feed(buf),
            None => (buf.to_vec(), false),
        };
        if let Some(t) = &self.target
            && !input.is_empty()
        {
            self.engine.write_stdin(t, &input);
        }
        if detached {
            self.detached = true;
            self.engine.notify();
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if let Some(t) = &self.target
            && !self.detached
        {
            self.engine.close_stdin(t);
        }
        Poll::Ready(Ok(()))
    }
}
