//! The response decoder for Transaction Info: a payer's details.
//! Properties: `opcorp_fuzz::check_response_decoder`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::model::PayerDetails;

fuzz_target!(|body: &[u8]| opcorp_fuzz::check_response_decoder::<PayerDetails>(body));
