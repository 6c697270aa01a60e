//! Image references (`registry:5000/team/app:1.2@sha256:...`), checked
//! client-side against the grammar of `distribution/reference` before any
//! request is sent.
//!
//! The grammar, as Docker applies it:
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [ domain "/" ] path-component ( "/" path-component )*
//! domain     := host [ ":" port ]       (only when the first part has a '.' or
//!                                        ':', or is "localhost")
//! path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//! tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest     := algorithm ":" hex        (sha256: exactly 64 lowercase hex)
//! ```
//!
//! A name is at most 255 characters. Uppercase letters in the repository,
//! `..`, `?`, `#`, spaces and control characters are all rejected with
//! [`Error::InvalidInput`] naming what was wrong.
//!
//! ```
//! use dockhand::reference::Reference;
//! let r: Reference = "localhost:5000/team/app:1.2".parse()?;
//! assert_eq!(r.domain(), Some("localhost:5000"));
//! assert_eq!(r.repository(), "localhost:5000/team/app");
//! assert_eq!(r.tag(), Some("1.2"));
//! assert!("Team/App".parse::<Reference>().is_err());
//! assert!("app@sha256:abc".parse::<Reference>().is_err());
//! # Ok::<(), dockhand::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// The longest name (domain and path) `distribution/reference` accepts.
pub const NAME_MAX: usize = 255;

/// Docker Hub's domain, as references spell it.
pub const DOCKER_HUB: &str = "docker.io";

/// The key under which the docker CLI stores Docker Hub credentials.
pub const DOCKER_HUB_AUTH_KEY: &str = "https://index.docker.io/v1/";

/// A parsed, valid image reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    domain: Option<String>,
    path: String,
    tag: Option<String>,
    digest: Option<String>,
}

impl Reference {
    /// Parses and validates `s`; see the [module docs](self) for the grammar.
    pub fn parse(s: &str) -> Result<Reference> {
        let bad = |reason: String| Error::invalid("image reference", format!("{s:?}: {reason}"));
        if s.is_empty() {
            return Err(bad("is empty".into()));
        }
        if let Some(c) = s.chars().find(|c| c.is_control() || c.is_whitespace()) {
            return Err(bad(format!("contains the character {c:?}")));
        }
        let (rest, digest) = match s.split_once('@') {
            Some((rest, digest)) => {
                validate_digest(digest).map_err(bad)?;
                (rest, Some(digest.to_owned()))
            }
            None => (s, None),
        };
        // A tag follows the last ':' after the last '/'.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => {
                let (name, tag) = (&rest[..last_slash + i], &rest[last_slash + i + 1..]);
                validate_tag(tag).map_err(bad)?;
                (name, Some(tag.to_owned()))
            }
            None => (rest, None),
        };
        if name.is_empty() {
            return Err(bad("has no repository name".into()));
        }
        if name.len() > NAME_MAX {
            return Err(bad(format!("the name is longer than {NAME_MAX} characters")));
        }
        let (domain, path) = match name.split_once('/') {
            Some((first, path)) if first.contains(['.', ':']) || first == "localhost" => {
                validate_domain(first).map_err(bad)?;
                (Some(first.to_owned()), path)
            }
            Some((first, _)) if first.chars().any(|c| c.is_ascii_uppercase()) => {
                // Docker treats an uppercase first part as a domain; without
                // a '.' or ':' it is always a mistake.
                return Err(bad("repository names must be lowercase".into()));
            }
            _ => (None, name),
        };
        for component in path.split('/') {
            validate_component(component).map_err(bad)?;
        }
        Ok(Reference { domain, path: path.to_owned(), tag, digest })
    }

    /// The registry's host (and port) when the reference names one.
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// The registry's host, with Docker Hub (`docker.io`) when none is named.
    pub fn registry(&self) -> &str {
        self.domain.as_deref().unwrap_or(DOCKER_HUB)
    }

    /// The path inside the registry (`team/app`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The repository as the daemon names it: domain and path, no tag.
    pub fn repository(&self) -> String {
        match &self.domain {
            Some(d) => format!("{d}/{}", self.path),
            None => self.path.clone(),
        }
    }

    /// The tag, if one was given.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest (`sha256:...`), if one was given.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// The key credentials for this reference's registry are stored under
    /// in the docker CLI's `config.json`: the domain, or
    /// `https://index.docker.io/v1/` for Docker Hub.
    pub fn auth_key(&self) -> &str {
        match self.domain.as_deref() {
            None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => DOCKER_HUB_AUTH_KEY,
            Some(d) => d,
        }
    }
}

impl FromStr for Reference {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Reference::parse(s)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repository())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// Checks a string that names a local image: a reference, or an image id
/// (`sha256:<64 hex>` or a hex prefix). Returns it unchanged.
///
/// ```
/// use dockhand::reference::validate_image_name;
/// assert!(validate_image_name("busybox:latest").is_ok());
/// assert!(validate_image_name("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef").is_ok());
/// assert!(validate_image_name("../containers/json").is_err());
/// assert!(validate_image_name("busybox?x=1").is_err());
/// ```
pub fn validate_image_name(name: &str) -> Result<&str> {
    if let Some(hex) = name.strip_prefix("sha256:") {
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Ok(name);
        }
        return Err(Error::invalid("image id", format!("{name:?}: sha256 ids have 64 lowercase hex digits")));
    }
    Reference::parse(name).map(|_| name)
}

fn validate_digest(digest: &str) -> std::result::Result<(), String> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err(format!("digest {digest:?} has no algorithm (expected sha256:<hex>)"));
    };
    let alg_ok = !algorithm.is_empty()
        && algorithm.split(['+', '.', '-', '_']).all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric())
        });
    if !alg_ok {
        return Err(format!("digest algorithm {algorithm:?} is not valid"));
    }
    let lower_hex = |h: &str| h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    match algorithm {
        "sha256" if hex.len() != 64 || !lower_hex(hex) => {
            Err("a sha256 digest has exactly 64 lowercase hex digits".into())
        }
        "sha384" if hex.len() != 96 || !lower_hex(hex) => {
            Err("a sha384 digest has exactly 96 lowercase hex digits".into())
        }
        "sha512" if hex.len() != 128 || !lower_hex(hex) => {
            Err("a sha512 digest has exactly 128 lowercase hex digits".into())
        }
        _ if hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Err(format!("digest {digest:?} must have at least 32 hex digits"))
        }
        _ => Ok(()),
    }
}

fn validate_tag(tag: &str) -> std::result::Result<(), String> {
    let mut chars = tag.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    if !first_ok || tag.len() > 128 || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
        return Err(format!(
            "tag {tag:?} is not valid (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')"
        ));
    }
    Ok(())
}

fn validate_domain(domain: &str) -> std::result::Result<(), String> {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        // An IPv6 literal: [::1]:5000
        let Some((ip, after)) = rest.split_once(']') else {
            return Err(format!("domain {domain:?} has an unclosed '['"));
        };
        if ip.is_empty() || !ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(format!("domain {domain:?} is not a valid IPv6 literal"));
        }
        match after {
            "" => return Ok(()),
            p => (None, p.strip_prefix(':').ok_or_else(|| format!("domain {domain:?} is not valid"))?.into()),
        }
    } else {
        match domain.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(domain), None),
        }
    };
    if let Some(host) = host {
        let ok = !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !ok {
            return Err(format!("registry host {host:?} is not valid"));
        }
    }
    if let Some(port) = port {
        if port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) || port.parse::<u16>().is_err() {
            return Err(format!("registry port {port:?} is not valid"));
        }
    }
    Ok(())
}

fn validate_component(component: &str) -> std::result::Result<(), String> {
    if component.is_empty() {
        return Err("has an empty path component".into());
    }
    if component.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("repository names must be lowercase".into());
    }
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut i = 0;
    let run = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && alnum(bytes[*i]) {
            *i += 1;
        }
        *i > start
    };
    if !run(&mut i) {
        return Err(format!("path component {component:?} must start with a lowercase letter or digit"));
    }
    while i < bytes.len() {
        let sep_start = i;
        match bytes[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if i < bytes.len() && bytes[i] == b'_' {
                    i += 1;
                }
            }
            b'-' => {
                while i < bytes.len() && bytes[i] == b'-' {
                    i += 1;
                }
            }
            _ => {
                return Err(format!(
                    "path component {component:?} may hold only lowercase letters, digits and separators ('.', '_', '__', '-')"
                ));
            }
        }
        if !run(&mut i) {
            return Err(format!(
                "path component {component:?} has a separator {:?} not followed by a letter or digit",
                &component[sep_start..i]
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_references() {
        let cases = [
            ("busybox", None, "busybox", None, None),
            ("library/busybox:1.36", None, "library/busybox", Some("1.36"), None),
            ("localhost/app", Some("localhost"), "app", None, None),
            (
                "127.0.0.1:5000/a/b_c__d-e--f.g:T_1.x-y",
                Some("127.0.0.1:5000"),
                "a/b_c__d-e--f.g",
                Some("T_1.x-y"),
                None,
            ),
            ("[::1]:5000/app", Some("[::1]:5000"), "app", None, None),
            ("registry.example.com/app:v1", Some("registry.example.com"), "app", Some("v1"), None),
        ];
        for (s, domain, path, tag, digest) in cases {
            let r = Reference::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!((r.domain(), r.path(), r.tag(), r.digest()), (domain, path, tag, digest), "{s}");
            assert_eq!(r.to_string(), s);
        }
        let d = format!("sha256:{}", "a".repeat(64));
        let r = Reference::parse(&format!("app:1@{d}")).unwrap();
        assert_eq!(r.digest(), Some(d.as_str()));
        assert_eq!(r.tag(), Some("1"));
    }

    #[test]
    fn hostile_references() {
        let long = "a".repeat(256);
        let bad = [
            "",
            "Busybox",
            "team/App",
            "Team/app",
            "../etc/passwd",
            "a/../b",
            "a/./b",
            "a//b",
            "/abs",
            "trail/",
            "app?x=1",
            "app#frag",
            "app name",
            "app\n",
            "app:",
            "app:.bad",
            "app:-bad",
            "app@",
            "app@sha256:abc",
            "app@sha256:ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
            "app@md5",
            "app@:0123456789abcdef0123456789abcdef",
            "app_",
            "_app",
            "a...b",
            "a___b",
            "host:99999/app",
            "-host.com/app",
            "[::1/app",
            long.as_str(),
            "app%2F..",
        ];
        for s in bad {
            let e = Reference::parse(s).expect_err(s);
            assert!(matches!(e, Error::InvalidInput { .. }), "{s}: {e:?}");
        }
        assert!(Reference::parse(&format!("app:{}", "t".repeat(129))).is_err());
    }

    #[test]
    fn auth_keys() {
        assert_eq!(Reference::parse("busybox").unwrap().auth_key(), DOCKER_HUB_AUTH_KEY);
        assert_eq!(Reference::parse("docker.io/library/busybox").unwrap().auth_key(), DOCKER_HUB_AUTH_KEY);
        assert_eq!(Reference::parse("localhost:5000/x").unwrap().auth_key(), "localhost:5000");
    }

    #[test]
    fn image_names_and_ids() {
        assert!(validate_image_name("0123abcd").is_ok());
        assert!(validate_image_name("sha256:0123").is_err());
        assert!(validate_image_name(&format!("sha256:{}", "A".repeat(64))).is_err());
    }
}
