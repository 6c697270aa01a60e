//! [`Timestamp`]: a point in time as the Engine API writes it.
//!
//! The daemon writes times as RFC 3339 text with up to nine fraction digits
//! (`2026-11-27T17:46:57.041190500Z`), as unix seconds (image and container
//! `Created` in lists) or unix nanoseconds (events' `timeNano`), and takes
//! `since`/`until` as `seconds.nanoseconds`. A `Timestamp` holds such a time
//! in UTC to the nanosecond, between the years 1 and 9999 (what RFC 3339's
//! four-digit year can say). It converts to and from
//! [`std::time::SystemTime`], and, with the `time` feature, to and from
//! `time::OffsetDateTime`.
//!
//! It is the SDK's own type (a date library of 15 s of compile time is not
//! needed to read a date: issue 17, docs/performance.md "Compile time").

use std::fmt;
use std::ops::{Add, Sub};
use std::str::FromStr;
use std::time::{Duration, SystemTime};

const NANOS: i128 = 1_000_000_000;
/// 0001-01-01T00:00:00Z in unix seconds.
const MIN_SECS: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59Z in unix seconds.
const MAX_SECS: i64 = 253_402_300_799;

/// A point in time, in UTC, to the nanosecond, between the years 1 and 9999.
///
/// Its text form ([`Display`](fmt::Display), [`FromStr`], serde) is RFC 3339
/// as the daemon writes it: UTC (`Z`), with the fraction's trailing zeros
/// dropped.
///
/// ```
/// use std::time::Duration;
/// use dockhand::Timestamp;
///
/// let t: Timestamp = "2026-11-27T18:46:57.0411905+01:00".parse()?;
/// assert_eq!(t.to_string(), "2026-11-27T17:46:57.0411905Z");
/// assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2026, 11, 27, 17));
/// assert_eq!(t.unix_timestamp(), 1_795_801_617);
/// let earlier = t - Duration::from_secs(60);
/// assert_eq!(earlier.minute(), 45);
/// # Ok::<(), dockhand::ParseTimestampError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

/// Why a text is not an RFC 3339 time ([`Timestamp`]'s [`FromStr`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an RFC 3339 time (YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM)) between the years 1 and 9999: {text:?}")]
pub struct ParseTimestampError {
    text: String,
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp { secs: 0, nanos: 0 };
    /// The earliest time: 0001-01-01T00:00:00Z (Go's zero time, which the
    /// daemon writes for "never").
    pub const MIN: Timestamp = Timestamp { secs: MIN_SECS, nanos: 0 };
    /// The latest time: 9999-12-31T23:59:59.999999999Z.
    pub const MAX: Timestamp = Timestamp { secs: MAX_SECS, nanos: 999_999_999 };

    /// The time `secs` seconds after 1970-01-01T00:00:00Z; `None` outside the
    /// years 1 to 9999.
    pub fn from_unix_timestamp(secs: i64) -> Option<Timestamp> {
        (MIN_SECS..=MAX_SECS).contains(&secs).then_some(Timestamp { secs, nanos: 0 })
    }

    /// The time `nanos` nanoseconds after 1970-01-01T00:00:00Z; `None`
    /// outside the years 1 to 9999.
    pub fn from_unix_timestamp_nanos(nanos: i128) -> Option<Timestamp> {
        let secs = i64::try_from(nanos.div_euclid(NANOS)).ok()?;
        let t = Timestamp::from_unix_timestamp(secs)?;
        Some(Timestamp { nanos: nanos.rem_euclid(NANOS) as u32, ..t })
    }

    /// The current time (not in the browser: `wasm32-unknown-unknown` has no
    /// clock).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> Timestamp {
        Timestamp::from(SystemTime::now())
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before), rounded down.
    pub fn unix_timestamp(self) -> i64 {
        self.secs
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z.
    pub fn unix_timestamp_nanos(self) -> i128 {
        i128::from(self.secs) * NANOS + i128::from(self.nanos)
    }

    /// The year (1 to 9999).
    pub fn year(self) -> i32 {
        self.civil().0
    }

    /// The month (1 to 12).
    pub fn month(self) -> u8 {
        self.civil().1
    }

    /// The day of the month (1 to 31).
    pub fn day(self) -> u8 {
        self.civil().2
    }

    /// The hour (0 to 23).
    pub fn hour(self) -> u8 {
        (self.secs.rem_euclid(86_400) / 3600) as u8
    }

    /// The minute (0 to 59).
    pub fn minute(self) -> u8 {
        (self.secs.rem_euclid(3600) / 60) as u8
    }

    /// The second (0 to 59).
    pub fn second(self) -> u8 {
        self.secs.rem_euclid(60) as u8
    }

    /// The nanoseconds past the second (0 to 999,999,999).
    pub fn nanosecond(self) -> u32 {
        self.nanos
    }

    /// This time plus `d`; `None` past the year 9999.
    pub fn checked_add(self, d: Duration) -> Option<Timestamp> {
        Timestamp::from_unix_timestamp_nanos(self.unix_timestamp_nanos().checked_add(d.as_nanos() as i128)?)
    }

    /// This time minus `d`; `None` before the year 1.
    pub fn checked_sub(self, d: Duration) -> Option<Timestamp> {
        Timestamp::from_unix_timestamp_nanos(self.unix_timestamp_nanos().checked_sub(d.as_nanos() as i128)?)
    }

    /// `(year, month, day)` of the proleptic Gregorian calendar (Howard
    /// Hinnant's `civil_from_days`).
    fn civil(self) -> (i32, u8, u8) {
        let z = self.secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year as i32, month, day)
    }

    /// The API's `since`/`until` form: `seconds.nanoseconds`.
    pub(crate) fn api_text(self) -> String {
        format!("{}.{:09}", self.secs, self.nanos)
    }

    /// Parses RFC 3339 (`T` or a space between date and time, `Z` or an
    /// offset, up to nine fraction digits; a leap second reads as
    /// `:59.999999999`).
    fn parse(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        let num = |from: usize, len: usize| -> Option<i64> {
            let digits = b.get(from..from + len)?;
            digits.iter().try_fold(0i64, |n, &d| d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0')))
        };
        let sep = |at: usize, ok: &[u8]| b.get(at).is_some_and(|c| ok.contains(c));
        if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
            return None;
        }
        let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
        let (hour, minute, mut second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
        let mut at = 19;
        let mut nanos = 0i64;
        if sep(at, b".") {
            let digits = b[at + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 || digits > 9 {
                return None;
            }
            nanos = num(at + 1, digits)? * 10i64.pow(9 - digits as u32);
            at += 1 + digits;
        }
        let offset = match b.get(at..)? {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let (h, m) = (num(at + 1, 2)?, num(at + 4, 2)?);
                if h > 23 || m > 59 {
                    return None;
                }
                (h * 3600 + m * 60) * if *sign == b'-' { -1 } else { 1 }
            }
            _ => return None,
        };
        let leap_days = |y: i64| if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 { 29 } else { 28 };
        let month_days = [31, leap_days(year), 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        if year < 1 || !(1..=12).contains(&month) || day < 1 || day > month_days[(month - 1) as usize] {
            return None;
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        if second == 60 {
            (second, nanos) = (59, 999_999_999);
        }
        // Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
        Timestamp::from_unix_timestamp_nanos(i128::from(secs) * NANOS + i128::from(nanos))
    }
}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    fn from_str(s: &str) -> Result<Timestamp, ParseTimestampError> {
        Timestamp::parse(s).ok_or_else(|| ParseTimestampError { text: crate::error::excerpt(s.as_bytes(), 64) })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d) = self.civil();
        write!(f, "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}", self.hour(), self.minute(), self.second())?;
        if self.nanos != 0 {
            let mut frac = format!("{:09}", self.nanos);
            frac.truncate(frac.trim_end_matches('0').len());
            write!(f, ".{frac}")?;
        }
        f.write_str("Z")
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

/// `t + d`: later by `d`, held at [`Timestamp::MAX`].
impl Add<Duration> for Timestamp {
    type Output = Timestamp;

    fn add(self, d: Duration) -> Timestamp {
        self.checked_add(d).unwrap_or(Timestamp::MAX)
    }
}

/// `t - d`: earlier by `d`, held at [`Timestamp::MIN`].
impl Sub<Duration> for Timestamp {
    type Output = Timestamp;

    fn sub(self, d: Duration) -> Timestamp {
        self.checked_sub(d).unwrap_or(Timestamp::MIN)
    }
}

/// A system time, held between [`Timestamp::MIN`] and [`Timestamp::MAX`].
impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Timestamp {
        let nanos = match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        };
        let clamped = nanos.clamp(Timestamp::MIN.unix_timestamp_nanos(), Timestamp::MAX.unix_timestamp_nanos());
        Timestamp::from_unix_timestamp_nanos(clamped).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> SystemTime {
        let nanos = t.unix_timestamp_nanos();
        let d = Duration::new(
            nanos.unsigned_abs().div_euclid(NANOS as u128) as u64,
            (nanos.unsigned_abs() % NANOS as u128) as u32,
        );
        if nanos >= 0 { SystemTime::UNIX_EPOCH + d } else { SystemTime::UNIX_EPOCH - d }
    }
}

#[cfg(feature = "time")]
impl From<Timestamp> for time::OffsetDateTime {
    fn from(t: Timestamp) -> time::OffsetDateTime {
        // The years 1 to 9999 are inside time's range.
        time::OffsetDateTime::from_unix_timestamp_nanos(t.unix_timestamp_nanos())
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    }
}

/// In UTC, held between [`Timestamp::MIN`] and [`Timestamp::MAX`].
#[cfg(feature = "time")]
impl From<time::OffsetDateTime> for Timestamp {
    fn from(t: time::OffsetDateTime) -> Timestamp {
        let nanos = t.unix_timestamp_nanos();
        let clamped = nanos.clamp(Timestamp::MIN.unix_timestamp_nanos(), Timestamp::MAX.unix_timestamp_nanos());
        Timestamp::from_unix_timestamp_nanos(clamped).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// As RFC 3339 text.
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// From RFC 3339 text.
impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn reads_what_daemons_write() {
        let x = t("2026-11-27T17:46:57.041190500Z");
        assert_eq!((x.year(), x.month(), x.day()), (2026, 11, 27));
        assert_eq!((x.hour(), x.minute(), x.second(), x.nanosecond()), (17, 46, 57, 41_190_500));
        assert_eq!(x.to_string(), "2026-11-27T17:46:57.0411905Z");
        assert_eq!(t("0001-01-01T00:00:00Z"), Timestamp::MIN);
        assert_eq!(t("1970-01-01T00:00:00Z"), Timestamp::UNIX_EPOCH);
        assert_eq!(t("2024-01-02T03:04:05+02:00").hour(), 1);
        assert_eq!(t("2024-01-02T03:04:05-00:30").to_string(), "2024-01-02T03:34:05Z");
        assert_eq!(t("2024-02-29 00:00:00.5z").to_string(), "2024-02-29T00:00:00.5Z");
        assert_eq!(t("2016-12-31T23:59:60Z").to_string(), "2016-12-31T23:59:59.999999999Z");
        assert_eq!(t("9999-12-31T23:59:59.999999999Z"), Timestamp::MAX);
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for bad in [
            "",
            "yesterday",
            "2026-11-27",
            "2026-11-27T17:46:57",
            "2026-11-27T17:46:57.Z",
            "2026-11-27T17:46:57.0123456789Z",
            "2026-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "0000-12-31T00:00:00Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T17:46:57+24:00",
            "2026-11-27T17:46:57+0100",
            "2026-11-27T17:46:57Zx",
            "+2026-11-27T17:46:57Z",
            "2026-1a-27T17:46:57Z",
            "0001-01-01T00:00:00+00:01",
            "２０２６-11-27T17:46:57Z",
        ] {
            let err = bad.parse::<Timestamp>().unwrap_err();
            assert!(err.to_string().contains("not an RFC 3339 time"), "{bad}: {err}");
        }
    }

    #[test]
    fn unix_forms_and_their_range() {
        assert_eq!(Timestamp::from_unix_timestamp(1_700_000_000).unwrap().to_string(), "2023-11-14T22:13:20Z");
        let before = Timestamp::from_unix_timestamp_nanos(-1_500_000_000).unwrap();
        assert_eq!((before.unix_timestamp(), before.nanosecond()), (-2, 500_000_000));
        assert_eq!(before.api_text(), "-2.500000000");
        assert_eq!(before.to_string(), "1969-12-31T23:59:58.5Z");
        assert_eq!(Timestamp::from_unix_timestamp(MAX_SECS + 1), None);
        assert_eq!(Timestamp::from_unix_timestamp(MIN_SECS - 1), None);
        assert_eq!(Timestamp::from_unix_timestamp_nanos(i128::MAX), None);
        assert_eq!(Timestamp::MAX + Duration::from_secs(1), Timestamp::MAX);
        assert_eq!(Timestamp::MIN - Duration::from_secs(1), Timestamp::MIN);
        assert_eq!(Timestamp::MAX.checked_add(Duration::MAX), None);
    }

    #[test]
    fn system_time_both_ways() {
        let x = t("1969-07-20T20:17:40.25Z");
        assert_eq!(Timestamp::from(SystemTime::from(x)), x);
        let now = Timestamp::now();
        assert!(now.year() >= 2026, "{now}");
        assert_eq!(Timestamp::from(SystemTime::UNIX_EPOCH - Duration::from_secs(u64::MAX / 4)), Timestamp::MIN);
    }

    #[test]
    fn serde_as_text() {
        let x = t("2026-11-27T17:46:57.0411905Z");
        assert_eq!(serde_json::to_string(&x).unwrap(), r#""2026-11-27T17:46:57.0411905Z""#);
        assert_eq!(serde_json::from_str::<Timestamp>(r#""2026-11-27T17:46:57.0411905Z""#).unwrap(), x);
        assert!(serde_json::from_str::<Timestamp>(r#""soon""#).is_err());
        assert!(format!("{x:?}").starts_with("Timestamp(2026-11-27T17:46:57"));
    }

    proptest! {
        #[test]
        fn text_round_trips(nanos in Timestamp::MIN.unix_timestamp_nanos()..=Timestamp::MAX.unix_timestamp_nanos()) {
            let x = Timestamp::from_unix_timestamp_nanos(nanos).unwrap();
            prop_assert_eq!(x.to_string().parse::<Timestamp>().unwrap(), x);
            prop_assert_eq!(x.to_string().len() >= 20, true);
        }

        #[test]
        fn any_text_is_read_or_refused(s in "\\PC{0,40}") {
            let _ = s.parse::<Timestamp>();
        }

        #[test]
        fn agrees_with_the_time_crate(nanos in Timestamp::MIN.unix_timestamp_nanos()..=Timestamp::MAX.unix_timestamp_nanos(), offset in -1439i32..=1439) {
            use time::format_description::well_known::Rfc3339;
            let x = Timestamp::from_unix_timestamp_nanos(nanos).unwrap();
            let theirs = time::OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap();
            prop_assert_eq!(
                (x.year(), x.month(), x.day(), x.hour(), x.minute(), x.second(), x.nanosecond()),
                (theirs.year(), theirs.month() as u8, theirs.day(), theirs.hour(), theirs.minute(), theirs.second(), theirs.nanosecond())
            );
            // Their text, at any offset, reads back as the same time.
            let offset = time::UtcOffset::from_whole_seconds(offset * 60).unwrap();
            if let Ok(text) = theirs.to_offset(offset).format(&Rfc3339) {
                prop_assert_eq!(text.parse::<Timestamp>().ok(), Some(x), "{}", text);
            }
            prop_assert_eq!(time::OffsetDateTime::parse(&x.to_string(), &Rfc3339).ok(), Some(theirs));
        }
    }
}
