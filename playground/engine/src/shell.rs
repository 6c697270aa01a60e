//! The simulated programs: a busybox-like shell and its applets,
//! hello-world, an nginx-like web server, a redis-like store, a tiny python.

use std::collections::BTreeMap;

use crate::catalog::HELLO;
use crate::fs::normalize;
use crate::state::{Node, Program, State, Status};

/// What a program did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    /// It ended with this code.
    Exit(i32),
    /// `exit N`: the shell itself ends.
    Quit(i32),
    /// It sleeps until `until_ms`, then runs `rest`.
    Sleep {
        /// When to resume.
        until_ms: u64,
        /// The commands left.
        rest: Vec<String>,
    },
    /// It keeps running as this program.
    Serve(Program),
}

/// The context a process runs in.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Environment.
    pub env: BTreeMap<String, String>,
    /// Working directory.
    pub cwd: String,
    /// Output so far: `(stream, text)`.
    pub out: Vec<(u8, String)>,
    /// The last exit code (`$?`).
    pub last: i32,
    /// Its PID in the container.
    pub pid: u32,
    /// Whether stdin is attached (an interactive shell stays up).
    pub interactive: bool,
    /// Whether a TTY is attached (shells print a prompt).
    pub tty: bool,
    /// Standard input for the current command (pipes).
    pub stdin: Option<String>,
}

impl Ctx {
    /// The main process's context in container `cid`.
    pub fn for_container(state: &State, cid: &str) -> Ctx {
        let mut env = BTreeMap::new();
        let mut cwd = "/".to_string();
        let mut interactive = false;
        let mut tty = false;
        if let Some(c) = state.containers.get(cid) {
            env.insert("HOSTNAME".to_string(), c.hostname.clone());
            env.insert("HOME".to_string(), "/root".to_string());
            for kv in &c.env {
                if let Some((k, v)) = kv.split_once('=') {
                    env.insert(k.to_string(), v.to_string());
                }
            }
            if !c.workdir.is_empty() {
                cwd = c.workdir.clone();
            }
            interactive = c.open_stdin;
            tty = c.tty;
        }
        Ctx { env, cwd, out: Vec::new(), last: 0, pid: 1, interactive, tty, stdin: None }
    }

    fn print(&mut self, text: impl Into<String>) {
        self.out.push((1, text.into()));
    }

    fn eprint(&mut self, text: impl Into<String>) {
        self.out.push((2, text.into()));
    }

    /// Takes the output, merging adjacent chunks of the same stream.
    pub fn take_output(&mut self) -> Vec<(u8, String)> {
        let mut merged: Vec<(u8, String)> = Vec::new();
        for (s, t) in self.out.drain(..) {
            match merged.last_mut() {
                Some((ls, lt)) if *ls == s => lt.push_str(&t),
                _ => merged.push((s, t)),
            }
        }
        merged
    }
}

/// Splits `s` at unquoted occurrences of the separators; returns the pieces
/// and the separator that preceded each (empty for the first).
fn split_top(s: &str, seps: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut conn = String::new();
    let (mut sq, mut dq) = (false, false);
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    'outer: while i < chars.len() {
        let c = chars[i];
        if c == '\\' && !sq && i + 1 < chars.len() {
            cur.push(c);
            cur.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == '\'' && !dq {
            sq = !sq;
        } else if c == '"' && !sq {
            dq = !dq;
        } else if !sq && !dq {
            for sep in seps {
                let sc: Vec<char> = sep.chars().collect();
                if chars[i..].starts_with(&sc) {
                    // `|` must not match the first half of `||`.
                    if *sep == "|" && chars.get(i + 1) == Some(&'|') {
                        break;
                    }
                    out.push((std::mem::take(&mut conn), std::mem::take(&mut cur)));
                    conn = sep.to_string();
                    i += sc.len();
                    continue 'outer;
                }
            }
        }
        cur.push(c);
        i += 1;
    }
    out.push((conn, cur));
    out
}

/// Expands `$VAR`, `${VAR}`, `$?`, `$$` outside single quotes.
fn expand(ctx: &Ctx, s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut sq = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            sq = !sq;
            out.push(c);
            i += 1;
            continue;
        }
        if c == '$' && !sq && i + 1 < chars.len() {
            let next = chars[i + 1];
            if next == '?' {
                out.push_str(&ctx.last.to_string());
                i += 2;
                continue;
            }
            if next == '$' {
                out.push_str(&ctx.pid.to_string());
                i += 2;
                continue;
            }
            let (name, len) = if next == '{' {
                let end = chars[i + 2..].iter().position(|c| *c == '}').map(|p| p + i + 2);
                match end {
                    Some(e) => (chars[i + 2..e].iter().collect::<String>(), e + 1 - i),
                    None => (String::new(), 1),
                }
            } else {
                let n: String = chars[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').collect();
                let l = n.chars().count() + 1;
                (n, l)
            };
            if !name.is_empty() {
                out.push_str(ctx.env.get(&name).map(String::as_str).unwrap_or(""));
                i += len;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Runs a shell script (`;`, `&&`, `||`, newlines, pipes, `>`/`>>`).
pub fn run_script(state: &mut State, cid: &str, ctx: &mut Ctx, script: &str) -> Flow {
    let commands = split_top(script, &["&&", "||", ";", "\n"]);
    let mut i = 0;
    while i < commands.len() {
        let (conn, cmd) = &commands[i];
        i += 1;
        if cmd.trim().is_empty() || cmd.trim_start().starts_with('#') {
            continue;
        }
        if (conn == "&&" && ctx.last != 0) || (conn == "||" && ctx.last == 0) {
            continue;
        }
        match run_pipeline(state, cid, ctx, cmd) {
            Flow::Exit(code) => ctx.last = code,
            Flow::Sleep { until_ms, mut rest } => {
                rest.extend(commands[i..].iter().map(|(_, c)| c.clone()));
                return Flow::Sleep { until_ms, rest };
            }
            other => return other,
        }
    }
    Flow::Exit(ctx.last)
}

fn run_pipeline(state: &mut State, cid: &str, ctx: &mut Ctx, cmd: &str) -> Flow {
    let stages = split_top(cmd, &["|"]);
    let mut input: Option<String> = None;
    let n = stages.len();
    for (idx, (_, stage)) in stages.iter().enumerate() {
        let expanded = expand(ctx, stage);
        let words = match crate::util::shell_words(&expanded) {
            Ok(w) => w,
            Err(e) => {
                ctx.eprint(format!("sh: syntax error: {e}\n"));
                return Flow::Exit(2);
            }
        };
        // Redirections.
        let mut argv = Vec::new();
        let mut redirect: Option<(String, bool)> = None;
        // `>&2`: the command's stdout goes to stderr.
        let mut stdout_to_stderr = false;
        let mut it = words.into_iter();
        while let Some(w) = it.next() {
            if w == ">&2" || w == "1>&2" {
                stdout_to_stderr = true;
            } else if w == ">" || w == ">>" {
                if let Some(target) = it.next() {
                    redirect = Some((target, w == ">>"));
                }
            } else if let Some(t) = w.strip_prefix(">>").filter(|t| !t.is_empty()) {
                redirect = Some((t.to_string(), true));
            } else if let Some(t) = w.strip_prefix('>').filter(|t| !t.is_empty()) {
                redirect = Some((t.to_string(), false));
            } else if w == "2>&1" || w == "2>/dev/null" {
            } else {
                argv.push(w);
            }
        }
        // Variable assignments (`A=1`).
        if argv.len() == 1
            && argv[0].contains('=')
            && !argv[0].starts_with('=')
            && argv[0].split('=').next().is_some_and(|k| k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            if let Some((k, v)) = argv[0].split_once('=') {
                ctx.env.insert(k.to_string(), v.to_string());
            }
            return Flow::Exit(0);
        }
        if argv.is_empty() {
            continue;
        }
        let piped = idx + 1 < n || redirect.is_some();
        let saved = std::mem::take(&mut ctx.out);
        ctx.stdin = input.take();
        let flow = run_argv(state, cid, ctx, &argv);
        ctx.stdin = None;
        let mut produced = std::mem::replace(&mut ctx.out, saved);
        if stdout_to_stderr {
            for (stream, _) in &mut produced {
                *stream = 2;
            }
        }
        if piped {
            let mut text = String::new();
            for (s, t) in produced {
                if s == 1 {
                    text.push_str(&t);
                } else {
                    ctx.out.push((s, t));
                }
            }
            if let Some((target, append)) = redirect.take().filter(|_| idx + 1 == n) {
                if target == "/dev/null" {
                    continue;
                }
                let path = normalize(&ctx.cwd, &target);
                let mut data = if append {
                    match state.read_node(cid, &path) {
                        Some(Node::File { data }) => data,
                        _ => String::new(),
                    }
                } else {
                    String::new()
                };
                data.push_str(&text);
                if let Err(e) = state.write_node(cid, &path, Node::File { data }) {
                    ctx.eprint(format!("sh: can't create {target}: {e}\n"));
                    return Flow::Exit(1);
                }
            } else {
                input = Some(text);
            }
        } else {
            ctx.out.extend(produced);
        }
        match flow {
            Flow::Exit(code) if idx + 1 == n => return Flow::Exit(code),
            Flow::Exit(_) => {}
            other => return other,
        }
    }
    Flow::Exit(0)
}

fn user_of(state: &State, cid: &str) -> String {
    state
        .containers
        .get(cid)
        .map(|c| if c.user.is_empty() { "root".to_string() } else { c.user.clone() })
        .unwrap_or_else(|| "root".into())
}

/// Runs one command (`argv[0]` found on PATH, or a shell builtin).
pub fn run_argv(state: &mut State, cid: &str, ctx: &mut Ctx, argv: &[String]) -> Flow {
    let Some(name) = argv.first() else { return Flow::Exit(0) };
    let args = &argv[1..];
    // Builtins first.
    match name.as_str() {
        "exit" => return Flow::Quit(args.first().and_then(|a| a.parse().ok()).unwrap_or(ctx.last)),
        "cd" => {
            let target = normalize(&ctx.cwd, args.first().map(String::as_str).unwrap_or("/root"));
            return match state.read_node(cid, &state.resolve_link(cid, &target)) {
                Some(Node::Dir) => {
                    ctx.cwd = target;
                    Flow::Exit(0)
                }
                _ => {
                    ctx.eprint(format!(
                        "sh: cd: can't cd to {}: No such file or directory\n",
                        args.first().cloned().unwrap_or_default()
                    ));
                    Flow::Exit(2)
                }
            };
        }
        "export" => {
            for a in args {
                if let Some((k, v)) = a.split_once('=') {
                    ctx.env.insert(k.into(), v.into());
                }
            }
            return Flow::Exit(0);
        }
        "set" | ":" => return Flow::Exit(0),
        _ => {}
    }
    let Some(path) = state.lookup_exe(cid, name) else {
        ctx.eprint(format!("sh: {name}: not found\n"));
        return Flow::Exit(127);
    };
    let program = match state.read_node(cid, &path) {
        Some(Node::File { data }) => data,
        _ => String::new(),
    };
    if let Some(sim) = program.strip_prefix("#!sim:") {
        let sim = sim.lines().next().unwrap_or("").trim().to_string();
        let applet = if sim == "busybox" { name.rsplit('/').next().unwrap_or(name).to_string() } else { sim.clone() };
        return match applet.as_str() {
            "hello" => {
                ctx.print(HELLO);
                Flow::Exit(0)
            }
            "entrypoint" => entrypoint(state, cid, ctx, args),
            "nginx" => nginx(state, cid, ctx, args),
            "redis-server" => redis_server(state, cid, ctx),
            "redis-cli" => redis_cli(state, cid, ctx, args),
            "python" => python(state, cid, ctx, args),
            "apk" | "pip" => {
                ctx.print(format!(
                    "(simulated) {applet} {}: packages are not downloaded in the simulation\n",
                    args.join(" ")
                ));
                Flow::Exit(0)
            }
            "busybox" => {
                if args.is_empty() {
                    ctx.print("BusyBox v1.37.0 (simulated) multi-call binary.\n");
                    Flow::Exit(0)
                } else {
                    run_argv(state, cid, ctx, args)
                }
            }
            applet => busybox(state, cid, ctx, applet, args),
        };
    }
    // A text script: run it with the shell.
    if program.starts_with("#!") || !program.is_empty() {
        let body: String = program.lines().skip(usize::from(program.starts_with("#!"))).collect::<Vec<_>>().join("\n");
        for (i, a) in args.iter().enumerate() {
            ctx.env.insert((i + 1).to_string(), a.clone());
        }
        return run_script(state, cid, ctx, &body);
    }
    Flow::Exit(0)
}

fn entrypoint(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    if args.first().map(String::as_str) == Some("nginx") {
        ctx.print("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n10-listen-on-ipv6-by-default.sh: info: Enabled listening on IPv6 in /etc/nginx/conf.d/default.conf\n/docker-entrypoint.sh: Configuration complete; ready for start up\n");
    }
    if args.is_empty() {
        return Flow::Exit(0);
    }
    run_argv(state, cid, ctx, args)
}

fn go_time(ms: u64) -> (String, String) {
    let t = time::OffsetDateTime::from_unix_timestamp((ms / 1000) as i64).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let m = months[(t.month() as usize).saturating_sub(1).min(11)];
    (
        format!(
            "{:04}/{:02}/{:02} {:02}:{:02}:{:02}",
            t.year(),
            t.month() as u8,
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        format!("{:02}/{m}/{:04}:{:02}:{:02}:{:02} +0000", t.day(), t.year(), t.hour(), t.minute(), t.second()),
    )
}

fn nginx(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
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
        });
        if let Some(p) = c.processes.first_mut() {
            p.argv = vec!["nginx: master process nginx -g daemon off;".into()];
        }
    }
    Flow::Serve(Program::Nginx)
}

fn redis_server(state: &mut State, cid: &str, ctx: &mut Ctx) -> Flow {
    if ctx.pid != 1 {
        ctx.eprint("Could not create server TCP listening socket *:6379: bind: Address already in use\n");
        return Flow::Exit(1);
    }
    let mut loaded = 0;
    if let Some(Node::File { data }) = state.read_node(cid, "/data/dump.rdb")
        && let Ok(kv) = serde_json::from_str::<BTreeMap<String, String>>(&data)
    {
        loaded = kv.len();
        if let Some(c) = state.containers.get_mut(cid) {
            c.kv = kv;
        }
    }
    ctx.print("1:C * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:C * Redis version=8.0.2, bits=64, pid=1, just started\n1:M * Server initialized\n");
    if loaded > 0 {
        ctx.print(format!("1:M * DB loaded from disk: {loaded} keys\n"));
    }
    ctx.print("1:M * Ready to accept connections tcp\n");
    Flow::Serve(Program::Redis)
}

fn redis_cli(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    let mut host = "127.0.0.1".to_string();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" => host = it.next().cloned().unwrap_or_default(),
            "-p" => {
                it.next();
            }
            _ => rest.push(a.clone()),
        }
    }
    let Some(target) = resolve_host(state, cid, &host) else {
        ctx.eprint(format!("Could not connect to Redis at {host}:6379: Name or service not known\n"));
        return Flow::Exit(1);
    };
    let serving = state.containers.get(&target).is_some_and(|c| {
        c.status == Status::Running && c.processes.first().is_some_and(|p| p.program == Program::Redis)
    });
    if !serving {
        ctx.eprint(format!("Could not connect to Redis at {host}:6379: Connection refused\n"));
        return Flow::Exit(1);
    }
    if rest.is_empty() {
        ctx.eprint(
            "(simulation) interactive redis-cli is not simulated; give a command: redis-cli set greeting hello\n",
        );
        return Flow::Exit(1);
    }
    let cmd = rest[0].to_ascii_uppercase();
    let Some(c) = state.containers.get_mut(&target) else { return Flow::Exit(1) };
    let reply = match (cmd.as_str(), rest.len()) {
        ("PING", _) => "PONG".to_string(),
        ("SET", 3) => {
            c.kv.insert(rest[1].clone(), rest[2].clone());
            "OK".into()
        }
        ("GET", 2) => c.kv.get(&rest[1]).map(|v| format!("\"{v}\"")).unwrap_or_else(|| "(nil)".into()),
        ("DEL", n) if n >= 2 => {
            let removed = rest[1..].iter().filter(|k| c.kv.remove(*k).is_some()).count();
            format!("(integer) {removed}")
        }
        ("INCR", 2) => {
            let v = c.kv.get(&rest[1]).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0) + 1;
            c.kv.insert(rest[1].clone(), v.to_string());
            format!("(integer) {v}")
        }
        ("KEYS", 2) => {
            let keys: Vec<String> = c.kv.keys().enumerate().map(|(i, k)| format!("{}) \"{k}\"", i + 1)).collect();
            if keys.is_empty() { "(empty array)".into() } else { keys.join("\n") }
        }
        ("DBSIZE", 1) => format!("(integer) {}", c.kv.len()),
        ("FLUSHALL", 1) => {
            c.kv.clear();
            "OK".into()
        }
        (other, _) if ["SET", "GET", "DEL", "INCR", "KEYS"].contains(&other) => {
            format!("(error) ERR wrong number of arguments for '{}' command", other.to_ascii_lowercase())
        }
        (other, _) => {
            format!("(error) ERR unknown command '{}', with args beginning with: ", other.to_ascii_lowercase())
        }
    };
    let dump = serde_json::to_string(&c.kv).unwrap_or_default();
    if matches!(cmd.as_str(), "SET" | "DEL" | "INCR" | "FLUSHALL") {
        let _ = state.write_node(&target, "/data/dump.rdb", Node::File { data: dump });
    }
    ctx.print(format!("{reply}\n"));
    Flow::Exit(0)
}

fn python(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
    let code = match args.first().map(String::as_str) {
        None => {
            if ctx.interactive {
                ctx.print(if ctx.tty { "Python 3.13.5 (simulated)\n>>> " } else { "" });
                return Flow::Serve(Program::Interactive);
            }
            return Flow::Exit(0);
        }
        Some("--version" | "-V") => {
            ctx.print("Python 3.13.5\n");
            return Flow::Exit(0);
        }
        Some("-c") => args.get(1).cloned().unwrap_or_default(),
        Some("-m") if args.get(1).map(String::as_str) == Some("http.server") => {
            let port = args.get(2).cloned().unwrap_or_else(|| "8000".into());
            ctx.print(format!("Serving HTTP on 0.0.0.0 port {port} (http://0.0.0.0:{port}/) ...\n"));
            return Flow::Serve(Program::Forever);
        }
        Some(file) => {
            let path = normalize(&ctx.cwd, file);
            match state.read_node(cid, &path) {
                Some(Node::File { data }) => data,
                _ => {
                    ctx.eprint(format!("python3: can't open file '{path}': [Errno 2] No such file or directory\n"));
                    return Flow::Exit(2);
                }
            }
        }
    };
    let mut serve = false;
    for line in code.split(['\n', ';']) {
        let line = line.trim();
        if let Some(inner) = line.strip_prefix("print(").and_then(|l| l.strip_suffix(')')) {
            let inner = inner.trim();
            let text = if (inner.starts_with('"') && inner.ends_with('"')
                || inner.starts_with('\'') && inner.ends_with('\''))
                && inner.len() >= 2
            {
                inner[1..inner.len() - 1].to_string()
            } else if let Some(var) = inner.strip_prefix("os.environ[").and_then(|v| v.strip_suffix(']')) {
                ctx.env.get(var.trim_matches(['"', '\''])).cloned().unwrap_or_default()
            } else {
                eval_arith(inner).map(|v| v.to_string()).unwrap_or_else(|| inner.to_string())
            };
            ctx.print(format!("{text}\n"));
        } else if line.starts_with("raise") || line.starts_with("sys.exit(1)") {
            ctx.eprint("Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nException\n");
            return Flow::Exit(1);
        } else if line.contains("serve_forever") || line.contains("app.run") || line.contains("http.server") {
            serve = true;
        }
    }
    if serve {
        ctx.print(" * Serving on http://0.0.0.0:8000\n");
        return Flow::Serve(Program::Forever);
    }
    Flow::Exit(0)
}

fn eval_arith(s: &str) -> Option<i64> {
    for op in ['+', '-', '*'] {
        if let Some((a, b)) = s.rsplit_once(op) {
            let (a, b) = (eval_arith(a.trim())?, eval_arith(b.trim())?);
            return match op {
                '+' => a.checked_add(b),
                '-' => a.checked_sub(b),
                _ => a.checked_mul(b),
            };
        }
    }
    s.trim().parse().ok()
}

/// Finds the container `host` names, seen from container `cid`: itself for
/// `localhost`, others by name or alias on a shared user network (the
/// embedded DNS), or by IP on a shared network.
pub fn resolve_host(state: &State, cid: &str, host: &str) -> Option<String> {
    if host == "localhost" || host == "127.0.0.1" {
        return Some(cid.to_string());
    }
    let me = state.containers.get(cid)?;
    for other in state.containers.values() {
        for (net, ep) in &other.networks {
            let Some(mine) = me.networks.get(net) else { continue };
            let _ = mine;
            let user_net = !matches!(net.as_str(), "bridge" | "host" | "none");
            if !ep.ip.is_empty() && ep.ip == host {
                return Some(other.id.clone());
            }
            if user_net
                && (other.name == host
                    || ep.aliases.iter().any(|a| a == host)
                    || other.id.starts_with(host) && host.len() >= 12)
            {
                return Some(other.id.clone());
            }
        }
    }
    None
}

/// The IP of container `cid` as seen from `from` (its first shared
/// network's address).
fn ip_of(state: &State, cid: &str, from: &str) -> String {
    let Some(c) = state.containers.get(cid) else { return String::new() };
    if cid == from {
        return "127.0.0.1".into();
    }
    let mine = state.containers.get(from);
    c.networks
        .iter()
        .find(|(n, _)| mine.is_some_and(|m| m.networks.contains_key(*n)))
        .or_else(|| c.networks.iter().next())
        .map(|(_, e)| e.ip.clone())
        .unwrap_or_default()
}

/// An HTTP GET to `port` of container `target`: `(status, body)`, or the
/// connection error.
pub fn http_get(
    state: &mut State,
    target: &str,
    port: u16,
    path: &str,
    client_ip: &str,
    agent: &str,
) -> Result<(u16, String), String> {
    let Some(c) = state.containers.get(target) else { return Err("Connection refused".into()) };
    if c.status == Status::Paused {
        return Err("Connection timed out".into());
    }
    if c.status != Status::Running {
        return Err("Connection refused".into());
    }
    let program = c.processes.first().map(|p| p.program.clone());
    let is_python_server =
        c.processes.first().is_some_and(|p| p.argv.iter().any(|a| a.contains("http.server") || a.ends_with(".py")));
    match program {
        Some(Program::Nginx) if port == 80 => {
            let file = if path.ends_with('/') {
                format!("/usr/share/nginx/html{path}index.html")
            } else {
                format!("/usr/share/nginx/html{path}")
            };
            let file = normalize("/", &file);
            let (status, body) = match state.read_node(target, &state.resolve_link(target, &file)) {
                Some(Node::File { data }) => (200, data),
                _ => (404, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.29.0</center>\r\n</body>\r\n</html>\r\n".to_string()),
            };
            let (_, clf) = go_time(state.clock_ms);
            let line = format!(
                "{client_ip} - - [{clf}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"{agent}\" \"-\"\n",
                body.len()
            );
            state.append_logs(target, vec![(1, line)]);
            if let Some(c) = state.containers.get_mut(target) {
                c.requests += 1;
            }
            Ok((status, body))
        }
        Some(Program::Forever) if is_python_server && (port == 8000 || port == 5000) => {
            let cwd = state
                .containers
                .get(target)
                .map(|c| if c.workdir.is_empty() { "/".to_string() } else { c.workdir.clone() })
                .unwrap_or_default();
            let names = state.list_dir(target, &cwd);
            let items: String = names.iter().map(|n| format!("<li><a href=\"{n}\">{n}</a></li>\n")).collect();
            let (_, clf) = go_time(state.clock_ms);
            state.append_logs(target, vec![(2, format!("{client_ip} - - [{clf}] \"GET {path} HTTP/1.1\" 200 -\n"))]);
            Ok((
                200,
                format!(
                    "<!DOCTYPE HTML>\n<html>\n<title>Directory listing for {path}</title>\n<body>\n<h1>Directory listing for {path}</h1>\n<ul>\n{items}</ul>\n</body>\n</html>\n"
                ),
            ))
        }
        _ => Err("Connection refused".into()),
    }
}

/// Parses `http://host[:port]/path`.
pub fn parse_url(url: &str) -> Option<(String, u16, String)> {
    let rest = url.strip_prefix("http://").unwrap_or(url);
    if rest.starts_with("https://") {
        return None;
    }
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (hostport.to_string(), 80),
    };
    if host.is_empty() {
        return None;
    }
    Some((host, port, path))
}

fn file_text(state: &State, cid: &str, cwd: &str, name: &str) -> Result<String, String> {
    let path = state.resolve_link(cid, &normalize(cwd, name));
    match state.read_node(cid, &path) {
        Some(Node::File { data }) => {
            Ok(if data.starts_with("#!sim:") { "\u{7f}ELF (simulated binary)\n".to_string() } else { data })
        }
        Some(Node::Dir) => Err(format!("{name}: Is a directory")),
        _ => Err(format!("can't open '{name}': No such file or directory")),
    }
}

fn busybox(state: &mut State, cid: &str, ctx: &mut Ctx, applet: &str, args: &[String]) -> Flow {
    let flags: String =
        args.iter().filter(|a| a.starts_with('-') && a.len() > 1).flat_map(|a| a[1..].chars()).collect();
    let operands: Vec<&String> = args.iter().filter(|a| !(a.starts_with('-') && a.len() > 1)).collect();
    match applet {
        "sh" | "ash" => {
            if let Some(i) = args.iter().position(|a| a == "-c") {
                let script = args.get(i + 1).cloned().unwrap_or_default();
                return run_script(state, cid, ctx, &script);
            }
            if let Some(file) = operands.first() {
                return match file_text(state, cid, &ctx.cwd.clone(), file) {
                    Ok(text) => run_script(state, cid, ctx, &text),
                    Err(e) => {
                        ctx.eprint(format!("sh: {e}\n"));
                        Flow::Exit(2)
                    }
                };
            }
            if let Some(input) = ctx.stdin.take() {
                return run_script(state, cid, ctx, &input);
            }
            if ctx.interactive {
                if ctx.tty {
                    ctx.print("/ # ");
                }
                return Flow::Serve(Program::Interactive);
            }
            Flow::Exit(0)
        }
        "echo" => {
            let text: Vec<&str> = args.iter().map(String::as_str).filter(|a| *a != "-n" && *a != "-e").collect();
            let mut s = text.join(" ");
            if args.iter().any(|a| a == "-e") {
                s = s.replace("\\n", "\n").replace("\\t", "\t");
            }
            if !args.iter().any(|a| a == "-n") {
                s.push('\n');
            }
            ctx.print(s);
            Flow::Exit(0)
        }
        "printf" => {
            let fmt = args.first().cloned().unwrap_or_default();
            let mut s = fmt.replace("\\n", "\n").replace("\\t", "\t");
            for a in args.iter().skip(1) {
                s = s.replacen("%s", a, 1).replacen("%d", a, 1);
            }
            ctx.print(s);
            Flow::Exit(0)
        }
        "true" | ":" => Flow::Exit(0),
        "false" => Flow::Exit(1),
        "pwd" => {
            ctx.print(format!("{}\n", ctx.cwd));
            Flow::Exit(0)
        }
        "hostname" => {
            let h = state.containers.get(cid).map(|c| c.hostname.clone()).unwrap_or_default();
            ctx.print(format!("{h}\n"));
            Flow::Exit(0)
        }
        "whoami" => {
            ctx.print(format!("{}\n", user_of(state, cid)));
            Flow::Exit(0)
        }
        "id" => {
            let u = user_of(state, cid);
            if u == "root" {
                ctx.print("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
            } else {
                ctx.print(format!("uid=1000({u}) gid=1000({u}) groups=1000({u})\n"));
            }
            Flow::Exit(0)
        }
        "uname" => {
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
        "date" => {
            let t = time::OffsetDateTime::from_unix_timestamp((state.clock_ms / 1000) as i64)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
            let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            ctx.print(format!(
                "{} {} {:>2} {:02}:{:02}:{:02} UTC {}\n",
                days[t.weekday().number_days_from_monday() as usize],
                months[(t.month() as usize - 1).min(11)],
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.year()
            ));
            Flow::Exit(0)
        }
        "env" | "printenv" => {
            if applet == "printenv"
                && let Some(k) = operands.first()
            {
                return match ctx.env.get(k.as_str()).cloned() {
                    Some(v) => {
                        ctx.print(format!("{v}\n"));
                        Flow::Exit(0)
                    }
                    None => Flow::Exit(1),
                };
            }
            let text: String = ctx.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            ctx.print(text);
            Flow::Exit(0)
        }
        "sleep" => {
            let secs: f64 = operands.first().and_then(|s| s.trim_end_matches('s').parse().ok()).unwrap_or(-1.0);
            if operands.first().map(|s| s.as_str()) == Some("infinity") {
                return Flow::Serve(Program::Forever);
            }
            if !(0.0..=1e9).contains(&secs) {
                ctx.eprint(format!("sleep: invalid number '{}'\n", operands.first().map(|s| s.as_str()).unwrap_or("")));
                return Flow::Exit(1);
            }
            let ms = (secs * 1000.0) as u64;
            if ms == 0 {
                return Flow::Exit(0);
            }
            Flow::Sleep { until_ms: state.clock_ms + ms, rest: Vec::new() }
        }
        "ls" => {
            let targets: Vec<String> =
                if operands.is_empty() { vec![".".into()] } else { operands.iter().map(|s| s.to_string()).collect() };
            let mut code = 0;
            let many = targets.len() > 1;
            for t in &targets {
                let path = normalize(&ctx.cwd, t);
                let real = state.resolve_link(cid, &path);
                match state.read_node(cid, &real) {
                    Some(Node::Dir) => {
                        if many {
                            ctx.print(format!("{t}:\n"));
                        }
                        let mut names = state.list_dir(cid, &real);
                        if !flags.contains('a') {
                            names.retain(|n| !n.starts_with('.'));
                        }
                        let mut text = String::new();
                        for n in names {
                            if flags.contains('l') {
                                let child = format!("{}/{n}", real.trim_end_matches('/'));
                                text.push_str(&long_line(state, cid, &child, &n));
                            } else {
                                text.push_str(&n);
                                text.push('\n');
                            }
                        }
                        ctx.print(text);
                    }
                    Some(_) => {
                        if flags.contains('l') {
                            ctx.print(long_line(state, cid, &path, t));
                        } else {
                            ctx.print(format!("{t}\n"));
                        }
                    }
                    None => {
                        ctx.eprint(format!("ls: {t}: No such file or directory\n"));
                        code = 1;
                    }
                }
            }
            Flow::Exit(code)
        }
        "cat" => {
            if operands.is_empty() {
                let input = ctx.stdin.take().unwrap_or_default();
                ctx.print(input);
                return Flow::Exit(0);
            }
            let mut code = 0;
            for f in operands {
                match file_text(state, cid, &ctx.cwd.clone(), f) {
                    Ok(t) => ctx.print(t),
                    Err(e) => {
                        ctx.eprint(format!("cat: {e}\n"));
                        code = 1;
                    }
                }
            }
            Flow::Exit(code)
        }
        "head" | "tail" => {
            let n: usize = args
                .iter()
                .position(|a| a == "-n")
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(10);
            let files: Vec<&String> = operands.iter().copied().filter(|o| o.parse::<usize>().is_err()).collect();
            let text = match files.first() {
                Some(f) => match file_text(state, cid, &ctx.cwd.clone(), f) {
                    Ok(t) => t,
                    Err(e) => {
                        ctx.eprint(format!("{applet}: {e}\n"));
                        return Flow::Exit(1);
                    }
                },
                None => ctx.stdin.take().unwrap_or_default(),
            };
            let lines: Vec<&str> = text.lines().collect();
            let pick: Vec<&str> = if applet == "head" {
                lines.iter().take(n).copied().collect()
            } else {
                lines[lines.len().saturating_sub(n)..].to_vec()
            };
            ctx.print(pick.iter().map(|l| format!("{l}\n")).collect::<String>());
            Flow::Exit(0)
        }
        "grep" => {
            let Some(pattern) = operands.first() else {
                ctx.eprint("BusyBox v1.37.0 (simulated)\n\nUsage: grep [-v] PATTERN [FILE]...\n");
                return Flow::Exit(2);
            };
            let text = match operands.get(1) {
                Some(f) => file_text(state, cid, &ctx.cwd.clone(), f).unwrap_or_default(),
                None => ctx.stdin.take().unwrap_or_default(),
            };
            let invert = flags.contains('v');
            let icase = flags.contains('i');
            let hits: String = text
                .lines()
                .filter(|l| {
                    let m = if icase {
                        l.to_lowercase().contains(&pattern.to_lowercase())
                    } else {
                        l.contains(pattern.as_str())
                    };
                    m != invert
                })
                .map(|l| format!("{l}\n"))
                .collect();
            let code = if hits.is_empty() { 1 } else { 0 };
            if flags.contains('c') {
                ctx.print(format!("{}\n", hits.lines().count()));
            } else if !flags.contains('q') {
                ctx.print(hits);
            }
            Flow::Exit(code)
        }
        "wc" => {
            let text = match operands.first() {
                Some(f) => file_text(state, cid, &ctx.cwd.clone(), f).unwrap_or_default(),
                None => ctx.stdin.take().unwrap_or_default(),
            };
            if flags.contains('l') {
                ctx.print(format!("{}\n", text.lines().count()));
            } else if flags.contains('c') {
                ctx.print(format!("{}\n", text.len()));
            } else {
                ctx.print(format!(
                    "{:>9} {:>9} {:>9}\n",
                    text.lines().count(),
                    text.split_whitespace().count(),
                    text.len()
                ));
            }
            Flow::Exit(0)
        }
        "seq" => {
            let nums: Vec<i64> = operands.iter().filter_map(|o| o.parse().ok()).collect();
            let (a, b) = match nums.as_slice() {
                [b] => (1, *b),
                [a, b, ..] => (*a, *b),
                _ => (1, 0),
            };
            let b = b.min(a.saturating_add(10_000));
            ctx.print((a..=b).map(|n| format!("{n}\n")).collect::<String>());
            Flow::Exit(0)
        }
        "basename" | "dirname" => {
            let p = operands.first().map(|s| s.as_str()).unwrap_or("");
            let out = if applet == "basename" {
                p.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string()
            } else {
                match p.trim_end_matches('/').rsplit_once('/') {
                    Some(("", _)) => "/".into(),
                    Some((d, _)) => d.to_string(),
                    None => ".".into(),
                }
            };
            ctx.print(format!("{out}\n"));
            Flow::Exit(0)
        }
        "mkdir" => {
            let mut code = 0;
            for d in operands {
                let path = normalize(&ctx.cwd, d);
                if state.read_node(cid, &path).is_some() && !flags.contains('p') {
                    ctx.eprint(format!("mkdir: can't create directory '{d}': File exists\n"));
                    code = 1;
                    continue;
                }
                let parent =
                    path.rsplit_once('/').map(|(p, _)| if p.is_empty() { "/" } else { p }).unwrap_or("/").to_string();
                if !flags.contains('p') && state.read_node(cid, &parent).is_none() {
                    ctx.eprint(format!("mkdir: can't create directory '{d}': No such file or directory\n"));
                    code = 1;
                    continue;
                }
                if state.read_node(cid, &path).is_none()
                    && let Err(e) = state.write_node(cid, &path, Node::Dir)
                {
                    ctx.eprint(format!("mkdir: can't create directory '{d}': {e}\n"));
                    code = 1;
                }
            }
            Flow::Exit(code)
        }
        "touch" => {
            for f in operands {
                let path = normalize(&ctx.cwd, f);
                let data = match state.read_node(cid, &path) {
                    Some(Node::File { data }) => data,
                    _ => String::new(),
                };
                if let Err(e) = state.write_node(cid, &path, Node::File { data }) {
                    ctx.eprint(format!("touch: {f}: {e}\n"));
                    return Flow::Exit(1);
                }
            }
            Flow::Exit(0)
        }
        "rm" => {
            let mut code = 0;
            for f in operands {
                let path = normalize(&ctx.cwd, f);
                match state.read_node(cid, &path) {
                    None if flags.contains('f') => {}
                    None => {
                        ctx.eprint(format!("rm: can't remove '{f}': No such file or directory\n"));
                        code = 1;
                    }
                    Some(Node::Dir) if !flags.contains('r') => {
                        ctx.eprint(format!("rm: '{f}' is a directory\n"));
                        code = 1;
                    }
                    Some(_) => {
                        let _ = state.write_node(cid, &path, Node::Whiteout);
                    }
                }
            }
            Flow::Exit(code)
        }
        "cp" | "mv" => {
            if operands.len() != 2 {
                ctx.eprint(format!("{applet}: missing file operand\n"));
                return Flow::Exit(1);
            }
            let src = normalize(&ctx.cwd, operands[0]);
            let mut dst = normalize(&ctx.cwd, operands[1]);
            let Some(node) = state.read_node(cid, &src) else {
                ctx.eprint(format!("{applet}: can't stat '{}': No such file or directory\n", operands[0]));
                return Flow::Exit(1);
            };
            if state.read_node(cid, &dst) == Some(Node::Dir) {
                dst = format!("{}/{}", dst.trim_end_matches('/'), src.rsplit('/').next().unwrap_or(""));
            }
            let _ = state.write_node(cid, &dst, node);
            if applet == "mv" {
                let _ = state.write_node(cid, &src, Node::Whiteout);
            }
            Flow::Exit(0)
        }
        "ps" | "top" => {
            let Some(c) = state.containers.get(cid) else { return Flow::Exit(1) };
            let mut text = String::from("PID   USER     TIME  COMMAND\n");
            for p in &c.processes {
                text.push_str(&format!("{:>5} {:<8}  0:00 {}\n", p.pid, p.user, p.argv.join(" ")));
            }
            ctx.print(text);
            Flow::Exit(0)
        }
        "kill" => {
            let pid: u32 = operands.first().and_then(|p| p.parse().ok()).unwrap_or(0);
            if pid == 1 {
                // PID 1 ignores signals it has no handler for.
                return Flow::Exit(0);
            }
            let exists = state.containers.get(cid).is_some_and(|c| c.processes.iter().any(|p| p.pid == pid));
            if !exists {
                ctx.eprint(format!("sh: can't kill pid {pid}: No such process\n"));
                return Flow::Exit(1);
            }
            if let Some(c) = state.containers.get_mut(cid) {
                c.processes.retain(|p| p.pid != pid);
            }
            let dead: Vec<String> = state
                .execs
                .values()
                .filter(|e| e.container_id == cid && e.pid == pid && e.running)
                .map(|e| e.id.clone())
                .collect();
            for eid in dead {
                if let Some(e) = state.execs.get_mut(&eid) {
                    e.running = false;
                    e.exit_code = Some(143);
                }
            }
            Flow::Exit(0)
        }
        "wget" => {
            let url = operands
                .iter()
                .find(|o| o.contains('.') || o.contains("://") || o.contains(':') || !o.is_empty())
                .map(|s| s.to_string());
            let stdout = args.iter().any(|a| a == "-O-" || a == "-qO-" || a == "-qO" || a == "-O")
                && args.iter().any(|a| a.ends_with('-'));
            let stdout = stdout || args.windows(2).any(|w| w[0].ends_with('O') && w[1] == "-");
            let quiet = flags.contains('q');
            let Some(url) = url.filter(|u| u != "-") else {
                ctx.eprint("BusyBox v1.37.0 (simulated)\n\nUsage: wget [-q] [-O FILE] URL\n");
                return Flow::Exit(1);
            };
            fetch_into(state, cid, ctx, &url, stdout, quiet, "Wget")
        }
        "ping" => {
            let count: usize = args
                .iter()
                .position(|a| a == "-c")
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(4)
                .min(20);
            let Some(host) = operands.iter().find(|o| o.parse::<usize>().is_err()).map(|s| s.to_string()) else {
                ctx.eprint("BusyBox v1.37.0 (simulated)\n\nUsage: ping [OPTIONS] HOST\n");
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
            if up {
                text.push_str("round-trip min/avg/max = 0.051/0.066/0.081 ms\n");
            }
            ctx.print(text);
            state.clock_ms += count as u64 * 1000;
            Flow::Exit(if up { 0 } else { 1 })
        }
        "nslookup" => {
            let Some(host) = operands.first().map(|s| s.to_string()) else { return Flow::Exit(1) };
            let user_net = state
                .containers
                .get(cid)
                .is_some_and(|c| c.networks.keys().any(|n| !matches!(n.as_str(), "bridge" | "host" | "none")));
            let server = if user_net { "127.0.0.11" } else { "8.8.8.8" };
            match resolve_host(state, cid, &host).map(|t| ip_of(state, &t, cid)) {
                Some(ip) => ctx.print(format!("Server:\t\t{server}\nAddress:\t{server}:53\n\nNon-authoritative answer:\nName:\t{host}\nAddress: {ip}\n\n")),
                None => {
                    ctx.print(format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n** server can't find {host}: NXDOMAIN\n\n"));
                    return Flow::Exit(1);
                }
            }
            Flow::Exit(0)
        }
        "ip" | "ifconfig" => {
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
        "df" => {
            ctx.print("Filesystem           1K-blocks      Used Available Use% Mounted on\noverlay               61202244  21443544  36617344  37% /\ntmpfs                    65536         0     65536   0% /dev\n");
            Flow::Exit(0)
        }
        "free" => {
            ctx.print("              total        used        free      shared  buff/cache   available\nMem:        8039156     1843564     4371000       12345     1824592     5911172\nSwap:             0           0           0\n");
            Flow::Exit(0)
        }
        "uptime" => {
            let started = state.containers.get(cid).and_then(|c| c.started_ms).unwrap_or(state.clock_ms);
            let mins = (state.clock_ms.saturating_sub(started)) / 60_000;
            ctx.print(format!(" up {mins} min,  load average: 0.00, 0.01, 0.05\n"));
            Flow::Exit(0)
        }
        "which" => {
            let mut code = 0;
            for o in operands {
                match state.lookup_exe(cid, o) {
                    Some(_) => {
                        let dir = if crate::catalog::APPLETS.contains(&o.as_str()) {
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
        "test" => Flow::Exit(match operands.as_slice() {
            [f, p] if f.as_str() == "-f" || f.as_str() == "-e" || f.as_str() == "-d" => {
                i32::from(state.read_node(cid, &normalize(&ctx.cwd, p)).is_none())
            }
            _ => 1,
        }),
        "vi" | "yes" => {
            ctx.eprint(format!("(simulation) {applet} is not available in the playground\n"));
            Flow::Exit(1)
        }
        other => {
            ctx.eprint(format!("{other}: applet not found\n"));
            Flow::Exit(127)
        }
    }
}

fn long_line(state: &State, cid: &str, path: &str, name: &str) -> String {
    let node = state.read_node(cid, path);
    let (mode, size, suffix) = match &node {
        Some(Node::Dir) => ("drwxr-xr-x", 4096, String::new()),
        Some(Node::Link { target }) => ("lrwxrwxrwx", target.len(), format!(" -> {target}")),
        Some(Node::File { data }) if data.starts_with("#!sim:") => ("-rwxr-xr-x", 1_187_000, String::new()),
        Some(Node::File { data }) => ("-rw-r--r--", data.len(), String::new()),
        _ => ("----------", 0, String::new()),
    };
    format!("{mode}    1 root     root     {size:>9} Jan  1 00:00 {name}{suffix}\n")
}

/// `wget`/`curl`: fetches `url` from container `cid`.
pub fn fetch_into(
    state: &mut State,
    cid: &str,
    ctx: &mut Ctx,
    url: &str,
    to_stdout: bool,
    quiet: bool,
    agent: &str,
) -> Flow {
    let Some((host, port, path)) = parse_url(url) else {
        ctx.eprint(format!("wget: not an http or ftp url: {url}\n"));
        return Flow::Exit(1);
    };
    let Some(target) = resolve_host(state, cid, &host) else {
        ctx.eprint(format!("wget: bad address '{host}'\n"));
        return Flow::Exit(1);
    };
    let ip = ip_of(state, &target, cid);
    let client_ip = ip_of(state, cid, &target);
    if !quiet {
        ctx.eprint(format!(
            "Connecting to {host}{} ({ip}:{port})\n",
            if port == 80 { String::new() } else { format!(":{port}") }
        ));
    }
    match http_get(state, &target, port, &path, &client_ip, agent) {
        Ok((200, body)) => {
            if to_stdout {
                ctx.print(body);
            } else {
                let file = path.rsplit('/').next().filter(|f| !f.is_empty()).unwrap_or("index.html").to_string();
                let dest = normalize(&ctx.cwd, &file);
                let len = body.len();
                let _ = state.write_node(cid, &dest, Node::File { data: body });
                if !quiet {
                    ctx.eprint(format!("saving to '{file}'\n{file:<20} 100% |********************************|   {len}  0:00:00 ETA\n'{file}' saved\n"));
                }
            }
            Flow::Exit(0)
        }
        Ok((status, _)) => {
            ctx.eprint(format!("wget: server returned error: HTTP/1.1 {status} Not Found\n"));
            Flow::Exit(1)
        }
        Err(e) => {
            ctx.eprint(format!("wget: can't connect to remote host ({ip}): {e}\n"));
            Flow::Exit(1)
        }
    }
}
