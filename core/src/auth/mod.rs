//! Who the client is to OP: the mTLS identity presented on every connection and the OAuth2
//! client-credentials token cached on top of it.

pub(crate) mod identity;
pub(crate) mod oauth;
pub mod token;
