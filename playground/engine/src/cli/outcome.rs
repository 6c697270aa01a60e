//! What a command line did, as [`Session::run`](super::Session::run)
//! reports it: the [`Outcome`], and the [`Change`]s of the daemons' state,
//! found by comparing a summary of each daemon before and after.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Engine;
use crate::transport::Exchange;

/// A change of the daemon's state caused by a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A container appeared.
    ContainerCreated {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
        /// Its image.
        image: String,
    },
    /// A container moved between states.
    ContainerState {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
        /// The state before (`created`, `running`, ...).
        from: String,
        /// The state after.
        to: String,
    },
    /// A state change the daemon refused (304 or 409).
    TransitionRefused {
        /// The container.
        container: String,
        /// The action (`start`, `exec`, `pause`, ...).
        action: String,
        /// The daemon's answer.
        reason: String,
    },
    /// A container was removed.
    ContainerRemoved {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
    },
    /// An image appeared.
    ImageAdded {
        /// Its id.
        id: String,
        /// Its tags.
        tags: Vec<String>,
    },
    /// An image's tags changed.
    ImageTagged {
        /// Its id.
        id: String,
        /// Its tags now.
        tags: Vec<String>,
    },
    /// An image was deleted.
    ImageRemoved {
        /// Its id.
        id: String,
    },
    /// A network was created.
    NetworkCreated {
        /// Its name.
        name: String,
    },
    /// A network was removed.
    NetworkRemoved {
        /// Its name.
        name: String,
    },
    /// A volume was created.
    VolumeCreated {
        /// Its name.
        name: String,
    },
    /// A volume was removed.
    VolumeRemoved {
        /// Its name.
        name: String,
    },
    /// The registry received an image.
    Pushed {
        /// `repo:tag`.
        reference: String,
    },
    /// The CLI now talks to another daemon.
    DaemonSwitched {
        /// Its name.
        to: String,
    },
}

/// What one command line did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The line as typed.
    pub command: String,
    /// What the CLI printed on stdout.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
    /// stdout and stderr together, piece by piece in the order the CLI
    /// printed them, as a terminal shows them (`docker run hello-world`:
    /// "Unable to find image" and the pull on stderr, then the
    /// container's greeting on stdout).
    pub printed: Vec<Printed>,
    /// Its exit code.
    pub exit_code: i32,
    /// The HTTP exchanges, in order, each with the daemon that answered.
    pub exchanges: Vec<Exchange>,
    /// The events the daemons emitted during the command, in order (what
    /// `docker events` would show): which container was created, started,
    /// died, ... whether by a request or by itself (an exit, a restart
    /// policy, `--rm`).
    pub events: Vec<DaemonEvent>,
    /// The state changes.
    pub changes: Vec<Change>,
    /// What happened, in plain words (for learners).
    pub explanation: Option<String>,
    /// What to try next, after an error.
    pub suggestion: Option<String>,
    /// The daemon the command went to (`local` or `remote`).
    pub daemon: String,
    /// The prompt to show next (`$ `, or the container shell's `/ # `).
    pub prompt: String,
    /// Whether the daemon refused the line because it misspelled an
    /// image's name (`docker run hello-word`: the note asks "Did you mean
    /// hello-world?"), or a container name it does not take (`--name a`):
    /// a slip like a typo the client catches, which the playground does
    /// not count among the learner's moves.
    #[serde(default)]
    pub misspelled: bool,
}

/// A piece of what a command printed, on one stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Printed {
    /// `true` for stderr, `false` for stdout.
    pub stderr: bool,
    /// Progress the CLI writes to stderr (the pull `docker run` makes
    /// first): to show as progress, not an error, whatever the exit code.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub progress: bool,
    /// The text.
    pub text: String,
}

/// An event one of the session's daemons emitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaemonEvent {
    /// The daemon, as the session names it (`local`, `remote`).
    pub daemon: String,
    /// The event.
    #[serde(flatten)]
    pub event: crate::state::Event,
}

/// Where a daemon's event log stands: events before it are old.
pub(crate) fn event_mark(engine: &Engine) -> u64 {
    engine.with_state(|st| st.events_dropped + st.events.len() as u64)
}

/// The events `engine` emitted since `mark`, tagged with `daemon`.
pub(crate) fn events_since(engine: &Engine, mark: u64, daemon: &str) -> Vec<DaemonEvent> {
    engine.with_state(|st| {
        let skip = mark.saturating_sub(st.events_dropped);
        st.events
            .iter()
            .skip(usize::try_from(skip).unwrap_or(usize::MAX))
            .map(|e| DaemonEvent { daemon: daemon.to_string(), event: e.clone() })
            .collect()
    })
}

/// What the change list compares: containers (name, state, image), image
/// tags, network names, volume names, registry references.
type Summary = (
    crate::state::Map<String, (String, String, String)>,
    BTreeMap<String, Vec<String>>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
);

pub(crate) fn snapshot_summary(engine: &Engine) -> Summary {
    engine.with_state(|st| {
        let containers = crate::util::map_of(
            st.containers
                .values()
                .map(|c| (c.id.clone(), (c.name.clone(), c.status.as_str().to_string(), c.image_ref.clone()))),
        );
        let images = crate::util::map_of(st.images.keys().map(|id| (id.clone(), st.tags_of(id))));
        let networks = st.networks.values().map(|n| n.name.clone()).collect();
        let volumes = st.volumes.keys().cloned().collect();
        let pushed = st
            .registry
            .repos
            .iter()
            .flat_map(|(r, tags)| tags.iter().map(move |(t, i)| format!("{r}:{t}@{}", i.id)))
            .collect();
        (containers, images, networks, volumes, pushed)
    })
}

/// The names in `after` but not in `before`, and those in `before` but not
/// in `after`, each in its list's order.
fn added_and_gone<'a>(
    before: &'a [String],
    after: &'a [String],
) -> (impl Iterator<Item = String> + 'a, impl Iterator<Item = String> + 'a) {
    let added = after.iter().filter(|n| !before.contains(n)).cloned();
    let gone = before.iter().filter(|n| !after.contains(n)).cloned();
    (added, gone)
}

/// The changes from `before` to `after`.
pub(crate) fn diff(before: &Summary, after: &Summary) -> Vec<Change> {
    let mut out = Vec::new();
    for (id, (name, status, image)) in &after.0 {
        match before.0.get(id) {
            None => {
                out.push(Change::ContainerCreated { id: id.clone(), name: name.clone(), image: image.clone() });
                if status != "created" {
                    out.push(Change::ContainerState {
                        id: id.clone(),
                        name: name.clone(),
                        from: "created".into(),
                        to: status.clone(),
                    });
                }
            }
            Some((_, old, _)) if old != status => out.push(Change::ContainerState {
                id: id.clone(),
                name: name.clone(),
                from: old.clone(),
                to: status.clone(),
            }),
            _ => {}
        }
    }
    for (id, (name, _, _)) in &before.0 {
        if !after.0.contains_key(id) {
            out.push(Change::ContainerRemoved { id: id.clone(), name: name.clone() });
        }
    }
    for (id, tags) in &after.1 {
        match before.1.get(id) {
            None => out.push(Change::ImageAdded { id: id.clone(), tags: tags.clone() }),
            Some(old) if old != tags => out.push(Change::ImageTagged { id: id.clone(), tags: tags.clone() }),
            _ => {}
        }
    }
    for id in before.1.keys() {
        if !after.1.contains_key(id) {
            out.push(Change::ImageRemoved { id: id.clone() });
        }
    }
    let (created, removed) = added_and_gone(&before.2, &after.2);
    out.extend(created.map(|name| Change::NetworkCreated { name }));
    out.extend(removed.map(|name| Change::NetworkRemoved { name }));
    let (created, removed) = added_and_gone(&before.3, &after.3);
    out.extend(created.map(|name| Change::VolumeCreated { name }));
    out.extend(removed.map(|name| Change::VolumeRemoved { name }));
    let (pushed, _) = added_and_gone(&before.4, &after.4);
    out.extend(pushed.map(|r| Change::Pushed { reference: r.split('@').next().unwrap_or(&r).to_string() }));
    out
}
