//! The sans-IO core: for each endpoint, its options and a pure function that
//! builds its [`ApiRequest`](crate::request::ApiRequest) (and, where the
//! answer is more than JSON, one that parses it).
//!
//! These functions do no IO and compile for `wasm32-unknown-unknown`. The
//! [`Docker`](crate::Docker) client and its handles call them and send what
//! they build through a [`Transport`](crate::transport::Transport). Modules
//! are named for the part of the API they cover.

pub mod configs;
pub mod containers;
pub mod images;
pub mod networks;
pub mod nodes;
pub mod plugins;
pub mod secrets;
pub mod services;
pub mod swarm;
pub mod system;
pub mod tasks;
pub mod volumes;

pub use configs::ConfigFilters;
pub use containers::{
    ContainerCreate, ContainerFilters, ContainerListOptions, ContainerPruneFilters, ContainerRemoveOptions,
    ContainerUpdate, PutArchiveOptions, StatsMode, StopOptions,
};
pub use images::ImportOptions;
pub use networks::{NetworkCreateOptions, NetworkFilters, NetworkInspectOptions, NetworkPruneFilters};
pub use nodes::NodeFilters;
pub use plugins::{PluginFilters, PluginPullOptions};
pub use secrets::SecretFilters;
pub use services::{ServiceFilters, ServiceUpdateOptions, SwarmLogsOptions};
pub use swarm::SwarmUpdateOptions;
pub use system::{DfOptions, DfType, EventFilters, EventsOptions};
pub use tasks::TaskFilters;
pub use volumes::{VolumeCreateOptions, VolumeFilters, VolumePruneFilters};
pub mod build;
pub use build::{BuildOptions, BuilderVersion};
pub use images::{
    AttestationOptions, BuildCacheFilters, BuildCachePruneOptions, CommitOptions, ImageFilters, ImageInspectOptions,
    ImageListOptions, ImagePruneFilters, ImageRemoveOptions, PullOptions, PushOptions, SearchFilters, SearchOptions,
};
pub mod container_streams;
pub mod exec;

pub use container_streams::{AttachOptions, LogsOptions, RunOptions};
pub use exec::ExecOptions;
