//! `opcorp_record` and `opcorp_list`: every result (account, transaction, payment answer,
//! report...) as one opaque JSON-backed record with typed accessors by field path.
//!
//! A path names a field by its wire name (`"amount"`, `"archiveId"`); dots go deeper and
//! numbers index arrays (`"refund.archiveId"`, `"transactions.0.amount"`). The empty path is
//! the record itself.

use std::borrow::Cow;
use std::ffi::c_char;

use opcorp::reconcile::{ItemField, Report};
use opcorp::{Amount, Error};
use serde::Serialize;
use serde_json::Value;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use crate::guard;
use crate::status::opcorp_status;
use crate::strings;

/// One result record. Read it with the opcorp_record_* accessors or as JSON.
///
/// Ownership: free with opcorp_record_free, unless it was borrowed (const) from a list or a
/// delivery. Thread-safety: immutable; may be read from several threads at once.
pub struct opcorp_record {
    pub(crate) value: Value,
    /// Set for a reconciliation report: the report itself, whose items every path under
    /// `items` reads on demand (`value` then holds only `unmatched` and `totals`). A million
    /// items as `Value` objects took about 2.5 KB each, eight times the engine's memory.
    report: Option<Box<Report>>,
}

/// A list of records (accounts, mandates, instant payment statuses...).
///
/// Ownership: free with opcorp_list_free; records borrowed from it die with it.
/// Thread-safety: immutable; may be read from several threads at once.
pub struct opcorp_list {
    pub(crate) items: Vec<opcorp_record>,
}

/// Converts any core model into a record.
pub(crate) fn from_model<T: Serialize>(model: &T) -> Result<opcorp_record, Error> {
    to_value(model).map(opcorp_record::from_value)
}

/// A reconciliation report as a record that keeps the report itself: its items columnar,
/// and each item field or unmatched payment converted when a path asks for it (converting
/// 50,000 unmatched payments up front cost a 1M-payment run 0.25 s and 147 MiB).
pub(crate) fn from_report(report: Report) -> Result<opcorp_record, Error> {
    let value = serde_json::json!({ "totals": to_value(&report.totals)? });
    Ok(opcorp_record {
        value,
        report: Some(Box::new(report)),
    })
}

/// A core model as JSON.
fn to_value<T: Serialize>(model: &T) -> Result<Value, Error> {
    serde_json::to_value(model)
        .map_err(|e| Error::decode(format!("result cannot be converted: {e}")))
}

/// Converts a list of core models.
pub(crate) fn list_of<T: Serialize>(models: &[T]) -> Result<opcorp_list, Error> {
    let items = models.iter().map(from_model).collect::<Result<_, _>>()?;
    Ok(opcorp_list { items })
}

impl opcorp_record {
    /// A record of a JSON value.
    pub(crate) fn from_value(value: Value) -> opcorp_record {
        opcorp_record {
            value,
            report: None,
        }
    }

    /// The value at `path`, or NOT_FOUND when it is absent or null. A report's items and
    /// unmatched payments are read here, one addressed value per call: an item's field
    /// through core's field reader, a whole item or payment, or a whole list for the paths
    /// `items` and `unmatched` themselves.
    fn at(&self, path: &str) -> Result<Cow<'_, Value>, Error> {
        let Some(report) = &self.report else {
            return descend(&self.value, path, path).map(Cow::Borrowed);
        };
        if path.is_empty() {
            return Ok(Cow::Owned(to_value(&**report)?));
        }
        let (head, rest) = split_segment(path);
        if !matches!(head, "items" | "unmatched") {
            return descend(&self.value, path, path).map(Cow::Borrowed);
        }
        let Some(rest) = rest else {
            return match head {
                "items" => to_value(&report.items),
                _ => to_value(&report.unmatched),
            }
            .map(Cow::Owned);
        };
        let (index, rest) = split_segment(rest);
        let index = index.parse::<usize>().map_err(|_| absent(path))?;
        let value = match (head, rest) {
            ("items", Some(rest)) => {
                let (key, rest) = split_segment(rest);
                let field = report.items.field(index, key).ok_or_else(|| absent(path))?;
                return within(field.to_json(), rest, path);
            }
            ("items", None) => to_value(&report.items.get(index).ok_or_else(|| absent(path))?)?,
            _ => to_value(report.unmatched.get(index).ok_or_else(|| absent(path))?)?,
        };
        within(value, rest, path)
    }

    /// A report item's field at a path of the form `items.N.key`, read without building a
    /// JSON value, so the typed accessors of a million-item report copy only the text they
    /// return. `None` for any other path or an absent item or field ([`at`](Self::at) then
    /// gives the value or the error).
    fn item_field(&self, path: &str) -> Option<ItemField<'_>> {
        let (index, key) = path.strip_prefix("items.")?.split_once('.')?;
        if key.contains('.') {
            return None;
        }
        self.report.as_ref()?.items.field(index.parse().ok()?, key)
    }

    /// The number of elements or members at `path` (a report's lists counted, not built).
    fn len_at(&self, path: &str) -> Result<usize, Error> {
        match (&self.report, path) {
            (Some(report), "items") => return Ok(report.items.len()),
            (Some(report), "unmatched") => return Ok(report.unmatched.len()),
            _ => {}
        }
        match &*self.at(path)? {
            Value::Array(items) => Ok(items.len()),
            Value::Object(map) => Ok(map.len()),
            _ => Err(Error::invalid_input(format!(
                "{path:?} is not an array or object"
            ))),
        }
    }

    /// Whether `path` has a non-null value (a report's lists checked without building them).
    fn has(&self, path: &str) -> bool {
        (self.report.is_some() && matches!(path, "items" | "unmatched")) || self.at(path).is_ok()
    }

    /// The whole record as compact JSON.
    fn json(&self) -> Result<String, Error> {
        match &self.report {
            Some(report) => serde_json::to_string(&**report),
            None => serde_json::to_string(&self.value),
        }
        .map_err(|e| Error::decode(format!("record cannot be written as JSON: {e}")))
    }
}

/// The first segment of a dotted path and the rest, if any.
fn split_segment(path: &str) -> (&str, Option<&str>) {
    match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    }
}

/// A value made for a path, or the part of it that the rest of the path names.
fn within(value: Value, rest: Option<&str>, whole: &str) -> Result<Cow<'static, Value>, Error> {
    match rest {
        None => Ok(Cow::Owned(value)),
        Some(rest) => descend(&value, rest, whole).map(|part| Cow::Owned(part.clone())),
    }
}

/// The value at `path` under `value` (NOT_FOUND, naming `whole`, when absent or null).
fn descend<'a>(value: &'a Value, path: &str, whole: &str) -> Result<&'a Value, Error> {
    let mut value = value;
    if !path.is_empty() {
        for segment in path.split('.') {
            let next = match value {
                Value::Object(map) => map.get(segment),
                Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            value = next.ok_or_else(|| absent(whole))?;
        }
    }
    if value.is_null() {
        return Err(absent(whole));
    }
    Ok(value)
}

/// The NOT_FOUND error for a field the record does not have.
fn absent(path: &str) -> Error {
    Error::new(
        opcorp::ErrorKind::NotFound,
        format!("the record has no value at {path:?}"),
    )
}

/// A scalar as text: strings as they are, numbers in their exact JSON form.
fn scalar_text(value: &Value, path: &str) -> Result<String, Error> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        _ => Err(Error::invalid_input(format!(
            "{path:?} is an object or array; use a longer path, opcorp_record_get or opcorp_record_json"
        ))),
    }
}

/// Parses a date in any form OP uses (`2024-05-31`, `31.05.2024`, an RFC 3339 time).
fn parse_any_date(text: &str) -> Option<Date> {
    let iso = format_description!("[year]-[month]-[day]");
    let finnish = format_description!("[day].[month].[year]");
    Date::parse(text, iso)
        .or_else(|_| Date::parse(text, finnish))
        .ok()
        .or_else(|| {
            OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(|t| t.date())
        })
}

/// Formats a date as `YYYY-MM-DD`.
pub(crate) fn iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Parses a caller's `YYYY-MM-DD` date argument.
pub(crate) fn parse_iso_date(text: &str, name: &str) -> Result<Date, Error> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|_| {
        Error::invalid_input(format!("{name} must be a YYYY-MM-DD date, got {text:?}"))
    })
}

/// Borrows the record and the path argument of an accessor.
///
/// # Safety
/// `record` must be NULL or live; `path` NULL or NUL-terminated.
unsafe fn record_and_path<'a>(
    record: *const opcorp_record,
    path: *const c_char,
) -> Result<(&'a opcorp_record, &'a str), Error> {
    // SAFETY: forwarded from the caller.
    let record = unsafe { guard::handle(record, "record") }?;
    // SAFETY: forwarded from the caller.
    let path = unsafe { strings::arg(path, "path") }?;
    Ok((record, path))
}

/// The whole record as compact JSON (wire field names, amounts as decimal strings).
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_json(
    record: *const opcorp_record,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let record = unsafe { guard::handle(record, "record") }?;
        let json = record.json()?;
        // SAFETY: forwarded from the caller.
        unsafe { strings::put(out, "out", json) }
    })
}

/// Whether the record has a non-null value at `path`. False for NULL arguments.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_has(
    record: *const opcorp_record,
    path: *const c_char,
) -> bool {
    guard::infallible(false, || {
        // SAFETY: forwarded from the caller.
        unsafe { record_and_path(record, path) }.is_ok_and(|(record, path)| record.has(path))
    })
}

/// The text at `path`: a string, or a number or boolean in its exact JSON form.
/// OPCORP_NOT_FOUND when the field is absent or null; OPCORP_INVALID_INPUT for an object.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_string(
    record: *const opcorp_record,
    path: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let (record, path) = unsafe { record_and_path(record, path) }?;
        *slot = match record.item_field(path) {
            Some(ItemField::Text(text)) => strings::owned(text),
            Some(ItemField::Status(status)) => strings::owned(status.code()),
            _ => strings::owned(scalar_text(&*record.at(path)?, path)?),
        }?;
        Ok(())
    })
}

/// The money amount at `path`, exactly: as a decimal string ("-12.35") into *out_decimal
/// and as minor units (cents) into *out_minor. Either out-parameter may be NULL when not
/// wanted. OPCORP_INVALID_INPUT when the amount has more than two decimals and out_minor is
/// given (never rounded), OPCORP_NOT_FOUND when absent.
///
/// Ownership: *out_decimal is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_amount(
    record: *const opcorp_record,
    path: *const c_char,
    out_decimal: *mut *mut c_char,
    out_minor: *mut i64,
) -> opcorp_status {
    guard::call(|| {
        if !out_decimal.is_null() {
            // SAFETY: non-NULL out-parameter from the caller.
            unsafe { *out_decimal = std::ptr::null_mut() };
        }
        if out_decimal.is_null() && out_minor.is_null() {
            return Err(Error::invalid_input(
                "out_decimal and out_minor are both NULL",
            ));
        }
        // SAFETY: forwarded from the caller.
        let (record, path) = unsafe { record_and_path(record, path) }?;
        let amount = match record.item_field(path) {
            Some(ItemField::Money(amount)) => amount,
            _ => Amount::parse_lenient(&scalar_text(&*record.at(path)?, path)?)
                .map_err(|_| Error::invalid_input(format!("{path:?} is not an amount")))?,
        };
        // SAFETY: checked non-NULL; the caller promises it is writable.
        if let Some(minor) = unsafe { out_minor.as_mut() } {
            *minor = amount.to_minor_units()?;
        }
        if !out_decimal.is_null() {
            // SAFETY: as above.
            unsafe { *out_decimal = strings::owned(amount.to_string())? };
        }
        Ok(())
    })
}

/// The integer at `path` (a JSON number or a numeric string, e.g. a timestamp in µs).
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_int64(
    record: *const opcorp_record,
    path: *const c_char,
    out: *mut i64,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out_value(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let (record, path) = unsafe { record_and_path(record, path) }?;
        let text = scalar_text(&*record.at(path)?, path)?;
        *slot = text
            .trim()
            .parse()
            .map_err(|_| Error::invalid_input(format!("{path:?} is not an integer: {text:?}")))?;
        Ok(())
    })
}

/// The boolean at `path`.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_bool(
    record: *const opcorp_record,
    path: *const c_char,
    out: *mut bool,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out_value(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let (record, path) = unsafe { record_and_path(record, path) }?;
        *slot = record
            .at(path)?
            .as_bool()
            .ok_or_else(|| Error::invalid_input(format!("{path:?} is not a boolean")))?;
        Ok(())
    })
}

/// The date at `path` as "YYYY-MM-DD", whichever form the bank sent (ISO, dd.MM.yyyy or a
/// timestamp).
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_date(
    record: *const opcorp_record,
    path: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let (record, path) = unsafe { record_and_path(record, path) }?;
        let text = scalar_text(&*record.at(path)?, path)?;
        let date = parse_any_date(&text)
            .ok_or_else(|| Error::invalid_input(format!("{path:?} is not a date: {text:?}")))?;
        *slot = strings::owned(iso_date(date))?;
        Ok(())
    })
}

/// The number of elements of the array (or members of the object) at `path`; "" is the
/// record itself.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_len(
    record: *const opcorp_record,
    path: *const c_char,
    out: *mut usize,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out_value(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let (record, path) = unsafe { record_and_path(record, path) }?;
        *slot = record.len_at(path)?;
        Ok(())
    })
}

/// A copy of the part at `path` as a record of its own (e.g. "refund" of a refund answer,
/// "transactions.2" of a filter result).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_get(
    record: *const opcorp_record,
    path: *const c_char,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let (record, path) = unsafe { record_and_path(record, path) }?;
        let value = record.at(path)?.into_owned();
        *slot = guard::into_handle(opcorp_record::from_value(value));
        Ok(())
    })
}

/// Frees a record. NULL is ignored. Never free a record borrowed from a list or delivery.
///
/// # Safety
/// `record` must be NULL or an owned record, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_record_free(record: *mut opcorp_record) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(record) });
}

/// The number of records in a list (0 for NULL).
///
/// # Safety
/// `list` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_list_len(list: *const opcorp_list) -> usize {
    // SAFETY: forwarded from the caller.
    guard::infallible(0, || unsafe { list.as_ref() }.map_or(0, |l| l.items.len()))
}

/// The record at `index`, or NULL when out of range or `list` is NULL.
///
/// Ownership: borrowed; valid until the list is freed. Do not free it.
///
/// # Safety
/// `list` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_list_get(
    list: *const opcorp_list,
    index: usize,
) -> *const opcorp_record {
    guard::infallible(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { list.as_ref() }
            .and_then(|l| l.items.get(index))
            .map_or(std::ptr::null(), |r| r as *const opcorp_record)
    })
}

/// The whole list as a JSON array.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_list_json(
    list: *const opcorp_list,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let list = unsafe { guard::handle(list, "list") }?;
        let values: Vec<&Value> = list.items.iter().map(|r| &r.value).collect();
        let json = serde_json::to_string(&values)
            .map_err(|e| Error::decode(format!("list cannot be written as JSON: {e}")))?;
        // SAFETY: forwarded from the caller.
        unsafe { strings::put(out, "out", json) }
    })
}

/// Frees a list and the records in it. NULL is ignored.
///
/// # Safety
/// `list` must be NULL or an owned list, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_list_free(list: *mut opcorp_list) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(list) });
}
