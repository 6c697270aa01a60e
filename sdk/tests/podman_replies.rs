//! Replies of Podman 4.3.1's Docker-compatible API (`podman system service`,
//! API 1.41), recorded from it and shortened, decode into dockhand's models.
//! Where Podman writes something dockerd does not (a field's spelling, a
//! `null` object), the model takes it; tests/*.rs meet the service itself.

use dockhand::models::{ContainerStats, ContainerSummary, SystemDf};

/// `GET /containers/{id}/stats?stream=false`: Podman spells the id `Id`
/// (dockerd: `id`) and sends no previous sample.
#[test]
fn a_podman_stats_sample_has_its_id_and_name() {
    let body = r#"{"read":"2026-12-07T14:31:06.659509149Z","preread":"0001-01-01T00:00:00Z",
        "pids_stats":{"current":1},
        "blkio_stats":{"io_service_bytes_recursive":[],"io_serviced_recursive":null,"io_queue_recursive":null,
            "io_service_time_recursive":null,"io_wait_time_recursive":null,"io_merged_recursive":null,
            "io_time_recursive":null,"sectors_recursive":null},
        "num_procs":0,"storage_stats":{},
        "cpu_stats":{"cpu_usage":{"total_usage":474302524,"percpu_usage":[82603,474219921],
            "usage_in_kernelmode":8000000,"usage_in_usermode":466302524},
            "system_cpu_usage":37098429216988,"online_cpus":2,"cpu":0,
            "throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},
        "precpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"cpu":0,
            "throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},
        "memory_stats":{"usage":450560,"limit":25276182528},
        "name":"probe1","Id":"f39a2effa9cd63f547e6d8dec250ef2f45c93a11f78351153956108d08c4f426",
        "networks":{"network":{"rx_bytes":426,"rx_packets":0}}}"#;
    let s: ContainerStats = serde_json::from_str(body).unwrap();
    assert_eq!(s.id, "f39a2effa9cd63f547e6d8dec250ef2f45c93a11f78351153956108d08c4f426");
    assert_eq!(s.name, "probe1");
    assert_eq!(s.memory_usage(), Some(450560));
    // No previous sample: no CPU percentage.
    assert_eq!(s.cpu_percent(), None);
}

/// `GET /system/df`: a container's `NetworkSettings`, `Ports` and `Mounts`
/// are `null`, an image's tags are only the tag part.
#[test]
fn a_podman_system_df_decodes() {
    let body = r#"{"LayersSize":0,"Images":[{"Containers":0,"Created":1796653352,
        "Id":"ad10794b0601bb10514ee36a759a4547b708e68d1abae63d41d8026716bc2ad4","Labels":{},"ParentId":"",
        "RepoDigests":null,"RepoTags":["latest"],"SharedSize":0,"Size":2127990,"VirtualSize":0}],
        "Containers":[{"Id":"502092810dbccbd9510741c9cb77404a14bdd58c95c908efd6ef33089d2901a5",
        "Names":["dockhand-commit-6905-0"],"Image":"29414288fbdf","ImageID":"29414288fbdf",
        "Command":"sh -c echo changed > /changed","Created":1796653829,"Ports":null,"SizeRw":20,
        "SizeRootFs":1984250,"Labels":{},"State":"exited","Status":"exited","HostConfig":{},
        "NetworkSettings":null,"Mounts":null}],"Volumes":[],"BuildCache":[],"BuilderSize":0}"#;
    let df: SystemDf = serde_json::from_str(body).unwrap();
    assert_eq!(df.images()[0].repo_tags, ["latest"]);
    let c = &df.containers()[0];
    assert!(c.network_settings.networks.is_empty() && c.ports.is_empty() && c.mounts.is_empty());
    assert_eq!(c.size_rw, Some(20));
}

/// `GET /containers/json`: no `HostConfig`, `Networks: null`, and fields
/// dockerd does not send (`Config: null`, `Platform: null`).
#[test]
fn a_podman_container_list_entry_decodes() {
    let body = r#"{"Id":"9d861abdb29d637a6eb851ad3dddbf73b277f69bee3e69b390a71ba7f77f0e23","Names":["/probe2"],
        "Image":"docker.io/dockhand-test/busybox:latest",
        "ImageID":"sha256:29414288fbdfdc479da02620fcfdf71473f7bc090aa4edc7f2c490fc51b22e5a","Command":"sleep 30",
        "Created":1796653917,"Ports":[],"Labels":{},"State":"running","Status":"Up 5 seconds",
        "NetworkSettings":{"Networks":null},"Mounts":[],"Name":"","Config":null,"NetworkingConfig":null,
        "Platform":null,"AdjustCPUShares":false}"#;
    let c: ContainerSummary = serde_json::from_str(body).unwrap();
    assert_eq!(c.name(), Some("probe2"));
    assert_eq!(c.host_config.network_mode, "");
    assert!(c.network_settings.networks.is_empty());
}

/// Go writes a nil struct pointer, slice or map as `null`, and Podman does
/// for objects dockerd always fills (`NetworkSettings` above): every field
/// of a decoded model whose type is another model, a list or a map takes
/// `null` as its default (`deserialize_with = "super::nullable"`, or its
/// own `with`). Read from the models' source, so that a new field is held
/// to it too.
#[test]
fn every_object_list_and_map_field_of_a_model_takes_null() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/models");
    let mut sources: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    sources.sort();
    let models: std::collections::HashSet<String> = sources
        .iter()
        .flat_map(|(_, s)| s.lines())
        .filter_map(|l| l.trim().strip_prefix("pub struct "))
        .filter_map(|rest| rest.split([' ', '{', '<', '(']).next().map(str::to_owned))
        .collect();
    let mut missing = Vec::new();
    for (file, source) in &sources {
        let (mut decoded, mut inside, mut attrs) = (false, false, String::new());
        for (n, line) in source.lines().enumerate() {
            let t = line.trim();
            if t.starts_with("#[derive(") {
                decoded = t.contains("Deserialize");
            } else if t.starts_with("pub struct ") && t.ends_with('{') {
                inside = decoded;
                attrs.clear();
            } else if inside && t == "}" {
                inside = false;
            } else if inside && t.starts_with("#[serde") {
                attrs.push_str(t);
            } else if inside && t.starts_with("pub ") && t.ends_with(',') {
                let ty = t.split_once(": ").map_or("", |(_, ty)| ty.trim_end_matches(','));
                let ty = ty.trim_start_matches("super::").trim_start_matches("crate::models::");
                let object = models.contains(ty) || ["Vec<", "HashMap<", "BTreeMap<"].iter().any(|p| ty.starts_with(p));
                let handled = ["deserialize_with", "with =", "flatten"].iter().any(|a| attrs.contains(a));
                if object && !handled {
                    missing.push(format!("{file}:{}: {t}", n + 1));
                }
                attrs.clear();
            } else if inside && !t.starts_with("///") && !t.starts_with("#[") {
                attrs.clear();
            }
        }
    }
    assert!(missing.is_empty(), "fields that refuse null:\n{}", missing.join("\n"));
}
