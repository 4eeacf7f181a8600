//! # opcorp — OP Corporate Banking APIs from Rust
//!
//! The core of the opcorp SDK: an authenticated client for OP's corporate APIs (Account Data,
//! Payment, Refund, Transaction Filter, Transaction Info, Service Provider) over mTLS + OAuth2,
//! detached-JWS request signing, real-time payment detection and reconciliation, and the Finnish
//! domain toolkit (reference numbers, RF references, IBANs, amounts, virtual bank barcodes).
//!
//! Every binding (Python, Node.js, C, WebAssembly) is a thin layer over this crate.
//!
//! ## Example
//!
//! This example runs against the local emulator (`opcorp-emulator`), which speaks OP's wire
//! protocol with the same mTLS and OAuth2 rules; against OP, build the client with
//! [`client::Client::from_env`] instead.
//!
//! ```
//! # #[cfg(feature = "client")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::TryStreamExt;
//! use opcorp::api::account_data::TransactionQuery;
//! use opcorp::client::Client;
//!
//! let emulator = opcorp_emulator::start(opcorp_emulator::EmulatorConfig {
//!     quiet: true,
//!     ..Default::default()
//! })
//! .await?;
//! let id = emulator.identity();
//! let client = Client::builder()
//!     .base_url(&emulator.base_url())
//!     .client_id(&id.client_id)
//!     .client_secret(&id.client_secret)
//!     .certificate_pem(&id.cert_pem)
//!     .private_key_pem(&id.key_pem)
//!     .ca_certificate_pem(&id.ca_pem)
//!     .build()?;
//!
//! let accounts = client.account_data().accounts().await?;
//! let first = &accounts[0];
//! println!("{} balance {} {}", first.iban, first.balance, first.currency);
//!
//! // Transactions arrive as a stream that pages through OP's API on demand.
//! let credits: Vec<_> = client
//!     .account_data()
//!     .transactions(&first.surrogate_id, TransactionQuery::new())
//!     .try_filter(|t| std::future::ready(!t.amount.is_negative()))
//!     .try_collect()
//!     .await?;
//! assert!(!credits.is_empty());
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "client"))]
//! # fn main() {}
//! ```
#![forbid(unsafe_code)]

#[cfg(feature = "client")]
pub mod conformance;
pub mod dates;
pub mod domain;
pub mod engine;
pub mod error;
pub mod intent;
pub mod jws_header;
pub mod model;
pub mod operation;
pub mod outcome;
pub mod paging;
pub mod paths;
pub mod query;
pub mod reconcile;
pub mod request;
pub mod response;
pub mod retry;
pub mod routes;
#[cfg(feature = "xlsx")]
pub mod sheet;
pub mod statement;
pub mod walk;

#[cfg(feature = "client")]
pub mod api;
#[cfg(feature = "client")]
pub mod auth;
pub mod checkpoint;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod config;
#[cfg(feature = "client")]
pub mod keys;
#[cfg(feature = "client")]
pub mod log;
#[cfg(feature = "client")]
pub mod outbox;
#[cfg(feature = "client")]
pub mod signing;
#[cfg(feature = "client")]
pub mod transport;
#[cfg(feature = "client")]
pub mod watch;

pub use domain::amount::Amount;
pub use error::{Error, ErrorKind, Result};
