//! `/tasks/...`.

use super::networks::with_filters;
use super::services::{SwarmLogsOptions, logs_request};
use crate::Result;
use crate::request::{ApiRequest, segment};

typed_filters! {
    /// Filters of `GET /tasks`.
    ///
    /// ```
    /// use dockhand::api::TaskFilters;
    /// let f = TaskFilters::new().service("web").desired_state("running");
    /// assert_eq!(f.filters().get("service"), ["web"]);
    /// ```
    pub struct TaskFilters {
        /// `running`, `shutdown` or `accepted`.
        desired_state = "desired-state",
        /// Tasks whose id starts with this.
        id = "id",
        /// Tasks with this label.
        label = "label",
        /// Tasks with this name.
        name = "name",
        /// Tasks on this node.
        node = "node",
        /// Tasks of this service (name or id).
        service = "service",
    }
}

/// `GET /tasks`.
pub fn list(filters: &TaskFilters) -> Result<ApiRequest> {
    with_filters(ApiRequest::get("/tasks"), filters.filters())
}

/// `GET /tasks/{id}`.
pub fn inspect(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(format!("/tasks/{}", segment("task id", id)?)))
}

/// `GET /tasks/{id}/logs`.
pub fn logs(id: &str, opts: &SwarmLogsOptions) -> Result<ApiRequest> {
    logs_request(format!("/tasks/{}/logs", segment("task id", id)?), opts)
}
