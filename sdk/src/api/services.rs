//! `/services/...`, and the log options services and tasks share.

use super::networks::with_filters;
use crate::Result;
use crate::models::{AuthConfig, ObjectVersion, ServiceSpec};
use crate::request::{ApiRequest, Silence, segment};

typed_filters! {
    /// Filters of `GET /services`.
    ///
    /// ```
    /// use dockhand::api::ServiceFilters;
    /// let f = ServiceFilters::new().label("app=web").mode("replicated");
    /// assert_eq!(f.filters().get("mode"), ["replicated"]);
    /// ```
    pub struct ServiceFilters {
        /// Services whose id starts with this.
        id = "id",
        /// Services with this label (`key` or `key=value`).
        label = "label",
        /// `replicated` or `global`.
        mode = "mode",
        /// Services whose name starts with this.
        name = "name",
    }
}

/// `GET /services`; `status` adds running/desired task counts.
pub fn list(filters: &ServiceFilters, status: bool) -> Result<ApiRequest> {
    Ok(with_filters(ApiRequest::get("/services"), filters.filters())?.query_opt("status", status.then_some("true")))
}

/// `POST /services/create`, with credentials for the image's registry when
/// the nodes must pull it.
pub fn create(spec: &ServiceSpec, auth: Option<&AuthConfig>) -> Result<ApiRequest> {
    let image = spec.task_template.container_spec.as_ref().map(|c| c.image.as_str()).unwrap_or("");
    if image.is_empty() && spec.task_template.extra.get("PluginSpec").is_none() {
        return Err(crate::Error::invalid("service spec", "TaskTemplate.ContainerSpec.Image must be set"));
    }
    let mut req = ApiRequest::post("/services/create");
    if let Some(auth) = auth {
        req = super::images::with_auth(req, Some(auth))?;
    }
    req.json(spec)
}

/// Options of `GET /services/{id}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServiceInspectOptions {
    insert_defaults: bool,
}

impl ServiceInspectOptions {
    /// The spec as it was given.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fill in the values the daemon uses for fields left empty
    /// (`insertDefaults`, what `docker service inspect --pretty` shows).
    pub fn insert_defaults(mut self, yes: bool) -> Self {
        self.insert_defaults = yes;
        self
    }
}

/// `GET /services/{id}`; `insert_defaults` fills in the values the daemon
/// would use for fields left empty.
pub fn inspect(id: &str, opts: &ServiceInspectOptions) -> Result<ApiRequest> {
    Ok(ApiRequest::get(format!("/services/{}", segment("service id", id)?))
        .query_opt("insertDefaults", opts.insert_defaults.then_some("true")))
}

/// `DELETE /services/{id}`.
pub fn delete(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::delete(format!("/services/{}", segment("service id", id)?)))
}

/// Options of a service update besides the new spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceUpdateOptions {
    registry_auth_from: Option<String>,
    rollback: bool,
    auth: Option<AuthConfig>,
}

impl ServiceUpdateOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Where the registry credentials come from when none are given:
    /// `spec` or `previous-spec`.
    pub fn registry_auth_from(mut self, from: impl Into<String>) -> Self {
        self.registry_auth_from = Some(from.into());
        self
    }

    /// Rolls back to the previous spec instead (the spec sent is ignored
    /// by the daemon, but must still be valid).
    pub fn rollback(mut self, rollback: bool) -> Self {
        self.rollback = rollback;
        self
    }

    /// Credentials for the image's registry.
    pub fn auth(mut self, auth: AuthConfig) -> Self {
        self.auth = Some(auth);
        self
    }
}

/// `POST /services/{id}/update?version=N`. The spec replaces the whole
/// current spec: start from an inspect's `spec` and change it.
pub fn update(id: &str, version: ObjectVersion, spec: &ServiceSpec, opts: &ServiceUpdateOptions) -> Result<ApiRequest> {
    let mut req = ApiRequest::post(format!("/services/{}/update", segment("service id", id)?))
        .query("version", version.index)
        .query_opt("registryAuthFrom", opts.registry_auth_from.as_ref())
        .query_opt("rollback", opts.rollback.then_some("previous"));
    if let Some(auth) = &opts.auth {
        req = super::images::with_auth(req, Some(auth))?;
    }
    req.json(spec)
}

/// Options of `GET /services/{id}/logs` and `GET /tasks/{id}/logs`.
///
/// Neither stream is sent unless asked for: `stdout(true)`, `stderr(true)`
/// or [`SwarmLogsOptions::both`].
///
/// ```
/// use dockhand::api::SwarmLogsOptions;
/// let opts = SwarmLogsOptions::both().tail(10).timestamps(true);
/// let req = dockhand::api::services::logs("web", &opts)?;
/// assert_eq!(
///     req.path_and_query(dockhand::ApiVersion::MIN),
///     "/v1.41/services/web/logs?stdout=1&stderr=1&timestamps=1&tail=10"
/// );
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SwarmLogsOptions {
    follow: bool,
    stdout: bool,
    stderr: bool,
    details: bool,
    timestamps: bool,
    since: Option<i64>,
    tail: Option<String>,
}

impl SwarmLogsOptions {
    /// Nothing selected yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Standard output and standard error.
    pub fn both() -> Self {
        SwarmLogsOptions { stdout: true, stderr: true, ..Default::default() }
    }

    /// Keeps the stream open for new output.
    pub fn follow(mut self, on: bool) -> Self {
        self.follow = on;
        self
    }

    /// Includes standard output.
    pub fn stdout(mut self, on: bool) -> Self {
        self.stdout = on;
        self
    }

    /// Includes standard error.
    pub fn stderr(mut self, on: bool) -> Self {
        self.stderr = on;
        self
    }

    /// Adds the extra details (env, labels) given to the log driver.
    pub fn details(mut self, on: bool) -> Self {
        self.details = on;
        self
    }

    /// Prefixes each line with its time.
    pub fn timestamps(mut self, on: bool) -> Self {
        self.timestamps = on;
        self
    }

    /// Only output since this unix time.
    pub fn since(mut self, unix_seconds: i64) -> Self {
        self.since = Some(unix_seconds);
        self
    }

    /// Only the last `n` lines.
    pub fn tail(mut self, n: u64) -> Self {
        self.tail = Some(n.to_string());
        self
    }

    /// Whether lines start with their time (the decoder splits it off).
    pub fn has_timestamps(&self) -> bool {
        self.timestamps
    }
}

pub(crate) fn logs_request(path: String, opts: &SwarmLogsOptions) -> Result<ApiRequest> {
    if !opts.stdout && !opts.stderr {
        return Err(crate::Error::invalid("log options", "select stdout, stderr or both"));
    }
    let flag = |on: bool| on.then_some(1);
    let req = ApiRequest::get(path)
        .query_opt("follow", flag(opts.follow))
        .query_opt("stdout", flag(opts.stdout))
        .query_opt("stderr", flag(opts.stderr))
        .query_opt("details", flag(opts.details))
        .query_opt("timestamps", flag(opts.timestamps))
        .query_opt("since", opts.since)
        .query_opt("tail", opts.tail.as_ref());
    Ok(if opts.follow { req.silence(Silence::Long) } else { req })
}

/// `GET /services/{id}/logs`: the multiplexed log stream of all the
/// service's tasks.
pub fn logs(id: &str, opts: &SwarmLogsOptions) -> Result<ApiRequest> {
    logs_request(format!("/services/{}/logs", segment("service id", id)?), opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiVersion;
    use crate::models::ContainerSpec;

    #[test]
    fn request_shapes() {
        let spec = ServiceSpec::new("s", ContainerSpec::new("img"));
        let req = create(&spec, Some(&AuthConfig::password("r", "u", "p"))).unwrap();
        let http = req.into_http(ApiVersion::MIN).unwrap();
        assert!(http.headers().contains_key("x-registry-auth"));
        assert!(create(&ServiceSpec::default(), None).is_err());
        let req = update("s", ObjectVersion { index: 3 }, &spec, &ServiceUpdateOptions::new().rollback(true)).unwrap();
        assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/services/s/update?version=3&rollback=previous");
        assert!(logs("s", &SwarmLogsOptions::new()).is_err());
        assert_eq!(logs("s", &SwarmLogsOptions::both().follow(true)).unwrap().silence_kind(), Silence::Long);
        assert_eq!(
            list(&ServiceFilters::new(), true).unwrap().path_and_query(ApiVersion::MIN),
            "/v1.41/services?status=true"
        );
    }
}
