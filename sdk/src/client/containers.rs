//! The containers handle.

use super::Docker;

/// Operations on the containers of a daemon: `docker.containers()`.
#[derive(Debug, Clone)]
pub struct Containers {
    docker: Docker,
}

/// One container, by id or name: `docker.containers().get("web")`.
///
/// Getting a handle sends nothing; each method is one request.
#[derive(Debug, Clone)]
pub struct Container {
    #[allow(dead_code)] // read by the methods the containers work adds
    pub(crate) docker: Docker,
    pub(crate) id: String,
}

impl Docker {
    /// The containers of this daemon.
    pub fn containers(&self) -> Containers {
        Containers { docker: self.clone() }
    }
}

impl Containers {
    /// A handle for the container with this id or name.
    pub fn get(&self, id: impl Into<String>) -> Container {
        Container { docker: self.docker.clone(), id: id.into() }
    }
}

impl Container {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }
}
