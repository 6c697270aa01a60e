//! Sans-IO decoders for the API's streaming bodies, and the adapters that run
//! them over a [`Body`](crate::Body).
//!
//! A decoder takes chunks as they arrive and yields items as soon as they are
//! complete; it never waits for a newline or for the end of the body, and it
//! bounds what it buffers so that a hostile daemon cannot exhaust memory.

pub mod frames;
pub mod json;

pub use frames::{FrameDecoder, Framing, LogDecoder, Output, OutputStream, StdStream};
pub use json::{JsonLines, JsonStream};
