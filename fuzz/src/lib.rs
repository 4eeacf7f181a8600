//! Shared checks for the opcorp fuzz targets (`fuzz_targets/`, one binary each).

mod decoder;
mod pages;

pub use decoder::check_response_decoder;
pub use pages::check_transaction_pages;

/// The most characters an error's body snippet may hold. Core cuts the body at 512
/// characters (plus `…`), but redaction may lengthen the cut (each blanked value, even an
/// empty one, becomes `[REDACTED]`); what matters is that the bound does not grow with the
/// body.
pub const MAX_SNIPPET_CHARS: usize = 3 * 513;
