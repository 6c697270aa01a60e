//! The services handle.

use bytes::Bytes;
use futures::stream::BoxStream;

use super::Docker;
use crate::Result;
use crate::api::services as api;
use crate::api::{ServiceFilters, ServiceUpdateOptions, SwarmLogsOptions};
use crate::models::{AuthConfig, ObjectVersion, Service, ServiceCreateResponse, ServiceSpec, ServiceUpdateResponse};

/// The swarm's services: `docker.services()`.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::api::ServiceUpdateOptions;
/// use dockhand::models::{ContainerSpec, ServiceSpec};
/// let spec = ServiceSpec::new("web", ContainerSpec::new("nginx:alpine")).replicas(2).publish(8080, 80);
/// let created = docker.services().create(spec, None).await?;
/// let web = docker.services().get(&created.id);
/// // Scale: start from the current spec, change it, name the version.
/// let current = web.inspect().await?;
/// web.update(current.version, current.spec.replicas(3), ServiceUpdateOptions::new()).await?;
/// web.remove().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Services {
    docker: Docker,
}

/// One service, by id or name.
#[derive(Debug, Clone)]
pub struct ServiceHandle {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The services of the swarm this daemon manages.
    pub fn services(&self) -> Services {
        Services { docker: self.clone() }
    }
}

impl Services {
    /// A handle for the service with this id or name (sends nothing).
    pub fn get(&self, id: impl Into<String>) -> ServiceHandle {
        ServiceHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /services`.
    pub async fn list(&self, filters: ServiceFilters) -> Result<Vec<Service>> {
        self.docker.send_json(api::list(&filters, false)?).await
    }

    /// `GET /services?status=true`: with running and desired task counts
    /// in `service_status`.
    pub async fn list_with_status(&self, filters: ServiceFilters) -> Result<Vec<Service>> {
        self.docker.send_json(api::list(&filters, true)?).await
    }

    /// `POST /services/create`, with credentials for the image's registry
    /// if the nodes must pull it. An image no registry has is used as is
    /// (with a warning in the answer): fine on a single node that has it.
    pub async fn create(&self, spec: ServiceSpec, auth: Option<&AuthConfig>) -> Result<ServiceCreateResponse> {
        self.docker.send_json(api::create(&spec, auth)?).await
    }
}

impl ServiceHandle {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /services/{id}`.
    pub async fn inspect(&self) -> Result<Service> {
        self.docker.send_json(api::inspect(&self.id, false)?).await
    }

    /// `GET /services/{id}?insertDefaults=true`: with the values the daemon
    /// uses for fields left empty.
    pub async fn inspect_with_defaults(&self) -> Result<Service> {
        self.docker.send_json(api::inspect(&self.id, true)?).await
    }

    /// `POST /services/{id}/update`: replaces the spec. `version` must be the
    /// service's current one (a stale one is an error, so concurrent
    /// updates cannot silently overwrite each other).
    pub async fn update(
        &self,
        version: ObjectVersion,
        spec: ServiceSpec,
        opts: ServiceUpdateOptions,
    ) -> Result<ServiceUpdateResponse> {
        self.docker.send_json(api::update(&self.id, version, &spec, &opts)?).await
    }

    /// `DELETE /services/{id}`: removes the service and its tasks.
    pub async fn remove(&self) -> Result<()> {
        self.docker.send_empty(api::delete(&self.id)?).await.map(drop)
    }

    /// `GET /services/{id}/logs`: the raw log stream of all the service's
    /// tasks (multiplexed frames unless the service has a TTY).
    pub fn logs(&self, opts: SwarmLogsOptions) -> BoxStream<'static, Result<Bytes>> {
        self.docker.send_stream(api::logs(&self.id, &opts))
    }
}
