//! Builds an image from a directory (honouring its `.dockerignore`) with an
//! indicatif progress bar over the build steps.
//!
//! ```text
//! cargo run --example build_progress -- ./path/to/context my-image:dev
//! ```

use dockhand::api::BuildOptions;
use dockhand::build_context::BuildContext;
use dockhand::{Docker, fold_progress};
use indicatif::{ProgressBar, ProgressStyle};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| ".".into());
    let tag = args.next().unwrap_or_else(|| "dockhand-example:dev".into());

    let docker = Docker::connect().await?;
    let context = BuildContext::from_dir(&dir)?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] step {pos}/{len} {wide_msg}")?.progress_chars("=> "),
    );

    let stream = docker.images().build(BuildOptions::new().tag(&tag), context);
    let built = fold_progress(stream, |msg| {
        let Some(text) = msg.stream.as_deref() else { return };
        // The classic builder announces "Step 2/5 : RUN ...".
        if let Some(rest) = text.strip_prefix("Step ") {
            if let Some((pos, rest)) = rest.split_once('/') {
                if let Some((len, instruction)) = rest.split_once(" : ") {
                    bar.set_length(len.trim().parse().unwrap_or(0));
                    bar.set_position(pos.trim().parse().unwrap_or(0));
                    bar.set_message(instruction.trim().to_owned());
                }
            }
        } else if !text.trim().is_empty() {
            bar.println(text.trim_end());
        }
    })
    .await;
    match built {
        Ok(done) => {
            bar.finish_with_message("done");
            println!("built {tag}: {}", done.image_id.unwrap_or_default());
            Ok(())
        }
        Err(e) => {
            bar.abandon_with_message("failed");
            Err(e.into())
        }
    }
}
