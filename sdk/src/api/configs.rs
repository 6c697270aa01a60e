//! `/configs/...`.

use super::networks::with_filters;
use crate::Result;
use crate::models::{ConfigSpec, ObjectVersion};
use crate::request::{ApiRequest, segment};

typed_filters! {
    /// Filters of `GET /configs`.
    ///
    /// ```
    /// use dockhand::api::ConfigFilters;
    /// assert_eq!(ConfigFilters::new().name("db").filters().get("name"), ["db"]);
    /// ```
    pub struct ConfigFilters {
        /// Configs whose id starts with this.
        id = "id",
        /// Configs with this label (`key` or `key=value`).
        label = "label",
        /// Configs with this name.
        name = "name",
            }
}

/// `GET /configs`.
pub fn list(filters: &ConfigFilters) -> Result<ApiRequest> {
    with_filters(ApiRequest::get("/configs"), filters.filters())
}

/// `POST /configs/create`.
pub fn create(spec: &ConfigSpec) -> Result<ApiRequest> {
    if spec.name.is_empty() {
        return Err(crate::Error::invalid("config name", "must not be empty"));
    }
    ApiRequest::post("/configs/create").json(spec)
}

/// `GET /configs/{id}`.
pub fn inspect(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(format!("/configs/{}", segment("config id", id)?)))
}

/// `DELETE /configs/{id}`.
pub fn delete(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::delete(format!("/configs/{}", segment("config id", id)?)))
}

/// `POST /configs/{id}/update?version=N` (only labels may change).
pub fn update(id: &str, version: ObjectVersion, spec: &ConfigSpec) -> Result<ApiRequest> {
    ApiRequest::post(format!("/configs/{}/update", segment("config id", id)?))
        .query("version", version.index)
        .json(spec)
}
