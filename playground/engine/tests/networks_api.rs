//! Networks as docker-py's integration tests see them on dockerd 20.10.

mod common;

use common::call;
use dockhand_engine::Engine;
use serde_json::json;

#[test]
fn names_with_spaces_and_check_duplicate_are_dockerds() {
    let engine = Engine::new();
    let (status, _) = call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "test 01"}));
    assert_eq!(status, 201);
    assert_eq!(call(&engine, "GET", "/v1.41/networks/test%2001", json!(null)).0, 200);
    assert_eq!(call(&engine, "DELETE", "/v1.41/networks/test%2001", json!(null)).0, 204);
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "d"})).0, 201);
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "d", "CheckDuplicate": true})).0, 409);
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "d", "CheckDuplicate": false})).0, 201);
    assert_eq!(call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "a\u{7}b"})).0, 400);
    assert_eq!(
        call(&engine, "POST", "/v1.41/networks/create", json!({"Name": "bridge", "CheckDuplicate": false})).0,
        403
    );
}
