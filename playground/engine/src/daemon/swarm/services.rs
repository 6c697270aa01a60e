//! Services: created, updated (a version check; a rolling update when the
//! task template changes; a rollback to the previous spec), removed, and
//! their JSON documents. `tasks.rs` scales them into tasks.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::merged;
use crate::error::{ApiErr, err};
use crate::state::*;
use crate::util::rfc3339;

/// The service `key` (id, name or id prefix).
pub(crate) fn find(st: &State, key: &str) -> Result<String, ApiErr> {
    let sw = st.swarm()?;
    let not_found = || err(404, format!("service {key} not found"));
    if key.is_empty() {
        return Err(not_found());
    }
    if sw.services.contains_key(key) {
        return Ok(key.to_string());
    }
    if let Some(s) = sw.services.values().find(|s| s.spec["Name"].as_str() == Some(key)) {
        return Ok(s.id.clone());
    }
    let matches: Vec<&String> = sw.services.keys().filter(|id| id.starts_with(key)).collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(not_found()),
        _ => Err(err(400, format!("service {key} is ambiguous ({} matches found)", matches.len()))),
    }
}

/// The spec with dockerd's defaults filled in, or dockerd's 400.
fn normalised(st: &mut State, spec: &Value) -> Result<Value, ApiErr> {
    let mut spec = merged(&json!({"Name": "", "Labels": {}}), &super::canonical::canonical(spec));
    if spec["Name"].as_str().unwrap_or("").is_empty() {
        spec["Name"] = json!(st.random_name());
    }
    let name = spec["Name"].as_str().unwrap_or("").to_string();
    // swarmkit's `^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$`: dashes and
    // underscores only between letters and digits.
    let alnum_at = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let valid = name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && alnum_at(name.chars().next())
        && alnum_at(name.chars().last());
    if !valid {
        return Err(err(400, "rpc error: code = InvalidArgument desc = name must be valid as a DNS name component"));
    }
    let image = spec["TaskTemplate"]["ContainerSpec"]["Image"].as_str().unwrap_or("");
    if image.is_empty() {
        return Err(err(
            400,
            "rpc error: code = InvalidArgument desc = ContainerSpec: image reference must be provided",
        ));
    }
    let template = merged(
        &json!({"ContainerSpec": {"Isolation": "default"}, "ForceUpdate": 0, "Runtime": "container"}),
        &spec["TaskTemplate"],
    );
    spec["TaskTemplate"] = template;
    // Network names become ids, as dockerd stores them (the deprecated
    // top-level `Networks` only when the template has none).
    let key = if spec["TaskTemplate"]["Networks"].is_array() { "/TaskTemplate/Networks" } else { "/Networks" };
    for n in spec.pointer_mut(key).and_then(Value::as_array_mut).into_iter().flatten() {
        let target = n["Target"].as_str().unwrap_or("").to_string();
        let id = st.find_network(&target).map_err(|_| err(404, format!("network {target} not found")))?;
        n["Target"] = json!(id);
    }
    let mode = spec.get("Mode").cloned().unwrap_or(Value::Null);
    let modes = ["Replicated", "Global", "ReplicatedJob", "GlobalJob"];
    let given: Vec<&str> = modes.iter().copied().filter(|m| mode.get(*m).is_some_and(|v| !v.is_null())).collect();
    spec["Mode"] = match given.as_slice() {
        [] => json!({"Replicated": {"Replicas": 1}}),
        ["Replicated"] => json!({"Replicated": {"Replicas": mode["Replicated"]["Replicas"].as_u64().unwrap_or(1)}}),
        ["ReplicatedJob"] => {
            let max = mode["ReplicatedJob"]["MaxConcurrent"].as_u64().unwrap_or(1).max(1);
            let total = mode["ReplicatedJob"]["TotalCompletions"].as_u64().unwrap_or(max);
            json!({"ReplicatedJob": {"MaxConcurrent": max, "TotalCompletions": total}})
        }
        [one] => json!({ *one: {} }),
        _ => {
            return Err(err(
                400,
                "rpc error: code = InvalidArgument desc = service mode must be exactly one of Replicated, Global, ReplicatedJob or GlobalJob",
            ));
        }
    };
    if let Some(ports) = spec["EndpointSpec"]["Ports"].as_array().cloned() {
        let mut out = Vec::new();
        for p in ports {
            let mut p = merged(&json!({"Protocol": "tcp", "PublishMode": "ingress"}), &p);
            if p["TargetPort"].as_u64().unwrap_or(0) == 0 {
                return Err(err(400, "rpc error: code = InvalidArgument desc = EndpointSpec: TargetPort must be set"));
            }
            if let Some(m) = p.as_object_mut() {
                m.retain(|_, v| !v.is_null());
            }
            out.push(p);
        }
        spec["EndpointSpec"] = merged(&json!({"Mode": "vip"}), &spec["EndpointSpec"]);
        spec["EndpointSpec"]["Ports"] = Value::Array(out);
    }
    if let Some(m) = spec.as_object_mut() {
        m.retain(|_, v| !v.is_null());
    }
    Ok(spec)
}

/// The published ports of a spec, with ports left at 0 given one from
/// 30000 up, as dockerd's ingress allocator does.
fn endpoint_ports(st: &State, spec: &Value, own: &str) -> Vec<Value> {
    let taken: Vec<u64> = st
        .swarm
        .as_deref()
        .map(|sw| {
            sw.services
                .values()
                .filter(|s| s.id != own)
                .flat_map(|s| s.spec["EndpointSpec"]["Ports"].as_array().cloned().unwrap_or_default())
                .filter_map(|p| p["PublishedPort"].as_u64())
                .collect()
        })
        .unwrap_or_default();
    let mut next = 30000;
    let mut out = Vec::new();
    for p in spec["EndpointSpec"]["Ports"].as_array().cloned().unwrap_or_default() {
        let mut p = p;
        if p["PublishedPort"].as_u64().unwrap_or(0) == 0 {
            while taken.contains(&next) {
                next += 1;
            }
            p["PublishedPort"] = json!(next);
            next += 1;
        }
        out.push(p);
    }
    out
}

/// `POST /services/create`: the new id.
pub(crate) fn create(st: &mut State, spec: &Value) -> Result<String, ApiErr> {
    st.swarm()?;
    let spec = normalised(st, spec)?;
    let name = spec["Name"].as_str().unwrap_or("").to_string();
    check_references(st, &spec)?;
    if st.swarm()?.services.values().any(|s| s.spec["Name"].as_str() == Some(name.as_str())) {
        return Err(err(
            409,
            format!(
                "rpc error: code = AlreadyExists desc = name conflicts with an existing object: service {name} already exists"
            ),
        ));
    }
    check_published(st, &spec, "")?;
    let id = super::swarm_id(&mut st.rng);
    let index = st.next_index();
    let now = st.clock_ms;
    let vips = virtual_ips(st, &spec);
    let service = Service {
        id: id.clone(),
        version: index,
        created_ms: now,
        updated_ms: now,
        spec,
        previous_spec: None,
        update_state: String::new(),
        update_started_ms: 0,
        update_completed_ms: 0,
        vips,
        job_iteration: 0,
    };
    st.swarm_mut()?.services.insert(id.clone(), service);
    st.event("service", "create", &id, &[("name", name)]);
    super::tasks::reconcile(st);
    Ok(id)
}

/// Secrets, configs and networks the spec names exist.
fn check_references(st: &State, spec: &Value) -> Result<(), ApiErr> {
    let cs = &spec["TaskTemplate"]["ContainerSpec"];
    for (field, kind) in [("Secrets", super::objects::Kind::Secret), ("Configs", super::objects::Kind::Config)] {
        for r in cs[field].as_array().cloned().unwrap_or_default() {
            let id_key = if field == "Secrets" { "SecretID" } else { "ConfigID" };
            let id = r[id_key].as_str().unwrap_or("");
            if super::objects::find(st, kind, id).is_err() {
                return Err(err(
                    400,
                    format!("rpc error: code = InvalidArgument desc = {} {id} not found", kind.word()),
                ));
            }
        }
    }
    for n in spec["TaskTemplate"]["Networks"].as_array().cloned().unwrap_or_default() {
        let target = n["Target"].as_str().unwrap_or("");
        let found = st.find_network(target).ok().and_then(|id| st.networks.get(&id));
        match found {
            Some(net) if net.scope == "swarm" => {}
            Some(_) => {
                return Err(err(
                    400,
                    format!("rpc error: code = InvalidArgument desc = network {target} is not a swarm scoped network"),
                ));
            }
            None => return Err(err(404, format!("network {target} not found"))),
        }
    }
    Ok(())
}

fn check_published(st: &State, spec: &Value, own: &str) -> Result<(), ApiErr> {
    let Some(sw) = st.swarm.as_deref() else { return Ok(()) };
    for p in spec["EndpointSpec"]["Ports"].as_array().cloned().unwrap_or_default() {
        let Some(port) = p["PublishedPort"].as_u64().filter(|p| *p != 0) else { continue };
        let clash = sw.services.values().find(|s| {
            s.id != own
                && s.spec["EndpointSpec"]["Ports"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|q| q["PublishedPort"].as_u64() == Some(port)))
        });
        if let Some(s) = clash {
            return Err(err(
                400,
                format!(
                    "rpc error: code = InvalidArgument desc = port '{port}' is already in use by service '{}' ({}) as an ingress port",
                    s.spec["Name"].as_str().unwrap_or(""),
                    s.id
                ),
            ));
        }
    }
    Ok(())
}

/// The service's virtual IPs: one on the ingress network when it
/// publishes ports, one on each overlay network it joins.
fn virtual_ips(st: &mut State, spec: &Value) -> Vec<(String, String)> {
    let mut nets: Vec<String> = Vec::new();
    if spec["EndpointSpec"]["Ports"].as_array().is_some_and(|p| !p.is_empty())
        && let Ok(id) = st.find_network("ingress")
    {
        nets.push(id);
    }
    let key = if spec["TaskTemplate"]["Networks"].is_array() { "/TaskTemplate/Networks" } else { "/Networks" };
    for n in spec.pointer(key).and_then(Value::as_array).cloned().unwrap_or_default() {
        if let Ok(id) = st.find_network(n["Target"].as_str().unwrap_or("")) {
            nets.push(id);
        }
    }
    let mut out = Vec::new();
    for id in nets {
        if let Some(n) = st.networks.get_mut(&id) {
            n.last_ip += 1;
            let prefix = n.subnet.rsplit_once('.').map(|(p, _)| p.to_string()).unwrap_or_default();
            out.push((id, format!("{prefix}.{}/24", n.last_ip)));
        }
    }
    out
}

/// What `POST /services/{id}/update` asks besides the spec.
#[derive(Debug, Default)]
pub(crate) struct UpdateFlags {
    /// `rollback=previous`: back to `PreviousSpec`.
    pub rollback: bool,
}

/// `POST /services/{id}/update?version=N`.
pub(crate) fn update(st: &mut State, key: &str, version: u64, spec: &Value, flags: UpdateFlags) -> Result<(), ApiErr> {
    let id = find(st, key)?;
    let current = st.swarm()?.services[&id].clone();
    if current.version != version {
        return Err(err(500, "rpc error: code = Unknown desc = update out of sequence"));
    }
    let new_spec = if flags.rollback {
        current.previous_spec.clone().ok_or_else(|| {
            err(400, format!("rpc error: code = FailedPrecondition desc = service {id} does not have a previous spec"))
        })?
    } else {
        normalised(st, spec)?
    };
    if new_spec["Name"] != current.spec["Name"] {
        return Err(err(400, "rpc error: code = Unimplemented desc = renaming services is not supported"));
    }
    check_references(st, &new_spec)?;
    check_published(st, &new_spec, &id)?;
    let template_changed = new_spec["TaskTemplate"] != current.spec["TaskTemplate"];
    let is_job = new_spec["Mode"].get("ReplicatedJob").is_some() || new_spec["Mode"].get("GlobalJob").is_some();
    let index = st.next_index();
    let now = st.clock_ms;
    let vips = if new_spec["EndpointSpec"] != current.spec["EndpointSpec"]
        || new_spec["TaskTemplate"]["Networks"] != current.spec["TaskTemplate"]["Networks"]
        || new_spec["Networks"] != current.spec["Networks"]
    {
        virtual_ips(st, &new_spec)
    } else {
        current.vips.clone()
    };
    let sw = st.swarm_mut()?;
    let Some(s) = sw.services.get_mut(&id) else { return Err(err(404, format!("service {key} not found"))) };
    s.previous_spec = Some(std::mem::replace(&mut s.spec, new_spec));
    s.version = index;
    s.updated_ms = now;
    s.vips = vips;
    if is_job {
        s.job_iteration += 1;
    } else if flags.rollback {
        s.update_state = "rollback_started".into();
        s.update_started_ms = now;
        s.update_completed_ms = 0;
    } else if template_changed {
        s.update_state = "updating".into();
        s.update_started_ms = now;
        s.update_completed_ms = 0;
    }
    let name = s.spec["Name"].as_str().unwrap_or("").to_string();
    st.event("service", "update", &id, &[("name", name)]);
    super::tasks::reconcile(st);
    Ok(())
}

/// `DELETE /services/{id}`: its tasks and their containers go with it.
pub(crate) fn remove(st: &mut State, key: &str) -> Result<(), ApiErr> {
    let id = find(st, key)?;
    let sw = st.swarm_mut()?;
    let name = sw.services.remove(&id).map(|s| s.spec["Name"].as_str().unwrap_or("").to_string()).unwrap_or_default();
    let tasks: Vec<Task> = sw.tasks.values().filter(|t| t.service_id == id).cloned().collect();
    sw.tasks.retain(|_, t| t.service_id != id);
    for t in tasks {
        if st.containers.contains_key(&t.container_id) {
            let _ = st.remove(&t.container_id, true, false);
        }
    }
    st.event("service", "remove", &id, &[("name", name)]);
    Ok(())
}

/// The mode's word for `docker service ls` (`replicated`, `global`,
/// `replicated job`, `global job`).
pub(crate) fn mode_name(spec: &Value) -> &'static str {
    let m = &spec["Mode"];
    if m.get("Global").is_some() {
        "global"
    } else if m.get("ReplicatedJob").is_some() {
        "replicated job"
    } else if m.get("GlobalJob").is_some() {
        "global job"
    } else {
        "replicated"
    }
}

/// `ServiceStatus`: running, desired and completed tasks.
pub(crate) fn status_counts(st: &State, s: &Service) -> (u64, u64, u64) {
    let Some(sw) = st.swarm.as_deref() else { return (0, 0, 0) };
    let tasks = sw.tasks.values().filter(|t| t.service_id == s.id);
    let (mut running, mut completed) = (0, 0);
    for t in tasks {
        if t.state == "running" && t.desired != "shutdown" {
            running += 1;
        }
        if t.state == "complete" && t.job_iteration == s.job_iteration {
            completed += 1;
        }
    }
    let node_active = sw.node.spec["Availability"] == "active";
    let desired = match mode_name(&s.spec) {
        "replicated" => s.spec["Mode"]["Replicated"]["Replicas"].as_u64().unwrap_or(1),
        "replicated job" => s.spec["Mode"]["ReplicatedJob"]["MaxConcurrent"].as_u64().unwrap_or(1),
        _ => u64::from(node_active),
    };
    (running, desired, completed)
}

/// The service as the API returns it; `ServiceStatus` when `status`.
/// `spec` with the defaults dockerd fills in for `?insertDefaults=true`
/// (the values the orchestrator uses for what the spec leaves out).
pub(crate) fn with_defaults(spec: &Value) -> Value {
    let is_job = spec["Mode"].get("ReplicatedJob").is_some() || spec["Mode"].get("GlobalJob").is_some();
    let rollout = json!({"Parallelism": 1, "FailureAction": "pause", "Monitor": 5_000_000_000u64,
                         "MaxFailureRatio": 0, "Order": "stop-first"});
    let defaults = json!({
        "TaskTemplate": {
            "ContainerSpec": {"StopGracePeriod": 10_000_000_000u64, "DNSConfig": {}},
            "Resources": {},
            "RestartPolicy": {"Condition": if is_job { "on-failure" } else { "any" }, "Delay": 5_000_000_000u64, "MaxAttempts": 0},
            "Placement": {},
        },
        "UpdateConfig": rollout,
        "RollbackConfig": rollout,
    });
    merged(&defaults, spec)
}

pub(crate) fn document(st: &State, s: &Service, status: bool) -> Value {
    let mut endpoint = json!({"Spec": s.spec.get("EndpointSpec").cloned().unwrap_or_else(|| json!({}))});
    let ports = endpoint_ports(st, &s.spec, &s.id);
    if !ports.is_empty() {
        endpoint["Ports"] = Value::Array(ports);
    }
    if !s.vips.is_empty() {
        endpoint["VirtualIPs"] =
            s.vips.iter().map(|(n, a)| json!({"NetworkID": n, "Addr": a})).collect::<Vec<_>>().into();
    }
    let mut doc = json!({
        "ID": s.id,
        "Version": {"Index": s.version},
        "CreatedAt": rfc3339(s.created_ms),
        "UpdatedAt": rfc3339(s.updated_ms),
        "Spec": s.spec,
        "Endpoint": endpoint,
    });
    if let Some(prev) = &s.previous_spec {
        doc["PreviousSpec"] = prev.clone();
    }
    if !s.update_state.is_empty() {
        let message = match s.update_state.as_str() {
            "updating" => "update in progress",
            "completed" => "update completed",
            "rollback_started" => "manually requested rollback",
            _ => "rollback completed",
        };
        let mut u = json!({"State": s.update_state, "StartedAt": rfc3339(s.update_started_ms), "Message": message});
        if s.update_completed_ms > 0 {
            u["CompletedAt"] = json!(rfc3339(s.update_completed_ms));
        }
        doc["UpdateStatus"] = u;
    }
    if status {
        let (running, desired, completed) = status_counts(st, s);
        doc["ServiceStatus"] = json!({"RunningTasks": running, "DesiredTasks": desired, "CompletedTasks": completed});
    }
    if mode_name(&s.spec).ends_with("job") {
        doc["JobStatus"] = json!({"JobIteration": {"Index": s.job_iteration}, "LastExecution": rfc3339(s.updated_ms)});
    }
    doc
}

/// The services that pass the `id`, `name`, `label` and `mode` filters.
pub(crate) fn list(st: &State, filters: &BTreeMap<String, Vec<String>>, status: bool) -> Result<Vec<Value>, ApiErr> {
    for k in filters.keys() {
        if !matches!(k.as_str(), "id" | "name" | "label" | "mode") {
            return Err(err(400, format!("invalid filter '{k}'")));
        }
    }
    let sw = st.swarm()?;
    let mut out: Vec<&Service> = sw
        .services
        .values()
        .filter(|s| {
            let name = s.spec["Name"].as_str().unwrap_or("");
            filters.iter().all(|(k, vals)| {
                vals.is_empty()
                    || vals.iter().any(|v| match k.as_str() {
                        "id" => s.id.starts_with(v.as_str()),
                        "name" => name.starts_with(v.as_str()),
                        "label" => super::objects::label_matches(&s.spec["Labels"], v),
                        _ => mode_name(&s.spec) == v.replace('-', " "),
                    })
            })
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out.into_iter().map(|s| document(st, s, status)).collect())
}

/// The routing mesh: what a connection to `port` on this node reaches when
/// a service publishes it (in `ingress` mode any node's port leads to the
/// service; in `host` mode the node's, and this swarm has one node). The
/// container of the service's first running task, and the task's port.
pub(crate) fn mesh_target(st: &State, port: u16) -> Option<(String, u16)> {
    let sw = st.swarm.as_deref()?;
    sw.services.values().find_map(|s| {
        let ports = s.spec["EndpointSpec"]["Ports"].as_array()?;
        let p = ports.iter().find(|p| p["PublishedPort"].as_u64() == Some(u64::from(port)))?;
        let target = u16::try_from(p["TargetPort"].as_u64()?).ok()?;
        let running = |t: &&Task| {
            t.service_id == s.id
                && t.desired == "running"
                && st.containers.get(&t.container_id).is_some_and(|c| c.status == Status::Running)
        };
        let task = sw.tasks.values().filter(running).min_by_key(|t| t.slot)?;
        Some((task.container_id.clone(), target))
    })
}
