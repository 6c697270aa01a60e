//! The configs handle.

use super::Docker;
use super::secrets::Created;
use crate::Result;
use crate::api::ConfigFilters;
use crate::api::configs as api;
use crate::models::{Config, ConfigSpec, ObjectVersion};

/// The swarm's configs: `docker.configs()`.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::models::ConfigSpec;
/// let id = docker.configs().create(ConfigSpec::new("app.toml", "port = 80\n")).await?;
/// let config = docker.configs().get(&id).inspect().await?;
/// assert_eq!(config.spec.decoded_data().unwrap(), b"port = 80\n");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Configs {
    docker: Docker,
}

/// One config, by id or name.
#[derive(Debug, Clone)]
pub struct ConfigHandle {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The configs of the swarm this daemon manages.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ConfigFilters;
    /// for config in docker.configs().list(ConfigFilters::new()).await? {
    ///     println!("{} {}", config.id, config.spec.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn configs(&self) -> Configs {
        Configs { docker: self.clone() }
    }
}

impl Configs {
    /// A handle for the config with this id or name (sends nothing).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let config = docker.configs().get("app.toml");
    /// let data = config.inspect().await?.spec.decoded_data().unwrap_or_default();
    /// println!("{}", String::from_utf8_lossy(&data));
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> ConfigHandle {
        ConfigHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /configs`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ConfigFilters;
    /// let configs = docker.configs().list(ConfigFilters::new().label("app=web")).await?;
    /// let names: Vec<_> = configs.iter().map(|c| c.spec.name.as_str()).collect();
    /// println!("{}", names.join(", "));
    /// # Ok(()) }
    /// ```
    pub fn list(&self, filters: ConfigFilters) -> impl Future<Output = Result<Vec<Config>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters)?).await }
    }

    /// `POST /configs/create`; returns the new config's id.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::ConfigSpec;
    /// let spec = ConfigSpec::new("app.toml", "port = 80\n").label("app", "web");
    /// let id = docker.configs().create(spec).await?;
    /// println!("created config {id}");
    /// # Ok(()) }
    /// ```
    pub fn create(&self, spec: ConfigSpec) -> impl Future<Output = Result<String>> + Send + 'static {
        let this = self.clone();
        async move {
            let created: Created = this.docker.send_json(api::create(&spec)?).await?;
            Ok(created.id)
        }
    }
}

impl ConfigHandle {
    /// The id or name this handle was made with.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let config = docker.configs().get("app.toml");
    /// config.remove().await?;
    /// println!("removed {}", config.id());
    /// # Ok(()) }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /configs/{id}` (with the data).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let config = docker.configs().get("app.toml").inspect().await?;
    /// let data = config.spec.decoded_data().unwrap_or_default();
    /// println!("{} (v{}): {}", config.spec.name, config.version.index, String::from_utf8_lossy(&data));
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<Config>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id)?).await }
    }

    /// `POST /configs/{id}/update`: only the labels may change; send the
    /// current spec with new labels.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let handle = docker.configs().get("app.toml");
    /// let config = handle.inspect().await?;
    /// handle.update(config.version, config.spec.label("env", "prod")).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(
        &self,
        version: ObjectVersion,
        spec: ConfigSpec,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::update(&this.id, version, &spec)?).await.map(drop) }
    }

    /// `DELETE /configs/{id}`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.configs().get("app.toml").remove().await {
    ///     Err(e) if e.is_not_found() => println!("already gone"),
    ///     other => other?,
    /// }
    /// # Ok(()) }
    /// ```
    pub fn remove(&self) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::delete(&this.id)?).await.map(drop) }
    }
}
