//! `docker service update`: the CLI reads the service, changes its spec as
//! the flags say, and sends it back with the version it read (`POST
//! /services/{id}/update?version=N`), then follows the rollout as `service
//! create` does.

use dockhand::api::ServiceUpdateOptions;
use dockhand::models::{EndpointPortConfig, ServiceSpec};

use super::{Command, Complete};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::out::Out;

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[Command {
    spec: Spec {
        name: "service update",
        usage: "service update [OPTIONS] SERVICE",
        about: "Update a service",
        flags: &[
            ("replicas", None, true),
            ("image", None, true),
            ("publish-add", None, true),
            ("publish-rm", None, true),
            ("env-add", None, true),
            ("env-rm", None, true),
            ("force", None, false),
            ("detach", Some('d'), false),
            ("quiet", Some('q'), false),
        ],
        min: 1,
        max: 1,
        interspersed: true,
    },
    aliases: &[],
    run: Session::service_update,
    explain: None,
    complete: Complete::Objects,
}];

/// `[PUBLISHED:]TARGET[/PROTOCOL]` as the CLI reads `--publish-add` and
/// `--publish-rm`; `None` when it is no port.
fn port_of(text: &str) -> Option<EndpointPortConfig> {
    let (ports, proto) = text.split_once('/').unwrap_or((text, "tcp"));
    if !matches!(proto, "tcp" | "udp" | "sctp") {
        return None;
    }
    let (published, target) = match ports.split_once(':') {
        Some((p, t)) => (Some(p.parse().ok()?), t.parse().ok()?),
        None => (None, ports.parse().ok()?),
    };
    let mut port = EndpointPortConfig::default();
    port.protocol = proto.to_string();
    port.target_port = target;
    port.published_port = published;
    Some(port)
}

/// The flags applied to `spec`, as the CLI's `updateService` does: a
/// port is removed by its target port (`--publish-rm 80` removes
/// `8080:80`), before the added ones; `Err` is the CLI's message.
fn apply(p: &Parsed, spec: &mut ServiceSpec) -> Result<(), String> {
    if let Some(n) = p.val("replicas") {
        let n: u64 = n.parse().map_err(|_| {
            format!(
                "invalid argument \"{n}\" for \"--replicas\" flag: strconv.ParseUint: parsing \"{n}\": invalid syntax"
            )
        })?;
        if spec.mode.replicated.is_none() {
            return Err("replicas can only be used with replicated mode".into());
        }
        *spec = std::mem::take(spec).replicas(n);
    }
    if let Some(image) = p.val("image") {
        spec.container_mut().image = image.to_string();
    }
    let env = &mut spec.container_mut().env;
    for key in p.vals("env-rm") {
        env.retain(|e| e.split('=').next() != Some(key.as_str()));
    }
    for pair in p.vals("env-add") {
        let key = pair.split('=').next().unwrap_or_default().to_string();
        env.retain(|e| e.split('=').next() != Some(key.as_str()));
        env.push(pair);
    }
    let bad = |flag: &str, v: &str| format!("invalid argument \"{v}\" for \"--{flag}\" flag: invalid port");
    let mut removed = Vec::new();
    for v in p.vals("publish-rm") {
        removed.push(port_of(&v).ok_or_else(|| bad("publish-rm", &v))?);
    }
    let mut added = Vec::new();
    for v in p.vals("publish-add") {
        added.push(port_of(&v).ok_or_else(|| bad("publish-add", &v))?);
    }
    if !removed.is_empty() || !added.is_empty() {
        let endpoint = spec.endpoint_spec.get_or_insert_with(Default::default);
        let proto = |p: &EndpointPortConfig| if p.protocol.is_empty() { "tcp".to_string() } else { p.protocol.clone() };
        endpoint
            .ports
            .retain(|port| !removed.iter().any(|r| r.target_port == port.target_port && proto(r) == proto(port)));
        for port in added {
            if !endpoint.ports.iter().any(|q| {
                q.target_port == port.target_port && q.published_port == port.published_port && proto(q) == proto(&port)
            }) {
                endpoint.ports.push(port);
            }
        }
    }
    Ok(())
}

impl Session {
    /// `docker service update [OPTIONS] SERVICE`: prints the service's name
    /// as typed, then (unless `-d`) the rollout until it converged.
    fn service_update(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let name = &p.args[0];
        let handle = self.docker().services().get(name);
        let current = match self.sdk(handle.inspect()) {
            Ok(s) => s,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let mut spec = current.spec.clone();
        if let Err(e) = apply(p, &mut spec) {
            out.err(format!("{e}\nSee 'docker service update --help'.\n"));
            return 1;
        }
        if p.has("force") {
            spec.task_template.force_update += 1;
        }
        if let Err(e) = self.sdk(handle.update(current.version, spec, ServiceUpdateOptions::new())) {
            return self.daemon_error(e, out, 1, "");
        }
        out.line(name);
        out.explain(format!(
            "The CLI read the service (GET /services/{name}), changed its spec and sent it back with the version it read (POST /services/{{id}}/update?version={}): the orchestrator replaces or adds tasks until the service matches. `docker service ps {name}` shows the old tasks shut down and the new ones.",
            current.version.index
        ));
        if p.has("detach")
            || p.has("quiet")
            || current.spec.mode.replicated.is_none() && current.spec.mode.global.is_none()
        {
            return 0;
        }
        self.converge(&current.id, name, out)
    }
}
