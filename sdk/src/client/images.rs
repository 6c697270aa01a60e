//! The images handle.

use futures::StreamExt;
use futures::stream::BoxStream;

use super::Docker;
use crate::api::ImportOptions;
use crate::api::images as api;
use crate::models::ProgressMessage;
use crate::{Body, Error, Result};

/// Operations on images: `docker.images()`.
#[derive(Debug, Clone)]
pub struct Images {
    docker: Docker,
}

impl Docker {
    /// The images of this daemon.
    pub fn images(&self) -> Images {
        Images { docker: self.clone() }
    }
}

impl Images {
    /// Imports a root filesystem from a tar stream as a new image, and
    /// streams the daemon's progress. The final message's `status` is the
    /// new image's id.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker, tar: Vec<u8>) -> dockhand::Result<()> {
    /// use dockhand::api::ImportOptions;
    /// use futures::TryStreamExt;
    /// let messages: Vec<_> = docker
    ///     .images()
    ///     .import(ImportOptions::new("rootfs", "latest").change("CMD [\"sh\"]"), tar.into())
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn import(&self, opts: ImportOptions, tar: Body) -> BoxStream<'static, Result<ProgressMessage>> {
        progress(self.docker.send_json_stream(api::import(&opts, tar), "image import"), "image import")
    }
}

/// Turns `errorDetail` messages of a progress stream into errors.
pub(crate) fn progress(
    stream: BoxStream<'static, Result<ProgressMessage>>,
    context: &'static str,
) -> BoxStream<'static, Result<ProgressMessage>> {
    stream
        .map(move |item| match item {
            Ok(msg) => match msg.error_message() {
                Some(message) => Err(Error::stream(context, message)),
                None => Ok(msg),
            },
            Err(e) => Err(e),
        })
        .boxed()
}
