//! The nginx stand-in and the official image's `docker-entrypoint.sh`.

use super::{Ctx, Flow, run_argv};
use crate::state::{Program, State};

pub(crate) fn entrypoint(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    if args.first().map(String::as_str) == Some("nginx") {
        ctx.print("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n10-listen-on-ipv6-by-default.sh: info: Enabled listening on IPv6 in /etc/nginx/conf.d/default.conf\n/docker-entrypoint.sh: Configuration complete; ready for start up\n");
    }
    if args.is_empty() {
        return Flow::Exit(0);
    }
    run_argv(state, cid, ctx, args)
}

pub(crate) fn go_time(ms: u64) -> (String, String) {
    let t = dockhand::Timestamp::from_unix_timestamp((ms / 1000) as i64).unwrap_or(dockhand::Timestamp::UNIX_EPOCH);
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let m = months[(t.month() as usize).saturating_sub(1).min(11)];
    (
        format!("{:04}/{:02}/{:02} {:02}:{:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()),
        format!("{:02}/{m}/{:04}:{:02}:{:02}:{:02} +0000", t.day(), t.year(), t.hour(), t.minute(), t.second()),
    )
}

pub(crate) fn nginx(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    if args.first().map(String::as_str) == Some("-v") {
        ctx.eprint("nginx version: nginx/1.29.0\n");
        return Flow::Exit(0);
    }
    if ctx.pid != 1 {
        ctx.eprint("nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n");
        return Flow::Exit(1);
    }
    let (t, _) = go_time(state.clock_ms);
    ctx.eprint(format!("{t} [notice] 1#1: using the \"epoll\" event method\n{t} [notice] 1#1: nginx/1.29.0\n{t} [notice] 1#1: OS: Linux (simulated)\n{t} [notice] 1#1: start worker processes\n{t} [notice] 1#1: start worker process 29\n"));
    let host_pid = state.host_pid();
    let now = state.clock_ms;
    if let Some(c) = state.containers.get_mut(cid) {
        c.processes.push(crate::state::Process {
            pid: 29,
            host_pid,
            argv: vec!["nginx: worker process".into()],
            program: Program::Forever,
            user: "nginx".into(),
            started_ms: now,
            shell: String::new(),
        });
        if let Some(p) = c.processes.first_mut() {
            p.argv = vec!["nginx: master process nginx -g daemon off;".into()];
        }
    }
    Flow::Serve(Program::Nginx)
}
