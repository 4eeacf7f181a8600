//! Refund API v2 models (op-api.md §6): refund an incoming SEPA payment, fully or in part.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::domain::amount::Amount;
use crate::error::{Error, Result};
use crate::model::de;
use crate::model::payment::{MAX_MESSAGE_CHARS, PaymentResponse};
use crate::model::validate;

/// Longest archive id (SEPA filing code) Refund v2 accepts.
const MAX_ARCHIVE_ID_CHARS: usize = 35;

/// A refund of an incoming payment, identified by its archive id.
///
/// OP refunds a transaction at most once, so the archive id is also the refund's
/// de-duplication key: a resend of the same bytes returns the refund already booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    /// Archive id of the original incoming payment.
    #[serde(with = "de::string_or_number")]
    pub archive_id: String,
    /// Amount to return (at most the original); written as `"49.00"`.
    #[serde(with = "de::refund_amount")]
    pub amount: Amount,
    /// Refund message (OP prefixes its own "MAKSUN PALAUTUS" text).
    pub message: String,
    /// The company account that received the original payment.
    pub account_iban: String,
    /// Date of the original payment.
    #[serde(with = "de::iso_date")]
    pub transaction_date: Date,
    /// Optional end-to-end id; sent as `null` when absent, as OP's examples do.
    #[serde(default)]
    pub end_to_end_id: Option<String>,
}

impl RefundRequest {
    /// A refund request; the IBAN may be written with spaces or in lower case.
    pub fn new(
        archive_id: impl Into<String>,
        amount: Amount,
        message: impl Into<String>,
        account_iban: &str,
        transaction_date: Date,
    ) -> Result<Self> {
        let request = RefundRequest {
            archive_id: archive_id.into(),
            amount,
            message: message.into(),
            account_iban: validate::normalise_iban("accountIban", account_iban)?,
            transaction_date,
            end_to_end_id: None,
        };
        request.validate()?;
        Ok(request)
    }

    /// Sets the end-to-end id.
    pub fn with_end_to_end_id(mut self, id: impl Into<String>) -> Self {
        self.end_to_end_id = Some(id.into());
        self
    }

    /// Checks the request locally: archive id, amount, message length and IBAN.
    pub fn validate(&self) -> Result<()> {
        let id = &self.archive_id;
        if id.is_empty()
            || id.len() > MAX_ARCHIVE_ID_CHARS
            || !id.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(Error::invalid_input(format!(
                "archiveId must be 1..{MAX_ARCHIVE_ID_CHARS} letters or digits, got {id:?}"
            )));
        }
        self.amount.to_payment_string()?;
        validate::char_len("message", &self.message, 1, MAX_MESSAGE_CHARS)?;
        validate::iban("accountIban", &self.account_iban)?;
        if let Some(id) = &self.end_to_end_id {
            validate::end_to_end_id(id)?;
        }
        Ok(())
    }

    /// Validates the request and serialises it once into the exact bytes to sign and send.
    pub fn to_body(&self) -> Result<Vec<u8>> {
        self.validate()?;
        serde_json::to_vec(self)
            .map_err(|e| Error::invalid_input(format!("refund cannot be serialised: {e}")))
    }
}

/// The payment being refunded, as OP echoes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundOriginal {
    /// Archive id of the original payment.
    #[serde(with = "de::string_or_number")]
    pub archive_id: String,
    /// Original message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Original reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// Original amount.
    pub amount: Amount,
    /// Original booking date.
    #[serde(
        default,
        with = "de::opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub booking_date: Option<Date>,
    /// Original payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debtor_name: Option<String>,
    /// Fields OP sent that this SDK does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OP's answer to a refund: the original payment and the outgoing refund payment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundResponse {
    /// The refunded incoming payment.
    pub original: RefundOriginal,
    /// The outgoing refund payment.
    pub refund: PaymentResponse,
    /// Fields OP sent that this SDK does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
