//! Local images: images, tag, rmi, history, commit, build.

use dockhand::Body;
use dockhand::api::{BuildOptions, ImageFilters, ImageListOptions};
use dockhand::build_context::BuildContext;
use serde_json::json;

use super::build_progress;
use super::{Command, Complete};
use super::{key_values, unix_ms};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::out::Out;
use crate::cli::out::{print_rows, teach_error};
use crate::util::{human_duration, human_size};

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "images",
            usage: "images [OPTIONS] [REPOSITORY[:TAG]]",
            about: "List images",
            flags: &[
                ("all", Some('a'), false),
                ("quiet", Some('q'), false),
                ("format", None, true),
                ("filter", Some('f'), true),
                ("no-trunc", None, false),
                ("digests", None, false),
            ],
            min: 0,
            max: 1,
            interspersed: true,
        },
        aliases: &["image ls", "image list"],
        run: Session::images,
        explain: Some("GET /images/json: the images stored on this daemon."),
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "tag",
            usage: "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
            about: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
            flags: &[],
            min: 2,
            max: 2,
            interspersed: true,
        },
        aliases: &["image tag"],
        run: Session::tag,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "rmi",
            usage: "rmi [OPTIONS] IMAGE [IMAGE...]",
            about: "Remove one or more images",
            flags: &[("force", Some('f'), false), ("no-prune", None, false)],
            min: 1,
            max: usize::MAX,
            interspersed: true,
        },
        aliases: &["image rm", "image remove"],
        run: Session::rmi,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "history",
            usage: "history [OPTIONS] IMAGE",
            about: "Show the history of an image",
            flags: &[
                ("quiet", Some('q'), false),
                ("no-trunc", None, false),
                ("format", None, true),
                ("human", Some('H'), false),
            ],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &["image history"],
        run: Session::history,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "commit",
            usage: "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
            about: "Create a new image from a container's changes",
            flags: &[
                ("author", Some('a'), true),
                ("change", Some('c'), true),
                ("message", Some('m'), true),
                ("pause", Some('p'), false),
            ],
            min: 1,
            max: 2,
            interspersed: true,
        },
        aliases: &["container commit"],
        run: Session::commit,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "build",
            usage: "build [OPTIONS] PATH | URL | -",
            about: "Build an image from a Dockerfile",
            flags: &[
                ("tag", Some('t'), true),
                ("file", Some('f'), true),
                ("no-cache", None, false),
                ("build-arg", None, true),
                ("quiet", Some('q'), false),
                ("pull", None, false),
                ("rm", None, false),
                ("target", None, true),
                ("label", None, true),
            ],
            min: 1,
            max: 1,
            interspersed: true,
        },
        aliases: &["image build"],
        run: Session::build,
        explain: None,
        complete: Complete::Objects,
    },
];

impl Session {
    fn images(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut filters = ImageFilters::new();
        for (k, v) in key_values(&p.vals("filter")) {
            filters = filters.other(&k, &v);
        }
        if let Some(r) = p.args.first() {
            filters = filters.reference(r.as_str());
        }
        let opts = ImageListOptions::new().all(p.has("all")).filters(filters);
        let list = match self.sdk(self.docker().images().list(opts)) {
            Ok(v) => v,
            Err(e) => return self.daemon_error(e, out, 1, ""),
        };
        let now = self.current_engine().now_ms();
        let mut rows = Vec::new();
        for i in &list {
            let short = if p.has("no-trunc") {
                i.id.clone()
            } else {
                i.id.trim_start_matches("sha256:").chars().take(12).collect()
            };
            let created = unix_ms(i.created);
            let digest = i
                .repo_digests
                .first()
                .and_then(|d| d.split_once('@'))
                .map(|(_, d)| d.to_string())
                .unwrap_or("<none>".into());
            for tag in &i.repo_tags {
                let (repo, t) = tag.rsplit_once(':').unwrap_or((tag, "<none>"));
                rows.push(json!({"Repository": repo, "Tag": t, "ID": short, "Digest": digest, "CreatedSince": format!("{} ago", human_duration(now.saturating_sub(created))), "CreatedAt": crate::util::rfc3339(created), "Size": human_size(u64::try_from(i.size).unwrap_or(0))}));
            }
        }
        if p.has("quiet") {
            let mut seen = Vec::new();
            for r in &rows {
                let id = r["ID"].as_str().unwrap_or("").to_string();
                if !seen.contains(&id) {
                    out.line(&id);
                    seen.push(id);
                }
            }
            return 0;
        }
        let mut header = vec![("Repository", "REPOSITORY"), ("Tag", "TAG")];
        if p.has("digests") {
            header.push(("Digest", "DIGEST"));
        }
        header.extend([("ID", "IMAGE ID"), ("CreatedSince", "CREATED"), ("Size", "SIZE")]);
        print_rows(p, "ID", &header, &rows, "*formatter.imageContext", out)
    }

    fn tag(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        let Some(r) = crate::image::Reference::parse(&a[1]) else {
            out.err(format!(
                "Error parsing reference: \"{}\" is not a valid repository/tag: invalid reference format\n",
                a[1]
            ));
            out.explain("Image names are lowercase: [registry/][namespace/]name[:tag].");
            return 1;
        };
        match self.sdk(self.docker().images().get(a[0].as_str()).tag(&r.key())) {
            Ok(_) => {
                out.explain("A tag is just another name for the same image id; no data is copied.");
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn rmi(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        let force = p.has("force");
        let mut code = 0;
        for name in a {
            let opts = dockhand::api::ImageRemoveOptions::new().force(force);
            match self.sdk(self.docker().images().get(name.as_str()).remove_with(opts)) {
                Ok(items) => {
                    for item in items {
                        if let Some(t) = item.untagged {
                            out.line(format!("Untagged: {t}"));
                        }
                        if let Some(d) = item.deleted {
                            out.line(format!("Deleted: {d}"));
                        }
                    }
                }
                Err(e) => code = self.daemon_error(e, out, 1, ""),
            }
        }
        code
    }

    fn history(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let a = &p.args;
        match self.sdk(self.docker().images().get(a[0].as_str()).history()) {
            Ok(items) => {
                let now = self.current_engine().now_ms();
                let mut rows = Vec::new();
                for h in items {
                    rows.push({
                            let id = match h.id.strip_prefix("sha256:") {
                                Some(hex) if !p.has("no-trunc") => hex.chars().take(12).collect(),
                                _ => h.id,
                            };
                            let by = if h.created_by.chars().count() > 45 && !p.has("no-trunc") {
                                format!("{}…", h.created_by.chars().take(44).collect::<String>())
                            } else {
                                h.created_by
                            };
                            let created = unix_ms(h.created);
                            json!({"ID": id, "CreatedSince": format!("{} ago", human_duration(now.saturating_sub(created))), "CreatedAt": crate::util::rfc3339(created), "CreatedBy": by, "Size": human_size(u64::try_from(h.size).unwrap_or(0)), "Comment": h.comment})
                        });
                }
                let header = [
                    ("ID", "IMAGE"),
                    ("CreatedSince", "CREATED"),
                    ("CreatedBy", "CREATED BY"),
                    ("Size", "SIZE"),
                    ("Comment", "COMMENT"),
                ];
                out.explain("Each line is one instruction of the image's Dockerfile; instructions that changed files added a layer (non-zero SIZE).");
                print_rows(p, "ID", &header, &rows, "*image.historyContext", out)
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    /// `docker commit CONTAINER [REPOSITORY[:TAG]]`: the new image's id.
    fn commit(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let mut opts = dockhand::api::CommitOptions::new(p.args[0].as_str()).pause(p.val("pause") != Some("false"));
        if let Some(r) = p.args.get(1) {
            if dockhand::reference::Reference::parse(r).is_err() {
                // The CLI's own check, before any request.
                let repo = r.rsplit_once(':').map_or(r.as_str(), |(repo, _)| repo);
                let full = if repo.contains('/') { repo.to_string() } else { format!("library/{repo}") };
                let lower = if repo.chars().any(|c| c.is_ascii_uppercase()) {
                    format!(": repository name ({full}) must be lowercase")
                } else {
                    String::new()
                };
                out.err(format!("invalid reference format{lower}\n"));
                return 1;
            }
            opts = opts.reference(r.as_str());
        }
        if let Some(m) = p.val("message") {
            opts = opts.comment(m);
        }
        if let Some(author) = p.val("author") {
            opts = opts.author(author);
        }
        for change in p.vals("change") {
            opts = opts.change(change);
        }
        match self.sdk(self.docker().images().commit(opts)) {
            Ok(id) => {
                out.line(id);
                out.explain("commit saved the container's writable layer as a new read-only layer on top of its image's: the new image has one layer more. A Dockerfile's RUN does the same in a temporary container; a Dockerfile says how an image was made, a commit does not.");
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    /// The note when the build context has no Dockerfile. A Dockerfile in
    /// `.` with another directory given (`docker build app`, meaning `-t app`)
    /// points at the context: never advise overwriting the project's file.
    fn missing_dockerfile(&self, p: &Parsed, prefix: &str, dockerfile: &str, out: &mut Out) {
        if !prefix.is_empty() && self.files.contains_key(dockerfile) {
            let ctx = prefix.trim_end_matches('/');
            let tags = p.vals("tag");
            let tag = tags.first().map_or(ctx, String::as_str);
            let file = p.val("file").map(|f| format!(" -f {f}")).unwrap_or_default();
            out.explain(format!("The last argument of docker build is the build context, the directory whose files it sends: `{ctx}` is not the project's directory, and it has no {dockerfile}. The {dockerfile} is in the current directory, so the context is `.`; to name the image, give -t: docker build -t {tag} ."));
            out.suggestion = Some(format!("docker build -t {tag}{file} ."));
            return;
        }
        out.explain(format!("docker build needs a {dockerfile} in the build context (the directory you pass, usually `.`). Write one in the project's editor, or here: echo \"FROM busybox\" > {dockerfile}, or a here-document (cat > {dockerfile} <<EOF, its lines, EOF)."));
        out.suggestion = Some(format!("echo \"FROM busybox\" > {dockerfile}"));
    }

    fn build(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        let ctx = p.args[0].trim_end_matches('/').trim_start_matches("./");
        let prefix = if ctx == "." || ctx.is_empty() { String::new() } else { format!("{ctx}/") };
        let entries: Vec<crate::util::TarEntry> = self
            .files
            .iter()
            .filter_map(|(path, content)| {
                path.strip_prefix(&prefix).map(|rel| crate::util::TarEntry {
                    path: rel.to_string(),
                    dir: false,
                    data: content.as_bytes().to_vec(),
                })
            })
            .collect();
        let dockerfile = p.val("file").unwrap_or("Dockerfile").to_string();
        if !entries.iter().any(|e| e.path == dockerfile) {
            out.err(format!("unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat /project/{prefix}{dockerfile}: no such file or directory\n"));
            self.missing_dockerfile(p, &prefix, &dockerfile, out);
            return 1;
        }
        let tar = crate::util::tar(&entries);
        // BuildKit counts the files' bytes it transfers (the classic
        // builder, the whole tar).
        let context_bytes = entries.iter().map(|e| e.data.len()).sum::<usize>();
        let classic = !self.buildkit && !p.has("quiet");
        if classic {
            out.err("DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n            environment-variable.\n\n");
            out.line(format!("Sending build context to Docker daemon  {}", human_size(tar.len() as u64)));
        }
        let mut opts = BuildOptions::new().dockerfile(dockerfile.as_str()).rm(true).no_cache(p.has("no-cache"));
        for t in p.vals("tag") {
            opts = opts.tag(t);
        }
        for a in p.vals("build-arg") {
            if let Some((k, v)) = a.split_once('=') {
                opts = opts.build_arg(k, v);
            }
        }
        for (k, v) in key_values(&p.vals("label")) {
            opts = opts.label(k, v);
        }
        if let Some(stage) = p.val("target") {
            opts = opts.target(stage);
        }
        let context = BuildContext::from_tar(Body::full(tar));
        let (messages, error) = self.sdk_stream(self.docker().images().build(opts, context));
        let error = match self.refused(&messages, error, out) {
            Ok(error) => error,
            Err(code) => return code,
        };
        let quiet = p.has("quiet");
        let (mut stream, mut image_id) = (String::new(), None);
        for m in &messages {
            if let Some(s) = &m.stream {
                if classic {
                    out.out(s);
                }
                stream.push_str(s);
            }
            if let Some(id) = m.aux_image_id() {
                image_id = Some(id.to_string());
                if quiet {
                    out.line(id);
                }
            }
        }
        if !classic && !quiet {
            let tag_list = p.vals("tag");
            let tags: Vec<&str> = tag_list.iter().map(String::as_str).collect();
            let text = self.files.get(&format!("{prefix}{dockerfile}")).map_or("", String::as_str);
            let build = build_progress::Build {
                dockerfile: (&dockerfile, text),
                context_bytes,
                tags: &tags,
                image_id: image_id.as_deref().filter(|_| error.is_none()),
                error: error.as_ref().map(|e| e.message.as_str()),
            };
            let log = build_progress::render(&stream, &build);
            out.err(log);
        }
        if let Some(e) = error {
            if classic || quiet {
                out.err(format!("{}\n", e.message));
            }
            teach_error(&e.message, out);
            return 1;
        }
        let (hits, steps) = count_steps(&stream);
        out.explain(build_note(hits, steps, classic, self.files.contains_key(&format!("{prefix}app.py"))));
        if steps > 0
            && hits == steps
            && let Some(said) = image_id.and_then(|id| self.forgotten_tag_note(&p.vals("tag"), &id))
        {
            out.explanation = Some(said);
        }
        0
    }
}

impl Session {
    /// `docker build -t app .` after an edit (the `:v2` forgotten), then
    /// `docker build -t app:v2 .`, all from the cache: the change went into
    /// app:latest, whose old image lost its name, and app:v2 is that same
    /// image. `None` unless the tag built shares its image with the
    /// repository's :latest and an untagged image of the same shape (the
    /// one the earlier build replaced) exists.
    fn forgotten_tag_note(&self, tags: &[String], id: &str) -> Option<String> {
        let built = tags.iter().find_map(|t| crate::image::Reference::parse(t).filter(|r| r.tag != "latest"))?;
        let latest = format!("{}:latest", built.repo);
        self.current_engine().with_state(|st| {
            let id = st.tags.get(&built.key()).filter(|i| i.contains(id.trim_start_matches("sha256:")))?;
            (st.tags.get(&latest) == Some(id)).then_some(())?;
            let image = st.images.get(id)?;
            let replaced = st.images.values().any(|i| {
                i.id != image.id
                    && !st.tags.values().any(|t| *t == i.id)
                    && i.layers.len() == image.layers.len()
                    && i.layers != image.layers
                    && i.layers.first() == image.layers.first()
            });
            replaced.then(|| {
                let (repo, v) = (&built.repo, &built.tag);
                format!(
                    "Every step came from the build cache: {repo}:{v} is the same image as {latest} (one IMAGE ID, two names in docker images). Your change went into {latest} already, with the build named {repo} (no tag means :latest); the image it replaced lost its name (<none>). To see the cache rebuild from COPY on as {repo}:{v}: edit app.py again, Save file, then docker build -t {repo}:{v} ."
                )
            })
        })
    }
}

/// The steps after the last FROM and how many of them came from the cache,
/// from the daemon's stream (`Step 3/4 : COPY ...`, then ` ---> Using
/// cache`): the steps the Images view lists, CMD and other settings-only
/// steps included.
fn count_steps(stream: &str) -> (usize, usize) {
    let (mut hits, mut steps) = (0, 0);
    for line in stream.lines() {
        if let Some((_, instruction)) = line.strip_prefix("Step ").and_then(|l| l.split_once(" : ")) {
            if instruction.trim_start().to_ascii_uppercase().starts_with("FROM ") {
                (hits, steps) = (0, 0);
            } else {
                steps += 1;
            }
        } else if steps > 0 && line.starts_with(" ---> Using cache") {
            hits += 1;
        }
    }
    (hits, steps)
}

/// The note after a build: `hits` of the `steps` after the last FROM came
/// from the cache, counted as the Images view counts them. All cached:
/// nothing the build reads changed, so say to edit a file and save it
/// first (flow-2). None cached: each ran, and not "again" (a first build).
fn build_note(hits: usize, steps: usize, classic: bool, app_py: bool) -> String {
    let marked = if classic { "Using cache" } else { "CACHED" };
    let of = if steps == 1 { "1 step".to_string() } else { format!("{steps} steps") };
    // BuildKit's log does not list a step that only changes settings.
    let listed = if classic { "" } else { "; a step that only changes settings, such as CMD, is not listed there" };
    if steps > 0 && hits == steps {
        let edit = if app_py {
            "edit app.py in Project files and Save file"
        } else {
            "edit and save a file the Dockerfile copies"
        };
        let all = if steps == 1 { "The 1 step".to_string() } else { format!("All {steps} steps") };
        return format!(
            "{all} after FROM came from the build cache ({marked} in the log{listed}): nothing the build reads changed, so no new layer was made and the image is the one built before. To build a change, {edit} first, then build again."
        );
    }
    if steps == 0 {
        return "The Dockerfile has no step after FROM: the image is the base image under a new name.".into();
    }
    if hits == 0 && steps == 1 {
        return format!(
            "The 1 step after FROM did not come from the build cache, so it ran, making a layer (or, for a setting such as CMD, a config change) on top of the base image. Build again without a change and it comes from the cache ({marked} in the log{listed})."
        );
    }
    if hits == 0 {
        return format!(
            "None of the {of} after FROM came from the build cache, so each ran, making a layer (or, for a setting such as CMD, a config change) on top of the previous one. Build again without a change and each comes from the cache ({marked} in the log{listed})."
        );
    }
    let ran = steps - hits.min(steps);
    format!(
        "{hits} of the {of} after FROM came from the build cache ({marked} in the log{listed}); the other {ran} ran again, each making a layer (or a config change) on top of the previous one. A step is reused when its parent and its input (and, for COPY, the files) are unchanged."
    )
}
