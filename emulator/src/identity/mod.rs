//! Identities: the CA, the server certificate, and client identities (OAuth credentials,
//! mTLS certificate and key, payment-signing key and kid).

pub(crate) mod ca;
pub(crate) mod keys;
pub(crate) mod store;

use std::fmt;
use std::path::PathBuf;

use ca::CertAuthority;
use keys::SigningKey;

/// Everything a client needs to call the emulator: OAuth credentials, the mTLS certificate
/// and key, the payment-signing key and its kid, and the CA to trust.
///
/// `Debug` prints the secret and the private keys as `[REDACTED]`.
#[derive(Clone)]
pub struct ClientIdentity {
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: String,
    /// mTLS client certificate (PEM).
    pub cert_pem: String,
    /// mTLS client private key (PKCS#8 PEM).
    pub key_pem: String,
    /// RSA payment-signing private key (PKCS#8 PEM).
    pub signing_key_pem: String,
    /// The kid the signing key is registered under.
    pub signing_kid: String,
    /// The CA that signed the emulator's server certificate: the client's trust root.
    pub ca_pem: String,
    /// Where the identity was written, when it lives in a state directory.
    pub files: Option<IdentityFiles>,
}

/// The files of an identity kept in the state directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityFiles {
    /// The directory holding the identity.
    pub dir: PathBuf,
    /// mTLS client certificate (PEM).
    pub cert: PathBuf,
    /// mTLS client private key (PKCS#8 PEM).
    pub key: PathBuf,
    /// Payment-signing private key (PKCS#8 PEM).
    pub signing_key: PathBuf,
    /// CA certificate to trust (PEM).
    pub ca: PathBuf,
}

impl ClientIdentity {
    /// The `OPCORP_*` environment variables that point an opcorp client at the emulator
    /// at `base_url` with this identity. Key and certificate variables hold file paths when
    /// the identity has files, else the PEM text itself.
    pub fn env_vars(&self, base_url: &str) -> Vec<(String, String)> {
        let (cert, key, signing_key, ca) = match &self.files {
            Some(files) => (
                files.cert.display().to_string(),
                files.key.display().to_string(),
                files.signing_key.display().to_string(),
                files.ca.display().to_string(),
            ),
            None => (
                self.cert_pem.clone(),
                self.key_pem.clone(),
                self.signing_key_pem.clone(),
                self.ca_pem.clone(),
            ),
        };
        [
            ("OPCORP_ENV", "custom".to_string()),
            ("OPCORP_BASE_URL", base_url.to_string()),
            ("OPCORP_CLIENT_ID", self.client_id.clone()),
            ("OPCORP_CLIENT_SECRET", self.client_secret.clone()),
            ("OPCORP_CERT", cert),
            ("OPCORP_KEY", key),
            ("OPCORP_SIGNING_KEY", signing_key),
            ("OPCORP_SIGNING_KID", self.signing_kid.clone()),
            ("OPCORP_CA", ca),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect()
    }
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .field("cert_pem", &self.cert_pem)
            .field("key_pem", &"[REDACTED]")
            .field("signing_key_pem", &"[REDACTED]")
            .field("signing_kid", &self.signing_kid)
            .field("ca_pem", &self.ca_pem)
            .field("files", &self.files)
            .finish()
    }
}

/// A client identity plus what the server needs to register it.
pub(crate) struct ClientMaterial {
    /// The identity handed to the user.
    pub identity: ClientIdentity,
    /// DER of the mTLS certificate (its fingerprint binds it to the client).
    pub cert_der: Vec<u8>,
    /// SubjectPublicKeyInfo DER of the signing key.
    pub signing_spki: Vec<u8>,
    /// Company name the bank seeds accounts for.
    pub company: String,
}

/// A brand-new client: random id and secret, a certificate from `ca`, a new signing key.
pub(crate) fn new_client(ca: &CertAuthority, company: &str) -> Result<ClientMaterial, String> {
    let cert = ca.issue_client(company)?;
    let signing = SigningKey::generate()?;
    Ok(ClientMaterial {
        identity: ClientIdentity {
            client_id: random_hex(16),
            client_secret: random_hex(32),
            cert_pem: cert.cert_pem,
            key_pem: cert.key_pem,
            signing_key_pem: signing.pkcs8_pem,
            signing_kid: signing.kid,
            ca_pem: ca.cert_pem().to_string(),
            files: None,
        },
        cert_der: cert.cert_der,
        signing_spki: signing.spki_der,
        company: company.to_string(),
    })
}

/// `bytes` random bytes as lower-case hex (ids, secrets, tokens).
pub(crate) fn random_hex(bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect()
}
