//! Typed models of every OP corporate API, one file per API.
//!
//! Pure serde types (no I/O, available without the `client` feature and on wasm32). Field
//! names follow OP's camelCase wire names. Decoding is lossless: amounts are exact
//! [`Amount`](crate::Amount)s, ids stay text even when sent as 20-digit numbers, unknown
//! fields land in each type's `extra` map and unknown enum values in an `Other` variant, and
//! both are written back out unchanged. Requests validate locally before anything is sent.

pub mod account;
pub mod address;
pub mod de;
pub mod filter;
pub mod mandate;
pub mod payer;
pub mod payment;
pub mod refund;
pub mod transaction;
pub mod transaction_json;
mod validate;
pub mod verification;

pub use account::{Account, AccountDetails};
pub use address::{Address, AddressForm, AddressRules};
pub use filter::{FilterQuery, FilterResult, FilteredTransaction};
pub use mandate::{Mandate, MandateStatus};
pub use payer::{PayerDetails, PayerDetailsQuery};
pub use payment::{
    Identification, InstructedAmount, Party, PaymentRequest, PaymentRequestBuilder,
    PaymentResponse, PaymentStatus, PaymentType, SchemeName, UltimateParty,
};
pub use refund::{RefundOriginal, RefundRequest, RefundResponse};
pub use transaction::Transaction;
pub use verification::{PayeeCheck, PayeeMatch, PayeeVerification};
