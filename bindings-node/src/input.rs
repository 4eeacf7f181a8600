//! Arguments from JS into core values: request objects arrive as JSON text (the JS layer
//! turns `bigint` minor units into decimal strings first), dates as `YYYY-MM-DD` strings.
//! Payment and refund amounts are checked by core's strict rule while the request is decoded
//! (a JS number or `"1e3"` is refused there); reconcile input refuses JS numbers for money
//! here, because core reads those leniently and a JS number cannot hold every decimal.

use opcorp::{Amount, Error, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// Decodes a request object sent as JSON text into the core type `T`.
pub fn parse<T: DeserializeOwned>(what: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::invalid_input(format!("invalid {what}: {e}")))
}

/// Decodes JSON text whose money fields must not be JS numbers (reconcile items and
/// payments), as a [`Value`].
pub fn parse_without_number_money(what: &str, json: &str) -> Result<Value> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Error::invalid_input(format!("{what} is not JSON: {e}")))?;
    refuse_number_money(what, &value)?;
    Ok(value)
}

/// Fails when a field named like an amount holds a JSON number instead of a decimal string.
fn refuse_number_money(what: &str, value: &Value) -> Result<()> {
    match value {
        Value::Object(map) => {
            for (key, field) in map {
                if field.is_number() && key.to_ascii_lowercase().ends_with("amount") {
                    return Err(Error::invalid_input(format!(
                        "{what}: {key} is a JS number ({field}); money must be a decimal \
                         string such as \"12.50\" or a bigint of minor units such as 1250n"
                    )));
                }
                refuse_number_money(what, field)?;
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(|v| refuse_number_money(what, v)),
        _ => Ok(()),
    }
}

/// An exact amount from plain decimal text (signed; no exponent), for conversions and
/// search bounds. Money sent in a payment or refund is checked by the request's decoder.
pub fn amount(name: &str, text: &str) -> Result<Amount> {
    text.parse::<Amount>()
        .map_err(|e| Error::invalid_input(format!("{name}: {}", e.message())))
}

/// A calendar date written `YYYY-MM-DD`.
pub fn date(name: &str, text: &str) -> Result<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|e| {
        Error::invalid_input(format!(
            "{name} must be a date like 2026-01-31, got {text:?} ({e})"
        ))
    })
}

/// An RFC 3339 timestamp such as `2026-01-31T12:00:00Z` (what `Date.toISOString()` gives).
pub fn timestamp(name: &str, text: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|e| {
        Error::invalid_input(format!(
            "{name} must be an ISO 8601 timestamp with a zone, got {text:?} ({e})"
        ))
    })
}
