//! Small helpers: seeded ids, digests, time and size formatting, a minimal
//! tar reader and writer, the multiplexed stream framing, shell patterns
//! (`glob`).
//!
//! The bottom layer: uses nothing else of the engine.

use sha2::{Digest, Sha256};

mod detach;
pub mod glob;

pub use detach::DetachKeys;

/// The Docker version the engine is (dockerd 28.5.2, with what built it
/// after the `+` as Debian's `28.5.2+dfsg4`): its `/version`, its `Server`
/// header and the `docker_version` of the images it writes.
pub const ENGINE_VERSION: &str = "28.5.2+dockhand-sim";

/// A deterministic pseudo-random generator (splitmix64): the same seed gives
/// the same ids, so lessons and tests are reproducible.
pub fn next_u64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A 64-hex-digit id from the generator: the sha256 of one draw, so no id
/// is a shifted window of another (four consecutive draws made the next
/// id start where the last one ended) and every digit looks random.
pub fn hex_id(state: &mut u64) -> String {
    sha256_hex(&next_u64(state).to_le_bytes())
}

/// The hex sha256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// RFC 3339 with nanoseconds, as the daemon writes times.
pub fn rfc3339(ms: u64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    dockhand::Timestamp::from_unix_timestamp_nanos(nanos).unwrap_or(dockhand::Timestamp::MIN).to_string()
}

/// `HH:MM` of a time, as `ps` prints STIME.
pub fn clock_time(ms: u64) -> String {
    let secs = ms / 1000;
    format!("{:02}:{:02}", (secs / 3600) % 24, (secs / 60) % 60)
}

/// Go's `units.HumanDuration`, as `docker ps` prints it.
pub fn human_duration(ms: u64) -> String {
    let secs = ms / 1000;
    let minutes = secs / 60;
    // Go rounds the hours (`int(d.Hours() + 0.5)`): 90 minutes are 2 hours.
    let hours = (secs + 1800) / 3600;
    if secs < 1 {
        "Less than a second".into()
    } else if secs == 1 {
        "1 second".into()
    } else if secs < 60 {
        format!("{secs} seconds")
    } else if minutes == 1 {
        "About a minute".into()
    } else if minutes < 60 {
        format!("{minutes} minutes")
    } else if hours == 1 {
        "About an hour".into()
    } else if hours < 48 {
        format!("{hours} hours")
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else if hours < 24 * 365 * 2 {
        format!("{} months", hours / 24 / 30)
    } else {
        format!("{} years", secs / 3600 / 24 / 365)
    }
}

/// Go's `units.HumanSizeWithPrecision(size, 3)`: `13.3kB`, `4.26MB`, `187MB`.
pub fn human_size(size: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut value = size as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{}{}", sig3(value), units[unit])
}

/// `%.3g`: three significant digits, trailing zeros trimmed.
fn sig3(v: f64) -> String {
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    let s = format!("{v:.digits$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// One entry of a tar archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarEntry {
    /// The path, without a leading `./`.
    pub path: String,
    /// `true` for a directory.
    pub dir: bool,
    /// The content of a regular file.
    pub data: Vec<u8>,
}

fn octal(field: &[u8]) -> Option<u64> {
    let text: String = field.iter().take_while(|b| **b != 0).map(|b| *b as char).collect();
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

fn cstr(field: &[u8]) -> String {
    let end = field.iter().position(|b| *b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

/// Walks a tar archive (ustar, GNU long names, PAX `path`), calling `f`
/// with each entry's path, type flag, content and link target; `Err` with
/// a message for a truncated or malformed archive. Never panics.
pub(crate) fn walk_tar(data: &[u8], mut f: impl FnMut(String, u8, &[u8], String)) -> Result<(), String> {
    let mut pos = 0usize;
    let mut long_name: Option<String> = None;
    loop {
        if pos + 512 > data.len() {
            if data[pos.min(data.len())..].iter().any(|b| *b != 0) {
                return Err("unexpected EOF in tar archive".into());
            }
            break;
        }
        let header = &data[pos..pos + 512];
        if header.iter().all(|b| *b == 0) {
            break;
        }
        let size = octal(&header[124..136]).ok_or("invalid tar header: bad size")?;
        let size = usize::try_from(size).map_err(|_| "invalid tar header: size too large")?;
        let typeflag = header[156];
        let mut name = cstr(&header[0..100]);
        if &header[257..262] == b"ustar" {
            let prefix = cstr(&header[345..500]);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        let start = pos + 512;
        let end = start.checked_add(size).ok_or("invalid tar header: size too large")?;
        if end > data.len() {
            return Err("unexpected EOF in tar archive".into());
        }
        let body = &data[start..end];
        pos = start + size.div_ceil(512) * 512;
        match typeflag {
            b'L' => {
                long_name = Some(cstr(body));
                continue;
            }
            b'x' => {
                for record in String::from_utf8_lossy(body).lines() {
                    if let Some((_, kv)) = record.split_once(' ')
                        && let Some(("path", v)) = kv.split_once('=')
                    {
                        long_name = Some(v.to_string());
                    }
                }
                continue;
            }
            b'g' => continue,
            _ => {}
        }
        if let Some(n) = long_name.take() {
            name = n;
        }
        let path = name.trim_start_matches("./").trim_end_matches('/').to_string();
        if path.is_empty() || path == "." {
            continue;
        }
        f(path, typeflag, body, cstr(&header[157..257]));
    }
    Ok(())
}

/// Reads a tar archive's directories and regular files; `Err` with a
/// message for a truncated or malformed archive. Never panics.
pub fn untar(data: &[u8]) -> Result<Vec<TarEntry>, String> {
    let mut out = Vec::new();
    walk_tar(data, |path, typeflag, body, _| match typeflag {
        b'5' => out.push(TarEntry { path, dir: true, data: Vec::new() }),
        b'0' | 0 | b'7' => out.push(TarEntry { path, dir: false, data: body.to_vec() }),
        _ => {}
    })?;
    Ok(out)
}

pub(crate) fn header(name: &str, mode: &str, size: usize, typeflag: u8, link: &str) -> [u8; 512] {
    let mut h = [0u8; 512];
    // Bytes, not chars: a cut may fall inside a multi-byte character.
    let nb = name.as_bytes();
    let (prefix, name): (&[u8], &[u8]) = if nb.len() > 100 {
        match nb[..nb.len().min(155)].iter().rposition(|b| *b == b'/') {
            Some(i) if nb.len() - i - 1 <= 100 => (&nb[..i], &nb[i + 1..]),
            _ => (&[], &nb[..100]),
        }
    } else {
        (&[], nb)
    };
    h[..name.len()].copy_from_slice(name);
    h[100..107].copy_from_slice(mode.as_bytes());
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = typeflag;
    let link = &link.as_bytes()[..link.len().min(100)];
    h[157..157 + link.len()].copy_from_slice(link);
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[345..345 + prefix.len()].copy_from_slice(prefix);
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

/// Writes a ustar archive of `entries` (names up to 100 bytes are kept
/// whole, longer ones use the prefix field or are cut).
pub fn tar(entries: &[TarEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let name = if e.dir { format!("{}/", e.path) } else { e.path.clone() };
        let size = if e.dir { 0 } else { e.data.len() };
        out.extend_from_slice(&header(
            &name,
            if e.dir { "0000755" } else { "0000644" },
            size,
            if e.dir { b'5' } else { b'0' },
            "",
        ));
        if !e.dir {
            out.extend_from_slice(&e.data);
            out.resize(out.len().div_ceil(512) * 512, 0);
        }
    }
    out.resize(out.len() + 1024, 0);
    out
}

/// One frame of the multiplexed attach/logs stream: `[stream,0,0,0,len]` and
/// the payload (`stream` 1 = stdout, 2 = stderr).
pub fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + payload.len());
    out.push(stream);
    out.extend_from_slice(&[0, 0, 0]);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// Splits a multiplexed stream into `(stream, payload)` frames; a trailing
/// partial frame is returned as raw stdout. Never panics.
pub fn deframe(data: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        if pos + 8 > data.len() || data[pos] > 2 || data[pos + 1..pos + 4] != [0, 0, 0] {
            out.push((1, data[pos..].to_vec()));
            break;
        }
        let len = u32::from_be_bytes([data[pos + 4], data[pos + 5], data[pos + 6], data[pos + 7]]) as usize;
        let end = (pos + 8).saturating_add(len).min(data.len());
        out.push((data[pos].max(1), data[pos + 8..end].to_vec()));
        pos = end;
    }
    out
}

/// Splits a command line into words like a POSIX shell: single and double
/// quotes, backslash escapes. `Err` for an unterminated quote.
pub fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err("unterminated quoted string".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => cur.push(c),
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err("unterminated quoted string".into()),
                        },
                        Some(c) => cur.push(c),
                        None => return Err("unterminated quoted string".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    cur.push(c);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {

    /// Walk 2, finding 14: an id was four consecutive draws, so two runs
    /// from one seed that drew a different number of times before (a MAC
    /// address, say) made ids that were shifted windows of each other:
    /// sleeper's id ended where web2's began. No 16-digit piece of one id
    /// is in another now, whatever the offset.
    #[test]
    fn ids_share_no_piece() {
        let stream = |skip: usize| {
            let mut rng = 42u64;
            (0..skip).for_each(|_| {
                next_u64(&mut rng);
            });
            (0..8).map(|_| hex_id(&mut rng)).collect::<Vec<_>>()
        };
        let ids: Vec<String> = (0..4).flat_map(stream).collect();
        for (i, a) in ids.iter().enumerate() {
            assert_eq!(a.len(), 64);
            assert!(a.bytes().all(|b| b.is_ascii_hexdigit()), "{a}");
            for b in ids[i + 1..].iter().filter(|b| *b != a) {
                for k in (0..=48).step_by(4) {
                    assert!(!b.contains(&a[k..k + 16]), "{a} and {b} share {}", &a[k..k + 16]);
                }
            }
        }
    }
    use super::*;

    #[test]
    fn sizes_like_go_units() {
        assert_eq!(human_size(13_256), "13.3kB");
        assert_eq!(human_size(4_260_000), "4.26MB");
        assert_eq!(human_size(187_000_000), "187MB");
        assert_eq!(human_size(1_020_000_000), "1.02GB");
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(10_000), "10kB");
    }

    #[test]
    fn durations_like_go_units() {
        assert_eq!(human_duration(500), "Less than a second");
        assert_eq!(human_duration(5_000), "5 seconds");
        assert_eq!(human_duration(61_000), "About a minute");
        assert_eq!(human_duration(3 * 3600 * 1000), "3 hours");
        assert_eq!(human_duration(1000), "1 second");
        assert_eq!(human_duration(60 * 60 * 1000), "About an hour");
        assert_eq!(human_duration(90 * 60 * 1000), "2 hours", "Go rounds the hours");
        assert_eq!(human_duration(47 * 3600 * 1000 + 1_800_000), "2 days");
    }

    #[test]
    fn tar_round_trip() {
        let entries = vec![
            TarEntry { path: "dir".into(), dir: true, data: vec![] },
            TarEntry { path: "dir/a.txt".into(), dir: false, data: b"hello".to_vec() },
        ];
        assert_eq!(untar(&tar(&entries)).unwrap(), entries);
        assert!(untar(&tar(&entries)[..600]).is_err());
    }

    #[test]
    fn words() {
        assert_eq!(shell_words(r#"sh -c "echo 'hi there'" x\ y"#).unwrap(), vec!["sh", "-c", "echo 'hi there'", "x y"]);
        assert!(shell_words("echo 'oops").is_err());
    }
}

// Sorting and B-tree building without a sort per call site (issue 8: each
// `sort_by` closure and each `collect()` into a `BTreeMap`/`BTreeSet`, which
// sorts its items first, compiled its own copy of the stable sort, about
// 3.4 KB of WebAssembly each).

/// The order of `n` items under `cmp` (a stable sort of their indices). The
/// one sort instantiation behind [`sort_with`].
pub fn sorted_indices(n: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Sorts `items` stably under `cmp`, as `sort_by` does, through
/// `sorted_indices`.
pub fn sort_with<T>(items: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> std::cmp::Ordering) {
    let order = sorted_indices(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// `items` as a map, inserted one by one (as `collect()` would, the last of
/// equal keys winning), without `collect()`'s sort.
pub fn map_of<M: Default + Extend<(K, V)>, K, V>(items: impl IntoIterator<Item = (K, V)>) -> M {
    let mut map = M::default();
    map.extend(items);
    map
}

/// `items` sorted and without repeats, in a vector: the set for a few
/// borrowed items (layer digests, port names), looked up with `contains`.
/// Through [`sort_with`], so no B-tree nor sort is instantiated for each
/// element type (each costs the browser's module a few KB).
pub fn sorted_set<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut set: Vec<T> = Vec::new();
    set.extend(items);
    sort_with(&mut set, &|a, b| a.cmp(b));
    set.dedup();
    set
}

/// `items` as a set, inserted one by one, without `collect()`'s sort.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> std::collections::BTreeSet<T> {
    let mut set = std::collections::BTreeSet::new();
    set.extend(items);
    set
}

/// `items` as a JSON object, inserted one by one, without `collect()`'s sort.
pub fn object_of(
    items: impl IntoIterator<Item = (String, serde_json::Value)>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    map.extend(items);
    map
}

#[cfg(test)]
mod sort_tests {
    use super::*;

    #[test]
    fn sort_with_is_stable_like_sort_by() {
        let items: Vec<(u32, &str)> = vec![(2, "a"), (1, "b"), (2, "c"), (0, "d"), (1, "e")];
        let mut ours = items.clone();
        sort_with(&mut ours, &|a, b| a.0.cmp(&b.0));
        let mut std = items;
        std.sort_by_key(|a| a.0);
        assert_eq!(ours, std);
        assert_eq!(ours, vec![(0, "d"), (1, "b"), (1, "e"), (2, "a"), (2, "c")]);
    }

    #[test]
    fn map_of_keeps_the_last_of_equal_keys_like_collect() {
        let items = vec![("b", 1), ("a", 2), ("b", 3)];
        let collected: std::collections::BTreeMap<_, _> = items.clone().into_iter().collect();
        assert_eq!(map_of::<std::collections::BTreeMap<_, _>, _, _>(items.clone()), collected);
        let flat: crate::state::Map<_, _> = map_of(items);
        assert_eq!(flat.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), vec![("a", 2), ("b", 3)]);
        assert_eq!(set_of(["z", "y", "z"]).into_iter().collect::<Vec<_>>(), vec!["y", "z"]);
        assert_eq!(sorted_set(["z", "y", "z", "a"]), ["a", "y", "z"]);
        let obj = object_of([("k".to_string(), serde_json::json!(1)), ("k".to_string(), serde_json::json!(2))]);
        assert_eq!(obj.get("k"), Some(&serde_json::json!(2)));
    }
}
