//! Engine API versions and the negotiation rule.
//!
//! dockhand speaks every version from [`ApiVersion::MIN`] (1.41, Debian's
//! `docker.io` 20.10) to [`ApiVersion::MAX`] (1.56). Unless a version is pinned
//! (with `DOCKER_API_VERSION` or [`DockerBuilder::api_version`]), the client
//! asks the daemon once, through `/_ping`'s `Api-Version` header, and uses the
//! lower of the daemon's version and [`ApiVersion::MAX`].
//!
//! **Parameters newer than the negotiated version are not sent.** A request
//! option that the spec introduces in, say, 1.44 is dropped (with a `tracing`
//! warning) when the daemon speaks 1.41, exactly as the docker CLI does; the
//! daemon would reject or ignore it anyway. Likewise a parameter that a later
//! version removed or renamed (`keep-storage` of `POST /build/prune`, renamed
//! `reserved-space` in 1.48) is sent only to daemons older than that version.
//! Endpoints add them with
//! [`ApiRequest::query_since`](crate::request::ApiRequest::query_since) and
//! [`ApiRequest::query_before`](crate::request::ApiRequest::query_before);
//! the versions come from moby's API version history and
//! `sdk/tests/versions.rs` checks every request against the 1.41 and 1.56
//! specs in `spec/`.
//!
//! [`DockerBuilder::api_version`]: crate::DockerBuilder::api_version

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// An Engine API version such as `1.41`.
///
/// ```
/// use dockhand::ApiVersion;
/// let v: ApiVersion = "1.43".parse()?;
/// assert!(v > ApiVersion::MIN && v < ApiVersion::MAX);
/// assert_eq!(v.to_string(), "1.43");
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    major: u16,
    minor: u16,
}

impl ApiVersion {
    /// The oldest version dockhand speaks: 1.41 (Docker 20.10).
    pub const MIN: ApiVersion = ApiVersion::new(1, 41);
    /// The newest version dockhand speaks: 1.56.
    pub const MAX: ApiVersion = ApiVersion::new(1, 56);

    /// A version from its parts.
    pub const fn new(major: u16, minor: u16) -> Self {
        ApiVersion { major, minor }
    }

    /// The major part (always 1 today).
    pub const fn major(self) -> u16 {
        self.major
    }

    /// The minor part.
    pub const fn minor(self) -> u16 {
        self.minor
    }

    /// Whether dockhand can speak this version.
    pub fn is_supported(self) -> bool {
        (Self::MIN..=Self::MAX).contains(&self)
    }

    /// The version to use with a daemon that announced `daemon`: the lower of
    /// the two, or an [`Error::UnsupportedVersion`] when the daemon is older
    /// than [`ApiVersion::MIN`].
    ///
    /// ```
    /// use dockhand::ApiVersion;
    /// assert_eq!(ApiVersion::negotiate("1.99".parse()?)?, ApiVersion::MAX);
    /// assert_eq!(ApiVersion::negotiate("1.41".parse()?)?, ApiVersion::MIN);
    /// assert!(ApiVersion::negotiate("1.40".parse()?).is_err());
    /// # Ok::<(), dockhand::Error>(())
    /// ```
    pub fn negotiate(daemon: ApiVersion) -> Result<ApiVersion, Error> {
        if daemon < Self::MIN {
            return Err(Error::UnsupportedVersion {
                version: daemon.to_string(),
                reason: format!("the daemon is older than API {}", Self::MIN),
            });
        }
        Ok(daemon.min(Self::MAX))
    }
}

/// The client's and the daemon's versions in the answer of a daemon asked
/// for a version newer than it speaks (a pinned version): dockerd's 400
/// "client version 1.56 is too new. Maximum supported API version is 1.51".
pub(crate) fn too_new(message: &str) -> Option<(ApiVersion, ApiVersion)> {
    let rest = message.strip_prefix("client version ")?;
    let (client, rest) = rest.split_once(" is too new. Maximum supported API version is ")?;
    let daemon = rest.trim_end_matches(|c: char| !c.is_ascii_digit());
    Some((client.parse().ok()?, daemon.parse().ok()?))
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for ApiVersion {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || Error::invalid("API version", format!("{s:?} is not of the form 1.NN"));
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let (major, minor) = s.split_once('.').ok_or_else(bad)?;
        let major = major.parse().map_err(|_| bad())?;
        let minor = minor.parse().map_err(|_| bad())?;
        Ok(ApiVersion { major, minor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders() {
        let v: ApiVersion = "1.41".parse().unwrap();
        assert_eq!(v, ApiVersion::MIN);
        assert!("1.100".parse::<ApiVersion>().unwrap() > ApiVersion::MAX);
        assert!("v1.44".parse::<ApiVersion>().unwrap().is_supported());
        for bad in ["", "1", "1.", "x.y", "1.41.2", "-1.2", "99999.1"] {
            assert!(bad.parse::<ApiVersion>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn a_too_new_answer_names_both_versions() {
        let m = "client version 1.56 is too new. Maximum supported API version is 1.51";
        assert_eq!(too_new(m), Some((ApiVersion::new(1, 56), ApiVersion::new(1, 51))));
        assert_eq!(too_new(&format!("{m}\n")), Some((ApiVersion::new(1, 56), ApiVersion::new(1, 51))));
        for other in [
            "",
            "client version 1.56 is too new",
            "client version x is too new. Maximum supported API version is 1.51",
            "No such container: x",
        ] {
            assert_eq!(too_new(other), None, "{other:?}");
        }
    }

    #[test]
    fn negotiation_clamps() {
        assert_eq!(ApiVersion::negotiate(ApiVersion::new(1, 60)).unwrap(), ApiVersion::MAX);
        assert_eq!(ApiVersion::negotiate(ApiVersion::new(1, 45)).unwrap(), ApiVersion::new(1, 45));
        let err = ApiVersion::negotiate(ApiVersion::new(1, 24)).unwrap_err();
        assert!(matches!(err, Error::UnsupportedVersion { .. }), "{err}");
        assert!(err.to_string().contains("1.24"));
    }
}
