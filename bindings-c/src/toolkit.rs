//! The Finnish domain toolkit: creditor references (Finnish and RF), IBANs, BICs, amounts
//! and virtual bank barcodes. Pure functions: no client, no network.

use std::ffi::c_char;

use opcorp::domain::barcode::VirtualBarcode;
use opcorp::domain::bic::Bic;
use opcorp::domain::iban::Iban;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;
use opcorp::{Amount, Error};
use serde_json::json;

use crate::record::{self, opcorp_record};
use crate::status::opcorp_status;
use crate::{guard, strings};

/// Runs a text-to-text toolkit function behind the boundary.
///
/// # Safety
/// `input` must be NULL or NUL-terminated; `out` NULL or writable.
unsafe fn text_to_text(
    input: *const c_char,
    name: &str,
    out: *mut *mut c_char,
    convert: impl FnOnce(&str) -> Result<Option<String>, Error>,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let input = unsafe { strings::arg(input, name) }?;
        if let Some(text) = convert(input)? {
            *slot = strings::owned(text)?;
        }
        Ok(())
    })
}

/// Validates a creditor reference in any form (Finnish with or without spaces and zero
/// padding, or RF) and writes its electronic form ("1232", "RF18539007547034").
/// OPCORP_INVALID_INPUT when it is not a valid reference.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reference_normalize(
    reference: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(reference, "reference", out, |r| {
            Ok(Some(Reference::parse(r)?.as_str().to_owned()))
        })
    }
}

/// Writes a reference's paper form ("12 34561", "RF18 5390 0754 7034").
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reference_grouped(
    reference: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(reference, "reference", out, |r| {
            Ok(Some(Reference::parse(r)?.grouped()))
        })
    }
}

/// Writes a Finnish reference zero-padded to 20 digits, as OP lists it in transactions.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reference_padded(
    reference: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(reference, "reference", out, |r| {
            Ok(Some(FinnishReference::parse(r)?.padded()))
        })
    }
}

/// Builds a Finnish reference from a base of 3 to 19 digits by appending the 7-3-1 check
/// digit ("123" gives "1232").
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reference_generate(
    base: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(base, "base", out, |b| {
            Ok(Some(FinnishReference::generate(b)?.as_str().to_owned()))
        })
    }
}

/// Builds an RF reference from a body (letters and digits) by computing its check digits.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_rf_generate(
    body: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(body, "body", out, |b| {
            Ok(Some(RfReference::generate(b)?.as_str().to_owned()))
        })
    }
}

/// Converts a Finnish reference into its RF form ("1232" gives "RF921232"... with the
/// computed check digits).
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_rf_from_finnish(
    reference: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(reference, "reference", out, |r| {
            let finnish = FinnishReference::parse(r)?;
            Ok(Some(
                RfReference::from_finnish(&finnish).as_str().to_owned(),
            ))
        })
    }
}

/// Converts an RF reference whose body is a valid Finnish reference back into it. Writes
/// NULL (and returns OPCORP_OK) when the RF reference has no Finnish form.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_rf_to_finnish(
    rf: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(rf, "rf", out, |r| {
            Ok(RfReference::parse(r)?
                .to_finnish()
                .map(|f| f.as_str().to_owned()))
        })
    }
}

/// Whether two references are the same in any written form ("00000000000000001232",
/// "1232", "12 32" and the RF form of 1232 all match). OPCORP_INVALID_INPUT when either is
/// not a valid reference.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_references_match(
    a: *const c_char,
    b: *const c_char,
    out: *mut bool,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out_value(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let a = Reference::parse(unsafe { strings::arg(a, "a") }?)?;
        // SAFETY: forwarded from the caller.
        let b = Reference::parse(unsafe { strings::arg(b, "b") }?)?;
        *slot = a.match_key() == b.match_key();
        Ok(())
    })
}

/// Validates an IBAN (spaces and lower case accepted) and writes its electronic form.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_iban_normalize(
    iban: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(iban, "iban", out, |i| {
            Ok(Some(Iban::parse(i)?.as_str().to_owned()))
        })
    }
}

/// Writes an IBAN in groups of four ("FI21 1234 5600 0007 85").
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_iban_grouped(
    iban: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { text_to_text(iban, "iban", out, |i| Ok(Some(Iban::parse(i)?.grouped()))) }
}

/// Validates a BIC and writes it in upper case.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_bic_normalize(
    bic: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(bic, "bic", out, |b| {
            Ok(Some(Bic::parse(b)?.as_str().to_owned()))
        })
    }
}

/// The BIC of the bank of a Finnish IBAN, or NULL (with OPCORP_OK) when it is not known.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_bic_for_iban(
    iban: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        text_to_text(iban, "iban", out, |i| {
            Ok(Bic::for_finnish_iban(&Iban::parse(i)?).map(|b| b.as_str().to_owned()))
        })
    }
}

/// Converts a decimal amount ("120.50", "-12.3") to minor units (cents). OPCORP_INVALID_INPUT
/// for more than two decimals (never rounded), exponents, commas or overflow.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_amount_to_minor(
    amount: *const c_char,
    out: *mut i64,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out_value(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let amount: Amount = unsafe { strings::arg(amount, "amount") }?.parse()?;
        *slot = amount.to_minor_units()?;
        Ok(())
    })
}

/// Writes minor units (cents) as a decimal amount with two decimals (12345 gives "123.45").
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_amount_from_minor(
    minor: i64,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        unsafe { strings::put(out, "out", Amount::from_minor_units(minor).to_string()) }
    })
}

/// Encodes a 54-digit virtual bank barcode (pankkiviivakoodi) from a Finnish IBAN, an
/// amount ("0.00" lets the payer enter it; at most 999999.99), a Finnish or RF reference and
/// an optional due date "YYYY-MM-DD" (NULL for none).
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_barcode_encode(
    iban: *const c_char,
    amount: *const c_char,
    reference: *const c_char,
    due_date: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY (all four): forwarded from the caller.
        let iban = Iban::parse(unsafe { strings::arg(iban, "iban") }?)?;
        let amount: Amount = unsafe { strings::arg(amount, "amount") }?.parse()?;
        let reference = Reference::parse(unsafe { strings::arg(reference, "reference") }?)?;
        let due_date = unsafe { strings::opt_arg(due_date, "due_date") }?
            .map(|d| record::parse_iso_date(d, "due_date"))
            .transpose()?;
        let code = VirtualBarcode {
            iban,
            amount,
            reference,
            due_date,
        }
        .encode()?;
        *slot = strings::owned(code)?;
        Ok(())
    })
}

/// Decodes a virtual bank barcode into a record with "iban", "amount", "reference",
/// "dueDate" (absent when none) and "version" (4 or 5).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_barcode_decode(
    barcode: *const c_char,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let decoded = VirtualBarcode::decode(unsafe { strings::arg(barcode, "barcode") }?)?;
        let value = json!({
            "iban": decoded.iban.as_str(),
            "amount": decoded.amount.to_string(),
            "reference": decoded.reference.as_str(),
            "dueDate": decoded.due_date.map(record::iso_date),
            "version": decoded.version(),
        });
        *slot = guard::into_handle(opcorp_record::from_value(value));
        Ok(())
    })
}
