//! The OP surface's TLS settings: rustls, TLS 1.2/1.3, ALPN `http/1.1`, and a client
//! certificate that must chain to the emulator's CA.

use std::sync::Arc;

use rustls::RootCertStore;
use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::EmulatorError;
use crate::identity::ca::{CertAuthority, IssuedCert};

/// The server configuration for `server`, trusting client certificates issued by `ca`.
pub(crate) fn server_config(
    ca: &CertAuthority,
    server: &IssuedCert,
) -> Result<Arc<rustls::ServerConfig>, EmulatorError> {
    let tls = |e: &dyn std::fmt::Display| EmulatorError::Tls(e.to_string());
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let ca_der = ca.cert_der().map_err(|e| tls(&e))?;
    let mut roots = RootCertStore::empty();
    roots.add(ca_der.clone()).map_err(|e| tls(&e))?;
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| tls(&e))?;
    let chain = vec![CertificateDer::from(server.cert_der.clone()), ca_der];
    let key = PrivateKeyDer::from_pem_slice(server.key_pem.as_bytes()).map_err(|e| tls(&e))?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls(&e))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| tls(&e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
