//! The [`Docker`] client: version negotiation, timeouts, retries, tracing,
//! and the one path every request takes.
//!
//! Handles for each kind of object live in the submodules and call the
//! `send_*` helpers here with an [`ApiRequest`] built by [`crate::api`].

#[cfg(feature = "native")]
mod attach_ws;
mod configs;
mod container_streams;
mod containers;
mod exec;
mod images;
mod networks;
mod nodes;
mod plugins;
mod secrets;
mod services;
mod swarm;
mod system;
mod tasks;
mod volumes;

#[cfg(feature = "native")]
pub use attach_ws::{WsAttached, WsInput};
pub use configs::{ConfigHandle, Configs};
pub use container_streams::{AttachInput, Attached, Logs, RunOutput};
pub use containers::{ContainerArchive, ContainerHandle, Containers};
pub use exec::ExecHandle;
pub use images::{ImageHandle, Images, ProgressOutcome, ProgressStream, fold_progress};
pub use networks::{NetworkHandle, Networks};
pub use nodes::{NodeHandle, Nodes};
pub use plugins::{PluginHandle, Plugins};
pub use secrets::{SecretHandle, Secrets};
pub use services::{ServiceHandle, Services};
pub use swarm::SwarmHandle;
pub use tasks::{TaskHandle, Tasks};
pub use volumes::{VolumeHandle, Volumes};

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use http::StatusCode;
use serde::de::DeserializeOwned;

#[cfg(feature = "native")]
use crate::config::resolve_endpoint;
use crate::config::{Endpoint, Pem, SystemEnvironment, TlsSettings};
use crate::credentials::RegistryCredentials;
#[cfg(feature = "native")]
use crate::models::{AuthConfig, RegistryConfig};
use crate::request::{ApiRequest, Silence, Timeouts};
use crate::response::{ERROR_BODY_LIMIT, RequestInfo, api_error, decode_json};
use crate::stream::JsonStream;
use crate::transport::{Transport, UpgradeOutcome};
use crate::{ApiVersion, Body, Error, Host, Result};

/// The most a JSON answer may weigh (256 MiB); larger is an error, not an
/// out-of-memory.
pub const JSON_BODY_LIMIT: usize = 256 * 1024 * 1024;

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for the response's headers.
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(120);
/// Default time a body may go without bytes (followed streams excepted).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// A client for one Docker daemon.
///
/// Cheap to clone: clones share the connection pool and the negotiated
/// version. Methods for the daemon as a whole (`ping`, `version`, `info`,
/// `events`, `df`, `auth`) are on `Docker` itself; each kind of object has a
/// handle (`docker.containers()`, ...).
///
/// ```no_run
/// # async fn demo() -> dockhand::Result<()> {
/// let docker = dockhand::Docker::connect().await?;
/// let version = docker.version().await?;
/// println!("Docker {} (API {})", version.version, docker.api_version().await?);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Docker {
    shared: Arc<Shared>,
    settings: Settings,
}

struct Shared {
    transport: Arc<dyn Transport>,
    pinned: Option<ApiVersion>,
    negotiated: std::sync::OnceLock<ApiVersion>,
    /// Held by the one call that negotiates; the others wait for its answer.
    negotiating: futures::lock::Mutex<()>,
    retry: Option<RetryPolicy>,
    credentials: RegistryCredentials,
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    connect: Option<Duration>,
    response: Option<Duration>,
    idle: Option<Duration>,
    /// Whether `idle` applies to followed streams too (set per call).
    idle_for_streams: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            connect: Some(DEFAULT_CONNECT_TIMEOUT),
            response: Some(DEFAULT_RESPONSE_TIMEOUT),
            idle: Some(DEFAULT_IDLE_TIMEOUT),
            idle_for_streams: false,
        }
    }
}

impl std::fmt::Debug for Docker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Docker")
            .field("endpoint", &self.shared.transport.describe())
            .field("api_version", &self.shared.pinned.or_else(|| self.shared.negotiated.get().copied()))
            .field("registry_credentials", &self.shared.credentials)
            .finish()
    }
}

/// When and how often to retry a request that could not connect.
///
/// Retries are off unless set with [`DockerBuilder::retry`]. Only requests
/// that are safe to repeat (`GET`, `HEAD`, `PUT`, `DELETE` with a replayable
/// body) are retried, and only when the connection could not be made, so the
/// daemon never sees a request twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first wait; each next one doubles.
    pub initial_backoff: Duration,
    /// The longest wait.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// `max_retries` retries starting at 100 ms and doubling up to 2 s.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use dockhand::RetryPolicy;
    /// // Up to 5 retries, 100 ms apart at first, for a daemon that is still starting.
    /// let docker = dockhand::Docker::builder().retry(RetryPolicy::new(5)).build()?;
    /// # Ok(()) }
    /// ```
    pub fn new(max_retries: u32) -> Self {
        RetryPolicy { max_retries, initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_secs(2) }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX);
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// Configures a [`Docker`] client explicitly.
///
/// ```no_run
/// use std::time::Duration;
/// # fn demo() -> dockhand::Result<()> {
/// let docker = dockhand::Docker::builder()
///     .host("unix:///var/run/docker.sock")?
///     .api_version("1.41")?
///     .connect_timeout(Some(Duration::from_millis(500)))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct DockerBuilder {
    endpoint: Option<Endpoint>,
    api_version: Option<ApiVersion>,
    settings: Settings,
    retry: Option<RetryPolicy>,
    pool_max_idle: Option<usize>,
    tls: TlsPatch,
    #[cfg(feature = "ssh")]
    ssh: crate::transport::SshOptions,
    credentials: RegistryCredentials,
}

/// The TLS settings set on a builder, applied over the endpoint's.
#[derive(Debug, Clone, Default)]
struct TlsPatch {
    ca: Option<Pem>,
    identity: Option<(Pem, Pem)>,
    server_name: Option<String>,
    danger_accept_invalid_certs: Option<bool>,
}

#[cfg_attr(not(feature = "native"), allow(dead_code))]
impl TlsPatch {
    fn is_empty(&self) -> bool {
        self.ca.is_none()
            && self.identity.is_none()
            && self.server_name.is_none()
            && self.danger_accept_invalid_certs.is_none()
    }

    /// The endpoint with these settings over its own; any of them turns
    /// TLS on for a TCP daemon.
    fn apply(&self, mut endpoint: Endpoint) -> Endpoint {
        if self.is_empty() || !matches!(endpoint.host, Host::Tcp { .. }) {
            return endpoint;
        }
        let mut tls = endpoint
            .tls
            .take()
            .unwrap_or_else(|| TlsSettings { origin: "set by the program".into(), ..TlsSettings::default() });
        if let Some(ca) = &self.ca {
            tls.ca = Some(ca.clone());
        }
        if let Some((cert, key)) = &self.identity {
            tls.cert = Some(cert.clone());
            tls.key = Some(key.clone());
        }
        if let Some(name) = &self.server_name {
            tls.server_name = Some(name.clone());
        }
        if let Some(danger) = self.danger_accept_invalid_certs {
            tls.danger_accept_invalid_certs = danger;
        }
        endpoint.tls = Some(tls);
        endpoint
    }
}

fn read_pem(path: &std::path::Path, what: &str) -> Result<Pem> {
    Pem::read(&SystemEnvironment, path)
        .map_err(|source| Error::Io { context: format!("reading the {what} {}", path.display()), source })
}

impl DockerBuilder {
    /// The daemon's address (`unix:///...`, `tcp://host:port`). Without it,
    /// the environment decides, as for [`Docker::from_env`].
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// let remote = dockhand::Docker::builder().host("tcp://10.0.0.5:2375")?.build()?;
    /// let local = dockhand::Docker::builder().host("unix:///run/user/1000/docker.sock")?.build()?;
    /// # Ok(()) }
    /// ```
    pub fn host(mut self, host: &str) -> Result<Self> {
        self.endpoint = Some(Endpoint::explicit(host.parse::<Host>()?));
        Ok(self)
    }

    /// A resolved endpoint (from [`crate::config::resolve_endpoint`]).
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use dockhand::config::{SystemEnvironment, resolve_endpoint};
    /// let endpoint = resolve_endpoint(&SystemEnvironment)?;
    /// println!("using {}", endpoint.describe());
    /// let docker = dockhand::Docker::builder().endpoint(endpoint).build()?;
    /// # Ok(()) }
    /// ```
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// The docker CLI context called `name` (as `docker --context NAME`),
    /// whatever `DOCKER_HOST` and the current context say; its TLS material
    /// comes with it. See [`crate::config::list_contexts`].
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::builder().context("prod")?.build()?;
    /// # Ok(()) }
    /// ```
    pub fn context(mut self, name: &str) -> Result<Self> {
        self.endpoint = Some(crate::config::resolve_context(&SystemEnvironment, name)?);
        Ok(self)
    }

    /// Verifies the daemon's certificate against the CA certificates in
    /// this PEM file (read now) instead of the system's roots. Turns TLS on
    /// for a `tcp://` host.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::builder()
    ///     .host("tcp://docker.internal:2376")?
    ///     .tls_ca_file("/etc/docker/certs/ca.pem")?
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn tls_ca_file(mut self, path: impl AsRef<std::path::Path>) -> Result<Self> {
        self.tls.ca = Some(read_pem(path.as_ref(), "CA certificate")?);
        Ok(self)
    }

    /// Like [`tls_ca_file`](Self::tls_ca_file), with the PEM text in memory.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// // A CA handed over in a variable, as secret stores and CI do.
    /// let ca = std::env::var("DOCKER_CA_PEM").unwrap_or_default();
    /// let docker = dockhand::Docker::builder().host("tcp://docker.internal:2376")?.tls_ca_pem(ca).build()?;
    /// # Ok(()) }
    /// ```
    pub fn tls_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.tls.ca = Some(Pem::new("the CA certificate given in code", pem));
        self
    }

    /// Presents this client certificate and key (PEM files, read now), as
    /// `docker --tlscert --tlskey`. Turns TLS on for a `tcp://` host.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::builder()
    ///     .host("tcp://docker.internal:2376")?
    ///     .tls_ca_file("/certs/ca.pem")?
    ///     .tls_client_cert_files("/certs/cert.pem", "/certs/key.pem")?
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn tls_client_cert_files(
        mut self,
        cert: impl AsRef<std::path::Path>,
        key: impl AsRef<std::path::Path>,
    ) -> Result<Self> {
        let cert = read_pem(cert.as_ref(), "client certificate")?;
        let key = read_pem(key.as_ref(), "client key")?;
        self.tls.identity = Some((cert, key));
        Ok(self)
    }

    /// Like [`tls_client_cert_files`](Self::tls_client_cert_files), with the
    /// PEM texts in memory. The key is never printed.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// let cert = std::env::var("DOCKER_CLIENT_CERT").unwrap_or_default();
    /// let key = std::env::var("DOCKER_CLIENT_KEY").unwrap_or_default();
    /// let docker = dockhand::Docker::builder().host("tcp://docker.internal:2376")?.tls_client_pem(cert, key).build()?;
    /// # Ok(()) }
    /// ```
    pub fn tls_client_pem(mut self, cert: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        self.tls.identity = Some((
            Pem::new("the client certificate given in code", cert),
            Pem::new("the client key given in code", key),
        ));
        self
    }

    /// The name the daemon's certificate must be valid for, when it is not
    /// the host connected to (a tunnel, an IP address the certificate does
    /// not list).
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// // Through a tunnel on localhost to a daemon whose certificate names docker.internal:
    /// let docker = dockhand::Docker::builder()
    ///     .host("tcp://127.0.0.1:12376")?
    ///     .tls_ca_file("/certs/ca.pem")?
    ///     .tls_server_name("docker.internal")
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn tls_server_name(mut self, name: impl Into<String>) -> Self {
        self.tls.server_name = Some(name.into());
        self
    }

    /// **Dangerous**: accepts any certificate from the daemon without
    /// checking it, so anyone on the path can pose as the daemon and read
    /// everything sent to it. For throwaway test setups only; a context's
    /// `SkipTLSVerify` and `DOCKER_TLS` without `DOCKER_TLS_VERIFY` do the
    /// same.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// // A throwaway test daemon with a self-signed certificate, never production:
    /// let docker =
    ///     dockhand::Docker::builder().host("tcp://127.0.0.1:2376")?.danger_accept_invalid_certs(true).build()?;
    /// # Ok(()) }
    /// ```
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.tls.danger_accept_invalid_certs = Some(accept);
        self
    }

    /// How `ssh` is run for `ssh://` daemons: its program, an ssh config
    /// file (`-F`), more arguments (`-i KEY`, `-o Option=value`).
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use dockhand::transport::SshOptions;
    /// let docker = dockhand::Docker::builder()
    ///     .host("ssh://deploy@build-box:2222")?
    ///     .ssh_options(SshOptions::new().arg("-i").arg("/keys/deploy"))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "ssh")]
    pub fn ssh_options(mut self, options: crate::transport::SshOptions) -> Self {
        self.ssh = options;
        self
    }

    /// Pins the API version instead of negotiating it.
    ///
    /// Fails for a version outside [`ApiVersion::MIN`]..=[`ApiVersion::MAX`]:
    /// dockhand would not know that version's shapes.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// // Speak API 1.43 whatever the daemon supports (no negotiation request).
    /// let docker = dockhand::Docker::builder().api_version("1.43")?.build()?;
    /// # Ok(()) }
    /// ```
    pub fn api_version(mut self, version: &str) -> Result<Self> {
        self.api_version = Some(supported(version.parse()?)?);
        Ok(self)
    }

    /// Time allowed to open a connection (default 10 s; `None`: no limit).
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use std::time::Duration;
    /// let docker = dockhand::Docker::builder().connect_timeout(Some(Duration::from_secs(2))).build()?;
    /// # Ok(()) }
    /// ```
    pub fn connect_timeout(mut self, limit: Option<Duration>) -> Self {
        self.settings.connect = limit;
        self
    }

    /// Time allowed for a response's headers (default 120 s).
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use std::time::Duration;
    /// // A busy daemon may take long to answer a big list or a commit:
    /// let docker = dockhand::Docker::builder().response_timeout(Some(Duration::from_secs(300))).build()?;
    /// # Ok(()) }
    /// ```
    pub fn response_timeout(mut self, limit: Option<Duration>) -> Self {
        self.settings.response = limit;
        self
    }

    /// Time a body may go without bytes (default 120 s). Followed streams
    /// (logs and events with follow, attach, wait) are exempt; see
    /// [`Docker::with_idle_timeout`] to bound one. An error answer's body
    /// (the daemon's message) is bounded by this limit on every endpoint,
    /// followed streams included.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use std::time::Duration;
    /// let docker = dockhand::Docker::builder().idle_timeout(Some(Duration::from_secs(30))).build()?;
    /// # Ok(()) }
    /// ```
    pub fn idle_timeout(mut self, limit: Option<Duration>) -> Self {
        self.settings.idle = limit;
        self
    }

    /// Retries connection failures of idempotent requests (off by default).
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use dockhand::RetryPolicy;
    /// use std::time::Duration;
    /// // Ten quick retries, from 50 ms:
    /// let policy = RetryPolicy { initial_backoff: Duration::from_millis(50), ..RetryPolicy::new(10) };
    /// let docker = dockhand::Docker::builder().retry(policy).build()?;
    /// # Ok(()) }
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Where calls that talk to a registry (image pull and push, a build's
    /// `FROM`, plugin pull, push and upgrade, distribution inspect) find
    /// credentials when they are given none: by default the docker CLI's configuration
    /// ([`RegistryCredentials::DockerConfig`]), as `docker push` and
    /// docker-py do; [`RegistryCredentials::Off`] sends only the
    /// credentials each call is given.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use dockhand::credentials::{CredentialStore, RegistryCredentials};
    /// // Never the user's stored credentials:
    /// let anonymous = dockhand::Docker::builder().registry_credentials(RegistryCredentials::Off).build()?;
    /// // Those of another configuration:
    /// let store = CredentialStore::from_json(br#"{"auths":{"localhost:5000":{"auth":"YWxpY2U6czNjcmV0"}}}"#)?;
    /// let docker = dockhand::Docker::builder().registry_credentials(RegistryCredentials::Store(store)).build()?;
    /// # Ok(()) }
    /// ```
    pub fn registry_credentials(mut self, source: RegistryCredentials) -> Self {
        self.credentials = source;
        self
    }

    /// How many idle connections the pool keeps (default 32; `0` turns
    /// pooling off).
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// // A tool that makes one call now and then need not keep sockets open.
    /// let docker = dockhand::Docker::builder().pool_max_idle(0).build()?;
    /// # Ok(()) }
    /// ```
    pub fn pool_max_idle(mut self, n: usize) -> Self {
        self.pool_max_idle = Some(n);
        self
    }

    /// The client over the native transport (feature `native`).
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use std::time::Duration;
    /// let docker = dockhand::Docker::builder().connect_timeout(Some(Duration::from_secs(3))).build()?;
    /// println!("talking to {}", docker.endpoint());
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "native")]
    pub fn build(self) -> Result<Docker> {
        let endpoint = match self.endpoint.clone() {
            Some(e) => e,
            None => resolve_endpoint(&SystemEnvironment)?,
        };
        let endpoint = self.tls.apply(endpoint);
        let pinned = self.api_version.or(endpoint.api_version.map(supported).transpose()?);
        let mut transport = crate::transport::NativeTransport::builder(endpoint);
        if let Some(n) = self.pool_max_idle {
            transport = transport.pool_max_idle(n);
        }
        #[cfg(feature = "ssh")]
        {
            transport = transport.ssh_options(self.ssh.clone());
        }
        Ok(self.finish(Arc::new(transport.build()?), pinned))
    }

    /// The client over another transport (the playground's in-memory one, a
    /// test double). The host set on the builder is not used.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use std::sync::Arc;
    /// use dockhand::config::Endpoint;
    /// use dockhand::transport::NativeTransport;
    /// let endpoint = Endpoint::explicit("unix:///var/run/docker.sock".parse()?);
    /// let transport = Arc::new(NativeTransport::builder(endpoint).pool_max_idle(4).build()?);
    /// let docker = dockhand::Docker::builder().api_version("1.41")?.build_with_transport(transport)?;
    /// # Ok(()) }
    /// ```
    pub fn build_with_transport(self, transport: Arc<dyn Transport>) -> Result<Docker> {
        let pinned = self.api_version;
        Ok(self.finish(transport, pinned))
    }

    fn finish(self, transport: Arc<dyn Transport>, pinned: Option<ApiVersion>) -> Docker {
        Docker {
            shared: Arc::new(Shared {
                transport,
                pinned,
                negotiated: std::sync::OnceLock::new(),
                negotiating: futures::lock::Mutex::new(()),
                retry: self.retry,
                credentials: self.credentials,
            }),
            settings: self.settings,
        }
    }
}

/// A pinned version, if dockhand speaks it.
fn supported(version: ApiVersion) -> Result<ApiVersion> {
    if version.is_supported() {
        Ok(version)
    } else {
        Err(Error::UnsupportedVersion {
            version: version.to_string(),
            reason: format!(
                "dockhand speaks API {} to {}; pin a version in that range",
                ApiVersion::MIN,
                ApiVersion::MAX
            ),
        })
    }
}

impl Docker {
    /// A builder with the defaults.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use std::time::Duration;
    /// let docker = dockhand::Docker::builder()
    ///     .host("unix:///var/run/docker.sock")?
    ///     .response_timeout(Some(Duration::from_secs(30)))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder() -> DockerBuilder {
        DockerBuilder {
            endpoint: None,
            api_version: None,
            settings: Settings::default(),
            retry: None,
            pool_max_idle: None,
            tls: TlsPatch::default(),
            #[cfg(feature = "ssh")]
            ssh: crate::transport::SshOptions::default(),
            credentials: RegistryCredentials::default(),
        }
    }

    /// The daemon the environment names (`DOCKER_HOST`, `DOCKER_CONTEXT`,
    /// the current context, the default socket, or Podman's socket when no
    /// Docker socket exists; see [`crate::config`]; [`Docker::endpoint`]
    /// says which),
    /// reached and its API version negotiated, so that an unreachable daemon
    /// fails here with a message that says what was tried.
    ///
    /// ```no_run
    /// # async fn demo() -> dockhand::Result<()> {
    /// match dockhand::Docker::connect().await {
    ///     Ok(docker) => println!("connected to {}", docker.endpoint()),
    ///     Err(e) => eprintln!("no daemon: {e}"),
    /// }
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "native")]
    pub async fn connect() -> Result<Docker> {
        let docker = Docker::from_env()?;
        docker.api_version().await?;
        Ok(docker)
    }

    /// The daemon the environment names, without contacting it: the first
    /// request negotiates the version.
    ///
    /// ```no_run
    /// # async fn demo() -> dockhand::Result<()> {
    /// // Honours DOCKER_HOST, DOCKER_CONTEXT and the current context, as the docker CLI does.
    /// let docker = dockhand::Docker::from_env()?;
    /// let info = docker.info().await?;
    /// println!("{} runs {} containers", info.name, info.containers_running);
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "native")]
    pub fn from_env() -> Result<Docker> {
        Docker::builder().build()
    }

    /// A client over `transport`, with default settings.
    ///
    /// ```no_run
    /// # fn demo() -> dockhand::Result<()> {
    /// use std::sync::Arc;
    /// use dockhand::config::Endpoint;
    /// use dockhand::transport::NativeTransport;
    /// let endpoint = Endpoint::explicit("tcp://127.0.0.1:2375".parse()?);
    /// let docker = dockhand::Docker::with_transport(Arc::new(NativeTransport::builder(endpoint).build()?));
    /// # Ok(()) }
    /// ```
    pub fn with_transport(transport: Arc<dyn Transport>) -> Docker {
        Docker::builder().finish(transport, None)
    }

    /// Where requests go, and why there.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// if let Err(e) = docker.ping().await {
    ///     eprintln!("{} does not answer: {e}", docker.endpoint());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn endpoint(&self) -> String {
        self.shared.transport.describe()
    }

    /// A client for the same daemon whose requests have this connect
    /// timeout. Clones are cheap: use one for a single call.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use std::time::Duration;
    /// // Fail fast when the daemon is down, for this call only:
    /// let quick = docker.with_connect_timeout(Some(Duration::from_millis(300)));
    /// let up = quick.ping().await.is_ok();
    /// # Ok(()) }
    /// ```
    pub fn with_connect_timeout(&self, limit: Option<Duration>) -> Docker {
        let mut d = self.clone();
        d.settings.connect = limit;
        d
    }

    /// A client whose requests have this response-headers timeout.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use std::time::Duration;
    /// let info = docker.with_response_timeout(Some(Duration::from_millis(250))).info().await?;
    /// # Ok(()) }
    /// ```
    pub fn with_response_timeout(&self, limit: Option<Duration>) -> Docker {
        let mut d = self.clone();
        d.settings.response = limit;
        d
    }

    /// A client whose request bodies, followed streams included, fail when
    /// no bytes arrive for `limit`.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::EventsOptions;
    /// use futures::StreamExt;
    /// use std::time::Duration;
    /// // Followed streams never time out by default; this one fails after a silent minute.
    /// let mut events = docker.with_idle_timeout(Some(Duration::from_secs(60))).events(EventsOptions::new());
    /// while let Some(event) = events.next().await {
    ///     println!("{}", event?.action);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn with_idle_timeout(&self, limit: Option<Duration>) -> Docker {
        let mut d = self.clone();
        d.settings.idle = limit;
        d.settings.idle_for_streams = true;
        d
    }

    /// A client whose response timeout (if any) is longer by `extra`: for
    /// calls the daemon answers only after waiting that long, such as a stop
    /// with a grace period.
    pub(crate) fn with_extra_response_time(&self, extra: Duration) -> Docker {
        let mut d = self.clone();
        d.settings.response = d.settings.response.map(|r| r.saturating_add(extra));
        d
    }

    /// The API version in use: the pinned one, or the one negotiated with
    /// the daemon on first use (once; concurrent first calls share it).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::ApiVersion;
    /// let version = docker.api_version().await?;
    /// if version >= ApiVersion::new(1, 44) {
    ///     println!("API {version}: this daemon knows multiple networks at create");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn api_version(&self) -> Result<ApiVersion> {
        if let Some(v) = self.shared.pinned {
            return Ok(v);
        }
        if let Some(v) = self.shared.negotiated.get() {
            return Ok(*v);
        }
        // One call negotiates; concurrent first calls wait for it and take
        // its answer (or, if it failed, try themselves).
        let _turn = self.shared.negotiating.lock().await;
        if let Some(v) = self.shared.negotiated.get() {
            return Ok(*v);
        }
        // A failed ping is the daemon's error, not a daemon without an
        // Api-Version header.
        let response = check_status(self.execute(crate::api::system::ping(), ApiVersion::MIN).await?).await?;
        let version = match crate::api::system::announced_version(response.headers()) {
            Some(Ok(v)) => ApiVersion::negotiate(v)?,
            // The daemon's answer, not the caller's input: not InvalidInput.
            Some(Err(_)) => {
                let raw = response
                    .headers()
                    .get(crate::headers::API_VERSION)
                    .map(|v| crate::error::excerpt(v.as_bytes(), 64));
                return Err(Error::UnsupportedVersion {
                    version: raw.unwrap_or_default(),
                    reason: "the daemon's /_ping announced an Api-Version that is not of the form 1.NN".into(),
                });
            }
            // A daemon that does not say speaks the oldest we know.
            None => ApiVersion::MIN,
        };
        tracing::debug!(%version, "negotiated the API version");
        Ok(*self.shared.negotiated.get_or_init(|| version))
    }

    fn timeouts(&self, silence: Silence) -> Timeouts {
        let s = self.settings;
        let idle = match silence {
            Silence::Short => s.idle,
            Silence::Long if s.idle_for_streams => s.idle,
            Silence::Long => None,
        };
        Timeouts { connect: s.connect, response: s.response, idle, error_idle: s.idle }
    }

    /// Sends `request` for API `version` with retries and tracing; returns
    /// the response whatever its status.
    async fn execute(&self, request: ApiRequest, version: ApiVersion) -> Result<http::Response<Body>> {
        let timeouts = self.timeouts(request.silence_kind());
        let mut attempt = 0;
        let mut request = request;
        loop {
            let retry = match self.shared.retry {
                // Only idempotent requests: a POST is never sent twice.
                Some(policy) if attempt < policy.max_retries && request.is_retryable() => {
                    request.try_clone().map(|r| (policy, r))
                }
                _ => None,
            };
            let mut http = request.into_http(version)?;
            http.extensions_mut().insert(timeouts);
            let info = RequestInfo::of(&http);
            let started = now();
            let mut result = self.shared.transport.send(http).await;
            if let Ok(response) = &mut result {
                response.extensions_mut().insert(info.clone());
            }
            let elapsed_ms = started.map(|t| t.elapsed().as_secs_f64() * 1000.0);
            match &result {
                Ok(r) => {
                    tracing::debug!(method = %info.method, path = %info.path, status = r.status().as_u16(), elapsed_ms, "docker request")
                }
                Err(e) => {
                    tracing::debug!(method = %info.method, path = %info.path, error = %e, elapsed_ms, "docker request failed")
                }
            }
            match (result, retry) {
                // Nothing reached the daemon: safe to send again.
                (Err(e), Some((policy, again)))
                    if e.is_connect() || e.timeout_phase() == Some(crate::TimeoutPhase::Connect) =>
                {
                    let wait = policy.backoff(attempt);
                    tracing::debug!(attempt, ?wait, "retrying after a connection failure");
                    self.shared.transport.sleep(wait).await;
                    attempt += 1;
                    request = again;
                }
                (result, _) => return result,
            }
        }
    }

    /// Sends `request`; an error status becomes an [`Error::Api`] with the
    /// daemon's message. 304 counts as success (the caller checks).
    pub(crate) async fn send(&self, request: ApiRequest) -> Result<http::Response<Body>> {
        let version = self.api_version().await?;
        let response = self.execute(request, version).await?;
        check_status(response).await
    }

    /// Sends `request` and decodes its JSON answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        let response = self.send(request).await?;
        read_json(response).await
    }

    /// Sends `request`, reads and drops its body; returns
    /// [`Change::Unchanged`] when the daemon said 304 Not Modified.
    pub(crate) async fn send_empty(&self, request: ApiRequest) -> Result<Change> {
        let response = self.send(request).await?;
        let not_modified = response.status() == StatusCode::NOT_MODIFIED;
        let mut body = response.into_body();
        while body.next().await.transpose()?.is_some() {}
        Ok(if not_modified { Change::Unchanged } else { Change::Done })
    }

    /// Sends `request` when first polled and streams its body.
    pub(crate) fn send_stream(&self, request: Result<ApiRequest>) -> BoxStream<'static, Result<Bytes>> {
        let docker = self.clone();
        stream::once(async move { docker.send(request?.streamed()).await.map(http::Response::into_body) })
            .try_flatten()
            .boxed()
    }

    /// Sends `request` as an HTTP upgrade (attach, exec start). An error
    /// status becomes an [`Error::Api`]; a daemon that answers with a
    /// success status instead of switching protocols yields
    /// [`UpgradeOutcome::Response`] with its (streaming) body.
    pub(crate) async fn send_upgrade(&self, request: ApiRequest) -> Result<UpgradeOutcome> {
        let version = self.api_version().await?;
        let timeouts = self.timeouts(request.silence_kind());
        let mut http = request.into_http(version)?;
        http.extensions_mut().insert(timeouts);
        let info = RequestInfo::of(&http);
        let started = now();
        let result = self.shared.transport.upgrade(http).await;
        let elapsed_ms = started.map(|t| t.elapsed().as_secs_f64() * 1000.0);
        match &result {
            Ok(UpgradeOutcome::Upgraded(u)) => {
                tracing::debug!(method = %info.method, path = %info.path, status = u.head.status.as_u16(), elapsed_ms, "docker upgrade")
            }
            Ok(UpgradeOutcome::Response(r)) => {
                tracing::debug!(method = %info.method, path = %info.path, status = r.status().as_u16(), elapsed_ms, "docker upgrade answered without switching")
            }
            Err(e) => {
                tracing::debug!(method = %info.method, path = %info.path, error = %e, elapsed_ms, "docker upgrade failed")
            }
        }
        match result? {
            UpgradeOutcome::Response(mut response) => {
                response.extensions_mut().insert(info);
                Ok(UpgradeOutcome::Response(check_status(response).await?))
            }
            upgraded => Ok(upgraded),
        }
    }

    /// The stored credentials for `image`'s registry (see
    /// [`RegistryCredentials`]), looked up off the executor; `None` when the
    /// lookup is off or nothing is stored. Native only: the lookup reads
    /// files and runs helpers, and the browser's module stays without it.
    #[cfg(feature = "native")]
    pub(crate) async fn stored_auth(&self, image: &str) -> Result<Option<AuthConfig>> {
        let source = self.shared.credentials.clone();
        if matches!(source, RegistryCredentials::Off) {
            return Ok(None);
        }
        let image = image.to_owned();
        let found = blocking(move || source.for_image(&image)).await?;
        tracing::debug!(
            registry = found.as_ref().and_then(|a| a.server_address.as_deref()),
            found = found.is_some(),
            "stored registry credentials"
        );
        Ok(found)
    }

    /// Every stored credential, for a build's `X-Registry-Config`; empty
    /// when the lookup is off.
    #[cfg(feature = "native")]
    pub(crate) async fn stored_registry_config(&self) -> Result<RegistryConfig> {
        let source = self.shared.credentials.clone();
        if matches!(source, RegistryCredentials::Off) {
            return Ok(RegistryConfig::new());
        }
        let all = blocking(move || source.all()).await?;
        tracing::debug!(registries = ?all.0.keys().collect::<Vec<_>>(), "stored registry credentials");
        Ok(all)
    }

    /// Like [`Docker::send_json_stream`], with a request made when first
    /// polled (after a credential lookup).
    #[cfg(feature = "native")]
    pub(crate) fn send_json_stream_later<T: DeserializeOwned + Send + 'static>(
        &self,
        request: futures::future::BoxFuture<'static, Result<ApiRequest>>,
        context: &'static str,
    ) -> BoxStream<'static, Result<T>> {
        let docker = self.clone();
        stream::once(async move {
            let body = docker.send(request.await?.streamed()).await?.into_body();
            Ok::<_, Error>(JsonStream::<T>::new(body, context))
        })
        .try_flatten()
        .boxed()
    }

    /// Sends `request` when first polled and decodes its body as a stream of
    /// JSON values.
    pub(crate) fn send_json_stream<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Result<ApiRequest>,
        context: &'static str,
    ) -> BoxStream<'static, Result<T>> {
        let docker = self.clone();
        stream::once(async move {
            let body = docker.send(request?.streamed()).await?.into_body();
            Ok::<_, Error>(JsonStream::<T>::new(body, context))
        })
        .try_flatten()
        .boxed()
    }
}

/// Runs `f` (which reads files and may run a credential helper) on tokio's
/// blocking threads when there is a runtime, else in place.
#[cfg(feature = "native")]
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        return match handle.spawn_blocking(f).await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => {
                Err(Error::Io { context: "looking up registry credentials".into(), source: std::io::Error::other(e) })
            }
        };
    }
    f()
}

/// Reads a whole JSON answer and decodes it.
pub(crate) async fn read_json<T: DeserializeOwned>(response: http::Response<Body>) -> Result<T> {
    let info = response_info(&response);
    let body = response.into_body().collect(JSON_BODY_LIMIT).await?;
    decode_json(&info, &body)
}

/// What a state-changing call (`start`, `stop`, `restart`, `pause`-style)
/// did to the object.
///
/// The daemon answers 304 Not Modified when the object was already in the
/// asked-for state (`start` on a running container, `stop` on a stopped
/// one). That is not an error, but it is visible: such calls return
/// `Ok(Change::Unchanged)`. Use [`Change::is_done`] or a `match` when it
/// matters; when it does not, ignore it (`container.start().await?;`). It is
/// not `#[must_use]`: starting what already runs is rarely a mistake, and the
/// `Result` around it still must be used.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::Change;
/// match docker.containers().get("web").start().await? {
///     Change::Done => println!("started"),
///     Change::Unchanged => println!("was already running"),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// The daemon made the change.
    Done,
    /// The object was already in that state (the daemon's 304); nothing
    /// happened.
    Unchanged,
}

impl Change {
    /// Whether the daemon made the change.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// if docker.containers().get("web").stop().await?.is_done() {
    ///     println!("stopped web");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_done(self) -> bool {
        self == Change::Done
    }

    /// Whether the object was already in that state (304).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// if docker.containers().get("web").start().await?.is_unchanged() {
    ///     println!("web was already running");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_unchanged(self) -> bool {
        self == Change::Unchanged
    }
}

/// The info of the request a response answers (the transport keeps it).
fn response_info(response: &http::Response<Body>) -> RequestInfo {
    response
        .extensions()
        .get::<RequestInfo>()
        .cloned()
        .unwrap_or(RequestInfo { method: String::from("request"), path: String::new() })
}

async fn check_status(response: http::Response<Body>) -> Result<http::Response<Body>> {
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED || status == StatusCode::SWITCHING_PROTOCOLS {
        return Ok(response);
    }
    let info = response_info(&response);
    // Read at most ERROR_BODY_LIMIT; a body that is cut or fails still
    // yields the status as the error.
    let mut body = response.into_body();
    let mut bytes = Vec::new();
    while let Some(Ok(chunk)) = body.next().await {
        let room = ERROR_BODY_LIMIT - bytes.len();
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if bytes.len() >= ERROR_BODY_LIMIT {
            break;
        }
    }
    let err = api_error(&info, status.as_u16(), &bytes);
    // A pinned version the daemon does not speak: say so with both versions.
    if let Some((client, daemon)) =
        err.api().filter(|a| a.status == 400).and_then(|a| crate::version::too_new(&a.message))
    {
        return Err(Error::UnsupportedVersion {
            version: client.to_string(),
            reason: format!(
                "the daemon speaks API {daemon} at most (it answered {} {}: {:?}); pin {daemon} or lower, or pin nothing and let dockhand negotiate",
                info.method,
                info.path,
                err.api().map_or("", |a| a.message.as_str())
            ),
        });
    }
    Err(err)
}

#[cfg(not(target_arch = "wasm32"))]
fn now() -> Option<std::time::Instant> {
    Some(std::time::Instant::now())
}

/// No clock on wasm32-unknown-unknown without JS: durations are not traced.
#[cfg(target_arch = "wasm32")]
fn now() -> Option<std::time::Instant> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_tls_options_apply_over_the_endpoint() {
        let tcp = || Endpoint::explicit("tcp://h:2376".parse().unwrap());
        // Nothing set: unchanged.
        assert_eq!(TlsPatch::default().apply(tcp()).tls, None);
        // Any option turns TLS on for TCP.
        let patch = TlsPatch { server_name: Some("d.example".into()), ..TlsPatch::default() };
        let tls = patch.apply(tcp()).tls.unwrap();
        assert_eq!(tls.server_name.as_deref(), Some("d.example"));
        assert!(!tls.danger_accept_invalid_certs && tls.ca.is_none());
        // Not for a unix socket.
        assert_eq!(patch.apply(Endpoint::explicit(Host::default_socket())).tls, None);
        // Over settings from the environment, field by field.
        let mut from_env = tcp();
        from_env.tls = Some(TlsSettings {
            ca: Some(Pem::new("env ca", "x")),
            danger_accept_invalid_certs: false,
            origin: "env".into(),
            ..TlsSettings::default()
        });
        let patch = TlsPatch { danger_accept_invalid_certs: Some(true), ..TlsPatch::default() };
        let tls = patch.apply(from_env).tls.unwrap();
        assert!(tls.danger_accept_invalid_certs);
        assert_eq!(tls.ca.unwrap().origin(), "env ca");
        // The key never shows in the builder's Debug.
        let builder = Docker::builder().tls_client_pem("cert", "SECRET-KEY-BYTES");
        assert!(!format!("{builder:?}").contains("SECRET"), "{builder:?}");
    }

    #[test]
    fn pins_must_be_supported() {
        assert!(Docker::builder().api_version("1.41").is_ok());
        assert!(Docker::builder().api_version("1.56").is_ok());
        let err = Docker::builder().api_version("1.40").unwrap_err();
        assert!(matches!(err, Error::UnsupportedVersion { .. }), "{err}");
        assert!(Docker::builder().api_version("1.57").is_err());
    }

    #[test]
    fn backoff_doubles_to_a_cap() {
        let p = RetryPolicy::new(5);
        assert_eq!(p.backoff(0), Duration::from_millis(100));
        assert_eq!(p.backoff(2), Duration::from_millis(400));
        assert_eq!(p.backoff(10), Duration::from_secs(2));
        assert_eq!(p.backoff(u32::MAX), Duration::from_secs(2));
    }
}
