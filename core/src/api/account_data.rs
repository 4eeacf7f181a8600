//! Account Data API: accounts, account details and the transaction stream (op-api.md §4).

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

use crate::client::Client;
use crate::error::Result;
use crate::model::{Account, AccountDetails, Transaction};
use crate::paths::TransactionsVersion;
use crate::routes;
use crate::walk::{PageStep, TransactionWalk};

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
    /// page boundary and also when the bank ignores objectId anchors (see
    /// [`crate::paging`] and [`crate::walk`]). The first error ends the stream; resume from the last yielded
    /// transaction with [`TransactionQuery::after_object_id`]. The stream owns a clone of
    /// the client and is `Unpin`, so it can be polled with `next()` directly.
    pub fn transactions(
        &self,
        surrogate_id: &str,
        query: TransactionQuery,
    ) -> impl Stream<Item = Result<Transaction>> + Send + Unpin + 'static {
        let client = self.client.clone();
        let initial =
            TransactionWalk::new(client.paths(), surrogate_id, &query, &client.inner.learned)
                .map(|walk| (client, walk));

        stream::once(async move { initial })
            .map_ok(move |state| {
                stream::try_unfold(state, move |(client, mut walk)| async move {
                    loop {
                        if walk.is_done() {
                            return Ok(None);
                        }
                        let request = walk.next_request(client.paths())?;
                        let answer = match client.execute(request).await {
                            Ok(response) => response.json(),
                            Err(err) => Err(err),
                        };
                        if let PageStep::Items(items) =
                            walk.accept(answer, &client.inner.learned)?
                        {
                            return Ok(Some((items, (client, walk))));
                        }
                    }
                })
            })
            .try_flatten()
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

impl Client {
    /// The transactions version an `Auto` walk of this client uses, once an answer settled
    /// it (`None` before the first page).
    pub fn learned_transactions_version(&self) -> Option<TransactionsVersion> {
        self.inner.learned.transactions_version()
    }
}
