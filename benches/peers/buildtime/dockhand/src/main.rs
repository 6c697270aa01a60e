//! Lists the containers of the daemon `Docker::connect()` finds: the
//! one-file program whose clean release build issue 17 measures.

#[tokio::main]
async fn main() {
    let docker = dockhand::Docker::connect().await.expect("a client");
    for c in docker.containers().list(Default::default()).await.expect("the list") {
        println!("{} {}", c.id, c.image);
    }
}
