//! The swarm in the page's state document (issue 19, the swarm in the
//! pictures): the node, the services with their replicas and ports, the
//! tasks with their containers, and each task container's service and slot.

use dockhand_playground_web::play::Play;

fn ok(play: &mut Play, line: &str) {
    let out = play.run(line);
    assert_eq!(out.exit_code, 0, "{line}: {} {}", out.stdout, out.stderr);
}

#[test]
fn the_state_has_no_swarm_until_init_and_none_after_leave() {
    let mut play = Play::new();
    let doc = serde_json::to_value(play.state()).unwrap();
    assert_eq!(doc["swarm"], serde_json::Value::Null, "a swarm before init");
    ok(&mut play, "docker swarm init");
    let sw = play.state().swarm.expect("no swarm after docker swarm init");
    assert_eq!(sw.nodes.len(), 1);
    let node = &sw.nodes[0];
    assert_eq!((node.role.as_str(), node.availability.as_str(), node.this_node), ("manager", "active", true));
    let ls = play.run("docker node ls");
    assert!(ls.stdout.contains(&format!("{} *   {}", node.id, node.hostname)), "docker node ls: {}", ls.stdout);
    assert!(sw.services.is_empty());
    ok(&mut play, "docker swarm leave --force");
    assert_eq!(play.state().swarm, None, "the swarm stays after leave --force");
}

#[test]
fn a_service_shows_its_replicas_port_and_task_containers() {
    let mut play = Play::new();
    ok(&mut play, "docker swarm init");
    ok(&mut play, "docker run -d --name loose busybox sleep 3600");
    ok(&mut play, "docker service create --name web --replicas 3 -p 80:80 nginx");
    let state = play.state();
    let sw = state.swarm.as_ref().unwrap();
    assert_eq!(sw.services.len(), 1);
    let web = &sw.services[0];
    assert_eq!((web.name.as_str(), web.mode.as_str(), web.desired), ("web", "replicated", 3));
    assert!(web.image.starts_with("nginx"), "{}", web.image);
    assert_eq!(web.ports.len(), 1);
    let p = &web.ports[0];
    assert_eq!((p.published, p.target, p.protocol.as_str(), p.mode.as_str()), (80, 80, "tcp", "ingress"));
    let live: Vec<_> = web.tasks.iter().filter(|t| t.desired == "running").collect();
    assert_eq!(live.iter().map(|t| t.slot).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(web.running, live.iter().filter(|t| t.state == "running").count() as u64);
    assert_eq!(web.running, 3, "docker service create waits until the tasks run: {:?}", web.tasks);
    for t in &live {
        assert!(t.container.starts_with(&format!("web.{}.", t.slot)), "{t:?}");
        let c = state.containers.iter().find(|c| c.id == t.container_id).expect("the task's container");
        assert_eq!(c.name, t.container);
        let of = c.task.as_ref().expect("a task container without its task");
        assert_eq!((of.service.as_str(), of.slot), ("web", t.slot));
    }
    let loose = state.containers.iter().find(|c| c.name == "loose").unwrap();
    assert_eq!(loose.task, None, "a docker run container marked as a task");

    let curl = play.run("curl -s localhost:80");
    assert!(curl.stdout.contains("Welcome to nginx"), "the routing mesh: {curl:?}");

    ok(&mut play, "docker service scale web=5");
    let state = play.state();
    let web = &state.swarm.as_ref().unwrap().services[0];
    assert_eq!((web.desired, web.running), (5, 5));
    assert_eq!(state.containers.iter().filter(|c| c.task.is_some()).count(), 5);

    ok(&mut play, "docker service rm web");
    let state = play.state();
    assert!(state.swarm.as_ref().unwrap().services.is_empty());
    assert!(state.containers.iter().all(|c| c.task.is_none()), "task containers stay after service rm");
}
