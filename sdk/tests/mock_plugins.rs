//! Plugins, with a mock daemon: no plugin can be pulled on the test machine
//! (no registry, no network), so request shapes and error paths are checked
//! here against the JSON shapes of the v1.56 specification.

mod common;

use common::{client, server};
use dockhand::api::{PluginFilters, PluginPullOptions};
use dockhand::models::{AuthConfig, PluginPrivilege};
use futures::TryStreamExt;
use mockito::Matcher;

/// The `Plugin` of the specification, built from its field examples.
const PLUGIN: &str = r#"{"Id":"5724e2c8652da337ab2eedd19fc6fc0ec908e4bd907c7421bf6a8dfc70c4c078",
"Name":"tiborvass/sample-volume-plugin","Enabled":true,
"Settings":{"Mounts":[{"Name":"some-mount","Description":"This is a mount that's used by the plugin.",
"Settable":null,"Source":"/var/lib/docker/plugins/","Destination":"/mnt/state","Type":"bind","Options":["rbind","rw"]}],
"Env":["DEBUG=0"],"Args":null,"Devices":[{"Name":"","Description":"","Settable":null,"Path":"/dev/fuse"}]},
"PluginReference":"localhost:5000/tiborvass/sample-volume-plugin:latest",
"Config":{"Description":"A sample volume plugin for Docker","Documentation":"https://docs.docker.com/engine/extend/plugins/",
"Interface":{"Types":["docker.volumedriver/1.0"],"Socket":"plugins.sock","ProtocolScheme":"some.protocol/v1.0"},
"Entrypoint":["/usr/bin/sample-volume-plugin","/data"],"WorkDir":"/bin/","User":{"UID":1000,"GID":1000},
"Network":{"Type":"host"},"Linux":{"Capabilities":["CAP_SYS_ADMIN","CAP_SYSLOG"],"AllowAllDevices":false,
"Devices":[{"Name":"","Description":"","Settable":null,"Path":"/dev/fuse"}]},"PropagatedMount":"/mnt/volumes",
"IpcHost":false,"PidHost":false,"Mounts":[],"Env":[{"Name":"DEBUG","Description":"If set, prints debug messages",
"Settable":null,"Value":"0"}],"Args":{"Name":"args","Description":"command line arguments","Settable":null,"Value":[]},
"rootfs":{"type":"layers","diff_ids":["sha256:675532206fbf3030b8458f88d6e26d4eb1577688a25efec97154c94e8b6b4887"]}}}"#;

const PRIVILEGES: &str = r#"[{"Name":"network","Description":"","Value":["host"]},
{"Name":"mount","Description":"","Value":["/data"]},{"Name":"device","Description":"","Value":["/dev/cpu_dma_latency"]}]"#;

#[tokio::test]
async fn list_and_inspect_decode_the_spec_shapes() {
    let mut server = server().await;
    let list = server
        .mock("GET", "/v1.41/plugins")
        .match_query(Matcher::UrlEncoded("filters".into(), r#"{"capability":["volumedriver"]}"#.into()))
        .with_header("content-type", "application/json")
        .with_body(format!("[{PLUGIN}]"))
        .create_async()
        .await;
    let inspect = server
        .mock("GET", "/v1.41/plugins/tiborvass%2Fsample-volume-plugin:latest/json")
        .with_body(PLUGIN)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let plugins = docker.plugins().list(PluginFilters::new().capability("volumedriver")).await.unwrap();
    assert_eq!(plugins.len(), 1);
    let p = &plugins[0];
    assert!(p.enabled);
    assert_eq!(p.settings.env, ["DEBUG=0"]);
    assert_eq!(p.config.interface.types, ["docker.volumedriver/1.0"]);
    assert_eq!(p.config.extra["PropagatedMount"], "/mnt/volumes");
    let one = docker.plugins().get("tiborvass/sample-volume-plugin:latest").inspect().await.unwrap();
    assert_eq!(&one, p);
    list.assert_async().await;
    inspect.assert_async().await;
}

#[tokio::test]
async fn privileges_then_pull_grants_them_with_credentials() {
    let mut server = server().await;
    let privileges = server
        .mock("GET", "/v1.41/plugins/privileges")
        .match_query(Matcher::UrlEncoded("remote".into(), "vieux/sshfs:latest".into()))
        .with_body(PRIVILEGES)
        .create_async()
        .await;
    let pull = server
        .mock("POST", "/v1.41/plugins/pull")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("remote".into(), "vieux/sshfs:latest".into()),
            Matcher::UrlEncoded("name".into(), "sshfs".into()),
        ]))
        .match_header("x-registry-auth", Matcher::Regex("^[A-Za-z0-9_=-]+$".into()))
        .match_header("content-type", "application/json")
        .match_body(Matcher::JsonString(PRIVILEGES.into()))
        .with_body("{\"status\":\"Pulling from vieux/sshfs\"}\n{\"status\":\"Download complete\"}\n")
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let granted: Vec<PluginPrivilege> = docker.plugins().privileges("vieux/sshfs:latest").await.unwrap();
    assert_eq!(granted[0].value, ["host"]);
    let progress: Vec<_> = docker
        .plugins()
        .pull(PluginPullOptions::new("vieux/sshfs:latest", granted).name("sshfs").auth(AuthConfig::password(
            "registry.example",
            "u",
            "secret-password",
        )))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(progress.len(), 2);
    privileges.assert_async().await;
    pull.assert_async().await;
}

#[tokio::test]
async fn a_pull_error_in_the_stream_is_an_error() {
    let mut server = server().await;
    server
        .mock("POST", "/v1.41/plugins/pull")
        .match_query(Matcher::Any)
        .with_body("{\"status\":\"Pulling\"}\n{\"errorDetail\":{\"message\":\"denied\"},\"error\":\"denied\"}\n")
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let err = docker.plugins().pull(PluginPullOptions::new("x/y", vec![])).try_collect::<Vec<_>>().await.unwrap_err();
    assert!(matches!(err, dockhand::Error::Stream { .. }), "{err:?}");
    assert!(err.to_string().contains("denied"));
}

#[tokio::test]
async fn enable_disable_set_upgrade_push_create_remove() {
    let mut server = server().await;
    let mocks = vec![
        server
            .mock("POST", "/v1.41/plugins/p/enable")
            .match_query(Matcher::UrlEncoded("timeout".into(), "10".into()))
            .with_status(200)
            .create_async()
            .await,
        server
            .mock("POST", "/v1.41/plugins/p/disable")
            .match_query(Matcher::UrlEncoded("force".into(), "true".into()))
            .with_status(200)
            .create_async()
            .await,
        server
            .mock("POST", "/v1.41/plugins/p/set")
            .match_body(Matcher::JsonString(r#"["DEBUG=1","args=-v"]"#.into()))
            .with_status(204)
            .create_async()
            .await,
        server
            .mock("POST", "/v1.41/plugins/p/upgrade")
            .match_query(Matcher::UrlEncoded("remote".into(), "vieux/sshfs:next".into()))
            .match_body(Matcher::JsonString(r#"[{"Name":"network","Description":"","Value":["host"]}]"#.into()))
            .with_body("{\"status\":\"Upgraded\"}\n")
            .create_async()
            .await,
        server
            .mock("POST", "/v1.41/plugins/p/push")
            .match_header("x-registry-auth", Matcher::Any)
            .with_body("{\"status\":\"Pushed\"}\n")
            .create_async()
            .await,
        server
            .mock("POST", "/v1.41/plugins/create")
            .match_query(Matcher::UrlEncoded("name".into(), "local/p:1".into()))
            .match_header("content-type", "application/x-tar")
            .match_body("TARBYTES")
            .with_status(204)
            .create_async()
            .await,
        server
            .mock("DELETE", "/v1.41/plugins/p")
            .match_query(Matcher::UrlEncoded("force".into(), "true".into()))
            .with_body(PLUGIN)
            .create_async()
            .await,
    ];
    let docker = client(&server, "1.41");
    let p = docker.plugins().get("p");
    p.enable(10).await.unwrap();
    p.disable_with(dockhand::api::PluginDisableOptions::new().force(true)).await.unwrap();
    p.set(&["DEBUG=1", "args=-v"]).await.unwrap();
    let privilege: PluginPrivilege = serde_json::from_str(r#"{"Name":"network","Value":["host"]}"#).unwrap();
    p.upgrade("vieux/sshfs:next", vec![privilege], None).try_collect::<Vec<_>>().await.unwrap();
    p.push(Some(&AuthConfig::identity_token("registry.example", "tok"))).try_collect::<Vec<_>>().await.unwrap();
    docker.plugins().create("local/p:1", bytes::Bytes::from_static(b"TARBYTES").into()).await.unwrap();
    let removed = p.remove_with(dockhand::api::PluginRemoveOptions::new().force(true)).await.unwrap();
    assert_eq!(removed.name, "tiborvass/sample-volume-plugin");
    for m in mocks {
        m.assert_async().await;
    }
}

#[tokio::test]
async fn daemon_errors_are_typed() {
    let mut server = server().await;
    server
        .mock("GET", "/v1.41/plugins/missing/json")
        .with_status(404)
        .with_body(r#"{"message":"plugin \"missing\" not found"}"#)
        .create_async()
        .await;
    server
        .mock("POST", "/v1.41/plugins/busy/disable")
        .with_status(500)
        .with_body(r#"{"message":"plugin busy is in use"}"#)
        .create_async()
        .await;
    let docker = client(&server, "1.41");
    let err = docker.plugins().get("missing").inspect().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(err.to_string().contains("not found"));
    let err = docker.plugins().get("busy").disable().await.unwrap_err();
    assert!(err.is_server_error() && err.to_string().contains("in use"), "{err}");
    // Rejected before sending anything.
    let err = docker.plugins().get("../containers/json").inspect().await.unwrap_err();
    assert!(matches!(err, dockhand::Error::InvalidInput { .. }), "{err:?}");
    let err = docker.plugins().privileges("").await.unwrap_err();
    assert!(matches!(err, dockhand::Error::InvalidInput { .. }), "{err:?}");
}

#[tokio::test]
async fn a_hostile_plugin_list_is_a_decode_error_not_a_panic() {
    let mut server = server().await;
    server.mock("GET", "/v1.41/plugins").with_body(r#"[{"Name":42}]"#).create_async().await;
    server.mock("GET", "/v1.41/plugins/x/json").with_body(r#"{"Name":"x","Enabled":tru"#).create_async().await;
    let docker = client(&server, "1.41");
    let err = docker.plugins().list(PluginFilters::new()).await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert!(err.to_string().contains("Name"), "{err}");
    assert!(docker.plugins().get("x").inspect().await.unwrap_err().is_decode());
}
