//! OP Corporate Account Verification API: Verification of Payee (op-api.md §10).
//!
//! OP documents the API ("Verify account", versions 1.0–1.0.2, same OAuth + mTLS model) but
//! its path and JSON shapes are not in our evidence: the path is
//! [`ApiPaths::account_verification`](crate::config::ApiPaths::account_verification) and
//! the field names are [`ApiPaths::payee_verification_fields`](crate::config::ApiPaths),
//! both inferences that callers can override. Only the outcome codes (`MTCH`, `CMTC`,
//! `NMTC`, `NOAP`) are standard (EPC Verification of Payee scheme).

use serde_json::{Map, Value};

use crate::api::{post_json, to_json};
use crate::client::Client;
use crate::domain::iban::Iban;
use crate::error::{Error, Result};
use crate::model::verification::{PayeeMatch, PayeeVerification, validate_payee_name};
use crate::transport::ApiResponse;

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
        let iban = Iban::parse(iban)?;
        let name = validate_payee_name(name)?;
        let fields = &self.client.paths().payee_verification_fields;
        let mut body = Map::new();
        body.insert(fields.iban.clone(), Value::String(iban.as_str().to_owned()));
        body.insert(fields.name.clone(), Value::String(name));
        let request = post_json(
            "account_verification",
            self.client.paths().account_verification.clone(),
            to_json("payee verification request", &body)?,
        );
        let response = self.client.execute(request).await?;
        decode_verification(&response, &fields.result, &fields.matched_name)
    }
}

/// Reads the outcome and the bank's name from the configured fields.
fn decode_verification(
    response: &ApiResponse,
    result_field: &str,
    name_field: &str,
) -> Result<PayeeVerification> {
    let failed = |what: String| {
        Error::decode(what)
            .with_status(response.status)
            .with_request_id(response.request_id.clone())
            .with_body_snippet(&response.body)
    };
    let value: Value = serde_json::from_slice(&response.body)
        .map_err(|e| failed(format!("payee verification response is not JSON: {e}")))?;
    let code = value
        .get(result_field)
        .and_then(Value::as_str)
        .ok_or_else(|| {
            failed(format!(
                "payee verification response has no string field {result_field:?}"
            ))
        })?;
    let matched_name = value
        .get(name_field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|n| !n.trim().is_empty());
    Ok(PayeeVerification {
        outcome: PayeeMatch::from_code(code),
        matched_name,
        request_id: response.request_id.clone(),
    })
}
