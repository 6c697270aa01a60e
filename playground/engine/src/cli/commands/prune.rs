//! Pruning: `container`, `image`, `network`, `volume` and `builder prune`,
//! and `system prune`, which runs them in the docker CLI's order and adds
//! up the space they reclaimed.

use dockhand::api::{ContainerPruneFilters, ImagePruneFilters, NetworkPruneFilters, VolumePruneFilters};

use super::{Command, Complete};
use crate::cli::Session;
use crate::cli::flags::{Parsed, Spec};
use crate::cli::out::Out;
use crate::cli::sdk::DaemonError;
use crate::util::human_size;

/// This file's commands.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        spec: Spec {
            name: "container prune",
            usage: "container prune [OPTIONS]",
            about: "Remove all stopped containers",
            flags: &[("force", Some('f'), false)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &[],
        run: Session::container_prune,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "image prune",
            usage: "image prune [OPTIONS]",
            about: "Remove unused images",
            flags: &[("all", Some('a'), false), ("force", Some('f'), false)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &[],
        run: Session::image_prune,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "network prune",
            usage: "network prune [OPTIONS]",
            about: "Remove all unused networks",
            flags: &[("force", Some('f'), false)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &[],
        run: Session::network_prune,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "volume prune",
            usage: "volume prune [OPTIONS]",
            about: "Remove unused local volumes",
            flags: &[("force", Some('f'), false), ("all", Some('a'), false)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &[],
        run: Session::volume_prune,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
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
        aliases: &[],
        run: Session::builder_prune,
        explain: None,
        complete: Complete::Objects,
    },
    Command {
        spec: Spec {
            name: "system prune",
            usage: "system prune [OPTIONS]",
            about: "Remove unused data",
            flags: &[("all", Some('a'), false), ("force", Some('f'), false), ("volumes", None, false)],
            min: 0,
            max: 0,
            interspersed: true,
        },
        aliases: &[],
        run: Session::system_prune,
        explain: None,
        complete: Complete::Objects,
    },
];

/// What one prune removed: its section's title, the section's lines, and
/// the bytes it reclaimed.
type Pruned = (&'static str, Vec<String>, u64);

/// One kind of prune: the request and its answer.
type Prune = fn(&Session, &Parsed) -> Result<Pruned, DaemonError>;

/// Prints a prune's section, when it removed something: the title, one
/// line per object, a blank line.
fn print_section((title, items, _): &Pruned, out: &mut Out) {
    if !items.is_empty() {
        out.line(title);
        for i in items {
            out.line(i);
        }
        out.line("");
    }
}

/// docker's question before a prune without `-f`, as `docker KIND prune`
/// (and `system prune`) words it.
fn warning(kind: &str, p: &Parsed) -> String {
    let all = p.has("all");
    let what = match kind {
        "container" => "all stopped containers",
        "image" if all => "all images without at least one container associated to them",
        "image" => "all dangling images",
        "network" => "all custom networks not used by at least one container",
        "volume" if all => "all local volumes not used by at least one container",
        "volume" => "anonymous local volumes not used by at least one container",
        "builder" => {
            let what = if all { "all build cache" } else { "all dangling build cache" };
            return format!("WARNING! This will remove {what}. Are you sure you want to continue?");
        }
        _ => {
            let mut items = vec!["all stopped containers", "all networks not used by at least one container"];
            if p.has("volumes") {
                items.push("all anonymous volumes not used by at least one container");
            }
            items.push(if all {
                "all images without at least one container associated to them"
            } else {
                "all dangling images"
            });
            items.push(if all { "all build cache" } else { "unused build cache" });
            let list: String = items.iter().map(|i| format!("\n  - {i}")).collect();
            return format!("WARNING! This will remove:{list}\n\nAre you sure you want to continue?");
        }
    };
    format!("WARNING! This will remove {what}.\nAre you sure you want to continue?")
}

/// A prune without `-f`: docker asks and reads the answer from stdin. This
/// terminal has no stdin to answer from (as a script with none), and no
/// answer is a no: docker removes nothing and exits 0 (the CLI's
/// "cancelled"). `true` when it asked.
fn asked(kind: &str, p: &Parsed, out: &mut Out) -> bool {
    if p.has("force") {
        return false;
    }
    out.line(format!("{} [y/N] ", warning(kind, p)));
    let mut fixed = format!("docker {kind} prune -f");
    if p.has("all") {
        fixed.push_str(" -a");
    }
    if p.has("volumes") {
        fixed.push_str(" --volumes");
    }
    out.explain(
        "docker asks before it removes anything, and reads the answer (y) from the keyboard. This terminal cannot answer a question (like a script with no input), and no answer is a no: nothing was removed. Add -f (--force) to skip the question."
            .to_string(),
    );
    out.suggestion = Some(fixed);
    true
}

impl Session {
    fn prune_containers(&self, _p: &Parsed) -> Result<Pruned, DaemonError> {
        self.sdk(self.docker().containers().prune(ContainerPruneFilters::new()))
            .map(|r| ("Deleted Containers:", r.containers_deleted, r.space_reclaimed))
    }

    fn prune_images(&self, p: &Parsed) -> Result<Pruned, DaemonError> {
        let filters = if p.has("all") { ImagePruneFilters::new().dangling(false) } else { ImagePruneFilters::new() };
        self.sdk(self.docker().images().prune(filters)).map(|r| {
            let items = r
                .images_deleted
                .into_iter()
                .flat_map(|i| {
                    let untagged = i.untagged.map(|t| format!("untagged: {t}"));
                    let deleted = i.deleted.map(|d| format!("deleted: {d}"));
                    untagged.into_iter().chain(deleted)
                })
                .collect();
            ("Deleted Images:", items, u64::try_from(r.space_reclaimed).unwrap_or(0))
        })
    }

    fn prune_networks(&self, _p: &Parsed) -> Result<Pruned, DaemonError> {
        self.sdk(self.docker().networks().prune(NetworkPruneFilters::new()))
            .map(|r| ("Deleted Networks:", r.networks_deleted, 0))
    }

    fn prune_volumes(&self, p: &Parsed) -> Result<Pruned, DaemonError> {
        self.sdk(self.docker().volumes().prune(VolumePruneFilters::new().all(p.has("all"))))
            .map(|r| ("Deleted Volumes:", r.volumes_deleted, r.space_reclaimed))
    }

    fn prune_build_cache(&self, p: &Parsed) -> Result<Pruned, DaemonError> {
        let opts = dockhand::api::BuildCachePruneOptions::new().all(p.has("all"));
        self.sdk(self.docker().images().prune_build_cache(opts))
            .map(|r| ("Deleted build cache objects:", r.caches_deleted, u64::try_from(r.space_reclaimed).unwrap_or(0)))
    }

    /// One kind of prune, as `docker KIND prune` prints it: its section and
    /// the space it reclaimed.
    fn prune_one(&mut self, kind: &str, prune: Prune, p: &Parsed, out: &mut Out) -> i32 {
        if asked(kind, p, out) {
            return 0;
        }
        match prune(self, p) {
            Ok(pruned) => {
                print_section(&pruned, out);
                out.line(format!("Total reclaimed space: {}", human_size(pruned.2)));
                0
            }
            Err(e) => self.daemon_error(e, out, 1, ""),
        }
    }

    fn container_prune(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        self.prune_one("container", Session::prune_containers, p, out)
    }

    fn image_prune(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        self.prune_one("image", Session::prune_images, p, out)
    }

    fn network_prune(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        self.prune_one("network", Session::prune_networks, p, out)
    }

    fn volume_prune(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        self.prune_one("volume", Session::prune_volumes, p, out)
    }

    fn builder_prune(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        self.prune_one("builder", Session::prune_build_cache, p, out)
    }

    /// `docker system prune`: stopped containers, unused networks, (with
    /// `--volumes`) unused volumes, dangling images (all unused ones with
    /// `-a`) and the build cache, in this order as the docker CLI prunes
    /// them; each section it printed, then the space they reclaimed
    /// together. The first error stops it, as in the CLI.
    fn system_prune(&mut self, p: &Parsed, out: &mut Out) -> i32 {
        if asked("system", p, out) {
            return 0;
        }
        let mut kinds: Vec<Prune> = vec![Session::prune_containers, Session::prune_networks];
        if p.has("volumes") {
            kinds.push(Session::prune_volumes);
        }
        kinds.extend([Session::prune_images as Prune, Session::prune_build_cache]);
        let mut total = 0;
        for prune in kinds {
            match prune(self, p) {
                Ok(pruned) => {
                    total += pruned.2;
                    print_section(&pruned, out);
                }
                Err(e) => return self.daemon_error(e, out, 1, ""),
            }
        }
        out.line(format!("Total reclaimed space: {}", human_size(total)));
        0
    }
}
