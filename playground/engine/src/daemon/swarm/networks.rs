//! Overlay networks (simulated): the `ingress` network a swarm makes at
//! init, the ones users create with `--driver overlay` (scope `swarm`, on
//! 10.0.N.0/24 as dockerd's default address pool), and their removal when
//! the node leaves.

use std::collections::BTreeMap;

use crate::error::{ApiErr, err};
use crate::state::*;

impl State {
    /// Adds the `ingress` overlay network (10.0.0.0/24), as init does.
    pub(crate) fn create_ingress(&mut self) {
        let _ = self.add_overlay("ingress", false, true, BTreeMap::new());
    }

    /// Removes every swarm-scoped network, disconnecting what is left on
    /// them.
    pub(crate) fn remove_swarm_networks(&mut self) {
        let ids: Vec<String> = self.networks.values().filter(|n| n.scope == "swarm").map(|n| n.id.clone()).collect();
        for id in ids {
            for (_, c) in self.containers.iter_mut() {
                c.networks.remove(&id);
            }
            self.networks.remove(&id);
        }
    }

    /// `POST /networks/create` with driver `overlay`: only in a swarm; one
    /// ingress network at most.
    pub(crate) fn create_overlay(
        &mut self,
        name: &str,
        (attachable, ingress): (bool, bool),
        labels: BTreeMap<String, String>,
    ) -> Result<String, ApiErr> {
        let Some(sw) = self.swarm.as_ref() else {
            return Err(err(500, super::NOT_MANAGER));
        };
        if ingress && self.networks.contains_key(&sw.ingress) {
            return Err(err(
                409,
                format!("rpc error: code = AlreadyExists desc = ingress network ({}) is already present", sw.ingress),
            ));
        }
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
            return Err(err(400, format!("invalid network name \"{name}\"")));
        }
        if self.networks.values().any(|n| n.name == name) {
            return Err(err(
                409,
                format!("rpc error: code = AlreadyExists desc = network with name {name} already exists"),
            ));
        }
        self.add_overlay(name, attachable, ingress, labels)
    }

    fn add_overlay(
        &mut self,
        name: &str,
        attachable: bool,
        ingress: bool,
        labels: BTreeMap<String, String>,
    ) -> Result<String, ApiErr> {
        let used: Vec<u32> = self
            .networks
            .values()
            .filter(|n| n.subnet.starts_with("10.0."))
            .filter_map(|n| n.subnet.split('.').nth(2).and_then(|o| o.parse().ok()))
            .collect();
        let Some(third) = (0..=255u32).find(|o| !used.contains(o)) else {
            return Err(err(400, "could not find an available, non-overlapping IPv4 address pool"));
        };
        let id = super::swarm_id(&mut self.rng);
        self.networks.insert(
            id.clone(),
            Network {
                id: id.clone(),
                name: name.into(),
                driver: "overlay".into(),
                scope: "swarm".into(),
                subnet: format!("10.0.{third}.0/24"),
                gateway: format!("10.0.{third}.1"),
                internal: false,
                attachable,
                labels,
                created_ms: self.clock_ms,
                last_ip: 1,
                ipam_config: String::new(),
                enable_ipv6: false,
            },
        );
        self.event("network", "create", &id, &[("name", name.into()), ("type", "overlay".into())]);
        if let (true, Some(sw)) = (ingress, self.swarm.as_mut()) {
            sw.ingress = id.clone();
        }
        Ok(id)
    }
}
