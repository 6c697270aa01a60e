//! Filters, as list endpoints and `/events` take them: a JSON map from a
//! filter's name to the values it matches.

use std::collections::BTreeMap;

use serde::Serialize;

/// A set of filters, `{"label": ["a=b"], "type": ["container"]}`.
///
/// Typed filter builders ([`EventFilters`](crate::api::EventFilters), ...)
/// wrap one; [`Filters::add`] is the escape hatch for filters dockhand does
/// not model yet.
///
/// ```
/// use dockhand::Filters;
/// let f = Filters::new().add("label", "app=web").add("label", "tier=front");
/// assert_eq!(serde_json::to_string(&f)?, r#"{"label":["app=web","tier=front"]}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Filters(BTreeMap<String, Vec<String>>);

impl Filters {
    /// No filters.
    pub fn new() -> Self {
        Filters::default()
    }

    /// Adds a value to filter `key`.
    pub fn add(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.push(key, value);
        self
    }

    /// Adds a value to filter `key`, in place.
    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.0.entry(key.into()).or_default().push(value.into());
    }

    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values of filter `key`.
    pub fn get(&self, key: &str) -> &[String] {
        self.0.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every filter and its values.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }
}

impl<'de> serde::Deserialize<'de> for Filters {
    /// Reads both forms daemons accept: `{"k":["v"]}` and the older
    /// `{"k":{"v":true}}`.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Values {
            List(Vec<String>),
            Map(BTreeMap<String, bool>),
        }
        let raw = BTreeMap::<String, Values>::deserialize(d)?;
        Ok(Filters(
            raw.into_iter()
                .map(|(k, v)| {
                    let values = match v {
                        Values::List(l) => l,
                        Values::Map(m) => m.into_iter().filter(|(_, on)| *on).map(|(v, _)| v).collect(),
                    };
                    (k, values)
                })
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_forms() {
        let a: Filters = serde_json::from_str(r#"{"label":["x"],"dangling":{"true":true,"false":false}}"#).unwrap();
        assert_eq!(a.get("label"), ["x"]);
        assert_eq!(a.get("dangling"), ["true"]);
        assert!(a.get("none").is_empty());
    }
}
