//! Replays `tests/vectors/iban_bic.json`: IBAN and BIC validation.

mod vectors_support;

use opcorp::ErrorKind;
use opcorp::domain::bic::Bic;
use opcorp::domain::iban::Iban;
use vectors_support::{list, load, opt_text, text};

#[test]
fn ibans() {
    let v = load("iban_bic.json");
    for case in list(&v, "ibans") {
        let iban = Iban::parse(text(case, "input")).unwrap();
        assert_eq!(iban.as_str(), text(case, "normalized"), "{case}");
        assert_eq!(iban.grouped(), text(case, "grouped"), "{case}");
        assert_eq!(iban.country(), text(case, "country"), "{case}");
        let bic = Bic::for_finnish_iban(&iban);
        assert_eq!(
            bic.as_ref().map(Bic::as_str),
            opt_text(case, "bic"),
            "{case}"
        );
    }
    for case in list(&v, "ibans_invalid") {
        let err = Iban::parse(text(case, "input")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{case}");
    }
}

#[test]
fn bics() {
    let v = load("iban_bic.json");
    for case in list(&v, "bics") {
        let bic = Bic::parse(text(case, "input")).unwrap();
        assert_eq!(bic.as_str(), text(case, "normalized"), "{case}");
    }
    for case in list(&v, "bics_invalid") {
        let err = Bic::parse(text(case, "input")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{case}");
    }
}
