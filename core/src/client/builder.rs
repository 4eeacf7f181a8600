//! [`ClientBuilder`]: every client setting, its defaults, and the checks `build()` runs.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use zeroize::Zeroizing;

use super::{Client, Inner, Signing};
use crate::auth::identity::TlsIdentity;
use crate::auth::token::TokenCache;
use crate::config::{self, ApiPaths, Environment, PemSource, env};
use crate::error::{Error, Result};
use crate::model::{AddressRules, PayeeCheck};
use crate::retry::{RetryBudget, RetryPolicy};
use crate::signing::SigningKey;
use crate::transport::{DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_RESPONSE_BYTES, Http};

/// Default deadline for establishing a connection (TCP + TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default deadline between two reads of a response.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default deadline for one attempt, from connecting to the last body byte.
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest accepted connection cap: far above any bank's tolerance, and inside what a
/// semaphore can count.
pub const MAX_CONNECTIONS_LIMIT: usize = 4096;
/// Default time before token expiry at which the token is refreshed.
pub const DEFAULT_TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Where the request-signing key comes from.
enum SigningSource {
    Key(SigningKey),
    Pem(PemSource),
}

/// Configures and builds a [`Client`]. Obtain one with [`Client::builder`] or
/// [`ClientBuilder::from_env`].
pub struct ClientBuilder {
    environment: Environment,
    client_id: Option<String>,
    client_secret: Option<Zeroizing<String>>,
    certificate: Option<PemSource>,
    private_key: Option<PemSource>,
    ca_certificate: Option<PemSource>,
    signing_key: Option<SigningSource>,
    signing_kid: Option<String>,
    paths: ApiPaths,
    retry_policy: RetryPolicy,
    retry_budget_capacity: Option<u32>,
    connect_timeout: Duration,
    read_timeout: Duration,
    total_timeout: Duration,
    call_timeout: Option<Duration>,
    max_response_bytes: u64,
    max_connections: usize,
    token_refresh_margin: Duration,
    proxy: Option<String>,
    payee_check: PayeeCheck,
    address_rules: AddressRules,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            environment: Environment::Production,
            client_id: None,
            client_secret: None,
            certificate: None,
            private_key: None,
            ca_certificate: None,
            signing_key: None,
            signing_kid: None,
            paths: ApiPaths::default(),
            payee_check: PayeeCheck::Skip,
            address_rules: AddressRules::Rulebook,
            retry_policy: RetryPolicy::default(),
            retry_budget_capacity: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            total_timeout: DEFAULT_TOTAL_TIMEOUT,
            call_timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            token_refresh_margin: DEFAULT_TOKEN_REFRESH_MARGIN,
            proxy: None,
        }
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |set: bool| if set { "[REDACTED]" } else { "None" };
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("client_id", &self.client_id)
            .field("client_secret", &redacted(self.client_secret.is_some()))
            .field("certificate", &self.certificate)
            .field("private_key", &self.private_key)
            .field("ca_certificate", &self.ca_certificate)
            .field("signing_key", &redacted(self.signing_key.is_some()))
            .field("signing_kid", &self.signing_kid)
            .field("paths", &self.paths)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("call_timeout", &self.call_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_connections", &self.max_connections)
            .field("token_refresh_margin", &self.token_refresh_margin)
            .field("proxy", &self.proxy.as_ref().map(|_| "[REDACTED]"))
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder preset from the `OPCORP_*` environment variables; call more setters to
    /// override, then [`build`](Self::build).
    pub fn from_env() -> Result<ClientBuilder> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), but reads the variables through `lookup` (a
    /// dotenv map, a secrets manager…). Empty values count as unset.
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut builder = ClientBuilder {
            environment: Environment::resolve(
                var(env::ENV).as_deref(),
                var(env::BASE_URL).as_deref(),
            )?,
            ..ClientBuilder::default()
        };
        builder.client_id = var(env::CLIENT_ID);
        builder.client_secret = var(env::CLIENT_SECRET).map(Zeroizing::new);
        let pem = |name: &str| var(name).map(|v| PemSource::from_env_value(name, &v));
        builder.certificate = pem(env::CERT);
        builder.private_key = pem(env::KEY);
        builder.ca_certificate = pem(env::CA);
        builder.signing_key = pem(env::SIGNING_KEY).map(SigningSource::Pem);
        builder.signing_kid = var(env::SIGNING_KID);
        if let Some(policy) = var(env::PAYEE_CHECK) {
            builder.payee_check = PayeeCheck::parse(&policy)
                .map_err(|e| Error::config(format!("{}: {}", env::PAYEE_CHECK, e.message())))?;
        }
        if let Some(rules) = var(env::ADDRESS_RULES) {
            builder.address_rules = AddressRules::parse(&rules)
                .map_err(|e| Error::config(format!("{}: {}", env::ADDRESS_RULES, e.message())))?;
        }
        if let Some(max) = var(env::MAX_CONNECTIONS) {
            builder.max_connections = max.trim().parse().map_err(|_| {
                Error::config(format!(
                    "{}: expected a positive whole number, got {max:?}",
                    env::MAX_CONNECTIONS
                ))
            })?;
        }
        Ok(builder)
    }

    /// Which OP installation to use (default: production).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Shorthand for `environment(Environment::Custom(url))`, e.g. the emulator's URL.
    pub fn base_url(self, url: &str) -> Self {
        self.environment(Environment::Custom(url.to_owned()))
    }

    /// OAuth2 client id from OP API Admin.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// OAuth2 client secret from OP API Admin (kept zeroizing, never printed).
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(Zeroizing::new(secret.into()));
        self
    }

    /// The mTLS client certificate (chain, leaf first) as PEM bytes.
    pub fn certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.certificate = Some(PemSource::inline("certificate_pem", pem.as_ref()));
        self
    }

    /// The mTLS client certificate (chain, leaf first) as a PEM file, read by `build()`.
    pub fn certificate_file(mut self, path: impl AsRef<Path>) -> Self {
        self.certificate = Some(PemSource::File(path.as_ref().to_path_buf()));
        self
    }

    /// The mTLS private key (PKCS#8, PKCS#1 or SEC1, unencrypted) as PEM bytes.
    pub fn private_key_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.private_key = Some(PemSource::inline("private_key_pem", pem.as_ref()));
        self
    }

    /// The mTLS private key as a PEM file, read by `build()`.
    pub fn private_key_file(mut self, path: impl AsRef<Path>) -> Self {
        self.private_key = Some(PemSource::File(path.as_ref().to_path_buf()));
        self
    }

    /// An extra trusted CA for the server certificate (added to the `webpki-roots` set),
    /// e.g. the emulator's CA. There is deliberately no way to skip server verification.
    pub fn ca_certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.ca_certificate = Some(PemSource::inline("ca_certificate_pem", pem.as_ref()));
        self
    }

    /// An extra trusted CA as a PEM file, read by `build()`.
    pub fn ca_certificate_file(mut self, path: impl AsRef<Path>) -> Self {
        self.ca_certificate = Some(PemSource::File(path.as_ref().to_path_buf()));
        self
    }

    /// The key that signs payment and refund bodies.
    pub fn signing_key(mut self, key: SigningKey) -> Self {
        self.signing_key = Some(SigningSource::Key(key));
        self
    }

    /// The signing key as PEM bytes, parsed by `build()`.
    pub fn signing_key_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.signing_key = Some(SigningSource::Pem(PemSource::inline(
            "signing_key_pem",
            pem.as_ref(),
        )));
        self
    }

    /// The signing key as a PEM file, read by `build()`.
    pub fn signing_key_file(mut self, path: impl AsRef<Path>) -> Self {
        self.signing_key = Some(SigningSource::Pem(PemSource::File(
            path.as_ref().to_path_buf(),
        )));
        self
    }

    /// The signing key's id (`kid`) from OP API Admin.
    pub fn signing_kid(mut self, kid: impl Into<String>) -> Self {
        self.signing_kid = Some(kid.into());
        self
    }

    /// API paths and versions (default: [`ApiPaths::default`]).
    pub fn paths(mut self, paths: ApiPaths) -> Self {
        self.paths = paths;
        self
    }

    /// The Verification of Payee policy every payment follows unless the call overrides it
    /// (default: [`PayeeCheck::Skip`]).
    pub fn payee_check(mut self, policy: PayeeCheck) -> Self {
        self.payee_check = policy;
        self
    }

    /// Whether payments may carry addresses given only as free lines (default:
    /// [`AddressRules::Rulebook`], which refuses them as the EPC rulebooks do from
    /// November 2026). [`AddressRules::AllowUnstructured`] is the explicit opt-in for a bank
    /// that still accepts them.
    pub fn address_rules(mut self, rules: AddressRules) -> Self {
        self.address_rules = rules;
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Capacity of the per-client retry budget (default: [`RetryBudget::default`]). Each
    /// retry withdraws tokens and each success returns some, so an outage cannot become a
    /// retry storm.
    pub fn retry_budget_capacity(mut self, capacity: u32) -> Self {
        self.retry_budget_capacity = Some(capacity);
        self
    }

    /// Deadline for establishing a connection, TLS included (default 10 s). Zero is refused
    /// by [`build`](Self::build): a zero deadline is always a `CONFIG` error.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Deadline between two reads of a response (default 30 s); zero is refused by `build`.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Deadline for one attempt, from connecting to the last body byte (default 60 s).
    /// Retries get their own deadline. Zero is refused by `build`.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// Largest accepted response body (default 16 MiB).
    pub fn max_response_bytes(mut self, max: u64) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// Deadline for a whole call: every attempt, backoff and `Retry-After` wait included
    /// (default: none, so a call may take up to `max_attempts` total timeouts plus backoff).
    /// No retry starts that could not finish in time, and an attempt gets only what is left.
    /// A payment cut by it ends like any other interrupted one: `UNKNOWN_OUTCOME` with its
    /// pending operation, never a second booking. Zero is refused by `build`.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// At most this many requests (busy connections) to the bank at once, for this client
    /// and all its clones (default [`DEFAULT_MAX_CONNECTIONS`]); further requests wait for
    /// a free one. Outside `1..=`[`MAX_CONNECTIONS_LIMIT`] it is a `CONFIG` error at
    /// [`build`](Self::build).
    pub fn max_connections(mut self, max: usize) -> Self {
        self.max_connections = max;
        self
    }

    /// How long before expiry the access token is refreshed (default 60 s; never more than
    /// half the token's lifetime).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// An explicit proxy for every request (`NO_PROXY` still applies). Without it,
    /// `HTTPS_PROXY`/`NO_PROXY` from the environment are honoured.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Checks everything and builds the client: the base URL (https, or http only on
    /// loopback), the certificate and key (readable, matching, currently valid; a warning if
    /// the certificate expires within 30 days), the signing key, and the TLS setup.
    pub fn build(self) -> Result<Client> {
        crate::log::init_from_env()?;
        let url = self.environment.validated_url()?;
        crate::engine::check_timeouts(&[
            ("connect timeout", self.connect_timeout),
            ("read timeout", self.read_timeout),
            ("total timeout", self.total_timeout),
            ("call timeout", self.call_timeout.unwrap_or(Duration::MAX)),
        ])?;
        if !(1..=MAX_CONNECTIONS_LIMIT).contains(&self.max_connections) {
            return Err(Error::config(format!(
                "max connections must be 1..={MAX_CONNECTIONS_LIMIT}, got {} (leave it unset \
                 to keep the default)",
                self.max_connections
            )));
        }
        let client_id = self
            .client_id
            .ok_or_else(|| missing("client id", "client_id", env::CLIENT_ID))?;
        let client_secret = self
            .client_secret
            .ok_or_else(|| missing("client secret", "client_secret", env::CLIENT_SECRET))?;
        let certificate = self.certificate.ok_or_else(|| {
            missing(
                "client certificate",
                "certificate_pem/certificate_file",
                env::CERT,
            )
        })?;
        let private_key = self.private_key.ok_or_else(|| {
            missing(
                "client private key",
                "private_key_pem/private_key_file",
                env::KEY,
            )
        })?;
        super::acting::check_header_name(&self.paths.mandate_header)?;
        let identity = TlsIdentity::load(&certificate, &private_key)?;
        let tls = identity.rustls_config(self.ca_certificate.as_ref())?;
        let signing = signing(self.signing_key, self.signing_kid)?;

        let mut http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .timeout(self.total_timeout)
            .pool_max_idle_per_host(self.max_connections)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("opcorp/", env!("CARGO_PKG_VERSION")));
        if let Some(proxy) = &self.proxy {
            let proxy = reqwest::Proxy::all(proxy.as_str())
                .map_err(|e| Error::config(format!("invalid proxy URL: {e}")))?
                .no_proxy(reqwest::NoProxy::from_env());
            http = http.proxy(proxy);
        } else if config::is_loopback(&url) {
            // HTTPS_PROXY must never capture calls to a local emulator or gateway.
            http = http.no_proxy();
        }
        let http = http
            .build()
            .map_err(|e| Error::config(format!("HTTP client setup failed: {e}")).with_source(e))?;

        let retry_budget = match self.retry_budget_capacity {
            Some(capacity) => RetryBudget::new(capacity),
            None => RetryBudget::default(),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http: Http::new(http, self.max_connections, self.total_timeout),
                environment: self.environment,
                base_url: url.as_str().trim_end_matches('/').to_owned(),
                paths: self.paths,
                payee_check: self.payee_check,
                address_rules: self.address_rules,
                client_id,
                client_secret,
                signing,
                retry_policy: self.retry_policy,
                retry_budget,
                bank_clock: crate::engine::BankClock::default(),
                tokens: TokenCache::new(self.token_refresh_margin),
                max_response_bytes: self.max_response_bytes,
                call_timeout: self.call_timeout,
                learned: Default::default(),
            }),
            acting_for: None,
        })
    }
}

/// The Config error for a missing required setting.
fn missing(what: &str, setter: &str, var: &str) -> Error {
    Error::config(format!(
        "missing {what}: set it with ClientBuilder::{setter} or the {var} environment variable"
    ))
}

/// Parses the signing key; a key without a `kid` (or the reverse) is a Config error.
fn signing(key: Option<SigningSource>, kid: Option<String>) -> Result<Option<Signing>> {
    let key = match key {
        None if kid.is_some() => {
            return Err(Error::config(format!(
                "a signing kid is set but no signing key (ClientBuilder::signing_key_file or {})",
                env::SIGNING_KEY
            )));
        }
        None => return Ok(None),
        Some(SigningSource::Key(key)) => key,
        Some(SigningSource::Pem(source)) => {
            let pem = source.read("signing key")?;
            let text = std::str::from_utf8(&pem).map_err(|_| {
                Error::config(format!(
                    "signing key ({}) is not UTF-8 PEM",
                    source.describe()
                ))
            })?;
            SigningKey::from_pem(text).map_err(|e| {
                Error::config(format!(
                    "signing key ({}) is not usable: {}",
                    source.describe(),
                    e.message()
                ))
            })?
        }
    };
    let kid = kid.ok_or_else(|| missing("signing key id", "signing_kid", env::SIGNING_KID))?;
    Ok(Some(Signing { key, kid }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn a_zero_timeout_is_a_config_error() {
        for builder in [
            Client::builder().connect_timeout(Duration::ZERO),
            Client::builder().read_timeout(Duration::ZERO),
            Client::builder().total_timeout(Duration::ZERO),
            Client::builder().call_timeout(Duration::ZERO),
        ] {
            let err = builder.build().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Config);
            assert!(err.message().contains("must be positive"), "{err}");
        }
        // Unset timeouts keep their defaults: the first error is the missing credential.
        let err = Client::builder().build().unwrap_err();
        assert!(err.message().contains("client id"), "{err}");
    }

    #[test]
    fn the_connection_cap_comes_from_the_environment_and_zero_is_refused() {
        let lookup = |value: &'static str| {
            move |name: &str| (name == env::MAX_CONNECTIONS).then(|| value.to_owned())
        };
        let builder = ClientBuilder::from_env_with(lookup(" 8 ")).unwrap();
        assert_eq!(builder.max_connections, 8);
        for bad in ["eight", "-1", "1.5"] {
            let err = ClientBuilder::from_env_with(lookup(bad)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Config);
            assert!(err.message().contains(env::MAX_CONNECTIONS), "{err}");
        }
        for out_of_range in ["0", "4097", "18446744073709551615"] {
            let builder = ClientBuilder::from_env_with(lookup(out_of_range)).unwrap();
            let err = builder.build().unwrap_err();
            assert!(err.message().contains("max connections"), "{err}");
        }
    }
}
