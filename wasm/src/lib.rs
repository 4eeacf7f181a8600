//! # opcorp-wasm — opcorp for browsers and edge runtimes
//!
//! The pure half of the opcorp SDK compiled to WebAssembly: the Finnish banking toolkit
//! (references, RF, IBAN/BIC, amounts, virtual barcodes), reconciliation, lossless parsing of
//! OP's JSON, and a [`Client`](client::Client) whose HTTP transport the host supplies as a JS
//! function. A browser cannot present a client certificate and must never hold the client
//! secret, so in a browser that transport calls `opcorp gateway`, which holds the credentials;
//! an edge runtime whose `fetch` can present a client certificate can call OP directly.
//!
//! All logic lives in core (`opcorp` built without its `client` feature: no tokio, no HTTP
//! stack, no private-key crypto); this crate only converts between JS and Rust.

// The client needs the host's JS functions and runs on one thread; natively (workspace
// builds, clippy) it is left out, and wasm/test.sh builds and tests it for wasm32.
#[cfg(target_arch = "wasm32")]
mod client;
mod error;
mod json;
mod models;
#[cfg(target_arch = "wasm32")]
mod outbox;
mod reconcile;
mod toolkit;
#[cfg(target_arch = "wasm32")]
mod transport;
mod types;
