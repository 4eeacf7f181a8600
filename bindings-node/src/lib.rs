//! The native addon behind `require('opcorp')`.
//!
//! A thin napi-rs layer over the `opcorp` core crate (design.md §4): arguments are converted
//! into owned core values, calls run on one process-wide tokio runtime and settle JS
//! promises, failures become JS `Error` objects with `.code`, `.status` and `.requestId`.
//! Models cross as JSON text that the JS layer (`index.js`) parses. No banking logic lives
//! here.

pub mod client;
pub mod config;
pub mod conformance;
pub mod errors;
pub mod input;
pub mod log;
pub mod outbox;
pub mod reconcile;
pub mod runtime;
pub mod sheet;
pub mod toolkit;
pub mod transactions;
pub mod watch;

/// The version of the binding (and of the core it was built with).
#[napi_derive::napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
