//! Keys and signatures: request signing (detached JWS), key and CSR generation.

use std::ffi::c_char;

use opcorp::Error;
use opcorp::keys::{KeyBits, csr_for_key, generate_key_and_csr};
use opcorp::signing::{SigningKey, sign_detached};

use crate::status::opcorp_status;
use crate::{guard, strings};

/// Signs `body` (exactly these `len` bytes) as OP's detached, unencoded-payload RS256 JWS
/// and writes the X-Req-Signature value. `iat_unix_secs` is the issue time in seconds since
/// the Unix epoch. The client signs payments itself; this is for custom integrations.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// `body` must be NULL (only with len 0) or readable for `len` bytes; others NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_sign_detached(
    body: *const u8,
    len: usize,
    signing_key_pem: *const c_char,
    kid: *const c_char,
    iat_unix_secs: i64,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY (all three): forwarded from the caller.
        let body = unsafe { strings::bytes_arg(body, len, "body") }?;
        let key =
            SigningKey::from_pem(unsafe { strings::arg(signing_key_pem, "signing_key_pem") }?)?;
        let kid = unsafe { strings::arg(kid, "kid") }?;
        *slot = strings::owned(sign_detached(body, &key, kid, iat_unix_secs)?)?;
        Ok(())
    })
}

/// Writes the public key (SPKI PEM) of an RSA signing key, to register with OP API Admin.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_signing_public_key_pem(
    signing_key_pem: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let key =
            SigningKey::from_pem(unsafe { strings::arg(signing_key_pem, "signing_key_pem") }?)?;
        *slot = strings::owned(key.public_key_pem())?;
        Ok(())
    })
}

/// Generates an RSA key of `bits` (2048, 3072 or 4096) and a CSR for it with the given
/// common name, for OP's certificate onboarding.
///
/// Ownership: *out_private_key_pem and *out_csr_pem are owned by the caller; free both with
/// opcorp_string_free (the key's memory is wiped).
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_generate_key_and_csr(
    bits: u32,
    common_name: *const c_char,
    out_private_key_pem: *mut *mut c_char,
    out_csr_pem: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY (both): forwarded from the caller.
        let key_slot = unsafe { guard::out(out_private_key_pem, "out_private_key_pem") }?;
        let csr_slot = unsafe { guard::out(out_csr_pem, "out_csr_pem") }?;
        // SAFETY: forwarded from the caller.
        let name = unsafe { strings::arg(common_name, "common_name") }?;
        let bits = match bits {
            2048 => KeyBits::Rsa2048,
            3072 => KeyBits::Rsa3072,
            4096 => KeyBits::Rsa4096,
            other => {
                return Err(Error::invalid_input(format!(
                    "bits must be 2048, 3072 or 4096, got {other}"
                )));
            }
        };
        let generated = generate_key_and_csr(bits, name)?;
        let csr = strings::owned(generated.csr_pem.as_str())?;
        match strings::owned(generated.private_key_pem.as_str()) {
            Ok(key) => {
                *key_slot = key;
                *csr_slot = csr;
                Ok(())
            }
            Err(e) => {
                // SAFETY: `csr` was just created by strings::owned and not handed out.
                unsafe { strings::opcorp_string_free(csr) };
                Err(e)
            }
        }
    })
}

/// Writes a CSR for an existing RSA private key (PKCS#8 or PKCS#1 PEM), e.g. to renew a
/// certificate without changing the key.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_csr_for_key(
    private_key_pem: *const c_char,
    common_name: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY (both): forwarded from the caller.
        let key = unsafe { strings::arg(private_key_pem, "private_key_pem") }?;
        let name = unsafe { strings::arg(common_name, "common_name") }?;
        *slot = strings::owned(csr_for_key(key, name)?)?;
        Ok(())
    })
}
