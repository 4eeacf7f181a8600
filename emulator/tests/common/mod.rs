//! Helpers shared by the emulator's integration tests: start an emulator, build mTLS
//! clients from identities, fetch tokens, sign payments.
// Test helpers: a failed step should fail the test loudly.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use opcorp_emulator::{ClientIdentity, Emulator, EmulatorConfig};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;
use serde_json::{Value, json};

pub const TOKEN_PATH: &str = "/corporate-oidc/v1/token";
pub const ACCOUNTS_PATH: &str = "/corporate-account-data/v1/accounts";
pub const SEPA_PATH: &str = "/corporate-payment/v1/sepa-payment";

/// A quiet emulator with a temporary state dir and a small data set.
pub async fn emulator() -> Emulator {
    emulator_with(EmulatorConfig {
        quiet: true,
        accounts_per_client: 2,
        transactions_per_account: 5,
        ..EmulatorConfig::default()
    })
    .await
}

pub async fn emulator_with(config: EmulatorConfig) -> Emulator {
    opcorp_emulator::start(config).await.unwrap()
}

/// An HTTP client presenting `identity`'s certificate and trusting only the emulator's CA.
pub fn client(identity: &ClientIdentity) -> reqwest::Client {
    let pem = format!("{}{}", identity.cert_pem, identity.key_pem);
    builder(identity)
        .identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap())
        .build()
        .unwrap()
}

/// A client builder trusting only the emulator's CA, without a client certificate.
pub fn builder(identity: &ClientIdentity) -> reqwest::ClientBuilder {
    let ca = reqwest::Certificate::from_pem(identity.ca_pem.as_bytes()).unwrap();
    reqwest::Client::builder()
        .tls_certs_only([ca])
        .no_proxy()
        .timeout(Duration::from_secs(20))
}

/// Posts the token form for `client_id`/`secret`.
pub async fn token_response(
    http: &reqwest::Client,
    base_url: &str,
    client_id: &str,
    secret: &str,
) -> reqwest::Result<reqwest::Response> {
    http.post(format!("{base_url}{TOKEN_PATH}"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ])
        .send()
        .await
}

/// A fresh access token for `identity`.
pub async fn token(http: &reqwest::Client, base_url: &str, identity: &ClientIdentity) -> String {
    let response = token_response(http, base_url, &identity.client_id, &identity.client_secret)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

/// GET `path` with a bearer token.
pub async fn get(
    http: &reqwest::Client,
    base_url: &str,
    token: &str,
    path: &str,
) -> reqwest::Result<reqwest::Response> {
    http.get(format!("{base_url}{path}"))
        .bearer_auth(token)
        .send()
        .await
}

/// A SEPA payment body from the first account of `identity`, as exact bytes.
pub fn payment_body(debtor_iban: &str, instruction_id: &str) -> Vec<u8> {
    json!({
        "instructionId": instruction_id,
        "creditor": {"name": "Vuokralainen Virtanen", "iban": "FI2112345600000785"},
        "debtor": {"name": "Demo Oy", "iban": debtor_iban},
        "instructedAmount": {"amount": "12.50", "currency": "EUR"},
        "message": "Deposit refund",
    })
    .to_string()
    .into_bytes()
}

/// The detached RS256 JWS (`X-Req-Signature`) of `body` by `identity`'s signing key.
pub fn sign(identity: &ClientIdentity, body: &[u8]) -> String {
    let iat = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let header = json!({
        "alg": "RS256", "kid": identity.signing_kid, "b64": false,
        "urn:op.api.iat": iat, "crit": ["b64", "urn:op.api.iat"],
    });
    let encoded = URL_SAFE_NO_PAD.encode(header.to_string());
    let mut input = format!("{encoded}.").into_bytes();
    input.extend_from_slice(body);
    let der = PrivateKeyDer::from_pem_slice(identity.signing_key_pem.as_bytes()).unwrap();
    let key = aws_lc_rs::rsa::KeyPair::from_pkcs8(der.secret_der()).unwrap();
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(
        &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        &input,
        &mut signature,
    )
    .unwrap();
    format!("{encoded}..{}", URL_SAFE_NO_PAD.encode(signature))
}

/// Posts a signed SEPA payment.
pub async fn pay(
    http: &reqwest::Client,
    base_url: &str,
    token: &str,
    identity: &ClientIdentity,
    body: Vec<u8>,
) -> reqwest::Result<reqwest::Response> {
    let signature = sign(identity, &body);
    http.post(format!("{base_url}{SEPA_PATH}"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("x-req-signature", signature)
        .body(body)
        .send()
        .await
}

/// Whether an I/O error of `kind` is somewhere in `err`'s source chain.
pub fn has_io_kind(err: &(dyn std::error::Error + 'static), kind: std::io::ErrorKind) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == kind
        {
            return true;
        }
        current = e.source();
    }
    false
}

/// The full error chain as text, for assertion messages.
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut current = err.source();
    while let Some(e) = current {
        out.push_str(" <- ");
        out.push_str(&e.to_string());
        current = e.source();
    }
    out
}

/// A two-decimal amount string as exact cents, to compare balances without floats.
pub fn cents(text: &str) -> i64 {
    let (_, decimals) = text.split_once('.').unwrap();
    assert_eq!(decimals.len(), 2, "{text}");
    text.replace('.', "").parse().unwrap()
}
