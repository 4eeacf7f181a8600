//! Payments: validation, booking, de-duplication, instant status.

use serde_json::{Value, json};

use super::support::*;
use crate::bank::Bank;

pub(super) const SEPA: &str = "/corporate-payment/v1/sepa-payment";
pub(super) const INSTANT: &str = "/corporate-payment/v1/sepa-instant-payment";

/// A valid payment body with a Finnish reference.
pub(super) fn payment_body(
    instruction: &str,
    debtor: &str,
    creditor: &str,
    amount: &str,
) -> Vec<u8> {
    serde_json::to_vec(&payment_value(instruction, debtor, creditor, amount)).unwrap()
}

pub(super) fn payment_value(
    instruction: &str,
    debtor: &str,
    creditor: &str,
    amount: &str,
) -> Value {
    json!({
        "instructionId": instruction,
        "endToEndId": "INV-7781",
        "debtor": { "name": "Alice Oy", "iban": debtor,
                    "address": { "streetName": "Esimerkkikatu", "buildingNumber": "1", "postCode": "00100",
                                 "townName": "Helsinki", "country": "FI" } },
        "creditor": { "name": "Toimittaja Oy", "iban": creditor },
        "instructedAmount": { "amount": amount, "currency": "EUR" },
        "reference": "00000000000000001245"
    })
}

pub(super) fn send(bank: &mut Bank, path: &str, body: &[u8]) -> crate::bank::Response {
    post(bank, "alice", path, body, Some(&alice_sig(body)))
}

#[test]
fn instant_payment_books_and_dedupes() {
    let mut bank = bank();
    let acc = bank.accounts_of("alice")[0].clone();
    let body = payment_body("PAY1", &acc.iban, "FI3859991620004143", "120.50");
    let first = send(&mut bank, INSTANT, &body);
    assert_eq!(
        first.status,
        201,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    assert!(first.committed);
    let v = json(&first);
    assert_eq!(v["status"], "PROCESSED");
    assert_eq!(v["paymentType"], "SCT_INST");
    assert_eq!(v["amount"], "120.50");
    assert_eq!(v["bookingDate"], "2024-06-01");
    assert_eq!(v["endToEndId"], "INV-7781");
    let archive = v["archiveId"].as_str().unwrap().to_string();
    assert!(
        v["transactionId"].as_str().unwrap().starts_with("A_")
            && v["transactionId"].as_str().unwrap().contains(&archive)
    );

    // Balance and history reflect the debit.
    let after = bank.accounts_of("alice")[0].clone();
    let before_cents: i64 = acc.balance.replace('.', "").parse().unwrap();
    let after_cents: i64 = after.balance.replace('.', "").parse().unwrap();
    assert_eq!(before_cents - after_cents, 12_050);
    let (_, last) = get(
        &mut bank,
        "alice",
        &tx_path(2, &acc.surrogate_id),
        Some(&format!("fromTimestamp={NOW}")),
    );
    let t = &last[0];
    assert_eq!(t["amount"], "-120.50");
    assert_eq!(t["archiveId"], archive.as_str());
    assert_eq!(t["creditorAccount"], "FI3859991620004143");
    assert_eq!(t["reference"], "00000000000000001245");
    assert_eq!(t["endToEndId"], "INV-7781");

    // Identical resend (fresh signature) → 200, same response, not booked again.
    let again = send(&mut bank, INSTANT, &body);
    assert_eq!(again.status, 200);
    assert!(!again.committed);
    assert_eq!(again.body, first.body);
    let ledger = bank.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].received, 2);
    assert_eq!(ledger[0].kind, "sepa_instant_payment");
    assert_eq!(ledger[0].instruction_id, "PAY1");
    assert_eq!(ledger[0].archive_id, archive);
    assert_eq!(bank.accounts_of("alice")[0].balance, after.balance);

    // Same instructionId, different body → 409; on the other endpoint too.
    let other = payment_body("PAY1", &acc.iban, "FI3859991620004143", "120.51");
    let r = send(&mut bank, INSTANT, &other);
    assert_eq!(r.status, 409);
    assert_eq!(code(&r), "duplicate_instruction_id");
    assert_eq!(send(&mut bank, SEPA, &body).status, 409);
    // Another client may use the same instructionId.
    let bob = bank.accounts_of("bob")[0].iban.clone();
    let bob_body = payment_body("PAY1", &bob, "FI3859991620004143", "1.00");
    assert_eq!(
        post(
            &mut bank,
            "bob",
            INSTANT,
            &bob_body,
            Some(&bob_sig(&bob_body))
        )
        .status,
        201
    );

    // Status query.
    let (status, list) = get(
        &mut bank,
        "alice",
        "/corporate-payment/v1/sepa-instant-payment/PAY1",
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(list, Value::Array(vec![v]));
    let (status, list) = get(
        &mut bank,
        "alice",
        "/corporate-payment/v1/sepa-instant-payment/NOPE",
        None,
    );
    assert_eq!((status, list), (200, json!([])));
}

#[test]
fn sepa_payment_to_own_bank_credits_the_creditor() {
    let mut bank = bank();
    let alice = bank.accounts_of("alice")[0].clone();
    let bob = bank.accounts_of("bob")[1].clone();
    let mut v = payment_value("SEPA1", &alice.iban, &bob.iban, "10.00");
    v.as_object_mut().unwrap().remove("reference");
    v["message"] = json!("Vuokra ä ö 😀");
    let body = serde_json::to_vec(&v).unwrap();
    let r = send(&mut bank, SEPA, &body);
    assert_eq!(r.status, 201);
    let resp = json(&r);
    assert_eq!(resp["status"], "PROCESSING");
    assert_eq!(resp["paymentType"], "SEPA_CREDIT_TRANSFER");
    let (_, list) = get(
        &mut bank,
        "bob",
        &tx_path(3, &bob.surrogate_id),
        Some(&format!("fromTimestamp={NOW}")),
    );
    let credit = &list[0];
    assert_eq!(credit["amount"], "10.00");
    assert_eq!(credit["message"], "Vuokra ä ö 😀");
    assert_eq!(credit["debtorAccount"], alice.iban.as_str());
    assert_eq!(credit["debtorBic"], "OKOYFIHH");
    assert_eq!(bank.ledger()[0].kind, "sepa_payment");
    let (_, list) = get(
        &mut bank,
        "alice",
        "/corporate-payment/v1/sepa-instant-payment/SEPA1",
        None,
    );
    assert_eq!(
        list,
        json!([]),
        "instant status only lists instant payments"
    );
}

/// A change applied to a valid payment body.
type Mutation = Box<dyn Fn(&mut Value)>;

#[test]
fn payment_validation_errors() {
    let mut bank = bank();
    let own = bank.accounts_of("alice")[0].iban.clone();
    let bobs = bank.accounts_of("bob")[0].iban.clone();
    let base = payment_value("V1", &own, "FI3859991620004143", "1.00");
    let cases: Vec<(&str, Mutation, u16)> = vec![
        (
            "instructionId with dash",
            Box::new(|v| v["instructionId"] = json!("A-1")),
            400,
        ),
        (
            "instructionId too long",
            Box::new(|v| v["instructionId"] = json!("A".repeat(36))),
            400,
        ),
        (
            "instructionId number",
            Box::new(|v| v["instructionId"] = json!(1)),
            400,
        ),
        (
            "no instructionId",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("instructionId");
            }),
            400,
        ),
        (
            "endToEndId pattern",
            Box::new(|v| v["endToEndId"] = json!("a b")),
            400,
        ),
        (
            "creditor name empty",
            Box::new(|v| v["creditor"]["name"] = json!("")),
            400,
        ),
        (
            "creditor name 71",
            Box::new(|v| v["creditor"]["name"] = json!("ä".repeat(71))),
            400,
        ),
        (
            "no debtor",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("debtor");
            }),
            400,
        ),
        (
            "bad creditor iban",
            Box::new(|v| v["creditor"]["iban"] = json!("FI7450009420999999")),
            400,
        ),
        (
            "bad country",
            Box::new(|v| v["debtor"]["address"]["country"] = json!("Finland")),
            400,
        ),
        (
            "amount 1.5",
            Box::new(|v| v["instructedAmount"]["amount"] = json!("1.5")),
            400,
        ),
        (
            "amount zero",
            Box::new(|v| v["instructedAmount"]["amount"] = json!("0.00")),
            400,
        ),
        (
            "amount number",
            Box::new(|v| v["instructedAmount"]["amount"] = json!(1.0)),
            400,
        ),
        (
            "amount 1e3",
            Box::new(|v| v["instructedAmount"]["amount"] = json!("1e3")),
            400,
        ),
        (
            "currency",
            Box::new(|v| v["instructedAmount"]["currency"] = json!("SEK")),
            400,
        ),
        (
            "both ref and message",
            Box::new(|v| v["message"] = json!("hi")),
            400,
        ),
        (
            "neither",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("reference");
            }),
            400,
        ),
        (
            "bad reference",
            Box::new(|v| v["reference"] = json!("1246")),
            400,
        ),
        (
            "bad RF",
            Box::new(|v| v["reference"] = json!("RF19539007547034")),
            400,
        ),
        (
            "message too long",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("reference");
                v["message"] = json!("x".repeat(141));
            }),
            400,
        ),
        (
            "same account",
            Box::new(|v| v["creditor"]["iban"] = v["debtor"]["iban"].clone()),
            400,
        ),
        (
            "foreign debtor",
            Box::new(move |v| v["debtor"]["iban"] = json!(bobs)),
            403,
        ),
        (
            "unknown debtor",
            Box::new(|v| v["debtor"]["iban"] = json!("FI6359991620004275")),
            403,
        ),
    ];
    for (i, (name, mutate, status)) in cases.into_iter().enumerate() {
        let mut v = base.clone();
        mutate(&mut v);
        if name != "instructionId with dash"
            && !name.starts_with("instructionId")
            && name != "no instructionId"
        {
            v["instructionId"] = json!(format!("V{i}"));
        }
        let body = serde_json::to_vec(&v).unwrap();
        let r = send(&mut bank, SEPA, &body);
        assert_eq!(
            r.status,
            status,
            "{name}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let e = json(&r);
        assert_eq!(e["status"], status);
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    assert!(bank.ledger().is_empty());
    // A valid RF reference and a valid payment still work afterwards.
    let mut v = base.clone();
    v["reference"] = json!("RF18539007547034");
    let body = serde_json::to_vec(&v).unwrap();
    assert_eq!(send(&mut bank, SEPA, &body).status, 201);
}

#[test]
fn lenient_iban_mode_accepts_doc_examples() {
    let mut bank = Bank::with_anchor_day(
        crate::bank::BankConfig {
            lenient_iban: true,
            ..config(10)
        },
        NOW,
    );
    bank.add_client("alice", "Alice Oy");
    bank.register_signing_key("alice", ALICE_KID, &spki(&keys().0))
        .unwrap();
    let own = bank.accounts_of("alice")[0].iban.clone();
    let body = payment_body("L1", &own, "FI7450009420999999", "1.00");
    assert_eq!(send(&mut bank, SEPA, &body).status, 201);
}
