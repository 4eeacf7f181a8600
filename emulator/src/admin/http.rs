//! The HTTP admin API: plain HTTP on 127.0.0.1, JSON in and out, mirroring [`Admin`].
//! It is separate from the OP surface so nothing an SDK does can reach it by accident.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::Admin;
use super::scenario::Scenario;
use crate::bank::{IncomingPayment, NewMandate};
use crate::faults::Fault;
use crate::identity::ClientIdentity;

/// Largest admin request body (scenario files can be long).
const ADMIN_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// What admin handlers share.
#[derive(Clone)]
pub(crate) struct AdminState {
    /// The control handle.
    pub admin: Admin,
    /// The OP surface URL, for `env` in identity answers.
    pub base_url: String,
}

/// The admin routes.
pub(crate) fn router(state: AdminState) -> Router {
    Router::new()
        .route("/admin/counters", get(counters))
        .route("/admin/ledger", get(ledger))
        .route(
            "/admin/faults",
            get(faults).post(inject).delete(clear_faults),
        )
        .route("/admin/revoke-tokens", post(revoke_tokens))
        .route("/admin/clock-skew", post(clock_skew))
        .route("/admin/outage", post(outage))
        .route("/admin/quirks", get(quirks).post(set_quirks))
        .route("/admin/token-lifetime", post(token_lifetime))
        .route("/admin/incoming", post(incoming))
        .route("/admin/scenario", post(scenario))
        .route("/admin/accounts", get(accounts))
        .route("/admin/mandates", get(mandates).post(add_mandate))
        .route("/admin/mandates/{mandate_id}/revoke", post(revoke_mandate))
        .route("/admin/identity", get(identity))
        .route("/admin/clients", post(issue_client))
        .route("/admin/onboarding/csr", post(onboard_csr))
        .route("/admin/onboarding/signing-keys", post(onboard_signing_key))
        .route("/admin/reset", post(reset))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found", "no such admin endpoint") })
        .layer(DefaultBodyLimit::max(ADMIN_BODY_LIMIT))
        .with_state(state)
}

type Answer = Result<Response, AdminError>;

/// An admin API failure, answered as OP-style JSON.
struct AdminError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        error(self.status, self.code, &self.message)
    }
}

fn ok(status: StatusCode, body: impl serde::Serialize) -> Answer {
    Ok((status, axum::Json(body)).into_response())
}

fn done() -> Answer {
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "status": status.as_u16(), "error": code, "message": message });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn bad_request(message: &str) -> AdminError {
    AdminError {
        status: StatusCode::BAD_REQUEST,
        code: "bad_request",
        message: message.to_string(),
    }
}

/// Decodes a JSON body, answering 400 with the reason when it does not fit.
fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, AdminError> {
    serde_json::from_slice(body).map_err(|e| bad_request(&format!("invalid JSON body: {e}")))
}

async fn counters(State(s): State<AdminState>) -> Answer {
    ok(StatusCode::OK, s.admin.counters())
}

async fn ledger(State(s): State<AdminState>) -> Answer {
    ok(StatusCode::OK, s.admin.ledger())
}

async fn faults(State(s): State<AdminState>) -> Answer {
    ok(StatusCode::OK, s.admin.faults())
}

async fn inject(State(s): State<AdminState>, body: Bytes) -> Answer {
    let fault: Fault = parse(&body)?;
    if let Some(problem) = fault.problem() {
        return Err(bad_request(&problem));
    }
    s.admin.inject(fault);
    ok(StatusCode::CREATED, s.admin.faults())
}

async fn clear_faults(State(s): State<AdminState>) -> Answer {
    s.admin.clear_faults();
    done()
}

async fn revoke_tokens(State(s): State<AdminState>) -> Answer {
    s.admin.revoke_tokens();
    done()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Seconds<T> {
    seconds: T,
}

async fn clock_skew(State(s): State<AdminState>, body: Bytes) -> Answer {
    let Seconds { seconds } = parse::<Seconds<i64>>(&body)?;
    s.admin.set_clock_skew(seconds);
    done()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Millis {
    millis: u64,
}

async fn outage(State(s): State<AdminState>, body: Bytes) -> Answer {
    let Millis { millis } = parse::<Millis>(&body)?;
    s.admin.outage(Duration::from_millis(millis));
    done()
}

async fn quirks(State(s): State<AdminState>) -> Answer {
    ok(StatusCode::OK, s.admin.quirks())
}

/// Merges the given keys into the current quirks and answers the result.
async fn set_quirks(State(s): State<AdminState>, body: Bytes) -> Answer {
    let update: Value = parse(&body)?;
    let quirks = s
        .admin
        .quirks()
        .merged(&update)
        .map_err(|e| bad_request(&format!("invalid quirks: {e}")))?;
    s.admin.set_quirks(quirks);
    ok(StatusCode::OK, quirks)
}

async fn token_lifetime(State(s): State<AdminState>, body: Bytes) -> Answer {
    let Seconds { seconds } = parse::<Seconds<u64>>(&body)?;
    s.admin.set_token_lifetime(Duration::from_secs(seconds));
    done()
}

async fn incoming(State(s): State<AdminState>, body: Bytes) -> Answer {
    let payment: IncomingPayment = parse(&body)?;
    match s.admin.simulate_incoming(payment) {
        Ok(booked) => ok(StatusCode::CREATED, booked),
        Err(reason) => Err(bad_request(&reason)),
    }
}

async fn scenario(State(s): State<AdminState>, body: Bytes) -> Answer {
    let scenario: Scenario = parse(&body)?;
    let scheduled = s.admin.schedule(scenario);
    ok(StatusCode::ACCEPTED, json!({ "scheduled": scheduled }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountsQuery {
    client_id: Option<String>,
}

async fn accounts(State(s): State<AdminState>, Query(query): Query<AccountsQuery>) -> Answer {
    let client_id = query
        .client_id
        .unwrap_or_else(|| s.admin.demo_identity().client_id);
    ok(StatusCode::OK, s.admin.accounts(&client_id))
}

async fn mandates(State(s): State<AdminState>, Query(query): Query<AccountsQuery>) -> Answer {
    let client_id = query
        .client_id
        .unwrap_or_else(|| s.admin.demo_identity().client_id);
    ok(StatusCode::OK, s.admin.mandates(&client_id))
}

/// A mandate to add, for `clientId` (default: the demo client); the other fields are
/// [`NewMandate`]'s.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AddMandate {
    client_id: Option<String>,
    company_name: String,
    business_id: Option<String>,
    apis: Option<Vec<String>>,
    accounts: Option<usize>,
}

async fn add_mandate(State(s): State<AdminState>, body: Bytes) -> Answer {
    let request: AddMandate = parse(&body)?;
    let client_id = request
        .client_id
        .unwrap_or_else(|| s.admin.demo_identity().client_id);
    let mandate = NewMandate {
        company_name: request.company_name,
        business_id: request.business_id,
        apis: request.apis,
        accounts: request.accounts,
    };
    match s.admin.add_mandate(&client_id, &mandate) {
        Ok(added) => ok(StatusCode::CREATED, added),
        Err(reason) => Err(bad_request(&reason)),
    }
}

async fn revoke_mandate(State(s): State<AdminState>, Path(mandate_id): Path<String>) -> Answer {
    match s.admin.revoke_mandate(&mandate_id) {
        Ok(revoked) => ok(StatusCode::OK, revoked),
        Err(reason) => Err(AdminError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: reason,
        }),
    }
}

async fn identity(State(s): State<AdminState>) -> Answer {
    ok(
        StatusCode::OK,
        identity_json(&s.admin.demo_identity(), &s.base_url),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewClient {
    name: String,
}

async fn issue_client(State(s): State<AdminState>, body: Bytes) -> Answer {
    let NewClient { name } = parse(&body)?;
    if name.trim().is_empty() || name.len() > 140 {
        return Err(bad_request("name must be 1 to 140 characters"));
    }
    match s.admin.try_issue_client(&name) {
        Ok(identity) => ok(StatusCode::CREATED, identity_json(&identity, &s.base_url)),
        Err(message) => Err(AdminError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal_error",
            message,
        }),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CsrRequest {
    csr_pem: String,
    client_id: Option<String>,
}

async fn onboard_csr(State(s): State<AdminState>, body: Bytes) -> Answer {
    let request: CsrRequest = parse(&body)?;
    let signed = match &request.client_id {
        Some(client_id) => s.admin.sign_csr_for(client_id, &request.csr_pem),
        None => s.admin.sign_csr(&request.csr_pem),
    };
    match signed {
        Ok(cert_pem) => ok(StatusCode::CREATED, json!({ "certPem": cert_pem })),
        Err(reason) => Err(bad_request(&reason)),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SigningKeyRequest {
    client_id: Option<String>,
    public_key_pem: String,
}

async fn onboard_signing_key(State(s): State<AdminState>, body: Bytes) -> Answer {
    let request: SigningKeyRequest = parse(&body)?;
    let client_id = request
        .client_id
        .unwrap_or_else(|| s.admin.demo_identity().client_id);
    match s
        .admin
        .register_signing_key(&client_id, &request.public_key_pem)
    {
        Ok(kid) => ok(StatusCode::CREATED, json!({ "kid": kid })),
        Err(reason) => Err(bad_request(&reason)),
    }
}

async fn reset(State(s): State<AdminState>) -> Answer {
    s.admin.reset();
    done()
}

/// An identity as the admin API returns it, with the environment variables that use it.
fn identity_json(identity: &ClientIdentity, base_url: &str) -> Value {
    let files = identity.files.as_ref().map(|f| {
        json!({
            "dir": f.dir, "cert": f.cert, "key": f.key,
            "signingKey": f.signing_key, "ca": f.ca,
        })
    });
    let env: serde_json::Map<String, Value> = identity
        .env_vars(base_url)
        .into_iter()
        .map(|(name, value)| (name, Value::String(value)))
        .collect();
    json!({
        "clientId": identity.client_id,
        "clientSecret": identity.client_secret,
        "certPem": identity.cert_pem,
        "keyPem": identity.key_pem,
        "signingKeyPem": identity.signing_key_pem,
        "signingKid": identity.signing_kid,
        "caPem": identity.ca_pem,
        "files": files,
        "env": env,
    })
}
