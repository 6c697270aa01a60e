//! The streaming container endpoints: logs, wait, attach. They lock the
//! state when polled, not when asked.

use std::task::Poll;

use bytes::Bytes;

use crate::error::err;
use crate::http::Req;
use crate::http::query::*;
use crate::state::*;
use crate::util::{frame, rfc3339};
use crate::{Engine, StdinTarget};

/// `GET /containers/{id}/logs`.
pub(crate) fn logs(engine: &Engine, r: &Req) -> R {
    let cid = engine.lock().find_container(r.p(0))?;
    let reply = logs_of(engine, &cid, r.q)?;
    Ok(labelled(engine, &cid, reply, r))
}

/// A logs or attach reply with the content type the client's API version
/// gets for this container (see [`super::version::Api::stream_type`]).
fn labelled(engine: &Engine, cid: &str, reply: Reply, r: &Req) -> Reply {
    let tty = engine.lock().containers.get(cid).is_some_and(|c| c.tty);
    match reply {
        Reply::Stream(status, _, body) => Reply::Stream(status, r.api.stream_type(tty), body),
        Reply::Upgrade(_, body, target, keys) => Reply::Upgrade(r.api.stream_type(tty), body, target, keys),
        other => other,
    }
}

/// A `since`/`until` timestamp (`SECONDS[.NANOSECONDS]` since 1970, as the
/// API takes it) in milliseconds; `None` when it is not one.
fn unix_ms(text: &str) -> Option<u64> {
    let (secs, frac) = text.split_once('.').unwrap_or((text, ""));
    let secs: u64 = secs.parse().ok()?;
    let frac = frac.get(..3.min(frac.len())).unwrap_or("");
    let ms: u64 = if frac.is_empty() { 0 } else { format!("{frac:0<3}").parse().ok()? };
    Some(secs.saturating_mul(1000).saturating_add(ms))
}

/// `POST /containers/{id}/wait`: until `condition` (`not-running`,
/// `next-exit`, `removed`).
pub(crate) fn wait(engine: &Engine, r: &Req) -> R {
    let cid = engine.lock().find_container(r.p(0))?;
    let condition = r.q.get("condition").unwrap_or("not-running").to_string();
    if !matches!(condition.as_str(), "not-running" | "next-exit" | "removed" | "") {
        return Err(err(400, format!("invalid condition: \"{condition}\"")));
    }
    wait_for(engine, &cid, &condition)
}

/// `POST /containers/{id}/attach`.
pub(crate) fn attach(engine: &Engine, r: &Req) -> R {
    let cid = engine.lock().find_container(r.p(0))?;
    let reply = attach_to(engine, &cid, r.q)?;
    Ok(labelled(engine, &cid, reply, r))
}

/// The log stream of container `cid`.
fn logs_of(engine: &Engine, cid: &str, q: &Query) -> R {
    let (stdout, stderr) = (q.flag("stdout"), q.flag("stderr"));
    if !stdout && !stderr {
        return Err(err(400, "Bad parameters: you must choose at least one stream"));
    }
    let follow = q.flag("follow");
    let timestamps = q.flag("timestamps");
    let tail: Option<usize> = q.get("tail").filter(|t| *t != "all").and_then(|t| t.parse().ok());
    let since_ms = q.get("since").and_then(unix_ms);
    // Entries after `until` are left out; a follow ends once the clock
    // passes it.
    let until_ms = q.get("until").and_then(unix_ms).filter(|u| *u > 0);
    let (tty, starts0) = {
        let st = engine.lock();
        // Resolved under an earlier lock: another request may have removed it since.
        let c = st.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        if c.kept.pointer("/HostConfig/LogConfig/Type").and_then(serde_json::Value::as_str) == Some("none") {
            return Err(err(501, "configured logging driver does not support reading"));
        }
        (c.tty, c.starts)
    };
    let _ = starts0;
    let cid = cid.to_string();
    let mut cursor: Option<usize> = None;
    let render = move |entries: &[LogEntry]| -> Vec<u8> {
        let mut out = Vec::new();
        for e in entries {
            if (e.stream == 1 && !stdout)
                || (e.stream == 2 && !stderr)
                || since_ms.is_some_and(|s| e.time_ms < s)
                || until_ms.is_some_and(|u| e.time_ms > u)
            {
                continue;
            }
            let text = if timestamps {
                e.text.split_inclusive('\n').map(|l| format!("{} {l}", rfc3339(e.time_ms))).collect::<String>()
            } else {
                e.text.clone()
            };
            // A TTY's output has `\r\n` line ends (its onlcr), in the log too.
            if tty {
                out.extend_from_slice(super::exec::through_tty(&text).1.as_bytes())
            } else {
                out.extend(frame(e.stream, text.as_bytes()))
            }
        }
        out
    };
    let body = engine.clone().watch(move |st| {
        let Some(c) = st.containers.get(&cid) else {
            return Poll::Ready(None);
        };
        let start = match cursor {
            Some(c) => c,
            None => {
                // Split into lines for --tail.
                let lines: Vec<LogEntry> = c
                    .logs
                    .iter()
                    .flat_map(|e| {
                        e.text
                            .split_inclusive('\n')
                            .map(|l| LogEntry { stream: e.stream, text: l.to_string(), time_ms: e.time_ms })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let skip = tail.map(|t| lines.len().saturating_sub(t)).unwrap_or(0);
                cursor = Some(c.logs.len());
                let out = render(&lines[skip..]);
                if !follow {
                    return Poll::Ready(if out.is_empty() { None } else { Some(Bytes::from(out)) }).map(|o| {
                        cursor = Some(usize::MAX);
                        o
                    });
                }
                if !out.is_empty() {
                    return Poll::Ready(Some(Bytes::from(out)));
                }
                c.logs.len()
            }
        };
        if start == usize::MAX {
            return Poll::Ready(None);
        }
        let start = start.min(c.logs.len());
        if start < c.logs.len() {
            cursor = Some(c.logs.len());
            let out = render(&c.logs[start..]);
            if !out.is_empty() {
                return Poll::Ready(Some(Bytes::from(out)));
            }
        }
        if !matches!(c.status, Status::Running | Status::Paused | Status::Restarting)
            || until_ms.is_some_and(|u| st.clock_ms > u)
        {
            return Poll::Ready(None);
        }
        Poll::Pending
    });
    // Labelled for the client's API version by `logs`.
    let ct = "application/vnd.docker.raw-stream";
    Ok(Reply::Stream(200, ct, body))
}

/// One line when container `cid` meets `condition`.
fn wait_for(engine: &Engine, cid: &str, condition: &str) -> R {
    let (exits0, was_running, events0) = {
        let st = engine.lock();
        let c = st.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        let events0 = st.events_dropped + st.events.len() as u64;
        (c.exits, matches!(c.status, Status::Running | Status::Paused | Status::Restarting), events0)
    };
    let _ = was_running;
    let cid = cid.to_string();
    let condition = condition.to_string();
    let mut done = false;
    let body = engine.clone().watch(move |st| {
        if done {
            return Poll::Ready(None);
        }
        let c = st.containers.get(&cid);
        let code = c.map(|c| c.exit_code).unwrap_or_else(|| st.graveyard.get(&cid).map(|g| g.exit_code).unwrap_or(0));
        // The code of the first exit since the wait began: a restart policy
        // may have started the container again (and cleared its exit code)
        // before this watch was polled.
        let code = first_exit_since(st, &cid, events0).unwrap_or(code);
        let ready = match condition.as_str() {
            "removed" => c.is_none(),
            "next-exit" => c.is_none_or(|c| c.exits > exits0),
            // An exit counts though a restart policy restarts it at once:
            // dockerd's waiters fire when the container starts restarting.
            _ => c.is_none_or(|c| {
                c.exits > exits0 || !matches!(c.status, Status::Running | Status::Paused | Status::Restarting)
            }),
        };
        if ready {
            done = true;
            return Poll::Ready(Some(Bytes::from(format!("{{\"Error\":null,\"StatusCode\":{code}}}\n"))));
        }
        Poll::Pending
    });
    Ok(Reply::Stream(200, "application/json", body))
}

/// The exit code of container `cid`'s first `die` event at or after the
/// absolute event index `from` (events dropped from the log count too).
fn first_exit_since(st: &crate::state::State, cid: &str, from: u64) -> Option<i64> {
    let skip = from.saturating_sub(st.events_dropped) as usize;
    st.events
        .iter()
        .skip(skip)
        .find(|e| e.typ == "container" && e.action == "die" && e.actor_id == cid)
        .and_then(|e| e.attributes.get("exitCode")?.parse().ok())
}

/// The hijacked stream of container `cid`'s output.
fn attach_to(engine: &Engine, cid: &str, q: &Query) -> R {
    let (stdout, stderr) = (q.flag("stdout"), q.flag("stderr"));
    let (with_logs, stream) = (q.flag("logs"), q.flag("stream"));
    let detach = crate::DetachKeys::parse(q.get("detachKeys").unwrap_or("")).map_err(|m| err(400, m))?;
    let (tty, starts0, was_running, len0) = {
        let st = engine.lock();
        let c = st.containers.get(cid).ok_or_else(|| err(404, format!("No such container: {cid}")))?;
        (c.tty, c.starts, matches!(c.status, Status::Running | Status::Paused), c.logs.len())
    };
    let cid2 = cid.to_string();
    let mut cursor = if with_logs { 0 } else { len0 };
    let body = engine.clone().watch(move |st| {
        let (logs, alive, started_since) = match st.containers.get(&cid2) {
            Some(c) => (
                &c.logs,
                matches!(c.status, Status::Running | Status::Paused | Status::Restarting),
                c.starts > starts0 || was_running,
            ),
            None => match st.graveyard.get(&cid2) {
                Some(removed) => (&removed.logs, false, true),
                None => return Poll::Ready(None),
            },
        };
        if cursor < logs.len() {
            let mut out = Vec::new();
            for e in &logs[cursor..] {
                if (e.stream == 1 && !stdout) || (e.stream == 2 && !stderr) {
                    continue;
                }
                if tty {
                    out.extend_from_slice(super::exec::through_tty(&e.text).1.as_bytes())
                } else {
                    out.extend(frame(e.stream, e.text.as_bytes()))
                }
            }
            cursor = logs.len();
            if !out.is_empty() {
                return Poll::Ready(Some(Bytes::from(out)));
            }
        }
        // Without `stream`, the logs are all there is: dockerd closes.
        if !stream || (!alive && started_since) {
            return Poll::Ready(None);
        }
        Poll::Pending
    });
    Ok(Reply::Upgrade(
        if tty { "application/vnd.docker.raw-stream" } else { "application/vnd.docker.multiplexed-stream" },
        body,
        StdinTarget { container: cid.to_string(), exec: None },
        // dockerd reads detach keys from a TTY's input only.
        tty.then_some(detach),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streaming endpoints resolve the container under one lock and
    /// read it under another: a container removed in between (by another
    /// client of dockhand-sim) is a 404, not a panic.
    #[test]
    fn a_container_removed_after_it_was_resolved_is_a_404() {
        let engine = Engine::new();
        let gone = "0123456789ab";
        let q = Query::from_pairs(&[("stdout", "1")]);
        let status = |r: R| match r {
            Err(e) => (e.status, e.message),
            Ok(_) => (200, String::new()),
        };
        let expected = (404, format!("No such container: {gone}"));
        assert_eq!(status(logs_of(&engine, gone, &q)), expected);
        assert_eq!(status(attach_to(&engine, gone, &q)), expected);
        assert_eq!(status(wait_for(&engine, gone, "not-running")), expected);
    }
}
