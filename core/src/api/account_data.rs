//! Account Data API: accounts, account details and the transaction stream (op-api.md §4).

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

use crate::client::Client;
use crate::error::Result;
use crate::model::{Account, AccountDetails, Transaction};
use crate::routes;

pub use crate::query::TransactionQuery;

/// The Account Data API, borrowed from a [`Client`].
#[derive(Debug, Clone, Copy)]
pub struct AccountDataApi<'c> {
    client: &'c Client,
}

impl Client {
    /// The Account Data API: accounts, balances and transactions.
    pub fn account_data(&self) -> AccountDataApi<'_> {
        AccountDataApi { client: self }
    }
}

impl AccountDataApi<'_> {
    /// Lists the company's accounts (`GET …/v1/accounts`).
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let request = routes::accounts(self.client.paths());
        self.client.execute(request).await?.json()
    }

    /// One account's details (`GET …/v1/accounts/{surrogateId}`).
    pub async fn account(&self, surrogate_id: &str) -> Result<AccountDetails> {
        let request = routes::account(self.client.paths(), surrogate_id)?;
        self.client.execute(request).await?.json()
    }

    /// Streams an account's transactions oldest first, fetching one page at a time.
    ///
    /// Each transaction is yielded exactly once, also when several share a timestamp at a
    /// page boundary. The first error ends the stream; resume from the last yielded
    /// transaction with [`TransactionQuery::after_object_id`]. The stream owns a clone of
    /// the client and is `Unpin`, so it can be polled with `next()` directly.
    pub fn transactions(
        &self,
        surrogate_id: &str,
        query: TransactionQuery,
    ) -> impl Stream<Item = Result<Transaction>> + Send + Unpin + 'static {
        let client = self.client.clone();
        let surrogate_id = surrogate_id.to_owned();
        let initial =
            query
                .plan(client.paths().transactions_version)
                .and_then(|(version, pager)| {
                    // Validates the surrogate id before the stream is first polled.
                    routes::transactions_page(client.paths(), version, &surrogate_id, &pager)?;
                    Ok((client, surrogate_id, version, pager))
                });

        stream::once(async move { initial })
            .map_ok(move |state| {
                stream::try_unfold(state, move |(client, id, version, mut pager)| async move {
                    if pager.is_done() {
                        return Ok(None);
                    }
                    let request = routes::transactions_page(client.paths(), version, &id, &pager)?;
                    let page: Vec<Transaction> = client.execute(request).await?.json()?;
                    let items = pager.accept(page)?;
                    Ok(Some((items, (client, id, version, pager))))
                })
            })
            .try_flatten()
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}
