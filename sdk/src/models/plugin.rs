//! Models of plugins: `/plugins/...`.

use serde::{Deserialize, Serialize};

/// An installed plugin (`GET /plugins/{name}/json`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Plugin {
    /// Its id.
    #[serde(rename = "Id")]
    pub id: String,
    /// Its name (`vieux/sshfs:latest`).
    pub name: String,
    /// Whether it is enabled.
    pub enabled: bool,
    /// Its settable values as set.
    #[serde(deserialize_with = "super::nullable")]
    pub settings: PluginSettings,
    /// The reference it was pulled from.
    pub plugin_reference: String,
    /// Its manifest's configuration.
    #[serde(deserialize_with = "super::nullable")]
    pub config: PluginConfig,
}

/// The current settings of a plugin.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginSettings {
    /// Mounts, as sent.
    #[serde(deserialize_with = "super::nullable")]
    pub mounts: Vec<serde_json::Value>,
    /// Environment, `KEY=value`.
    #[serde(deserialize_with = "super::nullable")]
    pub env: Vec<String>,
    /// Arguments.
    #[serde(deserialize_with = "super::nullable")]
    pub args: Vec<String>,
    /// Devices, as sent.
    #[serde(deserialize_with = "super::nullable")]
    pub devices: Vec<serde_json::Value>,
}

/// A plugin's manifest configuration (the parts most callers read; the
/// whole manifest is kept in `extra`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginConfig {
    /// What it does.
    pub description: String,
    /// Where its documentation is.
    pub documentation: String,
    /// Its interface with the daemon.
    #[serde(deserialize_with = "super::nullable")]
    pub interface: PluginInterface,
    /// Its entrypoint.
    #[serde(deserialize_with = "super::nullable")]
    pub entrypoint: Vec<String>,
    /// Its working directory.
    pub work_dir: String,
    /// Its settable environment, as sent.
    #[serde(deserialize_with = "super::nullable")]
    pub env: Vec<serde_json::Value>,
    /// Everything else (`Network`, `Linux`, `Mounts`, `Args`, `rootfs`, ...),
    /// as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// How the daemon talks to a plugin.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginInterface {
    /// The capabilities it implements (`docker.volumedriver/1.0`).
    #[serde(deserialize_with = "super::nullable")]
    pub types: Vec<String>,
    /// Its socket's name.
    pub socket: String,
    /// The protocol (`moby.plugins.http/v1`), if set.
    pub protocol_scheme: String,
}

/// A permission a plugin asks for; `pull` and `upgrade` must be given the
/// privileges that `privileges` listed, to show the user accepted them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginPrivilege {
    /// `network`, `mount`, `capabilities`, ...
    pub name: String,
    /// What it means.
    pub description: String,
    /// The values asked for.
    #[serde(deserialize_with = "super::nullable")]
    pub value: Vec<String>,
}
