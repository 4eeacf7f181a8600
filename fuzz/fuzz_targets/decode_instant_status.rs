//! The response decoder for Payment: an instant payment's status list.
//! Properties: `opcorp_fuzz::check_response_decoder`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::model::PaymentResponse;

fuzz_target!(|body: &[u8]| opcorp_fuzz::check_response_decoder::<Vec<PaymentResponse>>(body));
