//! Finding the daemon the way the docker CLI does: `DOCKER_HOST`, then
//! `DOCKER_CONTEXT`, then `currentContext` in `$DOCKER_CONFIG/config.json`
//! (default `~/.docker`), then `unix:///var/run/docker.sock`.
//!
//! Everything here reads through an [`Environment`], so the rules are tested
//! with fake variables and files; [`SystemEnvironment`] is the real one.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::{ApiVersion, Error, Host, Result};

/// Environment variables and files, as [`resolve_endpoint`] reads them.
pub trait Environment {
    /// An environment variable; `None` when unset.
    fn var(&self, name: &str) -> Option<String>;
    /// A file's bytes.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    /// The user's home directory.
    fn home(&self) -> Option<PathBuf>;
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

    fn home(&self) -> Option<PathBuf> {
        std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
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
    /// Nothing said otherwise: the default socket.
    Default,
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
            EndpointSource::Default => f.write_str("the default socket"),
        }
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
    /// A context's `SkipTLSVerify`.
    pub skip_tls_verify: bool,
}

impl Endpoint {
    /// An endpoint set in code.
    pub fn explicit(host: Host) -> Self {
        Endpoint { host, source: EndpointSource::Explicit, api_version: None, skip_tls_verify: false }
    }

    /// How errors name it: `unix:///var/run/docker.sock (the default socket)`.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.host, self.source)
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
    Sha256::digest(name.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A docker CLI context's docker endpoint (`contexts/meta/<hash>/meta.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ContextMeta {
    /// The context's name.
    pub name: String,
    /// The daemon address, if the context has a docker endpoint.
    pub host: Option<Host>,
    /// Whether TLS verification is off for it.
    pub skip_tls_verify: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawMeta {
    name: String,
    #[serde(default)]
    endpoints: HashMap<String, RawEndpoint>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RawEndpoint {
    host: Option<String>,
    #[serde(rename = "SkipTLSVerify")]
    skip_tls_verify: bool,
}

/// Reads context `name` from the configuration directory `dir`.
pub fn load_context(env: &dyn Environment, dir: &Path, name: &str) -> Result<ContextMeta> {
    let path = dir.join("contexts").join("meta").join(context_dir_name(name)).join("meta.json");
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
    let host = docker.and_then(|d| d.host.as_deref()).filter(|h| !h.is_empty()).map(str::parse).transpose()?;
    Ok(ContextMeta { name: raw.name, host, skip_tls_verify: docker.is_some_and(|d| d.skip_tls_verify) })
}

/// Decides which daemon to use, as the docker CLI does.
///
/// 1. `DOCKER_HOST`, if set and not empty;
/// 2. the context named by `DOCKER_CONTEXT`;
/// 3. the `currentContext` of `config.json`;
/// 4. the default socket.
///
/// The context named `default` is the default socket. `DOCKER_API_VERSION`
/// pins the API version.
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

fn resolve_host(env: &dyn Environment) -> Result<Endpoint> {
    let make = |host, source| Endpoint { host, source, api_version: None, skip_tls_verify: false };
    if let Some(host) = env.var("DOCKER_HOST").filter(|v| !v.is_empty()) {
        let host = host.parse().map_err(|e: Error| match e {
            Error::InvalidInput { reason, .. } => Error::invalid("DOCKER_HOST", reason),
            other => other,
        })?;
        return Ok(make(host, EndpointSource::DockerHost));
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
        return Ok(make(Host::default_socket(), EndpointSource::Default));
    };
    let dir = dir.ok_or_else(|| {
        Error::invalid(
            "docker context",
            format!("context {name:?} is set but there is no home directory or DOCKER_CONFIG"),
        )
    })?;
    let meta = load_context(env, &dir, &name)?;
    let host = meta.host.unwrap_or_else(Host::default_socket);
    Ok(Endpoint {
        host,
        source: EndpointSource::Context { name, from_env },
        api_version: None,
        skip_tls_verify: meta.skip_tls_verify,
    })
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
        fn home(&self) -> Option<PathBuf> {
            self.home.clone()
        }
    }

    fn home() -> FakeEnv {
        FakeEnv { home: Some("/home/u".into()), ..Default::default() }
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
        assert!(e.skip_tls_verify);
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
}
