//! A two-container app: a web server and a client on a network of their own,
//! the server's content on a named volume.
//!
//! 1. a network and a volume are created;
//! 2. a one-shot container writes the page into the volume;
//! 3. `web` serves the volume (read-only) with busybox `httpd`, reachable on
//!    the network by its name and by the alias `www`;
//! 4. `client` fetches the page by the alias; its answer is read back from
//!    the stopped client with an archive download;
//! 5. everything is removed, whatever happened.
//!
//! ```text
//! cargo run --example two_containers [IMAGE]
//! ```
//!
//! `IMAGE` defaults to `dockhand-test/busybox:latest`, the image the test
//! suite imports (see `examples/lifecycle.rs` for how to make it offline).
//! Debian's static busybox crashes in `wget` (glibc name lookup in a static
//! binary), so the client resolves the name with `nslookup` against the
//! daemon's DNS and fetches with `nc`; with a regular busybox image,
//! `wget -qO- http://www/` does the same.

use std::io::Read;

use dockhand::Docker;
use dockhand::api::{ContainerCreate, ContainerRemoveOptions, NetworkCreateOptions, VolumeCreateOptions};
use dockhand::models::{EndpointSettings, Mount};
use futures::TryStreamExt;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() {
    let image = std::env::args().nth(1).unwrap_or_else(|| String::from("dockhand-test/busybox:latest"));
    let docker = match Docker::connect().await {
        Ok(d) => d,
        Err(e) => {
            eprintln!("two_containers: {e}");
            std::process::exit(1);
        }
    };
    let names = Names::new();
    let result = run(&docker, &image, &names).await;
    cleanup(&docker, &names).await;
    if let Err(e) = result {
        eprintln!("two_containers: {e}");
        std::process::exit(1);
    }
}

struct Names {
    network: String,
    volume: String,
    writer: String,
    web: String,
    client: String,
}

impl Names {
    fn new() -> Self {
        let n = |what: &str| format!("dockhand-two-{what}-{}", std::process::id());
        Names { network: n("net"), volume: n("www"), writer: n("writer"), web: n("web"), client: n("client") }
    }
}

async fn run(docker: &Docker, image: &str, names: &Names) -> Result<()> {
    docker.networks().create(NetworkCreateOptions::new(&names.network).label("dockhand.example", "two")).await?;
    docker.volumes().create(VolumeCreateOptions::new(&names.volume).label("dockhand.example", "two")).await?;
    println!("network {} and volume {} created", names.network, names.volume);

    // Write the page into the volume.
    let writer = docker
        .containers()
        .create(
            ContainerCreate::new(image)
                .name(&names.writer)
                .cmd(["sh", "-c", "echo '<h1>hello from a volume</h1>' > /www/index.html"])
                .mount(Mount::volume(&names.volume, "/www"))
                .network_mode("none"),
        )
        .await?;
    let writer = docker.containers().get(&writer.id);
    writer.start().await?;
    let status = writer.wait().await?.status_code;
    writer.remove_with(ContainerRemoveOptions::new()).await?;
    println!("writer exited with {status}; the page is in the volume");

    // Serve it.
    docker
        .containers()
        .create(
            ContainerCreate::new(image)
                .name(&names.web)
                .cmd(["httpd", "-f", "-p", "80", "-h", "/www"])
                .mount(Mount::volume(&names.volume, "/www").read_only(true))
                .endpoint(&names.network, EndpointSettings::new().alias("www")),
        )
        .await?;
    docker.containers().get(&names.web).start().await?;
    let net = docker.networks().get(&names.network).inspect().await?;
    for endpoint in net.containers.values() {
        println!("on {}: {} at {}", net.name, endpoint.name, endpoint.ipv4_address);
    }

    // Fetch it by the alias, from another container on the network.
    let fetch = r#"for i in 1 2 3 4 5 6 7 8 9 10; do
  ip=$(nslookup www 127.0.0.11 2>/dev/null | awk '/^Address/ && !/:53$/ {a=$NF} END {print a}')
  [ -n "$ip" ] && printf 'GET / HTTP/1.0\r\nHost: www\r\n\r\n' | nc -w 3 "$ip" 80 > /tmp/page && grep -q hello /tmp/page && exit 0
  sleep 0.3
done
exit 1"#;
    docker
        .containers()
        .create(
            ContainerCreate::new(image)
                .name(&names.client)
                .cmd(["sh", "-c", fetch])
                .endpoint(&names.network, EndpointSettings::default()),
        )
        .await?;
    let client = docker.containers().get(&names.client);
    client.start().await?;
    let status = client.wait().await?.status_code;
    println!("client exited with {status}");

    // Read what it got: GET /containers/{id}/archive works on a stopped
    // container and answers a tar.
    let archive = client.get_archive("/tmp/page").await?;
    let tar: Vec<u8> = archive.tar.try_collect::<Vec<_>>().await?.concat();
    let mut entries = tar::Archive::new(tar.as_slice());
    for entry in entries.entries()? {
        let mut entry = entry?;
        let mut text = String::new();
        entry.read_to_string(&mut text)?;
        println!("--- {} ---\n{text}", entry.path()?.display());
    }
    if status != 0 {
        return Err("the client could not fetch the page".into());
    }
    Ok(())
}

async fn cleanup(docker: &Docker, names: &Names) {
    for c in [&names.client, &names.web, &names.writer] {
        let _ = docker.containers().get(c).remove_with(ContainerRemoveOptions::new().force(true)).await;
    }
    if let Err(e) = docker.networks().get(&names.network).remove().await {
        eprintln!("removing the network: {e}");
    }
    if let Err(e) = docker.volumes().get(&names.volume).remove().await {
        eprintln!("removing the volume: {e}");
    }
    println!("cleaned up");
}
