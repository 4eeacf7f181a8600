//! Account Data API: accounts, account details and the transaction stream (op-api.md §4).

use futures::stream::{self, Stream, StreamExt, TryStreamExt};
use time::{Date, OffsetDateTime};

use crate::api::{encode_segment, require_segment};
use crate::client::Client;
use crate::config::TransactionsVersion;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Account, AccountDetails, Transaction};
use crate::paging::{Anchor, Anchoring, Pager};
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

    /// Anchors pages after the first this way instead of the default
    /// ([`Anchoring::Auto`], or timestamps once the client saw objectId anchors ignored).
    pub fn anchoring(mut self, anchoring: Anchoring) -> Self {
        self.anchoring = Some(anchoring);
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
    /// page boundary and also when the bank ignores objectId anchors (see
    /// [`crate::paging`]). The first error ends the stream; resume from the last yielded
    /// transaction with [`TransactionQuery::after_object_id`]. The stream owns a clone of
    /// the client and is `Unpin`, so it can be polled with `next()` directly.
    pub fn transactions(
        &self,
        surrogate_id: &str,
        query: TransactionQuery,
    ) -> impl Stream<Item = Result<Transaction>> + Send + Unpin + 'static {
        let client = self.client.clone();
        let configured = query
            .version
            .unwrap_or(self.client.paths().transactions_version);
        let checked =
            require_segment("surrogateId", surrogate_id).and_then(|()| match query.page_size {
                Some(0) => Err(Error::invalid_input("page size must be at least 1")),
                _ => Ok(()),
            });
        let max_page = self.client.transactions_page_cap_for(configured);
        let page_size = query.page_size.unwrap_or(max_page).min(max_page);
        let anchoring =
            query
                .anchoring
                .unwrap_or(if self.client.inner.learned.object_id_ignored() {
                    Anchoring::Timestamp
                } else {
                    Anchoring::Auto
                });
        let anchor = query.start.unwrap_or(Anchor::Timestamp(0));
        let walk = Walk {
            client,
            account: encode_segment(surrogate_id),
            configured,
            pager: Pager::new(anchor, page_size, query.to).with_anchoring(anchoring),
        };
        let initial = checked.map(|()| walk);

        stream::once(async move { initial })
            .map_ok(move |walk| {
                stream::try_unfold(walk, move |mut walk| async move {
                    if walk.pager.is_done() {
                        return Ok(None);
                    }
                    let items = walk.next_page().await?;
                    Ok(Some((items, walk)))
                })
            })
            .try_flatten()
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

impl Client {
    /// The largest page the transaction stream asks for with `version`: an `Auto` client
    /// that learned V2 pages like V2.
    pub(crate) fn transactions_page_cap_for(&self, version: TransactionsVersion) -> usize {
        let resolved = match version {
            TransactionsVersion::Auto => self
                .inner
                .learned
                .transactions_version()
                .unwrap_or(TransactionsVersion::V3),
            fixed => fixed,
        };
        match resolved {
            TransactionsVersion::V2 => V2_MAX_PAGE,
            TransactionsVersion::V3 | TransactionsVersion::Auto => V3_MAX_PAGE,
        }
    }

    /// The transactions version an `Auto` stream of this client uses, once known.
    pub fn learned_transactions_version(&self) -> Option<TransactionsVersion> {
        self.inner.learned.transactions_version()
    }
}

/// One walk over an account's transactions.
struct Walk {
    client: Client,
    /// The percent-encoded surrogate id.
    account: String,
    configured: TransactionsVersion,
    pager: Pager,
}

impl Walk {
    /// Fetches and accepts the next page, resolving an `Auto` version on first contact.
    async fn next_page(&mut self) -> Result<Vec<Transaction>> {
        let learned = &self.client.inner.learned;
        let version = match self.configured {
            TransactionsVersion::Auto => learned
                .transactions_version()
                .unwrap_or(TransactionsVersion::V3),
            fixed => fixed,
        };
        let page = match self.fetch(version).await {
            Ok(page) => page,
            Err(err)
                if err.kind() == ErrorKind::NotFound
                    && self.configured == TransactionsVersion::Auto
                    && version == TransactionsVersion::V3 =>
            {
                // The inferred V3 path is missing here; V2's is evidenced. A 404 for an
                // unknown account repeats on V2 and is returned as it is, unlearned.
                self.pager.cap_page_size(V2_MAX_PAGE);
                let page = self.fetch(TransactionsVersion::V2).await?;
                tracing::info!("Transactions V3 answered 404 and V2 answered; using V2");
                learned.set_transactions_version(TransactionsVersion::V2);
                page
            }
            Err(err) => return Err(err),
        };
        if self.configured == TransactionsVersion::Auto && learned.transactions_version().is_none()
        {
            learned.set_transactions_version(version);
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
        Ok(items)
    }

    /// One page from `version`'s endpoint.
    async fn fetch(&self, version: TransactionsVersion) -> Result<Vec<Transaction>> {
        let (route, segment) = match version {
            TransactionsVersion::V2 => ("transactions_v2", "v2"),
            TransactionsVersion::V3 | TransactionsVersion::Auto => ("transactions_v3", "v3"),
        };
        let path = format!(
            "{}/{segment}/accounts/{}/transactions",
            self.client.paths().account_data,
            self.account
        );
        let request = ApiRequest {
            query: self.pager.query(),
            ..ApiRequest::get(route, path)
        };
        let response = self.client.execute(request).await?;
        decode_json(&response)
    }
}
