//! The checks of the fourth newcomer walk's findings on the terminal's
//! words and the par rule (issue 19, walk 4: findings 2, 3 and 12).
//! Screenshots: `target/screenshots/walk5coach-*.png`.

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("walk5coach-{name}.png")));
}

/// The text of the terminal's last entry (the last command and its notes).
fn last_entry(d: &Driver) -> String {
    d.text("return document.querySelector('#out .entry:last-child').textContent")
}

/// Finding 12: a misspelled image name the daemon refused ("Did you
/// mean hello-world?") is a typo: not counted, and the card says so.
fn a_misspelled_image_is_not_counted(d: &Driver) {
    play(d, "vms-1", &["docker run hello-word"]);
    let said = last_entry(d);
    assert!(said.contains("Did you mean hello-world?"), "the typo coach: {said}");
    run(d, "docker run hello-world");
    d.wait_for("the completion card", "return document.getElementById('done-dlg').open", Duration::from_secs(6));
    std::thread::sleep(Duration::from_millis(300));
    let score = d.text("return document.getElementById('done-dlg-score').textContent");
    assert!(score.contains("1 command;") && score.contains("par is 1"), "the misspelled image counted: {score}");
    let rule = d.text("return document.getElementById('done-dlg-rule').textContent");
    assert!(
        rule.contains("your 1 line") && rule.contains("an image's name") && rule.contains("Did you mean"),
        "the card does not say a misspelled image is excused: {rule}"
    );
    shot(d, "typo-not-counted");
    d.answer("done-dlg", "done-stay");
}

/// Finding 2: in the workflow track, running an image not built yet says to
/// build it, with the learner's own name, not to pull busybox.
fn running_before_building_says_build(d: &Driver) {
    play(d, "flow-3", &["docker run -d -p 80:8080 app"]);
    let said = last_entry(d);
    assert!(said.contains("Try: docker build -t app ."), "no build suggestion: {said}");
    assert!(!said.contains("docker pull busybox"), "a pull of busybox suggested: {said}");
    shot(d, "run-before-build");
}

/// Finding 3: `docker push app` before tagging names the learner's image
/// and account (log in first when nobody is), never `IMAGE`.
fn a_push_before_tagging_names_real_images(d: &Driver) {
    play(d, "flow-5", &["docker push app"]);
    let said = last_entry(d);
    assert!(!said.contains("IMAGE"), "a placeholder: {said}");
    assert!(
        said.contains("Try: docker login -u learner -p secret") && said.contains("docker tag site learner/site"),
        "not the learner's own steps: {said}"
    );
    run(d, "docker login -u learner -p secret");
    run(d, "docker push app");
    let said = last_entry(d);
    assert!(said.contains("Try: docker tag site learner/site"), "after the login: {said}");
    shot(d, "push-before-tag");
}

/// The walk: each finding on a level of its own.
pub(super) fn walk5coach_terminal_words(d: &Driver) {
    a_misspelled_image_is_not_counted(d);
    running_before_building_says_build(d);
    a_push_before_tagging_names_real_images(d);
}
