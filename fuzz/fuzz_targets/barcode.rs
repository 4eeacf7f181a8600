//! Virtual bank barcodes (versions 4 and 5): a barcode that decodes encodes back to exactly
//! its digits, and decoding that gives the same fields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::domain::barcode::{BARCODE_LEN, VirtualBarcode};

fuzz_target!(|text: &str| {
    let Ok(barcode) = VirtualBarcode::decode(text) else {
        return;
    };
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let encoded = barcode.encode().unwrap_or_else(|e| panic!("{digits}: {e}"));
    assert_eq!(encoded.len(), BARCODE_LEN);
    assert_eq!(encoded, digits);
    assert_eq!(barcode.to_string(), encoded);
    assert_eq!(
        VirtualBarcode::decode(&encoded).ok().as_ref(),
        Some(&barcode)
    );
    assert_eq!(encoded[..1], barcode.version().to_string());
    assert!(barcode.iban.is_finnish());
    assert!(!barcode.amount.is_negative());
});
