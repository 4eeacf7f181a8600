//! `opcorp filter`: searches one account's credits or debits (Transaction Filter API).
//!
//! OP returns at most 10 matches and says how many it skipped; the CLI prints that count so
//! the user narrows the search instead of trusting a truncated answer.

use clap::{Args, ValueEnum};
use opcorp::Amount;
use opcorp::model::{FilterQuery, FilterResult};
use serde_json::json;

use crate::commands::Context;
use crate::commands::accounts::find_account;
use crate::commands::args::{format_date, parse_date, today};
use crate::exit::CliError;
use crate::output::{Format, Table, print_json, to_value};

/// Which side of the account to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Direction {
    /// Incoming payments.
    Credit,
    /// Outgoing payments.
    Debit,
}

/// Search transactions by reference, amount, name and date range (longer than 30 days is split
/// into 30-day windows, merged).
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// credit (incoming) or debit (outgoing).
    pub direction: Direction,
    /// Account IBAN; default: the client's first account.
    #[arg(long, value_name = "IBAN")]
    pub account: Option<String>,
    /// First day, YYYY-MM-DD; default: 29 days before --to (a 30-day window).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD; default: today.
    #[arg(long)]
    pub to: Option<String>,
    /// Reference (Finnish or RF).
    #[arg(long = "ref", value_name = "REFERENCE")]
    pub reference: Option<String>,
    /// Smallest amount.
    #[arg(long)]
    pub min: Option<String>,
    /// Largest amount.
    #[arg(long)]
    pub max: Option<String>,
    /// Payer name (credit) or payee name (debit).
    #[arg(long)]
    pub name: Option<String>,
}

/// Runs `filter`.
pub async fn run(args: &FilterArgs, ctx: &Context) -> Result<(), CliError> {
    let to = args
        .to
        .as_deref()
        .map(parse_date)
        .transpose()?
        .unwrap_or_else(today);
    let from = match &args.from {
        Some(text) => parse_date(text)?,
        None => to - time::Duration::days(29),
    };
    let min = args.min.as_deref().map(str::parse::<Amount>).transpose()?;
    let max = args.max.as_deref().map(str::parse::<Amount>).transpose()?;
    let client = ctx.settings()?.client()?;
    let iban = match &args.account {
        Some(iban) => iban.clone(),
        None => find_account(&client, None).await?.iban,
    };
    let mut query = FilterQuery::for_dates(&iban, from, to)?;
    query.reference = args.reference.clone();
    query.min_amount = min;
    query.max_amount = max;
    match args.direction {
        Direction::Credit => query.debtor_name = args.name.clone(),
        Direction::Debit => query.creditor_name = args.name.clone(),
    }
    query.validate()?;
    let filter = client.transaction_filter();
    let result = match args.direction {
        Direction::Credit => filter.credit(&query).await?,
        Direction::Debit => filter.debit(&query).await?,
    };
    print_result(&result, args.direction, ctx.format)
}

/// Prints matches and, when OP left some out, how many.
fn print_result(
    result: &FilterResult,
    direction: Direction,
    format: Format,
) -> Result<(), CliError> {
    if format == Format::Json {
        return print_json(&json!({
            "transactions": to_value(&result.transactions)?,
            "skipped": result.skipped,
        }));
    }
    let counterparty = match direction {
        Direction::Credit => "payer",
        Direction::Debit => "payee",
    };
    let mut table = Table::new(&["booked", "amount", "reference", counterparty, "archive id"])
        .align_right("amount");
    for t in &result.transactions {
        let name = match direction {
            Direction::Credit => t.debtor_name.clone(),
            Direction::Debit => t.creditor_name.clone(),
        };
        table.push(vec![
            t.booking_date.map(format_date).unwrap_or_default(),
            t.amount.to_string(),
            t.reference
                .clone()
                .or(t.rf_reference.clone())
                .unwrap_or_default(),
            name.unwrap_or_default(),
            t.archive_id.clone(),
        ]);
    }
    table.print(format)?;
    if result.skipped > 0 {
        eprintln!(
            "note: {} more matches were left out by the bank (at most 10 are returned); narrow the search",
            result.skipped
        );
    }
    Ok(())
}
