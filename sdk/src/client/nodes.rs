//! The nodes handle.

use super::Docker;
use crate::Result;
use crate::api::nodes as api;
use crate::api::{NodeFilters, NodeRemoveOptions};
use crate::models::{Node, NodeSpec, ObjectVersion};

/// The nodes of the swarm (on a manager): `docker.nodes()`.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::api::NodeFilters;
/// use dockhand::models::NodeAvailability;
/// for node in docker.nodes().list(NodeFilters::new().role("manager")).await? {
///     let spec = node.spec.clone().availability(NodeAvailability::Drain);
///     docker.nodes().get(&node.id).update(node.version, spec).await?;
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Nodes {
    docker: Docker,
}

/// One node, by id or name.
#[derive(Debug, Clone)]
pub struct NodeHandle {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The nodes of the swarm this daemon manages.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::NodeFilters;
    /// for node in docker.nodes().list(NodeFilters::new()).await? {
    ///     println!("{} {} {}", node.id, node.description.hostname, node.status.state);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn nodes(&self) -> Nodes {
        Nodes { docker: self.clone() }
    }
}

impl Nodes {
    /// A handle for the node with this id or name (sends nothing).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let node = docker.nodes().get("worker-1").inspect().await?;
    /// println!("{} is {} and {}", node.description.hostname, node.status.state, node.spec.availability);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> NodeHandle {
        NodeHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /nodes`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::NodeFilters;
    /// let workers = docker.nodes().list(NodeFilters::new().role("worker")).await?;
    /// let ready = workers.iter().filter(|n| n.status.state == dockhand::models::NodeState::Ready).count();
    /// println!("{ready} of {} workers ready", workers.len());
    /// # Ok(()) }
    /// ```
    pub fn list(&self, filters: NodeFilters) -> impl Future<Output = Result<Vec<Node>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters)?).await }
    }
}

impl NodeHandle {
    /// The id or name this handle was made with.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let node = docker.nodes().get("worker-1");
    /// let info = node.inspect().await?;
    /// println!("{} has id {}", node.id(), info.id);
    /// # Ok(()) }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /nodes/{id}`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let node = docker.nodes().get("manager-1").inspect().await?;
    /// if let Some(m) = &node.manager_status {
    ///     println!("{} leader: {}, {}", m.addr, m.leader, m.reachability);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<Node>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id)?).await }
    }

    /// `POST /nodes/{id}/update`: replaces the node's spec (availability,
    /// labels, role). `version` must be the current one.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::NodeAvailability;
    /// let handle = docker.nodes().get("worker-1");
    /// let node = handle.inspect().await?;
    /// handle.update(node.version, node.spec.availability(NodeAvailability::Drain).label("disk", "ssd")).await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, version: ObjectVersion, spec: NodeSpec) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::update(&this.id, version, &spec)?).await.map(drop) }
    }

    /// `DELETE /nodes/{id}`: removes a node that has left the swarm.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// // After `docker swarm leave` on worker-3:
    /// docker.nodes().get("worker-3").remove().await?;
    /// # Ok(()) }
    /// ```
    pub fn remove(&self) -> impl Future<Output = Result<()>> + Send + 'static {
        self.remove_with(NodeRemoveOptions::new())
    }

    /// `DELETE /nodes/{id}` with options: `force` removes a node that is
    /// still up.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::NodeRemoveOptions;
    /// docker.nodes().get("worker-3").remove_with(NodeRemoveOptions::new().force(true)).await?;
    /// # Ok(()) }
    /// ```
    pub fn remove_with(&self, opts: NodeRemoveOptions) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::delete(&this.id, &opts)?).await.map(drop) }
    }
}
