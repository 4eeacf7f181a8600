//! RS256 detached JWS checked by an independent implementation: keys come from
//! `opcorp::keys`, signatures from `opcorp::signing` (aws-lc-rs), and verification from the
//! pure-Rust `rsa` crate (public-key operations only).
#![allow(clippy::unwrap_used)] // tests may unwrap (helpers outside #[test] included)
#![cfg(feature = "client")]

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use opcorp::ErrorKind;
use opcorp::keys::{KeyBits, csr_for_key, generate_key_and_csr};
use opcorp::signing::{SigningKey, protected_header, sign_detached};
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use x509_parser::prelude::FromDer;

/// One 2048-bit key for the whole file (generation is the slow part).
fn key_pem() -> &'static str {
    static KEY: OnceLock<String> = OnceLock::new();
    KEY.get_or_init(|| {
        let generated = generate_key_and_csr(KeyBits::Rsa2048, "opcorp test").unwrap();
        generated.private_key_pem.to_string()
    })
}

/// DER `DigestInfo` prefix for SHA-256 (RFC 8017 §9.2 note 1), spelled out so the check does
/// not depend on either implementation's OID tables.
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

fn verifier(key: &SigningKey) -> RsaPublicKey {
    RsaPublicKey::from_public_key_pem(&key.public_key_pem()).unwrap()
}

/// Splits `H..S` and checks RSASSA-PKCS1-v1_5 / SHA-256 over `ASCII(H) ‖ "." ‖ body`.
fn verifies(value: &str, body: &[u8], public: &RsaPublicKey) -> bool {
    let (h, s) = value.split_once("..").unwrap();
    let mut input = h.as_bytes().to_vec();
    input.push(b'.');
    input.extend_from_slice(body);
    let scheme = Pkcs1v15Sign {
        hash_len: Some(32),
        prefix: SHA256_DIGEST_INFO.to_vec().into_boxed_slice(),
    };
    let sig = URL_SAFE_NO_PAD.decode(s).unwrap();
    public.verify(scheme, &Sha256::digest(&input), &sig).is_ok()
}

#[test]
fn signature_verifies_with_independent_rsa() {
    let key = SigningKey::from_pem(key_pem()).unwrap();
    let verifying = verifier(&key);
    let bodies: [&[u8]; 4] = [
        br#"{"amount":"120.50","message":"Lasku 1232"}"#,
        "{\"name\":\"Jyväskylän Äänekoski Oy 🚀\"}".as_bytes(),
        br#"{"name":"Jyv\u00e4skyl\u00e4n"}"#,
        b"",
    ];
    for body in bodies {
        let value = sign_detached(body, &key, "kid-42", 1_700_000_000).unwrap();
        assert!(verifies(&value, body, &verifying), "{value}");
        let parts: Vec<&str> = value.split('.').collect();
        assert_eq!(parts.len(), 3, "compact JWS with empty payload: {value}");
        assert!(parts[1].is_empty());
        assert!(!value.contains('='), "no base64 padding");
    }
}

#[test]
fn header_fields_are_exact() {
    let key = SigningKey::from_pem(key_pem()).unwrap();
    let value = sign_detached(b"{}", &key, "my-kid", 1_712_345_678).unwrap();
    let (h, _) = value.split_once("..").unwrap();
    let header = URL_SAFE_NO_PAD.decode(h).unwrap();
    assert_eq!(header, protected_header("my-kid", 1_712_345_678).as_bytes());
    let json: serde_json::Value = serde_json::from_slice(&header).unwrap();
    assert_eq!(json["alg"], "RS256");
    assert_eq!(json["kid"], "my-kid");
    assert_eq!(json["b64"], false);
    assert!(
        json["urn:op.api.iat"].is_number(),
        "iat must be a JSON number"
    );
    assert_eq!(json["urn:op.api.iat"].to_string(), "1712345678");
    assert_eq!(json["crit"], serde_json::json!(["b64", "urn:op.api.iat"]));
    assert_eq!(json.as_object().unwrap().len(), 5);
}

#[test]
fn signature_covers_exactly_the_given_bytes() {
    let key = SigningKey::from_pem(key_pem()).unwrap();
    let verifying = verifier(&key);
    let sent = "{\"b\":\"ä\",\"a\":1}".as_bytes();
    let value = sign_detached(sent, &key, "k", 1).unwrap();
    assert!(verifies(&value, sent, &verifying));
    let reserialised: [&[u8]; 4] = [
        br#"{"b":"\u00e4","a":1}"#,
        "{\"a\":1,\"b\":\"ä\"}".as_bytes(),
        "{ \"b\": \"ä\", \"a\": 1 }".as_bytes(),
        "{\"b\":\"ä\",\"a\":1}\n".as_bytes(),
    ];
    for other in reserialised {
        assert!(
            !verifies(&value, other, &verifying),
            "{}",
            String::from_utf8_lossy(other)
        );
    }
    // A different iat or kid changes the signed header.
    let later = sign_detached(sent, &key, "k", 2).unwrap();
    assert_ne!(later, value);
}

fn hmac_sha256(secret: &[u8], message: &[u8]) -> Vec<u8> {
    let mut block = [0u8; 64];
    if secret.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(secret));
    } else {
        block[..secret.len()].copy_from_slice(secret);
    }
    let inner: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let outer: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let inner_hash = Sha256::new()
        .chain_update(&inner)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(&outer)
        .chain_update(inner_hash)
        .finalize()
        .to_vec()
}

#[test]
fn signature_is_rsa_not_hmac() {
    // Regression: an early third-party draft "signed" with HMAC-SHA256 keyed by the PEM.
    let key = SigningKey::from_pem(key_pem()).unwrap();
    let body = br#"{"x":1}"#;
    let value = sign_detached(body, &key, "k", 1).unwrap();
    let (h, s) = value.split_once("..").unwrap();
    let sig = URL_SAFE_NO_PAD.decode(s).unwrap();
    assert_eq!(sig.len(), 256, "an RSA-2048 signature, not a 32-byte MAC");
    let input = [h.as_bytes(), b".", body].concat();
    assert_ne!(sig, hmac_sha256(key_pem().as_bytes(), &input));
    assert!(verifies(&value, body, &verifier(&key)));
}

/// PKCS#8 → PKCS#1 by unwrapping PrivateKeyInfo (pure DER, no RSA arithmetic).
fn pkcs1_pem(pkcs8_pem: &str) -> String {
    let b64: String = pkcs8_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = STANDARD.decode(b64).unwrap();
    let info = rsa::pkcs8::PrivateKeyInfo::try_from(der.as_slice()).unwrap();
    let body = STANDARD.encode(info.private_key);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN\x20RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        lines.join("\n")
    )
}

#[test]
fn pkcs1_and_pkcs8_both_load_and_agree() {
    let pkcs8 = SigningKey::from_pem(key_pem()).unwrap();
    let pkcs1_text = pkcs1_pem(key_pem());
    let pkcs1 = SigningKey::from_pem(&pkcs1_text).unwrap();
    assert_eq!(pkcs1.public_key_pem(), pkcs8.public_key_pem());
    assert_eq!(pkcs1.bits(), 2048);
    let value = sign_detached(b"x", &pkcs1, "k", 1).unwrap();
    assert!(verifies(&value, b"x", &verifier(&pkcs8)));
    // Surrounding text (e.g. a certificate in the same file) is tolerated.
    let bundle = format!("subject=CN=x\n{pkcs1_text}\n");
    assert!(SigningKey::from_pem(&bundle).is_ok());
    // From a file too, and a CSR for the loaded key.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signing.pem");
    std::fs::write(&path, &pkcs1_text).unwrap();
    assert_eq!(
        SigningKey::from_pem_file(&path).unwrap().public_key_pem(),
        pkcs8.public_key_pem()
    );
    let csr = csr_for_key(&pkcs1_text, "renewal").unwrap();
    assert_eq!(csr_public_key(&csr), spki_der(&pkcs8.public_key_pem()));
}

#[test]
fn bad_pems_are_config_errors_without_key_material() {
    let body_line = key_pem().lines().nth(3).unwrap().to_owned();
    let truncated: String = key_pem().lines().take(5).collect::<Vec<_>>().join("\n");
    let corrupted = key_pem().replacen(&body_line, &"A".repeat(body_line.len()), 1);
    let encrypted = "-----BEGIN\x20ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let legacy_encrypted = format!(
        "-----BEGIN\x20RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\n{body_line}\n-----END RSA PRIVATE KEY-----\n"
    );
    let cases = [
        ("garbage", "not a key at all".to_owned()),
        ("truncated", truncated),
        ("corrupted", corrupted),
        ("encrypted", encrypted.to_owned()),
        ("legacy encrypted", legacy_encrypted),
    ];
    for (name, pem) in cases {
        let err = SigningKey::from_pem(&pem).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{name}: {err}");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains(&body_line),
            "{name} leaks key material: {shown}"
        );
        assert!(
            !shown.contains("MIIF"),
            "{name} leaks key material: {shown}"
        );
        if name.contains("encrypted") {
            assert!(err.message().contains("encrypted"), "{name}: {err}");
        }
    }
    let missing = SigningKey::from_pem_file(std::path::Path::new("/nonexistent/key.pem"));
    assert_eq!(missing.unwrap_err().kind(), ErrorKind::Config);
}

#[test]
fn debug_is_redacted() {
    let key = SigningKey::from_pem(key_pem()).unwrap();
    assert_eq!(format!("{key:?}"), "SigningKey([REDACTED])");
    let generated = generate_key_and_csr(KeyBits::Rsa2048, "x").unwrap();
    let shown = format!("{generated:?}");
    assert!(!shown.contains("BEGIN PRIVATE KEY"), "{shown}");
}

fn spki_der(pem: &str) -> Vec<u8> {
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.decode(b64).unwrap()
}

/// The SubjectPublicKeyInfo DER inside a CSR, after checking the CSR's self-signature.
fn csr_public_key(csr_pem: &str) -> Vec<u8> {
    assert!(csr_pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----"));
    let der = spki_der(csr_pem);
    let (rest, csr) =
        x509_parser::certification_request::X509CertificationRequest::from_der(&der).unwrap();
    assert!(rest.is_empty());
    csr.verify_signature().unwrap();
    csr.certification_request_info.subject_pki.raw.to_vec()
}

#[test]
fn generated_csr_matches_the_private_key() {
    let generated = generate_key_and_csr(KeyBits::Rsa2048, "Acme Oy signing").unwrap();
    let key = SigningKey::from_pem(&generated.private_key_pem).unwrap();
    assert_eq!(
        csr_public_key(&generated.csr_pem),
        spki_der(&key.public_key_pem())
    );
    let der = spki_der(&generated.csr_pem);
    let (_, csr) =
        x509_parser::certification_request::X509CertificationRequest::from_der(&der).unwrap();
    let subject = csr.certification_request_info.subject.to_string();
    assert_eq!(subject, "CN=Acme Oy signing");
    assert!(generate_key_and_csr(KeyBits::Rsa2048, "  ").is_err());
}
