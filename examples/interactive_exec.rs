//! An interactive shell in a container through exec: this terminal's lines
//! go to `sh` inside, its output comes back as it is written. End with
//! Ctrl-D (EOF half-closes the exec's stdin; the shell exits and the output
//! stream ends) or `exit N` (N becomes the exit code, read by inspect).
//!
//! ```text
//! cargo run --example interactive_exec [IMAGE]
//! echo 'id; echo $HOME; exit 3' | cargo run --example interactive_exec
//! ```
//!
//! `IMAGE` defaults to `dockhand-test/busybox:latest`, the image the test
//! suite imports (see the `lifecycle` example for making it by hand). No tty
//! is used, so stdout and stderr stay apart (stderr is shown in brackets).

use std::io::Write;

use dockhand::Docker;
use dockhand::api::{ContainerCreate, ContainerRemoveOptions, ExecOptions};
use dockhand::stream::StdStream;
use futures::{AsyncWriteExt, StreamExt};

#[tokio::main]
async fn main() {
    let image = std::env::args().nth(1).unwrap_or_else(|| String::from("dockhand-test/busybox:latest"));
    if let Err(e) = run(&image).await {
        eprintln!("interactive_exec: {e}");
        std::process::exit(1);
    }
}

async fn run(image: &str) -> dockhand::Result<()> {
    let docker = Docker::connect().await?;
    let create = ContainerCreate::new(image)
        .name(format!("dockhand-interactive-exec-{}", std::process::id()))
        .label("dockhand.example", "interactive_exec")
        .network_mode("none")
        .cmd(["sleep", "3600"]);
    let container = docker.containers().get(docker.containers().create(create).await?.id);
    container.start().await?;

    let result = async {
        let exec = container
            .exec(&ExecOptions::new(["sh"]).attach_stdin(true).attach_stdout(true).attach_stderr(true))
            .await?;
        let dockhand::Attached { mut output, mut input, .. } = exec.start().await?;

        // This terminal's lines to the shell (read on a thread: stdin
        // blocks), EOF as a half-close.
        let (lines_tx, mut lines) = tokio::sync::mpsc::channel::<String>(16);
        std::thread::spawn(move || {
            for line in std::io::stdin().lines() {
                let Ok(line) = line else { break };
                if lines_tx.blocking_send(line).is_err() {
                    break;
                }
            }
        });
        let feeder = tokio::spawn(async move {
            while let Some(line) = lines.recv().await {
                if input.write_all(format!("{line}\n").as_bytes()).await.is_err() {
                    break;
                }
            }
            let _ = input.close().await;
        });

        while let Some(item) = output.next().await {
            let item = item?;
            match item.stream {
                StdStream::Stderr => eprint!("[{}]", item.text()),
                _ => print!("{}", item.text()),
            }
            let _ = std::io::stdout().flush();
        }
        feeder.abort();
        let info = exec.inspect().await?;
        println!("shell exited with {:?}", info.exit_code);
        Ok::<_, dockhand::Error>(())
    }
    .await;
    container.remove_with(ContainerRemoveOptions::new().force(true)).await?;
    result
}
