//! Registry credentials, found the way the docker CLI finds them.
//!
//! `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`, located
//! through [`crate::config::config_dir`]) may hold:
//!
//! - `auths`: per registry, a base64 `auth` (`user:password`), or
//!   `username`/`password`, or an `identitytoken`;
//! - `credsStore`: a helper program for every registry;
//! - `credHelpers`: a helper program per registry, taking precedence.
//!
//! A helper `docker-credential-<name>` is run as `get` with the registry on
//! stdin and answers `{"ServerURL", "Username", "Secret"}` on stdout (a
//! `Username` of `<token>` means `Secret` is an identity token). The program
//! is searched on the `PATH` the [`Environment`] gives, so tests can point at
//! a helper without changing the process's environment. Running helpers
//! needs feature `native`.
//!
//! Docker Hub's credentials are under `https://index.docker.io/v1/`
//! ([`crate::reference::DOCKER_HUB_AUTH_KEY`]).
//!
//! ```
//! use dockhand::credentials::CredentialStore;
//! let store = CredentialStore::from_json(br#"{"auths":{"localhost:5000":{"auth":"YWxpY2U6czNjcmV0"}}}"#)?;
//! let auth = store.get("localhost:5000")?.unwrap();
//! assert_eq!(auth.username.as_deref(), Some("alice"));
//! assert!(!format!("{auth:?}").contains("s3cret"));
//! # Ok::<(), dockhand::Error>(())
//! ```

#![cfg_attr(not(feature = "native"), allow(dead_code))]

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;

use crate::config::{Environment, config_dir};
use crate::models::{AuthConfig, RegistryConfig};
use crate::reference::{DOCKER_HUB_AUTH_KEY, Reference};
use crate::{Error, Result};

/// The parts of `config.json` about credentials.
#[derive(Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct AuthFile {
    auths: HashMap<String, FileEntry>,
    creds_store: Option<String>,
    cred_helpers: HashMap<String, String>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct FileEntry {
    auth: Option<String>,
    username: Option<String>,
    password: Option<String>,
    email: Option<String>,
    identitytoken: Option<String>,
    registrytoken: Option<String>,
}

/// Credentials from a docker CLI configuration.
#[derive(Clone, Default)]
pub struct CredentialStore {
    file: AuthFile,
    path_var: Option<String>,
}

impl fmt::Debug for CredentialStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut registries: Vec<&String> = self.file.auths.keys().collect();
        registries.sort();
        f.debug_struct("CredentialStore")
            .field("registries", &registries)
            .field("creds_store", &self.file.creds_store)
            .field("cred_helpers", &self.file.cred_helpers)
            .finish()
    }
}

impl CredentialStore {
    /// Reads `config.json` in the configuration directory `env` names
    /// (`DOCKER_CONFIG`, else `~/.docker`); a missing file or directory
    /// gives an empty store. Helpers are searched on `env`'s `PATH`.
    pub fn load(env: &dyn Environment) -> Result<Self> {
        let path_var = env.var("PATH");
        let Some(dir) = config_dir(env) else {
            return Ok(CredentialStore { path_var, ..Default::default() });
        };
        let path = dir.join("config.json");
        let mut store = match env.read(&path) {
            Ok(bytes) => Self::from_json(&bytes).map_err(|e| match e {
                Error::InvalidInput { what, reason } => Error::invalid(what, format!("{}: {reason}", path.display())),
                other => other,
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => CredentialStore::default(),
            Err(source) => return Err(Error::Io { context: format!("reading {}", path.display()), source }),
        };
        store.path_var = path_var;
        Ok(store)
    }

    /// The process's own configuration (`DOCKER_CONFIG`, `HOME`, `PATH`).
    #[cfg(feature = "native")]
    pub fn from_env() -> Result<Self> {
        Self::load(&crate::config::SystemEnvironment)
    }

    /// Parses the contents of a `config.json`. The error never quotes the
    /// file (it holds secrets), only where parsing failed.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let file: AuthFile = serde_json::from_slice(bytes).map_err(|e| {
            Error::invalid("docker CLI configuration", format!("not valid at line {} column {}", e.line(), e.column()))
        })?;
        Ok(CredentialStore { file, path_var: None })
    }

    /// The credentials for the registry that `image` names (Docker Hub when
    /// it names none).
    pub fn for_image(&self, image: &str) -> Result<Option<AuthConfig>> {
        let reference = Reference::parse(image)?;
        self.get(reference.auth_key())
    }

    /// The credentials for `registry` (`localhost:5000`,
    /// `https://index.docker.io/v1/`, `docker.io`): a `credHelpers` entry
    /// first, then `credsStore`, then `auths`. `Ok(None)` when none are
    /// stored.
    pub fn get(&self, registry: &str) -> Result<Option<AuthConfig>> {
        let key = canonical(registry);
        let helper = self
            .file
            .cred_helpers
            .iter()
            .find(|(k, _)| hostname(k) == hostname(&key))
            .map(|(_, v)| v)
            .or(self.file.creds_store.as_ref())
            .filter(|h| !h.is_empty());
        if let Some(helper) = helper {
            return self.ask_helper(helper, &key);
        }
        let entry = self
            .file
            .auths
            .get(&key)
            .or_else(|| self.file.auths.iter().find(|(k, _)| hostname(k) == hostname(&key)).map(|(_, v)| v));
        entry.map(|e| decode_entry(e, &key)).transpose()
    }

    /// The credentials of every registry it knows, keyed by registry, as a
    /// build's `X-Registry-Config` carries them (the docker CLI's
    /// `GetAllCredentials`): the `auths` entries; then, with a `credsStore`,
    /// every registry its helper lists; then each `credHelpers` registry
    /// (one whose helper fails is left out, as the CLI does). Entries that
    /// hold no credential at all (the placeholders a helper leaves in
    /// `auths`) are left out.
    ///
    /// ```
    /// use dockhand::credentials::CredentialStore;
    /// let store = CredentialStore::from_json(br#"{"auths":{"a.io":{"auth":"dTpw"},"b.io":{}}}"#)?;
    /// let all = store.all()?;
    /// assert_eq!(all.0.keys().collect::<Vec<_>>(), ["a.io"]);
    /// # Ok::<(), dockhand::Error>(())
    /// ```
    pub fn all(&self) -> Result<RegistryConfig> {
        let mut all = RegistryConfig::new();
        let mut keys: Vec<&String> = self.file.auths.keys().collect();
        keys.sort();
        for key in keys {
            match decode_entry(&self.file.auths[key], key) {
                Ok(auth) => all.0.insert(key.clone(), auth),
                Err(e) => {
                    tracing::warn!(registry = %key, error = %e, "skipping a docker CLI credential entry");
                    continue;
                }
            };
        }
        if let Some(helper) = self.file.creds_store.as_deref().filter(|h| !h.is_empty()) {
            for server in self.list_helper(helper)? {
                if let Some(auth) = self.ask_helper(helper, &server)? {
                    all.0.insert(server, auth);
                }
            }
        }
        let mut registries: Vec<(&String, &String)> = self.file.cred_helpers.iter().collect();
        registries.sort();
        for (registry, helper) in registries {
            match self.ask_helper(helper, registry) {
                Ok(Some(auth)) => {
                    all.0.insert(registry.clone(), auth);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(registry = %registry, error = %e, "skipping a credential helper that failed"),
            }
        }
        all.0.retain(|_, a| {
            a.username.is_some() || a.password.is_some() || a.identity_token.is_some() || a.registry_token.is_some()
        });
        Ok(all)
    }

    #[cfg(feature = "native")]
    fn ask_helper(&self, helper: &str, server: &str) -> Result<Option<AuthConfig>> {
        run_helper(helper, server, self.path_var.as_deref())
    }

    #[cfg(feature = "native")]
    fn list_helper(&self, helper: &str) -> Result<Vec<String>> {
        list_helper(helper, self.path_var.as_deref())
    }

    #[cfg(not(feature = "native"))]
    fn ask_helper(&self, helper: &str, _server: &str) -> Result<Option<AuthConfig>> {
        Err(no_helpers(helper))
    }

    #[cfg(not(feature = "native"))]
    fn list_helper(&self, helper: &str) -> Result<Vec<String>> {
        Err(no_helpers(helper))
    }
}

#[cfg(not(feature = "native"))]
fn no_helpers(helper: &str) -> Error {
    Error::invalid("credential helper", format!("docker-credential-{helper} cannot be run without the native feature"))
}

/// Where a client finds registry credentials for the calls that talk to a
/// registry (image pull and push, a build's `FROM`, plugin pull, push and
/// upgrade, distribution inspect) when the call is given none: set with
/// [`DockerBuilder::registry_credentials`](crate::DockerBuilder::registry_credentials).
///
/// Like the docker CLI and docker-py, a client uses the docker CLI's
/// configuration by default, so that a push after `docker login` just
/// works. Credentials passed to a call (`PushOptions::auth`,
/// `BuildOptions::registry_config`, ...) are used instead; pass
/// `AuthConfig::default()` to make one call anonymous.
///
/// The lookup is native only (feature `native`): without it (the browser),
/// calls send only the credentials they are given.
///
/// The configuration is read when such a call is made (so a later
/// `docker login` counts), never for other calls; helpers run on tokio's
/// blocking threads. An unreadable or malformed `config.json` is logged
/// (`tracing::warn!`) and the call goes without credentials, as with the
/// docker CLI; a helper that fails fails the call, as with the docker CLI.
///
/// ```no_run
/// # fn demo() -> dockhand::Result<()> {
/// use dockhand::credentials::RegistryCredentials;
/// // Only the credentials each call is given:
/// let docker = dockhand::Docker::builder().registry_credentials(RegistryCredentials::Off).build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum RegistryCredentials {
    /// The docker CLI's configuration of this process: `config.json` in
    /// `$DOCKER_CONFIG` (else `~/.docker`), with its `credsStore` and
    /// `credHelpers`. The default.
    #[default]
    DockerConfig,
    /// The docker CLI configuration that this [`Environment`] names (its
    /// `DOCKER_CONFIG`, `HOME` and `PATH`): for tests and for programs
    /// acting for another user, without changing the process's
    /// environment.
    Environment(std::sync::Arc<dyn Environment + Send + Sync>),
    /// This store's credentials.
    Store(CredentialStore),
    /// None: calls send only the credentials they are given.
    Off,
}

impl fmt::Debug for RegistryCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryCredentials::DockerConfig => f.write_str("DockerConfig"),
            RegistryCredentials::Environment(_) => f.write_str("Environment(..)"),
            RegistryCredentials::Store(store) => f.debug_tuple("Store").field(store).finish(),
            RegistryCredentials::Off => f.write_str("Off"),
        }
    }
}

impl RegistryCredentials {
    /// The store this source stands for now, or `None` when off (or when
    /// its `config.json` cannot be read, which is logged). Reads files.
    pub(crate) fn load(&self) -> Option<CredentialStore> {
        let loaded = match self {
            RegistryCredentials::Off => return None,
            RegistryCredentials::Store(store) => return Some(store.clone()),
            #[cfg(feature = "native")]
            RegistryCredentials::DockerConfig => CredentialStore::from_env(),
            #[cfg(not(feature = "native"))]
            RegistryCredentials::DockerConfig => return None,
            RegistryCredentials::Environment(env) => CredentialStore::load(&**env),
        };
        loaded.map_err(|e| tracing::warn!(error = %e, "ignoring the docker CLI configuration")).ok()
    }

    /// The stored credentials for `image`'s registry; `None` when off, when
    /// none are stored, or when `image` is not a reference (the request
    /// itself then says so). Reads files and may run a helper.
    pub(crate) fn for_image(&self, image: &str) -> Result<Option<AuthConfig>> {
        if matches!(self, RegistryCredentials::Off) || Reference::parse(image).is_err() {
            return Ok(None);
        }
        match self.load() {
            Some(store) => store.for_image(image),
            None => Ok(None),
        }
    }

    /// Every stored credential ([`CredentialStore::all`]); empty when off.
    pub(crate) fn all(&self) -> Result<RegistryConfig> {
        match self.load() {
            Some(store) => store.all(),
            None => Ok(RegistryConfig::new()),
        }
    }
}

/// Docker Hub's aliases become its canonical key.
fn canonical(registry: &str) -> String {
    match hostname(registry) {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB_AUTH_KEY.to_owned(),
        _ => registry.to_owned(),
    }
}

/// The host part of a registry key: `https://host:5000/v1/` is `host:5000`.
fn hostname(key: &str) -> &str {
    let rest = key.strip_prefix("https://").or_else(|| key.strip_prefix("http://")).unwrap_or(key);
    rest.split('/').next().unwrap_or(rest)
}

fn decode_entry(e: &FileEntry, server: &str) -> Result<AuthConfig> {
    use base64::Engine as _;
    let mut auth = AuthConfig {
        username: e.username.clone(),
        password: e.password.clone(),
        email: e.email.clone(),
        server_address: Some(server.to_owned()),
        identity_token: e.identitytoken.clone().filter(|t| !t.is_empty()),
        registry_token: e.registrytoken.clone().filter(|t| !t.is_empty()),
    };
    if let Some(encoded) = e.auth.as_deref().filter(|a| !a.is_empty()) {
        let bad = || {
            Error::invalid("docker CLI configuration", format!("the auth of {server:?} is not base64 of user:password"))
        };
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded.trim()))
            .map_err(|_| bad())?;
        let text = String::from_utf8(decoded).map_err(|_| bad())?;
        let (user, password) = text.split_once(':').ok_or_else(bad)?;
        auth.username = Some(user.to_owned());
        auth.password = Some(password.to_owned());
    }
    Ok(auth)
}

/// What a helper prints for `get`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct HelperAnswer {
    #[serde(default)]
    username: String,
    #[serde(default)]
    secret: String,
}

/// A helper's name becomes part of a program name: letters, digits, `-`,
/// `_`, `.` only, so that a configuration cannot run `../../bin/x`.
fn check_helper_name(helper: &str) -> Result<()> {
    if helper.is_empty()
        || helper.starts_with('.')
        || !helper.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(Error::invalid("credential helper", format!("{helper:?} is not a helper name")));
    }
    Ok(())
}

/// Parses a helper's answer to `get` for `server`.
fn parse_helper_answer(helper: &str, server: &str, stdout: &[u8]) -> Result<AuthConfig> {
    let answer: HelperAnswer = serde_json::from_slice(stdout).map_err(|e| {
        Error::invalid(
            "credential helper",
            format!("docker-credential-{helper} answered something that is not its JSON ({})", e.classify_label()),
        )
    })?;
    let mut auth = AuthConfig { server_address: Some(server.to_owned()), ..Default::default() };
    if answer.username == "<token>" {
        auth.identity_token = Some(answer.secret);
    } else {
        auth.username = Some(answer.username);
        auth.password = Some(answer.secret);
    }
    Ok(auth)
}

trait ClassifyLabel {
    fn classify_label(&self) -> &'static str;
}

impl ClassifyLabel for serde_json::Error {
    fn classify_label(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "missing or wrong fields",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

/// Runs `docker-credential-<helper> get` with `server` on stdin.
#[cfg(feature = "native")]
fn run_helper(helper: &str, server: &str, path_var: Option<&str>) -> Result<Option<AuthConfig>> {
    match run_helper_command(helper, "get", server, path_var)? {
        Ok(stdout) => parse_helper_answer(helper, server, &stdout).map(Some),
        Err(said) if said.contains("credentials not found") => Ok(None),
        Err(said) => Err(helper_failed(helper, "get", &said)),
    }
}

/// Runs `docker-credential-<helper> list`: the registries it holds
/// credentials for.
#[cfg(feature = "native")]
fn list_helper(helper: &str, path_var: Option<&str>) -> Result<Vec<String>> {
    match run_helper_command(helper, "list", "", path_var)? {
        Ok(stdout) => {
            // `{"<server URL>": "<user name>", ...}`
            let listed: HashMap<String, String> = serde_json::from_slice(&stdout).map_err(|e| {
                Error::invalid(
                    "credential helper",
                    format!(
                        "docker-credential-{helper} list answered something that is not its JSON ({})",
                        e.classify_label()
                    ),
                )
            })?;
            let mut servers: Vec<String> = listed.into_keys().collect();
            servers.sort();
            Ok(servers)
        }
        Err(said) => Err(helper_failed(helper, "list", &said)),
    }
}

#[cfg(feature = "native")]
fn helper_failed(helper: &str, action: &str, said: &str) -> Error {
    // The helper's own message, cut short; it failed, so it holds no
    // credentials.
    let said: String = said.chars().take(200).collect();
    Error::invalid("credential helper", format!("docker-credential-{helper} {action} failed: {said}"))
}

/// Runs `docker-credential-<helper> <action>` with `input` on stdin: its
/// stdout, or (when it failed) what it said.
#[cfg(feature = "native")]
fn run_helper_command(
    helper: &str,
    action: &str,
    input: &str,
    path_var: Option<&str>,
) -> Result<std::result::Result<Vec<u8>, String>> {
    use std::io::Write;
    use std::process::{Command, Stdio};

    check_helper_name(helper)?;
    let program = format!("docker-credential-{helper}");
    let mut cmd = Command::new(&program);
    cmd.arg(action).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(path) = path_var {
        // Set on the child, the PATH is also where the program is searched.
        cmd.env("PATH", path);
    }
    let mut child = cmd.spawn().map_err(|source| Error::Io { context: format!("running {program}"), source })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .map_err(|source| Error::Io { context: format!("writing to {program}"), source })?;
    }
    let out = child.wait_with_output().map_err(|source| Error::Io { context: format!("running {program}"), source })?;
    if out.status.success() {
        return Ok(Ok(out.stdout));
    }
    let said = String::from_utf8_lossy(&out.stdout);
    let said = said.trim();
    let said = if said.is_empty() { String::from_utf8_lossy(&out.stderr).trim().to_owned() } else { said.to_owned() };
    Ok(Err(format!("({}) {said}", out.status)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auths_entries() {
        let store = CredentialStore::from_json(
            br#"{"auths":{
                "https://index.docker.io/v1/":{"auth":"aHViOmh1YnB3"},
                "https://reg.example.com/v2/":{"username":"u","password":"p"},
                "tok.example.com":{"identitytoken":"it"},
                "bad.example.com":{"auth":"!!!"}}}"#,
        )
        .unwrap();
        let hub = store.get("docker.io").unwrap().unwrap();
        assert_eq!((hub.username.as_deref(), hub.password.as_deref()), (Some("hub"), Some("hubpw")));
        assert_eq!(hub.server_address.as_deref(), Some(DOCKER_HUB_AUTH_KEY));
        assert!(store.for_image("busybox").unwrap().is_some());
        assert_eq!(store.get("reg.example.com").unwrap().unwrap().username.as_deref(), Some("u"));
        assert_eq!(store.get("tok.example.com").unwrap().unwrap().identity_token.as_deref(), Some("it"));
        assert!(store.get("other.example.com").unwrap().is_none());
        let e = store.get("bad.example.com").unwrap_err();
        assert!(e.to_string().contains("not base64"), "{e}");
        assert!(!format!("{store:?}").contains("aHViOmh1YnB3"));
    }

    #[test]
    fn malformed_config_does_not_echo_secrets() {
        let e = CredentialStore::from_json(br#"{"auths":{"x":{"auth":"c2VjcmV0OnB3"}} oops"#).unwrap_err();
        assert!(!e.to_string().contains("c2VjcmV0"), "{e}");
    }

    #[test]
    fn helper_names_and_answers() {
        for bad in ["", "../x", "a/b", ".hidden", "a b", "x;rm"] {
            assert!(check_helper_name(bad).is_err(), "{bad}");
        }
        assert!(check_helper_name("desktop.exe").is_ok());
        let a = parse_helper_answer("t", "s", br#"{"ServerURL":"s","Username":"<token>","Secret":"tok"}"#).unwrap();
        assert_eq!(a.identity_token.as_deref(), Some("tok"));
        let e = parse_helper_answer("t", "s", br#"{"Secret":"leak"#).unwrap_err();
        assert!(!e.to_string().contains("leak"), "{e}");
    }

    #[cfg(feature = "native")]
    #[test]
    fn all_skips_failing_per_registry_helpers_but_not_a_failing_store() {
        let store = CredentialStore::from_json(
            br#"{"auths":{"a.io":{"auth":"dTpw"},"b.io":{},"bad.io":{"auth":"!!!"}},
                 "credHelpers":{"c.io":"dockhand-missing"}}"#,
        )
        .unwrap();
        let all = store.all().unwrap();
        assert_eq!(all.0.keys().collect::<Vec<_>>(), ["a.io"]);
        assert_eq!(all.0["a.io"].password.as_deref(), Some("p"));
        let store = CredentialStore::from_json(br#"{"credsStore":"dockhand-missing"}"#).unwrap();
        let e = store.all().unwrap_err();
        assert!(e.to_string().contains("docker-credential-dockhand-missing"), "{e}");
    }

    #[test]
    fn registry_credentials_are_off_or_found_and_never_shown() {
        let store = CredentialStore::from_json(br#"{"auths":{"localhost:5000":{"auth":"YWxpY2U6czNjcmV0"}}}"#).unwrap();
        let on = RegistryCredentials::Store(store);
        assert_eq!(on.for_image("localhost:5000/app:1").unwrap().unwrap().username.as_deref(), Some("alice"));
        assert!(on.for_image("other.io/app").unwrap().is_none());
        assert!(on.for_image("Not A Reference").unwrap().is_none());
        assert!(!on.all().unwrap().is_empty());
        assert!(!format!("{on:?}").contains("YWxpY2U6czNjcmV0"));
        assert!(RegistryCredentials::Off.for_image("localhost:5000/app:1").unwrap().is_none());
        assert!(RegistryCredentials::Off.all().unwrap().is_empty());
    }

    #[cfg(feature = "native")]
    #[test]
    fn helpers_take_precedence_and_missing_helpers_fail_clearly() {
        let store = CredentialStore::from_json(
            br#"{"auths":{"localhost:5000":{"auth":"dTpw"}},"credHelpers":{"localhost:5000":"dockhand-missing"}}"#,
        )
        .unwrap();
        let e = store.get("localhost:5000").unwrap_err();
        assert!(e.to_string().contains("docker-credential-dockhand-missing"), "{e}");
        let store = CredentialStore::from_json(br#"{"credsStore":"../../bin/sh"}"#).unwrap();
        assert!(matches!(store.get("x.io").unwrap_err(), Error::InvalidInput { .. }));
    }
}
