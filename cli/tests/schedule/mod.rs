//! The randomised fault-and-crash schedule of reliability.md's "no payment is sent twice,
//! none silently lost" (see `outbox.rs`).

pub mod kill;
pub mod oracle;
pub mod plan;
pub mod worker;
