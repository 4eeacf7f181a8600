//! OP Corporate Account Verification API: Verification of Payee (op-api.md §10).
//!
//! OP documents the API ("Verify account", versions 1.0–1.0.2, same OAuth + mTLS model) but
//! its path and JSON shapes are not in our evidence: the path is
//! [`ApiPaths::account_verification`](crate::paths::ApiPaths::account_verification) and
//! the field names are [`ApiPaths::payee_verification_fields`](crate::paths::ApiPaths),
//! both inferences that callers can override. Only the outcome codes (`MTCH`, `CMTC`,
//! `NMTC`, `NOAP`) are standard (EPC Verification of Payee scheme).

use crate::client::Client;
use crate::error::Result;
use crate::model::verification::PayeeVerification;
use crate::routes;

/// The Account Verification API, borrowed from a [`Client`].
#[derive(Debug, Clone, Copy)]
pub struct AccountVerificationApi<'c> {
    client: &'c Client,
}

impl Client {
    /// The Account Verification API: Verification of Payee before paying.
    pub fn account_verification(&self) -> AccountVerificationApi<'_> {
        AccountVerificationApi { client: self }
    }
}

impl AccountVerificationApi<'_> {
    /// Asks whether `name` matches the holder of `iban`. The IBAN (spaces and lower case
    /// accepted) and the name are checked locally first; nothing is sent when either is
    /// invalid.
    pub async fn verify_payee(&self, iban: &str, name: &str) -> Result<PayeeVerification> {
        let paths = self.client.paths();
        let request = routes::verify_payee(paths, iban, name)?;
        let response = self.client.execute(request).await?;
        PayeeVerification::from_response(&response, &paths.payee_verification_fields)
    }
}
