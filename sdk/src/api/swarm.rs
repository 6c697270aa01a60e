//! `/swarm/...`.

use crate::Result;
use crate::models::{ObjectVersion, SwarmInitRequest, SwarmJoinRequest, SwarmSpec, UnlockKey};
use crate::request::ApiRequest;

/// `GET /swarm`.
pub fn inspect() -> ApiRequest {
    ApiRequest::get("/swarm")
}

/// `POST /swarm/init`. The answer is the new node's id, as a JSON string.
pub fn init(req: &SwarmInitRequest) -> Result<ApiRequest> {
    if req.listen_addr.is_empty() {
        return Err(crate::Error::invalid("swarm listen address", "must not be empty"));
    }
    ApiRequest::post("/swarm/init").json(req)
}

/// `POST /swarm/join`.
pub fn join(req: &SwarmJoinRequest) -> Result<ApiRequest> {
    if req.remote_addrs.is_empty() {
        return Err(crate::Error::invalid("swarm remote addresses", "at least one manager is needed"));
    }
    ApiRequest::post("/swarm/join").json(req)
}

force_options! {
    /// Options of `POST /swarm/leave`.
    SwarmLeaveOptions, "Leave even as the last manager (the swarm is lost)."
}

/// `POST /swarm/leave`; `force` is needed for the last manager.
pub fn leave(opts: &SwarmLeaveOptions) -> ApiRequest {
    ApiRequest::post("/swarm/leave").query_opt("force", opts.is_force().then_some("true"))
}

/// What else a swarm update does besides changing the spec.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SwarmUpdateOptions {
    rotate_worker_token: bool,
    rotate_manager_token: bool,
    rotate_manager_unlock_key: bool,
}

impl SwarmUpdateOptions {
    /// Only the spec changes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Issues a new worker join token.
    pub fn rotate_worker_token(mut self, on: bool) -> Self {
        self.rotate_worker_token = on;
        self
    }

    /// Issues a new manager join token.
    pub fn rotate_manager_token(mut self, on: bool) -> Self {
        self.rotate_manager_token = on;
        self
    }

    /// Issues a new unlock key.
    pub fn rotate_manager_unlock_key(mut self, on: bool) -> Self {
        self.rotate_manager_unlock_key = on;
        self
    }
}

/// `POST /swarm/update?version=N`.
pub fn update(version: ObjectVersion, spec: &SwarmSpec, opts: SwarmUpdateOptions) -> Result<ApiRequest> {
    ApiRequest::post("/swarm/update")
        .query("version", version.index)
        .query_opt("rotateWorkerToken", opts.rotate_worker_token.then_some("true"))
        .query_opt("rotateManagerToken", opts.rotate_manager_token.then_some("true"))
        .query_opt("rotateManagerUnlockKey", opts.rotate_manager_unlock_key.then_some("true"))
        .json(spec)
}

/// `GET /swarm/unlockkey`.
pub fn unlock_key() -> ApiRequest {
    ApiRequest::get("/swarm/unlockkey")
}

/// `POST /swarm/unlock`.
pub fn unlock(key: &UnlockKey) -> Result<ApiRequest> {
    ApiRequest::post("/swarm/unlock").json(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiVersion;

    #[test]
    fn request_shapes() {
        assert!(init(&SwarmInitRequest::default()).is_err());
        assert!(join(&SwarmJoinRequest::default()).is_err());
        assert_eq!(
            leave(&SwarmLeaveOptions::new().force(true)).path_and_query(ApiVersion::MIN),
            "/v1.41/swarm/leave?force=true"
        );
        let req = update(
            ObjectVersion { index: 12 },
            &SwarmSpec::default(),
            SwarmUpdateOptions::new().rotate_manager_unlock_key(true),
        )
        .unwrap();
        assert_eq!(req.path_and_query(ApiVersion::MIN), "/v1.41/swarm/update?version=12&rotateManagerUnlockKey=true");
        let req = format!("{:?}", unlock(&UnlockKey::new("SWMKEY-1-x")).unwrap());
        assert!(!req.contains("SWMKEY"), "the body's bytes are not shown: {req}");
    }
}
