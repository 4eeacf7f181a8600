//! The domain toolkit as plain functions: Finnish and RF references, IBAN and BIC, virtual
//! bank barcodes, detached JWS signing, and key + CSR generation.

use opcorp::domain::barcode::VirtualBarcode;
use opcorp::domain::bic::Bic;
use opcorp::domain::iban::Iban;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;
use opcorp::keys::{KeyBits, generate_key_and_csr as core_generate};
use opcorp::signing::{SigningKey, sign_detached as core_sign};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{ToPy, amount_arg, date_arg};
use crate::errors::{IntoPyResult, to_py};

/// Builds a Finnish reference from `base` (digits) by appending its check digit.
#[pyfunction]
pub fn reference_generate(base: &str) -> PyResult<String> {
    Ok(FinnishReference::generate(base).py()?.as_str().to_owned())
}

/// Builds an RF reference (ISO 11649) from `body` (letters and digits).
#[pyfunction]
pub fn rf_generate(body: &str) -> PyResult<String> {
    Ok(RfReference::generate(body).py()?.as_str().to_owned())
}

/// The RF form of a Finnish reference.
#[pyfunction]
pub fn rf_from_finnish(reference: &str) -> PyResult<String> {
    let finnish = FinnishReference::parse(reference).py()?;
    Ok(RfReference::from_finnish(&finnish).as_str().to_owned())
}

/// The Finnish reference inside an RF reference, or `None` when its body is not one.
#[pyfunction]
pub fn rf_to_finnish(rf: &str) -> PyResult<Option<String>> {
    let rf = RfReference::parse(rf).py()?;
    Ok(rf.to_finnish().map(|f| f.as_str().to_owned()))
}

/// Validates a Finnish or RF reference (spaces, leading zeros and case tolerated) and returns
/// its electronic form; raises `InvalidInputError` with the reason otherwise.
#[pyfunction]
pub fn reference_normalize(reference: &str) -> PyResult<String> {
    Ok(Reference::parse(reference).py()?.as_str().to_owned())
}

/// The paper form of a reference (groups of five digits, or of four for RF).
#[pyfunction]
pub fn reference_grouped(reference: &str) -> PyResult<String> {
    Ok(Reference::parse(reference).py()?.grouped())
}

/// Validates an IBAN and returns its electronic form (no spaces, upper case).
#[pyfunction]
pub fn iban_normalize(iban: &str) -> PyResult<String> {
    Ok(Iban::parse(iban).py()?.as_str().to_owned())
}

/// The paper form of an IBAN (groups of four).
#[pyfunction]
pub fn iban_grouped(iban: &str) -> PyResult<String> {
    Ok(Iban::parse(iban).py()?.grouped())
}

/// The BIC of a Finnish IBAN's bank, or `None` when the bank code is unknown.
#[pyfunction]
pub fn bic_for_iban(iban: &str) -> PyResult<Option<String>> {
    let iban = Iban::parse(iban).py()?;
    Ok(Bic::for_finnish_iban(&iban).map(|b| b.as_str().to_owned()))
}

/// Validates a BIC and returns it normalised.
#[pyfunction]
pub fn bic_normalize(bic: &str) -> PyResult<String> {
    Ok(Bic::parse(bic).py()?.as_str().to_owned())
}

/// Encodes a Finnish virtual bank barcode (54 digits; version 4 for Finnish references, 5
/// for RF). `amount` is a `Decimal`/`str`/`int` (0 lets the payer enter it).
#[pyfunction]
#[pyo3(signature = (iban, amount, reference, due_date=None))]
pub fn barcode_encode(
    iban: &str,
    amount: &Bound<'_, PyAny>,
    reference: &str,
    due_date: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let barcode = VirtualBarcode {
        iban: Iban::parse(iban).py()?,
        amount: amount_arg("amount", amount)?,
        reference: Reference::parse(reference).py()?,
        due_date: due_date.map(|d| date_arg("due_date", d)).transpose()?,
    };
    barcode.encode().py()
}

/// Decodes a virtual bank barcode into a dict: `iban`, `amount` (Decimal), `reference`,
/// `due_date` (date or None), `version`.
#[pyfunction]
pub fn barcode_decode<'py>(py: Python<'py>, barcode: &str) -> PyResult<Bound<'py, PyDict>> {
    let decoded = VirtualBarcode::decode(barcode).py()?;
    let dict = PyDict::new(py);
    dict.set_item("iban", decoded.iban.as_str())?;
    dict.set_item("amount", decoded.amount.to_py(py)?)?;
    dict.set_item("reference", decoded.reference.as_str())?;
    dict.set_item("due_date", decoded.due_date.to_py(py)?)?;
    dict.set_item("version", decoded.version())?;
    Ok(dict)
}

/// Signs `body` as OP's detached, unencoded-payload RS256 JWS and returns the
/// `X-Req-Signature` value. `iat` defaults to now (Unix seconds).
#[pyfunction]
#[pyo3(signature = (body, private_key_pem, kid, iat=None))]
pub fn sign_detached(
    py: Python<'_>,
    body: Vec<u8>,
    private_key_pem: String,
    kid: String,
    iat: Option<i64>,
) -> PyResult<String> {
    let iat = iat.unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp());
    py.detach(move || {
        let key = SigningKey::from_pem(&private_key_pem)?;
        core_sign(&body, &key, &kid, iat)
    })
    .py()
}

/// The public key (SPKI PEM) of an RSA private key, to register with OP.
#[pyfunction]
pub fn public_key_pem(private_key_pem: &str) -> PyResult<String> {
    Ok(SigningKey::from_pem(private_key_pem).py()?.public_key_pem())
}

/// Generates an RSA key (`bits` 2048, 3072 or 4096) and a CSR with `common_name`, with the
/// GIL released (4096-bit generation takes seconds).
#[pyfunction]
#[pyo3(signature = (common_name, bits=4096))]
pub fn generate_key_and_csr(
    py: Python<'_>,
    common_name: String,
    bits: u32,
) -> PyResult<GeneratedKey> {
    let bits = match bits {
        2048 => KeyBits::Rsa2048,
        3072 => KeyBits::Rsa3072,
        4096 => KeyBits::Rsa4096,
        other => {
            return Err(to_py(opcorp::Error::invalid_input(format!(
                "bits must be 2048, 3072 or 4096, got {other}"
            ))));
        }
    };
    let generated = py.detach(move || core_generate(bits, &common_name)).py()?;
    Ok(GeneratedKey {
        private_key_pem: generated.private_key_pem.to_string(),
        csr_pem: generated.csr_pem,
    })
}

/// A generated private key and its CSR. `repr()` never shows the key.
#[pyclass(name = "GeneratedKey", module = "opcorp", frozen)]
pub struct GeneratedKey {
    /// The unencrypted PKCS#8 private key PEM: store it securely.
    #[pyo3(get)]
    private_key_pem: String,
    /// The PKCS#10 CSR PEM to upload to OP API Admin.
    #[pyo3(get)]
    csr_pem: String,
}

#[pymethods]
impl GeneratedKey {
    fn __repr__(&self) -> String {
        format!(
            "GeneratedKey(private_key_pem='[REDACTED]', csr_pem=<{} chars>)",
            self.csr_pem.len()
        )
    }
}
