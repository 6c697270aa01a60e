//! `POST /build` (the classic builder; no BuildKit session).

use std::collections::BTreeMap;

use http::header::HeaderValue;

use crate::models::RegistryConfig;
use crate::reference::Reference;
use crate::request::{ApiRequest, Silence};
use crate::{Body, Error, Result};

string_enum! {
    /// Which builder the daemon uses (`version`).
    pub enum BuilderVersion {
        /// The classic builder, which needs no session.
        V1 = "1",
        /// BuildKit (needs a gRPC session this client does not provide).
        V2 = "2",
    }
}

/// Options of an image build.
///
/// ```
/// use dockhand::api::BuildOptions;
/// let opts = BuildOptions::new()
///     .tag("app:1")
///     .tag("app:latest")
///     .dockerfile("docker/Dockerfile")
///     .build_arg("VERSION", "1.2")
///     .label("dockhand.test", "1")
///     .target("runtime")
///     .no_cache(true);
/// let req = dockhand::api::build::build(&opts, dockhand::Body::empty())?;
/// let pq = req.path_and_query(dockhand::ApiVersion::MIN);
/// assert!(pq.starts_with("/v1.41/build?dockerfile=docker%2FDockerfile&t=app%3A1&t=app%3Alatest"));
/// assert!(pq.contains("buildargs=%7B%22VERSION%22%3A%221.2%22%7D"));
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildOptions {
    tags: Vec<String>,
    dockerfile: Option<String>,
    build_args: BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
    target: Option<String>,
    no_cache: Option<bool>,
    pull: Option<bool>,
    rm: Option<bool>,
    force_rm: Option<bool>,
    network_mode: Option<String>,
    platform: Option<String>,
    extra_hosts: Vec<String>,
    remote: Option<String>,
    quiet: Option<bool>,
    cache_from: Vec<String>,
    memory: Option<i64>,
    memswap: Option<i64>,
    cpu_shares: Option<i64>,
    cpuset_cpus: Option<String>,
    cpu_period: Option<i64>,
    cpu_quota: Option<i64>,
    shm_size: Option<i64>,
    squash: Option<bool>,
    outputs: Option<String>,
    version: Option<BuilderVersion>,
    registry_config: Option<RegistryConfig>,
}

impl BuildOptions {
    /// The daemon's defaults (classic builder; intermediate containers
    /// removed after a successful build).
    pub fn new() -> Self {
        Self::default()
    }

    /// Names the image (`name:tag`); may be given several times.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// The Dockerfile's path inside the context (default `Dockerfile`).
    pub fn dockerfile(mut self, path: impl Into<String>) -> Self {
        self.dockerfile = Some(path.into());
        self
    }

    /// A build-time variable (`ARG`).
    pub fn build_arg(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.build_args.insert(name.into(), value.into());
        self
    }

    /// A label for the image.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// The stage of a multi-stage Dockerfile to build.
    pub fn target(mut self, stage: impl Into<String>) -> Self {
        self.target = Some(stage.into());
        self
    }

    /// Do not use the cache.
    pub fn no_cache(mut self, yes: bool) -> Self {
        self.no_cache = Some(yes);
        self
    }

    /// Pull newer base images even if present.
    pub fn pull(mut self, yes: bool) -> Self {
        self.pull = Some(yes);
        self
    }

    /// Remove intermediate containers after a successful build (default).
    pub fn rm(mut self, yes: bool) -> Self {
        self.rm = Some(yes);
        self
    }

    /// Remove intermediate containers always, even after a failure.
    pub fn force_rm(mut self, yes: bool) -> Self {
        self.force_rm = Some(yes);
        self
    }

    /// The network of `RUN` steps (`bridge`, `host`, `none`, a network).
    pub fn network_mode(mut self, mode: impl Into<String>) -> Self {
        self.network_mode = Some(mode.into());
        self
    }

    /// The platform (`linux/amd64`).
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }

    /// An extra `/etc/hosts` entry (`host:ip`) for `RUN` steps.
    pub fn extra_host(mut self, entry: impl Into<String>) -> Self {
        self.extra_hosts.push(entry.into());
        self
    }

    /// A remote context (git URL or tarball URL) instead of a body.
    pub fn remote(mut self, url: impl Into<String>) -> Self {
        self.remote = Some(url.into());
        self
    }

    /// Suppress the build output (only the image id is streamed).
    pub fn quiet(mut self, yes: bool) -> Self {
        self.quiet = Some(yes);
        self
    }

    /// An image to use as a cache source.
    pub fn cache_from(mut self, image: impl Into<String>) -> Self {
        self.cache_from.push(image.into());
        self
    }

    /// Memory limit of `RUN` steps, bytes.
    pub fn memory(mut self, bytes: i64) -> Self {
        self.memory = Some(bytes);
        self
    }

    /// Memory plus swap of `RUN` steps (`-1`: unlimited swap).
    pub fn memswap(mut self, bytes: i64) -> Self {
        self.memswap = Some(bytes);
        self
    }

    /// Relative CPU weight of `RUN` steps.
    pub fn cpu_shares(mut self, shares: i64) -> Self {
        self.cpu_shares = Some(shares);
        self
    }

    /// CPUs `RUN` steps may use (`0-3`, `0,1`).
    pub fn cpuset_cpus(mut self, cpus: impl Into<String>) -> Self {
        self.cpuset_cpus = Some(cpus.into());
        self
    }

    /// CPU CFS period, microseconds.
    pub fn cpu_period(mut self, us: i64) -> Self {
        self.cpu_period = Some(us);
        self
    }

    /// CPU CFS quota, microseconds.
    pub fn cpu_quota(mut self, us: i64) -> Self {
        self.cpu_quota = Some(us);
        self
    }

    /// Size of `/dev/shm` in bytes.
    pub fn shm_size(mut self, bytes: i64) -> Self {
        self.shm_size = Some(bytes);
        self
    }

    /// Squash the new layers into one (experimental daemons).
    pub fn squash(mut self, yes: bool) -> Self {
        self.squash = Some(yes);
        self
    }

    /// BuildKit output configuration.
    pub fn outputs(mut self, outputs: impl Into<String>) -> Self {
        self.outputs = Some(outputs.into());
        self
    }

    /// The builder (`1`: classic, the only one usable without a session).
    pub fn builder_version(mut self, version: BuilderVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// Credentials for registries the build pulls from (`X-Registry-Config`),
    /// instead of all those the client finds itself (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials));
    /// an empty one sends none.
    pub fn registry_config(mut self, config: RegistryConfig) -> Self {
        self.registry_config = Some(config);
        self
    }

    /// Whether credentials were given with [`BuildOptions::registry_config`].
    #[cfg(feature = "native")]
    pub(crate) fn has_registry_config(&self) -> bool {
        self.registry_config.is_some()
    }
}

/// `POST /build`: builds an image from `context`, a tar archive (see
/// [`crate::build_context::BuildContext`]). Tags are checked as references
/// before anything is sent.
pub fn build(opts: &BuildOptions, context: Body) -> Result<ApiRequest> {
    let mut req = ApiRequest::post("/build").query_opt("dockerfile", opts.dockerfile.as_ref());
    if let Some(path) = &opts.dockerfile {
        if path.is_empty() || path.chars().any(char::is_control) {
            return Err(Error::invalid("dockerfile path", format!("{path:?} is not a path")));
        }
    }
    for t in &opts.tags {
        let reference = Reference::parse(t)?;
        if reference.digest().is_some() {
            return Err(Error::invalid("build tag", format!("{t:?}: a tag cannot have a digest")));
        }
        req = req.query("t", t);
    }
    for h in &opts.extra_hosts {
        req = req.query("extrahosts", h);
    }
    req =
        req.query_opt("remote", opts.remote.as_ref()).query_flag("q", opts.quiet).query_flag("nocache", opts.no_cache);
    if !opts.cache_from.is_empty() {
        req = req.query_json("cachefrom", &opts.cache_from)?;
    }
    req = req
        .query_flag("pull", opts.pull)
        .query_flag("rm", opts.rm)
        .query_flag("forcerm", opts.force_rm)
        .query_opt("memory", opts.memory)
        .query_opt("memswap", opts.memswap)
        .query_opt("cpushares", opts.cpu_shares)
        .query_opt("cpusetcpus", opts.cpuset_cpus.as_ref())
        .query_opt("cpuperiod", opts.cpu_period)
        .query_opt("cpuquota", opts.cpu_quota);
    if !opts.build_args.is_empty() {
        req = req.query_json("buildargs", &opts.build_args)?;
    }
    req = req.query_opt("shmsize", opts.shm_size).query_flag("squash", opts.squash);
    if !opts.labels.is_empty() {
        req = req.query_json("labels", &opts.labels)?;
    }
    req = req
        .query_opt("networkmode", opts.network_mode.as_ref())
        .query_opt("platform", opts.platform.as_ref())
        .query_opt("target", opts.target.as_ref())
        .query_opt("outputs", opts.outputs.as_ref())
        .query_opt("version", opts.version.as_ref());
    if let Some(config) = opts.registry_config.as_ref().filter(|c| !c.is_empty()) {
        let mut value = HeaderValue::from_str(&config.encode_header())
            .map_err(|_| Error::invalid("registry credentials", "cannot be sent as a header"))?;
        value.set_sensitive(true);
        req = req.header(crate::headers::X_REGISTRY_CONFIG, value);
    }
    // A RUN step may print nothing for a long time.
    Ok(req.body("application/x-tar", context).silence(Silence::Long))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiVersion;
    use crate::models::AuthConfig;

    #[test]
    fn every_option_reaches_the_query() {
        let opts = BuildOptions::new()
            .tag("a:1")
            .no_cache(true)
            .pull(false)
            .rm(true)
            .force_rm(true)
            .network_mode("none")
            .platform("linux/amd64")
            .target("t")
            .label("k", "v")
            .extra_host("h:127.0.0.1")
            .cache_from("a:0")
            .memory(1 << 30)
            .shm_size(1 << 20)
            .builder_version(BuilderVersion::V1);
        let pq = build(&opts, Body::empty()).unwrap().path_and_query(ApiVersion::MIN);
        for part in [
            "t=a%3A1",
            "nocache=1",
            "pull=0",
            "rm=1",
            "forcerm=1",
            "networkmode=none",
            "platform=linux%2Famd64",
            "target=t",
            "labels=%7B%22k%22%3A%22v%22%7D",
            "extrahosts=h%3A127.0.0.1",
            "cachefrom=%5B%22a%3A0%22%5D",
            "memory=1073741824",
            "shmsize=1048576",
            "version=1",
        ] {
            assert!(pq.contains(part), "{part} missing from {pq}");
        }
    }

    #[test]
    fn bad_tags_and_registry_config() {
        assert!(build(&BuildOptions::new().tag("Bad"), Body::empty()).is_err());
        assert!(build(&BuildOptions::new().dockerfile(""), Body::empty()).is_err());
        let config = RegistryConfig::new().with("localhost:5000", AuthConfig::password("localhost:5000", "u", "pw"));
        let req = build(&BuildOptions::new().registry_config(config), Body::empty()).unwrap();
        assert!(!format!("{req:?}").contains("pw\""));
        let http = req.into_http(ApiVersion::MIN).unwrap();
        assert!(http.headers().contains_key("x-registry-config"));
        assert_eq!(http.headers()["content-type"], "application/x-tar");
    }
}
