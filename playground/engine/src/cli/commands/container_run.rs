//! `docker run` and `docker create`: the CLI's checks of their flags, the
//! create request, the pull when the image is missing, then (run) attach,
//! wait and start.

use dockhand::api::ContainerCreate;
use dockhand::models::{EndpointSettings, RestartPolicy, RestartPolicyName, WaitCondition};

use super::key_values;
use super::{Command, Complete};
use crate::cli::Session;
use crate::cli::flags::Flag;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::out::teach_error;
use crate::cli::out::{Fix, Out, Redo};
use crate::cli::terminal::Stage;
use crate::transport::StdinTarget;

/// The flags of `run` and `create`.
const RUN_FLAGS: &[Flag] = &[
    ("detach", Some('d'), false),
    ("interactive", Some('i'), false),
    ("tty", Some('t'), false),
    ("publish", Some('p'), true),
    ("publish-all", Some('P'), false),
    ("volume", Some('v'), true),
    ("mount", None, true),
    ("env", Some('e'), true),
    ("name", None, true),
    ("rm", None, false),
    ("network", None, true),
    ("net", None, true),
    ("network-alias", None, true),
    ("workdir", Some('w'), true),
    ("user", Some('u'), true),
    ("entrypoint", None, true),
    ("hostname", Some('h'), true),
    ("label", Some('l'), true),
    ("restart", None, true),
    ("expose", None, true),
    ("memory", Some('m'), true),
    ("cpus", None, true),
    ("platform", None, true),
    ("pull", None, true),
    ("init", None, false),
    ("read-only", None, false),
    ("tmpfs", None, true),
    ("add-host", None, true),
    ("env-file", None, true),
];

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "run",
            usage: "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
            about: "Create and run a new container from an image",
            flags: RUN_FLAGS,
            min: 1,
            max: usize::MAX,
            interspersed: false,
        },
        aliases: &["container run"],
        run: Session::run_container,
        explain: Some(
            "docker run = create + start (+ attach): the CLI asked the daemon to create a container from the image (POST /containers/create), attached to its output, started it (POST /containers/{id}/start) and waited for its main process to end.",
        ),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "create",
            usage: "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
            about: "Create a new container",
            flags: RUN_FLAGS,
            min: 1,
            max: usize::MAX,
            interspersed: false,
        },
        aliases: &["container create"],
        run: Session::create_container,
        explain: Some(
            "The container exists (state: created) but nothing runs yet: `docker start` starts its main process.",
        ),
        complete: Complete::Objects,
    },
];

impl Session {
    fn run_container(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        self.run_cmd(true, p, out)
    }

    fn create_container(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        self.run_cmd(false, p, out)
    }

    /// `docker run` (`run`) or `docker create`: the CLI's checks of the
    /// flags, the create request (pulling the image when it is missing),
    /// then for `run` the start, attached unless `-d`.
    fn run_cmd(&mut self, run: bool, p: &Parsed, out: &mut Out) -> i32 {
        // `docker create` words its errors with its own name.
        let cmd = if run { "run" } else { "create" };
        let more = format!("Run 'docker {cmd} --help' for more information\n");
        let usage = format!("\n\nUsage:  docker {cmd} [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n{more}");
        let create = match self.create_request(p, &usage, &more, out) {
            Ok(create) => create,
            Err(code) => return code,
        };
        let id = match self.create_or_pull(create, &p.args[0], &more, out) {
            Ok(id) => id,
            Err(code) => return code,
        };
        if !run {
            out.line(&id);
            return 0;
        }
        // Options after the image: the coach (cli/coach/) says so.
        self.start_created(&id, p, &more, out)
    }

    /// What the docker CLI refuses before asking the daemon, in its order,
    /// then the create request of the flags; `Err` with the exit code.
    fn create_request(&self, p: &Parsed, usage: &str, more: &str, out: &mut Out) -> Result<ContainerCreate, i32> {
        let (memory, nano_cpus) = match limit_flags(p) {
            Ok(limits) => limits,
            Err(e) => {
                out.err(format!("{e}{usage}"));
                return Err(125);
            }
        };
        if p.has("rm") && p.val("restart").is_some_and(|r| r != "no") {
            out.err(format!("docker: conflicting options: cannot specify both --restart and --rm\n\n{more}"));
            return Err(125);
        }
        let extra_hosts = add_host_flags(p, usage, out)?;
        let mut env = self.env_files(p, more, out)?;
        env.extend(p.vals("env"));
        let published = publish_flags(p, more, out)?;
        let cmd: Vec<String> = p.args[1..].to_vec();
        let detach = p.has("detach");
        let tty = p.has("tty");
        let interactive = p.has("interactive");
        let network = p.val("network").or(p.val("net")).unwrap_or("default").to_string();
        let mut create = ContainerCreate::new(p.args[0].clone())
            .attach(interactive && !detach, !detach, !detach)
            .tty(tty)
            .open_stdin(interactive)
            .stdin_once(interactive && !detach)
            .auto_remove(p.has("rm"))
            .network_mode(network.as_str());
        if let Some(bytes) = memory {
            create = create.memory(bytes);
        }
        if let Some(nano) = nano_cpus {
            create = create.nano_cpus(nano);
        }
        for (cport, ip, host) in published {
            create = create.publish(&cport, &ip, &host);
        }
        for e in p.vals("expose") {
            create = create.expose(e);
        }
        for v in p.vals("volume") {
            if v.contains(':') {
                create = create.bind(v);
            } else {
                create.config_mut().volumes.insert(v);
            }
        }
        if let Some(h) = p.val("hostname") {
            create = create.hostname(h);
        }
        if let Some(u) = p.val("user") {
            create = create.user(u);
        }
        if let Some(w) = p.val("workdir") {
            create = create.working_dir(w);
        }
        if let Some(e) = p.val("entrypoint") {
            create = create.entrypoint([e]);
        }
        for e in env {
            create = create.env(e);
        }
        for h in extra_hosts {
            create = create.extra_host(h);
        }
        for t in p.vals("tmpfs") {
            let (path, options) = t.split_once(':').unwrap_or((&t, ""));
            create = create.tmpfs(path, options);
        }
        if p.has("read-only") {
            create = create.read_only_rootfs(true);
        }
        for (k, v) in key_values(&p.vals("label")) {
            create = create.label(k, v);
        }
        if !cmd.is_empty() {
            create = create.cmd(cmd);
        }
        if let Some(restart) = p.val("restart").filter(|r| r.split(':').next() != Some("no")) {
            create = create.restart_policy(restart_policy(restart));
        }
        let aliases = p.vals("network-alias");
        if !aliases.is_empty() && network != "default" {
            let mut endpoint = EndpointSettings::default();
            endpoint.aliases = aliases;
            create = create.endpoint(network.as_str(), endpoint);
        }
        if let Some(n) = p.val("name") {
            create = create.name(n);
        }
        Ok(create)
    }

    /// `--env-file`, read by the CLI from the project's files: `K=V`
    /// lines, `#` comments; a bare `K` takes the client's variable, and
    /// this terminal exports none. `Err` with the exit code.
    fn env_files(&self, p: &Parsed, more: &str, out: &mut Out) -> Result<Vec<String>, i32> {
        let mut env = Vec::new();
        for f in p.vals("env-file") {
            let Some(text) = self.files.get(f.trim_start_matches("./")) else {
                out.err(format!("docker: open {f}: no such file or directory\n\n{more}"));
                return Err(125);
            };
            env.extend(
                text.lines()
                    .map(str::trim_start)
                    .filter(|l| !l.is_empty() && !l.starts_with('#') && l.contains('='))
                    .map(String::from),
            );
        }
        Ok(env)
    }

    /// Creates the container; when its image is missing, pulls it (the
    /// pull's progress on stderr, as the CLI shows it) and creates again.
    /// Its id, or `Err` with the exit code.
    fn create_or_pull(
        &mut self,
        create: ContainerCreate,
        image: &str,
        more: &str,
        out: &mut Out,
    ) -> Result<String, i32> {
        let created = match self.sdk(self.docker().containers().create(create.clone())) {
            Ok(c) => c,
            Err(e) if e.status == 404 && e.message.starts_with("No such image") => {
                let shown = crate::image::Reference::parse(image).map(|r| r.key()).unwrap_or(image.to_string());
                out.progress(format!("Unable to find image '{shown}' locally\n"));
                let mut pull_out = Out::default();
                let code = self.pull_image(image, false, &mut pull_out);
                out.progress(
                    pull_out
                        .stdout
                        .lines()
                        .filter(|l| !l.starts_with("docker.io/") && !l.starts_with("Using default tag"))
                        .map(|l| format!("{l}\n"))
                        .collect::<String>(),
                );
                out.err(pull_out.stderr);
                if code != 0 {
                    out.explanation = pull_out.explanation;
                    out.suggestion = pull_out.suggestion;
                    return Err(125);
                }
                out.explain("The image was not on the daemon's machine, so the daemon pulled it from the registry first, then created the container.");
                match self.sdk(self.docker().containers().create(create)) {
                    Ok(c) => c,
                    Err(e) => return Err(self.daemon_error(e, out, 125, "docker: ")),
                }
            }
            Err(e) => {
                let code = self.daemon_error(e, out, 125, "docker: ");
                out.err(format!("\n{more}"));
                return Err(code);
            }
        };
        Ok(created.id)
    }

    /// `docker run` after the create: `-d` starts the container and prints
    /// its id; else attach, wait and start as the real CLI does, and follow
    /// the output to the exit code.
    fn start_created(&mut self, id: &str, p: &Parsed, more: &str, out: &mut Out) -> i32 {
        let (tty, interactive) = (p.has("tty"), p.has("interactive"));
        let container = self.container(id);
        if p.has("detach") {
            if let Err(e) = self.sdk(container.start()) {
                // The CLI's exit code for a command that cannot run (as attached).
                let code = if e.message.contains("executable file not found") {
                    127
                } else if e.message.contains("permission denied") {
                    126
                } else {
                    125
                };
                return self.daemon_error(e, out, code, "docker: ");
            }
            out.line(id);
            match ended_note(self.current_engine(), id) {
                // Said even after the pull's note: it is what the learner must know now.
                Some(ended) => {
                    out.explanation = Some(match out.explanation.take() {
                        Some(pulled) => format!("{pulled} {ended}"),
                        None => ended,
                    });
                }
                None => match ports_note(self.current_engine(), id) {
                    // After the pull's note too: the reason comes with the "Try".
                    Some((note, name, redo)) => {
                        out.explanation = Some(match out.explanation.take() {
                            Some(pulled) => format!("{pulled} {note}"),
                            None => note,
                        });
                        out.suggestion = Some(format!("docker rm -f {name}"));
                        out.redo.extend(redo);
                    }
                    None => out.explain("docker run -d = POST /containers/create, then POST /containers/{id}/start. The container runs in the background; the CLI prints its id and returns."),
                },
            }
            return 0;
        }
        // Attached: attach, wait, start — as the real CLI does.
        let condition = if p.has("rm") { WaitCondition::Removed } else { WaitCondition::NextExit };
        let (attached, wait) = match self.attach_wait_start(&container, interactive, tty, condition, true) {
            Ok(both) => both,
            Err((Stage::Start, e)) => {
                out.err(format!("docker: Error response from daemon: {}\n", e.message));
                teach_error(&e.message, out);
                out.err(format!("\n{more}"));
                return if e.message.contains("executable file not found") { 127 } else { 125 };
            }
            Err((_, e)) => return self.daemon_error(e, out, 125, "docker: "),
        };
        let target = StdinTarget { container: id.to_string(), exec: None };
        self.finish_attached(attached, wait, target, tty, interactive, out)
    }
}

/// `--add-host name:ip` (or `name=ip`), checked by the CLI: each as
/// `name:ip`; `Err` with the exit code.
fn add_host_flags(p: &Parsed, usage: &str, out: &mut Out) -> Result<Vec<String>, i32> {
    let mut extra_hosts = Vec::new();
    for h in p.vals("add-host") {
        match h.split_once([':', '=']) {
            Some((name, ip)) if !name.is_empty() && !ip.is_empty() => extra_hosts.push(format!("{name}:{ip}")),
            _ => {
                out.err(format!(
                    "invalid argument \"{h}\" for \"--add-host\" flag: bad format for add-host: \"{h}\"{usage}"
                ));
                return Err(125);
            }
        }
    }
    Ok(extra_hosts)
}

/// `-p [[IP:]HOST:]CONTAINER[/PROTO]`, checked as the CLI does: each as
/// (container port, host IP, host port); `Err` with the exit code.
fn publish_flags(p: &Parsed, more: &str, out: &mut Out) -> Result<Vec<(String, String, String)>, i32> {
    let mut published = Vec::new();
    for spec in p.vals("publish") {
        let parts: Vec<&str> = spec.split(':').collect();
        let (ip, host, cport) = match parts.as_slice() {
            [c] => ("", "", *c),
            [h, c] => ("", *h, *c),
            [ip, h, c] => (*ip, *h, *c),
            _ => {
                out.err(format!(
                    "docker: invalid publish opts format (should be name=value but got '{spec}')\n\n{more}"
                ));
                return Err(125);
            }
        };
        let container_port = cport.split('/').next().unwrap_or("");
        let bad = if container_port.parse::<u16>().is_err() {
            Some(format!("invalid containerPort: {container_port}"))
        } else if !host.is_empty() && host.parse::<u16>().is_err() {
            Some(format!("invalid hostPort: {host}"))
        } else {
            None
        };
        if let Some(bad) = bad {
            out.err(format!("docker: {bad}\n\n{more}"));
            out.explain("-p takes HOST_PORT:CONTAINER_PORT, for example -p 8080:80 (the host's port 8080 forwards to port 80 in the container).");
            return Err(125);
        }
        published.push((cport.to_string(), ip.to_string(), host.to_string()));
    }
    Ok(published)
}

/// A size as the docker CLI reads `--memory`: a number and an optional unit
/// (`b`, `k`, `m`, `g`, `t`, `p`, any case, with an optional `b` after it:
/// `512m`, `1.5GB`), in bytes.
fn ram_in_bytes(text: &str) -> Option<i64> {
    let lower = text.trim().to_ascii_lowercase();
    let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = match &lower[digits.len()..] {
        "" | "b" => 1_i64,
        "k" | "kb" => 1 << 10,
        "m" | "mb" => 1 << 20,
        "g" | "gb" => 1 << 30,
        "t" | "tb" => 1 << 40,
        "p" | "pb" => 1 << 50,
        _ => return None,
    };
    let number: f64 = digits.parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    Some((number * unit as f64) as i64)
}

/// `-m` and `--cpus` of `run`, `create` and `update`, as the docker CLI
/// reads them: bytes and billionths of a CPU. `Err` is the CLI's message,
/// for the command's usage to follow.
pub(crate) fn limit_flags(p: &Parsed) -> Result<(Option<i64>, Option<i64>), String> {
    let memory = match p.val("memory") {
        Some(m) => Some(
            ram_in_bytes(m)
                .ok_or_else(|| format!("invalid argument \"{m}\" for \"-m, --memory\" flag: invalid size: '{m}'"))?,
        ),
        None => None,
    };
    let nano_cpus = match p.val("cpus") {
        Some(c) => {
            let cpus = c.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0).ok_or_else(|| {
                format!("invalid argument \"{c}\" for \"--cpus\" flag: failed to parse {c} as a rational number")
            })?;
            Some((cpus * 1e9) as i64)
        }
        None => None,
    };
    Ok((memory, nano_cpus))
}

/// `--restart no|always|unless-stopped|on-failure[:N]` as the SDK's policy.
pub(crate) fn restart_policy(text: &str) -> RestartPolicy {
    let (name, max) = text.split_once(':').map_or((text, 0), |(n, m)| (n, m.parse().unwrap_or(0)));
    let mut policy = RestartPolicy::no();
    policy.name = RestartPolicyName::from(name);
    policy.maximum_retry_count = max;
    policy
}

/// The note after `docker run -d` when the container's main process already
/// ended (`docker run -d busybox`: sh with no command and no TTY): it is not
/// "running in the background", which is what its level teaches.
fn ended_note(engine: &crate::Engine, id: &str) -> Option<String> {
    let (name, cmd, code) = engine.with_state(|st| {
        st.containers
            .get(id)
            .filter(|c| c.status != crate::state::Status::Running)
            .map(|c| (c.name.trim_start_matches('/').to_string(), c.cmd.join(" "), c.exit_code))
    })?;
    let ended = format!(
        "The CLI printed the id and returned, but {name}'s main process ({cmd}) already ended with exit code {code}, and so did the container: docker ps does not list it (docker ps -a does)."
    );
    // Only a shell waits for input: with no command and no TTY it ends at once.
    let shell = matches!(cmd.as_str(), "sh" | "bash" | "/bin/sh" | "/bin/bash" | "ash");
    Some(if shell {
        format!(
            "{ended} A shell with no command and no TTY reads no input and ends at once; give it something that lasts, e.g. sleep 3600."
        )
    } else {
        format!(
            "{ended} Detached (-d) is for a program that keeps running, such as a server or sleep 3600: this one did its work and ended (docker logs {name} shows what it printed)."
        )
    })
}

/// The note after `docker run -d -p H:C` when nothing in the image listens on
/// C but it exposes another port (`-p 80:8080` for nginx): the container's
/// port is wrong (or the two are the wrong way round). With the
/// container's name, for the fix, and the line to run again.
fn ports_note(engine: &crate::Engine, id: &str) -> Option<(String, String, Vec<Redo>)> {
    engine.with_state(|st| {
        let c = st.containers.get(id)?;
        let exposed = &st.images.get(&c.image_id)?.config.exposed_ports;
        let bare = |p: &str| p.split('/').next().unwrap_or(p).to_string();
        let b = c.ports.iter().find(|b| !exposed.contains(&b.container_port))?;
        let listens = bare(exposed.iter().next()?);
        let (host, to) = (b.host_port.to_string(), bare(&b.container_port));
        let (name, image) = (c.name.trim_start_matches('/').to_string(), &c.image_ref);
        let line = |host: &str| format!("docker run -d --name {name} -p {host}:{listens} {image}");
        let written = line(&host);
        let mut redo = vec![Redo { written: written.clone(), fix: Fix::Port { host: None, to: to.clone(), listens: listens.clone() } }];
        // `-p 80:8080` for a server on 80 may be `8080:80` the wrong way round.
        let reversed = if host == listens {
            let other = line(&to);
            let said = format!(" (or, if you meant the host's port {to}: {other})");
            redo.push(Redo { written: other, fix: Fix::Port { host: Some(to.clone()), to: to.clone(), listens: listens.clone() } });
            said
        } else {
            String::new()
        };
        let note = format!("{name} runs, but nothing will answer on the host's port {host}: {image} listens on port {listens} inside the container, and -p HOST:CONTAINER ({host}:{to}) published the container's port {to}, where nothing listens. So remove it (docker rm -f {name}), then run it again with the container's port {listens}: {written}{reversed}.");
        Some((note, name, redo))
    })
}
