//! A cobra-like flag parser with the docker CLI's errors, over a command's
//! [`Spec`] (the specs themselves are in the command table, `commands/`).

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
        shorts(spec, a, args, &mut i, &mut p)?;
    }
    if p.has("help") {
        return Ok(p);
    }
    check_count(spec, p.args.len())?;
    Ok(p)
}

/// Short flags, possibly combined (`-it`, `-p8080:80`): `a` is the word,
/// `args[*i..]` what follows it (a flag's value may be the next word).
fn shorts(spec: &Spec, a: &str, args: &[String], i: &mut usize, p: &mut Parsed) -> Result<(), UsageError> {
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
            } else if *i < args.len() {
                *i += 1;
                args[*i - 1].clone()
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
    Ok(())
}

/// The number of positional arguments against the spec's range, with
/// docker/cli's validators' words.
fn check_count(spec: &Spec, n: usize) -> Result<(), UsageError> {
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
            explanation: format!("The usage is `docker {}`: {}.", spec.usage, spec.about),
        });
    }
    Ok(())
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
