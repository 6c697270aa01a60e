//! The volumes handle.

use super::Docker;
use crate::api::volumes as api;
use crate::api::{VolumeCreateOptions, VolumeFilters, VolumePruneFilters, VolumeRemoveOptions};
use crate::models::{ClusterVolumeSpec, ObjectVersion, Volume, VolumeListResponse, VolumePruneResponse};
use crate::{ApiVersion, Error, Result};

/// Operations on volumes: `docker.volumes()`.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::api::{VolumeCreateOptions, VolumePruneFilters};
/// let v = docker.volumes().create(VolumeCreateOptions::new("pgdata").label("app", "db")).await?;
/// println!("{} at {}", v.name, v.mountpoint);
/// docker.volumes().get("pgdata").remove().await?;
/// let pruned = docker.volumes().prune(VolumePruneFilters::new().label("app=db").all(true)).await?;
/// println!("freed {} bytes", pruned.space_reclaimed);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Volumes {
    docker: Docker,
}

/// One volume, by name: `docker.volumes().get("pgdata")`.
#[derive(Debug, Clone)]
pub struct VolumeHandle {
    docker: Docker,
    name: String,
}

impl Docker {
    /// The volumes of this daemon.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::VolumeFilters;
    /// let answer = docker.volumes().list(VolumeFilters::new().dangling("true")).await?;
    /// println!("{} volumes no container uses", answer.volumes.len());
    /// # Ok(()) }
    /// ```
    pub fn volumes(&self) -> Volumes {
        Volumes { docker: self.clone() }
    }
}

impl Volumes {
    /// A handle for the volume with this name (sends nothing).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let data = docker.volumes().get("pgdata").inspect().await?;
    /// println!("{} ({}) at {}", data.name, data.driver, data.mountpoint);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, name: impl Into<String>) -> VolumeHandle {
        VolumeHandle { docker: self.docker.clone(), name: name.into() }
    }

    /// `GET /volumes`: the volumes matching `filters`, with the daemon's
    /// warnings.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::VolumeFilters;
    /// let answer = docker.volumes().list(VolumeFilters::new().label("app=db")).await?;
    /// answer.warnings.iter().for_each(|w| eprintln!("{w}"));
    /// let names: Vec<_> = answer.volumes.iter().map(|v| v.name.as_str()).collect();
    /// println!("{}", names.join(", "));
    /// # Ok(()) }
    /// ```
    pub fn list(&self, filters: VolumeFilters) -> impl Future<Output = Result<VolumeListResponse>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters)?).await }
    }

    /// `POST /volumes/create`. Creating a volume that exists with the same
    /// driver returns it unchanged.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::VolumeCreateOptions;
    /// // A tmpfs volume (`docker volume create --opt type=tmpfs --opt device=tmpfs`):
    /// let opts = VolumeCreateOptions::new("scratch").driver_opt("type", "tmpfs").driver_opt("device", "tmpfs");
    /// let volume = docker.volumes().create(opts).await?;
    /// println!("{} at {}", volume.name, volume.mountpoint);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, opts: VolumeCreateOptions) -> impl Future<Output = Result<Volume>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::create(&opts)?).await }
    }

    /// `POST /volumes/prune`: removes unused volumes matching `filters`
    /// (see [`VolumePruneFilters::all`] for named volumes on API 1.42+).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::VolumePruneFilters;
    /// let pruned = docker.volumes().prune(VolumePruneFilters::new().label_not("keep")).await?;
    /// println!("removed {} volumes, freed {} bytes", pruned.volumes_deleted.len(), pruned.space_reclaimed);
    /// # Ok(()) }
    /// ```
    pub fn prune(
        &self,
        filters: VolumePruneFilters,
    ) -> impl Future<Output = Result<VolumePruneResponse>> + Send + 'static {
        let this = self.clone();
        async move {
            let version = this.docker.api_version().await?;
            this.docker.send_json(api::prune(&filters, version)?).await
        }
    }
}

impl VolumeHandle {
    /// The name this handle was made with.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let volume = docker.volumes().get("pgdata");
    /// volume.remove().await?;
    /// println!("removed {}", volume.name());
    /// # Ok(()) }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `GET /volumes/{name}`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let volume = docker.volumes().get("pgdata").inspect().await?;
    /// println!("{} labels {:?} options {:?}", volume.mountpoint, volume.labels, volume.options);
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<Volume>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.name)?).await }
    }

    /// `GET /volumes/{name}` as the daemon's JSON, untyped: every field it
    /// sent, including those [`Volume`] does not model. For tools that
    /// print or template the whole answer (`docker volume inspect`,
    /// `--format`); use [`VolumeHandle::inspect`] to read fields.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let raw = docker.volumes().get("data").inspect_raw().await?;
    /// println!("{}", raw["Mountpoint"]);
    /// # Ok(()) }
    /// ```
    pub fn inspect_raw(&self) -> impl Future<Output = Result<serde_json::Value>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.name)?).await }
    }

    /// `PUT /volumes/{name}`: changes a cluster volume (API 1.42 and later;
    /// an older daemon gives [`Error::UnsupportedVersion`] without a
    /// request).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let handle = docker.volumes().get("shared-csi");
    /// if let Some(mut cluster) = handle.inspect().await?.cluster_volume {
    ///     cluster.spec.group = "db".into();
    ///     handle.update(cluster.version, cluster.spec).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn update(
        &self,
        version: ObjectVersion,
        spec: ClusterVolumeSpec,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move {
            let api_version = this.docker.api_version().await?;
            if api_version < ApiVersion::new(1, 42) {
                return Err(Error::UnsupportedVersion {
                    version: api_version.to_string(),
                    reason: "updating a volume needs API 1.42 (Docker 23) or later".into(),
                });
            }
            this.docker.send_empty(api::update(&this.name, version, &spec)?).await.map(drop)
        }
    }

    /// `DELETE /volumes/{name}`. A volume in use is a conflict
    /// ([`Error::is_conflict`](crate::Error::is_conflict)).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.volumes().get("pgdata").remove().await {
    ///     Err(e) if e.is_conflict() => println!("pgdata is still in use"),
    ///     other => other?,
    /// }
    /// # Ok(()) }
    /// ```
    pub fn remove(&self) -> impl Future<Output = Result<()>> + Send + 'static {
        self.remove_with(VolumeRemoveOptions::new())
    }

    /// `DELETE /volumes/{name}` with options: `force` removes it from the
    /// daemon even when its driver fails to.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::VolumeRemoveOptions;
    /// docker.volumes().get("pgdata").remove_with(VolumeRemoveOptions::new().force(true)).await?;
    /// # Ok(()) }
    /// ```
    pub fn remove_with(&self, opts: VolumeRemoveOptions) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::delete(&this.name, &opts)?).await.map(drop) }
    }
}
