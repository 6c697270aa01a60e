//! The daemon's behaviour on plain [`State`]: the lifecycle of containers,
//! exec instances, processes and the clock, a container's files (`docker cp`),
//! networks, volumes, events and the state's invariants. The HTTP routers (`crate::http`) call it with plain
//! arguments; it uses `image` (references, the catalog), the programs
//! (`crate::programs`), `fs`, `state`, `util` and `crate::error`, never `http`.

pub(crate) mod containers;
pub(crate) mod create;
pub(crate) mod events;
pub(crate) mod exec;
pub(crate) mod files;
pub(crate) mod health;
mod invariants;
pub(crate) mod links;
pub(crate) mod networks;
pub(crate) mod plugins;
pub(crate) mod processes;
pub(crate) mod swarm;
pub(crate) mod volumes;

use std::collections::BTreeMap;

use crate::EPOCH_MS;
use crate::error::{ApiErr, err};
use crate::image::catalog;
use crate::state::*;
use crate::util::{hex_id, next_u64};

impl State {
    /// A fresh daemon named `name`, ids seeded with `seed`.
    pub fn new(name: &str, seed: u64) -> State {
        let mut s = State {
            name: name.to_string(),
            clock_ms: EPOCH_MS,
            rng: seed,
            next_host_pid: 1000,
            containers: Map::new(),
            images: Map::new(),
            tags: BTreeMap::new(),
            layers: Map::new(),
            networks: Map::new(),
            volumes: Map::new(),
            execs: Map::new(),
            events: Vec::new(),
            events_dropped: 0,
            registry: Registry::default(),
            build_cache: BTreeMap::new(),
            swarm: None,
            graveyard: Map::new(),
            plugins: BTreeMap::new(),
        };
        catalog::seed_registry(&mut s);
        for (name, driver, subnet, gateway) in
            [("bridge", "bridge", "172.17.0.0/16", "172.17.0.1"), ("host", "host", "", ""), ("none", "null", "", "")]
        {
            let id = s.new_id();
            s.networks.insert(
                id.clone(),
                Network {
                    id,
                    name: name.into(),
                    driver: driver.into(),
                    scope: "local".into(),
                    subnet: subnet.into(),
                    gateway: gateway.into(),
                    internal: false,
                    attachable: false,
                    labels: BTreeMap::new(),
                    created_ms: EPOCH_MS,
                    last_ip: 1,
                    ipam_config: String::new(),
                    enable_ipv6: false,
                },
            );
        }
        s
    }

    /// A new random id.
    pub(crate) fn new_id(&mut self) -> String {
        hex_id(&mut self.rng)
    }

    /// A random name like `dreamy_turing`.
    pub(crate) fn random_name(&mut self) -> String {
        const LEFT: &[&str] = &[
            "admiring", "brave", "clever", "dreamy", "eager", "focused", "gallant", "happy", "jolly", "keen", "lucid",
            "modest", "nifty", "quirky", "serene", "vibrant", "zealous",
        ];
        const RIGHT: &[&str] = &[
            "turing", "hopper", "lovelace", "ritchie", "thompson", "torvalds", "knuth", "liskov", "hamilton",
            "goldberg", "kare", "perlman", "wozniak", "babbage", "curie", "noether",
        ];
        loop {
            let a = LEFT[(next_u64(&mut self.rng) % LEFT.len() as u64) as usize];
            let b = RIGHT[(next_u64(&mut self.rng) % RIGHT.len() as u64) as usize];
            let name = format!("{a}_{b}");
            if !self.containers.values().any(|c| c.name == name) {
                return name;
            }
        }
    }

    /// The id of the container named or identified by `key`.
    pub(crate) fn find_container(&self, key: &str) -> Result<String, ApiErr> {
        let k = key.strip_prefix('/').unwrap_or(key);
        if k.is_empty() {
            return Err(err(404, format!("No such container: {key}")));
        }
        if self.containers.contains_key(k) {
            return Ok(k.to_string());
        }
        if let Some(c) = self.containers.values().find(|c| c.name == k) {
            return Ok(c.id.clone());
        }
        // A link's name (`PARENT/ALIAS`) stands for the linked container.
        if k.contains('/') {
            return links::child_of(self, k).ok_or_else(|| err(404, format!("No such container: {k}")));
        }
        let matches: Vec<&String> = self.containers.keys().filter(|id| id.starts_with(k)).collect();
        match matches.len() {
            1 => Ok(matches[0].clone()),
            0 => Err(err(404, format!("No such container: {key}"))),
            _ => Err(err(400, format!("multiple IDs found with provided prefix: {key}"))),
        }
    }
}
