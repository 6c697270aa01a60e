//! `/secrets/...`.

use super::networks::with_filters;
use crate::Result;
use crate::models::{ObjectVersion, SecretSpec};
use crate::request::{ApiRequest, segment};

typed_filters! {
    /// Filters of `GET /secrets`.
    ///
    /// ```
    /// use dockhand::api::SecretFilters;
    /// assert_eq!(SecretFilters::new().name("db").filters().get("name"), ["db"]);
    /// ```
    pub struct SecretFilters {
        /// Secrets whose id starts with this.
        id = "id",
        /// Secrets with this label (`key` or `key=value`).
        label = "label",
        /// Secrets with this name.
        name = "name",


    }
}

/// `GET /secrets`.
pub fn list(filters: &SecretFilters) -> Result<ApiRequest> {
    with_filters(ApiRequest::get("/secrets"), filters.filters())
}

/// `POST /secrets/create`.
pub fn create(spec: &SecretSpec) -> Result<ApiRequest> {
    if spec.name.is_empty() {
        return Err(crate::Error::invalid("secret name", "must not be empty"));
    }
    ApiRequest::post("/secrets/create").json(spec)
}

/// `GET /secrets/{id}`.
pub fn inspect(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(format!("/secrets/{}", segment("secret id", id)?)))
}

/// `DELETE /secrets/{id}`.
pub fn delete(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::delete(format!("/secrets/{}", segment("secret id", id)?)))
}

/// `POST /secrets/{id}/update?version=N` (only labels may change).
pub fn update(id: &str, version: ObjectVersion, spec: &SecretSpec) -> Result<ApiRequest> {
    ApiRequest::post(format!("/secrets/{}/update", segment("secret id", id)?))
        .query("version", version.index)
        .json(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_debug_hides_the_data() {
        let req = create(&SecretSpec::new("pw", "hunter2")).unwrap();
        let text = format!("{req:?}");
        assert!(!text.contains("aHVudGVyMg") && !text.contains("hunter2"), "{text}");
        assert!(create(&SecretSpec::default()).is_err());
    }
}
