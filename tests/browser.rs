//! End-to-end tests of the browser playground in a real headless Chromium,
//! driven through WebDriver (chromedriver) from Rust.
//!
//! The test builds the site with the same code as `cargo xtask playground`
//! (or reuses the folder `DOCKHAND_PLAYGROUND_DIR` names), serves it on a free
//! loopback port, starts chromedriver on another, and then: loads the page,
//! completes every level of every lesson by typing its solution into the
//! terminal, checks that the diagrams and the wire inspector react, that
//! learner data stays text (the XSS case), that no console error was logged,
//! and measures the budgets (wasm size, time to interactive, time per
//! command). Screenshots go to `target/screenshots/`.
//!
//! Without Chromium and chromedriver, or without the tools to build the site,
//! it prints SKIPPED and passes, unless `DOCKHAND_REQUIRE_BROWSER=1`.

#[allow(dead_code)]
#[path = "../xtask/src/playground.rs"]
mod playground;

// The harness, then the walks (a crate root's modules are found beside it:
// each names its file under browser/).
#[path = "browser/first_visit.rs"]
mod first_visit;
#[path = "browser/harness.rs"]
mod harness;
#[path = "browser/images.rs"]
mod images;
#[path = "browser/learnfix.rs"]
mod learnfix;
#[path = "browser/learnpolish.rs"]
mod learnpolish;
#[path = "../playground/web/tests/common/levels.rs"]
mod lesson_index;
#[path = "browser/lessons.rs"]
mod lessons;
#[path = "browser/polishterm.rs"]
mod polishterm;
#[path = "browser/polishviews.rs"]
mod polishviews;
#[path = "browser/sandbox.rs"]
mod sandbox;
#[path = "browser/session9.rs"]
mod session9;
#[path = "browser/swarm.rs"]
mod swarm;
#[path = "browser/w6coach.rs"]
mod w6coach;
#[path = "browser/w6lessons.rs"]
mod w6lessons;
#[path = "browser/w6page.rs"]
mod w6page;
#[path = "browser/w7coach.rs"]
mod w7coach;
#[path = "browser/w7page.rs"]
mod w7page;
#[path = "browser/w7vms.rs"]
mod w7vms;
#[path = "browser/w8coach.rs"]
mod w8coach;
#[path = "browser/w8page.rs"]
mod w8page;
#[path = "browser/walk5coach.rs"]
mod walk5coach;
#[path = "browser/walk5layout.rs"]
mod walk5layout;
#[path = "browser/walk5pics.rs"]
mod walk5pics;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use harness::*;

#[test]
fn playground_in_headless_chromium() {
    let chromium = env_path("DOCKHAND_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = env_path("DOCKHAND_CHROMEDRIVER", "/usr/bin/chromedriver");
    if !chromium.is_file() || !chromedriver.is_file() {
        return skip(&format!(
            "{} or {} is missing (install Debian's chromium and chromium-driver)",
            chromium.display(),
            chromedriver.display()
        ));
    }
    let (dir, built) = match site() {
        Ok(s) => s,
        Err(e) => return skip(&format!("the playground site could not be built: {e}")),
    };
    let wasm = dir.join("pkg/dockhand_playground_web_bg.wasm");
    let wasm_gz = playground::gzip_size(&wasm).expect("gzip the wasm");
    let wasm_br = playground::brotli_size(&wasm);
    assert!(
        wasm_br.is_some() || !required(),
        "DOCKHAND_REQUIRE_BROWSER=1 but brotli is missing (apt-get install brotli)"
    );
    let port = playground::serve_in_background(dir.clone()).expect("serve the site");
    let url = format!("http://127.0.0.1:{port}/index.html");
    let d = Driver::start(&chromedriver, &chromium, &[]).expect("start chromedriver and Chromium");
    let shots = root().join("target/screenshots");
    let ready = first_visit::walk_load_three_times(&d, &url);
    first_visit::walk_welcome_and_level_dialog(&d, &shots);
    first_visit::walk_track1_level1(&d, &shots);
    first_visit::walk_track1_level2(&d);
    sandbox::walk_sandbox_views(&d, &url, &shots);
    sandbox::walk_sandbox_layout(&d);
    sandbox::walk_remote_and_hostile_names(&d);
    lessons::walk_every_level(&d, &shots);
    let lessons::Samples { timings, mut engine, lines } = lessons::walk_undo_share_keyboard(&d);
    let engine_all = engine.clone();
    engine.sort_by(f64::total_cmp);
    let engine_median = engine[engine.len() / 2];
    let mut sorted = timings.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let p95 = sorted[(sorted.len() * 95 / 100).min(sorted.len() - 1)];
    let max = *sorted.last().unwrap();
    let errors = d.js("return window.__dockhand.errors");
    assert_eq!(errors, json!([]), "errors caught by the page");
    let console = severe(&d.console());
    assert!(console.is_empty(), "console errors: {console:?}");

    lessons::walk_mobile(&d, &shots);
    session9::walk_the_last_level_ends_the_course(&d);
    session9::walk_the_sandbox_opens_on_its_own_picture(&d);
    session9::walk_pids_stay_whole_on_a_phone(&d);
    session9::walk_a_host_command_points_into_the_running_container(&d);
    swarm::walk_swarm(&d, &shots);
    polishviews::walk_architecture_box_and_lines(&d, &shots);
    polishviews::walk_pickers_open_on_a_running_container(&d, &shots);
    polishviews::walk_lifecycle_has_direction(&d, &shots);
    polishviews::walk_failing_service_is_red(&d, &shots);
    polishviews::walk_image_labels_stay_whole(&d, &shots);
    learnpolish::learnpolish_last_level_offers_an_open_level(&d);
    polishterm::polishterm_card_leaves_the_proof(&d);
    polishterm::polishterm_par_excuses_refused_lines(&d);
    polishterm::polishterm_track_complete(&d);
    polishterm::polishterm_phone_dialog_and_wide_output(&d);
    walk5pics::walk_request_label_covers_no_box(&d, &shots);
    walk5pics::walk_lifecycle_labels_by_their_edges(&d, &shots);
    walk5pics::walk_phone_swarm_in_view(&d, &shots);
    walk5pics::walk_vms_preview_before_the_first_run(&d, &shots);
    walk5coach::walk5coach_terminal_words(&d);
    w6lessons::w6lessons_lessons_and_views(&d);
    w6coach::w6coach_terminal_words(&d);
    w7coach::w7coach_terminal_notes(&d);
    w8coach::w8coach_terminal_notes(&d);
    walk5layout::walk5layout_teaching_line_in_view(&d);
    walk5layout::walk5layout_lesson_column_reachable(&d);
    walk5layout::walk5layout_phone_card_shows_picture(&d);
    walk5layout::walk5layout_welcome_preview(&d);
    w6page::w6page_last_card_fits(&d);
    w6page::w6page_editor_beside_card(&d);
    w6page::w6page_phone_wide_table(&d);
    w6page::w6page_no_older_command_pinned(&d);
    w6page::w6page_picture_details(&d);
    w6page::w6page_stale_goal_says_so(&d);
    w7page::w7page_walk(&d);
    w7vms::w7vms_race(&d);
    w7vms::w7vms_layers(&d);
    w7vms::w7vms_memory_words(&d);
    w7vms::w7vms_ports_and_curl(&d);
    w7vms::w7vms_failing_service(&d);
    w7vms::w7vms_level_picture(&d);
    w8page::w8page_cue_and_vms_fit(&d);
    w8page::w8page_curl_path(&d);
    w8page::w8page_editor_with_hints(&d);
    w8page::w8page_goal_output_in_view(&d);
    w8page::w8page_image_counts_and_colours(&d);
    assert!(severe(&d.console()).is_empty(), "console errors in the walk's checks");
    drop(d);

    sandbox::walk_reduced_motion(&chromedriver, &chromium, &url);

    let figures = json!({
        "wasm_bytes": std::fs::metadata(&wasm).unwrap().len(),
        "wasm_gzip_bytes": wasm_gz,
        "wasm_brotli_bytes": wasm_br,
        "build_seconds": built.as_ref().map(|b| b.elapsed.as_secs_f64()),
        "interactive_ms": ready,
        "commands": timings.len(),
        "command_ms_median": median,
        "command_ms_p95": p95,
        "command_ms_max": max,
        "command_ms_all": timings,
        "engine_ms_all": engine_all,
        "command_lines": lines,
        "engine_ms_median": engine_median,
        "engine_ms_max": engine.last(),
    });
    println!("playground figures: {figures}");
    std::fs::write(shots.join("figures.json"), serde_json::to_string_pretty(&figures).unwrap()).unwrap();
    if let Ok(docs) = std::env::var("DOCKHAND_UPDATE_SCREENSHOT") {
        if docs == "1" {
            std::fs::copy(shots.join("playground-desktop.png"), root().join("docs/playground.png")).unwrap();
        }
    }

    // The size guard (exact) and the budgets of issue 8 (times: the best
    // load and the median command, so one slow moment on a shared machine
    // does not decide).
    match wasm_br {
        Some(br) => assert!(
            br < WASM_BROTLI_CEILING,
            "wasm is {br} bytes with brotli, above the regression guard {WASM_BROTLI_CEILING}"
        ),
        None => eprintln!("SKIPPED (module size guard): brotli is missing (apt-get install brotli)"),
    }
    let best = ready.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(best < 1000.0, "page interactive after {best:.0} ms, over the 1 s budget");
    // The median must meet the budget. The p95 is a figure, not a check
    // (figures.json, docs/performance.md): on a machine whose two cores
    // other builds share it went from 18 to 38 ms with the same page, so
    // it said more about the machine than about the page.
    assert!(median < 10.0, "the median command took {median:.2} ms, over the 10 ms budget");
    println!("95% of commands took up to {p95:.2} ms (a figure; the budget is the median's)");
}
