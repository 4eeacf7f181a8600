//! Open items from tabular input (a CSV file, a spreadsheet): which header names mean which
//! field, and how a row's text becomes an [`OpenItem`]. The CLI's CSV reader and the
//! spreadsheet reader both go through [`open_item_from_row`], so both accept the same headers
//! and reject the same values.

use time::Date;

use super::{DEFAULT_CURRENCY, OpenItem};
use crate::domain::amount::Amount;
use crate::domain::reference::Reference;

/// The header names (lower-case, trimmed) accepted for each open item field, first the
/// canonical one.
pub mod headers {
    /// The caller's invoice or order id.
    pub const ID: &[&str] = &["id", "invoice"];
    /// The creditor reference.
    pub const REFERENCE: &[&str] = &["reference", "ref"];
    /// The amount due.
    pub const AMOUNT: &[&str] = &["amount"];
    /// The currency (default [`DEFAULT_CURRENCY`]).
    pub const CURRENCY: &[&str] = &["currency"];
    /// The due date, `YYYY-MM-DD`.
    pub const DUE: &[&str] = &["due", "due_date", "due date"];
}

/// Why a row is not an open item, and which field (its canonical header name) is at fault,
/// so the caller can point at a line or a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The canonical header of the faulty field (`"reference"`, `"amount"`, …).
    pub field: &'static str,
    /// What is wrong, e.g. `invalid amount "12,50": expected a decimal such as 120.50`.
    pub message: String,
}

impl FieldError {
    fn new(field: &'static [&'static str], message: impl Into<String>) -> Self {
        FieldError {
            field: field[0],
            message: message.into(),
        }
    }
}

/// Builds an open item from one row. `get` returns the first non-empty, trimmed value among
/// the given header names, or `None`.
pub fn open_item_from_row<'a>(
    get: impl Fn(&[&str]) -> Option<&'a str>,
) -> Result<OpenItem, FieldError> {
    use headers::{AMOUNT, CURRENCY, DUE, ID, REFERENCE};
    let id = get(ID).ok_or_else(|| FieldError::new(ID, "missing id"))?;
    let reference =
        get(REFERENCE).ok_or_else(|| FieldError::new(REFERENCE, "missing reference"))?;
    let reference =
        Reference::parse(reference).map_err(|e| FieldError::new(REFERENCE, e.message()))?;
    let amount = get(AMOUNT).ok_or_else(|| FieldError::new(AMOUNT, "missing amount"))?;
    let amount: Amount = amount
        .parse()
        .map_err(|e: crate::Error| FieldError::new(AMOUNT, e.message()))?;
    let due_date = get(DUE)
        .map(|d| {
            parse_iso_date(d).ok_or_else(|| {
                FieldError::new(DUE, format!("invalid date {d:?}: expected YYYY-MM-DD"))
            })
        })
        .transpose()?;
    Ok(OpenItem {
        id: id.to_owned(),
        reference,
        amount,
        currency: get(CURRENCY)
            .unwrap_or(DEFAULT_CURRENCY)
            .to_ascii_uppercase(),
        due_date,
    })
}

/// Parses `YYYY-MM-DD`.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    crate::dates::parse_iso_date(text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn row(pairs: &[(&str, &str)]) -> Result<OpenItem, FieldError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        open_item_from_row(|keys| {
            keys.iter()
                .filter_map(|k| map.get(*k))
                .map(String::as_str)
                .find(|v| !v.is_empty())
        })
    }

    #[test]
    fn reads_every_field_under_any_accepted_header() {
        let item = row(&[
            ("invoice", "INV-1"),
            ("ref", "1245"),
            ("amount", "120.50"),
            ("due date", "2026-03-01"),
            ("currency", "eur"),
        ])
        .unwrap();
        assert_eq!(item.id, "INV-1");
        assert_eq!(item.reference.as_str(), "1245");
        assert_eq!(item.amount.to_string(), "120.50");
        assert_eq!(item.currency, "EUR");
        assert_eq!(item.due_date.unwrap().to_string(), "2026-03-01");
    }

    #[test]
    fn names_the_faulty_field() {
        let bad_ref = row(&[("id", "1"), ("reference", "1246"), ("amount", "1")]).unwrap_err();
        assert_eq!(bad_ref.field, "reference");
        let bad_amount = row(&[("id", "1"), ("reference", "1245"), ("amount", "1,5")]).unwrap_err();
        assert_eq!(bad_amount.field, "amount");
        assert!(bad_amount.message.contains("1,5"), "{}", bad_amount.message);
        let bad_due = row(&[
            ("id", "1"),
            ("reference", "1245"),
            ("amount", "1"),
            ("due", "1.3.2026"),
        ])
        .unwrap_err();
        assert_eq!(bad_due.field, "due");
        assert_eq!(row(&[("reference", "1245")]).unwrap_err().field, "id");
    }
}
