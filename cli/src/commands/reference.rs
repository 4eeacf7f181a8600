//! `opcorp ref`: Finnish reference numbers (viitenumero) and RF creditor references, offline.

use clap::Subcommand;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;
use serde_json::json;

use crate::exit::CliError;
use crate::output::{Format, print_json, print_str};

/// Reference number tools.
#[derive(Debug, Subcommand)]
pub enum RefCommand {
    /// Print the Finnish reference for a base number (appends the 7-3-1 check digit).
    New {
        /// 3–19 digits, e.g. an invoice number.
        base: String,
        /// Print the RF (ISO 11649) form instead.
        #[arg(long)]
        rf: bool,
    },
    /// Check a Finnish or RF reference: exit 0 when valid, 1 with the reason on stderr.
    Check {
        /// The reference as written (spaces allowed), e.g. "12 34561" or "RF18 5390 0754 7034".
        reference: String,
    },
    /// Print the RF form of a Finnish reference.
    Rf {
        /// A valid Finnish reference.
        finnish: String,
    },
}

/// Runs a `ref` subcommand.
pub fn run(cmd: &RefCommand, format: Format) -> Result<(), CliError> {
    match cmd {
        RefCommand::New { base, rf } => {
            let reference = FinnishReference::generate(base)?;
            let rf_form = RfReference::from_finnish(&reference);
            if format == Format::Json {
                return print_json(&json!({
                    "reference": reference.as_str(),
                    "grouped": reference.grouped(),
                    "padded": reference.padded(),
                    "rf": rf_form.as_str(),
                }));
            }
            let text = if *rf {
                rf_form.as_str()
            } else {
                reference.as_str()
            };
            print_str(&format!("{text}\n"))
        }
        RefCommand::Check { reference } => match Reference::parse(reference) {
            Ok(parsed) => {
                let kind = match parsed {
                    Reference::Finnish(_) => "finnish",
                    Reference::Rf(_) => "rf",
                };
                if format == Format::Json {
                    print_json(&json!({
                        "valid": true,
                        "kind": kind,
                        "reference": parsed.as_str(),
                        "grouped": parsed.grouped(),
                    }))
                } else {
                    print_str(&format!("valid {kind} reference {}\n", parsed.grouped()))
                }
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
        },
        RefCommand::Rf { finnish } => {
            let reference = FinnishReference::parse(finnish)?;
            let rf_form = RfReference::from_finnish(&reference);
            if format == Format::Json {
                return print_json(&json!({
                    "finnish": reference.as_str(),
                    "rf": rf_form.as_str(),
                    "grouped": rf_form.grouped(),
                }));
            }
            print_str(&format!("{}\n", rf_form.as_str()))
        }
    }
}
