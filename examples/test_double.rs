//! Testing your own code against the simulated engine: no daemon, no
//! sockets, deterministic ids.
//!
//! The code under test takes a `dockhand::Docker`; in production it gets
//! `Docker::connect()`, in tests `engine.docker()`, an SDK client whose
//! transport calls the in-memory engine. Docker commands (through
//! `Session::for_engine`) set up the state the test needs.
//!
//! ```text
//! cargo run --example test_double
//! ```

use dockhand::Docker;
use dockhand_engine::{Engine, Session};

/// The code under test: a health summary of a daemon.
async fn summary(docker: &Docker) -> dockhand::Result<String> {
    let info = docker.info().await?;
    let df = docker.df(dockhand::api::DfOptions::new()).await?;
    Ok(format!(
        "{} running, {} stopped, {} images ({} volumes)",
        info.containers_running,
        info.containers_stopped,
        info.images,
        df.volumes().len()
    ))
}

#[tokio::main]
async fn main() -> dockhand::Result<()> {
    let engine = Engine::new();
    // Arrange: the state the test needs, with docker commands.
    let mut setup = Session::for_engine(engine.clone());
    for line in [
        "docker run -d --name web -p 8080:80 nginx",
        "docker run --name job busybox echo done",
        "docker volume create data",
    ] {
        let out = setup.run(line);
        assert_eq!(out.exit_code, 0, "{line}: {}", out.stderr);
    }

    // Act: the code under test talks to the engine through the SDK.
    let docker = engine.docker();
    let text = summary(&docker).await?;

    // Assert.
    println!("summary: {text}");
    assert_eq!(text, "1 running, 1 stopped, 2 images (1 volumes)");

    // The engine's state is inspectable directly, too.
    let names: Vec<String> = engine.with_state(|st| st.containers.values().map(|c| c.name.clone()).collect());
    println!("containers: {names:?}");
    Ok(())
}
