//! The registry (the simulated Docker Hub): pull, push, search, login,
//! logout.

use dockhand::api::{PullOptions, PushOptions};
use dockhand::models::AuthConfig;
use serde_json::{Value, json};

use super::{Command, Complete, key_values};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::out::Out;
use crate::cli::out::{print_rows, teach_error};

/// Docker Hub's address in credentials, as the docker CLI writes it.
const DOCKER_HUB: &str = "https://index.docker.io/v1/";

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "pull",
            usage: "pull [OPTIONS] NAME[:TAG|@DIGEST]",
            about: "Download an image from a registry",
            flags: &[("all-tags", Some('a'), false), ("quiet", Some('q'), false), ("platform", None, true)],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &["image pull"],
        run: Session::pull,
        explain: Some("POST /images/create: the daemon downloads the image's layers from the registry."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "push",
            usage: "push [OPTIONS] NAME[:TAG]",
            about: "Upload an image to a registry",
            flags: &[("all-tags", Some('a'), false), ("quiet", Some('q'), false)],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &["image push"],
        run: Session::push,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "search",
            usage: "search [OPTIONS] TERM",
            about: "Search Docker Hub for images",
            flags: &[
                ("filter", Some('f'), true),
                ("format", None, true),
                ("limit", None, true),
                ("no-trunc", None, false),
            ],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &[],
        run: Session::search,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "login",
            usage: "login [OPTIONS] [SERVER]",
            about: "Authenticate to a registry",
            flags: &[("username", Some('u'), true), ("password", Some('p'), true), ("password-stdin", None, false)],
            min: 0,
            max: 1,
            interspersed: true,
        },
        aliases: &[],
        run: Session::login,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "logout",
            usage: "logout [SERVER]",
            about: "Log out from a registry",
            flags: &[],
            min: 0,
            max: 1,
            interspersed: true,
        },
        aliases: &[],
        run: Session::logout,
        explain: None,
        complete: Complete::Objects,
    },
];

impl Session {
    fn pull(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        self.pull_image(&p.args[0], p.has("quiet"), out)
    }

    fn push(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        self.push_image(&p.args[0], out)
    }

    pub(crate) fn pull_image(&mut self, image: &str, quiet: bool, out: &mut Out) -> i32 {
        let Some(r) = crate::image::Reference::parse(image) else {
            out.err(format!("invalid reference format: repository name ({image}) must be lowercase\n"));
            out.explain("Image names are lowercase: [registry/][namespace/]name[:tag].");
            return 1;
        };
        if !image.contains(':') && r.digest.is_none() && !quiet {
            out.line("Using default tag: latest");
        }
        let reference = match &r.digest {
            Some(d) => format!("{}@{d}", r.repo),
            None => format!("{}:{}", r.repo, r.tag),
        };
        let (messages, error) = self.sdk_stream(self.docker().images().pull(PullOptions::new(reference)));
        // An error status before any progress: the daemon refused the pull.
        let error = match self.refused(&messages, error, out) {
            Ok(error) => error,
            Err(code) => return code,
        };
        let mut last_for: Vec<(String, String)> = Vec::new();
        let mut lines = Vec::new();
        for m in &messages {
            let status = m.status.clone().unwrap_or_default();
            match m.id.as_deref() {
                Some(id) if status.starts_with("Pulling from") => lines.push(format!("{id}: {status}")),
                Some(id) => {
                    if let Some(slot) = last_for.iter_mut().find(|(i, _)| i == id) {
                        slot.1 = status;
                    } else {
                        last_for.push((id.to_string(), status));
                        lines.push(format!("\u{0}{id}"));
                    }
                }
                None => lines.push(status),
            }
        }
        if !quiet {
            for l in lines {
                match l.strip_prefix('\u{0}') {
                    Some(id) => {
                        let status = last_for.iter().find(|(i, _)| i == id).map(|(_, s)| s.clone()).unwrap_or_default();
                        out.line(format!("{id}: {status}"));
                    }
                    None => out.line(l),
                }
            }
        }
        if let Some(e) = error {
            out.err(format!("{}\n", e.message));
            teach_error(&e.message, out);
            return 1;
        }
        out.line(format!(
            "docker.io/{}{}",
            if r.repo.contains('/') { r.repo.clone() } else { format!("library/{}", r.repo) },
            r.digest.map(|d| format!("@{d}")).unwrap_or(format!(":{}", r.tag))
        ));
        out.explain("The daemon downloaded the image's layers from the registry; layers it already had (shared with other images) were not downloaded again (\"Already exists\").");
        0
    }

    /// The credentials of `docker login`, for Docker Hub.
    fn registry_auth(&self) -> Option<AuthConfig> {
        self.auth.as_ref().map(|(u, pw)| AuthConfig::password(DOCKER_HUB, u.as_str(), pw.as_str()))
    }

    fn push_image(&mut self, image: &str, out: &mut Out) -> i32 {
        let Some(r) = crate::image::Reference::parse(image) else {
            out.err(format!("invalid reference format: repository name ({image}) must be lowercase\n"));
            return 1;
        };
        if !image.contains(':') {
            out.line("Using default tag: latest");
        }
        let mut opts = PushOptions::new(format!("{}:{}", r.repo, r.tag));
        if let Some(auth) = self.registry_auth() {
            opts = opts.auth(auth);
        }
        let (messages, error) = self.sdk_stream(self.docker().images().push(opts));
        let error = match self.refused(&messages, error, out) {
            Ok(error) => error,
            Err(code) => {
                self.push_note(image, &r, out);
                return code;
            }
        };
        let mut by_id: Vec<(String, String)> = Vec::new();
        let mut tail = Vec::new();
        for m in &messages {
            let status = m.status.clone().unwrap_or_default();
            match m.id.as_deref() {
                Some(id) => match by_id.iter_mut().find(|(i, _)| i == id) {
                    Some(slot) => slot.1 = status,
                    None => by_id.push((id.to_string(), status)),
                },
                None if !status.is_empty() => tail.push(status),
                None => {}
            }
        }
        if let Some(first) = tail.first() {
            out.line(first);
        }
        for (id, s) in &by_id {
            out.line(format!("{id}: {s}"));
        }
        for t in tail.iter().skip(1) {
            out.line(t);
        }
        if let Some(e) = error {
            out.err(format!("{}\n", e.message));
            if crate::image::registry::host_of(&r.repo).is_some() {
                teach_error(&e.message, out);
                let account = self.auth.as_ref().map_or("learner", |(u, _)| u.as_str());
                let short = r.repo.rsplit('/').next().unwrap_or(&r.repo);
                out.suggestion = Some(format!("docker tag {image} {account}/{short}:{}", r.tag));
            } else {
                self.push_note(image, &r, out);
            }
            return 1;
        }
        out.explain("The daemon sent the image's layers to the registry; layers the registry already had were skipped (\"Layer already exists\"), so pushes after the first send only what changed.");
        0
    }

    fn search(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut opts = dockhand::api::SearchOptions::new(p.args[0].as_str());
        if let Some(l) = p.val("limit") {
            match l.parse::<u32>() {
                Ok(n) => opts = opts.limit(n),
                Err(_) => {
                    out.err(format!("invalid argument \"{l}\" for \"--limit\" flag: strconv.ParseInt: parsing \"{l}\": invalid syntax\n\nUsage:  docker search [OPTIONS] TERM\n\nRun 'docker search --help' for more information\n"));
                    return 125;
                }
            }
        }
        let mut filters = dockhand::api::SearchFilters::new();
        for (k, v) in key_values(&p.vals("filter")) {
            filters = filters.other(&k, &v);
        }
        let results = match self.sdk(self.docker().images().search(opts.filters(filters))) {
            Ok(r) => r,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let trunc = !p.has("no-trunc");
        let rows: Vec<Value> = results
            .iter()
            .map(|r| {
                // The CLI cuts descriptions at 45 characters with an ellipsis.
                let description = match r.description.char_indices().nth(44) {
                    Some((at, _)) if trunc => format!("{}…", &r.description[..at]),
                    _ => r.description.clone(),
                };
                json!({"Name": r.name, "Description": description, "StarCount": r.star_count.to_string(), "IsOfficial": if r.is_official { "[OK]" } else { "" }})
            })
            .collect();
        let header =
            [("Name", "NAME"), ("Description", "DESCRIPTION"), ("StarCount", "STARS"), ("IsOfficial", "OFFICIAL")];
        let code = print_rows(p, "Name", &header, &rows, "*formatter.searchContext", out);
        out.explain("docker search asks the daemon, which asks the registry (here the simulated Docker Hub): official images are the ones without a namespace, like nginx; others are user/name.");
        code
    }

    fn login(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let (Some(user), Some(pass)) = (p.val("username"), p.val("password")) else {
            out.err("Error: Cannot perform an interactive login from a non TTY device\n");
            out.explain("In the playground, give the credentials on the command line: docker login -u NAME -p PASSWORD (any non-empty password works).");
            out.suggestion = Some("docker login -u learner -p secret".into());
            return 1;
        };
        match self.sdk(self.docker().auth(&AuthConfig::password(DOCKER_HUB, user, pass))) {
            Ok(r) => {
                out.err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
                out.line(if r.status.is_empty() { "Login Succeeded" } else { r.status.as_str() });
                self.auth = Some((user.to_string(), pass.to_string()));
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn logout(&mut self, _p: &Parsed, out: &mut Out) -> i32 {
        {
            self.auth = None;
            out.line("Removing login credentials for https://index.docker.io/v1/");
            0
        }
    }
}

impl Session {
    /// The note after a refused push, with the learner's own names: the
    /// image needs a name in the logged-in account's namespace
    /// (`docker tag site learner/site`), and the registry a login. The
    /// source is the local image named like the push (`site` for
    /// `learner/site:1.0`), else the image made here most recently. The
    /// suggestion is the first step to take, never a placeholder.
    fn push_note(&self, typed: &str, r: &crate::image::Reference, out: &mut Out) {
        let logged_in = self.auth.as_ref().map(|(u, _)| u.clone());
        let account = logged_in.clone().unwrap_or_else(|| "learner".into());
        let short = r.repo.rsplit('/').next().unwrap_or(&r.repo).to_string();
        let explicit_tag = typed.rsplit('/').next().is_some_and(|last| last.contains(':'));
        let (exists, source) = self.current_engine().with_state(|st| {
            let named = [r.key(), format!("{short}:{}", r.tag), format!("{short}:latest")]
                .into_iter()
                .find(|t| st.tags.contains_key(t));
            // Else the newest image made here (none of the registry's).
            let newest = || {
                st.tags
                    .iter()
                    .filter(|(t, _)| !st.registry.repos.contains_key(repo_name(t)))
                    .max_by_key(|(_, id)| st.images.get(*id).map_or(0, |i| i.created_ms))
                    .map(|(t, _)| t.clone())
            };
            (st.tags.contains_key(&r.key()), named.or_else(newest))
        });
        let in_account = r.repo.split_once('/').is_some_and(|(ns, _)| ns == account);
        if !exists && in_account && self.other_tags_note(typed, r, logged_in.as_deref() == Some(&account), out) {
            return;
        }
        let target = match &source {
            _ if in_account => format!("{}:{}", r.repo, r.tag),
            Some(src) if !exists => {
                let (name, tag) = src.rsplit_once(':').unwrap_or((src, "latest"));
                let tag = if explicit_tag { r.tag.as_str() } else { tag };
                format!("{account}/{}:{tag}", name.rsplit('/').next().unwrap_or(name))
            }
            _ => format!("{account}/{short}:{}", r.tag),
        };
        let target = target.trim_end_matches(":latest").to_string();
        let mut steps = Vec::new();
        if logged_in.as_deref() != Some(account.as_str()) {
            steps.push(format!("docker login -u {account} -p secret"));
        }
        let why = match &source {
            Some(src) if !exists || !in_account => {
                let src = src.trim_end_matches(":latest");
                if src != target {
                    steps.push(format!("docker tag {src} {target}"));
                }
                if exists {
                    format!(
                        "The registry takes pushes only into the namespace of the user logged in ({account}/...), so {typed} cannot go there by that name: give the image a name in your namespace first."
                    )
                } else if in_account {
                    format!(
                        "docker push sends a local image by its name, and no local image is named {typed} yet. Your image is {src} (docker images): give it that name first."
                    )
                } else {
                    format!(
                        "docker push sends a local image by its name, and no local image is named {typed}. Your image is {src} (docker images): give it a name in your namespace ({account}/...) first, the only place the registry takes your pushes."
                    )
                }
            }
            None if !exists => {
                if !self.files().contains_key("Dockerfile") {
                    out.explanation = Some(format!(
                        "docker push sends a local image by its name, and this daemon has no image named {typed}, nor one made here: docker images lists what it has; give one of those a name in your namespace ({account}/...) with docker tag to push it."
                    ));
                    out.suggestion = Some("docker images".into());
                    return;
                }
                steps.push(format!("docker build -t {target} ."));
                "docker push sends a local image by its name, and this daemon has no image of yours to send: build one from the project's Dockerfile, named in your namespace.".to_string()
            }
            _ => "The registry takes pushes only from a user logged in, into that user's namespace.".to_string(),
        };
        steps.push(format!("docker push {target}"));
        // A name without a version: say where one goes (the levels push 1.0).
        let version = if target.rsplit('/').next().is_some_and(|n| !n.contains(':')) {
            format!(" (a version tag goes after a colon: {target}:1.0)")
        } else {
            String::new()
        };
        out.explanation = Some(format!("{why} The steps: {}{version}.", steps.join(", then ")));
        out.suggestion = steps.first().cloned();
    }
}

impl Session {
    /// `docker push learner/site` when learner/site exists only as :1.0:
    /// with no tag docker pushes :latest. The note names the tags the
    /// repository has and suggests pushing the newest (not a new tag, which
    /// the walk found a learner making). `false` when the repository has no
    /// tag here.
    fn other_tags_note(&self, typed: &str, r: &crate::image::Reference, logged_in: bool, out: &mut Out) -> bool {
        let (tags, newest) = self.current_engine().with_state(|st| {
            let tags: Vec<(&String, &String)> = st.tags.iter().filter(|(t, _)| repo_name(t) == r.repo).collect();
            let newest = tags
                .iter()
                .max_by_key(|(_, id)| st.images.get(*id).map_or(0, |i| i.created_ms))
                .map(|(t, _)| t.to_string());
            let tags: Vec<String> = tags.iter().map(|(t, _)| format!(":{}", &t[r.repo.len() + 1..])).collect();
            (tags, newest)
        });
        let Some(newest) = newest else { return false };
        let explicit = typed.rsplit('/').next().is_some_and(|last| last.contains(':'));
        let why = if explicit {
            format!("this daemon has no {}:{}", r.repo, r.tag)
        } else {
            "with no tag docker push pushes :latest".to_string()
        };
        let mut steps = Vec::new();
        if !logged_in {
            steps.push("docker login -u learner -p secret".to_string());
        }
        // The tag named is the one wanted (`learner/site:1.0`): give the
        // image that tag, from its local name (`site`) when it has one.
        let source = explicit.then(|| self.source_name(&newest, &r.repo));
        if let Some(src) = &source {
            steps.push(format!("docker tag {src} {}", r.key()));
            steps.push(format!("docker push {}", r.key()));
        } else {
            steps.push(format!("docker push {newest}"));
        }
        let push = if steps.len() == 1 { String::new() } else { format!(": {}", steps.join(", then ")) };
        let todo = if source.is_some() { "Give the image the tag you named" } else { "Push the tag you made" };
        out.explanation = Some(format!(
            "The tag is part of the name: {why}, and {} exists here only as {} (docker images). {todo}{push}.",
            r.repo,
            tags.join(", "),
        ));
        out.suggestion = steps.first().cloned();
        true
    }
}

impl Session {
    /// The image `tag` names, by a local name outside `repo` when it has
    /// one (`site` for `learner/site:latest`), else `tag` itself.
    fn source_name(&self, tag: &str, repo: &str) -> String {
        self.current_engine().with_state(|st| {
            let id = st.tags.get(tag);
            st.tags
                .iter()
                .filter(|(t, i)| Some(*i) == id && repo_name(t) != repo)
                .map(|(t, _)| t.trim_end_matches(":latest").to_string())
                .min_by_key(|t| t.len())
                .unwrap_or_else(|| tag.trim_end_matches(":latest").to_string())
        })
    }
}

/// The repository of a `repo:tag` key.
fn repo_name(t: &str) -> &str {
    t.rsplit_once(':').map_or(t, |(repo, _)| repo)
}
