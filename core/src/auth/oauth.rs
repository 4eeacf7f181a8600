//! The OAuth2 client-credentials token request (`POST /corporate-oidc/v1/token`, form body,
//! over the same mTLS identity as every other call).

use std::time::Duration;

use serde::Deserialize;
use zeroize::Zeroizing;

use super::token::{DEFAULT_TOKEN_LIFETIME, FetchedToken};
use crate::client::Inner;
use crate::error::{Error, ErrorKind, Result};
use crate::retry::{AttemptOutcome, RequestClass};
use crate::transport::failure::{self, TransportFailure};
use crate::transport::{BodyError, read_capped};

/// The token endpoint's JSON answer (RFC 6749 §5.1; OP documents only `access_token`).
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// Requests a new access token, retrying 5xx, 429 and connection failures under the client's
/// retry policy (class `Token`) and budget. Errors never contain the client secret or a token.
pub(crate) async fn request_token(inner: &Inner) -> Result<FetchedToken> {
    let url = format!("{}{}", inner.base_url, inner.paths.token);
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let request_id = uuid::Uuid::new_v4().to_string();
        let TokenAttempt {
            failure: outcome_failure,
            status,
            body,
            retry_after,
        } = token_attempt(inner, &url, &request_id, attempt).await?;
        if let Some((f, e)) = outcome_failure {
            if f.kind == ErrorKind::Tls {
                return Err(transport_error(f, &e, &request_id));
            }
            let outcome = if f.before_send {
                AttemptOutcome::ConnectFailed
            } else {
                AttemptOutcome::Interrupted
            };
            match inner.retry_delay(RequestClass::Token, outcome, attempt, f.timed_out) {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    continue;
                }
                None => return Err(transport_error(f, &e, &request_id)),
            }
        }
        if (200..300).contains(&status) {
            inner.retry_budget.deposit_success();
            return parse_token(&body, status, &request_id);
        }
        let outcome = AttemptOutcome::Response {
            status,
            retry_after: retry_after.as_deref(),
        };
        if let Some(delay) = inner.retry_delay(RequestClass::Token, outcome, attempt, false) {
            tracing::warn!(route = "token", status, %request_id, attempt, "token endpoint failed; retrying");
            tokio::time::sleep(delay).await;
            continue;
        }
        return Err(token_refused(
            status,
            retry_after.as_deref(),
            &body,
            &request_id,
        ));
    }
}

/// What one token request attempt got: a transport failure, or a status with its body.
struct TokenAttempt {
    failure: Option<(TransportFailure, reqwest::Error)>,
    status: u16,
    body: Vec<u8>,
    retry_after: Option<String>,
}

/// One attempt at the token endpoint (logged); an over-size answer is a final `DECODE`.
async fn token_attempt(
    inner: &Inner,
    url: &str,
    request_id: &str,
    attempt: u32,
) -> Result<TokenAttempt> {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", inner.client_id.as_str()),
        ("client_secret", inner.client_secret.as_str()),
    ];
    // Held until the token answer is read (the connection is busy until then).
    let _slot = inner.http.slot().await;
    let started = tokio::time::Instant::now();
    let sent = inner
        .http
        .client
        .post(url)
        .header("X-Request-ID", request_id)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form)
        .send()
        .await;
    let (failure, status, body, retry_after) = match sent {
        Err(e) => {
            let f = failure::classify(&e);
            tracing::debug!(route = "token", %request_id, attempt, error = %failure::describe(&e), "token request failed");
            (Some((f, e)), 0, Vec::new(), None)
        }
        Ok(mut resp) => {
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            match read_capped(&mut resp, inner.max_response_bytes).await {
                Ok(body) => (None, status, body, retry_after),
                Err(BodyError::TooLarge) => {
                    return Err(Error::decode("token response exceeds the size cap")
                        .with_status(status)
                        .with_request_id(request_id.to_owned()));
                }
                Err(BodyError::Interrupted(e)) => {
                    (Some((failure::classify(&e), e)), status, Vec::new(), None)
                }
            }
        }
    };
    tracing::debug!(
        method = "POST",
        route = "token",
        status,
        %request_id,
        attempt,
        latency_ms = started.elapsed().as_millis() as u64,
        "token attempt"
    );
    Ok(TokenAttempt {
        failure,
        status,
        body,
        retry_after,
    })
}

/// The final error of a token request that failed in transport.
fn transport_error(f: TransportFailure, e: &reqwest::Error, request_id: &str) -> Error {
    Error::new(
        f.kind,
        format!("token request failed: {}", failure::describe(e)),
    )
    .with_request_id(request_id)
}

/// The error for a non-2xx token response: 5xx stays `Server`, 429 `RateLimited`, anything
/// else is `Auth` with the server's OAuth `error` code.
fn token_refused(status: u16, retry_after: Option<&str>, body: &[u8], request_id: &str) -> Error {
    let err = failure::status_error(status, retry_after, body, request_id);
    if matches!(err.kind(), ErrorKind::Server | ErrorKind::RateLimited) {
        return err;
    }
    let (code, message) = failure::error_fields(body);
    let detail = match (code, message) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c,
        (None, Some(m)) => m,
        (None, None) => format!("HTTP {status}"),
    };
    Error::new(ErrorKind::Auth, format!("token request refused: {detail}"))
        .with_status(status)
        .with_request_id(request_id)
        .with_body_snippet(body)
}

/// Parses a 2xx token response. A body that is not a token response is a Decode error whose
/// message names no value from the body.
fn parse_token(body: &[u8], status: u16, request_id: &str) -> Result<FetchedToken> {
    let parsed: TokenResponse = serde_json::from_slice(body).map_err(|_| {
        Error::decode("token response is not JSON with an access_token")
            .with_status(status)
            .with_request_id(request_id)
            .with_body_snippet(body)
    })?;
    let value = Zeroizing::new(parsed.access_token);
    if value.is_empty() {
        return Err(
            Error::new(ErrorKind::Auth, "token response has an empty access_token")
                .with_status(status)
                .with_request_id(request_id),
        );
    }
    if let Some(kind) = &parsed.token_type
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Err(Error::new(
            ErrorKind::Auth,
            format!("unsupported token_type {kind:?}; expected Bearer"),
        )
        .with_status(status)
        .with_request_id(request_id));
    }
    let lifetime = match &parsed.expires_in {
        None | Some(serde_json::Value::Null) => DEFAULT_TOKEN_LIFETIME,
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .map(Duration::from_secs)
            .ok_or_else(|| {
                Error::decode("token response has a non-numeric expires_in")
                    .with_status(status)
                    .with_request_id(request_id)
            })?,
    };
    Ok(FetchedToken { value, lifetime })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_bodies_parse_with_default_lifetime() {
        let t = parse_token(br#"{"access_token":"abc","token_type":"Bearer"}"#, 200, "r").unwrap();
        assert_eq!(t.lifetime, DEFAULT_TOKEN_LIFETIME);
        let t = parse_token(br#"{"access_token":"abc","expires_in":"120"}"#, 200, "r").unwrap();
        assert_eq!(t.lifetime, Duration::from_secs(120));
        let err =
            parse_token(br#"{"access_token":"abc","token_type":"mac"}"#, 200, "r").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Auth);
        let err = parse_token(br#"{"token":"sekrit"}"#, 200, "r").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(!err.to_string().contains("sekrit"));
    }

    #[test]
    fn refusals_carry_the_oauth_error_code() {
        let body = br#"{"error":"invalid_client","error_description":"bad secret"}"#;
        let err = token_refused(401, None, body, "r");
        assert_eq!(err.kind(), ErrorKind::Auth);
        assert_eq!(
            err.message(),
            "token request refused: invalid_client: bad secret"
        );
        assert_eq!(token_refused(503, None, b"", "r").kind(), ErrorKind::Server);
    }
}
