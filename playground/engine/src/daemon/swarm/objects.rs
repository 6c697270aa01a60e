//! Secrets and configs: created, read, relabelled and removed; a secret's
//! data is never returned. Both are files in the task containers that name
//! them (`tasks.rs` mounts them).

use base64::Engine as _;
use serde_json::{Value, json};

use crate::error::{ApiErr, err};
use crate::state::*;

/// Secrets or configs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `/secrets`.
    Secret,
    /// `/configs`.
    Config,
}

impl Kind {
    /// `secret`, `config`.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Kind::Secret => "secret",
            Kind::Config => "config",
        }
    }

    fn table(self, sw: &Swarm) -> &Map<String, SwarmObject> {
        match self {
            Kind::Secret => &sw.secrets,
            Kind::Config => &sw.configs,
        }
    }

    fn table_mut(self, sw: &mut Swarm) -> &mut Map<String, SwarmObject> {
        match self {
            Kind::Secret => &mut sw.secrets,
            Kind::Config => &mut sw.configs,
        }
    }

    /// The services' references to objects of this kind (`Secrets`,
    /// `Configs` of the container spec).
    fn field(self) -> &'static str {
        match self {
            Kind::Secret => "Secrets",
            Kind::Config => "Configs",
        }
    }
}

/// The decoded `Data` of a spec (base64), or dockerd's 400.
pub(crate) fn data_of(spec: &Value) -> Result<Vec<u8>, ApiErr> {
    let text = spec.get("Data").and_then(Value::as_str).unwrap_or("");
    base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| err(400, format!("illegal base64 data: {e}")))
}

/// The id of the object `key` (id, name or id prefix).
pub(crate) fn find(st: &State, kind: Kind, key: &str) -> Result<String, ApiErr> {
    let table = kind.table(st.swarm()?);
    let not_found = || err(404, format!("{} {key} not found", kind.word()));
    if key.is_empty() {
        return Err(not_found());
    }
    if table.contains_key(key) {
        return Ok(key.to_string());
    }
    if let Some(o) = table.values().find(|o| o.spec["Name"].as_str() == Some(key)) {
        return Ok(o.id.clone());
    }
    let matches: Vec<&String> = table.keys().filter(|id| id.starts_with(key)).collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(not_found()),
        _ => Err(err(400, format!("{} {key} is ambiguous ({} matches found)", kind.word(), matches.len()))),
    }
}

/// `POST /secrets/create`, `POST /configs/create`: the new id.
pub(crate) fn create(st: &mut State, kind: Kind, spec: &Value) -> Result<String, ApiErr> {
    let name = spec.get("Name").and_then(Value::as_str).unwrap_or("").to_string();
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric());
    if !valid {
        return Err(err(
            400,
            format!(
                "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]: {name:?}"
            ),
        ));
    }
    let data = data_of(spec)?;
    if kind == Kind::Secret && (data.is_empty() || data.len() >= 500 * 1024) {
        return Err(err(
            400,
            "rpc error: code = InvalidArgument desc = secret data must be larger than 0 and less than 500 KB",
        ));
    }
    if kind.table(st.swarm()?).values().any(|o| o.spec["Name"].as_str() == Some(name.as_str())) {
        return Err(err(409, format!("rpc error: code = AlreadyExists desc = {} {name} already exists", kind.word())));
    }
    let mut stored = json!({"Name": name, "Labels": {}});
    if let Some(labels) = spec.get("Labels").filter(|l| l.is_object()) {
        stored["Labels"] = labels.clone();
    }
    for key in ["Data", "Driver", "Templating"] {
        if let Some(v) = spec.get(key).filter(|v| !v.is_null()) {
            stored[key] = v.clone();
        }
    }
    let id = super::swarm_id(&mut st.rng);
    let index = st.next_index();
    let now = st.clock_ms;
    let object = SwarmObject { id: id.clone(), version: index, created_ms: now, updated_ms: now, spec: stored };
    kind.table_mut(st.swarm_mut()?).insert(id.clone(), object);
    st.event(kind.word(), "create", &id, &[("name", name)]);
    Ok(id)
}

/// `POST /secrets/{id}/update`, `POST /configs/{id}/update`: only the
/// labels may change.
pub(crate) fn update(st: &mut State, kind: Kind, key: &str, version: u64, spec: &Value) -> Result<(), ApiErr> {
    let id = find(st, kind, key)?;
    let current = kind.table(st.swarm()?)[&id].clone();
    if current.version != version {
        return Err(err(500, "rpc error: code = Unknown desc = update out of sequence"));
    }
    let same_name = spec.get("Name").and_then(Value::as_str).is_none_or(|n| Some(n) == current.spec["Name"].as_str());
    let same_data = spec.get("Data").is_none_or(|d| d.is_null() || Some(d) == current.spec.get("Data"));
    if !same_name || (kind == Kind::Config && !same_data) || (kind == Kind::Secret && !same_data && spec["Data"] != "")
    {
        return Err(err(400, "rpc error: code = InvalidArgument desc = only updates to Labels are allowed"));
    }
    let index = st.next_index();
    let now = st.clock_ms;
    let labels = spec.get("Labels").filter(|l| l.is_object()).cloned().unwrap_or_else(|| json!({}));
    if let Some(o) = kind.table_mut(st.swarm_mut()?).get_mut(&id) {
        o.spec["Labels"] = labels;
        o.version = index;
        o.updated_ms = now;
    }
    st.event(kind.word(), "update", &id, &[]);
    Ok(())
}

/// `DELETE /secrets/{id}`, `DELETE /configs/{id}`: refused while a service
/// uses it.
pub(crate) fn remove(st: &mut State, kind: Kind, key: &str) -> Result<(), ApiErr> {
    let id = find(st, kind, key)?;
    let sw = st.swarm()?;
    let name = kind.table(sw)[&id].spec["Name"].as_str().unwrap_or("").to_string();
    let users: Vec<&str> = sw
        .services
        .values()
        .filter(|s| {
            s.spec["TaskTemplate"]["ContainerSpec"][kind.field()]
                .as_array()
                .is_some_and(|refs| refs.iter().any(|r| r[format!("{}ID", capitalised(kind))] == id.as_str()))
        })
        .filter_map(|s| s.spec["Name"].as_str())
        .collect();
    if !users.is_empty() {
        return Err(err(
            400,
            format!(
                "rpc error: code = InvalidArgument desc = {} '{name}' is in use by the following service: {}",
                kind.word(),
                users.join(", ")
            ),
        ));
    }
    kind.table_mut(st.swarm_mut()?).remove(&id);
    st.event(kind.word(), "remove", &id, &[("name", name)]);
    Ok(())
}

fn capitalised(kind: Kind) -> &'static str {
    match kind {
        Kind::Secret => "Secret",
        Kind::Config => "Config",
    }
}

/// The object as the API returns it (a secret without its data).
pub(crate) fn document(kind: Kind, o: &SwarmObject) -> Value {
    let mut spec = o.spec.clone();
    if kind == Kind::Secret
        && let Some(m) = spec.as_object_mut()
    {
        m.remove("Data");
    }
    json!({
        "ID": o.id,
        "Version": {"Index": o.version},
        "CreatedAt": crate::util::rfc3339(o.created_ms),
        "UpdatedAt": crate::util::rfc3339(o.updated_ms),
        "Spec": spec,
    })
}

/// The objects of `kind` that pass the `id`, `name`, `names` and `label`
/// filters, by name.
pub(crate) fn list(
    st: &State,
    kind: Kind,
    filters: &std::collections::BTreeMap<String, Vec<String>>,
) -> Result<Vec<Value>, ApiErr> {
    let table = kind.table(st.swarm()?);
    let mut out: Vec<&SwarmObject> = table
        .values()
        .filter(|o| {
            let name = o.spec["Name"].as_str().unwrap_or("");
            filters.iter().all(|(k, vals)| {
                vals.is_empty()
                    || vals.iter().any(|v| match k.as_str() {
                        "id" => o.id.starts_with(v.as_str()),
                        "name" => name.starts_with(v.as_str()),
                        "names" => name == v,
                        "label" => label_matches(&o.spec["Labels"], v),
                        _ => true,
                    })
            })
        })
        .collect();
    out.sort_by(|a, b| a.spec["Name"].as_str().cmp(&b.spec["Name"].as_str()));
    Ok(out.into_iter().map(|o| document(kind, o)).collect())
}

/// Whether `labels` (a JSON object) has `k` or `k=v`.
pub(crate) fn label_matches(labels: &Value, filter: &str) -> bool {
    match filter.split_once('=') {
        Some((k, v)) => labels.get(k).and_then(Value::as_str) == Some(v),
        None => labels.get(filter).is_some(),
    }
}
