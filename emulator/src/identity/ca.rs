//! The emulator's certificate authority: it signs the server certificate, the demo and
//! admin-issued client certificates and certificates requested by CSR (like OP API Admin).
//!
//! One CA serves both roles (server trust root for clients, client trust root for the
//! server); see `ASSUMPTIONS.md`.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber, SubjectPublicKeyInfo,
};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use time::{Duration, OffsetDateTime};
use x509_parser::prelude::FromDer;

/// A certificate and its private key, both PEM (the key is PKCS#8).
#[derive(Clone)]
pub(crate) struct IssuedCert {
    /// Certificate PEM.
    pub cert_pem: String,
    /// Private key PEM (PKCS#8).
    pub key_pem: String,
    /// Certificate DER, for fingerprints.
    pub cert_der: Vec<u8>,
}

/// The CA: its certificate and signing key.
pub(crate) struct CertAuthority {
    issuer: Issuer<'static, KeyPair>,
    cert_pem: String,
    key_pem: String,
}

impl CertAuthority {
    /// A new self-signed CA (ECDSA P-256, valid ten years).
    pub fn generate() -> Result<CertAuthority, String> {
        let key = KeyPair::generate().map_err(|e| e.to_string())?;
        let mut params = CertificateParams::default();
        params.distinguished_name = name("opcorp emulator CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        set_validity(&mut params, Duration::days(3650));
        params.serial_number = Some(random_serial());
        let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
        let key_pem = key.serialize_pem();
        Ok(CertAuthority {
            issuer: Issuer::new(params, key),
            cert_pem: cert.pem(),
            key_pem,
        })
    }

    /// The CA stored earlier (certificate PEM and PKCS#8 key PEM).
    pub fn load(cert_pem: &str, key_pem: &str) -> Result<CertAuthority, String> {
        let key = KeyPair::from_pem(key_pem).map_err(|e| format!("CA key: {e}"))?;
        let issuer =
            Issuer::from_ca_cert_pem(cert_pem, key).map_err(|e| format!("CA certificate: {e}"))?;
        Ok(CertAuthority {
            issuer,
            cert_pem: cert_pem.to_string(),
            key_pem: key_pem.to_string(),
        })
    }

    /// The CA certificate PEM: the trust root clients use and client certificates chain to.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The CA private key PEM (persisted in the state directory).
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// The CA certificate DER.
    pub fn cert_der(&self) -> Result<CertificateDer<'static>, String> {
        CertificateDer::from_pem_slice(self.cert_pem.as_bytes()).map_err(|e| e.to_string())
    }

    /// A server certificate for `localhost`, `127.0.0.1` and `::1`.
    pub fn issue_server(&self) -> Result<IssuedCert, String> {
        let mut params = CertificateParams::default();
        params.distinguished_name = name("localhost");
        params.subject_alt_names = vec![
            SanType::DnsName("localhost".try_into().map_err(|e| format!("{e}"))?),
            SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        ];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        set_validity(&mut params, Duration::days(825));
        params.serial_number = Some(random_serial());
        self.issue_with_new_key(params)
    }

    /// A client (mTLS) certificate with a fresh ECDSA P-256 key.
    pub fn issue_client(&self, common_name: &str) -> Result<IssuedCert, String> {
        self.issue_with_new_key(client_params(common_name))
    }

    /// Turns a PEM CSR into a client certificate PEM and DER, as OP API Admin does.
    ///
    /// The CSR's signature is verified; its subject and requested extensions are ignored
    /// (OP ignores them too), only its public key is certified.
    pub fn sign_csr(&self, csr_pem: &str) -> Result<(String, Vec<u8>), String> {
        let der =
            rustls_pki_types::CertificateSigningRequestDer::from_pem_slice(csr_pem.as_bytes())
                .map_err(|_| "csrPem is not a PEM certificate request".to_string())?;
        let (_, csr) =
            x509_parser::certification_request::X509CertificationRequest::from_der(der.as_ref())
                .map_err(|e| format!("cannot parse the certificate request: {e}"))?;
        csr.verify_signature()
            .map_err(|_| "the certificate request's signature does not verify".to_string())?;
        let spki =
            SubjectPublicKeyInfo::from_der(csr.certification_request_info.subject_pki.raw)
                .map_err(|e| format!("unsupported public key in the certificate request: {e}"))?;
        let cert = client_params("opcorp emulator onboarded client")
            .signed_by(&spki, &self.issuer)
            .map_err(|e| e.to_string())?;
        Ok((cert.pem(), cert.der().to_vec()))
    }

    fn issue_with_new_key(&self, params: CertificateParams) -> Result<IssuedCert, String> {
        let key = KeyPair::generate().map_err(|e| e.to_string())?;
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(|e| e.to_string())?;
        Ok(IssuedCert {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            cert_der: cert.der().to_vec(),
        })
    }
}

fn client_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = name(common_name);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    set_validity(&mut params, Duration::days(825));
    params.serial_number = Some(random_serial());
    params
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "opcorp emulator");
    dn.push(DnType::CommonName, common_name);
    dn
}

fn set_validity(params: &mut CertificateParams, lifetime: Duration) {
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::hours(1);
    params.not_after = now + lifetime;
}

fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] &= 0x7f;
    SerialNumber::from_slice(&bytes)
}
