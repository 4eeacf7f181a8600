//! `opcorp conformance`: a fixed, read-only scenario run against any OP environment, its
//! redacted report (statuses, relevant headers, JSON shapes with values removed and ids
//! hashed), and the comparison of two reports.
//!
//! The report is what a user sends back to make the emulator match OP: it holds no amounts,
//! names, IBANs or ids, only which keys and types each answer had.

mod report;
mod run;
pub mod shape;

pub use report::{Comparison, FORMAT, Record, Report, compare};
pub use run::{check_writes_allowed, environment_name, run};

/// Parses a report written by [`run`] (JSON text).
pub fn parse_report(text: &str) -> crate::Result<Report> {
    let report: Report = serde_json::from_str(text)
        .map_err(|e| crate::Error::invalid_input(format!("not a conformance report: {e}")))?;
    if report.format != FORMAT {
        return Err(crate::Error::invalid_input(format!(
            "conformance report format {:?}; this SDK reads {FORMAT:?}",
            report.format
        )));
    }
    Ok(report)
}

/// Compares two reports given as JSON text (what the bindings hand over): both are read with
/// [`parse_report`], then [`compare`]d.
pub fn compare_texts(a: &str, b: &str) -> crate::Result<Comparison> {
    Ok(compare(&parse_report(a)?, &parse_report(b)?))
}
