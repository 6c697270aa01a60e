//! The classic Dockerfile builder: the driver (stages, steps, the output
//! stream dockerd writes), with the parser in [`dockerfile`], what the
//! steps do in [`steps`] and the layer cache in [`cache`]. Uses the rest of
//! `image`, the shell (`RUN`), `fs`, `state`, `util` and `crate::error`.
//! A gzip-compressed context is unpacked first (`gunzip`), as dockerd does.

pub(crate) mod cache;
pub(crate) mod dockerfile;
mod gunzip;
pub(crate) mod steps;

use std::collections::BTreeMap;

use serde_json::json;

use crate::error::{ApiErr, err};
use crate::image::catalog::image_id;
use crate::image::{Out, Reference};
use crate::state::*;
use crate::util::{TarEntry, sha256_hex, untar};
use dockerfile::{Instruction, json_array, kv_pairs, parse_dockerfile, stage_name, sub_vars};
use steps::{collect_copy, glob_path, image_entries, run_in_temp};

/// `docker build`'s options, as the request gives them.
#[derive(Debug, Default)]
pub(crate) struct BuildOptions {
    /// The Dockerfile's path in the context.
    pub dockerfile: String,
    /// `--no-cache`.
    pub nocache: bool,
    /// `--build-arg`.
    pub build_args: BTreeMap<String, String>,
    /// `-t`, each checked.
    pub tags: Vec<String>,
    /// `--target`.
    pub target: Option<String>,
    /// `--label`.
    pub labels: BTreeMap<String, String>,
    /// `--add-host`, as `host:ip`: lines of each `RUN` step's `/etc/hosts`.
    pub extra_hosts: Vec<String>,
    /// `--cache-from`: when given, a step's cached image is used only if it
    /// is one of these images or under one (none found: no cache at all).
    pub cache_from: Option<Vec<String>>,
    /// `--network`: the network each `RUN` step is on (empty: the default).
    pub network_mode: String,
}

/// Why a build stopped early: an error to write, or one already written.
enum Stop {
    Error(String),
    Written,
}

/// A stage being built: its image so far (`parent` is the last step's id)
/// and its variables.
struct Stage {
    image: Image,
    vars: BTreeMap<String, String>,
}

fn short(id: &str) -> &str {
    &id[7.min(id.len())..19.min(id.len())]
}

/// The builder's state across the steps.
struct Builder<'a> {
    st: &'a mut State,
    opts: &'a BuildOptions,
    out: Out,
    context: Vec<TarEntry>,
    stage: Option<Stage>,
    /// Finished stages: their name (`AS name`) and image.
    done: Vec<(Option<String>, Image)>,
    stage_label: Option<String>,
    global_args: BTreeMap<String, String>,
    /// The first of the `--label` steps.
    label_from: usize,
}

/// `POST /build`: runs a Dockerfile over the tar context `body`; the output
/// stream (a failed step ends it with an error line).
pub(crate) fn build(st: &mut State, body: &[u8], opts: &BuildOptions) -> Result<Vec<u8>, ApiErr> {
    let (context, instructions, label_from) = prepare(body, opts)?;
    let mut b = Builder {
        st,
        opts,
        out: Out(Vec::new()),
        context,
        stage: None,
        done: Vec::new(),
        stage_label: None,
        global_args: BTreeMap::new(),
        label_from,
    };
    let total = instructions.len();
    for (n, ins) in instructions.iter().enumerate() {
        match b.step(n, total, ins) {
            Ok(()) => {}
            Err(Stop::Error(e)) => return Ok(b.out.error(e)),
            Err(Stop::Written) => return Ok(b.out.0),
        }
    }
    Ok(b.finish())
}

/// The context (less what `.dockerignore` leaves out), the instructions
/// (cut at `--target`, with a `LABEL` step per `--label` at the end) and
/// where the label steps start; the refusals before any step runs.
fn prepare(body: &[u8], opts: &BuildOptions) -> Result<(Vec<TarEntry>, Vec<Instruction>, usize), ApiErr> {
    let unpacked;
    let body = if gunzip::is_gzip(body) {
        unpacked =
            gunzip::gunzip(body, gunzip::LIMIT).map_err(|e| err(400, format!("failed to read build context: {e}")))?;
        &unpacked[..]
    } else {
        body
    };
    let context = untar(body).map_err(|e| err(400, format!("failed to read build context: {e}")))?;
    let dockerfile_name = opts.dockerfile.trim_start_matches("./").to_string();
    let Some(df) = context.iter().find(|e| e.path == dockerfile_name && !e.dir) else {
        return Err(err(500, format!("Cannot locate specified Dockerfile: {dockerfile_name}")));
    };
    let text = String::from_utf8_lossy(&df.data).into_owned();
    let mut instructions = parse_dockerfile(&text).map_err(|e| err(400, e))?;
    let ignore: Vec<String> = context
        .iter()
        .find(|e| e.path == ".dockerignore")
        .map(|e| {
            String::from_utf8_lossy(&e.data)
                .lines()
                .map(|l| l.trim().trim_start_matches("./").to_string())
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        })
        .unwrap_or_default();
    let context: Vec<TarEntry> =
        context.into_iter().filter(|e| !ignore.iter().any(|p| glob_path(p, &e.path))).collect();
    for t in &opts.tags {
        if Reference::parse(t).is_none() {
            return Err(err(400, format!("invalid reference format: repository name ({t}) must be lowercase")));
        }
    }
    // `--target`: the build stops at the end of that stage.
    if let Some(target) = opts.target.as_deref().filter(|t| !t.is_empty()) {
        let start = instructions
            .iter()
            .position(|i| i.keyword == "FROM" && stage_name(&i.args).as_deref() == Some(&target.to_ascii_lowercase()))
            .ok_or_else(|| err(400, format!("target stage \"{target}\" could not be found")))?;
        let end = instructions[start + 1..]
            .iter()
            .position(|i| i.keyword == "FROM")
            .map_or(instructions.len(), |e| start + 1 + e);
        instructions.truncate(end);
    }
    // `--label k=v`: one LABEL step each, sorted, at the end (as the
    // classic builder adds them to the last stage).
    let label_from = instructions.len();
    for (k, v) in &opts.labels {
        instructions.push(Instruction { line: 0, keyword: "LABEL".into(), args: format!("{k}={v}") });
    }
    Ok((context, instructions, label_from))
}

impl Builder<'_> {
    /// Step `n` of `total`.
    fn step(&mut self, n: usize, total: usize, ins: &Instruction) -> Result<(), Stop> {
        self.out.stream(format!("Step {}/{} : {} {}", n + 1, total, ins.keyword, ins.args));
        self.out.stream("\n");
        let vars = self.stage.as_ref().map(|s| &s.vars).unwrap_or(&self.global_args);
        let args = if matches!(ins.keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT") {
            ins.args.clone()
        } else {
            sub_vars(&ins.args, vars)
        };
        if ins.keyword == "FROM" {
            return self.from(&args);
        }
        if ins.keyword == "ARG" && self.stage.is_none() {
            for (k, v) in kv_pairs(&args)
                .into_iter()
                .chain(args.split_whitespace().filter(|w| !w.contains('=')).map(|w| (w.to_string(), String::new())))
            {
                let v = self.opts.build_args.get(&k).cloned().unwrap_or(v);
                self.global_args.insert(k, v);
            }
            return Ok(());
        }
        let Some(mut cur) = self.stage.take() else {
            return Err(Stop::Error("no build stage in current context".into()));
        };
        let result = self.build_step(n, ins, &args, &mut cur);
        self.stage = Some(cur);
        result
    }

    /// `FROM`: an earlier stage by name, `scratch`, or an image (pulled
    /// when missing).
    fn from(&mut self, args: &str) -> Result<(), Stop> {
        if let Some(prev) = self.stage.take() {
            self.done.push((self.stage_label.take(), prev.image));
        }
        self.stage_label = stage_name(args);
        let words: Vec<&str> = args.split_whitespace().filter(|w| !w.starts_with("--")).collect();
        let reference = words.first().copied().unwrap_or("");
        let earlier = self.done.iter().rev().find(|(n, _)| n.as_deref() == Some(&reference.to_ascii_lowercase()));
        if let Some((_, image)) = earlier {
            let image = image.clone();
            self.out.stream(format!(" ---> {}\n", short(&image.parent)));
            let vars = self.vars_with_env(&image);
            self.stage = Some(Stage { image, vars });
            return Ok(());
        }
        if reference == "scratch" {
            let image = Image {
                id: String::new(),
                parent: String::new(),
                layers: vec![],
                config: ImageConfig::default(),
                created_ms: self.st.clock_ms,
                size: 0,
                history: vec![],
                repo_digests: vec![],
                comment: String::new(),
                committed_from: None,
            };
            self.stage = Some(Stage { image, vars: self.global_args.clone() });
            self.out.stream(" ---> \n");
            return Ok(());
        }
        let id = self.pull(reference).map_err(Stop::Error)?;
        let mut image = self.st.images[&id].clone();
        let vars = self.vars_with_env(&image);
        image.parent = id.clone();
        self.stage = Some(Stage { image, vars });
        self.out.stream(format!(" ---> {}\n", short(&id)));
        Ok(())
    }

    /// The global `ARG`s and the image's `ENV`: a new stage's variables.
    fn vars_with_env(&self, image: &Image) -> BTreeMap<String, String> {
        let mut vars = self.global_args.clone();
        for kv in &image.config.env {
            if let Some((k, v)) = kv.split_once('=') {
                vars.insert(k.into(), v.into());
            }
        }
        vars
    }

    /// A local image, or pulled from the registry with what the builder
    /// prints for it.
    fn pull(&mut self, reference: &str) -> Result<String, String> {
        if let Some(id) = self.st.find_image(reference) {
            return Ok(id);
        }
        let r = Reference::parse(reference).ok_or_else(|| format!("invalid reference format: {reference}"))?;
        crate::image::registry::pull(self.st, &r.repo, &r.tag).map_err(|e| e.message)?;
        let shown_repo = if r.repo.contains('/') { r.repo.clone() } else { format!("library/{}", r.repo) };
        self.out.stream(format!("{}: Pulling from {shown_repo}\n", r.tag));
        self.out.stream(format!("Status: Downloaded newer image for {}\n", r.key()));
        self.st.find_image(reference).ok_or_else(|| "pull failed".to_string())
    }

    /// The files a `COPY`/`ADD` brings: from the context, or with `--from=`
    /// from a finished stage (by name or index) or an image.
    fn copied(&mut self, ins: &Instruction, args: &str, workdir: &str) -> Result<Vec<(String, Node)>, Stop> {
        if !matches!(ins.keyword.as_str(), "COPY" | "ADD") {
            return Ok(Vec::new());
        }
        let Some(from) = args.split_whitespace().find_map(|w| w.strip_prefix("--from=")) else {
            return collect_copy(&self.context, args, workdir).map_err(Stop::Error);
        };
        let layers = match self.done.iter().find(|(n, _)| n.as_deref() == Some(&from.to_ascii_lowercase())) {
            Some((_, image)) => Some(image.layers.clone()),
            None => match from.parse::<usize>() {
                Ok(i) if i < self.done.len() => Some(self.done[i].1.layers.clone()),
                Ok(i) => {
                    return Err(Stop::Error(format!("invalid from flag value {i}: refers to current build stage")));
                }
                Err(_) => {
                    let id = self.pull(from).map_err(Stop::Error)?;
                    self.st.images.get(&id).map(|i| i.layers.clone())
                }
            },
        };
        let entries = image_entries(&self.st.layers_fs(&layers.unwrap_or_default()));
        collect_copy(&entries, args, workdir).map_err(Stop::Error)
    }

    /// Whether `--cache-from` lets a step use cached image `id`: always
    /// without it; else when `id` is one of those images or an ancestor.
    fn cache_allows(&self, id: &str) -> bool {
        let Some(from) = &self.opts.cache_from else { return true };
        from.iter().filter_map(|r| self.st.find_image(r)).any(|mut cur| {
            for _ in 0..1000 {
                if cur == id {
                    return true;
                }
                match self.st.images.get(&cur) {
                    Some(i) if !i.parent.is_empty() && i.parent != cur => cur = i.parent.clone(),
                    _ => return false,
                }
            }
            false
        })
    }

    /// A step in a stage: from the cache, or run and committed.
    fn build_step(&mut self, n: usize, ins: &Instruction, args: &str, cur: &mut Stage) -> Result<(), Stop> {
        let copied = self.copied(ins, args, &cur.image.config.workdir.clone())?;
        let key = cache::key(&cur.image.parent, &ins.keyword, args, &copied, &self.opts.build_args);
        if !self.opts.nocache
            && let Some(id) = cache::lookup(self.st, &key).filter(|id| self.cache_allows(id))
        {
            self.out.stream(" ---> Using cache\n");
            self.out.stream(format!(" ---> {}\n", short(&id)));
            let mut image = self.st.images[&id].clone();
            image.parent = id.clone();
            cur.image = image;
            if ins.keyword == "ENV" || ins.keyword == "ARG" {
                for (k, v) in kv_pairs(args) {
                    cur.vars.insert(k, v);
                }
            }
            return Ok(());
        }
        let mut config = cur.image.config.clone();
        let new_layer = match ins.keyword.as_str() {
            "RUN" => Some(self.run(args, cur, &config)?),
            "COPY" | "ADD" => {
                let mut fs = Fs::new();
                for (path, node) in copied {
                    crate::fs::dirs_for(&mut fs, &path);
                    fs.insert(path, node);
                }
                Some(fs)
            }
            _ => {
                let cli_label = n >= self.label_from;
                steps::configure(&mut config, &mut cur.vars, ins, args, cli_label, &self.opts.build_args);
                None
            }
        };
        self.commit_step(n, ins, args, key, config, new_layer, cur);
        Ok(())
    }

    /// `RUN`: the command in a temporary container; its writable layer.
    fn run(&mut self, args: &str, cur: &Stage, config: &ImageConfig) -> Result<Fs, Stop> {
        let argv = json_array(args).unwrap_or_else(|| vec!["/bin/sh".into(), "-c".into(), args.to_string()]);
        let shown = if json_array(args).is_some() { argv.join(" ") } else { format!("/bin/sh -c {args}") };
        let tmp = self.st.new_id();
        self.out.stream(format!(" ---> Running in {}\n", &tmp[..12]));
        let (code, text, rw) = run_in_temp(self.st, &tmp, &cur.image, config, &cur.vars, &argv, self.opts);
        for (fd, t) in text {
            // dockerd's classic builder colours a step's stderr red.
            self.out.stream(if fd == 2 { format!("\x1b[91m{t}\x1b[0m") } else { t });
        }
        if code != 0 {
            let message = format!("The command '{shown}' returned a non-zero code: {code}");
            self.out.json(json!({"errorDetail": {"code": code, "message": message}, "error": message}));
            return Err(Stop::Written);
        }
        self.out.stream(format!("Removing intermediate container {}\n", &tmp[..12]));
        Ok(rw)
    }

    /// The step's image: the new layer (if any files), history, the cache
    /// entry; the stage goes on from it.
    #[allow(clippy::too_many_arguments)]
    fn commit_step(
        &mut self,
        n: usize,
        ins: &Instruction,
        args: &str,
        key: String,
        config: ImageConfig,
        new_layer: Option<Fs>,
        cur: &mut Stage,
    ) {
        let st = &mut *self.st;
        let mut layers = cur.image.layers.clone();
        let mut size = cur.image.size;
        let mut added = 0;
        if let Some(files) = new_layer.filter(|f| !f.is_empty()) {
            added = files_size(&files) + 512;
            let digest = format!(
                "sha256:{}",
                sha256_hex(format!("{}{}", key, serde_json::to_string(&files).unwrap_or_default()).as_bytes())
            );
            st.layers.insert(digest.clone(), Layer { digest: digest.clone(), files, size: added });
            layers.push(digest);
            size += added;
        }
        let created_by = match ins.keyword.as_str() {
            "RUN" => format!("/bin/sh -c {args}"),
            k => format!("/bin/sh -c #(nop) {k} {args}"),
        };
        let mut history = cur.image.history.clone();
        history.push(History {
            created_ms: st.clock_ms,
            created_by,
            empty_layer: added == 0,
            size: added,
            comment: String::new(),
        });
        let id = image_id(&layers, &config, &cur.image.parent, st.clock_ms.wrapping_add(n as u64));
        let image = Image {
            id: id.clone(),
            parent: cur.image.parent.clone(),
            layers,
            config,
            created_ms: st.clock_ms,
            size,
            history,
            repo_digests: vec![],
            comment: String::new(),
            committed_from: None,
        };
        st.images.insert(id.clone(), image.clone());
        cache::remember(st, key, id.clone());
        // The classic builder commits a setting (ENV, LABEL, CMD, ...) from a
        // container it creates and removes at once, as dockerd 20.10 prints.
        if !matches!(ins.keyword.as_str(), "RUN" | "COPY" | "ADD") {
            let tmp = st.new_id();
            self.out.stream(format!(
                " ---> Running in {}\nRemoving intermediate container {}\n",
                &tmp[..12],
                &tmp[..12]
            ));
        }
        self.out.stream(format!(" ---> {}\n", short(&id)));
        let mut next = image;
        next.parent = id;
        cur.image = next;
    }

    /// The end: the last stage's image, tagged.
    fn finish(mut self) -> Vec<u8> {
        let Some(stage) = self.stage.take() else { return self.out.error("no build stage in current context".into()) };
        let final_id = stage.image.parent.clone();
        if final_id.is_empty() {
            return self.out.error("No image was generated. Is your Dockerfile empty?".into());
        }
        self.out.json(json!({"aux": {"ID": final_id}}));
        self.out.stream(format!("Successfully built {}\n", short(&final_id)));
        for t in &self.opts.tags {
            if let Some(r) = Reference::parse(t) {
                self.st.tags.insert(r.key(), final_id.clone());
                self.out.stream(format!("Successfully tagged {}\n", r.key()));
            }
        }
        self.st.event("image", "build", &final_id, &[]);
        self.out.0
    }
}
