//! The MSRV step of `cargo xtask test`: checks what can be checked of the
//! `rust-version` the published crates declare, on a machine that has one
//! toolchain (the newest) and cannot install the declared one.
//!
//! 1. Each crate's declared version is at least what its edition needs
//!    (edition 2024 needs Rust 1.85): cargo refuses an older one anyway, but
//!    a `rust-version` below the edition's would be a false claim.
//! 2. A crate that declares less than 1.88 has no let chains (`if let ..
//!    && ..`, stable since 1.88), the newer language feature this code base
//!    uses (the engine does, and declares 1.88; the SDK declares 1.85).
//! 3. Every package of `Cargo.lock` declares a `rust-version` no newer than
//!    the lowest of ours (or none), so that the locked graph can build on it.
//! 4. A fresh resolution, in a scratch copy of the workspace with cargo's
//!    `incompatible-rust-versions = "fallback"` (the default of resolver 3,
//!    set explicitly here), still finds dependencies that claim that
//!    `rust-version`: what a new user on that Rust resolves today.
//!
//! Not checked, because it needs the old compiler: that our own code uses no
//! other language feature stabilised after the declared version (2. looks
//! for one, textually). Clippy's `incompatible_msrv` lint (in the lints
//! step; it reads each crate's `rust-version`) catches the standard
//! library's APIs, not language features.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The crates published to crates.io.
pub const PUBLISHED: [&str; 3] = ["dockhand", "dockhand-engine", "dockhand-sim"];

type Version = (u64, u64, u64);

fn parse(v: &str) -> Option<Version> {
    let mut it = v.split('.').map(|p| p.parse::<u64>().ok());
    Some((it.next()??, it.next().flatten().unwrap_or(0), it.next().flatten().unwrap_or(0)))
}

fn show(v: Version) -> String {
    format!("{}.{}.{}", v.0, v.1, v.2)
}

fn metadata(dir: &Path, no_deps: bool) -> Result<Value, String> {
    let mut cmd = Command::new("cargo");
    cmd.args(["metadata", "--format-version", "1", "--locked"]).current_dir(dir);
    if no_deps {
        cmd.arg("--no-deps");
    }
    let out = cmd.output().map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata's JSON: {e}"))
}

/// The packages of a resolved graph whose `rust-version` is newer than `msrv`.
fn too_new(meta: &Value, msrv: Version) -> Vec<String> {
    let mut out = Vec::new();
    // The workspace's own crates (no source) are checked one by one.
    for p in meta["packages"].as_array().into_iter().flatten().filter(|p| !p["source"].is_null()) {
        let v = p["rust_version"].as_str().and_then(parse);
        if let Some(v) = v.filter(|&v| v > msrv) {
            out.push(format!(
                "{} {} needs Rust {}",
                p["name"].as_str().unwrap_or("?"),
                p["version"].as_str().unwrap_or("?"),
                show(v)
            ));
        }
    }
    out
}

/// Runs the checks; prints what it found and returns whether they hold.
pub fn check(root: &Path) -> bool {
    crate::report(run(root))
}

fn run(root: &Path) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    let own = metadata(root, true)?;
    let mut lowest: Option<Version> = None;
    for p in own["packages"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap_or("?");
        if !PUBLISHED.contains(&name) {
            continue;
        }
        let v = p["rust_version"]
            .as_str()
            .and_then(parse)
            .ok_or_else(|| format!("{name} declares no rust-version; a published crate must"))?;
        let edition = p["edition"].as_str().unwrap_or("2015");
        let edition_needs = match edition {
            "2024" => (1, 85, 0),
            "2021" => (1, 56, 0),
            _ => (1, 31, 0),
        };
        if v < edition_needs {
            return Err(format!(
                "{name}: rust-version {} is older than edition {edition} needs ({})",
                show(v),
                show(edition_needs)
            ));
        }
        // Let chains (`if let .. && ..`) are the one newer language
        // feature this code base uses; look for them where they would be
        // too new.
        if v < LET_CHAINS {
            let src = Path::new(p["manifest_path"].as_str().unwrap_or(".")).with_file_name("src");
            let found = let_chains_in(&src);
            if !found.is_empty() {
                return Err(format!(
                    "{name} declares rust-version {} but uses let chains (stable since {}): {}",
                    show(v),
                    show(LET_CHAINS),
                    found.join(", ")
                ));
            }
        }
        notes.push(format!("{name}: rust-version {} fits edition {edition} (needs {})", show(v), show(edition_needs)));
        lowest = Some(lowest.map_or(v, |l| l.min(v)));
    }
    let msrv = lowest.ok_or("no published crate found in the workspace")?;

    // Every dependency is held to the lowest rust-version declared: a
    // little stricter than needed for the crates that declare more.
    let locked = too_new(&metadata(root, false)?, msrv);
    if !locked.is_empty() {
        return Err(format!("Cargo.lock holds packages newer than rust-version {}: {}", show(msrv), locked.join(", ")));
    }
    notes.push(format!("every package of Cargo.lock builds on Rust {} by its own rust-version", show(msrv)));

    let scratch = std::env::temp_dir().join(format!("dockhand-msrv-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    copy_manifests(root, &scratch).map_err(|e| format!("scratch copy: {e}"))?;
    let fresh = (|| {
        let status = Command::new("cargo")
            .args(["generate-lockfile", "--quiet"])
            .env("CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS", "fallback")
            .current_dir(&scratch)
            .status()
            .map_err(|e| format!("cargo generate-lockfile: {e}"))?;
        if !status.success() {
            return Err("cargo generate-lockfile failed in the scratch copy".to_string());
        }
        metadata(&scratch, false)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    let fresh = too_new(&fresh?, msrv);
    if !fresh.is_empty() {
        return Err(format!(
            "a fresh resolution for Rust {} picks packages that need a newer one: {}",
            show(msrv),
            fresh.join(", ")
        ));
    }
    notes.push(format!("a fresh resolution (fallback) picks only packages that claim Rust {}", show(msrv)));
    Ok(notes)
}

/// Let chains became stable in Rust 1.88 (edition 2024).
const LET_CHAINS: Version = (1, 88, 0);

/// The places under `dir` where an `if`/`while` condition chains a `let`
/// with `&&`: a textual look (the condition up to its `{`), enough to catch
/// the usual `if let Some(x) = a && x > 1 {` and `if a && let Some(x) = b {`.
fn let_chains_in(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(let_chains_in(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for line in let_chain_lines(&text) {
                found.push(format!("{}:{line}", path.display()));
            }
        }
    }
    found
}

/// The 1-based lines of `text` where a let chain starts.
fn let_chain_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    for (i, _) in text.match_indices(['i', 'w']) {
        let rest = &text[i..];
        let keyword = if rest.starts_with("if ") {
            3
        } else if rest.starts_with("while ") {
            6
        } else {
            continue;
        };
        if text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let condition = &rest[keyword..];
        let end = condition.find(['{', ';', '}', '"']).unwrap_or(condition.len());
        let condition = &condition[..end];
        let has_let = condition.starts_with("let ") || condition.contains(" let ") || condition.contains("\nlet ");
        if has_let && condition.contains("&&") {
            lines.push(text[..i].matches('\n').count() + 1);
        }
    }
    lines
}

/// Copies what cargo needs to resolve the workspace: every file but `target/`
/// and `.git`, skipping large non-Rust files (the playground's images).
fn copy_manifests(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" || name == ".git" || name == "Cargo.lock" {
            continue;
        }
        let path: PathBuf = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_manifests(&path, &to.join(&name))?;
        } else if kind.is_file() {
            let keep = path.extension().is_some_and(|e| e == "rs" || e == "toml");
            if keep {
                std::fs::copy(&path, to.join(&name))?;
            }
        }
    }
    Ok(())
}

/// Removes the sources of the published crates that an earlier packaging
/// run unpacked from cargo's temporary local registry. Cargo unpacks each
/// `name-version` once per registry and reuses it, and the overlay's
/// registry has the same place on every run, so without this a second
/// `cargo publish --dry-run` of the same version verifies a crate against
/// the first run's sources of the others (seen here: dockhand-engine was
/// checked against a dockhand without a method it had just gained).
pub fn forget_packaged_sources() {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let Some(src) = home.map(|h| h.join("registry").join("src")) else { return };
    let Ok(registries) = std::fs::read_dir(&src) else { return };
    for registry in registries.flatten() {
        // crates.io and other named registries live in `host-hash`; the
        // overlay, a local path, in `-hash`.
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        let Ok(crates) = std::fs::read_dir(registry.path()) else { continue };
        for unpacked in crates.flatten() {
            let name = unpacked.file_name().to_string_lossy().into_owned();
            let ours = PUBLISHED.iter().any(|p| {
                name.strip_prefix(p)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
            });
            if ours {
                let _ = std::fs::remove_dir_all(unpacked.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_numbers() {
        assert_eq!(parse("1.85"), Some((1, 85, 0)));
        assert!(parse("1.100.0") > parse("1.85"));
        assert_eq!(parse("x"), None);
    }

    #[test]
    fn let_chains_are_found_and_plain_conditions_are_not() {
        let code = "fn f() {\n    if let Some(x) = a\n        && x > 1\n    {}\n    if ok && let Some(y) = b {}\n    if a && b {}\n    if let Some(z) = c {}\n    let verify = a && b;\n}\n";
        assert_eq!(let_chain_lines(code), [2, 5]);
    }

    #[test]
    fn a_package_newer_than_the_msrv_is_named() {
        let meta = serde_json::json!({"packages": [
            {"name": "old", "version": "1.0.0", "rust_version": "1.70", "source": "registry"},
            {"name": "none", "version": "1.0.0", "rust_version": null, "source": "registry"},
            {"name": "new", "version": "2.0.0", "rust_version": "1.88.0", "source": "registry"},
            {"name": "ours", "version": "0.1.0", "rust_version": "1.88.0", "source": null},
        ]});
        assert_eq!(too_new(&meta, (1, 85, 0)), ["new 2.0.0 needs Rust 1.88.0"]);
    }
}
