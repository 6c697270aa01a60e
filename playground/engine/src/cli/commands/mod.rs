//! The docker commands, as a table: one [`Command`] per docker command
//! holds its name and aliases (`docker ps` = `docker container ls` =
//! `docker container list`), its flags and argument counts (a
//! [`Spec`] for the generic parser), the function that
//! runs it, what it does in plain words, and what its arguments complete
//! to. Each file of this folder holds one area's slice of the table, each
//! entry next to its run function: adding a docker command is one entry in
//! one file.
//!
//! This module finds a command (by name, alias, or the management
//! command's group), parses its flags, runs it, and prints the top-level
//! help and the completions.
//!
//! Uses: the rest of `cli` (`Session`, `flags`, `format`, `out`, `sdk`,
//! `terminal`, `outcome`), the SDK, `crate::util`, `crate::transport`,
//! `crate::image` (image references); the engine's state only to complete
//! names and for the terminal's waits.

mod build_progress;
mod container;
mod container_io;
mod container_list;
mod container_run;
mod context;
mod image;
mod network;
mod prune;
mod registry;
mod swarm;
mod swarm_progress;
mod swarm_update;
mod system;
mod volume;

use super::Session;
use super::flags::{self, Parsed, Spec, parse};
use super::format::distance;
use super::out::{Out, Res};

/// What runs a command: the session, its parsed flags and arguments, where
/// it prints; its exit code.
pub(crate) type Run = fn(&mut Session, &Parsed, &mut Out) -> i32;

/// What a command's arguments complete to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Complete {
    /// The names of the current daemon's containers, images, repositories
    /// of the registry, networks and volumes.
    Objects,
    /// The contexts (`default`, `remote`).
    Contexts,
}

/// One docker command.
pub(crate) struct Command {
    /// Its name (`ps`, `network create`), usage, flags and argument counts.
    pub(crate) spec: Spec,
    /// Other names of it (`container ls`, `container list`).
    pub(crate) aliases: &'static [&'static str],
    /// What runs it.
    pub(crate) run: Run,
    /// What it does, in plain words, when the run said nothing itself.
    pub(crate) explain: Option<&'static str>,
    /// What its arguments complete to.
    pub(crate) complete: Complete,
}

/// The table, area by area.
const AREAS: &[&[Command]] = &[
    container_run::COMMANDS,
    container_io::COMMANDS,
    container_list::COMMANDS,
    container::COMMANDS,
    image::COMMANDS,
    registry::COMMANDS,
    system::COMMANDS,
    network::COMMANDS,
    volume::COMMANDS,
    swarm::COMMANDS,
    swarm_update::COMMANDS,
    context::COMMANDS,
    prune::COMMANDS,
];

/// The management commands the help and the completion list, and what
/// they manage.
const GROUPS: &[(&str, &str)] = &[
    ("container", "Manage containers"),
    ("context", "Manage contexts"),
    ("image", "Manage images"),
    ("network", "Manage networks"),
    ("node", "Manage Swarm nodes"),
    ("service", "Manage Swarm services"),
    ("swarm", "Manage Swarm"),
    ("system", "Manage Docker"),
    ("volume", "Manage volumes"),
];

/// The commands `docker --help` shows first, in its order.
const COMMON: &[&str] = &["run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "version", "info"];

/// Which command a typo is taken for when several are as close: the first
/// in this order (everyday commands first), then the table's order.
const TYPO_ORDER: &[&str] = &[
    "run",
    "create",
    "exec",
    "ps",
    "images",
    "logs",
    "start",
    "stop",
    "restart",
    "kill",
    "pause",
    "unpause",
    "rm",
    "rmi",
    "inspect",
    "top",
    "diff",
    "port",
    "stats",
    "rename",
    "wait",
    "attach",
    "commit",
    "update",
    "pull",
    "push",
    "tag",
    "build",
    "login",
    "logout",
    "history",
    "search",
    "cp",
    "version",
    "info",
    "events",
    "network",
    "volume",
    "system",
    "container",
    "image",
    "context",
];

/// Every command.
pub(crate) fn all() -> impl Iterator<Item = &'static Command> {
    AREAS.iter().flat_map(|area| area.iter())
}

/// The command of this name (`ps`, `network ls`), aliases not included.
fn by_name(name: &str) -> Option<&'static Command> {
    all().find(|c| c.spec.name == name)
}

/// The command of this name or alias (`container ls`).
fn find(name: &str) -> Option<&'static Command> {
    all().find(|c| c.spec.name == name || c.aliases.contains(&name))
}

/// The spec of the command `words` (after `docker` and its global
/// options) name, and how many words its name took (`container exec`: 2).
pub(crate) fn spec_of(words: &[String]) -> Option<(&'static Spec, usize)> {
    if words.is_empty() {
        return None;
    }
    match lookup(words) {
        Found::Command(c, rest) => Some((&c.spec, words.len() - rest.len())),
        _ => None,
    }
}

/// Whether `word` is a management command (`builder` too, which the help
/// does not list).
fn is_group(word: &str) -> bool {
    word == "builder" || GROUPS.iter().any(|(g, _)| *g == word)
}

/// What the words of a docker command name.
enum Found<'w> {
    /// A command, and the words after its name.
    Command(&'static Command, &'w [String]),
    /// A management command without its subcommand.
    GroupUsage,
    /// No command: the name as the CLI reports it.
    Unknown(String),
}

/// Finds the command `words` (after `docker` and its global options) name.
fn lookup(words: &[String]) -> Found<'_> {
    let first = words[0].as_str();
    if !is_group(first) {
        return match find(first) {
            Some(c) => Found::Command(c, &words[1..]),
            None => Found::Unknown(first.to_string()),
        };
    }
    let Some(sub) = words.get(1) else { return Found::GroupUsage };
    if let Some(c) = find(&format!("{first} {sub}")) {
        return Found::Command(c, &words[2..]);
    }
    let sub = match sub.as_str() {
        "list" => "ls",
        "remove" => "rm",
        s => s,
    };
    if matches!(first, "container" | "image") {
        // `container X` and `image X` run any top-level X, as they always
        // did here (`docker image ps` too, which the real CLI refuses).
        return match by_name(sub).filter(|c| !c.spec.name.contains(' ')) {
            Some(c) => Found::Command(c, &words[2..]),
            None => Found::Unknown(sub.to_string()),
        };
    }
    Found::Unknown(format!("{first} {sub}"))
}

impl Session {
    /// Runs `docker WORDS...` (after the global options): finds the command,
    /// parses its flags, runs it.
    pub(crate) fn command(&mut self, words: &[String], out: &mut Out) -> Res {
        let Some(first) = words.first() else {
            out.out(top_help());
            return Ok(0);
        };
        let (command, rest) = match lookup(words) {
            Found::Command(c, rest) => (c, rest),
            Found::GroupUsage => {
                out.err(format!("\nUsage:  docker {first} COMMAND\n\nManage {first}s\n\nRun 'docker {first} COMMAND --help' for more information on a command.\n"));
                return Err(0);
            }
            Found::Unknown(name) => return Err(unknown(&name, words, out)),
        };
        let spec = &command.spec;
        let parsed = match parse(spec, rest) {
            Ok(p) => p,
            Err(e) => {
                out.err(e.message);
                out.explain(e.explanation);
                out.suggestion = Some(format!("docker {} --help", spec.name));
                return Err(e.code);
            }
        };
        if parsed.has("help") {
            out.out(flags::help(spec));
            return Ok(0);
        }
        self.ping();
        let code = (command.run)(self, &parsed, out);
        // The command's explanation says what it does when it works; a
        // failure is explained by its error (an invalid name is no success).
        if out.explanation.is_none() && code == 0 {
            out.explanation = command.explain.map(|e| self.answered_by(e));
        }
        Ok(code)
    }
}

impl Session {
    /// A command's note, naming the daemon that answered when it is not
    /// the learner's own (`docker -H remote ps`: "the daemon lists its
    /// containers" did not say which).
    fn answered_by(&self, explain: &str) -> String {
        let current = self.current();
        if current == 0 {
            return explain.to_string();
        }
        let name = &self.daemons[current].name;
        format!(
            "{explain} The daemon that answered is {name}'s (the remote one: -H or the context sent the request there), not your own: each daemon has its own containers and images."
        )
    }
}

/// The images of the simulated registry, as a learner may type one for a
/// command (`docker hello-world`).
const CATALOG_IMAGES: &[&str] = &["hello-world", "busybox", "alpine", "ubuntu", "nginx", "redis", "python"];

/// `docker NAME` for a command that does not exist: the CLI's error, and
/// the closest command when a typo is likely.
fn unknown(name: &str, words: &[String], out: &mut Out) -> i32 {
    let shown = if name.contains(' ') { name.to_string() } else { words[0].clone() };
    out.err(format!("docker: unknown command: docker {shown}\n\nRun 'docker --help' for more information\n"));
    if name == "compose" || name.starts_with("compose ") {
        out.explain("docker compose is a plugin: it reads a compose.yaml and creates the networks, volumes and containers it lists. The playground does not simulate it; create each part yourself (docker network create, then docker run -d --network NET for each service).");
        out.suggestion = Some("docker network create app".into());
        return 1;
    }
    if CATALOG_IMAGES.contains(&name) {
        out.explain(format!(
            "`{name}` is an image, not a docker command: docker run IMAGE creates a container from it and starts it."
        ));
        out.suggestion = Some(format!("docker run {name}"));
        return 1;
    }
    let candidates = TYPO_ORDER.iter().copied().chain(all().map(|c| c.spec.name));
    let best = candidates.min_by_key(|c| distance(c, name));
    if let Some(b) = best.filter(|b| distance(b, name) <= 2) {
        out.suggestion = Some(format!("docker {b}"));
        out.explain(format!("`{name}` is not a docker command. Did you mean `docker {b}`?"));
    } else {
        out.explain("`docker --help` lists the commands. The everyday ones: run, ps, images, logs, exec, stop, rm, build, pull, push.");
    }
    1
}

/// `docker --help`.
pub(crate) fn top_help() -> String {
    let mut s = String::from(
        "\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers (simulated)\n\nCommon Commands:\n",
    );
    for c in COMMON {
        let about = by_name(c).map(|c| c.spec.about).unwrap_or("");
        s.push_str(&format!("  {c:<11} {about}\n"));
    }
    s.push_str("\nManagement Commands:\n");
    for (group, about) in GROUPS {
        s.push_str(&format!("  {group:<11} {about}\n"));
    }
    s.push_str("\nGlobal Options:\n  -c, --context string   Name of the context to use to connect to the daemon\n  -H, --host string      Daemon socket to connect to\n\nRun 'docker COMMAND --help' for more information on a command.\n");
    s
}

/// Completions for a partly typed line: commands, subcommands, flags, and
/// what the command's arguments are.
pub(crate) fn complete(session: &Session, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let partial = if line.ends_with(' ') { "" } else { words.last().copied().unwrap_or("") };
    let done = if line.ends_with(' ') { words.len() } else { words.len().saturating_sub(1) };
    let mut cands: Vec<String> = match done {
        0 => vec!["docker".into(), "curl".into(), "ls".into(), "cat".into()],
        1 if words.first() == Some(&"docker") => {
            let top = all().map(|c| c.spec.name).filter(|n| !n.contains(' '));
            top.chain(GROUPS.iter().map(|(g, _)| *g)).map(String::from).collect()
        }
        2 if GROUPS.iter().any(|(g, _)| Some(g) == words.get(1)) => {
            let prefix = format!("{} ", words[1]);
            all().filter_map(|c| c.spec.name.strip_prefix(&prefix)).map(String::from).collect()
        }
        _ if partial.starts_with('-') => by_name(words.get(1).copied().unwrap_or(""))
            .map(|c| c.spec.flags.iter().map(|f| format!("--{}", f.0)).collect())
            .unwrap_or_default(),
        _ => {
            let typed: Vec<String> = words[1..done].iter().map(|w| w.to_string()).collect();
            let kind = match typed.first().map(|_| lookup(&typed)) {
                Some(Found::Command(c, _)) => c.complete,
                _ => Complete::Objects,
            };
            arguments(session, kind)
        }
    };
    cands.retain(|c| c.starts_with(partial));
    cands.sort();
    cands.dedup();
    cands
}

/// What arguments of `kind` can be, on the current daemon.
fn arguments(session: &Session, kind: Complete) -> Vec<String> {
    match kind {
        Complete::Contexts => vec!["default".into(), "remote".into()],
        Complete::Objects => session.current_engine().with_state(|st| {
            let mut v: Vec<String> = st.containers.values().map(|c| c.name.clone()).collect();
            v.extend(st.tags.keys().map(|t| t.trim_end_matches(":latest").to_string()));
            v.extend(st.registry.repos.keys().cloned());
            v.extend(st.networks.values().map(|n| n.name.clone()));
            v.extend(st.volumes.keys().filter(|k| k.len() < 40).cloned());
            v
        }),
    }
}

/// `KEY=VALUE` flags (`--label`, `--filter`) as pairs; a bare `KEY` has
/// an empty value.
pub(crate) fn key_values(list: &[String]) -> Vec<(String, String)> {
    list.iter()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap_or((l, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// A map as `k=v,k2=v2`, sorted by key (the daemon's maps have no order).
pub(crate) fn sorted_pairs(map: &std::collections::HashMap<String, String>) -> String {
    let mut pairs: Vec<(&String, &String)> = map.iter().collect();
    crate::util::sort_with(&mut pairs, &|a, b| a.0.cmp(b.0));
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// A time of the API as milliseconds since the epoch (0 when unknown).
pub(crate) fn unix_ms(t: Option<dockhand::Timestamp>) -> u64 {
    t.map(|t| u64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)).unwrap_or(0)
}

/// Seconds since the epoch as a time for the SDK's options.
pub(crate) fn datetime(secs: u64) -> Option<dockhand::Timestamp> {
    dockhand::Timestamp::from_unix_timestamp(i64::try_from(secs).ok()?)
}

/// A `--since`/`--until` value: a duration back from `now` (`10m`, `30s`,
/// `2h`) or seconds since the epoch.
pub(crate) fn parse_time(s: &str, now: u64) -> Option<u64> {
    let back = |n: &str, unit: u64| n.parse::<u64>().ok().map(|d| now.saturating_sub(d.saturating_mul(unit)));
    if let Some(n) = s.strip_suffix('m') {
        return back(n, 60);
    }
    if let Some(n) = s.strip_suffix('s') {
        return back(n, 1);
    }
    if let Some(n) = s.strip_suffix('h') {
        return back(n, 3600);
    }
    s.parse().ok()
}

pub(crate) fn bin_size(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < units.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    // Five characters at most, trailing zeros trimmed: `7.667GiB`, `512KiB`.
    let text = format!("{v:.4}");
    let text: String = text.trim_end_matches('0').trim_end_matches('.').chars().take(5).collect();
    text.trim_end_matches('.').to_string() + units[u]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each name and alias is one command's, and finds it.
    #[test]
    fn names_and_aliases_find_their_command() {
        let mut seen = std::collections::BTreeSet::new();
        for c in all() {
            for name in std::iter::once(&c.spec.name).chain(c.aliases) {
                assert!(seen.insert(*name), "`{name}` names two commands");
                let words: Vec<String> = name.split(' ').map(String::from).collect();
                let found = matches!(lookup(&words), Found::Command(f, rest) if std::ptr::eq(f, c) && rest.is_empty());
                assert!(found, "`docker {name}` does not find its command");
            }
            if let Some((group, _)) = c.spec.name.split_once(' ') {
                assert!(is_group(group), "`{}` is in no management command", c.spec.name);
            }
        }
    }
}
