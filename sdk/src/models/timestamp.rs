//! Serde helpers for the API's timestamps.
//!
//! The daemon writes RFC 3339 strings with nanoseconds
//! (`2026-11-27T17:46:57.041190500Z`), the zero time
//! `0001-01-01T00:00:00Z` for "never", and in a few places unix seconds as
//! integers. Fields use `Option<Timestamp>`: `None` for the zero time, an
//! empty string, `null` or a missing field.

use serde::{Deserialize, Deserializer, Serializer};

use crate::Timestamp;

/// `#[serde(with = "rfc3339")]` for `Option<Timestamp>` fields that the
/// API writes as RFC 3339 strings.
pub mod rfc3339 {
    use super::*;

    /// Decodes an RFC 3339 string (or unix seconds) into a time.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw<'a> {
            Text(std::borrow::Cow<'a, str>),
            Secs(i64),
            Float(f64),
        }
        Ok(match Option::<Raw>::deserialize(d)? {
            None => None,
            Some(Raw::Text(s)) => parse(&s),
            Some(Raw::Secs(n)) => from_unix(n),
            Some(Raw::Float(f)) => from_unix(f as i64),
        })
    }

    /// Encodes a time as RFC 3339; `None` as the daemon's zero time.
    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.collect_str(t),
            None => s.serialize_str("0001-01-01T00:00:00Z"),
        }
    }
}

/// `#[serde(with = "unix")]` for `Option<Timestamp>` fields that the API
/// writes as unix seconds (image and container `Created` in lists).
pub mod unix {
    use super::*;

    /// Decodes unix seconds (or an RFC 3339 string) into a time.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        super::rfc3339::deserialize(d)
    }

    /// Encodes a time as unix seconds; `None` as 0.
    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(t.map_or(0, |t| t.unix_timestamp()))
    }
}

/// Parses an RFC 3339 time; `None` for the zero time, empty or malformed text.
pub fn parse(s: &str) -> Option<Timestamp> {
    let t: Timestamp = s.trim().parse().ok()?;
    (t.year() > 1).then_some(t)
}

/// A time from unix seconds; `None` for 0 or out of range.
pub fn from_unix(secs: i64) -> Option<Timestamp> {
    if secs == 0 {
        return None;
    }
    Timestamp::from_unix_timestamp(secs)
}

/// A time from unix nanoseconds; `None` for 0 or out of range.
pub fn from_unix_nanos(nanos: i64) -> Option<Timestamp> {
    if nanos == 0 {
        return None;
    }
    Timestamp::from_unix_timestamp_nanos(i128::from(nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, serde::Serialize)]
    struct T {
        #[serde(with = "rfc3339", default)]
        at: Option<Timestamp>,
    }

    fn at(json: &str) -> Option<Timestamp> {
        serde_json::from_str::<T>(json).unwrap().at
    }

    #[test]
    fn tolerant_times() {
        let t = at(r#"{"at":"2026-11-27T17:46:57.041190500Z"}"#).unwrap();
        assert_eq!((t.year(), t.nanosecond()), (2026, 41_190_500));
        assert_eq!(at(r#"{"at":"0001-01-01T00:00:00Z"}"#), None);
        assert_eq!(at(r#"{"at":""}"#), None);
        assert_eq!(at(r#"{"at":null}"#), None);
        assert_eq!(at(r#"{}"#), None);
        assert_eq!(at(r#"{"at":"yesterday"}"#), None);
        assert_eq!(at(r#"{"at":1700000000}"#).unwrap().unix_timestamp(), 1_700_000_000);
        assert_eq!(at(r#"{"at":"2024-01-02T03:04:05+02:00"}"#).unwrap().hour(), 1);
    }

    #[test]
    fn round_trip() {
        let json = r#"{"at":"2026-11-27T17:46:57.0411905Z"}"#;
        let t: T = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), json);
        assert_eq!(serde_json::to_string(&T { at: None }).unwrap(), r#"{"at":"0001-01-01T00:00:00Z"}"#);
    }
}
