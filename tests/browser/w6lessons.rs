//! The checks of the fifth newcomer walk's findings on the lessons and the
//! pictures' words (issue 19, walk 5: findings 5, 6, 7, 13 and 14).
//! Screenshots: `target/screenshots/w6lessons-*.png`.

use super::*;

fn shot(d: &Driver, name: &str) {
    d.screenshot(&root().join("target/screenshots").join(format!("w6lessons-{name}.png")));
}

fn complete(d: &Driver) -> bool {
    d.js("return document.getElementById('app').dataset.complete === '1'") == json!(true)
}

/// Finding 7: flow-3 ("Run and test") is met by fetching the page through
/// the published port from the host, not by reading the file inside the
/// container: the page's goal keeps the port its lesson file asks for when
/// it compares the output with the learner's saved index.html.
fn flow_3_tests_through_the_published_port(d: &Driver) {
    play(d, "flow-3", &["docker build -t site .", "docker run -d --name site -p 8080:80 site"]);
    run(d, "docker exec site cat /usr/share/nginx/html/index.html");
    assert!(!complete(d), "reading the file inside the container completed flow-3");
    run(d, "curl localhost:8080");
    assert!(complete(d), "curl localhost:8080 did not complete flow-3");
    wait_card(d);
    let card = d.text("return document.getElementById('done-dlg').textContent");
    assert!(card.contains("curl") && card.contains("8080"), "the card does not say what was tested: {card}");
    shot(d, "flow-3-card");
    d.answer("done-dlg", "done-stay");
}

/// The walk: each finding on a level or view of its own.
pub(super) fn w6lessons_lessons_and_views(d: &Driver) {
    flow_3_tests_through_the_published_port(d);
}
