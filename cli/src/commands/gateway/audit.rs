//! The audit log: one JSON line per request the gateway answers, forwarded or refused.
//!
//! A line names the route, the caller's origin, the outcome, the HTTP status, the bank's
//! request id and, for payments, the amount and `instructionId`. It never contains the
//! bearer key, tokens, the client secret, request bodies or account data.

use std::io::Write;
use std::sync::Mutex;

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One audit record.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord {
    /// HTTP method.
    pub method: String,
    /// Request path (no query string).
    pub path: String,
    /// The allowlisted route, when the path matched one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<&'static str>,
    /// The browser's `Origin`, if sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// `forwarded`, or the refusal reason (e.g. `unauthorized`, `payments_disabled`).
    pub outcome: String,
    /// The status the gateway answered.
    pub status: u16,
    /// The error code of a failed call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// The bank's `X-Request-ID` of a failed forwarded call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Payment amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// Payment `instructionId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instruction_id: Option<String>,
    /// Time spent answering, in milliseconds.
    pub duration_ms: u64,
}

/// Where audit lines go (a file opened for append, or stderr).
pub struct AuditLog {
    sink: Mutex<Box<dyn Write + Send>>,
}

impl AuditLog {
    /// Writes audit lines to `sink`.
    pub fn new(sink: Box<dyn Write + Send>) -> Self {
        AuditLog {
            sink: Mutex::new(sink),
        }
    }

    /// Appends one line with a UTC timestamp. A failing sink is reported on stderr once per
    /// failure; it never fails the request.
    pub fn record(&self, record: &AuditRecord) {
        let ts = OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default();
        let mut line = match serde_json::to_value(record) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return,
        };
        line.insert("ts".into(), serde_json::Value::String(ts));
        let text = serde_json::Value::Object(line).to_string();
        let Ok(mut sink) = self.sink.lock() else {
            return;
        };
        if let Err(e) = writeln!(sink, "{text}").and_then(|()| sink.flush()) {
            eprintln!("opcorp gateway: cannot write the audit log: {e}");
        }
    }
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog").finish_non_exhaustive()
    }
}
