//! The response decoder for Account Data's account list (`GET /accounts`).
//! Properties: `opcorp_fuzz::check_response_decoder`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::model::Account;

fuzz_target!(|body: &[u8]| opcorp_fuzz::check_response_decoder::<Vec<Account>>(body));
