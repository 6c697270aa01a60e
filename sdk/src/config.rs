//! Finding the daemon the way the docker CLI does: `DOCKER_HOST`, then
//! `DOCKER_CONTEXT`, then `currentContext` in `$DOCKER_CONFIG/config.json`
//! (default `~/.docker`), then `unix:///var/run/docker.sock`. When that
//! socket does not exist, Podman's Docker-compatible sockets are tried:
//! `/run/podman/podman.sock` (rootful), then
//! `$XDG_RUNTIME_DIR/podman/podman.sock` (the user's); the endpoint's
//! [`EndpointSource`] (and [`Docker::endpoint`](crate::Docker::endpoint))
//! says which was chosen.
//!
//! Everything here reads through an [`Environment`], so the rules are tested
//! with fake variables and files; [`SystemEnvironment`] is the real one.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{ApiVersion, Error, Host, Result};

/// Environment variables and files, as [`resolve_endpoint`] reads them.
pub trait Environment {
    /// An environment variable; `None` when unset.
    fn var(&self, name: &str) -> Option<String>;
    /// A file's bytes.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    /// The names of the entries of a directory, for [`list_contexts`]. The
    /// default says `Unsupported`, so an environment that only serves
    /// variables and files still resolves endpoints.
    fn list_dir(&self, path: &Path) -> std::io::Result<Vec<String>> {
        let _ = path;
        Err(std::io::ErrorKind::Unsupported.into())
    }
    /// The user's home directory.
    fn home(&self) -> Option<PathBuf>;
    /// Whether something (a socket) exists at `path`, for the fallback to
    /// Podman's sockets when the default Docker socket is absent. The
    /// default says no, so an environment that only serves variables and
    /// files resolves to the default socket.
    fn exists(&self, path: &Path) -> bool {
        let _ = path;
        false
    }
}

/// The process's real environment and file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemEnvironment;

impl Environment for SystemEnvironment {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn list_dir(&self, path: &Path) -> std::io::Result<Vec<String>> {
        read_dir_names(path)
    }

    fn home(&self) -> Option<PathBuf> {
        std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
}

fn read_dir_names(path: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(path)? {
        names.push(entry?.file_name().to_string_lossy().into_owned());
    }
    Ok(names)
}

/// Variables given in code over the real file system: resolves the daemon
/// from values a program holds (a test, a tool reading its own settings)
/// without touching the process environment, which other threads share.
///
/// ```no_run
/// use dockhand::config::{VarsEnvironment, resolve_endpoint};
/// let env = VarsEnvironment::new()
///     .var("DOCKER_HOST", "tcp://127.0.0.1:2376")
///     .var("DOCKER_TLS_VERIFY", "1")
///     .var("DOCKER_CERT_PATH", "/etc/docker-certs");
/// let docker = dockhand::Docker::builder().endpoint(resolve_endpoint(&env)?).build()?;
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct VarsEnvironment {
    vars: HashMap<String, String>,
    home: Option<PathBuf>,
}

impl VarsEnvironment {
    /// No variables, no home directory.
    pub fn new() -> Self {
        VarsEnvironment::default()
    }

    /// Sets a variable.
    pub fn var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// Sets the home directory (where `~/.docker` is).
    pub fn home(mut self, dir: impl Into<PathBuf>) -> Self {
        self.home = Some(dir.into());
        self
    }
}

impl Environment for VarsEnvironment {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn list_dir(&self, path: &Path) -> std::io::Result<Vec<String>> {
        read_dir_names(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn home(&self) -> Option<PathBuf> {
        self.home.clone()
    }
}

/// Why dockhand talks to the daemon it talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointSource {
    /// Set in code ([`DockerBuilder::host`](crate::DockerBuilder::host)).
    Explicit,
    /// The `DOCKER_HOST` variable.
    DockerHost,
    /// A docker CLI context.
    Context {
        /// Its name.
        name: String,
        /// Whether `DOCKER_CONTEXT` chose it (else `currentContext`).
        from_env: bool,
    },
    /// A docker CLI context chosen by name in code
    /// ([`DockerBuilder::context`](crate::DockerBuilder::context)).
    NamedContext(String),
    /// Nothing said otherwise: the default socket.
    Default,
    /// Nothing said otherwise and no Docker socket exists: Podman's rootful
    /// socket, `/run/podman/podman.sock`.
    PodmanRootful,
    /// Nothing said otherwise and neither a Docker socket nor Podman's
    /// rootful one exists: the user's Podman socket,
    /// `$XDG_RUNTIME_DIR/podman/podman.sock`.
    PodmanUser,
}

impl fmt::Display for EndpointSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointSource::Explicit => f.write_str("set by the program"),
            EndpointSource::DockerHost => f.write_str("from DOCKER_HOST"),
            EndpointSource::Context { name, from_env: true } => write!(f, "context {name:?} from DOCKER_CONTEXT"),
            EndpointSource::Context { name, from_env: false } => {
                write!(f, "context {name:?}, the current context in config.json")
            }
            EndpointSource::NamedContext(name) => write!(f, "context {name:?}, chosen by the program"),
            EndpointSource::Default => f.write_str("the default socket"),
            EndpointSource::PodmanRootful => {
                write!(f, "Podman's rootful socket: no Docker socket at {}", crate::host::DEFAULT_SOCKET)
            }
            EndpointSource::PodmanUser => {
                write!(f, "the user's Podman socket: no Docker socket at {}", crate::host::DEFAULT_SOCKET)
            }
        }
    }
}

/// The contents of one PEM file and where they came from.
///
/// `Debug` shows the origin and the size, never the bytes: a private key's
/// `Pem` is safe to log.
#[derive(Clone, PartialEq, Eq)]
pub struct Pem {
    origin: String,
    bytes: Vec<u8>,
}

impl Pem {
    /// PEM text from memory; `origin` names it in error messages
    /// ("the client key given in code").
    pub fn new(origin: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Pem { origin: origin.into(), bytes: bytes.into() }
    }

    /// Reads a PEM file; its path names it in error messages.
    pub fn read(env: &dyn Environment, path: &Path) -> std::io::Result<Pem> {
        Ok(Pem { origin: path.display().to_string(), bytes: env.read(path)? })
    }

    /// Where it came from (a path, or what the program said).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The PEM text.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for Pem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pem").field("origin", &self.origin).field("len", &self.bytes.len()).finish()
    }
}

/// How to speak TLS to a daemon reached over TCP.
///
/// Made by [`resolve_endpoint`] from `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH`
/// or a context's TLS material, or in code with the TLS methods of
/// [`DockerBuilder`](crate::DockerBuilder). The client key is held in memory
/// and never printed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct TlsSettings {
    /// The CA certificates the daemon's certificate must chain to; `None`:
    /// the system's root certificates.
    pub ca: Option<Pem>,
    /// The client certificate (chain) to present, with [`key`](Self::key).
    pub cert: Option<Pem>,
    /// The client certificate's private key.
    pub key: Option<Pem>,
    /// The name the daemon's certificate must be valid for, when it is not
    /// the host connected to.
    pub server_name: Option<String>,
    /// Accept any certificate from the daemon, unchecked. For test setups
    /// only: anyone on the path can pose as the daemon.
    pub danger_accept_invalid_certs: bool,
    /// Where these settings came from, for messages (`DOCKER_CERT_PATH
    /// /home/u/.docker`, `context "prod"`, `set by the program`).
    pub origin: String,
}

impl TlsSettings {
    /// Reads `ca.pem`, `cert.pem` and `key.pem` from `dir`, as the docker
    /// CLI does for `DOCKER_CERT_PATH`: with `verify`, `ca.pem` must exist;
    /// `cert.pem` and `key.pem` are optional but go together. Without
    /// `verify`, the daemon's certificate is not checked.
    pub fn from_cert_dir(env: &dyn Environment, dir: &Path, verify: bool, origin: &str) -> Result<TlsSettings> {
        let ca = read_optional(env, &dir.join("ca.pem"))?;
        if verify && ca.is_none() {
            return Err(Error::invalid(
                "TLS configuration",
                format!(
                    "{origin}: missing CA certificate {} (needed to verify the daemon; \
                     DOCKER_TLS_VERIFY is set)",
                    dir.join("ca.pem").display()
                ),
            ));
        }
        let (cert, key) = read_pair(env, dir, origin)?;
        Ok(TlsSettings {
            ca: if verify { ca } else { None },
            cert,
            key,
            server_name: None,
            danger_accept_invalid_certs: !verify,
            origin: origin.to_owned(),
        })
    }
}

/// Reads a file that may be missing.
fn read_optional(env: &dyn Environment, path: &Path) -> Result<Option<Pem>> {
    match Pem::read(env, path) {
        Ok(pem) => Ok(Some(pem)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io { context: format!("reading {}", path.display()), source }),
    }
}

/// `cert.pem` and `key.pem` in `dir`: both or neither.
fn read_pair(env: &dyn Environment, dir: &Path, origin: &str) -> Result<(Option<Pem>, Option<Pem>)> {
    let cert = read_optional(env, &dir.join("cert.pem"))?;
    let key = read_optional(env, &dir.join("key.pem"))?;
    match (&cert, &key) {
        (Some(_), None) => Err(Error::invalid(
            "TLS configuration",
            format!(
                "{origin}: {} exists but the client key {} is missing",
                dir.join("cert.pem").display(),
                dir.join("key.pem").display()
            ),
        )),
        (None, Some(_)) => Err(Error::invalid(
            "TLS configuration",
            format!(
                "{origin}: {} exists but the client certificate {} is missing",
                dir.join("key.pem").display(),
                dir.join("cert.pem").display()
            ),
        )),
        _ => Ok((cert, key)),
    }
}

/// A daemon to connect to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// Its address.
    pub host: Host,
    /// Why this one.
    pub source: EndpointSource,
    /// A version pinned by `DOCKER_API_VERSION`.
    pub api_version: Option<ApiVersion>,
    /// TLS, for a TCP daemon: `Some` means the connection is encrypted.
    pub tls: Option<TlsSettings>,
}

impl Endpoint {
    /// An endpoint set in code. An `https://` host gets TLS checked against
    /// the system's root certificates.
    pub fn explicit(host: Host) -> Self {
        let tls = match &host {
            Host::Tcp { tls: true, .. } => {
                Some(TlsSettings { origin: "an https:// address".into(), ..TlsSettings::default() })
            }
            _ => None,
        };
        Endpoint { host, source: EndpointSource::Explicit, api_version: None, tls }
    }

    /// How errors name it: `unix:///var/run/docker.sock (the default socket)`.
    pub fn describe(&self) -> String {
        match (&self.host, &self.tls) {
            (Host::Tcp { host, port, tls: false }, Some(_)) => {
                let host = if host.contains(':') { format!("[{host}]") } else { host.clone() };
                format!("tcp://{host}:{port} with TLS ({})", self.source)
            }
            _ => format!("{} ({})", self.host, self.source),
        }
    }
}

/// The docker CLI's configuration directory: `$DOCKER_CONFIG`, else
/// `~/.docker`.
pub fn config_dir(env: &dyn Environment) -> Option<PathBuf> {
    match env.var("DOCKER_CONFIG").filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => env.home().map(|h| h.join(".docker")),
    }
}

/// The parts of the docker CLI's `config.json` that choose a daemon.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct CliConfig {
    /// The current context's name.
    pub current_context: Option<String>,
}

/// Reads `config.json` in `dir`; a missing file is an empty configuration.
pub fn load_cli_config(env: &dyn Environment, dir: &Path) -> Result<CliConfig> {
    let path = dir.join("config.json");
    match env.read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| Error::invalid("docker CLI configuration", format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(CliConfig::default()),
        Err(source) => Err(Error::Io { context: format!("reading {}", path.display()), source }),
    }
}

/// The folder name a context's files live under: the hex SHA-256 of its name.
///
/// ```
/// let dir = dockhand::config::context_dir_name("remote");
/// assert_eq!(dir.len(), 64);
/// assert!(dir.bytes().all(|b| b.is_ascii_hexdigit()));
/// ```
pub fn context_dir_name(name: &str) -> String {
    crate::sha256::digest(name.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A docker CLI context's docker endpoint (`contexts/meta/<hash>/meta.json`)
/// and its TLS material (`contexts/tls/<hash>/docker/{ca,cert,key}.pem`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ContextMeta {
    /// The context's name.
    pub name: String,
    /// Its description, if it has one.
    pub description: Option<String>,
    /// The daemon address, if the context has a docker endpoint.
    pub host: Option<Host>,
    /// Whether TLS verification is off for it (`SkipTLSVerify`).
    pub skip_tls_verify: bool,
    /// The TLS settings its connection uses (`None`: no TLS).
    pub tls: Option<TlsSettings>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawMeta {
    name: String,
    #[serde(default)]
    metadata: Option<RawMetadata>,
    #[serde(default)]
    endpoints: HashMap<String, RawEndpoint>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawMetadata {
    description: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawEndpoint {
    host: Option<String>,
    #[serde(rename = "SkipTLSVerify")]
    skip_tls_verify: bool,
}

/// Reads context `name` from the configuration directory `dir`, with its
/// TLS material.
pub fn load_context(env: &dyn Environment, dir: &Path, name: &str) -> Result<ContextMeta> {
    let hash = context_dir_name(name);
    let path = dir.join("contexts").join("meta").join(&hash).join("meta.json");
    let bytes = env.read(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::invalid("docker context", format!("context {name:?} not found (no {})", path.display()))
        } else {
            Error::Io { context: format!("reading {}", path.display()), source: e }
        }
    })?;
    let raw: RawMeta = serde_json::from_slice(&bytes)
        .map_err(|e| Error::invalid("docker context", format!("{}: {e}", path.display())))?;
    let docker = raw.endpoints.get("docker");
    let host: Option<Host> = docker
        .and_then(|d| d.host.as_deref())
        .filter(|h| !h.is_empty())
        .map(|h| h.parse::<Host>())
        .transpose()
        .map_err(|e| Error::invalid("docker context", format!("context {name:?} ({}): {e}", path.display())))?;
    let skip_tls_verify = docker.is_some_and(|d| d.skip_tls_verify);
    let tls = match &host {
        Some(Host::Tcp { tls: https, .. }) => {
            let tls_dir = dir.join("contexts").join("tls").join(&hash).join("docker");
            let origin = format!("context {name:?} ({})", tls_dir.display());
            let ca = read_optional(env, &tls_dir.join("ca.pem"))?;
            let (cert, key) = read_pair(env, &tls_dir, &origin)?;
            // As the CLI: TLS when the context has TLS material or skips
            // verification (or its address says https://).
            if *https || skip_tls_verify || ca.is_some() || cert.is_some() {
                Some(TlsSettings {
                    ca,
                    cert,
                    key,
                    server_name: None,
                    danger_accept_invalid_certs: skip_tls_verify,
                    origin,
                })
            } else {
                None
            }
        }
        _ => None,
    };
    Ok(ContextMeta {
        name: raw.name,
        description: raw.metadata.and_then(|m| m.description).filter(|d| !d.is_empty()),
        host,
        skip_tls_verify,
        tls,
    })
}

/// Whether a boolean variable is on: unset, empty, `0` and `false` (any
/// case) are off; anything else is on.
fn flag(env: &dyn Environment, name: &str) -> bool {
    match env.var(name) {
        None => false,
        Some(v) => {
            let v = v.trim();
            !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false"))
        }
    }
}

/// Decides which daemon to use, as the docker CLI does.
///
/// 1. `DOCKER_HOST`, if set and not empty;
/// 2. the context named by `DOCKER_CONTEXT`;
/// 3. the `currentContext` of `config.json`;
/// 4. the default socket, `/var/run/docker.sock`; when it does not exist,
///    Podman's rootful socket `/run/podman/podman.sock`, else the user's
///    `$XDG_RUNTIME_DIR/podman/podman.sock` (the first that exists;
///    [`EndpointSource::PodmanRootful`] / [`EndpointSource::PodmanUser`]
///    say so, and a debug event is logged).
///
/// The context named `default` is the default socket. `DOCKER_API_VERSION`
/// pins the API version.
///
/// TLS: with `DOCKER_HOST`, `DOCKER_TLS_VERIFY` (unset, empty, `0` and
/// `false` mean off) turns TLS on and verifies the daemon against `ca.pem` in
/// `DOCKER_CERT_PATH` (default `~/.docker`), presenting `cert.pem`/`key.pem`
/// when they exist; `DOCKER_TLS` alone turns TLS on without verifying the
/// daemon (as `docker --tls`); an `https://` host always uses TLS. A context
/// uses its own TLS material and `SkipTLSVerify`, and ignores these
/// variables, as the CLI does.
pub fn resolve_endpoint(env: &dyn Environment) -> Result<Endpoint> {
    let api_version = match env.var("DOCKER_API_VERSION").filter(|v| !v.is_empty()) {
        Some(v) => Some(
            v.parse::<ApiVersion>()
                .map_err(|_| Error::invalid("DOCKER_API_VERSION", format!("{v:?} is not a version like 1.41")))?,
        ),
        None => None,
    };
    let mut endpoint = resolve_host(env)?;
    endpoint.api_version = api_version;
    Ok(endpoint)
}

/// The endpoint of the context called `name` (`default` is the default
/// socket, or `DOCKER_HOST`, as `docker context use default`), for
/// choosing a context in code whatever the environment says.
pub fn resolve_context(env: &dyn Environment, name: &str) -> Result<Endpoint> {
    if name == "default" {
        let mut endpoint = match env.var("DOCKER_HOST").filter(|v| !v.is_empty()) {
            Some(_) => resolve_docker_host(env)?,
            None => Endpoint::explicit(Host::default_socket()),
        };
        endpoint.source = EndpointSource::NamedContext(name.to_owned());
        return Ok(endpoint);
    }
    let dir = context_config_dir(env, name)?;
    let meta = load_context(env, &dir, name)?;
    Ok(Endpoint {
        host: meta.host.unwrap_or_else(Host::default_socket),
        source: EndpointSource::NamedContext(name.to_owned()),
        api_version: None,
        tls: meta.tls,
    })
}

/// The contexts `docker context ls` shows: `default` first (the default
/// socket, or `DOCKER_HOST`), then the others by name.
pub fn list_contexts(env: &dyn Environment) -> Result<Vec<ContextMeta>> {
    let default_host = match env.var("DOCKER_HOST").filter(|v| !v.is_empty()) {
        Some(_) => resolve_docker_host(env)?.host,
        None => Host::default_socket(),
    };
    let mut contexts = vec![ContextMeta {
        name: "default".into(),
        description: Some("Current DOCKER_HOST based configuration".into()),
        host: Some(default_host),
        skip_tls_verify: false,
        tls: None,
    }];
    let Some(dir) = config_dir(env) else { return Ok(contexts) };
    let meta_dir = dir.join("contexts").join("meta");
    let entries = match env.list_dir(&meta_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(contexts),
        Err(source) => return Err(Error::Io { context: format!("listing {}", meta_dir.display()), source }),
    };
    let mut others = Vec::new();
    for hash in entries {
        let path = meta_dir.join(&hash).join("meta.json");
        let bytes = match env.read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(Error::Io { context: format!("reading {}", path.display()), source }),
        };
        let raw: RawMeta = serde_json::from_slice(&bytes)
            .map_err(|e| Error::invalid("docker context", format!("{}: {e}", path.display())))?;
        // A folder must be the hash of the name inside, as the CLI writes it.
        if context_dir_name(&raw.name) != hash {
            continue;
        }
        others.push(load_context(env, &dir, &raw.name)?);
    }
    others.sort_by(|a, b| a.name.cmp(&b.name));
    contexts.extend(others);
    Ok(contexts)
}

/// The name of the context the environment chooses: `DOCKER_CONTEXT`, else
/// `currentContext` in `config.json`, else `default`. (`DOCKER_HOST`, when
/// set, overrides any context; [`resolve_endpoint`] says which daemon wins.)
pub fn current_context(env: &dyn Environment) -> Result<String> {
    if let Some(name) = env.var("DOCKER_CONTEXT").filter(|v| !v.is_empty()) {
        return Ok(name);
    }
    let config = match config_dir(env) {
        Some(dir) => load_cli_config(env, &dir)?,
        None => CliConfig::default(),
    };
    Ok(config.current_context.filter(|c| !c.is_empty()).unwrap_or_else(|| "default".into()))
}

fn context_config_dir(env: &dyn Environment, name: &str) -> Result<PathBuf> {
    config_dir(env).ok_or_else(|| {
        Error::invalid(
            "docker context",
            format!("context {name:?} is set but there is no home directory or DOCKER_CONFIG"),
        )
    })
}

/// `DOCKER_HOST` with the TLS variables.
fn resolve_docker_host(env: &dyn Environment) -> Result<Endpoint> {
    let text = env.var("DOCKER_HOST").unwrap_or_default();
    let invalid = |e: Error| match e {
        Error::InvalidInput { reason, .. } => Error::invalid("DOCKER_HOST", reason),
        other => other,
    };
    let mut host: Host = text.parse().map_err(invalid)?;
    let verify = flag(env, "DOCKER_TLS_VERIFY");
    let tls_on = verify || flag(env, "DOCKER_TLS");
    let tls = match &mut host {
        Host::Tcp { tls: https, .. } if tls_on || *https => {
            if tls_on && !*https {
                // Without a port, a TLS daemon listens on 2376.
                if let Some((_, rest)) = text.trim().split_once("://") {
                    if let Ok(Host::Tcp { port, .. }) = format!("https://{rest}").parse::<Host>() {
                        if let Host::Tcp { port: p, .. } = &mut host {
                            *p = port;
                        }
                    }
                }
            }
            let dir = match env.var("DOCKER_CERT_PATH").filter(|v| !v.is_empty()) {
                Some(dir) => Some(PathBuf::from(dir)),
                None => config_dir(env),
            };
            let settings = match dir {
                Some(dir) => {
                    let origin = format!("DOCKER_CERT_PATH {}", dir.display());
                    if tls_on {
                        // DOCKER_TLS_VERIFY: verify against ca.pem (which must
                        // exist); DOCKER_TLS alone: TLS without verification.
                        TlsSettings::from_cert_dir(env, &dir, verify, &origin)?
                    } else {
                        // An https:// address: ca.pem when there is one, else
                        // the system's roots; always verified.
                        let mut settings = TlsSettings::from_cert_dir(env, &dir, false, &origin)?;
                        settings.ca = read_optional(env, &dir.join("ca.pem"))?;
                        settings.danger_accept_invalid_certs = false;
                        settings
                    }
                }
                None if verify => {
                    return Err(Error::invalid(
                        "TLS configuration",
                        "DOCKER_TLS_VERIFY is set but there is no DOCKER_CERT_PATH, DOCKER_CONFIG or home directory",
                    ));
                }
                None => TlsSettings {
                    danger_accept_invalid_certs: tls_on,
                    origin: "DOCKER_HOST".into(),
                    ..TlsSettings::default()
                },
            };
            Some(settings)
        }
        _ => None,
    };
    Ok(Endpoint { host, source: EndpointSource::DockerHost, api_version: None, tls })
}

fn resolve_host(env: &dyn Environment) -> Result<Endpoint> {
    if env.var("DOCKER_HOST").is_some_and(|v| !v.is_empty()) {
        return resolve_docker_host(env);
    }
    let dir = config_dir(env);
    let (name, from_env) = match env.var("DOCKER_CONTEXT").filter(|v| !v.is_empty()) {
        Some(name) => (Some(name), true),
        None => {
            let config = match &dir {
                Some(dir) => load_cli_config(env, dir)?,
                None => CliConfig::default(),
            };
            (config.current_context.filter(|c| !c.is_empty()), false)
        }
    };
    let Some(name) = name.filter(|n| n != "default") else {
        let (host, source) = first_socket(env, &default_sockets(env));
        return Ok(Endpoint { host, source, api_version: None, tls: None });
    };
    let dir = context_config_dir(env, &name)?;
    let meta = load_context(env, &dir, &name)?;
    Ok(Endpoint {
        host: meta.host.unwrap_or_else(Host::default_socket),
        source: EndpointSource::Context { name, from_env },
        api_version: None,
        tls: meta.tls,
    })
}

/// Podman's rootful socket, tried when no Docker socket exists.
pub const PODMAN_ROOTFUL_SOCKET: &str = "/run/podman/podman.sock";

/// The sockets tried, in order, when nothing names a daemon: Docker's
/// default socket, Podman's rootful socket, then the user's Podman socket
/// (`$XDG_RUNTIME_DIR/podman/podman.sock`, when that variable is set).
fn default_sockets(env: &dyn Environment) -> Vec<(PathBuf, EndpointSource)> {
    let mut candidates = vec![
        (PathBuf::from(crate::host::DEFAULT_SOCKET), EndpointSource::Default),
        (PathBuf::from(PODMAN_ROOTFUL_SOCKET), EndpointSource::PodmanRootful),
    ];
    if let Some(dir) = env.var("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        candidates.push((Path::new(&dir).join("podman").join("podman.sock"), EndpointSource::PodmanUser));
    }
    candidates
}

/// The first of `candidates` that exists; when none does, the first (the
/// default socket, whose connection error then says where it looked).
fn first_socket(env: &dyn Environment, candidates: &[(PathBuf, EndpointSource)]) -> (Host, EndpointSource) {
    let found = candidates.iter().find(|(path, _)| env.exists(path)).or(candidates.first());
    let Some((path, source)) = found else { return (Host::default_socket(), EndpointSource::Default) };
    if *source != EndpointSource::Default {
        tracing::debug!(socket = %path.display(), %source, "no Docker socket; using Podman's");
    }
    (Host::Unix(path.clone()), source.clone())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A fake environment for tests.
    #[derive(Default)]
    pub struct FakeEnv {
        pub vars: HashMap<String, String>,
        pub files: HashMap<PathBuf, Vec<u8>>,
        pub home: Option<PathBuf>,
    }

    impl FakeEnv {
        pub fn var(mut self, k: &str, v: &str) -> Self {
            self.vars.insert(k.into(), v.into());
            self
        }
        pub fn file(mut self, p: &str, content: &str) -> Self {
            self.files.insert(p.into(), content.as_bytes().to_vec());
            self
        }
        pub fn clone_with(&self, k: &str, v: &str) -> Self {
            FakeEnv { vars: self.vars.clone(), files: self.files.clone(), home: self.home.clone() }.var(k, v)
        }
        pub fn context(self, dir: &str, name: &str, host: &str) -> Self {
            let path = format!("{dir}/contexts/meta/{}/meta.json", context_dir_name(name));
            let json = format!(
                r#"{{"Name":"{name}","Metadata":{{}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":true}}}}}}"#
            );
            self.file(&path, &json)
        }
    }

    impl Environment for FakeEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.vars.get(name).cloned()
        }
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            self.files.get(path).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into())
        }
        fn list_dir(&self, path: &Path) -> std::io::Result<Vec<String>> {
            let mut names: Vec<String> = self
                .files
                .keys()
                .filter_map(|p| p.strip_prefix(path).ok())
                .filter_map(|rest| rest.components().next())
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names.dedup();
            if names.is_empty() {
                return Err(std::io::ErrorKind::NotFound.into());
            }
            Ok(names)
        }
        fn home(&self) -> Option<PathBuf> {
            self.home.clone()
        }
        fn exists(&self, path: &Path) -> bool {
            self.files.contains_key(path)
        }
    }

    fn home() -> FakeEnv {
        FakeEnv { home: Some("/home/u".into()), ..Default::default() }
    }

    #[test]
    fn without_a_docker_socket_podmans_rootful_then_the_users_socket_is_used() {
        let rootful = home().file(PODMAN_ROOTFUL_SOCKET, "");
        let e = resolve_endpoint(&rootful).unwrap();
        assert_eq!((e.host, e.source), (Host::Unix(PODMAN_ROOTFUL_SOCKET.into()), EndpointSource::PodmanRootful));
        let user = home().var("XDG_RUNTIME_DIR", "/run/user/1000").file("/run/user/1000/podman/podman.sock", "");
        let e = resolve_endpoint(&user).unwrap();
        assert_eq!(e.host, Host::Unix("/run/user/1000/podman/podman.sock".into()));
        assert_eq!(e.source, EndpointSource::PodmanUser);
        assert!(
            e.describe().contains("the user's Podman socket: no Docker socket at /var/run/docker.sock"),
            "{}",
            e.describe()
        );
        // Both: the rootful one; a Docker socket: always Docker's.
        let both = user.clone_with("unused", "").file(PODMAN_ROOTFUL_SOCKET, "");
        assert_eq!(resolve_endpoint(&both).unwrap().source, EndpointSource::PodmanRootful);
        let docker = both.clone_with("unused", "").file("/var/run/docker.sock", "");
        assert_eq!(resolve_endpoint(&docker).unwrap().source, EndpointSource::Default);
        // DOCKER_HOST and contexts still win over any socket.
        let host = both.clone_with("DOCKER_HOST", "tcp://127.0.0.1:2375");
        assert_eq!(resolve_endpoint(&host).unwrap().source, EndpointSource::DockerHost);
        // XDG_RUNTIME_DIR without a Podman socket in it: the default socket.
        let none = home().var("XDG_RUNTIME_DIR", "/run/user/1000");
        assert_eq!(resolve_endpoint(&none).unwrap().source, EndpointSource::Default);
    }

    #[test]
    fn the_first_socket_that_exists_on_disk_is_chosen() {
        let dir = tempfile::tempdir().unwrap();
        let docker = dir.path().join("docker.sock");
        let rootful = dir.path().join("rootful.sock");
        let user = dir.path().join("user.sock");
        let candidates = [
            (docker.clone(), EndpointSource::Default),
            (rootful.clone(), EndpointSource::PodmanRootful),
            (user.clone(), EndpointSource::PodmanUser),
        ];
        // None exists: the first, so that the error names Docker's socket.
        assert_eq!(
            first_socket(&SystemEnvironment, &candidates),
            (Host::Unix(docker.clone()), EndpointSource::Default)
        );
        let _user = std::os::unix::net::UnixListener::bind(&user).unwrap();
        assert_eq!(first_socket(&SystemEnvironment, &candidates), (Host::Unix(user), EndpointSource::PodmanUser));
        let _rootful = std::os::unix::net::UnixListener::bind(&rootful).unwrap();
        assert_eq!(first_socket(&SystemEnvironment, &candidates), (Host::Unix(rootful), EndpointSource::PodmanRootful));
        let _docker = std::os::unix::net::UnixListener::bind(&docker).unwrap();
        assert_eq!(first_socket(&SystemEnvironment, &candidates), (Host::Unix(docker), EndpointSource::Default));
    }

    #[test]
    fn context_hash_matches_the_cli() {
        // `docker context create remote` writes under this folder.
        assert_eq!(context_dir_name("default"), "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f");
    }

    #[test]
    fn nothing_set_means_default_socket() {
        let e = resolve_endpoint(&home()).unwrap();
        assert_eq!((e.host, e.source), (Host::default_socket(), EndpointSource::Default));
        let e = resolve_endpoint(&FakeEnv::default()).unwrap();
        assert_eq!(e.host, Host::default_socket(), "no home directory at all");
    }

    #[test]
    fn docker_host_wins() {
        let env = home().var("DOCKER_HOST", "tcp://h:1").var("DOCKER_CONTEXT", "remote").context(
            "/home/u/.docker",
            "remote",
            "tcp://other:2",
        );
        let e = resolve_endpoint(&env).unwrap();
        assert_eq!(e.host.to_string(), "tcp://h:1");
        assert_eq!(e.source, EndpointSource::DockerHost);
        let err = resolve_endpoint(&home().var("DOCKER_HOST", "nonsense")).unwrap_err();
        assert!(err.to_string().contains("DOCKER_HOST"), "{err}");
    }

    #[test]
    fn docker_context_then_current_context() {
        let env = home()
            .var("DOCKER_CONTEXT", "remote")
            .context("/home/u/.docker", "remote", "tcp://other:2")
            .file("/home/u/.docker/config.json", r#"{"currentContext":"cfg"}"#)
            .context("/home/u/.docker", "cfg", "unix:///cfg.sock");
        let e = resolve_endpoint(&env).unwrap();
        assert_eq!(e.host.to_string(), "tcp://other:2");
        assert!(e.tls.as_ref().is_some_and(|t| t.danger_accept_invalid_certs), "SkipTLSVerify: {e:?}");
        assert_eq!(e.source, EndpointSource::Context { name: "remote".into(), from_env: true });

        let mut env = env;
        env.vars.remove("DOCKER_CONTEXT");
        let e = resolve_endpoint(&env).unwrap();
        assert_eq!(e.host.to_string(), "unix:///cfg.sock");
        assert!(e.describe().contains("current context"), "{}", e.describe());
    }

    #[test]
    fn docker_config_moves_the_directory() {
        let env = home()
            .var("DOCKER_CONFIG", "/etc/dc")
            .file("/etc/dc/config.json", r#"{"currentContext":"x","auths":{}}"#)
            .context("/etc/dc", "x", "unix:///x.sock");
        assert_eq!(resolve_endpoint(&env).unwrap().host.to_string(), "unix:///x.sock");
    }

    #[test]
    fn default_context_and_missing_context() {
        let env = home().var("DOCKER_CONTEXT", "default");
        assert_eq!(resolve_endpoint(&env).unwrap().source, EndpointSource::Default);
        let err = resolve_endpoint(&home().var("DOCKER_CONTEXT", "ghost")).unwrap_err();
        assert!(err.to_string().contains("\"ghost\" not found"), "{err}");
        let env = home().file("/home/u/.docker/config.json", "{not json");
        assert!(resolve_endpoint(&env).unwrap_err().to_string().contains("config.json"));
    }

    #[test]
    fn api_version_pin() {
        let e = resolve_endpoint(&home().var("DOCKER_API_VERSION", "1.43")).unwrap();
        assert_eq!(e.api_version, Some(ApiVersion::new(1, 43)));
        assert!(resolve_endpoint(&home().var("DOCKER_API_VERSION", "latest")).is_err());
    }

    const CA: &str = "-----BEGIN CERTIFICATE-----\nY2E=\n-----END CERTIFICATE-----\n";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n";
    const KEY: &str = "-----BEGIN PRIVATE KEY-----\nU0VDUkVUIEtFWSBCWVRFUw==\n-----END PRIVATE KEY-----\n";

    /// A home with `~/.docker/{ca,cert,key}.pem`.
    fn home_with_certs() -> FakeEnv {
        home()
            .file("/home/u/.docker/ca.pem", CA)
            .file("/home/u/.docker/cert.pem", CERT)
            .file("/home/u/.docker/key.pem", KEY)
    }

    fn tls_of(env: &FakeEnv) -> Option<TlsSettings> {
        resolve_endpoint(env).unwrap().tls
    }

    #[test]
    fn tls_verify_is_read_by_value() {
        let base = || home_with_certs().var("DOCKER_HOST", "tcp://h:2376");
        assert_eq!(tls_of(&base()), None, "unset");
        for off in ["", "0", "false", "FALSE", " False "] {
            assert_eq!(tls_of(&base().var("DOCKER_TLS_VERIFY", off)), None, "{off:?} means off");
        }
        for on in ["1", "true", "yes", "anything"] {
            let tls = tls_of(&base().var("DOCKER_TLS_VERIFY", on)).unwrap_or_else(|| panic!("{on:?} means on"));
            assert!(!tls.danger_accept_invalid_certs);
            assert_eq!(tls.ca.as_ref().unwrap().origin(), "/home/u/.docker/ca.pem");
            assert_eq!(tls.cert.as_ref().unwrap().bytes(), CERT.as_bytes());
            assert_eq!(tls.key.as_ref().unwrap().origin(), "/home/u/.docker/key.pem");
            assert!(tls.origin.contains("DOCKER_CERT_PATH /home/u/.docker"), "{}", tls.origin);
        }
    }

    #[test]
    fn cert_path_moves_with_docker_cert_path_and_docker_config() {
        let env = home()
            .var("DOCKER_HOST", "tcp://h:1")
            .var("DOCKER_TLS_VERIFY", "1")
            .var("DOCKER_CERT_PATH", "/certs")
            .file("/certs/ca.pem", CA);
        let tls = tls_of(&env).unwrap();
        assert_eq!(tls.ca.unwrap().origin(), "/certs/ca.pem");
        assert_eq!((tls.cert, tls.key), (None, None), "the client pair is optional");

        let env = home()
            .var("DOCKER_HOST", "tcp://h:1")
            .var("DOCKER_TLS_VERIFY", "1")
            .var("DOCKER_CONFIG", "/cfg")
            .file("/cfg/ca.pem", CA);
        assert_eq!(tls_of(&env).unwrap().ca.unwrap().origin(), "/cfg/ca.pem");

        // An empty DOCKER_CERT_PATH is unset.
        let env =
            home_with_certs().var("DOCKER_HOST", "tcp://h:1").var("DOCKER_TLS_VERIFY", "1").var("DOCKER_CERT_PATH", "");
        assert_eq!(tls_of(&env).unwrap().ca.unwrap().origin(), "/home/u/.docker/ca.pem");
    }

    #[test]
    fn tls_files_missing_are_named() {
        let env = home().var("DOCKER_HOST", "tcp://h:1").var("DOCKER_TLS_VERIFY", "1");
        let err = resolve_endpoint(&env).unwrap_err().to_string();
        assert!(err.contains("missing CA certificate /home/u/.docker/ca.pem"), "{err}");

        let env = env.file("/home/u/.docker/ca.pem", CA).file("/home/u/.docker/cert.pem", CERT);
        let err = resolve_endpoint(&env).unwrap_err().to_string();
        assert!(err.contains("client key /home/u/.docker/key.pem is missing"), "{err}");

        let mut env = env.file("/home/u/.docker/key.pem", KEY);
        env.files.remove(Path::new("/home/u/.docker/cert.pem"));
        let err = resolve_endpoint(&env).unwrap_err().to_string();
        assert!(err.contains("client certificate /home/u/.docker/cert.pem is missing"), "{err}");

        // No home, no DOCKER_CONFIG, no DOCKER_CERT_PATH.
        let env = FakeEnv::default().var("DOCKER_HOST", "tcp://h:1").var("DOCKER_TLS_VERIFY", "1");
        assert!(resolve_endpoint(&env).unwrap_err().to_string().contains("DOCKER_CERT_PATH"));
    }

    #[test]
    fn docker_tls_alone_encrypts_without_verifying() {
        let env = home_with_certs().var("DOCKER_HOST", "tcp://h:1").var("DOCKER_TLS", "1");
        let tls = tls_of(&env).unwrap();
        assert!(tls.danger_accept_invalid_certs);
        assert_eq!(tls.ca, None);
        assert!(tls.cert.is_some(), "the client pair is still presented");
        // Without any certificate files it still works.
        let env = home().var("DOCKER_HOST", "tcp://h:1").var("DOCKER_TLS", "true");
        assert!(tls_of(&env).unwrap().danger_accept_invalid_certs);
        assert_eq!(tls_of(&home().var("DOCKER_HOST", "tcp://h:1").var("DOCKER_TLS", "0")), None);
    }

    #[test]
    fn https_addresses_always_use_tls() {
        // With ca.pem in the cert path: verified against it.
        let tls = tls_of(&home_with_certs().var("DOCKER_HOST", "https://h:1")).unwrap();
        assert!(!tls.danger_accept_invalid_certs);
        assert_eq!(tls.ca.unwrap().origin(), "/home/u/.docker/ca.pem");
        // Without: the system's roots.
        let tls = tls_of(&home().var("DOCKER_HOST", "https://h")).unwrap();
        assert_eq!((tls.ca, tls.danger_accept_invalid_certs), (None, false));
        assert_eq!(
            resolve_endpoint(&home().var("DOCKER_HOST", "https://h")).unwrap().host.to_string(),
            "https://h:2376"
        );
        let tls = tls_of(&FakeEnv::default().var("DOCKER_HOST", "https://h")).unwrap();
        assert_eq!(tls.ca, None, "no home at all");
        // DOCKER_TLS without VERIFY on https://: unverified, like the CLI.
        assert!(
            tls_of(&home().var("DOCKER_HOST", "https://h").var("DOCKER_TLS", "1")).unwrap().danger_accept_invalid_certs
        );
        // Built in code.
        assert!(Endpoint::explicit("https://h".parse().unwrap()).tls.is_some());
        assert!(Endpoint::explicit("tcp://h".parse().unwrap()).tls.is_none());
    }

    #[test]
    fn tls_moves_the_default_port_but_not_an_explicit_one() {
        let env = home_with_certs().var("DOCKER_TLS_VERIFY", "1");
        let port = |host: &str| match resolve_endpoint(&env.clone_with("DOCKER_HOST", host)).unwrap().host {
            Host::Tcp { port, .. } => port,
            other => panic!("{other}"),
        };
        assert_eq!(port("tcp://h"), 2376);
        assert_eq!(port("tcp://h:2375"), 2375);
        assert_eq!(port("tcp://[::1]"), 2376);
        let e = resolve_endpoint(&env.clone_with("DOCKER_HOST", "tcp://h")).unwrap();
        assert_eq!(e.describe(), "tcp://h:2376 with TLS (from DOCKER_HOST)");
    }

    #[test]
    fn tls_variables_do_not_apply_to_unix_or_ssh() {
        for host in ["unix:///run/d.sock", "ssh://me@box"] {
            let env = home_with_certs().var("DOCKER_HOST", host).var("DOCKER_TLS_VERIFY", "1");
            assert_eq!(tls_of(&env), None, "{host}");
        }
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let env = home_with_certs().var("DOCKER_HOST", "tcp://h:1").var("DOCKER_TLS_VERIFY", "1");
        let e = resolve_endpoint(&env).unwrap();
        let debug = format!("{e:?}");
        assert!(!debug.contains("U0VDUkVU") && !debug.contains("PRIVATE"), "{debug}");
        assert!(debug.contains("key.pem"), "Debug names the file: {debug}");
    }

    /// A context with a docker endpoint, optional TLS files and SkipTLSVerify.
    fn with_context(env: FakeEnv, name: &str, host: &str, skip: bool, files: &[(&str, &str)]) -> FakeEnv {
        let hash = context_dir_name(name);
        let json = format!(
            r#"{{"Name":"{name}","Metadata":{{"Description":"about {name}"}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":{skip}}}}}}}"#
        );
        let mut env = env.file(&format!("/home/u/.docker/contexts/meta/{hash}/meta.json"), &json);
        for (file, content) in files {
            env = env.file(&format!("/home/u/.docker/contexts/tls/{hash}/docker/{file}"), content);
        }
        env
    }

    #[test]
    fn context_tls_material() {
        let all = [("ca.pem", CA), ("cert.pem", CERT), ("key.pem", KEY)];
        let env = with_context(home(), "prod", "tcp://prod:2376", false, &all).var("DOCKER_CONTEXT", "prod");
        let e = resolve_endpoint(&env).unwrap();
        let tls = e.tls.unwrap();
        let dir = format!("/home/u/.docker/contexts/tls/{}/docker", context_dir_name("prod"));
        assert_eq!(tls.ca.unwrap().origin(), format!("{dir}/ca.pem"));
        assert_eq!(tls.cert.unwrap().origin(), format!("{dir}/cert.pem"));
        assert_eq!(tls.key.unwrap().bytes(), KEY.as_bytes());
        assert!(!tls.danger_accept_invalid_certs);
        assert!(tls.origin.contains("context \"prod\""), "{}", tls.origin);

        // Only a CA: TLS, no client certificate.
        let env =
            with_context(home(), "ca-only", "tcp://h:1", false, &[("ca.pem", CA)]).var("DOCKER_CONTEXT", "ca-only");
        let tls = tls_of(&env).unwrap();
        assert!(tls.ca.is_some() && tls.cert.is_none());

        // SkipTLSVerify without material: TLS, unverified.
        let env = with_context(home(), "skip", "tcp://h:1", true, &[]).var("DOCKER_CONTEXT", "skip");
        let tls = tls_of(&env).unwrap();
        assert!(tls.danger_accept_invalid_certs && tls.ca.is_none());

        // Neither: plain TCP.
        let env = with_context(home(), "plain", "tcp://h:1", false, &[]).var("DOCKER_CONTEXT", "plain");
        assert_eq!(tls_of(&env), None);

        // https:// in the context: TLS with the system's roots.
        let env = with_context(home(), "web", "https://h", false, &[]).var("DOCKER_CONTEXT", "web");
        assert!(tls_of(&env).is_some_and(|t| t.ca.is_none() && !t.danger_accept_invalid_certs));

        // A unix or ssh context has no TLS even with files.
        for host in ["unix:///x.sock", "ssh://u@h"] {
            let env = with_context(home(), "local", host, true, &all).var("DOCKER_CONTEXT", "local");
            assert_eq!(tls_of(&env), None, "{host}");
        }

        // A certificate without its key is named.
        let env = with_context(home(), "half", "tcp://h:1", false, &[("cert.pem", CERT)]).var("DOCKER_CONTEXT", "half");
        let err = resolve_endpoint(&env).unwrap_err().to_string();
        assert!(err.contains("context \"half\"") && err.contains("key.pem is missing"), "{err}");
    }

    #[test]
    fn contexts_ignore_the_tls_variables() {
        let env = with_context(home_with_certs(), "plain", "tcp://h:1", false, &[])
            .var("DOCKER_CONTEXT", "plain")
            .var("DOCKER_TLS_VERIFY", "1");
        assert_eq!(tls_of(&env), None);
        // The current context from config.json too.
        let env = with_context(home(), "prod", "tcp://h:1", false, &[("ca.pem", CA)])
            .file("/home/u/.docker/config.json", r#"{"currentContext":"prod"}"#)
            .var("DOCKER_TLS", "1");
        let e = resolve_endpoint(&env).unwrap();
        assert!(e.tls.is_some_and(|t| !t.danger_accept_invalid_certs));
        assert_eq!(e.source, EndpointSource::Context { name: "prod".into(), from_env: false });
    }

    #[test]
    fn listing_and_choosing_contexts() {
        let env = with_context(home(), "zeta", "tcp://z:1", false, &[("ca.pem", CA)]);
        let env = with_context(env, "alpha", "ssh://me@a", false, &[]);
        // A folder whose meta.json names another context is not listed.
        let env = env.file(
            "/home/u/.docker/contexts/meta/not-a-hash/meta.json",
            r#"{"Name":"alpha","Endpoints":{"docker":{"Host":"tcp://evil:1"}}}"#,
        );
        let list = list_contexts(&env).unwrap();
        let names: Vec<_> = list.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["default", "alpha", "zeta"]);
        assert_eq!(list[0].host, Some(Host::default_socket()));
        assert_eq!(list[1].host.as_ref().unwrap().to_string(), "ssh://me@a");
        assert_eq!(list[1].description.as_deref(), Some("about alpha"));
        assert!(list[2].tls.is_some());
        // DOCKER_HOST is what "default" means.
        let list = list_contexts(&env.clone_with("DOCKER_HOST", "tcp://d:5")).unwrap();
        assert_eq!(list[0].host.as_ref().unwrap().to_string(), "tcp://d:5");
        // Nothing at all.
        assert_eq!(list_contexts(&home()).unwrap().len(), 1);
        assert_eq!(list_contexts(&FakeEnv::default()).unwrap().len(), 1);
        // A broken meta.json is named.
        let broken = env
            .clone_with("X", "")
            .file(&format!("/home/u/.docker/contexts/meta/{}/meta.json", context_dir_name("b")), "{");
        assert!(list_contexts(&broken).unwrap_err().to_string().contains("meta.json"));

        // Choosing by name, whatever the environment says.
        let env = env.var("DOCKER_CONTEXT", "alpha").var("DOCKER_HOST", "tcp://d:5");
        let e = resolve_context(&env, "zeta").unwrap();
        assert_eq!(e.host.to_string(), "tcp://z:1");
        assert!(e.tls.is_some());
        assert_eq!(e.source, EndpointSource::NamedContext("zeta".into()));
        assert!(e.describe().contains("chosen by the program"), "{}", e.describe());
        assert_eq!(resolve_context(&env, "default").unwrap().host.to_string(), "tcp://d:5");
        let mut no_host = env.clone_with("DOCKER_CONTEXT", "alpha");
        no_host.vars.remove("DOCKER_HOST");
        assert_eq!(resolve_context(&no_host, "default").unwrap().host, Host::default_socket());
        assert!(resolve_context(&env, "ghost").unwrap_err().to_string().contains("\"ghost\" not found"));
    }

    #[test]
    fn current_context_name() {
        assert_eq!(current_context(&home()).unwrap(), "default");
        let env = home().file("/home/u/.docker/config.json", r#"{"currentContext":"cfg"}"#);
        assert_eq!(current_context(&env).unwrap(), "cfg");
        assert_eq!(current_context(&env.var("DOCKER_CONTEXT", "env")).unwrap(), "env");
    }

    #[test]
    fn vars_environment_reads_only_its_own_variables() {
        let env = VarsEnvironment::new().var("DOCKER_HOST", "tcp://h:9").home("/nowhere");
        assert_eq!(Environment::var(&env, "PATH"), None);
        assert_eq!(Environment::home(&env), Some(PathBuf::from("/nowhere")));
        assert_eq!(resolve_endpoint(&env).unwrap().host.to_string(), "tcp://h:9");
    }
}
