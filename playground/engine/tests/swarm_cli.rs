//! `docker swarm`, `docker service` and `docker node` in the simulated
//! command line: the real CLI's words and tables (docker 28.2.2 against
//! dockerd 20.10 gave the expected texts), and the clock moving while the
//! CLI waits for a service to converge.

use dockhand_engine::Session;

fn ok(s: &mut Session, line: &str) -> dockhand_engine::Outcome {
    let out = s.run(line);
    assert_eq!(out.exit_code, 0, "{line}: {}\n{}", out.stdout, out.stderr);
    out
}

fn fails(s: &mut Session, line: &str) -> dockhand_engine::Outcome {
    let out = s.run(line);
    assert_ne!(out.exit_code, 0, "{line}: {}\n{}", out.stdout, out.stderr);
    out
}

fn swarm() -> (Session, String) {
    let mut s = Session::new();
    let init = ok(&mut s, "docker swarm init");
    let node = init.stdout.split(['(', ')']).nth(1).unwrap_or_default().to_string();
    assert_eq!(node.len(), 25, "{}", init.stdout);
    (s, node)
}

#[test]
fn outside_a_swarm_the_commands_say_so() {
    let mut s = Session::new();
    let manager = "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.\n";
    assert_eq!(fails(&mut s, "docker service ls").stderr, manager);
    assert_eq!(fails(&mut s, "docker node ls").stderr, manager);
    let leave = fails(&mut s, "docker swarm leave");
    assert_eq!(leave.stderr, "Error response from daemon: This node is not part of a swarm\n");
}

#[test]
fn init_join_tokens_and_node_ls() {
    let (mut s, node) = swarm();
    let init_again = fails(&mut s, "docker swarm init");
    assert!(init_again.stderr.contains("This node is already part of a swarm"), "{}", init_again.stderr);
    let worker = ok(&mut s, "docker swarm join-token -q worker").stdout;
    assert!(worker.starts_with("SWMTKN-1-") && worker.ends_with('\n'), "{worker}");
    let manager = ok(&mut s, "docker swarm join-token manager").stdout;
    assert!(
        manager.starts_with(
            "To add a manager to this swarm, run the following command:\n\n    docker swarm join --token SWMTKN-1-"
        ),
        "{manager}"
    );
    assert!(manager.ends_with(":2377\n\n"), "{manager}");
    assert_ne!(manager.split_whitespace().nth(13), Some(worker.trim()), "two tokens");
    assert_eq!(fails(&mut s, "docker swarm join-token boss").stderr, "unknown role boss\n");
    let ls = ok(&mut s, "docker node ls").stdout;
    let lines: Vec<&str> = ls.lines().collect();
    assert_eq!(
        lines[0],
        "ID                            HOSTNAME       STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION"
    );
    assert!(lines[1].starts_with(&format!("{node} *   ")), "{ls}");
    assert!(lines[1].contains("   Ready     Active         Leader           "), "{ls}");
    assert_eq!(ok(&mut s, "docker node ls -q").stdout, format!("{node} *\n"));
    let bad = fails(&mut s, "docker node ls --format '{{.Nme}}'");
    assert_eq!(
        bad.stderr,
        "template parsing error: template: :1:2: executing \"\" at <.Nme>: can't evaluate field Nme in type *node.nodeContext\n"
    );
    let info = ok(&mut s, "docker info").stdout;
    let swarm = format!(
        " Swarm: active\n  NodeID: {node}\n  Is Manager: true\n  ClusterID: {}\n  Managers: 1\n  Nodes: 1\n  Data Path Port: 4789\n  Autolock Managers: false\n  Node Address: 192.168.65.3\n  Manager Addresses:\n   192.168.65.3:2377\n Kernel Version:",
        s.engine().with_state(|st| st.swarm.as_ref().map(|sw| sw.id.clone())).unwrap_or_default()
    );
    assert!(info.contains(&swarm), "{info}");
    let leave = fails(&mut s, "docker swarm leave");
    assert!(leave.stderr.contains("Use `--force` to ignore this message."), "{}", leave.stderr);
    assert_eq!(ok(&mut s, "docker swarm leave --force").stdout, "Node left the swarm.\n");
    fails(&mut s, "docker node ls");
    assert!(ok(&mut s, "docker info").stdout.contains(" Cgroup Driver: systemd\n Swarm: inactive\n Kernel Version:"));
}

#[test]
fn service_create_waits_until_the_tasks_run_then_lists_them() {
    let (mut s, _) = swarm();
    let before = s.engine().now_ms();
    let create = ok(&mut s, "docker service create --name web --replicas 2 -p 8080:80 nginx");
    let id = create.stdout.lines().next().unwrap_or_default().to_string();
    assert_eq!(id.len(), 25, "{}", create.stdout);
    assert_eq!(
        create.stdout,
        format!(
            "{id}\noverall progress: 2 out of 2 tasks \n1/2: running   \n2/2: running   \nverify: Service {id} converged \n"
        )
    );
    // The CLI waited for the tasks to start and then five seconds more.
    assert!(s.engine().now_ms() >= before + 5_000, "{}", s.engine().now_ms() - before);

    let ls = ok(&mut s, "docker service ls").stdout;
    assert_eq!(
        ls,
        format!(
            "ID             NAME      MODE         REPLICAS   IMAGE          PORTS\n{}   web       replicated   2/2        nginx:latest   *:8080->80/tcp\n",
            &id[..12]
        )
    );
    let ps = ok(&mut s, "docker service ps web").stdout;
    let lines: Vec<&str> = ps.lines().collect();
    assert_eq!(
        lines[0],
        "ID             NAME      IMAGE          NODE           DESIRED STATE   CURRENT STATE           ERROR     PORTS"
    );
    assert!(lines[1].contains("   web.1     nginx:latest   dockhand-sim   Running         Running "), "{ps}");
    assert!(lines[2].contains("   web.2     nginx:latest   dockhand-sim   Running         Running "), "{ps}");
    assert!(lines[1].trim_end().ends_with(" seconds ago"), "{ps}");
    // One container per task, named <service>.<slot>.<task id>.
    let tasks = ok(&mut s, "docker service ps -q --no-trunc web").stdout;
    let names = ok(&mut s, "docker ps --format '{{.Names}}'").stdout;
    for (slot, task) in tasks.lines().enumerate() {
        assert!(names.contains(&format!("web.{}.{task}\n", slot + 1)), "{names} / {tasks}");
    }
    let fmt = ok(&mut s, "docker service ps --format '{{.Name}}|{{.DesiredState}}' web").stdout;
    assert_eq!(fmt, "web.1|Running\nweb.2|Running\n");
    let bad = fails(&mut s, "docker service ls --format '{{.Nme}}'");
    assert!(bad.stderr.ends_with("can't evaluate field Nme in type *service.serviceContext\n"), "{}", bad.stderr);
    let bad = fails(&mut s, "docker service ps --format '{{.Nme}}' web");
    assert!(bad.stderr.ends_with("can't evaluate field Nme in type *task.taskContext\n"), "{}", bad.stderr);
    let inspect = ok(&mut s, "docker service inspect --format '{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}}' web");
    assert_eq!(inspect.stdout, "web 2\n");
}

#[test]
fn scale_adds_and_removes_tasks() {
    let (mut s, _) = swarm();
    ok(&mut s, "docker service create -d --name web nginx");
    let scaled = ok(&mut s, "docker service scale web=3");
    assert_eq!(
        scaled.stdout,
        "web scaled to 3\noverall progress: 3 out of 3 tasks \n1/3: running   \n2/3: running   \n3/3: running   \nverify: Service web converged \n"
    );
    assert_eq!(ok(&mut s, "docker ps -q").stdout.lines().count(), 3);
    assert_eq!(ok(&mut s, "docker service scale -d web=1").stdout, "web scaled to 1\n");
    ok(&mut s, "docker service ls");
    ok(&mut s, "docker service ls");
    assert_eq!(ok(&mut s, "docker ps -q").stdout.lines().count(), 1, "scaled down");
    let ls = ok(&mut s, "docker service ls --format '{{.Name}} {{.Replicas}}'").stdout;
    assert_eq!(ls, "web 1/1\n");

    let missing = fails(&mut s, "docker service scale nosuch=2");
    assert_eq!(missing.stderr, "nosuch: Error response from daemon: service nosuch not found\n");
    let bad = fails(&mut s, "docker service scale web");
    assert!(bad.stderr.starts_with("invalid scale specifier 'web'.\n"), "{}", bad.stderr);
    ok(&mut s, "docker service create -d --mode global --name g busybox sleep 1000");
    let global = fails(&mut s, "docker service scale g=2");
    assert_eq!(global.stderr, "g: scale can only be used with replicated or replicated-job mode\n");
}

#[test]
fn global_services_jobs_and_bad_flags() {
    let (mut s, node) = swarm();
    let g = ok(&mut s, "docker service create --mode global --name g busybox sleep 1000").stdout;
    let id = g.lines().next().unwrap_or_default();
    assert_eq!(
        g,
        format!(
            "{id}\noverall progress: 1 out of 1 tasks \n{}: running   \nverify: Service {id} converged \n",
            &node[..12]
        )
    );
    assert_eq!(ok(&mut s, "docker service ps --format '{{.Name}}' g").stdout, format!("g.{node}\n"));
    ok(&mut s, "docker service create -d --mode replicated-job --replicas 2 --name job busybox true");
    for _ in 0..5 {
        ok(&mut s, "docker service ls");
    }
    let ls = ok(&mut s, "docker service ls --format '{{.Name}} {{.Mode}} {{.Replicas}}'").stdout;
    assert_eq!(ls, "g global 1/1\njob replicated job 0/2 (2/2 completed)\n");

    let mode = fails(&mut s, "docker service create --mode foo busybox");
    assert_eq!(mode.stderr, "Unknown mode: foo, only replicated and global supported\n");
    let replicas = fails(&mut s, "docker service create --replicas x busybox");
    assert!(
        replicas.stderr.starts_with(
            "invalid argument \"x\" for \"--replicas\" flag: strconv.ParseUint: parsing \"x\": invalid syntax\n"
        ),
        "{}",
        replicas.stderr
    );
    ok(&mut s, "docker service create -d --name dns -p 53/udp -p 8053:53/udp busybox sleep 1000");
    let ports = ok(&mut s, "docker service ls --filter name=dns --format '{{.Ports}}'").stdout;
    assert_eq!(ports, "*:30000->53/udp, *:8053->53/udp\n");
    let global = ok(&mut s, "docker service ls -f mode=global --format '{{.Name}}'").stdout;
    assert_eq!(global, "g\n");
    let taken = fails(&mut s, "docker service create -d --name g busybox");
    assert!(taken.stderr.contains("service g already exists"), "{}", taken.stderr);
}

#[test]
fn a_service_whose_image_is_missing_does_not_converge() {
    let (mut s, _) = swarm();
    let out = fails(&mut s, "docker service create --name nope no-such-image");
    assert!(out.stdout.contains("overall progress: 0 out of 1 tasks \n"), "{}", out.stdout);
    assert!(!out.stdout.contains("converged"), "{}", out.stdout);
    assert!(out.explanation.as_deref().unwrap_or_default().contains("Ctrl-C"), "{:?}", out.explanation);
    assert!(out.stdout.ends_with("\n1/1: No such image: no-such-image:latest \n"), "{}", out.stdout);
}

#[test]
fn logs_inspect_and_rm() {
    let (mut s, _) = swarm();
    ok(&mut s, "docker service create --name web nginx");
    let logs = ok(&mut s, "docker service logs --tail 1 web");
    let line = logs.stderr.lines().next().unwrap_or_default();
    assert!(line.starts_with("web.1.") && line.contains("@dockhand-sim    | "), "{}", logs.stderr);
    let stamped = ok(&mut s, "docker service logs --tail 1 -t web");
    let first = stamped.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("20") && first.split(' ').nth(1).unwrap_or_default().starts_with("web.1."), "{first}");

    let both = fails(&mut s, "docker service inspect --format '{{.Spec.Name}}' web nosuch");
    assert_eq!((both.stdout.as_str(), both.stderr.as_str()), ("web\n", "Error: no such service: nosuch\n"));
    let json = fails(&mut s, "docker service inspect nosuch");
    assert_eq!((json.stdout.as_str(), json.stderr.as_str()), ("[]\n", "Error: no such service: nosuch\n"));
    let ps = fails(&mut s, "docker service ps nosuch");
    assert_eq!(ps.stderr, "no such service: nosuch\n");

    assert_eq!(ok(&mut s, "docker service rm web").stdout, "web\n");
    let gone = fails(&mut s, "docker service rm web");
    assert_eq!(gone.stderr, "Error response from daemon: service web not found\n");
    ok(&mut s, "docker ps");
    assert_eq!(ok(&mut s, "docker ps -aq").stdout, "", "the task's container went with the service");
}

/// The sandbox's story suggests these (playground/web/static/app.js): each
/// must work as written, in order, on a fresh session.
#[test]
fn the_sandbox_story_s_swarm_commands_work() {
    let mut s = Session::new();
    ok(&mut s, "docker swarm init");
    ok(&mut s, "docker service create --name web --replicas 3 -p 80:80 nginx");
    let ps = ok(&mut s, "docker service ps web");
    assert_eq!(ps.stdout.matches("Running").count(), 6, "three tasks, desired and current state:\n{}", ps.stdout);
    ok(&mut s, "docker service scale web=5");
    let ls = ok(&mut s, "docker service ls");
    assert!(ls.stdout.contains("5/5"), "{}", ls.stdout);
}

/// The routing mesh: a service's published port answers on the host (it
/// said nothing listens), through a running task's container, and stops
/// answering when the service goes.
#[test]
fn a_service_port_on_the_routing_mesh_answers_curl() {
    let (mut s, _) = swarm();
    assert_eq!(fails(&mut s, "curl -s localhost:8081").exit_code, 7);
    ok(&mut s, "docker service create --name web --replicas 2 -p 8081:80 nginx");
    let page = ok(&mut s, "curl -s localhost:8081");
    assert!(page.stdout.contains("Welcome to nginx"), "{}", page.stdout);
    let why = page.explanation.unwrap_or_default();
    assert!(why.contains("routing mesh") && why.contains("(this time web.1."), "{why}");
    ok(&mut s, "docker service rm web");
    assert_eq!(fails(&mut s, "curl -s localhost:8081").exit_code, 7);
}
