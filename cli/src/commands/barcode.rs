//! `opcorp barcode`: the Finnish virtual bank barcode (versions 4 and 5), offline.

use clap::{Args, Subcommand};
use opcorp::Amount;
use opcorp::domain::barcode::VirtualBarcode;
use opcorp::domain::iban::Iban;
use opcorp::domain::reference::Reference;
use opcorp::domain::rf::RfReference;
use serde_json::json;

use crate::commands::args::{format_date, parse_date};
use crate::exit::CliError;
use crate::output::{Format, print_json, print_str};

/// Encode a barcode from flags, or `barcode decode <54 digits>`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BarcodeArgs {
    /// Decode instead of encode.
    #[command(subcommand)]
    pub decode: Option<BarcodeCommand>,
    /// Payee's Finnish IBAN.
    #[arg(long, required = true)]
    pub iban: Option<String>,
    /// Amount in euros, e.g. 120.50 (omit to let the payer type it).
    #[arg(long)]
    pub amount: Option<String>,
    /// Finnish or RF reference.
    #[arg(long = "ref", required = true, value_name = "REFERENCE")]
    pub reference: Option<String>,
    /// Due date YYYY-MM-DD.
    #[arg(long)]
    pub due: Option<String>,
    /// Barcode version: 4 (Finnish reference) or 5 (RF); default from the reference.
    #[arg(long, value_parser = clap::value_parser!(u8).range(4..=5))]
    pub version: Option<u8>,
}

/// Barcode subcommands.
#[derive(Debug, Subcommand)]
pub enum BarcodeCommand {
    /// Decode a 54-digit virtual barcode into its payment details.
    Decode {
        /// The 54 digits (spaces allowed).
        digits: String,
    },
}

/// Runs `barcode` (encode) or `barcode decode`.
pub fn run(args: &BarcodeArgs, format: Format) -> Result<(), CliError> {
    if let Some(BarcodeCommand::Decode { digits }) = &args.decode {
        return decode(digits, format);
    }
    let (Some(iban), Some(reference)) = (&args.iban, &args.reference) else {
        return Err(CliError::invalid("barcode needs --iban and --ref"));
    };
    let iban = Iban::parse(iban)?;
    let amount = match &args.amount {
        Some(text) => text.parse::<Amount>()?,
        None => Amount::ZERO,
    };
    let reference = convert(Reference::parse(reference)?, args.version)?;
    let due_date = args.due.as_deref().map(parse_date).transpose()?;
    let barcode = VirtualBarcode {
        iban,
        amount,
        reference,
        due_date,
    };
    let digits = barcode.encode()?;
    if format == Format::Json {
        return print_json(&json!({ "barcode": digits, "version": barcode.version() }));
    }
    print_str(&format!("{digits}\n"))
}

/// Converts the reference to the form the requested version needs.
fn convert(reference: Reference, version: Option<u8>) -> Result<Reference, CliError> {
    match (version, reference) {
        (Some(5), Reference::Finnish(fi)) => Ok(Reference::Rf(RfReference::from_finnish(&fi))),
        (Some(4), Reference::Rf(rf)) => rf.to_finnish().map(Reference::Finnish).ok_or_else(|| {
            CliError::invalid(format!(
                "version 4 needs a Finnish reference; {} has no Finnish form",
                rf.as_str()
            ))
        }),
        (_, reference) => Ok(reference),
    }
}

fn decode(digits: &str, format: Format) -> Result<(), CliError> {
    let barcode = VirtualBarcode::decode(digits)?;
    let due = barcode.due_date.map(format_date).unwrap_or_default();
    if format == Format::Json {
        return print_json(&json!({
            "version": barcode.version(),
            "iban": barcode.iban.as_str(),
            "amount": barcode.amount.to_string(),
            "reference": barcode.reference.as_str(),
            "due": if due.is_empty() { None } else { Some(due) },
        }));
    }
    let due = if due.is_empty() {
        "none".to_owned()
    } else {
        due
    };
    print_str(&format!(
        "version    {}\niban       {}\namount     {}\nreference  {}\ndue        {due}\n",
        barcode.version(),
        barcode.iban.grouped(),
        barcode.amount,
        barcode.reference.grouped(),
    ))
}
