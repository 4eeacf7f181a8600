//! `opcorp completions SHELL` and `opcorp man`: shell completion scripts and the man page,
//! both generated from the same clap definition the parser uses, so they never drift.

use clap::Args;
use clap_complete::Shell;

use crate::exit::CliError;

/// Print a shell completion script.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

/// Writes the completion script for `shell` to stdout.
pub fn completions(args: &CompletionsArgs, mut command: clap::Command) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "opcorp", &mut out);
    Ok(())
}

/// Writes the `opcorp(1)` man page (roff) to stdout.
pub fn man(command: clap::Command) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(command)
        .render(&mut out)
        .map_err(|e| CliError::io("cannot write the man page", e))
}
