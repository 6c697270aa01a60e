//! Attach over a websocket (`GET /containers/{id}/attach/ws`), on the
//! SDK's own websocket framing ([`crate::websocket`]).

use std::pin::Pin;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures::io::{AsyncReadExt, AsyncWriteExt, ReadHalf, WriteHalf};
use futures::stream::{BoxStream, StreamExt};
use http::header::{HeaderValue, ORIGIN, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, SEC_WEBSOCKET_VERSION, UPGRADE};

use super::ContainerHandle;
use crate::api::AttachOptions;
use crate::api::container_streams as api;
use crate::stream::frames::{Output, StdStream};
use crate::transport::{Duplex, UpgradeOutcome};
use crate::websocket::{self, Event, FrameError, Messages, Opcode};
use crate::{Error, Result};

type Socket = Pin<Box<dyn Duplex>>;

/// The largest message (and frame) read: a container's output arrives in
/// messages of at most 32 KiB from dockerd.
const MAX_MESSAGE: usize = 16 << 20;
/// How much is read from the socket at once.
const READ_CHUNK: usize = 32 * 1024;
const CONTEXT: &str = "websocket attach";

/// A container attached over a websocket: its output and a sender for
/// its stdin.
///
/// The daemon does not multiplex a websocket: every item is
/// [`StdStream::Console`], stdout and stderr mixed. Daemons before API
/// 1.42 send output as websocket *text* messages, which must be UTF-8;
/// output that is not fails the stream with an error (use
/// [`ContainerHandle::attach`] for binary output).
pub struct WsAttached {
    /// What the container writes, message by message.
    pub output: BoxStream<'static, Result<Output>>,
    /// The container's stdin.
    pub input: WsInput,
}

impl std::fmt::Debug for WsAttached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsAttached").finish_non_exhaustive()
    }
}

/// The writing half, shared by [`WsInput`] and the output stream (which
/// answers pings and the daemon's close).
struct Writer {
    half: WriteHalf<Socket>,
    closed: bool,
}

impl Writer {
    async fn send(&mut self, opcode: Opcode, payload: &[u8]) -> Result<()> {
        if self.closed {
            return Err(Error::Transport {
                context: CONTEXT.into(),
                message: "the websocket is already closed".into(),
                source: None,
            });
        }
        let mut frame = BytesMut::new();
        websocket::encode(opcode, payload, websocket::random_bytes::<4>(), &mut frame);
        if opcode == Opcode::Close {
            self.closed = true;
        }
        self.half.write_all(&frame).await.map_err(|e| Error::Io { context: CONTEXT.into(), source: e })?;
        self.half.flush().await.map_err(|e| Error::Io { context: CONTEXT.into(), source: e })
    }
}

/// The stdin side of a websocket attach.
pub struct WsInput {
    writer: Arc<futures::lock::Mutex<Writer>>,
}

impl std::fmt::Debug for WsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsInput").finish_non_exhaustive()
    }
}

impl WsInput {
    /// Sends bytes to the container's stdin (one binary message).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::AttachOptions;
    /// use futures::StreamExt;
    /// let mut ws = docker.containers().get("cat").attach_ws(AttachOptions::new().stdin(true).stdout(true)).await?;
    /// ws.input.send("hello\n").await?;
    /// if let Some(echo) = ws.output.next().await {
    ///     print!("{}", echo?.text());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn send(&mut self, data: impl Into<Bytes>) -> Result<()> {
        self.writer.lock().await.send(Opcode::Binary, &data.into()).await
    }

    /// Closes the websocket (a close frame): the daemon ends the attach,
    /// which closes the container's stdin when it was created with
    /// `StdinOnce`. Sending after this is an error.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::AttachOptions;
    /// let mut ws = docker.containers().get("cat").attach_ws(AttachOptions::new().stdin(true).stdout(true)).await?;
    /// ws.input.send("last line\n").await?;
    /// ws.input.close().await?; // the attach ends; a StdinOnce container reads EOF
    /// # Ok(()) }
    /// ```
    pub async fn close(&mut self) -> Result<()> {
        // Status 1000: a normal closure.
        self.writer.lock().await.send(Opcode::Close, &1000u16.to_be_bytes()).await
    }
}

impl ContainerHandle {
    /// `GET /containers/{id}/attach/ws`: attaches over a websocket, as
    /// browsers do. See [`WsAttached`] for how its output differs from
    /// [`ContainerHandle::attach`]'s.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::AttachOptions;
    /// use futures::StreamExt;
    /// let mut ws = docker.containers().get("cat").attach_ws(AttachOptions::new().stdin(true).stdout(true)).await?;
    /// ws.input.send("hello\n").await?;
    /// let echoed = ws.output.next().await.transpose()?;
    /// # Ok(()) }
    /// ```
    pub async fn attach_ws(&self, opts: AttachOptions) -> Result<WsAttached> {
        use base64::Engine as _;
        let key = base64::engine::general_purpose::STANDARD.encode(websocket::random_bytes::<16>());
        let value = |v: &str| HeaderValue::from_str(v).map_err(|e| Error::invalid("websocket header", e.to_string()));
        let request = api::attach_ws(&self.id, &opts)?
            .header(UPGRADE, HeaderValue::from_static("websocket"))
            .header(SEC_WEBSOCKET_KEY, value(&key)?)
            .header(SEC_WEBSOCKET_VERSION, HeaderValue::from_static("13"))
            // golang.org/x/net/websocket servers want an origin.
            .header(ORIGIN, HeaderValue::from_static("http://localhost"));
        let upgraded = match self.docker.send_upgrade(request).await? {
            UpgradeOutcome::Upgraded(u) => u,
            UpgradeOutcome::Response(r) => {
                return Err(Error::Transport {
                    context: CONTEXT.into(),
                    message: format!("the daemon answered {} instead of switching to websocket", r.status()),
                    source: None,
                });
            }
        };
        let accept = upgraded.head.headers.get(SEC_WEBSOCKET_ACCEPT).and_then(|v| v.to_str().ok());
        if accept != Some(websocket::accept_key(&key).as_str()) {
            return Err(Error::Transport {
                context: CONTEXT.into(),
                message: "the daemon's Sec-WebSocket-Accept does not match the key sent".into(),
                source: None,
            });
        }
        let (reader, half) = upgraded.io.split();
        let writer = Arc::new(futures::lock::Mutex::new(Writer { half, closed: false }));
        Ok(WsAttached { output: output(reader, writer.clone()), input: WsInput { writer } })
    }
}

/// The read side's state between items.
struct Reading {
    reader: ReadHalf<Socket>,
    writer: Arc<futures::lock::Mutex<Writer>>,
    buf: BytesMut,
    messages: Messages,
    done: bool,
}

fn protocol_error(e: FrameError) -> Error {
    Error::Transport { context: CONTEXT.into(), message: e.to_string(), source: Some(Box::new(e)) }
}

/// The container's output: one item per data message; the daemon's close
/// frame (answered) or its closing the connection ends it.
fn output(reader: ReadHalf<Socket>, writer: Arc<futures::lock::Mutex<Writer>>) -> BoxStream<'static, Result<Output>> {
    let state = Reading { reader, writer, buf: BytesMut::new(), messages: Messages::new(MAX_MESSAGE), done: false };
    futures::stream::unfold(state, |mut s| async move {
        if s.done {
            return None;
        }
        let item = next_message(&mut s).await;
        match item {
            Ok(Some(bytes)) => Some((Ok(Output::new(StdStream::Console, bytes)), s)),
            Ok(None) => None,
            Err(e) => {
                s.done = true;
                Some((Err(e), s))
            }
        }
    })
    .boxed()
}

/// The next data message; `None` at the end.
async fn next_message(s: &mut Reading) -> Result<Option<Bytes>> {
    loop {
        while let Some(frame) = websocket::decode(&mut s.buf, MAX_MESSAGE).map_err(protocol_error)? {
            match s.messages.push(frame).map_err(protocol_error)? {
                Some(Event::Message(bytes)) => return Ok(Some(bytes)),
                Some(Event::Ping(payload)) => {
                    // A pong the daemon may never read is no error of ours.
                    let _ = s.writer.lock().await.send(Opcode::Pong, &payload).await;
                }
                Some(Event::Pong) | None => {}
                Some(Event::Close) => {
                    let mut writer = s.writer.lock().await;
                    if !writer.closed {
                        let _ = writer.send(Opcode::Close, &[]).await;
                    }
                    return Ok(None);
                }
            }
        }
        let filled = s.buf.len();
        s.buf.resize(filled + READ_CHUNK, 0);
        let read = s.reader.read(&mut s.buf[filled..]).await;
        match read {
            // The daemon closing the connection (with or without a close
            // frame, even mid-frame) is the end.
            Ok(0) => {
                s.buf.truncate(filled);
                return Ok(None);
            }
            Ok(n) => s.buf.truncate(filled + n),
            Err(e) if is_reset(&e) => {
                s.buf.truncate(filled);
                return Ok(None);
            }
            Err(e) => {
                s.buf.truncate(filled);
                return Err(Error::Io { context: CONTEXT.into(), source: e });
            }
        }
    }
}

fn is_reset(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionReset, UnexpectedEof};
    matches!(e.kind(), ConnectionReset | BrokenPipe | UnexpectedEof)
}
