//! Core errors as real JS `Error` objects carrying `.code`, `.status`, `.requestId` and the
//! rest, built on the JS thread for sync calls, constructors and promise rejections alike.

use napi::bindgen_prelude::{Buffer, JsValue, Object};
use napi::{Env, Status};
use napi_derive::napi;
use opcorp::ErrorKind;
use opcorp::error::{OperationKind, PendingOperation};

/// The JS `name` of each kind. No wildcard arm: a new kind in core fails this build until
/// it is mapped here (and in `index.d.ts`).
pub fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Auth => "AuthError",
        ErrorKind::Forbidden => "ForbiddenError",
        ErrorKind::Tls => "TlsError",
        ErrorKind::RateLimited => "RateLimitedError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Network => "NetworkError",
        ErrorKind::InvalidInput => "InvalidInputError",
        ErrorKind::Rejected => "RejectedError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::Conflict => "ConflictError",
        ErrorKind::Server => "ServerError",
        ErrorKind::Decode => "DecodeError",
        ErrorKind::Signature => "SignatureError",
        ErrorKind::Config => "ConfigError",
        ErrorKind::UnknownOutcome => "UnknownOutcomeError",
        ErrorKind::ClockSkew => "ClockSkewError",
    }
}

/// The napi error that throws (or rejects with) the JS error object for `err`.
pub fn to_js(env: &Env, err: &opcorp::Error) -> napi::Error {
    match build(env, err) {
        Ok(error) | Err(error) => error,
    }
}

/// A `Result` adapter for sync calls: `core_call().js(&env)?`.
pub trait IntoJsResult<T> {
    /// Maps the core error to its JS error.
    fn js(self, env: &Env) -> napi::Result<T>;
}

impl<T> IntoJsResult<T> for opcorp::Result<T> {
    fn js(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| to_js(env, &e))
    }
}

/// Creates the `Error` object and sets its properties.
fn build(env: &Env, err: &opcorp::Error) -> napi::Result<napi::Error> {
    let object = error_object(env, err)?;
    Ok(napi::Error::from(object.to_unknown()))
}

/// The JS error object itself.
pub fn error_object<'env>(env: &'env Env, err: &opcorp::Error) -> napi::Result<Object<'env>> {
    let mut object = env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
    object.set("name", class_name(err.kind()))?;
    object.set("code", err.code())?;
    object.set("message", err.to_string())?;
    object.set("status", err.status().map(u32::from))?;
    object.set("requestId", err.request_id())?;
    object.set("retryable", err.is_retryable())?;
    object.set("bodySnippet", err.body_snippet())?;
    object.set(
        "retryAfterMs",
        err.retry_after()
            .map(|d| u32::try_from(d.as_millis()).unwrap_or(u32::MAX)),
    )?;
    object.set("pending", err.pending().map(Pending::from_core))?;
    Ok(object)
}

/// A signed payment or refund that was prepared, or sent without a confirmed outcome. Store
/// `kind`, `id` and `body` (an outbox) and pass it to `client.resolve()`: resending it cannot
/// pay twice because OP de-duplicates on the id inside the body.
#[napi(object)]
pub struct Pending {
    /// `"sepa_payment"`, `"sepa_instant_payment"` or `"refund"`.
    pub kind: String,
    /// The `instructionId` (payments) or `archiveId` (refunds) identifying the intent.
    pub id: String,
    /// The exact JSON bytes that are signed and sent.
    pub body: Buffer,
}

impl Pending {
    /// The JS form of a core operation.
    pub fn from_core(pending: &PendingOperation) -> Pending {
        let kind = match pending.kind {
            OperationKind::SepaPayment => "sepa_payment",
            OperationKind::SepaInstantPayment => "sepa_instant_payment",
            OperationKind::Refund => "refund",
        };
        Pending {
            kind: kind.to_owned(),
            id: pending.id.clone(),
            body: Buffer::from(pending.body.clone()),
        }
    }

    /// The core operation, or INVALID_INPUT for an unknown kind.
    pub fn to_core(&self) -> opcorp::Result<PendingOperation> {
        let kind = match self.kind.as_str() {
            "sepa_payment" => OperationKind::SepaPayment,
            "sepa_instant_payment" => OperationKind::SepaInstantPayment,
            "refund" => OperationKind::Refund,
            other => {
                return Err(opcorp::Error::invalid_input(format!(
                    "unknown operation kind {other:?}: expected sepa_payment, \
                     sepa_instant_payment or refund"
                )));
            }
        };
        Ok(PendingOperation {
            kind,
            id: self.id.clone(),
            body: self.body.to_vec(),
        })
    }
}

/// One error kind as the binding maps it.
#[napi(object)]
pub struct ErrorKindInfo {
    /// The stable code, e.g. `"RATE_LIMITED"`.
    pub code: String,
    /// The error's `name`, e.g. `"RateLimitedError"`.
    pub name: String,
    /// Whether repeating the call later may succeed.
    pub retryable: bool,
}

/// Every error kind core defines, in core's order (the test proves the mapping is complete
/// and one-to-one).
#[napi]
pub fn error_kinds() -> Vec<ErrorKindInfo> {
    ErrorKind::ALL
        .iter()
        .map(|k| ErrorKindInfo {
            code: k.code().to_owned(),
            name: class_name(*k).to_owned(),
            retryable: k.is_retryable(),
        })
        .collect()
}

/// Builds the error object a failed call with this `code` would throw (for the JS layer's
/// own argument checks and for tests). An unknown code gives an INVALID_INPUT error.
#[napi(ts_return_type = "Error")]
pub fn make_error<'env>(
    env: &'env Env,
    code: String,
    message: String,
    status: Option<u16>,
    request_id: Option<String>,
) -> napi::Result<Object<'env>> {
    let err = match ErrorKind::from_code(&code) {
        Some(kind) => {
            let mut err = opcorp::Error::new(kind, message);
            if let Some(status) = status {
                err = err.with_status(status);
            }
            if let Some(id) = request_id {
                err = err.with_request_id(id);
            }
            err
        }
        None => opcorp::Error::invalid_input(format!("unknown error code {code:?}")),
    };
    error_object(env, &err)
}

/// The error core makes of a failed OP response (`status` and the raw `body`), by the same
/// mapping every client call uses; returned, not thrown, so callers of OP through their own
/// HTTP stack get the same `.code`.
#[napi(ts_return_type = "Error")]
pub fn status_error<'env>(
    env: &'env Env,
    status: u16,
    body: String,
    request_id: Option<String>,
) -> napi::Result<Object<'env>> {
    let err = opcorp::response::status_error(
        status,
        None,
        body.as_bytes(),
        request_id.as_deref().unwrap_or(""),
    );
    error_object(env, &err)
}
