//! The images handle, the handle of one image, and the fold of progress
//! streams.

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};

use super::Docker;
use crate::api::build::{self as build_api, BuildOptions};
use crate::api::images as api;
use crate::api::{
    AttestationOptions, BuildCachePruneOptions, CommitOptions, ImageInspectOptions, ImageListOptions,
    ImagePruneFilters, ImageRemoveOptions, ImportOptions, PullOptions, PushOptions, SearchOptions,
};
use crate::build_context::BuildContext;
use crate::models::{
    AttestationStatement, AuthConfig, BuildCachePruneReport, DistributionInspect, HistoryItem, IdResponse,
    ImageDeleteItem, ImageInspect, ImagePruneReport, ImageSearchResult, ImageSummary, ProgressMessage,
};
use crate::{Body, Error, Result};

/// A stream of progress messages (pull, push, import, load, build); an
/// `errorDetail` in the body arrives as an `Err`.
pub type ProgressStream = BoxStream<'static, Result<ProgressMessage>>;

/// Operations on images: `docker.images()`.
#[derive(Debug, Clone)]
pub struct Images {
    docker: Docker,
}

/// One image, by name or id: `docker.images().get("busybox:latest")`.
///
/// The name is checked when a request is made: a malformed reference fails
/// with [`Error::InvalidInput`] before anything is sent.
#[derive(Debug, Clone)]
pub struct ImageHandle {
    docker: Docker,
    name: String,
}

impl Docker {
    /// The images of this daemon.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ImageListOptions;
    /// for image in docker.images().list(ImageListOptions::new()).await? {
    ///     println!("{:?} {} bytes", image.repo_tags, image.size);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn images(&self) -> Images {
        Images { docker: self.clone() }
    }
}

impl Images {
    /// Sends a pull or a push and streams its progress. Without the
    /// caller's credentials it adds those stored for the image's registry,
    /// looked up when the stream is first polled (natively only: the
    /// browser's module stays without the lookup).
    #[cfg(feature = "native")]
    fn registry_call<O: api::RegistryCall + Send + 'static>(
        &self,
        opts: O,
        request: fn(&O) -> Result<crate::request::ApiRequest>,
        context: &'static str,
    ) -> ProgressStream {
        if opts.has_auth() {
            return progress(self.docker.send_json_stream(request(&opts), context), context);
        }
        let docker = self.docker.clone();
        let request = async move {
            let opts = match docker.stored_auth(opts.image()).await? {
                Some(auth) => opts.with_auth(auth),
                None => opts,
            };
            request(&opts)
        };
        progress(self.docker.send_json_stream_later(Box::pin(request), context), context)
    }

    /// Sends a pull or a push and streams its progress (in the browser: no
    /// stored credentials).
    #[cfg(not(feature = "native"))]
    fn registry_call<O>(
        &self,
        opts: O,
        request: fn(&O) -> Result<crate::request::ApiRequest>,
        context: &'static str,
    ) -> ProgressStream {
        progress(self.docker.send_json_stream(request(&opts), context), context)
    }

    /// The handle of image `name` (a reference or an id).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let image = docker.images().get("busybox:latest");
    /// image.tag("localhost:5000/busybox:1").await?;
    /// println!("{}", image.inspect().await?.id);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, name: impl Into<String>) -> ImageHandle {
        ImageHandle { docker: self.docker.clone(), name: name.into() }
    }

    /// Lists images.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::{ImageFilters, ImageListOptions};
    /// let images = docker.images().list(ImageListOptions::new().filters(ImageFilters::new().reference("busybox"))).await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self, opts: ImageListOptions) -> impl Future<Output = Result<Vec<ImageSummary>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::list(&opts)?).await }
    }

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
    pub fn import(&self, opts: ImportOptions, tar: Body) -> ProgressStream {
        progress(self.docker.send_json_stream(api::import(&opts, tar), "image import"), "image import")
    }

    /// Pulls an image (by name, tag or digest) and streams progress; see
    /// [`fold_progress`] for the final digest.
    ///
    /// Without [`PullOptions::auth`], the credentials stored for the
    /// registry are used, as `docker pull` does after `docker login` (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::PullOptions;
    /// use dockhand::models::AuthConfig;
    /// // The stored credentials for localhost:5000, if any:
    /// let stream = docker.images().pull(PullOptions::new("localhost:5000/app:1"));
    /// let done = dockhand::fold_progress(stream, |m| println!("{:?}", m.status)).await?;
    /// println!("pulled {:?}", done.digest);
    /// // These instead:
    /// let auth = AuthConfig::password("localhost:5000", "alice", "s3cret");
    /// let stream = docker.images().pull(PullOptions::new("localhost:5000/app:1").auth(auth));
    /// dockhand::fold_progress(stream, |_| {}).await?;
    /// # Ok(()) }
    /// ```
    pub fn pull(&self, opts: PullOptions) -> ProgressStream {
        self.registry_call(opts, api::pull, "image pull")
    }

    /// Pushes an image to its registry and streams progress; the digest is
    /// in an `aux` message ([`ProgressMessage::digest`]).
    ///
    /// Without [`PushOptions::auth`], the credentials stored for the
    /// registry are used, as `docker push` does after `docker login` (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::PushOptions;
    /// // After `docker login localhost:5000`:
    /// let pushed = dockhand::fold_progress(docker.images().push(PushOptions::new("localhost:5000/app:1")), |_| {}).await?;
    /// println!("pushed {:?}", pushed.digest);
    /// # Ok(()) }
    /// ```
    pub fn push(&self, opts: PushOptions) -> ProgressStream {
        self.registry_call(opts, api::push, "image push")
    }

    /// Builds an image from `context` with the classic builder and streams
    /// its output; [`fold_progress`] returns the image id. A failing step
    /// ends the stream with an [`Error::Stream`] holding the daemon's
    /// message (context `"image build"`).
    ///
    /// Without [`BuildOptions::registry_config`], the build carries every
    /// stored registry credential (`X-Registry-Config`, as `docker build`
    /// sends it), so that `FROM` can pull private images (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::BuildOptions;
    /// use dockhand::build_context::BuildContext;
    /// let ctx = BuildContext::from_dir("./app")?;
    /// let stream = docker.images().build(BuildOptions::new().tag("app:dev"), ctx);
    /// let built = dockhand::fold_progress(stream, |m| {
    ///     if let Some(text) = &m.stream { print!("{text}") }
    /// })
    /// .await?;
    /// println!("built {:?}", built.image_id);
    /// # Ok(()) }
    /// ```
    pub fn build(&self, opts: BuildOptions, context: BuildContext) -> ProgressStream {
        #[cfg(feature = "native")]
        if !opts.has_registry_config() {
            let body = context.into_body();
            let docker = self.docker.clone();
            let request = async move {
                let body = body?;
                let mut opts = opts;
                let stored = docker.stored_registry_config().await?;
                if !stored.is_empty() {
                    opts = opts.registry_config(stored);
                }
                build_api::build(&opts, body)
            };
            return progress(self.docker.send_json_stream_later(Box::pin(request), "image build"), "image build");
        }
        let request = context.into_body().and_then(|body| build_api::build(&opts, body));
        progress(self.docker.send_json_stream(request, "image build"), "image build")
    }

    /// Loads images from a tar archive (as [`ImageHandle::export`] writes) and
    /// streams what was loaded ([`ProgressMessage::loaded_image`]).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> Result<(), Box<dyn std::error::Error>> {
    /// // A tar written by `docker save` or ImageHandle::export:
    /// let tar = std::fs::read("images.tar")?;
    /// let loaded = dockhand::fold_progress(docker.images().load(tar.into()), |_| {}).await?;
    /// println!("loaded {:?}", loaded.loaded);
    /// # Ok(()) }
    /// ```
    pub fn load(&self, tar: Body) -> ProgressStream {
        progress(self.docker.send_json_stream(Ok(api::load(tar, false, None)), "image load"), "image load")
    }

    /// Loads only `platform`'s variant (OCI platform JSON,
    /// `{"os":"linux","architecture":"arm64"}`) of the images in the archive.
    /// The parameter is API 1.48: an older daemon does not get it and loads
    /// every platform.
    pub fn load_for_platform(&self, tar: Body, platform: &str) -> ProgressStream {
        let request = Ok(api::load(tar, false, Some(platform)));
        progress(self.docker.send_json_stream(request, "image load"), "image load")
    }

    /// Saves several images into one tar archive, streamed.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures::StreamExt;
    /// use std::io::Write;
    /// let mut tar = docker.images().export_many(&["app:1", "busybox:latest"]);
    /// let mut file = std::fs::File::create("images.tar")?;
    /// while let Some(chunk) = tar.next().await {
    ///     file.write_all(&chunk?)?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn export_many<S: AsRef<str>>(&self, names: &[S]) -> BoxStream<'static, Result<Bytes>> {
        self.docker.send_stream(api::export_many(names))
    }

    /// Searches Docker Hub (through the daemon, which needs internet).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::{SearchFilters, SearchOptions};
    /// let opts = SearchOptions::new("postgres").limit(5).filters(SearchFilters::new().is_official(true));
    /// for hit in docker.images().search(opts).await? {
    ///     println!("{} ({} stars): {}", hit.name, hit.star_count, hit.description);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn search(&self, opts: SearchOptions) -> impl Future<Output = Result<Vec<ImageSearchResult>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::search(&opts)?).await }
    }

    /// Removes unused images matching `filters` (without `dangling(false)`,
    /// only untagged ones).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ImagePruneFilters;
    /// // Unused images older than a week, tagged or not (`docker image prune -a --filter until=168h`):
    /// let report = docker.images().prune(ImagePruneFilters::new().dangling(false).until("168h")).await?;
    /// println!("removed {} images, freed {} bytes", report.images_deleted.len(), report.space_reclaimed);
    /// # Ok(()) }
    /// ```
    pub fn prune(&self, filters: ImagePruneFilters) -> impl Future<Output = Result<ImagePruneReport>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::prune(&filters)?).await }
    }

    /// Creates an image from a container's changes (`POST /commit`) and
    /// returns its id.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::CommitOptions;
    /// let opts = CommitOptions::new("web").reference("web:snapshot").comment("before upgrade");
    /// let id = docker.images().commit(opts).await?;
    /// println!("committed {id}");
    /// # Ok(()) }
    /// ```
    pub fn commit(&self, opts: CommitOptions) -> impl Future<Output = Result<String>> + Send + 'static {
        let this = self.clone();
        async move {
            let r: IdResponse = this.docker.send_json(api::commit(&opts)?).await?;
            Ok(r.id)
        }
    }

    /// Removes build cache.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::BuildCachePruneOptions;
    /// // Keep 5 GB of cache, drop the rest (`docker builder prune --keep-storage 5GB`):
    /// let opts = BuildCachePruneOptions::new().keep_storage(5_000_000_000);
    /// let report = docker.images().prune_build_cache(opts).await?;
    /// println!("freed {} bytes from {} records", report.space_reclaimed, report.caches_deleted.len());
    /// # Ok(()) }
    /// ```
    pub fn prune_build_cache(
        &self,
        opts: BuildCachePruneOptions,
    ) -> impl Future<Output = Result<BuildCachePruneReport>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::build_cache_prune(&opts)?).await }
    }

    /// Asks the registry about `image` (manifest descriptor, platforms)
    /// without pulling it. Without `auth`, the credentials stored for the
    /// registry are used (see
    /// [`RegistryCredentials`](crate::credentials::RegistryCredentials)).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let dist = docker.images().distribution_inspect("localhost:5000/app:1", None).await?;
    /// println!("{}", dist.descriptor.digest);
    /// # Ok(()) }
    /// ```
    pub fn distribution_inspect(
        &self,
        image: &str,
        auth: Option<&AuthConfig>,
    ) -> impl Future<Output = Result<DistributionInspect>> + Send + 'static {
        let this = self.clone();
        let image = image.to_owned();
        let auth = auth.cloned();
        async move {
            let image = image.as_str();
            let auth = auth.as_ref();
            #[cfg(feature = "native")]
            if auth.is_none() {
                let stored = this.docker.stored_auth(image).await?;
                return this.docker.send_json(api::distribution_inspect(image, stored.as_ref())?).await;
            }
            this.docker.send_json(api::distribution_inspect(image, auth)?).await
        }
    }
}

impl ImageHandle {
    /// The name or id this handle stands for.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let image = docker.images().get("app:1");
    /// if let Err(e) = image.inspect().await {
    ///     eprintln!("cannot use {}: {e}", image.name());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Inspects the image.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let image = docker.images().get("nginx:alpine").inspect().await?;
    /// let config = image.config.unwrap_or_default();
    /// println!("{} {}: cmd {:?}, ports {:?}", image.id, image.architecture, config.cmd, config.exposed_ports.keys());
    /// # Ok(()) }
    /// ```
    pub fn inspect(&self) -> impl Future<Output = Result<ImageInspect>> + Send + 'static {
        let this = self.clone();
        async move { this.inspect_with(ImageInspectOptions::new()).await }
    }

    /// Inspects the image, with options.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ImageInspectOptions;
    /// let opts = ImageInspectOptions::new().platform("linux/arm64");
    /// let image = docker.images().get("alpine:3").inspect_with(opts).await?;
    /// println!("{} for {}", image.id, image.architecture);
    /// # Ok(()) }
    /// ```
    pub fn inspect_with(
        &self,
        opts: ImageInspectOptions,
    ) -> impl Future<Output = Result<ImageInspect>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.name, &opts)?).await }
    }

    /// `GET /images/{name}/json` as the daemon's JSON, untyped: every field
    /// it sent, including those [`ImageInspect`] does not model. For tools
    /// that print or template the whole answer (`docker image inspect`,
    /// `--format`); use [`ImageHandle::inspect`] to read fields.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let raw = docker.images().get("busybox").inspect_raw().await?;
    /// println!("{}", raw["Id"]);
    /// # Ok(()) }
    /// ```
    pub fn inspect_raw(&self) -> impl Future<Output = Result<serde_json::Value>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::inspect(&this.name, &ImageInspectOptions::new())?).await }
    }

    /// Its layers' history, newest first.
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// for layer in docker.images().get("nginx:alpine").history().await? {
    ///     println!("{:>10} {}", layer.size, layer.created_by);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn history(&self) -> impl Future<Output = Result<Vec<HistoryItem>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::history(&this.name, None)?).await }
    }

    /// Tags it as `target` (`repo[:tag]`).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// let image = docker.images().get("app:dev");
    /// image.tag("localhost:5000/app:1.4").await?;
    /// image.tag("localhost:5000/app:latest").await?;
    /// # Ok(()) }
    /// ```
    pub fn tag(&self, target: &str) -> impl Future<Output = Result<()>> + Send + 'static {
        let this = self.clone();
        let target = target.to_owned();
        async move {
            let target = target.as_str();
            this.docker.send_empty(api::tag(&this.name, target)?).await.map(|_| ())
        }
    }

    /// `DELETE /images/{name}`: removes it (or untags it, when it has other
    /// tags). An image a container uses is a conflict error (see
    /// [`ImageHandle::remove_with`] and [`ImageRemoveOptions::force`]).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// match docker.images().get("app:old").remove().await {
    ///     Ok(items) => items.iter().filter_map(|i| i.deleted.as_deref()).for_each(|id| println!("deleted {id}")),
    ///     Err(e) if e.is_conflict() => println!("a container still uses app:old"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn remove(&self) -> impl Future<Output = Result<Vec<ImageDeleteItem>>> + Send + 'static {
        self.remove_with(ImageRemoveOptions::new())
    }

    /// `DELETE /images/{name}` with options (`force`, `noprune`, one
    /// platform).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::ImageRemoveOptions;
    /// for item in docker.images().get("app:old").remove_with(ImageRemoveOptions::new().force(true)).await? {
    ///     println!("{item:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn remove_with(
        &self,
        opts: ImageRemoveOptions,
    ) -> impl Future<Output = Result<Vec<ImageDeleteItem>>> + Send + 'static {
        let this = self.clone();
        async move { this.docker.send_json(api::remove(&this.name, &opts)?).await }
    }

    /// Saves it (and its tags) as a tar archive, streamed (`docker save`).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures::StreamExt;
    /// use std::io::Write;
    /// let mut tar = docker.images().get("app:1").export();
    /// let mut file = std::fs::File::create("app.tar")?;
    /// while let Some(chunk) = tar.next().await {
    ///     file.write_all(&chunk?)?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn export(&self) -> BoxStream<'static, Result<Bytes>> {
        self.docker.send_stream(api::export(&self.name, None))
    }

    /// Saves only `platform`'s variant (OCI platform JSON) as a tar archive,
    /// streamed. The parameter is API 1.48: an older daemon does not get it
    /// and saves the whole image.
    pub fn export_for_platform(&self, platform: &str) -> BoxStream<'static, Result<Bytes>> {
        self.docker.send_stream(api::export(&self.name, Some(platform)))
    }

    /// Its in-toto attestations (API 1.55; older daemons get
    /// [`Error::UnsupportedVersion`] without a request).
    ///
    /// ```no_run
    /// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
    /// use dockhand::api::AttestationOptions;
    /// let opts = AttestationOptions::new().predicate_type("https://slsa.dev/provenance/v1");
    /// for att in docker.images().get("app:1").attestations(opts).await? {
    ///     println!("{} {}", att.predicate_type, att.descriptor.digest);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn attestations(
        &self,
        opts: AttestationOptions,
    ) -> impl Future<Output = Result<Vec<AttestationStatement>>> + Send + 'static {
        let this = self.clone();
        async move {
            let version = this.docker.api_version().await?;
            if version < api::ATTESTATIONS_SINCE {
                return Err(Error::UnsupportedVersion {
                    version: version.to_string(),
                    reason: format!("image attestations need API {}", api::ATTESTATIONS_SINCE),
                });
            }
            this.docker.send_json(api::attestations(&this.name, &opts)?).await
        }
    }
}

/// What a progress stream ended with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProgressOutcome {
    /// The image id a build (`aux.ID`), an import or a load reported.
    pub image_id: Option<String>,
    /// The manifest digest a pull or push reported.
    pub digest: Option<String>,
    /// The references a load reported.
    pub loaded: Vec<String>,
    /// The last `status` seen.
    pub last_status: Option<String>,
    /// How many messages arrived.
    pub messages: usize,
}

/// Drives a progress stream to its end, calling `on_message` for each
/// message, and returns what it produced: the built image's id, the pulled
/// or pushed digest, the loaded images. The first error (an `errorDetail`
/// included) ends it.
///
/// ```no_run
/// # async fn demo(docker: dockhand::Docker) -> dockhand::Result<()> {
/// use dockhand::api::PullOptions;
/// let pull = docker.images().pull(PullOptions::new("busybox:latest"));
/// let outcome = dockhand::fold_progress(pull, |m| println!("{}", m.status.as_deref().unwrap_or(""))).await?;
/// println!("pulled {:?} in {} messages", outcome.digest, outcome.messages);
/// # Ok(()) }
/// ```
pub async fn fold_progress<F>(mut stream: ProgressStream, mut on_message: F) -> Result<ProgressOutcome>
where
    F: FnMut(&ProgressMessage),
{
    let mut out = ProgressOutcome::default();
    while let Some(msg) = stream.try_next().await? {
        on_message(&msg);
        out.messages += 1;
        if let Some(id) = msg.aux_image_id() {
            out.image_id = Some(id.to_owned());
        }
        if let Some(d) = msg.digest() {
            out.digest = Some(d.to_owned());
        }
        if let Some(loaded) = msg.loaded_image() {
            if loaded.starts_with("sha256:") {
                out.image_id = Some(loaded.to_owned());
            } else {
                out.loaded.push(loaded.to_owned());
            }
        }
        if let Some(status) = &msg.status {
            // An import's last status is the new image's id.
            if status.starts_with("sha256:") && msg.id.is_none() {
                out.image_id = Some(status.clone());
            }
            out.last_status = Some(status.clone());
        }
    }
    Ok(out)
}

/// Turns `errorDetail` messages of a progress stream into errors.
pub(crate) fn progress(stream: ProgressStream, context: &'static str) -> ProgressStream {
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
