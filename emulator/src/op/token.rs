//! `POST /corporate-oidc/v1/token`: OAuth2 client credentials in the form body, over a
//! connection whose client certificate must belong to that client.

use std::collections::HashMap;

use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::{Method, Request};
use serde_json::json;

use super::Conn;
use super::inject::run_with_faults;
use super::reply::{Outcome, error, read_body};
use crate::shared::{Shared, lock};

/// Serves one token request. Every request is counted, failed ones included.
pub(crate) async fn handle(shared: &Shared, conn: &Conn, request: Request<Incoming>) -> Outcome {
    lock(&shared.counters).count("token");
    if request.method() != Method::POST {
        return Outcome::Reply(error(
            405,
            "method_not_allowed",
            "the token endpoint accepts POST only",
        ));
    }
    let (parts, body) = request.into_parts();
    let body = match read_body(&parts.headers, body, shared.max_body_bytes).await {
        Ok(body) => body,
        Err(response) => return Outcome::Reply(response),
    };
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let plan = lock(&shared.faults).take("token");
    run_with_faults(plan, || issue(shared, conn, content_type, &body)).await
}

/// Checks the grant and credentials and issues a token: `(status, JSON body)`.
fn issue(shared: &Shared, conn: &Conn, content_type: Option<&str>, body: &[u8]) -> (u16, Vec<u8>) {
    let form_type = content_type.is_some_and(|ct| {
        ct.split(';').next().is_some_and(|mime| {
            mime.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    });
    if !form_type {
        return oauth_error(
            400,
            "invalid_request",
            "the body must be application/x-www-form-urlencoded",
        );
    }
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return oauth_error(400, "invalid_request", "the form body cannot be decoded");
    };
    let mut form = HashMap::new();
    for (name, value) in pairs {
        if form.insert(name.clone(), value).is_some() {
            return oauth_error(
                400,
                "invalid_request",
                &format!("parameter {name} is repeated"),
            );
        }
    }
    match form.get("grant_type").map(String::as_str) {
        None => return oauth_error(400, "invalid_request", "grant_type is required"),
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                400,
                "unsupported_grant_type",
                "only grant_type=client_credentials is supported",
            );
        }
    }
    let (Some(client_id), Some(secret)) = (form.get("client_id"), form.get("client_secret")) else {
        return oauth_error(
            401,
            "invalid_client",
            "client_id and client_secret are required in the form body",
        );
    };
    let lifetime = *lock(&shared.token_lifetime);
    let mut clients = lock(&shared.clients);
    if !clients.secret_matches(client_id, secret) {
        return oauth_error(401, "invalid_client", "client authentication failed");
    }
    let cert_client = conn
        .fingerprint
        .as_deref()
        .and_then(|fp| clients.client_of_cert(fp));
    if cert_client != Some(client_id.as_str()) {
        return oauth_error(
            401,
            "invalid_client",
            "the TLS client certificate is not registered to this client",
        );
    }
    let token = clients.issue_token(client_id, lifetime);
    let body = json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs(),
    });
    (200, body.to_string().into_bytes())
}

/// An OP-style error that also carries RFC 6749's `error_description`.
fn oauth_error(status: u16, code: &str, message: &str) -> (u16, Vec<u8>) {
    let body = json!({
        "status": status,
        "error": code,
        "message": message,
        "error_description": message,
    });
    (status, body.to_string().into_bytes())
}
