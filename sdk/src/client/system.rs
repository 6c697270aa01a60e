//! Methods for the daemon as a whole.

use futures::stream::BoxStream;

use super::Docker;
use crate::api::system as api;
use crate::api::{DfOptions, EventsOptions};
use crate::models::{AuthConfig, AuthResponse, Event, Info, Ping, SystemDf, Version};
use crate::{ApiVersion, Result};

impl Docker {
    /// `GET /_ping`: checks that the daemon answers, and reads what its
    /// headers say (API version, OS type, experimental, builder, swarm).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let ping = docker.ping().await?;
    /// println!("API {:?} on {:?}", ping.api_version, ping.os_type);
    /// # Ok(()) }
    /// ```
    pub fn ping(&self) -> impl Future<Output = Result<Ping>> + Send + 'static {
        let this = self.clone();
        async move { this.ping_with(api::ping()).await }
    }

    /// `HEAD /_ping`: the same as [`Docker::ping`] without a body.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// // A cheap liveness check, as a health probe would do it.
    /// let alive = docker.ping_head().await.is_ok();
    /// println!("daemon {}", if alive { "up" } else { "down" });
    /// # Ok(()) }
    /// ```
    pub fn ping_head(&self) -> impl Future<Output = Result<Ping>> + Send + 'static {
        let this = self.clone();
        async move { this.ping_with(api::ping_head()).await }
    }

    async fn ping_with(&self, request: crate::request::ApiRequest) -> Result<Ping> {
        // Pinging must work before (and without) negotiation.
        let version = self.shared.pinned.unwrap_or(ApiVersion::MIN);
        let response = super::check_status(self.execute(request, version).await?).await?;
        Ok(api::parse_ping(response.headers()))
    }

    /// `GET /version`: the daemon's version and its components'.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let v = docker.version().await?;
    /// println!("Docker {} (API {}) on {}/{}", v.version, v.api_version, v.os, v.arch);
    /// # Ok(()) }
    /// ```
    pub fn version(&self) -> impl Future<Output = Result<Version>> + Send + 'static {
        let this = self.clone();
        async move { this.send_json(api::version()).await }
    }

    /// `GET /version` as the daemon's JSON, untouched: for templates over
    /// the whole document (`docker version --format`). Prefer
    /// [`Docker::version`] to read fields.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let raw = docker.version_raw().await?;
    /// println!("API {}", raw["ApiVersion"]);
    /// # Ok(()) }
    /// ```
    pub fn version_raw(&self) -> impl Future<Output = Result<serde_json::Value>> + Send + 'static {
        let this = self.clone();
        async move { this.send_json(api::version()).await }
    }

    /// `GET /info`: the daemon's configuration and object counts.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let info = docker.info().await?;
    /// println!("{} containers ({} running), {} images", info.containers, info.containers_running, info.images);
    /// println!("{} CPUs, {} bytes of memory, storage driver {}", info.ncpu, info.mem_total, info.driver);
    /// # Ok(()) }
    /// ```
    pub fn info(&self) -> impl Future<Output = Result<Info>> + Send + 'static {
        let this = self.clone();
        async move { this.send_json(api::info()).await }
    }

    /// `GET /info` as the daemon's JSON, untouched: for templates over the
    /// whole document (`docker info --format`) and fields [`Info`] does not
    /// model. Prefer [`Docker::info`] to read fields.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let raw = docker.info_raw().await?;
    /// println!("{} containers", raw["Containers"]);
    /// # Ok(()) }
    /// ```
    pub fn info_raw(&self) -> impl Future<Output = Result<serde_json::Value>> + Send + 'static {
        let this = self.clone();
        async move { this.send_json(api::info()).await }
    }

    /// `GET /events`: a stream of what happens on the daemon.
    ///
    /// Without `until`, the stream follows new events until it is dropped
    /// (and never times out for silence); with it, the stream ends at that
    /// time.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::{EventsOptions, EventFilters};
    /// use dockhand::models::EventType;
    /// use futures::StreamExt;
    /// let mut events = docker.events(
    ///     EventsOptions::new().filters(EventFilters::new().event_type(EventType::Container)),
    /// );
    /// while let Some(event) = events.next().await {
    ///     let event = event?;
    ///     println!("{} {} {}", event.typ, event.action, event.actor.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn events(&self, opts: EventsOptions) -> BoxStream<'static, Result<Event>> {
        self.send_json_stream(api::events(&opts), "event stream")
    }

    /// `GET /system/df`: disk usage by images, containers, volumes and the
    /// build cache.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::{DfOptions, DfType};
    /// let df = docker.df(DfOptions::new().types([DfType::Image])).await?;
    /// let total: i64 = df.images().iter().map(|i| i.size).sum();
    /// println!("{} images use {total} bytes", df.images().len());
    /// # Ok(()) }
    /// ```
    pub fn df(&self, opts: DfOptions) -> impl Future<Output = Result<SystemDf>> + Send + 'static {
        let this = self.clone();
        async move { this.send_json(api::df(&opts)).await }
    }

    /// `POST /auth`: checks credentials with a registry through the daemon.
    /// A wrong password is an error for which
    /// [`Error::is_unauthorized`](crate::Error::is_unauthorized) holds.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::AuthConfig;
    /// let creds = AuthConfig::password("registry.example.com", "alice", "s3cret");
    /// match docker.auth(&creds).await {
    ///     Ok(answer) => println!("{}", answer.status),
    ///     Err(e) if e.is_unauthorized() => println!("wrong user name or password"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn auth(&self, config: &AuthConfig) -> impl Future<Output = Result<AuthResponse>> + Send + 'static {
        let this = self.clone();
        let config = config.clone();
        async move {
            let config = &config;
            this.send_json(api::auth(config)?).await
        }
    }
}
