//! The event log (`docker events`).

use std::collections::BTreeMap;

use crate::state::*;

impl State {
    /// Records an event.
    pub(crate) fn event(&mut self, typ: &str, action: &str, id: &str, attrs: &[(&str, String)]) {
        self.events.push(Event {
            typ: typ.into(),
            action: action.into(),
            actor_id: id.into(),
            attributes: crate::util::map_of(attrs.iter().map(|(k, v)| (k.to_string(), v.clone()))),
            time_ms: self.clock_ms,
        });
        if self.events.len() > 1000 {
            let n = self.events.len() - 1000;
            self.events.drain(..n);
            self.events_dropped += n as u64;
        }
    }
}

/// Whether event `e` passes the `docker events` filters `f`.
pub(crate) fn event_matches(e: &Event, f: &BTreeMap<String, Vec<String>>) -> bool {
    f.iter().all(|(k, vals)| {
        vals.is_empty()
            || vals.iter().any(|v| match k.as_str() {
                "type" => &e.typ == v,
                "event" | "action" => &e.action == v || e.action.starts_with(&format!("{v}:")),
                "container" => {
                    e.typ == "container" && (e.actor_id.starts_with(v.as_str()) || e.attributes.get("name") == Some(v))
                }
                "image" => e.attributes.get("image") == Some(v) || e.actor_id == *v,
                "network" => e.typ == "network" && (e.actor_id == *v || e.attributes.get("name") == Some(v)),
                "volume" => e.typ == "volume" && e.actor_id == *v,
                "label" => true,
                _ => true,
            })
    })
}
