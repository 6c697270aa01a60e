//! Models of the swarm itself: `/swarm`, `/swarm/init`, `/swarm/join`,
//! `/swarm/unlockkey`, and the pieces every swarm object shares.

use std::collections::HashMap;
use std::fmt;

use crate::Timestamp;
use serde::{Deserialize, Serialize};

use super::timestamp;

/// The version of a swarm object: updates must name the version they
/// change, so that two concurrent updates cannot both win.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ObjectVersion {
    /// The index to pass as `version` to an update.
    pub index: u64,
}

impl ObjectVersion {
    /// The version with this index.
    pub fn new(index: u64) -> Self {
        ObjectVersion { index }
    }
}

/// What `GET /swarm` answers: the cluster and its join tokens.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Swarm {
    /// The swarm's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version to pass to [`swarm update`](crate::SwarmHandle::update).
    #[serde(deserialize_with = "super::nullable")]
    pub version: ObjectVersion,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created_at: Option<Timestamp>,
    /// When it was last updated.
    #[serde(with = "timestamp::rfc3339")]
    pub updated_at: Option<Timestamp>,
    /// Its settings.
    #[serde(deserialize_with = "super::nullable")]
    pub spec: SwarmSpec,
    /// Its certificate authority's root, as sent.
    #[serde(rename = "TLSInfo")]
    pub tls_info: Option<serde_json::Value>,
    /// Whether the root CA is being rotated.
    pub root_rotation_in_progress: bool,
    /// The UDP port of the data path (VXLAN).
    pub data_path_port: u32,
    /// The address pools overlay networks get subnets from.
    #[serde(deserialize_with = "super::nullable")]
    pub default_addr_pool: Vec<String>,
    /// The prefix length of each overlay subnet.
    pub subnet_size: u32,
    /// The tokens that let nodes join (secrets: not shown by `Debug`).
    #[serde(deserialize_with = "super::nullable")]
    pub join_tokens: JoinTokens,
}

impl fmt::Debug for Swarm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Swarm")
            .field("id", &self.id)
            .field("version", &self.version)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("spec", &self.spec)
            .field("root_rotation_in_progress", &self.root_rotation_in_progress)
            .field("data_path_port", &self.data_path_port)
            .field("default_addr_pool", &self.default_addr_pool)
            .field("subnet_size", &self.subnet_size)
            .field("join_tokens", &self.join_tokens)
            .finish_non_exhaustive()
    }
}

/// The tokens with which workers and managers join a swarm.
///
/// They are secrets: `Debug` shows whether each is set, never its value.
///
/// ```
/// let t: dockhand::models::JoinTokens =
///     serde_json::from_str(r#"{"Worker":"SWMTKN-1-secret","Manager":"SWMTKN-1-other"}"#)?;
/// assert!(!format!("{t:?}").contains("SWMTKN"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct JoinTokens {
    /// The worker token.
    pub worker: String,
    /// The manager token.
    pub manager: String,
}

impl fmt::Debug for JoinTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinTokens")
            .field("worker", &redacted(&self.worker))
            .field("manager", &redacted(&self.manager))
            .finish()
    }
}

pub(crate) fn redacted(secret: &str) -> &'static str {
    if secret.is_empty() { "" } else { "<redacted>" }
}

/// A swarm's settings (`Spec` of [`Swarm`]; the body of `POST
/// /swarm/update`).
///
/// Fields dockhand does not model (Raft, Dispatcher, CAConfig,
/// TaskDefaults) are kept in `extra` and sent back unchanged, so an update
/// built from an inspect changes only what the caller changed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmSpec {
    /// Its name (`default`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// Orchestration settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orchestration: Option<SwarmOrchestration>,
    /// Encryption settings (autolock).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_config: Option<SwarmEncryption>,
    /// Fields not modelled here, as the daemon sent them.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Orchestration settings of a [`SwarmSpec`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmOrchestration {
    /// How many finished tasks per slot are kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_history_retention_limit: Option<i64>,
}

/// Encryption settings of a [`SwarmSpec`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmEncryption {
    /// Whether managers' raft keys are locked with an unlock key: after a
    /// restart the daemon needs `swarm unlock`.
    pub auto_lock_managers: bool,
}

impl SwarmSpec {
    /// Turns autolock on or off.
    pub fn autolock(mut self, on: bool) -> Self {
        self.encryption_config = Some(SwarmEncryption { auto_lock_managers: on });
        self
    }
}

/// The body of `POST /swarm/init`.
///
/// ```
/// use dockhand::models::SwarmInitRequest;
/// let req = SwarmInitRequest::new("127.0.0.1:2377").advertise_addr("127.0.0.1");
/// assert_eq!(req.listen_addr, "127.0.0.1:2377");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmInitRequest {
    /// Where the manager listens for other nodes (`0.0.0.0:2377`).
    pub listen_addr: String,
    /// The address other nodes reach this one at.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub advertise_addr: String,
    /// The address for data traffic between containers.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub data_path_addr: String,
    /// The UDP port of the data path (0: 4789).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_path_port: Option<u32>,
    /// Address pools for overlay networks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "super::nullable")]
    pub default_addr_pool: Vec<String>,
    /// Starts a new cluster from this node's state.
    pub force_new_cluster: bool,
    /// The prefix length of each overlay subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_size: Option<u32>,
    /// The swarm's settings.
    #[serde(deserialize_with = "super::nullable")]
    pub spec: SwarmSpec,
}

impl SwarmInitRequest {
    /// Listens on `listen_addr` with default settings.
    pub fn new(listen_addr: impl Into<String>) -> Self {
        SwarmInitRequest { listen_addr: listen_addr.into(), ..Default::default() }
    }

    /// Sets the advertised address.
    pub fn advertise_addr(mut self, addr: impl Into<String>) -> Self {
        self.advertise_addr = addr.into();
        self
    }

    /// Sets the swarm's settings.
    pub fn spec(mut self, spec: SwarmSpec) -> Self {
        self.spec = spec;
        self
    }
}

/// The body of `POST /swarm/join`. `Debug` hides the join token.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmJoinRequest {
    /// Where this node listens for other nodes.
    pub listen_addr: String,
    /// The address other nodes reach this one at.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub advertise_addr: String,
    /// The address for data traffic.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub data_path_addr: String,
    /// Managers of the swarm to join (`host:port`).
    #[serde(deserialize_with = "super::nullable")]
    pub remote_addrs: Vec<String>,
    /// The worker or manager token.
    pub join_token: String,
}

impl SwarmJoinRequest {
    /// Joins the swarm managed at `remote_addrs` with `token`, listening on
    /// `listen_addr`.
    pub fn new(
        listen_addr: impl Into<String>,
        remote_addrs: impl IntoIterator<Item = impl Into<String>>,
        token: impl Into<String>,
    ) -> Self {
        SwarmJoinRequest {
            listen_addr: listen_addr.into(),
            remote_addrs: remote_addrs.into_iter().map(Into::into).collect(),
            join_token: token.into(),
            ..Default::default()
        }
    }
}

impl fmt::Debug for SwarmJoinRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SwarmJoinRequest")
            .field("listen_addr", &self.listen_addr)
            .field("advertise_addr", &self.advertise_addr)
            .field("data_path_addr", &self.data_path_addr)
            .field("remote_addrs", &self.remote_addrs)
            .field("join_token", &redacted(&self.join_token))
            .finish()
    }
}

/// The key that unlocks a locked manager (`GET /swarm/unlockkey`, body of
/// `POST /swarm/unlock`). `Debug` hides it; read it with
/// [`UnlockKey::expose`].
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UnlockKey {
    unlock_key: String,
}

impl UnlockKey {
    /// A key, as `docker swarm unlock-key` printed it.
    pub fn new(key: impl Into<String>) -> Self {
        UnlockKey { unlock_key: key.into() }
    }

    /// The key itself: handle with care.
    pub fn expose(&self) -> &str {
        &self.unlock_key
    }

    /// Whether the swarm has no key (autolock off).
    pub fn is_empty(&self) -> bool {
        self.unlock_key.is_empty()
    }
}

impl fmt::Debug for UnlockKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnlockKey").field(&redacted(&self.unlock_key)).finish()
    }
}

/// A driver with options (secrets' and configs' drivers, log drivers,
/// volume drivers in mounts).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Driver {
    /// The driver's name.
    pub name: String,
    /// Its options.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub options: HashMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_round_trips_unmodelled_fields() {
        let json = r#"{"Name":"default","Labels":{},"Orchestration":{"TaskHistoryRetentionLimit":5},
            "Raft":{"SnapshotInterval":10000,"ElectionTick":10},"Dispatcher":{"HeartbeatPeriod":5000000000},
            "CAConfig":{"NodeCertExpiry":7776000000000000},"TaskDefaults":{},"EncryptionConfig":{"AutoLockManagers":false}}"#;
        let spec: SwarmSpec = serde_json::from_str(json).unwrap();
        assert_eq!(spec.orchestration.as_ref().unwrap().task_history_retention_limit, Some(5));
        let back = serde_json::to_value(spec.autolock(true)).unwrap();
        assert_eq!(back["Raft"]["SnapshotInterval"], 10000);
        assert_eq!(back["CAConfig"]["NodeCertExpiry"], 7776000000000000u64);
        assert_eq!(back["EncryptionConfig"]["AutoLockManagers"], true);
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let key = UnlockKey::new("SWMKEY-1-abc");
        assert!(!format!("{key:?}").contains("SWMKEY"));
        assert_eq!(serde_json::to_string(&key).unwrap(), r#"{"UnlockKey":"SWMKEY-1-abc"}"#);
        let join = SwarmJoinRequest::new("0.0.0.0:2377", ["10.0.0.1:2377"], "SWMTKN-1-x");
        assert!(!format!("{join:?}").contains("SWMTKN"));
        let swarm: Swarm = serde_json::from_str(r#"{"ID":"s","JoinTokens":{"Worker":"SWMTKN-w"}}"#).unwrap();
        assert!(!format!("{swarm:?}").contains("SWMTKN"));
    }
}
