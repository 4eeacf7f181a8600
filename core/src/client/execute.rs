//! [`Client::execute`]: the native wiring of the transport-independent [`crate::engine`] —
//! reqwest/rustls as the transport, tokio and the system clock as the host, the OAuth token
//! cache as the token source, the configured RSA key as the signer.

use std::sync::Arc;
use std::time::Duration;

use super::{Client, Inner, Signing};
use crate::auth::token::AccessToken;
use crate::engine::{self, Auth, BearerToken, Engine, Signer};
use crate::error::Result;
use crate::request::{ApiRequest, ApiResponse};
use crate::retry::{AttemptOutcome, RequestClass};
use crate::transport::{NativeHost, ReqwestTransport};

impl Client {
    /// Sends `req` and returns its 2xx response, or the typed error the call ended with.
    /// A handle made by [`Client::acting_for`] marks the request as acting for its mandate.
    pub(crate) async fn execute(&self, mut req: ApiRequest) -> Result<ApiResponse> {
        if req.acting_for.is_none() {
            req.acting_for = self.acting_for.as_deref().map(str::to_owned);
        }
        let inner = &*self.inner;
        let transport = ReqwestTransport {
            http: inner.http.clone(),
        };
        let engine = Engine {
            transport: &transport,
            host: &NativeHost,
            auth: &TokenAuth(self),
            signing: match &inner.signing {
                Some(signing) => engine::Signing::Key(signing),
                None => engine::Signing::Missing,
            },
            base_url: &inner.base_url,
            policy: &inner.retry_policy,
            budget: &inner.retry_budget,
            bank_clock: &inner.bank_clock,
            max_response_bytes: inner.max_response_bytes,
            mandate_header: &inner.paths.mandate_header,
            call_timeout: inner.call_timeout,
        };
        engine::execute(&engine, &req).await
    }
}

impl Inner {
    /// The retry decision for the token request, under the client's policy and budget.
    pub(crate) fn retry_delay(
        &self,
        class: RequestClass,
        outcome: AttemptOutcome<'_>,
        attempt: u32,
        timed_out: bool,
    ) -> Option<Duration> {
        engine::retry_delay(
            &self.retry_policy,
            &self.retry_budget,
            &NativeHost,
            class,
            outcome,
            attempt,
            timed_out,
        )
    }
}

/// The client's OAuth token cache as the engine's token source.
struct TokenAuth<'a>(&'a Client);

impl Auth for TokenAuth<'_> {
    type Token = Arc<AccessToken>;

    async fn token(&self) -> Result<Arc<AccessToken>> {
        self.0.token().await
    }

    async fn refresh_rejected(&self, generation: u64) -> Result<Option<Arc<AccessToken>>> {
        self.0.refresh_rejected_token(generation).await.map(Some)
    }
}

impl BearerToken for Arc<AccessToken> {
    fn secret(&self) -> Option<&str> {
        Some(AccessToken::secret(self))
    }
    fn generation(&self) -> u64 {
        AccessToken::generation(self)
    }
}

impl Signer for Signing {
    fn sign(&self, body: &[u8], iat: i64) -> Result<String> {
        crate::signing::sign_detached(body, &self.key, &self.kid, iat)
    }
}
