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
    pub fn configs(&self) -> Configs {
        Configs { docker: self.clone() }
    }
}

impl Configs {
    /// A handle for the config with this id or name (sends nothing).
    pub fn get(&self, id: impl Into<String>) -> ConfigHandle {
        ConfigHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /configs`.
    pub async fn list(&self, filters: ConfigFilters) -> Result<Vec<Config>> {
        self.docker.send_json(api::list(&filters)?).await
    }

    /// `POST /configs/create`; returns the new config's id.
    pub async fn create(&self, spec: ConfigSpec) -> Result<String> {
        let created: Created = self.docker.send_json(api::create(&spec)?).await?;
        Ok(created.id)
    }
}

impl ConfigHandle {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /configs/{id}` (with the data).
    pub async fn inspect(&self) -> Result<Config> {
        self.docker.send_json(api::inspect(&self.id)?).await
    }

    /// `POST /configs/{id}/update`: only the labels may change; send the
    /// current spec with new labels.
    pub async fn update(&self, version: ObjectVersion, spec: ConfigSpec) -> Result<()> {
        self.docker.send_empty(api::update(&self.id, version, &spec)?).await.map(drop)
    }

    /// `DELETE /configs/{id}`.
    pub async fn remove(&self) -> Result<()> {
        self.docker.send_empty(api::delete(&self.id)?).await.map(drop)
    }
}
