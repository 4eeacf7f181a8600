//! OP-style JSON responses and errors: `{"status":<int>,"error":"<code>","message":"<text>"}`.
//!
//! OP's real error body is not public (op-api.md §12); this shape is the emulator's choice.

use serde_json::{Value, json};

use super::Response;

/// A JSON response with the given status.
pub(crate) fn json_response(status: u16, value: &Value, committed: bool) -> Response {
    Response {
        status,
        body: serde_json::to_vec(value).unwrap_or_default(),
        committed,
    }
}

/// An OP-style error response.
pub(crate) fn error(status: u16, code: &str, message: impl Into<String>) -> Response {
    let value = json!({ "status": status, "error": code, "message": message.into() });
    json_response(status, &value, false)
}

/// 400 `invalid_request` with a message naming the problem.
pub(crate) fn invalid(message: impl Into<String>) -> Response {
    error(400, "invalid_request", message)
}

/// 404 `not_found`.
pub(crate) fn not_found(message: impl Into<String>) -> Response {
    error(404, "not_found", message)
}

/// 403 `forbidden`.
pub(crate) fn forbidden(message: impl Into<String>) -> Response {
    error(403, "forbidden", message)
}
