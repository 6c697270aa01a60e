//! Lists the containers of the local daemon: the bollard side of issue 17's
//! compile-time comparison.

#[tokio::main]
async fn main() {
    let docker = bollard::Docker::connect_with_defaults().expect("a client");
    let list = docker.list_containers(None::<bollard::query_parameters::ListContainersOptions>).await.expect("the list");
    for c in list {
        println!("{} {}", c.id.unwrap_or_default(), c.image.unwrap_or_default());
    }
}
