//! A container's byte streams: logs and attach.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use futures::future::BoxFuture;
use futures::io::{AsyncRead, AsyncWrite, ReadHalf, WriteHalf};
use futures::stream::{BoxStream, Stream, StreamExt};

use super::{ContainerHandle, Containers, Docker};
use crate::api::container_streams as api;
use crate::api::{AttachOptions, ContainerCreate, ContainerRemoveOptions, LogsOptions, RunOptions};
use crate::stream::frames::{FrameDecoder, Framing, FramingDecision, LogDecoder, Output, OutputStream};
use crate::transport::{Duplex, UpgradeOutcome};
use crate::{Body, Error, Result};

/// How much an attached stream reads at once.
const READ_CHUNK: usize = 32 * 1024;

impl ContainerHandle {
    /// `GET /containers/{id}/logs`: the container's output, item by item as
    /// the daemon sends it (never held back until a newline).
    ///
    /// Each [`Output`] says its stream; with
    /// [`LogsOptions::timestamps`], its time. With
    /// [`LogsOptions::follow`] the stream stays open while the container
    /// runs and ends when it stops.
    ///
    /// The framing is the response's media type when it can be trusted; a
    /// daemon before API 1.42 labels every log body raw, so there the
    /// container's `Tty` setting decides: [`LogsOptions::tty`] when given,
    /// else one inspect of the container.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::LogsOptions;
    /// use futures::StreamExt;
    /// let mut logs = docker.containers().get("web").logs(LogsOptions::new().follow(true).tail(10));
    /// while let Some(item) = logs.next().await {
    ///     let item = item?;
    ///     print!("{}: {}", item.stream, item.text());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn logs(&self, opts: LogsOptions) -> Logs {
        let container = self.clone();
        Logs(Deferred::Pending(Box::pin(async move {
            let version = container.docker.api_version().await?;
            let response = container.docker.send(api::logs(&container.id, &opts)?.streamed()).await?;
            let decision = Framing::decide(content_type(response.headers()), version);
            let framing = container.framing(decision, opts.tty_hint()).await?;
            let decoder =
                LogDecoder::new(FrameDecoder::new(framing).with_context("reading a log stream"), opts.has_timestamps());
            Ok::<_, Error>(OutputStream::new(response.into_body(), decoder))
        })))
    }

    /// `POST /containers/{id}/attach`: the container's output from now on
    /// (and its logs first, with [`AttachOptions::logs`]), plus a writer to
    /// its stdin, over an upgraded connection.
    ///
    /// To write to stdin the container must have been created with
    /// `OpenStdin`; closing [`Attached::input`] half-closes the connection,
    /// which ends the container's stdin when it was created with
    /// `StdinOnce`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> Result<(), Box<dyn std::error::Error>> {
    /// use dockhand::api::AttachOptions;
    /// use futures::{AsyncWriteExt, StreamExt};
    /// let mut attached =
    ///     docker.containers().get("cat").attach(AttachOptions::new().stdin(true).stdout(true)).await?;
    /// attached.input.write_all(b"hello\n").await?;
    /// attached.input.close().await?; // EOF: cat exits
    /// while let Some(item) = attached.output.next().await {
    ///     print!("{}", item?.text());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn attach(&self, opts: AttachOptions) -> impl Future<Output = Result<Attached>> + Send + 'static {
        let this = self.clone();
        async move {
            let version = this.docker.api_version().await?;
            let outcome = this.docker.send_upgrade(api::attach(&this.id, &opts)?).await?;
            let decision = Framing::decide(outcome_content_type(&outcome), version);
            let framing = this.framing(decision, opts.tty_hint()).await?;
            Ok(Attached::new(outcome, framing, Resize::Container(this.clone())))
        }
    }

    /// The framing for `decision`: known, or by the container's `Tty`.
    async fn framing(&self, decision: FramingDecision, hint: Option<bool>) -> Result<Framing> {
        match (decision, hint) {
            (FramingDecision::Known(f), _) => Ok(f),
            (FramingDecision::ByTty, Some(tty)) => Ok(Framing::from_tty(tty)),
            (FramingDecision::ByTty, None) => Ok(Framing::from_tty(self.tty().await?)),
        }
    }

    /// Whether the container has a tty (its `Config.Tty`, by an inspect).
    ///
    /// Only that field is decoded: the framing decision must not pull the
    /// whole [`ContainerInspect`](crate::models::ContainerInspect) model
    /// into every program that reads logs (it matters for wasm size).
    async fn tty(&self) -> Result<bool> {
        #[derive(serde::Deserialize)]
        struct Inspect {
            #[serde(rename = "Config", default)]
            config: Config,
        }
        #[derive(serde::Deserialize, Default)]
        struct Config {
            #[serde(rename = "Tty", default)]
            tty: bool,
        }
        let inspect: Inspect =
            self.docker.send_json(crate::api::containers::inspect(&self.id, &Default::default())?).await?;
        Ok(inspect.config.tty)
    }
}

/// What a container run by [`Containers::run`] left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunOutput {
    /// The container's id (removed already with [`RunOptions::remove`]).
    pub id: String,
    /// Everything it wrote to stdout (to its console, with a tty).
    pub stdout: Vec<u8>,
    /// Everything it wrote to stderr.
    pub stderr: Vec<u8>,
}

/// The most of stderr an exit error carries.
const STDERR_TAIL_LINES: usize = 20;
const STDERR_TAIL_BYTES: usize = 4096;

/// The last lines of `stderr`, bounded, as text.
fn stderr_tail(stderr: &[u8]) -> String {
    let trimmed = stderr.strip_suffix(b"\n").unwrap_or(stderr);
    let start = trimmed
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, b)| **b == b'\n')
        .nth(STDERR_TAIL_LINES - 1)
        .map_or(0, |(i, _)| i + 1)
        .max(stderr.len().saturating_sub(STDERR_TAIL_BYTES));
    String::from_utf8_lossy(&stderr[start..]).into_owned()
}

impl Containers {
    /// Creates a container, starts it, waits for it to exit, and returns what
    /// it wrote, like docker-py's `containers.run` or `docker run` without
    /// `-d`; with [`RunOptions::remove`], removes it at the end, also when
    /// something failed.
    ///
    /// A non-zero exit is an [`Error::ContainerExit`] carrying the code and
    /// the end of stderr (see [`Error::exit_code`]).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::{ContainerCreate, RunOptions};
    /// let out = docker
    ///     .containers()
    ///     .run(ContainerCreate::new("busybox").cmd(["echo", "hi"]), RunOptions::new().remove(true))
    ///     .await?;
    /// assert_eq!(out.stdout, b"hi\n");
    /// # Ok(()) }
    /// ```
    pub fn run(
        &self,
        create: ContainerCreate,
        opts: RunOptions,
    ) -> impl Future<Output = Result<RunOutput>> + Send + 'static {
        let this = self.clone();
        async move {
            let created = this.create(create).await?;
            let container = this.get(created.id.clone());
            let result = run_created(&container).await;
            if opts.removes() {
                let removed = container.remove_with(ContainerRemoveOptions::new().force(true)).await;
                // The run's own error matters more than a failed clean-up.
                if let (Ok(_), Err(e)) = (&result, removed) {
                    return Err(e);
                }
            }
            result
        }
    }
}

async fn run_created(container: &ContainerHandle) -> Result<RunOutput> {
    container.start().await?;
    let status = container.wait().await?;
    let (stdout, stderr) = collect(container.logs(LogsOptions::new())).await?;
    if status.status_code != 0 {
        return Err(Error::ContainerExit(Box::new(crate::error::ContainerExit {
            id: container.id.clone(),
            exit_code: status.status_code,
            stderr_tail: stderr_tail(&stderr),
        })));
    }
    Ok(RunOutput { id: container.id.clone(), stdout, stderr })
}

pub(crate) fn content_type(headers: &http::HeaderMap) -> Option<&str> {
    headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
}

pub(crate) fn outcome_content_type(outcome: &UpgradeOutcome) -> Option<&str> {
    match outcome {
        UpgradeOutcome::Upgraded(u) => content_type(&u.head.headers),
        UpgradeOutcome::Response(r) => content_type(r.headers()),
    }
}

/// The log stream of [`ContainerHandle::logs`]: a [`Stream`] of [`Output`] items,
/// `Err` for a failed request, a system-error frame or a body cut inside a
/// frame (and nothing after a fatal error).
///
/// The request is sent when the stream is first polled. A concrete type
/// rather than a boxed stream, so that handing out an item is a few inlined
/// steps in the caller's loop (the hot path of reading logs); use
/// [`StreamExt::boxed`] to erase it.
pub struct Logs(Deferred);

impl std::fmt::Debug for Logs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.0 {
            Deferred::Pending(_) => "pending",
            Deferred::Streaming(_) => "streaming",
            Deferred::Done => "done",
        };
        f.debug_tuple("Logs").field(&state).finish()
    }
}

impl Stream for Logs {
    type Item = Result<Output>;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // The hot path: one match, then the decoder's queue.
        if let Deferred::Streaming(s) = &mut self.0 {
            return Pin::new(s).poll_next(cx);
        }
        self.0.poll_start(cx)
    }
}

/// An output stream whose request is sent when first polled.
#[allow(clippy::large_enum_variant)] // the large variant is the streaming one; boxing it costs a hop per item
enum Deferred {
    Pending(BoxFuture<'static, Result<OutputStream>>),
    Streaming(OutputStream),
    Done,
}

impl Deferred {
    /// Sends the request, then streams; the first item, or the request's
    /// error.
    #[inline(never)]
    fn poll_start(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Output>>> {
        loop {
            match self {
                Deferred::Streaming(s) => return Pin::new(s).poll_next(cx),
                Deferred::Pending(f) => match ready!(f.as_mut().poll(cx)) {
                    Ok(s) => *self = Deferred::Streaming(s),
                    Err(e) => {
                        *self = Deferred::Done;
                        return Poll::Ready(Some(Err(e)));
                    }
                },
                Deferred::Done => return Poll::Ready(None),
            }
        }
    }
}

/// What [`Attached::resize`] resizes.
#[derive(Debug, Clone)]
pub(crate) enum Resize {
    Container(ContainerHandle),
    Exec(Docker, String),
}

/// An attached container or exec: its output, a writer to its stdin, and its
/// tty's size.
///
/// Take the fields apart to read and write from different tasks:
/// `let Attached { output, input, .. } = attached;` (the size can then no
/// longer be set through it; use [`Attached::resize`] before, or the
/// container's or exec's handle).
pub struct Attached {
    /// What the process writes, item by item.
    pub output: BoxStream<'static, Result<Output>>,
    /// The process's stdin (a `futures::io::AsyncWrite`; use
    /// `futures::AsyncWriteExt`). `close()` half-closes the connection: the
    /// process reads EOF. Without a tty its output keeps coming until it
    /// exits; with a tty dockerd ends the whole stream when stdin closes
    /// (seen on an exec with `tty`), so read what you need before closing.
    /// With tokio's `AsyncWrite`, wrap it: `tokio_util::compat` turns a
    /// futures writer into a tokio one (`input.compat_write()`).
    pub input: AttachInput,
    resize: Resize,
    framing: Framing,
}

impl std::fmt::Debug for Attached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attached").field("framing", &self.framing).field("resize", &self.resize).finish_non_exhaustive()
    }
}

impl Attached {
    pub(crate) fn new(outcome: UpgradeOutcome, framing: Framing, resize: Resize) -> Self {
        let decoder = LogDecoder::new(FrameDecoder::new(framing).with_context("reading an attached stream"), false);
        let (output, input) = match outcome {
            UpgradeOutcome::Upgraded(upgraded) => {
                let (read, write) = futures::io::AsyncReadExt::split(upgraded.io);
                (OutputStream::new(ReadChunks::new(read), decoder).boxed(), AttachInput { inner: Some(write) })
            }
            // A daemon that streamed without switching: output only.
            UpgradeOutcome::Response(response) => {
                let body: Body = response.into_body();
                (OutputStream::new(body, decoder).boxed(), AttachInput { inner: None })
            }
        };
        Attached { output, input, resize, framing }
    }

    /// How the output is framed: [`Framing::Raw`] for a tty.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::AttachOptions;
    /// use dockhand::stream::Framing;
    /// let attached = docker.containers().get("web").attach(AttachOptions::new().stdout(true)).await?;
    /// // A tty's console (raw) mixes stdout and stderr; put the terminal in raw mode for it.
    /// let is_tty = attached.framing() == Framing::Raw;
    /// # Ok(()) }
    /// ```
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// Sets the size of the tty (`POST /containers/{id}/resize` or
    /// `POST /exec/{id}/resize`). The daemon refuses it for a process
    /// without a tty.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::{AttachOptions, TtySize};
    /// let attached = docker.containers().get("shell").attach(AttachOptions::new().stdin(true).stdout(true)).await?;
    /// // On the terminal's SIGWINCH:
    /// attached.resize(TtySize { height: 50, width: 160 }).await?;
    /// # Ok(()) }
    /// ```
    pub fn resize(&self, size: crate::api::TtySize) -> impl Future<Output = Result<()>> + Send + 'static {
        let resize = self.resize.clone();
        async move {
            let (docker, request) = match &resize {
                Resize::Container(c) => (&c.docker, crate::api::containers::resize(&c.id, size)?),
                Resize::Exec(docker, id) => (docker, crate::api::exec::resize(id, size)?),
            };
            let _ = docker.send_empty(request).await?;
            Ok(())
        }
    }

    /// Reads the output to its end and returns stdout and stderr (a tty's
    /// console counts as stdout; echoed stdin is dropped).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::AttachOptions;
    /// let job = docker.containers().get("batch-job");
    /// let attached = job.attach(AttachOptions::new().stdout(true).stderr(true)).await?;
    /// job.start().await?;
    /// let (stdout, stderr) = attached.collect_output().await?;
    /// # Ok(()) }
    /// ```
    pub async fn collect_output(self) -> Result<(Vec<u8>, Vec<u8>)> {
        collect(self.output).await
    }
}

/// Reads an output stream to its end: (stdout or console, stderr).
pub(crate) async fn collect(mut output: impl Stream<Item = Result<Output>> + Unpin) -> Result<(Vec<u8>, Vec<u8>)> {
    use crate::stream::StdStream;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    while let Some(item) = output.next().await {
        let item = item?;
        match item.stream {
            StdStream::Stdout | StdStream::Console => out.extend_from_slice(&item.data),
            StdStream::Stderr => err.extend_from_slice(&item.data),
            _ => {}
        }
    }
    Ok((out, err))
}

/// The stdin of an attached container or exec.
///
/// Writes go to the process as they are flushed; `close()` half-closes the
/// connection so that the process reads EOF. When the daemon answered
/// without opening a bidirectional connection, writes fail with
/// `BrokenPipe`.
pub struct AttachInput {
    inner: Option<WriteHalf<Pin<Box<dyn Duplex>>>>,
}

impl std::fmt::Debug for AttachInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachInput").field("open", &self.inner.is_some()).finish()
    }
}

fn no_stdin() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the daemon did not open a connection for stdin")
}

impl AsyncWrite for AttachInput {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.inner.as_mut() {
            Some(w) => Pin::new(w).poll_write(cx, buf),
            None => Poll::Ready(Err(no_stdin())),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.inner.as_mut() {
            Some(w) => Pin::new(w).poll_flush(cx),
            None => Poll::Ready(Ok(())),
        }
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.inner.as_mut() {
            Some(w) => Pin::new(w).poll_close(cx),
            None => Poll::Ready(Ok(())),
        }
    }
}

/// The read side of an upgraded connection as a stream of chunks.
struct ReadChunks {
    reader: Option<ReadHalf<Pin<Box<dyn Duplex>>>>,
    buf: BytesMut,
}

impl ReadChunks {
    fn new(reader: ReadHalf<Pin<Box<dyn Duplex>>>) -> Self {
        ReadChunks { reader: Some(reader), buf: BytesMut::new() }
    }
}

impl Stream for ReadChunks {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(reader) = this.reader.as_mut() else { return Poll::Ready(None) };
        if this.buf.len() < READ_CHUNK {
            this.buf.resize(READ_CHUNK, 0);
        }
        match ready!(Pin::new(reader).poll_read(cx, &mut this.buf)) {
            Ok(0) => {
                this.reader = None;
                Poll::Ready(None)
            }
            Ok(n) => Poll::Ready(Some(Ok(this.buf.split_to(n).freeze()))),
            Err(e) => {
                this.reader = None;
                Poll::Ready(Some(Err(Error::Io { context: "reading an attached stream".into(), source: e })))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::stderr_tail;

    #[test]
    fn stderr_tail_keeps_the_last_lines() {
        let many: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        let tail = stderr_tail(many.as_bytes());
        assert!(tail.starts_with("line 11\n") && tail.ends_with("line 30\n"), "{tail:?}");
        assert_eq!(stderr_tail(b"only\n"), "only\n");
        assert_eq!(stderr_tail(b""), "");
        let long = vec![b'x'; 10_000];
        assert_eq!(stderr_tail(&long).len(), 4096);
    }
}
