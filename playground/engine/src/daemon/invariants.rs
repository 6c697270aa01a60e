//! Consistency checks of a [`State`]: used by the property tests, and by
//! anyone who restores a snapshot from an untrusted source.

use std::collections::BTreeSet;

use crate::state::{State, Status};

impl State {
    /// Every broken invariant, as a sentence (empty when consistent): one
    /// state per container, PIDs only while running, no dangling
    /// references to images, networks, volumes, containers or layers,
    /// unique names.
    pub fn violations(&self) -> Vec<String> {
        let mut v = Vec::new();
        let mut names = BTreeSet::new();
        for (id, c) in &self.containers {
            if &c.id != id {
                v.push(format!("container {id} is stored under another id {}", c.id));
            }
            if !names.insert(c.name.clone()) {
                v.push(format!("two containers are named {}", c.name));
            }
            let live = matches!(c.status, Status::Running | Status::Paused);
            if live && (c.pid == 0 || c.processes.is_empty()) {
                v.push(format!("container {} is {} without a process", c.name, c.status.as_str()));
            }
            if !live && (c.pid != 0 || !c.processes.is_empty()) {
                v.push(format!("container {} is {} but has processes", c.name, c.status.as_str()));
            }
            if !self.images.contains_key(&c.image_id) {
                v.push(format!("container {} uses a missing image {}", c.name, c.image_id));
            }
            for (net, ep) in &c.networks {
                match self.networks.get(&ep.network_id) {
                    Some(n) if &n.name == net => {}
                    _ => v.push(format!("container {} is on a missing network {net}", c.name)),
                }
            }
            for m in c.mounts.iter().filter(|m| m.kind == "volume") {
                if !self.volumes.contains_key(&m.source) {
                    v.push(format!("container {} mounts a missing volume {}", c.name, m.source));
                }
            }
        }
        for e in self.execs.values() {
            if !self.containers.contains_key(&e.container_id) {
                v.push(format!("exec {} belongs to a missing container", e.id));
            }
        }
        for (tag, id) in &self.tags {
            if !self.images.contains_key(id) {
                v.push(format!("tag {tag} points to a missing image"));
            }
        }
        for i in self.images.values() {
            for l in &i.layers {
                if !self.layers.contains_key(l) {
                    v.push(format!("image {} has a missing layer {l}", i.id));
                }
            }
        }
        let mut net_names = BTreeSet::new();
        for n in self.networks.values() {
            if !net_names.insert(n.name.clone()) {
                v.push(format!("two networks are named {}", n.name));
            }
        }
        v
    }
}
