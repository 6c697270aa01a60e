//! `docker swarm ...`, `docker service ...` and `docker node ls`: a
//! single-node swarm, services scaled into tasks, in the real CLI's output
//! formats.

use dockhand::api::{NodeFilters, ServiceFilters, ServiceUpdateOptions, SwarmLogsOptions, TaskFilters};
use dockhand::models::{ContainerSpec, Service, ServiceSpec, SwarmInitRequest, Task};
use serde_json::{Value, json};

use super::{Command, Complete, key_values};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::out::{Out, print_rows};
use crate::util::human_duration;

const fn cmd(
    name: &'static str,
    usage: &'static str,
    about: &'static str,
    flags: &'static [(&'static str, Option<char>, bool)],
    (min, max): (usize, usize),
    run: super::Run,
    explain: Option<&'static str>,
) -> Command {
    Command {
        spec: Spec { name, usage, about, flags, min, max, interspersed: false },
        aliases: &[],
        run,
        explain,
        complete: Complete::Objects,
    }
}

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    cmd(
        "swarm init",
        "swarm init [OPTIONS]",
        "Initialize a swarm",
        &[("advertise-addr", None, true), ("listen-addr", None, true), ("autolock", None, false)],
        (0, 0),
        Session::swarm_init,
        None,
    ),
    cmd(
        "swarm leave",
        "swarm leave [OPTIONS]",
        "Leave the swarm",
        &[("force", Some('f'), false)],
        (0, 0),
        Session::swarm_leave,
        Some("The node left the swarm: its services, tasks, secrets and configs are gone."),
    ),
    cmd(
        "swarm join-token",
        "swarm join-token [OPTIONS] (worker|manager)",
        "Manage join tokens",
        &[("quiet", Some('q'), false), ("rotate", None, false)],
        (1, 1),
        Session::swarm_join_token,
        None,
    ),
    cmd(
        "service create",
        "service create [OPTIONS] IMAGE [COMMAND] [ARG...]",
        "Create a new service",
        &[
            ("name", None, true),
            ("replicas", None, true),
            ("mode", None, true),
            ("publish", Some('p'), true),
            ("env", Some('e'), true),
            ("label", Some('l'), true),
            ("network", None, true),
            ("detach", Some('d'), false),
            ("quiet", Some('q'), false),
        ],
        (1, usize::MAX),
        Session::service_create,
        None,
    ),
    cmd(
        "service ls",
        "service ls [OPTIONS]",
        "List services",
        &[("quiet", Some('q'), false), ("filter", Some('f'), true), ("format", None, true)],
        (0, 0),
        Session::service_ls,
        Some("Each service and how many of its tasks run (REPLICAS: running/desired)."),
    ),
    cmd(
        "service ps",
        "service ps [OPTIONS] SERVICE [SERVICE...]",
        "List the tasks of one or more services",
        &[("quiet", Some('q'), false), ("no-trunc", None, false), ("format", None, true)],
        (1, usize::MAX),
        Session::service_ps,
        Some(
            "A service's tasks: one per replica (slot), each run by a container named <service>.<slot>.<task id>. Older tasks of a slot (\\_) stay in the history.",
        ),
    ),
    cmd(
        "service scale",
        "service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]",
        "Scale one or multiple replicated services",
        &[("detach", Some('d'), false)],
        (1, usize::MAX),
        Session::service_scale,
        Some("The service's desired replicas changed: the orchestrator starts or stops tasks until as many run."),
    ),
    cmd(
        "service rm",
        "service rm SERVICE [SERVICE...]",
        "Remove one or more services",
        &[],
        (1, usize::MAX),
        Session::service_rm,
        Some("The service is gone, and with it its tasks and their containers."),
    ),
    cmd(
        "service inspect",
        "service inspect [OPTIONS] SERVICE [SERVICE...]",
        "Display detailed information on one or more services",
        &[("format", Some('f'), true), ("pretty", None, false)],
        (1, usize::MAX),
        Session::service_inspect,
        None,
    ),
    cmd(
        "service logs",
        "service logs [OPTIONS] SERVICE|TASK",
        "Fetch the logs of a service or task",
        &[("tail", Some('n'), true), ("timestamps", Some('t'), false)],
        (1, 1),
        Session::service_logs,
        Some("The logs of every task's container, each line prefixed with the task it came from."),
    ),
    cmd(
        "node ls",
        "node ls [OPTIONS]",
        "List nodes in the swarm",
        &[("quiet", Some('q'), false), ("format", None, true)],
        (0, 0),
        Session::node_ls,
        Some("The swarm's nodes: here one, this daemon, the manager and leader."),
    ),
];

/// `web.1` (or `web.<node id>` for a global service's task).
fn task_name(services: &[Service], t: &Task) -> String {
    let service = services.iter().find(|s| s.id == t.service_id).map(|s| s.spec.name.as_str()).unwrap_or("");
    if t.slot > 0 { format!("{service}.{}", t.slot) } else { format!("{service}.{}", t.node_id) }
}

/// `*:8080->80/tcp`, as `docker service ls` shows published ports.
fn ports_of(s: &Service) -> String {
    let ports = if s.endpoint.ports.is_empty() {
        &s.spec.endpoint_spec.as_ref().map(|e| e.ports.clone()).unwrap_or_default()
    } else {
        &s.endpoint.ports
    };
    ports
        .iter()
        .map(|p| {
            let proto = if p.protocol.is_empty() { "tcp" } else { p.protocol.as_str() };
            format!("*:{}->{}/{proto}", p.published_port.unwrap_or(0), p.target_port)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `docker info`'s Swarm section (the part of it a single-node swarm has).
pub(super) fn info_lines(s: &Value) -> String {
    let state = s["LocalNodeState"].as_str().unwrap_or("inactive");
    if state != "active" {
        return format!(" Swarm: {state}\n");
    }
    let c = &s["Cluster"];
    let text = |v: &Value| v.as_str().map(String::from).unwrap_or_else(|| v.to_string());
    let managers: Vec<String> =
        s["RemoteManagers"].as_array().into_iter().flatten().map(|m| format!("   {}\n", text(&m["Addr"]))).collect();
    format!(
        " Swarm: active\n  NodeID: {}\n  Is Manager: {}\n  ClusterID: {}\n  Managers: {}\n  Nodes: {}\n  Data Path Port: {}\n  Autolock Managers: {}\n  Node Address: {}\n  Manager Addresses:\n{}",
        text(&s["NodeID"]),
        s["ControlAvailable"],
        text(&c["ID"]),
        s["Managers"],
        s["Nodes"],
        c["DataPathPort"],
        c["Spec"]["EncryptionConfig"]["AutoLockManagers"].as_bool().unwrap_or(false),
        text(&s["NodeAddr"]),
        managers.concat()
    )
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

impl Session {
    fn swarm_init(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut req = SwarmInitRequest::new(p.val("listen-addr").unwrap_or("0.0.0.0:2377"));
        if let Some(a) = p.val("advertise-addr") {
            req = req.advertise_addr(a);
        }
        if p.has("autolock") {
            req = req.spec(dockhand::models::SwarmSpec::default().autolock(true));
        }
        let node = match self.sdk(self.docker().swarm().init(req)) {
            Ok(id) => id,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let swarm = match self.sdk(self.docker().swarm().inspect()) {
            Ok(s) => s,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let addr = self
            .current_engine()
            .with_state(|st| st.swarm.as_ref().map(|s| s.advertise_addr.clone()))
            .unwrap_or_default();
        out.line(format!("Swarm initialized: current node ({node}) is now a manager.\n"));
        out.line(format!(
            "To add a worker to this swarm, run the following command:\n\n    docker swarm join --token {} {addr}\n",
            swarm.join_tokens.worker
        ));
        out.line(
            "To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n",
        );
        out.explain("This daemon is now a swarm manager, and its one node: `docker service create` runs services on it, as tasks in containers it starts and restarts.");
        0
    }

    fn swarm_leave(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        match self.sdk(self.docker().swarm().leave_with(dockhand::api::SwarmLeaveOptions::new().force(p.has("force"))))
        {
            Ok(()) => {
                out.line("Node left the swarm.");
                0
            }
            Err(e) => {
                let manager = e.message.contains("participating as a manager");
                let code = self.daemon_error(e, out, 1, "");
                if manager {
                    out.explanation = Some("A manager keeps the swarm's state: its nodes, services and tasks. This node is the swarm's only manager, so if it left, nothing would be left to run the swarm, and dockerd refuses unless you confirm with --force. --force leaves all the same and loses that state: the services and their task containers are removed, and docker swarm init would start a new, empty swarm.".into());
                    out.suggestion = Some("docker swarm leave --force".into());
                }
                code
            }
        }
    }

    fn swarm_join_token(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let role = p.args[0].as_str();
        if !matches!(role, "worker" | "manager") {
            out.err(format!("unknown role {role}\n"));
            return 1;
        }
        let swarm = match self.sdk(self.docker().swarm().inspect()) {
            Ok(s) => s,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let token = if role == "worker" { &swarm.join_tokens.worker } else { &swarm.join_tokens.manager };
        if p.has("quiet") {
            out.line(token);
            return 0;
        }
        let addr = self
            .current_engine()
            .with_state(|st| st.swarm.as_ref().map(|s| s.advertise_addr.clone()))
            .unwrap_or_default();
        out.line(format!(
            "To add a {role} to this swarm, run the following command:\n\n    docker swarm join --token {token} {addr}\n"
        ));
        0
    }

    fn service_create(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        // The CLI pins the tag it resolved (`nginx` → `nginx:latest`).
        let image = &p.args[0];
        let tagged = image.contains('@') || image.rsplit('/').next().is_some_and(|last| last.contains(':'));
        let mut container = ContainerSpec::new(if tagged { image.clone() } else { format!("{image}:latest") });
        if p.args.len() > 1 {
            container.args = p.args[1..].to_vec();
        }
        container.env = p.vals("env");
        let name = p.val("name").unwrap_or("").to_string();
        let mut spec = ServiceSpec::new(name, container);
        for (k, v) in key_values(&p.vals("label")) {
            spec = spec.label(k, v);
        }
        let mode = p.val("mode").unwrap_or("replicated");
        let replicas = match p.val("replicas").map(|n| (n, n.parse::<u64>())) {
            None => None,
            Some((_, Ok(n))) => Some(n),
            Some((n, Err(_))) => {
                out.err(format!("invalid argument \"{n}\" for \"--replicas\" flag: strconv.ParseUint: parsing \"{n}\": invalid syntax\nSee 'docker service create --help'.\n"));
                return 1;
            }
        };
        match mode {
            "global" => spec = spec.global(),
            "replicated" => spec = spec.replicas(replicas.unwrap_or(1)),
            "replicated-job" | "global-job" => {
                spec.mode = Default::default();
                let n = replicas.unwrap_or(1);
                if mode == "global-job" {
                    spec.mode.global_job = Some(json!({}));
                } else {
                    spec.mode.replicated_job = Some(json!({"MaxConcurrent": n, "TotalCompletions": n}));
                }
            }
            m => {
                out.err(format!("Unknown mode: {m}, only replicated and global supported\n"));
                return 1;
            }
        }
        for publish in p.vals("publish") {
            let (ports, proto) = publish.split_once('/').unwrap_or((&publish, "tcp"));
            let (published, target) = ports.split_once(':').unwrap_or(("0", ports));
            let (Ok(published), Ok(target), true) =
                (published.parse(), target.parse(), matches!(proto, "tcp" | "udp" | "sctp"))
            else {
                out.err(format!("invalid argument \"{publish}\" for \"-p, --publish\" flag: invalid port\n"));
                return 1;
            };
            spec = spec.publish(published, target);
            if let Some(port) = spec.endpoint_spec.as_mut().and_then(|e| e.ports.last_mut()) {
                port.protocol = proto.to_string();
            }
        }
        for n in p.vals("network") {
            spec = spec.network(n);
        }
        match self.sdk(self.docker().services().create(spec, None)) {
            Ok(created) => {
                out.line(&created.id);
                let detached = p.has("detach") || p.has("quiet");
                let code = if detached { 0 } else { self.converge(&created.id, &created.id, out) };
                // converge explains tasks that did not all start.
                out.explain(if detached {
                    "The manager recorded the service and returned at once (-d): its orchestrator makes one task per replica, and each task goes new → pending → assigned → preparing → starting → running, in a container of this daemon, over the next moments. See them with `docker service ps`."
                } else {
                    "The manager recorded the service; its orchestrator made one task per replica, and each task went new → pending → assigned → preparing → starting → running, in a container of this daemon: the progress above shows them all running now. See them with `docker service ps`."
                });
                code
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn services(&self) -> Vec<Service> {
        self.sdk(self.docker().services().list_with_status(ServiceFilters::new())).unwrap_or_default()
    }

    fn service_ls(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut filters = ServiceFilters::new();
        for (k, v) in key_values(&p.vals("filter")) {
            filters = filters.other(&k, &v);
        }
        let list = match self.sdk(self.docker().services().list_with_status(filters)) {
            Ok(l) => l,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let mut rows: Vec<Value> = list
            .iter()
            .map(|s| {
                let st = s.service_status.clone().unwrap_or_default();
                let mode = if s.spec.mode.global.is_some() {
                    "global"
                } else if s.spec.mode.replicated_job.is_some() {
                    "replicated job"
                } else if s.spec.mode.global_job.is_some() {
                    "global job"
                } else {
                    "replicated"
                };
                let replicas = if mode.ends_with("job") {
                    let total = s.spec.mode.replicated_job.as_ref().and_then(|j| j["TotalCompletions"].as_u64()).unwrap_or(1);
                    format!("{}/{} ({}/{total} completed)", st.running_tasks, st.desired_tasks, st.completed_tasks)
                } else {
                    format!("{}/{}", st.running_tasks, st.desired_tasks)
                };
                json!({"ID": &s.id[..12.min(s.id.len())], "Name": s.spec.name, "Mode": mode, "Replicas": replicas,
                       "Image": s.spec.task_template.container_spec.as_ref().map(|c| c.image.clone()).unwrap_or_default(),
                       "Ports": ports_of(s)})
            })
            .collect();
        rows.sort_by(|a, b| a["Name"].as_str().cmp(&b["Name"].as_str()));
        let header = [
            ("ID", "ID"),
            ("Name", "NAME"),
            ("Mode", "MODE"),
            ("Replicas", "REPLICAS"),
            ("Image", "IMAGE"),
            ("Ports", "PORTS"),
        ];
        print_rows(p, "ID", &header, &rows, "*service.serviceContext", out)
    }

    fn service_ps(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let services = self.services();
        let host = self.current_engine().with_state(|st| st.name.clone());
        let now = self.current_engine().now_ms();
        let mut rows = Vec::new();
        let mut code = 0;
        for key in &p.args {
            let Some(service) = services.iter().find(|s| s.id.starts_with(key.as_str()) || s.spec.name == *key) else {
                out.err(format!("no such service: {key}\n"));
                code = 1;
                continue;
            };
            let mut tasks = match self.sdk(self.docker().tasks().list(TaskFilters::new().service(&service.id))) {
                Ok(t) => t,
                Err(e) => return self.daemon_error(e, out, 1, ""),
            };
            // By slot, the newest first, as the CLI groups a slot's history.
            tasks.sort_by(|a, b| (a.slot, &a.node_id, b.created_at).cmp(&(b.slot, &b.node_id, a.created_at)));
            let mut last_slot = None;
            for t in &tasks {
                let name = task_name(&services, t);
                let shown = if last_slot == Some(name.clone()) { format!(" \\_ {name}") } else { name.clone() };
                last_slot = Some(name);
                let since = t.status.timestamp.map(|ts| (ts.unix_timestamp_nanos() / 1_000_000) as u64).unwrap_or(now);
                let state = capitalised(t.status.state.as_str());
                let id = if p.has("no-trunc") { t.id.clone() } else { t.id.chars().take(12).collect() };
                let image = t.spec.container_spec.as_ref().map(|c| c.image.clone()).unwrap_or_default();
                rows.push(json!({"ID": id, "Name": shown, "Image": image, "Node": host,
                    "DesiredState": capitalised(t.desired_state.as_str()),
                    "CurrentState": format!("{state} {} ago", human_duration(now.saturating_sub(since)).to_lowercase()),
                    "Error": t.status.err.clone().unwrap_or_default(), "Ports": ""}));
            }
        }
        let header = [
            ("ID", "ID"),
            ("Name", "NAME"),
            ("Image", "IMAGE"),
            ("Node", "NODE"),
            ("DesiredState", "DESIRED STATE"),
            ("CurrentState", "CURRENT STATE"),
            ("Error", "ERROR"),
            ("Ports", "PORTS"),
        ];
        let printed = print_rows(p, "ID", &header, &rows, "*task.taskContext", out);
        if code != 0 { code } else { printed }
    }

    fn service_scale(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut code = 0;
        for arg in &p.args {
            let Some((name, n)) = arg.split_once('=').and_then(|(s, n)| Some((s, n.parse::<u64>().ok()?))) else {
                out.err(format!("invalid scale specifier '{arg}'.\nSee 'docker service scale --help'.\n\nUsage:  docker service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]\n\nScale one or multiple replicated services\n"));
                scale_note(&p.args, arg, out);
                return 1;
            };
            let handle = self.docker().services().get(name);
            let prefix = format!("{name}: ");
            let current = match self.sdk(handle.inspect()) {
                Ok(s) => s,
                Err(e) => {
                    code = self.daemon_error(e, out, 1, &prefix);
                    continue;
                }
            };
            let mut spec = current.spec.clone();
            if let Some(job) = spec.mode.replicated_job.as_mut() {
                job["TotalCompletions"] = json!(n);
            } else if spec.mode.replicated.is_some() {
                spec = spec.replicas(n);
            } else {
                out.err(format!("{prefix}scale can only be used with replicated or replicated-job mode\n"));
                code = 1;
                continue;
            }
            match self.sdk(handle.update(current.version, spec, ServiceUpdateOptions::new())) {
                Ok(_) => out.line(format!("{name} scaled to {n}")),
                Err(e) => {
                    code = self.daemon_error(e, out, 1, &prefix);
                    continue;
                }
            }
            if !p.has("detach") && current.spec.mode.replicated.is_some() {
                code = code.max(self.converge(&current.id, name, out));
            }
        }
        code
    }

    fn service_rm(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut code = 0;
        for name in &p.args {
            match self.sdk(self.docker().services().get(name).remove()) {
                Ok(()) => out.line(name),
                Err(e) => code = self.daemon_error(e, out, 1, ""),
            }
        }
        code
    }

    fn service_inspect(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut results = Vec::new();
        let mut missing = Vec::new();
        let mut code = 0;
        for name in &p.args {
            match self.sdk(self.docker().services().get(name).inspect()) {
                Ok(s) => results.push(serde_json::to_value(&s).unwrap_or(Value::Null)),
                Err(e) if e.status == 404 => missing.push(name.as_str()),
                Err(e) => code = self.daemon_error(e, out, 1, ""),
            }
        }
        if !missing.is_empty() {
            // The CLI looks every name up first, prints what it found, then
            // one error naming the rest.
            out.err(format!("Error: no such service: {}\n", missing.join(", ")));
            code = 1;
        }
        self.print_json_list(results, p.val("format"), out, code)
    }

    fn service_logs(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let key = &p.args[0];
        let services = self.services();
        let host = self.current_engine().with_state(|st| st.name.clone());
        let mut opts = SwarmLogsOptions::both().details(true).timestamps(p.has("timestamps"));
        if let Some(n) = p.val("tail").and_then(|n| n.parse().ok()) {
            opts = opts.tail(n);
        }
        let stream = match services.iter().find(|s| s.id.starts_with(key.as_str()) || s.spec.name == *key) {
            Some(s) => self.docker().services().get(&s.id).logs(opts),
            None => self.docker().tasks().get(key).logs(opts),
        };
        let (items, error) = self.sdk_stream(stream);
        let tasks = self.sdk(self.docker().tasks().list(TaskFilters::new())).unwrap_or_default();
        for o in items {
            let text = o.text().into_owned();
            // `com.docker.swarm.node.id=..,com.docker.swarm.service.id=..,com.docker.swarm.task.id=ID message`
            let (details, message) = text.split_once(' ').unwrap_or(("", &text));
            let tid = details.rsplit("com.docker.swarm.task.id=").next().unwrap_or("");
            let prefix = match tasks.iter().find(|t| t.id == tid) {
                Some(t) => format!("{}.{}@{host}", task_name(&services, t), &tid[..12.min(tid.len())]),
                None => tid.to_string(),
            };
            let ts = o
                .timestamp
                .map(|t| format!("{} ", crate::util::rfc3339((t.unix_timestamp_nanos() / 1_000_000) as u64)));
            let line = format!("{}{prefix}    | {message}", ts.unwrap_or_default());
            match o.stream {
                dockhand::stream::StdStream::Stderr => out.err(line),
                _ => out.out(line),
            }
        }
        match error {
            Some(e) => self.daemon_error(e, out, 1, ""),
            None => 0,
        }
    }

    fn node_ls(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let nodes = match self.sdk(self.docker().nodes().list(NodeFilters::new())) {
            Ok(n) => n,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let rows: Vec<Value> = nodes
            .iter()
            .map(|n| {
                let leader = n.manager_status.as_ref().is_some_and(|m| m.leader);
                let engine = n.description.engine.as_ref().and_then(|e| e["EngineVersion"].as_str()).unwrap_or("");
                json!({"ID": format!("{} *", n.id), "Hostname": n.description.hostname,
                    "Status": capitalised(n.status.state.as_str()),
                    "Availability": capitalised(n.spec.availability.as_str()),
                    "ManagerStatus": if leader { "Leader" } else { "" }, "EngineVersion": engine})
            })
            .collect();
        let header = [
            ("ID", "ID"),
            ("Hostname", "HOSTNAME"),
            ("Status", "STATUS"),
            ("Availability", "AVAILABILITY"),
            ("ManagerStatus", "MANAGER STATUS"),
            ("EngineVersion", "ENGINE VERSION"),
        ];
        print_rows(p, "ID", &header, &rows, "*node.nodeContext", out)
    }
}

/// The note after an invalid `docker service scale` argument: the form is
/// one word, SERVICE=REPLICAS (`web 5` is read as two services, `web` and
/// `5`, neither with a count).
fn scale_note(args: &[String], arg: &str, out: &mut Out) {
    let count = |w: &str| w.parse::<u64>().is_ok();
    let pair = args.windows(2).find(|w| w[0] == arg && !w[0].contains('=') && count(&w[1]));
    let said = "docker service scale takes each service and its number of replicas as one word, SERVICE=REPLICAS, with no spaces";
    match pair {
        Some(w) => {
            out.explanation = Some(format!(
                "{said}: `{0} {1}` is read as two services, `{0}` and `{1}`, neither with a count. Join them: {0}={1}.",
                w[0], w[1]
            ));
            out.suggestion = Some(format!("docker service scale {}={}", w[0], w[1]));
        }
        None => out.explanation = Some(format!("{said} (docker service scale web=5); `{arg}` is not of that form.")),
    }
}
