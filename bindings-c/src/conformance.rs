//! The conformance run (core's fixed scenario against the client's environment) and the
//! comparison of two reports, both as JSON text.

use std::ffi::c_char;

use opcorp::Error;

use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// Runs core's conformance scenario against the client's environment and writes the
/// redacted report (JSON, format "opcorp-conformance/1": per operation its "status",
/// relevant "headers" and JSON "shape", values removed, ids hashed) to *out_json: the file
/// to send back so the emulator can be made to match OP. `writes` adds one minimal payment,
/// instant payment and refund (0.01 EUR); OPCORP_CONFIG against production. A failing step
/// is recorded in the report, not returned as an error.
///
/// Ownership: *out_json is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_conformance(
    client: *const opcorp_client,
    writes: bool,
    out_json: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out_json, "out_json") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        let report = runtime::block_on(opcorp::conformance::run(client, writes))??;
        let json = serde_json::to_string(&report)
            .map_err(|e| Error::decode(format!("report cannot be written as JSON: {e}")))?;
        *slot = strings::owned(json)?;
        Ok(())
    })
}

/// Compares two reports written by opcorp_conformance, operation by operation, and writes
/// the comparison to *out_json: {"agree", "total", "all_agree", "differences":
/// [{"operation", "differences"}], "observations"}. OPCORP_INVALID_INPUT when either text
/// is not a report.
///
/// Ownership: *out_json is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_conformance_compare(
    report_a_json: *const c_char,
    report_b_json: *const c_char,
    out_json: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out_json, "out_json") }?;
        // SAFETY: forwarded from the caller.
        let a = unsafe { strings::arg(report_a_json, "report_a_json") }?;
        // SAFETY: forwarded from the caller.
        let b = unsafe { strings::arg(report_b_json, "report_b_json") }?;
        let comparison = opcorp::conformance::compare_texts(a, b)?;
        let json = serde_json::to_string(&comparison.to_json())
            .map_err(|e| Error::decode(format!("comparison cannot be written as JSON: {e}")))?;
        *slot = strings::owned(json)?;
        Ok(())
    })
}
