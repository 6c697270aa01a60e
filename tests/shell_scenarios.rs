//! The simulated engine's shell against real busybox sh: each script runs
//! as `sh -c SCRIPT` in a busybox container on the simulated engine
//! (always) and on the real dockerd (when `common::daemon()` finds one), and
//! both must print the same stdout and stderr and exit with the same code,
//! written down here so the engine is held to it even without a daemon.
//!
//! What the tests create on the real daemon is named with
//! `common::unique("shell-...")`, labelled `dockhand.test=1` and
//! force-removed by `common::Cleanup`, even after a panic.

mod common;

use std::time::Duration;

use dockhand::api::{LogsOptions, PullOptions, StopOptions};
use dockhand::stream::{Output, StdStream};
use dockhand::{ContainerHandle, Docker};
use dockhand_engine::Engine;
use futures::TryStreamExt;

/// What a script did: stdout, stderr, exit code.
type Outcome = (String, String, i64);

/// A backend: the simulated engine (its clock moved by the test) or the
/// real daemon (its clock is the wall clock).
enum Backend {
    Engine(Engine),
    Daemon,
}

async fn engine() -> (Docker, Backend, &'static str) {
    let engine = Engine::new();
    let docker = engine.docker();
    docker.images().pull(PullOptions::new("busybox:latest")).try_collect::<Vec<_>>().await.expect("pull");
    (docker, Backend::Engine(engine), "busybox:latest")
}

fn joined(items: &[Output], stream: StdStream) -> String {
    items.iter().filter(|o| o.stream == stream).map(|o| o.text().into_owned()).collect()
}

/// Waits for `c` to exit: on the engine by moving its clock, on the daemon
/// by waiting.
async fn wait(backend: &Backend, c: &ContainerHandle) -> i64 {
    match backend {
        Backend::Engine(engine) => {
            for _ in 0..600 {
                if !c.inspect().await.expect("inspect").state.running {
                    break;
                }
                engine.advance(500);
            }
            c.inspect().await.expect("inspect").state.exit_code
        }
        Backend::Daemon => {
            tokio::time::timeout(Duration::from_secs(60), c.wait()).await.expect("exits").expect("wait").status_code
        }
    }
}

async fn outcome(c: &ContainerHandle, code: i64) -> Outcome {
    let logs = c.logs(LogsOptions::new().stdout(true).stderr(true));
    let items: Vec<Output> =
        tokio::time::timeout(Duration::from_secs(30), logs.try_collect()).await.expect("logs end").expect("logs");
    (joined(&items, StdStream::Stdout), joined(&items, StdStream::Stderr), code)
}

/// Runs `sh -c script` to its end.
async fn run(docker: &Docker, backend: &Backend, image: &str, script: &str) -> Outcome {
    let mut cleanup = common::Cleanup(Vec::new());
    let create = common::busybox(image, "shell", &["sh", "-c", script]).hostname("box");
    let c = common::create(docker, &mut cleanup, create).await;
    assert!(c.start().await.expect("start").is_done());
    let code = wait(backend, &c).await;
    outcome(&c, code).await
}

/// Runs every script of `cases` on `backend` and checks the outcomes.
async fn check(docker: &Docker, backend: &Backend, image: &str, cases: &[(&str, &str, &str, i64)]) {
    for (script, stdout, stderr, code) in cases {
        let got = run(docker, backend, image, script).await;
        let want = (stdout.to_string(), stderr.to_string(), *code);
        let which = if matches!(backend, Backend::Daemon) { "dockerd" } else { "engine" };
        assert_eq!(got, want, "{which}: sh -c {script:?}");
    }
}

/// Runs `cases` on the engine, then on the real daemon if there is one.
async fn on_both(cases: &[(&str, &str, &str, i64)]) {
    let (docker, backend, image) = engine().await;
    check(&docker, &backend, image, cases).await;
    if let Some(docker) = common::daemon().await {
        let image = common::busybox_image(&docker).await;
        check(&docker, &Backend::Daemon, image, cases).await;
    }
}

#[tokio::test]
async fn command_substitution() {
    on_both(&[
        ("echo hello from $(hostname)", "hello from box\n", "", 0),
        ("echo `echo a b`-`hostname`", "a b-box\n", "", 0),
        ("x=$(echo one; echo two); echo \"$x\"", "one\ntwo\n", "", 0),
        ("echo $(echo $(echo nested) $(echo twice))", "nested twice\n", "", 0),
        ("echo \"[$(printf 'a\\n\\n')]\"", "[a]\n", "", 0),
        ("set -- $(echo a b c); echo $#; set -- \"$(echo a b c)\"; echo $#", "3\n1\n", "", 0),
        ("x=$(exit 3); echo $?", "3\n", "", 0),
        ("echo $(echo inner >&2; echo out)", "out\n", "inner\n", 0),
    ])
    .await;
}

#[tokio::test]
async fn status_lists_and_conditions() {
    on_both(&[
        ("false; echo $?; true; echo $?", "1\n0\n", "", 0),
        ("false && echo no || echo yes", "yes\n", "", 0),
        ("! false && echo negated", "negated\n", "", 0),
        ("sh -c 'exit 4'; echo $?; exit 7", "4\n", "", 7),
        ("if [ -d /etc ]; then echo dir; elif true; then echo no; else echo no; fi", "dir\n", "", 0),
        ("if [ 2 -gt 3 ]; then echo a; elif [ x != y ]; then echo b; fi", "b\n", "", 0),
        ("for f in app.tar.gz notes.txt x; do case $f in *.tar.gz|*.tgz) echo archive;; *.txt) echo text;; *) echo other;; esac; done", "archive\ntext\nother\n", "", 0),
        ("case \"$(hostname)\" in\n  (b?x) echo matched\n    sleep 1; echo slept\n    ;;\n  *) echo no ;;\nesac", "matched\nslept\n", "", 0),
        ("case x in y) echo no;; esac; echo $?", "0\n", "", 0),
        ("[ -z \"\" ] && [ -n x ] && test ! -f /nope && echo tests", "tests\n", "", 0),
        ("exit 300", "", "", 44),
    ])
    .await;
}

#[tokio::test]
async fn loops() {
    on_both(&[
        ("i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done", "0\n1\n2\n", "", 0),
        ("i=0; until [ $i -ge 2 ]; do i=$((i+1)); echo u$i; done", "u1\nu2\n", "", 0),
        ("for x in a b c; do [ $x = b ] && continue; echo $x; done", "a\nc\n", "", 0),
        ("while true; do echo once; break; done; echo after", "once\nafter\n", "", 0),
        ("for i in 1 2; do for j in 1 2 3; do [ $j = 2 ] && continue 2; echo $i$j; done; done", "11\n21\n", "", 0),
        ("for w in $(echo x y); do echo -$w-; done", "-x-\n-y-\n", "", 0),
        ("printf 'a\\nb\\n' | while read line; do echo got $line; done", "got a\ngot b\n", "", 0),
        ("n=0; while sleep 1; do n=$((n+1)); [ $n = 2 ] && break; done; echo $n", "2\n", "", 0),
        ("cd /etc; for f in a b; do sleep 1; echo $f $(pwd); done", "a /etc\nb /etc\n", "", 0),
    ])
    .await;
}

#[tokio::test]
async fn expansions_and_redirections() {
    on_both(&[
        ("echo $((2 + 3 * 4)) $(( (2+3)*4 )) $((7 / 2)) $((7 % 3)) $((1 < 2)) $((-3 + 1))", "14 20 3 1 1 -2\n", "", 0),
        ("a=5; echo $((a * 2)) $(($a + 1))", "10 6\n", "", 0),
        (
            "i=1; echo $((i++)) $i $((++i)); n=0; : $((n+=5)); : $((n*=3)); echo $n $((2**10)) $((-2**2)) $((1<<4)) $((5^3)) $((~0)) $((n>3?10:20)) $((0x1f)) $((2#101)) $((010))",
            "1 2 3\n15 1024 4 16 6 -1 10 31 5 8\n",
            "",
            0,
        ),
        ("x='2*3'; y=x; echo $((x*2)) $((y+1)) $((a=b=4)) $a $b", "12 7 4 4 4\n", "", 0),
        (
            "x='/etc/host*'; echo $x; echo \"$x\"; for f in $x; do echo f=$f; done; y='no*match'; echo $y; z='a [b'; echo $z; set -- $x; echo $#",
            "/etc/hostname /etc/hosts\n/etc/host*\nf=/etc/hostname\nf=/etc/hosts\nno*match\na [b\n2\n",
            "",
            0,
        ),
        ("echo $((2**-1)); echo never", "", "sh: exponent less than 0\n", 2),
        (
            "let x=1+2 y=x*2; echo $x $y $?; let 0; echo $?; let 1/0; echo $?",
            "3 6 0\n1\n2\n",
            "sh: let: line 0: divide by zero\n",
            0,
        ),
        ("echo ${UNSET:-default} ${#HOSTNAME} ${HOSTNAME:+set} ${UNSET+x}", "default 3 set\n", "", 0),
        ("f=/a/b.txt; echo ${f##*/} ${f%.txt} ${f#/} ${f%%/*}x", "b.txt /a/b a/b.txt x\n", "", 0),
        ("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; cat < /tmp/f | wc -l", "one\ntwo\n2\n", "", 0),
        ("echo to-err >&2; ls /nope 2>&1 | grep -c nope; ls /nope 2>/dev/null; echo end", "1\nend\n", "to-err\n", 0),
        ("x='a   b'; echo $x; echo \"$x\"", "a b\na   b\n", "", 0),
        (
            "mkdir /tmp/g && cd /tmp/g && touch a.txt b.txt c.log .hidden && echo *.txt; echo *; echo no*; echo \"*.txt\"; for f in /tmp/g/*.log; do echo $f; done; ls /tmp/g/?.txt",
            "a.txt b.txt\na.txt b.txt c.log\nno*\n*.txt\n/tmp/g/c.log\n/tmp/g/a.txt\n/tmp/g/b.txt\n",
            "",
            0,
        ),
        ("echo 'single $HOME' \"double $HOME\" \\$HOME", "single $HOME double /root $HOME\n", "", 0),
        // Bracket expressions, in pathnames, `case` and `${..#..}`; a `[`
        // without its `]` (the test command) is a word.
        (
            "mkdir /tmp/b && cd /tmp/b && touch a1 a2 b1 x- && echo a[12] [!a]1 [a-b]2 [ab]? x[-] n[o]; echo \"[a]1\" '[a]1'; [ -d . ] && echo dir",
            "a1 a2 b1 a2 a1 a2 b1 x- n[o]\n[a]1 [a]1\ndir\n",
            "",
            0,
        ),
        (
            "for v in 7x x7 ab; do case $v in [0-9]*) echo num $v;; [!a]*) echo other $v;; *) echo else $v;; esac; done; f=v1.2.tar; echo ${f%.[a-z]*} ${f#v[0-9]}",
            "num 7x\nother x7\nelse ab\nv1.2 .2.tar\n",
            "",
            0,
        ),
    ])
    .await;
}

#[tokio::test]
async fn here_documents() {
    on_both(&[
        (
            "x=world; cat <<EOF\nhello $x \"q\" 'single' \\$x $(echo sub)\nEOF\ncat <<'EOF'\nliteral $x \\$x\nEOF\ncat <<-EOF\n\tindented $x\n\tEOF\necho after",
            "hello world \"q\" 'single' $x sub\nliteral $x \\$x\nindented world\nafter\n",
            "",
            0,
        ),
        (
            "f() {\n  cat <<END\nin f $1\nEND\n}\nf arg; grep sh <<EOF > /tmp/h\nshout\nquiet\nEOF\ncat /tmp/h; wc -l <<EOF\na\nb\nEOF",
            "in f arg\nshout\n2\n",
            "",
            0,
        ),
        // Suspended in `sleep` and resumed: the loop is printed back as text
        // with its here-document.
        ("for i in 1 2; do cat <<EOF\nline $i\nEOF\nsleep 1; done; echo done", "line 1\nline 2\ndone\n", "", 0),
    ])
    .await;
}

/// The files dockerd gives every container: its name, hosts and resolver,
/// bind-mounted (so they cannot be removed, and a write stays out of the
/// writable layer), and `/.dockerenv`.
#[tokio::test]
async fn files_the_daemon_provides() {
    on_both(&[
        (
            "[ \"$(cat /etc/hostname)\" = \"$(hostname)\" ] && echo named; wc -c < /etc/hostname; grep -c localhost /etc/hosts; test -f /.dockerenv && echo marked; ls /etc | grep -c -e '^host' -e resolv.conf",
            "named\n4\n2\nmarked\n3\n",
            "",
            0,
        ),
        (
            "echo 10.0.0.9 db >> /etc/hosts; tail -1 /etc/hosts; tail -n1 /etc/hosts; head -n 1 /etc/hosts; rm /etc/hosts",
            "10.0.0.9 db\n10.0.0.9 db\n127.0.0.1\tlocalhost\n",
            "rm: can't remove '/etc/hosts': Device or resource busy\n",
            1,
        ),
    ])
    .await;
}

/// grep's regular expressions: anchors, `.`, brackets, `*`; `-E` with `+`,
/// `?` and `|`; `-e` more than once, `-n`, `-c`, `-v -i`, `-F`, and a name
/// before each line when there are several files.
#[tokio::test]
async fn grep_patterns() {
    on_both(&[(
        "printf 'root:x:0\\nnobody:x:65534\\nrooted\\n' > /tmp/p; grep ^root /tmp/p; grep -c 'x:0$' /tmp/p; grep -n -e nobody -e ted /tmp/p; grep -E 'bo+dy|^r.*d$' /tmp/p; grep -v -i ROOT /tmp/p; grep '[0-9][0-9]*$' /tmp/p | wc -l; grep -F . /tmp/p; echo $?; grep -q 'o\\.b' /tmp/p || echo nodot; grep -E '6555?3' /tmp/p; cp /tmp/p /tmp/q; grep ted /tmp/p /tmp/q",
        "root:x:0\nrooted\n1\n2:nobody:x:65534\n3:rooted\nnobody:x:65534\nrooted\nnobody:x:65534\n2\n1\nnodot\nnobody:x:65534\n/tmp/p:rooted\n/tmp/q:rooted\n",
        "",
        0,
    )])
    .await;
}

/// The text tools of a pipeline: sort (-n, -r, -u), uniq -c, cut by field
/// and by character, tr with ranges, classes, -d and -s, tee (-a), and
/// `ls -d`, `tty` without a terminal.
#[tokio::test]
async fn text_tools() {
    on_both(&[
        (
            "mkdir /tmp/q; echo hello > /tmp/q/f; ls -a /tmp/q; ls -la /tmp/q | wc -l; ls -l /tmp/q | head -1; ls -la /tmp/q | grep -c ' \\.*$'",
            ".\n..\nf\n4\ntotal 4\n2\n",
            "",
            0,
        ),
        (
            "touch /tmp/x; chmod 755 /tmp/x; echo $?; chmod u+x,go-w /tmp/x; echo $?; chmod bad /tmp/x; echo $?; chmod 644 /nope; echo $?",
            "0\n0\n1\n1\n",
            "chmod: invalid mode 'bad'\nchmod: /nope: No such file or directory\n",
            0,
        ),
        (
            "printf 'b:2\\na:10\\nc:1\\na:10\\n' > /tmp/f; sort /tmp/f | head -1; sort -r /tmp/f | head -1; cut -d: -f2 /tmp/f | sort -n | tr '\\n' ' '; echo; cut -d : -f 1,2 /tmp/f | tail -n 1; sort -u /tmp/f | wc -l; sort /tmp/f | uniq -c; echo Hello World | tr a-z A-Z; echo Hello | tr -d l; echo 'a   b' | tr -s ' '; echo x | tr '[:lower:]' '[:upper:]'; echo abc | cut -c 2-; echo hi | tee /tmp/t > /dev/null; echo more | tee -a /tmp/t; cat /tmp/t; ls -ld /tmp | cut -c1-10; tty; echo $?",
            "a:10\nc:1\n1 2 10 10 \na:10\n3\n      2 a:10\n      1 b:2\n      1 c:1\nHELLO WORLD\nHeo\na b\nX\nbc\nmore\nhi\nmore\ndrwxrwxrwt\nnot a tty\n1\n",
            "",
            0,
        ),
    ])
    .await;
}

#[tokio::test]
async fn printf_conversions() {
    on_both(&[
        (
            r#"printf '%s-%d\n' x 5; printf '%5s|%-5s|%05d|%x|%o|%c\n' ab cd 42 255 8 hello; printf '%s\n' a b; printf '%.2s|%+d|%i|%b\n' abcdef 5 0x10 'x\ty'; printf '100%%\n'"#,
            "x-5\n   ab|cd   |00042|ff|10|h\na\nb\nab|+5|16|x\ty\n100%\n",
            "",
            0,
        ),
        ("printf '%d\\n' abc", "0\n", "sh: invalid number 'abc'\n", 1),
        ("printf '%q'", "", "sh: %q: invalid format\n", 1),
    ])
    .await;
}

#[tokio::test]
async fn functions() {
    on_both(&[
        ("greet() { echo hi $1; }; greet bob; greet \"a b\"", "hi bob\nhi a b\n", "", 0),
        ("f() { return 3; echo no; }; f; echo $?", "3\n", "", 0),
        (
            "wait_for() { n=0; while [ $n -lt 2 ]; do n=$((n+1)); sleep 1; done; return 0; }; wait_for && echo ready $n",
            "ready 2\n",
            "",
            0,
        ),
        ("f() { for i in 1 2 3; do [ $i = 2 ] && return 5; echo $i; done; }; f; echo $?", "1\n5\n", "", 0),
        ("f() { echo $# $1; shift; echo $1; }; set -- outer; f a b; echo $1", "2 a\nb\nouter\n", "", 0),
        ("f() {\n  sleep 1\n  echo in $1\n}\nf one; f two; echo $(f three)", "in one\nin two\nin three\n", "", 0),
    ])
    .await;
}

#[tokio::test]
async fn traps_and_errors() {
    on_both(&[
        ("trap 'echo cleanup' EXIT; echo work; exit 5", "work\ncleanup\n", "", 5),
        ("trap 'echo bye' EXIT; sleep 1; echo slept", "slept\nbye\n", "", 0),
        ("trap 'echo bye' EXIT; trap - EXIT; echo none", "none\n", "", 0),
        ("echo a; done", "", "sh: syntax error: unexpected \"done\"\n", 2),
        ("nosuchcmd; echo $?", "127\n", "sh: nosuchcmd: not found\n", 0),
    ])
    .await;
}

/// `docker stop` sends SIGTERM to PID 1: a shell with a TERM trap runs it
/// (when its current `sleep 1` ends) and exits as the handler says; one
/// without ignores it, as PID 1 does, and is killed after the timeout.
async fn stop_scenario(docker: &Docker, backend: &Backend, image: &str) {
    let mut cleanup = common::Cleanup(Vec::new());
    let script = "trap \"echo bye; exit 0\" TERM; echo up; while true; do sleep 1; done";
    let c = common::create(docker, &mut cleanup, common::busybox(image, "shell-trap", &["sh", "-c", script])).await;
    assert!(c.start().await.unwrap().is_done());
    // Let it reach its loop.
    match backend {
        Backend::Engine(e) => e.advance(1500),
        Backend::Daemon => tokio::time::sleep(Duration::from_millis(1500)).await,
    }
    let started = std::time::Instant::now();
    assert!(c.stop_with(StopOptions::new().timeout(Duration::from_secs(20))).await.unwrap().is_done());
    let code = wait(backend, &c).await;
    assert!(started.elapsed() < Duration::from_secs(10), "the trap ends it quickly");
    assert_eq!(outcome(&c, code).await, ("up\nbye\n".into(), String::new(), 0));

    let script = "while true; do sleep 1; done";
    let c = common::create(docker, &mut cleanup, common::busybox(image, "shell-notrap", &["sh", "-c", script])).await;
    assert!(c.start().await.unwrap().is_done());
    assert!(c.stop_with(StopOptions::new().timeout(Duration::from_secs(1))).await.unwrap().is_done());
    assert_eq!(wait(backend, &c).await, 137, "killed after the timeout");
}

#[tokio::test]
async fn stop_runs_a_term_trap() {
    let (docker, backend, image) = engine().await;
    stop_scenario(&docker, &backend, image).await;
    if let Some(docker) = common::daemon().await {
        let image = common::busybox_image(&docker).await;
        stop_scenario(&docker, &Backend::Daemon, image).await;
    }
}

#[tokio::test]
async fn expansion_errors_end_the_shell() {
    on_both(&[
        ("echo $((1/0)); echo after $?", "", "sh: divide by zero\n", 2),
        ("echo ${x:?unset}; echo after $?", "", "sh: x: unset\n", 2),
        ("echo ${x!}; echo after", "", "sh: syntax error: bad substitution\n", 2),
        ("x=$(exit 3) y=2; echo $?", "3\n", "", 0),
        ("echo $(echo ${x:?gone}; echo not) still", "still\n", "sh: x: gone\n", 0),
    ])
    .await;
}

/// A multi-stage Dockerfile, with `COPY --from` by name, by index and from
/// an image, built with the classic builder: the Step lines, the cache
/// hits of a rebuild, `--target` and its error are the same on both.
async fn multi_stage_scenario(docker: &Docker, backend: &Backend, base: &str) {
    use dockhand::api::{BuildOptions, ImageRemoveOptions};
    use dockhand::build_context::BuildContext;
    let dockerfile = format!(
        "FROM {base} AS builder\nRUN mkdir /out && echo built > /out/app\n\
         FROM {base} AS Unused\nRUN echo unused > /unused\n\
         FROM {base}\nCOPY --from=builder /out/app /app\nCOPY --from=0 /out /copied\n\
         COPY --from={base} /bin/busybox /bb\nCMD [\"cat\", \"/app\"]\n"
    );
    let tag = format!("{}:1", common::unique("stages"));
    let build = |target: Option<&str>, tag: &str| {
        let mut opts = BuildOptions::new()
            .tag(tag)
            .label(common::TEST_LABEL, "1")
            .label("b", "x y")
            .network_mode("none")
            .force_rm(true);
        if let Some(t) = target {
            opts = opts.target(t);
        }
        let ctx = BuildContext::from_files().file("Dockerfile", dockerfile.clone());
        let docker = docker.clone();
        async move {
            let mut lines = Vec::new();
            let r = dockhand::fold_progress(docker.images().build(opts, ctx), |m| lines.extend(m.stream.clone())).await;
            (r, lines.concat())
        }
    };
    let steps = |text: &str| -> Vec<String> {
        text.lines().filter(|l| l.starts_with("Step ")).map(|l| l.replace(base, "BASE")).collect()
    };
    let (r, text) = build(None, &tag).await;
    r.expect("build");
    assert_eq!(
        steps(&text),
        [
            "Step 1/11 : FROM BASE AS builder",
            "Step 2/11 : RUN mkdir /out && echo built > /out/app",
            "Step 3/11 : FROM BASE AS Unused",
            "Step 4/11 : RUN echo unused > /unused",
            "Step 5/11 : FROM BASE",
            "Step 6/11 : COPY --from=builder /out/app /app",
            "Step 7/11 : COPY --from=0 /out /copied",
            "Step 8/11 : COPY --from=BASE /bin/busybox /bb",
            "Step 9/11 : CMD [\"cat\", \"/app\"]",
            "Step 10/11 : LABEL b=x y",
            "Step 11/11 : LABEL dockhand.test=1",
        ],
        "{text}"
    );
    // A rebuild hits the cache for every step but the FROMs.
    let (r, text) = build(None, &tag).await;
    r.expect("rebuild");
    assert_eq!(text.matches("Using cache").count(), 8, "{text}");
    let labels = docker.images().get(&tag).inspect().await.unwrap().config.unwrap().labels;
    assert_eq!(labels.get("b").map(String::as_str), Some("x y"));

    let mut cleanup = common::Cleanup(Vec::new());
    let script = "cat /app /copied/app; test -f /bb && echo bb; test -e /unused || echo no-unused";
    let c = common::create(docker, &mut cleanup, common::busybox(&tag, "stages", &["sh", "-c", script])).await;
    assert!(c.start().await.unwrap().is_done());
    let code = wait(backend, &c).await;
    assert_eq!(outcome(&c, code).await, ("built\nbuilt\nbb\nno-unused\n".into(), String::new(), 0));

    // --target stops after that stage; an unknown target is a 400.
    let target_tag = format!("{}:1", common::unique("stages-target"));
    let (r, text) = build(Some("builder"), &target_tag).await;
    r.expect("build --target");
    assert_eq!(steps(&text).len(), 4, "{text}");
    assert!(steps(&text)[1].starts_with("Step 2/4 : RUN"), "{text}");
    let (r, _) = build(Some("nope"), &target_tag).await;
    let e = r.expect_err("an unknown target");
    assert!(e.is_bad_request() || matches!(e, dockhand::Error::Stream { .. }), "{e:?}");
    // The wording changed between 20.10 and 26.1; the engine answers as the
    // version it reports.
    let v = common::daemon_version(docker).await;
    let wording = if v.at_least(26) {
        r#"target stage "nope" could not be found"#
    } else {
        "failed to reach build target nope in Dockerfile"
    };
    assert!(e.to_string().contains(wording), "{} answered {e}", v.engine);

    drop(cleanup);
    for t in [&tag, &target_tag] {
        docker.images().get(t).remove_with(ImageRemoveOptions::new().force(true)).await.expect("remove image");
    }
}

#[tokio::test]
async fn multi_stage_builds() {
    let (docker, backend, image) = engine().await;
    multi_stage_scenario(&docker, &backend, image).await;
    if let Some(docker) = common::daemon().await {
        let image = common::busybox_image(&docker).await;
        multi_stage_scenario(&docker, &Backend::Daemon, image).await;
    }
}

/// The files of a docker-save archive's image `index` (later layers win),
/// with its manifest entry.
fn saved_files(saved: &[u8], index: usize) -> (serde_json::Value, std::collections::HashMap<String, Vec<u8>>) {
    use std::io::Read;
    let mut all = std::collections::HashMap::new();
    for entry in tar::Archive::new(saved).entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        all.insert(path, data);
    }
    let manifest: serde_json::Value = serde_json::from_slice(&all["manifest.json"]).expect("manifest.json");
    let entry = manifest[index].clone();
    let mut files = std::collections::HashMap::new();
    for layer in entry["Layers"].as_array().expect("Layers") {
        for f in tar::Archive::new(all[layer.as_str().unwrap()].as_slice()).entries().unwrap() {
            let mut f = f.unwrap();
            let path = f.path().unwrap().to_string_lossy().trim_end_matches('/').to_owned();
            let mut data = Vec::new();
            if let Ok(Some(target)) = f.link_name() {
                data = format!("-> {}", target.to_string_lossy()).into_bytes();
            } else {
                f.read_to_end(&mut data).unwrap();
            }
            files.insert(path, data);
        }
    }
    let config: serde_json::Value =
        serde_json::from_slice(&all[entry["Config"].as_str().unwrap()]).expect("config json");
    assert_eq!(
        config["rootfs"]["diff_ids"].as_array().map(Vec::len),
        entry["Layers"].as_array().map(Vec::len),
        "one diff id per layer"
    );
    (entry, files)
}

/// `docker save` then `docker rmi` then `docker load` gives the image back:
/// same tag, config and files, runnable; errors are the daemon's.
async fn save_load_scenario(docker: &Docker, backend: &Backend, base: &str) {
    use dockhand::api::{BuildOptions, ImageRemoveOptions};
    use dockhand::build_context::BuildContext;
    let tag = format!("{}:1", common::unique("saved"));
    let dockerfile = format!("FROM {base}\nRUN echo saved > /data.txt\nCMD [\"cat\", \"/data.txt\"]\n");
    let opts = BuildOptions::new().tag(&tag).label(common::TEST_LABEL, "1").network_mode("none").force_rm(true);
    dockhand::fold_progress(
        docker.images().build(opts, BuildContext::from_files().file("Dockerfile", dockerfile)),
        |_| {},
    )
    .await
    .expect("build");
    let before = docker.images().get(&tag).inspect().await.unwrap();
    let saved: Vec<bytes::Bytes> = docker.images().get(&tag).export().try_collect().await.expect("save");
    let saved = saved.concat();
    let (entry, files) = saved_files(&saved, 0);
    assert_eq!(entry["RepoTags"], serde_json::json!([tag]));
    assert_eq!(files.get("data.txt").map(Vec::as_slice), Some(&b"saved\n"[..]));
    assert!(files.contains_key("bin/busybox"), "the base layers are saved too");
    // The same through GET /images/get?names=.
    let many: Vec<bytes::Bytes> = docker.images().export_many(&[&tag, &tag]).try_collect().await.expect("save many");
    assert!(many.concat().len() >= saved.len() / 2);

    docker.images().get(&tag).remove_with(ImageRemoveOptions::new().force(true)).await.expect("rmi");
    let loaded: Vec<_> = docker.images().load(saved.into()).try_collect().await.expect("load");
    assert!(loaded.iter().any(|m| m.loaded_image() == Some(tag.as_str())), "{loaded:?}");
    let after = docker.images().get(&tag).inspect().await.unwrap();
    assert_eq!(after.config.as_ref().map(|c| &c.cmd), before.config.as_ref().map(|c| &c.cmd));
    assert_eq!(after.root_fs.as_ref().map(|r| r.layers.len()), before.root_fs.as_ref().map(|r| r.layers.len()));

    let mut cleanup = common::Cleanup(Vec::new());
    let c = common::create(docker, &mut cleanup, common::busybox(&tag, "saved", &[])).await;
    assert!(c.start().await.unwrap().is_done());
    let code = wait(backend, &c).await;
    assert_eq!(outcome(&c, code).await, ("saved\n".into(), String::new(), 0));
    drop(cleanup);
    docker.images().get(&tag).remove_with(ImageRemoveOptions::new().force(true)).await.expect("rmi");

    // The daemon's errors.
    let e = docker.images().get("dockhand-no-such-image").export().try_collect::<Vec<_>>().await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(e.to_string().contains("No such image: dockhand-no-such-image"), "{e}");
    let e =
        docker.images().load(bytes::Bytes::from_static(b"garbage").into()).try_collect::<Vec<_>>().await.unwrap_err();
    // 20.10 names the tar step ("Error processing tar file(exit status 1):
    // unexpected EOF"); 26.1 and 28.5 only say "unexpected EOF". The engine
    // answers as the version it reports.
    let v = common::daemon_version(docker).await;
    let wording = if v.at_least(26) { "unexpected EOF" } else { "Error processing tar file" };
    assert!(e.to_string().contains(wording), "{} answered {e}", v.engine);
    assert_eq!(e.to_string().contains("Error processing tar file"), !v.at_least(26), "{} answered {e}", v.engine);
}

#[tokio::test]
async fn save_and_load_round_trip() {
    let (docker, backend, image) = engine().await;
    save_load_scenario(&docker, &backend, image).await;
    if let Some(docker) = common::daemon().await {
        let image = common::busybox_image(&docker).await;
        save_load_scenario(&docker, &Backend::Daemon, image).await;
    }
}

/// What the engine saves, the real dockerd loads: the format is right
/// (diff ids, manifest, config), and the files and config arrive.
#[tokio::test]
async fn engine_saved_images_load_into_dockerd() {
    use dockhand::api::{BuildOptions, ImageRemoveOptions};
    use dockhand::build_context::BuildContext;
    let Some(real) = common::daemon().await else { return };
    let (docker, _, _) = engine().await;
    let tag = format!("{}:1", common::unique("from-engine"));
    let dockerfile = "FROM busybox:latest\nRUN echo made in the engine > /made.txt && rm /etc/group\n\
                      ENV MADE=engine\nCMD [\"cat\", \"/made.txt\"]\n";
    let opts = BuildOptions::new().tag(&tag).label(common::TEST_LABEL, "1");
    dockhand::fold_progress(
        docker.images().build(opts, BuildContext::from_files().file("Dockerfile", dockerfile)),
        |_| {},
    )
    .await
    .expect("engine build");
    let saved: Vec<bytes::Bytes> = docker.images().get(&tag).export().try_collect().await.expect("engine save");
    let loaded: Vec<_> = real.images().load(saved.concat().into()).try_collect().await.expect("dockerd load");
    assert!(loaded.iter().any(|m| m.loaded_image() == Some(tag.as_str())), "{loaded:?}");
    let inspect = real.images().get(&tag).inspect().await.expect("inspect on dockerd");
    let config = inspect.config.clone().unwrap();
    assert_eq!(config.cmd, ["cat", "/made.txt"]);
    assert!(config.env.iter().any(|e| e == "MADE=engine"), "{:?}", config.env);
    assert_eq!(config.labels.get(common::TEST_LABEL).map(String::as_str), Some("1"));
    // dockerd's own save of it holds the engine's files, links and whiteout.
    let resaved: Vec<bytes::Bytes> = real.images().get(&tag).export().try_collect().await.expect("dockerd save");
    let (_, files) = saved_files(&resaved.concat(), 0);
    assert_eq!(files.get("made.txt").map(Vec::as_slice), Some(&b"made in the engine\n"[..]));
    assert!(files.contains_key("etc/.wh.group"), "{:?}", files.keys().collect::<Vec<_>>());
    real.images().get(&tag).remove_with(ImageRemoveOptions::new().force(true)).await.expect("rmi on dockerd");
}

/// The real busybox root filesystem (as the daemon tests import it), imported
/// into the engine, runs there: its busybox binary is the simulated one.
#[tokio::test]
async fn importing_a_root_filesystem() {
    use dockhand::api::{ImageRemoveOptions, ImportOptions};
    if !common::busybox_binary().exists() && !common::required() {
        eprintln!("SKIPPED: no busybox binary to import (install Debian's busybox-static)");
        return;
    }
    let (docker, backend, _) = engine().await;
    let cases: &[(&str, &str, &str, i64)] = &[
        ("echo $((6 * 7)) from $(hostname)", "42 from box\n", "", 0),
        ("cat /etc/group; cat /www/index.html", "root:x:0:\nnogroup:x:65534:\nhello from dockhand\n", "", 0),
        ("ls /tmp; test -L /bin/sh && echo link", "link\n", "", 0),
    ];
    let check_imported = |docker: Docker, backend: Backend| async move {
        let tag = common::unique("imported");
        let opts = ImportOptions::new(&tag, "v1").change("CMD [\"sh\"]").change("ENV PATH=/bin").message("from a tar");
        let msgs: Vec<_> = docker
            .images()
            .import(opts, common::busybox_rootfs_tar().to_vec().into())
            .try_collect()
            .await
            .expect("import");
        assert!(msgs.iter().any(|m| m.status.as_deref().is_some_and(|s| s.starts_with("sha256:"))), "{msgs:?}");
        let image = format!("{tag}:v1");
        let inspect = docker.images().get(&image).inspect().await.unwrap();
        assert_eq!(inspect.config.as_ref().map(|c| c.cmd.clone()), Some(vec!["sh".to_string()]));
        assert_eq!(inspect.comment, "from a tar");
        check(&docker, &backend, &image, cases).await;
        docker.images().get(&image).remove_with(ImageRemoveOptions::new().force(true)).await.expect("rmi");
    };
    check_imported(docker, backend).await;
    if let Some(docker) = common::daemon().await {
        check_imported(docker, Backend::Daemon).await;
    }
}

/// busybox sleep takes the suffixes s, m, h and d, and adds its operands up
/// (`docker run busybox sleep 1h` exited with 1 on the engine).
#[tokio::test]
async fn sleep_suffixes() {
    on_both(&[
        ("sleep 0m 0h 0d 0s && echo slept; sleep 0.1s; echo $?", "slept\n0\n", "", 0),
        ("sleep 1x; echo $?", "1\n", "sleep: invalid number '1x'\n", 0),
    ])
    .await;
}
