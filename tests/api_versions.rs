//! What changed in the Engine API from 1.42 to 1.51, against the daemon
//! `DOCKER_HOST` names (CI runs this file against dockerd 20.10, 26.1 and
//! 28.5: API 1.41, 1.45 and 1.51).
//!
//! Each test branches on the negotiated version and prints which side of
//! the change it is on ("API 1.45 < 1.48: GwPriority"). On a daemon that has
//! the change, it asserts that the change works (the container sees the
//! stop signal asked for, the field comes back); on one that lacks it, it
//! asserts that the SDK does not send what the daemon does not know (the
//! request as rendered for the negotiated version) and that what the daemon
//! did not send reads as `None`. Nothing is skipped: every test does
//! something on every version. The changes come from moby's API version
//! history (`api/docs/CHANGELOG.md`); docs/api-versions.md has the table.
//!
//! Every object is named with `common::unique`, labelled `dockhand.test=1`
//! and removed at the end (containers also on failure, by [`Cleanup`]).

mod common;

use common::{Cleanup, busybox, create};

use std::time::{Duration, Instant};

use dockhand::api::containers as containers_api;
use dockhand::api::images as images_api;
use dockhand::api::{
    CommitOptions, ContainerCreate, ContainerListOptions, DfOptions, DfType, ExecOptions, ImageInspectOptions,
    ImageListOptions, ImageRemoveOptions, NetworkCreateOptions, StopOptions, VolumeCreateOptions, VolumePruneFilters,
};
use dockhand::models::{EndpointSettings, HealthConfig, HealthStatus, Mount};
use dockhand::stream::{Output, StdStream};
use dockhand::{ApiVersion, ContainerHandle, Docker};
use futures::{StreamExt, TryStreamExt};

const fn api(minor: u16) -> ApiVersion {
    ApiVersion::new(1, minor)
}

/// Whether `version` has the change of API `since`, said in the test's
/// output either way.
fn has(version: ApiVersion, since: ApiVersion, change: &str) -> bool {
    let yes = version >= since;
    println!("API {version} {} {since}: {change}", if yes { ">=" } else { "<" });
    yes
}

async fn negotiated(docker: &Docker) -> ApiVersion {
    let version = docker.api_version().await.expect("negotiation");
    let server = docker.version().await.expect("version");
    println!("daemon: Docker {} (API {}), negotiated API {version}", server.version, server.api_version);
    version
}

/// The container's stdout so far.
async fn stdout(c: &ContainerHandle) -> String {
    let items: Vec<Output> = tokio::time::timeout(
        Duration::from_secs(20),
        c.logs(dockhand::api::LogsOptions::new().stdout(true)).map(|o| o.expect("log item")).collect(),
    )
    .await
    .expect("logs ended");
    items.iter().filter(|o| o.stream == StdStream::Stdout).map(|o| o.text().into_owned()).collect()
}

/// Waits until the container has printed `line` `n` times.
async fn until_printed(c: &ContainerHandle, line: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = stdout(c).await;
        if out.lines().filter(|l| *l == line).count() >= n {
            return;
        }
        assert!(Instant::now() < deadline, "{line:?} not printed {n} times: {out:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A user-defined bridge network, removed when dropped.
struct Network(String);

impl Network {
    async fn create(docker: &Docker, prefix: &str) -> Network {
        let name = common::unique(prefix);
        docker
            .networks()
            .create(NetworkCreateOptions::new(&name).label(common::TEST_LABEL, "1"))
            .await
            .expect("network");
        Network(name)
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        let name = self.0.clone();
        // Not the test's client: its connections live on the test's runtime,
        // which this blocks (reusing it waited out the 120 s response timeout).
        common::on_own_runtime(move |docker| async move {
            let _ = docker.networks().get(name).remove().await;
        });
    }
}

/// v1.42: `POST /containers/{id}/stop` and `/restart` take `signal`.
#[tokio::test]
async fn stop_and_restart_send_the_signal_from_1_42() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let script = "trap 'echo got-USR1; exit 10' USR1; trap 'echo got-TERM; exit 15' TERM; echo ready; \
                  while true; do sleep 0.1; done";
    let c = create(&docker, &mut cleanup, busybox(image, "stop-signal", &["sh", "-c", script])).await;
    let opts = StopOptions::new().timeout(Duration::from_secs(20)).signal("SIGUSR1");

    let sent = containers_api::stop(c.id(), &opts).unwrap().path_and_query(version);
    let (expected_line, expected_code) = if has(version, api(42), "stop/restart signal") {
        assert!(sent.ends_with("?t=20&signal=SIGUSR1"), "{sent}");
        ("got-USR1", 10)
    } else {
        // Not sent: the daemon uses the container's stop signal, SIGTERM.
        assert!(sent.ends_with("?t=20"), "{sent}");
        ("got-TERM", 15)
    };

    c.start().await.unwrap();
    until_printed(&c, "ready", 1).await;
    assert!(c.stop_with(opts.clone()).await.unwrap().is_done());
    assert_eq!(c.wait().await.unwrap().status_code, expected_code);
    until_printed(&c, expected_line, 1).await;

    c.start().await.unwrap();
    until_printed(&c, "ready", 2).await;
    assert!(c.restart_with(opts).await.unwrap().is_done());
    until_printed(&c, "ready", 3).await;
    until_printed(&c, expected_line, 2).await;
    let out = stdout(&c).await;
    let other = if expected_line == "got-USR1" { "got-TERM" } else { "got-USR1" };
    assert!(!out.contains(other), "{out:?}");
}

/// v1.44: `HealthConfig.StartInterval`.
#[tokio::test]
async fn healthcheck_start_interval_from_1_44() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    // One check a minute, but one a second during the first minute.
    let health = HealthConfig::cmd(["true"])
        .interval(Duration::from_secs(60))
        .start_period(Duration::from_secs(60))
        .start_interval(Duration::from_secs(1));
    let spec = busybox(image, "start-interval", &["sleep", "60"]).healthcheck(health);
    let body = containers_api::create(&spec).unwrap().json_body_for(version).unwrap();
    let c = create(&docker, &mut cleanup, spec).await;
    let sent = body["Healthcheck"].get("StartInterval").cloned();
    let kept = c.inspect().await.unwrap().config.healthcheck.unwrap();
    c.start().await.unwrap();
    let started = Instant::now();

    if has(version, api(44), "HealthConfig.StartInterval") {
        assert_eq!(sent, Some(serde_json::json!(1_000_000_000)));
        assert_eq!(kept.start_interval, Some(1_000_000_000));
        // The first check runs after the start interval, not the interval.
        loop {
            let state = c.inspect().await.unwrap().state;
            if state.health.as_ref().is_some_and(|h| h.status == HealthStatus::Healthy) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "not healthy after 20 s: {state:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    } else {
        assert_eq!(sent, None, "{body}");
        assert_eq!(kept.start_interval, None);
        // The daemon checks at the interval only: nothing has run after 3 s.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let health = c.inspect().await.unwrap().state.health.unwrap();
        assert_eq!(health.status, HealthStatus::Starting, "{health:?}");
    }
}

/// v1.44: `EndpointSettings.MacAddress` at create (before: `Config.MacAddress`,
/// where the SDK moves it); v1.48: `EndpointSettings.GwPriority`, also in
/// `GET /containers/json`.
#[tokio::test]
async fn endpoint_mac_address_from_1_44_and_gw_priority_from_1_48() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let net = Network::create(&docker, "endpoint").await;
    let mut cleanup = Cleanup(Vec::new());
    let mac = "02:42:ac:dd:00:42";
    let script = "cat /sys/class/net/eth0/address; sleep 60";
    let spec = busybox(image, "endpoint", &["sh", "-c", script])
        .network_mode(&net.0)
        .endpoint(&net.0, EndpointSettings::default().mac_address(mac).gw_priority(7));
    let body = containers_api::create(&spec).unwrap().json_body_for(version).unwrap();
    let endpoint_sent = &body["NetworkingConfig"]["EndpointsConfig"][&net.0];
    let c = create(&docker, &mut cleanup, spec).await;
    c.start().await.unwrap();

    // Either way the container gets the address.
    until_printed(&c, mac, 1).await;
    let inspect = c.inspect().await.unwrap();
    let endpoint = &inspect.network_settings.networks[&net.0];
    assert_eq!(endpoint.mac_address, mac);
    if has(version, api(44), "EndpointSettings.MacAddress at create") {
        assert_eq!(endpoint_sent["MacAddress"], mac, "{body}");
        assert!(body.get("MacAddress").is_none(), "{body}");
    } else {
        assert!(endpoint_sent.get("MacAddress").is_none(), "{body}");
        assert_eq!(body["MacAddress"], mac, "{body}");
    }

    let listed = docker
        .containers()
        .list(ContainerListOptions::new().all(true).filters(dockhand::api::ContainerFilters::new().id(c.id())))
        .await
        .unwrap();
    let listed = &listed[0].network_settings.networks[&net.0];
    if has(version, api(48), "EndpointSettings.GwPriority") {
        assert_eq!(endpoint_sent["GwPriority"], 7, "{body}");
        assert_eq!(endpoint.gw_priority, Some(7));
        assert_eq!(listed.gw_priority, Some(7));
    } else {
        assert!(endpoint_sent.get("GwPriority").is_none(), "{body}");
        assert_eq!((endpoint.gw_priority, listed.gw_priority), (None, None));
    }
    // v1.45: Aliases hold only what was asked for, no longer the short id.
    let short_id = c.id()[..12].to_owned();
    if has(version, api(45), "Aliases without the short container id") {
        assert!(endpoint.aliases.is_empty(), "{endpoint:?}");
    } else {
        assert_eq!(endpoint.aliases, vec![short_id.clone()], "{endpoint:?}");
    }
    // v1.44: DNSNames.
    if has(version, api(44), "EndpointSettings.DNSNames") {
        assert!(endpoint.dns_names.contains(&short_id), "{endpoint:?}");
    } else {
        assert!(endpoint.dns_names.is_empty(), "{endpoint:?}");
    }
}

/// v1.43: `HostConfig.Annotations`; v1.46: listed by `GET /containers/json`.
#[tokio::test]
async fn annotations_from_1_43_listed_from_1_46() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let spec = busybox(image, "annotations", &["true"]).annotation("org.example.team", "api");
    let body = containers_api::create(&spec).unwrap().json_body_for(version).unwrap();
    let c = create(&docker, &mut cleanup, spec).await;
    let kept = c.inspect().await.unwrap().host_config.annotations;
    let listed = docker
        .containers()
        .list(ContainerListOptions::new().all(true).filters(dockhand::api::ContainerFilters::new().id(c.id())))
        .await
        .unwrap()
        .remove(0)
        .host_config
        .annotations;
    if has(version, api(43), "HostConfig.Annotations") {
        assert_eq!(body["HostConfig"]["Annotations"]["org.example.team"], "api");
        assert_eq!(kept.get("org.example.team").map(String::as_str), Some("api"));
    } else {
        assert!(body["HostConfig"].get("Annotations").is_none(), "{body}");
        assert!(kept.is_empty(), "{kept:?}");
    }
    if has(version, api(46), "annotations in GET /containers/json") {
        assert_eq!(listed.unwrap().get("org.example.team").map(String::as_str), Some("api"));
    } else {
        assert_eq!(listed, None);
    }
}

/// v1.44: `VirtualSize` is gone from image inspect, list and `system df`;
/// v1.45: `ContainerHandle` and `ContainerConfig` are gone from image inspect;
/// v1.51: `Containers` in the image list counts the containers.
#[tokio::test]
async fn image_fields_removed_in_1_44_and_1_45_and_counted_in_1_51() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    create(&docker, &mut cleanup, busybox(image, "image-user", &["true"])).await;
    let inspect = docker.images().get(image).inspect().await.unwrap();
    let filters = dockhand::api::ImageFilters::new().reference(image);
    let listed = docker.images().list(ImageListOptions::new().filters(filters)).await.unwrap();
    let [summary] = &listed[..] else { panic!("{listed:?}") };
    let df = docker.df(dockhand::api::DfOptions::new()).await.unwrap();
    let in_df = df.images.unwrap().into_iter().find(|i| i.id == inspect.id).expect("in df");

    if has(version, api(44), "VirtualSize removed") {
        assert_eq!((inspect.virtual_size, summary.virtual_size, in_df.virtual_size), (None, None, None));
    } else {
        assert_eq!(inspect.virtual_size, Some(inspect.size));
        assert_eq!(summary.virtual_size, Some(summary.size));
        assert_eq!(in_df.virtual_size, Some(in_df.size));
    }
    if has(version, api(45), "Container and ContainerConfig removed from image inspect") {
        assert_eq!(inspect.container_config, None);
        assert_eq!(inspect.container, "");
    } else {
        // An imported image has an empty one, but the daemon sends it.
        let config = inspect.container_config.as_ref().expect("ContainerConfig from a 1.44 or older daemon");
        assert!(config.cmd.is_empty(), "{config:?}");
    }
    if has(version, api(51), "image list counts Containers") {
        assert!(summary.containers >= 1, "{summary:?}");
    } else {
        assert_eq!(summary.containers, -1, "{summary:?}");
    }
}

/// Whether the daemon keeps images in containerd (the only store that fills
/// `Descriptor` and `Manifests`).
async fn containerd_store(docker: &Docker) -> bool {
    let info = docker.info().await.unwrap();
    info.driver_status.iter().any(|kv| kv.iter().any(|v| v.starts_with("io.containerd.snapshotter")))
}

/// v1.47: `manifests` and `Manifests` in the image list; v1.48: in image
/// inspect, and `Descriptor` in both.
#[tokio::test]
async fn image_manifests_from_1_47_and_descriptor_from_1_48() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let list_opts =
        ImageListOptions::new().manifests(true).filters(dockhand::api::ImageFilters::new().reference(image));
    let inspect_opts = ImageInspectOptions::new().manifests(true);
    let list_sent = images_api::list(&list_opts).unwrap().path_and_query(version);
    let inspect_sent = images_api::inspect(image, &inspect_opts).unwrap().path_and_query(version);
    let listed = docker.images().list(list_opts).await.unwrap().remove(0);
    let inspect = docker.images().get(image).inspect_with(inspect_opts).await.unwrap();
    let raw = docker.images().get(image).inspect_raw().await.unwrap();
    let containerd = containerd_store(&docker).await;

    assert_eq!(has(version, api(47), "image list manifests"), list_sent.contains("manifests=1"), "{list_sent}");
    assert_eq!(
        has(version, api(48), "image inspect manifests"),
        inspect_sent.contains("manifests=1"),
        "{inspect_sent}"
    );
    if version >= api(48) && containerd {
        println!("the daemon keeps images in containerd: Descriptor and Manifests are filled");
        let descriptor = inspect.descriptor.expect("Descriptor");
        assert!(descriptor.digest.starts_with("sha256:"), "{descriptor:?}");
        assert_eq!(listed.descriptor.map(|d| d.digest), Some(descriptor.digest));
        assert!(!listed.manifests.is_empty() && !inspect.manifests.is_empty());
    } else {
        // The graph-driver store (and every daemon before 1.47/1.48) does
        // not send them; the model says so rather than inventing them.
        println!("containerd image store: {containerd}; Descriptor and Manifests are not filled");
        assert!(raw.get("Descriptor").is_none() && raw.get("Manifests").is_none(), "{raw}");
        assert_eq!((inspect.descriptor, listed.descriptor), (None, None));
        assert!(inspect.manifests.is_empty() && listed.manifests.is_empty());
    }
}

/// The OCI platform JSON of the other of amd64 and arm64 than the daemon's.
async fn foreign_platform(docker: &Docker) -> String {
    let arch = docker.version().await.unwrap().arch;
    let other = if arch == "arm64" { "amd64" } else { "arm64" };
    format!(r#"{{"os":"linux","architecture":"{other}"}}"#)
}

/// v1.49: `platform` on image inspect; v1.48: on save and load. A daemon
/// that has them refuses (inspect, save) or skips (load) an image of
/// another platform; an older one is not sent the parameter and handles
/// the whole image.
#[tokio::test]
async fn platform_on_inspect_from_1_49_and_on_save_and_load_from_1_48() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let platform = foreign_platform(&docker).await;
    let handle = docker.images().get(image);

    let inspected = handle.inspect_with(ImageInspectOptions::new().platform(&platform)).await;
    if has(version, api(49), "image inspect platform") {
        let err = inspected.unwrap_err();
        assert!(err.to_string().contains("does not match the specified platform"), "{err}");
    } else {
        assert!(inspected.is_ok(), "{inspected:?}");
    }

    let saved: Result<Vec<bytes::Bytes>, _> = handle.export_for_platform(&platform).try_collect().await;
    let whole: Vec<bytes::Bytes> = handle.export().try_collect().await.unwrap();
    let whole: Vec<u8> = whole.concat();
    let loaded = docker.images().load_for_platform(whole.into(), &platform);
    let loaded: Vec<_> = loaded.try_collect().await.unwrap();
    let names: Vec<_> = loaded.iter().filter_map(|m| m.loaded_image()).collect();
    if has(version, api(48), "image save and load platform") {
        let err = saved.unwrap_err();
        assert!(err.to_string().contains("no suitable export target found for platform"), "{err}");
        assert!(names.is_empty(), "loaded another platform's image: {loaded:?}");
    } else {
        assert!(!saved.unwrap().concat().is_empty());
        assert_eq!(names, [image], "{loaded:?}");
    }
}

/// v1.44 `CDISpecDirs`, v1.46 `Containerd`, v1.49 `FirewallBackend` in
/// `GET /info`.
#[tokio::test]
async fn info_fields_from_1_44_1_46_and_1_49() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let info = docker.info().await.unwrap();
    let raw = docker.info_raw().await.unwrap();
    assert_eq!(has(version, api(44), "Info.CDISpecDirs"), info.cdi_spec_dirs.is_some(), "{raw}");
    if has(version, api(46), "Info.Containerd") {
        let containerd = info.containerd.expect("Containerd");
        assert!(containerd.address.ends_with(".sock"), "{containerd:?}");
        assert_eq!(containerd.namespaces.containers, "moby");
    } else {
        assert_eq!(info.containerd, None);
    }
    if has(version, api(49), "Info.FirewallBackend") {
        assert!(!info.firewall_backend.expect("FirewallBackend").driver.is_empty());
    } else {
        assert_eq!(info.firewall_backend, None);
    }
    // v1.50 `DiscoveredDevices` is omitted when no device driver found one.
    assert_eq!(info.discovered_devices.is_some(), raw.get("DiscoveredDevices").is_some());
}

/// Creates `spec`, runs it to its end and gives its exit code and stdout.
async fn run(docker: &Docker, cleanup: &mut Cleanup, spec: ContainerCreate) -> (i64, String) {
    let c = create(docker, cleanup, spec).await;
    c.start().await.unwrap();
    let code = tokio::time::timeout(Duration::from_secs(30), c.wait()).await.expect("ended").unwrap().status_code;
    (code, stdout(&c).await)
}

/// A volume, removed when dropped.
struct Volume(String);

impl Drop for Volume {
    fn drop(&mut self) {
        let name = self.0.clone();
        common::on_own_runtime(move |docker| async move {
            let _ = docker.volumes().get(name).remove_with(dockhand::api::VolumeRemoveOptions::new().force(true)).await;
        });
    }
}

/// v1.42: `POST /volumes/prune` removes only anonymous volumes unless the
/// `all` filter (which the SDK sends from 1.42 on) says otherwise.
#[tokio::test]
async fn volume_prune_keeps_named_volumes_from_1_42() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let name = common::unique("prune-named");
    let run_label = format!("dockhand.run={name}");
    let opts = VolumeCreateOptions::new(&name).label(common::TEST_LABEL, "1").label("dockhand.run", &name);
    docker.volumes().create(opts).await.unwrap();
    let _volume = Volume(name.clone());

    let first = docker.volumes().prune(VolumePruneFilters::new().label(&run_label)).await.unwrap();
    if has(version, api(42), "volume prune keeps named volumes without all=true") {
        assert!(first.volumes_deleted.is_empty(), "{first:?}");
        let all = docker.volumes().prune(VolumePruneFilters::new().label(&run_label).all(true)).await.unwrap();
        assert_eq!(all.volumes_deleted, vec![name.clone()]);
    } else {
        // `all` is not sent; the daemon prunes named volumes too.
        assert!(VolumePruneFilters::new().all(true).for_version(version).get("all").is_empty());
        assert_eq!(first.volumes_deleted, vec![name.clone()]);
    }
    assert!(docker.volumes().get(&name).inspect().await.is_err(), "the volume is gone");
}

/// v1.42: `GET /system/df?type=` and `GET /images/json?shared-size=1`.
#[tokio::test]
async fn df_type_and_image_shared_size_from_1_42() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let df = docker.df(DfOptions::new().types([DfType::Image])).await.unwrap();
    let filters = dockhand::api::ImageFilters::new().reference(image);
    let listed = docker.images().list(ImageListOptions::new().shared_size(true).filters(filters)).await.unwrap();
    assert!(df.images.as_ref().is_some_and(|i| !i.is_empty()), "{df:?}");
    if has(version, api(42), "system df type, image list shared-size") {
        assert_eq!((df.containers, df.volumes), (None, None), "only the images were computed");
        assert!(listed[0].shared_size >= 0, "{:?}", listed[0]);
    } else {
        assert!(df.containers.is_some() && df.volumes.is_some(), "a 1.41 daemon computes everything");
        assert_eq!(listed[0].shared_size, -1, "{:?}", listed[0]);
    }
}

/// v1.42: `BindOptions.CreateMountpoint`.
#[tokio::test]
async fn bind_create_mountpoint_from_1_42() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("made-by-the-daemon");
    let mount = Mount::bind(missing.to_str().unwrap(), "/m").create_mountpoint(true);
    let spec = busybox(image, "mountpoint", &["ls", "-d", "/m"]).mount(mount);
    let body = containers_api::create(&spec).unwrap().json_body_for(version).unwrap();
    let bind_options = &body["HostConfig"]["Mounts"][0]["BindOptions"];
    if has(version, api(42), "BindOptions.CreateMountpoint") {
        assert_eq!(bind_options["CreateMountpoint"], true, "{body}");
        assert_eq!(run(&docker, &mut cleanup, spec).await, (0, "/m\n".to_owned()));
        assert!(missing.is_dir(), "the daemon created the host path");
    } else {
        assert!(bind_options.get("CreateMountpoint").is_none(), "{body}");
        let err = docker.containers().create(spec).await.unwrap_err();
        assert!(err.to_string().contains("bind source path does not exist"), "{err}");
        assert!(!missing.exists());
    }
}

/// v1.42: `ConsoleSize` of `POST /containers/{id}/exec`.
#[tokio::test]
async fn exec_console_size_from_1_42() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let c = create(&docker, &mut cleanup, busybox(image, "console-size", &["sleep", "60"])).await;
    c.start().await.unwrap();
    let opts = ExecOptions::new(["stty", "size"]).tty(true).attach_stdout(true).console_size(33, 77);
    let exec = c.exec(&opts).await.unwrap();
    let output = exec.start().await.unwrap().output;
    let items: Vec<Output> =
        tokio::time::timeout(Duration::from_secs(20), output.try_collect()).await.unwrap().unwrap();
    let text: String = items.iter().map(|o| o.text().into_owned()).collect();
    if has(version, api(42), "exec ConsoleSize") {
        assert_eq!(text, "33 77\r\n");
    } else {
        // Not sent: the tty starts at 0x0 (the CLI resizes it after the
        // start), which busybox's stty reports as an error rather than a size.
        assert_eq!(text, "stty: standard input\r\n");
    }
}

/// v1.45: `VolumeOptions.Subpath`.
#[tokio::test]
async fn volume_subpath_from_1_45() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let name = common::unique("subpath");
    docker.volumes().create(VolumeCreateOptions::new(&name).label(common::TEST_LABEL, "1")).await.unwrap();
    // Dropped after `cleanup` has removed the containers that use it.
    let _volume = Volume(name.clone());
    let mut cleanup = Cleanup(Vec::new());
    let fill = busybox(image, "subpath-fill", &["sh", "-c", "mkdir /v/sub && touch /v/sub/inner /v/top"])
        .mount(Mount::volume(&name, "/v"));
    assert_eq!(run(&docker, &mut cleanup, fill).await.0, 0);

    let spec = busybox(image, "subpath", &["ls", "/m"]).mount(Mount::volume(&name, "/m").volume_subpath("sub"));
    let body = containers_api::create(&spec).unwrap().json_body_for(version).unwrap();
    let listed = run(&docker, &mut cleanup, spec).await;
    if has(version, api(45), "VolumeOptions.Subpath") {
        assert_eq!(listed, (0, "inner\n".to_owned()));
    } else {
        assert!(
            body["HostConfig"]["Mounts"][0].get("VolumeOptions").is_some_and(|o| o.get("Subpath").is_none()),
            "{body}"
        );
        assert_eq!(listed, (0, "sub\ntop\n".to_owned()), "the whole volume");
    }
}

/// v1.46: `TmpfsOptions.Options`.
#[tokio::test]
async fn tmpfs_options_from_1_46() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let spec = busybox(image, "tmpfs-exec", &["grep", " /t ", "/proc/mounts"])
        .mount(Mount::tmpfs("/t").tmpfs_option(["exec"]));
    let (code, mounts) = run(&docker, &mut cleanup, spec).await;
    assert_eq!(code, 0, "{mounts}");
    if has(version, api(46), "TmpfsOptions.Options") {
        assert!(!mounts.contains("noexec"), "{mounts}");
    } else {
        assert!(mounts.contains("noexec"), "not sent, the default stays: {mounts}");
    }
}

/// v1.48: mounts of type `image`.
#[tokio::test]
async fn image_mounts_from_1_48() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let spec = busybox(image, "image-mount", &["ls", "/img/bin"]).mount(Mount::image(image, "/img"));
    if has(version, api(48), "Mount type image") {
        let (code, listed) = run(&docker, &mut cleanup, spec).await;
        assert_eq!((code, listed.lines().any(|l| l == "busybox")), (0, true), "{listed}");
    } else {
        // There is no older form to send; the daemon refuses the type.
        let err = docker.containers().create(spec).await.unwrap_err();
        assert!(err.to_string().contains("image"), "{err}");
    }
}

/// v1.43: an untagged image is listed with empty `RepoTags` and
/// `RepoDigests`, no longer with `<none>:<none>` and `<none>@<none>`.
#[tokio::test]
async fn untagged_images_list_no_none_tags_from_1_43() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let c = create(&docker, &mut cleanup, busybox(image, "untagged", &["true"])).await;
    let id = docker.images().commit(CommitOptions::new(c.id())).await.unwrap();
    let listed = docker.images().list(ImageListOptions::new().all(true)).await.unwrap();
    let _ = docker.images().get(&id).remove_with(ImageRemoveOptions::new().force(true)).await;
    let summary = listed.iter().find(|i| i.id == id).expect("the committed image is listed");
    if has(version, api(43), "no <none>:<none> in RepoTags") {
        assert!(summary.repo_tags.is_empty() && summary.repo_digests.is_empty(), "{summary:?}");
    } else {
        assert_eq!(
            (&summary.repo_tags[..], &summary.repo_digests[..]),
            (&["<none>:<none>".to_owned()][..], &["<none>@<none>".to_owned()][..])
        );
    }
}

/// v1.44: `POST /containers/create` takes several `EndpointsConfig`;
/// v1.48: `EnableIPv4` in network inspect.
#[tokio::test]
async fn several_networks_at_create_from_1_44_and_enable_ipv4_from_1_48() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let (a, b) = (Network::create(&docker, "multi-a").await, Network::create(&docker, "multi-b").await);
    let mut cleanup = Cleanup(Vec::new());
    let spec = busybox(image, "multi", &["true"])
        .network_mode(&a.0)
        .endpoint(&a.0, EndpointSettings::default())
        .endpoint(&b.0, EndpointSettings::default());
    if has(version, api(44), "several EndpointsConfig at create") {
        let c = create(&docker, &mut cleanup, spec).await;
        let networks = c.inspect().await.unwrap().network_settings.networks;
        assert!(networks.contains_key(&a.0) && networks.contains_key(&b.0), "{networks:?}");
    } else {
        let err = docker.containers().create(spec).await.unwrap_err();
        assert!(err.to_string().contains("cannot be connected to network endpoints"), "{err}");
    }

    let inspect = docker.networks().get(&a.0).inspect().await.unwrap();
    if has(version, api(48), "network EnableIPv4") {
        assert_eq!(inspect.enable_ipv4, Some(true));
    } else {
        assert_eq!(inspect.enable_ipv4, None);
    }
}

/// v1.44: a read-only bind mount is read-only recursively (where the kernel
/// and runtime can), unless `BindOptions.ReadOnlyNonRecursive` says
/// otherwise. The host's `/dev` has `/dev/shm` (a tmpfs) mounted inside it.
#[tokio::test]
async fn read_only_binds_are_recursive_from_1_44() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    assert!(mountinfo.lines().any(|l| l.split(' ').nth(4) == Some("/dev/shm")), "the host has no /dev/shm mount");
    let file = common::unique("rro");
    let script = format!("touch /m/shm/{file} && echo writable || echo read-only");
    let spec = |mount: Mount| busybox(image, "rro", &["sh", "-c", &script]).mount(mount);
    let recursive = spec(Mount::bind("/dev", "/m").read_only(true));
    let non_recursive = spec(Mount::bind("/dev", "/m").read_only(true).read_only_non_recursive(true));
    let body = containers_api::create(&non_recursive).unwrap().json_body_for(version).unwrap();
    let (_, plain) = run(&docker, &mut cleanup, recursive).await;
    let _ = std::fs::remove_file(format!("/dev/shm/{file}"));
    let (_, asked) = run(&docker, &mut cleanup, non_recursive).await;
    let _ = std::fs::remove_file(format!("/dev/shm/{file}"));
    let options = &body["HostConfig"]["Mounts"][0]["BindOptions"];
    if has(version, api(44), "recursive read-only binds, BindOptions.ReadOnlyNonRecursive") {
        assert_eq!(options["ReadOnlyNonRecursive"], true, "{body}");
        assert_eq!((plain.as_str(), asked.as_str()), ("read-only\n", "writable\n"));
    } else {
        assert!(options.get("ReadOnlyNonRecursive").is_none(), "{body}");
        assert_eq!((plain.as_str(), asked.as_str()), ("writable\n", "writable\n"), "sub-mounts stay writable");
    }
}

/// v1.50: `platforms` on `DELETE /images/{name}`: a daemon that has it
/// refuses to remove another platform's variant of a single-platform image;
/// an older one is not sent it and removes the image.
#[tokio::test]
async fn platforms_on_image_remove_from_1_50() {
    let Some(docker) = common::daemon().await else { return };
    let version = negotiated(&docker).await;
    let image = common::busybox_image(&docker).await;
    let platform = foreign_platform(&docker).await;
    let tag = format!("{}:1", common::unique("platform-remove"));
    docker.images().get(image).tag(&tag).await.unwrap();
    let removed = docker.images().get(&tag).remove_with(ImageRemoveOptions::new().platform(&platform)).await;
    let still_there = docker.images().get(&tag).inspect().await.is_ok();
    let _ = docker.images().get(&tag).remove_with(ImageRemoveOptions::new()).await;
    if has(version, api(50), "image remove platforms") {
        let err = removed.unwrap_err();
        assert!(err.to_string().contains("does not match the specified platform"), "{err}");
        assert!(still_there);
    } else {
        assert!(removed.unwrap().iter().any(|i| i.untagged.as_deref() == Some(tag.as_str())));
        assert!(!still_there);
    }
}
