//! The JSON messages of progress streams: pull, push, import, load, build.

use serde::{Deserialize, Serialize};

/// One message of a progress stream.
///
/// The daemon sends a sequence of these with HTTP status 200; a failure
/// arrives as a message with `errorDetail`, which the stream turns into an
/// [`Error::Stream`](crate::Error::Stream) (see [`ProgressMessage::error_message`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ProgressMessage {
    /// The layer or object the message is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What is happening (`Downloading`, `Pull complete`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A rendered progress bar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    /// Current and total bytes.
    #[serde(rename = "progressDetail", skip_serializing_if = "Option::is_none")]
    pub progress_detail: Option<ProgressDetail>,
    /// Build output text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    /// Structured extra data (a built image's `{"ID": ...}`, a push's digest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aux: Option<serde_json::Value>,
    /// The error, when the operation failed.
    #[serde(rename = "errorDetail", skip_serializing_if = "Option::is_none")]
    pub error_detail: Option<ErrorDetail>,
    /// The error as text (older daemons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl ProgressMessage {
    /// The built image's id, from a build's `aux` (`{"ID": "sha256:..."}`).
    pub fn aux_image_id(&self) -> Option<&str> {
        self.aux.as_ref()?.get("ID")?.as_str()
    }

    /// The manifest digest a push reports in `aux` (`{"Tag", "Digest",
    /// "Size"}`), or a pull in its status (`Digest: sha256:...`).
    pub fn digest(&self) -> Option<&str> {
        if let Some(d) = self.aux.as_ref().and_then(|a| a.get("Digest")).and_then(|d| d.as_str()) {
            return Some(d);
        }
        self.status.as_deref()?.strip_prefix("Digest: ").map(str::trim)
    }

    /// What a load reports it loaded (`Loaded image: name:tag` or
    /// `Loaded image ID: sha256:...`), from `stream` (or `status` when
    /// quiet).
    pub fn loaded_image(&self) -> Option<&str> {
        let text = self.stream.as_deref().or(self.status.as_deref())?.trim();
        text.strip_prefix("Loaded image ID: ").or_else(|| text.strip_prefix("Loaded image: ")).map(str::trim)
    }

    /// The error this message reports, if it reports one.
    pub fn error_message(&self) -> Option<&str> {
        self.error_detail.as_ref().map(|d| d.message.as_str()).filter(|m| !m.is_empty()).or(self.error.as_deref())
    }
}

/// Current and total bytes of a [`ProgressMessage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ProgressDetail {
    /// Bytes done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<i64>,
    /// Bytes in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

/// The error of a [`ProgressMessage`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// A code, when the daemon gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// The message.
    pub message: String,
}
