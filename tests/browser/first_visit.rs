//! The first visit: the page loads, the welcome and the level dialog, and
//! track 1's first two levels (the VMs view, the completion dialog).

use super::*;

/// Loads the page three times (the first load compiles the module cold):
/// the times to interactive.
pub(super) fn walk_load_three_times(d: &Driver, url: &str) -> Vec<f64> {
    let mut ready = Vec::new();
    for _ in 0..3 {
        d.goto(url);
        d.wait_for(
            "the page to be ready",
            "return document.documentElement.dataset.ready === '1'",
            Duration::from_secs(20),
        );
        ready.push(d.js("return window.__dockhand.readyMs").as_f64().unwrap());
    }
    assert!(severe(&d.console()).is_empty(), "console errors while loading");
    ready
}

/// Issue 19, item 10: the welcome, then the level dialog, then the terminal.
pub(super) fn walk_welcome_and_level_dialog(d: &Driver, shots: &Path) {
    // Issue 19, item 10: the first visit opens on a welcome, then the level
    // dialog (story, goal, a picture of the target), then the terminal.
    assert_eq!(d.js("return document.getElementById('welcome').open"), json!(true), "no welcome on the first visit");
    d.screenshot(&shots.join("playground-first-screen.png"));
    d.answer("welcome", "welcome-start");
    d.wait_for("the level dialog", "return document.getElementById('level-dlg').open", Duration::from_secs(5));
    let intro = d.text("return document.getElementById('level-dlg').textContent");
    assert!(intro.contains("A container starts in a blink") && intro.contains("hello-world"), "level dialog: {intro}");
    assert!(
        d.js("return document.querySelectorAll('#level-dlg .card').length").as_u64().unwrap() >= 1,
        "no target picture"
    );
    d.screenshot(&shots.join("playground-level-dialog.png"));
    d.answer("level-dlg", "level-go");
    // The dialog gives the focus back once it has closed (a moment later
    // on a loaded machine).
    d.wait_for_focus("the terminal's focus after the level dialog");
    let greet = d.text("return document.querySelector('#out .greet').textContent");
    assert!(greet.contains("Type a docker command"), "the terminal's greeting: {greet}");
    assert_eq!(d.text("return document.getElementById('mode').textContent"), format!("Level 1 of {}", levels().len()));
}

/// Track 1 level 1: the VMs view, hello-world's output in order, the
/// completion dialog, a met goal that stays met.
pub(super) fn walk_track1_level1(d: &Driver, shots: &Path) {
    // Item 9: the VMs view. Every segment shows, labels are readable, and it
    // follows what the learner runs (vms-1: hello-world exits, yet it counts).
    assert_eq!(d.js("return document.querySelectorAll('#vms .bar-row').length"), json!(0));
    learnfix::learnfix_vms_first_screen(d);
    run(d, "docker run hello-world");
    // Issue 19 item 2: the terminal shows the pull, then the container's
    // output, as the docker CLI prints them (the lesson is pull, create, start).
    let printed = d.text("return document.querySelector('#out .entry:last-child').textContent");
    let (pull, hello) = (printed.find("Unable to find image"), printed.find("Hello from Docker!"));
    assert!(pull.is_some() && hello.is_some() && pull < hello, "out of order: {printed}");
    // Item 10: the completion dialog, the learner's commands against par,
    // a moment after the output and the picture have shown.
    assert_eq!(
        d.js("return document.getElementById('done-dlg').open"),
        json!(false),
        "the dialog hides the output at once"
    );
    d.wait_for("the completion dialog", "return document.getElementById('done-dlg').open", Duration::from_secs(5));
    learnfix::learnfix_completion_card(d);
    learnpolish::learnpolish_card_covers_nothing(d, "vms-1");
    let score = d.text("return document.getElementById('done-dlg-score').textContent");
    assert!(score.contains("1 command") && score.contains("par is 1"), "score: {score}");
    d.screenshot(&shots.join("playground-complete.png"));
    d.answer("done-dlg", "done-stay");
    d.wait_for_focus("the terminal's focus after Stay");
    let rows = d.js("return document.querySelectorAll('#vms .bar-row').length").as_u64().unwrap();
    assert_eq!(rows, 2, "one VM row and one container row after docker run hello-world");
    let vm = d.text("return document.getElementById('vms').textContent");
    // hello-world has exited: the heading counts no running container (walk3 finding 7).
    assert!(
        vm.contains("your app started: a VM against a container (it has exited since)") && !vm.contains("1 VMs"),
        "{vm}"
    );
    let init = d.js("const s = document.querySelector('#vms .seg-guest-os-init'); return [s.offsetWidth, getComputedStyle(s).backgroundColor]");
    assert!(
        init[0].as_f64().unwrap() > 50.0 && init[1] != json!("rgba(0, 0, 0, 0)"),
        "guest OS init segment invisible: {init}"
    );
    let small = d.js("return [...document.querySelectorAll('#view-vms *')].filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 13).map(e => e.textContent)");
    assert_eq!(small, json!([]), "VMs view text under 13 px");
    // Memory to scale: the bars' widths are in the ratio of the megabytes
    // (hello-world has exited: the hosts alone, 550 MB against 800 MB).
    let mem = d.js("return [...document.querySelectorAll('#vms .mem-bar')].map(b => [...b.children].reduce((a, c) => a + c.getBoundingClientRect().width, 0))");
    let (vmw, ctw) = (mem[0].as_f64().unwrap(), mem[1].as_f64().unwrap());
    assert!((ctw / vmw - 550.0 / 800.0).abs() < 0.02, "memory not to scale: {mem}");
    learnfix::learnfix_vms_exited_memory(d);
    // Item 1: a met goal stays met on the next command.
    run(d, "docker ps -a");
    assert_eq!(d.js("return document.querySelectorAll('#goal li.met').length"), json!(2), "a tick went away");
    assert!(d.text("return document.getElementById('done').textContent").starts_with("Level complete"));
    assert_eq!(d.js("return document.getElementById('app').dataset.complete"), json!("1"));
    std::thread::sleep(Duration::from_millis(400));
    d.screenshot(&shots.join("playground-vms.png"));
    d.click("#vm-replay");
    let playing = d.js("return document.querySelector('#vms .seg-guest-os-init').getAnimations().length");
    assert_eq!(playing, json!(1), "Replay does not play the VM's boot again");
    // Next (from the lesson) opens the next level's dialog, then the terminal has the focus.
    learnfix::learnfix_slider_set(d);
}

/// Track 1 level 2: a fresh picture, three apps, the completion dialog's Next.
pub(super) fn walk_track1_level2(d: &Driver) {
    d.click("#next");
    learnpolish::learnpolish_fresh_picture(d);
    d.answer("level-dlg", "level-go");
    assert_eq!(d.text("return document.getElementById('lesson-title').textContent"), "Many apps, one kernel");
    d.wait_for_focus("the terminal's focus after the next level's dialog");
    learnfix::learnfix_slider_reset(d);
    assert_eq!(
        d.js("return document.querySelectorAll('#vms .bar-row').length"),
        json!(0),
        "the VMs view kept the last level"
    );
    learnfix::learnfix_vms2_attached(d);
    for name in ["web1", "web2", "web3"] {
        run(d, &format!("docker run -d --name {name} nginx"));
    }
    learnfix::learnfix_vms_running(d);
    learnpolish::learnpolish_vms_labels_whole(d, "desktop");
    // Session 9's second walk: with several apps the memory (the payoff) and
    // the slider scrolled out of the view; one pair of boot bars now, the
    // other apps named under it.
    let fit = d.js("const v = document.getElementById('view-vms').getBoundingClientRect(); return [document.getElementById('vm-n').getBoundingClientRect().bottom, v.bottom, document.querySelectorAll('#vms .bar-row').length, document.querySelector('#vms .more-apps') ? document.querySelector('#vms .more-apps').textContent : '']");
    assert!(
        fit[0].as_f64().unwrap() <= fit[1].as_f64().unwrap(),
        "with six apps the memory and the slider scroll out of the VMs view: {fit}"
    );
    assert_eq!(fit[2], json!(2), "one pair of boot bars: {fit}");
    assert!(fit[3].as_str().unwrap().contains("5 more apps"), "the other apps are named: {fit}");
    d.answer("done-dlg", "done-next");
    d.answer("level-dlg", "level-go");
    assert_eq!(d.text("return document.getElementById('lesson-title').textContent"), "Just processes on the host");
    d.wait_for_focus("the terminal's focus after Next level");
    learnfix::learnfix_par_typos(d);
}
