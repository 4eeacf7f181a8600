//! The thread-local last error and the functions that read it.

use std::cell::RefCell;
use std::ffi::{CString, c_char};

use opcorp::Error;
use opcorp::error::PendingOperation;

use crate::guard;
use crate::pending::opcorp_pending;
use crate::status::opcorp_status;

/// What the last failing call on this thread left behind.
struct LastError {
    status: opcorp_status,
    message: CString,
    http_status: u16,
    request_id: Option<CString>,
    pending: Option<PendingOperation>,
}

thread_local! {
    static LAST: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

/// Text without interior NULs, so it always fits in a C string.
fn c_text(text: &str) -> CString {
    CString::new(text.replace('\0', " ")).unwrap_or_default()
}

/// Forgets the last error (called at the start of every fallible call).
pub(crate) fn clear() {
    LAST.with(|last| last.borrow_mut().take());
}

/// Records `error` as this thread's last error and returns its status.
pub(crate) fn record(error: Error) -> opcorp_status {
    let status = opcorp_status::from_kind(error.kind());
    let entry = LastError {
        status,
        message: c_text(&error.to_string()),
        http_status: error.status().unwrap_or(0),
        request_id: error.request_id().map(c_text),
        pending: error.pending().cloned(),
    };
    LAST.with(|last| *last.borrow_mut() = Some(entry));
    status
}

/// Records an internal failure (a caught panic).
pub(crate) fn record_internal(message: &str) -> opcorp_status {
    let entry = LastError {
        status: opcorp_status::OPCORP_INTERNAL,
        message: c_text(&format!("INTERNAL: {message}")),
        http_status: 0,
        request_id: None,
        pending: None,
    };
    LAST.with(|last| *last.borrow_mut() = Some(entry));
    opcorp_status::OPCORP_INTERNAL
}

/// The status of the last failing call on this thread, or OPCORP_OK when the last fallible
/// call succeeded.
#[unsafe(no_mangle)]
pub extern "C" fn opcorp_last_error_status() -> opcorp_status {
    guard::infallible(opcorp_status::OPCORP_INTERNAL, || {
        LAST.with(|last| {
            last.borrow()
                .as_ref()
                .map_or(opcorp_status::OPCORP_OK, |e| e.status)
        })
    })
}

/// A human-readable description of the last failure on this thread: "CODE: message
/// (HTTP 503) [request id ...]", never containing secrets. Returns "" when the last fallible
/// call succeeded. Never NULL.
///
/// Ownership: borrowed; valid until the next fallible opcorp call on this thread. Copy it if
/// you need it longer. Do not free.
#[unsafe(no_mangle)]
pub extern "C" fn opcorp_last_error_message() -> *const c_char {
    guard::infallible(c"".as_ptr(), || {
        LAST.with(|last| {
            last.borrow()
                .as_ref()
                .map_or(c"".as_ptr(), |e| e.message.as_ptr())
        })
    })
}

/// The HTTP status the bank answered the last failing call with, or 0 when there was none
/// (a local error, a network failure, or no error).
#[unsafe(no_mangle)]
pub extern "C" fn opcorp_last_error_http_status() -> u16 {
    guard::infallible(0, || {
        LAST.with(|last| last.borrow().as_ref().map_or(0, |e| e.http_status))
    })
}

/// The X-Request-ID of the request that failed last on this thread (quote it to OP
/// support), or NULL when none was sent.
///
/// Ownership: borrowed, like opcorp_last_error_message().
#[unsafe(no_mangle)]
pub extern "C" fn opcorp_last_error_request_id() -> *const c_char {
    guard::infallible(std::ptr::null(), || {
        LAST.with(|last| {
            last.borrow()
                .as_ref()
                .and_then(|e| e.request_id.as_ref())
                .map_or(std::ptr::null(), |id| id.as_ptr())
        })
    })
}

/// After OPCORP_UNKNOWN_OUTCOME: the payment or refund whose outcome is unknown. Store its
/// id and body (opcorp_pending_id, opcorp_pending_body) and resolve it with
/// opcorp_pending_resolve, which resends the identical signed body (OP de-duplicates it).
///
/// Writes NULL to *out when the last error carries no pending operation.
/// Ownership: *out is owned by the caller; free it with opcorp_pending_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_last_error_pending(out: *mut *mut opcorp_pending) -> opcorp_status {
    guard::run(|| {
        let pending = LAST.with(|last| last.borrow().as_ref().and_then(|e| e.pending.clone()));
        // SAFETY: forwarded from the caller.
        let out = unsafe { guard::out(out, "out") }?;
        if let Some(pending) = pending {
            *out = guard::into_handle(opcorp_pending { inner: pending });
        }
        Ok(())
    })
}
