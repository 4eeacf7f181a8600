//! The mTLS identity: the client certificate chain and key, checked at build time and turned
//! into the rustls configuration that every call (the token call included) presents.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::PemSource;
use crate::error::{Error, Result};

/// How close to expiry a client certificate triggers a warning at build time.
const EXPIRY_WARNING: time::Duration = time::Duration::days(30);

/// The checked certificate chain and private key of the client.
pub(crate) struct TlsIdentity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("chain_len", &self.chain.len())
            .field("key", &"[REDACTED]")
            .finish()
    }
}

impl TlsIdentity {
    /// Loads and checks the identity: both PEMs parse, the key is not encrypted, the key
    /// belongs to the first certificate, and that certificate is valid now. Error messages
    /// name the source (variable or file), never its content.
    pub(crate) fn load(cert: &PemSource, key: &PemSource) -> Result<Self> {
        let cert_pem = cert.read("client certificate")?;
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| {
                Error::config(format!(
                    "client certificate ({}) is not valid PEM: {e}",
                    cert.describe()
                ))
            })?;
        if chain.is_empty() {
            return Err(Error::config(format!(
                "client certificate ({}) contains no CERTIFICATE block",
                cert.describe()
            )));
        }
        let key_pem = key.read("client private key")?;
        let key_der = parse_private_key(&key_pem, &key.describe(), "client private key")?;
        if let Some(expires) =
            check_validity(&chain[0], &cert.describe(), time::OffsetDateTime::now_utc())?
        {
            tracing::warn!(
                certificate = %cert.describe(),
                expires = %fmt_date(expires),
                "client certificate expires within 30 days; renew it in OP API Admin"
            );
        }
        check_key_matches(&chain, &key_der, &cert.describe(), &key.describe())?;
        Ok(TlsIdentity {
            chain,
            key: key_der,
        })
    }

    /// Builds the rustls client configuration: aws-lc-rs, TLS 1.2 and 1.3, server roots from
    /// `webpki-roots` plus `extra_ca` (e.g. the emulator's CA), and this identity.
    pub(crate) fn rustls_config(
        &self,
        extra_ca: Option<&PemSource>,
    ) -> Result<rustls::ClientConfig> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        if let Some(ca) = extra_ca {
            let pem = ca.read("CA certificate")?;
            let mut added = 0;
            for cert in CertificateDer::pem_slice_iter(&pem) {
                let cert = cert.map_err(|e| {
                    Error::config(format!(
                        "CA certificate ({}) is not valid PEM: {e}",
                        ca.describe()
                    ))
                })?;
                roots.add(cert).map_err(|e| {
                    Error::config(format!(
                        "CA certificate ({}) is not a usable trust anchor: {e}",
                        ca.describe()
                    ))
                })?;
                added += 1;
            }
            if added == 0 {
                return Err(Error::config(format!(
                    "CA certificate ({}) contains no CERTIFICATE block",
                    ca.describe()
                )));
            }
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| Error::config(format!("TLS setup failed: {e}")))?
            .with_root_certificates(roots)
            .with_client_auth_cert(self.chain.clone(), self.key.clone_key())
            .map_err(|e| Error::config(format!("client certificate/key rejected by TLS: {e}")))
    }
}

/// Parses one private key (PKCS#8, PKCS#1 or SEC1), with a clear error for encrypted keys.
pub(crate) fn parse_private_key(
    pem: &[u8],
    origin: &str,
    what: &str,
) -> Result<PrivateKeyDer<'static>> {
    let text = String::from_utf8_lossy(pem);
    if text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(Error::config(format!(
            "{what} ({origin}) is encrypted; provide it decrypted (e.g. `openssl pkcs8 -nocrypt`)"
        )));
    }
    PrivateKeyDer::from_pem_slice(pem).map_err(|e| {
        Error::config(format!(
            "{what} ({origin}) is not a valid PEM private key: {e}"
        ))
    })
}

/// Refuses a certificate that is expired or not yet valid; returns its expiry when that is
/// less than 30 days away (the caller warns).
fn check_validity(
    cert: &CertificateDer<'_>,
    origin: &str,
    now: time::OffsetDateTime,
) -> Result<Option<time::OffsetDateTime>> {
    let (_, parsed) = x509_parser::parse_x509_certificate(cert.as_ref()).map_err(|e| {
        Error::config(format!(
            "client certificate ({origin}) is not valid X.509: {e}"
        ))
    })?;
    let validity = parsed.validity();
    let not_before = validity.not_before.to_datetime();
    let not_after = validity.not_after.to_datetime();
    if now < not_before {
        return Err(Error::config(format!(
            "client certificate ({origin}) is not valid before {}",
            fmt_date(not_before)
        )));
    }
    if now > not_after {
        return Err(Error::config(format!(
            "client certificate ({origin}) expired on {}",
            fmt_date(not_after)
        )));
    }
    Ok((not_after - now < EXPIRY_WARNING).then_some(not_after))
}

/// Checks that the private key belongs to the end-entity certificate.
fn check_key_matches(
    chain: &[CertificateDer<'static>],
    key: &PrivateKeyDer<'static>,
    cert_origin: &str,
    key_origin: &str,
) -> Result<()> {
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let signing_key = provider
        .key_provider
        .load_private_key(key.clone_key())
        .map_err(|e| {
            Error::config(format!(
                "client private key ({key_origin}) is not a supported key: {e}"
            ))
        })?;
    let certified = rustls::sign::CertifiedKey::new(chain.to_vec(), signing_key);
    match certified.keys_match() {
        Ok(()) => Ok(()),
        Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch)) => {
            Err(Error::config(format!(
                "client private key ({key_origin}) does not match the public key of the client \
                 certificate ({cert_origin})"
            )))
        }
        Err(e) => Err(Error::config(format!(
            "cannot check that the client private key ({key_origin}) matches the client \
             certificate ({cert_origin}): {e}"
        ))),
    }
}

/// Formats a timestamp as RFC 3339 for messages.
fn fmt_date(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn self_signed(days_from: i64, days_to: i64) -> (String, String) {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["client".into()]).unwrap();
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now + time::Duration::days(days_from);
        params.not_after = now + time::Duration::days(days_to);
        let cert = params.self_signed(&key).unwrap();
        (cert.pem(), key.serialize_pem())
    }

    fn load(cert: &str, key: &str) -> Result<TlsIdentity> {
        TlsIdentity::load(
            &PemSource::inline("cert", cert.as_bytes()),
            &PemSource::inline("key", key.as_bytes()),
        )
    }

    #[test]
    fn valid_identity_builds_a_tls_config() {
        let (cert, key) = self_signed(-1, 365);
        let id = load(&cert, &key).unwrap();
        id.rustls_config(Some(&PemSource::inline("ca", cert.as_bytes())))
            .unwrap();
        assert!(!format!("{id:?}").contains("BEGIN"));
    }

    #[test]
    fn mismatched_key_is_refused_without_key_material() {
        let (cert, _) = self_signed(-1, 365);
        let (_, other_key) = self_signed(-1, 365);
        let err = load(&cert, &other_key).unwrap_err();
        assert!(err.message().contains("does not match"), "{err}");
        assert!(!err.message().contains("BEGIN"), "{err}");
    }

    #[test]
    fn expired_and_future_certificates_are_refused_with_the_date() {
        let (cert, key) = self_signed(-30, -1);
        let err = load(&cert, &key).unwrap_err();
        assert!(err.message().contains("expired on 2"), "{err}");
        let (cert, key) = self_signed(2, 30);
        let err = load(&cert, &key).unwrap_err();
        assert!(err.message().contains("not valid before"), "{err}");
    }

    #[test]
    fn certificates_expiring_within_30_days_are_flagged() {
        let now = time::OffsetDateTime::now_utc();
        for (days, flagged) in [(10, true), (29, true), (31, false), (365, false)] {
            let (cert, _) = self_signed(-1, days);
            let der = CertificateDer::from_pem_slice(cert.as_bytes()).unwrap();
            let soon = check_validity(&der, "cert", now).unwrap();
            assert_eq!(soon.is_some(), flagged, "{days} days");
        }
    }

    #[test]
    fn garbage_and_encrypted_pem_are_precise_errors() {
        let (cert, key) = self_signed(-1, 365);
        let err = load("hello", &key).unwrap_err();
        assert!(err.message().contains("no CERTIFICATE"), "{err}");
        let err = load(&cert, "-----BEGIN\x20ENCRYPTED PRIVATE KEY-----\nAAAA\n").unwrap_err();
        assert!(err.message().contains("encrypted"), "{err}");
        let err = load(&cert, "not a key").unwrap_err();
        assert!(err.message().contains("(inline PEM from key)"), "{err}");
    }
}
