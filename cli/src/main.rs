//! `opcorp`: the command line for OP's Corporate Banking APIs.
//!
//! `opcorp demo` plays OP's three real-time cases against an embedded emulator; the everyday
//! commands read accounts and transactions, pay, refund, search, watch and reconcile; the
//! offline tools check and generate references, IBANs, barcodes and signatures.

mod commands;
mod config;
mod exit;
mod output;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::commands::Command;
use crate::config::ConnectionArgs;
use crate::output::Format;

/// opcorp — OP Corporate Banking APIs from the command line.
///
/// Settings come from flags, then OPCORP_* environment variables, then a profile in
/// ~/.config/opcorp/config.toml (see --config and --profile).
#[derive(Debug, Parser)]
#[command(name = "opcorp", version, after_long_help = exit::HELP_TABLE)]
struct Cli {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,
    /// Print CSV (commands that print tables).
    #[arg(long, global = true, conflicts_with = "json")]
    csv: bool,
    /// Log to stderr: -v every request (route, status, request id, latency, retries), -vv
    /// everything. RUST_LOG (e.g. `opcorp=debug`) takes precedence. Never logs secrets.
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

/// What to log to stderr: `RUST_LOG` if set, else by `-v` count, else nothing.
fn log_directives(verbose: u8) -> Option<String> {
    if let Some(directives) = std::env::var("RUST_LOG")
        .ok()
        .filter(|d| !d.trim().is_empty())
    {
        return Some(directives);
    }
    match verbose {
        0 => None,
        1 => Some("opcorp=debug".into()),
        _ => Some("opcorp=trace".into()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let generated = match &cli.command {
        Command::Completions(args) => {
            Some(commands::completions::completions(args, Cli::command()))
        }
        Command::Man => Some(commands::completions::man(Cli::command())),
        _ => None,
    };
    if let Some(result) = generated {
        return match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => exit::report(&err),
        };
    }
    let format = Format::from_flags(cli.json, cli.csv);
    if let Some(directives) = log_directives(cli.verbose)
        && let Err(err) = opcorp::log::log_to_stderr(&directives)
    {
        return exit::report(&err.into());
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return exit::report(&exit::CliError::io("cannot start the async runtime", e)),
    };
    let ctx = commands::Context {
        connection: cli.connection,
        format,
    };
    match runtime.block_on(commands::run(cli.command, &ctx)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => exit::report(&err),
    }
}
