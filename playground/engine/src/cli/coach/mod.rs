//! Coaching after a slip: notes that read the line the learner typed and
//! what the daemons hold, where `teach_error` (in `out`) has only the
//! daemon's message. It names the likely slip and suggests the line
//! corrected: an image's name where a container's goes, the container after
//! the command (`docker exec ps web`), `-name` for `--name`, `-H` after the
//! command, a tag this daemon does not have, an image only the local daemon
//! has, a word split by a space, a shell builtin run as a program, the name
//! a failed run kept, a missing build context (issue 19's second walk); a
//! container's name run as an image, a command read as the image, `docker
//! commit` with its arguments swapped (the sixth walk).

mod image;

use super::Session;
use super::commands::spec_of;
use super::flags::{Flag, Spec};
use super::out::{Fix, Out, Redo};
use crate::state::{State, Status};
use crate::util::shell_words;

/// docker's own options that take a value (before the command).
const GLOBAL_WITH_VALUE: &[&str] = &["-H", "--host", "-c", "--context", "-l", "--log-level", "--config"];

/// Shell words that are no program: a container cannot exec them.
const BUILTINS: &[&str] = &["exit", "cd", "export", "source", "alias", "set", "ulimit", "umask", "unset"];

/// A docker command line, split.
struct Line {
    words: Vec<String>,
    /// Where the command's name starts (`run`), after docker's options.
    cmd: usize,
    /// Where its arguments start (after `run`, `container exec`).
    rest: usize,
    spec: &'static Spec,
    /// Whether `-H`/`--context` sent it to the remote daemon.
    remote: Option<bool>,
}

impl Line {
    fn parse(line: &str) -> Option<Line> {
        let words = shell_words(line).ok()?;
        if words.first().map(String::as_str) != Some("docker") {
            return None;
        }
        let (mut i, mut remote) = (1, None);
        while i < words.len() && words[i].starts_with('-') {
            let (name, inline) = match words[i].split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (words[i].as_str(), None),
            };
            if GLOBAL_WITH_VALUE.contains(&name) {
                let value = inline.or_else(|| {
                    i += 1;
                    words.get(i).cloned()
                });
                if matches!(name, "-H" | "--host" | "-c" | "--context") {
                    remote = Some(value.unwrap_or_default().contains("remote"));
                }
            }
            i += 1;
        }
        let (spec, taken) = spec_of(words.get(i..)?)?;
        Some(Line { cmd: i, rest: i + taken, spec, remote, words })
    }

    /// The command's name as typed (`run`, `container exec`).
    fn name(&self) -> String {
        self.words[self.cmd..self.rest].join(" ")
    }

    /// The indices of the positional arguments (container, image, command).
    fn positionals(&self) -> Vec<usize> {
        let flag = |f: &dyn Fn(&Flag) -> bool| self.spec.flags.iter().any(f);
        let (mut out, mut i, mut done) = (Vec::new(), self.rest, false);
        while i < self.words.len() {
            let a = self.words[i].as_str();
            i += 1;
            if done || a == "-" || !a.starts_with('-') {
                out.push(i - 1);
                done |= !self.spec.interspersed;
            } else if a == "--" {
                done = true;
            } else if let Some(long) = a.strip_prefix("--") {
                if !long.contains('=') && flag(&|f| f.0 == long && f.2) {
                    i += 1;
                }
            } else {
                let shorts: Vec<char> = a[1..].chars().collect();
                if let Some(j) = shorts.iter().position(|c| flag(&|f| f.1 == Some(*c) && f.2))
                    && j + 1 == shorts.len()
                {
                    i += 1;
                }
            }
        }
        out
    }

    /// The line with word `i` replaced by `with` (or removed).
    fn replaced(&self, i: usize, with: &[&str]) -> String {
        let mut words: Vec<String> = self.words.clone();
        words.splice(i..=i, with.iter().map(|w| w.to_string()));
        join(&words)
    }

    /// The value of `--name` (or `--name=`).
    fn name_flag(&self) -> Option<String> {
        let w = &self.words;
        (self.rest..w.len()).find_map(|i| match w[i].strip_prefix("--name") {
            Some("") => w.get(i + 1).cloned(),
            Some(v) => v.strip_prefix('=').map(String::from),
            None => None,
        })
    }
}

/// Words back into a line, quoting those the shell would split.
pub(crate) fn join(words: &[String]) -> String {
    let plain = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@,%+".contains(c));
    words.iter().map(|w| if plain(w) { w.clone() } else { crate::programs::quote(w) }).collect::<Vec<_>>().join(" ")
}

/// `docker exec box echo hi > /tmp/notes.txt`: the host's shell took the
/// redirect, not the container's. The line with the redirect given to a
/// shell in the container: `docker exec box sh -c 'echo hi > /tmp/notes.txt'`.
pub(crate) fn redirect_inside(line: &str, file: &str, append: bool) -> Option<String> {
    let l = Line::parse(line)?;
    if !matches!(l.spec.name, "exec" | "run") {
        return None;
    }
    // The command is the second positional of run and exec alike.
    let at = *l.positionals().get(1)?;
    let op = if append { ">>" } else { ">" };
    let script = format!("{} {op} {file}", join(&l.words[at..]));
    let mut words = l.words[..at].to_vec();
    words.extend(["sh".to_string(), "-c".to_string(), script]);
    Some(join(&words))
}

/// `nginx` and `nginx:latest` alike.
fn full_ref(r: &str) -> String {
    let last = r.rsplit('/').next().unwrap_or(r);
    if last.contains(':') || r.contains('@') { r.to_string() } else { format!("{r}:latest") }
}

/// The repository of a reference (`notes` of `notes:1`).
fn repo_of(r: &str) -> &str {
    match r.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => r,
    }
}

/// The text between the first pair of `quote`s after `after` in `s`.
fn quoted_after<'a>(s: &'a str, after: &str, quote: char) -> Option<&'a str> {
    let rest = &s[s.find(after)? + after.len()..];
    let start = rest.find(quote)? + 1;
    let end = rest[start..].find(quote)? + start;
    Some(&rest[start..end])
}

/// The containers' names, running ones first.
fn names(st: &State, pick: impl Fn(&crate::state::Container) -> bool) -> Vec<String> {
    let mut found: Vec<_> = st.containers.values().filter(|c| pick(c)).collect();
    found.sort_by_key(|c| (c.status != Status::Running, c.created_ms));
    found.into_iter().map(|c| c.name.clone()).collect()
}

type Note = (String, Option<String>);

impl Session {
    /// Replaces the note (and suggestion) of a command that failed when the
    /// line shows a likelier cause than the daemon's message alone.
    pub(crate) fn coach(&self, line: &str, code: i32, out: &mut Out) {
        let parsed = Line::parse(line);
        for Redo { written, fix } in std::mem::take(&mut out.redo) {
            if let Some(fixed) = parsed.as_ref().and_then(|l| redone(l, &fix))
                && let Some(said) = out.explanation.as_mut()
            {
                *said = said.replace(&written, &fixed);
            }
        }
        let Some(l) = parsed else { return };
        // `docker run -d IMAGE --name x` succeeds, and its container ends at once.
        // `service create` printed the new service's id (25 characters) first.
        let created = out.stdout.lines().next().is_some_and(|id| id.len() == 25);
        let ordered = order_note(&l, code, created);
        let misplaced = ordered.is_some();
        if code == 0 && ordered.is_none() {
            return;
        }
        let remote = l.remote.unwrap_or(self.current() == 1);
        let engine = if remote { self.remote_engine() } else { self.engine() };
        let local_tags: Vec<String> = self.engine().with_state(|st| st.tags.keys().cloned().collect());
        let err = out.stderr.clone();
        // A project with a Dockerfile builds its own images: a name that
        // exists nowhere is one to build there (not from the remote).
        let dockerfile = !remote && self.files().contains_key("Dockerfile");
        let missing = missing_image(&l, &err);
        use image::{
            build_note, command_image_note, container_image_note, image_note, manifest_note, missing_image, split_note,
            typo_note,
        };
        let note = ordered.map(|n| (n, false)).or_else(|| {
            engine.with_state(|st| {
                flag_note(&l, &err)
                    .or_else(|| container_note(&l, st, &err))
                    .or_else(|| manifest_note(&l, st, &err))
                    .or_else(|| {
                        let m = missing.as_ref()?;
                        container_image_note(&l, st, m)
                            .or_else(|| command_image_note(&l, st, m))
                            .or_else(|| image_note(&l, st, m, remote, &local_tags))
                    })
                    .map(|n| (n, false))
                    .or_else(|| missing.as_ref().and_then(|m| typo_note(&l, st, m, dockerfile)).map(|n| (n, true)))
                    .or_else(|| {
                        missing
                            .as_ref()
                            .and_then(|m| split_note(&l, st, m).or_else(|| build_note(&l, st, m, dockerfile)))
                            .or_else(|| exec_note(&l, &err))
                            .or_else(|| args_note(&l, st, &err))
                            .map(|n| (n, false))
                    })
            })
        });
        if let Some(((explanation, suggestion), misspelled)) = note {
            out.explanation = Some(explanation);
            out.suggestion = suggestion;
            out.misspelled = misspelled;
        }
        if let Some((said, fixed)) = engine.with_state(|st| short_name_and_command(&l, st, &err)) {
            // `docker run --name x echo hi`: the image forgotten is the
            // bigger slip; the one line suggested fixes both.
            out.explanation = Some(said);
            out.suggestion = fixed;
            out.misspelled = false;
        } else if let Some(fixed) = renamed(&l, &err) {
            out.suggestion = Some(fixed);
            // A name the daemon refuses is a name typo: it does not count.
            out.misspelled = true;
        }
        // The daemon's messages may name a container by its id: suggest
        // its name, as the learner typed it.
        if let Some(sug) = out.suggestion.as_mut() {
            engine.with_state(|st| {
                for c in st.containers.values() {
                    if sug.contains(&c.id) {
                        *sug = sug.replace(&c.id, &c.name);
                    }
                }
            });
        }
        if let Some((said, sug)) = engine.with_state(|st| service_note(&l, st, &err, misplaced)) {
            out.explanation = Some(match out.explanation.take() {
                Some(before) if misplaced => format!("{before} {said}"),
                _ => said,
            });
            out.suggestion = sug;
        }
        let kept = engine.with_state(|st| kept_name(&l, st, code, &err));
        if let Some(name) = kept {
            let said = out.explanation.take().unwrap_or_default();
            out.explanation = Some(format!("{said} The container {name} was created all the same (docker ps -a lists it) and keeps its name: remove it (docker rm {name}) before you use the name again.").trim_start().to_string());
            // The corrected line would meet the name: free it first.
            out.suggestion = Some(format!("docker rm {name}"));
        }
    }
}

/// The `docker run` line typed, redone with `fix`: every other option and
/// the container's command kept. `None` for another command or a line the
/// fix does not fit (it is then said as the note wrote it).
fn redone(l: &Line, fix: &Fix) -> Option<String> {
    if l.spec.name != "run" || l.words.iter().any(|w| ["|", ";", "&&", "||", ">"].contains(&w.as_str())) {
        return None;
    }
    let image = *l.positionals().first()?;
    let mut words = l.words.clone();
    match fix {
        Fix::Detach => words.insert(l.rest, "-d".into()),
        Fix::Port { host, to, listens } => {
            let mut found = false;
            for i in l.rest..image {
                let value = match words[i].as_str() {
                    "-p" | "--publish" => i + 1,
                    w if w.starts_with("--publish=") || w.starts_with("-p") && w.len() > 2 => i,
                    _ => continue,
                };
                // `80:8080`, `127.0.0.1:80:8080`, `80:8080/tcp`: the container's port is last.
                let Some((head, last)) = words.get(value).and_then(|v| v.rsplit_once(':')) else { continue };
                let (port, proto) = last.split_once('/').map_or((last, ""), |(p, t)| (p, t));
                if port == to {
                    let proto = if proto.is_empty() { String::new() } else { format!("/{proto}") };
                    // The host's port ends `head` (`80`, `127.0.0.1:80`, `-p80`).
                    let head = match host {
                        Some(h) => format!("{}{h}", head.trim_end_matches(|c: char| c.is_ascii_digit())),
                        None => head.to_string(),
                    };
                    words[value] = format!("{head}:{listens}{proto}");
                    found = true;
                    break;
                }
            }
            if !found {
                return None;
            }
        }
    }
    Some(join(&words))
}

/// `docker run --name x echo hi`: the daemon refused the name, but the
/// line also forgot the image (echo was read as one). The note says the
/// image goes before the command, and the line suggested fixes both.
fn short_name_and_command(l: &Line, st: &State, err: &str) -> Option<Note> {
    err.contains("Invalid container name (").then_some(())?;
    let at = *l.positionals().first()?;
    let (said, fixed) = image::command_image_note(l, st, &image::Missing::at(l, at))?;
    let fixed = fixed?;
    let fixed_line = Line::parse(&fixed)?;
    let fixed = renamed(&fixed_line, err).unwrap_or(fixed);
    let refused = err.split("Invalid container name (").nth(1)?.split(')').next()?;
    Some((
        format!(
            "{said} The name `{refused}` was refused too: a container name has at least two characters. Both fixed: {fixed}."
        ),
        Some(fixed),
    ))
}

/// An invalid `--name` (`a`, `my box`): the learner's line with a name
/// the daemon takes (`nginx-a`, `my-box`), not an unrelated example.
fn renamed(l: &Line, err: &str) -> Option<String> {
    let refused = err.split("Invalid container name (").nth(1)?.split(')').next()?;
    let w = &l.words;
    let (at, inline) = (l.rest..w.len()).find_map(|i| match w[i].strip_prefix("--name") {
        Some("") if w.get(i + 1).map(String::as_str) == Some(refused) => Some((i + 1, false)),
        Some(v) if v.strip_prefix('=') == Some(refused) => Some((i, true)),
        _ => None,
    })?;
    let clean: String =
        refused.chars().map(|c| if c.is_ascii_alphanumeric() || "_.-".contains(c) { c } else { '-' }).collect();
    let mut name = clean.trim_matches(|c: char| !c.is_ascii_alphanumeric()).to_string();
    if name.chars().count() < 2 {
        let image = l.positionals().first().map(|&i| w[i].as_str()).unwrap_or("box");
        let base = image.rsplit('/').next().unwrap_or(image).split([':', '@']).next().unwrap_or("box");
        name = if name.is_empty() { base.to_string() } else { format!("{base}-{name}") };
    }
    let value = if inline { format!("--name={name}") } else { name };
    Some(l.replaced(at, &[&value]))
}

/// Whether `word` is one of the command's own options (`--name`, `-p`,
/// `-it`, `--name=web`), and whether it takes the next word as its value.
fn option_of(spec: &Spec, word: &str) -> Option<bool> {
    let (name, inline) = match word.split_once('=') {
        Some((n, _)) => (n, true),
        None => (word, false),
    };
    if let Some(long) = name.strip_prefix("--") {
        let f = spec.flags.iter().find(|f| f.0 == long)?;
        return Some(f.2 && !inline);
    }
    let shorts: Vec<char> = name.strip_prefix('-')?.chars().collect();
    if shorts.is_empty() || inline {
        return None;
    }
    for (j, c) in shorts.iter().enumerate() {
        let f = spec.flags.iter().find(|f| f.1 == Some(*c))?;
        if f.2 {
            // `-p8080:80` has its value inline.
            return Some(j + 1 == shorts.len());
        }
    }
    Some(false)
}

/// Docker's own options after the image (`docker run -d nginx --name web2`,
/// `docker service create nginx -p 80:80`): everything after the image is
/// the command the container runs, so they went to it as a program to run
/// (exit code 127). The line with them moved before the image.
fn order_note(l: &Line, code: i32, created: bool) -> Option<Note> {
    let service = l.spec.name == "service create";
    // Only a line docker ran: its flags parsed, the command failed (or ran
    // detached); a service's tasks fail after the create succeeded.
    let ran = if service { created } else { matches!(code, 0 | 126 | 127) };
    if !matches!(l.spec.name, "run" | "create") && !service || !ran {
        return None;
    }
    let image = *l.positionals().first()?;
    let w = &l.words;
    let mut end = image + 1;
    while let Some(takes) = w.get(end).and_then(|word| option_of(l.spec, word)) {
        end += if takes { 2 } else { 1 };
    }
    let end = end.min(w.len());
    if end == image + 1 {
        return None;
    }
    let moved = join(&w[image + 1..end]);
    let mut fixed: Vec<String> = w[..image].to_vec();
    fixed.extend(w[image + 1..end].iter().cloned());
    fixed.push(w[image].clone());
    fixed.extend(w[end..].iter().cloned());
    let fixed = join(&fixed);
    let cmd = l.name();
    let what = if service {
        "so each task's container tried to run it as a program, found none (exit code 127) and failed, and the swarm keeps starting new ones"
    } else if l.spec.name == "create" || code == 0 && !l.words.iter().any(|w| w == "-d" || w == "--detach") {
        "so the container would try to run it as a program, and find none (exit code 127)"
    } else {
        "so the container tried to run it as a program, found none and ended at once (exit code 127): docker ps does not list it"
    };
    let first = w[image + 1].split('=').next().unwrap_or_default();
    Some((
        format!(
            "`{first}` came after the image `{}`. Everything after the image is the command the container runs (here `{moved}`), {what}. docker reads its own options only before the image (docker {cmd} [OPTIONS] IMAGE [COMMAND]): move them there: {fixed}.",
            w[image]
        ),
        Some(fixed),
    ))
}

/// `-name` for `--name`; `-H` after the command.
fn flag_note(l: &Line, err: &str) -> Option<Note> {
    let first = err.lines().next()?;
    let word = if first.starts_with("unknown shorthand flag: ") {
        first.rsplit(" in ").next()?
    } else {
        first.strip_prefix("unknown flag: ")?
    };
    let i = (l.rest..l.words.len()).find(|&i| l.words[i] == word)?;
    let name = word.split('=').next().unwrap_or(word);
    let cmd = l.name();
    if matches!(name, "-H" | "--host" | "-c" | "--context") {
        let mut words = l.words.clone();
        let take = if word.contains('=') || i + 1 >= words.len() { 1 } else { 2 };
        let moved: Vec<String> = words.drain(i..i + take).collect();
        words.splice(1..1, moved);
        return Some((
            format!(
                "`{name}` says which daemon to talk to, so it is an option of docker itself, not of `docker {cmd}`: it goes between `docker` and the command."
            ),
            Some(join(&words)),
        ));
    }
    let long = name.strip_prefix('-').filter(|n| n.len() > 1 && !n.starts_with('-'))?;
    l.spec.flags.iter().find(|f| f.0 == long)?;
    let letters: Vec<String> = long.chars().map(|c| format!("-{c}")).collect();
    Some((
        format!(
            "Long options take two dashes: --{long}. With one dash, {word} reads as the one-letter options {}, and `docker {cmd}` has no {}.",
            letters.join(" "),
            first.split('\'').nth(1).map(|c| format!("-{c}")).unwrap_or_default()
        ),
        Some(l.replaced(i, &[&format!("-{word}")])),
    ))
}

/// "No such container: X" where X is an image's name, or the command came
/// before the container (`docker exec ps web`).
fn container_note(l: &Line, st: &State, err: &str) -> Option<Note> {
    let missing = err.split("No such container: ").nth(1)?.lines().next()?.trim();
    let pos = l.positionals();
    let at = *pos.iter().find(|&&i| l.words[i] == missing)?;
    let is_container = |n: &str| st.containers.values().any(|c| c.name == n);
    // `docker exec ps web`, `docker commit notes:1 box`: the container
    // comes first.
    if matches!(l.spec.name, "exec" | "commit")
        && pos.first() == Some(&at)
        && let Some(&next) = pos.get(1)
        && is_container(&l.words[next])
    {
        let mut words = l.words.clone();
        words.swap(at, next);
        let fixed = join(&words);
        let why = if l.spec.name == "exec" {
            format!(
                "`docker exec` takes the container first, then the command to run in it (docker exec CONTAINER COMMAND): here docker looked for a container called `{missing}`."
            )
        } else {
            format!("docker commit takes the container first, then the new image's name: {fixed}.")
        };
        return Some((why, Some(fixed)));
    }
    let made = names(st, |c| c.image_ref == missing || full_ref(&c.image_ref) == full_ref(missing));
    let first = made.first()?;
    Some((
        format!(
            "`{missing}` is an image. A container made from it has a name of its own (the NAMES column of `docker ps`): here {}.",
            made.join(", ")
        ),
        Some(l.replaced(at, &[first])),
    ))
}

/// A shell builtin or bash where the image has none.
fn exec_note(l: &Line, err: &str) -> Option<Note> {
    let program = quoted_after(err, "exec: ", '"')?;
    // The command is the second positional of run and exec alike.
    let at = *l.positionals().get(1).filter(|&&i| l.words[i] == program)?;
    if program == "bash" {
        return Some((
            "This image has no bash. Images built on busybox or alpine have sh, a smaller shell: it reads the same commands.".into(),
            Some(l.replaced(at, &["sh"])),
        ));
    }
    if !BUILTINS.contains(&program) {
        return None;
    }
    let script = l.words[at..].join(" ");
    let mut words = l.words[..at].to_vec();
    words.extend(["sh".to_string(), "-c".to_string(), script.clone()]);
    Some((
        format!(
            "`{program}` is not a program but a word of the shell (a builtin), so the image has no file by that name to run. Run it through a shell: sh -c '{script}'."
        ),
        Some(join(&words)),
    ))
}

/// A missing build context; a container to name.
fn args_note(l: &Line, st: &State, err: &str) -> Option<Note> {
    if !err.contains(&format!("'docker {}' requires", l.spec.name)) {
        return None;
    }
    let pos = l.positionals();
    if l.spec.name == "build" && pos.is_empty() {
        return Some((
            "The build context is missing: docker build's last argument is the directory whose files (the Dockerfile among them) go to the daemon. `.` is the current directory, the project here.".into(),
            Some(format!("{} .", join(&l.words))),
        ));
    }
    if !l.spec.usage.contains("CONTAINER") {
        return None;
    }
    let all = names(st, |_| true);
    if l.spec.name == "exec"
        && let Some(&c) = pos.first()
    {
        let name = &l.words[c];
        return Some((
            format!(
                "After the container, say what to run in it: a command (docker exec {name} ps), or a shell to type in (docker exec -it {name} sh)."
            ),
            Some(format!("docker exec -it {name} sh")),
        ));
    }
    let name = all.first()?;
    Some((
        format!(
            "The usage is `docker {}`: say which container. Yours: {} (docker ps -a).",
            l.spec.usage,
            all.join(", ")
        ),
        pos.is_empty().then(|| format!("{} {name}", join(&l.words))),
    ))
}

/// `docker service create --name N` where a service N exists: the one
/// this line made (with a wrong command), or an older one (a name
/// conflict). Either way: change it with `service update`, or remove it.
fn service_note(l: &Line, st: &State, err: &str, misplaced: bool) -> Option<Note> {
    if l.spec.name != "service create" {
        return None;
    }
    let name = l.name_flag()?;
    let services = &st.swarm.as_ref()?.services;
    services.values().find(|s| s.spec.get("Name").and_then(|n| n.as_str()) == Some(name.as_str()))?;
    let said = if err.contains("already exists") {
        format!(
            "A service {name} already exists: change it with docker service update (its replicas, image, ports: --replicas, --image, --publish-add, --publish-rm), or remove it with docker service rm {name}, then create it again."
        )
    } else if misplaced {
        format!(
            "The service {name} was created all the same and keeps its name: remove it (docker service rm {name}) before you create it again."
        )
    } else {
        return None;
    };
    Some((said, Some(format!("docker service rm {name}"))))
}

/// The name a `docker run --name N` kept though its command could not run
/// (126/127: no such program, a docker option after the image).
fn kept_name(l: &Line, st: &State, code: i32, err: &str) -> Option<String> {
    // 126/127: the command could not run; a taken host port fails the start
    // (125) after the create, as dockerd's does.
    let failed_start = matches!(code, 126 | 127) || (code == 125 && err.contains("port is already allocated"));
    if l.spec.name != "run" || !failed_start || l.words.iter().any(|w| w == "--rm") {
        return None;
    }
    let name = l.name_flag()?;
    st.containers.values().any(|c| c.name == name && c.status != Status::Running).then_some(name)
}
