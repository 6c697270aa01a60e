//! Models of exec instances: a command run inside a running container.

use serde::{Deserialize, Serialize};

/// The answer to `POST /containers/{id}/exec`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ExecCreated {
    /// The new exec instance's id.
    #[serde(rename = "Id")]
    pub id: String,
}

/// How an exec instance's process was configured.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ProcessConfig {
    /// Whether it runs privileged.
    pub privileged: bool,
    /// The user it runs as.
    pub user: String,
    /// Whether it has a tty.
    pub tty: bool,
    /// The program.
    pub entrypoint: String,
    /// The program's arguments.
    #[serde(deserialize_with = "super::nullable")]
    pub arguments: Vec<String>,
}

/// `GET /exec/{id}/json`: an exec instance's state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ExecInspect {
    /// The exec instance's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The container it runs in.
    #[serde(rename = "ContainerID")]
    pub container_id: String,
    /// Whether its process is running.
    pub running: bool,
    /// Its exit code, once it has exited (`None` while it runs or before it
    /// starts).
    pub exit_code: Option<i64>,
    /// The process's host PID (0 before it starts).
    pub pid: i64,
    /// Whether it may be removed (the daemon removes exec instances itself).
    pub can_remove: bool,
    /// The keys that detach from it.
    pub detach_keys: String,
    /// Whether stdin is attached.
    pub open_stdin: bool,
    /// Whether stdout is attached.
    pub open_stdout: bool,
    /// Whether stderr is attached.
    pub open_stderr: bool,
    /// How the process was configured.
    #[serde(deserialize_with = "super::nullable")]
    pub process_config: ProcessConfig,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_daemons_answer() {
        let json = r#"{"CanRemove":false,"ContainerID":"b53e","DetachKeys":"","ExitCode":2,"ID":"f33b",
            "OpenStderr":true,"OpenStdin":true,"OpenStdout":true,
            "ProcessConfig":{"arguments":["-c","exit 2"],"entrypoint":"sh","privileged":false,"tty":true,"user":"1000"},
            "Running":false,"Pid":42000}"#;
        let e: ExecInspect = serde_json::from_str(json).unwrap();
        assert_eq!((e.exit_code, e.pid, e.running), (Some(2), 42000, false));
        assert_eq!(e.process_config.arguments, ["-c", "exit 2"]);
        assert!(e.process_config.tty);
        let running: ExecInspect =
            serde_json::from_str(r#"{"ID":"x","Running":true,"ExitCode":null,"ProcessConfig":{"arguments":null}}"#)
                .unwrap();
        assert_eq!(running.exit_code, None);
    }
}
