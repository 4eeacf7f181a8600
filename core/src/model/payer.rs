//! Transaction Info API models (op-api.md §8): who paid a credit transaction.
//!
//! OP documents only the first request field (`accountIban`); the rest of the request and
//! the response names follow the emulator's documented assumption and unknown response
//! fields are kept.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::error::{Error, Result};
use crate::model::address::Address;
use crate::model::de;
use crate::model::validate;

/// Identifies the credit transaction whose payer is wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayerDetailsQuery {
    /// The company account that received the payment.
    pub account_iban: String,
    /// Archive id of the credit transaction.
    #[serde(with = "de::string_or_number")]
    pub archive_id: String,
    /// Booking date of the transaction, when known.
    #[serde(
        default,
        with = "de::opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub booking_date: Option<Date>,
}

impl PayerDetailsQuery {
    /// A query for one transaction; the IBAN may contain spaces or lower case.
    pub fn new(account_iban: &str, archive_id: impl Into<String>) -> Result<Self> {
        let query = PayerDetailsQuery {
            account_iban: validate::normalise_iban("accountIban", account_iban)?,
            archive_id: archive_id.into(),
            booking_date: None,
        };
        query.validate()?;
        Ok(query)
    }

    /// Checks the IBAN and that an archive id is present.
    pub fn validate(&self) -> Result<()> {
        validate::iban("accountIban", &self.account_iban)?;
        if self.archive_id.trim().is_empty() {
            return Err(Error::invalid_input("archiveId is empty"));
        }
        Ok(())
    }
}

/// The payer of a credit transaction (only for payments from OP accounts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayerDetails {
    /// Payer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_name: Option<String>,
    /// Payer's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_address: Option<Address>,
    /// Fields OP sent that this SDK does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
