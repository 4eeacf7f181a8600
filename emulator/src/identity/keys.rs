//! Payment-signing keys (RSA, as RS256 requires), their `kid`s and certificate fingerprints.

use rcgen::{KeyPair, PKCS_RSA_SHA256, PublicKeyData, RsaKeySize};
use rustls_pki_types::pem::SectionKind;
use sha2::{Digest, Sha256};
use x509_parser::prelude::FromDer;

/// An RSA signing key with its public half and the kid it is registered under.
pub(crate) struct SigningKey {
    /// PKCS#8 PEM of the private key.
    pub pkcs8_pem: String,
    /// SubjectPublicKeyInfo DER of the public key.
    pub spki_der: Vec<u8>,
    /// Key identifier, derived from the public key.
    pub kid: String,
}

impl SigningKey {
    /// A fresh RSA 2048 key (2048 keeps start-up fast; OP's examples use 4096).
    pub fn generate() -> Result<SigningKey, String> {
        let key = KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048)
            .map_err(|e| format!("RSA key generation: {e}"))?;
        Ok(SigningKey::from_key_pair(&key))
    }

    /// The key stored earlier as PKCS#8 PEM.
    pub fn load(pkcs8_pem: &str) -> Result<SigningKey, String> {
        let key = KeyPair::from_pem(pkcs8_pem).map_err(|e| format!("signing key: {e}"))?;
        if !key.is_compatible(&PKCS_RSA_SHA256) {
            return Err("signing key is not an RSA key".into());
        }
        Ok(SigningKey::from_key_pair(&key))
    }

    fn from_key_pair(key: &KeyPair) -> SigningKey {
        let spki_der = key.subject_public_key_info();
        SigningKey {
            pkcs8_pem: key.serialize_pem(),
            kid: kid_for(&spki_der),
            spki_der,
        }
    }
}

/// The kid of a public key: `emu-` and the first 12 hex digits of its SPKI's SHA-256.
pub(crate) fn kid_for(spki_der: &[u8]) -> String {
    format!("emu-{}", &hex(&Sha256::digest(spki_der))[..12])
}

/// SHA-256 of a certificate's DER, lower-case hex: how certificates are bound to clients.
pub(crate) fn fingerprint(cert_der: &[u8]) -> String {
    hex(&Sha256::digest(cert_der))
}

/// The SubjectPublicKeyInfo DER in a PEM `PUBLIC KEY`, `CERTIFICATE REQUEST` (signature
/// verified) or `CERTIFICATE`: what OP API Admin accepts to register a signing key.
pub(crate) fn spki_from_pem(pem: &str) -> Result<Vec<u8>, String> {
    let (kind, der) = rustls_pki_types::pem::from_buf(&mut pem.as_bytes())
        .map_err(|e| format!("not PEM: {e}"))?
        .ok_or_else(|| "no PEM section found".to_string())?;
    let spki = match kind {
        SectionKind::PublicKey => der,
        SectionKind::Csr => {
            let (_, csr) =
                x509_parser::certification_request::X509CertificationRequest::from_der(&der)
                    .map_err(|e| format!("cannot parse the certificate request: {e}"))?;
            csr.verify_signature()
                .map_err(|_| "the certificate request's signature does not verify".to_string())?;
            csr.certification_request_info.subject_pki.raw.to_vec()
        }
        SectionKind::Certificate => {
            let (_, cert) = x509_parser::parse_x509_certificate(&der)
                .map_err(|e| format!("cannot parse the certificate: {e}"))?;
            cert.tbs_certificate.subject_pki.raw.to_vec()
        }
        other => return Err(format!("expected a PUBLIC KEY, got {other:?}")),
    };
    let (rest, parsed) = x509_parser::x509::SubjectPublicKeyInfo::from_der(&spki)
        .map_err(|e| format!("cannot parse the public key: {e}"))?;
    if !rest.is_empty() {
        return Err("trailing bytes after the public key".into());
    }
    if parsed.algorithm.algorithm != x509_parser::oid_registry::OID_PKCS1_RSAENCRYPTION {
        return Err("the signing key must be an RSA key (RS256)".into());
    }
    Ok(spki)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
