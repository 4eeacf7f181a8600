//! Replays the shared money vectors (`tests/vectors/amounts.json`) through core: the strict
//! rule for amounts a user sends (`Amount::parse_input`, and the JSON request models a CLI
//! file, the C API, Node, WASM and the gateway decode) and lenient-but-exact reading of the
//! bank's amounts (`Amount::parse_lenient` and the response models).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (clippy.toml)

use opcorp::Amount;
use opcorp::model::{Account, PaymentRequest, RefundRequest};
use serde_json::{Value, json};

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/amounts.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn cases(section: &str) -> Vec<Value> {
    let cases = vectors()[section].as_array().unwrap().clone();
    assert!(cases.len() >= 8, "{section}: too few cases");
    cases
}

/// A valid payment request body with `amount` as its `instructedAmount.amount`.
fn payment_json(amount: &Value) -> String {
    json!({
        "instructionId": "VEC1",
        "debtor": {"name": "Esimerkki Oy", "iban": "FI3859991620004143"},
        "creditor": {"name": "Toimittaja Oy", "iban": "FI2112345600000785"},
        "instructedAmount": {"amount": amount, "currency": "EUR"},
        "reference": "RF18539007547034"
    })
    .to_string()
}

/// A valid refund request body with `amount`.
fn refund_json(amount: &Value) -> String {
    json!({
        "archiveId": "20260105593497O10004",
        "amount": amount,
        "message": "Palautus",
        "accountIban": "FI3859991620004143",
        "transactionDate": "2026-01-05"
    })
    .to_string()
}

/// The payment path's outcome for a case: the amount written into the body, or the error
/// code, from the JSON request model (what every binding's request decoder uses).
fn through_payment_json(input: &Value) -> Result<String, String> {
    let decoded: Result<PaymentRequest, _> = serde_json::from_str(&payment_json(input));
    let request = decoded.map_err(|e| {
        let message = e.to_string();
        assert!(
            message.contains("instructedAmount.amount"),
            "the error names the field: {message}"
        );
        "INVALID_INPUT".to_owned()
    })?;
    let body = request.to_body().map_err(|e| e.code().to_owned())?;
    let sent: Value = serde_json::from_slice(&body).unwrap();
    Ok(sent["instructedAmount"]["amount"]
        .as_str()
        .unwrap()
        .to_owned())
}

fn through_refund_json(input: &Value) -> Result<String, String> {
    let decoded: Result<RefundRequest, _> = serde_json::from_str(&refund_json(input));
    let request = decoded.map_err(|e| {
        assert!(e.to_string().contains("amount"), "{e}");
        "INVALID_INPUT".to_owned()
    })?;
    let body = request.to_body().map_err(|e| e.code().to_owned())?;
    let sent: Value = serde_json::from_slice(&body).unwrap();
    Ok(sent["amount"].as_str().unwrap().to_owned())
}

/// The typed path (builder after `parse_input`), as the CLI flags and Python take it.
fn through_builder(input: &Value) -> Result<String, String> {
    let Some(text) = input.as_str() else {
        return Err("INVALID_INPUT".to_owned());
    };
    let amount = Amount::parse_input(text).map_err(|e| e.code().to_owned())?;
    let request = PaymentRequest::builder()
        .debtor("Esimerkki Oy", "FI3859991620004143")
        .creditor("Toimittaja Oy", "FI2112345600000785")
        .amount(amount)
        .reference("RF18539007547034")
        .build()
        .map_err(|e| e.code().to_owned())?;
    Ok(request
        .instructed_amount
        .amount
        .to_payment_string()
        .unwrap())
}

#[test]
fn strict_input_vectors() {
    for case in cases("input") {
        let name = case["name"].as_str().unwrap();
        let input = &case["input"];
        let parsed = input.as_str().map(Amount::parse_input);
        match (case.get("value"), parsed) {
            (Some(want), Some(Ok(got))) => assert_eq!(got.to_string(), want.as_str().unwrap()),
            (None, Some(Err(err))) => {
                assert_eq!(err.code(), "INVALID_INPUT", "{name}");
                assert!(err.message().contains("amount"), "{name}: {err}");
            }
            (None, None) => {}
            (want, got) => panic!("{name}: parse_input gave {got:?}, want {want:?}"),
        }
        let want = match (&case.get("payment"), &case.get("error")) {
            (Some(p), None) => Ok(p.as_str().unwrap().to_owned()),
            (None, Some(e)) => Err(e.as_str().unwrap().to_owned()),
            _ => panic!("{name}: a case has exactly one of payment and error"),
        };
        assert_eq!(through_payment_json(input), want, "{name}: payment JSON");
        assert_eq!(through_refund_json(input), want, "{name}: refund JSON");
        assert_eq!(through_builder(input), want, "{name}: builder");
    }
}

#[test]
fn lenient_response_vectors() {
    for case in cases("response") {
        let name = case["name"].as_str().unwrap();
        let input = &case["input"];
        let account: Result<Account, _> = serde_json::from_value(json!({
            "iban": "FI3859991620004143",
            "balance": input,
            "currency": "EUR",
            "surrogateId": "acc1"
        }));
        match (case.get("value"), case.get("error")) {
            (Some(want), None) => {
                let got = account.unwrap_or_else(|e| panic!("{name}: {e}")).balance;
                assert_eq!(got.to_string(), want.as_str().unwrap(), "{name}");
                if let Some(text) = input.as_str() {
                    assert_eq!(Amount::parse_lenient(text).unwrap(), got, "{name}");
                }
            }
            (None, Some(code)) => {
                assert!(account.is_err(), "{name}: decoded {account:?}");
                let err = Amount::parse_lenient(input.as_str().unwrap()).unwrap_err();
                assert_eq!(err.code(), code.as_str().unwrap(), "{name}");
            }
            _ => panic!("{name}: a case has exactly one of value and error"),
        }
    }
}
