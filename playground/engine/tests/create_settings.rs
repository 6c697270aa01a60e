//! Property test: every setting a create body gives that the simulation
//! keeps comes back from inspect as given, whatever the combination, and
//! survives a snapshot and restore.

mod common;

use common::call;
use dockhand_engine::Engine;
use proptest::prelude::*;
use serde_json::{Value, json};

/// A `HostConfig` key and the values generated for it.
fn host_setting() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        (0i64..4096).prop_map(|n| ("CpuShares", json!(n))),
        any::<bool>().prop_map(|b| ("Init", json!(b))),
        prop::sample::select(vec!["", "host"]).prop_map(|m| ("PidMode", json!(m))),
        prop::sample::select(vec!["", "host"]).prop_map(|m| ("UTSMode", json!(m))),
        prop::sample::select(vec!["", "default"]).prop_map(|m| ("Isolation", json!(m))),
        "[0-3](,[0-3]){0,2}".prop_map(|c| ("CpusetCpus", json!(c))),
        prop::option::of(0i64..=100).prop_map(|s| ("MemorySwappiness", json!(s))),
        prop::collection::vec("[a-z][a-z0-9]{0,6}", 0..3).prop_map(|g| ("GroupAdd", json!(g))),
        prop::collection::vec("[cb] [0-9]{1,2}:[0-9]{1,3} r?w?m", 0..3).prop_map(|r| ("DeviceCgroupRules", json!(r))),
        prop::collection::btree_map("/t[a-z]{1,5}", "(size=[1-9]M)?", 0..3).prop_map(|t| ("Tmpfs", json!(t))),
    ]
}

fn config_setting() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        (0i64..600).prop_map(|n| ("StopTimeout", json!(n))),
        prop::sample::select(vec!["SIGTERM", "SIGUSR1"]).prop_map(|s| ("StopSignal", json!(s))),
        (1i64..10, 0i64..5).prop_map(|(i, r)| (
            "Healthcheck",
            json!({"Test": ["CMD", "true"], "Interval": i * 1_000_000_000, "Retries": r})
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn kept_create_settings_round_trip_through_inspect(
        host in prop::collection::vec(host_setting(), 0..6),
        config in prop::collection::vec(config_setting(), 0..3),
        log_opts in prop::collection::btree_map("[a-z-]{1,8}", "[0-9]{1,3}", 0..3),
    ) {
        let engine = Engine::new();
        let (status, _) = call(&engine, "POST", "/v1.41/images/create?fromImage=busybox&tag=latest", Value::Null);
        prop_assert_eq!(status, 200);
        let mut body = json!({"Image": "busybox", "Cmd": ["true"], "HostConfig": {"LogConfig": {"Type": "", "Config": log_opts}}});
        for (k, v) in &host {
            body["HostConfig"][*k] = v.clone();
        }
        for (k, v) in &config {
            body[*k] = v.clone();
        }
        let (status, created) = call(&engine, "POST", "/v1.41/containers/create", body.clone());
        prop_assert_eq!(status, 201, "{}", created);
        let id = created["Id"].as_str().unwrap().to_string();
        let restored = Engine::new();
        restored.restore(&engine.snapshot()).expect("restore");
        for e in [&engine, &restored] {
            let (_, v) = call(e, "GET", &format!("/v1.41/containers/{id}/json"), Value::Null);
            // The last value given for a key is the one kept.
            for (k, _) in &host {
                prop_assert_eq!(&v["HostConfig"][*k], &body["HostConfig"][*k], "HostConfig.{}", k);
            }
            for (k, _) in &config {
                prop_assert_eq!(&v["Config"][*k], &body[*k], "Config.{}", k);
            }
            prop_assert_eq!(&v["HostConfig"]["LogConfig"]["Type"], "json-file");
            prop_assert_eq!(&v["HostConfig"]["LogConfig"]["Config"], &body["HostConfig"]["LogConfig"]["Config"]);
        }
    }
}
