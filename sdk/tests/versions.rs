//! API-version gating, checked against the two specs kept in `spec/`.
//!
//! - `representative_requests_for_1_41_and_1_56`: what a few requests with
//!   every newer option set send to a 1.41 and to a 1.56 daemon, spelled out.
//! - `every_request_sends_only_what_the_version_knows`: requests of every
//!   endpoint in `api/{images,build,containers,container_streams,exec,system}.rs`,
//!   with every option
//!   set, rendered for 1.41 and 1.56; each query parameter and header must be
//!   one the spec of that version lists for that operation.
//! - `newer_parameters_are_never_sent_ungated`: lists every query parameter
//!   of v1.56 that v1.41 lacks, and scans `sdk/src/api/*.rs` for an ungated
//!   `.query*("name"` call with such a name.
//!
//! No daemon and no network; everything is derived from files in the
//! repository, so the result is deterministic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use dockhand::api::{self, build, container_streams, containers, exec, images, system};
use dockhand::models::{AuthConfig, RegistryConfig, WaitCondition};
use dockhand::request::ApiRequest;
use dockhand::{ApiVersion, Body};

const V1_41: ApiVersion = ApiVersion::MIN;
const V1_56: ApiVersion = ApiVersion::MAX;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("sdk/ has a parent").to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// The specs.

/// An operation: method (upper case) and spec path (`/images/{name}/json`).
type Op = (String, String);

/// The query and header parameters of every operation, from the YAML text.
///
/// The specs are swagger 2.0 files with a fixed layout: a path is a key
/// indented by two spaces, a method by four, its `parameters:` list by six,
/// each parameter an item (`- `) at eight spaces whose fields (`name:`,
/// `in:`, in any order) sit at ten. Values are returned lower-cased for
/// headers (HTTP header names are case-insensitive) and as written for
/// query parameters, as `("query" | "header", name)`.
fn spec_parameters(yaml: &str) -> BTreeMap<Op, BTreeSet<(String, String)>> {
    fn field(line: &str, key: &str) -> Option<String> {
        let value = line.trim_start().trim_start_matches("- ").strip_prefix(key)?.strip_prefix(':')?;
        Some(value.trim().trim_matches('"').to_owned())
    }
    fn indent(line: &str) -> usize {
        line.len() - line.trim_start().len()
    }
    let mut ops: BTreeMap<Op, BTreeSet<(String, String)>> = BTreeMap::new();
    let (mut in_paths, mut path, mut method, mut in_params) = (false, String::new(), String::new(), false);
    let mut item: Item = (None, None);
    type Item = (Option<String>, Option<String>);
    fn flush(ops: &mut BTreeMap<Op, BTreeSet<(String, String)>>, op: Op, item: &mut Item) {
        if let (Some(name), Some(location)) = item.clone() {
            let name = if location == "header" { name.to_ascii_lowercase() } else { name };
            ops.entry(op).or_default().insert((location, name));
        }
        *item = (None, None);
    }
    for line in yaml.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with("paths:") {
            in_paths = true;
            continue;
        }
        if !in_paths {
            continue;
        }
        if indent(line) == 0 {
            flush(&mut ops, (method.clone(), path.clone()), &mut item);
            break;
        }
        if in_params && indent(line) <= 6 {
            flush(&mut ops, (method.clone(), path.clone()), &mut item);
            in_params = false;
        }
        if indent(line) == 2 && line.trim_start().starts_with('/') {
            path = line.trim().trim_end_matches(':').to_owned();
        } else if indent(line) == 4 {
            method = line.trim().trim_end_matches(':').to_ascii_uppercase();
            ops.entry((method.clone(), path.clone())).or_default();
        } else if indent(line) == 6 && line.trim() == "parameters:" {
            in_params = true;
        } else if in_params {
            if indent(line) == 8 && line.trim_start().starts_with("- ") {
                flush(&mut ops, (method.clone(), path.clone()), &mut item);
            }
            let at_item_level = indent(line) == 10 || (indent(line) == 8 && line.trim_start().starts_with("- "));
            if at_item_level {
                if let Some(name) = field(line, "name") {
                    item.0 = Some(name);
                } else if let Some(location) = field(line, "in") {
                    item.1 = Some(location);
                }
            }
        }
    }
    ops.retain(|(method, _), _| ["GET", "HEAD", "POST", "PUT", "DELETE"].contains(&method.as_str()));
    ops
}

struct Specs {
    v1_41: BTreeMap<Op, BTreeSet<(String, String)>>,
    v1_56: BTreeMap<Op, BTreeSet<(String, String)>>,
}

fn specs() -> Specs {
    let dir = repo_root().join("spec");
    Specs {
        v1_41: spec_parameters(&read(&dir.join("engine-api-v1.41.yaml"))),
        v1_56: spec_parameters(&read(&dir.join("engine-api-v1.56.yaml"))),
    }
}

impl Specs {
    fn for_version(&self, version: ApiVersion) -> &BTreeMap<Op, BTreeSet<(String, String)>> {
        if version == V1_41 { &self.v1_41 } else { &self.v1_56 }
    }

    /// `(method, path, name)` of every query parameter of v1.56 that v1.41
    /// does not have for the same operation (or at all, for a new one).
    fn newer_query_parameters(&self) -> BTreeSet<(String, String, String)> {
        let mut out = BTreeSet::new();
        for (op, params) in &self.v1_56 {
            let old = self.v1_41.get(op);
            for (location, name) in params {
                if location == "query" && !old.is_some_and(|o| o.contains(&(location.clone(), name.clone()))) {
                    out.insert((op.0.clone(), op.1.clone(), name.clone()));
                }
            }
        }
        out
    }

    /// Names of query parameters that some v1.41 operation has.
    fn old_query_names(&self) -> BTreeSet<String> {
        self.v1_41.values().flatten().filter(|(l, _)| l == "query").map(|(_, n)| n.clone()).collect()
    }
}

#[test]
fn the_spec_reader_finds_what_the_version_history_lists() {
    let specs = specs();
    // Sanity: the reader sees the whole files, not a fragment.
    assert!(specs.v1_41.len() > 90 && specs.v1_56.len() > 100, "{} / {}", specs.v1_41.len(), specs.v1_56.len());
    let images_json = &specs.v1_56[&("GET".into(), "/images/json".into())];
    for name in ["all", "filters", "shared-size", "digests", "manifests", "identity"] {
        assert!(images_json.contains(&("query".into(), name.into())), "{name} missing: {images_json:?}");
    }
    assert!(specs.v1_41[&("POST".into(), "/build".into())].contains(&("header".into(), "x-registry-config".into())));

    let newer = specs.newer_query_parameters();
    println!("query parameters of v1.56 that v1.41 lacks ({}):", newer.len());
    for (method, path, name) in &newer {
        println!("  {method} {path} {name}");
    }
    // Entries of moby's API version history (api/docs/CHANGELOG.md), one per
    // version where it added a query parameter the SDK sends.
    for (method, path, name) in [
        ("GET", "/images/json", "shared-size"),              // v1.42
        ("POST", "/containers/{id}/stop", "signal"),         // v1.42
        ("GET", "/system/df", "type"),                       // v1.42
        ("POST", "/images/{name}/push", "platform"),         // v1.46
        ("GET", "/images/json", "manifests"),                // v1.47
        ("POST", "/build/prune", "reserved-space"),          // v1.48
        ("GET", "/images/{name}/history", "platform"),       // v1.48
        ("GET", "/images/{name}/json", "platform"),          // v1.49
        ("DELETE", "/images/{name}", "platforms"),           // v1.50
        ("GET", "/system/df", "verbose"),                    // v1.52
        ("GET", "/images/json", "identity"),                 // v1.54
        ("GET", "/images/{name}/attestations", "statement"), // v1.55
    ] {
        assert!(newer.contains(&(method.into(), path.into(), name.into())), "{method} {path} {name} not found");
    }
    // And nothing 1.41 already had.
    assert!(!newer.contains(&("POST".into(), "/containers/create".into(), "platform".into())));
    assert!(!newer.contains(&("GET".into(), "/containers/{id}/stats".into(), "one-shot".into())));
}

// ---------------------------------------------------------------------------
// Requests.

/// `(key, value)` pairs of the query a daemon of `version` receives.
fn sent(req: &ApiRequest, version: ApiVersion) -> Vec<(String, String)> {
    let pq = req.path_and_query(version);
    let query = pq.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_pairs(query)
}

fn form_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("utf-8 query")
}

fn keys(req: &ApiRequest, version: ApiVersion) -> Vec<String> {
    let mut keys: Vec<String> = sent(req, version).into_iter().map(|(k, _)| k).collect();
    keys.dedup();
    keys
}

const PLATFORM: &str = r#"{"os":"linux","architecture":"arm64"}"#;

#[test]
fn representative_requests_for_1_41_and_1_56() {
    let list = images::list(
        &api::ImageListOptions::new().all(true).digests(true).shared_size(true).manifests(true).identity(true),
    )
    .unwrap();
    assert_eq!(keys(&list, V1_41), ["all", "digests"]);
    assert_eq!(keys(&list, ApiVersion::new(1, 53)), ["all", "digests", "shared-size", "manifests"]);
    assert_eq!(keys(&list, V1_56), ["all", "digests", "shared-size", "manifests", "identity"]);

    // identity alone still sends manifests: the daemon rejects it without.
    let identity = images::list(&api::ImageListOptions::new().identity(true)).unwrap();
    assert_eq!(keys(&identity, V1_56), ["manifests", "identity"]);

    let prune = images::build_cache_prune(
        &api::BuildCachePruneOptions::new().keep_storage(10).max_used_space(20).min_free_space(30),
    )
    .unwrap();
    assert_eq!(sent(&prune, V1_41), [("keep-storage".to_owned(), "10".to_owned())]);
    assert_eq!(keys(&prune, ApiVersion::new(1, 47)), ["keep-storage"]);
    assert_eq!(keys(&prune, ApiVersion::new(1, 48)), ["reserved-space", "max-used-space", "min-free-space"]);
    assert_eq!(sent(&prune, V1_56)[0], ("reserved-space".to_owned(), "10".to_owned()));
    let both =
        images::build_cache_prune(&api::BuildCachePruneOptions::new().keep_storage(1).reserved_space(2)).unwrap();
    assert_eq!(sent(&both, V1_56), [("reserved-space".to_owned(), "2".to_owned())]);

    let attest =
        images::attestations("app", &api::AttestationOptions::new().platform(PLATFORM).statement(true)).unwrap();
    assert!(keys(&attest, ApiVersion::new(1, 54)).is_empty());
    assert_eq!(keys(&attest, ApiVersion::new(1, 55)), ["platform", "statement"]);
    assert_eq!(images::ATTESTATIONS_SINCE, ApiVersion::new(1, 55));

    let stop =
        containers::stop("web", &api::StopOptions::new().timeout(Duration::from_secs(1)).signal("SIGINT")).unwrap();
    assert_eq!(keys(&stop, V1_41), ["t"]);
    assert_eq!(keys(&stop, ApiVersion::new(1, 42)), ["t", "signal"]);

    let df = system::df(&api::DfOptions::new().types([api::DfType::Image]).verbose(true));
    assert!(keys(&df, V1_41).is_empty());
    assert_eq!(keys(&df, ApiVersion::new(1, 42)), ["type"]);
    assert_eq!(keys(&df, ApiVersion::new(1, 52)), ["type", "verbose"]);

    let push = images::push(&api::PushOptions::new("localhost:5000/app:1").platform(PLATFORM)).unwrap();
    assert_eq!(keys(&push, ApiVersion::new(1, 45)), ["tag"]);
    assert_eq!(keys(&push, ApiVersion::new(1, 46)), ["tag", "platform"]);

    let inspect = images::inspect("app", &api::ImageInspectOptions::new().platform(PLATFORM)).unwrap();
    assert!(keys(&inspect, ApiVersion::new(1, 48)).is_empty());
    assert_eq!(keys(&inspect, ApiVersion::new(1, 49)), ["platform"]);

    let remove = images::remove("app", &api::ImageRemoveOptions::new().force(true).platform(PLATFORM)).unwrap();
    assert_eq!(keys(&remove, ApiVersion::new(1, 49)), ["force"]);
    assert_eq!(keys(&remove, ApiVersion::new(1, 50)), ["force", "platforms"]);

    // Parameters 1.41 already knows are sent to it, platform included.
    let create = containers::create(&api::ContainerCreate::new("busybox").name("c").platform("linux/amd64")).unwrap();
    assert_eq!(keys(&create, V1_41), ["name", "platform"]);
    let one_shot = containers::stats("web", api::StatsMode::OneShot).unwrap();
    assert_eq!(keys(&one_shot, V1_41), ["stream", "one-shot"]);
}

fn attach_all() -> api::AttachOptions {
    api::AttachOptions::new().stream(true).logs(true).stdin(true).stdout(true).stderr(true).detach_keys("ctrl-x")
}

/// A request of every endpoint in images, build, containers, container
/// streams, exec and system, with every option set.
fn every_request() -> Vec<(&'static str, ApiRequest)> {
    let auth = || AuthConfig::password("localhost:5000", "u", "p");
    let tar = Body::empty;
    let image_filters = api::ImageFilters::new().label("a").dangling(false);
    vec![
        (
            "images::list",
            images::list(
                &api::ImageListOptions::new()
                    .all(true)
                    .filters(image_filters)
                    .shared_size(true)
                    .digests(true)
                    .manifests(true)
                    .identity(true),
            )
            .unwrap(),
        ),
        (
            "images::inspect manifests",
            images::inspect("app", &api::ImageInspectOptions::new().manifests(true)).unwrap(),
        ),
        (
            "images::inspect platform",
            images::inspect("app", &api::ImageInspectOptions::new().platform(PLATFORM)).unwrap(),
        ),
        ("images::history", images::history("app", Some(PLATFORM)).unwrap()),
        ("images::tag", images::tag("app", "app:2").unwrap()),
        (
            "images::remove",
            images::remove("app", &api::ImageRemoveOptions::new().force(true).noprune(true).platform(PLATFORM))
                .unwrap(),
        ),
        (
            "images::search",
            images::search(
                &api::SearchOptions::new("x").limit(3).filters(api::SearchFilters::new().stars(3).is_official(true)),
            )
            .unwrap(),
        ),
        ("images::prune", images::prune(&api::ImagePruneFilters::new().dangling(false).until("1h")).unwrap()),
        (
            "images::commit",
            images::commit(
                &api::CommitOptions::new("web")
                    .reference("snap:1")
                    .comment("c")
                    .author("a")
                    .pause(false)
                    .change("CMD [\"sh\"]"),
            )
            .unwrap(),
        ),
        (
            "images::import",
            images::import(
                &api::ImportOptions::new("r", "1").message("m").change("ENV A=b").platform("linux/amd64"),
                tar(),
            )
            .unwrap(),
        ),
        (
            "images::pull",
            images::pull(&api::PullOptions::new("localhost:5000/app:1").platform("linux/amd64").auth(auth())).unwrap(),
        ),
        (
            "images::push",
            images::push(&api::PushOptions::new("localhost:5000/app:1").platform(PLATFORM).auth(auth())).unwrap(),
        ),
        ("images::export", images::export("app", Some(PLATFORM)).unwrap()),
        ("images::export_many", images::export_many(&["a", "b:1"]).unwrap()),
        ("images::load", images::load(tar(), true, Some(PLATFORM))),
        ("images::distribution_inspect", images::distribution_inspect("localhost:5000/app:1", Some(&auth())).unwrap()),
        (
            "images::attestations",
            images::attestations(
                "app",
                &api::AttestationOptions::new()
                    .platform(PLATFORM)
                    .predicate_type("https://slsa.dev/provenance/v1")
                    .statement(true),
            )
            .unwrap(),
        ),
        (
            "images::build_cache_prune",
            images::build_cache_prune(
                &api::BuildCachePruneOptions::new()
                    .all(true)
                    .keep_storage(1)
                    .reserved_space(2)
                    .max_used_space(3)
                    .min_free_space(4)
                    .filters(api::BuildCacheFilters::new().until("24h")),
            )
            .unwrap(),
        ),
        (
            "build::build",
            build::build(
                &api::BuildOptions::new()
                    .tag("app:1")
                    .dockerfile("Dockerfile")
                    .build_arg("A", "b")
                    .label("k", "v")
                    .target("t")
                    .no_cache(true)
                    .pull(true)
                    .rm(true)
                    .force_rm(true)
                    .network_mode("none")
                    .platform("linux/amd64")
                    .extra_host("h:127.0.0.1")
                    .remote("http://127.0.0.1/ctx.tar")
                    .quiet(true)
                    .cache_from("app:0")
                    .memory(1)
                    .memswap(2)
                    .cpu_shares(3)
                    .cpuset_cpus("0")
                    .cpu_period(4)
                    .cpu_quota(5)
                    .shm_size(6)
                    .squash(true)
                    .outputs("type=local")
                    .builder_version(api::BuilderVersion::V1)
                    .registry_config(RegistryConfig::new().with("localhost:5000", auth())),
                tar(),
            )
            .unwrap(),
        ),
        (
            "containers::list",
            containers::list(
                &api::ContainerListOptions::new()
                    .all(true)
                    .limit(1)
                    .size(true)
                    .filters(api::ContainerFilters::new().label("a")),
            )
            .unwrap(),
        ),
        (
            "containers::create",
            containers::create(&api::ContainerCreate::new("busybox").name("c").platform("linux/amd64")).unwrap(),
        ),
        ("containers::inspect", containers::inspect("c", &api::ContainerInspectOptions::new().size(true)).unwrap()),
        ("containers::top", containers::top("c", &api::TopOptions::new().ps_args("aux")).unwrap()),
        ("containers::changes", containers::changes("c").unwrap()),
        ("containers::export", containers::export("c").unwrap()),
        ("containers::stats", containers::stats("c", api::StatsMode::OneShot).unwrap()),
        ("containers::resize", containers::resize("c", api::TtySize { height: 1, width: 2 }).unwrap()),
        ("containers::start", containers::start("c", Some("ctrl-x")).unwrap()),
        (
            "containers::stop",
            containers::stop("c", &api::StopOptions::new().timeout(Duration::from_secs(1)).signal("SIGINT")).unwrap(),
        ),
        (
            "containers::restart",
            containers::restart("c", &api::StopOptions::new().timeout(Duration::from_secs(1)).signal("SIGINT"))
                .unwrap(),
        ),
        ("containers::kill", containers::kill("c", Some("SIGTERM")).unwrap()),
        ("containers::update", containers::update("c", &api::ContainerUpdate::new().memory(1)).unwrap()),
        ("containers::rename", containers::rename("c", "d").unwrap()),
        ("containers::pause", containers::pause("c").unwrap()),
        ("containers::unpause", containers::unpause("c").unwrap()),
        ("containers::wait", containers::wait("c", Some(&WaitCondition::NextExit)).unwrap()),
        (
            "containers::remove",
            containers::remove("c", &api::ContainerRemoveOptions::new().force(true).volumes(true).link(true)).unwrap(),
        ),
        ("containers::archive_info", containers::archive_info("c", "/etc").unwrap()),
        ("containers::get_archive", containers::get_archive("c", "/etc").unwrap()),
        (
            "containers::put_archive",
            containers::put_archive(
                "c",
                "/tmp",
                &api::PutArchiveOptions::new().no_overwrite_dir_non_dir(true).copy_uid_gid(true),
                tar(),
            )
            .unwrap(),
        ),
        ("containers::prune", containers::prune(&api::ContainerPruneFilters::new().label("a")).unwrap()),
        (
            "container_streams::logs",
            container_streams::logs(
                "c",
                &api::LogsOptions::new()
                    .follow(true)
                    .stdout(true)
                    .stderr(true)
                    .since(dockhand::Timestamp::UNIX_EPOCH)
                    .until(dockhand::Timestamp::UNIX_EPOCH)
                    .timestamps(true)
                    .tail(10),
            )
            .unwrap(),
        ),
        ("container_streams::attach", container_streams::attach("c", &attach_all()).unwrap()),
        ("container_streams::attach_ws", container_streams::attach_ws("c", &attach_all()).unwrap()),
        (
            "exec::create",
            exec::create("c", &api::ExecOptions::new(["sh"]).env("A=b").attach_stdout(true).attach_stderr(true))
                .unwrap(),
        ),
        ("exec::start_detached", exec::start_detached("e").unwrap()),
        ("exec::start_attached", exec::start_attached("e", true).unwrap()),
        ("exec::resize", exec::resize("e", api::TtySize { height: 1, width: 2 }).unwrap()),
        ("exec::inspect", exec::inspect("e").unwrap()),
        ("system::version", system::version()),
        ("system::info", system::info()),
        (
            "system::events",
            system::events(
                &api::EventsOptions::new()
                    .since(dockhand::Timestamp::UNIX_EPOCH)
                    .until(dockhand::Timestamp::UNIX_EPOCH)
                    .filters(api::EventFilters::new().event("start")),
            )
            .unwrap(),
        ),
        ("system::df", system::df(&api::DfOptions::new().types([api::DfType::Image]).verbose(true))),
        ("system::auth", system::auth(&auth()).unwrap()),
    ]
}

/// The spec operation a concrete path belongs to: same number of segments,
/// every literal segment equal, the most literal segments winning
/// (`/images/json` is `GET /images/json`, not `GET /images/{name}`).
fn operation<'a>(
    spec: &'a BTreeMap<Op, BTreeSet<(String, String)>>,
    method: &str,
    path: &str,
) -> Option<(&'a Op, &'a BTreeSet<(String, String)>)> {
    let segments: Vec<&str> = path.split('/').collect();
    spec.iter()
        .filter(|((m, _), _)| m == method)
        .filter_map(|(op, params)| {
            let template: Vec<&str> = op.1.split('/').collect();
            if template.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (t, s) in template.iter().zip(&segments) {
                if t.starts_with('{') {
                    continue;
                }
                if t != s {
                    return None;
                }
                literal += 1;
            }
            Some((literal, op, params))
        })
        .max_by_key(|(literal, _, _)| *literal)
        .map(|(_, op, params)| (op, params))
}

/// Headers the daemon reads though the specs do not list them, with where
/// the daemon reads them. Not version-gated: the handler reads them on every
/// version it serves.
const UNLISTED_HEADERS: &[(&str, &str, &str, &str)] = &[(
    "GET",
    "/distribution/{name}/json",
    "x-registry-auth",
    "moby daemon/server/router/distribution/distribution_routes.go: getDistributionInfo decodes registry.AuthHeader",
)];

#[test]
fn every_request_sends_only_what_the_version_knows() {
    let specs = specs();
    let mut failures = Vec::new();
    let mut checked = 0;
    for version in [V1_41, V1_56] {
        let spec = specs.for_version(version);
        for (what, req) in every_request() {
            let method = req.method().as_str().to_owned();
            let pq = req.path_and_query(version);
            let path = pq.split('?').next().unwrap().strip_prefix(&format!("/v{version}")).unwrap().to_owned();
            let query = sent(&req, version);
            let Some((op, params)) = operation(spec, &method, &path) else {
                // An endpoint this version does not have: nothing newer than
                // it may be sent (the client refuses such calls anyway).
                if !query.is_empty() {
                    failures.push(format!("{version} {what}: {method} {path} is not in the spec, yet sends {query:?}"));
                }
                continue;
            };
            for (key, _) in &query {
                checked += 1;
                if !params.contains(&("query".to_owned(), key.clone())) {
                    failures.push(format!("{version} {what}: {} {} has no query parameter {key:?}", op.0, op.1));
                }
            }
            let http = req.into_http(version).unwrap();
            for name in http.headers().keys() {
                if name == http::header::CONTENT_TYPE {
                    continue;
                }
                checked += 1;
                let unlisted =
                    UNLISTED_HEADERS.iter().any(|(m, p, h, _)| *m == op.0 && *p == op.1 && *h == name.as_str());
                if !unlisted && !params.contains(&("header".to_owned(), name.as_str().to_owned())) {
                    failures.push(format!("{version} {what}: {} {} has no header {name}", op.0, op.1));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} parameters checked");
    assert!(failures.is_empty(), "parameters the daemon's spec does not list:\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// The source scan.

/// `(file, line, method, name)` of every ungated query call in `source`:
/// `.query("name"`, `.query_opt("name"`, `.query_flag("name"` and
/// `.query_json("name"` (whitespace allowed after the parenthesis), outside
/// comments. `query_since` and `query_before` calls carry a version and are
/// not listed.
fn ungated_calls(file: &str, source: &str) -> Vec<(String, usize, String, String)> {
    let mut out = Vec::new();
    let code: String =
        source.lines().map(|l| if l.trim_start().starts_with("//") { "" } else { l }).collect::<Vec<_>>().join("\n");
    for method in ["query", "query_opt", "query_flag", "query_json"] {
        let needle = format!(".{method}(");
        let mut from = 0;
        while let Some(at) = code[from..].find(&needle) {
            let start = from + at + needle.len();
            from = start;
            let rest = code[start..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else { continue };
            let Some(end) = rest.find('"') else { continue };
            let line = code[..start].matches('\n').count() + 1;
            out.push((file.to_owned(), line, method.to_owned(), rest[..end].to_owned()));
        }
    }
    out
}

#[test]
fn the_scan_sees_calls_and_skips_gated_ones() {
    let src = "let r = req\n    .query(\"a\", 1)\n    .query_opt(\n        \"b\", x)\n    // .query(\"c\", 1)\n    .query_since(V, \"d\", 1)\n    .query_before(V, \"e\", 1)\n    .query_flag(\"f\", y).query_json(\"g\", &z);";
    let names: Vec<String> = ungated_calls("x.rs", src).into_iter().map(|c| c.3).collect();
    assert_eq!(names, ["a", "b", "f", "g"]);
}

#[test]
fn newer_parameters_are_never_sent_ungated() {
    let specs = specs();
    let newer = specs.newer_query_parameters();
    let old_names = specs.old_query_names();
    // A name new to some operation but used by none in 1.41 must never be
    // sent ungated. A name that some 1.41 operation has (`platform`,
    // `signal`, `version`, ...) may be sent ungated to that operation;
    // `every_request_sends_only_what_the_version_knows` checks those per
    // operation.
    let never_ungated: BTreeSet<&str> =
        newer.iter().map(|(_, _, n)| n.as_str()).filter(|n| !old_names.contains(*n)).collect();
    let ambiguous: BTreeSet<&str> =
        newer.iter().map(|(_, _, n)| n.as_str()).filter(|n| old_names.contains(*n)).collect();
    println!("new in 1.42..1.56 and unknown to every 1.41 operation: {never_ungated:?}");
    println!("new for some operations, known to others in 1.41: {ambiguous:?}");
    assert!(never_ungated.contains("shared-size") && never_ungated.contains("reserved-space"));

    let dir = repo_root().join("sdk/src/api");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    let mut calls = 0;
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for (file, line, method, param) in ungated_calls(&name, &read(file)) {
            calls += 1;
            if never_ungated.contains(param.as_str()) {
                let ops: Vec<String> =
                    newer.iter().filter(|(_, _, n)| *n == param).map(|(m, p, _)| format!("{m} {p}")).collect();
                failures.push(format!(
                    "sdk/src/api/{file}:{line}: .{method}(\"{param}\") is not in API 1.41 ({}); use query_since",
                    ops.join(", ")
                ));
            }
        }
    }
    assert!(calls > 50, "only {calls} query calls found: is the scan broken?");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
