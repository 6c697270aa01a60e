//! `docker context ...`: ls, use, show (two contexts: the local daemon
//! and the remote one).

use super::{Command, Complete};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::format::table;
use crate::cli::out::Out;

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "context ls",
            usage: "context ls [OPTIONS]",
            about: "List contexts",
            flags: &[("quiet", Some('q'), false), ("format", None, true)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &["context list"],
        run: Session::context_ls,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "context use",
            usage: "context use CONTEXT",
            about: "Set the current docker context",
            flags: &[],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &[],
        run: Session::context_use,
        explain: None,
        complete: Complete::Contexts,
    },
    Command {
        spec: Spec {
            name: "context show",
            usage: "context show",
            about: "Print the name of the current context",
            flags: &[],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &[],
        run: Session::context_show,
        explain: None,
        complete: Complete::Objects,
    },
];

impl Session {
    fn context_ls(&mut self, _p: &Parsed, out: &mut Out) -> i32 {
        {
            let rows = vec![
                vec!["NAME".to_string(), "DESCRIPTION".into(), "DOCKER ENDPOINT".into(), "ERROR".into()],
                vec![
                    format!("default{}", if self.context == 0 { " *" } else { "" }),
                    "Current DOCKER_HOST based configuration".into(),
                    "unix:///var/run/docker.sock".into(),
                    String::new(),
                ],
                vec![
                    format!("remote{}", if self.context == 1 { " *" } else { "" }),
                    "The simulated remote daemon".into(),
                    self.daemons[1].host.clone(),
                    String::new(),
                ],
            ];
            out.out(table(&rows));
            0
        }
    }

    fn context_use(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        match self.resolve_context(&a[0], out) {
            Some(c) => {
                self.context = c;
                out.line(&a[0]);
                out.err(format!("Current context is now \"{}\"\n", a[0]));
                out.explain("A context names a daemon endpoint. Every docker command now goes to that daemon: same CLI, different machine.");
                0
            }
            None => 1,
        }
    }

    fn context_show(&mut self, _p: &Parsed, out: &mut Out) -> i32 {
        {
            out.line(self.context_name());
            0
        }
    }

    /// The current context's name.
    pub(crate) fn context_name(&self) -> &'static str {
        if self.context == 0 { "default" } else { "remote" }
    }
}
