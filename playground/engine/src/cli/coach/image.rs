//! The notes after an image the daemon could not find ("pull access
//! denied"): a tag this daemon lacks, an image only the local daemon has,
//! a misspelled name, a word a space split off, an image of the project's
//! own not built yet.

use super::{Line, Note, full_ref, join, quoted_after, repo_of};
use crate::state::State;

/// The image a "pull access denied" names (`app:latest`), and where the
/// line typed it.
pub(super) struct Missing {
    wanted: String,
    at: usize,
}

impl Missing {
    /// The word at `at` taken for the missing image.
    pub(super) fn at(l: &Line, at: usize) -> Missing {
        Missing { wanted: full_ref(&l.words[at]), at }
    }
}

pub(super) fn missing_image(l: &Line, err: &str) -> Option<Missing> {
    if !err.contains("pull access denied") {
        return None;
    }
    let wanted = quoted_after(err, "Unable to find image", '\'')
        .map(String::from)
        .or_else(|| err.split("pull access denied for ").nth(1)?.split(',').next().map(String::from))?;
    let wanted = full_ref(&wanted);
    let at = (l.rest..l.words.len()).find(|&i| full_ref(&l.words[i]) == wanted)?;
    Some(Missing { wanted, at })
}

/// "pull access denied" for a tag this daemon lacks, or an image only the
/// local daemon has.
pub(super) fn image_note(l: &Line, st: &State, m: &Missing, remote: bool, local: &[String]) -> Option<Note> {
    let (wanted, at) = (&m.wanted, m.at);
    let typed = l.words[at].clone();
    let repo = repo_of(wanted);
    if remote && local.contains(wanted) {
        let user = "learner";
        return Some((
            format!(
                "`{typed}` is an image of your local daemon. Each daemon has its own images, and the remote one can get an image only from a registry: give it a name in your namespace, push it, then run that name here."
            ),
            Some(format!("docker tag {typed} {user}/{}", typed.rsplit('/').next().unwrap_or(&typed))),
        ));
    }
    let others: Vec<&String> = st.tags.keys().filter(|t| repo_of(t) == repo).collect();
    let have = others.first()?;
    let list: Vec<&str> = others.iter().map(|t| t.as_str()).collect();
    Some((
        format!(
            "This daemon has no `{wanted}`, but it has {}: the tag is part of an image's name (no tag means :latest). Run one of those, or give the image this tag too (docker tag).",
            list.join(", ")
        ),
        Some(l.replaced(at, &[have])),
    ))
}

/// A misspelled image name (`ngnix`, `hello-word`): the name it likely
/// meant. A slip like a typo the client catches (the page does not count
/// it toward par).
pub(super) fn typo_note(l: &Line, st: &State, m: &Missing, dockerfile: bool) -> Option<Note> {
    let (wanted, at) = (&m.wanted, m.at);
    let typed = &l.words[at];
    let repo = repo_of(wanted);
    let near = near_name(st, repo)?;
    let tag = &wanted[repo.len()..];
    let fixed = if typed.contains(':') { format!("{near}{tag}") } else { near.clone() };
    let own = if dockerfile && matches!(l.spec.name, "run" | "create") {
        format!(" If `{repo}` is to be an image of your own, build it first: docker build -t {typed} .")
    } else {
        String::new()
    };
    Some((
        format!(
            "No image is named `{repo}`, here or in the registry. Did you mean {near}? The names it knows: {}.{own}",
            catalog_names(st)
        ),
        Some(l.replaced(at, &[&fixed])),
    ))
}

/// A word a space split off (`--name web 3 nginx`): docker took it for
/// the image.
pub(super) fn split_note(l: &Line, st: &State, m: &Missing) -> Option<Note> {
    let at = m.at;
    let typed = &l.words[at];
    let pos = l.positionals();
    let next = pos.iter().position(|&i| i == at).and_then(|k| pos.get(k + 1)).copied()?;
    let known = |w: &str| {
        let r = full_ref(w);
        st.tags.contains_key(&r)
            || st
                .registry
                .repos
                .get(repo_of(&r))
                .is_some_and(|t| t.contains_key(r.get(repo_of(&r).len() + 1..).unwrap_or("")))
    };
    if !matches!(l.spec.name, "run" | "create") || !known(&l.words[next]) {
        return None;
    }
    let image = &l.words[next];
    let before = &l.words[at - 1];
    let fixed = if at > l.rest && !before.starts_with('-') {
        let mut words = l.words.clone();
        words[at - 1] = format!("{before}{typed}");
        words.remove(at);
        join(&words)
    } else {
        l.replaced(at, &[])
    };
    Some((
        format!(
            "docker took `{typed}` for the image (the first word that is no option) and `{image}` and what follows for the command to run in it. Did a space split one value in two? A name is one word."
        ),
        Some(fixed),
    ))
}

/// `docker run app` in a project with a Dockerfile, before any build: the
/// image is the learner's own, to build first with that name.
pub(super) fn build_note(l: &Line, st: &State, m: &Missing, dockerfile: bool) -> Option<Note> {
    if !dockerfile || !matches!(l.spec.name, "run" | "create") {
        return None;
    }
    let typed = &l.words[m.at];
    // Images made here (built, tagged, committed): none of the registry's.
    let mut own: Vec<(u64, &str)> = st
        .tags
        .iter()
        .filter(|(t, _)| !st.registry.repos.contains_key(repo_of(t)))
        .map(|(t, id)| (st.images.get(id).map_or(0, |i| i.created_ms), t.trim_end_matches(":latest")))
        .collect();
    own.sort();
    let built = match own.iter().rev().map(|(_, t)| *t).collect::<Vec<_>>() {
        names if names.is_empty() => String::new(),
        names => format!(" The images you made here: {} (docker images).", names.join(", ")),
    };
    Some((
        format!(
            "No image `{typed}` exists yet, here or in the registry: it is yours to build, from the project's Dockerfile. Build it with that name first (docker build -t {typed} .), then run this line again.{built}"
        ),
        Some(format!("docker build -t {typed} .")),
    ))
}

/// The registry's and the daemon's image names, sorted.
fn image_names(st: &State) -> Vec<String> {
    let mut names: Vec<String> =
        st.registry.repos.keys().cloned().chain(st.tags.keys().map(|t| repo_of(t).to_string())).collect();
    names.sort();
    names.dedup();
    names
}

fn catalog_names(st: &State) -> String {
    image_names(st).join(", ")
}

/// The image name a typo most likely meant (`ngnix`: nginx, `helloworld`:
/// hello-world): the nearest within two edits, and nearer than half its length.
fn near_name(st: &State, repo: &str) -> Option<String> {
    image_names(st)
        .into_iter()
        .map(|n| (crate::cli::format::distance(repo, &n), n))
        .filter(|(d, n)| *d > 0 && *d <= 2 && *d * 2 < n.len().min(repo.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// `docker run web` where web is a container, not an image: start it.
pub(super) fn container_image_note(l: &Line, st: &State, m: &Missing) -> Option<Note> {
    let typed = &l.words[m.at];
    if !matches!(l.spec.name, "run" | "create") || typed.contains(['/', ':', '@']) {
        return None;
    }
    let c = st.containers.values().find(|c| c.name == *typed)?;
    if c.status == crate::state::Status::Running {
        return Some((
            format!(
                "{typed} is a container, not an image, and it is running already (docker ps lists it): to run a command in it, docker exec {typed} COMMAND."
            ),
            Some("docker ps".into()),
        ));
    }
    Some((
        format!(
            "{typed} is a container, not an image: to start it again, docker start {typed}. docker run makes a new container from an image (docker images lists them)."
        ),
        Some(format!("docker start {typed}")),
    ))
}

/// Commands a learner runs without arguments (`docker run ls`).
const ALONE: &[&str] = &["sh", "ls", "date", "env", "hostname", "ps", "top", "pwd", "whoami", "uname", "id"];

/// `docker run --name once echo hi`: the image forgotten, so the command
/// (a program the busybox image has) was read as the image.
pub(super) fn command_image_note(l: &Line, st: &State, m: &Missing) -> Option<Note> {
    let typed = &l.words[m.at];
    let known = st.registry.repos.contains_key(typed.as_str()) || st.tags.keys().any(|t| repo_of(t) == typed);
    // Alone, a word like `test` may be an image of the learner's to build:
    // only a command with arguments, or one that makes sense alone, is read so.
    let args = l.positionals().iter().any(|&i| i > m.at);
    if !matches!(l.spec.name, "run" | "create")
        || known
        || !crate::programs::busybox::applet_names().any(|a| a == typed)
        || !args && !ALONE.contains(&typed.as_str())
    {
        return None;
    }
    let mut words = l.words.clone();
    words.insert(m.at, "busybox".into());
    let fixed = join(&words);
    Some((
        format!(
            "docker reads the first word that is no option as the image (docker {} [OPTIONS] IMAGE [COMMAND]), so {typed} was read as the image: the image comes after the options and before the command: {fixed}.",
            l.name()
        ),
        Some(fixed),
    ))
}

/// "manifest for learner/site:latest not found": the registry has the
/// repository but not that tag (`docker run learner/site` after pushing
/// :1.0). The line with a tag the registry holds (the newest pushed).
pub(super) fn manifest_note(l: &Line, st: &State, err: &str) -> Option<Note> {
    let wanted = err.split("manifest for ").nth(1)?.split(" not found").next()?;
    let repo = repo_of(wanted);
    let at = (l.rest..l.words.len()).find(|&i| full_ref(&l.words[i]) == wanted)?;
    let tags = st.registry.repos.get(repo)?;
    let newest = tags.iter().max_by_key(|(_, i)| i.created_ms).map(|(t, _)| t)?;
    let list: Vec<String> = tags.keys().map(|t| format!(":{t}")).collect();
    let fixed = format!("{repo}:{newest}");
    let typed = &l.words[at];
    let none = if typed.rsplit('/').next().is_some_and(|n| !n.contains(':')) { " (no tag means :latest)" } else { "" };
    Some((
        format!(
            "The registry has {repo}, but not as :{}{none}: it holds it only as {}. The tag is part of an image's name: name the one pushed, {fixed}.",
            &wanted[repo.len() + 1..],
            list.join(", ")
        ),
        Some(l.replaced(at, &[&fixed])),
    ))
}
