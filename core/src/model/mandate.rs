//! Service Provider API models (op-api.md §9): mandates client companies gave a service
//! provider. OP's response schema is unpublished; names follow the emulator's documented
//! assumption and unknown fields and values are kept.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::model::de::{self, open_enum};

open_enum! {
    /// Whether a mandate is in force.
    pub enum MandateStatus {
        /// In force.
        Active => "ACTIVE",
        /// Ended by the client company.
        Revoked => "REVOKED",
    }
}

/// A mandate: which client company lets the service provider use which APIs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mandate {
    /// Mandate id.
    #[serde(with = "de::string_or_number")]
    pub mandate_id: String,
    /// Client company's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Client company's business id (Y-tunnus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_id: Option<String>,
    /// APIs the mandate covers, e.g. `ACCOUNT_DATA`, `PAYMENT`.
    #[serde(default)]
    pub apis: Vec<String>,
    /// First day the mandate applies.
    #[serde(
        default,
        with = "de::opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_from: Option<Date>,
    /// Mandate status.
    pub status: MandateStatus,
    /// Fields OP sent that this SDK does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
