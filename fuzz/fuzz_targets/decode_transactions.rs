//! The response decoder for Account Data: one page of Transactions V2/V3.
//! Properties: `opcorp_fuzz::check_response_decoder`, and `opcorp_fuzz::check_transaction_pages`
//! for core's one-pass page decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::model::Transaction;

fuzz_target!(|body: &[u8]| {
    opcorp_fuzz::check_response_decoder::<Vec<Transaction>>(body);
    opcorp_fuzz::check_transaction_pages(body);
});
