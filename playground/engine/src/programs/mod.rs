//! The simulated programs a container runs: the ash-like shell (`sh/`),
//! busybox's applets (`busybox/`), and the stand-ins for nginx, redis,
//! python and hello-world.
//!
//! May use `fs`, `state` and `util` (below it); nothing above (daemon,
//! image, http, cli).

pub(crate) mod busybox;
pub(crate) mod sh;
