//! Hand-written models of the Engine API's JSON.
//!
//! Every model tolerates real daemons (dockerd from 20.10 on, Podman):
//! - a missing field takes its default (`#[serde(default)]` on every struct),
//!   and so does `null` in a list or map field (Go writes nil slices and maps
//!   as `null`; such fields carry `#[serde(deserialize_with = "nullable")]`);
//! - an unknown field is ignored;
//! - an enum value dockhand does not know lands in an `Unknown(String)`
//!   variant instead of failing the whole response;
//! - integers are 64-bit; timestamps decode to [`Timestamp`](crate::Timestamp), and a
//!   daemon's zero time (`0001-01-01T00:00:00Z`) or an empty string to `None`.
//!
//! Response models are `#[non_exhaustive]` so new fields are not breaking
//! changes; build one with `Default::default()` and assign fields (the
//! simulated daemon does).
//!
//! Models are grouped by what they describe: [`system`], [`container`],
//! [`image`], [`volume`], [`network`], [`swarm`], [`node`], [`service`],
//! [`task`], [`secret`] (secrets and configs), [`plugin`], [`auth`],
//! [`progress`].

pub mod auth;
pub mod container;
pub mod exec;
pub mod image;
pub mod network;
pub mod node;
pub mod plugin;
pub mod progress;
pub mod secret;
pub mod service;
pub mod swarm;
pub mod system;
pub mod task;
pub mod timestamp;
pub mod volume;

/// Decodes `null` as the default value: for list and map fields, which Go
/// daemons write as `null` when empty.
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

use serde::Deserialize as _;

pub use auth::*;
pub use container::*;
pub use exec::*;
pub use image::*;
pub use network::*;
pub use node::*;
pub use plugin::*;
pub use progress::*;
pub use secret::*;
pub use service::*;
pub use swarm::*;
pub use system::*;
pub use task::*;
pub use volume::*;
