//! The state directory: the CA, the server certificate and the demo client are created on
//! first start and reused afterwards, so exported environment variables stay valid.
//!
//! Layout: `ca.pem`, `ca-key.pem`, `server.pem`, `server-key.pem`, and `demo-client/` with
//! `client.json` (id, secret, kid, company), `client.pem`, `client-key.pem`,
//! `signing-key.pem` and `ca.pem` (a copy of the CA).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde::{Deserialize, Serialize};

use super::ca::{CertAuthority, IssuedCert};
use super::keys::SigningKey;
use super::{ClientIdentity, ClientMaterial, IdentityFiles, new_client};
use crate::error::EmulatorError;

/// Company name of the demo client.
const DEMO_COMPANY: &str = "Demo Oy";

/// What lives in the state directory.
pub(crate) struct State {
    /// The CA.
    pub ca: CertAuthority,
    /// The server certificate and key.
    pub server: IssuedCert,
    /// The demo client.
    pub demo: ClientMaterial,
}

/// The non-PEM part of the demo client (`demo-client/client.json`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientRecord {
    client_id: String,
    client_secret: String,
    signing_kid: String,
    company: String,
}

/// Loads the state in `dir`, creating whatever is missing.
pub(crate) fn load_or_create(dir: &Path) -> Result<State, EmulatorError> {
    fs::create_dir_all(dir).map_err(|source| EmulatorError::StateFile {
        path: dir.to_path_buf(),
        source,
    })?;
    let ca_path = dir.join("ca.pem");
    let ca_key_path = dir.join("ca-key.pem");
    let ca = if ca_path.exists() {
        let (cert, key) = (read(&ca_path)?, read(&ca_key_path)?);
        CertAuthority::load(&cert, &key).map_err(|reason| invalid(&ca_path, reason))?
    } else {
        let ca = CertAuthority::generate().map_err(EmulatorError::Certificate)?;
        write(&ca_key_path, ca.key_pem(), true)?;
        write(&ca_path, ca.cert_pem(), false)?;
        ca
    };
    let server_path = dir.join("server.pem");
    let server_key_path = dir.join("server-key.pem");
    let server = if server_path.exists() {
        let cert_pem = read(&server_path)?;
        IssuedCert {
            cert_der: der_of(&server_path, &cert_pem)?,
            cert_pem,
            key_pem: read(&server_key_path)?,
        }
    } else {
        let server = ca.issue_server().map_err(EmulatorError::Certificate)?;
        write(&server_key_path, &server.key_pem, true)?;
        write(&server_path, &server.cert_pem, false)?;
        server
    };
    let demo = load_or_create_demo(&dir.join("demo-client"), &ca)?;
    Ok(State { ca, server, demo })
}

fn load_or_create_demo(dir: &Path, ca: &CertAuthority) -> Result<ClientMaterial, EmulatorError> {
    let files = IdentityFiles {
        dir: dir.to_path_buf(),
        cert: dir.join("client.pem"),
        key: dir.join("client-key.pem"),
        signing_key: dir.join("signing-key.pem"),
        ca: dir.join("ca.pem"),
    };
    let record_path = dir.join("client.json");
    if record_path.exists() {
        let record: ClientRecord = serde_json::from_str(&read(&record_path)?)
            .map_err(|e| invalid(&record_path, e.to_string()))?;
        let cert_pem = read(&files.cert)?;
        let signing_key_pem = read(&files.signing_key)?;
        let signing =
            SigningKey::load(&signing_key_pem).map_err(|e| invalid(&files.signing_key, e))?;
        if signing.kid != record.signing_kid {
            return Err(invalid(
                &record_path,
                "signingKid does not match the key".into(),
            ));
        }
        return Ok(ClientMaterial {
            cert_der: der_of(&files.cert, &cert_pem)?,
            identity: ClientIdentity {
                client_id: record.client_id,
                client_secret: record.client_secret,
                cert_pem,
                key_pem: read(&files.key)?,
                signing_key_pem,
                signing_kid: record.signing_kid,
                ca_pem: ca.cert_pem().to_string(),
                files: Some(files),
            },
            signing_spki: signing.spki_der,
            company: record.company,
        });
    }
    fs::create_dir_all(dir).map_err(|source| EmulatorError::StateFile {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut demo = new_client(ca, DEMO_COMPANY).map_err(EmulatorError::Certificate)?;
    let id = &demo.identity;
    write(&files.key, &id.key_pem, true)?;
    write(&files.signing_key, &id.signing_key_pem, true)?;
    write(&files.cert, &id.cert_pem, false)?;
    write(&files.ca, &id.ca_pem, false)?;
    let record = ClientRecord {
        client_id: id.client_id.clone(),
        client_secret: id.client_secret.clone(),
        signing_kid: id.signing_kid.clone(),
        company: demo.company.clone(),
    };
    let json =
        serde_json::to_string_pretty(&record).map_err(|e| invalid(&record_path, e.to_string()))?;
    write(&record_path, &json, true)?;
    demo.identity.files = Some(files);
    Ok(demo)
}

fn der_of(path: &Path, pem: &str) -> Result<Vec<u8>, EmulatorError> {
    CertificateDer::from_pem_slice(pem.as_bytes())
        .map(|der| der.to_vec())
        .map_err(|e| invalid(path, e.to_string()))
}

fn invalid(path: &Path, reason: String) -> EmulatorError {
    EmulatorError::InvalidState {
        path: path.to_path_buf(),
        reason,
    }
}

fn read(path: &Path) -> Result<String, EmulatorError> {
    fs::read_to_string(path).map_err(|source| EmulatorError::StateFile {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `text` to `path`; secret files are readable by the owner only.
fn write(path: &Path, text: &str, secret: bool) -> Result<(), EmulatorError> {
    let err = |source| EmulatorError::StateFile {
        path: PathBuf::from(path),
        source,
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut file = options.open(path).map_err(err)?;
    file.write_all(text.as_bytes()).map_err(err)
}
