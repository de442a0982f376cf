
/// The impls every open integer enum has: `KNOWN`, `value`, `is_known`,
/// `Display`, `From<i64>` and serde. Used as
/// `int_enum!(Name, Unknown, 2, [V1 = 1, V2 = 2])`.
// With per-tag features, a build may enable no type that uses it.
#[allow(unused_macros)]
macro_rules! int_enum {
    ($(#[$attr:meta])* $name:ident, $unknown:ident, $count:literal, [$($variant:ident = $value:literal),* $(,)?]) => {
        $(#[$attr])*
        impl $name {
            /// Every value known when the client was generated.
            pub const KNOWN: [Self; $count] = [$(Self::$variant),*];

            /// The value as it appears on the wire.
            pub fn value(self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$unknown(value) => value,
                }
            }

            /// Whether this is a value the client knows.
            pub fn is_known(self) -> bool {
                !matches!(self, Self::$unknown(_))
            }
        }

        $(#[$attr])*
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        $(#[$attr])*
        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::$unknown(other),
                }
            }
        }

        $(#[$attr])*
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        $(#[$attr])*
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use int_enum;

