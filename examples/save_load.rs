//! Saves an image to a tar file (streamed to disk, never whole in memory)
//! and loads it back.
//!
//! ```text
//! cargo run --example save_load -- busybox:latest /tmp/busybox.tar
//! ```

use dockhand::{Body, Docker, fold_progress};
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let image = args.next().ok_or("usage: save_load <image> <file.tar>")?;
    let path = args.next().ok_or("usage: save_load <image> <file.tar>")?;
    let docker = Docker::connect().await?;

    let mut file = tokio::fs::File::create(&path).await?;
    let mut archive = docker.images().get(&image).export();
    let mut written = 0usize;
    while let Some(chunk) = archive.next().await {
        let chunk = chunk?;
        written += chunk.len();
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    println!("saved {image} to {path} ({written} bytes)");

    // Stream the file back as the body of the load.
    let file = tokio::fs::File::open(&path).await?;
    let chunks = futures::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(bytes::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    let loaded = fold_progress(docker.images().load(Body::from_stream(chunks)), |_| {}).await?;
    println!("loaded {:?} {:?}", loaded.loaded, loaded.image_id);
    Ok(())
}
