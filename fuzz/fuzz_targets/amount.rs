//! Money parsing: the strict rule for amounts a user sends (`Amount::parse_input`) and the
//! lenient one for amounts the bank sends (`Amount::parse_lenient`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::{Amount, ErrorKind};

fuzz_target!(|text: &str| {
    let strict = Amount::parse_input(text);
    let lenient = Amount::parse_lenient(text);
    if let Ok(amount) = &strict {
        // Strict is a subset of lenient, with the same value and the same scale.
        let from_lenient = lenient
            .as_ref()
            .expect("parse_input accepted, parse_lenient refused");
        assert_eq!(from_lenient, amount);
        assert_eq!(from_lenient.to_string(), amount.to_string());
        assert!(!amount.is_negative());
        assert_eq!(Amount::parse_input(&amount.to_string()).ok(), Some(*amount));
    }
    if let Err(err) = &strict {
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    }
    match &lenient {
        Ok(amount) => {
            // Display is a plain decimal that reads back exactly, scale included.
            let shown = amount.to_string();
            let back: Amount = shown.parse().unwrap_or_else(|e| panic!("{shown:?}: {e}"));
            assert_eq!(&back, amount);
            assert_eq!(back.to_string(), shown);
            assert_eq!(Amount::parse_lenient(&shown).ok(), Some(*amount));
            check_payment_string(amount);
            if let Ok(cents) = amount.to_minor_units() {
                assert_eq!(&Amount::from_minor_units(cents), amount);
            }
        }
        Err(err) => assert_eq!(err.kind(), ErrorKind::Decode),
    }
});

/// A payment string is `^\d{1,13}\.\d{2}$`, strictly parseable, and the same amount.
fn check_payment_string(amount: &Amount) {
    let Ok(payment) = amount.to_payment_string() else {
        return;
    };
    let (int, frac) = payment.split_once('.').expect("a payment string has a dot");
    assert!(
        (1..=13).contains(&int.len()) && frac.len() == 2,
        "{payment}"
    );
    assert!(
        int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()),
        "{payment}"
    );
    assert_eq!(Amount::parse_input(&payment).ok(), Some(*amount));
}
