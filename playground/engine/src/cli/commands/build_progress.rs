//! What `docker build` prints with BuildKit, the default builder of the
//! docker CLI since 23.0 (Docker 28 prints it so): the last frame of its
//! progress display (`[+] Building 1.2s (8/8) FINISHED`, one `=>` line per
//! step, `CACHED` for a step the cache gave), on stderr.
//!
//! The simulated daemon answers `/build` as dockerd's classic builder does
//! (`Step 1/3 : FROM busybox`, ` ---> Using cache`, ...), which is what the
//! wire shows; this module reads that stream and draws what the CLI's
//! BuildKit display would have shown for the same build. The durations are
//! the simulation's own (a pull 0.6 s, a RUN 0.2 s, ...), not measured.

use std::fmt::Write as _;

/// What the renderer needs besides the daemon's stream.
pub(super) struct Build<'a> {
    /// The Dockerfile's name in the context, and its text.
    pub(super) dockerfile: (&'a str, &'a str),
    /// The size of the context sent, in bytes.
    pub(super) context_bytes: usize,
    /// The `-t` tags given.
    pub(super) tags: &'a [&'a str],
    /// The built image's id (`sha256:...`) when the build succeeded.
    pub(super) image_id: Option<&'a str>,
    /// The daemon's error that ended the build, if any.
    pub(super) error: Option<&'a str>,
}

/// One instruction of the classic builder's stream.
#[derive(Default)]
struct Step {
    keyword: String,
    args: String,
    cached: bool,
    pulled: bool,
    /// What the step's command printed (RUN), shown when it fails.
    logs: Vec<String>,
}

/// The width of a progress line before its duration.
const WIDTH: usize = 60;

/// The classic builder's stream, cut into its steps.
fn steps(stream: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for line in stream.lines() {
        if let Some((_, ins)) = line.strip_prefix("Step ").and_then(|rest| rest.split_once(" : ")) {
            let (keyword, args) = ins.split_once(' ').unwrap_or((ins, ""));
            steps.push(Step { keyword: keyword.to_ascii_uppercase(), args: args.to_string(), ..Step::default() });
            continue;
        }
        let Some(step) = steps.last_mut() else { continue };
        if line == " ---> Using cache" {
            step.cached = true;
        } else if line.contains(": Pulling from ") {
            step.pulled = true;
        } else if !(line.starts_with(" ---> ")
            || line.starts_with("Removing intermediate container")
            || line.starts_with("Status: Downloaded")
            || line.starts_with("Successfully "))
        {
            step.logs.push(line.replace("\x1b[91m", "").replace("\x1b[0m", ""));
        }
    }
    steps
}

/// An image reference as BuildKit names it: `busybox` is
/// `docker.io/library/busybox:latest`.
pub(super) fn full_reference(reference: &str) -> String {
    let (name, tag) = match reference.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, t),
        _ => (reference, "latest"),
    };
    let tagged = if reference.contains('@') { reference.to_string() } else { format!("{name}:{tag}") };
    let first = name.split('/').next().unwrap_or("");
    if name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost") {
        tagged
    } else if name.contains('/') {
        format!("docker.io/{tagged}")
    } else {
        format!("docker.io/library/{tagged}")
    }
}

/// A vertex of the display: its line, its sub-lines, its seconds.
struct Vertex {
    text: String,
    subs: Vec<String>,
    secs: f64,
}

fn line(out: &mut String, prefix: &str, text: &str, secs: f64) {
    let _ = writeln!(out, "{prefix}{text:<w$} {secs:>4.1}s", w = WIDTH.saturating_sub(prefix.len()));
}

/// The display's last frame, and the error block when the build failed.
pub(super) fn render(stream: &str, b: &Build) -> String {
    let steps = steps(stream);
    // Stages: a FROM starts one; BuildKit numbers the steps that make a
    // filesystem (FROM, RUN, COPY, ADD, WORKDIR) within their stage.
    let shown = |s: &Step| matches!(s.keyword.as_str(), "RUN" | "COPY" | "ADD" | "WORKDIR");
    let mut stages: Vec<(String, usize)> = Vec::new();
    let mut stage_of = Vec::new();
    for s in &steps {
        if s.keyword == "FROM" {
            let words: Vec<&str> = s.args.split_whitespace().filter(|w| !w.starts_with("--")).collect();
            let alias = match words.as_slice() {
                [_, as_, name] if as_.eq_ignore_ascii_case("as") => name.to_string(),
                _ => format!("stage-{}", stages.len()),
            };
            stages.push((alias, usize::from(words.first().is_some_and(|r| *r != "scratch"))));
        } else if shown(s)
            && let Some(last) = stages.last_mut()
        {
            last.1 += 1;
        }
        stage_of.push(stages.len().saturating_sub(1));
    }
    let many = stages.len() > 1;
    let base = |s: &Step| {
        let r = s.args.split_whitespace().find(|w| !w.starts_with("--")).unwrap_or("");
        let earlier = stages.iter().any(|(alias, _)| alias.eq_ignore_ascii_case(r));
        (r != "scratch" && !r.is_empty() && !earlier).then(|| full_reference(r))
    };
    let mut vertices = vec![Vertex {
        text: format!("[internal] load build definition from {}", b.dockerfile.0),
        subs: vec![format!("transferring dockerfile: {}B", b.dockerfile.1.len())],
        secs: 0.0,
    }];
    let mut bases: Vec<String> = Vec::new();
    for r in steps.iter().filter(|s| s.keyword == "FROM").filter_map(base) {
        if !bases.contains(&r) {
            vertices.push(Vertex { text: format!("[internal] load metadata for {r}"), subs: vec![], secs: 0.1 });
            bases.push(r);
        }
    }
    vertices.push(Vertex {
        text: "[internal] load .dockerignore".into(),
        subs: vec!["transferring context: 2B".into()],
        secs: 0.0,
    });
    let from_context = |s: &Step| matches!(s.keyword.as_str(), "COPY" | "ADD") && !s.args.contains("--from=");
    let mut context_loaded = !steps.iter().any(from_context);
    let mut numbers = vec![0; stages.len()];
    let mut failed = None;
    for (i, s) in steps.iter().enumerate() {
        let last = i + 1 == steps.len() && b.error.is_some();
        if !(s.keyword == "FROM" || shown(s) || last) {
            continue;
        }
        let k = stage_of[i];
        let Some((alias, total)) = stages.get(k) else { continue };
        let from = s.keyword == "FROM";
        if from && base(s).is_none() && !last {
            continue;
        }
        numbers[k] += 1;
        let label =
            if many { format!("[{alias} {}/{total}]", numbers[k]) } else { format!("[{}/{total}]", numbers[k]) };
        let args = if from { base(s).unwrap_or_else(|| s.args.clone()) } else { s.args.clone() };
        let (mark, secs) = match (last, s.cached) {
            (true, _) => ("ERROR ", 0.2),
            (false, true) => ("CACHED ", 0.0),
            _ if from => ("", if s.pulled { 0.6 } else { 0.0 }),
            _ => (
                "",
                if s.keyword == "RUN" {
                    0.2
                } else if s.keyword == "WORKDIR" {
                    0.0
                } else {
                    0.1
                },
            ),
        };
        let subs = if from && s.pulled { vec![format!("resolve {args}")] } else { vec![] };
        if last {
            failed = Some((format!("{label} {} {}", s.keyword, s.args), s));
        }
        vertices.push(Vertex { text: format!("{mark}{label} {} {args}", s.keyword), subs, secs });
        if from && !context_loaded {
            context_loaded = true;
            vertices.push(Vertex {
                text: "[internal] load build context".into(),
                subs: vec![format!("transferring context: {}B", b.context_bytes)],
                secs: 0.0,
            });
        }
    }
    if let Some(id) = b.image_id {
        let mut subs = vec!["exporting layers".to_string(), format!("writing image {id}")];
        subs.extend(b.tags.iter().map(|t| format!("naming to {}", full_reference(t))));
        vertices.push(Vertex { text: "exporting to image".into(), subs, secs: 0.1 });
    }
    let total: f64 = vertices.iter().map(|v| v.secs).sum::<f64>() + 0.1;
    let done = vertices.len();
    let finished = if b.error.is_none() { " FINISHED" } else { "" };
    let mut out = String::new();
    let head = format!("[+] Building {total:.1}s ({done}/{done}){finished}");
    let _ = writeln!(out, "{head:<w$}docker:default", w = WIDTH - 9);
    for v in &vertices {
        line(&mut out, " => ", &v.text, v.secs);
        for sub in &v.subs {
            line(&mut out, " => => ", sub, 0.0);
        }
    }
    if let Some(error) = b.error {
        error_block(&mut out, failed, b, error);
    }
    out
}

/// BuildKit's account of a failed step: its output, the Dockerfile's
/// lines around it, the error.
fn error_block(out: &mut String, failed: Option<(String, &Step)>, b: &Build, error: &str) {
    if let Some((label, step)) = &failed {
        let _ = writeln!(out, "------\n > {label}:");
        for l in &step.logs {
            let _ = writeln!(out, "0.105 {l}");
        }
        out.push_str("------\n");
        let lines: Vec<&str> = b.dockerfile.1.lines().collect();
        let wanted = format!("{} {}", step.keyword, step.args);
        if let Some(n) = lines.iter().position(|l| l.trim().eq_ignore_ascii_case(&wanted)) {
            let _ = writeln!(out, "{}:{}\n--------------------", b.dockerfile.0, n + 1);
            for (i, l) in lines.iter().enumerate().take(n + 1).skip(n.saturating_sub(2)) {
                let _ = writeln!(out, "{:>4} | {}{l}", i + 1, if i == n { ">>> " } else { "    " });
            }
            out.push_str("--------------------\n");
        }
    }
    // The classic builder's words for a failed RUN, in BuildKit's.
    let message = error
        .strip_prefix("The command '")
        .and_then(|rest| rest.rsplit_once("' returned a non-zero code: "))
        .map(|(cmd, code)| format!("process \"{cmd}\" did not complete successfully: exit code: {code}"))
        .unwrap_or_else(|| error.to_string());
    let _ = writeln!(out, "ERROR: failed to build: failed to solve: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_named_as_buildkit_names_them() {
        assert_eq!(full_reference("busybox"), "docker.io/library/busybox:latest");
        assert_eq!(full_reference("python:3.13"), "docker.io/library/python:3.13");
        assert_eq!(full_reference("learner/app:v1"), "docker.io/learner/app:v1");
        assert_eq!(full_reference("localhost:5000/app"), "localhost:5000/app:latest");
    }

    #[test]
    fn a_cached_build_and_a_failed_one() {
        let stream = "Step 1/3 : FROM busybox\n ---> 1234\nStep 2/3 : WORKDIR /app\n ---> Using cache\n ---> 5678\nStep 3/3 : RUN echo hi && exit 3\n ---> Running in abc\nhi\n";
        let b = Build {
            dockerfile: ("Dockerfile", "FROM busybox\nWORKDIR /app\nRUN echo hi && exit 3\n"),
            context_bytes: 62,
            tags: &["app"],
            image_id: None,
            error: Some("The command '/bin/sh -c echo hi && exit 3' returned a non-zero code: 3"),
        };
        let text = render(stream, &b);
        assert!(text.starts_with("[+] Building "), "{text}");
        assert!(text.contains(" => [1/3] FROM docker.io/library/busybox:latest"), "{text}");
        assert!(text.contains(" => CACHED [2/3] WORKDIR /app"), "{text}");
        assert!(text.contains(" => ERROR [3/3] RUN echo hi && exit 3"), "{text}");
        assert!(text.contains(" > [3/3] RUN echo hi && exit 3:\n0.105 hi\n"), "{text}");
        assert!(text.contains("   3 | >>> RUN echo hi && exit 3"), "{text}");
        assert!(text.ends_with("ERROR: failed to build: failed to solve: process \"/bin/sh -c echo hi && exit 3\" did not complete successfully: exit code: 3\n"), "{text}");
    }
}
