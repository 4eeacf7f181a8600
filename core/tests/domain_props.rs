//! Property tests for the Finnish domain toolkit: generated valid and invalid references,
//! RF references, IBANs and barcodes; normalisation is idempotent; known vectors.
#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] included)

use opcorp::domain::barcode::VirtualBarcode;
use opcorp::domain::bic::Bic;
use opcorp::domain::iban::Iban;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;
use opcorp::{Amount, ErrorKind};
use proptest::prelude::*;
use time::Date;

/// Reference 1232: base 123 weighted right to left 3·7 + 2·3 + 1·1 = 28; (10 − 8) mod 10 = 2.
#[test]
fn known_vectors() {
    assert_eq!(FinnishReference::generate("123").unwrap().as_str(), "1232");
    assert!(RfReference::parse("RF18539007547034").is_ok());
    assert!(RfReference::parse("RF18 5390 0754 7034").is_ok());
    assert!(RfReference::parse("RF18539007547035").is_err());
    for valid in [
        "FI2112345600000785",
        "FI3859991620004143",
        "FI6359991620004275",
    ] {
        assert!(Iban::parse(valid).is_ok(), "{valid}");
    }
    for invalid in [
        "FI7450009420999999",
        "FI4550009420888888",
        "FI6359991620014321",
    ] {
        let err = Iban::parse(invalid).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.message().contains("check digits"), "{err}");
    }
    // Non-ASCII next to the check digits must be an error, not a panic on a char boundary.
    for text in ["RF1é23", "RFé", "FI2é12345600000785", "OKOYFIHé", "4é"] {
        assert!(
            Reference::parse(text).is_err() && Iban::parse(text).is_err(),
            "{text}"
        );
        assert!(
            Bic::parse(text).is_err() && VirtualBarcode::decode(text).is_err(),
            "{text}"
        );
    }
    // RF form of a Finnish reference: body 1232, check digits from "1232RF00" mod 97.
    let rf = RfReference::from_finnish(&FinnishReference::parse("1232").unwrap());
    assert_eq!(rf.body(), "1232");
    assert!(RfReference::parse(rf.as_str()).is_ok());
}

fn digits(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(0u8..10, min..=max)
        .prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

/// A base of 3..=19 significant digits (no leading zero).
fn base() -> impl Strategy<Value = String> {
    (1u8..10, digits(2, 18)).prop_map(|(first, rest)| format!("{first}{rest}"))
}

fn spaced(text: &str, every: usize, lowercase: bool) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if every > 0 && i > 0 && i % every == 0 {
            out.push(' ');
        }
        out.push(if lowercase { c.to_ascii_lowercase() } else { c });
    }
    out
}

fn finnish_ibans() -> impl Strategy<Value = Iban> {
    digits(14, 14).prop_map(|bban| {
        // Try every check value; exactly one is valid.
        (2..=98)
            .map(|c| format!("FI{c:02}{bban}"))
            .find_map(|s| Iban::parse(&s).ok())
            .unwrap()
    })
}

proptest! {
    #[test]
    fn generated_finnish_references_round_trip(b in base(), every in 0usize..6, zeros in 0usize..3) {
        let r = FinnishReference::generate(&b).unwrap();
        prop_assert_eq!(r.as_str().len(), b.len() + 1);
        for form in [r.as_str().to_owned(), r.padded(), r.grouped(), spaced(r.as_str(), every, false)] {
            let again = FinnishReference::parse(&form).unwrap();
            prop_assert_eq!(&again, &r);
            prop_assert_eq!(FinnishReference::parse(again.as_str()).unwrap(), again.clone());
        }
        let padded = format!("{}{}", "0".repeat(zeros), r.as_str());
        if padded.len() <= 20 {
            prop_assert_eq!(FinnishReference::parse(&padded).unwrap(), r.clone());
        }
        prop_assert_eq!(r.padded().len(), 20);
    }

    #[test]
    fn any_wrong_check_digit_is_rejected(b in base(), delta in 1u8..10) {
        let r = FinnishReference::generate(&b).unwrap();
        let wrong = (r.check_digit() + delta) % 10;
        let text = format!("{b}{wrong}");
        let err = FinnishReference::parse(&text).unwrap_err();
        prop_assert_eq!(err.kind(), ErrorKind::InvalidInput);
        let expected = format!("check digit should be {}, found {wrong}", r.check_digit());
        prop_assert!(err.message().contains(&expected), "{}", err.message());
    }

    #[test]
    fn single_digit_typos_are_caught(b in base(), pos in any::<prop::sample::Index>(), d in 0u8..10) {
        // 7-3-1 weights catch every single-digit substitution.
        let r = FinnishReference::generate(&b).unwrap();
        let mut bytes = r.as_str().as_bytes().to_vec();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != b'0' + d && !(i == 0 && d == 0));
        bytes[i] = b'0' + d;
        let typo = String::from_utf8(bytes).unwrap();
        prop_assert!(FinnishReference::parse(&typo).is_err(), "{}", typo);
    }

    #[test]
    fn garbage_never_panics(s in "\\PC{0,40}") {
        let _ = FinnishReference::parse(&s);
        let _ = RfReference::parse(&s);
        let _ = Reference::parse(&s);
        let _ = Iban::parse(&s);
        let _ = Bic::parse(&s);
        let _ = VirtualBarcode::decode(&s);
    }

    #[test]
    fn digit_strings_never_panic(s in "[0-9 ]{0,60}", prefix in "(RF|rf|FI|4|5)?") {
        let text = format!("{prefix}{s}");
        let _ = Reference::parse(&text);
        let _ = Iban::parse(&text);
        let _ = VirtualBarcode::decode(&text);
    }

    #[test]
    fn rf_references_round_trip(body in "[0-9A-Za-z]{1,21}", every in 0usize..6, lower in any::<bool>()) {
        let r = RfReference::generate(&body).unwrap();
        prop_assert!(r.as_str().len() <= 25);
        for form in [r.as_str().to_owned(), r.grouped(), spaced(r.as_str(), every, lower)] {
            prop_assert_eq!(RfReference::parse(&form).unwrap(), r.clone());
        }
        prop_assert_eq!(Reference::parse(&r.grouped()).unwrap(), Reference::Rf(r.clone()));
    }

    #[test]
    fn rf_bad_check_digits_are_rejected(body in "[0-9A-Z]{1,21}", delta in 1u32..97) {
        let r = RfReference::generate(&body).unwrap();
        let check: u32 = r.check_digits().parse().unwrap();
        let wrong = (check + delta) % 100;
        prop_assume!(wrong != check);
        let text = format!("RF{wrong:02}{body}");
        prop_assert!(RfReference::parse(&text).is_err(), "{}", text);
    }

    #[test]
    fn rf_too_long_is_rejected(body in "[0-9A-Z]{22,30}") {
        prop_assert!(RfReference::generate(&body).is_err());
    }

    #[test]
    fn finnish_and_rf_forms_share_a_key(b in base()) {
        let f = FinnishReference::generate(&b).unwrap();
        let rf = RfReference::from_finnish(&f);
        prop_assert_eq!(rf.to_finnish(), Some(f.clone()));
        let keys = [
            Reference::parse(f.as_str()).unwrap().match_key(),
            Reference::parse(&f.padded()).unwrap().match_key(),
            Reference::parse(&rf.grouped()).unwrap().match_key(),
        ];
        prop_assert!(keys.iter().all(|k| *k == keys[0]));
    }

    #[test]
    fn ibans_round_trip(iban in finnish_ibans(), every in 0usize..6, lower in any::<bool>()) {
        for form in [iban.as_str().to_owned(), iban.grouped(), spaced(iban.as_str(), every, lower)] {
            prop_assert_eq!(Iban::parse(&form).unwrap(), iban);
        }
        prop_assert_eq!(iban.as_str().len(), 18);
        prop_assert!(iban.is_finnish());
    }

    #[test]
    fn iban_typos_are_caught(iban in finnish_ibans(), pos in 4usize..18, d in 0u8..10) {
        let mut bytes = iban.as_str().as_bytes().to_vec();
        prop_assume!(bytes[pos] != b'0' + d);
        bytes[pos] = b'0' + d;
        let typo = String::from_utf8(bytes).unwrap();
        prop_assert!(Iban::parse(&typo).is_err());
    }

    #[test]
    fn iban_wrong_length_is_rejected(iban in finnish_ibans(), cut in 1usize..4) {
        let short = &iban.as_str()[..18 - cut];
        let err = Iban::parse(short).unwrap_err();
        prop_assert!(err.message().contains("should have 18"), "{}", err.message());
        let long = format!("{}{}", iban.as_str(), "0".repeat(cut));
        prop_assert!(Iban::parse(&long).is_err());
    }

    #[test]
    fn barcodes_round_trip(
        iban in finnish_ibans(),
        cents in 0i64..=99_999_999,
        b in base(),
        rf in any::<bool>(),
        day in prop::option::of(0i32..36_000),
    ) {
        let finnish = FinnishReference::generate(&b).unwrap();
        let reference = if rf {
            Reference::Rf(RfReference::from_finnish(&finnish))
        } else {
            Reference::Finnish(finnish)
        };
        let due_date = day.map(|d| {
            Date::from_calendar_date(2000, time::Month::January, 1).unwrap()
                + time::Duration::days(i64::from(d))
        });
        let code = VirtualBarcode {
            iban,
            amount: Amount::from_minor_units(cents),
            reference: reference.clone(),
            due_date,
        };
        let text = code.encode().unwrap();
        prop_assert_eq!(text.len(), 54);
        prop_assert!(text.bytes().all(|c| c.is_ascii_digit()));
        prop_assert_eq!(&text[..1], if rf { "5" } else { "4" });
        let back = VirtualBarcode::decode(&text).unwrap();
        prop_assert_eq!(back.iban, iban);
        prop_assert_eq!(back.amount, Amount::from_minor_units(cents));
        prop_assert_eq!(back.reference.match_key(), reference.match_key());
        prop_assert_eq!(back.due_date, due_date);
        prop_assert_eq!(back.encode().unwrap(), text);
    }

    #[test]
    fn barcode_amounts_above_limit_fail(cents in 100_000_000i64..10_000_000_000) {
        let code = VirtualBarcode {
            iban: Iban::parse("FI3859991620004143").unwrap(),
            amount: Amount::from_minor_units(cents),
            reference: Reference::parse("1232").unwrap(),
            due_date: None,
        };
        prop_assert!(code.encode().unwrap_err().message().contains("999999.99"));
    }
}
