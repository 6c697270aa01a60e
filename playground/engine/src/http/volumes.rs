//! Volume endpoints: list, create, inspect, remove, prune.

use serde_json::{Value, json};

use crate::daemon::volumes::{create_volume, prune_volumes, remove_volume, volume_used};
use crate::error::err;
use crate::http::Req;
use crate::http::json::*;
use crate::http::query::*;
use crate::state::*;

/// `GET /volumes`: with the filters `dangling` and `name`.
pub(crate) fn list(st: &mut State, r: &Req) -> R {
    let st = &*st;
    let filters = r.q.filters()?;
    let dangling = filters.get("dangling").and_then(|d| d.first()).map(|d| d == "true" || d == "1");
    let vols: Vec<Value> = st
        .volumes
        .values()
        .filter(|v| match dangling {
            Some(want) => want != volume_used(st, &v.name),
            None => true,
        })
        .filter(|v| filters.get("name").is_none_or(|n| n.iter().any(|n| v.name.contains(n.as_str()))))
        .map(volume_json)
        .collect();
    Ok(Reply::Json(200, json!({"Volumes": vols, "Warnings": null})))
}

/// `POST /volumes/create`.
pub(crate) fn create(st: &mut State, r: &Req) -> R {
    let v = body_json(r.body)?;
    let name = v.get("Name").and_then(Value::as_str).unwrap_or("").to_string();
    let labels = map(v.get("Labels").unwrap_or(&Value::Null));
    // Only the built-in driver: any other is a plugin nobody installed.
    let driver = v.get("Driver").and_then(Value::as_str).unwrap_or("");
    if !driver.is_empty() && driver != "local" {
        return Err(err(
            404,
            format!("create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found"),
        ));
    }
    let name = create_volume(st, &name, labels)?;
    Ok(Reply::Json(201, volume_json(&st.volumes[&name])))
}

/// `POST /volumes/prune`: the unused anonymous volumes, named ones too with
/// the filter `all=true` or for a client older than API 1.42 (as dockerd
/// 23 and later decide); `label=K[=V]` and `label!=K[=V]` narrow it.
pub(crate) fn prune(st: &mut State, r: &Req) -> R {
    let filters = r.q.filters()?;
    if let Some(key) = filters.keys().find(|k| !matches!(k.as_str(), "all" | "label" | "label!")) {
        return Err(err(400, format!("invalid filter '{key}'")));
    }
    let mut all = r.api.before("1.42");
    for v in filters.get("all").into_iter().flatten() {
        all = match v.to_ascii_lowercase().as_str() {
            "1" | "true" => true,
            "0" | "false" => false,
            _ => return Err(err(400, format!("invalid filter 'all={v}'"))),
        };
    }
    let has = |labels: &std::collections::BTreeMap<String, String>, want: &str| match want.split_once('=') {
        Some((k, v)) => labels.get(k).is_some_and(|x| x == v),
        None => labels.contains_key(want),
    };
    let with: Vec<&String> = filters.get("label").into_iter().flatten().collect();
    let without: Vec<&String> = filters.get("label!").into_iter().flatten().collect();
    let unused = prune_volumes(st, all, &|v: &Volume| {
        with.iter().all(|w| has(&v.labels, w)) && !without.iter().any(|w| has(&v.labels, w))
    });
    Ok(Reply::Json(200, json!({"VolumesDeleted": nullable_list(unused), "SpaceReclaimed": 0})))
}

/// `GET /volumes/{name}`.
pub(crate) fn inspect(st: &mut State, r: &Req) -> R {
    let name = r.p(0);
    let v = st.volumes.get(name).ok_or_else(|| err(404, "get ".to_string() + name + ": no such volume"))?;
    Ok(Reply::Json(200, volume_json(v)))
}

/// `DELETE /volumes/{name}`.
pub(crate) fn remove(st: &mut State, r: &Req) -> R {
    remove_volume(st, r.p(0))?;
    Ok(Reply::Empty(204))
}
