//! Replays `tests/vectors/errors.json`: OP error responses → error kinds.

mod vectors_support;

use opcorp::response::status_error;
use vectors_support::{list, load, text};

#[test]
fn responses_map_to_codes() {
    let v = load("errors.json");
    for case in list(&v, "responses") {
        let status = u16::try_from(case["status"].as_u64().unwrap()).unwrap();
        let err = status_error(status, None, text(case, "body").as_bytes(), "rid-1");
        assert_eq!(err.code(), text(case, "code"), "{case}");
        assert_eq!(err.status(), Some(status), "{case}");
        assert_eq!(err.message(), text(case, "message"), "{case}");
        assert_eq!(err.request_id(), Some("rid-1"));
    }
}
