//! Where the client talks to: environments, API paths, and reading settings from the
//! environment.
//!
//! OP's documentation leaves several things open (the current sandbox host, the transactions
//! API version, some paths), so every host and path here is a default that callers can
//! override; see `op-api.md` §1.1 and §13.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// Production host since OP's 04/2024 documentation refresh.
pub const PRODUCTION_URL: &str = "https://api.corporate-api.op.fi";

/// The legacy sandbox host used in OP's older sample scripts.
///
/// OP changed its sandbox URL in 04/2024 and the new host is not publicly documented, so this
/// preset may no longer answer; use [`Environment::Custom`] with the host OP gives you.
pub const LEGACY_SANDBOX_URL: &str = "https://sandbox-api.apiauth.aws.op-palvelut.net";

/// Which OP installation the client talks to.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Environment {
    /// OP's sandbox (legacy host [`LEGACY_SANDBOX_URL`]; override with `Custom` if it moved).
    Sandbox,
    /// OP's production API at [`PRODUCTION_URL`]. Only `https://` is ever used.
    #[default]
    Production,
    /// Any other base URL, e.g. the local emulator. Plain `http://` is accepted only for
    /// loopback hosts (`localhost`, `127.0.0.0/8`, `::1`), because credentials and tokens would
    /// otherwise cross the network in clear text.
    Custom(String),
}

impl Environment {
    /// The base URL of this environment, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Sandbox => LEGACY_SANDBOX_URL,
            Environment::Production => PRODUCTION_URL,
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }

    /// Parses and checks the base URL: `https://` everywhere, `http://` only for a loopback
    /// host in a `Custom` environment.
    pub(crate) fn validated_url(&self) -> Result<reqwest::Url> {
        let raw = self.base_url();
        let url = reqwest::Url::parse(raw)
            .map_err(|e| Error::config(format!("base URL {raw:?} is not a valid URL: {e}")))?;
        if url.host_str().is_none() {
            return Err(Error::config(format!("base URL {raw:?} has no host")));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::config(format!(
                "base URL {raw:?} must not contain a query or fragment"
            )));
        }
        match (url.scheme(), self) {
            ("https", _) => Ok(url),
            ("http", Environment::Custom(_)) if is_loopback(&url) => Ok(url),
            ("http", Environment::Custom(_)) => Err(Error::config(format!(
                "base URL {raw:?} uses plain http:// for a non-loopback host; use https://"
            ))),
            ("http", _) => Err(Error::config(format!(
                "the {} environment refuses plain http:// ({raw:?})",
                self.name()
            ))),
            (scheme, _) => Err(Error::config(format!(
                "base URL {raw:?} has unsupported scheme {scheme:?}; use https://"
            ))),
        }
    }

    /// A short lowercase name, as used in `OPCORP_ENV`.
    pub fn name(&self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
            Environment::Custom(_) => "custom",
        }
    }
}

/// Whether the URL's host is a loopback address or `localhost`.
pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

pub use crate::paths::{ApiPaths, PayeeVerificationFields, TransactionsVersion};

/// A certificate or key given either inline or as a file to read at build time.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum PemSource {
    /// PEM text given directly (bytes, an env var holding `-----BEGIN ...`).
    Inline {
        /// Where it came from, for error messages (e.g. "OPCORP_KEY").
        origin: String,
        /// The PEM bytes, wiped on drop.
        pem: zeroize::Zeroizing<Vec<u8>>,
    },
    /// A file path to read.
    File(PathBuf),
}

impl PemSource {
    /// Inline PEM bytes from `origin` (a setting or variable name).
    pub(crate) fn inline(origin: &str, pem: &[u8]) -> Self {
        PemSource::Inline {
            origin: origin.to_owned(),
            pem: zeroize::Zeroizing::new(pem.to_vec()),
        }
    }

    /// An environment value that is either inline PEM or a path to a PEM file.
    pub(crate) fn from_env_value(var: &str, value: &str) -> Self {
        if value.trim_start().starts_with("-----BEGIN") {
            PemSource::inline(var, value.as_bytes())
        } else {
            PemSource::File(PathBuf::from(value))
        }
    }

    /// A description for error messages: the variable/setting name or the file path. Never
    /// the content.
    pub(crate) fn describe(&self) -> String {
        match self {
            PemSource::Inline { origin, .. } => format!("inline PEM from {origin}"),
            PemSource::File(path) => format!("file {}", path.display()),
        }
    }

    /// Reads the PEM bytes; a missing or unreadable file is a Config error naming `what`
    /// (e.g. "client certificate") and the path.
    pub(crate) fn read(&self, what: &str) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        match self {
            PemSource::Inline { pem, .. } => Ok(pem.clone()),
            PemSource::File(path) => {
                std::fs::read(path)
                    .map(zeroize::Zeroizing::new)
                    .map_err(|e| {
                        Error::config(format!("cannot read {what} from {}: {e}", path.display()))
                    })
            }
        }
    }
}

impl std::fmt::Debug for PemSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PemSource::Inline { origin, .. } => write!(f, "Inline({origin}, [REDACTED])"),
            PemSource::File(path) => write!(f, "File({})", path.display()),
        }
    }
}

/// Names of the environment variables `Client::from_env` reads.
pub mod env {
    /// `sandbox`, `production` or `custom` (default: `custom` when `OPCORP_BASE_URL` is set,
    /// otherwise `production`).
    pub const ENV: &str = "OPCORP_ENV";
    /// Base URL, required for `custom`; overrides the preset host for the other two.
    pub const BASE_URL: &str = "OPCORP_BASE_URL";
    /// OAuth2 client id.
    pub const CLIENT_ID: &str = "OPCORP_CLIENT_ID";
    /// OAuth2 client secret.
    pub const CLIENT_SECRET: &str = "OPCORP_CLIENT_SECRET";
    /// mTLS client certificate (chain): a file path or inline PEM.
    pub const CERT: &str = "OPCORP_CERT";
    /// mTLS private key: a file path or inline PEM.
    pub const KEY: &str = "OPCORP_KEY";
    /// Request-signing private key: a file path or inline PEM.
    pub const SIGNING_KEY: &str = "OPCORP_SIGNING_KEY";
    /// Key id of the signing key, from OP API Admin.
    pub const SIGNING_KID: &str = "OPCORP_SIGNING_KID";
    /// Extra trusted CA for the server certificate: a file path or inline PEM.
    pub const CA: &str = "OPCORP_CA";
    /// Verification of Payee policy for payments: `require_match`, `allow_close_match` or
    /// `skip` (default).
    pub const PAYEE_CHECK: &str = "OPCORP_PAYEE_CHECK";
    /// Address rules for payments: `rulebook` (default; structured or hybrid addresses only,
    /// as the EPC rulebooks demand from November 2026) or `allow_unstructured`.
    pub const ADDRESS_RULES: &str = "OPCORP_ADDRESS_RULES";
    /// Cap on simultaneous connections to the bank (default 32).
    pub const MAX_CONNECTIONS: &str = "OPCORP_MAX_CONNECTIONS";
}

impl Environment {
    /// The environment for a name and an optional base URL: the one rule every binding, the
    /// CLI and [`ClientBuilder::from_env`](crate::client::ClientBuilder::from_env) use.
    ///
    /// - `name` is `sandbox`, `production` or `custom` (any case, surrounding spaces ignored);
    ///   none or empty means `custom` when a base URL is given, otherwise `production`.
    /// - A base URL next to `sandbox` or `production` overrides the preset's host.
    /// - `production` refuses a plain `http://` base URL even on loopback, because it stays a
    ///   production configuration; `custom` needs a base URL.
    ///
    /// Any other name is a `CONFIG` error. The URL itself is checked when the client is built.
    pub fn resolve(name: Option<&str>, base_url: Option<&str>) -> Result<Environment> {
        let base_url = base_url.map(str::trim).filter(|u| !u.is_empty());
        let custom = |url: Option<&str>| {
            url.map(|u| Environment::Custom(u.to_owned()))
                .ok_or_else(|| {
                    Error::config(format!(
                        "environment custom needs a base URL ({} or the binding's base URL setting)",
                        env::BASE_URL
                    ))
                })
        };
        match name.map(|e| e.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") => match base_url {
                Some(url) => Ok(Environment::Custom(url.to_owned())),
                None => Ok(Environment::Production),
            },
            Some("custom") => custom(base_url),
            Some("production") => match base_url {
                Some(url) if url.to_ascii_lowercase().starts_with("http://") => Err(Error::config(
                    format!("the production environment refuses plain http:// ({url:?})"),
                )),
                Some(url) => Ok(Environment::Custom(url.to_owned())),
                None => Ok(Environment::Production),
            },
            Some("sandbox") => match base_url {
                Some(url) => Ok(Environment::Custom(url.to_owned())),
                None => Ok(Environment::Sandbox),
            },
            Some(other) => Err(Error::config(format!(
                "environment must be sandbox, production or custom, not {other:?}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn production_refuses_http_and_custom_allows_only_loopback_http() {
        assert!(Environment::Production.validated_url().is_ok());
        let err = Environment::Custom("http://bank.example".into())
            .validated_url()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        for ok in [
            "http://127.0.0.1:8443",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(
                Environment::Custom(ok.into()).validated_url().is_ok(),
                "{ok}"
            );
        }
        let err = Environment::resolve(Some("production"), Some("http://127.0.0.1:1")).unwrap_err();
        assert!(err.message().contains("refuses plain http"), "{err}");
        assert!(
            Environment::Custom("ftp://x".into())
                .validated_url()
                .is_err()
        );
        assert!(
            Environment::Custom("nonsense".into())
                .validated_url()
                .is_err()
        );
    }

    #[test]
    fn env_names_parse() {
        assert_eq!(
            Environment::resolve(None, None).unwrap(),
            Environment::Production
        );
        assert_eq!(
            Environment::resolve(Some("Sandbox"), None).unwrap(),
            Environment::Sandbox
        );
        assert_eq!(
            Environment::resolve(None, Some("https://x")).unwrap(),
            Environment::Custom("https://x".into())
        );
        assert!(Environment::resolve(Some("custom"), None).is_err());
        assert!(Environment::resolve(Some("staging"), None).is_err());
    }

    #[test]
    fn transactions_versions_from_numbers() {
        assert_eq!(
            TransactionsVersion::from_number(2).unwrap(),
            TransactionsVersion::V2
        );
        assert_eq!(
            TransactionsVersion::from_number(3).unwrap().number(),
            Some(3)
        );
        assert_eq!(
            TransactionsVersion::parse("Auto").unwrap(),
            TransactionsVersion::Auto
        );
        assert!(TransactionsVersion::parse("4").is_err());
        let err = TransactionsVersion::from_number(4).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn a_base_url_overrides_a_preset_host() {
        assert_eq!(
            Environment::resolve(Some(" SANDBOX "), Some("https://sb.example")).unwrap(),
            Environment::Custom("https://sb.example".into())
        );
        assert_eq!(
            Environment::resolve(Some("production"), Some("  ")).unwrap(),
            Environment::Production
        );
        let err = Environment::resolve(Some("production"), Some("HTTP://127.0.0.1")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
    }

    #[test]
    fn pem_source_detects_inline_and_never_prints_content() {
        let inline = PemSource::from_env_value("OPCORP_KEY", "-----BEGIN\x20PRIVATE KEY-----\nAAA");
        assert!(matches!(inline, PemSource::Inline { .. }));
        let dbg = format!("{inline:?}");
        assert!(
            !dbg.contains("BEGIN") && dbg.contains("[REDACTED]"),
            "{dbg}"
        );
        let file = PemSource::from_env_value("OPCORP_KEY", "/etc/key.pem");
        assert_eq!(file, PemSource::File("/etc/key.pem".into()));
        let err = file.read("mTLS private key").unwrap_err();
        assert!(err.message().contains("/etc/key.pem"), "{err}");
    }
}
