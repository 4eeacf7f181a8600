//! The response decoder for Refund: the answer to a refund.
//! Properties: `opcorp_fuzz::check_response_decoder`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::model::RefundResponse;

fuzz_target!(|body: &[u8]| opcorp_fuzz::check_response_decoder::<RefundResponse>(body));
