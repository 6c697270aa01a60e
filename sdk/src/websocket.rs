//! The websocket protocol's client side (RFC 6455), sans-IO: the handshake's
//! accept key, frames in and out, and messages from frames.
//!
//! Written for the one websocket endpoint of the Engine API
//! (`GET /containers/{id}/attach/ws`, see `ContainerHandle::attach_ws`), in
//! place of a websocket crate whose dependencies cost about 15 s of CPU in a
//! clean build (issue 17). What a daemon sends is checked: reserved bits,
//! unknown opcodes, fragmented or oversized control frames and frames or
//! messages over a size limit are [`FrameError`]s, never panics.

use base64::Engine as _;
use bytes::{Buf, BufMut, Bytes, BytesMut};

/// Appended to the client's key before hashing (RFC 6455, section 1.3).
const ACCEPT_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The `Sec-WebSocket-Accept` a server must answer to `key`.
pub(crate) fn accept_key(key: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(crate::sha1::digest(format!("{key}{ACCEPT_GUID}").as_bytes()))
}

/// Unpredictable bytes for the handshake key and frame masks: SipHash with
/// the process's random keys (std's `RandomState`) over a counter. Masks
/// only need to be unknown to the page a proxy might cache, not secret.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let state = std::collections::hash_map::RandomState::new();
    let mut out = [0u8; N];
    for chunk in out.chunks_mut(8) {
        let mut hasher = state.build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        chunk.copy_from_slice(&hasher.finish().to_le_bytes()[..chunk.len()]);
    }
    out
}

/// A frame's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Opcode {
    Continuation,
    Text,
    Binary,
    Close,
    Ping,
    Pong,
}

impl Opcode {
    fn from_bits(bits: u8) -> Option<Self> {
        Some(match bits {
            0x0 => Self::Continuation,
            0x1 => Self::Text,
            0x2 => Self::Binary,
            0x8 => Self::Close,
            0x9 => Self::Ping,
            0xA => Self::Pong,
            _ => return None,
        })
    }

    fn bits(self) -> u8 {
        match self {
            Self::Continuation => 0x0,
            Self::Text => 0x1,
            Self::Binary => 0x2,
            Self::Close => 0x8,
            Self::Ping => 0x9,
            Self::Pong => 0xA,
        }
    }

    fn is_control(self) -> bool {
        matches!(self, Self::Close | Self::Ping | Self::Pong)
    }
}

/// One frame, unmasked.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Frame {
    pub fin: bool,
    pub opcode: Opcode,
    pub payload: Bytes,
}

/// What a peer sent that breaks the protocol, or exceeds the limits.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum FrameError {
    #[error("a websocket frame with reserved bits set ({0:#04x})")]
    ReservedBits(u8),
    #[error("a websocket frame with unknown opcode {0:#x}")]
    UnknownOpcode(u8),
    #[error("a websocket control frame that is fragmented or over 125 bytes")]
    BadControlFrame,
    #[error("a websocket frame or message of {0} bytes, over the limit of {1}")]
    TooLarge(u64, usize),
    #[error("a websocket continuation frame without a message to continue")]
    StrayContinuation,
    #[error("a new websocket message before the previous one ended")]
    UnfinishedMessage,
    #[error("a websocket text message that is not UTF-8")]
    NotUtf8,
}

/// Takes one whole frame off the front of `buf`; `None` while it is not all
/// there. `max` bounds a frame's payload.
pub(crate) fn decode(buf: &mut BytesMut, max: usize) -> Result<Option<Frame>, FrameError> {
    if buf.len() < 2 {
        return Ok(None);
    }
    let (first, second) = (buf[0], buf[1]);
    if first & 0x70 != 0 {
        return Err(FrameError::ReservedBits(first));
    }
    let opcode = Opcode::from_bits(first & 0x0F).ok_or(FrameError::UnknownOpcode(first & 0x0F))?;
    let fin = first & 0x80 != 0;
    let masked = second & 0x80 != 0;
    let (len, mut header) = match second & 0x7F {
        126 if buf.len() >= 4 => (u64::from(u16::from_be_bytes([buf[2], buf[3]])), 4),
        127 if buf.len() >= 10 => (u64::from_be_bytes(buf[2..10].try_into().expect("8 bytes")), 10),
        126 | 127 => return Ok(None),
        n => (u64::from(n), 2),
    };
    if opcode.is_control() && (!fin || len > 125) {
        return Err(FrameError::BadControlFrame);
    }
    let len = usize::try_from(len).ok().filter(|&n| n <= max).ok_or(FrameError::TooLarge(len, max))?;
    let mask = if masked {
        // A server must not mask; one that does is read anyway.
        if buf.len() < header + 4 {
            return Ok(None);
        }
        header += 4;
        Some([buf[header - 4], buf[header - 3], buf[header - 2], buf[header - 1]])
    } else {
        None
    };
    if buf.len() < header + len {
        buf.reserve(header + len - buf.len());
        return Ok(None);
    }
    buf.advance(header);
    let mut payload = buf.split_to(len);
    if let Some(mask) = mask {
        apply_mask(&mut payload, mask);
    }
    Ok(Some(Frame { fin, opcode, payload: payload.freeze() }))
}

/// Appends a final, masked frame (a client's frames are always masked).
pub(crate) fn encode(opcode: Opcode, payload: &[u8], mask: [u8; 4], out: &mut BytesMut) {
    out.reserve(payload.len() + 14);
    out.put_u8(0x80 | opcode.bits());
    match payload.len() {
        n @ 0..=125 => out.put_u8(0x80 | n as u8),
        n @ 126..=0xFFFF => {
            out.put_u8(0x80 | 126);
            out.put_u16(n as u16);
        }
        n => {
            out.put_u8(0x80 | 127);
            out.put_u64(n as u64);
        }
    }
    out.put_slice(&mask);
    let start = out.len();
    out.put_slice(payload);
    apply_mask(&mut out[start..], mask);
}

fn apply_mask(data: &mut [u8], mask: [u8; 4]) {
    for (i, byte) in data.iter_mut().enumerate() {
        *byte ^= mask[i % 4];
    }
}

/// What a sequence of frames amounts to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// A whole data message (text already checked to be UTF-8).
    Message(Bytes),
    /// A ping, whose payload the pong must carry.
    Ping(Bytes),
    /// A pong (ignored by the attach).
    Pong,
    /// The peer's close frame.
    Close,
}

/// Reassembles data messages from their frames.
#[derive(Debug)]
pub(crate) struct Messages {
    partial: Option<(Opcode, BytesMut)>,
    max: usize,
}

impl Messages {
    /// Messages of at most `max` bytes.
    pub(crate) fn new(max: usize) -> Self {
        Self { partial: None, max }
    }

    /// The event `frame` completes, if any.
    pub(crate) fn push(&mut self, frame: Frame) -> Result<Option<Event>, FrameError> {
        let (kind, data) = match frame.opcode {
            Opcode::Ping => return Ok(Some(Event::Ping(frame.payload))),
            Opcode::Pong => return Ok(Some(Event::Pong)),
            Opcode::Close => return Ok(Some(Event::Close)),
            Opcode::Continuation => {
                let (kind, mut data) = self.partial.take().ok_or(FrameError::StrayContinuation)?;
                let total = data.len() + frame.payload.len();
                if total > self.max {
                    return Err(FrameError::TooLarge(total as u64, self.max));
                }
                data.extend_from_slice(&frame.payload);
                if !frame.fin {
                    self.partial = Some((kind, data));
                    return Ok(None);
                }
                (kind, data.freeze())
            }
            kind @ (Opcode::Text | Opcode::Binary) => {
                if self.partial.is_some() {
                    return Err(FrameError::UnfinishedMessage);
                }
                if !frame.fin {
                    self.partial = Some((kind, BytesMut::from(&frame.payload[..])));
                    return Ok(None);
                }
                (kind, frame.payload)
            }
        };
        if kind == Opcode::Text && std::str::from_utf8(&data).is_err() {
            return Err(FrameError::NotUtf8);
        }
        Ok(Some(Event::Message(data)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(first: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![first, payload.len() as u8];
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn the_rfc_handshake_example() {
        // RFC 6455, section 1.3.
        assert_eq!(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    #[test]
    fn frames_round_trip_at_each_length_encoding() {
        for len in [0, 1, 125, 126, 65_535, 65_536, 70_000] {
            let payload: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let mut wire = BytesMut::new();
            encode(Opcode::Binary, &payload, [1, 2, 3, 4], &mut wire);
            assert_eq!(wire[1] & 0x80, 0x80, "client frames are masked");
            // Whole, then byte by byte: never early, never wrong.
            let mut buf = BytesMut::new();
            for (i, b) in wire.iter().enumerate() {
                buf.put_u8(*b);
                let got = decode(&mut buf, 1 << 20).unwrap();
                if i + 1 < wire.len() {
                    assert!(got.is_none(), "len {len}: a frame at byte {i}");
                } else {
                    let f = got.expect("the whole frame");
                    assert!(f.fin);
                    assert_eq!(f.opcode, Opcode::Binary);
                    assert_eq!(&f.payload[..], &payload[..]);
                }
            }
            assert!(buf.is_empty());
        }
    }

    #[test]
    fn messages_from_fragments_and_controls_between() {
        let mut buf = BytesMut::new();
        buf.extend_from_slice(&frame(0x01, b"hel"));
        buf.extend_from_slice(&frame(0x89, b"p"));
        buf.extend_from_slice(&frame(0x80, b"lo"));
        buf.extend_from_slice(&frame(0x82, b"\xff\x00"));
        buf.extend_from_slice(&frame(0x88, b""));
        let mut messages = Messages::new(1024);
        let mut events = Vec::new();
        while let Some(f) = decode(&mut buf, 1024).unwrap() {
            if let Some(e) = messages.push(f).unwrap() {
                events.push(e);
            }
        }
        assert_eq!(
            events,
            vec![
                Event::Ping(Bytes::from_static(b"p")),
                Event::Message(Bytes::from_static(b"hello")),
                Event::Message(Bytes::from_static(b"\xff\x00")),
                Event::Close
            ]
        );
    }

    #[test]
    fn what_breaks_the_protocol_is_an_error() {
        let err = |bytes: &[u8]| decode(&mut BytesMut::from(bytes), 1024).unwrap_err();
        assert_eq!(err(&[0xC1, 0]), FrameError::ReservedBits(0xC1));
        assert_eq!(err(&[0x83, 0]), FrameError::UnknownOpcode(3));
        assert_eq!(err(&[0x09, 0]), FrameError::BadControlFrame);
        assert_eq!(err(&[0x89, 126, 0, 200]), FrameError::BadControlFrame);
        assert_eq!(
            err(&[0x82, 127, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
            FrameError::TooLarge(u64::MAX, 1024)
        );
        let mut m = Messages::new(4);
        assert_eq!(
            m.push(Frame { fin: true, opcode: Opcode::Continuation, payload: Bytes::new() }),
            Err(FrameError::StrayContinuation)
        );
        assert_eq!(
            m.push(Frame { fin: true, opcode: Opcode::Text, payload: Bytes::from_static(b"\xff") }),
            Err(FrameError::NotUtf8)
        );
        m.push(Frame { fin: false, opcode: Opcode::Binary, payload: Bytes::from_static(b"abc") }).unwrap();
        assert_eq!(
            m.push(Frame { fin: true, opcode: Opcode::Binary, payload: Bytes::new() }),
            Err(FrameError::UnfinishedMessage)
        );
        let mut m = Messages::new(4);
        m.push(Frame { fin: false, opcode: Opcode::Binary, payload: Bytes::from_static(b"abc") }).unwrap();
        assert_eq!(
            m.push(Frame { fin: true, opcode: Opcode::Continuation, payload: Bytes::from_static(b"de") }),
            Err(FrameError::TooLarge(5, 4))
        );
        // A masked server frame is unmasked.
        let mut buf = BytesMut::from(&[0x82, 0x82, 1, 2, 3, 4, b'a' ^ 1, b'b' ^ 2][..]);
        assert_eq!(&decode(&mut buf, 16).unwrap().unwrap().payload[..], b"ab");
    }

    #[test]
    fn keys_differ() {
        let (a, b) = (random_bytes::<16>(), random_bytes::<16>());
        assert_ne!(a, b);
        assert_ne!(random_bytes::<4>(), random_bytes::<4>());
    }

    proptest::proptest! {
        /// Any bytes: frames, `None` or an error, never a panic.
        #[test]
        fn any_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let mut buf = BytesMut::from(&bytes[..]);
            let mut messages = Messages::new(64);
            while let Ok(Some(f)) = decode(&mut buf, 64) {
                let _ = messages.push(f);
            }
        }
    }
}
