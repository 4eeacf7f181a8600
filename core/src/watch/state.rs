//! What the watcher knows about one account: the persisted checkpoint plus the transactions
//! found but not yet acknowledged. Pure bookkeeping (no I/O), so every rule of the delivery
//! contract is unit-tested here.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::checkpoint::{AccountCheckpoint, AckedTransaction};

/// How a scanned transaction relates to what the account already knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Offer {
    /// Not seen before: it is now in flight and must be delivered.
    New,
    /// Already acknowledged, or already in flight: skip it.
    Known,
    /// The account holds as many unacknowledged transactions as allowed: stop scanning.
    Full,
}

/// Per-account bookkeeping.
#[derive(Debug)]
pub(crate) struct AccountState {
    /// The persisted view: floor, anchor and the acknowledged ids inside the window.
    checkpoint: AccountCheckpoint,
    /// Index of `checkpoint.acked` by object id.
    acked_ids: HashSet<String>,
    /// Found (queued or delivered) but not acknowledged: object id → timestamp.
    in_flight: HashMap<String, i64>,
    /// The same transactions ordered by (timestamp, id), to find the oldest one quickly.
    in_flight_order: BTreeSet<(i64, String)>,
    /// Where the next ordinary poll starts (µs, inclusive): the newest timestamp scanned.
    cursor: i64,
    /// Most unacknowledged transactions held before scanning pauses.
    max_in_flight: usize,
    /// Most acknowledged ids held ahead of the anchor (while an older delivery is still
    /// unacknowledged) before scanning pauses: bounds memory when a consumer never acks one.
    max_acked_ahead: usize,
}

impl AccountState {
    /// State restored from a checkpoint. The first poll is a full rescan of the window.
    pub(crate) fn new(checkpoint: AccountCheckpoint, max_in_flight: usize) -> Self {
        let acked_ids = checkpoint
            .acked
            .iter()
            .map(|a| a.object_id.clone())
            .collect();
        let cursor = checkpoint.anchor;
        AccountState {
            checkpoint,
            acked_ids,
            in_flight: HashMap::new(),
            in_flight_order: BTreeSet::new(),
            cursor,
            max_in_flight: max_in_flight.max(1),
            max_acked_ahead: max_in_flight.max(1).saturating_mul(100),
        }
    }

    /// The timestamp (µs, inclusive) a scan starts from: the cursor for an ordinary poll, or
    /// `lookback_micros` behind the anchor for a rescan that catches late transactions. Never
    /// before the floor.
    pub(crate) fn scan_start(&self, rescan: bool, lookback_micros: i64) -> i64 {
        let start = if rescan {
            self.checkpoint.anchor.saturating_sub(lookback_micros)
        } else {
            self.cursor
        };
        start.max(self.checkpoint.floor)
    }

    /// Whether the account may take more transactions now (see [`Offer::Full`]).
    pub(crate) fn has_room(&self) -> bool {
        if self.in_flight.len() >= self.max_in_flight {
            return false;
        }
        let anchor = self.checkpoint.anchor;
        let acked = &self.checkpoint.acked;
        let ahead = acked.len() - acked.partition_point(|a| a.timestamp <= anchor);
        ahead < self.max_acked_ahead
    }

    /// Records a scanned transaction: [`Offer::New`] puts it in flight.
    pub(crate) fn offer(&mut self, object_id: &str, timestamp: i64) -> Offer {
        if timestamp < self.checkpoint.floor
            || self.acked_ids.contains(object_id)
            || self.in_flight.contains_key(object_id)
        {
            return Offer::Known;
        }
        if !self.has_room() {
            return Offer::Full;
        }
        self.in_flight.insert(object_id.to_owned(), timestamp);
        self.in_flight_order
            .insert((timestamp, object_id.to_owned()));
        Offer::New
    }

    /// Moves the cursor after a scan that got through everything up to `timestamp`.
    pub(crate) fn scanned_through(&mut self, timestamp: i64) {
        self.cursor = self.cursor.max(timestamp);
    }

    /// After a scan that ran to the end: when nothing is in flight, every transaction up to
    /// the cursor is acknowledged or not wanted (e.g. a debit while only credits are
    /// delivered), so the anchor may move up to the cursor. Kept in memory; stored with the
    /// next acknowledgement (a restart before that only rescans a little more).
    pub(crate) fn settle_idle(&mut self) {
        if self.in_flight.is_empty() {
            self.checkpoint.anchor = self.checkpoint.anchor.max(self.cursor);
        }
    }

    /// Whether `object_id` is acknowledged already.
    #[cfg(test)]
    pub(crate) fn is_acked(&self, object_id: &str) -> bool {
        self.acked_ids.contains(object_id)
    }

    /// Whether `object_id` was delivered from this state (in flight or acknowledged).
    pub(crate) fn knows(&self, object_id: &str) -> bool {
        self.in_flight.contains_key(object_id) || self.acked_ids.contains(object_id)
    }

    /// The checkpoint as it will be once `object_id` (registered at `timestamp`) is
    /// acknowledged, or `None` when it already is. Nothing changes until [`Self::apply_ack`].
    ///
    /// The anchor only moves forward: to the oldest transaction still in flight, or — when
    /// nothing else is in flight — to the newest acknowledged one. Acknowledged ids that fall
    /// more than `lookback_micros` behind the anchor are dropped: no scan reaches them.
    pub(crate) fn ack_candidate(
        &self,
        object_id: &str,
        timestamp: i64,
        lookback_micros: i64,
    ) -> Option<AccountCheckpoint> {
        if self.acked_ids.contains(object_id) {
            return None;
        }
        let mut next = self.checkpoint.clone();
        let entry = AckedTransaction {
            timestamp,
            object_id: object_id.to_owned(),
        };
        let at = next.acked.partition_point(|a| a < &entry);
        next.acked.insert(at, entry);
        let oldest_other = self
            .in_flight_order
            .iter()
            .find(|(_, id)| id != object_id)
            .map(|(ts, _)| *ts);
        let target = match oldest_other {
            Some(ts) => ts,
            None => next.acked.last().map_or(next.anchor, |a| a.timestamp),
        };
        next.anchor = next.anchor.max(target);
        let keep_from = next.anchor.saturating_sub(lookback_micros);
        let cut = next.acked.partition_point(|a| a.timestamp < keep_from);
        next.acked.drain(..cut);
        Some(next)
    }

    /// Adopts a checkpoint built by [`Self::ack_candidate`] once it is stored.
    pub(crate) fn apply_ack(
        &mut self,
        object_id: &str,
        timestamp: i64,
        checkpoint: AccountCheckpoint,
    ) {
        if let Some(ts) = self.in_flight.remove(object_id) {
            self.in_flight_order.remove(&(ts, object_id.to_owned()));
        }
        // The candidate is the old list plus one entry, minus a pruned prefix.
        let first = checkpoint.acked.first();
        for old in &self.checkpoint.acked {
            if first.is_some_and(|f| old >= f) {
                break;
            }
            self.acked_ids.remove(&old.object_id);
        }
        let entry = AckedTransaction {
            timestamp,
            object_id: object_id.to_owned(),
        };
        if checkpoint.acked.binary_search(&entry).is_ok() {
            self.acked_ids.insert(entry.object_id);
        }
        self.cursor = self.cursor.max(checkpoint.anchor);
        self.checkpoint = checkpoint;
    }

    /// Number of transactions found but not yet acknowledged.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// The current (stored) checkpoint.
    pub(crate) fn checkpoint(&self) -> &AccountCheckpoint {
        &self.checkpoint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOKBACK: i64 = 1_000;

    fn ack(state: &mut AccountState, id: &str, ts: i64) {
        let next = state.ack_candidate(id, ts, LOOKBACK).unwrap();
        state.apply_ack(id, ts, next);
    }

    #[test]
    fn new_then_known_then_acked() {
        let mut s = AccountState::new(AccountCheckpoint::starting_at(100), 10);
        assert_eq!(s.offer("a", 150), Offer::New);
        assert_eq!(
            s.offer("a", 150),
            Offer::Known,
            "in flight is not offered twice"
        );
        assert_eq!(s.offer("old", 99), Offer::Known, "before the floor");
        ack(&mut s, "a", 150);
        assert_eq!(s.checkpoint().anchor, 150);
        assert!(s.is_acked("a"));
        assert_eq!(s.offer("a", 150), Offer::Known);
        assert!(s.ack_candidate("a", 150, LOOKBACK).is_none(), "double ack");
    }

    #[test]
    fn anchor_waits_for_the_oldest_unacknowledged() {
        let mut s = AccountState::new(AccountCheckpoint::starting_at(0), 10);
        for (id, ts) in [("a", 10), ("b", 20), ("c", 30)] {
            assert_eq!(s.offer(id, ts), Offer::New);
        }
        ack(&mut s, "b", 20);
        ack(&mut s, "c", 30);
        assert_eq!(s.checkpoint().anchor, 10, "a is still unacknowledged");
        // After a restart from this checkpoint, a is found again, b and c are not.
        let mut restarted = AccountState::new(s.checkpoint().clone(), 10);
        let from = restarted.scan_start(true, LOOKBACK);
        assert!(from <= 10);
        assert_eq!(restarted.offer("a", 10), Offer::New);
        assert_eq!(restarted.offer("b", 20), Offer::Known);
        assert_eq!(restarted.offer("c", 30), Offer::Known);
        ack(&mut s, "a", 10);
        assert_eq!(s.checkpoint().anchor, 30);
    }

    #[test]
    fn equal_timestamps_are_told_apart_by_id() {
        let mut s = AccountState::new(AccountCheckpoint::starting_at(0), 10);
        assert_eq!(s.offer("x1", 50), Offer::New);
        ack(&mut s, "x1", 50);
        // A second transaction in the same microsecond shows up on a later poll.
        assert_eq!(s.scan_start(false, LOOKBACK), 50);
        assert_eq!(s.offer("x1", 50), Offer::Known);
        assert_eq!(s.offer("x2", 50), Offer::New);
    }

    #[test]
    fn window_is_pruned_but_keeps_what_a_rescan_reaches() {
        let mut s = AccountState::new(AccountCheckpoint::starting_at(0), 10);
        for i in 0..10 {
            let ts = i * 500;
            s.offer(&format!("t{i}"), ts);
            ack(&mut s, &format!("t{i}"), ts);
        }
        let cp = s.checkpoint();
        assert_eq!(cp.anchor, 4_500);
        assert!(cp.acked.iter().all(|a| a.timestamp >= 3_500), "{cp:?}");
        assert_eq!(cp.acked.len(), 3);
        // A late transaction inside the window is found by a rescan.
        assert_eq!(s.scan_start(true, LOOKBACK), 3_500);
        assert_eq!(s.offer("late", 4_000), Offer::New);
    }

    #[test]
    fn full_account_stops_taking_transactions() {
        let mut s = AccountState::new(AccountCheckpoint::starting_at(0), 2);
        assert_eq!(s.offer("a", 1), Offer::New);
        assert_eq!(s.offer("b", 2), Offer::New);
        assert_eq!(s.offer("c", 3), Offer::Full);
        assert_eq!(s.offer("a", 1), Offer::Known);
        ack(&mut s, "a", 1);
        assert_eq!(s.offer("c", 3), Offer::New);
        assert_eq!(s.in_flight(), 2);
    }

    #[test]
    fn acked_ahead_of_a_stuck_delivery_is_bounded() {
        // One delivery is never acknowledged; later ones are. Memory stays bounded: the
        // account pauses once 100 x max_in_flight ids pile up ahead of the anchor.
        let mut s = AccountState::new(AccountCheckpoint::starting_at(0), 1);
        assert_eq!(s.offer("stuck", 1), Offer::New);
        // max_in_flight = 1 already blocks new offers while "stuck" is out.
        assert_eq!(s.offer("next", 2), Offer::Full);
        let mut s = AccountState::new(AccountCheckpoint::starting_at(0), 2);
        assert_eq!(s.offer("stuck", 1), Offer::New);
        let mut n = 0;
        loop {
            let id = format!("n{n}");
            match s.offer(&id, 2 + n) {
                Offer::New => ack(&mut s, &id, 2 + n),
                Offer::Full => break,
                Offer::Known => panic!("unexpected"),
            }
            n += 1;
            assert!(n < 1_000, "never paused");
        }
        assert_eq!(n, 200);
        assert_eq!(s.checkpoint().anchor, 1);
    }

    #[test]
    fn idle_accounts_move_the_anchor_past_unwanted_transactions() {
        let mut s = AccountState::new(AccountCheckpoint::starting_at(0), 10);
        s.scanned_through(9_000);
        s.settle_idle();
        assert_eq!(s.checkpoint().anchor, 9_000);
        assert_eq!(s.offer("a", 9_500), Offer::New);
        s.scanned_through(9_900);
        s.settle_idle();
        assert_eq!(s.checkpoint().anchor, 9_000, "a is in flight");
    }

    #[test]
    fn scan_start_never_goes_below_the_floor() {
        let s = AccountState::new(AccountCheckpoint::starting_at(5_000), 10);
        assert_eq!(s.scan_start(true, 1_000_000), 5_000);
        assert_eq!(s.scan_start(false, 1_000_000), 5_000);
    }
}
