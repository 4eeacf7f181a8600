//! Client settings from Python keyword arguments, applied to core's `ClientBuilder`.

use std::time::Duration;

use opcorp::client::{Client, ClientBuilder};
use opcorp::config::Environment;
use opcorp::model::AddressRules;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::errors::IntoPyResult;

/// Every keyword `Client(...)` and `Client.from_env(...)` accept.
pub const KEYWORDS: [&str; 21] = [
    "base_url",
    "environment",
    "client_id",
    "client_secret",
    "certificate_pem",
    "certificate_file",
    "private_key_pem",
    "private_key_file",
    "ca_certificate_pem",
    "ca_certificate_file",
    "signing_key_pem",
    "signing_key_file",
    "signing_kid",
    "connect_timeout",
    "read_timeout",
    "total_timeout",
    "call_timeout",
    "max_response_bytes",
    "max_connections",
    "proxy",
    "address_rules",
];

/// Builds a core client: from the `OPCORP_*` environment when `from_env`, then the keyword
/// overrides. File reading and TLS setup run with the GIL released.
pub fn build_client(
    py: Python<'_>,
    from_env: bool,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Client> {
    // Settings of the `opcorp` logger made after import apply from this client on.
    py.import("opcorp._logging")?.call_method0("refresh")?;
    let mut builder = if from_env {
        ClientBuilder::from_env().py()?
    } else {
        Client::builder()
    };
    let mut environment: Option<String> = None;
    let mut base_url: Option<String> = None;
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            let key: String = key.extract()?;
            if value.is_none() {
                continue;
            }
            match key.as_str() {
                "environment" => environment = Some(value.extract()?),
                "base_url" => base_url = Some(value.extract()?),
                _ => builder = apply(builder, &key, &value)?,
            }
        }
    }
    if environment.is_some() || base_url.is_some() {
        let env = Environment::resolve(environment.as_deref(), base_url.as_deref()).py()?;
        builder = builder.environment(env);
    }
    py.detach(|| builder.build()).py()
}

/// Applies one keyword other than `environment` and `base_url` (resolved together by core).
fn apply(builder: ClientBuilder, key: &str, value: &Bound<'_, PyAny>) -> PyResult<ClientBuilder> {
    let text = || value.extract::<String>();
    Ok(match key {
        "client_id" => builder.client_id(text()?),
        "client_secret" => builder.client_secret(text()?),
        "certificate_pem" => builder.certificate_pem(pem(value)?),
        "certificate_file" => builder.certificate_file(path(value)?),
        "private_key_pem" => builder.private_key_pem(pem(value)?),
        "private_key_file" => builder.private_key_file(path(value)?),
        "ca_certificate_pem" => builder.ca_certificate_pem(pem(value)?),
        "ca_certificate_file" => builder.ca_certificate_file(path(value)?),
        "signing_key_pem" => builder.signing_key_pem(pem(value)?),
        "signing_key_file" => builder.signing_key_file(path(value)?),
        "signing_kid" => builder.signing_kid(text()?),
        "connect_timeout" => builder.connect_timeout(seconds(key, value)?),
        "read_timeout" => builder.read_timeout(seconds(key, value)?),
        "total_timeout" => builder.total_timeout(seconds(key, value)?),
        "call_timeout" => builder.call_timeout(seconds(key, value)?),
        "max_response_bytes" => builder.max_response_bytes(value.extract()?),
        "max_connections" => builder.max_connections(value.extract()?),
        "proxy" => builder.proxy(text()?),
        "address_rules" => builder.address_rules(AddressRules::parse(&text()?).py()?),
        other => {
            return Err(PyTypeError::new_err(format!(
                "unexpected keyword argument {other:?}; accepted: {}",
                KEYWORDS.join(", ")
            )));
        }
    })
}

/// PEM text from `str` or `bytes`.
fn pem(value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    Ok(value.extract::<String>()?.into_bytes())
}

/// A file path from `str` or `os.PathLike`.
fn path(value: &Bound<'_, PyAny>) -> PyResult<std::path::PathBuf> {
    value.extract()
}

/// A duration in seconds; zero passes through to core, which refuses it (`CONFIG`).
fn seconds(key: &str, value: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let secs: f64 = value.extract()?;
    Duration::try_from_secs_f64(secs).map_err(|_| {
        crate::errors::to_py(opcorp::Error::config(format!(
            "{key} must be a positive number of seconds, got {secs}"
        )))
    })
}
