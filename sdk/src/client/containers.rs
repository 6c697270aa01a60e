//! The containers handle.
//!
//! `Containers` holds the calls about containers in general (list, create,
//! prune); `ContainerHandle` the calls about one container. The byte streams of
//! logs, attach and exec live in another file's `impl Container` block.

use bytes::Bytes;
use futures::stream::BoxStream;

use super::{Change, Docker};
use crate::api::containers as api;
use crate::api::{
    ContainerCreate, ContainerInspectOptions, ContainerListOptions, ContainerPruneFilters, ContainerRemoveOptions,
    ContainerUpdate, PutArchiveOptions, StatsMode, StopOptions, TopOptions, TtySize,
};
use crate::models::{
    ContainerCreateResponse, ContainerInspect, ContainerPruneResponse, ContainerStats, ContainerSummary, ContainerTop,
    ContainerUpdateResponse, ContainerWaitResponse, FilesystemChange, PathStat, WaitCondition,
};
use crate::{Body, Error, Result};

/// Operations on the containers of a daemon: `docker.containers()`.
#[derive(Debug, Clone)]
pub struct Containers {
    docker: Docker,
}

/// One container, by id or name: `docker.containers().get("web")`.
///
/// Getting a handle sends nothing; each method is one request. An id or name
/// that could reach another endpoint (`../images/json`, an empty one) makes
/// every method fail with [`Error::InvalidInput`](crate::Error::InvalidInput)
/// before anything is sent; anything else (`?`, `#`, spaces, unicode) is
/// percent-encoded and stays the container's name.
#[derive(Debug, Clone)]
pub struct ContainerHandle {
    #[allow(dead_code)] // read by the methods the containers work adds
    pub(crate) docker: Docker,
    pub(crate) id: String,
}

/// A tar stream of a path in a container, with what the daemon says about
/// the path.
pub struct ContainerArchive {
    /// What is at the path (from `X-Docker-Container-Path-Stat`).
    pub stat: PathStat,
    /// The tar bytes, as they arrive.
    pub tar: BoxStream<'static, Result<Bytes>>,
}

impl std::fmt::Debug for ContainerArchive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContainerArchive").field("stat", &self.stat).finish_non_exhaustive()
    }
}

impl Docker {
    /// The containers of this daemon.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ContainerListOptions;
    /// for c in docker.containers().list(ContainerListOptions::new()).await? {
    ///     println!("{} {} {}", c.name().unwrap_or_default(), c.image, c.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn containers(&self) -> Containers {
        Containers { docker: self.clone() }
    }
}

impl Containers {
    /// A handle for the container with this id or name.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let web = docker.containers().get("web");
    /// web.restart().await?;
    /// println!("{}", web.inspect().await?.state.status);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> ContainerHandle {
        ContainerHandle { docker: self.docker.clone(), id: id.into() }
    }

    /// `GET /containers/json`: running containers, or all with
    /// [`ContainerListOptions::all`].
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::{ContainerFilters, ContainerListOptions};
    /// let web = docker
    ///     .containers()
    ///     .list(ContainerListOptions::new().all(true).filters(ContainerFilters::new().label("app=web")))
    ///     .await?;
    /// for c in web {
    ///     println!("{} {:?} {}", c.id, c.name(), c.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(
        &self,
        opts: ContainerListOptions,
    ) -> impl Future<Output = Result<Vec<ContainerSummary>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&opts)?).await }
    }

    /// `POST /containers/create`: the new container's id and the daemon's
    /// warnings. A name in use is an error for which
    /// [`Error::is_conflict`](crate::Error::is_conflict) holds; a missing
    /// image, [`Error::is_not_found`](crate::Error::is_not_found).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ContainerCreate;
    /// let created = docker
    ///     .containers()
    ///     .create(ContainerCreate::new("busybox").name("web").cmd(["httpd", "-f"]))
    ///     .await?;
    /// let web = docker.containers().get(&created.id);
    /// web.start().await?;
    /// # Ok(()) }
    /// ```
    pub fn create(
        &self,
        create: ContainerCreate,
    ) -> impl Future<Output = Result<ContainerCreateResponse>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::create(&create)?).await }
    }

    /// `POST /containers/prune`: removes stopped containers matching
    /// `filters`, and says which and how many bytes that freed.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ContainerPruneFilters;
    /// // Stopped containers older than a day (`docker container prune --filter until=24h`):
    /// let pruned = docker.containers().prune(ContainerPruneFilters::new().until("24h")).await?;
    /// println!("removed {} containers, freed {} bytes", pruned.containers_deleted.len(), pruned.space_reclaimed);
    /// # Ok(()) }
    /// ```
    pub fn prune(
        &self,
        filters: ContainerPruneFilters,
    ) -> impl Future<Output = Result<ContainerPruneResponse>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::prune(&filters)?).await }
    }
}

impl ContainerHandle {
    /// The id or name this handle was made with.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ContainerCreate;
    /// let created = docker.containers().create(ContainerCreate::new("busybox").cmd(["sleep", "60"])).await?;
    /// let c = docker.containers().get(created.id);
    /// c.start().await?;
    /// println!("started {}", c.id());
    /// # Ok(()) }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `GET /containers/{id}/json`: everything about the container.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.containers().get("web").inspect().await {
    ///     Ok(c) => println!("{} is {} (exit code {})", c.name(), c.state.status, c.state.exit_code),
    ///     Err(e) if e.is_not_found() => println!("no container named web"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<ContainerInspect>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id, &ContainerInspectOptions::new())?).await }
    }

    /// [`ContainerHandle::inspect`] with options: with
    /// [`ContainerInspectOptions::size`], `size_rw` and `size_root_fs` are
    /// filled (slower: the daemon measures the filesystem).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ContainerInspectOptions;
    /// let c = docker.containers().get("web").inspect_with(ContainerInspectOptions::new().size(true)).await?;
    /// println!("{:?} bytes written", c.size_rw);
    /// # Ok(()) }
    /// ```
    pub fn inspect_with(
        &self,
        opts: ContainerInspectOptions,
    ) -> impl Future<Output = Result<ContainerInspect>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id, &opts)?).await }
    }

    /// `GET /containers/{id}/json` as the daemon's JSON, untyped: every
    /// field it sent, in its own shapes, including those
    /// [`ContainerInspect`] does not model. For tools that print or
    /// template the whole answer (`docker inspect`, `--format`); use
    /// [`ContainerHandle::inspect`] to read fields.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let raw = docker.containers().get("web").inspect_raw().await?;
    /// println!("{}", raw["State"]["Status"]);
    /// # Ok(()) }
    /// ```
    pub fn inspect_raw(&self) -> impl Future<Output = Result<serde_json::Value>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.id, &ContainerInspectOptions::new())?).await }
    }

    /// `GET /containers/{id}/top`: its processes, as `ps -ef` shows them.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let top = docker.containers().get("web").top().await?;
    /// let cmd = top.titles.iter().position(|t| t == "CMD").unwrap_or(0);
    /// for process in &top.processes {
    ///     println!("{}", process.get(cmd).map_or("?", String::as_str));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn top(&self) -> impl Future<Output = Result<ContainerTop>> + Send + 'static {
        self.top_with(TopOptions::new())
    }

    /// `GET /containers/{id}/top` with other `ps` arguments.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::TopOptions;
    /// let top = docker.containers().get("web").top_with(TopOptions::new().ps_args("aux")).await?;
    /// println!("{:?}", top.titles);
    /// # Ok(()) }
    /// ```
    pub fn top_with(&self, opts: TopOptions) -> impl Future<Output = Result<ContainerTop>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::top(&this.id, &opts)?).await }
    }

    /// `GET /containers/{id}/changes`: paths added, changed or deleted
    /// compared to its image.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// for change in docker.containers().get("web").changes().await? {
    ///     println!("{:?} {}", change.kind, change.path);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn changes(&self) -> impl Future<Output = Result<Vec<FilesystemChange>>> + Send + 'static {
        let this = self.clone();
        async move {
            // Go writes `null` when nothing changed.
            let changes: Option<Vec<FilesystemChange>> = this.docker.send_json(api::changes(&this.id)?).await?;
            Ok(changes.unwrap_or_default())
        }
    }

    /// `GET /containers/{id}/export`: its whole filesystem as a tar stream,
    /// as it arrives (nothing is held in memory).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures::StreamExt;
    /// use std::io::Write;
    /// let mut tar = docker.containers().get("web").export();
    /// let mut file = std::fs::File::create("web-rootfs.tar")?;
    /// while let Some(chunk) = tar.next().await {
    ///     file.write_all(&chunk?)?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn export(&self) -> BoxStream<'static, Result<Bytes>> {
        self.docker.send_stream(api::export(&self.id))
    }

    /// `GET /containers/{id}/stats?stream=1`: a sample every second until
    /// the stream is dropped (or the container stops).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use futures::StreamExt;
    /// let mut stats = docker.containers().get("web").stats().take(3);
    /// while let Some(s) = stats.next().await {
    ///     let s = s?;
    ///     println!("cpu {:?}% mem {:?}%", s.cpu_percent(), s.memory_percent());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stats(&self) -> BoxStream<'static, Result<ContainerStats>> {
        self.docker.send_json_stream(api::stats(&self.id, StatsMode::Stream), "stats stream")
    }

    /// `GET /containers/{id}/stats?stream=0`: one stats sample with the CPU
    /// figures, so [`ContainerStats::cpu_percent`] is known. The daemon
    /// takes two samples to compare, so this answers after about a second;
    /// [`stats_without_cpu`](Self::stats_without_cpu) answers at once.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let s = docker.containers().get("web").stats_with_cpu().await?;
    /// println!("cpu {:?}% mem {:?}%", s.cpu_percent(), s.memory_percent());
    /// # Ok(()) }
    /// ```
    pub fn stats_with_cpu(&self) -> impl Future<Output = Result<ContainerStats>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::stats(&this.id, StatsMode::Once)?).await }
    }

    /// `GET /containers/{id}/stats?stream=0&one-shot=1`: one stats sample at
    /// once, without the previous sample a CPU percentage needs: memory,
    /// network, block I/O and pids figures; [`ContainerStats::cpu_percent`]
    /// is `None`. [`stats_with_cpu`](Self::stats_with_cpu) has it, a second
    /// later.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let s = docker.containers().get("web").stats_without_cpu().await?;
    /// println!("mem {:?} bytes", s.memory_usage());
    /// # Ok(()) }
    /// ```
    pub fn stats_without_cpu(&self) -> impl Future<Output = Result<ContainerStats>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::stats(&this.id, StatsMode::OneShot)?).await }
    }

    /// `POST /containers/{id}/resize`: the size of its TTY, in characters.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::TtySize;
    /// // The terminal of an attached `docker run -it`-style session changed size:
    /// docker.containers().get("shell").resize(TtySize { height: 50, width: 160 }).await?;
    /// # Ok(()) }
    /// ```
    pub fn resize(&self, size: TtySize) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move {
            let _ = this.docker.send_empty(api::resize(&this.id, size)?).await?;
            Ok(())
        }
    }

    /// `POST /containers/{id}/start`. On a running container this returns
    /// `Ok(Change::Unchanged)`, not an error.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ContainerCreate;
    /// let created = docker.containers().create(ContainerCreate::new("nginx:alpine").name("web")).await?;
    /// docker.containers().get(created.id).start().await?;
    /// # Ok(()) }
    /// ```
    pub fn start(&self) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::start(&this.id, None)?).await }
    }

    /// [`ContainerHandle::start`] with the key sequence that detaches an attached
    /// client (`ctrl-p,ctrl-q` by default).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// // Attached clients detach with ctrl-x instead of ctrl-p,ctrl-q:
    /// docker.containers().get("shell").start_with_detach_keys("ctrl-x").await?;
    /// # Ok(()) }
    /// ```
    pub fn start_with_detach_keys(&self, detach_keys: &str) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        let detach_keys = detach_keys.to_owned();
        async move {
            let detach_keys = detach_keys.as_str();
            this.docker.send_empty(api::start(&this.id, Some(detach_keys))?).await
        }
    }

    /// `POST /containers/{id}/stop` with its stop signal and timeout. On a
    /// stopped container: `Ok(Change::Unchanged)`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::Change;
    /// match docker.containers().get("web").stop().await? {
    ///     Change::Done => println!("stopped"),
    ///     Change::Unchanged => println!("was not running"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stop(&self) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        async move { this.stop_with(StopOptions::new()).await }
    }

    /// `POST /containers/{id}/stop` with a timeout or signal.
    ///
    /// The daemon answers once the container has stopped, so the response
    /// timeout is extended by the grace period given here. (Without one,
    /// the container's own stop timeout applies, 10 s by default; a longer
    /// one set at create may need [`Docker::with_response_timeout`].)
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::StopOptions;
    /// use std::time::Duration;
    /// // SIGINT, then SIGKILL after 30 s if it is still running:
    /// let opts = StopOptions::new().signal("SIGINT").timeout(Duration::from_secs(30));
    /// docker.containers().get("db").stop_with(opts).await?;
    /// # Ok(()) }
    /// ```
    pub fn stop_with(&self, opts: StopOptions) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        async move { this.docker_for(&opts).send_empty(api::stop(&this.id, &opts)?).await }
    }

    fn docker_for(&self, opts: &StopOptions) -> Docker {
        match opts.grace_period() {
            Some(grace) => self.docker.with_extra_response_time(grace),
            None => self.docker.clone(),
        }
    }

    /// `POST /containers/{id}/restart` with its stop signal and timeout.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let web = docker.containers().get("web");
    /// web.restart().await?;
    /// println!("restarted at {:?}", web.inspect().await?.state.started_at);
    /// # Ok(()) }
    /// ```
    pub fn restart(&self) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        async move { this.restart_with(StopOptions::new()).await }
    }

    /// `POST /containers/{id}/restart` with a timeout or signal (the
    /// response timeout is extended as for [`ContainerHandle::stop_with`]).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::StopOptions;
    /// use std::time::Duration;
    /// docker.containers().get("web").restart_with(StopOptions::new().timeout(Duration::from_secs(2))).await?;
    /// # Ok(()) }
    /// ```
    pub fn restart_with(&self, opts: StopOptions) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        async move { this.docker_for(&opts).send_empty(api::restart(&this.id, &opts)?).await }
    }

    /// `POST /containers/{id}/kill` with `SIGKILL`. A container that does
    /// not run is an error for which
    /// [`Error::is_conflict`](crate::Error::is_conflict) holds.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.containers().get("stuck").kill().await {
    ///     Err(e) if e.is_conflict() => println!("not running"),
    ///     other => drop(other?),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn kill(&self) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::kill(&this.id, None)?).await }
    }

    /// `POST /containers/{id}/kill` with a signal (`SIGTERM`, `TERM`, `15`).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// // Ask nginx to reload its configuration:
    /// docker.containers().get("web").kill_with("SIGHUP").await?;
    /// # Ok(()) }
    /// ```
    pub fn kill_with(&self, signal: &str) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        let signal = signal.to_owned();
        async move {
            let signal = signal.as_str();
            this.docker.send_empty(api::kill(&this.id, Some(signal))?).await
        }
    }

    /// `POST /containers/{id}/update`: new limits or restart policy, and
    /// the daemon's warnings.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ContainerUpdate;
    /// use dockhand::models::RestartPolicy;
    /// let update = ContainerUpdate::new().memory(512 * 1024 * 1024).restart_policy(RestartPolicy::unless_stopped());
    /// let answer = docker.containers().get("web").update(update).await?;
    /// answer.warnings.iter().for_each(|w| eprintln!("{w}"));
    /// # Ok(()) }
    /// ```
    pub fn update(
        &self,
        update: ContainerUpdate,
    ) -> impl Future<Output = Result<ContainerUpdateResponse>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::update(&this.id, &update)?).await }
    }

    /// `POST /containers/{id}/rename`. A name in use is a conflict error.
    ///
    /// The handle keeps the id or name it was made with; after renaming a
    /// container you got by name, get a new handle.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let web = docker.containers().get("web");
    /// web.rename("web-old").await?;
    /// // `web` still names "web": use a handle made with the new name.
    /// docker.containers().get("web-old").stop().await?;
    /// # Ok(()) }
    /// ```
    pub fn rename(&self, new_name: &str) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let new_name = new_name.to_owned();
        async move {
            let new_name = new_name.as_str();
            let _ = this.docker.send_empty(api::rename(&this.id, new_name)?).await?;
            Ok(())
        }
    }

    /// `POST /containers/{id}/pause`: freezes its processes.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let db = docker.containers().get("db");
    /// db.pause().await?; // a consistent snapshot of its volume can be taken now
    /// db.unpause().await?;
    /// # Ok(()) }
    /// ```
    pub fn pause(&self) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::pause(&this.id)?).await }
    }

    /// `POST /containers/{id}/unpause`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// if docker.containers().get("db").unpause().await?.is_unchanged() {
    ///     println!("db was not paused");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn unpause(&self) -> impl Future<Output = Result<Change>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::unpause(&this.id)?).await }
    }

    /// `POST /containers/{id}/wait` until it is not running: its exit code.
    /// The answer may take forever; no idle timeout applies (set one with
    /// [`Docker::with_idle_timeout`], or wrap the future in a timeout).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let job = docker.containers().get("migrate");
    /// let exit = job.wait().await?;
    /// if exit.status_code != 0 {
    ///     eprintln!("migration failed with {}", exit.status_code);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn wait(&self) -> impl Future<Output = Result<ContainerWaitResponse>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::wait(&this.id, None)?).await }
    }

    /// `POST /containers/{id}/wait` for a condition: not running, its next
    /// exit, or its removal. The request is sent when the future is first
    /// polled: to catch the exit of a container you are about to start, use
    /// [`ContainerHandle::register_wait`], which returns once the daemon has taken
    /// the wait.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::WaitCondition;
    /// let c = docker.containers().get("job");
    /// c.stop().await?;
    /// let code = c.wait_until(WaitCondition::NotRunning).await?.status_code;
    /// # Ok(()) }
    /// ```
    pub fn wait_until(
        &self,
        condition: WaitCondition,
    ) -> impl Future<Output = Result<ContainerWaitResponse>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::wait(&this.id, Some(&condition))?).await }
    }

    /// `POST /containers/{id}/wait`, registered now: returns once the daemon
    /// has answered the wait's headers (it does so before it waits, since
    /// API 1.30), with a future for the outcome. An exit after this returns
    /// cannot be missed, which is what `docker run` relies on: register a
    /// [`WaitCondition::NextExit`] (or `Removed` for `--rm`), then start.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::models::WaitCondition;
    /// let c = docker.containers().get("job");
    /// let exit = c.register_wait(WaitCondition::NextExit).await?; // the daemon has it
    /// c.start().await?;
    /// println!("exit code {}", exit.await?.status_code);
    /// # Ok(()) }
    /// ```
    ///
    /// The returned future owns what it needs (`'static`): store it, spawn
    /// it, or drop it to abandon the wait (the connection is closed).
    pub fn register_wait(
        &self,
        condition: WaitCondition,
    ) -> impl Future<Output = Result<futures::future::BoxFuture<'static, Result<ContainerWaitResponse>>>> + Send + 'static
    {
        let this = self.clone();
        async move {
            let response = this.docker.send(api::wait(&this.id, Some(&condition))?).await?;
            let exit: futures::future::BoxFuture<'static, Result<ContainerWaitResponse>> =
                Box::pin(super::read_json(response));
            Ok(exit)
        }
    }

    /// `DELETE /containers/{id}`. A running container is a conflict error
    /// (use [`ContainerHandle::remove_with`] and
    /// [`ContainerRemoveOptions::force`]).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let web = docker.containers().get("web");
    /// web.stop().await?;
    /// web.remove().await?;
    /// # Ok(()) }
    /// ```
    pub fn remove(&self) -> impl Future<Output = Result<()>> + Send + 'static {
        self.remove_with(ContainerRemoveOptions::new())
    }

    /// `DELETE /containers/{id}` with options: stop it first (`force`),
    /// remove its anonymous volumes (`volumes`).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ContainerRemoveOptions;
    /// docker.containers().get("web").remove_with(ContainerRemoveOptions::new().force(true).volumes(true)).await?;
    /// # Ok(()) }
    /// ```
    pub fn remove_with(&self, opts: ContainerRemoveOptions) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move {
            let _ = this.docker.send_empty(api::remove(&this.id, &opts)?).await?;
            Ok(())
        }
    }

    /// `HEAD /containers/{id}/archive`: what is at `path` in the container.
    /// A missing path is a not-found error; a malformed answer a decode
    /// error.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.containers().get("web").archive_info("/etc/nginx/nginx.conf").await {
    ///     Ok(stat) => println!("{} bytes, mode {:o}, dir: {}", stat.size, stat.mode, stat.is_dir()),
    ///     Err(e) if e.is_not_found() => println!("no such file"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn archive_info(&self, path: &str) -> impl Future<Output = Result<PathStat>> + Send + 'static {
        let this = self.clone();
        let path = path.to_owned();
        async move {
            let path = path.as_str();
            let response =
                this.docker.send(api::archive_info(&this.id, path)?).await.map_err(|e| this.head_error(e, path))?;
            api::parse_path_stat(response.headers())
        }
    }

    /// A HEAD answer has no body, so the daemon's message is lost: say what
    /// was not found instead of a bare "Not Found".
    fn head_error(&self, mut error: Error, path: &str) -> Error {
        if let Error::Api(api) = &mut error {
            if api.status == 404 {
                api.message = format!("no such container {:?}, or no path {path:?} in it", self.id);
            }
        }
        error
    }

    /// `GET /containers/{id}/archive`: `path` (a file or a directory, with
    /// its contents) as a tar stream, and what is at `path`. The tar bytes
    /// stream as they arrive.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use futures::TryStreamExt;
    /// let archive = docker.containers().get("web").get_archive("/etc/hostname").await?;
    /// println!("{} bytes in the file", archive.stat.size);
    /// let tar: Vec<u8> = archive.tar.map_ok(|b| b.to_vec()).try_concat().await?;
    /// # Ok(()) }
    /// ```
    pub fn get_archive(&self, path: &str) -> impl Future<Output = Result<ContainerArchive>> + Send + 'static {
        let this = self.clone();
        let path = path.to_owned();
        async move {
            let path = path.as_str();
            let response = this.docker.send(api::get_archive(&this.id, path)?).await?;
            let stat = api::parse_path_stat(response.headers())?;
            Ok(ContainerArchive { stat, tar: Box::pin(response.into_body()) })
        }
    }

    /// `PUT /containers/{id}/archive`: extracts the tar stream `tar` into
    /// the directory `path` of the container, streaming it.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker, tar: Vec<u8>) -> dockhand::Result<()> {
    /// use dockhand::api::PutArchiveOptions;
    /// docker.containers().get("web").put_archive("/tmp", PutArchiveOptions::new(), tar.into()).await?;
    /// # Ok(()) }
    /// ```
    pub fn put_archive(
        &self,
        path: &str,
        opts: PutArchiveOptions,
        tar: Body,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let path = path.to_owned();
        async move {
            let path = path.as_str();
            let _ = this.docker.send_empty(api::put_archive(&this.id, path, &opts, tar)?).await?;
            Ok(())
        }
    }
}
