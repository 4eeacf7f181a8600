//! `opcorp reconcile`: matches transactions to open invoices by reference and amount.
//!
//! Invoices come from a CSV file or a spreadsheet (`id,reference,amount[,currency][,due]`);
//! `--xlsx` also writes the report as a workbook. Transactions from a
//! file (the JSON array `opcorp transactions --json` prints, or a CSV with a header such as
//! `opcorp transactions --csv` prints) or straight from the Account Data API.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::Args;
use futures::StreamExt;
use opcorp::Amount;
use opcorp::api::account_data::TransactionQuery;
use opcorp::model::Transaction;
use opcorp::reconcile::input::open_item_from_row;
use opcorp::reconcile::{
    DEFAULT_CURRENCY, ItemStatus, OpenItem, Payment, PaymentRef, Reconciler, Report,
    UnmatchedReason,
};

use crate::commands::Context;
use crate::commands::accounts::find_account;
use crate::commands::args::parse_date;
use crate::exit::CliError;
use crate::output::{Format, Table, print_json, to_value};

/// Reconcile open invoices against transactions.
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// Open invoices: a CSV or spreadsheet (.xlsx, .xls, .ods) with a header row
    /// id,reference,amount[,currency][,due].
    #[arg(long, value_name = "FILE")]
    pub invoices: PathBuf,
    /// Transactions file: camt.053/054 statement XML, .json or .csv; without it transactions
    /// are fetched from the API.
    #[arg(long, value_name = "FILE")]
    pub transactions: Option<PathBuf>,
    /// Account to fetch from (IBAN or surrogate id); default: the first account.
    #[arg(long, conflicts_with = "transactions")]
    pub account: Option<String>,
    /// First day to fetch, YYYY-MM-DD.
    #[arg(long, conflicts_with = "transactions")]
    pub from: Option<String>,
    /// Last day to fetch, YYYY-MM-DD.
    #[arg(long, conflicts_with = "transactions")]
    pub to: Option<String>,
    /// Also write the report as a workbook: a summary sheet, one sheet per outcome and one
    /// for unmatched payments.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Exit with status 1 unless every invoice is paid exactly and every credit matched
    /// (debits, listed as "not a credit", do not count).
    #[arg(long)]
    pub strict: bool,
}

/// Runs `reconcile`.
pub async fn run(args: &ReconcileArgs, ctx: &Context) -> Result<(), CliError> {
    let items = read_invoices(&args.invoices)?;
    let mut reconciler = Reconciler::new(items);
    match &args.transactions {
        Some(path) => {
            for payment in read_payments(path)? {
                reconciler.absorb(payment.borrowed());
            }
        }
        None => {
            let from = args.from.as_deref().map(parse_date).transpose()?;
            let to = args.to.as_deref().map(parse_date).transpose()?;
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
            while let Some(t) = stream.next().await {
                // Debits too: core reports them as `not_a_credit`, the same report every
                // binding gives for the same transactions.
                reconciler.absorb(PaymentRef::from(&t?));
            }
        }
    }
    let report = reconciler.finish();
    if let Some(path) = &args.xlsx {
        let bytes = opcorp::sheet::reconcile_xlsx(&report)?;
        write_file(path, &bytes)?;
    }
    print_report(&report, ctx.format)?;
    if args.strict && !report.is_settled() {
        return Err(CliError::CheckFailed(Some(
            "unmatched payments or invoices not paid exactly (--strict)".into(),
        )));
    }
    Ok(())
}

/// Writes a file the user asked for.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes)
        .map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))
}

/// A short label for an item status: `paid`, `partially paid`, ….
pub fn status_label(status: &ItemStatus) -> &'static str {
    status.label()
}

/// The label with its amount detail: `partially paid (remaining 70.00)`.
pub fn status_text(status: &ItemStatus) -> String {
    match status {
        ItemStatus::PartiallyPaid { remaining } => {
            format!("partially paid (remaining {remaining})")
        }
        ItemStatus::Overpaid { excess } => format!("overpaid (excess {excess})"),
        ItemStatus::PaidTwice { excess, .. } => format!("paid twice (excess {excess})"),
        other => status_label(other).to_owned(),
    }
}

/// Why a payment matched nothing, in words.
pub fn reason_text(reason: &UnmatchedReason) -> String {
    reason.describe()
}

/// Prints the per-invoice outcomes, the unmatched payments and the totals.
fn print_report(report: &Report, format: Format) -> Result<(), CliError> {
    if format == Format::Json {
        return print_json(&to_value(report)?);
    }
    let mut items = Table::new(&["invoice", "reference", "amount", "received", "status"])
        .align_right("amount")
        .align_right("received");
    for i in &report.items {
        items.push(vec![
            i.item.id.clone(),
            i.item.reference.grouped(),
            i.item.amount.to_string(),
            crate::output::money(i.received),
            status_text(&i.status),
        ]);
    }
    if format == Format::Csv {
        return items.print(format);
    }
    items.print(format)?;
    if !report.unmatched.is_empty() {
        let mut unmatched = Table::new(&[
            "payment",
            "amount",
            "reference",
            "payer",
            "why",
            "did you mean",
        ])
        .align_right("amount");
        for u in &report.unmatched {
            unmatched.push(vec![
                u.payment.id.clone(),
                u.payment.amount.to_string(),
                u.payment.reference.clone().unwrap_or_default(),
                u.payment.payer_name.clone().unwrap_or_default(),
                reason_text(&u.reason),
                u.did_you_mean.clone().unwrap_or_default(),
            ]);
        }
        crate::output::print_str("\nUnmatched payments:\n")?;
        unmatched.print(format)?;
    }
    let t = &report.totals;
    crate::output::print_str(&format!(
        "\n{} invoices: {} paid, {} partially paid, {} overpaid, {} paid twice, {} unpaid; {} payments, {} unmatched\n",
        t.items,
        t.paid,
        t.partially_paid,
        t.overpaid,
        t.paid_twice,
        t.unpaid,
        t.payments,
        t.unmatched_payments
    ))
}

/// A CSV record keyed by lower-cased header, with its line number.
type Row = (usize, HashMap<String, String>);

/// Reads a CSV file into header-keyed records (header names lower-cased and trimmed).
fn read_csv(path: &Path) -> Result<Vec<Row>, CliError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_path(path)
        .map_err(|e| csv_error(path, e))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(path, e))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let map = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        rows.push((n + 2, map));
    }
    Ok(rows)
}

fn csv_error(path: &Path, e: csv::Error) -> CliError {
    match e.kind() {
        csv::ErrorKind::Io(_) => CliError::io(
            format!("cannot read {}", path.display()),
            std::io::Error::other(e.to_string()),
        ),
        _ => CliError::invalid(format!("{}: {e}", path.display())),
    }
}

/// The first non-empty value among `keys`.
fn get<'a>(row: &'a HashMap<String, String>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .filter_map(|k| row.get(*k))
        .map(String::as_str)
        .find(|v| !v.is_empty())
}

/// Reads the open invoices: a spreadsheet (`.xlsx`, `.xlsm`, `.xls`, `.ods`) or a CSV file.
/// Both go through core's row rules, so they accept the same headers and values.
pub fn read_invoices(path: &Path) -> Result<Vec<OpenItem>, CliError> {
    if is_spreadsheet(path) {
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
        return opcorp::sheet::read_open_items(&bytes)
            .map_err(|e| CliError::invalid(format!("{}: {}", path.display(), e.message())));
    }
    let mut items = Vec::new();
    for (line, row) in read_csv(path)? {
        let item = open_item_from_row(|keys| get(&row, keys)).map_err(|e| {
            CliError::invalid(format!("{} line {line}: {}", path.display(), e.message))
        })?;
        items.push(item);
    }
    Ok(items)
}

/// Whether a file name says spreadsheet rather than CSV.
fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["xlsx", "xlsm", "xls", "ods"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads transactions from an ISO 20022 bank statement (camt.053/054 XML, recognised by its
/// content), a JSON array (OP transactions or reconciliation payments) or a CSV file.
pub fn read_payments(path: &Path) -> Result<Vec<Payment>, CliError> {
    if let Some(payments) = read_statement(path)? {
        return Ok(payments);
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !is_json {
        return read_payments_csv(path);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
    if let Ok(transactions) = serde_json::from_str::<Vec<Transaction>>(&text) {
        return Ok(transactions.iter().map(Payment::from).collect());
    }
    serde_json::from_str::<Vec<Payment>>(&text).map_err(|e| {
        CliError::invalid(format!(
            "{}: expected a JSON array of transactions: {e}",
            path.display()
        ))
    })
}

/// The payments of a camt.053/054 file, streamed (`None` when the file is not XML). A
/// statement that fails its own control sums refuses the whole file.
fn read_statement(path: &Path) -> Result<Option<Vec<Payment>>, CliError> {
    use std::io::BufRead;
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
    let mut reader = std::io::BufReader::new(file);
    let head = reader
        .fill_buf()
        .map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
    if !opcorp::statement::looks_like_xml(head) {
        return Ok(None);
    }
    Ok(Some(opcorp::statement::read_payments(reader)?))
}

fn read_payments_csv(path: &Path) -> Result<Vec<Payment>, CliError> {
    let mut payments = Vec::new();
    for (line, row) in read_csv(path)? {
        let at = |what: &str| format!("{} line {line}: {what}", path.display());
        let amount =
            get(&row, &["amount"]).ok_or_else(|| CliError::invalid(at("missing amount")))?;
        let amount: Amount = amount
            .parse()
            .map_err(|e: opcorp::Error| CliError::invalid(at(e.message())))?;
        let booking_date = get(&row, &["booked", "date", "booking date", "booking_date"])
            .map(|d| parse_date(d).map_err(|e| CliError::invalid(at(&e.to_string()))))
            .transpose()?;
        payments.push(Payment {
            id: get(&row, &["id", "archive id", "archiveid", "archive_id"])
                .map_or_else(|| format!("line-{line}"), str::to_owned),
            reference: get(&row, &["reference", "ref"]).map(str::to_owned),
            amount,
            currency: get(&row, &["currency"])
                .unwrap_or(DEFAULT_CURRENCY)
                .to_ascii_uppercase(),
            booking_date,
            payer_name: get(
                &row,
                &["payer", "counterparty", "payer name", "debtor name"],
            )
            .map(str::to_owned),
        });
    }
    Ok(payments)
}
