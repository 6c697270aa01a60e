//! Plugin endpoints: list, privileges, create, inspect, enable, disable,
//! remove. The behaviour is `daemon::plugins`'.

use serde_json::{Value, json};

use crate::daemon::plugins as backend;
use crate::http::Req;
use crate::http::query::*;
use crate::state::*;

/// `GET /plugins`.
pub(crate) fn list(st: &mut State, _: &Req) -> R {
    Ok(Reply::Json(200, Value::Array(st.plugins.values().cloned().collect())))
}

/// `GET /plugins/privileges?remote=`: what the plugin asks for. With no
/// registry to read it from, none, as dockerd answers without one.
pub(crate) fn privileges(_: &mut State, _: &Req) -> R {
    Ok(Reply::Json(200, json!([])))
}

/// `POST /plugins/create?name=` with a tar of `config.json` and `rootfs/`.
pub(crate) fn create(st: &mut State, r: &Req) -> R {
    backend::create(st, r.q.get("name").unwrap_or(""), r.body)?;
    Ok(Reply::Empty(204))
}

/// `GET /plugins/{name}/json`.
pub(crate) fn inspect(st: &mut State, r: &Req) -> R {
    let key = backend::find(st, r.p(0))?;
    Ok(Reply::Json(200, st.plugins[&key].clone()))
}

/// `POST /plugins/{name}/enable`.
pub(crate) fn enable(st: &mut State, r: &Req) -> R {
    backend::enable(st, r.p(0), true)?;
    Ok(Reply::Empty(200))
}

/// `POST /plugins/{name}/disable`.
pub(crate) fn disable(st: &mut State, r: &Req) -> R {
    backend::enable(st, r.p(0), false)?;
    Ok(Reply::Empty(200))
}

/// `DELETE /plugins/{name}?force=`.
pub(crate) fn remove(st: &mut State, r: &Req) -> R {
    backend::remove(st, r.p(0), r.q.flag("force"))?;
    Ok(Reply::Empty(200))
}
