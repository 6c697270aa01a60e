//! The second newcomer's walk (issue 19, session 9): the typical slips a
//! learner makes in each level, and the note and suggestion the terminal
//! answers. Each test failed before its fix (the note pointed elsewhere or
//! said nothing).

mod common;

use common::{note, ok, suggestion};
use dockhand_engine::Session;

#[test]
fn a_forgotten_d_does_not_suggest_stopping_what_the_level_wants_running() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run --name web1 nginx");
    assert_eq!(suggestion(&out), "docker ps", "vms-2 wants it running");
    let text = note(&out);
    assert!(text.contains("Without -d") && text.contains("web1 keeps running"), "{text}");
    // A sentence a newcomer can read (the eighth walk quoted "…but not in
    // the background a level asking for -d checks"), which offers -d
    // without saying every level needs it.
    assert!(text.contains("To start it in the background instead, as docker run -d does: docker rm -f web1"), "{text}");
    assert!(!text.contains("a level asking"), "{text}");
    assert!(text.split_whitespace().count() < 70, "a wall of text: {text}");
}

#[test]
fn exec_with_the_command_first_says_the_container_goes_first() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web nginx");
    let out = s.run("docker exec ps web");
    assert!(out.stderr.contains("No such container: ps"), "{}", out.stderr);
    assert!(note(&out).contains("takes the container first"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker exec web ps");
    assert_eq!(s.run(suggestion(&out)).exit_code, 0);
}

#[test]
fn an_image_name_where_a_container_goes_names_the_container() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web nginx");
    let out = s.run("docker top nginx");
    assert!(note(&out).contains("`nginx` is an image") && note(&out).contains("web"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker top web");
}

#[test]
fn one_dash_long_options_and_global_options_after_the_command() {
    let mut s = Session::new();
    let out = s.run("docker run -d -name web nginx");
    assert_eq!(out.exit_code, 125);
    assert!(note(&out).starts_with("Long options take two dashes: --name"), "{}", note(&out));
    assert!(!note(&out).contains("Its options are"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker run -d --name web nginx");
    let out = s.run("docker run -H remote -d --name api nginx");
    assert!(note(&out).contains("option of docker itself"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker -H remote run -d --name api nginx");
    ok(&mut s, suggestion(&out).to_string().as_str());
}

#[test]
fn pull_denied_reads_the_line_a_tag_a_split_word_the_other_daemon() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name box busybox sleep 3600");
    ok(&mut s, "docker commit box notes");
    // A tag this daemon does not have.
    let out = s.run("docker run --rm notes:1 cat /etc/hostname");
    assert!(note(&out).contains("no `notes:1`") && note(&out).contains("notes:latest"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker run --rm notes:latest cat /etc/hostname");
    // A space split the name: `3` became the image, nginx the command.
    let out = s.run("docker run -d --name web 3 nginx");
    assert!(note(&out).contains("`3` for the image"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker run -d --name web3 nginx");
    // An image only the local daemon has, run on the remote one.
    ok(&mut s, "docker tag notes site");
    let out = s.run("docker -H remote run -d --name site site");
    assert!(note(&out).contains("image of your local daemon"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker tag site learner/site");
    // A name near none the registry knows stays the registry's note (a
    // near one gets "Did you mean", walk2 finding 7), in a project without
    // a Dockerfile (with one, it is an image to build: tests/walk5.rs).
    s.remove_file("Dockerfile");
    let out = s.run("docker run zzzzzz");
    assert!(note(&out).contains("simulated registry has no such repository"), "{}", note(&out));
    let out = s.run("docker run helo-world");
    assert!(note(&out).contains("Did you mean hello-world?"), "{}", note(&out));
}

#[test]
fn a_builtin_run_as_a_program_and_the_name_the_failed_run_kept() {
    let mut s = Session::new();
    let out = s.run("docker run --name fail busybox exit 3");
    assert_eq!(out.exit_code, 127);
    let text = note(&out);
    assert!(text.contains("word of the shell") && text.contains("sh -c 'exit 3'"), "{text}");
    assert!(text.contains("keeps its name"), "{text}");
    assert_eq!(suggestion(&out), "docker rm fail", "the name first, or the corrected line meets it");
    let out = s.run("docker run --rm busybox exit 3");
    assert_eq!(suggestion(&out), "docker run --rm busybox sh -c 'exit 3'");
    // An option after the image: the container exists and holds the name.
    let out = s.run("docker run --name web2 nginx -d");
    assert!(note(&out).contains("came after the image") && note(&out).contains("docker rm web2"), "{}", note(&out));
}

#[test]
fn debian_images_have_bash_and_busybox_suggests_sh() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name site nginx");
    let out = ok(&mut s, "docker exec -it site bash");
    assert!(out.prompt.starts_with("root@"), "{}", out.prompt);
    ok(&mut s, "exit");
    ok(&mut s, "docker run -d --name box busybox sleep 600");
    let out = s.run("docker exec -it box bash");
    assert!(note(&out).contains("no bash"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker exec -it box sh");
}

#[test]
fn host_commands_point_into_the_running_container() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name box busybox sleep 3600");
    let out = s.run("touch /tmp/notes.txt");
    assert_eq!(out.exit_code, 127);
    assert_eq!(suggestion(&out), "docker exec box touch /tmp/notes.txt", "not a throwaway container");
    let out = s.run("cd /usr/share/nginx/html");
    assert_eq!(suggestion(&out), "docker exec -it box sh");
    assert!(!suggestion(&out).contains("busybox cd"));
    let out = ok(&mut s, "exit");
    assert!(note(&out).contains("not in a container"), "{}", note(&out));
    assert!(out.suggestion.is_none());
    // Nothing running: a new container, as before.
    let mut fresh = Session::new();
    assert_eq!(suggestion(&fresh.run("sleep 1")), "docker run --rm busybox sleep 1");
}

#[test]
fn missing_arguments_say_what_is_missing() {
    let mut s = Session::new();
    s.write_file("Dockerfile", "FROM busybox\n");
    let out = s.run("docker build -t app");
    assert!(note(&out).contains("build context is missing"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker build -t app .");
    ok(&mut s, "docker run -d --name web nginx");
    let out = s.run("docker exec web");
    assert_eq!(suggestion(&out), "docker exec -it web sh");
    let out = s.run("docker top");
    assert_eq!(suggestion(&out), "docker top web");
    // The usage note ends its sentence (the page puts "Try: ..." after it).
    let out = s.run("docker volume create a b");
    assert!(note(&out).starts_with("The usage is") && note(&out).ends_with('.'), "{}", note(&out));
}

#[test]
fn suggestions_name_the_container_not_a_placeholder() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web nginx");
    ok(&mut s, "docker pause web");
    assert_eq!(suggestion(&s.run("docker exec web ps")), "docker unpause web");
    ok(&mut s, "docker unpause web");
    assert_eq!(suggestion(&s.run("docker rm web")), "docker rm -f web");
    ok(&mut s, "docker stop web");
    // Docker 28 names the container by its id here; the note reads it as
    // the container's name.
    assert_eq!(suggestion(&s.run("docker exec web ps")), "docker start web");
    let again = ok(&mut s, "docker stop web");
    let text = note(&again);
    assert!(text.contains("web was already stopped") && !text.contains("leads to"), "{text}");
}

#[test]
fn images_typed_as_commands_compose_and_services_without_a_swarm() {
    let mut s = Session::new();
    let out = s.run("docker hello-world");
    assert_eq!(suggestion(&out), "docker run hello-world");
    let out = s.run("docker compose up");
    assert!(note(&out).contains("compose is a plugin"), "{}", note(&out));
    let out = s.run("docker service create --name api nginx");
    assert!(note(&out).contains("swarm init"), "{}", note(&out));
    assert_eq!(suggestion(&out), "docker swarm init");
}

#[test]
fn one_ping_has_one_round_trip_time() {
    let mut s = Session::new();
    ok(&mut s, "docker network create n");
    ok(&mut s, "docker run -d --name db --network n redis");
    let out = ok(&mut s, "docker run --rm --network n busybox ping -c 1 db");
    assert!(out.stdout.contains("round-trip min/avg/max = 0.051/0.051/0.051 ms"), "{}", out.stdout);
    let out = ok(&mut s, "docker run --rm --network n busybox ping -c 4 db");
    assert!(out.stdout.contains("round-trip min/avg/max = 0.051/0.066/0.081 ms"), "{}", out.stdout);
}

#[test]
fn the_remote_machine_answers_on_its_published_port() {
    let mut s = Session::new();
    ok(&mut s, "docker -H remote run -d --name site -p 80:80 nginx");
    let out = ok(&mut s, "curl remote:80");
    assert!(out.stdout.contains("Welcome to nginx!"), "{}", out.stdout);
    assert!(note(&out).starts_with("remote's port 80"), "{}", note(&out));
    // Not the local machine's: nothing is published there.
    assert_eq!(s.run("curl localhost:80").exit_code, 7);
    assert_eq!(s.run("curl example.com").exit_code, 6);
}
