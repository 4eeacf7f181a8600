//! The domain toolkit as plain functions: Finnish and RF references, IBAN and BIC, virtual
//! bank barcodes, amounts in minor units, detached JWS signing, key + CSR generation.

use napi::bindgen_prelude::{BigInt, Buffer, Object};
use napi::{Either, Env};
use napi_derive::napi;
use opcorp::Amount;
use opcorp::domain::barcode::VirtualBarcode;
use opcorp::domain::bic::Bic;
use opcorp::domain::iban::Iban;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;
use opcorp::keys::{KeyBits, generate_key_and_csr as core_generate};
use opcorp::signing::{SigningKey, sign_detached as core_sign};

use crate::errors::IntoJsResult;
use crate::input;
use crate::runtime::{promise, same};

/// A Finnish creditor reference: `base` (3–19 digits) with its check digit appended.
#[napi]
pub fn reference_generate(env: Env, base: String) -> napi::Result<String> {
    Ok(FinnishReference::generate(&base)
        .js(&env)?
        .as_str()
        .to_owned())
}

/// An ISO 11649 RF reference for `body` (letters and digits).
#[napi]
pub fn rf_generate(env: Env, body: String) -> napi::Result<String> {
    Ok(RfReference::generate(&body).js(&env)?.as_str().to_owned())
}

/// The RF form of a Finnish reference.
#[napi]
pub fn rf_from_finnish(env: Env, reference: String) -> napi::Result<String> {
    let finnish = FinnishReference::parse(&reference).js(&env)?;
    Ok(RfReference::from_finnish(&finnish).as_str().to_owned())
}

/// The Finnish reference inside an RF reference, or `null` when its body is not one.
#[napi]
pub fn rf_to_finnish(env: Env, rf: String) -> napi::Result<Option<String>> {
    let rf = RfReference::parse(&rf).js(&env)?;
    Ok(rf.to_finnish().map(|f| f.as_str().to_owned()))
}

/// Checks a Finnish or RF reference; returns it in machine form (no spaces).
#[napi]
pub fn reference_normalize(env: Env, reference: String) -> napi::Result<String> {
    Ok(Reference::parse(&reference).js(&env)?.as_str().to_owned())
}

/// A reference grouped for printing on an invoice.
#[napi]
pub fn reference_grouped(env: Env, reference: String) -> napi::Result<String> {
    Ok(Reference::parse(&reference).js(&env)?.grouped())
}

/// Checks an IBAN; returns it in machine form (upper case, no spaces).
#[napi]
pub fn iban_normalize(env: Env, iban: String) -> napi::Result<String> {
    Ok(Iban::parse(&iban).js(&env)?.as_str().to_owned())
}

/// An IBAN grouped in fours for printing.
#[napi]
pub fn iban_grouped(env: Env, iban: String) -> napi::Result<String> {
    Ok(Iban::parse(&iban).js(&env)?.grouped())
}

/// The BIC of a Finnish IBAN's bank, or `null` when unknown.
#[napi]
pub fn bic_for_iban(env: Env, iban: String) -> napi::Result<Option<String>> {
    let iban = Iban::parse(&iban).js(&env)?;
    Ok(Bic::for_finnish_iban(&iban).map(|b| b.as_str().to_owned()))
}

/// Checks a BIC; returns it in upper case.
#[napi]
pub fn bic_normalize(env: Env, bic: String) -> napi::Result<String> {
    Ok(Bic::parse(&bic).js(&env)?.as_str().to_owned())
}

/// What a virtual bank barcode holds (amount as decimal text, due date `YYYY-MM-DD`).
#[napi(object)]
pub struct BarcodeFields {
    /// The payee's Finnish IBAN.
    pub iban: String,
    /// The amount, e.g. `"12.50"`.
    pub amount: String,
    /// Finnish or RF reference.
    pub reference: String,
    /// Due date, or none.
    pub due_date: Option<String>,
    /// Barcode version (4 for Finnish references, 5 for RF); set on decode, ignored on encode.
    pub version: Option<u32>,
}

/// Encodes a Finnish virtual bank barcode (54 digits).
#[napi]
pub fn barcode_encode(env: Env, fields: BarcodeFields) -> napi::Result<String> {
    let run = || -> opcorp::Result<String> {
        VirtualBarcode {
            iban: Iban::parse(&fields.iban)?,
            amount: input::amount("amount", &fields.amount)?,
            reference: Reference::parse(&fields.reference)?,
            due_date: fields
                .due_date
                .as_deref()
                .map(|d| input::date("dueDate", d))
                .transpose()?,
        }
        .encode()
    };
    run().js(&env)
}

/// Decodes a Finnish virtual bank barcode.
#[napi]
pub fn barcode_decode(env: Env, barcode: String) -> napi::Result<BarcodeFields> {
    let decoded = VirtualBarcode::decode(&barcode).js(&env)?;
    Ok(BarcodeFields {
        iban: decoded.iban.as_str().to_owned(),
        amount: decoded.amount.to_string(),
        reference: decoded.reference.as_str().to_owned(),
        due_date: decoded.due_date.map(|d| d.to_string()),
        version: Some(u32::from(decoded.version())),
    })
}

/// The decimal text of an amount in minor units (cents): `1250n` → `"12.50"`.
#[napi]
pub fn amount_from_minor_units(env: Env, minor: BigInt) -> napi::Result<String> {
    let (cents, lossless) = minor.get_i64();
    if !lossless {
        return Err(crate::errors::to_js(
            &env,
            &opcorp::Error::invalid_input("the amount in minor units does not fit in 64 bits"),
        ));
    }
    Ok(Amount::from_minor_units(cents).to_string())
}

/// An amount in minor units (cents): `"12.50"` → `1250n`; more than two decimals is an
/// INVALID_INPUT error.
#[napi]
pub fn amount_to_minor_units(env: Env, amount: String) -> napi::Result<BigInt> {
    let run = || input::amount("amount", &amount)?.to_minor_units();
    Ok(BigInt::from(run().js(&env)?))
}

/// A detached JWS (RS256, `b64: false`) over `body` for OP's `x-jws-signature` header.
#[napi]
pub fn sign_detached(
    env: Env,
    body: Either<String, Buffer>,
    private_key_pem: String,
    kid: String,
    iat: Option<i64>,
) -> napi::Result<String> {
    let body = match body {
        Either::A(text) => text.into_bytes(),
        Either::B(bytes) => bytes.to_vec(),
    };
    let iat = iat.unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp());
    let run = || -> opcorp::Result<String> {
        let key = SigningKey::from_pem(&private_key_pem)?;
        core_sign(&body, &key, &kid, iat)
    };
    run().js(&env)
}

/// The public key (SPKI PEM) of an RSA private key, for registering a signing key.
#[napi]
pub fn public_key_pem(env: Env, private_key_pem: String) -> napi::Result<String> {
    Ok(SigningKey::from_pem(&private_key_pem)
        .js(&env)?
        .public_key_pem())
}

/// A new RSA key and a CSR for it.
#[napi(object)]
pub struct GeneratedKey {
    /// The private key (PKCS#8 PEM). Keep it secret.
    pub private_key_pem: String,
    /// The certificate signing request (PEM) to upload to OP.
    pub csr_pem: String,
}

/// Generates an RSA key (2048, 3072 or 4096 bits, default 4096) and a CSR with this common
/// name, off the JS thread.
#[napi(ts_return_type = "Promise<GeneratedKey>")]
pub fn generate_key_and_csr<'e>(
    env: &'e Env,
    common_name: String,
    bits: Option<u32>,
) -> napi::Result<Object<'e>> {
    let bits = match bits.unwrap_or(4096) {
        2048 => Ok(KeyBits::Rsa2048),
        3072 => Ok(KeyBits::Rsa3072),
        4096 => Ok(KeyBits::Rsa4096),
        other => Err(opcorp::Error::invalid_input(format!(
            "bits must be 2048, 3072 or 4096, got {other}"
        ))),
    }
    .js(env)?;
    promise(
        env,
        async move {
            let generated = tokio::task::spawn_blocking(move || core_generate(bits, &common_name))
                .await
                .map_err(|e| opcorp::Error::config(format!("key generation failed: {e}")))??;
            Ok(GeneratedKey {
                private_key_pem: generated.private_key_pem.to_string(),
                csr_pem: generated.csr_pem,
            })
        },
        same,
    )
}
