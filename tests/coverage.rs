//! Keeps `docs/coverage.md` true: every operation of the v1.56 spec appears
//! exactly once with its method and path, every dockhand method named exists
//! in `sdk/src`, every test named exists, and the column of each daemon
//! version `cargo xtask test` runs the suites on (20.10, 26.1, 28.5) says what
//! that daemon exercises, and so does the column of Podman (which runs the
//! core suites only). `not yet` rows are printed, and fail the test only
//! with `DOCKHAND_COVERAGE_STRICT=1`. No daemon needed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `(operationId, METHOD, path)` for every operation under `paths:`,
/// scanning the YAML text: a path is a two-space-indented key starting with
/// `/`, a method a four-space-indented key, then its `operationId:`.
fn spec_operations(yaml: &str) -> Vec<(String, String, String)> {
    let mut ops = Vec::new();
    let (mut in_paths, mut path, mut method) = (false, String::new(), String::new());
    for line in yaml.lines() {
        if line.starts_with("paths:") {
            in_paths = true;
            continue;
        }
        if in_paths && line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            in_paths = false;
        }
        if !in_paths {
            continue;
        }
        if let Some(p) = line.strip_prefix("  /") {
            path = format!("/{}", p.trim_end().trim_end_matches(':'));
        } else if let Some(m) = line.strip_prefix("    ").and_then(|l| l.strip_suffix(':')) {
            if ["get", "post", "put", "delete", "head", "patch"].contains(&m) {
                method = m.to_ascii_uppercase();
            }
        } else if let Some(id) = line.trim_start().strip_prefix("operationId:") {
            ops.push((id.trim().trim_matches('"').to_owned(), method.clone(), path.clone()));
        }
    }
    ops
}

struct Row {
    line: usize,
    method: String,
    path: String,
    sdk: Vec<String>,
    tests: Vec<String>,
    /// The cells of the daemon columns, in the order of [`DAEMONS`].
    daemons: Vec<String>,
    /// The cell of the Podman column.
    podman: String,
}

/// What Podman 4.3.1 answers instead, for operations whose test asserts
/// that answer on Podman: the cell says the status.
const PODMAN_ANSWERS: &[(&str, &str)] =
    &[("ContainerUpdate", "404"), ("ContainerAttachWebsocket", "404"), ("ImagePrune", "500")];

/// The core suites `cargo xtask test` runs on Podman, read from
/// `PODMAN_SUITES` in xtask/src/daemons.rs (one list to keep).
fn podman_suites(root: &Path) -> Vec<String> {
    let text = read(&root.join("xtask/src/daemons.rs"));
    let line = text.lines().find(|l| l.starts_with("pub const PODMAN_SUITES")).expect("PODMAN_SUITES in xtask");
    let list = line.split_once("= [").map_or("", |(_, l)| l).trim_end_matches("];");
    list.split(',').map(|n| n.trim().trim_matches('"').to_owned()).filter(|n| !n.is_empty()).collect()
}

/// What the Podman column must say: `left out`; `—` when no test named is
/// in a core suite (it does not run on Podman); `refused` for an operation
/// newer than API 1.41 (Podman's); the status of [`PODMAN_ANSWERS`]; else
/// `✓`.
fn podman_cell(root: &Path, id: &str, tests: &[String]) -> String {
    if tests == [LEFT_OUT_MARK] {
        return LEFT_OUT_MARK.to_owned();
    }
    let suites = podman_suites(root);
    let on_podman = tests.iter().any(|t| {
        let file = t.split("::").next().unwrap_or("");
        file.strip_prefix("tests/")
            .and_then(|f| f.strip_suffix(".rs"))
            .is_some_and(|stem| suites.iter().any(|s| s == stem))
    });
    let since = SINCE.iter().find(|(op, _)| *op == id).map_or((1, 41), |(_, v)| *v);
    if !on_podman {
        "—".to_owned()
    } else if since > (1, 41) {
        "refused".to_owned()
    } else {
        PODMAN_ANSWERS.iter().find(|(op, _)| *op == id).map_or("✓", |(_, a)| a).to_owned()
    }
}

/// The daemons `cargo xtask test` runs the daemon suites on (`.ci/daemons`),
/// with the newest API version each speaks: one column each, in this order.
const DAEMONS: [(&str, (u32, u32)); 3] = [("20.10", (1, 41)), ("26.1", (1, 45)), ("28.5", (1, 51))];

/// Operations newer than API 1.41, with the version that brought them: on an
/// older daemon the SDK refuses them before sending (`Error::UnsupportedVersion`).
const SINCE: &[(&str, (u32, u32))] = &[("ImageAttestations", (1, 55)), ("VolumeUpdate", (1, 42))];

/// What makes a `tests/*.rs` file a daemon suite (as `cargo xtask test`
/// decides): it calls the `daemon` function of `tests/common`. Spelled in
/// two halves so that this file, which needs no daemon, does not contain it.
const DAEMON_SUITE_MARK: &str = concat!("common::", "daemon(");

/// What a daemon column must say: `left out`; `mock` when no daemon suite
/// names the operation (only `sdk/` tests: mockito or unit); `refused` when a
/// daemon suite calls it on a daemon older than the operation (the test
/// proves the SDK refuses); else `✓` (every daemon suite runs on each daemon).
fn daemon_cell(root: &Path, id: &str, tests: &[String], api: (u32, u32)) -> &'static str {
    if tests == [LEFT_OUT_MARK] {
        return LEFT_OUT_MARK;
    }
    let on_a_daemon = tests.iter().any(|t| {
        let file = t.split("::").next().unwrap_or("");
        file.starts_with("tests/")
            && std::fs::read_to_string(root.join(file)).is_ok_and(|text| text.contains(DAEMON_SUITE_MARK))
    });
    let since = SINCE.iter().find(|(op, _)| *op == id).map_or((1, 41), |(_, v)| *v);
    match (on_a_daemon, api < since) {
        (false, _) => "mock",
        (true, true) => "refused",
        (true, false) => "✓",
    }
}

const NOT_YET: &str = "not yet";

/// Operations left out on purpose, each with the reason the table gives.
/// Only these may say `left out`.
const LEFT_OUT: &[&str] = &["Session"];
const LEFT_OUT_MARK: &str = "left out";

/// The items of a cell: `` `a`, `b` `` → `["a", "b"]`; `not yet` stays.
fn items(cell: &str) -> Vec<String> {
    cell.split(", ").map(|s| s.trim().trim_matches('`').to_owned()).filter(|s| !s.is_empty()).collect()
}

fn table(md: &str) -> BTreeMap<String, Vec<Row>> {
    let mut rows: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for (i, line) in md.lines().enumerate() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // "| id | METHOD | path | sdk | test | 20.10 | 26.1 | 28.5 | Podman |"
        // splits into 7 cells, one per daemon and Podman's.
        if cells.len() != 8 + DAEMONS.len() || !["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"].contains(&cells[2]) {
            continue;
        }
        rows.entry(cells[1].to_owned()).or_default().push(Row {
            line: i + 1,
            method: cells[2].to_owned(),
            path: cells[3].trim_matches('`').to_owned(),
            sdk: items(cells[4]),
            tests: items(cells[5]),
            daemons: cells[6..6 + DAEMONS.len()].iter().map(|c| (*c).to_owned()).collect(),
            podman: cells[6 + DAEMONS.len()].to_owned(),
        });
    }
    rows
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether `Type::method` exists: a file of `sdk/src` has `impl Type {` (or
/// `impl Type for`) and `fn method(` / `fn method<`.
fn method_exists(sources: &[(PathBuf, String)], name: &str) -> bool {
    let Some((ty, method)) = name.split_once("::") else { return false };
    let fn_call = format!("fn {method}(");
    let fn_generic = format!("fn {method}<");
    sources.iter().any(|(_, text)| {
        text.contains(&format!("impl {ty} {{"))
            && text.split(&format!("impl {ty} {{")).skip(1).any(|after| {
                // Only look inside impl blocks of this type: up to the next
                // top-level `impl` or end of file.
                let block = after.split("\nimpl").next().unwrap_or("");
                block.contains(&fn_call) || block.contains(&fn_generic)
            })
    })
}

/// Whether `path::function` (or a whole file `path`) exists.
fn test_exists(root: &Path, name: &str) -> bool {
    let (file, function) = match name.split_once("::") {
        Some((f, func)) => (f, Some(func)),
        None => (name, None),
    };
    if !(file.starts_with("tests/") || file.starts_with("sdk/")) {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(root.join(file)) else { return false };
    match function {
        None => true,
        Some(func) => text.contains(&format!("fn {func}()")),
    }
}

#[test]
fn coverage_table_matches_spec_sdk_and_tests() {
    let root = root();
    let ops = spec_operations(&read(&root.join("spec/engine-api-v1.56.yaml")));
    assert_eq!(ops.len(), 108, "the v1.56 spec has 108 operations; the scanner found {}", ops.len());
    let rows = table(&read(&root.join("docs/coverage.md")));

    let mut sources = Vec::new();
    let mut files = Vec::new();
    rust_files(&root.join("sdk/src"), &mut files);
    for f in files {
        let text = read(&f);
        sources.push((f, text));
    }

    let mut problems = Vec::new();
    let mut not_yet = Vec::new();
    for (id, method, path) in &ops {
        let Some(found) = rows.get(id) else {
            problems.push(format!("{id} ({method} {path}) has no row"));
            continue;
        };
        if found.len() != 1 {
            let lines: Vec<_> = found.iter().map(|r| r.line).collect();
            problems.push(format!("{id} has {} rows (lines {lines:?})", found.len()));
        }
        let row = &found[0];
        if (&row.method, &row.path) != (method, path) {
            problems.push(format!("{id}: the row says {} {}, the spec {method} {path}", row.method, row.path));
        }
        let missing: Vec<&str> = [("method", &row.sdk), ("test", &row.tests)]
            .into_iter()
            .filter(|(_, names)| names.iter().any(|n| n == NOT_YET))
            .map(|(what, _)| what)
            .collect();
        if !missing.is_empty() {
            not_yet.push(format!("{id} ({method} {path}): {} not yet", missing.join(" and ")));
        }
        for ((name, api), cell) in DAEMONS.iter().zip(&row.daemons) {
            let expected = daemon_cell(&root, id, &row.tests, *api);
            if cell != expected {
                problems.push(format!("{id}: the {name} column says `{cell}`, the tests named make it `{expected}`"));
            }
        }
        let expected = podman_cell(&root, id, &row.tests);
        if row.podman != expected {
            problems
                .push(format!("{id}: the Podman column says `{}`, the tests named make it `{expected}`", row.podman));
        }
        if row.sdk == [LEFT_OUT_MARK] || row.tests == [LEFT_OUT_MARK] {
            if !LEFT_OUT.contains(&id.as_str()) || row.sdk != row.tests {
                problems.push(format!("{id}: only {LEFT_OUT:?} may be `left out`, in both cells"));
            } else {
                println!("left out on purpose: {id} ({method} {path}); see docs/coverage.md");
            }
            continue;
        }
        for name in &row.sdk {
            if name == NOT_YET {
                continue;
            } else if !method_exists(&sources, name) {
                problems.push(format!("{id}: no `fn {}` in an `impl` of sdk/src ({name})", name));
            }
        }
        for name in &row.tests {
            if name == NOT_YET {
                continue;
            } else if !test_exists(&root, name) {
                problems.push(format!("{id}: test {name} not found"));
            }
        }
        if row.sdk.is_empty() || row.tests.is_empty() {
            problems.push(format!("{id}: empty cell (write `not yet`)"));
        }
    }
    for (id, found) in &rows {
        if !ops.iter().any(|(op, _, _)| op == id) {
            problems.push(format!("{id} (line {}) is not an operation of the spec", found[0].line));
        }
    }

    if !not_yet.is_empty() {
        println!("{} operations in docs/coverage.md are `not yet` covered:", not_yet.len());
        for n in &not_yet {
            println!("  {n}");
        }
    }
    assert!(problems.is_empty(), "docs/coverage.md is out of date:\n  {}", problems.join("\n  "));
    if std::env::var("DOCKHAND_COVERAGE_STRICT").is_ok_and(|v| v == "1") {
        assert!(not_yet.is_empty(), "DOCKHAND_COVERAGE_STRICT=1 and {} entries say `not yet`", not_yet.len());
    }
}

#[test]
fn the_checker_catches_mistakes() {
    // The scanner reads operations under `paths:` only.
    let yaml = "definitions:\n  X:\n    operationId: \"Nope\"\npaths:\n  /a/{id}:\n    get:\n      operationId: \"AGet\"\n    delete:\n      operationId: \"ADelete\"\ndefinitions2:\n  y: 1\n";
    assert_eq!(
        spec_operations(yaml),
        [
            ("AGet".to_owned(), "GET".to_owned(), "/a/{id}".to_owned()),
            ("ADelete".into(), "DELETE".into(), "/a/{id}".into())
        ]
    );
    let sources = vec![(
        PathBuf::from("x.rs"),
        "impl Foo {\n    pub async fn bar(&self) {}\n}\nimpl Baz {\n    pub fn qux<T>(&self) {}\n}\n".to_owned(),
    )];
    assert!(method_exists(&sources, "Foo::bar") && method_exists(&sources, "Baz::qux"));
    assert!(!method_exists(&sources, "Foo::qux"), "a method of another type does not count");
    assert!(!method_exists(&sources, "bar"));
    let root = root();
    assert!(test_exists(&root, "tests/coverage.rs::the_checker_catches_mistakes"));
    assert!(!test_exists(&root, "tests/coverage.rs::no_such_test"));
    assert!(!test_exists(&root, "/etc/passwd"));
    let rows =
        table("| A | GET | `/a` | `Foo::bar`, `Foo::baz` | not yet | mock | mock | mock | — |\n| not | a | row |\n");
    assert_eq!(rows["A"][0].sdk, ["Foo::bar", "Foo::baz"]);
    assert_eq!(rows["A"][0].tests, [NOT_YET]);
    assert_eq!(rows["A"][0].daemons, ["mock", "mock", "mock"]);
    assert!(table("| A | GET | `/a` | `Foo::bar` | not yet |\n").is_empty(), "a row without daemon columns");
    // The daemon columns follow the tests named and the operation's version.
    let daemon_test = ["tests/containers.rs::create_config_is_seen_in_inspect".to_owned()];
    let mock = ["sdk/tests/mock_plugins.rs::list_and_inspect_decode_the_spec_shapes".to_owned()];
    let no_daemon = ["tests/coverage.rs::the_checker_catches_mistakes".to_owned()];
    assert_eq!(daemon_cell(&root, "ContainerCreate", &daemon_test, (1, 41)), "✓");
    assert_eq!(daemon_cell(&root, "VolumeUpdate", &daemon_test, (1, 41)), "refused");
    assert_eq!(daemon_cell(&root, "VolumeUpdate", &daemon_test, (1, 45)), "✓");
    assert_eq!(daemon_cell(&root, "PluginList", &mock, (1, 51)), "mock");
    assert_eq!(daemon_cell(&root, "X", &no_daemon, (1, 51)), "mock", "a test that needs no daemon");
    // Podman's column: the core suites only, and its own answers.
    assert_eq!(podman_suites(&root), ["containers", "images", "networks", "streams", "system", "volumes"]);
    assert_eq!(podman_cell(&root, "ContainerCreate", &daemon_test), "✓");
    let update = ["tests/containers.rs::update_rename_and_prune".to_owned()];
    assert_eq!(podman_cell(&root, "ContainerUpdate", &update), "404");
    let registry = ["tests/registry.rs::push_and_pull_through_a_local_registry".to_owned()];
    assert_eq!(podman_cell(&root, "ImagePush", &registry), "—", "registry.rs is not a core suite");
    assert_eq!(podman_cell(&root, "VolumeUpdate", &daemon_test), "refused");
    assert_eq!(podman_cell(&root, "PluginList", &mock), "—");
}
