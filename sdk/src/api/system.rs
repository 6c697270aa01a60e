//! `/_ping`, `/version`, `/info`, `/events`, `/system/df`, `/auth`.

use crate::Timestamp;
use http::HeaderMap;

use crate::models::{AuthConfig, EventType, Ping, SwarmStatus};
use crate::request::{ApiRequest, Silence};
use crate::{ApiVersion, Filters, Result};

/// `GET /_ping`. Sent without a version prefix: negotiation uses it.
pub fn ping() -> ApiRequest {
    ApiRequest::get("/_ping").unversioned()
}

/// `HEAD /_ping`: the same headers, no body.
pub fn ping_head() -> ApiRequest {
    ApiRequest::head("/_ping").unversioned()
}

/// Reads [`Ping`] from `/_ping`'s headers.
///
/// ```
/// let mut h = http::HeaderMap::new();
/// h.insert("api-version", "1.41".parse().unwrap());
/// h.insert("docker-experimental", "true".parse().unwrap());
/// h.insert("swarm", "active/worker".parse().unwrap());
/// let p = dockhand::api::system::parse_ping(&h);
/// assert_eq!(p.api_version.as_deref(), Some("1.41"));
/// assert!(p.experimental && !p.swarm.unwrap().manager);
/// ```
pub fn parse_ping(headers: &HeaderMap) -> Ping {
    use crate::headers::{API_VERSION, BUILDER_VERSION, DOCKER_EXPERIMENTAL, OSTYPE, SWARM};
    let text = |name: http::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    Ping {
        api_version: text(API_VERSION),
        os_type: text(OSTYPE),
        experimental: text(DOCKER_EXPERIMENTAL).is_some_and(|v| v.eq_ignore_ascii_case("true")),
        builder_version: text(BUILDER_VERSION).filter(|v| !v.is_empty()),
        swarm: text(SWARM).map(|v| SwarmStatus::parse(&v)),
    }
}

/// The API version a `/_ping` answer announces, if it has one.
pub fn announced_version(headers: &HeaderMap) -> Option<Result<ApiVersion>> {
    headers.get(crate::headers::API_VERSION).map(|v| v.to_str().unwrap_or("").parse())
}

/// `GET /version`.
pub fn version() -> ApiRequest {
    ApiRequest::get("/version")
}

/// `GET /info`.
pub fn info() -> ApiRequest {
    ApiRequest::get("/info")
}

/// Typed filters for `/events`.
///
/// ```
/// use dockhand::api::EventFilters;
/// use dockhand::models::EventType;
/// let f = EventFilters::new().event_type(EventType::Container).event("die").label("app=web");
/// assert_eq!(f.filters().get("event"), ["die"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilters(Filters);

impl EventFilters {
    /// No filters: every event.
    pub fn new() -> Self {
        Self::default()
    }

    fn add(mut self, key: &str, value: impl Into<String>) -> Self {
        self.0.push(key, value);
        self
    }

    /// Events about one kind of object.
    pub fn event_type(self, typ: EventType) -> Self {
        self.add("type", typ.as_str())
    }

    /// Events with this action (`start`, `die`, `pull`, ...).
    pub fn event(self, action: impl Into<String>) -> Self {
        self.add("event", action)
    }

    /// Events about this container (name or id).
    pub fn container(self, container: impl Into<String>) -> Self {
        self.add("container", container)
    }

    /// Events about this image (name or id).
    pub fn image(self, image: impl Into<String>) -> Self {
        self.add("image", image)
    }

    /// Events about this network.
    pub fn network(self, network: impl Into<String>) -> Self {
        self.add("network", network)
    }

    /// Events about this volume.
    pub fn volume(self, volume: impl Into<String>) -> Self {
        self.add("volume", volume)
    }

    /// Events about objects with this label (`key` or `key=value`).
    pub fn label(self, label: impl Into<String>) -> Self {
        self.add("label", label)
    }

    /// Events of this daemon (name or id).
    pub fn daemon(self, daemon: impl Into<String>) -> Self {
        self.add("daemon", daemon)
    }

    /// Local or swarm events.
    pub fn scope(self, scope: impl Into<String>) -> Self {
        self.add("scope", scope)
    }

    /// Any other filter, as the API spells it.
    pub fn other(self, key: &str, value: impl Into<String>) -> Self {
        self.add(key, value)
    }

    /// The filters as sent.
    pub fn filters(&self) -> &Filters {
        &self.0
    }
}

/// Options of `GET /events`.
///
/// Without `until` the stream follows new events until dropped; with it, the
/// daemon sends what happened up to then and ends the stream.
///
/// ```
/// use dockhand::Timestamp;
/// use dockhand::api::{EventsOptions, EventFilters};
/// use std::time::Duration;
/// let now = Timestamp::from_unix_timestamp(1_700_000_000).unwrap();
/// let opts = EventsOptions::new()
///     .since(now - Duration::from_secs(5 * 60))
///     .until(now)
///     .filters(EventFilters::new().container("web"));
/// let req = dockhand::api::system::events(&opts)?;
/// assert!(req.path_and_query(dockhand::ApiVersion::MIN).contains("since=1699999700.000000000"));
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventsOptions {
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    filters: EventFilters,
}

impl EventsOptions {
    /// Every new event, until the stream is dropped.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts with the events since this time.
    pub fn since(mut self, t: Timestamp) -> Self {
        self.since = Some(t);
        self
    }

    /// Ends the stream at this time.
    pub fn until(mut self, t: Timestamp) -> Self {
        self.until = Some(t);
        self
    }

    /// Only events matching these filters.
    pub fn filters(mut self, filters: EventFilters) -> Self {
        self.filters = filters;
        self
    }
}

/// `GET /events`.
pub fn events(opts: &EventsOptions) -> Result<ApiRequest> {
    let mut req = ApiRequest::get("/events")
        .query_opt("since", opts.since.map(Timestamp::api_text))
        .query_opt("until", opts.until.map(Timestamp::api_text));
    if !opts.filters.0.is_empty() {
        req = req.query_json("filters", &opts.filters.0)?;
    }
    // A followed event stream may be silent for hours.
    Ok(req.silence(Silence::Long))
}

string_enum! {
    /// An object type `/system/df` can report on.
    pub enum DfType {
        /// Containers.
        Container = "container",
        /// Images.
        Image = "image",
        /// Volumes.
        Volume = "volume",
        /// The build cache.
        BuildCache = "build-cache",
    }
}

/// Options of `GET /system/df`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DfOptions {
    types: Vec<DfType>,
    verbose: bool,
}

impl DfOptions {
    /// Everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these types (API 1.42 and later; older daemons report all).
    pub fn types(mut self, types: impl IntoIterator<Item = DfType>) -> Self {
        self.types = types.into_iter().collect();
        self
    }

    /// Item lists as well as totals (API 1.52 and later; older daemons
    /// always send item lists).
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }
}

/// `GET /system/df`.
pub fn df(opts: &DfOptions) -> ApiRequest {
    let mut req = ApiRequest::get("/system/df");
    // Version history v1.42: "`GET /system/df` now accepts query parameter `type`".
    for t in &opts.types {
        req = req.query_since(ApiVersion::new(1, 42), "type", t);
    }
    // v1.52: "The endpoint supports the `?verbose=1` query".
    if opts.verbose {
        req = req.query_since(ApiVersion::new(1, 52), "verbose", 1);
    }
    req
}

/// `POST /auth`: checks credentials with a registry.
pub fn auth(config: &AuthConfig) -> Result<ApiRequest> {
    ApiRequest::post("/auth").json(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_times_are_seconds_dot_nanos() {
        let t = Timestamp::from_unix_timestamp_nanos(1_700_000_000_000_000_123).unwrap();
        assert_eq!(t.api_text(), "1700000000.000000123");
        let before_epoch = Timestamp::from_unix_timestamp_nanos(-1_500_000_000).unwrap();
        assert_eq!(before_epoch.api_text(), "-2.500000000");
    }

    #[test]
    fn events_request_shape() {
        let opts = EventsOptions::new().filters(EventFilters::new().event_type(EventType::Container).event("start"));
        let req = events(&opts).unwrap();
        assert_eq!(req.silence_kind(), Silence::Long);
        assert_eq!(
            req.path_and_query(ApiVersion::MIN),
            "/v1.41/events?filters=%7B%22event%22%3A%5B%22start%22%5D%2C%22type%22%3A%5B%22container%22%5D%7D"
        );
    }

    #[test]
    fn df_drops_newer_parameters_for_old_daemons() {
        let req = df(&DfOptions::new().types([DfType::Image, DfType::BuildCache]).verbose(true));
        assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/system/df");
        assert_eq!(req.path_and_query(ApiVersion::MAX), "/v1.56/system/df?type=image&type=build-cache&verbose=1");
    }

    #[test]
    fn auth_body_uses_the_daemons_names() {
        let req = auth(&AuthConfig::password("localhost:5000", "u", "p")).unwrap();
        let http = req.into_http(ApiVersion::MIN).unwrap();
        let body = futures::executor::block_on(http.into_body().collect(1024)).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body, serde_json::json!({"username": "u", "password": "p", "serveraddress": "localhost:5000"}));
    }
}
