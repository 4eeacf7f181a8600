//! Where the CLI's connection settings come from: flags, then `OPCORP_*` environment variables,
//! then a profile in a TOML config file.
//!
//! The config file is `--config FILE`, else `$OPCORP_CONFIG`, else
//! `$XDG_CONFIG_HOME/opcorp/config.toml`, else `~/.config/opcorp/config.toml`. A missing file
//! at the default location is fine (flags and environment may be enough); a missing file that
//! was named explicitly is an error. Profiles live under `[profiles.NAME]`; the profile is
//! `--profile NAME`, else `$OPCORP_PROFILE`, else `default_profile` in the file, else
//! `default` when the file has one.
//!
//! Certificates and keys are file paths or inline PEM, exactly as the core's `OPCORP_CERT`
//! etc. The client secret is never taken from a flag (it would land in shell history): use the
//! environment, `client_secret` / `client_secret_file` in a profile, or both not at all.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use clap::Args;
use opcorp::client::{Client, ClientBuilder};
use opcorp::config::env;
use serde::Deserialize;

use crate::exit::CliError;

/// Connection flags shared by every online command.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// Config file with profiles [default: ~/.config/opcorp/config.toml].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Profile in the config file.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// OP environment: sandbox, production or custom (overrides OPCORP_ENV).
    #[arg(long = "env", global = true, value_name = "ENV")]
    pub environment: Option<String>,
    /// API base URL, e.g. an emulator's https://127.0.0.1:8443 (overrides OPCORP_BASE_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// OAuth2 client id (overrides OPCORP_CLIENT_ID).
    #[arg(long, global = true, value_name = "ID")]
    pub client_id: Option<String>,
    /// mTLS client certificate: PEM file (overrides OPCORP_CERT).
    #[arg(long, global = true, value_name = "PEM")]
    pub cert: Option<String>,
    /// mTLS private key: PEM file (overrides OPCORP_KEY).
    #[arg(long = "cert-key", id = "cert_key", global = true, value_name = "PEM")]
    pub key: Option<String>,
    /// Request-signing private key: PEM file (overrides OPCORP_SIGNING_KEY).
    #[arg(long, global = true, value_name = "PEM")]
    pub signing_key: Option<String>,
    /// Key id of the signing key from OP API Admin (overrides OPCORP_SIGNING_KID).
    #[arg(long, global = true, value_name = "KID")]
    pub signing_kid: Option<String>,
    /// Extra trusted CA for the server certificate: PEM file (overrides OPCORP_CA).
    #[arg(long, global = true, value_name = "PEM")]
    pub ca: Option<String>,
}

/// One `[profiles.NAME]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    env: Option<String>,
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    client_secret_file: Option<PathBuf>,
    cert: Option<String>,
    key: Option<String>,
    signing_key: Option<String>,
    signing_kid: Option<String>,
    ca: Option<String>,
}

/// The whole config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// A setting's value and where it came from (for "missing" and "unreadable" messages).
#[derive(Clone)]
struct Setting {
    value: String,
    origin: String,
}

/// The resolved connection settings. Debug never shows the secret or PEM contents.
#[derive(Clone, Default)]
pub struct Settings {
    environment: Option<Setting>,
    base_url: Option<Setting>,
    client_id: Option<Setting>,
    client_secret: Option<Setting>,
    cert: Option<Setting>,
    key: Option<Setting>,
    signing_key: Option<Setting>,
    signing_kid: Option<Setting>,
    ca: Option<Setting>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |s: &Option<Setting>| s.as_ref().map(|s| s.origin.clone());
        f.debug_struct("Settings")
            .field("base_url", &self.base_url.as_ref().map(|s| &s.value))
            .field("client_id", &show(&self.client_id))
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[REDACTED]"),
            )
            .field("cert", &show(&self.cert))
            .field("key", &show(&self.key))
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Resolves flags > environment > profile, reading the config file if there is one.
    pub fn resolve(args: &ConnectionArgs) -> Result<Settings, CliError> {
        Self::resolve_with(args, &|name| std::env::var(name).ok())
    }

    /// [`Settings::resolve`] with an injectable environment (for tests).
    fn resolve_with(
        args: &ConnectionArgs,
        getenv: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Settings, CliError> {
        let (profile, profile_origin) = load_profile(args, getenv)?.unwrap_or_default();
        let pick = |flag: &Option<String>, flag_name: &str, var: &str, prof: &Option<String>| {
            if let Some(v) = flag.as_ref().filter(|v| !v.is_empty()) {
                return Some(Setting {
                    value: v.clone(),
                    origin: format!("--{flag_name}"),
                });
            }
            if let Some(v) = getenv(var).filter(|v| !v.is_empty()) {
                return Some(Setting {
                    value: v,
                    origin: var.to_owned(),
                });
            }
            prof.as_ref().map(|v| Setting {
                value: v.clone(),
                origin: format!("{profile_origin} {flag_name}"),
            })
        };
        let client_secret = match getenv(env::CLIENT_SECRET).filter(|v| !v.is_empty()) {
            Some(v) => Some(Setting {
                value: v,
                origin: env::CLIENT_SECRET.to_owned(),
            }),
            None => match (&profile.client_secret, &profile.client_secret_file) {
                (Some(v), _) => Some(Setting {
                    value: v.clone(),
                    origin: format!("{profile_origin} client_secret"),
                }),
                (None, Some(path)) => Some(Setting {
                    value: read_text(path, "client secret file")?.trim().to_owned(),
                    origin: format!("{profile_origin} client_secret_file"),
                }),
                (None, None) => None,
            },
        };
        Ok(Settings {
            environment: pick(&args.environment, "env", env::ENV, &profile.env),
            base_url: pick(&args.base_url, "base-url", env::BASE_URL, &profile.base_url),
            client_id: pick(
                &args.client_id,
                "client-id",
                env::CLIENT_ID,
                &profile.client_id,
            ),
            client_secret,
            cert: pick(&args.cert, "cert", env::CERT, &profile.cert),
            key: pick(&args.key, "cert-key", env::KEY, &profile.key),
            signing_key: pick(
                &args.signing_key,
                "signing-key",
                env::SIGNING_KEY,
                &profile.signing_key,
            ),
            signing_kid: pick(
                &args.signing_kid,
                "signing-kid",
                env::SIGNING_KID,
                &profile.signing_kid,
            ),
            ca: pick(&args.ca, "ca", env::CA, &profile.ca),
        })
    }

    /// The base URL the client will talk to (after the environment preset), for messages.
    pub fn base_url(&self) -> String {
        match self.environment() {
            Ok(environment) => environment.base_url().to_owned(),
            Err(_) => self.base_url.as_ref().map_or_else(
                || opcorp::config::PRODUCTION_URL.to_owned(),
                |url| url.value.clone(),
            ),
        }
    }

    /// Whether a bank was configured explicitly: a base URL or an environment from a flag,
    /// the environment or a profile.
    pub fn targets_bank(&self) -> bool {
        self.base_url.is_some() || self.environment.is_some()
    }

    /// A client builder carrying every resolved setting. Missing required settings are
    /// reported together, each with the flag, variable and profile key that would set it.
    pub fn builder(&self) -> Result<ClientBuilder, CliError> {
        let mut missing = Vec::new();
        for (setting, what) in [
            (
                &self.client_id,
                "client id (--client-id, OPCORP_CLIENT_ID, profile client_id)",
            ),
            (
                &self.client_secret,
                "client secret (OPCORP_CLIENT_SECRET, profile client_secret or client_secret_file)",
            ),
            (
                &self.cert,
                "client certificate (--cert, OPCORP_CERT, profile cert)",
            ),
            (
                &self.key,
                "client key (--cert-key, OPCORP_KEY, profile key)",
            ),
        ] {
            if setting.is_none() {
                missing.push(what);
            }
        }
        if !missing.is_empty() {
            return Err(CliError::config(format!(
                "missing credentials: {}",
                missing.join("; ")
            )));
        }
        let mut builder = Client::builder().environment(self.environment()?);
        if let Some(id) = &self.client_id {
            builder = builder.client_id(id.value.clone());
        }
        if let Some(secret) = &self.client_secret {
            builder = builder.client_secret(secret.value.clone());
        }
        if let Some(cert) = &self.cert {
            builder = builder.certificate_pem(pem(cert, "client certificate")?);
        }
        if let Some(key) = &self.key {
            builder = builder.private_key_pem(pem(key, "client private key")?);
        }
        if let Some(ca) = &self.ca {
            builder = builder.ca_certificate_pem(pem(ca, "CA certificate")?);
        }
        if let Some(key) = &self.signing_key {
            builder = builder.signing_key_pem(pem(key, "signing key")?);
        }
        if let Some(kid) = &self.signing_kid {
            builder = builder.signing_kid(kid.value.clone());
        }
        Ok(builder)
    }

    /// Builds the client.
    pub fn client(&self) -> Result<Client, CliError> {
        Ok(self.builder()?.build()?)
    }

    /// The core [`Environment`](opcorp::config::Environment) from `--env` and the base URL,
    /// by core's one rule ([`Environment::resolve`](opcorp::config::Environment::resolve)).
    fn environment(&self) -> Result<opcorp::config::Environment, CliError> {
        Ok(opcorp::config::Environment::resolve(
            self.environment.as_ref().map(|e| e.value.as_str()),
            self.base_url.as_ref().map(|u| u.value.as_str()),
        )?)
    }
}

/// Reads PEM bytes from a setting that is inline PEM or a file path.
fn pem(setting: &Setting, what: &str) -> Result<Vec<u8>, CliError> {
    if setting.value.trim_start().starts_with("-----BEGIN") {
        return Ok(setting.value.as_bytes().to_vec());
    }
    std::fs::read(&setting.value).map_err(|e| {
        CliError::config(format!(
            "cannot read {what} from {} (set by {}): {e}",
            setting.value, setting.origin
        ))
    })
}

/// Reads a small text file or reports which one could not be read.
fn read_text(path: &Path, what: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::config(format!("cannot read {what} {}: {e}", path.display())))
}

/// The default config file location.
fn default_config_path(getenv: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(xdg) = getenv("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(xdg).join("opcorp").join("config.toml"));
    }
    getenv("HOME").filter(|v| !v.is_empty()).map(|home| {
        PathBuf::from(home)
            .join(".config")
            .join("opcorp")
            .join("config.toml")
    })
}

/// Loads the selected profile and a description of where it came from, or `None` when no
/// config file is in play.
fn load_profile(
    args: &ConnectionArgs,
    getenv: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<(Profile, String)>, CliError> {
    let explicit = args.config.clone().or_else(|| {
        getenv("OPCORP_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let wanted = args
        .profile
        .clone()
        .or_else(|| getenv("OPCORP_PROFILE").filter(|v| !v.is_empty()));
    let path = match explicit.clone().or_else(|| default_config_path(getenv)) {
        Some(path) => path,
        None if wanted.is_some() => {
            return Err(CliError::config("--profile given but no config file found"));
        }
        None => return Ok(None),
    };
    if explicit.is_none() && !path.exists() {
        if let Some(name) = wanted {
            return Err(CliError::config(format!(
                "profile {name:?} requested but {} does not exist",
                path.display()
            )));
        }
        return Ok(None);
    }
    let text = read_text(&path, "config file")?;
    let file: ConfigFile = toml::from_str(&text)
        .map_err(|e| CliError::config(format!("config file {}: {e}", path.display())))?;
    let name = match wanted.or(file.default_profile.clone()) {
        Some(name) => name,
        None if file.profiles.contains_key("default") => "default".to_owned(),
        None => return Ok(None),
    };
    let profile = file.profiles.get(&name).cloned().ok_or_else(|| {
        let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
        CliError::config(format!(
            "profile {name:?} not found in {} (profiles: {})",
            path.display(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))
    })?;
    Ok(Some((
        profile,
        format!("profile {name} in {}", path.display()),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn flags_beat_env_and_env_beats_profile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "default_profile = \"dev\"\n[profiles.dev]\nclient_id = \"from-profile\"\n\
             base_url = \"https://profile.example\"\nclient_secret = \"s3cret\"\ncert = \"c.pem\"\n",
        )
        .unwrap();
        let args = ConnectionArgs {
            config: Some(path.clone()),
            client_id: Some("from-flag".into()),
            ..Default::default()
        };
        let getenv = env_of(&[("OPCORP_BASE_URL", "https://env.example")]);
        let s = Settings::resolve_with(&args, &getenv).unwrap();
        assert_eq!(s.client_id.as_ref().unwrap().value, "from-flag");
        assert_eq!(s.base_url(), "https://env.example");
        assert_eq!(s.cert.as_ref().unwrap().value, "c.pem");
        assert!(s.cert.as_ref().unwrap().origin.contains("profile dev"));
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("s3cret"), "{dbg}");
    }

    #[test]
    fn unknown_profile_and_bad_toml_are_config_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[profiles.a]\nclient_id = \"x\"\n").unwrap();
        let args = ConnectionArgs {
            config: Some(path.clone()),
            profile: Some("b".into()),
            ..Default::default()
        };
        let err = Settings::resolve_with(&args, &env_of(&[])).unwrap_err();
        assert!(err.to_string().contains("profiles: a"), "{err}");
        std::fs::write(&path, "[profiles.a]\nclient_idd = \"x\"\n").unwrap();
        let err = Settings::resolve_with(&args, &env_of(&[])).unwrap_err();
        assert_eq!(
            err.exit_code(),
            crate::exit::code_of(opcorp::ErrorKind::Config)
        );
    }

    #[test]
    fn missing_credentials_are_listed_together() {
        let getenv = env_of(&[("HOME", "/nonexistent-home")]);
        let s = Settings::resolve_with(&ConnectionArgs::default(), &getenv).unwrap();
        let err = s.builder().unwrap_err().to_string();
        assert!(
            err.starts_with("error[CONFIG]: missing credentials"),
            "{err}"
        );
        assert!(
            err.contains("OPCORP_CLIENT_ID") && err.contains("OPCORP_KEY"),
            "{err}"
        );
    }
}
