//! Transaction Filter, Transaction Info (payer details) and Service Provider mandates.

use serde_json::{Value, json};

use super::support::*;
use crate::bank::ids::business_id_is_valid;
use crate::bank::{Bank, IncomingPayment};

const CREDITS: &str = "/corporate-transaction-filter/v2/credit-transactions";
const DEBITS: &str = "/corporate-transaction-filter/v2/debit-transactions";
const PAYER: &str = "/corporate-transaction-info/v1/payer-details";

fn filter(bank: &mut Bank, path: &str, body: Value) -> (u16, Value) {
    let r = post(
        bank,
        "alice",
        path,
        &serde_json::to_vec(&body).unwrap(),
        None,
    );
    (r.status, json(&r))
}

fn incoming(
    bank: &mut Bank,
    iban: &str,
    amount: &str,
    reference: Option<&str>,
    name: &str,
    debtor: Option<&str>,
) -> String {
    bank.simulate_incoming(
        &IncomingPayment {
            account_iban: iban.into(),
            amount: amount.into(),
            reference: reference.map(Into::into),
            message: if reference.is_none() {
                Some("hello".into())
            } else {
                None
            },
            debtor_name: name.into(),
            debtor_iban: debtor.map(Into::into),
        },
        NOW,
    )
    .unwrap()
    .archive_id
}

#[test]
fn filter_limits_order_and_matching() {
    let mut bank = bank_with(3_000);
    let iban = bank.accounts_of("alice")[0].iban.clone();
    let window = json!({"accountIban": iban, "startDate": "2024-05-10T00:00:00Z", "endDate": "2024-06-01T23:59:59Z"});
    let (status, v) = filter(&mut bank, CREDITS, window.clone());
    assert_eq!(status, 200, "{v}");
    let list = v["transactions"].as_array().unwrap();
    assert_eq!(list.len(), 10);
    assert!(v["skipped"].as_u64().unwrap() > 100);
    for w in list.windows(2) {
        assert!(
            w[0]["timestamp"].as_i64() >= w[1]["timestamp"].as_i64(),
            "newest first"
        );
    }
    assert!(
        list.iter()
            .all(|t| !t["amount"].as_str().unwrap().starts_with('-'))
    );
    let (_, d) = filter(&mut bank, DEBITS, window.clone());
    assert!(
        d["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["amount"].as_str().unwrap().starts_with('-'))
    );

    // Reference (leading zeros ignored), amount range, debtor name.
    incoming(
        &mut bank,
        &iban,
        "249.00",
        Some("2024 0015 2"),
        "Asiakas Ab",
        None,
    );
    incoming(
        &mut bank,
        &iban,
        "300.00",
        Some("RF18539007547034"),
        "Toinen Oy",
        None,
    );
    let mut q = window.clone();
    q["reference"] = json!("00000000000202400152");
    let (_, v) = filter(&mut bank, CREDITS, q);
    assert_eq!(v["skipped"], 0);
    assert_eq!(v["transactions"][0]["amount"], "249.00");
    assert_eq!(v["transactions"].as_array().unwrap().len(), 1);
    let mut q = window.clone();
    q["reference"] = json!("rf18 5390 0754 7034");
    let (_, v) = filter(&mut bank, CREDITS, q);
    assert_eq!(v["transactions"][0]["debtorName"], "Toinen Oy");
    let mut q = window.clone();
    q["debtorName"] = json!("ASIAKAS AB");
    q["minAmount"] = json!("249.00");
    q["maxAmount"] = json!("249");
    let (_, v) = filter(&mut bank, CREDITS, q);
    assert_eq!(v["transactions"].as_array().unwrap().len(), 1);
    assert_eq!(v["transactions"][0]["reference"], "00000000000202400152");
}

#[test]
fn filter_errors() {
    let mut bank = bank();
    let iban = bank.accounts_of("alice")[0].iban.clone();
    let bobs = bank.accounts_of("bob")[0].iban.clone();
    let ok = json!({"accountIban": iban, "startDate": "2024-05-01T00:00:00Z", "endDate": "2024-05-31T00:00:00Z"});
    assert_eq!(
        filter(&mut bank, CREDITS, ok.clone()).0,
        200,
        "exactly 30 days"
    );
    let cases: Vec<(Value, u16)> = vec![
        (
            json!({"accountIban": iban, "startDate": "2024-05-01T00:00:00Z", "endDate": "2024-05-31T00:00:01Z"}),
            400,
        ),
        (
            json!({"accountIban": iban, "startDate": "2024-05-02T00:00:00Z", "endDate": "2024-05-01T00:00:00Z"}),
            400,
        ),
        (
            json!({"accountIban": iban, "startDate": "2024-05-01", "endDate": "2024-05-02T00:00:00Z"}),
            400,
        ),
        (
            json!({"accountIban": iban, "startDate": "2024-05-01T00:00:00+03:00", "endDate": "2024-05-02T00:00:00Z"}),
            400,
        ),
        (
            json!({"accountIban": iban, "endDate": "2024-05-02T00:00:00Z"}),
            400,
        ),
        (
            json!({"startDate": "2024-05-01T00:00:00Z", "endDate": "2024-05-02T00:00:00Z"}),
            400,
        ),
        (
            json!({"accountIban": iban, "startDate": "2024-05-01T00:00:00Z", "endDate": "2024-05-02T00:00:00Z", "minAmount": "abc"}),
            400,
        ),
        (
            json!({"accountIban": iban, "startDate": "2024-05-01T00:00:00Z", "endDate": "2024-05-02T00:00:00Z", "minAmount": "5", "maxAmount": "4"}),
            400,
        ),
        (
            json!({"accountIban": iban, "startDate": "2024-05-01T00:00:00Z", "endDate": "2024-05-02T00:00:00Z", "creditorName": "x"}),
            400,
        ),
        (
            json!({"accountIban": iban, "startDate": "2024-05-01T00:00:00Z", "endDate": "2024-05-02T00:00:00Z", "reference": "abc"}),
            400,
        ),
        (
            json!({"accountIban": bobs, "startDate": "2024-05-01T00:00:00Z", "endDate": "2024-05-02T00:00:00Z"}),
            404,
        ),
    ];
    for (body, status) in cases {
        let (s, v) = filter(&mut bank, CREDITS, body.clone());
        assert_eq!(s, status, "{body}: {v}");
    }
}

#[test]
fn payer_details_for_op_payers_only() {
    let mut bank = bank();
    let iban = bank.accounts_of("alice")[0].iban.clone();
    let op = incoming(
        &mut bank,
        &iban,
        "10.00",
        None,
        "Maija Mäkinen",
        Some("FI3859991620004143"),
    );
    let other = incoming(
        &mut bank,
        &iban,
        "10.00",
        None,
        "Nordea Asiakas",
        Some("FI2112345600000785"),
    );
    let r = post(
        &mut bank,
        "alice",
        PAYER,
        &serde_json::to_vec(&json!({"accountIban": iban, "archiveId": op})).unwrap(),
        None,
    );
    assert_eq!(r.status, 200);
    let v = json(&r);
    assert_eq!(v["payerName"], "Maija Mäkinen");
    assert_eq!(v["payerAddress"]["country"], "FI");
    assert_eq!(
        v["payerAddress"]["addressLine"].as_array().unwrap().len(),
        2
    );
    let with_date = json!({"accountIban": iban, "archiveId": op, "bookingDate": "2024-06-01"});
    assert_eq!(
        post(
            &mut bank,
            "alice",
            PAYER,
            &serde_json::to_vec(&with_date).unwrap(),
            None
        )
        .status,
        200
    );
    for body in [
        json!({"accountIban": iban, "archiveId": other}),
        json!({"accountIban": iban, "archiveId": op, "bookingDate": "2024-05-01"}),
        json!({"accountIban": iban, "archiveId": "20240601500000000000"}),
        json!({"accountIban": bank.accounts_of("bob")[0].iban, "archiveId": op}),
    ] {
        let r = post(
            &mut bank,
            "alice",
            PAYER,
            &serde_json::to_vec(&body).unwrap(),
            None,
        );
        assert_eq!(r.status, 404, "{body}");
    }
    let r = post(&mut bank, "alice", PAYER, br#"{"archiveId":"1"}"#, None);
    assert_eq!(r.status, 400);
}

#[test]
fn mandates_are_seeded_per_client() {
    let mut bank = bank();
    let (status, v) = get(
        &mut bank,
        "alice",
        "/corporate-service-provider/v1/mandates",
        None,
    );
    assert_eq!(status, 200);
    let list = v.as_array().unwrap();
    assert!((2..=4).contains(&list.len()));
    for m in list {
        assert!(business_id_is_valid(m["businessId"].as_str().unwrap()));
        assert_eq!(m["status"], "ACTIVE");
        assert_eq!(m["mandateId"].as_str().unwrap().len(), 36);
        assert!(
            m["apis"]
                .as_array()
                .unwrap()
                .contains(&json!("ACCOUNT_DATA"))
        );
        assert_eq!(m["validFrom"].as_str().unwrap().len(), 10);
    }
    let (_, b) = get(
        &mut bank,
        "bob",
        "/corporate-service-provider/v1/mandates",
        None,
    );
    assert_ne!(v, b);
}

#[test]
fn simulate_incoming_rules() {
    let mut bank = bank();
    let iban = bank.accounts_of("alice")[0].iban.clone();
    let base = IncomingPayment {
        account_iban: iban.clone(),
        amount: "249.00".into(),
        reference: Some("00000000000000001245".into()),
        message: None,
        debtor_name: "Asiakas Ab".into(),
        debtor_iban: None,
    };
    let booked = bank.simulate_incoming(&base, NOW).unwrap();
    assert!(booked.object_id.contains(&booked.archive_id));
    assert!(booked.archive_id.starts_with("202406015"));
    let s = surrogates(&mut bank, "alice")[0].clone();
    let (_, list) = get(
        &mut bank,
        "alice",
        &tx_path(2, &s),
        Some(&format!("fromTimestamp={NOW}")),
    );
    assert_eq!(list[0]["reference"], "00000000000000001245");
    assert_eq!(list[0]["transactionTypeCode"], "710");
    assert_eq!(list[0]["transactionTypeDescription"], "VIITESIIRTO");
    assert!(
        bank.ledger().is_empty(),
        "the ledger holds outgoing payments only"
    );
    let bad = [
        IncomingPayment {
            reference: Some("1246".into()),
            ..base.clone()
        },
        IncomingPayment {
            amount: "0.00".into(),
            ..base.clone()
        },
        IncomingPayment {
            amount: "1,00".into(),
            ..base.clone()
        },
        IncomingPayment {
            account_iban: "FI3859991620004143".into(),
            ..base.clone()
        },
        IncomingPayment {
            message: Some("both".into()),
            ..base.clone()
        },
        IncomingPayment {
            debtor_iban: Some("FI7450009420999999".into()),
            ..base.clone()
        },
        IncomingPayment {
            debtor_name: String::new(),
            ..base.clone()
        },
    ];
    for p in bad {
        assert!(bank.simulate_incoming(&p, NOW).is_err(), "{p:?}");
    }
    // Negative clock skew: the booking is never placed before the newest transaction.
    let early = bank.simulate_incoming(&base, NOW - 10_000_000_000).unwrap();
    assert_eq!(early.timestamp, NOW);
}
