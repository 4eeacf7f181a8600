//! Transactions V2/V3 paging.

use std::collections::HashSet;

use serde_json::Value;

use super::support::*;
use crate::bank::{Bank, IncomingPayment};

fn page(bank: &mut Bank, v: u8, s: &str, query: &str) -> Vec<Value> {
    let (status, body) = get(bank, "alice", &tx_path(v, s), Some(query));
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().clone()
}

/// First page by timestamp, then objectId anchors; optionally books a credit mid-walk.
fn walk(
    bank: &mut Bank,
    v: u8,
    s: &str,
    size: usize,
    book_after_page: Option<usize>,
) -> Vec<Value> {
    let mut all = page(
        bank,
        v,
        s,
        &format!("fromTimestamp=0&maxPast=0&maxFuture={size}"),
    );
    let mut pages = 1;
    loop {
        if book_after_page == Some(pages) {
            let iban = bank.accounts_of("alice")[0].iban.clone();
            bank.simulate_incoming(
                &IncomingPayment {
                    account_iban: iban,
                    amount: "12.34".into(),
                    reference: Some("RF18539007547034".into()),
                    message: None,
                    debtor_name: "Mid Walk".into(),
                    debtor_iban: None,
                },
                NOW,
            )
            .unwrap();
        }
        let last = all.last().unwrap()["objectId"]
            .as_str()
            .unwrap()
            .to_string();
        let next = page(
            bank,
            v,
            s,
            &format!("objectId={}&maxFuture={size}", encode(&last)),
        );
        if next.is_empty() {
            return all;
        }
        assert!(next.len() <= size);
        all.extend(next);
        pages += 1;
    }
}

fn assert_exactly_once(all: &[Value], expected: usize) {
    let ids: HashSet<&str> = all
        .iter()
        .map(|t| t["objectId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), all.len(), "a transaction was repeated");
    assert_eq!(all.len(), expected, "a transaction was lost");
    for w in all.windows(2) {
        assert!(w[0]["timestamp"].as_i64() <= w[1]["timestamp"].as_i64());
    }
}

#[test]
fn full_walks_return_each_transaction_once() {
    let mut bank = bank_with(1_200);
    let s = surrogates(&mut bank, "alice")[0].clone();
    for (v, size) in [(2, 150), (3, 1000), (2, 7), (3, 13)] {
        let all = walk(&mut bank, v, &s, size, None);
        assert_exactly_once(&all, 1_200);
    }
    // Small pages must have crossed runs of equal timestamps.
    let all = walk(&mut bank, 2, &s, 2, None);
    let equal_at_boundary = all
        .chunks(2)
        .zip(all.chunks(2).skip(1))
        .any(|(a, b)| a[1]["timestamp"] == b[0]["timestamp"]);
    assert!(equal_at_boundary);
}

#[test]
fn walk_sees_transactions_booked_mid_walk() {
    let mut bank = bank_with(500);
    let s = surrogates(&mut bank, "alice")[0].clone();
    let all = walk(&mut bank, 3, &s, 100, Some(2));
    assert_exactly_once(&all, 501);
    let last = all.last().unwrap();
    assert_eq!(last["debtorName"], "Mid Walk");
    assert_eq!(last["rfReference"], "RF18539007547034");
    assert_eq!(last["timestamp"], NOW);
    let all = walk(&mut bank, 2, &s, 150, Some(1));
    assert_exactly_once(&all, 502);
}

#[test]
fn anchors_past_and_caps() {
    let mut bank = bank_with(1_500);
    let s = surrogates(&mut bank, "alice")[0].clone();
    let v2 = page(&mut bank, 2, &s, "");
    assert_eq!(v2.len(), 150, "V2 default page");
    assert!(
        v2[0].get("transactionTypeDescription").is_some() && v2[0].get("bookingCode").is_none()
    );
    let v3 = page(&mut bank, 3, &s, "maxFuture=99999");
    assert_eq!(v3.len(), 1000, "V3 cap");
    assert!(v3[0].get("bookingCode").is_some() && v3[0].get("bookingCodeDescription").is_some());
    assert!(
        v3[0].get("transactionTypeDescription").is_none()
            && v3[0].get("transactionTypeCode").is_some()
    );
    assert_eq!(
        page(&mut bank, 2, &s, "maxFuture=100000").len(),
        150,
        "V2 cap"
    );

    // fromTimestamp is inclusive; maxPast returns the ones before, ascending, first.
    let t = v3[500]["timestamp"].as_i64().unwrap();
    let first_at = v3
        .iter()
        .position(|x| x["timestamp"].as_i64() == Some(t))
        .unwrap();
    let p = page(
        &mut bank,
        3,
        &s,
        &format!("fromTimestamp={t}&maxPast=3&maxFuture=2"),
    );
    assert_eq!(p.len(), 5);
    assert_eq!(p[..], v3[first_at - 3..first_at + 2]);

    // objectId is exclusive both ways.
    let anchor = v3[700]["objectId"].as_str().unwrap();
    let p = page(
        &mut bank,
        3,
        &s,
        &format!("objectId={}&maxPast=2&maxFuture=2", encode(anchor)),
    );
    assert_eq!(
        p[..],
        [
            v3[698].clone(),
            v3[699].clone(),
            v3[701].clone(),
            v3[702].clone()
        ]
    );
    let p = page(
        &mut bank,
        2,
        &s,
        &format!("objectId={}&maxPast=400&maxFuture=0", encode(anchor)),
    );
    assert_eq!(p.len(), 150);
    assert_eq!(p.last().unwrap()["objectId"], v3[699]["objectId"]);

    // Beyond the newest: empty; maxPast pages backwards from the end.
    assert!(page(&mut bank, 3, &s, &format!("fromTimestamp={}", NOW + 1)).is_empty());
    let tail = page(
        &mut bank,
        3,
        &s,
        &format!("fromTimestamp={}&maxPast=10", NOW + 1),
    );
    assert_eq!(tail.len(), 10);
}

#[test]
fn bad_paging_queries_are_400() {
    let mut bank = bank_with(50);
    let ss = surrogates(&mut bank, "alice");
    let (s, other) = (&ss[0], &ss[1]);
    let foreign = page(&mut bank, 3, other, "")[0]["objectId"]
        .as_str()
        .unwrap()
        .to_string();
    let own = page(&mut bank, 3, s, "")[0]["objectId"]
        .as_str()
        .unwrap()
        .to_string();
    for q in [
        "objectId=50000000000000_2024-01-01_20240101500000000000_0".to_string(),
        format!("objectId={}", encode(&foreign)),
        format!("objectId={}&fromTimestamp=0", encode(&own)),
        "fromTimestamp=abc".into(),
        "fromTimestamp=1.5".into(),
        "maxFuture=-1".into(),
        "maxPast=x".into(),
        "maxFuture=%ZZ".into(),
        "objectId=".into(),
    ] {
        let (status, body) = get(&mut bank, "alice", &tx_path(2, s), Some(&q));
        assert_eq!(status, 400, "{q}: {body}");
        assert_eq!(body["error"], "invalid_request");
    }
}

#[test]
fn numeric_archive_id_quirk() {
    let mut bank = bank_with(5);
    let s = surrogates(&mut bank, "alice")[0].clone();
    let (_, normal) = get(&mut bank, "alice", &tx_path(2, &s), None);
    bank.set_numeric_archive_ids(true);
    let r = bank.handle(&request("alice", "GET", &tx_path(2, &s), None, None, b""));
    let raw = String::from_utf8(r.body).unwrap();
    let archive = normal[0]["archiveId"].as_str().unwrap();
    assert!(raw.contains(&format!("\"archiveId\":{archive}")), "{raw}");
}

/// Randomised walks: page sizes, anchors and bookings (payments, incoming credits) between
/// pages vary; every walk still sees each transaction exactly once.
#[test]
fn randomised_walks_with_bookings() {
    let mut rng = crate::bank::rng::Rng::new(2024, 6);
    let mut bank = bank_with(400);
    let s = surrogates(&mut bank, "alice")[0].clone();
    let own = bank.accounts_of("alice")[0].iban.clone();
    let mut booked = 0;
    for round in 0..12 {
        let v = if round % 2 == 0 { 2 } else { 3 };
        let size = 1 + rng.below(if v == 2 { 160 } else { 1100 }) as usize;
        let mut all = page(
            &mut bank,
            v,
            &s,
            &format!("fromTimestamp=0&maxFuture={size}"),
        );
        let total_before = 400 + booked;
        let mut added = 0;
        while let Some(last) = all
            .last()
            .map(|t| t["objectId"].as_str().unwrap().to_string())
        {
            if rng.chance(30) {
                if rng.chance(50) {
                    let body = super::payments::payment_body(
                        &format!("R{round}N{added}"),
                        &own,
                        "FI3859991620004143",
                        "1.00",
                    );
                    let r = post(
                        &mut bank,
                        "alice",
                        super::payments::SEPA,
                        &body,
                        Some(&alice_sig(&body)),
                    );
                    assert_eq!(r.status, 201);
                } else {
                    bank.simulate_incoming(
                        &IncomingPayment {
                            account_iban: own.clone(),
                            amount: "2.00".into(),
                            reference: None,
                            message: Some("m".into()),
                            debtor_name: "Random".into(),
                            debtor_iban: None,
                        },
                        NOW + rng.below(3) as i64,
                    )
                    .unwrap();
                }
                added += 1;
            }
            let past = rng.below(3) as usize;
            let next = page(
                &mut bank,
                v,
                &s,
                &format!("objectId={}&maxFuture={size}&maxPast={past}", encode(&last)),
            );
            // The walk started at the oldest transaction and bookings append at the end, so
            // the `maxPast` items are exactly the ones just before the anchor.
            let before = past.min(all.len() - 1);
            assert_eq!(next[..before], all[all.len() - 1 - before..all.len() - 1]);
            let fresh = next[before..].to_vec();
            assert!(fresh.len() <= size);
            if fresh.is_empty() {
                break;
            }
            all.extend(fresh);
        }
        booked += added;
        assert_exactly_once(&all, total_before + added);
    }
}

#[test]
fn ignored_object_id_anchors_restart_at_the_oldest() {
    let mut bank = bank();
    let s = surrogates(&mut bank, "alice")[0].clone();
    let first = page(&mut bank, 2, &s, "fromTimestamp=0&maxFuture=5");
    let anchor = first[4]["objectId"].as_str().unwrap().to_string();
    let query = format!("objectId={}&maxFuture=5", encode(&anchor));
    let honoured = page(&mut bank, 2, &s, &query);
    assert_ne!(honoured[0]["objectId"], first[0]["objectId"]);
    bank.set_quirks(crate::bank::Quirks {
        object_id_anchors: crate::bank::ObjectIdAnchors::Ignored,
        ..bank.quirks()
    });
    assert_eq!(page(&mut bank, 2, &s, &query), first);
    // An unknown objectId is not refused either: the parameter is simply dropped.
    assert_eq!(page(&mut bank, 3, &s, "objectId=nope&maxFuture=5").len(), 5);
    // Timestamp anchors still work.
    let ts = first[3]["timestamp"].as_i64().unwrap();
    let from = page(&mut bank, 2, &s, &format!("fromTimestamp={ts}&maxFuture=2"));
    assert_eq!(from[0]["timestamp"].as_i64(), Some(ts));
}

#[test]
fn legacy_v1_serves_the_newest_transactions_without_type_fields() {
    let mut bank = bank_with(200);
    let s = surrogates(&mut bank, "alice")[0].clone();
    let (status, v1) = get(&mut bank, "alice", &tx_path(1, &s), None);
    assert_eq!(status, 200, "{v1}");
    let v1 = v1.as_array().unwrap();
    assert_eq!(v1.len(), 150);
    let v2 = page(&mut bank, 2, &s, "fromTimestamp=0&maxFuture=150");
    let last_v2 = page(
        &mut bank,
        2,
        &s,
        &format!(
            "objectId={}&maxFuture=150",
            encode(v2.last().unwrap()["objectId"].as_str().unwrap())
        ),
    );
    // Seeded 200: the v1 list is the newest 150, i.e. ends where V2 ends.
    assert_eq!(
        v1.last().unwrap()["objectId"],
        last_v2.last().unwrap()["objectId"]
    );
    for t in v1 {
        assert!(t.get("transactionTypeCode").is_none(), "{t}");
        assert!(t.get("transactionTypeDescription").is_none(), "{t}");
        assert!(t["archiveId"].is_string() && t["objectId"].is_string());
        assert!(t["amount"].is_string() && t["timestamp"].is_i64());
    }
    let (status, _) = get(&mut bank, "bob", &tx_path(1, &s), None);
    assert_eq!(status, 404, "another client's account");
}
