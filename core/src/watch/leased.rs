//! The background task of a [`super::Watcher`] on the PostgreSQL store: keeps the group's
//! account set in the database, claims due accounts under leases, polls them with the same
//! per-account bookkeeping as a local watcher, renews its leases, and gives up accounts
//! above its fair share so that a new or restarted worker gets some.
//!
//! Every write is fenced (see [`super::postgres`]). A lease found lost — on renewal, at the
//! end of a poll or on an acknowledgement — drops the account's in-memory state: deliveries
//! made under it can no longer be acknowledged here, and the account's new owner starts from
//! the stored checkpoint, so it delivers them again.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use super::builder::AccountSource;
use super::poller::{PollEnd, backoff, poll_account};
use super::postgres::{Claimed, PgStore};
use super::state::AccountState;
use super::{AccountSlot, Shared};
use crate::checkpoint::AccountCheckpoint;
use crate::error::{ErrorKind, Result};

type Sender = mpsc::Sender<Result<super::Delivery>>;

/// This worker's identity in the store and where its account set comes from.
pub(crate) struct Lease {
    pub(crate) store: Arc<PgStore>,
    /// Unique per watcher (process id plus random), so a restarted process is a new owner.
    pub(crate) owner: String,
    source: AccountSource,
    listed: Vec<String>,
}

impl Lease {
    pub(crate) fn new(store: Arc<PgStore>, source: AccountSource, listed: Vec<String>) -> Self {
        let random = uuid::Uuid::new_v4().simple().to_string();
        Lease {
            store,
            owner: format!("pid{}-{}", std::process::id(), &random[..12]),
            source,
            listed,
        }
    }

    /// Stores an acknowledged checkpoint under the slot's lease; a refused write drops the
    /// slot (the lease is gone).
    pub(crate) async fn store(
        &self,
        shared: &Shared,
        slot: &Arc<AccountSlot>,
        checkpoint: &AccountCheckpoint,
    ) -> Result<()> {
        let ttl = shared.settings.lease_ttl;
        let sent = Instant::now();
        let result = self
            .store
            .store_checkpoint(&self.owner, &slot.id, slot.fence, checkpoint, ttl)
            .await;
        if let Err(e) = &result
            && e.kind() == ErrorKind::Conflict
        {
            tracing::warn!(account = %slot.id, fence = slot.fence, "acknowledgement refused: {e}");
            drop_slot(shared, slot);
        }
        if result.is_ok() {
            slot.lease_extended(sent + ttl);
        }
        result
    }
}

/// Forgets `slot` if it is still the held one for its account.
fn drop_slot(shared: &Shared, slot: &Arc<AccountSlot>) {
    let mut slots = shared.slots();
    if slots
        .get(&slot.id)
        .is_some_and(|held| Arc::ptr_eq(held, slot))
    {
        slots.remove(&slot.id);
    }
}

/// What a finished poll tells the task.
struct Polled {
    slot: Arc<AccountSlot>,
    rescan: bool,
    /// `None`: the consumer is gone. `Some(true)`: the poll failed.
    failed: Option<bool>,
    /// The bank refused a call acting for the account's mandate (403): the mandate may be
    /// revoked, so the account set is read again now rather than at the next refresh.
    refused_mandate: bool,
}

type PollFuture = Pin<Box<dyn Future<Output = Polled> + Send>>;

/// Per-account memory of this task, valid for one fencing token.
#[derive(Default)]
struct Memory {
    failures: HashMap<String, (i64, u32)>,
    rescanned: HashMap<String, (i64, Instant)>,
}

/// Runs until the watcher is dropped.
pub(crate) async fn run(shared: Arc<Shared>, lease: Arc<Lease>, sender: Sender) {
    let settings = shared.settings.clone();
    let mut running: FuturesUnordered<PollFuture> = FuturesUnordered::new();
    let mut running_ids: HashSet<String> = HashSet::new();
    let mut memory = Memory::default();
    let mut share = 0usize;
    let mut synced = false;
    let mut reported = false;
    let mut heartbeat = tokio::time::interval(settings.lease_ttl / 3);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut refresh = tokio::time::interval(settings.refresh_interval);
    refresh.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let claim_every =
        (settings.poll_interval / 10).clamp(Duration::from_millis(20), Duration::from_millis(250));
    let mut claim = tokio::time::interval(claim_every);
    claim.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let result = tokio::select! {
            biased;
            () = sender.closed() => return,
            _ = refresh.tick(), if !synced || lease.source != AccountSource::Listed => {
                let result = sync(&shared, &lease).await;
                synced |= result.is_ok();
                result
            }
            _ = heartbeat.tick() => {
                renew(&shared, &lease, &running_ids).await.map(|s| share = s)
            }
            Some(done) = running.next(), if !running.is_empty() => {
                running_ids.remove(&done.slot.id);
                if done.refused_mandate && lease.source == AccountSource::Mandates {
                    refresh.reset_immediately();
                }
                match done.failed {
                    None => return,
                    Some(failed) => memory.record(&done.slot, done.rescan, failed),
                }
                Ok(())
            }
            _ = claim.tick(), if synced && running.len() < settings.max_concurrency => {
                let limit = settings.max_concurrency - running.len();
                let take_new = shared.slots().len() < share;
                claim_and_poll(&shared, &lease, &sender, &memory, &mut running, &mut running_ids, limit, take_new).await
            }
        };
        match result {
            Ok(()) => reported = false,
            Err(error) => {
                tracing::warn!(code = error.code(), "watch store: {error}");
                if !error.is_retryable() && !reported {
                    reported = true;
                    if sender.send(Err(error)).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

impl Memory {
    /// Updates the failure count and rescan time of a finished poll.
    fn record(&mut self, slot: &AccountSlot, rescan: bool, failed: bool) {
        if failed {
            let entry = self
                .failures
                .entry(slot.id.clone())
                .or_insert((slot.fence, 0));
            *entry = (
                slot.fence,
                if entry.0 == slot.fence {
                    entry.1 + 1
                } else {
                    1
                },
            );
        } else {
            self.failures.remove(&slot.id);
            if rescan {
                self.rescanned
                    .insert(slot.id.clone(), (slot.fence, Instant::now()));
            }
        }
    }

    fn failures(&self, slot: &AccountSlot) -> u32 {
        match self.failures.get(&slot.id) {
            Some((fence, n)) if *fence == slot.fence => *n,
            _ => 0,
        }
    }

    fn needs_rescan(&self, slot: &AccountSlot, every: Duration) -> bool {
        match self.rescanned.get(&slot.id) {
            Some((fence, at)) if *fence == slot.fence => at.elapsed() >= every,
            _ => true,
        }
    }
}

/// Writes the current account set into the store.
async fn sync(shared: &Shared, lease: &Lease) -> Result<()> {
    let ids = match lease.source {
        AccountSource::Listed => lease.listed.clone(),
        AccountSource::All => shared
            .client
            .account_data()
            .accounts()
            .await?
            .into_iter()
            .map(|a| a.surrogate_id)
            .collect(),
        AccountSource::Mandates => {
            let watched = super::mandated::mandate_accounts(&shared.client).await?;
            return lease.store.sync_watched(&watched).await;
        }
    };
    lease.store.sync_accounts(&ids).await
}

/// Renews every held lease, drops the lost ones, gives up accounts above the fair share and
/// returns the share.
async fn renew(shared: &Shared, lease: &Lease, running: &HashSet<String>) -> Result<usize> {
    let ttl = shared.settings.lease_ttl;
    let held: Vec<(String, i64)> = shared
        .slots()
        .values()
        .map(|s| (s.id.clone(), s.fence))
        .collect();
    let sent = Instant::now();
    let renewed: HashSet<String> = lease
        .store
        .renew(&lease.owner, &held, ttl)
        .await?
        .into_iter()
        .collect();
    let share = lease.store.fair_share(&lease.owner, ttl).await?;
    let mut surplus = Vec::new();
    {
        let mut slots = shared.slots();
        for slot in slots.values().filter(|s| renewed.contains(&s.id)) {
            slot.lease_extended(sent + ttl);
        }
        for (id, fence) in &held {
            if !renewed.contains(id) && slots.get(id).is_some_and(|s| s.fence == *fence) {
                tracing::warn!(account = %id, fence, "lease lost: the account is dropped");
                slots.remove(id);
            }
        }
        // A little slack so two workers do not hand accounts back and forth.
        let keep = share + share / 20 + 1;
        if slots.len() > keep {
            let excess = slots.len() - share;
            let idle: Vec<(String, i64)> = slots
                .values()
                .filter(|s| !running.contains(&s.id))
                .filter(|s| s.state().as_ref().is_some_and(|st| st.in_flight() == 0))
                .take(excess)
                .map(|s| (s.id.clone(), s.fence))
                .collect();
            for (id, _) in &idle {
                slots.remove(id);
            }
            surplus = idle;
        }
    }
    if !surplus.is_empty() {
        tracing::info!(
            count = surplus.len(),
            share,
            "giving up accounts above the fair share"
        );
        lease.store.release(&lease.owner, &surplus).await?;
    }
    Ok(share)
}

/// Claims due accounts and starts a poll of each.
#[allow(clippy::too_many_arguments)]
async fn claim_and_poll(
    shared: &Arc<Shared>,
    lease: &Arc<Lease>,
    sender: &Sender,
    memory: &Memory,
    running: &mut FuturesUnordered<PollFuture>,
    running_ids: &mut HashSet<String>,
    limit: usize,
    take_new: bool,
) -> Result<()> {
    let settings = &shared.settings;
    let busy: Vec<String> = running_ids.iter().cloned().collect();
    let sent = Instant::now();
    let claimed = lease
        .store
        .claim(&lease.owner, &busy, limit, take_new, settings.lease_ttl)
        .await?;
    for claim in claimed {
        let slot = match adopt(shared, lease, claim).await {
            Ok(slot) => slot,
            Err(e) => {
                tracing::warn!(code = e.code(), "cannot take over a claimed account: {e}");
                continue;
            }
        };
        slot.lease_extended(sent + settings.lease_ttl);
        let rescan = memory.needs_rescan(&slot, settings.rescan_interval);
        let failures = memory.failures(&slot);
        running_ids.insert(slot.id.clone());
        let (shared, lease, sender) = (Arc::clone(shared), Arc::clone(lease), sender.clone());
        running.push(Box::pin(async move {
            poll_and_finish(&shared, &lease, slot, rescan, failures, &sender).await
        }));
    }
    Ok(())
}

/// The slot for a claimed account: the held one when the fencing token is unchanged (its
/// memory is still right; a change of the account's mandate also moves the token), else a
/// new one from the stored checkpoint.
async fn adopt(shared: &Shared, lease: &Lease, claim: Claimed) -> Result<Arc<AccountSlot>> {
    if let Some(slot) = shared.slots().get(&claim.account)
        && slot.fence == claim.fence
        && slot.state().is_some()
    {
        return Ok(Arc::clone(slot));
    }
    let settings = &shared.settings;
    let checkpoint = match claim.checkpoint {
        Some(checkpoint) => checkpoint,
        None => {
            // Stored before the first delivery: a takeover must start from the same point.
            let fresh = AccountCheckpoint::starting_at(settings.start_micros);
            lease
                .store
                .store_checkpoint(
                    &lease.owner,
                    &claim.account,
                    claim.fence,
                    &fresh,
                    settings.lease_ttl,
                )
                .await?;
            fresh
        }
    };
    let state = AccountState::new(checkpoint, settings.max_unacked_per_account);
    let slot = AccountSlot::new(
        claim.account.clone(),
        claim.mandate,
        claim.fence,
        Some(state),
    );
    shared.slots().insert(claim.account, Arc::clone(&slot));
    Ok(slot)
}

/// Polls one claimed account, then records when it is due again (and an anchor that moved
/// past unwanted transactions) under its lease.
async fn poll_and_finish(
    shared: &Shared,
    lease: &Lease,
    slot: Arc<AccountSlot>,
    rescan: bool,
    failures: u32,
    sender: &Sender,
) -> Polled {
    let settings = &shared.settings;
    let anchor_before = anchor(&slot);
    let mut refused_mandate = false;
    let (delay, failed) = match poll_account(shared, &slot, rescan, sender).await {
        Ok(PollEnd::Closed) => {
            return Polled {
                slot,
                rescan,
                failed: None,
                refused_mandate,
            };
        }
        Ok(PollEnd::Done) => (settings.poll_interval, false),
        Err(error) => {
            refused_mandate = slot.mandate.is_some() && error.kind() == ErrorKind::Forbidden;
            let delay = backoff(settings, failures + 1, error.retry_after());
            if error.kind() == ErrorKind::RateLimited {
                shared
                    .limiter
                    .pause_for(error.retry_after().unwrap_or(delay))
                    .await;
            }
            tracing::warn!(account = %slot.id, code = error.code(), "watch poll failed: {error}");
            if !error.is_retryable() && sender.send(Err(error)).await.is_err() {
                return Polled {
                    slot,
                    rescan,
                    failed: None,
                    refused_mandate,
                };
            }
            (delay, true)
        }
    };
    let sent = Instant::now();
    let held = {
        let _writer = slot.persist.lock().await;
        let settled = slot
            .state()
            .as_ref()
            .filter(|s| s.in_flight() == 0 && Some(s.checkpoint().anchor) != anchor_before)
            .map(|s| s.checkpoint().clone());
        lease
            .store
            .finish_poll(
                &lease.owner,
                &slot.id,
                slot.fence,
                delay,
                settings.lease_ttl,
                settled.as_ref(),
            )
            .await
    };
    match held {
        Ok(true) => slot.lease_extended(sent + settings.lease_ttl),
        Ok(false) => {
            tracing::warn!(account = %slot.id, fence = slot.fence, "lease lost during a poll");
            drop_slot(shared, &slot);
        }
        Err(e) => tracing::warn!(account = %slot.id, "cannot record the end of a poll: {e}"),
    }
    Polled {
        slot,
        rescan,
        failed: Some(failed),
        refused_mandate,
    }
}

/// The anchor of a loaded slot.
fn anchor(slot: &AccountSlot) -> Option<i64> {
    slot.state().as_ref().map(|s| s.checkpoint().anchor)
}
