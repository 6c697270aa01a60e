//! Service and task endpoints: create, list, inspect, update (rollback),
//! remove, and the logs of a service's or a task's containers.

use std::task::Poll;

use bytes::Bytes;
use serde_json::{Value, json};

use super::swarm::{fresh, version_param};
use crate::Engine;
use crate::daemon::swarm::services::{self as backend, UpdateFlags};
use crate::daemon::swarm::tasks;
use crate::error::err;
use crate::http::Req;
use crate::http::query::*;
use crate::state::*;
use crate::util::{frame, rfc3339};

/// `GET /services?filters=&status=`.
pub(crate) fn list(st: &mut State, r: &Req) -> R {
    let filters = r.q.filters()?;
    fresh(st)?;
    Ok(Reply::Json(200, Value::Array(backend::list(st, &filters, r.q.flag("status"))?)))
}

/// `POST /services/create`.
pub(crate) fn create(st: &mut State, r: &Req) -> R {
    st.swarm()?;
    let spec = body_json(r.body)?;
    let id = backend::create(st, &spec)?;
    Ok(Reply::Json(201, json!({"ID": id})))
}

/// `GET /services/{id}`.
pub(crate) fn inspect(st: &mut State, r: &Req) -> R {
    fresh(st)?;
    let id = backend::find(st, r.p(0))?;
    let s = &st.swarm()?.services[&id];
    let mut doc = backend::document(st, s, false);
    if r.q.flag("insertDefaults") {
        doc["Spec"] = backend::with_defaults(&doc["Spec"]);
    }
    Ok(Reply::Json(200, doc))
}

/// `POST /services/{id}/update?version=N&rollback=previous`.
pub(crate) fn update(st: &mut State, r: &Req) -> R {
    fresh(st)?;
    let version = version_param(r, "service")?;
    let spec = body_json(r.body)?;
    let flags = UpdateFlags { rollback: r.q.get("rollback") == Some("previous") };
    backend::update(st, r.p(0), version, &spec, flags)?;
    Ok(Reply::Json(200, json!({"Warnings": null})))
}

/// `DELETE /services/{id}`.
pub(crate) fn remove(st: &mut State, r: &Req) -> R {
    fresh(st)?;
    backend::remove(st, r.p(0))?;
    Ok(Reply::Empty(200))
}

/// The task `key` (id or id prefix).
fn find_task(st: &State, key: &str) -> Result<String, crate::error::ApiErr> {
    let sw = st.swarm()?;
    let matches: Vec<&String> = sw.tasks.keys().filter(|id| !key.is_empty() && id.starts_with(key)).collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        _ if sw.tasks.contains_key(key) => Ok(key.to_string()),
        [] => Err(err(404, format!("task {key} not found"))),
        _ => Err(err(400, format!("task {key} is ambiguous ({} matches found)", matches.len()))),
    }
}

/// `GET /tasks?filters=`: `id`, `name`, `service`, `node`, `label`,
/// `desired-state`.
pub(crate) fn task_list(st: &mut State, r: &Req) -> R {
    let filters = r.q.filters()?;
    fresh(st)?;
    let sw = st.swarm()?;
    let services: Vec<(String, String)> = filters
        .get("service")
        .map(|v| v.iter().filter_map(|k| backend::find(st, k).ok()).map(|id| (id.clone(), id)).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut out: Vec<&Task> = sw
        .tasks
        .values()
        .filter(|t| {
            let service = sw.services.get(&t.service_id).and_then(|s| s.spec["Name"].as_str()).unwrap_or("");
            let short = if t.slot > 0 { format!("{service}.{}", t.slot) } else { format!("{service}.{}", sw.node.id) };
            filters.iter().all(|(k, vals)| {
                vals.is_empty()
                    || vals.iter().any(|v| match k.as_str() {
                        "id" => t.id.starts_with(v.as_str()),
                        "name" => short.starts_with(v.as_str()),
                        "service" => services.iter().any(|(id, _)| *id == t.service_id),
                        "node" => sw.node.id.starts_with(v.as_str()) || *v == st.name,
                        "desired-state" => t.desired == *v || (v == "accepted" && t.desired == "running"),
                        "label" => false,
                        _ => true,
                    })
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.service_id, a.slot, a.created_ms).cmp(&(&b.service_id, b.slot, b.created_ms)));
    Ok(Reply::Json(200, Value::Array(out.into_iter().map(|t| tasks::document(st, t)).collect())))
}

/// `GET /tasks/{id}`.
pub(crate) fn task(st: &mut State, r: &Req) -> R {
    fresh(st)?;
    let id = find_task(st, r.p(0))?;
    Ok(Reply::Json(200, tasks::document(st, &st.swarm()?.tasks[&id])))
}

/// `GET /services/{id}/logs`.
pub(crate) fn service_logs(engine: &Engine, r: &Req) -> R {
    let sid = {
        let mut st = engine.lock();
        fresh(&mut st)?;
        backend::find(&st, r.p(0))?
    };
    logs(engine, r, Some(sid), None)
}

/// `GET /tasks/{id}/logs`.
pub(crate) fn task_logs(engine: &Engine, r: &Req) -> R {
    let tid = {
        let mut st = engine.lock();
        fresh(&mut st)?;
        find_task(&st, r.p(0))?
    };
    logs(engine, r, None, Some(tid))
}

/// The logs of the containers of a service's tasks, or of one task, with
/// each line's details (`com.docker.swarm.node.id=...`) when asked.
fn logs(engine: &Engine, r: &Req, service: Option<String>, task: Option<String>) -> R {
    let (stdout, stderr) = (r.q.flag("stdout"), r.q.flag("stderr"));
    if !stdout && !stderr {
        return Err(err(400, "Bad parameters: you must choose at least one stream"));
    }
    let (follow, timestamps, details) = (r.q.flag("follow"), r.q.flag("timestamps"), r.q.flag("details"));
    let tail: Option<usize> = r.q.get("tail").filter(|t| *t != "all").and_then(|t| t.parse().ok());
    let since_ms = r.q.get("since").and_then(|s| s.split('.').next()?.parse::<u64>().ok()).map(|s| s * 1000);
    // Per container: how many log entries were sent.
    let mut sent: Vec<(String, usize)> = Vec::new();
    let mut first = true;
    let body = engine.clone().watch(move |st| {
        let Some(sw) = st.swarm.as_deref() else { return Poll::Ready(None) };
        let wanted: Vec<&Task> = sw
            .tasks
            .values()
            .filter(|t| service.as_ref().is_some_and(|s| *s == t.service_id) || task.as_ref() == Some(&t.id))
            .filter(|t| st.containers.contains_key(&t.container_id))
            .collect();
        let mut lines: Vec<(u64, u8, Vec<u8>)> = Vec::new();
        for t in &wanted {
            let c = &st.containers[&t.container_id];
            let start = sent.iter().find(|(id, _)| *id == c.id).map_or(0, |(_, n)| *n);
            let mut mine: Vec<(u64, u8, String)> = Vec::new();
            for e in c.logs.iter().skip(start) {
                for l in e.text.split_inclusive('\n') {
                    mine.push((e.time_ms, e.stream, l.to_string()));
                }
            }
            if first && let Some(n) = tail {
                mine.drain(..mine.len().saturating_sub(n));
            }
            let attrs = format!(
                "com.docker.swarm.node.id={},com.docker.swarm.service.id={},com.docker.swarm.task.id={}",
                sw.node.id, t.service_id, t.id
            );
            for (time, stream, text) in mine {
                if (stream == 1 && !stdout) || (stream == 2 && !stderr) || since_ms.is_some_and(|s| time < s) {
                    continue;
                }
                let mut line = String::new();
                if timestamps {
                    line.push_str(&rfc3339(time));
                    line.push(' ');
                }
                if details {
                    line.push_str(&attrs);
                    line.push(' ');
                }
                line.push_str(&text);
                let tty = t.spec["ContainerSpec"]["TTY"].as_bool() == Some(true);
                let bytes = if tty { line.into_bytes() } else { frame(stream, line.as_bytes()) };
                lines.push((time, stream, bytes));
            }
            match sent.iter_mut().find(|(id, _)| *id == c.id) {
                Some(entry) => entry.1 = c.logs.len(),
                None => sent.push((c.id.clone(), c.logs.len())),
            }
        }
        first = false;
        lines.sort_by_key(|(time, _, _)| *time);
        let out: Vec<u8> = lines.into_iter().flat_map(|(_, _, b)| b).collect();
        if !out.is_empty() {
            return Poll::Ready(Some(Bytes::from(out)));
        }
        let alive = wanted.iter().any(|t| !matches!(t.state.as_str(), "complete" | "failed" | "shutdown"));
        if follow && (alive || service.as_ref().is_some_and(|s| sw.services.contains_key(s))) {
            Poll::Pending
        } else {
            Poll::Ready(None)
        }
    });
    Ok(Reply::Stream(200, "application/vnd.docker.multiplexed-stream", body))
}
