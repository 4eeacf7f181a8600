//! Mandates as mutable state, and calls acting for a mandate's company.

use serde_json::Value;

use super::support::*;
use crate::bank::{Bank, IncomingPayment, NewMandate, Response};

const ACCOUNTS: &str = "/corporate-account-data/v1/accounts";
const MANDATES: &str = "/corporate-service-provider/v1/mandates";

/// A GET by `client` acting for `mandate`.
fn get_for(bank: &mut Bank, client: &str, mandate: &str, path: &str) -> Response {
    let mut r = request(client, "GET", path, Some("maxFuture=1000"), None, b"");
    r.mandate = Some(mandate);
    bank.handle(&r)
}

fn surrogates_of(r: &Response) -> Vec<String> {
    assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
    json(r)
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["surrogateId"].as_str().unwrap().to_owned())
        .collect()
}

fn company(name: &str) -> NewMandate {
    NewMandate {
        company_name: name.into(),
        business_id: None,
        apis: None,
        accounts: Some(3),
    }
}

#[test]
fn a_call_acting_for_a_seeded_mandate_reads_that_companys_accounts() {
    let mut bank = bank();
    let (_, list) = get(&mut bank, "alice", MANDATES, None);
    let id = list[0]["mandateId"].as_str().unwrap().to_owned();
    let own = surrogates(&mut bank, "alice");
    let theirs = surrogates_of(&get_for(&mut bank, "alice", &id, ACCOUNTS));
    assert_eq!(theirs.len(), 2);
    assert!(
        theirs.iter().all(|s| !own.contains(s)),
        "the company's own accounts"
    );
    let r = get_for(&mut bank, "alice", &id, &tx_path(3, &theirs[0]));
    assert_eq!(r.status, 200);
    assert!(!json(&r).as_array().unwrap().is_empty(), "seeded history");
    // Without the header the company's account is not the caller's.
    let (status, _) = get(&mut bank, "alice", &tx_path(3, &theirs[0]), None);
    assert_eq!(status, 404);
    // The admin view lists the same accounts.
    let summary = bank.mandates_of("alice");
    assert_eq!(summary[0].mandate_id, id);
    let listed: Vec<String> = summary[0]
        .accounts
        .iter()
        .map(|a| a.surrogate_id.clone())
        .collect();
    assert_eq!(listed, theirs);
}

#[test]
fn unknown_foreign_and_revoked_mandates_are_forbidden() {
    let mut bank = bank();
    let r = get_for(&mut bank, "alice", "no-such-mandate", ACCOUNTS);
    assert_eq!((r.status, code(&r)), (403, "forbidden".to_owned()));
    let (_, bobs) = get(&mut bank, "bob", MANDATES, None);
    let bob_mandate = bobs[0]["mandateId"].as_str().unwrap();
    let r = get_for(&mut bank, "alice", bob_mandate, ACCOUNTS);
    assert_eq!(r.status, 403, "another provider's mandate");
    let added = bank.add_mandate("alice", &company("Uusi Oy"), NOW).unwrap();
    assert_eq!(
        get_for(&mut bank, "alice", &added.mandate_id, ACCOUNTS).status,
        200
    );
    let revoked = bank.revoke_mandate(&added.mandate_id).unwrap();
    assert_eq!(revoked.status, "REVOKED");
    let r = get_for(&mut bank, "alice", &added.mandate_id, ACCOUNTS);
    assert_eq!(r.status, 403);
    assert!(json(&r)["message"].as_str().unwrap().contains("revoked"));
    let (_, list) = get(&mut bank, "alice", MANDATES, None);
    let shown: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["mandateId"] == added.mandate_id.as_str())
        .collect();
    assert_eq!(
        shown[0]["status"], "REVOKED",
        "a revoked mandate stays listed"
    );
    assert!(bank.revoke_mandate("no-such-mandate").is_err());
}

#[test]
fn a_mandate_covers_only_its_apis_and_the_read_apis() {
    let mut bank = bank();
    let added = bank.add_mandate("alice", &company("Uusi Oy"), NOW).unwrap();
    assert_eq!(added.apis, ["ACCOUNT_DATA"]);
    let mut r = request(
        "alice",
        "POST",
        "/corporate-transaction-filter/v2/credit-transactions",
        None,
        None,
        b"{}",
    );
    r.mandate = Some(&added.mandate_id);
    let answer = bank.handle(&r);
    assert_eq!(answer.status, 403);
    assert!(
        json(&answer)["message"]
            .as_str()
            .unwrap()
            .contains("TRANSACTION_FILTER")
    );
    // The mandate list itself ignores the header.
    let r = get_for(&mut bank, "alice", &added.mandate_id, MANDATES);
    assert_eq!(r.status, 200);
}

#[test]
fn added_mandates_are_validated_and_their_accounts_follow_the_id() {
    let mut a = bank();
    let mut b = bank();
    let x = a.add_mandate("alice", &company("Uusi Oy"), NOW).unwrap();
    let y = b.add_mandate("alice", &company("Uusi Oy"), NOW).unwrap();
    assert_eq!(x, y, "same seed, same order: same id and accounts");
    assert_eq!(x.accounts.len(), 3);
    assert_eq!(x.valid_from, "2024-06-01");
    let z = a.add_mandate("alice", &company("Toinen Oy"), NOW).unwrap();
    assert_ne!(z.mandate_id, x.mandate_id);
    let bad = |m: NewMandate| bank().add_mandate("alice", &m, NOW).unwrap_err();
    assert!(bad(company(" ")).contains("companyName"));
    assert!(
        bad(NewMandate {
            business_id: Some("1234567-0".into()),
            ..company("A Oy")
        })
        .contains("businessId")
    );
    assert!(
        bad(NewMandate {
            apis: Some(vec!["SOMETHING".into()]),
            ..company("A Oy")
        })
        .contains("unknown API")
    );
    assert!(
        bad(NewMandate {
            accounts: Some(0),
            ..company("A Oy")
        })
        .contains("accounts")
    );
    assert!(
        bank()
            .add_mandate("nobody", &company("A Oy"), NOW)
            .unwrap_err()
            .contains("unknown client")
    );
}

#[test]
fn incoming_payments_reach_a_mandate_companys_account() {
    let mut bank = bank();
    let added = bank.add_mandate("alice", &company("Uusi Oy"), NOW).unwrap();
    let account = &added.accounts[1];
    let booked = bank
        .simulate_incoming(
            &IncomingPayment {
                account_iban: account.iban.clone(),
                amount: "12.34".into(),
                reference: None,
                message: Some("for the company".into()),
                debtor_name: "Maksaja Oy".into(),
                debtor_iban: None,
            },
            NOW + 1,
        )
        .unwrap();
    let r = get_for(
        &mut bank,
        "alice",
        &added.mandate_id,
        &tx_path(3, &account.surrogate_id),
    );
    let list = json(&r);
    let last = list.as_array().unwrap().last().unwrap();
    assert_eq!(last["objectId"], booked.object_id.as_str());
}

#[test]
fn companies_change_no_clients_data_and_survive_a_reset() {
    let mut with_company = Bank::with_anchor_day(config(20), NOW);
    with_company.add_client("alice", "Alice Oy");
    let added = with_company
        .add_mandate("alice", &company("Uusi Oy"), NOW)
        .unwrap();
    with_company.add_client("bob", "Bob Ab");
    let mut plain = Bank::with_anchor_day(config(20), NOW);
    plain.add_client("alice", "Alice Oy");
    plain.add_client("bob", "Bob Ab");
    let (_, x) = get(&mut with_company, "bob", MANDATES, None);
    let (_, y) = get(&mut plain, "bob", MANDATES, None);
    assert_eq!(x, y);
    let first = surrogates(&mut plain, "bob")[0].clone();
    let (_, p) = get(
        &mut plain,
        "bob",
        &tx_path(3, &first),
        Some("maxFuture=1000"),
    );
    let bob = surrogates(&mut with_company, "bob");
    let (_, q) = get(
        &mut with_company,
        "bob",
        &tx_path(3, &bob[0]),
        Some("maxFuture=1000"),
    );
    let amounts = |v: &Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|t| t["amount"].clone())
            .collect()
    };
    assert_eq!(amounts(&p), amounts(&q), "bob's history does not move");
    with_company.reset();
    let after = with_company.mandates_of("alice");
    let again = after
        .iter()
        .find(|m| m.mandate_id == added.mandate_id)
        .unwrap();
    assert_eq!(again.accounts, added.accounts, "re-seeded the same");
}
