//! `/nodes/...`.

use super::networks::with_filters;
use crate::Result;
use crate::models::{NodeSpec, ObjectVersion};
use crate::request::{ApiRequest, segment};

typed_filters! {
    /// Filters of `GET /nodes`.
    ///
    /// ```
    /// use dockhand::api::NodeFilters;
    /// let f = NodeFilters::new().role("manager").membership("accepted");
    /// assert_eq!(f.filters().get("role"), ["manager"]);
    /// ```
    pub struct NodeFilters {
        /// Nodes whose id starts with this.
        id = "id",
        /// Nodes with this engine label.
        label = "label",
        /// Nodes with this node label (set by `node update`).
        node_label = "node.label",
        /// `accepted` or `pending`.
        membership = "membership",
        /// Nodes with this name.
        name = "name",
        /// `manager` or `worker`.
        role = "role",
    }
}

/// `GET /nodes`.
pub fn list(filters: &NodeFilters) -> Result<ApiRequest> {
    with_filters(ApiRequest::get("/nodes"), filters.filters())
}

/// `GET /nodes/{id}`.
pub fn inspect(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(format!("/nodes/{}", segment("node id", id)?)))
}

force_options! {
    /// Options of `DELETE /nodes/{id}`.
    NodeRemoveOptions, "Remove the node even while it is up."
}

/// `DELETE /nodes/{id}`; `force` removes a node that is still up.
pub fn delete(id: &str, opts: &NodeRemoveOptions) -> Result<ApiRequest> {
    Ok(ApiRequest::delete(format!("/nodes/{}", segment("node id", id)?))
        .query_opt("force", opts.is_force().then_some("true")))
}

/// `POST /nodes/{id}/update?version=N`.
pub fn update(id: &str, version: ObjectVersion, spec: &NodeSpec) -> Result<ApiRequest> {
    ApiRequest::post(format!("/nodes/{}/update", segment("node id", id)?)).query("version", version.index).json(spec)
}
