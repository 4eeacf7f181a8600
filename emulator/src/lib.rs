//! opcorp-emulator: a local imitation of OP's Corporate Banking APIs for tests and
//! development.
//!
//! It serves the OP surface over HTTPS with mandatory client certificates (its own CA),
//! OAuth2 client-credentials tokens bound to the client's certificate, every corporate API
//! (see [`bank`]), and a separate plain-HTTP admin API for fault injection, simulated
//! incoming payments, onboarding and inspection. It is an independent implementation of
//! OP's side and shares no code with the `opcorp` SDK. Choices made where OP's
//! documentation is silent are listed in `ASSUMPTIONS.md`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), opcorp_emulator::EmulatorError> {
//! let emulator = opcorp_emulator::start(opcorp_emulator::EmulatorConfig::default()).await?;
//! for (name, value) in emulator.identity().env_vars(&emulator.base_url()) {
//!     println!("{name}={value}");
//! }
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

mod admin;
pub mod bank;
mod banner;
mod cli;
mod clients;
mod config;
mod counters;
mod emulator;
mod error;
mod faults;
mod identity;
mod op;
mod outage;
mod shared;
mod tls;
pub mod witness;

pub use admin::Admin;
pub use admin::scenario::{Scenario, ScenarioEvent};
pub use bank::{
    AccountSummary, BookedTransaction, IncomingPayment, LedgerEntry, MANDATE_HEADER,
    MandateSummary, MissingEndToEndId, NewMandate, ObjectIdAnchors, Quirks, Route,
    UnstructuredAddresses,
};
pub use cli::{Args, run};
pub use config::EmulatorConfig;
pub use counters::Counters;
pub use emulator::{Emulator, start};
pub use error::EmulatorError;
pub use faults::{Fault, FaultKind};
pub use identity::{ClientIdentity, IdentityFiles};
