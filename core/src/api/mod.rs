//! One handler per OP corporate API, each borrowing the [`Client`](crate::client::Client)
//! (octocrab style): `client.account_data().accounts()`, `client.payments().sepa(req)`, …
//!
//! Handlers describe requests and decode responses; the transport under
//! [`Client::execute`](crate::client::Client) adds authentication, request ids, signing,
//! retries and error mapping. Requests are validated locally before any network call.

pub mod account_data;
pub mod payment;
pub mod refund;
pub mod service_provider;
pub mod transaction_filter;
pub mod transaction_info;

pub use account_data::{AccountDataApi, TransactionQuery};
pub use payment::PaymentsApi;
pub use refund::RefundsApi;
pub use service_provider::ServiceProviderApi;
pub use transaction_filter::TransactionFilterApi;
pub use transaction_info::TransactionInfoApi;

pub use crate::routes::{V2_MAX_PAGE, V3_MAX_PAGE};
