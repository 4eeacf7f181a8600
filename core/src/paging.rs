//! The paging state machine behind the transaction stream, kept free of I/O so its
//! boundary rules are unit-tested directly and the WebAssembly client (whose HTTP is supplied
//! by the host) pages exactly like the native stream.
//!
//! OP pages by anchor, not by token: the first page starts at `fromTimestamp` (inclusive,
//! microseconds), every later page at the last seen `objectId` (exclusive) with
//! `maxPast=0&maxFuture=<page size>`. Anchoring on the object id rather than on
//! `timestamp + 1` is what keeps several transactions registered in the same microsecond
//! from being lost at a page boundary. Defensive checks turn a server that ignores the
//! anchor (repeating or going backwards) into an error instead of duplicates or a loop.

use time::Date;

use crate::error::{Error, Result};
use crate::model::Transaction;

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Transactions registered at or after this many microseconds since the epoch.
    Timestamp(i64),
    /// Transactions strictly after the one with this object id.
    ObjectId(String),
}

/// Tracks one walk over an account's transactions.
#[derive(Debug)]
pub struct Pager {
    page_size: usize,
    anchor: Anchor,
    to: Option<Date>,
    last_timestamp: Option<i64>,
    done: bool,
}

impl Pager {
    /// A walk from `anchor`, pages of `page_size`, stopping after booking date `to`.
    pub fn new(anchor: Anchor, page_size: usize, to: Option<Date>) -> Self {
        Pager {
            page_size: page_size.max(1),
            anchor,
            to,
            last_timestamp: None,
            done: false,
        }
    }

    /// Whether the walk has ended.
    pub fn is_done(&self) -> bool {
        self.done
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

    /// Takes a page the server returned and gives back the transactions to yield, in order.
    /// Decides whether another page is needed and where it starts.
    pub fn accept(&mut self, page: Vec<Transaction>) -> Result<Vec<Transaction>> {
        let received = page.len();
        let mut items = page;
        // A server that treats the object-id anchor as inclusive repeats it first: drop it.
        if let Anchor::ObjectId(anchor) = &self.anchor
            && items.first().is_some_and(|t| &t.object_id == anchor)
        {
            items.remove(0);
        }
        let mut previous = self.last_timestamp;
        for t in &items {
            if previous.is_some_and(|p| t.timestamp < p) {
                return Err(Error::decode(format!(
                    "transaction page out of order: {} at {} after {}; the server did not \
                     honour the paging anchor",
                    t.object_id,
                    t.timestamp,
                    previous.unwrap_or_default()
                )));
            }
            previous = Some(t.timestamp);
            if let Anchor::ObjectId(anchor) = &self.anchor
                && &t.object_id == anchor
            {
                return Err(Error::decode(format!(
                    "transaction {anchor} repeated across pages; the server did not honour the \
                     paging anchor"
                )));
            }
        }
        if received < self.page_size || items.is_empty() {
            self.done = true;
        }
        if let Some(to) = self.to
            && let Some(cut) = items.iter().position(|t| t.booking_date > to)
        {
            items.truncate(cut);
            self.done = true;
        }
        if let Some(last) = items.last() {
            self.anchor = Anchor::ObjectId(last.object_id.clone());
            self.last_timestamp = Some(last.timestamp);
        }
        Ok(items)
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
        assert!(pager.accept(Vec::new()).unwrap().is_empty());
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
    fn a_server_going_backwards_is_an_error() {
        let d = date!(2024 - 06 - 01);
        let mut pager = Pager::new(Anchor::Timestamp(0), 2, None);
        pager.accept(vec![tx("a", 5, d), tx("b", 6, d)]).unwrap();
        let err = pager
            .accept(vec![tx("a", 5, d), tx("b", 6, d)])
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Decode);
    }
}
