//! OAuth2 over mTLS against the emulator: token reuse, refresh ahead of expiry, single-flight
//! at expiry, the 401 refresh-and-replay rule, and secrets kept out of Debug and logs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (clippy.toml)

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opcorp::ErrorKind;
use opcorp::client::ClientBuilder;
use opcorp_emulator::{Fault, FaultKind};

#[tokio::test]
async fn token_is_fetched_over_mtls_once_and_reused() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let first = client.account_data().accounts().await.unwrap();
    assert!(!first.is_empty());
    for _ in 0..4 {
        client.account_data().accounts().await.unwrap();
    }
    // Clones share the cache.
    client.clone().account_data().accounts().await.unwrap();
    assert_eq!(common::token_requests(&emu), 1);
    assert_eq!(common::requests(&emu, "accounts"), 6);
}

#[tokio::test]
async fn token_is_refreshed_ahead_of_expiry_without_a_401() {
    let emu = common::emulator().await;
    emu.admin().set_token_lifetime(Duration::from_secs(2));
    let client = common::builder(&emu)
        .token_refresh_margin(Duration::from_secs(1))
        .build()
        .unwrap();
    client.account_data().accounts().await.unwrap();
    client.account_data().accounts().await.unwrap();
    assert_eq!(common::token_requests(&emu), 1);
    // Past the refresh point (1 s) but before expiry (2 s): a new token, no rejected call.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    client.account_data().accounts().await.unwrap();
    assert_eq!(common::token_requests(&emu), 2);
    assert_eq!(
        common::requests(&emu, "accounts"),
        3,
        "no 401 replay happened"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_at_expiry_make_one_token_request() {
    let emu = common::emulator().await;
    emu.admin().set_token_lifetime(Duration::from_secs(2));
    let client = common::builder(&emu)
        .token_refresh_margin(Duration::from_millis(500))
        .build()
        .unwrap();
    client.account_data().accounts().await.unwrap();
    assert_eq!(common::token_requests(&emu), 1);
    // The refreshed token lives long, so a slow machine cannot push the 1,000 calls past its
    // own refresh point and legitimately cause a second refresh.
    emu.admin().set_token_lifetime(Duration::from_secs(600));
    // Let the cached token reach its refresh point, then hit it with 1,000 callers at once.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let barrier = Arc::new(tokio::sync::Barrier::new(1000));
    let mut tasks = Vec::new();
    for _ in 0..1000 {
        let (client, barrier) = (client.clone(), Arc::clone(&barrier));
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            client.account_data().accounts().await.map(|a| a.len())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(common::token_requests(&emu), 2, "exactly one refresh");
    assert_eq!(
        common::requests(&emu, "accounts"),
        1001,
        "no caller saw a 401"
    );
}

#[tokio::test]
async fn revoked_token_is_refreshed_once_and_the_call_replayed() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    client.account_data().accounts().await.unwrap();
    emu.admin().revoke_tokens();
    client.account_data().accounts().await.unwrap();
    assert_eq!(common::token_requests(&emu), 2);
    assert_eq!(common::requests(&emu, "accounts"), 3);
}

#[tokio::test]
async fn persistent_401_is_an_auth_error_without_a_loop() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(Fault {
        route: Some("accounts".into()),
        kind: FaultKind::Status {
            status: 401,
            retry_after: None,
            body: None,
            content_type: None,
        },
        times: None,
    });
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
    assert_eq!(err.status(), Some(401));
    assert!(err.request_id().is_some());
    assert_eq!(
        common::requests(&emu, "accounts"),
        2,
        "one call, one replay"
    );
    assert_eq!(common::token_requests(&emu), 2, "one token, one refresh");
}

#[tokio::test]
async fn wrong_client_secret_is_an_auth_error_naming_no_secret() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .client_secret("definitely-wrong-secret")
        .build()
        .unwrap();
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("definitely-wrong-secret"), "{shown}");
    assert!(!shown.contains(&emu.identity().client_secret), "{shown}");
    assert_eq!(common::requests(&emu, "accounts"), 0);
}

#[tokio::test]
async fn token_endpoint_5xx_goes_through_the_retry_policy() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(Fault {
        route: Some("token".into()),
        kind: FaultKind::Status {
            status: 503,
            retry_after: None,
            body: None,
            content_type: None,
        },
        times: Some(2),
    });
    client.account_data().accounts().await.unwrap();
    assert_eq!(common::token_requests(&emu), 3);
}

#[tokio::test]
async fn debug_output_shows_no_secret() {
    let emu = common::emulator().await;
    let id = emu.identity();
    let builder = common::builder(&emu);
    let shown = format!("{builder:?}");
    let client = builder.build().unwrap();
    client.account_data().accounts().await.unwrap();
    let shown = format!("{shown} {client:?}");
    assert!(shown.contains("[REDACTED]"), "{shown}");
    assert!(!shown.contains(&id.client_secret), "{shown}");
    assert!(!shown.contains("BEGIN"), "{shown}");
}

/// A `tracing` writer collecting everything into one buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn trace_logs_contain_no_secret_token_or_key() {
    use tracing_subscriber::EnvFilter;
    let captured = Captured::default();
    let writer = captured.clone();
    // Global (with the `log` bridge, so rustls' and hyper's logs are caught too): every test
    // running in this binary at the same time is checked as well, and callsite interest is
    // not cached per thread.
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("trace,opcorp_emulator=off"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init()
        .unwrap();

    let emu = common::emulator().await;
    let id = emu.identity().clone();
    let client = common::client(&emu);
    client.account_data().accounts().await.unwrap();
    emu.admin().revoke_tokens();
    client.account_data().accounts().await.unwrap();
    emu.admin().inject(Fault {
        route: Some("accounts".into()),
        kind: FaultKind::Status {
            status: 503,
            retry_after: None,
            body: None,
            content_type: None,
        },
        times: None,
    });
    let _ = client.account_data().accounts().await.unwrap_err();
    // A client built from env-style inline PEM, with a bad secret, for the error paths.
    let vars = id.env_vars(&emu.base_url());
    let bad = ClientBuilder::from_env_with(|name| {
        vars.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .map(|v| {
                if name == "OPCORP_CLIENT_SECRET" {
                    "x".into()
                } else {
                    v
                }
            })
    })
    .unwrap()
    .build()
    .unwrap();
    let _ = bad.account_data().accounts().await.unwrap_err();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("attempt answered"),
        "TRACE logging was captured"
    );
    for needle in [
        id.client_secret.as_str(),
        "BEGIN",
        "Bearer ",
        "bearer ",
        "client_secret=",
        "access_token",
    ] {
        assert!(!logs.contains(needle), "logs contain {needle:?}");
    }
}
