//! The mTLS identity: build-time checks (mismatch, garbage, expiry, http:// in production),
//! configuration from the environment, and TLS failures at call time against the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (clippy.toml)

mod common;

use opcorp::ErrorKind;
use opcorp::client::{Client, ClientBuilder};
use opcorp::config::Environment;

/// A self-signed certificate and its key, valid from `from` to `to` days from now.
fn foreign_identity(from: i64, to: i64) -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["intruder".into()]).unwrap();
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now + time::Duration::days(from);
    params.not_after = now + time::Duration::days(to);
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}

/// A builder with every required setting but the certificate and key.
fn credentials_only() -> ClientBuilder {
    Client::builder()
        .base_url("https://127.0.0.1:1")
        .client_id("id")
        .client_secret("top-secret-value")
}

#[test]
fn certificate_and_key_mismatch_fails_at_build() {
    let (cert, _) = foreign_identity(-1, 30);
    let (_, other_key) = foreign_identity(-1, 30);
    let err = credentials_only()
        .certificate_pem(&cert)
        .private_key_pem(&other_key)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.message().contains("does not match"), "{err}");
    assert!(!err.message().contains("BEGIN"), "{err}");
}

#[test]
fn garbage_pem_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mtls.crt");
    std::fs::write(&path, "this is not a certificate").unwrap();
    let (_, key) = foreign_identity(-1, 30);
    let err = credentials_only()
        .certificate_file(&path)
        .private_key_pem(&key)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.message().contains("mtls.crt"), "{err}");
    let missing = dir.path().join("nope.key");
    let (cert, _) = foreign_identity(-1, 30);
    let err = credentials_only()
        .certificate_pem(&cert)
        .private_key_file(&missing)
        .build()
        .unwrap_err();
    assert!(err.message().contains("nope.key"), "{err}");
}

#[test]
fn expired_certificate_fails_at_build_with_the_date() {
    let (cert, key) = foreign_identity(-60, -2);
    let err = credentials_only()
        .certificate_pem(&cert)
        .private_key_pem(&key)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let expected = (time::OffsetDateTime::now_utc() - time::Duration::days(2)).date();
    assert!(err.message().contains(&expected.to_string()), "{err}");
}

#[test]
fn production_refuses_http_and_missing_settings_are_named() {
    let (cert, key) = foreign_identity(-1, 30);
    let err = Client::builder()
        .environment(Environment::Custom("http://bank.example.com".into()))
        .client_id("id")
        .client_secret("s")
        .certificate_pem(&cert)
        .private_key_pem(&key)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let err = ClientBuilder::from_env_with(|name| match name {
        "OPCORP_ENV" => Some("production".into()),
        "OPCORP_BASE_URL" => Some("http://127.0.0.1:8443".into()),
        _ => None,
    })
    .unwrap_err();
    assert!(err.message().contains("refuses plain http"), "{err}");
    let err = Client::builder().client_id("id").build().unwrap_err();
    assert!(err.message().contains("OPCORP_CLIENT_SECRET"), "{err}");
}

#[tokio::test]
async fn from_env_with_file_paths_and_with_inline_pem() {
    let emu = common::emulator().await;
    let id = emu.identity();
    assert!(
        id.files.is_some(),
        "the emulator writes its identity to files"
    );
    let vars = id.env_vars(&emu.base_url());
    let with_files = ClientBuilder::from_env_with(|name| {
        vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    })
    .unwrap()
    .build()
    .unwrap();
    with_files.account_data().accounts().await.unwrap();

    let inline = |name: &str| -> Option<String> {
        match name {
            "OPCORP_ENV" => Some("custom".into()),
            "OPCORP_BASE_URL" => Some(emu.base_url()),
            "OPCORP_CLIENT_ID" => Some(id.client_id.clone()),
            "OPCORP_CLIENT_SECRET" => Some(id.client_secret.clone()),
            "OPCORP_CERT" => Some(id.cert_pem.clone()),
            "OPCORP_KEY" => Some(id.key_pem.clone()),
            "OPCORP_CA" => Some(id.ca_pem.clone()),
            "OPCORP_SIGNING_KEY" => Some(id.signing_key_pem.clone()),
            "OPCORP_SIGNING_KID" => Some(id.signing_kid.clone()),
            _ => None,
        }
    };
    let builder = ClientBuilder::from_env_with(inline).unwrap();
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("BEGIN") && !shown.contains(&id.client_secret),
        "{shown}"
    );
    let client = builder.build().unwrap();
    client.account_data().accounts().await.unwrap();
    assert_eq!(common::token_requests(&emu), 2);
}

#[tokio::test]
async fn a_certificate_from_a_foreign_ca_is_a_tls_error_at_call_time() {
    let emu = common::emulator().await;
    let (cert, key) = foreign_identity(-1, 30);
    let client = common::builder(&emu)
        .certificate_pem(&cert)
        .private_key_pem(&key)
        .build()
        .unwrap();
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
    assert!(!err.is_retryable());
    assert_eq!(common::requests(&emu, "accounts"), 0);
}

#[tokio::test]
async fn another_clients_certificate_cannot_use_this_clients_credentials() {
    let emu = common::emulator().await;
    let other = emu.admin().issue_client("other-tenant");
    let client = common::builder(&emu)
        .certificate_pem(&other.cert_pem)
        .private_key_pem(&other.key_pem)
        .build()
        .unwrap();
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
}

#[tokio::test]
async fn an_untrusted_server_ca_is_a_tls_error() {
    let emu = common::emulator().await;
    let (foreign_ca, _) = foreign_identity(-1, 30);
    let id = emu.identity();
    let client = Client::builder()
        .base_url(&emu.base_url())
        .client_id(&id.client_id)
        .client_secret(&id.client_secret)
        .certificate_pem(&id.cert_pem)
        .private_key_pem(&id.key_pem)
        .ca_certificate_pem(&foreign_ca)
        .build()
        .unwrap();
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
    assert!(
        err.message().to_lowercase().contains("certificate"),
        "{err}"
    );
    assert_eq!(common::token_requests(&emu), 0, "nothing was sent");
}
