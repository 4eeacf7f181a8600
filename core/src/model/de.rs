//! Lenient serde helpers for OP's wire formats.
//!
//! OP's JSON is not always typed the way its docs say: ids such as `archiveId` sometimes
//! arrive as JSON numbers (20 digits, which a float would round), codes such as
//! `transactionTypeCode` appear both quoted and unquoted, and dates come in two formats.
//! These helpers read both forms exactly and always write the documented one.
//!
//! They go through [`serde_json::Value`] where numbers are involved: the workspace enables
//! serde_json's `arbitrary_precision`, under which a number buffered by `#[serde(flatten)]`
//! can only be read back through `Value`, never as a plain integer.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serializer};
use serde_json::Value;
use time::Date;

use crate::dates;

/// `YYYY-MM-DD`, the date format of transactions, payments and refunds.
const ISO_DATE: DateFormat = DateFormat {
    parse: dates::parse_iso_date,
    write: |date| date.to_string(),
    expected: "YYYY-MM-DD",
};
/// `dd.MM.yyyy`, the date format of Account Data's account details.
const FI_DATE: DateFormat = DateFormat {
    parse: dates::parse_fi_date,
    write: dates::format_fi_date,
    expected: "dd.MM.yyyy",
};

/// Turns a JSON string or number into its exact text, or explains what else it got.
fn text_of(value: Value, what: &str) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s),
        // With `arbitrary_precision` this is the number's original text, digit for digit.
        Value::Number(n) => Ok(n.to_string()),
        other => Err(format!(
            "expected {what} as a string or number, got {other}"
        )),
    }
}

/// A string field that some servers send as a JSON number (`archiveId`, codes).
pub mod string_or_number {
    use super::*;

    /// Reads a JSON string or number as its exact text.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        let value = Value::deserialize(deserializer)?;
        text_of(value, "an id").map_err(de::Error::custom)
    }

    /// Writes the text as a JSON string.
    pub fn serialize<S: Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value)
    }
}

/// An optional [`string_or_number`] field; `null` and a missing field are `None`.
pub mod opt_string_or_number {
    use super::*;

    /// Reads `null`, a JSON string or a JSON number.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(None),
            value => text_of(value, "an id").map(Some).map_err(de::Error::custom),
        }
    }

    /// Writes the text as a JSON string, or `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<String>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_none(),
        }
    }
}

/// Parses an integer from a JSON number or a numeric string, without going through a float.
fn integer_of<T: std::str::FromStr>(value: Value, what: &str) -> Result<T, String> {
    let text = text_of(value, what)?;
    text.trim()
        .parse()
        .map_err(|_| format!("expected {what} as an integer, got {text:?}"))
}

/// A signed integer such as `timestamp` (microseconds), as a JSON number or numeric string.
pub mod lenient_i64 {
    use super::*;

    /// Reads an `i64` exactly; fractions and out-of-range values are errors.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        integer_of(Value::deserialize(deserializer)?, "an integer").map_err(de::Error::custom)
    }

    /// Writes a JSON number.
    pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(*value)
    }
}

/// An optional [`lenient_i64`].
pub mod opt_lenient_i64 {
    use super::*;

    /// Reads `null`, a JSON number or a numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(None),
            value => integer_of(value, "an integer")
                .map(Some)
                .map_err(de::Error::custom),
        }
    }

    /// Writes a JSON number or `null`.
    pub fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.serialize_i64(*v),
            None => serializer.serialize_none(),
        }
    }
}

/// A count such as the filter's `skipped`, as a JSON number or numeric string.
pub mod lenient_u64 {
    use super::*;

    /// Reads a `u64` exactly; negative numbers and fractions are errors.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        integer_of(Value::deserialize(deserializer)?, "a count").map_err(de::Error::custom)
    }

    /// Writes a JSON number.
    pub fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(*value)
    }
}

/// Reads money a user sends in a request model by the strict rule
/// ([`Amount::parse_input`](crate::domain::amount::Amount::parse_input)): only a JSON string
/// holding a plain decimal; a bare JSON number (`1e2`, `100.5`) is refused because its text
/// is whatever the sender's float printer made of it. The error names `field`.
fn strict_amount<'de, D: Deserializer<'de>>(
    field: &str,
    deserializer: D,
) -> Result<crate::domain::amount::Amount, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => crate::domain::amount::Amount::parse_input_field(field, &text)
            .map_err(|e| de::Error::custom(e.message())),
        other => Err(de::Error::custom(format!(
            "{field} must be a JSON string holding a decimal such as \"120.50\", not {}",
            json_kind(&other)
        ))),
    }
}

/// What a JSON value is, for errors about money (a number is shown, being short).
fn json_kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// Writes `"120.50"`; an amount OP would refuse (zero, negative, over two decimals) is an
/// error rather than a silently rounded value.
fn payment_string<S: Serializer>(
    amount: &crate::domain::amount::Amount,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = amount
        .to_payment_string()
        .map_err(|e| serde::ser::Error::custom(e.message()))?;
    serializer.serialize_str(&text)
}

/// A payment's `instructedAmount.amount`: read by the strict input rule, written as OP's
/// schema demands (`^\d{1,13}\.\d{2}$`).
pub mod payment_amount {
    use super::*;
    use crate::domain::amount::Amount;

    /// Reads a plain decimal string; anything else names `instructedAmount.amount`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        strict_amount("instructedAmount.amount", deserializer)
    }

    /// Writes `"120.50"`.
    pub fn serialize<S: Serializer>(amount: &Amount, serializer: S) -> Result<S::Ok, S::Error> {
        payment_string(amount, serializer)
    }
}

/// A refund's `amount`: read by the strict input rule, written as `"49.00"`.
pub mod refund_amount {
    use super::*;
    use crate::domain::amount::Amount;

    /// Reads a plain decimal string; anything else names `amount`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        strict_amount("amount", deserializer)
    }

    /// Writes `"49.00"`.
    pub fn serialize<S: Serializer>(amount: &Amount, serializer: S) -> Result<S::Ok, S::Error> {
        payment_string(amount, serializer)
    }
}

/// One date text form: its reader and writer (`crate::dates`) and its name for errors.
#[derive(Clone, Copy)]
struct DateFormat {
    parse: fn(&str) -> Option<Date>,
    write: fn(Date) -> String,
    expected: &'static str,
}

/// Visits a date string in one format, without allocating for borrowed input.
struct DateVisitor(DateFormat);

impl Visitor<'_> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a date as {}", self.0.expected)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
        (self.0.parse)(text).ok_or_else(|| {
            E::custom(format!(
                "invalid date {text:?}, expected {}",
                self.0.expected
            ))
        })
    }
}

/// Visits an optional date string (`null` → `None`).
struct OptDateVisitor(DateVisitor);

impl<'de> Visitor<'de> for OptDateVisitor {
    type Value = Option<Date>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self.0).map(Some)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        self.0.visit_str(text).map(Some)
    }
}

/// Writes a date as a JSON string.
fn write_date<S: Serializer>(
    date: &Date,
    format: DateFormat,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&(format.write)(*date))
}

macro_rules! date_modules {
    ($module:ident, $opt_module:ident, $format:ident, $expected:literal) => {
        #[doc = concat!("A date written as `", $expected, "`.")]
        pub mod $module {
            use super::*;

            #[doc = concat!("Reads a `", $expected, "` string.")]
            pub fn deserialize<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Date, D::Error> {
                deserializer.deserialize_str(DateVisitor($format))
            }

            #[doc = concat!("Writes a `", $expected, "` string.")]
            pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
                write_date(date, $format, serializer)
            }
        }

        #[doc = concat!("An optional date written as `", $expected, "`; `null` is `None`.")]
        pub mod $opt_module {
            use super::*;

            #[doc = concat!("Reads `null` or a `", $expected, "` string.")]
            pub fn deserialize<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Option<Date>, D::Error> {
                deserializer.deserialize_option(OptDateVisitor(DateVisitor($format)))
            }

            #[doc = concat!("Writes a `", $expected, "` string or `null`.")]
            pub fn serialize<S: Serializer>(
                date: &Option<Date>,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                match date {
                    Some(date) => write_date(date, $format, serializer),
                    None => serializer.serialize_none(),
                }
            }
        }
    };
}

date_modules!(iso_date, opt_iso_date, ISO_DATE, "YYYY-MM-DD");
date_modules!(fi_date, opt_fi_date, FI_DATE, "dd.MM.yyyy");

/// A UTC date-time written as RFC 3339 (`2024-06-01T00:00:00Z`), as the Transaction Filter
/// API takes it.
pub mod rfc3339 {
    use time::OffsetDateTime;

    use super::*;

    /// Reads an RFC 3339 date-time.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        dates::parse_rfc3339(&text)
            .ok_or_else(|| de::Error::custom(format!("invalid RFC 3339 date-time {text:?}")))
    }

    /// Writes an RFC 3339 date-time.
    pub fn serialize<S: Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = dates::format_rfc3339(*value).ok_or_else(|| {
            serde::ser::Error::custom(format!("{value} cannot be written as RFC 3339"))
        })?;
        serializer.serialize_str(&text)
    }
}

/// Declares a string enum whose unknown values are kept in an `Other(String)` variant, so a
/// value OP adds later survives a decode/encode round trip instead of failing the response.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this SDK does not know yet, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The value as OP spells it on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(text) => text,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $( $wire => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok($name::from(text.as_ref()))
            }
        }
    };
}

pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use time::macros::date;

    use super::*;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Probe {
        #[serde(with = "string_or_number")]
        id: String,
        #[serde(with = "lenient_i64")]
        ts: i64,
        #[serde(with = "iso_date")]
        day: Date,
        #[serde(default, with = "opt_fi_date")]
        fi: Option<Date>,
        #[serde(flatten)]
        extra: serde_json::Map<String, Value>,
    }

    #[test]
    fn twenty_digit_numbers_stay_exact_even_through_flatten() {
        let json = r#"{"id":20190521599956999617,"ts":1556139630605000,"day":"2019-05-21","fi":"29.11.2019","x":12345678901234567890123}"#;
        let probe: Probe = serde_json::from_str(json).unwrap();
        assert_eq!(probe.id, "20190521599956999617");
        assert_eq!(probe.ts, 1_556_139_630_605_000);
        assert_eq!(probe.day, date!(2019 - 05 - 21));
        assert_eq!(probe.fi, Some(date!(2019 - 11 - 29)));
        let out = serde_json::to_string(&probe).unwrap();
        assert_eq!(
            out,
            r#"{"id":"20190521599956999617","ts":1556139630605000,"day":"2019-05-21","fi":"29.11.2019","x":12345678901234567890123}"#
        );
    }

    #[test]
    fn bad_values_are_errors_not_panics() {
        for json in [
            r#"{"id":null,"ts":1,"day":"2019-05-21"}"#,
            r#"{"id":"1","ts":1.5,"day":"2019-05-21"}"#,
            r#"{"id":"1","ts":99999999999999999999,"day":"2019-05-21"}"#,
            r#"{"id":"1","ts":1,"day":"21.05.2019"}"#,
            r#"{"id":"1","ts":1,"day":"2019-02-30"}"#,
            r#"{"id":"1","ts":1,"day":"2019-05-21","fi":"2019-11-29"}"#,
        ] {
            assert!(
                serde_json::from_str::<Probe>(json).is_err(),
                "{json} accepted"
            );
        }
    }

    #[test]
    fn null_optional_date_is_none() {
        let probe: Probe =
            serde_json::from_str(r#"{"id":"7","ts":"42","day":"2024-06-01","fi":null}"#).unwrap();
        assert_eq!(probe.fi, None);
        assert_eq!(probe.ts, 42);
    }
}
