//! The OP surface: HTTPS with mandatory client certificates, the token endpoint and the API
//! routes, with fault injection in front of the bank.

mod abort;
mod api;
mod inject;
pub(crate) mod reply;
mod token;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, DATE, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::identity::keys::fingerprint;
use crate::shared::Shared;
use abort::{AbortSignal, AbortableIo};
use reply::{Body, Outcome};

/// Path of the OAuth2 token endpoint.
pub(crate) const TOKEN_PATH: &str = "/corporate-oidc/v1/token";

/// Longest a client may take to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest a client may take to send request headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// One TLS connection as request handlers see it.
pub(crate) struct Conn {
    /// SHA-256 fingerprint of the client certificate presented in the handshake.
    pub fingerprint: Option<String>,
    /// Resets the connection.
    abort: Arc<AbortSignal>,
}

/// Accepts connections until `shutdown` changes; open connections are dropped on return.
pub(crate) async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                // During an outage a connection is closed on arrival, before TLS.
                Ok((tcp, _)) if shared.outage.active() => drop(tcp),
                Ok((tcp, _)) => {
                    connections.spawn(connection(tcp, acceptor.clone(), shared.clone()));
                }
                Err(err) => {
                    // Typically out of file descriptors: back off instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

/// Serves one connection: TLS handshake (the verifier requires a client certificate from
/// the emulator's CA), then HTTP/1.1 with keep-alive until the peer closes or a fault aborts.
async fn connection(tcp: TcpStream, acceptor: TlsAcceptor, shared: Arc<Shared>) {
    let _ = tcp.set_nodelay(true);
    let outage = shared.outage.next_drop();
    let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(err)) => {
            tracing::debug!(error = %err, "TLS handshake refused");
            return;
        }
        Err(_) => return,
    };
    let fingerprint = tls
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|cert| fingerprint(cert.as_ref()));
    let abort = Arc::new(AbortSignal::default());
    let conn = Arc::new(Conn {
        fingerprint,
        abort: abort.clone(),
    });
    let io = TokioIo::new(AbortableIo::new(tls, abort.clone()));
    let service = service_fn(move |request| {
        let (shared, conn) = (shared.clone(), conn.clone());
        async move { Ok::<_, Infallible>(respond(&shared, &conn, request).await) }
    });
    let http = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(io, service);
    tokio::select! {
        _ = http => {}
        _ = abort.aborted() => {}
        _ = outage => {}
    }
}

/// Answers one request and adds the headers every response carries.
async fn respond(
    shared: &Shared,
    conn: &Conn,
    request: Request<hyper::body::Incoming>,
) -> Response<Body> {
    let request_id = request.headers().get("x-request-id").cloned();
    let outcome = if request.uri().path() == TOKEN_PATH {
        token::handle(shared, conn, request).await
    } else {
        api::handle(shared, conn, request).await
    };
    let mut response = match outcome {
        Outcome::Reply(response) => response,
        Outcome::Abort => {
            conn.abort.abort();
            // The connection task drops this future together with the connection.
            return std::future::pending().await;
        }
    };
    let headers = response.headers_mut();
    headers
        .entry(CONTENT_TYPE)
        .or_insert(HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(shared.bank_time())) {
        headers.insert(DATE, date);
    }
    if let Some(id) = request_id {
        headers.insert(HeaderName::from_static("x-request-id"), id);
    }
    response
}
