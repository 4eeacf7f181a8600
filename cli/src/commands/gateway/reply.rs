//! JSON answers: `{"error", "code", "message", "requestId"?, "instructionId"?}` for every
//! refusal and failure, so a browser tool (or opcorp-wasm, which reads `code` back into the
//! same error kind) always gets a clear reason.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use opcorp::{Error, ErrorKind};
use serde_json::{Value, json};

/// A refusal or failure on its way to the caller.
#[derive(Debug)]
pub struct Failure {
    /// HTTP status.
    pub status: StatusCode,
    /// Short snake_case reason, also the audit outcome.
    pub reason: String,
    /// Core's stable error code.
    pub code: &'static str,
    /// Human-readable message (never secrets).
    pub message: String,
    /// The bank's request id, for forwarded calls.
    pub request_id: Option<String>,
    /// The pending payment of an unknown outcome.
    pub instruction_id: Option<String>,
    /// Seconds to wait, for 429.
    pub retry_after: Option<u64>,
}

impl Failure {
    /// A refusal by the gateway itself.
    pub fn refuse(
        status: StatusCode,
        reason: &str,
        kind: ErrorKind,
        message: impl Into<String>,
    ) -> Self {
        Failure {
            status,
            reason: reason.to_owned(),
            code: kind.code(),
            message: message.into(),
            request_id: None,
            instruction_id: None,
            retry_after: None,
        }
    }

    /// A core error from a forwarded call.
    pub fn from_core(err: &Error) -> Self {
        Failure {
            status: status_of(err.kind()),
            reason: err.code().to_ascii_lowercase(),
            code: err.code(),
            message: err.message().to_owned(),
            request_id: err.request_id().map(str::to_owned),
            instruction_id: err.pending().map(|p| p.id.clone()),
            retry_after: err.retry_after().map(|d| d.as_secs().max(1)),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "error": self.reason,
            "code": self.code,
            "message": self.message,
        });
        if let Some(id) = &self.request_id {
            body["requestId"] = Value::String(id.clone());
        }
        if let Some(id) = &self.instruction_id {
            body["instructionId"] = Value::String(id.clone());
        }
        body
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The status a forwarded call's error is answered with. Problems between the gateway and
/// the bank (its credentials, TLS, the network, the bank failing) are 502/504, so a browser
/// never mistakes them for a problem with its own key. Exhaustive: a new kind must be placed.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
        ErrorKind::Rejected | ErrorKind::PayeeMismatch => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Timeout | ErrorKind::UnknownOutcome => StatusCode::GATEWAY_TIMEOUT,
        ErrorKind::Auth
        | ErrorKind::Tls
        | ErrorKind::Network
        | ErrorKind::Server
        | ErrorKind::Decode
        | ErrorKind::Signature
        | ErrorKind::ClockSkew => StatusCode::BAD_GATEWAY,
        ErrorKind::Config => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_an_error_status_and_keeps_its_code() {
        for kind in ErrorKind::ALL {
            let failure = Failure::from_core(&Error::new(kind, "x"));
            assert!(failure.status.as_u16() >= 400, "{kind:?}");
            assert_eq!(failure.body()["code"], kind.code());
        }
    }
}
