//! The paging state machine behind the transaction stream, kept free of I/O so its
//! boundary rules are unit-tested directly and the WebAssembly client (whose HTTP is supplied
//! by the host) pages exactly like the native stream.
//!
//! OP pages by anchor, not by token: the first page starts at `fromTimestamp` (inclusive,
//! microseconds), later pages at an anchor taken from the last transaction, always with
//! `maxPast=0&maxFuture=<page size>`. Two anchorings exist ([`Anchoring`]):
//!
//! - **objectId** (exclusive): exact even when several transactions share a microsecond at a
//!   page boundary. The documented anchor, but the only public client that ran against OP's
//!   sandbox reports that the sandbox ignores it.
//! - **timestamp**: `fromTimestamp` = the last transaction's timestamp (inclusive, not
//!   `+ 1`, which would lose the rest of that microsecond), dropping the transactions of
//!   that microsecond already yielded. Only a full page of one single microsecond cannot be
//!   paged past exactly; then the walk steps to `+ 1` and [`Pager::skipped_microsecond`]
//!   says so.
//!
//! The default, [`Anchoring::Auto`], uses objectId anchors and switches to timestamps at the
//! first sign that the server ignored one (the page repeats the anchor or an already yielded
//! transaction, or goes back in time). That page is discarded and re-fetched by timestamp, so
//! nothing is lost or repeated.

use time::Date;

use crate::error::{Error, Result};
use crate::model::Transaction;
use crate::model::transaction_json::TransactionJson;

/// What the pager reads of a transaction, so it pages typed [`Transaction`]s and
/// [`TransactionJson`] pages (the Node binding's) by the same rules.
pub trait PageItem {
    /// OP's transaction id (the objectId anchor).
    fn object_id(&self) -> &str;
    /// Registration time in microseconds (the timestamp anchor).
    fn timestamp(&self) -> i64;
    /// Booking date (where a walk with an end date stops).
    fn booking_date(&self) -> Date;
}

impl PageItem for Transaction {
    fn object_id(&self) -> &str {
        &self.object_id
    }

    fn timestamp(&self) -> i64 {
        self.timestamp
    }

    fn booking_date(&self) -> Date {
        self.booking_date
    }
}

impl PageItem for TransactionJson {
    fn object_id(&self) -> &str {
        &self.object_id
    }

    fn timestamp(&self) -> i64 {
        self.timestamp
    }

    fn booking_date(&self) -> Date {
        self.booking_date
    }
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Transactions registered at or after this many microseconds since the epoch.
    Timestamp(i64),
    /// Transactions strictly after the one with this object id.
    ObjectId(String),
}

/// How pages after the first are anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anchoring {
    /// objectId anchors, falling back to timestamps as soon as the server ignores one.
    #[default]
    Auto,
    /// objectId anchors only; a server that ignores them is an error.
    ObjectId,
    /// Timestamp anchors only (what OP's sandbox reportedly needs).
    Timestamp,
}

/// Tracks one walk over an account's transactions.
#[derive(Debug)]
pub struct Pager {
    page_size: usize,
    anchor: Anchor,
    to: Option<Date>,
    last_timestamp: Option<i64>,
    /// Object ids already yielded at `last_timestamp` (bounded by one microsecond's count).
    at_last: Vec<String>,
    anchoring: Anchoring,
    fell_back: bool,
    skipped_microsecond: Option<i64>,
    done: bool,
}

impl Pager {
    /// A walk from `anchor`, pages of `page_size`, stopping after booking date `to`, with
    /// [`Anchoring::Auto`].
    pub fn new(anchor: Anchor, page_size: usize, to: Option<Date>) -> Self {
        Pager {
            page_size: page_size.max(1),
            anchor,
            to,
            last_timestamp: None,
            at_last: Vec::new(),
            anchoring: Anchoring::Auto,
            fell_back: false,
            skipped_microsecond: None,
            done: false,
        }
    }

    /// The same walk with another anchoring for the pages after the first.
    pub fn with_anchoring(mut self, anchoring: Anchoring) -> Self {
        self.anchoring = anchoring;
        self
    }

    /// Lowers the page size to at most `max` (an endpoint with smaller pages took over).
    pub fn cap_page_size(&mut self, max: usize) {
        self.page_size = self.page_size.min(max.max(1));
    }

    /// The page size asked for.
    pub fn page_size(&self) -> usize {
        self.page_size
    }

    /// Whether the walk has ended.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Whether an [`Anchoring::Auto`] walk found objectId anchors ignored and now pages by
    /// timestamp.
    pub fn fell_back(&self) -> bool {
        self.fell_back
    }

    /// The microsecond a timestamp-anchored walk had to step over because a full page held
    /// nothing but it: transactions of that microsecond beyond the page may be missing.
    pub fn skipped_microsecond(&self) -> Option<i64> {
        self.skipped_microsecond
    }

    /// The query parameters of the next page.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let anchor = match &self.anchor {
            Anchor::Timestamp(micros) => ("fromTimestamp", micros.to_string()),
            Anchor::ObjectId(id) => ("objectId", id.clone()),
        };
        vec![
            anchor,
            ("maxPast", "0".to_owned()),
            ("maxFuture", self.page_size.to_string()),
        ]
    }

    /// Takes a page the server returned and gives back the transactions to yield, in order
    /// (possibly none, with more pages to come). Decides whether another page is needed and
    /// where it starts.
    pub fn accept<T: PageItem>(&mut self, page: Vec<T>) -> Result<Vec<T>> {
        let received = page.len();
        let mut items = page;
        if let Anchor::ObjectId(anchor) = &self.anchor {
            // A server that treats the object-id anchor as inclusive repeats it first.
            if items.first().is_some_and(|t| t.object_id() == anchor) {
                items.remove(0);
            }
            if let Some(problem) = self.ignored_anchor(anchor, &items) {
                match (self.anchoring, self.last_timestamp) {
                    (Anchoring::ObjectId, _) => return Err(Error::decode(problem)),
                    (_, Some(ts)) => {
                        // Discard the page and fetch the same place by timestamp.
                        self.fall_back(Anchor::Timestamp(ts));
                        return Ok(Vec::new());
                    }
                    (_, None) => {
                        // Resumed from a checkpoint id: yield what follows it, if present.
                        let anchor = anchor.clone();
                        let Some(pos) = items.iter().position(|t| t.object_id() == anchor) else {
                            return Err(Error::decode(format!(
                                "{problem}; resume from a timestamp instead of an objectId"
                            )));
                        };
                        items.drain(..=pos);
                        self.fell_back = true;
                        self.anchoring = Anchoring::Timestamp;
                    }
                }
            }
        } else if let Some(ts) = self.last_timestamp {
            // Timestamp anchor at `ts` (inclusive): drop what this walk already yielded.
            items.retain(|t| !(t.timestamp() == ts && self.yielded_last(t.object_id())));
        }
        self.check_order(&items)?;
        if received < self.page_size {
            self.done = true;
        } else if items.is_empty() {
            match (&self.anchor, self.last_timestamp) {
                (Anchor::Timestamp(_), Some(ts)) => {
                    // A full page of one microsecond, all yielded: step past it.
                    self.skipped_microsecond = Some(ts);
                    self.anchor = Anchor::Timestamp(ts.saturating_add(1));
                    return Ok(Vec::new());
                }
                _ => self.done = true,
            }
        }
        if let Some(to) = self.to
            && let Some(cut) = items.iter().position(|t| t.booking_date() > to)
        {
            items.truncate(cut);
            self.done = true;
        }
        self.advance(&items);
        Ok(items)
    }

    /// Why `items` (answered to an objectId anchor) show that the anchor was ignored: the
    /// anchor itself, a transaction already yielded, or one older than the last yielded.
    fn ignored_anchor<T: PageItem>(&self, anchor: &str, items: &[T]) -> Option<String> {
        let repeated = items
            .iter()
            .find(|t| t.object_id() == anchor || self.yielded_last(t.object_id()));
        if let Some(t) = repeated {
            return Some(format!(
                "transaction {} repeated across pages; the server did not honour the objectId \
                 paging anchor",
                t.object_id()
            ));
        }
        let last = self.last_timestamp?;
        items.iter().find(|t| t.timestamp() < last).map(|t| {
            format!(
                "transaction page out of order: {} at {} after {last}; the server did not \
                 honour the objectId paging anchor",
                t.object_id(),
                t.timestamp()
            )
        })
    }

    /// Whether this walk already yielded `object_id` at the last timestamp.
    fn yielded_last(&self, object_id: &str) -> bool {
        self.at_last.iter().any(|id| id == object_id)
    }

    fn fall_back(&mut self, anchor: Anchor) {
        self.fell_back = true;
        self.anchoring = Anchoring::Timestamp;
        self.anchor = anchor;
    }

    /// Transactions must not go back in time, within the page or against the last one.
    fn check_order<T: PageItem>(&self, items: &[T]) -> Result<()> {
        let mut previous = self.last_timestamp;
        for t in items {
            if let Some(p) = previous.filter(|p| t.timestamp() < *p) {
                return Err(Error::decode(format!(
                    "transaction page out of order: {} at {} after {p}; the server did not \
                     honour the paging anchor",
                    t.object_id(),
                    t.timestamp()
                )));
            }
            previous = Some(t.timestamp());
        }
        Ok(())
    }

    /// Moves the anchor past `items` and remembers the ids of their last microsecond.
    fn advance<T: PageItem>(&mut self, items: &[T]) {
        let Some(last) = items.last() else {
            return;
        };
        let last_timestamp = last.timestamp();
        if self.last_timestamp != Some(last_timestamp) {
            self.at_last.clear();
        }
        self.at_last.extend(
            items
                .iter()
                .filter(|t| t.timestamp() == last_timestamp)
                .map(|t| t.object_id().to_owned()),
        );
        self.last_timestamp = Some(last_timestamp);
        self.anchor = match self.anchoring {
            Anchoring::Auto | Anchoring::ObjectId => Anchor::ObjectId(last.object_id().to_owned()),
            Anchoring::Timestamp => Anchor::Timestamp(last_timestamp),
        };
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn tx(id: &str, timestamp: i64, booked: Date) -> Transaction {
        let json = serde_json::json!({
            "amount": "1.00",
            "objectId": id,
            "archiveId": "20240601512345678901",
            "timestamp": timestamp,
            "bookingDate": booked.to_string(),
        });
        serde_json::from_value(json).unwrap()
    }

    fn ids(items: &[Transaction]) -> Vec<&str> {
        items.iter().map(|t| t.object_id.as_str()).collect()
    }

    #[test]
    fn first_page_by_timestamp_then_by_object_id() {
        let mut pager = Pager::new(Anchor::Timestamp(5), 2, None);
        assert_eq!(pager.query()[0], ("fromTimestamp", "5".to_owned()));
        assert_eq!(pager.query()[2], ("maxFuture", "2".to_owned()));
        let d = date!(2024 - 06 - 01);
        // Equal timestamps across the boundary: b and c share a microsecond.
        let page = pager.accept(vec![tx("a", 5, d), tx("b", 7, d)]).unwrap();
        assert_eq!(ids(&page), ["a", "b"]);
        assert!(!pager.is_done());
        assert_eq!(pager.query()[0], ("objectId", "b".to_owned()));
        let page = pager.accept(vec![tx("c", 7, d)]).unwrap();
        assert_eq!(ids(&page), ["c"]);
        assert!(pager.is_done(), "a short page ends the walk");
    }

    #[test]
    fn inclusive_anchor_is_dropped_not_repeated() {
        let d = date!(2024 - 06 - 01);
        let mut pager = Pager::new(Anchor::ObjectId("b".into()), 2, None);
        let page = pager.accept(vec![tx("b", 7, d), tx("c", 7, d)]).unwrap();
        assert_eq!(ids(&page), ["c"]);
        assert!(!pager.is_done(), "a full page asks for more");
    }

    #[test]
    fn empty_page_ends_the_walk() {
        let mut pager = Pager::new(Anchor::Timestamp(0), 3, None);
        assert!(pager.accept(Vec::<Transaction>::new()).unwrap().is_empty());
        assert!(pager.is_done());
    }

    #[test]
    fn stops_when_booking_date_passes_to() {
        let mut pager = Pager::new(Anchor::Timestamp(0), 3, Some(date!(2024 - 06 - 02)));
        let page = pager
            .accept(vec![
                tx("a", 1, date!(2024 - 06 - 01)),
                tx("b", 2, date!(2024 - 06 - 02)),
                tx("c", 3, date!(2024 - 06 - 03)),
            ])
            .unwrap();
        assert_eq!(ids(&page), ["a", "b"]);
        assert!(pager.is_done());
    }

    #[test]
    fn a_server_going_backwards_is_an_error_in_strict_object_id_mode() {
        let d = date!(2024 - 06 - 01);
        let mut pager =
            Pager::new(Anchor::Timestamp(0), 2, None).with_anchoring(Anchoring::ObjectId);
        pager.accept(vec![tx("a", 5, d), tx("b", 6, d)]).unwrap();
        let err = pager
            .accept(vec![tx("a", 5, d), tx("b", 6, d)])
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Decode);
    }

    /// A server that ignores objectId: every objectId-anchored query starts at the oldest.
    /// `pages` serves `all` (ascending) like OP's sandbox reportedly does.
    fn serve(all: &[Transaction], query: &[(&'static str, String)]) -> Vec<Transaction> {
        let size: usize = query[2].1.parse().unwrap();
        let from = match query[0].0 {
            "fromTimestamp" => query[0].1.parse::<i64>().unwrap(),
            _ => i64::MIN, // objectId ignored
        };
        all.iter()
            .filter(|t| t.timestamp >= from)
            .take(size)
            .cloned()
            .collect()
    }

    /// A server that honours objectId (exclusive) and fromTimestamp (inclusive).
    fn serve_exact(all: &[Transaction], query: &[(&'static str, String)]) -> Vec<Transaction> {
        let size: usize = query[2].1.parse().unwrap();
        let start = match query[0].0 {
            "fromTimestamp" => {
                let from: i64 = query[0].1.parse().unwrap();
                all.iter()
                    .position(|t| t.timestamp >= from)
                    .unwrap_or(all.len())
            }
            _ => all.iter().position(|t| t.object_id == query[0].1).unwrap() + 1,
        };
        all[start..].iter().take(size).cloned().collect()
    }

    type Server = fn(&[Transaction], &[(&'static str, String)]) -> Vec<Transaction>;

    fn walk(mut pager: Pager, all: &[Transaction], server: Server) -> (Vec<String>, Pager, usize) {
        let mut seen = Vec::new();
        let mut requests = 0;
        while !pager.is_done() {
            requests += 1;
            assert!(requests < 1000, "the walk does not end");
            let page = server(all, &pager.query());
            for t in pager.accept(page).unwrap() {
                seen.push(t.object_id);
            }
        }
        (seen, pager, requests)
    }

    /// 23 transactions where runs of up to three equal timestamps straddle page boundaries
    /// of 4 (a run as long as a page is the one case timestamp anchors cannot page).
    fn shared_timestamps() -> Vec<Transaction> {
        let d = date!(2024 - 06 - 01);
        let stamps = [
            1, 2, 3, 4, 4, 4, 5, 6, 7, 8, 8, 9, 9, 9, 10, 11, 12, 12, 12, 13, 14, 14, 15,
        ];
        stamps
            .iter()
            .enumerate()
            .map(|(i, ts)| tx(&format!("t{i:02}"), *ts, d))
            .collect()
    }

    fn all_ids(all: &[Transaction]) -> Vec<String> {
        all.iter().map(|t| t.object_id.clone()).collect()
    }

    #[test]
    fn every_mode_yields_each_transaction_once_when_anchors_are_honoured() {
        let all = shared_timestamps();
        for mode in [Anchoring::Auto, Anchoring::ObjectId, Anchoring::Timestamp] {
            let pager = Pager::new(Anchor::Timestamp(0), 4, None).with_anchoring(mode);
            let (seen, pager, _) = walk(pager, &all, serve_exact);
            assert_eq!(seen, all_ids(&all), "{mode:?}");
            assert!(!pager.fell_back(), "{mode:?}");
        }
    }

    #[test]
    fn auto_falls_back_to_timestamps_without_loss_or_repeat() {
        let all = shared_timestamps();
        let pager = Pager::new(Anchor::Timestamp(0), 4, None);
        let (seen, pager, _) = walk(pager, &all, serve);
        assert_eq!(seen, all_ids(&all));
        assert!(pager.fell_back());
        assert_eq!(pager.skipped_microsecond(), None);
        // Timestamp mode from the start needs no fallback on the same server.
        let pager = Pager::new(Anchor::Timestamp(0), 4, None).with_anchoring(Anchoring::Timestamp);
        let (seen, pager, _) = walk(pager, &all, serve);
        assert_eq!(seen, all_ids(&all));
        assert!(!pager.fell_back());
    }

    #[test]
    fn fallback_is_detected_when_the_ignored_anchor_repeats_the_same_page() {
        // The walk started at the oldest transaction, so the ignoring server answers the
        // objectId query with the very same page: repeated ids, not older timestamps.
        let d = date!(2024 - 06 - 01);
        let all: Vec<Transaction> = [7, 7, 8, 9, 10]
            .iter()
            .enumerate()
            .map(|(i, ts)| tx(&format!("s{i}"), *ts, d))
            .collect();
        let pager = Pager::new(Anchor::Timestamp(0), 3, None);
        let (seen, pager, _) = walk(pager, &all, serve);
        assert_eq!(seen, all_ids(&all));
        assert!(pager.fell_back());
    }

    #[test]
    fn a_full_page_of_one_microsecond_steps_past_it_and_says_so() {
        let d = date!(2024 - 06 - 01);
        let mut all: Vec<Transaction> = (0..3).map(|i| tx(&format!("s{i}"), 7, d)).collect();
        all.push(tx("late", 8, d));
        let pager = Pager::new(Anchor::Timestamp(0), 2, None).with_anchoring(Anchoring::Timestamp);
        let (seen, pager, _) = walk(pager, &all, serve);
        assert_eq!(seen, ["s0", "s1", "late"]);
        assert_eq!(pager.skipped_microsecond(), Some(7));
    }

    #[test]
    fn a_checkpoint_object_id_on_an_ignoring_server() {
        let all = shared_timestamps();
        // The anchor is on the page the server answers: continue after it.
        let pager = Pager::new(Anchor::ObjectId("t02".into()), 5, None);
        let (seen, pager, _) = walk(pager, &all, serve);
        assert_eq!(seen, all_ids(&all)[3..]);
        assert!(pager.fell_back());
        // The anchor is not on it and nothing was yielded before: the page cannot show that
        // the anchor was ignored (the documented limit: resume by timestamp on such a
        // server, as the watcher does).
        let mut pager = Pager::new(Anchor::ObjectId("t20".into()), 5, None);
        let page = serve(&all, &pager.query());
        assert_eq!(pager.accept(page).unwrap().len(), 5);
    }

    #[test]
    fn capped_page_size_is_used_for_the_end_of_walk_decision() {
        let d = date!(2024 - 06 - 01);
        let mut pager = Pager::new(Anchor::Timestamp(0), 1000, None);
        pager.cap_page_size(2);
        assert_eq!(pager.page_size(), 2);
        assert_eq!(pager.query()[2], ("maxFuture", "2".to_owned()));
        pager.accept(vec![tx("a", 1, d), tx("b", 2, d)]).unwrap();
        assert!(!pager.is_done());
    }
}
