//! `opcorp-emulator`: runs a local OP Corporate Banking API until Ctrl-C.

use clap::Parser;

/// A local imitation of OP's Corporate Banking APIs (mTLS, OAuth2, every corporate API,
/// signature checks, fault injection) for tests and development.
#[derive(Parser)]
#[command(name = "opcorp-emulator", version)]
struct Cli {
    #[command(flatten)]
    args: opcorp_emulator::Args,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match opcorp_emulator::run(cli.args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("opcorp-emulator: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
