//! The plugins handle.

use futures::stream::BoxStream;

use super::Docker;
use super::images::progress;
use crate::api::plugins as api;
use crate::api::{PluginDisableOptions, PluginFilters, PluginPullOptions, PluginRemoveOptions};
use crate::models::{AuthConfig, Plugin, PluginPrivilege, ProgressMessage};
use crate::{Body, Result};

/// Operations on plugins: `docker.plugins()`.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::api::PluginPullOptions;
/// use futures::TryStreamExt;
/// let privileges = docker.plugins().privileges("vieux/sshfs:latest").await?;
/// // Show them to the user; pulling grants them.
/// docker.plugins().pull(PluginPullOptions::new("vieux/sshfs:latest", privileges)).try_collect::<Vec<_>>().await?;
/// docker.plugins().get("vieux/sshfs:latest").enable(0).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Plugins {
    docker: Docker,
}

/// One plugin, by name or id.
#[derive(Debug, Clone)]
pub struct PluginHandle {
    docker: Docker,
    name: String,
}

impl Docker {
    /// The plugins of this daemon.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::PluginFilters;
    /// for plugin in docker.plugins().list(PluginFilters::new()).await? {
    ///     println!("{} enabled={}", plugin.name, plugin.enabled);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn plugins(&self) -> Plugins {
        Plugins { docker: self.clone() }
    }
}

impl Plugins {
    /// A handle for the plugin with this name or id (sends nothing).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let sshfs = docker.plugins().get("vieux/sshfs:latest");
    /// if !sshfs.inspect().await?.enabled {
    ///     sshfs.enable(0).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self, name: impl Into<String>) -> PluginHandle {
        PluginHandle { docker: self.docker.clone(), name: name.into() }
    }

    /// `GET /plugins`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::PluginFilters;
    /// let filters = PluginFilters::new().capability("volumedriver").enabled("true");
    /// let volume_drivers = docker.plugins().list(filters).await?;
    /// let names: Vec<_> = volume_drivers.iter().map(|p| p.name.as_str()).collect();
    /// println!("volume drivers: {}", names.join(", "));
    /// # Ok(()) }
    /// ```
    pub fn list(&self, filters: PluginFilters) -> impl Future<Output = Result<Vec<Plugin>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&filters)?).await }
    }

    /// `GET /plugins/privileges`: what the plugin at `remote` asks for.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let privileges = docker.plugins().privileges("vieux/sshfs:latest").await?;
    /// for p in &privileges {
    ///     println!("{}: {} {:?}", p.name, p.description, p.value);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn privileges(&self, remote: &str) -> impl Future<Output = Result<Vec<PluginPrivilege>>> + Send + 'static {
        let this = self.clone();
        let remote = remote.to_owned();
        async move {
            let remote = remote.as_str();
            this.docker.send_json(api::privileges(remote)?).await
        }
    }

    /// `POST /plugins/pull`: installs a plugin (disabled), streaming
    /// progress; an error in the stream ends it with an error.
    ///
    /// Without [`PluginPullOptions::auth`], the credentials stored for the
    /// registry are used (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::PluginPullOptions;
    /// use futures::StreamExt;
    /// let privileges = docker.plugins().privileges("vieux/sshfs:latest").await?;
    /// let opts = PluginPullOptions::new("vieux/sshfs:latest", privileges).name("sshfs");
    /// let mut progress = docker.plugins().pull(opts);
    /// while let Some(msg) = progress.next().await {
    ///     println!("{}", msg?.status.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pull(&self, opts: PluginPullOptions) -> BoxStream<'static, Result<ProgressMessage>> {
        #[cfg(feature = "native")]
        if !opts.has_auth() {
            let docker = self.docker.clone();
            let request = async move {
                let mut opts = opts;
                if let Some(auth) = docker.stored_auth(opts.remote()).await? {
                    opts = opts.auth(auth);
                }
                api::pull(&opts)
            };
            return progress(self.docker.send_json_stream_later(Box::pin(request), "plugin pull"), "plugin pull");
        }
        progress(self.docker.send_json_stream(api::pull(&opts), "plugin pull"), "plugin pull")
    }

    /// `POST /plugins/create`: a plugin named `name` from a tar with its
    /// `config.json` and `rootfs/`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// // A tar holding config.json and rootfs/, as `docker plugin create` makes it:
    /// let tar = std::fs::read("my-plugin.tar").expect("the plugin's tar");
    /// docker.plugins().create("my-plugin:1.0", dockhand::Body::full(tar)).await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, name: &str, tar: Body) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let name = name.to_owned();
        async move {
            let name = name.as_str();
            this.docker.send_empty(api::create(name, tar)?).await.map(drop)
        }
    }
}

impl PluginHandle {
    /// The name this handle was made with.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let plugin = docker.plugins().get("vieux/sshfs:latest");
    /// plugin.disable().await?;
    /// println!("disabled {}", plugin.name());
    /// # Ok(()) }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `GET /plugins/{name}/json`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let plugin = docker.plugins().get("vieux/sshfs").inspect().await?;
    /// println!("{}: {} (settings {:?})", plugin.name, plugin.config.description, plugin.settings.env);
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<Plugin>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.name)?).await }
    }

    /// `DELETE /plugins/{name}`: removes a disabled plugin and returns what
    /// it was.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let plugin = docker.plugins().get("vieux/sshfs");
    /// plugin.disable().await?;
    /// let removed = plugin.remove().await?;
    /// println!("removed {}", removed.plugin_reference);
    /// # Ok(()) }
    /// ```
    pub fn remove(&self) -> impl Future<Output = Result<Plugin>> + Send + 'static {
        self.remove_with(PluginRemoveOptions::new())
    }

    /// `DELETE /plugins/{name}` with options: `force` for an enabled plugin.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::PluginRemoveOptions;
    /// let gone = docker.plugins().get("vieux/sshfs").remove_with(PluginRemoveOptions::new().force(true)).await?;
    /// println!("removed {}", gone.name);
    /// # Ok(()) }
    /// ```
    pub fn remove_with(&self, opts: PluginRemoveOptions) -> impl Future<Output = Result<Plugin>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::delete(&this.name, &opts)?).await }
    }

    /// `POST /plugins/{name}/enable`, allowing `timeout_secs` for it to
    /// start (0: the daemon's default).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// // Allow the plugin 30 seconds to start.
    /// docker.plugins().get("vieux/sshfs").enable(30).await?;
    /// # Ok(()) }
    /// ```
    pub fn enable(&self, timeout_secs: u32) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::enable(&this.name, timeout_secs)?).await.map(drop) }
    }

    /// `POST /plugins/{name}/disable`: a plugin in use is a conflict.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.plugins().get("vieux/sshfs").disable().await {
    ///     Err(e) if e.is_conflict() => println!("still in use by a volume"),
    ///     other => other?,
    /// }
    /// # Ok(()) }
    /// ```
    pub fn disable(&self) -> impl Future<Output = Result<()>> + Send + 'static {
        self.disable_with(PluginDisableOptions::new())
    }

    /// `POST /plugins/{name}/disable` with options: `force` even while in
    /// use.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::PluginDisableOptions;
    /// docker.plugins().get("vieux/sshfs").disable_with(PluginDisableOptions::new().force(true)).await?;
    /// # Ok(()) }
    /// ```
    pub fn disable_with(&self, opts: PluginDisableOptions) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_empty(api::disable(&this.name, &opts)?).await.map(drop) }
    }

    /// `POST /plugins/{name}/upgrade`: replaces a disabled plugin with the
    /// one at `remote`, granting `privileges`. Without `auth`, the
    /// credentials stored for `remote`'s registry are used (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use futures::TryStreamExt;
    /// let plugin = docker.plugins().get("vieux/sshfs");
    /// let privileges = docker.plugins().privileges("vieux/sshfs:next").await?;
    /// plugin.disable().await?;
    /// plugin.upgrade("vieux/sshfs:next", privileges, None).try_collect::<Vec<_>>().await?;
    /// # Ok(()) }
    /// ```
    pub fn upgrade(
        &self,
        remote: &str,
        privileges: Vec<PluginPrivilege>,
        auth: Option<&AuthConfig>,
    ) -> BoxStream<'static, Result<ProgressMessage>> {
        #[cfg(feature = "native")]
        if auth.is_none() {
            let (docker, name, remote) = (self.docker.clone(), self.name.clone(), remote.to_owned());
            let request = async move {
                let stored = docker.stored_auth(&remote).await?;
                api::upgrade(&name, &remote, &privileges, stored.as_ref())
            };
            return progress(self.docker.send_json_stream_later(Box::pin(request), "plugin upgrade"), "plugin upgrade");
        }
        let request = api::upgrade(&self.name, remote, &privileges, auth);
        progress(self.docker.send_json_stream(request, "plugin upgrade"), "plugin upgrade")
    }

    /// `POST /plugins/{name}/push`: pushes it to its registry. Without
    /// `auth`, the credentials stored for that registry are used (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use futures::StreamExt;
    /// let mut progress = docker.plugins().get("registry.example.com/me/sshfs:1.0").push(None);
    /// while let Some(msg) = progress.next().await {
    ///     println!("{}", msg?.status.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn push(&self, auth: Option<&AuthConfig>) -> BoxStream<'static, Result<ProgressMessage>> {
        #[cfg(feature = "native")]
        if auth.is_none() {
            let (docker, name) = (self.docker.clone(), self.name.clone());
            let request = async move {
                let stored = docker.stored_auth(&name).await?;
                api::push(&name, stored.as_ref())
            };
            return progress(self.docker.send_json_stream_later(Box::pin(request), "plugin push"), "plugin push");
        }
        progress(self.docker.send_json_stream(api::push(&self.name, auth), "plugin push"), "plugin push")
    }

    /// `POST /plugins/{name}/set`: changes settings (`KEY=value`,
    /// `mount.source=/path`, `args=...`) of a disabled plugin.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let plugin = docker.plugins().get("vieux/sshfs");
    /// plugin.disable().await?;
    /// plugin.set(&["DEBUG=1", "sshkey.source=/home/me/.ssh"]).await?;
    /// plugin.enable(0).await?;
    /// # Ok(()) }
    /// ```
    pub fn set(&self, settings: &[&str]) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let settings: Vec<String> = settings.iter().map(|s| (*s).to_owned()).collect();
        async move {
            let settings: Vec<&str> = settings.iter().map(String::as_str).collect();
            let settings = settings.as_slice();
            let settings: Vec<String> = settings.iter().map(|s| (*s).to_owned()).collect();
            this.docker.send_empty(api::set(&this.name, &settings)?).await.map(drop)
        }
    }
}
