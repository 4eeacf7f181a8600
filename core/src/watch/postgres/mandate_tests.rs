//! A watcher with the [`AccountSource::Mandates`] source on a real PostgreSQL server and the
//! in-process emulator: the client companies' accounts are watched acting for their
//! mandates, and a mandate added or revoked while running changes the watched set.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use opcorp_emulator::{Emulator, EmulatorConfig, IncomingPayment, MandateSummary, NewMandate};

use super::tests::{store, url};
use super::*;
use crate::client::Client;
use crate::watch::{AccountSource, Delivery, StartFrom, Watcher};

const REFRESH: Duration = Duration::from_millis(300);

async fn emulator() -> Emulator {
    opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

fn client(emu: &Emulator) -> Client {
    let id = emu.identity();
    Client::builder()
        .base_url(&emu.base_url())
        .client_id(&id.client_id)
        .client_secret(&id.client_secret)
        .certificate_pem(&id.cert_pem)
        .private_key_pem(&id.key_pem)
        .ca_certificate_pem(&id.ca_pem)
        .build()
        .unwrap()
}

fn add(emu: &Emulator, name: &str, accounts: usize) -> MandateSummary {
    emu.admin()
        .add_mandate(
            &emu.identity().client_id,
            &NewMandate {
                company_name: name.into(),
                business_id: None,
                apis: None,
                accounts: Some(accounts),
            },
        )
        .unwrap()
}

fn book(emu: &Emulator, iban: &str, message: &str) -> String {
    emu.admin()
        .simulate_incoming(IncomingPayment {
            account_iban: iban.into(),
            amount: "21.00".into(),
            reference: None,
            message: Some(message.into()),
            debtor_name: "Maksaja Oy".into(),
            debtor_iban: None,
        })
        .unwrap()
        .object_id
}

/// Waits until `want` holds for the store's account rows.
async fn rows_until(store: &PgStore, what: &str, want: impl Fn(&[AccountRow]) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let rows = store.account_rows().await.unwrap();
        if want(&rows) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn active(rows: &[AccountRow], account: &str) -> bool {
    rows.iter().any(|r| r.account == account && r.active)
}

/// Takes and acknowledges deliveries until every id in `wanted` came; `FORBIDDEN` errors
/// (polls that raced a revocation) are tolerated and counted.
async fn deliver(watcher: &mut Watcher, wanted: &[String]) -> (Vec<Delivery>, usize) {
    let mut missing: HashSet<&String> = wanted.iter().collect();
    let mut got = Vec::new();
    let mut refused = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !missing.is_empty() {
        match tokio::time::timeout_at(deadline, watcher.next()).await {
            Ok(Ok(d)) => {
                watcher.ack(&d).await.unwrap();
                missing.remove(&d.transaction.object_id);
                got.push(d);
            }
            Ok(Err(e)) if e.kind() == ErrorKind::Forbidden => refused += 1,
            Ok(Err(e)) => panic!("watcher error: {e}"),
            Err(_) => panic!("not delivered: {missing:?}"),
        }
    }
    (got, refused)
}

#[tokio::test]
async fn mandates_join_and_leave_the_watched_set_while_running() {
    let Some(url) = url() else { return };
    let emu = emulator().await;
    let pg = Arc::new(store(&url).await);
    let a = add(&emu, "Asiakas A Oy", 2);
    let b = add(&emu, "Asiakas B Oy", 1);
    let mut watcher = Watcher::builder(client(&emu))
        .postgres(Arc::clone(&pg))
        .account_source(AccountSource::Mandates)
        .refresh_interval(REFRESH)
        .lease_ttl(Duration::from_millis(900))
        .poll_interval(Duration::from_millis(50))
        .rescan_interval(Duration::from_millis(300))
        .max_requests_per_second(500.0)
        .start_from(StartFrom::Now)
        .build()
        .unwrap();
    let (a0, b0) = (&a.accounts[0], &b.accounts[0]);
    rows_until(&pg, "A and B watched", |rows| {
        active(rows, &a0.surrogate_id) && active(rows, &b0.surrogate_id)
    })
    .await;
    let row = |rows: &[AccountRow], id: &str| rows.iter().find(|r| r.account == id).cloned();
    let rows = pg.account_rows().await.unwrap();
    assert_eq!(
        row(&rows, &a0.surrogate_id).unwrap().mandate.as_deref(),
        Some(a.mandate_id.as_str()),
        "the row remembers its mandate"
    );
    // Payments to two mandate companies' accounts are delivered, tagged with the mandate.
    let paid = vec![book(&emu, &a0.iban, "to A"), book(&emu, &b0.iban, "to B")];
    let (got, _) = deliver(&mut watcher, &paid).await;
    for d in &got {
        let expected = if d.account == a0.surrogate_id { &a } else { &b };
        assert_eq!(d.mandate.as_deref(), Some(expected.mandate_id.as_str()));
    }
    // A mandate given while running: its account joins and its payment is delivered.
    let c = add(&emu, "Asiakas C Oy", 1);
    let c0 = &c.accounts[0];
    let (got, _) = deliver(&mut watcher, &[book(&emu, &c0.iban, "to C")]).await;
    assert_eq!(
        got.last().unwrap().mandate.as_deref(),
        Some(c.mandate_id.as_str())
    );
    // A revoked mandate: its accounts leave the set and are no longer polled.
    emu.admin().revoke_mandate(&a.mandate_id).unwrap();
    let a_ids: Vec<String> = a.accounts.iter().map(|x| x.surrogate_id.clone()).collect();
    rows_until(&pg, "A's accounts retired", |rows| {
        a_ids.iter().all(|id| !active(rows, id))
    })
    .await;
    let until = tokio::time::Instant::now() + Duration::from_secs(5);
    while watcher.accounts().iter().any(|id| a_ids.contains(id)) {
        assert!(
            tokio::time::Instant::now() < until,
            "A's leases are still held"
        );
        // Errors of polls that raced the revocation may be waiting.
        let _ = tokio::time::timeout(Duration::from_millis(50), watcher.next()).await;
    }
    let late = book(&emu, &a0.iban, "to A after revocation");
    let still = book(&emu, &b0.iban, "to B after A's revocation");
    let (got, _) = deliver(&mut watcher, std::slice::from_ref(&still)).await;
    assert!(got.iter().all(|d| d.transaction.object_id != late));
    // Quiet afterwards: no delivery from A and no refused poll (nothing polls A any more).
    if let Ok(item) = tokio::time::timeout(REFRESH * 4, watcher.next()).await {
        match item {
            Ok(d) => panic!("unexpected delivery {} on {}", d.object_id(), d.account),
            Err(e) => panic!("a revoked mandate's account is still polled: {e}"),
        }
    }
    let rows = pg.account_rows().await.unwrap();
    assert!(row(&rows, &b0.surrogate_id).unwrap().active);
    assert!(row(&rows, &c0.surrogate_id).unwrap().active);
}

#[tokio::test]
async fn a_mandate_change_of_an_account_moves_its_fence() {
    let Some(url) = url() else { return };
    let s = store(&url).await;
    let watched = |mandate: &str| {
        vec![WatchedAccount {
            account: "acc-1".into(),
            mandate: Some(mandate.into()),
        }]
    };
    s.sync_watched(&watched("m-1")).await.unwrap();
    let claimed = s
        .claim("a", &[], 10, true, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(claimed[0].mandate.as_deref(), Some("m-1"));
    let fence = claimed[0].fence;
    // The same mandate again changes nothing; another one ends the lease.
    s.sync_watched(&watched("m-1")).await.unwrap();
    assert_eq!(s.account_rows().await.unwrap()[0].fence, fence);
    s.sync_watched(&watched("m-2")).await.unwrap();
    let row = &s.account_rows().await.unwrap()[0];
    assert_eq!(row.mandate.as_deref(), Some("m-2"));
    assert!(row.fence > fence && row.lease_owner.is_none());
    let renewed = s
        .renew("a", &[("acc-1".into(), fence)], Duration::from_secs(5))
        .await
        .unwrap();
    assert!(renewed.is_empty(), "the old holder lost its lease");
}
