//! System applets: hostname, whoami, id, uname, date, df, free, uptime, which.

use super::{Applet, Args};
use crate::programs::identity::{Identity, UnknownId, identity_as, user_of};
use crate::programs::{Ctx, Flow};
use crate::state::State;

/// The applets of this area.
pub(super) const APPLETS: &[Applet] = &[
    Applet::new("hostname", hostname),
    Applet::new("whoami", whoami),
    Applet::new("id", id).usage("id [-ugGnr] [USER]"),
    Applet::new("uname", uname),
    Applet::new("date", date),
    Applet::new("df", df),
    Applet::new("free", free),
    Applet::new("uptime", uptime),
    Applet::new("which", which),
];

/// busybox's `id` with `flags` (`-u`, `-g`, `-G`, `-n`): its output, or its
/// usage error.
pub(crate) fn id_text(who: &Identity, flags: &str) -> Option<String> {
    let pick = |(id, name): &(String, Option<String>)| match name {
        Some(n) if flags.contains('n') => n.clone(),
        _ => id.clone(),
    };
    Some(if flags.contains('u') {
        pick(&who.user)
    } else if flags.contains('G') {
        who.groups.iter().map(pick).collect::<Vec<_>>().join(" ")
    } else if flags.contains('g') {
        pick(&who.group)
    } else if flags.contains('n') {
        return None;
    } else {
        let named =
            |(id, name): &(String, Option<String>)| name.as_ref().map_or_else(|| id.clone(), |n| format!("{id}({n})"));
        format!(
            "uid={} gid={} groups={}",
            named(&who.user),
            named(&who.group),
            who.groups.iter().map(named).collect::<Vec<_>>().join(",")
        )
    })
}

/// `hostname`.
fn hostname(state: &mut State, cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    let h = state.containers.get(cid).map(|c| c.hostname.clone()).unwrap_or_default();
    ctx.print(format!("{h}\n"));
    Flow::Exit(0)
}

/// The user the running process was started as (`docker exec -u`), when
/// it is one of the container's processes.
fn process_user(state: &State, cid: &str, ctx: &Ctx) -> Option<String> {
    let c = state.containers.get(cid)?;
    c.processes.iter().find(|p| p.pid == ctx.pid).map(|p| p.user.clone())
}

/// `whoami`.
fn whoami(state: &mut State, cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    let user = user_of(state, cid, process_user(state, cid, ctx).as_deref());
    ctx.print(format!("{user}\n"));
    Flow::Exit(0)
}

/// `id`.
fn id(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let flags = &a.flags;
    match identity_as(state, cid, process_user(state, cid, ctx).as_deref()) {
        Ok(who) => match id_text(&who, flags) {
            Some(line) => {
                ctx.print(format!("{line}\n"));
                Flow::Exit(0)
            }
            None => {
                ctx.eprint(format!("{}\nPrint information about USER or the current user\n\n\t-u\tUser ID\n\t-g\tGroup ID\n\t-G\tSupplementary group IDs\n\t-n\tPrint names instead of numbers\n\t-r\tPrint real ID instead of effective ID\n", a.multi_call_usage()));
                Flow::Exit(1)
            }
        },
        Err(unknown) => {
            ctx.eprint(match unknown {
                UnknownId::User(name) => format!("id: unknown user {name}\n"),
                UnknownId::Group(name) => format!("id: unknown group {name}\n"),
            });
            Flow::Exit(1)
        }
    }
}

/// `uname`.
fn uname(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let flags = &a.flags;
    let h = state.containers.get(cid).map(|c| c.hostname.clone()).unwrap_or_default();
    if flags.contains('a') {
        ctx.print(format!("Linux {h} 6.1.0-sim #1 SMP PREEMPT_DYNAMIC Debian 6.1.0 x86_64 GNU/Linux\n"));
    } else if flags.contains('r') {
        ctx.print("6.1.0-sim\n");
    } else {
        ctx.print("Linux\n");
    }
    Flow::Exit(0)
}

/// `date`.
fn date(state: &mut State, _cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    let secs = (state.clock_ms / 1000) as i64;
    let t = dockhand::Timestamp::from_unix_timestamp(secs).unwrap_or(dockhand::Timestamp::UNIX_EPOCH);
    // 1970-01-01 was a Thursday.
    let weekday = (t.unix_timestamp().div_euclid(86_400) + 3).rem_euclid(7) as usize;
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    ctx.print(format!(
        "{} {} {:>2} {:02}:{:02}:{:02} UTC {}\n",
        days[weekday],
        months[(t.month() as usize - 1).min(11)],
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.year()
    ));
    Flow::Exit(0)
}

/// `df`.
fn df(_state: &mut State, _cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    ctx.print("Filesystem           1K-blocks      Used Available Use% Mounted on\noverlay               61202244  21443544  36617344  37% /\ntmpfs                    65536         0     65536   0% /dev\n");
    Flow::Exit(0)
}

/// `free`.
fn free(_state: &mut State, _cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    ctx.print("              total        used        free      shared  buff/cache   available\nMem:        8039156     1843564     4371000       12345     1824592     5911172\nSwap:             0           0           0\n");
    Flow::Exit(0)
}

/// `uptime`.
fn uptime(state: &mut State, cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    let started = state.containers.get(cid).and_then(|c| c.started_ms).unwrap_or(state.clock_ms);
    let mins = (state.clock_ms.saturating_sub(started)) / 60_000;
    ctx.print(format!(" up {mins} min,  load average: 0.00, 0.01, 0.05\n"));
    Flow::Exit(0)
}

/// `which`.
fn which(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let operands = a.operands.clone();
    let mut code = 0;
    for o in operands {
        match state.lookup_exe(cid, o) {
            Some(_) => {
                let dir = if super::applet_names().any(|n| n == o.as_str()) {
                    "/bin".to_string()
                } else {
                    state
                        .lookup_exe(cid, o)
                        .unwrap_or_default()
                        .rsplit_once('/')
                        .map(|(d, _)| d.to_string())
                        .unwrap_or_default()
                };
                ctx.print(format!("{dir}/{o}\n"));
            }
            None => code = 1,
        }
    }
    Flow::Exit(code)
}

#[cfg(test)]
mod tests {
    use crate::programs::testing::{exec_in, with_box};

    #[test]
    fn who_and_where() {
        with_box(|st, cid| {
            let hostname = st.containers.get(cid).map(|c| c.hostname.clone()).unwrap_or_default();
            assert_eq!(exec_in(st, cid, &["hostname"]).0, format!("{hostname}\n"));
            assert_eq!(exec_in(st, cid, &["whoami"]).0, "root\n");
            assert!(exec_in(st, cid, &["id"]).0.starts_with("uid=0(root) gid=0(root) groups=0(root)"));
            assert_eq!(exec_in(st, cid, &["id", "-un"]).0, "root\n");
            let usage = exec_in(st, cid, &["id", "-n"]);
            assert!(
                usage.1.starts_with(
                    "BusyBox v1.37.0 (simulated) multi-call binary.\n\nUsage: id [-ugGnr] [USER]\n\nPrint"
                )
            );
            assert_eq!(usage.2, 1);
            assert_eq!(exec_in(st, cid, &["uname"]).0, "Linux\n");
            assert_eq!(exec_in(st, cid, &["uname", "-r"]).0, "6.1.0-sim\n");
            assert_eq!(exec_in(st, cid, &["which", "ls"]).0, "/bin/ls\n");
            assert_eq!(exec_in(st, cid, &["which", "nope"]).2, 1);
            assert!(
                exec_in(st, cid, &["date"]).0.ends_with(" UTC 2024\n")
                    || exec_in(st, cid, &["date"]).0.contains(" UTC ")
            );
            assert!(exec_in(st, cid, &["uptime"]).0.starts_with(" up 0 min,"));
            assert!(exec_in(st, cid, &["df"]).0.starts_with("Filesystem"));
            assert!(exec_in(st, cid, &["free"]).0.contains("Mem:"));
        });
    }
}
