//! Seeded data: checksums, determinism, ordering, scale.

use std::time::Instant;

use super::support::*;
use crate::bank::ids::iban_is_valid;
use crate::bank::{Bank, IncomingPayment};

#[test]
fn seeded_ibans_are_valid_op_accounts() {
    let bank = bank();
    for client in ["alice", "bob"] {
        let accounts = bank.accounts_of(client);
        assert_eq!(accounts.len(), 3);
        for a in accounts {
            assert!(iban_is_valid(&a.iban), "{}", a.iban);
            assert!(a.iban.starts_with("FI") && a.iban.len() == 18 && &a.iban[4..5] == "5");
            assert!(a.surrogate_id.contains('-') && a.surrogate_id.ends_with('='));
        }
    }
    assert!(bank.accounts_of("nobody").is_empty());
}

#[test]
fn same_seed_gives_identical_json() {
    let mut a = bank();
    let mut b = bank();
    for client in ["alice", "bob"] {
        let sa = surrogates(&mut a, client);
        assert_eq!(sa, surrogates(&mut b, client));
        for s in &sa {
            for v in [2, 3] {
                let (_, x) = get(&mut a, client, &tx_path(v, s), Some("maxFuture=1000"));
                let (_, y) = get(&mut b, client, &tx_path(v, s), Some("maxFuture=1000"));
                assert_eq!(x, y);
            }
        }
        let (_, ma) = get(
            &mut a,
            client,
            "/corporate-service-provider/v1/mandates",
            None,
        );
        let (_, mb) = get(
            &mut b,
            client,
            "/corporate-service-provider/v1/mandates",
            None,
        );
        assert_eq!(ma, mb);
    }
    let mut other = Bank::with_anchor_day(
        crate::bank::BankConfig {
            seed: 7,
            ..config(40)
        },
        NOW,
    );
    other.add_client("alice", "Alice Oy");
    assert_ne!(other.accounts_of("alice"), a.accounts_of("alice"));
}

#[test]
fn history_is_sorted_consistent_and_has_equal_timestamps() {
    let mut bank = bank_with(2_000);
    let s = surrogates(&mut bank, "alice")[0].clone();
    let (_, first) = get(&mut bank, "alice", &tx_path(3, &s), Some("maxFuture=1000"));
    let (_, second) = get(
        &mut bank,
        "alice",
        &tx_path(3, &s),
        Some(&format!(
            "objectId={}&maxFuture=1000",
            encode(first[999]["objectId"].as_str().unwrap())
        )),
    );
    let all: Vec<_> = first
        .as_array()
        .unwrap()
        .iter()
        .chain(second.as_array().unwrap())
        .cloned()
        .collect();
    assert_eq!(all.len(), 2_000);
    let mut equal = 0;
    let (mut credits, mut debits, mut refs, mut rfs) = (0, 0, 0, 0);
    for w in all.windows(2) {
        let (t0, t1) = (
            w[0]["timestamp"].as_i64().unwrap(),
            w[1]["timestamp"].as_i64().unwrap(),
        );
        assert!(t0 <= t1);
        equal += usize::from(t0 == t1);
        assert_eq!(w[0]["balanceAfter"], w[1]["balanceBefore"]);
    }
    for t in &all {
        let a = t["amount"].as_str().unwrap();
        if a.starts_with('-') {
            debits += 1
        } else {
            credits += 1
        }
        if let Some(r) = t["reference"].as_str() {
            assert_eq!(r.len(), 20);
            assert!(crate::bank::ids::finnish_ref_is_valid(r));
            refs += 1;
        }
        if let Some(r) = t["rfReference"].as_str() {
            assert!(crate::bank::ids::rf_is_valid(r));
            rfs += 1;
        }
        let archive = t["archiveId"].as_str().unwrap();
        assert_eq!(archive.len(), 20);
        assert_eq!(&archive[8..9], "5");
        let object = t["objectId"].as_str().unwrap();
        let parts: Vec<&str> = object.split('_').collect();
        assert_eq!(parts.len(), 4);
        assert_eq!(parts[0].len(), 14);
        assert_eq!(parts[1], t["bookingDate"].as_str().unwrap());
        assert_eq!(parts[2], archive);
        assert_eq!(t["uetr"].as_str().unwrap().len(), 36);
        let ts = t["timestamp"].as_i64().unwrap();
        assert!((NOW - 61 * 86_400_000_000..NOW).contains(&ts));
    }
    assert!(equal > 10, "only {equal} equal timestamps");
    assert!(credits > debits && debits > 0 && refs > 0 && rfs > 0);
}

fn seed_time(n: usize) -> f64 {
    let start = Instant::now();
    let mut bank = Bank::with_anchor_day(
        crate::bank::BankConfig {
            accounts_per_client: 1,
            ..config(n)
        },
        NOW,
    );
    bank.add_client("big", "Big Oy");
    let elapsed = start.elapsed().as_secs_f64();
    let s = surrogates(&mut bank, "big")[0].clone();
    let (_, page) = get(
        &mut bank,
        "big",
        &tx_path(3, &s),
        Some("maxPast=5&fromTimestamp=9999999999999999"),
    );
    assert_eq!(page.as_array().unwrap().len(), 5);
    let iban = bank.accounts_of("big")[0].iban.clone();
    let booked = bank
        .simulate_incoming(
            &IncomingPayment {
                account_iban: iban,
                amount: "1.00".into(),
                reference: None,
                message: Some("x".into()),
                debtor_name: "X".into(),
                debtor_iban: None,
            },
            NOW,
        )
        .unwrap();
    assert!(booked.timestamp >= NOW);
    elapsed
}

#[test]
fn transactions_stay_compact() {
    assert!(std::mem::size_of::<crate::bank::store::Txn>() <= 56);
}

#[test]
fn seeds_100k_transactions_quickly() {
    let secs = seed_time(100_000);
    assert!(secs < 5.0, "seeding 100k took {secs:.2}s");
}

#[test]
#[ignore = "allocates ~60 MB; run with --ignored"]
fn seeds_a_million_transactions_in_seconds() {
    let secs = seed_time(1_000_000);
    assert!(secs < 5.0, "seeding 1M took {secs:.2}s");
}

#[test]
fn reset_restores_seeded_state_and_keeps_keys() {
    let mut bank = bank();
    let before = bank.accounts_of("alice");
    let body =
        super::payments::payment_body("RESET1", &before[0].iban, "FI3859991620004143", "10.00");
    let r = post(
        &mut bank,
        "alice",
        "/corporate-payment/v1/sepa-payment",
        &body,
        Some(&alice_sig(&body)),
    );
    assert_eq!(r.status, 201);
    assert_ne!(bank.accounts_of("alice"), before);
    assert_eq!(bank.ledger().len(), 1);
    bank.reset();
    assert_eq!(bank.accounts_of("alice"), before);
    assert!(bank.ledger().is_empty());
    let r = post(
        &mut bank,
        "alice",
        "/corporate-payment/v1/sepa-payment",
        &body,
        Some(&alice_sig(&body)),
    );
    assert_eq!(
        r.status, 201,
        "key survives reset and the instructionId is free again"
    );
}
