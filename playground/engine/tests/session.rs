//! The simulated command line, end to end: output wording, exchanges,
//! state changes, errors with explanations.

use dockhand_engine::{Change, Session};

fn ok(s: &mut Session, line: &str) -> dockhand_engine::Outcome {
    let out = s.run(line);
    assert_eq!(out.exit_code, 0, "{line}: {}\n{}", out.stdout, out.stderr);
    out
}

#[test]
fn hello_world_pulls_runs_and_is_removed() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run --rm hello-world");
    assert!(out.stdout.contains("Hello from Docker!"), "{}", out.stdout);
    assert!(out.stderr.starts_with("Unable to find image 'hello-world:latest' locally\n"), "{}", out.stderr);
    assert!(out.stderr.contains("Pull complete"), "{}", out.stderr);
    let paths: Vec<String> =
        out.exchanges.iter().map(|x| format!("{} {}", x.method, x.path.split('?').next().unwrap_or(""))).collect();
    let pos =
        |p: &str| paths.iter().position(|x| x.contains(p)).unwrap_or_else(|| panic!("{p} missing from {paths:?}"));
    assert!(
        pos("POST /v1.50/images/create") > pos("POST /v1.50/containers/create"),
        "create fails first, then pull: {paths:?}"
    );
    assert!(pos("/attach") < pos("/start") && pos("/wait") < pos("/start"), "{paths:?}");
    let create =
        out.exchanges.iter().find(|x| x.path.contains("/containers/create") && x.status == 404).expect("404 create");
    assert!(create.response_body.contains("No such image: hello-world:latest"));
    assert!(
        out.changes
            .iter()
            .any(|c| matches!(c, Change::ImageAdded { tags, .. } if tags == &vec!["hello-world:latest".to_string()])),
        "{:?}",
        out.changes
    );
    // `--rm`: the container was created (201), then removed by the daemon
    // once it exited, which the CLI waited for (`condition=removed`). Both
    // happen within the command, so the change list, a diff of before and
    // after, shows no container at all.
    let created = out
        .exchanges
        .iter()
        .position(|x| x.method == "POST" && x.path.contains("/containers/create") && x.status == 201);
    let removed = out.exchanges.iter().position(|x| {
        x.method == "POST" && x.path.contains("/wait") && x.path.contains("condition=removed") && x.status == 200
    });
    assert!(matches!((created, removed), (Some(c), Some(r)) if c < r), "{paths:?}");
    assert!(
        !out.changes.iter().any(|c| matches!(c, Change::ContainerCreated { .. } | Change::ContainerRemoved { .. })),
        "{:?}",
        out.changes
    );
    assert_eq!(ok(&mut s, "docker ps -aq").stdout, "");
}

#[test]
fn ps_and_images_tables_match_the_real_cli() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web -p 8080:80 nginx");
    let ps = ok(&mut s, "docker ps");
    let lines: Vec<&str> = ps.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "CONTAINER ID   IMAGE     COMMAND                  CREATED        STATUS        PORTS                                     NAMES"
    );
    assert!(lines[1].ends_with("   nginx     \"/docker-entrypoint.…\"   1 second ago   Up 1 second   0.0.0.0:8080->80/tcp, [::]:8080->80/tcp   web"), "{}", lines[1]);
    let images = ok(&mut s, "docker images");
    assert!(
        images.stdout.starts_with("REPOSITORY   TAG       IMAGE ID       CREATED        SIZE\nnginx        latest    "),
        "{}",
        images.stdout
    );
    assert!(images.stdout.trim_end().ends_with("187MB"), "{}", images.stdout);
    let names = ok(&mut s, "docker ps --format '{{.Names}} {{.Status}}'");
    assert_eq!(names.stdout, "web Up 3 seconds\n");
    let curl = ok(&mut s, "curl localhost:8080");
    assert!(curl.stdout.contains("Welcome to nginx!"));
    let logs = ok(&mut s, "docker logs --tail 1 web");
    assert!(logs.stdout.contains("\"GET / HTTP/1.1\" 200"), "{}", logs.stdout);
}

#[test]
fn lifecycle_and_refused_transitions() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name sleeper busybox sleep 600");
    let again = ok(&mut s, "docker start sleeper");
    assert!(
        again.changes.iter().any(|c| matches!(c, Change::TransitionRefused { action, .. } if action == "start")),
        "{:?}",
        again.changes
    );
    assert!(again.exchanges.iter().any(|x| x.status == 304));
    ok(&mut s, "docker pause sleeper");
    let exec = s.run("docker exec sleeper ls");
    assert_eq!(exec.exit_code, 1);
    assert!(exec.stderr.contains("is paused, unpause the container before exec"), "{}", exec.stderr);
    assert!(exec.suggestion.as_deref() == Some("docker unpause sleeper"));
    ok(&mut s, "docker unpause sleeper");
    let ps = ok(&mut s, "docker exec sleeper ps");
    assert!(ps.stdout.contains("    1 root      0:00 sleep 600"), "{}", ps.stdout);
    let stop = ok(&mut s, "docker stop sleeper");
    assert!(
        stop.changes
            .iter()
            .any(|c| matches!(c, Change::ContainerState { from, to, .. } if from == "running" && to == "exited")),
        "{:?}",
        stop.changes
    );
    let ps = ok(&mut s, "docker ps -a");
    assert!(ps.stdout.contains("Exited (137)"), "{}", ps.stdout);
    let exec = s.run("docker exec sleeper ls");
    assert!(exec.stderr.contains("is not running"), "{}", exec.stderr);
    let dup = s.run("docker run --name sleeper busybox");
    assert_eq!(dup.exit_code, 125);
    assert!(
        dup.stderr.contains("Conflict. The container name \"/sleeper\" is already in use by container"),
        "{}",
        dup.stderr
    );
    assert_eq!(dup.suggestion.as_deref(), Some("docker rm -f sleeper"));
    ok(&mut s, "docker rm sleeper");
    let gone = s.run("docker rm sleeper");
    assert_eq!(gone.stderr, "Error response from daemon: No such container: sleeper\n");
}

#[test]
fn sleeping_foreground_containers_follow_the_simulated_clock() {
    let mut s = Session::new();
    let out = ok(
        &mut s,
        "docker run busybox sh -c 'echo start; sleep 5; echo done; exit 4'".replace("exit 4", "true").as_str(),
    );
    assert_eq!(out.stdout, "start\ndone\n");
    let failing = s.run("docker run --rm busybox sh -c 'exit 3'");
    assert_eq!(failing.exit_code, 3);
}

#[test]
fn unknown_commands_and_flags_teach() {
    let mut s = Session::new();
    let out = s.run("docker psx");
    assert_eq!(out.exit_code, 1);
    assert_eq!(out.stderr, "docker: unknown command: docker psx\n\nRun 'docker --help' for more information\n");
    assert_eq!(out.suggestion.as_deref(), Some("docker ps"));
    let out = s.run("docker run --bogus x");
    assert_eq!(out.exit_code, 125);
    assert!(
        out.stderr.starts_with("unknown flag: --bogus\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"),
        "{}",
        out.stderr
    );
    assert!(out.explanation.is_some());
    let out = s.run("docker run");
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.starts_with("docker: 'docker run' requires at least 1 argument"), "{}", out.stderr);
    assert!(out.exchanges.is_empty(), "usage errors send nothing");
    let out = s.run("dokcer ps");
    assert_eq!(out.exit_code, 127);
}

#[test]
fn build_cache_push_and_remote_deploy() {
    let mut s = Session::new();
    s.write_file(
        "Dockerfile",
        "FROM busybox\nCOPY app.sh /app.sh\nRUN echo prepared > /ready\nCMD [\"sh\", \"/app.sh\"]\n",
    );
    s.write_file("app.sh", "echo hello from the app\ncat /ready\n");
    let b = ok(&mut s, "docker build -t learner/app:v1 .");
    assert!(
        b.stderr.contains(" => [1/3] FROM docker.io/library/busybox:latest")
            && b.stderr.contains(" => => naming to docker.io/learner/app:v1"),
        "{}",
        b.stderr
    );
    // BuildKit marks the steps the cache gave: COPY and RUN (CMD is no step of its display).
    let b2 = ok(&mut s, "docker build -t learner/app:v1 .");
    assert_eq!(b2.stderr.matches(" => CACHED [").count(), 2, "{}", b2.stderr);
    s.write_file("app.sh", "echo changed\n");
    let b3 = ok(&mut s, "docker build -t learner/app:v2 .");
    assert_eq!(b3.stderr.matches("CACHED").count(), 0, "COPY changed, later steps rebuild: {}", b3.stderr);
    assert_eq!(ok(&mut s, "docker run --rm learner/app:v1").stdout, "hello from the app\nprepared\n");
    let denied = s.run("docker push learner/app:v1");
    assert_eq!(denied.exit_code, 1);
    assert!(denied.stderr.contains("denied: requested access to the resource is denied"), "{}", denied.stderr);
    ok(&mut s, "docker login -u learner -p secret");
    let pushed = ok(&mut s, "docker push learner/app:v1");
    assert!(pushed.stdout.contains("Layer already exists") && pushed.stdout.contains("Pushed"), "{}", pushed.stdout);
    let auth = pushed.exchanges.iter().find(|x| x.path.contains("/push")).expect("push exchange");
    assert!(
        auth.request_headers.iter().any(|(k, v)| k == "x-registry-auth" && v == "<redacted>"),
        "{:?}",
        auth.request_headers
    );
    let pushed2 = ok(&mut s, "docker push learner/app:v2");
    assert!(pushed2.stdout.matches("Layer already exists").count() >= 1, "{}", pushed2.stdout);
    // Deploy on the remote daemon.
    ok(&mut s, "export DOCKER_HOST=tcp://remote.example:2376");
    let run = ok(&mut s, "docker run --rm learner/app:v1");
    assert_eq!(run.daemon, "remote");
    assert!(run.stdout.contains("hello from the app"));
    ok(&mut s, "unset DOCKER_HOST");
    assert!(s.remote_engine().with_state(|st| st.tags.contains_key("learner/app:v1")));
    let failed = {
        s.write_file("Dockerfile", "FROM busybox\nRUN false\n");
        s.run("docker build .")
    };
    assert_eq!(failed.exit_code, 1);
    assert!(
        failed.stderr.contains("process \"/bin/sh -c false\" did not complete successfully: exit code: 1"),
        "{}",
        failed.stderr
    );
}

#[test]
fn multi_stage_build_with_target_and_labels() {
    let mut s = Session::new();
    s.write_file(
        "Dockerfile",
        "FROM busybox AS builder\nRUN echo compiled > /artifact\n\
         FROM busybox\nCOPY --from=builder /artifact /app/artifact\nCMD [\"cat\", \"/app/artifact\"]\n",
    );
    let b = ok(&mut s, "docker build -t learner/multi --label team=docs .");
    // BuildKit numbers each stage's steps under the stage's name.
    assert!(b.stderr.contains(" => [builder 2/2] RUN echo compiled > /artifact"), "{}", b.stderr);
    assert!(b.stderr.contains(" => [stage-1 2/2] COPY --from=builder /artifact /app/artifact"), "{}", b.stderr);
    assert_eq!(ok(&mut s, "docker run --rm learner/multi").stdout, "compiled\n");
    let labels = ok(&mut s, "docker inspect --format '{{json .Config.Labels}}' learner/multi");
    assert!(labels.stdout.contains("\"team\":\"docs\""), "{}", labels.stdout);
    // --target stops at the named stage: its image has the artifact, not the CMD.
    ok(&mut s, "docker build --target builder -t learner/stage .");
    assert_eq!(ok(&mut s, "docker run --rm learner/stage cat /artifact").stdout, "compiled\n");
    let missing = s.run("docker build --target nope .");
    assert_eq!(missing.exit_code, 1);
    assert!(missing.stderr.contains("nope"), "{}", missing.stderr);
}

#[test]
fn networks_dns_volumes_and_redis() {
    let mut s = Session::new();
    ok(&mut s, "docker network create app");
    ok(&mut s, "docker run -d --name cache --network app -v redisdata:/data redis");
    assert_eq!(ok(&mut s, "docker exec cache redis-cli set greeting hello").stdout, "OK\n");
    let got = ok(&mut s, "docker run --rm --network app redis redis-cli -h cache get greeting");
    assert_eq!(got.stdout, "\"hello\"\n");
    let dns = ok(&mut s, "docker run --rm --network app busybox nslookup cache");
    assert!(dns.stdout.contains("Address: 172.18.0.2"), "{}", dns.stdout);
    let no_dns = s.run("docker run --rm busybox ping -c 1 cache");
    assert_eq!(no_dns.exit_code, 1);
    assert!(no_dns.stderr.contains("bad address 'cache'"));
    ok(&mut s, "docker rm -f cache");
    ok(&mut s, "docker run -d --name cache2 -v redisdata:/data redis");
    assert_eq!(
        ok(&mut s, "docker exec cache2 redis-cli get greeting").stdout,
        "\"hello\"\n",
        "the volume kept the data"
    );
    let vols = ok(&mut s, "docker volume ls");
    assert!(vols.stdout.contains("local     redisdata"), "{}", vols.stdout);
}

#[test]
fn interactive_shell_and_diff() {
    let mut s = Session::new();
    let start = ok(&mut s, "docker run -it --name box busybox sh");
    assert_eq!(start.prompt, "/ # ");
    let out = ok(&mut s, "echo hi > /greeting; hostname");
    assert_eq!(
        out.stdout.trim_end(),
        s.engine().with_state(|st| st.containers.values().next().map(|c| c.hostname.clone()).unwrap_or_default())
    );
    // The shell keeps its variables, functions and directory between lines,
    // and its prompt names the directory.
    let cd = ok(&mut s, "GREETING=hello; greet() { echo \"$GREETING from $1\"; }; cd /tmp");
    assert_eq!((cd.stdout.as_str(), cd.prompt.as_str()), ("", "/tmp # "));
    let out = ok(&mut s, "greet $(pwd)");
    assert_eq!((out.stdout.as_str(), out.prompt.as_str()), ("hello from /tmp\n", "/tmp # "));
    let slept = ok(&mut s, "sleep 1; cd /; echo $GREETING");
    assert_eq!(
        (slept.stdout.as_str(), slept.prompt.as_str()),
        ("hello\n", "/ # "),
        "a line that sleeps keeps them too"
    );
    assert_eq!(ok(&mut s, "unset GREETING; echo \"[$GREETING]\"").stdout, "[]\n");
    let out = ok(&mut s, "exit");
    assert_eq!(out.prompt, "$ ");
    let diff = ok(&mut s, "docker diff box");
    assert_eq!(diff.stdout, "A /greeting\n");
}

#[test]
fn snapshot_restore_undoes() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web nginx");
    let snap = s.snapshot();
    ok(&mut s, "docker rm -f web");
    assert_eq!(ok(&mut s, "docker ps -q").stdout, "");
    s.restore(&snap).expect("restore");
    assert!(ok(&mut s, "docker ps").stdout.contains("web"));
    assert!(s.restore("{not json").is_err());
    assert!(ok(&mut s, "docker ps").stdout.contains("web"), "a failed restore changes nothing");
}

/// `METHOD /path` of each exchange, without the query.
fn calls(out: &dockhand_engine::Outcome) -> Vec<String> {
    out.exchanges.iter().map(|x| format!("{} {}", x.method, x.path.split('?').next().unwrap_or(""))).collect()
}

#[test]
fn networks_volumes_and_container_views_go_through_the_sdk() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web -p 8080:80 nginx");
    let net = ok(&mut s, "docker network create --label team=a app");
    assert_eq!(calls(&net), ["HEAD /_ping", "POST /v1.50/networks/create"]);
    let body = &net.exchanges[1].request_body;
    assert!(body.contains("\"Name\":\"app\"") && body.contains("\"team\":\"a\""), "{body}");
    let id = net.stdout.trim().to_string();
    assert_eq!(id.len(), 64, "{}", net.stdout);
    let ls = ok(&mut s, "docker network ls");
    assert!(ls.stdout.starts_with("NETWORK ID     NAME      DRIVER    SCOPE\n"), "{}", ls.stdout);
    assert!(ls.stdout.contains(&format!("{}   app       bridge    local\n", &id[..12])), "{}", ls.stdout);
    ok(&mut s, "docker network connect --alias w app web");
    let f = ok(&mut s, "docker network inspect --format '{{.Name}} {{.Labels.team}}' app");
    assert_eq!(f.stdout, "app a\n");
    let conn = ok(&mut s, "docker inspect --format '{{json .NetworkSettings.Networks.app.Aliases}}' web");
    assert!(conn.stdout.contains("\"w\""), "{}", conn.stdout);
    ok(&mut s, "docker network disconnect app web");
    let rm = ok(&mut s, "docker network rm app");
    assert_eq!(rm.stdout, "app\n");
    assert!(rm.changes.contains(&Change::NetworkRemoved { name: "app".into() }), "{:?}", rm.changes);
    let gone = s.run("docker network rm app");
    assert_eq!((gone.exit_code, gone.stderr.as_str()), (1, "Error response from daemon: network app not found\n"));

    assert_eq!(ok(&mut s, "docker volume create data").stdout, "data\n");
    assert_eq!(ok(&mut s, "docker volume inspect --format '{{.Driver}} {{.Name}}' data").stdout, "local data\n");
    assert!(ok(&mut s, "docker volume ls").stdout.contains("local     data\n"));
    assert_eq!(ok(&mut s, "docker volume rm data").stdout, "data\n");
    let missing = s.run("docker volume rm data");
    assert_eq!(missing.stderr, "Error response from daemon: get data: no such volume\n");

    let top = ok(&mut s, "docker top web");
    assert!(top.stdout.starts_with("UID       PID       PPID"), "{}", top.stdout);
    assert!(top.stdout.contains("nginx: master process"), "{}", top.stdout);
    let port = ok(&mut s, "docker port web");
    assert_eq!(port.stdout, "80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n");
    assert_eq!(calls(&port), ["HEAD /_ping", "GET /v1.50/containers/web/json"]);
    let history = ok(&mut s, "docker history nginx");
    assert!(history.stdout.starts_with("IMAGE          CREATED        CREATED BY"), "{}", history.stdout);
    assert!(history.stdout.contains("CMD [\"nginx\" \"-g\" \"daemon off;\"]"), "{}", history.stdout);
    let stats = ok(&mut s, "docker stats --no-stream");
    let row = stats.stdout.lines().nth(1).unwrap_or_default();
    assert!(row.contains("   web   ") && row.ends_with("0B / 0B     2"), "{}", stats.stdout);
    // CPU % and MEM % as docker stats computes them (the SDK's helpers), and
    // the usage against the limit in binary units.
    assert!(row.contains("   0.01%   ") && row.contains("MiB / 7.666GiB   0.06%   "), "{}", stats.stdout);
    let logs = ok(&mut s, "docker logs -t web");
    assert!(logs.stdout.lines().all(|l| l.starts_with("2026-01-01T00:00:")), "{}", logs.stdout);
    let events = ok(&mut s, "docker events --until 0s --filter type=network --format '{{.Type}} {{.Action}}'");
    assert!(
        events.stdout.contains("network create\nnetwork connect\nnetwork disconnect\nnetwork destroy\n"),
        "{}",
        events.stdout
    );
    let inspect = s.run("docker inspect nothing-here");
    assert_eq!((inspect.exit_code, inspect.stderr.as_str()), (1, "Error: No such object: nothing-here\n"));
}

#[test]
fn exec_shell_copy_and_prune_over_the_sdk() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name cache redis");
    let shell = ok(&mut s, "docker exec -it cache sh");
    assert_eq!(shell.prompt, "/data # ", "the shell starts in the image's WORKDIR and its prompt says so");
    let start = shell.exchanges.iter().find(|x| x.path.ends_with("/start")).expect("exec start");
    assert_eq!(start.status, 101, "exec start hijacks the connection");
    assert!(start.request_headers.iter().any(|(k, v)| k == "upgrade" && v == "tcp"), "{:?}", start.request_headers);
    assert_eq!(ok(&mut s, "echo inside").stdout, "inside\n");
    let exit = ok(&mut s, "exit");
    assert_eq!(exit.prompt, "$ ");
    let code = s.run("docker exec cache sh -c 'exit 5'");
    assert_eq!(code.exit_code, 5, "the exit code comes from GET /exec/{{id}}/json");
    assert!(calls(&code).last().is_some_and(|c| c.starts_with("GET /v1.50/exec/") && c.ends_with("/json")));

    ok(&mut s, "docker cp app.py cache:/data/app.py");
    assert_eq!(ok(&mut s, "docker exec cache cat /data/app.py").stdout, "print(\"Hello from my first image!\")\n");
    let back = ok(&mut s, "docker cp cache:/data/app.py copy.py");
    assert_eq!(back.stderr, "Successfully copied 36B to copy.py\n");
    assert_eq!(s.files().get("copy.py").map(String::as_str), Some("print(\"Hello from my first image!\")\n"));
    let missing = s.run("docker cp cache:/nope .");
    assert_eq!(missing.exit_code, 1);
    assert!(missing.stderr.starts_with("Error response from daemon: "), "{}", missing.stderr);

    ok(&mut s, "docker rm -f cache");
    let pruned = ok(&mut s, "docker image prune -a -f");
    assert!(
        pruned.stdout.starts_with("Deleted Images:\nuntagged: redis:latest\ndeleted: sha256:"),
        "{}",
        pruned.stdout
    );
    assert!(pruned.stdout.contains("\nTotal reclaimed space: "), "{}", pruned.stdout);
    assert!(pruned.changes.iter().any(|c| matches!(c, Change::ImageRemoved { .. })), "{:?}", pruned.changes);
}

#[test]
fn names_the_sdk_refuses_never_reach_the_daemon() {
    let mut s = Session::new();
    for line in
        ["docker logs ../x", "docker top ..", "docker exec .. ls", "docker network rm ..", "docker volume rm .."]
    {
        let out = s.run(line);
        assert_eq!(out.exit_code, 1, "{line}");
        assert_eq!(calls(&out), ["HEAD /_ping"], "{line}: nothing but the ping is sent");
        assert!(out.stderr.starts_with("Error: invalid "), "{line}: {}", out.stderr);
        assert!(!out.stderr.contains("from daemon"), "{line}: {}", out.stderr);
        assert!(out.explanation.as_deref().is_some_and(|e| e.contains("before asking the daemon")), "{line}");
    }
    let run = s.run("docker run ''");
    assert_eq!(run.exit_code, 125);
    assert!(run.stderr.starts_with("docker: invalid container configuration"), "{}", run.stderr);
}

#[test]
fn many_runs_with_rm_keep_each_last_words_and_exit_code() {
    // The engine keeps the output of removed containers for the clients
    // still attached; a full keep must drop the oldest, never the one just
    // removed (a `--rm` run whose end came with its removal).
    let mut s = Session::new();
    for round in 0..60 {
        let out = s.run("docker run --rm busybox sh -c 'sleep 0.1; echo done; exit 3'");
        assert_eq!((out.stdout.as_str(), out.exit_code), ("done\n", 3), "round {round}: {}", out.stderr);
    }
}

#[test]
fn start_attached_shows_the_output_and_returns_the_exit_code() {
    let mut s = Session::new();
    ok(&mut s, "docker create --name once busybox sh -c 'echo hi; sleep 1; echo bye >&2; exit 4'");
    let out = s.run("docker start -a once");
    assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.exit_code), ("hi\n", "bye\n", 4));
    let paths: Vec<String> = calls(&out);
    let pos = |p: &str| paths.iter().position(|x| x.ends_with(p)).unwrap_or_else(|| panic!("{p}: {paths:?}"));
    assert!(pos("/attach") < pos("/start") && pos("/wait") < pos("/start"), "attach and wait first: {paths:?}");
    // Started again, it runs again (and prints again), as dockerd does.
    assert_eq!(s.run("docker start -a once").stdout, "hi\n");
    let two = s.run("docker start -a once other");
    assert_eq!((two.stderr.as_str(), two.exit_code), ("you cannot start and attach multiple containers at once\n", 1));
    let missing = s.run("docker start -a nosuch");
    assert_eq!(
        (missing.stderr.as_str(), missing.exit_code),
        ("Error response from daemon: No such container: nosuch\n", 1)
    );
}

#[test]
fn users_are_looked_up_in_the_containers_files() {
    let mut s = Session::new();
    // The output of busybox's `id` on dockerd for each `--user`.
    for (user, id) in [
        ("", "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"),
        ("nobody", "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n"),
        ("1000", "uid=1000 gid=0(root) groups=0(root)\n"),
        ("1000:1000", "uid=1000 gid=1000 groups=1000\n"),
        ("nobody:root", "uid=65534(nobody) gid=0(root) groups=0(root)\n"),
    ] {
        let flag = if user.is_empty() { String::new() } else { format!("--user {user} ") };
        assert_eq!(ok(&mut s, &format!("docker run --rm {flag}busybox id")).stdout, id, "--user {user}");
    }
    // A name the image does not know: dockerd refuses to start it.
    let out = s.run("docker run --name anon --user foo busybox id");
    assert_eq!(out.exit_code, 125);
    assert!(
        out.stderr.starts_with(
            "docker: Error response from daemon: unable to find user foo: no matching entries in passwd file\n"
        ),
        "{}",
        out.stderr
    );
    let state = ok(&mut s, "docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' anon");
    assert_eq!(state.stdout, "created 128\n");
    let group = s.run("docker run --rm --user nobody:foo busybox id");
    assert!(group.stderr.contains("unable to find group foo: no matching entries in group file"), "{}", group.stderr);
}

#[test]
fn the_terminal_pipes_into_filters_and_substitutes_docker_commands() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name one busybox sleep 100");
    ok(&mut s, "docker run -d --name two busybox sleep 100");
    assert_eq!(ok(&mut s, "docker ps -q | wc -l").stdout, "2\n");
    assert_eq!(ok(&mut s, "docker ps --format '{{.Names}}' | sort -r | head -n 1").stdout, "two\n");
    let grep = s.run("docker ps -a | grep nothing-like-it");
    assert_eq!((grep.stdout.as_str(), grep.exit_code), ("", 1), "grep's status is the pipeline's");
    // The classic clean-up: each container id goes to `rm` as a word.
    let removed = ok(&mut s, "docker rm -f $(docker ps -aq)");
    assert_eq!(removed.stdout.lines().count(), 2, "{}", removed.stdout);
    assert!(calls(&removed).iter().filter(|c| c.starts_with("DELETE /v1.50/containers/")).count() == 2);
    assert_eq!(ok(&mut s, "docker ps -aq").stdout, "");
    // Nothing left: bash passes no word, and rm says it wants one.
    assert_eq!(s.run("docker rm $(docker ps -aq)").exit_code, 1);
    // What is quoted belongs to the container's shell.
    assert_eq!(ok(&mut s, "docker run --rm busybox sh -c 'echo a b | wc -w'").stdout, "2\n");
    let unknown = s.run("docker ps | awk '{print $1}'");
    assert_eq!((unknown.stderr.as_str(), unknown.exit_code), ("bash: awk: command not found\n", 127));
}

#[test]
fn the_terminal_pipes_into_xargs_as_gnu_xargs_runs() {
    let mut s = Session::new();
    // Nothing to stop: GNU xargs still runs `docker stop` once, whose usage
    // error makes xargs exit 123; with -r it runs nothing.
    let empty = s.run("docker ps -q | xargs docker stop");
    assert_eq!(empty.exit_code, 123);
    assert!(empty.stderr.contains("'docker stop' requires at least 1 argument"), "{}", empty.stderr);
    assert_eq!(ok(&mut s, "docker ps -q | xargs -r docker stop").stdout, "");
    ok(&mut s, "docker run -d --name one busybox sleep 100");
    ok(&mut s, "docker run -d --name two busybox sleep 100");
    // -n 1: one inspect per id, so two requests.
    let names = ok(&mut s, "docker ps -q | xargs -n 1 docker inspect -f '{{.Name}}' | sort");
    assert_eq!(names.stdout, "/one\n/two\n");
    let inspects =
        calls(&names).into_iter().filter(|c| c.starts_with("GET /v1.50/containers/") && c.ends_with("/json"));
    assert_eq!(inspects.filter(|c| c != "GET /v1.50/containers/json").count(), 2);
    // -I: one command per line, the name in place of {}.
    let hosts = ok(&mut s, "docker ps --format '{{.Names}}' | xargs -I {} docker exec {} echo in {}");
    assert_eq!(hosts.stdout.lines().collect::<std::collections::BTreeSet<_>>(), ["in one", "in two"].into());
    // A failing command makes xargs exit 123, after it has run them all.
    let running = s.run("docker ps -aq | xargs docker rm");
    assert_eq!(running.exit_code, 123);
    assert_eq!(running.stderr.lines().count(), 2, "{}", running.stderr);
    let removed = ok(&mut s, "docker ps -aq | xargs docker rm -f | wc -l");
    assert_eq!(removed.stdout, "2\n");
    assert_eq!(ok(&mut s, "docker ps -aq").stdout, "");
    let missing = s.run("docker ps -q | xargs kubectl delete");
    assert_eq!((missing.stderr.as_str(), missing.exit_code), ("xargs: kubectl: No such file or directory\n", 127));
    let bad = s.run("docker ps -q | xargs -n 0 docker stop");
    assert_eq!((bad.stderr.as_str(), bad.exit_code), ("xargs: value 0 for -n option should be >= 1\n", 1));
}

#[test]
fn deeply_nested_substitutions_are_refused_not_followed() {
    let mut s = Session::new();
    let line = format!("docker rm {}docker ps -q{}", "$(docker inspect ".repeat(500), ")".repeat(500));
    let out = s.run(&line);
    assert!(out.stderr.contains("bash: command substitutions nested too deeply"), "{}", out.stderr);
}

#[test]
fn history_takes_quiet_and_format_like_the_other_lists() {
    let mut s = Session::new();
    ok(&mut s, "docker pull busybox");
    let by = ok(&mut s, "docker history --format '{{.CreatedBy}}' busybox").stdout;
    assert_eq!(by.lines().next(), Some(r#"CMD ["sh"]"#), "{by}");
    let ids = ok(&mut s, "docker history -q busybox").stdout;
    assert_eq!(ids.lines().count(), by.lines().count(), "one id per layer: {ids}");
    assert!(ids.lines().skip(1).all(|l| l == "<missing>"), "{ids}");
    assert_eq!(ok(&mut s, "docker images --format '{{.Repository}}'").stdout, "busybox\n");
}

#[test]
fn busybox_httpd_serves_its_home_in_the_foreground_only() {
    // As on dockerd (checked by hand with Debian's busybox): with -f it
    // serves files, busybox's 404 page for others, and ignores SIGTERM as
    // PID 1 (stop kills it: 137); without -f it forks and the container ends.
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name site -p 8080:80 busybox httpd -f -h /srv");
    ok(
        &mut s,
        "docker exec site sh -c 'mkdir -p /srv/docs && echo hello > /srv/index.html && echo d > /srv/docs/index.html'",
    );
    assert_eq!(ok(&mut s, "curl localhost:8080").stdout, "hello\n");
    assert_eq!(ok(&mut s, "curl localhost:8080/docs").stdout, "d\n");
    assert!(ok(&mut s, "curl localhost:8080/nope").stdout.contains("The requested URL was not found"));
    assert_eq!(
        ok(&mut s, "docker top site").stdout.lines().nth(1).map(|l| l.ends_with("httpd -f -h /srv")),
        Some(true)
    );
    ok(&mut s, "docker stop site");
    assert_eq!(ok(&mut s, "docker inspect -f '{{.State.ExitCode}}' site").stdout, "137\n");
    ok(&mut s, "docker run -d --name forked busybox httpd");
    assert!(ok(&mut s, "docker ps -a --format '{{.Status}}' --filter name=forked").stdout.starts_with("Exited (0)"));
}

#[test]
fn run_options_are_checked_and_worded_as_the_docker_cli_does() {
    // Each expectation is what the docker CLI printed on dockerd 20.10.
    let mut s = Session::new();
    ok(&mut s, "docker pull busybox");
    ok(&mut s, "docker run -d --name anyport -p 80 busybox sleep 100");
    assert_eq!(ok(&mut s, "docker port anyport 80").stdout, "0.0.0.0:32768\n[::]:32768\n", "the first free port");
    let refused = |s: &mut Session, line: &str| {
        let out = s.run(line);
        assert_eq!(out.exit_code, 125, "{line}: {}", out.stderr);
        out.stderr
    };
    assert!(refused(&mut s, "docker run -p abc busybox true").starts_with("docker: invalid containerPort: abc\n"));
    assert!(refused(&mut s, "docker run -p 99999:80 busybox true").starts_with("docker: invalid hostPort: 99999\n"));
    assert!(
        refused(&mut s, "docker run -m abc busybox true")
            .starts_with("invalid argument \"abc\" for \"-m, --memory\" flag: invalid size: 'abc'\n")
    );
    let both = refused(&mut s, "docker run --rm --restart always busybox true");
    assert!(both.starts_with("docker: conflicting options: cannot specify both --restart and --rm\n"), "{both}");
    // Checked by the CLI: nothing reached the daemon but the ping.
    assert_eq!(calls(&s.run("docker run --rm --restart always busybox true")), ["HEAD /_ping"]);

    ok(&mut s, "docker run -d --name limited -m 1.5g --cpus 0.5 busybox sleep 100");
    let limits = ok(&mut s, "docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}' limited").stdout;
    assert_eq!(limits, "1610612736 500000000\n");
    assert_eq!(ok(&mut s, "docker run --rm --entrypoint '' busybox echo hi").stdout, "hi\n", "no entrypoint at all");

    ok(&mut s, "docker create --name first busybox true");
    let rename = s.run("docker rename first limited");
    assert!(
        rename.stderr.starts_with("Error response from daemon: Error when allocating new name: Conflict."),
        "{}",
        rename.stderr
    );
    assert!(rename.stderr.ends_with("Error: failed to rename container named first\n"), "{}", rename.stderr);
}

#[test]
fn update_changes_limits_and_the_restart_policy_and_stats_show_them() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name lim -m 64m busybox sleep 100");
    assert_eq!(ok(&mut s, "docker update -m 128m --cpus 1.5 --restart on-failure:3 lim").stdout, "lim\n");
    let inspect = "docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' lim";
    assert_eq!(ok(&mut s, inspect).stdout, "134217728 1500000000 on-failure 3\n");
    let usage = ok(&mut s, "docker stats --no-stream --format '{{.Name}} {{.MemUsage}}'").stdout;
    assert!(usage.starts_with("lim ") && usage.ends_with(" / 128MiB\n"), "{usage}");
    let bad = s.run("docker update -m zz lim");
    assert_eq!(bad.exit_code, 125);
    assert!(
        bad.stderr.starts_with(
            "invalid argument \"zz\" for \"-m, --memory\" flag: invalid size: 'zz'\n\nUsage:  docker update"
        ),
        "{}",
        bad.stderr
    );
}

#[test]
fn global_options_without_their_value_are_the_clients_error() {
    // `docker -l` once read past the end of the line (found by the fuzzer).
    let mut s = Session::new();
    for (line, flag) in [("docker -l", "'l' in -l"), ("docker --log-level", "--log-level"), ("docker -H", "'H' in -H")]
    {
        let out = s.run(line);
        assert_eq!(out.exit_code, 125, "{line}");
        assert!(out.stderr.starts_with(&format!("flag needs an argument: {flag}\n")), "{line}: {}", out.stderr);
    }
    assert_eq!(ok(&mut s, "docker -l debug ps -q").stdout, "");
}

#[test]
fn env_as_pid_1_prints_the_environment_in_dockerds_order() {
    // As on dockerd 20.10: PATH, HOSTNAME, TERM (with -t), the config's
    // variables as given, and HOME that runc appends.
    let mut s = Session::new();
    let keys = |text: &str| text.lines().map(|l| l.split('=').next().unwrap_or("").to_string()).collect::<Vec<_>>();
    let plain = ok(&mut s, "docker run --rm -e X=1 -e A=2 busybox env").stdout;
    assert_eq!(keys(&plain), ["PATH", "HOSTNAME", "X", "A", "HOME"], "{plain}");
    let tty = ok(&mut s, "docker run --rm -t busybox env").stdout;
    assert_eq!(keys(&tty), ["PATH", "HOSTNAME", "TERM", "HOME"], "{tty}");
    assert!(tty.contains("TERM=xterm"));
}

#[test]
fn commit_makes_an_image_from_a_containers_changes() {
    let mut s = Session::new();
    ok(&mut s, "docker run --name cm busybox sh -c 'echo x > /f'");
    let out = ok(&mut s, "docker commit -m 'add f' -c 'CMD [\"cat\", \"/f\"]' cm snap:1");
    assert!(out.stdout.starts_with("sha256:") && out.stdout.len() == 72, "{}", out.stdout);
    assert_eq!(calls(&out).last().map(String::as_str), Some("POST /v1.50/commit"));
    assert_eq!(ok(&mut s, "docker run --rm snap:1").stdout, "x\n");
    let history = ok(&mut s, "docker history --format '{{.CreatedBy}}|{{.Comment}}' snap:1").stdout;
    assert_eq!(history.lines().next(), Some("sh -c echo x > /f|add f"), "{history}");
    let parent = ok(&mut s, "docker inspect -f '{{.Parent}}' snap:1").stdout;
    assert_eq!(parent, ok(&mut s, "docker inspect -f '{{.Id}}' busybox").stdout);
    // The CLI's own checks, then the daemon's.
    let bad = s.run("docker commit cm Bad");
    assert_eq!(
        (bad.stderr.as_str(), bad.exit_code),
        ("invalid reference format: repository name (library/Bad) must be lowercase\n", 1)
    );
    let missing = s.run("docker commit nosuch");
    assert_eq!(
        (missing.stderr.as_str(), missing.exit_code),
        ("Error response from daemon: No such container: nosuch\n", 1)
    );
    let usage = s.run("docker commit");
    assert!(
        usage.stderr.starts_with("docker: 'docker commit' requires at least 1 and at most 2 arguments\n"),
        "{}",
        usage.stderr
    );
    assert!(usage.stderr.ends_with("Run 'docker commit --help' for more information\n"), "{}", usage.stderr);
}

#[test]
fn run_reads_env_files_extra_hosts_and_read_only_flags() {
    let mut s = Session::new();
    s.write_file(".env", "A=1\n# a comment\n\nB\nC=x y\n");
    let env = ok(&mut s, "docker run --rm --env-file .env -e A=2 busybox env").stdout;
    let lines: Vec<&str> = env.lines().collect();
    assert!(lines.contains(&"A=2") && lines.contains(&"C=x y"), "-e after the file wins: {env}");
    assert!(!lines.iter().any(|l| l.starts_with("B=")), "a bare name takes the client's variable, unset here: {env}");
    let missing = s.run("docker run --rm --env-file nope.env busybox true");
    assert_eq!(missing.exit_code, 125);
    assert!(missing.stderr.starts_with("docker: open nope.env: no such file or directory\n"), "{}", missing.stderr);
    let hosts = ok(&mut s, "docker run --rm --add-host db=10.0.0.5 busybox grep db /etc/hosts").stdout;
    assert_eq!(hosts, "10.0.0.5\tdb\n");
    let bad = s.run("docker run --rm --add-host db busybox true");
    assert_eq!(bad.exit_code, 125);
    assert!(bad.stderr.starts_with("invalid argument \"db\" for \"--add-host\" flag: bad format for add-host: \"db\""));
    // A tmpfs is empty again after a restart; the read-only root stays so.
    ok(&mut s, "docker run -d --name tf --read-only --tmpfs /run busybox sleep 100");
    ok(&mut s, "docker exec tf touch /run/f");
    assert_eq!(ok(&mut s, "docker exec tf ls /run").stdout, "f\n");
    ok(&mut s, "docker restart -t 0 tf");
    assert_eq!(ok(&mut s, "docker exec tf ls /run").stdout, "");
    let denied = s.run("docker exec tf touch /x");
    assert_eq!((denied.stderr.as_str(), denied.exit_code), ("touch: /x: Read-only file system\n", 1));
}

#[test]
fn format_mistakes_are_the_clis_errors_with_the_fields_to_use() {
    let mut s = Session::new();
    // With no row a bad field is never looked up; a bad function is still a
    // parse error.
    assert_eq!(ok(&mut s, "docker ps --format '{{.Name}}'").stdout, "");
    let parse = s.run("docker ps --format '{{bogus}}'");
    assert_eq!(parse.stderr, "failed to parse template: template: :1: function \"bogus\" not defined\n");
    ok(&mut s, "docker run -d --name web busybox sleep 100");
    let name = s.run("docker ps --format '{{.Name}}'");
    assert_eq!(name.exit_code, 1);
    assert_eq!(
        name.stderr,
        "failed to execute template: template: :1:2: executing \"\" at <.Name>: can't evaluate field Name in type *formatter.ContainerContext\n"
    );
    assert!(
        name.explanation.as_deref().is_some_and(|e| e.contains("did you mean {{.Names}}?")),
        "{:?}",
        name.explanation
    );
    let images = s.run("docker images --format '{{.Repo}}'");
    assert!(images.stderr.starts_with("template parsing error: template: :1:2:"), "{}", images.stderr);
    assert!(images.stderr.contains("in type *formatter.imageContext"), "{}", images.stderr);
    assert!(
        images.explanation.as_deref().is_some_and(|e| e.contains("did you mean {{.Repository}}?")),
        "{:?}",
        images.explanation
    );
}

#[test]
fn search_asks_the_simulated_hub_with_filters_and_a_limit() {
    let mut s = Session::new();
    let all = ok(&mut s, "docker search nginx");
    assert_eq!(all.stdout.lines().next(), Some("NAME      DESCRIPTION                    STARS     OFFICIAL"));
    assert!(all.stdout.contains("nginx     nginx (simulated Docker Hub)   1000      [OK]"), "{}", all.stdout);
    assert_eq!(calls(&all).last().map(String::as_str), Some("GET /v1.50/images/search"));
    let official = ok(&mut s, "docker search --filter is-official=true --format '{{.Name}}' e").stdout;
    assert!(official.lines().count() >= 2 && official.lines().all(|l| !l.contains('/')), "{official}");
    assert_eq!(ok(&mut s, "docker search --limit 1 --format '{{.Name}}' e").stdout.lines().count(), 1);
    // A pushed repository is found too, unofficial.
    ok(&mut s, "docker login -u learner -p secret");
    ok(&mut s, "docker pull busybox");
    ok(&mut s, "docker tag busybox learner/tool:1");
    ok(&mut s, "docker push learner/tool:1");
    let mine = ok(&mut s, "docker search --format '{{.Name}}|{{.IsOfficial}}' learner").stdout;
    assert_eq!(mine, "learner/tool|\n");
    assert_eq!(s.run("docker search --limit x e").exit_code, 125);
}

#[test]
fn a_classic_build_prints_each_steps_container_and_runs_chmod() {
    let mut s = Session::new();
    s.write_file(
        "Dockerfile",
        "FROM busybox\nARG VERSION=1.0\nENV GREETING=hi\nWORKDIR /app\nCOPY hello.sh .\nRUN chmod +x hello.sh && echo \"built $VERSION\" > built.txt\nUSER nobody\nENTRYPOINT [\"./hello.sh\"]\nCMD [\"world\"]\n",
    );
    s.write_file("hello.sh", "#!/bin/sh\necho \"$GREETING, $1 from $(cat /app/built.txt)\"\n");
    let build = ok(&mut s, "DOCKER_BUILDKIT=0 docker build -t bt:1 --build-arg VERSION=2.0 .");
    assert!(build.stderr.starts_with("DEPRECATED: The legacy builder is deprecated"), "{}", build.stderr);
    assert!(build.stdout.starts_with("Sending build context to Docker daemon"), "{}", build.stdout);
    // As dockerd 20.10's classic builder: every step but FROM and COPY runs
    // in a container it then removes (ARG, ENV, WORKDIR, RUN, USER,
    // ENTRYPOINT, CMD: seven).
    assert_eq!(build.stdout.matches(" ---> Running in ").count(), 7, "{}", build.stdout);
    assert_eq!(build.stdout.matches("Removing intermediate container ").count(), 7, "{}", build.stdout);
    assert_eq!(ok(&mut s, "docker run --rm bt:1 you").stdout, "hi, you from built 2.0\n");
    ok(&mut s, "export DOCKER_BUILDKIT=0");
    let again = ok(&mut s, "docker build -t bt:1 --build-arg VERSION=2.0 .");
    assert_eq!(again.stdout.matches(" ---> Using cache").count(), 8, "{}", again.stdout);
    assert!(!again.stdout.contains("Running in"), "{}", again.stdout);
    // chmod checks its mode and files as busybox does.
    let bad = s.run("docker run --rm busybox chmod bad /tmp");
    assert_eq!((bad.stderr.as_str(), bad.exit_code), ("chmod: invalid mode 'bad'\n", 1));
    let missing = s.run("docker run --rm busybox chmod 755 /nope");
    assert_eq!((missing.stderr.as_str(), missing.exit_code), ("chmod: /nope: No such file or directory\n", 1));
    assert_eq!(s.run("docker run --rm busybox chmod u+x,go-w /tmp").exit_code, 0);
}

#[test]
fn wait_prints_exit_codes_as_simulated_time_passes_and_builder_prune_empties_the_cache() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name late busybox sh -c 'sleep 3; exit 7'");
    let waited = ok(&mut s, "docker wait late");
    assert_eq!(waited.stdout, "7\n");
    assert!(calls(&waited).iter().any(|c| c == "POST /v1.50/containers/late/wait"), "{:?}", calls(&waited));
    assert_eq!(ok(&mut s, "docker wait late").stdout, "7\n", "an exited container answers at once");
    ok(&mut s, "docker run -d --name srv busybox httpd -f");
    let server = s.run("docker wait srv");
    assert_eq!((server.stdout.as_str(), server.exit_code), ("", 1));
    assert!(server.explanation.as_deref().is_some_and(|e| e.contains("does not end by itself")));
    let missing = s.run("docker wait nosuch");
    assert_eq!(missing.stderr, "Error response from daemon: No such container: nosuch\n");

    s.write_file("Dockerfile", "FROM busybox\nRUN echo hi > /x\n");
    ok(&mut s, "docker build -t b1 .");
    assert!(ok(&mut s, "docker build -t b1 .").stderr.contains(" => CACHED [2/2] RUN echo hi > /x"));
    let pruned = ok(&mut s, "docker builder prune -f");
    assert!(
        pruned.stdout.starts_with("Total reclaimed space: ") && !pruned.stdout.ends_with(" 0B\n"),
        "{}",
        pruned.stdout
    );
    assert!(!ok(&mut s, "docker build -t b1 .").stderr.contains("CACHED"), "the cache is gone");
}

/// `docker build` prints what Docker 28's CLI prints with BuildKit (its
/// default builder): the progress display's last frame, on stderr; the
/// legacy builder's output only with `DOCKER_BUILDKIT=0`.
#[test]
fn build_prints_buildkits_display_and_the_legacy_builder_on_request() {
    let mut s = Session::new();
    s.write_file("Dockerfile", "FROM busybox\nWORKDIR /app\nCOPY hello.txt .\nCMD [\"cat\", \"hello.txt\"]\n");
    s.write_file("hello.txt", "hi\n");
    let first = ok(&mut s, "docker build -t app .");
    assert_eq!(first.stdout, "", "BuildKit's display is on stderr");
    let lines: Vec<&str> = first.stderr.lines().map(str::trim_end).collect();
    let steps: Vec<String> =
        lines.iter().map(|l| l.rsplit_once(' ').map_or(*l, |(text, _)| text).trim_end().to_string()).collect();
    assert!(lines[0].starts_with("[+] Building ") && lines[0].contains("(8/8) FINISHED"), "{}", first.stderr);
    assert!(lines[0].ends_with("docker:default"), "{}", first.stderr);
    assert_eq!(
        steps[1..],
        [
            " => [internal] load build definition from Dockerfile",
            " => => transferring dockerfile: 68B",
            " => [internal] load metadata for docker.io/library/busybox:latest",
            " => [internal] load .dockerignore",
            " => => transferring context: 2B",
            " => [1/3] FROM docker.io/library/busybox:latest",
            " => => resolve docker.io/library/busybox:latest",
            " => [internal] load build context",
            " => => transferring context: 107B",
            " => [2/3] WORKDIR /app",
            " => [3/3] COPY hello.txt .",
            " => exporting to image",
            " => => exporting layers",
            &steps[14],
            " => => naming to docker.io/library/app:latest",
        ],
        "{}",
        first.stderr
    );
    assert!(steps[14].starts_with(" => => writing image sha256:"), "{}", first.stderr);
    let again = ok(&mut s, "docker build -t app .");
    assert!(again.stderr.contains(" => CACHED [2/3] WORKDIR /app"), "{}", again.stderr);
    assert!(again.stderr.contains(" => CACHED [3/3] COPY hello.txt ."), "{}", again.stderr);
    assert!(!again.stderr.contains("resolve"), "pulled once: {}", again.stderr);
    assert_eq!(ok(&mut s, "docker run --rm app").stdout, "hi\n");
    // -q: the image's id alone, on stdout.
    let quiet = ok(&mut s, "docker build -q -t app .");
    assert!(quiet.stdout.starts_with("sha256:") && quiet.stderr.is_empty(), "{quiet:?}");
    // A failed RUN: the step marked ERROR, its output, the Dockerfile's line.
    s.write_file("Dockerfile", "FROM busybox\nRUN echo about to fail && exit 3\n");
    let failed = s.run("docker build -t bad .");
    assert_eq!(failed.exit_code, 1);
    assert!(failed.stderr.contains(" => ERROR [2/2] RUN echo about to fail && exit 3"), "{}", failed.stderr);
    assert!(failed.stderr.contains("0.105 about to fail\n"), "{}", failed.stderr);
    assert!(failed.stderr.contains("   2 | >>> RUN echo about to fail && exit 3"), "{}", failed.stderr);
    assert!(failed.stderr.ends_with("ERROR: failed to build: failed to solve: process \"/bin/sh -c echo about to fail && exit 3\" did not complete successfully: exit code: 3\n"), "{}", failed.stderr);
    assert!(failed.explanation.as_deref().is_some_and(|e| e.contains("RUN instruction failed")), "{failed:?}");
    // The legacy builder, for this command, then for the session.
    s.write_file("Dockerfile", "FROM busybox\nWORKDIR /app\nCOPY hello.txt .\nCMD [\"cat\", \"hello.txt\"]\n");
    let legacy = ok(&mut s, "DOCKER_BUILDKIT=0 docker build -t app .");
    assert!(legacy.stdout.contains("Step 1/4 : FROM busybox\n"), "{}", legacy.stdout);
    assert!(legacy.stdout.contains("Successfully tagged app:latest\n"), "{}", legacy.stdout);
    assert!(ok(&mut s, "docker build -t app .").stderr.starts_with("[+] Building"), "the variable was for one command");
    ok(&mut s, "export DOCKER_BUILDKIT=0");
    assert!(ok(&mut s, "docker build -t app .").stdout.contains(" ---> Using cache"));
    ok(&mut s, "unset DOCKER_BUILDKIT");
    assert!(ok(&mut s, "docker build -t app .").stderr.starts_with("[+] Building"));
}

#[test]
fn attach_follows_a_running_container_to_its_exit() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name counter busybox sh -c 'for i in 1 2 3 4 5; do sleep 1; echo $i; done; exit 3'");
    let attached = s.run("docker attach counter");
    assert_eq!(attached.exit_code, 3, "{attached:?}");
    assert!(attached.stdout.ends_with("4\n5\n"), "what it prints from now on: {}", attached.stdout);
    assert!(calls(&attached).iter().any(|c| c == "POST /v1.50/containers/counter/attach"), "{:?}", calls(&attached));
    assert!(!calls(&attached).iter().any(|c| c.ends_with("/start")), "attach starts nothing");
    let stopped = s.run("docker attach counter");
    assert_eq!(
        (stopped.stderr.as_str(), stopped.exit_code),
        ("You cannot attach to a stopped container, start it first\n", 1)
    );
    ok(&mut s, "docker run -d --name napper busybox sleep 100");
    ok(&mut s, "docker pause napper");
    let paused = s.run("docker attach napper");
    assert_eq!(paused.stderr, "You cannot attach to a paused container, unpause it first\n");
}

#[test]
fn a_volume_mounted_twice_is_read_only_only_where_mounted_so() {
    let mut s = Session::new();
    ok(&mut s, "docker volume create shared");
    let out = ok(
        &mut s,
        "docker run --rm -v shared:/a -v shared:/b:ro busybox sh -c 'touch /a/x; echo $?; touch /b/y; echo $?; ls /b'",
    );
    assert_eq!(out.stdout, "0\n1\nx\n");
    assert!(out.stderr.ends_with("\ntouch: /b/y: Read-only file system\n"), "{}", out.stderr);
}

/// `docker system prune` prunes as the CLI does (containers, networks,
/// images, build cache), prints what each removed, and the space they
/// reclaimed together (it printed 0B whatever it removed).
#[test]
fn system_prune_adds_up_what_it_reclaimed() {
    let mut s = Session::new();
    ok(&mut s, "docker run --name junk busybox sh -c 'echo hello > /data.txt'");
    ok(&mut s, "docker pull alpine");
    ok(&mut s, "docker network create scratch");
    let out = ok(&mut s, "docker system prune -a -f");
    let text = &out.stdout;
    assert!(text.starts_with("Deleted Containers:\n"), "{text}");
    assert!(text.contains("\n\nDeleted Networks:\nscratch\n\nDeleted Images:\n"), "{text}");
    assert!(text.contains("untagged: alpine:latest\n"), "{text}");
    let total = text.lines().last().and_then(|l| l.strip_prefix("Total reclaimed space: ")).expect(text);
    assert_ne!(total, "0B", "{text}");
    assert!(total.ends_with("MB"), "the images' size: {text}");
    // Nothing left to prune: nothing printed, 0B.
    assert_eq!(ok(&mut s, "docker system prune -f").stdout, "Total reclaimed space: 0B\n");
}

/// `docker version` and `docker info` share their `--format` handling: a
/// field prints on one line, a bad template is the CLI's error and exit 1.
#[test]
fn version_and_info_format_alike() {
    let mut s = Session::new();
    assert_eq!(ok(&mut s, "docker version --format '{{.Server.ApiVersion}}'").stdout, "1.51\n");
    assert_eq!(ok(&mut s, "docker info --format '{{.Name}}'").stdout, "dockhand-sim\n");
    for line in ["docker version --format '{{.Server'", "docker info --format '{{.Name'"] {
        let out = s.run(line);
        assert_eq!((out.exit_code, out.stdout.as_str()), (1, ""), "{line}");
        assert!(out.stderr.starts_with("template parsing error: "), "{line}: {}", out.stderr);
    }
}

/// A command's aliases run it: `docker container ls` and `docker container
/// list` are `docker ps`, `docker image rm` is `docker rmi`.
#[test]
fn aliases_run_the_same_command() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web nginx");
    // The same columns but for the ages, which the clock moves.
    let ps = ok(&mut s, "docker ps --format '{{.ID}} {{.Names}}'").stdout;
    assert!(ps.ends_with(" web\n"), "{ps}");
    assert_eq!(ok(&mut s, "docker container ls --format '{{.ID}} {{.Names}}'").stdout, ps);
    assert_eq!(ok(&mut s, "docker container list --format '{{.ID}} {{.Names}}'").stdout, ps);
    assert_eq!(ok(&mut s, "docker image list -q").stdout, ok(&mut s, "docker images -q").stdout);
    ok(&mut s, "docker pull alpine");
    assert!(ok(&mut s, "docker image rm alpine").stdout.starts_with("Untagged: alpine:latest\n"));
    assert_eq!(ok(&mut s, "docker network list -q").stdout, ok(&mut s, "docker network ls -q").stdout);
}
