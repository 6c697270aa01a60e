//! Tasks: the orchestrator (slots of replicated services, the node of
//! global ones, jobs' completions; scaling, restart policies, rolling
//! updates, task history) and each task's life on the simulated clock,
//! `new` → `pending` → `assigned` → `accepted` → `preparing` → `starting`
//! → `running` → `complete` / `failed` / `shutdown`, one container each.

use serde_json::{Value, json};

use crate::daemon::create::ContainerSpec;
use crate::error::ApiErr;
use crate::state::*;

/// How long a task prepares (the image is looked at, the container made).
pub(crate) const PREPARE_MS: u64 = 100;
/// dockerd's default restart delay of a task (5 s).
const RESTART_DELAY_MS: u64 = 5000;

fn terminal(state: &str) -> bool {
    matches!(state, "complete" | "failed" | "shutdown" | "rejected" | "orphaned" | "remove")
}

/// Brings the swarm's tasks up to date with its services and the clock.
/// Called after every swarm write and whenever the clock moves.
pub(crate) fn reconcile(st: &mut State) {
    match st.swarm.as_deref_mut() {
        Some(sw) if !sw.reconciling => sw.reconciling = true,
        _ => return,
    }
    // Two rounds: the tasks a round creates take their first steps at once.
    for _ in 0..2 {
        let ids: Vec<String> = st.swarm.as_deref().map(|s| s.services.keys().cloned().collect()).unwrap_or_default();
        for sid in ids {
            orchestrate(st, &sid);
        }
        let tids: Vec<String> = st.swarm.as_deref().map(|s| s.tasks.keys().cloned().collect()).unwrap_or_default();
        for tid in tids {
            step(st, &tid);
        }
    }
    if let Some(sw) = st.swarm.as_deref_mut() {
        sw.reconciling = false;
    }
}

/// The earliest time a task moves by itself (the clock wakes for it).
pub(crate) fn next_wake(st: &State) -> Option<u64> {
    let sw = st.swarm.as_deref()?;
    sw.tasks
        .values()
        .filter_map(|t| match t.state.as_str() {
            "preparing" => Some(t.state_ms + PREPARE_MS),
            s if terminal(s) && t.desired != "shutdown" => Some(t.state_ms + restart_delay(sw, &t.service_id)),
            _ => None,
        })
        .filter(|t| *t > st.clock_ms)
        .min()
}

fn restart_delay(sw: &Swarm, sid: &str) -> u64 {
    sw.services
        .get(sid)
        .and_then(|s| s.spec["TaskTemplate"]["RestartPolicy"]["Delay"].as_u64())
        .map(|ns| ns / 1_000_000)
        .unwrap_or(RESTART_DELAY_MS)
}

fn set_state(st: &mut State, tid: &str, state: &str, message: &str) {
    let index = st.next_index();
    let now = st.clock_ms;
    if let Some(t) = st.swarm.as_deref_mut().and_then(|s| s.tasks.get_mut(tid)) {
        t.state = state.into();
        t.message = message.into();
        t.state_ms = now;
        t.updated_ms = now;
        t.version = index;
    }
}

fn fail(st: &mut State, tid: &str, state: &str, message: &str, error: String) {
    set_state(st, tid, state, message);
    if let Some(t) = st.swarm.as_deref_mut().and_then(|s| s.tasks.get_mut(tid)) {
        t.error = error;
    }
}

/// One task's next steps on the clock.
fn step(st: &mut State, tid: &str) {
    let Some(t) = st.swarm.as_deref().and_then(|s| s.tasks.get(tid)).cloned() else { return };
    let now = st.clock_ms;
    if t.desired == "shutdown" && !terminal(&t.state) {
        set_state(st, tid, "shutdown", "shutdown");
        // Stopped at once: a grace period here would move the clock
        // inside the orchestrator, under the caller's feet.
        if st.containers.get(&t.container_id).is_some_and(|c| c.status == Status::Running) {
            let _ = st.stop(&t.container_id, Some(0));
        }
        return;
    }
    match t.state.as_str() {
        "new" | "pending" | "assigned" | "accepted" => {
            let node_active = st.swarm.as_deref().is_some_and(|s| s.node.spec["Availability"] == "active");
            if !node_active {
                set_state(st, tid, "pending", "pending task scheduling");
                return;
            }
            set_state(st, tid, "preparing", "preparing");
            if let Err(e) = make_container(st, tid) {
                fail(st, tid, "rejected", "preparing", e.message);
            }
        }
        "preparing" if now >= t.state_ms + PREPARE_MS => {
            set_state(st, tid, "starting", "starting");
            match st.start(&t.container_id) {
                Ok(_) => observe(st, tid),
                Err(e) => fail(st, tid, "failed", "starting", e.message),
            }
        }
        "starting" | "running" => observe(st, tid),
        _ => {}
    }
}

/// A started task follows its container: running, or ended.
fn observe(st: &mut State, tid: &str) {
    let Some(t) = st.swarm.as_deref().and_then(|s| s.tasks.get(tid)).cloned() else { return };
    let Some(c) = st.containers.get(&t.container_id) else {
        fail(st, tid, "failed", "started", format!("No such container: {}", t.container_id));
        return;
    };
    match c.status {
        Status::Running | Status::Paused if t.state != "running" => set_state(st, tid, "running", "started"),
        Status::Exited | Status::Dead | Status::Created if c.starts > 0 => {
            let code = c.exit_code;
            if let Some(t) = st.swarm.as_deref_mut().and_then(|s| s.tasks.get_mut(tid)) {
                t.exit_code = code;
            }
            if code == 0 {
                set_state(st, tid, "complete", "finished");
            } else {
                fail(st, tid, "failed", "started", format!("task: non-zero exit ({code})"));
            }
        }
        _ => {}
    }
}

/// The slots a service wants filled now, and the desired state of their
/// tasks (`running`; `complete` for jobs). Jobs: the slots still to run.
fn wanted(st: &State, s: &Service) -> (Vec<u64>, &'static str) {
    let Some(sw) = st.swarm.as_deref() else { return (Vec::new(), "running") };
    let node_active = sw.node.spec["Availability"] == "active";
    let mode = &s.spec["Mode"];
    if let Some(r) = mode.get("Replicated") {
        return ((1..=r["Replicas"].as_u64().unwrap_or(1)).collect(), "running");
    }
    if mode.get("Global").is_some() {
        return (if node_active { vec![0] } else { Vec::new() }, "running");
    }
    // Jobs: a slot per completion; at most MaxConcurrent at a time.
    let (total, max) = match mode.get("ReplicatedJob") {
        Some(j) => (j["TotalCompletions"].as_u64().unwrap_or(1), j["MaxConcurrent"].as_u64().unwrap_or(1)),
        None => (u64::from(node_active), 1),
    };
    let of_iteration = |slot: u64| {
        sw.tasks.values().filter(move |t| t.service_id == s.id && t.slot == slot && t.job_iteration == s.job_iteration)
    };
    let done = |slot: u64| of_iteration(slot).any(|t| t.state == "complete");
    let started = |slot: u64| of_iteration(slot).next().is_some();
    let active = (1..=total).filter(|n| started(*n) && !done(*n)).count() as u64;
    let mut slots: Vec<u64> = (1..=total).filter(|n| started(*n) && !done(*n)).collect();
    let fresh = (1..=total).filter(|n| !started(*n)).take(max.saturating_sub(active) as usize);
    slots.extend(fresh);
    (slots, "complete")
}

/// Fills, restarts, updates and trims one service's slots.
fn orchestrate(st: &mut State, sid: &str) {
    let Some(s) = st.swarm.as_deref().and_then(|sw| sw.services.get(sid)).cloned() else { return };
    let (slots, desired) = wanted(st, &s);
    let now = st.clock_ms;
    let tasks: Vec<Task> = st
        .swarm
        .as_deref()
        .map(|sw| sw.tasks.values().filter(|t| t.service_id == sid).cloned().collect())
        .unwrap_or_default();
    // Scaled down (or drained): the tasks of slots no longer wanted stop.
    let is_job = desired == "complete";
    for t in &tasks {
        let gone = !is_job && !slots.contains(&t.slot);
        let old_job = is_job && t.job_iteration != s.job_iteration;
        if (gone || old_job) && t.desired != "shutdown" {
            shut_down(st, &t.id);
        }
    }
    let updating = matches!(s.update_state.as_str(), "updating" | "rollback_started");
    let busy = tasks.iter().any(|t| t.desired != "shutdown" && !terminal(&t.state) && t.state != "running");
    let parallelism = s.spec["UpdateConfig"]["Parallelism"].as_u64().unwrap_or(1);
    let mut budget = if parallelism == 0 { u64::MAX } else { parallelism };
    let mut stale = 0;
    let policy = &s.spec["TaskTemplate"]["RestartPolicy"];
    let condition = policy["Condition"].as_str().unwrap_or(if is_job { "on-failure" } else { "any" });
    let max_attempts = policy["MaxAttempts"].as_u64().unwrap_or(0);
    let delay = policy["Delay"].as_u64().map(|ns| ns / 1_000_000).unwrap_or(RESTART_DELAY_MS);
    for slot in slots {
        let in_slot: Vec<&Task> = tasks
            .iter()
            .filter(|t| t.slot == slot && t.desired != "shutdown" && (!is_job || t.job_iteration == s.job_iteration))
            .collect();
        let Some(live) = in_slot.iter().max_by_key(|t| t.created_ms).copied() else {
            create_task(st, &s, slot, desired);
            continue;
        };
        let template = template_of(&s.spec);
        if live.spec != template && !terminal(&live.state) {
            stale += 1;
            if updating && !busy && budget > 0 {
                budget -= 1;
                shut_down(st, &live.id);
                create_task(st, &s, slot, desired);
            }
            continue;
        }
        if terminal(&live.state) && !(is_job && live.state == "complete") {
            let failed = live.state != "complete";
            let restart = match condition {
                "none" => false,
                "on-failure" => failed,
                _ => true,
            };
            let attempts = tasks.iter().filter(|t| t.slot == slot).count() as u64;
            let allowed = max_attempts == 0 || attempts <= max_attempts;
            if restart && allowed && now >= live.state_ms + delay {
                shut_down(st, &live.id);
                create_task(st, &s, slot, desired);
            }
        }
    }
    if updating && stale == 0 && !busy {
        let done = if s.update_state == "updating" { "completed" } else { "rollback_completed" };
        if let Some(svc) = st.swarm.as_deref_mut().and_then(|sw| sw.services.get_mut(sid)) {
            svc.update_state = done.into();
            svc.update_completed_ms = now;
        }
    }
    trim_history(st, sid);
}

/// The task spec of a service spec: its template without `Runtime`, with
/// the service's (deprecated) top-level `Networks` when it has none.
fn template_of(spec: &Value) -> Value {
    let mut t = spec["TaskTemplate"].clone();
    if let Some(m) = t.as_object_mut() {
        m.remove("Runtime");
        if !m.contains_key("Networks") && spec["Networks"].is_array() {
            m.insert("Networks".into(), spec["Networks"].clone());
        }
    }
    t
}

fn shut_down(st: &mut State, tid: &str) {
    let index = st.next_index();
    if let Some(t) = st.swarm.as_deref_mut().and_then(|s| s.tasks.get_mut(tid)) {
        t.desired = "shutdown".into();
        t.version = index;
    }
    step(st, tid);
}

fn create_task(st: &mut State, s: &Service, slot: u64, desired: &str) {
    let id = super::swarm_id(&mut st.rng);
    let index = st.next_index();
    let now = st.clock_ms;
    let task = Task {
        id: id.clone(),
        version: index,
        created_ms: now,
        updated_ms: now,
        service_id: s.id.clone(),
        slot,
        spec: template_of(&s.spec),
        service_version: s.version,
        state: "new".into(),
        state_ms: now,
        message: "created".into(),
        error: String::new(),
        desired: desired.into(),
        container_id: String::new(),
        exit_code: 0,
        job_iteration: s.job_iteration,
    };
    if let Some(sw) = st.swarm.as_deref_mut() {
        sw.tasks.insert(id, task);
    }
}

/// Keeps `TaskHistoryRetentionLimit` (5) tasks per slot: older ones and
/// their containers go.
fn trim_history(st: &mut State, sid: &str) {
    let Some(sw) = st.swarm.as_deref() else { return };
    let limit = sw.spec["Orchestration"]["TaskHistoryRetentionLimit"].as_u64().unwrap_or(5).max(1) as usize;
    let mut by_slot: std::collections::BTreeMap<u64, Vec<(u64, String, String)>> = Default::default();
    for t in sw.tasks.values().filter(|t| t.service_id == sid && terminal(&t.state)) {
        by_slot.entry(t.slot).or_default().push((t.created_ms, t.id.clone(), t.container_id.clone()));
    }
    for (_, mut old) in by_slot {
        if old.len() < limit {
            continue;
        }
        old.sort();
        for (_, tid, cid) in old.into_iter().rev().skip(limit - 1) {
            if let Some(sw) = st.swarm.as_deref_mut() {
                sw.tasks.remove(&tid);
            }
            if st.containers.contains_key(&cid) {
                let _ = st.remove(&cid, true, false);
            }
        }
    }
}

/// The name of a task's container: `<service>.<slot>.<task id>`, or the
/// node id in place of the slot for global services.
pub(crate) fn task_name(st: &State, t: &Task) -> String {
    let Some(sw) = st.swarm.as_deref() else { return t.id.clone() };
    let service = sw.services.get(&t.service_id).and_then(|s| s.spec["Name"].as_str()).unwrap_or("");
    if t.slot == 0 { format!("{service}.{}.{}", sw.node.id, t.id) } else { format!("{service}.{}.{}", t.slot, t.id) }
}

/// Creates the task's container from its template (pulling the image
/// from the simulated registry when it is not here), with the swarm's
/// labels, its secrets and configs as files.
fn make_container(st: &mut State, tid: &str) -> Result<(), ApiErr> {
    let Some(t) = st.swarm.as_deref().and_then(|s| s.tasks.get(tid)).cloned() else { return Ok(()) };
    let (service, node) = {
        let sw = st.swarm()?;
        let name = sw.services.get(&t.service_id).and_then(|s| s.spec["Name"].as_str()).unwrap_or("").to_string();
        (name, sw.node.id.clone())
    };
    let cs = &t.spec["ContainerSpec"];
    let image = cs["Image"].as_str().unwrap_or("").to_string();
    if st.find_image(&image).is_none() {
        crate::image::registry::pull(st, &image, "")
            .map_err(|_| crate::error::err(404, format!("No such image: {image}")))?;
    }
    let strs = |v: &Value| -> Vec<String> {
        v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect()).unwrap_or_default()
    };
    let name = task_name(st, &t);
    let mut labels: std::collections::BTreeMap<String, String> = cs["Labels"]
        .as_object()
        .map(|o| o.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect())
        .unwrap_or_default();
    for (k, v) in [
        ("com.docker.swarm.node.id", node.clone()),
        ("com.docker.swarm.service.id", t.service_id.clone()),
        ("com.docker.swarm.service.name", service.clone()),
        ("com.docker.swarm.task", String::new()),
        ("com.docker.swarm.task.id", t.id.clone()),
        ("com.docker.swarm.task.name", name.clone()),
    ] {
        labels.insert(k.into(), v);
    }
    let network = t.spec["Networks"]
        .as_array()
        .and_then(|n| n.first())
        .and_then(|n| st.find_network(n["Target"].as_str().unwrap_or("")).ok())
        .and_then(|id| st.networks.get(&id).map(|n| n.name.clone()));
    let mut binds = Vec::new();
    let mut tmpfs = Vec::new();
    for m in cs["Mounts"].as_array().cloned().unwrap_or_default() {
        let target = m["Target"].as_str().unwrap_or("");
        match m["Type"].as_str().unwrap_or("volume") {
            "tmpfs" => tmpfs.push(target.to_string()),
            _ => {
                let ro = if m["ReadOnly"].as_bool() == Some(true) { ":ro" } else { "" };
                let source = m["Source"].as_str().unwrap_or("");
                binds.push(if source.is_empty() { target.to_string() } else { format!("{source}:{target}{ro}") });
            }
        }
    }
    let command = strs(&cs["Command"]);
    let args = strs(&cs["Args"]);
    let spec = ContainerSpec {
        name,
        image,
        entrypoint: (!command.is_empty()).then_some(command),
        cmd: (!args.is_empty()).then_some(args),
        env: strs(&cs["Env"]),
        labels,
        network_mode: network.clone().unwrap_or_else(|| "bridge".into()),
        aliases: if network.is_some() { vec![service] } else { Vec::new() },
        endpoint_kept: Default::default(),
        hostname: cs["Hostname"].as_str().filter(|h| !h.is_empty()).map(String::from),
        restart_policy: "no".into(),
        workdir: cs["Dir"].as_str().filter(|h| !h.is_empty()).map(String::from),
        user: cs["User"].as_str().filter(|h| !h.is_empty()).map(String::from),
        tty: cs["TTY"].as_bool().unwrap_or(false),
        open_stdin: cs["OpenStdin"].as_bool().unwrap_or(false),
        read_only: cs["ReadOnly"].as_bool().unwrap_or(false),
        binds,
        tmpfs,
        ..ContainerSpec::default()
    };
    let cid = crate::daemon::create::create(st, spec)?;
    if let Some(t) = st.swarm.as_deref_mut().and_then(|s| s.tasks.get_mut(tid)) {
        t.container_id = cid.clone();
    }
    mount_files(st, &cid, cs);
    Ok(())
}

/// Secrets at `/run/secrets/<target>` (a tmpfs, as dockerd mounts them),
/// configs at their target (`/<name>` by default).
fn mount_files(st: &mut State, cid: &str, cs: &Value) {
    use super::objects::{Kind, data_of, find};
    let mut files = Vec::new();
    for (field, kind) in [("Secrets", Kind::Secret), ("Configs", Kind::Config)] {
        for r in cs[field].as_array().cloned().unwrap_or_default() {
            let (id_key, name_key) =
                if kind == Kind::Secret { ("SecretID", "SecretName") } else { ("ConfigID", "ConfigName") };
            let Ok(id) = find(st, kind, r[id_key].as_str().unwrap_or("")) else { continue };
            let Some(sw) = st.swarm.as_deref() else { continue };
            let table = if kind == Kind::Secret { &sw.secrets } else { &sw.configs };
            let data = data_of(&table[&id].spec).unwrap_or_default();
            let name = r[name_key].as_str().unwrap_or("");
            let target = r["File"]["Name"].as_str().filter(|n| !n.is_empty()).unwrap_or(name);
            let path = match kind {
                Kind::Secret if target.starts_with('/') => target.to_string(),
                Kind::Secret => format!("/run/secrets/{target}"),
                Kind::Config => crate::fs::normalize("/", target),
            };
            files.push((kind, path, String::from_utf8_lossy(&data).into_owned()));
        }
    }
    for (kind, path, data) in files {
        let node = Node::File { data };
        if kind == Kind::Secret && path.starts_with("/run/secrets/") {
            if let Some(c) = st.containers.get_mut(cid) {
                c.tmpfs.entry("/run/secrets".into()).or_insert_with(Fs::new).insert(path, node);
            }
        } else {
            let _ = st.write_node(cid, &path, node);
        }
    }
}

/// The task as the API returns it.
pub(crate) fn document(st: &State, t: &Task) -> Value {
    let Some(sw) = st.swarm.as_deref() else { return Value::Null };
    let mut status = json!({
        "Timestamp": crate::util::rfc3339(t.state_ms),
        "State": t.state,
        "Message": t.message,
        "PortStatus": {},
    });
    if !t.error.is_empty() {
        status["Err"] = json!(t.error);
    }
    if !t.container_id.is_empty() && !matches!(t.state.as_str(), "new" | "pending" | "assigned" | "accepted") {
        let pid = st.containers.get(&t.container_id).filter(|c| c.status == Status::Running).map_or(0, |c| c.pid);
        status["ContainerStatus"] = json!({"ContainerID": t.container_id, "PID": pid, "ExitCode": t.exit_code});
    }
    let mut doc = json!({
        "ID": t.id,
        "Version": {"Index": t.version},
        "CreatedAt": crate::util::rfc3339(t.created_ms),
        "UpdatedAt": crate::util::rfc3339(t.updated_ms),
        "Labels": {},
        "Spec": t.spec,
        "ServiceID": t.service_id,
        "Status": status,
        "DesiredState": t.desired,
    });
    if t.slot > 0 {
        doc["Slot"] = json!(t.slot);
    }
    if t.state != "new" && t.state != "pending" {
        doc["NodeID"] = json!(sw.node.id);
    }
    if t.job_iteration > 0 || t.desired == "complete" {
        doc["JobIteration"] = json!({"Index": t.job_iteration});
    }
    doc
}
