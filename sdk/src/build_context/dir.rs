//! A directory build context, archived by a helper thread into a bounded
//! channel (native only).

use std::io::Write;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::tar::{Entry, Kind, TarWriter};
use super::{DockerIgnore, context_path};
use crate::{Body, Error, Result};

/// Bytes per chunk handed to the body.
const CHUNK: usize = 64 * 1024;
/// Chunks in flight: with [`CHUNK`], at most ~256 KiB of archive wait in
/// memory.
const IN_FLIGHT: usize = 4;

#[derive(Debug)]
pub(super) struct DirContext {
    root: PathBuf,
    ignore: DockerIgnore,
}

impl DirContext {
    pub(super) fn new(root: PathBuf, dockerfile: &str) -> Result<Self> {
        let meta = std::fs::metadata(&root)
            .map_err(|source| Error::Io { context: format!("reading the build context {}", root.display()), source })?;
        if !meta.is_dir() {
            return Err(Error::invalid("build context", format!("{} is not a directory", root.display())));
        }
        let dockerfile = context_path(dockerfile)?;
        let ignore_path = root.join(".dockerignore");
        let mut ignore = match std::fs::read(&ignore_path) {
            Ok(bytes) => DockerIgnore::parse(&String::from_utf8_lossy(&bytes))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => DockerIgnore::new(),
            Err(source) => return Err(Error::Io { context: format!("reading {}", ignore_path.display()), source }),
        };
        // Like the docker CLI: the Dockerfile and .dockerignore always go.
        if ignore.is_excluded(".dockerignore") {
            ignore.push("!.dockerignore")?;
        }
        if ignore.is_excluded(&dockerfile) {
            ignore.push(&format!("!{dockerfile}"))?;
        }
        Ok(DirContext { root, ignore })
    }

    pub(super) fn into_body(self) -> Body {
        let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(IN_FLIGHT);
        let root = self.root.clone();
        std::thread::Builder::new()
            .name("dockhand-build-context".into())
            .spawn(move || {
                let mut writer = ChannelWriter { tx: tx.clone(), buf: Vec::with_capacity(CHUNK) };
                let result = (|| {
                    let mut builder = TarWriter::new(&mut writer);
                    walk(&mut builder, &self.root, "", &self.ignore)?;
                    builder.finish().map(drop)
                })();
                let result = result.and_then(|()| writer.flush());
                if let Err(e) = result {
                    if e.kind() != std::io::ErrorKind::BrokenPipe {
                        tracing::debug!(root = %root.display(), error = %e, "build context failed");
                        let _ = tx.blocking_send(Err(e));
                    }
                }
            })
            .map_or_else(
                |e| Body::from_stream(futures::stream::once(async move { Err(e) })),
                |_| {
                    Body::from_stream(futures::stream::unfold(rx, |mut rx| async move {
                        rx.recv().await.map(|item| (item, rx))
                    }))
                },
            )
    }
}

/// Appends the entries of `dir` (whose context path is `rel`), sorted by
/// name so that the archive is reproducible.
fn walk<W: Write>(builder: &mut TarWriter<W>, dir: &Path, rel: &str, ignore: &DockerIgnore) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| annotate(e, dir))?
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(|e| annotate(e, dir))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: the name is not UTF-8", entry.path().display()),
            ));
        };
        let path = if rel.is_empty() { name.to_owned() } else { format!("{rel}/{name}") };
        let file_type = entry.file_type().map_err(|e| annotate(e, &entry.path()))?;
        let excluded = ignore.is_excluded(&path);
        if file_type.is_dir() {
            if !excluded {
                append(builder, &entry.path(), &path).map_err(|e| annotate(e, &entry.path()))?;
            }
            // An excluded directory may still hold re-included files.
            if !excluded || ignore.has_exceptions() {
                walk(builder, &entry.path(), &path, ignore)?;
            }
        } else if !excluded {
            append(builder, &entry.path(), &path).map_err(|e| annotate(e, &entry.path()))?;
        }
    }
    Ok(())
}

/// Appends the file, directory or symlink (not followed) at `file` as
/// `name`, with its permission bits and modification time, owned by 0:0 as
/// the docker CLI sends it. A socket is skipped, as the docker CLI does.
fn append<W: Write>(builder: &mut TarWriter<W>, file: &Path, name: &str) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(file)?;
    let mtime =
        meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
    let (mode, kind) = unix_mode_and_kind(&meta);
    let Some(kind) = kind else { return Ok(()) };
    let link = if kind == Kind::Symlink { std::fs::read_link(file)? } else { PathBuf::new() };
    let Some(link) = link.to_str() else {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "the link's target is not UTF-8"));
    };
    let entry = Entry { path: name, kind, mode, mtime, link };
    if kind == Kind::File {
        builder.append_file(&entry, meta.len(), std::fs::File::open(file)?)
    } else {
        builder.append(&entry)
    }
}

/// The permission bits and the entry kind (`None`: a socket).
#[cfg(unix)]
fn unix_mode_and_kind(meta: &std::fs::Metadata) -> (u32, Option<Kind>) {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let t = meta.file_type();
    // Linux's encoding of a device number (glibc's gnu_dev_major/minor).
    let dev = meta.rdev();
    let major = (((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)) as u32;
    let minor = (((dev >> 12) & 0xffff_ff00) | (dev & 0xff)) as u32;
    let kind = if t.is_dir() {
        Some(Kind::Dir)
    } else if t.is_symlink() {
        Some(Kind::Symlink)
    } else if t.is_fifo() {
        Some(Kind::Fifo)
    } else if t.is_char_device() {
        Some(Kind::CharDevice { major, minor })
    } else if t.is_block_device() {
        Some(Kind::BlockDevice { major, minor })
    } else if t.is_socket() {
        None
    } else {
        Some(Kind::File)
    };
    (meta.mode() & 0o7777, kind)
}

/// The permission bits and the entry kind: Windows has no mode bits, so
/// every entry gets 0755, as the docker CLI gives them there
/// (`chmodTarEntry`: executable, since Windows cannot say otherwise).
#[cfg(not(unix))]
fn unix_mode_and_kind(meta: &std::fs::Metadata) -> (u32, Option<Kind>) {
    let t = meta.file_type();
    let kind = if t.is_dir() {
        Kind::Dir
    } else if t.is_symlink() {
        Kind::Symlink
    } else {
        Kind::File
    };
    (0o755, Some(kind))
}

fn annotate(e: std::io::Error, path: &Path) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Hands the archive to the body in chunks, waiting when the channel is full.
struct ChannelWriter {
    tx: mpsc::Sender<std::io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the build request was dropped"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let n = data.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn names(tar: &[u8]) -> Vec<String> {
        ::tar::Archive::new(tar)
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().to_string_lossy().trim_end_matches('/').to_owned())
            .collect()
    }

    #[tokio::test]
    async fn walks_honouring_dockerignore_and_streams_in_chunks() {
        let dir = std::env::temp_dir().join(format!("dockhand-ctx-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for d in ["src", "target/debug", "docs/keep"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        let big = vec![7u8; 300 * 1024];
        for (f, data) in [
            ("Dockerfile", &b"FROM scratch\n"[..]),
            (".dockerignore", b"Dockerfile\n.dockerignore\ntarget\n*.log\ndocs\n!docs/keep\n"),
            ("src/main.rs", b"fn main() {}"),
            ("target/debug/app", &big[..]),
            ("a.log", b"log"),
            ("big.bin", &big[..]),
            ("docs/x.md", b"x"),
            ("docs/keep/y.md", b"y"),
        ] {
            std::fs::write(dir.join(f), data).unwrap();
        }
        let body = DirContext::new(dir.clone(), "Dockerfile").unwrap().into_body();
        let chunks: Vec<Bytes> = body.map(|c| c.unwrap()).collect().await;
        assert!(chunks.len() > 4, "streamed in chunks");
        assert!(chunks.iter().all(|c| c.len() <= CHUNK));
        let tar: Vec<u8> = chunks.concat();
        let got = names(&tar);
        assert_eq!(
            got,
            [".dockerignore", "Dockerfile", "big.bin", "docs/keep", "docs/keep/y.md", "src", "src/main.rs"]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_missing_directory_is_an_error() {
        assert!(DirContext::new("/nonexistent/dockhand".into(), "Dockerfile").is_err());
        assert!(DirContext::new(std::env::temp_dir(), "../Dockerfile").is_err());
    }
}
