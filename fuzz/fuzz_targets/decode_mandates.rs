//! The response decoder for Service Provider: the mandate list.
//! Properties: `opcorp_fuzz::check_response_decoder`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::model::Mandate;

fuzz_target!(|body: &[u8]| opcorp_fuzz::check_response_decoder::<Vec<Mandate>>(body));
