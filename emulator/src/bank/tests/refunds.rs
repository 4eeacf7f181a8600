//! Refund outcomes: 201, 400 Already refunded (or the replay quirk's 200), 403, 404.

use serde_json::{Value, json};

use super::support::*;
use crate::bank::Bank;

const REFUND: &str = "/corporate-payment/v2/payment-refund";

/// A credit and a debit of the client's first account.
fn credit_and_debit(bank: &mut Bank, client: &str) -> (Value, Value, String) {
    let s = surrogates(bank, client)[0].clone();
    let (_, list) = get(bank, client, &tx_path(2, &s), None);
    let list = list.as_array().unwrap();
    let credit = list
        .iter()
        .find(|t| !t["amount"].as_str().unwrap().starts_with('-'))
        .unwrap()
        .clone();
    let debit = list
        .iter()
        .find(|t| t["amount"].as_str().unwrap().starts_with('-'))
        .unwrap()
        .clone();
    (credit, debit, bank.accounts_of(client)[0].iban.clone())
}

fn refund_body(archive: &str, amount: &str, iban: &str, message: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "archiveId": archive, "amount": amount, "message": message,
        "accountIban": iban, "transactionDate": null, "endToEndId": null
    }))
    .unwrap()
}

#[test]
fn refund_outcomes() {
    let mut bank = bank();
    let (credit, _debit, iban) = credit_and_debit(&mut bank, "alice");
    let archive = credit["archiveId"].as_str().unwrap();
    let body = refund_body(archive, "1.00", &iban, "Partial refund, order 15");
    let r = post(&mut bank, "alice", REFUND, &body, Some(&alice_sig(&body)));
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.committed);
    let v = json(&r);
    assert_eq!(v["original"]["archiveId"], archive);
    assert_eq!(v["original"]["amount"], credit["amount"]);
    assert_eq!(v["original"]["debtorName"], credit["debtorName"]);
    let date = credit["bookingDate"].as_str().unwrap();
    let fi_date = format!("{}.{}.{}", &date[8..10], &date[5..7], &date[0..4]);
    assert_eq!(
        v["refund"]["message"],
        format!("MAKSUN PALAUTUS. Maksun tiedot: {fi_date} Partial refund, order 15")
    );
    assert_eq!(v["refund"]["amount"], "1.00");
    assert_eq!(v["refund"]["creditorName"], credit["debtorName"]);
    let ledger = bank.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].kind, "refund");
    assert_eq!(ledger[0].instruction_id, archive);
    assert_eq!(
        ledger[0].creditor_iban,
        credit["debtorAccount"].as_str().unwrap()
    );
    // Booked as a debit.
    let s = surrogates(&mut bank, "alice")[0].clone();
    let (_, last) = get(
        &mut bank,
        "alice",
        &tx_path(3, &s),
        Some(&format!("fromTimestamp={NOW}")),
    );
    assert_eq!(last[0]["amount"], "-1.00");
    assert_eq!(last[0]["archiveId"], v["refund"]["archiveId"]);

    // Identical resend → 400 Already refunded, as OP documents (counted as received);
    // with the replay quirk → the first answer with 200. A different refund → 400.
    let again = post(&mut bank, "alice", REFUND, &body, Some(&alice_sig(&body)));
    assert_eq!(again.status, 400);
    assert_eq!(json(&again)["message"], "Already refunded");
    assert!(!again.committed);
    assert_eq!(bank.ledger()[0].received, 2);
    bank.set_quirks(crate::bank::Quirks {
        refund_replay: true,
        ..bank.quirks()
    });
    let again = post(&mut bank, "alice", REFUND, &body, Some(&alice_sig(&body)));
    assert_eq!((again.status, again.body.clone()), (200, r.body.clone()));
    assert_eq!(bank.ledger()[0].received, 3);
    let other = refund_body(archive, "2.00", &iban, "again");
    let r = post(&mut bank, "alice", REFUND, &other, Some(&alice_sig(&other)));
    assert_eq!(r.status, 400);
    assert_eq!(json(&r)["message"], "Already refunded");
    assert_eq!(bank.ledger().len(), 1);

    // 403 for another client's transaction.
    let r = post(&mut bank, "bob", REFUND, &other, Some(&bob_sig(&other)));
    assert_eq!(
        (r.status, json(&r)["message"].clone()),
        (403, json!("Not authorized to refund"))
    );
    // 404 for an unknown archive id (right shape, wrong digits) and for garbage.
    for unknown in ["20240601512345678901", "X", "2024060159999999999999999"] {
        let b = refund_body(unknown, "1.00", &iban, "x");
        let r = post(&mut bank, "alice", REFUND, &b, Some(&alice_sig(&b)));
        assert_eq!(
            (r.status, json(&r)["message"].clone()),
            (404, json!("Transaction not found")),
            "{unknown}"
        );
    }
}

#[test]
fn refund_validation() {
    let mut bank = bank();
    let (credit, debit, iban) = credit_and_debit(&mut bank, "alice");
    let archive = credit["archiveId"].as_str().unwrap();
    let too_much = format!(
        "{}.00",
        credit["amount"]
            .as_str()
            .unwrap()
            .split('.')
            .next()
            .unwrap()
            .parse::<i64>()
            .unwrap()
            + 1
    );
    let other_iban = bank.accounts_of("alice")[1].iban.clone();
    let cases = [
        (refund_body(archive, &too_much, &iban, "x"), 400),
        (refund_body(archive, "0.00", &iban, "x"), 400),
        (refund_body(archive, "1", &iban, "x"), 400),
        (refund_body(debit["archiveId"].as_str().unwrap(), "1.00", &iban, "x"), 400),
        (refund_body(archive, "1.00", &other_iban, "x"), 404),
        (serde_json::to_vec(&json!({"archiveId": archive, "amount": "1.00", "accountIban": iban, "transactionDate": "2000-01-01"})).unwrap(), 404),
        (serde_json::to_vec(&json!({"archiveId": archive, "amount": "1.00", "accountIban": iban, "transactionDate": "1.1.2000"})).unwrap(), 400),
        (serde_json::to_vec(&json!({"amount": "1.00", "accountIban": iban})).unwrap(), 400),
        (b"{oops".to_vec(), 400),
    ];
    for (body, status) in cases {
        let r = post(&mut bank, "alice", REFUND, &body, Some(&alice_sig(&body)));
        assert_eq!(
            r.status,
            status,
            "{}: {}",
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(&r.body)
        );
    }
    let body = refund_body(archive, "1.00", &iban, "x");
    assert_eq!(
        post(&mut bank, "alice", REFUND, &body, None).status,
        400,
        "unsigned"
    );
    assert!(bank.ledger().is_empty());
    // transactionDate matching the original is accepted; a full refund is allowed.
    let body = serde_json::to_vec(&json!({"archiveId": archive, "amount": credit["amount"], "accountIban": iban, "transactionDate": credit["paymentDate"]})).unwrap();
    assert_eq!(
        post(&mut bank, "alice", REFUND, &body, Some(&alice_sig(&body))).status,
        201
    );
}

/// A payment between two clients of the emulated bank, refunded: both legs on both sides.
#[test]
fn internal_payment_refund_credits_the_payer() {
    let mut bank = bank();
    let alice = bank.accounts_of("alice")[0].clone();
    let bob = bank.accounts_of("bob")[0].clone();
    let body = super::payments::payment_body("INT1", &bob.iban, &alice.iban, "50.00");
    let r = post(
        &mut bank,
        "bob",
        super::payments::SEPA,
        &body,
        Some(&bob_sig(&body)),
    );
    assert_eq!(r.status, 201);
    let (_, credit) = get(
        &mut bank,
        "alice",
        &tx_path(2, &alice.surrogate_id),
        Some(&format!("fromTimestamp={NOW}")),
    );
    let archive = credit[0]["archiveId"].as_str().unwrap();
    assert_eq!(credit[0]["amount"], "50.00");
    let refund = refund_body(archive, "50.00", &alice.iban, "Wrong invoice");
    let r = post(
        &mut bank,
        "alice",
        REFUND,
        &refund,
        Some(&alice_sig(&refund)),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let (_, bobs) = get(
        &mut bank,
        "bob",
        &tx_path(3, &bob.surrogate_id),
        Some(&format!("fromTimestamp={NOW}")),
    );
    let amounts: Vec<&str> = bobs
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["-50.00", "50.00"]);
    assert_eq!(bank.accounts_of("bob")[0].balance, bob.balance);
    assert_eq!(bank.accounts_of("alice")[0].balance, alice.balance);
}
