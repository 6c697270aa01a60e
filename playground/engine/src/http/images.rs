//! Image endpoints: list, pull and import, save and load, inspect, history,
//! tag, push, remove, prune, search.

use serde_json::{Value, json};

use crate::error::err;
use crate::http::Req;
use crate::http::json::*;
use crate::http::query::*;
use crate::image::{Reference, Removed};
use crate::state::*;
use crate::util::{sort_with, sorted_set};

/// `GET /images/json`.
pub(crate) fn list(st: &mut State, r: &Req) -> R {
    let q = r.q;
    let st = &*st;
    let filters = q.filters()?;
    let all = q.flag("all");
    let parents = sorted_set(st.images.values().map(|i| &i.parent));
    let mut list: Vec<&Image> = st.images.values().collect();
    sort_with(&mut list, &|a, b| b.created_ms.cmp(&a.created_ms).then(a.id.cmp(&b.id)));
    let mut out = Vec::new();
    for i in list {
        let tags = st.tags_of(&i.id);
        if !all && tags.is_empty() && parents.contains(&&i.id) {
            continue;
        }
        let ok = filters.iter().all(|(k, vals)| {
            vals.is_empty()
                || vals.iter().any(|v| match k.as_str() {
                    "dangling" => (v == "true") == tags.is_empty(),
                    "reference" => tags.iter().any(|t| Reference::familiar_match(v, t)),
                    "label" => match v.split_once('=') {
                        Some((k, val)) => i.config.labels.get(k).is_some_and(|x| x == val),
                        None => i.config.labels.contains_key(v),
                    },
                    "before" | "since" => true,
                    _ => false,
                })
        });
        if ok {
            let mut summary = image_summary_for(st, i, r.api);
            // As dockerd: only the tags the reference filter matched.
            if let Some(patterns) = filters.get("reference").filter(|p| !p.is_empty()) {
                let matched = |t: &&String| patterns.iter().any(|v| Reference::familiar_match(v, t));
                summary["RepoTags"] = json!(tags.iter().filter(matched).collect::<Vec<_>>());
            }
            out.push(summary);
        }
    }
    Ok(Reply::Json(200, json!(out)))
}

/// `POST /images/create`: `fromImage` pulls; `fromSrc=-` imports the body.
pub(crate) fn create(st: &mut State, r: &Req) -> R {
    match r.q.get("fromSrc") {
        Some("-") => import(st, r),
        Some(_) => Err(err(
            501,
            "importing from a URL is not simulated (no host outside the simulation answers); send the tar as the body, fromSrc=-",
        )),
        None => {
            let out =
                crate::image::registry::pull(st, r.q.get("fromImage").unwrap_or(""), r.q.get("tag").unwrap_or(""))?;
            Ok(json_messages(out))
        }
    }
}

/// `GET /images/{name}/json`.
pub(crate) fn inspect(st: &mut State, r: &Req) -> R {
    let name = r.p(0);
    let id = st.find_image(name).ok_or_else(|| crate::image::not_found(name))?;
    Ok(Reply::Json(200, image_inspect_for(st, &st.images[&id], r.api)))
}

/// `GET /images/{name}/history`.
pub(crate) fn history(st: &mut State, r: &Req) -> R {
    let name = r.p(0);
    let id = st.find_image(name).ok_or_else(|| crate::image::not_found(name))?;
    let img = &st.images[&id];
    let mut out: Vec<Value> = img
        .history
        .iter()
        .rev()
        .enumerate()
        .map(|(n, h)| json!({"Id": if n == 0 { img.id.clone() } else { "<missing>".to_string() }, "Created": h.created_ms / 1000, "CreatedBy": h.created_by, "Tags": if n == 0 { json!(st.tags_of(&id)) } else { Value::Null }, "Size": h.size, "Comment": h.comment}))
        .collect();
    if out.is_empty() {
        out.push(json!({"Id": img.id, "Created": img.created_ms / 1000, "CreatedBy": "", "Tags": st.tags_of(&id), "Size": img.size, "Comment": ""}));
    }
    Ok(Reply::Json(200, json!(out)))
}

/// `POST /images/{name}/tag`.
pub(crate) fn tag(st: &mut State, r: &Req) -> R {
    crate::image::tag(st, r.p(0), r.q.get("repo").unwrap_or(""), r.q.get("tag").unwrap_or(""))?;
    Ok(Reply::Empty(201))
}

/// `POST /images/{name}/push`: as the user `X-Registry-Auth` names.
pub(crate) fn push(st: &mut State, r: &Req) -> R {
    let user = r
        .headers
        .get(dockhand::headers::X_REGISTRY_AUTH)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::URL_SAFE
                .decode(h.trim())
                .or_else(|_| base64::engine::general_purpose::STANDARD.decode(h.trim()))
                .ok()?;
            let v: Value = serde_json::from_slice(&bytes).ok()?;
            v.get("username").and_then(Value::as_str).map(String::from)
        })
        .filter(|u| !u.is_empty());
    let out = crate::image::registry::push(st, r.p(0), r.q.get("tag").unwrap_or(""), user)?;
    Ok(json_messages(out))
}

/// What removing or pruning did, as the API lists it.
fn removed_json(removed: Vec<Removed>) -> Vec<Value> {
    removed
        .into_iter()
        .map(|x| match x {
            Removed::Untagged(t) => json!({"Untagged": t}),
            Removed::Deleted(id) => json!({"Deleted": id}),
        })
        .collect()
}

/// `DELETE /images/{name}`.
pub(crate) fn remove(st: &mut State, r: &Req) -> R {
    let removed = crate::image::remove(st, r.p(0), r.q.flag("force"))?;
    Ok(Reply::Json(200, json!(removed_json(removed))))
}

/// `POST /images/prune`: `dangling=false` prunes tagged images too.
pub(crate) fn prune(st: &mut State, r: &Req) -> R {
    let filters = r.q.filters()?;
    let all = filters.get("dangling").is_some_and(|d| d.iter().any(|v| v == "false" || v == "0"));
    let (removed, reclaimed) = crate::image::prune(st, all);
    let deleted = removed_json(removed);
    Ok(Reply::Json(
        200,
        json!({"ImagesDeleted": if deleted.is_empty() { Value::Null } else { json!(deleted) }, "SpaceReclaimed": reclaimed}),
    ))
}

/// `GET /images/get?names=`: `docker save` of several images.
pub(crate) fn save_many(st: &mut State, r: &Req) -> R {
    save(st, &r.q.all("names"))
}

/// `GET /images/{name}/get`: `docker save` of one image.
pub(crate) fn save_one(st: &mut State, r: &Req) -> R {
    save(st, &[r.p(0).to_string()])
}

#[cfg(feature = "image-archives")]
fn save(st: &mut State, names: &[String]) -> R {
    let tar = crate::image::archive::save(st, names)?;
    Ok(archive_stream(tar))
}

/// `POST /images/load`: `docker load`.
#[cfg(feature = "image-archives")]
pub(crate) fn load(st: &mut State, r: &Req) -> R {
    let lines = match crate::image::archive::load(st, r.body, r.q.flag("quiet")) {
        Ok(lines) => lines,
        Err(e) => vec![json!({"errorDetail": {"message": e}, "error": e})],
    };
    let text: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
    Ok(json_messages(text.into_bytes()))
}

#[cfg(feature = "image-archives")]
fn import(st: &mut State, r: &Req) -> R {
    let q = r.q;
    let changes = q.all("changes");
    let (repo, tag, message) =
        (q.get("repo").unwrap_or(""), q.get("tag").unwrap_or(""), q.get("message").unwrap_or(""));
    let status = crate::image::archive::import(st, &changes, repo, tag, message, r.body)?;
    Ok(json_messages(format!("{status}\r\n").into_bytes()))
}

/// Without the `image-archives` feature (the browser build) the archive
/// endpoints answer 501 and say why.
#[cfg(not(feature = "image-archives"))]
fn archives_left_out(what: &str) -> R {
    Err(err(501, format!("docker {what}: image archives are not part of this build of the simulated engine")))
}

#[cfg(not(feature = "image-archives"))]
fn save(_: &mut State, names: &[String]) -> R {
    archives_left_out(&format!("save {}", names.join(" ")))
}

/// `POST /images/load`: `docker load`.
#[cfg(not(feature = "image-archives"))]
pub(crate) fn load(_: &mut State, _: &Req) -> R {
    archives_left_out("load")
}

#[cfg(not(feature = "image-archives"))]
fn import(_: &mut State, _: &Req) -> R {
    archives_left_out("import")
}

/// `GET /images/search`: the registry's repositories whose name holds
/// `term`, with the filters `is-official`, `is-automated` and `stars`, at
/// most `limit` (25 by default, as Docker Hub).
pub(crate) fn search(st: &mut State, r: &Req) -> R {
    let q = r.q;
    let term = q.get("term").unwrap_or("");
    let f = q.filters()?;
    let flag = |key: &str, value: bool| f.get(key).is_none_or(|want| want.iter().all(|w| (w == "true") == value));
    let min_stars: i64 = f.get("stars").and_then(|s| s.iter().filter_map(|n| n.parse().ok()).max()).unwrap_or(0);
    let limit = q.get("limit").and_then(|l| l.parse::<usize>().ok()).filter(|l| (1..=100).contains(l)).unwrap_or(25);
    let out: Vec<Value> = crate::image::registry::search(st, term)
        .filter(|(_, official, stars)| flag("is-official", *official) && flag("is-automated", false) && *stars >= min_stars)
        .take(limit)
        .map(|(r, official, stars)| json!({"name": r, "description": format!("{r} (simulated Docker Hub)"), "star_count": stars, "is_official": official, "is_automated": false}))
        .collect();
    Ok(Reply::Json(200, json!(out)))
}
