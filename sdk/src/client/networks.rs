//! The networks handle.

use super::Docker;
use crate::Result;
use crate::api::networks as api;
use crate::api::{
    NetworkCreateOptions, NetworkDisconnectOptions, NetworkFilters, NetworkInspectOptions, NetworkPruneFilters,
};
use crate::models::{EndpointSettings, Network, NetworkCreateResponse, NetworkPruneResponse};

/// Operations on networks: `docker.networks()`.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::api::NetworkCreateOptions;
/// use dockhand::models::EndpointSettings;
/// let created = docker.networks().create(NetworkCreateOptions::new("backend").label("app", "shop")).await?;
/// let net = docker.networks().get(&created.id);
/// net.connect_with("db", EndpointSettings::new().alias("database")).await?;
/// println!("{:?}", net.inspect().await?.containers);
/// net.disconnect("db").await?;
/// net.remove().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Networks {
    docker: Docker,
}

/// One network, by id or name: `docker.networks().get("backend")`.
#[derive(Debug, Clone)]
pub struct NetworkHandle {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The networks of this daemon.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::NetworkFilters;
    /// for net in docker.networks().list(NetworkFilters::new()).await? {
    ///     println!("{:12} {:8} {}", net.name, net.driver, net.scope);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn networks(&self) -> Networks {
        Networks { docker: self.clone() }
    }
}

impl Networks {
    /// A handle for the network with this id or name (sends nothing).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let net = docker.networks().get("backend").inspect().await?;
    /// for endpoint in net.containers.values() {
    ///     println!("{} {}", endpoint.name, endpoint.ipv4_address);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> NetworkHandle {
        NetworkHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /networks`: the networks matching `filters`. List entries have
    /// no `containers`; inspect a network for those.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::NetworkFilters;
    /// let custom = docker.networks().list(NetworkFilters::new().kind("custom").label("app=shop")).await?;
    /// let names: Vec<_> = custom.iter().map(|n| n.name.as_str()).collect();
    /// println!("{}", names.join(", "));
    /// # Ok(()) }
    /// ```
    pub fn list(&self, filters: NetworkFilters) -> impl Future<Output = Result<Vec<Network>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters)?).await }
    }

    /// `POST /networks/create`. A name already taken is a conflict
    /// ([`Error::is_conflict`](crate::Error::is_conflict)) on current
    /// daemons.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::NetworkCreateOptions;
    /// use dockhand::models::IpamConfig;
    /// let opts = NetworkCreateOptions::new("backend").subnet(IpamConfig::subnet("172.30.0.0/24"));
    /// let created = docker.networks().create(opts).await?;
    /// println!("network {}", created.id);
    /// # Ok(()) }
    /// ```
    pub fn create(
        &self,
        opts: NetworkCreateOptions,
    ) -> impl Future<Output = Result<NetworkCreateResponse>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::create(&opts)?).await }
    }

    /// `POST /networks/prune`: removes the networks no container uses that
    /// match `filters`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::NetworkPruneFilters;
    /// let pruned = docker.networks().prune(NetworkPruneFilters::new().until("24h")).await?;
    /// println!("removed {:?}", pruned.networks_deleted);
    /// # Ok(()) }
    /// ```
    pub fn prune(
        &self,
        filters: NetworkPruneFilters,
    ) -> impl Future<Output = Result<NetworkPruneResponse>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::prune(&filters)?).await }
    }
}

impl NetworkHandle {
    /// The id or name this handle was made with.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let net = docker.networks().get("backend");
    /// net.connect("web").await?;
    /// println!("web joined {}", net.id());
    /// # Ok(()) }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /networks/{id}`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let net = docker.networks().get("backend").inspect().await?;
    /// let subnets: Vec<_> = net.ipam.config.iter().filter_map(|c| c.subnet.as_deref()).collect();
    /// println!("{} ({}) subnets {subnets:?}", net.name, net.driver);
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<Network>> + Send + 'static {
        let this = self.clone();
        async move { this.inspect_with(NetworkInspectOptions::new()).await }
    }

    /// `GET /networks/{id}` with `verbose` or `scope`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::NetworkInspectOptions;
    /// // On a swarm manager: the overlay's services and tasks on every node.
    /// let net = docker.networks().get("ingress").inspect_with(NetworkInspectOptions::new().verbose(true)).await?;
    /// println!("{} on {}", net.name, net.scope);
    /// # Ok(()) }
    /// ```
    pub fn inspect_with(&self, opts: NetworkInspectOptions) -> impl Future<Output = Result<Network>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id, &opts)?).await }
    }

    /// `GET /networks/{id}` as the daemon's JSON, untyped: every field it
    /// sent, including those [`Network`] does not model. For tools that
    /// print or template the whole answer (`docker network inspect`,
    /// `--format`); use [`NetworkHandle::inspect`] to read fields.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let raw = docker.networks().get("bridge").inspect_raw().await?;
    /// println!("{}", raw["IPAM"]["Config"]);
    /// # Ok(()) }
    /// ```
    pub fn inspect_raw(&self) -> impl Future<Output = Result<serde_json::Value>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id, &NetworkInspectOptions::new())?).await }
    }

    /// `POST /networks/{id}/connect`: attaches a container (running or
    /// not) with the daemon's defaults.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.networks().get("backend").connect("web").await {
    ///     Err(e) if e.is_forbidden() || e.is_conflict() => println!("web is already on backend"),
    ///     other => other?,
    /// }
    /// # Ok(()) }
    /// ```
    pub fn connect(&self, container: &str) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let container = container.to_owned();
        async move { this.docker.send_empty(api::connect(&this.id, &container, None)?).await.map(drop) }
    }

    /// `POST /networks/{id}/connect` with the endpoint's settings: aliases,
    /// a static address.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::EndpointSettings;
    /// let endpoint = EndpointSettings::new().alias("db").ipv4_address("172.30.0.10");
    /// docker.networks().get("backend").connect_with("postgres", endpoint).await?;
    /// # Ok(()) }
    /// ```
    pub fn connect_with(
        &self,
        container: &str,
        endpoint: EndpointSettings,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let container = container.to_owned();
        async move { this.docker.send_empty(api::connect(&this.id, &container, Some(&endpoint))?).await.map(drop) }
    }

    /// `POST /networks/{id}/disconnect`: detaches a container.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// docker.networks().get("backend").disconnect("web").await?;
    /// # Ok(()) }
    /// ```
    pub fn disconnect(&self, container: &str) -> impl Future<Output = Result<()>> + Send + 'static {
        self.disconnect_with(container, NetworkDisconnectOptions::new())
    }

    /// `POST /networks/{id}/disconnect` with options: `force` detaches even
    /// a container that is gone or not running.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::NetworkDisconnectOptions;
    /// docker.networks().get("backend").disconnect_with("web", NetworkDisconnectOptions::new().force(true)).await?;
    /// # Ok(()) }
    /// ```
    pub fn disconnect_with(
        &self,
        container: &str,
        opts: NetworkDisconnectOptions,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let container = container.to_owned();
        async move { this.docker.send_empty(api::disconnect(&this.id, &container, &opts)?).await.map(drop) }
    }

    /// `DELETE /networks/{id}`. A network with containers attached is a
    /// conflict or a server error, depending on the daemon.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.networks().get("backend").remove().await {
    ///     Err(e) if e.is_conflict() || e.is_server_error() => println!("containers still use it"),
    ///     other => other?,
    /// }
    /// # Ok(()) }
    /// ```
    pub fn remove(&self) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::delete(&this.id)?).await.map(drop) }
    }
}
