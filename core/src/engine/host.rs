//! What the engine needs from its host: the [`Transport`], the [`Host`] services, the
//! [`Auth`] token source and the [`Signer`].

use std::borrow::Cow;
use std::future::Future;
use std::time::{Duration, SystemTime};

use crate::error::{ErrorKind, Result};
use crate::request::{Headers, Method};

/// `Send` on native targets, where futures move between tokio worker threads; nothing on
/// wasm32, where the host's JS values are not `Send` and everything runs on one thread.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}

/// `Send` on native targets, where futures move between tokio worker threads; nothing on
/// wasm32, where the host's JS values are not `Send` and everything runs on one thread.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// One attempt as the engine hands it to the transport.
#[derive(Debug)]
pub struct Attempt<'a> {
    /// HTTP method.
    pub method: Method,
    /// Full URL: base URL, path and encoded query.
    pub url: String,
    /// Request headers (`X-Request-ID`, `Accept`, `Authorization`, `Content-Type`,
    /// `X-Req-Signature` as they apply). The `Authorization` value is a secret: a transport
    /// must not log it.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// Body bytes, sent exactly.
    pub body: Option<&'a [u8]>,
    /// Larger answers are refused ([`Failure::oversized`]) without reading them whole.
    pub max_response_bytes: u64,
    /// What is left of the call's deadline ([`super::Engine::call_timeout`]): the attempt
    /// must end by then. `None` when the call has no deadline of its own.
    pub timeout: Option<Duration>,
}

/// An answer of any status, read in full.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: Headers,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// Why an attempt produced no full answer.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The kind of the final error if nothing better comes along (`Tls` is final; `Timeout`
    /// and `Network` may be retried; `Decode` for a truncated or oversized body).
    pub kind: ErrorKind,
    /// Nothing reached the server (the connection was never established).
    pub before_send: bool,
    /// A deadline passed (retries of timeouts cost more budget).
    pub timed_out: bool,
    /// The answer was larger than the size cap: final, and ambiguous for a signed write.
    pub oversized: bool,
    /// The status, when the server answered before the failure.
    pub status: Option<u16>,
    /// A description without secrets (no headers, no body).
    pub message: String,
}

impl Failure {
    /// A failure of `kind` with `message`, after the request may have been sent.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            before_send: false,
            timed_out: kind == ErrorKind::Timeout,
            oversized: false,
            status: None,
            message: message.into(),
        }
    }

    /// An answer over the size cap.
    pub fn oversized(status: u16, max: u64) -> Self {
        Failure {
            oversized: true,
            status: Some(status),
            ..Failure::new(
                ErrorKind::Decode,
                format!("response exceeds the {max} byte size cap"),
            )
        }
    }
}

/// Sends one attempt and reads its answer in full (under the size cap).
pub trait Transport {
    /// Sends `attempt`; `Err` when no complete answer arrived.
    fn send(
        &self,
        attempt: Attempt<'_>,
    ) -> impl Future<Output = std::result::Result<Answer, Failure>> + MaybeSend;
}

/// Clock, randomness, sleeping and request ids, from the host.
pub trait Host {
    /// The wall clock (for `Retry-After` dates and signature times).
    fn now(&self) -> SystemTime;
    /// A uniformly distributed number in `[0, 1)` (backoff jitter).
    fn random(&self) -> f64;
    /// A fresh UUIDv4 (request ids, generated instruction ids).
    fn uuid(&self) -> String;
    /// Waits `delay`.
    fn sleep(&self, delay: Duration) -> impl Future<Output = ()> + MaybeSend;
}

/// A bearer token the engine puts in `Authorization`.
pub trait BearerToken {
    /// The token, or `None` to send no `Authorization` header.
    fn secret(&self) -> Option<&str>;
    /// Which fetch produced it, so a 401 refreshes that token only.
    fn generation(&self) -> u64;
}

/// Where tokens come from.
pub trait Auth {
    /// The token type.
    type Token: BearerToken + MaybeSend;
    /// A valid token (cached or fetched).
    fn token(&self) -> impl Future<Output = Result<Self::Token>> + MaybeSend;
    /// A fresh token replacing the refused one of `generation`; `None` when this source
    /// cannot refresh (the 401 is then final).
    fn refresh_rejected(
        &self,
        generation: u64,
    ) -> impl Future<Output = Result<Option<Self::Token>>> + MaybeSend;
}

/// No token: the host's transport authenticates (a gateway key, an edge runtime's own
/// OAuth). A 401 is final.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

/// The token of [`NoAuth`].
#[derive(Debug, Clone, Copy)]
pub struct NoToken;

impl BearerToken for NoToken {
    fn secret(&self) -> Option<&str> {
        None
    }
    fn generation(&self) -> u64 {
        0
    }
}

impl Auth for NoAuth {
    type Token = NoToken;
    async fn token(&self) -> Result<NoToken> {
        Ok(NoToken)
    }
    async fn refresh_rejected(&self, _generation: u64) -> Result<Option<NoToken>> {
        Ok(None)
    }
}

/// Produces the detached JWS (`X-Req-Signature`) over a body.
pub trait Signer {
    /// Signs `body` with `iat` (seconds since the epoch).
    fn sign(&self, body: &[u8], iat: i64) -> Result<String>;
}

/// How the engine treats signed writes.
#[derive(Clone, Copy)]
pub enum Signing<'a> {
    /// Sign here with this key.
    Key(&'a (dyn Signer + Sync)),
    /// The next hop signs (a gateway holding the key): send the same bytes unsigned.
    Delegated,
    /// No key configured: signed writes are a configuration error.
    Missing,
}
