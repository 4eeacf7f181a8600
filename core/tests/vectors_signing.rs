//! Replays `tests/vectors/signing.json`: detached JWS protected headers, and the signature
//! checked by the independent `rsa` crate.
#![cfg(feature = "client")]

mod vectors_support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use opcorp::keys::{KeyBits, generate_key_and_csr};
use opcorp::signing::{SigningKey, sign_detached};
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};
use vectors_support::{list, load, text};

/// DER `DigestInfo` prefix for SHA-256 (RFC 8017 §9.2 note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

#[test]
fn protected_headers_are_exact_and_signatures_verify() {
    let v = load("signing.json");
    let generated = generate_key_and_csr(KeyBits::Rsa2048, "vectors").unwrap();
    let key = SigningKey::from_pem(&generated.private_key_pem).unwrap();
    let public = RsaPublicKey::from_public_key_pem(&key.public_key_pem()).unwrap();
    for case in list(&v, "cases") {
        let body = text(case, "body").as_bytes();
        let iat = case["iat"].as_i64().unwrap();
        let jws = sign_detached(body, &key, text(case, "kid"), iat).unwrap();
        let (h, s) = jws
            .split_once("..")
            .expect("detached: empty payload segment");
        let header = URL_SAFE_NO_PAD.decode(h).unwrap();
        assert_eq!(
            std::str::from_utf8(&header).unwrap(),
            text(case, "protected")
        );
        let mut input = h.as_bytes().to_vec();
        input.push(b'.');
        input.extend_from_slice(body);
        let scheme = Pkcs1v15Sign {
            hash_len: Some(32),
            prefix: SHA256_DIGEST_INFO.to_vec().into_boxed_slice(),
        };
        let signature = URL_SAFE_NO_PAD.decode(s).unwrap();
        assert!(
            public
                .verify(scheme, &Sha256::digest(&input), &signature)
                .is_ok()
        );
    }
    for case in list(&v, "invalid") {
        let iat = case["iat"].as_i64().unwrap();
        let err = sign_detached(b"{}", &key, text(case, "kid"), iat).unwrap_err();
        assert_eq!(err.code(), text(case, "code"), "{case}");
    }
}
