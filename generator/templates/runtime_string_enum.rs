
/// Decodes a string, borrowed from the input when it can be (a known
/// enum value then allocates nothing; `Cow<str>`'s own `Deserialize`
/// always copies). One visitor for every enum.
pub fn read_str<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    struct Text;
    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = std::borrow::Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Borrowed(value))
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(value.to_owned()))
        }
        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(value))
        }
    }
    deserializer.deserialize_str(Text)
}

/// The impls every open string enum has: `KNOWN`, `as_str`, `is_known`,
/// `Display`, `From<&str>`, `FromStr` and serde (unknown values decode into
/// the catch-all variant). Used by the `types` module as
/// `string_enum!(Name, Unknown, 2, [A = "a", B = "b"])`.
// With per-tag features, a build may enable no type that uses it.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($(#[$attr:meta])* $name:ident, $unknown:ident, $count:literal, [$($variant:ident = $wire:literal),* $(,)?]) => {
        $(#[$attr])*
        impl $name {
            /// Every value known when the client was generated.
            pub const KNOWN: [Self; $count] = [$(Self::$variant),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value,
                }
            }

            /// Whether this is a value the client knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::$unknown(_))
            }
        }

        $(#[$attr])*
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $(#[$attr])*
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$unknown(::std::string::ToString::to_string(other)),
                }
            }
        }

        $(#[$attr])*
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        $(#[$attr])*
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        $(#[$attr])*
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = super::runtime::read_str(deserializer)?;
                ::std::result::Result::Ok(Self::from(&*value))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

