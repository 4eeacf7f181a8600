//! Creditor references: Finnish (7-3-1), RF (ISO 11649) and the `Reference` that reads
//! either. Parsing normalises, so every printed form parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;

fuzz_target!(|text: &str| {
    if let Ok(finnish) = FinnishReference::parse(text) {
        let canonical = finnish.as_str();
        assert!((4..=20).contains(&canonical.len()), "{canonical}");
        assert!(canonical.bytes().all(|b| b.is_ascii_digit()) && !canonical.starts_with('0'));
        for form in [canonical.to_owned(), finnish.padded(), finnish.grouped()] {
            assert_eq!(
                FinnishReference::parse(&form).ok().as_ref(),
                Some(&finnish),
                "{form}"
            );
        }
        let base = &canonical[..canonical.len() - 1];
        assert_eq!(
            FinnishReference::generate(base).ok().as_ref(),
            Some(&finnish)
        );
        let rf = RfReference::from_finnish(&finnish);
        assert_eq!(rf.to_finnish().as_ref(), Some(&finnish));
        assert_eq!(
            Reference::Rf(rf).match_key(),
            Reference::Finnish(finnish.clone()).match_key()
        );
    }
    if let Ok(rf) = RfReference::parse(text) {
        let canonical = rf.as_str();
        assert!(canonical.starts_with("RF") && (5..=25).contains(&canonical.len()));
        for form in [
            canonical.to_owned(),
            rf.grouped(),
            canonical.to_ascii_lowercase(),
        ] {
            assert_eq!(RfReference::parse(&form).ok().as_ref(), Some(&rf), "{form}");
        }
        assert_eq!(RfReference::generate(rf.body()).ok().as_ref(), Some(&rf));
        assert_eq!(format!("RF{}{}", rf.check_digits(), rf.body()), canonical);
    }
    if let Ok(reference) = Reference::parse(text) {
        for form in [reference.as_str().to_owned(), reference.grouped()] {
            let again = Reference::parse(&form).unwrap_or_else(|e| panic!("{form:?}: {e}"));
            assert_eq!(again, reference);
            assert_eq!(again.match_key(), reference.match_key());
        }
        assert_eq!(
            reference.to_string().parse::<Reference>().ok(),
            Some(reference.clone())
        );
        let json = serde_json::to_string(&reference).expect("a reference serialises");
        assert_eq!(
            serde_json::from_str::<Reference>(&json).ok(),
            Some(reference)
        );
    }
    if let Ok(generated) = FinnishReference::generate(text) {
        assert_eq!(
            FinnishReference::parse(generated.as_str()).ok(),
            Some(generated)
        );
    }
    if let Ok(generated) = RfReference::generate(text) {
        assert_eq!(RfReference::parse(generated.as_str()).ok(), Some(generated));
    }
});
