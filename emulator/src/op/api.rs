//! The OP API routes: bearer-token authentication bound to the connection's certificate,
//! counters, faults, then the bank.

use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, WWW_AUTHENTICATE};
use hyper::{HeaderMap, Request, Response};

use super::Conn;
use super::inject::run_with_faults;
use super::reply::{Body, Outcome, error, read_body};
use crate::bank::{self, Route};
use crate::shared::{Shared, lock};

/// Serves one API request.
pub(crate) async fn handle(shared: &Shared, conn: &Conn, request: Request<Incoming>) -> Outcome {
    let (parts, body) = request.into_parts();
    let route = Route::classify(parts.method.as_str(), parts.uri.path());
    if let Some(route) = route {
        lock(&shared.counters).count(route.name());
    }
    let client_id = match authenticate(shared, conn, &parts.headers) {
        Ok(client_id) => client_id,
        Err(message) => return Outcome::Reply(unauthorized(message)),
    };
    let Some(route) = route else {
        return Outcome::Reply(error(404, "not_found", "no such resource"));
    };
    let body = match read_body(&parts.headers, body, shared.max_body_bytes).await {
        Ok(body) => body,
        Err(response) => return Outcome::Reply(response),
    };
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let plan = lock(&shared.faults).take(route.name());
    run_with_faults(plan, || {
        let request = bank::Request {
            client_id: &client_id,
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query(),
            signature: header("x-req-signature"),
            content_type: header(CONTENT_TYPE.as_str()),
            body: &body,
            mandate: header(bank::MANDATE_HEADER),
            now_micros: shared.now_micros(),
        };
        let response = lock(&shared.bank).handle(&request);
        (response.status, response.body)
    })
    .await
}

/// The client calling: the bearer token must be live and issued to the client that the
/// connection's certificate is bound to; otherwise why not.
fn authenticate(shared: &Shared, conn: &Conn, headers: &HeaderMap) -> Result<String, &'static str> {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let Some(token) = token else {
        return Err("a Bearer access token is required");
    };
    let clients = lock(&shared.clients);
    let Some(token_client) = clients.client_of_token(token) else {
        return Err("the access token is unknown, expired or revoked");
    };
    let cert_client = conn
        .fingerprint
        .as_deref()
        .and_then(|fp| clients.client_of_cert(fp));
    if cert_client != Some(token_client) {
        return Err("the access token was not issued to the client of this TLS certificate");
    }
    Ok(token_client.to_string())
}

fn unauthorized(message: &str) -> Response<Body> {
    let mut response = error(401, "invalid_token", message);
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}
