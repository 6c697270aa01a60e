//! Pushes an image to a registry and pulls it back, with credentials from
//! the docker CLI's configuration (`auths`, `credsStore`, `credHelpers`) and
//! a progress bar per layer.
//!
//! ```text
//! cargo run --example push_pull -- localhost:5000/team/app:1
//! ```

use std::collections::HashMap;

use dockhand::api::{PullOptions, PushOptions};
use dockhand::credentials::CredentialStore;
use dockhand::models::ProgressMessage;
use dockhand::{Docker, fold_progress};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

fn bars() -> impl FnMut(&ProgressMessage) {
    let multi = MultiProgress::new();
    let style = ProgressStyle::with_template("{prefix:>12} [{bar:30}] {bytes}/{total_bytes} {msg}")
        .expect("template")
        .progress_chars("=> ");
    let mut layers: HashMap<String, ProgressBar> = HashMap::new();
    move |msg| {
        let (Some(id), Some(status)) = (&msg.id, &msg.status) else {
            if let Some(status) = &msg.status {
                let _ = multi.println(status);
            }
            return;
        };
        let bar = layers.entry(id.clone()).or_insert_with(|| {
            let bar = multi.add(ProgressBar::new(0).with_style(style.clone()));
            bar.set_prefix(id.chars().take(12).collect::<String>());
            bar
        });
        if let Some(detail) = msg.progress_detail {
            if let Some(total) = detail.total {
                bar.set_length(total.max(0) as u64);
            }
            if let Some(current) = detail.current {
                bar.set_position(current.max(0) as u64);
            }
        }
        bar.set_message(status.clone());
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let image = std::env::args().nth(1).ok_or("usage: push_pull <registry/repo:tag>")?;
    let docker = Docker::connect().await?;
    let store = CredentialStore::from_env()?;
    let auth = store.for_image(&image)?;
    println!("credentials for {image}: {}", if auth.is_some() { "found" } else { "none" });

    let mut push = PushOptions::new(&image);
    let mut pull = PullOptions::new(&image);
    if let Some(auth) = auth {
        push = push.auth(auth.clone());
        pull = pull.auth(auth);
    }
    let pushed = fold_progress(docker.images().push(push), bars()).await?;
    println!("pushed {image} as {}", pushed.digest.as_deref().unwrap_or("?"));
    let pulled = fold_progress(docker.images().pull(pull), bars()).await?;
    println!("pulled {image}: {}", pulled.digest.as_deref().unwrap_or("?"));
    Ok(())
}
