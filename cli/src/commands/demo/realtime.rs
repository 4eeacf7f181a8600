//! Case 1, "payment → production": invoices go out, customers pay over about ten seconds, the
//! watcher sees each payment within a poll interval and the reconciler matches it at once.

use std::time::{Duration, Instant};

use opcorp::client::Client;
use opcorp::model::Account;
use opcorp::reconcile::{MatchEvent, OpenItem, Payment, Reconciler, Report};
use opcorp::watch::{Delivery, Watcher};
use opcorp_emulator::Admin;
use serde_json::json;

use super::customers::{self, Sent};
use super::events::{Printer, Style};
use super::invoices::Script;
use super::report::Check;
use crate::commands::args::format_date;
use crate::commands::reconcile::{reason_text, status_label, status_text};
use crate::commands::watch::latency_ms;
use crate::exit::CliError;
use crate::output::{Table, to_value};

/// How often the watcher polls.
const POLL: Duration = Duration::from_secs(1);
/// Slowest acceptable detection: one poll interval plus a second of slack.
const MAX_LATENCY_MS: i64 = 2_000;
/// How long to wait for stragglers after the last payment.
const GRACE: Duration = Duration::from_secs(6);

/// Plays case 1 and returns its checks.
pub async fn run(
    client: &Client,
    admin: Admin,
    account: &Account,
    script: &Script,
    printer: &Printer,
) -> Result<Vec<Check>, CliError> {
    printer.section(
        "1/3",
        "Payment → production",
        "   Eight invoices are open. Customers pay them over ten seconds; the watcher polls the\n   \
         Account Data API every second and the reconciler matches each payment to its invoice.",
    );
    show_invoices(script, printer);
    let mut reconciler = Reconciler::new(script.invoices.iter().map(|i| OpenItem {
        id: i.id.clone(),
        reference: i.reference.clone(),
        amount: i.amount,
        currency: "EUR".into(),
        due_date: Some(i.due),
    }));
    let mut watcher = Watcher::builder(client.clone())
        .account(account.surrogate_id.clone())
        .poll_interval(POLL)
        .build()?;
    printer.event(
        "watcher_started",
        &format!("watcher polls {} every {} s", account.iban, POLL.as_secs()),
        json!({ "account": account.iban, "pollSeconds": POLL.as_secs() }),
    );
    let start = Instant::now();
    let last = script.payments.last().map_or(Duration::ZERO, |p| p.after);
    let customers = tokio::spawn(customers::pay_all(
        admin,
        account.iban.clone(),
        script.payments.clone(),
        printer.clone(),
        start,
    ));
    let deadline = tokio::time::Instant::from_std(start + last + GRACE);
    let mut latencies = Vec::new();
    while latencies.len() < script.payments.len() {
        let delivery = match tokio::time::timeout_at(deadline, watcher.next()).await {
            Err(_) => break,
            Ok(delivery) => delivery?,
        };
        let latency = latency_ms(delivery.transaction.timestamp, delivery.detected_at).unwrap_or(0);
        let event = reconciler.push(Payment::from(&delivery.transaction));
        show_match(printer, &delivery, latency, &event)?;
        watcher.ack(&delivery).await?;
        latencies.push(latency);
    }
    drop(watcher);
    let sent = customers
        .await
        .map_err(|e| CliError::config(format!("the customer task failed: {e}")))?;
    let report = reconciler.finish();
    show_report(&report, printer)?;
    Ok(checks(script, &sent, &report, &latencies))
}

fn show_invoices(script: &Script, printer: &Printer) {
    let mut table =
        Table::new(&["invoice", "customer", "reference", "amount", "due"]).align_right("amount");
    for i in &script.invoices {
        table.push(vec![
            i.id.clone(),
            i.customer.clone(),
            i.reference.grouped(),
            format!("{} EUR", i.amount),
            format_date(i.due),
        ]);
        if printer.is_json() {
            printer.emit(
                "invoice",
                json!({
                    "id": i.id,
                    "customer": i.customer,
                    "reference": i.reference.as_str(),
                    "amount": i.amount.to_string(),
                    "due": format_date(i.due),
                }),
            );
        }
    }
    printer.block(&table.render());
}

/// One detected payment and what the reconciler made of it.
fn show_match(
    printer: &Printer,
    delivery: &Delivery,
    latency: i64,
    event: &MatchEvent,
) -> Result<(), CliError> {
    let t = &delivery.transaction;
    let (verdict, style) = match event {
        MatchEvent::Matched {
            item_id, status, ..
        } => {
            let style = match status_label(status) {
                "paid" => Style::Good,
                _ => Style::Warn,
            };
            (format!("{item_id} {}", status_text(status)), style)
        }
        MatchEvent::Unmatched(u) => {
            let hint = u
                .did_you_mean
                .as_ref()
                .map(|id| format!(" — did you mean {id}?"))
                .unwrap_or_default();
            (
                format!("unmatched: {}{hint}", reason_text(&u.reason)),
                Style::Warn,
            )
        }
        MatchEvent::Duplicate { .. } => ("re-delivery ignored".to_owned(), Style::Dim),
    };
    printer.event(
        "payment_detected",
        &format!(
            "{}  {:>8} EUR from {:<20} {} → {}",
            printer.paint(Style::Bold, "detected"),
            t.amount,
            t.debtor_name.clone().unwrap_or_default(),
            printer.paint(Style::Dim, &format!("in {latency:>4} ms")),
            printer.paint(style, &verdict),
        ),
        json!({
            "archiveId": t.archive_id,
            "amount": t.amount.to_string(),
            "reference": t.any_reference(),
            "latencyMs": latency,
            "match": to_value(event)?,
        }),
    );
    Ok(())
}

fn show_report(report: &Report, printer: &Printer) -> Result<(), CliError> {
    if printer.is_json() {
        printer.emit("reconciliation", json!({ "report": to_value(report)? }));
        return Ok(());
    }
    printer.note("");
    printer.note("Reconciliation:");
    let mut table = Table::new(&["invoice", "amount", "received", "outcome"])
        .align_right("amount")
        .align_right("received");
    for i in &report.items {
        table.push(vec![
            i.item.id.clone(),
            i.item.amount.to_string(),
            crate::output::money(i.received),
            status_text(&i.status),
        ]);
    }
    printer.block(&table.render());
    Ok(())
}

/// Expected against actual for case 1.
fn checks(script: &Script, sent: &[Sent], report: &Report, latencies: &[i64]) -> Vec<Check> {
    let mut checks = Vec::new();
    for (invoice, item) in script.invoices.iter().zip(&report.items) {
        checks.push(Check::equal(
            "1",
            &format!("{} ({})", invoice.id, invoice.customer),
            invoice.expected,
            status_label(&item.status),
        ));
    }
    checks.push(Check::equal(
        "1",
        "payments matching no invoice",
        &script.expected_unmatched.to_string(),
        &report.unmatched.len().to_string(),
    ));
    let booked = sent.iter().filter(|s| s.is_ok()).count();
    checks.push(Check::equal(
        "1",
        "payments booked by the bank",
        &script.payments.len().to_string(),
        &booked.to_string(),
    ));
    checks.push(Check::equal(
        "1",
        "payments detected by the watcher",
        &script.payments.len().to_string(),
        &latencies.len().to_string(),
    ));
    let worst = latencies.iter().copied().max().unwrap_or(0);
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
    checks.push(Check::new(
        "1",
        "detection latency (booked → delivered)",
        &format!("≤ {MAX_LATENCY_MS} ms"),
        &format!("median {median} ms, max {worst} ms"),
        !latencies.is_empty() && worst <= MAX_LATENCY_MS,
    ));
    checks
}
