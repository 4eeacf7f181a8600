//! Case 2, "I just paid my invoice": customer service asks the Transaction Filter API
//! whether a payment with the invoice's reference arrived, and gets the answer in
//! milliseconds instead of waiting for tomorrow's bank statement.

use std::time::Instant;

use opcorp::client::Client;
use opcorp::model::FilterQuery;
use serde_json::json;

use super::events::{Printer, Style};
use super::invoices::Invoice;
use super::report::Check;
use crate::commands::args::today;
use crate::exit::CliError;

/// One question: did the customer of `invoice` pay, and do we expect so?
#[derive(Debug, Clone)]
pub struct Question {
    /// The invoice asked about.
    pub invoice: Invoice,
    /// Whether a payment is expected to be found.
    pub expect_paid: bool,
}

/// Asks every question through the Transaction Filter API (credits, reference, amount range,
/// the last two days) and returns the checks.
pub async fn run(
    client: &Client,
    iban: &str,
    questions: &[Question],
    printer: &Printer,
) -> Result<Vec<Check>, CliError> {
    printer.section(
        "2/3",
        "\"I just paid my invoice\"",
        "   A customer calls: \"I paid a minute ago, can you release my order?\" Customer service\n   \
         asks the Transaction Filter API for a credit with the invoice's reference.",
    );
    let mut checks = Vec::new();
    for q in questions {
        let to = today();
        let mut query = FilterQuery::for_dates(iban, to - time::Duration::days(1), to)?;
        query.reference = Some(q.invoice.reference.as_str().to_owned());
        query.min_amount = Some(opcorp::Amount::from_minor_units(1));
        let asked = Instant::now();
        let result = client.transaction_filter().credit(&query).await?;
        let ms = (asked.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
        let found = &result.transactions;
        let paid: Vec<String> = found.iter().map(|t| format!("{} EUR", t.amount)).collect();
        let answer = if found.is_empty() {
            printer.paint(Style::Warn, "no payment yet")
        } else {
            printer.paint(
                Style::Good,
                &format!("yes: {} received ({})", paid.join(" + "), found.len()),
            )
        };
        printer.event(
            "lookup",
            &format!(
                "{}  did {} pay {} (ref {})? {answer} {}",
                printer.paint(Style::Bold, "filter"),
                q.invoice.customer,
                q.invoice.id,
                q.invoice.reference.grouped(),
                printer.paint(Style::Dim, &format!("answered in {ms:.1} ms")),
            ),
            json!({
                "invoice": q.invoice.id,
                "reference": q.invoice.reference.as_str(),
                "found": found.len(),
                "amounts": paid,
                "skipped": result.skipped,
                "ms": ms,
            }),
        );
        let yes_no = |b: bool| if b { "payment found" } else { "no payment" };
        checks.push(Check::equal(
            "2",
            &format!("did {} pay {}?", q.invoice.customer, q.invoice.id),
            yes_no(q.expect_paid),
            yes_no(!found.is_empty()),
        ));
    }
    Ok(checks)
}
