//! Command specs and a cobra-like flag parser with the docker CLI's errors.

/// A flag: long name, short letter, whether it takes a value.
pub type Flag = (&'static str, Option<char>, bool);

/// What a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// `run`, `network create`.
    pub name: &'static str,
    /// The usage line after `docker `.
    pub usage: &'static str,
    /// One line about it.
    pub about: &'static str,
    /// Its flags.
    pub flags: &'static [Flag],
    /// Minimum positional arguments.
    pub min: usize,
    /// Maximum positional arguments (`usize::MAX`: any).
    pub max: usize,
    /// Whether flags may follow positionals (`false` for run/exec: the
    /// command's own flags follow the image).
    pub interspersed: bool,
}

/// Parsed flags and arguments.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// `(long name, value)`; bool flags have `"true"`/`"false"`.
    pub flags: Vec<(String, String)>,
    /// Positional arguments.
    pub args: Vec<String>,
}

impl Parsed {
    /// Whether a bool flag is set.
    pub fn has(&self, long: &str) -> bool {
        self.flags.iter().rev().find(|(k, _)| k == long).is_some_and(|(_, v)| v != "false")
    }
    /// The last value of a flag.
    pub fn val(&self, long: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(k, _)| k == long).map(|(_, v)| v.as_str())
    }
    /// Every value of a repeated flag.
    pub fn vals(&self, long: &str) -> Vec<String> {
        self.flags.iter().filter(|(k, _)| k == long).map(|(_, v)| v.clone()).collect()
    }
}

/// A usage error: the CLI's text, its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    /// What the CLI prints.
    pub message: String,
    /// The exit code (125 for flag errors, 1 for argument counts).
    pub code: i32,
    /// What went wrong in plain words.
    pub explanation: String,
}

fn flag_error(spec: &Spec, what: String, explanation: String) -> UsageError {
    UsageError {
        message: format!(
            "{what}\n\nUsage:  docker {}\n\nRun 'docker {} --help' for more information\n",
            spec.usage, spec.name
        ),
        code: 125,
        explanation,
    }
}

fn known_flags(spec: &Spec) -> String {
    spec.flags
        .iter()
        .map(|(l, s, _)| match s {
            Some(c) => format!("-{c}/--{l}"),
            None => format!("--{l}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses `args` (after the command name) against `spec`.
pub fn parse(spec: &Spec, args: &[String]) -> Result<Parsed, UsageError> {
    let mut p = Parsed::default();
    let mut i = 0;
    let mut flags_done = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if flags_done || a == "-" || !a.starts_with('-') {
            p.args.push(a.clone());
            if !spec.interspersed {
                flags_done = true;
            }
            continue;
        }
        if a == "--" {
            flags_done = true;
            continue;
        }
        if a == "--help" || a == "-h" && !spec.flags.iter().any(|f| f.1 == Some('h')) {
            p.flags.push(("help".into(), "true".into()));
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(flag) = spec.flags.iter().find(|f| f.0 == name) else {
                return Err(flag_error(
                    spec,
                    format!("unknown flag: --{name}"),
                    format!("`docker {}` has no --{name} option. Its options are: {}.", spec.name, known_flags(spec)),
                ));
            };
            if flag.2 {
                let value = match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        return Err(flag_error(
                            spec,
                            format!("flag needs an argument: --{name}"),
                            format!("--{name} takes a value, for example --{name} VALUE."),
                        ));
                    }
                };
                p.flags.push((flag.0.into(), value));
            } else {
                p.flags.push((flag.0.into(), inline.unwrap_or_else(|| "true".into())));
            }
            continue;
        }
        // Short flags, possibly combined (-it, -p8080:80).
        let shorts: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < shorts.len() {
            let c = shorts[j];
            j += 1;
            let Some(flag) = spec.flags.iter().find(|f| f.1 == Some(c)) else {
                return Err(flag_error(
                    spec,
                    format!("unknown shorthand flag: '{c}' in {a}"),
                    format!("`docker {}` has no -{c} option. Its options are: {}.", spec.name, known_flags(spec)),
                ));
            };
            if flag.2 {
                let rest: String = shorts[j..].iter().collect();
                let value = if !rest.is_empty() {
                    rest.strip_prefix('=').map(String::from).unwrap_or(rest)
                } else if i < args.len() {
                    i += 1;
                    args[i - 1].clone()
                } else {
                    return Err(flag_error(
                        spec,
                        format!("flag needs an argument: '{c}' in -{c}"),
                        format!("-{c} (--{}) takes a value.", flag.0),
                    ));
                };
                p.flags.push((flag.0.into(), value));
                break;
            }
            p.flags.push((flag.0.into(), "true".into()));
        }
    }
    if p.has("help") {
        return Ok(p);
    }
    let n = p.args.len();
    if n < spec.min || n > spec.max {
        // docker/cli's validators, word for word: ExactArgs and
        // RequiresRangeArgs end "Run '...'", RequiresMinArgs "See '...'", and
        // RequiresMaxArgs "SRun '...'" (sic, as the CLI 28 prints it).
        let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
        let (what, hint) = if spec.max == 0 {
            ("accepts no arguments".to_string(), "Run")
        } else if spec.min == spec.max {
            (format!("requires {} {}", spec.min, plural(spec.min)), "Run")
        } else if spec.max == usize::MAX {
            (format!("requires at least {} {}", spec.min, plural(spec.min)), "See")
        } else if spec.min == 0 {
            (format!("requires at most {} {}", spec.max, plural(spec.max)), "SRun")
        } else {
            (format!("requires at least {} and at most {} arguments", spec.min, spec.max), "Run")
        };
        return Err(UsageError {
            message: format!(
                "docker: 'docker {}' {what}\n\nUsage:  docker {}\n\n{hint} 'docker {} --help' for more information\n",
                spec.name, spec.usage, spec.name
            ),
            code: 1,
            explanation: format!("The usage is `docker {}`: {}", spec.usage, spec.about),
        });
    }
    Ok(p)
}

/// The help text of a command.
pub fn help(spec: &Spec) -> String {
    let mut s = format!("\nUsage:  docker {}\n\n{}\n\nOptions:\n", spec.usage, spec.about);
    for (long, short, value) in spec.flags {
        let left = match short {
            Some(c) => format!("  -{c}, --{long}{}", if *value { " string" } else { "" }),
            None => format!("      --{long}{}", if *value { " string" } else { "" }),
        };
        s.push_str(&left);
        s.push('\n');
    }
    s
}

const RUN_FLAGS: &[Flag] = &[
    ("detach", Some('d'), false),
    ("interactive", Some('i'), false),
    ("tty", Some('t'), false),
    ("publish", Some('p'), true),
    ("publish-all", Some('P'), false),
    ("volume", Some('v'), true),
    ("mount", None, true),
    ("env", Some('e'), true),
    ("name", None, true),
    ("rm", None, false),
    ("network", None, true),
    ("net", None, true),
    ("network-alias", None, true),
    ("workdir", Some('w'), true),
    ("user", Some('u'), true),
    ("entrypoint", None, true),
    ("hostname", Some('h'), true),
    ("label", Some('l'), true),
    ("restart", None, true),
    ("expose", None, true),
    ("memory", Some('m'), true),
    ("cpus", None, true),
    ("platform", None, true),
    ("pull", None, true),
    ("init", None, false),
    ("read-only", None, false),
    ("tmpfs", None, true),
    ("add-host", None, true),
    ("env-file", None, true),
];

/// Every command the simulated CLI knows.
pub const SPECS: &[Spec] = &[
    Spec {
        name: "run",
        usage: "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
        about: "Create and run a new container from an image",
        flags: RUN_FLAGS,
        min: 1,
        max: usize::MAX,
        interspersed: false,
    },
    Spec {
        name: "create",
        usage: "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
        about: "Create a new container",
        flags: RUN_FLAGS,
        min: 1,
        max: usize::MAX,
        interspersed: false,
    },
    Spec {
        name: "exec",
        usage: "exec [OPTIONS] CONTAINER COMMAND [ARG...]",
        about: "Execute a command in a running container",
        flags: &[
            ("detach", Some('d'), false),
            ("interactive", Some('i'), false),
            ("tty", Some('t'), false),
            ("env", Some('e'), true),
            ("workdir", Some('w'), true),
            ("user", Some('u'), true),
            ("privileged", None, false),
        ],
        min: 2,
        max: usize::MAX,
        interspersed: false,
    },
    Spec {
        name: "ps",
        usage: "ps [OPTIONS]",
        about: "List containers",
        flags: &[
            ("all", Some('a'), false),
            ("quiet", Some('q'), false),
            ("format", None, true),
            ("last", Some('n'), true),
            ("latest", Some('l'), false),
            ("filter", Some('f'), true),
            ("no-trunc", None, false),
            ("size", Some('s'), false),
        ],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "images",
        usage: "images [OPTIONS] [REPOSITORY[:TAG]]",
        about: "List images",
        flags: &[
            ("all", Some('a'), false),
            ("quiet", Some('q'), false),
            ("format", None, true),
            ("filter", Some('f'), true),
            ("no-trunc", None, false),
            ("digests", None, false),
        ],
        min: 0,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "logs",
        usage: "logs [OPTIONS] CONTAINER",
        about: "Fetch the logs of a container",
        flags: &[
            ("follow", Some('f'), false),
            ("tail", Some('n'), true),
            ("timestamps", Some('t'), false),
            ("since", None, true),
            ("until", None, true),
            ("details", None, false),
        ],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "update",
        usage: "update [OPTIONS] CONTAINER [CONTAINER...]",
        about: "Update configuration of one or more containers",
        flags: &[("memory", Some('m'), true), ("cpus", None, true), ("restart", None, true)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "start",
        usage: "start [OPTIONS] CONTAINER [CONTAINER...]",
        about: "Start one or more stopped containers",
        flags: &[("attach", Some('a'), false), ("interactive", Some('i'), false)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "stop",
        usage: "stop [OPTIONS] CONTAINER [CONTAINER...]",
        about: "Stop one or more running containers",
        flags: &[("time", Some('t'), true), ("timeout", None, true), ("signal", Some('s'), true)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "restart",
        usage: "restart [OPTIONS] CONTAINER [CONTAINER...]",
        about: "Restart one or more containers",
        flags: &[("time", Some('t'), true), ("timeout", None, true), ("signal", Some('s'), true)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "kill",
        usage: "kill [OPTIONS] CONTAINER [CONTAINER...]",
        about: "Kill one or more running containers",
        flags: &[("signal", Some('s'), true)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "pause",
        usage: "pause CONTAINER [CONTAINER...]",
        about: "Pause all processes within one or more containers",
        flags: &[],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "unpause",
        usage: "unpause CONTAINER [CONTAINER...]",
        about: "Unpause all processes within one or more containers",
        flags: &[],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "rm",
        usage: "rm [OPTIONS] CONTAINER [CONTAINER...]",
        about: "Remove one or more containers",
        flags: &[("force", Some('f'), false), ("volumes", Some('v'), false), ("link", Some('l'), false)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "rmi",
        usage: "rmi [OPTIONS] IMAGE [IMAGE...]",
        about: "Remove one or more images",
        flags: &[("force", Some('f'), false), ("no-prune", None, false)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "inspect",
        usage: "inspect [OPTIONS] NAME|ID [NAME|ID...]",
        about: "Return low-level information on Docker objects",
        flags: &[("format", Some('f'), true), ("type", None, true), ("size", Some('s'), false)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "top",
        usage: "top CONTAINER [ps OPTIONS]",
        about: "Display the running processes of a container",
        flags: &[],
        min: 1,
        max: usize::MAX,
        interspersed: false,
    },
    Spec {
        name: "diff",
        usage: "diff CONTAINER",
        about: "Inspect changes to files or directories on a container's filesystem",
        flags: &[],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "port",
        usage: "port CONTAINER [PRIVATE_PORT[/PROTO]]",
        about: "List port mappings or a specific mapping for the container",
        flags: &[],
        min: 1,
        max: 2,
        interspersed: true,
    },
    Spec {
        name: "stats",
        usage: "stats [OPTIONS] [CONTAINER...]",
        about: "Display a live stream of container(s) resource usage statistics",
        flags: &[
            ("all", Some('a'), false),
            ("no-stream", None, false),
            ("format", None, true),
            ("no-trunc", None, false),
        ],
        min: 0,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "commit",
        usage: "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        about: "Create a new image from a container's changes",
        flags: &[
            ("author", Some('a'), true),
            ("change", Some('c'), true),
            ("message", Some('m'), true),
            ("pause", Some('p'), false),
        ],
        min: 1,
        max: 2,
        interspersed: true,
    },
    Spec {
        name: "rename",
        usage: "rename CONTAINER NEW_NAME",
        about: "Rename a container",
        flags: &[],
        min: 2,
        max: 2,
        interspersed: true,
    },
    Spec {
        name: "pull",
        usage: "pull [OPTIONS] NAME[:TAG|@DIGEST]",
        about: "Download an image from a registry",
        flags: &[("all-tags", Some('a'), false), ("quiet", Some('q'), false), ("platform", None, true)],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "push",
        usage: "push [OPTIONS] NAME[:TAG]",
        about: "Upload an image to a registry",
        flags: &[("all-tags", Some('a'), false), ("quiet", Some('q'), false)],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "tag",
        usage: "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        about: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        flags: &[],
        min: 2,
        max: 2,
        interspersed: true,
    },
    Spec {
        name: "build",
        usage: "build [OPTIONS] PATH | URL | -",
        about: "Build an image from a Dockerfile",
        flags: &[
            ("tag", Some('t'), true),
            ("file", Some('f'), true),
            ("no-cache", None, false),
            ("build-arg", None, true),
            ("quiet", Some('q'), false),
            ("pull", None, false),
            ("rm", None, false),
            ("target", None, true),
            ("label", None, true),
        ],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "login",
        usage: "login [OPTIONS] [SERVER]",
        about: "Authenticate to a registry",
        flags: &[("username", Some('u'), true), ("password", Some('p'), true), ("password-stdin", None, false)],
        min: 0,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "logout",
        usage: "logout [SERVER]",
        about: "Log out from a registry",
        flags: &[],
        min: 0,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "search",
        usage: "search [OPTIONS] TERM",
        about: "Search Docker Hub for images",
        flags: &[("filter", Some('f'), true), ("format", None, true), ("limit", None, true), ("no-trunc", None, false)],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "history",
        usage: "history [OPTIONS] IMAGE",
        about: "Show the history of an image",
        flags: &[
            ("quiet", Some('q'), false),
            ("no-trunc", None, false),
            ("format", None, true),
            ("human", Some('H'), false),
        ],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "cp",
        usage: "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
        about: "Copy files/folders between a container and the local filesystem",
        flags: &[("archive", Some('a'), false), ("follow-link", Some('L'), false), ("quiet", Some('q'), false)],
        min: 2,
        max: 2,
        interspersed: true,
    },
    Spec {
        name: "version",
        usage: "version [OPTIONS]",
        about: "Show the Docker version information",
        flags: &[("format", Some('f'), true)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "info",
        usage: "info [OPTIONS]",
        about: "Display system-wide information",
        flags: &[("format", Some('f'), true)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "events",
        usage: "events [OPTIONS]",
        about: "Get real time events from the server",
        flags: &[("since", None, true), ("until", None, true), ("filter", Some('f'), true), ("format", None, true)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "network ls",
        usage: "network ls [OPTIONS]",
        about: "List networks",
        flags: &[
            ("quiet", Some('q'), false),
            ("filter", Some('f'), true),
            ("format", None, true),
            ("no-trunc", None, false),
        ],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "network create",
        usage: "network create [OPTIONS] NETWORK",
        about: "Create a network",
        flags: &[
            ("driver", Some('d'), true),
            ("internal", None, false),
            ("label", None, true),
            ("subnet", None, true),
            ("attachable", None, false),
        ],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "network rm",
        usage: "network rm NETWORK [NETWORK...]",
        about: "Remove one or more networks",
        flags: &[("force", Some('f'), false)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "network connect",
        usage: "network connect [OPTIONS] NETWORK CONTAINER",
        about: "Connect a container to a network",
        flags: &[("alias", None, true), ("ip", None, true)],
        min: 2,
        max: 2,
        interspersed: true,
    },
    Spec {
        name: "network disconnect",
        usage: "network disconnect [OPTIONS] NETWORK CONTAINER",
        about: "Disconnect a container from a network",
        flags: &[("force", Some('f'), false)],
        min: 2,
        max: 2,
        interspersed: true,
    },
    Spec {
        name: "network inspect",
        usage: "network inspect [OPTIONS] NETWORK [NETWORK...]",
        about: "Display detailed information on one or more networks",
        flags: &[("format", Some('f'), true)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "network prune",
        usage: "network prune [OPTIONS]",
        about: "Remove all unused networks",
        flags: &[("force", Some('f'), false)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "volume ls",
        usage: "volume ls [OPTIONS]",
        about: "List volumes",
        flags: &[("quiet", Some('q'), false), ("filter", Some('f'), true), ("format", None, true)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "volume create",
        usage: "volume create [OPTIONS] [VOLUME]",
        about: "Create a volume",
        flags: &[("driver", Some('d'), true), ("label", None, true), ("name", None, true)],
        min: 0,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "volume rm",
        usage: "volume rm [OPTIONS] VOLUME [VOLUME...]",
        about: "Remove one or more volumes",
        flags: &[("force", Some('f'), false)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "volume inspect",
        usage: "volume inspect [OPTIONS] VOLUME [VOLUME...]",
        about: "Display detailed information on one or more volumes",
        flags: &[("format", Some('f'), true)],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "volume prune",
        usage: "volume prune [OPTIONS]",
        about: "Remove unused local volumes",
        flags: &[("force", Some('f'), false), ("all", Some('a'), false)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "system df",
        usage: "system df [OPTIONS]",
        about: "Show docker disk usage",
        flags: &[("verbose", Some('v'), false), ("format", None, true)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "system prune",
        usage: "system prune [OPTIONS]",
        about: "Remove unused data",
        flags: &[("all", Some('a'), false), ("force", Some('f'), false), ("volumes", None, false)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "container prune",
        usage: "container prune [OPTIONS]",
        about: "Remove all stopped containers",
        flags: &[("force", Some('f'), false)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "builder prune",
        usage: "builder prune",
        about: "Remove build cache",
        flags: &[
            ("all", Some('a'), false),
            ("force", Some('f'), false),
            ("filter", None, true),
            ("keep-storage", None, true),
        ],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "attach",
        usage: "attach [OPTIONS] CONTAINER",
        about: "Attach local standard input, output, and error streams to a running container",
        flags: &[("no-stdin", None, false), ("sig-proxy", None, false), ("detach-keys", None, true)],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "wait",
        usage: "wait CONTAINER [CONTAINER...]",
        about: "Block until one or more containers stop, then print their exit codes",
        flags: &[],
        min: 1,
        max: usize::MAX,
        interspersed: true,
    },
    Spec {
        name: "image prune",
        usage: "image prune [OPTIONS]",
        about: "Remove unused images",
        flags: &[("all", Some('a'), false), ("force", Some('f'), false)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "context ls",
        usage: "context ls [OPTIONS]",
        about: "List contexts",
        flags: &[("quiet", Some('q'), false), ("format", None, true)],
        min: 0,
        max: 0,
        interspersed: true,
    },
    Spec {
        name: "context use",
        usage: "context use CONTEXT",
        about: "Set the current docker context",
        flags: &[],
        min: 1,
        max: 1,
        interspersed: true,
    },
    Spec {
        name: "context show",
        usage: "context show",
        about: "Print the name of the current context",
        flags: &[],
        min: 0,
        max: 0,
        interspersed: true,
    },
];

/// The spec for a command name.
pub fn spec(name: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.name == name)
}
