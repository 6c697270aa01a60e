//! Copies a file into a container and back out with the archive API, and
//! shows what the daemon says about paths (`archive_info`).
//!
//! ```text
//! cargo run --example copy_files [IMAGE]
//! ```
//!
//! `IMAGE` defaults to `dockhand-test/busybox:latest`; see
//! `examples/lifecycle.rs` for how to make it without network access. The
//! container is created but never started: archives work on stopped
//! containers too.

use dockhand::api::{ContainerCreate, ContainerRemoveOptions, PutArchiveOptions};
use dockhand::{ContainerHandle, Docker};
use futures::TryStreamExt;

#[tokio::main]
async fn main() {
    let image = std::env::args().nth(1).unwrap_or_else(|| String::from("dockhand-test/busybox:latest"));
    if let Err(e) = run(&image).await {
        eprintln!("copy_files: {e}");
        std::process::exit(1);
    }
}

async fn run(image: &str) -> dockhand::Result<()> {
    let docker = Docker::connect().await?;
    let create = ContainerCreate::new(image)
        .name(format!("dockhand-copy-{}", std::process::id()))
        .label("dockhand.example", "copy_files")
        .network_mode("none")
        .cmd(["true"]);
    let created = match docker.containers().create(create).await {
        Ok(c) => c,
        Err(e) if e.is_not_found() => {
            eprintln!("copy_files: image {image} is missing: {e}");
            eprintln!("copy_files: pass another image, or import the busybox one (see examples/lifecycle.rs)");
            std::process::exit(2);
        }
        Err(e) => return Err(e),
    };
    let c = docker.containers().get(&created.id);
    let result = copy(&c).await;
    c.remove_with(ContainerRemoveOptions::new().force(true)).await?;
    result
}

async fn copy(c: &ContainerHandle) -> dockhand::Result<()> {
    // In: a tar holding one file, extracted into /tmp.
    let content = b"hello from the host\n".repeat(100);
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(content.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(1_700_000_000);
    tar.append_data(&mut header, "greeting.txt", &content[..]).map_err(io_error)?;
    let tar = tar.into_inner().map_err(io_error)?;
    c.put_archive("/tmp", PutArchiveOptions::new(), tar.into()).await?;
    println!("copied greeting.txt ({} bytes) into /tmp", content.len());

    // What is there now.
    let stat = c.archive_info("/tmp/greeting.txt").await?;
    println!("stat: {} {} bytes mode {:o} modified {:?}", stat.name, stat.size, stat.permissions(), stat.mtime);
    let sh = c.archive_info("/bin/sh").await?;
    println!("/bin/sh is a symlink: {} (to {})", sh.is_symlink(), sh.link_target);
    match c.archive_info("/no/such/file").await {
        Err(e) if e.is_not_found() => println!("missing path: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    // Out: the tar stream, read entry by entry once it is complete.
    let archive = c.get_archive("/tmp/greeting.txt").await?;
    let bytes: Vec<u8> = archive.tar.map_ok(|b| b.to_vec()).try_concat().await?;
    let mut entries = tar::Archive::new(&bytes[..]);
    for entry in entries.entries().map_err(io_error)? {
        let mut entry = entry.map_err(io_error)?;
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut back).map_err(io_error)?;
        let path = entry.path().map_err(io_error)?.display().to_string();
        println!("copied {path} back out: {} bytes, identical: {}", back.len(), back == content);
    }
    Ok(())
}

fn io_error(e: std::io::Error) -> dockhand::Error {
    dockhand::Error::Io { context: String::from("building or reading a tar archive"), source: e }
}
