//! The emulated bank: accounts, transactions, the payment ledger and every OP API operation
//! except the token endpoint, as synchronous, transport-free code.
//!
//! The HTTP server (TLS, OAuth, faults, counters) authenticates the caller, then hands each
//! OP request to [`Bank::handle`] under a lock. Keeping the bank free of HTTP makes every
//! API rule testable without sockets.

use serde::Serialize;

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
}

impl Route {
    /// Stable name used in counters and fault rules, e.g. `"transactions_v2"`.
    pub fn name(self) -> &'static str {
        match self {
            Route::Accounts => "accounts",
            Route::Account => "account",
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
        }
    }

    /// Which route a method and path belong to, if any.
    pub fn classify(_method: &str, _path: &str) -> Option<Route> {
        None
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
    /// How many times the same request was received (replays are not booked again).
    pub received: u32,
}

/// The emulated bank.
#[derive(Debug)]
pub struct Bank {
    config: BankConfig,
}

impl Bank {
    /// An empty bank; clients are added with [`Bank::add_client`].
    pub fn new(config: BankConfig) -> Bank {
        Bank { config }
    }

    /// Registers a client and seeds its accounts deterministically.
    pub fn add_client(&mut self, _client_id: &str, _company_name: &str) {}

    /// Registers an RSA public key (SubjectPublicKeyInfo DER) under `kid` for `client_id`.
    pub fn register_signing_key(
        &mut self,
        _client_id: &str,
        _kid: &str,
        _spki_der: &[u8],
    ) -> Result<(), String> {
        Ok(())
    }

    /// Serves one OP API request.
    pub fn handle(&mut self, _request: &Request<'_>) -> Response {
        let _ = self.config.seed;
        Response {
            status: 501,
            body: br#"{"status":501,"error":"not_implemented","message":"not implemented"}"#.to_vec(),
            committed: false,
        }
    }

    /// The accounts of a client.
    pub fn accounts_of(&self, _client_id: &str) -> Vec<AccountSummary> {
        Vec::new()
    }

    /// Books an incoming payment now.
    pub fn simulate_incoming(
        &mut self,
        _payment: &IncomingPayment,
        _now_micros: i64,
    ) -> Result<BookedTransaction, String> {
        Err("not implemented".into())
    }

    /// Every booked outgoing payment and refund.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        Vec::new()
    }

    /// Back to the freshly seeded state (clients and keys kept).
    pub fn reset(&mut self) {}
}
