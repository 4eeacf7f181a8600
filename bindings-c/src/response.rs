//! `opcorp_status_error`: core's mapping of a failed OP response to an error, for C code that
//! talks to OP (or a recorded response) through its own HTTP stack.

use std::ffi::c_char;

use crate::status::opcorp_status;
use crate::{guard, strings};

/// Classifies a failed OP response exactly as the client does: the HTTP `http_status` and
/// the raw `body` (NUL-terminated; "" for none) become an error kind. Returns that status
/// (OPCORP_SIGNATURE, OPCORP_NOT_FOUND, ...) and leaves the error as this thread's last
/// error, so opcorp_last_error_message() and opcorp_last_error_http_status() describe it.
/// A NULL body is OPCORP_INVALID_INPUT.
///
/// # Safety
/// `body` must be NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_status_error(
    http_status: u16,
    body: *const c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let body = unsafe { strings::arg(body, "body") }?;
        Err(opcorp::response::status_error(
            http_status,
            None,
            body.as_bytes(),
            "",
        ))
    })
}
