//! Registered clients, the certificates bound to them and the access tokens issued to them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::identity::random_hex;

/// An issued access token.
struct Grant {
    client_id: String,
    expires: Instant,
}

/// Who may call: client secrets, certificate bindings (SHA-256 fingerprint → client id)
/// and live tokens.
#[derive(Default)]
pub(crate) struct Clients {
    secrets: HashMap<String, String>,
    certs: HashMap<String, String>,
    tokens: HashMap<String, Grant>,
}

impl Clients {
    /// Registers a client and its secret.
    pub fn add(&mut self, client_id: &str, secret: &str) {
        crate::witness::record(secret);
        self.secrets
            .insert(client_id.to_string(), secret.to_string());
    }

    /// Whether `client_id` is registered.
    pub fn exists(&self, client_id: &str) -> bool {
        self.secrets.contains_key(client_id)
    }

    /// Binds the certificate with this fingerprint to `client_id`.
    pub fn bind_cert(&mut self, fingerprint: &str, client_id: &str) {
        self.certs
            .insert(fingerprint.to_string(), client_id.to_string());
    }

    /// The client a certificate is bound to.
    pub fn client_of_cert(&self, fingerprint: &str) -> Option<&str> {
        self.certs.get(fingerprint).map(String::as_str)
    }

    /// Whether `secret` is `client_id`'s secret (constant-time comparison).
    pub fn secret_matches(&self, client_id: &str, secret: &str) -> bool {
        self.secrets.get(client_id).is_some_and(|expected| {
            aws_lc_rs::constant_time::verify_slices_are_equal(
                expected.as_bytes(),
                secret.as_bytes(),
            )
            .is_ok()
        })
    }

    /// Issues an opaque token (40 hex digits, like OP's doc example) valid for `lifetime`.
    pub fn issue_token(&mut self, client_id: &str, lifetime: Duration) -> String {
        let now = Instant::now();
        self.tokens.retain(|_, grant| grant.expires > now);
        let token = random_hex(20);
        crate::witness::record(&token);
        self.tokens.insert(
            token.clone(),
            Grant {
                client_id: client_id.to_string(),
                expires: now + lifetime,
            },
        );
        token
    }

    /// The client a live token was issued to.
    pub fn client_of_token(&self, token: &str) -> Option<&str> {
        self.tokens
            .get(token)
            .filter(|grant| grant.expires > Instant::now())
            .map(|grant| grant.client_id.as_str())
    }

    /// Invalidates every issued token.
    pub fn revoke_tokens(&mut self) {
        self.tokens.clear();
    }
}
