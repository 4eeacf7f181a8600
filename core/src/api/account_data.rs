//! Account Data API: accounts, account details and the transaction stream (op-api.md §4).

use futures::stream::{self, Stream, StreamExt, TryStreamExt};
use time::{Date, OffsetDateTime};

use crate::api::{encode_segment, require_segment};
use crate::client::Client;
use crate::config::TransactionsVersion;
use crate::error::{Error, Result};
use crate::model::{Account, AccountDetails, Transaction};
use crate::paging::{Anchor, Pager};
use crate::transport::{ApiRequest, decode_json};

/// Largest page Transactions V2 serves.
pub const V2_MAX_PAGE: usize = 150;
/// Largest page Transactions V3 serves.
pub const V3_MAX_PAGE: usize = 1000;

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
}

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
        let path = format!("{}/v1/accounts", self.client.paths().account_data);
        let response = self
            .client
            .execute(ApiRequest::get("accounts", path))
            .await?;
        decode_json(&response)
    }

    /// One account's details (`GET …/v1/accounts/{surrogateId}`).
    pub async fn account(&self, surrogate_id: &str) -> Result<AccountDetails> {
        require_segment("surrogateId", surrogate_id)?;
        let path = format!(
            "{}/v1/accounts/{}",
            self.client.paths().account_data,
            encode_segment(surrogate_id)
        );
        let response = self
            .client
            .execute(ApiRequest::get("account", path))
            .await?;
        decode_json(&response)
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
        let version = query
            .version
            .unwrap_or(self.client.paths().transactions_version);
        let (route, segment, max_page) = match version {
            TransactionsVersion::V2 => ("transactions_v2", "v2", V2_MAX_PAGE),
            TransactionsVersion::V3 => ("transactions_v3", "v3", V3_MAX_PAGE),
        };
        let checked =
            require_segment("surrogateId", surrogate_id).and_then(|()| match query.page_size {
                Some(0) => Err(Error::invalid_input("page size must be at least 1")),
                _ => Ok(()),
            });
        let path = format!(
            "{}/{segment}/accounts/{}/transactions",
            self.client.paths().account_data,
            encode_segment(surrogate_id)
        );
        let page_size = query.page_size.unwrap_or(max_page).min(max_page);
        let anchor = query.start.unwrap_or(Anchor::Timestamp(0));
        let pager = Pager::new(anchor, page_size, query.to);
        let initial = checked.map(|()| (client, path, pager));

        stream::once(async move { initial })
            .map_ok(move |state| {
                stream::try_unfold(state, move |(client, path, mut pager)| async move {
                    if pager.is_done() {
                        return Ok(None);
                    }
                    let request = ApiRequest {
                        query: pager.query(),
                        ..ApiRequest::get(route, path.clone())
                    };
                    let response = client.execute(request).await?;
                    let page: Vec<Transaction> = decode_json(&response)?;
                    let items = pager.accept(page)?;
                    Ok(Some((items, (client, path, pager))))
                })
            })
            .try_flatten()
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}
