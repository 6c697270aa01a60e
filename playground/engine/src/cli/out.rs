//! What a command prints: [`Out`] collects stdout, stderr, the
//! explanation and the suggestion; helpers print rows, a process's output,
//! and teach what a daemon error means.

use dockhand::stream::{Output, StdStream};
use serde_json::Value;

use super::flags::Parsed;
use super::format::{distance, format_rows};
use super::outcome::Change;

#[derive(Default)]
pub(crate) struct Out {
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// Where each piece of stderr was printed: how long stdout was then,
    /// and how long stderr is after it (so the two interleave as a
    /// terminal shows them: the pull's progress before the container's
    /// output), and whether that piece was progress (a pull's lines).
    stderr_marks: Vec<(usize, usize, bool)>,
    pub(crate) explanation: Option<String>,
    pub(crate) suggestion: Option<String>,
    pub(crate) refused: Vec<Change>,
    /// Whether the line misspelled an image's name (the coach's "Did you
    /// mean"): see [`Outcome::misspelled`](super::Outcome::misspelled).
    pub(crate) misspelled: bool,
    /// A note that ends with the learner's line redone: the coach, which
    /// has the line, rewrites it keeping every option and the command.
    pub(crate) redo: Vec<Redo>,
}

/// The line a note says to run again, as the command could write it (its
/// name, image and the fix alone), and the fix the coach makes to the
/// line typed, which keeps every other option and the container's command.
pub(crate) struct Redo {
    /// The line as written in the note, replaced by the learner's own fixed.
    pub(crate) written: String,
    pub(crate) fix: Fix,
}

/// What a redone `docker run` line changes.
pub(crate) enum Fix {
    /// `-d` before the image.
    Detach,
    /// The published port `HOST:to` goes to `listens` in the container
    /// (and the host's port to `host`, when set).
    Port { host: Option<String>, to: String, listens: String },
}

impl Out {
    pub(crate) fn out(&mut self, s: impl AsRef<str>) {
        self.stdout.push_str(s.as_ref());
    }
    pub(crate) fn line(&mut self, s: impl AsRef<str>) {
        self.stdout.push_str(s.as_ref());
        self.stdout.push('\n');
    }
    pub(crate) fn err(&mut self, s: impl AsRef<str>) {
        self.err_piece(s.as_ref(), false);
    }

    /// Progress the CLI writes to stderr (`docker run`'s pull: "Unable to
    /// find image", "Pull complete"): stderr, but no error whatever the
    /// exit code (the page shows it as progress).
    pub(crate) fn progress(&mut self, s: impl AsRef<str>) {
        self.err_piece(s.as_ref(), true);
    }

    fn err_piece(&mut self, s: &str, progress: bool) {
        if s.is_empty() {
            return;
        }
        self.stderr.push_str(s);
        self.stderr_marks.push((self.stdout.len(), self.stderr.len(), progress));
    }

    /// Prints what `inner` (a command run on the side) printed, in its order.
    pub(crate) fn append(&mut self, inner: Out) {
        let (o, e) = (self.stdout.len(), self.stderr.len());
        self.stdout.push_str(&inner.stdout);
        self.stderr.push_str(&inner.stderr);
        self.stderr_marks.extend(inner.stderr_marks.iter().map(|&(so, se, p)| (o + so, e + se, p)));
    }

    /// stdout and stderr interleaved in the order they were printed, as
    /// pieces of one stream or the other (`true`: stderr), each with
    /// whether it is progress (see [`Out::progress`]).
    pub(crate) fn printed(&self) -> Vec<(bool, bool, String)> {
        let mut pieces: Vec<(bool, bool, String)> = Vec::new();
        let mut push = |err: bool, progress: bool, text: &str| match pieces.last_mut() {
            _ if text.is_empty() => {}
            Some((e, p, t)) if *e == err && *p == progress => t.push_str(text),
            _ => pieces.push((err, progress, text.to_string())),
        };
        let (mut so, mut se) = (0, 0);
        // Marks past what is left of stdout (a pipe took it, a prompt was
        // cut off) hold at its end.
        let boundary = |s: &str, mut i: usize| {
            i = i.min(s.len());
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        for &(o, e, progress) in &self.stderr_marks {
            let o = boundary(&self.stdout, o).max(so);
            let e = boundary(&self.stderr, e).max(se);
            push(false, false, &self.stdout[so..o]);
            push(true, progress, &self.stderr[se..e]);
            (so, se) = (o, e);
        }
        push(false, false, &self.stdout[so..]);
        push(true, false, &self.stderr[se..]);
        pieces
    }
    pub(crate) fn explain(&mut self, s: impl Into<String>) {
        if self.explanation.is_none() {
            self.explanation = Some(s.into());
        }
    }
}

pub(crate) type Res = Result<i32, i32>;

/// Prints list `rows`: their `key` column with `--quiet`, else through
/// `--format` (each row a struct of Go type `go_type` to the CLI) or as the
/// table of `header`; 1 for a bad format.
pub(crate) fn print_rows(
    p: &Parsed,
    key: &str,
    header: &[(&str, &str)],
    rows: &[Value],
    go_type: &'static str,
    out: &mut Out,
) -> i32 {
    if p.has("quiet") {
        for r in rows {
            out.line(r[key].as_str().unwrap_or(""));
        }
        return 0;
    }
    match format_rows(p.val("format").unwrap_or("table"), header, rows, go_type) {
        Ok(s) => {
            out.out(s);
            0
        }
        Err(e) => format_error(&e, header, out),
    }
}

/// A `--format` that failed: the CLI's error, and which fields the rows
/// have, naming the closest (`{{.Name}}` for `{{.Names}}`).
pub(crate) fn format_error(e: &str, header: &[(&str, &str)], out: &mut Out) -> i32 {
    out.err(format!("{e}\n"));
    if let Some(field) = e.split("can't evaluate field ").nth(1).and_then(|r| r.split(' ').next()) {
        let fields: Vec<String> = header.iter().map(|(k, _)| format!("{{{{.{k}}}}}")).collect();
        // A prefix either way first (`.Repo`, `.Name`), then the fewest edits.
        let near = |k: &str| if k.starts_with(field) || field.starts_with(k) { 0 } else { 1 + distance(k, field) };
        let closest = header.iter().map(|(k, _)| *k).min_by_key(|k| near(k));
        out.explain(format!(
            "Each row has the fields {}{}",
            fields.join(" "),
            closest.map(|k| format!(": did you mean {{{{.{k}}}}}?")).unwrap_or_default()
        ));
    }
    1
}

/// Prints a process's output: stderr to stderr, the rest (stdout, a tty's
/// console) to stdout.
pub(crate) fn emit(items: &[Output], out: &mut Out) {
    for o in items {
        let text = String::from_utf8_lossy(&o.data);
        match o.stream {
            StdStream::Stderr => out.err(text),
            StdStream::Console => out.out(text.replace("\r\n", "\n")),
            _ => out.out(text),
        }
    }
}

/// The container a daemon error names: `Container web is paused`,
/// `cannot remove container "/web"`, Docker 28's `container <id> is not
/// running` (a full id shortened to the 12 digits `docker ps` shows);
/// CONTAINER when it names none.
fn named(message: &str) -> String {
    let name = match message.split_once('"') {
        Some((_, rest)) if message.contains("container \"") => rest.split('"').next(),
        _ => message
            .strip_prefix("Container ")
            .or_else(|| message.strip_prefix("container "))
            .and_then(|r| r.split(' ').next()),
    };
    let name = name.map(|n| n.trim_start_matches('/')).filter(|n| !n.is_empty()).unwrap_or("CONTAINER");
    if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        name[..12].to_string()
    } else {
        name.to_string()
    }
}

/// A plain-language note and a suggestion for a daemon error.
pub(crate) fn teach_error(message: &str, out: &mut Out) {
    let (exp, sug): (String, Option<String>) = if message.starts_with("No such container") {
        (
            "No container has that name or id. `docker ps -a` lists every container, stopped ones included.".into(),
            Some("docker ps -a".into()),
        )
    } else if message.starts_with("Conflict. The container name") {
        let name = message.split('"').nth(1).unwrap_or("/x").trim_start_matches('/').to_string();
        ("Container names are unique per daemon, and a stopped container keeps its name. Remove the old one, or pick another --name.".to_string(), Some(format!("docker rm -f {name}")))
    } else if message.starts_with("Invalid container name") {
        // "Invalid container name (b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        let refused = message.split(['(', ')']).nth(1).unwrap_or("");
        let short = if refused.chars().count() == 1 {
            format!(" `{refused}` is one character: a name needs at least two.")
        } else {
            String::new()
        };
        (
            format!(
                "The daemon refused the name, so no container was created: a container name has at least two characters, starts with a letter or digit and goes on with letters, digits, `_`, `.` or `-` (no spaces).{short}"
            ),
            Some("docker run --name my-box busybox".into()),
        )
    } else if message.contains("is not running") {
        ("exec starts a new process inside a container's namespaces, which exist only while its main process runs. Start the container first.".into(), Some(format!("docker start {}", named(message))))
    } else if message.contains("is paused") {
        (
            "A paused container's processes are frozen: nothing new can run in it until it is unpaused.".into(),
            Some(format!("docker unpause {}", named(message))),
        )
    } else if message.contains("container is running") {
        ("A running container cannot be removed: stop it first (its main process gets SIGTERM), or force it with -f (SIGKILL).".into(), Some(format!("docker rm -f {}", named(message))))
    } else if message.starts_with("No such image") {
        ("There is no local image by that name. `docker images` lists local images; `docker pull NAME` downloads one.".into(), Some("docker images".into()))
    } else if message.contains("/v2/\": dial tcp") {
        let host = message.split("https://").nth(1).and_then(|h| h.split('/').next()).unwrap_or("");
        (
            format!(
                "The first part of an image name is the registry's host when it has a dot or a colon, or is localhost (registry.example.com/site, localhost:5000/app): docker sent this to {host}, and nothing answered there. A name without a host goes to Docker Hub (learner/site is docker.io/learner/site), the only registry here: name the image in your namespace instead."
            ),
            Some("docker images".into()),
        )
    } else if message.starts_with("pull access denied") {
        ("The simulated registry has no such repository. It holds hello-world, busybox, alpine, ubuntu, nginx, redis, python, and what you push.".into(), Some("docker pull busybox".into()))
    } else if message.contains("manifest unknown") {
        ("The repository exists but not with that tag.".into(), Some("docker pull nginx:latest".into()))
    } else if message.contains("port is already allocated") {
        ("Another running container already publishes that host port; a host port can be bound once. Pick another host port.".into(), Some("docker run -d -p 8081:80 nginx".into()))
    } else if message.contains("executable file not found") {
        ("The command does not exist in the image's filesystem: a container can run only programs its image contains.".into(), Some("docker run --rm busybox ls /bin".into()))
    } else if message.contains("returned a non-zero code") {
        ("A RUN instruction failed (its command exited with a non-zero code), so the build stopped at that step. Earlier steps stay in the cache.".into(), None)
    } else if message.contains("not a swarm manager") {
        ("Services, nodes, secrets and configs belong to a swarm, and this daemon is in none: docker swarm init makes it a swarm of one node, its manager.".into(), Some("docker swarm init".into()))
    } else if message.contains("has active endpoints") {
        ("Containers are still connected to this network; remove or disconnect them first.".into(), None)
    } else if message.contains("volume is in use") {
        ("A container (even a stopped one) still uses this volume. Remove the container first.".into(), None)
    } else if message.contains("unable to remove repository reference") || message.contains("unable to delete") {
        ("A container uses this image. Remove the container first, or force with -f.".into(), None)
    } else if message.contains("denied") {
        ("The registry refused: log in first (docker login -u NAME -p PASSWORD) and push to your own namespace (NAME/app).".into(), Some("docker login -u learner -p secret".into()))
    } else {
        return;
    };
    out.explain(exp);
    if out.suggestion.is_none() {
        out.suggestion = sug;
    }
}
