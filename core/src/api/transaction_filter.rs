//! Transaction Filter API: search one account's debits or credits (op-api.md §7).
//!
//! OP returns at most ten matches per request and counts the rest in `skipped`; check
//! [`FilterResult::is_complete`] and narrow the search when it is `false`. OP accepts at
//! most 30 days per request, so a longer range (its own sample query spans three months) is
//! split into 30-day windows, newest first, and the answers merged: transactions joined,
//! `skipped` summed ([`routes::filter_windows`]).

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
        let requests = routes::filter_windows(self.client.paths(), credit, query)?;
        let route = requests.first().map_or("filter", |r| r.route);
        let count = requests.len();
        let mut results = Vec::with_capacity(count);
        for request in requests {
            results.push(self.client.execute(request).await?.json::<FilterResult>()?);
        }
        let result = FilterResult::merge(results);
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
