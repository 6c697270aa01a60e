//! Networks: lookup, creation, connecting containers, addresses.

use std::collections::BTreeMap;

use crate::error::{ApiErr, err};
use crate::state::*;
use crate::util::next_u64;

impl State {
    /// The network id for a name or id.
    pub(crate) fn find_network(&self, key: &str) -> Result<String, ApiErr> {
        if self.networks.contains_key(key) {
            return Ok(key.to_string());
        }
        if let Some(n) = self.networks.values().find(|n| n.name == key) {
            return Ok(n.id.clone());
        }
        let m: Vec<&String> = self.networks.keys().filter(|id| !key.is_empty() && id.starts_with(key)).collect();
        if m.len() == 1 {
            return Ok(m[0].clone());
        }
        Err(err(404, format!("network {key} not found")))
    }

    /// Creates a user-defined network.
    pub(crate) fn create_network(
        &mut self,
        name: &str,
        driver: &str,
        internal: bool,
        labels: BTreeMap<String, String>,
        check_duplicate: bool,
    ) -> Result<String, ApiErr> {
        // dockerd 20.10 takes any name (spaces too) but an empty one or one with control characters.
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(err(400, format!("invalid network name \"{name}\"")));
        }
        if matches!(name, "bridge" | "host" | "none") {
            return Err(err(403, format!("{name} is a pre-defined network and cannot be created")));
        }
        if check_duplicate && self.networks.values().any(|n| n.name == name) {
            return Err(err(409, format!("network with name {name} already exists")));
        }
        let driver = if driver.is_empty() { "bridge" } else { driver };
        if driver != "bridge" {
            return Err(err(400, format!("plugin \"{driver}\" not found")));
        }
        let used: Vec<u32> =
            self.networks.values().filter_map(|n| n.subnet.split('.').nth(1).and_then(|o| o.parse().ok())).collect();
        let Some(second) = (18..=31u32).find(|o| !used.contains(o)) else {
            return Err(err(
                400,
                "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network",
            ));
        };
        let id = self.new_id();
        self.networks.insert(
            id.clone(),
            Network {
                id: id.clone(),
                name: name.into(),
                driver: driver.into(),
                scope: "local".into(),
                subnet: format!("172.{second}.0.0/16"),
                gateway: format!("172.{second}.0.1"),
                internal,
                attachable: false,
                labels,
                created_ms: self.clock_ms,
                last_ip: 1,
                ipam_config: String::new(),
                enable_ipv6: false,
            },
        );
        self.event("network", "create", &id, &[("name", name.into()), ("type", driver.into())]);
        Ok(id)
    }

    /// Connects a container to a network (an IP is given when it runs).
    pub(crate) fn connect(
        &mut self,
        cid: &str,
        net_id: &str,
        aliases: Vec<String>,
        kept: BTreeMap<String, String>,
    ) -> Result<(), ApiErr> {
        let net = self.networks.get(net_id).cloned().ok_or_else(|| err(404, format!("network {net_id} not found")))?;
        let c = self.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        if c.networks.contains_key(&net.name) {
            return Err(err(403, format!("endpoint with name {} already exists in network {}", c.name, net.name)));
        }
        if (net.driver == "host" || net.driver == "null" || c.network_mode == "host" || c.network_mode == "none")
            && !c.networks.is_empty()
        {
            return Err(err(
                400,
                "container cannot be disconnected from host network or connected to host network".to_string(),
            ));
        }
        let running = matches!(c.status, Status::Running | Status::Paused);
        let endpoint_id = self.new_id();
        let mac_seed = next_u64(&mut self.rng);
        let mut ep = Endpoint {
            network_id: net.id.clone(),
            endpoint_id,
            ip: String::new(),
            gateway: String::new(),
            mac: String::new(),
            aliases,
            kept,
        };
        if running {
            self.assign_ip(&mut ep, mac_seed);
        }
        if let Some(c) = self.containers.get_mut(cid) {
            c.networks.insert(net.name.clone(), ep);
        }
        self.event("network", "connect", net_id, &[("container", cid.to_string()), ("name", net.name)]);
        Ok(())
    }

    pub(crate) fn assign_ip(&mut self, ep: &mut Endpoint, mac_seed: u64) {
        let Some(net) = self.networks.get_mut(&ep.network_id) else { return };
        if net.subnet.is_empty() {
            return;
        }
        let mut parts = net.subnet.split('.');
        let (a, b) = (parts.next().unwrap_or("172"), parts.next().unwrap_or("17"));
        net.last_ip += 1;
        let n = net.last_ip;
        ep.ip = format!("{a}.{b}.{}.{}", n / 256, n % 256);
        ep.gateway = net.gateway.clone();
        let _ = mac_seed;
        ep.mac = format!("02:42:ac:{:02x}:{:02x}:{:02x}", b.parse::<u8>().unwrap_or(17), n / 256, n % 256);
        // The address the endpoint asked for (`--ip`), as given.
        let asked = ep.kept.get("IPAMConfig").and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
        if let Some(ip) = asked.as_ref().and_then(|v| v.get("IPv4Address")).and_then(|v| v.as_str()) {
            let valid = ip.split('.').count() == 4 && ip.split('.').all(|p| p.parse::<u8>().is_ok());
            if valid {
                ep.ip = ip.to_string();
            }
        }
    }

    /// Removes the user-defined networks no container uses; their names.
    pub(crate) fn prune_networks(&mut self) -> Vec<String> {
        let unused: Vec<String> = self
            .networks
            .values()
            .filter(|n| !matches!(n.name.as_str(), "bridge" | "host" | "none"))
            .filter(|n| !self.containers.values().any(|c| c.networks.contains_key(&n.name)))
            .map(|n| n.id.clone())
            .collect();
        unused.iter().filter_map(|id| self.networks.remove(id).map(|n| n.name)).collect()
    }

    /// Removes network `nid`: not a predefined one, nor one in use.
    pub(crate) fn remove_network(&mut self, nid: &str) -> Result<(), ApiErr> {
        let n = self.networks.get(nid).cloned().ok_or_else(|| err(404, format!("network {nid} not found")))?;
        if matches!(n.name.as_str(), "bridge" | "host" | "none") {
            return Err(err(403, format!("{} is a pre-defined network and cannot be removed", n.name)));
        }
        if self.containers.values().any(|c| c.networks.contains_key(&n.name)) {
            return Err(err(
                403,
                format!("error while removing network: network {} id {} has active endpoints", n.name, n.id),
            ));
        }
        self.networks.remove(nid);
        self.event("network", "destroy", nid, &[("name", n.name), ("type", n.driver)]);
        Ok(())
    }

    /// Disconnects container `cid` (asked for as `asked`) from network `nid`.
    pub(crate) fn disconnect(&mut self, nid: &str, cid: &str, asked: &str) -> Result<(), ApiErr> {
        let name = self.networks.get(nid).map(|n| n.name.clone()).unwrap_or_default();
        let Some(ct) = self.containers.get_mut(cid) else {
            return Err(err(404, format!("No such container: {asked}")));
        };
        if ct.networks.remove(&name).is_none() {
            return Err(err(403, format!("container {cid} is not connected to network {name}")));
        }
        self.event("network", "disconnect", nid, &[("container", cid.to_string()), ("name", name)]);
        Ok(())
    }
}
