//! Account Data API: accounts, account details and the transaction stream (op-api.md §4).

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

use crate::client::Client;
use crate::error::Result;
use crate::model::transaction_json::TransactionPage;
use crate::model::{Account, AccountDetails, Transaction};
use crate::paths::{Learned, TransactionsVersion};
use crate::request::ApiResponse;
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
        walk_pages(
            self.client,
            surrogate_id,
            &query,
            |walk, answer, learned| {
                let page = answer.and_then(|response| response.json());
                Ok(match walk.accept::<Transaction>(page, learned)? {
                    PageStep::Items(items) => Some(items),
                    PageStep::Again => None,
                })
            },
        )
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
    }

    /// The [`transactions`](Self::transactions) stream one page at a time, each page as JSON
    /// arrays of its transactions in order, none longer than `max_array_bytes` unless one
    /// transaction alone is
    /// ([`PageText::arrays`](crate::model::transaction_json::PageText::arrays)): the text
    /// serialising the typed ones gives, made without them ([`TransactionPage`]), for hosts
    /// that parse JSON natively (the Node binding). Same requests, paging, de-duplication,
    /// validation and errors; a page left empty by de-duplication is not yielded.
    pub fn transaction_pages_json(
        &self,
        surrogate_id: &str,
        query: TransactionQuery,
        max_array_bytes: usize,
    ) -> impl Stream<Item = Result<Vec<String>>> + Send + Unpin + 'static {
        walk_pages(
            self.client,
            surrogate_id,
            &query,
            move |walk, answer, learned| {
                let page = answer.and_then(|r| {
                    TransactionPage::decode(
                        r.status,
                        &r.request_id,
                        r.headers.get("content-type"),
                        &r.body,
                    )
                });
                let (text, items) = match page {
                    Ok(page) => {
                        let (text, items) = page.into_parts();
                        (Some(text), Ok(items))
                    }
                    Err(err) => (None, Err(err)),
                };
                Ok(match (walk.accept(items, learned)?, text) {
                    (PageStep::Items(kept), Some(text)) if !kept.is_empty() => {
                        Some(text.arrays(&kept, max_array_bytes))
                    }
                    _ => None,
                })
            },
        )
        .boxed()
    }
}

/// Walks `surrogate_id`'s pages: sends each request of the walk and lets `step` decode the
/// answer (or the call's error) and accept it, yielding what `step` returns (`None`: nothing
/// to yield, ask the walk's next request).
fn walk_pages<Y, F>(
    client: &Client,
    surrogate_id: &str,
    query: &TransactionQuery,
    step: F,
) -> impl Stream<Item = Result<Y>> + Send + 'static
where
    Y: Send + 'static,
    F: Fn(&mut TransactionWalk, Result<ApiResponse>, &Learned) -> Result<Option<Y>>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let client = client.clone();
    let initial = TransactionWalk::new(client.paths(), surrogate_id, query, &client.inner.learned)
        .map(|walk| (client, walk));
    stream::once(async move { initial })
        .map_ok(move |state| {
            let step = step.clone();
            stream::try_unfold(state, move |(client, mut walk)| {
                let step = step.clone();
                async move {
                    loop {
                        if walk.is_done() {
                            return Ok(None);
                        }
                        let request = walk.next_request(client.paths())?;
                        let answer = client.execute(request).await;
                        if let Some(found) = step(&mut walk, answer, &client.inner.learned)? {
                            return Ok(Some((found, (client, walk))));
                        }
                    }
                }
            })
        })
        .try_flatten()
}

impl Client {
    /// The transactions version an `Auto` walk of this client uses, once an answer settled
    /// it (`None` before the first page).
    pub fn learned_transactions_version(&self) -> Option<TransactionsVersion> {
        self.inner.learned.transactions_version()
    }
}
