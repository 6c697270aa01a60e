//! Network endpoints: list, inspect, create, connect, disconnect, remove, prune.

use serde_json::{Value, json};

use crate::http::Req;
use crate::http::json::*;
use crate::http::query::*;
use crate::state::*;
use crate::util::sort_with;

/// `GET /networks`.
pub(crate) fn list(st: &mut State, r: &Req) -> R {
    let (st, q) = (&*st, r.q);
    let filters = q.filters()?;
    let mut list: Vec<&Network> = st.networks.values().collect();
    sort_with(&mut list, &|a, b| a.name.cmp(&b.name));
    let out: Vec<Value> = list
        .into_iter()
        .filter(|n| {
            filters.iter().all(|(k, vals)| {
                vals.is_empty()
                    || vals.iter().any(|v| match k.as_str() {
                        "name" => n.name.contains(v.as_str()),
                        "id" => n.id.starts_with(v.as_str()),
                        "driver" => &n.driver == v,
                        "type" => (v == "builtin") == matches!(n.name.as_str(), "bridge" | "host" | "none"),
                        "label" => n.labels.contains_key(v.split('=').next().unwrap_or("")),
                        _ => true,
                    })
            })
        })
        .map(|n| {
            let mut v = network_json(st, &n.id);
            v["Containers"] = json!({});
            v
        })
        .collect();
    Ok(Reply::Json(200, json!(out)))
}

/// `POST /networks/create`.
pub(crate) fn create(st: &mut State, r: &Req) -> R {
    let v = body_json(r.body)?;
    if v.get("Driver").and_then(Value::as_str) == Some("overlay") {
        return super::swarm::create_overlay(st, &v);
    }
    let name = v.get("Name").and_then(Value::as_str).unwrap_or("");
    let driver = v.get("Driver").and_then(Value::as_str).unwrap_or("bridge");
    let internal = v.get("Internal").and_then(Value::as_bool).unwrap_or(false);
    // dockerd refuses a taken name only when asked to (the CLI always asks); docker-py may say false.
    let check_duplicate = v.get("CheckDuplicate").and_then(Value::as_bool) != Some(false);
    let labels = map(v.get("Labels").unwrap_or(&Value::Null));
    let id = st.create_network(name, driver, internal, labels, check_duplicate)?;
    if let Some(n) = st.networks.get_mut(&id) {
        n.enable_ipv6 = v.get("EnableIPv6").and_then(Value::as_bool).unwrap_or(false);
        n.ipam_config = ipam_pools(v.pointer("/IPAM/Config")).map(|p| p.to_string()).unwrap_or_default();
    }
    Ok(Reply::Json(201, json!({"Id": id, "Warning": ""})))
}

/// `POST /networks/prune`.
pub(crate) fn prune(st: &mut State, _: &Req) -> R {
    let names = st.prune_networks();
    Ok(Reply::Json(200, json!({"NetworksDeleted": nullable_list(names)})))
}

/// `GET /networks/{id}`.
pub(crate) fn inspect(st: &mut State, r: &Req) -> R {
    let nid = st.find_network(r.p(0))?;
    // `?scope=`: a network of another scope is not found, as dockerd says.
    if r.q.get("scope").is_some_and(|s| !s.is_empty() && st.networks.get(&nid).is_some_and(|n| n.scope != s)) {
        return Err(crate::error::err(404, format!("network {} not found", r.p(0))));
    }
    Ok(Reply::Json(200, network_json(st, &nid)))
}

/// `DELETE /networks/{id}`.
pub(crate) fn remove(st: &mut State, r: &Req) -> R {
    let nid = st.find_network(r.p(0))?;
    st.remove_network(&nid)?;
    Ok(Reply::Empty(204))
}

/// The network and the container a connect or disconnect names.
fn network_and_container(st: &State, r: &Req) -> Result<(String, String, serde_json::Value), crate::error::ApiErr> {
    let nid = st.find_network(r.p(0))?;
    let v = body_json(r.body)?;
    let c = v.get("Container").and_then(Value::as_str).unwrap_or("");
    let cid = st.find_container(c)?;
    Ok((nid, cid, v))
}

/// `POST /networks/{id}/connect`.
pub(crate) fn connect(st: &mut State, r: &Req) -> R {
    let (nid, cid, v) = network_and_container(st, r)?;
    let aliases = strs(v.pointer("/EndpointConfig/Aliases").unwrap_or(&Value::Null));
    let kept = endpoint_kept(v.get("EndpointConfig"));
    st.connect(&cid, &nid, aliases, kept)?;
    Ok(Reply::Empty(200))
}

/// `POST /networks/{id}/disconnect`.
pub(crate) fn disconnect(st: &mut State, r: &Req) -> R {
    let (nid, cid, v) = network_and_container(st, r)?;
    let c = v.get("Container").and_then(Value::as_str).unwrap_or("");
    st.disconnect(&nid, &cid, c)?;
    Ok(Reply::Empty(200))
}

/// The endpoint settings dockerd keeps and shows as given: `IPAMConfig`,
/// `Links`, `DriverOpts` (JSON text by key; only objects and lists).
pub(crate) fn endpoint_kept(ep: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    ["IPAMConfig", "Links", "DriverOpts"]
        .iter()
        .filter_map(|k| {
            let v = ep?.get(*k)?;
            (v.is_object() || v.is_array()).then(|| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// The IPAM pools given, as dockerd keeps them: only the set fields of each
/// (`None` when no pool is given).
fn ipam_pools(config: Option<&Value>) -> Option<Value> {
    let pools: Vec<Value> = config?
        .as_array()?
        .iter()
        .filter_map(Value::as_object)
        .map(|p| {
            let mut out = serde_json::Map::new();
            for k in ["Subnet", "IPRange", "Gateway"] {
                if let Some(s) = p.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()) {
                    out.insert(k.into(), json!(s));
                }
            }
            if let Some(a) = p.get("AuxiliaryAddresses").filter(|a| a.as_object().is_some_and(|o| !o.is_empty())) {
                out.insert("AuxiliaryAddresses".into(), a.clone());
            }
            Value::Object(out)
        })
        .collect();
    (!pools.is_empty()).then(|| json!(pools))
}
