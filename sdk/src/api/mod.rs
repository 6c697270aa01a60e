//! The sans-IO core: for each endpoint, its options and a pure function that
//! builds its [`ApiRequest`](crate::request::ApiRequest) (and, where the
//! answer is more than JSON, one that parses it).
//!
//! These functions do no IO and compile for `wasm32-unknown-unknown`. The
//! [`Docker`](crate::Docker) client and its handles call them and send what
//! they build through a [`Transport`](crate::transport::Transport). Modules
//! are named for the part of the API they cover.

/// Declares the options of an endpoint whose only option is `force`, so
/// every such endpoint has the same shape: `Options::new().force(true)`,
/// passed to the handle's `..._with` method.
macro_rules! force_options {
    ($(#[$doc:meta])* $name:ident, $force_doc:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name {
            force: bool,
        }

        impl $name {
            /// The daemon's defaults (`force` off).
            pub fn new() -> Self {
                Self::default()
            }

            #[doc = $force_doc]
            pub fn force(mut self, yes: bool) -> Self {
                self.force = yes;
                self
            }

            /// Whether `force` is set.
            pub fn is_force(&self) -> bool {
                self.force
            }
        }
    };
}

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
    ContainerCreate, ContainerFilters, ContainerInspectOptions, ContainerListOptions, ContainerPruneFilters,
    ContainerRemoveOptions, ContainerUpdate, PutArchiveOptions, StatsMode, StopOptions, TopOptions, TtySize,
};
pub use images::ImportOptions;
pub use networks::{
    NetworkCreateOptions, NetworkDisconnectOptions, NetworkFilters, NetworkInspectOptions, NetworkPruneFilters,
};
pub use nodes::{NodeFilters, NodeRemoveOptions};
pub use plugins::{PluginDisableOptions, PluginFilters, PluginPullOptions, PluginRemoveOptions};
pub use secrets::SecretFilters;
pub use services::{ServiceFilters, ServiceInspectOptions, ServiceUpdateOptions, SwarmLogsOptions};
pub use swarm::{SwarmLeaveOptions, SwarmUpdateOptions};
pub use system::{DfOptions, DfType, EventFilters, EventsOptions};
pub use tasks::TaskFilters;
pub use volumes::{VolumeCreateOptions, VolumeFilters, VolumePruneFilters, VolumeRemoveOptions};
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
