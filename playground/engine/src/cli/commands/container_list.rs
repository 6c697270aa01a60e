//! What containers are and do: ps, logs, top, diff, port, stats.

use dockhand::api::{ContainerFilters, ContainerListOptions, LogsOptions};
use dockhand::models::PortSummary;
use dockhand::stream::StdStream;
use futures::StreamExt;
use serde_json::{Value, json};

use super::{Command, Complete};
use super::{bin_size, datetime, key_values, parse_time, sorted_pairs, unix_ms};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::format::{format_rows, table};
use crate::cli::out::Out;
use crate::cli::out::{emit, format_error, print_rows};
use crate::util::{human_duration, human_size};

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "ps",
            usage: "ps [OPTIONS]",
            about: "List containers",
            flags: &[
                ("all", Some('a'), false),
                ("quiet", Some('q'), false),
                ("format", None, true),
                ("last", Some('n'), true),
                ("latest", Some('l'), false),
                ("filter", Some('f'), true),
                ("no-trunc", None, false),
                ("size", Some('s'), false),
            ],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &["container ls", "container list", "container ps"],
        run: Session::ps,
        explain: Some("GET /containers/json: the daemon lists its containers (running ones unless -a)."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "logs",
            usage: "logs [OPTIONS] CONTAINER",
            about: "Fetch the logs of a container",
            flags: &[
                ("follow", Some('f'), false),
                ("tail", Some('n'), true),
                ("timestamps", Some('t'), false),
                ("since", None, true),
                ("until", None, true),
                ("details", None, false),
            ],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &["container logs"],
        run: Session::logs,
        explain: Some("GET /containers/{id}/logs: what the container's main process wrote to stdout and stderr."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "top",
            usage: "top CONTAINER [ps OPTIONS]",
            about: "Display the running processes of a container",
            flags: &[],
            min: 1,
            max: usize::MAX,
            interspersed: false,
        },
        aliases: &["container top"],
        run: Session::top,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "diff",
            usage: "diff CONTAINER",
            about: "Inspect changes to files or directories on a container's filesystem",
            flags: &[],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &["container diff"],
        run: Session::diff,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "port",
            usage: "port CONTAINER [PRIVATE_PORT[/PROTO]]",
            about: "List port mappings or a specific mapping for the container",
            flags: &[],
            min: 1,
            max: 2,
            interspersed: true,
        },
        aliases: &["container port"],
        run: Session::port,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "stats",
            usage: "stats [OPTIONS] [CONTAINER...]",
            about: "Display a live stream of container(s) resource usage statistics",
            flags: &[
                ("all", Some('a'), false),
                ("no-stream", None, false),
                ("format", None, true),
                ("no-trunc", None, false),
            ],
            min: 0,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container stats"],
        run: Session::stats,
        explain: None,
        complete: Complete::Objects,
    },
];

impl Session {
    fn ps(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut filters = ContainerFilters::new();
        for (k, v) in key_values(&p.vals("filter")) {
            filters = filters.other(&k, &v);
        }
        let all = p.has("all") || p.has("latest") || p.val("last").is_some();
        let mut opts = ContainerListOptions::new().all(all).size(p.has("size")).filters(filters);
        let limit = if p.has("latest") { Some(1) } else { p.val("last").and_then(|n| n.parse::<u32>().ok()) };
        if let Some(n) = limit {
            opts = opts.limit(n);
        }
        let list = match self.sdk(self.docker().containers().list(opts)) {
            Ok(v) => v,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let now = self.current_engine().now_ms();
        let trunc = !p.has("no-trunc");
        let rows: Vec<Value> = list
            .iter()
            .map(|c| {
                let command = if trunc && c.command.chars().count() > 20 { format!("{}…", c.command.chars().take(19).collect::<String>()) } else { c.command.clone() };
                let names: Vec<&str> = c.names.iter().map(|n| n.trim_start_matches('/')).collect();
                let created = unix_ms(c.created);
                let size = c.size_rw.map(|s| format!("{} (virtual {})", human_size(u64::try_from(s).unwrap_or(0)), human_size(c.size_root_fs.and_then(|v| u64::try_from(v).ok()).unwrap_or(0)))).unwrap_or_default();
                let networks = crate::util::sorted_set(c.network_settings.networks.keys());
                json!({
                    "ID": if trunc { &c.id[..12.min(c.id.len())] } else { c.id.as_str() }, "Image": c.image, "Command": format!("\"{command}\""),
                    "CreatedAt": crate::util::rfc3339(created), "RunningFor": format!("{} ago", human_duration(now.saturating_sub(created))),
                    "Ports": ports_text(&c.ports), "Status": c.status, "State": c.state.as_str(), "Names": names.join(","), "Size": size,
                    "Labels": sorted_pairs(&c.labels),
                    "Networks": networks.into_iter().cloned().collect::<Vec<_>>().join(","),
                    "Mounts": c.mounts.iter().map(|m| if m.name.is_empty() { m.source.as_str() } else { m.name.as_str() }).collect::<Vec<_>>().join(","),
                })
            })
            .collect();
        if p.has("quiet") {
            for r in &rows {
                out.line(r["ID"].as_str().unwrap_or(""));
            }
            return 0;
        }
        let mut header = vec![
            ("ID", "CONTAINER ID"),
            ("Image", "IMAGE"),
            ("Command", "COMMAND"),
            ("RunningFor", "CREATED"),
            ("Status", "STATUS"),
            ("Ports", "PORTS"),
            ("Names", "NAMES"),
        ];
        if p.has("size") {
            header.push(("Size", "SIZE"));
        }
        let format = p.val("format").map(String::from).unwrap_or_else(|| "table".into());
        let all_headers = [
            ("ID", "CONTAINER ID"),
            ("Image", "IMAGE"),
            ("Command", "COMMAND"),
            ("RunningFor", "CREATED"),
            ("CreatedAt", "CREATED AT"),
            ("Status", "STATUS"),
            ("State", "STATE"),
            ("Ports", "PORTS"),
            ("Names", "NAMES"),
            ("Size", "SIZE"),
            ("Labels", "LABELS"),
            ("Networks", "NETWORKS"),
            ("Mounts", "MOUNTS"),
        ];
        let header = if format == "table" { header } else { all_headers.to_vec() };
        match format_rows(&format, &header, &rows, "*formatter.ContainerContext") {
            Ok(s) => {
                out.out(s);
                if !p.has("all") && rows.is_empty() {
                    let stopped = self.current_engine().with_state(|st| !st.containers.is_empty());
                    if stopped {
                        out.explain("No running containers. `docker ps` shows only running ones; `docker ps -a` shows stopped ones too.");
                    }
                }
                0
            }
            Err(e) => format_error(&e, &all_headers, out),
        }
    }

    fn logs(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let id = &p.args[0];
        let now = self.current_engine().now_ms() / 1000;
        let timestamps = p.has("timestamps");
        let mut opts = LogsOptions::new().stdout(true).stderr(true).timestamps(timestamps);
        if let Some(n) = p.val("tail").and_then(|t| t.parse::<u64>().ok()) {
            opts = opts.tail(n);
        }
        if let Some(t) = p.val("since").and_then(|s| parse_time(s, now)).and_then(datetime) {
            opts = opts.since(t);
        }
        // The SDK reads the container's tty setting (one inspect) to know
        // how the daemon framed the log.
        let (items, error) = self.sdk_stream(self.container(id).logs(opts).boxed());
        if let Some(e) = error {
            return self.daemon_error(e, out, 1, "");
        }
        if timestamps {
            for o in &items {
                let stamp = o.timestamp.map(|t| crate::util::rfc3339(unix_ms(Some(t)))).unwrap_or_default();
                let text = format!("{stamp} {}", String::from_utf8_lossy(&o.data));
                if o.stream == StdStream::Stderr { out.err(text) } else { out.out(text) }
            }
        } else {
            emit(&items, out);
        }
        if p.has("follow") {
            out.explain("With -f the real CLI keeps the connection open and prints new lines as they come, until you press Ctrl-C. The playground shows the lines so far.");
        }
        0
    }

    fn top(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        match self.sdk(self.container(&a[0]).top()) {
            Ok(t) => {
                let mut rows = vec![t.titles];
                rows.extend(t.processes);
                out.out(table(&rows));
                out.explain("These are the container's processes as the host sees them: PIDs from the host's PID namespace. Inside the container (`docker exec NAME ps`) the main process is PID 1.");
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn diff(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        match self.sdk(self.container(&a[0]).changes()) {
            Ok(changes) => {
                for c in changes {
                    let kind = ["C", "A", "D"].get(c.kind.code() as usize).copied().unwrap_or("C");
                    out.line(format!("{kind} {}", c.path));
                }
                out.explain("A container's filesystem is its image's read-only layers plus one writable layer. diff lists what the container changed (C), added (A) or deleted (D) in that writable layer.");
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn port(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        match self.sdk(self.container(&a[0]).inspect_raw()) {
            Ok(c) => {
                for (k, binds) in c["NetworkSettings"]["Ports"].as_object().into_iter().flatten() {
                    if a.get(1).is_some_and(|want| k != want && k != &format!("{want}/tcp")) {
                        continue;
                    }
                    for b in binds.as_array().into_iter().flatten() {
                        let ip = b["HostIp"].as_str().unwrap_or("");
                        let ip = if ip == "::" { "[::]" } else { ip };
                        let address = format!("{ip}:{}", b["HostPort"].as_str().unwrap_or(""));
                        // Asked for one port, the CLI prints its addresses only.
                        out.line(if a.len() > 1 { address } else { format!("{k} -> {address}") });
                    }
                }
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn stats(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let ids: Vec<String> = if p.args.is_empty() {
            match self.sdk(self.docker().containers().list(ContainerListOptions::new().all(p.has("all")))) {
                Ok(list) => list.into_iter().map(|c| c.id).collect(),
                Err(e) => return self.daemon_error(e, out, 1, ""),
            }
        } else {
            p.args.clone()
        };
        let mut rows = Vec::new();
        for id in ids {
            match self.sdk(self.container(&id).stats_with_cpu()) {
                Ok(s) => {
                    // The percentages as docker stats computes them: the SDK's helpers.
                    let cpu = s.cpu_percent().unwrap_or(0.0);
                    let mem_percent = s.memory_percent().unwrap_or(0.0);
                    let (mem, limit) = (s.memory_usage().unwrap_or(0), s.memory_stats.limit.unwrap_or(0));
                    let (rx, tx) = s.networks.values().fold((0, 0), |(r, t), n| (r + n.rx_bytes, t + n.tx_bytes));
                    rows.push(json!({
                        "ID": s.id[..12.min(s.id.len())], "Container": id, "Name": s.name.trim_start_matches('/'),
                        "CPUPerc": format!("{cpu:.2}%"), "MemUsage": format!("{} / {}", bin_size(mem), bin_size(limit)),
                        "MemPerc": format!("{mem_percent:.2}%"), "NetIO": format!("{} / {}", human_size(rx), human_size(tx)),
                        "BlockIO": "0B / 0B", "PIDs": s.pids_stats.current.unwrap_or(0).to_string(),
                    }));
                }
                Err(e) => return self.daemon_error(e, out, 1, ""),
            }
        }
        if !p.has("no-stream") {
            out.explain(
                "Without --no-stream the real CLI refreshes this table every second; the playground shows one sample.",
            );
        }
        let header = [
            ("ID", "CONTAINER ID"),
            ("Name", "NAME"),
            ("CPUPerc", "CPU %"),
            ("MemUsage", "MEM USAGE / LIMIT"),
            ("MemPerc", "MEM %"),
            ("NetIO", "NET I/O"),
            ("BlockIO", "BLOCK I/O"),
            ("PIDs", "PIDS"),
        ];
        print_rows(p, "ID", &header, &rows, "*container.statsContext", out)
    }
}

/// The PORTS column: `0.0.0.0:8080->80/tcp, [::]:8080->80/tcp`.
fn ports_text(ports: &[PortSummary]) -> String {
    let mut out = Vec::new();
    for p in ports {
        let proto = if p.typ.is_empty() { "tcp" } else { p.typ.as_str() };
        match p.public_port {
            Some(public) => {
                let ip = p.ip.as_deref().unwrap_or("0.0.0.0");
                let ip = if ip == "::" { "[::]" } else { ip };
                out.push(format!("{ip}:{public}->{}/{proto}", p.private_port));
            }
            None => out.push(format!("{}/{proto}", p.private_port)),
        }
    }
    out.join(", ")
}
