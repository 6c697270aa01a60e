//! A terminal attached to a container's shell (`run -it`, `exec -it`,
//! `start -ai`, `attach`): the attach-wait-start sequence, following the
//! output while simulated time passes, and the lines typed into it.

use dockhand::api::AttachOptions;
use dockhand::models::{ContainerWaitResponse, WaitCondition};
use futures::AsyncWriteExt;
use futures::future::BoxFuture;

use dockhand::stream::Output;

use super::Session;
use super::out::{Out, emit};
use super::sdk::{DaemonError, OutputItems, drain, poll_once, ready};
use crate::transport::StdinTarget;
use crate::{Engine, State};

/// A shell the terminal is attached to (`run -it`, `exec -it`): the SDK's
/// output stream and stdin writer of the hijacked connection.
pub(crate) struct Attached {
    pub(crate) daemon: usize,
    pub(crate) target: StdinTarget,
    pub(crate) output: OutputItems,
    pub(crate) input: dockhand::AttachInput,
    pub(crate) prompt: String,
}

/// A container's wait request, sent, its answer to come when it exits.
pub(crate) type Waiting = BoxFuture<'static, dockhand::Result<ContainerWaitResponse>>;

/// The step of [`Session::attach_wait_start`] that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Attach,
    Wait,
    Start,
}

/// How following an attached output stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Followed {
    /// The output ended (or simulated time ran a thousand steps).
    Ended,
    /// A shell waits for what is typed.
    AtPrompt,
    /// Nothing more is scheduled (a server, running on), or the next thing
    /// is further away than [`FOLLOW_HORIZON_MS`] (a `sleep 3600`): the
    /// terminal detaches and it runs on.
    Idle,
}

/// How much simulated time the terminal lets pass while it follows an
/// attached output: a minute. Past it, the program runs on in the
/// background rather than the clock jumping an hour for every container.
pub(crate) const FOLLOW_HORIZON_MS: u64 = 60_000;

/// Follows an attached output while simulated time passes: what it
/// printed, and how it stopped: at its end, when `at_prompt` says a shell
/// waits for input, or when nothing more is scheduled.
pub(crate) fn follow(
    engine: &Engine,
    output: &mut OutputItems,
    at_prompt: impl Fn(&State) -> bool,
) -> (Vec<Output>, Followed) {
    let mut collected = Vec::new();
    let started = engine.now_ms();
    for _ in 0..1000 {
        let (items, ended) = drain(output);
        collected.extend(items);
        if ended {
            return (collected, Followed::Ended);
        }
        if engine.with_state(&at_prompt) {
            return (collected, Followed::AtPrompt);
        }
        match engine.with_state(|st| st.next_wake()) {
            Some(t) if t.saturating_sub(started) <= FOLLOW_HORIZON_MS => {
                let now = engine.now_ms();
                engine.advance(t.saturating_sub(now).max(1));
            }
            _ => return (collected, Followed::Idle),
        }
    }
    (collected, Followed::Ended)
}

impl Session {
    /// The terminal attaches to a shell at its prompt: the lines typed next
    /// go to its stdin.
    pub(crate) fn attach_terminal(
        &mut self,
        target: StdinTarget,
        output: OutputItems,
        input: dockhand::AttachInput,
        tty: bool,
        out: &mut Out,
    ) {
        let prompt = first_prompt(&mut out.stdout, tty);
        self.attached = Some(Attached { daemon: self.current(), target, output, input, prompt });
    }

    pub(crate) fn stdin_line(&mut self, line: &str, out: &mut Out) -> i32 {
        let Some(mut a) = self.attached.take() else { return 0 };
        let engine = self.daemons[a.daemon].engine.clone();
        let trimmed = line.trim();
        // The SDK's stdin writer: bytes go over the hijacked connection.
        let written = if trimmed == "exit" || trimmed == "logout" {
            ready(a.input.close())
        } else {
            let mut data = line.as_bytes().to_vec();
            data.push(b'\n');
            // The TTY echoes what is typed; the terminal already shows it.
            let _ = drain(&mut a.output);
            ready(a.input.write_all(&data))
        };
        if !matches!(written, Some(Ok(()))) {
            out.err("the connection to the container's stdin is closed\n");
        }
        // A line that sleeps (`sleep 2; echo done`): simulated time passes
        // until the shell is back at its prompt, as the terminal would wait.
        let (mut items, mut ended) = drain(&mut a.output);
        for _ in 0..1000 {
            let sleeping = !ended
                && engine.with_state(|st| {
                    let pid = match &a.target.exec {
                        Some(e) => st.execs.get(e).map(|x| x.pid),
                        None => Some(1),
                    };
                    st.containers
                        .get(&a.target.container)
                        .and_then(|c| c.processes.iter().find(|p| Some(p.pid) == pid))
                        .is_some_and(|p| matches!(p.program, crate::state::Program::Script { wake_ms: Some(_), .. }))
                });
            let Some(wake) = engine.with_state(|st| st.next_wake()).filter(|_| sleeping) else { break };
            engine.advance(wake.saturating_sub(engine.now_ms()).max(1));
            let (more, done) = drain(&mut a.output);
            items.extend(more);
            ended |= done;
        }
        // With a tty, the console; without, every stream in order.
        let text: String = items.iter().map(|o| String::from_utf8_lossy(&o.data).into_owned()).collect();
        // Drop the echo of the line itself.
        let text = text.replace("\r\n", "\n");
        let mut text = text.strip_prefix(&format!("{line}\n")).map(String::from).unwrap_or(text);
        // The shell prints its prompt after each line: the terminal shows it
        // as the prompt (it names the directory, which `cd` changes).
        if !a.prompt.is_empty()
            && let Some(prompt) = take_prompt(&mut text)
        {
            a.prompt = prompt;
        }
        // `docker ...` typed into a container's shell: the container has no
        // docker (the learner may think they are on the host).
        if text.contains("docker: not found") {
            out.explain(format!("This line ran inside the container's shell (its prompt is {}), and the container has no docker command: docker runs on the host. Type `exit` to leave the shell, then run it on the host.", a.prompt.trim_end()));
            out.suggestion = Some("exit".into());
        }
        out.out(text);
        let still = !ended
            && engine.with_state(|st| {
                let pid = match &a.target.exec {
                    Some(e) => st.execs.get(e).map(|e| (e.running, e.pid)),
                    None => st
                        .containers
                        .get(&a.target.container)
                        .map(|c| (matches!(c.status, crate::state::Status::Running), 1)),
                };
                pid.is_some_and(|(r, _)| r)
            });
        if still {
            self.attached = Some(a);
            0
        } else {
            out.explain("The shell ended, so the attached session is over and you are back on the host.");
            0
        }
    }

    /// What `docker run` and `docker start -a` send, in the real CLI's
    /// order: attach, then wait (its first poll sends the request; the
    /// answer comes when the container exits), then start (`docker attach`:
    /// not `start`). On failure, which step failed and the daemon's answer.
    pub(crate) fn attach_wait_start(
        &self,
        container: &dockhand::ContainerHandle,
        interactive: bool,
        tty: bool,
        condition: WaitCondition,
        start: bool,
    ) -> Result<(dockhand::Attached, Waiting), (Stage, DaemonError)> {
        let opts = AttachOptions::new().stream(true).stdout(true).stderr(true).stdin(interactive).tty(tty);
        let attached = self.sdk(container.attach(opts)).map_err(|e| (Stage::Attach, e))?;
        let waiter = container.clone();
        let mut wait: Waiting = Box::pin(async move { waiter.wait_until(condition).await });
        if let Some(Err(e)) = poll_once(wait.as_mut()) {
            return Err((Stage::Wait, DaemonError::from(&e)));
        }
        // Started, or running already (304): the output follows either way.
        if start {
            let _started = self.sdk(container.start()).map_err(|e| (Stage::Start, e))?;
        }
        Ok((attached, wait))
    }

    pub(crate) fn finish_attached(
        &mut self,
        attached: dockhand::Attached,
        mut wait: Waiting,
        target: StdinTarget,
        tty: bool,
        interactive: bool,
        out: &mut Out,
    ) -> i32 {
        let engine = self.current_engine().clone();
        let dockhand::Attached { mut output, input, .. } = attached;
        // A foreground program that sleeps: let simulated time pass.
        let (collected, followed) = follow(&engine, &mut output, |st| {
            interactive
                && st.containers.get(&target.container).and_then(|c| c.processes.first()).is_some_and(|p| {
                    matches!(p.program, crate::state::Program::Interactive | crate::state::Program::Cat)
                })
        });
        emit(&collected, out);
        match followed {
            Followed::AtPrompt => {
                self.attach_terminal(target, output, input, tty, out);
                out.explain("You are attached to the container's shell: what you type goes to its stdin over the hijacked HTTP connection. Type `exit` to leave (the container stops, since its main process ends).");
                return 0;
            }
            Followed::Idle => {
                let (name, image, cmd) = engine
                    .with_state(|st| {
                        st.containers
                            .get(&target.container)
                            .map(|c| (c.name.trim_start_matches('/').to_string(), c.image_ref.clone(), c.cmd.clone()))
                    })
                    .unwrap_or_default();
                let mut words: Vec<String> = ["docker", "run", "-d", "--name", &name, &image].map(String::from).into();
                words.extend(cmd);
                let written = super::coach::join(&words);
                // Some levels ask for containers started with -d (vms-2),
                // others only for a run (proc-3's committed image): the note
                // says how to start it in the background, not that it must.
                let attached = format!(
                    "Without -d, docker stays attached to {name} until Ctrl+C (Ctrl+P Ctrl+Q detaches); the terminal detached for you, and {name} keeps running. To start it in the background instead, as docker run -d does: docker rm -f {name}, then {written}."
                );
                out.redo.push(super::out::Redo { written, fix: super::out::Fix::Detach });
                // Said even after the pull's note: it is what the learner must know now.
                out.explanation = Some(match out.explanation.take() {
                    Some(pulled) => format!("{pulled} {attached}"),
                    None => attached,
                });
                // Not `docker stop`: a level may want it running.
                out.suggestion = Some("docker ps".into());
                return 0;
            }
            Followed::Ended => {}
        }
        let code = match poll_once(wait.as_mut()) {
            Some(Ok(w)) => w.status_code,
            _ => 0,
        };
        if code != 0 {
            out.explain(format!("The container's main process ended with exit code {code}, and so did the container: `docker run` returns that code."));
        }
        i32::try_from(code).unwrap_or(1)
    }
}

/// Takes the prompt an interactive shell printed last (ash's `/tmp # `,
/// bash's `root@host:/tmp# `) off the end of `stdout` and returns it;
/// `None` when the output does not end with one.
pub(crate) fn take_prompt(stdout: &mut String) -> Option<String> {
    let start = stdout.rfind('\n').map_or(0, |i| i + 1);
    let last = &stdout[start..];
    let ash = last.starts_with('/') && last.ends_with(" # ");
    let bash = last.starts_with("root@") && last.contains(':') && last.ends_with("# ");
    if !(ash || bash) {
        return None;
    }
    let prompt = last.to_string();
    stdout.truncate(start);
    Some(prompt)
}

/// The prompt of a shell just attached: the one it printed (`/ # `), none
/// without a tty (the shell prints none then).
pub(crate) fn first_prompt(stdout: &mut String, tty: bool) -> String {
    if !tty {
        return String::new();
    }
    take_prompt(stdout).unwrap_or_else(|| crate::programs::prompt("/"))
}
