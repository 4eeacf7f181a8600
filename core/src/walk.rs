//! One walk over an account's transactions, without I/O: which request to send next and
//! what an answer means. The native stream and the WebAssembly iterator both drive it, so
//! the first-contact rules exist once:
//!
//! - [`TransactionsVersion::Auto`] asks V3 (whose path is inferred) first; a 404 there is
//!   retried once on V2 (whose path is evidenced, op-api.md §4.2), and if V2 answers, the
//!   client remembers V2 in its [`Learned`] state. A 404 that V2 repeats (an unknown
//!   account) is returned as it is and nothing is learned.
//! - The pager's anchoring (objectId anchors, falling back to timestamp anchors the first
//!   time the bank ignores one) is remembered too: later walks of the client page by
//!   timestamp from their start.

use crate::error::{ErrorKind, Result};
use crate::model::Transaction;
use crate::paging::{PageItem, Pager};
use crate::paths::{ApiPaths, Learned, TransactionsVersion};
use crate::query::TransactionQuery;
use crate::request::ApiRequest;
use crate::routes;

/// Where one walk stands.
#[derive(Debug)]
pub struct TransactionWalk {
    surrogate_id: String,
    /// The version asked for; `Auto` until an answer settles it.
    version: TransactionsVersion,
    /// An `Auto` walk whose V3 request was answered 404: the next request asks V2.
    falling_back: bool,
    pager: Pager,
}

/// What an answer to a page request means for the walk: typed [`Transaction`]s, or another
/// [`PageItem`] (the JSON text of [`crate::model::transaction_json`]).
#[derive(Debug)]
pub enum PageStep<T = Transaction> {
    /// Transactions to yield, in order (possibly none, with more pages to come).
    Items(Vec<T>),
    /// Nothing to yield: send [`TransactionWalk::next_request`] again (V3 was missing and
    /// the walk now asks V2).
    Again,
}

impl TransactionWalk {
    /// A walk of `surrogate_id`'s transactions as `query` asks, on a client with `paths`
    /// that has learned `learned`. Invalid input (a blank id, page size 0) fails here,
    /// before any request.
    pub fn new(
        paths: &ApiPaths,
        surrogate_id: &str,
        query: &TransactionQuery,
        learned: &Learned,
    ) -> Result<Self> {
        let (version, pager) = query.plan(paths.transactions_version, learned)?;
        routes::transactions_page(paths, version.first_try(), surrogate_id, &pager)?;
        Ok(TransactionWalk {
            surrogate_id: surrogate_id.to_owned(),
            version,
            falling_back: false,
            pager,
        })
    }

    /// Whether the walk has ended.
    pub fn is_done(&self) -> bool {
        self.pager.is_done()
    }

    /// The endpoint version the next request goes to.
    pub fn version(&self) -> TransactionsVersion {
        if self.falling_back {
            TransactionsVersion::V2
        } else {
            self.version.first_try()
        }
    }

    /// The next page request.
    pub fn next_request(&self, paths: &ApiPaths) -> Result<ApiRequest> {
        routes::transactions_page(paths, self.version(), &self.surrogate_id, &self.pager)
    }

    /// Takes the answer to [`next_request`](Self::next_request) (the decoded page or the
    /// call's error) and says what to yield; remembers in `learned` what the answer taught.
    pub fn accept<T: PageItem>(
        &mut self,
        answer: Result<Vec<T>>,
        learned: &Learned,
    ) -> Result<PageStep<T>> {
        let page = match answer {
            Err(err)
                if err.kind() == ErrorKind::NotFound
                    && self.version == TransactionsVersion::Auto
                    && !self.falling_back =>
            {
                self.falling_back = true;
                self.pager.cap_page_size(routes::V2_MAX_PAGE);
                return Ok(PageStep::Again);
            }
            Err(err) => return Err(err),
            Ok(page) => page,
        };
        if self.version == TransactionsVersion::Auto {
            let answered = self.version();
            if self.falling_back {
                tracing::info!("Transactions V3 answered 404 and V2 answered; using V2");
            }
            learned.set_transactions_version(answered);
            self.version = answered;
            self.falling_back = false;
        }
        let items = self.pager.accept(page)?;
        if self.pager.fell_back() && learned.set_object_id_ignored() {
            tracing::warn!(
                "the bank ignored an objectId paging anchor; paging by timestamp from now on"
            );
        }
        if let Some(ts) = self.pager.skipped_microsecond() {
            tracing::warn!(
                timestamp = ts,
                "a full page shared one timestamp; transactions of it beyond the page may be \
                 missing (timestamp anchoring cannot page within one microsecond)"
            );
        }
        Ok(PageStep::Items(items))
    }
}
