//! `opcorp_client_config`: the settings of a client, given one by one from C and applied to
//! core's `ClientBuilder` when the client is created.

use std::ffi::c_char;
use std::time::Duration;

use opcorp::Error;
use opcorp::client::ClientBuilder;
use opcorp::config::Environment;
use opcorp::model::AddressRules;
use zeroize::Zeroizing;

use crate::guard;
use crate::status::opcorp_status;
use crate::strings;

/// One setting as given; replayed onto a `ClientBuilder` in order.
enum Setting {
    ClientId(String),
    ClientSecret(Zeroizing<String>),
    CertificatePem(Zeroizing<String>),
    CertificateFile(String),
    PrivateKeyPem(Zeroizing<String>),
    PrivateKeyFile(String),
    CaPem(String),
    CaFile(String),
    SigningKeyPem(Zeroizing<String>),
    SigningKeyFile(String),
    SigningKid(String),
    Proxy(String),
    AddressRules(AddressRules),
    ConnectTimeout(Duration),
    ReadTimeout(Duration),
    TotalTimeout(Duration),
    MaxConnections(usize),
    CallTimeout(Duration),
}

/// Client settings. Start from nothing (opcorp_client_config_new) or from the OPCORP_*
/// environment variables (opcorp_client_config_from_env), set or override values, then
/// create clients with opcorp_client_new. The config can be reused and must be freed.
///
/// Ownership: free with opcorp_client_config_free. Secrets in it are wiped when freed.
/// Thread-safety: not thread-safe; use from one thread at a time.
pub struct opcorp_client_config {
    from_env: bool,
    /// The environment name and base URL, resolved together by core when set.
    environment: Option<String>,
    base_url: Option<String>,
    settings: Vec<Setting>,
}

impl opcorp_client_config {
    /// A `ClientBuilder` with every setting applied.
    pub(crate) fn builder(&self) -> Result<ClientBuilder, Error> {
        let mut builder = if self.from_env {
            ClientBuilder::from_env()?
        } else {
            opcorp::client::Client::builder()
        };
        if self.environment.is_some() || self.base_url.is_some() {
            builder = builder.environment(Environment::resolve(
                self.environment.as_deref(),
                self.base_url.as_deref(),
            )?);
        }
        for setting in &self.settings {
            builder = match setting {
                Setting::ClientId(v) => builder.client_id(v.as_str()),
                Setting::ClientSecret(v) => builder.client_secret(v.as_str()),
                Setting::CertificatePem(v) => builder.certificate_pem(v.as_bytes()),
                Setting::CertificateFile(v) => builder.certificate_file(v),
                Setting::PrivateKeyPem(v) => builder.private_key_pem(v.as_bytes()),
                Setting::PrivateKeyFile(v) => builder.private_key_file(v),
                Setting::CaPem(v) => builder.ca_certificate_pem(v.as_bytes()),
                Setting::CaFile(v) => builder.ca_certificate_file(v),
                Setting::SigningKeyPem(v) => builder.signing_key_pem(v.as_bytes()),
                Setting::SigningKeyFile(v) => builder.signing_key_file(v),
                Setting::SigningKid(v) => builder.signing_kid(v.as_str()),
                Setting::Proxy(v) => builder.proxy(v.as_str()),
                Setting::AddressRules(v) => builder.address_rules(*v),
                Setting::ConnectTimeout(d) => builder.connect_timeout(*d),
                Setting::ReadTimeout(d) => builder.read_timeout(*d),
                Setting::TotalTimeout(d) => builder.total_timeout(*d),
                Setting::MaxConnections(n) => builder.max_connections(*n),
                Setting::CallTimeout(d) => builder.call_timeout(*d),
            };
        }
        Ok(builder)
    }
}

/// Creates an empty config (production environment, nothing else set).
///
/// Ownership: *out is owned by the caller; free it with opcorp_client_config_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_new(
    out: *mut *mut opcorp_client_config,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        *slot = guard::into_handle(opcorp_client_config {
            from_env: false,
            environment: None,
            base_url: None,
            settings: Vec::new(),
        });
        Ok(())
    })
}

/// Creates a config preset from the OPCORP_* environment variables (read when a client is
/// created); later setters override them.
///
/// Ownership: *out is owned by the caller; free it with opcorp_client_config_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_from_env(
    out: *mut *mut opcorp_client_config,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        *slot = guard::into_handle(opcorp_client_config {
            from_env: true,
            environment: None,
            base_url: None,
            settings: Vec::new(),
        });
        Ok(())
    })
}

/// Adds a text setting after checking the config and the value.
///
/// # Safety
/// `config` must be NULL or live and unshared; `value` NULL or NUL-terminated.
unsafe fn set_text(
    config: *mut opcorp_client_config,
    value: *const c_char,
    make: impl FnOnce(&str) -> Result<Setting, Error>,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let config = unsafe { guard::handle_mut(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let value = unsafe { strings::arg(value, "value") }?;
        config.settings.push(make(value)?);
        Ok(())
    })
}

/// Selects OP's installation by name: "production", "sandbox" or "custom" (any case).
/// Together with opcorp_client_config_set_base_url this follows core's one rule: a base URL
/// overrides the preset's host, "production" refuses plain http://, "custom" needs a base
/// URL. An unknown name is OPCORP_CONFIG at once; the combination is checked again by
/// opcorp_client_new.
///
/// # Safety
/// `config` must be NULL or live; `name` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_environment(
    config: *mut opcorp_client_config,
    name: *const c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let config = unsafe { guard::handle_mut(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let name = unsafe { strings::arg(name, "name") }?;
        // The name alone is checked now; a placeholder URL keeps "custom" acceptable here.
        Environment::resolve(Some(name), Some("https://placeholder.invalid"))?;
        config.environment = Some(name.to_owned());
        Ok(())
    })
}

/// Sets a custom base URL, e.g. the emulator's "https://127.0.0.1:8443" (https, or http
/// only for loopback hosts; checked by opcorp_client_new).
///
/// # Safety
/// `config` must be NULL or live; `url` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_base_url(
    config: *mut opcorp_client_config,
    url: *const c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let config = unsafe { guard::handle_mut(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let url = unsafe { strings::arg(url, "url") }?;
        config.base_url = Some(url.to_owned());
        Ok(())
    })
}

/// Sets the OAuth2 client id from OP API Admin.
///
/// # Safety
/// `config` must be NULL or live; `value` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_client_id(
    config: *mut opcorp_client_config,
    value: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { set_text(config, value, |v| Ok(Setting::ClientId(v.to_owned()))) }
}

/// Sets the OAuth2 client secret (kept in memory that is wiped on free; never printed).
///
/// # Safety
/// `config` must be NULL or live; `value` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_client_secret(
    config: *mut opcorp_client_config,
    value: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_text(config, value, |v| {
            Ok(Setting::ClientSecret(Zeroizing::new(v.to_owned())))
        })
    }
}

/// Sets the mTLS client certificate chain as PEM text.
///
/// # Safety
/// `config` must be NULL or live; `pem` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_certificate_pem(
    config: *mut opcorp_client_config,
    pem: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_text(config, pem, |v| {
            Ok(Setting::CertificatePem(Zeroizing::new(v.to_owned())))
        })
    }
}

/// Sets the mTLS client certificate chain as a PEM file path (read by opcorp_client_new).
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_certificate_file(
    config: *mut opcorp_client_config,
    path: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { set_text(config, path, |v| Ok(Setting::CertificateFile(v.to_owned()))) }
}

/// Sets the mTLS private key (unencrypted PEM) as text.
///
/// # Safety
/// `config` must be NULL or live; `pem` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_private_key_pem(
    config: *mut opcorp_client_config,
    pem: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_text(config, pem, |v| {
            Ok(Setting::PrivateKeyPem(Zeroizing::new(v.to_owned())))
        })
    }
}

/// Sets the mTLS private key as a PEM file path.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_private_key_file(
    config: *mut opcorp_client_config,
    path: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { set_text(config, path, |v| Ok(Setting::PrivateKeyFile(v.to_owned()))) }
}

/// Adds a trusted CA for the server certificate, as PEM text (e.g. the emulator's CA).
///
/// # Safety
/// `config` must be NULL or live; `pem` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_ca_pem(
    config: *mut opcorp_client_config,
    pem: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { set_text(config, pem, |v| Ok(Setting::CaPem(v.to_owned()))) }
}

/// Adds a trusted CA for the server certificate, as a PEM file path.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_ca_file(
    config: *mut opcorp_client_config,
    path: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { set_text(config, path, |v| Ok(Setting::CaFile(v.to_owned()))) }
}

/// Sets the RSA key that signs payments and refunds, as PEM text.
///
/// # Safety
/// `config` must be NULL or live; `pem` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_signing_key_pem(
    config: *mut opcorp_client_config,
    pem: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_text(config, pem, |v| {
            Ok(Setting::SigningKeyPem(Zeroizing::new(v.to_owned())))
        })
    }
}

/// Sets the signing key as a PEM file path.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_signing_key_file(
    config: *mut opcorp_client_config,
    path: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { set_text(config, path, |v| Ok(Setting::SigningKeyFile(v.to_owned()))) }
}

/// Sets the signing key's id (kid) from OP API Admin.
///
/// # Safety
/// `config` must be NULL or live; `kid` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_signing_kid(
    config: *mut opcorp_client_config,
    kid: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { set_text(config, kid, |v| Ok(Setting::SigningKid(v.to_owned()))) }
}

/// Sends every request through this proxy URL (NO_PROXY still applies).
///
/// # Safety
/// `config` must be NULL or live; `url` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_proxy(
    config: *mut opcorp_client_config,
    url: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { set_text(config, url, |v| Ok(Setting::Proxy(v.to_owned()))) }
}

/// Sets the address rules payments follow: "rulebook" (the default; structured or hybrid
/// addresses only, as the EPC rulebooks demand from November 2026) or "allow_unstructured"
/// (addresses of lines only accepted too, for a bank that still takes them). OPCORP_CONFIG
/// for any other name.
///
/// # Safety
/// `config` must be NULL or live; `rules` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_address_rules(
    config: *mut opcorp_client_config,
    rules: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_text(config, rules, |v| {
            Ok(Setting::AddressRules(AddressRules::parse(v)?))
        })
    }
}

/// Sets the three deadlines in milliseconds: connecting (TCP + TLS), between two reads,
/// and one whole attempt (defaults 10 s, 30 s, 60 s when never set). A zero deadline is
/// refused with OPCORP_CONFIG by opcorp_client_new, as in every binding.
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_timeouts_ms(
    config: *mut opcorp_client_config,
    connect_ms: u64,
    read_ms: u64,
    total_ms: u64,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let config = unsafe { guard::handle_mut(config, "config") }?;
        let ms = Duration::from_millis;
        config.settings.extend([
            Setting::ConnectTimeout(ms(connect_ms)),
            Setting::ReadTimeout(ms(read_ms)),
            Setting::TotalTimeout(ms(total_ms)),
        ]);
        Ok(())
    })
}

/// Sets a deadline in milliseconds for each whole call: every attempt, backoff and
/// Retry-After wait included (default: none, only the per-attempt deadlines). A payment it
/// cuts ends OPCORP_UNKNOWN_OUTCOME with its pending operation, never a second booking.
/// Zero is refused with OPCORP_CONFIG by opcorp_client_new.
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_call_timeout_ms(
    config: *mut opcorp_client_config,
    call_ms: u64,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let config = unsafe { guard::handle_mut(config, "config") }?;
        config
            .settings
            .push(Setting::CallTimeout(Duration::from_millis(call_ms)));
        Ok(())
    })
}

/// Caps the simultaneous requests (so the open sockets, busy plus idle, stay within twice
/// the cap) to the bank of every client made
/// from this config (default 32, or OPCORP_MAX_CONNECTIONS); further requests wait for a
/// free one. Zero is refused with OPCORP_CONFIG by opcorp_client_new, as in every binding.
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_set_max_connections(
    config: *mut opcorp_client_config,
    max: usize,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let config = unsafe { guard::handle_mut(config, "config") }?;
        config.settings.push(Setting::MaxConnections(max));
        Ok(())
    })
}

/// Frees a config, wiping the secrets in it. NULL is ignored.
///
/// # Safety
/// `config` must be NULL or an owned config, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_config_free(config: *mut opcorp_client_config) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(config) });
}
