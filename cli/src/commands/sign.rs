//! `opcorp sign`: the `X-Req-Signature` value for a body read from stdin (offline).
//!
//! Useful to reproduce what the SDK sends, or to sign from a shell script. The body is used
//! byte for byte (no trailing newline is added or removed): the bank verifies these exact
//! bytes, so send the same file you signed.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use opcorp::signing::{SigningKey, sign_detached};

use crate::exit::CliError;
use crate::output::print_str;

/// Sign a request body (stdin) with RS256 as a detached JWS.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Signing private key, PEM (PKCS#8 or PKCS#1).
    #[arg(long, value_name = "PEM")]
    pub key: PathBuf,
    /// Key id registered in OP API Admin.
    #[arg(long)]
    pub kid: String,
    /// The `urn:op.api.iat` time in Unix seconds (default: now).
    #[arg(long, value_name = "SECS")]
    pub iat: Option<i64>,
}

/// Runs `sign`.
pub fn run(args: &SignArgs) -> Result<(), CliError> {
    let key = SigningKey::from_pem_file(&args.key)?;
    let mut body = Vec::new();
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| CliError::io("cannot read the body from stdin", e))?;
    let iat = args
        .iat
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp());
    let signature = sign_detached(&body, &key, &args.kid, iat)?;
    print_str(&format!("{signature}\n"))
}
