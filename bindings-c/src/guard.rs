//! The boundary every exported function goes through: `catch_unwind`, the last error, and
//! checked access to the pointers C hands in.

use std::panic::{AssertUnwindSafe, catch_unwind};

use opcorp::Error;

use crate::error;
use crate::status::opcorp_status;

/// Runs the body of a fallible exported function: clears this thread's last error, catches
/// any panic, and turns an error into its status (recording it as the last error).
pub(crate) fn call(body: impl FnOnce() -> Result<(), Error>) -> opcorp_status {
    error::clear();
    run(body)
}

/// Like [`call`] but keeps the last error unless the body fails (for functions that read it).
pub(crate) fn run(body: impl FnOnce() -> Result<(), Error>) -> opcorp_status {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => opcorp_status::OPCORP_OK,
        Ok(Err(e)) => error::record(e),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            error::record_internal(&format!("internal error (please report): {what}"))
        }
    }
}

/// Runs the body of an exported function that cannot fail (accessors, frees), returning
/// `fallback` if it panics. Does not touch the last error.
pub(crate) fn infallible<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Checks an out-parameter and resets what it points to to NULL.
///
/// # Safety
/// `out` must be NULL or valid for writes of a pointer.
pub(crate) unsafe fn out<'a, T>(out: *mut *mut T, name: &str) -> Result<&'a mut *mut T, Error> {
    // SAFETY: the caller promises `out` is NULL or writable; NULL is rejected here.
    let slot = unsafe { out.as_mut() }
        .ok_or_else(|| Error::invalid_input(format!("out-parameter {name} is NULL")))?;
    *slot = std::ptr::null_mut();
    Ok(slot)
}

/// Checks a plain value out-parameter (`int64_t *`, `bool *`, `size_t *`).
///
/// # Safety
/// `out` must be NULL or valid for writes of a `T`.
pub(crate) unsafe fn out_value<'a, T>(out: *mut T, name: &str) -> Result<&'a mut T, Error> {
    // SAFETY: as for `out`.
    unsafe { out.as_mut() }
        .ok_or_else(|| Error::invalid_input(format!("out-parameter {name} is NULL")))
}

/// Borrows a handle the caller passed in.
///
/// # Safety
/// `ptr` must be NULL or a live handle of type `T` created by this library.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Error> {
    // SAFETY: the caller promises a live handle or NULL.
    unsafe { ptr.as_ref() }.ok_or_else(|| Error::invalid_input(format!("{name} is NULL")))
}

/// Borrows a handle the caller passed in, mutably.
///
/// # Safety
/// `ptr` must be NULL or a live handle of type `T`, not used by another thread meanwhile.
pub(crate) unsafe fn handle_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, Error> {
    // SAFETY: the caller promises a live, unshared handle or NULL.
    unsafe { ptr.as_mut() }.ok_or_else(|| Error::invalid_input(format!("{name} is NULL")))
}

/// Hands ownership of a value to C.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops a handle given out by [`into_handle`]; NULL is ignored.
///
/// # Safety
/// `ptr` must be NULL or a pointer from `into_handle::<T>` that is not used afterwards.
pub(crate) unsafe fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: the caller returns a pointer created by Box::into_raw exactly once.
        drop(unsafe { Box::from_raw(ptr) });
    }
}
