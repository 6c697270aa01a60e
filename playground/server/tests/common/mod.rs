//! `dockhand-sim` started for a test: on a unix socket in a temporary
//! directory, killed on drop.

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `dockhand-sim`; the process is killed and its directory removed
/// when this is dropped.
pub struct SimProcess {
    child: Child,
    dir: tempfile::TempDir,
    socket: PathBuf,
}

impl SimProcess {
    /// Starts `dockhand-sim` and waits (10 s at most) until it accepts
    /// connections.
    pub fn start() -> SimProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let socket = dir.path().join("sim.sock");
        let child = Command::new(env!("CARGO_BIN_EXE_dockhand-sim"))
            .arg("--socket")
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start dockhand-sim");
        let started = Instant::now();
        while UnixStream::connect(&socket).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "dockhand-sim did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
        SimProcess { child, dir, socket }
    }

    /// Its socket.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Its temporary directory (for a client's own files).
    #[allow(dead_code)] // used by one of the two test files
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
