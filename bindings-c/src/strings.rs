//! Strings and byte buffers across the boundary: checked input, owned output, frees.

use std::ffi::{CStr, CString, c_char};

use opcorp::Error;
use zeroize::Zeroize;

use crate::guard;

/// Borrows a required NUL-terminated UTF-8 argument.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    // SAFETY: forwarded from the caller.
    unsafe { opt_arg(ptr, name) }?.ok_or_else(|| Error::invalid_input(format!("{name} is NULL")))
}

/// Borrows an optional argument: NULL gives `None`.
///
/// # Safety
/// As for [`arg`].
pub(crate) unsafe fn opt_arg<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's promise.
    let text = unsafe { CStr::from_ptr(ptr) };
    text.to_str()
        .map(Some)
        .map_err(|_| Error::invalid_input(format!("{name} is not valid UTF-8")))
}

/// Borrows a byte buffer; NULL is accepted only with length 0.
///
/// # Safety
/// `data` must be NULL or valid for reads of `len` bytes for the duration of the call.
pub(crate) unsafe fn bytes_arg<'a>(
    data: *const u8,
    len: usize,
    name: &str,
) -> Result<&'a [u8], Error> {
    if data.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(Error::invalid_input(format!("{name} is NULL")));
    }
    // SAFETY: non-NULL and readable for `len` bytes by the caller's promise.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// Copies text into a newly allocated C string owned by the caller. Takes the `String` or
/// `&str` as is: `CString::new` then allocates a borrowed text once, with room for the NUL,
/// and reuses an owned one's buffer.
pub(crate) fn owned(text: impl Into<Vec<u8>>) -> Result<*mut c_char, Error> {
    CString::new(text)
        .map(CString::into_raw)
        .map_err(|_| Error::decode("the text contains a NUL character and cannot be a C string"))
}

/// Writes an owned C string to a checked out-parameter.
///
/// # Safety
/// `out` must be NULL or writable.
pub(crate) unsafe fn put(
    out: *mut *mut c_char,
    name: &str,
    text: impl Into<Vec<u8>>,
) -> Result<(), Error> {
    // SAFETY: forwarded from the caller.
    let slot = unsafe { guard::out(out, name) }?;
    *slot = owned(text)?;
    Ok(())
}

/// Frees a string returned by this library (its bytes are zeroed first, since some hold key
/// material). NULL is ignored.
///
/// # Safety
/// `text` must be NULL or a string from this library that is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_string_free(text: *mut c_char) {
    guard::infallible((), || {
        if !text.is_null() {
            // SAFETY: created by CString::into_raw in `owned` and returned exactly once.
            let mut bytes = unsafe { CString::from_raw(text) }.into_bytes();
            bytes.zeroize();
        }
    });
}

/// Hands a byte buffer to C: writes its address and length.
pub(crate) fn put_bytes(data_out: &mut *mut u8, len_out: &mut usize, bytes: Vec<u8>) {
    let boxed = bytes.into_boxed_slice();
    *len_out = boxed.len();
    *data_out = Box::into_raw(boxed).cast::<u8>();
}

/// Frees a byte buffer returned by this library, given the length it was returned with.
/// NULL is ignored.
///
/// # Safety
/// `data`/`len` must be NULL or exactly a buffer and length from this library, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_buffer_free(data: *mut u8, len: usize) {
    guard::infallible((), || {
        if !data.is_null() {
            let slice = std::ptr::slice_from_raw_parts_mut(data, len);
            // SAFETY: created by Box::into_raw of a boxed slice of this length in put_bytes.
            let mut bytes = unsafe { Box::from_raw(slice) };
            bytes.zeroize();
        }
    });
}
