//! `curl --unix-socket /var/run/docker.sock http://localhost/containers/json`:
//! the Engine API spoken by hand. The request goes through the same
//! transport and router as the SDK's, so the wire view lists it, and the
//! reply is the daemon's own (status, headers, JSON). `-X`, `-d`, `-H`,
//! `-i` are understood; versioned paths (`/v1.41/...`) too.

use bytes::Bytes;
use dockhand::Body;
use dockhand::transport::Transport;
use futures::StreamExt;

use super::Session;
use super::out::Out;
use super::sdk::{poll_once, ready};
use crate::InMemoryTransport;

/// The socket the local daemon listens on.
const SOCKET: &str = "/var/run/docker.sock";

/// A curl line, as far as it is understood.
#[derive(Default)]
struct Curl {
    socket: String,
    method: Option<String>,
    data: Option<String>,
    headers: Vec<(String, String)>,
    include: bool,
    url: String,
}

/// Splits curl's arguments; `Err` for an option this curl does not know.
fn parse(args: &[String]) -> Result<Curl, String> {
    let mut c = Curl::default();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a, None),
        };
        let takes = ["--unix-socket", "-X", "--request", "-d", "--data", "--data-raw", "-H", "--header"];
        let value = if takes.contains(&name) {
            match inline {
                Some(v) => Some(v),
                None => {
                    i += 1;
                    Some(args.get(i).cloned().ok_or_else(|| format!("curl: option {name}: requires parameter"))?)
                }
            }
        } else {
            None
        };
        match name {
            "--unix-socket" => c.socket = value.unwrap_or_default(),
            "-X" | "--request" => c.method = value,
            "-d" | "--data" | "--data-raw" => c.data = value,
            "-H" | "--header" => {
                if let Some((k, v)) = value.as_deref().and_then(|h| h.split_once(':')) {
                    c.headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            "-i" | "--include" => c.include = true,
            // Quiet, show errors, fail, follow, verbose: nothing to change.
            "-s" | "--silent" | "-S" | "--show-error" | "-sS" | "-L" | "--location" | "-f" | "--fail" => {}
            _ if a.starts_with('-') && a.len() > 1 => return Err(format!("curl: option {a}: is unknown")),
            _ => c.url = a.to_string(),
        }
        i += 1;
    }
    Ok(c)
}

/// The path and query of a URL (`http://localhost/v1.41/version` gives
/// `/v1.41/version`); over a socket, the host part is not used.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
    }
}

impl Session {
    /// `curl --unix-socket SOCKET URL`: one request to the local daemon.
    pub(crate) fn curl_socket(&mut self, args: &[String], out: &mut Out) -> i32 {
        let c = match parse(args) {
            Ok(c) => c,
            Err(e) => {
                out.err(format!("{e}\ncurl: try 'curl --help' for more information\n"));
                return 2;
            }
        };
        if c.socket != SOCKET {
            out.err(
                "curl: (7) Failed to connect to localhost port 80 after 0 ms: Could not connect to server
",
            );
            out.explain(format!(
                "Nothing listens on {}: the daemon's API socket here is {SOCKET}.",
                if c.socket.is_empty() { "that socket" } else { c.socket.as_str() }
            ));
            return 7;
        }
        if c.url.is_empty() {
            out.err("curl: no URL specified\n");
            return 2;
        }
        let path = path_of(&c.url);
        let method = c.method.clone().unwrap_or_else(|| if c.data.is_some() { "POST" } else { "GET" }.into());
        let mut req = http::Request::builder().method(method.as_str()).uri(path.as_str());
        req = req.header("Host", "localhost").header("User-Agent", "curl/8.14.1").header("Accept", "*/*");
        if c.data.is_some() && !c.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
            req = req.header("Content-Type", "application/x-www-form-urlencoded");
        }
        for (k, v) in &c.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let body = Body::full(Bytes::from(c.data.clone().unwrap_or_default()));
        let Ok(request) = req.body(body) else {
            out.err("curl: (3) URL rejected: Malformed input to a URL function\n");
            return 3;
        };
        let local = &self.daemons[0];
        let transport = InMemoryTransport::recording(local.engine.clone(), local.recorder.clone());
        let Some(Ok(response)) = ready(transport.send(request)) else {
            out.err("curl: (52) Empty reply from server\n");
            return 52;
        };
        let (head, mut body) = response.into_parts();
        if c.include {
            let reason = head.status.canonical_reason().unwrap_or("");
            let mut text = format!("HTTP/1.1 {} {reason}\r\n", head.status.as_u16());
            for (k, v) in &head.headers {
                text.push_str(&format!("{}: {}\r\n", title_case(k.as_str()), v.to_str().unwrap_or("")));
            }
            out.out(format!("{text}\r\n"));
        }
        // What the daemon has sent now (a stream such as /events stays open).
        let mut data = Vec::new();
        while let Some(Some(Ok(chunk))) = poll_once(std::pin::pin!(body.next())) {
            data.extend_from_slice(&chunk);
        }
        let mut text = String::from_utf8_lossy(&data).into_owned();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        out.out(text);
        let status = head.status.as_u16();
        out.explain(format!(
            "curl spoke the Engine API by hand: {method} {path} over the daemon's socket ({SOCKET}), the HTTP the docker client sends for you (GET /containers/json is docker ps; see the Wire view). The daemon answered {status} with JSON{}.",
            if status >= 400 { ": its error message" } else { "" }
        ));
        0
    }
}

/// `content-type` as `Content-Type`, as dockerd's Go server writes it.
fn title_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|f| f.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}
