//! JSON request bodies whose fields depend on the API version.
//!
//! A query parameter newer than the daemon is left out by
//! [`ApiRequest::query_since`](crate::request::ApiRequest::query_since); a
//! body field is left out the same way. An endpoint whose body has fields
//! that API versions after [`ApiVersion::MIN`] introduced declares them in a
//! table of [`BodyField`]s and sets its body with
//! [`ApiRequest::json_versioned`](crate::request::ApiRequest::json_versioned).
//! The body is kept as JSON until the version is negotiated, then each
//! field the daemon's version does not know is removed (with a `tracing`
//! warning, as for query parameters) before it is serialized. The versions
//! come from moby's API version history (`api/docs/CHANGELOG.md`).
//!
//! ```
//! use dockhand::{ApiVersion, request::{ApiRequest, BodyField}};
//! static FIELDS: &[BodyField] = &[BodyField::new(ApiVersion::new(1, 44), "Healthcheck.StartInterval")];
//! let body = serde_json::json!({"Image": "app", "Healthcheck": {"Interval": 5, "StartInterval": 1}});
//! let req = ApiRequest::post("/containers/create").json_versioned(&body, FIELDS, None)?;
//! assert_eq!(req.json_body_for(ApiVersion::MIN).unwrap()["Healthcheck"], serde_json::json!({"Interval": 5}));
//! assert_eq!(req.json_body_for(ApiVersion::MAX).unwrap(), body);
//! # Ok::<(), dockhand::Error>(())
//! ```

use serde_json::Value;

use crate::ApiVersion;

/// A field of a JSON request body that API `since` introduced: it is sent
/// only to daemons speaking `since` or later.
///
/// `path` names the field from the body's root with `.` between keys; `*`
/// stands for every element of an array or every value of an object
/// (`NetworkingConfig.EndpointsConfig.*.GwPriority`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyField {
    /// The version that introduced the field.
    pub since: ApiVersion,
    /// Where it is, as `Key.Key.*.Key`.
    pub path: &'static str,
}

impl BodyField {
    /// A field at `path` that API `since` introduced.
    pub const fn new(since: ApiVersion, path: &'static str) -> Self {
        BodyField { since, path }
    }
}

/// A change of a body for an older version that removal alone does not
/// express (moving a field to where older daemons read it). It runs before
/// the fields are removed.
pub type BodyAdapter = fn(&mut Value, ApiVersion);

/// A JSON body not yet tied to a version.
#[derive(Debug, Clone)]
pub(crate) struct VersionedJson {
    pub(crate) value: Value,
    pub(crate) fields: &'static [BodyField],
    pub(crate) adapt: Option<BodyAdapter>,
}

impl VersionedJson {
    /// The body a daemon speaking `version` receives.
    pub(crate) fn for_version(&self, version: ApiVersion) -> Value {
        let mut value = self.value.clone();
        if let Some(adapt) = self.adapt {
            adapt(&mut value, version);
        }
        for field in self.fields.iter().filter(|f| version < f.since) {
            let parts: Vec<&str> = field.path.split('.').collect();
            if remove(&mut value, &parts) {
                tracing::warn!(
                    field = field.path,
                    since = %field.since,
                    daemon = %version,
                    "not sending a body field the daemon's API version does not know"
                );
            }
        }
        value
    }
}

/// Removes every field `parts` names under `value`; whether one was there.
fn remove(value: &mut Value, parts: &[&str]) -> bool {
    let Some((first, rest)) = parts.split_first() else { return false };
    match (value, *first) {
        (Value::Object(map), "*") => map.values_mut().fold(false, |any, v| remove(v, rest) | any),
        (Value::Array(items), "*") => items.iter_mut().fold(false, |any, v| remove(v, rest) | any),
        (Value::Object(map), key) if rest.is_empty() => map.remove(key).is_some(),
        (Value::Object(map), key) => map.get_mut(key).is_some_and(|v| remove(v, rest)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const V1_44: ApiVersion = ApiVersion::new(1, 44);
    const V1_48: ApiVersion = ApiVersion::new(1, 48);

    static FIELDS: &[BodyField] = &[
        BodyField::new(V1_44, "HostConfig.Mounts.*.BindOptions.ReadOnlyNonRecursive"),
        BodyField::new(V1_48, "NetworkingConfig.EndpointsConfig.*.GwPriority"),
        BodyField::new(V1_48, "EnableIPv4"),
    ];

    fn body() -> Value {
        json!({
            "EnableIPv4": false,
            "HostConfig": {"Mounts": [
                {"Type": "bind", "BindOptions": {"ReadOnlyNonRecursive": true, "Propagation": "rslave"}},
                {"Type": "tmpfs"},
            ]},
            "NetworkingConfig": {"EndpointsConfig": {"a": {"GwPriority": 1, "Aliases": ["x"]}, "b": {"GwPriority": 2}}},
        })
    }

    #[test]
    fn fields_are_removed_below_their_version_only() {
        let v = VersionedJson { value: body(), fields: FIELDS, adapt: None };
        assert_eq!(v.for_version(ApiVersion::MAX), body());
        assert_eq!(v.for_version(V1_48), body());
        let old = v.for_version(ApiVersion::MIN);
        assert_eq!(
            old,
            json!({
                "HostConfig": {"Mounts": [{"Type": "bind", "BindOptions": {"Propagation": "rslave"}}, {"Type": "tmpfs"}]},
                "NetworkingConfig": {"EndpointsConfig": {"a": {"Aliases": ["x"]}, "b": {}}},
            })
        );
        let mid = v.for_version(V1_44);
        assert!(
            mid["EnableIPv4"].is_null() && mid["NetworkingConfig"]["EndpointsConfig"]["a"].get("GwPriority").is_none()
        );
        assert_eq!(mid["HostConfig"]["Mounts"][0]["BindOptions"]["ReadOnlyNonRecursive"], true);
    }

    #[test]
    fn missing_paths_and_other_shapes_are_left_alone() {
        let v = VersionedJson {
            value: json!({"HostConfig": {"Mounts": null}, "EnableIPv4": 1}),
            fields: FIELDS,
            adapt: None,
        };
        assert_eq!(v.for_version(ApiVersion::MIN), json!({"HostConfig": {"Mounts": null}}));
        let v = VersionedJson { value: json!([1, 2]), fields: FIELDS, adapt: None };
        assert_eq!(v.for_version(ApiVersion::MIN), json!([1, 2]));
    }

    #[test]
    fn the_adapter_runs_before_removal() {
        fn adapt(value: &mut Value, version: ApiVersion) {
            if version < V1_48 {
                value["Moved"] = value["EnableIPv4"].clone();
            }
        }
        let v = VersionedJson { value: json!({"EnableIPv4": true}), fields: FIELDS, adapt: Some(adapt) };
        assert_eq!(v.for_version(ApiVersion::MIN), json!({"Moved": true}));
        assert_eq!(v.for_version(V1_48), json!({"EnableIPv4": true}));
    }
}
