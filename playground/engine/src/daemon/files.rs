//! A container's files as `docker cp` reads and writes them: tar entries
//! out of a path, a tar unpacked into a directory.

use crate::error::{ApiErr, err};
use crate::state::*;
use crate::util::TarEntry;

/// The file or directory `path` of container `cid` (asked for as `asked`):
/// its name, its node and its tar entries (a directory's whole tree, at
/// most about 10,000 entries).
pub(crate) fn copy_out(
    st: &State,
    cid: &str,
    asked: &str,
    path: &str,
) -> Result<(String, Node, Vec<TarEntry>), ApiErr> {
    let path = crate::fs::normalize("/", path);
    let node = st
        .read_node(cid, &path)
        .ok_or_else(|| err(404, format!("Could not find the file {path} in container {asked}")))?;
    let name = path.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("/").to_string();
    let mut entries = Vec::new();
    let collect = |p: &str, rel: &str, entries: &mut Vec<TarEntry>| match st.read_node(cid, p) {
        Some(Node::File { data }) => {
            entries.push(TarEntry { path: rel.to_string(), dir: false, data: data.into_bytes() })
        }
        Some(Node::Dir) => entries.push(TarEntry { path: rel.to_string(), dir: true, data: vec![] }),
        _ => {}
    };
    collect(&path, &name, &mut entries);
    if node == Node::Dir {
        let mut stack = vec![(path.clone(), name.clone())];
        while let Some((dir, rel)) = stack.pop() {
            if entries.len() > 10_000 {
                break;
            }
            for child in st.list_dir(cid, &dir) {
                let p = format!("{}/{child}", dir.trim_end_matches('/'));
                let r = format!("{rel}/{child}");
                collect(&p, &r, &mut entries);
                if st.read_node(cid, &p) == Some(Node::Dir) {
                    stack.push((p, r));
                }
            }
        }
    }
    Ok((name, node, entries))
}

/// Unpacks the tar `body` into directory `dir` of container `cid` (asked
/// for as `asked`).
pub(crate) fn copy_in(st: &mut State, cid: &str, asked: &str, dir: &str, body: &[u8]) -> Result<(), ApiErr> {
    let dir = crate::fs::normalize("/", dir);
    match st.read_node(cid, &dir) {
        Some(Node::Dir) => {}
        _ => return Err(err(404, format!("Could not find the file {dir} in container {asked}"))),
    }
    let entries = crate::util::untar(body).map_err(|e| err(400, e))?;
    for e in entries {
        let path = crate::fs::normalize(&dir, &e.path);
        let node = if e.dir { Node::Dir } else { Node::File { data: String::from_utf8_lossy(&e.data).into_owned() } };
        st.write_node(cid, &path, node).map_err(|e| err(500, e))?;
    }
    Ok(())
}
