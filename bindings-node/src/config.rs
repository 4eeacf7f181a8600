//! Client settings from a JS options object, applied to core's `ClientBuilder`.

use std::time::Duration;

use napi::Either;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use opcorp::client::{Client, ClientBuilder};
use opcorp::config::Environment;
use opcorp::model::AddressRules;

/// Settings for `new Client(options)` and `Client.fromEnv(overrides)`. PEM values may be
/// strings or Buffers; timeouts are milliseconds.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    /// Base URL of the API (e.g. the local emulator); overrides the host of `environment`
    /// (core's `Environment::resolve`: production still refuses `http://`).
    pub base_url: Option<String>,
    /// `"production"` (default), `"sandbox"` or `"custom"` (needs `baseUrl`).
    pub environment: Option<String>,
    /// OAuth2 client id.
    pub client_id: Option<String>,
    /// OAuth2 client secret (never logged or shown in errors).
    pub client_secret: Option<String>,
    /// mTLS client certificate (PEM).
    pub certificate_pem: Option<Either<String, Buffer>>,
    /// Path of the mTLS client certificate.
    pub certificate_file: Option<String>,
    /// mTLS private key (PEM).
    pub private_key_pem: Option<Either<String, Buffer>>,
    /// Path of the mTLS private key.
    pub private_key_file: Option<String>,
    /// Extra CA certificate to trust (PEM), e.g. the emulator's.
    pub ca_certificate_pem: Option<Either<String, Buffer>>,
    /// Path of an extra CA certificate.
    pub ca_certificate_file: Option<String>,
    /// RSA key that signs payments and refunds (PEM).
    pub signing_key_pem: Option<Either<String, Buffer>>,
    /// Path of the signing key.
    pub signing_key_file: Option<String>,
    /// The signing key's `kid` from OP API Admin.
    pub signing_kid: Option<String>,
    /// TCP + TLS connect deadline in milliseconds.
    pub connect_timeout_ms: Option<u32>,
    /// Deadline for each read in milliseconds.
    pub read_timeout_ms: Option<u32>,
    /// Deadline for one attempt, connecting to the last body byte, in milliseconds.
    pub total_timeout_ms: Option<u32>,
    /// Deadline for a whole call, every retry and backoff included, in milliseconds
    /// (default: none). A payment it cuts ends `UNKNOWN_OUTCOME`, never paid twice.
    pub call_timeout_ms: Option<u32>,
    /// Largest response body accepted, in bytes.
    pub max_response_bytes: Option<u32>,
    /// At most this many simultaneous requests (open sockets: within twice that) to the bank for this
    /// client (default 32); further requests wait for a free one.
    pub max_connections: Option<u32>,
    /// HTTPS proxy URL.
    pub proxy: Option<String>,
    /// Payment addresses: `"rulebook"` (default; structured or hybrid only, as the EPC
    /// rulebooks demand from November 2026) or `"allow_unstructured"` (lines only too).
    pub address_rules: Option<String>,
}

/// PEM bytes from a string or a Buffer.
fn pem(value: Either<String, Buffer>) -> Vec<u8> {
    match value {
        Either::A(text) => text.into_bytes(),
        Either::B(bytes) => bytes.to_vec(),
    }
}

/// Milliseconds as a duration; zero passes through to core, which refuses it (`CONFIG`).
fn millis(value: u32) -> Duration {
    Duration::from_millis(u64::from(value))
}

/// Builds a core client: from the `OPCORP_*` environment when `from_env`, then the options.
pub fn build_client(from_env: bool, options: Option<ClientOptions>) -> opcorp::Result<Client> {
    let mut builder = if from_env {
        ClientBuilder::from_env()?
    } else {
        Client::builder()
    };
    if let Some(options) = options {
        builder = apply(builder, options)?;
    }
    builder.build()
}

/// Applies every option that is set.
fn apply(mut b: ClientBuilder, o: ClientOptions) -> opcorp::Result<ClientBuilder> {
    if o.environment.is_some() || o.base_url.is_some() {
        b = b.environment(Environment::resolve(
            o.environment.as_deref(),
            o.base_url.as_deref(),
        )?);
    }
    if let Some(id) = o.client_id {
        b = b.client_id(id);
    }
    if let Some(secret) = o.client_secret {
        b = b.client_secret(secret);
    }
    if let Some(v) = o.certificate_pem {
        b = b.certificate_pem(pem(v));
    }
    if let Some(path) = o.certificate_file {
        b = b.certificate_file(path);
    }
    if let Some(v) = o.private_key_pem {
        b = b.private_key_pem(pem(v));
    }
    if let Some(path) = o.private_key_file {
        b = b.private_key_file(path);
    }
    if let Some(v) = o.ca_certificate_pem {
        b = b.ca_certificate_pem(pem(v));
    }
    if let Some(path) = o.ca_certificate_file {
        b = b.ca_certificate_file(path);
    }
    if let Some(v) = o.signing_key_pem {
        b = b.signing_key_pem(pem(v));
    }
    if let Some(path) = o.signing_key_file {
        b = b.signing_key_file(path);
    }
    if let Some(kid) = o.signing_kid {
        b = b.signing_kid(kid);
    }
    if let Some(ms) = o.connect_timeout_ms {
        b = b.connect_timeout(millis(ms));
    }
    if let Some(ms) = o.read_timeout_ms {
        b = b.read_timeout(millis(ms));
    }
    if let Some(ms) = o.total_timeout_ms {
        b = b.total_timeout(millis(ms));
    }
    if let Some(ms) = o.call_timeout_ms {
        b = b.call_timeout(millis(ms));
    }
    if let Some(max) = o.max_response_bytes {
        b = b.max_response_bytes(u64::from(max));
    }
    if let Some(max) = o.max_connections {
        b = b.max_connections(max as usize);
    }
    if let Some(proxy) = o.proxy {
        b = b.proxy(proxy);
    }
    if let Some(rules) = o.address_rules {
        b = b.address_rules(AddressRules::parse(&rules)?);
    }
    Ok(b)
}
