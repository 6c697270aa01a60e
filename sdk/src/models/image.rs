//! Models of images and the build cache.

use std::collections::HashMap;

use crate::Timestamp;
use serde::{Deserialize, Serialize};

use super::timestamp;

/// One entry of `GET /images/json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageSummary {
    /// The image's id (`sha256:...`).
    pub id: String,
    /// The parent image's id, if any.
    pub parent_id: String,
    /// Its tags (`busybox:latest`).
    #[serde(deserialize_with = "super::nullable")]
    pub repo_tags: Vec<String>,
    /// Its digests (`busybox@sha256:...`).
    #[serde(deserialize_with = "super::nullable")]
    pub repo_digests: Vec<String>,
    /// When it was created.
    #[serde(with = "timestamp::unix")]
    pub created: Option<Timestamp>,
    /// Its size in bytes, layers included.
    pub size: i64,
    /// Bytes shared with other images (`-1` when not computed).
    pub shared_size: i64,
    /// Its virtual size (removed in later API versions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_size: Option<i64>,
    /// Its labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// Containers using it (`-1` when not computed).
    pub containers: i64,
    /// The OCI descriptor of the image target (API 1.48+, containerd store).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<OciDescriptor>,
    /// Per-platform manifests, when asked for (API 1.47+).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub manifests: Vec<ImageManifestSummary>,
}

string_enum! {
    /// What a manifest of a multi-platform image is.
    pub enum ManifestKind {
        /// An image manifest: can run.
        Image = "image",
        /// An attestation manifest.
        Attestation = "attestation",
        /// Something else.
        Other = "unknown",
    }
}

/// One manifest of an image index (`ImageSummary.Manifests`, API 1.47+).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageManifestSummary {
    /// The manifest's content-addressable id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its descriptor.
    #[serde(deserialize_with = "super::nullable")]
    pub descriptor: OciDescriptor,
    /// Whether its content is all available locally.
    pub available: bool,
    /// Its sizes.
    #[serde(deserialize_with = "super::nullable")]
    pub size: ManifestSize,
    /// What it is.
    pub kind: ManifestKind,
    /// For an image manifest: platform, containers, size (kept as sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_data: Option<serde_json::Value>,
    /// For an attestation manifest: what it attests (kept as sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestation_data: Option<serde_json::Value>,
}

/// The sizes of an [`ImageManifestSummary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ManifestSize {
    /// All content, locally available or not.
    pub total: i64,
    /// Content held locally.
    pub content: i64,
}

/// A build cache record (`/system/df`, build cache prune).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BuildCache {
    /// The record's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its parent (API before 1.42; later daemons send `Parents`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub parent: String,
    /// Its parents.
    pub parents: Option<Vec<String>>,
    /// `internal`, `frontend`, `source.local`, `source.git.checkout`,
    /// `exec.cachemount`, `regular`.
    #[serde(rename = "Type")]
    pub typ: String,
    /// What produced it.
    pub description: String,
    /// Whether it is in use.
    pub in_use: bool,
    /// Whether it is shared.
    pub shared: bool,
    /// Its size in bytes.
    pub size: i64,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created_at: Option<Timestamp>,
    /// When it was last used.
    #[serde(with = "timestamp::rfc3339")]
    pub last_used_at: Option<Timestamp>,
    /// How often it was used.
    pub usage_count: i64,
}

/// The answer of `GET /images/{name}/json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageInspect {
    /// The content-addressable id (`sha256:...`).
    pub id: String,
    /// The OCI descriptor of the image target (API 1.48+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<OciDescriptor>,
    /// Its tags.
    #[serde(deserialize_with = "super::nullable")]
    pub repo_tags: Vec<String>,
    /// Its manifest digests (`repo@sha256:...`).
    #[serde(deserialize_with = "super::nullable")]
    pub repo_digests: Vec<String>,
    /// The parent image's id (legacy builder; removed in later versions).
    pub parent: String,
    /// A commit message.
    pub comment: String,
    /// When it was created.
    #[serde(with = "timestamp::rfc3339")]
    pub created: Option<Timestamp>,
    /// Its author.
    pub author: String,
    /// The container it was committed from (empty from API 1.45 on, which
    /// removed the field).
    pub container: String,
    /// The configuration of the container it was committed from (removed
    /// in API 1.45: `None` from daemons speaking 1.45 or later; read
    /// [`ImageInspect::config`] instead).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_config: Option<ImageConfig>,
    /// The version of Docker that built it (deprecated).
    pub docker_version: String,
    /// Its configuration: command, environment, labels...
    pub config: Option<ImageConfig>,
    /// CPU architecture (`amd64`).
    pub architecture: String,
    /// CPU variant (`v7`).
    pub variant: String,
    /// Operating system (`linux`).
    pub os: String,
    /// Operating system version (Windows).
    pub os_version: String,
    /// Its size in bytes, layers included.
    pub size: i64,
    /// Its virtual size (API 1.41; removed later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_size: Option<i64>,
    /// The storage driver's data.
    pub graph_driver: Option<GraphDriverData>,
    /// The layers.
    #[serde(rename = "RootFS")]
    pub root_fs: Option<RootFs>,
    /// Local metadata.
    pub metadata: Option<ImageMetadata>,
    /// Per-platform manifests, when asked for
    /// ([`ImageInspectOptions::manifests`](crate::api::ImageInspectOptions::manifests),
    /// API 1.48, daemons with the containerd image store).
    #[serde(deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub manifests: Vec<ImageManifestSummary>,
}

/// The configuration an image gives its containers (`ImageInspect.Config`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageConfig {
    /// The default user.
    pub user: String,
    /// Exposed ports (`80/tcp`), keys of an object of empty objects.
    #[serde(deserialize_with = "super::nullable")]
    pub exposed_ports: HashMap<String, serde_json::Value>,
    /// Environment (`KEY=value`).
    #[serde(deserialize_with = "super::nullable")]
    pub env: Vec<String>,
    /// The default command.
    #[serde(deserialize_with = "super::nullable")]
    pub cmd: Vec<String>,
    /// The health check, as the daemon sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<serde_json::Value>,
    /// Whether the command is already escaped (Windows).
    pub args_escaped: bool,
    /// Volumes, keys of an object of empty objects.
    #[serde(deserialize_with = "super::nullable")]
    pub volumes: HashMap<String, serde_json::Value>,
    /// The working directory.
    pub working_dir: String,
    /// The entrypoint.
    #[serde(deserialize_with = "super::nullable")]
    pub entrypoint: Vec<String>,
    /// `ONBUILD` instructions.
    #[serde(deserialize_with = "super::nullable")]
    pub on_build: Vec<String>,
    /// Labels.
    #[serde(deserialize_with = "super::nullable")]
    pub labels: HashMap<String, String>,
    /// The stop signal.
    pub stop_signal: String,
    /// The shell of `RUN` (Windows).
    #[serde(deserialize_with = "super::nullable")]
    pub shell: Vec<String>,
}

/// A storage driver's name and data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct GraphDriverData {
    /// The driver (`overlay2`).
    pub name: String,
    /// Driver-specific data (paths).
    #[serde(deserialize_with = "super::nullable")]
    pub data: HashMap<String, String>,
}

/// An image's layers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct RootFs {
    /// `layers`.
    #[serde(rename = "Type")]
    pub typ: String,
    /// The layers' diff ids, bottom first.
    #[serde(deserialize_with = "super::nullable")]
    pub layers: Vec<String>,
}

/// Local metadata of an image.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageMetadata {
    /// When it was last tagged.
    #[serde(with = "timestamp::rfc3339")]
    pub last_tag_time: Option<Timestamp>,
}

/// An OCI content descriptor.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct OciDescriptor {
    /// The media type.
    pub media_type: String,
    /// The content's digest.
    pub digest: String,
    /// The content's size.
    pub size: i64,
    /// Download locations.
    #[serde(deserialize_with = "super::nullable")]
    pub urls: Vec<String>,
    /// Annotations.
    #[serde(deserialize_with = "super::nullable")]
    pub annotations: HashMap<String, String>,
    /// The platform, for manifests of an index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<OciPlatform>,
    /// The artifact type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
}

/// An OCI platform.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OciPlatform {
    /// CPU architecture (`amd64`).
    pub architecture: String,
    /// Operating system (`linux`).
    pub os: String,
    /// Operating system version.
    #[serde(rename = "os.version", skip_serializing_if = "String::is_empty")]
    pub os_version: String,
    /// Operating system features.
    #[serde(rename = "os.features", deserialize_with = "super::nullable", skip_serializing_if = "Vec::is_empty")]
    pub os_features: Vec<String>,
    /// CPU variant (`v8`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub variant: String,
}

/// One layer of `GET /images/{name}/history`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct HistoryItem {
    /// The layer's image id, or `<missing>`.
    pub id: String,
    /// When it was created.
    #[serde(with = "timestamp::unix")]
    pub created: Option<Timestamp>,
    /// The instruction that made it.
    pub created_by: String,
    /// Tags pointing at it.
    #[serde(deserialize_with = "super::nullable")]
    pub tags: Vec<String>,
    /// Its size in bytes.
    pub size: i64,
    /// Its comment.
    pub comment: String,
}

/// One entry of `DELETE /images/{name}` or of a prune report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageDeleteItem {
    /// A reference that was untagged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untagged: Option<String>,
    /// An image id that was deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<String>,
}

/// The answer of `POST /images/prune`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImagePruneReport {
    /// What was untagged and deleted.
    #[serde(deserialize_with = "super::nullable")]
    pub images_deleted: Vec<ImageDeleteItem>,
    /// Bytes freed.
    pub space_reclaimed: i64,
}

/// The answer of `POST /build/prune`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BuildCachePruneReport {
    /// Ids of the removed cache records.
    #[serde(deserialize_with = "super::nullable")]
    pub caches_deleted: Vec<String>,
    /// Bytes freed.
    pub space_reclaimed: i64,
}

/// One result of `GET /images/search`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ImageSearchResult {
    /// The repository's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Whether it is an official image.
    pub is_official: bool,
    /// Whether it is an automated build (deprecated, always false).
    pub is_automated: bool,
    /// Its stars.
    pub star_count: i64,
}

/// The answer of `POST /commit` (and other "created an object" answers).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct IdResponse {
    /// The new object's id.
    #[serde(rename = "Id", alias = "ID")]
    pub id: String,
}

/// The answer of `GET /distribution/{name}/json`: what a registry holds for
/// a reference, without pulling it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DistributionInspect {
    /// The manifest or index descriptor.
    #[serde(deserialize_with = "super::nullable")]
    pub descriptor: OciDescriptor,
    /// The platforms it is available for.
    #[serde(deserialize_with = "super::nullable")]
    pub platforms: Vec<OciPlatform>,
}

/// One in-toto statement of `GET /images/{name}/attestations` (API 1.55).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct AttestationStatement {
    /// The descriptor of the statement's layer.
    #[serde(deserialize_with = "super::nullable")]
    pub descriptor: OciDescriptor,
    /// The in-toto predicate type URI.
    pub predicate_type: String,
    /// The statement itself, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_from_a_1_41_daemon() {
        let json = r#"{"Id":"sha256:ab","RepoTags":["a:1"],"RepoDigests":null,"Parent":"","Comment":"",
            "Created":"2026-11-27T18:00:00.123456789Z","Container":"","DockerVersion":"20.10.24",
            "Config":{"Env":["PATH=/bin"],"Cmd":["sh"],"Labels":null,"ExposedPorts":{"80/tcp":{}}},
            "Architecture":"amd64","Os":"linux","Size":5,"VirtualSize":5,
            "GraphDriver":{"Name":"overlay2","Data":{"MergedDir":"/x"}},
            "RootFS":{"Type":"layers","Layers":["sha256:cd"]},"Metadata":{"LastTagTime":"0001-01-01T00:00:00Z"}}"#;
        let i: ImageInspect = serde_json::from_str(json).unwrap();
        assert_eq!(i.repo_tags, ["a:1"]);
        assert!(i.repo_digests.is_empty());
        let config = i.config.unwrap();
        assert_eq!(config.cmd, ["sh"]);
        assert!(config.exposed_ports.contains_key("80/tcp"));
        assert_eq!(i.root_fs.unwrap().layers, ["sha256:cd"]);
        assert!(i.created.is_some());
    }

    #[test]
    fn summaries_with_manifests_and_unknown_kinds() {
        let json = r#"[{"Id":"sha256:a","ParentId":"","RepoTags":null,"RepoDigests":null,"Created":1700000000,
            "Size":1,"SharedSize":-1,"Labels":null,"Containers":-1,
            "Manifests":[{"ID":"sha256:m","Descriptor":{"mediaType":"x","digest":"sha256:m","size":2},
            "Available":true,"Size":{"Total":5,"Content":3},"Kind":"sbom-of-the-future"}]}]"#;
        let list: Vec<ImageSummary> = serde_json::from_str(json).unwrap();
        assert!(list[0].repo_tags.is_empty());
        let m = &list[0].manifests[0];
        assert_eq!(m.size.content, 3);
        assert_eq!(m.kind, ManifestKind::Unknown("sbom-of-the-future".into()));
    }

    #[test]
    fn a_containerd_store_inspect_has_descriptor_and_manifests_and_no_container_config() {
        // Shaped as dockerd 28 with the containerd image store answers
        // `GET /images/{name}/json?manifests=1` (API 1.48).
        let json = r#"{"Id":"sha256:a","RepoTags":["app:1"],"Size":5,
            "Descriptor":{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:i","size":856},
            "Manifests":[{"ID":"sha256:m","Descriptor":{"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "digest":"sha256:m","size":2,"platform":{"architecture":"amd64","os":"linux"}},
            "Available":true,"Size":{"Total":5,"Content":3},"Kind":"image",
            "ImageData":{"Platform":{"architecture":"amd64","os":"linux"},"Containers":[],"Size":{"Unpacked":9}}}]}"#;
        let i: ImageInspect = serde_json::from_str(json).unwrap();
        let d = i.descriptor.unwrap();
        assert_eq!(
            (d.media_type.as_str(), d.digest.as_str(), d.size),
            ("application/vnd.oci.image.index.v1+json", "sha256:i", 856)
        );
        assert_eq!(i.manifests.len(), 1);
        assert_eq!(i.manifests[0].descriptor.platform.as_ref().unwrap().architecture, "amd64");
        assert_eq!((i.container_config, i.virtual_size, i.container.as_str()), (None, None, ""));

        // A 1.41 daemon: no Descriptor or Manifests, but ContainerConfig and VirtualSize.
        let json = r#"{"Id":"sha256:a","Container":"c1","ContainerConfig":{"Cmd":["sh"]},"Size":5,"VirtualSize":5}"#;
        let i: ImageInspect = serde_json::from_str(json).unwrap();
        assert_eq!((i.descriptor, i.manifests.len(), i.virtual_size), (None, 0, Some(5)));
        assert_eq!((i.container.as_str(), i.container_config.unwrap().cmd), ("c1", vec!["sh".to_owned()]));
    }

    #[test]
    fn containers_read_the_image_manifest_descriptor_when_sent() {
        use crate::models::{ContainerInspect, ContainerSummary};
        let d = r#"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:m","size":2}"#;
        let inspect: ContainerInspect =
            serde_json::from_str(&format!(r#"{{"Id":"c","ImageManifestDescriptor":{d}}}"#)).unwrap();
        assert_eq!(inspect.image_manifest_descriptor.unwrap().digest, "sha256:m");
        let summary: ContainerSummary =
            serde_json::from_str(&format!(r#"{{"Id":"c","ImageManifestDescriptor":{d}}}"#)).unwrap();
        assert_eq!(summary.image_manifest_descriptor.unwrap().size, 2);
        let old: ContainerInspect = serde_json::from_str(r#"{"Id":"c"}"#).unwrap();
        assert_eq!(old.image_manifest_descriptor, None);
    }

    #[test]
    fn delete_and_prune_reports() {
        let items: Vec<ImageDeleteItem> =
            serde_json::from_str(r#"[{"Untagged":"a:1"},{"Deleted":"sha256:ab"}]"#).unwrap();
        assert_eq!(items[0].untagged.as_deref(), Some("a:1"));
        assert_eq!(items[1].deleted.as_deref(), Some("sha256:ab"));
        let r: ImagePruneReport = serde_json::from_str(r#"{"ImagesDeleted":null,"SpaceReclaimed":0}"#).unwrap();
        assert!(r.images_deleted.is_empty());
        let r: BuildCachePruneReport = serde_json::from_str(r#"{"CachesDeleted":["x"],"SpaceReclaimed":3}"#).unwrap();
        assert_eq!(r.caches_deleted, ["x"]);
    }
}
