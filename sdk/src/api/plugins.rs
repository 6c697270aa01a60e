//! `/plugins/...`.

use super::networks::with_filters;
use crate::models::{AuthConfig, PluginPrivilege};
use crate::request::{ApiRequest, Silence, segment};
use crate::{Body, Result};

typed_filters! {
    /// Filters of `GET /plugins`.
    ///
    /// ```
    /// use dockhand::api::PluginFilters;
    /// let f = PluginFilters::new().capability("volumedriver").enabled("true");
    /// assert_eq!(f.filters().get("enable"), ["true"]);
    /// ```
    pub struct PluginFilters {
        /// Plugins with this capability (`volumedriver`, `networkdriver`, ...).
        capability = "capability",
        /// `true` or `false`.
        enabled = "enable",
    }
}

/// `GET /plugins`.
pub fn list(filters: &PluginFilters) -> Result<ApiRequest> {
    with_filters(ApiRequest::get("/plugins"), filters.filters())
}

fn path(name: &str, rest: &str) -> Result<String> {
    Ok(format!("/plugins/{}{rest}", segment("plugin name", name)?))
}

fn not_empty(what: &'static str, value: &str) -> Result<()> {
    if value.is_empty() { Err(crate::Error::invalid(what, "must not be empty")) } else { Ok(()) }
}

/// `GET /plugins/privileges?remote=...`: what a plugin asks for.
pub fn privileges(remote: &str) -> Result<ApiRequest> {
    not_empty("plugin reference", remote)?;
    Ok(ApiRequest::get("/plugins/privileges").query("remote", remote))
}

/// Options of a plugin pull.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PluginPullOptions {
    remote: String,
    name: Option<String>,
    privileges: Vec<PluginPrivilege>,
    auth: Option<AuthConfig>,
}

impl PluginPullOptions {
    /// Pulls `remote` (`vieux/sshfs:latest`), granting `privileges` (as
    /// [`privileges`] listed them: the daemon refuses a pull that does not
    /// grant them all).
    pub fn new(remote: impl Into<String>, privileges: Vec<PluginPrivilege>) -> Self {
        PluginPullOptions { remote: remote.into(), privileges, ..Default::default() }
    }

    /// Installs it under another name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Credentials for the registry, instead of those the client finds
    /// itself (see [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
    pub fn auth(mut self, auth: AuthConfig) -> Self {
        self.auth = Some(auth);
        self
    }

    /// The plugin reference to pull.
    #[cfg(feature = "native")]
    pub(crate) fn remote(&self) -> &str {
        &self.remote
    }

    /// Whether credentials were given with [`PluginPullOptions::auth`].
    #[cfg(feature = "native")]
    pub(crate) fn has_auth(&self) -> bool {
        self.auth.is_some()
    }
}

/// `POST /plugins/pull`: a progress stream.
pub fn pull(opts: &PluginPullOptions) -> Result<ApiRequest> {
    not_empty("plugin reference", &opts.remote)?;
    let mut req = ApiRequest::post("/plugins/pull").query("remote", &opts.remote).query_opt("name", opts.name.as_ref());
    if let Some(auth) = &opts.auth {
        req = super::images::with_auth(req, Some(auth))?;
    }
    Ok(req.json(&opts.privileges)?.silence(Silence::Long))
}

/// `POST /plugins/{name}/upgrade?remote=...`: a progress stream. The plugin
/// must be disabled.
pub fn upgrade(
    name: &str,
    remote: &str,
    privileges: &[PluginPrivilege],
    auth: Option<&AuthConfig>,
) -> Result<ApiRequest> {
    not_empty("plugin reference", remote)?;
    let mut req = ApiRequest::post(path(name, "/upgrade")?).query("remote", remote);
    if let Some(auth) = auth {
        req = super::images::with_auth(req, Some(auth))?;
    }
    Ok(req.json(privileges)?.silence(Silence::Long))
}

/// `GET /plugins/{name}/json`.
pub fn inspect(name: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(path(name, "/json")?))
}

force_options! {
    /// Options of `DELETE /plugins/{name}`.
    PluginRemoveOptions, "Remove it even while enabled."
}

/// `DELETE /plugins/{name}`; `force` removes an enabled plugin. The answer
/// is the removed plugin.
pub fn delete(name: &str, opts: &PluginRemoveOptions) -> Result<ApiRequest> {
    Ok(ApiRequest::delete(path(name, "")?).query_opt("force", opts.is_force().then_some("true")))
}

/// `POST /plugins/{name}/enable`; `timeout` seconds for the plugin to
/// start (0: the daemon's default).
pub fn enable(name: &str, timeout: u32) -> Result<ApiRequest> {
    Ok(ApiRequest::post(path(name, "/enable")?).query_opt("timeout", (timeout > 0).then_some(timeout)))
}

force_options! {
    /// Options of `POST /plugins/{name}/disable`.
    PluginDisableOptions, "Disable it even while volumes or networks use it."
}

/// `POST /plugins/{name}/disable`; `force` disables a plugin in use.
pub fn disable(name: &str, opts: &PluginDisableOptions) -> Result<ApiRequest> {
    Ok(ApiRequest::post(path(name, "/disable")?).query_opt("force", opts.is_force().then_some("true")))
}

/// `POST /plugins/create?name=...`: a plugin from a tar of its
/// `config.json` and `rootfs/`.
pub fn create(name: &str, tar: Body) -> Result<ApiRequest> {
    not_empty("plugin name", name)?;
    Ok(ApiRequest::post("/plugins/create").query("name", name).body("application/x-tar", tar).silence(Silence::Long))
}

/// `POST /plugins/{name}/push`: a progress stream.
pub fn push(name: &str, auth: Option<&AuthConfig>) -> Result<ApiRequest> {
    let mut req = ApiRequest::post(path(name, "/push")?);
    if let Some(auth) = auth {
        req = super::images::with_auth(req, Some(auth))?;
    }
    Ok(req.silence(Silence::Long))
}

/// `POST /plugins/{name}/set`: settings as `KEY=value`, `mount.source=...`,
/// `device.path=...` or `args=...`.
pub fn set(name: &str, settings: &[String]) -> Result<ApiRequest> {
    ApiRequest::post(path(name, "/set")?).json(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiVersion;

    #[test]
    fn request_shapes() {
        let req = pull(&PluginPullOptions::new("vieux/sshfs:latest", vec![]).name("sshfs")).unwrap();
        assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/plugins/pull?remote=vieux%2Fsshfs%3Alatest&name=sshfs");
        assert_eq!(inspect("vieux/sshfs:latest").unwrap().path(), "/plugins/vieux%2Fsshfs:latest/json");
        assert_eq!(enable("p", 0).unwrap().path_and_query(ApiVersion::MIN), "/v1.41/plugins/p/enable");
        assert_eq!(enable("p", 5).unwrap().path_and_query(ApiVersion::MIN), "/v1.41/plugins/p/enable?timeout=5");
        assert!(privileges("").is_err() && inspect("../containers").is_err() && create("", Body::empty()).is_err());
    }
}
