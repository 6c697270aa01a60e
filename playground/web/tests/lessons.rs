//! Every level of every lesson, replayed natively on the engine: its start
//! state does not already meet its goal, and its solution does.

use std::path::PathBuf;

#[path = "common/levels.rs"]
mod lesson_index;

use dockhand_playground_web::goal::Check;
use dockhand_playground_web::play::Play;
use serde_json::Value;

fn lessons_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static/lessons")
}

fn levels() -> Vec<Value> {
    lesson_index::levels(&lessons_dir())
}

fn start(level: &Value) -> Play {
    let mut play = Play::new();
    for (path, text) in level["files"].as_object().cloned().unwrap_or_default() {
        play.write_file(&path, text.as_str().unwrap());
    }
    for line in level["setup"].as_array().cloned().unwrap_or_default() {
        let out = play.run(line.as_str().unwrap());
        assert_eq!(out.exit_code, 0, "setup {line} of {} failed: {}{}", level["id"], out.stdout, out.stderr);
    }
    play.begin_level();
    play
}

#[test]
fn every_level_is_completed_by_its_solution_and_not_before() {
    let levels = levels();
    assert!(levels.len() >= 19, "four tracks of levels, found {}", levels.len());
    let mut ids = std::collections::BTreeSet::new();
    for level in &levels {
        let id = level["id"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "duplicate level id {id}");
        for key in ["title", "story", "goal", "hints", "solution"] {
            assert!(!level[key].is_null(), "{id} has no {key}");
        }
        let checks: Vec<Check> = serde_json::from_value(level["goal"].clone()).unwrap();
        assert!(!checks.is_empty(), "{id} has an empty goal");
        let mut play = start(level);
        let met = play.check(&checks);
        assert!(!met.iter().all(|m| *m), "{id} is complete before any command: {met:?}");
        let mut log = String::new();
        for step in level["solution"].as_array().unwrap() {
            let step = step.as_str().unwrap();
            if let Some(rest) = step.strip_prefix("#file ") {
                let (name, text) = rest.split_once(' ').unwrap();
                play.write_file(name, text);
                continue;
            }
            let out = play.run(step);
            log.push_str(&format!(
                "$ {step}\n{}{}[exit {}] {}\n",
                out.stdout, out.stderr, out.exit_code, out.explanation
            ));
        }
        let met = play.check(&checks);
        assert!(
            met.iter().all(|m| *m),
            "{id} is not complete after its solution: {met:?}\n{log}\nprogress: {}",
            play.progress()
        );
    }
}

#[test]
fn checkpoints_undo_state_files_context_and_progress_step_by_step() {
    use dockhand_playground_web::play::UNDO_DEPTH;
    let mut play = Play::new();
    assert!(!play.undo(), "no checkpoint yet");
    play.checkpoint();
    let start = play.snapshot();
    assert!(!play.undo(), "only the start");
    assert_eq!(play.run("docker run -d --name web nginx").exit_code, 0);
    play.checkpoint();
    let one = play.snapshot();
    play.write_file("Dockerfile", "FROM busybox\n");
    assert_eq!(play.run("docker context use remote").exit_code, 0);
    assert_eq!(play.run("docker run -d --name far nginx").exit_code, 0);
    play.checkpoint();
    assert_eq!(play.state().context, "remote");
    assert!(play.undo());
    assert_eq!(play.snapshot(), one, "back to one container, local, no Dockerfile");
    assert_eq!(play.state().context, "local");
    assert!(play.files().is_empty());
    assert_eq!(play.progress()["commands"], serde_json::json!(["docker run -d --name web nginx"]));
    assert!(play.undo());
    assert_eq!(play.snapshot(), start);
    assert!(!play.undo());
    assert_eq!(play.snapshot(), start, "a refused undo changes nothing");

    // Only the last UNDO_DEPTH steps are kept.
    for i in 0..UNDO_DEPTH + 5 {
        play.run(&format!("docker volume create v{i}"));
        play.checkpoint();
    }
    let mut undone = 0;
    while play.undo() {
        undone += 1;
    }
    assert_eq!(undone, UNDO_DEPTH);
    assert_eq!(play.state().volumes.len(), 5);
}

#[test]
fn undo_restores_the_state_and_progress() {
    let mut play = Play::new();
    let snap = play.snapshot();
    let out = play.run("docker run -d --name web nginx");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert_eq!(play.state().containers.len(), 1);
    play.restore(&snap).unwrap();
    assert!(play.state().containers.is_empty());
    assert_eq!(play.progress()["commands"], serde_json::json!([]));
    assert!(play.restore("{not json").is_err());
    assert!(play.restore(r#"{"session": "{}"}"#).is_err());
}

#[test]
fn outcomes_carry_exchanges_transitions_and_state() {
    let mut play = Play::new();
    let out = play.run("docker run -d --name web -p 8080:80 nginx");
    assert!(
        out.exchanges.iter().any(|x| x.method == "POST" && x.path.contains("/containers/create") && x.status == 201)
    );
    assert!(out.exchanges.iter().all(|x| x.daemon == "local"));
    assert!(
        out.transitions
            .iter()
            .any(|t| t.container == "web" && t.from == "created" && t.to == "running" && t.refused.is_none())
    );
    let web = out.state.containers.iter().find(|c| c.name == "web").unwrap();
    assert_eq!(web.state, "running");
    assert!(web.processes.iter().any(|p| p.pid == 1 && p.host_pid > 1), "{:?}", web.processes);
    assert!(!web.ip.is_empty());
    assert!(web.ports.iter().any(|p| p.contains("8080->80")), "{:?}", web.ports);

    let again = play.run("docker start web");
    assert!(again.transitions.iter().any(|t| t.container == "web" && t.refused.is_some()), "{:?}", again.transitions);

    let remote = play.run("docker -H remote run -d --name api nginx");
    assert!(remote.exchanges.iter().all(|x| x.daemon == "remote"));
    assert!(remote.state.remote_containers.iter().any(|c| c.name == "api" && c.state == "running"));
    assert!(!remote.state.containers.iter().any(|c| c.name == "api"));

    let once = play.run("docker run --name once busybox echo hi");
    assert_eq!(once.stdout, "hi\n");
    assert!(
        once.transitions.iter().any(|t| t.container == "once" && t.from == "running" && t.to == "exited"),
        "{:?}",
        once.transitions
    );
}

#[test]
fn an_interactive_shell_changes_the_prompt_until_exit() {
    let mut play = Play::new();
    let shell = play.run("docker run -it --name box busybox sh");
    assert_ne!(shell.prompt.trim(), "$", "{shell:?}");
    let inside = play.run("hostname");
    assert!(!inside.stdout.trim().is_empty(), "{inside:?}");
    let out = play.run("exit");
    assert_eq!(out.prompt.trim(), "$", "{out:?}");
}

#[test]
fn completion_gives_whole_lines() {
    let mut play = Play::new();
    play.run("docker run -d --name webserver nginx");
    assert!(play.complete("docker ima").contains(&"docker images".to_string()), "{:?}", play.complete("docker ima"));
    assert!(play.complete("docker stop webs").contains(&"docker stop webserver".to_string()));
}

#[test]
fn hostile_input_is_answered_not_panicked() {
    let mut play = Play::new();
    for line in [
        "",
        "docker",
        "docker run",
        "docker run -d --name '<img src=x onerror=alert(1)>' nginx",
        "docker '",
        "\u{0}",
        "docker ps --format '{{'",
    ] {
        let out = play.run(line);
        let _ = serde_json::to_string(&out).unwrap();
    }
}

/// A learner who finishes a level and types on (an `ls /` inside the
/// container shell the level left open, a `docker ps -a`) keeps the level
/// finished: a check met once stays met.
#[test]
fn a_finished_level_stays_finished() {
    for level in &levels() {
        let id = level["id"].as_str().unwrap();
        let checks: Vec<Check> = serde_json::from_value(level["goal"].clone()).unwrap();
        let mut play = start(level);
        assert!(!play.check(&checks).iter().all(|m| *m), "{id} is complete before any command");
        // As the page does: the goal is checked after each command.
        for step in level["solution"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()) {
            match step.strip_prefix("#file ") {
                Some(rest) => {
                    let (name, text) = rest.split_once(' ').unwrap();
                    play.write_file(name, text);
                }
                None => {
                    play.run(step);
                }
            }
            play.check(&checks);
        }
        assert!(play.check(&checks).iter().all(|m| *m), "{id} is not complete after its solution");
        for more in ["ls /", "docker ps -a", "echo still here"] {
            play.run(more);
            let met = play.check(&checks);
            assert!(met.iter().all(|m| *m), "{id} un-finished itself after `{more}`: {met:?}");
        }
    }
}

/// Undo takes a met check back when it goes back before the command that
/// met it, and Reset (`begin_level`) forgets it.
#[test]
fn undo_and_reset_take_a_met_check_back() {
    let checks: Vec<Check> = serde_json::from_value(
        serde_json::json!([{"text": "say hi", "expect": {"last": {"stdout": {"$contains": "hi"}}}}]),
    )
    .unwrap();
    let mut play = Play::new();
    play.checkpoint();
    assert_eq!(play.check(&checks), [false]);
    play.run("docker run --rm busybox echo hi");
    play.checkpoint();
    assert_eq!(play.check(&checks), [true]);
    play.run("docker ps");
    play.checkpoint();
    assert_eq!(play.check(&checks), [true], "the next command's output does not un-meet it");
    assert!(play.undo());
    assert_eq!(play.check(&checks), [true], "undoing `docker ps` keeps it");
    assert!(play.undo());
    assert_eq!(play.check(&checks), [false], "undoing `echo hi` takes it back");
    play.run("docker run --rm busybox echo hi");
    assert_eq!(play.check(&checks), [true]);
    play.begin_level();
    assert_eq!(play.check(&checks), [false], "reset forgets it");
}

/// A check that holds at the level's start (nothing the learner did met it)
/// follows the state until the level is complete: arch-4's "no container
/// named api on the local daemon" unticks when the learner makes one
/// locally. Once every check is met at once, the level stays complete.
#[test]
fn a_check_true_from_the_start_follows_the_state_until_completion() {
    let checks: Vec<Check> = serde_json::from_value(serde_json::json!([
        {"text": "no api here", "expect": {"state": {"containers": {"$none": {"name": "api"}}}}},
        {"text": "say hi", "expect": {"last": {"stdout": {"$contains": "hi"}}}}
    ]))
    .unwrap();
    let mut play = Play::new();
    assert_eq!(play.check(&checks), [true, false]);
    play.run("docker create --name api busybox");
    assert_eq!(play.check(&checks), [false, false], "the live check follows the state");
    play.run("docker rm api");
    assert_eq!(play.check(&checks), [true, false]);
    play.run("docker run --rm busybox echo hi");
    assert_eq!(play.check(&checks), [true, true], "complete");
    play.run("docker create --name api busybox");
    assert_eq!(play.check(&checks), [true, true], "a complete level stays complete");
}

/// The lifecycle view reads what happened from the engine's events, not
/// from request paths: `docker stop vault` is a stop (a path reader that
/// dropped every segment starting with `v`, meant for `/v1.41`, drew it as
/// the container exiting by itself), a restart is one, `--rm` removes by
/// itself, a context switch sends the transitions of the other daemon, and
/// a remote command's transitions are drawn too.
#[test]
fn transitions_come_from_the_engines_events() {
    let mut play = Play::new();
    play.run("docker run -d --name vault nginx");
    let stop = play.run("docker stop vault");
    let moves: Vec<(String, String, String, String)> = stop
        .transitions
        .iter()
        .map(|t| (t.container.clone(), t.from.clone(), t.to.clone(), t.action.clone()))
        .collect();
    assert_eq!(moves, [("vault".into(), "running".into(), "exited".into(), "stop".into())]);

    let restart = play.run("docker restart vault");
    assert!(restart.transitions.iter().all(|t| t.action == "restart"), "{:?}", restart.transitions);
    assert_eq!(restart.transitions.last().map(|t| t.to.as_str()), Some("running"));

    let kill = play.run("docker kill vault");
    assert_eq!(kill.transitions.iter().map(|t| t.action.as_str()).collect::<Vec<_>>(), ["kill"]);

    let rm = play.run("docker run --rm --name brief busybox true");
    let actions: Vec<&str> = rm.transitions.iter().map(|t| t.action.as_str()).collect();
    assert_eq!(actions, ["create", "start", "exit", "auto-remove"], "{:?}", rm.transitions);

    let remote = play.run("docker -H remote run -d --name api nginx");
    assert!(remote.transitions.iter().any(|t| t.container == "api" && t.to == "running"), "{:?}", remote.transitions);
    assert!(remote.exchanges.iter().all(|x| x.daemon == "remote"));
}

#[test]
fn images_carry_their_history_with_the_layers_for_the_images_view() {
    // flow-2's project, built twice: the images view draws each instruction
    // beside the layer it made, and the layers app and app:v2 share.
    let mut play = Play::new();
    play.write_file("app.py", "print(\"Hello from my app\")\n");
    play.write_file("Dockerfile", "FROM python:3.13\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n");
    assert_eq!(play.run("docker build -t app .").exit_code, 0);
    play.write_file("app.py", "print(\"Hello again\")\n");
    assert_eq!(play.run("docker build -t app:v2 .").exit_code, 0);
    let state = play.state();
    let tagged = |tag: &str| state.images.iter().find(|i| i.tags.iter().any(|t| t == tag)).unwrap().clone();
    let (v1, v2, base) = (tagged("app:latest"), tagged("app:v2"), tagged("python:3.13"));
    let by: Vec<&str> = v2.history.iter().map(|h| h.by.as_str()).collect();
    assert!(by.ends_with(&[
        "/bin/sh -c #(nop) WORKDIR /app",
        "/bin/sh -c #(nop) COPY app.py .",
        "/bin/sh -c #(nop) CMD [\"python\", \"app.py\"]"
    ]));
    // One step per history entry; a layer beside each step that made one.
    let layers = |i: &dockhand_playground_web::contract::ImageView| {
        i.history.iter().filter(|h| !h.layer.is_empty()).map(|h| h.layer.clone()).collect::<Vec<_>>()
    };
    assert_eq!(layers(&v2).len() as u64, v2.layers);
    let copy = v2.history.iter().find(|h| h.by.contains("COPY")).unwrap();
    assert!(copy.layer.len() == 12 && copy.size > 0, "{copy:?}");
    assert!(v2.history.iter().find(|h| h.by.contains("CMD [\"python\"")).unwrap().layer.is_empty());
    // app and app:v2 share the base image's layers; only COPY differs.
    let (l1, l2) = (layers(&v1), layers(&v2));
    assert_eq!(l1[..l1.len() - 1], l2[..l2.len() - 1]);
    assert_eq!(l2[..l2.len() - 1], layers(&base)[..]);
    assert_ne!(l1.last(), l2.last());
    // The registry's tags carry their history too (what push sent).
    play.run("docker login -u learner -p secret");
    play.run("docker tag app:v2 learner/app:v2");
    assert_eq!(play.run("docker push learner/app:v2").exit_code, 0);
    let pushed = play.state().registry.into_iter().find(|i| i.tags == ["learner/app:v2"]).unwrap();
    assert_eq!(layers(&pushed), l2);
}

/// vms-2 teaches `-d` and `--name`: three attached runs (which the
/// simulation leaves running) or three unnamed ones do not complete it.
#[test]
fn vms_2_asks_for_three_detached_named_runs() {
    let level = levels().into_iter().find(|l| l["id"] == "vms-2").unwrap();
    let checks: Vec<Check> = serde_json::from_value(level["goal"].clone()).unwrap();
    for (lines, done) in [
        (["docker run nginx", "docker run nginx", "docker run nginx"], false),
        (["docker run --name wa nginx", "docker run --name wb nginx", "docker run --name wc nginx"], false),
        (["docker run -d nginx", "docker run -d nginx", "docker run -d nginx"], false),
        (
            ["docker run -d --name wa nginx", "docker run --name wb -d nginx", "docker run --detach --name wc nginx"],
            true,
        ),
    ] {
        let mut play = start(&level);
        for line in lines {
            assert_eq!(play.run(line).exit_code, 0, "{line}");
            play.check(&checks);
        }
        let met = play.check(&checks);
        assert_eq!(met.iter().all(|m| *m), done, "{lines:?}: {met:?}");
    }
}

/// Par is the solution's count of commands, so the solution must complete its
/// level at its last command, not before: a level that completes early scores
/// the learner who follows Show solution "better than par", and its last steps
/// teach nothing the goal asks for (walk 5, finding 5: arch-4 completed after
/// the first of its two commands). The page checks the goal after every command.
#[test]
fn every_solution_completes_its_level_at_its_last_command() {
    let mut early = Vec::new();
    for level in &levels() {
        let id = level["id"].as_str().unwrap();
        let checks: Vec<Check> = serde_json::from_value(level["goal"].clone()).unwrap();
        let mut play = start(level);
        let commands: Vec<&str> = level["solution"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        let last = commands.iter().rposition(|s| !s.starts_with("#file ")).unwrap();
        for (i, step) in commands.iter().enumerate() {
            if let Some(rest) = step.strip_prefix("#file ") {
                let (name, text) = rest.split_once(' ').unwrap();
                play.write_file(name, text);
                continue;
            }
            play.run(step);
            let met = play.check(&checks);
            if i < last && met.iter().all(|m| *m) {
                early.push(format!("{id} is complete after `{step}`, before the rest of its solution"));
                break;
            }
        }
    }
    assert!(early.is_empty(), "{early:#?}");
}

/// flow-3's card says "answering on a published port": its solution and goal
/// must fetch the page through that port from the host, not from inside the
/// container (walk 5, finding 7: `docker exec site wget ...` never used port
/// 8080, and real nginx has no wget). Reading the file inside the container
/// does not complete the level; `curl localhost:8080` does.
#[test]
fn flow_3_tests_the_site_through_its_published_port() {
    let level = levels().into_iter().find(|l| l["id"] == "flow-3").unwrap();
    let solution: Vec<&str> = level["solution"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(solution.iter().all(|s| !s.contains("docker exec")), "{solution:?}");
    assert!(solution.contains(&"curl localhost:8080"), "{solution:?}");
    let checks: Vec<Check> = serde_json::from_value(level["goal"].clone()).unwrap();
    let mut play = start(&level);
    for line in ["docker build -t site .", "docker run -d --name site -p 8080:80 site"] {
        assert_eq!(play.run(line).exit_code, 0, "{line}");
        play.check(&checks);
    }
    let inside = play.run("docker exec site cat /usr/share/nginx/html/index.html");
    assert!(inside.stdout.contains("<h1>My site</h1>"), "{}{}", inside.stdout, inside.stderr);
    assert!(!play.check(&checks).iter().all(|m| *m), "reading the file inside the container is no test of the port");
    let out = play.run("curl localhost:8080");
    assert!(out.stdout.contains("<h1>My site</h1>"), "{}{}", out.stdout, out.stderr);
    assert!(play.check(&checks).iter().all(|m| *m), "curl localhost:8080 completes flow-3");
}

/// A level whose project files are not the previous project's (other file
/// names) says so in its story, and names the image it builds: walk 5,
/// finding 6, the workflow track swapped app.py for an nginx site at flow-3
/// without a word, and `docker push app` failed in flow-5.
#[test]
fn a_new_project_is_announced_in_the_story() {
    let mut previous: Option<Vec<String>> = None;
    for level in &levels() {
        let Some(files) = level["files"].as_object() else { continue };
        let names: Vec<String> = files.keys().cloned().collect();
        let story = level["story"].to_string();
        if previous.as_ref().is_some_and(|p| *p != names) {
            assert!(story.contains("new project"), "{} changes the project without a word: {story}", level["id"]);
        }
        previous = Some(names);
    }
    let flow5 = levels().into_iter().find(|l| l["id"] == "flow-5").unwrap();
    let story = flow5["story"].to_string();
    assert!(story.contains("not app"), "flow-5 does not say which image to push: {story}");
}

/// A met check stays met, but `holds_now` says when the state stopped
/// meeting it (the page shows such a goal as "met earlier"), and says it
/// holds again once the state meets it again.
#[test]
fn holds_now_tells_a_stale_met_check() {
    let checks: Vec<Check> = serde_json::from_value(serde_json::json!([
        {"text": "sleeper is running", "expect": {"state": {"containers": [{"name": "sleeper", "state": "running"}]}}}
    ]))
    .unwrap();
    let mut play = Play::new();
    assert!(play.holds_now().is_empty(), "no goal yet");
    assert_eq!(play.check(&checks), [false]);
    play.run("docker run -d --name sleeper busybox sleep 3600");
    assert_eq!((play.check(&checks), play.holds_now()), (vec![true], vec![true]));
    play.run("docker rm -f sleeper");
    play.run("docker run -d --name sleeper busybox");
    assert_eq!((play.check(&checks), play.holds_now()), (vec![true], vec![false]), "sleeper exited: met earlier");
    play.run("docker rm -f sleeper");
    play.run("docker run -d --name sleeper busybox sleep 3600");
    assert_eq!((play.check(&checks), play.holds_now()), (vec![true], vec![true]));
}
