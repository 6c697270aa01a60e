//! The classic builder's layer cache: a step's key (parent image,
//! instruction, the content it copies, the build args) and its lookup.

use std::collections::BTreeMap;

use crate::state::{Node, State};
use crate::util::sha256_hex;

/// The cache key of a step on `parent`.
pub(crate) fn key(
    parent: &str,
    keyword: &str,
    args: &str,
    copied: &[(String, Node)],
    build_args: &BTreeMap<String, String>,
) -> String {
    let content_hash = sha256_hex(
        serde_json::to_string(&copied.iter().map(|(p, d)| (p, d)).collect::<Vec<_>>()).unwrap_or_default().as_bytes(),
    );
    sha256_hex(format!("{parent}\n{keyword} {args}\n{content_hash}\n{build_args:?}").as_bytes())
}

/// The image a step with this key made before, if it is still there.
pub(crate) fn lookup(st: &State, key: &str) -> Option<String> {
    st.build_cache.get(key).cloned().filter(|id| st.images.contains_key(id))
}

/// Remembers the image a step made.
pub(crate) fn remember(st: &mut State, key: String, id: String) {
    st.build_cache.insert(key, id);
}

/// `POST /build/prune`: forgets every step; how many there were.
pub(crate) fn prune(st: &mut State) -> usize {
    let n = st.build_cache.len();
    st.build_cache.clear();
    n
}
