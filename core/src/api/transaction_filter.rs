//! Transaction Filter API: search one account's debits or credits (op-api.md §7).
//!
//! OP returns at most ten matches and counts the rest in `skipped`; check
//! [`FilterResult::is_complete`] and narrow the search when it is `false`.

use crate::client::Client;
use crate::error::Result;
use crate::model::{FilterQuery, FilterResult};
use crate::routes;

/// The Transaction Filter API, borrowed from a [`Client`].
#[derive(Debug, Clone, Copy)]
pub struct TransactionFilterApi<'c> {
    client: &'c Client,
}

impl Client {
    /// The Transaction Filter API: debit and credit searches.
    pub fn transaction_filter(&self) -> TransactionFilterApi<'_> {
        TransactionFilterApi { client: self }
    }
}

impl TransactionFilterApi<'_> {
    /// Searches incoming payments (`POST …/credit-transactions`).
    pub async fn credit(&self, query: &FilterQuery) -> Result<FilterResult> {
        self.search(query, true).await
    }

    /// Searches outgoing payments (`POST …/debit-transactions`).
    pub async fn debit(&self, query: &FilterQuery) -> Result<FilterResult> {
        self.search(query, false).await
    }

    async fn search(&self, query: &FilterQuery, credit: bool) -> Result<FilterResult> {
        let request = routes::filter(self.client.paths(), credit, query)?;
        let route = request.route;
        let result: FilterResult = self.client.execute(request).await?.json()?;
        if !result.is_complete() {
            tracing::debug!(
                route,
                skipped = result.skipped,
                "transaction filter left matches out; narrow the search"
            );
        }
        Ok(result)
    }
}
