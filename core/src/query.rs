//! What part of an account's transactions to walk: the start (a time or a checkpoint), the
//! end date, the endpoint version and the page size, and the one rule that turns them into
//! a [`Pager`]. Pure, so the native stream, the WebAssembly client and the gateway (which
//! reads OP's own paging parameters) agree on every start option and limit.

use time::{Date, OffsetDateTime};

use crate::error::{Error, Result};
use crate::paging::{Anchor, Anchoring, Pager};
use crate::paths::{Learned, TransactionsVersion};

/// What part of an account's transactions to stream.
///
/// By default the stream starts at the oldest transaction OP keeps and pages with the
/// configured [`TransactionsVersion`] at its largest page size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionQuery {
    start: Option<Anchor>,
    to: Option<Date>,
    version: Option<TransactionsVersion>,
    page_size: Option<usize>,
    anchoring: Option<Anchoring>,
}

impl TransactionQuery {
    /// Everything, oldest first.
    pub fn new() -> Self {
        TransactionQuery::default()
    }

    /// Starts at transactions registered at or after `micros` microseconds since the epoch.
    pub fn from_timestamp_micros(mut self, micros: i64) -> Self {
        self.start = Some(Anchor::Timestamp(micros));
        self
    }

    /// Starts at transactions registered at or after midnight UTC of `date`.
    pub fn from_date(self, date: Date) -> Self {
        let micros = date.midnight().assume_utc().unix_timestamp() * 1_000_000;
        self.from_timestamp_micros(micros)
    }

    /// Starts at transactions registered at or after `time`.
    pub fn from_time(self, time: OffsetDateTime) -> Self {
        let micros = i64::try_from(time.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX);
        self.from_timestamp_micros(micros)
    }

    /// Resumes strictly after the transaction with this `objectId` (a checkpoint).
    pub fn after_object_id(mut self, object_id: impl Into<String>) -> Self {
        self.start = Some(Anchor::ObjectId(object_id.into()));
        self
    }

    /// Stops at the first transaction booked after `date`.
    pub fn to(mut self, date: Date) -> Self {
        self.to = Some(date);
        self
    }

    /// Uses this endpoint version instead of the client's configured one.
    pub fn version(mut self, version: TransactionsVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// Asks for pages of `size` (capped at 150 for V2 and 1000 for V3).
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Anchors pages after the first this way instead of the default
    /// ([`Anchoring::Auto`], or timestamps once the client saw objectId anchors ignored).
    pub fn anchoring(mut self, anchoring: Anchoring) -> Self {
        self.anchoring = Some(anchoring);
        self
    }
}

impl TransactionQuery {
    /// A query from separately given start options, of which at most one may be set (the
    /// shape of the bindings' option objects): a timestamp in microseconds, a date (midnight
    /// UTC) or an `objectId` checkpoint.
    pub fn from_start(
        from_timestamp_micros: Option<i64>,
        from_date: Option<Date>,
        after_object_id: Option<&str>,
    ) -> Result<Self> {
        let query = TransactionQuery::new();
        match (from_timestamp_micros, from_date, after_object_id) {
            (None, None, None) => Ok(query),
            (Some(micros), None, None) => Ok(query.from_timestamp_micros(micros)),
            (None, Some(date), None) => Ok(query.from_date(date)),
            (None, None, Some(id)) if id.trim().is_empty() => {
                Err(Error::invalid_input("afterObjectId is empty"))
            }
            (None, None, Some(id)) => Ok(query.after_object_id(id)),
            _ => Err(Error::invalid_input(
                "give at most one of fromTimestamp, fromDate and afterObjectId",
            )),
        }
    }

    /// Reads one page request in OP's own query parameters (`fromTimestamp` or `objectId`,
    /// `maxPast=0`, `maxFuture`), as a gateway receives them; gives the query for `version`
    /// and the page size asked for.
    pub fn from_op_params(
        params: &[(String, String)],
        version: TransactionsVersion,
    ) -> Result<(TransactionQuery, usize)> {
        let value = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let requested = value("maxFuture")
            .map(|v| {
                v.parse::<usize>()
                    .map_err(|_| Error::invalid_input("maxFuture must be a whole number"))
            })
            .transpose()?;
        let page = crate::routes::page_size(version, requested)?;
        if requested.is_some_and(|n| n > page) {
            return Err(Error::invalid_input(format!(
                "maxFuture must be a number from 1 to {page}"
            )));
        }
        if value("maxPast").is_some_and(|v| v != "0") {
            return Err(Error::invalid_input("only maxPast=0 is supported"));
        }
        let micros = value("fromTimestamp")
            .map(|ts| {
                ts.parse::<i64>().map_err(|_| {
                    Error::invalid_input("fromTimestamp must be microseconds since the epoch")
                })
            })
            .transpose()?;
        let query = TransactionQuery::from_start(micros, None, value("objectId"))
            .map_err(|_| Error::invalid_input("give objectId or fromTimestamp, not both"))?;
        Ok((query.version(version).page_size(page), page))
    }

    /// The endpoint version (this query's, else `default`; `Auto` as far as `learned` has
    /// resolved it) and the pager that walks it: pages capped for that version, anchored as
    /// asked or, once `learned` saw objectId anchors ignored, by timestamp.
    pub fn plan(
        &self,
        default: TransactionsVersion,
        learned: &Learned,
    ) -> Result<(TransactionsVersion, Pager)> {
        let version = learned.resolve(self.version.unwrap_or(default));
        let page_size = crate::routes::page_size(version, self.page_size)?;
        let anchor = self.start.clone().unwrap_or(Anchor::Timestamp(0));
        let anchoring = self.anchoring.unwrap_or(if learned.object_id_ignored() {
            Anchoring::Timestamp
        } else {
            Anchoring::Auto
        });
        Ok((
            version,
            Pager::new(anchor, page_size, self.to).with_anchoring(anchoring),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn op_params_follow_ops_paging() {
        let v3 = TransactionsVersion::V3;
        let (q, page) =
            TransactionQuery::from_op_params(&params(&[("maxFuture", "5"), ("objectId", "x")]), v3)
                .unwrap();
        assert_eq!(page, 5);
        assert_eq!(
            q,
            TransactionQuery::new()
                .after_object_id("x")
                .version(v3)
                .page_size(5)
        );
        for bad in [
            &[("maxFuture", "0")][..],
            &[("maxFuture", "1001")],
            &[("maxPast", "3")],
            &[("objectId", "x"), ("fromTimestamp", "1")],
            &[("fromTimestamp", "soon")],
        ] {
            assert!(
                TransactionQuery::from_op_params(&params(bad), v3).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn at_most_one_start() {
        assert!(TransactionQuery::from_start(Some(1), None, Some("x")).is_err());
        assert!(TransactionQuery::from_start(None, None, Some(" ")).is_err());
        assert_eq!(
            TransactionQuery::from_start(Some(7), None, None).unwrap(),
            TransactionQuery::new().from_timestamp_micros(7)
        );
    }

    #[test]
    fn plans_cap_pages_per_version() {
        let q = TransactionQuery::new().page_size(500);
        let learned = Learned::default();
        let (v, _) = q.plan(TransactionsVersion::V2, &learned).unwrap();
        assert_eq!(v, TransactionsVersion::V2);
        assert!(
            TransactionQuery::new()
                .page_size(0)
                .plan(v, &learned)
                .is_err()
        );
        let (v, pager) = q.plan(TransactionsVersion::Auto, &learned).unwrap();
        assert_eq!((v, pager.page_size()), (TransactionsVersion::Auto, 500));
        learned.set_transactions_version(TransactionsVersion::V2);
        let (v, pager) = q.plan(TransactionsVersion::Auto, &learned).unwrap();
        assert_eq!((v, pager.page_size()), (TransactionsVersion::V2, 150));
    }
}
