//! Build contexts: what `POST /build` receives, as a tar stream.
//!
//! - [`BuildContext::from_dir`] (feature `native`): a directory, filtered by
//!   its `.dockerignore` with Docker's semantics ([`DockerIgnore`]). The
//!   archive is written by a helper thread into a small bounded channel, so
//!   it is never held whole in memory and a slow daemon slows the walk.
//! - [`BuildContext::from_files`]: files held in memory (a generated
//!   Dockerfile, tests).
//! - [`BuildContext::from_tar`]: an existing tar stream, sent as is.
//!
//! Like the docker CLI, the Dockerfile and `.dockerignore` are always sent,
//! whatever the patterns say (the daemon needs the first and reads the
//! second to filter `COPY`).
//!
//! ```
//! use dockhand::build_context::BuildContext;
//! let ctx = BuildContext::from_files()
//!     .file("Dockerfile", "FROM scratch\nCOPY hello /\n")
//!     .file("hello", "hi\n");
//! let body = ctx.into_body()?;
//! assert!(body.exact_len().unwrap() >= 3 * 512);
//! # Ok::<(), dockhand::Error>(())
//! ```

#[cfg(feature = "native")]
mod dir;
mod dockerignore;
mod tar;

pub use dockerignore::DockerIgnore;

use crate::{Body, Error, Result};

/// The default Dockerfile name.
pub const DEFAULT_DOCKERFILE: &str = "Dockerfile";

/// The source of a build's context.
#[derive(Debug)]
pub struct BuildContext {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    #[cfg(feature = "native")]
    Dir(dir::DirContext),
    Files(FilesContext),
    Tar(Body),
}

impl BuildContext {
    /// The directory `root`, honouring `root/.dockerignore`; the Dockerfile
    /// is `Dockerfile` (see [`BuildContext::from_dir_with_dockerfile`]).
    /// Fails if `root` is not a readable directory or the ignore file is
    /// malformed; files are read while the body streams.
    #[cfg(feature = "native")]
    pub fn from_dir(root: impl Into<std::path::PathBuf>) -> Result<Self> {
        Self::from_dir_with_dockerfile(root, DEFAULT_DOCKERFILE)
    }

    /// The directory `root` with the Dockerfile at `dockerfile` (relative to
    /// `root`, `/`-separated; pass the same to
    /// [`BuildOptions::dockerfile`](crate::api::BuildOptions::dockerfile)).
    #[cfg(feature = "native")]
    pub fn from_dir_with_dockerfile(root: impl Into<std::path::PathBuf>, dockerfile: &str) -> Result<Self> {
        Ok(BuildContext { inner: Inner::Dir(dir::DirContext::new(root.into(), dockerfile)?) })
    }

    /// An empty in-memory context; add files with [`BuildContext::file`].
    pub fn from_files() -> Self {
        BuildContext { inner: Inner::Files(FilesContext::default()) }
    }

    /// An existing tar archive (optionally gzip, bzip2 or xz compressed: the
    /// daemon detects it), streamed as is.
    pub fn from_tar(tar: Body) -> Self {
        BuildContext { inner: Inner::Tar(tar) }
    }

    /// Adds a file (mode `0644`) to an in-memory context; `path` is
    /// relative and `/`-separated. Ignored for other kinds of context.
    pub fn file(self, path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        self.file_with_mode(path, contents, 0o644)
    }

    /// Adds a file with a mode (`0o755` for a script).
    pub fn file_with_mode(mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>, mode: u32) -> Self {
        if let Inner::Files(files) = &mut self.inner {
            files.files.push((path.into(), contents.into(), mode));
        }
        self
    }

    /// The tar stream to send as the body of `POST /build`.
    ///
    /// For a directory this starts the thread that walks and archives it;
    /// call it from inside a tokio runtime.
    pub fn into_body(self) -> Result<Body> {
        match self.inner {
            #[cfg(feature = "native")]
            Inner::Dir(d) => Ok(d.into_body()),
            Inner::Files(f) => f.into_tar().map(Body::full),
            Inner::Tar(body) => Ok(body),
        }
    }
}

/// Checks a context path: relative, no `..`, no empty parts.
fn context_path(path: &str) -> Result<String> {
    let cleaned = dockerignore::clean(path);
    if path.is_empty() || cleaned == "." || cleaned.starts_with('/') || cleaned.split('/').any(|p| p == "..") {
        return Err(Error::invalid(
            "build context path",
            format!("{path:?} is not a relative path inside the context"),
        ));
    }
    if cleaned.chars().any(|c| c.is_control()) {
        return Err(Error::invalid("build context path", format!("{path:?} contains control characters")));
    }
    Ok(cleaned)
}

#[derive(Debug, Default)]
struct FilesContext {
    files: Vec<(String, Vec<u8>, u32)>,
}

impl FilesContext {
    fn into_tar(self) -> Result<Vec<u8>> {
        let mut builder = tar::TarWriter::new(Vec::new());
        for (path, data, mode) in &self.files {
            let path = context_path(path)?;
            let entry = tar::Entry { path: &path, kind: tar::Kind::File, mode: *mode, mtime: 0, link: "" };
            builder
                .append_file(&entry, data.len() as u64, data.as_slice())
                .map_err(|e| Error::Io { context: format!("archiving {path} into the build context"), source: e })?;
        }
        builder.finish().map_err(|e| Error::Io { context: "finishing the build context".into(), source: e })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_context_is_a_tar() {
        let tar = FilesContext {
            files: vec![
                ("Dockerfile".into(), b"FROM scratch\n".to_vec(), 0o644),
                ("./bin/run".into(), b"x".to_vec(), 0o755),
            ],
        }
        .into_tar()
        .unwrap();
        let mut archive = ::tar::Archive::new(tar.as_slice());
        let names: Vec<(String, u32)> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.path().unwrap().to_string_lossy().into_owned(), e.header().mode().unwrap())
            })
            .collect();
        assert_eq!(names, [("Dockerfile".to_string(), 0o644), ("bin/run".to_string(), 0o755)]);
    }

    #[test]
    fn hostile_paths_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../x", "", ".", "a\n"] {
            let f = FilesContext { files: vec![(bad.into(), vec![], 0o644)] };
            assert!(f.into_tar().is_err(), "{bad:?}");
        }
    }
}
