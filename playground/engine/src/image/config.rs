//! An image's config in the API's shape: the `Config` of `docker image
//! inspect` and the `config` of the archive's config document.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::state::ImageConfig;

/// `keys` as an object of empty objects (`ExposedPorts`, `Volumes`), or
/// null when there are none.
pub(crate) fn key_set(keys: &BTreeSet<String>) -> Value {
    if keys.is_empty() {
        return Value::Null;
    }
    Value::Object(keys.iter().map(|k| (k.clone(), Value::Object(Map::new()))).collect())
}

/// A list, or null when it is empty.
fn list_or_null(v: &[String]) -> Value {
    if v.is_empty() { Value::Null } else { json!(v) }
}

/// An image config in the API's shape.
pub(crate) fn image_config_json(c: &ImageConfig) -> Value {
    json!({
        "Hostname": "", "Domainname": "", "AttachStdin": false, "AttachStdout": false, "AttachStderr": false,
        "Tty": false, "OpenStdin": false, "StdinOnce": false, "Image": "", "OnBuild": null,
        "User": c.user,
        "ExposedPorts": key_set(&c.exposed_ports),
        "Env": c.env,
        "Cmd": list_or_null(&c.cmd),
        "Volumes": key_set(&c.volumes),
        "WorkingDir": c.workdir,
        "Entrypoint": list_or_null(&c.entrypoint),
        "Labels": if c.labels.is_empty() { Value::Null } else { json!(c.labels) },
    })
}
