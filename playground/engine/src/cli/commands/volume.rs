//! `docker volume ...`: ls, create, rm, inspect.

use dockhand::api::{VolumeCreateOptions, VolumeFilters};
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
            name: "volume ls",
            usage: "volume ls [OPTIONS]",
            about: "List volumes",
            flags: &[("quiet", Some('q'), false), ("filter", Some('f'), true), ("format", None, true)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &["volume list"],
        run: Session::volume_ls,
        explain: Some("Volumes managed by the daemon."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "volume create",
            usage: "volume create [OPTIONS] [VOLUME]",
            about: "Create a volume",
            flags: &[("driver", Some('d'), true), ("label", None, true), ("name", None, true)],
            min: 0,
            max: 1,
            interspersed: true,
        },
        aliases: &[],
        run: Session::volume_create,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "volume rm",
            usage: "volume rm [OPTIONS] VOLUME [VOLUME...]",
            about: "Remove one or more volumes",
            flags: &[("force", Some('f'), false)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["volume remove"],
        run: Session::volume_rm,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "volume inspect",
            usage: "volume inspect [OPTIONS] VOLUME [VOLUME...]",
            about: "Display detailed information on one or more volumes",
            flags: &[("format", Some('f'), true)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &[],
        run: Session::volume_inspect,
        explain: None,
        complete: Complete::Objects,
    },
];

impl Session {
    fn volume_ls(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let list = match self.sdk(self.docker().volumes().list(VolumeFilters::new())) {
            Ok(v) => v,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let rows: Vec<Value> = list
            .volumes
            .iter()
            .map(|v| json!({"Driver": v.driver, "Name": v.name, "Mountpoint": v.mountpoint, "Scope": v.scope.as_str()}))
            .collect();
        print_rows(p, "Name", &[("Driver", "DRIVER"), ("Name", "VOLUME NAME")], &rows, "*formatter.volumeContext", out)
    }

    fn volume_create(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        let name = a.first().cloned().or_else(|| p.val("name").map(String::from)).unwrap_or_default();
        let mut opts = VolumeCreateOptions::new(name).driver(p.val("driver").unwrap_or("local"));
        for (k, v) in key_values(&p.vals("label")) {
            opts = opts.label(k, v);
        }
        match self.sdk(self.docker().volumes().create(opts)) {
            Ok(v) => {
                out.line(v.name);
                out.explain("A volume is storage managed by the daemon, outside any container's writable layer: its data survives `docker rm`. Mount it with -v NAME:/path.");
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn volume_rm(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        let force = p.has("force");
        self.each(a, out, "volume rm", |s, id| {
            s.sdk(s.docker().volumes().get(id).remove_with(dockhand::api::VolumeRemoveOptions::new().force(force)))
                .map(|_| dockhand::Change::Done)
        })
    }

    fn volume_inspect(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        self.inspect_kind(a, "volume", p.val("format"), out)
    }
}
