//! A deserializer adapter that reads every struct from a JSON object only.
//!
//! serde's derived `Deserialize` for a struct accepts two forms: an object
//! (`visit_map`) and an array of the fields in order (`visit_seq`), and
//! serde_json's `deserialize_struct` dispatches on the first byte, so both
//! are compiled for every model. The Engine API never sends a struct as an
//! array. [`ObjectsOnly`] forwards every request to the deserializer it
//! wraps, except that a struct is asked for as a map: the sequence form of
//! each model's visitor is then never instantiated. That is about 40% less
//! decoding code per model (measured on a 60-field struct compiled for
//! wasm32: 18.3 KB to 10.4 KB), which matters most for the playground's
//! WebAssembly module.
//!
//! The adapter wraps each value's deserializer on the way down (through the
//! visitor, map, sequence, enum and seed wrappers below), so nested models
//! are read the same way. Nothing else changes: the values, the errors and
//! their line and column are serde_json's own.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

/// A [`Deserializer`] that reads structs as maps; see the [module docs](self).
pub(crate) struct ObjectsOnly<D>(pub D);

/// Forwards `deserialize_*` methods that take only a visitor.
macro_rules! forward {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Visiting(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectsOnly<D> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // In the browser (wasm32) the SDK talks to the built-in engine only,
        // which writes no null objects: each model's second visitor (for
        // `null`) would cost the playground's module ~3 KB of brotli.
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.deserialize_option(Struct(visitor));
        #[cfg(target_arch = "wasm32")]
        return self.0.deserialize_map(Visiting(visitor));
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Visiting(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Visiting(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Visiting(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Visiting(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Visiting(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A visitor whose nested deserializers and accessors are wrapped.
struct Visiting<V>(V);

/// Forwards `visit_*` methods of plain values.
macro_rules! forward_values {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visiting<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_values! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64) visit_i128(i128)
        visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64) visit_u128(u128) visit_f32(f32) visit_f64(f64)
        visit_char(char) visit_str(&str) visit_borrowed_str(&'de str) visit_string(String)
        visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(ObjectsOnly(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(ObjectsOnly(d))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Elements(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Entries(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Variants(data))
    }
}

/// A struct's visitor, asked for as an option: `null` (Go's nil struct
/// pointer, which daemons send for an absent object, e.g. Podman's
/// `NetworkSettings`) is read as an empty object, so the model's
/// `#[serde(default)]` fields apply; anything else is asked for as a map,
/// so any other form (an array, a string) is refused with serde_json's own
/// "invalid type" error and position, and the visitor's sequence form is
/// never instantiated.
#[cfg(not(target_arch = "wasm32"))]
struct Struct<V>(V);

#[cfg(not(target_arch = "wasm32"))]
impl<'de, V: Visitor<'de>> Visitor<'de> for Struct<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        // `{}`, read by the deserializer type response bodies are read with
        // (a slice), so that each model's `visit_map` is compiled once for
        // both, not a second time for an empty map of a type of its own.
        let mut empty = serde_json::Deserializer::from_slice(b"{}");
        de::Deserializer::deserialize_map(&mut empty, Visiting(self.0)).map_err(null_error)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_map(Visiting(self.0))
    }
}

/// A seed whose deserializer is wrapped.
struct Seeded<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seeded<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(ObjectsOnly(d))
    }
}

/// The elements of a sequence, each read through [`ObjectsOnly`].
struct Elements<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Elements<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seeded(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// The error of a `null` read as `{}` (a required field): its message,
/// without the position in `{}` (serde_json adds the position in the body).
/// Generic over the error type only, so compiled once, not per model.
#[cfg(not(target_arch = "wasm32"))]
fn null_error<E: de::Error>(e: serde_json::Error) -> E {
    let text = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    E::custom(text.strip_suffix(&at).unwrap_or(&text))
}

/// The entries of a map (or a struct's fields), each read through
/// [`ObjectsOnly`].
struct Entries<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Entries<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seeded(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seeded(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// An enum's variant tag and content, read through [`ObjectsOnly`].
struct Variants<A>(A);

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Variants<A> {
    type Error = A::Error;
    type Variant = Variants<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant), A::Error> {
        self.0.variant_seed(Seeded(seed)).map(|(value, variant)| (value, Variants(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variants<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seeded(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Visiting(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Visiting(visitor))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "Size", default)]
        size: Option<u64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Plain,
        Sized(u64),
        Pair(u8, u8),
        Named { x: i32 },
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        #[serde(rename = "Id")]
        id: String,
        #[serde(rename = "Inner")]
        inner: Inner,
        #[serde(rename = "List", default)]
        list: Vec<Inner>,
        #[serde(rename = "Maybe", default)]
        maybe: Option<Inner>,
        #[serde(rename = "Labels", default)]
        labels: BTreeMap<String, String>,
        #[serde(rename = "Kinds", default)]
        kinds: Vec<Kind>,
        #[serde(rename = "Tuple", default)]
        tuple: Option<(String, i64)>,
        #[serde(rename = "Bytes", default)]
        bytes: Option<f64>,
    }

    fn decode<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, serde_json::Error> {
        T::deserialize(ObjectsOnly(&mut serde_json::Deserializer::from_str(json)))
    }

    #[test]
    fn reads_what_serde_json_reads_from_objects() {
        let json = r#"{"Id":"a","Inner":{"Name":"n","Size":3,"Unknown":[1,{"x":null}]},
            "List":[{"Name":"l1"},{"Name":"l2","Size":null}],"Maybe":{"Name":"m"},
            "Labels":{"k":"v"},"Kinds":["plain",{"sized":7},{"pair":[1,2]},{"named":{"x":-1}}],
            "Tuple":["t",-5],"Bytes":1.5}"#;
        let ours: Outer = decode(json).unwrap();
        let theirs: Outer = serde_json::from_str(json).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.list[1], Inner { name: "l2".into(), size: None });
        assert_eq!(ours.kinds[3], Kind::Named { x: -1 });
        let value: serde_json::Value = decode(json).unwrap();
        assert_eq!(value, serde_json::from_str::<serde_json::Value>(json).unwrap());
    }

    /// Go writes a nil struct pointer as `null`: the model's defaults, as
    /// for `{}`, at the top and nested; `null` for an `Option` stays `None`.
    #[test]
    fn null_for_a_struct_is_its_defaults() {
        #[derive(Debug, Deserialize, PartialEq, Default)]
        #[serde(default)]
        struct Settings {
            #[serde(rename = "Ports")]
            ports: Vec<u16>,
            #[serde(rename = "Mode")]
            mode: String,
        }
        #[derive(Debug, Deserialize, PartialEq, Default)]
        #[serde(default)]
        struct Summary {
            #[serde(rename = "Id")]
            id: String,
            #[serde(rename = "NetworkSettings")]
            settings: Settings,
            #[serde(rename = "Maybe")]
            maybe: Option<Settings>,
        }
        let s: Summary = decode(r#"{"Id":"a","NetworkSettings":null,"Maybe":null}"#).unwrap();
        assert_eq!(s, Summary { id: "a".into(), ..Summary::default() });
        assert_eq!(decode::<Settings>("null").unwrap(), Settings::default());
        let list: Vec<Summary> = decode(r#"[{"NetworkSettings":null},null]"#).unwrap();
        assert_eq!(list, vec![Summary::default(), Summary::default()]);
        // A string is still no struct.
        assert!(decode::<Settings>(r#""x""#).unwrap_err().to_string().contains("invalid type: string"));
        // `null` for a struct with a required field: the field's name, at
        // the `null`'s place in the body (not a place in `{}`).
        let err = decode::<Outer>("{\"Id\":\"a\",\n\"Inner\": null}").unwrap_err();
        assert_eq!(err.to_string(), "missing field `Name` at line 2 column 14");
    }

    #[test]
    fn a_struct_written_as_an_array_is_refused_with_serde_jsons_position() {
        let err = decode::<Inner>(r#"["n", 3]"#).unwrap_err();
        assert!(err.to_string().contains("invalid type: sequence"), "{err}");
        assert_eq!(err.line(), 1, "{err}");
        let nested = decode::<Outer>("{\"Id\":\"a\",\n\"Inner\":[\"n\"]}").unwrap_err();
        assert_eq!(nested.line(), 2, "{nested}");
        // The same bad value inside an object: serde_json's own message.
        let bad = decode::<Inner>(r#"{"Name": 5}"#).unwrap_err();
        let theirs = serde_json::from_str::<Inner>(r#"{"Name": 5}"#).unwrap_err();
        assert_eq!(bad.to_string(), theirs.to_string());
    }
}
