//! From the engine's swarm tables to the page's [`crate::contract::SwarmView`]:
//! the node, the services with their replicas and published ports, and
//! each task with the container it runs (the Architecture view draws them;
//! the VMs and Processes views name task containers by service and slot).

use dockhand_engine::State as EngineState;
use dockhand_engine::state::{Service, Swarm, Task};

use crate::contract::{NodeView, PortView, ServiceView, SwarmView, TaskOf, TaskView};

/// The swarm this daemon is in, or `None` when it is in none.
pub fn swarm(st: &EngineState) -> Option<SwarmView> {
    let sw = st.swarm.as_deref()?;
    let node = &sw.node;
    let mut services: Vec<ServiceView> = sw.services.values().map(|s| service(st, sw, s)).collect();
    dockhand_engine::sort_with(&mut services, &|a, b| a.name.cmp(&b.name));
    Some(SwarmView {
        id: sw.id.clone(),
        nodes: vec![NodeView {
            id: node.id.clone(),
            hostname: st.name.clone(),
            role: node.spec["Role"].as_str().unwrap_or("manager").to_string(),
            availability: node.spec["Availability"].as_str().unwrap_or("active").to_string(),
            this_node: true,
        }],
        services,
    })
}

/// The mode's word, as `docker service ls` writes it.
fn mode(spec: &serde_json::Value) -> &'static str {
    let m = &spec["Mode"];
    match ["Global", "ReplicatedJob", "GlobalJob"].iter().find(|k| m.get(**k).is_some()) {
        Some(&"Global") => "global",
        Some(&"ReplicatedJob") => "replicated job",
        Some(_) => "global job",
        None => "replicated",
    }
}

fn service(st: &EngineState, sw: &Swarm, s: &Service) -> ServiceView {
    let mode = mode(&s.spec);
    let node_active = sw.node.spec["Availability"] == "active";
    let desired = match mode {
        "replicated" => s.spec["Mode"]["Replicated"]["Replicas"].as_u64().unwrap_or(1),
        "replicated job" => s.spec["Mode"]["ReplicatedJob"]["MaxConcurrent"].as_u64().unwrap_or(1),
        _ => u64::from(node_active),
    };
    let mut tasks: Vec<&Task> = sw.tasks.values().filter(|t| t.service_id == s.id).collect();
    dockhand_engine::sort_with(&mut tasks, &|a, b| (a.slot, a.created_ms, &a.id).cmp(&(b.slot, b.created_ms, &b.id)));
    let ports = s.spec["EndpointSpec"]["Ports"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| PortView {
                    published: p["PublishedPort"].as_u64().unwrap_or(0),
                    target: p["TargetPort"].as_u64().unwrap_or(0),
                    protocol: p["Protocol"].as_str().unwrap_or("tcp").to_string(),
                    mode: p["PublishMode"].as_str().unwrap_or("ingress").to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    ServiceView {
        id: s.id.clone(),
        name: s.spec["Name"].as_str().unwrap_or("").to_string(),
        image: s.spec["TaskTemplate"]["ContainerSpec"]["Image"].as_str().unwrap_or("").to_string(),
        mode: mode.to_string(),
        desired,
        running: tasks.iter().filter(|t| t.state == "running" && t.desired != "shutdown").count() as u64,
        ports,
        tasks: tasks
            .iter()
            .map(|t| TaskView {
                id: t.id.clone(),
                slot: t.slot,
                desired: t.desired.clone(),
                state: t.state.clone(),
                container: st
                    .containers
                    .get(&t.container_id)
                    .map(|c| c.name.trim_start_matches('/').to_string())
                    .unwrap_or_default(),
                container_id: t.container_id.clone(),
            })
            .collect(),
    }
}

/// The service and slot of the task whose container is `container_id`.
pub fn task_of(st: &EngineState, container_id: &str) -> Option<TaskOf> {
    let sw = st.swarm.as_deref()?;
    let t = sw.tasks.values().find(|t| t.container_id == container_id)?;
    let service = sw.services.get(&t.service_id)?;
    Some(TaskOf { service: service.spec["Name"].as_str().unwrap_or("").to_string(), slot: t.slot })
}
