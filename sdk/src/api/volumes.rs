//! `/volumes/...`.

use std::collections::HashMap;

use serde::Serialize;

use super::networks::with_filters;
use crate::models::{ClusterVolumeSpec, ObjectVersion};
use crate::request::{ApiRequest, segment};
use crate::{ApiVersion, Filters, Result};

typed_filters! {
    /// Filters of `GET /volumes`.
    ///
    /// ```
    /// use dockhand::api::VolumeFilters;
    /// let f = VolumeFilters::new().label("app=db").dangling("true");
    /// assert_eq!(f.filters().get("dangling"), ["true"]);
    /// ```
    pub struct VolumeFilters {
        /// `true`: volumes no container uses; `false`: volumes in use.
        dangling = "dangling",
        /// Volumes of this driver.
        driver = "driver",
        /// Volumes with this label (`key` or `key=value`).
        label = "label",
        /// Volumes whose name contains this.
        name = "name",
    }
}

/// Filters of `POST /volumes/prune`. Prune only removes volumes no
/// container uses; these narrow it further.
///
/// Since API 1.42 the daemon prunes only anonymous volumes unless the `all`
/// filter is set; [`VolumePruneFilters::all`] sets it on those daemons and
/// is left out for older ones, which always consider every volume.
///
/// ```
/// use dockhand::api::VolumePruneFilters;
/// use dockhand::ApiVersion;
/// let f = VolumePruneFilters::new().label("dockhand.test=1").all(true);
/// assert_eq!(f.for_version(ApiVersion::MAX).get("all"), ["true"]);
/// assert!(f.for_version(ApiVersion::MIN).get("all").is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumePruneFilters {
    filters: Filters,
    all: bool,
}

impl VolumePruneFilters {
    /// No filters: unused anonymous volumes (API 1.42 and later), or all
    /// unused volumes (older).
    pub fn new() -> Self {
        Self::default()
    }

    /// Volumes with this label (`key` or `key=value`).
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.filters.push("label", label);
        self
    }

    /// Volumes without this label.
    pub fn label_not(mut self, label: impl Into<String>) -> Self {
        self.filters.push("label!", label);
        self
    }

    /// Named volumes as well as anonymous ones (API 1.42 and later; older
    /// daemons always include them).
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Any other filter, as the API spells it.
    pub fn other(mut self, key: &str, value: impl Into<String>) -> Self {
        self.filters.push(key, value);
        self
    }

    /// The filters as sent to a daemon speaking `version`.
    pub fn for_version(&self, version: ApiVersion) -> Filters {
        let mut f = self.filters.clone();
        if self.all && version >= ApiVersion::new(1, 42) {
            f.push("all", "true");
        }
        f
    }
}

/// `GET /volumes`.
pub fn list(filters: &VolumeFilters) -> Result<ApiRequest> {
    with_filters(ApiRequest::get("/volumes"), filters.filters())
}

/// The body of `POST /volumes/create`.
///
/// ```
/// use dockhand::api::VolumeCreateOptions;
/// let opts = VolumeCreateOptions::new("pgdata").label("app", "db").driver_opt("type", "tmpfs");
/// let req = dockhand::api::volumes::create(&opts)?;
/// assert_eq!(req.path(), "/volumes/create");
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VolumeCreateOptions {
    #[serde(skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    driver: Option<String>,
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    driver_opts: HashMap<String, String>,
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    labels: HashMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cluster_volume_spec: Option<ClusterVolumeSpec>,
}

impl VolumeCreateOptions {
    /// A volume called `name` (empty: the daemon picks a random name).
    pub fn new(name: impl Into<String>) -> Self {
        VolumeCreateOptions { name: name.into(), ..Default::default() }
    }

    /// The driver (`local` by default).
    pub fn driver(mut self, driver: impl Into<String>) -> Self {
        self.driver = Some(driver.into());
        self
    }

    /// A driver option (for `local`: `type`, `device`, `o`).
    pub fn driver_opt(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.driver_opts.insert(key.into(), value.into());
        self
    }

    /// Sets a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Makes it a cluster (CSI) volume (API 1.42 and later, swarm managers).
    pub fn cluster_volume_spec(mut self, spec: ClusterVolumeSpec) -> Self {
        self.cluster_volume_spec = Some(spec);
        self
    }
}

/// `POST /volumes/create`.
pub fn create(opts: &VolumeCreateOptions) -> Result<ApiRequest> {
    ApiRequest::post("/volumes/create").json(opts)
}

/// `GET /volumes/{name}`.
pub fn inspect(name: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(format!("/volumes/{}", segment("volume name", name)?)))
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateBody<'a> {
    spec: &'a ClusterVolumeSpec,
}

/// `PUT /volumes/{name}?version=N`: changes a cluster volume (API 1.42 and
/// later).
pub fn update(name: &str, version: ObjectVersion, spec: &ClusterVolumeSpec) -> Result<ApiRequest> {
    ApiRequest::put(format!("/volumes/{}", segment("volume name", name)?))
        .query("version", version.index)
        .json(&UpdateBody { spec })
}

force_options! {
    /// Options of `DELETE /volumes/{name}`.
    VolumeRemoveOptions, "Remove it from the daemon even when its driver fails to."
}

/// `DELETE /volumes/{name}`; `force` also removes it from a driver that
/// cannot be reached.
pub fn delete(name: &str, opts: &VolumeRemoveOptions) -> Result<ApiRequest> {
    Ok(ApiRequest::delete(format!("/volumes/{}", segment("volume name", name)?))
        .query_opt("force", opts.is_force().then_some("true")))
}

/// `POST /volumes/prune` for a daemon speaking `version`.
pub fn prune(filters: &VolumePruneFilters, version: ApiVersion) -> Result<ApiRequest> {
    with_filters(ApiRequest::post("/volumes/prune"), &filters.for_version(version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_shapes() {
        let req = create(&VolumeCreateOptions::new("v").label("a", "b")).unwrap();
        let http = req.into_http(ApiVersion::MIN).unwrap();
        let bytes = futures::executor::block_on(http.into_body().collect(1024)).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body, serde_json::json!({"Name": "v", "Labels": {"a": "b"}}));
        assert_eq!(
            delete("v", &VolumeRemoveOptions::new().force(true)).unwrap().path_and_query(ApiVersion::MIN),
            "/v1.41/volumes/v?force=true"
        );
        assert_eq!(
            delete("v", &VolumeRemoveOptions::new()).unwrap().path_and_query(ApiVersion::MIN),
            "/v1.41/volumes/v"
        );
        let up = update("v", ObjectVersion { index: 7 }, &ClusterVolumeSpec::default()).unwrap();
        assert_eq!(up.path_and_query(ApiVersion::MAX), "/v1.56/volumes/v?version=7");
        assert!(inspect("a/../b").is_err());
    }

    #[test]
    fn prune_all_only_for_newer_daemons() {
        let f = VolumePruneFilters::new().label("x").all(true);
        let old = prune(&f, ApiVersion::MIN).unwrap().path_and_query(ApiVersion::MIN);
        assert!(!old.contains("all"), "{old}");
        let new = prune(&f, ApiVersion::MAX).unwrap().path_and_query(ApiVersion::MAX);
        assert!(new.contains("%22all%22%3A%5B%22true%22%5D"), "{new}");
    }
}
