//! Verification of OP's detached JWS request signature (`X-Req-Signature: H..S`).
//!
//! Protected header: `alg` = `RS256`, `kid`, `b64` = `false`, integer `urn:op.api.iat`
//! (seconds) and `crit` = `["b64","urn:op.api.iat"]`. Signing input: ASCII(H) + `.` + the raw
//! body bytes (RFC 7797 unencoded payload). RSASSA-PKCS1-v1_5 with SHA-256, via aws-lc-rs.

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::errors::error;
use super::{Bank, Request, Response};

const CRIT: [&str; 2] = ["b64", "urn:op.api.iat"];

/// Accepts an RSA SubjectPublicKeyInfo DER key of 2048..=8192 bits.
pub(crate) fn check_public_key(spki_der: &[u8]) -> Result<(), String> {
    let key = aws_lc_rs::rsa::PublicKey::from_der(spki_der)
        .map_err(|_| "not an RSA public key (SubjectPublicKeyInfo DER expected)".to_string())?;
    let bits = key.modulus_len() * 8;
    if !(2048..=8192).contains(&bits) {
        return Err(format!("RSA key of {bits} bits; 2048..=8192 required"));
    }
    Ok(())
}

fn bad(message: impl Into<String>) -> Response {
    error(400, "invalid_signature", message)
}

/// The decoded and checked protected header.
struct Header {
    kid: String,
    iat: i64,
}

fn parse_header(encoded: &str) -> Result<Header, Response> {
    let raw = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| bad("JWS protected header is not base64url without padding"))?;
    let value: Value =
        serde_json::from_slice(&raw).map_err(|_| bad("JWS protected header is not JSON"))?;
    let Value::Object(h) = value else {
        return Err(bad("JWS protected header is not a JSON object"));
    };
    if h.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(bad("JWS header `alg` must be \"RS256\""));
    }
    if h.get("b64") != Some(&Value::Bool(false)) {
        return Err(bad("JWS header `b64` must be the boolean false"));
    }
    let crit: Option<Vec<&str>> = h
        .get("crit")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    let crit_ok = crit.is_some_and(|c| {
        c.len() == CRIT.len()
            && h.get("crit").and_then(Value::as_array).map(Vec::len) == Some(CRIT.len())
            && CRIT.iter().all(|name| c.contains(name))
    });
    if !crit_ok {
        return Err(bad(
            "JWS header `crit` must be exactly [\"b64\",\"urn:op.api.iat\"]",
        ));
    }
    let iat = h
        .get("urn:op.api.iat")
        .and_then(Value::as_i64)
        .ok_or_else(|| bad("JWS header `urn:op.api.iat` must be an integer number of seconds"))?;
    let kid = h
        .get("kid")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| bad("JWS header `kid` must be a non-empty string"))?;
    Ok(Header {
        kid: kid.to_string(),
        iat,
    })
}

impl Bank {
    /// Checks `X-Req-Signature` of a payment or refund request for client `client`.
    pub(super) fn verify_signature(
        &self,
        client: usize,
        req: &Request<'_>,
    ) -> Result<(), Response> {
        let Some(value) = req.signature.map(str::trim).filter(|s| !s.is_empty()) else {
            return Err(error(
                400,
                "missing_signature",
                "the X-Req-Signature header is required for this request",
            ));
        };
        let Some((encoded_header, encoded_sig)) = value.split_once("..") else {
            return Err(bad(
                "X-Req-Signature must be a detached JWS of the form <header>..<signature>",
            ));
        };
        if encoded_sig.contains('.') || encoded_sig.is_empty() {
            return Err(bad(
                "X-Req-Signature must contain exactly two dots and a signature",
            ));
        }
        let header = parse_header(encoded_header)?;
        let key = self
            .clients
            .get(client)
            .and_then(|c| c.keys.get(&header.kid))
            .ok_or_else(|| {
                bad(format!(
                    "kid {:?} is not registered for this client",
                    header.kid
                ))
            })?;
        let sig = URL_SAFE_NO_PAD
            .decode(encoded_sig)
            .map_err(|_| bad("JWS signature is not base64url without padding"))?;
        let mut input = Vec::with_capacity(encoded_header.len() + 1 + req.body.len());
        input.extend_from_slice(encoded_header.as_bytes());
        input.push(b'.');
        input.extend_from_slice(req.body);
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key)
            .verify(&input, &sig)
            .map_err(|_| {
                bad("signature does not verify over <header>.<body> with the key of this kid")
            })?;
        let now = req.now_micros.div_euclid(1_000_000);
        if header.iat.abs_diff(now) > self.config.iat_window_secs.unsigned_abs() {
            return Err(error(
                400,
                "signature_iat_out_of_window",
                format!(
                    "urn:op.api.iat {} is more than {} s away from the bank clock {now}",
                    header.iat, self.config.iat_window_secs
                ),
            ));
        }
        Ok(())
    }
}
