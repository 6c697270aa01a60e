//! Models of networks: `/networks/...`, and the endpoint settings a
//! container has on each network it is connected to.

use std::collections::HashMap;

use crate::Timestamp;
use serde::{Deserialize, Serialize};

use super::{EndpointSettings, timestamp};

/// A network, as `GET /networks/{id}` and `GET /networks` describe it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Network {
    /// Its name.
    pub name: String,
    /// Its id.
    #[serde(rename = "Id")]
    pub id: String,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created: Option<Timestamp>,
    /// `local`, `swarm` or `global`.
    pub scope: String,
    /// Its driver (`bridge`, `overlay`, `host`, `null`, ...).
    pub driver: String,
    /// Whether IPv4 is on (API 1.47 and later; `None` from older daemons).
    #[serde(rename = "EnableIPv4", skip_serializing_if = "Option::is_none")]
    pub enable_ipv4: Option<bool>,
    /// Whether IPv6 is on.
    #[serde(rename = "EnableIPv6")]
    pub enable_ipv6: bool,
    /// Its address management.
    #[serde(rename = "IPAM")]
    #[serde(deserialize_with = "super::nullable")]
    pub ipam: Ipam,
    /// Whether it is cut off from the outside (no default route).
    pub internal: bool,
    /// Whether standalone containers may attach to a swarm-scope network.
    pub attachable: bool,
    /// Whether it is the swarm's routing-mesh network.
    pub ingress: bool,
    /// The config-only network this one takes its configuration from.
    pub config_from: Option<ConfigReference>,
    /// Whether it only holds configuration for other networks.
    pub config_only: bool,
    /// The containers attached, by container id (in inspect answers; empty
    /// in lists).
    #[serde(deserialize_with = "super::nullable")]
    pub containers: HashMap<String, EndpointResource>,
    /// Driver options.
    #[serde(deserialize_with = "super::nullable")]
    pub options: HashMap<String, String>,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// The swarm peers of an overlay network.
    #[serde(deserialize_with = "super::nullable")]
    pub peers: Vec<PeerInfo>,
    /// The services on a swarm network (inspect with `verbose`).
    #[serde(deserialize_with = "super::nullable")]
    pub services: HashMap<String, serde_json::Value>,
}

/// A network's address management: driver and pools.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Ipam {
    /// The IPAM driver (`default`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub driver: String,
    /// Address pools.
    #[serde(deserialize_with = "super::nullable")]
    pub config: Vec<IpamConfig>,
    /// Driver options.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub options: HashMap<String, String>,
}

impl Ipam {
    /// The default driver with these pools.
    pub fn with_config(config: impl IntoIterator<Item = IpamConfig>) -> Self {
        Ipam { config: config.into_iter().collect(), ..Default::default() }
    }
}

/// One address pool of an [`Ipam`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct IpamConfig {
    /// The subnet, in CIDR form (`172.30.0.0/24`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    /// The part of the subnet containers get addresses from.
    #[serde(rename = "IPRange", skip_serializing_if = "Option::is_none")]
    pub ip_range: Option<String>,
    /// The gateway's address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// Addresses the driver must not hand out, by name.
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "HashMap::is_empty")]
    pub auxiliary_addresses: HashMap<String, String>,
}

impl IpamConfig {
    /// A pool for `subnet` (CIDR).
    pub fn subnet(subnet: impl Into<String>) -> Self {
        IpamConfig { subnet: Some(subnet.into()), ..Default::default() }
    }

    /// Sets the gateway.
    pub fn gateway(mut self, gateway: impl Into<String>) -> Self {
        self.gateway = Some(gateway.into());
        self
    }

    /// Sets the range addresses are allocated from.
    pub fn ip_range(mut self, range: impl Into<String>) -> Self {
        self.ip_range = Some(range.into());
        self
    }
}

/// A reference to a config-only network.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ConfigReference {
    /// The config-only network's name.
    pub network: String,
}

/// A container's endpoint on a network, as the network's inspect lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct EndpointResource {
    /// The container's name.
    pub name: String,
    /// The endpoint's id.
    #[serde(rename = "EndpointID")]
    pub endpoint_id: String,
    /// Its MAC address.
    pub mac_address: String,
    /// Its IPv4 address with prefix (`172.19.0.2/16`).
    #[serde(rename = "IPv4Address")]
    pub ipv4_address: String,
    /// Its IPv6 address with prefix.
    #[serde(rename = "IPv6Address")]
    pub ipv6_address: String,
}

/// A swarm peer of an overlay network.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PeerInfo {
    /// The peer's node name.
    pub name: String,
    /// The peer's address.
    #[serde(rename = "IP")]
    pub ip: String,
}

/// The answer of `POST /networks/create`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkCreateResponse {
    /// The new network's id.
    #[serde(rename = "Id")]
    pub id: String,
    /// A warning from the daemon, if any.
    pub warning: String,
}

/// The answer of `POST /networks/prune`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkPruneResponse {
    /// The names of the networks removed.
    #[serde(deserialize_with = "super::nullable")]
    pub networks_deleted: Vec<String>,
}

/// Builders for [`EndpointSettings`] (defined with the container models:
/// container create and inspect use it too), for `POST
/// /networks/{id}/connect`.
///
/// ```
/// use dockhand::models::EndpointSettings;
/// let e = EndpointSettings::new().alias("db").ipv4_address("172.30.0.10");
/// assert_eq!(e.aliases, ["db"]);
/// ```
impl EndpointSettings {
    /// No settings: the daemon's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an alias (a name other containers on the network can use).
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.aliases.push(alias.into());
        self
    }

    /// Requests a static IPv4 address (the network needs a user-set subnet).
    pub fn ipv4_address(mut self, address: impl Into<String>) -> Self {
        self.ipam_config.get_or_insert_with(Default::default).ipv4_address = address.into();
        self
    }

    /// Requests a static IPv6 address.
    pub fn ipv6_address(mut self, address: impl Into<String>) -> Self {
        self.ipam_config.get_or_insert_with(Default::default).ipv6_address = address.into();
        self
    }

    /// Asks for this MAC address on the network (per endpoint from API 1.44;
    /// see [`EndpointSettings::mac_address`]).
    pub fn mac_address(mut self, mac: impl Into<String>) -> Self {
        self.mac_address = mac.into();
        self
    }

    /// Sets the gateway priority (API 1.48; see
    /// [`EndpointSettings::gw_priority`]).
    pub fn gw_priority(mut self, priority: i64) -> Self {
        self.gw_priority = Some(priority);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_2010_inspect_answer() {
        let json = r#"{"Name":"n","Id":"abc","Created":"2026-11-27T17:46:57.041190500Z","Scope":"local",
            "Driver":"bridge","EnableIPv6":false,"IPAM":{"Driver":"default","Options":null,
            "Config":[{"Subnet":"172.30.0.0/24","Gateway":"172.30.0.1"}]},"Internal":true,
            "Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,
            "Containers":{"c1":{"Name":"web","EndpointID":"e","MacAddress":"02:42:ac:1e:00:02",
            "IPv4Address":"172.30.0.2/24","IPv6Address":""}},"Options":{},"Labels":null}"#;
        let n: Network = serde_json::from_str(json).unwrap();
        assert!(n.internal && n.enable_ipv4.is_none());
        assert_eq!(n.ipam.config[0].gateway.as_deref(), Some("172.30.0.1"));
        assert_eq!(n.containers["c1"].ipv4_address, "172.30.0.2/24");
        assert!(n.labels.is_empty() && n.created.is_some());
    }

    #[test]
    fn endpoint_settings_send_only_what_is_set() {
        let e = EndpointSettings::new().alias("db").ipv4_address("10.0.0.5");
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"IPAMConfig":{"IPv4Address":"10.0.0.5"},"Aliases":["db"]}"#);
    }
}
