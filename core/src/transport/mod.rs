//! The HTTP layer under every API call: one request in, one response or one typed error out.
//!
//! [`crate::client::Client::execute`] (in `execute.rs`) adds the bearer token, a UUIDv4
//! `X-Request-ID`, the detached signature of signed writes, retries under the client's
//! [`crate::retry::RetryPolicy`] and retry budget, the one-refresh-one-replay rule for 401, the
//! response size cap, and the mapping of statuses to [`crate::ErrorKind`]s. API handlers only
//! describe the request and decode the response.

mod body;
mod execute;
pub(crate) mod failure;

pub use body::DEFAULT_MAX_RESPONSE_BYTES;
pub(crate) use body::decode_json;
pub(crate) use body::{BodyError, read_capped};

use crate::error::OperationKind;

/// One API call as a handler describes it.
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    /// HTTP method.
    pub method: reqwest::Method,
    /// Path below the base URL, starting with `/`, already percent-encoded.
    pub path: String,
    /// Query parameters (encoded by the transport).
    pub query: Vec<(&'static str, String)>,
    /// The exact JSON bytes to send; sent unchanged on every attempt.
    pub body: Option<Vec<u8>>,
    /// Present for payments and refunds: the body is signed and never altered on resend.
    pub signed: Option<SignedWrite>,
    /// A stable route name for logs (e.g. `"accounts"`, `"sepa_payment"`).
    pub route: &'static str,
}

impl ApiRequest {
    /// A GET of `path` with no query, for `route`.
    pub(crate) fn get(route: &'static str, path: impl Into<String>) -> Self {
        ApiRequest {
            method: reqwest::Method::GET,
            path: path.into(),
            query: Vec::new(),
            body: None,
            signed: None,
            route,
        }
    }
}

/// The identity of a signed write, for de-duplication and for
/// [`crate::error::PendingOperation`] when its outcome is unknown.
#[derive(Debug, Clone)]
pub(crate) struct SignedWrite {
    /// Which endpoint.
    pub kind: OperationKind,
    /// The `instructionId` (payments) or `archiveId` (refunds).
    pub id: String,
    /// Whether an earlier attempt of this operation may have reached the bank (a pending
    /// operation resolved again): then an "already done" answer means booked-or-unknown,
    /// never rejected ([`crate::outcome`]).
    pub resend: bool,
}

/// A 2xx response, body read in full (under the size cap).
#[derive(Debug, Clone)]
pub(crate) struct ApiResponse {
    /// HTTP status (2xx).
    pub status: u16,
    /// The `X-Request-ID` sent with the attempt that produced this response.
    pub request_id: String,
    /// Response headers.
    pub headers: reqwest::header::HeaderMap,
    /// Response body.
    pub body: bytes::Bytes,
}
