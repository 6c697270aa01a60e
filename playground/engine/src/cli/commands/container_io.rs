//! Into and out of a running container: exec, attach (and `start -a`), cp.

use dockhand::Body;
use dockhand::api::{ExecOptions, PutArchiveOptions};
use dockhand::models::WaitCondition;

use super::{Command, Complete};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::out::Out;
use crate::cli::out::emit;
use crate::cli::outcome::Change;
use crate::cli::terminal::{Followed, follow};
use crate::transport::StdinTarget;
use crate::util::human_size;

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "exec",
            usage: "exec [OPTIONS] CONTAINER COMMAND [ARG...]",
            about: "Execute a command in a running container",
            flags: &[
                ("detach", Some('d'), false),
                ("interactive", Some('i'), false),
                ("tty", Some('t'), false),
                ("env", Some('e'), true),
                ("workdir", Some('w'), true),
                ("user", Some('u'), true),
                ("privileged", None, false),
            ],
            min: 2,
            max: usize::MAX,
            interspersed: false,
        },
        aliases: &["container exec"],
        run: Session::exec,
        explain: Some(
            "exec runs a new process inside the running container's namespaces (POST /containers/{id}/exec, then POST /exec/{id}/start).",
        ),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "attach",
            usage: "attach [OPTIONS] CONTAINER",
            about: "Attach local standard input, output, and error streams to a running container",
            flags: &[("no-stdin", None, false), ("sig-proxy", None, false), ("detach-keys", None, true)],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &["container attach"],
        run: Session::attach,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "cp",
            usage: "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
            about: "Copy files/folders between a container and the local filesystem",
            flags: &[("archive", Some('a'), false), ("follow-link", Some('L'), false), ("quiet", Some('q'), false)],
            min: 2,
            max: 2,
            interspersed: true,
        },
        aliases: &["container cp"],
        run: Session::cp,
        explain: None,
        complete: Complete::Objects,
    },
];

impl Session {
    fn exec(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let id = &p.args[0];
        let cmd = &p.args[1..];
        let tty = p.has("tty");
        let interactive = p.has("interactive");
        let detach = p.has("detach");
        let mut opts = ExecOptions::new(cmd.iter().cloned())
            .tty(tty)
            .attach_stdin(interactive && !detach)
            .attach_stdout(!detach)
            .attach_stderr(!detach);
        if let Some(u) = p.val("user") {
            opts = opts.user(u);
        }
        if let Some(w) = p.val("workdir") {
            opts = opts.working_dir(w);
        }
        for e in p.vals("env") {
            opts = opts.env(e);
        }
        let exec = match self.sdk(self.container(id).exec(&opts)) {
            Ok(x) => x,
            Err(e) => {
                if e.status == 409 {
                    out.refused.push(Change::TransitionRefused {
                        container: id.clone(),
                        action: "exec".into(),
                        reason: e.message.clone(),
                    });
                }
                return self.daemon_error(e, out, 1, "");
            }
        };
        let eid = exec.id().to_string();
        if detach {
            return match self.sdk(exec.start_detached()) {
                Ok(()) => 0,
                Err(e) => self.daemon_error(e, out, 1, ""),
            };
        }
        let attached = match self.sdk(exec.start()) {
            Ok(a) => a,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let dockhand::Attached { mut output, input, .. } = attached;
        let engine = self.current_engine().clone();
        let (collected, followed) = follow(&engine, &mut output, |st| {
            interactive
                && st.execs.get(&eid).is_some_and(|e| {
                    e.running
                        && st
                            .containers
                            .get(&e.container_id)
                            .and_then(|c| c.processes.iter().find(|p| p.pid == e.pid))
                            .is_some_and(|p| {
                                matches!(p.program, crate::state::Program::Interactive | crate::state::Program::Cat)
                            })
                })
        });
        if followed == Followed::AtPrompt {
            emit(&collected, out);
            let cid = engine.with_state(|st| st.execs.get(&eid).map(|e| e.container_id.clone()).unwrap_or_default());
            self.attach_terminal(StdinTarget { container: cid, exec: Some(eid) }, output, input, tty, out);
            out.explain("exec started a second process (a shell) inside the running container, in its namespaces: it sees the container's files, hostname and processes. Type `exit` to leave; the container keeps running.");
            return 0;
        }
        emit(&collected, out);
        let code = self.sdk(exec.inspect()).ok().and_then(|i| i.exit_code).unwrap_or(0);
        if code == 126 && out.stdout.contains("OCI runtime exec failed") {
            let text = std::mem::take(&mut out.stdout);
            out.err(text);
        }
        i32::try_from(code).unwrap_or(1)
    }

    /// `docker start -a [-i] NAME`: attach, wait, start, then the output and
    /// exit code of the container, as `docker run` in the foreground.
    /// `docker attach`: the running container's output (and its stdin when
    /// it keeps one open) until it exits, and its exit code.
    fn attach(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let container = self.container(&p.args[0]);
        let info = match self.sdk(container.inspect_raw()) {
            Ok(info) => info,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        // The CLI's own checks, before it attaches.
        if info["State"]["Paused"].as_bool() == Some(true) {
            out.err("You cannot attach to a paused container, unpause it first\n");
            return 1;
        }
        if info["State"]["Running"].as_bool() != Some(true) {
            out.err("You cannot attach to a stopped container, start it first\n");
            out.explain("attach joins a running container's main process; this one has exited. docker start -a starts it again and attaches.");
            return 1;
        }
        let flag = |name: &str| info["Config"][name].as_bool().unwrap_or(false);
        let (tty, interactive) = (flag("Tty"), flag("OpenStdin") && !p.has("no-stdin"));
        let id = info["Id"].as_str().unwrap_or(&p.args[0]).to_string();
        let (attached, wait) =
            match self.attach_wait_start(&container, interactive, tty, WaitCondition::NextExit, false) {
                Ok(both) => both,
                Err((_, e)) => return self.daemon_error(e, out, 1, ""),
            };
        out.explain("docker attach joins the main process's output (POST /containers/{id}/attach): what it prints from now on, until it exits. docker logs shows what it printed before.");
        self.finish_attached(attached, wait, StdinTarget { container: id, exec: None }, tty, interactive, out)
    }

    pub(crate) fn start_attached(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        if p.args.len() > 1 {
            out.err("you cannot start and attach multiple containers at once\n");
            return 1;
        }
        let container = self.container(&p.args[0]);
        // The raw document: the typed `ContainerInspect` would add its whole
        // decoder (25 KB gzipped) to the browser's module for two flags.
        let info = match self.sdk(container.inspect_raw()) {
            Ok(info) => info,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let flag = |name: &str| info["Config"][name].as_bool().unwrap_or(false);
        let (tty, open_stdin) = (flag("Tty"), flag("OpenStdin"));
        let id = info["Id"].as_str().unwrap_or(&p.args[0]).to_string();
        let interactive = p.has("interactive") && open_stdin;
        let (attached, wait) = match self.attach_wait_start(&container, interactive, tty, WaitCondition::NextExit, true)
        {
            Ok(both) => both,
            Err((_, e)) => return self.daemon_error(e, out, 1, ""),
        };
        out.explain("docker start -a attaches first (POST /containers/{id}/attach), then starts the container, and shows its output until it exits, like docker run without -d.");
        let target = StdinTarget { container: id, exec: None };
        self.finish_attached(attached, wait, target, tty, interactive, out)
    }

    fn cp(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let (src, dst) = (&p.args[0], &p.args[1]);
        match (src.split_once(':'), dst.split_once(':')) {
            (Some((c, path)), None) => {
                let archive = match self.sdk(self.container(c).get_archive(path)) {
                    Ok(a) => a,
                    Err(e) => return self.daemon_error(e, out, 1, ""),
                };
                let (chunks, error) = self.sdk_stream(archive.tar);
                if let Some(e) = error {
                    return self.daemon_error(e, out, 1, "");
                }
                let bytes = chunks.concat();
                let entries = crate::util::untar(&bytes).unwrap_or_default();
                let dst = dst.trim_start_matches("./").trim_end_matches('/');
                let mut n = 0;
                for e in entries.iter().filter(|e| !e.dir) {
                    let target = if entries.len() == 1 && dst != "." && !dst.is_empty() {
                        dst.to_string()
                    } else {
                        format!(
                            "{}{}",
                            if dst == "." || dst.is_empty() { String::new() } else { format!("{dst}/") },
                            e.path
                        )
                    };
                    self.files.insert(target, String::from_utf8_lossy(&e.data).into_owned());
                    n += e.data.len();
                }
                out.err(format!("Successfully copied {} to {dst}\n", human_size(n as u64)));
                0
            }
            (None, Some((c, path))) => {
                let local = src.trim_start_matches("./");
                let entries: Vec<crate::util::TarEntry> = self
                    .files
                    .iter()
                    .filter(|(k, _)| *k == local || k.starts_with(&format!("{local}/")))
                    .map(|(k, v)| crate::util::TarEntry {
                        path: k.rsplit('/').next().unwrap_or(k).to_string(),
                        dir: false,
                        data: v.as_bytes().to_vec(),
                    })
                    .collect();
                if entries.is_empty() {
                    out.err(format!("lstat /project/{local}: no such file or directory\n"));
                    return 1;
                }
                let size: usize = entries.iter().map(|e| e.data.len()).sum();
                let (dir, rename) = if path.ends_with('/') {
                    (path.to_string(), None)
                } else {
                    match path.rsplit_once('/') {
                        Some((d, f)) => (if d.is_empty() { "/".into() } else { d.to_string() }, Some(f.to_string())),
                        None => ("/".into(), Some(path.to_string())),
                    }
                };
                let entries: Vec<crate::util::TarEntry> = entries
                    .into_iter()
                    .map(|mut e| {
                        if let Some(r) = &rename {
                            e.path = r.clone();
                        }
                        e
                    })
                    .collect();
                let tar = Body::full(crate::util::tar(&entries));
                match self.sdk(self.container(c).put_archive(&dir, PutArchiveOptions::new(), tar)) {
                    Ok(()) => {
                        out.err(format!("Successfully copied {} to {c}:{path}\n", human_size(size as u64)));
                        0
                    }
                    Err(e) => self.daemon_error(e, out, 1, ""),
                }
            }
            _ => {
                out.err("must specify at least one container source\n");
                1
            }
        }
    }
}
