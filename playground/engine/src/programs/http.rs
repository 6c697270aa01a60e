//! HTTP between containers: name resolution, the servers' answers, and
//! the clients' fetch (`wget`, `curl`).

use super::nginx::go_time;
use super::{Ctx, Flow};
use crate::fs::normalize;
use crate::state::{Node, Program, State, Status};

/// Finds the container `host` names, seen from container `cid`: itself for
/// `localhost`, others by name or alias on a shared user network (the
/// embedded DNS), or by IP on a shared network.
pub fn resolve_host(state: &State, cid: &str, host: &str) -> Option<String> {
    resolve_within(state, cid, host, 0)
}

/// [`resolve_host`], `hops` names deep: hosts entries and links that name
/// each other in a circle resolve to nothing.
fn resolve_within(state: &State, cid: &str, host: &str, hops: u32) -> Option<String> {
    if hops > 8 {
        return None;
    }
    if host == "localhost" || host == "127.0.0.1" {
        return Some(cid.to_string());
    }
    let me = state.containers.get(cid)?;
    // `--add-host` lines (`ip\thost`) and the legacy links' (`ip\talias
    // hostname name`) of its /etc/hosts come first.
    let in_hosts =
        me.extra_hosts.iter().chain(&me.link_hosts).find_map(|l| {
            l.split_once('\t').filter(|(_, names)| names.split(' ').any(|h| h == host)).map(|(ip, _)| ip)
        });
    if let Some(ip) = in_hosts {
        return if ip == host { None } else { resolve_within(state, cid, ip, hops + 1) };
    }
    // An endpoint's links (`NAME:ALIAS`) on a network of its own: the alias
    // resolves to the container of that name.
    let linked = me.networks.values().filter_map(|ep| ep.kept.get("Links")).find_map(|links| {
        let links: Vec<String> = serde_json::from_str(links).unwrap_or_default();
        links.into_iter().find_map(|l| l.split_once(':').filter(|(_, a)| *a == host).map(|(n, _)| n.to_string()))
    });
    if let Some(name) = linked.filter(|n| n != host) {
        return resolve_within(state, cid, &name, hops + 1);
    }
    for other in state.containers.values() {
        for (net, ep) in &other.networks {
            let Some(mine) = me.networks.get(net) else { continue };
            let _ = mine;
            let user_net = !matches!(net.as_str(), "bridge" | "host" | "none");
            if !ep.ip.is_empty() && ep.ip == host {
                return Some(other.id.clone());
            }
            if user_net
                && (other.name == host
                    || ep.aliases.iter().any(|a| a == host)
                    || other.id.starts_with(host) && host.len() >= 12)
            {
                return Some(other.id.clone());
            }
        }
    }
    None
}

/// The IP of container `cid` as seen from `from` (its first shared
/// network's address).
pub(crate) fn ip_of(state: &State, cid: &str, from: &str) -> String {
    let Some(c) = state.containers.get(cid) else { return String::new() };
    if cid == from {
        return "127.0.0.1".into();
    }
    let mine = state.containers.get(from);
    c.networks
        .iter()
        .find(|(n, _)| mine.is_some_and(|m| m.networks.contains_key(*n)))
        .or_else(|| c.networks.iter().next())
        .map(|(_, e)| e.ip.clone())
        .unwrap_or_default()
}

/// An HTTP GET to `port` of container `target`: `(status, body)`, or the
/// connection error.
pub fn http_get(
    state: &mut State,
    target: &str,
    port: u16,
    path: &str,
    client_ip: &str,
    agent: &str,
) -> Result<(u16, String), String> {
    let Some(c) = state.containers.get(target) else { return Err("Connection refused".into()) };
    if c.status == Status::Paused {
        return Err("Connection timed out".into());
    }
    if c.status != Status::Running {
        return Err("Connection refused".into());
    }
    let program = c.processes.first().map(|p| p.program.clone());
    let is_python_server =
        c.processes.first().is_some_and(|p| p.argv.iter().any(|a| a.contains("http.server") || a.ends_with(".py")));
    match program {
        Some(Program::Nginx) if port == 80 => {
            let file = if path.ends_with('/') {
                format!("/usr/share/nginx/html{path}index.html")
            } else {
                format!("/usr/share/nginx/html{path}")
            };
            let file = normalize("/", &file);
            let (status, body) = match state.read_node(target, &state.resolve_link(target, &file)) {
                Some(Node::File { data }) => (200, data),
                _ => (404, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.29.0</center>\r\n</body>\r\n</html>\r\n".to_string()),
            };
            let (_, clf) = go_time(state.clock_ms);
            let line = format!(
                "{client_ip} - - [{clf}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"{agent}\" \"-\"\n",
                body.len()
            );
            state.append_logs(target, vec![(1, line)]);
            if let Some(c) = state.containers.get_mut(target) {
                c.requests += 1;
            }
            Ok((status, body))
        }
        Some(Program::Httpd { port: listening, home }) if port == listening => {
            let mut file = normalize(&home, &format!(".{path}"));
            if path.ends_with('/') || matches!(state.read_node(target, &file), Some(Node::Dir)) {
                file = format!("{}/index.html", file.trim_end_matches('/'));
            }
            match state.read_node(target, &state.resolve_link(target, &file)) {
                Some(Node::File { data }) => Ok((200, data)),
                _ => Ok((404, "<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n".into())),
            }
        }
        Some(Program::Forever) if is_python_server && (port == 8000 || port == 5000) => {
            let cwd = state
                .containers
                .get(target)
                .map(|c| if c.workdir.is_empty() { "/".to_string() } else { c.workdir.clone() })
                .unwrap_or_default();
            let names = state.list_dir(target, &cwd);
            let items: String = names.iter().map(|n| format!("<li><a href=\"{n}\">{n}</a></li>\n")).collect();
            let (_, clf) = go_time(state.clock_ms);
            state.append_logs(target, vec![(2, format!("{client_ip} - - [{clf}] \"GET {path} HTTP/1.1\" 200 -\n"))]);
            Ok((
                200,
                format!(
                    "<!DOCTYPE HTML>\n<html>\n<title>Directory listing for {path}</title>\n<body>\n<h1>Directory listing for {path}</h1>\n<ul>\n{items}</ul>\n</body>\n</html>\n"
                ),
            ))
        }
        _ => Err("Connection refused".into()),
    }
}

/// Parses `http://host[:port]/path`.
pub fn parse_url(url: &str) -> Option<(String, u16, String)> {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    if rest.starts_with("https://") {
        return None;
    }
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (hostport.to_string(), 80),
    };
    if host.is_empty() {
        return None;
    }
    Some((host, port, path))
}

/// `wget`/`curl`: fetches `url` from container `cid`.
pub fn fetch_into(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    url: &str,
    to_stdout: bool,
    quiet: bool,
    agent: &str,
) -> Flow {
    let Some((host, port, path)) = parse_url(url) else {
        ctx.eprint(format!("wget: not an http or ftp url: {url}\n"));
        return Flow::Exit(1);
    };
    let Some(target) = resolve_host(state, cid, &host) else {
        ctx.eprint(format!("wget: bad address '{host}'\n"));
        return Flow::Exit(1);
    };
    let ip = ip_of(state, &target, cid);
    let client_ip = ip_of(state, cid, &target);
    if !quiet {
        ctx.eprint(format!(
            "Connecting to {host}{} ({ip}:{port})\n",
            if port == 80 { String::new() } else { format!(":{port}") }
        ));
    }
    match http_get(state, &target, port, &path, &client_ip, agent) {
        Ok((200, body)) => {
            if to_stdout {
                ctx.print(body);
            } else {
                let file = path.rsplit('/').next().filter(|f| !f.is_empty()).unwrap_or("index.html").to_string();
                let dest = normalize(&ctx.cwd, &file);
                let len = body.len();
                let _ = state.write_node(cid, &dest, Node::File { data: body });
                if !quiet {
                    ctx.eprint(format!("saving to '{file}'\n{file:<20} 100% |********************************|   {len}  0:00:00 ETA\n'{file}' saved\n"));
                }
            }
            Flow::Exit(0)
        }
        Ok((status, _)) => {
            ctx.eprint(format!("wget: server returned error: HTTP/1.1 {status} Not Found\n"));
            Flow::Exit(1)
        }
        Err(e) => {
            ctx.eprint(format!("wget: can't connect to remote host ({ip}): {e}\n"));
            Flow::Exit(1)
        }
    }
}
