//! The Engine API's HTTP side, after Moby's routers: the route table (one
//! entry per endpoint: method, path pattern, handler), the handlers per API
//! area (they parse the request, call the daemon or the image backend with
//! plain arguments and write the JSON documents), and the response.
//!
//! Uses `daemon`, `image`, `state`, `util` and `crate::error`; nothing below
//! it uses `http`. Adding an endpoint: one entry in [`ROUTES`] and one
//! backend function.

mod build;
mod containers;
mod exec;
mod images;
mod json;
mod kept;
mod networks;
mod plugins;
mod query;
mod services;
mod streams;
mod swarm;
mod system;
mod version;
mod volumes;

use bytes::Bytes;
use dockhand::Body;

use crate::Engine;
use crate::error::err;
use crate::state::State;
pub(crate) use query::{Query, R, Reply, percent_decode};
pub(crate) use version::{API_VERSION, ENGINE_VERSION};
use version::{Api, Refusal};

/// A request as the handlers see it: the path's parameters (`{}` segments,
/// `{*}` joined with `/`), the query, the body, the headers and the API
/// version it speaks (the path's `/v1.NN/`, else the newest).
pub(crate) struct Req<'a> {
    pub method: &'a str,
    pub api: Api<'a>,
    pub params: Vec<String>,
    pub q: &'a Query,
    pub body: &'a [u8],
    pub headers: &'a http::HeaderMap,
}

impl Req<'_> {
    /// The `n`th path parameter.
    fn p(&self, n: usize) -> &str {
        self.params.get(n).map(String::as_str).unwrap_or("")
    }
}

/// What answers a route: streaming endpoints get the engine (they lock the
/// state when polled), the others the locked state.
#[derive(Clone, Copy)]
pub(crate) enum Handler {
    Engine(fn(&Engine, &Req) -> R),
    State(fn(&mut State, &Req) -> R),
}

/// One endpoint: methods (`GET|HEAD`, `*` for any), path pattern (`{}` one
/// segment, `{*}` one or more) and handler.
pub(crate) struct Route {
    method: &'static str,
    path: &'static str,
    handler: Handler,
}

const fn s(method: &'static str, path: &'static str, f: fn(&mut State, &Req) -> R) -> Route {
    Route { method, path, handler: Handler::State(f) }
}

const fn e(method: &'static str, path: &'static str, f: fn(&Engine, &Req) -> R) -> Route {
    Route { method, path, handler: Handler::Engine(f) }
}

/// The route table, per API area; the first match answers.
pub(crate) static ROUTES: &[Route] = &[
    // System.
    s("GET|HEAD", "_ping", system::ping),
    s("GET", "version", system::version),
    s("GET", "info", system::info),
    s("GET", "system/df", system::df),
    s("POST", "auth", system::auth),
    e("GET", "events", system::events),
    // Containers.
    s("GET", "containers/json", containers::list),
    s("POST", "containers/create", containers::create),
    s("POST", "containers/prune", containers::prune),
    s("GET", "containers/{}/json", containers::inspect),
    s("GET", "containers/{}/top", containers::top),
    s("GET", "containers/{}/changes", containers::changes),
    e("GET", "containers/{}/stats", containers::stats),
    s("POST", "containers/{}/start", containers::start),
    s("POST", "containers/{}/stop", containers::stop),
    s("POST", "containers/{}/restart", containers::restart),
    s("POST", "containers/{}/kill", containers::kill),
    s("POST", "containers/{}/pause", containers::pause),
    s("POST", "containers/{}/unpause", containers::unpause),
    s("POST", "containers/{}/rename", containers::rename),
    s("POST", "containers/{}/resize", containers::resize),
    s("POST", "containers/{}/update", containers::update),
    s("DELETE", "containers/{}", containers::remove),
    s("DELETE", "containers/{}/{}", containers::remove),
    s("GET|HEAD", "containers/{}/archive", containers::archive_get),
    s("PUT", "containers/{}/archive", containers::archive_put),
    s("GET", "containers/{}/export", containers::export),
    // Streams.
    e("GET", "containers/{}/logs", streams::logs),
    e("POST", "containers/{}/wait", streams::wait),
    e("POST", "containers/{}/attach", streams::attach),
    // Exec.
    s("POST", "containers/{}/exec", exec::create),
    e("POST", "exec/{}/start", exec::start),
    s("POST", "exec/{}/resize", exec::resize),
    s("GET", "exec/{}/json", exec::inspect),
    // Images.
    s("GET", "images/json", images::list),
    s("POST", "images/create", images::create),
    s("GET", "images/get", images::save_many),
    s("POST", "images/load", images::load),
    s("POST", "images/prune", images::prune),
    s("GET", "images/search", images::search),
    s("GET", "images/{*}/get", images::save_one),
    s("GET", "images/{*}/json", images::inspect),
    s("GET", "images/{*}/history", images::history),
    s("POST", "images/{*}/tag", images::tag),
    s("POST", "images/{*}/push", images::push),
    s("DELETE", "images/{*}", images::remove),
    s("*", "images/{*}", not_found),
    // Build.
    s("POST", "build", build::build),
    s("POST", "commit", build::commit),
    s("POST", "build/prune", build::prune),
    // Networks.
    s("GET", "networks", networks::list),
    s("POST", "networks/create", networks::create),
    s("POST", "networks/prune", networks::prune),
    s("GET", "networks/{}", networks::inspect),
    s("DELETE", "networks/{}", networks::remove),
    s("POST", "networks/{}/connect", networks::connect),
    s("POST", "networks/{}/disconnect", networks::disconnect),
    // Volumes.
    s("GET", "volumes", volumes::list),
    s("POST", "volumes/create", volumes::create),
    s("POST", "volumes/prune", volumes::prune),
    s("GET", "volumes/{}", volumes::inspect),
    s("DELETE", "volumes/{}", volumes::remove),
    // Plugins.
    s("GET", "plugins", plugins::list),
    s("GET", "plugins/privileges", plugins::privileges),
    s("POST", "plugins/create", plugins::create),
    s("GET", "plugins/{*}/json", plugins::inspect),
    s("POST", "plugins/{*}/enable", plugins::enable),
    s("POST", "plugins/{*}/disable", plugins::disable),
    s("DELETE", "plugins/{*}", plugins::remove),
    // Swarm.
    s("POST", "swarm/init", swarm::init),
    s("POST", "swarm/join", swarm::join),
    s("POST", "swarm/leave", swarm::leave),
    s("POST", "swarm/update", swarm::update),
    s("GET", "swarm/unlockkey", swarm::unlock_key),
    s("POST", "swarm/unlock", swarm::unlock),
    s("GET", "swarm", swarm::inspect),
    s("GET", "nodes", swarm::nodes),
    s("GET", "nodes/{}", swarm::node),
    s("POST", "nodes/{}/update", swarm::node_update),
    s("DELETE", "nodes/{}", swarm::node_remove),
    // Services and tasks.
    s("GET", "services", services::list),
    s("POST", "services/create", services::create),
    s("GET", "services/{}", services::inspect),
    s("POST", "services/{}/update", services::update),
    s("DELETE", "services/{}", services::remove),
    e("GET", "services/{}/logs", services::service_logs),
    s("GET", "tasks", services::task_list),
    s("GET", "tasks/{}", services::task),
    e("GET", "tasks/{}/logs", services::task_logs),
    // Secrets and configs.
    s("GET", "secrets", swarm::secrets),
    s("POST", "secrets/create", swarm::secret_create),
    s("GET", "secrets/{}", swarm::secret),
    s("POST", "secrets/{}/update", swarm::secret_update),
    s("DELETE", "secrets/{}", swarm::secret_remove),
    s("GET", "configs", swarm::configs),
    s("POST", "configs/create", swarm::config_create),
    s("GET", "configs/{}", swarm::config),
    s("POST", "configs/{}/update", swarm::config_update),
    s("DELETE", "configs/{}", swarm::config_remove),
];

fn not_found(_: &mut State, _: &Req) -> R {
    Err(err(404, "page not found"))
}

/// The path's parameters when `segs` match `pattern`.
fn matches(pattern: &str, segs: &[String]) -> Option<Vec<String>> {
    let pat: Vec<&str> = pattern.split('/').collect();
    let mut params = Vec::new();
    if let Some(star) = pat.iter().position(|p| *p == "{*}") {
        // `{*}` takes what the segments after it leave, one at least.
        let after = pat.len() - star - 1;
        if segs.len() < pat.len() {
            return None;
        }
        let (head, rest) = segs.split_at(star);
        let (middle, tail) = rest.split_at(rest.len() - after);
        let fixed = pat[..star].iter().zip(head).chain(pat[star + 1..].iter().zip(tail));
        for (p, seg) in fixed {
            if *p == "{}" {
                params.push(seg.clone());
            } else if p != seg {
                return None;
            }
        }
        params.push(middle.join("/"));
        return Some(params);
    }
    if pat.len() != segs.len() {
        return None;
    }
    for (p, seg) in pat.iter().zip(segs) {
        if *p == "{}" {
            params.push(seg.clone());
        } else if p != seg {
            return None;
        }
    }
    Some(params)
}

/// The route that answers `method` on `segs` and the path's parameters.
fn find(method: &str, segs: &[String]) -> Option<(Handler, Vec<String>)> {
    ROUTES.iter().find_map(|r| {
        let method_ok = r.method == "*" || r.method.split('|').any(|m| m == method);
        if !method_ok {
            return None;
        }
        matches(r.path, segs).map(|params| (r.handler, params))
    })
}

/// Answers one request, as the daemon would. Never panics on any input.
pub(crate) fn handle(engine: &Engine, request: http::Request<Bytes>) -> http::Response<Body> {
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let mut segs: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
    let requested = segs.first().and_then(|s| version::prefix(s)).map(str::to_string);
    if requested.is_some() {
        segs.remove(0);
    }
    // dockerd (20.10 to 28) answers `404 page not found` for any path or
    // method it has no route for, a known path asked with another method
    // included (`PUT /containers/json`), whatever the version, and without
    // its usual headers (the router's own answer).
    let Some((handler, params)) = find(&method, &segs) else { return page_not_found(&method) };
    // Then the version, as dockerd 28.5's middleware: 1.24 to 1.51.
    let api = Api(requested.as_deref().unwrap_or(API_VERSION));
    match version::check(api.0) {
        Ok(()) => {}
        Err(Refusal::TooNew(message)) => {
            let body = format!("{}\n", serde_json::json!({ "message": message }));
            return version_error(&method, "application/json", body);
        }
        Err(Refusal::TooOld(message)) => return version_error(&method, "text/plain; charset=utf-8", message + "\n"),
    }
    let query = Query::parse(parts.uri.query());
    let req = Req { method: &method, api, params, q: &query, body: &body, headers: &parts.headers };
    let result = match handler {
        Handler::Engine(f) => f(engine, &req),
        Handler::State(f) => f(&mut engine.lock(), &req),
    };
    engine.flush_stdin();
    engine.notify();

    match result {
        Ok(reply) => to_response(&method, reply),
        Err(e) => respond_error(&method, e.status, &e.message),
    }
}

/// The router's 404: a JSON message and no daemon headers.
fn page_not_found(method: &str) -> http::Response<Body> {
    let body = if method == "HEAD" { Body::empty() } else { Body::full("{\"message\":\"page not found\"}\n") };
    http::Response::builder()
        .status(404)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(body)
        .unwrap_or_else(|_| http::Response::new(Body::empty()))
}

/// dockerd 28.5's 400 for an API version it does not serve: before its
/// `Docker-Experimental` header is set; too new as JSON, too old as Go's
/// `http.Error` writes plain text (with `nosniff`).
fn version_error(method: &str, content_type: &str, text: String) -> http::Response<Body> {
    let mut b = http::Response::builder()
        .status(400)
        .header(dockhand::headers::API_VERSION, API_VERSION)
        .header(http::header::CONTENT_TYPE, content_type)
        .header(dockhand::headers::OSTYPE, "linux")
        .header(http::header::SERVER, format!("Docker/{ENGINE_VERSION} (linux)"));
    if content_type.starts_with("text/plain") {
        b = b.header(http::header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    }
    b.body(if method == "HEAD" { Body::empty() } else { Body::full(text) })
        .unwrap_or_else(|_| http::Response::new(Body::empty()))
}

fn base_headers(builder: http::response::Builder) -> http::response::Builder {
    builder
        .header(dockhand::headers::API_VERSION, API_VERSION)
        .header(dockhand::headers::DOCKER_EXPERIMENTAL, "false")
        .header(dockhand::headers::OSTYPE, "linux")
        .header(http::header::SERVER, format!("Docker/{ENGINE_VERSION} (linux)"))
}

fn respond_error(method: &str, status: u16, message: &str) -> http::Response<Body> {
    let body = if method == "HEAD" {
        Body::empty()
    } else {
        Body::full(format!("{}\n", serde_json::json!({ "message": message })))
    };
    base_headers(http::Response::builder().status(status))
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(body)
        .unwrap_or_else(|_| http::Response::new(Body::empty()))
}

fn to_response(method: &str, reply: Reply) -> http::Response<Body> {
    let head = method == "HEAD";
    let built = match reply {
        Reply::Json(status, v) => base_headers(http::Response::builder().status(status))
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(if head { Body::empty() } else { Body::full(format!("{v}\n")) }),
        Reply::Empty(status) => base_headers(http::Response::builder().status(status)).body(Body::empty()),
        // `/_ping`'s headers as dockerd 28.5 sends them, but `Builder-Version`
        // 1: the engine has the classic builder only (28.5 says 2, BuildKit).
        Reply::Ping(swarm) => base_headers(http::Response::builder().status(200))
            .header(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .header(dockhand::headers::BUILDER_VERSION, "1")
            .header(http::header::CACHE_CONTROL, "no-cache, no-store, must-revalidate")
            .header(http::header::PRAGMA, "no-cache")
            .header(dockhand::headers::SWARM, swarm)
            .body(if head { Body::empty() } else { Body::full("OK") }),
        Reply::Stream(status, ct, body) => base_headers(http::Response::builder().status(status))
            .header(http::header::CONTENT_TYPE, ct)
            .body(if head { Body::empty() } else { body }),
        Reply::Archive(tar, stat) => base_headers(http::Response::builder().status(200))
            .header(http::header::CONTENT_TYPE, "application/x-tar")
            .header(dockhand::headers::X_DOCKER_CONTAINER_PATH_STAT, stat)
            .body(if head { Body::empty() } else { Body::full(tar) }),
        Reply::Upgrade(ct, body, target, detach) => {
            let mut r = base_headers(http::Response::builder().status(101))
                .header(http::header::CONTENT_TYPE, ct)
                .header(http::header::CONNECTION, "Upgrade")
                .header(http::header::UPGRADE, "tcp")
                .body(body);
            if let Ok(r) = &mut r {
                r.extensions_mut().insert(target);
                if let Some(keys) = detach {
                    r.extensions_mut().insert(keys);
                }
            }
            r
        }
    };
    built.unwrap_or_else(|_| http::Response::new(Body::empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(path: &str) -> Vec<String> {
        path.split('/').map(String::from).collect()
    }

    #[test]
    fn patterns_take_one_segment_per_brace_and_the_rest_for_a_star() {
        assert_eq!(matches("containers/{}/json", &segs("containers/web/json")), Some(vec!["web".to_string()]));
        assert_eq!(matches("containers/{}/json", &segs("containers/web/top")), None);
        assert_eq!(matches("images/{*}/json", &segs("images/alice/app:1/json")), Some(vec!["alice/app:1".into()]));
        assert_eq!(matches("images/{*}/json", &segs("images/json")), None);
        assert_eq!(matches("images/{*}", &segs("images/a/b")), Some(vec!["a/b".to_string()]));
        assert_eq!(matches("images/{*}", &segs("images")), None);
    }

    #[test]
    fn every_route_is_well_formed_and_reachable() {
        for (n, r) in ROUTES.iter().enumerate() {
            assert!(r.path.split('/').filter(|s| *s == "{*}").count() <= 1, "{}", r.path);
            assert!(r.method.split('|').all(|m| !m.is_empty()), "{}", r.method);
            // No earlier route answers all of this one's requests.
            let example: Vec<String> =
                r.path.split('/').map(|s| if s.starts_with('{') { "x".into() } else { s.into() }).collect();
            let first = ROUTES.iter().position(|o| {
                let method = r.method.split('|').next().unwrap_or("");
                (o.method == "*" || o.method.split('|').any(|m| m == method)) && matches(o.path, &example).is_some()
            });
            assert_eq!(first, Some(n), "{} {} is shadowed", r.method, r.path);
        }
    }
}
