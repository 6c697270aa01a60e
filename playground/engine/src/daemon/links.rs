//! Legacy links (`--link NAME:ALIAS`, `HostConfig.Links`) on the default
//! bridge, after dockerd's `daemon/links.go`: made at create (the linked
//! container must exist), resolved at start (it must run) into the linking
//! container's variables and `/etc/hosts` lines, listed as the linked
//! container's extra name (`/PARENT/ALIAS`) and removed by `DELETE
//! /containers/PARENT/ALIAS?link=1`.

use crate::error::{ApiErr, err};
use crate::state::*;

/// `NAME[:ALIAS]` (or `/NAME:/PARENT/ALIAS`, as inspect shows it) split
/// into the name and the alias, as dockerd's `opts.ParseLink`.
fn parse(link: &str) -> Result<(String, String), ApiErr> {
    if link.is_empty() {
        return Err(err(400, "empty string specified for links"));
    }
    let parts: Vec<&str> = link.split(':').collect();
    match parts.as_slice() {
        [name] => Ok((name.trim_start_matches('/').to_string(), name.trim_start_matches('/').to_string())),
        [name, alias] if name.starts_with('/') => {
            Ok((name[1..].to_string(), alias.rsplit('/').next().unwrap_or(alias).to_string()))
        }
        [name, alias] => Ok((name.to_string(), alias.to_string())),
        _ => Err(err(400, format!("bad format for links: {link}"))),
    }
}

/// The links `given` (`NAME:ALIAS`) for a new container: each linked
/// container must exist (`400 could not get container for NAME: ...` as
/// dockerd says).
pub(crate) fn register(st: &State, given: &[String]) -> Result<Vec<Link>, ApiErr> {
    let mut links: Vec<Link> = Vec::new();
    for l in given {
        let (name, alias) = parse(l)?;
        let child = st
            .find_container(&name)
            .map_err(|e| err(400, format!("could not get container for {name}: {}", e.message)))?;
        let child_c = &st.containers[&child];
        if child_c.network_mode == "host" {
            return Err(err(
                400,
                "conflicting options: host type networking can't be used with links. This would result in undefined behavior",
            ));
        }
        if alias.is_empty() || links.iter().any(|k| k.alias == alias) {
            return Err(err(409, format!("Conflict. The name \"{alias}\" is already in use by another link.")));
        }
        links.push(Link { child, child_name: child_c.name.clone(), alias });
    }
    Ok(links)
}

/// At start: every linked container must run; the variables and
/// `/etc/hosts` lines its links give container `cid` are kept on it.
pub(crate) fn resolve(st: &mut State, cid: &str) -> Result<(), ApiErr> {
    let Some(c) = st.containers.get(cid) else { return Ok(()) };
    let mut env = Vec::new();
    let mut hosts = Vec::new();
    for l in &c.links {
        let child = st.containers.get(&l.child).filter(|k| matches!(k.status, Status::Running | Status::Paused));
        let Some(child) = child else {
            return Err(err(
                500,
                format!("Cannot link to a non running container: /{} AS /{}/{}", l.child_name, c.name, l.alias),
            ));
        };
        let ip = child.networks.get("bridge").map(|e| e.ip.clone()).unwrap_or_default();
        env.extend(variables(child, &ip, &format!("/{}/{}", c.name, l.alias), &l.alias));
        let mut names = vec![l.alias.clone()];
        for n in [&child.hostname, &child.name] {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
        hosts.push(format!("{ip}\t{}", names.join(" ")));
    }
    if let Some(c) = st.containers.get_mut(cid) {
        c.link_env = env;
        c.link_hosts = hosts;
    }
    Ok(())
}

/// The variables one link gives, as dockerd's `Link.ToEnv` (without its
/// collapsing of port ranges): the ports, the name, the linked container's
/// environment but `HOME` and `PATH`.
fn variables(child: &Container, ip: &str, full_name: &str, alias: &str) -> Vec<String> {
    let prefix = alias.to_uppercase().replace('-', "_");
    let mut ports: Vec<(u32, String)> = child
        .exposed_ports
        .iter()
        .map(|p| {
            let (port, proto) = p.split_once('/').unwrap_or((p, "tcp"));
            (port.parse().unwrap_or(0), proto.to_lowercase())
        })
        .collect();
    // By number, tcp before others on the same number.
    ports.sort_by(|a, b| a.0.cmp(&b.0).then((a.1 != "tcp").cmp(&(b.1 != "tcp"))));
    let mut env = Vec::new();
    if let Some((port, proto)) = ports.first() {
        env.push(format!("{prefix}_PORT={proto}://{ip}:{port}"));
    }
    for (port, proto) in &ports {
        let key = format!("{prefix}_PORT_{port}_{}", proto.to_uppercase());
        env.push(format!("{key}={proto}://{ip}:{port}"));
        env.push(format!("{key}_ADDR={ip}"));
        env.push(format!("{key}_PORT={port}"));
        env.push(format!("{key}_PROTO={proto}"));
    }
    env.push(format!("{prefix}_NAME={full_name}"));
    for kv in &child.env {
        let Some((k, v)) = kv.split_once('=') else { continue };
        if k != "HOME" && k != "PATH" {
            env.push(format!("{prefix}_ENV_{k}={v}"));
        }
    }
    env
}

/// `HostConfig.Links` of `c`: `/NAME:/PARENT/ALIAS` each (`None`: none).
pub(crate) fn shown(c: &Container) -> Option<Vec<String>> {
    let links: Vec<String> = c.links.iter().map(|l| format!("/{}:/{}/{}", l.child_name, c.name, l.alias)).collect();
    (!links.is_empty()).then_some(links)
}

/// The names container `cid` is also known by through links to it
/// (`/PARENT/ALIAS`), as the container list shows them.
pub(crate) fn names_of(st: &State, cid: &str) -> Vec<String> {
    let mut names = Vec::new();
    for parent in st.containers.values() {
        for l in parent.links.iter().filter(|l| l.child == cid) {
            names.push(format!("/{}/{}", parent.name, l.alias));
        }
    }
    names.sort();
    names
}

/// The container and link a link name (`PARENT/ALIAS`) names.
fn find(st: &State, name: &str) -> Option<(String, usize)> {
    let (parent, alias) = name.trim_start_matches('/').rsplit_once('/')?;
    let pid = st.containers.values().find(|c| c.name == parent.trim_start_matches('/'))?.id.clone();
    let i = st.containers[&pid].links.iter().position(|l| l.alias == alias)?;
    Some((pid, i))
}

/// The linked container a link name (`PARENT/ALIAS`) stands for, as
/// dockerd resolves such a name anywhere a container is asked for.
pub(crate) fn child_of(st: &State, name: &str) -> Option<String> {
    let (pid, i) = find(st, name)?;
    let child = &st.containers[&pid].links[i].child;
    st.containers.contains_key(child).then(|| child.clone())
}

/// `DELETE /containers/PARENT/ALIAS?link=1`: removes the link (the
/// containers stay). A container's own name is refused, as dockerd refuses
/// it; a link name nobody has is `404 No such container`.
pub(crate) fn unlink(st: &mut State, name: &str) -> Result<(), ApiErr> {
    let Some((pid, i)) = find(st, name) else {
        st.find_container(name)?;
        return Err(err(500, "Conflict, cannot remove the default link name of the container"));
    };
    if let Some(parent) = st.containers.get_mut(&pid) {
        parent.links.remove(i);
    }
    Ok(())
}
