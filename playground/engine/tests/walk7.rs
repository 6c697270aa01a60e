//! The sixth newcomer walk's findings about the terminal's notes (issue
//! 19, /work/walk6 findings 3, 4, 5, 12 and 14). Each test failed before
//! its fix.

mod common;

use common::{note, ok, site_logged_in, suggestion};
use dockhand_engine::Session;

/// Finding 3: `docker push learner/site` after `docker tag site
/// learner/site:1.0` pushes :latest, which does not exist: the note says
/// the image exists only as :1.0 and suggests pushing that tag, not a new
/// tag. docker's own error comes first.
#[test]
fn a_push_without_the_tag_made_suggests_that_tag() {
    let mut s = site_logged_in();
    ok(&mut s, "docker tag site learner/site:1.0");
    let out = s.run("docker push learner/site");
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.contains("An image does not exist locally with the tag: learner/site"), "{}", out.stderr);
    let text = note(&out);
    assert!(text.contains("learner/site exists here only as :1.0"), "{text}");
    assert!(text.contains(":latest"), "{text}");
    assert!(!text.contains("docker tag"), "{text}");
    assert_eq!(suggestion(&out), "docker push learner/site:1.0");
    // Following it pushes.
    ok(&mut s, "docker push learner/site:1.0");
    // Two tags: both named, the newest suggested.
    ok(&mut s, "docker tag site learner/site:2.0");
    let out = s.run("docker push learner/site:3.0");
    assert!(note(&out).contains("only as :1.0, :2.0"), "{}", note(&out));
    // The tag named (:3.0) is the one wanted: tag the image to it (walk 7).
    assert_eq!(suggestion(&out), "docker tag site learner/site:3.0");
    // No tag of that repository at all: the old note (tag it first) stays.
    let mut s = site_logged_in();
    let out = s.run("docker push learner/site");
    assert_eq!(suggestion(&out), "docker tag site learner/site");
}

/// Finding 5: `docker run web` where web is a container and no image.
#[test]
fn running_a_containers_name_says_start_it() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web nginx");
    ok(&mut s, "docker stop web");
    let out = s.run("docker run web");
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("pull access denied"), "{}", out.stderr);
    let text = note(&out);
    assert!(text.contains("web is a container, not an image: to start it again, docker start web"), "{text}");
    assert_eq!(suggestion(&out), "docker start web");
}

/// Finding 5: `docker run --name once echo hi`: echo was read as the image.
#[test]
fn a_command_read_as_the_image_says_where_the_image_goes() {
    let mut s = Session::new();
    let out = s.run("docker run --name once echo hi");
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("pull access denied"), "{}", out.stderr);
    let text = note(&out);
    assert!(text.contains("echo was read as the image"), "{text}");
    assert!(text.contains("the image comes after the options and before the command"), "{text}");
    assert_eq!(suggestion(&out), "docker run --name once busybox echo hi");
    assert!(!out.misspelled);
    ok(&mut s, "docker run --name once busybox echo hi");
    let out = s.run("docker run --rm sleep 5");
    assert_eq!(suggestion(&out), "docker run --rm busybox sleep 5");
}

/// Finding 5: `docker commit notes:1 box`: the arguments swapped.
#[test]
fn commit_with_swapped_arguments_says_container_first() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name box busybox sleep 3600");
    ok(&mut s, "docker commit box notes:1");
    let out = s.run("docker commit notes:1 box");
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("No such container: notes:1"), "{}", out.stderr);
    let text = note(&out);
    assert!(
        text.contains("docker commit takes the container first, then the new image's name: docker commit box notes:1"),
        "{text}"
    );
    assert_eq!(suggestion(&out), "docker commit box notes:1");
    // Before the image exists, a name like an image's swapped too.
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name box busybox sleep 3600");
    let out = s.run("docker commit notes:1 box");
    assert_eq!(suggestion(&out), "docker commit box notes:1");
}

/// Finding 12: a name the daemon refuses (`--name a`) is a name typo: it
/// does not count; daemon errors of other kinds still do.
#[test]
fn an_invalid_name_does_not_count() {
    let mut s = Session::new();
    let out = s.run("docker run -d --name a nginx");
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("Invalid container name (a)"), "{}", out.stderr);
    assert!(out.misspelled);
    let out = s.run("docker run -d --name 'my box' nginx");
    assert!(out.misspelled);
    ok(&mut s, "docker run -d --name web nginx");
    let out = s.run("docker run -d --name web nginx");
    assert!(out.stderr.contains("Conflict"), "{}", out.stderr);
    assert!(!out.misspelled, "a name conflict counts");
    assert!(!s.run("docker stop nosuch").misspelled);
}

/// Finding 14: prune without -f asks, as docker does; with no answer on
/// stdin (this terminal has none) it removes nothing and says add -f.
#[test]
fn prune_without_force_asks_and_removes_nothing() {
    let mut s = Session::new();
    ok(&mut s, "docker run --name job busybox echo done");
    let out = ok(&mut s, "docker container prune");
    assert!(
        out.stdout.starts_with(
            "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] "
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("Deleted"), "{}", out.stdout);
    assert!(note(&out).contains("-f"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker container prune -f");
    assert!(ok(&mut s, "docker ps -a").stdout.contains("job"));
    let out = ok(&mut s, "docker system prune");
    assert!(out.stdout.starts_with("WARNING! This will remove:\n  - all stopped containers\n"), "{}", out.stdout);
    assert_eq!(suggestion(&out), "docker system prune -f");
    assert!(ok(&mut s, "docker ps -a").stdout.contains("job"));
    let out = ok(&mut s, "docker container prune -f");
    assert!(out.stdout.starts_with("Deleted Containers:\n"), "{}", out.stdout);
    assert!(!ok(&mut s, "docker ps -a").stdout.contains("job"));
}

/// Finding 14: `docker -H remote ps`'s note names the daemon that
/// answered; the local one's stays as it was.
#[test]
fn a_remote_commands_note_names_the_daemon() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker -H remote ps");
    let text = note(&out);
    assert!(text.starts_with("GET /containers/json: the daemon lists its containers"), "{text}");
    assert!(text.contains("The daemon that answered is remote's"), "{text}");
    let out = ok(&mut s, "docker ps");
    assert!(!note(&out).contains("remote"), "{}", note(&out));
}

/// Finding 5's limit: alone, a word like `test` may be an image of the
/// learner's (a name to build), so it gets the build note; `ls` alone is a
/// command.
#[test]
fn a_lone_word_is_read_as_a_command_only_when_it_is_one() {
    let mut s = Session::new();
    let out = s.run("docker run test");
    assert!(!note(&out).contains("was read as the image"), "{}", note(&out));
    let out = s.run("docker run ls");
    assert_eq!(suggestion(&out), "docker run busybox ls");
}
