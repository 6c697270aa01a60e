//! The fourth newcomer walk's findings about the terminal's words (issue
//! 19, /work/walk4 findings 2, 3 and 12, and the swarm note): the note and
//! suggestion after each slip name the learner's own images and account,
//! never a placeholder. Each test failed before its fix.

mod common;

use common::{note, ok, suggestion};
use dockhand_engine::Session;

/// A session whose project is the workflow track's web site (flow-3).
fn site_project() -> Session {
    let mut s = Session::new();
    for name in s.files().keys().cloned().collect::<Vec<_>>() {
        s.remove_file(&name);
    }
    s.write_file("index.html", "<h1>My site</h1>\n");
    s.write_file("Dockerfile", "FROM nginx\nCOPY index.html /usr/share/nginx/html/index.html\n");
    s
}

/// Finding 2: running an image not built yet, in a project with a
/// Dockerfile, says to build it (with the learner's own name), not to pull
/// busybox.
#[test]
fn running_an_image_not_built_yet_says_build_it_first() {
    let mut s = site_project();
    let out = s.run("docker run -d -p 80:8080 app");
    assert_ne!(out.exit_code, 0);
    let text = note(&out);
    assert!(!text.contains("busybox") && !suggestion(&out).contains("pull"), "{text}");
    assert!(text.contains("No image `app` exists yet") && text.contains("Dockerfile"), "{text}");
    assert_eq!(suggestion(&out), "docker build -t app .");
    assert!(!out.misspelled, "a name not built yet is no typo");
    // The tag typed is kept; `create` too.
    let out = s.run("docker create app:v2");
    assert_eq!(suggestion(&out), "docker build -t app:v2 .");
    // After a build of another name, the note names the image made here.
    ok(&mut s, "docker build -t site .");
    let out = s.run("docker run -d -p 8080:80 app");
    assert!(note(&out).contains("The images you made here: site"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker build -t app .");
    // The corrected line works, and then the run.
    ok(&mut s, "docker build -t app .");
    ok(&mut s, "docker run -d -p 8080:80 app");
}

/// Finding 2, the image-typo coach: a name close to a known image keeps
/// "Did you mean" (with or without a Dockerfile); without a Dockerfile a
/// name close to none keeps the registry's note.
#[test]
fn a_typo_keeps_did_you_mean_and_no_dockerfile_keeps_the_registry_note() {
    let mut s = site_project();
    let out = s.run("docker run -d ngnix");
    assert!(note(&out).contains("Did you mean nginx?"), "{}", note(&out));
    assert!(note(&out).contains("docker build -t ngnix ."), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker run -d nginx");
    assert!(out.misspelled);
    s.remove_file("Dockerfile");
    let out = s.run("docker run hello-word");
    assert!(note(&out).contains("Did you mean hello-world?"), "{}", note(&out));
    assert!(!note(&out).contains("docker build"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker run hello-world");
    assert!(out.misspelled);
    let out = s.run("docker run -d app");
    assert!(note(&out).contains("no such repository"), "{}", note(&out));
    assert!(!out.misspelled);
    // A split name is still read as one (`--name web 3 nginx`).
    let mut s = site_project();
    let out = s.run("docker run -d --name web 3 nginx");
    assert!(note(&out).contains("Did a space split one value in two?"), "{}", note(&out));
}

/// Finding 12's engine half: the outcome says when the daemon refused a
/// misspelled image name, and only then.
#[test]
fn the_outcome_marks_a_misspelled_image_only() {
    let mut s = Session::new();
    assert!(s.run("docker run hello-word").misspelled);
    assert!(s.run("docker pull ngnix").misspelled);
    assert!(!s.run("docker run hello-world").misspelled);
    assert!(!s.run("docker start nothere").misspelled);
    assert!(!s.run("docker run nginx:nosuchtag").misspelled);
    let json = serde_json::to_value(s.run("docker run ubunt")).unwrap();
    assert_eq!(json["misspelled"], true, "{json}");
}

/// Finding 3: `docker push app` before tagging suggests a real line: the
/// learner's own image, named in the account's namespace; a login first
/// when nobody is logged in.
#[test]
fn a_push_before_tagging_names_the_learners_image_and_account() {
    let mut s = site_project();
    ok(&mut s, "docker build -t site .");
    let out = s.run("docker push app");
    assert_ne!(out.exit_code, 0);
    let text = note(&out);
    assert!(!text.contains("IMAGE") && !suggestion(&out).contains("IMAGE"), "{text}");
    assert_eq!(suggestion(&out), "docker login -u learner -p secret");
    assert!(text.contains("docker tag site learner/site") && text.contains("docker push learner/site"), "{text}");
    ok(&mut s, "docker login -u learner -p secret");
    let out = s.run("docker push app");
    assert_eq!(suggestion(&out), "docker tag site learner/site");
    assert!(!note(&out).contains("docker login"), "{}", note(&out));
    assert!(note(&out).contains("a version tag goes after a colon: learner/site:1.0"), "{}", note(&out));
    // A tag typed is kept.
    let out = s.run("docker push app:1.0");
    assert_eq!(suggestion(&out), "docker tag site learner/site:1.0");
    // The level's own line: the image named like the push is the source.
    let out = s.run("docker push learner/site:1.0");
    assert_eq!(suggestion(&out), "docker tag site learner/site:1.0");
    // An image of that name outside the namespace: tag it into it.
    let out = s.run("docker push site");
    assert_ne!(out.exit_code, 0);
    assert_eq!(suggestion(&out), "docker tag site learner/site");
    // The suggestions lead to a push that works.
    ok(&mut s, "docker tag site learner/site:1.0");
    ok(&mut s, "docker push learner/site:1.0");
}

/// Finding 3: pushing a name in the namespace without a login says to log
/// in as that account, then push; nothing to tag.
#[test]
fn a_push_without_login_says_log_in_then_push() {
    let mut s = site_project();
    ok(&mut s, "docker build -t learner/site:1.0 .");
    let out = s.run("docker push learner/site:1.0");
    assert_ne!(out.exit_code, 0);
    assert_eq!(suggestion(&out), "docker login -u learner -p secret");
    let text = note(&out);
    assert!(text.contains("docker push learner/site:1.0") && !text.contains("docker tag"), "{text}");
}

/// The swarm note: after output showing every task running, the note says
/// they run (not "once the clock moves"); with -d it says they start next.
#[test]
fn the_service_create_note_matches_the_progress_shown() {
    let mut s = Session::new();
    ok(&mut s, "docker swarm init");
    let out = ok(&mut s, "docker service create --name web --replicas 3 -p 8080:80 nginx");
    assert!(out.stdout.contains("3 out of 3 tasks"), "{}", out.stdout);
    let text = note(&out);
    assert!(!text.contains("once the clock moves"), "{text}");
    assert!(text.contains("running now") && text.contains("new → pending"), "{text}");
    let out = ok(&mut s, "docker service create -d --name cache redis");
    assert!(note(&out).contains("returned at once (-d)"), "{}", note(&out));
}

/// Finding 1's rest: an invalid name's suggestion is the learner's own
/// line with a name the daemon takes, not an unrelated busybox example.
#[test]
fn an_invalid_name_suggests_the_learners_line_renamed() {
    let mut s = Session::new();
    let out = s.run("docker run -d --name a nginx");
    assert_ne!(out.exit_code, 0);
    assert_eq!(suggestion(&out), "docker run -d --name nginx-a nginx");
    let out = s.run("docker run -d --name 'my box' -p 8080:80 nginx:latest");
    assert_eq!(suggestion(&out), "docker run -d --name my-box -p 8080:80 nginx:latest");
    let out = s.run("docker create --name=b busybox");
    assert_eq!(suggestion(&out), "docker create --name=busybox-b busybox");
    // The suggestion runs.
    ok(&mut s, "docker run -d --name nginx-a nginx");
}

/// Finding 3, with no image of the learner's: build one named in the
/// namespace (a Dockerfile), else list the images; never a placeholder.
#[test]
fn a_push_with_no_image_of_yours_says_build_or_list() {
    let mut s = site_project();
    ok(&mut s, "docker login -u learner -p secret");
    let out = s.run("docker push app");
    assert_eq!(suggestion(&out), "docker build -t learner/app .");
    s.remove_file("Dockerfile");
    let out = s.run("docker push app");
    assert_eq!(suggestion(&out), "docker images");
    assert!(!note(&out).contains("IMAGE"), "{}", note(&out));
}
