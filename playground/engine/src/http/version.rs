//! What the engine says it is (Docker 28.5.2, API 1.51 at most and 1.24 at
//! least) and the API version a request asks for (`/v1.NN/...`), checked
//! and compared as dockerd 28.5 does.

use std::cmp::Ordering;

/// The newest API version the engine speaks, as dockerd 28.5 (the docker
/// CLI 28 negotiates it, or its own maximum when lower).
pub(crate) const API_VERSION: &str = "1.51";

/// The oldest API version the engine accepts, as dockerd 28.5.
pub(crate) const MIN_API_VERSION: &str = "1.24";

pub(crate) use crate::util::ENGINE_VERSION;

/// The Go version the engine reports (dockerd 28.5.2's upstream build).
pub(crate) const GO_VERSION: &str = "go1.24.9";

/// The version prefix of a path's first segment (`v1.41` -> `1.41`): as
/// moby's router, a `v` and one or more digits and dots (`v1`, `v1.51.0`
/// and `v.` are versions too, judged by [`check`]).
pub(crate) fn prefix(segment: &str) -> Option<&str> {
    let v = segment.strip_prefix('v')?;
    (!v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.')).then_some(v)
}

/// Compares two dotted versions as moby's `versions.compare`: part by part,
/// a missing or empty part is 0, a number too long saturates.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    let parts = |v: &str| -> Vec<u64> {
        v.split('.').map(|p| if p.is_empty() { 0 } else { p.parse::<u64>().unwrap_or(u64::MAX) }).collect()
    };
    let (a, b) = (parts(a), parts(b));
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).copied().unwrap_or(0), b.get(i).copied().unwrap_or(0));
        match x.cmp(&y) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    Ordering::Equal
}

/// How dockerd 28.5 refuses a version outside 1.24..=1.51: too new is a
/// JSON error, too old a plain-text one (Go's `http.Error`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `{"message": "client version 1.52 is too new. ..."}`.
    TooNew(String),
    /// `client version 1.23 is too old. ...` as `text/plain`.
    TooOld(String),
}

/// Whether the engine serves API version `v` (both 400s otherwise).
pub(crate) fn check(v: &str) -> Result<(), Refusal> {
    if compare(v, MIN_API_VERSION) == Ordering::Less {
        return Err(Refusal::TooOld(format!(
            "client version {v} is too old. Minimum supported API version is {MIN_API_VERSION}, please upgrade your client to a newer version"
        )));
    }
    if compare(v, API_VERSION) == Ordering::Greater {
        return Err(Refusal::TooNew(format!(
            "client version {v} is too new. Maximum supported API version is {API_VERSION}"
        )));
    }
    Ok(())
}

/// The API version one request speaks (the path's, else [`API_VERSION`]):
/// handlers shape their answers by it where 28.5 answers older clients
/// with older shapes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Api<'a>(pub &'a str);

impl Api<'_> {
    /// Whether the request's version is older than `v` (`"1.44"`).
    pub(crate) fn before(self, v: &str) -> bool {
        compare(self.0, v) == Ordering::Less
    }

    /// The content type of a logs, attach or exec body as dockerd 28.5
    /// labels it: from API 1.42 on `multiplexed-stream` unless a TTY's
    /// (`raw-stream`); before 1.42 `raw-stream` whatever the framing.
    pub(crate) fn stream_type(self, tty: bool) -> &'static str {
        if tty || self.before("1.42") {
            "application/vnd.docker.raw-stream"
        } else {
            "application/vnd.docker.multiplexed-stream"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_part_by_part_as_moby() {
        assert_eq!(compare("1.41", "1.5"), Ordering::Greater);
        assert_eq!(compare("1.51.0", "1.51"), Ordering::Equal);
        assert_eq!(compare("1.51.9", "1.51"), Ordering::Greater);
        assert_eq!(compare("1..51", "1.24"), Ordering::Less);
        assert_eq!(compare("1.041", "1.41"), Ordering::Equal);
        assert_eq!(compare("1.99999999999999999999999", "1.51"), Ordering::Greater);
        assert_eq!(prefix("v1.41"), Some("1.41"));
        assert_eq!(prefix("v."), Some("."));
        assert_eq!(prefix("v1.x"), None);
        assert_eq!(prefix("v"), None);
        assert_eq!(prefix("version"), None);
    }

    #[test]
    fn only_1_24_to_1_51_is_served() {
        assert_eq!(check("1.24"), Ok(()));
        assert_eq!(check("1.51"), Ok(()));
        assert!(matches!(check("1.23"), Err(Refusal::TooOld(_))));
        assert!(matches!(check("1"), Err(Refusal::TooOld(_))));
        assert_eq!(
            check("1.52"),
            Err(Refusal::TooNew("client version 1.52 is too new. Maximum supported API version is 1.51".into()))
        );
    }
}
