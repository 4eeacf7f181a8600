//! Replays `tests/vectors/reconcile.json` through `opcorp --json reconcile`: the CLI gives
//! the same report as core and every binding, from payments and from OP transactions.
#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] included)

mod common;

use common::opcorp;
use serde_json::Value;

fn vectors() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/reconcile.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The invoices CSV the CLI reads, from the vector's open items.
fn invoices_csv(items: &Value) -> String {
    let mut csv = String::from("id,reference,amount,currency,due\n");
    for item in items.as_array().unwrap() {
        let text = |key: &str| item[key].as_str().unwrap_or_default().to_owned();
        let currency = item["currency"].as_str().unwrap_or("EUR");
        csv.push_str(&format!(
            "{},{},{},{currency},{}\n",
            text("id"),
            text("reference"),
            text("amount"),
            text("due_date")
        ));
    }
    csv
}

fn report(items: &Value, transactions: &Value) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let invoices = dir.path().join("invoices.csv");
    let payments = dir.path().join("payments.json");
    std::fs::write(&invoices, invoices_csv(items)).unwrap();
    std::fs::write(&payments, transactions.to_string()).unwrap();
    let run = opcorp(&[
        "--json",
        "reconcile",
        "--strict",
        "--invoices",
        invoices.to_str().unwrap(),
        "--transactions",
        payments.to_str().unwrap(),
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    (run.code, serde_json::from_str(&run.stdout).unwrap())
}

#[test]
fn the_cli_gives_the_same_reports() {
    let v = vectors();
    let cases = v["cases"].as_array().unwrap();
    let from_transactions = v["transaction_cases"].as_array().unwrap();
    for case in cases {
        let (code, actual) = report(&case["items"], &case["payments"]);
        assert_eq!(actual, case["report"], "case {}", case["name"]);
        assert_eq!(
            code == 0,
            case["settled"].as_bool().unwrap(),
            "--strict: {}",
            case["name"]
        );
    }
    for case in from_transactions {
        let (_, actual) = report(&case["items"], &case["transactions"]);
        assert_eq!(actual, case["report"], "case {}", case["name"]);
    }
}
