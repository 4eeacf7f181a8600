//! Replays `tests/vectors/rf.json`: RF creditor references.

mod vectors_support;

use opcorp::ErrorKind;
use opcorp::domain::reference::FinnishReference;
use opcorp::domain::rf::RfReference;
use vectors_support::{list, load, opt_text, text};

#[test]
fn generate_and_convert() {
    let v = load("rf.json");
    for case in list(&v, "generate") {
        let rf = RfReference::generate(text(case, "body")).unwrap();
        assert_eq!(rf.as_str(), text(case, "rf"), "{case}");
        assert_eq!(RfReference::parse(text(case, "rf")).unwrap(), rf);
    }
    for case in list(&v, "generate_invalid") {
        let err = RfReference::generate(text(case, "body")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{case}");
    }
    for case in list(&v, "from_finnish") {
        let finnish = FinnishReference::parse(text(case, "finnish")).unwrap();
        assert_eq!(
            RfReference::from_finnish(&finnish).as_str(),
            text(case, "rf")
        );
    }
    for case in list(&v, "to_finnish") {
        let rf = RfReference::parse(text(case, "rf")).unwrap();
        let finnish = rf.to_finnish();
        assert_eq!(
            finnish.as_ref().map(FinnishReference::as_str),
            opt_text(case, "finnish"),
            "{case}"
        );
    }
}

#[test]
fn malformed_rf_references_are_invalid_input() {
    let v = load("rf.json");
    for case in list(&v, "invalid") {
        let err = RfReference::parse(text(case, "input")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{case}");
    }
}
