//! The confirmation gate in front of money-moving commands (`pay`, `refund`).

use std::io::{BufRead, IsTerminal, Write};

use crate::exit::CliError;

/// Shows `summary` on stderr and asks for a yes. `--yes` skips the question; without it a
/// non-interactive stdin is refused, so a script can never pay by accident.
pub fn confirm(summary: &str, question: &str, yes: bool) -> Result<(), CliError> {
    eprint!("{summary}");
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Declined(
            "stdin is not a terminal, so nothing was sent; re-run with --yes to confirm".into(),
        ));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::io("cannot read the answer from stdin", e))?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(CliError::Declined("cancelled, nothing was sent".into())),
    }
}
