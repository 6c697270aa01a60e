//! Where a daemon is: [`Host`] parses `DOCKER_HOST`-style addresses.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::Error;

/// The default unix socket.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// A daemon address, as `DOCKER_HOST` and contexts write it.
///
/// ```
/// use dockhand::Host;
/// assert_eq!("unix:///run/docker.sock".parse::<Host>()?, Host::Unix("/run/docker.sock".into()));
/// assert_eq!("tcp://10.0.0.2".parse::<Host>()?, Host::Tcp { host: "10.0.0.2".into(), port: 2375, tls: false });
/// assert_eq!("https://d.example:4000".parse::<Host>()?.to_string(), "https://d.example:4000");
/// assert!("ftp://x".parse::<Host>().is_err());
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host {
    /// A unix socket: `unix:///var/run/docker.sock`.
    Unix(PathBuf),
    /// TCP: `tcp://host:port` (`http://`), or with TLS `https://host:port`.
    /// The port defaults to 2375, or 2376 with TLS.
    Tcp {
        /// Host name or IP address (IPv6 without brackets).
        host: String,
        /// Port.
        port: u16,
        /// Whether TLS is requested by the address itself (`https://`).
        tls: bool,
    },
    /// SSH: `ssh://[user@]host[:port]`.
    Ssh {
        /// The remote user, if given.
        user: Option<String>,
        /// The remote host.
        host: String,
        /// The remote port, if given.
        port: Option<u16>,
    },
    /// A Windows named pipe: `npipe:////./pipe/docker_engine`.
    NamedPipe(String),
}

impl Host {
    /// The default: the unix socket at `/var/run/docker.sock`.
    pub fn default_socket() -> Self {
        Host::Unix(PathBuf::from(DEFAULT_SOCKET))
    }
}

impl Default for Host {
    fn default() -> Self {
        Host::default_socket()
    }
}

impl FromStr for Host {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = |reason: String| Error::invalid("daemon address", format!("{s:?}: {reason}"));
        let s = s.trim();
        let (scheme, rest) = s
            .split_once("://")
            .ok_or_else(|| invalid("expected scheme://address (unix://, tcp://, https://, ssh://)".into()))?;
        match scheme.to_ascii_lowercase().as_str() {
            "unix" => {
                if rest.is_empty() {
                    return Err(invalid("the socket path is empty".into()));
                }
                Ok(Host::Unix(PathBuf::from(rest)))
            }
            "npipe" => Ok(Host::NamedPipe(rest.to_owned())),
            scheme @ ("tcp" | "http" | "https") => {
                let tls = scheme == "https";
                let authority = rest.trim_end_matches('/');
                if authority.contains('/') || authority.contains('?') {
                    return Err(invalid("a daemon address has no path".into()));
                }
                let (host, port) = split_host_port(authority).map_err(invalid)?;
                let port = port.unwrap_or(if tls { 2376 } else { 2375 });
                Ok(Host::Tcp { host, port, tls })
            }
            "ssh" => {
                let authority = rest.trim_end_matches('/');
                let (user, hostport) = match authority.rsplit_once('@') {
                    Some((u, h)) if !u.is_empty() => (Some(u.to_owned()), h),
                    Some(_) => return Err(invalid("the ssh user is empty".into())),
                    None => (None, authority),
                };
                if hostport.contains('/') {
                    return Err(invalid("an ssh address has no path".into()));
                }
                let (host, port) = split_host_port(hostport).map_err(invalid)?;
                Ok(Host::Ssh { user, host, port })
            }
            other => Err(invalid(format!("unsupported scheme {other:?}"))),
        }
    }
}

/// Splits `host[:port]`, with IPv6 in brackets.
fn split_host_port(s: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, after) = rest.split_once(']').ok_or("unclosed '[' in address")?;
        (h, after.strip_prefix(':'))
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    if host.is_empty() {
        return Err("the host is empty".into());
    }
    let port = port.map(|p| p.parse::<u16>().map_err(|_| format!("bad port {p:?}"))).transpose()?;
    Ok((host.to_owned(), port))
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bracket = |h: &str| if h.contains(':') { format!("[{h}]") } else { h.to_owned() };
        match self {
            Host::Unix(p) => write!(f, "unix://{}", p.display()),
            Host::Tcp { host, port, tls: false } => write!(f, "tcp://{}:{port}", bracket(host)),
            Host::Tcp { host, port, tls: true } => write!(f, "https://{}:{port}", bracket(host)),
            Host::Ssh { user, host, port } => {
                f.write_str("ssh://")?;
                if let Some(u) = user {
                    write!(f, "{u}@")?;
                }
                f.write_str(&bracket(host))?;
                if let Some(p) = port {
                    write!(f, ":{p}")?;
                }
                Ok(())
            }
            Host::NamedPipe(p) => write!(f, "npipe://{p}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let cases = [
            ("unix:///var/run/docker.sock", Host::default_socket()),
            ("tcp://127.0.0.1:2375", Host::Tcp { host: "127.0.0.1".into(), port: 2375, tls: false }),
            ("http://h", Host::Tcp { host: "h".into(), port: 2375, tls: false }),
            ("https://h", Host::Tcp { host: "h".into(), port: 2376, tls: true }),
            ("tcp://[::1]:99/", Host::Tcp { host: "::1".into(), port: 99, tls: false }),
            ("ssh://me@box:2222", Host::Ssh { user: Some("me".into()), host: "box".into(), port: Some(2222) }),
            ("ssh://box", Host::Ssh { user: None, host: "box".into(), port: None }),
            ("npipe:////./pipe/docker_engine", Host::NamedPipe("//./pipe/docker_engine".into())),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<Host>().unwrap(), want, "{text}");
        }
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "docker.sock",
            "tcp://",
            "tcp://h:99999",
            "tcp://h:2375/v1.41",
            "ssh://@h",
            "unix://",
            "gopher://x",
            "tcp://[::1",
        ] {
            let err = bad.parse::<Host>().unwrap_err();
            assert!(matches!(err, Error::InvalidInput { .. }), "{bad:?}: {err}");
        }
    }

    #[test]
    fn display_round_trips() {
        for text in ["unix:///tmp/x.sock", "tcp://h:1", "https://[::1]:2376", "ssh://u@h:22", "ssh://h"] {
            assert_eq!(text.parse::<Host>().unwrap().to_string(), text);
        }
    }
}
