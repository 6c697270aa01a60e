//! The Engine API's own header names, as [`HeaderName`] constants.
//!
//! They are built at compile time, so setting or looking up one of them
//! parses nothing at run time (a name given as a string is matched against
//! the table of standard names on every use).
//!
//! ```
//! let mut headers = http::HeaderMap::new();
//! headers.insert(dockhand::headers::API_VERSION, http::HeaderValue::from_static("1.41"));
//! assert_eq!(headers["api-version"], "1.41");
//! ```

// `HeaderName` holds `Bytes`, which clippy counts as interior mutability;
// these constants are never mutated, exactly like `http::header`'s own.
#![allow(clippy::declare_interior_mutable_const)]

use http::HeaderName;

/// `Api-Version`: the API version the daemon speaks, on every response.
pub const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// `Docker-Experimental`: whether the daemon runs with experimental features.
pub const DOCKER_EXPERIMENTAL: HeaderName = HeaderName::from_static("docker-experimental");

/// `Ostype`: the daemon's operating system (`linux`, `windows`).
pub const OSTYPE: HeaderName = HeaderName::from_static("ostype");

/// `Builder-Version`: the daemon's default builder (`1` classic, `2` BuildKit).
pub const BUILDER_VERSION: HeaderName = HeaderName::from_static("builder-version");

/// `Swarm`: the node's swarm state (`inactive`, `active/manager`, ...).
pub const SWARM: HeaderName = HeaderName::from_static("swarm");

/// `X-Registry-Auth`: base64url JSON credentials for pulls, pushes and
/// services.
pub const X_REGISTRY_AUTH: HeaderName = HeaderName::from_static("x-registry-auth");

/// `X-Registry-Config`: base64url JSON credentials per registry, for builds.
pub const X_REGISTRY_CONFIG: HeaderName = HeaderName::from_static("x-registry-config");

/// `X-Docker-Container-Path-Stat`: base64 JSON of a container path's stat,
/// on archive responses.
pub const X_DOCKER_CONTAINER_PATH_STAT: HeaderName = HeaderName::from_static("x-docker-container-path-stat");
