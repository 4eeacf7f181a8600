//! `opcorp keys new`: an RSA key and CSR for OP API Admin onboarding (offline).
//!
//! OP API Admin takes a CSR for the mTLS certificate (and a public key for request
//! signing). The private key is written with mode 0600 and never printed; an existing file
//! is never overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use opcorp::keys::{KeyBits, generate_key_and_csr};
use serde_json::json;

use crate::exit::CliError;
use crate::output::{Format, print_json, print_str};

/// Key management.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Generate a private key and a CSR to upload to OP API Admin.
    New(NewKeyArgs),
}

/// RSA key sizes offered on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Bits {
    /// 2048 bits (OP's minimum).
    #[value(name = "2048")]
    B2048,
    /// 3072 bits.
    #[value(name = "3072")]
    B3072,
    /// 4096 bits (OP's examples; default).
    #[value(name = "4096")]
    B4096,
}

/// Flags of `keys new`.
#[derive(Debug, Args)]
pub struct NewKeyArgs {
    /// Common name in the CSR, e.g. your company or application name.
    #[arg(long, default_value = "opcorp")]
    pub cn: String,
    /// Key size.
    #[arg(long, value_enum, default_value = "4096")]
    pub bits: Bits,
    /// Directory to write `<name>.key` and `<name>.csr` into.
    #[arg(long, default_value = ".")]
    pub out_dir: PathBuf,
    /// File name stem.
    #[arg(long, default_value = "opcorp")]
    pub name: String,
}

/// Runs a `keys` subcommand.
pub fn run(cmd: &KeysCommand, format: Format) -> Result<(), CliError> {
    let KeysCommand::New(args) = cmd;
    let key_path = args.out_dir.join(format!("{}.key", args.name));
    let csr_path = args.out_dir.join(format!("{}.csr", args.name));
    for path in [&key_path, &csr_path] {
        if path.exists() {
            return Err(CliError::invalid(format!(
                "{} already exists; refusing to overwrite a key",
                path.display()
            )));
        }
    }
    let bits = match args.bits {
        Bits::B2048 => KeyBits::Rsa2048,
        Bits::B3072 => KeyBits::Rsa3072,
        Bits::B4096 => KeyBits::Rsa4096,
    };
    let generated = generate_key_and_csr(bits, &args.cn)?;
    write_private(&key_path, generated.private_key_pem.as_bytes())?;
    std::fs::write(&csr_path, generated.csr_pem.as_bytes())
        .map_err(|e| CliError::io(format!("cannot write {}", csr_path.display()), e))?;
    if format == Format::Json {
        return print_json(&json!({
            "key": key_path.display().to_string(),
            "csr": csr_path.display().to_string(),
        }));
    }
    print_str(&format!(
        "private key  {}  (keep it secret; mode 0600)\nCSR          {}  (upload to OP API Admin)\n",
        key_path.display(),
        csr_path.display()
    ))
}

/// Creates a new file readable only by the owner and writes the key into it.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| CliError::io(format!("cannot create {}", path.display()), e))?;
    file.write_all(bytes)
        .map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))
}
