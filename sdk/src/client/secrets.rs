//! The secrets handle.

use super::Docker;
use crate::Result;
use crate::api::SecretFilters;
use crate::api::secrets as api;
use crate::models::{ObjectVersion, Secret, SecretSpec};

/// The `{"ID": ...}` (or `{"Id": ...}`) answer of a create.
#[derive(serde::Deserialize)]
pub(crate) struct Created {
    #[serde(rename = "ID", alias = "Id")]
    pub(crate) id: String,
}

/// The swarm's secrets: `docker.secrets()`.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::models::SecretSpec;
/// let id = docker.secrets().create(SecretSpec::new("db-password", b"hunter2")).await?;
/// let secret = docker.secrets().get(&id).inspect().await?;
/// assert!(secret.spec.data.is_none(), "the daemon never returns a secret's data");
/// docker.secrets().get(&id).remove().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Secrets {
    docker: Docker,
}

/// One secret, by id or name.
#[derive(Debug, Clone)]
pub struct SecretHandle {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The secrets of the swarm this daemon manages.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::SecretFilters;
    /// for secret in docker.secrets().list(SecretFilters::new()).await? {
    ///     println!("{} {}", secret.id, secret.spec.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn secrets(&self) -> Secrets {
        Secrets { docker: self.clone() }
    }
}

impl Secrets {
    /// A handle for the secret with this id or name (sends nothing).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let secret = docker.secrets().get("db-password");
    /// println!("created {:?}", secret.inspect().await?.created_at);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> SecretHandle {
        SecretHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /secrets`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::SecretFilters;
    /// let secrets = docker.secrets().list(SecretFilters::new().label("app=db")).await?;
    /// let names: Vec<_> = secrets.iter().map(|s| s.spec.name.as_str()).collect();
    /// println!("{}", names.join(", "));
    /// # Ok(()) }
    /// ```
    pub fn list(&self, filters: SecretFilters) -> impl Future<Output = Result<Vec<Secret>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters)?).await }
    }

    /// `POST /secrets/create`; returns the new secret's id. A name already
    /// taken is a conflict.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::SecretSpec;
    /// let spec = SecretSpec::new("db-password", b"hunter2").label("app", "db");
    /// match docker.secrets().create(spec).await {
    ///     Ok(id) => println!("created secret {id}"),
    ///     Err(e) if e.is_conflict() => println!("db-password exists already"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create(&self, spec: SecretSpec) -> impl Future<Output = Result<String>> + Send + 'static {
        let this = self.clone();
        async move {
            let created: Created = this.docker.send_json(api::create(&spec)?).await?;
            Ok(created.id)
        }
    }
}

impl SecretHandle {
    /// The id or name this handle was made with.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let secret = docker.secrets().get("db-password");
    /// secret.remove().await?;
    /// println!("removed {}", secret.id());
    /// # Ok(()) }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /secrets/{id}` (without the data).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let secret = docker.secrets().get("db-password").inspect().await?;
    /// println!("{} {:?} labels {:?}", secret.spec.name, secret.updated_at, secret.spec.labels);
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<Secret>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id)?).await }
    }

    /// `POST /secrets/{id}/update`: only the labels may change; send the
    /// current spec (without data) with new labels.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let handle = docker.secrets().get("db-password");
    /// let secret = handle.inspect().await?;
    /// handle.update(secret.version, secret.spec.label("rotated", "2026-12")).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(
        &self,
        version: ObjectVersion,
        spec: SecretSpec,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::update(&this.id, version, &spec)?).await.map(drop) }
    }

    /// `DELETE /secrets/{id}`. A secret a service uses is a conflict or a
    /// bad request, depending on the daemon.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.secrets().get("db-password").remove().await {
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
