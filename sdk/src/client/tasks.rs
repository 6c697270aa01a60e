//! The tasks handle.

use futures::stream::BoxStream;

use super::Docker;
use super::services::swarm_logs;
use crate::Result;
use crate::api::tasks as api;
use crate::api::{SwarmLogsOptions, TaskFilters};
use crate::models::Task;
use crate::stream::frames::Output;

/// The swarm's tasks: `docker.tasks()`.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::api::TaskFilters;
/// use dockhand::models::TaskState;
/// let tasks = docker.tasks().list(TaskFilters::new().service("web").desired_state("running")).await?;
/// let running = tasks.iter().filter(|t| t.status.state == TaskState::Running).count();
/// println!("{running} of {} running", tasks.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Tasks {
    docker: Docker,
}

/// One task, by id.
#[derive(Debug, Clone)]
pub struct TaskHandle {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The tasks of the swarm this daemon manages.
    pub fn tasks(&self) -> Tasks {
        Tasks { docker: self.clone() }
    }
}

impl Tasks {
    /// A handle for the task with this id (sends nothing).
    pub fn get(&self, id: impl Into<String>) -> TaskHandle {
        TaskHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /tasks`.
    pub fn list(&self, filters: TaskFilters) -> impl Future<Output = Result<Vec<Task>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters)?).await }
    }
}

impl TaskHandle {
    /// The id this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /tasks/{id}`.
    pub fn inspect(&self) -> impl Future<Output = Result<Task>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id)?).await }
    }

    /// `GET /tasks/{id}/logs`: the task's output, item by item, decoded as
    /// [`ServiceHandle::logs`](crate::ServiceHandle::logs) decodes a
    /// service's.
    pub fn logs(&self, opts: SwarmLogsOptions) -> BoxStream<'static, Result<Output>> {
        let handle = self.clone();
        let tty = move || async move { Ok(handle.inspect().await?.spec.container_spec.is_some_and(|c| c.tty)) };
        swarm_logs(&self.docker, api::logs(&self.id, &opts), opts.has_timestamps(), "a task log stream", tty)
    }
}
