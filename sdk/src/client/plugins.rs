//! The plugins handle.

use futures::stream::BoxStream;

use super::Docker;
use super::images::progress;
use crate::api::plugins as api;
use crate::api::{PluginFilters, PluginPullOptions};
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
    pub fn plugins(&self) -> Plugins {
        Plugins { docker: self.clone() }
    }
}

impl Plugins {
    /// A handle for the plugin with this name or id (sends nothing).
    pub fn get(&self, name: impl Into<String>) -> PluginHandle {
        PluginHandle { docker: self.docker.clone(), name: name.into() }
    }

    /// `GET /plugins`.
    pub async fn list(&self, filters: PluginFilters) -> Result<Vec<Plugin>> {
        self.docker.send_json(api::list(&filters)?).await
    }

    /// `GET /plugins/privileges`: what the plugin at `remote` asks for.
    pub async fn privileges(&self, remote: &str) -> Result<Vec<PluginPrivilege>> {
        self.docker.send_json(api::privileges(remote)?).await
    }

    /// `POST /plugins/pull`: installs a plugin (disabled), streaming
    /// progress; an error in the stream ends it with an error.
    ///
    /// Without [`PluginPullOptions::auth`], the credentials stored for the
    /// registry are used (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
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
    pub async fn create(&self, name: &str, tar: Body) -> Result<()> {
        self.docker.send_empty(api::create(name, tar)?).await.map(drop)
    }
}

impl PluginHandle {
    /// The name this handle was made with.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `GET /plugins/{name}/json`.
    pub async fn inspect(&self) -> Result<Plugin> {
        self.docker.send_json(api::inspect(&self.name)?).await
    }

    /// `DELETE /plugins/{name}`: removes it and returns what it was;
    /// `force` for an enabled plugin.
    pub async fn remove(&self, force: bool) -> Result<Plugin> {
        self.docker.send_json(api::delete(&self.name, force)?).await
    }

    /// `POST /plugins/{name}/enable`, allowing `timeout_secs` for it to
    /// start (0: the daemon's default).
    pub async fn enable(&self, timeout_secs: u32) -> Result<()> {
        self.docker.send_empty(api::enable(&self.name, timeout_secs)?).await.map(drop)
    }

    /// `POST /plugins/{name}/disable`; `force` even while in use.
    pub async fn disable(&self, force: bool) -> Result<()> {
        self.docker.send_empty(api::disable(&self.name, force)?).await.map(drop)
    }

    /// `POST /plugins/{name}/upgrade`: replaces a disabled plugin with the
    /// one at `remote`, granting `privileges`. Without `auth`, the
    /// credentials stored for `remote`'s registry are used (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
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
    pub async fn set(&self, settings: &[&str]) -> Result<()> {
        let settings: Vec<String> = settings.iter().map(|s| (*s).to_owned()).collect();
        self.docker.send_empty(api::set(&self.name, &settings)?).await.map(drop)
    }
}
