/// Declares a string enum that keeps values it does not know.
///
/// ```ignore
/// string_enum! {
///     /// Doc.
///     pub enum Color { Red = "red", Blue = "blue" }
/// }
/// ```
/// gives `Color::Red`, `Color::Blue`, `Color::Unknown(String)`, with
/// `as_str`, `Display`, `From<&str>`, `FromStr`, serde in both directions and
/// `Default` (the empty unknown value, which a missing field decodes to).
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of dockhand does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Unknown(s) => s,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::default::Default for $name {
            fn default() -> Self {
                $name::Unknown(String::new())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::from(s))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // `null` becomes the empty unknown value, like a missing field.
                let s: Option<::std::borrow::Cow<'de, str>> = ::serde::Deserialize::deserialize(d)?;
                Ok(s.map(|s| $name::from(&*s)).unwrap_or_default())
            }
        }
    };
}

/// Declares a typed filter set for a list or prune endpoint: a wrapper of
/// [`Filters`](crate::Filters) with one method per filter the endpoint
/// knows, plus `other` for the rest.
///
/// A filter takes `impl Into<String>`, or, with `(arg: Type) => text`, a
/// typed value and how it is spelt in the query.
///
/// ```ignore
/// typed_filters! {
///     /// Doc.
///     pub struct NetworkFilters {
///         /// Networks with this label.
///         label = "label",
///         /// Only swarm-scoped networks (`true`) or only the others.
///         is_swarm = "scope" (yes: bool) => if yes { "swarm" } else { "local" },
///     }
/// }
/// ```
macro_rules! typed_filters {
    (@method $(#[$fmeta:meta])* $method:ident $key:literal) => {
        $(#[$fmeta])*
        pub fn $method(mut self, value: impl Into<String>) -> Self {
            self.0.push($key, value);
            self
        }
    };
    (@method $(#[$fmeta:meta])* $method:ident $key:literal ($arg:ident : $ty:ty) => $text:expr) => {
        $(#[$fmeta])*
        pub fn $method(mut self, $arg: $ty) -> Self {
            self.0.push($key, $text);
            self
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $method:ident = $key:literal $( ($arg:ident : $ty:ty) => $text:expr )?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name($crate::Filters);

        impl $name {
            /// No filters: everything.
            pub fn new() -> Self {
                Self::default()
            }

            $(
                typed_filters!(@method $(#[$fmeta])* $method $key $( ($arg: $ty) => $text )?);
            )*

            /// Any other filter, as the API spells it.
            pub fn other(mut self, key: &str, value: impl Into<String>) -> Self {
                self.0.push(key, value);
                self
            }

            /// The filters as sent.
            pub fn filters(&self) -> &$crate::Filters {
                &self.0
            }
        }

        impl ::std::convert::From<$name> for $crate::Filters {
            fn from(f: $name) -> $crate::Filters {
                f.0
            }
        }
    };
}
