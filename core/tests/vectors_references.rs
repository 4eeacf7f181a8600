//! Replays `tests/vectors/references.json`: Finnish references and `Reference` parsing.

mod vectors_support;

use opcorp::ErrorKind;
use opcorp::domain::reference::{FinnishReference, Reference};
use vectors_support::{list, load, text};

#[test]
fn valid_references_normalize_and_group() {
    let v = load("references.json");
    for case in list(&v, "valid") {
        let r = Reference::parse(text(case, "input")).unwrap();
        assert_eq!(r.as_str(), text(case, "normalized"), "{case}");
        assert_eq!(r.grouped(), text(case, "grouped"), "{case}");
        let kind = match r {
            Reference::Finnish(_) => "finnish",
            Reference::Rf(_) => "rf",
        };
        assert_eq!(kind, text(case, "kind"), "{case}");
    }
}

#[test]
fn invalid_references_are_invalid_input() {
    let v = load("references.json");
    for case in list(&v, "invalid") {
        let err = Reference::parse(text(case, "input")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{case}");
    }
}

#[test]
fn generate_appends_the_check_digit() {
    let v = load("references.json");
    for case in list(&v, "generate") {
        let r = FinnishReference::generate(text(case, "base")).unwrap();
        assert_eq!(r.as_str(), text(case, "reference"), "{case}");
    }
    for case in list(&v, "generate_invalid") {
        let err = FinnishReference::generate(text(case, "base")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{case}");
    }
}
