//! Models of swarm secrets and configs: `/secrets/...`, `/configs/...`.
//!
//! Both hold data for services' containers; a secret's data is never
//! returned by the daemon once created, a config's is.

use std::collections::HashMap;
use std::fmt;

use crate::Timestamp;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::{Driver, ObjectVersion, timestamp};

/// A secret (`GET /secrets/{id}`). The daemon never sends its data back.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Secret {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version to pass to an update.
    #[serde(deserialize_with = "super::nullable")]
    pub version: ObjectVersion,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created_at: Option<Timestamp>,
    /// When it was last updated.
    #[serde(with = "timestamp::rfc3339")]
    pub updated_at: Option<Timestamp>,
    /// Its name, labels, driver.
    #[serde(deserialize_with = "super::nullable")]
    pub spec: SecretSpec,
}

/// What a secret is made of (`POST /secrets/create`; `POST
/// /secrets/{id}/update` may change only its labels).
///
/// `Data` is base64 as the API wants it; `Debug` never shows it.
///
/// ```
/// use dockhand::models::SecretSpec;
/// let spec = SecretSpec::new("db-password", b"hunter2").label("app", "db");
/// assert!(!format!("{spec:?}").contains("aHVudGVyMg"));
/// assert_eq!(serde_json::to_value(&spec)?["Data"], "aHVudGVyMg==");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SecretSpec {
    /// Its name.
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// The data, base64 (standard alphabet, padded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// A secrets driver that holds the data instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<Driver>,
    /// A templating driver (`golang`) for the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templating: Option<Driver>,
}

impl SecretSpec {
    /// A secret named `name` holding `data` (encoded here).
    pub fn new(name: impl Into<String>, data: impl AsRef<[u8]>) -> Self {
        SecretSpec {
            name: name.into(),
            data: Some(base64::engine::general_purpose::STANDARD.encode(data)),
            ..Default::default()
        }
    }

    /// Sets a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }
}

impl fmt::Debug for SecretSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretSpec")
            .field("name", &self.name)
            .field("labels", &self.labels)
            .field("data", &self.data.as_ref().map(|_| "<redacted>"))
            .field("driver", &self.driver)
            .field("templating", &self.templating)
            .finish()
    }
}

/// A config (`GET /configs/{id}`): like a secret, but not secret: the
/// daemon returns its data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Config {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version to pass to an update.
    #[serde(deserialize_with = "super::nullable")]
    pub version: ObjectVersion,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created_at: Option<Timestamp>,
    /// When it was last updated.
    #[serde(with = "timestamp::rfc3339")]
    pub updated_at: Option<Timestamp>,
    /// Its name, labels, data.
    #[serde(deserialize_with = "super::nullable")]
    pub spec: ConfigSpec,
}

/// What a config is made of (`POST /configs/create`; an update may change
/// only its labels).
///
/// ```
/// use dockhand::models::ConfigSpec;
/// let spec = ConfigSpec::new("nginx.conf", "worker_processes 1;");
/// assert_eq!(spec.decoded_data().unwrap(), b"worker_processes 1;");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ConfigSpec {
    /// Its name.
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// The data, base64 (standard alphabet, padded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// A templating driver (`golang`) for the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templating: Option<Driver>,
}

impl ConfigSpec {
    /// A config named `name` holding `data` (encoded here).
    pub fn new(name: impl Into<String>, data: impl AsRef<[u8]>) -> Self {
        ConfigSpec {
            name: name.into(),
            data: Some(base64::engine::general_purpose::STANDARD.encode(data)),
            ..Default::default()
        }
    }

    /// Sets a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// The data, decoded; `None` when absent or not valid base64.
    pub fn decoded_data(&self) -> Option<Vec<u8>> {
        base64::engine::general_purpose::STANDARD.decode(self.data.as_deref()?).ok()
    }
}
