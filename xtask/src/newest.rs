//! The "newest dependencies" step of `cargo xtask test`: what a new user of
//! the SDK gets today. A project that adds `dockhand` resolves the newest
//! versions its requirements allow, not our `Cargo.lock`; a dependency's
//! new deprecation (rustls 0.23.48 deprecated `crypto::ring::default_provider`)
//! then shows up as a warning in their build and breaks our
//! `clippy -D warnings` after the next `cargo update`. This step finds it
//! first: it copies the workspace's tracked files into a scratch folder,
//! runs `cargo update` there (the newest versions compatible with the
//! declared `rust-version`, as resolver 3 picks them), and lints and
//! documents the SDK with them, warnings denied. The repository's own
//! `Cargo.lock` is not touched.
//!
//! The scratch folder lives under `target/newest-deps` (its build directory
//! too), so that later runs rebuild only what changed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the step; prints what `cargo update` changed and each command's
/// outcome. False when a command fails.
pub fn check(root: &Path) -> bool {
    crate::report(run(root))
}

fn run(root: &Path) -> Result<Vec<String>, String> {
    let base = root.join("target").join("newest-deps");
    let ws = base.join("workspace");
    let _ = std::fs::remove_dir_all(&ws);
    copy_tracked(root, &ws)?;

    let update =
        Command::new("cargo").arg("update").current_dir(&ws).output().map_err(|e| format!("cargo update: {e}"))?;
    if !update.status.success() {
        return Err(format!("cargo update failed in {}: {}", ws.display(), String::from_utf8_lossy(&update.stderr)));
    }
    let mut notes: Vec<String> = String::from_utf8_lossy(&update.stderr)
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("Updating ") && l.contains(" -> "))
        .map(|l| format!("newer than Cargo.lock: {}", l.trim_start_matches("Updating ")))
        .collect();
    if notes.is_empty() {
        notes.push("Cargo.lock already holds the newest compatible versions".to_owned());
    }

    let target = base.join("target");
    let lints = ["clippy", "-p", "dockhand", "--all-targets", "--all-features", "--", "-D", "warnings"];
    let docs = ["doc", "-p", "dockhand", "--no-deps", "--all-features"];
    for (name, args) in [("lints", &lints[..]), ("documentation", &docs[..])] {
        // RUSTDOCFLAGS matters to `doc` only; clippy's warnings are denied by its arguments.
        let ok = Command::new("cargo")
            .args(args)
            .current_dir(&ws)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTDOCFLAGS", "-D warnings")
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(format!(
                "the SDK's {name} fail with the newest compatible dependencies (cargo {}); {}",
                args.join(" "),
                notes.join("; ")
            ));
        }
        notes.push(format!("SDK {name} clean with the newest compatible dependencies"));
    }
    Ok(notes)
}

/// Copies the files git tracks (and the working tree's edits of them) from
/// `root` to `to`.
fn copy_tracked(root: &Path, to: &Path) -> Result<(), String> {
    let out = Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("git ls-files: {e}"))?;
    if !out.status.success() {
        return Err(format!("git ls-files failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    for rel in out.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let rel = PathBuf::from(String::from_utf8_lossy(rel).into_owned());
        let from = root.join(&rel);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let dest = to.join(&rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::copy(&from, &dest).map_err(|e| format!("{}: {e}", from.display()))?;
    }
    Ok(())
}
