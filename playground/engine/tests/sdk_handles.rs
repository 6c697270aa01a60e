//! The dockhand SDK's container and image handles against the engine: the
//! SDK's models decode every answer, and the lifecycle answers are the
//! daemon's (Done / Unchanged for 304, typed errors for 404/409).

use dockhand::Change;
use dockhand::api::{ContainerCreate, ContainerListOptions, ContainerRemoveOptions, ImageListOptions, PullOptions};
use dockhand_engine::Engine;
use futures::StreamExt;
use futures::executor::block_on;

#[test]
fn containers_and_images_through_the_sdk() {
    let engine = Engine::new();
    let docker = engine.docker();
    block_on(async {
        let progress: Vec<_> = docker.images().pull(PullOptions::new("busybox:latest")).collect().await;
        assert!(progress.iter().all(|p| p.is_ok()), "{progress:?}");
        let images = docker.images().list(ImageListOptions::new()).await.unwrap();
        assert_eq!(images.len(), 1);
        let inspect = docker.images().get("busybox").inspect().await.unwrap();
        assert_eq!(inspect.id, images[0].id);
        assert!(!docker.images().get("busybox").history().await.unwrap().is_empty());

        let created = docker
            .containers()
            .create(ContainerCreate::new("busybox").name("job").cmd(["sh", "-c", "echo hi > /x; sleep 30"]))
            .await
            .unwrap();
        assert_eq!(created.id.len(), 64);
        let job = docker.containers().get("job");
        assert_eq!(job.start().await.unwrap(), Change::Done);
        assert_eq!(job.start().await.unwrap(), Change::Unchanged, "start on a running container is 304");
        let list = docker.containers().list(ContainerListOptions::new()).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].names, vec!["/job".to_string()]);
        let info = job.inspect().await.unwrap();
        assert_eq!(info.id, created.id);
        let top = job.top().await.unwrap();
        assert_eq!(top.processes.len(), 1);
        let changes = job.changes().await.unwrap();
        assert_eq!(changes.len(), 1, "{changes:?}");
        job.stats_with_cpu().await.unwrap();
        assert_eq!(job.stop().await.unwrap(), Change::Done);
        assert_eq!(job.stop().await.unwrap(), Change::Unchanged);
        let waited = job.wait().await.unwrap();
        assert_eq!(waited.status_code, 137);
        job.remove_with(ContainerRemoveOptions::new()).await.unwrap();
        let err = job.inspect().await.unwrap_err();
        assert!(err.to_string().contains("No such container: job"), "{err}");
        assert!(docker.containers().list(ContainerListOptions::new().all(true)).await.unwrap().is_empty());
    });
}

#[test]
fn shell_redirects_stdout_to_stderr() {
    use dockhand::api::LogsOptions;
    use dockhand::stream::StdStream;
    let engine = Engine::new();
    let docker = engine.docker();
    block_on(async {
        let _: Vec<_> = docker.images().pull(PullOptions::new("busybox:latest")).collect().await;
        let create = ContainerCreate::new("busybox").name("redir").cmd(["sh", "-c", "echo out; echo err >&2"]);
        docker.containers().create(create).await.unwrap();
        let c = docker.containers().get("redir");
        assert_eq!(c.start().await.unwrap(), Change::Done);
        assert_eq!(c.wait().await.unwrap().status_code, 0);
        let items: Vec<_> = c.logs(LogsOptions::new()).map(|o| o.unwrap()).collect().await;
        let on =
            |s: StdStream| items.iter().filter(|o| o.stream == s).map(|o| o.text().into_owned()).collect::<String>();
        assert_eq!((on(StdStream::Stdout), on(StdStream::Stderr)), ("out\n".to_string(), "err\n".to_string()));
        // No file named `&2` was written.
        assert!(c.archive_info("/&2").await.unwrap_err().is_not_found());
    });
}
