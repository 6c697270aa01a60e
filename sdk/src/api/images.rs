//! `/images/...`.

use http::header::HeaderValue;

use crate::models::AuthConfig;
use crate::reference::{Reference, validate_image_name};
use crate::request::{ApiRequest, Silence, segment};
use crate::{ApiVersion, Body, Error, Result};

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

/// API versions that introduced the newer parameters of image endpoints.
/// Each use cites its entry in moby's API version history
/// (`api/docs/CHANGELOG.md`, formerly `docs/api/version-history.md`); the
/// daemon's image router checks the same versions.
const V1_42: ApiVersion = ApiVersion::new(1, 42);
const V1_46: ApiVersion = ApiVersion::new(1, 46);
const V1_47: ApiVersion = ApiVersion::new(1, 47);
const V1_48: ApiVersion = ApiVersion::new(1, 48);
const V1_49: ApiVersion = ApiVersion::new(1, 49);
const V1_50: ApiVersion = ApiVersion::new(1, 50);
const V1_54: ApiVersion = ApiVersion::new(1, 54);

/// The API version that introduced `GET /images/{name}/attestations`
/// (version history, v1.55: "`GET /images/{name}/attestations` is a new
/// endpoint").
pub const ATTESTATIONS_SINCE: ApiVersion = ApiVersion::new(1, 55);

/// The path segment of a local image name or id, validated as a reference
/// first so that a mistake fails before anything is sent.
fn image_segment(name: &str) -> Result<String> {
    segment("image name", validate_image_name(name)?)
}

/// Sets `X-Registry-Auth`, marked sensitive so that `Debug` of the request
/// does not show it.
pub(crate) fn with_auth(req: ApiRequest, auth: Option<&AuthConfig>) -> Result<ApiRequest> {
    let encoded = auth.cloned().unwrap_or_default().encode_header();
    let mut value = HeaderValue::from_str(&encoded)
        .map_err(|_| Error::invalid("registry credentials", "cannot be sent as a header"))?;
    value.set_sensitive(true);
    Ok(req.header(crate::headers::X_REGISTRY_AUTH, value))
}

typed_filters! {
    /// Typed filters of `GET /images/json`.
    ///
    /// ```
    /// use dockhand::api::ImageFilters;
    /// let f = ImageFilters::new().reference("busybox:*").label("dockhand.test=1").dangling(false);
    /// assert_eq!(f.filters().get("dangling"), ["false"]);
    /// ```
    pub struct ImageFilters {
        /// Images created before this one (name or id).
        before = "before",
        /// Images created after this one (name or id).
        since = "since",
        /// Images with this label (`key` or `key=value`).
        label = "label",
        /// Images whose reference matches this pattern (`busybox:*`).
        reference = "reference",
        /// Images created before this time (a timestamp or a duration like
        /// `10m`).
        until = "until",
    }
}

impl ImageFilters {
    /// Only untagged images (`true`) or only tagged ones (`false`).
    pub fn dangling(self, dangling: bool) -> Self {
        self.other("dangling", dangling.to_string())
    }
}

/// Options of `GET /images/json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageListOptions {
    all: bool,
    filters: ImageFilters,
    shared_size: bool,
    digests: bool,
    manifests: bool,
    identity: bool,
}

impl ImageListOptions {
    /// Tagged images and their parents are hidden; see [`Self::all`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Intermediate images too.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Only images matching these filters.
    pub fn filters(mut self, filters: ImageFilters) -> Self {
        self.filters = filters;
        self
    }

    /// Compute `SharedSize` (API 1.42+).
    pub fn shared_size(mut self, yes: bool) -> Self {
        self.shared_size = yes;
        self
    }

    /// Include digest information.
    pub fn digests(mut self, yes: bool) -> Self {
        self.digests = yes;
        self
    }

    /// Include per-platform manifests (API 1.47+).
    pub fn manifests(mut self, yes: bool) -> Self {
        self.manifests = yes;
        self
    }

    /// Include identity information in each manifest summary (API 1.54+).
    /// The daemon accepts it only together with `manifests`, so this sends
    /// `manifests=1` too.
    pub fn identity(mut self, yes: bool) -> Self {
        self.identity = yes;
        self
    }
}

/// `GET /images/json`.
pub fn list(opts: &ImageListOptions) -> Result<ApiRequest> {
    let mut req = ApiRequest::get("/images/json");
    if opts.all {
        req = req.query("all", 1);
    }
    if !opts.filters.0.is_empty() {
        req = req.query_json("filters", &opts.filters.0)?;
    }
    if opts.digests {
        req = req.query("digests", 1);
    }
    if opts.shared_size {
        // v1.42: "`GET /images/json` now accepts query parameter `shared-size`".
        req = req.query_since(V1_42, "shared-size", 1);
    }
    if opts.manifests || opts.identity {
        // v1.47: `Manifests` is populated when the request sets `manifests`.
        req = req.query_since(V1_47, "manifests", 1);
    }
    if opts.identity {
        // v1.54: "`GET /images/json` now supports an `identity` query
        // parameter"; the daemon rejects it without `manifests=1`.
        req = req.query_since(V1_54, "identity", 1);
    }
    Ok(req)
}

/// Options of `GET /images/{name}/json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageInspectOptions {
    manifests: bool,
    platform: Option<String>,
}

impl ImageInspectOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Include the manifests of a multi-platform image (API 1.48+).
    pub fn manifests(mut self, yes: bool) -> Self {
        self.manifests = yes;
        self
    }

    /// Inspect this platform's variant, as OCI platform JSON
    /// (`{"os":"linux","architecture":"arm64"}`) (API 1.49+).
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }
}

/// `GET /images/{name}/json`.
pub fn inspect(name: &str, opts: &ImageInspectOptions) -> Result<ApiRequest> {
    let mut req = ApiRequest::get(format!("/images/{}/json", image_segment(name)?));
    if opts.manifests {
        // v1.48: `GET /images/{name}/json` returns `Manifests` with `manifests`.
        req = req.query_since(V1_48, "manifests", 1);
    }
    if let Some(p) = &opts.platform {
        // v1.49: "`GET /images/{name}/json` now supports a `platform` parameter".
        req = req.query_since(V1_49, "platform", p);
    }
    Ok(req)
}

/// `GET /images/{name}/history`; `platform` (OCI platform JSON) is sent to
/// API 1.48+ only.
pub fn history(name: &str, platform: Option<&str>) -> Result<ApiRequest> {
    let mut req = ApiRequest::get(format!("/images/{}/history", image_segment(name)?));
    if let Some(p) = platform {
        // v1.48: "`GET /images/{name}/history` now supports a `platform` parameter".
        req = req.query_since(V1_48, "platform", p);
    }
    Ok(req)
}

/// `POST /images/{name}/tag`: tags `name` as `target` (`repo[:tag]`, checked
/// as a reference; a digest is not allowed).
pub fn tag(name: &str, target: &str) -> Result<ApiRequest> {
    let reference = Reference::parse(target)?;
    if reference.digest().is_some() {
        return Err(Error::invalid("tag", format!("{target:?}: a tag cannot have a digest")));
    }
    Ok(ApiRequest::post(format!("/images/{}/tag", image_segment(name)?))
        .query("repo", reference.repository())
        .query_opt("tag", reference.tag()))
}

/// Options of `DELETE /images/{name}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageRemoveOptions {
    force: bool,
    noprune: bool,
    platforms: Vec<String>,
}

impl ImageRemoveOptions {
    /// The defaults: fail if a container uses it, delete untagged parents.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remove even if containers use it, and all its tags.
    pub fn force(mut self, yes: bool) -> Self {
        self.force = yes;
        self
    }

    /// Keep untagged parents.
    pub fn noprune(mut self, yes: bool) -> Self {
        self.noprune = yes;
        self
    }

    /// Remove only this platform's variant (OCI platform JSON; API 1.50+).
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platforms.push(platform.into());
        self
    }
}

/// `DELETE /images/{name}`.
pub fn remove(name: &str, opts: &ImageRemoveOptions) -> Result<ApiRequest> {
    let mut req = ApiRequest::delete(format!("/images/{}", image_segment(name)?))
        .query_flag("force", opts.force.then_some(true))
        .query_flag("noprune", opts.noprune.then_some(true));
    for p in &opts.platforms {
        // v1.50: "`DELETE /images/{name}` now supports a `platforms` query parameter".
        req = req.query_since(V1_50, "platforms", p);
    }
    Ok(req)
}

typed_filters! {
    /// Typed filters of `GET /images/search`.
    pub struct SearchFilters {}
}

impl SearchFilters {
    /// Only official images (`true`) or only unofficial ones.
    pub fn is_official(self, yes: bool) -> Self {
        self.other("is-official", yes.to_string())
    }

    /// Only automated builds (deprecated by Docker Hub).
    pub fn is_automated(self, yes: bool) -> Self {
        self.other("is-automated", yes.to_string())
    }

    /// At least this many stars.
    pub fn stars(self, min: u32) -> Self {
        self.other("stars", min.to_string())
    }
}

/// Options of `GET /images/search`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchOptions {
    term: String,
    limit: Option<u32>,
    filters: SearchFilters,
}

impl SearchOptions {
    /// Searches for `term`.
    pub fn new(term: impl Into<String>) -> Self {
        SearchOptions { term: term.into(), ..Default::default() }
    }

    /// At most this many results.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only results matching these filters.
    pub fn filters(mut self, filters: SearchFilters) -> Self {
        self.filters = filters;
        self
    }
}

/// `GET /images/search`.
pub fn search(opts: &SearchOptions) -> Result<ApiRequest> {
    if opts.term.trim().is_empty() {
        return Err(Error::invalid("search term", "must not be empty"));
    }
    let mut req = ApiRequest::get("/images/search").query("term", &opts.term).query_opt("limit", opts.limit);
    if !opts.filters.0.is_empty() {
        req = req.query_json("filters", &opts.filters.0)?;
    }
    Ok(req)
}

typed_filters! {
    /// Typed filters of `POST /images/prune`. Without `dangling(false)` only
    /// untagged images are pruned.
    ///
    /// ```
    /// use dockhand::api::ImagePruneFilters;
    /// let f = ImagePruneFilters::new().dangling(false).label("dockhand.test.run=42");
    /// assert_eq!(f.filters().get("label"), ["dockhand.test.run=42"]);
    /// ```
    pub struct ImagePruneFilters {
        /// Only images created before this time (timestamp or duration).
        until = "until",
        /// Only images with this label (`key` or `key=value`).
        label = "label",
        /// Only images without this label.
        label_not = "label!",
    }
}

impl ImagePruneFilters {
    /// `false`: prune tagged unused images too.
    pub fn dangling(self, dangling: bool) -> Self {
        self.other("dangling", dangling.to_string())
    }
}

/// `POST /images/prune`.
pub fn prune(filters: &ImagePruneFilters) -> Result<ApiRequest> {
    let mut req = ApiRequest::post("/images/prune");
    if !filters.0.is_empty() {
        req = req.query_json("filters", &filters.0)?;
    }
    Ok(req)
}

/// Options of `POST /commit`: a new image from a container's changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommitOptions {
    container: String,
    reference: Option<String>,
    comment: Option<String>,
    author: Option<String>,
    pause: Option<bool>,
    changes: Vec<String>,
    config: Option<serde_json::Value>,
}

impl CommitOptions {
    /// Commits `container` (name or id).
    pub fn new(container: impl Into<String>) -> Self {
        CommitOptions { container: container.into(), ..Default::default() }
    }

    /// Names the image (`repo[:tag]`).
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// A commit message.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// The author (`Name <email>`).
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }

    /// Whether to pause the container while committing (daemon default:
    /// yes).
    pub fn pause(mut self, pause: bool) -> Self {
        self.pause = Some(pause);
        self
    }

    /// A Dockerfile instruction to apply (`CMD ["sh"]`, `LABEL a=b`).
    pub fn change(mut self, instruction: impl Into<String>) -> Self {
        self.changes.push(instruction.into());
        self
    }

    /// The new image's container configuration (`ContainerConfig` JSON:
    /// `Cmd`, `Env`, `Labels`...), sent as the body.
    pub fn config(mut self, config: serde_json::Value) -> Self {
        self.config = Some(config);
        self
    }
}

/// `POST /commit`.
pub fn commit(opts: &CommitOptions) -> Result<ApiRequest> {
    let container = segment("container", &opts.container)?;
    let mut req = ApiRequest::post("/commit")
        .query("container", container)
        .query_opt("comment", opts.comment.as_ref())
        .query_opt("author", opts.author.as_ref())
        .query_flag("pause", opts.pause);
    if let Some(r) = &opts.reference {
        let reference = Reference::parse(r)?;
        if reference.digest().is_some() {
            return Err(Error::invalid("commit reference", format!("{r:?}: cannot have a digest")));
        }
        req = req.query("repo", reference.repository()).query_opt("tag", reference.tag());
    }
    for change in &opts.changes {
        req = req.query("changes", change);
    }
    req.json(opts.config.as_ref().unwrap_or(&serde_json::json!({})))
}

/// Options of a pull (`POST /images/create?fromImage=`).
///
/// ```
/// use dockhand::api::PullOptions;
/// let req = dockhand::api::images::pull(&PullOptions::new("localhost:5000/app:1"))?;
/// assert_eq!(
///     req.path_and_query(dockhand::ApiVersion::MIN),
///     "/v1.41/images/create?fromImage=localhost%3A5000%2Fapp&tag=1"
/// );
/// assert!(dockhand::api::images::pull(&PullOptions::new("App")).is_err());
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullOptions {
    image: String,
    all_tags: bool,
    platform: Option<String>,
    auth: Option<AuthConfig>,
}

impl PullOptions {
    /// Pulls `image`: `name`, `name:tag` or `name@sha256:...`. Without a
    /// tag or digest, `latest`.
    pub fn new(image: impl Into<String>) -> Self {
        PullOptions { image: image.into(), ..Default::default() }
    }

    /// Every tag of the repository (the reference must have no tag).
    pub fn all_tags(mut self, yes: bool) -> Self {
        self.all_tags = yes;
        self
    }

    /// The platform (`linux/arm64`).
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }

    /// Credentials for the registry, instead of those the client finds
    /// itself (see [`RegistryCredentials`](crate::credentials::RegistryCredentials));
    /// `AuthConfig::default()` pulls anonymously.
    pub fn auth(mut self, auth: AuthConfig) -> Self {
        self.auth = Some(auth);
        self
    }
}

/// The options of a call that talks to a registry for one image (pull,
/// push): what the client needs to add the stored credentials.
#[cfg(feature = "native")]
pub(crate) trait RegistryCall: Sized {
    /// The image's reference.
    fn image(&self) -> &str;
    /// Whether the caller gave credentials.
    fn has_auth(&self) -> bool;
    /// With these credentials.
    fn with_auth(self, auth: AuthConfig) -> Self;
}

#[cfg(feature = "native")]
impl RegistryCall for PullOptions {
    fn image(&self) -> &str {
        &self.image
    }
    fn has_auth(&self) -> bool {
        self.auth.is_some()
    }
    fn with_auth(self, auth: AuthConfig) -> Self {
        self.auth(auth)
    }
}

/// `POST /images/create?fromImage=...`: pulls an image. Without
/// credentials, no `X-Registry-Auth` header is sent.
pub fn pull(opts: &PullOptions) -> Result<ApiRequest> {
    let reference = Reference::parse(&opts.image)?;
    let tag = match (reference.digest(), reference.tag(), opts.all_tags) {
        (Some(d), _, _) => Some(d.to_owned()),
        (None, Some(t), false) => Some(t.to_owned()),
        (None, Some(_), true) => {
            return Err(Error::invalid("pull", "all_tags needs a reference without a tag"));
        }
        (None, None, true) => None,
        (None, None, false) => Some("latest".to_owned()),
    };
    let req = ApiRequest::post("/images/create")
        .query("fromImage", reference.repository())
        .query_opt("tag", tag)
        .query_opt("platform", opts.platform.as_ref())
        .silence(Silence::Long);
    // Without credentials, no header: the daemon pulls anonymously.
    match &opts.auth {
        Some(auth) => with_auth(req, Some(auth)),
        None => Ok(req),
    }
}

/// Options of `POST /images/{name}/push`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushOptions {
    image: String,
    platform: Option<String>,
    auth: Option<AuthConfig>,
}

impl PushOptions {
    /// Pushes `image` (`registry/name:tag`; without a tag, every tag of the
    /// repository).
    pub fn new(image: impl Into<String>) -> Self {
        PushOptions { image: image.into(), ..Default::default() }
    }

    /// Push only this platform's variant (OCI platform JSON; API 1.46+).
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }

    /// Credentials for the registry, instead of those the client finds
    /// itself (see [`RegistryCredentials`](crate::credentials::RegistryCredentials));
    /// `AuthConfig::default()` pushes anonymously.
    pub fn auth(mut self, auth: AuthConfig) -> Self {
        self.auth = Some(auth);
        self
    }
}

#[cfg(feature = "native")]
impl RegistryCall for PushOptions {
    fn image(&self) -> &str {
        &self.image
    }
    fn has_auth(&self) -> bool {
        self.auth.is_some()
    }
    fn with_auth(self, auth: AuthConfig) -> Self {
        self.auth(auth)
    }
}

/// `POST /images/{name}/push`. Without credentials, `X-Registry-Auth`
/// carries an empty object (`{}`): the daemon refuses a push without the
/// header.
pub fn push(opts: &PushOptions) -> Result<ApiRequest> {
    let reference = Reference::parse(&opts.image)?;
    if reference.digest().is_some() {
        return Err(Error::invalid("push", format!("{:?}: push a tag, not a digest", opts.image)));
    }
    let mut req = ApiRequest::post(format!("/images/{}/push", segment("image name", &reference.repository())?))
        .query_opt("tag", reference.tag())
        .silence(Silence::Long);
    if let Some(p) = &opts.platform {
        // v1.46: "`POST /images/{name}/push` now supports a `platform` parameter".
        req = req.query_since(V1_46, "platform", p);
    }
    with_auth(req, opts.auth.as_ref())
}

/// `GET /images/{name}/get`: one image (and its tags) as a tar archive.
/// `platform` (OCI platform JSON) is sent to API 1.48+ only.
pub fn export(name: &str, platform: Option<&str>) -> Result<ApiRequest> {
    let mut req = ApiRequest::get(format!("/images/{}/get", image_segment(name)?));
    if let Some(p) = platform {
        // v1.48: `GET /images/{name}/get` supports `platform` (several: v1.52).
        req = req.query_since(V1_48, "platform", p);
    }
    Ok(req)
}

/// `GET /images/get?names=...`: several images in one tar archive.
pub fn export_many<S: AsRef<str>>(names: &[S]) -> Result<ApiRequest> {
    if names.is_empty() {
        return Err(Error::invalid("image names", "save needs at least one image"));
    }
    let mut req = ApiRequest::get("/images/get");
    for name in names {
        req = req.query("names", validate_image_name(name.as_ref())?);
    }
    Ok(req)
}

/// `POST /images/load`: loads images from a tar archive (as
/// [`export`] makes). `quiet` suppresses progress messages.
pub fn load(tar: Body, quiet: bool, platform: Option<&str>) -> ApiRequest {
    let mut req = ApiRequest::post("/images/load").query_flag("quiet", quiet.then_some(true));
    if let Some(p) = platform {
        // v1.48: `POST /images/load` supports `platform` (several: v1.52).
        req = req.query_since(V1_48, "platform", p);
    }
    req.body("application/x-tar", tar).silence(Silence::Long)
}

/// `GET /distribution/{name}/json`: asks the registry for an image's
/// manifest descriptor and platforms, without pulling.
pub fn distribution_inspect(image: &str, auth: Option<&AuthConfig>) -> Result<ApiRequest> {
    Reference::parse(image)?;
    let req = ApiRequest::get(format!("/distribution/{}/json", segment("image name", image)?));
    match auth {
        Some(auth) => with_auth(req, Some(auth)),
        None => Ok(req),
    }
}

/// Options of `GET /images/{name}/attestations` (API 1.55).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttestationOptions {
    platform: Option<String>,
    types: Vec<String>,
    statement: bool,
}

impl AttestationOptions {
    /// The host platform's attestations, descriptors only.
    pub fn new() -> Self {
        Self::default()
    }

    /// The platform's variant (OCI platform JSON).
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }

    /// Only statements of this predicate type URI (repeatable).
    pub fn predicate_type(mut self, uri: impl Into<String>) -> Self {
        self.types.push(uri.into());
        self
    }

    /// Include each statement's body.
    pub fn statement(mut self, yes: bool) -> Self {
        self.statement = yes;
        self
    }
}

/// `GET /images/{name}/attestations`. The endpoint and its parameters
/// belong to API 1.55 ([`ATTESTATIONS_SINCE`]); the client refuses the call
/// on older daemons.
pub fn attestations(name: &str, opts: &AttestationOptions) -> Result<ApiRequest> {
    let mut req = ApiRequest::get(format!("/images/{}/attestations", image_segment(name)?));
    if let Some(p) = &opts.platform {
        req = req.query_since(ATTESTATIONS_SINCE, "platform", p);
    }
    for t in &opts.types {
        req = req.query_since(ATTESTATIONS_SINCE, "type", t);
    }
    if opts.statement {
        req = req.query_since(ATTESTATIONS_SINCE, "statement", 1);
    }
    Ok(req)
}

typed_filters! {
    /// Typed filters of `POST /build/prune`.
    pub struct BuildCacheFilters {
        /// Records unused since this time (timestamp or duration like `24h`).
        until = "until",
        /// The record with this id.
        id = "id",
        /// Records of this type (`regular`, `source.local`, ...).
        cache_type = "type",
        /// Records with this description.
        description = "description",
    }
}

impl BuildCacheFilters {
    /// Records in use.
    pub fn in_use(self) -> Self {
        self.other("inuse", "true")
    }

    /// Shared records.
    pub fn shared(self) -> Self {
        self.other("shared", "true")
    }

    /// Private records.
    pub fn private(self) -> Self {
        self.other("private", "true")
    }
}

/// Options of `POST /build/prune`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildCachePruneOptions {
    all: bool,
    keep_storage: Option<i64>,
    reserved_space: Option<i64>,
    max_used_space: Option<i64>,
    min_free_space: Option<i64>,
    filters: BuildCacheFilters,
}

impl BuildCachePruneOptions {
    /// Unused dangling cache only.
    pub fn new() -> Self {
        Self::default()
    }

    /// All unused cache, not only dangling records.
    pub fn all(mut self, yes: bool) -> Self {
        self.all = yes;
        self
    }

    /// Keep this many bytes: sent as `keep-storage` to daemons older than
    /// API 1.48, which renamed it `reserved-space` (and removed the old name
    /// from the spec); newer daemons get it as `reserved-space` unless
    /// [`Self::reserved_space`] is set.
    pub fn keep_storage(mut self, bytes: i64) -> Self {
        self.keep_storage = Some(bytes);
        self
    }

    /// Bytes of cache to keep (API 1.48+).
    pub fn reserved_space(mut self, bytes: i64) -> Self {
        self.reserved_space = Some(bytes);
        self
    }

    /// Most bytes the cache may use (API 1.48+).
    pub fn max_used_space(mut self, bytes: i64) -> Self {
        self.max_used_space = Some(bytes);
        self
    }

    /// Bytes to leave free on disk (API 1.48+).
    pub fn min_free_space(mut self, bytes: i64) -> Self {
        self.min_free_space = Some(bytes);
        self
    }

    /// Only records matching these filters.
    pub fn filters(mut self, filters: BuildCacheFilters) -> Self {
        self.filters = filters;
        self
    }
}

/// `POST /build/prune`.
pub fn build_cache_prune(opts: &BuildCachePruneOptions) -> Result<ApiRequest> {
    let mut req = ApiRequest::post("/build/prune").query_flag("all", opts.all.then_some(true));
    // v1.48: "`POST /build/prune` renames `keep-storage` to `reserved-space`
    // and now supports additional prune parameters `max-used-space` and
    // `min-free-space`"; `keep-storage` is absent from the v1.56 spec.
    if let Some(k) = opts.keep_storage {
        req = req.query_before(V1_48, "keep-storage", k);
    }
    if let Some(v) = opts.reserved_space.or(opts.keep_storage) {
        req = req.query_since(V1_48, "reserved-space", v);
    }
    if let Some(v) = opts.max_used_space {
        req = req.query_since(V1_48, "max-used-space", v);
    }
    if let Some(v) = opts.min_free_space {
        req = req.query_since(V1_48, "min-free-space", v);
    }
    if !opts.filters.0.is_empty() {
        req = req.query_json("filters", &opts.filters.0)?;
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pq(req: Result<ApiRequest>) -> String {
        req.unwrap().path_and_query(ApiVersion::MIN)
    }

    #[test]
    fn request_shapes() {
        assert_eq!(
            pq(list(&ImageListOptions::new().all(true).shared_size(true).filters(ImageFilters::new().label("a=b")))),
            "/v1.41/images/json?all=1&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D"
        );
        assert_eq!(
            pq(inspect("team/app:1", &ImageInspectOptions::new().manifests(true))),
            "/v1.41/images/team%2Fapp:1/json"
        );
        assert_eq!(pq(tag("app", "localhost:5000/app:2")), "/v1.41/images/app/tag?repo=localhost%3A5000%2Fapp&tag=2");
        assert_eq!(
            pq(remove("app", &ImageRemoveOptions::new().force(true).noprune(true))),
            "/v1.41/images/app?force=1&noprune=1"
        );
        assert_eq!(
            pq(push(&PushOptions::new("localhost:5000/app:2"))),
            "/v1.41/images/localhost:5000%2Fapp/push?tag=2"
        );
        assert_eq!(pq(export_many(&["a:1", "b"])), "/v1.41/images/get?names=a%3A1&names=b");
        assert_eq!(
            pq(commit(&CommitOptions::new("web").reference("snap:1").pause(false).change("CMD [\"sh\"]"))),
            "/v1.41/commit?container=web&pause=0&repo=snap&tag=1&changes=CMD+%5B%22sh%22%5D"
        );
        let digest = format!("sha256:{}", "0".repeat(64));
        assert_eq!(
            pq(pull(&PullOptions::new(format!("app@{digest}")))),
            format!("/v1.41/images/create?fromImage=app&tag=sha256%3A{}", "0".repeat(64))
        );
        assert_eq!(pq(pull(&PullOptions::new("app"))), "/v1.41/images/create?fromImage=app&tag=latest");
        assert_eq!(pq(pull(&PullOptions::new("app").all_tags(true))), "/v1.41/images/create?fromImage=app");
        let attest = attestations("app", &AttestationOptions::new().statement(true)).unwrap();
        assert_eq!(attest.path_and_query(ApiVersion::MIN), "/v1.41/images/app/attestations");
        assert_eq!(attest.path_and_query(ApiVersion::MAX), "/v1.56/images/app/attestations?statement=1");
        let prune = build_cache_prune(&BuildCachePruneOptions::new().all(true).keep_storage(5).min_free_space(1));
        let prune = prune.unwrap();
        assert_eq!(prune.path_and_query(ApiVersion::MIN), "/v1.41/build/prune?all=1&keep-storage=5");
        // 1.48 renamed keep-storage to reserved-space.
        assert_eq!(
            prune.path_and_query(ApiVersion::new(1, 48)),
            "/v1.48/build/prune?all=1&reserved-space=5&min-free-space=1"
        );
    }

    #[test]
    fn hostile_names_fail_before_sending() {
        for bad in ["../containers/json", "App", "a?b", "a#b", "a b", "", "x@sha256:zz"] {
            assert!(inspect(bad, &ImageInspectOptions::new()).is_err(), "{bad}");
            assert!(remove(bad, &ImageRemoveOptions::new()).is_err(), "{bad}");
            assert!(pull(&PullOptions::new(bad)).is_err(), "{bad}");
            assert!(push(&PushOptions::new(bad)).is_err(), "{bad}");
            assert!(export(bad, None).is_err(), "{bad}");
        }
        assert!(tag("app", "x@sha256:0000000000000000000000000000000000000000000000000000000000000000").is_err());
        assert!(search(&SearchOptions::new(" ")).is_err());
        assert!(export_many::<&str>(&[]).is_err());
    }

    #[test]
    fn auth_header_is_sensitive_and_url_safe() {
        use base64::Engine as _;
        let auth = AuthConfig::password("localhost:5000", "alice", "p?>?>~~~");
        let req = push(&PushOptions::new("localhost:5000/app:1").auth(auth)).unwrap();
        assert!(!format!("{req:?}").contains("alice"), "{req:?}");
        let http = req.into_http(ApiVersion::MIN).unwrap();
        let value = http.headers()["x-registry-auth"].to_str().unwrap().to_owned();
        let json = base64::engine::general_purpose::URL_SAFE.decode(value).unwrap();
        let back: AuthConfig = serde_json::from_slice(&json).unwrap();
        assert_eq!(back.password.as_deref(), Some("p?>?>~~~"));
        // Without credentials an empty object is still sent (push needs it).
        let http = push(&PushOptions::new("a")).unwrap().into_http(ApiVersion::MIN).unwrap();
        assert_eq!(http.headers()["x-registry-auth"], "e30=");
    }
}
