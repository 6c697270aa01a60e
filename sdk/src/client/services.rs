//! The services handle.

use std::future::Future;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::Docker;
use super::container_streams::content_type;
use crate::api::services as api;
use crate::api::{ServiceFilters, ServiceInspectOptions, ServiceUpdateOptions, SwarmLogsOptions};
use crate::models::{AuthConfig, ObjectVersion, Service, ServiceCreateResponse, ServiceSpec, ServiceUpdateResponse};
use crate::request::ApiRequest;
use crate::stream::frames::{FrameDecoder, Framing, FramingDecision, LogDecoder, Output, OutputStream};
use crate::{Error, Result};

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
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ServiceFilters;
    /// for svc in docker.services().list(ServiceFilters::new()).await? {
    ///     println!("{} {}", svc.id, svc.spec.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn services(&self) -> Services {
        Services { docker: self.clone() }
    }
}

impl Services {
    /// A handle for the service with this id or name (sends nothing).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let svc = docker.services().get("web").inspect().await?;
    /// let replicas = svc.spec.mode.replicated.and_then(|r| r.replicas);
    /// println!("{} wants {replicas:?} replicas", svc.spec.name);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> ServiceHandle {
        ServiceHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /services`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ServiceFilters;
    /// let services = docker.services().list(ServiceFilters::new().label("app=shop")).await?;
    /// let names: Vec<_> = services.iter().map(|s| s.spec.name.as_str()).collect();
    /// println!("{}", names.join(", "));
    /// # Ok(()) }
    /// ```
    pub fn list(&self, filters: ServiceFilters) -> impl Future<Output = Result<Vec<Service>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters, false)?).await }
    }

    /// `GET /services?status=true`: with running and desired task counts
    /// in `service_status`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ServiceFilters;
    /// for svc in docker.services().list_with_status(ServiceFilters::new()).await? {
    ///     let status = svc.service_status.unwrap_or_default();
    ///     println!("{}: {}/{} running", svc.spec.name, status.running_tasks, status.desired_tasks);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_with_status(
        &self,
        filters: ServiceFilters,
    ) -> impl Future<Output = Result<Vec<Service>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters, true)?).await }
    }

    /// `POST /services/create`, with credentials for the image's registry
    /// if the nodes must pull it. An image no registry has is used as is
    /// (with a warning in the answer): fine on a single node that has it.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::{ContainerSpec, ServiceSpec};
    /// let spec = ServiceSpec::new("web", ContainerSpec::new("nginx:alpine")).replicas(3).publish(8080, 80);
    /// let created = docker.services().create(spec, None).await?;
    /// println!("service {} ({} warnings)", created.id, created.warnings.len());
    /// # Ok(()) }
    /// ```
    pub fn create(
        &self,
        spec: ServiceSpec,
        auth: Option<&AuthConfig>,
    ) -> impl Future<Output = Result<ServiceCreateResponse>> + Send + 'static {
        let this = self.clone();
        let auth = auth.cloned();
        async move {
            let auth = auth.as_ref();
            this.docker.send_json(api::create(&spec, auth)?).await
        }
    }
}

impl ServiceHandle {
    /// The id or name this handle was made with.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let web = docker.services().get("web");
    /// let service = web.inspect().await?;
    /// println!("{} is service {}", web.id(), service.id);
    /// # Ok(()) }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /services/{id}`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let svc = docker.services().get("web").inspect().await?;
    /// println!("{} runs {:?}", svc.spec.name, svc.spec.task_template.container_spec.map(|c| c.image));
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<Service>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id, &ServiceInspectOptions::new())?).await }
    }

    /// `GET /services/{id}` with options: with
    /// [`ServiceInspectOptions::insert_defaults`], the values the daemon
    /// uses for fields left empty are filled in.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ServiceInspectOptions;
    /// let svc = docker.services().get("web").inspect_with(ServiceInspectOptions::new().insert_defaults(true)).await?;
    /// println!("{:?}", svc.spec.update_config);
    /// # Ok(()) }
    /// ```
    pub fn inspect_with(&self, opts: ServiceInspectOptions) -> impl Future<Output = Result<Service>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id, &opts)?).await }
    }

    /// `POST /services/{id}/update`: replaces the spec. `version` must be the
    /// service's current one (a stale one is an error, so concurrent
    /// updates cannot silently overwrite each other).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ServiceUpdateOptions;
    /// let web = docker.services().get("web");
    /// let current = web.inspect().await?;
    /// let answer = web.update(current.version, current.spec.replicas(5), ServiceUpdateOptions::new()).await?;
    /// answer.warnings.iter().for_each(|w| eprintln!("{w}"));
    /// # Ok(()) }
    /// ```
    pub fn update(
        &self,
        version: ObjectVersion,
        spec: ServiceSpec,
        opts: ServiceUpdateOptions,
    ) -> impl Future<Output = Result<ServiceUpdateResponse>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::update(&this.id, version, &spec, &opts)?).await }
    }

    /// `DELETE /services/{id}`: removes the service and its tasks.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.services().get("web").remove().await {
    ///     Err(e) if e.is_not_found() => println!("no service web"),
    ///     other => other?,
    /// }
    /// # Ok(()) }
    /// ```
    pub fn remove(&self) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::delete(&this.id)?).await.map(drop) }
    }

    /// `GET /services/{id}/logs`: the output of all the service's tasks,
    /// item by item, each tagged stdout or stderr (decoded as container
    /// logs are; a daemon before API 1.42 does not label the framing, so
    /// there one inspect of the service reads its `TTY` setting).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::SwarmLogsOptions;
    /// use futures::StreamExt;
    /// let mut logs = docker.services().get("web").logs(SwarmLogsOptions::both().tail(20));
    /// while let Some(item) = logs.next().await {
    ///     let item = item?;
    ///     print!("{}: {}", item.stream, item.text());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn logs(&self, opts: SwarmLogsOptions) -> BoxStream<'static, Result<Output>> {
        let handle = self.clone();
        let tty = move || async move {
            let service = handle.inspect().await?;
            Ok(service.spec.task_template.container_spec.is_some_and(|c| c.tty))
        };
        swarm_logs(&self.docker, api::logs(&self.id, &opts), opts.has_timestamps(), "a service log stream", tty)
    }
}

/// Sends a service or task log request and decodes its body as container
/// logs are: the media type decides the framing when it can be trusted,
/// else `tty` (the service's or task's `TTY` setting).
pub(crate) fn swarm_logs<F, Fut>(
    docker: &Docker,
    request: Result<ApiRequest>,
    timestamps: bool,
    context: &'static str,
    tty: F,
) -> BoxStream<'static, Result<Output>>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Result<bool>> + Send,
{
    let docker = docker.clone();
    stream::once(async move {
        let version = docker.api_version().await?;
        let response = docker.send(request?.streamed()).await?;
        let framing = match Framing::decide(content_type(response.headers()), version) {
            FramingDecision::Known(framing) => framing,
            FramingDecision::ByTty => Framing::from_tty(tty().await?),
        };
        let decoder = LogDecoder::new(FrameDecoder::new(framing).with_context(context), timestamps);
        Ok::<_, Error>(OutputStream::new(response.into_body(), decoder))
    })
    .try_flatten()
    .boxed()
}
