//! The property every JSON response decoder must hold, whatever the bank (or something
//! pretending to be it) sends.

use opcorp::ErrorKind;
use opcorp::response::decode_json;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Decodes `body` as a 2xx answer of type `T` and checks that:
///
/// - a body that does not decode is a typed `DECODE` error carrying the status, the request
///   id and a bounded snippet of the body (never a panic);
/// - a body that decodes writes back out and decodes to the same value (the models are
///   lossless: unknown fields and enum values survive), and writing is stable;
/// - a non-JSON content type is refused whatever the body.
pub fn check_response_decoder<T>(body: &[u8])
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let decoded = decode_json::<T>(200, "rid-fuzz", Some("application/json"), body);
    match decoded {
        Err(err) => {
            assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
            assert_eq!(err.status(), Some(200));
            assert_eq!(err.request_id(), Some("rid-fuzz"));
            let snippet = err
                .body_snippet()
                .expect("a decode error keeps a body snippet");
            let chars = snippet.chars().count();
            assert!(
                chars <= crate::MAX_SNIPPET_CHARS,
                "snippet of {chars} chars"
            );
        }
        Ok(value) => {
            let written = serde_json::to_vec(&value).expect("a decoded model serialises");
            let again = decode_json::<T>(200, "rid-fuzz", None, &written).unwrap_or_else(|e| {
                panic!("re-decoding {}: {e}", String::from_utf8_lossy(&written))
            });
            assert_eq!(
                again,
                value,
                "round trip through {}",
                String::from_utf8_lossy(&written)
            );
            let rewritten = serde_json::to_vec(&again).expect("a decoded model serialises");
            assert_eq!(rewritten, written, "serialising is not stable");
        }
    }
    let html = decode_json::<T>(502, "rid-fuzz", Some("text/html"), body);
    assert_eq!(html.map(|_| ()).unwrap_err().kind(), ErrorKind::Decode);
}
