//! Arguments from JS into core values: request objects arrive as JSON text (the JS layer
//! turns `bigint` minor units into decimal strings first), dates as `YYYY-MM-DD` strings.
//! Payment and refund amounts are checked by core's strict rule while the request is decoded
//! (a JS number or `"1e3"` is refused there); reconcile input refuses JS numbers for money
//! in core's `snake_case_json`, because core reads those leniently and a JS number cannot
//! hold every decimal.

use opcorp::{Amount, Error, Result};
use serde::de::DeserializeOwned;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// Decodes a request object sent as JSON text into the core type `T`.
pub fn parse<T: DeserializeOwned>(what: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::invalid_input(format!("invalid {what}: {e}")))
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
