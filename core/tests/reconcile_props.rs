//! Reconciliation: worked examples for every outcome and reason, plus property tests
//! (partitions of payments sum to the right state; outcomes do not depend on order).
#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] included)

use opcorp::Amount;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;
use opcorp::reconcile::{
    Absorbed, ItemStatus, MatchEvent, OpenItem, Payment, Reconciler, UnmatchedReason, reconcile,
};
use proptest::prelude::*;
use time::macros::date;

fn amt(text: &str) -> Amount {
    text.parse().unwrap()
}

fn item(id: &str, reference: &str, amount: &str) -> OpenItem {
    OpenItem {
        id: id.into(),
        reference: Reference::parse(reference).unwrap(),
        amount: amt(amount),
        currency: "EUR".into(),
        due_date: Some(date!(2025 - 01 - 31)),
    }
}

fn pay(id: &str, reference: Option<&str>, amount: &str) -> Payment {
    Payment {
        id: id.into(),
        reference: reference.map(Into::into),
        amount: amt(amount),
        currency: "EUR".into(),
        booking_date: Some(date!(2025 - 01 - 15)),
        payer_name: Some("Äijälä Oy".into()),
    }
}

fn reason(event: &MatchEvent) -> &UnmatchedReason {
    match event {
        MatchEvent::Unmatched(u) => &u.reason,
        other => panic!("expected unmatched, got {other:?}"),
    }
}

#[test]
fn every_item_outcome() {
    let items = vec![
        item("unpaid", "1232", "10.00"),
        item("paid", "1245", "20.00"),
        item("partial", "1258", "30.00"),
        item("over", "1261", "40.00"),
        item("twice", "1274", "50.00"),
    ];
    let payments = vec![
        pay("p1", Some("00000000000000001245"), "20.00"),
        pay("p2", Some("1258"), "10.00"),
        pay("p3", Some("12 58"), "5.50"),
        pay("p4", Some("1261"), "45.00"),
        pay("p5", Some("1274"), "50.00"),
        pay(
            "p6",
            Some(RfReference::generate("1274").unwrap().as_str()),
            "50.00",
        ),
    ];
    let report = reconcile(items, payments);
    let statuses: Vec<_> = report.items.iter().map(|r| r.status.clone()).collect();
    assert_eq!(
        statuses,
        vec![
            ItemStatus::Unpaid,
            ItemStatus::Paid,
            ItemStatus::PartiallyPaid {
                remaining: amt("14.50")
            },
            ItemStatus::Overpaid {
                excess: amt("5.00")
            },
            ItemStatus::PaidTwice {
                covering_payments: 2,
                excess: amt("50.00")
            },
        ]
    );
    assert_eq!(report.items.get(2).unwrap().payment_ids, vec!["p2", "p3"]);
    assert_eq!(report.items.get(2).unwrap().received, amt("15.50"));
    let t = &report.totals;
    assert_eq!((t.items, t.unpaid, t.paid, t.partially_paid), (5, 1, 1, 1));
    assert_eq!((t.overpaid, t.paid_twice, t.matched_payments), (1, 1, 6));
    let eur = &t.by_currency["EUR"];
    assert_eq!(eur.billed, amt("150.00"));
    assert_eq!(eur.received, amt("180.50"));
    assert_eq!(eur.outstanding, amt("24.50"));
    assert_eq!(eur.excess, amt("55.00"));
}

/// Items that give every unmatched reason: amounts for "did you mean", a dollar item, and
/// two items sharing a reference.
fn reason_items() -> Vec<OpenItem> {
    let mut usd = item("dollars", "1287", "7.00");
    usd.currency = "usd".into();
    vec![
        item("a", "1232", "10.00"),
        item("b", "1245", "99.00"),
        usd,
        item("dup1", "1290", "5.00"),
        item("dup2", "00001290", "6.00"),
    ]
}

#[test]
fn every_unmatched_reason() {
    let items = reason_items();
    let mut r = Reconciler::new(items);
    let e = r.push(pay("n1", None, "10.00"));
    assert_eq!(reason(&e), &UnmatchedReason::NoReference);
    let MatchEvent::Unmatched(u) = &e else {
        unreachable!()
    };
    assert_eq!(
        u.did_you_mean.as_deref(),
        Some("a"),
        "same amount as item a"
    );

    let e = r.push(pay("n2", Some("1235"), "99.00"));
    let UnmatchedReason::InvalidReference { problem } = reason(&e) else {
        panic!("{e:?}")
    };
    assert!(
        problem.contains("check digit should be 2, found 5"),
        "{problem}"
    );

    let e = r.push(pay("n3", Some("1300"), "10.00"));
    assert_eq!(reason(&e), &UnmatchedReason::UnknownReference);
    let MatchEvent::Unmatched(u) = &e else {
        unreachable!()
    };
    assert_eq!(u.did_you_mean.as_deref(), Some("a"));

    let e = r.push(pay("n4", Some("1300"), "12.34"));
    let MatchEvent::Unmatched(u) = &e else {
        unreachable!()
    };
    assert_eq!(u.did_you_mean, None, "no item has that amount");

    let e = r.push(pay("n5", Some("1287"), "7.00"));
    assert_eq!(
        reason(&e),
        &UnmatchedReason::CurrencyMismatch {
            item_id: "dollars".into(),
            item_currency: "USD".into()
        }
    );
    let mut lower = pay("n5b", Some("1287"), "7.00");
    lower.currency = " Usd ".into();
    assert!(
        matches!(r.push(lower), MatchEvent::Matched { .. }),
        "case-insensitive"
    );

    let e = r.push(pay("n6", Some("1232"), "-10.00"));
    assert_eq!(reason(&e), &UnmatchedReason::NotACredit);
    let e = r.push(pay("n7", Some("1232"), "0.00"));
    assert_eq!(reason(&e), &UnmatchedReason::NotACredit);

    let e = r.push(pay("n8", Some("1290"), "5.00"));
    assert_eq!(
        reason(&e),
        &UnmatchedReason::AmbiguousReference {
            item_ids: vec!["dup1".into(), "dup2".into()]
        }
    );

    let report = r.finish();
    assert_eq!(report.unmatched.len(), 8);
    assert_eq!(
        report.items.get(3).unwrap().status,
        ItemStatus::AmbiguousReference
    );
    assert_eq!(report.totals.ambiguous, 2);
    assert_eq!(report.totals.by_currency["EUR"].unmatched, amt("143.34"));
}

/// `absorb` (borrowed, no event) is `push` without the copies: for every kind of payment the
/// same outcome, and in the end the same report.
#[test]
fn absorbing_gives_what_pushing_gives() {
    let items = reason_items();
    let payments = vec![
        pay("m1", Some("1245"), "50.00"),
        pay("m2", Some("RF18 1245"), "49.00"),
        pay("m1", Some("1245"), "50.00"),
        pay("", Some("1232"), "10.00"),
        pay("", Some("1232"), "10.00"),
        pay("n1", None, "10.00"),
        pay("n2", Some("1235"), "99.00"),
        pay("n3", Some("1300"), "10.00"),
        pay("n5", Some("1287"), "7.00"),
        pay("n6", Some("1232"), "-10.00"),
        pay("n8", Some("1290"), "5.00"),
        pay("n9", Some("1245"), "79228162514264337593543950335"),
    ];
    let mut pushed = Reconciler::new(items.clone());
    let mut absorbed = Reconciler::new(items.clone());
    let mut unmatched = Vec::new();
    for payment in &payments {
        let event = pushed.push(payment.clone());
        match (event, absorbed.absorb(payment.borrowed())) {
            (MatchEvent::Duplicate { payment_id }, Absorbed::Duplicate) => {
                assert_eq!(payment_id, payment.id)
            }
            (
                MatchEvent::Matched {
                    payment_id,
                    item_id,
                    item_index,
                    received,
                    status,
                },
                Absorbed::Matched {
                    item_index: index,
                    received: total,
                    status: now,
                },
            ) => {
                assert_eq!(payment_id, payment.id);
                assert_eq!((item_id, item_index), (items[index].id.clone(), index));
                assert_eq!((received, status), (total, now));
            }
            (MatchEvent::Unmatched(u), Absorbed::Unmatched { index }) => {
                assert_eq!(index, unmatched.len());
                assert_eq!(u.payment, *payment);
                unmatched.push(u);
            }
            (event, outcome) => panic!("{payment:?}: {event:?} against {outcome:?}"),
        }
    }
    let (pushed, absorbed) = (pushed.finish(), absorbed.finish());
    assert_eq!(absorbed.unmatched, unmatched);
    assert_eq!(
        serde_json::to_string(&pushed).unwrap(),
        serde_json::to_string(&absorbed).unwrap()
    );
    assert!(
        unmatched
            .iter()
            .any(|u| u.reason == UnmatchedReason::AmountOverflow)
    );
}

#[test]
fn redelivered_payments_count_once() {
    let mut r = Reconciler::new(vec![item("a", "1232", "10.00")]);
    assert!(matches!(
        r.push(pay("p", Some("1232"), "10.00")),
        MatchEvent::Matched { .. }
    ));
    assert_eq!(
        r.push(pay("p", Some("1232"), "10.00")),
        MatchEvent::Duplicate {
            payment_id: "p".into()
        }
    );
    // Empty ids cannot be de-duplicated; both count.
    r.push(pay("", Some("1232"), "1.00"));
    r.push(pay("", Some("1232"), "1.00"));
    assert_eq!(
        r.item_status(0),
        Some(ItemStatus::Overpaid {
            excess: amt("2.00")
        })
    );
    let report = r.finish();
    assert_eq!(report.totals.duplicate_payments, 1);
    assert_eq!(report.totals.payments, 3);
}

#[test]
fn streaming_events_report_running_status() {
    let mut r = Reconciler::new(vec![item("inv-1", "RF18539007547034", "100.00")]);
    let e = r.push(pay("p1", Some("rf18 5390 0754 7034"), "60.00"));
    assert_eq!(
        e,
        MatchEvent::Matched {
            payment_id: "p1".into(),
            item_id: "inv-1".into(),
            item_index: 0,
            received: amt("60.00"),
            status: ItemStatus::PartiallyPaid {
                remaining: amt("40.00")
            },
        }
    );
    let e = r.push(pay("p2", Some("RF18539007547034"), "40.00"));
    assert!(
        matches!(
            e,
            MatchEvent::Matched {
                status: ItemStatus::Paid,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn report_serialises_to_json() {
    let report = reconcile(
        vec![item("inv-1", "1232", "10.00")],
        vec![pay("p1", Some("1232"), "4.00"), pay("p2", None, "1.00")],
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["items"][0]["id"], "inv-1");
    assert_eq!(json["items"][0]["status"], "partially_paid");
    assert_eq!(json["items"][0]["remaining"], "6.00");
    assert_eq!(json["items"][0]["due_date"], "2025-01-31");
    assert_eq!(json["unmatched"][0]["reason"], "no_reference");
    assert_eq!(
        json["unmatched"][0]["payment"]["booking_date"],
        "2025-01-15"
    );
    assert_eq!(json["totals"]["by_currency"]["EUR"]["outstanding"], "6.00");
    let back: OpenItem = serde_json::from_value(serde_json::json!({
        "id": "x", "reference": "00000000000000001232", "amount": "1.00", "currency": "EUR",
        "due_date": "2025-02-28"
    }))
    .unwrap();
    assert_eq!(back.due_date, Some(date!(2025 - 02 - 28)));
}

/// A valid Finnish reference from a number (base ≥ 100 so it has at least 4 digits).
fn finnish(base: u64) -> FinnishReference {
    FinnishReference::generate(&(base + 100).to_string()).unwrap()
}

/// Splits `total_cents` into the given positive parts (weights ≥ 1), exactly.
fn partition(total_cents: i64, weights: &[u32]) -> Vec<i64> {
    let sum: i64 = weights.iter().map(|&w| i64::from(w)).sum();
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|&w| total_cents * i64::from(w) / sum)
        .collect();
    let assigned: i64 = parts.iter().sum();
    parts[0] += total_cents - assigned;
    parts.retain(|&p| p > 0);
    parts
}

/// How a payment's reference is written.
fn written(reference: &FinnishReference, form: u8) -> String {
    match form % 4 {
        0 => reference.as_str().to_owned(),
        1 => reference.padded(),
        2 => reference.grouped(),
        _ => RfReference::from_finnish(reference)
            .grouped()
            .to_lowercase(),
    }
}

proptest! {
    #[test]
    fn any_partition_of_the_amount_pays_the_item(
        cents in 1i64..10_000_000,
        weights in prop::collection::vec(1u32..1000, 1..8),
        extra in 0i64..5000,
        forms in prop::collection::vec(any::<u8>(), 8),
        base in 0u64..1_000_000_000,
    ) {
        let reference = finnish(base);
        let open = OpenItem {
            id: "inv".into(),
            reference: Reference::Finnish(reference.clone()),
            amount: Amount::from_minor_units(cents),
            currency: "EUR".into(),
            due_date: None,
        };
        let parts = partition(cents + extra, &weights);
        let payments: Vec<Payment> = parts
            .iter()
            .enumerate()
            .map(|(i, &c)| Payment {
                id: format!("p{i}"),
                reference: Some(written(&reference, forms[i])),
                amount: Amount::from_minor_units(c),
                currency: "EUR".into(),
                booking_date: None,
                payer_name: None,
            })
            .collect();
        let report = reconcile(vec![open], payments);
        let got = &report.items.get(0).unwrap();
        prop_assert_eq!(got.received, Amount::from_minor_units(cents + extra));
        prop_assert_eq!(got.payment_ids.len(), parts.len());
        let covering = parts.iter().filter(|&&c| c >= cents).count() as u32;
        let expected = if covering >= 2 {
            ItemStatus::PaidTwice {
                covering_payments: covering,
                excess: Amount::from_minor_units(extra),
            }
        } else if extra == 0 {
            ItemStatus::Paid
        } else {
            ItemStatus::Overpaid { excess: Amount::from_minor_units(extra) }
        };
        prop_assert_eq!(&got.status, &expected);
        if extra == 0 {
            prop_assert_eq!(&got.status, &ItemStatus::Paid, "an exact partition is paid");
        }
        prop_assert!(report.unmatched.is_empty());

        // Dropping the last part leaves exactly that much outstanding.
        if parts.len() > 1 && extra == 0 {
            let open = report.items.get(0).unwrap().item.clone();
            let fewer: Vec<Payment> = parts[..parts.len() - 1]
                .iter()
                .enumerate()
                .map(|(i, &c)| Payment {
                    id: format!("p{i}"),
                    reference: Some(reference.padded()),
                    amount: Amount::from_minor_units(c),
                    currency: "EUR".into(),
                    booking_date: None,
                    payer_name: None,
                })
                .collect();
            let partial = reconcile(vec![open], fewer);
            let last = Amount::from_minor_units(parts[parts.len() - 1]);
            prop_assert_eq!(
                &partial.items.get(0).unwrap().status,
                &ItemStatus::PartiallyPaid { remaining: last }
            );
        }
    }

    #[test]
    fn outcomes_do_not_depend_on_order(
        specs in prop::collection::vec((0u64..30, 1i64..5000), 1..30),
        pays in prop::collection::vec((0u64..40, 1i64..6000, any::<u8>(), any::<bool>()), 0..80),
        seed in any::<u64>(),
    ) {
        let items: Vec<OpenItem> = specs
            .iter()
            .enumerate()
            .map(|(i, &(base, cents))| OpenItem {
                id: format!("item{i}"),
                reference: Reference::Finnish(finnish(base)),
                amount: Amount::from_minor_units(cents),
                currency: "EUR".into(),
                due_date: None,
            })
            .collect();
        let payments: Vec<Payment> = pays
            .iter()
            .enumerate()
            .map(|(i, &(base, cents, form, debit))| Payment {
                id: format!("p{i}"),
                reference: Some(written(&finnish(base), form)),
                amount: Amount::from_minor_units(if debit && form % 7 == 0 { -cents } else { cents }),
                currency: "EUR".into(),
                booking_date: None,
                payer_name: None,
            })
            .collect();
        // A deterministic shuffle of the payments from the seed.
        let mut shuffled = payments.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let a = reconcile(items.clone(), payments);
        let b = reconcile(items, shuffled);
        for (x, y) in a.items.iter().zip(&b.items) {
            prop_assert_eq!(&x.status, &y.status);
            prop_assert_eq!(x.received, y.received);
            let mut xs = x.payment_ids.clone();
            let mut ys = y.payment_ids.clone();
            xs.sort();
            ys.sort();
            prop_assert_eq!(xs, ys);
        }
        let mut ua: Vec<_> = a.unmatched.iter().map(|u| (u.payment.id.clone(), u.reason.clone())).collect();
        let mut ub: Vec<_> = b.unmatched.iter().map(|u| (u.payment.id.clone(), u.reason.clone())).collect();
        ua.sort_by(|x, y| x.0.cmp(&y.0));
        ub.sort_by(|x, y| x.0.cmp(&y.0));
        prop_assert_eq!(ua, ub);
        prop_assert_eq!(a.totals, b.totals);
    }
}
