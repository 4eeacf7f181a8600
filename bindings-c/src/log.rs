//! Core's log records to a C callback.

use std::ffi::{CString, c_char, c_int, c_void};

use opcorp::log::{self, LogLevel, LogRecord};

use crate::guard;
use crate::status::opcorp_status;
use crate::strings;

/// A log callback: `level` is 1 (error) … 5 (trace), `target` the core module
/// (e.g. "opcorp::engine::execute"), `line` the message with its fields
/// ("attempt answered route=accounts status=200 request_id=… latency_ms=8"). Both strings
/// are valid only during the call. Records never carry a secret, a token or a body.
pub type opcorp_log_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        level: c_int,
        target: *const c_char,
        line: *const c_char,
    ),
>;

/// The caller's callback and its context pointer, moved to the log thread.
struct Callback {
    function: unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char),
    user_data: *mut c_void,
}

// SAFETY: opcorp_set_log_callback's contract makes the caller responsible for the callback
// and user_data being usable from the SDK's log thread.
unsafe impl Send for Callback {}

impl Callback {
    fn deliver(&self, record: LogRecord) {
        // Interior NUL bytes cannot occur in core's messages; if one did, the record is
        // dropped rather than truncated.
        let line = record.line();
        let (Ok(target), Ok(line)) = (CString::new(record.target), CString::new(line)) else {
            return;
        };
        // SAFETY: the caller promised a valid function and user_data (see the setter).
        unsafe {
            (self.function)(
                self.user_data,
                record.level as c_int,
                target.as_ptr(),
                line.as_ptr(),
            )
        };
    }
}

/// Sends core's log records at `level` ("error", "warn", "info", "debug", "trace") and more
/// severe to `callback`, replacing an earlier callback; a NULL callback or level "off" stops
/// logging. The callback runs on one SDK thread (not the caller's), one record at a time in
/// order; it must not block for long (records beyond 4096 waiting are dropped and counted).
/// OPCORP_INVALID_INPUT for an unknown level.
///
/// # Safety
/// `level` must be NULL (= "off") or a valid C string; `callback` must be safe to call with
/// `user_data` from another thread until it is replaced or the process ends.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_set_log_callback(
    callback: opcorp_log_callback,
    user_data: *mut c_void,
    level: *const c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let level = unsafe { strings::opt_arg(level, "level") }?.unwrap_or("off");
        let level = LogLevel::from_name(level)
            .map_err(|e| opcorp::Error::invalid_input(e.message().to_owned()))?;
        let Some(function) = callback.filter(|_| level.is_some()) else {
            log::clear_sink();
            return Ok(());
        };
        let target = Callback {
            function,
            user_data,
        };
        log::set_sink(level, Box::new(move |record| target.deliver(record)))
    })
}
