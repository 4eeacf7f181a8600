//! `opcorp outbox list|drive`, and the outbox path of `pay --intent` / `refund --intent`.
//!
//! The outbox file is `--outbox FILE`, else `$OPCORP_OUTBOX`, else
//! `$XDG_DATA_HOME/opcorp/outbox.sqlite`, else `~/.local/share/opcorp/outbox.sqlite` (its
//! directory is created on first use). A payment with `--intent KEY` is stored there before
//! it is sent; the same key again returns the first outcome instead of paying twice, and
//! `outbox drive` settles whatever a crash or an outage left unknown.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use opcorp::Error;
use opcorp::client::Client;
use opcorp::outbox::{
    ListFilter, Outbox, OutboxEntry, OutboxOrder, OutboxStore, Outcome, SqliteOutboxStore,
};
use serde_json::Value;

use crate::commands::Context;
use crate::exit::CliError;
use crate::output::{Format, Table, plain, print_json, print_json_line};

/// Where the outbox file is.
#[derive(Debug, Clone, Default, Args)]
pub struct OutboxFile {
    /// Outbox file (SQLite) [default: $OPCORP_OUTBOX, else ~/.local/share/opcorp/outbox.sqlite].
    #[arg(long = "outbox", value_name = "FILE")]
    pub path: Option<PathBuf>,
}

impl OutboxFile {
    /// Refuses `--outbox` without `--intent` (it would be silently ignored).
    pub fn require_intent(&self, intent: Option<&str>) -> Result<(), CliError> {
        if self.path.is_some() && intent.is_none() {
            return Err(CliError::invalid("--outbox needs --intent KEY"));
        }
        Ok(())
    }

    /// The chosen path, its directory created.
    fn resolve(&self) -> Result<PathBuf, CliError> {
        let getenv = |k: &str| std::env::var(k).ok();
        let path = match &self.path {
            Some(path) => path.clone(),
            None => default_outbox_path(&getenv).ok_or_else(|| {
                CliError::config("no outbox file: pass --outbox FILE or set OPCORP_OUTBOX")
            })?,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::io(format!("cannot create {}", dir.display()), e))?;
        }
        Ok(path)
    }

    /// The store alone (for `list`, which needs no credentials).
    fn store(&self) -> Result<SqliteOutboxStore, CliError> {
        Ok(SqliteOutboxStore::open(self.resolve()?)?)
    }

    /// An outbox paying with `client`.
    fn outbox(&self, client: Client) -> Result<Outbox, CliError> {
        Ok(Outbox::open(client, self.resolve()?)?)
    }
}

/// The default outbox file location.
fn default_outbox_path(getenv: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let nonempty = |k: &str| getenv(k).filter(|v| !v.is_empty());
    if let Some(path) = nonempty("OPCORP_OUTBOX") {
        return Some(PathBuf::from(path));
    }
    let data = match nonempty("XDG_DATA_HOME") {
        Some(xdg) => PathBuf::from(xdg),
        None => Path::new(&nonempty("HOME")?).join(".local").join("share"),
    };
    Some(data.join("opcorp").join("outbox.sqlite"))
}

/// `opcorp outbox …`.
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List the stored intents and their outcomes (offline).
    List {
        /// Only the ones whose outcome is still unknown.
        #[arg(long)]
        unsettled: bool,
        #[command(flatten)]
        file: OutboxFile,
    },
    /// Settle every intent whose outcome is unknown (status lookup or identical resend);
    /// exits 24 (UNKNOWN_OUTCOME) if any is still unknown afterwards.
    Drive {
        #[command(flatten)]
        file: OutboxFile,
    },
}

/// Runs `outbox list|drive`.
pub async fn run(command: &OutboxCommand, ctx: &Context) -> Result<(), CliError> {
    match command {
        OutboxCommand::List { unsettled, file } => {
            let filter = if *unsettled {
                ListFilter::Unsettled
            } else {
                ListFilter::All
            };
            print_entries(&file.store()?.list(filter)?, ctx.format)
        }
        OutboxCommand::Drive { file } => {
            let outbox = file.outbox(ctx.settings()?.client()?)?;
            let mut unknown = 0usize;
            let mut rows = Vec::new();
            outbox
                .drive_with(|entry| {
                    unknown += usize::from(!entry.outcome.is_final());
                    if ctx.format == Format::Json {
                        // One line per settled entry as soon as it is recorded.
                        let _ = print_json_line(&entry.to_json());
                    } else {
                        rows.push(entry.clone());
                    }
                })
                .await?;
            if ctx.format != Format::Json {
                print_entries(&rows, ctx.format)?;
            }
            if unknown > 0 {
                return Err(Error::new(
                    opcorp::ErrorKind::UnknownOutcome,
                    format!("{unknown} outbox entries are still unknown; run `outbox drive` again"),
                )
                .into());
            }
            Ok(())
        }
    }
}

/// Submits `order` under `intent` to the outbox in `file`, prints the entry, and turns a
/// rejection or an unknown outcome into the matching exit code.
pub async fn submit(
    file: &OutboxFile,
    client: Client,
    format: Format,
    intent: &str,
    order: OutboxOrder,
) -> Result<(), CliError> {
    let entry = file.outbox(client)?.submit(intent, order).await?;
    if format == Format::Json {
        print_json(&entry.to_json())?;
    } else {
        print_entries(std::slice::from_ref(&entry), format)?;
    }
    outcome_result(&entry)
}

/// `Ok` for a success; the rejection's own error, or `UNKNOWN_OUTCOME`, otherwise.
fn outcome_result(entry: &OutboxEntry) -> Result<(), CliError> {
    match &entry.outcome {
        Outcome::Succeeded(_) => Ok(()),
        Outcome::Rejected(failure) => {
            let mut err = Error::new(failure.kind, format!("rejected: {}", failure.message));
            if let Some(status) = failure.status {
                err = err.with_status(status);
            }
            Err(err.into())
        }
        Outcome::Unknown(failure) => {
            let why = failure
                .as_ref()
                .map_or_else(|| "not settled yet".to_owned(), |f| f.message.clone());
            Err(Error::new(
                opcorp::ErrorKind::UnknownOutcome,
                format!(
                    "intent {:?} is stored but its outcome is unknown ({why}); `opcorp outbox \
                     drive` settles it, never pay it under a new intent",
                    entry.intent
                ),
            )
            .into())
        }
    }
}

/// Prints entries as a table (or CSV, or a JSON array).
fn print_entries(entries: &[OutboxEntry], format: Format) -> Result<(), CliError> {
    if format == Format::Json {
        return print_json(&Value::Array(
            entries.iter().map(OutboxEntry::to_json).collect(),
        ));
    }
    let mut table = Table::new(&["intent", "state", "kind", "id", "attempts", "result"]);
    for entry in entries {
        let json = entry.to_json();
        let result = match &entry.outcome {
            Outcome::Succeeded(receipt) => format!("archive id {}", receipt.archive_id()),
            Outcome::Rejected(f) | Outcome::Unknown(Some(f)) => {
                format!("{}: {}", f.kind.code(), f.message)
            }
            Outcome::Unknown(None) => String::new(),
        };
        table.push(vec![
            entry.intent.clone(),
            plain(&json["state"]),
            plain(&json["kind"]),
            entry.operation.id.clone(),
            entry.attempts.to_string(),
            result,
        ]);
    }
    table.print(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &[(&str, &str)], key: &str) -> Option<String> {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn the_default_path_follows_env_then_xdg_then_home() {
        let both = [("OPCORP_OUTBOX", "/x/o.db"), ("HOME", "/h")];
        let path = default_outbox_path(&|k: &str| lookup(&both, k));
        assert_eq!(path, Some(PathBuf::from("/x/o.db")));
        let xdg = [("XDG_DATA_HOME", "/d"), ("HOME", "/h")];
        let path = default_outbox_path(&|k: &str| lookup(&xdg, k));
        assert_eq!(path, Some(PathBuf::from("/d/opcorp/outbox.sqlite")));
        let home = [("HOME", "/h")];
        let path = default_outbox_path(&|k: &str| lookup(&home, k));
        assert_eq!(
            path,
            Some(PathBuf::from("/h/.local/share/opcorp/outbox.sqlite"))
        );
        assert_eq!(default_outbox_path(&|_: &str| None), None);
    }
}
