//! The demo against a real bank (OP's sandbox, or any configured base URL).
//!
//! A real bank has no admin API, so nobody can be made to pay an invoice on cue and the
//! ledger cannot be inspected: only the read-only parts run. The demo says so on screen,
//! lists the accounts, streams the last week's transactions through the reconciler's eyes,
//! and asks the Transaction Filter API about the newest referenced payment.

use futures::StreamExt;
use opcorp::api::account_data::TransactionQuery;
use opcorp::model::FilterQuery;
use serde_json::json;

use super::events::{Printer, Style};
use super::report::Check;
use crate::commands::args::today;
use crate::config::Settings;
use crate::exit::CliError;

/// How many days of history the read-only demo reads.
const DAYS: i64 = 7;

/// Runs the read-only parts against the configured bank.
pub async fn run(settings: &Settings, printer: &Printer) -> Result<Vec<Check>, CliError> {
    let url = settings.base_url();
    printer.section(
        "",
        &format!("Against {url}"),
        "   A real bank has no admin API: customers cannot be made to pay on cue and the ledger\n   \
         cannot be inspected, so the simulated payments (case 1) and the refund (case 3) do not\n   \
         run here. The read-only parts do: accounts, transactions, a Transaction Filter lookup.\n   \
         Run `opcorp demo --emulator` for the full show.",
    );
    let client = settings.client()?;
    let accounts = client.account_data().accounts().await?;
    for a in &accounts {
        printer.event(
            "account",
            &format!("account {}  {} {}", a.iban, a.balance, a.currency),
            json!({ "iban": a.iban, "balance": a.balance.to_string() }),
        );
    }
    let mut checks = vec![Check::new(
        "setup",
        "mTLS + OAuth2 connection, accounts listed",
        "≥ 1 account",
        &format!("{} accounts", accounts.len()),
        !accounts.is_empty(),
    )];
    let Some(account) = accounts.first() else {
        return Ok(checks);
    };
    let from = today() - time::Duration::days(DAYS);
    let stream = client.account_data().transactions(
        &account.surrogate_id,
        TransactionQuery::new().from_date(from),
    );
    futures::pin_mut!(stream);
    let (mut count, mut credits) = (0usize, 0usize);
    let mut newest_referenced = None;
    while let Some(t) = stream.next().await {
        let t = t?;
        count += 1;
        if t.is_credit() {
            credits += 1;
            if t.any_reference().is_some() {
                newest_referenced = Some(t);
            }
        }
    }
    printer.event(
        "transactions",
        &format!("{count} transactions in the last {DAYS} days, {credits} incoming"),
        json!({ "transactions": count, "credits": credits }),
    );
    checks.push(Check::new(
        "1",
        "transactions streamed",
        "stream completes",
        &format!("{count} transactions"),
        true,
    ));
    match newest_referenced {
        Some(t) => {
            let reference = t.any_reference().unwrap_or_default().to_owned();
            let mut query = FilterQuery::for_dates(&account.iban, t.booking_date, today())?;
            query.reference = Some(reference.clone());
            let result = client.transaction_filter().credit(&query).await?;
            printer.event(
                "lookup",
                &format!(
                    "filter  credits with reference {reference}: {} found",
                    result.transactions.len()
                ),
                json!({ "reference": reference, "found": result.transactions.len() }),
            );
            checks.push(Check::new(
                "2",
                &format!("filter finds the payment with reference {reference}"),
                "payment found",
                if result.transactions.is_empty() {
                    "no payment"
                } else {
                    "payment found"
                },
                !result.transactions.is_empty(),
            ));
        }
        None => printer.note(&printer.paint(
            Style::Dim,
            "no incoming payment with a reference in the last week; the lookup is skipped",
        )),
    }
    Ok(checks)
}
