//! The swarm handle.

use super::Docker;
use crate::Result;
use crate::api::swarm as api;
use crate::api::{SwarmLeaveOptions, SwarmUpdateOptions};
use crate::models::{ObjectVersion, Swarm, SwarmInitRequest, SwarmJoinRequest, SwarmSpec, UnlockKey};

/// The swarm this daemon belongs to, or can create or join:
/// `docker.swarm()`.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::models::SwarmInitRequest;
/// let node_id = docker.swarm().init(SwarmInitRequest::new("127.0.0.1:2377").advertise_addr("127.0.0.1")).await?;
/// let swarm = docker.swarm().inspect().await?;
/// println!("node {node_id} manages swarm {}", swarm.id);
/// docker.swarm().leave_with(dockhand::api::SwarmLeaveOptions::new().force(true)).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SwarmHandle {
    docker: Docker,
}

impl Docker {
    /// The swarm of this daemon.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.swarm().inspect().await {
    ///     Ok(swarm) => println!("in swarm {}", swarm.id),
    ///     Err(e) if e.status() == Some(503) => println!("not a swarm manager"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn swarm(&self) -> SwarmHandle {
        SwarmHandle { docker: self.clone() }
    }
}

impl SwarmHandle {
    /// `GET /swarm`: the swarm, with its join tokens (managers only; a
    /// daemon not in a swarm answers 503, a worker 503 too).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let swarm = docker.swarm().inspect().await?;
    /// println!("docker swarm join --token {} <manager>:2377", swarm.join_tokens.worker);
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<Swarm>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect()).await }
    }

    /// `POST /swarm/init`: makes this daemon the first manager of a new
    /// swarm; returns its node id.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::SwarmInitRequest;
    /// let req = SwarmInitRequest::new("0.0.0.0:2377").advertise_addr("192.168.1.10");
    /// let node_id = docker.swarm().init(req).await?;
    /// println!("this node ({node_id}) now manages a new swarm");
    /// # Ok(()) }
    /// ```
    pub fn init(&self, req: SwarmInitRequest) -> impl Future<Output = Result<String>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::init(&req)?).await }
    }

    /// `POST /swarm/join`: joins an existing swarm.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// # let token = String::from("SWMTKN-1-...");
    /// use dockhand::models::SwarmJoinRequest;
    /// let req = SwarmJoinRequest::new("0.0.0.0:2377", ["192.168.1.10:2377"], token);
    /// docker.swarm().join(req).await?;
    /// # Ok(()) }
    /// ```
    pub fn join(&self, req: SwarmJoinRequest) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::join(&req)?).await.map(drop) }
    }

    /// `POST /swarm/leave`: a worker leaves; the last manager needs
    /// [`SwarmHandle::leave_with`] and `force`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.swarm().leave().await {
    ///     Err(e) if e.status() == Some(503) => println!("a manager: quorum would be lost, see leave_with"),
    ///     other => other?,
    /// }
    /// # Ok(()) }
    /// ```
    pub fn leave(&self) -> impl Future<Output = Result<()>> + Send + 'static {
        self.leave_with(SwarmLeaveOptions::new())
    }

    /// `POST /swarm/leave` with options: `force` is needed on the last
    /// manager (and destroys the swarm).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::SwarmLeaveOptions;
    /// docker.swarm().leave_with(SwarmLeaveOptions::new().force(true)).await?;
    /// # Ok(()) }
    /// ```
    pub fn leave_with(&self, opts: SwarmLeaveOptions) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::leave(&opts)).await.map(drop) }
    }

    /// `POST /swarm/update`: replaces the swarm's spec. `version` must be
    /// the current one (from [`SwarmHandle::inspect`]).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::SwarmUpdateOptions;
    /// let swarm = docker.swarm().inspect().await?;
    /// let opts = SwarmUpdateOptions::new().rotate_worker_token(true);
    /// docker.swarm().update(swarm.version, swarm.spec.autolock(true), opts).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(
        &self,
        version: ObjectVersion,
        spec: SwarmSpec,
        opts: SwarmUpdateOptions,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::update(version, &spec, opts)?).await.map(drop) }
    }

    /// `GET /swarm/unlockkey`: the key that unlocks a manager after a
    /// restart when autolock is on (empty when it is off).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let key = docker.swarm().unlock_key().await?;
    /// if !key.is_empty() {
    ///     println!("store this key safely: {}", key.expose());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn unlock_key(&self) -> impl Future<Output = Result<UnlockKey>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::unlock_key()).await }
    }

    /// `POST /swarm/unlock`: unlocks a locked manager.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::UnlockKey;
    /// let key = UnlockKey::new(std::env::var("SWARM_UNLOCK_KEY").unwrap_or_default());
    /// docker.swarm().unlock(&key).await?;
    /// # Ok(()) }
    /// ```
    pub fn unlock(&self, key: &UnlockKey) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let key = key.clone();
        async move {
            let key = &key;
            this.docker.send_empty(api::unlock(key)?).await.map(drop)
        }
    }
}
