//! A single-node swarm, as dockerd runs one after `docker swarm init`: the
//! cluster (init, update, leave, join tokens, the unlock key), its one node,
//! services scaled into tasks whose containers this daemon runs
//! (`services`, `tasks`), and secrets and configs (`objects`).
//!
//! Uses `daemon` (containers, create, networks), `image`, `state`, `util`
//! and `crate::error`; the HTTP side is `http/swarm.rs`.

mod canonical;
mod networks;
pub(crate) mod objects;
pub(crate) mod services;
pub(crate) mod tasks;

use serde_json::{Value, json};

use crate::error::{ApiErr, err};
use crate::state::*;
use crate::util::next_u64;

/// What dockerd answers on every manager endpoint when not in a swarm.
pub(crate) const NOT_MANAGER: &str = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

/// The cluster spec dockerd fills in when init is given none.
const DEFAULT_SPEC: &str = r#"{"Name":"default","Labels":{},"Orchestration":{"TaskHistoryRetentionLimit":5},
"Raft":{"SnapshotInterval":10000,"KeepOldSnapshots":0,"LogEntriesForSlowFollowers":500,"ElectionTick":10,"HeartbeatTick":1},
"Dispatcher":{"HeartbeatPeriod":5000000000},"CAConfig":{"NodeCertExpiry":7776000000000000},"TaskDefaults":{},
"EncryptionConfig":{"AutoLockManagers":false}}"#;

/// `base` with `over` merged into it, object by object (other values of
/// `over` replace those of `base`; a `null` keeps the base's).
pub(crate) fn merged(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            let mut out = b.clone();
            for (k, v) in o {
                let next = match out.get(k) {
                    Some(old) => merged(old, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), next);
            }
            Value::Object(out)
        }
        (b, Value::Null) => b.clone(),
        (_, o) => o.clone(),
    }
}

/// A swarm id: 25 characters of `[0-9a-z]`, as swarmkit's identity package.
pub(crate) fn swarm_id(rng: &mut u64) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = String::with_capacity(25);
    // The first is a letter, as swarmkit's ids (never all digits).
    let first = 10 + (next_u64(rng) % 26) as usize;
    out.push(ALPHABET[first] as char);
    while out.len() < 25 {
        out.push(ALPHABET[(next_u64(rng) % 36) as usize] as char);
    }
    out
}

fn token(rng: &mut u64, prefix: &str, len: usize) -> String {
    let mut body = String::new();
    while body.len() < len {
        body.push_str(&swarm_id(rng));
    }
    body.truncate(len);
    format!("{prefix}{body}")
}

impl State {
    /// The swarm, or dockerd's 503 when this node is in none.
    pub(crate) fn swarm(&self) -> Result<&Swarm, ApiErr> {
        self.swarm.as_deref().ok_or_else(|| err(503, NOT_MANAGER))
    }

    /// The swarm to change, or dockerd's 503.
    pub(crate) fn swarm_mut(&mut self) -> Result<&mut Swarm, ApiErr> {
        self.swarm.as_deref_mut().ok_or_else(|| err(503, NOT_MANAGER))
    }

    /// The next raft index of the swarm (every write takes one).
    pub(crate) fn next_index(&mut self) -> u64 {
        match self.swarm.as_deref_mut() {
            Some(s) => {
                s.index += 1;
                s.index
            }
            None => 0,
        }
    }
}

/// What `POST /swarm/init` asks.
#[derive(Debug, Default)]
pub(crate) struct InitRequest {
    /// `ListenAddr` (`0.0.0.0:2377` by default).
    pub listen_addr: String,
    /// `AdvertiseAddr` (the listen address's host by default).
    pub advertise_addr: String,
    /// `Spec`, merged over the defaults.
    pub spec: Value,
    /// `DefaultAddrPool` (`10.0.0.0/8` when empty).
    pub default_addr_pool: Vec<String>,
    /// `SubnetSize` (24 when 0).
    pub subnet_size: u64,
    /// `DataPathPort` (4789 when 0).
    pub data_path_port: u64,
}

/// `POST /swarm/init`: the node's id.
pub(crate) fn init(st: &mut State, req: InitRequest) -> Result<String, ApiErr> {
    if st.swarm.is_some() {
        return Err(err(
            503,
            "This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.",
        ));
    }
    let listen = if req.listen_addr.is_empty() { "0.0.0.0:2377".to_string() } else { req.listen_addr };
    let listen = if listen.contains(':') { listen } else { format!("{listen}:2377") };
    let advertise = match req.advertise_addr.as_str() {
        "" if listen.starts_with("0.0.0.0") => "192.168.65.3:2377".to_string(),
        "" => listen.clone(),
        a if a.contains(':') => a.to_string(),
        a => format!("{a}:2377"),
    };
    let spec = merged(&serde_json::from_str(DEFAULT_SPEC).unwrap_or(Value::Null), &canonical::canonical(&req.spec));
    let now = st.clock_ms;
    let id = swarm_id(&mut st.rng);
    let node_id = swarm_id(&mut st.rng);
    let cluster = token(&mut st.rng, "", 50);
    let worker_token = format!("SWMTKN-1-{cluster}-{}", token(&mut st.rng, "", 25));
    let manager_token = format!("SWMTKN-1-{cluster}-{}", token(&mut st.rng, "", 25));
    let autolock = spec["EncryptionConfig"]["AutoLockManagers"].as_bool() == Some(true);
    let unlock_key = if autolock { token(&mut st.rng, "SWMKEY-1-", 43) } else { String::new() };
    let node_spec = json!({"Labels": {}, "Role": "manager", "Availability": "active"});
    st.swarm = Some(Box::new(Swarm {
        id,
        index: 10,
        version: 10,
        created_ms: now,
        updated_ms: now,
        spec,
        worker_token,
        manager_token,
        unlock_key,
        listen_addr: listen,
        advertise_addr: advertise,
        node: SwarmObject { id: node_id.clone(), version: 9, created_ms: now, updated_ms: now, spec: node_spec },
        services: Map::new(),
        tasks: Map::new(),
        secrets: Map::new(),
        configs: Map::new(),
        reconciling: false,
        default_addr_pool: if req.default_addr_pool.is_empty() {
            vec!["10.0.0.0/8".to_string()]
        } else {
            req.default_addr_pool
        },
        subnet_size: if req.subnet_size == 0 { 24 } else { req.subnet_size },
        data_path_port: if req.data_path_port == 0 { 4789 } else { req.data_path_port },
        ingress: String::new(),
    }));
    st.create_ingress();
    st.event("node", "create", &node_id, &[("name", node_id.clone())]);
    Ok(node_id)
}

/// `POST /swarm/leave`: a manager leaves only with `force` (it is the last
/// one: leaving erases the swarm). Services, their tasks and containers,
/// secrets, configs and swarm networks go with it.
pub(crate) fn leave(st: &mut State, force: bool) -> Result<(), ApiErr> {
    if st.swarm.is_none() {
        return Err(err(503, "This node is not part of a swarm"));
    }
    if !force {
        return Err(err(
            503,
            "You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ",
        ));
    }
    let containers: Vec<String> =
        st.swarm()?.tasks.values().map(|t| t.container_id.clone()).filter(|c| !c.is_empty()).collect();
    for cid in containers {
        if st.containers.contains_key(&cid) {
            let _ = st.remove(&cid, true, false);
        }
    }
    st.swarm = None;
    st.remove_swarm_networks();
    Ok(())
}

/// What `POST /swarm/update` asks besides the spec.
#[derive(Debug, Default)]
pub(crate) struct UpdateFlags {
    /// `rotateWorkerToken`.
    pub rotate_worker: bool,
    /// `rotateManagerToken`.
    pub rotate_manager: bool,
    /// `rotateManagerUnlockKey`.
    pub rotate_unlock_key: bool,
}

/// `POST /swarm/update?version=N`: the spec replaced (version checked),
/// tokens and the unlock key rotated as asked.
pub(crate) fn update(st: &mut State, version: u64, spec: &Value, flags: UpdateFlags) -> Result<(), ApiErr> {
    let current = st.swarm()?.version;
    if version != current {
        return Err(err(500, "rpc error: code = Unknown desc = update out of sequence"));
    }
    let index = st.next_index();
    let now = st.clock_ms;
    let mut rng = st.rng;
    let sw = st.swarm_mut()?;
    let base: Value = serde_json::from_str(DEFAULT_SPEC).unwrap_or(Value::Null);
    sw.spec = merged(&base, &canonical::canonical(spec));
    let cluster = sw.worker_token.split('-').nth(2).unwrap_or("").to_string();
    if flags.rotate_worker {
        sw.worker_token = format!("SWMTKN-1-{cluster}-{}", token(&mut rng, "", 25));
    }
    if flags.rotate_manager {
        sw.manager_token = format!("SWMTKN-1-{cluster}-{}", token(&mut rng, "", 25));
    }
    let autolock = sw.spec["EncryptionConfig"]["AutoLockManagers"].as_bool() == Some(true);
    if !autolock {
        sw.unlock_key.clear();
    } else if sw.unlock_key.is_empty() || flags.rotate_unlock_key {
        sw.unlock_key = token(&mut rng, "SWMKEY-1-", 43);
    }
    sw.version = index;
    sw.updated_ms = now;
    st.rng = rng;
    Ok(())
}

/// `POST /swarm/unlock`: this node is never locked (locking takes a
/// restart), as dockerd answers for a running manager.
pub(crate) fn unlock(st: &State, key: &str) -> Result<(), ApiErr> {
    st.swarm()?;
    let _ = key;
    Err(err(503, "swarm is not locked"))
}

/// `POST /nodes/{id}/update?version=N`: labels, role and availability.
pub(crate) fn update_node(st: &mut State, key: &str, version: u64, spec: &Value) -> Result<(), ApiErr> {
    let node = find_node(st, key)?;
    if version != node.version {
        return Err(err(500, "rpc error: code = Unknown desc = update out of sequence"));
    }
    let spec = &canonical::canonical(spec);
    let role = spec["Role"].as_str().unwrap_or("manager");
    let availability = spec["Availability"].as_str().unwrap_or("active");
    if !matches!(role, "manager" | "worker") {
        return Err(err(400, format!("invalid role: {role}")));
    }
    if role == "worker" {
        return Err(err(
            400,
            "rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm",
        ));
    }
    if !matches!(availability, "active" | "pause" | "drain") {
        return Err(err(400, format!("invalid availability: {availability}")));
    }
    let index = st.next_index();
    let now = st.clock_ms;
    let sw = st.swarm_mut()?;
    let labels = spec.get("Labels").filter(|l| l.is_object()).cloned().unwrap_or_else(|| json!({}));
    sw.node.spec = json!({"Labels": labels, "Role": role, "Availability": availability});
    if let Some(name) = spec.get("Name").and_then(Value::as_str) {
        sw.node.spec["Name"] = json!(name);
    }
    sw.node.version = index;
    sw.node.updated_ms = now;
    Ok(())
}

/// The node `key` (its id, an id prefix or its hostname).
pub(crate) fn find_node<'a>(st: &'a State, key: &str) -> Result<&'a SwarmObject, ApiErr> {
    let node = &st.swarm()?.node;
    if !key.is_empty() && (node.id.starts_with(key) || key == st.name) {
        Ok(node)
    } else {
        Err(err(404, format!("node {key} not found")))
    }
}

/// `DELETE /nodes/{id}`: the only node is a manager and cannot go.
pub(crate) fn remove_node(st: &State, key: &str) -> Result<(), ApiErr> {
    let node = find_node(st, key)?;
    Err(err(
        400,
        format!(
            "rpc error: code = FailedPrecondition desc = node {} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal",
            node.id
        ),
    ))
}
