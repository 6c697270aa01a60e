//! `/networks/...`.

use std::collections::HashMap;

use serde::Serialize;

use crate::models::{ConfigReference, EndpointSettings, Ipam};
use crate::request::{ApiRequest, BodyField, segment};
use crate::{ApiVersion, Filters, Result};

typed_filters! {
    /// Filters of `GET /networks`.
    ///
    /// ```
    /// use dockhand::api::NetworkFilters;
    /// let f = NetworkFilters::new().label("app=web").driver("bridge");
    /// assert_eq!(f.filters().get("driver"), ["bridge"]);
    /// ```
    pub struct NetworkFilters {
        /// Networks with this driver.
        driver = "driver",
        /// Networks whose id starts with this.
        id = "id",
        /// Networks with this label (`key` or `key=value`).
        label = "label",
        /// Networks whose name contains this.
        name = "name",
        /// `swarm`, `global` or `local`.
        scope = "scope",
        /// `custom` (user-defined) or `builtin`.
        kind = "type",
        /// `true`: networks no container uses; `false`: networks in use
        /// (API 1.50 and later).
        dangling = "dangling",
    }
}

typed_filters! {
    /// Filters of `POST /networks/prune`. Prune only ever removes unused
    /// networks; these narrow it further.
    ///
    /// ```
    /// use dockhand::api::NetworkPruneFilters;
    /// let f = NetworkPruneFilters::new().label("dockhand.test=1");
    /// assert_eq!(f.filters().get("label"), ["dockhand.test=1"]);
    /// ```
    pub struct NetworkPruneFilters {
        /// Networks with this label (`key` or `key=value`).
        label = "label",
        /// Networks without this label (`key` or `key=value`).
        label_not = "label!",
        /// Networks created before this time (unix seconds, or a duration
        /// such as `10m`).
        until = "until",
    }
}

/// `GET /networks`.
pub fn list(filters: &NetworkFilters) -> Result<ApiRequest> {
    with_filters(ApiRequest::get("/networks"), filters.filters())
}

pub(crate) fn with_filters(req: ApiRequest, filters: &Filters) -> Result<ApiRequest> {
    if filters.is_empty() { Ok(req) } else { req.query_json("filters", filters) }
}

/// Options of `GET /networks/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkInspectOptions {
    verbose: bool,
    scope: Option<String>,
}

impl NetworkInspectOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Includes the services and tasks of a swarm network, cluster-wide.
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// Looks the network up only in this scope (`swarm`, `global`, `local`).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }
}

/// `GET /networks/{id}`.
pub fn inspect(id: &str, opts: &NetworkInspectOptions) -> Result<ApiRequest> {
    Ok(ApiRequest::get(format!("/networks/{}", segment("network id", id)?))
        .query_opt("verbose", opts.verbose.then_some("true"))
        .query_opt("scope", opts.scope.as_ref()))
}

/// The body of `POST /networks/create`.
///
/// ```
/// use dockhand::api::NetworkCreateOptions;
/// use dockhand::models::IpamConfig;
/// let opts = NetworkCreateOptions::new("backend")
///     .driver("bridge")
///     .subnet(IpamConfig::subnet("172.30.0.0/24").gateway("172.30.0.1"))
///     .internal(true)
///     .label("app", "shop");
/// let req = dockhand::api::networks::create(&opts)?;
/// assert_eq!(req.path(), "/networks/create");
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkCreateOptions {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    driver: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    internal: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    attachable: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    ingress: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    config_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    config_from: Option<ConfigReference>,
    #[serde(rename = "IPAM", skip_serializing_if = "Option::is_none")]
    ipam: Option<Ipam>,
    #[serde(rename = "EnableIPv4", skip_serializing_if = "Option::is_none")]
    enable_ipv4: Option<bool>,
    #[serde(rename = "EnableIPv6", skip_serializing_if = "Option::is_none")]
    enable_ipv6: Option<bool>,
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    options: HashMap<String, String>,
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    labels: HashMap<String, String>,
}

impl NetworkCreateOptions {
    /// A network called `name` with the daemon's defaults (a `bridge` on a
    /// single daemon).
    pub fn new(name: impl Into<String>) -> Self {
        NetworkCreateOptions { name: name.into(), ..Default::default() }
    }

    /// The driver (`bridge`, `overlay`, `macvlan`, ...).
    pub fn driver(mut self, driver: impl Into<String>) -> Self {
        self.driver = Some(driver.into());
        self
    }

    /// The scope (`local`, `swarm`, `global`).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Cuts the network off from the outside: no default route.
    pub fn internal(mut self, internal: bool) -> Self {
        self.internal = internal;
        self
    }

    /// Lets standalone containers attach to a swarm network.
    pub fn attachable(mut self, attachable: bool) -> Self {
        self.attachable = attachable;
        self
    }

    /// Makes it the swarm's routing-mesh network.
    pub fn ingress(mut self, ingress: bool) -> Self {
        self.ingress = ingress;
        self
    }

    /// Makes it a configuration-only network.
    pub fn config_only(mut self, config_only: bool) -> Self {
        self.config_only = config_only;
        self
    }

    /// Takes the configuration from a config-only network.
    pub fn config_from(mut self, network: impl Into<String>) -> Self {
        self.config_from = Some(ConfigReference { network: network.into() });
        self
    }

    /// Sets the whole address management.
    pub fn ipam(mut self, ipam: Ipam) -> Self {
        self.ipam = Some(ipam);
        self
    }

    /// Adds an address pool (subnet, gateway, range) to the default IPAM
    /// driver.
    pub fn subnet(mut self, pool: crate::models::IpamConfig) -> Self {
        self.ipam.get_or_insert_with(Default::default).config.push(pool);
        self
    }

    /// Turns IPv4 on or off (API 1.48; not sent to older daemons, where
    /// IPv4 is always on). Turning it off needs a daemon with experimental
    /// features.
    pub fn enable_ipv4(mut self, on: bool) -> Self {
        self.enable_ipv4 = Some(on);
        self
    }

    /// Turns IPv6 on or off.
    pub fn enable_ipv6(mut self, on: bool) -> Self {
        self.enable_ipv6 = Some(on);
        self
    }

    /// Sets a driver option (`com.docker.network.bridge.name`, ...).
    pub fn option(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.insert(key.into(), value.into());
        self
    }

    /// Sets a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }
}

/// `POST /networks/create`.
pub fn create(opts: &NetworkCreateOptions) -> Result<ApiRequest> {
    if opts.name.is_empty() {
        return Err(crate::Error::invalid("network name", "must not be empty"));
    }
    ApiRequest::post("/networks/create").json_versioned(opts, CREATE_FIELDS, None)
}

/// Fields of the network create body newer than API 1.41 (moby's API
/// version history); older daemons do not get them.
pub static CREATE_FIELDS: &[BodyField] = &[BodyField::new(ApiVersion::new(1, 48), "EnableIPv4")];

/// Fields of the connect body newer than API 1.41 (moby's API version
/// history: `MacAddress` 1.44, applied by daemons from 1.54 on;
/// `GwPriority` 1.48); older daemons do not get them.
pub static CONNECT_FIELDS: &[BodyField] = &[
    BodyField::new(ApiVersion::new(1, 44), "EndpointConfig.MacAddress"),
    BodyField::new(ApiVersion::new(1, 48), "EndpointConfig.GwPriority"),
];

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ConnectBody<'a> {
    container: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint_config: Option<&'a EndpointSettings>,
}

/// `POST /networks/{id}/connect`: attaches a container, with aliases, a
/// static address, ... in `endpoint`.
pub fn connect(id: &str, container: &str, endpoint: Option<&EndpointSettings>) -> Result<ApiRequest> {
    if container.is_empty() {
        return Err(crate::Error::invalid("container id", "must not be empty"));
    }
    ApiRequest::post(format!("/networks/{}/connect", segment("network id", id)?)).json_versioned(
        &ConnectBody { container, endpoint_config: endpoint },
        CONNECT_FIELDS,
        None,
    )
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DisconnectBody<'a> {
    container: &'a str,
    force: bool,
}

force_options! {
    /// Options of `POST /networks/{id}/disconnect`.
    NetworkDisconnectOptions, "Disconnect even a container that is not running or whose endpoint is stale."
}

/// `POST /networks/{id}/disconnect`.
pub fn disconnect(id: &str, container: &str, opts: &NetworkDisconnectOptions) -> Result<ApiRequest> {
    if container.is_empty() {
        return Err(crate::Error::invalid("container id", "must not be empty"));
    }
    ApiRequest::post(format!("/networks/{}/disconnect", segment("network id", id)?))
        .json(&DisconnectBody { container, force: opts.is_force() })
}

/// `DELETE /networks/{id}`.
pub fn delete(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::delete(format!("/networks/{}", segment("network id", id)?)))
}

/// `POST /networks/prune`.
pub fn prune(filters: &NetworkPruneFilters) -> Result<ApiRequest> {
    with_filters(ApiRequest::post("/networks/prune"), filters.filters())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiVersion;
    use crate::models::IpamConfig;

    fn body(req: ApiRequest) -> serde_json::Value {
        let http = req.into_http(ApiVersion::MIN).unwrap();
        let bytes = futures::executor::block_on(http.into_body().collect(1 << 20)).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn create_body_uses_the_apis_names() {
        let opts = NetworkCreateOptions::new("n")
            .subnet(IpamConfig::subnet("10.9.0.0/24").gateway("10.9.0.1"))
            .internal(true)
            .attachable(true)
            .label("k", "v")
            .option("com.docker.network.bridge.enable_icc", "true");
        let v = body(create(&opts).unwrap());
        assert_eq!(v["Name"], "n");
        assert_eq!(v["Internal"], true);
        assert_eq!(v["Attachable"], true);
        assert_eq!(v["IPAM"]["Config"][0]["Subnet"], "10.9.0.0/24");
        assert_eq!(v["IPAM"]["Config"][0]["Gateway"], "10.9.0.1");
        assert_eq!(v["Labels"]["k"], "v");
        assert!(v.get("Driver").is_none() && v.get("EnableIPv6").is_none());
        assert!(create(&NetworkCreateOptions::new("")).is_err());
    }

    #[test]
    fn newer_body_fields_reach_only_daemons_that_know_them() {
        let at = |req: &ApiRequest, minor| req.json_body_for(ApiVersion::new(1, minor)).unwrap();
        let create = create(&NetworkCreateOptions::new("n").enable_ipv4(false)).unwrap();
        assert_eq!(at(&create, 48)["EnableIPv4"], false);
        assert!(at(&create, 47).get("EnableIPv4").is_none());
        assert!(body(create).get("EnableIPv4").is_none(), "a 1.41 daemon does not get it");

        let e = EndpointSettings::new().mac_address("02:42:ac:11:00:09").gw_priority(2);
        let connect = connect("n", "c", Some(&e)).unwrap();
        assert_eq!(
            at(&connect, 48)["EndpointConfig"],
            serde_json::json!({"MacAddress": "02:42:ac:11:00:09", "GwPriority": 2})
        );
        assert_eq!(at(&connect, 44)["EndpointConfig"], serde_json::json!({"MacAddress": "02:42:ac:11:00:09"}));
        assert_eq!(at(&connect, 43)["EndpointConfig"], serde_json::json!({}));
        assert_eq!(body(connect), serde_json::json!({"Container": "c", "EndpointConfig": {}}));
    }

    #[test]
    fn connect_and_disconnect_bodies() {
        let e = EndpointSettings::new().alias("db").ipv4_address("10.9.0.9");
        let v = body(connect("n", "c", Some(&e)).unwrap());
        assert_eq!(v["Container"], "c");
        assert_eq!(v["EndpointConfig"]["Aliases"][0], "db");
        assert_eq!(v["EndpointConfig"]["IPAMConfig"]["IPv4Address"], "10.9.0.9");
        let v = body(disconnect("n", "c", &NetworkDisconnectOptions::new().force(true)).unwrap());
        assert_eq!(v, serde_json::json!({"Container": "c", "Force": true}));
        assert!(connect("../x", "c", None).is_err());
        assert!(disconnect("n", "", &NetworkDisconnectOptions::new()).is_err());
    }

    #[test]
    fn paths_and_queries() {
        let req = inspect("my net", &NetworkInspectOptions::new().verbose(true).scope("local")).unwrap();
        assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/networks/my%20net?verbose=true&scope=local");
        let req = prune(&NetworkPruneFilters::new().label("a=b")).unwrap();
        assert_eq!(
            req.path_and_query(ApiVersion::MIN),
            "/v1.41/networks/prune?filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D"
        );
        assert_eq!(list(&NetworkFilters::new()).unwrap().path_and_query(ApiVersion::MIN), "/v1.41/networks");
        assert!(delete("..").is_err());
    }
}
