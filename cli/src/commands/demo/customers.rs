//! The simulated customers of case 1: a task that books each scripted payment in the
//! emulator at its scheduled moment, through the emulator's admin interface (the one thing a
//! real bank would not let us do).

use std::time::Instant;

use opcorp_emulator::{Admin, BookedTransaction, IncomingPayment};
use serde_json::json;

use super::events::{Printer, Style};
use super::invoices::CustomerPayment;

/// The bank's booking of one payment, or why the emulator refused it.
pub type Sent = Result<BookedTransaction, String>;

/// Books every payment at `start + payment.after` on the account `iban`, printing each one.
pub async fn pay_all(
    admin: Admin,
    iban: String,
    payments: Vec<CustomerPayment>,
    printer: Printer,
    start: Instant,
) -> Vec<Sent> {
    let mut sent = Vec::with_capacity(payments.len());
    for payment in payments {
        tokio::time::sleep_until((start + payment.after).into()).await;
        let booked = admin.simulate_incoming(IncomingPayment {
            account_iban: iban.clone(),
            amount: payment.amount.to_string(),
            reference: payment.reference.clone(),
            message: payment.message.clone(),
            debtor_name: payment.payer.clone(),
            debtor_iban: None,
        });
        let remittance = match (&payment.reference, &payment.message) {
            (Some(r), _) => format!("ref {r}"),
            (None, Some(m)) => format!("message \"{m}\""),
            (None, None) => "no reference".into(),
        };
        match &booked {
            Ok(b) => printer.event(
                "payment_sent",
                &format!(
                    "{} {:<20} pays {:>8} EUR  {remittance}  {}",
                    printer.paint(Style::Dim, "customer"),
                    payment.payer,
                    payment.amount,
                    printer.paint(Style::Dim, &format!("({})", payment.story)),
                ),
                json!({
                    "payer": payment.payer,
                    "amount": payment.amount.to_string(),
                    "reference": payment.reference,
                    "message": payment.message,
                    "story": payment.story,
                    "archiveId": b.archive_id,
                }),
            ),
            Err(why) => printer.event(
                "payment_refused",
                &printer.paint(
                    Style::Bad,
                    &format!("bank refused {}: {why}", payment.payer),
                ),
                json!({ "payer": payment.payer, "error": why }),
            ),
        }
        sent.push(booked);
    }
    sent
}
