//! The event log (`docker events`).

use crate::state::*;

impl State {
    /// Records an event.
    pub fn event(&mut self, typ: &str, action: &str, id: &str, attrs: &[(&str, String)]) {
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
