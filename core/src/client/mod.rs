//! The [`Client`]: a cheap-to-clone handle to one configured OP identity.
//!
//! All clones share one connection pool, one token cache and one retry budget, so a program
//! should build one client per identity and clone it into its tasks.

mod acting;
mod builder;
mod execute;

use std::sync::Arc;

use zeroize::Zeroizing;

pub use builder::ClientBuilder;

use crate::auth::token::{AccessToken, TokenCache};
use crate::config::{ApiPaths, Environment};
use crate::error::Result;
use crate::model::{AddressRules, PayeeCheck};
use crate::retry::{RetryBudget, RetryPolicy};
use crate::signing::SigningKey;

/// An authenticated client for OP's corporate APIs (mTLS + OAuth2).
///
/// `Client` is `Send + Sync` and cloning it is cheap (an `Arc`).
///
/// ```no_run
/// # async fn demo() -> opcorp::Result<()> {
/// let client = opcorp::client::Client::builder()
///     .environment(opcorp::config::Environment::Production)
///     .client_id("my-client-id")
///     .client_secret("my-client-secret")
///     .certificate_file("mtls.crt")
///     .private_key_file("mtls.key")
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    /// The mandate every call of this handle acts for ([`Client::acting_for`]).
    pub(crate) acting_for: Option<Arc<str>>,
}

/// The shared state behind every clone of a [`Client`].
pub(crate) struct Inner {
    /// reqwest with the rustls mTLS configuration and timeouts, and its connection cap.
    pub(crate) http: crate::transport::Http,
    /// The environment the client was built for.
    pub(crate) environment: Environment,
    /// Validated base URL without a trailing slash.
    pub(crate) base_url: String,
    /// API paths.
    pub(crate) paths: ApiPaths,
    /// Default Verification of Payee policy for payments.
    pub(crate) payee_check: PayeeCheck,
    /// Address rules for payments.
    pub(crate) address_rules: AddressRules,
    /// OAuth2 client id.
    pub(crate) client_id: String,
    /// OAuth2 client secret, wiped on drop.
    pub(crate) client_secret: Zeroizing<String>,
    /// Request-signing key and its `kid`, when payments/refunds are configured.
    pub(crate) signing: Option<Signing>,
    /// Retry policy shared by every call.
    pub(crate) retry_policy: RetryPolicy,
    /// Retry budget shared by every call of every clone.
    pub(crate) retry_budget: RetryBudget,
    /// The bank's clock offset learned by any call of any clone.
    pub(crate) bank_clock: crate::engine::BankClock,
    /// Cached access token.
    pub(crate) tokens: TokenCache,
    /// Response size cap in bytes.
    pub(crate) max_response_bytes: u64,
    /// Deadline for a whole call, retries included ([`ClientBuilder::call_timeout`]).
    pub(crate) call_timeout: Option<std::time::Duration>,
    /// What first contact taught the client (transactions version, paging anchors).
    pub(crate) learned: crate::paths::Learned,
}

/// The key that signs payment and refund bodies.
pub(crate) struct Signing {
    /// The RSA private key.
    pub(crate) key: SigningKey,
    /// Its key id from OP API Admin.
    pub(crate) kid: String,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Builds a client from `OPCORP_*` environment variables (see [`crate::config::env`]).
    /// `HTTPS_PROXY`/`NO_PROXY` are honoured; loopback hosts are never proxied.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?.build()
    }

    /// The API paths in use.
    pub fn paths(&self) -> &ApiPaths {
        &self.inner.paths
    }

    /// The Verification of Payee policy payments follow by default.
    pub fn payee_check(&self) -> PayeeCheck {
        self.inner.payee_check
    }

    /// The address rules payments follow by default.
    pub fn address_rules(&self) -> AddressRules {
        self.inner.address_rules
    }

    /// The environment the client talks to.
    pub fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    /// The base URL every path is appended to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Retry tokens currently left in this client's retry budget.
    pub fn retry_budget_available(&self) -> u32 {
        self.inner.retry_budget.available()
    }

    /// A valid access token, fetched over mTLS when none is cached (single flight).
    pub(crate) async fn token(&self) -> Result<Arc<AccessToken>> {
        let inner = &self.inner;
        inner
            .tokens
            .get(|| crate::auth::oauth::request_token(inner))
            .await
    }

    /// A fresh token replacing the refused token of generation `rejected`.
    pub(crate) async fn refresh_rejected_token(&self, rejected: u64) -> Result<Arc<AccessToken>> {
        let inner = &self.inner;
        inner
            .tokens
            .refresh_rejected(rejected, || crate::auth::oauth::request_token(inner))
            .await
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("environment", &inner.environment)
            .field("base_url", &inner.base_url)
            .field("client_id", &inner.client_id)
            .field("client_secret", &"[REDACTED]")
            .field("signing_kid", &inner.signing.as_ref().map(|s| &s.kid))
            .field("signing_key", &inner.signing.as_ref().map(|_| "[REDACTED]"))
            .field("acting_for", &self.acting_for)
            .field("paths", &inner.paths)
            .field("max_response_bytes", &inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::Client;

    #[test]
    fn client_is_a_cheap_shareable_handle() {
        fn assert_shareable<T: Send + Sync + Clone + 'static>() {}
        assert_shareable::<Client>();
    }
}
