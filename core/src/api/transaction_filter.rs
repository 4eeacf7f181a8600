//! Transaction Filter API: search one account's debits or credits (op-api.md §7).
//!
//! OP returns at most ten matches and counts the rest in `skipped`; check
//! [`FilterResult::is_complete`] and narrow the search when it is `false`.

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
        let request = post_json(route, path, to_json("filter query", query)?);
        let response = self.client.execute(request).await?;
        let result: FilterResult = decode_json(&response)?;
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
