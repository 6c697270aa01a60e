//! Connects to the daemon the environment names, the way the docker CLI
//! would, and prints where it went and why: the address, the rule that chose
//! it (DOCKER_HOST, DOCKER_CONTEXT, the current context, the default
//! socket), TLS or ssh details, then the daemon's version.
//!
//! ```text
//! cargo run --example connect                 # whatever the environment says
//! cargo run --example connect -- --list       # the contexts, as `docker context ls`
//! cargo run --example connect -- --context prod
//! DOCKER_HOST=ssh://me@build-box cargo run --example connect
//! DOCKER_HOST=tcp://10.0.0.5:2376 DOCKER_TLS_VERIFY=1 cargo run --example connect
//! ```

use dockhand::config::{self, Endpoint, SystemEnvironment};
use dockhand::{Docker, Host};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--list") => list(),
        Some("--context") => match args.get(1) {
            Some(name) => connect(config::resolve_context(&SystemEnvironment, name)).await,
            None => Err("--context needs a name".to_owned()),
        },
        None => connect(config::resolve_endpoint(&SystemEnvironment)).await,
        Some(other) => Err(format!("unknown argument {other:?}; try --list or --context NAME")),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn list() -> Result<(), String> {
    let env = SystemEnvironment;
    let current = config::current_context(&env).map_err(|e| e.to_string())?;
    for context in config::list_contexts(&env).map_err(|e| e.to_string())? {
        let mark = if context.name == current { "*" } else { " " };
        let host = context.host.map_or_else(|| "-".to_owned(), |h| h.to_string());
        let tls = match &context.tls {
            Some(t) if t.danger_accept_invalid_certs => " (TLS, unverified)",
            Some(_) => " (TLS)",
            None => "",
        };
        println!("{mark} {:<20} {host}{tls}  {}", context.name, context.description.unwrap_or_default());
    }
    Ok(())
}

async fn connect(endpoint: dockhand::Result<Endpoint>) -> Result<(), String> {
    let endpoint = endpoint.map_err(|e| e.to_string())?;
    println!("daemon:  {}", endpoint.host);
    println!("because: {}", endpoint.source);
    match (&endpoint.host, &endpoint.tls) {
        (_, Some(tls)) => {
            println!("TLS:     settings from {}", tls.origin);
            if tls.danger_accept_invalid_certs {
                println!("         the daemon's certificate is NOT verified");
            } else {
                let ca = tls.ca.as_ref().map_or("the system's root certificates", |c| c.origin());
                println!("         daemon verified against {ca}");
            }
            match &tls.cert {
                Some(cert) => println!("         client certificate {}", cert.origin()),
                None => println!("         no client certificate"),
            }
        }
        (Host::Ssh { .. }, None) => {
            println!("ssh:     runs `ssh ... docker system dial-stdio` with your ssh config and agent")
        }
        (Host::Tcp { .. }, None) => println!("note:    plain TCP, unencrypted"),
        _ => {}
    }
    if let Some(v) = endpoint.api_version {
        println!("API:     pinned to {v} by DOCKER_API_VERSION");
    }
    let docker = Docker::builder().endpoint(endpoint).build().map_err(|e| e.to_string())?;
    let version = docker.version().await.map_err(|e| e.to_string())?;
    let api = docker.api_version().await.map_err(|e| e.to_string())?;
    println!("reached: Docker {} ({} {}), speaking API {api}", version.version, version.os, version.arch);
    Ok(())
}
