//! The real docker CLI against `dockhand-sim` on a temporary unix socket.
//!
//! Needs the docker CLI (`/usr/local/bin/docker` or `docker` on PATH); without
//! it each test prints SKIPPED and passes, unless DOCKHAND_REQUIRE_DOCKER=1.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

struct Sim {
    process: common::SimProcess,
    docker: PathBuf,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn docker_cli() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/local/bin/docker");
    if fixed.exists() {
        return Some(fixed);
    }
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join("docker")).find(|p| p.exists())
}

fn sim() -> Option<Sim> {
    let Some(docker) = docker_cli() else {
        if std::env::var("DOCKHAND_REQUIRE_DOCKER").as_deref() == Ok("1") {
            panic!("the docker CLI is required (DOCKHAND_REQUIRE_DOCKER=1) but was not found");
        }
        eprintln!("SKIPPED: no docker CLI");
        return None;
    };
    let process = common::SimProcess::start();
    std::fs::create_dir_all(process.dir().join("config")).expect("config dir");
    Some(Sim { process, docker })
}

impl Sim {
    fn run(&self, args: &[&str]) -> Run {
        self.run_in(args, None)
    }

    fn run_in(&self, args: &[&str], cwd: Option<&Path>) -> Run {
        let mut cmd = Command::new(&self.docker);
        cmd.args(args)
            .env("DOCKER_HOST", format!("unix://{}", self.process.socket().display()))
            .env("DOCKER_CONFIG", self.process.dir().join("config"))
            .env("DOCKER_BUILDKIT", "0")
            .env_remove("DOCKER_CONTEXT")
            .env_remove("DOCKER_API_VERSION")
            .stdin(Stdio::null());
        if let Some(d) = cwd {
            cmd.current_dir(d);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run docker");
        let started = Instant::now();
        loop {
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                panic!("docker {args:?} hung");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let out = child.wait_with_output().expect("output");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(r.code, 0, "docker {args:?} failed: {}\n{}", r.stdout, r.stderr);
        r.stdout
    }
}

#[test]
fn cli_version_and_info() {
    let Some(sim) = sim() else { return };
    let v = sim.ok(&["version"]);
    assert!(v.contains("Server: Docker Engine - dockhand simulation"), "{v}");
    // The docker CLI 28.2 (API 1.50 at most) meets Docker 28.5.2's API 1.51
    // and negotiates 1.50, as it does with dockerd 28.5.
    assert!(v.contains("API version:       1.50"), "{v}");
    assert!(v.contains("Version:          28.5.2+dockhand-sim"), "{v}");
    assert!(v.contains("API version:      1.51 (minimum version 1.24)"), "{v}");
    let info = sim.ok(&["info"]);
    assert!(info.contains("Containers: 0"), "{info}");
    assert!(info.contains("Storage Driver: overlay2"), "{info}");
}

#[test]
fn cli_run_rm_hello_world_prints_the_greeting() {
    let Some(sim) = sim() else { return };
    let r = sim.run(&["run", "--rm", "hello-world"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Hello from Docker!\nThis message shows that your installation appears to be working correctly."),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("Unable to find image 'hello-world:latest' locally"), "{}", r.stderr);
    assert!(r.stderr.contains("Pull complete"), "{}", r.stderr);
    // --rm removed it.
    assert_eq!(sim.ok(&["ps", "-aq"]).trim(), "");
    assert!(sim.ok(&["images"]).contains("hello-world"));
}

#[test]
fn cli_exit_codes_and_output_of_busybox() {
    let Some(sim) = sim() else { return };
    let r = sim.run(&["run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    assert_eq!(r.code, 3, "{} {}", r.stdout, r.stderr);
    assert!(r.stdout.contains("out"), "{}", r.stdout);
    let r = sim.run(&["run", "--rm", "busybox", "nosuchcmd"]);
    assert_eq!(r.code, 127, "{}", r.stderr);
    assert!(r.stderr.contains("executable file not found in $PATH"), "{}", r.stderr);
}

#[test]
fn cli_nginx_lifecycle() {
    let Some(sim) = sim() else { return };
    let id = sim.ok(&["run", "-d", "--name", "web", "-p", "8080:80", "nginx"]);
    let id = id.trim();
    assert_eq!(id.len(), 64, "{id}");
    let ps = sim.ok(&["ps"]);
    assert!(ps.starts_with("CONTAINER ID   IMAGE     COMMAND                  CREATED"), "{ps}");
    assert!(ps.contains("0.0.0.0:8080->80/tcp"), "{ps}");
    assert!(ps.contains(&id[..12]) && ps.contains(" web"), "{ps}");
    let images = sim.ok(&["images"]);
    assert!(images.starts_with("REPOSITORY   TAG       IMAGE ID       CREATED"), "{images}");
    assert!(images.contains("nginx") && images.contains("187MB"), "{images}");
    let logs = sim.run(&["logs", "web"]);
    assert!(logs.stdout.contains("Configuration complete; ready for start up"), "{}", logs.stdout);
    assert!(logs.stderr.contains("start worker processes"), "{}", logs.stderr);
    let ls = sim.ok(&["exec", "web", "ls", "/"]);
    assert!(ls.lines().any(|l| l == "docker-entrypoint.sh") && ls.lines().any(|l| l == "etc"), "{ls}");
    let page = sim.ok(&["exec", "web", "cat", "/usr/share/nginx/html/index.html"]);
    assert!(page.contains("Welcome to nginx!"), "{page}");
    let failing = sim.run(&["exec", "web", "ls", "/nope"]);
    assert_eq!(failing.code, 1, "{}", failing.stderr);
    let conflict = sim.run(&["run", "-d", "--name", "web", "nginx"]);
    assert_eq!(conflict.code, 125);
    assert!(
        conflict.stderr.contains(&format!("Conflict. The container name \"/web\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.")),
        "{}",
        conflict.stderr
    );
    let inspect = sim.ok(&["inspect", "--format", "{{.State.Status}} {{.Name}}", "web"]);
    assert_eq!(inspect.trim(), "running /web");
    assert_eq!(sim.ok(&["stop", "web"]).trim(), "web");
    let ps = sim.ok(&["ps", "-a"]);
    assert!(ps.contains("Exited (0)"), "{ps}");
    let exec_stopped = sim.run(&["exec", "web", "ls"]);
    assert!(exec_stopped.stderr.contains(&format!("container {id} is not running")), "{}", exec_stopped.stderr);
    assert_eq!(sim.ok(&["rm", "web"]).trim(), "web");
    assert!(!sim.ok(&["ps", "-a"]).contains("web"));
    let missing = sim.run(&["rm", "web"]);
    assert!(missing.stderr.contains("No such container: web"), "{}", missing.stderr);
}

#[test]
fn cli_pull_shows_layers_and_is_idempotent() {
    let Some(sim) = sim() else { return };
    let r = sim.run(&["pull", "busybox"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Pull complete") && r.stdout.contains("Status: Downloaded newer image for busybox:latest"),
        "{}",
        r.stdout
    );
    let again = sim.ok(&["pull", "busybox"]);
    assert!(again.contains("Status: Image is up to date for busybox:latest"), "{again}");
    let denied = sim.run(&["pull", "nosuchimage"]);
    assert_ne!(denied.code, 0);
    assert!(denied.stderr.contains("pull access denied for nosuchimage"), "{}", denied.stderr);
}

#[test]
fn cli_networks_and_volumes() {
    let Some(sim) = sim() else { return };
    let id = sim.ok(&["network", "create", "appnet"]);
    assert_eq!(id.trim().len(), 64);
    let ls = sim.ok(&["network", "ls"]);
    for name in ["bridge", "host", "none", "appnet"] {
        assert!(ls.contains(name), "{ls}");
    }
    assert!(sim.run(&["network", "create", "appnet"]).stderr.contains("network with name appnet already exists"));
    assert_eq!(sim.ok(&["volume", "create", "data"]).trim(), "data");
    let vols = sim.ok(&["volume", "ls"]);
    assert!(vols.contains("DRIVER") && vols.contains("local     data"), "{vols}");
    // DNS by name on a user network, and a volume that keeps data.
    sim.ok(&["run", "-d", "--name", "srv", "--network", "appnet", "nginx"]);
    let fetched = sim.ok(&["run", "--rm", "--network", "appnet", "busybox", "wget", "-qO-", "http://srv/"]);
    assert!(fetched.contains("Welcome to nginx!"), "{fetched}");
    sim.ok(&["run", "--rm", "-v", "data:/data", "busybox", "sh", "-c", "echo kept > /data/file"]);
    assert_eq!(sim.ok(&["run", "--rm", "-v", "data:/data", "busybox", "cat", "/data/file"]).trim(), "kept");
    let busy = sim.run(&["network", "rm", "appnet"]);
    assert!(busy.stderr.contains("has active endpoints"), "{}", busy.stderr);
}

#[test]
fn cli_build_with_the_classic_builder_and_cache() {
    let Some(sim) = sim() else { return };
    let project = tempfile::tempdir().expect("project dir");
    std::fs::write(project.path().join("Dockerfile"), "FROM busybox\nWORKDIR /app\nCOPY hello.txt .\nRUN echo built > /app/built.txt\nCMD [\"cat\", \"/app/hello.txt\", \"/app/built.txt\"]\n").unwrap();
    std::fs::write(project.path().join("hello.txt"), "hello from the build context\n").unwrap();
    let r = sim.run_in(&["build", "-t", "app", "."], Some(project.path()));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Step 1/5 : FROM busybox"), "{}", r.stdout);
    assert!(r.stdout.contains("Successfully tagged app:latest"), "{}", r.stdout);
    let again = sim.run_in(&["build", "-t", "app", "."], Some(project.path()));
    assert!(again.stdout.contains("Using cache"), "{}", again.stdout);
    let out = sim.ok(&["run", "--rm", "app"]);
    assert_eq!(out, "hello from the build context\nbuilt\n");
    std::fs::write(project.path().join("Dockerfile"), "FROM busybox\nRUN false\n").unwrap();
    let failed = sim.run_in(&["build", "-t", "bad", "."], Some(project.path()));
    assert_ne!(failed.code, 0);
    assert!(failed.stderr.contains("The command '/bin/sh -c false' returned a non-zero code: 1"), "{}", failed.stderr);
}

#[test]
fn cli_stdin_top_diff_cp_port_and_push() {
    let Some(sim) = sim() else { return };
    sim.ok(&["run", "-d", "--name", "web", "-p", "8080:80", "nginx"]);
    // stdin reaches the shell through the hijacked connection, even though
    // the CLI sends it before the container starts.
    let mut child = Command::new(&sim.docker)
        .args(["run", "-i", "--rm", "busybox", "sh"])
        .env("DOCKER_HOST", format!("unix://{}", sim.process.socket().display()))
        .env("DOCKER_CONFIG", sim.process.dir().join("config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker run -i");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"echo piped-in\nexit 0\n").expect("write stdin");
    }
    let out = child.wait_with_output().expect("output");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "piped-in\n");
    assert!(out.status.success());
    let top = sim.ok(&["top", "web"]);
    assert!(
        top.starts_with("UID")
            && top.contains("nginx: master process nginx -g daemon off;")
            && top.contains("nginx: worker process"),
        "{top}"
    );
    sim.ok(&["exec", "web", "sh", "-c", "echo x > /tmp/f"]);
    assert_eq!(sim.ok(&["diff", "web"]), "C /tmp\nA /tmp/f\n");
    // The real CLI's commit: the writable layer becomes the new image's.
    let id = sim.ok(&["commit", "-m", "with f", "-c", "CMD [\"cat\", \"/tmp/f\"]", "web", "web-snap:1"]);
    assert!(id.starts_with("sha256:"), "{id}");
    assert_eq!(sim.ok(&["run", "--rm", "web-snap:1"]), "x\n");
    assert_eq!(sim.ok(&["history", "--format", "{{.Comment}}", "web-snap:1"]).lines().next(), Some("with f"));
    assert_eq!(sim.ok(&["port", "web"]), "80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n");
    let dest = sim.process.dir().join("nginx.conf");
    sim.ok(&["cp", "web:/etc/nginx/nginx.conf", dest.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&dest).unwrap().starts_with("user  nginx;"));
    let denied = sim.run(&["push", "nginx"]);
    assert_ne!(denied.code, 0);
    assert!(denied.stderr.contains("denied: requested access to the resource is denied"), "{}", denied.stderr);
    assert!(sim.run(&["login", "-u", "learner", "-p", "secret"]).stdout.contains("Login Succeeded"));
    sim.ok(&["tag", "nginx", "learner/web:v1"]);
    let pushed = sim.ok(&["push", "learner/web:v1"]);
    assert!(pushed.contains("Layer already exists") && pushed.contains("v1: digest: sha256:"), "{pushed}");
    let stats = sim.ok(&["stats", "--no-stream"]);
    assert!(stats.starts_with("CONTAINER ID   NAME      CPU %") && stats.contains(" web "), "{stats}");
    let df = sim.ok(&["system", "df"]);
    assert!(df.starts_with("TYPE") && df.contains("Images          3"), "nginx, busybox and the commit: {df}");
}

#[test]
fn cli_swarm_services_and_nodes() {
    let Some(sim) = sim() else { return };
    let r = sim.run(&["service", "ls"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("This node is not a swarm manager."), "{}", r.stderr);
    let init = sim.ok(&["swarm", "init", "--advertise-addr", "127.0.0.1"]);
    assert!(init.contains("is now a manager.") && init.contains("docker swarm join --token SWMTKN-1-"), "{init}");
    let nodes = sim.ok(&["node", "ls"]);
    assert!(
        nodes.starts_with("ID                            HOSTNAME       STATUS    AVAILABILITY   MANAGER STATUS"),
        "{nodes}"
    );
    assert!(nodes.contains(" *   dockhand-sim   Ready     Active         Leader "), "{nodes}");
    // Not detached: the CLI follows the tasks until they run and stay up
    // (five seconds of the sim's real-time clock), as against dockerd.
    let id = sim.ok(&["service", "create", "--name", "web", "--replicas", "2", "busybox", "sleep", "1000"]);
    assert!(id.trim_end().ends_with(" converged"), "{id}");
    let ls = sim.ok(&["service", "ls"]);
    assert!(ls.starts_with("ID             NAME      MODE         REPLICAS   IMAGE            PORTS\n"), "{ls}");
    assert!(ls.contains("   web       replicated   2/2        busybox:latest   "), "{ls}");
    let ps = sim.ok(&["service", "ps", "--format", "{{.Name}} {{.Node}} {{.DesiredState}}", "web"]);
    assert_eq!(ps, "web.1 dockhand-sim Running\nweb.2 dockhand-sim Running\n");
    assert_eq!(sim.ok(&["service", "scale", "-d", "web=3"]), "web scaled to 3\n");
    let replicas = sim.ok(&["service", "inspect", "--format", "{{.Spec.Mode.Replicated.Replicas}}", "web"]);
    assert_eq!(replicas, "3\n");
    let pretty = sim.ok(&["service", "inspect", "--pretty", "web"]);
    assert!(pretty.contains("Service Mode:\tReplicated\n Replicas:\t3\n"), "{pretty}");
    let file = sim.process.dir().join("pw.txt");
    std::fs::write(&file, "hunter2").expect("secret file");
    let secret = sim.ok(&["secret", "create", "pw", file.to_str().expect("utf-8 path")]);
    assert_eq!(secret.trim().len(), 25, "{secret}");
    assert_eq!(sim.ok(&["secret", "ls", "--format", "{{.Name}}"]), "pw\n");
    assert_eq!(sim.ok(&["service", "rm", "web"]), "web\n");
    assert_eq!(sim.ok(&["swarm", "leave", "--force"]), "Node left the swarm.\n");
}
