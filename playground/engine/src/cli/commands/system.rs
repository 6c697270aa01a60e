//! The daemon as a whole: version, info, events, system df, and inspect of
//! any object.

use std::future::Future;

use dockhand::api::{EventFilters, EventsOptions};
use dockhand::models::ContainerStateKind;
use serde_json::{Value, json};

use super::{Command, Complete};
use super::{bin_size, datetime, key_values, parse_time, sorted_pairs};
use crate::cli::flags::{Parsed, Spec};
use crate::cli::format::{table, template};
use crate::cli::out::Out;
use crate::cli::sdk::{DaemonError, ready};
use crate::cli::{CLIENT_API_VERSION, CLIENT_VERSION, Session};
use crate::util::human_size;

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "version",
            usage: "version [OPTIONS]",
            about: "Show the Docker version information",
            flags: &[("format", Some('f'), true)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &[],
        run: Session::version,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "info",
            usage: "info [OPTIONS]",
            about: "Display system-wide information",
            flags: &[("format", Some('f'), true)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &["system info"],
        run: Session::info,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "events",
            usage: "events [OPTIONS]",
            about: "Get real time events from the server",
            flags: &[("since", None, true), ("until", None, true), ("filter", Some('f'), true), ("format", None, true)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &["system events"],
        run: Session::events,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "system df",
            usage: "system df [OPTIONS]",
            about: "Show docker disk usage",
            flags: &[("verbose", Some('v'), false), ("format", None, true)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &[],
        run: Session::df,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "inspect",
            usage: "inspect [OPTIONS] NAME|ID [NAME|ID...]",
            about: "Return low-level information on Docker objects",
            flags: &[("format", Some('f'), true), ("type", None, true), ("size", Some('s'), false)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &[],
        run: Session::inspect,
        explain: Some("The daemon's full JSON description of the object."),
        complete: Complete::Objects,
    },
];

impl Session {
    /// A call of the system API (`version`, `info`, `df`): its answer, or
    /// its error printed as the CLI does and `Err` with the exit code.
    fn system_call<T>(&self, call: impl Future<Output = dockhand::Result<T>>, out: &mut Out) -> Result<T, i32> {
        match ready(call) {
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => {
                out.err(format!("{e}\n"));
                Err(1)
            }
            None => {
                out.err("the daemon did not answer\n");
                Err(1)
            }
        }
    }

    fn version(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        // The daemon's document as it is (`version_raw`), as for `info`.
        let v = match self.system_call(self.docker().version_raw(), out) {
            Ok(v) => v,
            Err(code) => return code,
        };
        if let Some(f) = p.val("format") {
            let data = json!({"Client": {"Version": CLIENT_VERSION, "ApiVersion": CLIENT_API_VERSION}, "Server": v});
            return print_formatted(f, &data, "system.versionInfo", out);
        }
        let f = |key: &str| field_text(&v[key]);
        let mut text = format!(
            "Client:\n Version:           {CLIENT_VERSION} (simulated)\n API version:       {CLIENT_API_VERSION}\n Go version:        go1.24.3\n Git commit:        e6534b4\n OS/Arch:           linux/amd64\n Context:           {}\n\nServer: Docker Engine - {}\n Engine:\n  Version:          {}\n  API version:      {} (minimum version {})\n  Go version:       {}\n  Git commit:       {}\n  OS/Arch:          {}/{}\n  Experimental:     {}\n",
            self.context_name(),
            self.d().name,
            f("Version"),
            f("ApiVersion"),
            f("MinAPIVersion"),
            f("GoVersion"),
            f("GitCommit"),
            f("Os"),
            f("Arch"),
            v["Experimental"].as_bool().unwrap_or(false)
        );
        // The other components, as the CLI lists them after the engine.
        for c in v["Components"].as_array().into_iter().flatten().filter(|c| c["Name"] != "Engine") {
            text.push_str(&format!(
                " {}:\n  Version:          {}\n  GitCommit:        {}\n",
                field_text(&c["Name"]),
                field_text(&c["Version"]),
                field_text(&c["Details"]["GitCommit"])
            ));
        }
        out.out(text);
        out.explain("The client and the daemon are two programs: the CLI sent GET /version over HTTP and printed the daemon's answer under \"Server\".");
        0
    }

    fn info(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        // The daemon's document as it is (`info_raw`): `--format` reads its
        // names, and the typed `Info`'s decoder stays out of the module.
        let i = match self.system_call(self.docker().info_raw(), out) {
            Ok(i) => i,
            Err(code) => return code,
        };
        if let Some(f) = p.val("format") {
            return print_formatted(f, &i, "system.dockerInfo", out);
        }
        let f = |key: &str| field_text(&i[key]);
        out.out(format!(
                    "Client:\n Version:    {CLIENT_VERSION} (simulated)\n Context:    {}\n\nServer:\n Containers: {}\n  Running: {}\n  Paused: {}\n  Stopped: {}\n Images: {}\n Server Version: {}\n Storage Driver: {}\n Logging Driver: json-file\n Cgroup Driver: systemd\n{} Kernel Version: {}\n Operating System: {}\n OSType: {}\n Architecture: {}\n CPUs: {}\n Total Memory: {}\n Name: {}\n ID: {}\n Docker Root Dir: {}\n",
                    self.context_name(),
                    f("Containers"), f("ContainersRunning"), f("ContainersPaused"), f("ContainersStopped"), f("Images"), f("ServerVersion"), f("Driver"), super::swarm::info_lines(&i["Swarm"]),
                    f("KernelVersion"), f("OperatingSystem"), f("OSType"), f("Architecture"), f("NCPU"), bin_size(i["MemTotal"].as_u64().unwrap_or(0)), f("Name"), f("ID"), f("DockerRootDir")
                ));
        0
    }

    fn events(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let now = self.current_engine().now_ms() / 1000;
        let since = p.val("since").and_then(|s| parse_time(s, now)).unwrap_or(0);
        let until = p.val("until").and_then(|s| parse_time(s, now)).unwrap_or(now);
        let mut filters = EventFilters::new();
        for (k, v) in key_values(&p.vals("filter")) {
            filters = filters.other(&k, &v);
        }
        let mut opts = EventsOptions::new().filters(filters);
        if let Some(t) = datetime(since) {
            opts = opts.since(t);
        }
        if let Some(t) = datetime(until) {
            opts = opts.until(t);
        }
        let (events, error) = self.sdk_stream(self.docker().events(opts));
        if let Some(e) = error {
            return self.daemon_error(e, out, 1, "");
        }
        for ev in &events {
            if let Some(f) = p.val("format") {
                // The fields as the daemon names them (`{{.Actor.ID}}`).
                let data = json!({
                    "Type": ev.typ.as_str(), "Action": ev.action, "scope": ev.scope.as_ref().map(|s| s.as_str()),
                    "Actor": {"ID": ev.actor.id, "Attributes": ev.actor.attributes},
                    "time": ev.time, "timeNano": ev.time_nano,
                });
                if print_formatted(f, &data, "*events.Message", out) != 0 {
                    return 1;
                }
                continue;
            }
            let nanos = u64::try_from(ev.time_nano).unwrap_or(0);
            out.line(format!(
                "{} {} {} {} ({})",
                crate::util::rfc3339(nanos / 1_000_000),
                ev.typ,
                ev.action,
                ev.actor.id,
                sorted_pairs(&ev.actor.attributes).replace(',', ", ")
            ));
        }
        if p.val("until").is_none() {
            out.explain(
                "Without --until the real CLI keeps listening for new events; the playground shows the events so far.",
            );
        }
        0
    }

    fn df(&mut self, _p: &Parsed, out: &mut Out) -> i32 {
        let df = match self.system_call(self.docker().df(dockhand::api::DfOptions::default()), out) {
            Ok(df) => df,
            Err(code) => return code,
        };
        let size = |n: i64| u64::try_from(n).unwrap_or(0);
        let images = df.images.unwrap_or_default();
        let containers = df.containers.unwrap_or_default();
        let volumes = df.volumes.unwrap_or_default();
        let build_cache = df.build_cache.unwrap_or_default();
        let img_size: u64 = images.iter().map(|i| size(i.size)).sum();
        let img_active = images.iter().filter(|i| i.containers > 0).count();
        let img_reclaim: u64 = images.iter().filter(|i| i.containers == 0).map(|i| size(i.size)).sum();
        let c_size: u64 = containers.iter().map(|c| c.size_rw.map_or(0, size)).sum();
        let c_active = containers.iter().filter(|c| c.state == ContainerStateKind::Running).count();
        let usage =
            |v: &dockhand::models::Volume| v.usage_data.as_ref().map_or((0, 0), |u| (size(u.size), u.ref_count));
        let v_size: u64 = volumes.iter().map(|v| usage(v).0).sum();
        let v_active = volumes.iter().filter(|v| usage(v).1 > 0).count();
        let pct = |r: u64, t: u64| (r * 100).checked_div(t).map(|p| format!(" ({p}%)")).unwrap_or_default();
        let rows = vec![
            vec!["TYPE".to_string(), "TOTAL".into(), "ACTIVE".into(), "SIZE".into(), "RECLAIMABLE".into()],
            vec![
                "Images".into(),
                images.len().to_string(),
                img_active.to_string(),
                human_size(img_size),
                format!("{}{}", human_size(img_reclaim), pct(img_reclaim, img_size)),
            ],
            vec![
                "Containers".into(),
                containers.len().to_string(),
                c_active.to_string(),
                human_size(c_size),
                human_size(c_size),
            ],
            vec![
                "Local Volumes".into(),
                volumes.len().to_string(),
                v_active.to_string(),
                human_size(v_size),
                human_size(v_size),
            ],
            vec!["Build Cache".into(), build_cache.len().to_string(), "0".into(), "0B".into(), "0B".into()],
        ];
        out.out(table(&rows));
        out.explain("Layers shared by several images are stored once; the SIZE of images counts each image whole.");
        0
    }

    /// The daemon's JSON for one object of `kind` (`container`, `image`,
    /// `network`, `volume`), untyped: `inspect` prints it whole.
    fn inspect_one(&self, kind: &str, name: &str) -> Result<Value, DaemonError> {
        let docker = self.docker();
        match kind {
            "container" => self.sdk(docker.containers().get(name).inspect_raw()),
            "image" => self.sdk(docker.images().get(name).inspect_raw()),
            "network" => self.sdk(docker.networks().get(name).inspect_raw()),
            "volume" => self.sdk(docker.volumes().get(name).inspect_raw()),
            other => Err(DaemonError { status: 400, message: format!("unknown type: {other}") }),
        }
    }

    fn inspect(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let typ = p.val("type");
        let mut results = Vec::new();
        let mut code = 0;
        for name in &p.args {
            let kinds: Vec<&str> = match typ {
                Some(t) => vec![t],
                None => vec!["container", "image", "network", "volume"],
            };
            match kinds.into_iter().find_map(|kind| self.inspect_one(kind, name).ok()) {
                Some(v) => results.push(v),
                None => {
                    out.err(format!("Error: No such object: {name}\n"));
                    out.explain("inspect looks for a container, an image, a network or a volume with that name or id, and found none.");
                    code = 1;
                }
            }
        }
        self.print_json_list(results, p.val("format"), out, code)
    }

    pub(crate) fn inspect_kind(&mut self, names: &[String], kind: &str, format: Option<&str>, out: &mut Out) -> i32 {
        let mut results = Vec::new();
        let mut code = 0;
        for n in names {
            match self.inspect_one(kind, n) {
                Ok(v) => results.push(v),
                Err(e) => code = self.daemon_error(e, out, 1, ""),
            }
        }
        self.print_json_list(results, format, out, code)
    }

    /// Prints what an inspect found: each through `--format`, or the list as
    /// the CLI's indented JSON; `code` is the exit code so far.
    pub(super) fn print_json_list(&self, results: Vec<Value>, format: Option<&str>, out: &mut Out, code: i32) -> i32 {
        match format {
            Some(f) => {
                for r in &results {
                    // The CLI decodes what it inspects into a map.
                    match crate::cli::template::render(f, r, crate::cli::template::Data::Map) {
                        Ok(s) => out.line(s),
                        Err(e) => {
                            out.err(format!("{e}\n"));
                            return 1;
                        }
                    }
                }
            }
            None => {
                let mut buf = Vec::new();
                let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
                let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
                let _ = serde::Serialize::serialize(&results, &mut ser);
                out.line(String::from_utf8_lossy(&buf));
            }
        }
        code
    }
}

/// A field of the daemon's JSON as the CLI prints it: a string bare, a
/// null as nothing.
fn field_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

/// `--format TEMPLATE` over one of the CLI's documents, of Go type
/// `go_type`: its line and 0, or the template's error and 1.
fn print_formatted(f: &str, data: &Value, go_type: &'static str, out: &mut Out) -> i32 {
    match template(f, data, go_type) {
        Ok(s) => {
            out.line(s);
            0
        }
        Err(e) => {
            out.err(format!("{e}\n"));
            1
        }
    }
}
