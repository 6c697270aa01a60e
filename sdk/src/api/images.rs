//! `/images/...`.

use crate::request::{ApiRequest, Silence};
use crate::{Body, Result};

/// Options of an image import (`POST /images/create?fromSrc=-`).
///
/// ```
/// use dockhand::api::ImportOptions;
/// let opts = ImportOptions::new("busybox-test", "1").change("CMD [\"sh\"]").message("from a tar");
/// let req = dockhand::api::images::import(&opts, dockhand::Body::empty())?;
/// assert_eq!(
///     req.path_and_query(dockhand::ApiVersion::MIN),
///     "/v1.41/images/create?fromSrc=-&repo=busybox-test&tag=1&message=from+a+tar&changes=CMD+%5B%22sh%22%5D"
/// );
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    repo: String,
    tag: Option<String>,
    message: Option<String>,
    changes: Vec<String>,
    platform: Option<String>,
}

impl ImportOptions {
    /// Imports into repository `repo` with tag `tag`.
    pub fn new(repo: impl Into<String>, tag: impl Into<String>) -> Self {
        ImportOptions { repo: repo.into(), tag: Some(tag.into()), ..Default::default() }
    }

    /// A commit message for the image's history.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// A Dockerfile instruction to apply (`CMD ["sh"]`, `ENV A=b`, ...);
    /// may be given several times.
    pub fn change(mut self, instruction: impl Into<String>) -> Self {
        self.changes.push(instruction.into());
        self
    }

    /// The platform (`linux/amd64`).
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }
}

/// `POST /images/create?fromSrc=-`: imports a root filesystem from a tar
/// archive sent as the body.
pub fn import(opts: &ImportOptions, tar: Body) -> Result<ApiRequest> {
    let mut req = ApiRequest::post("/images/create")
        .query("fromSrc", "-")
        .query("repo", &opts.repo)
        .query_opt("tag", opts.tag.as_ref())
        .query_opt("message", opts.message.as_ref())
        .query_opt("platform", opts.platform.as_ref());
    for change in &opts.changes {
        req = req.query("changes", change);
    }
    Ok(req.body("application/x-tar", tar).silence(Silence::Long))
}
