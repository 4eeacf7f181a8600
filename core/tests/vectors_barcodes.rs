//! Replays `tests/vectors/barcodes.json`: virtual bank barcodes v4 and v5.
#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] included)

mod vectors_support;

use opcorp::ErrorKind;
use opcorp::domain::barcode::VirtualBarcode;
use opcorp::domain::iban::Iban;
use opcorp::domain::reference::Reference;
use serde_json::Value;
use vectors_support::{list, load, opt_text, text};

fn date(text: Option<&str>) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.map(|t| time::Date::parse(t, format).unwrap())
}

fn fields(case: &Value) -> opcorp::Result<VirtualBarcode> {
    Ok(VirtualBarcode {
        iban: Iban::parse(text(case, "iban"))?,
        amount: text(case, "amount").parse()?,
        reference: Reference::parse(text(case, "reference"))?,
        due_date: date(opt_text(case, "due_date")),
    })
}

#[test]
fn encode_then_decode() {
    let v = load("barcodes.json");
    for case in list(&v, "encode") {
        let barcode = fields(case).unwrap();
        assert_eq!(barcode.encode().unwrap(), text(case, "barcode"), "{case}");
        assert_eq!(
            u64::from(barcode.version()),
            case["version"].as_u64().unwrap()
        );
        let decoded = VirtualBarcode::decode(text(case, "barcode")).unwrap();
        let want = &case["decoded"];
        assert_eq!(decoded.iban.as_str(), text(want, "iban"), "{case}");
        assert_eq!(decoded.amount.to_string(), text(want, "amount"), "{case}");
        assert_eq!(
            decoded.reference.as_str(),
            text(want, "reference"),
            "{case}"
        );
        assert_eq!(decoded.due_date, date(opt_text(want, "due_date")), "{case}");
        assert_eq!(
            u64::from(decoded.version()),
            want["version"].as_u64().unwrap()
        );
    }
}

#[test]
fn bad_fields_and_bad_barcodes_are_invalid_input() {
    let v = load("barcodes.json");
    for case in list(&v, "encode_invalid") {
        let err = fields(case).and_then(|b| b.encode()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{case}");
    }
    for case in list(&v, "decode_invalid") {
        let err = VirtualBarcode::decode(text(case, "barcode")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{case}");
    }
}
