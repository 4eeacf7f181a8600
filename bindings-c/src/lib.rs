//! # opcorp-c — the C ABI of the opcorp SDK
//!
//! `libopcorp` (shared and static) and `include/opcorp.h` for C and C++ programs such as
//! legacy ERP modules. Every function here only converts between C and the `opcorp` crate:
//! the logic lives in core.
//!
//! Rules every exported function follows (design.md §4): the body runs inside
//! [`guard::call`] (a `catch_unwind` boundary), NULL and invalid UTF-8 become
//! `OPCORP_INVALID_INPUT`, results go through out-parameters, failures are recorded in a
//! thread-local last error, and every owned result has its own `opcorp_*_free` that accepts
//! NULL. Blocking calls run on one lazily created, process-wide tokio runtime.
#![allow(non_camel_case_types)]

mod accounts;
mod cfg;
mod client;
mod conformance;
mod cursor;
mod error;
mod filter;
mod guard;
mod keys;
mod log;
mod outbox;
mod payment;
mod pending;
mod reconcile;
mod record;
mod refund;
mod response;
mod runtime;
mod sheet;
mod sigpipe;
mod status;
mod strings;
mod toolkit;
mod verify;
mod watch;
mod watch_store;

#[cfg(test)]
mod header;
