//! Swarm endpoints: the cluster (`/swarm`, init, join, leave, update,
//! unlock key), its node (`/nodes`), secrets and configs, and the `Swarm`
//! section of `/info`. Services and tasks are in `services.rs`.

use serde_json::{Value, json};

use crate::daemon::swarm::objects::{self, Kind};
use crate::daemon::swarm::{self as backend, InitRequest, UpdateFlags};
use crate::error::{ApiErr, err};
use crate::http::Req;
use crate::http::query::*;
use crate::state::*;
use crate::util::rfc3339;

use super::version::ENGINE_VERSION;

/// A simulated CA certificate: clients only show it.
const TRUST_ROOT: &str = "-----BEGIN CERTIFICATE-----\nMIIBaTCCARCgAwIBAgIUc2ltdWxhdGVkIHN3YXJtIHJvb3QwCgYIKoZIzj0EAwIw\nEzERMA8GA1UEAxMIc3dhcm0tY2EwHhcNMjYwMTAxMDAwMDAwWhcNNDYwMTAxMDAw\n-----END CERTIFICATE-----\n";

fn tls_info() -> Value {
    json!({"TrustRoot": TRUST_ROOT, "CertIssuerSubject": "MBMxETAPBgNVBAMTCHN3YXJtLWNh", "CertIssuerPublicKey": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEc2ltdWxhdGVk"})
}

/// The `version` query parameter, or dockerd's 400.
pub(crate) fn version_param(r: &Req, what: &str) -> Result<u64, ApiErr> {
    let v = r.q.get("version").unwrap_or("");
    v.parse().map_err(|_| {
        err(400, format!("invalid {what} version '{v}': strconv.ParseUint: parsing \"{v}\": invalid syntax"))
    })
}

/// Brings tasks up to date before answering.
pub(crate) fn fresh(st: &mut State) -> Result<(), ApiErr> {
    st.swarm()?;
    backend::tasks::reconcile(st);
    Ok(())
}

fn cluster_json(sw: &Swarm) -> Value {
    json!({
        "ID": sw.id,
        "Version": {"Index": sw.version},
        "CreatedAt": rfc3339(sw.created_ms),
        "UpdatedAt": rfc3339(sw.updated_ms),
        "Spec": sw.spec,
        "TLSInfo": tls_info(),
        "RootRotationInProgress": false,
        "DefaultAddrPool": sw.default_addr_pool,
        "SubnetSize": sw.subnet_size,
        "DataPathPort": sw.data_path_port,
    })
}

/// The `Swarm` section of `GET /info`.
pub(crate) fn info_section(st: &State) -> Value {
    let Some(sw) = st.swarm.as_deref() else {
        return json!({"NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive", "ControlAvailable": false, "Error": "", "RemoteManagers": null});
    };
    let host = sw.advertise_addr.rsplit_once(':').map_or(sw.advertise_addr.as_str(), |(h, _)| h);
    json!({
        "NodeID": sw.node.id,
        "NodeAddr": host,
        "LocalNodeState": "active",
        "ControlAvailable": true,
        "Error": "",
        "RemoteManagers": [{"NodeID": sw.node.id, "Addr": sw.advertise_addr}],
        "Nodes": 1,
        "Managers": 1,
        "Cluster": cluster_json(sw),
    })
}

/// `POST /swarm/init`.
pub(crate) fn init(st: &mut State, r: &Req) -> R {
    let v = body_json(r.body)?;
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let req = InitRequest {
        listen_addr: s("ListenAddr"),
        advertise_addr: s("AdvertiseAddr"),
        spec: v.get("Spec").cloned().unwrap_or(Value::Null),
        default_addr_pool: v["DefaultAddrPool"]
            .as_array()
            .map(|a| a.iter().filter_map(|p| p.as_str().map(String::from)).collect())
            .unwrap_or_default(),
        subnet_size: v["SubnetSize"].as_u64().unwrap_or(0),
        data_path_port: v["DataPathPort"].as_u64().unwrap_or(0),
    };
    let id = backend::init(st, req)?;
    Ok(Reply::Json(200, Value::String(id)))
}

/// `POST /swarm/join`: there is no other swarm to join.
pub(crate) fn join(st: &mut State, r: &Req) -> R {
    if st.swarm.is_some() {
        return Err(err(
            503,
            "This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.",
        ));
    }
    let v = body_json(r.body)?;
    let listen = v.get("ListenAddr").and_then(Value::as_str).unwrap_or("");
    if listen.is_empty() {
        return Err(err(400, "invalid ListenAddr \"\": invalid empty address"));
    }
    Err(err(500, "Timeout was reached before node joined. The simulated engine has no other swarm to join."))
}

/// `GET /swarm`.
pub(crate) fn inspect(st: &mut State, _: &Req) -> R {
    let sw = st.swarm()?;
    let mut doc = cluster_json(sw);
    doc["JoinTokens"] = json!({"Worker": sw.worker_token, "Manager": sw.manager_token});
    Ok(Reply::Json(200, doc))
}

/// `POST /swarm/leave?force=`.
pub(crate) fn leave(st: &mut State, r: &Req) -> R {
    backend::leave(st, r.q.flag("force"))?;
    Ok(Reply::Empty(200))
}

/// `POST /swarm/update?version=N&rotateWorkerToken=...`.
pub(crate) fn update(st: &mut State, r: &Req) -> R {
    let version = version_param(r, "swarm")?;
    let spec = body_json(r.body)?;
    let flags = UpdateFlags {
        rotate_worker: r.q.flag("rotateWorkerToken"),
        rotate_manager: r.q.flag("rotateManagerToken"),
        rotate_unlock_key: r.q.flag("rotateManagerUnlockKey"),
    };
    backend::update(st, version, &spec, flags)?;
    Ok(Reply::Empty(200))
}

/// `GET /swarm/unlockkey`.
pub(crate) fn unlock_key(st: &mut State, _: &Req) -> R {
    Ok(Reply::Json(200, json!({"UnlockKey": st.swarm()?.unlock_key})))
}

/// `POST /swarm/unlock`.
pub(crate) fn unlock(st: &mut State, r: &Req) -> R {
    let v = body_json(r.body)?;
    backend::unlock(st, v.get("UnlockKey").and_then(Value::as_str).unwrap_or(""))?;
    Ok(Reply::Empty(200))
}

fn node_json(st: &State, sw: &Swarm) -> Value {
    let n = &sw.node;
    let host = sw.advertise_addr.rsplit_once(':').map_or(sw.advertise_addr.as_str(), |(h, _)| h);
    let plugins: Vec<Value> = [("Log", "json-file"), ("Log", "local"), ("Network", "bridge"), ("Network", "host")]
        .iter()
        .chain(&[("Network", "null"), ("Network", "overlay"), ("Volume", "local")])
        .map(|(t, name)| json!({"Type": t, "Name": name}))
        .collect();
    json!({
        "ID": n.id,
        "Version": {"Index": n.version},
        "CreatedAt": rfc3339(n.created_ms),
        "UpdatedAt": rfc3339(n.updated_ms),
        "Spec": n.spec,
        "Description": {
            "Hostname": st.name,
            "Platform": {"Architecture": "x86_64", "OS": "linux"},
            "Resources": {"NanoCPUs": 2_000_000_000u64, "MemoryBytes": 8_232_099_840u64},
            "Engine": {"EngineVersion": ENGINE_VERSION, "Plugins": plugins},
            "TLSInfo": tls_info(),
        },
        "Status": {"State": "ready", "Addr": host},
        "ManagerStatus": {"Leader": true, "Reachability": "reachable", "Addr": sw.advertise_addr},
    })
}

/// `GET /nodes?filters=`: the one node, when it passes the filters.
pub(crate) fn nodes(st: &mut State, r: &Req) -> R {
    let filters = r.q.filters()?;
    let sw = st.swarm()?;
    let spec = &sw.node.spec;
    let pass = filters.iter().all(|(k, vals)| {
        vals.is_empty()
            || vals.iter().any(|v| match k.as_str() {
                "id" => sw.node.id.starts_with(v.as_str()),
                "name" => st.name.starts_with(v.as_str()),
                "role" => spec["Role"] == v.as_str(),
                "membership" => v == "accepted",
                "label" | "node.label" => objects::label_matches(&spec["Labels"], v),
                _ => false,
            })
    });
    let list = if pass { vec![node_json(st, sw)] } else { Vec::new() };
    Ok(Reply::Json(200, Value::Array(list)))
}

/// `GET /nodes/{id}`.
pub(crate) fn node(st: &mut State, r: &Req) -> R {
    backend::find_node(st, r.p(0))?;
    Ok(Reply::Json(200, node_json(st, st.swarm()?)))
}

/// `POST /nodes/{id}/update?version=N`.
pub(crate) fn node_update(st: &mut State, r: &Req) -> R {
    let version = version_param(r, "node")?;
    let spec = body_json(r.body)?;
    backend::update_node(st, r.p(0), version, &spec)?;
    backend::tasks::reconcile(st);
    Ok(Reply::Empty(200))
}

/// `DELETE /nodes/{id}`.
pub(crate) fn node_remove(st: &mut State, r: &Req) -> R {
    backend::remove_node(st, r.p(0))?;
    Ok(Reply::Empty(200))
}

macro_rules! object_handlers {
    ($kind:expr, $list:ident, $create:ident, $inspect:ident, $update:ident, $remove:ident) => {
        /// `GET /secrets` or `/configs`.
        pub(crate) fn $list(st: &mut State, r: &Req) -> R {
            let filters = r.q.filters()?;
            Ok(Reply::Json(200, Value::Array(objects::list(st, $kind, &filters)?)))
        }
        /// `POST /secrets/create` or `/configs/create`.
        pub(crate) fn $create(st: &mut State, r: &Req) -> R {
            let spec = body_json(r.body)?;
            let id = objects::create(st, $kind, &spec)?;
            Ok(Reply::Json(201, json!({"ID": id})))
        }
        /// `GET /secrets/{id}` or `/configs/{id}`.
        pub(crate) fn $inspect(st: &mut State, r: &Req) -> R {
            let id = objects::find(st, $kind, r.p(0))?;
            let sw = st.swarm()?;
            let table = if $kind == Kind::Secret { &sw.secrets } else { &sw.configs };
            Ok(Reply::Json(200, objects::document($kind, &table[&id])))
        }
        /// `POST /secrets/{id}/update` or `/configs/{id}/update`.
        pub(crate) fn $update(st: &mut State, r: &Req) -> R {
            let version = version_param(r, $kind.word())?;
            let spec = body_json(r.body)?;
            objects::update(st, $kind, r.p(0), version, &spec)?;
            Ok(Reply::Empty(200))
        }
        /// `DELETE /secrets/{id}` or `/configs/{id}`.
        pub(crate) fn $remove(st: &mut State, r: &Req) -> R {
            objects::remove(st, $kind, r.p(0))?;
            Ok(Reply::Empty(204))
        }
    };
}

object_handlers!(Kind::Secret, secrets, secret_create, secret, secret_update, secret_remove);
object_handlers!(Kind::Config, configs, config_create, config, config_update, config_remove);

/// `POST /networks/create` with driver `overlay`.
pub(crate) fn create_overlay(st: &mut State, v: &Value) -> R {
    let name = v.get("Name").and_then(Value::as_str).unwrap_or("");
    let flag = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
    let id =
        st.create_overlay(name, (flag("Attachable"), flag("Ingress")), map(v.get("Labels").unwrap_or(&Value::Null)))?;
    Ok(Reply::Json(201, json!({"Id": id, "Warning": ""})))
}
