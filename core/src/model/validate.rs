//! Local checks run on request bodies before anything is sent, so a bad IBAN or an
//! over-long message fails fast with a clear [`ErrorKind::InvalidInput`](crate::ErrorKind)
//! instead of a round trip to the bank.

use crate::domain::iban::Iban;
use crate::domain::reference::Reference;
use crate::error::{Error, Result};

/// Checks that `value` holds between `min` and `max` characters (Unicode scalar values, not
/// bytes: `ä` and emoji count as one, as in OP's schema).
pub(crate) fn char_len(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    let len = value.chars().count();
    if len < min || len > max {
        return Err(Error::invalid_input(format!(
            "{field} must be {min}..{max} characters, got {len}"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_input(format!(
            "{field} must not contain control characters"
        )));
    }
    Ok(())
}

/// Checks an `instructionId`: 1..35 ASCII letters and digits (`^[a-zA-Z0-9]{1,35}$`).
pub(crate) fn instruction_id(value: &str) -> Result<()> {
    if value.is_empty() || value.len() > 35 || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid_input(format!(
            "instructionId must be 1..35 letters or digits (a-z, A-Z, 0-9), got {value:?}"
        )));
    }
    Ok(())
}

/// Checks an `endToEndId` against OP's pattern `^[0-9A-Za-z-åäöÅÄÖ_=:.,+]{1,35}$`.
pub(crate) fn end_to_end_id(value: &str) -> Result<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-åäöÅÄÖ_=:.,+".contains(c);
    let len = value.chars().count();
    if len == 0 || len > 35 || !value.chars().all(allowed) {
        return Err(Error::invalid_input(format!(
            "endToEndId must be 1..35 characters of 0-9 A-Z a-z åäöÅÄÖ - _ = : . , +, got {value:?}"
        )));
    }
    Ok(())
}

/// Checks that an IBAN is valid and written in electronic form (no spaces, upper case), the
/// form OP's schema takes. Builders normalise caller input to that form first.
pub(crate) fn iban(field: &str, value: &str) -> Result<()> {
    let parsed = normalise_iban(field, value)?;
    if parsed != value {
        return Err(Error::invalid_input(format!(
            "{field} must be written without spaces in upper case: {parsed}"
        )));
    }
    Ok(())
}

/// Parses an IBAN (spaces and lower case allowed) into its electronic form.
pub(crate) fn normalise_iban(field: &str, value: &str) -> Result<String> {
    Iban::parse(value)
        .map(|iban| iban.as_str().to_owned())
        .map_err(|e| Error::invalid_input(format!("{field}: {}", e.message())))
}

/// Checks a structured creditor reference (Finnish viitenumero, zero padding allowed, or RF)
/// written without spaces in upper case.
pub(crate) fn reference(value: &str) -> Result<()> {
    let parsed = normalise_reference(value)?;
    if value.chars().any(|c| c.is_whitespace() || c.is_lowercase()) {
        return Err(Error::invalid_input(format!(
            "reference must be written without spaces in upper case: {parsed}"
        )));
    }
    Ok(())
}

/// Parses a Finnish or RF reference (spaces, lower case, zero padding allowed) into its
/// electronic form.
pub(crate) fn normalise_reference(value: &str) -> Result<String> {
    Reference::parse(value)
        .map(|r| r.as_str().to_owned())
        .map_err(|e| Error::invalid_input(format!("reference: {}", e.message())))
}

/// Checks a currency: payments and refunds are euro only (`EUR`).
pub(crate) fn euro(value: &str) -> Result<()> {
    if value != "EUR" {
        return Err(Error::invalid_input(format!(
            "currency must be EUR (OP corporate payments are SEPA euro payments), got {value:?}"
        )));
    }
    Ok(())
}
