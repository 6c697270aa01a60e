//! Network applets: wget, ping, nslookup, ip, ifconfig, httpd.

use super::{Applet, Args};
use crate::fs::normalize;
use crate::programs::http::{fetch_into, ip_of, resolve_host};
use crate::programs::{Ctx, Flow};
use crate::state::{Program, State, Status};

/// The applets of this area.
pub(super) const APPLETS: &[Applet] = &[
    Applet::new("httpd", httpd),
    Applet::new("wget", wget).usage("wget [-q] [-O FILE] URL"),
    Applet::new("ping", ping).usage("ping [OPTIONS] HOST"),
    Applet::new("nslookup", nslookup),
    Applet::new("ip", ip),
    Applet::new("ifconfig", ip),
];

/// `httpd`.
fn httpd(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let args = a.args;
    let flags = &a.flags;
    // -f: stay in the foreground; -p [IP:]PORT (80); -h HOME (the
    // current directory). Without -f it goes to the background and
    // its parent returns at once: as a container's main process,
    // the container ends there, as on dockerd.
    let (mut port, mut home, mut words) = (80, ctx.cwd.clone(), args.iter());
    while let Some(a) = words.next() {
        match a.as_str() {
            "-p" => port = words.next().and_then(|p| p.rsplit(':').next()?.parse().ok()).unwrap_or(0),
            "-h" => home = words.next().map(|h| normalize(&ctx.cwd, h)).unwrap_or(home),
            _ => {}
        }
    }
    if port == 0 {
        ctx.eprint("httpd: invalid port\n");
        return Flow::Exit(1);
    }
    if !flags.contains('f') {
        return Flow::Exit(0);
    }
    if let Some(p) = state.containers.get_mut(cid).and_then(|c| c.processes.first_mut()) {
        p.argv = std::iter::once("httpd".to_string()).chain(args.iter().cloned()).collect();
    }
    Flow::Serve(Program::Httpd { port, home })
}

/// `wget`.
fn wget(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let args = a.args;
    let flags = &a.flags;
    let operands = a.operands.clone();
    let url = operands
        .iter()
        .find(|o| o.contains('.') || o.contains("://") || o.contains(':') || !o.is_empty())
        .map(|s| s.to_string());
    let stdout = args.iter().any(|a| a == "-O-" || a == "-qO-" || a == "-qO" || a == "-O")
        && args.iter().any(|a| a.ends_with('-'));
    let stdout = stdout || args.windows(2).any(|w| w[0].ends_with('O') && w[1] == "-");
    let quiet = flags.contains('q');
    let Some(url) = url.filter(|u| u != "-") else {
        ctx.eprint(a.usage_text());
        return Flow::Exit(1);
    };
    fetch_into(state, cid, ctx, &url, stdout, quiet, "Wget")
}

/// `ping`.
fn ping(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let args = a.args;
    let operands = a.operands.clone();
    let count: usize = args
        .iter()
        .position(|a| a == "-c")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
        .min(20);
    let Some(host) = operands.iter().find(|o| o.parse::<usize>().is_err()).map(|s| s.to_string()) else {
        ctx.eprint(a.usage_text());
        return Flow::Exit(1);
    };
    let Some(target) = resolve_host(state, cid, &host) else {
        ctx.eprint(format!("ping: bad address '{host}'\n"));
        return Flow::Exit(1);
    };
    let ip = ip_of(state, &target, cid);
    let up = state.containers.get(&target).is_some_and(|c| c.status == Status::Running);
    let mut text = format!("PING {host} ({ip}): 56 data bytes\n");
    if up {
        for i in 0..count {
            text.push_str(&format!("64 bytes from {ip}: seq={i} ttl=64 time=0.0{}1 ms\n", 5 + i % 4));
        }
    }
    text.push_str(&format!(
        "\n--- {host} ping statistics ---\n{count} packets transmitted, {} packets received, {}% packet loss\n",
        if up { count } else { 0 },
        if up { 0 } else { 100 }
    ));
    if up && count > 0 {
        // The times printed above, in microseconds: 51, 61, 71, 81, 51, ...
        let times: Vec<f64> = (0..count).map(|i| (51 + 10 * (i % 4)) as f64 / 1000.0).collect();
        let max = times.iter().copied().fold(0.0, f64::max);
        let avg = times.iter().sum::<f64>() / count as f64;
        text.push_str(&format!("round-trip min/avg/max = 0.051/{avg:.3}/{max:.3} ms\n"));
    }
    ctx.print(text);
    state.clock_ms += count as u64 * 1000;
    Flow::Exit(if up { 0 } else { 1 })
}

/// `nslookup`.
fn nslookup(state: &mut State, cid: &str, ctx: &mut Ctx, a: &Args) -> Flow {
    let operands = a.operands.clone();
    let Some(host) = operands.first().map(|s| s.to_string()) else { return Flow::Exit(1) };
    let user_net = state
        .containers
        .get(cid)
        .is_some_and(|c| c.networks.keys().any(|n| !matches!(n.as_str(), "bridge" | "host" | "none")));
    let server = if user_net { "127.0.0.11" } else { "8.8.8.8" };
    match resolve_host(state, cid, &host).map(|t| ip_of(state, &t, cid)) {
        Some(ip) => ctx.print(format!(
            "Server:\t\t{server}\nAddress:\t{server}:53\n\nNon-authoritative answer:\nName:\t{host}\nAddress: {ip}\n\n"
        )),
        None => {
            ctx.print(format!(
                "Server:\t\t{server}\nAddress:\t{server}:53\n\n** server can't find {host}: NXDOMAIN\n\n"
            ));
            return Flow::Exit(1);
        }
    }
    Flow::Exit(0)
}

/// `ip`, `ifconfig`.
fn ip(state: &mut State, cid: &str, ctx: &mut Ctx, _a: &Args) -> Flow {
    let Some(c) = state.containers.get(cid) else { return Flow::Exit(1) };
    let mut text = String::from(
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n",
    );
    for (i, (net, ep)) in c.networks.iter().enumerate() {
        if ep.ip.is_empty() {
            continue;
        }
        let n = i + 2;
        let _ = net;
        text.push_str(&format!(
            "{n}: eth{}@if{}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue\n    link/ether {} brd ff:ff:ff:ff:ff:ff\n    inet {}/16 brd {} scope global eth{}\n",
            i,
            n + 10,
            ep.mac,
            ep.ip,
            ep.gateway.rsplit_once('.').map(|(a, _)| format!("{a}.255")).unwrap_or_default().replace(".0.255", ".255.255"),
            i
        ));
    }
    ctx.print(text);
    Flow::Exit(0)
}

#[cfg(test)]
mod tests {
    use crate::programs::testing::{exec_in, with_box};

    #[test]
    fn addresses_names_and_pings() {
        with_box(|st, cid| {
            let ip = exec_in(st, cid, &["ip", "addr"]).0;
            assert!(ip.contains("inet 127.0.0.1/8 scope host lo") && ip.contains("inet 172.17.0.2/16"), "{ip}");
            let ping = exec_in(st, cid, &["ping", "-c", "2", "localhost"]);
            assert!(ping.0.contains("2 packets transmitted, 2 packets received, 0% packet loss"), "{}", ping.0);
            assert_eq!(ping.2, 0);
            assert_eq!(
                exec_in(st, cid, &["ping", "nowhere"]),
                (String::new(), "ping: bad address 'nowhere'\n".into(), 1)
            );
            assert_eq!(exec_in(st, cid, &["ping"]).1, "BusyBox v1.37.0 (simulated)\n\nUsage: ping [OPTIONS] HOST\n");
            let lookup = exec_in(st, cid, &["nslookup", "nowhere"]);
            assert!(lookup.0.contains("** server can't find nowhere: NXDOMAIN"), "{}", lookup.0);
            assert_eq!(lookup.2, 1);
        });
    }

    #[test]
    fn wget_reaches_only_servers() {
        with_box(|st, cid| {
            let refused = exec_in(st, cid, &["wget", "-qO-", "http://localhost/"]);
            assert_eq!(
                refused,
                (String::new(), "wget: can't connect to remote host (127.0.0.1): Connection refused\n".into(), 1)
            );
            assert_eq!(
                exec_in(st, cid, &["wget"]).1,
                "BusyBox v1.37.0 (simulated)\n\nUsage: wget [-q] [-O FILE] URL\n"
            );
            assert_eq!(exec_in(st, cid, &["httpd", "-p", "x"]), (String::new(), "httpd: invalid port\n".into(), 1));
            assert_eq!(exec_in(st, cid, &["httpd"]).2, 0, "without -f it goes to the background");
        });
    }
}
