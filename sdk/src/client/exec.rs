//! Exec instances: `container.exec(..)` creates one, `docker.exec(id)`
//! gets a handle for one that exists.

use super::container_streams::{Attached, Resize, outcome_content_type};
use super::{ContainerHandle, Docker};
use crate::Result;
use crate::api::ExecOptions;
use crate::api::exec as api;
use crate::models::{ExecCreated, ExecInspect};
use crate::stream::frames::{Framing, FramingDecision};

/// One exec instance: a process started in a running container.
///
/// Made by [`ContainerHandle::exec`] (which creates it) or [`Docker::exec`] (a
/// handle for an existing id, sending nothing), in the style of
/// `docker.containers().get(id)`: the handle is cheap and each method is one
/// request. Exec instances live on the daemon, not under a container's path,
/// so the handle hangs off [`Docker`] and needs only the exec's id.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::api::ExecOptions;
/// let exec = docker
///     .containers()
///     .get("web")
///     .exec(&ExecOptions::new(["sh", "-c", "echo hi; exit 3"]).attach_stdout(true))
///     .await?;
/// let (stdout, _stderr) = exec.start().await?.collect_output().await?;
/// assert_eq!(stdout, b"hi\n");
/// assert_eq!(exec.inspect().await?.exit_code, Some(3));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ExecHandle {
    docker: Docker,
    id: String,
    /// The exec's tty setting, when this handle created it.
    tty: Option<bool>,
}

impl Docker {
    /// A handle for the exec instance with this id. Sends nothing.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// // An exec id from an event or an earlier run:
    /// let exec = docker.exec("4b6f0e1d9a2c");
    /// let info = exec.inspect().await?;
    /// println!("running: {}, exit code: {:?}", info.running, info.exit_code);
    /// # Ok(()) }
    /// ```
    pub fn exec(&self, id: impl Into<String>) -> ExecHandle {
        ExecHandle { docker: self.clone(), id: id.into(), tty: None }
    }
}

impl ContainerHandle {
    /// `POST /containers/{id}/exec`: creates an exec instance in this
    /// (running) container; start it with [`ExecHandle::start`] or
    /// [`ExecHandle::start_detached`].
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ExecOptions;
    /// let opts = ExecOptions::new(["pg_dump", "-U", "postgres", "shop"]).attach_stdout(true).attach_stderr(true);
    /// let exec = docker.containers().get("db").exec(&opts).await?;
    /// let (dump, errors) = exec.start().await?.collect_output().await?;
    /// println!("{} bytes of dump, {} of errors", dump.len(), errors.len());
    /// # Ok(()) }
    /// ```
    pub fn exec(&self, opts: &ExecOptions) -> impl Future<Output = Result<ExecHandle>> + Send + 'static {
        let this = self.clone();
        let opts = opts.clone();
        async move {
            let opts = &opts;
            let created: ExecCreated = this.docker.send_json(api::create(&this.id, opts)?).await?;
            Ok(ExecHandle { docker: this.docker.clone(), id: created.id, tty: Some(opts.has_tty()) })
        }
    }
}

impl ExecHandle {
    /// The exec instance's id.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ExecOptions;
    /// let exec = docker.containers().get("web").exec(&ExecOptions::new(["nginx", "-s", "reload"])).await?;
    /// exec.start_detached().await?;
    /// println!("reload runs as exec {}", exec.id());
    /// # Ok(()) }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Tells the handle whether the exec has a tty, so that
    /// [`ExecHandle::start`] need not inspect it first (a handle from
    /// [`ContainerHandle::exec`] knows already). It must match how the exec was
    /// created: the daemon frames the output by it.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// // An exec created elsewhere with a tty: start it without an inspect first.
    /// let attached = docker.exec("4b6f0e1d9a2c").with_tty(true).start().await?;
    /// let (console, _) = attached.collect_output().await?;
    /// # Ok(()) }
    /// ```
    pub fn with_tty(mut self, tty: bool) -> Self {
        self.tty = Some(tty);
        self
    }

    /// `POST /exec/{id}/start`, attached: the process's output, a writer to
    /// its stdin (closing it gives the process EOF), and its tty's size.
    /// The output ends when the process exits.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> Result<(), Box<dyn std::error::Error>> {
    /// use dockhand::api::ExecOptions;
    /// use futures::{AsyncWriteExt, StreamExt};
    /// let opts = ExecOptions::new(["sh"]).attach_stdin(true).attach_stdout(true);
    /// let mut attached = docker.containers().get("web").exec(&opts).await?.start().await?;
    /// attached.input.write_all(b"echo $HOSTNAME\n").await?;
    /// attached.input.close().await?; // EOF: sh exits
    /// while let Some(item) = attached.output.next().await {
    ///     print!("{}", item?.text());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn start(&self) -> impl Future<Output = Result<Attached>> + Send + 'static {
        let this = self.clone();
        async move {
            let tty = match this.tty {
                Some(tty) => tty,
                None => this.inspect().await?.process_config.tty,
            };
            let version = this.docker.api_version().await?;
            let outcome = this.docker.send_upgrade(api::start_attached(&this.id, tty)?).await?;
            // The daemon frames by the start's tty flag, which is the exec's.
            let framing = match Framing::decide(outcome_content_type(&outcome), version) {
                FramingDecision::Known(f) => f,
                FramingDecision::ByTty => Framing::from_tty(tty),
            };
            Ok(Attached::new(outcome, framing, Resize::Exec(this.docker.clone(), this.id.clone())))
        }
    }

    /// `POST /exec/{id}/start`, detached: starts the process and returns at
    /// once; [`ExecHandle::inspect`] tells when it has exited.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ExecOptions;
    /// let exec = docker.containers().get("web").exec(&ExecOptions::new(["touch", "/tmp/ready"])).await?;
    /// exec.start_detached().await?;
    /// while exec.inspect().await?.running {
    ///     tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn start_detached(&self) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move {
            let _ = this.docker.send_empty(api::start_detached(&this.id)?).await?;
            Ok(())
        }
    }

    /// `POST /exec/{id}/resize`: sets the size of the exec's tty.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::{ExecOptions, TtySize};
    /// let opts = ExecOptions::new(["top"]).tty(true).attach_stdout(true);
    /// let exec = docker.containers().get("web").exec(&opts).await?;
    /// let attached = exec.start().await?;
    /// exec.resize(TtySize { height: 40, width: 120 }).await?;
    /// # Ok(()) }
    /// ```
    pub fn resize(&self, size: crate::api::TtySize) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move {
            let _ = this.docker.send_empty(api::resize(&this.id, size)?).await?;
            Ok(())
        }
    }

    /// `GET /exec/{id}/json`: whether it runs, its exit code, its PID.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let info = docker.exec("4b6f0e1d9a2c").inspect().await?;
    /// if !info.running {
    ///     println!("{:?} exited with {:?}", info.process_config.entrypoint, info.exit_code);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<ExecInspect>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id)?).await }
    }
}
