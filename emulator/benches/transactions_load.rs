//! Load benchmark: transaction-list reads against the emulator over keep-alive mTLS.
//!
//! Starts an in-process emulator, then `CLIENTS` independent reqwest clients (one TLS
//! connection each, kept alive) read the first account's V2 transactions until `REQUESTS`
//! reads are done. Prints requests/second and latency percentiles.
//!
//! Run: `cargo bench -p opcorp-emulator --bench transactions_load`
//! (override with `BENCH_CLIENTS=16 BENCH_REQUESTS=50000`).

// A benchmark harness, like a test: any failure should abort the run loudly.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use opcorp_emulator::{ClientIdentity, EmulatorConfig};
use serde_json::Value;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn client(identity: &ClientIdentity) -> reqwest::Client {
    let pem = format!("{}{}", identity.cert_pem, identity.key_pem);
    let ca = reqwest::Certificate::from_pem(identity.ca_pem.as_bytes()).unwrap();
    reqwest::Client::builder()
        .tls_certs_only([ca])
        .identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap())
        .no_proxy()
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs it as a quick smoke test.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let clients = env_or("BENCH_CLIENTS", 8);
    let total = if smoke {
        80
    } else {
        env_or("BENCH_REQUESTS", 20_000)
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(run(clients, total));
}

async fn run(clients: usize, total: usize) {
    let emulator = opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        transactions_per_account: 200,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let identity = emulator.identity().clone();
    let base = emulator.base_url();
    let setup = client(&identity);
    let token: Value = setup
        .post(format!("{base}/corporate-oidc/v1/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &identity.client_id),
            ("client_secret", &identity.client_secret),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let accounts: Value = setup
        .get(format!("{base}/corporate-account-data/v1/accounts"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let surrogate = accounts[0]["surrogateId"].as_str().unwrap();
    let url = format!("{base}/corporate-account-data/v2/accounts/{surrogate}/transactions");

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, url, token, next) =
            (client(&identity), url.clone(), token.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < total {
                let sent = Instant::now();
                let response = http.get(&url).bearer_auth(&token).send().await.unwrap();
                assert_eq!(response.status(), 200);
                response.bytes().await.unwrap();
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "transactions_load: {} requests, {clients} keep-alive mTLS clients, {:.2?} total, {:.0} requests/s, p50 {:.2?}, p99 {:.2?}",
        latencies.len(),
        elapsed,
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
    );
    let counted = emulator.admin().counters().requests["transactions_v2"];
    assert_eq!(counted as usize, latencies.len());
    emulator.shutdown().await;
}
