//! The SDK over the in-memory transport: each call polled once (see
//! [`ready`]), the daemon's errors as [`DaemonError`], and the session's
//! handles (`docker()`, `container(..)`) and error printing.

use std::future::Future;
use std::task::{Context, Poll};

use dockhand::stream::Output;
use futures::StreamExt;
use futures::stream::BoxStream;

use super::Daemon;
use super::Session;
use super::out::{Out, teach_error};
use super::outcome::Change;

/// What an attached output yields: the SDK's decoded items.
pub(crate) type OutputItems = BoxStream<'static, dockhand::Result<Output>>;

/// Runs a future the in-memory engine completes without waiting: one poll,
/// with a waker that does nothing. `None` if it would wait.
///
/// Every SDK call over [`InMemoryTransport`](crate::InMemoryTransport) resolves on its first poll:
/// the client's version is pinned (no negotiation lock to wait on), the
/// transport answers synchronously, and the engine's bodies hold what is
/// ready. A future that pends would wait for something that never comes
/// here (nothing wakes it), so it is reported as an error rather than
/// polled again; this also holds on wasm32, where there is no thread to
/// block. Long-lived answers (attach, `wait`, `logs -f`) are streams or
/// futures kept and polled again after the simulated clock moves.
pub(crate) fn ready<F: Future>(fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    poll_once(fut.as_mut())
}

/// Polls a future once with a waker that does nothing.
pub(crate) fn poll_once<F: Future + ?Sized>(fut: std::pin::Pin<&mut F>) -> Option<F::Output> {
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    match fut.poll(&mut cx) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

/// Reads what an attached output stream has now; `true` when it ended.
pub(crate) fn drain(output: &mut OutputItems) -> (Vec<Output>, bool) {
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut out = Vec::new();
    loop {
        match output.poll_next_unpin(&mut cx) {
            Poll::Ready(Some(Ok(o))) => out.push(o),
            Poll::Ready(Some(Err(_))) | Poll::Ready(None) => return (out, true),
            Poll::Pending => return (out, false),
        }
    }
}

/// An error answer from the daemon.
pub(crate) struct DaemonError {
    pub(crate) status: u16,
    pub(crate) message: String,
}

impl DaemonError {
    pub(crate) fn not_answered() -> DaemonError {
        DaemonError { status: 0, message: "the daemon did not answer".into() }
    }
}

impl From<&dockhand::Error> for DaemonError {
    /// The daemon's own words: its message for an error status, the
    /// message a progress stream carried, else the SDK's text.
    fn from(e: &dockhand::Error) -> DaemonError {
        match (e.api(), e) {
            (Some(api), _) => DaemonError { status: api.status, message: api.message.clone() },
            (None, dockhand::Error::Stream { message, .. }) => DaemonError { status: 0, message: message.clone() },
            (None, _) => DaemonError { status: 0, message: e.to_string() },
        }
    }
}

impl Session {
    pub(crate) fn d(&self) -> &Daemon {
        &self.daemons[self.current()]
    }

    /// The SDK client of the current daemon.
    pub(crate) fn docker(&self) -> &dockhand::Docker {
        &self.d().docker
    }

    /// The SDK's handle for a container of the current daemon.
    pub(crate) fn container(&self, id: &str) -> dockhand::ContainerHandle {
        self.docker().containers().get(id)
    }

    /// Runs an SDK call to completion (the in-memory engine answers at
    /// once) and turns its error into the daemon's message. Not inlined:
    /// each call's future then sits in a function of its own instead of in
    /// the command's, which makes the WebAssembly module 1.1 KB smaller
    /// gzipped (docs/performance.md).
    #[inline(never)]
    pub(crate) fn sdk<T>(&self, fut: impl Future<Output = dockhand::Result<T>>) -> Result<T, DaemonError> {
        match ready(fut) {
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(DaemonError::from(&e)),
            None => Err(DaemonError::not_answered()),
        }
    }

    /// Reads an SDK stream to its end: its items, and the first error (a
    /// stream that would wait counts as an error: the in-memory engine
    /// never makes a finished request wait).
    pub(crate) fn sdk_stream<T>(
        &self,
        stream: BoxStream<'static, dockhand::Result<T>>,
    ) -> (Vec<T>, Option<DaemonError>) {
        let mut stream = stream;
        let mut items = Vec::new();
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        loop {
            match stream.poll_next_unpin(&mut cx) {
                Poll::Ready(Some(Ok(item))) => items.push(item),
                Poll::Ready(Some(Err(e))) => return (items, Some(DaemonError::from(&e))),
                Poll::Ready(None) => return (items, None),
                Poll::Pending => return (items, Some(DaemonError::not_answered())),
            }
        }
    }

    /// `HEAD /_ping`, as the real CLI sends before a command.
    pub(crate) fn ping(&self) {
        let _ = self.sdk(self.docker().ping_head());
    }

    pub(crate) fn daemon_error(&self, e: DaemonError, out: &mut Out, code: i32, prefix: &str) -> i32 {
        if e.status == 0 {
            // The SDK refused before sending (a name with `..`, an empty
            // image), or nothing answered: not the daemon's words.
            out.err(format!("{}{}\n", if prefix.is_empty() { "Error: " } else { prefix }, e.message));
            if e.message.starts_with("invalid ") {
                out.explain("The docker client stopped this command itself, before asking the daemon: the name or value given cannot be used in a request.");
            }
            return code;
        }
        out.err(format!("{prefix}Error response from daemon: {}\n", e.message));
        teach_error(&self.id_to_name(&e.message), out);
        if e.status == 304 {
            return 0;
        }
        code
    }

    /// 28.5's `container <id> is not running` as `Container <name> ...`, so
    /// the note's suggestion names the container (`docker start web`).
    fn id_to_name(&self, message: &str) -> String {
        let Some(rest) = message.strip_prefix("container ") else { return message.to_string() };
        let (id, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        let name = self
            .current_engine()
            .with_state(|st| st.containers.get(id).map(|c| c.name.trim_start_matches('/').to_string()));
        match name {
            Some(name) => format!("Container {name} {tail}"),
            None => message.to_string(),
        }
    }

    /// The error that ended a progress stream (`pull`, `push`, `build`):
    /// `Err` with the exit code, the daemon's error printed, when it
    /// refused before any progress; else the error after the progress
    /// shown, if any, for the command to print its way.
    pub(crate) fn refused<T>(
        &self,
        progress: &[T],
        error: Option<DaemonError>,
        out: &mut Out,
    ) -> Result<Option<DaemonError>, i32> {
        match error {
            Some(e) if e.status != 0 && progress.is_empty() => Err(self.daemon_error(e, out, 1, "")),
            other => Ok(other),
        }
    }

    pub(crate) fn each(
        &mut self,
        ids: &[String],
        out: &mut Out,
        action: &str,
        f: impl Fn(&Self, &str) -> Result<dockhand::Change, DaemonError>,
    ) -> i32 {
        let mut code = 0;
        for id in ids {
            match f(self, id) {
                Ok(change) => {
                    out.line(id);
                    if change == dockhand::Change::Unchanged {
                        out.refused.push(Change::TransitionRefused {
                            container: id.clone(),
                            action: action.into(),
                            reason: "304 Not Modified: nothing to do".into(),
                        });
                        out.explain(format!("The daemon answered 304 Not Modified: {id} was already {}, so there was nothing to {action} and nothing changed.", already(action)));
                    }
                }
                Err(e) => {
                    if e.status == 409 {
                        out.refused.push(Change::TransitionRefused {
                            container: id.clone(),
                            action: action.into(),
                            reason: e.message.clone(),
                        });
                    }
                    code = self.daemon_error(e, out, 1, "");
                }
            }
        }
        code
    }
}

/// The state a move leads to, for "already ..." (`start`: running).
fn already(action: &str) -> &'static str {
    match action {
        "start" | "unpause" => "running",
        "stop" | "kill" => "stopped",
        "pause" => "paused",
        _ => "in that state",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;
    use dockhand::api::{ImageListOptions, PullOptions};

    /// What `ready` relies on: over the in-memory transport, SDK calls
    /// resolve on their first poll, the version negotiation of an unpinned
    /// client (its `/_ping` under a lock) included, and progress streams
    /// end without waiting.
    #[test]
    fn sdk_calls_resolve_on_the_first_poll() {
        let engine = Engine::new();
        let negotiating = engine.docker();
        let version = ready(negotiating.api_version()).expect("negotiation does not wait");
        assert!(version.is_ok(), "{version:?}");
        let mut pull = negotiating.images().pull(PullOptions::new("busybox:latest"));
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut messages = 0;
        loop {
            match pull.poll_next_unpin(&mut cx) {
                Poll::Ready(Some(item)) => {
                    assert!(item.is_ok(), "{item:?}");
                    messages += 1;
                }
                Poll::Ready(None) => break,
                Poll::Pending => panic!("the pull stream waited after {messages} messages"),
            }
        }
        assert!(messages > 0);
        let images = ready(negotiating.images().list(ImageListOptions::new())).expect("list does not wait");
        assert_eq!(images.map(|i| i.len()).ok(), Some(1));
    }

    /// A future that would wait is reported, not polled forever.
    #[test]
    fn a_pending_future_is_reported() {
        assert!(ready(futures::future::pending::<()>()).is_none());
        assert_eq!(ready(async { 7 }), Some(7));
    }
}
