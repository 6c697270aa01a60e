//! The redis stand-in: `redis-server` and `redis-cli`.

use std::collections::BTreeMap;

use super::http::resolve_host;
use super::{Ctx, Flow};
use crate::state::{Node, Program, State, Status};

pub(crate) fn redis_server(state: &mut State, cid: &str, ctx: &mut Ctx, _args: &[String]) -> Flow {
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

pub(crate) fn redis_cli(state: &mut State, cid: &str, ctx: &mut Ctx, args: &[String]) -> Flow {
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
