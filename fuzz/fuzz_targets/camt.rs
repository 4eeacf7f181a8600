//! camt.053/054 statements: the streaming reader ends (libFuzzer's `-timeout` catches a
//! hang), stops after its first error, and reports every problem as a typed `DECODE` error;
//! `read_payments_from_bytes` succeeds only when the reader found nothing wrong.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::ErrorKind;
use opcorp::statement::{StatementReader, read_payments_from_bytes};

fuzz_target!(|bytes: &[u8]| {
    let mut reader = StatementReader::from_bytes(bytes);
    let mut failed = false;
    for item in reader.by_ref() {
        assert!(!failed, "the reader went on after an error");
        if let Err(err) = item {
            assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
            failed = true;
        }
    }
    assert!(reader.next().is_none(), "the reader yields after its end");
    match read_payments_from_bytes(bytes) {
        Ok(_) => assert!(!failed, "payments from a file the reader refused"),
        Err(err) => assert!(
            matches!(err.kind(), ErrorKind::Decode | ErrorKind::InvalidInput),
            "{err}"
        ),
    }
});
