//! `opcorp emulator`: runs the local OP emulator until Ctrl-C (same flags as the
//! `opcorp-emulator` binary).

use crate::exit::CliError;

/// Runs the emulator.
pub async fn run(args: opcorp_emulator::Args) -> Result<(), CliError> {
    opcorp_emulator::run(args)
        .await
        .map_err(|e| CliError::config(format!("emulator: {e}")))
}
