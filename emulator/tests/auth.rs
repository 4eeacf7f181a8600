//! mTLS and OAuth on the OP surface: who gets in, who does not.

mod common;

use std::time::Duration;

use common::*;
use rcgen::{CertificateParams, KeyPair};
use serde_json::Value;

#[tokio::test]
async fn token_flow_and_api_call_with_request_id() {
    let emu = emulator().await;
    let id = emu.identity().clone();
    let http = client(&id);
    let response = token_response(&http, &emu.base_url(), &id.client_id, &id.client_secret)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("date"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(token.len(), 40);

    let response = http
        .get(format!("{}{ACCOUNTS_PATH}", emu.base_url()))
        .bearer_auth(token)
        .header("x-request-id", "1afb1874-5bd5-4c5a-9dbb-21a66ab23a85")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["x-request-id"],
        "1afb1874-5bd5-4c5a-9dbb-21a66ab23a85"
    );
    assert_eq!(response.headers()["content-type"], "application/json");
    let counters = emu.admin().counters();
    assert_eq!(counters.token_requests, 1);
    assert_eq!(counters.requests["accounts"], 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn bad_credentials_and_grants_are_refused_and_counted() {
    let emu = emulator().await;
    let id = emu.identity().clone();
    let http = client(&id);
    let base = emu.base_url();
    let wrong = token_response(&http, &base, &id.client_id, "wrong-secret")
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["status"], 401);

    let unknown = token_response(&http, &base, "nobody", &id.client_secret)
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401);

    let grant = http
        .post(format!("{base}{TOKEN_PATH}"))
        .form(&[("grant_type", "password"), ("client_id", &id.client_id)])
        .send()
        .await
        .unwrap();
    assert_eq!(grant.status(), 400);
    let body: Value = grant.json().await.unwrap();
    assert_eq!(body["error"], "unsupported_grant_type");

    let basic = http
        .post(format!("{base}{TOKEN_PATH}"))
        .basic_auth(&id.client_id, Some(&id.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401, "credentials must be in the form body");

    let json_body = http
        .post(format!("{base}{TOKEN_PATH}"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(json_body.status(), 400);
    assert_eq!(emu.admin().counters().token_requests, 5);
    emu.shutdown().await;
}

#[tokio::test]
async fn missing_unknown_expired_and_revoked_tokens_get_401() {
    let emu = emulator().await;
    let id = emu.identity().clone();
    let http = client(&id);
    let base = emu.base_url();

    let missing = http
        .get(format!("{base}{ACCOUNTS_PATH}"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 401);
    assert!(missing.headers().contains_key("www-authenticate"));
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"], "invalid_token");

    let unknown = get(&http, &base, &"0".repeat(40), ACCOUNTS_PATH)
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401);

    emu.admin().set_token_lifetime(Duration::from_millis(300));
    let short = token(&http, &base, &id).await;
    assert_eq!(
        get(&http, &base, &short, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        200
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        get(&http, &base, &short, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        401
    );

    emu.admin().set_token_lifetime(Duration::from_secs(3600));
    let live = token(&http, &base, &id).await;
    assert_eq!(
        get(&http, &base, &live, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        200
    );
    emu.admin().revoke_tokens();
    assert_eq!(
        get(&http, &base, &live, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        401
    );
    let fresh = token(&http, &base, &id).await;
    assert_eq!(
        get(&http, &base, &fresh, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        200
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn tokens_and_certificates_are_bound_to_their_client() {
    let emu = emulator().await;
    let a = emu.identity().clone();
    let b = emu.admin().issue_client("Second Oy");
    assert_ne!(a.client_id, b.client_id);
    let (http_a, http_b) = (client(&a), client(&b));
    let base = emu.base_url();

    let token_b = token(&http_b, &base, &b).await;
    assert_eq!(
        get(&http_b, &base, &token_b, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        200
    );
    let crossed = get(&http_a, &base, &token_b, ACCOUNTS_PATH).await.unwrap();
    assert_eq!(crossed.status(), 401, "B's token over A's certificate");

    // B's credentials over A's certificate do not get a token either.
    let response = token_response(&http_a, &base, &b.client_id, &b.client_secret)
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_ne!(
        emu.admin().accounts(&b.client_id),
        emu.admin().accounts(&a.client_id)
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn connection_without_client_certificate_is_refused_in_the_handshake() {
    let emu = emulator().await;
    let http = builder(emu.identity()).build().unwrap();
    let err = http
        .get(format!("{}{ACCOUNTS_PATH}", emu.base_url()))
        .send()
        .await
        .expect_err("no client certificate");
    assert!(err.status().is_none(), "no HTTP answer: {}", chain(&err));
    assert_eq!(emu.admin().counters().requests.len(), 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn certificate_from_a_foreign_ca_is_refused() {
    let emu = emulator().await;
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["intruder".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let pem = format!("{}{}", cert.pem(), key.serialize_pem());
    let http = builder(emu.identity())
        .identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let err = token_response(&http, &emu.base_url(), "x", "y")
        .await
        .expect_err("foreign certificate");
    assert!(err.status().is_none(), "{}", chain(&err));
    assert_eq!(emu.admin().counters().token_requests, 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn onboarded_csr_certificate_works_for_a_real_mtls_call() {
    let emu = emulator().await;
    let demo = emu.identity().clone();
    let key = KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048).unwrap();
    let csr = CertificateParams::new(Vec::<String>::new())
        .unwrap()
        .serialize_request(&key)
        .unwrap()
        .pem()
        .unwrap();
    let cert_pem = emu.admin().sign_csr(&csr).unwrap();
    assert!(emu.admin().sign_csr("not a csr").is_err());
    let onboarded = opcorp_emulator::ClientIdentity {
        cert_pem,
        key_pem: key.serialize_pem(),
        ..demo.clone()
    };
    let http = client(&onboarded);
    let token = token(&http, &emu.base_url(), &onboarded).await;
    let response = get(&http, &emu.base_url(), &token, ACCOUNTS_PATH)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // A signing key registered from its public key gets a kid.
    let signing =
        KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048).unwrap();
    let kid = emu
        .admin()
        .register_signing_key(&demo.client_id, &signing.public_key_pem())
        .unwrap();
    assert!(kid.starts_with("emu-"));
    let ec = KeyPair::generate().unwrap();
    assert!(
        emu.admin()
            .register_signing_key(&demo.client_id, &ec.public_key_pem())
            .is_err()
    );
    assert!(
        emu.admin()
            .register_signing_key("nobody", &signing.public_key_pem())
            .is_err()
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn oversized_request_bodies_get_413() {
    let emu = emulator_with(opcorp_emulator::EmulatorConfig {
        quiet: true,
        max_body_bytes: 1024,
        ..Default::default()
    })
    .await;
    let id = emu.identity().clone();
    let http = client(&id);
    let base = emu.base_url();
    let token = token(&http, &base, &id).await;
    let response = http
        .post(format!("{base}{SEPA_PATH}"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(vec![b' '; 4096])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "payload_too_large");
    let big_form = http
        .post(format!("{base}{TOKEN_PATH}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&pad={}",
            "x".repeat(4096)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(big_form.status(), 413);
    // The connection and server still work afterwards.
    assert_eq!(
        get(&http, &base, &token, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        200
    );
    let unknown = get(&http, &base, &token, "/corporate-account-data/v9/nothing")
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    emu.shutdown().await;
}

#[tokio::test]
async fn debug_output_redacts_secrets() {
    let emu = emulator().await;
    let id = emu.identity();
    let debug = format!("{id:?}");
    assert!(!debug.contains(&id.client_secret));
    assert!(!debug.contains("PRIVATE KEY"));
    assert!(debug.contains("[REDACTED]"));
    let env = id.env_vars(&emu.base_url());
    assert_eq!(env[0], ("OPCORP_ENV".to_string(), "custom".to_string()));
    let files = id.files.as_ref().unwrap();
    assert!(env.contains(&("OPCORP_CERT".to_string(), files.cert.display().to_string())));
    assert!(files.key.exists() && files.signing_key.exists() && files.ca.exists());
    emu.shutdown().await;
}
