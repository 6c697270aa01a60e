//! Image references (`nginx`, `alice/app:v1`, `nginx@sha256:..`) and the
//! reference filter's matching.

use crate::util::glob::path_match;

/// A parsed image reference: familiar repository and tag (or digest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `nginx`, `alice/app`, `localhost:5000/app`.
    pub repo: String,
    /// `latest` unless given.
    pub tag: String,
    /// `sha256:...` when given with `@`.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses `docker.io/library/nginx:1.29`, `nginx`, `alice/app:v1`,
    /// `nginx@sha256:..`. `None` for an invalid reference.
    pub fn parse(s: &str) -> Option<Reference> {
        let s = s.trim();
        if s.is_empty()
            || s.len() > 255
            || s.chars().any(|c| c.is_whitespace() || c.is_ascii_uppercase() && !s.contains('@'))
        {
            return None;
        }
        let (name, digest) = match s.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (s, None),
        };
        let (repo, tag) = match name.rfind(':') {
            Some(i) if !name[i..].contains('/') => (&name[..i], name[i + 1..].to_string()),
            _ => (name, "latest".to_string()),
        };
        let repo = repo.strip_prefix("docker.io/").or_else(|| repo.strip_prefix("index.docker.io/")).unwrap_or(repo);
        let repo = repo.strip_prefix("library/").unwrap_or(repo);
        let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/:".contains(c);
        if repo.is_empty()
            || !repo.chars().all(ok)
            || repo.starts_with(['.', '-', '/'])
            || repo.ends_with('/')
            || repo.contains("//")
        {
            return None;
        }
        if tag.is_empty() || tag.len() > 128 || !tag.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            return None;
        }
        Some(Reference { repo: repo.to_string(), tag, digest })
    }

    /// `repo:tag`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.repo, self.tag)
    }

    /// Whether `tag` (`name:tag`) matches a `reference` filter `pattern`, by
    /// its whole text or its name (docker's `FamiliarMatch`: Go's
    /// `path.Match`, so `*/*` is the namespaced repositories).
    pub(crate) fn familiar_match(pattern: &str, tag: &str) -> bool {
        let name = tag.rsplit_once(':').filter(|(_, t)| !t.contains('/')).map_or(tag, |(n, _)| n);
        path_match(pattern, tag) || path_match(pattern, name)
    }
}
