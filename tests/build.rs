//! Builds against the real daemon: directory contexts with `.dockerignore`,
//! multi-stage targets, build args, failing steps, in-memory and tar
//! contexts.

mod common;

use std::collections::HashMap;
use std::io::Read;

use dockhand::api::{BuildOptions, ImageRemoveOptions};
use dockhand::build_context::BuildContext;
use dockhand::{Docker, Error, fold_progress};
use futures::TryStreamExt;

/// The files of an image's layers (later layers win), read through
/// `GET /images/{name}/get`.
async fn image_files(docker: &Docker, name: &str) -> HashMap<String, Vec<u8>> {
    let chunks: Vec<bytes::Bytes> = docker.images().get(name).export().try_collect().await.expect("export");
    let saved = chunks.concat();
    let mut layers: HashMap<String, Vec<u8>> = HashMap::new();
    let mut manifest = Vec::new();
    let mut outer = tar::Archive::new(saved.as_slice());
    for entry in outer.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if path == "manifest.json" {
            manifest = data;
        } else if path.ends_with("layer.tar") || path.starts_with("blobs/") {
            layers.insert(path, data);
        }
    }
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).expect("manifest.json");
    let mut files = HashMap::new();
    for layer in manifest[0]["Layers"].as_array().expect("Layers") {
        let data = &layers[layer.as_str().unwrap()];
        let mut archive = tar::Archive::new(data.as_slice());
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().to_string_lossy().trim_end_matches('/').to_owned();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            files.insert(path, data);
        }
    }
    files
}

async fn remove(docker: &Docker, name: &str) {
    docker.images().get(name).remove_with(ImageRemoveOptions::new().force(true)).await.expect("remove image");
}

fn temp_dir(prefix: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(common::unique(prefix));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The context's tar (the SDK's own writer) keeps what COPY must keep: the
/// executable bit, a symlink and its target, a path over tar's 100-byte name
/// field, an empty directory; the daemon's own RUN checks them.
#[tokio::test]
async fn directory_context_keeps_modes_links_and_long_names() {
    use std::os::unix::fs::PermissionsExt;
    let Some(docker) = common::daemon().await else { return };
    let base = common::busybox_image(&docker).await;
    let dir = temp_dir("ctx-modes");
    let deep = format!("{}/{}", "d".repeat(60), "e".repeat(60));
    std::fs::create_dir_all(dir.join(&deep)).unwrap();
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let long = format!("{deep}/{}.txt", "f".repeat(80));
    let checks = [
        "test -x /ctx/run.sh".to_string(),
        "test ! -x /ctx/plain.txt".into(),
        "test \"$(readlink /ctx/link)\" = run.sh".into(),
        format!("test \"$(cat /ctx/{long})\" = long"),
        "test -d /ctx/empty".into(),
        "/ctx/run.sh".into(),
    ];
    let dockerfile = format!("FROM {base}\nCOPY . /ctx/\nRUN {}\n", checks.join(" && "));
    std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
    std::fs::write(dir.join("run.sh"), "#!/bin/sh\necho ran-from-context\n").unwrap();
    std::fs::set_permissions(dir.join("run.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.join("plain.txt"), "plain").unwrap();
    std::fs::set_permissions(dir.join("plain.txt"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink("run.sh", dir.join("link")).unwrap();
    std::fs::write(dir.join(&long), "long").unwrap();
    let tag = format!("{}:1", common::unique("ctx-modes"));
    let opts = BuildOptions::new().tag(&tag).label(common::TEST_LABEL, "1").network_mode("none").force_rm(true);
    let mut lines = Vec::new();
    let built = fold_progress(docker.images().build(opts, BuildContext::from_dir(&dir).unwrap()), |m| {
        lines.extend(m.stream.clone());
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    built.unwrap_or_else(|e| panic!("the daemon's checks failed: {e}\n{}", lines.concat()));
    assert!(lines.iter().any(|l| l.contains("ran-from-context")), "{lines:?}");
    docker.images().get(&tag).remove().await.unwrap();
}

#[tokio::test]
async fn directory_context_honours_dockerignore() {
    let Some(docker) = common::daemon().await else { return };
    let base = common::busybox_image(&docker).await;
    let dir = temp_dir("ctx");
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    std::fs::create_dir_all(dir.join("src/deep")).unwrap();
    let files = [
        ("Dockerfile", format!("FROM {base}\nCOPY . /ctx/\n")),
        (".dockerignore", "# not sent\nsecret.env\nlogs\n!logs/keep.log\n**/*.tmp\nDockerfile\n".into()),
        ("keep.txt", "kept".into()),
        ("secret.env", "TOKEN=do-not-ship".into()),
        ("logs/a.log", "noise".into()),
        ("logs/keep.log", "wanted".into()),
        ("src/deep/x.tmp", "tmp".into()),
        ("src/deep/main.rs", "fn main() {}".into()),
    ];
    for (path, text) in &files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    let tag = format!("{}:1", common::unique("ignore"));
    let opts = BuildOptions::new().tag(&tag).label(common::TEST_LABEL, "1").network_mode("none").force_rm(true);
    let mut lines = Vec::new();
    let built = fold_progress(docker.images().build(opts, BuildContext::from_dir(&dir).unwrap()), |m| {
        lines.extend(m.stream.clone());
    })
    .await
    .expect("build");
    let id = built.image_id.clone().expect("aux.ID carries the image id");
    assert_eq!(docker.images().get(&tag).inspect().await.unwrap().id, id);
    assert!(lines.iter().any(|l| l.contains("COPY . /ctx/")), "{lines:?}");

    let files = image_files(&docker, &tag).await;
    assert_eq!(files.get("ctx/keep.txt").map(Vec::as_slice), Some(&b"kept"[..]));
    assert_eq!(files.get("ctx/logs/keep.log").map(Vec::as_slice), Some(&b"wanted"[..]), "! exception");
    assert!(files.contains_key("ctx/src/deep/main.rs"));
    for absent in ["ctx/secret.env", "ctx/logs/a.log", "ctx/src/deep/x.tmp"] {
        assert!(!files.contains_key(absent), "{absent} was sent: {:?}", files.keys().collect::<Vec<_>>());
    }

    // The same, through a container's archive API.
    let create = dockhand::api::ContainerCreate::new(&tag)
        .name(common::unique("ignore-check"))
        .label(common::TEST_LABEL, "1")
        .network_mode("none");
    let container = docker.containers().create(create).await.expect("create").id;
    let archive = docker.containers().get(&container).get_archive("/ctx").await;
    let archived: Result<Vec<bytes::Bytes>, _> = match archive {
        Ok(a) => a.tar.try_collect().await,
        Err(e) => Err(e),
    };
    docker
        .containers()
        .get(&container)
        .remove_with(dockhand::api::ContainerRemoveOptions::new().force(true))
        .await
        .expect("remove container");
    let archived = archived.expect("archive of /ctx").concat();
    let mut in_container = Vec::new();
    for entry in tar::Archive::new(archived.as_slice()).entries().unwrap() {
        in_container.push(entry.unwrap().path().unwrap().to_string_lossy().trim_end_matches('/').to_owned());
    }
    assert!(in_container.iter().any(|p| p == "ctx/keep.txt"), "{in_container:?}");
    assert!(in_container.iter().any(|p| p == "ctx/logs/keep.log"), "{in_container:?}");
    assert!(!in_container.iter().any(|p| p.ends_with("secret.env") || p.ends_with("a.log") || p.ends_with(".tmp")));

    remove(&docker, &tag).await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn multi_stage_target_and_build_args() {
    let Some(docker) = common::daemon().await else { return };
    let base = common::busybox_image(&docker).await;
    let dockerfile = format!(
        "FROM {base} AS first\nARG GREETING=none\nRUN echo \"$GREETING\" > /greeting\n\
         FROM first AS second\nRUN echo second > /second\n"
    );
    let tag = format!("{}:1", common::unique("target"));
    let opts = BuildOptions::new()
        .tag(&tag)
        .target("first")
        .build_arg("GREETING", "hello from dockhand")
        .label(common::TEST_LABEL, "1")
        .network_mode("none")
        .force_rm(true);
    let ctx = BuildContext::from_files().file("Dockerfile", dockerfile);
    let built = fold_progress(docker.images().build(opts, ctx), |_| {}).await.expect("build");
    assert!(built.image_id.is_some());
    let files = image_files(&docker, &tag).await;
    assert_eq!(files.get("greeting").map(Vec::as_slice), Some(&b"hello from dockhand\n"[..]));
    assert!(!files.contains_key("second"), "the target stage stops the build");
    let inspect = docker.images().get(&tag).inspect().await.unwrap();
    assert_eq!(inspect.config.unwrap().labels.get(common::TEST_LABEL).map(String::as_str), Some("1"));
    remove(&docker, &tag).await;
}

#[tokio::test]
async fn failing_run_is_a_typed_build_error() {
    let Some(docker) = common::daemon().await else { return };
    let base = common::busybox_image(&docker).await;
    let ctx = BuildContext::from_files().file("Dockerfile", format!("FROM {base}\nRUN echo boom && exit 3\n"));
    let opts = BuildOptions::new().label(common::TEST_LABEL, "1").network_mode("none").force_rm(true);
    let mut saw_boom = false;
    let err = fold_progress(docker.images().build(opts, ctx), |m| {
        saw_boom |= m.stream.as_deref().is_some_and(|s| s.contains("boom"));
    })
    .await
    .expect_err("the RUN fails");
    match &err {
        Error::Stream { context, message } => {
            assert_eq!(context, "image build");
            assert!(message.contains("returned a non-zero code: 3"), "{message}");
        }
        other => panic!("expected a stream error, got {other:?}"),
    }
    assert!(saw_boom, "the step's output arrives before the error");
}

#[tokio::test]
async fn bad_dockerfile_and_tar_contexts() {
    let Some(docker) = common::daemon().await else { return };
    // A Dockerfile the daemon cannot parse: an HTTP error before any output.
    let ctx = BuildContext::from_files().file("Dockerfile", "NOTANINSTRUCTION x\n");
    let err = fold_progress(docker.images().build(BuildOptions::new(), ctx), |_| {}).await.unwrap_err();
    assert!(err.is_bad_request() || matches!(err, Error::Stream { .. }), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("unknown instruction"), "{err}");

    // An existing tar stream, with a Dockerfile at another path.
    let base = common::busybox_image(&docker).await;
    let mut tar = tar::Builder::new(Vec::new());
    let text = format!("FROM {base}\nLABEL from=tar\n");
    let mut h = tar::Header::new_gnu();
    h.set_size(text.len() as u64);
    h.set_mode(0o644);
    tar.append_data(&mut h, "build/Containerfile", text.as_bytes()).unwrap();
    let tar = tar.into_inner().unwrap();
    let tag = format!("{}:1", common::unique("tarctx"));
    let opts = BuildOptions::new().tag(&tag).dockerfile("build/Containerfile").label(common::TEST_LABEL, "1");
    let built = fold_progress(docker.images().build(opts, BuildContext::from_tar(tar.into())), |_| {}).await.unwrap();
    let inspect = docker.images().get(&tag).inspect().await.unwrap();
    assert_eq!(Some(inspect.id), built.image_id);
    assert_eq!(inspect.config.unwrap().labels.get("from").map(String::as_str), Some("tar"));
    remove(&docker, &tag).await;
}

#[tokio::test]
async fn hostile_build_input_fails_before_sending() {
    // No daemon needed: these fail while building the request.
    let docker = Docker::builder().host("unix:///nonexistent/dockhand.sock").unwrap().build().unwrap();
    let ctx = BuildContext::from_files().file("Dockerfile", "FROM scratch\n");
    let err = fold_progress(docker.images().build(BuildOptions::new().tag("Upper/Case"), ctx), |_| {}).await;
    assert!(matches!(err, Err(Error::InvalidInput { .. })), "{err:?}");
    let ctx = BuildContext::from_files().file("../escape", "x");
    let err = fold_progress(docker.images().build(BuildOptions::new(), ctx), |_| {}).await;
    assert!(matches!(err, Err(Error::InvalidInput { .. })), "{err:?}");
    assert!(BuildContext::from_dir("/nonexistent/dockhand-ctx").is_err());
}

/// Peak resident memory of this process (VmHWM), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A 256 MiB context streams to the daemon without the archive being held
/// in memory. Ignored by default (it moves 256 MiB); run it alone:
/// `cargo test --test build large_context -- --ignored --nocapture`.
#[tokio::test]
#[ignore]
async fn large_context_streams_in_bounded_memory() {
    let Some(docker) = common::daemon().await else { return };
    let base = common::busybox_image(&docker).await;
    let dir = temp_dir("bigctx");
    std::fs::write(dir.join("Dockerfile"), format!("FROM {base}\nLABEL big=1\n")).unwrap();
    let size: u64 = 256 * 1024 * 1024;
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("big.bin")).unwrap());
        let block: Vec<u8> = (0..1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        for _ in 0..size / block.len() as u64 {
            f.write_all(&block).unwrap();
        }
    }
    let before = peak_rss_kib();
    let started = std::time::Instant::now();
    let tag = format!("{}:1", common::unique("bigctx"));
    let opts = BuildOptions::new().tag(&tag).label(common::TEST_LABEL, "1");
    fold_progress(docker.images().build(opts, BuildContext::from_dir(&dir).unwrap()), |_| {}).await.expect("build");
    let elapsed = started.elapsed();
    let after = peak_rss_kib();
    eprintln!(
        "256 MiB context: {:.1} s ({:.0} MiB/s), peak RSS {} MiB before, {} MiB after",
        elapsed.as_secs_f64(),
        256.0 / elapsed.as_secs_f64(),
        before / 1024,
        after / 1024
    );
    remove(&docker, &tag).await;
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(after.saturating_sub(before) < 64 * 1024, "peak RSS grew by {} MiB", (after - before) / 1024);
}

#[tokio::test]
async fn build_cache_prune_reports() {
    let Some(docker) = common::daemon().await else { return };
    // Only records older than a day and unused: nothing this run built.
    let opts =
        dockhand::api::BuildCachePruneOptions::new().filters(dockhand::api::BuildCacheFilters::new().until("24h"));
    let report = docker.images().prune_build_cache(opts).await.expect("the daemon accepts the prune");
    assert!(report.space_reclaimed >= 0);
    assert!(report.caches_deleted.iter().all(|id| !id.is_empty()));
}
