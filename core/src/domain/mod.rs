//! The Finnish payments domain: pure, no I/O, available in every build (including wasm32).

/// The text conversions every validated domain value shares: `FromStr` and `Deserialize`
/// go through the type's `parse` (so nothing unvalidated can be built from text), `Display`
/// and `Serialize` print its canonical `as_str()` form, and `Debug` shows `Type(value)`.
macro_rules! text_value {
    ($ty:ident) => {
        $crate::domain::text_value!($ty, derived_debug);

        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, concat!(stringify!($ty), "({})"), self.as_str())
            }
        }
    };
    ($ty:ident, derived_debug) => {
        impl ::std::str::FromStr for $ty {
            type Err = $crate::error::Error;
            fn from_str(text: &str) -> $crate::error::Result<Self> {
                $ty::parse(text)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let text = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                $ty::parse(&text).map_err(|e| ::serde::de::Error::custom(e.message()))
            }
        }
    };
}
pub(crate) use text_value;

pub mod amount;
pub mod barcode;
pub mod bic;
pub mod iban;
pub mod reference;
pub mod rf;
