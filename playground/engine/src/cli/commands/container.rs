//! A container's lifecycle: start, stop, restart, kill, pause, unpause,
//! rm, rename, update, wait.

use super::container_run::{limit_flags, restart_policy};
use super::{Command, Complete};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::out::Out;
use crate::cli::sdk::{DaemonError, poll_once};

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "start",
            usage: "start [OPTIONS] CONTAINER [CONTAINER...]",
            about: "Start one or more stopped containers",
            flags: &[("attach", Some('a'), false), ("interactive", Some('i'), false)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container start"],
        run: Session::start,
        explain: Some(
            "POST /containers/{id}/start: the main process runs again, in the same container (same filesystem, same writable layer).",
        ),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "stop",
            usage: "stop [OPTIONS] CONTAINER [CONTAINER...]",
            about: "Stop one or more running containers",
            flags: &[("time", Some('t'), true), ("timeout", None, true), ("signal", Some('s'), true)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container stop"],
        run: Session::stop,
        explain: Some(
            "stop sends SIGTERM to the main process (PID 1 in the container) and, if it is still running after 10 seconds, SIGKILL. A process without a SIGTERM handler (like sh or sleep as PID 1) is killed: exit code 137.",
        ),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "restart",
            usage: "restart [OPTIONS] CONTAINER [CONTAINER...]",
            about: "Restart one or more containers",
            flags: &[("time", Some('t'), true), ("timeout", None, true), ("signal", Some('s'), true)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container restart"],
        run: Session::restart,
        explain: Some("restart = stop + start."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "kill",
            usage: "kill [OPTIONS] CONTAINER [CONTAINER...]",
            about: "Kill one or more running containers",
            flags: &[("signal", Some('s'), true)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container kill"],
        run: Session::kill,
        explain: Some("kill sends a signal (SIGKILL by default) to the container's main process."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "pause",
            usage: "pause CONTAINER [CONTAINER...]",
            about: "Pause all processes within one or more containers",
            flags: &[],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container pause"],
        run: Session::pause,
        explain: Some("pause freezes every process of the container (the cgroup freezer); unpause thaws them."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "unpause",
            usage: "unpause CONTAINER [CONTAINER...]",
            about: "Unpause all processes within one or more containers",
            flags: &[],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container unpause"],
        run: Session::unpause,
        explain: Some("unpause thaws the container's frozen processes."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "rm",
            usage: "rm [OPTIONS] CONTAINER [CONTAINER...]",
            about: "Remove one or more containers",
            flags: &[("force", Some('f'), false), ("volumes", Some('v'), false), ("link", Some('l'), false)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container rm", "container remove"],
        run: Session::rm,
        explain: Some("DELETE /containers/{id}: the container and its writable layer are gone; named volumes stay."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "rename",
            usage: "rename CONTAINER NEW_NAME",
            about: "Rename a container",
            flags: &[],
            min: 2,
            max: 2,
            interspersed: true,
        },
        aliases: &["container rename"],
        run: Session::rename,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "update",
            usage: "update [OPTIONS] CONTAINER [CONTAINER...]",
            about: "Update configuration of one or more containers",
            flags: &[("memory", Some('m'), true), ("cpus", None, true), ("restart", None, true)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container update"],
        run: Session::update,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "wait",
            usage: "wait CONTAINER [CONTAINER...]",
            about: "Block until one or more containers stop, then print their exit codes",
            flags: &[],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["container wait"],
        run: Session::wait,
        explain: None,
        complete: Complete::Objects,
    },
];

impl Session {
    /// `docker start`: each container; with `-a`/`-i`, attached to one.
    fn start(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        if p.has("attach") || p.has("interactive") {
            return self.start_attached(p, out);
        }
        self.each(&p.args, out, "start", |s, id| s.sdk(s.container(id).start()))
    }

    /// `docker stop`'s and `restart`'s `-t`/`--timeout`.
    fn stop_options(p: &Parsed) -> dockhand::api::StopOptions {
        let mut opts = dockhand::api::StopOptions::new();
        if let Some(t) = p.val("time").or(p.val("timeout")).and_then(|t| t.parse::<u64>().ok()) {
            opts = opts.timeout(std::time::Duration::from_secs(t));
        }
        opts
    }

    fn stop(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let opts = Self::stop_options(p);
        self.each(&p.args, out, "stop", |s, id| s.sdk(s.container(id).stop_with(opts.clone())))
    }

    fn restart(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let opts = Self::stop_options(p);
        self.each(&p.args, out, "restart", |s, id| s.sdk(s.container(id).restart_with(opts.clone())))
    }

    fn kill(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        let sig = p.val("signal").unwrap_or("KILL").to_string();
        self.each(a, out, "kill", |s, id| s.sdk(s.container(id).kill_with(&sig)))
    }

    fn pause(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        self.each(a, out, "pause", |s, id| s.sdk(s.container(id).pause()))
    }

    fn unpause(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        self.each(a, out, "unpause", |s, id| s.sdk(s.container(id).unpause()))
    }

    fn rm(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        let opts = dockhand::api::ContainerRemoveOptions::new().force(p.has("force")).volumes(p.has("volumes"));
        self.each(a, out, "rm", |s, id| s.sdk(s.container(id).remove_with(opts)).map(|_| dockhand::Change::Done))
    }

    fn rename(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        match self.sdk(self.container(&a[0]).rename(&a[1])) {
            Ok(_) => 0,
            Err(e) => {
                let code = self.daemon_error(e, out, 1, "");
                out.err(format!("Error: failed to rename container named {}\n", a[0]));
                code
            }
        }
    }

    /// `docker update -m 256m --cpus 1 --restart always NAME...`: the limits
    /// and the restart policy, through the SDK's `ContainerUpdate`.
    fn update(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let usage = "\n\nUsage:  docker update [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'docker update --help' for more information\n";
        let mut update = dockhand::api::ContainerUpdate::new();
        match limit_flags(p) {
            Ok((memory, nano_cpus)) => {
                if let Some(bytes) = memory {
                    update = update.memory(bytes);
                }
                if let Some(nano) = nano_cpus {
                    update = update.nano_cpus(nano);
                }
            }
            Err(e) => {
                out.err(format!("{e}{usage}"));
                return 125;
            }
        }
        if let Some(r) = p.val("restart") {
            update = update.restart_policy(restart_policy(r));
        }
        let mut code = 0;
        for id in &p.args {
            match self.sdk(self.container(id).update(update.clone())) {
                Ok(_) => out.line(id),
                Err(e) => code = self.daemon_error(e, out, 1, ""),
            }
        }
        code
    }

    /// `docker wait`: each container's exit code once it exits, letting
    /// simulated time pass; one that never would (a server) is said so.
    fn wait(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let names = &p.args;
        let engine = self.current_engine().clone();
        let mut code = 0;
        for name in names {
            let container = self.container(name);
            let mut waiting = std::pin::pin!(container.wait());
            let mut answer = None;
            for _ in 0..1000 {
                answer = poll_once(waiting.as_mut());
                let Some(t) = answer.is_none().then(|| engine.with_state(|st| st.next_wake())).flatten() else {
                    break;
                };
                engine.advance(t.saturating_sub(engine.now_ms()).max(1));
            }
            match answer {
                Some(Ok(exit)) => out.line(exit.status_code.to_string()),
                Some(Err(e)) => code = self.daemon_error(DaemonError::from(&e), out, 1, ""),
                None => {
                    out.explain(format!("{name} runs a program that does not end by itself (a server): docker wait would wait until someone stops it. Try docker stop {name} in another terminal, or here: docker stop {name}; docker wait {name}."));
                    code = 1;
                }
            }
        }
        code
    }
}
