//! Verification of Payee: reading the bank's answer from the configured fields.
//! The outcome comes from the `result` string and nothing else; anything without one is a
//! typed `DECODE` error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::ErrorKind;
use opcorp::model::{PayeeMatch, PayeeVerification};
use opcorp::paths::PayeeVerificationFields;
use opcorp::request::{ApiResponse, Headers};

fuzz_target!(|body: &[u8]| {
    let response = ApiResponse {
        status: 200,
        request_id: "rid-fuzz".to_owned(),
        headers: [("content-type".to_owned(), "application/json".to_owned())]
            .into_iter()
            .collect::<Headers>(),
        body: body.to_vec(),
    };
    let fields = PayeeVerificationFields::default();
    let json = serde_json::from_slice::<serde_json::Value>(body).ok();
    let code = json.as_ref().and_then(|v| v.get(&fields.result)?.as_str());
    match PayeeVerification::from_response(&response, &fields) {
        Ok(verification) => {
            let code = code.expect("an outcome without a result string");
            assert_eq!(verification.outcome, PayeeMatch::from_code(code));
            assert_eq!(
                PayeeMatch::from_code(verification.outcome.code()),
                verification.outcome
            );
            let name = json
                .as_ref()
                .and_then(|v| v.get(&fields.matched_name)?.as_str());
            assert_eq!(
                verification.matched_name.as_deref(),
                name.filter(|n| !n.trim().is_empty())
            );
            assert_eq!(verification.request_id, "rid-fuzz");
        }
        Err(err) => {
            assert!(code.is_none(), "refused a body with result {code:?}: {err}");
            assert_eq!(err.kind(), ErrorKind::Decode);
        }
    }
});
