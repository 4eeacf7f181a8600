//! [`ReqwestTransport`] and [`NativeHost`]: the engine's transport and host services on
//! native targets (reqwest + rustls, tokio, the system clock, the OS random source).

use std::time::{Duration, SystemTime};

use super::failure;
use super::{BodyError, Http, read_capped};
use crate::engine::{Answer, Attempt, Failure, Host, Transport};
use crate::error::ErrorKind;
use crate::request::{Headers, Method};

/// One attempt over the client's reqwest pool.
#[derive(Debug, Clone)]
pub(crate) struct ReqwestTransport {
    /// The client's pool and its connection slots.
    pub(crate) http: Http,
}

impl Transport for ReqwestTransport {
    async fn send(&self, attempt: Attempt<'_>) -> Result<Answer, Failure> {
        let method = match attempt.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        // Held until the body is read: the connection is busy until then.
        let _slot = self.http.slot().await;
        let mut builder = self
            .http
            .client
            .request(method, &attempt.url)
            .timeout(self.http.attempt_timeout(attempt.timeout));
        for (name, value) in &attempt.headers {
            builder = builder.header(name.as_ref(), value);
        }
        if let Some(body) = attempt.body {
            builder = builder.body(body.to_vec());
        }
        let mut resp = builder.send().await.map_err(|e| to_failure(&e, None))?;
        let status = resp.status().as_u16();
        let headers = to_headers(resp.headers());
        match read_capped(&mut resp, attempt.max_response_bytes).await {
            Ok(body) => Ok(Answer {
                status,
                headers,
                body,
            }),
            Err(BodyError::TooLarge) => Err(Failure::oversized(status, attempt.max_response_bytes)),
            Err(BodyError::Interrupted(e)) => {
                let mut f = to_failure(&e, Some(status));
                f.before_send = false;
                if f.kind == ErrorKind::Network {
                    // The bank answered but the body broke off: a truncated response.
                    f.kind = ErrorKind::Decode;
                }
                Err(f)
            }
        }
    }
}

/// A reqwest error as an engine [`Failure`].
fn to_failure(err: &reqwest::Error, status: Option<u16>) -> Failure {
    let f = failure::classify(err);
    Failure {
        kind: f.kind,
        before_send: f.before_send,
        timed_out: f.timed_out,
        oversized: false,
        status: status.or_else(|| err.status().map(|s| s.as_u16())),
        message: failure::describe(err),
    }
}

/// reqwest's header map as plain pairs (values that are not text are dropped).
fn to_headers(map: &reqwest::header::HeaderMap) -> Headers {
    map.iter()
        .filter_map(|(name, value)| {
            let value = value.to_str().ok()?;
            Some((name.as_str().to_owned(), value.to_owned()))
        })
        .collect()
}

/// tokio's sleep, the system clock and the OS random source.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NativeHost;

impl Host for NativeHost {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
    fn random(&self) -> f64 {
        rand::random()
    }
    fn uuid(&self) -> String {
        uuid::Uuid::new_v4().to_string()
    }
    async fn sleep(&self, delay: Duration) {
        tokio::time::sleep(delay).await;
    }
}
