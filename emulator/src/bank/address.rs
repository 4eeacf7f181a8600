//! Postal addresses in payment bodies: structured, hybrid or unstructured, checked against
//! the EPC rulebook rules that apply to SEPA credit transfers and SEPA Instant from November
//! 2026 (see ASSUMPTIONS.md, "Payments").
//!
//! The structured field names (`streetName`, `buildingNumber`, `postCode`, `townName`) are
//! ISO 20022's element names camel-cased: an inference, OP's names are not in evidence.

use serde_json::Value;

use super::Response;
use super::body::{Object, check_len, opt_str};
use super::errors::invalid;
use super::quirks::UnstructuredAddresses;

/// Structured fields and their ISO 20022 maximum lengths.
const FIELDS: [(&str, usize); 4] = [
    ("streetName", 70),
    ("buildingNumber", 16),
    ("postCode", 16),
    ("townName", 35),
];

/// Most lines next to structured fields (hybrid form).
const HYBRID_LINES: usize = 2;
/// Most lines of an unstructured address.
const UNSTRUCTURED_LINES: usize = 3;

/// Checks the `address` object of the party at `party` (e.g. `creditor`).
pub(super) fn check(
    address: &Object,
    party: &str,
    unstructured: UnstructuredAddresses,
) -> Result<(), Response> {
    let field = |name: &str| format!("{party}.address.{name}");
    let country = opt_str(address, "country")
        .map_err(|_| invalid(format!("field `{}` must be a string", field("country"))))?;
    if let Some(country) = country
        && (country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Err(invalid(format!(
            "field `{}` must be an ISO 3166 alpha-2 code",
            field("country")
        )));
    }
    let mut structured = false;
    for (name, max) in FIELDS {
        let value = opt_str(address, name)
            .map_err(|_| invalid(format!("field `{}` must be a string", field(name))))?;
        if let Some(value) = value {
            check_len(&field(name), value, 1, max)?;
            structured = true;
        }
    }
    let lines = match address.get("addressLine") {
        None | Some(Value::Null) => 0,
        Some(Value::Array(lines))
            if lines.iter().all(|l| {
                l.as_str()
                    .is_some_and(|s| (1..=70).contains(&s.chars().count()))
            }) =>
        {
            lines.len()
        }
        Some(_) => {
            return Err(invalid(format!(
                "field `{}` must be an array of strings of 1..70 characters",
                field("addressLine")
            )));
        }
    };
    if structured || lines == 0 {
        if opt_str(address, "townName").ok().flatten().is_none() || country.is_none() {
            return Err(invalid(format!(
                "fields `{}` and `{}` are required in a structured or hybrid address",
                field("townName"),
                field("country")
            )));
        }
        if lines > HYBRID_LINES {
            return Err(invalid(format!(
                "field `{}` may hold at most {HYBRID_LINES} lines next to structured fields",
                field("addressLine")
            )));
        }
        return Ok(());
    }
    if unstructured == UnstructuredAddresses::Refused {
        return Err(invalid(format!(
            "field `{}` is unstructured (address lines only); SEPA payments need a structured \
             or hybrid address with `townName` and `country`",
            field("addressLine")
        )));
    }
    if lines > UNSTRUCTURED_LINES {
        return Err(invalid(format!(
            "field `{}` must be an array of at most {UNSTRUCTURED_LINES} strings",
            field("addressLine")
        )));
    }
    Ok(())
}
