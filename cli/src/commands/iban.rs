//! `opcorp iban check`: validates an IBAN offline and shows its parts and OP-relevant BIC.

use clap::Subcommand;
use opcorp::domain::bic::Bic;
use opcorp::domain::iban::Iban;
use serde_json::json;

use crate::exit::CliError;
use crate::output::{Format, print_json, print_str};

/// IBAN tools.
#[derive(Debug, Subcommand)]
pub enum IbanCommand {
    /// Check an IBAN: exit 0 when valid, 1 with the reason on stderr.
    Check {
        /// The IBAN as written (spaces and lowercase allowed).
        iban: String,
    },
}

/// Runs an `iban` subcommand.
pub fn run(cmd: &IbanCommand, format: Format) -> Result<(), CliError> {
    let IbanCommand::Check { iban } = cmd;
    match Iban::parse(iban) {
        Ok(iban) => {
            let bic = Bic::for_finnish_iban(&iban);
            if format == Format::Json {
                return print_json(&json!({
                    "valid": true,
                    "iban": iban.as_str(),
                    "grouped": iban.grouped(),
                    "country": iban.country(),
                    "bic": bic.as_ref().map(Bic::as_str),
                }));
            }
            let bic = bic
                .map(|b| format!(" (BIC {})", b.as_str()))
                .unwrap_or_default();
            print_str(&format!("valid IBAN {}{bic}\n", iban.grouped()))
        }
        Err(err) => {
            if format == Format::Json {
                print_json(&json!({ "valid": false, "reason": err.message() }))?;
            }
            Err(CliError::CheckFailed(Some(format!(
                "invalid: {}",
                err.message()
            ))))
        }
    }
}
