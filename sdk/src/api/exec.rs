//! Exec instances: create, start, resize, inspect.
//!
//! An exec runs another process in a running container. It is created with
//! [`ExecOptions`] (`POST /containers/{id}/exec`), then started, detached or
//! attached (`POST /exec/{id}/start`, an HTTP upgrade when attached), and
//! inspected for its exit code (`GET /exec/{id}/json`).

use serde::Serialize;

use super::containers::TtySize;
use crate::request::{ApiRequest, BodyField, Silence, segment};
use crate::{ApiVersion, Error, Result};

/// The configuration of a new exec instance (`POST /containers/{id}/exec`).
///
/// ```
/// use dockhand::api::ExecOptions;
/// let opts = ExecOptions::new(["sh", "-c", "echo $GREETING"])
///     .env("GREETING=hi")
///     .working_dir("/tmp")
///     .attach_stdout(true)
///     .attach_stderr(true);
/// let req = dockhand::api::exec::create("web", &opts)?;
/// assert_eq!(req.path(), "/containers/web/exec");
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExecOptions {
    cmd: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    env: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_dir: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    tty: bool,
    attach_stdin: bool,
    attach_stdout: bool,
    attach_stderr: bool,
    privileged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    detach_keys: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    console_size: Option<[u32; 2]>,
}

impl ExecOptions {
    /// Runs `cmd` (the program and its arguments; no shell unless you name
    /// one), attached to nothing.
    pub fn new<I, S>(cmd: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ExecOptions { cmd: cmd.into_iter().map(Into::into).collect(), ..Default::default() }
    }

    /// Adds an environment variable (`NAME=value`).
    pub fn env(mut self, var: impl Into<String>) -> Self {
        self.env.push(var.into());
        self
    }

    /// The directory it runs in.
    pub fn working_dir(mut self, dir: impl Into<String>) -> Self {
        self.working_dir = Some(dir.into());
        self
    }

    /// The user (`name`, `uid`, `uid:gid`) it runs as.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// Gives it a tty: its output is then one unframed console stream.
    pub fn tty(mut self, tty: bool) -> Self {
        self.tty = tty;
        self
    }

    /// Attaches its stdin (to write to it after an attached start).
    pub fn attach_stdin(mut self, yes: bool) -> Self {
        self.attach_stdin = yes;
        self
    }

    /// Attaches its stdout.
    pub fn attach_stdout(mut self, yes: bool) -> Self {
        self.attach_stdout = yes;
        self
    }

    /// Attaches its stderr.
    pub fn attach_stderr(mut self, yes: bool) -> Self {
        self.attach_stderr = yes;
        self
    }

    /// Runs it with extended privileges.
    pub fn privileged(mut self, yes: bool) -> Self {
        self.privileged = yes;
        self
    }

    /// The key sequence that detaches from it (`ctrl-p,ctrl-q`).
    pub fn detach_keys(mut self, keys: impl Into<String>) -> Self {
        self.detach_keys = Some(keys.into());
        self
    }

    /// The size of its tty, `height` rows by `width` columns, from its
    /// start (API 1.42; not sent to older daemons, where the tty starts at
    /// 0x0 until resized with [`resize`]).
    pub fn console_size(mut self, height: u32, width: u32) -> Self {
        self.console_size = Some([height, width]);
        self
    }

    /// Whether it has a tty.
    pub fn has_tty(&self) -> bool {
        self.tty
    }
}

/// `POST /containers/{id}/exec`: creates an exec instance in a running
/// container. A command is required.
pub fn create(container: &str, opts: &ExecOptions) -> Result<ApiRequest> {
    if opts.cmd.is_empty() {
        return Err(Error::invalid("exec command", "must not be empty"));
    }
    ApiRequest::post(format!("/containers/{}/exec", segment("container id", container)?)).json_versioned(
        opts,
        CREATE_FIELDS,
        None,
    )
}

/// Fields of the exec create body newer than API 1.41 (moby's API version
/// history); older daemons do not get them.
pub static CREATE_FIELDS: &[BodyField] = &[BodyField::new(ApiVersion::new(1, 42), "ConsoleSize")];

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct StartBody {
    detach: bool,
    tty: bool,
}

/// `POST /exec/{id}/start`, detached: the daemon starts the process and
/// answers at once.
pub fn start_detached(id: &str) -> Result<ApiRequest> {
    ApiRequest::post(format!("/exec/{}/start", segment("exec id", id)?)).json(&StartBody { detach: true, tty: false })
}

/// `POST /exec/{id}/start`, attached: sent as an HTTP upgrade; the connection
/// then carries the process's stdin one way and its output the other.
///
/// `tty` must be the exec's own setting: the daemon frames the output by it
/// (multiplexed without a tty, raw with one).
pub fn start_attached(id: &str, tty: bool) -> Result<ApiRequest> {
    Ok(ApiRequest::post(format!("/exec/{}/start", segment("exec id", id)?))
        .json(&StartBody { detach: false, tty })?
        .silence(Silence::Long))
}

/// `POST /exec/{id}/resize`: sets the size of the exec's tty.
pub fn resize(id: &str, size: TtySize) -> Result<ApiRequest> {
    Ok(ApiRequest::post(format!("/exec/{}/resize", segment("exec id", id)?))
        .query("h", size.height)
        .query("w", size.width))
}

/// `GET /exec/{id}/json`.
pub fn inspect(id: &str) -> Result<ApiRequest> {
    Ok(ApiRequest::get(format!("/exec/{}/json", segment("exec id", id)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(req: ApiRequest) -> serde_json::Value {
        let http = req.into_http(ApiVersion::MIN).unwrap();
        serde_json::from_slice(&http.into_body().collect(1 << 20).await.unwrap()).unwrap()
    }

    #[test]
    fn create_shape() {
        let opts = ExecOptions::new(["cat"]).attach_stdin(true).attach_stdout(true).user("nobody").tty(true);
        let req = create("a b", &opts).unwrap();
        assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/containers/a%20b/exec");
        let json = futures::executor::block_on(body(req));
        assert_eq!(json["Cmd"], serde_json::json!(["cat"]));
        assert_eq!(json["AttachStdin"], true);
        assert_eq!(json["Tty"], true);
        assert_eq!(json["User"], "nobody");
        assert!(json.get("Env").is_none() && json.get("WorkingDir").is_none());
        assert!(create("web", &ExecOptions::new(Vec::<String>::new())).is_err());
        assert!(create("../images", &opts).is_err());
    }

    #[test]
    fn the_console_size_reaches_1_42_daemons_only() {
        let req = create("web", &ExecOptions::new(["sh"]).tty(true).console_size(24, 80)).unwrap();
        assert_eq!(req.json_body_for(ApiVersion::new(1, 42)).unwrap()["ConsoleSize"], serde_json::json!([24, 80]));
        assert!(req.json_body_for(ApiVersion::MIN).unwrap().get("ConsoleSize").is_none());
        assert!(futures::executor::block_on(body(req)).get("ConsoleSize").is_none());
    }

    #[test]
    fn start_resize_inspect_shapes() {
        let json = futures::executor::block_on(body(start_detached("e1").unwrap()));
        assert_eq!(json, serde_json::json!({"Detach": true, "Tty": false}));
        let req = start_attached("e1", true).unwrap();
        assert_eq!(req.silence_kind(), Silence::Long);
        assert_eq!(
            resize("e1", TtySize { height: 24, width: 80 }).unwrap().path_and_query(ApiVersion::MIN),
            "/v1.41/exec/e1/resize?h=24&w=80"
        );
        assert_eq!(inspect("e/1").unwrap().path(), "/exec/e%2F1/json");
        assert!(inspect("..").is_err());
    }
}
