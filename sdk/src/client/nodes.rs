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
    pub fn nodes(&self) -> Nodes {
        Nodes { docker: self.clone() }
    }
}

impl Nodes {
    /// A handle for the node with this id or name (sends nothing).
    pub fn get(&self, id: impl Into<String>) -> NodeHandle {
        NodeHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /nodes`.
    pub fn list(&self, filters: NodeFilters) -> impl Future<Output = Result<Vec<Node>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters)?).await }
    }
}

impl NodeHandle {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /nodes/{id}`.
    pub fn inspect(&self) -> impl Future<Output = Result<Node>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id)?).await }
    }

    /// `POST /nodes/{id}/update`: replaces the node's spec (availability,
    /// labels, role). `version` must be the current one.
    pub fn update(&self, version: ObjectVersion, spec: NodeSpec) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::update(&this.id, version, &spec)?).await.map(drop) }
    }

    /// `DELETE /nodes/{id}`: removes a node that has left the swarm.
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
