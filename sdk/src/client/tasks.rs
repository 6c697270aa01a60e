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
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::TaskFilters;
    /// for task in docker.tasks().list(TaskFilters::new().service("web")).await? {
    ///     println!("{}.{} on {}: {}", task.service_id, task.slot, task.node_id, task.status.state);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn tasks(&self) -> Tasks {
        Tasks { docker: self.clone() }
    }
}

impl Tasks {
    /// A handle for the task with this id (sends nothing).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let task = docker.tasks().get("x1f3k9p2").inspect().await?;
    /// println!("{}: {}", task.status.state, task.status.message);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> TaskHandle {
        TaskHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /tasks`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::TaskFilters;
    /// let failed = docker.tasks().list(TaskFilters::new().service("web").desired_state("shutdown")).await?;
    /// for task in failed.iter().filter(|t| t.status.err.is_some()) {
    ///     println!("{} failed: {}", task.id, task.status.err.as_deref().unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, filters: TaskFilters) -> impl Future<Output = Result<Vec<Task>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters)?).await }
    }
}

impl TaskHandle {
    /// The id this handle was made with.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let task = docker.tasks().get("x1f3k9p2");
    /// let state = task.inspect().await?.status.state;
    /// println!("task {} is {state}", task.id());
    /// # Ok(()) }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /tasks/{id}`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let task = docker.tasks().get("x1f3k9p2").inspect().await?;
    /// if let Some(c) = &task.status.container_status {
    ///     println!("container {} exited with {}", c.container_id, c.exit_code);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<Task>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id)?).await }
    }

    /// `GET /tasks/{id}/logs`: the task's output, item by item, decoded as
    /// [`ServiceHandle::logs`](crate::ServiceHandle::logs) decodes a
    /// service's.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::SwarmLogsOptions;
    /// use futures::StreamExt;
    /// let mut logs = docker.tasks().get("x1f3k9p2").logs(SwarmLogsOptions::both().timestamps(true));
    /// while let Some(item) = logs.next().await {
    ///     let item = item?;
    ///     print!("{:?} {}", item.timestamp, item.text());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn logs(&self, opts: SwarmLogsOptions) -> BoxStream<'static, Result<Output>> {
        let handle = self.clone();
        let tty = move || async move { Ok(handle.inspect().await?.spec.container_spec.is_some_and(|c| c.tty)) };
        swarm_logs(&self.docker, api::logs(&self.id, &opts), opts.has_timestamps(), "a task log stream", tty)
    }
}
