//! The emulated bank: accounts, transactions, the payment ledger and every OP API operation
//! except the token endpoint, as synchronous, transport-free code.
//!
//! The HTTP server (TLS, OAuth, faults, counters) authenticates the caller, then hands each
//! OP request to [`Bank::handle`] under a lock. Keeping the bank free of HTTP makes every
//! API rule testable without sockets.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

mod accounts;
mod address;
mod body;
mod booking;
mod dates;
mod errors;
mod filter;
mod ids;
mod incoming;
mod info;
mod mandates;
mod money;
mod payees;
mod payments;
mod quirks;
mod refunds;
mod render;
mod rng;
mod routes;
mod seed;
mod signature;
mod store;

#[cfg(test)]
mod tests;

use errors::error;
pub use mandates::{MANDATE_HEADER, MandateSummary, NewMandate};
pub use quirks::{MissingEndToEndId, ObjectIdAnchors, Quirks, UnstructuredAddresses};
use store::State;

/// Settings that shape the seeded data and the checks.
#[derive(Debug, Clone)]
pub struct BankConfig {
    /// Seed for the deterministic data generator.
    pub seed: u64,
    /// Accounts created for each client.
    pub accounts_per_client: usize,
    /// Seeded historical transactions per account.
    pub transactions_per_account: usize,
    /// Allowed distance, in seconds, between a signature's `urn:op.api.iat` and the bank clock.
    pub iat_window_secs: i64,
    /// Accept IBANs with a bad checksum in requests (OP's own doc examples have some).
    pub lenient_iban: bool,
}

/// One OP API request, already authenticated as `client_id` by the server.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The authenticated client.
    pub client_id: &'a str,
    /// HTTP method, upper case.
    pub method: &'a str,
    /// Path as received (percent-encoded).
    pub path: &'a str,
    /// Raw query string without `?`.
    pub query: Option<&'a str>,
    /// `X-Req-Signature` header.
    pub signature: Option<&'a str>,
    /// `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// Raw body bytes.
    pub body: &'a [u8],
    /// The mandate the call acts for ([`MANDATE_HEADER`]): the request then reads the
    /// accounts of the company that gave it.
    pub mandate: Option<&'a str>,
    /// Bank clock (including any injected skew), microseconds since the Unix epoch.
    pub now_micros: i64,
}

/// The bank's answer: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// JSON body bytes.
    pub body: Vec<u8>,
    /// Whether the request changed the ledger (booked a payment or refund).
    pub committed: bool,
}

/// The OP routes the bank serves, named for counters and fault targeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// `GET /corporate-account-data/v1/accounts`
    Accounts,
    /// `GET /corporate-account-data/v1/accounts/{surrogateId}`
    Account,
    /// `GET /corporate-account-data/v1/accounts/{surrogateId}/transactions` (legacy,
    /// deprecated since Account Data 1.1 but still in OP's sample script)
    TransactionsV1,
    /// `GET /corporate-account-data/v2/accounts/{surrogateId}/transactions`
    TransactionsV2,
    /// `GET /corporate-account-data/v3/accounts/{surrogateId}/transactions`
    TransactionsV3,
    /// `POST /corporate-payment/v1/sepa-payment`
    SepaPayment,
    /// `POST /corporate-payment/v1/sepa-instant-payment`
    SepaInstantPayment,
    /// `GET /corporate-payment/v1/sepa-instant-payment/{instructionId}`
    InstantStatus,
    /// `POST /corporate-payment/v2/payment-refund`
    Refund,
    /// `POST /corporate-transaction-filter/v2/debit-transactions`
    FilterDebit,
    /// `POST /corporate-transaction-filter/v2/credit-transactions`
    FilterCredit,
    /// `POST /corporate-transaction-info/v1/payer-details`
    PayerDetails,
    /// `GET /corporate-service-provider/v1/mandates`
    Mandates,
    /// `POST /corporate-account-verification/v1/verify-account` (path inferred)
    VerifyAccount,
}

impl Route {
    /// Stable name used in counters and fault rules, e.g. `"transactions_v2"`.
    pub fn name(self) -> &'static str {
        match self {
            Route::Accounts => "accounts",
            Route::Account => "account",
            Route::TransactionsV1 => "transactions_v1",
            Route::TransactionsV2 => "transactions_v2",
            Route::TransactionsV3 => "transactions_v3",
            Route::SepaPayment => "sepa_payment",
            Route::SepaInstantPayment => "sepa_instant_payment",
            Route::InstantStatus => "instant_status",
            Route::Refund => "refund",
            Route::FilterDebit => "filter_debit",
            Route::FilterCredit => "filter_credit",
            Route::PayerDetails => "payer_details",
            Route::Mandates => "mandates",
            Route::VerifyAccount => "account_verification",
        }
    }

    /// Which route a path belongs to, if any. The path is matched exactly (a query string
    /// after `?` is ignored) and path parameters must be non-empty, well-formed
    /// percent-encoded segments. The method does not narrow the match: a known path called
    /// with the wrong method still classifies, so the server passes it on and
    /// [`Bank::handle`] answers 405 (compare with [`Route::method`]).
    pub fn classify(_method: &str, path: &str) -> Option<Route> {
        let path = path.split('?').next().unwrap_or("");
        routes::match_path(path).map(|(route, _)| route)
    }

    /// The HTTP method of the route (`"GET"` or `"POST"`).
    pub fn method(self) -> &'static str {
        routes::method_of(self)
    }

    /// Whether the route books something (payments and refunds).
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Route::SepaPayment | Route::SepaInstantPayment | Route::Refund
        )
    }
}

/// An account as the admin API lists it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    /// IBAN.
    pub iban: String,
    /// OP's opaque account handle.
    pub surrogate_id: String,
    /// Account name.
    pub name: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Current balance as a decimal string.
    pub balance: String,
}

/// A payment into one of the bank's accounts, simulated by the admin API.
#[derive(Debug, Clone, serde::Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IncomingPayment {
    /// The receiving account.
    pub account_iban: String,
    /// Positive decimal string, e.g. `"249.00"`.
    pub amount: String,
    /// Finnish reference or RF reference, if the payer gave one.
    pub reference: Option<String>,
    /// Free-text message.
    pub message: Option<String>,
    /// Payer name.
    pub debtor_name: String,
    /// Payer IBAN (generated when absent).
    pub debtor_iban: Option<String>,
}

/// A transaction the bank just booked.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BookedTransaction {
    /// 20-digit archive id.
    pub archive_id: String,
    /// OP-shaped object id.
    pub object_id: String,
    /// Registration time, microseconds since the epoch.
    pub timestamp: i64,
}

/// One booked outgoing payment or refund.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    /// `"sepa_payment"`, `"sepa_instant_payment"` or `"refund"`.
    pub kind: String,
    /// The client that booked it.
    pub client_id: String,
    /// `instructionId` of a payment, or the refunded `archiveId`.
    pub instruction_id: String,
    /// Archive id of the booked debit.
    pub archive_id: String,
    /// Decimal string.
    pub amount: String,
    /// Paying account.
    pub debtor_iban: String,
    /// Receiving account.
    pub creditor_iban: String,
    /// The creditor's `address` object as the payment sent it (none for refunds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creditor_address: Option<serde_json::Value>,
    /// How many times the same request was received (replays are not booked again).
    pub received: u32,
}

/// An owner of accounts: a registered client (its company and its signing keys), or a
/// client company that gave a mandate (no credentials, never a caller).
#[derive(Debug, Clone)]
struct Client {
    id: String,
    company: String,
    business_id: String,
    /// kid → RSA public key (SubjectPublicKeyInfo DER).
    keys: HashMap<String, Vec<u8>>,
    /// The stream its seeded data is drawn from: the registration order for clients (so
    /// mandate companies in between change nothing), a hash of the mandate id for companies.
    seed_key: u64,
    /// How many accounts it owns.
    accounts: usize,
}

/// The emulated bank.
pub struct Bank {
    config: BankConfig,
    /// UTC midnight (micros) of the day the bank was created; seeded history ends here.
    anchor: i64,
    codec: ids::ArchiveCodec,
    clients: Vec<Client>,
    client_index: HashMap<String, usize>,
    state: State,
    numeric_archive_ids: bool,
    quirks: Quirks,
    /// Every mandate, seeded or added; kept across [`Bank::reset`] like the clients.
    mandates: mandates::Mandates,
}

impl fmt::Debug for Bank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bank")
            .field("config", &self.config)
            .field("clients", &self.clients.len())
            .field("accounts", &self.state.accounts.len())
            .field("ledger", &self.state.ledger.len())
            .finish()
    }
}

/// Microseconds since the Unix epoch, now.
fn wall_clock_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

impl Bank {
    /// An empty bank; clients are added with [`Bank::add_client`]. Seeded history covers the
    /// 60 days before today's UTC midnight.
    pub fn new(config: BankConfig) -> Bank {
        Bank::with_anchor_day(config, wall_clock_micros())
    }

    /// Like [`Bank::new`] but seeded history ends at the UTC midnight of the day containing
    /// `now_micros`, so tests can pin the data completely.
    pub fn with_anchor_day(config: BankConfig, now_micros: i64) -> Bank {
        let anchor = dates::day_of(now_micros) * dates::DAY_MICROS;
        Bank {
            codec: ids::ArchiveCodec::new(config.seed),
            config,
            anchor,
            clients: Vec::new(),
            client_index: HashMap::new(),
            state: State::default(),
            numeric_archive_ids: false,
            quirks: Quirks::default(),
            mandates: mandates::Mandates::default(),
        }
    }

    /// Quirk mode: render `archiveId` in transaction lists as a JSON number instead of a
    /// string (one OP doc example did), to test that clients keep all 20 digits.
    pub fn set_numeric_archive_ids(&mut self, on: bool) {
        self.numeric_archive_ids = on;
    }

    /// The switchable behaviours in effect.
    pub fn quirks(&self) -> Quirks {
        self.quirks
    }

    /// Switches behaviours where OP's docs are silent or its sandbox differs (see
    /// [`Quirks`]); [`Bank::reset`] keeps them.
    pub fn set_quirks(&mut self, quirks: Quirks) {
        self.quirks = quirks;
    }

    /// Registers a client and seeds its accounts deterministically. Adding an existing client
    /// again only updates its company name.
    pub fn add_client(&mut self, client_id: &str, company_name: &str) {
        if let Some(&i) = self.client_index.get(client_id) {
            if let Some(c) = self.clients.get_mut(i) {
                c.company = company_name.to_string();
            }
            return;
        }
        let index = self.clients.len();
        let seed_key = self.client_index.len() as u64;
        self.clients.push(Client {
            id: client_id.to_string(),
            company: company_name.to_string(),
            business_id: ids::business_id(rng::hash(&[self.config.seed, seed_key, 0xB1D])),
            keys: HashMap::new(),
            seed_key,
            accounts: self.config.accounts_per_client,
        });
        self.client_index.insert(client_id.to_string(), index);
        self.seed_client(index);
        self.seed_mandates(index);
    }

    /// Seeds the accounts of the owner at `index`.
    fn seed_client(&mut self, index: usize) {
        let Some(owner) = self.clients.get(index) else {
            return;
        };
        seed::seed_client(
            &mut self.state,
            seed::Owner {
                seed: self.config.seed,
                anchor: self.anchor,
                index,
                key: owner.seed_key,
            },
            owner.accounts,
            self.config.transactions_per_account,
        );
    }

    /// Registers an RSA public key (SubjectPublicKeyInfo DER) under `kid` for `client_id`.
    /// The key must be RSA with 2048..=8192 bits; re-registering a kid replaces its key.
    pub fn register_signing_key(
        &mut self,
        client_id: &str,
        kid: &str,
        spki_der: &[u8],
    ) -> Result<(), String> {
        let index = *self
            .client_index
            .get(client_id)
            .ok_or_else(|| format!("unknown client {client_id:?}"))?;
        if kid.is_empty() || kid.len() > 200 {
            return Err("kid must be 1..200 characters".into());
        }
        signature::check_public_key(spki_der)?;
        if let Some(c) = self.clients.get_mut(index) {
            c.keys.insert(kid.to_string(), spki_der.to_vec());
        }
        Ok(())
    }

    /// Serves one OP API request. Never panics; every failure is an OP-style JSON error.
    pub fn handle(&mut self, request: &Request<'_>) -> Response {
        let path = request.path.split('?').next().unwrap_or("");
        let Some((route, param)) = routes::match_path(path) else {
            return error(404, "not_found", format!("no such path: {path}"));
        };
        if routes::method_of(route) != request.method {
            return error(
                405,
                "method_not_allowed",
                format!(
                    "{} {path} is not supported; use {}",
                    request.method,
                    route.method()
                ),
            );
        }
        let Some(&client) = self.client_index.get(request.client_id) else {
            return error(403, "forbidden", "client is not registered with the bank");
        };
        let client = match request.mandate {
            Some(mandate) => match self.acting_for(client, mandate, route) {
                Ok(company) => company,
                Err(refused) => return refused,
            },
            None => client,
        };
        let param = param.unwrap_or_default();
        match route {
            Route::Accounts => self.list_accounts(client),
            Route::Account => self.account_details(client, &param),
            Route::TransactionsV1 => self.legacy_transactions(client, &param),
            Route::TransactionsV2 => {
                self.transactions(client, &param, request.query, render::Shape::V2)
            }
            Route::TransactionsV3 => {
                self.transactions(client, &param, request.query, render::Shape::V3)
            }
            Route::SepaPayment | Route::SepaInstantPayment => self.payment(client, route, request),
            Route::InstantStatus => self.instant_status(client, &param),
            Route::Refund => self.refund(client, request),
            Route::FilterDebit => self.filter(client, request, false),
            Route::FilterCredit => self.filter(client, request, true),
            Route::PayerDetails => self.payer_details(client, request),
            Route::Mandates => self.mandates(client),
            Route::VerifyAccount => self.verify_account(request),
        }
    }

    /// The accounts of a client (empty for an unknown client).
    pub fn accounts_of(&self, client_id: &str) -> Vec<AccountSummary> {
        match self.client_index.get(client_id) {
            Some(&client) => self.accounts_of_owner(client),
            None => Vec::new(),
        }
    }

    /// The accounts of the owner at `owner` (a client or a mandate's company).
    fn accounts_of_owner(&self, owner: usize) -> Vec<AccountSummary> {
        self.state
            .accounts
            .iter()
            .filter(|a| a.client == owner)
            .map(|a| AccountSummary {
                iban: a.iban.clone(),
                surrogate_id: a.surrogate_id.clone(),
                name: a.name.clone(),
                currency: "EUR".into(),
                balance: money::format(a.balance()),
            })
            .collect()
    }

    /// Every booked outgoing payment and refund, in booking order.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.state.ledger.clone()
    }

    /// Back to the freshly seeded state (clients, keys and mandates kept; every owner's
    /// accounts re-seeded).
    pub fn reset(&mut self) {
        self.state = State::default();
        for index in 0..self.clients.len() {
            self.seed_client(index);
        }
    }

    /// Render context for an account's owner.
    fn render_ctx(&self, client: usize) -> render::Ctx<'_> {
        render::Ctx {
            pool: &self.state.pool,
            codec: self.codec,
            seed: self.config.seed,
            company: self.clients.get(client).map_or("", |c| c.company.as_str()),
            numeric_archive_ids: self.numeric_archive_ids,
            quirks: self.quirks,
        }
    }

    /// Index of the caller's account with this surrogate id.
    fn own_account_by_surrogate(&self, client: usize, surrogate: &str) -> Option<usize> {
        let &i = self.state.by_surrogate.get(surrogate)?;
        (self.state.accounts.get(i)?.client == client).then_some(i)
    }

    /// Index of the caller's account with this IBAN.
    fn own_account_by_iban(&self, client: usize, iban: &str) -> Option<usize> {
        let &i = self.state.by_iban.get(iban)?;
        (self.state.accounts.get(i)?.client == client).then_some(i)
    }
}
