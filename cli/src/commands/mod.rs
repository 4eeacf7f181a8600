//! One module per command group; [`run`] dispatches a parsed [`Command`].

pub mod accounts;
pub mod args;
pub mod barcode;
pub mod completions;
pub mod confirm;
pub mod conformance;
pub mod demo;
pub mod emulator;
pub mod filter;
pub mod gateway;
pub mod iban;
pub mod keys;
pub mod mandates;
pub mod outbox;
pub mod pay;
pub mod payer;
pub mod reconcile;
pub mod reference;
pub mod refund;
pub mod sign;
pub mod transactions;
pub mod verify_payee;
pub mod watch;
pub mod watch_journal;

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
    /// Play OP's three real-time cases live on an embedded emulator (or read-only against a
    /// configured bank).
    Demo(demo::DemoArgs),
    /// List accounts and balances, or show one account.
    Accounts(accounts::AccountsArgs),
    /// List an account's transactions over a date range (streamed).
    Transactions(transactions::TransactionsArgs),
    /// Send a signed SEPA payment (asks for confirmation unless --yes).
    Pay(pay::PayArgs),
    /// Refund an incoming payment (asks for confirmation unless --yes).
    Refund(refund::RefundArgs),
    /// Search credits or debits with the Transaction Filter API.
    Filter(filter::FilterArgs),
    /// Look up who paid an incoming transaction (Transaction Info API).
    Payer(payer::PayerArgs),
    /// Verification of Payee: check a payee's name against an IBAN's holder (exit 1 unless
    /// it matches).
    VerifyPayee(verify_payee::VerifyPayeeArgs),
    /// List the mandates client companies gave this service provider.
    Mandates,
    /// Run the fixed read-only conformance scenario and write its redacted report, or
    /// compare two reports (`--compare A.json B.json`).
    Conformance(conformance::ConformanceArgs),
    /// The payment outbox of `pay --intent` / `refund --intent`: list or settle its intents.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// Print new incoming transactions as they arrive (resumable with --checkpoint).
    Watch(watch::WatchArgs),
    /// Match transactions to open invoices (CSV or spreadsheet) by reference and amount.
    Reconcile(reconcile::ReconcileArgs),
    /// Generate a key and CSR for OP API Admin.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Run the local OP emulator until Ctrl-C.
    Emulator(opcorp_emulator::Args),
    /// Serve browser tools on loopback, holding the credentials (allowlisted calls only).
    Gateway(gateway::GatewayArgs),
    /// Finnish and RF reference numbers (offline).
    #[command(name = "ref", subcommand)]
    Ref(reference::RefCommand),
    /// IBAN validation (offline).
    #[command(subcommand)]
    Iban(iban::IbanCommand),
    /// Finnish virtual bank barcode: encode from flags, or `barcode decode` (offline).
    Barcode(barcode::BarcodeArgs),
    /// Print the X-Req-Signature value for a request body read from stdin (offline).
    Sign(sign::SignArgs),
    /// Print a shell completion script: `opcorp completions bash > /etc/bash_completion.d/opcorp`.
    Completions(completions::CompletionsArgs),
    /// Print the opcorp(1) man page (roff).
    #[command(hide = true)]
    Man,
}

/// Runs one command.
pub async fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Demo(args) => demo::run(&args, ctx).await,
        Command::Accounts(args) => accounts::run(&args, ctx).await,
        Command::Transactions(args) => transactions::run(&args, ctx).await,
        Command::Pay(args) => pay::run(&args, ctx).await,
        Command::Refund(args) => refund::run(&args, ctx).await,
        Command::Filter(args) => filter::run(&args, ctx).await,
        Command::Payer(args) => payer::run(&args, ctx).await,
        Command::VerifyPayee(args) => verify_payee::run(&args, ctx).await,
        Command::Mandates => mandates::run(ctx).await,
        Command::Conformance(args) => conformance::run(&args, ctx).await,
        Command::Outbox(cmd) => outbox::run(&cmd, ctx).await,
        Command::Watch(args) => watch::run(&args, ctx).await,
        Command::Reconcile(args) => reconcile::run(&args, ctx).await,
        Command::Keys(cmd) => keys::run(&cmd, ctx.format),
        Command::Emulator(args) => emulator::run(args).await,
        Command::Gateway(args) => gateway::run(&args, ctx).await,
        Command::Ref(cmd) => reference::run(&cmd, ctx.format),
        Command::Iban(cmd) => iban::run(&cmd, ctx.format),
        Command::Barcode(args) => barcode::run(&args, ctx.format),
        Command::Sign(args) => sign::run(&args),
        // Both need the whole command definition; `main` handles them before dispatch.
        Command::Completions(_) | Command::Man => Ok(()),
    }
}
