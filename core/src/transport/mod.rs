//! The native transport: one [`Attempt`](crate::engine::Attempt) over reqwest with the
//! rustls mTLS configuration, its body read under the size cap, its failure classified.
//!
//! Everything above one attempt (tokens, signing, retries, the 401 rule, error mapping) is
//! the transport-independent [`crate::engine`]'s; [`crate::client::Client::execute`] wires
//! this transport, tokio and the OAuth token cache into it.

mod body;
pub(crate) mod failure;
mod native;
mod pool;

pub use body::DEFAULT_MAX_RESPONSE_BYTES;
pub(crate) use body::{BodyError, read_capped};
pub(crate) use native::{NativeHost, ReqwestTransport};
pub use pool::DEFAULT_MAX_CONNECTIONS;
pub(crate) use pool::Http;
