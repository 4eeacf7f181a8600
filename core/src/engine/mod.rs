//! The transport-independent request engine: everything between an API handler's
//! [`ApiRequest`](crate::request::ApiRequest) and one HTTP attempt.
//!
//! [`execute`] adds the bearer token, a fresh `X-Request-ID` per attempt, the detached
//! signature of signed writes, retries under the [`RetryPolicy`] and [`RetryBudget`], the
//! one-refresh-one-replay rule for 401, the bank-clock correction of a signature's `iat`,
//! the response size cap, the status → [`ErrorKind`](crate::ErrorKind) mapping, and
//! `UNKNOWN_OUTCOME` with its pending operation. It needs three things from its host: a
//! [`Transport`] that sends one attempt, a [`Host`] for time, randomness and sleeping (wasm32
//! has no clock or sleep of its own), and an [`Auth`] that supplies tokens. The native client
//! plugs in reqwest/rustls, tokio and its OAuth token cache; the WebAssembly client plugs in
//! the host's JS function, `Date.now`/`setTimeout` and no token (its gateway holds it).

mod bank_clock;
mod execute;
mod host;
#[cfg(test)]
mod tests;

pub use bank_clock::BankClock;
pub use execute::execute;
#[cfg(feature = "client")]
pub(crate) use execute::retry_delay;
pub use host::{Answer, Attempt, Auth, BearerToken, Failure, Host, MaybeSend, NoAuth, NoToken};
pub use host::{Signer, Signing, Transport};

use std::time::Duration;

use crate::error::{Error, Result};
use crate::retry::{RetryBudget, RetryPolicy};

/// The one meaning of a zero timeout in every binding, the CLI and the WebAssembly client: a
/// `CONFIG` error naming the setting.
///
/// A zero deadline would fail every request at once, and "zero means no limit" or "zero
/// means the default" would each silently drop a safety limit the caller asked for; to keep
/// a default, do not set the timeout at all.
pub fn check_timeouts(timeouts: &[(&str, Duration)]) -> Result<()> {
    match timeouts.iter().find(|(_, t)| t.is_zero()) {
        Some((name, _)) => Err(Error::config(format!(
            "the {name} must be positive, got 0 (leave it unset to keep the default)"
        ))),
        None => Ok(()),
    }
}

/// What [`execute`] works with: the host's pieces plus the client's shared settings.
pub struct Engine<'a, T, H, A> {
    /// Sends one attempt.
    pub transport: &'a T,
    /// Time, randomness, sleeping and request ids.
    pub host: &'a H,
    /// Bearer tokens.
    pub auth: &'a A,
    /// How signed writes are signed.
    pub signing: Signing<'a>,
    /// Base URL without a trailing slash.
    pub base_url: &'a str,
    /// The retry policy.
    pub policy: &'a RetryPolicy,
    /// The client's retry budget, shared by every call.
    pub budget: &'a RetryBudget,
    /// The bank's clock offset this client learned, shared by every call.
    pub bank_clock: &'a BankClock,
    /// Response size cap in bytes.
    pub max_response_bytes: u64,
    /// The header that carries [`ApiRequest::acting_for`](crate::request::ApiRequest::acting_for).
    pub mandate_header: &'a str,
    /// Deadline for the whole call, every attempt and backoff included (`None`: only each
    /// attempt's own deadlines). No retry starts that could not finish before it, and each
    /// attempt is handed what is left ([`Attempt::timeout`]).
    pub call_timeout: Option<Duration>,
}
