//! The lease protocol against a real PostgreSQL server, named by `OPCORP_TEST_POSTGRES_URL`
//! (`scripts/test postgres` starts one). Without it these tests say SKIPPED and pass, except
//! under `CI=true`, where a missing server fails them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::rate::{Grant, SharedRateLimiter, take};
use super::*;
use crate::checkpoint::AckedTransaction;

const URL_VAR: &str = "OPCORP_TEST_POSTGRES_URL";
const LEASE: Duration = Duration::from_millis(600);

/// The server URL, or `None` (after saying so) when the tests must be skipped.
pub(super) fn url() -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "{URL_VAR} is not set under CI=true: run these tests through scripts/test postgres"
            )
        }
        _ => {
            eprintln!(
                "SKIPPED: PostgreSQL store tests need {URL_VAR} (scripts/test postgres sets it)"
            );
            None
        }
    }
}

/// A migrated store on a fresh watch group of its own.
pub(super) async fn store(url: &str) -> PgStore {
    PgStore::migrate(url, None).await.unwrap();
    let group = format!("test-{}", uuid::Uuid::new_v4().simple());
    PgStore::connect(url, &group).await.unwrap()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("acc-{i:03}")).collect()
}

fn checkpoint(anchor: i64) -> AccountCheckpoint {
    AccountCheckpoint {
        floor: 0,
        anchor,
        acked: vec![AckedTransaction {
            timestamp: anchor,
            object_id: format!("tx-{anchor}"),
        }],
    }
}

#[tokio::test]
async fn migrations_apply_once_and_are_idempotent() {
    let Some(url) = url() else { return };
    let results = futures::future::join_all((0..3).map(|_| PgStore::migrate(&url, None))).await;
    for r in &results {
        assert!(r.is_ok(), "{r:?}");
    }
    assert_eq!(PgStore::migrate(&url, None).await.unwrap(), 0);
    let s = store(&url).await;
    let client = s.client().await.unwrap();
    let version: i32 = client
        .query_one("SELECT max(version) FROM opcorp_schema_version", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(version, SCHEMA_VERSION);
    assert!(
        format!("{s:?}").contains("group"),
        "Debug shows no settings"
    );
}

#[tokio::test]
async fn bad_urls_are_typed_errors() {
    let err = PgStore::connect("postgres://u:secret@[::1", "g")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(!err.to_string().contains("secret"), "{err}");
    let err = PgStore::connect(
        "host=127.0.0.1 port=1 connect_timeout=2 sslmode=disable",
        "g",
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
}

#[tokio::test]
async fn concurrent_claims_are_disjoint_and_cover_every_due_account() {
    let Some(url) = url() else { return };
    let s = Arc::new(store(&url).await);
    s.sync_accounts(&ids(60)).await.unwrap();
    let claims = futures::future::join_all((0..4).map(|w| {
        let s = Arc::clone(&s);
        async move {
            let mut mine = Vec::new();
            loop {
                let got = s
                    .claim(&format!("w{w}"), &[], 7, true, LEASE * 20)
                    .await
                    .unwrap();
                if got.is_empty() {
                    break;
                }
                mine.extend(got.into_iter().map(|c| c.account));
            }
            mine
        }
    }))
    .await;
    let mut all: Vec<String> = claims.concat();
    all.sort();
    assert_eq!(all, ids(60), "every account exactly once");
    assert!(
        claims.iter().filter(|c| !c.is_empty()).count() >= 2,
        "{claims:?}"
    );
}

#[tokio::test]
async fn a_lost_lease_can_never_move_the_checkpoint() {
    let Some(url) = url() else { return };
    let s = store(&url).await;
    s.sync_accounts(&ids(1)).await.unwrap();
    let a = s.claim("a", &[], 10, true, LEASE).await.unwrap();
    assert_eq!(a.len(), 1);
    let fence_a = a[0].fence;
    s.store_checkpoint("a", "acc-000", fence_a, &checkpoint(1), LEASE)
        .await
        .unwrap();
    assert!(
        s.claim("b", &[], 10, true, LEASE).await.unwrap().is_empty(),
        "leased"
    );
    // a stalls past its lease; b takes over with a new fencing token.
    tokio::time::sleep(LEASE + Duration::from_millis(100)).await;
    let b = s.claim("b", &[], 10, true, LEASE).await.unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].fence, fence_a + 1);
    assert_eq!(
        b[0].checkpoint,
        Some(checkpoint(1)),
        "b starts from a's last ack"
    );
    // a's late acknowledgement is refused and changes nothing.
    let err = s
        .store_checkpoint("a", "acc-000", fence_a, &checkpoint(2), LEASE)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(
        !s.finish_poll("a", "acc-000", fence_a, LEASE, LEASE, Some(&checkpoint(3)))
            .await
            .unwrap()
    );
    assert!(
        s.renew("a", &[("acc-000".into(), fence_a)], LEASE)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(s.checkpoint("acc-000").await.unwrap(), Some(checkpoint(1)));
    // Even an expired lease nobody took over cannot write: expiry alone fences.
    s.store_checkpoint("b", "acc-000", b[0].fence, &checkpoint(4), LEASE)
        .await
        .unwrap();
    tokio::time::sleep(LEASE + Duration::from_millis(100)).await;
    let err = s
        .store_checkpoint("b", "acc-000", b[0].fence, &checkpoint(5), LEASE)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    // b reclaiming its own expired lease keeps the token (nobody else held it).
    let again = s.claim("b", &[], 10, false, LEASE).await.unwrap();
    assert_eq!(again[0].fence, b[0].fence);
    assert_eq!(again[0].checkpoint, Some(checkpoint(4)));
}

#[tokio::test]
async fn renewal_keeps_a_lease_and_release_hands_it_over() {
    let Some(url) = url() else { return };
    let s = store(&url).await;
    s.sync_accounts(&ids(2)).await.unwrap();
    let a = s.claim("a", &[], 10, true, LEASE).await.unwrap();
    let held: Vec<(String, i64)> = a.iter().map(|c| (c.account.clone(), c.fence)).collect();
    let until = Instant::now() + LEASE * 3;
    while Instant::now() < until {
        assert_eq!(s.renew("a", &held, LEASE).await.unwrap().len(), 2);
        // Not due (the poll has not ended) and leased: b gets nothing, a only its own.
        assert!(s.claim("b", &[], 10, true, LEASE).await.unwrap().is_empty());
        tokio::time::sleep(LEASE / 4).await;
    }
    s.finish_poll("a", "acc-000", held[0].1, Duration::ZERO, LEASE, None)
        .await
        .unwrap();
    assert!(
        s.claim("b", &[], 10, true, LEASE).await.unwrap().is_empty(),
        "due but leased"
    );
    let own = s
        .claim("a", &["acc-001".into()], 10, false, LEASE)
        .await
        .unwrap();
    assert_eq!(own.len(), 1, "a re-claims its own due account");
    assert_eq!(own[0].fence, held[0].1, "same owner, same token");
    s.release("a", &held).await.unwrap();
    let b = s.claim("b", &[], 10, true, LEASE).await.unwrap();
    assert_eq!(b.len(), 2, "released accounts are free at once");
    assert!(
        b.iter()
            .all(|c| c.fence == held[0].1 + 1 || c.fence == held[1].1 + 1)
    );
}

#[tokio::test]
async fn accounts_that_leave_the_set_are_not_claimed_and_keep_their_checkpoint() {
    let Some(url) = url() else { return };
    let s = store(&url).await;
    s.sync_accounts(&ids(3)).await.unwrap();
    let a = s.claim("a", &[], 10, true, LEASE).await.unwrap();
    for c in &a {
        s.store_checkpoint("a", &c.account, c.fence, &checkpoint(7), LEASE)
            .await
            .unwrap();
    }
    s.sync_accounts(&ids(2)).await.unwrap();
    let rows = s.account_rows().await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.active).count(), 2);
    let held: Vec<(String, i64)> = a.iter().map(|c| (c.account.clone(), c.fence)).collect();
    let renewed = s.renew("a", &held, LEASE).await.unwrap();
    assert!(
        !renewed.contains(&"acc-002".to_owned()),
        "a retired account's lease ends"
    );
    s.sync_accounts(&ids(3)).await.unwrap();
    assert_eq!(s.checkpoint("acc-002").await.unwrap(), Some(checkpoint(7)));
    assert_eq!(s.fair_share("a", LEASE).await.unwrap(), 3);
    s.renew("b", &[], LEASE).await.unwrap();
    assert_eq!(
        s.fair_share("a", LEASE).await.unwrap(),
        2,
        "two live workers"
    );
}

#[tokio::test]
async fn the_rate_bucket_is_shared_by_limiters_on_separate_connections() {
    let Some(url) = url() else { return };
    let s = Arc::new(store(&url).await);
    let bucket = format!("client:{}", s.group());
    let rate = 40.0;
    let sent = Arc::new(AtomicUsize::new(0));
    let window = Duration::from_millis(1500);
    // Each limiter on its own connection, as three processes would be.
    let mut stores = Vec::new();
    for _ in 0..3 {
        stores.push(Arc::new(PgStore::connect(&url, s.group()).await.unwrap()));
    }
    let start = Instant::now();
    let workers = stores.into_iter().map(|own| {
        let limiter = SharedRateLimiter::new(own, bucket.clone(), rate);
        let sent = Arc::clone(&sent);
        async move {
            while start.elapsed() < window {
                limiter.acquire().await;
                if start.elapsed() < window {
                    sent.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    });
    futures::future::join_all(workers).await;
    let total = sent.load(Ordering::SeqCst) as f64;
    // Three processes, one budget: 40/s for 1.5 s plus one batch of burst.
    let ceiling = rate * window.as_secs_f64() + (rate / 10.0) + 1.0;
    assert!(total <= ceiling, "{total} requests > {ceiling}");
    assert!(
        total >= rate * window.as_secs_f64() * 0.6,
        "{total} requests: starved"
    );
    super::rate::pause(&s, &bucket, Duration::from_millis(800))
        .await
        .unwrap();
    match take(&s, &bucket, rate, 4.0).await.unwrap() {
        Grant::Wait(d) => assert!(d >= Duration::from_millis(500), "{d:?}"),
        Grant::Tokens(n) => panic!("paused bucket granted {n}"),
    }
}
