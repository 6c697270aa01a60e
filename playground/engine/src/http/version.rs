//! What the engine says it is: its version and the API version it speaks.

/// The API version the engine announces (the docker CLI 28 and dockhand
/// both speak it).
pub(crate) const API_VERSION: &str = "1.41";

/// The engine's version string.
pub(crate) const ENGINE_VERSION: &str = "20.10.24-dockhand-sim";
