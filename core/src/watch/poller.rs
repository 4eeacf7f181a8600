//! The background task of a [`super::Watcher`]: schedules account polls, runs up to
//! `max_concurrency` of them at once under the shared rate limit, queues what they find and
//! backs off accounts that fail.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::state::{AccountState, Offer};
use super::{AccountSlot, Backend, Delivery, Shared, load, save};
use crate::api::account_data::TransactionQuery;
use crate::checkpoint::AccountCheckpoint;
use crate::error::{ErrorKind, Result};
use crate::model::Transaction;
use crate::routes;

/// Where deliveries (and errors worth the consumer's attention) go.
type Sender = mpsc::Sender<Result<super::Delivery>>;

/// How one poll of one account ended.
pub(crate) enum PollEnd {
    /// The scan finished (or paused at the account's cap).
    Done,
    /// The consumer dropped the watcher.
    Closed,
}

/// Scheduling state of one account, owned by the task.
#[derive(Debug, Default, Clone, Copy)]
struct Schedule {
    /// Consecutive failed polls.
    failures: u32,
    /// When the lookback window was last rescanned (`None`: never — rescan first).
    last_rescan: Option<Instant>,
}

type PollFuture = Pin<Box<dyn Future<Output = (usize, bool, Result<PollEnd>)> + Send>>;

/// Runs until the watcher (the receiving side of `sender`) is dropped.
pub(crate) async fn run(shared: Arc<Shared>, accounts: Vec<Arc<AccountSlot>>, sender: Sender) {
    let settings = shared.settings.clone();
    let mut schedules = vec![Schedule::default(); accounts.len()];
    let mut due: BinaryHeap<Reverse<(Instant, usize)>> = (0..accounts.len())
        .map(|i| Reverse((Instant::now(), i)))
        .collect();
    let mut running: FuturesUnordered<PollFuture> = FuturesUnordered::new();
    loop {
        let now = Instant::now();
        while running.len() < settings.max_concurrency {
            match due.peek() {
                Some(Reverse((at, _))) if *at <= now => {}
                _ => break,
            }
            let Some(Reverse((_, index))) = due.pop() else {
                break;
            };
            let rescan = schedules[index]
                .last_rescan
                .is_none_or(|at| at.elapsed() >= settings.rescan_interval);
            let shared = Arc::clone(&shared);
            let sender = sender.clone();
            let slot = Arc::clone(&accounts[index]);
            running.push(Box::pin(async move {
                let result = poll_account(&shared, &slot, rescan, &sender).await;
                (index, rescan, result)
            }));
        }
        let next_due = due.peek().map(|Reverse((at, _))| *at);
        let can_start = running.len() < settings.max_concurrency;
        tokio::select! {
            Some((index, rescan, result)) = running.next(), if !running.is_empty() => {
                let schedule = &mut schedules[index];
                let delay = match result {
                    Ok(PollEnd::Closed) => return,
                    Ok(PollEnd::Done) => {
                        schedule.failures = 0;
                        if rescan {
                            schedule.last_rescan = Some(Instant::now());
                        }
                        settings.poll_interval
                    }
                    Err(error) => {
                        schedule.failures = schedule.failures.saturating_add(1);
                        let delay = backoff(&settings, schedule.failures, error.retry_after());
                        if error.kind() == ErrorKind::RateLimited {
                            shared.limiter.pause_for(error.retry_after().unwrap_or(delay)).await;
                        }
                        let account = &accounts[index].id;
                        tracing::warn!(
                            account = %account,
                            code = error.code(),
                            failures = schedule.failures,
                            retry_in_ms = delay.as_millis() as u64,
                            "watch poll failed: {error}"
                        );
                        if !error.is_retryable() && sender.send(Err(error)).await.is_err() {
                            return;
                        }
                        delay
                    }
                };
                due.push(Reverse((Instant::now() + delay, index)));
            }
            () = sleep_until_opt(next_due), if can_start && next_due.is_some() => {}
            () = sender.closed() => return,
        }
    }
}

/// Sleeps until `at` (forever when `None`; the `select!` guard keeps that branch off then).
async fn sleep_until_opt(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => futures::future::pending().await,
    }
}

/// Exponential backoff from the poll interval, capped, but never shorter than `Retry-After`.
pub(crate) fn backoff(
    settings: &super::Settings,
    failures: u32,
    retry_after: Option<Duration>,
) -> Duration {
    let factor = 1u32 << failures.min(10);
    let delay = settings
        .poll_interval
        .saturating_mul(factor)
        .min(settings.max_backoff);
    retry_after.map_or(delay, |server| delay.max(server))
}

/// Loads (or creates and stores) the account's checkpoint on its first poll. A leased slot
/// is always loaded when it is claimed.
// Without the `postgres` feature the backend has one variant.
#[cfg_attr(
    not(feature = "postgres"),
    allow(clippy::infallible_destructuring_match)
)]
async fn ensure_loaded(shared: &Shared, slot: &AccountSlot) -> Result<()> {
    if slot.state().is_some() {
        return Ok(());
    }
    let store = match &shared.backend {
        Backend::Local(store) => store,
        #[cfg(feature = "postgres")]
        Backend::Postgres(_) => return Ok(()),
    };
    let checkpoint = match load(store, &slot.id).await? {
        Some(checkpoint) => checkpoint,
        None => {
            // Stored right away: a restart must not move the start past transactions that
            // arrive before the first acknowledgement.
            let fresh = AccountCheckpoint::starting_at(shared.settings.start_micros);
            save(store, &slot.id, &fresh).await?;
            fresh
        }
    };
    *slot.state() = Some(AccountState::new(
        checkpoint,
        shared.settings.max_unacked_per_account,
    ));
    Ok(())
}

/// Where a scan of `slot` starts, or `None` when there is nothing to do (the account is not
/// loaded, or the consumer has not acknowledged enough for more deliveries to fit).
fn scan_start(shared: &Shared, slot: &AccountSlot, rescan: bool) -> Option<i64> {
    let state = slot.state();
    let state = state.as_ref()?;
    // Without room, scanning would only repeat work.
    state
        .has_room()
        .then(|| state.scan_start(rescan, shared.settings.lookback_micros))
}

/// What `slot` makes of a scanned transaction: known, new, or no room; a debit is known
/// unless the watcher includes outgoing payments.
fn offer(shared: &Shared, slot: &AccountSlot, transaction: &Transaction) -> Offer {
    if !shared.settings.include_outgoing && transaction.is_debit() {
        return Offer::Known;
    }
    let mut state = slot.state();
    match state.as_mut() {
        Some(state) => state.offer(&transaction.object_id, transaction.timestamp),
        None => Offer::Known,
    }
}

/// Scans one account from its start point and queues every transaction not seen before.
pub(crate) async fn poll_account(
    shared: &Shared,
    slot: &AccountSlot,
    rescan: bool,
    sender: &Sender,
) -> Result<PollEnd> {
    ensure_loaded(shared, slot).await?;
    let Some(start) = scan_start(shared, slot, rescan) else {
        return Ok(PollEnd::Done);
    };
    // Full pages: a poll that finds nothing new costs exactly one request.
    let version = shared.client.paths().transactions_version;
    let page_size = routes::page_size(
        version,
        Some(shared.settings.page_size.unwrap_or(usize::MAX).max(1)),
    )?;
    let query = TransactionQuery::new()
        .from_timestamp_micros(start)
        .page_size(page_size);
    let client = match &slot.mandate {
        Some(mandate) => shared.client.acting_for(mandate)?,
        None => shared.client.clone(),
    };
    let stream = client.account_data().transactions(&slot.id, query);
    futures::pin_mut!(stream);
    let mut scanned_through = None;
    let mut taken = 0usize;
    let mut paused = false;
    let result = loop {
        // One request slot per page: before the first item and after every full page.
        if taken.is_multiple_of(page_size) {
            shared.limiter.acquire().await;
        }
        let transaction = match stream.next().await {
            None => break Ok(PollEnd::Done),
            Some(Err(error)) => break Err(error),
            Some(Ok(transaction)) => transaction,
        };
        taken += 1;
        let timestamp = transaction.timestamp;
        match offer(shared, slot, &transaction) {
            Offer::Known => {}
            Offer::Full => {
                paused = true;
                break Ok(PollEnd::Done);
            }
            Offer::New if !slot.lease_running() => {
                // The lease may have passed to another worker meanwhile (this process was
                // paused or starved): it delivers from the stored checkpoint instead.
                break Ok(PollEnd::Done);
            }
            Offer::New => {
                let delivery = Delivery {
                    account: slot.id.clone(),
                    mandate: slot.mandate.clone(),
                    detected_at: SystemTime::now(),
                    transaction,
                };
                if sender.send(Ok(delivery)).await.is_err() {
                    break Ok(PollEnd::Closed);
                }
            }
        }
        scanned_through = Some(timestamp);
    };
    if let Some(state) = slot.state().as_mut() {
        if let Some(ts) = scanned_through {
            state.scanned_through(ts);
        }
        if matches!(result, Ok(PollEnd::Done)) && !paused {
            state.settle_idle();
        }
    }
    result
}
