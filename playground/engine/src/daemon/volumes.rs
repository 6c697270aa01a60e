//! Volumes: names, creation, use, removal, pruning.

use std::collections::BTreeMap;

use crate::error::{ApiErr, err};
use crate::state::*;

/// dockerd's rule for container and volume names,
/// `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`: two characters at least, so `a` is refused.
pub(crate) fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() >= 2
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

pub(crate) fn create_volume(st: &mut State, name: &str, labels: BTreeMap<String, String>) -> Result<String, ApiErr> {
    let (name, anonymous) = if name.is_empty() { (st.new_id(), true) } else { (name.to_string(), false) };
    if !valid_name(&name) {
        return Err(err(
            400,
            format!(
                "create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
            ),
        ));
    }
    if !st.volumes.contains_key(&name) {
        st.volumes.insert(
            name.clone(),
            Volume {
                name: name.clone(),
                driver: "local".into(),
                labels,
                created_ms: st.clock_ms,
                files: Fs::new(),
                anonymous,
            },
        );
        st.event("volume", "create", &name, &[("driver", "local".into())]);
    }
    Ok(name)
}

pub(crate) fn volume_used(st: &State, name: &str) -> bool {
    st.containers.values().any(|c| c.mounts.iter().any(|m| m.kind == "volume" && m.source == name))
}

/// Removes volume `name`: not one a container mounts.
pub(crate) fn remove_volume(st: &mut State, name: &str) -> Result<(), ApiErr> {
    if !st.volumes.contains_key(name) {
        return Err(err(404, format!("get {name}: no such volume")));
    }
    let users: Vec<String> = st
        .containers
        .values()
        .filter(|c| c.mounts.iter().any(|m| m.kind == "volume" && m.source == name))
        .map(|c| c.id.clone())
        .collect();
    if !users.is_empty() {
        return Err(err(409, format!("remove {name}: volume is in use - [{}]", users.join(", "))));
    }
    st.volumes.remove(name);
    st.event("volume", "destroy", name, &[("driver", "local".into())]);
    Ok(())
}

/// Removes the anonymous volumes no container mounts (with `all`, named
/// ones too) that `pick` picks; their names.
pub(crate) fn prune_volumes(st: &mut State, all: bool, pick: &dyn Fn(&Volume) -> bool) -> Vec<String> {
    let unused: Vec<String> = st
        .volumes
        .values()
        .filter(|v| (v.anonymous || all) && pick(v))
        .filter(|v| !volume_used(st, &v.name))
        .map(|v| v.name.clone())
        .collect();
    for n in &unused {
        st.volumes.remove(n);
    }
    unused
}
