//! Streams against the real daemon: logs (follow, timestamps, since, tail,
//! tty), attach and exec with a stdin round trip through `cat` and EOF,
//! exec exit codes and tty, and attach over websocket.
//!
//! Every container is named with `common::unique`, labelled
//! `dockhand.test=1`, and force-removed at the end (also on failure).

mod common;

use common::{Cleanup, busybox, create};

use std::time::{Duration, Instant};

use dockhand::api::{AttachOptions, ExecOptions, LogsOptions, RunOptions};
use dockhand::stream::{Framing, Output, StdStream};
use dockhand::{ContainerHandle, Docker, Error};
use futures::{AsyncWriteExt, StreamExt};

/// Reads a stream to its end (bounded in time) and joins stdout and stderr.
async fn read_all(output: impl futures::Stream<Item = dockhand::Result<Output>>) -> Vec<Output> {
    tokio::time::timeout(Duration::from_secs(30), output.map(|o| o.expect("output item")).collect())
        .await
        .expect("the stream ended")
}

fn joined(items: &[Output], stream: StdStream) -> String {
    items.iter().filter(|o| o.stream == stream).map(|o| o.text().into_owned()).collect()
}

#[tokio::test]
async fn logs_follow_delivers_lines_while_the_container_prints() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let script = "for i in 1 2 3 4 5 6; do echo line$i; sleep 0.4; done; echo done >&2";
    let c = create(&docker, &mut cleanup, busybox(image, "logs-follow", &["sh", "-c", script])).await;
    assert!(c.start().await.unwrap().is_done());
    let mut logs = c.logs(LogsOptions::new().follow(true));
    let first = tokio::time::timeout(Duration::from_secs(10), logs.next()).await.unwrap().unwrap().unwrap();
    assert_eq!((first.stream, &first.data[..]), (StdStream::Stdout, &b"line1\n"[..]));
    // The first line came while the container still prints: followed, not
    // collected at the end.
    assert!(c.inspect().await.unwrap().state.running, "the first line arrived only after the container exited");
    let rest = read_all(logs).await;
    assert_eq!(joined(&rest, StdStream::Stdout), "line2\nline3\nline4\nline5\nline6\n");
    assert_eq!(joined(&rest, StdStream::Stderr), "done\n");
    assert_eq!(c.wait().await.unwrap().status_code, 0);
}

#[tokio::test]
async fn logs_with_timestamps_since_and_tail() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let script = "for i in 1 2 3 4 5; do echo n$i; sleep 0.05; done; echo e >&2";
    let c = create(&docker, &mut cleanup, busybox(image, "logs-ts", &["sh", "-c", script])).await;
    let before = dockhand::Timestamp::now() - std::time::Duration::from_secs(5);
    assert!(c.start().await.unwrap().is_done());
    assert_eq!(c.wait().await.unwrap().status_code, 0);
    let after = dockhand::Timestamp::now() + std::time::Duration::from_secs(5);

    let items = read_all(c.logs(LogsOptions::new().timestamps(true).stdout(true))).await;
    let lines: Vec<_> = items.iter().map(|o| o.text().into_owned()).collect();
    assert_eq!(lines, ["n1\n", "n2\n", "n3\n", "n4\n", "n5\n"], "prefix removed, stdout only");
    let times: Vec<_> = items.iter().map(|o| o.timestamp.expect("a timestamp")).collect();
    assert!(times.iter().all(|t| *t > before && *t < after), "{times:?}");
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    // since: strictly after the third line's time.
    let since = times[2] + std::time::Duration::from_nanos(1);
    let items = read_all(c.logs(LogsOptions::new().stdout(true).since(since))).await;
    if common::is_podman(&docker).await {
        // Podman's log times are whole seconds (2026-12-07T14:54:52Z), so
        // lines of the same second as the third may come too.
        assert!(times.iter().all(|t| t.nanosecond() == 0), "{times:?}");
        assert!(joined(&items, StdStream::Stdout).ends_with("n4\nn5\n"), "{items:?}");
    } else {
        assert_eq!(joined(&items, StdStream::Stdout), "n4\nn5\n");
    }
    assert!(items.iter().all(|o| o.timestamp.is_none()), "no timestamps unless asked");

    let items = read_all(c.logs(LogsOptions::new().tail(2))).await;
    assert_eq!(joined(&items, StdStream::Stdout), "n5\n");
    assert_eq!(joined(&items, StdStream::Stderr), "e\n");
}

#[tokio::test]
async fn logs_of_a_tty_container_are_one_console_stream() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let create_tty = busybox(image, "logs-tty", &["sh", "-c", "echo out; echo err >&2"]).tty(true);
    let c = create(&docker, &mut cleanup, create_tty).await;
    assert!(c.start().await.unwrap().is_done());
    assert_eq!(c.wait().await.unwrap().status_code, 0);
    // API 1.41 labels nothing: the container's Tty (an inspect) decides.
    let items = read_all(c.logs(LogsOptions::new())).await;
    assert!(items.iter().all(|o| o.stream == StdStream::Console), "{items:?}");
    assert_eq!(joined(&items, StdStream::Console), "out\r\nerr\r\n");
    // With timestamps, each tty line gets its time.
    let items = read_all(c.logs(LogsOptions::new().timestamps(true).tty(true))).await;
    assert_eq!(joined(&items, StdStream::Console), "out\r\nerr\r\n");
    assert!(items.iter().all(|o| o.timestamp.is_some()));
}

#[tokio::test]
async fn attach_stdin_round_trip_through_cat_and_eof() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let cat = busybox(image, "attach-cat", &["cat"]).open_stdin(true).stdin_once(true).attach(true, true, true);
    let c = create(&docker, &mut cleanup, cat).await;
    let mut attached = c.attach(AttachOptions::new().stdin(true).stdout(true).stderr(true)).await.unwrap();
    assert_eq!(attached.framing(), Framing::Multiplexed);
    assert!(c.start().await.unwrap().is_done());
    attached.input.write_all(b"hello through cat\n").await.unwrap();
    attached.input.flush().await.unwrap();
    // Half-close: cat reads EOF and exits; its output still arrives.
    attached.input.close().await.unwrap();
    let items = read_all(attached.output).await;
    assert_eq!(joined(&items, StdStream::Stdout), "hello through cat\n");
    assert_eq!(c.wait().await.unwrap().status_code, 0);
}

#[tokio::test]
async fn attach_to_a_tty_container_and_resize() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let sh = busybox(image, "attach-tty", &["sh"]).tty(true).open_stdin(true).stdin_once(true).attach(true, true, true);
    let c = create(&docker, &mut cleanup, sh).await;
    let mut attached = c.attach(AttachOptions::new().stdin(true).stdout(true).stderr(true)).await.unwrap();
    assert_eq!(attached.framing(), Framing::Raw);
    assert!(c.start().await.unwrap().is_done());
    attached.resize(dockhand::api::TtySize { height: 33, width: 111 }).await.unwrap();
    attached.input.write_all(b"stty size; exit 5\n").await.unwrap();
    let items = read_all(attached.output).await;
    assert!(items.iter().all(|o| o.stream == StdStream::Console));
    let text = joined(&items, StdStream::Console);
    assert!(text.contains("33 111"), "{text:?}");
    assert_eq!(c.wait().await.unwrap().status_code, 5);
}

/// A running container to exec in.
async fn sleeper(docker: &Docker, cleanup: &mut Cleanup, prefix: &str) -> ContainerHandle {
    let image = common::busybox_image(docker).await;
    let c = create(docker, cleanup, busybox(image, prefix, &["sleep", "300"])).await;
    assert!(c.start().await.unwrap().is_done());
    c
}

#[tokio::test]
async fn exec_stdin_round_trip_exit_code_and_inspect() {
    let Some(docker) = common::daemon().await else { return };
    let mut cleanup = Cleanup(Vec::new());
    let c = sleeper(&docker, &mut cleanup, "exec").await;

    let cat = c.exec(&ExecOptions::new(["cat"]).attach_stdin(true).attach_stdout(true)).await.unwrap();
    let mut attached = cat.start().await.unwrap();
    assert_eq!(attached.framing(), Framing::Multiplexed);
    attached.input.write_all(b"ping\n").await.unwrap();
    attached.input.close().await.unwrap();
    let items = read_all(attached.output).await;
    assert_eq!(joined(&items, StdStream::Stdout), "ping\n");

    let opts = ExecOptions::new(["sh", "-c", "echo out; echo $GREETING >&2; pwd >&2; exit 7"])
        .env("GREETING=hi")
        .working_dir("/tmp")
        .attach_stdout(true)
        .attach_stderr(true);
    let exec = c.exec(&opts).await.unwrap();
    let (stdout, stderr) = exec.start().await.unwrap().collect_output().await.unwrap();
    assert_eq!((&stdout[..], &stderr[..]), (&b"out\n"[..], &b"hi\n/tmp\n"[..]));
    // The exit code can lag the end of the stream by a moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    let info = loop {
        let info = exec.inspect().await.unwrap();
        if !info.running || Instant::now() > deadline {
            break info;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!((info.running, info.exit_code), (false, Some(7)), "{info:?}");
    // Podman clears the pid of an exec that ended.
    assert!(if common::is_podman(&docker).await { info.pid == 0 } else { info.pid > 0 }, "{info:?}");
    assert_eq!(info.process_config.entrypoint, "sh");
    assert!(c.id().starts_with(&info.container_id[..12]) || info.container_id.starts_with(c.id()));

    // The same exec through `docker.exec(id)`.
    assert_eq!(docker.exec(exec.id()).inspect().await.unwrap().exit_code, Some(7));
}

#[tokio::test]
async fn exec_detached_with_a_tty_and_errors() {
    let Some(docker) = common::daemon().await else { return };
    let mut cleanup = Cleanup(Vec::new());
    let c = sleeper(&docker, &mut cleanup, "exec-tty").await;

    // A tty exec: raw output, \r\n line ends, resizable while it runs.
    let exec = c
        .exec(&ExecOptions::new(["sh"]).tty(true).attach_stdin(true).attach_stdout(true).user("nobody"))
        .await
        .unwrap();
    let mut attached = exec.start().await.unwrap();
    assert_eq!(attached.framing(), Framing::Raw);
    attached.resize(dockhand::api::TtySize { height: 20, width: 60 }).await.unwrap();
    attached.input.write_all(b"stty size; id -u; exit 4\n").await.unwrap();
    let items = read_all(attached.output).await;
    let text = joined(&items, StdStream::Console);
    assert!(text.contains("20 60\r\n") && text.contains("65534\r\n"), "{text:?}");

    // Detached: starts and returns; inspect tells the end.
    let exec = c.exec(&ExecOptions::new(["sh", "-c", "exit 3"])).await.unwrap();
    exec.start_detached().await.unwrap();
    if common::is_podman(&docker).await {
        // Podman 4.3 never marks a detached exec as ended: it stays
        // running, with its pid, and exit code 0.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let info = exec.inspect().await.unwrap();
        assert!(info.running && info.pid > 0 && info.exit_code == Some(0), "{info:?}");
    } else {
        let deadline = Instant::now() + Duration::from_secs(10);
        while exec.inspect().await.unwrap().running || exec.inspect().await.unwrap().exit_code.is_none() {
            assert!(Instant::now() < deadline, "the detached exec never finished");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(exec.inspect().await.unwrap().exit_code, Some(3));
    }

    // Errors: a missing exec, and a paused container.
    let err = docker.exec("0000dockhand-no-such-exec").start_detached().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let err = docker.exec("0000dockhand-no-such-exec").inspect().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(c.pause().await.unwrap().is_done());
    let err = c.exec(&ExecOptions::new(["true"])).await.unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    assert!(c.unpause().await.unwrap().is_done());
}

#[tokio::test]
async fn attach_over_websocket_round_trip() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let mut cleanup = Cleanup(Vec::new());
    let cat = busybox(image, "attach-ws", &["cat"]).open_stdin(true).stdin_once(true).attach(true, true, true);
    let c = create(&docker, &mut cleanup, cat).await;
    let ws = c.attach_ws(AttachOptions::new().stdin(true).stdout(true).stderr(true)).await;
    if common::is_podman(&docker).await {
        // Podman 4.3 has no GET /containers/{id}/attach/ws: a 404.
        let Err(err) = ws else { panic!("Podman 4.3 answered attach/ws") };
        assert!(err.is_not_found(), "{err:?}");
        return;
    }
    let mut ws = ws.unwrap();
    assert!(c.start().await.unwrap().is_done());
    ws.input.send("over a websocket\n").await.unwrap();
    let mut text = String::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !text.contains("over a websocket\n") {
        let left = deadline.saturating_duration_since(Instant::now());
        let item = tokio::time::timeout(left, ws.output.next()).await.expect("echo in time").expect("an item");
        let item = item.unwrap();
        assert_eq!(item.stream, StdStream::Console);
        text.push_str(&item.text());
    }
    assert_eq!(text, "over a websocket\n");
    // Closing the websocket ends the attach; with StdinOnce, cat gets EOF.
    ws.input.close().await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(15), c.wait()).await.expect("cat exited").unwrap();
    assert_eq!(status.status_code, 0);
}

#[tokio::test]
async fn run_collects_output_and_types_failures() {
    let Some(docker) = common::daemon().await else { return };
    let image = common::busybox_image(&docker).await;
    let containers = docker.containers();

    let ok = busybox(image, "run-ok", &["sh", "-c", "echo hello; echo note >&2"]);
    let out = containers.run(ok, RunOptions::new().remove(true)).await.unwrap();
    assert_eq!((&out.stdout[..], &out.stderr[..]), (&b"hello\n"[..], &b"note\n"[..]));
    let err = docker.containers().get(&out.id).inspect().await.unwrap_err();
    assert!(err.is_not_found(), "removed: {err:?}");

    let script = "for i in $(seq 1 40); do echo problem $i >&2; done; exit 42";
    let fail = busybox(image, "run-fail", &["sh", "-c", script]);
    let err = containers.run(fail, RunOptions::new()).await.unwrap_err();
    assert_eq!(err.exit_code(), Some(42), "{err:?}");
    let Error::ContainerExit(exit) = &err else { panic!("{err:?}") };
    let _cleanup = Cleanup(vec![exit.id.clone()]);
    assert!(exit.stderr_tail.starts_with("problem 21\n") && exit.stderr_tail.ends_with("problem 40\n"), "{exit:?}");
    assert!(err.to_string().contains("exited with code 42"), "{err}");
    // Kept without `remove`: it is there to inspect.
    let state = docker.containers().get(&exit.id).inspect().await.unwrap().state;
    assert_eq!(state.exit_code, 42);
}
