//! The sans-IO core: for each endpoint, its options and a pure function that
//! builds its [`ApiRequest`](crate::request::ApiRequest) (and, where the
//! answer is more than JSON, one that parses it).
//!
//! These functions do no IO and compile for `wasm32-unknown-unknown`. The
//! [`Docker`](crate::Docker) client and its handles call them and send what
//! they build through a [`Transport`](crate::transport::Transport). Modules
//! are named for the part of the API they cover.

pub mod containers;
pub mod images;
pub mod system;

pub use containers::{
    ContainerCreate, ContainerFilters, ContainerListOptions, ContainerPruneFilters, ContainerRemoveOptions,
    ContainerUpdate, PutArchiveOptions, StatsMode, StopOptions,
};
pub use images::ImportOptions;
pub use system::{DfOptions, DfType, EventFilters, EventsOptions};
pub mod build;
pub use build::{BuildOptions, BuilderVersion};
pub use images::{
    AttestationOptions, BuildCacheFilters, BuildCachePruneOptions, CommitOptions, ImageFilters, ImageInspectOptions,
    ImageListOptions, ImagePruneFilters, ImageRemoveOptions, PullOptions, PushOptions, SearchFilters, SearchOptions,
};
