//! The learner's walk (issue 19): what a newcomer types first, and what the
//! terminal answers. Each test failed before its fix.

use dockhand_engine::Session;

fn ok(s: &mut Session, line: &str) -> dockhand_engine::Outcome {
    let out = s.run(line);
    assert_eq!(out.exit_code, 0, "{line}: {}\n{}", out.stdout, out.stderr);
    out
}

fn explanation(o: &dockhand_engine::Outcome) -> &str {
    o.explanation.as_deref().unwrap_or("")
}

#[test]
fn busybox_sleep_takes_suffixes() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name napper busybox sleep 1h");
    s.advance(30 * 60 * 1000);
    assert!(ok(&mut s, "docker ps --format '{{.Names}} {{.Status}}'").stdout.starts_with("napper Up"));
    s.advance(31 * 60 * 1000);
    assert!(ok(&mut s, "docker ps -a --format '{{.Status}}'").stdout.starts_with("Exited (0)"));
    let bad = s.run("docker run --rm busybox sleep 1x");
    assert_eq!((bad.exit_code, bad.stderr.as_str()), (1, "sleep: invalid number '1x'\n"));
}

#[test]
fn an_invalid_name_is_explained_not_called_a_success() {
    let mut s = Session::new();
    let out = s.run("docker run --name 'my box' busybox");
    assert_eq!(out.exit_code, 125);
    assert!(out.stderr.contains("Invalid container name (my box)"), "{}", out.stderr);
    let text = explanation(&out);
    assert!(!text.contains("docker run = create + start"), "the success text: {text}");
    assert!(text.contains("no container was created"), "{text}");
    assert_eq!(ok(&mut s, "docker ps -aq").stdout, "");
}

#[test]
fn swapped_ports_are_named_as_swapped() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web -p 80:8080 nginx");
    let out = s.run("curl localhost:80");
    // What curl says through dockerd 20.10's proxy when nothing listens
    // behind a published port.
    assert_eq!((out.exit_code, out.stderr.as_str()), (52, "curl: (52) Empty reply from server\n"));
    let text = explanation(&out);
    assert!(text.contains("published to web's port 8080") && text.contains("serves on port 80"), "{text}");
    assert!(text.contains("wrong way round"), "{text}");
    // The old container holds the port and the name: free them first, and
    // the note gives the corrected line (walk, session 9: the fix failed),
    // the ports the right way round (walk2: -p 80:80 left flow-3 unmet).
    assert_eq!(out.suggestion.as_deref(), Some("docker rm -f web"));
    assert!(text.contains("docker run -d --name web -p 8080:80 nginx"), "{text}");
    // Published to a port nothing serves on, the image exposing none.
    ok(&mut s, "docker run -d --name quiet -p 8081:9000 busybox sleep 600");
    let out = s.run("curl localhost:8081");
    assert_eq!(out.exit_code, 52);
    assert!(explanation(&out).contains("nothing in quiet listens on port 9000"), "{}", explanation(&out));
    // Nothing published at all: the plain explanation.
    let out = s.run("curl localhost:9999");
    assert_eq!(out.exit_code, 7);
    assert!(explanation(&out).starts_with("Nothing listens on localhost:9999"), "{}", explanation(&out));
}

#[test]
fn an_option_after_the_image_is_explained() {
    let mut s = Session::new();
    let out = s.run("docker run --name web nginx -d");
    assert_eq!(out.exit_code, 127, "docker's behaviour: -d went to the container");
    let text = explanation(&out);
    assert!(text.contains("`-d` came after the image") && text.contains("before the image"), "{text}");
    // A container's own option that fails is not blamed on docker's order.
    let out = s.run("docker run --rm busybox ls -z");
    assert!(!explanation(&out).contains("came after the image"), "{}", explanation(&out));
}

#[test]
fn a_server_in_the_foreground_says_it_is_attached_and_how_it_ends() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run --name web nginx");
    assert!(out.stdout.contains("Configuration complete; ready for start up"), "{}", out.stdout);
    let text = explanation(&out);
    assert!(text.contains("attached to web") && text.contains("Ctrl+C") && text.contains("Ctrl+P Ctrl+Q"), "{text}");
    // Not `docker stop web`: vms-2 and proc-3 want it running (walk, session 9).
    assert_eq!(out.suggestion.as_deref(), Some("docker ps"));
    assert!(ok(&mut s, "docker ps --format '{{.Names}}'").stdout.contains("web"));
}

#[test]
fn ubuntu_bash_as_hello_world_suggests() {
    let mut s = Session::new();
    let hello = ok(&mut s, "docker run hello-world");
    assert!(hello.stdout.contains("docker run -it ubuntu bash"), "{}", hello.stdout);
    let out = ok(&mut s, "docker run -it ubuntu bash");
    assert!(out.stderr.contains("Unable to find image 'ubuntu:latest' locally"), "{}", out.stderr);
    // bash's prompt, with the container's hostname (its short id).
    let host = ok(&mut s, "hostname").stdout.trim().to_string();
    assert_eq!(out.prompt, format!("root@{host}:/# "));
    assert_eq!(ok(&mut s, "cd /tmp").prompt, format!("root@{host}:/tmp# "));
    assert_eq!(ok(&mut s, "cd").prompt, format!("root@{host}:~# "));
    let os = ok(&mut s, "cat /etc/os-release");
    assert!(os.stdout.contains("Ubuntu"), "{}", os.stdout);
    ok(&mut s, "exit");
    // Its default command is bash too; busybox has no bash.
    assert!(ok(&mut s, "docker run -it --name u2 ubuntu").prompt.starts_with("root@"));
    assert_eq!(ok(&mut s, "echo from bash").stdout, "from bash\n");
    ok(&mut s, "exit");
    assert_eq!(s.run("docker run --rm busybox bash").exit_code, 127);
    // busybox's shell keeps ash's prompt.
    assert_eq!(ok(&mut s, "docker run -it busybox").prompt, "/ # ");
}

#[test]
fn history_of_a_pulled_image_shows_its_layer_sizes_and_a_commit_seconds_ago() {
    let mut s = Session::new();
    ok(&mut s, "docker pull busybox");
    let history = ok(&mut s, "docker history busybox").stdout;
    let add = history.lines().find(|l| l.contains("ADD busybox.tar.xz")).expect("the ADD line");
    assert!(add.contains("4.28MB"), "the base layer's size: {history}");
    assert!(history.lines().any(|l| l.contains("CMD [\"sh\"]") && l.contains("0B")), "{history}");
    ok(&mut s, "docker run -d --name box busybox sleep 3600");
    ok(&mut s, "docker exec box sh -c 'echo remember me > /tmp/notes.txt'");
    ok(&mut s, "docker commit box notes:1");
    let history = ok(&mut s, "docker history notes:1").stdout;
    assert!(history.lines().nth(1).is_some_and(|l| l.contains("1 second ago")), "{history}");
}

#[test]
fn the_host_shell_writes_project_files_that_docker_build_reads() {
    let mut s = Session::new();
    // echo alone still prints; with > it writes the file instead.
    assert_eq!(ok(&mut s, "echo hi").stdout, "hi\n");
    let out = ok(&mut s, "echo \"FROM busybox\" > Dockerfile");
    assert_eq!(out.stdout, "");
    assert_eq!(s.files()["Dockerfile"], "FROM busybox\n");
    ok(&mut s, "echo 'CMD [\"echo\", \"built here\"]' >> Dockerfile");
    assert_eq!(ok(&mut s, "cat Dockerfile").stdout, "FROM busybox\nCMD [\"echo\", \"built here\"]\n");
    ok(&mut s, "docker build -t mine .");
    assert_eq!(ok(&mut s, "docker run --rm mine").stdout, "built here\n");

    // A here-document typed as one multi-line input.
    let typed = "cat > Dockerfile <<EOF\nFROM busybox\nRUN echo made > /made\nCMD [\"cat\", \"/made\"]\nEOF";
    assert_eq!(ok(&mut s, typed).stdout, "");
    assert_eq!(s.files()["Dockerfile"], "FROM busybox\nRUN echo made > /made\nCMD [\"cat\", \"/made\"]\n");
    ok(&mut s, "docker build -t mine:2 .");
    assert_eq!(ok(&mut s, "docker run --rm mine:2").stdout, "made\n");
    // Without a target, cat prints the document; it goes through a pipe too.
    assert_eq!(ok(&mut s, "cat <<END | grep b\na\nb\nEND").stdout, "b\n");
    // < FILE, and docker's output into a file.
    assert_eq!(ok(&mut s, "cat < Dockerfile").stdout, s.files()["Dockerfile"]);
    ok(&mut s, "docker images -q > ids.txt");
    assert!(!s.files()["ids.txt"].is_empty());
    // A quoted > belongs to the container's shell.
    ok(&mut s, "docker run --name box busybox sh -c 'echo x > /tmp/x'");
    assert!(!s.files().contains_key("/tmp/x"));
}

#[test]
fn the_host_shell_says_what_it_does_not_do() {
    let mut s = Session::new();
    let out = s.run("cat > Dockerfile");
    assert_eq!(out.exit_code, 1);
    assert!(explanation(&out).contains("here-document"), "{}", explanation(&out));
    let out = s.run("docker ps 2> errors");
    assert_eq!(out.exit_code, 2);
    assert!(out.stderr.contains("2>") && out.stderr.contains("> FILE"), "{}", out.stderr);
    let out = s.run("cat > Dockerfile <<EOF\nFROM busybox");
    assert!(out.stderr.contains("wanted `EOF'"), "{}", out.stderr);
    assert!(s.files()["Dockerfile"].starts_with("FROM python"), "an unfinished document writes nothing");
    let out = s.run("echo x > /etc/passwd");
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.contains("only the project's files"), "{}", out.stderr);
    assert!(!s.files().contains_key("/etc/passwd"));
    let out = s.run("nano Dockerfile");
    assert_eq!(out.exit_code, 127);
    assert!(explanation(&out).contains("here-document"), "{}", explanation(&out));
    let out = s.run("docker ps <<EOF\nx\nEOF");
    assert!(explanation(&out).contains("did not read its input"), "{}", explanation(&out));
}

/// What a terminal shows: stdout and stderr in the order printed.
fn screen(o: &dockhand_engine::Outcome) -> Vec<(bool, String)> {
    o.printed.iter().map(|p| (p.stderr, p.text.clone())).collect()
}

#[test]
fn run_prints_the_pull_before_the_containers_output() {
    let mut s = Session::new();
    let out = ok(&mut s, "docker run hello-world");
    let shown = screen(&out);
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown[0].0 && shown[0].1.starts_with("Unable to find image 'hello-world:latest' locally\n"));
    assert!(
        shown[0].1.contains("Pull complete")
            && shown[0].1.ends_with("Status: Downloaded newer image for hello-world:latest\n")
    );
    assert!(!shown[1].0 && shown[1].1.starts_with("\nHello from Docker!"), "{shown:?}");
    let whole: String = out.printed.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(whole.len(), out.stdout.len() + out.stderr.len());

    // -d: the pull, then the id.
    let out = ok(&mut s, "docker run -d --name web nginx");
    let shown = screen(&out);
    assert!(shown[0].0 && shown[0].1.contains("Pull complete"), "{shown:?}");
    assert_eq!(shown.last(), Some(&(false, format!("{}\n", out.stdout.trim()))));

    // A server in the foreground: the pull, then its start-up lines (its
    // own stdout and stderr interleaved as it printed them).
    let out = ok(&mut s, "docker run --name cache redis");
    let shown = screen(&out);
    assert!(shown[0].0 && shown[0].1.starts_with("Unable to find image 'redis:latest' locally"), "{shown:?}");
    let pulled = shown[0].1.find("Status: Downloaded").expect("pull status");
    assert!(!shown[0].1[pulled..].contains("Ready to accept"), "{shown:?}");
    assert!(shown[1..].iter().any(|(_, t)| t.contains("Ready to accept connections")), "{shown:?}");
}

#[test]
fn docker_typed_in_a_containers_shell_says_where_it_ran() {
    let mut s = Session::new();
    ok(&mut s, "docker run -d --name web nginx");
    ok(&mut s, "docker exec -it web sh");
    let out = s.run("docker ps -a | grep nginx");
    assert!(out.stdout.contains("sh: docker: not found"), "{}", out.stdout);
    let text = explanation(&out);
    assert!(text.contains("inside the container's shell") && text.contains("exit"), "{text}");
    ok(&mut s, "exit");
    assert!(ok(&mut s, "docker ps -a | grep nginx").stdout.contains(" web\n"));
}

#[test]
fn a_build_without_a_dockerfile_says_how_to_write_one_here() {
    let mut s = Session::new();
    assert!(s.remove_file("Dockerfile"));
    let out = s.run("docker build -t mine .");
    assert_eq!(out.exit_code, 1);
    assert!(explanation(&out).contains("cat > Dockerfile <<EOF"), "{}", explanation(&out));
    let suggested = out.suggestion.clone().expect("a suggestion");
    ok(&mut s, &suggested);
    ok(&mut s, "docker build -t mine .");
}

/// `docker run` without `-d` of a program that runs for a long time (a
/// `sleep 3600`) stays attached as the real CLI does, and the terminal
/// detaches leaving it running: it must not be reported as exited.
#[test]
fn a_long_foreground_sleep_keeps_running() {
    let mut s = Session::new();
    let out = s.run("docker run --name sleeper busybox sleep 3600");
    let ps = s.run("docker ps");
    assert!(ps.stdout.contains("sleeper"), "run: {out:?}\nps: {}", ps.stdout);
}
