//! Session 9's walk: the last level, the sandbox's own picture, PIDs on a
//! phone, a host command that points into the running container.

use super::*;

/// The last level (flow-8, a swarm service) and the lines that solve it.
pub(super) const LAST_LEVEL: &str = "flow-8";
pub(super) const LAST_LEVEL_SOLUTION: [&str; 4] = [
    "docker swarm init",
    "docker service create --name web --replicas 3 -p 80:80 nginx",
    "curl localhost:80",
    "docker service scale web=5",
];

/// Session 9's walk: the last level's dialog said "Next: the sandbox" and
/// nothing about the course being over. Every level is done by now.
pub(super) fn walk_the_last_level_ends_the_course(d: &Driver) {
    d.js("location.hash = '#level=flow-8'; location.reload()");
    d.wait_for(
        "the page to be ready",
        "return document.documentElement.dataset.ready === '1'",
        Duration::from_secs(20),
    );
    // The swarm level's dialog draws its target: the manager and the service.
    let target =
        d.text("return [...document.querySelectorAll('#level-dlg .card')].map(c => c.textContent).join(' | ')");
    assert!(
        target.contains("a swarm manager") && target.contains("service web") && target.contains("5 replicas running"),
        "the swarm level's target picture: {target}"
    );
    d.answer("level-dlg", "level-go");
    for line in LAST_LEVEL_SOLUTION {
        run(d, line);
    }
    d.wait_for("the completion dialog", "return document.getElementById('done-dlg').open", Duration::from_secs(5));
    let course = d.text("return document.getElementById('done-dlg-course').textContent");
    assert!(course.contains(&format!("finished all {} levels", levels().len())), "the end of the course: {course}");
    assert_eq!(d.js("return document.getElementById('done-dlg-course').hidden"), json!(false));
    assert_eq!(d.text("return document.getElementById('done-next').textContent"), "Next: the sandbox");
    d.answer("done-dlg", "done-next");
}

/// The sandbox, entered from the last level, opened on that level's Lifecycle view
/// still showing its removed `cache` container and the `rm` move.
pub(super) fn walk_the_sandbox_opens_on_its_own_picture(d: &Driver) {
    d.wait_for(
        "the sandbox",
        "return document.getElementById('mode').textContent.startsWith('Sandbox')",
        Duration::from_secs(5),
    );
    assert_eq!(d.js("return document.getElementById('tab-arch').getAttribute('aria-selected')"), json!("true"));
    d.click("#panes button[data-pane=views]");
    d.click("#tab-states");
    let notes = d.text("return document.getElementById('sm-live').textContent");
    assert!(notes.contains("No container yet") && !notes.contains("cache"), "a stale lifecycle: {notes}");
    assert_eq!(d.js("return document.querySelectorAll('#sm .edge.taken').length"), json!(0));
    d.click("#panes button[data-pane=term]");
}

/// On a phone the Processes view broke host PIDs over two lines ("100" / "5").
pub(super) fn walk_pids_stay_whole_on_a_phone(d: &Driver) {
    run(d, "docker run -d --name web nginx");
    d.click("#panes button[data-pane=views]");
    d.click("#tab-procs");
    let lines = d.js("return [...document.querySelectorAll('#pl td:first-child, #pl th')].map((c) => { \
         const r = document.createRange(); r.selectNodeContents(c); \
         return [c.textContent, new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size]; })");
    let cells = lines.as_array().unwrap();
    assert!(cells.len() >= 6, "the process tables: {lines}");
    for cell in cells {
        assert_eq!(cell[1], json!(1), "a PID or header broken over lines on a phone: {cell}");
    }
    d.click("#panes button[data-pane=term]");
}

/// A host command suggested `docker run --rm busybox CMD` (a throwaway
/// container, proc-2's dead end) even with a container running.
pub(super) fn walk_a_host_command_points_into_the_running_container(d: &Driver) {
    run(d, "touch /tmp/notes.txt");
    let last = d.text("return document.querySelector('#out .entry:last-child').textContent");
    assert!(last.contains("Try: docker exec web touch /tmp/notes.txt"), "the suggestion: {last}");
    assert!(!last.contains("Try: docker run --rm busybox"), "a throwaway container: {last}");
}
