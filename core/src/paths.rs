//! The path of every OP API below the base URL, and which transactions endpoint to use.
//!
//! Pure (no HTTP stack), so the route table, the WebAssembly client and the gateway build and
//! recognise OP's paths from one set of defaults. Defaults follow `op-api.md`; the ones marked
//! [INF] there are inferences, so each is overridable.

/// Which Account Data transactions endpoint the transaction stream uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TransactionsVersion {
    /// `/v2/accounts/{id}/transactions`, paged by timestamp/objectId anchors.
    V2,
    /// `/v3/accounts/{id}/transactions`, pages of up to 1000 (the newest documented version).
    #[default]
    V3,
}

impl TransactionsVersion {
    /// The version from its number, `2` or `3` (what bindings and the CLI take); any other
    /// number is an `INVALID_INPUT` error.
    pub fn from_number(number: u32) -> crate::Result<TransactionsVersion> {
        match number {
            2 => Ok(TransactionsVersion::V2),
            3 => Ok(TransactionsVersion::V3),
            other => Err(crate::Error::invalid_input(format!(
                "the transactions version must be 2 or 3, got {other}"
            ))),
        }
    }

    /// The version's number, `2` or `3`.
    pub fn number(self) -> u32 {
        match self {
            TransactionsVersion::V2 => 2,
            TransactionsVersion::V3 => 3,
        }
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
    /// Which transactions endpoint to use, default [`TransactionsVersion::V3`].
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
}

impl Default for ApiPaths {
    fn default() -> Self {
        ApiPaths {
            token: "/corporate-oidc/v1/token".into(),
            account_data: "/corporate-account-data".into(),
            transactions_version: TransactionsVersion::V3,
            payment: "/corporate-payment/v1".into(),
            refund: "/corporate-payment/v2/payment-refund".into(),
            transaction_filter: "/corporate-transaction-filter/v2".into(),
            payer_details: "/corporate-transaction-info/v1/payer-details".into(),
            mandates: "/corporate-service-provider/v1/mandates".into(),
        }
    }
}
