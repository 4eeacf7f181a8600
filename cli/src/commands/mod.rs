//! One module per command group; [`run`] dispatches a parsed [`Command`].

pub mod args;
pub mod barcode;
pub mod iban;
pub mod reference;

use clap::Subcommand;

use crate::config::{ConnectionArgs, Settings};
use crate::exit::CliError;
use crate::output::Format;

/// What every command receives: the connection flags and the output format.
#[derive(Debug)]
pub struct Context {
    /// Connection flags (resolved lazily, so offline commands never need credentials).
    pub connection: ConnectionArgs,
    /// Table, JSON or CSV.
    pub format: Format,
}

impl Context {
    /// The resolved connection settings.
    pub fn settings(&self) -> Result<Settings, CliError> {
        Settings::resolve(&self.connection)
    }
}

/// Every `opcorp` command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Finnish and RF reference numbers (offline).
    #[command(name = "ref", subcommand)]
    Ref(reference::RefCommand),
    /// IBAN validation (offline).
    #[command(subcommand)]
    Iban(iban::IbanCommand),
    /// Finnish virtual bank barcode: encode from flags, or `barcode decode` (offline).
    Barcode(barcode::BarcodeArgs),
}

/// Runs one command.
pub async fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Ref(cmd) => reference::run(&cmd, ctx.format),
        Command::Iban(cmd) => iban::run(&cmd, ctx.format),
        Command::Barcode(args) => barcode::run(&args, ctx.format),
    }
}
