//! Transaction Filter API: search one account's debits or credits (op-api.md §7).
//!
//! OP returns at most ten matches per request and counts the rest in `skipped`; check
//! [`FilterResult::is_complete`] and narrow the search when it is `false`. OP accepts at
//! most 30 days per request, so a longer range (its own sample query spans three months) is
//! split into 30-day windows, newest first, and the answers merged: transactions joined,
//! `skipped` summed.

use crate::api::{post_json, to_json};
use crate::client::Client;
use crate::error::Result;
use crate::model::{FilterQuery, FilterResult};
use crate::transport::decode_json;

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
        self.search(query, "filter_credit", "credit-transactions")
            .await
    }

    /// Searches outgoing payments (`POST …/debit-transactions`).
    pub async fn debit(&self, query: &FilterQuery) -> Result<FilterResult> {
        self.search(query, "filter_debit", "debit-transactions")
            .await
    }

    async fn search(
        &self,
        query: &FilterQuery,
        route: &'static str,
        endpoint: &str,
    ) -> Result<FilterResult> {
        query.validate()?;
        let path = format!("{}/{endpoint}", self.client.paths().transaction_filter);
        let windows = query.windows();
        let count = windows.len();
        let mut results = Vec::with_capacity(count);
        for window in windows {
            let request = post_json(route, path.clone(), to_json("filter query", &window)?);
            let response = self.client.execute(request).await?;
            results.push(decode_json::<FilterResult>(&response)?);
        }
        let result = FilterResult::merge(results);
        if !result.is_complete() {
            tracing::info!(
                route,
                windows = count,
                skipped = result.skipped,
                "transaction filter left matches out; narrow the search"
            );
        }
        Ok(result)
    }
}
