//! Models of registry authentication.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Credentials for a registry, as `POST /auth` and the `X-Registry-Auth`
/// header take them.
///
/// Its `Debug` output never shows the password or tokens:
///
/// ```
/// use dockhand::models::AuthConfig;
/// let auth = AuthConfig::password("localhost:5000", "alice", "s3cret");
/// assert!(!format!("{auth:?}").contains("s3cret"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AuthConfig {
    /// The user name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// An e-mail address (ignored by current registries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The registry, such as `https://index.docker.io/v1/` or
    /// `localhost:5000`.
    #[serde(rename = "serveraddress", skip_serializing_if = "Option::is_none")]
    pub server_address: Option<String>,
    /// A refresh token that the registry issued earlier.
    #[serde(rename = "identitytoken", skip_serializing_if = "Option::is_none")]
    pub identity_token: Option<String>,
    /// A bearer token for the registry.
    #[serde(rename = "registrytoken", skip_serializing_if = "Option::is_none")]
    pub registry_token: Option<String>,
}

impl AuthConfig {
    /// Credentials from a user name and password.
    pub fn password(
        server_address: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        AuthConfig {
            username: Some(username.into()),
            password: Some(password.into()),
            server_address: Some(server_address.into()),
            ..Default::default()
        }
    }

    /// Credentials from an identity token.
    pub fn identity_token(server_address: impl Into<String>, token: impl Into<String>) -> Self {
        AuthConfig {
            identity_token: Some(token.into()),
            server_address: Some(server_address.into()),
            ..Default::default()
        }
    }
}

impl AuthConfig {
    /// The value of the `X-Registry-Auth` header: this JSON in URL-safe
    /// base64 with padding, which the daemon decodes (moby's
    /// `registry.DecodeAuthConfig`, `base64.URLEncoding`).
    ///
    /// ```
    /// use dockhand::models::AuthConfig;
    /// use base64::Engine as _;
    /// let header = AuthConfig::password("localhost:5000", "alice", "s3cret?>").encode_header();
    /// assert!(!header.contains('+') && !header.contains('/'));
    /// let json = base64::engine::general_purpose::URL_SAFE.decode(&header).unwrap();
    /// assert!(String::from_utf8(json).unwrap().contains("\"password\":\"s3cret?>\""));
    /// ```
    pub fn encode_header(&self) -> String {
        encode_json(self)
    }
}

/// Credentials for several registries, keyed by registry (`localhost:5000`,
/// `https://index.docker.io/v1/`): the `X-Registry-Config` header of a build,
/// so that `FROM` can pull private base images.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RegistryConfig(pub std::collections::BTreeMap<String, AuthConfig>);

impl RegistryConfig {
    /// No credentials.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds credentials for `registry`.
    pub fn with(mut self, registry: impl Into<String>, auth: AuthConfig) -> Self {
        self.0.insert(registry.into(), auth);
        self
    }

    /// Whether it holds no credentials.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of the `X-Registry-Config` header (URL-safe base64 JSON).
    pub fn encode_header(&self) -> String {
        encode_json(self)
    }
}

impl fmt::Debug for RegistryConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

fn encode_json<T: Serialize>(value: &T) -> String {
    use base64::Engine as _;
    // Serializing plain strings cannot fail.
    let json = serde_json::to_vec(value).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE.encode(json)
}

fn redact(v: &Option<String>) -> Option<&'static str> {
    v.as_ref().map(|_| "<redacted>")
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfig")
            .field("username", &self.username)
            .field("password", &redact(&self.password))
            .field("email", &self.email)
            .field("server_address", &self.server_address)
            .field("identity_token", &redact(&self.identity_token))
            .field("registry_token", &redact(&self.registry_token))
            .finish()
    }
}

/// The answer of `POST /auth`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct AuthResponse {
    /// The daemon's status text (`Login Succeeded`).
    pub status: String,
    /// A token to use instead of the password from now on, if the registry
    /// issued one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_token: Option<String>,
}

impl fmt::Debug for AuthResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthResponse")
            .field("status", &self.status)
            .field("identity_token", &redact(&self.identity_token))
            .finish()
    }
}
