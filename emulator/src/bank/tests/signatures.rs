//! JWS signature checks on payments and refunds.

use super::payments::{SEPA, payment_body};
use super::support::*;

fn status_and_code(bank: &mut crate::bank::Bank, body: &[u8], sig: Option<&str>) -> (u16, String) {
    let r = post(bank, "alice", SEPA, body, sig);
    (r.status, code(&r))
}

#[test]
fn good_signature_is_accepted() {
    let mut bank = bank();
    let own = bank.accounts_of("alice")[0].iban.clone();
    let body = payment_body("S1", &own, "FI3859991620004143", "5.00");
    assert_eq!(
        status_and_code(&mut bank, &body, Some(&alice_sig(&body))).0,
        201
    );
    // Header member order does not matter; iat at the window edge is fine.
    let body = payment_body("S2", &own, "FI3859991620004143", "5.00");
    let iat = NOW / 1_000_000 - 300;
    let h = encode_header(&format!(
        r#"{{"crit":["urn:op.api.iat","b64"],"urn:op.api.iat":{iat},"b64":false,"kid":"{ALICE_KID}","alg":"RS256"}}"#
    ));
    assert_eq!(
        status_and_code(&mut bank, &body, Some(&sign_raw(&keys().0, &h, &body))).0,
        201
    );
}

/// Name, header value, body, expected status and error code.
type Case<'a> = (&'a str, Option<String>, &'a [u8], u16, &'a str);

#[test]
fn bad_signatures_are_rejected() {
    let mut bank = bank();
    let own = bank.accounts_of("alice")[0].iban.clone();
    let body = payment_body("S3", &own, "FI3859991620004143", "5.00");
    let (alice, bob) = keys();
    let now = NOW / 1_000_000;
    let with = |json: &str| sign_raw(alice, &encode_header(json), &body);
    let good = alice_sig(&body);
    let mut tampered = body.clone();
    tampered[10] ^= 1;
    let cases: Vec<Case<'_>> = vec![
        ("missing", None, &body, 400, "missing_signature"),
        (
            "empty",
            Some(String::new()),
            &body,
            400,
            "missing_signature",
        ),
        (
            "body changed",
            Some(good.clone()),
            &tampered,
            400,
            "invalid_signature",
        ),
        (
            "bad signature bytes",
            Some(format!("{}AAAA", &good[..good.len() - 4])),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "single dot",
            Some(good.replacen("..", ".", 1)),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "wrong alg",
            Some(with(
                &standard_header(ALICE_KID, now).replace("RS256", "HS256"),
            )),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "b64 true",
            Some(with(
                &standard_header(ALICE_KID, now).replace("\"b64\":false", "\"b64\":true"),
            )),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "b64 string",
            Some(with(
                &standard_header(ALICE_KID, now).replace("\"b64\":false", "\"b64\":\"false\""),
            )),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "missing crit",
            Some(with(&format!(
                r#"{{"alg":"RS256","kid":"{ALICE_KID}","b64":false,"urn:op.api.iat":{now}}}"#
            ))),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "crit incomplete",
            Some(with(
                &standard_header(ALICE_KID, now)
                    .replace(r#"["b64","urn:op.api.iat"]"#, r#"["b64"]"#),
            )),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "crit extra",
            Some(with(&standard_header(ALICE_KID, now).replace(
                r#"["b64","urn:op.api.iat"]"#,
                r#"["b64","urn:op.api.iat","x"]"#,
            ))),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "iat string",
            Some(with(
                &standard_header(ALICE_KID, now)
                    .replace(&format!(":{now}"), &format!(":\"{now}\"")),
            )),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "iat old",
            Some(with(&standard_header(ALICE_KID, now - 301))),
            &body,
            400,
            "signature_iat_out_of_window",
        ),
        (
            "iat future",
            Some(with(&standard_header(ALICE_KID, now + 301))),
            &body,
            400,
            "signature_iat_out_of_window",
        ),
        (
            "unknown kid",
            Some(with(&standard_header("nope", now))),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "bob's kid, alice's key",
            Some(with(&standard_header(BOB_KID, now))),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "bob's kid and key",
            Some(sign_raw(
                bob,
                &encode_header(&standard_header(BOB_KID, now)),
                &body,
            )),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "alice's kid, bob's key",
            Some(sign_raw(
                bob,
                &encode_header(&standard_header(ALICE_KID, now)),
                &body,
            )),
            &body,
            400,
            "invalid_signature",
        ),
        (
            "header not base64",
            Some(format!("!!!..{}", good.split("..").nth(1).unwrap())),
            &body,
            400,
            "invalid_signature",
        ),
    ];
    for (name, sig, body, status, want) in cases {
        let (s, c) = status_and_code(&mut bank, body, sig.as_deref());
        assert_eq!((s, c.as_str()), (status, want), "{name}");
    }
    assert!(bank.ledger().is_empty());
}

#[test]
fn key_registration_rules() {
    let mut bank = bank();
    assert!(
        bank.register_signing_key("nobody", "k", &spki(&keys().0))
            .is_err()
    );
    assert!(
        bank.register_signing_key("alice", "k", b"not a key")
            .is_err()
    );
    assert!(
        bank.register_signing_key("alice", "", &spki(&keys().0))
            .is_err()
    );
    let small = aws_lc_rs::signature::EcdsaKeyPair::generate(
        &aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
    )
    .unwrap();
    let ec_spki =
        aws_lc_rs::encoding::AsDer::as_der(aws_lc_rs::signature::KeyPair::public_key(&small))
            .unwrap();
    assert!(
        bank.register_signing_key("alice", "ec", ec_spki.as_ref())
            .is_err()
    );
}
