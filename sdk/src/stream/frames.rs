//! Output of logs, attach and exec: `application/vnd.docker.multiplexed-stream`
//! frames, or a raw (tty) byte stream.
//!
//! # Framing
//!
//! A multiplexed body is a sequence of frames, each an 8-byte header
//! (`[stream, 0, 0, 0, len_be32]`) followed by `len` bytes of payload. Stream
//! 0 is stdin (echoed), 1 stdout, 2 stderr, and 3 a system error whose payload
//! is the daemon's message. A raw body is the bytes of a tty, unframed.
//!
//! Which one a body is comes from its `Content-Type`, never from its first
//! byte. Daemons before API 1.42 label every logs, attach and exec body
//! `application/vnd.docker.raw-stream`, multiplexed or not, so a raw label
//! from them is not trusted: the container's (or exec's) `Tty` setting
//! decides (tty: raw; otherwise multiplexed). [`Framing::decide`] is that
//! rule.
//!
//! # Items
//!
//! [`FrameDecoder`] takes [`Bytes`] chunks as they arrive and yields
//! [`Output`] items whose bytes are slices of those chunks: nothing is copied
//! unless a frame straddles two chunks, in which case only that frame is
//! joined. A frame is delivered whole (so any split of a body yields the
//! same items) up to [`MAX_JOINED_FRAME`] bytes; a longer one (no daemon
//! sends one; a hostile header might claim 4 GiB) is delivered as it
//! arrives, in several items of the same stream, and its claimed length is
//! never allocated. A body that ends inside a header or payload is an
//! [`Error::Stream`], not a silent truncation.
//!
//! Raw bodies yield one [`StdStream::Console`] item per chunk; nothing waits
//! for a newline.
//!
//! ```
//! use bytes::Bytes;
//! use dockhand::stream::frames::{FrameDecoder, Framing, StdStream};
//!
//! let mut d = FrameDecoder::new(Framing::Multiplexed);
//! d.push(Bytes::from_static(b"\x01\0\0\0\0\0\0\x03hi\n\x02\0\0\0\0\0"));
//! let out = d.next_output()?.unwrap();
//! assert_eq!((out.stream, &out.data[..]), (StdStream::Stdout, &b"hi\n"[..]));
//! assert!(d.next_output()?.is_none()); // the stderr header is not complete yet
//! d.push(Bytes::from_static(b"\0\x04oops"));
//! let err = d.next_output()?.unwrap();
//! assert_eq!((err.stream, &err.data[..]), (StdStream::Stderr, &b"oops"[..]));
//! d.finish()?;
//! # Ok::<(), dockhand::Error>(())
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::Timestamp;
use bytes::{Buf, Bytes, BytesMut};
use futures::stream::{BoxStream, StreamExt};

use crate::{ApiVersion, Error, Result};

/// The media type of a multiplexed body.
pub const MULTIPLEXED_STREAM: &str = "application/vnd.docker.multiplexed-stream";
/// The media type of a raw (tty) body.
pub const RAW_STREAM: &str = "application/vnd.docker.raw-stream";

/// The longest frame delivered as one item (1 MiB). Daemons write frames of
/// at most 32 KiB (attach, exec) or one log message (16 KiB plus its
/// timestamp); longer frames are delivered in pieces as their bytes arrive.
pub const MAX_JOINED_FRAME: usize = 1024 * 1024;

/// The most whole frames decoded ahead of the caller (see
/// [`FrameDecoder::fill_batch`]): enough to make the decoding loop the
/// common case, few enough that the queue stays small (a few KiB) however
/// small the frames are.
const BATCH: usize = 64;

/// The most of a system-error frame's message that is kept (64 KiB).
const MAX_ERROR_MESSAGE: usize = 64 * 1024;

/// The longest timestamp prefix of a log line (`2006-01-02T15:04:05.999999999Z07:00 `).
const MAX_TIMESTAMP_PREFIX: usize = 64;

/// Which stream an [`Output`] item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StdStream {
    /// The process's stdin, echoed back (multiplexed stream 0).
    Stdin,
    /// Standard output (multiplexed stream 1).
    Stdout,
    /// Standard error (multiplexed stream 2).
    Stderr,
    /// An unframed stream: the console of a tty, where stdout and stderr are
    /// one, or a websocket attach.
    Console,
}

impl fmt::Display for StdStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StdStream::Stdin => "stdin",
            StdStream::Stdout => "stdout",
            StdStream::Stderr => "stderr",
            StdStream::Console => "console",
        })
    }
}

/// Bytes of a container's or exec's output, from one stream.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Output {
    /// Which stream they came from.
    pub stream: StdStream,
    /// The bytes: a slice of what the daemon sent, not a copy.
    pub data: Bytes,
    /// When the daemon logged them, for logs requested with timestamps (the
    /// prefix is removed from `data`); `None` otherwise.
    pub timestamp: Option<Timestamp>,
}

impl Output {
    /// An item of `stream` holding `data`.
    pub fn new(stream: StdStream, data: impl Into<Bytes>) -> Self {
        Output { stream, data: data.into(), timestamp: None }
    }

    /// The bytes as text (lossy for invalid UTF-8).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.data)
    }
}

/// How a body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framing {
    /// `application/vnd.docker.multiplexed-stream`: 8-byte headers, streams
    /// kept apart.
    Multiplexed,
    /// `application/vnd.docker.raw-stream`: a tty's bytes, unframed.
    Raw,
}

/// What the response's headers say about its framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FramingDecision {
    /// The headers can be trusted: this framing.
    Known(Framing),
    /// The headers cannot be trusted (a raw label from a daemon before API
    /// 1.42, or no label): the `Tty` setting decides, see
    /// [`Framing::from_tty`].
    ByTty,
}

impl Framing {
    /// The framing a `Tty` setting implies: raw for a tty, multiplexed
    /// otherwise.
    pub fn from_tty(tty: bool) -> Self {
        if tty { Framing::Raw } else { Framing::Multiplexed }
    }

    /// The rule for a logs, attach or exec-start response with this
    /// `Content-Type`, from a request sent for API `version`:
    /// - multiplexed: multiplexed, whatever the version;
    /// - raw, for API 1.42 and later: raw (these daemons label truthfully);
    /// - raw before 1.42, or any other or no label: [`FramingDecision::ByTty`].
    ///
    /// ```
    /// use dockhand::ApiVersion;
    /// use dockhand::stream::frames::{Framing, FramingDecision, RAW_STREAM};
    /// assert_eq!(Framing::decide(Some(RAW_STREAM), ApiVersion::new(1, 43)), FramingDecision::Known(Framing::Raw));
    /// assert_eq!(Framing::decide(Some(RAW_STREAM), ApiVersion::new(1, 41)), FramingDecision::ByTty);
    /// ```
    pub fn decide(content_type: Option<&str>, version: ApiVersion) -> FramingDecision {
        let media = content_type.map(|c| c.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
        match media.as_deref() {
            Some(MULTIPLEXED_STREAM) => FramingDecision::Known(Framing::Multiplexed),
            Some(RAW_STREAM) if version >= ApiVersion::new(1, 42) => FramingDecision::Known(Framing::Raw),
            _ => FramingDecision::ByTty,
        }
    }
}

/// Where the decoder is in a multiplexed body.
#[derive(Debug)]
enum State {
    /// Reading a header; `have` of its 8 bytes are in `header`.
    Header { header: [u8; 8], have: usize },
    /// Reading a payload of `remaining` more bytes for `stream`.
    Payload { stream: u8, remaining: usize, len: usize, started: bool },
    /// A fatal error was reported; nothing more is decoded.
    Failed,
}

/// A sans-IO decoder of logs, attach and exec output; see the
/// [module docs](self).
#[derive(Debug)]
pub struct FrameDecoder {
    framing: Framing,
    state: State,
    input: VecDeque<Bytes>,
    /// The joined payload of a frame that straddles chunks.
    joined: BytesMut,
    context: &'static str,
    max_joined: usize,
    /// Whether the item last returned starts a frame (a piece of a long
    /// frame after the first does not; raw chunks never do).
    starts_frame: bool,
    /// Whole frames decoded ahead, handed out before anything else.
    ready: VecDeque<Output>,
}

impl FrameDecoder {
    /// A decoder of a body with this framing.
    pub fn new(framing: Framing) -> Self {
        FrameDecoder {
            framing,
            state: State::Header { header: [0; 8], have: 0 },
            input: VecDeque::new(),
            joined: BytesMut::new(),
            context: "reading the output stream",
            max_joined: MAX_JOINED_FRAME,
            starts_frame: false,
            ready: VecDeque::new(),
        }
    }

    /// Names the stream in errors (`"reading the logs of web"`).
    pub fn with_context(mut self, context: &'static str) -> Self {
        self.context = context;
        self
    }

    /// Another limit for frames delivered whole (see [`MAX_JOINED_FRAME`]).
    pub fn with_max_joined_frame(mut self, max: usize) -> Self {
        self.max_joined = max;
        self
    }

    /// The framing.
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// Whether a fatal error (an unknown stream type, a system-error frame)
    /// ended decoding.
    pub fn is_failed(&self) -> bool {
        matches!(self.state, State::Failed)
    }

    /// Adds bytes that arrived. The decoder keeps the chunk (a reference
    /// count, not a copy) and hands out slices of it.
    pub fn push(&mut self, chunk: Bytes) {
        if !chunk.is_empty() && !self.is_failed() {
            self.input.push_back(chunk);
        }
    }

    /// The next item, `None` when more bytes are needed.
    #[inline]
    pub fn next_output(&mut self) -> Result<Option<Output>> {
        self.next_piece()
    }

    /// The next item; `starts_frame` says whether it starts a frame.
    ///
    /// The hot path: an item decoded already by [`Self::fill_batch`].
    #[inline]
    pub(crate) fn next_piece(&mut self) -> Result<Option<Output>> {
        if let Some(item) = self.ready.pop_front() {
            self.starts_frame = true;
            return Ok(Some(item));
        }
        self.next_slow()
    }

    /// Decodes up to [`BATCH`] whole frames at the start of the current
    /// chunk into `ready`, each a slice of the chunk, and advances the
    /// chunk past them once. It stops before anything that is not a whole
    /// frame of stream 0, 1 or 2 no longer than `max_joined` (a partial
    /// frame, a system error, an unknown stream type, a long frame): the
    /// state machine in [`Self::next_slow`] handles those, after the
    /// queued items are handed out.
    fn fill_batch(&mut self) {
        let FrameDecoder { input, ready, max_joined, .. } = self;
        let Some(front) = input.front_mut() else { return };
        let buf: &[u8] = front;
        let mut at = 0;
        while ready.len() < BATCH {
            let Some(&[stream, _, _, _, l0, l1, l2, l3]) = buf.get(at..at + 8) else { break };
            let kind = match stream {
                1 => StdStream::Stdout,
                2 => StdStream::Stderr,
                0 => StdStream::Stdin,
                _ => break,
            };
            let len = u32::from_be_bytes([l0, l1, l2, l3]) as usize;
            let start = at + 8;
            if len > *max_joined || buf.len() - start < len {
                break;
            }
            at = start + len;
            // An empty frame carries nothing: skipped, like the state
            // machine does.
            if len > 0 {
                ready.push_back(Output { stream: kind, data: front.slice(start..at), timestamp: None });
            }
        }
        if at > 0 {
            front.advance(at);
            if front.is_empty() {
                input.pop_front();
            }
        }
    }

    /// Everything but a queued item: raw chunks, a refill of the queue,
    /// and the state machine for frames that straddle chunks, long
    /// frames and errors.
    #[inline(never)]
    fn next_slow(&mut self) -> Result<Option<Output>> {
        if self.framing == Framing::Raw {
            self.starts_frame = false;
            return Ok(self.input.pop_front().map(|data| Output::new(StdStream::Console, data)));
        }
        loop {
            if matches!(self.state, State::Header { have: 0, .. }) {
                self.fill_batch();
                if let Some(item) = self.ready.pop_front() {
                    self.starts_frame = true;
                    return Ok(Some(item));
                }
            }
            match &mut self.state {
                State::Failed => return Ok(None),
                State::Header { header, have } => {
                    let Some(front) = self.input.front_mut() else { return Ok(None) };
                    let take = (8 - *have).min(front.len());
                    header[*have..*have + take].copy_from_slice(&front[..take]);
                    front.advance(take);
                    if front.is_empty() {
                        self.input.pop_front();
                    }
                    *have += take;
                    if *have < 8 {
                        continue;
                    }
                    let stream = header[0];
                    let len = u32::from_be_bytes([header[4], header[5], header[6], header[7]]) as usize;
                    if stream > 3 {
                        self.state = State::Failed;
                        self.input.clear();
                        return Err(Error::stream(
                            self.context,
                            format!("unknown stream type {stream} in a multiplexed frame header"),
                        ));
                    }
                    self.state = if len == 0 {
                        State::Header { header: [0; 8], have: 0 }
                    } else {
                        State::Payload { stream, remaining: len, len, started: false }
                    };
                }
                State::Payload { stream, remaining, len, started } => {
                    let (stream, len) = (*stream, *len);
                    let Some(front) = self.input.front_mut() else { return Ok(None) };
                    if stream == 3 {
                        // A system error: keep (a bounded part of) the message.
                        let take = (*remaining).min(front.len());
                        let room = MAX_ERROR_MESSAGE.saturating_sub(self.joined.len());
                        self.joined.extend_from_slice(&front[..take.min(room)]);
                        front.advance(take);
                        *remaining -= take;
                        if front.is_empty() {
                            self.input.pop_front();
                        }
                        if *remaining > 0 {
                            continue;
                        }
                        let message = String::from_utf8_lossy(&self.joined).trim_end().to_owned();
                        self.joined = BytesMut::new();
                        self.state = State::Failed;
                        self.input.clear();
                        return Err(Error::stream(self.context, message));
                    }
                    let kind = match stream {
                        0 => StdStream::Stdin,
                        1 => StdStream::Stdout,
                        _ => StdStream::Stderr,
                    };
                    if len > self.max_joined {
                        // Deliver a long frame piecewise, as slices.
                        let take = (*remaining).min(front.len());
                        let data = front.split_to(take);
                        if front.is_empty() {
                            self.input.pop_front();
                        }
                        let first = !*started;
                        *started = true;
                        *remaining -= take;
                        if *remaining == 0 {
                            self.state = State::Header { header: [0; 8], have: 0 };
                        }
                        self.starts_frame = first;
                        return Ok(Some(Output::new(kind, data)));
                    }
                    if self.joined.is_empty() && front.len() >= *remaining {
                        // The common case: the whole payload is in this chunk.
                        let data = front.split_to(*remaining);
                        if front.is_empty() {
                            self.input.pop_front();
                        }
                        self.state = State::Header { header: [0; 8], have: 0 };
                        self.starts_frame = true;
                        return Ok(Some(Output::new(kind, data)));
                    }
                    let take = (*remaining).min(front.len());
                    self.joined.extend_from_slice(&front[..take]);
                    front.advance(take);
                    if front.is_empty() {
                        self.input.pop_front();
                    }
                    *remaining -= take;
                    if *remaining == 0 {
                        let data = std::mem::take(&mut self.joined).freeze();
                        self.state = State::Header { header: [0; 8], have: 0 };
                        self.starts_frame = true;
                        return Ok(Some(Output::new(kind, data)));
                    }
                }
            }
        }
    }

    /// Checks that the body ended on a frame boundary: an end inside a
    /// header or a payload is an [`Error::Stream`].
    pub fn finish(&self) -> Result<()> {
        match &self.state {
            State::Header { have: 0, .. } | State::Failed => Ok(()),
            _ if self.framing == Framing::Raw => Ok(()),
            State::Header { have, .. } => {
                Err(Error::stream(self.context, format!("the stream ended inside a frame header ({have} of 8 bytes)")))
            }
            State::Payload { remaining, len, .. } => Err(Error::stream(
                self.context,
                format!("the stream ended inside a frame ({} of {len} bytes missing)", remaining),
            )),
        }
    }
}

/// Splits the timestamp prefix off log output requested with
/// `timestamps`, on top of a [`FrameDecoder`].
///
/// In a multiplexed body every frame is one log message and starts with its
/// timestamp. In a raw (tty) body messages are lines: the prefix starts each
/// line, so the decoder keeps at most the prefix (not the line) until it is
/// complete, and hands out the rest of each line as it arrives.
#[derive(Debug)]
pub struct LogDecoder {
    frames: FrameDecoder,
    timestamps: bool,
    /// Raw mode: whether the next byte starts a line.
    at_line_start: bool,
    /// Raw mode: the part of a timestamp prefix seen so far.
    prefix: BytesMut,
    /// Raw mode: bytes after a line's prefix not handed out yet.
    pending: Option<Bytes>,
    /// The timestamp of the message being delivered.
    current: Option<Timestamp>,
}

impl LogDecoder {
    /// A decoder of log output; with `timestamps`, the prefix the daemon
    /// adds is parsed into [`Output::timestamp`] and removed from the data.
    pub fn new(frames: FrameDecoder, timestamps: bool) -> Self {
        LogDecoder { frames, timestamps, at_line_start: true, prefix: BytesMut::new(), pending: None, current: None }
    }

    /// Adds bytes that arrived.
    pub fn push(&mut self, chunk: Bytes) {
        self.frames.push(chunk);
    }

    /// Whether decoding stopped on a fatal error.
    pub fn is_failed(&self) -> bool {
        self.frames.is_failed()
    }

    /// Checks that the body ended cleanly.
    pub fn finish(&self) -> Result<()> {
        self.frames.finish()?;
        if self.timestamps && !self.prefix.is_empty() {
            return Err(Error::stream(self.frames.context, "the stream ended inside a log timestamp"));
        }
        Ok(())
    }

    /// A whole frame decoded ahead, when one is queued and needs no more
    /// work (no timestamp to split off): the hot path of [`OutputStream`].
    #[inline(always)]
    fn pop_ready(&mut self) -> Option<Output> {
        if self.timestamps {
            return None;
        }
        self.frames.ready.pop_front()
    }

    /// The next item, `None` when more bytes are needed.
    #[inline]
    pub fn next_output(&mut self) -> Result<Option<Output>> {
        if !self.timestamps {
            return self.frames.next_output();
        }
        if self.frames.framing() == Framing::Multiplexed {
            let Some(mut output) = self.frames.next_piece()? else { return Ok(None) };
            if self.frames.starts_frame {
                let (time, rest) = split_timestamp(&output.data).ok_or_else(|| self.bad_prefix(&output.data))?;
                self.current = Some(time);
                output.data = output.data.slice(rest..);
            }
            output.timestamp = self.current;
            return Ok(Some(output));
        }
        loop {
            let chunk = match self.pending.take() {
                Some(c) => c,
                None => match self.frames.next_output()? {
                    Some(o) => o.data,
                    None => return Ok(None),
                },
            };
            if !self.at_line_start {
                return Ok(Some(self.line_piece(chunk)));
            }
            // Gather the prefix up to its space (bounded), then go on.
            let Some(space) = chunk.iter().position(|&b| b == b' ') else {
                self.prefix.extend_from_slice(&chunk);
                if self.prefix.len() > MAX_TIMESTAMP_PREFIX {
                    let e = self.bad_prefix(&self.prefix.clone());
                    self.prefix.clear();
                    return Err(e);
                }
                continue;
            };
            self.prefix.extend_from_slice(&chunk[..=space]);
            let prefix = std::mem::take(&mut self.prefix);
            let (time, _) = split_timestamp(&prefix).ok_or_else(|| self.bad_prefix(&prefix))?;
            self.current = Some(time);
            self.at_line_start = false;
            let rest = chunk.slice(space + 1..);
            if !rest.is_empty() {
                self.pending = Some(rest);
            }
        }
    }

    /// Hands out `chunk` up to and including its first newline, keeping the
    /// rest for the next line.
    fn line_piece(&mut self, mut chunk: Bytes) -> Output {
        if let Some(nl) = chunk.iter().position(|&b| b == b'\n') {
            let rest = chunk.split_off(nl + 1);
            if !rest.is_empty() {
                self.pending = Some(rest);
            }
            self.at_line_start = true;
        }
        Output { stream: StdStream::Console, data: chunk, timestamp: self.current }
    }

    fn bad_prefix(&self, data: &[u8]) -> Error {
        Error::stream(
            self.frames.context,
            format!(
                "log line without the timestamp prefix asked for: {:?}",
                crate::error::excerpt(data, MAX_TIMESTAMP_PREFIX)
            ),
        )
    }
}

/// Parses `<RFC 3339 time> ` at the start of `data`; returns the time and
/// where the rest starts.
fn split_timestamp(data: &[u8]) -> Option<(Timestamp, usize)> {
    let window = &data[..data.len().min(MAX_TIMESTAMP_PREFIX)];
    let space = window.iter().position(|&b| b == b' ')?;
    let text = std::str::from_utf8(&data[..space]).ok()?;
    let time = text.parse::<Timestamp>().ok()?;
    Some((time, space + 1))
}

/// A [`Stream`](futures::Stream) of [`Output`] decoded from a stream of byte
/// chunks (a response [`Body`](crate::Body), an upgraded connection).
///
/// It ends after a fatal error (a system-error frame, an unknown stream
/// type) and reports a body that ends inside a frame as an error.
pub struct OutputStream {
    chunks: Option<BoxStream<'static, Result<Bytes>>>,
    decoder: LogDecoder,
}

impl OutputStream {
    /// Decodes `chunks` with `decoder`.
    pub fn new<S>(chunks: S, decoder: LogDecoder) -> Self
    where
        S: futures::Stream<Item = Result<Bytes>> + Send + 'static,
    {
        OutputStream { chunks: Some(chunks.boxed()), decoder }
    }
}

impl fmt::Debug for OutputStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutputStream").field("decoder", &self.decoder).finish_non_exhaustive()
    }
}

impl futures::Stream for OutputStream {
    type Item = Result<Output>;

    #[inline]
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // The hot path: a frame decoded ahead, moved once into the result.
        if let Some(item) = self.decoder.pop_ready() {
            return Poll::Ready(Some(Ok(item)));
        }
        self.poll_slow(cx)
    }
}

impl OutputStream {
    /// Decodes what is buffered, reading chunks as needed.
    #[inline(never)]
    fn poll_slow(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Output>>> {
        loop {
            match self.decoder.next_output() {
                Ok(Some(item)) => return Poll::Ready(Some(Ok(item))),
                Ok(None) => {}
                Err(e) => {
                    if self.decoder.is_failed() {
                        self.chunks = None;
                    }
                    return Poll::Ready(Some(Err(e)));
                }
            }
            let Some(chunks) = self.chunks.as_mut() else { return Poll::Ready(None) };
            match ready!(chunks.poll_next_unpin(cx)) {
                Some(Ok(chunk)) => self.decoder.push(chunk),
                Some(Err(e)) => {
                    self.chunks = None;
                    return Poll::Ready(Some(Err(e)));
                }
                None => {
                    self.chunks = None;
                    return Poll::Ready(self.decoder.finish().err().map(Err));
                }
            }
        }
    }
}

/// The 8-byte header of a multiplexed frame: for tests, fixtures and
/// synthetic daemons.
///
/// ```
/// assert_eq!(dockhand::stream::frames::frame_header(1, 3), [1, 0, 0, 0, 0, 0, 0, 3]);
/// ```
pub fn frame_header(stream: u8, len: u32) -> [u8; 8] {
    let l = len.to_be_bytes();
    [stream, 0, 0, 0, l[0], l[1], l[2], l[3]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = frame_header(stream, payload.len() as u32).to_vec();
        v.extend_from_slice(payload);
        v
    }

    fn decode_all(d: &mut FrameDecoder, chunks: &[&[u8]]) -> Result<Vec<Output>> {
        let mut out = Vec::new();
        for c in chunks {
            d.push(Bytes::copy_from_slice(c));
            while let Some(o) = d.next_output()? {
                out.push(o);
            }
        }
        d.finish()?;
        Ok(out)
    }

    #[test]
    fn whole_frames_are_slices_of_the_chunk() {
        let body = Bytes::from([frame(1, b"out"), frame(2, b"err"), frame(0, b"in")].concat());
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        d.push(body.clone());
        let a = d.next_output().unwrap().unwrap();
        assert_eq!((a.stream, &a.data[..]), (StdStream::Stdout, &b"out"[..]));
        // Zero copy: the item points into the pushed chunk.
        assert_eq!(a.data.as_ptr(), body[8..].as_ptr());
        assert_eq!(d.next_output().unwrap().unwrap().stream, StdStream::Stderr);
        assert_eq!(d.next_output().unwrap().unwrap().stream, StdStream::Stdin);
        assert!(d.next_output().unwrap().is_none());
        d.finish().unwrap();
    }

    #[test]
    fn truncated_bodies_are_errors() {
        let body = frame(1, b"hello");
        for cut in 1..body.len() {
            let mut d = FrameDecoder::new(Framing::Multiplexed);
            let err = decode_all(&mut d, &[&body[..cut]]).unwrap_err();
            assert!(matches!(err, Error::Stream { .. }), "{err:?}");
            assert!(err.to_string().contains("ended inside"), "{err}");
        }
    }

    #[test]
    fn system_error_frames_become_errors() {
        let body = [frame(1, b"ok"), frame(3, b"something broke\n"), frame(1, b"after")].concat();
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        d.push(Bytes::from(body));
        assert_eq!(&d.next_output().unwrap().unwrap().data[..], b"ok");
        let err = d.next_output().unwrap_err();
        assert!(matches!(&err, Error::Stream { message, .. } if message == "something broke"), "{err:?}");
        assert!(d.is_failed());
        assert!(d.next_output().unwrap().is_none());
    }

    #[test]
    fn unknown_stream_types_are_errors() {
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        d.push(Bytes::from(frame(7, b"x")));
        assert!(d.next_output().unwrap_err().to_string().contains("unknown stream type 7"));
    }

    #[test]
    fn huge_claimed_lengths_are_not_allocated() {
        // A header claiming 4 GiB followed by a few bytes: delivered as they
        // come, and the end is a truncation error.
        let mut body = frame_header(1, u32::MAX).to_vec();
        body.extend_from_slice(b"abc");
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        d.push(Bytes::from(body));
        let o = d.next_output().unwrap().unwrap();
        assert_eq!(&o.data[..], b"abc");
        assert!(d.joined.capacity() < 1024);
        assert!(d.finish().is_err());
    }

    #[test]
    fn long_frames_arrive_in_pieces() {
        let payload = vec![b'x'; 100];
        let body = frame(2, &payload);
        let mut d = FrameDecoder::new(Framing::Multiplexed).with_max_joined_frame(10);
        let out = decode_all(&mut d, &[&body[..50], &body[50..]]).unwrap();
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|o| o.stream == StdStream::Stderr));
        assert_eq!(out.iter().map(|o| o.data.len()).sum::<usize>(), 100);
    }

    /// (stream number, payload) of the items, for comparisons.
    fn pairs(items: &[Output]) -> Vec<(StdStream, Vec<u8>)> {
        items.iter().map(|o| (o.stream, o.data.to_vec())).collect()
    }

    #[test]
    fn many_frames_in_one_chunk_are_batched_slices() {
        // More frames than one batch, of all three streams, with empty
        // frames among them: every item in order, each a slice of the chunk.
        let mut frames = Vec::new();
        for i in 0..3 * BATCH + 5 {
            let payload = format!("frame {i}\n").into_bytes();
            frames.push(((i % 3) as u8, payload));
            if i % 50 == 7 {
                frames.push((1, Vec::new()));
            }
        }
        let body = Bytes::from(encode(&frames));
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        d.push(body.clone());
        let mut items = Vec::new();
        while let Some(o) = d.next_output().unwrap() {
            assert!(d.ready.len() < BATCH, "the queue stays bounded");
            let offset = o.data.as_ptr() as usize - body.as_ptr() as usize;
            assert_eq!(&body[offset..offset + o.data.len()], &o.data[..], "a slice of the chunk, not a copy");
            items.push(o);
        }
        d.finish().unwrap();
        let expected: Vec<_> = frames
            .iter()
            .filter(|(_, p)| !p.is_empty())
            .map(|(s, p)| ([StdStream::Stdin, StdStream::Stdout, StdStream::Stderr][*s as usize], p.clone()))
            .collect();
        assert_eq!(pairs(&items), expected);
        assert!(d.input.is_empty(), "the chunk is released once read");
    }

    #[test]
    fn a_frame_split_across_three_chunks_after_a_batch() {
        let whole = encode(&[(1, b"one".to_vec()), (2, b"two".to_vec())]);
        let long = frame(1, &[b'x'; 100]);
        let after = frame(2, b"after");
        // Chunk 1: two whole frames and 3 bytes of the next header; chunk 2:
        // the rest of the header and 40 bytes; chunk 3: the rest and a frame.
        let c1 = [whole.clone(), long[..3].to_vec()].concat();
        let c2 = long[3..48].to_vec();
        let c3 = [long[48..].to_vec(), after].concat();
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        let items = decode_all(&mut d, &[&c1, &c2, &c3]).unwrap();
        assert_eq!(
            pairs(&items),
            vec![
                (StdStream::Stdout, b"one".to_vec()),
                (StdStream::Stderr, b"two".to_vec()),
                (StdStream::Stdout, vec![b'x'; 100]),
                (StdStream::Stderr, b"after".to_vec()),
            ]
        );
    }

    #[test]
    fn a_system_error_among_many_frames_ends_after_the_frames_before_it() {
        let mut frames: Vec<(u8, Vec<u8>)> = (0..100).map(|i| (1 + (i % 2) as u8, vec![b'a'; 10])).collect();
        frames.push((3, b"the daemon failed\n".to_vec()));
        frames.extend((0..10).map(|_| (1, b"never".to_vec())));
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        d.push(Bytes::from(encode(&frames)));
        for i in 0..100 {
            let o = d.next_output().unwrap().unwrap_or_else(|| panic!("item {i}"));
            assert_eq!(&o.data[..], &[b'a'; 10][..]);
        }
        let err = d.next_output().unwrap_err();
        assert!(matches!(&err, Error::Stream { message, .. } if message == "the daemon failed"), "{err:?}");
        assert!(d.is_failed());
        assert!(d.next_output().unwrap().is_none(), "nothing after the error");
        d.finish().unwrap();
    }

    #[test]
    fn an_unknown_stream_type_among_many_frames() {
        let mut body = encode(&(0..70).map(|_| (2u8, b"e".to_vec())).collect::<Vec<_>>());
        body.extend_from_slice(&frame(9, b"bad"));
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        d.push(Bytes::from(body));
        for _ in 0..70 {
            assert_eq!(d.next_output().unwrap().unwrap().stream, StdStream::Stderr);
        }
        assert!(d.next_output().unwrap_err().to_string().contains("unknown stream type 9"));
        assert!(d.next_output().unwrap().is_none());
    }

    #[test]
    fn a_huge_claimed_length_in_the_middle_of_a_batch() {
        let mut body = encode(&(0..10).map(|i| (1u8, vec![b'0' + i; 5])).collect::<Vec<_>>());
        body.extend_from_slice(&frame_header(2, u32::MAX));
        body.extend_from_slice(b"partial");
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        d.push(Bytes::from(body));
        for i in 0..10 {
            assert_eq!(&d.next_output().unwrap().unwrap().data[..], &[b'0' + i; 5][..]);
        }
        let piece = d.next_output().unwrap().unwrap();
        assert_eq!((piece.stream, &piece.data[..]), (StdStream::Stderr, &b"partial"[..]));
        assert!(d.next_output().unwrap().is_none());
        assert!(d.joined.capacity() < 1024, "the claimed length is not allocated");
        let err = d.finish().unwrap_err();
        assert!(err.to_string().contains("ended inside a frame"), "{err}");
    }

    #[test]
    fn batched_frames_with_timestamps() {
        let frames: Vec<(u8, Vec<u8>)> =
            (0..80).map(|i| (1u8, format!("2026-11-27T17:46:{:02}Z line {i}\n", i % 60).into_bytes())).collect();
        let mut d = LogDecoder::new(FrameDecoder::new(Framing::Multiplexed), true);
        d.push(Bytes::from(encode(&frames)));
        for i in 0..80 {
            let o = d.next_output().unwrap().unwrap();
            assert_eq!(o.text(), format!("line {i}\n"));
            assert_eq!(o.timestamp.unwrap().second(), (i % 60) as u8);
        }
        assert!(d.next_output().unwrap().is_none());
        d.finish().unwrap();
    }

    #[test]
    fn output_stream_hands_out_batches_across_chunks() {
        use futures::StreamExt;
        // Two chunks of many frames, the second starting inside a frame;
        // then a system error in a third chunk.
        let body = encode(&(0..150).map(|i| (1 + (i % 2) as u8, vec![i as u8; 33])).collect::<Vec<_>>());
        let cut = body.len() / 2 + 3;
        let chunks = vec![
            Ok(Bytes::copy_from_slice(&body[..cut])),
            Ok(Bytes::copy_from_slice(&body[cut..])),
            Ok(Bytes::from(frame(3, b"boom"))),
            Ok(Bytes::from(frame(1, b"not read"))),
        ];
        let s = OutputStream::new(
            futures::stream::iter(chunks),
            LogDecoder::new(FrameDecoder::new(Framing::Multiplexed), false),
        );
        let items: Vec<_> = futures::executor::block_on(s.collect());
        assert_eq!(items.len(), 151);
        for (i, item) in items[..150].iter().enumerate() {
            assert_eq!(&item.as_ref().unwrap().data[..], &[i as u8; 33][..]);
        }
        assert!(matches!(&items[150], Err(Error::Stream { message, .. }) if message == "boom"));
    }

    #[test]
    fn output_stream_reports_truncation() {
        use futures::StreamExt;
        let body = frame(1, b"hello");
        let chunks = vec![Ok(Bytes::from(frame(2, b"e"))), Ok(Bytes::copy_from_slice(&body[..10]))];
        let s = OutputStream::new(
            futures::stream::iter(chunks),
            LogDecoder::new(FrameDecoder::new(Framing::Multiplexed), false),
        );
        let items: Vec<_> = futures::executor::block_on(s.collect());
        assert_eq!(items.len(), 2);
        assert_eq!(&items[0].as_ref().unwrap().data[..], b"e");
        assert!(matches!(items[1], Err(Error::Stream { .. })));
    }

    #[test]
    fn raw_chunks_pass_through_at_once() {
        let mut d = FrameDecoder::new(Framing::Raw);
        d.push(Bytes::from_static(b"no newline yet"));
        let o = d.next_output().unwrap().unwrap();
        assert_eq!((o.stream, &o.data[..]), (StdStream::Console, &b"no newline yet"[..]));
        d.finish().unwrap();
    }

    #[test]
    fn framing_rule() {
        let v41 = ApiVersion::new(1, 41);
        let v44 = ApiVersion::new(1, 44);
        let mux = Some("application/vnd.docker.multiplexed-stream");
        assert_eq!(Framing::decide(mux, v41), FramingDecision::Known(Framing::Multiplexed));
        assert_eq!(Framing::decide(Some(RAW_STREAM), v44), FramingDecision::Known(Framing::Raw));
        assert_eq!(Framing::decide(Some(RAW_STREAM), v41), FramingDecision::ByTty);
        assert_eq!(Framing::decide(None, v44), FramingDecision::ByTty);
        assert_eq!(
            Framing::decide(Some("Application/Vnd.Docker.Raw-Stream; x=1"), v44),
            FramingDecision::Known(Framing::Raw)
        );
        assert_eq!(Framing::from_tty(true), Framing::Raw);
    }

    #[test]
    fn timestamps_in_frames() {
        let body =
            [frame(1, b"2026-11-27T17:46:57.041190500Z hello\n"), frame(2, b"2026-11-27T17:46:58Z oops")].concat();
        let mut d = LogDecoder::new(FrameDecoder::new(Framing::Multiplexed), true);
        d.push(Bytes::from(body));
        let a = d.next_output().unwrap().unwrap();
        assert_eq!(&a.data[..], b"hello\n");
        assert_eq!(a.timestamp.unwrap().nanosecond(), 41_190_500);
        let b = d.next_output().unwrap().unwrap();
        assert_eq!((b.stream, &b.data[..]), (StdStream::Stderr, &b"oops"[..]));
        assert_eq!(b.timestamp.unwrap().second(), 58);
        let mut d = LogDecoder::new(FrameDecoder::new(Framing::Multiplexed), true);
        d.push(Bytes::from(frame(1, b"no timestamp here")));
        assert!(matches!(d.next_output(), Err(Error::Stream { .. })));
    }

    #[test]
    fn timestamps_in_raw_lines_do_not_wait_for_newlines() {
        let mut d = LogDecoder::new(FrameDecoder::new(Framing::Raw), true);
        d.push(Bytes::from_static(b"2026-11-27T17:46"));
        assert!(d.next_output().unwrap().is_none(), "only the prefix is held back");
        d.push(Bytes::from_static(b":57Z par"));
        let a = d.next_output().unwrap().unwrap();
        assert_eq!(&a.data[..], b"par");
        assert_eq!(a.timestamp.unwrap().minute(), 46);
        d.push(Bytes::from_static(b"tial\n2026-11-27T17:47:00Z next\n"));
        assert_eq!(&d.next_output().unwrap().unwrap().data[..], b"tial\n");
        let c = d.next_output().unwrap().unwrap();
        assert_eq!((&c.data[..], c.timestamp.unwrap().minute()), (&b"next\n"[..], 47));
        assert!(d.next_output().unwrap().is_none());
        d.finish().unwrap();
    }

    fn encode(frames: &[(u8, Vec<u8>)]) -> Vec<u8> {
        frames.iter().flat_map(|(s, p)| frame(*s, p)).collect()
    }

    proptest! {
        #[test]
        fn any_split_yields_the_same_items(
            frames in proptest::collection::vec((0u8..3, proptest::collection::vec(any::<u8>(), 0..300)), 0..20),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            let body = encode(&frames);
            let expected: Vec<(u8, Vec<u8>)> = frames.iter().filter(|(_, p)| !p.is_empty()).cloned().collect();
            let mut points: Vec<usize> = cuts.iter().map(|i| i.index(body.len() + 1)).collect();
            points.sort_unstable();
            let mut chunks = Vec::new();
            let mut at = 0;
            for p in points.into_iter().chain([body.len()]) {
                chunks.push(&body[at..p]);
                at = p;
            }
            let mut d = FrameDecoder::new(Framing::Multiplexed);
            let got = decode_all(&mut d, &chunks).unwrap();
            let got: Vec<(u8, Vec<u8>)> = got
                .into_iter()
                .map(|o| (match o.stream { StdStream::Stdin => 0, StdStream::Stdout => 1, _ => 2 }, o.data.to_vec()))
                .collect();
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn arbitrary_bytes_never_panic(
            chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..16),
            raw in any::<bool>(),
            timestamps in any::<bool>(),
        ) {
            let framing = if raw { Framing::Raw } else { Framing::Multiplexed };
            let mut d = LogDecoder::new(FrameDecoder::new(framing).with_max_joined_frame(32), timestamps);
            for c in chunks {
                d.push(Bytes::from(c));
                for _ in 0..64 {
                    match d.next_output() {
                        Ok(Some(_)) => {}
                        Ok(None) => break,
                        Err(_) => {}
                    }
                }
            }
            let _ = d.finish();
        }
    }
}
