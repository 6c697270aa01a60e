//! Exec endpoints: create, start (streamed or hijacked), resize, inspect.

use bytes::Bytes;
use serde_json::{Value, json};
use std::task::Poll;

use crate::daemon::exec::ExecSpec;
use crate::error::err;
use crate::http::Req;
use crate::http::query::*;
use crate::http::version::Api;
use crate::state::*;
use crate::util::frame;
use crate::{Engine, StdinTarget};

/// `POST /containers/{id}/exec`.
pub(crate) fn create(st: &mut State, r: &Req) -> R {
    let asked = r.p(0);
    let cid = st.find_container(asked)?;
    let v = body_json(r.body)?;
    let spec = ExecSpec {
        argv: strs(v.get("Cmd").unwrap_or(&Value::Null)),
        tty: v.get("Tty").and_then(Value::as_bool).unwrap_or(false),
        attach_stdin: v.get("AttachStdin").and_then(Value::as_bool).unwrap_or(false),
        env: strs(v.get("Env").unwrap_or(&Value::Null)),
        workdir: v.get("WorkingDir").and_then(Value::as_str).unwrap_or("").to_string(),
        user: v.get("User").and_then(Value::as_str).unwrap_or("").to_string(),
        detach_keys: v.get("DetachKeys").and_then(Value::as_str).unwrap_or("").to_string(),
    };
    // dockerd's exec create refuses bad keys with a 500 and other words
    // than attach's 400.
    if crate::DetachKeys::parse(&spec.detach_keys).is_err() {
        return Err(err(500, format!("Invalid escape keys ({}) provided", spec.detach_keys)));
    }
    let id = st.create_exec(asked, &cid, spec)?;
    Ok(Reply::Json(201, json!({"Id": id})))
}

/// `POST /exec/{id}/start`: runs it; its output streamed, or over the
/// hijacked connection when the client asks to upgrade.
pub(crate) fn start(engine: &Engine, r: &Req) -> R {
    let id = r.p(0).to_string();
    let v = body_json(r.body)?;
    let detach = v.get("Detach").and_then(Value::as_bool).unwrap_or(false);
    {
        let mut st = engine.lock();
        if !st.execs.contains_key(&id) {
            return Err(err(404, format!("No such exec instance: {id}")));
        }
        st.start_exec(&id)?;
    }
    engine.notify();
    let upgrade = r.headers.get(http::header::UPGRADE).is_some();
    if detach {
        return Ok(Reply::Empty(200));
    }
    // The start body's `Tty` decides the framing, as on dockerd (an exec
    // with a TTY started with `Tty: false` sends its output in frames).
    Ok(exec_stream(engine, &id, upgrade, v.get("Tty").and_then(Value::as_bool), r.api))
}

/// What a TTY makes of a process's output: `\n` becomes `\r\n` (the
/// terminal's onlcr) and stderr goes to the same terminal as stdout.
pub(super) fn through_tty(text: &str) -> (u8, String) {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev = '\0';
    for ch in text.chars() {
        if ch == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(ch);
        prev = ch;
    }
    (1, out)
}

/// `POST /exec/{id}/resize`.
pub(crate) fn resize(st: &mut State, r: &Req) -> R {
    let id = r.p(0);
    if !st.execs.contains_key(id) {
        return Err(err(404, format!("No such exec instance: {id}")));
    }
    Ok(Reply::Empty(201))
}

/// The output of exec `eid`, streamed or hijacked.
fn exec_stream(engine: &Engine, eid: &str, upgrade: bool, framing_tty: Option<bool>, api: Api) -> Reply {
    let (pty, cid, keys) = {
        let st = engine.lock();
        let e = st.execs.get(eid);
        e.map(|e| (e.tty, e.container_id.clone(), e.detach_keys.clone())).unwrap_or_default()
    };
    let tty = framing_tty.unwrap_or(pty);
    let eid2 = eid.to_string();
    let mut cursor = 0;
    let body = engine.clone().watch(move |st| {
        let Some(e) = st.execs.get(&eid2) else { return Poll::Ready(None) };
        if cursor < e.output.len() {
            let mut out = Vec::new();
            for o in &e.output[cursor..] {
                let (stream, text) = if pty { through_tty(&o.text) } else { (o.stream, o.text.clone()) };
                if tty { out.extend_from_slice(text.as_bytes()) } else { out.extend(frame(stream, text.as_bytes())) }
            }
            cursor = e.output.len();
            return Poll::Ready(Some(Bytes::from(out)));
        }
        if !e.running {
            return Poll::Ready(None);
        }
        Poll::Pending
    });
    let ct = api.stream_type(tty);
    if !upgrade {
        return Reply::Stream(200, ct, body);
    }
    // dockerd reads its default detach keys from an exec's TTY input.
    let detach = if pty { crate::DetachKeys::parse(&keys).ok() } else { None };
    Reply::Upgrade(ct, body, StdinTarget { container: cid, exec: Some(eid.to_string()) }, detach)
}

/// `GET /exec/{id}/json`.
pub(crate) fn inspect(st: &mut State, r: &Req) -> R {
    let id = r.p(0);
    let e = st.execs.get(id).ok_or_else(|| err(404, format!("No such exec instance: {id}")))?;
    let v = json!({
        "CanRemove": false, "ContainerID": e.container_id, "DetachKeys": "", "ExitCode": e.exit_code,
        "ID": e.id, "OpenStderr": true, "OpenStdin": e.attach_stdin, "OpenStdout": true, "Running": e.running,
        "Pid": e.pid,
        "ProcessConfig": {"arguments": e.argv.iter().skip(1).collect::<Vec<_>>(), "entrypoint": e.argv.first(), "privileged": false, "tty": e.tty, "user": e.user},
    });
    Ok(Reply::Json(200, v))
}
