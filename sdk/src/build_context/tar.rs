//! A tar writer for build contexts: the GNU format the `tar` crate and the
//! docker CLI write (512-byte headers, `././@LongLink` entries for names and
//! link targets over 100 bytes, base-256 numbers past the octal fields'
//! range), owner 0:0 as the docker CLI sends a context. Sans-IO apart from
//! the [`Write`] it is given; the reading side is the daemon's.
//!
//! The SDK's own (the `tar` crate cost 9 s of a clean build: issue 17); the
//! tests read what it writes with the `tar` crate.

// Without `native` only in-memory files are archived (`from_files`).
#![cfg_attr(not(feature = "native"), allow(dead_code))]

use std::io::{self, Read, Write};

const BLOCK: usize = 512;

/// What an entry is (its header's type flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    Symlink,
    Fifo,
    CharDevice { major: u32, minor: u32 },
    BlockDevice { major: u32, minor: u32 },
}

/// An entry's header fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    /// The path in the archive (`/`-separated, relative; a directory gets
    /// its trailing `/` here).
    pub path: &'a str,
    pub kind: Kind,
    /// Permission bits (`0o7777`).
    pub mode: u32,
    /// Seconds since 1970 (0 before).
    pub mtime: u64,
    /// A symlink's target.
    pub link: &'a str,
}

/// Writes a tar archive to `W`.
pub(crate) struct TarWriter<W: Write> {
    out: W,
}

impl<W: Write> TarWriter<W> {
    pub(crate) fn new(out: W) -> Self {
        TarWriter { out }
    }

    /// Appends an entry with no data (a directory, a symlink, a fifo, a device).
    pub(crate) fn append(&mut self, entry: &Entry<'_>) -> io::Result<()> {
        self.header(entry, 0)
    }

    /// Appends a regular file of `size` bytes read from `data`; fails if
    /// `data` ends sooner (a file that shrank while it was archived).
    pub(crate) fn append_file(&mut self, entry: &Entry<'_>, size: u64, data: impl Read) -> io::Result<()> {
        self.header(entry, size)?;
        let copied = io::copy(&mut data.take(size), &mut self.out)?;
        if copied != size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{} shrank from {size} to {copied} bytes while it was archived", entry.path),
            ));
        }
        self.pad(size)
    }

    /// Writes the two zero blocks that end an archive and returns the writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&[0; 2 * BLOCK])?;
        Ok(self.out)
    }

    fn header(&mut self, entry: &Entry<'_>, size: u64) -> io::Result<()> {
        let name = if entry.kind == Kind::Dir && !entry.path.ends_with('/') {
            format!("{}/", entry.path)
        } else {
            entry.path.to_owned()
        };
        if name.len() > 100 {
            self.long_link(b'L', &name)?;
        }
        if entry.link.len() > 100 {
            self.long_link(b'K', entry.link)?;
        }
        let (flag, devices) = match entry.kind {
            Kind::File => (b'0', None),
            Kind::Symlink => (b'2', None),
            Kind::CharDevice { major, minor } => (b'3', Some((major, minor))),
            Kind::BlockDevice { major, minor } => (b'4', Some((major, minor))),
            Kind::Dir => (b'5', None),
            Kind::Fifo => (b'6', None),
        };
        let mut h = [0u8; BLOCK];
        put_text(&mut h[0..100], &name);
        put_number(&mut h[100..108], u64::from(entry.mode & 0o7777));
        put_number(&mut h[108..116], 0); // uid
        put_number(&mut h[116..124], 0); // gid
        put_number(&mut h[124..136], size);
        put_number(&mut h[136..148], entry.mtime);
        h[156] = flag;
        put_text(&mut h[157..257], entry.link);
        h[257..265].copy_from_slice(b"ustar  \0");
        if let Some((major, minor)) = devices {
            put_number(&mut h[329..337], u64::from(major));
            put_number(&mut h[337..345], u64::from(minor));
        }
        self.seal(h)
    }

    /// A GNU `././@LongLink` entry carrying a name (`L`) or link target
    /// (`K`) too long for its field.
    fn long_link(&mut self, flag: u8, text: &str) -> io::Result<()> {
        let mut h = [0u8; BLOCK];
        put_text(&mut h[0..100], "././@LongLink");
        put_number(&mut h[100..108], 0o644);
        put_number(&mut h[108..116], 0);
        put_number(&mut h[116..124], 0);
        let size = text.len() as u64 + 1;
        put_number(&mut h[124..136], size);
        put_number(&mut h[136..148], 0);
        h[156] = flag;
        h[257..265].copy_from_slice(b"ustar  \0");
        self.seal(h)?;
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(&[0])?;
        self.pad(size)
    }

    /// Fills in the checksum and writes the header.
    fn seal(&mut self, mut h: [u8; BLOCK]) -> io::Result<()> {
        h[148..156].fill(b' ');
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        put_number(&mut h[148..155], u64::from(sum));
        h[155] = b' ';
        self.out.write_all(&h)
    }

    /// Zeroes up to the next block boundary after `len` bytes of data.
    fn pad(&mut self, len: u64) -> io::Result<()> {
        let rest = (BLOCK - (len % BLOCK as u64) as usize) % BLOCK;
        self.out.write_all(&[0; BLOCK][..rest])
    }
}

/// Copies `text` into a field (cut to its size: the long-link entry before
/// the header carries the whole of a longer one).
fn put_text(field: &mut [u8], text: &str) {
    let n = text.len().min(field.len());
    field[..n].copy_from_slice(&text.as_bytes()[..n]);
}

/// A number as zero-padded octal ending in NUL, or, past what the octal
/// digits hold, GNU's base-256 form (the high bit of the first byte set, the
/// number big-endian).
fn put_number(field: &mut [u8], n: u64) {
    let digits = field.len() - 1;
    if digits >= 22 || n < 1u64 << (3 * digits) {
        let text = format!("{n:0digits$o}");
        field[..digits].copy_from_slice(text.as_bytes());
        field[digits] = 0;
    } else {
        field.fill(0);
        let bytes = n.to_be_bytes();
        let len = field.len();
        field[len - 8..].copy_from_slice(&bytes);
        field[0] |= 0x80;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, kind: Kind) -> Entry<'_> {
        Entry { path, kind, mode: 0o644, mtime: 1_700_000_000, link: "" }
    }

    /// What the `tar` crate reads: (path, type, mode, mtime, link, data).
    fn read(archive: &[u8]) -> Vec<(String, char, u32, u64, String, Vec<u8>)> {
        let mut a = ::tar::Archive::new(archive);
        a.entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let h = e.header().clone();
                assert_eq!((h.uid().unwrap(), h.gid().unwrap()), (0, 0));
                let link = e.link_name().unwrap().map(|l| l.to_string_lossy().into_owned()).unwrap_or_default();
                let mut data = Vec::new();
                e.read_to_end(&mut data).unwrap();
                (
                    e.path().unwrap().to_string_lossy().into_owned(),
                    h.entry_type().as_byte() as char,
                    h.mode().unwrap(),
                    h.mtime().unwrap(),
                    link,
                    data,
                )
            })
            .collect()
    }

    #[test]
    fn the_tar_crate_reads_what_it_writes() {
        let long = format!("{}/{}", "d".repeat(120), "f".repeat(150));
        let target = "t".repeat(300);
        let mut w = TarWriter::new(Vec::new());
        w.append(&Entry { mode: 0o755, ..entry("src", Kind::Dir) }).unwrap();
        w.append_file(&entry("src/main.rs", Kind::File), 12, &b"fn main() {}"[..]).unwrap();
        w.append_file(&Entry { mode: 0o4755, ..entry(&long, Kind::File) }, 513, &[7u8; 600][..]).unwrap();
        w.append(&Entry { link: "main.rs", ..entry("src/link", Kind::Symlink) }).unwrap();
        w.append(&Entry { link: &target, ..entry("far", Kind::Symlink) }).unwrap();
        w.append(&entry("pipe", Kind::Fifo)).unwrap();
        w.append(&entry("null", Kind::CharDevice { major: 1, minor: 3 })).unwrap();
        w.append_file(&entry("empty", Kind::File), 0, io::empty()).unwrap();
        let bytes = w.finish().unwrap();
        assert_eq!(bytes.len() % BLOCK, 0);
        let got = read(&bytes);
        let names: Vec<_> = got.iter().map(|e| (e.0.as_str(), e.1, e.2)).collect();
        assert_eq!(
            names,
            [
                ("src/", '5', 0o755),
                ("src/main.rs", '0', 0o644),
                (long.as_str(), '0', 0o4755),
                ("src/link", '2', 0o644),
                ("far", '2', 0o644),
                ("pipe", '6', 0o644),
                ("null", '3', 0o644),
                ("empty", '0', 0o644),
            ]
        );
        assert_eq!(got[1].5, b"fn main() {}");
        assert_eq!(got[2].5, vec![7u8; 513], "only the size given is taken");
        assert_eq!((got[3].4.as_str(), got[4].4.as_str()), ("main.rs", target.as_str()));
        assert!(got.iter().all(|e| e.3 == 1_700_000_000));
        let mut a = ::tar::Archive::new(bytes.as_slice());
        let null = a.entries().unwrap().nth(6).unwrap().unwrap();
        assert_eq!((null.header().device_major().unwrap(), null.header().device_minor().unwrap()), (Some(1), Some(3)));
    }

    #[test]
    fn a_file_that_shrank_is_an_error() {
        let mut w = TarWriter::new(Vec::new());
        let err = w.append_file(&entry("a", Kind::File), 10, &b"abc"[..]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(err.to_string().contains("a shrank from 10 to 3 bytes"), "{err}");
    }

    #[test]
    fn numbers_past_the_octal_range_are_base_256() {
        let mut field = [0u8; 12];
        put_number(&mut field, 0o777);
        assert_eq!(&field, b"00000000777\0");
        put_number(&mut field, (1 << 33) - 1);
        assert_eq!(&field, b"77777777777\0");
        put_number(&mut field, 1 << 33);
        assert_eq!(field, [0x80, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0]);
        // A header with an 8 GiB size: the tar crate reads the size back.
        let mut w = TarWriter::new(Vec::new());
        w.header(&entry("huge", Kind::File), 1 << 33).unwrap();
        let h = ::tar::Header::from_byte_slice(&w.out[..BLOCK]);
        assert_eq!(h.size().unwrap(), 1 << 33);
        assert_eq!(
            h.cksum().unwrap(),
            h.as_bytes()
                .iter()
                .enumerate()
                .map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u32::from(b) })
                .sum::<u32>()
        );
    }
}
