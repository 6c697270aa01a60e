//! A command line of the terminal: `$(docker ...)` substitutions, pipes
//! into xargs and busybox's filters, the host's few commands (`ls`, `cat`,
//! `echo`, `curl`, `export DOCKER_HOST=...`), then docker's global options
//! (`-H`, `--context`, ...) before the command itself
//! ([`commands`](super::commands)).

use super::Session;
use super::format::distance;
use super::host_shell;
use super::out::{Out, Res};
use crate::util::shell_words;

/// What docker's global options said: the command starts at this word
/// (and goes to this daemon just this once), or the line is done.
pub(crate) enum Options {
    Command(usize, Option<usize>),
    Done(i32),
}

impl Session {
    /// Replaces each `$(docker ...)` of `line` by that command's output, its
    /// words joined by spaces as bash does unquoted (`docker rm -f $(docker
    /// ps -aq)`); the inner command's errors show.
    pub(crate) fn expand_substitutions(&mut self, line: &str, out: &mut Out, depth: usize) -> Result<String, i32> {
        let found = host_shell::docker_substitutions(line);
        if found.is_empty() {
            return Ok(line.to_string());
        }
        if depth >= host_shell::MAX_NESTING {
            out.err("bash: command substitutions nested too deeply\n");
            return Err(2);
        }
        let (mut expanded, mut at) = (String::new(), 0);
        for (range, command) in found {
            expanded.push_str(&line[at..range.start]);
            let mut inner = Out::default();
            let _ = self.dispatch_nested(&command, &mut inner, depth + 1);
            out.err(inner.stderr);
            expanded.push_str(&inner.stdout.split_whitespace().collect::<Vec<_>>().join(" "));
            at = range.end;
        }
        expanded.push_str(&line[at..]);
        Ok(expanded)
    }

    /// `docker ps -a | grep web | wc -l`: the first command's output goes
    /// through busybox's text filters, as the host's shell would pipe it.
    pub(crate) fn pipeline(&mut self, stages: &[String], out: &mut Out, depth: usize) -> Res {
        if stages.iter().any(String::is_empty) {
            out.err("bash: syntax error near unexpected token `|'\n");
            return Err(2);
        }
        let mut code = match self.dispatch_nested(&stages[0], out, depth) {
            Ok(c) | Err(c) => c,
        };
        let mut text = std::mem::take(&mut out.stdout);
        for stage in &stages[1..] {
            let argv = match shell_words(stage) {
                Ok(argv) => argv,
                Err(e) => {
                    out.err(format!("bash: syntax error: {e}\n"));
                    return Err(2);
                }
            };
            if argv[0] == "xargs" {
                (text, code) = self.xargs(&argv[1..], &text, out, depth);
                continue;
            }
            if !crate::programs::HOST_FILTERS.contains(&argv[0].as_str()) {
                out.err(format!("bash: {}: command not found\n", argv[0]));
                out.explain(format!(
                    "Here docker's output can be piped into xargs and busybox's text filters: {}.",
                    crate::programs::HOST_FILTERS.join(", ")
                ));
                return Err(127);
            }
            let (filtered, errors, status) =
                self.current_engine().with_state_mut(|st| crate::programs::host_filter(st, &argv, text));
            out.err(errors);
            (text, code) = (filtered, status);
        }
        out.out(text);
        Ok(code)
    }

    /// `... | xargs docker stop`: runs the command with the input's words
    /// as arguments; its output, and GNU xargs's exit code (123 when a
    /// command failed, 127 when there is no such command).
    pub(crate) fn xargs(&mut self, args: &[String], input: &str, out: &mut Out, depth: usize) -> (String, i32) {
        let x = match host_shell::Xargs::parse(args) {
            Ok(x) => x,
            Err(e) => {
                out.err(format!("{e}\n"));
                return (String::new(), 1);
            }
        };
        if !["docker", "echo", "cat", "curl", "wget"].contains(&x.command[0].as_str()) {
            out.err(format!("xargs: {}: No such file or directory\n", x.command[0]));
            return (String::new(), 127);
        }
        let (mut text, mut failed) = (String::new(), false);
        for line in x.lines(input) {
            let mut inner = Out::default();
            let status = match self.dispatch_nested(&line, &mut inner, depth + 1) {
                Ok(c) | Err(c) => c,
            };
            out.err(inner.stderr);
            text.push_str(&inner.stdout);
            failed |= status != 0;
        }
        (text, if failed { 123 } else { 0 })
    }

    pub(crate) fn dispatch(&mut self, line: &str, out: &mut Out) -> Res {
        self.dispatch_nested(line, out, 0)
    }

    /// A command line inside `depth` command substitutions: its
    /// here-document and redirections first, then the line itself.
    pub(crate) fn dispatch_nested(&mut self, line: &str, out: &mut Out, depth: usize) -> Res {
        let split = host_shell::here_document(line)
            .and_then(|doc| Ok((doc.clone(), host_shell::redirects(doc.as_ref().map_or(line, |(l, _)| l))?)));
        match split {
            Err(e) => {
                out.err(format!("{e}\n"));
                out.explain("This terminal's shell is small: one command per line, with pipes into text filters and xargs, $(docker ...), > FILE, >> FILE, < FILE and here-documents (cat > FILE <<EOF, the lines, EOF).");
                Err(2)
            }
            Ok((None, (line, r))) if r == host_shell::Redirects::default() => self.command_line(&line, out, depth),
            Ok((doc, (line, r))) => self.redirected(&line, doc.map(|(_, body)| body), r, out, depth),
        }
    }

    /// A command line with a here-document or redirections: the command
    /// reads the document or `< FILE`, and its stdout goes into the
    /// project's file of `> FILE` (`>>` appends), which `docker build .`
    /// sends as the build context.
    fn redirected(
        &mut self,
        line: &str,
        document: Option<String>,
        r: host_shell::Redirects,
        out: &mut Out,
        depth: usize,
    ) -> Res {
        let input = match &r.input {
            Some(f) => match self.files.get(f.trim_start_matches("./")) {
                Some(text) => Some(text.clone()),
                None => {
                    out.err(format!("bash: {f}: No such file or directory\n"));
                    return Err(1);
                }
            },
            None => document,
        };
        let target = r.output.as_ref().map(|(f, append)| (f.trim_start_matches("./").to_string(), *append));
        if let Some((f, _)) = &target
            && (f.is_empty() || f.starts_with('/') || f.split('/').any(|part| part == ".." || part.is_empty()))
        {
            out.err(format!("bash: {f}: this terminal writes only the project's files\n"));
            let (raw, append) = r.output.as_ref().map(|(f, a)| (f.as_str(), *a)).unwrap_or_default();
            if let Some(inside) = super::coach::redirect_inside(line, raw, append) {
                out.explain(format!("The `{} {raw}` was read by this terminal's shell, on the host, not by the container: it would send docker's output to a file of the host (and this terminal writes only the project's files). To write the file inside the container, give the redirect to a shell in it: {inside}", if append { ">>" } else { ">" }));
                out.suggestion = Some(inside);
                return Err(1);
            }
            out.explain("This terminal writes only the project's files, by paths inside the project (Dockerfile, app.py, site/index.html): what `ls` lists and `docker build .` sends.");
            return Err(1);
        }
        let saved = std::mem::replace(&mut self.stdin, input);
        let mut inner = Out::default();
        let code = match self.command_line(line, &mut inner, depth) {
            Ok(c) | Err(c) => c,
        };
        let unread = std::mem::replace(&mut self.stdin, saved).is_some();
        out.refused.extend(std::mem::take(&mut inner.refused));
        out.suggestion = inner.suggestion.take();
        out.explanation = inner.explanation.take();
        if unread {
            out.explanation = Some("The command did not read its input: in this terminal, cat is the one host command that reads a here-document or < FILE (cat > Dockerfile <<EOF, the lines, EOF).".into());
        }
        match target {
            // bash would have emptied the file before the command failed;
            // here a failed command that printed nothing leaves it as it was.
            Some(_) if code != 0 && inner.stdout.is_empty() => out.err(inner.stderr),
            Some((path, append)) => {
                out.err(&inner.stderr);
                let mut text = if append { self.files.get(&path).cloned().unwrap_or_default() } else { String::new() };
                text.push_str(&inner.stdout);
                self.write_file(&path, &text);
                if !unread {
                    out.explanation = Some(format!(
                        "The shell wrote the command's output into {path}, a file of the project (`cat {path}` shows it; the editor has it too). `docker build .` sends the project's files to the daemon as the build context."
                    ));
                }
            }
            None => out.append(inner),
        }
        Ok(code)
    }

    /// A command line without redirections: its substitutions, then a
    /// pipeline, a host command or a docker command.
    fn command_line(&mut self, line: &str, out: &mut Out, depth: usize) -> Res {
        let line = self.expand_substitutions(line, out, depth)?;
        let stages = host_shell::split_pipeline(&line);
        if stages.len() > 1 {
            return self.pipeline(&stages, out, depth);
        }
        let words = match shell_words(line.trim()) {
            Ok(w) => w,
            Err(e) => {
                out.err(format!("bash: syntax error: {e}\n"));
                out.explain("A quote was opened and never closed. Close it with the same kind of quote.");
                return Err(2);
            }
        };
        // `DOCKER_BUILDKIT=0 docker build .`: variables for this one command.
        let assigned = words.iter().take_while(|w| host_shell::is_assignment(w)).count();
        if assigned > 0 && assigned < words.len() {
            let (saved_buildkit, saved_host) = (self.buildkit, self.host_env);
            for w in &words[..assigned] {
                if self.env_command(&["export".to_string(), w.clone()], &mut Out::default()) != 0 {
                    self.env_command(&["export".to_string(), w.clone()], out);
                    (self.buildkit, self.host_env) = (saved_buildkit, saved_host);
                    return Err(1);
                }
            }
            let result = self.command_line(&host_shell::join_words(&words[assigned..]), out, depth);
            (self.buildkit, self.host_env) = (saved_buildkit, saved_host);
            return result;
        }
        let Some(first) = words.first() else { return Ok(0) };
        if assigned > 0 {
            // A shell variable without a command: set, not exported.
            return Ok(0);
        }
        if first != "docker" {
            return self.host_command(&words, out);
        }
        let (i, one_shot) = match self.global_options(&words, out)? {
            Options::Done(code) => return Ok(code),
            Options::Command(i, one_shot) => (i, one_shot),
        };
        let saved_host = self.host_env;
        if let Some(t) = one_shot {
            self.host_env = Some(t);
        }
        let result = self.command(&words[i..], out);
        if one_shot.is_some() {
            self.host_env = saved_host;
        }
        result
    }

    /// A command of the host that is not docker: `curl`, `ls`, `cat`,
    /// `export`/`unset`, `echo`, `clear`, `history`; any other is not found.
    fn host_command(&mut self, words: &[String], out: &mut Out) -> Res {
        match words[0].as_str() {
            "curl" | "wget" => Ok(self.host_fetch(&words[1..], out)),
            "ls" => {
                for f in self.files.keys() {
                    out.line(f);
                }
                Ok(0)
            }
            "cat" if words[1..].iter().all(|w| w == "-") => match self.stdin.take() {
                Some(text) => {
                    out.out(text);
                    Ok(0)
                }
                None => {
                    out.err("cat: this terminal has no keyboard input for cat to read\n");
                    out.explain("To write a file here, give cat a here-document: cat > Dockerfile <<EOF, then the file's lines, then a line EOF (as one input). Or echo \"FROM busybox\" > Dockerfile, and >> to add a line.");
                    out.suggestion = Some("cat > Dockerfile <<EOF".into());
                    Ok(1)
                }
            },
            "cat" => {
                let mut code = 0;
                for f in &words[1..] {
                    match self.files.get(f.trim_start_matches("./")) {
                        Some(c) => out.out(c),
                        None => {
                            out.err(format!("cat: {f}: No such file or directory\n"));
                            code = 1;
                        }
                    }
                }
                Ok(code)
            }
            "export" | "unset" => Ok(self.env_command(words, out)),
            "echo" if words.get(1).is_some_and(|w| w == "-n") => {
                out.out(words[2..].join(" "));
                Ok(0)
            }
            "echo" => {
                out.line(words[1..].join(" "));
                Ok(0)
            }
            "nano" | "vi" | "vim" | "emacs" => {
                out.err(format!("bash: {}: command not found\n", words[0]));
                out.explain("No text editor runs in this terminal: edit the project's files in the editor beside it, or write one here with a here-document (cat > Dockerfile <<EOF, the lines, EOF) or echo \"FROM busybox\" > Dockerfile.");
                out.suggestion = Some("cat > Dockerfile <<EOF".into());
                Err(127)
            }
            "clear" | "history" => Ok(0),
            "exit" | "logout" => {
                out.explain("You are on the host's terminal, not in a container: there is no container shell to leave. exit ends a shell you opened with docker run -it or docker exec -it.");
                Ok(0)
            }
            "cd" => {
                let dir = words.get(1).map_or("~", String::as_str);
                out.err(format!("bash: cd: {dir}: No such file or directory\n"));
                out.explain("This terminal is the host, and its one directory is the project's (ls lists its files). A container's files are seen from inside it: open a shell there, then cd.");
                out.suggestion = Some(match self.running_container() {
                    Some(name) => format!("docker exec -it {name} sh"),
                    None => "docker run -it busybox".into(),
                });
                Err(1)
            }
            other => {
                out.err(format!("bash: {other}: command not found\n"));
                let running = self.running_container();
                out.explain(format!(
                    "This terminal runs docker commands (and a few helpers: curl, ls, cat, echo, export DOCKER_HOST=..., > FILE and here-documents into the project's files). Programs like this one run inside containers: {}.",
                    match &running {
                        Some(name) => format!("docker exec {name} {other} runs it in your running container {name}; docker run --rm busybox {other} in a new one, thrown away at its end"),
                        None => format!("docker run --rm busybox {other} runs it in a new container, thrown away at its end"),
                    }
                ));
                out.suggestion = Some(if distance(other, "docker") <= 2 {
                    "docker".into()
                } else {
                    let line = super::coach::join(words);
                    match running {
                        Some(name) => format!("docker exec {name} {line}"),
                        None => format!("docker run --rm busybox {line}"),
                    }
                });
                Err(127)
            }
        }
    }

    /// A running container of the current daemon (the oldest), for a host
    /// command that belongs in one.
    fn running_container(&self) -> Option<String> {
        self.current_engine().with_state(|st| {
            st.containers
                .values()
                .filter(|c| c.status == crate::state::Status::Running)
                .min_by_key(|c| c.created_ms)
                .map(|c| c.name.clone())
        })
    }

    /// docker's global options before the command (`-H`, `--context`,
    /// `-D`, ...): where the command starts and the daemon it goes to for
    /// this one command; or, for `--version` and `--help`, done.
    fn global_options(&mut self, words: &[String], out: &mut Out) -> Result<Options, i32> {
        let mut i = 1;
        let mut one_shot: Option<usize> = None;
        while i < words.len() && words[i].starts_with('-') {
            let w = words[i].as_str();
            let (name, inline) = match w.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (w, None),
            };
            match name {
                "-H" | "--host" | "-c" | "--context" => {
                    let value = match inline {
                        Some(v) => v,
                        None => {
                            i += 1;
                            match words.get(i) {
                                Some(v) => v.clone(),
                                None => return Err(global_flag_needs_value(name, out)),
                            }
                        }
                    };
                    let target = if name.contains('H') || name == "--host" {
                        self.resolve_host(&value, out)
                    } else {
                        self.resolve_context(&value, out)
                    };
                    match target {
                        Some(t) => one_shot = Some(t),
                        None => return Err(1),
                    }
                }
                "-D" | "--debug" | "-l" | "--log-level" | "--tls" | "--tlsverify" => {
                    if (name == "-l" || name == "--log-level") && inline.is_none() {
                        if i + 1 == words.len() {
                            return Err(global_flag_needs_value(name, out));
                        }
                        i += 1;
                    }
                }
                "-v" | "--version" => {
                    out.line(format!(
                        "Docker version {}, build e6534b4 (simulated CLI over dockhand {})",
                        crate::cli::CLIENT_VERSION,
                        dockhand::USER_AGENT
                    ));
                    out.explain("Only the client answered: docker --version prints the docker CLI's own version, with no request to the daemon (the Wire view stays empty). docker version (no dashes) asks the daemon too: it prints the Client's version and the Server's, dockerd's, from GET /version.");
                    out.suggestion = Some("docker version".into());
                    return Ok(Options::Done(0));
                }
                "--help" | "-h" => {
                    out.out(super::commands::top_help());
                    return Ok(Options::Done(0));
                }
                other => {
                    out.err(format!("unknown flag: {other}\n\nUsage:  docker [OPTIONS] COMMAND\n\nRun 'docker --help' for more information\n"));
                    out.explain(
                        "Options before the command are global options of the docker client: -H/--host, --context, -D.",
                    );
                    return Err(125);
                }
            }
            i += 1;
        }
        Ok(Options::Command(i, one_shot))
    }

    pub(crate) fn resolve_host(&self, value: &str, out: &mut Out) -> Option<usize> {
        let v = value.trim();
        if v.is_empty() || v == "unix:///var/run/docker.sock" || v.starts_with("unix://") && v.ends_with("docker.sock")
        {
            return Some(0);
        }
        if v.contains("remote") {
            return Some(1);
        }
        out.err(format!("Cannot connect to the Docker daemon at {v}. Is the docker daemon running?\n"));
        out.explain(format!("The client sends every command over HTTP to the daemon named by -H or DOCKER_HOST. Nothing answers at {v}. In the simulation, two daemons exist: unix:///var/run/docker.sock (local) and tcp://remote.example:2376 (remote)."));
        out.suggestion = Some("docker -H tcp://remote.example:2376 ps".into());
        None
    }

    pub(crate) fn resolve_context(&self, value: &str, out: &mut Out) -> Option<usize> {
        match value {
            "default" => Some(0),
            "remote" => Some(1),
            other => {
                out.err(format!("context \"{other}\" does not exist\n"));
                out.suggestion = Some("docker context ls".into());
                None
            }
        }
    }

    pub(crate) fn env_command(&mut self, words: &[String], out: &mut Out) -> i32 {
        let arg = words.get(1).cloned().unwrap_or_default();
        if words[0] == "unset" {
            if arg == "DOCKER_BUILDKIT" {
                self.buildkit = true;
            }
            if arg == "DOCKER_HOST" {
                self.host_env = None;
                out.explain("DOCKER_HOST is unset: commands go to the daemon of the current context again.");
            }
            return 0;
        }
        match arg.split_once('=') {
            Some(("DOCKER_BUILDKIT", v)) => {
                // The CLI reads it as a boolean: 0, false, 1, true.
                match v.to_ascii_lowercase().as_str() {
                    "0" | "false" => self.buildkit = false,
                    "1" | "true" | "" => self.buildkit = true,
                    _ => {
                        out.err(format!("DOCKER_BUILDKIT environment variable expects boolean value: strconv.ParseBool: parsing \"{v}\": invalid syntax\n"));
                        return 1;
                    }
                }
                0
            }
            Some(("DOCKER_HOST", v)) => match self.resolve_host(v, out) {
                Some(t) => {
                    self.host_env = Some(t);
                    out.explain(format!(
                        "From now on the docker client sends its HTTP requests to {} ({} daemon).",
                        if t == 0 { "unix:///var/run/docker.sock" } else { "tcp://remote.example:2376" },
                        self.daemons[t].name
                    ));
                    0
                }
                None => 1,
            },
            _ => 0,
        }
    }

    pub(crate) fn host_fetch(&mut self, args: &[String], out: &mut Out) -> i32 {
        if args.iter().any(|a| a.starts_with("--unix-socket")) {
            return self.curl_socket(args, out);
        }
        let url = args.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
        let Some((host, port, path)) = crate::programs::parse_url(&url) else {
            out.err("curl: (3) URL rejected: Malformed input to a URL function\n");
            return 3;
        };
        // The remote daemon's machine answers on its published ports too
        // (flow-6 deploys there, then the learner checks the site).
        let remote = host.starts_with("remote");
        if !remote && host != "localhost" && host != "127.0.0.1" {
            out.err(format!("curl: (6) Could not resolve host: {host}\n"));
            out.explain("The simulated host has no internet access. Published ports answer on localhost (and on remote, the remote daemon's machine): `docker run -d -p 8080:80 nginx`, then `curl localhost:8080`.");
            return 6;
        }
        let engine = self.daemons[usize::from(remote)].engine.clone();
        match engine.host_get(port, &path) {
            Ok((_, body)) => {
                out.out(body);
                let machine = if remote { format!("{host}'s") } else { "The host's".into() };
                match mesh_answered(&engine, port) {
                    Some((service, task)) => out.explain(format!("{machine} port {port} is published by the service {service} on the swarm's routing mesh: the port answers on every node and the mesh sends the connection to one of {service}'s replicas (this time {task}).")),
                    None => out.explain(format!("{machine} port {port} is published to a container: the connection went to that port of the host, and Docker's port forwarding (docker-proxy and iptables rules) sent it on to the container's port, where its web server answered. No API request went to the daemon (the Wire view stays empty).")),
                }
                0
            }
            Err(e) => {
                let Some((name, image, to, listens)) = published_to(&engine, port) else {
                    out.err(format!("curl: (7) {e}\n"));
                    unpublished(&engine, &host, port, out);
                    return 7;
                };
                // docker's proxy took the connection, then found nothing
                // listening in the container: curl hears nothing back.
                out.err("curl: (52) Empty reply from server\n");
                match listens {
                    Some(listens) => {
                        // The fix meets the old container's port and name:
                        // remove it first, then run it again. Reversed
                        // (`-p 80:8080`): the host port meant was `to`.
                        let meant = if port.to_string() == listens { to.clone() } else { port.to_string() };
                        out.explain(format!("{host}:{port} is published to {name}'s port {to}, but nothing listens there: {name}'s image serves on port {listens}. The two ports are the wrong way round or mistyped: -p takes HOST:CONTAINER, the host's port first, then the port the container listens on. {name} holds the port and its name: remove it, then run it again with -p {meant}:{listens} (docker run -d --name {name} -p {meant}:{listens} {image})."));
                        out.suggestion = Some(format!("docker rm -f {name}"));
                    }
                    None => out.explain(format!("localhost:{port} is published to {name}'s port {to}: docker's proxy accepted the connection, but nothing in {name} listens on port {to}, so the reply is empty. -p HOST:CONTAINER must name the port the program in the container listens on.")),
                }
                52
            }
        }
    }
}

/// The note when nothing publishes host `port`. A running container that
/// sends another host port to container port `port` had its `-p` reversed
/// (`-p 80:8080` for nginx, then `curl localhost:8080`): say so and keep its
/// name, rather than suggest some other container.
fn unpublished(engine: &crate::Engine, host: &str, port: u16, out: &mut Out) {
    let wanted = format!("{port}/tcp");
    let reversed = engine.with_state(|st| {
        st.containers.values().filter(|c| c.status == crate::state::Status::Running).find_map(|c| {
            let b = c.ports.iter().find(|b| b.container_port == wanted || b.container_port == port.to_string())?;
            let exposed = st.images.get(&c.image_id)?.config.exposed_ports.contains(&format!("{}/tcp", b.host_port));
            exposed.then_some(())?;
            Some((c.name.trim_start_matches('/').to_string(), image_and_command(st, c), b.host_port))
        })
    });
    if reversed.is_none() && swarm_unpublished(engine, host, port, out) {
        return;
    }
    match reversed {
        Some((name, image, host_port)) => {
            out.explain(format!("Nothing listens on {host}:{port}: {name} publishes the host's port {host_port} to its own port {port}, the wrong way round. -p takes HOST:CONTAINER, the host's port first: remove {name}, then run it again with -p {port}:{host_port} (docker run -d --name {name} -p {port}:{host_port} {image})."));
            out.suggestion = Some(format!("docker rm -f {name}"));
        }
        None => {
            out.explain(format!("Nothing listens on {host}:{port}. A container's port is reachable from the host only when published with -p HOST:CONTAINER, and only while the container runs."));
            let any = engine.with_state(|st| st.containers.values().any(|c| c.status == crate::state::Status::Running));
            out.suggestion = Some(if any { "docker ps".into() } else { format!("docker run -d -p {port}:80 nginx") });
        }
    }
}

/// The note when nothing publishes `port` on a swarm manager: a service's
/// ports are on the routing mesh, not on `docker ps`'s lines. When a service
/// publishes another port, the `service update` that moves it (the CLI's
/// `--publish-rm` matches the port in the containers). `false` out of a swarm.
fn swarm_unpublished(engine: &crate::Engine, host: &str, port: u16, out: &mut Out) -> bool {
    let found = engine.with_state(|st| {
        let swarm = st.swarm.as_ref()?;
        let other = swarm.services.values().find_map(|s| {
            let ports = s.spec["EndpointSpec"]["Ports"].as_array()?;
            let p = ports.iter().find(|p| p["PublishedPort"].as_u64().is_some_and(|n| n != u64::from(port)))?;
            let name = s.spec["Name"].as_str()?.to_string();
            Some((name, p["PublishedPort"].as_u64()?, p["TargetPort"].as_u64()?))
        });
        Some((other, swarm.services.values().filter_map(|s| s.spec["Name"].as_str().map(String::from)).next()))
    });
    let Some((other, any)) = found else { return false };
    let mesh = "This daemon is a swarm manager: a service's ports are published on the routing mesh, and docker ps does not show them (docker service ls does, in PORTS; docker service inspect NAME --pretty too).";
    match (other, any) {
        (Some((name, published, target)), _) => {
            out.explain(format!("Nothing listens on {host}:{port}. {mesh} The service {name} publishes port {published} (to its containers' port {target}), not {port}. Change the service rather than make a new one: docker service update --publish-rm {target} --publish-add {port}:{target} {name} (--publish-rm names the containers' port, so it removes {published}:{target})."));
            out.suggestion =
                Some(format!("docker service update --publish-rm {target} --publish-add {port}:{target} {name}"));
        }
        (None, Some(name)) => {
            out.explain(format!("Nothing listens on {host}:{port}. {mesh} No service publishes a port: add one with docker service update --publish-add {port}:80 {name}."));
            out.suggestion = Some(format!("docker service inspect {name} --pretty"));
        }
        (None, None) => {
            out.explain(format!("Nothing listens on {host}:{port}. {mesh} No service runs yet: docker service create -p {port}:80 nginx makes one."));
            out.suggestion = Some("docker service ls".into());
        }
    }
    true
}

/// The service and task container that answered on `port` through the
/// routing mesh (no container publishes the port itself).
fn mesh_answered(engine: &crate::Engine, port: u16) -> Option<(String, String)> {
    if published_to(engine, port).is_some() {
        return None;
    }
    engine.with_state(|st| {
        let (cid, _) = crate::daemon::swarm::services::mesh_target(st, port)?;
        let c = st.containers.get(&cid)?;
        let service = c.labels.get("com.docker.swarm.service.name")?.clone();
        Some((service, c.name.trim_start_matches('/').to_string()))
    })
}

/// A container's image as a `docker run` line names it, followed by the
/// command it was given when that is not its image's own (`busybox sleep
/// 3600`): a redo line that dropped it would run something else.
fn image_and_command(st: &crate::State, c: &crate::state::Container) -> String {
    let own = st.images.get(&c.image_id).is_some_and(|i| i.config.cmd == c.cmd);
    if own || c.cmd.is_empty() {
        return c.image_ref.clone();
    }
    let mut words = vec![c.image_ref.clone()];
    words.extend(c.cmd.iter().cloned());
    super::coach::join(&words)
}

/// The running container that publishes host `port`: its name, its image,
/// the container port the mapping sends to, and the port its image exposes
/// when that is another one (`-p 80:8080` for nginx, which listens on 80).
fn published_to(engine: &crate::Engine, port: u16) -> Option<(String, String, String, Option<String>)> {
    let bare = |p: &str| p.split('/').next().unwrap_or(p).to_string();
    engine.with_state(|st| {
        st.containers.values().filter(|c| c.status == crate::state::Status::Running).find_map(|c| {
            let to = c.ports.iter().find(|p| p.host_port == port)?.container_port.clone();
            let listens = st
                .images
                .get(&c.image_id)
                .and_then(|i| i.config.exposed_ports.iter().find(|e| **e != to))
                .map(|e| bare(e));
            Some((c.name.trim_start_matches('/').to_string(), image_and_command(st, c), bare(&to), listens))
        })
    })
}

/// The docker client's error for a global option given without its value.
/// (pflag's wording: `'H' in -H` for a short one, `--host` for a long one).
pub(crate) fn global_flag_needs_value(name: &str, out: &mut Out) -> i32 {
    let flag = match name.strip_prefix('-').filter(|n| !n.starts_with('-')) {
        Some(short) => format!("'{short}' in {name}"),
        None => name.to_string(),
    };
    out.err(format!(
        "flag needs an argument: {flag}\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n"
    ));
    125
}
