//! A client certificate the bank does not trust is final: one connection, then `TLS`, never
//! a retry. Under TLS 1.3 the server checks the client certificate only after the client has
//! finished its side of the handshake and written its request, so the rejection (an alert,
//! then a reset) can reach the client as a failed write or a canceled request; that must
//! still be `TLS`. A loopback TCP proxy in front of the emulator counts the connections of
//! many runs, with the client's scheduler slowed so its request often loses that race.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (clippy.toml)

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use opcorp::ErrorKind;
use tokio::net::{TcpListener, TcpStream};

/// How many fresh clients try their untrusted certificate.
const RUNS: usize = 64;

/// A self-signed certificate and key the emulator's CA never issued.
fn foreign_identity() -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["intruder".into()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}

/// Starts a proxy to `upstream` on 127.0.0.1; returns its port and the accept counter. When
/// the upstream side fails (the emulator resets after its alert), the client side is reset
/// too (zero linger), so the client sees what it would see without the proxy.
async fn counting_proxy(upstream: std::net::SocketAddr) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let Ok(mut server) = TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                if tokio::io::copy_bidirectional(&mut client, &mut server)
                    .await
                    .is_err()
                {
                    let _ = client.set_zero_linger();
                }
            });
        }
    });
    (port, accepted)
}

/// Blocks the client's only thread for a moment between every other task step, so the
/// client writes its request only after the emulator (on its own runtime) has already sent
/// its alert and reset: the rejection then arrives as a failed write, the alert unread.
async fn slow_scheduler() {
    loop {
        std::thread::sleep(std::time::Duration::from_micros(500));
        tokio::task::yield_now().await;
    }
}

#[test]
fn an_untrusted_client_certificate_opens_one_connection_and_is_not_retried() {
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emu = server.block_on(common::emulator());
    let upstream: url_like::Addr = emu.base_url().parse().unwrap();
    let (port, accepted) = server.block_on(counting_proxy(upstream.0));
    let (cert, key) = foreign_identity();
    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut extra = Vec::new();
    client_rt.block_on(async {
        let hog = tokio::spawn(slow_scheduler());
        for run in 0..RUNS {
            let client = common::builder(&emu)
                .base_url(&format!("https://127.0.0.1:{port}"))
                .certificate_pem(&cert)
                .private_key_pem(&key)
                .build()
                .unwrap();
            let before = accepted.load(Ordering::SeqCst);
            let err = client.account_data().accounts().await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Tls, "run {run}: {err}");
            assert!(!err.is_retryable(), "run {run}");
            let opened = accepted.load(Ordering::SeqCst) - before;
            if opened != 1 {
                extra.push((run, opened, err.to_string()));
            }
        }
        hog.abort();
    });
    assert!(
        extra.is_empty(),
        "{} of {RUNS} runs opened more than one connection: {extra:?}",
        extra.len()
    );
    assert_eq!(common::token_requests(&emu), 0, "no request got through");
    let _guard = server.enter();
    drop(emu);
}

/// `https://127.0.0.1:PORT` → the socket address.
mod url_like {
    pub struct Addr(pub std::net::SocketAddr);

    impl std::str::FromStr for Addr {
        type Err = std::net::AddrParseError;

        fn from_str(url: &str) -> Result<Self, Self::Err> {
            let rest = url.trim_start_matches("https://");
            let host_port = rest.split('/').next().unwrap_or(rest);
            host_port.parse().map(Addr)
        }
    }
}
