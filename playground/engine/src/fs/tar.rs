//! Layer tars of the filesystem's nodes: what `docker save`, `load`,
//! `import` and layer digests read and write. (The byte-level tar reader and
//! writer are `util`'s.)

use crate::state::Node;
use crate::util::header;
#[cfg(any(test, feature = "image-archives"))]
use crate::util::walk_tar;

/// Reads a layer tar into nodes at absolute paths: files, directories,
/// symbolic links (hard links become copies), and `.wh.` whiteouts.
/// Binary content is kept as text; a busybox binary becomes the simulated
/// busybox, so an imported busybox root filesystem runs.
#[cfg(any(test, feature = "image-archives"))]
pub(crate) fn untar_nodes(data: &[u8]) -> Result<Vec<(String, Node)>, String> {
    let mut out: Vec<(String, Node)> = Vec::new();
    walk_tar(data, |path, typeflag, body, link| {
        // `../` cannot climb out of the root.
        let abs = super::normalize("/", &path);
        if abs == "/" {
            return;
        }
        let (dir, base) = abs.rsplit_once('/').unwrap_or(("", &abs));
        if base == ".wh..wh..opq" {
            return;
        }
        if let Some(gone) = base.strip_prefix(".wh.") {
            out.push((format!("{dir}/{gone}"), Node::Whiteout));
            return;
        }
        let node = match typeflag {
            b'5' => Node::Dir,
            b'2' => Node::Link { target: link },
            b'1' => {
                let target = format!("/{}", link.trim_start_matches("./").trim_start_matches('/'));
                match out.iter().rev().find(|(p, _)| *p == target) {
                    Some((_, n)) => n.clone(),
                    None => return,
                }
            }
            b'0' | 0 | b'7' => {
                let data = if body.starts_with(b"\x7fELF") {
                    if base == "busybox" { "#!sim:busybox\n".to_string() } else { "\u{7f}ELF (binary)\n".to_string() }
                } else {
                    String::from_utf8_lossy(body).into_owned()
                };
                Node::File { data }
            }
            _ => return,
        };
        out.push((abs, node));
    })?;
    Ok(out)
}

/// Writes a layer tar of nodes at absolute paths: whiteouts become `.wh.`
/// files, simulated programs and scripts are executable.
pub(crate) fn tar_nodes<'a>(entries: impl IntoIterator<Item = (&'a String, &'a Node)>) -> Vec<u8> {
    let mut out = Vec::new();
    for (path, node) in entries {
        let rel = path.trim_start_matches('/');
        if rel.is_empty() {
            continue;
        }
        let (h, data): ([u8; 512], &[u8]) = match node {
            Node::Dir => (header(&format!("{rel}/"), "0000755", 0, b'5', ""), &[]),
            Node::Link { target } => (header(rel, "0000777", 0, b'2', target), &[]),
            Node::File { data } => {
                let mode = if data.starts_with("#!") { "0000755" } else { "0000644" };
                (header(rel, mode, data.len(), b'0', ""), data.as_bytes())
            }
            Node::Whiteout => {
                let (dir, base) = rel.rsplit_once('/').map_or(("", rel), |(d, b)| (d, b));
                let name = if dir.is_empty() { format!(".wh.{base}") } else { format!("{dir}/.wh.{base}") };
                (header(&name, "0000644", 0, b'0', ""), &[])
            }
        };
        out.extend_from_slice(&h);
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::{TarEntry, tar};

    /// An imported tar's `../` entries land inside the image, not beside it.
    #[test]
    fn imported_paths_stay_inside_the_image() {
        let entries = vec![
            TarEntry { path: "a/../../../etc/escaped".into(), dir: false, data: b"x".to_vec() },
            TarEntry { path: "../../up".into(), dir: false, data: b"y".to_vec() },
        ];
        let nodes = untar_nodes(&tar(&entries)).unwrap();
        let paths: Vec<&str> = nodes.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["/etc/escaped", "/up"]);
    }

    #[test]
    fn nodes_round_trip_with_whiteouts_and_links() {
        let files = vec![
            ("/bin".to_string(), Node::Dir),
            ("/bin/sh".to_string(), Node::Link { target: "/bin/busybox".into() }),
            ("/etc/motd".to_string(), Node::File { data: "hi\n".into() }),
            ("/etc/gone".to_string(), Node::Whiteout),
        ];
        let back = untar_nodes(&tar_nodes(files.iter().map(|(p, n)| (p, n)))).unwrap();
        assert_eq!(back, files);
    }
}
