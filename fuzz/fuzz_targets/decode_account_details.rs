//! The response decoder for Account Data: one account's details.
//! Properties: `opcorp_fuzz::check_response_decoder`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::model::AccountDetails;

fuzz_target!(|body: &[u8]| opcorp_fuzz::check_response_decoder::<AccountDetails>(body));
