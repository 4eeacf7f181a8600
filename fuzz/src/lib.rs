//! Shared checks for the opcorp fuzz targets (`fuzz_targets/`, one binary each).

mod decoder;

pub use decoder::check_response_decoder;
