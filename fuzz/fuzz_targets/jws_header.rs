//! The JWS protected header (`jws_header::protected_header`): valid JSON for any key id
//! (quotes, backslashes, control and non-ASCII characters), with exactly OP's members in
//! OP's order, and `kid` and `urn:op.api.iat` reading back as given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::jws_header::protected_header;
use serde_json::{Value, json};

fuzz_target!(|input: (&str, i64)| {
    let (kid, iat) = input;
    let header = protected_header(kid, iat);
    let value: Value = serde_json::from_str(&header).unwrap_or_else(|e| panic!("{header}: {e}"));
    let members = value.as_object().expect("the header is a JSON object");
    let names: Vec<&str> = members.keys().map(String::as_str).collect();
    assert_eq!(names, ["alg", "kid", "b64", "urn:op.api.iat", "crit"]);
    assert_eq!(value["alg"], "RS256");
    assert_eq!(value["kid"].as_str(), Some(kid));
    assert_eq!(value["b64"], false);
    assert_eq!(value["urn:op.api.iat"].as_i64(), Some(iat));
    assert_eq!(value["crit"], json!(["b64", "urn:op.api.iat"]));
    assert!(!header.contains('\n'), "the header is compact");
});
