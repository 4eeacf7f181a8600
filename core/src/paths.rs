//! The path of every OP API below the base URL, and which transactions endpoint to use.
//!
//! Pure (no HTTP stack), so the route table, the WebAssembly client and the gateway build and
//! recognise OP's paths from one set of defaults. Defaults follow `op-api.md`; the ones marked
//! [INF] there are inferences, so each is overridable.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// Which Account Data transactions endpoint the transaction stream uses.
///
/// V2's path is the only one with evidence (op-api.md §4.2); V3's `/v3/` path is inferred
/// by analogy. The default, [`TransactionsVersion::Auto`], makes first contact work either
/// way: it asks V3 first and, if V3 answers 404 and V2 then answers, uses V2 for the rest of
/// the client's life (remembered once per client in [`Learned`], shared by its clones).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TransactionsVersion {
    /// `/v2/accounts/{id}/transactions`, pages of up to 150 (evidenced path).
    V2,
    /// `/v3/accounts/{id}/transactions`, pages of up to 1000 (the newest documented version;
    /// path inferred).
    V3,
    /// V3, falling back to V2 once per client on a 404 that V2 does not repeat.
    #[default]
    Auto,
}

impl TransactionsVersion {
    /// The version from its number, `2` or `3` (what bindings and the CLI take); any other
    /// number is an `INVALID_INPUT` error. [`TransactionsVersion::parse`] also takes `auto`.
    pub fn from_number(number: u32) -> crate::Result<TransactionsVersion> {
        match number {
            2 => Ok(TransactionsVersion::V2),
            3 => Ok(TransactionsVersion::V3),
            other => Err(crate::Error::invalid_input(format!(
                "the transactions version must be 2, 3 or \"auto\", got {other}"
            ))),
        }
    }

    /// The version from its name: `2`, `3`, `v2`, `v3` or `auto` (any case).
    pub fn parse(name: &str) -> crate::Result<TransactionsVersion> {
        match name.trim().to_ascii_lowercase().as_str() {
            "2" | "v2" => Ok(TransactionsVersion::V2),
            "3" | "v3" => Ok(TransactionsVersion::V3),
            "auto" => Ok(TransactionsVersion::Auto),
            _ => Err(crate::Error::invalid_input(format!(
                "the transactions version must be 2, 3 or \"auto\", got {name:?}"
            ))),
        }
    }

    /// The version's number, `2` or `3`; `None` for [`TransactionsVersion::Auto`].
    pub fn number(self) -> Option<u32> {
        match self {
            TransactionsVersion::V2 => Some(2),
            TransactionsVersion::V3 => Some(3),
            TransactionsVersion::Auto => None,
        }
    }

    /// The endpoint a request goes to first: `Auto` asks V3 first.
    pub fn first_try(self) -> TransactionsVersion {
        match self {
            TransactionsVersion::Auto => TransactionsVersion::V3,
            fixed => fixed,
        }
    }
}

/// What a client learned about the bank on first contact; shared by all clones of a client
/// (native and WebAssembly alike). Atomics, so it is `Sync` without a lock and works on
/// `wasm32` too.
#[derive(Debug, Default)]
pub struct Learned {
    /// 0 = not known yet, 2 or 3 = the transactions version that answered an `Auto` walk.
    transactions_version: AtomicU8,
    /// The bank ignored an objectId paging anchor: page by timestamp from the start.
    object_id_ignored: AtomicBool,
}

impl Learned {
    /// The transactions version that answered an `Auto` walk, if one did.
    pub fn transactions_version(&self) -> Option<TransactionsVersion> {
        match self.transactions_version.load(Ordering::Relaxed) {
            2 => Some(TransactionsVersion::V2),
            3 => Some(TransactionsVersion::V3),
            _ => None,
        }
    }

    /// Remembers the version that answered (`Auto` is ignored).
    pub fn set_transactions_version(&self, version: TransactionsVersion) {
        if let Some(n) = version.number() {
            self.transactions_version.store(n as u8, Ordering::Relaxed);
        }
    }

    /// What `configured` means for this client now: `Auto` once resolved is the version
    /// that answered.
    pub fn resolve(&self, configured: TransactionsVersion) -> TransactionsVersion {
        match configured {
            TransactionsVersion::Auto => self.transactions_version().unwrap_or(configured),
            fixed => fixed,
        }
    }

    /// Whether a walk of this client found objectId anchors ignored.
    pub fn object_id_ignored(&self) -> bool {
        self.object_id_ignored.load(Ordering::Relaxed)
    }

    /// Remembers that objectId anchors are ignored; true the first time.
    pub fn set_object_id_ignored(&self) -> bool {
        !self.object_id_ignored.swap(true, Ordering::Relaxed)
    }
}

/// The path prefix of every API the client calls, relative to the base URL.
///
/// Defaults follow `op-api.md`; the ones marked [INF] there are inferences, so each is
/// overridable when OP's current OpenAPI files say otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiPaths {
    /// OAuth2 token endpoint, default `/corporate-oidc/v1/token`.
    pub token: String,
    /// Account Data prefix, default `/corporate-account-data` (accounts at `{}/v1/accounts`,
    /// transactions at `{}/v2|v3/accounts/{id}/transactions`).
    pub account_data: String,
    /// Which transactions endpoint to use, default [`TransactionsVersion::Auto`].
    pub transactions_version: TransactionsVersion,
    /// Payment API prefix, default `/corporate-payment/v1` (`sepa-payment`,
    /// `sepa-instant-payment` below it).
    pub payment: String,
    /// Refund endpoint, default `/corporate-payment/v2/payment-refund`.
    pub refund: String,
    /// Transaction Filter prefix, default `/corporate-transaction-filter/v2`.
    pub transaction_filter: String,
    /// Transaction Info payer details, default `/corporate-transaction-info/v1/payer-details`
    /// (an inference; OP's path is not public).
    pub payer_details: String,
    /// Service Provider mandates, default `/corporate-service-provider/v1/mandates`
    /// (an inference; OP's path is not public).
    pub mandates: String,
    /// OP Corporate Account Verification "Verify account", default
    /// `/corporate-account-verification/v1/verify-account` (an inference; OP's path is not
    /// public).
    pub account_verification: String,
    /// JSON field names of the Verification of Payee exchange (inferences; OP's schema is not
    /// public).
    pub payee_verification_fields: PayeeVerificationFields,
    /// The request header that carries the mandate id of a call made for a client company
    /// ([`Client::acting_for`](crate::client::Client::acting_for)), default `x-mandate-id`.
    /// How a service provider's call selects the company is not public (op-api.md §9,
    /// [OPEN]): the header is this SDK's inference, shared with the emulator, not OP's
    /// documented behaviour.
    pub mandate_header: String,
}

/// JSON field names the Verification of Payee request and response use.
///
/// OP's Account Verification API schema is not in our evidence (op-api.md §10), so every
/// name is configurable; the defaults follow the emulator's documented assumption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayeeVerificationFields {
    /// Request: the payee's IBAN, default `iban`.
    pub iban: String,
    /// Request: the payee's name as the payer gives it, default `name`.
    pub name: String,
    /// Response: the ISO outcome code (`MTCH`, `CMTC`, `NMTC`, `NOAP`), default `result`.
    pub result: String,
    /// Response: the name the payee's bank holds, on a close match; default `matchedName`.
    pub matched_name: String,
}

impl Default for PayeeVerificationFields {
    fn default() -> Self {
        PayeeVerificationFields {
            iban: "iban".into(),
            name: "name".into(),
            result: "result".into(),
            matched_name: "matchedName".into(),
        }
    }
}

impl Default for ApiPaths {
    fn default() -> Self {
        ApiPaths {
            token: "/corporate-oidc/v1/token".into(),
            account_data: "/corporate-account-data".into(),
            transactions_version: TransactionsVersion::Auto,
            payment: "/corporate-payment/v1".into(),
            refund: "/corporate-payment/v2/payment-refund".into(),
            transaction_filter: "/corporate-transaction-filter/v2".into(),
            payer_details: "/corporate-transaction-info/v1/payer-details".into(),
            mandates: "/corporate-service-provider/v1/mandates".into(),
            account_verification: "/corporate-account-verification/v1/verify-account".into(),
            payee_verification_fields: PayeeVerificationFields::default(),
            mandate_header: "x-mandate-id".into(),
        }
    }
}
