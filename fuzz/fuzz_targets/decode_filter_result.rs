//! The response decoder for Transaction Filter: one search result.
//! Properties: `opcorp_fuzz::check_response_decoder`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::model::FilterResult;

fuzz_target!(|body: &[u8]| opcorp_fuzz::check_response_decoder::<FilterResult>(body));
