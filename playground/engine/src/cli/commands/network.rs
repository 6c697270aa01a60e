//! `docker network ...`: ls, create, rm, connect, disconnect, inspect.

use dockhand::api::{NetworkCreateOptions, NetworkFilters};
use dockhand::models::EndpointSettings;
use serde_json::{Value, json};

use super::key_values;
use super::{Command, Complete};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::out::Out;
use crate::cli::out::print_rows;

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "network ls",
            usage: "network ls [OPTIONS]",
            about: "List networks",
            flags: &[
                ("quiet", Some('q'), false),
                ("filter", Some('f'), true),
                ("format", None, true),
                ("no-trunc", None, false),
            ],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &["network list"],
        run: Session::network_ls,
        explain: Some(
            "Networks: bridge (the default), host (share the host's network), none (no network), and user-defined ones.",
        ),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "network create",
            usage: "network create [OPTIONS] NETWORK",
            about: "Create a network",
            flags: &[
                ("driver", Some('d'), true),
                ("internal", None, false),
                ("label", None, true),
                ("subnet", None, true),
                ("attachable", None, false),
            ],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &[],
        run: Session::network_create,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "network rm",
            usage: "network rm NETWORK [NETWORK...]",
            about: "Remove one or more networks",
            flags: &[("force", Some('f'), false)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["network remove"],
        run: Session::network_rm,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "network connect",
            usage: "network connect [OPTIONS] NETWORK CONTAINER",
            about: "Connect a container to a network",
            flags: &[("alias", None, true), ("ip", None, true)],
            min: 2,
            max: 2,
            interspersed: true,
        },
        aliases: &[],
        run: Session::network_connect,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "network disconnect",
            usage: "network disconnect [OPTIONS] NETWORK CONTAINER",
            about: "Disconnect a container from a network",
            flags: &[("force", Some('f'), false)],
            min: 2,
            max: 2,
            interspersed: true,
        },
        aliases: &[],
        run: Session::network_disconnect,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "network inspect",
            usage: "network inspect [OPTIONS] NETWORK [NETWORK...]",
            about: "Display detailed information on one or more networks",
            flags: &[("format", Some('f'), true)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &[],
        run: Session::network_inspect,
        explain: None,
        complete: Complete::Objects,
    },
];

impl Session {
    fn network_ls(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let list = match self.sdk(self.docker().networks().list(NetworkFilters::new())) {
            Ok(v) => v,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let rows: Vec<Value> = list
            .iter()
            .map(|n| {
                let id = if p.has("no-trunc") { n.id.as_str() } else { &n.id[..12.min(n.id.len())] };
                json!({"ID": id, "Name": n.name, "Driver": n.driver, "Scope": n.scope})
            })
            .collect();
        let header = [("ID", "NETWORK ID"), ("Name", "NAME"), ("Driver", "DRIVER"), ("Scope", "SCOPE")];
        print_rows(p, "ID", &header, &rows, "*network.networkContext", out)
    }

    fn network_create(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        let mut opts = NetworkCreateOptions::new(a[0].as_str())
            .driver(p.val("driver").unwrap_or("bridge"))
            .internal(p.has("internal"));
        for (k, v) in key_values(&p.vals("label")) {
            opts = opts.label(k, v);
        }
        match self.sdk(self.docker().networks().create(opts)) {
            Ok(created) => {
                out.line(created.id);
                out.explain("A user-defined bridge network: containers on it reach each other by name, through the daemon's embedded DNS server (127.0.0.11). The default bridge has no DNS.");
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn network_rm(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        self.each(a, out, "network rm", |s, id| {
            s.sdk(s.docker().networks().get(id).remove()).map(|_| dockhand::Change::Done)
        })
    }

    fn network_connect(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        let mut endpoint = EndpointSettings::default();
        endpoint.aliases = p.vals("alias");
        match self.sdk(self.docker().networks().get(a[0].as_str()).connect_with(&a[1], endpoint)) {
            Ok(()) => 0,
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn network_disconnect(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        match self.sdk(
            self.docker()
                .networks()
                .get(a[0].as_str())
                .disconnect_with(&a[1], dockhand::api::NetworkDisconnectOptions::new().force(p.has("force"))),
        ) {
            Ok(()) => 0,
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn network_inspect(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        self.inspect_kind(a, "network", p.val("format"), out)
    }
}
