//! Core's error decoding for non-2xx answers (`response::status_error`): any status and body
//! give an error of the right kind that keeps the status, the request id and a bounded
//! snippet, whose message carries the body's error code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::ErrorKind;
use opcorp::response::{error_fields, forwarded_kind, status_error};

fuzz_target!(|input: (u16, Option<u32>, &[u8])| {
    let (status, retry_secs, body) = input;
    let retry_after = retry_secs.map(|s| std::time::Duration::from_secs(u64::from(s)));
    let err = status_error(status, retry_after, body, "rid-fuzz");
    assert_eq!(err.status(), Some(status));
    assert_eq!(err.request_id(), Some("rid-fuzz"));
    assert_eq!(err.retry_after(), retry_after);
    let snippet = err
        .body_snippet()
        .expect("an error answer keeps a body snippet");
    let chars = snippet.chars().count();
    assert!(
        chars <= opcorp_fuzz::MAX_SNIPPET_CHARS,
        "snippet of {chars} chars"
    );
    assert!(
        !snippet.contains("-----BEGIN"),
        "a PEM block leaked: {snippet}"
    );
    let (code, message) = error_fields(body);
    if let Some(code) = &code {
        assert!(err.message().starts_with(code.as_str()), "{err}");
    }
    if let Some(message) = &message {
        assert!(err.message().ends_with(message.as_str()), "{err}");
    }
    match forwarded_kind(body) {
        Some(kind) => assert_eq!(err.kind(), kind),
        None => match code.as_deref() {
            Some("invalid_signature" | "missing_signature") => {
                assert_eq!(err.kind(), ErrorKind::Signature)
            }
            Some("signature_iat_out_of_window") => assert_eq!(err.kind(), ErrorKind::ClockSkew),
            _ if (500..=599).contains(&status) => assert_eq!(err.kind(), ErrorKind::Server),
            _ => assert!(
                !err.kind().is_retryable() || status == 429,
                "{status}: {err}"
            ),
        },
    }
});
