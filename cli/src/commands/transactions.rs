//! `opcorp transactions`: an account's transactions over a date range, streamed page by page.
//!
//! Output is written as transactions arrive, so a range of millions of rows runs in bounded
//! memory: the table uses fixed column widths, `--json` writes one JSON array item by item and
//! `--csv` one row at a time. A progress count goes to stderr when it is a terminal (or with
//! `--progress`), never to stdout.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use futures::StreamExt;
use opcorp::api::account_data::TransactionQuery;
use opcorp::model::Transaction;

use crate::commands::Context;
use crate::commands::accounts::find_account;
use crate::commands::args::{format_date, parse_date};
use crate::exit::CliError;
use crate::output::{Format, Progress, stderr_is_tty, to_value};

/// List transactions.
#[derive(Debug, Args)]
pub struct TransactionsArgs {
    /// Account (IBAN or surrogate id); default: the client's first account.
    #[arg(long)]
    pub account: Option<String>,
    /// First day, YYYY-MM-DD (default: everything the bank keeps).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default: up to now).
    #[arg(long)]
    pub to: Option<String>,
    /// Stop after this many transactions.
    #[arg(long)]
    pub limit: Option<u64>,
    /// Only incoming payments.
    #[arg(long)]
    pub credits: bool,
    /// Write the transactions to this workbook (.xlsx) instead of stdout: dates as dates,
    /// amounts as numbers, ids and references as text.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Show a progress count on stderr even when it is not a terminal.
    #[arg(long)]
    pub progress: bool,
}

/// Runs `transactions`.
pub async fn run(args: &TransactionsArgs, ctx: &Context) -> Result<(), CliError> {
    let from = args.from.as_deref().map(parse_date).transpose()?;
    let to = args.to.as_deref().map(parse_date).transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(CliError::invalid("--to is before --from"));
    }
    let client = ctx.settings()?.client()?;
    let account = find_account(&client, args.account.as_deref()).await?;
    let mut query = TransactionQuery::new();
    if let Some(from) = from {
        query = query.from_date(from);
    }
    if let Some(to) = to {
        query = query.to(to);
    }
    let stream = client
        .account_data()
        .transactions(&account.surrogate_id, query);
    futures::pin_mut!(stream);
    let mut out = match &args.xlsx {
        Some(path) => Sink::Workbook(Box::new(opcorp::sheet::TransactionsWorkbook::new()?), path),
        None => Sink::Stdout(RowWriter::new(ctx.format)?),
    };
    let mut progress = Progress::new("transactions", args.progress || stderr_is_tty());
    let mut written = 0u64;
    while let Some(item) = stream.next().await {
        let transaction = item?;
        progress.tick();
        if args.credits && !transaction.is_credit() {
            continue;
        }
        out.row(&transaction)?;
        written += 1;
        if args.limit.is_some_and(|limit| written >= limit) {
            break;
        }
    }
    progress.finish();
    match out {
        Sink::Workbook(workbook, path) => {
            let rows = workbook.len();
            crate::commands::reconcile::write_file(path, &workbook.finish()?)?;
            eprintln!("wrote {rows} transactions to {}", path.display());
            Ok(())
        }
        Sink::Stdout(out) => out.finish(),
    }
}

/// Where rows go: stdout in the chosen format, or a workbook written at the end.
enum Sink<'a> {
    Stdout(RowWriter),
    Workbook(Box<opcorp::sheet::TransactionsWorkbook>, &'a PathBuf),
}

impl Sink<'_> {
    fn row(&mut self, t: &Transaction) -> Result<(), CliError> {
        match self {
            Sink::Stdout(out) => out.row(t),
            Sink::Workbook(workbook, _) => Ok(workbook.push(t)?),
        }
    }
}

/// The display cells of a transaction (shared with `watch`).
pub fn cells(t: &Transaction) -> Vec<String> {
    let counterparty = if t.is_debit() {
        t.creditor_name.clone()
    } else {
        t.debtor_name.clone()
    };
    vec![
        format_date(t.booking_date),
        t.amount.to_string(),
        t.currency.clone().unwrap_or_else(|| "EUR".into()),
        t.any_reference().unwrap_or_default().to_owned(),
        counterparty.unwrap_or_default(),
        t.message.clone().unwrap_or_default(),
        t.archive_id.clone(),
    ]
}

/// Column names matching [`cells`].
pub const HEADERS: [&str; 7] = [
    "booked",
    "amount",
    "currency",
    "reference",
    "counterparty",
    "message",
    "archive id",
];

/// Fixed widths for the streamed table (wider cells are cut with `…`).
const WIDTHS: [usize; 7] = [10, 13, 3, 20, 26, 30, 20];

/// Formats one table line with fixed widths; the amount is right-aligned.
pub fn fixed_line(cells: &[String]) -> String {
    let mut parts = Vec::with_capacity(cells.len());
    for (i, (cell, width)) in cells.iter().zip(WIDTHS).enumerate() {
        let mut text: String = cell.chars().take(width).collect();
        if cell.chars().count() > width {
            text.pop();
            text.push('…');
        }
        let pad = width.saturating_sub(text.chars().count());
        if i == 1 {
            parts.push(format!("{}{text}", " ".repeat(pad)));
        } else if i + 1 == cells.len() {
            parts.push(text);
        } else {
            parts.push(format!("{text}{}", " ".repeat(pad)));
        }
    }
    parts.join("  ")
}

/// Writes rows to stdout as they come, in the chosen format.
struct RowWriter {
    format: Format,
    out: std::io::BufWriter<std::io::Stdout>,
    first: bool,
}

impl RowWriter {
    fn new(format: Format) -> Result<RowWriter, CliError> {
        let mut writer = RowWriter {
            format,
            out: std::io::BufWriter::new(std::io::stdout()),
            first: true,
        };
        let headers: Vec<String> = HEADERS.iter().map(|h| (*h).to_owned()).collect();
        match format {
            Format::Table => writer.write(&format!("{}\n", fixed_line(&headers)))?,
            Format::Json => writer.write("[")?,
            Format::Csv => writer.write(&csv_line(&headers)?)?,
        }
        Ok(writer)
    }

    fn row(&mut self, t: &Transaction) -> Result<(), CliError> {
        match self.format {
            Format::Table => self.write(&format!("{}\n", fixed_line(&cells(t)))),
            Format::Json => {
                let json = serde_json::to_string_pretty(&to_value(t)?)
                    .map_err(|e| CliError::invalid(format!("cannot encode JSON: {e}")))?;
                let sep = if self.first { "\n" } else { ",\n" };
                self.first = false;
                self.write(&format!("{sep}{json}"))
            }
            Format::Csv => self.write(&csv_line(&cells(t))?),
        }
    }

    fn write(&mut self, text: &str) -> Result<(), CliError> {
        self.out
            .write_all(text.as_bytes())
            .map_err(|e| CliError::io("cannot write to stdout", e))
    }

    fn finish(mut self) -> Result<(), CliError> {
        if self.format == Format::Json {
            let end = if self.first { "]\n" } else { "\n]\n" };
            self.write(end)?;
        }
        self.out
            .flush()
            .map_err(|e| CliError::io("cannot write to stdout", e))
    }
}

/// One CSV record, quoted as RFC 4180 requires, with its line end.
fn csv_line(cells: &[String]) -> Result<String, CliError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(cells)
        .map_err(|e| CliError::invalid(format!("cannot write CSV: {e}")))?;
    let bytes = writer
        .into_inner()
        .map_err(|e| CliError::invalid(format!("cannot write CSV: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
