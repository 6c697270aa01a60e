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
    pub fn swarm(&self) -> SwarmHandle {
        SwarmHandle { docker: self.clone() }
    }
}

impl SwarmHandle {
    /// `GET /swarm`: the swarm, with its join tokens (managers only; a
    /// daemon not in a swarm answers 503, a worker 503 too).
    pub fn inspect(&self) -> impl Future<Output = Result<Swarm>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect()).await }
    }

    /// `POST /swarm/init`: makes this daemon the first manager of a new
    /// swarm; returns its node id.
    pub fn init(&self, req: SwarmInitRequest) -> impl Future<Output = Result<String>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::init(&req)?).await }
    }

    /// `POST /swarm/join`: joins an existing swarm.
    pub fn join(&self, req: SwarmJoinRequest) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::join(&req)?).await.map(drop) }
    }

    /// `POST /swarm/leave`: a worker leaves; the last manager needs
    /// [`SwarmHandle::leave_with`] and `force`.
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
    pub fn unlock_key(&self) -> impl Future<Output = Result<UnlockKey>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::unlock_key()).await }
    }

    /// `POST /swarm/unlock`: unlocks a locked manager.
    pub fn unlock(&self, key: &UnlockKey) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let key = key.clone();
        async move {
            let key = &key;
            this.docker.send_empty(api::unlock(key)?).await.map(drop)
        }
    }
}
