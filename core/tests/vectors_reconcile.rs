//! Replays `tests/vectors/reconcile.json`: open items and payments (or OP transactions,
//! converted by `From<&Transaction> for Payment`) → the full report.
#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] included)

mod vectors_support;

use opcorp::model::Transaction;
use opcorp::reconcile::{OpenItem, Payment, reconcile};
use serde_json::Value;
use vectors_support::{list, load};

fn parse<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap()
}

fn check(case: &Value, payments: Vec<Payment>) {
    let items: Vec<OpenItem> = parse(&case["items"]);
    let report = reconcile(items, payments);
    let actual = serde_json::to_value(&report).unwrap();
    assert_eq!(actual, case["report"], "case {}", case["name"]);
    assert_eq!(Value::Bool(report.is_settled()), case["settled"]);
}

#[test]
fn payments_give_the_expected_reports() {
    let v = load("reconcile.json");
    for case in list(&v, "cases") {
        check(case, parse(&case["payments"]));
    }
}

#[test]
fn transactions_convert_by_one_rule() {
    let v = load("reconcile.json");
    for case in list(&v, "transactions_to_payments") {
        let tx: Transaction = parse(&case["transaction"]);
        let payment = serde_json::to_value(Payment::from(&tx)).unwrap();
        assert_eq!(payment, case["payment"]);
    }
    for case in list(&v, "transaction_cases") {
        let txs: Vec<Transaction> = parse(&case["transactions"]);
        check(case, txs.iter().map(Payment::from).collect());
    }
}
