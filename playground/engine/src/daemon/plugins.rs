//! Managed plugins, as far as dockerd goes without a registry: created from
//! a local directory (`docker plugin create`, a tar of `config.json` and
//! `rootfs/`), inspected, listed, enabled, disabled and removed. The
//! simulation runs nothing for them; a plugin is its inspect document.

use serde_json::{Value, json};

use crate::error::{ApiErr, err};
use crate::state::State;
use crate::util::sha256_hex;

/// A plugin reference as dockerd names it: `NAME:latest` when untagged.
pub(crate) fn full_name(name: &str) -> String {
    let last = name.rsplit('/').next().unwrap_or(name);
    if last.contains(':') { name.to_string() } else { format!("{name}:latest") }
}

/// The key of the plugin `asked` names (its name, with or without the
/// tag, or a prefix of its id).
pub(crate) fn find(st: &State, asked: &str) -> Result<String, ApiErr> {
    let full = full_name(asked);
    if st.plugins.contains_key(&full) {
        return Ok(full);
    }
    let by_id: Vec<&String> = st
        .plugins
        .iter()
        .filter(|(_, p)| !asked.is_empty() && p["Id"].as_str().is_some_and(|id| id.starts_with(asked)))
        .map(|(k, _)| k)
        .collect();
    match by_id.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(err(404, format!("plugin \"{asked}\" not found"))),
    }
}

/// `POST /plugins/create?name=`: the plugin a tar of `config.json` and
/// `rootfs/` describes, disabled.
pub(crate) fn create(st: &mut State, name: &str, tar: &[u8]) -> Result<(), ApiErr> {
    let entries = crate::util::untar(tar).map_err(|e| err(500, format!("no rootfs found: {e}")))?;
    if !entries.iter().any(|e| e.path == "rootfs" || e.path.starts_with("rootfs/")) {
        return Err(err(500, "no rootfs found: EOF"));
    }
    let config = entries
        .iter()
        .find(|e| e.path == "config.json")
        .ok_or_else(|| err(500, "open config.json: no such file or directory"))?;
    let config: Value =
        serde_json::from_slice(&config.data).map_err(|e| err(500, format!("invalid config.json: {e}")))?;
    let full = full_name(name);
    if crate::image::Reference::parse(&full).is_none() {
        return Err(err(400, format!("invalid reference format: {name}")));
    }
    if st.plugins.contains_key(&full) {
        return Err(err(409, format!("plugin {full} already exists")));
    }
    let get = |k: &str| -> Value {
        config
            .as_object()
            .and_then(|o| o.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)))
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::Null)
    };
    let text = |k: &str| json!(get(k).as_str().unwrap_or(""));
    let env: Vec<Value> = get("env")
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let f = |k: &str| e.get(k).cloned().unwrap_or(Value::Null);
            json!({"Description": f("description").as_str().unwrap_or(""), "Name": f("name").as_str().unwrap_or(""),
                "Settable": f("settable"), "Value": f("value").as_str().unwrap_or("")})
        })
        .collect();
    let settings_env: Vec<String> = env
        .iter()
        .map(|e| format!("{}={}", e["Name"].as_str().unwrap_or(""), e["Value"].as_str().unwrap_or("")))
        .collect();
    let iface = get("interface");
    let id = sha256_hex(format!("{full}\n{}\n{}", st.clock_ms, String::from_utf8_lossy(tar).len()).as_bytes());
    let doc = json!({
        "Config": {
            "Args": {"Description": "", "Name": "", "Settable": null, "Value": null},
            "Description": text("description"), "DockerVersion": crate::http::ENGINE_VERSION,
            "Documentation": text("documentation"), "Entrypoint": get("entrypoint"), "Env": env,
            "Interface": {"Socket": iface.get("socket").cloned().unwrap_or(json!("")), "Types": iface.get("types").cloned().unwrap_or(json!([]))},
            "IpcHost": false, "Linux": {"AllowAllDevices": false, "Capabilities": null, "Devices": null},
            "Mounts": null, "Network": {"Type": get("network").get("type").cloned().unwrap_or(json!(""))},
            "PidHost": false, "PropagatedMount": "", "User": {}, "WorkDir": text("workdir"),
            "rootfs": {"diff_ids": [format!("sha256:{}", sha256_hex(tar))], "type": "layers"}
        },
        "Enabled": false, "Id": id, "Name": full, "PluginReference": full,
        "Settings": {"Args": [], "Devices": [], "Env": settings_env, "Mounts": []}
    });
    st.plugins.insert(full, doc);
    Ok(())
}

/// Enables or disables plugin `asked`: 500 when it already is, as dockerd.
pub(crate) fn enable(st: &mut State, asked: &str, on: bool) -> Result<(), ApiErr> {
    let key = find(st, asked)?;
    let p = st.plugins.get_mut(&key).ok_or_else(|| err(404, format!("plugin \"{asked}\" not found")))?;
    if p["Enabled"] == on {
        return Err(err(500, format!("plugin {key} is already {}", if on { "enabled" } else { "disabled" })));
    }
    p["Enabled"] = json!(on);
    Ok(())
}

/// Removes plugin `asked`; an enabled one only with `force`.
pub(crate) fn remove(st: &mut State, asked: &str, force: bool) -> Result<(), ApiErr> {
    let key = find(st, asked)?;
    if st.plugins[&key]["Enabled"] == true && !force {
        return Err(err(
            412,
            format!("plugin {key} is enabled: plugin must be disabled before removing, or use -f to force"),
        ));
    }
    st.plugins.remove(&key);
    Ok(())
}
