//! # opcorp — OP Corporate Banking APIs from Rust
//!
//! The core of the opcorp SDK: an authenticated client for OP's corporate APIs (Account Data,
//! Payment, Refund, Transaction Filter, Transaction Info, Service Provider) over mTLS + OAuth2,
//! detached-JWS request signing, real-time payment detection and reconciliation, and the Finnish
//! domain toolkit (reference numbers, RF references, IBANs, amounts, virtual bank barcodes).
//!
//! Every binding (Python, Node.js, C, WebAssembly) is a thin layer over this crate.
#![forbid(unsafe_code)]

pub mod domain;
pub mod error;
pub mod model;
pub mod paging;
pub mod reconcile;
pub mod response;
pub mod retry;

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
pub mod signing;
#[cfg(feature = "client")]
pub mod transport;
#[cfg(feature = "client")]
pub mod watch;

pub use domain::amount::Amount;
pub use error::{Error, ErrorKind, Result};
