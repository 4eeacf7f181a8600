//! Test helpers: a two-client bank, RSA test keys generated at test time, JWS signing.

use std::sync::OnceLock;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::bank::{Bank, BankConfig, Request, Response};

/// 2024-06-01T12:00:00Z: the pinned bank clock.
pub(super) const NOW: i64 = 1_717_243_200_000_000;
pub(super) const ALICE_KID: &str = "alice-kid";
pub(super) const BOB_KID: &str = "bob-kid";

pub(super) fn config(transactions: usize) -> BankConfig {
    BankConfig {
        seed: 42,
        accounts_per_client: 3,
        transactions_per_account: transactions,
        iat_window_secs: 300,
        lenient_iban: false,
    }
}

/// Two RSA-2048 keys, generated once per test run (never written to disk).
pub(super) fn keys() -> &'static (KeyPair, KeyPair) {
    static KEYS: OnceLock<(KeyPair, KeyPair)> = OnceLock::new();
    KEYS.get_or_init(|| {
        (
            KeyPair::generate(KeySize::Rsa2048).unwrap(),
            KeyPair::generate(KeySize::Rsa2048).unwrap(),
        )
    })
}

pub(super) fn spki(key: &KeyPair) -> Vec<u8> {
    key.public_key().as_der().unwrap().as_ref().to_vec()
}

/// A bank with clients `alice` and `bob`, each with a registered signing key.
pub(super) fn bank_with(transactions: usize) -> Bank {
    let mut bank = Bank::with_anchor_day(config(transactions), NOW);
    bank.add_client("alice", "Alice Oy");
    bank.add_client("bob", "Bob Ab");
    let (a, b) = keys();
    bank.register_signing_key("alice", ALICE_KID, &spki(a))
        .unwrap();
    bank.register_signing_key("bob", BOB_KID, &spki(b)).unwrap();
    bank
}

pub(super) fn bank() -> Bank {
    bank_with(40)
}

/// base64url of a protected header JSON.
pub(super) fn encode_header(json: &str) -> String {
    URL_SAFE_NO_PAD.encode(json.as_bytes())
}

/// The standard header for `kid` at `iat` seconds.
pub(super) fn standard_header(kid: &str, iat: i64) -> String {
    format!(
        r#"{{"alg":"RS256","kid":"{kid}","b64":false,"urn:op.api.iat":{iat},"crit":["b64","urn:op.api.iat"]}}"#
    )
}

/// `H..S` over an arbitrary encoded header and body.
pub(super) fn sign_raw(key: &KeyPair, encoded_header: &str, body: &[u8]) -> String {
    let mut input = encoded_header.as_bytes().to_vec();
    input.push(b'.');
    input.extend_from_slice(body);
    let mut sig = vec![0u8; key.public_modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), &input, &mut sig)
        .unwrap();
    format!("{encoded_header}..{}", URL_SAFE_NO_PAD.encode(sig))
}

/// A correct signature by `alice` at the bank clock.
pub(super) fn alice_sig(body: &[u8]) -> String {
    sign_raw(
        &keys().0,
        &encode_header(&standard_header(ALICE_KID, NOW / 1_000_000)),
        body,
    )
}

/// A correct signature by `bob` at the bank clock.
pub(super) fn bob_sig(body: &[u8]) -> String {
    sign_raw(
        &keys().1,
        &encode_header(&standard_header(BOB_KID, NOW / 1_000_000)),
        body,
    )
}

pub(super) fn request<'a>(
    client: &'a str,
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    signature: Option<&'a str>,
    body: &'a [u8],
) -> Request<'a> {
    Request {
        client_id: client,
        method,
        path,
        query,
        signature,
        content_type: if body.is_empty() {
            None
        } else {
            Some("application/json")
        },
        body,
        mandate: None,
        now_micros: NOW,
    }
}

pub(super) fn json(r: &Response) -> Value {
    serde_json::from_slice(&r.body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&r.body)))
}

pub(super) fn get(bank: &mut Bank, client: &str, path: &str, query: Option<&str>) -> (u16, Value) {
    let r = bank.handle(&request(client, "GET", path, query, None, b""));
    (r.status, json(&r))
}

pub(super) fn post(
    bank: &mut Bank,
    client: &str,
    path: &str,
    body: &[u8],
    signature: Option<&str>,
) -> Response {
    bank.handle(&request(client, "POST", path, None, signature, body))
}

/// Percent-encodes a path segment (everything but unreserved characters).
pub(super) fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The surrogate ids of a client's accounts via the OP list endpoint.
pub(super) fn surrogates(bank: &mut Bank, client: &str) -> Vec<String> {
    let (status, list) = get(bank, client, "/corporate-account-data/v1/accounts", None);
    assert_eq!(status, 200);
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["surrogateId"].as_str().unwrap().to_string())
        .collect()
}

pub(super) fn tx_path(version: u8, surrogate: &str) -> String {
    format!(
        "/corporate-account-data/v{version}/accounts/{}/transactions",
        encode(surrogate)
    )
}

/// The error code of an OP-style error body.
pub(super) fn code(r: &Response) -> String {
    json(r)["error"].as_str().unwrap_or("").to_string()
}
