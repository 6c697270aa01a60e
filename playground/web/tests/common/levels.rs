//! Every level of every track, read from the lesson files as the page reads
//! them (`index.json` names the track files in order). Shared by the web
//! crate's lesson tests and the root browser test.

use std::path::Path;

use serde_json::Value;

/// The levels of the tracks `dir/index.json` lists, in order.
pub fn levels(dir: &Path) -> Vec<Value> {
    let index: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let mut out = Vec::new();
    for f in index["tracks"].as_array().unwrap() {
        let track: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(f.as_str().unwrap())).unwrap()).unwrap();
        out.extend(track["levels"].as_array().unwrap().iter().cloned());
    }
    out
}
