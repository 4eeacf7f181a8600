//! Payment addresses: structured and hybrid forms accepted, the rulebook's refusals (missing
//! town, three lines next to fields, lines only) and the `unstructuredAddresses` quirk.

use serde_json::{Value, json};

use super::payments::{SEPA, payment_value, send};
use super::support::*;
use crate::bank::{Bank, Quirks, UnstructuredAddresses};

/// Sends a valid payment whose creditor has `address`; answers status and message.
fn pay_to(bank: &mut Bank, id: &str, address: Value) -> (u16, String) {
    let own = bank.accounts_of("alice")[0].iban.clone();
    let mut v = payment_value(id, &own, "FI3859991620004143", "1.00");
    v["creditor"]["address"] = address;
    let r = send(bank, SEPA, &serde_json::to_vec(&v).unwrap());
    let message = json(&r)["message"].as_str().unwrap_or_default().to_owned();
    (r.status, message)
}

#[test]
fn structured_and_hybrid_addresses_are_booked_with_the_address_kept() {
    let mut bank = bank();
    let structured = json!({ "streetName": "Tehdastie", "buildingNumber": "5",
        "postCode": "33100", "townName": "Tampere", "country": "FI" });
    assert_eq!(pay_to(&mut bank, "S1", structured.clone()).0, 201);
    assert_eq!(bank.ledger()[0].creditor_address, Some(structured));
    let hybrid = json!({ "townName": "Tampere", "country": "FI",
        "addressLine": ["Tehdastie 5", "PL 12"] });
    assert_eq!(pay_to(&mut bank, "H1", hybrid).0, 201);
}

#[test]
fn rulebook_refusals_name_the_field() {
    let mut bank = bank();
    let cases = [
        (
            json!({ "streetName": "Tehdastie", "country": "FI" }),
            "creditor.address.townName",
        ),
        (json!({ "townName": "Tampere" }), "creditor.address.country"),
        (
            json!({ "townName": "Tampere", "country": "FI", "addressLine": ["a", "b", "c"] }),
            "creditor.address.addressLine",
        ),
        (
            json!({ "country": "FI", "addressLine": ["Tehdastie 5"] }),
            "creditor.address.addressLine",
        ),
        (
            json!({ "townName": "T".repeat(36), "country": "FI" }),
            "creditor.address.townName",
        ),
        (
            json!({ "townName": "Tampere", "postCode": "1".repeat(17), "country": "FI" }),
            "creditor.address.postCode",
        ),
        (
            json!({ "townName": "Tampere", "buildingNumber": 5, "country": "FI" }),
            "creditor.address.buildingNumber",
        ),
    ];
    for (i, (address, field)) in cases.into_iter().enumerate() {
        let (status, message) = pay_to(&mut bank, &format!("R{i}"), address);
        assert_eq!(status, 400, "{field}: {message}");
        assert!(message.contains(field), "{field}: {message}");
    }
    assert!(bank.ledger().is_empty());
}

#[test]
fn unstructured_addresses_are_accepted_under_the_quirk_only() {
    let mut bank = bank();
    let lines = json!({ "country": "FI", "addressLine": ["Tehdastie 5", "33100 Tampere"] });
    assert_eq!(pay_to(&mut bank, "U1", lines.clone()).0, 400);
    bank.set_quirks(Quirks {
        unstructured_addresses: UnstructuredAddresses::Accepted,
        ..bank.quirks()
    });
    assert_eq!(pay_to(&mut bank, "U2", lines).0, 201);
    let four = json!({ "country": "FI", "addressLine": ["a", "b", "c", "d"] });
    assert_eq!(pay_to(&mut bank, "U3", four).0, 400);
}

#[test]
fn ultimate_party_addresses_follow_the_same_rules() {
    let mut bank = bank();
    let own = bank.accounts_of("alice")[0].iban.clone();
    let mut v = payment_value("UC1", &own, "FI3859991620004143", "1.00");
    v["ultimateCreditor"] = json!({ "name": "Loppu Oy",
        "address": { "country": "FI", "addressLine": ["Tehdastie 5"] } });
    let r = send(&mut bank, SEPA, &serde_json::to_vec(&v).unwrap());
    assert_eq!(r.status, 400);
    assert!(
        json(&r)["message"]
            .as_str()
            .unwrap()
            .contains("ultimateCreditor.address")
    );
}
