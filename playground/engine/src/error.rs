//! The error the API reports: a status and the daemon's message. Used by
//! the daemon, the image subsystem and the HTTP routers; uses nothing else.

/// An error the API reports: a status and the daemon's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErr {
    /// The HTTP status.
    pub status: u16,
    /// The message (`No such container: x`).
    pub message: String,
}

/// Builds an [`ApiErr`].
pub fn err(status: u16, message: impl Into<String>) -> ApiErr {
    ApiErr { status, message: message.into() }
}
